//! # Xerial native SDK
//!
//! A Rust library with a stable C ABI that game engines (Unity through C#, Unreal through C++,
//! plain C) call to talk to Xerial, a web3 gaming platform.
//!
//! ## Layout
//!
//! * [`client`]: the pure-Rust core. An async [`client::Client`] (configuration, HTTP with retries
//!   and deadlines, the player's session, typed models and errors). It knows nothing of C and can
//!   be used directly from Rust.
//! * `ffi`: the thin C shell, the only place with `extern "C"`, `#[repr(C)]` and raw pointers.
//!   It converts arguments, runs the client's futures on the SDK's runtime, and delivers every
//!   result through one dispatch path (queued for `xerial_poll`, or immediate). Its items are
//!   re-exported at the crate root so the exported symbols are callable from Rust too.
//!
//! The C header `include/xerial.h` is generated from `ffi` by cbindgen (see `build.rs`).

pub mod client;
pub mod ffi;

pub use ffi::*;

/// What the crate's own unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    /// A property test's settings: `cases` cases natively, `miri_cases` under Miri (which
    /// interprets every step: a few cases prove the same paths for UB checks), and no failure
    /// file written into the source tree.
    pub(crate) fn proptest_config(cases: u32, miri_cases: u32) -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            cases: if cfg!(miri) { miri_cases } else { cases },
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        }
    }
}
