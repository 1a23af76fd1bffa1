//! One generation of the SDK: everything that lives from one `xerial_init` to its shutdown.
//!
//! The registry of requests still owed a callback and the queue of finished ones share one mutex,
//! so that "take the request out of the registry" and "queue its completion" are one step that
//! shutdown can never see half done. Whoever removes a request from the registry (its task, a
//! cancel, or shutdown) is the one who delivers its callback: that is the exactly-once rule.

use std::collections::{HashMap, VecDeque};
use std::ffi::c_void;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::outcome::Outcome;
use super::runner::{Runner, TaskAbort};
use super::types::{XerialResult, XERIAL_E_CANCELLED, XERIAL_E_OUTCOME_UNKNOWN, XERIAL_E_SHUTDOWN};
use crate::client::sync::{Guard, Mutex};
use crate::client::{CallHooks, Client};

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

/// What a request's future tells its generation (see `client::CallHooks`).
pub(crate) struct RequestHooks {
    pub id: u64,
    pub generation: Weak<Generation>,
    /// Set as soon as any of the request's bytes may have left.
    pub sent: AtomicBool,
}

impl CallHooks for RequestHooks {
    fn sent(&self) {
        self.sent.store(true, Ordering::Release);
    }

    fn commit(&self) -> bool {
        self.generation
            .upgrade()
            .is_some_and(|generation| generation.commit(self.id))
    }
}

/// A request still owed its callback.
pub(crate) struct Pending {
    pub target: Target,
    pub abort: Option<TaskAbort>,
    /// Whether losing its answer leaves the outcome unknown (purchases, transfers…).
    pub moves_value: bool,
    pub hooks: Arc<RequestHooks>,
    /// Its task is taking effect (installing a session) and will finish it: cancel and shutdown
    /// leave it to the task.
    pub committed: bool,
}

