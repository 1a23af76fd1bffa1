//! One generation of the SDK: everything that lives from one `xerial_init` to its shutdown.
//!
//! The registry of requests still owed a callback and the queue of finished ones share one mutex,
//! so that "take the request out of the registry" and "queue its completion" are one step that
//! shutdown can never see half done. Whoever removes a request from the registry (its task, a
//! cancel, or shutdown) is the one who delivers its callback: that is the exactly-once rule.

use std::collections::{HashMap, VecDeque};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::task::AbortHandle;

use super::outcome::Outcome;
use super::types::{XerialResult, XERIAL_E_CANCELLED, XERIAL_E_OUTCOME_UNKNOWN, XERIAL_E_SHUTDOWN};
use crate::client::Client;

/// Completions queued in any generation; lets `xerial_poll` return without locking when idle.
pub(crate) static QUEUED: AtomicUsize = AtomicUsize::new(0);

/// How callbacks are delivered (`XerialConfig.dispatch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dispatch {
    Poll,
    Immediate,
}

/// The `user_data` pointer: the library never dereferences it, only hands it back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserData(pub *mut c_void);

// SAFETY: the pointer is opaque to the library; the caller owns what it points to and chose to
// receive it back on the callback thread the ABI documents.
unsafe impl Send for UserData {}

/// Where a result goes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub callback: unsafe extern "C" fn(*mut c_void, *const XerialResult),
    pub user_data: UserData,
}

/// A request still owed its callback.
pub(crate) struct Pending {
    pub target: Target,
    pub abort: Option<AbortHandle>,
    /// Whether losing its answer leaves the outcome unknown (purchases, transfers…).
    pub moves_value: bool,
    /// Set as soon as any of its bytes may have left.
    pub sent: Arc<AtomicBool>,
}

impl Pending {
    /// The result for a request stopped by cancel or shutdown: `stopped` if it surely did not
    /// run, `XERIAL_E_OUTCOME_UNKNOWN` if it moves value and may have been sent.
    fn stopped(&self, stopped: i32, message: &str) -> Outcome {
        if self.moves_value && self.sent.load(Ordering::Acquire) {
            Outcome::local(
                XERIAL_E_OUTCOME_UNKNOWN,
                "stopped waiting after the request may have been sent; it may have run",
            )
        } else {
            Outcome::local(stopped, message)
        }
    }
}

/// A finished request waiting for its callback to run.
pub(crate) struct Completion {
    pub id: u64,
    pub target: Target,
    pub outcome: Outcome,
}

/// Something queued for `xerial_poll` (or, in immediate mode, for a worker) to deliver.
pub(crate) enum Delivery {
    /// A request's callback.
    Request(Completion),
    /// The auth listener, with `XERIAL_AUTH_LOGGED_IN` or `XERIAL_AUTH_LOGGED_OUT`.
    Auth(i32),
}

struct Owed {
    pending: HashMap<u64, Pending>,
    queue: VecDeque<Delivery>,
    /// Set by shutdown: nothing may be registered or queued afterwards.
    closed: bool,
}

/// Everything of one init…shutdown span.
pub(crate) struct Generation {
    pub id: u64,
    pub client: Client,
    pub dispatch: Dispatch,
    /// The process runtime every task of this generation is spawned on.
    pub runtime: tokio::runtime::Handle,
    owed: Mutex<Owed>,
    /// Callbacks taken out of `owed` and not yet returned. Counted under the `owed` lock when
    /// taken, so shutdown can wait for every one it did not run itself.
    running: AtomicUsize,
}

