//! Time for the SDK's futures: the current instant, sleeping until a deadline, and a deadline
//! around a future — from one of two sources, chosen when the client is built.
//!
//! * [`Clock::Runtime`]: tokio's timers, on the SDK's runtime threads (the native default). The
//!   default path is exactly the tokio calls it always made.
//! * [`Clock::Polled`]: a list of timers that the host's `xerial_poll` advances
//!   ([`PolledTimers::fire_expired`]), for a client whose futures run inside `xerial_poll` with no
//!   thread of their own (`XERIAL_RUN_IN_POLL`; the only way on WebAssembly).
//!
//! On WebAssembly the instant itself comes from `emscripten_get_now()` (the page's monotonic
//! clock) and wall time from `emscripten_date_now()`: with the Emscripten of Debian (3.1.6) and of
//! Unity 2022 (3.1.8), Rust's `std::time` reads a 64-bit `time_t` that the C library fills as 32
//! bits, and every `Instant` and `SystemTime` is garbage (toolchain.md §8).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::SystemTime;

use futures_util::future::{select, Either};

use super::sync::{Guard, Mutex};

#[cfg(not(target_os = "emscripten"))]
pub use std::time::Instant;
#[cfg(target_os = "emscripten")]
pub use wasm_time::Instant;

/// The current instant of the clock every deadline is measured on.
pub fn now() -> Instant {
    Instant::now()
}

/// The current wall-clock time (token expiries are wall-clock times).
pub fn system_now() -> SystemTime {
    #[cfg(not(target_os = "emscripten"))]
    return SystemTime::now();
    #[cfg(target_os = "emscripten")]
    return wasm_time::system_now();
}

/// A deadline passed before the future finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Elapsed;

/// Where a client's timers come from.
#[derive(Debug, Clone)]
pub enum Clock {
    /// tokio's timers: the futures run on a tokio runtime with its time driver (native only).
    #[cfg(not(target_os = "emscripten"))]
    Runtime,
    /// Timers that fire when the host advances them: the futures run inside `xerial_poll`.
    Polled(PolledTimers),
}

impl Clock {
    /// Waits until `deadline`.
    pub(crate) async fn sleep_until(&self, deadline: Instant) {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            Clock::Runtime => tokio::time::sleep_until(deadline.into()).await,
            Clock::Polled(timers) => timers.sleep_until(deadline).await,
        }
    }

    /// Runs `future` until it finishes or `deadline` passes. Like tokio's `timeout_at`, the
    /// future is polled first, so an answer that is ready wins over a deadline that just passed.
    pub(crate) async fn timeout_at<F: Future>(
        &self,
        deadline: Instant,
        future: F,
    ) -> Result<F::Output, Elapsed> {
        match self {
            #[cfg(not(target_os = "emscripten"))]
            Clock::Runtime => tokio::time::timeout_at(deadline.into(), future)
                .await
                .map_err(|_| Elapsed),
            Clock::Polled(timers) => {
                let sleep = pin!(timers.sleep_until(deadline));
                match select(pin!(future), sleep).await {
                    Either::Left((output, _)) => Ok(output),
                    Either::Right(((), _)) => Err(Elapsed),
                }
            }
        }
    }
}

/// Timers advanced by their owner: a sleeping future registers its waker here, and
/// [`fire_expired`](PolledTimers::fire_expired) wakes the ones whose deadline has passed.
/// Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct PolledTimers {
    shared: Arc<Mutex<TimerList>>,
}

#[derive(Default)]
struct TimerList {
    next_key: u64,
    /// Ordered by deadline, then by registration (the key makes entries unique).
    waiting: BTreeMap<(Instant, u64), Waker>,
}

impl fmt::Debug for PolledTimers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolledTimers")
            .field("waiting", &self.lock().waiting.len())
            .finish()
    }
}

impl PolledTimers {
    fn lock(&self) -> Guard<'_, TimerList> {
        self.shared.lock()
    }

    /// Wakes every timer whose deadline is at or before `now`; returns how many. Wakers run
    /// after the list's lock is released (a waker may schedule work that registers a timer).
    pub fn fire_expired(&self, now: Instant) -> usize {
        let mut due = Vec::new();
        {
            let mut list = self.lock();
            while let Some(entry) = list.waiting.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                due.push(entry.remove());
            }
        }
        let fired = due.len();
        due.into_iter().for_each(Waker::wake);
        fired
    }

    /// The earliest deadline still waiting, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.lock()
            .waiting
            .keys()
            .next()
            .map(|(deadline, _)| *deadline)
    }

    fn sleep_until(&self, deadline: Instant) -> PolledSleep<'_> {
        PolledSleep {
            timers: self,
            deadline,
            key: None,
        }
    }
}

/// One sleeping future: registered in the list while it waits, removed when it ends or drops.
struct PolledSleep<'a> {
    timers: &'a PolledTimers,
    deadline: Instant,
    key: Option<(Instant, u64)>,
}

