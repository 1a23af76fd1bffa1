//! Keeping the player's access token fresh.
//!
//! A Bearer call refreshes first when the access token expires within [`REFRESH_MARGIN`], and
//! once after a 401. Concurrent callers share one refresh request (a shared future, so no lock is
//! held across an await). A refresh answered 401, or a refresh token already past its expiry,
//! ends the session: the waiting calls get `NotLoggedIn` and the auth observer hears the logout.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::{BoxFuture, Shared};
use futures_util::FutureExt;

use super::call::Request;
use super::clock::Instant;
use super::endpoint::REFRESH;
use super::session::TokenPair;
use super::validate::JsonBody;
use super::{Client, Error, ErrorKind};

/// Refresh when the access token expires within this margin.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(30);

type SharedRefresh = Shared<BoxFuture<'static, Result<TokenPair, Error>>>;

/// The refresh in flight, if any.
#[derive(Default)]
pub(crate) struct Refresher {
    in_flight: Mutex<Option<SharedRefresh>>,
}

impl std::fmt::Debug for Refresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refresher")
    }
}

impl Client {
    /// A usable access token: the current one, or a fresh one when it is about to expire.
    pub(crate) async fn access_token(&self, deadline: Instant) -> Result<String, Error> {
        let pair = self.session().get().ok_or_else(Error::not_logged_in)?;
        if !pair.access.expires_within(REFRESH_MARGIN) {
            return Ok(pair.access.token.clone());
        }
        Ok(self
            .refresh_shared(pair, deadline)
            .await?
            .access
            .token
            .clone())
    }

    /// A token to retry with after `used` got a 401 (another call may have refreshed already).
    pub(crate) async fn access_token_after_401(
        &self,
        used: &str,
        deadline: Instant,
    ) -> Result<String, Error> {
        let pair = self.session().get().ok_or_else(Error::not_logged_in)?;
        if pair.access.token != used {
            return Ok(pair.access.token.clone());
        }
        Ok(self
            .refresh_shared(pair, deadline)
            .await?
            .access
            .token
            .clone())
    }

    /// Refreshes `pair`, joining a refresh already in flight; waits no longer than `deadline`.
    pub(crate) async fn refresh_shared(
        &self,
        pair: TokenPair,
        deadline: Instant,
    ) -> Result<TokenPair, Error> {
        if pair.refresh.expires_within(Duration::ZERO) {
            self.session().clear_if_refresh_token(&pair.refresh.token);
            return Err(Error::new(
                ErrorKind::NotLoggedIn,
                "the session expired; log in again",
            ));
        }
        let shared = {
            let mut in_flight = self
                .inner
                .refresher
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match in_flight.as_ref() {
                Some(shared) => shared.clone(),
                None => {
                    let shared = self
                        .clone()
                        .refresh_request(pair.refresh.token.clone())
                        .boxed()
                        .shared();
                    *in_flight = Some(shared.clone());
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
    async fn refresh_request(self, refresh_token: String) -> Result<TokenPair, Error> {
        let body = JsonBody::new()
            .string("refreshToken", &refresh_token)
            .finish();
        let request = Request::new(&REFRESH, REFRESH.path.to_owned())
            .body(body)
            .secret(&refresh_token);
        // Straight to the transport: a refresh needs no Bearer (and must not recurse into one).
        let sent = self
            .inner
            .transport
            .send(request.call(None), self.deadline())
            .await;
        let result = match sent {
            Ok(answer) => std::str::from_utf8(&answer.body)
                .map_err(|_| Error::new(ErrorKind::Decode, "refresh answer is not UTF-8"))
                .and_then(|text| {
                    TokenPair::from_json(text)
                        .map_err(|e| Error::new(ErrorKind::Decode, e.message()))
                })
                .and_then(|pair| {
                    if self
                        .session()
                        .replace_if_refresh_token(&refresh_token, pair.clone())
                    {
                        log::debug!(target: "xerial::session", "session refreshed");
                        Ok(pair)
                    } else {
                        Err(Error::new(
                            ErrorKind::NotLoggedIn,
                            "the session ended while it was being refreshed",
                        ))
                    }
                }),
            Err(e) if e.kind() == ErrorKind::Unauthorized => {
                log::info!(target: "xerial::session", "refresh refused (401): the session ended");
                self.session().clear_if_refresh_token(&refresh_token);
                Err(
                    Error::new(ErrorKind::NotLoggedIn, "the session ended; log in again")
                        .with_http_status(401),
                )
            }
            Err(e) => Err(e),
        };
        *self
            .inner
            .refresher
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        result
    }
}
