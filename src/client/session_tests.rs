//! The session store's rules with each runner, against a store in memory that records what
//! it was asked and checks that no SDK lock is held when it is called.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use zeroize::Zeroizing;

use super::*;
use crate::client::store::{
    Background, FileBackend, HostStore, SessionBackend, Spawn, StoreError, Work,
};
use crate::client::sync::locks_held;

const PAIR: &str = r#"{"access":{"token":"a.b.c","expires":"2024-01-12T17:34:35.725Z"},"refresh":{"token":"d.e.f","expires":"2027-12-22T15:14:35.726Z"}}"#;

fn pair(refresh: &str) -> TokenPair {
    TokenPair::from_json(&PAIR.replace("d.e.f", refresh)).unwrap()
}

/// A store in memory: optionally slow to load, or unreadable.
#[derive(Default)]
struct Held {
    json: std::sync::Mutex<Option<String>>,
    load_delay: Duration,
    unreadable: bool,
    writes: AtomicUsize,
    /// Set while a write runs: two at once is a failure.
    writing: AtomicBool,
}

impl Held {
    fn holding(json: &str) -> Held {
        Held {
            json: std::sync::Mutex::new(Some(json.to_owned())),
            ..Held::default()
        }
    }

    fn stored_refresh(&self) -> Option<String> {
        let json = self.json.lock().unwrap().clone()?;
        Some(TokenPair::from_json(&json).unwrap().refresh.token.clone())
    }

    fn write(&self, json: Option<&str>) -> Result<(), StoreError> {
        assert_eq!(locks_held(), 0, "a store call under an SDK lock");
        assert!(
            !self.writing.swap(true, Ordering::SeqCst),
            "two writes at once"
        );
        std::thread::sleep(Duration::from_micros(200));
        *self.json.lock().unwrap() = json.map(str::to_owned);
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.writing.store(false, Ordering::SeqCst);
        Ok(())
    }
}

impl SessionBackend for Arc<Held> {
    fn describe(&self) -> String {
        "the test store".to_owned()
    }
    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        assert_eq!(locks_held(), 0, "a store call under an SDK lock");
        std::thread::sleep(self.load_delay);
        if self.unreadable {
            return Err(StoreError::new("locked"));
        }
        Ok(self.json.lock().unwrap().clone().map(Zeroizing::new))
    }
    fn save(&self, json: &str) -> Result<(), StoreError> {
        self.write(Some(json))
    }
    fn remove(&self) -> Result<(), StoreError> {
        self.write(None)
    }
}

fn open(held: &Arc<Held>, runner: Runner) -> SessionStore {
    SessionStore::open(Some(Persistence {
        backend: Arc::new(Arc::clone(held)),
        runner,
    }))
}

fn background() -> Runner {
    Runner::Background(Background::Thread)
}

fn caller() -> Runner {
    Runner::Caller
}

/// Waits (at most 5 s) until `done`.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    done()
}

#[test]
fn a_file_is_written_before_the_change_returns_and_reloaded() {
    let path = std::env::temp_dir().join(format!("xerial-session-file-{}", std::process::id()));
    let file = |path: &PathBuf| {
        SessionStore::open(Some(Persistence {
            backend: Arc::new(FileBackend::plain(path.clone())),
            runner: Runner::Caller,
        }))
    };
    let store = file(&path);
    assert!(!store.is_logged_in());
    store.set(TokenPair::from_json(PAIR).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), PAIR);
    let reopened = file(&path);
    assert!(reopened.is_logged_in());
    assert!(reopened.clear_if_refresh_token("d.e.f"));
    assert!(!path.exists(), "removed before clear returned");
    std::fs::write(&path, &PAIR[..40]).unwrap();
    assert!(!file(&path).is_logged_in(), "a corrupt file is ignored");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn an_unwritable_file_never_fails_set() {
    let store = SessionStore::open(Some(Persistence {
        backend: Arc::new(FileBackend::plain(PathBuf::from(
            "/nonexistent-dir/xerial/session.json",
        ))),
        runner: Runner::Caller,
    }));
    store.set(pair("x"));
    assert!(store.is_logged_in());
}

