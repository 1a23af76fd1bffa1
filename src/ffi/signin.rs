//! Sign-in in the system browser (contract §9): the C shell over `client::signin`.
//!
//! A sign-in is one request id through the usual dispatch. Its `open_url` is delivered like a
//! callback (a `Delivery::OpenUrl`, run by `dispatch::run_callback` with no lock held, and only
//! while the sign-in is still owed its callback). Cancel and shutdown abort its task, which owns
//! the listener: the port closes with it. One sign-in waits at a time per generation; its handle
//! is kept here for `xerial_signin_complete`.

use std::ffi::{c_char, c_void};
use std::mem::size_of;
use std::sync::Arc;
use std::time::Duration;

use super::dispatch::{deliver_on_worker_if_immediate, new_request_id, start_in, Call};
use super::generation::{Generation, OpenUrl, UserData};
use super::lifecycle::current;
use super::outcome::code_of;
use super::sized::{read_into, CallerSized};
use super::strings::{self, CText};
use super::types::*;
use crate::client::sync::{Guard, Mutex};
use crate::client::{
    default_opener, Error, ErrorKind, SignIn, SignInMethod, SignInOptions, DEFAULT_SIGN_IN_TIMEOUT,
};

/// The longest sign-in deadline a game may ask for: a day.
const MAX_TIMEOUT_MS: u64 = 24 * 60 * 60 * 1000;

impl CallerSized for XerialSignInOptions {
    const NAME: &'static str = "XerialSignInOptions";
    const HINT: &'static str = "set struct_size to sizeof(XerialSignInOptions)";
    const KNOWN_ENDS: &'static [usize] = &[size_of::<XerialSignInOptions>()];
}

/// The sign-in that may be waiting: its generation, request id and handle.
struct Waiting {
    generation: u64,
    id: u64,
    sign_in: SignIn,
}

static WAITING: Mutex<Option<Waiting>> = Mutex::new(None);

fn waiting() -> Guard<'static, Option<Waiting>> {
    WAITING.lock()
}

/// The sign-in still owed its callback in `generation`, if any.
fn waiting_in<'a>(slot: &'a Option<Waiting>, generation: &Generation) -> Option<&'a Waiting> {
    slot.as_ref()
        .filter(|w| w.generation == generation.id && generation.is_pending(w.id))
}

/// Reads the caller's options (only the bytes it has) into the core's.
///
/// # Safety
/// `options` is NULL or points to `options->struct_size` readable bytes; its strings are NULL or
/// NUL-terminated.
unsafe fn read_options(
    options: *const XerialSignInOptions,
) -> Result<(SignInOptions, XerialSignInOptions), Error> {
    if options.is_null() {
        return Err(Error::invalid_argument("options", "must not be NULL"));
    }
    // SAFETY: zero is a valid value of every field, and its default.
    let mut raw: XerialSignInOptions = unsafe { std::mem::zeroed() };
    // SAFETY: forwarded.
    unsafe { read_into(options, &mut raw) }?;
    let method = match raw.method {
        XERIAL_SIGNIN_GOOGLE => SignInMethod::Google,
        XERIAL_SIGNIN_BROWSER_WALLET => SignInMethod::BrowserWallet,
        other => {
            return Err(Error::invalid_argument(
                "method",
                &format!(
                    "{other} is not XERIAL_SIGNIN_GOOGLE (1) or XERIAL_SIGNIN_BROWSER_WALLET (2)"
                ),
            ))
        }
    };
    let timeout = match raw.timeout_ms {
        0 => DEFAULT_SIGN_IN_TIMEOUT,
        ms if ms > MAX_TIMEOUT_MS => {
            return Err(Error::invalid_argument(
                "timeout_ms",
                "at most 86400000 (a day)",
            ))
        }
        ms => Duration::from_millis(ms),
    };
    // SAFETY (each string): NULL or NUL-terminated, as documented.
    // The options are kept: each text is copied.
    let text = |ptr: *const c_char, name: &str| {
        unsafe { strings::optional(ptr, name) }.map(|text| text.map(str::to_owned))
    };
    let options = SignInOptions {
        method,
        client_id: text(raw.client_id, "client_id")?.unwrap_or_default(),
        client_secret: text(raw.client_secret, "client_secret")?,
        redirect_uri: text(raw.redirect_uri, "redirect_uri")?,
        timeout,
    };
    Ok((options, raw))
}

