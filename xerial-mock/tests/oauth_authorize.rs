//! The offline server playing Google, authorization side: the consent page, its checks, and the
//! redirect back with a code (or `access_denied`) and the state (xerial-mock/src/oauth).

mod support;

use support::google::*;
use support::{access, Api};
use xerial_mock::MockServer;

#[tokio::test]
async fn allow_exchange_and_log_in_with_the_id_token() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let code = code_for(&server, None).await;
    let (status, body) = exchange(&server, &token_form(&code)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "openid email");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    let id_token = body["id_token"].as_str().expect("id_token");
    let claims = verified_claims(&server, id_token).await;
    assert_eq!(claims["iss"], server.url());
    assert_eq!(claims["aud"], CLIENT);
    assert_eq!(claims["email"], "player@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert!(claims["sub"].as_str().is_some_and(|s| s.len() == 21));
    assert_eq!(
        claims["exp"].as_i64(),
        claims["iat"].as_i64().map(|t| t + 3600)
    );

    let (status, pair) = google_login(&api, id_token, CLIENT).await;
    assert_eq!(status, 200, "{pair}");
    let (_, me) = api.get("/api/user", Some(&access(&pair))).await;
    assert_eq!(me["user"]["id"], xerial_mock::DEMO_USER_ID);
}

#[tokio::test]
async fn a_typed_email_is_a_new_player() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let code = code_for(&server, Some("newcomer@studio.test")).await;
    let (_, body) = exchange(&server, &token_form(&code)).await;
    let (status, pair) = google_login(&api, body["id_token"].as_str().expect("id"), CLIENT).await;
    assert_eq!(status, 200);
    let (_, me) = api.get("/api/user", Some(&access(&pair))).await;
    assert_eq!(me["user"]["identifier"], "newcomer@studio.test");
    assert_eq!(me["wallets"][0]["custodial"], true);
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_the_state() {
    let server = MockServer::start();
    let (_, page, _) = authorize(&server, &authorize_params()).await;
    let id = request_id(&page);
    let (status, location) = decide(&server, &[("request", &id), ("decision", "deny")]).await;
    assert_eq!(status, 302);
    let location = location.expect("redirect");
    assert_eq!(
        query(&location),
        vec![
            ("error".into(), "access_denied".into()),
            ("state".into(), STATE.into())
        ]
    );
    // The held request is answered once.
    let (status, location) = decide(&server, &[("request", &id), ("decision", "allow")]).await;
    assert_eq!((status, location), (400, None));
}

#[tokio::test]
async fn the_consent_page_is_plain_and_drivable() {
    let server = MockServer::start();
    let (status, page, _) = authorize(&server, &authorize_params()).await;
    assert_eq!(status, 200);
    for needle in [
        "id=\"allow\"",
        "id=\"deny\"",
        "id=\"email\"",
        "id=\"account-0\" value=\"player@example.com\" checked",
        "value=\"rival@example.com\"",
        CLIENT,
    ] {
        assert!(page.contains(needle), "{needle} in {page}");
    }
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external assets"
    );
    // login_hint preselects a listed account, or fills the e-mail field.
    let mut params = authorize_params();
    params.push(("login_hint", "rival@example.com".into()));
    let (_, page, _) = authorize(&server, &params).await;
    assert!(
        page.contains("value=\"rival@example.com\" checked"),
        "{page}"
    );
    params.pop();
    params.push(("login_hint", "someone@else.test".into()));
    let (_, page, _) = authorize(&server, &params).await;
    assert!(
        page.contains("id=\"email\" value=\"someone@else.test\""),
        "{page}"
    );
}

#[tokio::test]
async fn bad_authorization_requests_get_an_error_page_never_a_redirect() {
    let server = MockServer::start();
    let without = |name: &str| -> Vec<(&'static str, String)> {
        authorize_params()
            .into_iter()
            .filter(|(k, _)| *k != name)
            .collect()
    };
    let replaced = |name: &'static str, value: &str| {
        let mut p = without(name);
        p.push((name, value.to_owned()));
        p
    };
    let cases = [
        (without("client_id"), "invalid_request"),
        (replaced("client_id", "demo-client"), "invalid_client"),
        (without("redirect_uri"), "invalid_request"),
        (
            replaced("redirect_uri", "https://evil.example/cb"),
            "invalid_request",
        ),
        (
            replaced("redirect_uri", "http://evil.example/cb"),
            "invalid_request",
        ),
        (
            replaced("redirect_uri", "http://127.0.0.1.evil.example/cb"),
            "invalid_request",
        ),
        (
            replaced("redirect_uri", "javascript:alert(1)"),
            "invalid_request",
        ),
        (without("response_type"), "invalid_request"),
        (
            replaced("response_type", "token"),
            "unsupported_response_type",
        ),
        (without("scope"), "invalid_request"),
        (without("code_challenge"), "invalid_request"),
        (without("code_challenge_method"), "invalid_request"),
        (
            replaced("code_challenge_method", "plain"),
            "invalid_request",
        ),
        (replaced("code_challenge", "short"), "invalid_request"),
    ];
    for (params, code) in cases {
        let (status, page, location) = authorize(&server, &params).await;
        assert_eq!((status, location.as_deref()), (400, None), "{params:?}");
        assert!(
            page.contains(&format!("id=\"error-code\">{code}<")),
            "{params:?}: {page}"
        );
    }
    // A repeated parameter is invalid too (RFC 6749 §3.1).
    let mut params = authorize_params();
    params.push(("client_id", OTHER_CLIENT.into()));
    assert_eq!(authorize(&server, &params).await.0, 400);
    // A custom scheme in reverse domain form is an installed app's redirect.
    let (status, page, _) = authorize(
        &server,
        &replaced("redirect_uri", "com.example.game:/oauth2redirect"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
}
