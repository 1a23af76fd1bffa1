//! Secrets: the whole API through the C ABI at TRACE log level, with servers that echo tokens
//! back, and no access token, refresh token, signature, Google id token or Authorization value
//! ever appears in a log line, a `XerialResult.message` or a `XerialResult.body` (only
//! `xerial_session_get` returns tokens: that is its job). Session files are 0600, replaced
//! atomically (never observed half-written) and gone after logout.
//!
//! Run: `cargo test -p xerial --test secrets`.

mod support;

use std::ffi::{c_void, CString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::leaks::{log_lines, session_pair, start_logging, Secrets};
use support::{exclusive, init, poll_until, record, Delivery, Ledger};
use xerial::*;
use xerial_mock::{Fault, FaultRule, MockServer, DEMO_PROJECT_ID};

const PLAYER: &str = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
const RIVAL: &str = "0x1111111111111111111111111111111111111111";
const GEAR: &str = "0xC011EC7100000000000000000000000000000001";
const USDC: &str = "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359";
const GOOGLE_ID_TOKEN: &str = "google-ok";
fn leak_ledger() -> &'static Ledger {
    Box::leak(Box::default())
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// Waits for the one callback of `id`.
fn wait(ledger: &Ledger, id: u64) -> Delivery {
    assert_ne!(id, 0, "call accepted");
    assert!(poll_until(|| !ledger.get(id).is_empty()), "answered");
    ledger.only(id)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xerial-secrets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The session file holds exactly what `xerial_session_get` returns, privately.
fn assert_session_file(path: &Path) {
    let on_disk: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(Some(on_disk), session_pair(), "file = session");
    assert_eq!(mode(path), 0o600, "session file mode");
    let others: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| *n != path.file_name().unwrap())
        .collect();
    assert!(others.is_empty(), "no temporary files left: {others:?}");
}

// ---------------------------------------------------------------------------------------------
// The whole API.

#[test]
fn the_whole_api_at_trace_level_shows_no_secret() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    let dir = temp_dir("api");
    let session_file = dir.join("session.json");
    let (project, url, file) = (
        c(DEMO_PROJECT_ID),
        c(&server.url()),
        c(session_file.to_str().unwrap()),
    );
    start_logging();
    assert_eq!(
        init(&server.url(), |cfg| {
            cfg.project_id = project.as_ptr();
            cfg.marketplace_url = url.as_ptr();
            cfg.session_path = file.as_ptr();
        }),
        XERIAL_OK
    );
    let (cb, ud) = (
        Some(record as unsafe extern "C" fn(*mut c_void, *const XerialResult)),
        ledger.user_data(),
    );
    let mut secrets = Secrets::default();
    let signature = format!("0xok-signature-{:x}", std::process::id() ^ 0x5eed_f00d);
    secrets.add(GOOGLE_ID_TOKEN);
    secrets.add(&signature);
    let ok = |what: &str, id: u64| -> Delivery {
        let d = wait(ledger, id);
        assert_eq!(d.code, XERIAL_OK, "{what}: {d:?}");
        d
    };
    let (player, rival, gear, usdc, chain) = (c(PLAYER), c(RIVAL), c(GEAR), c(USDC), c("polygon"));

    // Logins and refresh; each new token pair is a secret, and is what the file holds.
    ok("login_google", unsafe {
        xerial_login_google(c(GOOGLE_ID_TOKEN).as_ptr(), c"client-1".as_ptr(), cb, ud)
    });
    secrets.add_session();
    assert_session_file(&session_file);
    let nonce = ok("nonce", unsafe {
        xerial_request_nonce(player.as_ptr(), cb, ud)
    });
    assert!(nonce.body.contains("nonce"), "{nonce:?}");
    ok("login_wallet", unsafe {
        xerial_login_wallet(player.as_ptr(), c(&signature).as_ptr(), cb, ud)
    });
    secrets.add_session();
    assert_session_file(&session_file);
    ok("refresh", xerial_refresh(cb, ud));
    let (access, refresh) = secrets.add_session();
    assert_session_file(&session_file);

    // Reads, custodial, marketplace.
    ok("user", xerial_user_get(cb, ud));
    ok("native", unsafe {
        xerial_wallet_native_balance(player.as_ptr(), chain.as_ptr(), cb, ud)
    });
    ok("tokens", unsafe {
        xerial_wallet_token_balances(player.as_ptr(), chain.as_ptr(), cb, ud)
    });
    ok("project inventory", unsafe {
        xerial_wallet_project_inventory(player.as_ptr(), chain.as_ptr(), std::ptr::null(), cb, ud)
    });
    ok("global inventory", unsafe {
        xerial_wallet_global_inventory(player.as_ptr(), chain.as_ptr(), cb, ud)
    });
    let user = ok("create user", unsafe {
        xerial_custodial_create_user(c"studio-ref-1".as_ptr(), cb, ud)
    });
    let user_id = serde_json::from_str::<Value>(&user.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok("create wallet", unsafe {
        xerial_custodial_create_wallet(c(&user_id).as_ptr(), cb, ud)
    });
    ok("collections", unsafe {
        xerial_market_collections(std::ptr::null(), cb, ud)
    });
    ok("primary listings", unsafe {
        xerial_market_primary_listings(std::ptr::null(), chain.as_ptr(), cb, ud)
    });
    ok("project", unsafe {
        xerial_market_project(c"demo-arena".as_ptr(), cb, ud)
    });

    // Every transaction.
    ok("transfer nft", unsafe {
        xerial_tx_transfer_nft(
            player.as_ptr(),
            chain.as_ptr(),
            gear.as_ptr(),
            c"1".as_ptr(),
            rival.as_ptr(),
            cb,
            ud,
        )
    });
    ok("transfer token", unsafe {
        xerial_tx_transfer_token(
            player.as_ptr(),
            chain.as_ptr(),
            usdc.as_ptr(),
            c"1.5".as_ptr(),
            rival.as_ptr(),
            cb,
            ud,
        )
    });
    ok("primary purchase", unsafe {
        xerial_tx_primary_purchase(
            player.as_ptr(),
            chain.as_ptr(),
            gear.as_ptr(),
            c"1".as_ptr(),
            1,
            cb,
            ud,
        )
    });
    ok("secondary purchase", unsafe {
        xerial_tx_secondary_purchase(player.as_ptr(), chain.as_ptr(), c"38".as_ptr(), cb, ud)
    });
    ok("list nft", unsafe {
        xerial_tx_list_nft(
            player.as_ptr(),
            chain.as_ptr(),
            gear.as_ptr(),
            c"2".as_ptr(),
            c"1.25".as_ptr(),
            cb,
            ud,
        )
    });
    let mine = ok("secondary listings", unsafe {
        xerial_market_secondary_listings(std::ptr::null(), chain.as_ptr(), player.as_ptr(), cb, ud)
    });
    let listings: Value = serde_json::from_str(&mine.body).unwrap();
    let item = listings
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["tokenId"] == "2")
        .expect("the listing")["marketItemId"]
        .as_str()
        .unwrap()
        .to_owned();
    ok("delist nft", unsafe {
        xerial_tx_delist_nft(player.as_ptr(), chain.as_ptr(), c(&item).as_ptr(), cb, ud)
    });
    let custom = json!({"type": "CONTRACT_EXECUTION", "to": RIVAL, "functionName": "ping", "value": 0, "inputs": []});
    ok("custom", unsafe {
        xerial_tx_custom(
            player.as_ptr(),
            chain.as_ptr(),
            c(&custom.to_string()).as_ptr(),
            cb,
            ud,
        )
    });
    ok("request GET", unsafe {
        xerial_request(
            c"GET".as_ptr(),
            c"/api/user".as_ptr(),
            std::ptr::null(),
            1,
            cb,
            ud,
        )
    });
    let tx_path = format!("/api/wallet/{PLAYER}/polygon/transaction");
    ok("request POST", unsafe {
        xerial_request(
            c"POST".as_ptr(),
            c(&tx_path).as_ptr(),
            c(&custom.to_string()).as_ptr(),
            1,
            cb,
            ud,
        )
    });

    // A 401 makes the SDK refresh once and send again: new tokens, more log lines.
    server.add_fault(FaultRule::new("GET", "/api/user", Fault::status(401)).times(1));
    ok("user after a 401", xerial_user_get(cb, ud));
    let (access, refresh) = {
        let (a, r) = secrets.add_session();
        assert_ne!(a, access, "refreshed after the 401");
        assert_ne!(r, refresh);
        (a, r)
    };

    // Servers that echo the secrets they were sent back in their error messages and bodies.
    let echo = |method: &str, path: &str, status: u16, secret: &str| {
        let body = json!({
            "code": status,
            "message": format!("bad {secret}"),
            "detail": {"echo": secret, "header": format!("Authorization: Bearer {secret}")},
        });
        server.add_fault(FaultRule::new(method, path, Fault::status_json(status, body)).times(1));
    };
    let failed = |what: &str, id: u64, code: i32| {
        let d = wait(ledger, id);
        assert_eq!(d.code, code, "{what}: {d:?}");
        assert!(
            d.message.starts_with("bad "),
            "{what}: the server's message: {d:?}"
        );
        assert!(!d.body.is_empty(), "{what}: the server's JSON body: {d:?}");
    };
    echo("GET", "/api/user", 400, &access);
    failed(
        "user echoing the access token",
        xerial_user_get(cb, ud),
        XERIAL_E_BAD_REQUEST,
    );
    let buy = format!("/api/wallet/{PLAYER}/polygon/primary-purchase");
    echo("POST", &buy, 412, &access);
    failed(
        "purchase echoing the access token",
        unsafe {
            xerial_tx_primary_purchase(
                player.as_ptr(),
                chain.as_ptr(),
                gear.as_ptr(),
                c"1".as_ptr(),
                1,
                cb,
                ud,
            )
        },
        XERIAL_E_PRECONDITION_FAILED,
    );
    echo("GET", "/api/user", 403, &access);
    failed(
        "xerial_request echoing the access token",
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
        XERIAL_E_FORBIDDEN,
    );
    echo("POST", "/api/auth/refresh-tokens", 500, &refresh);
    failed(
        "refresh echoing the refresh token",
        xerial_refresh(cb, ud),
        XERIAL_E_SERVER,
    );
    echo("POST", "/api/auth/metamask", 400, &signature);
    failed(
        "wallet login echoing the signature",
        unsafe { xerial_login_wallet(player.as_ptr(), c(&signature).as_ptr(), cb, ud) },
        XERIAL_E_BAD_REQUEST,
    );
    echo("POST", "/api/auth/google", 400, GOOGLE_ID_TOKEN);
    failed(
        "google login echoing the id token",
        unsafe { xerial_login_google(c(GOOGLE_ID_TOKEN).as_ptr(), c"client-1".as_ptr(), cb, ud) },
        XERIAL_E_BAD_REQUEST,
    );
    // The failed logins changed nothing: still the same session.
    assert_eq!(session_pair().unwrap()["access"]["token"], access.as_str());
    // A 2xx that does not decode, carrying a token: the decode message quotes no string.
    server.add_fault(
        FaultRule::new(
            "GET",
            "/api/user",
            Fault::status_json(200, json!({"user": {"id": access, "identifier": 7}})),
        )
        .times(1),
    );
    let d = wait(ledger, xerial_user_get(cb, ud));
    assert_eq!(d.code, XERIAL_E_DECODE, "{d:?}");
    // A text/plain error that holds the token is not passed on at all (the SDK keeps JSON only).
    server.add_fault(
        FaultRule::new(
            "GET",
            "/api/user",
            Fault::status_text(502, &format!("upstream said Bearer {access}")),
        )
        .times(3), // a read: the first try and both retries
    );
    let d = wait(ledger, xerial_user_get(cb, ud));
    assert_eq!((d.code, d.body.as_str()), (XERIAL_E_SERVER, ""), "{d:?}");

    // Logout: the session and its file go at once; the revoke answers 204.
    let other = server.create_session();
    secrets.add_pair(&other);
    let other_refresh = other["refresh"]["token"].as_str().unwrap();
    echo("POST", "/api/auth/logout", 404, other_refresh);
    let other_refresh = c(other_refresh);
    failed(
        "logout echoing the refresh token",
        unsafe { xerial_logout(other_refresh.as_ptr(), cb, ud) },
        XERIAL_E_NOT_FOUND,
    );
    assert!(
        session_file.exists(),
        "another token's logout keeps the session"
    );
    let id = unsafe { xerial_logout(std::ptr::null(), cb, ud) };
    assert!(!session_file.exists(), "deleted before the answer");
    let d = wait(ledger, id);
    assert_eq!((d.code, d.http_status), (XERIAL_OK, 204), "{d:?}");
    assert!(session_pair().is_none());
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);

    let lines = log_lines();
    assert!(
        lines.len() >= 20,
        "TRACE logging was on and the SDK logged: {lines:#?}"
    );
    let leaks = secrets.leaks(ledger);
    if std::env::var_os("XERIAL_SHOW_LOG").is_some() {
        println!("{}", lines.join("\n"));
    }
    println!(
        "{} log lines, {} results, {} secrets checked; leaks: {leaks:#?}",
        lines.len(),
        ledger.total(),
        secrets.0.len()
    );
    assert!(leaks.is_empty(), "{leaks:#?}");
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing left in the session folder"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// abi.md §8: "tokens appear in no result except `xerial_session_get`". A server that answers a
/// `xerial_request` with a 2xx JSON echoing the access token it was sent must not get it into
/// the game's hands (the error path redacts the same echo).
#[test]
fn a_2xx_answer_echoing_the_access_token_is_redacted_too() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let pair = server.create_session();
    let mut secrets = Secrets::default();
    secrets.add_pair(&pair);
    assert_eq!(
        unsafe { xerial_session_set(c(&pair.to_string()).as_ptr()) },
        XERIAL_OK
    );
    let access = pair["access"]["token"].as_str().unwrap();
    server.add_fault(FaultRule::new(
        "GET",
        "/api/echo",
        Fault::status_json(200, json!({"youSent": access})),
    ));
    let id = unsafe {
        xerial_request(
            c"GET".as_ptr(),
            c"/api/echo".as_ptr(),
            std::ptr::null(),
            1,
            Some(record),
            ledger.user_data(),
        )
    };
    let d = wait(ledger, id);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(d.code, XERIAL_OK);
    let leaks = secrets.leaks(ledger);
    assert!(leaks.is_empty(), "{leaks:#?}");
}

