//! The built-in exchange: reqwest + rustls with the bundled web PKI roots, on the SDK's tokio
//! runtime. Not in the WebAssembly build (reqwest and rustls do not target Emscripten; the
//! browser's own `fetch` is the transport there).

use bytes::Bytes;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use zeroize::Zeroizing;

use super::super::config::ClientConfig;
use super::super::error::{Error, ErrorKind};
use super::exchange::{
    body_limit, settle_body, BodyRead, Exchange, Lost, Outgoing, Received, JSON,
};

/// One connection pool with the client's TLS roots and proxy.
#[derive(Debug)]
pub(crate) struct BuiltIn {
    http: reqwest::Client,
}

impl BuiltIn {
    pub(crate) fn new(config: &ClientConfig) -> Result<BuiltIn, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            // The SDK's own policy is the one place that decides retries. reqwest's retry layer
            // would resend only HTTP/2 and HTTP/3 refusals (neither is built in), yet it copies
            // every request's headers and extensions in case it might: with no retries allowed
            // it keeps no copy.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .user_agent(concat!("xerial-native/", env!("CARGO_PKG_VERSION")))
            .no_proxy();
        if let Some(pem) = &config.extra_root_ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .ok()
                .filter(|certs| !certs.is_empty())
                .ok_or_else(|| {
                    Error::invalid_argument("extra_root_ca_pem", "no PEM certificate in it")
                })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        if let Some(proxy) = &config.proxy_url {
            builder = builder.proxy(proxy_for(proxy)?);
        }
        let http = builder
            .build()
            .map_err(|e| match config.extra_root_ca_pem {
                // The PEM parsed, but a block in it is not a certificate rustls can use.
                Some(_) => Error::invalid_argument(
                    "extra_root_ca_pem",
                    &format!("not a usable certificate ({})", cause(&e)),
                ),
                None => Error::new(
                    ErrorKind::Internal,
                    format!("cannot build the HTTP client: {e}"),
                ),
            })?;
        Ok(BuiltIn { http })
    }
}

impl Exchange for BuiltIn {
    async fn exchange<'a>(&'a self, outgoing: &'a Outgoing<'a>) -> Result<Received, Lost> {
        let mut request = self
            .http
            .request(outgoing.method.clone(), outgoing.url.clone());
        if let Some(token) = outgoing.bearer {
            request = request.header(AUTHORIZATION, bearer_header(token)?);
        }
        if let Some((content_type, body)) = outgoing.body {
            request = request
                .header(CONTENT_TYPE, content_type_value(content_type))
                .body(body.clone());
        }
        let response = request.send().await.map_err(|e| match e.is_connect() {
            true => Lost::NotSent(cause(&e)),
            false => Lost::MaybeSent(cause(&e)),
        })?;
        let status = response.status().as_u16();
        // Only an error's Retry-After is used (a success's answer is final).
        let retry_after = (!response.status().is_success())
            .then(|| response.headers().get(RETRY_AFTER))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .map(Box::from);
        let body = settle_body(status, read_limited(response, body_limit(status)).await)?;
        Ok(Received {
            status,
            retry_after,
            body,
        })
    }
}

/// A `Content-Type` header value: JSON's (every Xerial endpoint) is built when compiled, where
/// `from_static` at run time checks each byte again.
fn content_type_value(content_type: &'static str) -> HeaderValue {
    const JSON_VALUE: HeaderValue = HeaderValue::from_static(JSON);
    match content_type {
        JSON => JSON_VALUE,
        other => HeaderValue::from_static(other),
    }
}

/// `Authorization: Bearer <token>`, built in a buffer that is wiped when the HTTP client drops
/// it (reqwest's `bearer_auth` formats it into a string that is freed unwiped). The policy has
/// checked that the token fits a header.
fn bearer_header(token: &str) -> Result<HeaderValue, Lost> {
    const SCHEME: &[u8] = b"Bearer ";
    let mut value = Zeroizing::new(Vec::with_capacity(SCHEME.len() + token.len()));
    value.extend_from_slice(SCHEME);
    value.extend_from_slice(token.as_bytes());
    let mut header = HeaderValue::from_maybe_shared(Bytes::from_owner(value))
        .map_err(|_| Lost::NotSent("the access token cannot be sent in a header".to_owned()))?;
    header.set_sensitive(true);
    Ok(header)
}

/// A proxy for `url`: `http://` or `https://` with a host (the only kinds this build can use).
fn proxy_for(url: &str) -> Result<reqwest::Proxy, Error> {
    let refuse = |why: &str| Error::invalid_argument("proxy_url", why);
    let parsed = url::Url::parse(url).map_err(|e| refuse(&format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(refuse("must be http://host:port or https://host:port"));
    }
    reqwest::Proxy::all(url).map_err(|e| refuse(&format!("not a proxy URL ({e})")))
}

/// The innermost cause of a reqwest error, which is the part a person can act on.
fn cause(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    if error.is_timeout() {
        return format!("timed out ({source})");
    }
    source.to_string()
}

/// Reads the body, stopping as soon as it is longer than `limit`.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> BodyRead {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return BodyRead::TooLarge;
    }
    let mut next = async || response.chunk().await.map_err(|e| cause(&e));
    let first = match next().await {
        Ok(Some(first)) => first,
        Ok(None) => return BodyRead::Complete(Bytes::new()),
        Err(why) => return BodyRead::Failed(why),
    };
    if first.len() > limit {
        return BodyRead::TooLarge;
    }
    // A small body arrives in one chunk: hand that chunk on without copying it.
    let second = match next().await {
        Ok(Some(second)) => second,
        Ok(None) => return BodyRead::Complete(first),
        Err(why) => return BodyRead::Failed(why),
    };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut chunk = second;
    loop {
        if body.len().saturating_add(chunk.len()) > limit {
            return BodyRead::TooLarge;
        }
        body.extend_from_slice(&chunk);
        match next().await {
            Ok(Some(more)) => chunk = more,
            Ok(None) => return BodyRead::Complete(Bytes::from(body)),
            Err(why) => return BodyRead::Failed(why),
        }
    }
}
