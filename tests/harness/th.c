/* th.c - failure recording, time, SDK setup, request records, waits. */
#include "th.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mock_admin.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

/* ---- failures ---------------------------------------------------------- */

static pthread_mutex_t g_fail_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_fail_count;
static char g_first_fail[512];

void th_fail(const char *file, int line, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    pthread_mutex_lock(&g_fail_mu);
    if (g_fail_count++ == 0)
        snprintf(g_first_fail, sizeof g_first_fail, "%s:%d: %s", base, line, msg);
    else
        printf("#   also %s:%d: %s\n", base, line, msg);
    fflush(stdout);
    pthread_mutex_unlock(&g_fail_mu);
}

int th_case_failed(void) {
    pthread_mutex_lock(&g_fail_mu);
    int n = g_fail_count;
    pthread_mutex_unlock(&g_fail_mu);
    return n;
}

/* Used by harness.c only. */
void th_case_begin(void);
const char *th_first_failure(void);
void th_case_begin(void) {
    pthread_mutex_lock(&g_fail_mu);
    g_fail_count = 0;
    g_first_fail[0] = '\0';
    pthread_mutex_unlock(&g_fail_mu);
}
const char *th_first_failure(void) { return g_first_fail; }

const char *th_code_str(int32_t code) {
    switch (code) {
    case 0: return "OK";
    case 1: return "INVALID_ARGUMENT";
    case 2: return "NOT_INITIALIZED";
    case 3: return "ALREADY_INITIALIZED";
    case 4: return "NOT_LOGGED_IN";
    case 5: return "CANCELLED";
    case 6: return "SHUTDOWN";
    case 7: return "BUFFER_TOO_SMALL";
    case 8: return "DENIED";
    case 9: return "UNAVAILABLE";
    case 10: return "NETWORK";
    case 11: return "TIMEOUT";
    case 12: return "OUTCOME_UNKNOWN";
    case 20: return "BAD_REQUEST";
    case 21: return "UNAUTHORIZED";
    case 22: return "FORBIDDEN";
    case 23: return "NOT_FOUND";
    case 24: return "NOT_SUPPORTED";
    case 25: return "PRECONDITION_FAILED";
    case 26: return "RATE_LIMITED";
    case 27: return "HTTP";
    case 30: return "SERVER";
    case 31: return "DECODE";
    case 99: return "INTERNAL";
    default: return "?";
    }
}

/* ---- time -------------------------------------------------------------- */

int g_time_scale = 1;

int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#ifdef __EMSCRIPTEN__
/* Yields to the event loop (Asyncify), where fetch answers and timers run. */
void sleep_ms(int ms) { emscripten_sleep((unsigned)ms); }
#else
void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}
#endif

/* ---- SDK --------------------------------------------------------------- */

const char *g_base_url;
uint32_t g_dispatch;
const XerialTransport *g_transport;
uint64_t g_run_mode = XERIAL_RUN_THREADS;

void cfg_mock(XerialConfig *cfg, uint32_t dispatch, uint32_t timeout_ms) {
    xerial_config_init(cfg, sizeof *cfg);
    cfg->base_url = g_base_url;
    cfg->transport = g_transport;
    cfg->run_mode = g_run_mode;
    cfg->dispatch = dispatch;
    /* sessions stay in memory unless a case chooses a store: the default (the OS's store)
     * would carry them from one case into the next */
    cfg->session_store = XERIAL_SESSION_STORE_MEMORY;
    if (timeout_ms) cfg->timeout_ms = timeout_ms;
}

#ifdef __EMSCRIPTEN__
EM_JS(int, in_browser_page, (void), { return typeof window !== 'undefined' ? 1 : 0; });
int g_browser;
#else
int g_browser = 0;
#endif

void th_detect_browser(void) {
#ifdef __EMSCRIPTEN__
    g_browser = in_browser_page();
#endif
}

void check_sent_once_unless_browser(long n, const char *what, const char *file, int line) {
    if (n == 1) return;
    if (g_browser && n > 1) {
        printf("# browser: %s: the page's fetch re-sent it on a reused connection (the server saw %ld)\n", what, n);
        return;
    }
    th_fail(file, line, "%s: the server saw %ld requests, want exactly 1", what, n);
}

