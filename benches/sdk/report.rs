//! Turns the gathered `R key value` / `M key text` lines into the one Markdown table.
//!
//! Several repetitions of a key are reduced: throughput (`.rps`) to the best, latency
//! percentiles of the load runs to the lowest (noise from other processes only ever slows a run
//! down), error counts to the worst, everything else to the median.

use std::collections::HashMap;

mod cost;

const MIB: f64 = 1024.0 * 1024.0;

struct Results {
    values: HashMap<String, Vec<f64>>,
    meta: HashMap<String, String>,
}

impl Results {
    fn read(path: &str) -> std::io::Result<Results> {
        let text = std::fs::read_to_string(path)?;
        let mut values: HashMap<String, Vec<f64>> = HashMap::new();
        let mut meta = HashMap::new();
        for line in text.lines() {
            let mut words = line.splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("R"), Some(key), Some(value)) => {
                    if let Ok(v) = value.trim().parse::<f64>() {
                        values.entry(key.to_owned()).or_default().push(v);
                    }
                }
                (Some("M"), Some(key), Some(value)) => {
                    meta.insert(key.to_owned(), value.trim().to_owned());
                }
                _ => {}
            }
        }
        Ok(Results { values, meta })
    }

    fn get(&self, key: &str) -> Option<f64> {
        let mut v = self.values.get(key)?.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let last = v[v.len() - 1];
        Some(if key.ends_with(".rps") || key.ends_with(".errors") {
            last
        } else if key.starts_with("load.") && key.ends_with("_us") {
            v[0]
        } else {
            v[v.len() / 2]
        })
    }

    fn meta(&self, key: &str) -> &str {
        self.meta.get(key).map_or("?", String::as_str)
    }
}

/// A figure with a sensible number of digits.
fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 100_000.0 {
        let s = format!("{:.0}", v);
        // Thousands separators.
        let (sign, digits) = s.split_at(usize::from(s.starts_with('-')));
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    } else if a >= 100.0 {
        format!("{:.0}", v)
    } else if a >= 10.0 {
        format!("{:.1}", v)
    } else {
        format!("{:.2}", v)
    }
}

fn verdict(held: Option<bool>) -> &'static str {
    match held {
        Some(true) => "held",
        Some(false) => "**MISSED**",
        None => "n/a",
    }
}

struct Table {
    rows: Vec<[String; 8]>,
    held: usize,
    missed: Vec<String>,
}

impl Table {
    /// A row only the SDK has a figure for.
    fn sdk_row(
        &mut self,
        part: &str,
        measure: &str,
        sdk: String,
        budget: &str,
        held: Option<bool>,
    ) {
        self.row(part, measure, [sdk, dash(), dash(), dash()], budget, held);
    }

    fn row(
        &mut self,
        part: &str,
        measure: &str,
        cells: [String; 4],
        budget: &str,
        held: Option<bool>,
    ) {
        match held {
            Some(true) => self.held += 1,
            Some(false) => self.missed.push(format!("{part} {measure}")),
            None => {}
        }
        let [a, b, c, d] = cells;
        self.rows.push([
            part.to_owned(),
            measure.to_owned(),
            a,
            b,
            c,
            d,
            budget.to_owned(),
            verdict(held).to_owned(),
        ]);
    }
}

fn dash() -> String {
    "—".to_owned()
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "missing".to_owned(), f)
}