impl Generation {
    pub(crate) fn new(
        id: u64,
        client: Client,
        dispatch: Dispatch,
        runtime: tokio::runtime::Handle,
    ) -> Generation {
        Generation {
            id,
            client,
            dispatch,
            runtime,
            owed: Mutex::new(Owed {
                pending: HashMap::new(),
                queue: VecDeque::new(),
                closed: false,
            }),
            running: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Owed> {
        self.owed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a request; false when shutdown already closed this generation.
    pub(crate) fn register(&self, id: u64, pending: Pending) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        owed.pending.insert(id, pending);
        true
    }

    /// Records how to abort the request's task, if it is still owed.
    pub(crate) fn set_abort(&self, id: u64, abort: AbortHandle) {
        if let Some(pending) = self.lock().pending.get_mut(&id) {
            pending.abort = Some(abort);
        }
    }

    /// A request's task finished. Returns the completion for the caller to run right away in
    /// immediate mode (counted as running); in poll mode it is queued and `None` returned.
    pub(crate) fn finish(&self, id: u64, outcome: Outcome) -> Option<Delivery> {
        let mut owed = self.lock();
        let pending = owed.pending.remove(&id)?;
        let completion = Delivery::Request(Completion {
            id,
            target: pending.target,
            outcome,
        });
        match self.dispatch {
            Dispatch::Poll => {
                owed.queue.push_back(completion);
                QUEUED.fetch_add(1, Ordering::Release);
                None
            }
            Dispatch::Immediate => {
                self.running.fetch_add(1, Ordering::AcqRel);
                Some(completion)
            }
        }
    }

    /// Stops a request if it is still owed, queueing its cancelled result. False if unknown.
    pub(crate) fn cancel(&self, id: u64) -> bool {
        let mut owed = self.lock();
        let Some(pending) = owed.pending.remove(&id) else {
            return false;
        };
        if let Some(abort) = &pending.abort {
            abort.abort();
        }
        let outcome = pending.stopped(XERIAL_E_CANCELLED, "cancelled");
        owed.queue.push_back(Delivery::Request(Completion {
            id,
            target: pending.target,
            outcome,
        }));
        QUEUED.fetch_add(1, Ordering::Release);
        true
    }

    /// Queues an auth-state change for the auth listener; false once the generation is closed.
    pub(crate) fn queue_auth(&self, state: i32) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        owed.queue.push_back(Delivery::Auth(state));
        QUEUED.fetch_add(1, Ordering::Release);
        true
    }

    /// How many completions are queued now.
    pub(crate) fn queued(&self) -> usize {
        self.lock().queue.len()
    }

    /// Takes the oldest queued completion, counting it as running.
    pub(crate) fn pop(&self) -> Option<Delivery> {
        let mut owed = self.lock();
        let completion = owed.queue.pop_front()?;
        QUEUED.fetch_sub(1, Ordering::AcqRel);
        self.running.fetch_add(1, Ordering::AcqRel);
        Some(completion)
    }

    /// A callback taken by `finish`, `pop` or `close` has returned.
    pub(crate) fn callback_returned(&self) {
        self.running.fetch_sub(1, Ordering::AcqRel);
    }

    /// Closes the generation: nothing is registered or queued after this. Returns every callback
    /// still owed, queued ones first (with their real results), then the requests in flight in
    /// the order they were made (aborted, with `XERIAL_E_SHUTDOWN`), all counted as running.
    pub(crate) fn close(&self) -> Vec<Delivery> {
        let mut owed = self.lock();
        owed.closed = true;
        let mut owed_now: Vec<Delivery> = owed.queue.drain(..).collect();
        QUEUED.fetch_sub(owed_now.len(), Ordering::AcqRel);
        let mut in_flight: Vec<(u64, Pending)> = owed.pending.drain().collect();
        in_flight.sort_unstable_by_key(|(id, _)| *id);
        for (id, pending) in in_flight {
            if let Some(abort) = &pending.abort {
                abort.abort();
            }
            let outcome = pending.stopped(XERIAL_E_SHUTDOWN, "the SDK was shut down");
            owed_now.push(Delivery::Request(Completion {
                id,
                target: pending.target,
                outcome,
            }));
        }
        self.running.fetch_add(owed_now.len(), Ordering::AcqRel);
        owed_now
    }

    /// Waits until the only callbacks of this generation still running are the `own` ones the
    /// calling thread is inside of (a shutdown never waits for the callback it is called from).
    pub(crate) fn wait_for_callbacks(&self, own: usize) {
        let mut spins = 0u32;
        while self.running.load(Ordering::Acquire) > own {
            // Callbacks are short; yield first, then sleep so a slow one costs no CPU.
            if spins < 64 {
                std::thread::yield_now();
                spins += 1;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}
