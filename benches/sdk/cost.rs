//! Part 8: what each client costs the player's CPU per request, counted in instructions.
//!
//! Wall-clock throughput on loopback is bounded by the one-thread offline server, so the
//! clients' ratios swing with the machine's noise. Instructions do not: every client runs under
//! `valgrind --tool=callgrind`, which counts the client process only (the server is another
//! process, so its instructions are excluded by construction), user space only (the kernel's
//! share of each socket call is not counted, for any client). Each configuration runs twice with
//! different request counts, same binary and settings, and per request =
//! (total(N2) − total(N1)) / (N2 − N1): start-up, warm-up and the runtime's creation cancel.
//! Valgrind serialises a process's threads: the counts stay exact, its timings mean nothing.

use std::process::Command;

use crate::util::emit;
use crate::Args;

/// The clients counted: the key they report under, and how `load` names them. `reqwestframe`
/// is the bare client driven from the same frame loop as `sdkframe`.
const CLIENTS: [&str; 5] = ["sdk", "sdkframe", "reqwest", "reqwestframe", "curl"];

/// Request counts of the two runs: full, smoke.
const COUNTS: [(usize, usize); 2] = [(2_000, 6_000), (300, 1_300)];

/// The frame loop's frame under callgrind, for `in_flight` requests. The client runs about 50
/// times slower there while the server does not, so the native run's 1 ms frame would find less
/// than one answer per poll at 64 in flight (it did: 0.4), where a game's poll, like the native
/// run's, takes the whole batch. About 1.5 ms of callgrind's time per request in flight (100 ms
/// at 64, the native 1 ms at 1) lets a poll find the batch again; the answers per poll are
/// reported beside the counts.
fn callgrind_frame_ms(in_flight: usize) -> String {
    (in_flight * 100 / 64).max(1).to_string()
}

pub fn cost(args: &Args) {
    let Some(curl) = args.curl.as_deref() else {
        eprintln!("cost needs --curl PATH (the libcurl multi client, benches/curl)");
        std::process::exit(2);
    };
    let me = std::env::current_exe().expect("the bench binary's path");
    let me = me.to_str().expect("a UTF-8 path");
    let (n1, n2) = COUNTS[usize::from(args.smoke)];
    // The smoke run counts the budget's configurations only (64 in flight).
    let inflights: &[usize] = if args.smoke { &[64] } else { &[1, 64] };
    for ep in ["logout", "get"] {
        for &n in inflights {
            for client in CLIENTS {
                let command = |requests: usize| -> Vec<String> {
                    match client {
                        "curl" => vec![
                            curl.into(),
                            args.mock.clone(),
                            format!("{ep}:{n}:{requests}"),
                        ],
                        _ => [
                            me,
                            "load",
                            "--mock",
                            &args.mock,
                            "--filter",
                            &format!("{client}.{ep}.{n}"),
                            "--requests",
                            &requests.to_string(),
                            "--requests1",
                            &requests.to_string(),
                            "--frame-ms",
                            &callgrind_frame_ms(n),
                        ]
                        .map(String::from)
                        .to_vec(),
                    }
                };
                let key = format!("cost.{client}.{ep}.{n}");
                match (instructions(&command(n1)), instructions(&command(n2))) {
                    (Some((a, _)), Some((b, out))) if b > a => {
                        emit(&format!("{key}.instr"), (b - a) as f64 / (n2 - n1) as f64);
                        let per_poll = format!("R load.{client}.{ep}.{n}.per_poll ");
                        if let Some(v) = out.lines().find_map(|l| l.strip_prefix(&per_poll)) {
                            emit(&format!("{key}.per_poll"), v.parse().unwrap_or(0.0));
                        }
                    }
                    (a, b) => {
                        eprintln!("{key}: no count ({a:?}, {b:?})");
                        emit(&format!("{key}.failed"), 1.0);
                    }
                }
            }
        }
    }
    emit("cost.requests", (n2 - n1) as f64);
}

/// Runs `argv` under callgrind; the instructions it executed and what it printed, if it ran
/// and succeeded.
fn instructions(argv: &[String]) -> Option<(u64, String)> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .args(argv)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        eprintln!("{argv:?} failed: {}", stderr.lines().last().unwrap_or(""));
        return None;
    }
    // `==PID== Collected : N`
    let count = stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())?;
    Some((count, String::from_utf8_lossy(&output.stdout).into_owned()))
}
