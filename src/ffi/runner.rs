//! Where a generation's tasks run: on the process's tokio runtime (`XERIAL_RUN_THREADS`), or
//! inside `xerial_poll` (`XERIAL_RUN_IN_POLL`, see `in_poll`).

use std::future::Future;
use std::sync::Arc;

use super::in_poll::{InPoll, Task};

/// The tasks of one generation.
pub(crate) enum Runner {
    /// The process runtime's threads (every spawn goes through the stored handle, never the
    /// ambient thread's context).
    #[cfg(not(target_os = "emscripten"))]
    Threads(tokio::runtime::Handle),
    /// No thread: `xerial_poll` steps the tasks and fires the timers.
    InPoll(InPoll),
}

/// How to stop one spawned task.
pub(crate) enum TaskAbort {
    #[cfg(not(target_os = "emscripten"))]
    Runtime(tokio::task::AbortHandle),
    InPoll(Arc<Task>),
}

impl TaskAbort {
    /// Stops the task; its future is dropped by its executor (never on the calling thread, so
    /// no host code runs under the caller's locks).
    pub(crate) fn abort(&self) {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            TaskAbort::Runtime(handle) => handle.abort(),
            TaskAbort::InPoll(task) => task.abort(),
        }
    }
}

impl Runner {
    /// Starts `task`.
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) -> TaskAbort {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            Runner::Threads(runtime) => TaskAbort::Runtime(runtime.spawn(task).abort_handle()),
            Runner::InPoll(in_poll) => TaskAbort::InPoll(in_poll.spawn(task)),
        }
    }

    /// The in-poll executor, when this generation has one.
    pub(crate) fn in_poll(&self) -> Option<&InPoll> {
        match self {
            Runner::InPoll(in_poll) => Some(in_poll),
            #[cfg(not(target_os = "emscripten"))]
            Runner::Threads(_) => None,
        }
    }
}