/// abi.md §4: `message` "never contains a token"; the body has "any token the server echoes"
/// redacted. The SDK redacts only what the failing request itself sent, so an error that quotes
/// another token of the session (the refresh token in a read's error, the access token in a
/// logout's) reaches the game.
#[test]
fn an_error_quoting_another_session_token_is_redacted_too() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let ledger = leak_ledger();
    assert_eq!(init(&server.url(), |_| {}), XERIAL_OK);
    let pair = server.create_session();
    let mut secrets = Secrets::default();
    secrets.add_pair(&pair);
    assert_eq!(
        unsafe { xerial_session_set(c(&pair.to_string()).as_ptr()) },
        XERIAL_OK
    );
    let refresh = pair["refresh"]["token"].as_str().unwrap();
    let body = json!({"code": 400, "message": format!("session {refresh} is suspended")});
    server.add_fault(FaultRule::new(
        "GET",
        "/api/user",
        Fault::status_json(400, body),
    ));
    let d = wait(ledger, xerial_user_get(Some(record), ledger.user_data()));
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    assert_eq!(d.code, XERIAL_E_BAD_REQUEST);
    let leaks = secrets.leaks(ledger);
    assert!(leaks.is_empty(), "{leaks:#?}");
}

// ---------------------------------------------------------------------------------------------
// The session file.

