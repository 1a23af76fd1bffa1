//! Marketplace functions, on `marketplace_url` (a call without it configured answers
//! `XERIAL_E_INVALID_ARGUMENT`). No player session needed; reads are retried.

use std::ffi::{c_char, c_void};

use super::dispatch::start;
use super::strings::{optional, required};
use super::types::*;
use crate::client::endpoint::{COLLECTIONS, PRIMARY_LISTINGS, PROJECT, SECONDARY_LISTINGS};

/// A project's collections: `GET {marketplace_url}/collections?project={projectId}`.
///
/// `project_id` NULL means the configured one. Result body: `{"projectId":"…","project":{…},
/// "collections":[{"id":…,"address":…,"name":…,"symbol":…,"description":…,"image":…,
/// "externalUrl":…,"chain":"polygon","txHash":…,"project":…}]}`. Codes: `XERIAL_OK`;
/// `XERIAL_E_INVALID_ARGUMENT` (no `marketplace_url`, no project id); `XERIAL_E_NOT_FOUND`;
/// `XERIAL_E_DECODE`; the common codes. Returns a request id (0: NULL callback or not
/// initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_market_collections(
    project_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_market_collections", || {
        start(&COLLECTIONS, callback, user_data, |client| {
            // SAFETY (all string arguments of this file): NULL or NUL-terminated, as documented.
            let project_id = unsafe { optional(project_id, "project_id") }?;
            Ok(client.collections(project_id))
        })
    })
}

/// A project's primary listings on a chain:
/// `GET {marketplace_url}/marketplace/{projectId}/{chain}/primary`.
///
/// Result body: an array of `{"id":…,"typeId":"1","supply":3,"price":"1","inSale":true,
/// "mintedTokens":1,"metadata":{…as in the project inventory…}}`. `supply` is the type's original
/// supply and stays put; `mintedTokens` goes up with each purchase; still available:
/// `supply - mintedTokens`. Codes as
/// `xerial_market_collections`. Returns a request id (0: NULL callback or not initialised); the
/// callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_market_primary_listings(
    project_id: *const c_char,
    chain: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_market_primary_listings", || {
        start(&PRIMARY_LISTINGS, callback, user_data, |client| {
            let project_id = unsafe { optional(project_id, "project_id") }?;
            let chain = unsafe { required(chain, "chain") }?;
            Ok(client.primary_listings(project_id, chain))
        })
    })
}

/// A project's community (secondary) listings on a chain, optionally of one seller:
/// `GET {marketplace_url}/marketplace/{projectId}/{chain}/secondary[?seller=…]`.
///
/// `seller` may be NULL (every seller). Result body: an array of `{"tokenId":"1","price":"1",
/// "seller":"0x…","marketItemId":"38","metadata":{…}}`. Codes as `xerial_market_collections`.
/// Returns a request id (0: NULL callback or not initialised); the callback runs exactly once, on
/// the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_market_secondary_listings(
    project_id: *const c_char,
    chain: *const c_char,
    seller: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_market_secondary_listings", || {
        start(&SECONDARY_LISTINGS, callback, user_data, |client| {
            let project_id = unsafe { optional(project_id, "project_id") }?;
            let chain = unsafe { required(chain, "chain") }?;
            let seller = unsafe { optional(seller, "seller") }?;
            Ok(client.secondary_listings(project_id, chain, seller))
        })
    })
}

/// A project's public data by its marketplace domain: `GET {marketplace_url}/marketplace/{domain}`.
///
/// Result body: `{"id":…,"address":…,"name":…,"description":…,"category":…,"tokenName":…,
/// "tokenLogo":…,"logo":…,"banner":…,"trailer":…,"downloadLink":…,"symbol":…,"domain":…,
/// "socialMedias":{"twitter":…,"instagram":…,"discord":…,"linkedin":…},"developer":…,
/// "wallet":…}` (older answers wrapped in `{"project":…}` with `userBanner` are normalised to
/// this). Codes as `xerial_market_collections`. Returns a request id (0: NULL callback or not
/// initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_market_project(
    domain: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_market_project", || {
        start(&PROJECT, callback, user_data, |client| {
            let domain = unsafe { required(domain, "domain") }?;
            Ok(client.project(domain))
        })
    })
}
