//! `XerialConfig`: its defaults (`xerial_config_init`) and how `xerial_init` reads it.
//!
//! The struct only grows (contract §2): each minor version appends 8-byte fields, and the zero
//! value of every appended field is its default. The caller always says how many bytes it has —
//! to `xerial_config_init` as an argument, to `xerial_init` in `struct_size` — and the library
//! touches no byte past them. It writes and reads only the fields that fit, and a struct from a
//! newer header than this library's must leave every field the library does not know at zero
//! (the rule of Linux's extensible syscall structs, `openat2`/`clone3`): a setting the library
//! cannot honour is refused, never silently dropped.

use std::mem::{offset_of, size_of};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::generation::Dispatch;
use super::http::{read_transport, CTransport};
use super::session_store::{read_choice, HostCallbacks};
use super::sized::{is_layout_size, read_into, CallerSized};
use super::strings;
use super::types::*;
use crate::client::{ClientConfig, Error, PRODUCTION_URL};

/// Size of the ABI 1.0 `XerialConfig`: every field before the first 1.1 addition.
pub(crate) const V1_SIZE: usize = offset_of!(XerialConfig, extra_root_ca_pem);

impl CallerSized for XerialConfig {
    const NAME: &'static str = "XerialConfig";
    const HINT: &'static str = "call xerial_config_init(&config, sizeof config) first";
    /// The end of each appended field: 1.0, then 1.1's two fields, 1.2's four, 1.3's two.
    const KNOWN_ENDS: &'static [usize] = &[
        V1_SIZE,
        offset_of!(XerialConfig, proxy_url),
        offset_of!(XerialConfig, oauth_authorize_url),
        offset_of!(XerialConfig, oauth_token_url),
        offset_of!(XerialConfig, transport),
        offset_of!(XerialConfig, run_mode),
        offset_of!(XerialConfig, session_store),
        offset_of!(XerialConfig, session_host),
        size_of::<XerialConfig>(),
    ];
}

// Every non-zero default is a 1.0 field, so it fits any accepted size (see `xerial_config_init`).
const _: () = assert!(offset_of!(XerialConfig, max_retries) + 4 <= V1_SIZE);

/// One worker (abi.md says 2): on 2 cores it served 64 requests in flight 25 % faster with 37 %
/// less CPU than two, which hand work to each other (issue 7, docs/BENCHMARKS.md); a game needs
/// far less than one thread's worth of HTTP, and every extra thread competes with the game's.
const DEFAULT_WORKER_THREADS: u32 = 1;
/// More threads than this is a mistake (and a huge value would abort the process).
const MAX_WORKER_THREADS: u32 = 256;
const DEFAULT_TIMEOUT_MS: u32 = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS: u32 = 10_000;
const DEFAULT_MAX_RETRIES: u32 = 2;

/// What `xerial_init` reads out of an `XerialConfig`.
pub(crate) struct Settings {
    pub client: ClientConfig,
    /// The runtime's threads (the WebAssembly build starts none).
    #[cfg_attr(target_os = "emscripten", allow(dead_code))]
    pub worker_threads: usize,
    pub dispatch: Dispatch,
    /// The host's transport; `None`: the built-in one.
    pub transport: Option<Arc<CTransport>>,
    /// `XERIAL_RUN_IN_POLL`: no thread; `xerial_poll` drives everything.
    pub in_poll: bool,
    /// The host's session store, to attach to the generation (`XERIAL_SESSION_STORE_HOST`).
    pub session_host: Option<Arc<HostCallbacks>>,
}

/// Reads `config` (NULL: every default).
///
/// # Safety
/// `config` is NULL or points to at least `config->struct_size` readable bytes.
pub(crate) unsafe fn read_config(config: *const XerialConfig) -> Result<Settings, Error> {
    // SAFETY: zero is a valid value of every field (pointers, integers), and each appended
    // field's default; the 1.0 fields are always copied over from the caller below.
    let mut full: XerialConfig = unsafe { std::mem::zeroed() };
    if config.is_null() {
        // SAFETY: `full` is a whole XerialConfig.
        unsafe { write_defaults(&mut full, size_of::<XerialConfig>()) };
    } else {
        // SAFETY: forwarded from this function's contract.
        unsafe { read_into(config, &mut full) }?;
    }
    settings(&full)
}

