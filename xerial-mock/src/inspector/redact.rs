//! Redaction of what the request journal keeps: no full token, signature, secret or
//! `Authorization` value ever leaves the admin API, so neither the inspector page nor a script
//! reading `/_mock/log` can reveal one.
//!
//! Three rules, applied to everything recorded (paths, query strings, header values, bodies):
//! values under a sensitive name (`token`, `refreshToken`, `signature`, `code`, …) in JSON,
//! `name=value` forms and query strings; anything JWT-shaped (`eyJ…`) wherever it appears; and
//! the whole credential of `Authorization`-like headers and cookies. A redacted value keeps its
//! last six characters when it is long enough that they reveal nothing useful, so a request can
//! be matched to the session the Players view lists (which shows the same hint).

use serde_json::Value;

/// Names whose values are secrets, lower-case; JSON keys and form fields are compared
/// case-insensitively and must match whole.
const SENSITIVE: &[&str] = &[
    "token",
    "accesstoken",
    "access_token",
    "refreshtoken",
    "refresh_token",
    "idtoken",
    "id_token",
    "signature",
    "code",
    "code_verifier",
    "codeverifier",
    "client_secret",
    "clientsecret",
    "password",
    "secret",
    "authorization",
];

/// Headers whose whole value is a credential.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Secrets at least this long keep a six-character hint.
const HINT_MIN_LEN: usize = 32;
const HINT_LEN: usize = 6;

/// A JWT-shaped run: `eyJ` and at least this many more base64url or `.` characters.
const JWT_MIN_TAIL: usize = 10;

/// What replaces a secret: `[redacted …abc123]`, or `[redacted]` for short ones.
pub fn marker(secret: &str) -> String {
    if secret.chars().count() < HINT_MIN_LEN {
        return "[redacted]".to_owned();
    }
    let hint_at = secret
        .char_indices()
        .rev()
        .nth(HINT_LEN - 1)
        .map_or(0, |(at, _)| at);
    format!("[redacted …{}]", &secret[hint_at..])
}

fn is_sensitive(name: &str) -> bool {
    SENSITIVE.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A header value as the journal keeps it.
pub fn header(name: &str, value: &str) -> String {
    if !CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
    {
        return text(value);
    }
    match value.trim().split_once(char::is_whitespace) {
        // `Bearer <token>`: the scheme helps, the credential is the secret.
        Some((scheme, credential))
            if !name.to_ascii_lowercase().contains("cookie")
                && scheme.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            format!("{scheme} {}", marker(credential.trim()))
        }
        _ => marker(value.trim()),
    }
}

/// A JSON value with every sensitive field's string replaced and every other string passed
/// through [`text`].
pub fn json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if is_sensitive(key) => *s = marker(s),
                    _ => json(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::String(s) => *s = text(s),
        _ => {}
    }
}

/// A body as the journal keeps it: pretty JSON when it is complete JSON, else text with
/// [`text`]'s rules.
pub fn body(bytes: &[u8], complete: bool) -> String {
    if complete {
        if let Ok(mut value) = serde_json::from_slice::<Value>(bytes) {
            json(&mut value);
            return serde_json::to_string_pretty(&value).unwrap_or_default();
        }
    }
    text(&String::from_utf8_lossy(bytes))
}

/// Free text (a query string, a form body, a header, a truncated JSON body): JWT-shaped runs
/// and the values of sensitive `name=value` / `"name": "value"` pairs are replaced.
pub fn text(input: &str) -> String {
    let has_jwt = input.contains("eyJ");
    let has_pair = input.bytes().any(|b| b == b'=' || b == b':');
    match (has_jwt, has_pair) {
        (false, false) => input.to_owned(),
        (true, false) => jwts(input),
        (false, true) => pairs(input),
        (true, true) => pairs(&jwts(input)),
    }
}

fn is_jwt_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Replaces every JWT-shaped run (`eyJ` + base64url and dots).
fn jwts(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(at) = rest.find("eyJ") {
        let run_len = rest[at..]
            .find(|c: char| !is_jwt_char(c))
            .unwrap_or(rest.len() - at);
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_jwt_char(c));
        if starts_word && run_len >= 3 + JWT_MIN_TAIL {
            out.push_str(&rest[..at]);
            out.push_str(&marker(&rest[at..at + run_len]));
        } else {
            out.push_str(&rest[..at + run_len.max(3)]);
        }
        rest = &rest[at + run_len.max(3)..];
    }
    out.push_str(rest);
    out
}

