//! The Xerial SDK benchmark suite (issue 7): one binary, one part per subcommand, results as
//! `R key value` lines that `scripts/bench.sh` gathers and `report` turns into the table.
//!
//! ```text
//! sdk issue|poll|load|memory|memory-bare|futures|drift|lifecycle|cost --mock URL [--hold URL] [--smoke]
//!     [--drift N] [--requests N] [--requests1 N] [--default-policy] [--filter C.E.N] [--curl PATH] [--frame-ms N]
//! sdk report RESULTS_FILE
//! ```
//! Every part talks to an offline server (`xerial-mock`) on loopback that the script started;
//! `--hold` is a second one, used to hold requests in flight. Run it through
//! `scripts/bench.sh`, which builds everything, starts the servers and runs the other clients.

#[macro_use]
#[path = "../../tests/support/host_heap.rs"]
mod host_heap;

mod bare;
mod cost;
mod drive;
mod parts;
mod report;
mod util;

use std::time::Duration;

use util::Counting;

/// Command-line settings of a part.
pub struct Args {
    pub mock: String,
    pub hold: Option<String>,
    pub smoke: bool,
    pub drift: Option<usize>,
    /// Measured requests per load configuration, and with 1 in flight.
    pub requests: usize,
    pub requests1: usize,
    /// `issue`/`load`: switch the SDK's workers back to SCHED_OTHER first (as before the fix).
    pub default_policy: bool,
    /// `load` only: run just this configuration, `client.endpoint.in_flight` (profiling).
    pub filter: Option<String>,
    /// `cost` only: the libcurl multi client (benches/curl).
    pub curl: Option<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: sdk issue|poll|load|memory|memory-bare|futures|drift|lifecycle|cost --mock URL [--hold URL] [--smoke] \
         [--drift N] [--requests N] [--requests1 N] [--default-policy] [--filter C.E.N] [--curl PATH] [--frame-ms N]\n       sdk report RESULTS_FILE"
    );
    std::process::exit(2)
}

fn number(arg: Option<&String>) -> usize {
    arg.and_then(|n| n.parse().ok()).unwrap_or_else(|| usage())
}

fn main() {
    // `cargo bench` appends `--bench`; ignore it.
    let argv: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(part) = argv.first().cloned() else {
        // A bare `cargo bench` (or `cargo test --benches`) lands here: the suite needs the
        // servers and clients that scripts/bench.sh starts.
        eprintln!("the Xerial benchmark suite runs from scripts/bench.sh (docs/BENCHMARKS.md)");
        return;
    };
    if part == "report" {
        let Some(path) = argv.get(1) else { usage() };
        std::process::exit(report::render(path));
    }
    let mut args = Args {
        mock: String::new(),
        hold: None,
        smoke: false,
        drift: None,
        requests: 20_000,
        requests1: 4_000,
        default_policy: false,
        filter: None,
        curl: None,
    };
    let mut rest = argv[1..].iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--mock" => args.mock = rest.next().cloned().unwrap_or_else(|| usage()),
            "--hold" => args.hold = rest.next().cloned(),
            "--smoke" => args.smoke = true,
            "--default-policy" => args.default_policy = true,
            "--filter" => args.filter = rest.next().cloned(),
            "--curl" => args.curl = rest.next().cloned(),
            "--drift" => args.drift = rest.next().and_then(|n| n.parse().ok()),
            "--requests" => args.requests = number(rest.next()),
            "--requests1" => args.requests1 = number(rest.next()),
            "--frame-ms" => drive::set_frame(Duration::from_millis(number(rest.next()) as u64)),
            _ => usage(),
        }
    }
    if args.mock.is_empty() {
        usage();
    }
    Counting::assert_installed();
    if matches!(part.as_str(), "drift" | "memory" | "memory-bare") {
        // Live heap bytes are only meaningful when counted from the start.
        Counting::enable_global();
    }
    match part.as_str() {
        "issue" => parts::issue(&args),
        "poll" => parts::poll(&args),
        "load" => parts::load(&args),
        "memory" => parts::memory(&args),
        "memory-bare" => parts::memory_bare(&args),
        "futures" => parts::futures(&args),
        "drift" => parts::drift(&args),
        "lifecycle" => parts::lifecycle(&args),
        "cost" => cost::cost(&args),
        _ => usage(),
    }
}
