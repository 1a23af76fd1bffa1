// wrapper_test.cpp - tests of the C++ wrapper (bindings/cpp/xerial.hpp) against xerial-mock.
//
//   wrapper_test BASE_URL [WORD...]     BASE_URL: the mock's http://127.0.0.1:PORT
//
// Runs every case (or those whose names contain a WORD), prints one line per case and, alone on the
// last line, "N passed, N failed". Exit status 0 only if every selected case passed.
// XERIAL_TEST_TIME_SCALE=K multiplies every deadline (valgrind). Built by run.sh with g++ and
// clang++, -std=c++17 and -std=c++20, -Wall -Wextra -Werror -pedantic, and under ASan+UBSan.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "../xerial.hpp"
#include "mock_client.hpp"

// ---- compile-time checks of the wrapper's types ---------------------------------------------------

static_assert(!std::is_copy_constructible<xerial::Sdk>::value, "Sdk is not copyable");
static_assert(!std::is_copy_assignable<xerial::Sdk>::value, "Sdk is not copyable");
static_assert(std::is_nothrow_move_constructible<xerial::Sdk>::value, "Sdk is movable");
static_assert(std::is_nothrow_move_assignable<xerial::Sdk>::value, "Sdk is movable");
static_assert(std::is_same<std::underlying_type<xerial::Code>::type, int32_t>::value, "Code is int32_t");
static_assert(xerial::to_int(xerial::Code::NotFound) == 23, "codes mirror abi.md section 5");
static_assert(xerial::to_int(xerial::Code::OutcomeUnknown) == 12, "codes mirror abi.md section 5");
static_assert(xerial::to_int(xerial::Code::Internal) == 99, "codes mirror abi.md section 5");
static_assert(noexcept(xerial::detail::trampoline(nullptr, nullptr)), "trampolines are noexcept");
static_assert(noexcept(xerial::detail::log_trampoline(nullptr, 0, nullptr)), "trampolines are noexcept");

namespace {

using Clock = std::chrono::steady_clock;
using xerial::Code;

const char* const LOGOUT = "/api/auth/logout";

std::string g_url;
mock::Client* g_mock = nullptr;
int g_scale = 1;
std::vector<std::string> g_failures;  // of the running case; main thread only
const char* volatile g_current = "";
int g_passed = 0;
int g_failed = 0;

int ms(int v) { return v * g_scale; }

void fail(int line, const std::string& what) {
    g_failures.push_back("line " + std::to_string(line) + ": " + what);
}

std::ostream& operator<<(std::ostream& os, Code c) {
    return os << xerial::code_name(c) << " (" << xerial::to_int(c) << ")";
}

template <typename A, typename B>
void check_eq(const A& a, const B& b, const char* ea, const char* eb, int line) {
    if (a == b) return;
    std::ostringstream os;
    os << ea << " == " << eb << ": got " << a << ", want " << b;
    fail(line, os.str());
}

#define CHECK(c)                                          \
    do {                                                  \
        if (!(c)) fail(__LINE__, "CHECK(" #c ") failed"); \
    } while (0)
#define CHECK_EQ(a, b) check_eq((a), (b), #a, #b, __LINE__)
#define REQUIRE(c)                                          \
    do {                                                    \
        if (!(c)) {                                         \
            fail(__LINE__, "REQUIRE(" #c ") failed");       \
            return;                                         \
        }                                                   \
    } while (0)

void sleep_ms(int v) { std::this_thread::sleep_for(std::chrono::milliseconds(v)); }

// Polls (on this thread, when `do_poll`) until pred() or the deadline; returns pred().
template <typename Pred>
bool wait_for(Pred pred, int timeout_ms, bool do_poll = true) {
    const auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (do_poll) xerial::poll();
        if (pred()) return true;
        if (Clock::now() >= end) return false;
        sleep_ms(1);
    }
}

xerial::Config config(xerial::Dispatch dispatch = xerial::Dispatch::Poll) {
    xerial::Config c;
    c.base_url = g_url;
    c.dispatch = dispatch;
    c.timeout_ms = static_cast<uint32_t>(ms(10000));
    c.session_store = xerial::SessionStore::Memory;  // no session carried from one case into the next
    return c;
}

std::string fault_rule(const std::string& fault, int times = 0) {
    std::string rule = std::string("{\"method\":\"POST\",\"path\":\"") + LOGOUT + "\",";
    if (times > 0) rule += "\"times\":" + std::to_string(times) + ",";
    return rule + "\"fault\":" + fault + "}";
}

// One callback's record, filled on whatever thread runs it.
struct Seen {
    std::atomic<int> calls{0};
    std::mutex mutex;
    xerial::Result result;
    std::thread::id thread;

    xerial::Callback callback() {
        return [this](const xerial::Result& r) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                result = r;
                thread = std::this_thread::get_id();
            }
            calls.fetch_add(1);
        };
    }
    bool done() const { return calls.load() > 0; }
    xerial::Result get() {
        std::lock_guard<std::mutex> lock(mutex);
        return result;
    }
};

// ---- cases --------------------------------------------------------------------------------------

