//! Wallet functions: the player's wallets, balances, inventories, custodial creation.

use std::ffi::{c_char, c_void};

use super::dispatch::start;
use super::strings::{optional, required, required_all};
use super::types::*;
use crate::client::endpoint::{
    CREATE_USER, CREATE_WALLET, GLOBAL_INVENTORY, NATIVE_BALANCE, PROJECT_INVENTORY,
    TOKEN_BALANCES, USER,
};

/// The player and their wallets: `GET /api/user` (Bearer).
///
/// Result body: `{"user":{"id":"5ebac534954b54139806c112","identifier":"fake@example.com",
/// "username":null,"project":null},"wallets":[{"id":"656ab9db6a378b91ab1871be",
/// "address":"0x8e9D…","smartAccount":"0x8e9D…","custodial":true,"user":"5ebac534954b54139806c112",
/// "type":"evm"}]}`. Codes: `XERIAL_OK`; `XERIAL_E_NOT_LOGGED_IN`; `XERIAL_E_DECODE`; the common
/// codes. Reads are retried (network errors, 429, 5xx). Returns a request id (0: NULL callback or
/// not initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub extern "C" fn xerial_user_get(
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_user_get", || {
        start(&USER, callback, user_data, |client| Ok(client.user()))
    })
}

/// Native-currency balance (MATIC, TLOS…) of a wallet: `GET /api/wallet/{address}/{chain}/eth`.
///
/// `address` (`0x` + 40 hex) and `chain` (`polygon`, `telos`) are borrowed for the call. Result
/// body: `{"balance":"0.053353126320360021"}` (native units, a decimal string). Codes: `XERIAL_OK`;
/// `XERIAL_E_INVALID_ARGUMENT`; `XERIAL_E_NOT_FOUND` (`"Wallet Not Found"`); `XERIAL_E_DECODE`;
/// the common codes. Returns a request id (0: NULL callback or not initialised); the callback runs
/// exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_wallet_native_balance(
    address: *const c_char,
    chain: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_wallet_native_balance", || {
        start(&NATIVE_BALANCE, callback, user_data, |client| {
            // SAFETY (all string arguments of this file): NULL or NUL-terminated, as documented.
            let [address, chain] =
                unsafe { required_all([(address, "address"), (chain, "chain")]) }?;
            Ok(client.native_balance(address, chain))
        })
    })
}

/// Supported ERC20 balances of a wallet: `GET /api/wallet/{address}/{chain}/tokens`.
///
/// Arguments as `xerial_wallet_native_balance`. Result body: `{"balances":{"usdc":"12.5"}}`
/// (token symbol → decimal string). Codes as `xerial_wallet_native_balance`.
/// Returns a request id (0: NULL callback or not initialised); the callback runs exactly once, on
/// the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_wallet_token_balances(
    address: *const c_char,
    chain: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_wallet_token_balances", || {
        start(&TOKEN_BALANCES, callback, user_data, |client| {
            let [address, chain] =
                unsafe { required_all([(address, "address"), (chain, "chain")]) }?;
            Ok(client.token_balances(address, chain))
        })
    })
}

/// A wallet's items of one project:
/// `GET /api/wallet/{address}/{chain}/project-inventory/{projectId}`.
///
/// `project_id` NULL means the configured one (none configured: `XERIAL_E_INVALID_ARGUMENT`).
/// Result body: an array of `{"collection":{"id":"…","txHash":null},"quantity":1,
/// "metadata":{"name":…,"description":…,"image":…,"externalUrl":…,"animationUrls":[{"type":"video",
/// "value":…}],"attributes":[{"type":"boost","name":"magical damage","value":"2000"}],
/// "contract":{"address":…,"name":…,"symbol":…,"image":…,"description":…,"externalUrl":…},
/// "maxSupply":"3","edition":1},"tokens":[{"tokenId":"1","metadataURI":"https://…"}]}`.
/// `tokens` is always delivered in that form, whichever form Xerial sent: its `tokens` (ethers
/// tuples; read when present) or its `tokenIds` (bare ids; their `metadataURI` is null).
/// Codes as `xerial_wallet_native_balance`. Returns a request id (0: NULL callback or not
/// initialised); the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_wallet_project_inventory(
    address: *const c_char,
    chain: *const c_char,
    project_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_wallet_project_inventory", || {
        start(&PROJECT_INVENTORY, callback, user_data, |client| {
            let [address, chain] =
                unsafe { required_all([(address, "address"), (chain, "chain")]) }?;
            let project_id = unsafe { optional(project_id, "project_id") }?;
            Ok(client.project_inventory(address, chain, project_id))
        })
    })
}

