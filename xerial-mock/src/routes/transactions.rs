//! Transaction routes (API reference §3 rows #9, #11–#16), all Bearer-authenticated
//! and answering `{"transactionHash":"0x<64 hex>"}`.
//!
//! Check order, as an express app with auth middleware, Joi validation middleware and
//! a controller would run it: `401` (token) → `400` (chain, body) → `404 Wallet Not
//! Found` → `403 Forbidden` (not the bearer's wallet) → `405` (non-custodial) → `404`
//! / `412` from the operation itself.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value};

use super::extract::as_u64;
use super::{chain, ApiError, Bearer, JsonBody};
use crate::store::{DelistTarget, Purchase};
use crate::Mock;

/// `POST /api/wallet/{address}/{chain}/…` transactions.
pub fn routes() -> Router<Mock> {
    let base = "/api/wallet/{address}/{chain}";
    Router::new()
        .route(&format!("{base}/transfer-nft"), post(transfer_nft))
        .route(&format!("{base}/transfer-token"), post(transfer_token))
        .route(&format!("{base}/primary-purchase"), post(primary_purchase))
        .route(
            &format!("{base}/secondary-purchase"),
            post(secondary_purchase),
        )
        .route(&format!("{base}/list-nft"), post(list_nft))
        .route(&format!("{base}/delist-nft"), post(delist_nft))
        .route(&format!("{base}/transaction"), post(custom))
}

type Segments = Path<(String, String)>;

fn ok(v: Value) -> Response {
    Json(v).into_response()
}

/// `transfer-nft {"collectionAddress","tokenId","to"}` (#9).
async fn transfer_nft(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let body = JsonBody::parse(&body);
    let collection = body.required_str("collectionAddress")?;
    let token_id = body.required_u64("tokenId")?;
    let to = body.required_str("to")?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store
        .transfer_nft(&wallet, chain, collection, token_id, to)
        .map(ok)
}

/// `transfer-token {"tokenAddress","amount","to"}` (#11); `amount` in token units.
async fn transfer_token(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let body = JsonBody::parse(&body);
    let token = body.required_str("tokenAddress")?;
    let amount = body.required_amount("amount")?;
    let to = body.required_str("to")?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store
        .transfer_token(&wallet, chain, token, amount, to)
        .map(ok)
}

fn purchase_line(line: &Map<String, Value>) -> Result<Purchase, ApiError> {
    let line = JsonBody::from_map(line.clone());
    let quantity = line.required_u64("quantity")?;
    if quantity == 0 {
        return Err(ApiError::bad_request(
            "\"quantity\" must be greater than or equal to 1",
        ));
    }
    Ok(Purchase {
        collection: line.required_str("collectionAddress")?.to_owned(),
        type_id: line.required_u64("typeId")?,
        quantity,
    })
}

/// Accepts all three shapes seen in the wild (reference §3.2 #12): the array form
/// `{"purchases":[{…}]}`, the docs' object form `{"purchases":{…}}`, and the flat form.
fn purchases(body: &JsonBody) -> Result<Vec<Purchase>, ApiError> {
    match body.get("purchases") {
        Some(Value::Array(items)) if items.is_empty() => Err(ApiError::bad_request(
            "\"purchases\" must contain at least 1 items",
        )),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(map) => purchase_line(map),
                _ => Err(ApiError::bad_request(
                    "\"purchases[0]\" must be of type object",
                )),
            })
            .collect(),
        Some(Value::Object(map)) => Ok(vec![purchase_line(map)?]),
        Some(_) => Err(ApiError::bad_request("\"purchases\" must be an array")),
        None if body.get("collectionAddress").is_some() => match body.clone().into_value() {
            Value::Object(map) => Ok(vec![purchase_line(&map)?]),
            _ => Err(ApiError::bad_request("\"purchases\" is required")),
        },
        None => Err(ApiError::bad_request("\"purchases\" is required")),
    }
}

/// `primary-purchase {"purchases":[{"collectionAddress","typeId","quantity"}]}` (#12).
async fn primary_purchase(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let lines = purchases(&JsonBody::parse(&body))?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store.primary_purchase(&wallet, chain, &lines).map(ok)
}

/// `secondary-purchase {"marketItemId"}` (#13).
async fn secondary_purchase(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let item = JsonBody::parse(&body).required_u64("marketItemId")?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store.secondary_purchase(&wallet, chain, item).map(ok)
}

/// `list-nft {"collectionAddress","tokenId","price"}` (#14); price in native units.
async fn list_nft(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let body = JsonBody::parse(&body);
    let collection = body.required_str("collectionAddress")?;
    let token_id = body.required_u64("tokenId")?;
    let price = body.required_amount("price")?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store
        .list_nft(&wallet, chain, collection, token_id, price, &address)
        .map(ok)
}

/// `delist-nft {"marketItemId"}` (the SDK's form) or `{"collectionAddress","tokenId"}`
/// (the docs' form) (#15).
async fn delist_nft(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let body = JsonBody::parse(&body);
    let target = match body.get("marketItemId") {
        Some(v) => DelistTarget::Item(as_u64("marketItemId", v)?),
        None if body.get("collectionAddress").is_some() => DelistTarget::Token(
            body.required_str("collectionAddress")?.to_owned(),
            body.required_u64("tokenId")?,
        ),
        None => return Err(ApiError::bad_request("\"marketItemId\" is required")),
    };
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    store.delist(&wallet, chain, target).map(ok)
}

/// `transaction` (#16): Xerial's `{type,to,functionName,value,inputs}` form or an ethers
/// `UnsignedTransaction`; only `to` is required. Recorded, not executed.
async fn custom(
    State(mock): State<Mock>,
    Bearer(user): Bearer,
    Path((address, chain_seg)): Segments,
    body: Bytes,
) -> Result<Response, ApiError> {
    let chain = chain(&chain_seg)?;
    let body = JsonBody::parse(&body);
    body.required_str("to")?;
    let mut store = mock.store();
    let wallet = store.signer(&user, &address)?;
    Ok(ok(store.custom_transaction(
        &wallet,
        chain,
        body.into_value(),
    )))
}
