//! Measuring helpers: a counting allocator, percentiles, `/proc` readings, result lines and a
//! tiny blocking client for the offline server's admin API.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::c_void;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

use std::time::Duration;
use xerial::XERIAL_OK;

/// The system allocator, counting, handed to the SDK as the host's (`xerial_set_allocator`).
/// Per-thread allocation counts are always kept (a plain thread-local add, no contention);
/// process-wide counts and live bytes only once [`Counting::enable_global`] ran, so that load
/// runs pay no shared-cache-line cost.
pub struct Counting;

static GLOBAL_ON: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

thread_local! {
    static THREAD_ALLOCS: Cell<u64> = const { Cell::new(0) };
}

impl Counting {
    /// Starts process-wide counting (call first thing in `main`: live bytes are only
    /// meaningful for blocks allocated after it).
    pub fn enable_global() {
        GLOBAL_ON.store(true, Ordering::SeqCst);
    }

    /// Stops the program if the SDK did not take the counting allocator (every count would be 0).
    pub fn assert_installed() {
        assert_eq!(
            installed(),
            XERIAL_OK,
            "the counting allocator was not installed before main"
        );
    }

    /// Allocations (including reallocations) made by the calling thread so far.
    pub fn thread_allocs() -> u64 {
        THREAD_ALLOCS.try_with(Cell::get).unwrap_or(0)
    }

    /// Allocations made by every thread since `enable_global`.
    pub fn global_allocs() -> u64 {
        ALLOCS.load(Ordering::Relaxed)
    }

    /// Bytes allocated and not yet freed since `enable_global`.
    pub fn live_bytes() -> i64 {
        LIVE_BYTES.load(Ordering::Relaxed)
    }

    #[inline]
    fn counted(grow: i64) {
        let _ = THREAD_ALLOCS.try_with(|c| c.set(c.get() + 1));
        if GLOBAL_ON.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            LIVE_BYTES.fetch_add(grow, Ordering::Relaxed);
        }
    }
}

/// `XerialAllocator.allocate`: `System`'s, counted.
unsafe extern "C" fn allocate(_: *mut c_void, size: usize, alignment: usize) -> *mut c_void {
    Counting::counted(size as i64);
    unsafe { System.alloc(Layout::from_size_align_unchecked(size, alignment)) }.cast()
}

/// `XerialAllocator.reallocate`: `System`'s (a block grows in place where it can), counted.
unsafe extern "C" fn reallocate(
    _: *mut c_void,
    block: *mut c_void,
    old_size: usize,
    new_size: usize,
    alignment: usize,
) -> *mut c_void {
    Counting::counted(new_size as i64 - old_size as i64);
    let layout = unsafe { Layout::from_size_align_unchecked(old_size, alignment) };
    unsafe { System.realloc(block.cast(), layout, new_size) }.cast()
}

/// `XerialAllocator.release`: `System`'s, counted.
unsafe extern "C" fn release(_: *mut c_void, block: *mut c_void, size: usize, alignment: usize) {
    if GLOBAL_ON.load(Ordering::Relaxed) {
        LIVE_BYTES.fetch_sub(size as i64, Ordering::Relaxed);
    }
    unsafe {
        System.dealloc(
            block.cast(),
            Layout::from_size_align_unchecked(size, alignment),
        )
    }
}

// The counting allocator is the SDK's heap, which is this program's whole Rust heap: it counts
// the SDK and the other Rust clients alike, as an engine's allocator would serve the SDK.
install_before_main!(allocate: allocate, reallocate: Some(reallocate), release: release);

/// Prints one result line: `R key value`. `scripts/bench.sh` collects these.
pub fn emit(key: &str, value: f64) {
    println!("R {key} {value}");
}

/// The `p`-th percentile (0–100) of sorted samples; 0 for none.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Median of unsorted values.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn status_field(name: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Resident set size in KiB.
pub fn rss_kib() -> u64 {
    status_field("VmRSS:")
}

/// Peak resident set size in KiB.
pub fn peak_rss_kib() -> u64 {
    status_field("VmHWM:")
}

/// Threads of this process.
pub fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |dir| dir.count())
}

/// CPU time (ns, from schedstat) and context switches summed over every thread of the process
/// except the calling one.
pub fn other_threads_cpu_and_switches() -> (u64, u64) {
    let me = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let mut cpu = 0;
    let mut switches = 0;
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return (0, 0);
    };
    for task in dir.flatten() {
        if task.file_name().to_string_lossy() == me {
            continue;
        }
        let path = task.path();
        if let Ok(text) = std::fs::read_to_string(path.join("schedstat")) {
            cpu += text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
        if let Ok(text) = std::fs::read_to_string(path.join("status")) {
            for line in text.lines() {
                if let Some(rest) = line
                    .strip_prefix("voluntary_ctxt_switches:")
                    .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
                {
                    switches += rest.trim().parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    (cpu, switches)
}

/// Context switches of the calling thread: (voluntary, involuntary). An involuntary one means
/// the thread was preempted, e.g. by a thread it woke up.
pub fn my_switches() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/thread-self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().parse().ok())
            .unwrap_or(0)
    };
    (
        field("voluntary_ctxt_switches:"),
        field("nonvoluntary_ctxt_switches:"),
    )
}

/// Thread ids of this process whose name starts with `prefix`.
pub fn threads_named(prefix: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.starts_with(prefix))
        })
        .map(|task| task.file_name().to_string_lossy().into_owned())
        .collect()
}

/// One request to the offline server's admin API (`Connection: close`, blocking).
/// Returns the status and the body.
pub fn admin(base: &str, method: &str, path: &str, body: &str) -> Result<(u16, String), String> {
    let host = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http:// URL: {base}"))?
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no HTTP status in {answer:?}"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// How many `method path` requests the offline server has counted.
pub fn request_count(base: &str, method: &str, path: &str) -> u64 {
    admin(
        base,
        "GET",
        &format!("/_mock/requests?method={method}&path={path}"),
        "",
    )
    .ok()
    .and_then(|(_, body)| {
        let digits: String = body
            .split("\"count\":")
            .nth(1)?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
    .unwrap_or(0)
}
