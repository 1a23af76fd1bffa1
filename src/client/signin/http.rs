//! One HTTP/1.1 exchange on a loopback connection, strictly bounded: a request head of at most
//! 8 KiB and 32 headers, a body of at most 16 KiB given by `Content-Length` (no chunked bodies),
//! and one answer with `Connection: close`. Whatever a browser — or anything else on the
//! machine — sends is untrusted: every limit is checked before a byte is kept.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest request head (request line and headers).
pub(crate) const MAX_HEAD: usize = 8 * 1024;
/// Largest request body.
pub(crate) const MAX_BODY: usize = 16 * 1024;
/// Most headers in a request.
const MAX_HEADERS: usize = 32;

/// The request methods the listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Other,
}

/// A request as read: what the listener's checks and the flows need, nothing else.
#[derive(Debug, Default)]
pub(crate) struct Request {
    pub method: Option<Method>,
    /// The request target as sent (`/secret/callback?code=…`).
    pub target: String,
    pub host: Option<String>,
    pub origin: Option<String>,
    pub referer: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Request {
    pub(crate) fn method(&self) -> Method {
        self.method.unwrap_or(Method::Other)
    }
}

/// Why a request could not be read; `status` is the answer to send, if any.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// The connection closed or failed: nobody to answer.
    Gone,
    /// An answer to send before closing.
    Status(u16),
}

/// Reads one request from `stream` (the caller bounds the time it may take).
pub(crate) async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
) -> Result<Request, Unreadable> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let (mut request, head_len, body_len) = loop {
        let read = stream
            .read(&mut chunk)
            .await
            .map_err(|_| Unreadable::Gone)?;
        if read == 0 {
            return Err(Unreadable::Gone);
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(head) = parse_head(&buffer[..buffer.len().min(MAX_HEAD)])? {
            break head;
        }
        if buffer.len() >= MAX_HEAD {
            return Err(Unreadable::Status(431));
        }
    };
    let mut body = buffer.split_off(head_len);
    body.truncate(body_len);
    while body.len() < body_len {
        let read = stream
            .read(&mut chunk)
            .await
            .map_err(|_| Unreadable::Gone)?;
        if read == 0 {
            return Err(Unreadable::Gone);
        }
        let wanted = (body_len - body.len()).min(read);
        body.extend_from_slice(&chunk[..wanted]);
    }
    request.body = body;
    Ok(request)
}

/// Parses a complete head: the request, the head's length and the body's; `None` while partial.
fn parse_head(bytes: &[u8]) -> Result<Option<(Request, usize, usize)>, Unreadable> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let head_len = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Unreadable::Status(431)),
        Err(_) => return Err(Unreadable::Status(400)),
    };
    let mut request = Request {
        method: Some(match parsed.method {
            Some("GET") => Method::Get,
            Some("POST") => Method::Post,
            _ => Method::Other,
        }),
        target: parsed.path.unwrap_or_default().to_owned(),
        ..Request::default()
    };
    let mut content_length = None;
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value).map_err(|_| Unreadable::Status(400))?;
        let slot = match header.name.to_ascii_lowercase().as_str() {
            "host" => &mut request.host,
            "origin" => &mut request.origin,
            "referer" => &mut request.referer,
            "content-type" => &mut request.content_type,
            "content-length" => &mut content_length,
            // A chunked (or otherwise framed) body is not supported: refuse rather than guess.
            "transfer-encoding" => return Err(Unreadable::Status(501)),
            _ => continue,
        };
        // A repeated header the listener checks could say two different things.
        if slot.replace(value.trim().to_owned()).is_some() {
            return Err(Unreadable::Status(400));
        }
    }
    let body_len = match (request.method(), content_length) {
        (_, Some(text)) => {
            let len: usize = text.parse().map_err(|_| Unreadable::Status(400))?;
            if len > MAX_BODY {
                return Err(Unreadable::Status(413));
            }
            len
        }
        (Method::Post, None) => return Err(Unreadable::Status(411)),
        (_, None) => 0,
    };
    Ok(Some((request, head_len, body_len)))
}

