//! Sessions, the auth listener and value-moving requests through the C ABI.

mod support;

use std::ffi::{c_void, CString};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::time::Duration;

use support::{exclusive, init, poll_until, record, Ledger};
use xerial::*;
use xerial_mock::{Fault, FaultRule, MockServer, DEMO_PROJECT_ID};

const PLAYER: &std::ffi::CStr = c"0x8e9DD3c1Db3254d968967CbC367542C343273629";
const GEAR: &std::ffi::CStr = c"0xC011EC7100000000000000000000000000000001";

static AUTH_EVENTS: AtomicUsize = AtomicUsize::new(0);
static LAST_STATE: AtomicI32 = AtomicI32::new(-1);

unsafe extern "C" fn on_auth(_user_data: *mut c_void, state: i32) {
    AUTH_EVENTS.fetch_add(1, Ordering::SeqCst);
    LAST_STATE.store(state, Ordering::SeqCst);
}

fn leak_ledger() -> &'static Ledger {
    Box::leak(Box::default())
}

fn session_json(server: &MockServer) -> CString {
    CString::new(server.create_session().to_string()).unwrap()
}

#[test]
fn the_auth_listener_hears_flips_inside_poll_only() {
    let _sdk = exclusive();
    let server = MockServer::start();
    xerial_set_auth_listener(Some(on_auth), std::ptr::null_mut());
    AUTH_EVENTS.store(0, Ordering::SeqCst);
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    assert_eq!(
        unsafe { xerial_session_set(session_json(&server).as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    assert_eq!(
        AUTH_EVENTS.load(Ordering::SeqCst),
        0,
        "not from inside xerial_session_set"
    );
    assert_eq!(xerial_poll(0), 1, "xerial_poll counts the listener");
    assert_eq!(LAST_STATE.load(Ordering::SeqCst), XERIAL_AUTH_LOGGED_IN);

    // Setting a session over a session is no flip.
    assert_eq!(
        unsafe { xerial_session_set(session_json(&server).as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(xerial_poll(0), 0);
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    assert_eq!(xerial_poll(0), 1);
    assert_eq!(LAST_STATE.load(Ordering::SeqCst), XERIAL_AUTH_LOGGED_OUT);
    assert_eq!(AUTH_EVENTS.load(Ordering::SeqCst), 2);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    xerial_set_auth_listener(None, std::ptr::null_mut());
}

#[test]
fn session_get_reports_the_size_it_needs() {
    let _sdk = exclusive();
    let server = MockServer::start();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let mut len = 0usize;
    assert_eq!(
        unsafe { xerial_session_get(std::ptr::null_mut(), 0, &mut len) },
        XERIAL_E_NOT_LOGGED_IN
    );
    let json = session_json(&server);
    assert_eq!(unsafe { xerial_session_set(json.as_ptr()) }, XERIAL_OK);
    assert_eq!(
        unsafe { xerial_session_get(std::ptr::null_mut(), 0, &mut len) },
        XERIAL_E_BUFFER_TOO_SMALL
    );
    let mut small = vec![b'#' as std::ffi::c_char; len - 1];
    assert_eq!(
        unsafe { xerial_session_get(small.as_mut_ptr(), small.len(), &mut len) },
        XERIAL_E_BUFFER_TOO_SMALL
    );
    assert!(
        small.iter().all(|&c| c == b'#' as std::ffi::c_char),
        "nothing written"
    );
    let mut buf = vec![0 as std::ffi::c_char; len];
    assert_eq!(
        unsafe { xerial_session_get(buf.as_mut_ptr(), buf.len(), &mut len) },
        XERIAL_OK
    );
    let got = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap();
    let want: serde_json::Value = serde_json::from_str(json.to_str().unwrap()).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(got).unwrap(),
        want
    );
    assert_eq!(
        unsafe { xerial_session_get(buf.as_mut_ptr(), buf.len(), std::ptr::null_mut()) },
        XERIAL_E_INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { xerial_session_set(c"{\"access\":1}".as_ptr()) },
        XERIAL_E_INVALID_ARGUMENT
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn the_session_file_survives_a_restart_and_logout_deletes_it() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    let path = std::env::temp_dir().join(format!("xerial-ffi-session-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let c_path = CString::new(path.to_str().unwrap()).unwrap();
    let with_path = |c: &mut XerialConfig| c.session_path = c_path.as_ptr();

    assert_eq!(init(&server.url(), with_path), XERIAL_OK);
    assert_eq!(
        unsafe { xerial_session_set(session_json(&server).as_ptr()) },
        XERIAL_OK
    );
    assert!(path.exists());
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    assert_eq!(init(&server.url(), with_path), XERIAL_OK);
    assert_eq!(
        xerial_auth_state(),
        XERIAL_AUTH_LOGGED_IN,
        "restored from the file"
    );
    let id = unsafe { xerial_logout(std::ptr::null(), Some(record), ledger.user_data()) };
    assert!(!path.exists(), "deleted before the answer");
    assert!(poll_until(|| ledger.total() == 1));
    assert_eq!(ledger.only(id).code, XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);

    std::fs::write(&path, "{\"access\":").unwrap();
    assert_eq!(
        init(&server.url(), with_path),
        XERIAL_OK,
        "a corrupt file is ignored"
    );
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn stopping_a_purchase_after_it_was_sent_is_outcome_unknown() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    assert_eq!(
        init(&server.url(), |c| c.project_id = project.as_ptr()),
        XERIAL_OK
    );
    assert_eq!(
        unsafe { xerial_session_set(session_json(&server).as_ptr()) },
        XERIAL_OK
    );
    let purchase = format!(
        "/api/wallet/{}/polygon/primary-purchase",
        PLAYER.to_str().unwrap()
    );
    server.add_fault(FaultRule::new("POST", &purchase, Fault::hang()));
    let buy = || unsafe {
        xerial_tx_primary_purchase(
            PLAYER.as_ptr(),
            c"polygon".as_ptr(),
            GEAR.as_ptr(),
            c"1".as_ptr(),
            1,
            Some(record),
            ledger.user_data(),
        )
    };
    let cancelled = buy();
    let shut_down = buy();
    assert!(poll_until(|| server.request_count("POST", &purchase) == 2));
    assert_eq!(xerial_cancel(cancelled), XERIAL_OK);
    assert!(poll_until(|| !ledger.get(cancelled).is_empty()));
    assert_eq!(ledger.only(cancelled).code, XERIAL_E_OUTCOME_UNKNOWN);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(ledger.only(shut_down).code, XERIAL_E_OUTCOME_UNKNOWN);
    assert_eq!(server.request_count("POST", &purchase), 2, "each sent once");
}

#[test]
fn every_api_function_answers_through_its_callback() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    let url = CString::new(server.url()).unwrap();
    assert_eq!(
        init(&server.url(), |c| {
            c.project_id = project.as_ptr();
            c.marketplace_url = url.as_ptr();
        }),
        XERIAL_OK
    );
    let (cb, ud) = (
        Some(record as unsafe extern "C" fn(*mut c_void, *const XerialResult)),
        ledger.user_data(),
    );
    let chain = c"polygon".as_ptr();
    let ok = [
        unsafe { xerial_login_google(c"google-ok".as_ptr(), c"client".as_ptr(), cb, ud) },
        unsafe { xerial_request_nonce(PLAYER.as_ptr(), cb, ud) },
    ];
    assert!(poll_until(|| ledger.total() >= 2));
    let more = [
        xerial_user_get(cb, ud),
        unsafe { xerial_wallet_native_balance(PLAYER.as_ptr(), chain, cb, ud) },
        unsafe { xerial_wallet_token_balances(PLAYER.as_ptr(), chain, cb, ud) },
        unsafe {
            xerial_wallet_project_inventory(PLAYER.as_ptr(), chain, std::ptr::null(), cb, ud)
        },
        unsafe { xerial_wallet_global_inventory(PLAYER.as_ptr(), chain, cb, ud) },
        unsafe { xerial_custodial_create_user(c"someone@example.com".as_ptr(), cb, ud) },
        unsafe { xerial_market_collections(std::ptr::null(), cb, ud) },
        unsafe { xerial_market_primary_listings(std::ptr::null(), chain, cb, ud) },
        unsafe {
            xerial_market_secondary_listings(std::ptr::null(), chain, std::ptr::null(), cb, ud)
        },
        unsafe { xerial_market_project(c"demo-arena".as_ptr(), cb, ud) },
        unsafe {
            xerial_tx_primary_purchase(
                PLAYER.as_ptr(),
                chain,
                GEAR.as_ptr(),
                c"1".as_ptr(),
                1,
                cb,
                ud,
            )
        },
        unsafe {
            xerial_tx_transfer_token(
                PLAYER.as_ptr(),
                chain,
                c"0x3c499c542cef5e3811e1192ce70d8cc03d5c3359".as_ptr(),
                c"1.5".as_ptr(),
                c"0x1111111111111111111111111111111111111111".as_ptr(),
                cb,
                ud,
            )
        },
        unsafe {
            xerial_tx_custom(PLAYER.as_ptr(), chain, c"{\"type\":\"CONTRACT_EXECUTION\",\"to\":\"0x1111111111111111111111111111111111111111\",\"functionName\":\"transfer\",\"value\":0,\"inputs\":[]}".as_ptr(), cb, ud)
        },
        unsafe {
            xerial_request(
                c"GET".as_ptr(),
                c"/api/user".as_ptr(),
                std::ptr::null(),
                1,
                cb,
                ud,
            )
        },
        xerial_refresh(cb, ud),
    ];
    assert!(
        poll_until(|| ledger.total() >= 2 + more.len()),
        "all answered"
    );
    for id in ok.iter().chain(more.iter()) {
        let delivery = ledger.only(*id);
        assert_eq!(delivery.code, XERIAL_OK, "request {id}: {delivery:?}");
        assert!(
            delivery.body.starts_with('{') || delivery.body.starts_with('['),
            "{delivery:?}"
        );
    }
    let bad = unsafe { xerial_wallet_native_balance(c"0x12".as_ptr(), chain, cb, ud) };
    assert!(poll_until(|| !ledger.get(bad).is_empty()));
    let delivery = ledger.only(bad);
    assert_eq!(
        (delivery.code, delivery.message.as_str()),
        (
            XERIAL_E_INVALID_ARGUMENT,
            "address: must be 0x followed by 40 hex digits"
        )
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    std::thread::sleep(Duration::from_millis(10));
}
