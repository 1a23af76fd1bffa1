//! Logout exactly as Xerial's docs describe it (API reference §2.1, row #17).

mod support;

use serde_json::{json, Value};
use support::{client, raw};
use xerial_mock::MockServer;

#[tokio::test]
async fn logout_revokes_then_404s() {
    let server = MockServer::start();
    let pair = server.create_session();
    let refresh = pair["refresh"]["token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let url = format!("{}/api/auth/logout", server.url());
    let http = client();

    let first = http
        .post(&url)
        .json(&json!({"refreshToken": refresh}))
        .send()
        .await
        .expect("send");
    assert_eq!(first.status(), 204);
    assert_eq!(first.bytes().await.expect("body").len(), 0);

    let second = http
        .post(&url)
        .json(&json!({"refreshToken": refresh}))
        .send()
        .await
        .expect("send");
    assert_eq!(second.status(), 404);
    assert_eq!(
        second.headers()["content-type"].to_str().expect("ct"),
        "application/json"
    );
    assert_eq!(
        second.text().await.expect("body"),
        r#"{"code":404,"message":"Not Found"}"#
    );
    assert_eq!(server.request_count("POST", "/api/auth/logout"), 2);
}

#[tokio::test]
async fn unknown_token_is_404_with_exact_body() {
    let server = MockServer::start();
    let r = raw(
        server.addr(),
        "POST",
        "/api/auth/logout",
        Some(r#"{"refreshToken":"eyJhbGciOiJIUzI1NiJ9.e30.nope"}"#),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body, br#"{"code":404,"message":"Not Found"}"#);
}

#[tokio::test]
async fn validation_errors_are_400_joi_style() {
    let server = MockServer::start();
    let required = json!({"code": 400, "message": "\"refreshToken\" is required"});
    for body in [
        None,
        Some(""),
        Some("{}"),
        Some("not json"),
        Some("[1]"),
        Some(r#"{"refresh":"x"}"#),
    ] {
        let r = raw(server.addr(), "POST", "/api/auth/logout", body).await;
        assert_eq!(r.status, 400, "body {body:?}");
        assert_eq!(r.json(), required, "body {body:?}");
    }
    let r = raw(
        server.addr(),
        "POST",
        "/api/auth/logout",
        Some(r#"{"refreshToken":5}"#),
    )
    .await;
    assert_eq!(r.json()["message"], "\"refreshToken\" must be a string");
    let r = raw(
        server.addr(),
        "POST",
        "/api/auth/logout",
        Some(r#"{"refreshToken":""}"#),
    )
    .await;
    assert_eq!(
        r.json()["message"],
        "\"refreshToken\" is not allowed to be empty"
    );
}

#[tokio::test]
async fn sessions_have_xerial_shape() {
    let server = MockServer::start();
    let pair = server.create_session();
    for part in ["access", "refresh"] {
        let token = pair[part]["token"].as_str().expect("token");
        assert_eq!(token.split('.').count(), 3, "{token}");
        let expires = pair[part]["expires"].as_str().expect("expires");
        assert_eq!(expires.len(), 24, "{expires}");
        assert!(
            expires.ends_with('Z') && expires.as_bytes()[10] == b'T',
            "{expires}"
        );
        assert!(
            xerial_mock::tokens::parse_iso8601(expires).expect("iso")
                > xerial_mock::tokens::now_ms()
        );
    }
    let other = server.create_session();
    assert_ne!(pair["access"]["token"], other["access"]["token"]);
    assert_ne!(pair["refresh"]["token"], other["refresh"]["token"]);
    assert_eq!(pair.as_object().map(|o| o.len()), Some(2));
}

#[tokio::test]
async fn unknown_routes_are_json_404() {
    let server = MockServer::start();
    let r = raw(server.addr(), "GET", "/api/nope", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"code": 404, "message": "Not Found"}));
    // Wrong method on a real route: express answers 404 too.
    let r = raw(server.addr(), "GET", "/api/auth/logout", None).await;
    assert_eq!(r.status, 404);
    let _: Value = r.json();
}

#[tokio::test]
async fn fixture_sessions_can_log_out_and_reset_restores_them() {
    let fixture = xerial_mock::Fixture::from_json(
        r#"{"sessions":[{"access":{"token":"a.b.c","expires":"2099-01-01T00:00:00.000Z"},
                         "refresh":{"token":"r.s.t","expires":"2099-01-01T00:00:00.000Z"}}]}"#,
    )
    .expect("fixture");
    let server = MockServer::start_with(xerial_mock::Mock::from_fixture(fixture).expect("mock"));
    let logout = |t: &'static str| raw(server.addr(), "POST", "/api/auth/logout", Some(t));
    assert_eq!(logout(r#"{"refreshToken":"r.s.t"}"#).await.status, 204);
    assert_eq!(logout(r#"{"refreshToken":"r.s.t"}"#).await.status, 404);
    server.reset();
    assert_eq!(server.request_count("POST", "/api/auth/logout"), 0);
    assert_eq!(logout(r#"{"refreshToken":"r.s.t"}"#).await.status, 204);
}
