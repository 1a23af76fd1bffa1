//! The re-entrancy matrix: every exported function, called from inside every kind of callback
//! the SDK runs (request callback, auth listener, log callback, a sign-in's `open_url`, a host
//! transport's `send`, a host session store's `load`, `save` and `remove`), in poll and
//! immediate mode, from that callback's thread and from a
//! second thread at the same time. Each cell runs under a
//! watchdog: a hang fails the run (it ends the process with the cell's name) instead of stalling.
//!
//! Locks held while foreign code runs are the bug class this closes: the SDK also asserts, in
//! debug builds, that no SDK lock is held whenever it calls into the game.

mod support;

use std::ffi::{c_char, c_void, CString};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use support::exclusive;
use xerial::*;
use xerial_mock::{MockServer, DEMO_PROJECT_ID};

const PLAYER: &CStr0 = c"0x1111111111111111111111111111111111111111";
const OTHER: &CStr0 = c"0x2222222222222222222222222222222222222222";
type CStr0 = std::ffi::CStr;

/// What a cell needs at hand inside callbacks (set once per test run).
struct World {
    base_url: CString,
    session: CString,
}

static WORLD: OnceLock<World> = OnceLock::new();
static DISPATCH: AtomicU64 = AtomicU64::new(0);
/// Whether the cell's SDK uses `HOST` as its transport.
static WITH_HOST: AtomicBool = AtomicBool::new(false);
/// Whether the cell's SDK keeps its session in `STORE`.
static WITH_STORE: AtomicBool = AtomicBool::new(false);
/// The cell's kind, for the store's callbacks (only the one of the cell's kind fires).
static KIND: AtomicUsize = AtomicUsize::new(0);
/// The request the cell started, for `xerial_cancel`.
static LAST_ID: AtomicU64 = AtomicU64::new(0);

fn world() -> &'static World {
    WORLD.get().expect("set by the test")
}

unsafe extern "C" fn ignore(_: *mut c_void, _: *const XerialResult) {}
unsafe extern "C" fn ignore_log(_: *mut c_void, _: i32, _: *const c_char) {}
unsafe extern "C" fn ignore_auth(_: *mut c_void, _: i32) {}
unsafe extern "C" fn ignore_url(_: *mut c_void, _: *const c_char) {}

/// A browser-wallet sign-in whose URL goes to `open_url` (nothing opens a browser).
fn sign_in(open_url: XerialOpenUrlCallback, callback: XerialCallback) -> u64 {
    let options = XerialSignInOptions {
        struct_size: std::mem::size_of::<XerialSignInOptions>() as u32,
        method: XERIAL_SIGNIN_BROWSER_WALLET,
        client_id: std::ptr::null(),
        client_secret: std::ptr::null(),
        redirect_uri: std::ptr::null(),
        timeout_ms: 0,
        open_url,
        open_url_user_data: NO,
    };
    unsafe { xerial_signin_start(&options, callback, NO) }
}

