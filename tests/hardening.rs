//! The defects an outside audit proved (issue 12), each as the reproduction it reported, through
//! the C ABI: `xerial_request` reaching `/api/auth/`, the auth listener and log callback
//! deadlocking on legal sequences, a log callback re-entering the session while its file lock was
//! held, a server-chosen `Retry-After` overflowing the clock; and what the audit asked to examine:
//! sessions written after shutdown, and a refresh joined by a newer session.
//!
//! A hang fails the test instead of stalling the run: every case runs under a watchdog.

mod support;

use std::ffi::{c_char, c_void, CStr, CString};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use support::*;
use xerial::*;
use xerial_mock::{Fault, FaultRule, MockServer, SessionOptions, DEMO_PROJECT_ID};

/// Runs `case`; if it has not returned after `seconds`, reports `name` and ends the process
/// (a deadlocked thread cannot be stopped, and must not stall the test run).
fn within<T>(seconds: u64, name: &str, case: impl FnOnce() -> T) -> T {
    let (done, finished) = mpsc::channel::<()>();
    let name = name.to_owned();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(seconds))
            == Err(mpsc::RecvTimeoutError::Timeout)
        {
            let _ = writeln!(
                std::io::stderr(),
                "HANG: {name} did not finish within {seconds} s"
            );
            std::process::exit(101);
        }
    });
    let value = case();
    let _ = done.send(());
    let _ = watchdog.join();
    value
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

const PLAYER: &str = "0x1111111111111111111111111111111111111111";

fn init_with_session(server: &MockServer, tweak: impl FnOnce(&mut XerialConfig)) -> CString {
    assert_eq!(init(&server.url(), tweak), XERIAL_OK);
    let pair = c(&server.create_session().to_string());
    assert_eq!(unsafe { xerial_session_set(pair.as_ptr()) }, XERIAL_OK);
    pair
}

#[test]
fn xerial_request_never_reaches_auth_routes_however_the_path_is_written() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = Box::leak(Box::new(Ledger::default()));
    init_with_session(&server, |_| {});
    let paths = [
        "/api\\auth\\refresh-tokens",
        "/api/au\tth/metamask",
        "/api/x/..\\auth/logout",
        "/api/auth%2flogout",
        "/api%2Fauth%2Frefresh-tokens",
        "/api/auth%252flogout",
        "/api/x/%2e%2e/auth/logout",
        "/API/Auth/logout",
    ];
    for path in paths {
        let path = c(path);
        let id = unsafe {
            xerial_request(
                c"POST".as_ptr(),
                path.as_ptr(),
                c"{}".as_ptr(),
                1,
                Some(record),
                ledger.user_data(),
            )
        };
        assert_ne!(id, 0);
        assert!(poll_until(|| !ledger.get(id).is_empty()));
        let delivery = ledger.only(id);
        assert_eq!(
            delivery.code, XERIAL_E_INVALID_ARGUMENT,
            "{path:?}: {delivery:?}"
        );
    }
    let auth_requests: u64 = server
        .requests()
        .iter()
        .filter(|r| r.path.to_ascii_lowercase().contains("auth"))
        .map(|r| r.count)
        .sum();
    assert_eq!(
        auth_requests,
        0,
        "nothing went to an auth route: {:?}",
        server.requests()
    );
}

// ---- the auth listener ------------------------------------------------------------------

static LISTENER_CALLS: AtomicUsize = AtomicUsize::new(0);
static LISTENER_RUNNING: AtomicBool = AtomicBool::new(false);

/// (a) On its first call: shuts the SDK down (which delivers the queued LOGGED_OUT nested, into
/// this same listener) and then removes itself.
unsafe extern "C" fn listener_shuts_down_then_unsets(_: *mut c_void, _state: i32) {
    if LISTENER_CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
        assert_eq!(xerial_shutdown(), XERIAL_OK);
        xerial_set_auth_listener(None, std::ptr::null_mut());
    }
}

