//! Sending one call: deadline, retries with backoff, body limits, HTTP error answers,
//! redaction — the policy, the same code for every transport.
//!
//! Every endpoint goes through [`Transport::send`]; what may be retried is decided here, from the
//! endpoint's [`Repeat`](super::endpoint::Repeat) class and what the attempt says about having been sent, and nowhere
//! else. One attempt is an [`Exchange`](exchange::Exchange): the built-in reqwest client
//! (`builtin`) or the host's own HTTP stack (`host`).

#[cfg(not(target_os = "emscripten"))]
mod builtin;
mod exchange;
mod host;
mod retry;

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use super::clock::{self, Clock, Instant};
use super::config::{BaseUrl, ClientConfig, GOOGLE_TOKEN_URL};
use super::endpoint::{Endpoint, Host, ALL};
use super::error::{Error, ErrorKind};
use super::error_answer::{http_error, Secrets};
use super::session::TokenPair;
#[cfg(not(target_os = "emscripten"))]
pub(crate) use exchange::FORM;
pub(crate) use exchange::JSON;
use exchange::{is_success, Backend, Exchange, Lost, Outgoing};
use retry::{final_error, retry_after, retry_delay, Failure};

pub use host::{HostExchanges, HostRequest, HostTransport};

/// Largest 2xx body the SDK reads; a larger one is `Decode` and is not read past the limit.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Most requests on the wire at once (per initialisation). HTTP/1.1 needs a connection per
/// request in flight, about 24 KiB of buffers each (issue 7: 274 MiB with 10,000 in flight);
/// beyond this many, requests wait their turn holding only their own small task.
pub(crate) const MAX_CONNECTIONS: usize = 64;

/// How a client reaches the network and keeps time.
pub enum Io {
    /// The built-in reqwest + rustls client; the futures run on a tokio runtime (with its IO
    /// and time drivers), whose timers they use. Not in the WebAssembly build.
    #[cfg(not(target_os = "emscripten"))]
    BuiltIn,
    /// The host's HTTP transport, with timers from `clock`.
    Host {
        transport: Arc<dyn HostTransport>,
        clock: Clock,
    },
}

/// One request to send: the endpoint row plus what varies per call, all borrowed from the
/// [`Request`](super::call::Request) so that an attempt copies nothing.
pub(crate) struct Call<'a> {
    pub endpoint: &'a Endpoint,
    /// The endpoint's path with its parameters filled in (and a query, if any).
    pub path: &'a str,
    pub body: Option<&'a Bytes>,
    /// The body's `Content-Type` (JSON unless the request says otherwise).
    pub content_type: &'static str,
    pub bearer: Option<&'a str>,
    /// Values that must never appear in a message or an error body (besides the bearer token).
    pub secrets: &'a [Zeroizing<String>],
    /// The session whose tokens must never appear either.
    pub session: Option<&'a TokenPair>,
}

impl Call<'_> {
    /// Everything to redact from what this call reports: its secrets, the session's tokens and
    /// its bearer token.
    fn secrets(&self) -> Secrets<'_> {
        Secrets {
            listed: self.secrets,
            session: self.session,
            bearer: self.bearer,
        }
    }
}

/// A 2xx answer, its body read in full (bounded by [`MAX_BODY_BYTES`]).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Bytes,
}

