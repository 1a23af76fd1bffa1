//! The core client (no C involved) against the offline server: logout and the transport rules.

use std::time::{Duration, Instant};

use xerial::client::{Client, ClientConfig, ErrorKind, SessionStoreKind, TokenPair};
use xerial_mock::{Fault, FaultRule, MockServer};

const LOGOUT: &str = "/api/auth/logout";

fn client(server: &MockServer, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig {
        base_url: server.url(),
        timeout: Duration::from_secs(5),
        session_store: SessionStoreKind::Memory,
        ..ClientConfig::default()
    };
    tweak(&mut config);
    Client::new(config).expect("valid config")
}

fn refresh_token(pair: &serde_json::Value) -> String {
    pair["refresh"]["token"]
        .as_str()
        .expect("token pair")
        .to_owned()
}

#[tokio::test]
async fn logout_revokes_once_then_is_not_found() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    let token = refresh_token(&server.create_session());

    let ok = client.logout(Some(&token)).await.expect("204");
    assert_eq!(ok.status, 204);

    let again = client.logout(Some(&token)).await.expect_err("revoked");
    assert_eq!(again.kind(), ErrorKind::NotFound);
    assert_eq!(again.http_status(), 404);
    assert_eq!(again.message(), "Not Found");
    assert_eq!(again.body(), r#"{"code":404,"message":"Not Found"}"#);
    assert!(!again.is_retryable());
}

#[tokio::test]
async fn logout_of_the_current_session_clears_it_before_the_answer() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    assert_eq!(
        client.logout(None).await.unwrap_err().kind(),
        ErrorKind::NotLoggedIn
    );

    let pair = server.create_session();
    client
        .session()
        .set(TokenPair::from_json(&pair.to_string()).unwrap());
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::delay(300)));
    let pending = client.logout(None);
    assert!(
        !client.session().is_logged_in(),
        "cleared when the call is made"
    );
    assert_eq!(pending.await.expect("204").status, 204);
}

#[tokio::test]
async fn a_server_error_on_logout_is_not_retried() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new(
        "POST",
        LOGOUT,
        Fault::status_json(500, serde_json::json!({"error": "Internal Server Error"})),
    ));
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.message(), "Internal Server Error");
    assert!(error.is_retryable());
    assert_eq!(server.request_count("POST", LOGOUT), 1);
}

#[tokio::test]
async fn rate_limits_report_retry_after() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new(
        "POST",
        LOGOUT,
        Fault::status(429).retry_after(7),
    ));
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn a_dropped_connection_after_sending_is_a_network_error_without_retry() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::drop_connection()));
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert_eq!(error.http_status(), 0);
    assert_eq!(server.request_count("POST", LOGOUT), 1);
}

#[tokio::test]
async fn the_deadline_covers_the_whole_call() {
    let server = MockServer::start();
    let client = client(&server, |c| c.timeout = Duration::from_millis(300));
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::hang()));
    let started = Instant::now();
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_2xx_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::malformed()));
    assert_eq!(
        client.logout(Some("tok")).await.unwrap_err().kind(),
        ErrorKind::Decode
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new("POST", LOGOUT, Fault::status(302)));
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!((error.kind(), error.http_status()), (ErrorKind::Http, 302));
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::new(ClientConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        max_retries: 2,
        session_store: SessionStoreKind::Memory,
        ..ClientConfig::default()
    })
    .unwrap();
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert!(error.is_retryable());
    assert!(
        error.message().starts_with("connection failed"),
        "{}",
        error.message()
    );
}

#[tokio::test]
async fn a_path_prefix_is_kept() {
    let server = MockServer::start();
    let client = client(&server, |c| {
        c.base_url = format!("{}/prefix/", server.url())
    });
    let error = client.logout(Some("tok")).await.unwrap_err();
    assert_eq!(error.http_status(), 404);
    assert_eq!(server.request_count("POST", "/prefix/api/auth/logout"), 1);
    assert_eq!(server.request_count("POST", LOGOUT), 0);
}

#[tokio::test]
async fn echoed_tokens_are_redacted() {
    let server = MockServer::start();
    let client = client(&server, |_| {});
    server.add_fault(FaultRule::new(
        "POST",
        LOGOUT,
        Fault::status_json(
            400,
            serde_json::json!({"code": 400, "message": "bad token secret-tok-1"}),
        ),
    ));
    let error = client.logout(Some("secret-tok-1")).await.unwrap_err();
    assert_eq!(error.message(), "bad token [redacted]");
    assert!(!error.body().contains("secret-tok-1"));
}
