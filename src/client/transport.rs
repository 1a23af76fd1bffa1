//! Sending one call: deadline, retries with backoff, body limits, HTTP error answers, redaction.
//!
//! Every endpoint goes through [`Transport::send`]; what may be retried is decided here, from the
//! endpoint's [`Repeat`] class, and nowhere else.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::config::{BaseUrl, ClientConfig};
use super::endpoint::{Endpoint, Host, Repeat};
use super::error::{Error, ErrorKind};
use super::error_answer::{http_error, redact, Secrets};
use super::session::TokenPair;

/// Largest 2xx body the SDK reads; a larger one is `Decode` and is not read past the limit.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Largest error body kept; a larger one is dropped (the status still maps to its code).
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// Most requests on the wire at once (per initialisation). HTTP/1.1 needs a connection per
/// request in flight, about 24 KiB of buffers each (issue 7: 274 MiB with 10,000 in flight);
/// beyond this many, requests wait their turn holding only their own small task.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// First backoff step and the cap, as the contract gives them (full jitter in between).
const BACKOFF_BASE: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(2);

/// One request to send: the endpoint row plus what varies per call, all borrowed from the
/// [`Request`](super::call::Request) so that an attempt copies nothing.
pub(crate) struct Call<'a> {
    pub endpoint: &'a Endpoint,
    /// The endpoint's path with its parameters filled in (and a query, if any).
    pub path: &'a str,
    pub json_body: Option<&'a Bytes>,
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

/// Why one attempt failed, with what is known about whether the request left.
enum Failure {
    /// The connection failed before anything was sent (refused, DNS, TLS handshake).
    NotSent(reqwest::Error),
    /// Something may have been sent and the answer was lost (reset, closed, truncated).
    Lost(reqwest::Error),
    /// The whole call's deadline passed.
    Deadline,
    /// The deadline passed while the call waited for a free connection: nothing was sent.
    NoConnection,
    /// The server answered with an error status.
    Status(Error),
    /// A 2xx answer that cannot be used (too large).
    Unusable(Error),
}

/// The HTTP side of a client: one connection pool, the hosts and the retry policy.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    wallet: BaseUrl,
    marketplace: Option<BaseUrl>,
    /// One permit per request on the wire ([`MAX_CONNECTIONS`]).
    connections: Semaphore,
    timeout: Duration,
    max_retries: u32,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig) -> Result<Transport, Error> {
        let wallet = BaseUrl::parse("base_url", &config.base_url, config.allow_insecure_http)?;
        let marketplace = config
            .marketplace_url
            .as_deref()
            .map(|url| BaseUrl::parse("marketplace_url", url, config.allow_insecure_http))
            .transpose()?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("xerial-native/", env!("CARGO_PKG_VERSION")))
            .no_proxy();
        if let Some(pem) = &config.extra_root_ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| {
                    Error::invalid_argument("extra_root_ca_pem", "no PEM certificate in it")
                })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        if let Some(proxy) = &config.proxy_url {
            builder = builder.proxy(proxy_for(proxy)?);
        }
        let http = builder
            .build()
            .map_err(|e| match config.extra_root_ca_pem {
                // The PEM parsed, but a block in it is not a certificate rustls can use.
                Some(_) => Error::invalid_argument(
                    "extra_root_ca_pem",
                    &format!("not a usable certificate ({})", cause(&e)),
                ),
                None => Error::new(
                    ErrorKind::Internal,
                    format!("cannot build the HTTP client: {e}"),
                ),
            })?;
        Ok(Transport {
            http,
            wallet,
            marketplace,
            connections: Semaphore::new(MAX_CONNECTIONS),
            timeout: config.timeout,
            max_retries: config.max_retries,
        })
    }

    /// The deadline of a call starting now (`timeout` covers the whole call, retries included).
    pub(crate) fn deadline(&self) -> Instant {
        Instant::now() + self.timeout
    }

    /// Sends `call` until it succeeds, fails for good, or `deadline` passes.
    pub(crate) async fn send(&self, call: Call<'_>, deadline: Instant) -> Result<Answer, Error> {
        let url = self.url(&call)?;
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
                    Instant::now()
                        .checked_add(*delay)
                        .is_some_and(|end| end < deadline)
                });
            match delay {
                Some(delay) => {
                    log::debug!(target: "xerial::http", "{}: retrying in {} ms", call.endpoint.name, delay.as_millis());
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return Err(final_error(failure, repeat, call.secrets())),
            }
        }
    }

    /// One attempt, once a connection is free, ending by `deadline`.
    async fn attempt_by(
        &self,
        call: &Call<'_>,
        url: &reqwest::Url,
        deadline: Instant,
    ) -> Result<Answer, Failure> {
        // The semaphore is never closed, so only the deadline ends the wait. A permit freed by
        // requests timing out in the same timer tick can arrive with the deadline already past:
        // then nothing is started either.
        let permit = tokio::time::timeout_at(deadline, self.connections.acquire()).await;
        let (Ok(Ok(_permit)), false) = (permit, Instant::now() >= deadline) else {
            return Err(Failure::NoConnection);
        };
        // Boxed: a task waiting above stays small (3 KiB, not the size of a live exchange).
        match tokio::time::timeout_at(deadline, Box::pin(self.attempt(call, url))).await {
            Ok(result) => result,
            Err(_) => Err(Failure::Deadline),
        }
    }

    fn url(&self, call: &Call<'_>) -> Result<reqwest::Url, Error> {
        let base = match call.endpoint.host {
            Host::Wallet => &self.wallet,
            Host::Marketplace => self.marketplace.as_ref().ok_or_else(|| {
                Error::invalid_argument("marketplace_url", "not configured; this call needs it")
            })?,
        };
        Ok(base.join(call.path))
    }

    async fn attempt(&self, call: &Call<'_>, url: &reqwest::Url) -> Result<Answer, Failure> {
        let mut request = self.http.request(call.endpoint.method.clone(), url.clone());
        if let Some(token) = call.bearer {
            request = request.header(
                AUTHORIZATION,
                bearer_header(token).map_err(Failure::Unusable)?,
            );
        }
        if let Some(body) = call.json_body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        super::hooks::mark_sent();
        let response = request.send().await.map_err(|e| match e.is_connect() {
            true => Failure::NotSent(e),
            false => Failure::Lost(e),
        })?;
        let status = response.status().as_u16();
        log::debug!(target: "xerial::http", "{} {} -> {status}", call.endpoint.method, call.endpoint.name);
        if response.status().is_success() {
            let body = read_limited(response, MAX_BODY_BYTES)
                .await
                .map_err(|e| match e {
                    ReadError::Transport(e) => Failure::Lost(e),
                    ReadError::TooLarge => Failure::Unusable(
                        Error::new(
                            ErrorKind::Decode,
                            format!("response body is larger than {MAX_BODY_BYTES} bytes"),
                        )
                        .with_http_status(status),
                    ),
                })?;
            return Ok(Answer { status, body });
        }
        let retry_after = retry_after(response.headers());
        // An error status is an answer even when its body cannot be read.
        let body = read_limited(response, MAX_ERROR_BODY_BYTES)
            .await
            .unwrap_or_default();
        Err(Failure::Status(
            http_error(status, &body, call.secrets()).with_retry_after(retry_after),
        ))
    }
}

