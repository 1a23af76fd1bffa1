//! The SDK's heap (ABI 1.4): every allocation the library's code makes goes to the system
//! allocator, or to one the host hands over with `xerial_set_allocator` (an engine's allocator,
//! as EOS and PlayFab take one), so that the SDK's memory is counted, pooled and budgeted with
//! the game's.
//!
//! The heap is chosen once per process by whichever comes first: `xerial_set_allocator`, or the
//! library's first allocation (which settles on the system's). It never changes afterwards, so
//! every block goes back to the allocator that made it. The choice is this crate's
//! `#[global_allocator]`: a Rust program that links the rlib (the tests, the benchmarks) gets
//! it too, and as it allocates before it could call `xerial_set_allocator`, the system's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicU8, Ordering};

use super::sized::read_table_bytes;
use super::types::{XERIAL_E_ALREADY_INITIALIZED, XERIAL_E_INVALID_ARGUMENT, XERIAL_OK};

/// `XerialAllocator.allocate`: returns a block of `size` bytes (never 0) aligned to `alignment`
/// (a power of two; up to 128 in practice, tokio aligns its task cells to a cache line), or NULL,
/// which ends the process as running out of memory does.
pub type XerialAllocateCallback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, size: usize, alignment: usize) -> *mut c_void,
>;

/// `XerialAllocator.reallocate`: resizes `block` (from `allocate` or `reallocate`, of `old_size`
/// bytes) to `new_size` bytes (never 0) with the same `alignment`, keeping the first
/// `min(old_size, new_size)` bytes, and returns it (moved or not); NULL leaves `block` as it
/// was and ends the process as running out of memory does.
pub type XerialReallocateCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        block: *mut c_void,
        old_size: usize,
        new_size: usize,
        alignment: usize,
    ) -> *mut c_void,
>;

/// `XerialAllocator.release`: frees `block`, which `allocate` or `reallocate` returned with this
/// `size` and `alignment` (a host that does not need them ignores them).
pub type XerialReleaseCallback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, block: *mut c_void, size: usize, alignment: usize),
>;

/// (ABI 1.4) The host's allocator for the SDK's memory (`xerial_set_allocator`). The functions
/// are called from any thread (the game's, the SDK's workers, a thread exiting), concurrently,
/// and, unlike every other host callback, also while the SDK holds one of its locks (Rust code
/// allocates wherever it builds a value): they must be leaves, calling no `xerial_*` function,
/// and must not unwind. They must stay callable, with `user_data`, for as long as the library is
/// loaded: the SDK's runtime threads live for the whole process and free memory until it ends.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialAllocator {
    /// `sizeof(XerialAllocator)` as the caller compiled it.
    pub struct_size: u32,
    /// Handed back to every function.
    pub user_data: *mut c_void,
    /// Allocates (must not be NULL).
    pub allocate: XerialAllocateCallback,
    /// Resizes (may be NULL: the SDK then allocates, copies and releases).
    pub reallocate: XerialReallocateCallback,
    /// Frees (must not be NULL).
    pub release: XerialReleaseCallback,
}

/// Routes the library's own memory to the host's allocator. Call it first: before
/// `xerial_init` and before any function that may allocate (calling `xerial_abi_version`,
/// `xerial_version` and `xerial_code_name` first is fine). `allocator` is read during the call
/// (the struct may be freed on return; its functions and `user_data` may not, see
/// `XerialAllocator`).
///
/// Codes: `XERIAL_OK` (from now on every block the library's code allocates comes from
/// `allocate`, and goes back to `release`); `XERIAL_E_INVALID_ARGUMENT` for a NULL `allocator`,
/// a `struct_size` under `sizeof(XerialAllocator)` (or over 4096, or covering a field this
/// library does not know set to non-zero), or a NULL `allocate` or `release` (nothing changes:
/// the call can be made again); `XERIAL_E_ALREADY_INITIALIZED` when the library has already
/// allocated (or an allocator was set before): its memory stays with the allocator it came
/// from, for the life of the process. What the library does not allocate itself stays with the
/// system: the C runtime's own (DNS resolution, thread stacks). Any thread; once per process.
#[no_mangle]
pub unsafe extern "C" fn xerial_set_allocator(allocator: *const XerialAllocator) -> i32 {
    // No allocation until the heap is chosen: an error message would settle it on the system's.
    super::guard("xerial_set_allocator", || {
        if allocator.is_null() {
            return XERIAL_E_INVALID_ARGUMENT;
        }
        // SAFETY: the caller's struct holds at least its `struct_size` readable bytes.
        let Ok(table) = (unsafe { read_table_bytes(allocator) }) else {
            return XERIAL_E_INVALID_ARGUMENT;
        };
        let (Some(allocate), Some(release)) = (table.allocate, table.release) else {
            return XERIAL_E_INVALID_ARGUMENT;
        };
        let host = Host {
            user_data: table.user_data,
            allocate,
            reallocate: table.reallocate,
            release,
        };
        match HEAP.choice.install(host) {
            true => XERIAL_OK,
            false => XERIAL_E_ALREADY_INITIALIZED,
        }
    })
}

