//! Every type and constant of the C ABI (contract §1–§5, §7).

use std::ffi::{c_char, c_void};

/// `major << 16 | minor` of the ABI this library implements: 1.4.
///
/// Bindings compare it with `xerial_abi_version()` when they load and refuse to run on a major
/// mismatch. Minor versions only add functions, codes and trailing struct fields. 1.1 appended
/// `extra_root_ca_pem` and `proxy_url` to `XerialConfig`; 1.2 appended `oauth_authorize_url`,
/// `oauth_token_url`, `transport` and `run_mode`; 1.3 appended `session_store` and
/// `session_host`; 1.4 added `xerial_set_allocator`.
pub const XERIAL_ABI_VERSION: u32 = (1 << 16) | 4;

/// Identifies one asynchronous call. Unique for the life of the process, never reused (not even
/// across `xerial_shutdown` → `xerial_init`); 0 is never a valid id.
pub type XerialRequestId = u64;

/// Success (2xx).
pub const XERIAL_OK: i32 = 0;
/// Bad input to an `xerial_*` call, or configuration the call needs is missing.
pub const XERIAL_E_INVALID_ARGUMENT: i32 = 1;
/// Returned by synchronous calls before `xerial_init`.
pub const XERIAL_E_NOT_INITIALIZED: i32 = 2;
/// `xerial_init` called twice without `xerial_shutdown`.
pub const XERIAL_E_ALREADY_INITIALIZED: i32 = 3;
/// The call needs a player session and there is none.
pub const XERIAL_E_NOT_LOGGED_IN: i32 = 4;
/// `xerial_cancel` stopped the request before anything ran.
pub const XERIAL_E_CANCELLED: i32 = 5;
/// The request was in flight when `xerial_shutdown` ran.
pub const XERIAL_E_SHUTDOWN: i32 = 6;
/// A caller buffer cannot hold the answer; the size needed is reported.
pub const XERIAL_E_BUFFER_TOO_SMALL: i32 = 7;
/// (ABI 1.2) The player or the identity provider refused a sign-in: Google's
/// `error=access_denied`, a wallet's 4001, or another `error` the provider answered with
/// (`message` carries it).
pub const XERIAL_E_DENIED: i32 = 8;
/// (ABI 1.2) Not possible in this build or on this platform (e.g. sign-in in the WebAssembly
/// build, which has no loopback listener).
pub const XERIAL_E_UNAVAILABLE: i32 = 9;
/// DNS, connect, TLS or transport failure.
pub const XERIAL_E_NETWORK: i32 = 10;
/// The call's deadline (`timeout_ms`) passed.
pub const XERIAL_E_TIMEOUT: i32 = 11;
/// A value-moving request may have reached the server and no answer came back. Never retried
/// automatically: the game decides.
pub const XERIAL_E_OUTCOME_UNKNOWN: i32 = 12;
/// HTTP 400 (e.g. `"Auth Failed"`).
pub const XERIAL_E_BAD_REQUEST: i32 = 20;
/// HTTP 401 (`"Please Authenticate"`).
pub const XERIAL_E_UNAUTHORIZED: i32 = 21;
/// HTTP 403.
pub const XERIAL_E_FORBIDDEN: i32 = 22;
/// HTTP 404 (`"Not Found"`, `"Wallet Not Found"`, `"Nonce Not Found"`); also `xerial_cancel` of an
/// unknown id.
pub const XERIAL_E_NOT_FOUND: i32 = 23;
/// HTTP 405 (non-custodial wallet).
pub const XERIAL_E_NOT_SUPPORTED: i32 = 24;
/// HTTP 412 (`"You Don't Have This NFT"`).
pub const XERIAL_E_PRECONDITION_FAILED: i32 = 25;
/// HTTP 429.
pub const XERIAL_E_RATE_LIMITED: i32 = 26;
/// Any other non-2xx status below 500 (redirects are not followed: a 3xx lands here).
pub const XERIAL_E_HTTP: i32 = 27;
/// HTTP 5xx.
pub const XERIAL_E_SERVER: i32 = 30;
/// A 2xx answer that is not JSON, not of the documented shape, or over 8 MiB.
pub const XERIAL_E_DECODE: i32 = 31;
/// A caught panic or a bug.
pub const XERIAL_E_INTERNAL: i32 = 99;

