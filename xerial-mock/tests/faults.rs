//! Every fault kind reaches the client failure it is meant to.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{client, raw, raw_bytes};
use xerial_mock::{Fault, FaultRule, MockServer};

const LOGOUT: &str = "/api/auth/logout";

fn logout_body(server: &MockServer) -> serde_json::Value {
    let pair = server.create_session();
    json!({"refreshToken": pair["refresh"]["token"]})
}

#[tokio::test]
async fn status_fault_with_json_text_and_retry_after() {
    let server = MockServer::start();
    server.add_fault(
        FaultRule::new(
            "POST",
            LOGOUT,
            Fault::status_json(500, json!({"error": "Internal Server Error"})),
        )
        .times(1),
    );
    server.add_fault(
        FaultRule::new(
            "POST",
            LOGOUT,
            Fault::status_text(429, "slow down").retry_after(7),
        )
        .times(1),
    );
    let body = logout_body(&server);
    let url = format!("{}{LOGOUT}", server.url());
    let http = client();

    let r = http.post(&url).json(&body).send().await.expect("send");
    assert_eq!(r.status(), 500);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(
        r.json::<serde_json::Value>().await.expect("json"),
        json!({"error": "Internal Server Error"})
    );

    let r = http.post(&url).json(&body).send().await.expect("send");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("ct")
        .starts_with("text/plain"));
    assert_eq!(r.text().await.expect("text"), "slow down");

    // Faulted requests did not log out: the session is still live. Rules are used up.
    let r = http.post(&url).json(&body).send().await.expect("send");
    assert_eq!(r.status(), 204);
    assert_eq!(server.request_count("POST", LOGOUT), 3);
    assert!(server.mock().faults().is_empty());
}

#[tokio::test]
async fn unlimited_rule_applies_until_cleared_and_other_paths_are_untouched() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::status(503)));
    for _ in 0..3 {
        assert_eq!(
            raw(server.addr(), "POST", LOGOUT, Some("{}")).await.status,
            503
        );
    }
    assert_eq!(
        raw(server.addr(), "GET", LOGOUT, None).await.status,
        404,
        "method must match"
    );
    assert_eq!(
        raw(server.addr(), "POST", "/api/auth/logout/x", Some("{}"))
            .await
            .status,
        404
    );
    server.clear_faults();
    assert_eq!(
        raw(server.addr(), "POST", LOGOUT, Some("{}")).await.status,
        400
    );
    assert_eq!(server.request_count("POST", LOGOUT), 4);
}

#[tokio::test]
async fn drop_closes_without_a_response_byte() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::drop_connection()).times(2));
    let bytes = raw_bytes(
        server.addr(),
        "POST",
        LOGOUT,
        Some(r#"{"refreshToken":"x"}"#),
    )
    .await;
    assert!(
        bytes.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&bytes)
    );
    let err = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&logout_body(&server))
        .send()
        .await
        .expect_err("connection closed");
    assert!(!err.is_timeout() && err.status().is_none(), "{err:?}");
    assert_eq!(server.request_count("POST", LOGOUT), 2);
}

#[tokio::test]
async fn delay_then_normal_answer() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::delay(300)).times(1));
    let body = logout_body(&server);
    let start = Instant::now();
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 204, "the real handler ran");
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn delay_ms_applies_before_any_kind() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new(
        "POST",
        LOGOUT,
        Fault::status(502).after_ms(250),
    ));
    let start = Instant::now();
    assert_eq!(raw(server.addr(), "POST", LOGOUT, None).await.status, 502);
    assert!(start.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn hang_makes_the_client_time_out_and_shutdown_releases_it() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::hang()));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .expect("client");
    let err = http
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({"refreshToken": "x"}))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");

    // A hanging request is in flight; dropping the server must still be quick.
    let addr = server.addr();
    let pending = tokio::spawn(raw_bytes(addr, "POST", LOGOUT, None));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    drop(server);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let bytes = pending.await.expect("join");
    assert!(bytes.is_empty());
}

