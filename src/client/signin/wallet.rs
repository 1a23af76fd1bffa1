//! Sign in with a browser wallet: the listener serves `wallet.html`, whose script asks the
//! page's EIP-1193 provider (MetaMask or any other) for the account and a `personal_sign` of the
//! nonce, posting each step back; the SDK does the Xerial calls (`POST /api/nonce`,
//! `POST /api/auth/metamask`). The page learns the nonce — which it must sign — and whether the
//! login worked; never a token.
//!
//! Steps are accepted only in order: the address once, then the signature once (the one
//! completion); a refusal (`denied`, `no-wallet`) at any point before that ends the sign-in.

use serde::Deserialize;
use serde_json::json;

use super::http::{Method, Reply};
use super::listener::{Incoming, Listener};
use super::opener::OpenUrl;
use super::pages;
use crate::client::models::SessionSummary;
use crate::client::validate;
use crate::client::{Client, Error, ErrorKind, Response};

/// Longest wallet message kept for the game (the page is untrusted).
const MAX_WALLET_TEXT: usize = 200;

#[derive(Deserialize)]
struct AddressStep {
    address: String,
}

#[derive(Deserialize)]
struct SignatureStep {
    signature: String,
}

#[derive(Deserialize)]
struct Refusal {
    code: Option<i64>,
    message: Option<String>,
}

/// The whole wallet sign-in, up to the login's result.
pub(super) async fn sign_in(
    client: Client,
    open_url: OpenUrl,
) -> Result<Response<SessionSummary>, Error> {
    let mut listener = Listener::bind().await?;
    open_url(listener.url("/"))?;
    log::info!(target: "xerial::signin", "wallet sign-in: waiting for the player in the browser");
    let mut address: Option<String> = None;
    loop {
        let incoming = listener.next().await;
        match (incoming.method, incoming.path.as_str(), &address) {
            (Method::Get, "/", _) => incoming.answer(pages::wallet()).await,
            (Method::Post, "/address", None) => {
                let Some(step) = step::<AddressStep>(&incoming) else {
                    incoming.answer(Reply::status(400)).await;
                    continue;
                };
                if validate::address("address", &step.address).is_err() {
                    incoming.answer(Reply::status(400)).await;
                    continue;
                }
                match client.request_nonce(&step.address).await {
                    Ok(nonce) => {
                        incoming
                            .answer(Reply::json(&json!({ "nonce": nonce.value.nonce })))
                            .await;
                        address = Some(step.address);
                    }
                    Err(error) => {
                        incoming.answer(Reply::json(&json!({ "ok": false }))).await;
                        return Err(error);
                    }
                }
            }
            (Method::Post, "/signature", Some(address)) => {
                let Some(step) = step::<SignatureStep>(&incoming) else {
                    incoming.answer(Reply::status(400)).await;
                    continue;
                };
                let result = client.login_wallet(address, &step.signature).await;
                incoming.answer_last(Reply::json(&json!({ "ok": result.is_ok() })));
                return result;
            }
            (Method::Post, "/denied", _) => {
                let refusal = step::<Refusal>(&incoming);
                incoming.answer(Reply::json(&json!({ "ok": true }))).await;
                return Err(denied(refusal));
            }
            (Method::Post, "/no-wallet", _) => {
                incoming.answer(Reply::json(&json!({ "ok": true }))).await;
                return Err(Error::new(
                    ErrorKind::Unavailable,
                    "no browser wallet (EIP-1193 window.ethereum) in the player's browser",
                ));
            }
            _ => incoming.answer(Reply::status(404)).await,
        }
    }
}

/// A step's JSON body.
fn step<T: serde::de::DeserializeOwned>(incoming: &Incoming) -> Option<T> {
    serde_json::from_slice(&incoming.body).ok()
}

/// The wallet's refusal as `Denied`: its EIP-1193 code and message, printable and bounded.
fn denied(refusal: Option<Refusal>) -> Error {
    let (code, message) = refusal.map_or((None, None), |r| (r.code, r.message));
    let message: String = message
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_WALLET_TEXT)
        .collect();
    let text = match (code, message.is_empty()) {
        (Some(code), false) => format!("the wallet refused: {message} ({code})"),
        (Some(code), true) => format!("the wallet refused ({code})"),
        (None, false) => format!("the wallet refused: {message}"),
        (None, true) => "the wallet refused".to_owned(),
    };
    Error::new(ErrorKind::Denied, text)
}
