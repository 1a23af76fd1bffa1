//! The `/_mock/` admin API driven the way the C harness does (raw HTTP/1.1,
//! `Connection: close`), plus the server's lifecycle (`run`, `MockServer`).

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::raw;
use xerial_mock::{Fault, FaultRule, Mock, MockServer};

#[tokio::test]
async fn admin_sessions_faults_requests_reset() {
    let server = MockServer::start();
    let addr = server.addr();

    // Sessions: empty body, {} and options all work and always carry Content-Length.
    for body in [
        None,
        Some("{}"),
        Some(r#"{"userId":"656ab9db6a378b91ab1871be","accessTtlSecs":60,"refreshTtlSecs":120}"#),
    ] {
        let r = raw(addr, "POST", "/_mock/sessions", body).await;
        assert_eq!(r.status, 200, "{body:?}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(
            r.header("content-length").map(str::to_owned),
            Some(r.body.len().to_string())
        );
        let pair = r.json();
        assert!(pair["access"]["token"].is_string() && pair["refresh"]["expires"].is_string());
    }
    let bad = raw(
        addr,
        "POST",
        "/_mock/sessions",
        Some(r#"{"accessTtlSecs":"soon"}"#),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["code"], 400);

    // Faults: the documented body, then the client sees it once.
    let rule = r#"{"method":"POST","path":"/api/auth/logout","times":1,"fault":{"kind":"status","status":500,"body":{"error":"Internal Server Error"}}}"#;
    let r = raw(addr, "POST", "/_mock/faults", Some(rule)).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let listed = raw(addr, "GET", "/_mock/faults", None).await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let r = raw(addr, "POST", "/api/auth/logout", Some("{}")).await;
    assert_eq!(
        (r.status, r.json()),
        (500, json!({"error": "Internal Server Error"}))
    );
    assert_eq!(
        raw(addr, "POST", "/api/auth/logout", Some("{}"))
            .await
            .status,
        400
    );

    for bad in [
        "{}",
        r#"{"method":"POST","path":"/x","fault":{"kind":"explode"}}"#,
        r#"{"method":"POST","path":"/x","fault":{"kind":"status","status":1000}}"#,
        "not json",
    ] {
        let r = raw(addr, "POST", "/_mock/faults", Some(bad)).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["message"].is_string());
    }
    raw(
        addr,
        "POST",
        "/_mock/faults",
        Some(r#"{"method":"GET","path":"/a","fault":{"kind":"drop"}}"#),
    )
    .await;
    assert_eq!(raw(addr, "DELETE", "/_mock/faults", None).await.status, 204);
    assert_eq!(
        raw(addr, "GET", "/_mock/faults", None).await.json(),
        json!([])
    );

    // Requests: admin calls are not counted.
    let r = raw(
        addr,
        "GET",
        "/_mock/requests?method=POST&path=/api/auth/logout",
        None,
    )
    .await;
    assert_eq!((r.status, r.json()), (200, json!({"count": 2})));
    let r = raw(
        addr,
        "GET",
        "/_mock/requests?method=post&path=%2Fapi%2Fauth%2Flogout",
        None,
    )
    .await;
    assert_eq!(r.json(), json!({"count": 2}));
    let r = raw(addr, "GET", "/_mock/requests", None).await;
    assert_eq!(
        r.json(),
        json!([{"method": "POST", "path": "/api/auth/logout", "count": 2}])
    );
    assert_eq!(
        raw(addr, "DELETE", "/_mock/requests", None).await.status,
        204
    );
    assert_eq!(
        raw(addr, "GET", "/_mock/requests", None).await.json(),
        json!([])
    );

    // Reset: faults, counters and minted sessions all go.
    let pair = raw(addr, "POST", "/_mock/sessions", None).await.json();
    raw(
        addr,
        "POST",
        "/_mock/faults",
        Some(r#"{"method":"GET","path":"/a","fault":{"kind":"drop"}}"#),
    )
    .await;
    raw(addr, "GET", "/b", None).await;
    assert_eq!(raw(addr, "POST", "/_mock/reset", None).await.status, 204);
    assert_eq!(
        raw(addr, "GET", "/_mock/faults", None).await.json(),
        json!([])
    );
    assert_eq!(
        raw(addr, "GET", "/_mock/requests", None).await.json(),
        json!([])
    );
    let logout = json!({"refreshToken": pair["refresh"]["token"]}).to_string();
    assert_eq!(
        raw(addr, "POST", "/api/auth/logout", Some(&logout))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn admin_paths_ignore_faults() {
    let server = MockServer::start();
    // Even a rule aimed at an admin path cannot lock the driver out.
    server.add_fault(FaultRule::new(
        "POST",
        "/_mock/reset",
        Fault::drop_connection(),
    ));
    assert_eq!(
        raw(server.addr(), "POST", "/_mock/reset", None)
            .await
            .status,
        204
    );
}

#[test]
fn mock_server_starts_and_stops_many_times_from_a_plain_test() {
    for _ in 0..25 {
        let server = MockServer::start();
        assert!(server.url().starts_with("http://127.0.0.1:"));
        let pair = server.create_session();
        assert!(pair["access"]["token"].is_string());
        // A blocking round trip on a plain thread, no runtime involved.
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(server.addr()).expect("connect");
        s.write_all(b"GET /_mock/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read");
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        let start = Instant::now();
        drop(server);
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_server_works_inside_another_runtime() {
    let server = MockServer::start();
    let r = raw(server.addr(), "POST", "/api/auth/logout", Some("{}")).await;
    assert_eq!(r.status, 400);
    assert_eq!(server.request_count("POST", "/api/auth/logout"), 1);
    drop(server); // dropping inside a runtime must not panic
}

#[tokio::test]
async fn run_serves_on_a_caller_listener_until_shutdown() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mock = Mock::new();
    let task = tokio::spawn(xerial_mock::run(listener, mock.clone(), async {
        let _ = rx.await;
    }));
    assert_eq!(
        raw(addr, "POST", "/api/auth/logout", Some("{}"))
            .await
            .status,
        400
    );
    assert_eq!(mock.request_count("POST", "/api/auth/logout"), 1);
    tx.send(()).expect("signal");
    tokio::time::timeout(Duration::from_secs(3), task)
        .await
        .expect("stops")
        .expect("no panic");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener closed"
    );
}

#[tokio::test]
async fn admin_balances_and_transactions() {
    let server = MockServer::start();
    let addr = server.addr();
    let wallet = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
    let body = format!(
        r#"{{"address":"{wallet}","chain":"polygon","native":"1.5","tokens":{{"usdc":7}}}}"#
    );
    assert_eq!(
        raw(addr, "POST", "/_mock/balances", Some(&body))
            .await
            .status,
        204
    );
    let r = raw(
        addr,
        "GET",
        &format!("/api/wallet/{wallet}/polygon/eth"),
        None,
    )
    .await;
    assert_eq!(r.json(), json!({"balance": "1.5"}));
    let r = raw(
        addr,
        "GET",
        &format!("/api/wallet/{wallet}/polygon/tokens"),
        None,
    )
    .await;
    assert_eq!(r.json(), json!({"balances": {"usdc": 7}}));
    for bad in [
        r#"{"address":"0x1","chain":"eth"}"#,
        r#"{"address":"0x1","chain":"polygon","native":"x"}"#,
        "{}",
    ] {
        assert_eq!(
            raw(addr, "POST", "/_mock/balances", Some(bad)).await.status,
            400,
            "{bad}"
        );
    }
    assert_eq!(
        raw(addr, "GET", "/_mock/transactions", None).await.json(),
        json!([])
    );
}
