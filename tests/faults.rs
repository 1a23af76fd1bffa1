//! The fault matrix (abi.md §3–§5): every fault the offline server injects, for a read
//! (`xerial_wallet_native_balance`), a logout (`xerial_logout`) and a purchase
//! (`xerial_tx_primary_purchase`), all through the C ABI as a game calls them.
//!
//! For each cell: the documented code arrives exactly once, no later than `timeout_ms` plus a
//! small margin, `retryable` is what §4 says, and the server saw exactly the requests §4b allows
//! (reads retried on network errors, 429 and 5xx up to `max_retries`; logout and purchase never
//! once sent; anything retried when the connection failed before sending). The table is printed
//! (`--nocapture`) and written to `target/fault-matrix.md`.
//!
//! Run: `cargo test -p xerial --test faults -- --nocapture`.

mod support;

use std::ffi::{c_char, c_void, CStr, CString};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{exclusive, init};
use xerial::client::MAX_BODY_BYTES;
use xerial::*;
use xerial_mock::{Fault, FaultRule, MockServer, DEMO_PROJECT_ID};

/// Whole-call deadline every cell runs with.
const TIMEOUT_MS: u32 = 1500;
/// How late after the deadline a result may arrive (scheduling on a shared 2-core machine).
const MARGIN_MS: u128 = 500;
const MAX_RETRIES: u32 = 2;

const PLAYER: &str = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
const GEAR: &CStr = c"0xC011EC7100000000000000000000000000000001";
/// Path of the `xerial_request` rows (no such route: the fault answers before routing).
const RAW_PATH: &str = "/api/fault-matrix/pad";

// ---------------------------------------------------------------------------------------------
// What the callbacks and the log saw.

#[derive(Debug, Clone)]
struct Got {
    code: i32,
    http_status: i32,
    retryable: u8,
    retry_after_ms: u32,
    message: String,
    body_len: usize,
    at: Instant,
}

static INBOX: Mutex<Vec<(u64, Got)>> = Mutex::new(Vec::new());
/// "retrying in N ms" lines the SDK logged (DEBUG): attempts = 1 + this, seen from the client.
static RETRIES_LOGGED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn on_result(_user_data: *mut c_void, result: *const XerialResult) {
    let result = unsafe { &*result };
    let got = Got {
        code: result.code,
        http_status: result.http_status,
        retryable: result.retryable,
        retry_after_ms: result.retry_after_ms,
        message: unsafe { CStr::from_ptr(result.message) }
            .to_string_lossy()
            .into_owned(),
        body_len: result.body_len,
        at: Instant::now(),
    };
    INBOX
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((result.request_id, got));
}

unsafe extern "C" fn on_log(_user_data: *mut c_void, _level: i32, message: *const c_char) {
    let message = unsafe { CStr::from_ptr(message) }.to_string_lossy();
    if message.contains("retrying in") {
        RETRIES_LOGGED.fetch_add(1, Ordering::SeqCst);
    }
}

fn deliveries(id: u64) -> Vec<Got> {
    INBOX
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|(i, _)| *i == id)
        .map(|(_, g)| g.clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The matrix.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Read,
    Logout,
    Purchase,
    /// `xerial_request("GET", RAW_PATH)`: delivers any JSON as is, so only the size limit decides.
    RawGet,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Read => "read (native_balance)",
            Call::Logout => "logout",
            Call::Purchase => "purchase (primary_purchase)",
            Call::RawGet => "xerial_request GET",
        }
    }

    fn route(self) -> (&'static str, String) {
        match self {
            Call::Read => ("GET", format!("/api/wallet/{PLAYER}/polygon/eth")),
            Call::Logout => ("POST", "/api/auth/logout".to_owned()),
            Call::Purchase => (
                "POST",
                format!("/api/wallet/{PLAYER}/polygon/primary-purchase"),
            ),
            Call::RawGet => ("GET", RAW_PATH.to_owned()),
        }
    }

    fn start(self) -> u64 {
        let player = CString::new(PLAYER).unwrap();
        let cb: XerialCallback = Some(on_result);
        let ud = std::ptr::null_mut();
        match self {
            Call::Read => unsafe {
                xerial_wallet_native_balance(player.as_ptr(), c"polygon".as_ptr(), cb, ud)
            },
            // NULL: the current session's refresh token (cleared locally at once).
            Call::Logout => unsafe { xerial_logout(std::ptr::null(), cb, ud) },
            Call::Purchase => unsafe {
                xerial_tx_primary_purchase(
                    player.as_ptr(),
                    c"polygon".as_ptr(),
                    GEAR.as_ptr(),
                    c"1".as_ptr(),
                    1,
                    cb,
                    ud,
                )
            },
            Call::RawGet => {
                let path = CString::new(RAW_PATH).unwrap();
                unsafe {
                    xerial_request(c"GET".as_ptr(), path.as_ptr(), std::ptr::null(), 0, cb, ud)
                }
            }
        }
    }
}

