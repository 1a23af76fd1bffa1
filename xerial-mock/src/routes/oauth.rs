//! Google's sign-in endpoints, played offline (see [`crate::oauth`]): the consent page, the
//! player's decision, the token exchange, the JWKS and the discovery document.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, PRAGMA};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use url::{form_urlencoded, Url};

use crate::oauth::grants::{AuthRequest, Grant, Unredeemable};
use crate::oauth::page::{self, Consent};
use crate::oauth::params::{self, MAX_PARAM_BYTES};
use crate::oauth::{self as google, key, ID_TOKEN_TTL_SECS};
use crate::{tokens, Mock};

/// The routes under `/oauth/` and the discovery document.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/oauth/authorize", get(authorize).post(decide))
        .route("/oauth/token", post(token))
        .route("/oauth/jwks", get(jwks))
        .route("/.well-known/openid-configuration", get(discovery))
}

/// Form or query parameters, each at most once and at most [`MAX_PARAM_BYTES`] long
/// (RFC 6749 §3.1: a repeated parameter makes the request invalid).
fn parse_params(encoded: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (name, value) in form_urlencoded::parse(encoded) {
        if value.len() > MAX_PARAM_BYTES {
            return Err(format!("{name} is too long"));
        }
        if out.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(format!("{name} is repeated"));
        }
    }
    Ok(out)
}

/// A parameter's value, if present and not empty.
fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

fn missing(name: &str) -> String {
    format!("Missing required parameter: {name}")
}

/// `GET /oauth/authorize?…`: validates the request as Google does and shows the consent page,
/// or an error page (never a redirect) when anything is wrong.
async fn authorize(State(mock): State<Mock>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let params = match parse_params(query.as_bytes()) {
        Ok(params) => params,
        Err(e) => return page::error("invalid_request", &e),
    };
    let request = match auth_request(&params) {
        Ok(request) => request,
        Err((code, description)) => return page::error(code, &description),
    };
    let client_id = request.client_id.clone();
    let scope = request.scope.clone();
    let mut store = mock.store();
    let accounts: Vec<String> = store
        .accounts
        .users()
        .map(|u| u.identifier.clone())
        .filter(|id| params::is_email(id))
        .collect();
    let request_id = store.oauth.hold(request);
    drop(store);
    page::consent(&Consent {
        request_id: &request_id,
        client_id: &client_id,
        scope: &scope,
        accounts: &accounts,
        hint: param(&params, "login_hint"),
    })
}

/// The authorization request in `params`, or the error Google's page would name.
fn auth_request(params: &HashMap<String, String>) -> Result<AuthRequest, (&'static str, String)> {
    let client_id = param(params, "client_id").ok_or(("invalid_request", missing("client_id")))?;
    if !params::is_client_id(client_id) {
        return Err(("invalid_client", "The OAuth client was not found.".into()));
    }
    let redirect_uri =
        param(params, "redirect_uri").ok_or(("invalid_request", missing("redirect_uri")))?;
    params::redirect_uri(redirect_uri).map_err(|e| ("invalid_request", e.to_owned()))?;
    match param(params, "response_type") {
        None => return Err(("invalid_request", missing("response_type"))),
        Some("code") => {}
        Some(_) => {
            return Err((
                "unsupported_response_type",
                "response_type must be code".into(),
            ))
        }
    }
    let scope = param(params, "scope").ok_or(("invalid_request", missing("scope")))?;
    let challenge =
        param(params, "code_challenge").ok_or(("invalid_request", missing("code_challenge")))?;
    if param(params, "code_challenge_method") != Some("S256") {
        return Err((
            "invalid_request",
            "code_challenge_method must be S256".into(),
        ));
    }
    if !params::is_pkce_value(challenge) {
        return Err(("invalid_request", "code_challenge is malformed".into()));
    }
    Ok(AuthRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scope: scope.to_owned(),
        code_challenge: challenge.to_owned(),
        state: param(params, "state").map(str::to_owned),
        nonce: param(params, "nonce").map(str::to_owned),
    })
}

