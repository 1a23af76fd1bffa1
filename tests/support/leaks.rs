//! Finding secrets where they must not be: every log line (captured at TRACE) and every
//! delivered message and body, searched for each secret whole and for every piece of it.

use std::ffi::{c_char, c_void, CStr};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;
use xerial::*;

use super::Ledger;

/// Secrets shorter than this are searched whole; longer ones also by every window this long,
/// so a token cut short (a prefix, a suffix, a middle) is still found.
const WINDOW: usize = 16;

// ---------------------------------------------------------------------------------------------
// What the game would see: log lines and results.

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

unsafe extern "C" fn on_log(_user_data: *mut c_void, level: i32, message: *const c_char) {
    let message = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    LOG.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(format!("[{level}] {message}"));
}

pub fn log_lines() -> Vec<String> {
    LOG.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

pub fn start_logging() {
    LOG.lock().unwrap_or_else(PoisonError::into_inner).clear();
    xerial_set_log_callback(Some(on_log), std::ptr::null_mut(), XERIAL_LOG_TRACE);
}

/// The current session's token pair, through `xerial_session_get` (the one place tokens go out).
pub fn session_pair() -> Option<Value> {
    let mut len = 0usize;
    if unsafe { xerial_session_get(std::ptr::null_mut(), 0, &mut len) } == XERIAL_E_NOT_LOGGED_IN {
        return None;
    }
    let mut buf = vec![0 as c_char; len];
    assert_eq!(
        unsafe { xerial_session_get(buf.as_mut_ptr(), buf.len(), &mut len) },
        XERIAL_OK
    );
    let text = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
    Some(serde_json::from_str(text).unwrap())
}

/// Every secret the test handed out or the SDK held.
#[derive(Default)]
pub struct Secrets(pub Vec<String>);

impl Secrets {
    pub fn add(&mut self, secret: &str) {
        if !self.0.iter().any(|s| s == secret) {
            self.0.push(secret.to_owned());
        }
    }

    pub fn add_pair(&mut self, pair: &Value) {
        for which in ["access", "refresh"] {
            self.add(pair[which]["token"].as_str().expect("token"));
        }
    }

    /// Records the session's tokens now; returns (access, refresh).
    pub fn add_session(&mut self) -> (String, String) {
        let pair = session_pair().expect("a session");
        self.add_pair(&pair);
        (
            pair["access"]["token"].as_str().unwrap().to_owned(),
            pair["refresh"]["token"].as_str().unwrap().to_owned(),
        )
    }

    /// Where `text` shows a secret, or a piece of one.
    pub fn found_in(&self, text: &str) -> Option<String> {
        if let Some(secret) = self.0.iter().find(|s| text.contains(s.as_str())) {
            return Some(format!("the whole secret {secret:?}"));
        }
        for secret in &self.0 {
            if secret.len() > WINDOW {
                for start in 0..=secret.len() - WINDOW {
                    let piece = &secret[start..start + WINDOW];
                    if text.contains(piece) {
                        return Some(format!("{piece:?}, a piece of {secret:?}"));
                    }
                }
            }
        }
        // "Bearer <value>" with anything but the redaction marker as the value.
        let lower = text.to_ascii_lowercase();
        lower.match_indices("bearer ").find_map(|(at, _)| {
            let value = lower[at + "bearer ".len()..].trim_start();
            let token_like = value
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_alphanumeric() || "-._~+/".contains(ch));
            token_like.then(|| format!("an Authorization value ({:?})", &text[at..]))
        })
    }

    /// Every leak in every log line and every delivered message and body.
    pub fn leaks(&self, ledger: &Ledger) -> Vec<String> {
        let mut leaks = Vec::new();
        for line in log_lines() {
            if let Some(what) = self.found_in(&line) {
                leaks.push(format!("log line {line:?} shows {what}"));
            }
        }
        let mut ids = ledger.ids();
        ids.sort_unstable();
        for id in ids {
            for d in ledger.get(id) {
                for (field, text) in [("message", &d.message), ("body", &d.body)] {
                    if let Some(what) = self.found_in(text) {
                        leaks.push(format!("request {id} {field} {text:?} shows {what}"));
                    }
                }
            }
        }
        leaks
    }
}
