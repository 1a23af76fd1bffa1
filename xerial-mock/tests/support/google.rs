//! Helpers for the offline-Google tests: a client that does not follow redirects, the
//! authorization request a game sends, the consent form, the token exchange, and an ID token
//! checked against the published JWKS with ring (independently of the mock's own code).

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::digest::{digest, SHA256};
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{json, Value};
use xerial_mock::MockServer;

use super::Api;

pub const CLIENT: &str = "1234-desktop.apps.googleusercontent.com";
pub const OTHER_CLIENT: &str = "5678-other.apps.googleusercontent.com";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a-test-verifier";
pub const STATE: &str = "st/ate+1 &x";
pub const REDIRECT: &str = "http://127.0.0.1:45678/s3cret/callback";

/// S256 of the verifier, computed here independently of the mock.
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn authorize_params() -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", CLIENT.into()),
        ("redirect_uri", REDIRECT.into()),
        ("scope", "openid email".into()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".into()),
        ("state", STATE.into()),
        ("nonce", "n-0S6_WzA2Mj".into()),
    ]
}

/// `GET /oauth/authorize` with `params`: (status, body, Location header).
pub async fn authorize(
    server: &MockServer,
    params: &[(&str, String)],
) -> (u16, String, Option<String>) {
    let resp = http()
        .get(format!("{}/oauth/authorize", server.url()))
        .query(params)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (status, resp.text().await.expect("body"), location)
}

/// The consent form's hidden request id.
pub fn request_id(page: &str) -> String {
    let start = page
        .find("name=\"request\" value=\"")
        .expect("request field")
        + 22;
    page[start..].split('"').next().expect("value").to_owned()
}

/// Posts the consent form; returns (status, Location).
pub async fn decide(server: &MockServer, form: &[(&str, &str)]) -> (u16, Option<String>) {
    let resp = http()
        .post(format!("{}/oauth/authorize", server.url()))
        .form(form)
        .send()
        .await
        .expect("send");
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (resp.status().as_u16(), location)
}

/// The query parameters of a redirect.
pub fn query(location: &str) -> Vec<(String, String)> {
    url::Url::parse(location)
        .expect("absolute")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Runs the consent page with `allow` (and `email` typed, if given); returns the code.
pub async fn code_for(server: &MockServer, email: Option<&str>) -> String {
    let (status, page, _) = authorize(server, &authorize_params()).await;
    assert_eq!(status, 200, "{page}");
    let id = request_id(&page);
    let mut form = vec![("request", id.as_str()), ("decision", "allow")];
    if let Some(email) = email {
        form.push(("email", email));
    } else {
        form.push(("account", "player@example.com"));
    }
    let (status, location) = decide(server, &form).await;
    assert_eq!(status, 302);
    let location = location.expect("redirect");
    assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
    let pairs = query(&location);
    assert!(
        pairs.contains(&("state".into(), STATE.into())),
        "{location}"
    );
    pairs
        .into_iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v)
        .expect("code")
}

/// `POST /oauth/token` with `form`: (status, JSON).
pub async fn exchange(server: &MockServer, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = http()
        .post(format!("{}/oauth/token", server.url()))
        .form(form)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    assert_eq!(
        resp.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    (status, resp.json().await.expect("json"))
}

pub fn token_form(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("client_id", CLIENT),
        ("code_verifier", VERIFIER),
    ]
}

pub fn with<'a>(
    form: &[(&'a str, &'a str)],
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = form.iter().filter(|(k, _)| *k != name).copied().collect();
    out.push((name, value));
    out
}

pub fn error_of(answer: &(u16, Value)) -> (u16, &str) {
    (answer.0, answer.1["error"].as_str().unwrap_or("?"))
}

/// The claims of an ID token, checked against the JWKS the mock publishes (verified here with
/// ring, not with the mock's own code).
pub async fn verified_claims(server: &MockServer, id_token: &str) -> Value {
    let jwks: Value = http()
        .get(format!("{}/oauth/jwks", server.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let jwk = &jwks["keys"][0];
    let b64 = |v: &Value| {
        URL_SAFE_NO_PAD
            .decode(v.as_str().expect("string"))
            .expect("b64")
    };
    let key = RsaPublicKeyComponents {
        n: b64(&jwk["n"]),
        e: b64(&jwk["e"]),
    };
    let (signed, signature) = id_token.rsplit_once('.').expect("jws");
    key.verify(
        &RSA_PKCS1_2048_8192_SHA256,
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).expect("b64"),
    )
    .expect("signature verifies against the JWKS");
    let header: Value =
        serde_json::from_slice(&b64(&json!(signed.split('.').next()))).expect("header");
    assert_eq!(
        (header["alg"].clone(), header["kid"].clone()),
        (json!("RS256"), jwk["kid"].clone())
    );
    serde_json::from_slice(&b64(&json!(signed.split('.').nth(1)))).expect("claims")
}

pub async fn google_login(api: &Api, token: &str, client_id: &str) -> (u16, Value) {
    let body = json!({"token": token, "clientId": client_id, "projectId": super::demo::PROJECT});
    api.post("/api/auth/google", None, body).await
}

pub fn auth_failed() -> (u16, Value) {
    (400, json!({"code": 400, "message": "Auth Failed"}))
}
