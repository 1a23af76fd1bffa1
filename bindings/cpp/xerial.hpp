// xerial.hpp - a header-only C++17 wrapper over the Xerial C ABI (include/xerial.h, ABI v1).
//
// Contract: abi.md. This file adds no behaviour of its own; it maps the C functions onto C++
// types and makes the C ownership rules automatic.
//
//   #include "xerial.hpp"             // with include/ on the include path; link -lxerial
//
//   xerial::Config config;
//   config.base_url = "https://wallet.xerial.io";
//   xerial::Sdk sdk(config);          // xerial_init; ~Sdk() runs xerial_shutdown
//   if (!sdk) { /* sdk.init_code() tells why */ }
//   xerial::Request req = xerial::logout(refresh_token, [](const xerial::Result& r) {
//       if (r.ok()) { /* 204 */ } else { std::puts(r.message.c_str()); }
//   });
//   while (running) { sdk.poll(); /* ... frame ... */ }
//   req.cancel();                     // XERIAL_E_CANCELLED through the callback, if still in flight
//
// OWNERSHIP
//  * Every string argument is copied by the library during the call; pass temporaries freely.
//  * A callback (std::function) is moved to the heap and handed to the library as `user_data`. The
//    library calls it exactly once for a non-zero request id (success, failure, cancel or shutdown),
//    and the trampoline deletes it right after it returns. If the call returns an empty Request
//    (SDK not initialised, or an empty std::function), the callback is destroyed at once and never
//    called. What the callback captures must stay valid until it has run (capture by value, or a
//    std::weak_ptr; `Request::cancel()` does not skip the callback, it makes it run sooner).
//  * `Result` owns copies of everything the C result pointed to (message, body): keep it as long as
//    you like.
//
// THREADING
//  * Every function here may be called from any thread (as every xerial_* function may).
//  * Dispatch::Poll (the default): callbacks run only inside poll() / Sdk::poll(), on the thread that
//    calls it (the game thread), and inside shutdown() / ~Sdk() for calls still owed then.
//    Dispatch::Immediate: callbacks run on an SDK worker thread; make them thread-safe.
//  * The log callback may run on any thread, concurrently with itself. The auth listener runs where
//    request callbacks run.
//  * Destroy the Sdk (or call shutdown()) on the polling thread: owed callbacks run there, before the
//    destructor returns. After that, no callback of that initialisation runs again.
//
// EXCEPTIONS
//  * No exception ever unwinds into the library: every trampoline is `noexcept` and, when exceptions
//    are enabled, catches everything a user callback throws and hands it to the exception handler
//    (set_exception_handler; by default a line on stderr). When exceptions are disabled (Unreal's
//    default), nothing can throw and the try/catch is compiled out.
//  * Nothing in this header throws except std::bad_alloc from allocations on the caller's thread.
//
// Every asynchronous function of xerial.h (abi.md section 8) has its inline function below.
// ADDING A CALL (when a new async function lands in xerial.h): one inline function, e.g.
//
//   inline Request wallet_native_balance(const std::string& address, const std::string& chain, Callback cb) {
//       return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
//           return xerial_wallet_native_balance(address.c_str(), chain.c_str(), t, ud);
//       });
//   }
//
// Strings go through `.c_str()`; arguments the C function documents as nullable take
// `const std::optional<std::string>&` and go through `detail::c_str_or_null`.
//
// No u8"" literals anywhere: in C++20 (Unreal) they are char8_t and do not convert to std::string.
#ifndef XERIAL_HPP
#define XERIAL_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "xerial.h"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define XERIAL_HPP_EXCEPTIONS 1
#else
#define XERIAL_HPP_EXCEPTIONS 0
#endif

