//! The host's exchange: the game performs each request with its own HTTP stack (a console's
//! certified one, `UnityWebRequest`, `FHttpModule`, the browser's `fetch`) and reports back.
//!
//! Each attempt gets a handle, unique in the process. The SDK hands the request to the host
//! ([`HostTransport::send`]) and waits; the host answers the handle exactly once
//! ([`HostExchanges::answer`] or [`HostExchanges::fail`]), from any thread or from inside `send`.
//! The SDK stops waiting when the call's deadline passes, the call is cancelled, or the SDK
//! shuts down: the handle is then abandoned (the host is told with [`HostTransport::cancel`]) and
//! a late answer for it is refused. Host code never runs under the lock: it may call back in.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use zeroize::Zeroizing;

use super::super::clock;
use super::super::sync::{Guard, Mutex};
use super::exchange::{
    body_limit, remaining_ms, settle_body, BodyRead, Exchange, Lost, Outgoing, Received,
};

/// The host's side of the seam (the FFI implements it over the C callbacks).
pub trait HostTransport: Send + Sync {
    /// Starts one exchange and returns without waiting for it. `request` is borrowed until
    /// this returns. The host answers `request.handle` exactly once, later or from inside.
    /// `Err` means the request could not be handed over at all (nothing was sent).
    fn send(&self, request: &HostRequest<'_>) -> Result<(), String>;

    /// The SDK stopped waiting for `handle` (deadline, cancel, shutdown): the host may stop the
    /// exchange. A hint; an answer that still comes is refused.
    fn cancel(&self, handle: u64);
}

/// One HTTP request for the host to perform, borrowed for the duration of `send`.
#[derive(Debug)]
pub struct HostRequest<'a> {
    /// Names this exchange in the answer.
    pub handle: u64,
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// Absolute URL.
    pub url: &'a str,
    /// Headers to send, `(name, value)`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body (empty when none).
    pub body: &'a [u8],
    /// What is left of the call's deadline, in milliseconds.
    pub timeout_ms: u32,
}

/// Where one handle stands.
enum Slot {
    /// Inside the host's `send` (an answer may already come from inside it).
    Sending,
    /// Handed over; the request's future waits to be woken.
    Waiting(Option<Waker>),
    /// The host answered; the future takes it at its next poll.
    Done(Result<Received, Lost>),
}

struct Open {
    /// Set by [`HostExchanges::abandon_all`] (shutdown): no exchange starts afterwards.
    closed: bool,
    /// `send` calls in progress, so that shutdown can wait for them.
    sending: usize,
    slots: HashMap<u64, Slot>,
}

/// Handles are unique in the process, so that an answer meant for an earlier initialisation
/// can never be taken for one of this one.
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// How many host `send` calls this thread is inside (a shutdown called from inside one
    /// cannot wait for it).
    static SENDING_HERE: Cell<usize> = const { Cell::new(0) };
}

/// The open exchanges of one client with its host transport.
pub struct HostExchanges {
    host: Arc<dyn HostTransport>,
    open: Mutex<Open>,
}

impl fmt::Debug for HostExchanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostExchanges")
            .field("open", &self.lock().slots.len())
            .finish_non_exhaustive()
    }
}

