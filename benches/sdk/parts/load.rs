//! Part 3: throughput and latency of the SDK and the bare client, closed loops.

use super::*;

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
