//! One entry of the OS's keyring through the `keyring` crate: a generic password in the
//! Keychain (macOS: the login keychain, `SecKeychainFindGenericPassword`; iOS: `SecItem*` with
//! `kSecClassGenericPassword`), or an item of the Secret Service's default collection (Linux,
//! over D-Bus with an encrypted session).

use zeroize::Zeroizing;

use super::super::location::Key;
use super::super::{SessionBackend, StoreError};

/// The Keychain service (macOS, iOS) and Secret Service `service` attribute of every session;
/// the account / `username` is the key's id.
pub(crate) const SERVICE: &str = "io.xerial.session";

pub(crate) struct KeyringEntry {
    entry: keyring::Entry,
    what: String,
}

impl KeyringEntry {
    /// The Keychain's generic password for `key`.
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    pub(crate) fn keychain(key: &Key) -> Result<KeyringEntry, String> {
        let entry = keyring::Entry::new(SERVICE, &key.id).map_err(|e| e.to_string())?;
        Ok(KeyringEntry {
            entry,
            what: format!(
                "the Keychain (generic password, service {SERVICE}, account {})",
                key.id
            ),
        })
    }

    /// The Secret Service item for `key`, labelled for people reading their keyring.
    #[cfg(target_os = "linux")]
    pub(crate) fn secret_service(key: &Key) -> Result<KeyringEntry, String> {
        let mut credential =
            keyring::secret_service::SsCredential::new_with_target(None, SERVICE, &key.id)
                .map_err(|e| e.to_string())?;
        credential.label.clone_from(&key.label);
        credential
            .attributes
            .insert("application".to_owned(), "xerial".to_owned());
        Ok(KeyringEntry {
            entry: keyring::Entry::new_with_credential(Box::new(credential)),
            what: format!("the Secret Service (item \"{}\")", key.label),
        })
    }
}

impl SessionBackend for KeyringEntry {
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
    StoreError {
        message: error.to_string(),
        unavailable: unavailable(&error),
    }
}

/// Whether no Secret Service answers: no session bus (`Unavailable`, ~1 ms), or a bus on which
/// nothing owns `org.freedesktop.secrets` (`ServiceUnknown`, ~40 ms). A locked keyring or a
/// dismissed prompt is not that: it is an answer, and the session is not written in clear.
#[cfg(target_os = "linux")]
fn unavailable(error: &keyring::Error) -> bool {
    const NO_OWNER: [&str; 2] = [
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    ];
    let keyring::Error::PlatformFailure(inner) = error else {
        return false;
    };
    match inner.downcast_ref::<secret_service::Error>() {
        Some(secret_service::Error::Unavailable) => true,
        Some(secret_service::Error::ZbusFdo(
            zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_),
        )) => true,
        Some(secret_service::Error::Zbus(zbus::Error::MethodError(name, _, _))) => {
            NO_OWNER.contains(&name.as_str())
        }
        _ => false,
    }
}

/// The Keychain is always there.
#[cfg(not(target_os = "linux"))]
fn unavailable(_error: &keyring::Error) -> bool {
    false
}
