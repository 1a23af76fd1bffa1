//! The OS's protected store, one module per system: the Secret Service (Linux desktop), DPAPI
//! (Windows), the Keychain (macOS, iOS), the app's private storage (Android).

#[cfg(windows)]
mod dpapi;
#[cfg(any(target_os = "macos", target_os = "ios"))]
mod keychain;
#[cfg(all(target_os = "linux", feature = "secret-service"))]
mod secret_service;

use std::sync::Arc;

use super::location::Key;
use super::SessionBackend;

/// The Secret Service when one answers, else a 0600 file in `$XDG_DATA_HOME`.
#[cfg(all(target_os = "linux", feature = "secret-service"))]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    Ok(Arc::new(secret_service::SecretServiceOrFile::new(key)))
}

/// A build without the `secret-service` feature (2.5 MB smaller): the 0600 file, said once.
#[cfg(all(target_os = "linux", not(feature = "secret-service")))]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    let file = super::file::FileBackend::private(
        super::location::private_dir(key)?.join("session.json"),
        &super::file::PLAIN,
    );
    log::info!(target: "xerial::session", "this build has no Secret Service client (feature secret-service): the session is kept in {} (mode 0600: readable by this user's programs, not encrypted)", super::SessionBackend::describe(&file));
    Ok(Arc::new(file))
}

/// A DPAPI-encrypted file (current user) in `%LOCALAPPDATA%`.
#[cfg(windows)]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    dpapi::backend(key)
}

/// A generic password in the Keychain.
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    keychain::Keychain::new(key).map(|store| Arc::new(store) as _)
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
