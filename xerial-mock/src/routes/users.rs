//! User and custodial-wallet routes (API reference §3 rows #1–#3).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{ApiError, Bearer, JsonBody};
use crate::fixture::DEMO_PROJECT_ID;
use crate::store::Wallet;
use crate::Mock;

/// `/api/user` and `/api/wallet/{userId}`.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/api/user", get(user_info).post(create_user))
        // Same parameter name as `/api/wallet/{address}/…`: the router requires it.
        .route("/api/wallet/{address}", post(create_wallet))
}

/// `GET /api/user` → `{"user":{"identifier","id"},"wallets":[Wallet]}` (#1).
async fn user_info(State(mock): State<Mock>, Bearer(user): Bearer) -> Result<Response, ApiError> {
    let store = mock.store();
    let u = store
        .accounts
        .user(&user)
        .ok_or_else(ApiError::unauthorized)?;
    let wallets: Vec<Value> = store
        .accounts
        .wallets_of(&user)
        .into_iter()
        .map(Wallet::to_json)
        .collect();
    let body = json!({"user": {"identifier": u.identifier, "id": u.id}, "wallets": wallets});
    Ok(Json(body).into_response())
}

/// `POST /api/user {"reference"?}` → `{"refrence","id","project"}` (#2). The key is
/// spelled `refrence`, exactly as Xerial's documentation example shows it.
async fn create_user(
    State(mock): State<Mock>,
    Bearer(caller): Bearer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let reference = body.optional_str("reference")?.map(str::to_owned);
    let mut store = mock.store();
    let project = store
        .accounts
        .user(&caller)
        .and_then(|u| u.project.clone())
        .unwrap_or_else(|| DEMO_PROJECT_ID.to_owned());
    let identifier = reference.clone().unwrap_or_default();
    let mut user = store
        .accounts
        .create_user(&identifier, Some(project.clone()));
    if identifier.is_empty() {
        user.identifier = user.id.clone();
        store.accounts.put_user(user.clone());
    }
    let body = json!({"refrence": reference, "id": user.id, "project": project});
    Ok(Json(body).into_response())
}

/// `POST /api/wallet/{userId} {"type":"evm"}` → the new custodial Wallet (#3).
async fn create_wallet(
    State(mock): State<Mock>,
    Bearer(_caller): Bearer,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body);
    let kind = body.required_str("type")?;
    if kind != "evm" {
        return Err(ApiError::bad_request("\"type\" must be [evm]"));
    }
    let mut store = mock.store();
    if store.accounts.user(&user_id).is_none() {
        return Err(ApiError::not_found_msg("User Not Found"));
    }
    let wallet = store.accounts.create_custodial_wallet(&user_id);
    Ok(Json(wallet.to_json()).into_response())
}
