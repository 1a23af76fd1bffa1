//! The one path from a call to its callback: start a request, cancel it, poll, run callbacks.

use std::cell::RefCell;
use std::ffi::c_void;
use std::future::{ready, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use futures_util::FutureExt;

use super::generation::{
    Delivery, Dispatch, Generation, Pending, RequestHooks, Target, UserData, QUEUED,
};
use super::in_poll::LIVE_TASKS;
use super::lifecycle::current;
use super::outcome::{IntoBody, Outcome};
use super::types::{
    XerialCallback, XerialRequestId, XERIAL_E_INTERNAL, XERIAL_E_NOT_FOUND, XERIAL_OK,
};
use crate::client::endpoint::Endpoint;
use crate::client::sync::assert_no_lock_held;
use crate::client::{observe, CallHooks, Client, Error, ErrorKind, Response};

/// Request ids are unique for the life of the process.
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);
/// Serialises `xerial_poll`: a concurrent second caller returns 0 at once.
static POLLING: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Generations whose callbacks this thread is inside of, innermost last.
    static IN_CALLBACK: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Whether the calling thread is running an SDK callback (request callback, auth listener, log
/// callback): then `xerial_poll` returns at once and no call waits for another thread.
pub(crate) fn in_callback() -> bool {
    IN_CALLBACK.with(|stack| !stack.borrow().is_empty()) || super::slot::inside_slot_callback()
}

/// How many callbacks of generation `id` the calling thread is inside of.
pub(crate) fn callbacks_on_this_thread(id: u64) -> usize {
    IN_CALLBACK.with(|stack| stack.borrow().iter().filter(|&&g| g == id).count())
}

/// Runs one delivery taken out of `generation` (and counted as running there); returns whether
/// a callback ran (an auth change with no listener set runs none).
pub(crate) fn run_callback(generation: &Generation, delivery: Delivery) -> bool {
    IN_CALLBACK.with(|stack| stack.borrow_mut().push(generation.id));
    assert_no_lock_held("a request callback");
    let ran = match delivery {
        Delivery::Request(completion) => {
            let result = completion.outcome.view(completion.id);
            let target = completion.target;
            // SAFETY: the caller gave us this function and user_data for exactly this call;
            // `result` and what it points to live until the call returns.
            unsafe { (target.callback)(target.user_data.0, &result) };
            true
        }
        Delivery::Auth(state) => super::session::notify_auth_listener(state),
        // A sign-in cancelled, shut down or ended before the game polled opens nothing.
        Delivery::OpenUrl(open) if generation.is_pending(open.id) => {
            // SAFETY: the game gave this function and user_data for this sign-in, and keeps
            // them valid until its callback has returned (which it has not: it is pending).
            unsafe { (open.callback)(open.user_data.0, open.url.as_ptr()) };
            true
        }
        Delivery::OpenUrl(_) => false,
        Delivery::StoreWrite(write) => {
            write();
            true
        }
    };
    IN_CALLBACK.with(|stack| stack.borrow_mut().pop());
    generation.callback_returned();
    ran
}

/// A request's work with its result already converted: every endpoint's future, boxed, so that
/// one task body (one copy in the library, a small task to spawn) serves them all.
type Work = Pin<Box<dyn Future<Output = Result<Outcome, Error>> + Send>>;

/// Starts an asynchronous call: runs `make`'s future on the generation's runner, registered as
/// owed.
///
/// Returns 0 (and never calls back) when `callback` is NULL or the SDK is not initialised;
/// otherwise the callback runs exactly once. `make` runs on the calling thread and may fail with
/// an argument error, which is delivered through the callback like any other.
pub(crate) fn start<F, T>(
    endpoint: &Endpoint,
    callback: XerialCallback,
    user_data: *mut c_void,
    make: impl FnOnce(&Client) -> Result<F, Error>,
) -> u64
where
    F: Future<Output = Result<Response<T>, Error>> + Send + 'static,
    T: IntoBody + Send + 'static,
{
    let Some(callback) = callback else {
        return 0;
    };
    let Some(generation) = current() else {
        return 0;
    };
    let call = Call {
        id: new_request_id(),
        name: endpoint.name,
        moves_value: endpoint.moves_value(),
    };
    start_in(&generation, call, callback, user_data, make)
}

/// A new request id: unique for the life of the process.
pub(crate) fn new_request_id() -> u64 {
    NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed)
}

