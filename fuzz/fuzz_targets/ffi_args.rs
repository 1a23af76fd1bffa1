//! The C ABI's argument conversion on arbitrary input, called exactly as C calls it.
//!
//! Each iteration: (1) `xerial_init` with an arbitrary configuration (strings, `struct_size`,
//! dispatch, numbers; never `session_path`, which would write files), then session functions,
//! cancels, code names and asynchronous calls with a NULL callback (which must return 0 and
//! send nothing), then `xerial_shutdown`; (2) `xerial_init` against a closed loopback port
//! (`http://127.0.0.1:9`: nothing but refused connections) and asynchronous calls with arbitrary
//! string arguments and a real callback, then `xerial_shutdown`, after which every non-zero id
//! must have had exactly one callback. The SDK is shut down at the end of every iteration.
#![no_main]

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::{Mutex, Once};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xerial::*;

/// A C string argument: NULL, arbitrary bytes (cut at their first NUL, as C would), or a long
/// run around the 64 KiB limit.
#[derive(Arbitrary, Debug)]
enum Arg {
    Null,
    Bytes(Vec<u8>),
    Long { extra: u8, fill: u8 },
}

impl Arg {
    fn to_c(&self) -> Option<CString> {
        match self {
            Arg::Null => None,
            Arg::Bytes(bytes) => {
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                Some(CString::new(&bytes[..end]).unwrap())
            }
            Arg::Long { extra, fill } => {
                let len = 65_530 + usize::from(*extra % 12);
                Some(CString::new(vec![(*fill).max(1); len]).unwrap())
            }
        }
    }
}

