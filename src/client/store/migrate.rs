//! Moving a session out of a plain file into a protected store: the game's old `session_path`
//! when it chooses the protected store, and the Linux fallback file once a Secret Service
//! answers. The file is removed once the store holds the session; every step is logged.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::file::FileBackend;
use super::{SessionBackend, StoreError};
use crate::client::TokenPair;

/// What the store loaded, once `plain`'s session (if any) has been moved into it: the store's
/// own session wins, and the plain file is removed either way when the store holds one.
pub(crate) fn adopt(
    store: &dyn SessionBackend,
    found: Option<Zeroizing<String>>,
    plain: &FileBackend,
) -> Option<Zeroizing<String>> {
    if found.is_some() {
        if plain.exists() {
            remove_plain(
                plain,
                &format!("the session is kept in {}", store.describe()),
            );
        }
        return found;
    }
    let json = match plain.load() {
        Ok(Some(json)) => json,
        Ok(None) => return None,
        Err(e) => {
            log::warn!(target: "xerial::session", "ignoring {}: {e}", plain.describe());
            return None;
        }
    };
    if TokenPair::from_json(&json).is_err() {
        log::warn!(target: "xerial::session", "ignoring {}: it does not hold a token pair", plain.describe());
        return None;
    }
    match store.save(&json) {
        Ok(()) => remove_plain(
            plain,
            &format!("its session moved into {}", store.describe()),
        ),
        Err(e) => {
            log::warn!(target: "xerial::session", "could not move the session of {} into {} ({e}): the plain file stays", plain.describe(), store.describe());
        }
    }
    Some(json)
}

pub(crate) fn remove_plain(plain: &FileBackend, why: &str) {
    match plain.remove() {
        Ok(()) => log::info!(target: "xerial::session", "removed {}: {why}", plain.describe()),
        Err(e) => {
            log::warn!(target: "xerial::session", "could not remove {} ({e}) although {why}", plain.describe())
        }
    }
}

/// A protected store that takes over the game's old plain session file.
pub(crate) struct Migrating {
    store: Arc<dyn SessionBackend>,
    plain: FileBackend,
}

impl Migrating {
    pub(crate) fn new(store: Arc<dyn SessionBackend>, plain: FileBackend) -> Migrating {
        Migrating { store, plain }
    }
}

impl SessionBackend for Migrating {
    fn describe(&self) -> String {
        self.store.describe()
    }

    /// A store that cannot be read leaves the plain file alone: the next start tries again.
    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        let found = self.store.load()?;
        Ok(adopt(self.store.as_ref(), found, &self.plain))
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        self.store.save(json)
    }

    /// A logout removes every copy, the plain file's too (should it still be there).
    fn remove(&self) -> Result<(), StoreError> {
        let store = self.store.remove();
        self.plain.remove()?;
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::sync::Mutex;

    const PAIR: &str = r#"{"access":{"token":"a.b.c","expires":"2024-01-12T17:34:35.725Z"},"refresh":{"token":"d.e.f","expires":"2027-12-22T15:14:35.726Z"}}"#;

    /// A store in memory that can be told to refuse writes.
    #[derive(Default)]
    struct Held {
        json: Mutex<Option<String>>,
        refuse: bool,
    }

    impl SessionBackend for Held {
        fn describe(&self) -> String {
            "the test store".to_owned()
        }
        fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
            Ok(self.json.lock().clone().map(Zeroizing::new))
        }
        fn save(&self, json: &str) -> Result<(), StoreError> {
            if self.refuse {
                return Err(StoreError::new("refused"));
            }
            *self.json.lock() = Some(json.to_owned());
            Ok(())
        }
        fn remove(&self) -> Result<(), StoreError> {
            *self.json.lock() = None;
            Ok(())
        }
    }

    fn plain_file(name: &str, content: &str) -> FileBackend {
        let path =
            std::env::temp_dir().join(format!("xerial-migrate-{name}-{}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        FileBackend::plain(path)
    }

    fn same_file(file: &FileBackend) -> FileBackend {
        FileBackend::plain(file.path().to_owned())
    }

    #[test]
    fn a_plain_session_moves_into_the_store_and_the_file_goes() {
        let store = Arc::new(Held::default());
        let plain = plain_file("moves", PAIR);
        let migrating = Migrating::new(store.clone(), same_file(&plain));
        assert_eq!(
            migrating.load().unwrap().as_deref().map(String::as_str),
            Some(PAIR)
        );
        assert_eq!(store.json.lock().as_deref(), Some(PAIR));
        assert!(!plain.exists());
        assert_eq!(
            migrating.load().unwrap().as_deref().map(String::as_str),
            Some(PAIR),
            "next start"
        );
    }

    #[test]
    fn the_store_wins_and_a_stale_plain_file_goes() {
        let store = Arc::new(Held::default());
        store.save("{\"stored\":1}").unwrap();
        let plain = plain_file("stale", PAIR);
        let found = adopt(store.as_ref(), store.load().unwrap(), &plain);
        assert_eq!(found.as_deref().map(String::as_str), Some("{\"stored\":1}"));
        assert!(!plain.exists());
    }

    #[test]
    fn a_refusing_store_keeps_the_plain_file_and_the_session() {
        let store = Held {
            refuse: true,
            ..Held::default()
        };
        let plain = plain_file("refused", PAIR);
        let found = adopt(&store, None, &plain);
        assert_eq!(found.as_deref().map(String::as_str), Some(PAIR));
        assert!(plain.exists());
        plain.remove().unwrap();
    }

    #[test]
    fn a_corrupt_plain_file_is_not_moved() {
        let store = Held::default();
        let plain = plain_file("corrupt", "{corrupt");
        assert!(adopt(&store, None, &plain).is_none());
        assert!(store.json.lock().is_none());
        plain.remove().unwrap();
    }

    #[test]
    fn remove_removes_every_copy() {
        let store = Arc::new(Held::default());
        store.save(PAIR).unwrap();
        let plain = plain_file("remove", PAIR);
        let migrating = Migrating::new(store.clone(), same_file(&plain));
        migrating.remove().unwrap();
        assert!(store.json.lock().is_none());
        assert!(!plain.exists());
    }
}
