//! The request journal: every request the mock answered (admin calls aside), with redacted
//! headers and bounded, redacted bodies, kept in a ring buffer that the inspector's live
//! request list polls.
//!
//! An entry is written when the request arrives (so a hanging request shows as pending) and
//! updated as it goes: the fault that hit it, the response head, then each body once it has
//! been read or sent. Every change bumps a revision counter; `GET /_mock/log?since=REV` returns
//! the entries changed after `REV`, which is how the page updates without a reload. The buffer
//! holds at most [`MAX_ENTRIES`] entries and [`MAX_BYTES`] of recorded text; the oldest go first.
//! Nothing is stored unredacted (see [`super::redact`]).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{json, Value};

use super::redact;
use crate::tokens;

/// Most entries kept.
pub const MAX_ENTRIES: usize = 500;
/// Most bytes of recorded text (paths, headers, bodies) kept over all entries.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most bytes of one body kept (the rest is counted, not kept).
pub const BODY_CAPTURE_BYTES: usize = 16 * 1024;
/// Most headers kept per message, and bytes per header value.
const MAX_HEADERS: usize = 64;
const MAX_HEADER_VALUE: usize = 1024;

/// Which message of an exchange a body belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// What the client sent.
    Request,
    /// What the mock answered.
    Response,
}

/// A request as it arrives: method, path, query and headers, not yet redacted.
#[derive(Debug)]
pub struct Arrival<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path without the query.
    pub path: &'a str,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// Header names and values.
    pub headers: Vec<(&'a str, &'a str)>,
}

#[derive(Debug, Default)]
struct Body {
    text: String,
    size: usize,
    truncated: bool,
}

#[derive(Debug)]
struct Entry {
    id: u64,
    rev: u64,
    // Arrival, epoch ms (formatted when served: the request path stays cheap).
    time_ms: i64,
    method: String,
    path: String,
    query: Option<String>,
    user_agent: Option<String>,
    request_headers: Vec<(String, String)>,
    status: Option<u16>,
    outcome: &'static str,
    // Milliseconds to the response head (or to the end, without one), to 0.1 ms.
    latency_ms: Option<f64>,
    fault: Option<(u64, String)>,
    response_headers: Vec<(String, String)>,
    request_body: Option<Body>,
    response_body: Option<Body>,
    // Bytes of recorded text, for the buffer's byte cap.
    bytes: usize,
}

impl Entry {
    fn measure(&mut self) {
        let headers =
            |h: &[(String, String)]| -> usize { h.iter().map(|(n, v)| n.len() + v.len()).sum() };
        let body = |b: &Option<Body>| b.as_ref().map_or(0, |b| b.text.len());
        self.bytes = self.path.len()
            + self.query.as_ref().map_or(0, String::len)
            + headers(&self.request_headers)
            + headers(&self.response_headers)
            + body(&self.request_body)
            + body(&self.response_body);
    }

    fn summary(&self) -> Value {
        json!({
            "id": self.id, "time": tokens::iso8601(self.time_ms), "method": self.method,
            "path": self.path,
            "query": self.query, "userAgent": self.user_agent, "status": self.status,
            "outcome": self.outcome, "latencyMs": self.latency_ms,
            "fault": self.fault.as_ref().map(|(rule, label)| json!({"rule": rule, "label": label})),
        })
    }

    fn detail(&self) -> Value {
        let headers = |h: &[(String, String)]| -> Vec<Value> {
            h.iter().map(|(n, v)| json!([n, v])).collect()
        };
        let body = |b: &Option<Body>| {
            b.as_ref()
                .map(|b| json!({"text": b.text, "size": b.size, "truncated": b.truncated}))
        };
        let mut v = self.summary();
        if let Value::Object(map) = &mut v {
            map.insert(
                "requestHeaders".into(),
                headers(&self.request_headers).into(),
            );
            map.insert(
                "responseHeaders".into(),
                headers(&self.response_headers).into(),
            );
            map.insert("requestBody".into(), body(&self.request_body).into());
            map.insert("responseBody".into(), body(&self.response_body).into());
        }
        v
    }
}

/// The ring buffer. Cheap to lock: every method holds the lock for a copy or an update, never
/// across an `.await` or redaction work.
#[derive(Debug, Default)]
pub struct Journal {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: VecDeque<Entry>,
    next_id: u64,
    rev: u64,
    bytes: usize,
}

