//! The sign-in's secrets: the PKCE verifier and its S256 challenge (RFC 7636), `state`, and the
//! loopback listener's path secret. Each is 32 bytes from the operating system's CSPRNG (ring's
//! `SystemRandom`, already in the library through rustls), written base64url without padding:
//! 43 characters of the unreserved set, the shortest verifier RFC 7636 §4.1 allows.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::client::{Error, ErrorKind};

/// Random bytes in each secret (256 bits).
const SECRET_BYTES: usize = 32;

/// A random secret, wiped from memory when dropped and never shown by `Debug`.
pub(crate) struct Secret(Zeroizing<String>);

impl Secret {
    /// A fresh secret from the system's CSPRNG.
    pub(crate) fn random() -> Result<Secret, Error> {
        let mut bytes = Zeroizing::new([0u8; SECRET_BYTES]);
        SystemRandom::new().fill(&mut bytes[..]).map_err(|_| {
            Error::new(
                ErrorKind::Internal,
                "the system's random number generator failed",
            )
        })?;
        Ok(Secret(Zeroizing::new(URL_SAFE_NO_PAD.encode(&bytes[..]))))
    }

    /// The secret as text (base64url, 43 characters).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this secret, in time that does not depend on where they differ.
    pub(crate) fn is(&self, candidate: &str) -> bool {
        same(self.as_str().as_bytes(), candidate.as_bytes())
    }

    /// The PKCE S256 challenge of this secret used as a verifier:
    /// `BASE64URL(SHA256(ASCII(verifier)))` (RFC 7636 §4.2).
    pub(crate) fn challenge(&self) -> String {
        challenge(self.as_str())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

fn challenge(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// Constant-time equality of two byte strings (the length is not secret: every secret here has
/// the same length).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_rfc_7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn secrets_are_43_unreserved_characters_and_differ() {
        let (a, b) = (Secret::random().unwrap(), Secret::random().unwrap());
        for secret in [&a, &b] {
            assert_eq!(secret.as_str().len(), 43);
            assert!(secret
                .as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        }
        assert_ne!(a.as_str(), b.as_str());
        assert!(a.is(a.as_str()));
        assert!(!a.is(b.as_str()));
        assert!(!a.is(&a.as_str()[..42]));
        assert!(!a.is(""));
        assert_eq!(format!("{a:?}"), "Secret([redacted])");
    }
}
