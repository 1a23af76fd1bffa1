//! The offline server plays Google's sign-in: an OAuth 2.0 authorization server with PKCE for
//! installed apps, issuing OpenID Connect ID tokens that `POST /api/auth/google` accepts.
//!
//! Routes (`crate::routes::oauth`): `GET /oauth/authorize` (consent page), `POST
//! /oauth/authorize` (the player's decision), `POST /oauth/token`, `GET /oauth/jwks`, `GET
//! /.well-known/openid-configuration`. The checks follow Google's documented protocol (RFC 6749,
//! RFC 7636, RFC 8252, OpenID Connect Core); what Google keeps to itself (its client registry,
//! its key) is replaced by the rules in [`params`] and the test key in [`key`].
//!
//! - [`params`]: what a client must send (client id shape, redirect URIs, PKCE values).
//! - [`grants`]: requests awaiting consent and the codes issued, single use and short-lived.
//! - [`key`]: the RS256 signing key (fixed, public, test-only), JWTs and the JWKS.
//! - [`page`]: the consent and error pages.

pub mod grants;
pub mod key;
pub mod page;
pub mod params;

use ring::digest::{digest, SHA256};
use serde_json::{json, Value};

use crate::tokens;
use grants::Grant;

/// Lifetime of an ID token (and of the access token beside it), as Google's: one hour.
pub const ID_TOKEN_TTL_SECS: i64 = 3600;

/// The `sub` of an account: stable for an e-mail address across runs, 21 digits like Google's.
pub fn subject(email: &str) -> String {
    let hash = digest(&SHA256, email.to_ascii_lowercase().as_bytes());
    let mut wide = [0u8; 16];
    wide.copy_from_slice(&hash.as_ref()[..16]);
    let n = u128::from_be_bytes(wide) % 10u128.pow(20);
    format!("1{n:020}")
}

/// The ID token for `grant`, issued by `issuer` now.
pub fn id_token(grant: &Grant, issuer: &str) -> Result<String, String> {
    let iat = tokens::now_ms().div_euclid(1000);
    let mut claims = json!({
        "iss": issuer,
        "azp": grant.request.client_id,
        "aud": grant.request.client_id,
        "sub": subject(&grant.email),
        "email": grant.email,
        "email_verified": true,
        "iat": iat,
        "exp": iat + ID_TOKEN_TTL_SECS,
    });
    if let (Some(nonce), Some(obj)) = (&grant.request.nonce, claims.as_object_mut()) {
        obj.insert("nonce".into(), Value::String(nonce.clone()));
    }
    key::sign(&claims)
}

/// The e-mail of an ID token this mock issued, when it is valid for `client_id`: signed by
/// [`key`], `aud` equal to `client_id`, `iss` equal to `issuer`, `exp` not past. `None`
/// otherwise (the caller answers `400 Auth Failed`).
pub fn verify_id_token(token: &str, client_id: &str, issuer: &str) -> Option<String> {
    let claims = key::verify(token)?;
    let audience_ok = match claims.get("aud")? {
        Value::String(aud) => aud == client_id,
        Value::Array(auds) => auds.iter().any(|aud| aud == client_id),
        _ => false,
    };
    let unexpired = claims.get("exp")?.as_i64()? > tokens::now_ms().div_euclid(1000);
    let issued_here = claims.get("iss")? == issuer;
    let email = claims.get("email")?.as_str()?;
    (audience_ok && unexpired && issued_here && params::is_email(email)).then(|| email.to_owned())
}

/// `GET /.well-known/openid-configuration` for `issuer`.
pub fn discovery(issuer: &str) -> Value {
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "jwks_uri": format!("{issuer}/oauth/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["aud", "azp", "email", "email_verified", "exp", "iat", "iss", "nonce", "sub"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use grants::AuthRequest;

    fn grant(nonce: Option<&str>) -> Grant {
        Grant {
            request: AuthRequest {
                client_id: "1-a.apps.googleusercontent.com".into(),
                redirect_uri: "http://127.0.0.1/cb".into(),
                scope: "openid email".into(),
                code_challenge: "x".into(),
                state: None,
                nonce: nonce.map(str::to_owned),
            },
            email: "player@example.com".into(),
        }
    }

    #[test]
    fn subjects_are_stable_21_digits() {
        let sub = subject("Player@Example.com");
        assert_eq!(sub, subject("player@example.com"));
        assert_eq!(sub.len(), 21);
        assert!(sub.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(sub, subject("rival@example.com"));
    }

    #[test]
    fn id_tokens_verify_for_their_audience_and_issuer_only() {
        let issuer = "http://127.0.0.1:9";
        let token = id_token(&grant(Some("n-1")), issuer).expect("signs");
        let claims = key::verify(&token).expect("signed");
        assert_eq!(claims["nonce"], "n-1");
        assert_eq!(
            claims["exp"].as_i64(),
            claims["iat"].as_i64().map(|t| t + 3600)
        );
        let client = "1-a.apps.googleusercontent.com";
        assert_eq!(
            verify_id_token(&token, client, issuer).as_deref(),
            Some("player@example.com")
        );
        assert_eq!(
            verify_id_token(&token, "2-b.apps.googleusercontent.com", issuer),
            None
        );
        assert_eq!(verify_id_token(&token, client, "http://127.0.0.1:10"), None);
        let no_nonce = id_token(&grant(None), issuer).expect("signs");
        assert!(key::verify(&no_nonce)
            .expect("signed")
            .get("nonce")
            .is_none());
    }

    #[test]
    fn expired_tokens_fail() {
        let now = tokens::now_ms().div_euclid(1000);
        let claims = json!({"iss": "i", "aud": "c", "email": "a@b.co", "exp": now - 1});
        let token = key::sign(&claims).expect("signs");
        assert_eq!(verify_id_token(&token, "c", "i"), None);
        let claims = json!({"iss": "i", "aud": ["x", "c"], "email": "a@b.co", "exp": now + 60});
        let token = key::sign(&claims).expect("signs");
        assert_eq!(verify_id_token(&token, "c", "i").as_deref(), Some("a@b.co"));
    }
}
