//! Argument rules of the API (contract §8), checked before anything is sent.
//!
//! Each check names the argument at fault in its `InvalidArgument` message.

use super::error::Error;
use zeroize::Zeroizing;

/// 2^256 − 1: the largest on-chain integer.
const UINT256_MAX: &str =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

/// `0x` + 40 hex digits, either case.
pub(crate) fn address(name: &str, value: &str) -> Result<(), Error> {
    // Every digit checked, without stopping at the first bad one: branch-free, so the compiler
    // checks many at a time (the game thread validates an address on most wallet calls).
    let ok = value.len() == 42
        && (value.starts_with("0x") || value.starts_with("0X"))
        && value[2..]
            .bytes()
            .fold(true, |ok, b| ok & b.is_ascii_hexdigit());
    ok.then_some(())
        .ok_or_else(|| Error::invalid_argument(name, "must be 0x followed by 40 hex digits"))
}

/// 1–32 lowercase ASCII letters and digits (`polygon`, `telos`).
pub(crate) fn chain(name: &str, value: &str) -> Result<(), Error> {
    let ok = (1..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    ok.then_some(()).ok_or_else(|| {
        Error::invalid_argument(
            name,
            "must be 1-32 lowercase letters and digits, e.g. polygon",
        )
    })
}

/// An id or domain used in a path: 1–128 of `A-Z a-z 0-9 . _ -`, never `.` or `..`.
pub(crate) fn path_id(name: &str, value: &str) -> Result<(), Error> {
    let ok = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && value != "."
        && value != "..";
    ok.then_some(()).ok_or_else(|| {
        Error::invalid_argument(name, "must be 1-128 characters of A-Z a-z 0-9 . _ -")
    })
}

/// An unsigned integer in decimal, `0|[1-9][0-9]*`, at most 2^256 − 1.
pub(crate) fn uint(name: &str, value: &str) -> Result<(), Error> {
    uint_digits(value).ok_or_else(|| {
        Error::invalid_argument(
            name,
            "must be an unsigned decimal integer (0 to 2^256-1) without leading zeros",
        )
    })
}

fn uint_digits(value: &str) -> Option<()> {
    let digits_ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    let in_range = value.len() < UINT256_MAX.len()
        || (value.len() == UINT256_MAX.len() && value <= UINT256_MAX);
    (digits_ok && in_range).then_some(())
}

/// An amount or price: an unsigned decimal integer with an optional fraction (`\.[0-9]+`).
pub(crate) fn decimal(name: &str, value: &str) -> Result<(), Error> {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    let ok = uint_digits(whole).is_some()
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some(())
        .ok_or_else(|| Error::invalid_argument(name, "must be a decimal number like 12 or 0.5"))
}

/// A quantity: at least 1.
pub(crate) fn quantity(name: &str, value: u32) -> Result<(), Error> {
    (value >= 1)
        .then_some(())
        .ok_or_else(|| Error::invalid_argument(name, "must be at least 1"))
}

/// A JSON request body assembled field by field, so that decimal strings are written as JSON
/// numbers exactly as given (uint256 values do not fit any Rust or C number type).
///
/// Bodies carry tokens and signatures: the buffer is wiped whenever it grows (the old block would
/// otherwise be freed holding what was written so far) and when dropped unfinished.
pub(crate) struct JsonBody(Zeroizing<Vec<u8>>);

impl JsonBody {
    pub(crate) fn new() -> JsonBody {
        // Room for the usual body (a token, or an address and two numbers) without regrowing.
        let mut text = Zeroizing::new(Vec::with_capacity(160));
        text.push(b'{');
        JsonBody(text)
    }

    /// A body of one string field, in a buffer of exactly its size: what is wiped when it is
    /// dropped is the body and no more.
    pub(crate) fn one_string(key: &str, value: &str) -> JsonBody {
        let quoted_len = quoted_len(value);
        let mut text = Zeroizing::new(Vec::with_capacity(key.len() + quoted_len + 5));
        text.push(b'{');
        JsonBody(text).string_of(key, value, quoted_len)
    }

    /// Makes room for `more` bytes, moving to a bigger buffer and wiping the old one if needed.
    fn reserve(&mut self, more: usize) {
        let needed = self.0.len().saturating_add(more);
        if needed > self.0.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(self.0.capacity() * 2)));
            bigger.extend_from_slice(&self.0);
            self.0 = bigger;
        }
    }

    /// Writes `"key":`, with room after it for a value of at most `value_bytes` bytes.
    fn key(mut self, key: &str, value_bytes: usize) -> JsonBody {
        self.reserve(key.len() + 4 + value_bytes);
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        self.0.push(b'"');
        self.0.extend_from_slice(key.as_bytes());
        self.0.extend_from_slice(b"\":");
        self
    }

    /// A string field.
    pub(crate) fn string(self, key: &str, value: &str) -> JsonBody {
        let quoted_len = quoted_len(value);
        self.string_of(key, value, quoted_len)
    }

    /// A string field whose [`quoted_len`] is known.
    fn string_of(self, key: &str, value: &str, quoted_len: usize) -> JsonBody {
        let mut body = self.key(key, quoted_len);
        if quoted_len == value.len() + 2 {
            // Nothing to escape (a token, an address, an id: the usual value): its bytes, quoted.
            body.0.push(b'"');
            body.0.extend_from_slice(value.as_bytes());
            body.0.push(b'"');
        } else {
            // serde_json escapes, straight into the body; writing a `&str` to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *body.0, value);
        }
        body
    }

    /// A number field from a string already checked by [`uint`] or [`decimal`].
    pub(crate) fn number(self, key: &str, checked_decimal: &str) -> JsonBody {
        let mut body = self.key(key, checked_decimal.len());
        body.0.extend_from_slice(checked_decimal.as_bytes());
        body
    }

    /// A field whose value is already JSON text.
    pub(crate) fn raw(self, key: &str, json: &str) -> JsonBody {
        let mut body = self.key(key, json.len());
        body.0.extend_from_slice(json.as_bytes());
        body
    }

    pub(crate) fn finish(self) -> String {
        // Only UTF-8 was written (keys, checked numbers, JSON text, serde_json's output).
        String::from_utf8(std::mem::take(&mut *self.finish_bytes())).unwrap_or_default()
    }

    /// The finished body as bytes in its wiped buffer, for a body that holds a secret: handed
    /// on as it is (no UTF-8 check, no move into another buffer).
    pub(crate) fn finish_bytes(mut self) -> Zeroizing<Vec<u8>> {
        self.reserve(1);
        self.0.push(b'}');
        self.0
    }
}

