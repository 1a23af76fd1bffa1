//! The world of the Google sign-in tests: the offline server (Xerial), the test authorization
//! server (Google), and the SDK initialised against both, with a ledger and the URLs opened.

use std::ffi::CString;

use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

use super::oauth::{record_url, FakeGoogle, Opened, CLIENT_ID, CLIENT_SECRET};
use super::{init, poll_until, record, Delivery, Ledger};

/// The mock (Xerial) and the fake Google, with the SDK initialised against both.
pub struct World {
    pub server: MockServer,
    pub google: FakeGoogle,
    pub ledger: &'static Ledger,
    pub opened: &'static Opened,
    strings: Vec<CString>,
}

pub fn world(dispatch: u32) -> World {
    let server = MockServer::start();
    let google = FakeGoogle::start();
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    let (authorize, token) = (
        CString::new(google.authorize_url()).unwrap(),
        CString::new(google.token_url()).unwrap(),
    );
    let code = init(&server.url(), |c| {
        c.project_id = project.as_ptr();
        c.oauth_authorize_url = authorize.as_ptr();
        c.oauth_token_url = token.as_ptr();
        c.dispatch = dispatch;
    });
    assert_eq!(code, XERIAL_OK);
    World {
        server,
        google,
        ledger: Box::leak(Box::default()),
        opened: Box::leak(Box::default()),
        strings: Vec::new(),
    }
}

impl World {
    pub fn text(&mut self, text: &str) -> *const std::ffi::c_char {
        self.strings.push(CString::new(text).unwrap());
        self.strings.last().unwrap().as_ptr()
    }

    /// Options of a desktop Google sign-in.
    pub fn options(&mut self) -> XerialSignInOptions {
        XerialSignInOptions {
            struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
            method: XERIAL_SIGNIN_GOOGLE,
            client_id: self.text(CLIENT_ID),
            client_secret: self.text(CLIENT_SECRET),
            redirect_uri: std::ptr::null(),
            timeout_ms: 0,
            open_url: Some(record_url),
            open_url_user_data: self.opened.user_data(),
        }
    }

    pub fn start(&self, options: &XerialSignInOptions) -> u64 {
        let id = unsafe { xerial_signin_start(options, Some(record), self.ledger.user_data()) };
        assert_ne!(id, 0);
        id
    }

    /// The `n`-th URL the SDK asked to open (polling until it did).
    pub fn url(&self, n: usize) -> String {
        assert!(poll_until(|| self.opened.urls().len() > n), "open_url ran");
        self.opened.urls()[n].clone()
    }

    pub fn result(&self, id: u64) -> Delivery {
        assert!(poll_until(|| !self.ledger.get(id).is_empty()), "answered");
        self.ledger.only(id)
    }
}
