//! The player's session: Xerial's token pair, held in memory and optionally persisted to a file.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::clock::system_now;
use super::error::Error;
use super::sync::{Guard, Mutex};
use super::time::parse_rfc3339;

/// One token and when it expires (ISO-8601 UTC, as Xerial sends it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The JWT. Never logged: `Debug` redacts it.
    pub token: String,
    /// Expiry, e.g. `2024-01-12T17:34:35.725Z`.
    pub expires: String,
}

/// Tokens are wiped from memory when dropped (logout, refresh, shutdown), not left for the
/// allocator to hand out again.
impl Drop for Token {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.token);
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"[redacted]")
            .field("expires", &self.expires)
            .finish()
    }
}

/// Xerial's token pair `{access:{token,expires}, refresh:{token,expires}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPair {
    /// Sent as `Authorization: Bearer …`.
    pub access: Token,
    /// Used to refresh the pair and to log out.
    pub refresh: Token,
}

impl TokenPair {
    /// Parses and validates the JSON Xerial returns: both tokens non-empty, both expiries ISO-8601.
    pub fn from_json(json: &str) -> Result<TokenPair, Error> {
        let pair: TokenPair = serde_json::from_str(json).map_err(|e| {
            Error::invalid_argument("tokens_json", &format!("not a token pair ({e})"))
        })?;
        for (name, token) in [("access", &pair.access), ("refresh", &pair.refresh)] {
            if token.token.is_empty() {
                return Err(Error::invalid_argument(
                    "tokens_json",
                    &format!("{name}.token is empty"),
                ));
            }
            if parse_rfc3339(&token.expires).is_none() {
                return Err(Error::invalid_argument(
                    "tokens_json",
                    &format!("{name}.expires is not an ISO-8601 time"),
                ));
            }
        }
        Ok(pair)
    }

    /// The canonical JSON form, which is also the persisted file's content; wiped when dropped.
    pub fn to_json(&self) -> Zeroizing<String> {
        // Serialising two structs of strings cannot fail. Sized up front: a buffer that grows
        // would leave unwiped copies of its first part behind.
        let capacity = 64
            + self.access.token.len()
            + self.refresh.token.len()
            + self.access.expires.len()
            + self.refresh.expires.len();
        let mut json = Zeroizing::new(Vec::with_capacity(capacity * 2));
        let _ = serde_json::to_writer(&mut *json, self);
        Zeroizing::new(String::from_utf8(std::mem::take(&mut *json)).unwrap_or_default())
    }
}

impl Token {
    /// Whether this token expires within `margin` from now (an unreadable expiry counts as
    /// expired: the SDK would rather refresh once too often than send a dead token).
    pub fn expires_within(&self, margin: Duration) -> bool {
        parse_rfc3339(&self.expires).is_none_or(|expires| expires <= system_now() + margin)
    }
}

/// Called with `true` when a player becomes logged in and `false` when the session ends; only
/// on a flip, and never while the store's lock is held.
pub type AuthObserver = Box<dyn Fn(bool) + Send + Sync>;

/// Holds the session and keeps the session file in step with it.
///
/// The pair is shared (`Arc`): a call borrows the tokens it sends and redacts from the snapshot
/// it took, so no request copies a token; the last holder's drop wipes them.
pub struct SessionStore {
    current: Mutex<Option<Arc<TokenPair>>>,
    path: Option<PathBuf>,
    observer: OnceLock<AuthObserver>,
    /// Serialises writes of the session file.
    file_turn: Mutex<()>,
    /// Set by `close` (shutdown): the store changes nothing any more, memory or file.
    closed: AtomicBool,
}

impl fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionStore")
            .field("logged_in", &self.is_logged_in())
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SessionStore {
    /// A store persisting to `path` (when set), starting from what the file holds; a missing,
    /// unreadable or corrupt file starts logged out and is logged, never an error.
    pub(crate) fn open(path: Option<PathBuf>) -> SessionStore {
        let current = path.as_deref().and_then(load).map(Arc::new);
        SessionStore {
            current: Mutex::new(current),
            path,
            observer: OnceLock::new(),
            file_turn: Mutex::new(()),
            closed: AtomicBool::new(false),
        }
    }

    /// Stops the store (shutdown): waits for a file write in progress, then nothing changes any
    /// more — a task of the shut-down generation still running can no longer install, refresh or
    /// persist a session (a re-init with the same file must not load what it wrote).
    pub(crate) fn close(&self) {
        let _turn = self.file_turn.lock();
        let _current = self.lock();
        self.closed.store(true, Ordering::Release);
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Sets the observer told about login/logout flips (once; later calls are ignored).
    pub fn set_observer(&self, observer: AuthObserver) {
        let _ = self.observer.set(observer);
    }

    fn notify(&self, logged_in: bool) {
        if let Some(observer) = self.observer.get() {
            observer(logged_in);
        }
    }

    fn lock(&self) -> Guard<'_, Option<Arc<TokenPair>>> {
        self.current.lock()
    }

    /// The current token pair (shared, not copied).
    pub fn get(&self) -> Option<Arc<TokenPair>> {
        self.lock().clone()
    }

    /// Whether a player is logged in.
    pub fn is_logged_in(&self) -> bool {
        self.lock().is_some()
    }

    /// Installs `pair` and persists it. A failed save is logged and never fails the call.
    /// Nothing changes once the store is closed (shutdown).
    pub fn set(&self, pair: TokenPair) {
        let was_logged_in = {
            let mut current = self.lock();
            if self.is_closed() {
                return;
            }
            current.replace(Arc::new(pair)).is_some()
        };
        self.sync_file();
        if !was_logged_in {
            self.notify(true);
        }
    }

    /// Replaces the pair whose refresh token is `old_refresh` (a refresh's answer); false, and
    /// nothing changes, if the session ended or changed meanwhile (a logout is never undone).
    pub(crate) fn replace_if_refresh_token(&self, old_refresh: &str, pair: Arc<TokenPair>) -> bool {
        let mut current = self.lock();
        if self.is_closed()
            || current
                .as_ref()
                .is_none_or(|p| p.refresh.token != old_refresh)
        {
            return false;
        }
        *current = Some(pair);
        drop(current);
        self.sync_file();
        true
    }

    /// Forgets the session (memory and file). Returns whether there was one.
    pub fn clear(&self) -> bool {
        let had = {
            let mut current = self.lock();
            !self.is_closed() && current.take().is_some()
        };
        self.sync_file();
        if had {
            self.notify(false);
        }
        had
    }

    /// Clears the session if its refresh token is `refresh_token`; returns whether it did.
    pub(crate) fn clear_if_refresh_token(&self, refresh_token: &str) -> bool {
        let mut current = self.lock();
        let matches = !self.is_closed()
            && current
                .as_ref()
                .is_some_and(|p| p.refresh.token == refresh_token);
        if matches {
            *current = None;
            drop(current);
            self.sync_file();
            self.notify(false);
        }
        matches
    }

    /// Makes the file hold what memory holds now. Writers take turns, and each writes the state
    /// current when its turn comes, so concurrent changes always leave the file equal to the
    /// latest session (never to an older one, never half-written). Failures are logged once the
    /// turn is over: the log callback may call back into the session.
    fn sync_file(&self) {
        let Some(path) = &self.path else {
            return;
        };
        let result = {
            let _turn = self.file_turn.lock();
            if self.is_closed() {
                return;
            }
            let json = self.lock().as_ref().map(|pair| pair.to_json());
            match json {
                Some(json) => save(path, &json),
                None => match fs::remove_file(path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                },
            }
        };
        if let Err(e) = result {
            log::warn!(target: "xerial::session", "could not update the session file {}: {e}", path.display());
        }
    }
}