#[test]
fn the_auth_listener_may_shut_down_and_then_unset_itself() {
    let _sdk = exclusive();
    let server = MockServer::start();
    within(20, "listener: shutdown then unset", || {
        LISTENER_CALLS.store(0, Ordering::SeqCst);
        xerial_set_auth_listener(Some(listener_shuts_down_then_unsets), std::ptr::null_mut());
        init_with_session(&server, |_| {});
        assert_eq!(xerial_session_clear(), XERIAL_OK); // queues LOGGED_OUT behind LOGGED_IN
        xerial_poll(0);
        assert_eq!(
            LISTENER_CALLS.load(Ordering::SeqCst),
            2,
            "LOGGED_IN, then LOGGED_OUT nested"
        );
        // Removed: a later flip calls nothing.
        init_with_session(&server, |_| {});
        poll_until(|| false);
        assert_eq!(LISTENER_CALLS.load(Ordering::SeqCst), 2);
        xerial_shutdown();
    });
}

/// (b) Signals that it runs, waits until another thread is replacing it, then shuts down.
unsafe extern "C" fn listener_shuts_down_while_replaced(_: *mut c_void, _state: i32) {
    if LISTENER_CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
        LISTENER_RUNNING.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200)); // the other thread now replaces us
        assert_eq!(xerial_shutdown(), XERIAL_OK);
    }
}

unsafe extern "C" fn listener_counts(_: *mut c_void, _state: i32) {
    LISTENER_CALLS.fetch_add(100, Ordering::SeqCst);
}

#[test]
fn replacing_the_auth_listener_from_another_thread_while_it_shuts_down_does_not_hang() {
    let _sdk = exclusive();
    let server = MockServer::start();
    within(
        20,
        "listener: replaced by another thread while shutting down",
        || {
            LISTENER_CALLS.store(0, Ordering::SeqCst);
            LISTENER_RUNNING.store(false, Ordering::SeqCst);
            xerial_set_auth_listener(
                Some(listener_shuts_down_while_replaced),
                std::ptr::null_mut(),
            );
            init_with_session(&server, |_| {});
            assert_eq!(xerial_session_clear(), XERIAL_OK);
            let replacer = std::thread::spawn(|| {
                while !LISTENER_RUNNING.load(Ordering::SeqCst) {
                    std::thread::yield_now();
                }
                // Waits until the running listener returned, then it is never called again.
                xerial_set_auth_listener(Some(listener_counts), std::ptr::null_mut());
            });
            xerial_poll(0);
            replacer.join().unwrap();
            // The nested LOGGED_OUT went to whichever listener was set when it was delivered.
            let calls = LISTENER_CALLS.load(Ordering::SeqCst);
            assert!(calls == 2 || calls == 101, "{calls}");
            xerial_set_auth_listener(None, std::ptr::null_mut());
        },
    );
}

// ---- the log callback -------------------------------------------------------------------

static LOG_REENTERED: AtomicUsize = AtomicUsize::new(0);

/// On the record of a failed session save: clears, re-sets and logs the session out, then
/// replaces itself — all from inside the log callback, while the SDK is saving.
unsafe extern "C" fn log_reenters_the_session(_: *mut c_void, _level: i32, message: *const c_char) {
    let message = unsafe { CStr::from_ptr(message) }.to_string_lossy();
    if message.contains("could not update the session in the plain file")
        && LOG_REENTERED.fetch_add(1, Ordering::SeqCst) == 0
    {
        assert_eq!(xerial_session_clear(), XERIAL_OK);
        let pair = CString::new(std::env::var("HARDENING_PAIR").unwrap()).unwrap();
        assert_eq!(unsafe { xerial_session_set(pair.as_ptr()) }, XERIAL_OK);
        assert_ne!(
            unsafe { xerial_logout(std::ptr::null(), Some(record), LEDGER.user_data()) },
            0
        );
        xerial_set_log_callback(None, std::ptr::null_mut(), 0);
    }
}

static LEDGER: std::sync::LazyLock<Ledger> = std::sync::LazyLock::new(Ledger::default);

#[test]
fn a_log_callback_may_reenter_the_session_while_it_is_being_saved() {
    let _sdk = exclusive();
    let server = MockServer::start();
    within(
        20,
        "log callback re-entering the session during a failed save",
        || {
            LOG_REENTERED.store(0, Ordering::SeqCst);
            let pair = server.create_session().to_string();
            std::env::set_var("HARDENING_PAIR", &pair);
            let path = c("/nonexistent-dir/xerial/session.json");
            assert_eq!(
                init(&server.url(), |cfg| cfg.session_path = path.as_ptr()),
                XERIAL_OK
            );
            xerial_set_log_callback(
                Some(log_reenters_the_session),
                std::ptr::null_mut(),
                XERIAL_LOG_WARN,
            );
            let pair = c(&pair);
            assert_eq!(unsafe { xerial_session_set(pair.as_ptr()) }, XERIAL_OK);
            assert!(
                LOG_REENTERED.load(Ordering::SeqCst) >= 1,
                "the failed save was logged"
            );
            assert_eq!(
                xerial_auth_state(),
                XERIAL_AUTH_LOGGED_OUT,
                "the callback's logout cleared it"
            );
            xerial_set_log_callback(None, std::ptr::null_mut(), 0);
            xerial_shutdown();
        },
    );
}