namespace xerial {

// ---- codes ------------------------------------------------------------------------------------

// Every XERIAL_* code (abi.md section 5). A Code may hold a value not listed here (a newer library):
// compare with the enumerators, and use code_name() to print it.
enum class Code : int32_t {
    Ok = XERIAL_OK,
    InvalidArgument = XERIAL_E_INVALID_ARGUMENT,
    NotInitialized = XERIAL_E_NOT_INITIALIZED,
    AlreadyInitialized = XERIAL_E_ALREADY_INITIALIZED,
    NotLoggedIn = XERIAL_E_NOT_LOGGED_IN,
    Cancelled = XERIAL_E_CANCELLED,
    Shutdown = XERIAL_E_SHUTDOWN,
    BufferTooSmall = XERIAL_E_BUFFER_TOO_SMALL,
    Denied = XERIAL_E_DENIED,            // ABI 1.2: the player or the identity provider refused a sign-in
    Unavailable = XERIAL_E_UNAVAILABLE,  // ABI 1.2: not possible in this build or on this platform
    Network = XERIAL_E_NETWORK,
    Timeout = XERIAL_E_TIMEOUT,
    OutcomeUnknown = XERIAL_E_OUTCOME_UNKNOWN,
    BadRequest = XERIAL_E_BAD_REQUEST,
    Unauthorized = XERIAL_E_UNAUTHORIZED,
    Forbidden = XERIAL_E_FORBIDDEN,
    NotFound = XERIAL_E_NOT_FOUND,
    NotSupported = XERIAL_E_NOT_SUPPORTED,
    PreconditionFailed = XERIAL_E_PRECONDITION_FAILED,
    RateLimited = XERIAL_E_RATE_LIMITED,
    Http = XERIAL_E_HTTP,
    Server = XERIAL_E_SERVER,
    Decode = XERIAL_E_DECODE,
    Internal = XERIAL_E_INTERNAL,
};

// The raw value, for logging or comparison with XERIAL_* macros.
constexpr int32_t to_int(Code code) noexcept { return static_cast<int32_t>(code); }

// Any int32 is a valid Code (unknown values are kept, never clamped).
constexpr Code to_code(int32_t value) noexcept { return static_cast<Code>(value); }

// "XERIAL_E_NOT_FOUND"; "XERIAL_E_UNKNOWN" for values the library does not know. Static storage,
// never NULL, never freed. Any thread, any time (also before init).
inline const char* code_name(Code code) noexcept { return xerial_code_name(to_int(code)); }
inline const char* code_name(int32_t code) noexcept { return xerial_code_name(code); }

// ---- enums of the config and the session -------------------------------------------------------

enum class Dispatch : uint32_t {
    Poll = XERIAL_DISPATCH_POLL,            // callbacks inside poll(), on the polling thread
    Immediate = XERIAL_DISPATCH_IMMEDIATE,  // callbacks on an SDK worker thread
};

// Where the player's session is kept between runs (ABI 1.3; README, "Sessions").
enum class SessionStore : uint64_t {
    Default = XERIAL_SESSION_STORE_DEFAULT,      // the session_path file when set, else Protected
    Protected = XERIAL_SESSION_STORE_PROTECTED,  // the OS's store, per user; a session_path file moves in
    File = XERIAL_SESSION_STORE_FILE,            // plain JSON in session_path (required)
    Memory = XERIAL_SESSION_STORE_MEMORY,        // every start begins logged out
};

enum class LogLevel : int32_t {
    Off = 0,
    Error = XERIAL_LOG_ERROR,
    Warn = XERIAL_LOG_WARN,
    Info = XERIAL_LOG_INFO,
    Debug = XERIAL_LOG_DEBUG,
    Trace = XERIAL_LOG_TRACE,
};

enum class AuthState : int32_t {
    LoggedOut = XERIAL_AUTH_LOGGED_OUT,
    LoggedIn = XERIAL_AUTH_LOGGED_IN,
};

using RequestId = XerialRequestId;

// ---- results ----------------------------------------------------------------------------------

// The outcome of one asynchronous call: an owning copy of the C XerialResult (abi.md section 4).
struct Result {
    RequestId request_id = 0;
    Code code = Code::Internal;
    int http_status = 0;          // 0 when no HTTP response was received
    std::string message;          // "" on success; the server's "message" (e.g. "Not Found") or a reason
    std::string body;             // canonical JSON of the response; "" when none
    uint32_t retry_after_ms = 0;  // server's Retry-After, 0 when none
    bool retryable = false;       // repeating the same call later may succeed

    bool ok() const noexcept { return code == Code::Ok; }
    const char* code_name() const noexcept { return xerial::code_name(code); }

