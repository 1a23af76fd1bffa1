//! Typed errors of the core client, and the one place that maps an HTTP status to an error kind.

use std::fmt;
use std::time::Duration;

/// What went wrong, as a category a caller can branch on.
///
/// The FFI layer maps each kind to exactly one `XERIAL_E_*` code; the core never sees those numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad input to a call, or configuration the call needs is missing.
    InvalidArgument,
    /// The call needs a player session and there is none.
    NotLoggedIn,
    /// DNS, connect, TLS or transport failure.
    Network,
    /// The call's deadline passed.
    Timeout,
    /// A value-moving request may have reached the server and no answer came back.
    OutcomeUnknown,
    /// HTTP 400.
    BadRequest,
    /// HTTP 401.
    Unauthorized,
    /// HTTP 403.
    Forbidden,
    /// HTTP 404.
    NotFound,
    /// HTTP 405.
    NotSupported,
    /// HTTP 412.
    PreconditionFailed,
    /// HTTP 429.
    RateLimited,
    /// Any other non-2xx status below 500 (3xx included: redirects are not followed).
    Http,
    /// HTTP 5xx.
    Server,
    /// A 2xx answer that does not match the documented shape (or is too large).
    Decode,
    /// The player or the identity provider refused a sign-in (Google's `access_denied`, a
    /// wallet's 4001, or another `error` the provider answered with).
    Denied,
    /// Not possible in this build or on this platform (e.g. no loopback listener).
    Unavailable,
    /// A bug: a caught panic or an impossible state.
    Internal,
}

impl ErrorKind {
    /// Maps a non-2xx HTTP status to its kind. This is the only place that does so.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            405 => ErrorKind::NotSupported,
            412 => ErrorKind::PreconditionFailed,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Http,
        }
    }

    /// Whether repeating the same call later may succeed, for a request that is safe to repeat.
    /// Value-moving requests narrow this further (see `transport`).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::RateLimited | ErrorKind::Server
        )
    }
}

/// An error from the Xerial client: a kind, a human-readable message and what the server said.
///
/// Messages never contain tokens: the transport redacts every secret it sent before building one.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: u16,
    body: String,
    retry_after: Option<Duration>,
    retryable: bool,
}

impl Error {
    /// An error of `kind` with a message; retryable as the kind suggests.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            http_status: 0,
            body: String::new(),
            retry_after: None,
            retryable: kind.is_transient(),
        }
    }

    /// `InvalidArgument` naming the argument at fault.
    pub fn invalid_argument(argument: &str, problem: &str) -> Error {
        Error::new(ErrorKind::InvalidArgument, format!("{argument}: {problem}"))
    }

    /// `NotLoggedIn` with the standard message.
    pub fn not_logged_in() -> Error {
        Error::new(ErrorKind::NotLoggedIn, "no player session")
    }

    /// An HTTP error answer: `status`, the server's message and its JSON error body (or "").
    pub(crate) fn http(status: u16, message: String, body: String) -> Error {
        Error {
            http_status: status,
            body,
            ..Error::new(ErrorKind::from_status(status), message)
        }
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Error {
        self.retry_after = retry_after;
        self
    }

    pub(crate) fn with_http_status(mut self, status: u16) -> Error {
        self.http_status = status;
        self
    }

    pub(crate) fn with_retryable(mut self, retryable: bool) -> Error {
        self.retryable = retryable;
        self
    }

    /// The message and the body, moved out (for the C result, without copying them).
    pub(crate) fn into_message_and_body(self) -> (String, String) {
        (self.message, self.body)
    }

    /// The category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The server's `message` when it sent one, otherwise a short reason.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, 0 when no HTTP answer was received.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The server's JSON error body (compact, secrets redacted), "" when none.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether repeating the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.http_status {
            0 => write!(f, "{:?}: {}", self.kind, self.message),
            status => write!(f, "{:?} (HTTP {status}): {}", self.kind, self.message),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_table_matches_the_abi() {
        let table = [
            (400, ErrorKind::BadRequest),
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (405, ErrorKind::NotSupported),
            (412, ErrorKind::PreconditionFailed),
            (429, ErrorKind::RateLimited),
            (302, ErrorKind::Http),
            (409, ErrorKind::Http),
            (418, ErrorKind::Http),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
            (599, ErrorKind::Server),
        ];
        for (status, kind) in table {
            assert_eq!(ErrorKind::from_status(status), kind, "status {status}");
        }
    }

    #[test]
    fn http_errors_are_retryable_only_when_transient() {
        assert!(Error::http(503, "x".into(), String::new()).is_retryable());
        assert!(Error::http(429, "x".into(), String::new()).is_retryable());
        assert!(!Error::http(404, "x".into(), String::new()).is_retryable());
        assert!(!Error::new(ErrorKind::OutcomeUnknown, "x").is_retryable());
    }
}