void case_codes_and_names() {
    CHECK_EQ(std::string(xerial::code_name(Code::NotFound)), "XERIAL_E_NOT_FOUND");
    CHECK_EQ(std::string(xerial::code_name(Code::Ok)), "XERIAL_OK");
    CHECK_EQ(std::string(xerial::code_name(12345)), "XERIAL_E_UNKNOWN");
    // every enumerator has a name the library knows
    const Code all[] = {Code::Ok, Code::InvalidArgument, Code::NotInitialized, Code::AlreadyInitialized,
                        Code::NotLoggedIn, Code::Cancelled, Code::Shutdown, Code::BufferTooSmall, Code::Denied, Code::Unavailable,
                        Code::Network, Code::Timeout, Code::OutcomeUnknown, Code::BadRequest,
                        Code::Unauthorized, Code::Forbidden, Code::NotFound, Code::NotSupported,
                        Code::PreconditionFailed, Code::RateLimited, Code::Http, Code::Server,
                        Code::Decode, Code::Internal};
    for (Code c : all) {
        if (std::string(xerial::code_name(c)) == "XERIAL_E_UNKNOWN")
            fail(__LINE__, std::string("library has no name for code ") + std::to_string(xerial::to_int(c)));
    }
    // unknown values survive the conversion
    XerialResult raw{};
    raw.request_id = 7;
    raw.code = 4242;
    raw.message = "m";
    raw.body = "{\"a\":1}xx";
    raw.body_len = 7;
    raw.retryable = 1;
    xerial::Result r = xerial::Result::from_c(raw);
    CHECK_EQ(xerial::to_int(r.code), 4242);
    CHECK_EQ(std::string(r.code_name()), "XERIAL_E_UNKNOWN");
    CHECK_EQ(r.body, "{\"a\":1}");
    CHECK(r.retryable);
    CHECK(!r.ok());
    CHECK(xerial::abi_compatible());
    CHECK(xerial::version() != nullptr && std::strlen(xerial::version()) > 0);
}

void case_init_shutdown_raii() {
    // before init: nothing starts, the callback is destroyed and never called
    auto token = std::make_shared<int>(0);
    std::atomic<int> calls{0};
    xerial::Request none = xerial::logout("x", [token, &calls](const xerial::Result&) { calls++; });
    CHECK(!none.valid());
    CHECK_EQ(token.use_count(), 1L);
    CHECK_EQ(none.cancel(), Code::NotFound);
    CHECK_EQ(xerial::poll(), 0u);
    {
        xerial::Sdk a(config());
        REQUIRE(a.ok());
        CHECK_EQ(a.init_code(), Code::Ok);
        {
            xerial::Sdk b(config());
            CHECK(!b.ok());
            CHECK_EQ(b.init_code(), Code::AlreadyInitialized);
        }  // b owns nothing: the SDK is still up
        Seen s;
        xerial::Request r = xerial::logout("not-a-live-token", s.callback());
        CHECK(r.valid());
        CHECK(wait_for([&] { return s.done(); }, ms(5000)));

        xerial::Sdk c(std::move(a));
        CHECK(!a.ok());  // NOLINT(bugprone-use-after-move): moved-from state is specified
        CHECK(c.ok());
        xerial::Sdk d(config());  // still initialised: AlreadyInitialized
        CHECK(!d.ok());
        d = std::move(c);
        CHECK(d.ok());
        CHECK(!c.ok());  // NOLINT(bugprone-use-after-move)
        CHECK(xerial::session_clear() == Code::Ok);
    }  // d shuts down here
    CHECK_EQ(xerial::session_clear(), Code::NotInitialized);
    CHECK(!xerial::logout("x", [](const xerial::Result&) {}).valid());
    // re-initialisable
    xerial::Sdk e(config());
    CHECK(e.ok());
    CHECK_EQ(e.shutdown(), Code::Ok);
    CHECK(!e.ok());
    CHECK_EQ(xerial::session_clear(), Code::NotInitialized);
    xerial::Sdk f(config());
    CHECK(f.ok());
}

void case_logout_204_then_404() {
    const std::string pair = g_mock->new_session();
    const std::string refresh = mock::refresh_token(pair);
    REQUIRE(!refresh.empty());
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());

    Seen a;
    xerial::Request ra = xerial::logout(refresh, a.callback());
    REQUIRE(ra.valid());
    REQUIRE(wait_for([&] { return a.done(); }, ms(5000)));
    xerial::Result r = a.get();
    CHECK_EQ(a.calls.load(), 1);
    CHECK_EQ(r.request_id, ra.id());
    CHECK_EQ(r.code, Code::Ok);
    CHECK(r.ok());
    CHECK_EQ(r.http_status, 204);
    CHECK_EQ(r.message, "");
    CHECK_EQ(r.body, "");
    CHECK(!r.retryable);
    CHECK_EQ(r.retry_after_ms, 0u);

    Seen b;
    xerial::Request rb = xerial::logout(refresh, b.callback());
    REQUIRE(rb.valid());
    CHECK(rb != ra);
    REQUIRE(wait_for([&] { return b.done(); }, ms(5000)));
    r = b.get();
    CHECK_EQ(b.calls.load(), 1);
    CHECK_EQ(r.request_id, rb.id());
    CHECK_EQ(r.code, Code::NotFound);
    CHECK_EQ(r.http_status, 404);
    CHECK_EQ(r.message, "Not Found");
    CHECK_EQ(r.body, "{\"code\":404,\"message\":\"Not Found\"}");
    CHECK(!r.retryable);
    CHECK_EQ(g_mock->count("POST", LOGOUT), 2L);
}

void case_logout_500_fault() {
    REQUIRE(g_mock->fault(fault_rule("{\"kind\":\"status\",\"status\":500}", 1)));
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    Seen s;
    REQUIRE(xerial::logout("some-token", s.callback()).valid());
    REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
    xerial::Result r = s.get();
    CHECK_EQ(r.code, Code::Server);
    CHECK_EQ(r.http_status, 500);
    CHECK(r.retryable);
    CHECK(!r.message.empty());
    CHECK_EQ(g_mock->count("POST", LOGOUT), 1L);  // logout is not retried after sending
}

void case_cancel_through_handle() {
    REQUIRE(g_mock->fault(fault_rule("{\"kind\":\"hang\",\"maxMs\":" + std::to_string(ms(5000)) + "}")));
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    Seen s;
    xerial::Request req = xerial::logout("some-token", s.callback());
    REQUIRE(req.valid());
    wait_for([] { return g_mock->count("POST", LOGOUT) >= 1; }, ms(2000));
    CHECK(!s.done());
    CHECK_EQ(req.cancel(), Code::Ok);
    REQUIRE(wait_for([&] { return s.done(); }, ms(2000)));
    CHECK_EQ(s.get().code, Code::Cancelled);
    CHECK_EQ(s.get().request_id, req.id());
    CHECK_EQ(req.cancel(), Code::NotFound);  // idempotent; already completed
    CHECK_EQ(xerial::Request().cancel(), Code::NotFound);
    wait_for([] { return false; }, ms(50));
    CHECK_EQ(s.calls.load(), 1);
}