/// What the registry needs to know of a call besides its work.
pub(crate) struct Call {
    /// Its id, from [`new_request_id`].
    pub id: u64,
    /// For logs.
    pub name: &'static str,
    /// Whether losing its answer leaves the outcome unknown.
    pub moves_value: bool,
}

/// [`start`] in `generation` with an id chosen beforehand (a sign-in hands it to its
/// `open_url` delivery before the task starts). Returns `call.id`, or 0 when a concurrent
/// shutdown closed the generation (nothing runs, no callback).
pub(crate) fn start_in<F, T>(
    generation: &Arc<Generation>,
    call: Call,
    callback: unsafe extern "C" fn(*mut c_void, *const super::types::XerialResult),
    user_data: *mut c_void,
    make: impl FnOnce(&Client) -> Result<F, Error>,
) -> u64
where
    F: Future<Output = Result<Response<T>, Error>> + Send + 'static,
    T: IntoBody + Send + 'static,
{
    let work: Work = match catch_unwind(AssertUnwindSafe(|| make(&generation.client))) {
        Ok(Ok(future)) => Box::pin(future.map(|result| {
            result.map(|response| Outcome::success(response.status, response.value.into_body()))
        })),
        Ok(Err(error)) => Box::pin(ready(Err(error))),
        Err(_) => Box::pin(ready(Err(Error::new(
            ErrorKind::Internal,
            "panic while preparing the call",
        )))),
    };
    let target = Target {
        callback,
        user_data: UserData(user_data),
    };
    launch(generation, call, target, work)
}

/// Registers and spawns one request; its id, or 0 when a concurrent shutdown closed the
/// generation (as if not initialised: nothing runs, no callback).
fn launch(generation: &Arc<Generation>, call: Call, target: Target, work: Work) -> u64 {
    let id = call.id;
    let hooks = Arc::new(RequestHooks {
        id,
        generation: Arc::downgrade(generation),
        sent: AtomicBool::new(false),
    });
    let owner = Arc::clone(generation);
    let tracked = observe(Arc::clone(&hooks) as Arc<dyn CallHooks>, work);
    let task = async move {
        let outcome = match AssertUnwindSafe(tracked).catch_unwind().await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => Outcome::failure(error),
            Err(_) => Outcome::local(XERIAL_E_INTERNAL, "panic while running the call"),
        };
        if let Some(delivery) = owner.finish(id, outcome) {
            run_callback(&owner, delivery);
        }
    };
    let pending = Pending {
        target,
        abort: None,
        moves_value: call.moves_value,
        hooks,
        committed: false,
    };
    let spawn = || Some(generation.runner.spawn(task));
    if !generation.register(id, pending, spawn) {
        return 0;
    }
    log::debug!(target: "xerial::request", "#{id} {} started", call.name);
    id
}

/// `xerial_cancel`: stops a request still owed its callback.
pub(crate) fn cancel(id: u64) -> i32 {
    let Some(generation) = current() else {
        return XERIAL_E_NOT_FOUND;
    };
    if !generation.cancel(id) {
        return XERIAL_E_NOT_FOUND;
    }
    log::debug!(target: "xerial::request", "#{id} cancelled");
    deliver_on_worker_if_immediate(&generation);
    XERIAL_OK
}