/// The most bytes serde_json writes for `value` as a JSON string, quotes included: reserving
/// exactly that (not 6 bytes a byte) keeps a token's body in the first buffer, so it is never
/// moved and wiped on the way. Exactly `value.len() + 2` when nothing needs escaping.
fn quoted_len(value: &str) -> usize {
    if !needs_escape(value.as_bytes()) {
        return value.len() + 2;
    }
    // Sixteen bytes at a time in byte-wide lanes (at most 16 × 5 per block), branch-free: the
    // compiler turns each block into a few vector instructions.
    fn extra(bytes: &[u8]) -> u8 {
        bytes
            .iter()
            // `\u00XX` for a control byte (the short forms such as `\n` are shorter).
            .map(|&b| 5 * u8::from(b < 0x20) + u8::from(b == b'"' || b == b'\\'))
            .fold(0, u8::wrapping_add)
    }
    let blocks = value.as_bytes().chunks_exact(16);
    let tail = usize::from(extra(blocks.remainder()));
    let escapes: usize = blocks.map(|block| usize::from(extra(block))).sum();
    value.len() + escapes + tail + 2
}

/// Whether a JSON string escapes any byte of `bytes` (a control byte, `"` or `\`): eight
/// bytes at a time, with the word tests for "some byte is zero" and "some byte is below n" (each
/// exact as a yes or no). The usual value, a token or an id, has none.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES * 0x80;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH_BITS != 0;
    let has = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    let mut words = bytes.chunks_exact(8);
    let in_words = words.by_ref().any(|chunk| {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        below(word, 0x20) || has(word, b'"') || has(word, b'\\')
    });
    in_words
        || words
            .remainder()
            .iter()
            .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// `bytes` as text if they are UTF-8. ASCII (the usual token, id or answer) is recognised a word
