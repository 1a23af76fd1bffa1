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
                        let seen = run(&generation, immediate.expect("immediate mode returns it"));
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
