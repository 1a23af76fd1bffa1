//! Authentication and session functions.

use std::ffi::{c_char, c_void};

use zeroize::Zeroizing;

use super::dispatch::start;
use super::strings;
use super::types::*;
use crate::client::endpoint::{LOGIN_GOOGLE, LOGIN_WALLET, LOGOUT, NONCE, REFRESH};

/// Logs a player out: `POST {base_url}/api/auth/logout` `{"refreshToken":"…"}`; no Authorization.
///
/// `refresh_token`: borrowed for the duration of the call (copied). NULL or `""` means the current
/// session's refresh token; with no session that is `XERIAL_E_NOT_LOGGED_IN`. When the token is
/// the current session's, the local session is cleared before this function returns — before the
/// network answers — so a failed revoke never leaves the player logged in locally: in memory and,
/// with a `session_path` file, on disk; the OS's protected store and a host store remove it in
/// the background (see `XERIAL_SESSION_STORE_PROTECTED`, `XerialSessionStore`).
///
/// Returns a request id, or 0 (and never calls back) when `callback` is NULL or the SDK is not
/// initialised. Otherwise `callback(user_data, result)` runs exactly once (see `XerialCallback`
/// for the thread), with `result->body` `""` and one of: `XERIAL_OK` (`http_status` 204);
/// `XERIAL_E_NOT_FOUND` (404, message `"Not Found"`: unknown or already revoked token);
/// `XERIAL_E_NOT_LOGGED_IN`; `XERIAL_E_INVALID_ARGUMENT` (non-UTF-8 or over 65536 bytes);
/// `XERIAL_E_NETWORK`, `XERIAL_E_TIMEOUT`; `XERIAL_E_CANCELLED`; `XERIAL_E_SHUTDOWN`; any HTTP
/// code of the table (`XERIAL_E_UNAUTHORIZED`, `XERIAL_E_SERVER`, …); `XERIAL_E_DECODE` for a 2xx
/// body that is not JSON. Retried only when the connection failed before anything was sent.
#[no_mangle]
pub unsafe extern "C" fn xerial_logout(
    refresh_token: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_logout", || {
        start(&LOGOUT, callback, user_data, |client| {
            // SAFETY: NULL or a NUL-terminated string, as documented.
            let token = unsafe { strings::optional(refresh_token, "refresh_token") }?;
            // The client keeps the token: its copy is wiped when dropped.
            Ok(client.logout_owned(token.map(|token| Zeroizing::new(token.to_owned()))))
        })
    })
}

/// Logs a player in with a Google ID token: `POST /api/auth/google`
/// `{"token":id_token,"clientId":client_id,"projectId":<configured project_id>}`.
///
/// Both strings are borrowed for the call (copied). On success the new token pair is installed
/// before the callback runs (and written to a `session_path` file; to the OS's protected store or
/// a host store in the background), and the auth listener fires if
/// no player was logged in. Result body: `{"accessExpires":"2024-01-12T17:34:35.725Z",
/// "refreshExpires":"2027-12-22T15:14:35.726Z"}` (no tokens). Codes: `XERIAL_OK`;
/// `XERIAL_E_BAD_REQUEST` (400 `"Auth Failed"`); `XERIAL_E_INVALID_ARGUMENT` (NULL/empty
/// argument, no `project_id` configured); `XERIAL_E_DECODE`; the common codes. Retried only when
/// nothing was sent. Returns a request id, or 0 (no callback ever) when `callback` is NULL or the
/// SDK is not initialised; the callback runs exactly once, on the thread `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_login_google(
    id_token: *const c_char,
    client_id: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_login_google", || {
        start(&LOGIN_GOOGLE, callback, user_data, |client| {
            // SAFETY (both): NULL or NUL-terminated, as documented.
            let id_token = unsafe { strings::required(id_token, "id_token") }?;
            let client_id = unsafe { strings::required(client_id, "client_id") }?;
            Ok(client.login_google(id_token, client_id))
        })
    })
}

/// Asks for the nonce a wallet signs to log in: `POST /api/nonce` `{"address":address}`.
///
/// `address` (`0x` + 40 hex) is borrowed for the call. Result body: `{"nonce":"…"}`. Codes:
/// `XERIAL_OK`; `XERIAL_E_INVALID_ARGUMENT`; `XERIAL_E_DECODE`; the common codes. Returns a
/// request id (0: NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_request_nonce(
    address: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_request_nonce", || {
        start(&NONCE, callback, user_data, |client| {
            // SAFETY: NULL or NUL-terminated, as documented.
            let address = unsafe { strings::required(address, "address") }?;
            Ok(client.request_nonce(address))
        })
    })
}

/// Logs a player in with a wallet's signature of the nonce: `POST /api/auth/metamask`
/// `{"address":…,"signature":…,"projectId":<configured project_id>}`.
///
/// Strings are borrowed for the call. On success the token pair is installed before the callback
/// runs (auth listener as for `xerial_login_google`). Result body: `{"accessExpires":"…",
/// "refreshExpires":"…"}`. Codes: `XERIAL_OK`; `XERIAL_E_NOT_FOUND` (404 `"Nonce Not Found"`: no
/// nonce requested); `XERIAL_E_BAD_REQUEST` (`"Auth Failed"`); `XERIAL_E_INVALID_ARGUMENT`;
/// `XERIAL_E_DECODE`; the common codes. The signature never appears in logs or messages. Returns a
/// request id (0: NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub unsafe extern "C" fn xerial_login_wallet(
    address: *const c_char,
    signature: *const c_char,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_login_wallet", || {
        start(&LOGIN_WALLET, callback, user_data, |client| {
            // SAFETY (both): NULL or NUL-terminated, as documented.
            let address = unsafe { strings::required(address, "address") }?;
            let signature = unsafe { strings::required(signature, "signature") }?;
            Ok(client.login_wallet(address, signature))
        })
    })
}

/// Refreshes the session now: `POST /api/auth/refresh-tokens` `{"refreshToken":…}`.
///
/// Calls that need a player refresh by themselves (when the access token expires within 30 s, and
/// once after a 401), so games rarely need this. Concurrent refreshes share one request. Result
/// body: `{"accessExpires":"…","refreshExpires":"…"}`; the new pair is installed before the
/// callback runs. Codes: `XERIAL_OK`; `XERIAL_E_NOT_LOGGED_IN` (no session; or the server refused
/// the refresh token, `http_status` 401, or it had expired: the session ends and the auth listener
/// hears `XERIAL_AUTH_LOGGED_OUT`); `XERIAL_E_DECODE`; the common codes. Returns a request id (0:
/// NULL callback or not initialised); the callback runs exactly once, on the thread
/// `XerialCallback` says.
#[no_mangle]
pub extern "C" fn xerial_refresh(
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_refresh", || {
        start(&REFRESH, callback, user_data, |client| Ok(client.refresh()))
    })
}
