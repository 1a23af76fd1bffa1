//! The one conversion from a Rust result to what a callback receives, and the code table.

use std::ffi::{c_char, CStr};

use super::strings::CText;
use super::types::*;
use crate::client::{Error, ErrorKind, NoContent, RawJson};

/// An owned result, queued until its callback runs; [`Outcome::view`] lends it to C.
#[derive(Debug)]
pub(crate) struct Outcome {
    code: i32,
    http_status: i32,
    /// Most results have no message or no body: empty texts allocate nothing.
    message: CText,
    body: CText,
    retry_after_ms: u32,
    retryable: bool,
}

impl Outcome {
    /// A 2xx answer with the canonical JSON `body` ("" for no content).
    pub(crate) fn success(http_status: u16, body: String) -> Outcome {
        Outcome {
            code: XERIAL_OK,
            http_status: i32::from(http_status),
            message: CText::default(),
            body: CText::new(body),
            retry_after_ms: 0,
            retryable: false,
        }
    }

    /// A failure, mapped by the code table.
    pub(crate) fn failure(error: Error) -> Outcome {
        let retry_after_ms = error
            .retry_after()
            .map_or(0, |d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX));
        let (code, http_status, retryable) = (
            code_of(error.kind()),
            i32::from(error.http_status()),
            error.is_retryable(),
        );
        let (message, body) = error.into_message_and_body();
        Outcome {
            code,
            http_status,
            message: CText::new(message),
            body: CText::new(body),
            retry_after_ms,
            retryable,
        }
    }

    /// A result the SDK decides without the server (cancel, shutdown, panic).
    pub(crate) fn local(code: i32, message: &str) -> Outcome {
        Outcome {
            code,
            http_status: 0,
            message: CText::new(message.to_owned()),
            body: CText::default(),
            retry_after_ms: 0,
            retryable: false,
        }
    }

    /// The C view of this outcome, borrowing from it.
    pub(crate) fn view(&self, request_id: XerialRequestId) -> XerialResult {
        XerialResult {
            request_id,
            code: self.code,
            http_status: self.http_status,
            message: self.message.as_ptr(),
            body: self.body.as_ptr(),
            body_len: self.body.len(),
            retry_after_ms: self.retry_after_ms,
            retryable: u8::from(self.retryable),
        }
    }
}

/// What a successful call puts in `XerialResult.body`.
pub(crate) trait IntoBody {
    fn into_body(self) -> String;
}

impl IntoBody for NoContent {
    fn into_body(self) -> String {
        String::new()
    }
}

impl IntoBody for RawJson {
    fn into_body(self) -> String {
        self.0
    }
}

/// Every typed model is delivered as its canonical JSON.
impl<T: serde::Serialize> IntoBody for T {
    fn into_body(self) -> String {
        crate::client::models::encode(&self)
    }
}

/// The only mapping from an error kind to an ABI code.
pub(crate) fn code_of(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::InvalidArgument => XERIAL_E_INVALID_ARGUMENT,
        ErrorKind::NotLoggedIn => XERIAL_E_NOT_LOGGED_IN,
        ErrorKind::Network => XERIAL_E_NETWORK,
        ErrorKind::Timeout => XERIAL_E_TIMEOUT,
        ErrorKind::OutcomeUnknown => XERIAL_E_OUTCOME_UNKNOWN,
        ErrorKind::BadRequest => XERIAL_E_BAD_REQUEST,
        ErrorKind::Unauthorized => XERIAL_E_UNAUTHORIZED,
        ErrorKind::Forbidden => XERIAL_E_FORBIDDEN,
        ErrorKind::NotFound => XERIAL_E_NOT_FOUND,
        ErrorKind::NotSupported => XERIAL_E_NOT_SUPPORTED,
        ErrorKind::PreconditionFailed => XERIAL_E_PRECONDITION_FAILED,
        ErrorKind::RateLimited => XERIAL_E_RATE_LIMITED,
        ErrorKind::Http => XERIAL_E_HTTP,
        ErrorKind::Server => XERIAL_E_SERVER,
        ErrorKind::Decode => XERIAL_E_DECODE,
        ErrorKind::Denied => XERIAL_E_DENIED,
        ErrorKind::Unavailable => XERIAL_E_UNAVAILABLE,
        ErrorKind::Internal => XERIAL_E_INTERNAL,
    }
}

