//! The C ABI: the only place with `extern "C"`, `#[repr(C)]` and raw pointers.
//!
//! Each exported function converts its arguments, calls the core [`Client`](crate::client::Client)
//! and hands the future to [`dispatch`], which delivers the result through the one callback path.
//! Every export runs inside [`boundary::guard`].
//!
//! * `types` — the ABI's structs, callback types and constants;
//! * `lifecycle` — runtime, init/shutdown, version and code names;
//! * `generation` — per-init state: the registry of owed callbacks and the completion queue;
//! * `dispatch` — start, cancel, poll, running callbacks;
//! * `outcome` — Rust results to `XerialResult`, the code table;
//! * `strings`, `boundary`, `log` — argument conversion, the panic guard, the log callback;
//! * `auth` — logout and the session functions.

mod auth;
mod boundary;
mod dispatch;
mod generation;
mod lifecycle;
mod log;
mod outcome;
mod strings;
mod types;

use boundary::guard;

pub use auth::*;
pub use dispatch::{xerial_cancel, xerial_poll};
pub use lifecycle::{
    xerial_abi_version, xerial_code_name, xerial_config_default, xerial_init, xerial_shutdown,
    xerial_version,
};
pub use log::xerial_set_log_callback;
pub use types::*;
