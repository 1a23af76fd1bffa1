//! The session functions (synchronous) and the auth listener.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::dispatch::deliver_on_worker_if_immediate;
use super::generation::{Delivery, Generation, UserData};
use super::lifecycle::current;
use super::outcome::code_of;
use super::slot::Slot;
use super::strings;
use super::types::*;
use crate::client::TokenPair;

type AuthFn = unsafe extern "C" fn(*mut c_void, i32);

/// The auth listener: global, like the log callback, so it stays set across shutdown and init.
/// Run with no lock held (see `slot`).
static AUTH_LISTENER: Slot<AuthFn> = Slot::new();

/// Has the generation's session report login/logout flips to the auth listener, delivered like
/// every other callback (queued for `xerial_poll`, or on a worker in immediate mode).
pub(crate) fn observe_auth_changes(generation: &Arc<Generation>) {
    let weak = Arc::downgrade(generation);
    generation
        .client
        .session()
        .set_observer(Box::new(move |logged_in| {
            let Some(generation) = weak.upgrade() else {
                return;
            };
            let state = if logged_in {
                XERIAL_AUTH_LOGGED_IN
            } else {
                XERIAL_AUTH_LOGGED_OUT
            };
            if generation.queue(Delivery::Auth(state)) {
                deliver_on_worker_if_immediate(&generation);
            }
        }));
}

/// Calls the auth listener, if one is set, holding no lock; returns whether it ran.
pub(crate) fn notify_auth_listener(state: i32) -> bool {
    AUTH_LISTENER.invoke(|callback, user_data| {
        // SAFETY: the game installed this listener with this user_data.
        unsafe { callback(user_data, state) }
    })
}

/// Sets (or with `cb` NULL, removes) the auth listener, called with `XERIAL_AUTH_LOGGED_IN` or
/// `XERIAL_AUTH_LOGGED_OUT` whenever the auth state flips: a login, `xerial_session_set` on no
/// session, a logout, `xerial_session_clear`, or a refresh the server refused (401) — not a
/// refresh that keeps the player logged in. After `xerial_init`, read `xerial_auth_state()` for
/// the state a restored session gives; the listener reports changes from then on, including a
/// session the OS's protected store delivers after `xerial_init` stopped waiting for it (250 ms).
///
/// Delivered like request callbacks: inside `xerial_poll` on the polling thread (which counts it)
/// in poll mode, on an SDK worker in immediate mode, and by `xerial_shutdown` if still queued.
/// The listener runs with no SDK lock held and may call any `xerial_*` function, this one
/// included. `user_data` must stay valid while the listener is set: once the call that replaces
/// or removes it returns, the previous listener is never invoked again and — unless that call is
/// made from inside an SDK callback (request callback, listener, log callback), where waiting
/// could deadlock — no longer runs on any thread, so its `user_data` may be freed. Works at any
/// time, also before `xerial_init`, and stays set across shutdown and init. Any thread.
#[no_mangle]
pub extern "C" fn xerial_set_auth_listener(cb: XerialAuthCallback, user_data: *mut c_void) {
    super::guard("xerial_set_auth_listener", || {
        AUTH_LISTENER.replace(cb.map(|cb| (cb as AuthFn, UserData(user_data))));
    })
}

/// Installs a session from Xerial's token-pair JSON
/// `{"access":{"token":"…","expires":"…"},"refresh":{"token":"…","expires":"…"}}` (ISO-8601
/// expiries), e.g. one obtained from Xerial's hosted login page, and persists it in the configured
/// store (a `session_path` file before this returns; the OS's protected store or a host store in
/// the background; a failed save is logged, never an error). Fires the auth listener when no
/// player was logged in.
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
        // Read in place: no copy of the tokens is made here.
        let pair =
            unsafe { strings::required(tokens_json, "tokens_json") }.and_then(TokenPair::from_json);
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

/// Forgets the session locally (memory, and the configured store: a `session_path` file before
/// this returns, the OS's protected store or a host store in the background); sends nothing.
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
