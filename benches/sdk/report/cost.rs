//! Part 8's table: instructions per request of each client (`cost.rs`), as ratios to libcurl.

use super::{num, Results, Table};

/// The SDK's budget at 64 in flight: at most libcurl multi's instructions per request and at
/// most this many times bare reqwest's, each dispatch mode against bare reqwest driven the same
/// way: immediate dispatch (answers on the worker, the next call issued there) against the bare
/// client's own loop, which does the same; poll dispatch in the frame loop against the bare
/// client in that frame loop, as a game would drive either. The frame loop's batches cost any
/// client more (glibc's per-thread cache overflows: the diagnostic rows), so the poll mode's
/// ratio to the bare client's own loop measures the loop as much as the client; it is printed
/// beside the verdict.
const BARE_FACTOR: f64 = 1.1;

/// Adds part 8's rows to `t` (its own table: the columns are the clients' dispatch modes).
pub(super) fn rows(r: &Results, t: &mut Table) {
    for (ep, what) in [
        ("logout", "logout (POST → 404)"),
        ("get", "GET balance (200)"),
    ] {
        for n in [1, 64] {
            let instr = |c: &str| r.get(&format!("cost.{c}.{ep}.{n}.instr"));
            let curl = instr("curl");
            let bare = instr("reqwest");
            let bare_frames = instr("reqwestframe");
            if curl.is_none() && bare.is_none() && instr("sdk").is_none() {
                continue; // not counted in this run (the smoke run counts 64 in flight only)
            }
            let cell = |c: &str| match instr(c) {
                None => "missing".to_owned(),
                Some(v) => {
                    let mut ratios = Vec::new();
                    if let Some(curl) = curl {
                        ratios.push(format!("{:.2}× libcurl", v / curl));
                    }
                    if let ("sdkframe", Some(frames)) = (c, bare_frames) {
                        ratios.push(format!("{:.2}× bare reqwest in the frame loop", v / frames));
                    }
                    match (c, bare) {
                        ("sdk", Some(bare)) => {
                            ratios.push(format!("{:.2}× bare reqwest", v / bare));
                        }
                        ("sdkframe", Some(bare)) => {
                            ratios.push(format!("{:.2}× bare reqwest's own loop", v / bare));
                        }
                        _ => {}
                    }
                    if let Some(per_poll) = r.get(&format!("cost.{c}.{ep}.{n}.per_poll")) {
                        let answers = if per_poll.round() == 1.0 {
                            "answer"
                        } else {
                            "answers"
                        };
                        ratios.push(format!("{per_poll:.0} {answers} a poll"));
                    }
                    let cell = format!("{} k ({})", num(v / 1e3), ratios.join(", "));
                    match (c, bare_frames) {
                        ("reqwest", Some(frames)) => {
                            let vs_curl = curl
                                .map(|curl| format!(" ({:.2}× libcurl)", frames / curl))
                                .unwrap_or_default();
                            let own = frames / instr("reqwest").unwrap_or(frames);
                            let vs_curl = format!("{vs_curl}, {own:.2}× its own loop");
                            format!(
                                "{cell}; in the frame loop: {} k{vs_curl}",
                                num(frames / 1e3)
                            )
                        }
                        _ => cell,
                    }
                }
            };
            let (budget, held) = if n == 64 {
                let within = |c: &str, bare: Option<f64>| {
                    instr(c)
                        .zip(curl.zip(bare))
                        .map(|(v, (curl, bare))| v <= curl && v <= BARE_FACTOR * bare)
                };
                (
                    "both SDK modes ≤ 1× libcurl multi and ≤ 1.1× bare reqwest driven the same way \
                     (immediate: its own loop; poll: the same frame loop)",
                    within("sdk", bare)
                        .zip(within("sdkframe", bare_frames))
                        .map(|(a, b)| a && b),
                )
            } else {
                ("—", None)
            };
            t.row(
                "8",
                &format!("{what}, {n} in flight: instructions per request"),
                ["sdk", "sdkframe", "reqwest", "curl"].map(cell),
                budget,
                held,
            );
            if n == 64 {
                allocator_row(r, t, ep, what);
            }
        }
    }
}

/// The diagnostic row: the SDK's frame loop and the bare client's own loop again, with glibc's
/// per-thread cache of freed blocks raised to 4,096 a size (`cost.rs`). What the frame loop's
/// batches (64 requests started, then 64 answers freed, at once) cost beyond the default cache
/// of 7 shows as the fall from the main row.
fn allocator_row(r: &Results, t: &mut Table, ep: &str, what: &str) {
    let instr = |c: &str| r.get(&format!("cost.{c}.{ep}.64.instr"));
    let (Some(frames), Some(bare)) = (instr("sdkframe_tcache"), instr("reqwest_tcache")) else {
        return;
    };
    let fall = |cached: f64, default: &str| match instr(default) {
        Some(default) => format!(
            ", {:+.1} k from the default cache",
            (cached - default) / 1e3
        ),
        None => String::new(),
    };
    t.row(
        "8",
        &format!(
            "{what}, 64 in flight, glibc's per-thread cache raised to 4,096 blocks a size \
             (diagnostic): instructions per request"
        ),
        [
            "—".to_owned(),
            format!(
                "{} k ({:.2}× bare reqwest{})",
                num(frames / 1e3),
                frames / bare,
                fall(frames, "sdkframe")
            ),
            format!("{} k{}", num(bare / 1e3), fall(bare, "reqwest")),
            "—".to_owned(),
        ],
        "— (the allocator's share of the frame loop)",
        None,
    );
}

/// The table's header and how it was counted.
pub(super) fn header(r: &Results) -> String {
    format!(
        "**Part 8, client cost:** instructions each client's process executes per request \
         (callgrind, user space; the server is another process and is not counted), the slope \
         between two runs {} requests apart so that start-up and warm-up cancel. \"SDK poll\" is \
         poll dispatch driven as a game drives it: one `xerial_poll(0)` per frame, the thread \
         asleep in between, each poll taking the batch of answers that came during the frame (the \
         native run's 1 ms frame finds the whole batch; under callgrind the client runs ~50 times \
         slower than the server answers, so the frame is 100 ms there at 64 in flight, and the \
         answers a poll took are shown); bare reqwest \"in the frame loop\" is the bare client driven from the same \
         loop (each request a task started from that thread, answers taken once a frame). Each SDK \
         mode is held to bare reqwest driven the same way: immediate dispatch to the bare client's \
         own loop (both issue the next request where the answer arrives), poll dispatch to the bare \
         client in the same frame loop (what a game's loop costs either); the poll mode's ratio \
         to the bare client's own loop is shown too. The diagnostic rows count the SDK's \
         frame loop and the bare client's own loop again with glibc's per-thread cache of freed \
         blocks raised from 7 to 4,096 a size (`GLIBC_TUNABLES`, the program's setting): what the \
         frame loop's batches cost the allocator. Unlike wall-clock figures the counts do not depend on the machine's \
         load; they vary by about 1 % between runs.\n\n\
         | Part | Measure | SDK immediate | SDK poll (frame loop) | bare reqwest | libcurl multi | Budget | Verdict |\n\
         |---|---|---|---|---|---|---|---|",
        num(r.get("cost.requests").unwrap_or(0.0))
    )
}