/// `POST /oauth/authorize` (the consent form): `request`, `decision` (`allow`/`deny`),
/// `account`, `email`. Allow → `302` to `redirect_uri?code=…&state=…`; deny → `302` to
/// `redirect_uri?error=access_denied&state=…`.
async fn decide(State(mock): State<Mock>, body: Bytes) -> Response {
    let form = match parse_params(&body) {
        Ok(form) => form,
        Err(e) => return page::error("invalid_request", &e),
    };
    let held = param(&form, "request").and_then(|id| mock.store().oauth.take_pending(id));
    let Some(request) = held else {
        return page::error(
            "invalid_request",
            "This sign-in request has expired or was already answered. Start again from the game.",
        );
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    match param(&form, "decision") {
        Some("allow") => {
            let email = param(&form, "email").or_else(|| param(&form, "account"));
            let Some(email) = email.filter(|e| params::is_email(e)) else {
                return page::error(
                    "invalid_request",
                    "Choose an account or type an e-mail address.",
                );
            };
            let code = mock.store().oauth.issue_code(Grant {
                request: request.clone(),
                email: email.to_owned(),
            });
            pairs.push(("code", code));
        }
        Some("deny") => pairs.push(("error", "access_denied".to_owned())),
        _ => return page::error("invalid_request", "decision must be allow or deny"),
    }
    if let Some(state) = &request.state {
        pairs.push(("state", state.clone()));
    }
    redirect(&request.redirect_uri, &pairs)
}

/// `302` to `redirect_uri` with `pairs` added to its query.
fn redirect(redirect_uri: &str, pairs: &[(&str, String)]) -> Response {
    // Checked when the request was held; a failure here would be a mock bug.
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return page::error("invalid_request", "redirect_uri is not an absolute URI");
    };
    url.query_pairs_mut()
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    (StatusCode::FOUND, [(LOCATION, url.to_string())]).into_response()
}

/// An RFC 6749 §5.2 error answer from the token endpoint.
fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = json!({"error": error, "error_description": description});
    (
        status,
        [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")],
        Json(body),
    )
        .into_response()
}

fn invalid_request(description: &str) -> Response {
    token_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_grant(description: &str) -> Response {
    token_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

fn invalid_client(description: &str) -> Response {
    token_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

/// `POST /oauth/token` (form: `grant_type=authorization_code`, `code`, `redirect_uri`,
/// `client_id`, `client_secret` (optional, not checked: an installed app's secret is not
/// secret, and the mock has no registry), `code_verifier`) → `200 {"access_token",
/// "expires_in","id_token","token_type":"Bearer","scope"}`, or an RFC 6749 §5.2 error. The
/// code is spent by the first presentation that names a known code, whatever its outcome.
async fn token(State(mock): State<Mock>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !is_form {
        return invalid_request("Content-Type must be application/x-www-form-urlencoded");
    }
    let form = match parse_params(&body) {
        Ok(form) => form,
        Err(e) => return invalid_request(&e),
    };
    match param(&form, "grant_type") {
        None => return invalid_request(&missing("grant_type")),
        Some("authorization_code") => {}
        Some(_) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be authorization_code",
            )
        }
    }
    let Some(client_id) = param(&form, "client_id").filter(|id| params::is_client_id(id)) else {
        return invalid_client("The OAuth client was not found.");
    };
    let (Some(code), Some(redirect_uri), Some(verifier)) = (
        param(&form, "code"),
        param(&form, "redirect_uri"),
        param(&form, "code_verifier"),
    ) else {
        return invalid_request("code, redirect_uri and code_verifier are required");
    };
    if !params::is_pkce_value(verifier) {
        return invalid_request("code_verifier is malformed");
    }
    let grant = match mock.store().oauth.redeem(code) {
        Ok(grant) => grant,
        Err(Unredeemable::Unknown) => {
            return invalid_grant("Malformed auth code, or already used.")
        }
        Err(Unredeemable::Expired) => return invalid_grant("The auth code has expired."),
    };
    if grant.request.client_id != client_id {
        return invalid_client("The code was issued to another client.");
    }
    if grant.request.redirect_uri != redirect_uri {
        return invalid_grant("redirect_uri does not match the authorization request.");
    }
    if params::s256(verifier) != grant.request.code_challenge {
        return invalid_grant("code_verifier does not match the code_challenge.");
    }
    let id_token = match google::id_token(&grant, &mock.issuer()) {
        Ok(token) => token,
        Err(e) => return token_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", &e),
    };
    let body = json!({
        "access_token": format!("ya29.mock-{}", tokens::hex(&tokens::random_bytes(24))),
        "expires_in": ID_TOKEN_TTL_SECS,
        "id_token": id_token,
        "token_type": "Bearer",
        "scope": grant.request.scope,
    });
    (
        [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")],
        Json(body),
    )
        .into_response()
}

/// `GET /oauth/jwks`: the public key ID tokens are signed with.
async fn jwks() -> Response {
    match key::jwks() {
        Ok(jwks) => Json(jwks).into_response(),
        Err(e) => token_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", &e),
    }
}

/// `GET /.well-known/openid-configuration`.
async fn discovery(State(mock): State<Mock>) -> Response {
    Json(google::discovery(&mock.issuer())).into_response()
}