fn settings(config: &XerialConfig) -> Result<Settings, Error> {
    let or_default = |value: u32, default: u32| if value == 0 { default } else { value };
    let dispatch = match config.dispatch {
        XERIAL_DISPATCH_POLL => Dispatch::Poll,
        XERIAL_DISPATCH_IMMEDIATE => Dispatch::Immediate,
        other => {
            return Err(Error::invalid_argument(
                "dispatch",
                &format!("unknown mode {other}"),
            ))
        }
    };
    let in_poll = match config.run_mode {
        XERIAL_RUN_THREADS => false,
        XERIAL_RUN_IN_POLL => true,
        other => {
            return Err(Error::invalid_argument(
                "run_mode",
                &format!("unknown mode {other}"),
            ))
        }
    };
    // SAFETY: NULL or a transport table of `struct_size` bytes, as documented.
    let transport = unsafe { read_transport(config.transport) }?;
    check_run_mode(in_poll, dispatch, transport.is_some())?;
    // SAFETY: `session_host` is NULL or a readable XerialSessionStore, as documented.
    let (session_store, session_host) =
        unsafe { read_choice(config.session_store, config.session_host) }?;
    // SAFETY (every string field): NULL or NUL-terminated, as documented.
    // The configuration is kept: each text is copied.
    let text = |ptr: *const std::ffi::c_char, name: &str| {
        unsafe { strings::optional(ptr, name) }.map(|text| text.map(str::to_owned))
    };
    let client = ClientConfig {
        base_url: text(config.base_url, "base_url")?.unwrap_or_else(|| PRODUCTION_URL.to_owned()),
        marketplace_url: text(config.marketplace_url, "marketplace_url")?,
        project_id: text(config.project_id, "project_id")?,
        timeout: Duration::from_millis(u64::from(or_default(
            config.timeout_ms,
            DEFAULT_TIMEOUT_MS,
        ))),
        connect_timeout: Duration::from_millis(u64::from(or_default(
            config.connect_timeout_ms,
            DEFAULT_CONNECT_TIMEOUT_MS,
        ))),
        max_retries: config.max_retries,
        session_path: text(config.session_path, "session_path")?.map(PathBuf::from),
        session_store,
        allow_insecure_http: config.allow_insecure_http != 0,
        extra_root_ca_pem: text(config.extra_root_ca_pem, "extra_root_ca_pem")?,
        proxy_url: text(config.proxy_url, "proxy_url")?,
        oauth_authorize_url: text(config.oauth_authorize_url, "oauth_authorize_url")?,
        oauth_token_url: text(config.oauth_token_url, "oauth_token_url")?,
    };
    let worker_threads = match or_default(config.worker_threads, DEFAULT_WORKER_THREADS) {
        n if n > MAX_WORKER_THREADS => {
            return Err(Error::invalid_argument("worker_threads", "at most 256"))
        }
        n => n as usize,
    };
    Ok(Settings {
        client,
        worker_threads,
        dispatch,
        transport,
        in_poll,
        session_host,
    })
}

/// The combinations of run mode, dispatch and transport this build can run.
fn check_run_mode(in_poll: bool, dispatch: Dispatch, has_transport: bool) -> Result<(), Error> {
    if cfg!(target_os = "emscripten") && !(in_poll && has_transport) {
        return Err(Error::invalid_argument(
            if has_transport { "run_mode" } else { "transport" },
            "the WebAssembly build has no threads and no built-in transport: it needs a host transport and XERIAL_RUN_IN_POLL",
        ));
    }
    if in_poll && dispatch != Dispatch::Poll {
        return Err(Error::invalid_argument(
            "dispatch",
            "XERIAL_RUN_IN_POLL delivers every callback inside xerial_poll: use XERIAL_DISPATCH_POLL",
        ));
    }
    if in_poll && !has_transport {
        return Err(Error::invalid_argument(
            "transport",
            "XERIAL_RUN_IN_POLL needs a host transport in this build: the built-in one (reqwest) runs on the SDK's runtime threads",
        ));
    }
    Ok(())
}

/// Writes the defaults into the first `size` bytes at `config` and sets `struct_size` to `size`.
///
/// # Safety
/// `config` points to `size` writable bytes, and `is_layout_size(size)`.
unsafe fn write_defaults(config: *mut XerialConfig, size: usize) {
    // Every field this library does not know, and every appended one it does, defaults to zero.
    // SAFETY: `size` writable bytes; each field written below lies in the 1.0 part (asserted
    // above), which every layout size covers. `addr_of_mut!` + `write_unaligned` never forms a
    // reference to the (possibly smaller) caller struct.
    unsafe {
        std::ptr::write_bytes(config.cast::<u8>(), 0, size);
        use std::ptr::addr_of_mut;
        addr_of_mut!((*config).struct_size).write_unaligned(size as u32);
        addr_of_mut!((*config).base_url).write_unaligned(c"https://wallet.xerial.io".as_ptr());
        addr_of_mut!((*config).timeout_ms).write_unaligned(DEFAULT_TIMEOUT_MS);
        addr_of_mut!((*config).connect_timeout_ms).write_unaligned(DEFAULT_CONNECT_TIMEOUT_MS);
        addr_of_mut!((*config).worker_threads).write_unaligned(DEFAULT_WORKER_THREADS);
        addr_of_mut!((*config).dispatch).write_unaligned(XERIAL_DISPATCH_POLL);
        addr_of_mut!((*config).max_retries).write_unaligned(DEFAULT_MAX_RETRIES);
    }
}