/// How sign-in `id` opens its URL: the game's `open_url`, delivered like a callback, or the
/// platform's default browser.
fn opener(
    raw: &XerialSignInOptions,
    generation: &Arc<Generation>,
    id: u64,
) -> Result<crate::client::OpenUrl, Error> {
    let Some(callback) = raw.open_url else {
        return default_opener().ok_or_else(|| {
            Error::invalid_argument(
                "open_url",
                "required on this platform (there is no default browser to open)",
            )
        });
    };
    let generation = Arc::downgrade(generation);
    let user_data = UserData(raw.open_url_user_data);
    Ok(Box::new(move |url: String| {
        let generation = generation
            .upgrade()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "the SDK was shut down"))?;
        let open = OpenUrl {
            id,
            callback,
            user_data,
            url: CText::new(url),
        };
        if generation.queue_open_url(open) {
            deliver_on_worker_if_immediate(&generation);
        }
        Ok(())
    }))
}

/// Signs a player in through the system browser, then logs in with Xerial (ABI 1.2).
///
/// `XERIAL_SIGNIN_GOOGLE`: the OAuth 2.0 authorization code flow with PKCE (S256) and `state`.
/// With `redirect_uri` NULL (desktop) the SDK listens on `127.0.0.1`, on an ephemeral port, for
/// `http://127.0.0.1:{port}/{secret}/callback`; with a `redirect_uri` (mobile: the reversed client
/// id scheme) the game passes the URL the OS delivers to `xerial_signin_complete`. The code is
/// exchanged at `oauth_token_url` (`grant_type=authorization_code`, `code`, `redirect_uri`,
/// `client_id`, `client_secret` when given, `code_verifier`) and the `id_token` logs in with
/// `POST /api/auth/google {token, clientId: client_id, projectId}`. The browser tab gets a short
/// page saying the player can return to the game.
/// `XERIAL_SIGNIN_BROWSER_WALLET`: the listener serves a page under its secret that asks the
/// browser's EIP-1193 wallet for the account (`eth_requestAccounts`), gets the nonce through the
/// SDK (`POST /api/nonce`), asks for `personal_sign` of it, and posts the signature back; the SDK
/// logs in with `POST /api/auth/metamask`. No token ever reaches a page.
///
/// `options` is read during the call (strings copied); `open_url_user_data` must stay valid until
/// this sign-in's callback has returned. Once the SDK can receive the answer it calls
/// `open_url(open_url_user_data, url)` exactly once (never if the sign-in ended first), where
/// callbacks run: inside `xerial_poll` in poll mode, so a game opens it on the game thread
/// (`Application.OpenURL`, `FPlatformProcess::LaunchURL`). With `open_url` NULL the SDK opens the
/// default browser itself (`xdg-open`, `open`, the Windows shell) on desktops. The listener takes
/// only requests under its secret with `Host: 127.0.0.1:{port}`, from its own origin, this
/// sign-in's `state`, and exactly one completion; everything else is refused and the sign-in goes
/// on. It closes on success, failure, cancel, shutdown or deadline.
///
/// Returns a request id, or 0 (and never calls back) when `callback` is NULL or the SDK is not
/// initialised. Otherwise `callback(user_data, result)` runs exactly once (see `XerialCallback`
/// for the thread): `XERIAL_OK` with the body of the other logins (`{"accessExpires":"…",
/// "refreshExpires":"…"}`), the session installed and the auth listener fired first;
/// `XERIAL_E_DENIED` (the player or the provider refused: Google's `access_denied`, the wallet's
/// 4001; `message` says which); `XERIAL_E_CANCELLED`; `XERIAL_E_TIMEOUT` (`timeout_ms`, default
/// 300000, passed); `XERIAL_E_SHUTDOWN`; `XERIAL_E_UNAVAILABLE` (no loopback listener — the
/// WebAssembly build, or `XERIAL_RUN_IN_POLL` — no default browser opener, or no wallet in the
/// player's browser); `XERIAL_E_INVALID_ARGUMENT` (bad
/// options, naming the field; no `project_id` configured; "a sign-in is already waiting": only
/// one waits at a time, and the first goes on); `XERIAL_E_BAD_REQUEST` with message
/// `"invalid_grant"` (the token endpoint refused the code); or any code of the token exchange and
/// the login call. Nothing is retried once the code may have reached the token endpoint. Any thread.
#[no_mangle]
pub unsafe extern "C" fn xerial_signin_start(
    options: *const XerialSignInOptions,
    callback: XerialCallback,
    user_data: *mut c_void,
) -> XerialRequestId {
    super::guard("xerial_signin_start", || {
        let Some(callback) = callback else {
            return 0;
        };
        let Some(generation) = current() else {
            return 0;
        };
        let id = new_request_id();
        let call = Call {
            id,
            name: "SIGN_IN",
            moves_value: false,
        };
        // Held across the start, so that two sign-ins started at once cannot both see none
        // waiting. Only the SDK's own code runs under it.
        let mut slot = waiting();
        let mut handle = None;
        let started = start_in(&generation, call, callback, user_data, |client| {
            if generation.runner.in_poll().is_some() {
                // The listener and the sign-in's timers live on the SDK's runtime.
                return Err(Error::new(
                    ErrorKind::Unavailable,
                    "sign-in needs the SDK's threads: not available with XERIAL_RUN_IN_POLL",
                ));
            }
            if waiting_in(&slot, &generation).is_some() {
                return Err(Error::invalid_argument(
                    "options",
                    "a sign-in is already waiting",
                ));
            }
            // SAFETY: forwarded from this function's contract.
            let (options, raw) = unsafe { read_options(options) }?;
            let open_url = opener(&raw, &generation, id)?;
            let (sign_in, future) = client.sign_in(options, open_url)?;
            handle = Some(sign_in);
            Ok(future)
        });
        if let (true, Some(sign_in)) = (started != 0, handle) {
            *slot = Some(Waiting {
                generation: generation.id,
                id,
                sign_in,
            });
        }
        started
    })
}

