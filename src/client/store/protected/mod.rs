//! The OS's protected store, one module per system: the Secret Service (Linux desktop), DPAPI
//! (Windows), the Keychain (macOS, iOS), the app's private storage (Android).

#[cfg(windows)]
mod dpapi;
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "ios"))]
mod keyring_entry;
#[cfg(target_os = "linux")]
mod secret_service;

use std::sync::Arc;

use super::location::Key;
use super::SessionBackend;

/// The Secret Service when one answers, else a 0600 file in `$XDG_DATA_HOME`.
#[cfg(target_os = "linux")]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    secret_service::SecretServiceOrFile::new(key).map(|store| Arc::new(store) as _)
}

/// A DPAPI-encrypted file (current user) in `%LOCALAPPDATA%`.
#[cfg(windows)]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    dpapi::backend(key)
}

/// A generic password in the Keychain.
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    keyring_entry::KeyringEntry::keychain(key).map(|store| Arc::new(store) as _)
}

/// A file in the app's private storage, which only this app's uid can read. Keystore wrapping
/// (an AES key in the Android Keystore sealing the file) needs JNI: see the README.
#[cfg(target_os = "android")]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    let dir = super::location::private_dir(key)?;
    let file = super::FileBackend::private(dir.join("session.json"), &super::file::PLAIN);
    Ok(Arc::new(file))
}

/// Elsewhere (WebAssembly, consoles) there is no store the SDK can reach by itself: the game
/// chooses `XERIAL_SESSION_STORE_HOST`.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    windows
)))]
pub(crate) fn backend(_key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    Err("this build knows no protected store here: use a host store".to_owned())
}