    // Copies everything `r` points to (it is borrowed only until the C callback returns).
    static Result from_c(const XerialResult& r) {
        Result out;
        out.request_id = r.request_id;
        out.code = to_code(r.code);
        out.http_status = r.http_status;
        if (r.message != nullptr) out.message.assign(r.message);
        if (r.body != nullptr) out.body.assign(r.body, r.body_len);
        out.retry_after_ms = r.retry_after_ms;
        out.retryable = r.retryable != 0;
        return out;
    }
};

// Completion callback: runs exactly once per non-empty Request (see THREADING above).
using Callback = std::function<void(const Result&)>;

// Log callback: any thread, possibly concurrently; must not call set_log_callback.
using LogCallback = std::function<void(LogLevel level, const std::string& message)>;

// Receives what a user callback threw (`what()` of a std::exception, or a fixed text). Called on
// the thread the callback ran on, inside a catch block; what it throws is swallowed.
using ExceptionHandler = void (*)(const char* what);

// ---- exception handling of callbacks ------------------------------------------------------------

namespace detail {

inline void default_exception_handler(const char* what) {
    std::fprintf(stderr, "xerial: a callback threw and the exception was swallowed: %s\n", what);
}

inline std::atomic<ExceptionHandler>& exception_handler_slot() noexcept {
    static std::atomic<ExceptionHandler> slot{&default_exception_handler};
    return slot;
}

#if XERIAL_HPP_EXCEPTIONS
inline void report_exception(const char* what) noexcept {
    ExceptionHandler h = exception_handler_slot().load();
    if (h == nullptr) return;
    try {
        h(what);
    } catch (...) {
        // the handler itself threw: nowhere left to report it
    }
}

// Runs f(); whatever it throws is reported, never propagated.
template <typename F>
void guarded(F&& f) noexcept {
    try {
        std::forward<F>(f)();
    } catch (const std::exception& e) {
        report_exception(e.what());
    } catch (...) {
        report_exception("an exception not derived from std::exception");
    }
}
#else
template <typename F>
void guarded(F&& f) noexcept {
    std::forward<F>(f)();
}
#endif

}  // namespace detail

// Replaces the handler of exceptions thrown by callbacks (nullptr: swallow silently). Returns the
// previous one. Any thread.
inline ExceptionHandler set_exception_handler(ExceptionHandler handler) noexcept {
    return detail::exception_handler_slot().exchange(handler);
}

// ---- request handle ---------------------------------------------------------------------------

// The id of one asynchronous call. A plain value: copy it freely; destroying it does nothing (the
// call goes on and its callback still runs). An empty Request (id 0) means the call was not made.
class Request {
public:
    Request() noexcept = default;
    explicit Request(RequestId id) noexcept : id_(id) {}

    RequestId id() const noexcept { return id_; }
    bool valid() const noexcept { return id_ != 0; }
    explicit operator bool() const noexcept { return valid(); }

    // xerial_cancel: Code::Ok if it stopped the request (its callback then runs once, with
    // Code::Cancelled, or Code::OutcomeUnknown for a value-moving call that may have been sent);
    // Code::NotFound if unknown, already completed, or empty. Idempotent; any thread, also from
    // inside a callback. Never runs a callback itself.
    Code cancel() const noexcept { return id_ == 0 ? Code::NotFound : to_code(xerial_cancel(id_)); }

    friend bool operator==(const Request& a, const Request& b) noexcept { return a.id_ == b.id_; }
    friend bool operator!=(const Request& a, const Request& b) noexcept { return a.id_ != b.id_; }

private:
    RequestId id_ = 0;
};

// ---- the one generic piece: starting an async call ---------------------------------------------

namespace detail {

// The C callback of every call. Takes ownership of the heap Callback (user_data), copies the
// borrowed result, runs the user's function, deletes it; nothing escapes.
inline void trampoline(void* user_data, const XerialResult* result) noexcept {
    std::unique_ptr<Callback> cb(static_cast<Callback*>(user_data));
    if (!cb) return;
    guarded([&] {
        Result copy;
        if (result != nullptr) {
            copy = Result::from_c(*result);
        } else {
            copy.code = Code::Internal;
            copy.message = "the library passed no result";
        }
        (*cb)(copy);
    });
    guarded([&] { cb.reset(); });  // captures are destroyed here, on the callback's thread
}

// Starts one async call. `begin(XerialCallback, void* user_data) -> XerialRequestId` makes the C
// call. On a non-zero id the library owns the callback (the trampoline frees it, possibly on a worker
// before this returns, in immediate mode); on 0 it is freed here and never called.
template <typename Begin>
Request start(Callback cb, Begin&& begin) {
    if (!cb) return Request{};
    auto holder = std::make_unique<Callback>(std::move(cb));
    const XerialRequestId id = std::forward<Begin>(begin)(&trampoline, static_cast<void*>(holder.get()));
    if (id != 0) (void)holder.release();  // ownership passed to the library; do not touch it again
    return Request{id};
}

inline const char* c_str_or_null(const std::optional<std::string>& s) noexcept {
    return s ? s->c_str() : nullptr;
}

}  // namespace detail

// ---- configuration and lifecycle ----------------------------------------------------------------

// XerialConfig with std::string fields (abi.md section 2). Defaults are the library's. An empty
// marketplace_url / project_id / session_path means NULL (none); an empty base_url means the
// production URL.
struct Config {
    std::string base_url = "https://wallet.xerial.io";
    std::string marketplace_url;
    std::string project_id;
    uint32_t timeout_ms = 30000;          // whole call, retries included (0: default)
    uint32_t connect_timeout_ms = 10000;  // (0: default)
    uint32_t worker_threads = 1;          // read by the first init of the process only (0: default)
    Dispatch dispatch = Dispatch::Poll;
    uint32_t max_retries = 2;             // safe-to-repeat requests only; 0: none
    std::string session_path;             // a plain session file (see session_store); empty: none
    bool allow_insecure_http = false;     // plain http:// to non-loopback hosts
    // ABI 1.1 (a library older than 1.1 would ignore them, so Sdk refuses to start with them set):
    std::string extra_root_ca_pem;        // PEM certificates trusted besides the bundled roots
    std::string proxy_url;                // http://[user:pass@]host:port for every request
    // ABI 1.2: Google sign-in's endpoints; empty: Google's (the offline server plays them at
    // {mock}/oauth/authorize and {mock}/oauth/token).
    std::string oauth_authorize_url;
    std::string oauth_token_url;
    // ABI 1.3 (refused by Sdk when set and the library is older):
    SessionStore session_store = SessionStore::Default;

