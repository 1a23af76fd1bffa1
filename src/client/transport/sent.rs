//! Telling the FFI whether a call may already have left the device, so that cancel and
//! shutdown can answer "cancelled" (it did not run) or "outcome unknown" (it may have).
//!
//! A task-local flag, set by the policy just before each attempt. It is a plain wrapper future
//! over a thread-local rather than tokio's `task_local!`, which needs tokio's runtime feature:
//! the WebAssembly build has no tokio runtime.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

thread_local! {
    /// The flag of the call being polled on this thread, if it is tracked.
    static SENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `future`, setting `flag` as soon as any request it makes may have left this process.
pub fn track_sending<F: Future + Unpin>(flag: Arc<AtomicBool>, future: F) -> TrackSending<F> {
    TrackSending {
        flag: Some(flag),
        future,
    }
}

/// The future of [`track_sending`].
pub struct TrackSending<F> {
    /// Moved into the thread-local while the future is polled (no reference count traffic).
    flag: Option<Arc<AtomicBool>>,
    future: F,
}

/// Moves the flag back out of the thread-local when polling ends, even by a panic (which the
/// FFI catches further out), and restores whatever was there before.
struct Restore<'a> {
    flag: &'a mut Option<Arc<AtomicBool>>,
    outer: Option<Arc<AtomicBool>>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        *self.flag = SENT.with(|sent| sent.replace(self.outer.take()));
    }
}

impl<F: Future + Unpin> Future for TrackSending<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let TrackSending { flag, future } = &mut *self;
        let outer = SENT.with(|sent| sent.replace(flag.take()));
        let _restore = Restore { flag, outer };
        Pin::new(future).poll(cx)
    }
}

/// Marks the call being polled as possibly sent (outside `track_sending`, nobody is told).
pub(crate) fn mark_sent() {
    SENT.with(|sent| {
        if let Some(flag) = &*sent.borrow() {
            flag.store(true, Ordering::Release);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tracked_call_is_marked() {
        let flag = Arc::new(AtomicBool::new(false));
        let other = Arc::new(AtomicBool::new(false));
        futures_util::FutureExt::now_or_never(track_sending(
            Arc::clone(&flag),
            Box::pin(async {
                let inner = track_sending(Arc::clone(&other), Box::pin(async {}));
                inner.await;
                mark_sent();
            }),
        ));
        assert!(flag.load(Ordering::Acquire));
        assert!(
            !other.load(Ordering::Acquire),
            "the nested call sent nothing"
        );
        mark_sent(); // outside: no effect, no panic
    }
}