/// Fills the `size` bytes at `config` with every default and sets `struct_size` to `size`.
/// Pass `sizeof(XerialConfig)` (or `sizeof *config`) as `size`: the library then never writes a
/// byte past the struct your header declares, whatever its version.
///
/// Defaults: `base_url` "https://wallet.xerial.io" (static storage), `timeout_ms` 30000,
/// `connect_timeout_ms` 10000, `worker_threads` 1, `dispatch` `XERIAL_DISPATCH_POLL`,
/// `max_retries` 2; every other field 0 or NULL (including fields of a newer header that this
/// library does not know: their zero is their default). Returns `XERIAL_OK`, or
/// `XERIAL_E_INVALID_ARGUMENT` and writes nothing when `config` is NULL or `size` is not the
/// size of an `XerialConfig` (smaller than ABI 1.0's, ending inside a field, or over 4096).
/// Any thread, any time (also before `xerial_init`).
#[no_mangle]
pub unsafe extern "C" fn xerial_config_init(config: *mut XerialConfig, size: usize) -> i32 {
    super::guard("xerial_config_init", || {
        if config.is_null() || !is_layout_size::<XerialConfig>(size) {
            return XERIAL_E_INVALID_ARGUMENT;
        }
        // SAFETY: the caller passes `size` writable bytes at `config`; the size was checked.
        unsafe { write_defaults(config, size) };
        XERIAL_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_sizes_are_the_published_ones() {
        assert_eq!(V1_SIZE, 72, "ABI 1.0");
        assert_eq!(offset_of!(XerialConfig, oauth_authorize_url), 88, "ABI 1.1");
        assert_eq!(offset_of!(XerialConfig, session_store), 120, "ABI 1.2");
        assert_eq!(size_of::<XerialConfig>(), 136, "ABI 1.3");
        for size in [72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 4096] {
            assert!(is_layout_size::<XerialConfig>(size), "{size}");
        }
        for size in [0, 4, 64, 71, 73, 76, 121, 124, 137, 4104, usize::MAX] {
            assert!(!is_layout_size::<XerialConfig>(size), "{size}");
        }
    }

    /// A caller's block of `size` bytes followed by guard bytes that must stay untouched.
    fn filled(size: usize) -> Vec<u8> {
        let mut block = vec![0xA5u8; size + 64];
        let code = unsafe { xerial_config_init(block.as_mut_ptr().cast(), size) };
        assert_eq!(code, XERIAL_OK, "{size}");
        assert!(
            block[size..].iter().all(|&b| b == 0xA5),
            "wrote past {size}"
        );
        block.truncate(size);
        block
    }

    #[test]
    fn init_writes_exactly_the_callers_bytes_and_init_reads_them_back() {
        for size in [72, 88, 120, 136, 152] {
            let mut block = filled(size);
            assert_eq!(
                u32::from_ne_bytes(block[..4].try_into().unwrap()) as usize,
                size
            );
            let settings = unsafe { read_config(block.as_ptr().cast()) }.expect("defaults");
            assert_eq!(settings.client.base_url, PRODUCTION_URL);
            assert_eq!(settings.client.timeout, Duration::from_millis(30_000));
            assert_eq!(settings.worker_threads, 1);
            if size > size_of::<XerialConfig>() {
                // A field of a newer header set: refused, not ignored.
                block[size - 8] = 1;
                let error = unsafe { read_config(block.as_ptr().cast()) }.err().unwrap();
                assert!(
                    error.message().contains("does not know"),
                    "{}",
                    error.message()
                );
            }
        }
    }

    #[test]
    fn init_refuses_sizes_that_are_not_a_layout_and_writes_nothing() {
        for size in [0, 71, 76, 4104] {
            let mut block = vec![0xA5u8; 8192];
            let code = unsafe { xerial_config_init(block.as_mut_ptr().cast(), size) };
            assert_eq!(code, XERIAL_E_INVALID_ARGUMENT, "{size}");
            assert!(block.iter().all(|&b| b == 0xA5));
        }
        let code = unsafe { xerial_config_init(std::ptr::null_mut(), 120) };
        assert_eq!(code, XERIAL_E_INVALID_ARGUMENT);
    }
}
