//! `XerialConfig.session_store` and the host's session store (`XerialSessionStore`): its
//! callbacks, run as game code (`run_game_code`: no lock held, and a `xerial_shutdown` from
//! inside one never waits for another thread), and its writes delivered where request
//! callbacks run.

use std::ffi::{c_char, CStr};
use std::sync::{Arc, OnceLock, Weak};

use zeroize::Zeroizing;

use super::dispatch::deliver_on_worker_if_immediate;
use super::generation::{Delivery, Generation, UserData};
use super::outcome::code_name;
use super::sized::read_table;
use super::slot::run_game_code;
use super::types::*;
use crate::client::{Error, HostStore, HostStoreRef, SessionStoreKind, Work};

/// What the host's callbacks are called in assertions and log records.
const STORE: &str = "the host's session store";
/// The first buffer `load` gets; token pairs are about a kilobyte.
const FIRST_LOAD_BYTES: usize = 4096;
/// The largest session `load` may report (as `xerial_session_set` takes).
const MAX_LOAD_BYTES: usize = 65536;

type LoadFn = unsafe extern "C" fn(*mut std::ffi::c_void, *mut u8, usize, *mut usize) -> i32;
type SaveFn = unsafe extern "C" fn(*mut std::ffi::c_void, *const c_char, usize) -> i32;
type RemoveFn = unsafe extern "C" fn(*mut std::ffi::c_void) -> i32;

/// The host's store, as `xerial_init` copied it.
pub(crate) struct HostCallbacks {
    user_data: UserData,
    load: LoadFn,
    save: SaveFn,
    remove: RemoveFn,
    /// Set by `xerial_init` once the generation exists: where writes are delivered.
    generation: OnceLock<Weak<Generation>>,
}

// SAFETY: the callbacks and `user_data` are the host's, documented as callable from the threads
// where the SDK calls them (one at a time).
unsafe impl Sync for HostCallbacks {}

impl HostCallbacks {
    /// Delivers this store's writes through `generation` from now on.
    pub(crate) fn attach(&self, generation: &Arc<Generation>) {
        let _ = self.generation.set(Arc::downgrade(generation));
    }
}

/// Reads `session_store` and `session_host`; the host store, when chosen, comes back too, to be
/// attached to the generation.
///
/// # Safety
/// `host` is NULL or points to `host->struct_size` readable bytes.
pub(crate) unsafe fn read_choice(
    kind: u64,
    host: *const XerialSessionStore,
) -> Result<(SessionStoreKind, Option<Arc<HostCallbacks>>), Error> {
    let kind = match (kind, host.is_null()) {
        (XERIAL_SESSION_STORE_HOST, true) => {
            return Err(Error::invalid_argument(
                "session_host",
                "XERIAL_SESSION_STORE_HOST needs a session_host",
            ))
        }
        (XERIAL_SESSION_STORE_HOST, false) => {
            // SAFETY: forwarded.
            let callbacks = Arc::new(unsafe { read_host(host) }?);
            let store = SessionStoreKind::Host(HostStoreRef(callbacks.clone()));
            return Ok((store, Some(callbacks)));
        }
        (_, false) => {
            return Err(Error::invalid_argument(
                "session_host",
                "must be NULL unless session_store is XERIAL_SESSION_STORE_HOST",
            ))
        }
        (XERIAL_SESSION_STORE_DEFAULT, true) => SessionStoreKind::Default,
        (XERIAL_SESSION_STORE_PROTECTED, true) => SessionStoreKind::Protected,
        (XERIAL_SESSION_STORE_FILE, true) => SessionStoreKind::File,
        (XERIAL_SESSION_STORE_MEMORY, true) => SessionStoreKind::Memory,
        (other, true) => {
            return Err(Error::invalid_argument(
                "session_store",
                &format!("unknown store {other}"),
            ))
        }
    };
    Ok((kind, None))
}