/// at a time, where the full check's fixed cost was most of the work for short texts.
pub(crate) fn utf8(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(address("a", "0x8e9DD3c1Db3254d968967CbC367542C343273629").is_ok());
        for bad in [
            "",
            "0x",
            "8e9DD3c1Db3254d968967CbC367542C343273629",
            "0x8e9DD3c1Db3254d968967CbC367542C34327362",
            "0x8e9DD3c1Db3254d968967CbC367542C34327362g",
        ] {
            assert_eq!(
                address("to", bad).unwrap_err().message(),
                "to: must be 0x followed by 40 hex digits",
                "{bad}"
            );
        }
    }

    #[test]
    fn chains_and_ids() {
        assert!(chain("chain", "polygon").is_ok());
        for bad in ["", "Polygon", "poly-gon", &"a".repeat(33)] {
            assert!(chain("chain", bad).is_err(), "{bad}");
        }
        assert!(path_id("id", "6564b4f3fa203b318f65da05").is_ok());
        assert!(path_id("domain", "my-game.xerial_1").is_ok());
        for bad in ["", ".", "..", "a/b", "a b", "a?b", &"a".repeat(129)] {
            assert!(path_id("id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integers_and_decimals() {
        for ok in ["0", "1", "42", UINT256_MAX] {
            assert!(uint("token_id", ok).is_ok(), "{ok}");
        }
        let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        for bad in [
            "",
            "01",
            "-1",
            "1.5",
            "1e3",
            " 1",
            over,
            &format!("1{UINT256_MAX}"),
        ] {
            assert!(uint("token_id", bad).is_err(), "{bad}");
        }
        for ok in ["0", "12", "0.5", "100.000001"] {
            assert!(decimal("price", ok).is_ok(), "{ok}");
        }
        for bad in ["", ".5", "1.", "1.2.3", "-1", "01.5", "1e-3", "NaN"] {
            assert!(decimal("price", bad).is_err(), "{bad}");
        }
        assert!(quantity("quantity", 0).is_err());
        assert!(quantity("quantity", 1).is_ok());
    }

    #[test]
    fn bodies_write_numbers_exactly_as_given() {
        let body = JsonBody::new()
            .string("collectionAddress", "0xab\"c")
            .number("tokenId", UINT256_MAX)
            .number("price", "0.5")
            .finish();
        assert_eq!(
            body,
            format!(
                "{{\"collectionAddress\":\"0xab\\\"c\",\"tokenId\":{UINT256_MAX},\"price\":0.5}}"
            )
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(parsed.is_object());
    }

    #[test]
    fn a_string_never_outgrows_the_room_reserved_for_it() {
        // Longer than the 16-byte blocks `quoted_len` counts in, with escapes in every block.
        let long = "\"\u{1}x\\".repeat(10);
        let plain_long = "t".repeat(47);
        for value in [
            "",
            "plain-token",
            "q\"b\\s",
            "\n\t\u{1}\u{1f}\u{7f}",
            "é€😀",
            "\u{7f}del",
            &long,
            &plain_long,
        ] {
            let written = serde_json::to_string(value).unwrap();
            assert!(written.len() <= quoted_len(value), "{value:?}");
            // The room is only ever a bound; for these it is exact but for the short escapes.
            let body = JsonBody::new().string("k", value);
            let capacity = body.0.capacity();
            let body = body.finish();
            assert_eq!(capacity, 160, "{value:?}: no bigger buffer was needed");
            assert!(body.ends_with(&format!("{written}}}")));
            let one = JsonBody::one_string("k", value).finish_bytes();
            assert_eq!(
                one.capacity(),
                one.len() + quoted_len(value) - written.len()
            );
            assert_eq!(&one[..], body.as_bytes());
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(2000, 50))]
        #[test]
        fn escapes_are_found_as_a_byte_by_byte_look_finds_them(
            bytes in proptest::collection::vec(
                proptest::sample::select(
                    &[0u8, 1, 0x1f, 0x20, 0x21, b'"', 0x23, b'[', b'\\', b']', b'a', 0x7f, 0x80, 0x9f, 0xa0, 0xdc, 0xff][..],
                ),
                0..40,
            )
        ) {
            let reference = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            proptest::prop_assert_eq!(needs_escape(&bytes), reference, "{:?}", bytes);
            proptest::prop_assert_eq!(utf8(&bytes), std::str::from_utf8(&bytes).ok());
        }
    }
}
