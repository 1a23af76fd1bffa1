//! Where the player's session is kept between runs: one backend per kind of store.
//!
//! The game chooses (`ClientConfig::session_store`): the OS's protected store at a per-user
//! location outside the game's folder (the default), a plain file at a path it gives (the only
//! choice before ABI 1.3, still what a `session_path` alone means), memory only, or a store it
//! implements (console save data, its own encrypted storage). A backend only reads, writes and
//! removes the token pair's JSON; `SessionStore` (session.rs) decides when, on which thread,
//! and never under a lock.

mod file;
#[cfg(not(target_os = "emscripten"))]
mod location;
#[cfg(not(target_os = "emscripten"))]
mod migrate;
#[cfg(not(target_os = "emscripten"))]
mod protected;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::config::ClientConfig;
use super::error::Error;
use super::tokens::TokenPair;

pub(crate) use file::FileBackend;

/// How the session is kept between runs (`XerialConfig.session_store`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SessionStoreKind {
    /// `File` when `session_path` is set (what that field always meant), else `Protected`.
    #[default]
    Default,
    /// The OS's protected store (Keychain, Secret Service, DPAPI, the app's private storage),
    /// keyed by project id and base URL. A plain session file at `session_path`, when set, is
    /// moved into it and removed.
    Protected,
    /// Plain JSON at `session_path` (mode 0600 on Unix), written before the call that changed
    /// the session returns.
    File,
    /// Memory only: every start begins logged out.
    Memory,
    /// The host's own store.
    Host(HostStoreRef),
}

/// A session store the host implements, reached through the C ABI's callbacks.
pub trait HostStore: Send + Sync {
    /// The stored session's JSON; `None` when nothing is stored.
    fn load(&self) -> Result<Option<Zeroizing<String>>, String>;
    /// Replaces the stored session with `json` (a secret).
    fn save(&self, json: &str) -> Result<(), String>;
    /// Removes the stored session (nothing stored is not an error).
    fn remove(&self) -> Result<(), String>;
    /// Runs `write` (a `save` or `remove`) where the host's callbacks belong. Once the SDK is
    /// shut down it may drop it: closing the store writes the last change itself.
    fn schedule(&self, write: Work);
}

/// A host store, compared by identity (so that `ClientConfig` stays comparable).
#[derive(Clone)]
pub struct HostStoreRef(pub Arc<dyn HostStore>);

impl fmt::Debug for HostStoreRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostStoreRef(..)")
    }
}