fn pair_json(server: &MockServer) -> String {
    server.create_session().to_string()
}

/// Reads and parses `path` until `stop`; every read must be absent or one of `valid`.
fn watch_file(path: &Path, valid: &[Value], stop: &AtomicBool) -> (usize, Vec<String>) {
    let (mut reads, mut bad) = (0usize, Vec::new());
    while !stop.load(Ordering::SeqCst) {
        match std::fs::read(path) {
            Ok(bytes) => {
                reads += 1;
                match serde_json::from_slice::<Value>(&bytes) {
                    Ok(v) if valid.contains(&v) => {}
                    _ if bad.len() < 5 => bad.push(String::from_utf8_lossy(&bytes).into_owned()),
                    _ => {}
                }
                if let Ok(meta) = std::fs::metadata(path) {
                    let mode = meta.permissions().mode() & 0o777;
                    if mode != 0o600 && bad.len() < 5 {
                        bad.push(format!("mode {mode:o}"));
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bad.push(format!("read failed: {e}")),
        }
    }
    (reads, bad)
}

/// Calls `xerial_session_set` with the pairs in turn from `writers` threads for about `for_ms`.
fn hammer(pairs: &[CString], writers: usize, for_ms: u64) -> usize {
    let writes = AtomicUsize::new(0);
    let until = Instant::now() + Duration::from_millis(for_ms);
    std::thread::scope(|s| {
        for w in 0..writers {
            let writes = &writes;
            s.spawn(move || {
                let mut i = w;
                while Instant::now() < until {
                    let pair = &pairs[i % pairs.len()];
                    assert_eq!(unsafe { xerial_session_set(pair.as_ptr()) }, XERIAL_OK);
                    writes.fetch_add(1, Ordering::SeqCst);
                    i += 1;
                }
            });
        }
    });
    writes.into_inner()
}

fn hammer_while_watching(writers: usize) -> (usize, usize, Vec<String>) {
    let server = MockServer::start();
    let dir = temp_dir(&format!("atomic-{writers}"));
    let path = dir.join("session.json");
    let file = c(path.to_str().unwrap());
    assert_eq!(
        init(&server.url(), |cfg| cfg.session_path = file.as_ptr()),
        XERIAL_OK
    );
    let texts = [pair_json(&server), pair_json(&server), pair_json(&server)];
    let valid: Vec<Value> = texts
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    let pairs: Vec<CString> = texts.iter().map(|t| c(t)).collect();
    let stop = AtomicBool::new(false);
    start_logging();
    let ((reads, mut bad), writes) = std::thread::scope(|s| {
        let reader = s.spawn(|| watch_file(&path, &valid, &stop));
        let writes = hammer(&pairs, writers, 700);
        stop.store(true, Ordering::SeqCst);
        (reader.join().unwrap(), writes)
    });
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);
    // At rest, the file holds the session the SDK holds.
    let on_disk = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    if on_disk != session_pair() {
        bad.push(format!(
            "at rest the file holds {on_disk:?}, not the session"
        ));
    }
    // A write that failed is a session the file does not hold.
    bad.extend(
        log_lines()
            .into_iter()
            .filter(|l| l.contains("could not save"))
            .take(5),
    );
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    assert!(!path.exists(), "xerial_session_clear deletes the file");
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let _ = std::fs::remove_dir_all(&dir);
    (writes, reads, bad)
}

#[test]
fn the_session_file_is_replaced_atomically_and_stays_private() {
    let _sdk = exclusive();
    let (writes, reads, bad) = hammer_while_watching(1);
    println!("one writer: {writes} xerial_session_set, {reads} reads of the file");
    assert!(
        writes >= 20 && reads >= 20,
        "{writes} writes, {reads} reads"
    );
    assert!(bad.is_empty(), "half-written or wrong files seen: {bad:#?}");
}

/// abi.md §3 "every function may be called from any thread" and §8 "written atomically": two
/// threads setting the session at once (a login finishing while the game restores a session)
/// must still never leave a half-written file.
#[test]
fn concurrent_session_writes_never_show_a_half_written_file() {
    let _sdk = exclusive();
    let (writes, reads, bad) = hammer_while_watching(2);
    println!("two writers: {writes} xerial_session_set, {reads} reads of the file");
    assert!(bad.is_empty(), "half-written or wrong files seen: {bad:#?}");
}

/// §8 "written atomically with mode 0600": the temporary file is opened without `O_EXCL` at a
/// predictable name, so a file already there keeps its mode (and owner) and becomes the session.
#[test]
fn a_stale_temporary_file_cannot_widen_the_session_file_mode() {
    let _sdk = exclusive();
    let server = MockServer::start();
    let dir = temp_dir("stale");
    let path = dir.join("session.json");
    let temp = dir.join(format!("session.json.tmp-{}", std::process::id()));
    std::fs::write(&temp, "").unwrap();
    std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o644)).unwrap();
    let file = c(path.to_str().unwrap());
    assert_eq!(
        init(&server.url(), |cfg| cfg.session_path = file.as_ptr()),
        XERIAL_OK
    );
    assert_eq!(
        unsafe { xerial_session_set(c(&pair_json(&server)).as_ptr()) },
        XERIAL_OK
    );
    let got = mode(&path);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(got, 0o600, "session file mode {got:o}");
}