    // True when a field this library's ABI minor does not read is set.
    bool needs_newer_library() const noexcept {
        const uint32_t minor = xerial_abi_version() & 0xffffu;
        return (minor < 1 && (!extra_root_ca_pem.empty() || !proxy_url.empty())) ||
               (minor < 2 && (!oauth_authorize_url.empty() || !oauth_token_url.empty())) ||
               (minor < 3 && session_store != SessionStore::Default);
    }

    // The C struct, pointing into this Config's strings: valid while this Config lives unchanged.
    XerialConfig to_c() const noexcept {
        XerialConfig c;
        xerial_config_init(&c, sizeof c);  // the defaults of every field this header declares
        c.base_url = base_url.empty() ? nullptr : base_url.c_str();
        c.marketplace_url = marketplace_url.empty() ? nullptr : marketplace_url.c_str();
        c.project_id = project_id.empty() ? nullptr : project_id.c_str();
        c.timeout_ms = timeout_ms;
        c.connect_timeout_ms = connect_timeout_ms;
        c.worker_threads = worker_threads;
        c.dispatch = static_cast<uint32_t>(dispatch);
        c.max_retries = max_retries;
        c.session_path = session_path.empty() ? nullptr : session_path.c_str();
        c.allow_insecure_http = allow_insecure_http ? 1 : 0;
        c.extra_root_ca_pem = extra_root_ca_pem.empty() ? nullptr : extra_root_ca_pem.c_str();
        c.proxy_url = proxy_url.empty() ? nullptr : proxy_url.c_str();
        c.oauth_authorize_url = oauth_authorize_url.empty() ? nullptr : oauth_authorize_url.c_str();
        c.oauth_token_url = oauth_token_url.empty() ? nullptr : oauth_token_url.c_str();
        c.session_store = static_cast<uint64_t>(session_store);
        return c;
    }
};

// Library facts; any thread, any time.
inline const char* version() noexcept { return xerial_version(); }
inline uint32_t abi_version() noexcept { return xerial_abi_version(); }
// True when the loaded library speaks the ABI major this header was written for.
inline bool abi_compatible() noexcept { return (xerial_abi_version() >> 16) == (XERIAL_ABI_VERSION >> 16); }

// xerial_poll: runs the callbacks queued when it started, on this thread; returns how many ran.
// 0 = no limit. Never blocks; 0 at once before init, in immediate mode, inside a callback, or while
// another thread polls.
inline uint32_t poll(uint32_t max_callbacks = 0) noexcept { return xerial_poll(max_callbacks); }

// xerial_shutdown: cancels everything and runs every owed callback on this thread before it returns.
// Idempotent. Prefer destroying the Sdk that initialised.
inline Code shutdown() noexcept { return to_code(xerial_shutdown()); }

// Owns one initialisation of the SDK (there is one SDK per process): the constructor calls
// xerial_init, the destructor xerial_shutdown - but only if this object's init succeeded. Movable,
// not copyable. Never throws; check ok() / init_code().
//
// Construct and destroy it on the game (polling) thread. A second Sdk while one is alive gets
// Code::AlreadyInitialized and owns nothing.
class Sdk {
public:
    explicit Sdk(const Config& config = Config()) noexcept {
        if (!abi_compatible()) {
            // abi.md section 1: bindings refuse to run on a major mismatch.
            init_code_ = Code::Internal;
            return;
        }
        if (config.needs_newer_library()) {
            // The library would silently ignore the proxy or the extra CA: refuse instead.
            init_code_ = Code::InvalidArgument;
            return;
        }
        const XerialConfig c = config.to_c();
        init_code_ = to_code(xerial_init(&c));
        owns_ = init_code_ == Code::Ok;
    }
    ~Sdk() { reset(); }

    Sdk(const Sdk&) = delete;
    Sdk& operator=(const Sdk&) = delete;
    Sdk(Sdk&& other) noexcept : init_code_(other.init_code_), owns_(std::exchange(other.owns_, false)) {}
    Sdk& operator=(Sdk&& other) noexcept {
        if (this != &other) {
            reset();
            init_code_ = other.init_code_;
            owns_ = std::exchange(other.owns_, false);
        }
        return *this;
    }

