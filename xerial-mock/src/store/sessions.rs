//! Live sessions: issued token pairs, keyed by refresh token.
//!
//! Modelled on node-express-boilerplate, which the API reference (§2.1) identifies as
//! Xerial's backend: the refresh token is the server-side session (logout deletes it,
//! refresh rotates it), while access tokens are stateless JWTs that stay valid until
//! their `expires`, even after logout. The mock keeps a table of access tokens only
//! because it does not sign real JWTs.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::tokens::{self, TokenType};

/// Default access-token lifetime (the reference's example shows about 2 h; any value
/// works because clients must read `expires`).
pub const DEFAULT_ACCESS_TTL_SECS: i64 = 3600;
/// Default refresh-token lifetime: 30 days.
pub const DEFAULT_REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;

/// One issued token pair.
#[derive(Clone, Debug)]
pub struct Session {
    /// Owner's user id.
    pub user_id: String,
    /// Access token.
    pub access: String,
    /// Access expiry, epoch ms.
    pub access_expires_ms: i64,
    /// Refresh token.
    pub refresh: String,
    /// Refresh expiry, epoch ms.
    pub refresh_expires_ms: i64,
}

impl Session {
    /// The token pair in Xerial's wire shape.
    pub fn to_json(&self) -> Value {
        json!({
            "access": {"token": self.access, "expires": tokens::iso8601(self.access_expires_ms)},
            "refresh": {"token": self.refresh, "expires": tokens::iso8601(self.refresh_expires_ms)},
        })
    }
}

/// Issued tokens.
#[derive(Debug, Default)]
pub struct Sessions {
    // Live sessions by refresh token; removing an entry is what "revoked" means.
    by_refresh: HashMap<String, Session>,
    // Access token -> (user id, expiry ms). Never revoked, only expires.
    access: HashMap<String, (String, i64)>,
}

impl Sessions {
    /// Issues a new token pair for `user_id`. TTLs may be zero or negative to mint
    /// already-expired tokens for client tests.
    pub fn issue(&mut self, user_id: &str, access_ttl_secs: i64, refresh_ttl_secs: i64) -> Session {
        let now = tokens::now_ms();
        let access_exp = now.saturating_add(access_ttl_secs.saturating_mul(1000));
        let refresh_exp = now.saturating_add(refresh_ttl_secs.saturating_mul(1000));
        let session = Session {
            user_id: user_id.to_owned(),
            access: tokens::jwt(user_id, TokenType::Access, now, access_exp),
            access_expires_ms: access_exp,
            refresh: tokens::jwt(user_id, TokenType::Refresh, now, refresh_exp),
            refresh_expires_ms: refresh_exp,
        };
        self.insert(session.clone());
        session
    }

    /// Stores a session as given (fixtures).
    pub fn insert(&mut self, session: Session) {
        self.access.insert(
            session.access.clone(),
            (session.user_id.clone(), session.access_expires_ms),
        );
        self.by_refresh.insert(session.refresh.clone(), session);
    }

    /// Logout: revokes the session owning `refresh`. False if there is none.
    pub fn revoke(&mut self, refresh: &str) -> bool {
        self.by_refresh.remove(refresh).is_some()
    }

    /// Refresh: revokes the live, unexpired session owning `refresh` and issues a new
    /// pair for the same user with the default lifetimes. `None` means 401.
    pub fn rotate(&mut self, refresh: &str) -> Option<Session> {
        let old = self.by_refresh.get(refresh)?;
        if old.refresh_expires_ms <= tokens::now_ms() {
            return None;
        }
        let user = old.user_id.clone();
        self.by_refresh.remove(refresh);
        Some(self.issue(&user, DEFAULT_ACCESS_TTL_SECS, DEFAULT_REFRESH_TTL_SECS))
    }

    /// The user an unexpired access token belongs to.
    pub fn authenticate(&self, access: &str) -> Option<&str> {
        let (user, exp) = self.access.get(access)?;
        (*exp > tokens::now_ms()).then_some(user.as_str())
    }

    /// Number of live (unrevoked) sessions.
    pub fn live(&self) -> usize {
        self.by_refresh.len()
    }

    /// The live (unrevoked) sessions, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Session> {
        self.by_refresh.values()
    }

    /// Ends now the access token of the live session owning `refresh`, as if it had run out;
    /// the refresh token stays valid. False if there is no such session.
    pub fn expire_access(&mut self, refresh: &str) -> bool {
        let now = tokens::now_ms();
        let Some(session) = self.by_refresh.get_mut(refresh) else {
            return false;
        };
        session.access_expires_ms = session.access_expires_ms.min(now);
        if let Some((_, expires)) = self.access.get_mut(&session.access) {
            *expires = (*expires).min(now);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_revoke_rotate() {
        let mut s = Sessions::default();
        let a = s.issue("u1", 60, 60);
        assert_eq!(s.authenticate(&a.access), Some("u1"));
        let b = s.rotate(&a.refresh).expect("rotates");
        assert_ne!(a.refresh, b.refresh);
        assert!(s.rotate(&a.refresh).is_none(), "old refresh revoked");
        assert!(s.revoke(&b.refresh));
        assert!(!s.revoke(&b.refresh));
        let c = s.issue("u3", 60, 60);
        assert!(s.expire_access(&c.refresh));
        assert_eq!(s.authenticate(&c.access), None);
        assert!(
            s.rotate(&c.refresh).is_some(),
            "the refresh token still works"
        );
        assert!(!s.expire_access("unknown"));
        let expired = s.issue("u2", 0, -1);
        assert_eq!(s.authenticate(&expired.access), None);
        assert!(s.rotate(&expired.refresh).is_none());
    }
}