/// Renders the table to stdout; returns the exit status (0, or 1 when the file is unreadable).
pub fn render(path: &str) -> i32 {
    let r = match Results::read(path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return 1;
        }
    };
    let mut t = Table {
        rows: Vec::new(),
        held: 0,
        missed: Vec::new(),
    };
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

    // 3. Throughput and latency, side by side.
    let clients = ["sdk", "reqwest", "curl", "mono"];
    for ep in ["logout", "get"] {
        let what = if ep == "logout" {
            "logout (POST → 404)"
        } else {
            "GET balance (200)"
        };
        for n in [1, 64, 1024] {
            let key = |c: &str, m: &str| format!("load.{c}.{ep}.{n}.{m}");
            let sdk_rps = r.get(&key("sdk", "rps"));
            let poll_rps = r.get(&key("sdkpoll", "rps"));
            let frame_rps = r.get(&key("sdkframe", "rps"));
            let cell = |c: &str| -> String {
                let Some(v) = r.get(&key(c, "rps")) else {
                    return if r.get(&key(c, "timed_out")).is_some() {
                        "timed out".to_owned()
                    } else {
                        "missing".to_owned()
                    };
                };
                let errors = r.get(&key(c, "errors")).unwrap_or(0.0);
                let errors = if errors > 0.0 {
                    format!(", {errors:.0} errors")
                } else {
                    String::new()
                };
                match (c, sdk_rps) {
                    ("sdk", _) => {
                        let poll = match (poll_rps, frame_rps) {
                            (Some(p), Some(f)) => {
                                format!(" (poll loop: {}; frame loop: {})", num(p), num(f))
                            }
                            (Some(p), None) => format!(" (poll loop: {})", num(p)),
                            _ => String::new(),
                        };
                        format!("{}/s{errors}{poll}", num(v))
                    }
                    (_, Some(s)) => format!("{}/s ({:.2}×){errors}", num(v), v / s),
                    _ => format!("{}/s{errors}", num(v)),
                }
            };
            let cells = clients.map(cell);
            let (budget, held) = if n == 64 {
                let ratio = |c: &str| sdk_rps.zip(r.get(&key(c, "rps"))).map(|(s, o)| s / o);
                let (vs_bare, vs_curl) = (ratio("reqwest"), ratio("curl"));
                (
                    "≥ 0.9× bare reqwest and ≥ 1× libcurl",
                    vs_bare.zip(vs_curl).map(|(b, c)| b >= 0.9 && c >= 1.0),
                )
            } else {
                ("—", None)
            };
            t.row(
                "3",
                &format!("{what}, {n} in flight: throughput (× = that client ÷ SDK)"),
                cells,
                budget,
                held,
            );
            let lat = |c: &str| -> String {
                let p50 = r.get(&key(c, "p50_us"));
                let p99 = r.get(&key(c, "p99_us"));
                let sdk = r.get(&key("sdk", "p50_us"));
                match (p50, p99) {
                    (Some(a), Some(b)) => match (c, sdk) {
                        ("sdk", _) | (_, None) => format!("{} / {} µs", num(a), num(b)),
                        (_, Some(s)) => format!("{} / {} µs ({:.2}×)", num(a), num(b), a / s),
                    },
                    _ => "missing".to_owned(),
                }
            };
            let (budget, held) = if n == 1 {
                // Paired rounds (parts.rs, `paired_latency`): the median SDK − bare difference.
                let pairs = format!("pairs.{ep}.added_p50_us");
                let added = r.get(&pairs);
                (
                    match added {
                        Some(a) => format!(
                            "≤ 20 µs over bare reqwest (measured {a:+.1} µs: median of paired rounds, range {} to {})",
                            opt(r.get(&format!("{pairs}.min")), |v| format!("{v:+.1}")),
                            opt(r.get(&format!("{pairs}.max")), |v| format!("{v:+.1}"))
                        ),
                        None => "≤ 20 µs over bare reqwest".to_owned(),
                    },
                    added.map(|a| a <= 20.0),
                )
            } else {
                ("—".to_owned(), None)
            };
            t.row(
                "3",
                &format!("{what}, {n} in flight: latency p50 / p99"),
                clients.map(lat),
                &budget,
                held,
            );
        }
    }

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

    // 6. Size.
    let built = r.get("size.cdylib_bytes");
    let stripped = r.get("size.stripped_bytes");
    t.sdk_row(
        "6",
        "`libxerial.so`, release profile (already `strip = \"symbols\"`) / `strip --strip-all`",
        format!(
            "{} MiB / {} MiB",
            opt(built, |v| format!("{:.2}", v / MIB)),
            opt(stripped, |v| format!("{:.2}", v / MIB))
        ),
        "≤ 2.5 MB",
        stripped.or(built).map(|v| v <= 2.5 * MIB),
    );

    // 7. The host-transport path (issue 15): one C driver, poll dispatch, the bench thread polling.
    for (ep, what) in [
        ("logout", "logout (POST → 404)"),
        ("get", "GET balance (200)"),
    ] {
        for n in [1, 64] {
            let cell = |mode: &str| {
                let key = |m: &str| format!("host.{mode}.{ep}.{n}.{m}");
                match (
                    r.get(&key("rps")),
                    r.get(&key("p50_us")),
                    r.get(&key("p99_us")),
                ) {
                    (Some(rps), Some(p50), Some(p99)) => {
                        format!("{}/s (p50 {} µs, p99 {} µs)", num(rps), num(p50), num(p99))
                    }
                    _ => dash(),
                }
            };
            t.sdk_row(
                "7",
                &format!(
                    "{what}, {n} in flight, poll loop: built-in transport / host transport in C over libcurl multi (its own thread) / the same with `XERIAL_RUN_IN_POLL`"
                ),
                format!(
                    "{} / {} / {}",
                    cell("builtin"),
                    cell("curl"),
                    cell("curl-poll")
                ),
                "—",
                None,
            );
        }
    }

    if r.meta("mode") == "smoke" {
        println!(
            "**Smoke run:** small counts on whatever machine ran it; it proves every part still \
             runs, its figures are not measurements.\n"
        );
    }
    println!(
        "**Machine:** {} cores (`nproc`), {}, {}. Load average (1 min) {} at the start, {} at the end.  ",
        r.meta("nproc"),
        r.meta("cpu"),
        r.meta("kernel"),
        r.meta("load_start"),
        r.meta("load_end")
    );
    println!(
        "**Settings:** {} run of `scripts/bench.sh` on {}; {}. SDK: release profile, \
         `worker_threads` 1 (the default; the bare reqwest floor also runs one worker), one offline server (`xerial-mock`, one thread) on 127.0.0.1 for all \
         clients; throughput runs after a warm-up, {} requests per configuration (1 in flight: {}), \
         best of {} interleaved repetitions.  ",
        r.meta("mode"),
        r.meta("date"),
        r.meta("toolchain"),
        num(r.get("settings.requests").unwrap_or(0.0)),
        num(r.get("settings.requests_1").unwrap_or(0.0)),
        r.meta("reps")
    );
    println!(
        "**SDK column:** immediate dispatch (callbacks on the SDK's workers, next call issued from \
         the callback); \"poll loop\" is poll dispatch with the bench thread calling \
         `xerial_poll(0)` in a loop (yielding when nothing ran); \"frame loop\" is poll dispatch \
         as a game drives it, one `xerial_poll(0)` per 1 ms frame, asleep in between. MB in \
         budgets read as MiB.\n"
    );
    println!("| Part | Measure | Xerial SDK | bare reqwest | libcurl multi | Mono HttpClient | Budget | Verdict |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in &t.rows {
        println!("| {} |", row.join(" | "));
    }
    println!();
    let mut counted = Table {
        rows: Vec::new(),
        held: t.held,
        missed: std::mem::take(&mut t.missed),
    };
    cost::rows(&r, &mut counted);
    if !counted.rows.is_empty() {
        println!("{}", cost::header(&r));
        for row in &counted.rows {
            println!("| {} |", row.join(" | "));
        }
        println!();
    }
    let t = counted;
    println!(
        "Budgets held: {}; missed: {}{}",
        t.held,
        t.missed.len(),
        if t.missed.is_empty() {
            String::new()
        } else {
            format!(" ({})", t.missed.join("; "))
        }
    );
    0
}
