//! Player authentication endpoints.

use std::future::Future;

use bytes::Bytes;

use super::endpoint::LOGOUT;
use super::transport::Call;
use super::{Client, Error, ErrorKind, NoContent, Response};

impl Client {
    /// Revokes a refresh token: `POST /api/auth/logout` `{"refreshToken":…}` → 204.
    ///
    /// `None` or `""` means the current session's refresh token (`NotLoggedIn` without one).
    /// When the token is the current session's, the local session (memory and file) is cleared
    /// now, before this returns, so a failed revoke never leaves the player logged in locally.
    pub fn logout(
        &self,
        refresh_token: Option<&str>,
    ) -> impl Future<Output = Result<Response<NoContent>, Error>> + Send + 'static {
        let token = match refresh_token.filter(|t| !t.is_empty()) {
            Some(token) => Ok(token.to_owned()),
            None => self
                .session()
                .get()
                .map(|pair| pair.refresh.token)
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
            let body = serde_json::json!({ "refreshToken": token }).to_string();
            let call = Call {
                endpoint: &LOGOUT,
                path: LOGOUT.path.to_owned(),
                json_body: Some(Bytes::from(body)),
                bearer: None,
                secrets: vec![token],
            };
            let answer = client.inner.transport.send(call).await?;
            // The documented answer is 204 with no body; any 2xx body must at least be JSON.
            if !answer.body.is_empty()
                && serde_json::from_slice::<serde::de::IgnoredAny>(&answer.body).is_err()
            {
                return Err(Error::new(ErrorKind::Decode, "logout answer is not JSON"));
            }
            Ok(Response {
                status: answer.status,
                value: NoContent,
            })
        }
    }
}
