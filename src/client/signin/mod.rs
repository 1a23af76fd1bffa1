//! Signing a player in through the system browser (contract §9; RFC 8252 "OAuth 2.0 for Native
//! Apps"), then logging in with Xerial's documented endpoints.
//!
//! * Google (`google.rs`): the authorization code flow with PKCE (S256) and `state`. On desktop
//!   the redirect comes back to a one-shot loopback listener (`listener.rs`); on mobile to the
//!   game's own redirect URI, which the OS hands to the game and the game to [`SignIn::complete`].
//!   The code is exchanged at the token endpoint and the `id_token` goes to `POST /api/auth/google`.
//! * Browser wallet (`wallet.rs`): the listener serves a small page that asks the browser's
//!   EIP-1193 provider for the account and a `personal_sign` of the nonce; the SDK logs in with
//!   `POST /api/auth/metamask`. No token ever reaches the page.
//!
//! [`Client::sign_in`] checks the options and returns a handle and the sign-in's future; the whole
//! sign-in, waiting for the player included, runs within its own deadline (minutes: the player is
//! reading a page). Dropping the future (cancel, shutdown) closes the listener with it.

// The flows need sockets, timers and ring's random numbers: not in the WebAssembly build, where
// a sign-in is `Unavailable` (contract §10).
#[cfg(not(target_os = "emscripten"))]
mod flow;
#[cfg(not(target_os = "emscripten"))]
mod google;
#[cfg(not(target_os = "emscripten"))]
mod http;
#[cfg(not(target_os = "emscripten"))]
mod listener;
mod opener;
#[cfg(not(target_os = "emscripten"))]
mod pages;
#[cfg(not(target_os = "emscripten"))]
mod redirect;
#[cfg(not(target_os = "emscripten"))]
mod secret;
#[cfg(not(target_os = "emscripten"))]
mod wallet;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::models::SessionSummary;
use super::{Client, Error, Response};
pub use opener::{default_opener, OpenUrl};

/// How long a sign-in may take when the game does not say: five minutes.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// Which sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// OAuth 2.0 code flow + PKCE with Google, then `POST /api/auth/google`.
    Google,
    /// An EIP-1193 wallet in the player's browser signs the nonce, then `POST /api/auth/metamask`.
    BrowserWallet,
}

/// What a sign-in needs (the C ABI's `XerialSignInOptions`).
#[derive(Clone)]
pub struct SignInOptions {
    /// Which sign-in.
    pub method: SignInMethod,
    /// Google: the OAuth client id (Desktop app type on desktop, iOS type on iOS).
    pub client_id: String,
    /// Google Desktop clients: the "secret" Google issues to installed apps (not confidential).
    pub client_secret: Option<String>,
    /// `None`: the loopback listener. Otherwise the game's own redirect URI; the game hands the
    /// URL the OS delivers to [`SignIn::complete`].
    pub redirect_uri: Option<String>,
    /// The whole sign-in's deadline.
    pub timeout: Duration,
}

impl SignInOptions {
    /// Options for `method` with no client, the loopback listener and the default deadline.
    pub fn new(method: SignInMethod) -> SignInOptions {
        SignInOptions {
            method,
            client_id: String::new(),
            client_secret: None,
            redirect_uri: None,
            timeout: DEFAULT_SIGN_IN_TIMEOUT,
        }
    }
}

impl fmt::Debug for SignInOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInOptions")
            .field("method", &self.method)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("redirect_uri", &self.redirect_uri)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The sign-in's future: resolves to the login's result.
pub type SignInFuture =
    Pin<Box<dyn Future<Output = Result<Response<SessionSummary>, Error>> + Send + 'static>>;

/// A sign-in in progress, for handing it the redirect URL the OS delivered.
#[derive(Clone)]
pub struct SignIn {
    #[cfg(not(target_os = "emscripten"))]
    waiting: std::sync::Arc<flow::Waiting>,
    /// None exists where sign-in is unavailable.
    #[cfg(target_os = "emscripten")]
    never: std::convert::Infallible,
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignIn")
    }
}

impl SignIn {
    /// Gives the sign-in the URL its redirect URI received. `Ok` when it belongs to this sign-in
    /// (its redirect URI, its `state`) and the sign-in goes on with it; `NotFound` when it does
    /// not, or the sign-in already took an answer or ended (the sign-in is unaffected);
    /// `InvalidArgument` for a URL that does not parse or carries neither a code nor an error.
    pub fn complete(&self, redirect_url: &str) -> Result<(), Error> {
        #[cfg(not(target_os = "emscripten"))]
        return self.waiting.complete(redirect_url);
        #[cfg(target_os = "emscripten")]
        {
            let _ = redirect_url;
            match self.never {}
        }
    }
}

impl Client {
    /// Starts a sign-in: checks `options` now, and returns its handle and its future, which
    /// binds the listener (if any), calls `open_url` once with the URL for the player's browser,
    /// waits for the player, and logs in. The new session is installed before the future
    /// resolves, exactly as the other logins do. `Unavailable` in the WebAssembly build.
    pub fn sign_in(
        &self,
        options: SignInOptions,
        open_url: OpenUrl,
    ) -> Result<(SignIn, SignInFuture), Error> {
        #[cfg(not(target_os = "emscripten"))]
        return flow::start(self, options, open_url)
            .map(|(waiting, future)| (SignIn { waiting }, future));
        #[cfg(target_os = "emscripten")]
        {
            let _ = (options, open_url);
            Err(Error::new(
                super::ErrorKind::Unavailable,
                "sign-in needs a loopback listener, which the WebAssembly build has not",
            ))
        }
    }
}
#[cfg(not(target_os = "emscripten"))]
/// A string option that must be given: non-empty, no control characters.
fn required_text(name: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_argument(name, "must not be empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            name,
            "must not contain control characters",
        ));
    }
    Ok(())
}
