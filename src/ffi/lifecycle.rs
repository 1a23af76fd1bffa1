//! Lifecycle (contract §2): one runtime per process, re-initialisable generations.

use std::ffi::c_char;
use std::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(target_os = "emscripten"))]
use std::sync::OnceLock;
use std::sync::{Arc, Condvar, Weak};

use super::config::{read_config, Settings};
use super::dispatch::{callbacks_on_this_thread, in_callback, run_callback};
use super::generation::{Dispatch, Generation};
use super::in_poll::InPoll;
use super::outcome::code_of;
use super::runner::Runner;
use super::types::*;
use crate::client::sync::{Guard, Mutex};
use crate::client::{Background, Client, Clock, Error, ErrorKind, Io};

/// The process's runtime: created by the first `xerial_init` that runs on threads, never
/// dropped, so no thread is ever joined at process exit or library unload.
#[cfg(not(target_os = "emscripten"))]
static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);
static LIFECYCLE: Mutex<Lifecycle> = Mutex::new(Lifecycle {
    current: None,
    shutdowns_running: 0,
    last_closed: None,
});
/// Signalled when a shutdown finishes, for a concurrent shutdown waiting on it.
static SHUTDOWN_DONE: Condvar = Condvar::new();

struct Lifecycle {
    current: Option<Arc<Generation>>,
    shutdowns_running: usize,
    /// The generation the latest shutdown took, so that a concurrent shutdown can also wait for
    /// its callbacks (including one that itself called `xerial_shutdown`).
    last_closed: Option<Weak<Generation>>,
}

fn lifecycle() -> Guard<'static, Lifecycle> {
    LIFECYCLE.lock()
}

/// The current generation, if the SDK is initialised.
pub(crate) fn current() -> Option<Arc<Generation>> {
    lifecycle().current.clone()
}

#[cfg(not(target_os = "emscripten"))]
fn process_runtime(worker_threads: usize) -> Result<&'static tokio::runtime::Runtime, Error> {
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads)
        .thread_name("xerial-rt")
        .on_thread_start(super::worker::on_worker_start)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start the runtime: {e}"),
            )
        })?;
    // Two first inits racing: one runtime wins, the other (with no task on it) is dropped here.
    Ok(RUNTIME.get_or_init(|| runtime))
}

/// Why `xerial_init` did not initialise.
enum InitError {
    AlreadyInitialized,
    Failed(Error),
}

impl From<Error> for InitError {
    fn from(error: Error) -> InitError {
        InitError::Failed(error)
    }
}

fn init(config: *const XerialConfig) -> Result<(), InitError> {
    // Initialised already: that is the answer, whatever this config says.
    if current().is_some() {
        return Err(InitError::AlreadyInitialized);
    }
    // SAFETY: forwarded from `xerial_init`'s contract.
    let settings = unsafe { read_config(config) }?;
    let dispatch = settings.dispatch;
    let session_host = settings.session_host.clone();
    let (client, runner) = start(settings)?;
    let id = NEXT_GENERATION.fetch_add(1, Ordering::Relaxed);
    let generation = Arc::new(Generation::new(id, client, dispatch, runner));
    super::session::observe_auth_changes(&generation);
    if let Some(host) = &session_host {
        host.attach(&generation);
    }
    let mut lifecycle = lifecycle();
    if lifecycle.current.is_some() {
        return Err(InitError::AlreadyInitialized);
    }
    super::log::queue_worker_records(dispatch == Dispatch::Poll);
    lifecycle.current = Some(generation);
    Ok(())
}

/// The client and where its tasks run: in poll (no thread: timers advanced by `xerial_poll`), or
/// on the process runtime, with the host's transport or the built-in one.
fn start(settings: Settings) -> Result<(Client, Runner), Error> {
    match (settings.in_poll, settings.transport) {
        (true, Some(transport)) => {
            let in_poll = InPoll::new();
            let clock = Clock::Polled(in_poll.timers().clone());
            let io = Io::Host { transport, clock };
            let client =
                Client::with_io(settings.client, io, Background::Polled(in_poll.spawner()))?;
            Ok((client, Runner::InPoll(in_poll)))
        }
        #[cfg(not(target_os = "emscripten"))]
        (false, transport) => {
            let runtime = process_runtime(settings.worker_threads)?;
            let io = match transport {
                Some(transport) => Io::Host {
                    transport,
                    clock: Clock::Runtime,
                },
                None => Io::BuiltIn,
            };
            // The built-in client's connection pool belongs to this runtime.
            let _context = runtime.enter();
            let background = Background::Runtime(runtime.handle().clone());
            let client = Client::with_io(settings.client, io, background)?;
            Ok((client, Runner::Threads(runtime.handle().clone())))
        }
        // `read_config` refuses every other combination with a precise message.
        _ => Err(Error::new(
            ErrorKind::Internal,
            "this build cannot run that configuration",
        )),
    }
}

