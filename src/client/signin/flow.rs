//! A sign-in's flow (not in the WebAssembly build): what it waits for, how it starts, its deadline.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::oneshot;
use url::Url;

use super::redirect::{self, Answer, NotTaken};
use super::secret::Secret;
use super::{google, wallet, OpenUrl, SignInFuture, SignInMethod, SignInOptions};
use crate::client::sync::Mutex;
use crate::client::{Client, Error, ErrorKind};

/// What a sign-in waits for: one answer on its redirect URI, with its `state`.
pub(super) struct Waiting {
    /// Google's `state`; the wallet takes no redirect.
    pub(super) state: Option<Secret>,
    /// The redirect URI, once known (the listener's port is known only once bound).
    pub(super) redirect: OnceLock<Url>,
    /// Taken by the first answer accepted: exactly one completion.
    answer: Mutex<Option<oneshot::Sender<Answer>>>,
}

impl Waiting {
    /// See [`super::SignIn::complete`].
    pub(super) fn complete(&self, redirect_url: &str) -> Result<(), Error> {
        let url = Url::parse(redirect_url)
            .map_err(|e| Error::invalid_argument("redirect_url", &format!("not a URL ({e})")))?;
        let not_found = || Error::new(ErrorKind::NotFound, "no sign-in waits for this redirect");
        match self.take(&url) {
            Ok((answer, sender)) => sender.send(answer).map_err(|_| not_found()),
            Err(NotTaken::Foreign) => Err(not_found()),
            Err(NotTaken::Malformed) => Err(Error::invalid_argument(
                "redirect_url",
                "carries neither a code nor an error",
            )),
        }
    }

    /// Accepts `url` as this sign-in's one answer: the answer, and where to send it.
    pub(super) fn take(&self, url: &Url) -> Result<(Answer, oneshot::Sender<Answer>), NotTaken> {
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

/// Checks `options` and prepares the sign-in (see [`Client::sign_in`]).
pub(super) fn start(
    client: &Client,
    options: SignInOptions,
    open_url: OpenUrl,
) -> Result<(Arc<Waiting>, SignInFuture), Error> {
    // Both logins need it: refuse now rather than after the player signed in.
    client.project_id()?;
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
    let client = client.clone();
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
    Ok((waiting, with_deadline(flow, options.timeout)))
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