/// An answer: status, content type, body, and the page's content security policy.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub policy: &'static str,
}

/// What no page of the listener needs: scripts, frames, forms, other origins.
pub(crate) const LOCKED_DOWN: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

impl Reply {
    /// A refusal: its status and reason phrase as plain text (a browser shows an empty error
    /// answer as its own error page instead).
    pub(crate) fn status(status: u16) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {}\n", reason(status)),
            policy: LOCKED_DOWN,
        }
    }

    pub(crate) fn json(value: &serde_json::Value) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json",
            body: value.to_string(),
            policy: LOCKED_DOWN,
        }
    }
}

/// Writes `reply` with headers that keep the page to itself: never cached, never framed, never
/// sending its URL (which holds the path secret, or a code) as a `Referer`.
pub(crate) async fn write_reply<S: AsyncWrite + Unpin>(
    stream: &mut S,
    reply: &Reply,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n\
         X-Frame-Options: DENY\r\nContent-Security-Policy: {}\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
        reply.policy
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(reply.body.as_bytes()).await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(bytes: &[u8]) -> Result<Request, Unreadable> {
        let mut stream = bytes;
        read_request(&mut stream).await
    }

    #[tokio::test]
    async fn reads_a_get_and_a_post() {
        let get = read(b"GET /s/callback?code=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nReferer: https://accounts.google.com/\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(get.method(), Method::Get);
        assert_eq!(get.target, "/s/callback?code=1");
        assert_eq!(get.host.as_deref(), Some("127.0.0.1:9"));
        assert_eq!(get.referer.as_deref(), Some("https://accounts.google.com/"));
        let post = read(b"POST /s/address HTTP/1.1\r\nhost: h\r\nOrigin: http://h\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"a\"}extra")
            .await
            .unwrap();
        assert_eq!(post.method(), Method::Post);
        assert_eq!(post.body, b"{\"a\"}");
        assert_eq!(post.origin.as_deref(), Some("http://h"));
    }

    #[tokio::test]
    async fn refuses_what_it_does_not_bound() {
        let too_many: String = (0..40).map(|i| format!("X-{i}: y\r\n")).collect();
        let cases: Vec<(Vec<u8>, Unreadable)> = vec![
            (
                format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD)).into_bytes(),
                Unreadable::Status(431),
            ),
            (
                format!("GET / HTTP/1.1\r\n{too_many}\r\n").into_bytes(),
                Unreadable::Status(431),
            ),
            (
                format!(
                    "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
                    MAX_BODY + 1
                )
                .into_bytes(),
                Unreadable::Status(413),
            ),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n".to_vec(),
                Unreadable::Status(400),
            ),
            (b"POST / HTTP/1.1\r\n\r\n".to_vec(), Unreadable::Status(411)),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
                Unreadable::Status(501),
            ),
            (
                b"GET / HTTP/1.1\r\nOrigin: a\r\nOrigin: b\r\n\r\n".to_vec(),
                Unreadable::Status(400),
            ),
            (b"\x00\x01garbage\r\n\r\n".to_vec(), Unreadable::Status(400)),
            (b"GET / HTTP/1.1\r\nHost: x".to_vec(), Unreadable::Gone),
            (
                b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort".to_vec(),
                Unreadable::Gone,
            ),
        ];
        for (bytes, expected) in cases {
            let got = read(&bytes).await.err();
            assert_eq!(
                got.as_ref(),
                Some(&expected),
                "{:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
            );
        }
    }

    #[tokio::test]
    async fn a_reply_closes_and_keeps_its_page_to_itself() {
        let mut out = Vec::new();
        write_reply(&mut out, &Reply::json(&serde_json::json!({"nonce": "1"})))
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        for header in [
            "Connection: close",
            "Cache-Control: no-store",
            "Referrer-Policy: no-referrer",
            "X-Frame-Options: DENY",
            "Content-Length: 13",
        ] {
            assert!(text.contains(header), "{header} in {text}");
        }
        assert!(text.ends_with("\r\n\r\n{\"nonce\":\"1\"}"));
    }
}
