//! Transaction functions. Each moves value: never retried once anything may have been sent; a
//! lost answer (dropped connection, truncated answer, deadline) is `XERIAL_E_OUTCOME_UNKNOWN`, as
//! is a cancel or shutdown after sending. Each is Bearer, and each answers
//! `{"transactionHash":"0x…"}` (64 hex digits).
//!
//! Codes of every transaction: `XERIAL_OK`; `XERIAL_E_INVALID_ARGUMENT`; `XERIAL_E_NOT_LOGGED_IN`;
//! `XERIAL_E_OUTCOME_UNKNOWN`; `XERIAL_E_FORBIDDEN` (403: not the player's wallet);
//! `XERIAL_E_NOT_FOUND` (`"Wallet Not Found"`); `XERIAL_E_NOT_SUPPORTED` (405: non-custodial
//! wallet); `XERIAL_E_PRECONDITION_FAILED` (412 `"You Don't Have This NFT"`); `XERIAL_E_DECODE`;
//! the common codes. `retryable` is 1 only when nothing ran for sure.

use std::ffi::{c_char, c_void};

use super::dispatch::start;
use super::strings::required_all;
use super::types::*;
use crate::client::endpoint::{
    CUSTOM_TRANSACTION, DELIST_NFT, LIST_NFT, PRIMARY_PURCHASE, SECONDARY_PURCHASE, TRANSFER_NFT,
    TRANSFER_TOKEN,
};

/// Transfers an NFT: `POST /api/wallet/{address}/{chain}/transfer-nft`
/// `{"collectionAddress":…,"tokenId":<token_id as a JSON number>,"to":…}` (Bearer).
///
/// `address` is the sending wallet; `token_id` an unsigned decimal string (up to 2^256−1). All
/// strings are borrowed for the call. Result body `{"transactionHash":"0x…"}`; codes as every
/// transaction (see the header's preamble; `XERIAL_E_OUTCOME_UNKNOWN` above all). Returns a
/// request id (0: NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_transfer_nft(
    address: *const c_char,
    chain: *const c_char,
    collection_address: *const c_char,
    token_id: *const c_char,
    to: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_transfer_nft", || {
        start(&TRANSFER_NFT, callback, user_data, |client| {
            // SAFETY (all string arguments of this file): NULL or NUL-terminated, as documented.
            let [address, chain, collection, token_id, to] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (collection_address, "collection_address"),
                    (token_id, "token_id"),
                    (to, "to"),
                ])
            }?;
            Ok(client.transfer_nft(address, chain, collection, token_id, to))
        })
    })
}

/// Transfers ERC20 tokens: `POST /api/wallet/{address}/{chain}/transfer-token`
/// `{"tokenAddress":…,"amount":<amount as a JSON number>,"to":…}` (Bearer).
///
/// `amount` is a decimal string (`12`, `0.5`) sent exactly as given. Result and codes as every
/// transaction. Returns a request id (0: NULL callback or not initialised); the callback runs
/// exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_transfer_token(
    address: *const c_char,
    chain: *const c_char,
    token_address: *const c_char,
    amount: *const c_char,
    to: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_transfer_token", || {
        start(&TRANSFER_TOKEN, callback, user_data, |client| {
            let [address, chain, token, amount, to] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (token_address, "token_address"),
                    (amount, "amount"),
                    (to, "to"),
                ])
            }?;
            Ok(client.transfer_token(address, chain, token, amount, to))
        })
    })
}

/// Buys from a primary listing: `POST /api/wallet/{address}/{chain}/primary-purchase`
/// `{"purchases":[{"collectionAddress":…,"typeId":<number>,"quantity":<number>}]}` (Bearer).
///
/// `type_id` is the token *type* id (a decimal string), `quantity` at least 1. The array form is
/// the one Xerial's own marketplace sends (the docs' object form is a copy-paste slip: see the
/// README). Result and codes as every transaction. Returns a request id (0: NULL callback or not
/// initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_primary_purchase(
    address: *const c_char,
    chain: *const c_char,
    collection_address: *const c_char,
    type_id: *const c_char,
    quantity: u32,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_primary_purchase", || {
        start(&PRIMARY_PURCHASE, callback, user_data, |client| {
            let [address, chain, collection, type_id] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (collection_address, "collection_address"),
                    (type_id, "type_id"),
                ])
            }?;
            Ok(client.primary_purchase(address, chain, collection, type_id, quantity))
        })
    })
}

/// Buys a community listing: `POST /api/wallet/{address}/{chain}/secondary-purchase`
/// `{"marketItemId":<number>}` (Bearer).
///
/// `market_item_id` is a decimal string. Result and codes as every transaction. Returns a request
/// id (0: NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_secondary_purchase(
    address: *const c_char,
    chain: *const c_char,
    market_item_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_secondary_purchase", || {
        start(&SECONDARY_PURCHASE, callback, user_data, |client| {
            let [address, chain, item] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (market_item_id, "market_item_id"),
                ])
            }?;
            Ok(client.secondary_purchase(address, chain, item))
        })
    })
}

/// Lists an NFT on the secondary market: `POST /api/wallet/{address}/{chain}/list-nft`
/// `{"collectionAddress":…,"tokenId":<number>,"price":<number>}` (Bearer).
///
/// `price` is a decimal string in native-currency units, sent exactly as given. Result and codes
/// as every transaction. Returns a request id (0: NULL callback or not initialised); the callback
/// runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_list_nft(
    address: *const c_char,
    chain: *const c_char,
    collection_address: *const c_char,
    token_id: *const c_char,
    price: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_list_nft", || {
        start(&LIST_NFT, callback, user_data, |client| {
            let [address, chain, collection, token_id, price] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (collection_address, "collection_address"),
                    (token_id, "token_id"),
                    (price, "price"),
                ])
            }?;
            Ok(client.list_nft(address, chain, collection, token_id, price))
        })
    })
}

/// Takes a listing off the market: `POST /api/wallet/{address}/{chain}/delist-nft`
/// `{"marketItemId":<number>}` (Bearer; the body Xerial's own marketplace sends, see the README).
///
/// Result and codes as every transaction. Returns a request id (0: NULL callback or not
/// initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_delist_nft(
    address: *const c_char,
    chain: *const c_char,
    market_item_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_delist_nft", || {
        start(&DELIST_NFT, callback, user_data, |client| {
            let [address, chain, item] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (market_item_id, "market_item_id"),
                ])
            }?;
            Ok(client.delist_nft(address, chain, item))
        })
    })
}

/// Sends a custom transaction: `POST /api/wallet/{address}/{chain}/transaction` with
/// `transaction_json` (a JSON object, sent exactly as given) as the body (Bearer).
///
/// Xerial documents `{"type":"CONTRACT_EXECUTION","to":…,"functionName":…,"value":0,
/// "inputs":[{"type":"address","value":…}]}`; its JS SDK sends an ethers transaction. Result and
/// codes as every transaction (`XERIAL_E_INVALID_ARGUMENT` when it is not a JSON object). Returns a
/// request id (0: NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_tx_custom(
    address: *const c_char,
    chain: *const c_char,
    transaction_json: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_tx_custom", || {
        start(&CUSTOM_TRANSACTION, callback, user_data, |client| {
            let [address, chain, transaction] = unsafe {
                required_all([
                    (address, "address"),
                    (chain, "chain"),
                    (transaction_json, "transaction_json"),
                ])
            }?;
            Ok(client.custom_transaction(address, chain, transaction))
        })
    })
}