/// Every NFT a wallet holds (Xerial answers in Alchemy's `getNFTsForOwner` shape):
/// `GET /api/wallet/{address}/{chain}/global-inventory`.
///
/// Result body: `{"ownedNfts":[{"contract":{"address":…,"name":…,"symbol":…,"totalSupply":…,
/// "tokenType":…},"tokenId":"6","tokenType":"ERC721","name":…,"description":…,"tokenUri":…,
/// "image":{"cachedUrl":…,"thumbnailUrl":…,"pngUrl":…,"contentType":…,"originalUrl":…}}],
/// "totalCount":…,"pageKey":…}` (fields the server left out are null). Codes as
/// `xerial_wallet_native_balance`. Returns a request id (0: NULL callback or not initialised); the
/// callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_wallet_global_inventory(
    address: *const c_char,
    chain: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_wallet_global_inventory", || {
        start(&GLOBAL_INVENTORY, callback, user_data, |client| {
            let [address, chain] =
                unsafe { required_all([(address, "address"), (chain, "chain")]) }?;
            Ok(client.global_inventory(address, chain))
        })
    })
}

/// Custodial: creates a user, `POST /api/user` `{"reference":…}` (Bearer).
///
/// `reference` (your own id for the user, e.g. an e-mail) may be NULL: the body is then `{}`.
/// Result body: `{"id":"…","reference":"xerial@example.com","project":"…"}` (Xerial's docs spell
/// the key `refrence`; both are read). Codes: `XERIAL_OK`; `XERIAL_E_NOT_LOGGED_IN`;
/// `XERIAL_E_DECODE`; the common codes. Not retried once sent. Returns a request id (0: NULL
/// callback or not initialised); the callback runs exactly once, on the thread `XerialCallback`
/// says.
#[no_mangle]
pub unsafe extern "C" fn xerial_custodial_create_user(
    reference: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_custodial_create_user", || {
        start(&CREATE_USER, callback, user_data, |client| {
            let reference = unsafe { optional(reference, "reference") }?;
            Ok(client.create_user(reference))
        })
    })
}

/// Custodial: creates an EVM wallet for a user, `POST /api/wallet/{userId}` `{"type":"evm"}`
/// (Bearer).
///
/// `user_id` (1–128 of `A-Z a-z 0-9 . _ -`) is borrowed for the call. Result body: one wallet,
/// `{"id":…,"address":…,"smartAccount":…,"custodial":true,"user":…,"type":"evm"}`. Codes:
/// `XERIAL_OK`; `XERIAL_E_INVALID_ARGUMENT`; `XERIAL_E_NOT_LOGGED_IN`; `XERIAL_E_NOT_FOUND`;
/// `XERIAL_E_DECODE`; the common codes. Not retried once sent. Returns a request id (0: NULL
/// callback or not initialised); the callback runs exactly once, on the thread `XerialCallback`
/// says.
#[no_mangle]
pub unsafe extern "C" fn xerial_custodial_create_wallet(
    user_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_custodial_create_wallet", || {
        start(&CREATE_WALLET, callback, user_data, |client| {
            let user_id = unsafe { required(user_id, "user_id") }?;
            Ok(client.create_wallet(user_id))
        })
    })
}
