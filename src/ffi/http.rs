//! A host-supplied HTTP transport (contract §10): the C side of the core's
//! [`HostTransport`](crate::client::HostTransport) seam, and the two calls by which the host
//! answers a handle.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use zeroize::Zeroize;

use super::generation::UserData;
use super::lifecycle::current;
use super::sized::read_table;
use super::slot::run_game_code;
use super::types::*;
use crate::client::{Error, HostRequest, HostTransport};

/// Response headers read: the SDK needs only `Retry-After`, found among the first this many.
const MAX_RESPONSE_HEADERS: usize = 256;
/// A `Retry-After` value longer than this is ignored (delta-seconds are a few digits).
const MAX_RETRY_AFTER_BYTES: usize = 64;
/// A failure message is cut at this many bytes.
const MAX_FAIL_MESSAGE_BYTES: usize = 1024;

/// The host's `XerialTransport`, copied at init.
pub(crate) struct CTransport {
    send: unsafe extern "C" fn(*mut std::ffi::c_void, *const XerialHttpRequest),
    cancel: Option<unsafe extern "C" fn(*mut std::ffi::c_void, u64)>,
    user_data: UserData,
}

// SAFETY: the host gave these functions and `user_data` to be called from the threads the
// header documents (SDK workers, or the polling thread); the library never dereferences them.
unsafe impl Send for CTransport {}
unsafe impl Sync for CTransport {}

/// Reads `XerialConfig.transport` (NULL: none).
///
/// # Safety
/// `transport` is NULL or points to at least `transport->struct_size` readable bytes.
pub(crate) unsafe fn read_transport(
    transport: *const XerialTransport,
) -> Result<Option<Arc<CTransport>>, Error> {
    if transport.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded.
    let table = unsafe { read_table(transport, "transport", "XerialTransport") }?;
    let Some(send) = table.send else {
        return Err(Error::invalid_argument(
            "transport",
            "send must not be NULL",
        ));
    };
    Ok(Some(Arc::new(CTransport {
        send,
        cancel: table.cancel,
        user_data: UserData(table.user_data),
    })))
}

fn c_string(what: &str, text: &str) -> Result<CString, String> {
    CString::new(text).map_err(|_| format!("{what} holds a NUL byte; nothing was sent"))
}

impl HostTransport for CTransport {
    fn send(&self, request: &HostRequest<'_>) -> Result<(), String> {
        let method = c_string("the method", request.method)?;
        let url = c_string("the URL", request.url)?;
        let mut texts = Vec::with_capacity(request.headers.len());
        for (name, value) in request.headers {
            texts.push((
                c_string("a header name", name)?,
                c_string("a header value", value)?,
            ));
        }
        let headers: Vec<XerialHttpHeader> = texts
            .iter()
            .map(|(name, value)| XerialHttpHeader {
                name: name.as_ptr(),
                value: value.as_ptr(),
            })
            .collect();
        let c_request = XerialHttpRequest {
            handle: request.handle,
            method: method.as_ptr(),
            url: url.as_ptr(),
            headers: headers.as_ptr(),
            header_count: headers.len(),
            body: if request.body.is_empty() {
                std::ptr::null()
            } else {
                request.body.as_ptr()
            },
            body_len: request.body.len(),
            timeout_ms: request.timeout_ms,
        };
        // SAFETY: the host's own function and user_data; `c_request` and every string it points
        // to live until it returns, as the header promises.
        run_game_code("the host transport's send", || unsafe {
            (self.send)(self.user_data.0, &c_request)
        });
        // The Authorization value carries the player's token: wipe this copy.
        for (_, value) in texts {
            value.into_bytes().zeroize();
        }
        Ok(())
    }

    fn cancel(&self, handle: u64) {
        if let Some(cancel) = self.cancel {
            // SAFETY: the host's own function and user_data.
            run_game_code("the host transport's cancel", || unsafe {
                cancel(self.user_data.0, handle)
            });
        }
    }
}

