//! What an HTTP error answer becomes: the server's message and JSON body, secrets redacted.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::Error;
use super::session::TokenPair;

const REDACTED: &str = "[redacted]";

/// The fields of an error body the SDK reads (Xerial sends `message`, some proxies `error`),
/// read in place: a field with an escape in it fails this parse, and the body is then read as
/// any other document (serde copies an optional `Cow` field whether it has escapes or not).
#[derive(Deserialize)]
struct Said<'a> {
    message: Option<&'a str>,
    error: Option<&'a str>,
}

/// What must never appear in a message or an error body: the values a call sent (tokens,
/// signatures), the session's tokens and its bearer token. Two plain fields rather than a chained iterator: the
/// optimised chain of options made valgrind report branches on uninitialised bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Secrets<'a> {
    pub listed: &'a [Zeroizing<String>],
    pub session: Option<&'a TokenPair>,
    pub bearer: Option<&'a str>,
}

/// Builds the error for an HTTP error answer: the server's `message` (or `error`), and its JSON
/// body, compact (`""` when the body is not JSON).
pub(crate) fn http_error(status: u16, body: &[u8], secrets: Secrets<'_>) -> Error {
    let (message, body) = compact_object(body).unwrap_or_else(|| any_json(body));
    let message = message.unwrap_or_else(|| {
        let reason = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("error");
        format!("HTTP {status} {reason}")
    });
    Error::http(status, redact(message, secrets), redact(body, secrets))
}

/// The common answer, read without building a document: a compact JSON object whose `message`
/// and `error`, if present, are strings. Its text is then the compact body as it came.
fn compact_object(body: &[u8]) -> Option<(Option<String>, String)> {
    if body.first() != Some(&b'{') || has_whitespace_between_tokens(body) {
        return None;
    }
    // Checked as UTF-8 once, whole: parsed from bytes, serde_json checks each string again.
    let text = super::validate::utf8(body)?;
    let said: Said = serde_json::from_str(text).ok()?;
    Some((said.message.or(said.error).map(with_room), with_room(text)))
}

/// `text` copied with a byte to spare: the C shell ends each text with a NUL in its own buffer,
/// which then needs no second allocation.
fn with_room(text: &str) -> String {
    let mut owned = String::with_capacity(text.len() + 1);
    owned.push_str(text);
    owned
}

/// Whether `json` has whitespace outside its strings (it is then not compact).
///
/// Jumps from delimiter to delimiter rather than stepping a state machine through every byte:
/// the SDK reads every error answer with it.
fn has_whitespace_between_tokens(json: &[u8]) -> bool {
    let mut rest = json;
    loop {
        // Between tokens: whitespace, or the quote that opens a string.
        match rest
            .iter()
            .position(|&b| matches!(b, b'"' | b' ' | b'\n' | b'\r' | b'\t'))
        {
            None => return false,
            Some(at) if rest[at] != b'"' => return true,
            Some(at) => rest = &rest[at + 1..],
        }
        // In the string: to its closing quote, stepping over each escaped byte.
        loop {
            match rest.iter().position(|&b| b == b'"' || b == b'\\') {
                None => return false,
                Some(at) if rest[at] == b'\\' => rest = rest.get(at + 2..).unwrap_or_default(),
                Some(at) => {
                    rest = &rest[at + 1..];
                    break;
                }
            }
        }
    }
}

/// Any other body: parsed as a document, written back compact.
fn any_json(body: &[u8]) -> (Option<String>, String) {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, String::new());
    };
    let message = json
        .get("message")
        .or_else(|| json.get("error"))
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    (message, json.to_string())
}

