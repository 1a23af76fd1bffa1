//! The one request path every endpoint method takes: validated request → (Bearer) → send →
//! decode. A 401 on a Bearer call proves it did not run: the token is refreshed once and the
//! call sent once more; a second 401 is the answer.

use std::future::Future;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::clock::Instant;
use super::endpoint::{Auth, Endpoint};
use super::models;
use super::transport::{Answer, Call};
use super::{Client, Error, ErrorKind, Response};

/// A request ready to send: its endpoint row, filled path and JSON body.
pub(crate) struct Request {
    pub endpoint: Endpoint,
    pub path: String,
    /// Shared, so that each attempt sends it without a copy.
    pub body: Option<Bytes>,
    /// Values to redact from anything the server echoes (tokens, signatures).
    pub secrets: Vec<String>,
}

impl Request {
    pub(crate) fn new(endpoint: &Endpoint, path: String) -> Request {
        Request {
            endpoint: endpoint.clone(),
            path,
            body: None,
            secrets: Vec::new(),
        }
    }

    pub(crate) fn body(mut self, json: String) -> Request {
        self.body = Some(Bytes::from(json));
        self
    }

    pub(crate) fn secret(mut self, secret: &str) -> Request {
        self.secrets.push(secret.to_owned());
        self
    }

    pub(crate) fn call<'a>(&'a self, bearer: Option<&'a str>) -> Call<'a> {
        Call {
            endpoint: &self.endpoint,
            path: &self.path,
            json_body: self.body.as_ref(),
            bearer,
            secrets: &self.secrets,
        }
    }
}

impl Client {
    /// Sends `request` within one deadline, as the player when the endpoint needs it.
    pub(crate) async fn send(&self, mut request: Request) -> Result<Answer, Error> {
        // Whatever the server echoes, no token of the session reaches a message or error body.
        request.secrets.extend(self.session_secrets());
        let deadline = self.inner.transport.deadline();
        if request.endpoint.auth == Auth::None {
            return self
                .inner
                .transport
                .send(request.call(None), deadline)
                .await;
        }
        let token = self.access_token(deadline).await?;
        match self
            .inner
            .transport
            .send(request.call(Some(&token)), deadline)
            .await
        {
            Err(e) if e.kind() == ErrorKind::Unauthorized => {
                log::debug!(target: "xerial::session", "{}: 401, refreshing once", request.endpoint.name);
                let token = self.access_token_after_401(&token, deadline).await?;
                self.inner
                    .transport
                    .send(request.call(Some(&token)), deadline)
                    .await
            }
            other => other,
        }
    }

    /// Sends `request` and decodes its answer into `T`.
    pub(crate) async fn fetch<T: DeserializeOwned + Serialize>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error> {
        let answer = self.send(request).await?;
        let value =
            models::decode_model(&answer.body).map_err(|e| e.with_http_status(answer.status))?;
        Ok(Response {
            status: answer.status,
            value,
        })
    }
    /// The `'static` future of a method: `request` was prepared (and validated) synchronously.
    pub(crate) fn run<T: DeserializeOwned + Serialize + Send + 'static>(
        &self,
        request: Result<Request, Error>,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send + 'static {
        let client = self.clone();
        async move { client.fetch(request?).await }
    }

    /// The current session's tokens, for redaction.
    pub(crate) fn session_secrets(&self) -> Vec<String> {
        self.session()
            .get()
            .map(|pair| vec![pair.access.token.clone(), pair.refresh.token.clone()])
            .unwrap_or_default()
    }

    /// The deadline of a call that starts now.
    pub(crate) fn deadline(&self) -> Instant {
        self.inner.transport.deadline()
    }
}
