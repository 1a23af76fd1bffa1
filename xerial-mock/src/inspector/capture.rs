//! Where the accept loop meets the journal: [`admit`] records an arriving request, counts it
//! and picks its fault; [`Record::finish`] records the answer (or its absence); both bodies are
//! wrapped so that what flows through them is captured (bounded) without changing a byte, a
//! frame or the declared length that the client sees.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, Response};
use http_body::{Frame, SizeHint};

use super::journal::{Arrival, Side, BODY_CAPTURE_BYTES};
use crate::faults::{Fault, FaultKind};
use crate::inject::Dropped;
use crate::Mock;

/// One journaled request on its way through the server.
pub(crate) struct Record {
    mock: Mock,
    id: u64,
    started: Instant,
    finished: bool,
}

fn pairs(headers: &HeaderMap) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("(not text)")))
        .collect()
}

/// Records `req`, counts it and takes its fault (noting which rule hit it); returns the
/// request with its body captured, the record to finish, and the fault to apply.
pub(crate) fn admit(mock: &Mock, req: Request<Body>) -> (Request<Body>, Record, Option<Fault>) {
    let journal = mock.journal();
    let id = journal.begin(&Arrival {
        method: req.method().as_str(),
        path: req.uri().path(),
        query: req.uri().query(),
        headers: pairs(req.headers()),
    });
    let fault = mock
        .observe(req.method().as_str(), req.uri().path(), id)
        .map(|(rule, fault)| {
            journal.fault(id, rule, label(&fault));
            fault
        });
    let record = Record {
        mock: mock.clone(),
        id,
        started: Instant::now(),
        finished: false,
    };
    let req = req.map(|body| Tee::wrap(body, mock, id, Side::Request));
    (req, record, fault)
}

impl Record {
    fn elapsed_ms(&self) -> f64 {
        (self.started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
    }

    /// Records how the request ended and captures the response body as it is sent.
    pub(crate) fn finish(
        mut self,
        result: Result<Response<Body>, Dropped>,
    ) -> Result<Response<Body>, Dropped> {
        self.finished = true;
        let latency = self.elapsed_ms();
        let journal = self.mock.journal();
        match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                journal.answered(self.id, status, &pairs(resp.headers()), latency);
                Ok(resp.map(|body| Tee::wrap(body, &self.mock, self.id, Side::Response)))
            }
            Err(dropped) => {
                journal.unanswered(self.id, "closed", latency);
                Err(dropped)
            }
        }
    }
}

impl Drop for Record {
    /// The client went away before the answer (hyper dropped the request's future).
    fn drop(&mut self) {
        if !self.finished {
            let latency = self.elapsed_ms();
            self.mock
                .journal()
                .unanswered(self.id, "abandoned", latency);
        }
    }
}

/// A short name for a fault, as the request list shows it.
fn label(fault: &Fault) -> String {
    match &fault.kind {
        FaultKind::Status {
            status,
            retry_after: Some(secs),
            ..
        } => format!("status {status}, Retry-After {secs}"),
        FaultKind::Status { status, .. } => format!("status {status}"),
        FaultKind::Delay { ms } => format!("delay {ms} ms"),
        FaultKind::Drop => "drop".to_owned(),
        FaultKind::Hang { .. } => "hang".to_owned(),
        FaultKind::Malformed => "malformed body".to_owned(),
        FaultKind::Truncate => "truncated body".to_owned(),
        FaultKind::Trickle { .. } => "trickle".to_owned(),
        FaultKind::Oversized { .. } => "oversized body".to_owned(),
        FaultKind::ContentType { content_type } => format!("content-type {content_type}"),
    }
}

/// The first bytes of a body and its size, handed to the journal when the body is done
/// (read to the end, failed, or dropped unread).
struct Capture {
    mock: Mock,
    id: u64,
    side: Side,
    kept: Vec<u8>,
    size: usize,
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.mock
            .journal()
            .body(self.id, self.side, &self.kept, self.size);
    }
}

/// A body that passes every frame through unchanged while capturing it.
struct Tee {
    inner: Body,
    capture: Option<Capture>,
}

impl Tee {
    fn wrap(inner: Body, mock: &Mock, id: u64, side: Side) -> Body {
        Body::new(Tee {
            inner,
            capture: Some(Capture {
                mock: mock.clone(),
                id,
                side,
                kept: Vec::new(),
                size: 0,
            }),
        })
    }
}

impl http_body::Body for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(capture)) = (frame.data_ref(), self.capture.as_mut()) {
                    let room = BODY_CAPTURE_BYTES.saturating_sub(capture.kept.len());
                    capture
                        .kept
                        .extend_from_slice(&data[..data.len().min(room)]);
                    capture.size = capture.size.saturating_add(data.len());
                }
            }
            // The end or an error: hand the capture over now rather than when dropped.
            Poll::Ready(_) => self.capture = None,
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
