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
mod tests {
    //! The registry and the queue against a model (proptest), and a three-thread race of
    //! finish / cancel / close (also run under Miri: `scripts/reliability/miri.sh`).

    use std::cell::RefCell;
    use std::collections::{BTreeMap, HashMap, VecDeque};

    use proptest::prelude::*;
    use tokio::task::JoinHandle;

    use std::sync::{Mutex, MutexGuard, PoisonError};

    use super::*;
    use crate::client::{ClientConfig, SessionStoreKind};
    use crate::ffi::types::XERIAL_OK;

    /// `QUEUED` is process-global: the tests that move it run one at a time, and compare its
    /// change over the test with the model (no other unit test touches it).
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
    }

    thread_local! {
        /// `(user_data, request_id, code)` of every request callback run on this thread.
        static RAN: RefCell<Vec<(usize, u64, i32)>> = const { RefCell::new(Vec::new()) };
    }

    unsafe extern "C" fn record(user_data: *mut c_void, result: *const XerialResult) {
        // SAFETY: `run` passes a result that lives until this returns.
        let result = unsafe { &*result };
        RAN.with(|ran| {
            ran.borrow_mut()
                .push((user_data.addr(), result.request_id, result.code))
        });
    }

    /// What a delivery says: `Ok((id, code))` for a request, `Err(state)` for an auth change.
    type Seen = Result<(u64, i32), i32>;

    /// Runs a delivery as `dispatch::run_callback` does (without the auth listener, which is
    /// global), checks that its target is the one registered for its id, and marks it returned.
    fn run(generation: &Generation, delivery: Delivery) -> Seen {
        let seen = match delivery {
            Delivery::Request(completion) => {
                let result = completion.outcome.view(completion.id);
                let target = completion.target;
                unsafe { (target.callback)(target.user_data.0, &result) };
                let (user_data, request_id, code) = RAN
                    .with(|ran| ran.borrow_mut().pop())
                    .expect("the callback ran");
                assert_eq!(request_id, completion.id);
                assert_eq!(
                    user_data, completion.id as usize,
                    "the target of its own id"
                );
                Ok((completion.id, code))
            }
            Delivery::Auth(state) => Err(state),
            Delivery::OpenUrl(_) => unreachable!("the model queues no open_url"),
            Delivery::StoreWrite(_) => unreachable!("no store in these tests"),
        };
        generation.callback_returned();
        seen
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    }

    fn generation(runtime: &tokio::runtime::Runtime, dispatch: Dispatch) -> Generation {
        // One client for every case (building its TLS config is what costs under Miri); the
        // registry and the queue never use it.
        static CLIENT: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
        let client = CLIENT.get_or_init(|| {
            let _context = runtime.enter();
            let config = ClientConfig {
                session_store: SessionStoreKind::Memory,
                ..ClientConfig::default()
            };
            Client::new(config).expect("a valid config")
        });
        Generation::new(
            7,
            client.clone(),
            dispatch,
            Runner::Threads(runtime.handle().clone()),
        )
    }

    fn pending(id: u64, moves_value: bool, sent: bool) -> Pending {
        Pending {
            target: Target {
                callback: record,
                user_data: UserData(std::ptr::without_provenance_mut(id as usize)),
            },
            abort: None,
            moves_value,
            hooks: Arc::new(RequestHooks {
                id,
                generation: Weak::new(),
                sent: AtomicBool::new(sent),
            }),
            committed: false,
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// A new request (ids increase, as `NEXT_REQUEST_ID` hands them out); `task`: with an
        /// abort handle of a real (never-ending) task.
        Register {
            moves_value: bool,
            sent: bool,
            task: bool,
        },
        /// The task of the `n`-th owed request (modulo) finishes with `code`; with nothing owed,
        /// an id that was never registered.
        Finish(usize, i32),
        /// A finish for an id that is no longer (or never was) owed.
        FinishStale(u64),
        /// The request may have been sent from now on.
        MarkSent(usize),
        Cancel(usize),
        CancelUnknown(u64),
        QueueAuth(bool),
        Pop,
        Close,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (any::<bool>(), any::<bool>(), prop::bool::weighted(0.2))
                .prop_map(|(moves_value, sent, task)| Op::Register { moves_value, sent, task }),
            3 => (any::<usize>(), prop::sample::select(vec![XERIAL_OK, 10, 23, 31, 99]))
                .prop_map(|(n, code)| Op::Finish(n, code)),
            1 => any::<u64>().prop_map(Op::FinishStale),
            1 => any::<usize>().prop_map(Op::MarkSent),
            2 => any::<usize>().prop_map(Op::Cancel),
            1 => any::<u64>().prop_map(Op::CancelUnknown),
            1 => any::<bool>().prop_map(Op::QueueAuth),
            3 => Just(Op::Pop),
            1 => Just(Op::Close),
        ]
    }

    /// An owed request in the model: `moves_value`, its `sent` flag, its task (if any).
    type OwedRequest = (bool, Arc<RequestHooks>, Option<JoinHandle<()>>);

    /// The model: owed requests (with their `moves_value` and `sent` flag), the FIFO queue of
    /// what their callbacks will say, whether closed, and every delivery so far.
    #[derive(Default)]
    struct Model {
        next_id: u64,
        owed: BTreeMap<u64, OwedRequest>,
        queue: VecDeque<Seen>,
        closed: bool,
        registered: Vec<u64>,
        refused: Vec<u64>,
        delivered: HashMap<u64, Vec<i32>>,
        aborted: Vec<JoinHandle<()>>,
    }

    impl Model {
        fn nth_owed(&self, n: usize) -> Option<u64> {
            (!self.owed.is_empty()).then(|| *self.owed.keys().nth(n % self.owed.len()).unwrap())
        }

        /// What cancel or shutdown delivers for an owed request.
        fn stopped(moves_value: bool, hooks: &RequestHooks, code: i32) -> i32 {
            if moves_value && hooks.sent.load(Ordering::Acquire) {
                XERIAL_E_OUTCOME_UNKNOWN
            } else {
                code
            }
        }

        fn deliver(&mut self, seen: Seen) {
            if let Ok((id, code)) = seen {
                self.delivered.entry(id).or_default().push(code);
            }
        }
    }

    fn check_sequence(dispatch: Dispatch, ops: Vec<Op>) {
        let _serial = serial();
        let runtime = runtime();
        let generation = generation(&runtime, dispatch);
        let queued_before = QUEUED.load(Ordering::Acquire);
        let mut model = Model {
            next_id: 1,
            ..Model::default()
        };
        for op in ops {
            match op {
                Op::Register {
                    moves_value,
                    sent,
                    task,
                } => {
                    let id = model.next_id;
                    model.next_id += 1;
                    let request = pending(id, moves_value, sent);
                    let flag = Arc::clone(&request.hooks);
                    let mut handle = None;
                    let accepted = generation.register(id, request, || {
                        let task = task.then(|| runtime.spawn(std::future::pending::<()>()));
                        handle = task;
                        handle
                            .as_ref()
                            .map(|task| TaskAbort::Runtime(task.abort_handle()))
                    });
                    assert_eq!(accepted, !model.closed, "register after close: {accepted}");
                    assert!(accepted || handle.is_none(), "nothing spawned after close");
                    if accepted {
                        model.owed.insert(id, (moves_value, flag, handle));
                        model.registered.push(id);
                    } else {
                        model.refused.push(id);
                    }
                }
                Op::Finish(n, code) => {
                    let Some(id) = model.nth_owed(n) else {
                        assert!(generation
                            .finish(model.next_id + 1_000, Outcome::local(code, "x"))
                            .is_none());
                        continue;
                    };
                    let immediate = generation.finish(id, Outcome::local(code, "finished"));
                    let (_, _, handle) = model.owed.remove(&id).unwrap();
                    drop(handle); // The task "returned": nobody aborts it.
                    match dispatch {
                        Dispatch::Poll => {
                            assert!(immediate.is_none(), "poll mode queues");
                            model.queue.push_back(Ok((id, code)));
                        }
                        Dispatch::Immediate => {
                            let seen =
                                run(&generation, immediate.expect("immediate mode returns it"));
                            assert_eq!(seen, Ok((id, code)));
                            model.deliver(seen);
                        }
                    }
                }
                Op::FinishStale(offset) => {
                    let stale = model
                        .registered
                        .iter()
                        .chain(&model.refused)
                        .copied()
                        .filter(|id| !model.owed.contains_key(id))
                        .nth(offset as usize % (model.registered.len() + 1))
                        .unwrap_or(u64::MAX - offset % 1_000);
                    assert!(generation
                        .finish(stale, Outcome::local(0, "late"))
                        .is_none());
                }
                Op::MarkSent(n) => {
                    if let Some(id) = model.nth_owed(n) {
                        model.owed[&id].1.sent.store(true, Ordering::Release);
                    }
                }
                Op::Cancel(n) => {
                    let Some(id) = model.nth_owed(n) else {
                        assert!(!generation.cancel(model.next_id));
                        continue;
                    };
                    assert!(generation.cancel(id), "an owed request is cancelled");
                    let (moves_value, sent, handle) = model.owed.remove(&id).unwrap();
                    model.aborted.extend(handle);
                    let code = Model::stopped(moves_value, &sent, XERIAL_E_CANCELLED);
                    model.queue.push_back(Ok((id, code)));
                    assert!(!generation.cancel(id), "a second cancel finds nothing");
                }
                Op::CancelUnknown(id) => {
                    let known = model.owed.contains_key(&id);
                    if !known {
                        assert!(!generation.cancel(id));
                    }
                }
                Op::QueueAuth(logged_in) => {
                    let state = i32::from(logged_in);
                    assert_eq!(generation.queue(Delivery::Auth(state)), !model.closed);
                    if !model.closed {
                        model.queue.push_back(Err(state));
                    }
                }
                Op::Pop => {
                    let popped = generation.pop().map(|d| run(&generation, d));
                    let expected = model.queue.pop_front();
                    assert_eq!(popped, expected, "FIFO");
                    if let Some(seen) = popped {
                        model.deliver(seen);
                    }
                }
                Op::Close => {
                    let owed = generation.close();
                    let mut expected: Vec<Seen> = model.queue.drain(..).collect();
                    for (id, (moves_value, sent, handle)) in std::mem::take(&mut model.owed) {
                        model.aborted.extend(handle);
                        expected.push(Ok((
                            id,
                            Model::stopped(moves_value, &sent, XERIAL_E_SHUTDOWN),
                        )));
                    }
                    assert_eq!(
                        generation.running.load(Ordering::Acquire),
                        owed.len(),
                        "close counts what it returns as running"
                    );
                    let seen: Vec<Seen> = owed.into_iter().map(|d| run(&generation, d)).collect();
                    assert_eq!(
                        seen, expected,
                        "queued first, in order; then owed ones by id"
                    );
                    for seen in seen {
                        model.deliver(seen);
                    }
                    model.closed = true;
                }
            }
            assert_eq!(generation.queued(), model.queue.len());
            assert_eq!(
                QUEUED.load(Ordering::Acquire) - queued_before,
                model.queue.len(),
                "QUEUED counts what is queued"
            );
            assert_eq!(generation.lock().pending.len(), model.owed.len());
            assert_eq!(generation.running.load(Ordering::Acquire), 0);
        }
        // Shutdown at the end delivers the rest.
        for delivery in generation.close() {
            let seen = run(&generation, delivery);
            model.deliver(seen);
        }
        for (_, _, handle) in std::mem::take(&mut model.owed).into_values() {
            model.aborted.extend(handle);
        }
        assert_eq!(QUEUED.load(Ordering::Acquire), queued_before);
        assert_eq!(generation.running.load(Ordering::Acquire), 0);
        generation.wait_for_callbacks(0);
        for id in &model.registered {
            let codes = model.delivered.get(id).map_or(&[][..], Vec::as_slice);
            assert_eq!(codes.len(), 1, "request {id} delivered {codes:?}");
        }
        for id in &model.refused {
            assert!(!model.delivered.contains_key(id), "refused {id} delivered");
        }
        // Every cancel and shutdown aborted its request's task.
        for handle in model.aborted {
            let joined = runtime.block_on(handle);
            assert!(joined.expect_err("aborted").is_cancelled());
        }
    }

    proptest! {
        #![proptest_config(crate::test_support::proptest_config(256, 3))]

        #[test]
        fn registry_and_queue_match_the_model_in_poll_mode(
            ops in prop::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 200 })
        ) {
            check_sequence(Dispatch::Poll, ops);
        }

        #[test]
        fn registry_and_queue_match_the_model_in_immediate_mode(
            ops in prop::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 200 })
        ) {
            check_sequence(Dispatch::Immediate, ops);
        }
    }

    /// Three threads race for each request (its task finishing, a cancel, shutdown): exactly
    /// one wins, exactly one callback runs, and nothing is queued after close.
    #[test]
    fn racing_finish_cancel_and_close_deliver_each_request_once() {
        let _serial = serial();
        let rounds = if cfg!(miri) { 2 } else { 50 };
        let per_round: u64 = if cfg!(miri) { 6 } else { 200 };
        let runtime = runtime();
        let queued_before = QUEUED.load(Ordering::Acquire);
        for round in 0..rounds {
            let generation = generation(&runtime, Dispatch::Poll);
            for id in 1..=per_round {
                assert!(generation.register(id, pending(id, id % 3 == 0, id % 2 == 0), || None));
            }
            let seen = Mutex::new(Vec::<Seen>::new());
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    for id in 1..=per_round {
                        assert!(generation
                            .finish(id, Outcome::local(XERIAL_OK, ""))
                            .is_none());
                    }
                });
                scope.spawn(|| {
                    for id in (1..=per_round).rev() {
                        generation.cancel(id);
                        if let Some(d) = generation.pop() {
                            seen.lock().unwrap().push(run(&generation, d));
                        }
                    }
                });
                scope.spawn(|| {
                    if round % 2 == 0 {
                        std::thread::yield_now();
                    }
                    let owed = generation.close();
                    let mut seen = seen.lock().unwrap();
                    seen.extend(owed.into_iter().map(|d| run(&generation, d)));
                });
            });
            assert!(generation.pop().is_none(), "nothing queued after close");
            assert!(!generation.register(per_round + 1, pending(0, false, false), || None));
            let mut ids: Vec<u64> = seen
                .into_inner()
                .unwrap()
                .into_iter()
                .map(|s| s.expect("requests only").0)
                .collect();
            ids.sort_unstable();
            assert_eq!(
                ids,
                (1..=per_round).collect::<Vec<_>>(),
                "each exactly once"
            );
            assert_eq!(generation.running.load(Ordering::Acquire), 0);
            assert_eq!(QUEUED.load(Ordering::Acquire), queued_before);
        }
    }
}