uint32_t other_dispatch(void) {
    return g_run_mode == XERIAL_RUN_IN_POLL ? XERIAL_DISPATCH_POLL : XERIAL_DISPATCH_IMMEDIATE;
}

int32_t sdk_init_cfg(const XerialConfig *cfg) {
    int32_t rc = xerial_init(cfg);
    if (rc == XERIAL_OK) g_dispatch = cfg ? cfg->dispatch : (uint32_t)XERIAL_DISPATCH_POLL;
    return rc;
}

int32_t sdk_init(uint32_t dispatch, uint32_t timeout_ms) {
    XerialConfig cfg;
    cfg_mock(&cfg, dispatch, timeout_ms);
    return sdk_init_cfg(&cfg);
}

/* ---- records ----------------------------------------------------------- */

#define POOL_SIZE 4096
static rec_t g_pool[POOL_SIZE];
static atomic_int g_pool_next;
atomic_int g_no_callbacks_now;
atomic_int g_stray_callbacks;

rec_t *rec_new(void) {
    int i = atomic_fetch_add(&g_pool_next, 1);
    if (i >= POOL_SIZE) {
        fprintf(stderr, "harness: record pool exhausted\n");
        abort();
    }
    return &g_pool[i];
}

#define MAX_SECRETS 32
static char *g_secrets[MAX_SECRETS];
static int g_n_secrets;

void th_secret_add(const char *secret) {
    if (!secret || !secret[0] || g_n_secrets >= MAX_SECRETS) return;
    for (int i = 0; i < g_n_secrets; i++)
        if (strcmp(g_secrets[i], secret) == 0) return;
    g_secrets[g_n_secrets] = strdup(secret);
    if (!g_secrets[g_n_secrets]) abort();
    g_n_secrets++;
}

int th_secret_in(const char *text) {
    for (int i = 0; text && i < g_n_secrets; i++)
        if (strstr(text, g_secrets[i])) return 1;
    return 0;
}

static void secrets_clear(void) {
    for (int i = 0; i < g_n_secrets; i++) free(g_secrets[i]);
    g_n_secrets = 0;
}

void rec_pool_reset(void) {
    secrets_clear();
    int n = atomic_load(&g_pool_next);
    if (n > POOL_SIZE) n = POOL_SIZE;
    for (int i = 0; i < n; i++) {
        free(g_pool[i].message);
        free(g_pool[i].body);
        memset(&g_pool[i], 0, sizeof g_pool[i]);
    }
    atomic_store(&g_pool_next, 0);
}

static char *dup_or_null(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void rec_cb(void *user_data, const XerialResult *res) {
    rec_t *r = user_data;
    if (atomic_load(&g_no_callbacks_now)) atomic_fetch_add(&g_stray_callbacks, 1);
    if (!r) {
        atomic_fetch_add(&g_stray_callbacks, 1);
        return;
    }
    if (atomic_load(&g_no_callbacks_now)) r->late = 1;
    if (atomic_fetch_add(&r->entered, 1) == 0) {
        r->thread = pthread_self();
        if (!res) {
            r->bad_result = 1;
            snprintf(r->bad_why, sizeof r->bad_why, "result pointer is NULL");
        } else {
            r->got_id = res->request_id;
            r->code = res->code;
            r->http_status = res->http_status;
            r->retry_after_ms = res->retry_after_ms;
            r->retryable = res->retryable;
            if (!res->message) {
                r->bad_result = 1;
                snprintf(r->bad_why, sizeof r->bad_why, "message is NULL");
            } else {
                r->message = dup_or_null(res->message, strlen(res->message));
            }
            if (!res->body) {
                r->bad_result = 1;
                snprintf(r->bad_why, sizeof r->bad_why, "body is NULL");
            } else {
                size_t sl = strlen(res->body);
                if (sl != res->body_len) {
                    r->bad_result = 1;
                    snprintf(r->bad_why, sizeof r->bad_why, "body_len %zu but strlen(body) %zu",
                             res->body_len, sl);
                }
                r->body = dup_or_null(res->body, sl);
                r->body_len = res->body_len;
            }
            if (r->secret && ((r->message && strstr(r->message, r->secret)) ||
                              (r->body && strstr(r->body, r->secret))))
                r->leaked_secret = 1;
        }
        if (r->hook) r->hook(r, res);
    }
    atomic_fetch_add(&r->calls, 1);
}

/* ---- ids --------------------------------------------------------------- */

#define ID_LOG_CAP (1 << 17)
static XerialRequestId g_ids[ID_LOG_CAP];
static size_t g_ids_n;
static pthread_mutex_t g_ids_mu = PTHREAD_MUTEX_INITIALIZER;

void id_log(XerialRequestId id) {
    if (id == 0) return;
    pthread_mutex_lock(&g_ids_mu);
    if (g_ids_n < ID_LOG_CAP) g_ids[g_ids_n++] = id;
    pthread_mutex_unlock(&g_ids_mu);
}

static int cmp_id(const void *a, const void *b) {
    XerialRequestId x = *(const XerialRequestId *)a, y = *(const XerialRequestId *)b;
    return x < y ? -1 : x > y;
}

int id_log_check_unique(size_t *n_out, XerialRequestId *dup_out) {
    pthread_mutex_lock(&g_ids_mu);
    size_t n = g_ids_n;
    XerialRequestId *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) abort();
    memcpy(copy, g_ids, n * sizeof *copy);
    pthread_mutex_unlock(&g_ids_mu);
    qsort(copy, n, sizeof *copy, cmp_id);
    int ok = 1;
    for (size_t i = 1; i < n; i++)
        if (copy[i] == copy[i - 1]) {
            ok = 0;
            if (dup_out) *dup_out = copy[i];
            break;
        }
    free(copy);
    if (n_out) *n_out = n;
    return ok;
}

