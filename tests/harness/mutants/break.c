/* break.c - an LD_PRELOAD shim that makes libxerial break one promise of abi.md,
 * chosen by XERIAL_MUTANT=<name>. It proves the harness's cases can fail: run
 * tests/harness/mutants/run.sh and every mutant must make at least one case fail.
 * Test tooling only; never shipped. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xerial.h"

static const char *mutant(void) {
    static const char *m;
    if (!m) {
        const char *e = getenv("XERIAL_MUTANT");
        m = e ? e : "";
    }
    return m;
}
static int is(const char *name) { return strcmp(mutant(), name) == 0; }

#define REAL(name)                                                                         \
    static __typeof__(&name) real_##name;                                                  \
    if (!real_##name) *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

static void nap_ms(int ms) {
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

typedef struct {
    XerialCallback cb;
    void *ud;
    const char *fn; /* the exported function that made the request */
} wrap_t;

static __thread int t_in_login_cb; /* inside a login's callback (login_state_late) */
static XerialAuthCallback g_auth_cb; /* the harness's auth listener (wrapped) */
static void *g_auth_ud;

typedef struct {
    wrap_t w;
    XerialResult r;
} deferred_t;

static atomic_int g_calls;

static void *deferred_main(void *arg) {
    deferred_t *d = arg;
    nap_ms(50);
    d->w.cb(d->w.ud, &d->r);
    free(d);
    return NULL;
}

static void *other_thread_main(void *arg) {
    deferred_t *d = arg;
    d->w.cb(d->w.ud, &d->r);
    return NULL;
}

static void wrap_cb(void *ud, const XerialResult *res) {
    wrap_t w = *(wrap_t *)ud;
    free(ud);
    XerialResult r = *res;
    int n = atomic_fetch_add(&g_calls, 1);
    if (is("twice")) {
        w.cb(w.ud, &r);
        w.cb(w.ud, &r);
        return;
    }
    if (is("lose_some") && n % 7 == 3) return;
    if (is("notfound_as_http") && r.code == XERIAL_E_NOT_FOUND) r.code = XERIAL_E_HTTP;
    if (is("ok_as_notfound") && r.code == XERIAL_OK) r.code = XERIAL_E_NOT_FOUND;
    if (is("cancelled_as_network") && r.code == XERIAL_E_CANCELLED) r.code = XERIAL_E_NETWORK;
    if (is("timeout_as_network") && r.code == XERIAL_E_TIMEOUT) r.code = XERIAL_E_NETWORK;
    if (is("shutdown_as_cancelled") && r.code == XERIAL_E_SHUTDOWN) r.code = XERIAL_E_CANCELLED;
    if (is("network_as_timeout") && r.code == XERIAL_E_NETWORK) r.code = XERIAL_E_TIMEOUT;
    if (is("server_as_http") && r.code == XERIAL_E_SERVER) r.code = XERIAL_E_HTTP;
    if (is("unauthorized_as_http") && r.code == XERIAL_E_UNAUTHORIZED) r.code = XERIAL_E_HTTP;
    if (is("ratelimited_as_http") && r.code == XERIAL_E_RATE_LIMITED) r.code = XERIAL_E_HTTP;
    if (is("invalid_as_notloggedin") && r.code == XERIAL_E_INVALID_ARGUMENT) r.code = XERIAL_E_NOT_LOGGED_IN;
    if (is("notloggedin_as_invalid") && r.code == XERIAL_E_NOT_LOGGED_IN) r.code = XERIAL_E_INVALID_ARGUMENT;
    if (is("decode_as_ok") && r.code == XERIAL_E_DECODE) r.code = XERIAL_OK;
    if (is("http_status_off") && r.http_status) r.http_status += 1;
    if (is("request_id_off")) r.request_id += 1;
    if (is("body_len_off")) r.body_len += 1;
    if (is("null_message")) r.message = NULL;
    if (is("generic_message") && r.message[0]) r.message = "Something went wrong";
    if (is("empty_error_message") && r.code != XERIAL_OK) r.message = "";
    if (is("generic_body") && r.body[0]) {
        r.body = "{}";
        r.body_len = 2;
    }
    if (is("retryable_flipped")) r.retryable = !r.retryable;
    if (is("no_retry_after")) r.retry_after_ms = 0;
    if (is("token_in_message"))
        r.message = "harness-secret-http-errors harness-secret-refused harness-secret-echo-4f1c9a";
    /* issue 3: the whole API */
    if (is("outcome_as_network") && r.code == XERIAL_E_OUTCOME_UNKNOWN) r.code = XERIAL_E_NETWORK;
    if (is("outcome_retryable") && r.code == XERIAL_E_OUTCOME_UNKNOWN) r.retryable = 1;
    if (is("precondition_as_http") && r.code == XERIAL_E_PRECONDITION_FAILED) r.code = XERIAL_E_HTTP;
    if (is("forbidden_as_http") && r.code == XERIAL_E_FORBIDDEN) r.code = XERIAL_E_HTTP;
    if (is("notsupported_as_http") && r.code == XERIAL_E_NOT_SUPPORTED) r.code = XERIAL_E_HTTP;
    if (is("badrequest_as_http") && r.code == XERIAL_E_BAD_REQUEST) r.code = XERIAL_E_HTTP;
    if (is("server_retryable_tx") && r.code == XERIAL_E_SERVER && w.fn && !strncmp(w.fn, "xerial_tx_", 10))
        r.retryable = 1;
    if (is("unauthorized_as_notloggedin") && r.code == XERIAL_E_UNAUTHORIZED) r.code = XERIAL_E_NOT_LOGGED_IN;
    if (is("notloggedin_no_status") && r.code == XERIAL_E_NOT_LOGGED_IN) r.http_status = 0;
    char *leak = NULL;
    if (is("token_in_body") && r.code == XERIAL_OK && r.body[0]) {
        REAL(xerial_session_get);
        char sess[8192];
        size_t n = 0;
        if (real_xerial_session_get(sess, sizeof sess, &n) == XERIAL_OK) {
            const char *t = strstr(sess, "\"token\":\"");
            size_t tl = t ? strcspn(t + 9, "\"") : 0;
            leak = malloc(r.body_len + tl + 16);
            if (!leak) abort();
            snprintf(leak, r.body_len + tl + 16, "%s %.*s", r.body, (int)tl, t ? t + 9 : "");
            r.body = leak;
            r.body_len = strlen(leak);
        }
    }
    int login = w.fn && (!strcmp(w.fn, "xerial_login_google") || !strcmp(w.fn, "xerial_login_wallet"));
    if (login) t_in_login_cb = 1;
    /* the listener fires on a refresh that keeps the player logged in */
    if (is("auth_on_refresh") && w.fn && !strcmp(w.fn, "xerial_refresh") && r.code == XERIAL_OK && g_auth_cb)
        g_auth_cb(g_auth_ud, XERIAL_AUTH_LOGGED_IN);
    if ((is("shutdown_delivered_late") && r.code == XERIAL_E_SHUTDOWN) || (is("some_late") && n % 5 == 0)) {
        deferred_t *d = malloc(sizeof *d);
        pthread_t t;
        if (!d) abort();
        d->w = w;
        d->r = r;
        pthread_create(&t, NULL, deferred_main, d);
        pthread_detach(t);
        return;
    }
    if (is("wrong_thread")) {
        deferred_t d = {w, r};
        pthread_t t;
        pthread_create(&t, NULL, other_thread_main, &d);
        pthread_join(t, NULL);
        return;
    }
    w.cb(w.ud, &r);
    t_in_login_cb = 0;
    free(leak);
}

