//! Part 5: init and shutdown, first and warm.

use super::*;

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