void case_callbacks_on_polling_thread() {
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    Seen s;
    REQUIRE(xerial::logout("some-token", s.callback()).valid());
    // without a poll, nothing runs, however long the answer has been there
    wait_for([] { return g_mock->count("POST", LOGOUT) >= 1; }, ms(2000), false);
    sleep_ms(ms(200));
    CHECK(!s.done());
    std::thread::id poller_id;
    std::thread poller([&] {
        poller_id = std::this_thread::get_id();
        wait_for([&] { return s.done(); }, ms(5000));
    });
    poller.join();
    REQUIRE(s.done());
    CHECK(s.thread == poller_id);
    CHECK(s.thread != std::this_thread::get_id());
    CHECK_EQ(s.calls.load(), 1);
    CHECK_EQ(s.get().code, Code::NotFound);
}

std::atomic<int> g_handler_calls{0};
std::mutex g_handler_mutex;
std::string g_handler_last;

void counting_handler(const char* what) {
    std::lock_guard<std::mutex> lock(g_handler_mutex);
    g_handler_last = what;
    g_handler_calls++;
}

void case_callback_exception_caught() {
    xerial::ExceptionHandler previous = xerial::set_exception_handler(&counting_handler);
    g_handler_calls = 0;
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());

    auto token = std::make_shared<int>(0);
    std::atomic<int> ran{0};
    REQUIRE(xerial::logout("some-token", [token, &ran](const xerial::Result&) {
                ran++;
                throw std::runtime_error("boom from a callback");
            }).valid());
    CHECK(wait_for([&] { return ran.load() == 1 && g_handler_calls.load() == 1; }, ms(5000)));
    {
        std::lock_guard<std::mutex> lock(g_handler_mutex);
        CHECK_EQ(g_handler_last, "boom from a callback");
    }
    CHECK_EQ(token.use_count(), 1L);  // the callback was freed although it threw

    REQUIRE(xerial::logout("some-token", [&ran](const xerial::Result&) {
                ran++;
                throw 42;  // not a std::exception
            }).valid());
    CHECK(wait_for([&] { return ran.load() == 2 && g_handler_calls.load() == 2; }, ms(5000)));

    // immediate mode: the throw happens on an SDK worker
    CHECK_EQ(sdk.shutdown(), Code::Ok);
    xerial::Sdk imm(config(xerial::Dispatch::Immediate));
    REQUIRE(imm.ok());
    REQUIRE(xerial::logout("some-token", [&ran](const xerial::Result&) {
                ran++;
                throw std::logic_error("boom on a worker");
            }).valid());
    CHECK(wait_for([&] { return ran.load() == 3 && g_handler_calls.load() == 3; }, ms(5000), false));

    // a throwing exception handler is swallowed too
    xerial::set_exception_handler([](const char*) { throw std::runtime_error("handler throws"); });
    REQUIRE(xerial::logout("some-token", [&ran](const xerial::Result&) {
                ran++;
                throw std::runtime_error("again");
            }).valid());
    CHECK(wait_for([&] { return ran.load() == 4; }, ms(5000), false));
    sleep_ms(20);

    // the SDK still works
    Seen s;
    REQUIRE(xerial::logout("some-token", s.callback()).valid());
    CHECK(wait_for([&] { return s.done(); }, ms(5000), false));
    CHECK_EQ(s.get().code, Code::NotFound);
    xerial::set_exception_handler(previous);
}

void case_shutdown_in_flight() {
    REQUIRE(g_mock->fault(fault_rule("{\"kind\":\"hang\",\"maxMs\":" + std::to_string(ms(10000)) + "}")));
    auto token = std::make_shared<int>(0);
    Seen s[3];
    {
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
        for (Seen& x : s) {
            auto inner = x.callback();
            REQUIRE(xerial::logout("some-token", [token, inner](const xerial::Result& r) { inner(r); }).valid());
        }
        wait_for([] { return g_mock->count("POST", LOGOUT) >= 3; }, ms(2000));
        for (Seen& x : s) CHECK(!x.done());
        CHECK_EQ(token.use_count(), 4L);
    }  // ~Sdk: xerial_shutdown runs every owed callback here, on this thread
    for (Seen& x : s) {
        CHECK_EQ(x.calls.load(), 1);
        CHECK_EQ(x.get().code, Code::Shutdown);
        CHECK(x.thread == std::this_thread::get_id());
    }
    CHECK_EQ(token.use_count(), 1L);
    CHECK_EQ(xerial::poll(), 0u);

    // the same through an explicit shutdown(), with one call already answered and queued
    REQUIRE(g_mock->clear_faults());
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    Seen answered;
    REQUIRE(xerial::logout("some-token", answered.callback()).valid());
    wait_for([] { return g_mock->count("POST", LOGOUT) >= 4; }, ms(2000), false);
    sleep_ms(ms(300));  // the answer is queued (not polled) by then
    REQUIRE(g_mock->fault(fault_rule("{\"kind\":\"hang\",\"maxMs\":" + std::to_string(ms(10000)) + "}")));
    Seen hung;
    REQUIRE(xerial::logout("some-token", hung.callback()).valid());
    CHECK(!answered.done());
    CHECK_EQ(sdk.shutdown(), Code::Ok);
    CHECK_EQ(answered.calls.load(), 1);
    CHECK_EQ(answered.get().code, Code::NotFound);  // a queued completion keeps its real result
    CHECK_EQ(hung.calls.load(), 1);
    CHECK_EQ(hung.get().code, Code::Shutdown);
}

