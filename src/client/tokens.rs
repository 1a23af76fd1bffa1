//! Xerial's token pair: what a session is, how it reads and writes as JSON, and how it is wiped.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::clock::system_now;
use super::error::Error;
use super::time::parse_rfc3339;

/// One token and when it expires (ISO-8601 UTC, as Xerial sends it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The JWT. Never logged: `Debug` redacts it.
    pub token: String,
    /// Expiry, e.g. `2024-01-12T17:34:35.725Z`.
    pub expires: String,
}

/// Tokens are wiped from memory when dropped (logout, refresh, shutdown), not left for the
/// allocator to hand out again.
impl Drop for Token {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.token);
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"[redacted]")
            .field("expires", &self.expires)
            .finish()
    }
}

/// Xerial's token pair `{access:{token,expires}, refresh:{token,expires}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPair {
    /// Sent as `Authorization: Bearer …`.
    pub access: Token,
    /// Used to refresh the pair and to log out.
    pub refresh: Token,
}

impl TokenPair {
    /// Parses and validates the JSON Xerial returns: both tokens non-empty, both expiries ISO-8601.
    pub fn from_json(json: &str) -> Result<TokenPair, Error> {
        let pair: TokenPair = serde_json::from_str(json).map_err(|e| {
            Error::invalid_argument("tokens_json", &format!("not a token pair ({e})"))
        })?;
        for (name, token) in [("access", &pair.access), ("refresh", &pair.refresh)] {
            if token.token.is_empty() {
                return Err(Error::invalid_argument(
                    "tokens_json",
                    &format!("{name}.token is empty"),
                ));
            }
            if parse_rfc3339(&token.expires).is_none() {
                return Err(Error::invalid_argument(
                    "tokens_json",
                    &format!("{name}.expires is not an ISO-8601 time"),
                ));
            }
        }
        Ok(pair)
    }

    /// The canonical JSON form, which is also the persisted file's content; wiped when dropped.
    pub fn to_json(&self) -> Zeroizing<String> {
        // Serialising two structs of strings cannot fail. Sized up front: a buffer that grows
        // would leave unwiped copies of its first part behind.
        let capacity = 64
            + self.access.token.len()
            + self.refresh.token.len()
            + self.access.expires.len()
            + self.refresh.expires.len();
        let mut json = Zeroizing::new(Vec::with_capacity(capacity * 2));
        let _ = serde_json::to_writer(&mut *json, self);
        Zeroizing::new(String::from_utf8(std::mem::take(&mut *json)).unwrap_or_default())
    }
}

impl Token {
    /// Whether this token expires within `margin` from now (an unreadable expiry counts as
    /// expired: the SDK would rather refresh once too often than send a dead token).
    pub fn expires_within(&self, margin: Duration) -> bool {
        parse_rfc3339(&self.expires).is_none_or(|expires| expires <= system_now() + margin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: &str = r#"{"access":{"token":"a.b.c","expires":"2024-01-12T17:34:35.725Z"},"refresh":{"token":"d.e.f","expires":"2027-12-22T15:14:35.726Z"}}"#;

    #[test]
    fn token_pair_round_trips_and_validates() {
        let pair = TokenPair::from_json(PAIR).unwrap();
        assert_eq!(*pair.to_json(), PAIR);
        assert!(!format!("{pair:?}").contains("a.b.c"));
        for bad in [
            "",
            "{}",
            "not json",
            r#"{"access":{"token":"","expires":"2024-01-12T17:34:35Z"},"refresh":{"token":"x","expires":"2024-01-12T17:34:35Z"}}"#,
            r#"{"access":{"token":"a","expires":"tomorrow"},"refresh":{"token":"x","expires":"2024-01-12T17:34:35Z"}}"#,
        ] {
            assert!(TokenPair::from_json(bad).is_err(), "{bad}");
        }
    }
}
