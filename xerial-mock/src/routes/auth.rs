//! Authentication routes (API reference §2.1 and §3 rows #17–#21).
//!
//! * Google: an ID token from the offline Google ([`crate::oauth`]) whose signature, `aud`
//!   (must equal `clientId`), `iss` (this server) and `exp` hold logs in as its `email` (user
//!   and custodial wallet created on first use). As a test shortcut, any `token` starting with
//!   `google-ok` succeeds: `google-ok:<email>` as that e-mail, plain `google-ok` as the demo
//!   player. Anything else is `400 Auth Failed`.
//! * MetaMask: `POST /api/nonce` first, then a real EIP-191 `personal_sign` signature of
//!   that nonce by `address` succeeds (see [`crate::personal_sign`]), and so does, as a test
//!   shortcut, any `signature` starting with `0xok`; the nonce is then consumed. Other
//!   signatures are `400 Auth Failed`; no nonce is `404 Nonce Not Found`. New addresses get
//!   a non-custodial user.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::{ApiError, JsonBody};
use crate::fixture::DEMO_PROJECT_ID;
use crate::store::sessions::{DEFAULT_ACCESS_TTL_SECS, DEFAULT_REFRESH_TTL_SECS};
use crate::store::{Store, Wallet};
use crate::Mock;
use crate::{oauth, personal_sign};

/// The e-mail plain `google-ok` logs in as (the demo player's).
pub const DEMO_EMAIL: &str = "player@example.com";

/// Routes under `/api/auth` plus `/api/nonce`.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/refresh-tokens", post(refresh))
        .route("/api/auth/google", post(google))
        .route("/api/auth/metamask", post(metamask))
        .route("/api/nonce", post(nonce))
}

fn login(store: &mut Store, user: &str) -> Response {
    let pair = store
        .sessions
        .issue(user, DEFAULT_ACCESS_TTL_SECS, DEFAULT_REFRESH_TTL_SECS);
    Json(pair.to_json()).into_response()
}

fn auth_failed() -> ApiError {
    ApiError::bad_request("Auth Failed")
}

/// `POST /api/auth/logout {"refreshToken"}` → `204` and the session is revoked;
/// `404 Not Found` when the token has no live session. No Authorization needed.
async fn logout(State(mock): State<Mock>, body: Bytes) -> Result<StatusCode, ApiError> {
    let body = JsonBody::parse(&body);
    let token = body.required_str("refreshToken")?;
    if mock.store().sessions.revoke(token) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

/// `POST /api/auth/refresh-tokens {"refreshToken"}` → `200` a new pair; the old refresh
/// token is revoked. Unknown, revoked or expired → `401 Please Authenticate`.
async fn refresh(State(mock): State<Mock>, body: Bytes) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let token = body.required_str("refreshToken")?;
    let mut store = mock.store();
    let session = store
        .sessions
        .rotate(token)
        .ok_or_else(ApiError::unauthorized)?;
    Ok(Json(session.to_json()).into_response())
}

/// `POST /api/auth/google {"token","clientId","projectId"}` → `200` token pair.
async fn google(State(mock): State<Mock>, body: Bytes) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let token = body.required_str("token")?;
    let client_id = body.required_str("clientId")?;
    let project = body.optional_str("projectId")?;
    let email = match token.strip_prefix("google-ok") {
        Some(rest) => match rest.strip_prefix(':') {
            Some(e) if e.contains('@') => e.to_owned(),
            _ => DEMO_EMAIL.to_owned(),
        },
        None => oauth::verify_id_token(token, client_id, &mock.issuer()).ok_or_else(auth_failed)?,
    };
    let mut store = mock.store();
    let user = match store.accounts.user_by_identifier(&email) {
        Some(u) => u.id.clone(),
        None => {
            let project = project.unwrap_or(DEMO_PROJECT_ID).to_owned();
            let user = store.accounts.create_user(&email, Some(project));
            store.accounts.create_custodial_wallet(&user.id);
            user.id
        }
    };
    Ok(login(&mut store, &user))
}

/// `POST /api/nonce {"address"}` → `200 {"nonce"}` (re-issued on every call).
async fn nonce(State(mock): State<Mock>, body: Bytes) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let address = body.required_str("address")?;
    let nonce = mock.store().accounts.issue_nonce(address);
    Ok(Json(json!({ "nonce": nonce })).into_response())
}

/// `POST /api/auth/metamask {"address","signature","projectId"}` → `200` token pair.
async fn metamask(State(mock): State<Mock>, body: Bytes) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let address = body.required_str("address")?;
    let signature = body.required_str("signature")?;
    let project = body.optional_str("projectId")?;
    let mut store = mock.store();
    let nonce = store
        .accounts
        .nonce(address)
        .ok_or_else(|| ApiError::not_found_msg("Nonce Not Found"))?;
    // MetaMask signs the nonce as text (it is not `0x`-prefixed hex).
    let test_shortcut = signature
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("0xok"));
    if !test_shortcut && !personal_sign::is_signed_by(nonce.as_bytes(), signature, address) {
        return Err(auth_failed());
    }
    store.accounts.consume_nonce(address);
    let user = match store.accounts.wallet_by_address(address) {
        Some(w) => w.user.clone(),
        None => {
            let project = project.unwrap_or(DEMO_PROJECT_ID).to_owned();
            let user = store.accounts.create_user(address, Some(project));
            store.accounts.put_wallet(Wallet {
                id: crate::tokens::object_id(),
                address: address.to_owned(),
                smart_account: None,
                custodial: false,
                user: user.id.clone(),
                kind: "evm".to_owned(),
            });
            user.id
        }
    };
    Ok(login(&mut store, &user))
}
