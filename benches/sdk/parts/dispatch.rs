//! Parts 1 and 2: what issuing a call costs the game thread, and what polling costs.

use super::*;

/// Single calls made, not counted, before part 1's counted ones: after the bursts the first 17
/// to 29 took 12–16 µs, then 2–5 µs (three smoke runs, each call printed; the cause was not
/// isolated). The smoke run's 20 counted calls were all in that stretch (median 17 µs, against
/// 4.9 µs over the full run's 1,000).
const SINGLES_WARM_UP: usize = 60;

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
    // pays for waking one (a game issuing a call now and then). The first `SINGLES_WARM_UP`
    // after the bursts are not counted.
    let mut single = Vec::with_capacity(singles);
    let mut single_preempted = 0;
    for round in 0..SINGLES_WARM_UP + singles {
        std::thread::sleep(Duration::from_millis(2));
        let (_, involuntary) = util::my_switches();
        let t0 = Instant::now();
        let id = drive::issue(Ep::Logout, count_cb, std::ptr::null_mut());
        if round >= SINGLES_WARM_UP {
            single.push(ns(t0.elapsed()));
            // A call, not a context switch, is counted: one call can lose its CPU more than once.
            single_preempted += (util::my_switches().1 - involuntary).min(1);
        }
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
