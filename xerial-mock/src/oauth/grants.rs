//! What the offline Google remembers between calls: authorization requests waiting for the
//! player's decision, and the codes it issued. Both are bounded (the oldest is forgotten past
//! [`MAX_HELD`]), single use, and short-lived.

use std::collections::VecDeque;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};

use crate::tokens;

/// Requests and codes kept at most, each.
pub const MAX_HELD: usize = 1000;
/// How long the consent page may stay open.
pub const CONSENT_TTL_SECS: i64 = 600;
/// How long a code stays redeemable, unless [`Grants::set_code_ttl_secs`] says otherwise.
pub const DEFAULT_CODE_TTL_SECS: i64 = 120;

/// A validated `GET /oauth/authorize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthRequest {
    /// `client_id`.
    pub client_id: String,
    /// `redirect_uri`, exactly as sent (the token request must repeat it).
    pub redirect_uri: String,
    /// `scope`, as sent.
    pub scope: String,
    /// `code_challenge` (S256).
    pub code_challenge: String,
    /// `state`, echoed in the redirect.
    pub state: Option<String>,
    /// `nonce`, copied into the ID token.
    pub nonce: Option<String>,
}

/// A code's binding: the request it answers and the account the player chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The authorization request.
    pub request: AuthRequest,
    /// The chosen account's e-mail.
    pub email: String,
}

/// Why a code cannot be redeemed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unredeemable {
    /// Never issued, already redeemed, or forgotten.
    Unknown,
    /// Issued, but its time is up.
    Expired,
}

/// Pending consents and issued codes.
#[derive(Debug)]
pub struct Grants {
    pending: VecDeque<(String, AuthRequest, i64)>,
    codes: VecDeque<(String, Grant, i64)>,
    code_ttl_secs: i64,
}

impl Default for Grants {
    fn default() -> Grants {
        Grants {
            pending: VecDeque::new(),
            codes: VecDeque::new(),
            code_ttl_secs: DEFAULT_CODE_TTL_SECS,
        }
    }
}

/// An unguessable identifier (`bytes` random bytes, base64url).
fn random_id(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // SystemRandom fails only when the OS has no randomness; fall back to the mock's ids.
    if SystemRandom::new().fill(&mut buf).is_err() {
        buf = tokens::random_bytes(bytes);
    }
    URL_SAFE_NO_PAD.encode(buf)
}

fn push_bounded<T>(queue: &mut VecDeque<T>, item: T) {
    if queue.len() >= MAX_HELD {
        queue.pop_front();
    }
    queue.push_back(item);
}

impl Grants {
    /// Holds `request` until the player decides; returns its id for the consent form.
    pub fn hold(&mut self, request: AuthRequest) -> String {
        let id = random_id(16);
        push_bounded(&mut self.pending, (id.clone(), request, tokens::now_ms()));
        id
    }

    /// Takes the pending request `id` (once), unless it has timed out.
    pub fn take_pending(&mut self, id: &str) -> Option<AuthRequest> {
        let at = self.pending.iter().position(|(held, _, _)| held == id)?;
        let (_, request, since) = self.pending.remove(at)?;
        (tokens::now_ms() - since < CONSENT_TTL_SECS * 1000).then_some(request)
    }

    /// Issues a code for `grant`. Google's codes start `4/0` (a slash the client must decode).
    pub fn issue_code(&mut self, grant: Grant) -> String {
        let code = format!("4/0{}", random_id(32));
        push_bounded(&mut self.codes, (code.clone(), grant, tokens::now_ms()));
        code
    }

    /// Redeems `code`: it is spent by this presentation, whatever happens next.
    pub fn redeem(&mut self, code: &str) -> Result<Grant, Unredeemable> {
        let at = self
            .codes
            .iter()
            .position(|(issued, _, _)| issued == code)
            .ok_or(Unredeemable::Unknown)?;
        let (_, grant, since) = self.codes.remove(at).ok_or(Unredeemable::Unknown)?;
        if tokens::now_ms() - since >= self.code_ttl_secs.saturating_mul(1000) {
            return Err(Unredeemable::Expired);
        }
        Ok(grant)
    }

    /// Sets how long codes issued from now on, and those outstanding, stay redeemable
    /// (0: already expired when issued; for tests).
    pub fn set_code_ttl_secs(&mut self, secs: i64) {
        self.code_ttl_secs = secs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> AuthRequest {
        AuthRequest {
            client_id: "c".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            scope: "openid email".into(),
            code_challenge: "x".into(),
            state: None,
            nonce: None,
        }
    }

    #[test]
    fn pending_requests_are_taken_once() {
        let mut grants = Grants::default();
        let id = grants.hold(request());
        assert_eq!(grants.take_pending(&id), Some(request()));
        assert_eq!(grants.take_pending(&id), None);
        assert_eq!(grants.take_pending("unknown"), None);
    }

    #[test]
    fn codes_are_single_use_and_expire() {
        let mut grants = Grants::default();
        let grant = Grant {
            request: request(),
            email: "a@b.c".into(),
        };
        let code = grants.issue_code(grant.clone());
        assert!(code.starts_with("4/0") && code.len() > 40);
        assert_eq!(grants.redeem(&code), Ok(grant.clone()));
        assert_eq!(grants.redeem(&code), Err(Unredeemable::Unknown));
        grants.set_code_ttl_secs(0);
        let code = grants.issue_code(grant);
        assert_eq!(grants.redeem(&code), Err(Unredeemable::Expired));
        assert_eq!(grants.redeem(&code), Err(Unredeemable::Unknown));
    }

    #[test]
    fn the_oldest_goes_past_the_cap() {
        let mut grants = Grants::default();
        let first = grants.hold(request());
        for _ in 0..MAX_HELD {
            grants.hold(request());
        }
        assert_eq!(grants.take_pending(&first), None);
    }
}
