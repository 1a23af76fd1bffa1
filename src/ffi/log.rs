//! The log callback (contract §7): the SDK's own log records, forwarded to the game.
//!
//! Only records whose target starts with `xerial` are forwarded: the SDK writes no token,
//! signature or Authorization value into its own messages, and dependencies' records (which
//! could describe requests) never reach the game.
//!
//! In poll mode a record written on an SDK worker thread is queued and delivered by the next
//! `xerial_poll` (or `xerial_shutdown`) on the polling thread, like every other callback: a
//! managed runtime (Mono, Unity) that is entered from a foreign thread can no longer exit or
//! unload its domain (mono/mono#20466, #11170). Records written on the caller's own thread are
//! delivered at once.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::Once;

use super::generation::UserData;
use super::slot::Slot;
use super::strings::CText;
use super::types::{XerialLogCallback, XERIAL_LOG_TRACE};
use crate::client::sync::{when_unlocked, Mutex};

type LogFn = unsafe extern "C" fn(*mut c_void, i32, *const std::ffi::c_char);

/// The installed callback, run with no lock held (see `slot`).
static SINK: Slot<LogFn> = Slot::new();
/// Most verbose level delivered; 0 = off. Checked before any lock or formatting.
static MIN_LEVEL: AtomicI32 = AtomicI32::new(0);
static INSTALL: Once = Once::new();

/// Whether records from worker threads wait for `xerial_poll` (poll dispatch) or go out at once.
static QUEUE_WORKER_RECORDS: AtomicBool = AtomicBool::new(true);
/// Records waiting for the polling thread, and how many (read without the lock by `xerial_poll`).
static QUEUE: Mutex<VecDeque<(i32, CText)>> = Mutex::new(VecDeque::new());
static QUEUED_RECORDS: AtomicUsize = AtomicUsize::new(0);
/// At most this many records wait; older ones give way (a game that never polls must not grow).
const MAX_QUEUED_RECORDS: usize = 1024;

thread_local! {
    /// Set on the SDK runtime's own threads (see `lifecycle`).
    static ON_WORKER: Cell<bool> = const { Cell::new(false) };
    /// How deep this thread is inside the log callback: nested records (written by SDK calls
    /// the callback makes) are dropped instead of re-entering it.
    static IN_LOG: Cell<u32> = const { Cell::new(0) };
}

// SAFETY: `UserData` is only handed back to the callback, which the caller made thread-safe.
unsafe impl Sync for UserData {}

struct Bridge;

static BRIDGE: Bridge = Bridge;

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        (metadata.level() as i32) <= MIN_LEVEL.load(Ordering::Relaxed)
            && metadata.target().starts_with("xerial")
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) || IN_LOG.with(Cell::get) > 0 {
            return;
        }
        let message = CText::new(format!("{}: {}", record.target(), record.args()));
        let level = record.level() as i32;
        if ON_WORKER.with(Cell::get) && QUEUE_WORKER_RECORDS.load(Ordering::Relaxed) {
            let mut queue = QUEUE.lock();
            if queue.len() == MAX_QUEUED_RECORDS {
                queue.pop_front();
            } else {
                QUEUED_RECORDS.fetch_add(1, Ordering::Release);
            }
            queue.push_back((level, message));
            return;
        }
        // A record written under an SDK lock waits for its release: the callback may call
        // back into the SDK (a log callback that cleared the session hung on its lock).
        when_unlocked(move || deliver(level, &message));
    }

    fn flush(&self) {}
}

/// Calls the log callback (if one is set) with one record, holding no lock.
fn deliver(level: i32, message: &CText) {
    SINK.invoke(|callback, user_data| {
        IN_LOG.with(|depth| depth.set(depth.get() + 1));
        // SAFETY: the game installed this callback with this user_data; `message` outlives it.
        unsafe { callback(user_data, level, message.as_ptr()) };
        IN_LOG.with(|depth| depth.set(depth.get() - 1));
    });
}

/// Marks the calling thread as an SDK runtime thread.
#[cfg(not(target_os = "emscripten"))]
pub(crate) fn mark_worker_thread() {
    ON_WORKER.with(|flag| flag.set(true));
}

/// Chooses whether worker records wait for `xerial_poll` (poll dispatch) or go out at once.
pub(crate) fn queue_worker_records(queue: bool) {
    QUEUE_WORKER_RECORDS.store(queue, Ordering::Relaxed);
}

/// Whether worker records are waiting; one atomic load, for `xerial_poll`'s idle path.
pub(crate) fn records_waiting() -> bool {
    QUEUED_RECORDS.load(Ordering::Acquire) > 0
}

/// Delivers the records queued so far, on the calling (polling) thread.
pub(crate) fn deliver_queued_records() {
    let records = std::mem::take(&mut *QUEUE.lock());
    QUEUED_RECORDS.fetch_sub(records.len(), Ordering::AcqRel);
    for (level, message) in records {
        deliver(level, &message);
    }
}

/// Sets (or with `cb` NULL or `min_level` 0, removes) the log callback.
///
/// Messages of level ≤ `min_level` are delivered (`XERIAL_LOG_ERROR` 1 … `XERIAL_LOG_TRACE` 5).
/// Once the call that replaces or removes a callback returns, the previous one is never invoked
/// again. Works at any time, also before `xerial_init`, and stays set across shutdown and init.
/// Threads: in `XERIAL_DISPATCH_POLL` mode, records written on SDK worker threads wait (at most
/// 1024; older ones give way) and are delivered by `xerial_poll` and `xerial_shutdown` on the
/// calling thread, so no SDK thread ever enters the game's code (managed runtimes such as Mono
/// cannot exit once foreign threads entered them); records written during an `xerial_*` call are
/// delivered at once on the caller's thread. In `XERIAL_DISPATCH_IMMEDIATE` mode the callback may
/// run on any thread, concurrently. It gets a borrowed message (valid until it returns) and runs
/// with no SDK lock held: it may call any `xerial_*` function (records those calls write while it
/// runs are dropped). Once this call returns, the previous callback is never invoked again and —
/// unless this call is made from inside an SDK callback, where waiting could deadlock — no longer
/// runs on any thread, so its `user_data` may be freed. Tokens,
/// signatures and Authorization headers are never written into messages. If the host process
/// (Rust only) already installed a `log` logger, the SDK cannot forward its records.
#[no_mangle]
pub extern "C" fn xerial_set_log_callback(
    cb: XerialLogCallback,
    user_data: *mut c_void,
    min_level: i32,
) {
    super::guard("xerial_set_log_callback", || {
        INSTALL.call_once(|| {
            // Fails only if the host installed its own logger; then there is nothing to forward.
            let _ = log::set_logger(&BRIDGE);
        });
        let level = if cb.is_some() {
            min_level.clamp(0, XERIAL_LOG_TRACE)
        } else {
            0
        };
        MIN_LEVEL.store(level, Ordering::Relaxed);
        SINK.replace(
            cb.filter(|_| level > 0)
                .map(|cb| (cb as LogFn, UserData(user_data))),
        );
        log::set_max_level(match level {
            0 => log::LevelFilter::Off,
            1 => log::LevelFilter::Error,
            2 => log::LevelFilter::Warn,
            3 => log::LevelFilter::Info,
            4 => log::LevelFilter::Debug,
            _ => log::LevelFilter::Trace,
        });
    })
}