/// In immediate mode, has a worker deliver what was just queued: no `xerial_*` call runs a
/// callback from inside itself.
pub(crate) fn deliver_on_worker_if_immediate(generation: &Arc<Generation>) {
    // Immediate dispatch needs the runtime's threads (in-poll generations are poll dispatch).
    if generation.dispatch == Dispatch::Immediate {
        let owner = Arc::clone(generation);
        generation.runner.spawn(async move {
            while let Some(delivery) = owner.pop() {
                run_callback(&owner, delivery);
            }
        });
    }
}

/// `xerial_poll`: runs the callbacks queued when it started, at most `max_callbacks` (0: all).
pub(crate) fn poll(max_callbacks: u32) -> u32 {
    // The idle path: three atomic loads, no lock, no allocation.
    let records = super::log::records_waiting();
    let idle = QUEUED.load(Ordering::Acquire) == 0 && LIVE_TASKS.load(Ordering::Acquire) == 0;
    if (idle && !records) || in_callback() {
        return 0;
    }
    if records {
        super::log::deliver_queued_records();
    }
    let Some(generation) = current() else {
        return 0;
    };
    if generation.dispatch == Dispatch::Immediate {
        return 0;
    }
    let Some(_turn) = PollTurn::take() else {
        return 0;
    };
    // Running in poll: the SDK's own work advances first, so what it finishes is delivered now.
    if let Some(in_poll) = generation.runner.in_poll() {
        in_poll.step();
    }
    let limit = match max_callbacks {
        0 => usize::MAX,
        n => n as usize,
    };
    let budget = generation.queued().min(limit);
    let mut ran = 0u32;
    for _ in 0..budget {
        // A callback may have shut the SDK down, which delivered the rest itself.
        let Some(delivery) = generation.pop() else {
            break;
        };
        ran += u32::from(run_callback(&generation, delivery));
    }
    ran
}

/// The right to poll, released when dropped (even by a panic).
struct PollTurn;

impl PollTurn {
    fn take() -> Option<PollTurn> {
        (!POLLING.swap(true, Ordering::Acquire)).then_some(PollTurn)
    }
}

impl Drop for PollTurn {
    fn drop(&mut self) {
        POLLING.store(false, Ordering::Release);
    }
}

/// Runs the callbacks that were queued when this call started, on the calling thread; returns
/// how many ran.
///
/// `max_callbacks` 0 means no limit. In `XERIAL_DISPATCH_POLL` mode (the default) this is the
/// only place request callbacks run: call it once per frame from the game thread. In
/// `XERIAL_RUN_IN_POLL` mode it first advances the SDK itself (fires due timers, runs its ready
/// work: at most 1024 steps, which may call the host transport's `send` and `cancel`), then
/// delivers what that finished. It also delivers
/// the log records SDK workers wrote (not counted in the result). With nothing queued it costs two
/// atomic loads: no lock, no allocation, never blocks. It holds no lock while a
/// callback runs; a callback that leads to new completions never makes one poll run forever.
/// Returns 0 at once: before `xerial_init`, in immediate mode, from inside a callback, and when
/// another thread is polling (calls are serialised). Any thread.
#[no_mangle]
pub extern "C" fn xerial_poll(max_callbacks: u32) -> u32 {
    super::guard("xerial_poll", || poll(max_callbacks))
}

/// Cancels request `id`. Returns `XERIAL_OK` if it stopped the request: its callback then runs
/// once (like any other) with `XERIAL_E_CANCELLED`, or `XERIAL_E_OUTCOME_UNKNOWN` for a
/// value-moving request that may already have been sent (cancelling does not undo it). Returns
/// `XERIAL_E_NOT_FOUND` if the id is unknown, already completed (even if its callback has not run
/// yet) or the SDK is not initialised; nothing else happens then. Idempotent; any thread, also
/// from inside a callback. Never runs a callback itself.
#[no_mangle]
pub extern "C" fn xerial_cancel(id: XerialRequestId) -> i32 {
    super::guard("xerial_cancel", || cancel(id))
}
