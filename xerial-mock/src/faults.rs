//! Fault rules: how a test asks the server to misbehave on purpose.
//!
//! A [`FaultRule`] matches a request by method and path (no query string) and says what to
//! do instead of, or on top of, answering it normally. `"*"` as the method matches any method;
//! `"*"` as the path matches every path, and a path ending in `*` matches every path that
//! starts with what comes before it (`/api/wallet/*`). The active rules live in a
//! [`FaultSet`](crate::fault_set::FaultSet). The same serde type is parsed by
//! `POST /_mock/faults` and taken by [`crate::Mock::add_fault`], so the HTTP admin API and the
//! Rust API cannot drift apart.
//!
//! JSON form (all keys camelCase; `kind` selects the variant):
//!
//! ```json
//! {"method":"POST","path":"/api/auth/logout","times":1,
//!  "fault":{"kind":"status","status":503,"retryAfter":2,"body":{"error":"busy"},"delayMs":100}}
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Default `bytes` of an [`FaultKind::Oversized`] body: 9 MiB, above common client caps.
pub const DEFAULT_OVERSIZED_BYTES: usize = 9 * 1024 * 1024;
/// Default and maximum time a [`FaultKind::Hang`] holds a connection before closing it.
pub const DEFAULT_HANG: Duration = Duration::from_secs(120);
/// Default pause between [`FaultKind::Trickle`] chunks.
pub const DEFAULT_TRICKLE_INTERVAL_MS: u64 = 50;
/// Default size of a [`FaultKind::Trickle`] chunk.
pub const DEFAULT_TRICKLE_CHUNK_BYTES: usize = 4;

/// One fault-injection rule: which requests it matches and what happens to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// HTTP method to match, case-insensitive (`"POST"`), or `"*"` for any.
    pub method: String,
    /// Request path to match, without the query string (`"/api/auth/logout"`); `"*"` for any,
    /// or a prefix followed by `*` (`"/api/wallet/*"`).
    pub path: String,
    /// How many matching requests the rule applies to; `None` means until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// What to do to a matching request.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule that applies `fault` to every `method path` request until cleared.
    pub fn new(method: &str, path: &str, fault: Fault) -> FaultRule {
        FaultRule {
            method: method.to_owned(),
            path: path.to_owned(),
            times: None,
            fault,
        }
    }

    /// Limits the rule to the next `n` matching requests.
    pub fn times(mut self, n: u64) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Checks what serde cannot: a usable status code, header-safe strings, a path.
    pub fn validate(&self) -> Result<(), String> {
        let any_method = self.method == "*";
        if !any_method
            && (self.method.is_empty() || !self.method.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err("\"method\" must be an HTTP method such as POST, or *".into());
        }
        let fixed = self.path.strip_suffix('*').unwrap_or(&self.path);
        let shaped = self.path == "*" || self.path.starts_with('/');
        if !shaped || fixed.contains(['*', '?']) {
            return Err(
                "\"path\" must be *, or start with / (a trailing * matches the rest), without a query string"
                    .into(),
            );
        }
        if self.times == Some(0) {
            return Err("\"times\" must be at least 1".into());
        }
        match &self.fault.kind {
            FaultKind::Status {
                status, body, text, ..
            } => {
                if axum::http::StatusCode::from_u16(*status).is_err() {
                    return Err(format!("\"status\" {status} is not a valid HTTP status"));
                }
                if body.is_some() && text.is_some() {
                    return Err("give \"body\" or \"text\", not both".into());
                }
            }
            FaultKind::ContentType { content_type }
                if axum::http::HeaderValue::from_str(content_type).is_err() =>
            {
                return Err("\"contentType\" is not a valid header value".into());
            }
            FaultKind::Trickle {
                chunk_bytes: Some(0),
                ..
            } => return Err("\"chunkBytes\" must be at least 1".into()),
            _ => {}
        }
        Ok(())
    }

    /// Whether this rule applies to `method path` (see the module docs for `*`).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_matches = self.method == "*" || self.method.eq_ignore_ascii_case(method);
        let path_matches = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        method_matches && path_matches
    }
}

