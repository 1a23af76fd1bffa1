//! Carrying out a [`Fault`]: the synthetic responses and misbehaving bodies.
//!
//! This sits between the connection and the router because several faults are about
//! the transport, not about a response an axum handler could return: dropping the
//! connection (`Err` from the hyper service closes it without writing a byte), a body
//! that errors mid-stream (truncate), or one that arrives slowly (trickle).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use axum::Router;
use http_body::Frame;
use http_body_util::{BodyExt, Limited};
use tokio::sync::{mpsc, watch};
use tower::ServiceExt;

use crate::faults::{
    Fault, FaultKind, DEFAULT_HANG, DEFAULT_OVERSIZED_BYTES, DEFAULT_TRICKLE_CHUNK_BYTES,
    DEFAULT_TRICKLE_INTERVAL_MS,
};

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// Runs the real route handler for `req`.
pub async fn call(router: &Router, req: Request<Body>) -> Response<Body> {
    match router.clone().oneshot(req).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    }
}

/// Applies `fault` to `req`; `router` runs the real handler for the kinds that need
/// it, `stop` ends a hang early on shutdown. `Err(Dropped)` means: close, no answer.
pub async fn apply(
    fault: Fault,
    req: Request<Body>,
    router: &Router,
    mut stop: watch::Receiver<bool>,
) -> Result<Response<Body>, Dropped> {
    if let Some(ms) = fault.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match fault.kind {
        FaultKind::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(call(router, req).await)
        }
        FaultKind::Trickle {
            interval_ms,
            chunk_bytes,
        } => {
            let resp = call(router, req).await;
            Ok(trickle(
                resp,
                Duration::from_millis(interval_ms.unwrap_or(DEFAULT_TRICKLE_INTERVAL_MS)),
                chunk_bytes.unwrap_or(DEFAULT_TRICKLE_CHUNK_BYTES).max(1),
            )
            .await)
        }
        FaultKind::ContentType { content_type } => {
            let mut resp = call(router, req).await;
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                resp.headers_mut().insert(CONTENT_TYPE, v);
            }
            Ok(resp)
        }
        FaultKind::Status {
            status,
            body,
            text,
            retry_after,
        } => {
            drain(req).await;
            Ok(status_response(status, body, text, retry_after))
        }
        FaultKind::Drop => {
            drain(req).await;
            Err(Dropped)
        }
        FaultKind::Hang { max_ms } => {
            drain(req).await;
            let hold = max_ms
                .map_or(DEFAULT_HANG, Duration::from_millis)
                .min(DEFAULT_HANG);
            tokio::select! {
                () = tokio::time::sleep(hold) => {}
                () = crate::server::stopping(&mut stop) => {}
            }
            Err(Dropped)
        }
        FaultKind::Malformed => {
            drain(req).await;
            Ok(raw(
                StatusCode::OK,
                "application/json",
                Body::from(&b"{\"this is\": not json"[..]),
            ))
        }
        FaultKind::Truncate => {
            drain(req).await;
            Ok(truncated())
        }
        FaultKind::Oversized { bytes } => {
            drain(req).await;
            Ok(oversized(bytes.unwrap_or(DEFAULT_OVERSIZED_BYTES)))
        }
    }
}

/// Reads and discards the request body (capped), so "read the request" holds and the
/// client is never blocked writing it.
async fn drain(req: Request<Body>) {
    let _ = Limited::new(req.into_body(), 64 * 1024 * 1024)
        .collect()
        .await;
}

fn raw(status: StatusCode, content_type: &'static str, body: Body) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn status_response(
    status: u16,
    body: Option<serde_json::Value>,
    text: Option<String>,
    retry_after: Option<u64>,
) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match (body, text) {
        (Some(json), _) => raw(status, "application/json", Body::from(json.to_string())),
        (None, Some(text)) => raw(status, "text/plain; charset=utf-8", Body::from(text)),
        (None, None) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = status;
            r
        }
    };
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// `200` claiming 1000 bytes, sending 10, then failing the body so hyper aborts the
/// connection. The pause before the error lets hyper flush the head and first bytes.
fn truncated() -> Response<Body> {
    let (tx, rx) = mpsc::channel(2);
    tokio::spawn(async move {
        let _ = tx.send(Ok(Bytes::from_static(b"{\"access\":"))).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = tx
            .send(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "body truncated by fault injection",
            )))
            .await;
    });
    let mut resp = raw(
        StatusCode::OK,
        "application/json",
        Body::new(ChannelBody { rx }),
    );
    resp.headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(1000u32));
    resp
}

/// `200` with `{"pad":"aaa…"}` of more than `bytes` bytes.
fn oversized(bytes: usize) -> Response<Body> {
    let mut body = Vec::with_capacity(bytes + 12);
    body.extend_from_slice(b"{\"pad\":\"");
    body.resize(body.len() + bytes, b'a');
    body.extend_from_slice(b"\"}");
    raw(StatusCode::OK, "application/json", Body::from(body))
}

/// Re-sends `resp`'s body `chunk` bytes at a time, `interval` apart, keeping its
/// status and headers and declaring the true Content-Length.
async fn trickle(resp: Response<Body>, interval: Duration, chunk: usize) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        let mut rest = bytes;
        let mut first = true;
        while !rest.is_empty() {
            if !first {
                tokio::time::sleep(interval).await;
            }
            first = false;
            let piece = rest.split_to(chunk.min(rest.len()));
            if tx.send(Ok(piece)).await.is_err() {
                return; // client went away
            }
        }
    });
    Response::from_parts(parts, Body::new(ChannelBody { rx }))
}

/// A response body fed from a channel: `Ok` items are data frames, an `Err` aborts.
struct ChannelBody {
    rx: mpsc::Receiver<Result<Bytes, io::Error>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|item| item.map(|r| r.map(Frame::data)))
    }
}
