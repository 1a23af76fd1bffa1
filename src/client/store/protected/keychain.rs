//! macOS and iOS: a generic password in the Keychain, through the `keyring` crate (the Security
//! framework: on macOS the login keychain, `SecKeychainFindGenericPassword` and friends; on iOS
//! `SecItemAdd`/`SecItemCopyMatching`/`SecItemDelete` with `kSecClassGenericPassword`). A call
//! may wait for the user (a prompt when another build of the app asks): the store runs it on a
//! background thread.

use zeroize::Zeroizing;

use super::super::location::Key;
use super::super::{SessionBackend, StoreError};

/// The Keychain service of every session; the account is the key's id.
const SERVICE: &str = "io.xerial.session";

pub(crate) struct Keychain {
    entry: keyring::Entry,
    what: String,
}

impl Keychain {
    /// The Keychain's generic password for `key`.
    pub(crate) fn new(key: &Key) -> Result<Keychain, String> {
        let entry = keyring::Entry::new(SERVICE, &key.id).map_err(|e| e.to_string())?;
        Ok(Keychain {
            entry,
            what: format!(
                "the Keychain (generic password, service {SERVICE}, account {})",
                key.id
            ),
        })
    }
}

impl SessionBackend for Keychain {
    fn describe(&self) -> String {
        self.what.clone()
    }

    fn load(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        match self.entry.get_password() {
            Ok(json) => Ok(Some(Zeroizing::new(json))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }

    fn save(&self, json: &str) -> Result<(), StoreError> {
        self.entry.set_password(json).map_err(store_error)
    }

    fn remove(&self) -> Result<(), StoreError> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(store_error(e)),
        }
    }
}

fn store_error(error: keyring::Error) -> StoreError {
    StoreError::new(error.to_string())
}
