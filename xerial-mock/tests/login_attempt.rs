//! `POST /api/login-attempt/{id}/set-session` (API reference §2.1 item 5, #22) and the admin
//! view of the attempts it fills.

mod support;

use serde_json::{json, Value};
use support::{client, Api};
use xerial_mock::{MockServer, DEMO_USER_ID};

const ATTEMPT: &str = "6601f93e3ff2ea0348edeb6a";

fn pair(tokens: &Value) -> Value {
    json!({"refreshToken": tokens["refresh"]["token"], "accessToken": tokens["access"]["token"]})
}

fn set_session_path(id: &str) -> String {
    format!("/api/login-attempt/{id}/set-session")
}

#[tokio::test]
async fn set_session_is_204_and_the_admin_api_shows_the_pair() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let tokens = server.create_session();
    let resp = client()
        .post(format!("{}{}", server.url(), set_session_path(ATTEMPT)))
        .json(&pair(&tokens))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 204);
    assert!(resp.bytes().await.expect("body").is_empty());
    assert_eq!(server.request_count("POST", &set_session_path(ATTEMPT)), 1);

    let (status, attempt) = api
        .get(&format!("/_mock/login-attempts/{ATTEMPT}"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(attempt["id"], ATTEMPT);
    assert_eq!(attempt["accessToken"], tokens["access"]["token"]);
    assert_eq!(attempt["refreshToken"], tokens["refresh"]["token"]);
    assert_eq!(attempt["userId"], DEMO_USER_ID);
    assert!(attempt["setAt"].as_str().is_some_and(|t| t.ends_with('Z')));
    let (_, all) = api.get("/_mock/login-attempts", None).await;
    assert_eq!(all, json!([attempt]));
    assert_eq!(server.mock().login_attempt(ATTEMPT), Some(attempt));
}

#[tokio::test]
async fn a_second_set_replaces_the_pair_and_unknown_tokens_are_kept_as_given() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let first = server.create_session();
    assert_eq!(
        api.post(&set_session_path(ATTEMPT), None, pair(&first))
            .await,
        (204, Value::Null)
    );
    let foreign = json!({"refreshToken": "r-not-ours", "accessToken": "a-not-ours"});
    assert_eq!(
        api.post(&set_session_path(ATTEMPT), None, foreign).await.0,
        204
    );
    let attempt = server.mock().login_attempt(ATTEMPT).expect("set");
    assert_eq!(attempt["accessToken"], "a-not-ours");
    assert_eq!(attempt["userId"], Value::Null);
    assert_eq!(server.mock().login_attempts().len(), 1);
    // A session the rival logged in with records the rival.
    let rival = server.create_session_with(&xerial_mock::SessionOptions {
        user_id: Some("65a1b2c3d4e5f60718293a4b".into()),
        ..Default::default()
    });
    assert_eq!(
        api.post(&set_session_path("other"), None, pair(&rival))
            .await
            .0,
        204
    );
    assert_eq!(
        server.mock().login_attempt("other").expect("set")["userId"],
        "65a1b2c3d4e5f60718293a4b"
    );
}

#[tokio::test]
async fn validation_and_unknown_attempts() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let missing = |field: &str| {
        (
            400,
            json!({"code": 400, "message": format!("\"{field}\" is required")}),
        )
    };
    assert_eq!(
        api.post(&set_session_path(ATTEMPT), None, json!({})).await,
        missing("refreshToken")
    );
    assert_eq!(
        api.post(
            &set_session_path(ATTEMPT),
            None,
            json!({"refreshToken": "r"})
        )
        .await,
        missing("accessToken")
    );
    let (status, body) = api
        .post(
            &set_session_path(ATTEMPT),
            None,
            json!({"refreshToken": "r", "accessToken": 5}),
        )
        .await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("\"accessToken\" must be a string"))
    );
    // Nothing was stored by the refused calls.
    assert_eq!(
        api.get(&format!("/_mock/login-attempts/{ATTEMPT}"), None)
            .await,
        (
            404,
            json!({"code": 404, "message": "Login Attempt Not Found"})
        )
    );
    // Only POST is routed, as express does (404 for any other method).
    assert_eq!(api.get(&set_session_path(ATTEMPT), None).await.0, 404);
    // Reset forgets attempts.
    let tokens = server.create_session();
    assert_eq!(
        api.post(&set_session_path(ATTEMPT), None, pair(&tokens))
            .await
            .0,
        204
    );
    server.reset();
    assert_eq!(
        api.get("/_mock/login-attempts", None).await,
        (200, json!([]))
    );
}
