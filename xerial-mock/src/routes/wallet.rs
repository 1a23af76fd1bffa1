//! Read-only wallet routes (API reference §3 rows #5–#8). Xerial's SDKs send no
//! Authorization here, so none is required; the wallet must exist.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::{chain, ApiError};
use crate::store::Chain;
use crate::Mock;

/// `/api/wallet/{address}/{chain}/…` reads.
pub fn routes() -> Router<Mock> {
    Router::new()
        .route("/api/wallet/{address}/{chain}/eth", get(native))
        .route("/api/wallet/{address}/{chain}/tokens", get(tokens))
        .route(
            "/api/wallet/{address}/{chain}/project-inventory/{project}",
            get(project_inventory),
        )
        .route(
            "/api/wallet/{address}/{chain}/global-inventory",
            get(global_inventory),
        )
}

// Validates the chain, then resolves the wallet to its holder key.
fn holder(mock: &Mock, address: &str, chain_segment: &str) -> Result<(String, Chain), ApiError> {
    let chain = chain(chain_segment)?;
    let wallet = mock.store().wallet_at(address)?;
    Ok((wallet.holder(), chain))
}

/// `GET …/eth` → `{"balance":"<decimal>"}` (#5).
async fn native(
    State(mock): State<Mock>,
    Path((address, chain)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (holder, chain) = holder(&mock, &address, &chain)?;
    Ok(Json(mock.store().market.native_view(&holder, chain)).into_response())
}

/// `GET …/tokens` → `{"balances":{"usdc":N}}` (#6).
async fn tokens(
    State(mock): State<Mock>,
    Path((address, chain)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (holder, chain) = holder(&mock, &address, &chain)?;
    Ok(Json(mock.store().market.tokens_view(&holder, chain)).into_response())
}

/// `GET …/project-inventory/{projectId}` → `[InventoryEntry]` (#7).
async fn project_inventory(
    State(mock): State<Mock>,
    Path((address, chain, project)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let (holder, chain) = holder(&mock, &address, &chain)?;
    Ok(Json(
        mock.store()
            .market
            .project_inventory(&holder, chain, &project),
    )
    .into_response())
}

/// `GET …/global-inventory` → `{"ownedNfts":[…],…}` (#8); Polygon only, as documented.
async fn global_inventory(
    State(mock): State<Mock>,
    Path((address, chain)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (holder, chain) = holder(&mock, &address, &chain)?;
    if chain != Chain::Polygon {
        return Err(ApiError::bad_request("Not supported chain"));
    }
    Ok(Json(mock.store().market.global_inventory(&holder, chain)).into_response())
}