/// What the server does to the call.
#[derive(Clone)]
enum Inject {
    /// `base_url` is a loopback port with no listener.
    Refused,
    /// A mock fault rule on the call's route; `Some(n)`: only the next `n` requests.
    Rule(Fault, Option<u64>),
}

/// One cell's promise.
#[derive(Debug, Clone, Copy)]
struct Expect {
    code: i32,
    /// `None`: not asserted (see `decode_errors_carry_the_http_status_received`).
    http_status: Option<i32>,
    retryable: u8,
    /// Requests the server saw; `None` when there is no server (connection refused).
    requests: Option<u64>,
    /// Attempts the SDK made (1 + retries logged).
    attempts: usize,
    retry_after_ms: u32,
    /// The result may not come earlier than this (deadline honoured, Retry-After honoured).
    min_elapsed_ms: u128,
}

const fn expect(code: i32, http: i32, retryable: u8, requests: u64) -> Expect {
    Expect {
        code,
        http_status: Some(http),
        retryable,
        requests: Some(requests),
        attempts: requests as usize,
        retry_after_ms: 0,
        min_elapsed_ms: 0,
    }
}

const fn ok(http: i32, requests: u64) -> Expect {
    expect(XERIAL_OK, http, 0, requests)
}

/// A transport failure with no HTTP answer.
const fn net(code: i32, retryable: u8, requests: u64) -> Expect {
    expect(code, 0, retryable, requests)
}

/// The deadline passed: the result comes at the deadline, not before.
const fn late(code: i32, retryable: u8) -> Expect {
    Expect {
        min_elapsed_ms: TIMEOUT_MS as u128 - 20,
        ..expect(code, 0, retryable, 1)
    }
}

/// A 2xx the SDK cannot use: `XERIAL_E_DECODE`, never retried.
const fn decode() -> Expect {
    Expect {
        http_status: None,
        ..expect(XERIAL_E_DECODE, 0, 0, 1)
    }
}

const fn refused(retryable: u8) -> Expect {
    Expect {
        requests: None,
        attempts: 1 + MAX_RETRIES as usize,
        ..expect(XERIAL_E_NETWORK, 0, retryable, 0)
    }
}

const fn retry_after(e: Expect) -> Expect {
    Expect {
        retry_after_ms: 1000,
        ..e
    }
}

const fn waited_1s(e: Expect) -> Expect {
    Expect {
        min_elapsed_ms: 1000,
        ..e
    }
}

struct Row {
    fault: &'static str,
    inject: Inject,
    cells: Vec<(Call, Expect)>,
}

fn row(fault: &'static str, inject: Inject, read: Expect, logout: Expect, buy: Expect) -> Row {
    Row {
        fault,
        inject,
        cells: vec![
            (Call::Read, read),
            (Call::Logout, logout),
            (Call::Purchase, buy),
        ],
    }
}

fn rule(fault: Fault) -> Inject {
    Inject::Rule(fault, None)
}