fn config() -> XerialConfig {
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    unsafe { xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
    let mut config = unsafe { config.assume_init() };
    config.base_url = world().base_url.as_ptr();
    config.marketplace_url = world().base_url.as_ptr();
    config.project_id = c"reentrancy".as_ptr();
    config.dispatch = DISPATCH.load(Ordering::SeqCst) as u32;
    config.timeout_ms = 2_000;
    if WITH_HOST.load(Ordering::SeqCst) {
        config.transport = &HOST.0;
    }
    if WITH_STORE.load(Ordering::SeqCst) {
        config.session_store = XERIAL_SESSION_STORE_HOST;
        config.session_host = &STORE.0;
    } else {
        config.session_store = XERIAL_SESSION_STORE_MEMORY;
    }
    config
}

/// A host transport whose `send` runs the cell's action, then fails the exchange (nothing sent).
static HOST: Shared = Shared(XerialTransport {
    struct_size: std::mem::size_of::<XerialTransport>() as u32,
    user_data: std::ptr::null_mut(),
    send: Some(host_send),
    cancel: None,
});

struct Shared(XerialTransport);
// SAFETY: its user_data is NULL and never used.
unsafe impl Sync for Shared {}

unsafe extern "C" fn host_send(_: *mut c_void, request: *const XerialHttpRequest) {
    let handle = unsafe { (*request).handle };
    fire();
    unsafe { xerial_http_fail(handle, XERIAL_HTTP_NOT_SENT, c"re-entrancy".as_ptr()) };
}

/// A host session store whose callbacks run the cell's action when the cell is of their kind;
/// nothing is ever stored (`load` answers "nothing stored").
static STORE: SharedStore = SharedStore(XerialSessionStore {
    struct_size: std::mem::size_of::<XerialSessionStore>() as u32,
    user_data: std::ptr::null_mut(),
    load: Some(store_load),
    save: Some(store_save),
    remove: Some(store_remove),
});

struct SharedStore(XerialSessionStore);
// SAFETY: its user_data is NULL and never used.
unsafe impl Sync for SharedStore {}

fn fire_if(kind: Kind) {
    if KIND.load(Ordering::SeqCst) == kind as usize {
        fire();
    }
}

unsafe extern "C" fn store_load(_: *mut c_void, _: *mut u8, _: usize, _: *mut usize) -> i32 {
    fire_if(Kind::StoreLoad);
    XERIAL_E_NOT_FOUND
}

unsafe extern "C" fn store_save(_: *mut c_void, _: *const c_char, _: usize) -> i32 {
    fire_if(Kind::StoreSave);
    XERIAL_OK
}

unsafe extern "C" fn store_remove(_: *mut c_void) -> i32 {
    fire_if(Kind::StoreRemove);
    XERIAL_OK
}

unsafe extern "C" fn no_block(_: *mut c_void, _: usize, _: usize) -> *mut c_void {
    std::ptr::null_mut()
}

unsafe extern "C" fn no_release(_: *mut c_void, _: *mut c_void, _: usize, _: usize) {}

/// A valid allocator, which this process can no longer take (it has allocated): the call answers
/// `XERIAL_E_ALREADY_INITIALIZED` and changes nothing.
fn too_late_allocator() -> XerialAllocator {
    XerialAllocator {
        struct_size: std::mem::size_of::<XerialAllocator>() as u32,
        user_data: NO,
        allocate: Some(no_block),
        reallocate: None,
        release: Some(no_release),
    }
}

/// One call of each exported function, with arguments that are valid for it.
type Action = fn();
const CB: XerialCallback = Some(ignore);
const NO: *mut c_void = std::ptr::null_mut();
const POLYGON: &CStr0 = c"polygon";

#[rustfmt::skip]
const ACTIONS: &[(&str, Action)] = &[
    ("xerial_abi_version", || { xerial_abi_version(); }),
    ("xerial_version", || { xerial_version(); }),
    ("xerial_code_name", || { xerial_code_name(XERIAL_E_NOT_FOUND); }),
    ("xerial_config_init", || { config(); }),
    ("xerial_set_allocator", || { unsafe { xerial_set_allocator(&too_late_allocator()) }; }),
    ("xerial_init", || { let c = config(); unsafe { xerial_init(&c) }; }),
    ("xerial_shutdown", || { xerial_shutdown(); }),
    ("xerial_poll", || { xerial_poll(0); }),
    ("xerial_cancel", || { xerial_cancel(LAST_ID.load(Ordering::SeqCst)); }),
    ("xerial_set_log_callback", || xerial_set_log_callback(Some(ignore_log), NO, XERIAL_LOG_TRACE)),
    ("xerial_set_auth_listener", || xerial_set_auth_listener(Some(ignore_auth), NO)),
    ("xerial_session_set", || { unsafe { xerial_session_set(world().session.as_ptr()) }; }),
    ("xerial_session_get", || { let mut len = 0; let mut buf = [0 as c_char; 4096]; unsafe { xerial_session_get(buf.as_mut_ptr(), buf.len(), &mut len) }; }),
    ("xerial_session_clear", || { xerial_session_clear(); }),
    ("xerial_auth_state", || { xerial_auth_state(); }),
    ("xerial_logout", || { unsafe { xerial_logout(std::ptr::null(), CB, NO) }; }),
    ("xerial_refresh", || { xerial_refresh(CB, NO); }),
    ("xerial_login_google", || { unsafe { xerial_login_google(c"test-google-id-token".as_ptr(), c"client".as_ptr(), CB, NO) }; }),
    ("xerial_request_nonce", || { unsafe { xerial_request_nonce(PLAYER.as_ptr(), CB, NO) }; }),
    ("xerial_login_wallet", || { unsafe { xerial_login_wallet(PLAYER.as_ptr(), c"0xok-reentrancy".as_ptr(), CB, NO) }; }),
    ("xerial_user_get", || { xerial_user_get(CB, NO); }),
    ("xerial_wallet_native_balance", || { unsafe { xerial_wallet_native_balance(PLAYER.as_ptr(), POLYGON.as_ptr(), CB, NO) }; }),
    ("xerial_wallet_token_balances", || { unsafe { xerial_wallet_token_balances(PLAYER.as_ptr(), POLYGON.as_ptr(), CB, NO) }; }),
    ("xerial_wallet_project_inventory", || { unsafe { xerial_wallet_project_inventory(PLAYER.as_ptr(), POLYGON.as_ptr(), std::ptr::null(), CB, NO) }; }),
    ("xerial_wallet_global_inventory", || { unsafe { xerial_wallet_global_inventory(PLAYER.as_ptr(), POLYGON.as_ptr(), CB, NO) }; }),
    ("xerial_custodial_create_user", || { unsafe { xerial_custodial_create_user(std::ptr::null(), CB, NO) }; }),
    ("xerial_custodial_create_wallet", || { unsafe { xerial_custodial_create_wallet(c"user-1".as_ptr(), CB, NO) }; }),
    ("xerial_tx_transfer_nft", || { unsafe { xerial_tx_transfer_nft(PLAYER.as_ptr(), POLYGON.as_ptr(), OTHER.as_ptr(), c"1".as_ptr(), OTHER.as_ptr(), CB, NO) }; }),
    ("xerial_tx_transfer_token", || { unsafe { xerial_tx_transfer_token(PLAYER.as_ptr(), POLYGON.as_ptr(), OTHER.as_ptr(), c"1".as_ptr(), OTHER.as_ptr(), CB, NO) }; }),
    ("xerial_tx_primary_purchase", || { unsafe { xerial_tx_primary_purchase(PLAYER.as_ptr(), POLYGON.as_ptr(), OTHER.as_ptr(), c"1".as_ptr(), 1, CB, NO) }; }),
    ("xerial_tx_secondary_purchase", || { unsafe { xerial_tx_secondary_purchase(PLAYER.as_ptr(), POLYGON.as_ptr(), c"1".as_ptr(), CB, NO) }; }),
    ("xerial_tx_list_nft", || { unsafe { xerial_tx_list_nft(PLAYER.as_ptr(), POLYGON.as_ptr(), OTHER.as_ptr(), c"1".as_ptr(), c"1".as_ptr(), CB, NO) }; }),
    ("xerial_tx_delist_nft", || { unsafe { xerial_tx_delist_nft(PLAYER.as_ptr(), POLYGON.as_ptr(), c"1".as_ptr(), CB, NO) }; }),
    ("xerial_tx_custom", || { unsafe { xerial_tx_custom(PLAYER.as_ptr(), POLYGON.as_ptr(), c"{\"to\":\"0x2222222222222222222222222222222222222222\"}".as_ptr(), CB, NO) }; }),
    ("xerial_market_collections", || { unsafe { xerial_market_collections(std::ptr::null(), CB, NO) }; }),
    ("xerial_market_primary_listings", || { unsafe { xerial_market_primary_listings(std::ptr::null(), POLYGON.as_ptr(), CB, NO) }; }),
    ("xerial_market_secondary_listings", || { unsafe { xerial_market_secondary_listings(std::ptr::null(), POLYGON.as_ptr(), std::ptr::null(), CB, NO) }; }),
    ("xerial_market_project", || { unsafe { xerial_market_project(c"demo".as_ptr(), CB, NO) }; }),
    ("xerial_signin_start", || { sign_in(Some(ignore_url), CB); }),
    ("xerial_signin_complete", || { unsafe { xerial_signin_complete(c"com.example.game:/signin?code=c&state=s".as_ptr()) }; }),
    ("xerial_request", || { unsafe { xerial_request(c"GET".as_ptr(), c"/api/user".as_ptr(), std::ptr::null(), 1, CB, NO) }; }),
    ("xerial_http_complete", || { unsafe { xerial_http_complete(u64::MAX, 200, std::ptr::null(), 0, std::ptr::null(), 0) }; }),
    ("xerial_http_fail", || { unsafe { xerial_http_fail(u64::MAX, XERIAL_HTTP_MAYBE_SENT, std::ptr::null()) }; }),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Request,
    AuthListener,
    LogCallback,
    OpenUrl,
    HostSend,
    StoreLoad,
    StoreSave,
    StoreRemove,
}

/// The action of the running cell; fired once, by the first callback of the cell's kind.
static ACTION: AtomicUsize = AtomicUsize::new(0);
static FIRED: AtomicBool = AtomicBool::new(false);
static ACTION_DONE: AtomicBool = AtomicBool::new(false);
static SECOND_GO: OnceLock<std::sync::Mutex<Option<mpsc::Sender<()>>>> = OnceLock::new();

fn fire() {
    if FIRED.swap(true, Ordering::SeqCst) {
        return;
    }
    // The second thread calls the same function at the same time.
    if let Some(go) = SECOND_GO.get().and_then(|go| go.lock().unwrap().take()) {
        let _ = go.send(());
    }
    (ACTIONS[ACTION.load(Ordering::SeqCst)].1)();
    ACTION_DONE.store(true, Ordering::SeqCst);
}

unsafe extern "C" fn on_request(_: *mut c_void, _: *const XerialResult) {
    fire();
}
unsafe extern "C" fn on_auth(_: *mut c_void, _: i32) {
    fire();
}
unsafe extern "C" fn on_log(_: *mut c_void, _: i32, _: *const c_char) {
    fire();
}
unsafe extern "C" fn on_open_url(_: *mut c_void, _: *const c_char) {
    fire();
}

/// Runs one cell: a fresh SDK in `dispatch` mode, the trigger of `kind`, `action` from inside the
/// callback and from a second thread, then shutdown. Returns how long it took.
fn cell(kind: Kind, dispatch: u32, action: usize) -> Duration {
    let started = Instant::now();
    DISPATCH.store(u64::from(dispatch), Ordering::SeqCst);
    ACTION.store(action, Ordering::SeqCst);
    FIRED.store(false, Ordering::SeqCst);
    ACTION_DONE.store(false, Ordering::SeqCst);
    let (go, wait_go) = mpsc::channel();
    *SECOND_GO.get_or_init(Default::default).lock().unwrap() = Some(go);
    let second = std::thread::spawn(move || {
        // Starts with the callback's call (or after a while, if the callback never came).
        let _ = wait_go.recv_timeout(Duration::from_secs(2));
        (ACTIONS[action].1)();
    });

    WITH_HOST.store(kind == Kind::HostSend, Ordering::SeqCst);
    WITH_STORE.store(
        matches!(kind, Kind::StoreLoad | Kind::StoreSave | Kind::StoreRemove),
        Ordering::SeqCst,
    );
    KIND.store(kind as usize, Ordering::SeqCst);
    let c = config();
    let init = unsafe { xerial_init(&c) };
    let set = unsafe { xerial_session_set(world().session.as_ptr()) };
    if kind != Kind::StoreLoad {
        assert_eq!(init, XERIAL_OK);
        assert_eq!(set, XERIAL_OK);
    }
    // (The store's load runs inside that xerial_init: its action, and the second thread's call,
    // may shut down or initialise the SDK, so init and session_set may answer anything.)
    match kind {
        // The request's exchange is handed to the host transport, which runs the action.
        Kind::Request | Kind::HostSend => {
            let id = unsafe {
                xerial_wallet_native_balance(
                    PLAYER.as_ptr(),
                    POLYGON.as_ptr(),
                    Some(on_request),
                    NO,
                )
            };
            LAST_ID.store(id, Ordering::SeqCst);
        }
        Kind::AuthListener => {
            xerial_set_auth_listener(Some(on_auth), NO);
            xerial_session_clear(); // a flip: the listener runs (in poll mode inside xerial_poll)
        }
        Kind::LogCallback => {
            xerial_set_log_callback(Some(on_log), NO, XERIAL_LOG_DEBUG);
            // Logs on this thread ("started") and, in poll mode, queues the worker's records.
            let id =
                unsafe { xerial_wallet_native_balance(PLAYER.as_ptr(), POLYGON.as_ptr(), CB, NO) };
            LAST_ID.store(id, Ordering::SeqCst);
        }
        Kind::OpenUrl => LAST_ID.store(sign_in(Some(on_open_url), CB), Ordering::SeqCst),
        Kind::StoreLoad => {}
        // xerial_session_set above: the save runs where request callbacks run.
        Kind::StoreSave => {}
        // The change is written once the save before it (if any) is done: a remove.
        Kind::StoreRemove => {
            xerial_session_clear();
        }
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    while !ACTION_DONE.load(Ordering::SeqCst) && Instant::now() < deadline {
        xerial_poll(0);
        std::thread::sleep(Duration::from_micros(200));
    }
    second.join().expect("the second thread's call returned");
    assert!(
        ACTION_DONE.load(Ordering::SeqCst),
        "the callback ran and its call returned"
    );
    xerial_set_log_callback(None, NO, 0);
    xerial_set_auth_listener(None, NO);
    xerial_shutdown();
    started.elapsed()
}

/// Every export in the header has a row in `ACTIONS`: a new function cannot skip the matrix.
#[test]
fn every_exported_function_is_in_the_matrix() {
    let header = include_str!("../include/xerial.h");
    let exported: std::collections::BTreeSet<&str> = header
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("xerial_"))
        .filter(|word| header.contains(&format!("{word}(")))
        .collect();
    let covered: std::collections::BTreeSet<&str> = ACTIONS.iter().map(|(name, _)| *name).collect();
    let missing: Vec<_> = exported.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "exports missing from the re-entrancy matrix: {missing:?}"
    );
}

