//! CORS as express's `cors()` answers it (reference §8): preflights on every path, and
//! `Access-Control-Allow-Origin: *` on every answer, errors and faults included. The browser
//! proof is `tests/browser/cors.test.mjs`; this pins the exact headers.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use support::raw;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use xerial_mock::{Fault, FaultRule, MockServer};

/// Sends `head` (request line and headers, no body) and returns the response head, lower-cased
/// header names.
async fn head(addr: SocketAddr, request: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out))
        .await
        .expect("in time")
        .expect("read");
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let text = String::from_utf8_lossy(&out[..split]).to_string();
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, out[split + 4..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn preflights_are_204_on_every_path() {
    let server = MockServer::start();
    for path in [
        "/api/user",
        "/api/auth/logout",
        "/_mock/faults",
        "/marketplace/x",
        "/nowhere",
    ] {
        let request = format!(
            "OPTIONS {path} HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:1\r\n\
             Access-Control-Request-Method: POST\r\n\
             Access-Control-Request-Headers: authorization,content-type\r\nConnection: close\r\n\r\n"
        );
        let (status, headers, body) = head(server.addr(), &request).await;
        assert_eq!(status, 204, "{path}");
        assert!(body.is_empty());
        assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
        assert_eq!(
            header(&headers, "access-control-allow-methods"),
            Some("GET,HEAD,PUT,PATCH,POST,DELETE")
        );
        assert_eq!(
            header(&headers, "access-control-allow-headers"),
            Some("authorization,content-type")
        );
        assert_eq!(
            header(&headers, "vary"),
            Some("Access-Control-Request-Headers")
        );
    }
    // A preflight is a request like any other: counted (admin paths excepted).
    assert_eq!(server.request_count("OPTIONS", "/api/user"), 1);
    assert_eq!(server.request_count("OPTIONS", "/_mock/faults"), 0);
}

#[tokio::test]
async fn every_answer_allows_any_origin() {
    let server = MockServer::start();
    for (method, path) in [
        ("GET", "/marketplace/demo-arena"),
        ("GET", "/api/user"),
        ("GET", "/nowhere"),
        ("POST", "/_mock/sessions"),
        ("GET", "/_mock/requests"),
    ] {
        let r = raw(server.addr(), method, path, Some("{}")).await;
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("*"),
            "{method} {path}"
        );
    }
    // Injected answers too, synthetic or routed.
    server.add_fault(FaultRule::new("GET", "/api/user", Fault::status(503)).times(1));
    server.add_fault(FaultRule::new("GET", "/marketplace/demo-arena", Fault::malformed()).times(1));
    let r = raw(server.addr(), "GET", "/api/user", None).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (503, Some("*"))
    );
    let r = raw(server.addr(), "GET", "/marketplace/demo-arena", None).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (200, Some("*"))
    );
}