void case_session_set_get() {
    std::string out = "stale";
    CHECK_EQ(xerial::session_set("{}"), Code::NotInitialized);
    CHECK_EQ(xerial::session_get(out), Code::NotInitialized);
    CHECK_EQ(out, "");
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedOut);

    const std::string pair = g_mock->new_session();
    const std::string refresh = mock::refresh_token(pair);
    const std::string access = mock::access_token(pair);
    REQUIRE(!refresh.empty() && !access.empty());
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    CHECK_EQ(xerial::session_get(out), Code::NotLoggedIn);
    CHECK_EQ(out, "");

    CHECK_EQ(xerial::session_set(pair), Code::Ok);
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedIn);
    std::string got;
    CHECK_EQ(xerial::session_get(got), Code::Ok);
    CHECK(got.find(refresh) != std::string::npos);
    CHECK(got.find(access) != std::string::npos);
    CHECK_EQ(got.find('\0'), std::string::npos);
    std::string grown;
    CHECK_EQ(xerial::session_get(grown, 1), Code::Ok);  // BUFFER_TOO_SMALL, then resized
    CHECK_EQ(grown, got);
    std::string exact;
    CHECK_EQ(xerial::session_get(exact, got.size() + 1), Code::Ok);
    CHECK_EQ(exact, got);
    std::string short_by_one;
    CHECK_EQ(xerial::session_get(short_by_one, got.size()), Code::Ok);
    CHECK_EQ(short_by_one, got);
    // the JSON session_get returns is the form session_set takes
    CHECK_EQ(xerial::session_set(got), Code::Ok);

    CHECK_EQ(xerial::session_set("not json"), Code::InvalidArgument);
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedIn);  // nothing changed

    // logout() = the current session's token: cleared locally before the call returns
    Seen s;
    REQUIRE(xerial::logout(s.callback()).valid());
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedOut);
    CHECK_EQ(xerial::session_get(out), Code::NotLoggedIn);
    REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
    CHECK_EQ(s.get().code, Code::Ok);
    CHECK_EQ(s.get().http_status, 204);

    Seen none;
    REQUIRE(xerial::logout(none.callback()).valid());
    REQUIRE(wait_for([&] { return none.done(); }, ms(5000)));
    CHECK_EQ(none.get().code, Code::NotLoggedIn);

    CHECK_EQ(xerial::session_set(pair), Code::Ok);
    CHECK_EQ(xerial::session_clear(), Code::Ok);
    CHECK(xerial::auth_state() == xerial::AuthState::LoggedOut);
}

void case_immediate_dispatch() {
    xerial::Sdk sdk(config(xerial::Dispatch::Immediate));
    REQUIRE(sdk.ok());
    Seen s;
    xerial::Request req = xerial::logout("some-token", s.callback());
    REQUIRE(req.valid());
    CHECK(wait_for([&] { return s.done(); }, ms(5000), false));  // no poll at all
    CHECK(s.thread != std::this_thread::get_id());
    CHECK_EQ(s.get().code, Code::NotFound);
    CHECK_EQ(s.get().request_id, req.id());
    CHECK_EQ(xerial::poll(), 0u);
}

void many_concurrent(xerial::Dispatch dispatch) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 50;
    constexpr int kTotal = kThreads * kPerThread;
    xerial::Sdk sdk(config(dispatch));
    REQUIRE(sdk.ok());
    std::vector<std::atomic<int>> calls(kTotal);
    std::vector<std::atomic<uint64_t>> got_id(kTotal);
    std::vector<std::atomic<int32_t>> got_code(kTotal);
    std::vector<uint64_t> ids(kTotal, 0);
    std::atomic<int> total{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const int slot = t * kPerThread + i;
                ids[static_cast<std::size_t>(slot)] =
                    xerial::logout("token-" + std::to_string(slot), [&, slot](const xerial::Result& r) {
                        got_id[static_cast<std::size_t>(slot)] = r.request_id;
                        got_code[static_cast<std::size_t>(slot)] = xerial::to_int(r.code);
                        calls[static_cast<std::size_t>(slot)]++;
                        total++;
                    }).id();
            }
        });
    }
    for (std::thread& th : threads) th.join();
    const bool poll_mode = dispatch == xerial::Dispatch::Poll;
    CHECK(wait_for([&] { return total.load() >= kTotal; }, ms(20000), poll_mode));
    wait_for([] { return false; }, ms(100), poll_mode);  // nothing more may arrive
    CHECK_EQ(total.load(), kTotal);
    std::map<uint64_t, int> unique;
    int wrong = 0;
    for (int i = 0; i < kTotal; ++i) {
        const std::size_t k = static_cast<std::size_t>(i);
        unique[ids[k]]++;
        if (ids[k] == 0 || calls[k].load() != 1 || got_id[k].load() != ids[k] ||
            got_code[k].load() != xerial::to_int(Code::NotFound))
            wrong++;
    }
    CHECK_EQ(wrong, 0);
    CHECK_EQ(unique.size(), static_cast<std::size_t>(kTotal));
    CHECK_EQ(g_mock->count("POST", LOGOUT), static_cast<long>(kTotal));
}

void case_many_concurrent_calls_once() { many_concurrent(xerial::Dispatch::Poll); }
void case_many_concurrent_calls_once_immediate() { many_concurrent(xerial::Dispatch::Immediate); }

void case_calls_from_inside_callback() {
    xerial::Sdk sdk(config());
    REQUIRE(sdk.ok());
    Seen second;
    std::atomic<int> first{0};
    xerial::Request inner;
    REQUIRE(xerial::logout("some-token", [&](const xerial::Result&) {
                first++;
                CHECK_EQ(xerial::poll(), 0u);  // nested poll returns at once (poll mode: main thread)
                CHECK_EQ(xerial::Request(999999999).cancel(), Code::NotFound);
                inner = xerial::logout("other-token", second.callback());
            }).valid());
    REQUIRE(wait_for([&] { return first.load() == 1 && second.done(); }, ms(5000)));
    CHECK(inner.valid());
    CHECK_EQ(second.get().request_id, inner.id());
    CHECK_EQ(second.get().code, Code::NotFound);
}