/// # Safety
/// As `read_choice`, `host` not NULL.
unsafe fn read_host(host: *const XerialSessionStore) -> Result<HostCallbacks, Error> {
    // SAFETY: forwarded.
    let store = unsafe { read_table(host, "session_host", "XerialSessionStore") }?;
    match (store.load, store.save, store.remove) {
        (Some(load), Some(save), Some(remove)) => Ok(HostCallbacks {
            user_data: UserData(store.user_data),
            load,
            save,
            remove,
            generation: OnceLock::new(),
        }),
        _ => Err(Error::invalid_argument(
            "session_host",
            "load, save and remove must all be set",
        )),
    }
}

/// A callback's code as the store's error.
fn failed(callback: &str, code: i32) -> String {
    // SAFETY: `code_name` returns a static NUL-terminated string.
    let name = unsafe { CStr::from_ptr(code_name(code)) };
    format!(
        "its {callback} callback answered {}",
        name.to_string_lossy()
    )
}

impl HostStore for HostCallbacks {
    fn load(&self) -> Result<Option<Zeroizing<String>>, String> {
        let mut buf = Zeroizing::new(vec![0u8; FIRST_LOAD_BYTES]);
        for _attempt in 0..2 {
            let mut len = 0usize;
            // SAFETY: the host's callback with its user_data, a writable buffer of `buf.len()`
            // bytes and a writable length, all valid until it returns.
            let code = run_game_code(STORE, || unsafe {
                (self.load)(self.user_data.0, buf.as_mut_ptr(), buf.len(), &mut len)
            });
            match code {
                XERIAL_OK if len <= buf.len() => {
                    let text = std::str::from_utf8(&buf[..len])
                        .map_err(|_| "its load callback gave bytes that are not UTF-8".to_owned())?;
                    return Ok(Some(Zeroizing::new(text.to_owned())));
                }
                XERIAL_OK => return Err(format!("its load callback reported {len} bytes in a buffer of {}", buf.len())),
                XERIAL_E_NOT_FOUND => return Ok(None),
                XERIAL_E_BUFFER_TOO_SMALL if len > buf.len() && len <= MAX_LOAD_BYTES => {
                    buf = Zeroizing::new(vec![0u8; len]);
                }
                XERIAL_E_BUFFER_TOO_SMALL => {
                    return Err(format!("its load callback asked for {len} bytes (at most {MAX_LOAD_BYTES}, more than the {} given)", buf.len()))
                }
                other => return Err(failed("load", other)),
            }
        }
        Err("its load callback asked for a larger buffer twice".to_owned())
    }

    fn save(&self, json: &str) -> Result<(), String> {
        let mut text = Zeroizing::new(Vec::with_capacity(json.len() + 1));
        text.extend_from_slice(json.as_bytes());
        text.push(0);
        // SAFETY: the host's callback; `text` is NUL-terminated and outlives the call.
        let code = run_game_code(STORE, || unsafe {
            (self.save)(self.user_data.0, text.as_ptr().cast(), json.len())
        });
        match code {
            XERIAL_OK => Ok(()),
            other => Err(failed("save", other)),
        }
    }

    fn remove(&self) -> Result<(), String> {
        // SAFETY: the host's callback with its user_data.
        match run_game_code(STORE, || unsafe { (self.remove)(self.user_data.0) }) {
            XERIAL_OK | XERIAL_E_NOT_FOUND => Ok(()),
            other => Err(failed("remove", other)),
        }
    }

    /// Queued like a request callback (run by `xerial_poll`, or by a worker in immediate mode);
    /// dropped once the generation is shut down (closing the store writes the last change).
    fn schedule(&self, write: Work) {
        let Some(generation) = self.generation.get().and_then(Weak::upgrade) else {
            return;
        };
        if generation.queue(Delivery::StoreWrite(write)) {
            deliver_on_worker_if_immediate(&generation);
        }
    }
}
