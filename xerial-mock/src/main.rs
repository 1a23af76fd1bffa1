//! `xerial-mock`: run the offline Xerial server from the command line.
//!
//! The first line on stdout is always `xerial-mock listening on http://HOST:PORT`, so
//! scripts can start it with `--port 0` and read the URL back; the lines after it say what a
//! client configures (`base_url:`, `marketplace_url:`, `wallet_api:`).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use xerial_mock::{Fixture, Mock};

const HELP: &str = "\
xerial-mock: offline stand-in for Xerial's HTTP API, with fault injection

USAGE:
    xerial-mock --port N [--host 127.0.0.1] [--fixture FILE.json] [--verbose]

OPTIONS:
    --port N          TCP port to listen on; 0 picks a free one (required)
    --host ADDR       address to bind (default 127.0.0.1)
    --fixture FILE    seed state from a JSON fixture (see README), restored on reset
    --verbose         log every request to stderr
    -h, --help        print this help

The first stdout line is `xerial-mock listening on http://HOST:PORT`; the next lines
name what to configure: `base_url:` and `marketplace_url:` (this SDK's XerialConfig; the
SDK appends /api/... itself) and `wallet_api:` (HOST:PORT/api, the base Xerial's JS
wallet-sdk uses).
Admin API under /_mock/ (sessions, faults, requests, reset); see README.md.
SIGINT or SIGTERM stops the server cleanly.
";

struct Args {
    host: String,
    port: u16,
    fixture: Option<PathBuf>,
    verbose: bool,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut host = "127.0.0.1".to_owned();
    let mut port = None;
    let mut fixture = None;
    let mut verbose = false;
    while let Some(arg) = argv.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| argv.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value("--port")?;
                port = Some(
                    v.parse::<u16>()
                        .map_err(|_| format!("invalid --port {v:?}"))?,
                );
            }
            "--host" => host = value("--host")?,
            "--fixture" => fixture = Some(PathBuf::from(value("--fixture")?)),
            "--verbose" | "-v" => verbose = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let port = port.ok_or("--port is required (use --port 0 for a free port)")?;
    Ok(Some(Args {
        host,
        port,
        fixture,
        verbose,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("xerial-mock: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xerial-mock: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: Args) -> Result<(), String> {
    let mock = match &args.fixture {
        Some(path) => Mock::from_fixture(Fixture::from_file(path)?)?,
        None => Mock::new(),
    };
    mock.set_verbose(args.verbose);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
        let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
        let shutdown = shutdown_signal()?;
        let mut stdout = std::io::stdout().lock();
        // One write: a script that reads the first line and closes the pipe loses nothing.
        stdout
            .write_all(banner(addr).as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
        drop(stdout);
        xerial_mock::run(listener, mock, shutdown).await;
        Ok(())
    })
}

/// What stdout says at start. The first line is `xerial-mock listening on http://HOST:PORT`
/// (scripts parse it); the next ones say what to configure, as `name: value (why)` (a
/// wildcard bind is reached through loopback).
fn banner(addr: SocketAddr) -> String {
    let url = xerial_mock::server::public_url(addr, false);
    format!(
        "xerial-mock listening on http://{addr}\n\
         base_url: {url} (XerialConfig.base_url: the host; the SDK appends /api/... itself)\n\
         marketplace_url: {url} (XerialConfig.marketplace_url)\n\
         wallet_api: {url}/api (the API base of Xerial's JS wallet-sdk and of plain HTTP clients)\n"
    )
}

/// Installs the SIGINT/SIGTERM handlers now and returns a future that completes on
/// either. Installing before the "listening" line is printed matters: a script may
/// send SIGTERM as soon as it has read that line, and an uninstalled handler would
/// let the default action kill the process with a non-zero status.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| format!("cannot handle SIGTERM: {e}"))?;
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| format!("cannot handle SIGINT: {e}"))?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

/// Returns a future that completes on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn banner_names_what_to_configure() {
        let lines: Vec<String> = banner("127.0.0.1:8080".parse().expect("addr"))
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(lines[0], "xerial-mock listening on http://127.0.0.1:8080");
        assert!(lines[1].starts_with("base_url: http://127.0.0.1:8080 ("));
        assert!(lines[2].starts_with("marketplace_url: http://127.0.0.1:8080 ("));
        assert!(lines[3].starts_with("wallet_api: http://127.0.0.1:8080/api ("));
        let wildcard = banner("0.0.0.0:9".parse().expect("addr"));
        assert!(wildcard.starts_with(
            "xerial-mock listening on http://0.0.0.0:9\nbase_url: http://127.0.0.1:9 "
        ));
        let v6 = banner("[::]:9".parse().expect("addr"));
        assert!(v6.contains("\nbase_url: http://[::1]:9 "), "{v6}");
    }

    #[test]
    fn parses_flags() {
        let a = parse(&["--port", "0", "--host=0.0.0.0", "--fixture", "f.json", "-v"])
            .expect("ok")
            .expect("not help");
        assert_eq!((a.port, a.host.as_str(), a.verbose), (0, "0.0.0.0", true));
        assert_eq!(a.fixture, Some(PathBuf::from("f.json")));
        assert!(parse(&["--help"]).expect("ok").is_none());
        assert!(parse(&[]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "1", "--bogus"]).is_err());
    }
}
