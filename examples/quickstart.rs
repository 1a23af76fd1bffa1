//! The demo: a game loop driving the C ABI against the offline Xerial server.
//!
//! Run it with `cargo run --release --example quickstart`. It starts the offline server
//! in-process, initialises the SDK the way an engine does, and calls `xerial_poll` once per
//! "frame" so every callback runs on this (the game) thread, printing each call and its result.

use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use xerial::*;
use xerial_mock::MockServer;

/// Callbacks still owed; the frame loop runs until it is 0.
static OUTSTANDING: AtomicUsize = AtomicUsize::new(0);

fn text(p: *const c_char) -> String {
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The one completion callback of the demo; `user_data` is the call's label.
unsafe extern "C" fn on_result(user_data: *mut c_void, result: *const XerialResult) {
    let label = text(user_data as *const c_char);
    let r = unsafe { &*result };
    println!(
        "  <- {label}: #{} {} (HTTP {}) message={:?} body={:?}",
        r.request_id,
        text(xerial_code_name(r.code)),
        r.http_status,
        text(r.message),
        text(r.body)
    );
    OUTSTANDING.fetch_sub(1, Ordering::SeqCst);
}

unsafe extern "C" fn on_log(_user_data: *mut c_void, level: i32, message: *const c_char) {
    println!("     [sdk log {level}] {}", text(message));
}

/// Issues a call the way a game does and counts the callback it is owed.
fn call(label: &'static CStr, issue: impl FnOnce(*mut c_void) -> XerialRequestId) {
    let id = issue(label.as_ptr() as *mut c_void);
    println!("  -> {}: request #{id}", label.to_string_lossy());
    if id != 0 {
        OUTSTANDING.fetch_add(1, Ordering::SeqCst);
    }
}

/// The game loop: one `xerial_poll` per 16 ms frame until every callback ran.
fn run_frames() {
    let started = Instant::now();
    let mut frames = 0;
    while OUTSTANDING.load(Ordering::SeqCst) > 0 && started.elapsed() < Duration::from_secs(10) {
        frames += 1;
        xerial_poll(0);
        std::thread::sleep(Duration::from_millis(16));
    }
    println!("  ({frames} frame(s))");
}

fn main() {
    let server = MockServer::start();
    println!("offline Xerial server at {}", server.url());
    println!("xerial {} (ABI {:#x})", text(xerial_version()), xerial_abi_version());
    xerial_set_log_callback(Some(on_log), std::ptr::null_mut(), XERIAL_LOG_INFO);

    let url = CString::new(server.url()).expect("url");
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    let code = unsafe {
        xerial_config_default(config.as_mut_ptr());
        let mut config = config.assume_init();
        config.base_url = url.as_ptr();
        xerial_init(&config)
    };
    println!("xerial_init -> {}", text(xerial_code_name(code)));

    // The offline server hands out a player session as Xerial's hosted login page would.
    let tokens = CString::new(server.create_session().to_string()).expect("json");
    let code = unsafe { xerial_session_set(tokens.as_ptr()) };
    println!("xerial_session_set -> {}; auth state {}", text(xerial_code_name(code)), xerial_auth_state());

    println!("logout of the current session (NULL token):");
    call(c"logout", |ud| unsafe { xerial_logout(std::ptr::null(), Some(on_result), ud) });
    println!("  auth state right after the call: {} (cleared before the answer)", xerial_auth_state());
    run_frames();

    println!("logout again with an unknown token:");
    call(c"logout-unknown", |ud| unsafe { xerial_logout(c"not-a-real-token".as_ptr(), Some(on_result), ud) });
    run_frames();

    println!("logout with no session:");
    call(c"logout-no-session", |ud| unsafe { xerial_logout(std::ptr::null(), Some(on_result), ud) });
    run_frames();

    println!("xerial_shutdown -> {}", text(xerial_code_name(xerial_shutdown())));
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);
}
