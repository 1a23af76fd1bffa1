//! Identifiers, JWT-shaped tokens and ISO-8601 timestamps.
//!
//! Xerial's backend (node-express-boilerplate, per the API reference §2.1) hands out
//! HS256 JWTs with `sub`, `iat`, `exp` and `type` claims, Mongo ObjectIds as ids and
//! ISO-8601 UTC strings such as `2026-11-24T10:00:00.000Z` as expiry times. The mock
//! produces values of the same *shape* so that clients which peek at them (or log them)
//! see realistic input. Nothing here is cryptographically meaningful: the "signature" is
//! random bytes, and uniqueness comes from a process-wide counter mixed with
//! per-process random keys from [`std::hash::RandomState`].

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{json, Value};

// Monotonic counter: guarantees uniqueness even if two random draws collide.
static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh pseudo-random `u64` (unique per call within the process).
pub fn random_u64() -> u64 {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // Each `RandomState::new()` carries randomly seeded SipHash keys, so hashing the
    // counter gives unpredictable, well-mixed output.
    std::hash::RandomState::new().hash_one(n) ^ n.rotate_left(32)
}

/// `len` random bytes.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&random_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    s
}

/// A 24-hex Mongo ObjectId-style id: 4 bytes of Unix time, then 8 random bytes.
pub fn object_id() -> String {
    let secs = u32::try_from(now_ms() / 1000).unwrap_or(u32::MAX);
    let mut bytes = secs.to_be_bytes().to_vec();
    bytes.extend_from_slice(&random_bytes(8));
    hex(&bytes)
}

/// A random 20-byte EVM address, `0x` + 40 lower-case hex digits.
pub fn evm_address() -> String {
    format!("0x{}", hex(&random_bytes(20)))
}

/// A random 32-byte transaction hash, `0x` + 64 lower-case hex digits.
pub fn tx_hash() -> String {
    format!("0x{}", hex(&random_bytes(32)))
}

/// Unpadded base64url, the alphabet JWTs use.
pub fn base64url(input: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(input)
}

/// Decodes base64url, padded or not; `None` on any invalid character.
pub fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(input).ok()
}

/// The kind of a token, as carried in the JWT `type` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    /// Short-lived bearer token.
    Access,
    /// Long-lived token exchanged at `/auth/refresh-tokens` and revoked by logout.
    Refresh,
}

/// A JWT-shaped token: `base64url(header).base64url(claims).base64url(random)`.
///
/// The claims mirror node-express-boilerplate (`sub`, `iat`, `exp`, `type`) plus a
/// `jti` so that two tokens minted in the same second for the same user still differ.
pub fn jwt(user_id: &str, kind: TokenType, iat_ms: i64, exp_ms: i64) -> String {
    let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = json!({
        "sub": user_id,
        "iat": iat_ms.div_euclid(1000),
        "exp": exp_ms.div_euclid(1000),
        "type": match kind { TokenType::Access => "access", TokenType::Refresh => "refresh" },
        "jti": hex(&random_bytes(8)),
    });
    let claims = base64url(claims.to_string().as_bytes());
    format!("{header}.{claims}.{}", base64url(&random_bytes(32)))
}

/// The `sub` claim of a JWT-shaped token, if it has one (used to attribute fixture
/// sessions to users).
pub fn jwt_subject(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    claims.get("sub")?.as_str().map(str::to_owned)
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

// Howard Hinnant's days-from-civil / civil-from-days algorithms (public domain).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the format JavaScript's
/// `Date.toISOString()` (and so Xerial) uses.
pub fn iso8601(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Parses the subset of ISO-8601 that Xerial emits: `YYYY-MM-DDTHH:MM:SS[.fff]Z`
/// (a `+00:00` suffix is accepted too). Returns epoch milliseconds.
pub fn parse_iso8601(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix('Z').or_else(|| s.strip_suffix("+00:00"))?;
    let (date, time) = s.split_once('T')?;
    let mut dp = date.splitn(3, '-');
    let y: i64 = dp.next()?.parse().ok()?;
    let mo: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    let (hms, frac) = match time.split_once('.') {
        Some((a, b)) => (a, b),
        None => (time, ""),
    };
    let mut tp = hms.splitn(3, ':');
    let h: i64 = tp.next()?.parse().ok()?;
    let mi: i64 = tp.next()?.parse().ok()?;
    let sec: i64 = tp.next()?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let milli: i64 = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let padded = format!("{:0<3}", &frac[..frac.len().min(3)]);
        padded.parse().ok()?
    };
    Some(days_from_civil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 + milli)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let ms = parse_iso8601("2026-11-24T10:00:00.000Z").expect("parses");
        assert_eq!(iso8601(ms), "2026-11-24T10:00:00.000Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            parse_iso8601("2024-02-29T23:59:59.5Z")
                .map(iso8601)
                .as_deref(),
            Some("2024-02-29T23:59:59.500Z")
        );
        assert_eq!(parse_iso8601("nonsense"), None);
        assert_eq!(parse_iso8601("2024-13-01T00:00:00Z"), None);
    }

    #[test]
    fn jwt_shape_and_subject() {
        let t = jwt("5ebac534954b54139806c112", TokenType::Access, 1_000, 2_000);
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')));
        assert_eq!(jwt_subject(&t).as_deref(), Some("5ebac534954b54139806c112"));
        assert_ne!(
            t,
            jwt("5ebac534954b54139806c112", TokenType::Access, 1_000, 2_000)
        );
    }

    #[test]
    fn base64url_round_trip() {
        for len in 0..20 {
            let data = random_bytes(len);
            assert_eq!(
                base64url_decode(&base64url(&data)).as_deref(),
                Some(&data[..])
            );
        }
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url_decode("Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64url_decode("Zm9v*g"), None);
    }

    #[test]
    fn ids_have_expected_shape() {
        let id = object_id();
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(tx_hash().len(), 66);
        assert_eq!(evm_address().len(), 42);
        assert_ne!(object_id(), object_id());
    }
}
