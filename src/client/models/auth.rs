//! Login results: the signing nonce (#20) and the session summary every login and refresh
//! delivers instead of the tokens.

use serde::{Deserialize, Serialize};

use super::decimal::string_or_number;

/// The message an external wallet signs to log in: `POST /api/nonce` (#20).
///
/// Read from a JSON string or number. Canonical: `{"nonce":"348291"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nonce {
    /// The nonce, exactly as the wallet must sign it.
    #[serde(deserialize_with = "string_or_number")]
    pub nonce: String,
}

/// What a login or refresh result says about the new session: when its tokens expire, never
/// the tokens themselves (they stay inside the SDK; `xerial_session_get` is the one way out).
///
/// Output only: built with [`SessionSummary::new`], read with its accessors. Canonical:
/// `{"accessExpires":"2024-01-12T17:34:35.725Z","refreshExpires":"2027-12-22T15:14:35.726Z"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummary {
    access_expires: String,
    refresh_expires: String,
}

impl SessionSummary {
    /// The summary of a token pair, from its two `expires` values.
    pub fn new(access_expires: &str, refresh_expires: &str) -> SessionSummary {
        SessionSummary {
            access_expires: access_expires.to_owned(),
            refresh_expires: refresh_expires.to_owned(),
        }
    }

    /// When the access token expires (ISO-8601 UTC, as Xerial sent it).
    pub fn access_expires(&self) -> &str {
        &self.access_expires
    }

    /// When the refresh token expires (ISO-8601 UTC, as Xerial sent it).
    pub fn refresh_expires(&self) -> &str {
        &self.refresh_expires
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    #[test]
    fn nonce_string_or_number() {
        let v: Nonce = decode(br#"{ "nonce": "Sign in to Xerial: 0a1b2c" }"#).unwrap();
        assert_eq!(v.nonce, "Sign in to Xerial: 0a1b2c");
        assert_eq!(encode(&v), r#"{"nonce":"Sign in to Xerial: 0a1b2c"}"#);
        let v: Nonce = decode(br#"{"nonce": 348291}"#).unwrap();
        assert_eq!(encode(&v), r#"{"nonce":"348291"}"#);
        for bad in [
            &b"{}"[..],
            br#"{"nonce":null}"#,
            br#"{"nonce":true}"#,
            br#"{"nonce":{}}"#,
        ] {
            assert_eq!(decode::<Nonce>(bad).unwrap_err().kind(), ErrorKind::Decode);
        }
    }

    #[test]
    fn session_summary_has_no_tokens() {
        let s = SessionSummary::new("2024-01-12T17:34:35.725Z", "2027-12-22T15:14:35.726Z");
        assert_eq!(s.access_expires(), "2024-01-12T17:34:35.725Z");
        assert_eq!(s.refresh_expires(), "2027-12-22T15:14:35.726Z");
        assert_eq!(
            encode(&s),
            r#"{"accessExpires":"2024-01-12T17:34:35.725Z","refreshExpires":"2027-12-22T15:14:35.726Z"}"#
        );
    }
}
