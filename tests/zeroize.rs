//! What stays of a player's tokens in the process after logout and shutdown (issue 12, defect 6).
//!
//! The audit scanned the process's writable memory after `xerial_session_clear` and
//! `xerial_shutdown` and found 3–9 copies of a token. This test does the same through the C ABI —
//! log in, make Bearer calls, refresh, clear, shut down — then reads every writable mapping of the
//! process (`/proc/self/mem`) and counts the tokens it finds.
//!
//! Two measures, with an allocator of the test's own:
//! * **freed unwiped**: before the allocator frees a block it looks for the tokens in it. A block
//!   that still holds one was freed without being wiped. The SDK wipes every copy it makes
//!   (strings, the `Authorization` header, request bodies with tokens, answers it owns), so no
//!   small block may hold one; the large ones are the HTTP client's connection buffers (hyper's
//!   read and write buffers, rustls's records), which the SDK cannot reach (README).
//! * **held**: the allocator then wipes every freed block, so what the final scan of memory finds
//!   is a copy still alive after `xerial_session_clear` + `xerial_shutdown`: there must be none.
//!
//! The offline server runs in a child process, so its copies are not in the scan. Linux only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_char, c_void, CString};
use std::io::{Read, Seek, SeekFrom};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI32, AtomicU8, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use xerial::*;

#[macro_use]
#[path = "support/host_heap.rs"]
mod host_heap;

// The test's allocator (`allocate`, `release`): it looks for the registered tokens in every block
// it frees, then wipes it. It never allocates itself.

/// Blocks under this size that held a token when freed: copies made by the SDK or the HTTP
/// client's request building (must be none). Larger ones: connection buffers.
const LARGE_BLOCK: usize = 4096;
static FREED_SMALL: AtomicUsize = AtomicUsize::new(0);
static FREED_LARGE: AtomicUsize = AtomicUsize::new(0);
static SMALLEST_SIZE: AtomicUsize = AtomicUsize::new(usize::MAX);
/// Up to four masked 32-byte needles, and how many are set.
static NEEDLES: [AtomicU8; 4 * NEEDLE] = [const { AtomicU8::new(0) }; 4 * NEEDLE];
static NEEDLE_COUNT: AtomicUsize = AtomicUsize::new(0);
const NEEDLE: usize = 32;

fn holds_a_token(block: &[u8]) -> bool {
    let count = NEEDLE_COUNT.load(Ordering::Acquire);
    (0..count).any(|n| {
        let needle = &NEEDLES[n * NEEDLE..(n + 1) * NEEDLE];
        let first = needle[0].load(Ordering::Relaxed) ^ MASK;
        block.windows(NEEDLE).any(|window| {
            window[0] == first
                && window
                    .iter()
                    .zip(needle)
                    .all(|(b, m)| *b == m.load(Ordering::Relaxed) ^ MASK)
        })
    })
}

unsafe extern "C" fn allocate(_: *mut c_void, size: usize, alignment: usize) -> *mut c_void {
    unsafe { System.alloc(Layout::from_size_align_unchecked(size, alignment)) }.cast()
}

unsafe extern "C" fn release(_: *mut c_void, block: *mut c_void, size: usize, alignment: usize) {
    let block = block.cast::<u8>();
    unsafe {
        let bytes = std::slice::from_raw_parts(block, size);
        if NEEDLE_COUNT.load(Ordering::Acquire) > 0 && holds_a_token(bytes) {
            if size < LARGE_BLOCK {
                FREED_SMALL.fetch_add(1, Ordering::Relaxed);
                // To see who freed it: libc::backtrace + backtrace_symbols_fd(…, 2) here
                // (neither allocates), then addr2line.
                SMALLEST_SIZE.fetch_min(size, Ordering::Relaxed);
            } else {
                FREED_LARGE.fetch_add(1, Ordering::Relaxed);
            }
        }
        for i in 0..size {
            std::ptr::write_volatile(block.add(i), 0);
        }
        System.dealloc(block, Layout::from_size_align_unchecked(size, alignment));
    }
}

// The test's allocator is the SDK's heap, which is this program's whole Rust heap: every block
// the SDK, the HTTP client or the test frees passes through `release`. No `reallocate`: the SDK
// then allocates, copies and releases, so every old block of a growth is looked at and wiped too.
install_before_main!(allocate: allocate, reallocate: None, release: release);

/// The code of the last callback (the test polls on one thread).
static LAST: AtomicI32 = AtomicI32::new(-1);