/// Replaces the values of sensitive names in `name=value`, `name: value` and
/// `"name": "value"` pairs.
fn pairs(input: &str) -> String {
    let bytes = input.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = String::new();
    // `input[copied..i]` is still to be copied; every index used to slice sits next to an
    // ASCII byte, so it is a char boundary.
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && is_word(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(|&b| !is_word(b))
            .map_or(bytes.len(), |n| i + n);
        let value = is_sensitive(&input[i..end])
            .then(|| value_after(input, end))
            .flatten();
        match value {
            Some((start, stop)) => {
                out.push_str(&input[copied..start]);
                out.push_str(&marker(&input[start..stop]));
                (copied, i) = (stop, stop);
            }
            _ => i = end,
        }
    }
    out.push_str(&input[copied..]);
    out
}

/// After a name ending at `at`: an optional closing quote, spaces, `=` or `:`, spaces and an
/// optional opening quote, then the value. Returns the value's byte range when non-empty.
fn value_after(input: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = input.as_bytes();
    let mut i = at;
    let skip_spaces = |mut i: usize| {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        i
    };
    if bytes.get(i) == Some(&b'"') {
        i += 1;
    }
    i = skip_spaces(i);
    if !matches!(bytes.get(i), Some(b'=' | b':')) {
        return None;
    }
    i = skip_spaces(i + 1);
    let quoted = bytes.get(i) == Some(&b'"');
    if quoted {
        i += 1;
    }
    let mut end = i;
    while end < bytes.len() {
        let b = bytes[end];
        let stop = if quoted {
            b == b'"' && bytes[end - 1] != b'\\'
        } else {
            matches!(
                b,
                b'&' | b',' | b';' | b'}' | b']' | b'"' | b' ' | b'\r' | b'\n' | b'\t'
            )
        };
        if stop {
            break;
        }
        end += 1;
    }
    (end > i).then_some((i, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1ZWJhYzUzNCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    fn hides(out: &str, secret: &str) {
        assert!(!out.contains(secret), "{out}");
        for piece in secret.as_bytes().windows(16) {
            let piece = std::str::from_utf8(piece).unwrap_or_default();
            assert!(!out.contains(piece), "{piece:?} in {out}");
        }
    }

    #[test]
    fn authorization_keeps_the_scheme_and_a_hint() {
        let out = header("Authorization", &format!("Bearer {JWT}"));
        assert_eq!(out, "Bearer [redacted …dHVyZQ]");
        assert_eq!(header("cookie", "sid=abc; x=1"), "[redacted]");
        assert_eq!(header("user-agent", "xerial-sdk/1.2"), "xerial-sdk/1.2");
        hides(&header("x-anything", &format!("v={JWT}")), JWT);
    }

    #[test]
    fn json_fields_and_embedded_jwts() {
        let mut v = json!({
            "access": {"token": JWT, "expires": "2030"},
            "refreshToken": "opaque-fixture-token-0123456789abcdef",
            "signature": "0xok", "code": 404, "message": "Not Found",
            "note": format!("see {JWT} here"), "list": [{"id_token": "g"}],
            "tokenAddress": "0x3c49"
        });
        json(&mut v);
        let out = v.to_string();
        hides(&out, JWT);
        hides(&out, "opaque-fixture-token-0123456789abcdef");
        assert_eq!(v["signature"], "[redacted]");
        assert_eq!(v["code"], 404);
        assert_eq!(v["message"], "Not Found");
        assert_eq!(v["tokenAddress"], "0x3c49");
        assert_eq!(v["list"][0]["id_token"], "[redacted]");
        assert_eq!(v["access"]["expires"], "2030");
    }

    #[test]
    fn text_forms_queries_and_truncated_json() {
        let form = "grant_type=authorization_code&code=4/0Abc-secret&code_verifier=xyz&client_id=c";
        assert_eq!(
            text(form),
            "grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]&client_id=c"
        );
        let cut = r#"{"refreshToken": "opaque-fixture-token-01234567"#;
        assert_eq!(text(cut), r#"{"refreshToken": "[redacted]"#);
        let escaped = r#"{"token":"a\"b","x":1}"#;
        assert_eq!(text(escaped), r#"{"token":"[redacted]","x":1}"#);
        hides(&text(&format!("Bearer {JWT}")), JWT);
        assert_eq!(text("eyJ short"), "eyJ short");
        assert_eq!(text("mytoken=1&tokenAddress=2"), "mytoken=1&tokenAddress=2");
        assert_eq!(
            text("héllo token: zz ünïcode"),
            "héllo token: [redacted] ünïcode"
        );
    }

    #[test]
    fn bodies_pretty_print_complete_json_only() {
        let raw = format!(r#"{{"refreshToken":"{JWT}"}}"#);
        let out = body(raw.as_bytes(), true);
        assert!(out.contains("\n") && out.contains("[redacted …"));
        hides(&out, JWT);
        hides(&body(&raw.as_bytes()[..60], false), &JWT[..40]);
        assert_eq!(body(b"plain", true), "plain");
    }
}
