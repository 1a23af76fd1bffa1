//! C string arguments: NULL, non-UTF-8 and oversized input become clear errors, never crashes.

use std::ffi::{c_char, CStr};

use crate::client::Error;

/// The longest string argument accepted: "over 64 KiB" means `strlen > 65536` (contract §3).
pub(crate) const MAX_ARGUMENT_BYTES: usize = 64 * 1024;

/// Reads a string argument that may be NULL (`Ok(None)`): the caller's own text, not a copy.
/// Every argument is used before the call returns (the game's buffer outlives that); what the SDK
/// keeps beyond the call, it copies itself.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`; at
/// most `MAX_ARGUMENT_BYTES + 1` bytes are read, so a longer string is refused without being
/// scanned to its end.
pub(crate) unsafe fn optional<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    let mut len = 0;
    // SAFETY: the caller promises a NUL-terminated string; we stop at its NUL or at the limit.
    while len <= MAX_ARGUMENT_BYTES && unsafe { *ptr.add(len) } != 0 {
        len += 1;
    }
    if len > MAX_ARGUMENT_BYTES {
        return Err(Error::invalid_argument(name, "longer than 65536 bytes"));
    }
    // SAFETY: the `len` bytes before the NUL were just read.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    match crate::client::utf8(bytes) {
        Some(text) => Ok(Some(text)),
        None => Err(Error::invalid_argument(name, "not valid UTF-8")),
    }
}

/// Reads a string argument that must not be NULL, as [`optional`] does.
///
/// # Safety
/// As [`optional`].
pub(crate) unsafe fn required<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded.
    unsafe { optional(ptr, name) }?.ok_or_else(|| Error::invalid_argument(name, "must not be NULL"))
}

/// Reads several required string arguments, `(pointer, name)` each, stopping at the first bad
/// one.
///
/// # Safety
/// As [`optional`], for every pointer.
pub(crate) unsafe fn required_all<'a, const N: usize>(
    args: [(*const c_char, &str); N],
) -> Result<[&'a str; N], Error> {
    let mut values: [&str; N] = [""; N];
    for (value, (ptr, name)) in values.iter_mut().zip(args) {
        // SAFETY: forwarded.
        *value = unsafe { required(ptr, name) }?;
    }
    Ok(values)
}

/// Owned text for C: a `String`'s own buffer with its NUL pushed on. Interior NULs (which a C
/// reader would stop at) are dropped. Unlike `CString`, the buffer is not shrunk to fit (a
/// reallocation on every result), and empty text allocates nothing (it reads as the static `""`).
#[derive(Debug, Default)]
pub(crate) struct CText(
    /// Empty, or the text's bytes (no NUL among them) and one terminating NUL.
    Vec<u8>,
);

impl CText {
    pub(crate) fn new(text: String) -> CText {
        if text.is_empty() {
            return CText::default();
        }
        let mut bytes = text.into_bytes();
        if bytes.contains(&0) {
            bytes.retain(|&b| b != 0);
        }
        // One more byte, not the doubling `push` would make of a full buffer: a text made to
        // measure grows in place.
        bytes.reserve_exact(1);
        bytes.push(0);
        CText(bytes)
    }

