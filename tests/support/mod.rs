//! Shared by the FFI tests: a ledger of every callback the SDK delivered, and SDK set-up.
#![allow(dead_code)] // Each test binary uses a different part of it.

use std::collections::HashMap;
use std::ffi::{c_void, CStr, CString};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;

use xerial::*;

pub mod leaks;
pub mod oauth;
pub mod signin;

/// The SDK is one per process: tests that touch it take this lock.
static SDK: Mutex<()> = Mutex::new(());

/// Exclusive use of the SDK for one test; shuts it down when dropped, so that a failed
/// assertion leaves the next test a clean SDK.
pub struct Exclusive(#[allow(dead_code)] MutexGuard<'static, ()>);

impl Drop for Exclusive {
    fn drop(&mut self) {
        xerial_shutdown();
    }
}

pub fn exclusive() -> Exclusive {
    Exclusive(SDK.lock().unwrap_or_else(PoisonError::into_inner))
}

/// One delivered callback.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub code: i32,
    pub http_status: i32,
    pub message: String,
    pub body: String,
    pub thread: ThreadId,
}

/// Every callback delivered, by request id. Passed as `user_data`.
#[derive(Default)]
pub struct Ledger {
    deliveries: Mutex<HashMap<u64, Vec<Delivery>>>,
}

impl Ledger {
    pub fn user_data(&self) -> *mut c_void {
        self as *const Ledger as *mut c_void
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Vec<Delivery>>> {
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn get(&self, id: u64) -> Vec<Delivery> {
        self.lock().get(&id).cloned().unwrap_or_default()
    }

    pub fn only(&self, id: u64) -> Delivery {
        let got = self.get(id);
        assert_eq!(
            got.len(),
            1,
            "request {id} delivered {} times: {got:?}",
            got.len()
        );
        got[0].clone()
    }

    pub fn total(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    pub fn ids(&self) -> Vec<u64> {
        self.lock().keys().copied().collect()
    }
}

/// The callback every test passes: records into the `Ledger` behind `user_data`.
pub unsafe extern "C" fn record(user_data: *mut c_void, result: *const XerialResult) {
    let ledger = unsafe { &*(user_data as *const Ledger) };
    let result = unsafe { &*result };
    let text = |p| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    let delivery = Delivery {
        code: result.code,
        http_status: result.http_status,
        message: text(result.message),
        body: text(result.body),
        thread: std::thread::current().id(),
    };
    assert_eq!(result.body_len, delivery.body.len());
    ledger
        .lock()
        .entry(result.request_id)
        .or_default()
        .push(delivery);
}

/// Initialises the SDK against `base_url` with `tweak` applied to the default config. The
/// session stays in memory unless `tweak` names a file or a store: the default (the OS's store,
/// per user) would carry sessions from one test into the next, and into the developer's own
/// keyring.
pub fn init(base_url: &str, tweak: impl FnOnce(&mut XerialConfig)) -> i32 {
    init_as_configured(base_url, |config| {
        tweak(config);
        if config.session_store == XERIAL_SESSION_STORE_DEFAULT && config.session_path.is_null() {
            config.session_store = XERIAL_SESSION_STORE_MEMORY;
        }
    })
}

/// As `init`, with the session store exactly as configured (the default's too).
pub fn init_as_configured(base_url: &str, tweak: impl FnOnce(&mut XerialConfig)) -> i32 {
    let url = CString::new(base_url).unwrap();
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    unsafe { xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
    let mut config = unsafe { config.assume_init() };
    config.base_url = url.as_ptr();
    config.timeout_ms = 5_000;
    tweak(&mut config);
    unsafe { xerial_init(&config) }
}

/// A host transport that refuses every exchange at once (nothing left the device).
struct Refusing(XerialTransport);
// SAFETY: its user_data is NULL and never used.
unsafe impl Sync for Refusing {}

static REFUSING: Refusing = Refusing(XerialTransport {
    struct_size: std::mem::size_of::<XerialTransport>() as u32,
    user_data: std::ptr::null_mut(),
    send: Some(refuse),
    cancel: None,
});

unsafe extern "C" fn refuse(_: *mut c_void, request: *const XerialHttpRequest) {
    let handle = unsafe { (*request).handle };
    unsafe {
        xerial_http_fail(
            handle,
            XERIAL_HTTP_NOT_SENT,
            c"refused by the test".as_ptr(),
        )
    };
}

/// A config `tweak`: no SDK thread (`XERIAL_RUN_IN_POLL`, which needs a host transport: one
/// that refuses every exchange).
pub fn without_sdk_threads(config: &mut XerialConfig) {
    config.run_mode = XERIAL_RUN_IN_POLL;
    config.transport = &REFUSING.0;
}

/// Polls until `done` holds or five seconds pass.
pub fn poll_until(mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        xerial_poll(0);
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    done()
}

pub fn logout(token: &str, ledger: &Ledger) -> u64 {
    let token = CString::new(token).unwrap();
    unsafe { xerial_logout(token.as_ptr(), Some(record), ledger.user_data()) }
}
