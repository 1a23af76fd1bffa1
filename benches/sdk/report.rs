//! Turns the gathered `R key value` / `M key text` lines into the one Markdown table.
//!
//! Several repetitions of a key are reduced: throughput (`.rps`) to the best, latency
//! percentiles of the load runs to the lowest (noise from other processes only ever slows a run
//! down), error counts to the worst, everything else to the median.

use std::collections::HashMap;

mod cost;
mod dispatch;
mod footprint;
mod load;

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
    dispatch::rows(&r, &mut t);
    load::rows(&r, &mut t);
    footprint::rows(&r, &mut t);

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