/// `Authorization: Bearer <token>`, built in a buffer that is wiped when the HTTP client drops
/// it (reqwest's `bearer_auth` formats it into a string that is freed unwiped).
fn bearer_header(token: &str) -> Result<HeaderValue, Error> {
    const SCHEME: &[u8] = b"Bearer ";
    let mut value = Zeroizing::new(Vec::with_capacity(SCHEME.len() + token.len()));
    value.extend_from_slice(SCHEME);
    value.extend_from_slice(token.as_bytes());
    let mut header = HeaderValue::from_maybe_shared(Bytes::from_owner(value)).map_err(|_| {
        Error::new(
            ErrorKind::NotLoggedIn,
            "the session's access token cannot be sent in a header; log in again",
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// A proxy for `url`: `http://` or `https://` with a host (the only kinds this build can use).
fn proxy_for(url: &str) -> Result<reqwest::Proxy, Error> {
    let refuse = |why: &str| Error::invalid_argument("proxy_url", why);
    let parsed = url::Url::parse(url).map_err(|e| refuse(&format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(refuse("must be http://host:port or https://host:port"));
    }
    reqwest::Proxy::all(url).map_err(|e| refuse(&format!("not a proxy URL ({e})")))
}

/// How long to wait before the next attempt, or `None` when this failure is not retried.
fn retry_delay(failure: &Failure, repeat: Repeat, attempt: u32) -> Option<Duration> {
    match failure {
        Failure::NotSent(_) => Some(backoff(attempt)),
        Failure::Lost(_) if repeat == Repeat::Safe => Some(backoff(attempt)),
        Failure::Status(error) if repeat == Repeat::Safe && error.kind().is_transient() => {
            Some(error.retry_after().unwrap_or_else(|| backoff(attempt)))
        }
        _ => None,
    }
}

/// The error the caller sees when `failure` ends the call.
fn final_error(failure: Failure, repeat: Repeat, secrets: Secrets<'_>) -> Error {
    let moves_value = repeat == Repeat::Never;
    match failure {
        Failure::NotSent(e) => Error::new(
            ErrorKind::Network,
            redact(format!("connection failed: {}", cause(&e)), secrets),
        ),
        Failure::Lost(e) if moves_value => Error::new(
            ErrorKind::OutcomeUnknown,
            redact(
                format!(
                    "the answer was lost after the request was sent: {}",
                    cause(&e)
                ),
                secrets,
            ),
        ),
        Failure::Lost(e) => Error::new(
            ErrorKind::Network,
            redact(
                format!("connection lost after the request was sent: {}", cause(&e)),
                secrets,
            ),
        ),
        Failure::Deadline if moves_value => Error::new(
            ErrorKind::OutcomeUnknown,
            "the deadline passed before an answer came back; the request may have run",
        ),
        Failure::Deadline => Error::new(
            ErrorKind::Timeout,
            "the deadline passed before an answer came back",
        ),
        Failure::NoConnection => Error::new(
            ErrorKind::Timeout,
            "the deadline passed while waiting for a free connection; nothing was sent",
        ),
        Failure::Status(error) if moves_value => {
            // A 5xx after a purchase may have moved value: only a 429 surely did nothing.
            let retryable = error.kind() == ErrorKind::RateLimited;
            error.with_retryable(retryable)
        }
        Failure::Status(error) | Failure::Unusable(error) => error,
    }
}

/// The innermost cause of a reqwest error, which is the part a person can act on.
fn cause(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    if error.is_timeout() {
        return format!("timed out ({source})");
    }
    source.to_string()
}

/// The longest `Retry-After` kept: a server's number is untrusted, and no call waits longer
/// than its deadline anyway (what the result reports is capped the same way).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `Retry-After` in delay-seconds (an HTTP date is ignored), capped at [`MAX_RETRY_AFTER`].
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: only a value too large for u64 fails to parse, and it is over the cap too.
    let seconds = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// Exponential backoff from [`BACKOFF_BASE`], capped at [`BACKOFF_CAP`], with full jitter.
fn backoff(attempt: u32) -> Duration {
    let ceiling = BACKOFF_BASE
        .saturating_mul(1u32 << attempt.min(16))
        .min(BACKOFF_CAP);
    let millis = ceiling.as_millis() as u64;
    Duration::from_millis(random_u64() % (millis + 1))
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // Each RandomState has fresh keys: enough randomness for jitter, with no extra crate.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    hasher.finish()
}

enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut next = async || response.chunk().await.map_err(ReadError::Transport);
    let Some(first) = next().await? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(ReadError::TooLarge);
    }
    // A small body arrives in one chunk: hand that chunk on without copying it.
    let Some(second) = next().await? else {
        return Ok(first);
    };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut chunk = second;
    loop {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
        match next().await? {
            Some(more) => chunk = more,
            None => return Ok(Bytes::from(body)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Secrets<'static> {
        Secrets::default()
    }

    #[test]
    fn backoff_stays_within_its_ceiling() {
        for attempt in 0..40 {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1 << attempt.min(16))
                .min(BACKOFF_CAP);
            assert!(backoff(attempt) <= ceiling);
        }
    }

    #[tokio::test]
    async fn a_call_that_never_got_a_connection_was_not_sent() {
        let transport = Transport::new(&ClientConfig {
            base_url: "http://127.0.0.1:9".to_owned(),
            timeout: Duration::from_millis(50),
            ..ClientConfig::default()
        })
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
            json_body: None,
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
    fn retry_after_is_bounded_whatever_the_server_sends() {
        let header = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, value.parse().unwrap());
            retry_after(&headers)
        };
        assert_eq!(header("1"), Some(Duration::from_secs(1)));
        assert_eq!(header(" 30 "), Some(Duration::from_secs(30)));
        for huge in [
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            assert_eq!(header(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
        for ignored in [
            "",
            "-1",
            "+5",
            "1.5",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "0x10",
        ] {
            assert_eq!(header(ignored), None, "{ignored}");
        }
        // The delay the retry loop computes from it never overflows the clock.
        assert!(Instant::now().checked_add(MAX_RETRY_AFTER).is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: if cfg!(miri) { 4 } else { 256 },
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]
        #[test]
        fn any_retry_after_header_parses_without_panicking(text in "[0-9 ]{0,40}|\\PC{0,40}") {
            let mut headers = HeaderMap::new();
            if let Ok(value) = text.parse() {
                headers.insert(RETRY_AFTER, value);
                if let Some(delay) = retry_after(&headers) {
                    proptest::prop_assert!(delay <= MAX_RETRY_AFTER);
                }
            }
        }
    }

    #[test]
    fn value_moving_errors_are_retryable_only_when_nothing_ran() {
        let server = Failure::Status(http_error(503, b"", none()));
        assert!(!final_error(server, Repeat::Never, none()).is_retryable());
        let limited = Failure::Status(http_error(429, b"", none()));
        assert!(final_error(limited, Repeat::Never, none()).is_retryable());
        assert_eq!(
            final_error(Failure::Deadline, Repeat::Never, none()).kind(),
            ErrorKind::OutcomeUnknown
        );
        assert_eq!(
            final_error(Failure::Deadline, Repeat::UntilSent, none()).kind(),
            ErrorKind::Timeout
        );
    }
}
