//! The offline server playing Google, token side: the code exchange (single use, PKCE S256,
//! bound to client and redirect URI), and `POST /api/auth/google` checking the ID token.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use support::google::*;
use support::Api;
use xerial_mock::MockServer;

#[tokio::test]
async fn a_code_is_single_use() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    assert_eq!(exchange(&server, &token_form(&code)).await.0, 200);
    let replay = exchange(&server, &token_form(&code)).await;
    assert_eq!(error_of(&replay), (400, "invalid_grant"));
}

#[tokio::test]
async fn a_wrong_verifier_fails_and_spends_the_code() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    let other = "another-verifier-another-verifier-another-verifier";
    let wrong = exchange(&server, &with(&token_form(&code), "code_verifier", other)).await;
    assert_eq!(error_of(&wrong), (400, "invalid_grant"));
    assert!(wrong.1["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("code_verifier")));
    assert_eq!(
        error_of(&exchange(&server, &token_form(&code)).await),
        (400, "invalid_grant")
    );
}

#[tokio::test]
async fn a_wrong_redirect_uri_fails() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    let form = with(
        &token_form(&code),
        "redirect_uri",
        "http://127.0.0.1:45678/other/callback",
    );
    let answer = exchange(&server, &form).await;
    assert_eq!(error_of(&answer), (400, "invalid_grant"));
    assert!(answer.1["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("redirect_uri")));
}

#[tokio::test]
async fn a_wrong_client_fails() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    let answer = exchange(
        &server,
        &with(&token_form(&code), "client_id", OTHER_CLIENT),
    )
    .await;
    assert_eq!(error_of(&answer), (401, "invalid_client"));
    let code = code_for(&server, None).await;
    let answer = exchange(
        &server,
        &with(&token_form(&code), "client_id", "not-a-client"),
    )
    .await;
    assert_eq!(error_of(&answer), (401, "invalid_client"));
    // That code was not spent: the request was refused before it was looked at.
    assert_eq!(exchange(&server, &token_form(&code)).await.0, 200);
}

#[tokio::test]
async fn an_expired_code_fails() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    server.mock().set_oauth_code_ttl_secs(0);
    let answer = exchange(&server, &token_form(&code)).await;
    assert_eq!(error_of(&answer), (400, "invalid_grant"));
    assert!(answer.1["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("expired")));
}

#[tokio::test]
async fn malformed_token_requests() {
    let server = MockServer::start();
    let code = code_for(&server, None).await;
    let form = token_form(&code);
    let grant = exchange(&server, &with(&form, "grant_type", "refresh_token")).await;
    assert_eq!(error_of(&grant), (400, "unsupported_grant_type"));
    let no_grant: Vec<_> = form
        .iter()
        .filter(|(k, _)| *k != "grant_type")
        .copied()
        .collect();
    assert_eq!(
        error_of(&exchange(&server, &no_grant).await),
        (400, "invalid_request")
    );
    let no_verifier: Vec<_> = form
        .iter()
        .filter(|(k, _)| *k != "code_verifier")
        .copied()
        .collect();
    assert_eq!(
        error_of(&exchange(&server, &no_verifier).await),
        (400, "invalid_request")
    );
    let mut repeated = form.clone();
    repeated.push(("code", "4/0other"));
    assert_eq!(
        error_of(&exchange(&server, &repeated).await),
        (400, "invalid_request")
    );
    // JSON instead of a form.
    let resp = http()
        .post(format!("{}/oauth/token", server.url()))
        .json(&json!({"grant_type": "authorization_code", "code": code}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 400);
    // None of that spent the code.
    assert_eq!(exchange(&server, &form).await.0, 200);
}

#[tokio::test]
async fn the_login_refuses_bad_signature_wrong_aud_and_another_issuer() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let code = code_for(&server, None).await;
    let (_, body) = exchange(&server, &token_form(&code)).await;
    let id_token = body["id_token"].as_str().expect("id").to_owned();
    // Wrong audience: the token is for CLIENT.
    assert_eq!(
        google_login(&api, &id_token, OTHER_CLIENT).await,
        auth_failed()
    );
    // Bad signature: another payload under the same signature.
    let parts: Vec<&str> = id_token.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    claims["email"] = json!("rival@example.com");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    assert_eq!(google_login(&api, &forged, CLIENT).await, auth_failed());
    // Signature bytes changed.
    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
    signature[10] ^= 1;
    let flipped = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        URL_SAFE_NO_PAD.encode(signature)
    );
    assert_eq!(google_login(&api, &flipped, CLIENT).await, auth_failed());
    // Issued by another server (another issuer URL).
    let other = MockServer::start();
    let other_api = Api::new(&other);
    assert_eq!(
        google_login(&other_api, &id_token, CLIENT).await,
        auth_failed()
    );
    // Not a JWT at all; and the token itself still works here.
    assert_eq!(
        google_login(&api, "eyJ.not.a-token", CLIENT).await,
        auth_failed()
    );
    assert_eq!(google_login(&api, &id_token, CLIENT).await.0, 200);
}

#[tokio::test]
async fn the_login_refuses_an_expired_id_token() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    // Signed with the mock's own (public, test-only) key, so only `exp` is wrong.
    let claims = |exp: i64| {
        json!({"iss": server.url(), "aud": CLIENT, "sub": "1", "email": "late@example.com",
               "email_verified": true, "iat": exp - 3600, "exp": exp})
    };
    let expired = xerial_mock::oauth::key::sign(&claims(now - 5)).expect("signs");
    assert_eq!(google_login(&api, &expired, CLIENT).await, auth_failed());
    let fresh = xerial_mock::oauth::key::sign(&claims(now + 600)).expect("signs");
    assert_eq!(google_login(&api, &fresh, CLIENT).await.0, 200);
}

#[tokio::test]
async fn discovery_and_jwks() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let (status, config) = api.get("/.well-known/openid-configuration", None).await;
    assert_eq!(status, 200);
    let url = server.url();
    assert_eq!(config["issuer"], url);
    assert_eq!(
        config["authorization_endpoint"],
        format!("{url}/oauth/authorize")
    );
    assert_eq!(config["token_endpoint"], format!("{url}/oauth/token"));
    assert_eq!(config["jwks_uri"], format!("{url}/oauth/jwks"));
    assert_eq!(config["code_challenge_methods_supported"], json!(["S256"]));
    let (status, jwks) = api.get("/oauth/jwks", None).await;
    assert_eq!(status, 200);
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
}
