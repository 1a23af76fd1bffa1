//! How the SDK's runtime threads share the CPU with the game's threads.
//!
//! Spawning a request's task wakes a parked worker. On Linux the fair scheduler lets a thread it
//! wakes preempt the thread that woke it, so the game thread lost its CPU for the whole time the
//! worker ran (25–100 µs) in 19 % of back-to-back calls and 82 % of isolated ones (issue 7,
//! docs/BENCHMARKS.md). A `SCHED_BATCH` thread is never given wake-up preemption: it gets the
//! same CPU share as a normal thread, only later, when the game thread's slice ends or it blocks.
//! It needs no privilege and cannot starve (unlike a lower priority class).

/// Runs first on every SDK runtime thread.
pub(crate) fn on_worker_start() {
    super::log::mark_worker_thread();
    never_preempt_the_waker();
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn never_preempt_the_waker() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: plain syscall on the calling thread (pid 0) with a valid parameter block.
    let failed = unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) } != 0;
    if failed {
        // A seccomp sandbox may forbid it; the SDK still works, the game thread may be
        // preempted more often.
        ::log::debug!(target: "xerial::runtime", "SCHED_BATCH refused: {}", std::io::Error::last_os_error());
    }
}

/// Windows and Apple schedulers have no equivalent that cannot starve a thread (a lower
/// priority or QoS class can), so their workers keep the default.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn never_preempt_the_waker() {}