/// Hands the waiting sign-in the URL its redirect URI received (ABI 1.2): on mobile the deep link
/// the OS delivered (Unity `Application.deepLinkActivated`), or on a desktop game that registered
/// its own redirect. `redirect_url` is borrowed for the call (copied); synchronous.
///
/// Returns `XERIAL_OK` when the URL belongs to the waiting sign-in (its redirect URI and its
/// `state`): the sign-in goes on with it and its callback reports the outcome.
/// `XERIAL_E_NOT_FOUND` when no sign-in waits, or the URL is not its redirect, or its `state`
/// does not match, or the sign-in already took its one answer: the waiting sign-in is unaffected.
/// `XERIAL_E_INVALID_ARGUMENT` for NULL, non-UTF-8 or over 65536 bytes, or — with a sign-in
/// waiting — a URL that does not parse or carries neither `code` nor `error`.
/// `XERIAL_E_NOT_INITIALIZED` before `xerial_init`. Any thread, also from inside a callback.
#[no_mangle]
pub unsafe extern "C" fn xerial_signin_complete(redirect_url: *const c_char) -> i32 {
    super::guard("xerial_signin_complete", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_INITIALIZED;
        };
        // SAFETY: NULL or NUL-terminated, as documented.
        let Ok(url) = (unsafe { strings::required(redirect_url, "redirect_url") }) else {
            return XERIAL_E_INVALID_ARGUMENT;
        };
        let sign_in = {
            let mut slot = waiting();
            match waiting_in(&slot, &generation) {
                Some(waiting) => waiting.sign_in.clone(),
                None => {
                    // Whatever was here ended: let its secrets go.
                    *slot = None;
                    return XERIAL_E_NOT_FOUND;
                }
            }
        };
        match sign_in.complete(url) {
            Ok(()) => {
                log::debug!(target: "xerial::signin", "the game handed over this sign-in's redirect");
                XERIAL_OK
            }
            Err(error) => {
                log::debug!(target: "xerial::signin", "xerial_signin_complete: {}", error.message());
                code_of(error.kind())
            }
        }
    })
}
