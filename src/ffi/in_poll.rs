//! Running without threads (`XERIAL_RUN_IN_POLL`): a generation's tasks and timers advance only
//! inside `xerial_poll`, on the thread that calls it. The only mode in the browser, where a
//! WebAssembly module has one thread and must never block it; useful on consoles with strict
//! thread budgets.
//!
//! A small executor: a task is a boxed future plus a "queued" flag; waking it (from any thread:
//! a host transport may answer from its own) puts it on the ready queue, and [`InPoll::step`]
//! polls what is ready, a bounded number of times. Timers are the core's
//! [`PolledTimers`](crate::client::PolledTimers), fired by the same step. Nothing runs between
//! polls, and an idle `xerial_poll` does not get here (`LIVE_TASKS` is 0).

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll, Wake, Waker};

use crate::client::sync::{Guard, Mutex};
use crate::client::{clock, PolledTimers, Spawn, Work as StoreWork};

/// Tasks of the in-poll generation not yet finished: lets an idle `xerial_poll` return after
/// one atomic load (there is at most one generation at a time).
pub(crate) static LIVE_TASKS: AtomicUsize = AtomicUsize::new(0);

/// Most task polls one step makes: a step's cost is bounded whatever was woken during it; the
/// rest waits for the next `xerial_poll`.
const MAX_POLLS_PER_STEP: usize = 1024;

type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One generation's executor and timers.
pub(crate) struct InPoll {
    scheduler: Arc<Scheduler>,
    timers: PolledTimers,
}

struct Scheduler {
    ready: Mutex<VecDeque<Arc<Task>>>,
    /// Every unfinished task, so that `close` can drop them all.
    tasks: Mutex<HashMap<u64, Arc<Task>>>,
    closed: AtomicBool,
}

/// A spawned future. Its future is taken out while it is polled, so no lock is held then.
pub(crate) struct Task {
    id: u64,
    future: Mutex<Option<Work>>,
    queued: AtomicBool,
    aborted: AtomicBool,
    scheduler: Weak<Scheduler>,
}

static NEXT_TASK: AtomicU64 = AtomicU64::new(1);

fn lock<T>(mutex: &Mutex<T>) -> Guard<'_, T> {
    mutex.lock()
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(scheduler) = self.scheduler.upgrade() {
            lock(&scheduler.ready).push_back(Arc::clone(self));
        }
    }
}

impl Task {
    /// Stops the task: its future is dropped at the next step (on the polling thread), or by
    /// `close`. Never runs it.
    pub(crate) fn abort(self: &Arc<Self>) {
        self.aborted.store(true, Ordering::Release);
        self.wake_by_ref();
    }
}

impl Scheduler {
    fn spawn(self: &Arc<Self>, future: Work) -> Arc<Task> {
        let task = Arc::new(Task {
            id: NEXT_TASK.fetch_add(1, Ordering::Relaxed),
            future: Mutex::new(Some(future)),
            queued: AtomicBool::new(false),
            aborted: AtomicBool::new(false),
            scheduler: Arc::downgrade(self),
        });
        if self.closed.load(Ordering::Acquire) {
            return task; // Shut down: it never runs.
        }
        lock(&self.tasks).insert(task.id, Arc::clone(&task));
        LIVE_TASKS.fetch_add(1, Ordering::AcqRel);
        task.wake_by_ref();
        task
    }
}

impl InPoll {
    pub(crate) fn new() -> InPoll {
        InPoll {
            scheduler: Arc::new(Scheduler {
                ready: Mutex::new(VecDeque::new()),
                tasks: Mutex::new(HashMap::new()),
                closed: AtomicBool::new(false),
            }),
            timers: PolledTimers::default(),
        }
    }

    /// The timers this generation's client sleeps on.
    pub(crate) fn timers(&self) -> &PolledTimers {
        &self.timers
    }

