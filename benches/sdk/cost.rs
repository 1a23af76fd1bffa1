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
/// is the bare client driven from the same frame loop as `sdkframe`. A key ending in
/// `_tcache` is its client again with glibc's per-thread cache of freed blocks raised from 7
/// blocks a size to `TCACHE_COUNT` (`GLIBC_TUNABLES`; a process-wide setting that only the
/// program may choose, not a library in it): a diagnostic of what the frame loop's batches cost
/// the allocator, for the SDK in its frame loop and the bare client in its own.
const CLIENTS: [&str; 7] = [
    "sdk",
    "sdkframe",
    "reqwest",
    "reqwestframe",
    "curl",
    "sdkframe_tcache",
    "reqwest_tcache",
];

/// The key suffix of the diagnostic runs, and their cache size.
const TCACHE: &str = "_tcache";
const TCACHE_COUNT: &str = "glibc.malloc.tcache_count=4096";

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
            for key_name in CLIENTS {
                let client = key_name.strip_suffix(TCACHE).unwrap_or(key_name);
                let tunables = (client != key_name).then_some(TCACHE_COUNT);
                if tunables.is_some() && n != 64 {
                    continue; // the diagnostic is of the budget's configuration only
                }
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
                let key = format!("cost.{key_name}.{ep}.{n}");
                let count = |requests| instructions(&command(requests), tunables);
                match (count(n1), count(n2)) {
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

/// Runs `argv` under callgrind, with `tunables` as `GLIBC_TUNABLES` if given; the
/// instructions it executed and what it printed, if it ran and succeeded.
fn instructions(argv: &[String], tunables: Option<&str>) -> Option<(u64, String)> {
    let mut valgrind = Command::new("valgrind");
    valgrind
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .args(argv);
    match tunables {
        Some(tunables) => valgrind.env("GLIBC_TUNABLES", tunables),
        None => valgrind.env_remove("GLIBC_TUNABLES"),
    };
    let output = valgrind.output().ok()?;
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