fn ptr(arg: &Option<CString>) -> *const c_char {
    arg.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

#[derive(Arbitrary, Debug)]
struct Config {
    struct_size: u32,
    base_url: Arg,
    marketplace_url: Arg,
    project_id: Arg,
    timeout_ms: u32,
    connect_timeout_ms: u32,
    dispatch: u32,
    max_retries: u8,
    allow_insecure_http: u8,
    extra_root_ca_pem: Arg,
    proxy_url: Arg,
}

#[derive(Arbitrary, Debug)]
enum Op {
    SessionSet(Arg),
    SessionGet {
        cap: u16,
        null_buf: bool,
    },
    SessionClear,
    AuthState,
    Cancel(u64),
    CancelRecent(u8),
    CodeName(i32),
    Poll(u8),
    Call {
        which: u8,
        args: [Arg; 5],
        quantity: u32,
        needs_player: u8,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    config: Config,
    before: Vec<Op>,
    immediate: bool,
    after: Vec<Op>,
}

/// Callbacks per request id in the current iteration.
static SEEN: Mutex<Option<HashMap<u64, u32>>> = Mutex::new(None);

unsafe extern "C" fn on_result(_user_data: *mut c_void, result: *const XerialResult) {
    let result = unsafe { &*result };
    assert!(!result.message.is_null() && !result.body.is_null());
    let body = unsafe { CStr::from_ptr(result.body) };
    assert_eq!(body.to_bytes().len(), result.body_len);
    let name = unsafe { CStr::from_ptr(xerial_code_name(result.code)) };
    assert_ne!(
        name.to_bytes(),
        b"XERIAL_E_UNKNOWN",
        "unknown code {}",
        result.code
    );
    let mut seen = SEEN.lock().unwrap();
    *seen
        .get_or_insert_with(HashMap::new)
        .entry(result.request_id)
        .or_default() += 1;
}

/// Calls asynchronous function `which` with `args`; returns its id.
fn call(which: u8, args: &[Arg; 5], quantity: u32, needs_player: u8, cb: XerialCallback) -> u64 {
    let c: Vec<Option<CString>> = args.iter().map(Arg::to_c).collect();
    let (a, b, d, e, f) = (ptr(&c[0]), ptr(&c[1]), ptr(&c[2]), ptr(&c[3]), ptr(&c[4]));
    let ud = std::ptr::null_mut();
    unsafe {
        match which % 24 {
            0 => xerial_logout(a, cb, ud),
            1 => xerial_login_google(a, b, cb, ud),
            2 => xerial_request_nonce(a, cb, ud),
            3 => xerial_login_wallet(a, b, cb, ud),
            4 => xerial_refresh(cb, ud),
            5 => xerial_user_get(cb, ud),
            6 => xerial_wallet_native_balance(a, b, cb, ud),
            7 => xerial_wallet_token_balances(a, b, cb, ud),
            8 => xerial_wallet_project_inventory(a, b, d, cb, ud),
            9 => xerial_wallet_global_inventory(a, b, cb, ud),
            10 => xerial_custodial_create_user(a, cb, ud),
            11 => xerial_custodial_create_wallet(a, cb, ud),
            12 => xerial_tx_transfer_nft(a, b, d, e, f, cb, ud),
            13 => xerial_tx_transfer_token(a, b, d, e, f, cb, ud),
            14 => xerial_tx_primary_purchase(a, b, d, e, quantity, cb, ud),
            15 => xerial_tx_secondary_purchase(a, b, d, cb, ud),
            16 => xerial_tx_list_nft(a, b, d, e, f, cb, ud),
            17 => xerial_tx_delist_nft(a, b, d, cb, ud),
            18 => xerial_tx_custom(a, b, d, cb, ud),
            19 => xerial_market_collections(a, cb, ud),
            20 => xerial_market_primary_listings(a, b, cb, ud),
            21 => xerial_market_secondary_listings(a, b, d, cb, ud),
            22 => xerial_market_project(a, cb, ud),
            _ => xerial_request(a, b, d, needs_player, cb, ud),
        }
    }
}

/// Runs `ops`; with `cb` NULL, or not `initialised`, every call must return 0. Returns the
/// non-zero ids.
fn run(ops: &[Op], cb: XerialCallback, initialised: bool) -> Vec<u64> {
    let down = |code: i32, what: &str| {
        if !initialised {
            assert_eq!(code, XERIAL_E_NOT_INITIALIZED, "{what} before init");
        }
    };
    let mut ids = Vec::new();
    for op in ops {
        match op {
            Op::SessionSet(arg) => {
                let arg = arg.to_c();
                let code = unsafe { xerial_session_set(ptr(&arg)) };
                down(code, "session_set");
                assert!(
                    code == XERIAL_OK
                        || code == XERIAL_E_INVALID_ARGUMENT
                        || code == XERIAL_E_NOT_INITIALIZED,
                    "set: {code}"
                );
            }
            Op::SessionGet { cap, null_buf } => {
                let mut buf = vec![0u8; usize::from(*cap)];
                let mut len = usize::MAX;
                let p = if *null_buf {
                    std::ptr::null_mut()
                } else {
                    buf.as_mut_ptr().cast()
                };
                let cap = if *null_buf { 0 } else { buf.len() };
                let code = unsafe { xerial_session_get(p, cap, &mut len) };
                down(code, "session_get");
                match code {
                    XERIAL_OK => {
                        assert!(len >= 1 && len <= cap && buf[len - 1] == 0);
                        assert!(buf[..len - 1].iter().all(|&b| b != 0));
                    }
                    XERIAL_E_BUFFER_TOO_SMALL => assert!(len > cap),
                    XERIAL_E_NOT_LOGGED_IN
                    | XERIAL_E_INVALID_ARGUMENT
                    | XERIAL_E_NOT_INITIALIZED => {}
                    other => panic!("session_get: {other}"),
                }
            }
            Op::SessionClear => {
                let code = xerial_session_clear();
                down(code, "session_clear");
                assert!(code == XERIAL_OK || code == XERIAL_E_NOT_INITIALIZED);
            }
            Op::AuthState => {
                let state = xerial_auth_state();
                assert!(state == XERIAL_AUTH_LOGGED_IN || state == XERIAL_AUTH_LOGGED_OUT);
                assert!(initialised || state == XERIAL_AUTH_LOGGED_OUT);
            }
            Op::Cancel(id) => {
                let code = xerial_cancel(*id);
                assert!(code == XERIAL_OK || code == XERIAL_E_NOT_FOUND);
                if cb.is_none() || !initialised || !ids.contains(id) {
                    assert_eq!(code, XERIAL_E_NOT_FOUND, "cancel of an id never given");
                }
            }
            Op::CancelRecent(n) => {
                if let Some(&id) = ids.get(usize::from(*n) % ids.len().max(1)) {
                    let code = xerial_cancel(id);
                    assert!(code == XERIAL_OK || code == XERIAL_E_NOT_FOUND);
                }
            }
            Op::CodeName(code) => {
                let name = unsafe { CStr::from_ptr(xerial_code_name(*code)) };
                assert!(name.to_bytes().starts_with(b"XERIAL_"));
            }
            Op::Poll(n) => {
                let ran = xerial_poll(u32::from(*n));
                assert!(initialised || ran == 0);
            }
            Op::Call {
                which,
                args,
                quantity,
                needs_player,
            } => {
                let id = call(*which, args, *quantity, *needs_player, cb);
                if cb.is_none() || !initialised {
                    assert_eq!(id, 0, "a NULL callback, or no init, gets 0");
                } else if id != 0 {
                    assert!(!ids.contains(&id), "id {id} given twice");
                    ids.push(id);
                }
            }
        }
    }
    ids
}

static FIRST: Once = Once::new();

fuzz_target!(|input: Input| {
    // The process's runtime is made by the first successful init, with that init's
    // `worker_threads`: make it once with the defaults (an arbitrary one would ask for up to
    // 2^32 threads; see the report).
    FIRST.call_once(|| {
        assert_eq!(unsafe { xerial_init(std::ptr::null()) }, XERIAL_OK);
        assert_eq!(xerial_shutdown(), XERIAL_OK);
    });

    // (1) An arbitrary configuration, then calls with a NULL callback.
    let c = &input.config;
    let strings: Vec<Option<CString>> = [
        &c.base_url,
        &c.marketplace_url,
        &c.project_id,
        &c.extra_root_ca_pem,
        &c.proxy_url,
    ]
    .iter()
    .map(|a| a.to_c())
    .collect();
    let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
    unsafe { xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
    let mut config = unsafe { config.assume_init() };
    let full = std::mem::size_of::<XerialConfig>() as u32;
    config.struct_size = c.struct_size % (full + 64);
    config.base_url = ptr(&strings[0]);
    config.marketplace_url = ptr(&strings[1]);
    config.project_id = ptr(&strings[2]);
    config.timeout_ms = c.timeout_ms;
    config.connect_timeout_ms = c.connect_timeout_ms;
    config.dispatch = c.dispatch % 4;
    config.max_retries = u32::from(c.max_retries % 4);
    config.allow_insecure_http = c.allow_insecure_http;
    config.extra_root_ca_pem = ptr(&strings[3]);
    config.proxy_url = ptr(&strings[4]);
    // A struct_size past the struct would make the SDK read past our buffer: give it room.
    let mut room = vec![0u8; std::mem::size_of::<XerialConfig>() + 64];
    unsafe {
        std::ptr::copy_nonoverlapping(
            (&config as *const XerialConfig).cast::<u8>(),
            room.as_mut_ptr(),
            std::mem::size_of::<XerialConfig>(),
        );
    }
    let code = unsafe { xerial_init(room.as_ptr().cast()) };
    assert!(
        code == XERIAL_OK || code == XERIAL_E_INVALID_ARGUMENT,
        "init: {code}"
    );
    run(&input.before, None, code == XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK, "idempotent");

    // (2) Arbitrary arguments with a real callback, against a closed loopback port.
    let mut safe = std::mem::MaybeUninit::<XerialConfig>::uninit();
    unsafe { xerial_config_init(safe.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
    let mut safe = unsafe { safe.assume_init() };
    safe.base_url = c"http://127.0.0.1:9".as_ptr();
    safe.marketplace_url = c"http://127.0.0.1:9".as_ptr();
    safe.project_id = c"project".as_ptr();
    safe.timeout_ms = 200;
    safe.connect_timeout_ms = 100;
    safe.max_retries = 0;
    safe.dispatch = if input.immediate {
        XERIAL_DISPATCH_IMMEDIATE
    } else {
        XERIAL_DISPATCH_POLL
    };
    assert_eq!(unsafe { xerial_init(&safe) }, XERIAL_OK);
    *SEEN.lock().unwrap() = Some(HashMap::new());
    let ids = run(&input.after, Some(on_result), true);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let seen = SEEN.lock().unwrap().take().unwrap_or_default();
    for id in &ids {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "#{id}: callbacks {:?}",
            seen.get(id)
        );
    }
    assert_eq!(
        seen.len(),
        ids.len(),
        "callbacks for ids never given: {seen:?}"
    );
    assert_eq!(xerial_poll(0), 0);
});