void case_log_callback() {
    struct Log {
        std::mutex mutex;
        std::vector<std::pair<xerial::LogLevel, std::string>> lines;
    };
    auto log = std::make_shared<Log>();
    xerial::set_log_callback(
        [log](xerial::LogLevel level, const std::string& message) {
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.emplace_back(level, message);
        },
        xerial::LogLevel::Trace);
    CHECK_EQ(log.use_count(), 2L);
    {
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
        Seen s;
        REQUIRE(xerial::logout("some-token", s.callback()).valid());
        REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
    }
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        CHECK(!log->lines.empty());
        bool levels_ok = true;
        for (auto& l : log->lines) {
            const int v = static_cast<int>(l.first);
            if (v < XERIAL_LOG_ERROR || v > XERIAL_LOG_TRACE) levels_ok = false;
            if (l.second.find("some-token") != std::string::npos) fail(__LINE__, "a token reached the log");
        }
        CHECK(levels_ok);
    }
    // Error only: the info record of init is filtered
    std::size_t before;
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        before = log->lines.size();
    }
    xerial::set_log_callback(
        [log](xerial::LogLevel level, const std::string& message) {
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.emplace_back(level, message);
        },
        xerial::LogLevel::Error);
    CHECK_EQ(log.use_count(), 2L);  // the first function was destroyed when replaced
    {
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
    }
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        CHECK_EQ(log->lines.size(), before);
    }
    xerial::set_log_callback(nullptr);
    CHECK_EQ(log.use_count(), 1L);
    xerial::Sdk sdk(config());
    CHECK(sdk.ok());
}

void case_config_fields_reach_the_library() {
    // every field of Config is passed: a bad one is refused by xerial_init
    {
        xerial::Config c = config();
        c.base_url = "ftp://127.0.0.1/";
        xerial::Sdk sdk(c);
        CHECK(!sdk.ok());
        CHECK_EQ(sdk.init_code(), Code::InvalidArgument);
    }
    {
        xerial::Config c = config();
        c.marketplace_url = "not a url";
        CHECK_EQ(xerial::Sdk(c).init_code(), Code::InvalidArgument);
    }
    {
        xerial::Config c = config();
        c.base_url = "http://198.51.100.7:8080";  // plain http, not loopback
        CHECK_EQ(xerial::Sdk(c).init_code(), Code::InvalidArgument);
        c.allow_insecure_http = true;
        xerial::Sdk sdk(c);
        CHECK_EQ(sdk.init_code(), Code::Ok);
    }
    {
        xerial::Config c = config();
        c.extra_root_ca_pem = "not a certificate";
        CHECK_EQ(xerial::Sdk(c).init_code(), Code::InvalidArgument);
    }
    {
        xerial::Config c = config();
        c.proxy_url = "::not a proxy::";
        CHECK_EQ(xerial::Sdk(c).init_code(), Code::InvalidArgument);
    }
    {
        // the mock as a proxy: a request for an unreachable host still reaches it
        xerial::Config c = config();
        c.base_url = "http://127.0.0.1:9";
        c.proxy_url = g_url;
        xerial::Sdk sdk(c);
        REQUIRE(sdk.ok());
        Seen s;
        REQUIRE(xerial::logout("some-token", s.callback()).valid());
        REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
        CHECK_EQ(s.get().code, Code::NotFound);
        CHECK_EQ(g_mock->count("POST", LOGOUT), 1L);
    }
    {
        // project_id: the configured one is used when a call is given none
        xerial::Config c = config();
        c.project_id = "6564b4f3fa203b318f65da05";
        c.marketplace_url = g_url;
        xerial::Sdk sdk(c);
        REQUIRE(sdk.ok());
        Seen s;
        REQUIRE(xerial::market_collections(std::nullopt, s.callback()).valid());
        REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
        CHECK_EQ(s.get().code, Code::Ok);
    }
    {
        // timeout_ms: a hung answer ends as Timeout near the deadline
        REQUIRE(g_mock->fault(fault_rule("{\"kind\":\"hang\",\"maxMs\":" + std::to_string(ms(10000)) + "}")));
        xerial::Config c = config();
        c.timeout_ms = static_cast<uint32_t>(ms(300));
        xerial::Sdk sdk(c);
        REQUIRE(sdk.ok());
        Seen s;
        const auto start = Clock::now();
        REQUIRE(xerial::logout("some-token", s.callback()).valid());
        REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
        CHECK_EQ(s.get().code, Code::Timeout);
        CHECK(took >= 250 && took < ms(3000));
        REQUIRE(g_mock->clear_faults());
    }
    {
        // max_retries: a read answered 500 once is retried by default, not with 0
        const std::string path = std::string("/api/wallet/0x8e9DD3c1Db3254d968967CbC367542C343273629/polygon/eth");
        const std::string rule = "{\"method\":\"GET\",\"path\":\"" + path +
                                 "\",\"times\":1,\"fault\":{\"kind\":\"status\",\"status\":500}}";
        for (uint32_t retries : {2u, 0u}) {
            REQUIRE(g_mock->clear_requests());
            REQUIRE(g_mock->fault(rule));
            xerial::Config c = config();
            c.max_retries = retries;
            xerial::Sdk sdk(c);
            REQUIRE(sdk.ok());
            Seen s;
            REQUIRE(xerial::wallet_native_balance("0x8e9DD3c1Db3254d968967CbC367542C343273629", "polygon",
                                                  s.callback())
                        .valid());
            REQUIRE(wait_for([&] { return s.done(); }, ms(10000)));
            CHECK_EQ(s.get().code, retries > 0 ? Code::Ok : Code::Server);
            CHECK_EQ(g_mock->count("GET", path), retries > 0 ? 2L : 1L);
            REQUIRE(g_mock->clear_faults());
        }
    }
    {
        // without a marketplace_url the market calls answer InvalidArgument
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
        Seen s;
        REQUIRE(xerial::market_project("demo-arena", s.callback()).valid());
        REQUIRE(wait_for([&] { return s.done(); }, ms(5000)));
        CHECK_EQ(s.get().code, Code::InvalidArgument);
    }
}

