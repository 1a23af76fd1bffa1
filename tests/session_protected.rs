//! The OS's protected store through the C ABI, on Linux: the default a game gets when it sets
//! nothing, where it keeps the session, migration out of plain files, and a store that cannot
//! be read. Every test runs against a fresh `XDG_DATA_HOME` and never the developer's keyring:
//! without `XERIAL_TEST_SECRET_SERVICE=1` no D-Bus is reachable (the fallback file is used);
//! with it, `scripts/platforms/keyring-test.sh` provides a private session bus and an unlocked
//! gnome-keyring-daemon under a fresh `HOME` (the Secret Service is used). The tests marked
//! `ignore` need that script.
#![cfg(target_os = "linux")]

mod support;

use std::ffi::{c_char, c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use support::*;
use xerial::*;

const URL: &str = "http://127.0.0.1:9";

fn secret_service() -> bool {
    std::env::var_os("XERIAL_TEST_SECRET_SERVICE").is_some_and(|v| v == "1")
}

/// This binary's private data folder, set up once (no test reads the environment meanwhile:
/// they all hold the SDK's lock).
fn data_home() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("xerial-protected-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("run")).unwrap();
        std::env::set_var("XDG_DATA_HOME", dir.join("data"));
        if !secret_service() {
            // zbus falls back to $XDG_RUNTIME_DIR/bus: point it at an empty folder.
            std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
            std::env::set_var("XDG_RUNTIME_DIR", dir.join("run"));
        }
        dir.join("data")
    })
}

/// Where the documented default location puts `project`'s fallback file (README, "Sessions").
fn fallback_file(project: &str) -> PathBuf {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{project}\0{URL}").as_bytes(),
    );
    let key: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    data_home()
        .join("xerial/sessions")
        .join(key)
        .join("session.json")
}

fn pair(tag: &str) -> String {
    format!(
        r#"{{"access":{{"token":"acc-{tag}-{pid}","expires":"2030-01-01T00:00:00Z"}},"refresh":{{"token":"ref-{tag}-{pid}","expires":"2031-01-01T00:00:00Z"}}}}"#,
        pid = std::process::id()
    )
}

static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

unsafe extern "C" fn collect(_: *mut c_void, _level: i32, message: *const c_char) {
    let text = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    LOGS.lock().unwrap().push(text);
}

/// The SDK's records since the last call (delivered by `xerial_shutdown` at the latest).
fn take_logs() -> String {
    std::mem::take(&mut *LOGS.lock().unwrap()).join("\n")
}

const LOADED: &str = "xerial::session: read the session store in ";

fn loads_logged() -> usize {
    LOGS.lock()
        .unwrap()
        .iter()
        .filter(|r| r.starts_with(LOADED))
        .count()
}

/// Initialises with the protected store for `project` (and `tweak`), collecting the records,
/// and waits until the store was read: a debug build's Diffie-Hellman exchange with the
/// Secret Service can outlast the 250 ms `xerial_init` waits (release: 7-50 ms).
fn start(project: &CString, tweak: impl FnOnce(&mut XerialConfig)) -> i32 {
    data_home();
    xerial_set_log_callback(Some(collect), std::ptr::null_mut(), XERIAL_LOG_DEBUG);
    let before = loads_logged();
    let code = init_as_configured(URL, |c| {
        c.project_id = project.as_ptr();
        c.session_store = XERIAL_SESSION_STORE_PROTECTED;
        tweak(c);
    });
    if code == XERIAL_OK {
        assert!(
            poll_until(|| loads_logged() > before),
            "the store was never read"
        );
    }
    code
}