/// What to do to a matched request: a [`FaultKind`] plus an optional delay before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// The behaviour; serialised inline with its `kind` tag.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Milliseconds to wait before applying `kind` (any kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

/// The fault behaviours. Each reaches a distinct client error path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum FaultKind {
    /// Answer `status` with a JSON `body`, a text/plain `text`, or no body; optional
    /// `Retry-After` seconds. The route handler does not run.
    Status {
        /// HTTP status code.
        status: u16,
        /// JSON body, sent as application/json.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
        /// Raw body, sent as text/plain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// Value of the `Retry-After` header, in seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Wait `ms`, then answer normally (the handler runs).
    Delay {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Read the request, then close the connection without a single response byte.
    Drop,
    /// Never answer; close the connection after `maxMs` (default and cap 120 s).
    Hang {
        /// How long to hold the connection, in milliseconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ms: Option<u64>,
    },
    /// `200` application/json whose body is not JSON.
    Malformed,
    /// `200` claiming `Content-Length: 1000`, then ~10 bytes, then the connection closes.
    Truncate,
    /// Answer normally (the handler runs) but send the body `chunkBytes` at a time with
    /// `intervalMs` between chunks.
    Trickle {
        /// Pause between chunks, in milliseconds (default 50).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interval_ms: Option<u64>,
        /// Chunk size in bytes (default 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        chunk_bytes: Option<usize>,
    },
    /// `200` application/json with a valid body larger than `bytes` (default 9 MiB).
    Oversized {
        /// Minimum body size in bytes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<usize>,
    },
    /// Answer normally (the handler runs) but with this `Content-Type`.
    ContentType {
        /// The Content-Type header value to send.
        content_type: String,
    },
}

impl Fault {
    fn of(kind: FaultKind) -> Fault {
        Fault {
            kind,
            delay_ms: None,
        }
    }

    /// `status` with no body.
    pub fn status(status: u16) -> Fault {
        Fault::of(FaultKind::Status {
            status,
            body: None,
            text: None,
            retry_after: None,
        })
    }

    /// `status` with a JSON body.
    pub fn status_json(status: u16, body: Value) -> Fault {
        Fault::of(FaultKind::Status {
            status,
            body: Some(body),
            text: None,
            retry_after: None,
        })
    }

    /// `status` with a text/plain body.
    pub fn status_text(status: u16, text: &str) -> Fault {
        Fault::of(FaultKind::Status {
            status,
            body: None,
            text: Some(text.to_owned()),
            retry_after: None,
        })
    }

    /// Adds a `Retry-After: secs` header (only meaningful on a status fault).
    pub fn retry_after(mut self, secs: u64) -> Fault {
        if let FaultKind::Status { retry_after, .. } = &mut self.kind {
            *retry_after = Some(secs);
        }
        self
    }

    /// Answer normally after `ms` milliseconds.
    pub fn delay(ms: u64) -> Fault {
        Fault::of(FaultKind::Delay { ms })
    }

    /// Close the connection without answering.
    pub fn drop_connection() -> Fault {
        Fault::of(FaultKind::Drop)
    }

    /// Never answer (until the 120 s cap).
    pub fn hang() -> Fault {
        Fault::of(FaultKind::Hang { max_ms: None })
    }

    /// `200` with a body that is not JSON.
    pub fn malformed() -> Fault {
        Fault::of(FaultKind::Malformed)
    }

    /// `200` whose body stops short of its Content-Length.
    pub fn truncate() -> Fault {
        Fault::of(FaultKind::Truncate)
    }

    /// Answer normally, slowly: `chunk` bytes every `interval_ms`.
    pub fn trickle(interval_ms: u64, chunk: usize) -> Fault {
        Fault::of(FaultKind::Trickle {
            interval_ms: Some(interval_ms),
            chunk_bytes: Some(chunk),
        })
    }

    /// `200` with a valid JSON body of more than `bytes` bytes.
    pub fn oversized(bytes: usize) -> Fault {
        Fault::of(FaultKind::Oversized { bytes: Some(bytes) })
    }

    /// Answer normally with the given Content-Type.
    pub fn content_type(content_type: &str) -> Fault {
        Fault::of(FaultKind::ContentType {
            content_type: content_type.to_owned(),
        })
    }

    /// Waits `ms` milliseconds before applying this fault.
    pub fn after_ms(mut self, ms: u64) -> Fault {
        self.delay_ms = Some(ms);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_documented_admin_body() {
        let rule: FaultRule = serde_json::from_value(json!({
            "method": "POST", "path": "/api/auth/logout", "times": 1,
            "fault": {"kind": "status", "status": 500, "body": {"error": "Internal Server Error"}}
        }))
        .expect("parses");
        assert_eq!(
            rule,
            FaultRule::new(
                "POST",
                "/api/auth/logout",
                Fault::status_json(500, json!({"error": "Internal Server Error"}))
            )
            .times(1)
        );
    }

    #[test]
    fn every_kind_round_trips() {
        let faults = [
            Fault::status_text(429, "slow down")
                .retry_after(3)
                .after_ms(5),
            Fault::delay(10),
            Fault::drop_connection(),
            Fault::hang(),
            Fault::malformed(),
            Fault::truncate(),
            Fault::trickle(5, 2),
            Fault::oversized(100),
            Fault::content_type("text/html"),
        ];
        for fault in faults {
            let v = serde_json::to_value(&fault).expect("serialises");
            assert!(v.get("kind").is_some(), "{v}");
            let back: Fault = serde_json::from_value(v).expect("deserialises");
            assert_eq!(back, fault);
        }
        let f: Fault = serde_json::from_value(json!({"kind":"drop","delayMs":7})).expect("unit");
        assert_eq!(f, Fault::drop_connection().after_ms(7));
        let f: Fault = serde_json::from_value(json!({"kind":"trickle","intervalMs":9})).expect("t");
        assert_eq!(
            f.kind,
            FaultKind::Trickle {
                interval_ms: Some(9),
                chunk_bytes: None
            }
        );
        assert!(serde_json::from_value::<Fault>(json!({"kind":"nope"})).is_err());
    }

    #[test]
    fn validation_rejects_nonsense() {
        assert!(FaultRule::new("POST", "/a", Fault::status(42))
            .validate()
            .is_err());
        assert!(FaultRule::new("POST", "a", Fault::status(500))
            .validate()
            .is_err());
        assert!(FaultRule::new("POST", "/a", Fault::status(500))
            .times(0)
            .validate()
            .is_err());
        assert!(FaultRule::new("POST", "/a", Fault::trickle(1, 0))
            .validate()
            .is_err());
        assert!(FaultRule::new("POST", "/a", Fault::status(500))
            .validate()
            .is_ok());
        for (method, path) in [("*", "*"), ("GET", "/api/wallet/*"), ("*", "/a")] {
            assert!(FaultRule::new(method, path, Fault::hang())
                .validate()
                .is_ok());
        }
        for (method, path) in [("*", "/a*b"), ("G*", "/a"), ("GET", "a*"), ("GET", "/a?*")] {
            let rule = FaultRule::new(method, path, Fault::hang());
            assert!(rule.validate().is_err(), "{method} {path}");
        }
    }

    #[test]
    fn wildcards_match_any_method_and_path_prefixes() {
        let any = FaultRule::new("*", "*", Fault::hang());
        assert!(any.matches("DELETE", "/") && any.matches("get", "/api/user"));
        let wallet = FaultRule::new("get", "/api/wallet/*", Fault::hang());
        assert!(wallet.matches("GET", "/api/wallet/0xabc/polygon/eth"));
        assert!(!wallet.matches("POST", "/api/wallet/0xabc/polygon/eth"));
        assert!(!wallet.matches("GET", "/api/user"));
        let exact = FaultRule::new("GET", "/api/user", Fault::hang());
        assert!(exact.matches("get", "/api/user") && !exact.matches("GET", "/api/user/x"));
    }
}