    // What xerial_init returned (Code::Internal when the library's ABI major does not match;
    // Code::InvalidArgument also when an ABI 1.1 field is set and the library is 1.0).
    Code init_code() const noexcept { return init_code_; }
    // True while this object owns a live initialisation.
    bool ok() const noexcept { return owns_; }
    explicit operator bool() const noexcept { return owns_; }

    uint32_t poll(uint32_t max_callbacks = 0) noexcept { return xerial::poll(max_callbacks); }

    // Shuts down now (if this object owns the SDK); the destructor then does nothing. Runs every
    // owed callback on this thread before returning.
    Code shutdown() noexcept {
        reset();
        return Code::Ok;
    }

private:
    void reset() noexcept {
        if (owns_) {
            owns_ = false;
            (void)xerial_shutdown();
        }
    }

    Code init_code_ = Code::NotInitialized;
    bool owns_ = false;
};

// ---- logging ----------------------------------------------------------------------------------

namespace detail {

// True on a thread while it runs the log callback (set_log_callback is then ignored, as the C
// function ignores it: replacing the function that is running would free it under its own feet).
inline bool& in_log_callback() noexcept {
    static thread_local bool flag = false;
    return flag;
}

inline void log_trampoline(void* user_data, int32_t level, const char* message) noexcept {
    auto* cb = static_cast<const LogCallback*>(user_data);
    if (cb == nullptr || !*cb) return;
    in_log_callback() = true;
    guarded([&] { (*cb)(static_cast<LogLevel>(level), std::string(message != nullptr ? message : "")); });
    in_log_callback() = false;
}

struct LogSlot {
    std::mutex mutex;
    std::unique_ptr<LogCallback> current;
};

inline LogSlot& log_slot() {
    static LogSlot slot;
    return slot;
}

}  // namespace detail

// Sets (or with an empty function or LogLevel::Off, removes) the SDK's log callback. Messages of
// level <= min_level are delivered, on any thread, possibly concurrently. Works before init and
// stays set across shutdown/init. The previous function is destroyed once the library has promised
// never to call it again. Any thread; ignored when called from inside the log callback.
inline void set_log_callback(LogCallback cb, LogLevel min_level = LogLevel::Info) {
    if (detail::in_log_callback()) return;
    detail::LogSlot& slot = detail::log_slot();
    std::lock_guard<std::mutex> lock(slot.mutex);
    std::unique_ptr<LogCallback> next;
    if (cb && min_level != LogLevel::Off) next = std::make_unique<LogCallback>(std::move(cb));
    if (next) {
        xerial_set_log_callback(&detail::log_trampoline, next.get(), static_cast<int32_t>(min_level));
    } else {
        xerial_set_log_callback(nullptr, nullptr, 0);
    }
    slot.current = std::move(next);  // the old one: never invoked again after the call above
}

// ---- session (synchronous, any thread) ----------------------------------------------------------

// Installs a session from Xerial's token-pair JSON; persists it when session_path is set.
// Code::Ok, Code::InvalidArgument (malformed; nothing changes) or Code::NotInitialized.
inline Code session_set(const std::string& tokens_json) noexcept {
    return to_code(xerial_session_set(tokens_json.c_str()));
}

// Copies the current token-pair JSON into `out` (a secret: it holds the tokens). Grows the buffer
// when the library answers BUFFER_TOO_SMALL. Code::Ok, Code::NotLoggedIn (out cleared),
// Code::NotInitialized. `initial_capacity` is the first buffer size tried.
inline Code session_get(std::string& out, std::size_t initial_capacity = 1024) {
    std::string buf(initial_capacity > 0 ? initial_capacity : 1, '\0');
    for (int attempt = 0; attempt < 8; ++attempt) {  // the session may change between two calls
        std::size_t len = 0;
        const Code rc = to_code(xerial_session_get(&buf[0], buf.size(), &len));
        if (rc == Code::Ok) {
            out.assign(buf.data(), len > 0 ? len - 1 : 0);  // len counts the NUL
            return rc;
        }
        if (rc != Code::BufferTooSmall || len <= buf.size()) {
            out.clear();
            return rc;
        }
        buf.assign(len, '\0');
    }
    out.clear();
    return Code::BufferTooSmall;
}

// Forgets the session locally (memory and file); sends nothing. Code::Ok or Code::NotInitialized.
inline Code session_clear() noexcept { return to_code(xerial_session_clear()); }

// LoggedIn while a session is held; LoggedOut otherwise (also before init).
inline AuthState auth_state() noexcept { return static_cast<AuthState>(xerial_auth_state()); }

// ---- auth listener ------------------------------------------------------------------------------

// Auth listener: runs where request callbacks run (inside poll() on the polling thread, on an SDK
// worker in immediate mode, or inside shutdown()).
using AuthListener = std::function<void(AuthState state)>;

namespace detail {

struct AuthSlot {
    std::mutex mutex;
    std::shared_ptr<const AuthListener> current;
};

inline AuthSlot& auth_slot() {
    static AuthSlot slot;
    return slot;
}

// Registered once with user_data NULL: the C side never holds a pointer to a std::function, so
// replacing the listener can never free one the library is about to call. The function runs
// outside the lock, on its own reference.
inline void auth_trampoline(void* /*user_data*/, int32_t state) noexcept {
    guarded([&] {
        std::shared_ptr<const AuthListener> listener;
        {
            AuthSlot& slot = auth_slot();
            std::lock_guard<std::mutex> lock(slot.mutex);
            listener = slot.current;
        }
        if (listener && *listener) (*listener)(static_cast<AuthState>(state));
    });
}

}  // namespace detail

// Sets (or with an empty function, removes) the auth listener: called with the new state whenever
// the player's auth state flips (login, session_set on no session, logout, session_clear, a refresh
// the server refused). Works before init and stays set across shutdown/init. After init, read
// auth_state() for the state a restored session file gives. A listener may call
// set_auth_listener. Any thread.
inline void set_auth_listener(AuthListener listener) {
    detail::AuthSlot& slot = detail::auth_slot();
    std::shared_ptr<const AuthListener> next;
    if (listener) next = std::make_shared<const AuthListener>(std::move(listener));
    std::shared_ptr<const AuthListener> previous;  // destroyed after the lock is released
    {
        std::lock_guard<std::mutex> lock(slot.mutex);
        previous = std::move(slot.current);
        slot.current = next;
        xerial_set_auth_listener(next ? &detail::auth_trampoline : nullptr, nullptr);
    }
}

// ---- asynchronous calls (abi.md sections 3, 6, 8) ------------------------------------------------------
//
// Each returns a Request (empty, with the callback destroyed and never called, when the SDK is not
// initialised or `cb` is empty); otherwise `cb` runs exactly once (see THREADING). Result bodies are
// the canonical JSON documented on each C function in xerial.h. Arguments are as the C function
// documents them: addresses "0x" + 40 hex, `chain` "polygon"/"telos", ids, and uint256/decimal
// values (token_id, type_id, market_item_id, amount, price) as decimal strings. A std::nullopt is
// the C NULL (project_id: the configured one).

// --- auth

// POST /api/auth/google {token, clientId, projectId}: logs in; the session is installed before `cb`.
inline Request login_google(const std::string& id_token, const std::string& client_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_login_google(id_token.c_str(), client_id.c_str(), t, ud);
    });
}

