//! Sign in with Google: the authorization code flow with PKCE (RFC 7636, S256) and `state`
//! (RFC 6749 §4.1), redirecting to the loopback listener or to the game's own redirect URI, then
//! `POST /api/auth/google` with the `id_token` the token endpoint returns.

use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::oneshot;
use url::Url;
use zeroize::Zeroizing;

use super::flow::Waiting;
use super::http::Method;
use super::listener::{Incoming, Listener};
use super::opener::OpenUrl;
use super::pages::{self, Ending};
use super::redirect::{self, Answer};
use super::secret::Secret;
use super::{required_text, SignInOptions};
use crate::client::call::Request;
use crate::client::endpoint::OAUTH_TOKEN;
use crate::client::models::SessionSummary;
use crate::client::{Client, Error, ErrorKind, Response, GOOGLE_AUTHORIZE_URL};

/// A Google sign-in's own settings and its PKCE verifier.
pub(super) struct Google {
    client_id: String,
    client_secret: Option<Zeroizing<String>>,
    /// The game's redirect URI as it gave it (sent exactly so) and parsed (for matching).
    registered: Option<(String, Url)>,
    verifier: Secret,
}

impl Google {
    pub(super) fn new(options: &SignInOptions) -> Result<Google, Error> {
        required_text("client_id", &options.client_id)?;
        if let Some(secret) = &options.client_secret {
            required_text("client_secret", secret)?;
        }
        let registered = match &options.redirect_uri {
            Some(uri) => Some((uri.clone(), redirect::registered_redirect(uri)?)),
            None => None,
        };
        Ok(Google {
            client_id: options.client_id.clone(),
            client_secret: options.client_secret.clone().map(Zeroizing::new),
            registered,
            verifier: Secret::random()?,
        })
    }
}

/// The whole Google sign-in, up to the login's result.
pub(super) async fn sign_in(
    client: Client,
    google: Google,
    waiting: Arc<Waiting>,
    answers: oneshot::Receiver<Answer>,
    open_url: OpenUrl,
) -> Result<Response<SessionSummary>, Error> {
    let listener = match google.registered {
        None => Some(Listener::bind().await?),
        Some(_) => None,
    };
    let (redirect_uri, redirect) = match (&listener, &google.registered) {
        (Some(listener), _) => {
            let uri = listener.url("/callback");
            let parsed = Url::parse(&uri)
                .map_err(|e| Error::new(ErrorKind::Internal, format!("listener URL: {e}")))?;
            (uri, parsed)
        }
        (None, Some((uri, parsed))) => (uri.clone(), parsed.clone()),
        (None, None) => return Err(Error::new(ErrorKind::Internal, "no redirect URI")),
    };
    let _ = waiting.redirect.set(redirect);
    let state = waiting
        .state
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Internal, "a Google sign-in without state"))?;
    let authorize = client
        .config()
        .oauth_authorize_url
        .as_deref()
        .unwrap_or(GOOGLE_AUTHORIZE_URL);
    let url = redirect::authorization_url(
        authorize,
        &google.client_id,
        &redirect_uri,
        &google.verifier,
        state,
    );
    open_url(url)?;
    log::info!(target: "xerial::signin", "Google sign-in: waiting for the player in the browser");
    let (answer, page) = match listener {
        Some(listener) => serve(listener, &waiting, answers).await?,
        None => (answers.await.map_err(|_| ended_early())?, None),
    };
    // The listener is closed now: nothing more is accepted while the code is exchanged.
    let result = finish(&client, &google, &redirect_uri, answer).await;
    if let Some(page) = page {
        let ending = match &result {
            Ok(_) => Ending::SignedIn,
            Err(e) if e.kind() == ErrorKind::Denied => Ending::Cancelled,
            Err(_) => Ending::Failed,
        };
        page.answer_last(pages::ending(ending));
    }
    result
}

fn ended_early() -> Error {
    Error::new(ErrorKind::Internal, "the sign-in's answer channel closed")
}

/// Serves the listener until an answer with this sign-in's `state` arrives, through the
/// listener (its connection is kept for the closing page) or through `SignIn::complete`.
async fn serve(
    mut listener: Listener,
    waiting: &Waiting,
    mut answers: oneshot::Receiver<Answer>,
) -> Result<(Answer, Option<Incoming>), Error> {
    loop {
        tokio::select! {
            answer = &mut answers => return answer.map(|a| (a, None)).map_err(|_| ended_early()),
            incoming = listener.next() => {
                if incoming.method == Method::Get && incoming.path == "/callback" {
                    if let Ok(url) = Url::parse(&listener.url_of(&incoming)) {
                        if let Ok((answer, _)) = waiting.take(&url) {
                            return Ok((answer, Some(incoming)));
                        }
                    }
                    log::debug!(target: "xerial::signin", "a callback without this sign-in's state: 404, still waiting");
                }
                incoming.answer(super::http::Reply::status(404)).await;
            }
        }
    }
}

/// The token request's form; every secret in it is redacted from whatever the endpoint echoes.
fn token_request(google: &Google, redirect_uri: &str, code: &str) -> Request {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("client_id", &google.client_id);
    if let Some(secret) = &google.client_secret {
        form.append_pair("client_secret", secret);
    }
    form.append_pair("code_verifier", google.verifier.as_str());
    let request = Request::new(&OAUTH_TOKEN, String::new())
        .private_form(form.finish())
        .secret(code)
        .secret(google.verifier.as_str());
    match &google.client_secret {
        Some(secret) => request.secret(secret),
        None => request,
    }
}

/// Exchanges the code and logs in with the `id_token`.
async fn finish(
    client: &Client,
    google: &Google,
    redirect_uri: &str,
    answer: Answer,
) -> Result<Response<SessionSummary>, Error> {
    let code = answer.into_code()?;
    let id_token = exchange(client, google, redirect_uri, &code).await?;
    client.login_google(&id_token, &google.client_id).await
}

/// The token request (RFC 6749 §4.1.3 with RFC 7636's `code_verifier`) → the `id_token`.
///
/// Through the one transport, with its deadline and redaction. The code is single-use: the
/// request is repeated only when nothing was sent.
async fn exchange(
    client: &Client,
    google: &Google,
    redirect_uri: &str,
    code: &str,
) -> Result<Zeroizing<String>, Error> {
    let request = token_request(google, redirect_uri, code);
    let answer = client.send(&request).await?;
    #[derive(Deserialize)]
    struct TokenAnswer {
        id_token: Option<String>,
    }
    let tokens: TokenAnswer = serde_json::from_slice(&answer.body).map_err(|_| {
        Error::new(ErrorKind::Decode, "the token endpoint's answer is not JSON")
            .with_http_status(answer.status)
    })?;
    tokens
        .id_token
        .filter(|token| !token.is_empty())
        .map(Zeroizing::new)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                "the token endpoint answered without an id_token",
            )
            .with_http_status(answer.status)
        })
}
