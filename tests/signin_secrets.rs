//! Secrets of a sign-in: at TRACE log level, through the desktop and mobile Google flows (a
//! success, a refused code, foreign answers) and the browser wallet, no path secret, `state`,
//! code, PKCE verifier, client secret, id token, signature or session token appears in a log
//! line, a `XerialResult` message or body, or a page the browser receives. Only the
//! authorization URL carries `state` (and the challenge, never the verifier), as OAuth requires.

mod support;

use std::ffi::CString;

use support::leaks::{log_lines, start_logging, Secrets};
use support::oauth::{
    browse, params_of, post_json, record_url, with_query, FakeGoogle, Opened, CLIENT_ID,
    CLIENT_SECRET,
};
use support::{exclusive, init, poll_until, record, Ledger};
use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

fn options(method: i32, opened: &Opened, strings: &[CString]) -> XerialSignInOptions {
    XerialSignInOptions {
        struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
        method,
        client_id: strings[0].as_ptr(),
        client_secret: strings[1].as_ptr(),
        redirect_uri: std::ptr::null(),
        timeout_ms: 0,
        open_url: Some(record_url),
        open_url_user_data: opened.user_data(),
    }
}

#[test]
fn no_sign_in_secret_reaches_a_log_line_a_result_or_a_page() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let google = FakeGoogle::start();
    let keep = [
        CString::new(DEMO_PROJECT_ID).unwrap(),
        CString::new(google.authorize_url()).unwrap(),
        CString::new(google.token_url()).unwrap(),
    ];
    start_logging();
    let code = init(&server.url(), |c| {
        c.project_id = keep[0].as_ptr();
        c.oauth_authorize_url = keep[1].as_ptr();
        c.oauth_token_url = keep[2].as_ptr();
    });
    assert_eq!(code, XERIAL_OK);
    let ledger: &'static Ledger = Box::leak(Box::default());
    let opened: &'static Opened = Box::leak(Box::default());
    let strings = [
        CString::new(CLIENT_ID).unwrap(),
        CString::new(CLIENT_SECRET).unwrap(),
    ];
    let mut secrets = Secrets::default();
    let mut pages = Vec::new();
    let start = |options: &XerialSignInOptions| {
        let id = unsafe { xerial_signin_start(options, Some(record), ledger.user_data()) };
        let seen = opened.urls().len();
        assert!(poll_until(|| opened.urls().len() > seen));
        (id, opened.urls()[seen].clone())
    };
    let finish = |id: u64| {
        assert!(poll_until(|| !ledger.get(id).is_empty()));
        ledger.only(id)
    };
    let google_options = options(XERIAL_SIGNIN_GOOGLE, opened, &strings);

    // Desktop: a foreign answer, then the real one.
    let (id, url) = start(&google_options);
    let params = params_of(&url);
    let consent = google.allow(&url, "alice@example.com");
    pages.push(
        browse(&with_query(
            &params["redirect_uri"],
            &[("code", &consent.code), ("state", "forged")],
        ))
        .1,
    );
    pages.push(browse(&consent.redirect).1);
    assert_eq!(finish(id).code, XERIAL_OK);
    let path_secret = params["redirect_uri"].split('/').nth(3).unwrap().to_owned();
    for secret in [
        &path_secret,
        &params["state"],
        &consent.code,
        CLIENT_SECRET,
        "google-ok:alice@example.com",
    ] {
        secrets.add(secret);
    }
    secrets.add_session();

    // A spent code handed to the next sign-in: the token endpoint's error echoes it.
    let (id, url) = start(&google_options);
    let params = params_of(&url);
    pages.push(
        browse(&with_query(
            &params["redirect_uri"],
            &[("code", &consent.code), ("state", &params["state"])],
        ))
        .1,
    );
    let refused = finish(id);
    assert_eq!(refused.code, XERIAL_E_BAD_REQUEST);
    assert!(refused.body.contains("[redacted]"), "{}", refused.body);
    secrets.add(&params["state"]);
    secrets.add(params["redirect_uri"].split('/').nth(3).unwrap());

    // Mobile: the game hands the redirect over.
    let scheme = CString::new("com.example.game:/signin").unwrap();
    let mut mobile = google_options;
    mobile.redirect_uri = scheme.as_ptr();
    let (id, url) = start(&mobile);
    let consent = google.allow(&url, "bob@example.com");
    let wrong = CString::new(with_query(
        "com.example.game:/signin",
        &[("code", &consent.code), ("state", "x")],
    ))
    .unwrap();
    assert_eq!(
        unsafe { xerial_signin_complete(wrong.as_ptr()) },
        XERIAL_E_NOT_FOUND
    );
    let right = CString::new(consent.redirect.clone()).unwrap();
    assert_eq!(unsafe { xerial_signin_complete(right.as_ptr()) }, XERIAL_OK);
    assert_eq!(finish(id).code, XERIAL_OK);
    secrets.add(&params_of(&url)["state"]);
    secrets.add(&consent.code);
    secrets.add("google-ok:bob@example.com");
    secrets.add_session();
    for form in google.token_requests() {
        secrets.add(&form["code_verifier"]);
        assert!(
            !opened
                .urls()
                .iter()
                .any(|u| u.contains(&form["code_verifier"])),
            "no verifier in a URL"
        );
    }

    // The browser wallet.
    let (id, page) = start(&options(XERIAL_SIGNIN_BROWSER_WALLET, opened, &strings));
    secrets.add(page.split('/').nth(3).unwrap());
    let signature = format!("0xok-wallet-signature-{:x}", std::process::id());
    secrets.add(&signature);
    pages.push(browse(&page).1);
    pages.push(
        post_json(
            &page,
            "address",
            None,
            r#"{"address":"0x8e9dd3c1db3254d968967cbc367542c343273629"}"#,
        )
        .1,
    );
    pages.push(
        post_json(
            &page,
            "signature",
            None,
            &format!(r#"{{"signature":"{signature}"}}"#),
        )
        .1,
    );
    assert_eq!(finish(id).code, XERIAL_OK);
    secrets.add_session();

    xerial_shutdown();
    let lines = log_lines();
    assert!(
        lines.iter().any(|l| l.contains("sign-in")),
        "sign-in logged something: {lines:#?}"
    );
    let mut leaks = secrets.leaks(ledger);
    for page in &pages {
        if let Some(what) = secrets.found_in(page) {
            leaks.push(format!("a page shows {what}: {page}"));
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}
