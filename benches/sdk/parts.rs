//! The measured parts. Each prints `R key value` lines (see `util::emit`).

use std::ffi::c_void;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use xerial::{xerial_cancel, xerial_poll, XerialResult, XERIAL_E_SHUTDOWN, XERIAL_OK};

use crate::bare::Bare;
use crate::drive::{self, Ep, Mode, Stats};
use crate::util::{self, emit, percentile, Counting};
use crate::Args;

/// Callbacks delivered to [`count_cb`] so far, and how many carried `XERIAL_E_SHUTDOWN`.
static DELIVERED: AtomicU64 = AtomicU64::new(0);
static SHUTDOWN_CODES: AtomicU64 = AtomicU64::new(0);

/// The cheapest useful callback: counts.
unsafe extern "C" fn count_cb(_user_data: *mut c_void, result: *const XerialResult) {
    // SAFETY: valid during the callback.
    if unsafe { (*result).code } == XERIAL_E_SHUTDOWN {
        SHUTDOWN_CODES.fetch_add(1, Ordering::Relaxed);
    }
    DELIVERED.fetch_add(1, Ordering::Relaxed);
}

/// The comparison for part 1: the SDK's runtime threads (created by the first init, kept for the
/// process), which run at `SCHED_BATCH` (src/ffi/worker.rs), switched back to the default
/// `SCHED_OTHER`, under which a woken worker may preempt the thread that woke it: the SDK as it
/// was before that fix.
fn default_policy_workers() {
    // A new thread names itself: give the runtime's threads a moment to do so.
    let mut workers = util::threads_named("xerial-rt");
    for _ in 0..100 {
        if workers.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        workers = util::threads_named("xerial-rt");
    }
    for tid in &workers {
        let status = std::process::Command::new("chrt")
            .args(["-o", "-p", "0", tid])
            .status();
        assert!(status.is_ok_and(|s| s.success()), "chrt -o failed");
    }
    assert!(!workers.is_empty(), "no xerial-rt thread found");
}

fn must_init(url: &str, mode: Mode) {
    let code = drive::init(url, mode.dispatch());
    assert_eq!(code, XERIAL_OK, "xerial_init failed with {code}");
}

/// Polls (yielding when idle) until [`DELIVERED`] reaches `target` or `limit` passes.
fn drain(target: u64, limit: Duration) -> bool {
    let began = Instant::now();
    while DELIVERED.load(Ordering::Relaxed) < target {
        if began.elapsed() > limit {
            return false;
        }
        if xerial_poll(0) == 0 {
            std::thread::yield_now();
        }
    }
    true
}

fn ns(d: Duration) -> u64 {
    d.as_nanos() as u64
}

fn emit_distribution(prefix: &str, samples: &mut [u64]) {
    samples.sort_unstable();
    emit(
        &format!("{prefix}.p50_ns"),
        percentile(samples, 50.0) as f64,
    );
    emit(
        &format!("{prefix}.p99_ns"),
        percentile(samples, 99.0) as f64,
    );
    emit(
        &format!("{prefix}.p999_ns"),
        percentile(samples, 99.9) as f64,
    );
    emit(
        &format!("{prefix}.max_ns"),
        samples.last().copied().unwrap_or(0) as f64,
    );
    emit(&format!("{prefix}.samples"), samples.len() as f64);
}

