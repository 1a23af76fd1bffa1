//! Wallet sign-in with a real EIP-191 `personal_sign` signature of the issued nonce
//! (API reference §2.1 item 3), made here from a fixed test key, next to the `0xok` shortcut.

mod support;

use k256::ecdsa::SigningKey;
use serde_json::{json, Value};
use sha3::{Digest, Keccak256};
use support::{access, demo, Api};
use xerial_mock::MockServer;

/// web3.js's documented example key; its address is published with it.
const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const ADDRESS: &str = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
/// Another key (any scalar works) for "signed by someone else".
const OTHER_KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101";

fn key(hex: &str) -> SigningKey {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    SigningKey::from_slice(&bytes).expect("key")
}

/// What MetaMask's `personal_sign(message, address)` returns: `0x` r ‖ s ‖ v (27/28).
fn personal_sign(key: &SigningKey, message: &str) -> String {
    let mut hasher = Keccak256::new();
    hasher.update(format!("\x19Ethereum Signed Message:\n{}", message.len()));
    hasher.update(message);
    let (signature, recovery) = key.sign_prehash_recoverable(&hasher.finalize());
    let mut bytes = signature.to_bytes().to_vec();
    bytes.push(27 + recovery.to_byte());
    format!(
        "0x{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

async fn nonce(api: &Api, address: &str) -> String {
    let (status, body) = api
        .post("/api/nonce", None, json!({"address": address}))
        .await;
    assert_eq!(status, 200);
    body["nonce"].as_str().expect("nonce").to_owned()
}

async fn login(api: &Api, address: &str, signature: &str) -> (u16, Value) {
    let body = json!({"address": address, "signature": signature, "projectId": demo::PROJECT});
    api.post("/api/auth/metamask", None, body).await
}

fn auth_failed() -> (u16, Value) {
    (400, json!({"code": 400, "message": "Auth Failed"}))
}

#[tokio::test]
async fn a_real_signature_of_the_nonce_logs_in() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let nonce = nonce(&api, ADDRESS).await;
    let (status, pair) = login(&api, ADDRESS, &personal_sign(&key(KEY), &nonce)).await;
    assert_eq!(status, 200, "{pair}");
    let (_, me) = api.get("/api/user", Some(&access(&pair))).await;
    assert_eq!(me["wallets"][0]["address"], ADDRESS);
    assert_eq!(me["wallets"][0]["custodial"], false);
    // The nonce is consumed: the same signature cannot log in again.
    let (status, _) = login(&api, ADDRESS, &personal_sign(&key(KEY), &nonce)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_address_may_be_sent_in_any_case() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let lower = ADDRESS.to_lowercase();
    let nonce = nonce(&api, &lower).await;
    let (status, _) = login(&api, &lower, &personal_sign(&key(KEY), &nonce)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_signatures_fail() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let first = nonce(&api, ADDRESS).await;
    // A new nonce replaces the old one: a signature of the old one no longer counts.
    let current = nonce(&api, ADDRESS).await;
    assert_ne!(first, current);
    let stale = personal_sign(&key(KEY), &first);
    assert_eq!(login(&api, ADDRESS, &stale).await, auth_failed());
    // Signed by another key.
    let other = personal_sign(&key(OTHER_KEY), &current);
    assert_eq!(login(&api, ADDRESS, &other).await, auth_failed());
    // A valid signature, claimed for another address (which has a nonce too).
    let _ = nonce(&api, demo::RIVAL).await;
    let mine = personal_sign(&key(KEY), &current);
    assert_eq!(login(&api, demo::RIVAL, &mine).await, auth_failed());
    // Raw bytes of the message signed without the EIP-191 prefix.
    let (bare, recovery) =
        key(KEY).sign_prehash_recoverable(&Keccak256::digest(current.as_bytes()));
    let mut bytes = bare.to_bytes().to_vec();
    bytes.push(27 + recovery.to_byte());
    let bare: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        login(&api, ADDRESS, &format!("0x{bare}")).await,
        auth_failed()
    );
    // Still usable afterwards: failures do not consume the nonce.
    assert_eq!(login(&api, ADDRESS, &mine).await.0, 200);
}

#[tokio::test]
async fn the_0xok_shortcut_still_works() {
    let server = MockServer::start();
    let api = Api::new(&server);
    let _ = nonce(&api, ADDRESS).await;
    assert_eq!(login(&api, ADDRESS, "0xOK-test").await.0, 200);
}
