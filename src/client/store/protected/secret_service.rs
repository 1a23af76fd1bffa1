//! Linux desktop: the Secret Service (GNOME Keyring, KWallet, KeePassXC) over D-Bus when one
//! answers, else a 0600 file in the per-user data folder. Which one holds the session is said
//! in a log record whenever it changes; a session left in the file moves into the Secret
//! Service as soon as one answers.

use std::sync::atomic::{AtomicU8, Ordering};

use zeroize::Zeroizing;

use super::super::file::{FileBackend, PLAIN};
use super::super::location::{private_dir, Key};
use super::super::migrate::{adopt, remove_plain};
use super::super::{SessionBackend, StoreError};
use super::keyring_entry::KeyringEntry;

const NOT_YET: u8 = 0;
const SECRET_SERVICE: u8 = 1;
const FILE: u8 = 2;

pub(crate) struct SecretServiceOrFile {
    secret_service: KeyringEntry,
    /// `None` without a per-user data folder (no `HOME`): then only the Secret Service.
    file: Option<FileBackend>,
    /// Which of the two the last call used, so that a change is logged once.
    using: AtomicU8,
}

impl SecretServiceOrFile {
    pub(crate) fn new(key: &Key) -> Result<SecretServiceOrFile, String> {
        let file = match private_dir(key) {
            Ok(dir) => Some(FileBackend::private(dir.join("session.json"), &PLAIN)),
            Err(why) => {
                log::debug!(target: "xerial::session", "no fallback file for the Secret Service: {why}");
                None
            }
        };
        Ok(SecretServiceOrFile {
            secret_service: KeyringEntry::secret_service(key)?,
            file,
            using: AtomicU8::new(NOT_YET),
        })
    }

    /// Notes that `now` holds the session; logs it when that changed.
    fn using(&self, now: u8, why: Option<&StoreError>) {
        if self.using.swap(now, Ordering::Relaxed) == now {
            return;
        }
        match (&self.file, why) {
            (Some(file), Some(why)) => {
                log::info!(target: "xerial::session", "no Secret Service answered ({why}): the session is kept in {} (mode 0600: readable by this user's programs, not encrypted)", file.describe())
            }
            (None, Some(why)) => {
                log::warn!(target: "xerial::session", "no Secret Service answered ({why}) and there is no per-user data folder: the session is kept in memory only")
            }
            _ => {
                log::info!(target: "xerial::session", "the session is kept in {}", self.secret_service.describe())
            }
        }
    }

    /// The fallback file, used because `why`.
    fn fallback(&self, why: StoreError) -> Result<&FileBackend, StoreError> {
        self.using(FILE, Some(&why));
        self.file.as_ref().ok_or(why)
    }
}

impl SessionBackend for SecretServiceOrFile {
    fn describe(&self) -> String {
        match &self.file {
            Some(file) => format!(
                "{}, or {} when none answers",
                self.secret_service.describe(),
                file.describe()
            ),
            None => self.secret_service.describe(),
        }
    }

    /// A locked keyring (or any answer but "nobody here") is an error: logged, no session, and
    /// the fallback file is left alone.
    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        match self.secret_service.load() {
            Ok(found) => {
                self.using(SECRET_SERVICE, None);
                Ok(match &self.file {
                    Some(file) => adopt(&self.secret_service, found, file),
                    None => found,
                })
            }
            Err(e) if e.unavailable => self.fallback(e)?.load(),
            Err(e) => Err(e),
        }
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        match self.secret_service.save(json) {
            Ok(()) => {
                self.using(SECRET_SERVICE, None);
                if let Some(file) = self.file.as_ref().filter(|file| file.exists()) {
                    remove_plain(file, "the session is kept in the Secret Service");
                }
                Ok(())
            }
            Err(e) if e.unavailable => self.fallback(e)?.save(json),
            Err(e) => Err(e),
        }
    }

    fn remove(&self) -> Result<(), StoreError> {
        let secret_service = match self.secret_service.remove() {
            Err(e) if e.unavailable => Ok(()),
            other => other,
        };
        if let Some(file) = &self.file {
            file.remove()?;
        }
        secret_service
    }
}
