//! What the layer running a call (the C shell's registry of owed callbacks) learns from inside
//! the call's future, and decides for it.
//!
//! Two moments matter to the exactly-once rules: when anything of the request may have left the
//! process (a cancelled purchase is then `OutcomeUnknown`, not `Cancelled`), and when the call
//! takes effect locally (a login installs its session). The second must be atomic with respect
//! to cancel and shutdown: a login is either reported OK with its session installed, or stopped
//! with nothing installed — never "shut down" with the session persisted anyway.

use std::future::Future;
use std::sync::Arc;

/// Implemented by whoever runs a call; installed for the call's future by [`observe`].
pub trait CallHooks: Send + Sync {
    /// Something of this call may have left the process from now on.
    fn sent(&self);
    /// The call is about to take effect locally. Returns false when it was stopped (cancelled
    /// or shut down) and must not; once it returned true the call can no longer be stopped.
    fn commit(&self) -> bool;
}

tokio::task_local! {
    static HOOKS: Arc<dyn CallHooks>;
}

/// Runs `future` with `hooks` told about it (see [`CallHooks`]).
pub fn observe<F: Future>(hooks: Arc<dyn CallHooks>, future: F) -> impl Future<Output = F::Output> {
    HOOKS.scope(hooks, future)
}

/// Tells the running call's hooks that its request may have left.
pub(crate) fn mark_sent() {
    // Outside `observe` (a Rust caller of the client) there is nobody to tell.
    let _ = HOOKS.try_with(|hooks| hooks.sent());
}

/// Whether the running call may take effect now (see [`CallHooks::commit`]); true outside
/// `observe`.
pub(crate) fn commit() -> bool {
    HOOKS.try_with(|hooks| hooks.commit()).unwrap_or(true)
}