fn session() -> Option<String> {
    let mut buf = vec![0u8; 8192];
    let mut len = 0usize;
    let code = unsafe { xerial_session_get(buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    (code == XERIAL_OK).then(|| String::from_utf8(buf[..len - 1].to_vec()).unwrap())
}

fn set(json: &str) {
    let json = CString::new(json).unwrap();
    assert_eq!(unsafe { xerial_session_set(json.as_ptr()) }, XERIAL_OK);
}

fn project(name: &str) -> CString {
    CString::new(format!("{name}-{}", std::process::id())).unwrap()
}

/// Every keyring file of the private gnome-keyring, concatenated.
fn keyring_files() -> Vec<u8> {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap());
    let dir = home.join(".local/share/keyrings");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_game_that_sets_nothing_keeps_its_session_per_user_and_per_server() {
    let _sdk = exclusive();
    let name = project("default");
    let file = fallback_file(name.to_str().unwrap());
    let json = pair("default");
    assert_eq!(
        start(&name, |c| c.session_store = XERIAL_SESSION_STORE_DEFAULT),
        XERIAL_OK
    );
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    set(&json);
    xerial_shutdown();
    let logs = take_logs();
    if secret_service() {
        assert!(
            logs.contains("the session is kept in the Secret Service"),
            "{logs}"
        );
        assert!(!file.exists(), "nothing on disk outside the keyring");
        let keyrings = keyring_files();
        assert!(!keyrings.is_empty());
        for token in [
            format!("acc-default-{}", std::process::id()),
            format!("ref-default-{}", std::process::id()),
        ] {
            assert!(
                !contains(&keyrings, &token),
                "{token} in clear in the keyring file"
            );
        }
    } else {
        assert!(logs.contains("no Secret Service answered"), "{logs}");
        assert!(
            logs.contains(&file.display().to_string()),
            "the record says where: {logs}"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(std::fs::read_to_string(&file).unwrap(), json);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    assert!(
        !logs.contains(&format!("acc-default-{}", std::process::id())),
        "no token in a log record"
    );

    // The next start restores it; another server or project has its own.
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(session().as_deref(), Some(json.as_str()));
    xerial_shutdown();
    let staging = CString::new("http://127.0.0.2:9").unwrap();
    assert_eq!(start(&name, |c| c.base_url = staging.as_ptr()), XERIAL_OK);
    assert_eq!(
        xerial_auth_state(),
        XERIAL_AUTH_LOGGED_OUT,
        "staging never sees production's"
    );
    xerial_shutdown();
    assert_eq!(start(&project("other"), |_| {}), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();

    // Clearing removes it from the store.
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    xerial_shutdown();
    assert!(!file.exists());
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();
    take_logs();
}

#[test]
fn a_plain_session_file_moves_into_the_protected_store() {
    let _sdk = exclusive();
    let name = project("migrate");
    let old = data_home()
        .parent()
        .unwrap()
        .join("game-folder-session.json");
    let json = pair("migrate");
    std::fs::write(&old, &json).unwrap();
    let path = CString::new(old.to_str().unwrap()).unwrap();
    assert_eq!(start(&name, |c| c.session_path = path.as_ptr()), XERIAL_OK);
    assert_eq!(session().as_deref(), Some(json.as_str()));
    xerial_shutdown();
    let logs = take_logs();
    assert!(!old.exists(), "the plain file is removed");
    assert!(
        logs.contains(&format!(
            "removed the plain file {}: its session moved into",
            old.display()
        )),
        "{logs}"
    );
    // Kept by the protected store alone from now on.
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(session().as_deref(), Some(json.as_str()));
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    xerial_shutdown();
    take_logs();
}

#[test]
fn a_corrupt_stored_session_is_logged_and_means_no_session() {
    let _sdk = exclusive();
    let name = project("corrupt");
    if secret_service() {
        // Stored through the SDK, then overwritten with something that is no token pair.
        assert_eq!(start(&name, |_| {}), XERIAL_OK);
        set(&pair("corrupt"));
        xerial_shutdown();
        take_logs();
        let key = Command::new("secret-tool")
            .args(["search", "--all", "service", "io.xerial.session"])
            .output()
            .unwrap();
        // secret-tool prints the attributes on stderr, the rest on stdout.
        let listing = String::from_utf8_lossy(&[key.stdout, key.stderr].concat()).into_owned();
        let username = listing
            .lines()
            .filter_map(|line| line.strip_prefix("attribute.username = "))
            .collect::<Vec<_>>();
        assert!(!username.is_empty(), "{listing}");
        for user in username {
            let mut store = Command::new("secret-tool")
                .args([
                    "store",
                    "--label=corrupt",
                    "service",
                    "io.xerial.session",
                    "username",
                    user,
                    "application",
                    "xerial",
                ])
                .stdin(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            store.stdin.take().unwrap().write_all(b"{corrupt").unwrap();
            assert!(store.wait().unwrap().success());
        }
    } else {
        let file = fallback_file(name.to_str().unwrap());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "{corrupt").unwrap();
    }
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();
    let logs = take_logs();
    assert!(logs.contains("ignoring the session in"), "{logs}");
}

#[test]
fn without_sdk_threads_init_reads_the_store_poll_writes_it_and_shutdown_writes_the_last_change() {
    let _sdk = exclusive();
    let name = project("in-poll");
    let file = fallback_file(name.to_str().unwrap());
    let json = pair("in-poll");
    assert_eq!(start(&name, without_sdk_threads), XERIAL_OK);
    set(&json);
    if !secret_service() {
        assert!(!file.exists(), "written only inside xerial_poll");
        assert!(poll_until(|| file.exists()));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), json);
    }
    xerial_shutdown();
    // Read back by the next init (on its own thread: see the unit tests for a slow store).
    assert_eq!(start(&name, without_sdk_threads), XERIAL_OK);
    assert_eq!(session().as_deref(), Some(json.as_str()));
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    xerial_shutdown();
    assert!(!file.exists(), "shutdown wrote the logout without a poll");
    assert_eq!(start(&name, without_sdk_threads), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    xerial_shutdown();
    let logs = take_logs();
    assert!(!logs.contains(&json), "no token in a log record");
}

#[test]
#[ignore = "needs a Secret Service: scripts/platforms/keyring-test.sh"]
fn the_fallback_file_moves_into_the_secret_service_once_one_answers() {
    let _sdk = exclusive();
    assert!(secret_service());
    let name = project("fallback");
    let file = fallback_file(name.to_str().unwrap());
    let json = pair("fallback");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &json).unwrap();
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(session().as_deref(), Some(json.as_str()));
    xerial_shutdown();
    assert!(!file.exists(), "{}", take_logs());
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(
        session().as_deref(),
        Some(json.as_str()),
        "now in the Secret Service"
    );
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    xerial_shutdown();
    take_logs();
}

#[test]
#[ignore = "locks the private keyring: run last by scripts/platforms/keyring-test.sh"]
fn a_locked_keyring_is_logged_means_no_session_and_is_never_replaced_by_a_plain_file() {
    let _sdk = exclusive();
    assert!(secret_service());
    let name = project("locked");
    let file = fallback_file(name.to_str().unwrap());
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    set(&pair("locked"));
    xerial_shutdown();
    take_logs();
    let locked = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .status()
        .unwrap();
    assert!(locked.success());
    assert_eq!(start(&name, |_| {}), XERIAL_OK);
    assert_eq!(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    set(&pair("while-locked"));
    // The write asks the keyring to unlock, which starts a prompter that fails without a display:
    // on a loaded machine that can outlast shutdown's bounded wait (CLOSE_WAIT), after which its
    // record is no longer delivered. Wait for the record, not for a race.
    const REFUSED: &str = "could not update the session in the Secret Service";
    let refused = poll_until(|| LOGS.lock().unwrap().iter().any(|r| r.contains(REFUSED)));
    xerial_shutdown();
    let logs = take_logs();
    assert!(
        logs.contains("cannot read the session from the Secret Service"),
        "{logs}"
    );
    assert!(refused, "{logs}");
    assert!(
        !file.exists(),
        "no plain-text fallback for a keyring that answered"
    );
}