// POST /api/nonce {address} -> {"nonce":"..."}: the message a wallet signs to log in.
inline Request request_nonce(const std::string& address, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_request_nonce(address.c_str(), t, ud);
    });
}

// POST /api/auth/metamask {address, signature, projectId}: logs in with a signed nonce.
inline Request login_wallet(const std::string& address, const std::string& signature, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_login_wallet(address.c_str(), signature.c_str(), t, ud);
    });
}

// POST /api/auth/refresh-tokens: refreshes the session now (Bearer calls refresh by themselves).
inline Request refresh(Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) { return xerial_refresh(t, ud); });
}

// Logs a player out (POST /api/auth/logout). An empty `refresh_token` means the current session's;
// when the token is the session's, the local session is cleared before this returns. Result:
// Code::Ok (204), Code::NotFound ("Not Found"), Code::NotLoggedIn, transport/HTTP codes,
// Code::Cancelled, Code::Shutdown.
inline Request logout(const std::string& refresh_token, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_logout(refresh_token.c_str(), t, ud);
    });
}

// Logs out the current session (same as logout("")).
inline Request logout(Callback cb) { return logout(std::string(), std::move(cb)); }

// --- user and wallets

// GET /api/user (Bearer): the player and their wallets.
inline Request user_get(Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) { return xerial_user_get(t, ud); });
}

// GET /api/wallet/{address}/{chain}/eth -> {"balance":"..."}.
inline Request wallet_native_balance(const std::string& address, const std::string& chain, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_wallet_native_balance(address.c_str(), chain.c_str(), t, ud);
    });
}

// GET /api/wallet/{address}/{chain}/tokens -> {"balances":{"usdc":"..."}}.
inline Request wallet_token_balances(const std::string& address, const std::string& chain, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_wallet_token_balances(address.c_str(), chain.c_str(), t, ud);
    });
}

