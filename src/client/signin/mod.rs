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

mod google;
mod http;
mod listener;
mod opener;
mod pages;
mod redirect;
mod secret;
mod wallet;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::oneshot;
use url::Url;

use super::models::SessionSummary;
use super::sync::Mutex;
use super::{Client, Error, ErrorKind, Response};
pub use opener::{default_opener, OpenUrl};
use redirect::{Answer, NotTaken};
use secret::Secret;

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
    waiting: Arc<Waiting>,
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
        let url = Url::parse(redirect_url)
            .map_err(|e| Error::invalid_argument("redirect_url", &format!("not a URL ({e})")))?;
        let not_found = || Error::new(ErrorKind::NotFound, "no sign-in waits for this redirect");
        match self.waiting.take(&url) {
            Ok((answer, sender)) => sender.send(answer).map_err(|_| not_found()),
            Err(NotTaken::Foreign) => Err(not_found()),
            Err(NotTaken::Malformed) => Err(Error::invalid_argument(
                "redirect_url",
                "carries neither a code nor an error",
            )),
        }
    }
}

/// What a sign-in waits for: one answer on its redirect URI, with its `state`.
struct Waiting {
    /// Google's `state`; the wallet takes no redirect.
    state: Option<Secret>,
    /// The redirect URI, once known (the listener's port is known only once bound).
    redirect: OnceLock<Url>,
    /// Taken by the first answer accepted: exactly one completion.
    answer: Mutex<Option<oneshot::Sender<Answer>>>,
}

impl Waiting {
    /// Accepts `url` as this sign-in's one answer: the answer, and where to send it.
    fn take(&self, url: &Url) -> Result<(Answer, oneshot::Sender<Answer>), NotTaken> {
        let (Some(state), Some(redirect)) = (&self.state, self.redirect.get()) else {
            return Err(NotTaken::Foreign);
        };
        let mut slot = self.answer.lock();
        if slot.is_none() {
            return Err(NotTaken::Foreign);
        }
        let answer = redirect::read_answer(url, redirect, state)?;
        let sender = slot.take().ok_or(NotTaken::Foreign)?;
        Ok((answer, sender))
    }
}

impl Client {
    /// Starts a sign-in: checks `options` now, and returns its handle and its future, which
    /// binds the listener (if any), calls `open_url` once with the URL for the player's browser,
    /// waits for the player, and logs in. The new session is installed before the future
    /// resolves, exactly as the other logins do.
    pub fn sign_in(
        &self,
        options: SignInOptions,
        open_url: OpenUrl,
    ) -> Result<(SignIn, SignInFuture), Error> {
        if cfg!(target_os = "emscripten") {
            return Err(Error::new(
                ErrorKind::Unavailable,
                "sign-in needs a loopback listener, which the WebAssembly build has not",
            ));
        }
        // Both logins need it: refuse now rather than after the player signed in.
        self.project_id()?;
        if options.timeout.is_zero() {
            return Err(Error::invalid_argument("timeout_ms", "must not be zero"));
        }
        let google = match options.method {
            SignInMethod::Google => Some(google::Google::new(&options)?),
            SignInMethod::BrowserWallet if options.redirect_uri.is_some() => {
                return Err(Error::invalid_argument(
                    "redirect_uri",
                    "the browser wallet's page is served by the SDK's loopback listener: leave it NULL",
                ))
            }
            SignInMethod::BrowserWallet => None,
        };
        let (sender, answers) = oneshot::channel();
        let waiting = Arc::new(Waiting {
            state: google.is_some().then(Secret::random).transpose()?,
            redirect: OnceLock::new(),
            answer: Mutex::new(Some(sender)),
        });
        let client = self.clone();
        let flow: SignInFuture = match google {
            Some(google) => Box::pin(google::sign_in(
                client,
                google,
                Arc::clone(&waiting),
                answers,
                open_url,
            )),
            None => Box::pin(wallet::sign_in(client, open_url)),
        };
        Ok((SignIn { waiting }, with_deadline(flow, options.timeout)))
    }
}

/// The whole sign-in within `timeout`.
fn with_deadline(flow: SignInFuture, timeout: Duration) -> SignInFuture {
    let deadline = tokio::time::Instant::now() + timeout;
    Box::pin(async move {
        match tokio::time::timeout_at(deadline, flow).await {
            Ok(result) => result,
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "the player did not finish signing in within {} s",
                    timeout.as_secs()
                ),
            )),
        }
    })
}

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