fn shutdown() {
    let generation = {
        let mut state = lifecycle();
        match state.current.take() {
            Some(generation) => {
                state.shutdowns_running += 1;
                state.last_closed = Some(Arc::downgrade(&generation));
                generation
            }
            None => {
                // Another shutdown is delivering; wait for it, unless we are inside one of the
                // callbacks it runs (it would wait for us: deadlock). Then wait for that
                // generation's callbacks too: the one that began it may still be running.
                if !in_callback() {
                    while state.shutdowns_running > 0 {
                        state = state.wait(&SHUTDOWN_DONE);
                    }
                    let closed = state.last_closed.as_ref().and_then(Weak::upgrade);
                    drop(state);
                    if let Some(closed) = closed {
                        closed.wait_for_callbacks(callbacks_on_this_thread(closed.id));
                    }
                }
                return;
            }
        }
    };
    let owed = generation.close();
    log::info!(target: "xerial::lifecycle", "shutting down: {} callback(s) owed", owed.len());
    // Host code runs here (its `cancel`), so no lock is held: it may call back in.
    if let Some(exchanges) = generation.client.host_exchanges() {
        exchanges.abandon_all();
    }
    if let Some(in_poll) = generation.runner.in_poll() {
        in_poll.close();
    }
    for delivery in owed {
        run_callback(&generation, delivery);
    }
    // Logins already installing their session finish as they were going to (OK, session kept);
    // then the session store stops: no task of this generation writes the session file after
    // this returns (a re-init with the same file must not load a stale or refused session).
    let committed = generation.committed_results();
    generation.client.session().close();
    for delivery in committed {
        run_callback(&generation, delivery);
    }
    generation.wait_for_callbacks(callbacks_on_this_thread(generation.id));
    super::log::deliver_queued_records();
    let mut state = lifecycle();
    state.shutdowns_running -= 1;
    SHUTDOWN_DONE.notify_all();
}

/// Returns `XERIAL_ABI_VERSION` (`major << 16 | minor`) of the loaded library.
///
/// Bindings check it when they load and refuse to run on a major mismatch. Any thread, any time.
#[no_mangle]
pub extern "C" fn xerial_abi_version() -> u32 {
    super::guard("xerial_abi_version", || XERIAL_ABI_VERSION)
}

/// Returns the library's semantic version, e.g. `"0.1.0"`.
///
/// The string is static: valid for the life of the process, never freed. Any thread, any time.
#[no_mangle]
pub extern "C" fn xerial_version() -> *const c_char {
    super::guard("xerial_version", || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// Initialises the SDK. Returns an `XERIAL_*` code.
///
/// `config` NULL means every default. Strings are copied; the caller may free them on return.
/// Codes: `XERIAL_OK`; `XERIAL_E_ALREADY_INITIALIZED` (initialised and not shut down: nothing
/// changes); `XERIAL_E_INVALID_ARGUMENT` (and the SDK stays uninitialised) for a `base_url`,
/// `marketplace_url`, `oauth_authorize_url` or `oauth_token_url` that does not parse, whose scheme
/// is not http/https, or that is plain `http://` to a host other than loopback (`localhost`,
/// 127.0.0.0/8, ::1) while `allow_insecure_http` is 0, for a `struct_size` that is not the size of
/// an `XerialConfig` (fill it with `xerial_config_init`) or that covers a field this library does
/// not know set to non-zero (a newer header than the library),
/// an unknown `dispatch`, `worker_threads` over 256, a string argument that is not UTF-8, a
/// `transport` whose `struct_size` is not `sizeof(XerialTransport)` or whose `send` is NULL, an
/// unknown `run_mode`, `XERIAL_RUN_IN_POLL` with immediate dispatch or (outside WebAssembly)
/// without a transport, in the WebAssembly build anything but a transport with
/// `XERIAL_RUN_IN_POLL`, and a `session_store` that is unknown or contradicts
/// `session_path`/`session_host`; `XERIAL_E_INTERNAL` if the
/// runtime cannot start. The first successful init creates the process's runtime with
/// `worker_threads` threads (on Linux and Android at `SCHED_BATCH`, so that waking one never
/// preempts the game thread); later inits reuse it. The stored session is loaded (see
/// `session_store`: the OS's protected store is waited for at most 250 ms; a host store's `load`
/// runs here, on this thread); a store that cannot be read or holds no valid token pair is
/// logged and means no session. Any thread; `init → shutdown → init` works any number of times in
/// one process.
#[no_mangle]
pub unsafe extern "C" fn xerial_init(config: *const XerialConfig) -> i32 {
    super::guard("xerial_init", || match init(config) {
        Ok(()) => {
            log::info!(target: "xerial::lifecycle", "initialised");
            XERIAL_OK
        }
        Err(InitError::AlreadyInitialized) => XERIAL_E_ALREADY_INITIALIZED,
        Err(InitError::Failed(e)) => {
            log::error!(target: "xerial::lifecycle", "xerial_init failed: {}", e.message());
            code_of(e.kind())
        }
    })
}

/// Shuts the SDK down. Always returns `XERIAL_OK` (idempotent; OK before init too).
///
/// Cancels everything in flight and, **before it returns, on the calling thread**, runs every
/// callback still owed: completions already queued get their real result, requests still in
/// flight get `XERIAL_E_SHUTDOWN` (`XERIAL_E_OUTCOME_UNKNOWN` for a value-moving request that may
/// have been sent). After it returns, no callback of this generation ever runs. Call it from the
/// thread that polls. From inside a callback it runs the remaining owed callbacks nested and
/// returns; a concurrent second call waits for the first to finish, except from inside a
/// callback. In immediate mode it also waits for callbacks running on workers (never for the one
/// it is called from). With a host transport, every handle still open is abandoned and its
/// `cancel` called before this returns (a `send` running on another thread is waited for); later
/// answers are refused. The runtime's threads are kept for the next `xerial_init`.
#[no_mangle]
pub extern "C" fn xerial_shutdown() -> i32 {
    super::guard("xerial_shutdown", || {
        shutdown();
        XERIAL_OK
    })
}

/// Returns the static name of an `XERIAL_*` code, e.g. `"XERIAL_E_NOT_FOUND"`, and
/// `"XERIAL_E_UNKNOWN"` for values it does not know. Never NULL, never freed. Any thread, any time.
#[no_mangle]
pub extern "C" fn xerial_code_name(code: i32) -> *const c_char {
    super::guard("xerial_code_name", || super::outcome::code_name(code))
}
