//! Hands a test program's allocator to the SDK before `main` (ABI 1.4, `xerial_set_allocator`).
//!
//! A Rust program that links the rlib gets the SDK's heap as its global allocator, so a test or
//! benchmark that counts or wipes memory gives the SDK its functions instead, from an
//! `.init_array` entry (Linux): nothing in the process has allocated yet. Included by path
//! (`tests/zeroize.rs`, `benches/sdk`), not through `support/mod.rs`.

/// Installs `allocate`, `reallocate` (an `Option`) and `release` before `main`, and defines
/// `fn installed() -> i32`: what `xerial_set_allocator` answered (`XERIAL_OK`: installed).
macro_rules! install_before_main {
    (allocate: $allocate:expr, reallocate: $reallocate:expr, release: $release:expr) => {
        static INSTALLED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

        extern "C" fn install_before_main() {
            let table = xerial::XerialAllocator {
                struct_size: std::mem::size_of::<xerial::XerialAllocator>() as u32,
                user_data: std::ptr::null_mut(),
                allocate: Some($allocate),
                reallocate: $reallocate,
                release: Some($release),
            };
            let code = unsafe { xerial::xerial_set_allocator(&table) };
            INSTALLED.store(code, std::sync::atomic::Ordering::SeqCst);
        }

        #[cfg(target_os = "linux")]
        #[used]
        #[link_section = ".init_array"]
        static INSTALL: extern "C" fn() = install_before_main;

        /// What `xerial_set_allocator` answered before `main`.
        fn installed() -> i32 {
            INSTALLED.load(std::sync::atomic::Ordering::SeqCst)
        }
    };
}
