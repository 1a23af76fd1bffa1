//! The SDK's mutex: a std mutex that counts, per thread, how many SDK locks are held.
//!
//! Foreign code (the game's callbacks, log callback, auth listener, host transport) may call back
//! into the SDK from any thread, so it must never run while an SDK lock is held: that is how a
//! log callback calling `xerial_session_clear` hung forever. The count makes the rule checkable:
//! the places that call foreign code assert it is zero (in debug builds and tests), and log
//! records written while a lock is held wait until this thread releases its last lock
//! ([`when_unlocked`]).

use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, MutexGuard, PoisonError};
use std::time::Duration;

thread_local! {
    static HELD: Cell<u32> = const { Cell::new(0) };
    /// Work that must not run under a lock, waiting for this thread's last unlock.
    static DEFERRED: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// How many SDK locks the calling thread holds.
pub fn locks_held() -> u32 {
    HELD.with(Cell::get)
}

/// Checks, in debug builds and tests, that `what` (foreign code about to run) runs under no SDK
/// lock of the calling thread.
pub fn assert_no_lock_held(what: &str) {
    debug_assert_eq!(
        locks_held(),
        0,
        "{what} would run while an SDK lock is held"
    );
}

/// Runs `work` now if the calling thread holds no SDK lock, else right after it releases its
/// last one.
pub fn when_unlocked(work: impl FnOnce() + 'static) {
    if locks_held() == 0 {
        work();
    } else {
        DEFERRED.with(|deferred| deferred.borrow_mut().push(Box::new(work)));
    }
}

/// A mutex whose guards are counted in [`locks_held`]. A poisoned lock is used as is: every
/// critical section leaves its data consistent, and a panic is already reported.
#[derive(Debug, Default)]
pub struct Mutex<T>(std::sync::Mutex<T>);

/// A held [`Mutex`].
pub struct Guard<'a, T> {
    /// Dropped only by `Drop` (or handed to `Condvar::wait` by `wait`, which forgets `self`).
    inner: ManuallyDrop<MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    pub const fn new(value: T) -> Mutex<T> {
        Mutex(std::sync::Mutex::new(value))
    }

    pub fn lock(&self) -> Guard<'_, T> {
        let inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        HELD.with(|held| held.set(held.get() + 1));
        Guard {
            inner: ManuallyDrop::new(inner),
        }
    }
}

impl<'a, T> Guard<'a, T> {
    /// Waits on `condvar`, releasing the lock meanwhile (and counting it as released).
    pub fn wait(self, condvar: &Condvar) -> Guard<'a, T> {
        self.released_while(|inner| condvar.wait(inner).unwrap_or_else(PoisonError::into_inner))
    }

    /// Like [`Guard::wait`], for at most `timeout` (a wake-up may also be spurious: callers
    /// check their condition and their deadline again).
    pub fn wait_timeout(self, condvar: &Condvar, timeout: Duration) -> Guard<'a, T> {
        self.released_while(|inner| {
            condvar
                .wait_timeout(inner, timeout)
                .unwrap_or_else(PoisonError::into_inner)
                .0
        })
    }

    /// Hands the std guard to `block` (a condvar wait), counting the lock as released meanwhile.
    fn released_while(
        mut self,
        block: impl FnOnce(MutexGuard<'a, T>) -> MutexGuard<'a, T>,
    ) -> Guard<'a, T> {
        // SAFETY: `inner` is taken exactly once: `self` is forgotten right after, so `Drop`
        // never sees the emptied field.
        let inner = unsafe { ManuallyDrop::take(&mut self.inner) };
        std::mem::forget(self);
        release();
        let inner = block(inner);
        HELD.with(|held| held.set(held.get() + 1));
        Guard {
            inner: ManuallyDrop::new(inner),
        }
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: dropped once, here; `wait` forgets the guard after taking it.
        unsafe { ManuallyDrop::drop(&mut self.inner) };
        release();
    }
}

/// One lock released; at the last one, runs what waited for it (usually nothing: one look).
fn release() {
    let held = HELD.with(|held| {
        held.set(held.get() - 1);
        held.get()
    });
    if held == 0 {
        // Taken only when there is some: an empty vector is neither built nor dropped.
        let waiting = DEFERRED.with(|deferred| {
            let mut deferred = deferred.borrow_mut();
            (!deferred.is_empty()).then(|| std::mem::take(&mut *deferred))
        });
        for work in waiting.into_iter().flatten() {
            work();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn counts_nested_locks_and_runs_deferred_work_at_the_last_unlock() {
        let a = Mutex::new(1);
        let b = Mutex::new(2);
        let ran = Rc::new(Cell::new(0));
        assert_eq!(locks_held(), 0);
        let ga = a.lock();
        let gb = b.lock();
        assert_eq!(locks_held(), 2);
        let seen = Rc::clone(&ran);
        when_unlocked(move || seen.set(locks_held() + 10));
        drop(gb);
        assert_eq!(ran.get(), 0, "still under a lock");
        drop(ga);
        assert_eq!(ran.get(), 10, "ran once no lock was held");
        let seen = Rc::clone(&ran);
        when_unlocked(move || seen.set(99));
        assert_eq!(ran.get(), 99, "runs at once without a lock");
    }
}