impl HostExchanges {
    pub(crate) fn new(host: Arc<dyn HostTransport>) -> HostExchanges {
        HostExchanges {
            host,
            open: Mutex::new(Open {
                closed: false,
                sending: 0,
                slots: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> Guard<'_, Open> {
        self.open.lock()
    }

    /// The host's HTTP answer for `handle`: its status, its `Retry-After` value if any, and its
    /// body (borrowed; copied only when within the limit). False, and nothing changes, when the
    /// handle is unknown, already answered or abandoned.
    pub fn answer(&self, handle: u64, status: u16, retry_after: Option<&str>, body: &[u8]) -> bool {
        let read = if body.len() > body_limit(status) {
            BodyRead::TooLarge
        } else {
            BodyRead::Complete(Bytes::copy_from_slice(body))
        };
        let result = settle_body(status, read).map(|body| Received {
            status,
            retry_after: retry_after.map(Box::from),
            body,
        });
        self.finish(handle, result)
    }

    /// The host could not perform the exchange for `handle`. `may_have_been_sent` false means
    /// nothing left the device (safe to send again). False when the handle is not open.
    pub fn fail(&self, handle: u64, may_have_been_sent: bool, message: &str) -> bool {
        let message = format!("the host transport failed: {message}");
        self.finish(
            handle,
            Err(match may_have_been_sent {
                false => Lost::NotSent(message),
                true => Lost::MaybeSent(message),
            }),
        )
    }

    fn finish(&self, handle: u64, result: Result<Received, Lost>) -> bool {
        let waker = {
            let mut open = self.lock();
            let Some(slot) = open.slots.get_mut(&handle) else {
                return false;
            };
            match std::mem::replace(slot, Slot::Done(result)) {
                Slot::Sending => None,
                Slot::Waiting(waker) => waker,
                previous @ Slot::Done(_) => {
                    *slot = previous;
                    return false;
                }
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }

    /// Stops every open exchange (shutdown): no exchange starts afterwards, every handle
    /// handed to the host is cancelled, and a `send` in progress on another thread is waited
    /// for (its handle is cancelled as soon as it returns). Answers that come later are refused.
    pub fn abandon_all(&self) {
        let handed: Vec<u64> = {
            let mut open = self.lock();
            open.closed = true;
            open.slots
                .drain()
                .filter(|(_, slot)| matches!(slot, Slot::Waiting(_)))
                .map(|(handle, _)| handle)
                .collect()
        };
        for handle in handed {
            self.host.cancel(handle);
        }
        let own = SENDING_HERE.with(Cell::get);
        let mut spins = 0u32;
        while self.lock().sending > own {
            // `send` must not block: it is about to return.
            if spins < 64 {
                std::thread::yield_now();
                spins += 1;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

impl Exchange for HostExchanges {
    fn exchange<'a>(
        &'a self,
        outgoing: &'a Outgoing<'a>,
    ) -> impl Future<Output = Result<Received, Lost>> + Send + 'a {
        HostExchange {
            exchanges: self,
            outgoing,
            handle: NEXT_HANDLE.fetch_add(1, Ordering::Relaxed),
            stage: Stage::Unsent,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Unsent,
    Handed,
    Finished,
}

/// One attempt through the host: sends at its first poll, then waits for the answer. Dropped
/// before the answer (deadline, cancel), it abandons its handle and tells the host.
struct HostExchange<'a> {
    exchanges: &'a HostExchanges,
    outgoing: &'a Outgoing<'a>,
    handle: u64,
    stage: Stage,
}

/// The SDK stopped waiting for a handle while it was being sent (shutdown).
fn abandoned() -> Lost {
    Lost::MaybeSent("the SDK stopped waiting for the host transport".to_owned())
}

impl HostExchange<'_> {
    /// Hands the request to the host; the answer may already be in when `send` returns.
    fn send(&mut self, cx: &mut Context<'_>) -> Poll<Result<Received, Lost>> {
        {
            let mut open = self.exchanges.lock();
            if open.closed {
                self.stage = Stage::Finished;
                return Poll::Ready(Err(Lost::NotSent("the SDK was shut down".to_owned())));
            }
            open.slots.insert(self.handle, Slot::Sending);
            open.sending += 1;
        }
        self.stage = Stage::Handed;
        let outgoing = self.outgoing;
        let authorization = outgoing
            .bearer
            .map(|token| Zeroizing::new(["Bearer ", token].concat()));
        let mut headers: [(&str, &str); 2] = [("", ""); 2];
        let mut count = 0;
        if let Some(value) = &authorization {
            headers[count] = ("Authorization", value.as_str());
            count += 1;
        }
        if let Some((content_type, _)) = outgoing.body {
            headers[count] = ("Content-Type", content_type);
            count += 1;
        }
        let request = HostRequest {
            handle: self.handle,
            method: outgoing.method.as_str(),
            url: outgoing.url.as_str(),
            headers: &headers[..count],
            body: outgoing.body.map_or(&[][..], |(_, body)| &body[..]),
            timeout_ms: remaining_ms(outgoing.deadline, clock::now()),
        };
        SENDING_HERE.with(|n| n.set(n.get() + 1));
        let handed = self.exchanges.host.send(&request);
        SENDING_HERE.with(|n| n.set(n.get() - 1));
        let mut open = self.exchanges.lock();
        open.sending -= 1;
        if let Err(why) = handed {
            open.slots.remove(&self.handle);
            self.stage = Stage::Finished;
            return Poll::Ready(Err(Lost::NotSent(why)));
        }
        match open.slots.get_mut(&self.handle) {
            Some(slot @ Slot::Sending) => {
                *slot = Slot::Waiting(Some(cx.waker().clone()));
                Poll::Pending
            }
            Some(_) => self.take(open),
            None => {
                // Shutdown abandoned it during `send`; it left the cancel to us.
                drop(open);
                self.stage = Stage::Finished;
                self.exchanges.host.cancel(self.handle);
                Poll::Ready(Err(abandoned()))
            }
        }
    }

    /// Takes the answer if it is in (or learns the handle was abandoned).
    fn take(&mut self, mut open: Guard<'_, Open>) -> Poll<Result<Received, Lost>> {
        match open.slots.remove(&self.handle) {
            Some(Slot::Done(result)) => {
                self.stage = Stage::Finished;
                Poll::Ready(result)
            }
            Some(waiting) => {
                open.slots.insert(self.handle, waiting);
                Poll::Pending
            }
            None => {
                self.stage = Stage::Finished;
                Poll::Ready(Err(abandoned()))
            }
        }
    }
}

impl Future for HostExchange<'_> {
    type Output = Result<Received, Lost>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.stage {
            Stage::Unsent => self.send(cx),
            Stage::Handed => {
                let mut open = self.exchanges.lock();
                if let Some(Slot::Waiting(waker)) = open.slots.get_mut(&self.handle) {
                    match waker {
                        Some(waker) if waker.will_wake(cx.waker()) => {}
                        _ => *waker = Some(cx.waker().clone()),
                    }
                    return Poll::Pending;
                }
                self.take(open)
            }
            Stage::Finished => Poll::Ready(Err(abandoned())),
        }
    }
}

impl Drop for HostExchange<'_> {
    fn drop(&mut self) {
        if self.stage != Stage::Handed {
            return;
        }
        let removed = self.exchanges.lock().slots.remove(&self.handle);
        if matches!(removed, Some(Slot::Waiting(_))) {
            self.exchanges.host.cancel(self.handle);
        }
    }
}
