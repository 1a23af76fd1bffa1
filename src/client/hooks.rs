//! What the layer running a call (the C shell's registry of owed callbacks) learns from inside
//! the call's future, and decides for it.
//!
//! Two moments matter to the exactly-once rules: when anything of the request may have left the
//! process (a cancelled purchase is then `OutcomeUnknown`, not `Cancelled`), and when the call
//! takes effect locally (a login installs its session). The second must be atomic with respect
//! to cancel and shutdown: a login is either reported OK with its session installed, or stopped
//! with nothing installed — never "shut down" with the session persisted anyway.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Implemented by whoever runs a call; installed for the call's future by [`observe`].
pub trait CallHooks: Send + Sync {
    /// Something of this call may have left the process from now on.
    fn sent(&self);
    /// The call is about to take effect locally. Returns false when it was stopped (cancelled
    /// or shut down) and must not; once it returned true the call can no longer be stopped.
    fn commit(&self) -> bool;
}

// The hooks of the call being polled on this thread: a task-local, made of a thread-local that
// `Observe` fills while it polls (tokio's `task_local!` needs tokio's runtime, which the
// WebAssembly build does not have).
thread_local! {
    static HOOKS: RefCell<Option<Arc<dyn CallHooks>>> = const { RefCell::new(None) };
}

/// Runs `future` with `hooks` told about it (see [`CallHooks`]).
pub fn observe<F: Future + Unpin>(hooks: Arc<dyn CallHooks>, future: F) -> Observe<F> {
    Observe {
        hooks: Some(hooks),
        future,
    }
}

/// The future of [`observe`].
pub struct Observe<F> {
    /// Moved into the thread-local while the future is polled (no reference count traffic).
    hooks: Option<Arc<dyn CallHooks>>,
    future: F,
}

/// Moves the hooks back out of the thread-local when polling ends, even by a panic (which the
/// FFI catches further out), and restores whatever was there before (a nested `observe`).
struct Restore<'a> {
    hooks: &'a mut Option<Arc<dyn CallHooks>>,
    outer: Option<Arc<dyn CallHooks>>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        *self.hooks = HOOKS.with(|hooks| hooks.replace(self.outer.take()));
    }
}

impl<F: Future + Unpin> Future for Observe<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Observe { hooks, future } = &mut *self;
        let outer = HOOKS.with(|current| current.replace(hooks.take()));
        let _restore = Restore { hooks, outer };
        Pin::new(future).poll(cx)
    }
}

/// The running call's hooks, if it runs inside `observe` (a Rust caller of the client may not).
fn with_hooks<R>(act: impl FnOnce(&dyn CallHooks) -> R) -> Option<R> {
    // Cloned out first: a hook may poll another observed future (it never does today).
    let hooks = HOOKS.with(|hooks| hooks.borrow().clone())?;
    Some(act(&*hooks))
}

/// Tells the running call's hooks that its request may have left.
pub(crate) fn mark_sent() {
    with_hooks(|hooks| hooks.sent());
}

/// Whether the running call may take effect now (see [`CallHooks::commit`]); true outside
/// `observe`.
pub(crate) fn commit() -> bool {
    with_hooks(|hooks| hooks.commit()).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    struct Count(AtomicUsize);

    impl CallHooks for Count {
        fn sent(&self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        fn commit(&self) -> bool {
            false
        }
    }

    #[test]
    fn only_the_observed_call_hears_of_it() {
        let outer = Arc::new(Count(AtomicUsize::new(0)));
        let inner = Arc::new(Count(AtomicUsize::new(0)));
        let inner_hooks: Arc<dyn CallHooks> = inner.clone();
        let done = futures_util::FutureExt::now_or_never(observe(
            outer.clone(),
            Box::pin(async move {
                observe(inner_hooks, Box::pin(async {})).await;
                mark_sent();
                commit()
            }),
        ));
        assert_eq!(done, Some(false), "the outer hooks decided");
        assert_eq!(outer.0.load(Ordering::SeqCst), 1);
        assert_eq!(inner.0.load(Ordering::SeqCst), 0);
        mark_sent(); // outside: nobody to tell, no panic
        assert!(commit());
    }
}