XerialRequestId issue_logout(const char *token, rec_t *r) {
    XerialRequestId id = xerial_logout(token, rec_cb, r);
    r->id = id;
    id_log(id);
    return id;
}

/* ---- waits ------------------------------------------------------------- */

atomic_int g_in_poll;

uint32_t th_poll(uint32_t max_callbacks) {
    atomic_store(&g_in_poll, 1);
    uint32_t n = xerial_poll(max_callbacks);
    atomic_store(&g_in_poll, 0);
    return n;
}

static void pump(void) {
    if (g_dispatch == XERIAL_DISPATCH_POLL) th_poll(0);
}

int wait_rec(rec_t *r, int timeout_ms) { return wait_recs(&r, 1, timeout_ms); }

int wait_recs(rec_t **recs, int n, int timeout_ms) {
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        pump();
        int done = 1;
        for (int i = 0; i < n && done; i++)
            if (atomic_load(&recs[i]->calls) < 1) done = 0;
        if (done) return 1;
        if (now_ms() > end) return 0;
        sleep_ms(1);
    }
}

int wait_mock_count(const char *path, long n, int timeout_ms) {
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        /* Without threads the SDK sends nothing until it is polled. */
        if (g_run_mode == XERIAL_RUN_IN_POLL) th_poll(0);
        if (mock_count("POST", path) >= n) return 1;
        if (now_ms() > end) return 0;
        sleep_ms(10);
    }
}

unsigned poll_for(int ms) {
    unsigned total = 0;
    int64_t end = now_ms() + ms;
    do {
        if (g_dispatch == XERIAL_DISPATCH_POLL) total += th_poll(0);
        sleep_ms(2);
    } while (now_ms() < end);
    return total;
}

void check_rec_once(rec_t *r, const char *file, int line) {
    int calls = atomic_load(&r->calls);
    if (calls != 1) th_fail(file, line, "callback ran %d times, want exactly 1", calls);
    if (calls < 1) return;
    if (r->id != 0 && r->got_id != r->id)
        th_fail(file, line, "result->request_id %llu != returned id %llu",
                (unsigned long long)r->got_id, (unsigned long long)r->id);
    if (r->bad_result) th_fail(file, line, "bad result: %s", r->bad_why);
    if (r->leaked_secret) th_fail(file, line, "the token appears in message or body");
    for (int i = 0; i < g_n_secrets; i++)
        if ((r->message && strstr(r->message, g_secrets[i])) || (r->body && strstr(r->body, g_secrets[i])))
            th_fail(file, line, "a secret of the case (token or signature) appears in message or body");
    if (r->late) th_fail(file, line, "callback ran when none may run");
    if (r->retryable > 1) th_fail(file, line, "retryable is %u, not 0/1", r->retryable);
}