/// The HTTP side of a client: one exchange (connection pool or host transport), its clock, the
/// hosts and the retry policy.
#[derive(Debug)]
pub(crate) struct Transport {
    backend: Backend,
    clock: Clock,
    wallet: BaseUrl,
    marketplace: Option<BaseUrl>,
    /// Sign-in's token endpoint ([`Host::OAuthToken`]).
    oauth_token: BaseUrl,
    /// The URL of every endpoint whose path has no parameter, joined once: a call copies it
    /// instead of building it again (about 1.8 k instructions a request).
    fixed: Vec<(Host, &'static str, url::Url)>,
    /// One permit per request on the wire ([`MAX_CONNECTIONS`]).
    connections: Semaphore,
    timeout: Duration,
    max_retries: u32,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig, io: Io) -> Result<Transport, Error> {
        let wallet = BaseUrl::parse("base_url", &config.base_url, config.allow_insecure_http)?;
        let marketplace = config
            .marketplace_url
            .as_deref()
            .map(|url| BaseUrl::parse("marketplace_url", url, config.allow_insecure_http))
            .transpose()?;
        let oauth_token = BaseUrl::parse(
            "oauth_token_url",
            config
                .oauth_token_url
                .as_deref()
                .unwrap_or(GOOGLE_TOKEN_URL),
            config.allow_insecure_http,
        )?;
        let (backend, clock) = match io {
            #[cfg(not(target_os = "emscripten"))]
            Io::BuiltIn => (
                Backend::BuiltIn(builtin::BuiltIn::new(config)?),
                Clock::Runtime,
            ),
            Io::Host { transport, clock } => {
                if config.extra_root_ca_pem.is_some() || config.proxy_url.is_some() {
                    log::info!(target: "xerial::http", "extra_root_ca_pem and proxy_url are ignored: the host transport has its own TLS and proxy settings");
                }
                (Backend::Host(HostExchanges::new(transport)), clock)
            }
        };
        let mut transport = Transport {
            backend,
            clock,
            wallet,
            marketplace,
            oauth_token,
            fixed: Vec::new(),
            connections: Semaphore::new(MAX_CONNECTIONS),
            timeout: config.timeout,
            max_retries: config.max_retries,
        };
        transport.fixed = ALL
            .iter()
            .filter(|endpoint| !endpoint.path.is_empty() && !endpoint.path.contains('{'))
            .filter_map(|endpoint| {
                let url = transport.base(endpoint.host).ok()?.join(endpoint.path);
                Some((endpoint.host, endpoint.path, url))
            })
            .collect();
        Ok(transport)
    }

    /// The clock every timer of this client runs on.
    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The open exchanges with the host transport, when the client uses one.
    pub(crate) fn host_exchanges(&self) -> Option<&HostExchanges> {
        match &self.backend {
            Backend::Host(host) => Some(host),
            #[cfg(not(target_os = "emscripten"))]
            Backend::BuiltIn(_) => None,
        }
    }

    /// The deadline of a call starting now (`timeout` covers the whole call, retries included).
    pub(crate) fn deadline(&self) -> Instant {
        clock::now() + self.timeout
    }

