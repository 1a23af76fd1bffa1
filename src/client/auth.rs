//! Player authentication: logins, refresh, logout.

use std::future::Future;

use zeroize::Zeroizing;

use super::call::{wipe, Request};
use super::endpoint::{LOGIN_GOOGLE, LOGIN_WALLET, LOGOUT, NONCE};
use super::models::{self, Nonce, SessionSummary};
use super::session::TokenPair;
use super::validate::{self, JsonBody};
use super::{Client, Error, ErrorKind, NoContent, Response};

impl Client {
    /// Logs in with a Google ID token: `POST /api/auth/google` `{token, clientId, projectId}`.
    ///
    /// The new token pair is installed (and persisted) before the future resolves.
    pub fn login_google(
        &self,
        id_token: &str,
        client_id: &str,
    ) -> impl Future<Output = Result<Response<SessionSummary>, Error>> + Send + 'static {
        let request = non_empty("id_token", id_token)
            .and_then(|()| non_empty("client_id", client_id))
            .and_then(|()| self.project_id())
            .map(|project| {
                let body = JsonBody::new()
                    .string("token", id_token)
                    .string("clientId", client_id)
                    .string("projectId", &project)
                    .finish();
                Request::new(&LOGIN_GOOGLE, LOGIN_GOOGLE.path)
                    .private_body(body)
                    .secret(id_token)
            });
        self.login(request)
    }

    /// Asks for the nonce a wallet signs to log in: `POST /api/nonce` `{address}` → `{nonce}`.
    pub fn request_nonce(
        &self,
        address: &str,
    ) -> impl Future<Output = Result<Response<Nonce>, Error>> + Send + 'static {
        let request = validate::address("address", address).map(|()| {
            let body = JsonBody::new().string("address", address).finish();
            Request::new(&NONCE, NONCE.path).body(body)
        });
        self.run(request)
    }

    /// Logs in with a wallet signature of the nonce: `POST /api/auth/metamask`
    /// `{address, signature, projectId}`.
    pub fn login_wallet(
        &self,
        address: &str,
        signature: &str,
    ) -> impl Future<Output = Result<Response<SessionSummary>, Error>> + Send + 'static {
        let request = validate::address("address", address)
            .and_then(|()| non_empty("signature", signature))
            .and_then(|()| self.project_id())
            .map(|project| {
                let body = JsonBody::new()
                    .string("address", address)
                    .string("signature", signature)
                    .string("projectId", &project)
                    .finish();
                Request::new(&LOGIN_WALLET, LOGIN_WALLET.path)
                    .private_body(body)
                    .secret(signature)
            });
        self.login(request)
    }

    /// Refreshes the session now (`POST /api/auth/refresh-tokens`), sharing a refresh already in
    /// flight. A 401 ends the session (`NotLoggedIn`, http status 401).
    pub fn refresh(
        &self,
    ) -> impl Future<Output = Result<Response<SessionSummary>, Error>> + Send + 'static {
        let client = self.clone();
        async move {
            let pair = client.session().get().ok_or_else(Error::not_logged_in)?;
            let deadline = client.deadline();
            let pair = client.refresh_shared(pair, deadline).await?;
            Ok(Response {
                status: 200,
                value: summary(&pair),
            })
        }
    }

    /// Revokes a refresh token: `POST /api/auth/logout` `{"refreshToken":…}` → 204.
    ///
    /// `None` or `""` means the current session's refresh token (`NotLoggedIn` without one).
    /// When the token is the current session's, the local session (memory and file) is cleared
    /// now, before this returns, so a failed revoke never leaves the player logged in locally.
    pub fn logout(
        &self,
        refresh_token: Option<&str>,
    ) -> impl Future<Output = Result<Response<NoContent>, Error>> + Send + 'static {
        self.logout_owned(refresh_token.map(|token| Zeroizing::new(token.to_owned())))
    }

    /// [`logout`](Client::logout) with a token the caller already copied into a wiped buffer
    /// (the C entry point): that one buffer is the request's secret, with no copy of its own.
    pub(crate) fn logout_owned(
        &self,
        refresh_token: Option<Zeroizing<String>>,
    ) -> impl Future<Output = Result<Response<NoContent>, Error>> + Send + 'static {
        let token = match refresh_token.filter(|t| !t.is_empty()) {
            Some(token) => Ok(token),
            None => self
                .session()
                .get()
                .map(|pair| Zeroizing::new(pair.refresh.token.clone()))
                .ok_or_else(Error::not_logged_in),
        };
        if let Ok(token) = &token {
            if self.session().clear_if_refresh_token(token) {
                log::info!(target: "xerial::session", "logged out locally; revoking the refresh token");
            }
        }
        let client = self.clone();
        async move {
            let token = token?;
            let body = JsonBody::one_string("refreshToken", &token).finish_bytes();
            let request = Request::new(&LOGOUT, LOGOUT.path)
                .private_bytes(body)
                .owned_secret(token);
            let answer = client.send(&request).await?;
            // The documented answer is 204 with no body; any 2xx body must at least be JSON.
            if !answer.body.is_empty() {
                models::decode::<serde::de::IgnoredAny>(&answer.body)
                    .map_err(|e| e.with_http_status(answer.status))?;
            }
            Ok(Response {
                status: answer.status,
                value: NoContent,
            })
        }
    }

    /// Sends a login request; installs the token pair it answers before resolving.
    fn login(
        &self,
        request: Result<Request, Error>,
    ) -> impl Future<Output = Result<Response<SessionSummary>, Error>> + Send + 'static {
        let client = self.clone();
        async move {
            let request = request?;
            let answer = client.send(&request).await?;
            let pair = std::str::from_utf8(&answer.body)
                .ok()
                .and_then(|text| TokenPair::from_json(text).ok());
            let status = answer.status;
            wipe(answer.body);
            let pair = pair.ok_or_else(|| {
                Error::new(ErrorKind::Decode, "the login answer is not a token pair")
                    .with_http_status(status)
            })?;
            let value = summary(&pair);
            // Atomic with cancel and shutdown: either the session is installed and the call
            // reports OK, or it was stopped first and nothing is installed.
            if !super::hooks::commit() {
                return Err(Error::new(
                    ErrorKind::Internal,
                    "stopped before the session was installed",
                ));
            }
            client.session().set(pair);
            log::info!(target: "xerial::session", "logged in");
            Ok(Response {
                status: answer.status,
                value,
            })
        }
    }

    /// The configured project id, which the logins and some reads need.
    pub(crate) fn project_id(&self) -> Result<String, Error> {
        self.config()
            .project_id
            .clone()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                Error::invalid_argument(
                    "project_id",
                    "not configured (XerialConfig.project_id) and not given",
                )
            })
    }

    /// `project_id` as given, or the configured one when `None`; validated for a path.
    pub(crate) fn project_id_or_configured(
        &self,
        project_id: Option<&str>,
    ) -> Result<String, Error> {
        let project = match project_id {
            Some(given) => given.to_owned(),
            None => self.project_id()?,
        };
        validate::path_id("project_id", &project)?;
        Ok(project)
    }
}

fn summary(pair: &TokenPair) -> SessionSummary {
    SessionSummary::new(&pair.access.expires, &pair.refresh.expires)
}

pub(crate) fn non_empty(name: &str, value: &str) -> Result<(), Error> {
    (!value.is_empty())
        .then_some(())
        .ok_or_else(|| Error::invalid_argument(name, "must not be empty"))
}
