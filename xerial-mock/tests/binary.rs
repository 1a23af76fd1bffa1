//! The `xerial-mock` binary: first line, fixture, help, clean exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xerial-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn xerial-mock");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let url = line
        .trim_end()
        .strip_prefix("xerial-mock listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Running { child, url }
}

fn request(url: &str, method: &str, path: &str, body: &str) -> String {
    let addr = url.strip_prefix("http://").expect("http url");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn prints_the_url_line_and_serves() {
    let server = spawn(&["--port", "0"]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let port: u16 = server
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert_ne!(port, 0);
    let out = request(
        &server.url,
        "POST",
        "/api/auth/logout",
        r#"{"refreshToken":"nope"}"#,
    );
    assert!(out.starts_with("HTTP/1.1 404"), "{out}");
    assert!(
        out.ends_with(r#"{"code":404,"message":"Not Found"}"#),
        "{out}"
    );
}

#[test]
fn fixture_seeds_sessions() {
    let path =
        std::env::temp_dir().join(format!("xerial-mock-fixture-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"sessions":[{"access":{"token":"a.b.c","expires":"2099-01-01T00:00:00.000Z"},
                         "refresh":{"token":"fixture.refresh.token","expires":"2099-01-01T00:00:00.000Z"}}]}"#,
    )
    .expect("write fixture");
    let server = spawn(&[
        "--port",
        "0",
        "--fixture",
        path.to_str().expect("utf8 path"),
    ]);
    let body = r#"{"refreshToken":"fixture.refresh.token"}"#;
    assert!(request(&server.url, "POST", "/api/auth/logout", body).starts_with("HTTP/1.1 204"));
    assert!(request(&server.url, "POST", "/api/auth/logout", body).starts_with("HTTP/1.1 404"));
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_fixture_and_bad_args_fail_fast() {
    let out = Command::new(env!("CARGO_BIN_EXE_xerial-mock"))
        .args(["--port", "0", "--fixture", "/nonexistent/fixture.json"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_xerial-mock"))
        .arg("--nope")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_describes_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_xerial-mock"))
        .arg("--help")
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--port") && text.contains("--fixture") && text.contains("/_mock/"));
}

#[cfg(unix)]
#[test]
fn sigterm_exits_cleanly() {
    let mut server = spawn(&["--port", "0"]);
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(code) = server.child.try_wait().expect("wait") {
            exited = Some(code);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(exited.expect("exited within 5 s").success());
}

#[test]
fn the_banner_names_the_urls_to_configure() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xerial-mock"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn xerial-mock");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next = || lines.next().expect("a line").expect("utf8");
    let first = next();
    let url = first
        .strip_prefix("xerial-mock listening on ")
        .expect("first line")
        .to_owned();
    let (base, market, wallet) = (next(), next(), next());
    let _ = child.kill();
    let _ = child.wait();
    assert!(base.starts_with(&format!("base_url: {url} (")), "{base}");
    assert!(
        market.starts_with(&format!("marketplace_url: {url} (")),
        "{market}"
    );
    assert!(
        wallet.starts_with(&format!("wallet_api: {url}/api (")),
        "{wallet}"
    );
}