/// Every code with its name (contract §5).
const CODE_NAMES: [(i32, &CStr); 24] = [
    (XERIAL_OK, c"XERIAL_OK"),
    (XERIAL_E_INVALID_ARGUMENT, c"XERIAL_E_INVALID_ARGUMENT"),
    (XERIAL_E_NOT_INITIALIZED, c"XERIAL_E_NOT_INITIALIZED"),
    (
        XERIAL_E_ALREADY_INITIALIZED,
        c"XERIAL_E_ALREADY_INITIALIZED",
    ),
    (XERIAL_E_NOT_LOGGED_IN, c"XERIAL_E_NOT_LOGGED_IN"),
    (XERIAL_E_CANCELLED, c"XERIAL_E_CANCELLED"),
    (XERIAL_E_SHUTDOWN, c"XERIAL_E_SHUTDOWN"),
    (XERIAL_E_BUFFER_TOO_SMALL, c"XERIAL_E_BUFFER_TOO_SMALL"),
    (XERIAL_E_DENIED, c"XERIAL_E_DENIED"),
    (XERIAL_E_UNAVAILABLE, c"XERIAL_E_UNAVAILABLE"),
    (XERIAL_E_NETWORK, c"XERIAL_E_NETWORK"),
    (XERIAL_E_TIMEOUT, c"XERIAL_E_TIMEOUT"),
    (XERIAL_E_OUTCOME_UNKNOWN, c"XERIAL_E_OUTCOME_UNKNOWN"),
    (XERIAL_E_BAD_REQUEST, c"XERIAL_E_BAD_REQUEST"),
    (XERIAL_E_UNAUTHORIZED, c"XERIAL_E_UNAUTHORIZED"),
    (XERIAL_E_FORBIDDEN, c"XERIAL_E_FORBIDDEN"),
    (XERIAL_E_NOT_FOUND, c"XERIAL_E_NOT_FOUND"),
    (XERIAL_E_NOT_SUPPORTED, c"XERIAL_E_NOT_SUPPORTED"),
    (
        XERIAL_E_PRECONDITION_FAILED,
        c"XERIAL_E_PRECONDITION_FAILED",
    ),
    (XERIAL_E_RATE_LIMITED, c"XERIAL_E_RATE_LIMITED"),
    (XERIAL_E_HTTP, c"XERIAL_E_HTTP"),
    (XERIAL_E_SERVER, c"XERIAL_E_SERVER"),
    (XERIAL_E_DECODE, c"XERIAL_E_DECODE"),
    (XERIAL_E_INTERNAL, c"XERIAL_E_INTERNAL"),
];

/// The static name of `code`, `"XERIAL_E_UNKNOWN"` for values not in the table.
pub(crate) fn code_name(code: i32) -> *const c_char {
    CODE_NAMES
        .iter()
        .find(|(value, _)| *value == code)
        .map_or(c"XERIAL_E_UNKNOWN", |(_, name)| *name)
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_match_their_values() {
        for (i, (value, name)) in CODE_NAMES.iter().enumerate() {
            assert!(CODE_NAMES[i + 1..].iter().all(|(v, _)| v != value));
            let read = unsafe { CStr::from_ptr(code_name(*value)) };
            assert_eq!(read, *name);
        }
        let unknown = unsafe { CStr::from_ptr(code_name(12345)) };
        assert_eq!(unknown, c"XERIAL_E_UNKNOWN");
    }

    #[test]
    fn the_view_borrows_the_outcome() {
        let outcome = Outcome::success(204, String::new());
        let view = outcome.view(7);
        assert_eq!(
            (view.request_id, view.code, view.http_status, view.body_len),
            (7, 0, 204, 0)
        );
        assert_eq!(unsafe { CStr::from_ptr(view.message) }, c"");
    }
}