    pub(crate) fn as_c_str(&self) -> &CStr {
        match self.0.is_empty() {
            true => c"",
            // SAFETY: `new` made the bytes end with the only NUL among them.
            false => unsafe { CStr::from_bytes_with_nul_unchecked(&self.0) },
        }
    }

    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.as_c_str().as_ptr()
    }

    /// The text's length in bytes, without the NUL.
    pub(crate) fn len(&self) -> usize {
        self.0.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    fn read(bytes: &[u8]) -> Result<Option<String>, Error> {
        unsafe { optional(bytes.as_ptr().cast(), "arg") }.map(|text| text.map(str::to_owned))
    }

    #[test]
    fn converts_valid_strings() {
        assert_eq!(read(b"tok\0").unwrap().as_deref(), Some("tok"));
        assert_eq!(
            read("ünï ✓ 🎮\0".as_bytes()).unwrap().as_deref(),
            Some("ünï ✓ 🎮")
        );
        assert_eq!(unsafe { optional(std::ptr::null(), "arg") }.unwrap(), None);
    }

    #[test]
    fn refuses_bad_strings_with_the_argument_named() {
        let null = unsafe { required(std::ptr::null(), "refresh_token") }.unwrap_err();
        assert_eq!(null.kind(), ErrorKind::InvalidArgument);
        assert_eq!(null.message(), "refresh_token: must not be NULL");
        assert_eq!(
            read(b"\xff\xfe\0").unwrap_err().message(),
            "arg: not valid UTF-8"
        );
        let mut long = vec![b'a'; MAX_ARGUMENT_BYTES + 1];
        long.push(0);
        assert_eq!(
            read(&long).unwrap_err().message(),
            "arg: longer than 65536 bytes"
        );
        long.truncate(MAX_ARGUMENT_BYTES);
        long.push(0);
        assert_eq!(
            read(&long).unwrap().map(|s| s.len()),
            Some(MAX_ARGUMENT_BYTES)
        );
    }

    #[test]
    fn c_text_drops_interior_nuls_and_ends_with_one() {
        assert_eq!(CText::new("a\0b".to_owned()).as_c_str(), c"ab");
        assert_eq!(CText::new("\0".to_owned()).as_c_str(), c"");
        assert_eq!(CText::new(String::new()).as_c_str(), c"");
        assert_eq!(CText::new("ab".to_owned()).len(), 2);
    }

    // ---- properties (proptest), also run under Miri by scripts/reliability/miri.sh ----------

    use proptest::prelude::*;

    /// The reference: what `optional` must answer for the C string at the start of `buf`
    /// (`None` input = a NULL pointer), written from the contract, not from the code.
    fn reference(buf: Option<&[u8]>, name: &str) -> Result<Option<String>, String> {
        let Some(buf) = buf else { return Ok(None) };
        let text = std::ffi::CStr::from_bytes_until_nul(buf)
            .expect("terminated")
            .to_bytes();
        if text.len() > 65536 {
            return Err(format!("{name}: longer than 65536 bytes"));
        }
        String::from_utf8(text.to_vec())
            .map(Some)
            .map_err(|_| format!("{name}: not valid UTF-8"))
    }

    fn convert(buf: Option<&[u8]>, name: &str) -> Result<Option<String>, String> {
        let ptr = buf.map_or(std::ptr::null(), |b| b.as_ptr().cast());
        unsafe { optional(ptr, name) }
            .map(|text| text.map(str::to_owned))
            .map_err(|e| {
                assert_eq!(e.kind(), ErrorKind::InvalidArgument);
                e.message().to_owned()
            })
    }

    /// Bytes as C would pass them: any content (NULs included: the string ends at the first),
    /// then a terminating NUL, sometimes followed by junk that must not be read.
    fn c_buffer() -> impl Strategy<Value = Vec<u8>> {
        let body = prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..64),
            4 => prop::collection::vec(any::<char>(), 0..40)
                .prop_map(|chars| chars.into_iter().collect::<String>().into_bytes()),
            1 => (0..3usize, any::<u8>(), prop::bool::ANY).prop_map(|(delta, fill, utf8)| {
                // Around the limit: 65535..=65538 bytes; Miri gets short ones only.
                let len = if cfg!(miri) { 100 + delta } else { 65535 + delta };
                let fill = if utf8 { b'a' } else { fill.max(1) };
                vec![fill; len]
            }),
        ];
        (body, prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(mut body, junk)| {
            body.push(0);
            body.extend(junk);
            body
        })
    }

    proptest! {
        #![proptest_config(crate::test_support::proptest_config(512, 8))]

        #[test]
        fn optional_matches_the_reference(buf in c_buffer(), null in prop::bool::weighted(0.05)) {
            let buf = (!null).then_some(&buf[..]);
            prop_assert_eq!(convert(buf, "arg"), reference(buf, "arg"));
        }

        #[test]
        fn required_is_optional_without_null(buf in c_buffer(), null in prop::bool::weighted(0.1)) {
            let ptr = if null { std::ptr::null() } else { buf.as_ptr().cast() };
            let got = unsafe { required(ptr, "token") }
                .map(str::to_owned)
                .map_err(|e| e.message().to_owned());
            let want = reference((!null).then_some(&buf[..]), "token").and_then(|v| {
                v.ok_or_else(|| String::from("token: must not be NULL"))
            });
            prop_assert_eq!(got, want);
        }

        #[test]
        fn required_all_stops_at_the_first_bad_argument(
            bufs in prop::collection::vec(c_buffer(), 3),
            null in prop::option::of(0..3usize),
        ) {
            let names = ["a", "b", "c"];
            let ptr = |i: usize| {
                if null == Some(i) { std::ptr::null() } else { bufs[i].as_ptr().cast() }
            };
            let got = unsafe {
                required_all([(ptr(0), names[0]), (ptr(1), names[1]), (ptr(2), names[2])])
            };
            let mut want = Vec::new();
            let mut first_error = None;
            for i in 0..3 {
                let one = if null == Some(i) {
                    Err(format!("{}: must not be NULL", names[i]))
                } else {
                    reference(Some(&bufs[i]), names[i]).map(|v| v.unwrap())
                };
                match one {
                    Ok(v) => want.push(v),
                    Err(e) => {
                        first_error = Some(e);
                        break;
                    }
                }
            }
            match (got, first_error) {
                (Ok(values), None) => prop_assert_eq!(values.to_vec(), want),
                (Err(e), Some(message)) => prop_assert_eq!(e.message(), message),
                (got, want) => prop_assert!(false, "got {:?}, want error {:?}", got.map(|_| ()), want),
            }
        }

        #[test]
        fn c_text_keeps_everything_but_nuls(
            chars in prop::collection::vec(prop_oneof![Just('\0'), any::<char>()], 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            let want: Vec<u8> = text.bytes().filter(|&b| b != 0).collect();
            let got = CText::new(text);
            prop_assert_eq!(got.as_c_str().to_bytes(), &want[..]);
            prop_assert_eq!(got.len(), want.len());
        }
    }

    /// An unterminated argument longer than the limit is refused after reading exactly
    /// `MAX_ARGUMENT_BYTES + 1` bytes: under Miri, a read past the allocation would be UB.
    #[test]
    fn an_unterminated_long_argument_is_refused_without_reading_past_the_limit() {
        let buf = vec![b'x'; MAX_ARGUMENT_BYTES + 1]; // no NUL anywhere
        let e = unsafe { optional(buf.as_ptr().cast(), "arg") }.unwrap_err();
        assert_eq!(e.message(), "arg: longer than 65536 bytes");
    }
}