impl PartialEq for HostStoreRef {
    fn eq(&self, other: &HostStoreRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for HostStoreRef {}

/// A backend call to run later, elsewhere.
pub type Work = Box<dyn FnOnce() + Send>;

/// Why a store could not do what was asked: names the store, never holds a token.
#[derive(Debug)]
pub(crate) struct StoreError(String);

impl StoreError {
    pub(crate) fn new(message: impl Into<String>) -> StoreError {
        StoreError(message.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One place the session's JSON can be kept. Calls may block (disk, D-Bus, a Keychain prompt,
/// the host's code): they are made only where the store's `Runner` puts them, with no lock held.
pub(crate) trait SessionBackend: Send + Sync {
    /// What and where, for log records (never a token).
    fn describe(&self) -> String;
    /// The stored JSON, `None` when nothing is stored.
    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError>;
    /// Replaces what is stored, atomically: a reader sees the old session or the new one.
    fn save(&self, json: &str) -> Result<(), StoreError>;
    /// Removes what is stored; nothing stored is not an error.
    fn remove(&self) -> Result<(), StoreError>;
}

/// Where the store runs the calls that may wait (the OS's store: a daemon, a prompt), so that
/// no caller waits for them. Chosen by whoever owns the threads (`Client::with_io`).
#[derive(Clone)]
pub enum Background {
    /// The blocking threads of this runtime (the SDK's, with `XERIAL_RUN_THREADS`).
    #[cfg(not(target_os = "emscripten"))]
    Runtime(tokio::runtime::Handle),
    /// A thread of its own for each batch of writes (a client built outside any runtime).
    #[cfg(not(target_os = "emscripten"))]
    Thread,
    /// No thread of the SDK's (`XERIAL_RUN_IN_POLL`): handed to this executor, which runs it
    /// inside the host's `xerial_poll`, on the thread that polls.
    Polled(Spawn),
}

impl Background {
    /// The runtime this thread is in, else a thread of its own.
    #[cfg(not(target_os = "emscripten"))]
    pub fn current() -> Background {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Background::Runtime(runtime),
            Err(_) => Background::Thread,
        }
    }
}

impl fmt::Debug for Background {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            #[cfg(not(target_os = "emscripten"))]
            Background::Runtime(_) => "Background::Runtime",
            #[cfg(not(target_os = "emscripten"))]
            Background::Thread => "Background::Thread",
            Background::Polled(_) => "Background::Polled",
        })
    }
}

/// Runs a backend call later, on the host's polling thread (see [`Background::Polled`]).
pub type Spawn = Arc<dyn Fn(Work) + Send + Sync>;

/// Where a backend's calls run.
pub(crate) enum Runner {
    /// On the thread that changed the session, which returns once the change is written: a file
    /// the game named (fast, and the behaviour `session_path` always had).
    Caller,
    /// Off the caller (see [`Background`]): a protected store can wait for a daemon or a prompt
    /// (none in the WebAssembly build).
    /// With threads, its load is waited for at most `LOAD_WAIT` (in `xerial_init`) and its last
    /// write at most `CLOSE_WAIT` (in `xerial_shutdown`); without (`Polled`), both run on the
    /// thread of those calls, and the writes in between inside `xerial_poll`.
    #[cfg(not(target_os = "emscripten"))]
    Background(Background),
    /// Where the host's callbacks belong: its load on the thread of `xerial_init`, its writes
    /// through `HostStore::schedule`.
    Host(Arc<dyn HostStore>),
}

impl Runner {
    /// Runs `work` where this runner puts backend calls.
    pub(crate) fn spawn(&self, work: Work) {
        match self {
            Runner::Caller => work(),
            #[cfg(not(target_os = "emscripten"))]
            Runner::Background(Background::Runtime(runtime)) => drop(runtime.spawn_blocking(work)),
            #[cfg(not(target_os = "emscripten"))]
            Runner::Background(Background::Thread) => {
                if let Err(e) = std::thread::Builder::new()
                    .name("xerial-session".to_owned())
                    .spawn(work)
                {
                    log::warn!(target: "xerial::session", "cannot start a thread for the session store: {e}");
                }
            }
            #[cfg(not(target_os = "emscripten"))]
            Runner::Background(Background::Polled(spawn)) => spawn(work),
            Runner::Host(host) => host.schedule(work),
        }
    }

    /// Whether the calls run on threads of their own, so that opening and closing the store
    /// wait for them at most a bound (otherwise they run on the opening and closing thread).
    pub(crate) fn on_threads(&self) -> bool {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            Runner::Background(Background::Runtime(_) | Background::Thread) => true,
            #[cfg(not(target_os = "emscripten"))]
            Runner::Background(Background::Polled(_)) => false,
            Runner::Caller | Runner::Host(_) => false,
        }
    }
}

/// A backend and where its calls run.
pub(crate) struct Persistence {
    pub backend: Arc<dyn SessionBackend>,
    pub runner: Runner,
}

impl Persistence {
    /// What the store holds, if it is a valid token pair; problems are logged, never fatal.
    pub(crate) fn read(&self) -> Option<TokenPair> {
        let what = || self.backend.describe();
        match self.backend.load() {
            Ok(None) => None,
            Ok(Some(json)) => match TokenPair::from_json(&json) {
                Ok(pair) => Some(pair),
                Err(e) => {
                    log::warn!(target: "xerial::session", "ignoring the session in {}: {}", what(), e.message());
                    None
                }
            },
            Err(e) => {
                log::warn!(target: "xerial::session", "cannot read the session from {} ({e}): starting logged out", what());
                None
            }
        }
    }
}

