//! The key the mock signs Google-style ID tokens with, and RS256 JWTs (*ring*).
//!
//! The key is a fixed RSA-2048 test key embedded in the source (`test_key.pem`), **public and
//! never a secret**: a token it signs proves nothing outside this mock. Fixed rather than made
//! at start because *ring* cannot generate RSA keys and making one (with the `rsa` crate) costs
//! seconds per start in a debug build, while a fixed key gives every run the same `kid` and
//! JWKS, so a client that caches the JWKS, or a test that pins it, keeps working across
//! restarts.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{
    RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use serde_json::{json, Value};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;

/// The `kid` of the key, in token headers and the JWKS.
pub const KEY_ID: &str = "xerial-mock-test-key-1";

/// Longest token [`verify`] looks at (Google's ID tokens are about 1 KB).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

const KEY_PEM: &str = include_str!("test_key.pem");

fn key() -> Result<&'static RsaKeyPair, String> {
    static KEY: OnceLock<Result<RsaKeyPair, String>> = OnceLock::new();
    KEY.get_or_init(|| {
        let der = PrivatePkcs8KeyDer::from_pem_slice(KEY_PEM.as_bytes())
            .map_err(|e| format!("test key PEM: {e}"))?;
        RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).map_err(|e| format!("test key: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn public_components() -> Result<RsaPublicKeyComponents<Vec<u8>>, String> {
    Ok(RsaPublicKeyComponents::from(key()?.public()))
}

/// `claims` as a compact JWS: `{"alg":"RS256","kid":KEY_ID,"typ":"JWT"}`, signed.
pub fn sign(claims: &Value) -> Result<String, String> {
    let header = json!({"alg": "RS256", "kid": KEY_ID, "typ": "JWT"});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = key()?;
    let mut signature = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| "signing failed".to_owned())?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// The claims of `token` when it is a compact JWS signed RS256 by this key (header `alg`
/// RS256; `kid`, when present, this key's); `None` for anything else. Claims are not checked
/// here (see `super::verify_id_token`).
pub fn verify(token: &str) -> Option<Value> {
    if token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, claims) = signing_input.split_once('.')?;
    if claims.contains('.') {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.get("alg")? != "RS256" || header.get("kid").is_some_and(|kid| kid != KEY_ID) {
        return None;
    }
    public_components()
        .ok()?
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).ok()?,
        )
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}

/// The JWKS (`GET /oauth/jwks`): this key as an RSA JWK.
pub fn jwks() -> Result<Value, String> {
    let key = public_components()?;
    Ok(json!({"keys": [{
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": KEY_ID,
        "n": URL_SAFE_NO_PAD.encode(&key.n),
        "e": URL_SAFE_NO_PAD.encode(&key.e),
    }]}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let claims = json!({"sub": "1", "email": "a@b.c"});
        let token = sign(&claims).expect("signs");
        assert_eq!(verify(&token), Some(claims));
        // Another payload under the same signature fails.
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(r#"{"sub":"2","email":"a@b.c"}"#),
            parts[2]
        );
        assert_eq!(verify(&forged), None);
        // alg none, another kid, junk.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            parts[1]
        );
        assert_eq!(verify(&none), None);
        let other_kid = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"other"}"#),
            parts[1],
            parts[2]
        );
        assert_eq!(verify(&other_kid), None);
        for junk in [
            "",
            "a.b",
            "a.b.c.d",
            "...",
            &"x".repeat(MAX_TOKEN_BYTES + 1),
        ] {
            assert_eq!(verify(junk), None, "{junk:.20}");
        }
    }

    #[test]
    fn jwks_publishes_the_key() {
        let jwks = jwks().expect("jwks");
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["kid"], KEY_ID);
        assert_eq!(jwk["e"], "AQAB");
        let n = URL_SAFE_NO_PAD
            .decode(jwk["n"].as_str().expect("n"))
            .expect("base64url");
        assert_eq!(n.len(), 256, "RSA-2048");
    }
}