    /// Queues `future` to start at the next step. Any thread.
    pub(crate) fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) -> Arc<Task> {
        self.scheduler.spawn(Box::pin(future))
    }

    /// Where the session store's calls that may wait go (`Background::Polled`): each runs as a
    /// task, at the next step, on the polling thread. Holds the executor weakly (the store
    /// belongs to the client, which its tasks hold); once shut down, work is dropped unrun
    /// (closing the store writes the last change itself).
    pub(crate) fn spawner(&self) -> Spawn {
        let scheduler = Arc::downgrade(&self.scheduler);
        Arc::new(move |work: StoreWork| {
            if let Some(scheduler) = scheduler.upgrade() {
                scheduler.spawn(Box::pin(async move { work() }));
            }
        })
    }

    /// Fires the timers that are due and polls ready tasks, at most `MAX_POLLS_PER_STEP`
    /// times. Returns how many polls it made. Holds no lock while a task runs.
    pub(crate) fn step(&self) -> usize {
        self.timers.fire_expired(clock::now());
        let mut polls = 0;
        while polls < MAX_POLLS_PER_STEP {
            let Some(task) = lock(&self.scheduler.ready).pop_front() else {
                break;
            };
            task.queued.store(false, Ordering::Release);
            let Some(mut future) = lock(&task.future).take() else {
                continue; // Finished, or dropped by `close`.
            };
            if task.aborted.load(Ordering::Acquire) {
                self.finished(&task, future);
                continue;
            }
            let waker = Waker::from(Arc::clone(&task));
            let poll = future.as_mut().poll(&mut Context::from_waker(&waker));
            polls += 1;
            match poll {
                Poll::Ready(()) => self.finished(&task, future),
                // Closed while it ran (a host `send` that shut the SDK down): dropped here.
                Poll::Pending if self.scheduler.closed.load(Ordering::Acquire) => {
                    self.finished(&task, future)
                }
                Poll::Pending => *lock(&task.future) = Some(future),
            }
        }
        polls
    }

    /// Forgets a task that ended, and drops its future (outside every lock).
    fn finished(&self, task: &Task, future: Work) {
        if lock(&self.scheduler.tasks).remove(&task.id).is_some() {
            LIVE_TASKS.fetch_sub(1, Ordering::AcqRel);
        }
        drop(future);
    }

    /// Shutdown: no task runs again; every future is dropped now, on the calling thread (a task
    /// being polled further up this thread's stack is dropped when its poll returns).
    pub(crate) fn close(&self) {
        self.scheduler.closed.store(true, Ordering::Release);
        let tasks: Vec<Arc<Task>> = lock(&self.scheduler.tasks)
            .drain()
            .map(|(_, t)| t)
            .collect();
        LIVE_TASKS.fetch_sub(tasks.len(), Ordering::AcqRel);
        lock(&self.scheduler.ready).clear();
        for task in tasks {
            let future = lock(&task.future).take();
            drop(future);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use super::*;

    /// `LIVE_TASKS` is process-global: these tests run one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[test]
    fn tasks_run_only_when_stepped_and_wakers_work_from_other_threads() {
        let _serial = serial();
        let executor = InPoll::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let (receiver, sender) = futures_util::future::abortable(std::future::pending::<()>());
        let counted = Arc::clone(&runs);
        executor.spawn(async move {
            counted.fetch_add(1, Ordering::SeqCst);
            let _ = receiver.await;
            counted.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(runs.load(Ordering::SeqCst), 0, "spawn runs nothing");
        assert_eq!(LIVE_TASKS.load(Ordering::SeqCst), 1);
        assert_eq!(executor.step(), 1);
        assert_eq!(executor.step(), 0, "nothing ready: nothing polled");
        std::thread::spawn(move || sender.abort()).join().unwrap();
        assert_eq!(executor.step(), 1);
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert_eq!(LIVE_TASKS.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn timers_fire_in_the_step() {
        let _serial = serial();
        let executor = InPoll::new();
        let clock = crate::client::Clock::Polled(executor.timers().clone());
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        executor.spawn(async move {
            clock
                .sleep_until(clock::now() + Duration::from_millis(20))
                .await;
            flag.store(true, Ordering::SeqCst);
        });
        executor.step();
        assert!(!done.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(30));
        executor.step();
        assert!(done.load(Ordering::SeqCst));
    }

    #[test]
    fn abort_and_close_drop_futures_without_running_them() {
        let _serial = serial();
        struct Dropped(Arc<AtomicUsize>);
        impl Drop for Dropped {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let executor = InPoll::new();
        let drops = Arc::new(AtomicUsize::new(0));
        let ran = Arc::new(AtomicBool::new(false));
        let (guard, flag) = (Dropped(Arc::clone(&drops)), Arc::clone(&ran));
        let aborted = executor.spawn(async move {
            let _guard = guard;
            flag.store(true, Ordering::SeqCst);
        });
        aborted.abort();
        executor.step();
        assert!(!ran.load(Ordering::SeqCst), "an aborted task never runs");
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        let guard = Dropped(Arc::clone(&drops));
        executor.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        });
        executor.step();
        executor.close();
        assert_eq!(drops.load(Ordering::SeqCst), 2, "close drops what waits");
        assert_eq!(LIVE_TASKS.load(Ordering::SeqCst), 0);
        executor.spawn(async { unreachable!("spawned after close") });
        assert_eq!(executor.step(), 0);
        assert_eq!(LIVE_TASKS.load(Ordering::SeqCst), 0);
    }
}
