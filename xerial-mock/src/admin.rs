//! The `/_mock/` admin API: how out-of-process drivers (shell scripts, the C test
//! harness) seed sessions, inject faults and read request counts.
//!
//! Bodies are small JSON objects and every response has a `Content-Length` (or is a
//! bodiless `204`), so a 30-line socket client sending `Connection: close` can drive it.
//! Admin requests are neither counted nor subject to faults, so a test can always
//! recover the server. Errors use the same `{"code","message"}` shape as the API.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::FaultRule;
use crate::fixture::BalanceSeed;
use crate::routes::ApiError;
use crate::state::SessionOptions;
use crate::Mock;

/// Routes under `/_mock/`.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/_mock/sessions", post(create_session))
        .route(
            "/_mock/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_mock/requests", get(requests).delete(clear_requests))
        .route("/_mock/reset", post(reset))
        .route("/_mock/balances", post(set_balance))
        .route("/_mock/transactions", get(transactions))
        .route("/_mock/login-attempts", get(login_attempts))
        .route("/_mock/login-attempts/{id}", get(login_attempt))
}

/// Parses an admin body into `T`; an empty body means `{}`.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(e.to_string()))
}

/// `POST /_mock/sessions` `{}` or `{"userId","accessTtlSecs","refreshTtlSecs"}` →
/// `200` token pair of a new live session.
async fn create_session(State(mock): State<Mock>, body: Bytes) -> Result<Response, ApiError> {
    let opts: SessionOptions = parse(&body)?;
    Ok(Json(mock.create_session(&opts)).into_response())
}

/// `POST /_mock/faults` with a [`FaultRule`] → `204`.
async fn add_fault(State(mock): State<Mock>, body: Bytes) -> Result<StatusCode, ApiError> {
    let rule: FaultRule = parse(&body)?;
    mock.add_fault(rule).map_err(ApiError::bad_request)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /_mock/faults` → `200` the active rules (with remaining `times`).
async fn list_faults(State(mock): State<Mock>) -> Response {
    Json(mock.faults()).into_response()
}

/// `DELETE /_mock/faults` → `204`, all rules removed.
async fn clear_faults(State(mock): State<Mock>) -> StatusCode {
    mock.clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct RequestsQuery {
    method: Option<String>,
    path: Option<String>,
}

/// `GET /_mock/requests?method=M&path=P` → `{"count":N}`; without both parameters,
/// the list `[{"method","path","count"}]`, filtered by whichever one is given.
async fn requests(State(mock): State<Mock>, Query(q): Query<RequestsQuery>) -> Response {
    match (q.method, q.path) {
        (Some(method), Some(path)) => {
            Json(json!({"count": mock.request_count(&method, &path)})).into_response()
        }
        (method, path) => {
            let list: Vec<_> = mock
                .requests()
                .into_iter()
                .filter(|r| {
                    method
                        .as_ref()
                        .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
                })
                .filter(|r| path.as_ref().is_none_or(|p| &r.path == p))
                .collect();
            Json(list).into_response()
        }
    }
}

/// `DELETE /_mock/requests` → `204`, counters zeroed.
async fn clear_requests(State(mock): State<Mock>) -> StatusCode {
    mock.clear_requests();
    StatusCode::NO_CONTENT
}

/// `POST /_mock/reset` → `204`: faults cleared, counters zeroed, state back to the seed.
async fn reset(State(mock): State<Mock>) -> StatusCode {
    mock.reset();
    StatusCode::NO_CONTENT
}

/// `POST /_mock/balances {"address","chain","native"?,"tokens"?:{"usdc":N}}` → `204`.
async fn set_balance(State(mock): State<Mock>, body: Bytes) -> Result<StatusCode, ApiError> {
    let seed: BalanceSeed = parse(&body)?;
    mock.set_balance(&seed).map_err(ApiError::bad_request)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /_mock/transactions` → `200 [{"transactionHash","kind","chain","from","details"}]`.
async fn transactions(State(mock): State<Mock>) -> Response {
    Json(mock.transactions()).into_response()
}

/// `GET /_mock/login-attempts` → `200 [{"id","accessToken","refreshToken","userId","setAt"}]`.
async fn login_attempts(State(mock): State<Mock>) -> Response {
    Json(mock.login_attempts()).into_response()
}

/// `GET /_mock/login-attempts/{id}` → `200` that attempt, or `404 Login Attempt Not Found`
/// when no session was set on it.
async fn login_attempt(
    State(mock): State<Mock>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    mock.login_attempt(&id)
        .map(|a| Json(a).into_response())
        .ok_or_else(|| ApiError::not_found_msg("Login Attempt Not Found"))
}
