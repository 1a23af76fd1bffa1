//! What a failed attempt means: whether it is tried again and after how long, or the error the
//! caller sees. Only [`Repeat::Safe`] calls are retried once something may have been sent, and a
//! value-moving call whose answer was lost is `OutcomeUnknown`, never retried.

use std::time::Duration;

use crate::client::endpoint::Repeat;
use crate::client::error::{Error, ErrorKind};
use crate::client::error_answer::{redact, Secrets};

/// First backoff step and the cap, as the contract gives them (full jitter in between).
const BACKOFF_BASE: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(2);

/// Why one attempt failed, with what is known about whether the request left.
pub(super) enum Failure {
    /// The connection failed before anything was sent (refused, DNS, TLS handshake).
    NotSent(String),
    /// Something may have been sent and the answer was lost (reset, closed, truncated).
    Lost(String),
    /// The whole call's deadline passed.
    Deadline,
    /// The deadline passed while the call waited for a free connection: nothing was sent.
    NoConnection,
    /// The server answered with an error status.
    Status(Error),
    /// A 2xx answer that cannot be used (too large).
    Unusable(Error),
}

/// How long to wait before the next attempt, or `None` when this failure is not retried.
pub(super) fn retry_delay(failure: &Failure, repeat: Repeat, attempt: u32) -> Option<Duration> {
    match failure {
        Failure::NotSent(_) => Some(backoff(attempt)),
        Failure::Lost(_) if repeat == Repeat::Safe => Some(backoff(attempt)),
        Failure::Status(error) if repeat == Repeat::Safe && error.kind().is_transient() => {
            Some(error.retry_after().unwrap_or_else(|| backoff(attempt)))
        }
        _ => None,
    }
}

/// The error the caller sees when `failure` ends the call.
pub(super) fn final_error(failure: Failure, repeat: Repeat, secrets: Secrets<'_>) -> Error {
    let moves_value = repeat == Repeat::Never;
    match failure {
        Failure::NotSent(why) => Error::new(
            ErrorKind::Network,
            redact(format!("connection failed: {why}"), secrets),
        ),
        Failure::Lost(why) if moves_value => Error::new(
            ErrorKind::OutcomeUnknown,
            redact(
                format!("the answer was lost after the request was sent: {why}"),
                secrets,
            ),
        ),
        Failure::Lost(why) => Error::new(
            ErrorKind::Network,
            redact(
                format!("connection lost after the request was sent: {why}"),
                secrets,
            ),
        ),
        Failure::Deadline if moves_value => Error::new(
            ErrorKind::OutcomeUnknown,
            "the deadline passed before an answer came back; the request may have run",
        ),
        Failure::Deadline => Error::new(
            ErrorKind::Timeout,
            "the deadline passed before an answer came back",
        ),
        Failure::NoConnection => Error::new(
            ErrorKind::Timeout,
            "the deadline passed while waiting for a free connection; nothing was sent",
        ),
        Failure::Status(error) if moves_value => {
            // A 5xx after a purchase may have moved value: only a 429 surely did nothing.
            let retryable = error.kind() == ErrorKind::RateLimited;
            error.with_retryable(retryable)
        }
        Failure::Status(error) | Failure::Unusable(error) => error,
    }
}

/// The longest `Retry-After` kept: a server's number is untrusted, and no call waits longer
/// than its deadline anyway (what the result reports is capped the same way).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `Retry-After` in delay-seconds (an HTTP date is ignored), capped at [`MAX_RETRY_AFTER`].
pub(super) fn retry_after(value: &str) -> Option<Duration> {
    let text = value.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: only a value too large for u64 fails to parse, and it is over the cap too.
    let seconds = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// Exponential backoff from [`BACKOFF_BASE`], capped at [`BACKOFF_CAP`], with full jitter.
fn backoff(attempt: u32) -> Duration {
    let ceiling = BACKOFF_BASE
        .saturating_mul(1u32 << attempt.min(16))
        .min(BACKOFF_CAP);
    let millis = ceiling.as_millis() as u64;
    Duration::from_millis(random_u64() % (millis + 1))
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // Each RandomState has fresh keys: enough randomness for jitter, with no extra crate.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::clock;
    use crate::client::error_answer::http_error;

    fn none() -> Secrets<'static> {
        Secrets::default()
    }

    #[test]
    fn backoff_stays_within_its_ceiling() {
        for attempt in 0..40 {
            let ceiling = BACKOFF_BASE
                .saturating_mul(1 << attempt.min(16))
                .min(BACKOFF_CAP);
            assert!(backoff(attempt) <= ceiling);
        }
    }

    #[test]
    fn retry_after_is_bounded_whatever_the_server_sends() {
        assert_eq!(retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(" 30 "), Some(Duration::from_secs(30)));
        for huge in [
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            assert_eq!(retry_after(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
        for ignored in [
            "",
            "-1",
            "+5",
            "1.5",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "0x10",
        ] {
            assert_eq!(retry_after(ignored), None, "{ignored}");
        }
        // The delay the retry loop computes from it never overflows the clock.
        assert!(clock::now().checked_add(MAX_RETRY_AFTER).is_some());
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(256, 4))]
        #[test]
        fn any_retry_after_header_parses_without_panicking(text in "[0-9 ]{0,40}|\\PC{0,40}") {
            if let Some(delay) = retry_after(&text) {
                proptest::prop_assert!(delay <= MAX_RETRY_AFTER);
            }
        }
    }

    #[test]
    fn value_moving_errors_are_retryable_only_when_nothing_ran() {
        let server = Failure::Status(http_error(503, b"", none()));
        assert!(!final_error(server, Repeat::Never, none()).is_retryable());
        let limited = Failure::Status(http_error(429, b"", none()));
        assert!(final_error(limited, Repeat::Never, none()).is_retryable());
        assert_eq!(
            final_error(Failure::Deadline, Repeat::Never, none()).kind(),
            ErrorKind::OutcomeUnknown
        );
        assert_eq!(
            final_error(Failure::Deadline, Repeat::UntilSent, none()).kind(),
            ErrorKind::Timeout
        );
    }
}