// The demo world the mock serves by default (xerial-mock/fixtures/demo.json).
const char* const PLAYER_WALLET = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
const char* const RIVAL_WALLET = "0x1111111111111111111111111111111111111111";
const char* const PLAYER_ID = "5ebac534954b54139806c112";
const char* const PROJECT = "6564b4f3fa203b318f65da05";
const char* const COLLECTION = "0xC011EC7100000000000000000000000000000001";
const char* const USDC = "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359";

struct Row {
    const char* what;
    const char* method;
    std::string path;  // as the mock counts it (no query)
    Code code;
    const char* body_has;  // "" = anything
    std::function<xerial::Request(xerial::Callback)> issue;
};

std::vector<Row> every_call() {
    const std::string w = std::string("/api/wallet/") + PLAYER_WALLET + "/polygon";
    const std::string sig = "0x" + std::string(130, '1');
    const std::string addr = PLAYER_WALLET;
    return {
        {"request_nonce", "POST", "/api/nonce", Code::Ok, "\"nonce\"",
         [=](xerial::Callback cb) { return xerial::request_nonce(addr, std::move(cb)); }},
        {"login_wallet", "POST", "/api/auth/metamask", Code::BadRequest, "",
         [=](xerial::Callback cb) { return xerial::login_wallet(addr, sig, std::move(cb)); }},
        {"login_google", "POST", "/api/auth/google", Code::BadRequest, "",
         [](xerial::Callback cb) { return xerial::login_google("not-a-google-id-token", "client-id", std::move(cb)); }},
        {"refresh", "POST", "/api/auth/refresh-tokens", Code::Ok, "\"accessExpires\"",
         [](xerial::Callback cb) { return xerial::refresh(std::move(cb)); }},
        {"user_get", "GET", "/api/user", Code::Ok, PLAYER_WALLET,
         [](xerial::Callback cb) { return xerial::user_get(std::move(cb)); }},
        {"wallet_native_balance", "GET", w + "/eth", Code::Ok, "{\"balance\":\"25\"}",
         [=](xerial::Callback cb) { return xerial::wallet_native_balance(addr, "polygon", std::move(cb)); }},
        {"wallet_token_balances", "GET", w + "/tokens", Code::Ok, "\"usdc\"",
         [=](xerial::Callback cb) { return xerial::wallet_token_balances(addr, "polygon", std::move(cb)); }},
        {"wallet_project_inventory", "GET", w + "/project-inventory/" + PROJECT, Code::Ok, "\"tokenId\"",
         [=](xerial::Callback cb) {
             return xerial::wallet_project_inventory(addr, "polygon", std::string(PROJECT), std::move(cb));
         }},
        {"wallet_project_inventory (configured project)", "GET", w + "/project-inventory/" + PROJECT, Code::Ok,
         "\"tokenId\"",
         [=](xerial::Callback cb) {
             return xerial::wallet_project_inventory(addr, "polygon", std::nullopt, std::move(cb));
         }},
        {"wallet_global_inventory", "GET", w + "/global-inventory", Code::Ok, "\"ownedNfts\"",
         [=](xerial::Callback cb) { return xerial::wallet_global_inventory(addr, "polygon", std::move(cb)); }},
        {"custodial_create_user", "POST", "/api/user", Code::Ok, "cpp-wrapper@studio.test",
         [](xerial::Callback cb) { return xerial::custodial_create_user(std::string("cpp-wrapper@studio.test"), std::move(cb)); }},
        {"custodial_create_user (no reference)", "POST", "/api/user", Code::Ok, "\"id\"",
         [](xerial::Callback cb) { return xerial::custodial_create_user(std::nullopt, std::move(cb)); }},
        {"custodial_create_wallet", "POST", std::string("/api/wallet/") + PLAYER_ID, Code::Ok, "\"address\"",
         [](xerial::Callback cb) { return xerial::custodial_create_wallet(PLAYER_ID, std::move(cb)); }},
        {"tx_transfer_token", "POST", w + "/transfer-token", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) {
             return xerial::tx_transfer_token(addr, "polygon", USDC, "1.5", RIVAL_WALLET, std::move(cb));
         }},
        {"tx_transfer_nft", "POST", w + "/transfer-nft", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) {
             return xerial::tx_transfer_nft(addr, "polygon", COLLECTION, "1", RIVAL_WALLET, std::move(cb));
         }},
        {"tx_primary_purchase", "POST", w + "/primary-purchase", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) {
             return xerial::tx_primary_purchase(addr, "polygon", COLLECTION, "1", 2, std::move(cb));
         }},
        {"tx_list_nft", "POST", w + "/list-nft", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) {
             return xerial::tx_list_nft(addr, "polygon", COLLECTION, "2", "0.75", std::move(cb));
         }},
        {"tx_secondary_purchase", "POST", w + "/secondary-purchase", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) { return xerial::tx_secondary_purchase(addr, "polygon", "38", std::move(cb)); }},
        {"tx_delist_nft", "POST", w + "/delist-nft", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) { return xerial::tx_delist_nft(addr, "polygon", "39", std::move(cb)); }},
        {"tx_custom", "POST", w + "/transaction", Code::Ok, "\"transactionHash\"",
         [=](xerial::Callback cb) {
             return xerial::tx_custom(addr, "polygon",
                                      std::string("{\"type\":\"CONTRACT_EXECUTION\",\"to\":\"") + COLLECTION +
                                          "\",\"functionName\":\"mint\",\"value\":0,\"inputs\":[]}",
                                      std::move(cb));
         }},
        {"market_collections", "GET", "/collections", Code::Ok, "Arena Heroes Gear",
         [](xerial::Callback cb) { return xerial::market_collections(std::string(PROJECT), std::move(cb)); }},
        {"market_collections (configured project)", "GET", "/collections", Code::Ok, "Arena Heroes Gear",
         [](xerial::Callback cb) { return xerial::market_collections(std::nullopt, std::move(cb)); }},
        {"market_primary_listings", "GET", std::string("/marketplace/") + PROJECT + "/polygon/primary", Code::Ok,
         "\"typeId\"",
         [](xerial::Callback cb) {
             return xerial::market_primary_listings(std::string(PROJECT), "polygon", std::move(cb));
         }},
        {"market_secondary_listings", "GET", std::string("/marketplace/") + PROJECT + "/polygon/secondary", Code::Ok,
         "",
         [](xerial::Callback cb) {
             return xerial::market_secondary_listings(std::string(PROJECT), "polygon", std::nullopt, std::move(cb));
         }},
        {"market_secondary_listings (seller)", "GET", std::string("/marketplace/") + PROJECT + "/polygon/secondary",
         Code::Ok, "",
         [=](xerial::Callback cb) {
             return xerial::market_secondary_listings(std::nullopt, "polygon", addr, std::move(cb));
         }},
        {"market_project", "GET", "/marketplace/demo-arena", Code::Ok, "Xerial Demo Arena",
         [](xerial::Callback cb) { return xerial::market_project("demo-arena", std::move(cb)); }},
        {"request GET", "GET", "/api/user", Code::Ok, PLAYER_WALLET,
         [](xerial::Callback cb) { return xerial::request("GET", "/api/user", std::nullopt, true, std::move(cb)); }},
        {"request POST", "POST", "/api/nonce", Code::Ok, "\"nonce\"",
         [=](xerial::Callback cb) {
             return xerial::request("POST", "/api/nonce", "{\"address\":\"" + addr + "\"}", false, std::move(cb));
         }},
    };
}