/// Callbacks are queued and run only inside `xerial_poll`, on the thread that calls it (default).
pub const XERIAL_DISPATCH_POLL: u32 = 0;
/// Callbacks run on an SDK worker thread as soon as a result is ready. Keep them short: while
/// one runs, that worker serves no other request (with the default single worker, none at all).
pub const XERIAL_DISPATCH_IMMEDIATE: u32 = 1;

/// Log level: errors.
pub const XERIAL_LOG_ERROR: i32 = 1;
/// Log level: warnings.
pub const XERIAL_LOG_WARN: i32 = 2;
/// Log level: information.
pub const XERIAL_LOG_INFO: i32 = 3;
/// Log level: debugging detail.
pub const XERIAL_LOG_DEBUG: i32 = 4;
/// Log level: everything.
pub const XERIAL_LOG_TRACE: i32 = 5;

/// No player session.
pub const XERIAL_AUTH_LOGGED_OUT: i32 = 0;
/// A player session is held.
pub const XERIAL_AUTH_LOGGED_IN: i32 = 1;

/// The outcome of one asynchronous call, handed to its `XerialCallback`.
///
/// Everything it points to is **borrowed**: valid only until the callback returns. Copy what
/// you keep. The caller never frees anything the library allocated.
#[repr(C)]
#[derive(Debug)]
pub struct XerialResult {
    /// The id the call returned.
    pub request_id: XerialRequestId,
    /// An `XERIAL_OK`/`XERIAL_E_*` code. Bindings must tolerate values they do not know.
    pub code: i32,
    /// The HTTP status received, 0 when no HTTP response was received.
    pub http_status: i32,
    /// Never NULL; UTF-8, NUL-terminated. `""` on success; otherwise the server's `message` when it
    /// sent one (e.g. `"Not Found"`), or a short reason. Never contains a token.
    pub message: *const c_char,
    /// Never NULL; UTF-8, NUL-terminated. On success the canonical JSON documented on the function
    /// (`""` when the endpoint answers no content); on an HTTP error the server's JSON error body
    /// (e.g. `{"code":404,"message":"Not Found"}`) or `""`.
    pub body: *const c_char,
    /// Length of `body` in bytes, without the NUL.
    pub body_len: usize,
    /// The server's `Retry-After` in milliseconds, 0 when none.
    pub retry_after_ms: u32,
    /// 1 when repeating the same call later may succeed (`NETWORK`, `TIMEOUT`, `RATE_LIMITED`,
    /// `SERVER`; for value-moving calls only when nothing ran for sure), else 0.
    pub retryable: u8,
}

/// Completion callback of every asynchronous call.
///
/// Runs exactly once per non-zero request id: inside `xerial_poll` on the polling thread
/// (`XERIAL_DISPATCH_POLL`), or on an SDK worker thread (`XERIAL_DISPATCH_IMMEDIATE`), or inside
/// `xerial_shutdown` for calls still owed then. `result` and everything it points to are borrowed
/// until the callback returns. The callback may call any `xerial_*` function.
pub type XerialCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, result: *const XerialResult)>;

/// Log callback: `message` is borrowed (UTF-8, NUL-terminated) until the callback returns.
/// May be invoked from any thread, concurrently; must not call `xerial_set_log_callback`.
pub type XerialLogCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, level: i32, message: *const c_char)>;

/// Auth listener: `state` is `XERIAL_AUTH_LOGGED_IN` or `XERIAL_AUTH_LOGGED_OUT`. Runs where
/// request callbacks run (see `XerialCallback`).
pub type XerialAuthCallback = Option<unsafe extern "C" fn(user_data: *mut c_void, state: i32)>;