impl Inner {
    fn find(&mut self, id: u64) -> Option<&mut Entry> {
        let first = self.entries.front()?.id;
        let idx = usize::try_from(id.checked_sub(first)?).ok()?;
        self.entries.get_mut(idx).filter(|e| e.id == id)
    }

    /// Applies `change` to entry `id` (gone already: nothing), re-measures and evicts.
    fn update(&mut self, id: u64, change: impl FnOnce(&mut Entry)) {
        self.rev += 1;
        let rev = self.rev;
        let Some(entry) = self.find(id) else { return };
        let before = entry.bytes;
        change(entry);
        entry.rev = rev;
        entry.measure();
        let after = entry.bytes;
        self.bytes = self.bytes.saturating_sub(before).saturating_add(after);
        self.evict();
    }

    fn evict(&mut self) {
        while self.entries.len() > MAX_ENTRIES || (self.bytes > MAX_BYTES && self.entries.len() > 1)
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes = self.bytes.saturating_sub(old.bytes);
            }
        }
    }
}

fn lock(m: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .take(MAX_HEADERS)
        .map(|(name, value)| {
            let value: String = value.chars().take(MAX_HEADER_VALUE).collect();
            ((*name).to_owned(), redact::header(name, &value))
        })
        .collect()
}

impl Journal {
    /// Records an arriving request as pending and returns its id.
    pub fn begin(&self, arrival: &Arrival<'_>) -> u64 {
        let request_headers = headers(&arrival.headers);
        let user_agent = request_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone());
        let mut entry = Entry {
            id: 0,
            rev: 0,
            time_ms: tokens::now_ms(),
            method: arrival.method.to_owned(),
            path: redact::text(arrival.path),
            query: arrival.query.map(redact::text),
            user_agent,
            request_headers,
            status: None,
            outcome: "pending",
            latency_ms: None,
            fault: None,
            response_headers: Vec::new(),
            request_body: None,
            response_body: None,
            bytes: 0,
        };
        entry.measure();
        let mut inner = lock(&self.inner);
        inner.next_id += 1;
        inner.rev += 1;
        (entry.id, entry.rev) = (inner.next_id, inner.rev);
        inner.bytes = inner.bytes.saturating_add(entry.bytes);
        inner.entries.push_back(entry);
        inner.evict();
        inner.next_id
    }

    /// Notes that fault rule `rule` (described by `label`) hit request `id`.
    pub fn fault(&self, id: u64, rule: u64, label: String) {
        lock(&self.inner).update(id, |e| e.fault = Some((rule, label)));
    }

    /// Records the response head of request `id`, `latency_ms` after it arrived.
    pub fn answered(&self, id: u64, status: u16, head: &[(&str, &str)], latency_ms: f64) {
        let response_headers = headers(head);
        lock(&self.inner).update(id, |e| {
            (e.status, e.outcome, e.latency_ms) = (Some(status), "answered", Some(latency_ms));
            e.response_headers = response_headers;
        });
    }

    /// Records that request `id` ended without an answer (`outcome`: `"closed"` when the
    /// mock closed the connection on purpose, `"abandoned"` when the client went away first).
    pub fn unanswered(&self, id: u64, outcome: &'static str, latency_ms: f64) {
        lock(&self.inner).update(id, |e| {
            (e.outcome, e.latency_ms) = (outcome, Some(latency_ms))
        });
    }

    /// Records a body of request `id`: its first bytes (at most [`BODY_CAPTURE_BYTES`]) and
    /// its full size.
    pub fn body(&self, id: u64, side: Side, captured: &[u8], size: usize) {
        let truncated = size > captured.len();
        let body = Body {
            text: redact::body(captured, !truncated),
            size,
            truncated,
        };
        lock(&self.inner).update(id, |e| match side {
            Side::Request => e.request_body = Some(body),
            Side::Response => e.response_body = Some(body),
        });
    }

    /// Forgets every entry (ids keep counting up).
    pub fn clear(&self) {
        let mut inner = lock(&self.inner);
        inner.rev += 1;
        inner.entries.clear();
        inner.bytes = 0;
    }

    /// `GET /_mock/log?since=REV`: `{"rev", "first", "entries"}`, the entries changed after
    /// `since` (all with 0), newest first, without headers and bodies. `first` is the oldest
    /// id still kept (the next id when empty): a client drops what it holds below it.
    pub fn since(&self, since: u64) -> Value {
        let inner = lock(&self.inner);
        let entries: Vec<Value> = inner
            .entries
            .iter()
            .rev()
            .filter(|e| e.rev > since)
            .map(Entry::summary)
            .collect();
        let first = inner.entries.front().map_or(inner.next_id + 1, |e| e.id);
        json!({"rev": inner.rev, "first": first, "entries": entries})
    }

    /// `GET /_mock/log/{id}`: one entry with its headers and bodies.
    pub fn detail(&self, id: u64) -> Option<Value> {
        lock(&self.inner).find(id).map(|e| e.detail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrive(journal: &Journal, path: &str) -> u64 {
        journal.begin(&Arrival {
            method: "GET",
            path,
            query: Some("refreshToken=abc&x=1"),
            headers: vec![("user-agent", "game/1"), ("authorization", "Bearer zzz")],
        })
    }

    #[test]
    fn entries_update_in_place_and_deltas_follow_revisions() {
        let j = Journal::default();
        let a = arrive(&j, "/a");
        let b = arrive(&j, "/b");
        let all = j.since(0);
        assert_eq!(all["entries"][0]["id"], b, "newest first");
        assert_eq!(all["entries"][1]["outcome"], "pending");
        assert_eq!(all["entries"][1]["query"], "refreshToken=[redacted]&x=1");
        assert_eq!(all["entries"][1]["userAgent"], "game/1");
        let rev = all["rev"].as_u64().unwrap_or_default();
        j.fault(a, 7, "status 503".into());
        j.answered(a, 503, &[("content-type", "application/json")], 12.5);
        j.body(a, Side::Response, br#"{"token":"t"}"#, 13);
        let delta = j.since(rev);
        assert_eq!(delta["entries"].as_array().map(Vec::len), Some(1));
        assert_eq!(delta["entries"][0]["status"], 503);
        assert_eq!(delta["entries"][0]["fault"]["rule"], 7);
        let detail = j.detail(a).unwrap_or_default();
        assert_eq!(
            detail["requestHeaders"][1],
            json!(["authorization", "Bearer [redacted]"])
        );
        assert_eq!(
            detail["responseBody"]["text"],
            "{\n  \"token\": \"[redacted]\"\n}"
        );
        assert_eq!(detail["requestBody"], Value::Null);
        j.unanswered(b, "closed", 5.0);
        assert_eq!(j.detail(b).unwrap_or_default()["outcome"], "closed");
        j.clear();
        let empty = j.since(0);
        assert_eq!(empty["entries"], json!([]));
        assert_eq!(empty["first"], b + 1);
        j.body(a, Side::Request, b"late", 4); // a body finishing after a clear is ignored
        assert!(j.detail(a).is_none());
    }

    #[test]
    fn the_ring_is_bounded_by_entries_and_bytes() {
        let j = Journal::default();
        for _ in 0..MAX_ENTRIES + 10 {
            arrive(&j, "/x");
        }
        let log = j.since(0);
        assert_eq!(log["entries"].as_array().map(Vec::len), Some(MAX_ENTRIES));
        assert_eq!(log["first"], 11);
        let big = vec![b'a'; BODY_CAPTURE_BYTES];
        let per_entry = MAX_BYTES / (2 * BODY_CAPTURE_BYTES);
        for _ in 0..per_entry + 20 {
            let id = arrive(&j, "/y");
            j.body(id, Side::Request, &big, 1 << 20);
            j.body(id, Side::Response, &big, big.len());
        }
        let kept = j.since(0)["entries"].as_array().map_or(0, Vec::len);
        assert!(kept <= per_entry, "{kept} entries kept");
        assert!(lock(&j.inner).bytes <= MAX_BYTES);
        let last = j.since(0)["entries"][0]["id"].as_u64().unwrap_or_default();
        let body = &j.detail(last).unwrap_or_default()["requestBody"];
        assert_eq!(
            (body["size"].as_u64(), body["truncated"].as_bool()),
            (Some(1 << 20), Some(true))
        );
    }
}