fn matrix() -> Vec<Row> {
    use XERIAL_E_NETWORK as NETWORK;
    use XERIAL_E_OUTCOME_UNKNOWN as UNKNOWN;
    use XERIAL_E_RATE_LIMITED as LIMITED;
    use XERIAL_E_SERVER as SERVER;
    use XERIAL_E_TIMEOUT as TIMEOUT;
    let reads = 1 + u64::from(MAX_RETRIES);
    let internal = json!({"code": 500, "message": "Internal Server Error"});
    let limited = json!({"code": 429, "message": "Too Many Requests"});
    vec![
        row(
            "connection refused",
            Inject::Refused,
            refused(1),
            refused(1),
            refused(1),
        ),
        row(
            "drop (reset before the response)",
            rule(Fault::drop_connection()),
            net(NETWORK, 1, reads),
            net(NETWORK, 1, 1),
            net(UNKNOWN, 0, 1),
        ),
        row(
            "truncate (reset mid-body)",
            rule(Fault::truncate()),
            net(NETWORK, 1, reads),
            net(NETWORK, 1, 1),
            net(UNKNOWN, 0, 1),
        ),
        row(
            "hang (no answer)",
            rule(Fault::hang()),
            late(TIMEOUT, 1),
            late(TIMEOUT, 1),
            late(UNKNOWN, 0),
        ),
        row(
            "trickle 8 B / 50 ms (fits the deadline)",
            rule(Fault::trickle(50, 8)),
            ok(200, 1),
            ok(204, 1),
            ok(200, 1),
        ),
        row(
            "trickle 1 B / 400 ms (outlasts the deadline)",
            rule(Fault::trickle(400, 1)),
            late(TIMEOUT, 1),
            ok(204, 1), // 204 has no body to trickle
            late(UNKNOWN, 0),
        ),
        row(
            "500 (JSON body)",
            rule(Fault::status_json(500, internal)),
            expect(SERVER, 500, 1, reads),
            expect(SERVER, 500, 1, 1),
            expect(SERVER, 500, 0, 1),
        ),
        row(
            "502 (text/plain body)",
            rule(Fault::status_text(502, "<html>bad gateway</html>")),
            expect(SERVER, 502, 1, reads),
            expect(SERVER, 502, 1, 1),
            expect(SERVER, 502, 0, 1),
        ),
        row(
            "503 (no body)",
            rule(Fault::status(503)),
            expect(SERVER, 503, 1, reads),
            expect(SERVER, 503, 1, 1),
            expect(SERVER, 503, 0, 1),
        ),
        row(
            "503 once, then normal",
            Inject::Rule(Fault::status(503), Some(1)),
            ok(200, 2),
            expect(SERVER, 503, 1, 1),
            expect(SERVER, 503, 0, 1),
        ),
        row(
            "429 + Retry-After: 1 (every time)",
            rule(Fault::status_json(429, limited.clone()).retry_after(1)),
            // Retried once after 1 s; a second 1 s wait no longer fits the 1.5 s deadline.
            waited_1s(retry_after(expect(LIMITED, 429, 1, 2))),
            retry_after(expect(LIMITED, 429, 1, 1)),
            retry_after(expect(LIMITED, 429, 1, 1)),
        ),
        row(
            "429 + Retry-After: 1, once, then normal",
            Inject::Rule(Fault::status_json(429, limited).retry_after(1), Some(1)),
            waited_1s(ok(200, 2)),
            retry_after(expect(LIMITED, 429, 1, 1)),
            retry_after(expect(LIMITED, 429, 1, 1)),
        ),
        row(
            "malformed (200, not JSON)",
            rule(Fault::malformed()),
            decode(),
            decode(),
            decode(),
        ),
        row(
            "wrong shape (200, JSON array)",
            rule(Fault::status_json(200, json!(["not", "an", "object"]))),
            decode(),
            // Chosen: logout's documented answer has no body; any 2xx JSON means "revoked".
            ok(200, 1),
            decode(),
        ),
        row(
            "oversized (200, 9 MiB JSON)",
            rule(Fault::oversized(9 * 1024 * 1024)),
            decode(),
            decode(),
            decode(),
        ),
        row(
            "content_type (text/html, real body)",
            rule(Fault::content_type("text/html")),
            // Chosen: the SDK decodes the body, not the header; a documented body is accepted.
            ok(200, 1),
            ok(204, 1),
            ok(200, 1),
        ),
        Row {
            fault: "body of exactly 8 MiB (the limit)",
            inject: rule(Fault::oversized(MAX_BODY_BYTES - 10)),
            cells: vec![(Call::RawGet, ok(200, 1))],
        },
        Row {
            fault: "body of 8 MiB + 1 byte",
            inject: rule(Fault::oversized(MAX_BODY_BYTES - 9)),
            cells: vec![(Call::RawGet, decode())],
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Running one cell.

struct Measured {
    got: Vec<Got>,
    requests: Option<u64>,
    attempts: usize,
    elapsed_ms: u128,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    listener.local_addr().expect("addr").port()
}

fn run_cell(inject: &Inject, call: Call) -> Measured {
    let server = MockServer::start();
    let base = match inject {
        Inject::Refused => format!("http://127.0.0.1:{}", free_port()),
        Inject::Rule(..) => server.url(),
    };
    let project = CString::new(DEMO_PROJECT_ID).unwrap();
    let code = init(&base, |c| {
        c.timeout_ms = TIMEOUT_MS;
        c.max_retries = MAX_RETRIES;
        c.project_id = project.as_ptr();
    });
    assert_eq!(code, XERIAL_OK, "xerial_init");
    let session = CString::new(server.create_session().to_string()).unwrap();
    assert_eq!(unsafe { xerial_session_set(session.as_ptr()) }, XERIAL_OK);
    let (method, path) = call.route();
    if let Inject::Rule(fault, times) = inject {
        let mut rule = FaultRule::new(method, &path, fault.clone());
        if let Some(n) = times {
            rule = rule.times(*n);
        }
        server.add_fault(rule);
    }
    RETRIES_LOGGED.store(0, Ordering::SeqCst);

    let started = Instant::now();
    let id = call.start();
    assert_ne!(id, 0, "the call was accepted");
    let give_up = started + Duration::from_secs(10);
    while deliveries(id).is_empty() && Instant::now() < give_up {
        xerial_poll(0);
        std::thread::sleep(Duration::from_millis(1));
    }
    let first = deliveries(id).first().map(|g| g.at);
    // Shutdown runs every callback still owed; after it none of this generation ever runs, so
    // counting now proves "exactly once".
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    let got = deliveries(id);
    let elapsed_ms = first.map_or(u128::MAX, |at| at.duration_since(started).as_millis());
    let requests = match inject {
        Inject::Refused => None,
        Inject::Rule(..) => Some(server.request_count(method, &path)),
    };
    Measured {
        got,
        requests,
        attempts: 1 + RETRIES_LOGGED.load(Ordering::SeqCst),
        elapsed_ms,
    }
}

fn check(expect: &Expect, m: &Measured) -> Vec<String> {
    let mut problems = Vec::new();
    if m.got.len() != 1 {
        problems.push(format!("{} callbacks, not exactly one", m.got.len()));
    }
    let Some(got) = m.got.first() else {
        return problems;
    };
    if got.code != expect.code {
        problems.push(format!(
            "code {} ({:?}), expected {}",
            name(got.code),
            got.message,
            name(expect.code)
        ));
    }
    if let Some(http) = expect.http_status {
        if got.http_status != http {
            problems.push(format!("http_status {}, expected {http}", got.http_status));
        }
    }
    if got.retryable != expect.retryable {
        problems.push(format!(
            "retryable {}, expected {}",
            got.retryable, expect.retryable
        ));
    }
    if got.retry_after_ms != expect.retry_after_ms {
        problems.push(format!(
            "retry_after_ms {}, expected {}",
            got.retry_after_ms, expect.retry_after_ms
        ));
    }
    if m.requests != expect.requests {
        problems.push(format!(
            "server saw {:?} requests, expected {:?}",
            m.requests, expect.requests
        ));
    }
    if m.attempts != expect.attempts {
        problems.push(format!(
            "{} attempts logged, expected {}",
            m.attempts, expect.attempts
        ));
    }
    let latest = u128::from(TIMEOUT_MS) + MARGIN_MS;
    if m.elapsed_ms > latest {
        problems.push(format!(
            "arrived after {} ms, later than {latest} ms",
            m.elapsed_ms
        ));
    }
    if m.elapsed_ms < expect.min_elapsed_ms {
        problems.push(format!(
            "arrived after {} ms, before {} ms",
            m.elapsed_ms, expect.min_elapsed_ms
        ));
    }
    problems
}

fn name(code: i32) -> String {
    unsafe { CStr::from_ptr(xerial_code_name(code)) }
        .to_string_lossy()
        .into_owned()
}

#[test]
fn fault_matrix() {
    let _sdk = exclusive();
    xerial_set_log_callback(Some(on_log), std::ptr::null_mut(), XERIAL_LOG_DEBUG);
    let mut table = String::new();
    let _ = writeln!(
        table,
        "Fault matrix: `timeout_ms` {TIMEOUT_MS}, `max_retries` {MAX_RETRIES}, poll dispatch, \
         through the C ABI against xerial-mock (`cargo test -p xerial --test faults -- --nocapture`).\n"
    );
    table.push_str(
        "| fault | call | code | http | retryable | Retry-After ms | server requests | attempts (SDK log) | elapsed ms |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    for row in matrix() {
        for (call, expect) in &row.cells {
            let measured = run_cell(&row.inject, *call);
            let problems = check(expect, &measured);
            let got = measured.got.first();
            let _ = writeln!(
                table,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |{}",
                row.fault,
                call.name(),
                got.map_or("—".to_owned(), |g| format!("`{}`", name(g.code))),
                got.map_or("—".to_owned(), |g| g.http_status.to_string()),
                got.map_or("—".to_owned(), |g| g.retryable.to_string()),
                got.map_or("—".to_owned(), |g| g.retry_after_ms.to_string()),
                measured
                    .requests
                    .map_or("— (no listener)".to_owned(), |n| n.to_string()),
                measured.attempts,
                measured.elapsed_ms,
                if problems.is_empty() {
                    String::new()
                } else {
                    format!(" **FAILED: {}**", problems.join("; "))
                },
            );
            if !problems.is_empty() {
                failures.push(format!(
                    "{} × {}: {}",
                    row.fault,
                    call.name(),
                    problems.join("; ")
                ));
            }
            if let Some(g) = got {
                // Oversized bodies are refused, never delivered.
                assert!(g.body_len <= MAX_BODY_BYTES, "{}", row.fault);
            }
        }
    }
    xerial_set_log_callback(None, std::ptr::null_mut(), 0);
    println!("\n{table}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let _ = std::fs::create_dir_all(&out);
    std::fs::write(out.join("fault-matrix.md"), &table).expect("write target/fault-matrix.md");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// abi.md §4: `http_status` is "0 when no HTTP response was received". A 2xx that cannot be
/// decoded *was* received, so its status belongs in the result.
#[test]
fn decode_errors_carry_the_http_status_received() {
    let _sdk = exclusive();
    let mut wrong = Vec::new();
    for fault in [Fault::malformed(), Fault::oversized(9 * 1024 * 1024)] {
        let m = run_cell(&rule(fault.clone()), Call::Read);
        let got = m.got.first().expect("delivered");
        assert_eq!(got.code, XERIAL_E_DECODE, "{:?}", fault.kind);
        if got.http_status != 200 {
            wrong.push(format!("{:?}: http_status {}", fault.kind, got.http_status));
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

/// abi.md §4: "a response that does not match the model is `XERIAL_E_DECODE`". A JSON array
/// holding the right values in field order is not the documented object, yet serde's derived
/// `Deserialize` accepts a sequence for a struct.
#[test]
fn a_json_array_in_place_of_the_object_is_decode() {
    let _sdk = exclusive();
    let hash = format!("0x{}", "ab".repeat(32));
    let mut wrong = Vec::new();
    for (call, body) in [
        (Call::Read, json!(["24.25"])),
        (Call::Purchase, json!([hash])),
    ] {
        let m = run_cell(&rule(Fault::status_json(200, body.clone())), call);
        let got = m.got.first().expect("delivered");
        if got.code != XERIAL_E_DECODE {
            wrong.push(format!(
                "{} answered {body}: {}",
                call.name(),
                name(got.code)
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}
