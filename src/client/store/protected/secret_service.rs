//! Linux desktop: the Secret Service (GNOME Keyring, KWallet, KeePassXC) over D-Bus when one
//! answers, else a 0600 file in the per-user data folder. Which one holds the session is said
//! in a log record whenever it changes; a session left in the file moves into the Secret
//! Service as soon as one answers.
//!
//! Through the `secret-service` crate (zbus, pure Rust: no libdbus to load, nothing in C; a
//! Diffie-Hellman session, so the secret never crosses the bus in clear), as `keyring` uses it,
//! without `keyring`'s layer, which also compiles zbus's async-io executor (README, "Sessions",
//! for the sizes of each way).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};

use secret_service::blocking::{Item, SecretService};
use secret_service::{EncryptionType, Error};
use zeroize::Zeroizing;

use super::super::file::{FileBackend, PLAIN};
use super::super::location::{private_dir, Key};
use super::super::migrate::{adopt, remove_plain};
use super::super::{SessionBackend, StoreError};

/// The `service` attribute of every session item; `username` is the key's id and
/// `application` is `xerial`.
const SERVICE: &str = "io.xerial.session";

/// The session's item in the Secret Service's default collection. Its calls answer the
/// `secret-service` crate's errors, which `SecretServiceOrFile` tells apart.
struct SecretServiceItem {
    id: String,
    label: String,
}

impl SecretServiceItem {
    fn attributes(&self) -> HashMap<&str, &str> {
        HashMap::from([
            ("service", SERVICE),
            ("username", self.id.as_str()),
            ("application", "xerial"),
        ])
    }

    /// Every item with our attributes, unlocked (a locked keyring asks the user: a prompt, or
    /// an error where none can be shown).
    fn items<'a>(
        service: &'a SecretService<'a>,
        attributes: HashMap<&str, &str>,
    ) -> Result<Vec<Item<'a>>, Error> {
        let found = service.search_items(attributes)?;
        for item in &found.locked {
            item.unlock()?;
        }
        Ok(found.unlocked.into_iter().chain(found.locked).collect())
    }

    fn read(&self) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
        let service = SecretService::connect(EncryptionType::Dh)?;
        let items = Self::items(&service, self.attributes())?;
        match items.first() {
            Some(item) => Ok(Some(Zeroizing::new(item.get_secret()?))),
            None => Ok(None),
        }
    }

    fn write(&self, json: &str) -> Result<(), Error> {
        let service = SecretService::connect(EncryptionType::Dh)?;
        let collection = service.get_default_collection()?;
        if collection.is_locked()? {
            collection.unlock()?;
        }
        collection.create_item(
            &self.label,
            self.attributes(),
            json.as_bytes(),
            true,
            "text/plain",
        )?;
        Ok(())
    }

    fn delete(&self) -> Result<(), Error> {
        let service = SecretService::connect(EncryptionType::Dh)?;
        for item in Self::items(&service, self.attributes())? {
            item.delete()?;
        }
        Ok(())
    }
}

/// The item as a store of its own, for moving a plain file into it.
impl SessionBackend for SecretServiceItem {
    fn describe(&self) -> String {
        format!("the Secret Service (item \"{}\")", self.label)
    }

    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        text(self.read().map_err(store_error)?)
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        self.write(json).map_err(store_error)
    }

    fn remove(&self) -> Result<(), StoreError> {
        self.delete().map_err(store_error)
    }
}

fn text(secret: Option<Zeroizing<Vec<u8>>>) -> Result<Option<Zeroizing<String>>, StoreError> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    match std::str::from_utf8(&secret) {
        Ok(json) => Ok(Some(Zeroizing::new(json.to_owned()))),
        Err(_) => Err(StoreError::new("its secret is not UTF-8 text")),
    }
}

fn store_error(error: Error) -> StoreError {
    StoreError::new(error.to_string())
}

/// Whether no Secret Service answers: no session bus (`Unavailable`, ~1 ms), or a bus on which
/// nothing owns `org.freedesktop.secrets` (`ServiceUnknown`, ~40 ms). A locked keyring or a
/// dismissed prompt is not that: it is an answer, and the session is not written in clear.
fn unavailable(error: &Error) -> bool {
    const NO_OWNER: [&str; 2] = [
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    ];
    match error {
        Error::Unavailable => true,
        Error::ZbusFdo(
            zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_),
        ) => true,
        Error::Zbus(zbus::Error::MethodError(name, _, _)) => NO_OWNER.contains(&name.as_str()),
        _ => false,
    }
}

const NOT_YET: u8 = 0;
const SECRET_SERVICE: u8 = 1;
const FILE: u8 = 2;

pub(crate) struct SecretServiceOrFile {
    secret_service: SecretServiceItem,
    /// `None` without a per-user data folder (no `HOME`): then only the Secret Service.
    file: Option<FileBackend>,
    /// Which of the two the last call used, so that a change is logged once.
    using: AtomicU8,
}

impl SecretServiceOrFile {
    pub(crate) fn new(key: &Key) -> SecretServiceOrFile {
        let file = match private_dir(key) {
            Ok(dir) => Some(FileBackend::private(dir.join("session.json"), &PLAIN)),
            Err(why) => {
                log::debug!(target: "xerial::session", "no fallback file for the Secret Service: {why}");
                None
            }
        };
        SecretServiceOrFile {
            secret_service: SecretServiceItem {
                id: key.id.clone(),
                label: format!("Xerial {}", key.label),
            },
            file,
            using: AtomicU8::new(NOT_YET),
        }
    }

    /// Notes that the Secret Service holds the session; logs it when that changed.
    fn using_secret_service(&self) {
        if self.using.swap(SECRET_SERVICE, Ordering::Relaxed) != SECRET_SERVICE {
            log::info!(target: "xerial::session", "the session is kept in {}", self.secret_service.describe());
        }
    }

    /// `error` from the Secret Service: the fallback file when it means no Secret Service
    /// answers (noted, and logged when that changed), else the error.
    fn fallback(&self, error: Error) -> Result<&FileBackend, StoreError> {
        if !unavailable(&error) {
            return Err(store_error(error));
        }
        let first = self.using.swap(FILE, Ordering::Relaxed) != FILE;
        match &self.file {
            Some(file) => {
                if first {
                    log::info!(target: "xerial::session", "no Secret Service answered ({error}): the session is kept in {} (mode 0600: readable by this user's programs, not encrypted)", file.describe());
                }
                Ok(file)
            }
            None => {
                if first {
                    log::warn!(target: "xerial::session", "no Secret Service answered ({error}) and there is no per-user data folder: the session is kept in memory only");
                }
                Err(store_error(error))
            }
        }
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
        let secret = match self.secret_service.read() {
            Ok(secret) => secret,
            Err(e) => return self.fallback(e)?.load(),
        };
        self.using_secret_service();
        let found = text(secret)?;
        Ok(match &self.file {
            Some(file) => adopt(&self.secret_service, found, file),
            None => found,
        })
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        if let Err(e) = self.secret_service.write(json) {
            return self.fallback(e)?.save(json);
        }
        self.using_secret_service();
        if let Some(file) = self.file.as_ref().filter(|file| file.exists()) {
            remove_plain(file, "the session is kept in the Secret Service");
        }
        Ok(())
    }

    fn remove(&self) -> Result<(), StoreError> {
        let secret_service = match self.secret_service.delete() {
            Err(e) if !unavailable(&e) => Err(store_error(e)),
            _ => Ok(()),
        };
        if let Some(file) = &self.file {
            file.remove()?;
        }
        secret_service
    }
}
