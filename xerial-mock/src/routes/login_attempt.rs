//! `POST /api/login-attempt/{loginAttemptId}/set-session` (API reference §2.1 item 5, #22):
//! what Xerial's hosted login page calls once the player has logged in.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;

use super::{ApiError, JsonBody};
use crate::store::login_attempts::LoginAttempt;
use crate::{tokens, Mock};

/// The set-session route.
pub fn routes() -> Router<Mock> {
    Router::new().route("/api/login-attempt/{id}/set-session", post(set_session))
}

/// `{"refreshToken","accessToken"}` → `204`; the pair is stored on the attempt (seen through
/// `GET /_mock/login-attempts`). Any attempt id is accepted: how attempts are created is not
/// public, so the mock refuses none. The tokens are stored as given (the page sends what a
/// login just returned); the attempt records whose session the access token is, if any.
async fn set_session(
    State(mock): State<Mock>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let body = JsonBody::parse(&body);
    let refresh_token = body.required_str("refreshToken")?.to_owned();
    let access_token = body.required_str("accessToken")?.to_owned();
    let mut store = mock.store();
    let user_id = store
        .sessions
        .authenticate(&access_token)
        .map(str::to_owned);
    store.login_attempts.set(LoginAttempt {
        id,
        access_token,
        refresh_token,
        user_id,
        set_at_ms: tokens::now_ms(),
    });
    Ok(StatusCode::NO_CONTENT)
}