XerialRequestId xerial_logout(const char *token, XerialCallback cb, void *ud) {
    REAL(xerial_logout);
    if (!cb) return real_xerial_logout(token, cb, ud);
    if (is("sync_local_error") && token && (unsigned char)token[0] == 0xff) {
        XerialResult r = {(XerialRequestId)1 << 60, XERIAL_E_INVALID_ARGUMENT, 0, "bad", "", 0, 0, 0};
        cb(ud, &r);
        return r.request_id;
    }
    wrap_t *w = malloc(sizeof *w);
    if (!w) abort();
    w->cb = cb;
    w->ud = ud;
    w->fn = "xerial_logout";
    XerialRequestId id = real_xerial_logout(token, wrap_cb, w);
    if (id == 0) free(w);
    return id;
}

int32_t xerial_cancel(XerialRequestId id) {
    REAL(xerial_cancel);
    if (is("cancel_says_not_found")) return XERIAL_E_NOT_FOUND;
    if (is("cancel_says_ok")) {
        real_xerial_cancel(id);
        return XERIAL_OK;
    }
    return real_xerial_cancel(id);
}

uint32_t xerial_poll(uint32_t max_callbacks) {
    REAL(xerial_poll);
    if (is("poll_ignores_max")) max_callbacks = 0;
    uint32_t n = real_xerial_poll(max_callbacks);
    if (is("poll_miscounts") && n) n++;
    return n;
}

