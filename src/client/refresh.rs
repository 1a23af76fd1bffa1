//! Keeping the player's access token fresh.
//!
//! A Bearer call refreshes first when the access token expires within [`REFRESH_MARGIN`], and
//! once after a 401. Concurrent callers share one refresh request (a shared future, so no lock is
//! held across an await). A refresh answered 401, or a refresh token already past its expiry,
//! ends the session: the waiting calls get `NotLoggedIn` and the auth observer hears the logout.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{BoxFuture, Shared};
use futures_util::FutureExt;
use zeroize::Zeroizing;

use super::call::{wipe, Request};
use super::clock::Instant;
use super::endpoint::REFRESH;
use super::session::TokenPair;
use super::sync::Mutex;
use super::validate::JsonBody;
use super::{Client, Error, ErrorKind};

/// Refresh when the access token expires within this margin.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(30);

type SharedRefresh = Shared<BoxFuture<'static, Result<Arc<TokenPair>, Error>>>;

/// The refresh in flight, if any.
#[derive(Default)]
pub(crate) struct Refresher {
    in_flight: Mutex<Option<InFlight>>,
}

/// One refresh request and what it may be shared with.
struct InFlight {
    /// The refresh token it sends: only callers holding the same session join it (after a new
    /// login, a refresh of the old session must not answer for the new one).
    refresh_token: Zeroizing<String>,
    /// Its deadline: a refresh whose callers were all cancelled is no longer polled; once its
    /// deadline passed nobody joins it, a new one is sent.
    deadline: Instant,
    shared: SharedRefresh,
}

impl std::fmt::Debug for Refresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refresher")
    }
}

impl Client {
    /// The pair whose access token to send: the current one, or a fresh one when its access
    /// token is about to expire.
    pub(crate) async fn access_pair(&self, deadline: Instant) -> Result<Arc<TokenPair>, Error> {
        let pair = self.session().get().ok_or_else(Error::not_logged_in)?;
        if !pair.access.expires_within(REFRESH_MARGIN) {
            return Ok(pair);
        }
        self.refresh_shared(pair, deadline).await
    }

    /// The pair to retry with after `used` got a 401 (another call may have refreshed already).
    pub(crate) async fn access_pair_after_401(
        &self,
        used: &TokenPair,
        deadline: Instant,
    ) -> Result<Arc<TokenPair>, Error> {
        let pair = self.session().get().ok_or_else(Error::not_logged_in)?;
        if pair.access.token != used.access.token {
            return Ok(pair);
        }
        self.refresh_shared(pair, deadline).await
    }

    /// Refreshes `pair`, joining a refresh already in flight; waits no longer than `deadline`.
    pub(crate) async fn refresh_shared(
        &self,
        pair: Arc<TokenPair>,
        deadline: Instant,
    ) -> Result<Arc<TokenPair>, Error> {
        if pair.refresh.expires_within(Duration::ZERO) {
            self.session().clear_if_refresh_token(&pair.refresh.token);
            return Err(Error::new(
                ErrorKind::NotLoggedIn,
                "the session expired; log in again",
            ));
        }
        let shared = {
            let mut in_flight = self.inner.refresher.in_flight.lock();
            match in_flight.as_ref() {
                Some(refresh)
                    if *refresh.refresh_token == pair.refresh.token
                        && Instant::now() < refresh.deadline =>
                {
                    refresh.shared.clone()
                }
                _ => {
                    let refresh_deadline = self.deadline();
                    let shared = self
                        .clone()
                        .refresh_request(Arc::clone(&pair), refresh_deadline)
                        .boxed()
                        .shared();
                    *in_flight = Some(InFlight {
                        refresh_token: Zeroizing::new(pair.refresh.token.clone()),
                        deadline: refresh_deadline,
                        shared: shared.clone(),
                    });
                    shared
                }
            }
        };
        match self
            .inner
            .transport
            .clock()
            .timeout_at(deadline, shared)
            .await
        {
            Ok(result) => result,
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                "the deadline passed while refreshing the session",
            )),
        }
    }

    /// `POST /api/auth/refresh-tokens` and what its answer means for the session.
    async fn refresh_request(
        self,
        old: Arc<TokenPair>,
        deadline: Instant,
    ) -> Result<Arc<TokenPair>, Error> {
        let refresh_token = old.refresh.token.as_str();
        let body = JsonBody::one_string("refreshToken", refresh_token).finish_bytes();
        let request = Request::new(&REFRESH, REFRESH.path).private_bytes(body);
        // Straight to the transport: a refresh needs no Bearer (and must not recurse into one).
        let sent = self
            .inner
            .transport
            .send(request.call(None, Some(&old)), deadline)
            .await;
        let result = match sent {
            Ok(answer) => self.install_refreshed(refresh_token, answer.body),
            Err(e) if e.kind() == ErrorKind::Unauthorized => {
                log::info!(target: "xerial::session", "refresh refused (401): the session ended");
                self.session().clear_if_refresh_token(refresh_token);
                Err(
                    Error::new(ErrorKind::NotLoggedIn, "the session ended; log in again")
                        .with_http_status(401),
                )
            }
            Err(e) => Err(e),
        };
        // Done: later callers start afresh (unless a newer refresh already took the slot).
        let mut in_flight = self.inner.refresher.in_flight.lock();
        if in_flight
            .as_ref()
            .is_some_and(|refresh| *refresh.refresh_token == refresh_token)
        {
            *in_flight = None;
        }
        drop(in_flight);
        result
    }

    /// Installs the pair a refresh answered, if the session is still the one refreshed.
    fn install_refreshed(&self, refresh_token: &str, body: Bytes) -> Result<Arc<TokenPair>, Error> {
        let pair = std::str::from_utf8(&body)
            .map_err(|_| Error::new(ErrorKind::Decode, "refresh answer is not UTF-8"))
            .and_then(|text| {
                TokenPair::from_json(text).map_err(|e| Error::new(ErrorKind::Decode, e.message()))
            });
        wipe(body);
        let pair = Arc::new(pair?);
        if !self
            .session()
            .replace_if_refresh_token(refresh_token, Arc::clone(&pair))
        {
            return Err(Error::new(
                ErrorKind::NotLoggedIn,
                "the session ended while it was being refreshed",
            ));
        }
        log::debug!(target: "xerial::session", "session refreshed");
        Ok(pair)
    }
}
