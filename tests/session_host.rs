//! `XerialConfig.session_store` through the C ABI: memory only, the host's store (its callbacks:
//! when and on which thread they run, the load buffer's protocol, failures), and the settings
//! `xerial_init` refuses. The OS's store: tests/session_protected.rs.

mod support;

use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::Mutex;
use std::thread::ThreadId;

use support::*;
use xerial::*;

const URL: &str = "http://127.0.0.1:9";

fn pair(tag: &str) -> CString {
    CString::new(format!(
        r#"{{"access":{{"token":"acc-{tag}","expires":"2030-01-01T00:00:00Z"}},"refresh":{{"token":"ref-{tag}","expires":"2031-01-01T00:00:00Z"}}}}"#
    ))
    .unwrap()
}

/// What the host's store holds and what it was asked, behind `user_data`.
#[derive(Default)]
struct Host {
    stored: Mutex<Option<Vec<u8>>>,
    /// `(callback, thread, cap given to load)`, in order.
    calls: Mutex<Vec<(&'static str, ThreadId, usize)>>,
    load_code: Mutex<Option<i32>>,
}

impl Host {
    fn calls(&self) -> Vec<(&'static str, ThreadId, usize)> {
        self.calls.lock().unwrap().clone()
    }

    fn names(&self) -> Vec<&'static str> {
        self.calls().into_iter().map(|(name, _, _)| name).collect()
    }

    fn stored_text(&self) -> Option<String> {
        let stored = self.stored.lock().unwrap().clone()?;
        Some(String::from_utf8(stored).unwrap())
    }

    fn note(&self, name: &'static str, cap: usize) {
        // The SDK is usable from inside (never under its lock): these must not hang.
        let _ = xerial_auth_state();
        let mut len = 0usize;
        let _ = unsafe { xerial_session_get(std::ptr::null_mut(), 0, &mut len) };
        let thread = std::thread::current().id();
        self.calls.lock().unwrap().push((name, thread, cap));
    }
}