/// The host's functions, checked to be there.
#[derive(Clone, Copy)]
struct Host {
    user_data: *mut c_void,
    allocate: unsafe extern "C" fn(*mut c_void, usize, usize) -> *mut c_void,
    reallocate: XerialReallocateCallback,
    release: unsafe extern "C" fn(*mut c_void, *mut c_void, usize, usize),
}

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
/// One `xerial_set_allocator` is writing the host's functions; everyone else waits for `HOST`.
const INSTALLING: u8 = 2;
const HOST: u8 = 3;

/// Which allocator serves the process: decided once, by the first allocation or installation.
struct Choice {
    state: AtomicU8,
    host: UnsafeCell<MaybeUninit<Host>>,
}

// SAFETY: `host` is written once, by the one thread that moved `state` from UNDECIDED to
// INSTALLING, before it publishes HOST with release ordering; it is read only after an acquire
// load saw HOST, and never written again.
unsafe impl Sync for Choice {}

impl Choice {
    const fn new() -> Choice {
        Choice {
            state: AtomicU8::new(UNDECIDED),
            host: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Whether the system's allocator serves the process: the common case, tested first. Once
    /// `SYSTEM`, always `SYSTEM`, and it publishes nothing: a relaxed load is enough.
    #[inline(always)]
    fn is_system(&self) -> bool {
        self.state.load(Ordering::Relaxed) == SYSTEM
    }

    /// The host's allocator, or `None` for the system's (settling on it if nothing was chosen).
    fn current(&self) -> Option<&Host> {
        loop {
            match self.state.load(Ordering::Acquire) {
                SYSTEM => return None,
                // SAFETY: HOST is published after `host` was written (see `Sync`).
                HOST => return Some(unsafe { (*self.host.get()).assume_init_ref() }),
                UNDECIDED => {
                    let settled = self.state.compare_exchange(
                        UNDECIDED,
                        SYSTEM,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                    if settled.is_ok() {
                        return None;
                    }
                }
                // Another thread is installing the host's allocator: a few stores away.
                _ => std::hint::spin_loop(),
            }
        }
    }

    /// Makes `host` the allocator, if nothing was chosen yet.
    fn install(&self, host: Host) -> bool {
        let claimed = self.state.compare_exchange(
            UNDECIDED,
            INSTALLING,
            Ordering::Acquire,
            Ordering::Relaxed,
        );
        if claimed.is_err() {
            return false;
        }
        // SAFETY: INSTALLING is ours alone; no one reads `host` before HOST (see `Sync`).
        unsafe { (*self.host.get()).write(host) };
        self.state.store(HOST, Ordering::Release);
        true
    }
}

/// The library's heap: the system's or the host's, per `Choice`.
struct Heap {
    choice: Choice,
}

#[global_allocator]
static HEAP: Heap = Heap {
    choice: Choice::new(),
};

// SAFETY: every block goes back to the allocator that made it, since the choice never changes
// once a block exists; the host promises `GlobalAlloc`'s contract (size, alignment, NULL only
// when out of memory) in `XerialAllocator`'s documentation.
//
// Each method tests for the system's allocator first: that is every allocation of a process
// that set no allocator. The rest, the host's allocator or the first allocation, is a call
// further. The methods themselves stay out of line, as std's default allocator is: inlined into
// every allocation site they made the stripped library 166 KB larger to save 0.2 k of a
// logout's 64 k instructions (callgrind, 64 in flight).
unsafe impl GlobalAlloc for Heap {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.choice.is_system() {
            true => unsafe { System.alloc(layout) },
            false => unsafe { self.chosen_alloc(layout, false) },
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match self.choice.is_system() {
            // calloc: fresh pages from the system are zero already.
            true => unsafe { System.alloc_zeroed(layout) },
            false => unsafe { self.chosen_alloc(layout, true) },
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match self.choice.is_system() {
            true => unsafe { System.dealloc(block, layout) },
            false => unsafe { self.chosen_dealloc(block, layout) },
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match self.choice.is_system() {
            true => unsafe { System.realloc(block, layout, new_size) },
            false => unsafe { self.chosen_realloc(block, layout, new_size) },
        }
    }
}

/// `GlobalAlloc` when the state was not yet `SYSTEM`: the host's allocator, or the system's
/// once the first allocation settles on it.
impl Heap {
    #[inline(never)]
    unsafe fn chosen_alloc(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        let Some(host) = self.choice.current() else {
            return match zeroed {
                true => unsafe { System.alloc_zeroed(layout) },
                false => unsafe { System.alloc(layout) },
            };
        };
        let block: *mut u8 =
            unsafe { (host.allocate)(host.user_data, layout.size(), layout.align()) }.cast();
        if zeroed && !block.is_null() {
            unsafe { block.write_bytes(0, layout.size()) };
        }
        block
    }

    #[inline(never)]
    unsafe fn chosen_dealloc(&self, block: *mut u8, layout: Layout) {
        match self.choice.current() {
            None => unsafe { System.dealloc(block, layout) },
            Some(host) => unsafe {
                (host.release)(host.user_data, block.cast(), layout.size(), layout.align())
            },
        }
    }

    #[inline(never)]
    unsafe fn chosen_realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Some(host) = self.choice.current() else {
            return unsafe { System.realloc(block, layout, new_size) };
        };
        if let Some(reallocate) = host.reallocate {
            return unsafe {
                reallocate(
                    host.user_data,
                    block.cast(),
                    layout.size(),
                    new_size,
                    layout.align(),
                )
            }
            .cast();
        }
        let moved: *mut u8 =
            unsafe { (host.allocate)(host.user_data, new_size, layout.align()) }.cast();
        if !moved.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                (host.release)(host.user_data, block.cast(), layout.size(), layout.align());
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn never_allocate(_: *mut c_void, _: usize, _: usize) -> *mut c_void {
        std::ptr::null_mut()
    }

    unsafe extern "C" fn never_release(_: *mut c_void, _: *mut c_void, _: usize, _: usize) {}

    fn host() -> Host {
        Host {
            user_data: 0x5a as *mut c_void,
            allocate: never_allocate,
            reallocate: None,
            release: never_release,
        }
    }

    #[test]
    fn the_first_allocation_settles_on_the_system() {
        let choice = Choice::new();
        assert!(choice.current().is_none());
        assert!(!choice.install(host()), "too late once a block exists");
        assert!(choice.current().is_none());
    }

    #[test]
    fn an_installed_allocator_serves_every_allocation_after() {
        let choice = Choice::new();
        assert!(choice.install(host()));
        assert!(!choice.install(host()), "once per process");
        let installed = choice.current().expect("the host's");
        assert_eq!(installed.user_data, 0x5a as *mut c_void);
    }

    #[test]
    fn racing_threads_agree_on_one_allocator() {
        for _ in 0..20 {
            let choice = Choice::new();
            let (installed, seen) = std::thread::scope(|scope| {
                let installer = scope.spawn(|| choice.install(host()));
                let allocator = scope.spawn(|| choice.current().is_some());
                (installer.join().unwrap(), allocator.join().unwrap())
            });
            assert_eq!(
                installed, seen,
                "the installer won exactly when the allocation saw it"
            );
        }
    }

    #[test]
    fn the_process_heap_is_the_systems_in_a_rust_program() {
        // The test harness allocated long before this: the choice is made, and it is final.
        drop(vec![1u8; 16]);
        assert!(HEAP.choice.current().is_none());
        let table = XerialAllocator {
            struct_size: std::mem::size_of::<XerialAllocator>() as u32,
            user_data: std::ptr::null_mut(),
            allocate: Some(never_allocate),
            reallocate: None,
            release: Some(never_release),
        };
        assert_eq!(
            unsafe { xerial_set_allocator(&table) },
            XERIAL_E_ALREADY_INITIALIZED
        );
        assert_eq!(
            unsafe { xerial_set_allocator(std::ptr::null()) },
            XERIAL_E_INVALID_ARGUMENT
        );
        let no_release = XerialAllocator {
            release: None,
            ..table
        };
        assert_eq!(
            unsafe { xerial_set_allocator(&no_release) },
            XERIAL_E_INVALID_ARGUMENT
        );
    }
}