void case_every_call_reaches_its_endpoint() {
    std::vector<Row> rows = every_call();
    // not initialised: every wrapper returns an empty Request and frees its callback
    auto token = std::make_shared<int>(0);
    std::atomic<int> early{0};
    for (Row& row : rows) {
        xerial::Request r = row.issue([token, &early](const xerial::Result&) { early++; });
        if (r.valid()) fail(__LINE__, std::string(row.what) + ": a request id before init");
    }
    CHECK_EQ(token.use_count(), 1L);
    CHECK_EQ(early.load(), 0);

    xerial::Config c = config();
    c.marketplace_url = g_url;
    c.project_id = PROJECT;
    xerial::Sdk sdk(c);
    REQUIRE(sdk.ok());
    const std::string pair = g_mock->new_session();
    REQUIRE(xerial::session_set(pair) == Code::Ok);
    for (Row& row : rows) {
        REQUIRE(g_mock->clear_requests());
        Seen s;
        xerial::Request req = row.issue(s.callback());
        if (!req.valid()) {
            fail(__LINE__, std::string(row.what) + ": no request id");
            continue;
        }
        if (!wait_for([&] { return s.done(); }, ms(5000))) {
            fail(__LINE__, std::string(row.what) + ": no callback within 5 s");
            continue;
        }
        wait_for([] { return false; }, 5);
        const xerial::Result r = s.get();
        std::ostringstream what;
        what << row.what << ": ";
        if (s.calls.load() != 1) what << "called " << s.calls.load() << " times; ";
        if (r.request_id != req.id()) what << "request_id " << r.request_id << " != " << req.id() << "; ";
        if (r.code != row.code)
            what << "code " << r.code << ", want " << row.code << " (HTTP " << r.http_status << ", \"" << r.message
                 << "\"); ";
        if (*row.body_has != '\0' && r.body.find(row.body_has) == std::string::npos)
            what << "body lacks " << row.body_has << ": " << r.body.substr(0, 200) << "; ";
        const long n = g_mock->count(row.method, row.path);
        if (n != 1) what << row.method << " " << row.path << " counted " << n << " times; ";
        if (what.str().size() > std::strlen(row.what) + 2) fail(__LINE__, what.str());
    }
    // a malformed argument comes back through the callback, not as a crash
    Seen bad;
    REQUIRE(xerial::wallet_native_balance("not-an-address", "polygon", bad.callback()).valid());
    REQUIRE(wait_for([&] { return bad.done(); }, ms(5000)));
    CHECK_EQ(bad.get().code, Code::InvalidArgument);
    Seen bad_chain;
    REQUIRE(xerial::wallet_native_balance(PLAYER_WALLET, "Polygon!", bad_chain.callback()).valid());
    REQUIRE(wait_for([&] { return bad_chain.done(); }, ms(5000)));
    CHECK_EQ(bad_chain.get().code, Code::InvalidArgument);
}

