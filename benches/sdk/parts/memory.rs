//! Part 4: memory at rest, under load, per future and after a million requests.

use super::*;

/// Parts 4 and 5 in a fresh process: RSS and threads after the first `xerial_init` (and its
/// time), idle CPU, then 10,000 requests held in flight by the server (RSS, threads) and the
/// time `xerial_shutdown` takes to cancel them and run their 10,000 callbacks.
pub fn memory(args: &Args) {
    let (rss0, threads0) = (util::rss_kib(), util::threads());
    let t0 = Instant::now();
    must_init(&args.mock, Mode::Poll);
    let init = t0.elapsed();
    let (rss1, threads1) = (util::rss_kib(), util::threads());
    emit("life.init_cold_us", init.as_nanos() as f64 / 1e3);
    emit("mem.rss_before_init_kib", rss0 as f64);
    emit("mem.rss_init_kib", rss1 as f64);
    emit("mem.threads_init", (threads1 - threads0) as f64);
    idle_window("idle.init", Duration::from_secs(2));
    drive::shutdown();

    // 10,000 in flight: the hold server answers none of them.
    let hold = hold_server(args);
    let n = held(args);
    must_init(hold, Mode::Poll);
    let heap0 = Counting::live_bytes();
    let delivered0 = DELIVERED.load(Ordering::Relaxed);
    let shutdown_codes0 = SHUTDOWN_CODES.load(Ordering::Relaxed);
    let t0 = Instant::now();
    for _ in 0..n {
        assert_ne!(drive::issue(Ep::Logout, count_cb, std::ptr::null_mut()), 0);
    }
    emit(
        "mem.inflight_issue_all_ms",
        t0.elapsed().as_nanos() as f64 / 1e6,
    );
    let began = Instant::now();
    let reached = wait_held(hold, n);
    emit("mem.inflight_n", n as f64);
    emit("mem.inflight_reached", reached as f64);
    emit(
        "mem.inflight_connect_ms",
        began.elapsed().as_nanos() as f64 / 1e6,
    );
    std::thread::sleep(Duration::from_millis(200));
    emit("mem.rss_inflight_kib", util::rss_kib() as f64);
    emit(
        "mem.heap_per_inflight_bytes",
        (Counting::live_bytes() - heap0) as f64 / n as f64,
    );
    emit("mem.threads_inflight", (util::threads() - threads0) as f64);
    let t0 = Instant::now();
    drive::shutdown();
    let elapsed = t0.elapsed();
    emit("life.shutdown_inflight_ms", elapsed.as_nanos() as f64 / 1e6);
    let delivered = DELIVERED.load(Ordering::Relaxed) - delivered0;
    let cancelled = SHUTDOWN_CODES.load(Ordering::Relaxed) - shutdown_codes0;
    emit("life.shutdown_inflight_callbacks", delivered as f64);
    emit("life.shutdown_inflight_shutdown_codes", cancelled as f64);
    assert_eq!(delivered, n, "shutdown runs every owed callback");
    emit("mem.peak_rss_kib", util::peak_rss_kib() as f64);
    let _ = util::admin(hold, "DELETE", "/_mock/faults", "");
}

/// How many requests the memory parts hold in flight.
fn held(args: &Args) -> u64 {
    if args.smoke {
        1_000
    } else {
        10_000
    }
}

/// The hold server, emptied, with every logout held (never answered, for up to 30 s).
fn hold_server(args: &Args) -> &str {
    let hold = args.hold.as_deref().expect("--hold URL needed");
    let _ = util::admin(hold, "DELETE", "/_mock/faults", "");
    let _ = util::admin(hold, "DELETE", "/_mock/requests", "");
    let (status, body) = util::admin(
        hold,
        "POST",
        "/_mock/faults",
        r#"{"method":"POST","path":"/api/auth/logout","fault":{"kind":"hang","maxMs":30000}}"#,
    )
    .expect("hold server");
    assert_eq!(status, 204, "fault refused: {body}");
    hold
}

