//! The C ABI: the only place with `extern "C"`, `#[repr(C)]` and raw pointers.
//!
//! Each exported function converts its arguments, calls the core [`Client`](crate::client::Client)
//! and hands the future to [`dispatch`], which delivers the result through the one callback path.
//! Every export runs inside [`boundary::guard`].
//!
//! * `types` — the ABI's structs, callback types and constants;
//! * `config` — `XerialConfig`: its defaults and how init reads it; `sized` — reading any struct
//!   the caller sizes (only the caller's bytes);
//! * `lifecycle` — runtime, init/shutdown, version and code names;
//! * `allocator` — the library's heap: the system's, or the host's (`xerial_set_allocator`);
//! * `generation` — per-init state: the registry of owed callbacks and the completion queue;
//! * `dispatch` — start, cancel, poll, running callbacks;
//! * `outcome` — Rust results to `XerialResult`, the code table;
//! * `strings`, `boundary`, `log` — argument conversion, the panic guard, the log callback;
//! * `slot` — a replaceable game callback (log callback, auth listener), run with no lock held;
//! * `worker` — how the runtime's threads yield the CPU to the game's;
//! * `auth` — logins, refresh, logout; `session` — the session functions and auth listener;
//! * `signin` — sign-in in the system browser (`xerial_signin_start`, `xerial_signin_complete`);
//! * `session_store` — `session_store`'s choice and the host's session store;
//! * `wallet`, `tx`, `market`, `request` — the rest of the API, one function per endpoint.

// Each export's doc comment states its pointer contract in the header's words (who owns what,
// for how long, NULL rules), which is what C callers read; a Rust-style `# Safety` heading in
// every one of them would only repeat it.
#![allow(clippy::missing_safety_doc)]

mod allocator;
mod auth;
mod boundary;
mod config;
mod dispatch;
mod generation;
mod http;
mod in_poll;
mod lifecycle;
mod log;
mod market;
mod outcome;
mod request;
mod runner;
mod session;
mod session_store;
mod signin;
mod sized;
mod slot;
mod strings;
mod tx;
mod types;
mod wallet;
#[cfg(not(target_os = "emscripten"))]
mod worker;

use boundary::guard;

pub use allocator::{xerial_set_allocator, XerialAllocator};
pub use auth::*;
pub use config::xerial_config_init;
pub use dispatch::{xerial_cancel, xerial_poll};
pub use http::{xerial_http_complete, xerial_http_fail};
pub use lifecycle::{
    xerial_abi_version, xerial_code_name, xerial_init, xerial_shutdown, xerial_version,
};
pub use log::xerial_set_log_callback;
pub use market::*;
pub use request::xerial_request;
pub use session::*;
pub use signin::{xerial_signin_complete, xerial_signin_start};
pub use tx::*;
pub use types::*;
pub use wallet::*;