unsafe extern "C" fn on_result(_: *mut c_void, result: *const XerialResult) {
    LAST.store(unsafe { (*result).code }, Ordering::SeqCst);
}

fn wait(id: u64, what: &str) {
    assert_ne!(id, 0, "{what}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while LAST.load(Ordering::SeqCst) < 0 && Instant::now() < deadline {
        xerial_poll(0);
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(LAST.swap(-1, Ordering::SeqCst), XERIAL_OK, "{what}");
}

/// A token to look for, kept masked so that the scan does not find the test's own copy.
struct Needle(Vec<u8>);

const MASK: u8 = 0x5a;

impl Needle {
    /// A 32-byte piece from the middle of `token` (copies of any part of it count).
    fn from(token: &[u8]) -> Needle {
        let start = token.len() / 2 - 16;
        Needle(token[start..start + 32].iter().map(|b| b ^ MASK).collect())
    }

    fn count_in(&self, haystack: &[u8]) -> usize {
        let first = self.0[0] ^ MASK;
        let mut found = 0;
        let mut i = 0;
        while i + self.0.len() <= haystack.len() {
            if haystack[i] == first
                && self
                    .0
                    .iter()
                    .zip(&haystack[i..])
                    .all(|(n, h)| n ^ MASK == *h)
            {
                found += 1;
                i += self.0.len();
            } else {
                i += 1;
            }
        }
        found
    }
}

/// Copies of each needle in the process's writable memory, and where (mapping names).
fn scan(needles: &[Needle]) -> (Vec<usize>, Vec<String>) {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
    let mut mem = std::fs::File::open("/proc/self/mem").expect("mem");
    let mut counts = vec![0; needles.len()];
    let mut places = Vec::new();
    let mut buffer = Vec::new();
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = fields.nth(3).unwrap_or("[anon]");
        if !perms.starts_with("rw") || name == "[vvar]" {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let (start, end) = (
            u64::from_str_radix(start, 16).unwrap(),
            u64::from_str_radix(end, 16).unwrap(),
        );
        buffer.clear();
        buffer.resize((end - start) as usize, 0);
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut buffer).is_err() {
            continue;
        }
        for (i, needle) in needles.iter().enumerate() {
            let n = needle.count_in(&buffer);
            if n > 0 {
                counts[i] += n;
                places.push(format!("{n} in {range} {name}"));
            }
        }
    }
    buffer.iter_mut().for_each(|b| *b = 0);
    (counts, places)
}

