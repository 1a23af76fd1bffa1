//! Authentication and session functions.

use std::ffi::{c_char, c_void};

use super::dispatch::start;
use super::lifecycle::current;
use super::outcome::code_of;
use super::strings;
use super::types::*;
use crate::client::endpoint::LOGOUT;
use crate::client::TokenPair;

/// Logs a player out: `POST {base_url}/api/auth/logout` `{"refreshToken":"…"}`; no Authorization.
///
/// `refresh_token`: borrowed for the duration of the call (copied). NULL or `""` means the current
/// session's refresh token; with no session that is `XERIAL_E_NOT_LOGGED_IN`. When the token is
/// the current session's, the local session (memory and `session_path` file) is cleared before
/// this function returns — before the network answers — so a failed revoke never leaves the
/// player logged in locally.
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
            Ok(client.logout(token.as_deref()))
        })
    })
}

/// Installs a session from Xerial's token-pair JSON
/// `{"access":{"token":"…","expires":"…"},"refresh":{"token":"…","expires":"…"}}` (ISO-8601
/// expiries), e.g. one obtained from Xerial's hosted login page, and persists it when
/// `session_path` is set (a failed save is logged, never an error).
///
/// `tokens_json` is borrowed for the call. Returns `XERIAL_OK`, `XERIAL_E_INVALID_ARGUMENT`
/// (NULL, not UTF-8, over 65536 bytes, or not a valid token pair; nothing changes) or
/// `XERIAL_E_NOT_INITIALIZED`. Synchronous; any thread.
#[no_mangle]
pub unsafe extern "C" fn xerial_session_set(tokens_json: *const c_char) -> i32 {
    super::guard("xerial_session_set", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_INITIALIZED;
        };
        // SAFETY: NULL or a NUL-terminated string, as documented.
        let pair = unsafe { strings::required(tokens_json, "tokens_json") }
            .and_then(|json| TokenPair::from_json(&json));
        match pair {
            Ok(pair) => {
                generation.client.session().set(pair);
                XERIAL_OK
            }
            Err(e) => code_of(e.kind()),
        }
    })
}

/// Copies the current token pair JSON (the form `xerial_session_set` takes, and the content of
/// the session file) into `buf`, NUL-terminated, and sets `*out_len` to the bytes written, NUL
/// included.
///
/// `buf` is the caller's, `cap` its size in bytes. Returns `XERIAL_OK`;
/// `XERIAL_E_BUFFER_TOO_SMALL` when `cap` cannot hold it: nothing is written into `buf` and
/// `*out_len` is set to the size needed, NUL included (so `buf` NULL with `cap` 0 asks the size);
/// `XERIAL_E_NOT_LOGGED_IN` without a session (`*out_len` = 0); `XERIAL_E_INVALID_ARGUMENT` when
/// `out_len` is NULL, or `buf` is NULL with `cap` > 0; `XERIAL_E_NOT_INITIALIZED`. The JSON holds
/// the tokens: treat it as a secret. Synchronous; any thread.
#[no_mangle]
pub unsafe extern "C" fn xerial_session_get(
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> i32 {
    super::guard("xerial_session_get", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_INITIALIZED;
        };
        // SAFETY: the caller passes NULL or a writable size_t.
        let Some(out_len) = (unsafe { out_len.as_mut() }) else {
            return XERIAL_E_INVALID_ARGUMENT;
        };
        if buf.is_null() && cap > 0 {
            return XERIAL_E_INVALID_ARGUMENT;
        }
        let Some(pair) = generation.client.session().get() else {
            *out_len = 0;
            return XERIAL_E_NOT_LOGGED_IN;
        };
        let json = pair.to_json();
        let needed = json.len() + 1;
        *out_len = needed;
        if cap < needed {
            return XERIAL_E_BUFFER_TOO_SMALL;
        }
        // SAFETY: `buf` has `cap >= needed` writable bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(json.as_ptr(), buf.cast::<u8>(), json.len());
            *buf.add(json.len()) = 0;
        }
        XERIAL_OK
    })
}

/// Forgets the session locally (memory and `session_path` file); sends nothing.
///
/// Returns `XERIAL_OK` (also when there was no session) or `XERIAL_E_NOT_INITIALIZED`.
/// Synchronous; any thread.
#[no_mangle]
pub extern "C" fn xerial_session_clear() -> i32 {
    super::guard("xerial_session_clear", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_INITIALIZED;
        };
        generation.client.session().clear();
        XERIAL_OK
    })
}

/// Returns `XERIAL_AUTH_LOGGED_IN` (1) when a player session is held, else
/// `XERIAL_AUTH_LOGGED_OUT` (0), also before `xerial_init`. Synchronous; any thread.
#[no_mangle]
pub extern "C" fn xerial_auth_state() -> i32 {
    super::guard("xerial_auth_state", || match current() {
        Some(generation) if generation.client.session().is_logged_in() => XERIAL_AUTH_LOGGED_IN,
        _ => XERIAL_AUTH_LOGGED_OUT,
    })
}