/// Configuration of `xerial_init`. Fill it with `xerial_config_init(&config, sizeof config)`
/// first, then change what you need. Strings are copied by `xerial_init`; the caller may free
/// them when it returns.
///
/// ABI evolution: later minor versions only append 8-byte members, whose zero value is always
/// their default. `struct_size` says how many bytes the caller has: the library reads only the
/// fields that fit, and refuses (`XERIAL_E_INVALID_ARGUMENT`) a struct from a newer header that
/// sets a field it does not know.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialConfig {
    /// `sizeof(XerialConfig)` as the caller compiled it.
    pub struct_size: u32,
    /// Wallet host, default `"https://wallet.xerial.io"` (NULL means that); staging is
    /// `"https://wallet.staging.xerial.io"`. A path prefix is kept, a trailing slash ignored.
    pub base_url: *const c_char,
    /// Host of the marketplace/collections API (not published by Xerial); NULL: none, and the
    /// calls that need it answer `XERIAL_E_INVALID_ARGUMENT`.
    pub marketplace_url: *const c_char,
    /// The studio's project id, used by calls that need it; NULL: none.
    pub project_id: *const c_char,
    /// Whole-call deadline in milliseconds, retries included; 0 means the default, 30000. It
    /// also covers waiting for a connection: at most 64 requests are on the wire at once, the
    /// rest wait their turn (one that times out while waiting was not sent: `XERIAL_E_TIMEOUT`).
    pub timeout_ms: u32,
    /// Connection deadline in milliseconds; 0 means the default, 10000.
    pub connect_timeout_ms: u32,
    /// Runtime worker threads, created once per process by the first `xerial_init`; 0 means 1.
    pub worker_threads: u32,
    /// `XERIAL_DISPATCH_POLL` (default) or `XERIAL_DISPATCH_IMMEDIATE`.
    pub dispatch: u32,
    /// Automatic retries for requests that are safe to repeat; 0 means none. Default 2.
    pub max_retries: u32,
    /// File the session is kept in, as plain JSON (mode 0600 on Unix); NULL: none. With the
    /// default `session_store` a non-NULL path keeps today's behaviour (the session in that
    /// file); with `XERIAL_SESSION_STORE_PROTECTED` a session found in it is moved into the OS's
    /// protected store and the file removed. Choose a per-user folder, never one inside the game
    /// or its project (a build would ship the developer's session).
    pub session_path: *const c_char,
    /// 1 allows plain `http://` to hosts other than loopback. Default 0.
    pub allow_insecure_http: u8,
    /// (ABI 1.1) PEM certificates (one or more) trusted in addition to the bundled web PKI roots,
    /// e.g. a studio's test CA; NULL: none. Copied by `xerial_init`.
    pub extra_root_ca_pem: *const c_char,
    /// (ABI 1.1) Proxy for every request, `http://host:port` (credentials as
    /// `http://user:pass@host:port`); NULL: direct connections (environment variables such as
    /// `HTTPS_PROXY` are ignored, so behaviour never depends on the machine). Copied by `xerial_init`.
    pub proxy_url: *const c_char,
    /// (ABI 1.2) Authorization endpoint for Google sign-in; NULL:
    /// `"https://accounts.google.com/o/oauth2/v2/auth"`. `base_url`'s rules (plain `http://` only
    /// to loopback), so the offline server can play Google. Copied by `xerial_init`.
    pub oauth_authorize_url: *const c_char,
    /// (ABI 1.2) Token endpoint for Google sign-in; NULL: `"https://oauth2.googleapis.com/token"`.
    /// Same rules as `oauth_authorize_url`. Copied by `xerial_init`.
    pub oauth_token_url: *const c_char,
    /// (ABI 1.2) The host's HTTP transport (a console's certified stack, the engine's, the
    /// browser's `fetch`): every request is handed to it instead of being sent by the SDK; NULL:
    /// the built-in one (reqwest + rustls; none in the WebAssembly build). The struct is copied by
    /// `xerial_init`; its functions and `user_data` must stay valid until `xerial_shutdown`
    /// returns. With one, `extra_root_ca_pem` and `proxy_url` are ignored (logged).
    pub transport: *const XerialTransport,
    /// (ABI 1.2) `XERIAL_RUN_THREADS` (0, default) or `XERIAL_RUN_IN_POLL` (1): no thread, every
    /// request, timer and retry advances inside `xerial_poll` (so nothing is sent until the game
    /// polls). `XERIAL_RUN_IN_POLL` needs `XERIAL_DISPATCH_POLL` and, outside WebAssembly, a host
    /// transport; the WebAssembly build needs both a host transport and `XERIAL_RUN_IN_POLL`.
    pub run_mode: u64,
    /// (ABI 1.3) Where the session is kept between runs: `XERIAL_SESSION_STORE_DEFAULT` (0),
    /// `_PROTECTED`, `_FILE`, `_MEMORY` or `_HOST`. See those constants.
    pub session_store: u64,
    /// (ABI 1.3) The host's session store, with `XERIAL_SESSION_STORE_HOST` (and only then);
    /// NULL otherwise. Copied by `xerial_init` (the struct, not what its `user_data` points to).
    pub session_host: *const XerialSessionStore,
}