int32_t xerial_init(const XerialConfig *cfg) {
    REAL(xerial_init);
    int32_t rc = real_xerial_init(cfg);
    if (is("init_twice_ok") && rc == XERIAL_E_ALREADY_INITIALIZED) return XERIAL_OK;
    if (is("init_accepts_bad") && rc == XERIAL_E_INVALID_ARGUMENT) return XERIAL_OK;
    if (is("init_rejects_ipv6") && rc == XERIAL_OK && cfg && cfg->base_url && strstr(cfg->base_url, "[::1]")) {
        REAL(xerial_shutdown);
        real_xerial_shutdown();
        return XERIAL_E_INVALID_ARGUMENT;
    }
    return rc;
}

int32_t xerial_shutdown(void) {
    REAL(xerial_shutdown);
    int32_t rc = real_xerial_shutdown();
    return is("shutdown_not_ok") ? XERIAL_E_NOT_INITIALIZED : rc;
}

uint32_t xerial_abi_version(void) {
    REAL(xerial_abi_version);
    return is("abi_major_2") ? (2u << 16) : real_xerial_abi_version();
}

const char *xerial_version(void) {
    REAL(xerial_version);
    return is("version_not_semver") ? "0.1" : real_xerial_version();
}

const char *xerial_code_name(int32_t code) {
    REAL(xerial_code_name);
    if (is("code_name_wrong") && code == XERIAL_E_OUTCOME_UNKNOWN) return "XERIAL_E_OUTCOME";
    if (is("code_name_unknown_wrong") && code == 12345) return "UNKNOWN";
    return real_xerial_code_name(code);
}

int32_t xerial_config_init(XerialConfig *config, size_t size) {
    REAL(xerial_config_init);
    /* the 1.1 behaviour: the whole struct, whatever the caller has */
    if (is("config_init_writes_whole_struct") && size >= 72) size = sizeof(XerialConfig);
    int32_t rc = real_xerial_config_init(config, size);
    if (rc == XERIAL_OK && is("default_retries_3")) config->max_retries = 3;
    if (rc == XERIAL_OK && is("default_url_slash")) config->base_url = "https://wallet.xerial.io/";
    return rc;
}

int32_t xerial_session_get(char *buf, size_t cap, size_t *out_len) {
    REAL(xerial_session_get);
    int32_t rc = real_xerial_session_get(buf, cap, out_len);
    if (is("session_get_writes_partial") && rc == XERIAL_E_BUFFER_TOO_SMALL && buf && cap) buf[0] = '{';
    if (is("session_get_len_off") && out_len) *out_len += 1;
    return rc;
}

int32_t xerial_session_set(const char *json) {
    REAL(xerial_session_set);
    REAL(xerial_auth_state);
    int32_t was = real_xerial_auth_state();
    int32_t rc = real_xerial_session_set(json);
    /* the listener runs inside the call instead of inside xerial_poll */
    if (is("auth_sync_on_set") && rc == XERIAL_OK && !was && g_auth_cb) g_auth_cb(g_auth_ud, XERIAL_AUTH_LOGGED_IN);
    if (is("session_set_lax") && rc == XERIAL_E_INVALID_ARGUMENT && json && json[0] == '{') return XERIAL_OK;
    return rc;
}

int32_t xerial_auth_state(void) {
    REAL(xerial_auth_state);
    static int ever;
    int32_t s = real_xerial_auth_state();
    if (is("login_state_late") && t_in_login_cb) return XERIAL_AUTH_LOGGED_OUT;
    if (is("auth_state_sticky")) {
        if (s) ever = 1;
        return ever;
    }
    return s;
}

static XerialLogCallback g_log_cb;
static void *g_log_ud;

static void *late_log_main(void *arg) {
    (void)arg;
    nap_ms(5);
    if (g_log_cb) g_log_cb(g_log_ud, XERIAL_LOG_INFO, "late message");
    return NULL;
}

static void wrap_log(void *ud, int32_t level, const char *message) {
    (void)ud;
    char buf[2048];
    if (is("log_leaks_token")) {
        snprintf(buf, sizeof buf, "%s harness-secret-log-token", message);
        message = buf;
    }
    if (is("log_bad_level")) level = 6;
    if (g_log_cb) g_log_cb(g_log_ud, level, message);
}

void xerial_set_log_callback(XerialLogCallback cb, void *ud, int32_t min_level) {
    REAL(xerial_set_log_callback);
    if (is("log_after_off") && g_log_cb && (!cb || min_level == 0)) {
        pthread_t t;
        real_xerial_set_log_callback(NULL, NULL, 0);
        pthread_create(&t, NULL, late_log_main, NULL);
        pthread_detach(t);
        return;
    }
    if (is("log_silent")) {
        real_xerial_set_log_callback(NULL, NULL, 0);
        return;
    }
    g_log_cb = cb;
    g_log_ud = ud;
    real_xerial_set_log_callback(cb ? wrap_log : NULL, NULL, min_level);
}

