//! The dispatch promises of the C ABI (contract §2–§3), called exactly as C calls them.

mod support;

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use support::{exclusive, init, logout, poll_until, record, Ledger};
use xerial::*;
use xerial_mock::{Fault, FaultRule, MockServer};

const LOGOUT: &str = "/api/auth/logout";

fn leak_ledger() -> &'static Ledger {
    // Callbacks may outlive a failed assertion; a leaked ledger can never dangle.
    Box::leak(Box::default())
}

#[test]
fn before_init_calls_return_their_documented_values() {
    let _sdk = exclusive();
    let ledger = leak_ledger();
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(logout("tok", ledger), 0);
    assert_eq!(xerial_poll(0), 0);
    assert_eq!(xerial_cancel(123), XERIAL_E_NOT_FOUND);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    assert_eq!(xerial_session_clear(), XERIAL_E_NOT_INITIALIZED);
    assert_eq!(ledger.total(), 0);
}

#[test]
fn init_twice_and_bad_urls_are_refused() {
    let _sdk = exclusive();
    for bad in ["ftp://x", "not a url", "http://example.com"] {
        assert_eq!(init(bad, |_| {}), XERIAL_E_INVALID_ARGUMENT, "{bad}");
        assert_eq!(
            logout("tok", leak_ledger()),
            0,
            "still uninitialised after {bad}"
        );
    }
    assert_eq!(
        init("http://127.0.0.1:1", |c| c.struct_size = 8),
        XERIAL_E_INVALID_ARGUMENT
    );
    assert_eq!(init("http://127.0.0.1:1", |_| {}), XERIAL_OK);
    assert_eq!(
        init("http://127.0.0.1:1", |_| {}),
        XERIAL_E_ALREADY_INITIALIZED
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn callbacks_run_only_inside_poll_on_the_polling_thread() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let token = server.create_session()["refresh"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = logout(&token, ledger);
    assert_ne!(id, 0);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(ledger.total(), 0, "nothing runs before xerial_poll");
    assert!(poll_until(|| ledger.total() == 1));
    let delivery = ledger.only(id);
    assert_eq!((delivery.code, delivery.http_status), (XERIAL_OK, 204));
    assert_eq!(
        (delivery.message.as_str(), delivery.body.as_str()),
        ("", "")
    );
    assert_eq!(delivery.thread, std::thread::current().id());
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn a_null_callback_returns_zero_and_sends_nothing() {
    let _sdk = exclusive();
    let server = MockServer::start();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let id = unsafe { xerial_logout(c"tok".as_ptr(), None, std::ptr::null_mut()) };
    assert_eq!(id, 0);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.request_count("POST", LOGOUT), 0);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn shutdown_delivers_every_owed_callback_before_it_returns() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let answered = logout("unknown-token", ledger); // 404, queued but never polled
    while server.request_count("POST", LOGOUT) < 1 {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::hang()));
    let in_flight: Vec<u64> = (0..5).map(|_| logout("tok", ledger)).collect();
    assert_eq!(ledger.total(), 0);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(
        ledger.only(answered).code,
        XERIAL_E_NOT_FOUND,
        "a queued result keeps its real code"
    );
    for id in &in_flight {
        let delivery = ledger.only(*id);
        assert_eq!(delivery.code, XERIAL_E_SHUTDOWN);
        assert_eq!(delivery.thread, std::thread::current().id());
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(xerial_poll(0), 0);
    assert_eq!(ledger.total(), 6, "nothing after shutdown returned");
}

#[test]
fn cancel_stops_a_request_once() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::hang()));
    let id = logout("tok", ledger);
    assert_eq!(xerial_cancel(id), XERIAL_OK);
    assert_eq!(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    assert_eq!(xerial_cancel(u64::MAX), XERIAL_E_NOT_FOUND);
    assert_eq!(ledger.total(), 0, "cancel never runs a callback itself");
    assert!(poll_until(|| ledger.total() == 1));
    assert_eq!(ledger.only(id).code, XERIAL_E_CANCELLED);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(ledger.total(), 1);
}

#[test]
fn request_ids_are_never_reused_across_generations() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
        for _ in 0..5 {
            assert!(seen.insert(logout("tok", ledger)));
        }
        assert_eq!(xerial_shutdown(), XERIAL_OK);
    }
    assert!(!seen.contains(&0));
    assert_eq!(
        ledger.total(),
        100,
        "every call answered once, by poll or by shutdown"
    );
}

