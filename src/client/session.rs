//! The player's session: Xerial's token pair, held in memory and kept in the configured store
//! (`store`) between runs.
//!
//! Every change bumps a version; one writer at a time makes the store hold the latest version,
//! reading it when its turn comes, so concurrent changes never leave the store older than
//! memory, and a write never runs under a lock (the host's store is foreign code; a log record
//! may re-enter the SDK). Where writes run is the store's `Runner`: on the changing thread for a
//! file the game named, on a background thread for the OS's store, where the host's callbacks
//! belong for the host's.

use std::cell::Cell;
use std::fmt;
use std::sync::{Arc, Condvar, OnceLock};
use std::time::Duration;

use super::clock;
use super::store::{Persistence, Runner};
use super::sync::{Guard, Mutex};
pub use super::tokens::{Token, TokenPair};

/// How long opening the store (in `xerial_init`) waits for the OS's store to answer. A locked
/// keyring answers in ~190 ms; a prompt waits for a person: the load then lands later.
pub const LOAD_WAIT: Duration = Duration::from_millis(250);
/// How long closing the store (in `xerial_shutdown`) waits for the OS's store's last write.
pub const CLOSE_WAIT: Duration = Duration::from_secs(1);

thread_local! {
    /// Set while this thread makes a backend call: a host callback that shuts the SDK down must
    /// not wait for its own write.
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

/// Called with `true` when a player becomes logged in and `false` when the session ends; only
/// on a flip, and never while a lock is held.
pub type AuthObserver = Box<dyn Fn(bool) + Send + Sync>;

/// Holds the session and keeps the store in step with it.
///
/// The pair is shared (`Arc`): a call borrows the tokens it sends and redacts from the snapshot
/// it took, so no request copies a token; the last holder's drop wipes them.
pub struct SessionStore {
    shared: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    /// Signalled when the load finishes.
    loaded: Condvar,
    observer: OnceLock<AuthObserver>,
    /// `None`: memory only.
    persistence: Option<Persistence>,
    writer: Mutex<Writer>,
    /// Signalled when a write (or the load) finishes.
    turn_over: Condvar,
}

struct State {
    pair: Option<Arc<TokenPair>>,
    /// Bumped by every change; the store holds `Writer::written`. 0 is what the load found.
    version: u64,
    /// Set by `close` (shutdown): nothing changes any more.
    closed: bool,
    loading: bool,
    /// The load outlived `open`'s wait: the session it finds is announced like a login.
    late: bool,
    /// A late session landed before an observer was set: announced when one is.
    unannounced: bool,
}

struct Writer {
    /// A write (or the load) is under way.
    busy: bool,
    written: u64,
    /// A drain is scheduled and has not started.
    scheduled: bool,
    /// Set at the end of `close`: nothing is written any more.
    stopped: bool,
}

impl fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = self.shared.persistence.as_ref();
        f.debug_struct("SessionStore")
            .field("logged_in", &self.is_logged_in())
            .field("store", &store.map(|p| p.backend.describe()))
            .finish_non_exhaustive()
    }
}

impl SessionStore {
    /// A store starting from what `persistence` holds (memory only when `None`). A store that
    /// cannot be read, or holds no valid token pair, starts logged out and is logged.
    ///
    /// The OS's store with threads is read on a background thread, waited for at most
    /// `LOAD_WAIT`: a load still running then lands later, unless the session changed meanwhile,
    /// and fires the observer. Every other store (a file, the host's, the OS's without threads)
    /// is read on the calling thread.
    pub(crate) fn open(persistence: Option<Persistence>) -> SessionStore {
        let loading = persistence.is_some();
        let shared = Arc::new(Inner {
            state: Mutex::new(State {
                pair: None,
                version: 0,
                closed: false,
                loading,
                late: false,
                unannounced: false,
            }),
            loaded: Condvar::new(),
            observer: OnceLock::new(),
            persistence,
            writer: Mutex::new(Writer {
                busy: loading,
                written: 0,
                scheduled: false,
                stopped: false,
            }),
            turn_over: Condvar::new(),
        });
        if let Some(persistence) = &shared.persistence {
            if persistence.runner.on_threads() {
                let loader = Arc::clone(&shared);
                persistence.runner.spawn(Box::new(move || loader.load()));
                shared.wait_for_load();
            } else {
                shared.load();
            }
        }
        SessionStore { shared }
    }

