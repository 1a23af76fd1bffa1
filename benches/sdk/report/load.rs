//! Part 3's rows: throughput and latency of every client side by side.

use super::{num, opt, Results, Table};

pub(super) fn rows(r: &Results, t: &mut Table) {
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
}
