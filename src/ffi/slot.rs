//! A callback the game installs and may replace at any time: the log callback and the auth
//! listener.
//!
//! The callback runs with **no lock held** (it may call back into the SDK from any thread: set
//! another callback, shut down, clear the session). Each installed callback counts its running
//! invocations; replacing it swaps the slot under a short lock and then waits until no
//! invocation of the previous callback is running on another thread, so that the game may free
//! its `user_data` once the replacing call returns. The wait is skipped when the replacing thread
//! is itself inside an SDK callback: waiting there could wait for a thread that waits for it (a
//! callback of another thread calling `xerial_shutdown`, which waits for running callbacks).

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::dispatch::in_callback;
use super::generation::UserData;
use crate::client::sync::{assert_no_lock_held, Mutex};

/// One installed callback and how many of its invocations are running.
struct Installed<F> {
    callback: F,
    user_data: UserData,
    running: AtomicUsize,
}

/// A replaceable callback of type `F` (a C function pointer).
pub(crate) struct Slot<F> {
    current: Mutex<Option<Arc<Installed<F>>>>,
}

thread_local! {
    /// How many game callbacks outside the request queue (slot callbacks, a host transport's
    /// `send` and `cancel`) this thread is inside of (they nest: a log record written by an SDK
    /// call that the auth listener made).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Whether the calling thread is inside such a callback: then no SDK call waits for another
/// thread (which may be waiting for this callback to return).
pub(crate) fn inside_slot_callback() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// Runs game code `call` (named `what`) as a callback: under no SDK lock, and counted, so that
/// a `xerial_shutdown` it makes never waits for another thread.
pub(crate) fn run_game_code<R>(what: &str, call: impl FnOnce() -> R) -> R {
    struct Depth;
    impl Drop for Depth {
        fn drop(&mut self) {
            DEPTH.with(|depth| depth.set(depth.get() - 1));
        }
    }
    assert_no_lock_held(what);
    DEPTH.with(|depth| depth.set(depth.get() + 1));
    let _depth = Depth;
    call()
}

/// Ends one invocation, also if the callback unwinds.
struct Running<'a, F>(&'a Installed<F>);

impl<F> Drop for Running<'_, F> {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get() - 1));
        self.0.running.fetch_sub(1, Ordering::Release);
    }
}

impl<F: Copy> Slot<F> {
    pub(crate) const fn new() -> Slot<F> {
        Slot {
            current: Mutex::new(None),
        }
    }

    /// Runs `call(callback, user_data)` with the installed callback, if any, holding no lock;
    /// returns whether one ran.
    pub(crate) fn invoke(&self, call: impl FnOnce(F, *mut c_void)) -> bool {
        let installed = {
            let current = self.current.lock();
            let Some(installed) = current.as_ref() else {
                return false;
            };
            // Counted before the lock is released, so a replacement that swaps it out next
            // sees this invocation and waits for it.
            installed.running.fetch_add(1, Ordering::Acquire);
            Arc::clone(installed)
        };
        DEPTH.with(|depth| depth.set(depth.get() + 1));
        let _running = Running(&installed);
        assert_no_lock_held("a game callback");
        call(installed.callback, installed.user_data.0);
        true
    }

    /// Installs `callback` (or none); the previous one is never invoked again. Unless the
    /// calling thread is inside an SDK callback, also waits until the previous callback runs on
    /// no other thread.
    pub(crate) fn replace(&self, callback: Option<(F, UserData)>) {
        let new = callback.map(|(callback, user_data)| {
            Arc::new(Installed {
                callback,
                user_data,
                running: AtomicUsize::new(0),
            })
        });
        let old = std::mem::replace(&mut *self.current.lock(), new);
        let Some(old) = old else {
            return;
        };
        if in_callback() {
            return;
        }
        let mut spins = 0u32;
        while old.running.load(Ordering::Acquire) > 0 {
            // Callbacks are short: yield first, then sleep so a slow one costs no CPU.
            if spins < 64 {
                std::thread::yield_now();
                spins += 1;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}
