/* th.h - the harness's tiny test framework and shared helpers.
 *
 * A case is a `void fn(void)` in the table in harness.c. Checks record
 * file:line and keep going; REQUIRE jumps to the case's CLEANUP label. Every
 * case must end with
 *
 *     CLEANUP;
 *     ...free / xerial_shutdown()...
 *
 * so that callbacks owed to the case run while its state is still alive.
 */
#ifndef XERIAL_HARNESS_TH_H
#define XERIAL_HARNESS_TH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "xerial.h"

/* ---- failures ---------------------------------------------------------- */

void th_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int th_case_failed(void);

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) th_fail(__FILE__, __LINE__, "%s", #cond);                         \
    } while (0)

#define CHECK_MSG(cond, ...)                                                           \
    do {                                                                               \
        if (!(cond)) th_fail(__FILE__, __LINE__, __VA_ARGS__);                         \
    } while (0)

/* Integer equality; values are printed. Works for any integer types. */
#define CHECK_EQ(a, b)                                                                 \
    do {                                                                               \
        long long th_a_ = (long long)(a), th_b_ = (long long)(b);                      \
        if (th_a_ != th_b_)                                                            \
            th_fail(__FILE__, __LINE__, "%s == %s: got %lld, want %lld", #a, #b, th_a_, \
                    th_b_);                                                            \
    } while (0)

/* XerialCode equality, printed by name. */
#define CHECK_CODE(a, b)                                                               \
    do {                                                                               \
        int32_t th_a_ = (int32_t)(a), th_b_ = (int32_t)(b);                            \
        if (th_a_ != th_b_)                                                            \
            th_fail(__FILE__, __LINE__, "%s: got %s (%d), want %s (%d)", #a,           \
                    th_code_str(th_a_), (int)th_a_, th_code_str(th_b_), (int)th_b_);   \
    } while (0)

#define CHECK_STREQ(a, b)                                                              \
    do {                                                                               \
        const char *th_a_ = (a), *th_b_ = (b);                                         \
        if (!th_a_ || !th_b_ || strcmp(th_a_, th_b_) != 0)                             \
            th_fail(__FILE__, __LINE__, "%s: got \"%.200s\", want \"%.200s\"", #a,     \
                    th_a_ ? th_a_ : "(null)", th_b_ ? th_b_ : "(null)");               \
    } while (0)

/* Fatal check: records the failure and jumps to CLEANUP. */
#define REQUIRE(cond)                                                                  \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            th_fail(__FILE__, __LINE__, "required: %s", #cond);                        \
            goto th_cleanup;                                                           \
        }                                                                              \
    } while (0)

#define REQUIRE_MSG(cond, ...)                                                         \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            th_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
            goto th_cleanup;                                                           \
        }                                                                              \
    } while (0)

/* Ends the case body; code after it is the case's cleanup. */
#define CLEANUP                                                                        \
    goto th_cleanup;                                                                   \
    th_cleanup:

const char *th_code_str(int32_t code); /* our own table, independent of xerial_code_name */

/* ---- time -------------------------------------------------------------- */

extern int g_time_scale; /* multiplies generous deadlines (valgrind: HARNESS_TIME_SCALE) */
int64_t now_ms(void);
void sleep_ms(int ms);
#define SLOW(ms) ((int)(ms) * g_time_scale)

/* ---- the SDK under test ------------------------------------------------ */

extern const char *g_base_url; /* the mock's URL, from argv */

/* The harness's mode (harness.c reads HARNESS_TRANSPORT and HARNESS_RUN_MODE): the transport
 * and run mode every config of cfg_mock() gets. NULL / XERIAL_RUN_THREADS: the defaults. */
extern const XerialTransport *g_transport;
extern uint64_t g_run_mode;
/* The dispatch a case alternates with poll: immediate, except in XERIAL_RUN_IN_POLL mode, which
 * has only poll dispatch. */
uint32_t other_dispatch(void);
/* Whether this build can run with the defaults of the 1.2 fields (no host transport, the SDK's
 * threads): a struct from an ABI 1.0 or 1.1 binding, or a NULL config, relies on them. Not in the
 * WebAssembly build, which needs a host transport and XERIAL_RUN_IN_POLL. */
#ifdef __EMSCRIPTEN__
#define DEFAULTS_RUN 0
#else
#define DEFAULTS_RUN 1
#endif

/* 1 when the harness runs in a browser page (the WebAssembly harness in Chromium), whose network
 * stack decides three things the SDK cannot (README, "WebGL"): a cross-origin page reads
 * Retry-After only if the server exposes it (Xerial's CORS does not), a redirect's status is
 * hidden (the fetch transport reports 300), and the browser itself re-sends a request whose
 * reused keep-alive connection returned nothing. The checks those decide expect the browser's
 * behaviour there, and say so in a `# browser:` line. */
