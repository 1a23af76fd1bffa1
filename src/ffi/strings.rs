//! C string arguments: NULL, non-UTF-8 and oversized input become clear errors, never crashes.

use std::ffi::{c_char, CString};

use crate::client::Error;

/// The longest string argument accepted: "over 64 KiB" means `strlen > 65536` (contract §3).
pub(crate) const MAX_ARGUMENT_BYTES: usize = 64 * 1024;

/// Reads a string argument that may be NULL (`Ok(None)`).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string; at most `MAX_ARGUMENT_BYTES + 1` bytes
/// are read, so a longer string is refused without being scanned to its end.
pub(crate) unsafe fn optional(ptr: *const c_char, name: &str) -> Result<Option<String>, Error> {
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
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Some(text.to_owned())),
        Err(_) => Err(Error::invalid_argument(name, "not valid UTF-8")),
    }
}

/// Reads a string argument that must not be NULL.
///
/// # Safety
/// As [`optional`].
pub(crate) unsafe fn required(ptr: *const c_char, name: &str) -> Result<String, Error> {
    // SAFETY: forwarded.
    unsafe { optional(ptr, name) }?.ok_or_else(|| Error::invalid_argument(name, "must not be NULL"))
}

/// Reads several required string arguments, `(pointer, name)` each, stopping at the first bad one.
///
/// # Safety
/// As [`optional`], for every pointer.
pub(crate) unsafe fn required_all<const N: usize>(
    args: [(*const c_char, &str); N],
) -> Result<[String; N], Error> {
    let mut values: [String; N] = std::array::from_fn(|_| String::new());
    for (value, (ptr, name)) in values.iter_mut().zip(args) {
        // SAFETY: forwarded.
        *value = unsafe { required(ptr, name) }?;
    }
    Ok(values)
}

/// Text for C: interior NULs (which a C reader would stop at) are dropped.
pub(crate) fn c_text(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    fn read(bytes: &[u8]) -> Result<Option<String>, Error> {
        unsafe { optional(bytes.as_ptr().cast(), "arg") }
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
    fn c_text_drops_interior_nuls() {
        assert_eq!(c_text("a\0b".to_owned()).as_bytes(), b"ab");
    }
}