// ---- numbers the server chooses ---------------------------------------------------------

#[test]
fn a_huge_retry_after_is_the_servers_answer_not_an_internal_error() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = Box::leak(Box::new(Ledger::default()));
    let path = format!("/api/wallet/{PLAYER}/polygon/eth");
    server.add_fault(FaultRule::new(
        "GET",
        &path,
        Fault::status(503).retry_after(u64::MAX),
    ));
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let (address, chain) = (c(PLAYER), c("polygon"));
    let id = unsafe {
        xerial_wallet_native_balance(
            address.as_ptr(),
            chain.as_ptr(),
            Some(record),
            ledger.user_data(),
        )
    };
    assert!(poll_until(|| !ledger.get(id).is_empty()));
    let delivery = ledger.only(id);
    assert_eq!(
        (delivery.code, delivery.http_status),
        (XERIAL_E_SERVER, 503),
        "{delivery:?}"
    );
    assert_eq!(
        server.request_count("GET", &path),
        1,
        "a 24 h Retry-After outlasts the deadline: no retry"
    );
}

// ---- sessions and shutdown --------------------------------------------------------------

#[test]
fn a_login_stopped_by_shutdown_never_writes_the_session_file() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = Box::leak(Box::new(Ledger::default()));
    let dir = std::env::temp_dir().join(format!("xerial-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("session.json");
    let _ = std::fs::remove_file(&file);
    let (path, project) = (c(file.to_str().unwrap()), c(DEMO_PROJECT_ID));
    server.add_fault(FaultRule::new(
        "POST",
        "/api/auth/metamask",
        Fault::delay(300),
    ));
    let config = |cfg: &mut XerialConfig| {
        cfg.session_path = path.as_ptr();
        cfg.project_id = project.as_ptr();
    };
    assert_eq!(init(&server.url(), config), XERIAL_OK);
    let (address, signature) = (c(PLAYER), c("0xok-hardening"));
    let id = unsafe {
        xerial_login_wallet(
            address.as_ptr(),
            signature.as_ptr(),
            Some(record),
            ledger.user_data(),
        )
    };
    std::thread::sleep(Duration::from_millis(100)); // sent, waiting for the answer
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(ledger.only(id).code, XERIAL_E_SHUTDOWN);
    std::thread::sleep(Duration::from_millis(500)); // the server answers meanwhile
    assert!(
        !file.exists(),
        "a login reported SHUTDOWN persisted its session"
    );
    assert_eq!(init(&server.url(), config), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();
}

#[test]
fn a_refresh_left_by_cancelled_callers_is_not_joined_by_a_newer_session() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = Box::leak(Box::new(Ledger::default()));
    let expired = SessionOptions {
        access_ttl_secs: Some(-60),
        ..SessionOptions::default()
    };
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    // Session A needs a refresh; its only caller is cancelled while the refresh waits.
    server
        .add_fault(FaultRule::new("POST", "/api/auth/refresh-tokens", Fault::delay(400)).times(1));
    let a = c(&server.create_session_with(&expired).to_string());
    assert_eq!(unsafe { xerial_session_set(a.as_ptr()) }, XERIAL_OK);
    let first = xerial_user_get(Some(record), ledger.user_data());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(xerial_cancel(first), XERIAL_OK);
    // A new session B (also due for a refresh) must get its own refresh.
    let b = c(&server.create_session_with(&expired).to_string());
    assert_eq!(unsafe { xerial_session_set(b.as_ptr()) }, XERIAL_OK);
    let second = xerial_user_get(Some(record), ledger.user_data());
    assert!(poll_until(|| !ledger.get(second).is_empty()));
    let delivery = ledger.only(second);
    assert_eq!(delivery.code, XERIAL_OK, "{delivery:?}");
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
}