extern int g_browser;
/* The Retry-After the harness can see: `ms`, or 0 in a browser page. */
#define SEEN_RETRY_AFTER(ms) (g_browser ? 0u : (uint32_t)(ms))
/* The request of a dropped connection was sent once (the count the mock saw is `n`); in a
 * browser page, noted instead (the browser may re-send it). */
void check_sent_once_unless_browser(long n, const char *what, const char *file, int line);
#define CHECK_SENT_ONCE(n, what) check_sent_once_unless_browser((n), (what), __FILE__, __LINE__)

/* Fills a config pointing at the mock (allow_insecure_http left 0: loopback). */
void cfg_mock(XerialConfig *cfg, uint32_t dispatch, uint32_t timeout_ms);
/* xerial_init with cfg_mock(); records the dispatch mode for the wait helpers.
 * Returns the init code. */
int32_t sdk_init(uint32_t dispatch, uint32_t timeout_ms);
int32_t sdk_init_cfg(const XerialConfig *cfg);
extern uint32_t g_dispatch;

/* ---- request records --------------------------------------------------- */

typedef struct rec rec_t;
typedef void (*rec_hook)(rec_t *r, const XerialResult *res);

/* One per request. Lives in a static pool (so even a buggy late callback
 * writes to valid memory); the first callback is copied in, later ones are
 * only counted. `calls` is incremented after the copy and the hook. */
struct rec {
    atomic_int calls;
    atomic_int entered;       /* set on entry, before the copy and the hook */
    XerialRequestId id;       /* what the call returned (set by issue_*) */
    XerialRequestId got_id;   /* result->request_id */
    int32_t code;
    int32_t http_status;
    uint32_t retry_after_ms;
    uint8_t retryable;
    char *message;            /* malloc'd copies */
    char *body;
    size_t body_len;
    int bad_result;           /* NULL message/body, body_len != strlen(body), ... */
    char bad_why[160];
    pthread_t thread;         /* the thread the (first) callback ran on */
    const char *secret;       /* must appear in neither message nor body */
    int leaked_secret;
    int late;                 /* ran while the harness said no callback may run */
    rec_hook hook;            /* run inside the callback after the copy */
    void *hook_arg;
    void *hook_arg2;
    int hook_ret;
    int hook_ret2;
    XerialRequestId hook_id;
    atomic_int hook_done;
    int calls_at_return;      /* calls when track() saw the call return (world.h) */
};

rec_t *rec_new(void);                 /* a zeroed record from the pool */
void rec_pool_reset(void);            /* frees the copies; called between cases */
void rec_cb(void *user_data, const XerialResult *res); /* the XerialCallback */

/* xerial_logout(token, rec_cb, r); stores and logs the id. */
XerialRequestId issue_logout(const char *token, rec_t *r);
/* Logs an id the library returned so the last case can check uniqueness. */
void id_log(XerialRequestId id);
int id_log_check_unique(size_t *n_out, XerialRequestId *dup_out);

/* Waits until r->calls >= 1 (polling when the SDK is in poll mode). */
int wait_rec(rec_t *r, int timeout_ms);
/* Waits until every record of recs[0..n) has calls >= 1. */
int wait_recs(rec_t **recs, int n, int timeout_ms);
/* Waits until mock_count(POST, path) >= n: without xerial_poll, except in XERIAL_RUN_IN_POLL
 * mode, where nothing is sent unless the SDK is polled. */
int wait_mock_count(const char *path, long n, int timeout_ms);
/* Polls for `ms` ms (in poll mode) and returns how many callbacks ran. */
unsigned poll_for(int ms);

/* Checks the usual invariants of a delivered record (called exactly once,
 * request_id matches, result pointers sane, secret not leaked, not late). */
void check_rec_once(rec_t *r, const char *file, int line);
#define CHECK_ONCE(r) check_rec_once((r), __FILE__, __LINE__)

/* Secrets of the case (session tokens, signatures): copied; every CHECK_ONCE fails
 * when one appears in the record's message or body. Cleared between cases. */
void th_secret_add(const char *secret);
/* 1 when `text` holds one of the case's secrets. */
int th_secret_in(const char *text);

/* xerial_poll(max) with g_in_poll set around it (the wait helpers use it), so a
 * listener can tell that it runs inside xerial_poll. */
uint32_t th_poll(uint32_t max_callbacks);
extern atomic_int g_in_poll;

/* Set while the harness expects no callback of any kind to run. */
extern atomic_int g_no_callbacks_now;
extern atomic_int g_stray_callbacks;

#define LOGOUT_PATH "/api/auth/logout"

#endif
