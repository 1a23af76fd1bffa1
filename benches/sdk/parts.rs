//! The measured parts. Each prints `R key value` lines (see `util::emit`).

use std::ffi::c_void;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use xerial::{xerial_cancel, xerial_poll, XerialResult, XERIAL_E_SHUTDOWN, XERIAL_OK};

use crate::bare::Bare;
use crate::drive::{self, Ep, Mode, Stats};
use crate::util::{self, emit, percentile, Counting};
use crate::Args;

/// Callbacks delivered to [`count_cb`] so far, and how many carried `XERIAL_E_SHUTDOWN`.
static DELIVERED: AtomicU64 = AtomicU64::new(0);
static SHUTDOWN_CODES: AtomicU64 = AtomicU64::new(0);

/// The cheapest useful callback: counts.
unsafe extern "C" fn count_cb(_user_data: *mut c_void, result: *const XerialResult) {
    // SAFETY: valid during the callback.
    if unsafe { (*result).code } == XERIAL_E_SHUTDOWN {
        SHUTDOWN_CODES.fetch_add(1, Ordering::Relaxed);
    }
    DELIVERED.fetch_add(1, Ordering::Relaxed);
}

/// The comparison for part 1: the SDK's runtime threads (created by the first init, kept for the
/// process), which run at `SCHED_BATCH` (src/ffi/worker.rs), switched back to the default
/// `SCHED_OTHER`, under which a woken worker may preempt the thread that woke it: the SDK as it
/// was before that fix.
fn default_policy_workers() {
    // A new thread names itself: give the runtime's threads a moment to do so.
    let mut workers = util::threads_named("xerial-rt");
    for _ in 0..100 {
        if workers.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        workers = util::threads_named("xerial-rt");
    }
    for tid in &workers {
        let status = std::process::Command::new("chrt")
            .args(["-o", "-p", "0", tid])
            .status();
        assert!(status.is_ok_and(|s| s.success()), "chrt -o failed");
    }
    assert!(!workers.is_empty(), "no xerial-rt thread found");
}

fn must_init(url: &str, mode: Mode) {
    let code = drive::init(url, mode.dispatch());
    assert_eq!(code, XERIAL_OK, "xerial_init failed with {code}");
}

/// Polls (yielding when idle) until [`DELIVERED`] reaches `target` or `limit` passes.
fn drain(target: u64, limit: Duration) -> bool {
    let began = Instant::now();
    while DELIVERED.load(Ordering::Relaxed) < target {
        if began.elapsed() > limit {
            return false;
        }
        if xerial_poll(0) == 0 {
            std::thread::yield_now();
        }
    }
    true
}

fn ns(d: Duration) -> u64 {
    d.as_nanos() as u64
}

fn emit_distribution(prefix: &str, samples: &mut [u64]) {
    samples.sort_unstable();
    emit(
        &format!("{prefix}.p50_ns"),
        percentile(samples, 50.0) as f64,
    );
    emit(
        &format!("{prefix}.p99_ns"),
        percentile(samples, 99.0) as f64,
    );
    emit(
        &format!("{prefix}.p999_ns"),
        percentile(samples, 99.9) as f64,
    );
    emit(
        &format!("{prefix}.max_ns"),
        samples.last().copied().unwrap_or(0) as f64,
    );
    emit(&format!("{prefix}.samples"), samples.len() as f64);
}

/// SDK threads' CPU time and wake-ups over `window` of idleness.
fn idle_window(prefix: &str, window: Duration) {
    std::thread::sleep(Duration::from_millis(200));
    let (cpu0, switches0) = util::other_threads_cpu_and_switches();
    std::thread::sleep(window);
    let (cpu1, switches1) = util::other_threads_cpu_and_switches();
    emit(&format!("{prefix}.cpu_us"), (cpu1 - cpu0) as f64 / 1e3);
    emit(&format!("{prefix}.wakeups"), (switches1 - switches0) as f64);
    emit(&format!("{prefix}.window_ms"), window.as_millis() as f64);
}

mod dispatch;
mod lifecycle;
mod load;
mod memory;

pub use dispatch::{issue, poll};
pub use lifecycle::lifecycle;
pub use load::load;
pub use memory::{drift, futures, memory, memory_bare};