/// Part 1: the game thread's cost of `xerial_logout` (entry to return), poll dispatch. It
/// includes copying the argument, registering the request and spawning its task on the
/// runtime (which may wake a parked worker).
///
/// With `--default-policy` (the SDK before its fix, not as shipped) the SDK's worker threads are
/// switched to `SCHED_OTHER` after init (`chrt -o`), so that a worker woken by the call may
/// preempt the calling thread; keys are then `issue_other.*`.
pub fn issue(args: &Args) {
    must_init(&args.mock, Mode::Poll);
    let prefix = if args.default_policy {
        default_policy_workers();
        "issue_other"
    } else {
        "issue"
    };
    let (batches, singles) = if args.smoke { (10, 20) } else { (250, 1000) };
    // Warm-up: connections open, code paths hot.
    let mut issued = 0u64;
    for _ in 0..4 {
        for _ in 0..64 {
            drive::issue(Ep::Logout, count_cb, std::ptr::null_mut());
            issued += 1;
        }
        assert!(drain(issued, Duration::from_secs(60)), "warm-up stalled");
    }
    // Bursts: 64 calls back to back, as a game issuing many calls in one frame.
    let mut burst = Vec::with_capacity(batches * 64);
    let mut preempted = 0;
    for _ in 0..batches {
        let (_, involuntary) = util::my_switches();
        for _ in 0..64 {
            let t0 = Instant::now();
            let id = drive::issue(Ep::Logout, count_cb, std::ptr::null_mut());
            burst.push(ns(t0.elapsed()));
            assert_ne!(id, 0);
            issued += 1;
        }
        // Counted per batch: a call preempted twice counts twice, so this bounds the number of
        // preempted calls from above (and never past the batch).
        preempted += (util::my_switches().1 - involuntary).min(64);
        assert!(drain(issued, Duration::from_secs(60)), "burst stalled");
    }
    // Single calls after 2 ms of quiet: the runtime's workers are parked, so the call also
    // pays for waking one (a game issuing a call now and then).
    let mut single = Vec::with_capacity(singles);
    let mut single_preempted = 0;
    for _ in 0..singles {
        std::thread::sleep(Duration::from_millis(2));
        let (_, involuntary) = util::my_switches();
        let t0 = Instant::now();
        let id = drive::issue(Ep::Logout, count_cb, std::ptr::null_mut());
        single.push(ns(t0.elapsed()));
        // A call, not a context switch, is counted: one call can lose its CPU more than once.
        single_preempted += (util::my_switches().1 - involuntary).min(1);
        assert_ne!(id, 0);
        issued += 1;
        assert!(drain(issued, Duration::from_secs(60)), "single stalled");
    }
    if !args.default_policy {
        emit_distribution("issue.wake_floor", &mut wake_floor(singles));
    }
    let mut all: Vec<u64> = burst.iter().chain(single.iter()).copied().collect();
    emit_distribution(&format!("{prefix}.burst"), &mut burst);
    emit_distribution(&format!("{prefix}.single"), &mut single);
    emit_distribution(&format!("{prefix}.all"), &mut all);
    // How often the calling thread lost its CPU during a call (involuntary context switches).
    emit(
        &format!("{prefix}.burst.preempted_pct"),
        100.0 * preempted as f64 / burst.len() as f64,
    );
    emit(
        &format!("{prefix}.single.preempted_pct"),
        100.0 * single_preempted as f64 / single.len() as f64,
    );
    drive::shutdown();
}

/// The floor of a call that must wake a parked thread, SDK or not: `Thread::unpark` (one futex
/// wake) of a thread parked for 2 ms, timed like the single calls of part 1.
fn wake_floor(rounds: usize) -> Vec<u64> {
    let stop = Arc::new(AtomicBool::new(false));
    let (woke, woken) = std::sync::mpsc::channel::<()>();
    let sleeper = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Acquire) {
                std::thread::park();
                let _ = woke.send(());
            }
        })
    };
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        std::thread::sleep(Duration::from_millis(2));
        let t0 = Instant::now();
        sleeper.thread().unpark();
        samples.push(ns(t0.elapsed()));
        let _ = woken.recv_timeout(Duration::from_secs(5));
    }
    stop.store(true, Ordering::Release);
    sleeper.thread().unpark();
    let _ = sleeper.join();
    samples
}