fn main() {
    if std::env::var_os("XERIAL_ZEROIZE_MOCK").is_some() {
        // The child: the offline server and one session of its, until the parent closes stdin.
        let server = xerial_mock::MockServer::start();
        println!("{}\n{}", server.url(), server.create_session());
        let _ = std::io::stdin().read(&mut [0u8; 1]);
        return;
    }
    if !cfg!(target_os = "linux") {
        println!("zeroize: skipped (reads /proc/self/mem)\n0 passed, 0 failed");
        return;
    }
    assert_eq!(installed(), XERIAL_OK, "xerial_set_allocator before main");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env("XERIAL_ZEROIZE_MOCK", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the offline server");
    // Read without a buffered reader: every copy of the session's tokens is the test's to wipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut said = vec![0u8; 8192];
    let mut len = 0;
    while said[..len].iter().filter(|&&b| b == b'\n').count() < 2 {
        len += stdout
            .read(&mut said[len..])
            .expect("the server's two lines");
    }
    let lines: Vec<&[u8]> = said[..len].split(|&b| b == b'\n').collect();
    let url = CString::new(lines[0]).unwrap();
    let mut needles = token_needles(lines[1]);
    let session = CString::new(lines[1]).unwrap();
    wipe(&mut said);

    let dir = std::env::temp_dir().join(format!("xerial-zeroize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = CString::new(dir.join("session.json").to_str().unwrap()).unwrap();
    let project = CString::new(xerial_mock::DEMO_PROJECT_ID).unwrap();
    let init = || {
        let mut config = std::mem::MaybeUninit::<XerialConfig>::uninit();
        unsafe { xerial_config_init(config.as_mut_ptr(), std::mem::size_of::<XerialConfig>()) };
        let mut config = unsafe { config.assume_init() };
        config.base_url = url.as_ptr();
        config.project_id = project.as_ptr();
        config.session_path = file.as_ptr();
        assert_eq!(unsafe { xerial_init(&config) }, XERIAL_OK);
    };
    init();
    assert_eq!(unsafe { xerial_session_set(session.as_ptr()) }, XERIAL_OK);
    let mut session = session.into_bytes();
    wipe(&mut session);

    // Calls as the player (Bearer), the escape hatch, a refresh (a second pair), a restart that
    // loads the session file, and the end of the session.
    let player = c"0x1111111111111111111111111111111111111111";
    let cb = Some(on_result as unsafe extern "C" fn(*mut c_void, *const XerialResult));
    let null = std::ptr::null_mut();
    wait(xerial_user_get(cb, null), "user");
    wait(
        unsafe {
            xerial_request(
                c"GET".as_ptr(),
                c"/api/user".as_ptr(),
                std::ptr::null(),
                1,
                cb,
                null,
            )
        },
        "request",
    );
    wait(
        unsafe { xerial_wallet_native_balance(player.as_ptr(), c"polygon".as_ptr(), cb, null) },
        "balance",
    );
    wait(xerial_refresh(cb, null), "refresh");
    needles.extend(session_needles());
    wait(xerial_user_get(cb, null), "user after refresh");
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    init();
    assert_eq!(
        xerial_auth_state(),
        XERIAL_AUTH_LOGGED_IN,
        "restored from the file"
    );
    wait(xerial_user_get(cb, null), "user after restart");
    let (while_logged_in, _) = scan(&needles);

    // Logout sends the refresh token in its body, and clears the session at once.
    wait(
        unsafe { xerial_logout(std::ptr::null(), cb, null) },
        "logout",
    );
    assert_eq!(xerial_session_clear(), XERIAL_OK);
    assert_eq!(xerial_shutdown(), XERIAL_OK);
    // Connections close on the SDK's runtime thread shortly after the client is dropped.
    let deadline = Instant::now() + Duration::from_secs(3);
    let (held, places) = loop {
        let (counts, places) = scan(&needles);
        if counts.iter().all(|&n| n == 0) || Instant::now() > deadline {
            break (counts, places);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(child.stdin.take());
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let (small, large) = (
        FREED_SMALL.load(Ordering::SeqCst),
        FREED_LARGE.load(Ordering::SeqCst),
    );
    println!(
        "held while logged in (access, refresh, then the refreshed pair's): {while_logged_in:?}"
    );
    println!("held after logout + xerial_session_clear + xerial_shutdown: {held:?} {places:?}");
    println!(
        "blocks freed still holding a token: {small} under {LARGE_BLOCK} bytes (smallest {}), {large} larger (connection buffers)",
        SMALLEST_SIZE.load(Ordering::SeqCst)
    );
    assert!(
        while_logged_in[2] > 0 && while_logged_in[3] > 0,
        "the scan finds a live session"
    );
    assert_eq!(
        held.iter().sum::<usize>(),
        0,
        "token copies still held after clear + shutdown: {places:?}"
    );
    assert_eq!(
        small, 0,
        "small blocks freed without being wiped still held a token"
    );
    println!("3 passed, 0 failed");
}

fn wipe(bytes: &mut [u8]) {
    bytes
        .iter_mut()
        .for_each(|b| unsafe { std::ptr::write_volatile(b, 0) });
}

/// Needles for the access and refresh tokens of a token pair JSON, registered with the allocator.
fn token_needles(json: &[u8]) -> Vec<Needle> {
    let token = |key: &[u8]| -> Needle {
        let at = json.windows(key.len()).position(|w| w == key).unwrap() + key.len();
        let at = at
            + json[at..]
                .windows(9)
                .position(|w| w == b"\"token\":\"")
                .unwrap()
            + 9;
        let end = at + json[at..].iter().position(|&b| b == b'"').unwrap();
        let needle = Needle::from(&json[at..end]);
        let slot = NEEDLE_COUNT.load(Ordering::Acquire);
        for (i, byte) in needle.0.iter().enumerate() {
            NEEDLES[slot * NEEDLE + i].store(*byte, Ordering::Relaxed);
        }
        NEEDLE_COUNT.store(slot + 1, Ordering::Release);
        needle
    };
    vec![token(b"\"access\""), token(b"\"refresh\"")]
}

/// Needles for the current session's tokens (read with `xerial_session_get`, then wiped).
fn session_needles() -> Vec<Needle> {
    let mut buffer = vec![0u8; 8192];
    let mut len = 0usize;
    assert_eq!(
        unsafe { xerial_session_get(buffer.as_mut_ptr().cast::<c_char>(), buffer.len(), &mut len) },
        XERIAL_OK
    );
    let needles = token_needles(&buffer[..len - 1]);
    wipe(&mut buffer);
    needles
}