/// The default: the `session_path` file when that is set (plain JSON, as before ABI 1.3), else
/// the OS's protected store (`XERIAL_SESSION_STORE_PROTECTED`). In the WebAssembly build, which
/// has no protected store, memory (every page load starts logged out; logged): to keep a session
/// there, use `XERIAL_SESSION_STORE_HOST` (e.g. the browser's `localStorage`) or a `session_path`
/// on an IDBFS mount the game syncs (Emscripten's file system is otherwise in memory).
pub const XERIAL_SESSION_STORE_DEFAULT: u64 = 0;
/// The OS's protected store, per user and keyed by `project_id` and `base_url` (staging and
/// production sessions never mix), never inside the game's folder: the Keychain on macOS and
/// iOS (generic password, service `io.xerial.session`); the Secret Service on Linux when one
/// answers on the session D-Bus, else a 0600 file under `$XDG_DATA_HOME/xerial/sessions/` (a log
/// record says which); a DPAPI-encrypted file in the `Xerial` folder of `%LOCALAPPDATA%` on
/// Windows; the app's private storage on Android. It is read on a background thread:
/// `xerial_init` waits for it at most 250 ms, after which `xerial_auth_state` reports logged out
/// until the stored session arrives (then the auth listener hears `XERIAL_AUTH_LOGGED_IN`, unless
/// the session changed meanwhile). Changes are written in the background, in order, the latest
/// last; `xerial_shutdown` waits at most 1 s for the last one. With `XERIAL_RUN_IN_POLL` no thread
/// is started for it: `xerial_init` reads it on its own thread and waits for the answer, changes
/// are written inside `xerial_poll` (on the polling thread) and the last one inside
/// `xerial_shutdown`; a locked keyring's unlock prompt or a Keychain prompt then waits on that
/// thread. A store that cannot be read (a locked keyring, a blob that does not decrypt) is logged
/// and means no session. With `session_path` set, a session in that plain file is moved in and
/// the file removed. The WebAssembly build has none: memory, with a warning in the log.
pub const XERIAL_SESSION_STORE_PROTECTED: u64 = 1;
/// Plain JSON in the `session_path` file (required), mode 0600 on Unix, replaced atomically and
/// written before the call that changed the session returns (a login: before its callback).
pub const XERIAL_SESSION_STORE_FILE: u64 = 2;
/// Memory only: every start begins logged out. `session_path` must be NULL.
pub const XERIAL_SESSION_STORE_MEMORY: u64 = 3;
/// The host's store: `session_host` (required). `session_path` must be NULL.
pub const XERIAL_SESSION_STORE_HOST: u64 = 4;