/// Waits until the hold server has received `n` logouts, or their count stopped growing for a
/// second (a client that queues requests sends only some), at most 60 s; returns the count.
fn wait_held(hold: &str, n: u64) -> u64 {
    let began = Instant::now();
    let (mut reached, mut last_change) = (0, Instant::now());
    while began.elapsed() < Duration::from_secs(60) {
        let now = util::request_count(hold, "POST", "/api/auth/logout");
        if now != reached {
            (reached, last_change) = (now, Instant::now());
        }
        if reached >= n || last_change.elapsed() > Duration::from_secs(1) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reached
}

/// Part 4, the floor: a bare reqwest client (1 worker, as the SDK) holding the same number of requests in
/// flight, in a fresh process.
pub fn memory_bare(args: &Args) {
    let hold = hold_server(args);
    let n = held(args);
    let rss0 = util::rss_kib();
    let bare = Bare::new(hold, 1);
    let heap0 = Counting::live_bytes();
    let tasks = bare.spawn_logouts(n as usize);
    let reached = wait_held(hold, n);
    std::thread::sleep(Duration::from_millis(200));
    emit("mem.bare.rss_before_kib", rss0 as f64);
    emit("mem.bare.inflight_reached", reached as f64);
    emit("mem.bare.rss_inflight_kib", util::rss_kib() as f64);
    emit(
        "mem.bare.heap_per_inflight_bytes",
        (Counting::live_bytes() - heap0) as f64 / n as f64,
    );
    for task in tasks {
        task.abort();
    }
    drop(bare);
    let _ = util::admin(hold, "DELETE", "/_mock/faults", "");
}

/// Part 4, why: the size of one request's future as the core builds it (the SDK's task holds
/// it, plus the dispatch wrapper), and of reqwest's own request future.
pub fn futures(args: &Args) {
    use xerial::client::{Client, ClientConfig};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _context = runtime.enter();
    let client = Client::new(ClientConfig {
        base_url: args.mock.clone(),
        ..ClientConfig::default()
    })
    .expect("client");
    let logout = client.logout(Some("token"));
    emit(
        "size.logout_future_bytes",
        std::mem::size_of_val(&logout) as f64,
    );
    let get = client.native_balance(
        drive::ADDRESS.to_str().unwrap_or_default(),
        drive::CHAIN.to_str().unwrap_or_default(),
    );
    emit("size.get_future_bytes", std::mem::size_of_val(&get) as f64);
    let bare = reqwest::Client::new().get(&args.mock).send();
    emit(
        "size.reqwest_future_bytes",
        std::mem::size_of_val(&bare) as f64,
    );
}

/// Part 4 (drift): live heap and RSS before and after 1,000,000 completed requests (64 in
/// flight, logout and GET alternating, poll dispatch), and idleness after traffic.
pub fn drift(args: &Args) {
    let total: usize = args
        .drift
        .unwrap_or(if args.smoke { 20_000 } else { 1_000_000 });
    let threads0 = util::threads();
    must_init(&args.mock, Mode::Poll);
    let warm = drive::sdk_run(Mode::Poll, None, 64, 20_000, false);
    assert_eq!(warm.errors, 0, "warm-up errors");
    emit(
        "mem.threads_after_traffic",
        (util::threads() - threads0) as f64,
    );
    idle_window("idle.traffic", Duration::from_secs(2));
    let (rss0, heap0) = (util::rss_kib(), Counting::live_bytes());
    let allocs0 = Counting::global_allocs();
    let stats = drive::sdk_run(Mode::Poll, None, 64, total, false);
    let allocs = Counting::global_allocs() - allocs0;
    std::thread::sleep(Duration::from_millis(200));
    let (rss1, heap1) = (util::rss_kib(), Counting::live_bytes());
    emit("drift.requests", stats.completed as f64);
    emit("drift.errors", stats.errors as f64);
    emit("drift.rps", stats.rps());
    emit("drift.rss_base_kib", rss0 as f64);
    emit("drift.rss_kib", rss1 as f64 - rss0 as f64);
    emit("drift.heap_bytes", (heap1 - heap0) as f64);
    emit(
        "drift.allocs_per_request",
        allocs as f64 / stats.completed.max(1) as f64,
    );
    drive::shutdown();
}
