//! Driving the SDK through its C ABI (and a bare reqwest client beside it) in closed loops.

use std::ffi::{c_void, CStr, CString};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use xerial::{
    xerial_config_init, xerial_init, xerial_logout, xerial_poll, xerial_shutdown,
    xerial_wallet_native_balance, XerialConfig, XerialResult, XERIAL_DISPATCH_IMMEDIATE,
    XERIAL_DISPATCH_POLL, XERIAL_E_NOT_FOUND, XERIAL_OK, XERIAL_SESSION_STORE_MEMORY,
};

/// A refresh token the server does not know: logout answers `404 {"code":404,…}` every time
/// (a real token can be revoked only once), for every client alike.
pub const TOKEN: &CStr = c"bench-refresh-token-unknown-to-the-server";
/// The demo player's wallet (seeded by the offline server).
pub const ADDRESS: &CStr = c"0x8e9DD3c1Db3254d968967CbC367542C343273629";
pub const CHAIN: &CStr = c"polygon";
/// Longest a closed-loop run may take before it is reported as failed.
pub const RUN_LIMIT: Duration = Duration::from_secs(240);

/// The two calls measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ep {
    /// `POST /api/auth/logout {"refreshToken":…}` → 404 JSON.
    Logout,
    /// `GET /api/wallet/{address}/polygon/eth` → 200 `{"balance":"25"}`.
    Get,
}

impl Ep {
    pub fn name(self) -> &'static str {
        match self {
            Ep::Logout => "logout",
            Ep::Get => "get",
        }
    }

    /// The SDK code every answer must have.
    fn expected_code(self) -> i32 {
        match self {
            Ep::Logout => XERIAL_E_NOT_FOUND,
            Ep::Get => XERIAL_OK,
        }
    }

    /// The HTTP status every answer must have.
    pub fn expected_status(self) -> u16 {
        match self {
            Ep::Logout => 404,
            Ep::Get => 200,
        }
    }

    /// The alternating endpoint of request number `i` in mixed runs.
    pub fn mixed(i: usize) -> Ep {
        if i % 2 == 0 {
            Ep::Logout
        } else {
            Ep::Get
        }
    }
}

/// How callbacks are delivered during a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `XERIAL_DISPATCH_POLL`: the bench thread calls `xerial_poll(0)` in a loop (yielding
    /// the CPU when nothing was delivered), callbacks run there.
    Poll,
    /// `XERIAL_DISPATCH_POLL` as a game calls it: one `xerial_poll(0)` per frame of
    /// [`FRAME`], the thread sleeping for the rest of the frame (the game's own work would run
    /// there, on its own core).
    Frame,
    /// `XERIAL_DISPATCH_IMMEDIATE`: callbacks run on the SDK's worker threads.
    Immediate,
}

/// The frame of [`Mode::Frame`] in microseconds: 1 ms unless `--frame-ms` says otherwise (a
/// game at 60 Hz polls every 16.7 ms; 1 ms keeps the runs short while every poll still finds a
/// batch of answers waiting). Under callgrind the client runs ~50 times slower than the server
/// answers, so part 8 gives a longer frame: with 1 ms a poll found less than one answer, where a
/// game's poll finds the batch (the counts of each are reported as answers per poll).
static FRAME_US: AtomicU64 = AtomicU64::new(1_000);

pub fn set_frame(frame: Duration) {
    FRAME_US.store(frame.as_micros() as u64, Ordering::Relaxed);
}

/// Ends the frame that began at `frame`: sleeps for the rest of it and moves `frame` to the next
/// one. A frame that overran starts the next one at once (a game does not catch up).
pub fn end_frame(frame: &mut Instant) {
    *frame += Duration::from_micros(FRAME_US.load(Ordering::Relaxed));
    let now = Instant::now();
    match frame.checked_duration_since(now) {
        Some(rest) => std::thread::sleep(rest),
        None => *frame = now,
    }
}

impl Mode {
    pub fn dispatch(self) -> u32 {
        match self {
            Mode::Poll | Mode::Frame => XERIAL_DISPATCH_POLL,
            Mode::Immediate => XERIAL_DISPATCH_IMMEDIATE,
        }
    }
}

/// `xerial_init` with the defaults, `base_url` and `dispatch`, the session in memory (the SDK's
/// own work; reading the OS's session store is measured in the README's "Sessions"); returns
/// the code.
pub fn init(base_url: &str, dispatch: u32) -> i32 {
    let url = CString::new(base_url).expect("URL without NUL");
    let mut config = MaybeUninit::<XerialConfig>::zeroed();
    // SAFETY: a writable XerialConfig; every field is then set by the library.
    let mut config = unsafe {
        xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>());
        config.assume_init()
    };
    config.base_url = url.as_ptr();
    config.dispatch = dispatch;
    config.session_store = XERIAL_SESSION_STORE_MEMORY;
    // SAFETY: a complete config whose strings live through the call.
    unsafe { xerial_init(&config) }
}

pub fn shutdown() {
    xerial_shutdown();
}

/// Issues one call with `callback(user_data)`; returns the request id (0: refused).
pub fn issue(
    ep: Ep,
    callback: unsafe extern "C" fn(*mut c_void, *const XerialResult),
    user_data: *mut c_void,
) -> u64 {
    // SAFETY: NUL-terminated static strings; the callback and user_data follow the ABI.
    unsafe {
        match ep {
            Ep::Logout => xerial_logout(TOKEN.as_ptr(), Some(callback), user_data),
            Ep::Get => xerial_wallet_native_balance(
                ADDRESS.as_ptr(),
                CHAIN.as_ptr(),
                Some(callback),
                user_data,
            ),
        }
    }
}