/// A session store the host implements (console save data, a game's own encrypted storage),
/// for `XERIAL_SESSION_STORE_HOST`. What it stores is the token pair JSON: a secret.
///
/// Threads: `load` runs once, inside `xerial_init`, on its thread. `save` and `remove` run where
/// request callbacks run: inside `xerial_poll` on the polling thread (counted in its return
/// value) in poll mode, on an SDK worker in immediate mode, and inside `xerial_shutdown` for a
/// change not yet written. They never run two at a time, never under an SDK lock, and may call
/// any `xerial_*` function (a session change they make is written by a later call). Each returns
/// an `XERIAL_*` code; any code but the documented ones is a failure, logged (never with the
/// session) and otherwise ignored. `user_data` must stay valid until `xerial_shutdown` returns.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialSessionStore {
    /// `sizeof(XerialSessionStore)` as the caller compiled it.
    pub struct_size: u32,
    /// Handed back to every callback.
    pub user_data: *mut c_void,
    /// Copies the stored session into `buf` (`cap` bytes, owned by the SDK, valid until the call
    /// returns) and sets `*out_len` to its length in bytes (no NUL needed). Returns `XERIAL_OK`;
    /// `XERIAL_E_NOT_FOUND` when nothing is stored; `XERIAL_E_BUFFER_TOO_SMALL` with `*out_len`
    /// set to the size needed when `cap` is too small: the SDK calls once more with a buffer that
    /// large (at most 65536 bytes). The SDK wipes `buf` after reading it.
    pub load: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            buf: *mut u8,
            cap: usize,
            out_len: *mut usize,
        ) -> i32,
    >,
    /// Replaces the stored session with `json` (`len` bytes, NUL-terminated, borrowed until the
    /// call returns). Returns `XERIAL_OK`, or a failure code.
    pub save: Option<
        unsafe extern "C" fn(user_data: *mut c_void, json: *const c_char, len: usize) -> i32,
    >,
    /// Removes the stored session. Returns `XERIAL_OK` (also when nothing was stored) or
    /// `XERIAL_E_NOT_FOUND`, or a failure code.
    pub remove: Option<unsafe extern "C" fn(user_data: *mut c_void) -> i32>,
}

/// The SDK runs its work on its own runtime threads (default).
pub const XERIAL_RUN_THREADS: u64 = 0;
/// The SDK starts no thread: every request, timer and delivery advances inside `xerial_poll`, on
/// the calling thread. Needs `XERIAL_DISPATCH_POLL`.
pub const XERIAL_RUN_IN_POLL: u64 = 1;

/// One HTTP header, borrowed for the duration of the call that hands it over.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialHttpHeader {
    /// NUL-terminated header name.
    pub name: *const c_char,
    /// NUL-terminated header value.
    pub value: *const c_char,
}

/// One HTTP exchange the SDK asks a host transport to perform. It and everything it points to are
/// borrowed until `send` returns: copy what you keep. Send exactly this request, once, and do
/// not follow redirects.
#[repr(C)]
#[derive(Debug)]
pub struct XerialHttpRequest {
    /// Names this exchange in `xerial_http_complete` / `xerial_http_fail`.
    pub handle: u64,
    /// `"GET"`, `"POST"`, … (NUL-terminated).
    pub method: *const c_char,
    /// Absolute URL (NUL-terminated).
    pub url: *const c_char,
    /// `header_count` headers to send.
    pub headers: *const XerialHttpHeader,
    /// Number of `headers`.
    pub header_count: usize,
    /// `body_len` bytes of body (NULL when `body_len` is 0).
    pub body: *const u8,
    /// Length of `body`.
    pub body_len: usize,
    /// What is left of the call's deadline, in milliseconds. The SDK keeps the deadline itself (it
    /// answers the call and cancels the handle when it passes): a host timer must not be shorter.
    pub timeout_ms: u32,
}

/// `XerialTransport.send`: starts one exchange and returns without waiting for it (never blocks).
/// `request` and everything it points to are borrowed until it returns: copy what you keep. The
/// host answers `request->handle` exactly once, with `xerial_http_complete` or `xerial_http_fail`,
/// from any thread, later or from inside this call. Called on an SDK worker thread
/// (`XERIAL_RUN_THREADS`) or inside `xerial_poll` on the polling thread (`XERIAL_RUN_IN_POLL`),
/// never while the SDK holds a lock: it may call any `xerial_*` function. Must not unwind (no C++
/// exception may leave it). The host must not send the request twice (a stack that repeats a
/// request on a dead keep-alive connection must not do so for anything but GET).
pub type XerialHttpSendCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, request: *const XerialHttpRequest)>;

