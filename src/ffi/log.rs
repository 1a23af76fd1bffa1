//! The log callback (contract §7): the SDK's own log records, forwarded to the game.
//!
//! Only records whose target starts with `xerial` are forwarded: the SDK writes no token,
//! signature or Authorization value into its own messages, and dependencies' records (which
//! could describe requests) never reach the game.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Once, PoisonError, RwLock};

use super::generation::UserData;
use super::strings::c_text;
use super::types::{XerialLogCallback, XERIAL_LOG_TRACE};

type LogFn = unsafe extern "C" fn(*mut c_void, i32, *const std::ffi::c_char);

/// The installed callback. Records are delivered under the read lock, so replacing it (write
/// lock) waits until no record is being delivered: after `xerial_set_log_callback` returns the
/// previous callback is never invoked again.
static SINK: RwLock<Option<(LogFn, UserData)>> = RwLock::new(None);
/// Most verbose level delivered; 0 = off. Checked before any lock or formatting.
static MIN_LEVEL: AtomicI32 = AtomicI32::new(0);
static INSTALL: Once = Once::new();

thread_local! {
    /// Set while this thread is inside the log callback: nested records are dropped instead of
    /// re-entering it, and a forbidden `xerial_set_log_callback` from it cannot deadlock.
    static IN_LOG: Cell<bool> = const { Cell::new(false) };
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
        if !self.enabled(record.metadata()) || IN_LOG.with(Cell::get) {
            return;
        }
        let sink = SINK.read().unwrap_or_else(PoisonError::into_inner);
        let Some((callback, user_data)) = *sink else {
            return;
        };
        let message = c_text(format!("{}: {}", record.target(), record.args()));
        IN_LOG.with(|flag| flag.set(true));
        // SAFETY: the game installed this callback with this user_data; `message` outlives it.
        unsafe { callback(user_data.0, record.level() as i32, message.as_ptr()) };
        IN_LOG.with(|flag| flag.set(false));
    }

    fn flush(&self) {}
}

/// Sets (or with `cb` NULL or `min_level` 0, removes) the log callback.
///
/// Messages of level ≤ `min_level` are delivered (`XERIAL_LOG_ERROR` 1 … `XERIAL_LOG_TRACE` 5).
/// Once the call that replaces or removes a callback returns, the previous one is never invoked
/// again. Works at any time, also before `xerial_init`, and stays set across shutdown and init.
/// The callback may be invoked from any thread, concurrently, gets a borrowed message (valid until
/// it returns), and must not call `xerial_set_log_callback` (such a call is ignored). Tokens,
/// signatures and Authorization headers are never written into messages. If the host process
/// (Rust only) already installed a `log` logger, the SDK cannot forward its records.
#[no_mangle]
pub extern "C" fn xerial_set_log_callback(
    cb: XerialLogCallback,
    user_data: *mut c_void,
    min_level: i32,
) {
    super::guard("xerial_set_log_callback", || {
        if IN_LOG.with(Cell::get) {
            return;
        }
        INSTALL.call_once(|| {
            // Fails only if the host installed its own logger; then there is nothing to forward.
            let _ = log::set_logger(&BRIDGE);
        });
        let level = if cb.is_some() {
            min_level.clamp(0, XERIAL_LOG_TRACE)
        } else {
            0
        };
        let mut sink = SINK.write().unwrap_or_else(PoisonError::into_inner);
        *sink = cb
            .filter(|_| level > 0)
            .map(|cb| (cb as LogFn, UserData(user_data)));
        MIN_LEVEL.store(level, Ordering::Relaxed);
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
