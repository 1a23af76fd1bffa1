//! Parts 1 and 2's rows: what issuing a call and polling cost the game thread.

use super::{num, opt, Results, Table};

pub(super) fn rows(r: &Results, t: &mut Table) {
    let us = |ns: f64| ns / 1e3;
    // 1. Issuing.
    for (variant, label) in [
        (
            "burst",
            "`xerial_logout` cost, 64 calls back to back: median / p99",
        ),
        (
            "single",
            "`xerial_logout` cost, one call after 2 ms idle: median / p99",
        ),
    ] {
        let p50 = r.get(&format!("issue.{variant}.p50_ns"));
        let p99 = r.get(&format!("issue.{variant}.p99_ns"));
        let preempted = r.get(&format!("issue.{variant}.preempted_pct"));
        // A call after idle must wake a parked worker: its median is judged against the floor
        // of that wake measured in the same run (the next row), not against a fixed time.
        let floor = r.get("issue.wake_floor.p50_ns");
        // Bursts count context switches per batch: an upper bound on the preempted calls.
        let bound = if variant == "single" { "" } else { "≤ " };
        let (budget, held, ratio) = if variant == "single" {
            let ratio = p50.zip(floor).map(|(a, f)| a / f);
            (
                "≤ 3× the wake floor / ≤ 20 µs",
                ratio.zip(p99).map(|(x, b)| x <= 3.0 && b <= 20_000.0),
                opt(ratio, |x| format!("; median {x:.2}× the floor")),
            )
        } else {
            (
                "≤ 2 µs / ≤ 20 µs",
                p50.zip(p99).map(|(a, b)| a <= 2000.0 && b <= 20_000.0),
                String::new(),
            )
        };
        t.sdk_row(
            "1",
            label,
            format!(
                "{} µs / {} µs (caller preempted in {bound}{}% of calls{ratio})",
                opt(p50, |v| num(us(v))),
                opt(p99, |v| num(us(v))),
                opt(preempted, num)
            ),
            budget,
            held,
        );
        let p50 = r.get(&format!("issue_other.{variant}.p50_ns"));
        let p99 = r.get(&format!("issue_other.{variant}.p99_ns"));
        if p50.is_some() {
            t.sdk_row(
                "1",
                &format!("for comparison, before the fix: the same with the SDK's workers at `SCHED_OTHER`, {variant}"),
                    format!(
                        "{} µs / {} µs (preempted in {bound}{}%)",
                        opt(p50, |v| num(us(v))),
                        opt(p99, |v| num(us(v))),
                        opt(r.get(&format!("issue_other.{variant}.preempted_pct")), num)
                    ),
                "≤ 2 µs / ≤ 20 µs",
                None,
            );
        }
    }
    let p50 = r.get("issue.wake_floor.p50_ns");
    if p50.is_some() {
        t.sdk_row(
            "1",
            "floor of any call that starts work on a parked thread: `Thread::unpark` (one futex wake) after 2 ms idle, no SDK",
                format!(
                    "{} µs / {} µs",
                    opt(p50, |v| num(us(v))),
                    opt(r.get("issue.wake_floor.p99_ns"), |v| num(us(v)))
                ),
            "—",
            None,
        );
    }

    // 2. Polling.
    let idle = r.get("poll.idle_ns");
    let allocs = r.get("poll.idle_allocs");
    let calls = r.get("poll.idle_calls");
    t.sdk_row(
        "2",
        "`xerial_poll` with nothing queued: time per call, allocations",
        format!(
            "{} ns; {} allocations in {} calls",
            opt(idle, num),
            opt(allocs, |v| format!("{v:.0}")),
            opt(calls, num)
        ),
        "≤ 50 ns, no allocation",
        idle.zip(allocs).map(|(i, a)| i <= 50.0 && a == 0.0),
    );
    for depth in [1, 10, 1000] {
        let per = r.get(&format!("poll.q{depth}.ns_per_cb"));
        let allocs = r.get(&format!("poll.q{depth}.allocs_per_cb"));
        let cancelled = r
            .get(&format!("poll.q{depth}.cancelled_pct"))
            .unwrap_or(0.0);
        let note = if cancelled > 0.0 {
            format!(" ({cancelled:.0}% were cancels)")
        } else {
            String::new()
        };
        t.sdk_row(
            "2",
            &format!("`xerial_poll` per delivered callback, {depth} queued"),
            format!(
                "{} ns, {} allocations/callback{note}",
                opt(per, num),
                opt(allocs, |v| format!("{v:.1}"))
            ),
            "—",
            None,
        );
    }
}