/* ---- issue 3: every asynchronous export goes through wrap_cb ------------------------ */

static void noop_cb(void *ud, const XerialResult *res) {
    (void)ud;
    (void)res;
}

static wrap_t *mkwrap(XerialCallback cb, void *ud, const char *fn) {
    wrap_t *w = malloc(sizeof *w);
    if (!w) abort();
    w->cb = cb;
    w->ud = ud;
    w->fn = fn;
    return w;
}

/* Extra requests some mutants send next to the real one. */
static void extra(const char *fn) {
    if (is("stray_request")) { /* a call that should send nothing sends something */
        REAL(xerial_wallet_native_balance);
        real_xerial_wallet_native_balance("0x00000000000000000000000000000000000000a1", "polygon", noop_cb, NULL);
    }
    if (is("extra_refresh") && !strcmp(fn, "xerial_user_get")) { /* refreshes not shared */
        REAL(xerial_refresh);
        real_xerial_refresh(noop_cb, NULL);
    }
}

#define UNPAREN(...) __VA_ARGS__
#define WRAP_ASYNC(name, PARAMS, ARGS)                                                      \
    XerialRequestId name(UNPAREN PARAMS XerialCallback cb, void *ud) {                     \
        REAL(name);                                                                        \
        if (!cb) return real_##name(UNPAREN ARGS cb, ud);                                  \
        extra(#name);                                                                      \
        if (is("tx_sent_twice") && !strncmp(#name, "xerial_tx_", 10))                      \
            real_##name(UNPAREN ARGS noop_cb, NULL);                                       \
        wrap_t *w = mkwrap(cb, ud, #name);                                                 \
        XerialRequestId id = real_##name(UNPAREN ARGS wrap_cb, w);                         \
        if (id == 0) free(w);                                                              \
        return id;                                                                         \
    }

typedef const char *S;
WRAP_ASYNC(xerial_login_google, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_login_wallet, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_request_nonce, (S a,), (a,))
WRAP_ASYNC(xerial_refresh, (), ())
WRAP_ASYNC(xerial_user_get, (), ())
WRAP_ASYNC(xerial_wallet_native_balance, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_wallet_token_balances, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_wallet_project_inventory, (S a, S b, S c,), (a, b, c,))
WRAP_ASYNC(xerial_wallet_global_inventory, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_custodial_create_user, (S a,), (a,))
WRAP_ASYNC(xerial_custodial_create_wallet, (S a,), (a,))
WRAP_ASYNC(xerial_tx_transfer_nft, (S a, S b, S c, S d, S e,), (a, b, c, d, e,))
WRAP_ASYNC(xerial_tx_transfer_token, (S a, S b, S c, S d, S e,), (a, b, c, d, e,))
WRAP_ASYNC(xerial_tx_primary_purchase, (S a, S b, S c, S d, uint32_t q,), (a, b, c, d, q,))
WRAP_ASYNC(xerial_tx_secondary_purchase, (S a, S b, S c,), (a, b, c,))
WRAP_ASYNC(xerial_tx_list_nft, (S a, S b, S c, S d, S e,), (a, b, c, d, e,))
WRAP_ASYNC(xerial_tx_delist_nft, (S a, S b, S c,), (a, b, c,))
WRAP_ASYNC(xerial_tx_custom, (S a, S b, S c,), (a, b, c,))
WRAP_ASYNC(xerial_market_collections, (S a,), (a,))
WRAP_ASYNC(xerial_market_primary_listings, (S a, S b,), (a, b,))
WRAP_ASYNC(xerial_market_secondary_listings, (S a, S b, S c,), (a, b, c,))
WRAP_ASYNC(xerial_market_project, (S a,), (a,))
WRAP_ASYNC(xerial_request, (S a, S b, S c, uint8_t n,), (a, b, c, n,))

/* ---- the auth listener --------------------------------------------------------------- */

static void wrap_auth(void *ud, int32_t state) {
    (void)ud;
    XerialAuthCallback cb = g_auth_cb;
    if (!cb) return;
    if (is("auth_event_twice")) cb(g_auth_ud, state);
    if (is("auth_state_inverted")) state = !state;
    cb(g_auth_ud, state);
}

void xerial_set_auth_listener(XerialAuthCallback cb, void *ud) {
    REAL(xerial_set_auth_listener);
    if (is("auth_silent")) {
        real_xerial_set_auth_listener(NULL, NULL);
        return;
    }
    g_auth_cb = cb;
    g_auth_ud = ud;
    real_xerial_set_auth_listener(cb ? wrap_auth : NULL, NULL);
}