impl Pending {
    /// The result for a request stopped by cancel or shutdown: `stopped` if it surely did not
    /// run, `XERIAL_E_OUTCOME_UNKNOWN` if it moves value and may have been sent.
    fn stopped(&self, stopped: i32, message: &str) -> Outcome {
        if self.moves_value && self.hooks.sent.load(Ordering::Acquire) {
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
    /// A sign-in's `open_url` (§9), run only while that sign-in is still owed its callback.
    OpenUrl(OpenUrl),
    /// A write of the host's session store (see `session_store`).
    StoreWrite(crate::client::Work),
}

/// The URL a sign-in asks the game to open, and where.
pub(crate) struct OpenUrl {
    /// The sign-in's request id.
    pub id: u64,
    pub callback: unsafe extern "C" fn(*mut c_void, *const std::ffi::c_char),
    pub user_data: UserData,
    pub url: super::strings::CText,
}

/// Hashes a request id with one multiplication (Fibonacci hashing): ids are sequential and never
/// chosen by an attacker, so SipHash's protection would only cost the game thread time.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, id: u64) {
        // Spreads sequential ids over the high bits, which the table's probe tags use.
        self.0 = id.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

struct Owed {
    pending: HashMap<u64, Pending, BuildHasherDefault<IdHasher>>,
    queue: VecDeque<Delivery>,
    /// Set by shutdown: nothing may be registered or queued afterwards.
    closed: bool,
}

/// Everything of one init…shutdown span.
pub(crate) struct Generation {
    pub id: u64,
    pub client: Client,
    pub dispatch: Dispatch,
    /// Where every task of this generation runs.
    pub runner: Runner,
    owed: Mutex<Owed>,
    /// Callbacks taken out of `owed` and not yet returned. Counted under the `owed` lock when
    /// taken, so shutdown can wait for every one it did not run itself.
    running: AtomicUsize,
}

impl Generation {
    pub(crate) fn new(id: u64, client: Client, dispatch: Dispatch, runner: Runner) -> Generation {
        Generation {
            id,
            client,
            dispatch,
            runner,
            owed: Mutex::new(Owed {
                pending: HashMap::default(),
                queue: VecDeque::new(),
                closed: false,
            }),
            running: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> Guard<'_, Owed> {
        self.owed.lock()
    }

    /// Registers a request and starts its task with `spawn` (which returns how to abort it, if
    /// it spawned one); false, and nothing spawned, when shutdown already closed this generation.
    ///
    /// `spawn` runs under the lock, so registering costs the caller one lock and no entry is ever
    /// without its abort handle: a cancel or shutdown between "registered" and "abortable" would
    /// report a purchase as stopped while its task went on to send it. The task's own `finish`
    /// waits for the entry it removes.
    pub(crate) fn register(
        &self,
        id: u64,
        mut pending: Pending,
        spawn: impl FnOnce() -> Option<TaskAbort>,
    ) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        pending.abort = spawn();
        owed.pending.insert(id, pending);
        true
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

    /// Lets request `id` take effect: true (and from now on it cannot be cancelled or shut
    /// down: its task finishes it) unless it was already stopped.
    pub(crate) fn commit(&self, id: u64) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        match owed.pending.get_mut(&id) {
            Some(pending) => {
                pending.committed = true;
                true
            }
            None => false,
        }
    }

    /// Stops a request if it is still owed, queueing its cancelled result. False if unknown or
    /// already taking effect (then it completes as if cancel came too late).
    pub(crate) fn cancel(&self, id: u64) -> bool {
        let mut owed = self.lock();
        if owed
            .pending
            .get(&id)
            .is_none_or(|pending| pending.committed)
        {
            return false;
        }
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

    /// Queues an auth-state change or a store write; false once the generation is closed.
    pub(crate) fn queue(&self, delivery: Delivery) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        owed.queue.push_back(delivery);
        QUEUED.fetch_add(1, Ordering::Release);
        true
    }

    /// Queues a sign-in's `open_url` like a callback; false once the generation is closed.
    pub(crate) fn queue_open_url(&self, open: OpenUrl) -> bool {
        let mut owed = self.lock();
        if owed.closed {
            return false;
        }
        owed.queue.push_back(Delivery::OpenUrl(open));
        QUEUED.fetch_add(1, Ordering::Release);
        true
    }

    /// Whether request `id` is still owed its callback (not finished, cancelled or shut down).
    pub(crate) fn is_pending(&self, id: u64) -> bool {
        self.lock().pending.contains_key(&id)
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

    /// Closes the generation: nothing is registered or queued after this, except the results of
    /// requests already taking effect (see `commit`), which their tasks finish. Returns every
    /// other callback still owed, queued ones first (with their real results), then the requests
    /// in flight in the order they were made (aborted, with `XERIAL_E_SHUTDOWN`), all counted as
    /// running; `committed_results` then gives the rest.
    pub(crate) fn close(&self) -> Vec<Delivery> {
        let mut owed = self.lock();
        owed.closed = true;
        let mut owed_now: Vec<Delivery> = owed.queue.drain(..).collect();
        QUEUED.fetch_sub(owed_now.len(), Ordering::AcqRel);
        let stopped: Vec<u64> = owed
            .pending
            .iter()
            .filter(|(_, pending)| !pending.committed)
            .map(|(&id, _)| id)
            .collect();
        let mut in_flight: Vec<(u64, Pending)> = stopped
            .into_iter()
            .filter_map(|id| owed.pending.remove(&id).map(|pending| (id, pending)))
            .collect();
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

    /// After `close`: waits for the requests that were taking effect to be finished by their
    /// tasks (which have no await left: microseconds), then returns their queued results,
    /// counted as running. In immediate mode their tasks run them; nothing is returned.
    pub(crate) fn committed_results(&self) -> Vec<Delivery> {
        let mut spins = 0u32;
        loop {
            let mut owed = self.lock();
            if owed.pending.is_empty() {
                let results: Vec<Delivery> = owed.queue.drain(..).collect();
                QUEUED.fetch_sub(results.len(), Ordering::AcqRel);
                self.running.fetch_add(results.len(), Ordering::AcqRel);
                return results;
            }
            drop(owed);
            if spins < 64 {
                std::thread::yield_now();
                spins += 1;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
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

#[cfg(test)]
#[path = "generation_tests.rs"]
mod tests;