#[tokio::test]
async fn hang_with_max_ms_closes_after_it() {
    let server = MockServer::start();
    let fault: Fault =
        serde_json::from_value(json!({"kind": "hang", "maxMs": 200})).expect("fault");
    server.add_fault(FaultRule::new("POST", LOGOUT, fault));
    let start = Instant::now();
    assert!(raw_bytes(server.addr(), "POST", LOGOUT, None)
        .await
        .is_empty());
    assert!(start.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn malformed_is_200_json_that_does_not_parse() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::malformed()));
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.text().await.expect("text"), r#"{"this is": not json"#);
}

#[tokio::test]
async fn truncate_gives_a_body_error() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::truncate()));
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({}))
        .send()
        .await
        .expect("head arrives");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-length"], "1000");
    let err = r.bytes().await.expect_err("body is cut short");
    assert!(err.is_body() || err.is_decode(), "{err:?}");

    let bytes = raw_bytes(server.addr(), "POST", LOGOUT, None).await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let body_len = bytes.len() - (text.find("\r\n\r\n").expect("head end") + 4);
    assert!(body_len > 0 && body_len < 1000, "{body_len}");
}

#[tokio::test]
async fn trickle_sends_the_real_answer_slowly() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::trickle(20, 4)));
    let start = Instant::now();
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({"refreshToken": "nope"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    let text = r.text().await.expect("text");
    assert_eq!(text, r#"{"code":404,"message":"Not Found"}"#);
    // 34 bytes in 4-byte chunks: 8 pauses of 20 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(160),
        "{:?}",
        start.elapsed()
    );

    // A client with a short total timeout gives up mid-body.
    server.clear_faults();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::trickle(200, 1)));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let result = async {
        http.post(format!("{}{LOGOUT}", server.url()))
            .json(&json!({}))
            .send()
            .await?
            .text()
            .await
    }
    .await;
    assert!(result.expect_err("times out").is_timeout());
}

#[tokio::test]
async fn trickle_runs_the_handler() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::trickle(1, 8)));
    let body = logout_body(&server);
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 204);
    server.clear_faults();
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(
        r.status(),
        404,
        "the session was revoked by the trickled request"
    );
}

#[tokio::test]
async fn oversized_is_valid_json_above_the_size() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::oversized(2 * 1024 * 1024)).times(1));
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.expect("body");
    assert!(bytes.len() > 2 * 1024 * 1024);
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("valid json");
    assert!(v["pad"].as_str().expect("pad").len() >= 2 * 1024 * 1024);

    let default: Fault = serde_json::from_value(json!({"kind": "oversized"})).expect("fault");
    server.add_fault(FaultRule::new("POST", LOGOUT, default).times(1));
    let r = client()
        .post(format!("{}{LOGOUT}", server.url()))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert!(r.bytes().await.expect("body").len() > 9 * 1024 * 1024);
}

#[tokio::test]
async fn content_type_overrides_the_header_of_a_normal_answer() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new(
        "POST",
        LOGOUT,
        Fault::content_type("text/html"),
    ));
    let r = raw(
        server.addr(),
        "POST",
        LOGOUT,
        Some(r#"{"refreshToken":"nope"}"#),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.body, br#"{"code":404,"message":"Not Found"}"#);
}

#[tokio::test]
async fn keep_alive_connection_survives_a_status_fault() {
    let server = MockServer::start();
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::status(500)).times(1));
    let http = client();
    let url = format!("{}{LOGOUT}", server.url());
    let a = http
        .post(&url)
        .json(&json!({"refreshToken": "nope"}))
        .send()
        .await
        .expect("send");
    assert_eq!(a.status(), 500);
    let b = http
        .post(&url)
        .json(&json!({"refreshToken": "nope"}))
        .send()
        .await
        .expect("send");
    assert_eq!(b.status(), 404);
}
