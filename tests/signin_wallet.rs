//! Sign in with a browser wallet through the C ABI (§9): the listener's page and its steps, in
//! order, driven over HTTP as the page's script drives them (the real page, in headless Chromium
//! with an EIP-1193 provider that signs: `tests/browser/signin.test.mjs`). Signatures here use the
//! offline server's `0xok` shortcut; real `personal_sign` signatures are the browser test's.

mod support;

use std::ffi::CString;

use support::oauth::{browse, port_open, post_json, record_url, Opened};
use support::{exclusive, init, poll_until, record, Delivery, Ledger};
use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

const PLAYER: &str = "0x8e9dd3c1db3254d968967cbc367542c343273629";

struct Wallet {
    _server: MockServer,
    ledger: &'static Ledger,
    id: u64,
    page: String,
}

/// Initialises against the mock and starts a wallet sign-in; its page's URL.
fn start() -> Wallet {
    let server = MockServer::start();
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    assert_eq!(
        init(&server.url(), |c| c.project_id = project.as_ptr()),
        XERIAL_OK
    );
    let ledger: &'static Ledger = Box::leak(Box::default());
    let opened: &'static Opened = Box::leak(Box::default());
    let options = XerialSignInOptions {
        struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
        method: XERIAL_SIGNIN_BROWSER_WALLET,
        client_id: std::ptr::null(),
        client_secret: std::ptr::null(),
        redirect_uri: std::ptr::null(),
        timeout_ms: 0,
        open_url: Some(record_url),
        open_url_user_data: opened.user_data(),
    };
    let id = unsafe { xerial_signin_start(&options, Some(record), ledger.user_data()) };
    assert!(poll_until(|| !opened.urls().is_empty()));
    let page = opened.urls()[0].clone();
    assert!(
        page.starts_with("http://127.0.0.1:") && page.ends_with('/'),
        "{page}"
    );
    Wallet {
        _server: server,
        ledger,
        id,
        page,
    }
}

impl Wallet {
    fn result(&self) -> Delivery {
        assert!(
            poll_until(|| !self.ledger.get(self.id).is_empty()),
            "answered"
        );
        self.ledger.only(self.id)
    }

    fn waiting(&self) -> bool {
        xerial_poll(0);
        self.ledger.get(self.id).is_empty()
    }

    fn step(&self, step: &str, body: &str) -> (u16, String) {
        post_json(&self.page, step, None, body)
    }
}

#[test]
fn a_player_signs_in_through_the_wallet_page() {
    let _sdk = exclusive();
    let wallet = start();
    let (status, page) = browse(&wallet.page);
    assert_eq!(status, 200);
    assert!(page.contains("eth_requestAccounts") && page.contains("personal_sign"));
    let (status, nonce) = wallet.step("address", &format!(r#"{{"address":"{PLAYER}"}}"#));
    assert_eq!(status, 200, "{nonce}");
    let nonce: serde_json::Value = serde_json::from_str(&nonce).unwrap();
    assert!(nonce["nonce"].is_string(), "{nonce}");
    let (status, done) = wallet.step("signature", r#"{"signature":"0xok-signed"}"#);
    assert_eq!((status, done.as_str()), (200, r#"{"ok":true}"#));
    let result = wallet.result();
    assert_eq!(result.code, XERIAL_OK, "{}", result.message);
    assert!(result.body.contains("accessExpires") && !result.body.contains("token"));
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    let user = xerial_user_get(Some(record), wallet.ledger.user_data());
    assert!(poll_until(|| !wallet.ledger.get(user).is_empty()));
    assert_eq!(wallet.ledger.only(user).code, XERIAL_OK);
    assert!(!port_open(&wallet.page), "closed after the one completion");
}

#[test]
fn steps_are_taken_once_in_order_from_the_page_only() {
    let _sdk = exclusive();
    let wallet = start();
    let address = format!(r#"{{"address":"{PLAYER}"}}"#);
    assert_eq!(
        wallet.step("signature", r#"{"signature":"0xok"}"#).0,
        404,
        "no address yet"
    );
    assert_eq!(
        wallet.step("address", r#"{"address":"0x12"}"#).0,
        400,
        "not an address"
    );
    assert_eq!(wallet.step("address", "not json").0, 400);
    assert_eq!(
        post_json(
            &wallet.page,
            "address",
            Some("http://evil.example"),
            &address
        )
        .0,
        403
    );
    assert_eq!(wallet.step("unknown", "{}").0, 404);
    assert_eq!(
        browse(&format!("{}address", wallet.page)).0,
        404,
        "steps are POSTs"
    );
    assert!(wallet.waiting());
    assert_eq!(wallet.step("address", &address).0, 200);
    assert_eq!(wallet.step("address", &address).0, 404, "the address once");
    assert!(wallet.waiting());
    assert_eq!(wallet.step("signature", r#"{"signature":"0xok"}"#).0, 200);
    assert_eq!(wallet.result().code, XERIAL_OK);
}

#[test]
fn the_wallet_refusing_is_denied() {
    let _sdk = exclusive();
    let wallet = start();
    let refusal = r#"{"code":4001,"message":"User rejected the request.\u0007"}"#;
    assert_eq!(wallet.step("denied", refusal).0, 200);
    let result = wallet.result();
    assert_eq!(result.code, XERIAL_E_DENIED);
    assert_eq!(
        result.message,
        "the wallet refused: User rejected the request. (4001)"
    );
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
}

#[test]
fn no_wallet_in_the_browser_is_unavailable() {
    let _sdk = exclusive();
    let wallet = start();
    assert_eq!(wallet.step("no-wallet", "{}").0, 200);
    let result = wallet.result();
    assert_eq!(result.code, XERIAL_E_UNAVAILABLE);
    assert!(
        result.message.contains("no browser wallet"),
        "{}",
        result.message
    );
}

#[test]
fn a_signature_xerial_refuses_fails_the_sign_in_and_tells_the_page() {
    let _sdk = exclusive();
    let wallet = start();
    assert_eq!(
        wallet
            .step("address", &format!(r#"{{"address":"{PLAYER}"}}"#))
            .0,
        200
    );
    let (status, answer) = wallet.step("signature", r#"{"signature":"0xdeadbeef"}"#);
    assert_eq!((status, answer.as_str()), (200, r#"{"ok":false}"#));
    let result = wallet.result();
    assert_eq!(
        (result.code, result.message.as_str()),
        (XERIAL_E_BAD_REQUEST, "Auth Failed")
    );
    assert!(!result.message.contains("0xdeadbeef") && !result.body.contains("0xdeadbeef"));
}