/// Resolves the configured store into a backend; `None` keeps the session in memory only.
/// Settings that contradict each other are refused, never silently dropped. A protected store's
/// calls run as `background` says.
pub(crate) fn plan(
    config: &ClientConfig,
    background: Background,
) -> Result<Option<Persistence>, Error> {
    let path = config.session_path.clone();
    match (&config.session_store, path) {
        (SessionStoreKind::Default | SessionStoreKind::File, Some(path)) => {
            Ok(Some(Persistence {
                backend: Arc::new(FileBackend::plain(path)),
                runner: Runner::Caller,
            }))
        }
        (SessionStoreKind::File, None) => Err(Error::invalid_argument(
            "session_path",
            "XERIAL_SESSION_STORE_FILE needs a session_path",
        )),
        (SessionStoreKind::Default, None) => Ok(default_store(config, background)),
        (SessionStoreKind::Protected, legacy) => Ok(protected(config, legacy, background)),
        (SessionStoreKind::Memory, None) => Ok(None),
        (SessionStoreKind::Host(host), None) => Ok(Some(Persistence {
            backend: Arc::new(host.clone()),
            runner: Runner::Host(Arc::clone(&host.0)),
        })),
        (SessionStoreKind::Memory | SessionStoreKind::Host(_), Some(_)) => {
            Err(Error::invalid_argument(
                "session_path",
                "must be NULL unless session_store is XERIAL_SESSION_STORE_DEFAULT, _FILE or _PROTECTED",
            ))
        }
    }
}

/// `XERIAL_SESSION_STORE_DEFAULT` without a `session_path`: the OS's protected store.
#[cfg(not(target_os = "emscripten"))]
fn default_store(config: &ClientConfig, background: Background) -> Option<Persistence> {
    protected(config, None, background)
}

/// The OS's protected store at the default location, taking over the plain file `legacy`.
#[cfg(not(target_os = "emscripten"))]
fn protected(
    config: &ClientConfig,
    legacy: Option<PathBuf>,
    background: Background,
) -> Option<Persistence> {
    let key = location::Key::new(config.project_id.as_deref(), &config.base_url);
    let backend = match protected::backend(&key) {
        Ok(backend) => backend,
        Err(why) => {
            log::warn!(target: "xerial::session", "no protected session store on this system ({why}): the session is kept in memory only");
            return None;
        }
    };
    let backend = match legacy {
        Some(path) => Arc::new(migrate::Migrating::new(backend, FileBackend::plain(path))),
        None => backend,
    };
    log::info!(target: "xerial::session", "the {} is kept in {}", key.label, backend.describe());
    Some(Persistence {
        backend,
        runner: Runner::Background(background),
    })
}

/// In the browser nothing protected is within a native library's reach, and a file lives in
/// Emscripten's file system, which is memory unless the game mounts IndexedDB there (IDBFS)
/// and syncs it: the default keeps the session in memory, and says how to keep it longer.
#[cfg(target_os = "emscripten")]
fn default_store(_config: &ClientConfig, _background: Background) -> Option<Persistence> {
    log::info!(target: "xerial::session", "the WebAssembly build keeps the session in memory by default (every page load starts logged out): to keep it, choose XERIAL_SESSION_STORE_HOST (e.g. the browser's localStorage) or a session_path on an IDBFS mount the game syncs");
    None
}

/// As `default_store`, said as a warning: the game asked for what the browser does not offer.
#[cfg(target_os = "emscripten")]
fn protected(
    _config: &ClientConfig,
    legacy: Option<PathBuf>,
    _background: Background,
) -> Option<Persistence> {
    let legacy = match legacy {
        Some(path) => format!(" ({} is not read)", path.display()),
        None => String::new(),
    };
    log::warn!(target: "xerial::session", "the WebAssembly build has no protected session store: the session is kept in memory only{legacy}; choose XERIAL_SESSION_STORE_HOST or a session_path on a synced IDBFS mount");
    None
}

impl SessionBackend for HostStoreRef {
    fn describe(&self) -> String {
        "the host's session store".to_owned()
    }

    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        self.0.load().map_err(StoreError::new)
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        self.0.save(json).map_err(StoreError::new)
    }

    fn remove(&self) -> Result<(), StoreError> {
        self.0.remove().map_err(StoreError::new)
    }
}
