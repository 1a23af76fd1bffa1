//! Login attempts: the hand-off by which Xerial's hosted login page gives a game its session.
//!
//! The hosted page logs the player in, then `POST /login-attempt/{id}/set-session`
//! `{refreshToken, accessToken}` → `204` (API reference §2.1 item 5, §3.1 #22). How a game
//! *creates* an attempt and *polls* it for the tokens is not public (§7 q6), so the mock
//! invents neither: an attempt exists once a session is set on it, and only the admin API
//! shows it.

use std::collections::VecDeque;

use serde_json::{json, Value};

use crate::tokens;

/// Attempts kept; the oldest is forgotten past this (the ids come from the network).
pub const MAX_ATTEMPTS: usize = 1000;

/// One attempt with the session set on it.
#[derive(Clone, Debug)]
pub struct LoginAttempt {
    /// The `{loginAttemptId}` path segment.
    pub id: String,
    /// The access token set on it.
    pub access_token: String,
    /// The refresh token set on it.
    pub refresh_token: String,
    /// The user the access token authenticated when it was set, if any.
    pub user_id: Option<String>,
    /// When it was (last) set, epoch ms.
    pub set_at_ms: i64,
}

impl LoginAttempt {
    /// The admin view: `{"id","accessToken","refreshToken","userId","setAt"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "accessToken": self.access_token,
            "refreshToken": self.refresh_token,
            "userId": self.user_id,
            "setAt": tokens::iso8601(self.set_at_ms),
        })
    }
}

/// Attempts with a session set, oldest first.
#[derive(Debug, Default)]
pub struct LoginAttempts {
    attempts: VecDeque<LoginAttempt>,
}

impl LoginAttempts {
    /// Sets (or replaces) the session of attempt `attempt.id`.
    pub fn set(&mut self, attempt: LoginAttempt) {
        self.attempts.retain(|a| a.id != attempt.id);
        if self.attempts.len() >= MAX_ATTEMPTS {
            self.attempts.pop_front();
        }
        self.attempts.push_back(attempt);
    }

    /// The attempt with `id`.
    pub fn get(&self, id: &str) -> Option<&LoginAttempt> {
        self.attempts.iter().find(|a| a.id == id)
    }

    /// Every attempt, oldest first.
    pub fn all(&self) -> impl Iterator<Item = &LoginAttempt> {
        self.attempts.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(id: &str, access: &str) -> LoginAttempt {
        LoginAttempt {
            id: id.to_owned(),
            access_token: access.to_owned(),
            refresh_token: "r".to_owned(),
            user_id: None,
            set_at_ms: 0,
        }
    }

    #[test]
    fn set_replaces_and_the_oldest_goes_past_the_cap() {
        let mut attempts = LoginAttempts::default();
        attempts.set(attempt("a", "1"));
        attempts.set(attempt("a", "2"));
        assert_eq!(attempts.all().count(), 1);
        assert_eq!(
            attempts.get("a").map(|a| a.access_token.as_str()),
            Some("2")
        );
        for i in 0..MAX_ATTEMPTS {
            attempts.set(attempt(&i.to_string(), "x"));
        }
        assert_eq!(attempts.all().count(), MAX_ATTEMPTS);
        assert!(attempts.get("a").is_none());
        assert!(attempts.get("0").is_some());
    }
}
