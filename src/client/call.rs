//! The one request path every endpoint method takes: validated request → (Bearer) → send →
//! decode. A 401 on a Bearer call proves it did not run: the token is refreshed once and the
//! call sent once more; a second 401 is the answer.

use std::borrow::Cow;
use std::future::{ready, Future};

use bytes::Bytes;
use futures_util::future::Either;
use serde::de::DeserializeOwned;
use serde::Serialize;
use smallvec::SmallVec;
use zeroize::Zeroizing;

use super::clock::Instant;
use super::endpoint::{Auth, Endpoint};
use super::models;
use super::session::TokenPair;
#[cfg(not(target_os = "emscripten"))]
use super::transport::FORM;
use super::transport::{Answer, Call, JSON};
use super::{Client, Error, ErrorKind, Response};

/// A request ready to send: its endpoint row, filled path and JSON body.
pub(crate) struct Request {
    pub endpoint: Endpoint,
    /// Borrowed when the endpoint's path has no parameter: no allocation for a constant path.
    pub path: Cow<'static, str>,
    /// Shared, so that each attempt sends it without a copy.
    pub body: Option<Bytes>,
    /// The body's `Content-Type`.
    pub content_type: &'static str,
    /// Values to redact from anything the server echoes (signatures, Google ID tokens, sign-in
    /// codes); the session's tokens are redacted without being listed here. Most requests list
    /// none or one, kept inline.
    pub secrets: SmallVec<[Zeroizing<String>; 1]>,
}

impl Request {
    pub(crate) fn new(endpoint: &Endpoint, path: impl Into<Cow<'static, str>>) -> Request {
        Request {
            endpoint: endpoint.clone(),
            path: path.into(),
            body: None,
            content_type: JSON,
            secrets: SmallVec::new(),
        }
    }

    pub(crate) fn body(mut self, json: String) -> Request {
        self.body = Some(Bytes::from(json));
        self
    }

    /// A body that holds a secret (a token, a signature): its buffer is wiped when the last
    /// reference to it is dropped.
    pub(crate) fn private_body(self, json: String) -> Request {
        self.private_bytes(Zeroizing::new(json.into_bytes()))
    }

    /// [`private_body`](Request::private_body) from a buffer that is already wiped on drop
    /// ([`JsonBody::finish_bytes`](super::validate::JsonBody::finish_bytes)).
    pub(crate) fn private_bytes(mut self, body: Zeroizing<Vec<u8>>) -> Request {
        self.body = Some(Bytes::from_owner(body));
        self
    }

    /// A private `application/x-www-form-urlencoded` body instead of JSON (sign-in's token
    /// request, which holds the code and the PKCE verifier).
    #[cfg(not(target_os = "emscripten"))]
    pub(crate) fn private_form(self, form: String) -> Request {
        Request {
            content_type: FORM,
            ..self.private_body(form)
        }
    }

    pub(crate) fn secret(self, secret: &str) -> Request {
        self.owned_secret(Zeroizing::new(secret.to_owned()))
    }

    /// [`secret`](Request::secret) for a value the caller already holds in a wiped buffer: kept
    /// as it is, not copied.
    pub(crate) fn owned_secret(mut self, secret: Zeroizing<String>) -> Request {
        self.secrets.push(secret);
        self
    }

    /// The call to send, with the session whose tokens it carries or must not echo.
    pub(crate) fn call<'a>(
        &'a self,
        bearer: Option<&'a str>,
        session: Option<&'a TokenPair>,
    ) -> Call<'a> {
        Call {
            endpoint: &self.endpoint,
            path: &self.path,
            body: self.body.as_ref(),
            content_type: self.content_type,
            bearer,
            secrets: &self.secrets,
            session,
        }
    }
}

/// Wipes an answer that held tokens (a login's or refresh's token pair), when this is its only
/// reference. The HTTP client's own read buffer may still hold the bytes (README: what is wiped).
pub(crate) fn wipe(body: Bytes) {
    if let Ok(mut body) = body.try_into_mut() {
        zeroize::Zeroize::zeroize(&mut body[..]);
    }
}

// The request futures below are plain functions returning an `async move` block, not `async fn`s:
// an `async fn` keeps each argument twice in its future (as passed and as bound), and these
// futures are what every request task holds. A request is lent to `send`, so that the owner's
// future holds it once. Small futures stay in the allocator's fast per-thread cache.
impl Client {
    /// Sends `request` within one deadline, as the player when the endpoint needs it.
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn holds its arguments twice"
    )]
    pub(crate) fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> impl Future<Output = Result<Answer, Error>> + Send + 'a {
        async move {
            let deadline = self.inner.transport.deadline();
            if request.endpoint.auth == Auth::None {
                // Whatever the server echoes, no token of the session reaches a message or body.
                let session = self.session().get();
                return self
                    .inner
                    .transport
                    .send(request.call(None, session.as_deref()), deadline)
                    .await;
            }
            let pair = self.access_pair(deadline).await?;
            let bearer = Some(pair.access.token.as_str());
            match self
                .inner
                .transport
                .send(request.call(bearer, Some(&pair)), deadline)
                .await
            {
                // A 401 proves the request did not run (see the README): refresh once, send again.
                Err(e) if e.kind() == ErrorKind::Unauthorized => {
                    log::debug!(target: "xerial::session", "{}: 401, refreshing once", request.endpoint.name);
                    let pair = self.access_pair_after_401(&pair, deadline).await?;
                    let bearer = Some(pair.access.token.as_str());
                    self.inner
                        .transport
                        .send(request.call(bearer, Some(&pair)), deadline)
                        .await
                }
                other => other,
            }
        }
    }

    /// The `'static` future of a method: `request` was prepared (and validated) synchronously;
    /// its answer is decoded into `T`.
    pub(crate) fn run<T: DeserializeOwned + Serialize + Send + 'static>(
        &self,
        request: Result<Request, Error>,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send + 'static {
        let fetch = request.map(|request| {
            let client = self.clone();
            async move {
                let answer = client.send(&request).await?;
                let value = models::decode_model(&answer.body)
                    .map_err(|e| e.with_http_status(answer.status))?;
                Ok(Response {
                    status: answer.status,
                    value,
                })
            }
        });
        // Not `async { fetch?.await }`: that would hold the request's future twice.
        match fetch {
            Ok(fetch) => Either::Left(fetch),
            Err(error) => Either::Right(ready(Err(error))),
        }
    }

    /// The deadline of a call that starts now.
    pub(crate) fn deadline(&self) -> Instant {
        self.inner.transport.deadline()
    }
}
