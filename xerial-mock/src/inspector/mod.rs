//! The inspector: a page served at `/` that shows what a game is doing to the offline Xerial
//! (players and sessions, money and items, every request live, faults) and lets the developer
//! change the world the game sees. It is plain HTML, CSS and JavaScript embedded in the binary
//! (no build step, nothing fetched), and it does everything through the `/_mock/` admin API,
//! so whatever it does can also be scripted. This module adds the admin routes it needs:
//!
//! | Request | Response |
//! |---|---|
//! | `GET /_mock/log?since=REV` | `{"rev","first","entries":[…]}`: requests changed after `REV`, newest first ([`journal`]) |
//! | `GET /_mock/log/{id}` | one request with its (redacted) headers and bodies; `404` once gone |
//! | `GET /_mock/world` | users, wallets, balances, inventories, sessions, listings, market, transactions ([`world`]) |
//! | `POST /_mock/sessions/{id}/expire-access` | `204`: that session's access token expires now |
//! | `POST /_mock/sessions/{id}/logout` | `204`: the session is revoked and its access token expired |
//! | `DELETE /_mock/faults/{id}` | `204`: that fault rule is turned off |
//! | `GET /_mock/faults/ended` | the latest rules that ended, with their hits |
//! | `POST /_mock/fixture` *fixture JSON* | `204`: the fixture becomes the seed and the mock resets to it |
//!
//! Nothing here returns a full token: the journal stores only redacted text ([`redact`]) and
//! the world lists sessions by a hash and a six-character hint.

mod capture;
pub mod journal;
pub mod redact;
pub mod world;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub(crate) use capture::admit;
pub use journal::Journal;

use crate::routes::ApiError;
use crate::{Fixture, Mock};

/// The page's path; its assets live under [`ASSETS`].
pub const PAGE: &str = "/";
/// Where the page's script and style sheet are served.
pub const ASSETS: &str = "/_mock/inspector/";

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

/// Only the page's own script and style run; it talks to its own origin only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Whether `path` is the page or one of its assets (never counted, faulted or journaled).
pub fn is_inspector(path: &str) -> bool {
    path == PAGE || path.starts_with(ASSETS)
}

/// The page, its assets and the admin routes it needs.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route(
            PAGE,
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route("/_mock/inspector/{name}", get(asset_named))
        .route("/_mock/log", get(log))
        .route("/_mock/log/{id}", get(log_entry))
        .route("/_mock/world", get(world))
        .route("/_mock/sessions/{id}/expire-access", post(expire_access))
        .route("/_mock/sessions/{id}/logout", post(logout))
        .route("/_mock/faults/ended", get(ended_faults))
        .route("/_mock/faults/{id}", delete(remove_fault))
        .route("/_mock/fixture", post(load_fixture))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (CONTENT_TYPE, content_type),
        (CACHE_CONTROL, "no-store"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (HeaderName::from_static("content-security-policy"), CSP),
    ];
    (headers, body).into_response()
}

async fn asset_named(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "app.js" => asset("text/javascript; charset=utf-8", APP_JS),
        "style.css" => asset("text/css; charset=utf-8", STYLE_CSS),
        _ => ApiError::not_found().into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct LogQuery {
    since: Option<u64>,
}

/// `GET /_mock/log?since=REV`.
async fn log(State(mock): State<Mock>, Query(q): Query<LogQuery>) -> Response {
    Json(mock.journal().since(q.since.unwrap_or(0))).into_response()
}

/// `GET /_mock/log/{id}`.
async fn log_entry(State(mock): State<Mock>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let entry = id
        .parse()
        .ok()
        .and_then(|id| mock.journal().detail(id))
        .ok_or_else(|| ApiError::not_found_msg("Request Not In The Log"))?;
    Ok(Json(entry).into_response())
}

/// `GET /_mock/world`.
async fn world(State(mock): State<Mock>) -> Response {
    Json(mock.world()).into_response()
}

fn done(found: bool, what: &str) -> Result<StatusCode, ApiError> {
    found
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| ApiError::not_found_msg(format!("{what} Not Found")))
}

/// `POST /_mock/sessions/{id}/expire-access`.
async fn expire_access(
    State(mock): State<Mock>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    done(mock.expire_access(&id), "Session")
}

/// `POST /_mock/sessions/{id}/logout`.
async fn logout(State(mock): State<Mock>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    done(mock.end_session(&id), "Session")
}

/// `GET /_mock/faults/ended`.
async fn ended_faults(State(mock): State<Mock>) -> Response {
    Json(mock.ended_faults()).into_response()
}

/// `DELETE /_mock/faults/{id}`.
async fn remove_fault(
    State(mock): State<Mock>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    done(id.parse().is_ok_and(|id| mock.remove_fault(id)), "Fault")
}

/// `POST /_mock/fixture` with a fixture (`{}` is the demo world).
async fn load_fixture(State(mock): State<Mock>, body: Bytes) -> Result<StatusCode, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("the fixture must be UTF-8 JSON"))?;
    let fixture = Fixture::from_json(text).map_err(ApiError::bad_request)?;
    mock.load_fixture(fixture).map_err(ApiError::bad_request)?;
    Ok(StatusCode::NO_CONTENT)
}