/// `XerialTransport.cancel`: the SDK stopped waiting for `handle` (its deadline passed, the call
/// was cancelled, or the SDK shuts down; `xerial_shutdown` calls it for every open handle before
/// it returns). A hint: stop the exchange if you can; an answer that still comes is refused
/// (`XERIAL_E_NOT_FOUND`). Called where `send` is, or on the thread calling `xerial_shutdown`,
/// never for a handle whose `send` has not returned.
pub type XerialHttpCancelCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, handle: u64)>;

/// A host-supplied HTTP transport (a console's certified stack, Unity's `UnityWebRequest`,
/// Unreal's `FHttpModule`, the browser's `fetch`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialTransport {
    /// `sizeof(XerialTransport)` as the caller compiled it.
    pub struct_size: u32,
    /// Handed back to `send` and `cancel`.
    pub user_data: *mut c_void,
    /// Starts one exchange (must not be NULL).
    pub send: XerialHttpSendCallback,
    /// Asks the host to stop an exchange (may be NULL: the SDK stops waiting either way).
    pub cancel: XerialHttpCancelCallback,
}

/// A host transport failure where nothing left the device (no connection, DNS, refused): safe
/// to retry.
pub const XERIAL_HTTP_NOT_SENT: i32 = 0;
/// A host transport failure after which the request may have been sent (including "cannot
/// tell").
pub const XERIAL_HTTP_MAYBE_SENT: i32 = 1;

/// (ABI 1.2) Sign in with Google: the OAuth 2.0 code flow with PKCE (S256) and `state` in the
/// system browser, then `POST /api/auth/google`.
pub const XERIAL_SIGNIN_GOOGLE: i32 = 1;
/// (ABI 1.2) Sign in with a browser wallet: an EIP-1193 wallet (MetaMask or another) in the
/// player's browser signs the nonce, then `POST /api/auth/metamask`.
pub const XERIAL_SIGNIN_BROWSER_WALLET: i32 = 2;

/// (ABI 1.2) Opens `url` in the player's system browser (Unity `Application.OpenURL`, Unreal
/// `FPlatformProcess::LaunchURL`; never an embedded webview, which Google refuses). Called once
/// per sign-in, where request callbacks run (inside `xerial_poll` in poll mode, so on the game
/// thread). `url` is borrowed until it returns; it may call any `xerial_*` function.
pub type XerialOpenUrlCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, url: *const c_char)>;

/// (ABI 1.2) Options of `xerial_signin_start`. Zero-fill it, set `struct_size` to
/// `sizeof(XerialSignInOptions)`, then set what you need: zero is every field's default. Read
/// during the call (strings copied).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct XerialSignInOptions {
    /// `sizeof(XerialSignInOptions)` as the caller compiled it (later versions append fields).
    pub struct_size: u32,
    /// `XERIAL_SIGNIN_GOOGLE` or `XERIAL_SIGNIN_BROWSER_WALLET`.
    pub method: i32,
    /// Google: the OAuth client id — the "Desktop app" type on desktop, the "iOS" type on iOS.
    /// Unused by the browser wallet.
    pub client_id: *const c_char,
    /// Google "Desktop app" clients: the client secret Google issues to installed apps (not
    /// confidential, but its token endpoint requires it); NULL otherwise.
    pub client_secret: *const c_char,
    /// NULL: the SDK listens on `127.0.0.1` on an ephemeral port (desktop). Otherwise the app's
    /// own redirect URI (iOS: `com.googleusercontent.apps.<id>:/oauth2redirect`, the reversed
    /// client id scheme): the game hands the URL the OS delivers to `xerial_signin_complete`.
    /// Google only.
    pub redirect_uri: *const c_char,
    /// The whole sign-in's deadline in milliseconds; 0 means 300000 (the player is reading a page).
    pub timeout_ms: u64,
    /// Opens the URL; NULL: the SDK opens the default browser itself on Windows, macOS and
    /// Linux desktops (`XERIAL_E_INVALID_ARGUMENT` elsewhere).
    pub open_url: XerialOpenUrlCallback,
    /// Handed back to `open_url`; must stay valid until the sign-in's callback has returned.
    pub open_url_user_data: *mut c_void,
}