fn load(path: &Path) -> Option<TokenPair> {
    let text = match fs::read_to_string(path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            log::warn!(target: "xerial::session", "ignoring unreadable session file {}: {e}", path.display());
            return None;
        }
    };
    match TokenPair::from_json(&text) {
        Ok(pair) => Some(pair),
        Err(e) => {
            log::warn!(target: "xerial::session", "ignoring corrupt session file {}: {}", path.display(), e.message());
            None
        }
    }
}

/// Writes `json` to `path` atomically: a private temporary file in the same folder, flushed,
/// then renamed over the target, so a crash leaves either the old file or the new one.
///
/// The temporary file is created new (`O_EXCL`) under a name no other write uses, so a file or
/// symlink left at that name is never reused, and its mode is 0600 from the start.
fn save(path: &Path, json: &str) -> std::io::Result<()> {
    static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);
    let mut temp = path.as_os_str().to_owned();
    let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    temp.push(format!(".tmp-{}-{n}", std::process::id()));
    let temp = PathBuf::from(temp);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options.open(&temp).and_then(|mut file| {
        file.write_all(json.as_bytes())?;
        file.sync_all()
    });
    // Emscripten's in-memory file system before 3.1.74 (Unity's 3.1.8 and 3.1.38 included)
    // keeps the replaced file visible after a rename onto it, so a later delete leaves the old
    // session behind (emscripten-core/emscripten#23074). There, the old file goes first: the
    // file system is in memory, so no crash can leave the half-done state on disk.
    #[cfg(target_os = "emscripten")]
    let result = result.and_then(|()| match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    });
    match result.and_then(|()| fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: &str = r#"{"access":{"token":"a.b.c","expires":"2024-01-12T17:34:35.725Z"},"refresh":{"token":"d.e.f","expires":"2027-12-22T15:14:35.726Z"}}"#;

    fn temp_path(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("xerial-session-{name}-{}", std::process::id()))
    }

    #[test]
    fn token_pair_round_trips_and_validates() {
        let pair = TokenPair::from_json(PAIR).unwrap();
        assert_eq!(*pair.to_json(), PAIR);
        assert!(!format!("{pair:?}").contains("a.b.c"));
        for bad in [
            "",
            "{}",
            "not json",
            r#"{"access":{"token":"","expires":"2024-01-12T17:34:35Z"},"refresh":{"token":"x","expires":"2024-01-12T17:34:35Z"}}"#,
            r#"{"access":{"token":"a","expires":"tomorrow"},"refresh":{"token":"x","expires":"2024-01-12T17:34:35Z"}}"#,
        ] {
            assert!(TokenPair::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn persists_atomically_with_private_mode_and_reloads() {
        let path = temp_path("persist");
        let store = SessionStore::open(Some(path.clone()));
        assert!(!store.is_logged_in());
        store.set(TokenPair::from_json(PAIR).unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), PAIR);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let reopened = SessionStore::open(Some(path.clone()));
        assert!(reopened.is_logged_in());
        assert!(reopened.clear_if_refresh_token("d.e.f"));
        assert!(!path.exists());
    }

    #[test]
    fn a_corrupt_file_is_ignored() {
        let path = temp_path("corrupt");
        fs::write(&path, &PAIR[..40]).unwrap();
        let store = SessionStore::open(Some(path.clone()));
        assert!(!store.is_logged_in());
        let _ = fs::remove_file(&path);
    }

    #[test]
    fn an_unwritable_path_never_fails_set() {
        let store = SessionStore::open(Some(PathBuf::from("/nonexistent-dir/xerial/session.json")));
        store.set(TokenPair::from_json(PAIR).unwrap());
        assert!(store.is_logged_in());
    }
}