#[test]
fn concurrent_changes_leave_the_store_holding_the_latest_session() {
    for runner in [caller as fn() -> Runner, background] {
        let held = Arc::new(Held::default());
        let store = Arc::new(open(&held, runner()));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    for i in 0..50 {
                        if i % 7 == 3 {
                            store.clear();
                        } else {
                            store.set(pair(&format!("t{t}-{i}")));
                        }
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        store.close();
        let memory = store.get().map(|pair| pair.refresh.token.clone());
        assert_eq!(held.stored_refresh(), memory);
        assert!(held.writes.load(Ordering::SeqCst) >= 1);
    }
}

#[test]
fn the_background_store_never_makes_the_caller_wait_and_close_writes_the_last_change() {
    let held = Arc::new(Held::default());
    let store = open(&held, background());
    store.set(pair("one"));
    store.set(pair("two"));
    store.close();
    assert_eq!(held.stored_refresh().as_deref(), Some("two"));
    let writes = held.writes.load(Ordering::SeqCst);
    store.set(pair("after"));
    assert!(!store.clear(), "closed: nothing changes");
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(
        held.writes.load(Ordering::SeqCst),
        writes,
        "no write after close"
    );
}

#[test]
fn a_slow_store_starts_logged_out_and_its_session_lands_later_with_a_login_flip() {
    let held = Arc::new(Held {
        load_delay: LOAD_WAIT + Duration::from_millis(150),
        ..Held::holding(PAIR)
    });
    let started = Instant::now();
    let store = open(&held, background());
    let waited = started.elapsed();
    assert!(
        waited >= LOAD_WAIT && waited < LOAD_WAIT + Duration::from_millis(140),
        "{waited:?}"
    );
    assert!(!store.is_logged_in());
    let flips = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&flips);
    store.set_observer(Box::new(move |logged_in| {
        assert!(logged_in);
        seen.fetch_add(1, Ordering::SeqCst);
    }));
    assert!(eventually(|| store.is_logged_in()));
    assert!(eventually(|| flips.load(Ordering::SeqCst) == 1));
}

#[test]
fn a_late_load_never_overrides_a_change_made_meanwhile() {
    let held = Arc::new(Held {
        load_delay: LOAD_WAIT + Duration::from_millis(100),
        ..Held::holding(PAIR)
    });
    let store = open(&held, background());
    store.clear();
    store.close();
    assert!(!store.is_logged_in());
    assert_eq!(
        held.stored_refresh(),
        None,
        "the player's logout is what the store holds"
    );
}

#[test]
fn an_unreadable_store_starts_logged_out_and_is_left_as_it_is() {
    let held = Arc::new(Held {
        unreadable: true,
        ..Held::holding(PAIR)
    });
    let store = open(&held, background());
    assert!(!store.is_logged_in());
    store.close();
    assert_eq!(held.writes.load(Ordering::SeqCst), 0);
    assert!(held.stored_refresh().is_some());
}

/// A host store whose writes wait in a queue until the test runs them (as `xerial_poll` does).
#[derive(Default)]
struct Queued {
    held: Arc<Held>,
    queue: std::sync::Mutex<Vec<Work>>,
}

impl Queued {
    fn run_queued(&self) -> usize {
        let work: Vec<Work> = std::mem::take(&mut *self.queue.lock().unwrap());
        let n = work.len();
        for write in work {
            write();
        }
        n
    }
}

impl HostStore for Queued {
    fn load(&self) -> Result<Option<Zeroizing<String>>, String> {
        self.held.load().map_err(|e| e.to_string())
    }
    fn save(&self, json: &str) -> Result<(), String> {
        self.held.save(json).map_err(|e| e.to_string())
    }
    fn remove(&self) -> Result<(), String> {
        self.held.remove().map_err(|e| e.to_string())
    }
    fn schedule(&self, write: Work) {
        self.queue.lock().unwrap().push(write);
    }
}

/// A store whose writes wait until someone runs them (the host's store, or the OS's without SDK
/// threads), holding `PAIR` at `open`: loaded on the opening thread, written only where the
/// writes run (one write for changes made before it ran), the last change written by `close`.
fn loads_at_open_and_writes_only_where_they_run(queued: &Queued, store: SessionStore) {
    assert!(store.is_logged_in(), "loaded on the opening thread");
    store.set(pair("one"));
    store.set(pair("two"));
    assert_eq!(
        queued.held.writes.load(Ordering::SeqCst),
        0,
        "nothing written yet"
    );
    assert_eq!(
        queued.run_queued(),
        1,
        "one write scheduled for both changes"
    );
    assert_eq!(queued.held.stored_refresh().as_deref(), Some("two"));
    store.clear();
    store.close();
    assert_eq!(
        queued.held.stored_refresh(),
        None,
        "close wrote the last change itself"
    );
    queued.run_queued();
    assert_eq!(
        queued.held.writes.load(Ordering::SeqCst),
        2,
        "the queued drain wrote nothing more"
    );
}

#[test]
fn the_host_store_loads_at_open_and_writes_only_where_it_runs_them() {
    let host = Arc::new(Queued {
        held: Arc::new(Held::holding(PAIR)),
        ..Queued::default()
    });
    let store = SessionStore::open(Some(Persistence {
        backend: Arc::new(crate::client::store::HostStoreRef(host.clone())),
        runner: Runner::Host(host.clone()),
    }));
    loads_at_open_and_writes_only_where_they_run(&host, store);
}

#[test]
fn without_sdk_threads_the_os_store_is_read_at_open_however_slow_and_written_inside_poll() {
    let polled = Arc::new(Queued {
        held: Arc::new(Held {
            load_delay: LOAD_WAIT + Duration::from_millis(50),
            ..Held::holding(PAIR)
        }),
        ..Queued::default()
    });
    let queue = Arc::clone(&polled);
    let spawn: Spawn = Arc::new(move |work| queue.schedule(work));
    let store = SessionStore::open(Some(Persistence {
        backend: Arc::new(Arc::clone(&polled.held)),
        runner: Runner::Background(Background::Polled(spawn)),
    }));
    loads_at_open_and_writes_only_where_they_run(&polled, store);
}