/// The bytes of a NUL-terminated string if its NUL comes within `max` bytes.
///
/// # Safety
/// `ptr` is NULL or points to a string readable up to its NUL or `max` bytes, whichever first.
unsafe fn bounded<'a>(ptr: *const c_char, max: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    let mut len = 0;
    // SAFETY: as promised; we stop at the NUL or at `max`.
    while len < max && unsafe { *ptr.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` bytes were just read; the slice is only used during the exported call.
    (len < max).then(|| unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// The `Retry-After` value among `headers` (bounded reads: see the constants above).
///
/// # Safety
/// `headers` points to `count` headers whose strings are NUL-terminated (or NULL).
unsafe fn retry_after<'a>(headers: *const XerialHttpHeader, count: usize) -> Option<&'a str> {
    // SAFETY: the caller's array of `count` headers; we read at most the first 256.
    let headers = unsafe { std::slice::from_raw_parts(headers, count.min(MAX_RESPONSE_HEADERS)) };
    headers.iter().find_map(|header| {
        // SAFETY: NUL-terminated or NULL, as documented.
        let name = unsafe { bounded(header.name, "retry-after".len() + 1) }?;
        if !name.eq_ignore_ascii_case(b"retry-after") {
            return None;
        }
        // SAFETY: as above.
        let value = unsafe { bounded(header.value, MAX_RETRY_AFTER_BYTES + 1) }?;
        std::str::from_utf8(value).ok()
    })
}

/// Answers `handle` with the HTTP response the host received. Returns `XERIAL_OK`; or
/// `XERIAL_E_NOT_FOUND` when the handle is unknown, already answered or abandoned (the SDK
/// stopped waiting: deadline, cancel or shutdown; nothing changes); or
/// `XERIAL_E_INVALID_ARGUMENT` when `status` is not 100–599 or a pointer is NULL with a non-zero
/// count (the exchange then ends as a transport failure that may have been sent).
///
/// `status` is the final status as received (redirects not followed). `headers` (`header_count`
/// entries, may be NULL when 0): the response headers; the SDK reads `Retry-After` among the
/// first 256. `body` (`body_len` bytes, may be NULL when 0) is copied during the call when it
/// is within the SDK's limit (8 MiB for a 2xx, whose larger bodies are `XERIAL_E_DECODE`; 64 KiB
/// for an error body, dropped when larger). Everything is borrowed for the call only. Any
/// thread, also from inside the transport's `send`; in `XERIAL_RUN_IN_POLL` mode the request
/// moves on at the next `xerial_poll`.
#[no_mangle]
pub unsafe extern "C" fn xerial_http_complete(
    handle: u64,
    status: i32,
    headers: *const XerialHttpHeader,
    header_count: usize,
    body: *const u8,
    body_len: usize,
) -> i32 {
    super::guard("xerial_http_complete", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_FOUND;
        };
        let Some(exchanges) = generation.client.host_exchanges() else {
            return XERIAL_E_NOT_FOUND;
        };
        let broken = match status {
            100..=599 if (headers.is_null() && header_count > 0) => Some("headers is NULL"),
            100..=599 if (body.is_null() && body_len > 0) => Some("body is NULL"),
            100..=599 => None,
            _ => Some("the status is not an HTTP status"),
        };
        if let Some(why) = broken {
            let message = format!("xerial_http_complete: {why} (status {status})");
            return match exchanges.fail(handle, true, &message) {
                true => XERIAL_E_INVALID_ARGUMENT,
                false => XERIAL_E_NOT_FOUND,
            };
        }
        // SAFETY: as documented: `header_count` headers, `body_len` bytes, borrowed for the call.
        let retry_after = match header_count {
            0 => None,
            n => unsafe { retry_after(headers, n) },
        };
        let body = match body_len {
            0 => &[][..],
            n => unsafe { std::slice::from_raw_parts(body, n) },
        };
        match exchanges.answer(handle, status as u16, retry_after, body) {
            true => XERIAL_OK,
            false => XERIAL_E_NOT_FOUND,
        }
    })
}

/// Answers `handle` with a failure: no HTTP response was received. `reason`:
/// `XERIAL_HTTP_NOT_SENT` when nothing left the device (no connection, DNS, refused, TLS
/// handshake: the SDK may send the request again), `XERIAL_HTTP_MAYBE_SENT` for anything else,
/// including "cannot tell" (any other value counts as that: a value-moving request is then never
/// sent again and its lost answer is `XERIAL_E_OUTCOME_UNKNOWN`). `message` (NULL or UTF-8, cut
/// at 1024 bytes, borrowed for the call) is the reason the game will read, after
/// "the host transport failed: ". Returns `XERIAL_OK`, or `XERIAL_E_NOT_FOUND` when the handle is
/// unknown, already answered or abandoned (nothing changes). Any thread, also from inside `send`.
#[no_mangle]
pub unsafe extern "C" fn xerial_http_fail(handle: u64, reason: i32, message: *const c_char) -> i32 {
    super::guard("xerial_http_fail", || {
        let Some(generation) = current() else {
            return XERIAL_E_NOT_FOUND;
        };
        let Some(exchanges) = generation.client.host_exchanges() else {
            return XERIAL_E_NOT_FOUND;
        };
        let mut text = String::new();
        if !message.is_null() {
            let mut len = 0;
            // SAFETY: NUL-terminated, as documented; at most 1024 bytes are read.
            while len < MAX_FAIL_MESSAGE_BYTES && unsafe { *message.add(len) } != 0 {
                len += 1;
            }
            // SAFETY: the `len` bytes just read.
            let bytes = unsafe { std::slice::from_raw_parts(message.cast::<u8>(), len) };
            text = String::from_utf8_lossy(bytes).into_owned();
        }
        let may_have_been_sent = reason != XERIAL_HTTP_NOT_SENT;
        match exchanges.fail(handle, may_have_been_sent, &text) {
            true => XERIAL_OK,
            false => XERIAL_E_NOT_FOUND,
        }
    })
}
