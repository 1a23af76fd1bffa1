//! The listener against raw TCP clients: every refusal, and that refusals, slow clients and idle
//! connections never stop a good request from getting through.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;
use crate::client::signin::http::{MAX_BODY, MAX_HEAD};

/// Sends `request` and reads the whole answer (the listener closes every connection).
async fn exchange(port: u16, request: Vec<u8>) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The path part of the listener's URL for `path`.
fn secret_path(listener: &Listener, path: &str) -> String {
    let origin = format!("http://127.0.0.1:{}", listener.port());
    listener.url(path)[origin.len()..].to_owned()
}

#[tokio::test]
async fn every_refusal_is_answered_and_a_good_request_still_gets_through() {
    let mut listener = Listener::bind().await.unwrap();
    let port = listener.port();
    let good = secret_path(&listener, "/callback");
    let secret = good.trim_end_matches("/callback").to_owned();
    let host = format!("127.0.0.1:{port}");
    let origin = format!("http://{host}");
    let get = |path: &str, headers: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n").into_bytes()
    };
    let post = |headers: &str, body: &str| {
        format!(
            "POST {secret}/address HTTP/1.1\r\nHost: {host}\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let json = "Content-Type: application/json\r\n";
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("no secret", get("/callback?code=x", ""), 404),
        ("the secret without a path", get(&secret, ""), 404),
        ("a secret one character short", get(&format!("{}/callback", &secret[..secret.len() - 1]), ""), 404),
        ("favicon", get("/favicon.ico", ""), 404),
        ("absolute-form target", get(&format!("http://{host}{good}"), ""), 404),
        ("Host localhost", format!("GET {good} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").into_bytes(), 400),
        ("Host of a rebinding page", format!("GET {good} HTTP/1.1\r\nHost: evil.example\r\n\r\n").into_bytes(), 400),
        ("no Host", format!("GET {good} HTTP/1.0\r\n\r\n").into_bytes(), 400),
        ("foreign Origin", get(&good, "Origin: http://evil.example\r\n"), 403),
        ("null Origin", get(&good, "Origin: null\r\n"), 403),
        ("POST without Origin", post(json, "{}"), 403),
        ("POST from a foreign Referer", post(&format!("Origin: {origin}\r\nReferer: http://evil.example/\r\n{json}"), "{}"), 403),
        ("POST from a look-alike Referer", post(&format!("Origin: {origin}\r\nReferer: {origin}.evil.example/\r\n{json}"), "{}"), 403),
        ("POST as a form", post(&format!("Origin: {origin}\r\nContent-Type: application/x-www-form-urlencoded\r\n"), "a=1"), 415),
        ("POST as text", post(&format!("Origin: {origin}\r\nContent-Type: text/plain\r\n"), "{}"), 415),
        ("oversized head", get(&good, &format!("X-Pad: {}\r\n", "a".repeat(MAX_HEAD))), 431),
        ("oversized body", format!("POST {secret}/address HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n{json}Content-Length: {}\r\n\r\n", MAX_BODY + 1).into_bytes(), 413),
        ("chunked body", format!("POST {secret}/address HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n{json}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").into_bytes(), 501),
        ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec(), 400),
    ];
    let last = get(
        &format!("{good}?code=c&state=s"),
        "Referer: https://accounts.google.com/\r\n",
    );
    let client = tokio::spawn(async move {
        for (name, request, status) in cases {
            let answer = exchange(port, request).await;
            assert_eq!(status_of(&answer), status, "{name}: {answer}");
            assert!(answer.contains("Connection: close"), "{name}");
        }
        exchange(port, last).await
    });
    let incoming = tokio::time::timeout(Duration::from_secs(10), listener.next())
        .await
        .expect("the good request surfaced");
    assert_eq!(incoming.method, Method::Get);
    assert_eq!(incoming.path, "/callback");
    assert_eq!(incoming.query.as_deref(), Some("code=c&state=s"));
    assert_eq!(
        listener.url_of(&incoming),
        format!("{}?code=c&state=s", listener.url("/callback"))
    );
    incoming.answer(Reply::status(200)).await;
    let answer = client.await.unwrap();
    assert_eq!(status_of(&answer), 200, "{answer}");
}

#[tokio::test]
async fn an_own_page_post_is_admitted() {
    let mut listener = Listener::bind().await.unwrap();
    let port = listener.port();
    let path = secret_path(&listener, "/address");
    let origin = format!("http://127.0.0.1:{port}");
    let body = r#"{"address":"0x1"}"#;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nReferer: {origin}/\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let client = tokio::spawn(exchange(port, request.into_bytes()));
    let incoming = listener.next().await;
    assert_eq!(
        (incoming.method, incoming.path.as_str()),
        (Method::Post, "/address")
    );
    assert_eq!(incoming.body, body.as_bytes());
    incoming
        .answer(Reply::json(&serde_json::json!({"nonce": "1"})))
        .await;
    assert!(client.await.unwrap().ends_with(r#"{"nonce":"1"}"#));
}

#[tokio::test]
async fn slow_and_idle_connections_neither_block_others_nor_stay_open() {
    let read_timeout = Duration::from_millis(2000);
    let mut listener = Listener::bind_with(read_timeout).await.unwrap();
    let port = listener.port();
    let good = secret_path(&listener, "/callback");
    // A speculative preconnect (sends nothing) and a slow-loris (half a head, then nothing).
    let mut idle = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut slow = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
    let started = Instant::now();
    let request = format!("GET {good} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let client = tokio::spawn(exchange(port, request.into_bytes()));
    let incoming = listener.next().await;
    // Well before the others' read timeout: it did not wait for them.
    assert!(
        started.elapsed() < read_timeout / 2,
        "the good request waited for the others: {:?}",
        started.elapsed()
    );
    incoming.answer(Reply::status(200)).await;
    assert_eq!(status_of(&client.await.unwrap()), 200);
    // Both are cut off at the read timeout, while the listener keeps serving.
    let cut_off = async {
        let mut byte = [0u8; 1];
        assert_eq!(idle.read(&mut byte).await.unwrap_or(0), 0);
        assert_eq!(slow.read(&mut byte).await.unwrap_or(0), 0);
    };
    tokio::select! {
        _ = listener.next() => panic!("nothing else was sent"),
        _ = tokio::time::timeout(Duration::from_secs(10), cut_off) => {}
    }
    assert!(
        started.elapsed() >= read_timeout,
        "cut off at the read timeout, not before"
    );
}

#[tokio::test]
async fn connections_beyond_the_limit_are_closed_at_once() {
    let mut listener = Listener::bind().await.unwrap();
    let port = listener.port();
    let mut held = Vec::new();
    for _ in 0..MAX_CONNECTIONS {
        held.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }
    let one_more = async {
        // Let the listener take the first ones in.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut extra = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut byte = [0u8; 1];
        extra.read(&mut byte).await.unwrap_or(0)
    };
    tokio::select! {
        _ = listener.next() => panic!("nothing was sent"),
        read = tokio::time::timeout(Duration::from_secs(3), one_more) => {
            assert_eq!(read.expect("closed well before the read timeout"), 0);
        }
    }
    drop(held);
}

#[tokio::test]
async fn dropping_the_listener_closes_the_port() {
    let listener = Listener::bind().await.unwrap();
    let port = listener.port();
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_ok());
    drop(listener);
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
}
