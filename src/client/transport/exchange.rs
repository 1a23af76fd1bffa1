//! The seam between the policy (deadlines, retries, error mapping: `transport/mod.rs`) and the
//! code that moves bytes: one HTTP attempt, as an [`Exchange`]. Two implement it — the built-in
//! reqwest client and a host-supplied transport — and [`Backend`] picks one per client, as an
//! enum rather than a trait object so that the default path costs no extra allocation.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http::Method;

use super::super::clock::Instant;
use super::MAX_BODY_BYTES;

/// Largest error body kept; a larger one is dropped (the status still maps to its code).
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The `Content-Type` of a JSON body (every Xerial endpoint).
pub(crate) const JSON: &str = "application/json";
/// The `Content-Type` of an OAuth 2.0 token request (RFC 6749 §4.1.3; sign-in, native only).
#[cfg(not(target_os = "emscripten"))]
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// One attempt's request, borrowed from the call (an attempt copies nothing).
pub(crate) struct Outgoing<'a> {
    pub method: &'a Method,
    pub url: &'a url::Url,
    /// `Authorization: Bearer <token>` when set (only ever to Xerial's hosts: see `Call`).
    pub bearer: Option<&'a str>,
    /// The body and its `Content-Type`.
    pub body: Option<(&'static str, &'a Bytes)>,
    /// The whole call's deadline (a host transport is told what is left of it).
    pub deadline: Instant,
}

/// An HTTP answer as the policy needs it: its status, its `Retry-After`, and its body within
/// [`body_limit`] (see [`settle_body`]).
#[derive(Debug)]
pub(crate) struct Received {
    pub status: u16,
    /// The raw `Retry-After` value, if the server sent one.
    pub retry_after: Option<Box<str>>,
    pub body: Bytes,
}

/// Why an attempt brought back no usable answer, with what is known about whether it left.
#[derive(Debug)]
pub(crate) enum Lost {
    /// Nothing left the device (refused, DNS, TLS handshake): safe to send again.
    NotSent(String),
    /// The request may have been sent and the answer was lost (including "cannot tell").
    MaybeSent(String),
    /// A 2xx answer whose body is over [`MAX_BODY_BYTES`] (it was not read past the limit).
    TooLarge { status: u16 },
}

/// Sends one attempt. Implemented by the built-in client and by the host transport; everything
/// else (which attempts to make, when to give up, what an answer means) is the policy's.
pub(crate) trait Exchange {
    fn exchange<'a>(
        &'a self,
        outgoing: &'a Outgoing<'a>,
    ) -> impl Future<Output = Result<Received, Lost>> + Send + 'a;
}

/// The exchange of one client.
#[derive(Debug)]
pub(crate) enum Backend {
    /// reqwest + rustls on the SDK's tokio runtime (native builds only).
    #[cfg(not(target_os = "emscripten"))]
    BuiltIn(super::builtin::BuiltIn),
    /// The host's own HTTP stack, through the handles of [`super::host::HostExchanges`].
    Host(super::host::HostExchanges),
}

impl Exchange for Backend {
    async fn exchange<'a>(&'a self, outgoing: &'a Outgoing<'a>) -> Result<Received, Lost> {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            Backend::BuiltIn(builtin) => builtin.exchange(outgoing).await,
            Backend::Host(host) => host.exchange(outgoing).await,
        }
    }
}

/// How much of a body with `status` the SDK reads: a 2xx body up to [`MAX_BODY_BYTES`], an
/// error body up to [`MAX_ERROR_BODY_BYTES`].
pub(crate) fn body_limit(status: u16) -> usize {
    if is_success(status) {
        MAX_BODY_BYTES
    } else {
        MAX_ERROR_BODY_BYTES
    }
}

pub(crate) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// How reading a body ended, as a backend saw it.
pub(crate) enum BodyRead {
    Complete(Bytes),
    /// Longer than [`body_limit`] (reading stopped there).
    TooLarge,
    /// The connection failed while reading (the built-in client reads a stream; a host hands
    /// over whole bodies, so the WebAssembly build never builds this).
    #[cfg_attr(target_os = "emscripten", allow(dead_code))]
    Failed(String),
}

/// The one rule for bodies, whatever the backend: a 2xx body over its limit is `TooLarge` and
/// one cut short is a lost answer; an error status is an answer even when its body is too
/// large or cannot be read (the body is then empty).
pub(crate) fn settle_body(status: u16, read: BodyRead) -> Result<Bytes, Lost> {
    match (is_success(status), read) {
        (_, BodyRead::Complete(body)) if body.len() <= body_limit(status) => Ok(body),
        (true, BodyRead::Complete(_) | BodyRead::TooLarge) => Err(Lost::TooLarge { status }),
        (true, BodyRead::Failed(why)) => Err(Lost::MaybeSent(why)),
        (false, _) => Ok(Bytes::new()),
    }
}

/// What is left of `deadline` from `now`, in whole milliseconds (saturating).
pub(crate) fn remaining_ms(deadline: Instant, now: Instant) -> u32 {
    let left: Duration = deadline.saturating_duration_since(now);
    u32::try_from(left.as_millis()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_one_rule_for_every_backend() {
        let small = || BodyRead::Complete(Bytes::from_static(b"{}"));
        assert_eq!(
            settle_body(200, small()).unwrap(),
            Bytes::from_static(b"{}")
        );
        assert_eq!(
            settle_body(404, small()).unwrap(),
            Bytes::from_static(b"{}")
        );
        let huge = || BodyRead::Complete(Bytes::from(vec![b' '; MAX_BODY_BYTES + 1]));
        assert!(matches!(
            settle_body(200, huge()),
            Err(Lost::TooLarge { status: 200 })
        ));
        assert!(matches!(
            settle_body(200, BodyRead::TooLarge),
            Err(Lost::TooLarge { .. })
        ));
        assert!(settle_body(500, huge()).unwrap().is_empty());
        assert!(settle_body(500, BodyRead::TooLarge).unwrap().is_empty());
        assert!(matches!(
            settle_body(200, BodyRead::Failed("reset".into())),
            Err(Lost::MaybeSent(_))
        ));
        assert!(settle_body(503, BodyRead::Failed("reset".into()))
            .unwrap()
            .is_empty());
        let exact = BodyRead::Complete(Bytes::from(vec![b' '; MAX_BODY_BYTES]));
        assert_eq!(settle_body(200, exact).unwrap().len(), MAX_BODY_BYTES);
    }
}