/// Part 2: `xerial_poll` with nothing queued, and per delivered callback with 1, 10 and 1,000
/// completions queued.
pub fn poll(args: &Args) {
    must_init(&args.mock, Mode::Poll);
    // Idle: nothing queued. Allocations are counted on this thread (the one that polls).
    let calls: u64 = if args.smoke { 2_000_000 } else { 50_000_000 };
    for _ in 0..100_000 {
        black_box(xerial_poll(black_box(0)));
    }
    let allocs = Counting::thread_allocs();
    let t0 = Instant::now();
    let mut ran = 0u64;
    for _ in 0..calls {
        ran += u64::from(xerial_poll(black_box(0)));
    }
    let elapsed = t0.elapsed();
    let allocs = Counting::thread_allocs() - allocs;
    assert_eq!(ran, 0);
    emit("poll.idle_ns", elapsed.as_nanos() as f64 / calls as f64);
    emit("poll.idle_allocs", allocs as f64);
    emit("poll.idle_calls", calls as f64);

    // Delivery: queue `depth` real completions, then time the one xerial_poll(0) that runs them.
    let mut delivered = DELIVERED.load(Ordering::Relaxed);
    for (depth, rounds) in [(1usize, 400usize), (10, 150), (1000, 12)] {
        let rounds = if args.smoke {
            rounds.div_ceil(20)
        } else {
            rounds
        };
        let mut per_callback = Vec::with_capacity(rounds);
        let mut cancelled = 0usize;
        let mut allocs_total = 0u64;
        for _ in 0..rounds {
            let before = util::request_count(&args.mock, "POST", "/api/auth/logout");
            let ids: Vec<u64> = (0..depth)
                .map(|_| drive::issue(Ep::Logout, count_cb, std::ptr::null_mut()))
                .collect();
            // Wait until the server has answered all of them, then a little for the answers to
            // be read; a cancel of each is the barrier that proves all are queued (a request
            // still in flight gets a `CANCELLED` completion instead: counted and reported).
            let began = Instant::now();
            while util::request_count(&args.mock, "POST", "/api/auth/logout")
                < before + depth as u64
                && began.elapsed() < Duration::from_secs(20)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(3 + depth as u64 / 20));
            cancelled += ids
                .iter()
                .filter(|&&id| xerial_cancel(id) == XERIAL_OK)
                .count();
            let a0 = Counting::thread_allocs();
            let t0 = Instant::now();
            let ran = xerial_poll(0);
            let elapsed = t0.elapsed();
            allocs_total += Counting::thread_allocs() - a0;
            assert_eq!(
                ran as usize, depth,
                "every queued completion runs in one poll"
            );
            per_callback.push(elapsed.as_nanos() as f64 / depth as f64);
            delivered += depth as u64;
        }
        assert_eq!(DELIVERED.load(Ordering::Relaxed), delivered);
        let median = util::median(&mut per_callback);
        emit(&format!("poll.q{depth}.ns_per_cb"), median);
        emit(
            &format!("poll.q{depth}.allocs_per_cb"),
            allocs_total as f64 / (rounds * depth) as f64,
        );
        emit(
            &format!("poll.q{depth}.cancelled_pct"),
            100.0 * cancelled as f64 / (rounds * depth) as f64,
        );
    }
    drive::shutdown();
}

fn emit_load(client: &str, ep: Ep, inflight: usize, stats: &Stats) {
    let key = format!("load.{client}.{}.{inflight}", ep.name());
    if stats.timed_out {
        emit(&format!("{key}.timed_out"), 1.0);
        return;
    }
    emit(&format!("{key}.rps"), stats.rps());
    emit(
        &format!("{key}.p50_us"),
        percentile(&stats.latencies, 50.0) as f64 / 1e3,
    );
    emit(
        &format!("{key}.p99_us"),
        percentile(&stats.latencies, 99.0) as f64 / 1e3,
    );
    emit(&format!("{key}.errors"), stats.errors as f64);
    emit(&format!("{key}.requests"), stats.completed as f64);
    if let Some(per_poll) = stats.per_poll {
        emit(&format!("{key}.per_poll"), per_poll);
    }
}

/// Part 3 (the in-process clients): the SDK in both dispatch modes (poll dispatch twice: a
/// spinning poll loop and a frame loop) and a bare reqwest client, interleaved configuration by
/// configuration.
///
/// With `--default-policy` (the SDK before part 1's fix) only the SDK runs, its workers at
/// `SCHED_OTHER`, reported as `sdkother`, `sdkotherpoll` and `sdkotherframe`.
pub fn load(args: &Args) {
    let bare = Bare::new(&args.mock, 1);
    let names = if args.default_policy {
        must_init(&args.mock, Mode::Poll);
        default_policy_workers();
        drive::shutdown();
        ["sdkother", "sdkotherpoll", "sdkotherframe"]
    } else {
        ["sdk", "sdkpoll", "sdkframe"]
    };
    for ep in [Ep::Logout, Ep::Get] {
        for inflight in [1usize, 64, 1024] {
            let total = if inflight == 1 {
                args.requests1
            } else {
                args.requests
            };
            let warm = (inflight * 2).max(200);
            let wanted = |name: &str| {
                args.filter
                    .as_deref()
                    .is_none_or(|f| f == format!("{name}.{}.{inflight}", ep.name()))
            };
            if !args.default_policy && wanted("reqwest") {
                let _ = bare.run(ep, inflight, warm);
                let stats = bare.run(ep, inflight, total);
                emit_load("reqwest", ep, inflight, &stats);
            }
            // Counted by part 8 only (named by its filter): part 3 compares throughput.
            if args.filter.is_some() && wanted("reqwestframe") {
                let _ = bare.run_frames(ep, inflight, warm);
                let stats = bare.run_frames(ep, inflight, total);
                emit_load("reqwestframe", ep, inflight, &stats);
            }
            let modes = [
                (Mode::Immediate, names[0]),
                (Mode::Poll, names[1]),
                (Mode::Frame, names[2]),
            ];
            for (mode, name) in modes {
                if !wanted(name) {
                    continue;
                }
                must_init(&args.mock, mode);
                let _ = drive::sdk_run(mode, Some(ep), inflight, warm, false);
                let stats = drive::sdk_run(mode, Some(ep), inflight, total, true);
                emit_load(name, ep, inflight, &stats);
                drive::shutdown();
            }
        }
        if !args.default_policy && args.filter.is_none() {
            paired_latency(args, &bare, ep);
        }
    }
}

