//! Parts 4 and 5's rows: memory, and what init, shutdown and idle cost.

use super::{dash, num, opt, Results, Table, MIB};

pub(super) fn rows(r: &Results, t: &mut Table) {
    // 4. Memory.
    let mib = |kib: f64| kib / 1024.0;
    let rss_init = r.get("mem.rss_init_kib");
    let rss_before = r.get("mem.rss_before_init_kib");
    t.sdk_row(
        "4",
        "RSS after `xerial_init` (whole bench process; before init)",
        format!(
            "{} MiB ({} MiB)",
            opt(rss_init, |v| num(mib(v))),
            opt(rss_before, |v| num(mib(v)))
        ),
        "≤ 8 MB",
        rss_init.map(|v| v * 1024.0 <= 8.0 * MIB),
    );
    let n = r.get("mem.inflight_n").unwrap_or(10_000.0);
    let reached = r.get("mem.inflight_reached");
    let rss_inflight = r.get("mem.rss_inflight_kib");
    let per_request = |key: &str| {
        r.get(key).map_or(String::new(), |b| {
            format!("; live heap {} KiB per request", num(b / 1024.0))
        })
    };
    let bare_rss = r.get("mem.bare.rss_inflight_kib");
    t.row(
        "4",
        &format!("RSS with {} requests in flight", num(n)),
        [
            format!(
                "{} MiB ({} reached the server{})",
                opt(rss_inflight, |v| num(mib(v))),
                opt(reached, num),
                per_request("mem.heap_per_inflight_bytes")
            ),
            match (bare_rss, rss_inflight) {
                (Some(b), Some(s)) => format!(
                    "{} MiB ({:.2}×; {} reached{})",
                    num(mib(b)),
                    b / s,
                    opt(r.get("mem.bare.inflight_reached"), num),
                    per_request("mem.bare.heap_per_inflight_bytes")
                ),
                _ => dash(),
            },
            dash(),
            dash(),
        ],
        "≤ 60 MB",
        rss_inflight.map(|v| v * 1024.0 <= 60.0 * MIB),
    );
    t.row(
        "4",
        "one request's future as built by the core (logout / GET; the task adds the dispatch wrapper)",
        [
            format!(
                "{} / {} bytes",
                opt(r.get("size.logout_future_bytes"), num),
                opt(r.get("size.get_future_bytes"), num)
            ),
            format!(
                "{} bytes (`send()` future)",
                opt(r.get("size.reqwest_future_bytes"), num)
            ),
            dash(),
            dash(),
        ],
        "—",
        None,
    );
    let drift_rss = r.get("drift.rss_kib");
    let drift_heap = r.get("drift.heap_bytes");
    let drift_n = r.get("drift.requests");
    t.sdk_row(
        "4",
        &format!(
            "drift after {} completed requests: RSS / live heap",
            opt(drift_n, num)
        ),
        format!(
            "{} KiB / {} bytes ({} req/s, {} allocations per request, {} errors)",
            opt(drift_rss, num),
            opt(drift_heap, num),
            opt(r.get("drift.rps"), num),
            opt(r.get("drift.allocs_per_request"), num),
            opt(r.get("drift.errors"), |v| format!("{v:.0}"))
        ),
        "≤ 1 MB",
        drift_rss.map(|v| v * 1024.0 <= MIB),
    );
    t.sdk_row(
        "4",
        "threads created: by init / after traffic / with 10,000 in flight",
        format!(
            "{} / {} / {}",
            opt(r.get("mem.threads_init"), |v| format!("{v:.0}")),
            opt(r.get("mem.threads_after_traffic"), |v| format!("{v:.0}")),
            opt(r.get("mem.threads_inflight"), |v| format!("{v:.0}"))
        ),
        "—",
        None,
    );

    // 5. Lifecycle.
    let cold = r.get("life.init_cold_us");
    t.sdk_row(
        "5",
        "`xerial_init`: first in the process (creates the runtime) / later",
        format!(
            "{} ms / {} µs",
            opt(cold, |v| num(v / 1e3)),
            opt(r.get("life.init_warm_us"), num)
        ),
        "≤ 5 ms",
        cold.map(|v| v <= 5_000.0),
    );
    t.sdk_row(
        "5",
        "`xerial_shutdown`, nothing in flight: first / later",
        format!(
            "{} µs / {} µs",
            opt(r.get("life.shutdown_idle_us"), num),
            opt(r.get("life.shutdown_warm_us"), num)
        ),
        "—",
        None,
    );
    let shut = r.get("life.shutdown_inflight_ms");
    t.row(
        "5",
        &format!(
            "`xerial_shutdown` with {} in flight (runs their {} callbacks)",
            num(n),
            opt(r.get("life.shutdown_inflight_callbacks"), num)
        ),
        [format!("{} ms", opt(shut, num)), dash(), dash(), dash()],
        "≤ 100 ms",
        shut.map(|v| v <= 100.0),
    );
    let (cpu, wakeups) = (r.get("idle.init.cpu_us"), r.get("idle.init.wakeups"));
    t.sdk_row(
        "5",
        "idle 2 s after init: SDK threads' CPU time, wake-ups",
        format!(
            "{} µs, {} wake-ups",
            opt(cpu, num),
            opt(wakeups, |v| format!("{v:.0}"))
        ),
        "no CPU, no wake-ups",
        cpu.zip(wakeups).map(|(c, w)| c == 0.0 && w == 0.0),
    );
    t.sdk_row(
        "5",
        "idle 2 s after traffic (64 pooled connections): CPU time, wake-ups",
        format!(
            "{} µs, {} wake-ups",
            opt(r.get("idle.traffic.cpu_us"), num),
            opt(r.get("idle.traffic.wakeups"), |v| format!("{v:.0}"))
        ),
        "—",
        None,
    );
    if let (Some(with), Some(without)) = (r.get("cold.with_init_ms"), r.get("cold.without_ms")) {
        t.sdk_row(
            "5",
            "C host process: start, load libxerial.so, init, shutdown, exit (hyperfine mean; without init)",
                format!("{} ms ({} ms)", num(with), num(without)),
            "—",
            None,
        );
    }
}
