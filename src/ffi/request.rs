//! The escape hatch for endpoints the SDK does not know yet.

use std::ffi::{c_char, c_void};

use super::dispatch::start;
use super::strings::{optional, required};
use super::types::*;
use crate::client::request_endpoint;

/// Sends any request on `base_url`, with the SDK's auth, refresh, retry and error mapping — for
/// endpoints this SDK does not know yet (Xerial's Get Wallets, native-currency transfer and NFT
/// Drop are undocumented).
///
/// `method` is `"GET"`, `"POST"`, `"PUT"`, `"PATCH"` or `"DELETE"`; `path` starts with `/` (query
/// allowed) and is refused under `/api/auth/` (tokens only go through the session functions);
/// `json_body` is a JSON object or NULL; `needs_player` 1 sends the player's Bearer token
/// (refreshing as every Bearer call does). All strings are borrowed for the call. Result body: the
/// server's JSON exactly as sent (validated to be JSON), `""` when empty. GET is retried like any
/// read; any other method is treated as value-moving: never retried once sent, a lost answer is
/// `XERIAL_E_OUTCOME_UNKNOWN`. Codes: `XERIAL_OK`; `XERIAL_E_INVALID_ARGUMENT`;
/// `XERIAL_E_NOT_LOGGED_IN`; `XERIAL_E_OUTCOME_UNKNOWN`; any HTTP code of the table;
/// `XERIAL_E_DECODE` (a 2xx that is not JSON); the common codes. Returns a request id (0: NULL
/// callback or not initialised); the callback runs exactly once, on the thread `XerialCallback`
/// says.
#[no_mangle]
pub unsafe extern "C" fn xerial_request(
    method: *const c_char,
    path: *const c_char,
    json_body: *const c_char,
    needs_player: u8,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_request", || {
        // SAFETY: NULL or NUL-terminated, as documented.
        let method = unsafe { required(method, "method") };
        // The row tells cancel and shutdown whether the call moves value.
        let endpoint = request_endpoint(method.as_deref().unwrap_or_default(), needs_player != 0);
        start(&endpoint, callback, user_data, |client| {
            let method = method?;
            // SAFETY (both): NULL or NUL-terminated, as documented.
            let path = unsafe { required(path, "path") }?;
            let body = unsafe { optional(json_body, "json_body") }?;
            Ok(client.request(method, path, body, needs_player != 0))
        })
    })
}