// GET /api/wallet/{address}/{chain}/project-inventory/{projectId}; nullopt: the configured project.
// Each item's "tokens" is [{"tokenId","metadataURI"}] whether Xerial sent "tokens" or only
// "tokenIds" (then "metadataURI" is null).
inline Request wallet_project_inventory(const std::string& address, const std::string& chain,
                                        const std::optional<std::string>& project_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_wallet_project_inventory(address.c_str(), chain.c_str(), detail::c_str_or_null(project_id), t,
                                               ud);
    });
}

// GET /api/wallet/{address}/{chain}/global-inventory.
inline Request wallet_global_inventory(const std::string& address, const std::string& chain, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_wallet_global_inventory(address.c_str(), chain.c_str(), t, ud);
    });
}

// POST /api/user {reference} (Bearer): creates a custodial user; nullopt: no reference.
inline Request custodial_create_user(const std::optional<std::string>& reference, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_custodial_create_user(detail::c_str_or_null(reference), t, ud);
    });
}

// POST /api/wallet/{userId} {"type":"evm"} (Bearer): creates a custodial EVM wallet for a user.
inline Request custodial_create_wallet(const std::string& user_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_custodial_create_wallet(user_id.c_str(), t, ud);
    });
}

// --- transactions: value-moving (Bearer; never retried once sent; a lost answer, or a cancel or
// shutdown after sending, is Code::OutcomeUnknown). Success body: {"transactionHash":"0x..."}.

// POST .../transfer-nft {collectionAddress, tokenId, to}.
inline Request tx_transfer_nft(const std::string& address, const std::string& chain,
                               const std::string& collection_address, const std::string& token_id,
                               const std::string& to, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_transfer_nft(address.c_str(), chain.c_str(), collection_address.c_str(), token_id.c_str(),
                                      to.c_str(), t, ud);
    });
}

// POST .../transfer-token {tokenAddress, amount, to}; `amount` a decimal string ("12", "0.5").
inline Request tx_transfer_token(const std::string& address, const std::string& chain,
                                 const std::string& token_address, const std::string& amount,
                                 const std::string& to, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_transfer_token(address.c_str(), chain.c_str(), token_address.c_str(), amount.c_str(),
                                        to.c_str(), t, ud);
    });
}

// POST .../primary-purchase {"purchases":[{collectionAddress, typeId, quantity}]}; quantity >= 1.
inline Request tx_primary_purchase(const std::string& address, const std::string& chain,
                                   const std::string& collection_address, const std::string& type_id,
                                   uint32_t quantity, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_primary_purchase(address.c_str(), chain.c_str(), collection_address.c_str(),
                                          type_id.c_str(), quantity, t, ud);
    });
}

// POST .../secondary-purchase {marketItemId}.
inline Request tx_secondary_purchase(const std::string& address, const std::string& chain,
                                     const std::string& market_item_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_secondary_purchase(address.c_str(), chain.c_str(), market_item_id.c_str(), t, ud);
    });
}

// POST .../list-nft {collectionAddress, tokenId, price}; `price` a decimal string.
inline Request tx_list_nft(const std::string& address, const std::string& chain,
                           const std::string& collection_address, const std::string& token_id,
                           const std::string& price, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_list_nft(address.c_str(), chain.c_str(), collection_address.c_str(), token_id.c_str(),
                                  price.c_str(), t, ud);
    });
}

// POST .../delist-nft {marketItemId}.
inline Request tx_delist_nft(const std::string& address, const std::string& chain,
                             const std::string& market_item_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_delist_nft(address.c_str(), chain.c_str(), market_item_id.c_str(), t, ud);
    });
}

// POST .../transaction with `transaction_json` (a JSON object) as the body.
inline Request tx_custom(const std::string& address, const std::string& chain, const std::string& transaction_json,
                         Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_tx_custom(address.c_str(), chain.c_str(), transaction_json.c_str(), t, ud);
    });
}

// --- marketplace (on Config::marketplace_url; without it: Code::InvalidArgument)

// GET {marketplace_url}/collections?project={projectId}; nullopt: the configured project.
inline Request market_collections(const std::optional<std::string>& project_id, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_market_collections(detail::c_str_or_null(project_id), t, ud);
    });
}

// GET {marketplace_url}/marketplace/{projectId}/{chain}/primary. Each listing's "supply" is the
// original supply (it stays put); "mintedTokens" goes up with each purchase; still available:
// supply - mintedTokens.
inline Request market_primary_listings(const std::optional<std::string>& project_id, const std::string& chain,
                                       Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_market_primary_listings(detail::c_str_or_null(project_id), chain.c_str(), t, ud);
    });
}

// GET {marketplace_url}/marketplace/{projectId}/{chain}/secondary[?seller=...]; seller nullopt: all.
inline Request market_secondary_listings(const std::optional<std::string>& project_id, const std::string& chain,
                                         const std::optional<std::string>& seller, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_market_secondary_listings(detail::c_str_or_null(project_id), chain.c_str(),
                                                detail::c_str_or_null(seller), t, ud);
    });
}