    /// Stops the store (shutdown): nothing changes any more, the last change is written (on
    /// threads, waited for at most `CLOSE_WAIT`; otherwise on this thread), then nothing is
    /// written: a task of the shut-down generation can no longer install, refresh or persist a
    /// session (a re-init with the same store must not load what it wrote).
    pub(crate) fn close(&self) {
        let shared = &self.shared;
        shared.state.lock().closed = true;
        let Some(persistence) = &shared.persistence else {
            return;
        };
        if WRITING.with(Cell::get) {
            // Called from inside the store's own write (the host's callback, or a log record it
            // wrote): that write is the last, and waiting for it would wait for this thread.
        } else if persistence.runner.on_threads() {
            shared.schedule();
            shared.wait_written(CLOSE_WAIT);
        } else {
            shared.drain(true);
        }
        shared.writer.lock().stopped = true;
    }

    /// Sets the observer told about login/logout flips (once; later calls are ignored).
    pub fn set_observer(&self, observer: AuthObserver) {
        let _ = self.shared.observer.set(observer);
        let unannounced = std::mem::take(&mut self.shared.state.lock().unannounced);
        if unannounced {
            self.shared.notify(true);
        }
    }

    /// The current token pair (shared, not copied).
    pub fn get(&self) -> Option<Arc<TokenPair>> {
        self.shared.state.lock().pair.clone()
    }

    /// Whether a player is logged in.
    pub fn is_logged_in(&self) -> bool {
        self.shared.state.lock().pair.is_some()
    }

    /// Installs `pair` and persists it. A failed save is logged and never fails the call.
    /// Nothing changes once the store is closed (shutdown).
    pub fn set(&self, pair: TokenPair) {
        let was_logged_in = {
            let Some(mut state) = self.shared.change() else {
                return;
            };
            state.pair.replace(Arc::new(pair)).is_some()
        };
        self.shared.changed();
        if !was_logged_in {
            self.shared.notify(true);
        }
    }

    /// Replaces the pair whose refresh token is `old_refresh` (a refresh's answer); false, and
    /// nothing changes, if the session ended or changed meanwhile (a logout is never undone).
    pub(crate) fn replace_if_refresh_token(&self, old_refresh: &str, pair: Arc<TokenPair>) -> bool {
        {
            let mut state = self.shared.state.lock();
            if state.closed || !holds(&state, old_refresh) {
                return false;
            }
            state.version += 1;
            state.pair = Some(pair);
        }
        self.shared.changed();
        true
    }

    /// Forgets the session (memory and store). Returns whether there was one.
    pub fn clear(&self) -> bool {
        let had = match self.shared.change() {
            Some(mut state) => state.pair.take().is_some(),
            None => return false,
        };
        self.shared.changed();
        if had {
            self.shared.notify(false);
        }
        had
    }

    /// Clears the session if its refresh token is `refresh_token`; returns whether it did.
    pub(crate) fn clear_if_refresh_token(&self, refresh_token: &str) -> bool {
        {
            let mut state = self.shared.state.lock();
            if state.closed || !holds(&state, refresh_token) {
                return false;
            }
            state.version += 1;
            state.pair = None;
        }
        self.shared.changed();
        self.shared.notify(false);
        true
    }
}

fn holds(state: &State, refresh_token: &str) -> bool {
    state
        .pair
        .as_ref()
        .is_some_and(|pair| pair.refresh.token == refresh_token)
}