/// The added-latency budget, measured so that the machine's state cancels out: short rounds of
/// one request in flight, bare reqwest and the SDK (immediate dispatch) alternately, and the
/// median over the pairs of the SDK's p50 minus bare reqwest's. On this VM a lone request's
/// latency is bimodal for every client (about 15 µs, or about 70 µs when each hop wakes an idle
/// vCPU) and a mode can hold for seconds, so only neighbouring rounds compare like with like.
fn paired_latency(args: &Args, bare: &Bare, ep: Ep) {
    let (rounds, per_round) = if args.smoke { (2, 100) } else { (12, 300) };
    must_init(&args.mock, Mode::Immediate);
    let mut added: Vec<f64> = (0..rounds)
        .map(|_| {
            let floor = bare.run(ep, 1, per_round);
            let sdk = drive::sdk_run(Mode::Immediate, Some(ep), 1, per_round, true);
            let p50 = |stats: &Stats| percentile(&stats.latencies, 50.0) as f64 / 1e3;
            p50(&sdk) - p50(&floor)
        })
        .collect();
    drive::shutdown();
    added.sort_by(f64::total_cmp);
    let key = format!("pairs.{}.added_p50_us", ep.name());
    emit(&key, added[added.len() / 2]);
    emit(&format!("{key}.min"), added[0]);
    emit(&format!("{key}.max"), added[added.len() - 1]);
}

/// SDK threads' CPU time and wake-ups over `window` of idleness.
fn idle_window(prefix: &str, window: Duration) {
    std::thread::sleep(Duration::from_millis(200));
    let (cpu0, switches0) = util::other_threads_cpu_and_switches();
    std::thread::sleep(window);
    let (cpu1, switches1) = util::other_threads_cpu_and_switches();
    emit(&format!("{prefix}.cpu_us"), (cpu1 - cpu0) as f64 / 1e3);
    emit(&format!("{prefix}.wakeups"), (switches1 - switches0) as f64);
    emit(&format!("{prefix}.window_ms"), window.as_millis() as f64);
}

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

/// Part 5: `xerial_init` (first, creating the runtime) and `xerial_shutdown` with nothing in
/// flight, then warm init/shutdown cycles.
pub fn lifecycle(args: &Args) {
    let t0 = Instant::now();
    must_init(&args.mock, Mode::Poll);
    emit("life.init_cold_us", t0.elapsed().as_nanos() as f64 / 1e3);
    let t0 = Instant::now();
    drive::shutdown();
    emit(
        "life.shutdown_idle_us",
        t0.elapsed().as_nanos() as f64 / 1e3,
    );
    let cycles = if args.smoke { 10 } else { 200 };
    let mut inits = Vec::with_capacity(cycles);
    let mut shutdowns = Vec::with_capacity(cycles);
    for _ in 0..cycles {
        let t0 = Instant::now();
        must_init(&args.mock, Mode::Poll);
        inits.push(ns(t0.elapsed()));
        let t0 = Instant::now();
        drive::shutdown();
        shutdowns.push(ns(t0.elapsed()));
    }
    inits.sort_unstable();
    shutdowns.sort_unstable();
    emit("life.init_warm_us", percentile(&inits, 50.0) as f64 / 1e3);
    emit(
        "life.shutdown_warm_us",
        percentile(&shutdowns, 50.0) as f64 / 1e3,
    );
}
