//! Marketplace routes (API reference §3 rows #23–#26), served at the root so the same
//! server URL can be the SDK's marketplace base URL. No authentication.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::{chain, ApiError};
use crate::Mock;

/// `/collections` and `/marketplace/…`.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/collections", get(collections))
        // One parameter name at this position for both routes (a router requirement):
        // `{id}` is the project domain in the first, the project id in the others.
        .route("/marketplace/{id}", get(project_by_domain))
        .route("/marketplace/{id}/{chain}/primary", get(primary))
        .route("/marketplace/{id}/{chain}/secondary", get(secondary))
}

fn project_not_found() -> ApiError {
    ApiError::not_found_msg("Project Not Found")
}

/// `GET /collections?project={projectId}` → `{projectId, project, collections}` (#23).
async fn collections(
    State(mock): State<Mock>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = q
        .get("project")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::bad_request("\"project\" is required"))?;
    let store = mock.store();
    let project = store.market.project(id).ok_or_else(project_not_found)?;
    Ok(Json(store.market.collections_view(project)).into_response())
}

/// `GET /marketplace/{projectId}/{chain}/primary` → `[PrimaryListing]` (#24).
async fn primary(
    State(mock): State<Mock>,
    Path((id, chain_seg)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let store = mock.store();
    store.market.project(&id).ok_or_else(project_not_found)?;
    Ok(Json(store.market.primary_view(&id, chain)).into_response())
}

/// `GET /marketplace/{projectId}/{chain}/secondary[?seller=]` → `[SecondaryListing]` (#25).
/// `seller` may be a wallet's address or smart account.
async fn secondary(
    State(mock): State<Mock>,
    Path((id, chain_seg)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let store = mock.store();
    store.market.project(&id).ok_or_else(project_not_found)?;
    let seller = q
        .get("seller")
        .filter(|s| !s.is_empty())
        .map(|s| store.accounts.holder(s));
    Ok(Json(store.market.secondary_view(&id, chain, seller.as_deref())).into_response())
}

/// `GET /marketplace/{domain}` → the Project object (#26).
async fn project_by_domain(
    State(mock): State<Mock>,
    Path(domain): Path<String>,
) -> Result<Response, ApiError> {
    let store = mock.store();
    let project = store
        .market
        .projects
        .iter()
        .find(|p| p.domain == domain)
        .ok_or_else(project_not_found)?;
    Ok(Json(serde_json::Value::Object(project.data.clone())).into_response())
}