impl Inner {
    /// The state, with its version bumped, unless the store is closed.
    fn change(&self) -> Option<Guard<'_, State>> {
        let mut state = self.state.lock();
        if state.closed {
            return None;
        }
        state.version += 1;
        Some(state)
    }

    fn notify(&self, logged_in: bool) {
        if let Some(observer) = self.observer.get() {
            observer(logged_in);
        }
    }

    /// The store's first turn: reads it (never under a lock), installs what it found unless the
    /// session changed meanwhile, then writes any change made while it read.
    fn load(self: &Arc<Self>) {
        let Some(persistence) = &self.persistence else {
            return;
        };
        let started = clock::now();
        let found = persistence.read();
        log::debug!(target: "xerial::session", "read the session store in {} ms: {}", started.elapsed().as_millis(), if found.is_some() { "a session" } else { "no session" });
        let announce = {
            let mut state = self.state.lock();
            state.loading = false;
            self.loaded.notify_all();
            let install = found.is_some() && !state.closed && state.version == 0;
            if install {
                state.pair = found.map(Arc::new);
            }
            // The observer is read under the lock that `set_observer` takes after setting it:
            // either it is there now, or it will find `unannounced`.
            let late = install && state.late;
            if late && self.observer.get().is_none() {
                state.unannounced = true;
                false
            } else {
                late
            }
        };
        {
            let mut writer = self.writer.lock();
            writer.busy = false;
            self.turn_over.notify_all();
        }
        if announce {
            self.notify(true);
        }
        self.drain(false);
    }

    /// Waits at most `LOAD_WAIT` for the load; then it is late (see `open`).
    fn wait_for_load(&self) {
        let deadline = clock::now() + LOAD_WAIT;
        let mut state = self.state.lock();
        while state.loading {
            let Some(left) = deadline.checked_duration_since(clock::now()) else {
                state.late = true;
                drop(state);
                log::info!(target: "xerial::session", "the session store has not answered within {LOAD_WAIT:?}: starting logged out; a session it holds will be announced to the auth listener");
                return;
            };
            state = state.wait_timeout(&self.loaded, left);
        }
    }

    /// A change was made: have it written where the runner writes.
    fn changed(self: &Arc<Self>) {
        match self.persistence.as_ref().map(|p| &p.runner) {
            None => {}
            Some(Runner::Caller) => self.drain(true),
            Some(_) => self.schedule(),
        }
    }

    /// Schedules a drain unless one is scheduled or a writer is busy (it writes this change too).
    fn schedule(self: &Arc<Self>) {
        let Some(persistence) = &self.persistence else {
            return;
        };
        {
            let mut writer = self.writer.lock();
            if writer.scheduled || writer.busy || writer.stopped {
                return;
            }
            writer.scheduled = true;
        }
        let shared = Arc::clone(self);
        persistence
            .runner
            .spawn(Box::new(move || shared.drain(false)));
    }

    /// Writes until the store holds the latest version. With `wait`, returns only then (after
    /// another thread's write in progress, if any); without, leaves it to a busy writer.
    fn drain(&self, wait: bool) {
        let Some(persistence) = &self.persistence else {
            return;
        };
        loop {
            let (version, json) = {
                let mut writer = self.writer.lock();
                writer.scheduled = false;
                loop {
                    let state = self.state.lock();
                    if writer.stopped || state.version == writer.written {
                        return;
                    }
                    if !writer.busy {
                        writer.busy = true;
                        break (
                            state.version,
                            state.pair.as_ref().map(|pair| pair.to_json()),
                        );
                    }
                    drop(state);
                    if !wait {
                        return;
                    }
                    writer = writer.wait(&self.turn_over);
                }
            };
            WRITING.with(|writing| writing.set(true));
            let result = match &json {
                Some(json) => persistence.backend.save(json),
                None => persistence.backend.remove(),
            };
            WRITING.with(|writing| writing.set(false));
            drop(json);
            {
                let mut writer = self.writer.lock();
                writer.busy = false;
                writer.written = version;
                self.turn_over.notify_all();
            }
            if let Err(e) = result {
                log::warn!(target: "xerial::session", "could not update the session in {}: {e}", persistence.backend.describe());
            }
        }
    }

    /// Waits at most `timeout` for the store to hold the latest version.
    fn wait_written(&self, timeout: Duration) {
        let deadline = clock::now() + timeout;
        let mut writer = self.writer.lock();
        while writer.busy || writer.written != self.state.lock().version {
            let Some(left) = deadline.checked_duration_since(clock::now()) else {
                drop(writer);
                log::warn!(target: "xerial::session", "the session store has not finished its last write within {timeout:?}: shutting down without waiting for it");
                return;
            };
            writer = writer.wait_timeout(&self.turn_over, left);
        }
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