unsafe extern "C" fn host_load(
    ud: *mut c_void,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> i32 {
    let host = unsafe { &*(ud as *const Host) };
    host.note("load", cap);
    if let Some(code) = *host.load_code.lock().unwrap() {
        return code;
    }
    let Some(stored) = host.stored.lock().unwrap().clone() else {
        return XERIAL_E_NOT_FOUND;
    };
    unsafe { *out_len = stored.len() };
    if stored.len() > cap {
        return XERIAL_E_BUFFER_TOO_SMALL;
    }
    unsafe { std::ptr::copy_nonoverlapping(stored.as_ptr(), buf, stored.len()) };
    XERIAL_OK
}

unsafe extern "C" fn host_save(ud: *mut c_void, json: *const c_char, len: usize) -> i32 {
    let host = unsafe { &*(ud as *const Host) };
    let text = unsafe { CStr::from_ptr(json) }.to_bytes().to_vec();
    assert_eq!(text.len(), len, "NUL-terminated, len without the NUL");
    host.note("save", 0);
    *host.stored.lock().unwrap() = Some(text);
    XERIAL_OK
}

unsafe extern "C" fn host_remove(ud: *mut c_void) -> i32 {
    let host = unsafe { &*(ud as *const Host) };
    host.note("remove", 0);
    *host.stored.lock().unwrap() = None;
    XERIAL_OK
}

fn callbacks(host: &Host) -> XerialSessionStore {
    XerialSessionStore {
        struct_size: std::mem::size_of::<XerialSessionStore>() as u32,
        user_data: host as *const Host as *mut c_void,
        load: Some(host_load),
        save: Some(host_save),
        remove: Some(host_remove),
    }
}

fn init_host(store: &XerialSessionStore, dispatch: u32) -> i32 {
    init(URL, |c| {
        c.session_store = XERIAL_SESSION_STORE_HOST;
        c.session_host = store;
        c.dispatch = dispatch;
    })
}

static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

unsafe extern "C" fn collect(_: *mut c_void, _level: i32, message: *const c_char) {
    let text = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    WARNINGS.lock().unwrap().push(text);
}

#[test]
fn the_host_store_loads_in_init_and_writes_where_callbacks_run() {
    let _sdk = exclusive();
    let me = std::thread::current().id();
    let host = Host::default();
    // A session larger than the first buffer: load is asked again with the size it needs.
    let mut big = pair("host").into_bytes();
    big.extend(std::iter::repeat_n(b' ', 5000));
    *host.stored.lock().unwrap() = Some(big);
    let store = callbacks(&host);
    assert_eq!(init_host(&store, XERIAL_DISPATCH_POLL), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN, "loaded by init");
    let calls = host.calls();
    assert_eq!(host.names(), ["load", "load"]);
    assert!(
        calls.iter().all(|(_, thread, _)| *thread == me),
        "on init's thread"
    );
    assert_eq!(calls[0].2, 4096);
    assert!(calls[1].2 >= 5000);

    assert_eq!(
        unsafe { xerial_session_set(pair("two").as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(
        unsafe { xerial_session_set(pair("three").as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(host.names().len(), 2, "nothing written outside xerial_poll");
    assert!(xerial_poll(0) >= 1);
    assert_eq!(
        host.names(),
        ["load", "load", "save"],
        "one save for both changes"
    );
    assert_eq!(host.stored_text().unwrap(), pair("three").to_str().unwrap());

    assert_eq!(xerial_session_clear(), XERIAL_OK);
    assert!(poll_until(|| host.names().last() == Some(&"remove")));
    assert_eq!(host.stored_text(), None);

    // A change still unwritten at shutdown is written by xerial_shutdown, on its thread.
    assert_eq!(
        unsafe { xerial_session_set(pair("last").as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(host.stored_text().unwrap(), pair("last").to_str().unwrap());
    assert!(host.calls().iter().all(|(_, thread, _)| *thread == me));
    let after = host.names().len();
    assert_eq!(xerial_poll(0), 0);
    assert_eq!(host.names().len(), after, "nothing after shutdown");
}

#[test]
fn in_immediate_mode_the_host_store_writes_on_an_sdk_worker() {
    let _sdk = exclusive();
    let host = Host::default();
    let store = callbacks(&host);
    assert_eq!(init_host(&store, XERIAL_DISPATCH_IMMEDIATE), XERIAL_OK);
    assert_eq!(
        xerial_auth_state(),
        XERIAL_AUTH_LOGGED_OUT,
        "nothing stored"
    );
    assert_eq!(
        unsafe { xerial_session_set(pair("imm").as_ptr()) },
        XERIAL_OK
    );
    assert!(poll_until(|| host.stored_text().is_some()));
    let (name, thread, _) = *host.calls().last().unwrap();
    assert_eq!(name, "save");
    assert_ne!(thread, std::thread::current().id());
    xerial_shutdown();
}

#[test]
fn a_host_store_that_cannot_load_is_logged_and_means_no_session() {
    let _sdk = exclusive();
    let host = Host::default();
    *host.stored.lock().unwrap() = Some(pair("x").into_bytes());
    *host.load_code.lock().unwrap() = Some(XERIAL_E_INTERNAL);
    WARNINGS.lock().unwrap().clear();
    xerial_set_log_callback(Some(collect), std::ptr::null_mut(), XERIAL_LOG_WARN);
    let store = callbacks(&host);
    assert_eq!(init_host(&store, XERIAL_DISPATCH_POLL), XERIAL_OK);
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    let warnings = WARNINGS.lock().unwrap().join("\n");
    assert!(
        warnings.contains("cannot read the session from the host's session store")
            && warnings.contains("XERIAL_E_INTERNAL"),
        "{warnings}"
    );
    assert!(!warnings.contains("acc-x"), "no token in a log record");
    xerial_shutdown();
}

#[test]
fn memory_only_keeps_nothing_between_runs() {
    let _sdk = exclusive();
    let memory = |c: &mut XerialConfig| c.session_store = XERIAL_SESSION_STORE_MEMORY;
    assert_eq!(init(URL, memory), XERIAL_OK);
    assert_eq!(
        unsafe { xerial_session_set(pair("mem").as_ptr()) },
        XERIAL_OK
    );
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    xerial_shutdown();
    assert_eq!(init(URL, memory), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();
}

#[test]
fn contradicting_store_settings_are_refused() {
    let _sdk = exclusive();
    let host = Host::default();
    let store = callbacks(&host);
    let path = CString::new("/tmp/xerial-never-written.json").unwrap();
    let mut no_save = store;
    no_save.save = None;
    let mut small = store;
    small.struct_size -= 8;
    let mut newer = [0u64; 8];
    // SAFETY: the array is larger than the struct; a newer header's unknown field set to 1.
    unsafe { std::ptr::write_unaligned(newer.as_mut_ptr().cast::<XerialSessionStore>(), store) };
    newer[0] = (newer[0] & !0xffff_ffff) | 64;
    newer[7] = 1;
    type Tweak<'a> = Box<dyn Fn(&mut XerialConfig) + 'a>;
    let refused: [(&str, Tweak); 8] = [
        (
            "file without a path",
            Box::new(|c| c.session_store = XERIAL_SESSION_STORE_FILE),
        ),
        (
            "memory with a path",
            Box::new(|c| {
                c.session_store = XERIAL_SESSION_STORE_MEMORY;
                c.session_path = path.as_ptr();
            }),
        ),
        (
            "host without callbacks",
            Box::new(|c| c.session_store = XERIAL_SESSION_STORE_HOST),
        ),
        (
            "host with a path",
            Box::new(|c| {
                c.session_store = XERIAL_SESSION_STORE_HOST;
                c.session_host = &store;
                c.session_path = path.as_ptr();
            }),
        ),
        (
            "callbacks without host",
            Box::new(|c| c.session_host = &store),
        ),
        ("an unknown store", Box::new(|c| c.session_store = 99)),
        (
            "a NULL callback",
            Box::new(|c| {
                c.session_store = XERIAL_SESSION_STORE_HOST;
                c.session_host = &no_save;
            }),
        ),
        (
            "a newer header's field",
            Box::new(|c| {
                c.session_store = XERIAL_SESSION_STORE_HOST;
                c.session_host = newer.as_ptr().cast();
            }),
        ),
    ];
    for (what, tweak) in &refused {
        assert_eq!(init(URL, |c| tweak(c)), XERIAL_E_INVALID_ARGUMENT, "{what}");
    }
    let code = init(URL, |c| {
        c.session_store = XERIAL_SESSION_STORE_HOST;
        c.session_host = &small;
    });
    assert_eq!(code, XERIAL_E_INVALID_ARGUMENT, "a struct_size too small");
    assert!(host.names().is_empty(), "no callback ran");
    assert!(!std::path::Path::new("/tmp/xerial-never-written.json").exists());
}
