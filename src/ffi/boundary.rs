//! The one panic boundary every exported function goes through.
//!
//! A panic must never unwind into C (since Rust 1.81 it would abort the host: a Unity Editor
//! crash). `guard` catches it and returns a value chosen by the return type, so call sites need
//! no per-function defaults. Spawned tasks are guarded separately, in `dispatch`.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::types::XERIAL_E_INTERNAL;

/// What an exported function returns when its body panicked.
pub(crate) trait PanicDefault {
    fn panic_default() -> Self;
}

impl PanicDefault for i32 {
    fn panic_default() -> i32 {
        XERIAL_E_INTERNAL
    }
}

impl PanicDefault for u32 {
    fn panic_default() -> u32 {
        0
    }
}

impl PanicDefault for u64 {
    /// 0 is "no request": nothing will call back.
    fn panic_default() -> u64 {
        0
    }
}

impl PanicDefault for () {
    fn panic_default() {}
}

impl PanicDefault for *const c_char {
    fn panic_default() -> *const c_char {
        c"".as_ptr()
    }
}

/// Runs the body of exported function `name`, turning a panic into the type's default.
pub(crate) fn guard<R: PanicDefault>(name: &'static str, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("unknown panic");
            log::error!(target: "xerial::ffi", "{name} caught a panic: {what}");
            R::panic_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_default() {
        assert_eq!(
            guard("test", || -> i32 { panic!("boom") }),
            XERIAL_E_INTERNAL
        );
        assert_eq!(guard("test", || -> u64 { panic!("boom") }), 0);
        assert_eq!(guard("test", || 7u32), 7);
    }
}