// GET {marketplace_url}/marketplace/{domain}: a project's public data.
inline Request market_project(const std::string& domain, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_market_project(domain.c_str(), t, ud);
    });
}

// --- sign-in in the system browser (ABI 1.2, abi.md section 9)

// Opens a URL in the player's system browser (Unreal: FPlatformProcess::LaunchURL; never an
// embedded webview). Runs where callbacks run: inside poll(), on the game thread.
using OpenUrl = std::function<void(const std::string& url)>;

// What a sign-in needs. Empty strings mean NULL.
struct SignInOptions {
    std::string client_id;      // Google: the OAuth client id ("Desktop app" type on desktop, "iOS" type on iOS)
    std::string client_secret;  // Google "Desktop app" clients: the secret Google issues to installed apps
    std::string redirect_uri;   // Google: empty = the SDK's loopback listener; else the app's own (hand the
                                // URL the OS delivers to signin_complete)
    uint64_t timeout_ms = 0;    // the whole sign-in; 0: 300000
    OpenUrl open_url;           // empty: the SDK opens the default browser itself (desktops only)
};

namespace detail {

inline void open_url_trampoline(void* user_data, const char* url) noexcept {
    guarded([&] { (*static_cast<OpenUrl*>(user_data))(url != nullptr ? url : ""); });
}

// One sign-in: the OpenUrl lives on the heap as long as the request's callback (the library never
// calls open_url after the sign-in's callback ran), so the Callback holds it.
inline Request signin(int32_t method, const SignInOptions& options, Callback cb) {
    if (!cb) return Request{};
    std::shared_ptr<OpenUrl> open_url;
    if (options.open_url) open_url = std::make_shared<OpenUrl>(options.open_url);
    XerialSignInOptions c{};
    c.struct_size = sizeof c;
    c.method = method;
    c.client_id = options.client_id.empty() ? nullptr : options.client_id.c_str();
    c.client_secret = options.client_secret.empty() ? nullptr : options.client_secret.c_str();
    c.redirect_uri = options.redirect_uri.empty() ? nullptr : options.redirect_uri.c_str();
    c.timeout_ms = options.timeout_ms;
    c.open_url = open_url ? &open_url_trampoline : nullptr;
    c.open_url_user_data = open_url.get();
    Callback keeps_open_url = [open_url, inner = std::move(cb)](const Result& r) { inner(r); };
    return start(std::move(keeps_open_url), [&](XerialCallback t, void* ud) { return xerial_signin_start(&c, t, ud); });
}

}  // namespace detail

// Signs a player in with Google in the system browser (OAuth code flow + PKCE), then POST
// /api/auth/google. Result: the logins' body, the session installed first. Codes: Ok, Denied,
// Timeout, Cancelled, Shutdown, Unavailable, InvalidArgument ("a sign-in is already waiting", bad
// options, no project_id), BadRequest ("invalid_grant"), or any code of the login call.
inline Request signin_google(const SignInOptions& options, Callback cb) {
    return detail::signin(XERIAL_SIGNIN_GOOGLE, options, std::move(cb));
}

// Signs a player in with the EIP-1193 wallet in their browser (MetaMask…): the SDK's page asks
// it to sign Xerial's nonce, then POST /api/auth/metamask. Only timeout_ms and open_url are read.
inline Request signin_browser_wallet(const SignInOptions& options, Callback cb) {
    return detail::signin(XERIAL_SIGNIN_BROWSER_WALLET, options, std::move(cb));
}

// Hands the waiting sign-in the URL its redirect URI received (a mobile deep link). Ok: taken;
// NotFound: not its answer (the waiting sign-in is unaffected); InvalidArgument: not a URL.
inline Code signin_complete(const std::string& redirect_url) noexcept {
    return to_code(xerial_signin_complete(redirect_url.c_str()));
}

// --- anything else

// Any request on base_url with the SDK's auth, retries and error mapping: `method` GET, POST, PUT,
// PATCH or DELETE; `path` starts with "/" (not under /api/auth/); `json_body` a JSON object or
// nullopt; `needs_player` sends the Bearer token. Non-GET methods are treated as value-moving.
inline Request request(const std::string& method, const std::string& path,
                       const std::optional<std::string>& json_body, bool needs_player, Callback cb) {
    return detail::start(std::move(cb), [&](XerialCallback t, void* ud) {
        return xerial_request(method.c_str(), path.c_str(), detail::c_str_or_null(json_body),
                              static_cast<uint8_t>(needs_player ? 1 : 0), t, ud);
    });
}

}  // namespace xerial

#endif  // XERIAL_HPP