impl Future for PolledSleep<'_> {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut list = self.timers.lock();
        if now() >= self.deadline {
            if let Some(key) = self.key.take() {
                list.waiting.remove(&key);
            }
            return Poll::Ready(());
        }
        match self.key {
            Some(key) => match list.waiting.get_mut(&key) {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                Some(waker) => waker.clone_from(cx.waker()),
                // Fired a little early by a host clock that disagrees with ours: wait again.
                None => {
                    list.waiting.insert(key, cx.waker().clone());
                }
            },
            None => {
                let key = (self.deadline, list.next_key);
                list.next_key += 1;
                list.waiting.insert(key, cx.waker().clone());
                drop(list);
                self.key = Some(key);
            }
        }
        Poll::Pending
    }
}

impl Drop for PolledSleep<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.timers.lock().waiting.remove(&key);
        }
    }
}

/// Time on `wasm32-unknown-emscripten`, from Emscripten's own clock functions.
#[cfg(target_os = "emscripten")]
mod wasm_time {
    use std::ops::{Add, Sub};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    extern "C" {
        /// `performance.now()`: milliseconds, monotonic, sub-millisecond resolution.
        fn emscripten_get_now() -> f64;
        /// `Date.now()`: milliseconds since the Unix epoch.
        fn emscripten_date_now() -> f64;
    }

    /// A monotonic instant, in microseconds of the page's clock.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct Instant {
        micros: u64,
    }

    impl Instant {
        /// Now.
        pub fn now() -> Instant {
            // SAFETY: a plain call into Emscripten's runtime, no arguments.
            let millis = unsafe { emscripten_get_now() };
            Instant {
                micros: (millis.max(0.0) * 1000.0) as u64,
            }
        }

        /// How long after `earlier` this is, or zero.
        pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
            Duration::from_micros(self.micros.saturating_sub(earlier.micros))
        }

        /// How long after `earlier` this is, if it is.
        pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
            self.micros
                .checked_sub(earlier.micros)
                .map(Duration::from_micros)
        }

        /// This instant plus `duration`, if it can be represented.
        pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
            let micros = u64::try_from(duration.as_micros()).ok()?;
            Some(Instant {
                micros: self.micros.checked_add(micros)?,
            })
        }

        /// Time passed since this instant.
        pub fn elapsed(&self) -> Duration {
            Instant::now().saturating_duration_since(*self)
        }
    }

    impl Add<Duration> for Instant {
        type Output = Instant;

        fn add(self, duration: Duration) -> Instant {
            let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
            Instant {
                micros: self.micros.saturating_add(micros),
            }
        }
    }

    impl Sub<Instant> for Instant {
        type Output = Duration;

        fn sub(self, earlier: Instant) -> Duration {
            self.saturating_duration_since(earlier)
        }
    }

    pub(super) fn system_now() -> SystemTime {
        // SAFETY: as above.
        let millis = unsafe { emscripten_date_now() };
        UNIX_EPOCH + Duration::from_micros((millis.max(0.0) * 1000.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;
    use std::time::Duration;

    use super::*;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn polled_sleep_fires_only_when_advanced_past_its_deadline() {
        let timers = PolledTimers::default();
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        let deadline = now() + Duration::from_millis(30);
        let mut sleep = Box::pin(timers.sleep_until(deadline));
        assert!(sleep.as_mut().poll(&mut cx).is_pending());
        assert!(
            sleep.as_mut().poll(&mut cx).is_pending(),
            "re-polled: one entry"
        );
        assert_eq!(timers.next_deadline(), Some(deadline));
        assert_eq!(timers.fire_expired(now()), 0, "not yet");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(timers.fire_expired(now()), 1);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(sleep.as_mut().poll(&mut cx).is_ready());
        assert_eq!(timers.next_deadline(), None);
    }

    #[test]
    fn a_dropped_sleep_leaves_no_timer() {
        let timers = PolledTimers::default();
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        let mut cx = Context::from_waker(&waker);
        let mut sleep = Box::pin(timers.sleep_until(now() + Duration::from_secs(60)));
        assert!(sleep.as_mut().poll(&mut cx).is_pending());
        drop(sleep);
        assert_eq!(timers.next_deadline(), None);
    }

    #[test]
    fn polled_timeout_prefers_a_ready_answer_and_otherwise_ends_at_the_deadline() {
        let clock = Clock::Polled(PolledTimers::default());
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        let mut cx = Context::from_waker(&waker);
        let past = now();
        let ready = pin!(clock.timeout_at(past, async { 7 }));
        assert_eq!(ready.poll(&mut cx), Poll::Ready(Ok(7)));
        let mut pending = Box::pin(clock.timeout_at(
            now() + Duration::from_millis(10),
            std::future::pending::<()>(),
        ));
        assert!(pending.as_mut().poll(&mut cx).is_pending());
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(pending.as_mut().poll(&mut cx), Poll::Ready(Err(Elapsed)));
    }
}