    /// Sends `call` until it succeeds, fails for good, or `deadline` passes.
    ///
    /// An `async move` block rather than an `async fn`, which would hold `call` twice (see
    /// [`Client::send`](super::Client::send)).
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn holds its arguments twice"
    )]
    pub(crate) fn send<'a>(
        &'a self,
        call: Call<'a>,
        deadline: Instant,
    ) -> impl Future<Output = Result<Answer, Error>> + Send + 'a {
        async move {
            let url = self.url(&call)?;
            if call.bearer.is_some_and(|token| !fits_a_header(token)) {
                return Err(Error::new(
                    ErrorKind::NotLoggedIn,
                    "the session's access token cannot be sent in a header; log in again",
                ));
            }
            let repeat = call.endpoint.repeat;
            let mut attempt = 0u32;
            loop {
                let failure = match self.attempt_by(&call, &url, deadline).await {
                    Ok(answer) => return Ok(answer),
                    Err(failure) => failure,
                };
                // A delay that would not end before the deadline (or that no clock can add: the
                // server chose it) means no retry.
                let delay = (attempt < self.max_retries)
                    .then(|| retry_delay(&failure, repeat, attempt))
                    .flatten()
                    .filter(|delay| {
                        clock::now()
                            .checked_add(*delay)
                            .is_some_and(|end| end < deadline)
                    });
                match delay {
                    Some(delay) => {
                        log::debug!(target: "xerial::http", "{}: retrying in {} ms", call.endpoint.name, delay.as_millis());
                        self.clock.sleep_until(clock::now() + delay).await;
                        attempt += 1;
                    }
                    None => return Err(final_error(failure, repeat, call.secrets())),
                }
            }
        }
    }

    /// One attempt, once a connection is free, ending by `deadline`.
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn holds its arguments twice"
    )]
    fn attempt_by<'a>(
        &'a self,
        call: &'a Call<'_>,
        url: &'a url::Url,
        deadline: Instant,
    ) -> impl Future<Output = Result<Answer, Failure>> + Send + 'a {
        async move {
            // A free connection is taken at once, with no timer around the wait (the usual
            // case). Otherwise the semaphore is never closed, so only the deadline ends the
            // wait. A permit freed by requests timing out in the same timer tick can arrive with
            // the deadline already past, and a Bearer call's refresh may have used it up: then
            // nothing is started either.
            let permit = match self.connections.try_acquire() {
                Ok(permit) => Ok(Ok(permit)),
                // Boxed: only a call that waits for a connection carries the wait's timer.
                Err(_) => {
                    Box::pin(self.clock.timeout_at(deadline, self.connections.acquire())).await
                }
            };
            let (Ok(Ok(_permit)), false) = (permit, clock::now() >= deadline) else {
                return Err(Failure::NoConnection);
            };
            let outgoing = Outgoing {
                method: &call.endpoint.method,
                url,
                bearer: call.bearer,
                body: call.body.map(|body| (call.content_type, body)),
                deadline,
            };
            // Boxed: a task waiting above stays small (3 KiB, not the size of a live exchange).
            let attempt = Box::pin(self.attempt(call, &outgoing));
            match self.clock.timeout_at(deadline, attempt).await {
                Ok(result) => result,
                Err(_) => Err(Failure::Deadline),
            }
        }
    }

    /// The call's URL: a constant path's, joined when the client was made, is lent as it is (the
    /// built-in exchange copies it once for reqwest; the host transport reads its text).
    fn url(&self, call: &Call<'_>) -> Result<Cow<'_, url::Url>, Error> {
        let host = call.endpoint.host;
        // A path that is not its endpoint's own was filled in (or given): not in the table.
        let fixed = (call.path == call.endpoint.path)
            .then(|| {
                self.fixed
                    .iter()
                    .find(|(h, path, _)| *h == host && *path == call.path)
            })
            .flatten();
        match fixed {
            Some((_, _, url)) => Ok(Cow::Borrowed(url)),
            None => Ok(Cow::Owned(self.base(host)?.join(call.path))),
        }
    }

    fn base(&self, host: Host) -> Result<&BaseUrl, Error> {
        match host {
            Host::Wallet => Ok(&self.wallet),
            Host::Marketplace => self.marketplace.as_ref().ok_or_else(|| {
                Error::invalid_argument("marketplace_url", "not configured; this call needs it")
            }),
            Host::OAuthToken => Ok(&self.oauth_token),
        }
    }

    async fn attempt(&self, call: &Call<'_>, outgoing: &Outgoing<'_>) -> Result<Answer, Failure> {
        super::hooks::mark_sent();
        let received = self
            .backend
            .exchange(outgoing)
            .await
            .map_err(|lost| match lost {
                Lost::NotSent(why) => Failure::NotSent(why),
                Lost::MaybeSent(why) => Failure::Lost(why),
                Lost::TooLarge { status } => Failure::Unusable(
                    Error::new(
                        ErrorKind::Decode,
                        format!("response body is larger than {MAX_BODY_BYTES} bytes"),
                    )
                    .with_http_status(status),
                ),
            })?;
        let status = received.status;
        log::debug!(target: "xerial::http", "{} {} -> {status}", call.endpoint.method, call.endpoint.name);
        if is_success(status) {
            return Ok(Answer {
                status,
                body: received.body,
            });
        }
        let retry_after = received.retry_after.as_deref().and_then(retry_after);
        Err(Failure::Status(
            http_error(status, &received.body, call.secrets()).with_retry_after(retry_after),
        ))
    }
}

/// Whether `token` can be sent in an HTTP header (visible ASCII, spaces and tabs): one that
/// cannot is refused before anything is sent, whatever the transport.
fn fits_a_header(token: &str) -> bool {
    token
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_call_that_never_got_a_connection_was_not_sent() {
        let transport = Transport::new(
            &ClientConfig {
                base_url: "http://127.0.0.1:9".to_owned(),
                timeout: Duration::from_millis(50),
                ..ClientConfig::default()
            },
            Io::BuiltIn,
        )
        .expect("config");
        let _all = transport
            .connections
            .acquire_many(MAX_CONNECTIONS as u32)
            .await
            .expect("open");
        let endpoint = super::super::endpoint::PRIMARY_PURCHASE;
        let call = Call {
            endpoint: &endpoint,
            path: "/api/wallet/0x/polygon/primary-purchase",
            body: None,
            content_type: JSON,
            bearer: None,
            secrets: &[],
            session: None,
        };
        let error = transport
            .send(call, transport.deadline())
            .await
            .expect_err("no connection");
        assert_eq!(
            error.kind(),
            ErrorKind::Timeout,
            "not OutcomeUnknown: nothing was sent"
        );
        assert!(
            error.message().contains("free connection"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn only_header_safe_tokens_are_sent() {
        assert!(fits_a_header("eyJhbGciOi.J9.x-_~ \t"));
        for bad in ["a\nb", "a\rb", "a\u{0}b", "a\u{7f}b", "tök"] {
            assert!(!fits_a_header(bad), "{bad:?}");
        }
    }
}