/// What a closed-loop run measured.
pub struct Stats {
    pub seconds: f64,
    pub completed: usize,
    pub errors: usize,
    /// Per-request latencies in ns, sorted (empty when not recorded).
    pub latencies: Vec<u64>,
    pub timed_out: bool,
    /// In a frame loop: answers taken per poll that found any.
    pub per_poll: Option<f64>,
}

impl Stats {
    /// The stats of a run that took `seconds` (its latencies in any order).
    pub fn new(seconds: f64, mut latencies: Vec<u64>, errors: usize, timed_out: bool) -> Stats {
        latencies.sort_unstable();
        Stats {
            seconds,
            completed: latencies.len(),
            errors,
            latencies,
            timed_out,
            per_poll: None,
        }
    }

    /// These stats, from a frame loop whose polls found answers `polls` times.
    pub fn polled(self, polls: usize) -> Stats {
        Stats {
            per_poll: Some(self.completed as f64 / polls.max(1) as f64),
            ..self
        }
    }

    pub fn rps(&self) -> f64 {
        self.completed as f64 / self.seconds.max(1e-9)
    }
}

/// One closed-loop run: `inflight` chains, each callback issues its chain's next request.
struct Run {
    ep: Option<Ep>,
    total: usize,
    issued: AtomicUsize,
    done: AtomicUsize,
    errors: AtomicUsize,
    base: Instant,
    end_ns: AtomicU64,
    starts: Vec<AtomicU64>,
    latencies: Vec<AtomicU64>,
}

struct Slot {
    run: *const Run,
    chain: usize,
}

impl Run {
    fn now(&self) -> u64 {
        self.base.elapsed().as_nanos() as u64
    }

    /// Issues the next request of `slot`'s chain, if any remain.
    fn next(&self, slot: *mut c_void, chain: usize) {
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        if n >= self.total {
            return;
        }
        let ep = self.ep.unwrap_or_else(|| Ep::mixed(n));
        self.starts[chain].store(self.now(), Ordering::Relaxed);
        if issue(ep, on_done, slot) == 0 {
            self.errors.fetch_add(1, Ordering::Relaxed);
            self.finish_one(0);
        }
    }

    fn finish_one(&self, latency: u64) {
        let i = self.done.fetch_add(1, Ordering::AcqRel);
        if let Some(cell) = self.latencies.get(i) {
            cell.store(latency, Ordering::Relaxed);
        }
        if i + 1 == self.total {
            self.end_ns.store(self.now(), Ordering::Release);
        }
    }
}

unsafe extern "C" fn on_done(user_data: *mut c_void, result: *const XerialResult) {
    // SAFETY: user_data is a `Slot` of a `Run` that lives until every callback ran; `result`
    // is valid during the callback.
    let (slot, result) = unsafe { (&*(user_data as *const Slot), &*result) };
    let run = unsafe { &*slot.run };
    let now = run.now();
    let latency = now.saturating_sub(run.starts[slot.chain].load(Ordering::Relaxed));
    let ok = match run.ep {
        Some(ep) => result.code == ep.expected_code(),
        None => result.code == XERIAL_OK || result.code == XERIAL_E_NOT_FOUND,
    };
    if !ok {
        run.errors.fetch_add(1, Ordering::Relaxed);
    }
    run.finish_one(latency);
    run.next(user_data, slot.chain);
}

/// Runs `total` requests with `inflight` in flight through the initialised SDK. `ep` None
/// alternates logout and GET. `record` keeps every latency.
pub fn sdk_run(mode: Mode, ep: Option<Ep>, inflight: usize, total: usize, record: bool) -> Stats {
    let run = Box::new(Run {
        ep,
        total,
        issued: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        errors: AtomicUsize::new(0),
        base: Instant::now(),
        end_ns: AtomicU64::new(0),
        starts: (0..inflight).map(|_| AtomicU64::new(0)).collect(),
        latencies: (0..if record { total } else { 0 })
            .map(|_| AtomicU64::new(0))
            .collect(),
    });
    let slots: Vec<Slot> = (0..inflight)
        .map(|chain| Slot { run: &*run, chain })
        .collect();
    let start = run.now();
    for (chain, slot) in slots.iter().enumerate().take(total) {
        run.next(slot as *const Slot as *mut c_void, chain);
    }
    let began = Instant::now();
    let mut timed_out = false;
    let mut frame = began;
    let mut polls = 0;
    while run.done.load(Ordering::Acquire) < total {
        if began.elapsed() > RUN_LIMIT {
            timed_out = true;
            break;
        }
        match mode {
            Mode::Poll => {
                if xerial_poll(0) == 0 {
                    std::thread::yield_now();
                }
            }
            Mode::Frame => {
                polls += usize::from(xerial_poll(0) > 0);
                end_frame(&mut frame);
            }
            Mode::Immediate => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    let end = run.end_ns.load(Ordering::Acquire);
    let mut latencies: Vec<u64> = run
        .latencies
        .iter()
        .map(|l| l.load(Ordering::Relaxed))
        .collect();
    latencies.sort_unstable();
    let mut stats = Stats {
        seconds: end.saturating_sub(start) as f64 / 1e9,
        completed: run.done.load(Ordering::Acquire),
        errors: run.errors.load(Ordering::Relaxed),
        latencies,
        timed_out,
        per_poll: None,
    };
    if mode == Mode::Frame {
        stats = stats.polled(polls);
    }
    if timed_out {
        // Callbacks may still come: the run must outlive them.
        std::mem::forget(slots);
        Box::leak(run);
    }
    stats
}