#[test]
fn every_export_from_inside_every_callback_in_both_modes_never_hangs() {
    let _sdk = exclusive();
    let server = MockServer::start();
    WORLD.get_or_init(|| World {
        base_url: CString::new(server.url()).unwrap(),
        session: CString::new(server.create_session().to_string()).unwrap(),
    });
    let _ = DEMO_PROJECT_ID;
    let mut slowest = (Duration::ZERO, String::new());
    let mut cells = 0;
    for kind in [
        Kind::Request,
        Kind::AuthListener,
        Kind::LogCallback,
        Kind::OpenUrl,
        Kind::HostSend,
        Kind::StoreLoad,
        Kind::StoreSave,
        Kind::StoreRemove,
    ] {
        for dispatch in [XERIAL_DISPATCH_POLL, XERIAL_DISPATCH_IMMEDIATE] {
            for (action, (name, _)) in ACTIONS.iter().enumerate() {
                let label = format!(
                    "{kind:?} / {} / {name}",
                    if dispatch == 0 { "poll" } else { "immediate" }
                );
                let (done, finished) = mpsc::channel::<()>();
                let watched = label.clone();
                let watchdog = std::thread::spawn(move || {
                    if finished.recv_timeout(Duration::from_secs(15))
                        == Err(mpsc::RecvTimeoutError::Timeout)
                    {
                        // Not eprintln!: the test harness captures it, and exit would lose it.
                        let _ = writeln!(
                            std::io::stderr(),
                            "HANG in the re-entrancy matrix: {watched}"
                        );
                        std::process::exit(101);
                    }
                });
                let took = cell(kind, dispatch, action);
                let _ = done.send(());
                watchdog.join().unwrap();
                cells += 1;
                if took > slowest.0 {
                    slowest = (took, label);
                }
            }
        }
    }
    println!(
        "re-entrancy matrix: {cells} cells, slowest {:?} ({})",
        slowest.0, slowest.1
    );
}
