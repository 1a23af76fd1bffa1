//! Windows: the session file encrypted with DPAPI for the current user (`CryptProtectData`),
//! in `%LOCALAPPDATA%\Xerial\sessions\<key>\session.dpapi`.
//!
//! Chosen over the Credential Manager: a file in the per-user, non-roaming data folder works
//! like every other platform's default location (one atomic-replace file code, the same key);
//! the Credential Manager caps a secret at 2,560 bytes (`CRED_MAX_CREDENTIAL_BLOB_SIZE`), and
//! its enterprise persistence roams the credential to other machines with the profile. Both are
//! readable by any program running as the same user, and by no one else: DPAPI's master key
//! derives from the user's logon secret.

use std::sync::Arc;

use windows_sys::Win32::Foundation::{GetLastError, LocalFree};
use windows_sys::Win32::Security::Cryptography::{
    CryptProtectData, CryptUnprotectData, CRYPTPROTECT_UI_FORBIDDEN, CRYPT_INTEGER_BLOB,
};
use zeroize::{Zeroize, Zeroizing};

use super::super::file::{Codec, FileBackend};
use super::super::location::{private_dir, Key};
use super::super::SessionBackend;

/// Bound into every blob: another program calling `CryptUnprotectData` on the file must also
/// know it (a speed bump, not a secret: DPAPI's protection is the user's).
const ENTROPY: &[u8] = b"io.xerial.session";

static DPAPI: Codec = Codec {
    name: "DPAPI-encrypted",
    seal,
    open,
};

pub(crate) fn backend(key: &Key) -> Result<Arc<dyn SessionBackend>, String> {
    let dir = private_dir(key)?;
    Ok(Arc::new(FileBackend::private(
        dir.join("session.dpapi"),
        &DPAPI,
    )))
}

fn blob(bytes: &[u8]) -> Result<CRYPT_INTEGER_BLOB, String> {
    Ok(CRYPT_INTEGER_BLOB {
        cbData: u32::try_from(bytes.len()).map_err(|_| "the session is too large")?,
        pbData: bytes.as_ptr().cast_mut(),
    })
}

/// Runs `call` (CryptProtectData or CryptUnprotectData) and returns a wiped copy of its output,
/// wiping and freeing the buffer DPAPI allocated.
fn run(
    what: &str,
    call: impl FnOnce(&mut CRYPT_INTEGER_BLOB) -> i32,
) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut out = CRYPT_INTEGER_BLOB {
        cbData: 0,
        pbData: std::ptr::null_mut(),
    };
    if call(&mut out) == 0 {
        // SAFETY: no preconditions.
        let code = unsafe { GetLastError() };
        return Err(format!("{what} failed (error {code:#x})"));
    }
    // SAFETY: on success DPAPI hands back `cbData` bytes at `pbData`, ours to free with LocalFree.
    let bytes = unsafe { std::slice::from_raw_parts_mut(out.pbData, out.cbData as usize) };
    let copy = Zeroizing::new(bytes.to_vec());
    bytes.zeroize();
    // SAFETY: allocated by DPAPI with LocalAlloc, freed once.
    unsafe { LocalFree(out.pbData.cast()) };
    Ok(copy)
}

fn seal(plain: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let input = blob(plain)?;
    let entropy = blob(ENTROPY)?;
    run("CryptProtectData", |out| {
        // SAFETY: every pointer is valid for the call; no prompt (UI forbidden), no description.
        unsafe {
            CryptProtectData(
                &input,
                std::ptr::null(),
                &entropy,
                std::ptr::null(),
                std::ptr::null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                out,
            )
        }
    })
}

/// A blob from another user, machine or program (or tampered with) is refused by DPAPI. (Proved
/// through the DLL under Wine by the C harness's `session_store_default`: the file holds no token
/// in clear, round-trips, and a damaged one is logged and means no session.)
fn open(sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let input = blob(sealed)?;
    let entropy = blob(ENTROPY)?;
    run("CryptUnprotectData", |out| {
        // SAFETY: as in `seal`; the description out-parameter is not asked for.
        unsafe {
            CryptUnprotectData(
                &input,
                std::ptr::null_mut(),
                &entropy,
                std::ptr::null(),
                std::ptr::null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                out,
            )
        }
    })
}