void case_auth_listener() {
    struct Heard {
        std::mutex mutex;
        std::vector<xerial::AuthState> states;
        std::vector<std::thread::id> threads;
        std::size_t size() {
            std::lock_guard<std::mutex> lock(mutex);
            return states.size();
        }
    };
    auto heard = std::make_shared<Heard>();
    auto listener = [heard](xerial::AuthState state) {
        std::lock_guard<std::mutex> lock(heard->mutex);
        heard->states.push_back(state);
        heard->threads.push_back(std::this_thread::get_id());
    };
    xerial::set_auth_listener(listener);  // before init: allowed
    const std::string pair = g_mock->new_session();
    {
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
        CHECK_EQ(xerial::session_set(pair), Code::Ok);
        sleep_ms(ms(50));
        CHECK_EQ(heard->size(), 0u);  // poll mode: only inside poll()
        CHECK(wait_for([&] { return heard->size() == 1; }, ms(2000)));
        Seen out;
        REQUIRE(xerial::logout(out.callback()).valid());
        CHECK(wait_for([&] { return heard->size() == 2 && out.done(); }, ms(5000)));
        CHECK_EQ(xerial::session_set(g_mock->new_session()), Code::Ok);
        CHECK_EQ(xerial::session_clear(), Code::Ok);
        CHECK(wait_for([&] { return heard->size() == 4; }, ms(2000)));
        std::lock_guard<std::mutex> lock(heard->mutex);
        const xerial::AuthState want[] = {xerial::AuthState::LoggedIn, xerial::AuthState::LoggedOut,
                                          xerial::AuthState::LoggedIn, xerial::AuthState::LoggedOut};
        for (std::size_t i = 0; i < heard->states.size() && i < 4; ++i) {
            if (heard->states[i] != want[i]) fail(__LINE__, "auth state #" + std::to_string(i) + " differs");
            if (heard->threads[i] != std::this_thread::get_id()) fail(__LINE__, "listener not on the polling thread");
        }
    }
    // removed: the function is freed and never called again (held: `heard`, `listener`, the slot)
    CHECK_EQ(heard.use_count(), 3L);
    xerial::set_auth_listener(nullptr);
    CHECK_EQ(heard.use_count(), 2L);
    {
        xerial::Sdk sdk(config());
        REQUIRE(sdk.ok());
        CHECK_EQ(xerial::session_set(g_mock->new_session()), Code::Ok);
        wait_for([] { return false; }, ms(100));
        CHECK_EQ(heard->size(), 4u);
    }
    // immediate mode: on an SDK worker
    xerial::set_auth_listener(listener);
    {
        xerial::Sdk sdk(config(xerial::Dispatch::Immediate));
        REQUIRE(sdk.ok());
        CHECK_EQ(xerial::session_set(g_mock->new_session()), Code::Ok);
        CHECK(wait_for([&] { return heard->size() == 5; }, ms(2000), false));
        std::lock_guard<std::mutex> lock(heard->mutex);
        if (heard->threads.size() == 5) CHECK(heard->threads[4] != std::this_thread::get_id());
    }
    xerial::set_auth_listener(nullptr);
}

#include "signin_cases.hpp"

// ---- runner -------------------------------------------------------------------------------------

struct Case {
    const char* name;
    void (*fn)();
};

#define CASE(n) {#n, case_##n}
const Case CASES[] = {
    CASE(codes_and_names),
    CASE(init_shutdown_raii),
    CASE(logout_204_then_404),
    CASE(logout_500_fault),
    CASE(cancel_through_handle),
    CASE(callbacks_on_polling_thread),
    CASE(callback_exception_caught),
    CASE(shutdown_in_flight),
    CASE(session_set_get),
    CASE(immediate_dispatch),
    CASE(many_concurrent_calls_once),
    CASE(many_concurrent_calls_once_immediate),
    CASE(calls_from_inside_callback),
    CASE(log_callback),
    CASE(every_call_reaches_its_endpoint),
    CASE(auth_listener),
    CASE(config_fields_reach_the_library),
    CASE(signin_google_desktop),
    CASE(signin_mobile_redirect_and_one_at_a_time),
};

void put(const char* s) {
    const ssize_t r = ::write(STDOUT_FILENO, s, std::strlen(s));
    (void)r;
}

void on_alarm(int) {
    // async-signal-safe: write() and _exit() only
    char line[160];
    put("FAIL - ");
    put(g_current);
    put(": watchdog: the case did not finish (deadlock or hang)\n");
    std::snprintf(line, sizeof line, "%d passed, %d failed\n", g_passed, g_failed + 1);
    put(line);
    ::_exit(1);
}

bool selected(const char* name, int argc, char** argv) {
    if (argc <= 2) return true;
    for (int i = 2; i < argc; ++i)
        if (std::strstr(name, argv[i]) != nullptr) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    const char* base = argc > 1 ? argv[1] : std::getenv("XERIAL_BASE_URL");
    if (base == nullptr || *base == '\0') {
        std::fprintf(stderr, "usage: %s BASE_URL [WORD...]\n", argv[0]);
        return 2;
    }
    g_url = base;
    while (!g_url.empty() && g_url.back() == '/') g_url.pop_back();
    if (const char* s = std::getenv("XERIAL_TEST_TIME_SCALE")) g_scale = std::max(1, std::atoi(s));
    mock::Client client(g_url);
    g_mock = &client;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGALRM, on_alarm);
    std::printf("# xerial C++ wrapper tests: library %s, ABI 0x%x, C++ %ld, mock %s\n", xerial::version(),
                static_cast<unsigned>(xerial::abi_version()), static_cast<long>(__cplusplus), g_url.c_str());

    for (const Case& c : CASES) {
        if (!selected(c.name, argc, argv)) continue;
        g_current = c.name;
        g_failures.clear();
        if (!client.reset()) {
            fail(__LINE__, "the mock at " + g_url + " does not answer POST /_mock/reset");
        } else {
            ::alarm(static_cast<unsigned>(120 * g_scale));
            c.fn();
            ::alarm(0);
        }
        // every case leaves the SDK shut down and logging off
        xerial::shutdown();
        xerial::set_log_callback(nullptr);
        xerial::set_auth_listener(nullptr);
        client.clear_faults();
        if (g_failures.empty()) {
            g_passed++;
            std::printf("ok - %s\n", c.name);
        } else {
            g_failed++;
            std::printf("FAIL - %s: %s\n", c.name, g_failures.front().c_str());
            for (std::size_t i = 1; i < g_failures.size(); ++i) std::printf("    %s\n", g_failures[i].c_str());
        }
    }
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 && g_passed > 0 ? 0 : 1;
}