unsafe extern "C" fn shutdown_inside(user_data: *mut c_void, result: *const XerialResult) {
    unsafe { record(user_data, result) };
    assert_eq!(xerial_poll(0), 0, "poll from inside a callback returns 0");
    assert_eq!(xerial_shutdown(), XERIAL_OK);
}

#[test]
fn shutdown_from_inside_a_callback_delivers_the_rest_nested() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let first = unsafe {
        xerial_logout(
            c"unknown".as_ptr(),
            Some(shutdown_inside),
            ledger.user_data(),
        )
    };
    // Wait without polling: the first callback (which shuts down) must run only later.
    while server.request_count("POST", LOGOUT) < 1 {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::hang()));
    let rest: Vec<u64> = (0..3).map(|_| logout("tok", ledger)).collect();
    assert!(poll_until(|| ledger.total() == 4));
    assert_eq!(ledger.only(first).code, XERIAL_E_NOT_FOUND);
    for id in rest {
        assert_eq!(ledger.only(id).code, XERIAL_E_SHUTDOWN);
    }
    assert_eq!(logout("tok", ledger), 0, "shut down");
}

static SLOW_CALLBACK_DONE: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn slow(user_data: *mut c_void, result: *const XerialResult) {
    std::thread::sleep(Duration::from_millis(300));
    unsafe { record(user_data, result) };
    SLOW_CALLBACK_DONE.store(true, Ordering::SeqCst);
}

#[test]
fn immediate_mode_runs_on_workers_and_shutdown_waits_for_them() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(
        init(&server.url(), |c| c.dispatch = XERIAL_DISPATCH_IMMEDIATE),
        XERIAL_OK
    );
    let id = logout("unknown", ledger);
    let deadline = Instant::now() + Duration::from_secs(5);
    while ledger.total() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    let delivery = ledger.only(id);
    assert_eq!(delivery.code, XERIAL_E_NOT_FOUND);
    assert_ne!(delivery.thread, std::thread::current().id());
    assert_eq!(xerial_poll(0), 0);

    SLOW_CALLBACK_DONE.store(false, Ordering::SeqCst);
    unsafe { xerial_logout(c"unknown".as_ptr(), Some(slow), ledger.user_data()) };
    while server.request_count("POST", LOGOUT) < 2 {
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(50)); // the slow callback is running now
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert!(
        SLOW_CALLBACK_DONE.load(Ordering::SeqCst),
        "shutdown returned while a callback ran"
    );
}

#[test]
fn every_call_is_answered_exactly_once_under_concurrent_cancel_poll_and_shutdown() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    static LAST_ID: AtomicU64 = AtomicU64::new(0);
    for round in 0..5 {
        assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
        server.add_fault(FaultRule::new("POST", LOGOUT, Fault::delay(5 + round * 3)));
        let issued: Vec<u64> = std::thread::scope(|scope| {
            let issuers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        (0..100)
                            .map(|_| {
                                let id = logout("tok", ledger);
                                LAST_ID.store(id, Ordering::Relaxed);
                                id
                            })
                            .collect::<Vec<u64>>()
                    })
                })
                .collect();
            let canceller = scope.spawn(|| {
                for _ in 0..200 {
                    let _ = xerial_cancel(LAST_ID.load(Ordering::Relaxed));
                    std::thread::yield_now();
                }
            });
            for _ in 0..50 {
                xerial_poll(7);
                std::thread::sleep(Duration::from_millis(1));
            }
            canceller.join().unwrap();
            issuers
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        assert_eq!(xerial_shutdown(), XERIAL_OK);
        for id in &issued {
            assert_ne!(*id, 0);
            let code = ledger.only(*id).code;
            assert!(
                [XERIAL_E_NOT_FOUND, XERIAL_E_CANCELLED, XERIAL_E_SHUTDOWN].contains(&code),
                "unexpected code {code}"
            );
        }
        server.clear_faults();
    }
    let total = ledger.total();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(xerial_poll(0), 0);
    assert_eq!(ledger.total(), total, "no callback after shutdown");
    assert_eq!(ledger.ids().len(), 2_000);
}