/// Replaces every secret in `text`.
pub(crate) fn redact(mut text: String, secrets: Secrets<'_>) -> String {
    let mut scrub = |secret: &str| {
        if !secret.is_empty() && text.contains(secret) {
            text = text.replace(secret, REDACTED);
        }
    };
    secrets.listed.iter().for_each(|secret| scrub(secret));
    if let Some(session) = secrets.session {
        scrub(&session.access.token);
        scrub(&session.refresh.token);
    }
    if let Some(bearer) = secrets.bearer {
        scrub(bearer);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    fn none() -> Secrets<'static> {
        Secrets::default()
    }

    #[test]
    fn redaction_removes_every_secret() {
        let listed = [
            Zeroizing::new("tok-123".to_owned()),
            Zeroizing::new(String::new()),
        ];
        let secrets = Secrets {
            listed: &listed,
            session: None,
            bearer: Some("bear"),
        };
        assert_eq!(
            redact("a tok-123 b tok-123 bear".to_owned(), secrets),
            "a [redacted] b [redacted] [redacted]"
        );
    }

    #[test]
    fn the_server_message_and_body_are_kept() {
        let e = http_error(404, br#"{"code":404,"message":"Not Found"}"#, none());
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.message(), "Not Found");
        assert_eq!(e.body(), r#"{"code":404,"message":"Not Found"}"#);
        let e = http_error(500, br#"{"error":"Internal Server Error"}"#, none());
        assert_eq!(e.message(), "Internal Server Error");
        // A message with an escape is read from the whole document.
        let e = http_error(409, br#"{"message":"say \"hi\"","code":409}"#, none());
        assert_eq!(e.message(), "say \"hi\"");
        assert_eq!(e.body(), r#"{"code":409,"message":"say \"hi\""}"#);
        let e = http_error(400, br#"{"message":5,"error":"x"}"#, none());
        assert_eq!(e.message(), "HTTP 400 Bad Request");
        let e = http_error(502, b"<html>bad gateway</html>", none());
        assert_eq!(e.message(), "HTTP 502 Bad Gateway");
        assert_eq!(e.body(), "");
        let listed = [Zeroizing::new("tok-1".to_owned())];
        let secrets = Secrets {
            listed: &listed,
            session: None,
            bearer: None,
        };
        let e = http_error(400, br#"{"message":"bad tok-1"}"#, secrets);
        assert_eq!(e.message(), "bad [redacted]");
        assert!(!e.body().contains("tok-1"));
    }

    #[test]
    fn whitespace_counts_only_between_tokens() {
        assert!(!has_whitespace_between_tokens(
            br#"{"message":"Not Found"}"#
        ));
        assert!(!has_whitespace_between_tokens(
            br#"{"m":"a \" b \\","n":1}"#
        ));
        assert!(has_whitespace_between_tokens(br#"{"m":"a\\", "n":1}"#));
        assert!(has_whitespace_between_tokens(b"{\"m\":1}\n"));
    }

    /// The reference: a state machine through every byte, written from JSON's grammar.
    fn whitespace_between_tokens_byte_by_byte(json: &[u8]) -> bool {
        let (mut in_string, mut escaped) = (false, false);
        for &byte in json {
            match (in_string, escaped, byte) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
                (false, _, b' ' | b'\n' | b'\r' | b'\t') => return true,
                _ => {}
            }
        }
        false
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(2000, 50))]
        #[test]
        fn whitespace_is_found_as_the_byte_by_byte_reference_finds_it(
            json in proptest::collection::vec(
                proptest::sample::select(&b"\"\\ \n\r\ta{}:,1"[..]),
                0..40,
            )
        ) {
            proptest::prop_assert_eq!(
                has_whitespace_between_tokens(&json),
                whitespace_between_tokens_byte_by_byte(&json)
            );
        }
    }

    #[test]
    fn every_json_body_comes_out_compact_with_the_same_message() {
        for (body, message, compact) in [
            (
                &br#"{ "code": 404, "message": "Not Found" }"#[..],
                Some("Not Found"),
                r#"{"code":404,"message":"Not Found"}"#,
            ),
            (
                br#"{"message":"caf\u00e9"}"#,
                Some("café"),
                r#"{"message":"café"}"#,
            ),
            (
                br#"{"message":7,"error":"x"}"#,
                None,
                r#"{"error":"x","message":7}"#,
            ),
            (br#"["message","error"]"#, None, r#"["message","error"]"#),
            (
                br#"{"message":"a","message":"b"}"#,
                Some("b"),
                r#"{"message":"b"}"#,
            ),
            (br#"{"error":"e"}"#, Some("e"), r#"{"error":"e"}"#),
            (
                br#"{"message":"a \" b\\","x":[1, 2]}"#,
                Some("a \" b\\"),
                r#"{"message":"a \" b\\","x":[1,2]}"#,
            ),
            (b"{\"message\":\"x\"} trailing", None, ""),
        ] {
            let e = http_error(400, body, none());
            let expected = message.map_or("HTTP 400 Bad Request".to_owned(), str::to_owned);
            assert_eq!(e.message(), expected, "{}", String::from_utf8_lossy(body));
            let parsed = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
            assert_eq!(
                parsed(e.body()),
                parsed(compact),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
