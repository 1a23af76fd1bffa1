/* cases_lifecycle.c - metadata (abi.md §1, §2, §5) and lifecycle (§2, §3). */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cases.h"
#include "mock_admin.h"
#include "th.h"

/* A token pair in the shape Xerial returns; valid JSON, fake tokens. */
#define FAKE_PAIR                                                                          \
    "{\"access\":{\"token\":\"fake-access\",\"expires\":\"2099-01-01T00:00:00.000Z\"},"   \
    "\"refresh\":{\"token\":\"fake-refresh\",\"expires\":\"2099-01-01T00:00:00.000Z\"}}"

/* XerialConfig exactly as abi.md §2 defines v1: what a binding written against ABI
 * 1.0 passes to a newer library. */
typedef struct {
    uint32_t struct_size;
    const char *base_url;
    const char *marketplace_url;
    const char *project_id;
    uint32_t timeout_ms;
    uint32_t connect_timeout_ms;
    uint32_t worker_threads;
    uint32_t dispatch;
    uint32_t max_retries;
    const char *session_path;
    uint8_t allow_insecure_http;
} ConfigV1;

/* ---- metadata ---------------------------------------------------------- */

/* abi.md §1: major << 16 | minor, starting at 1 << 16; minor versions only append. */
void case_meta_abi_version(void) {
    uint32_t v = xerial_abi_version();
    CHECK_EQ(v, XERIAL_ABI_VERSION);
    CHECK_EQ(v >> 16, 1);
    CHECK_MSG(v >= (1u << 16), "xerial_abi_version() = 0x%x, below 1 << 16", (unsigned)v);
    CHECK_EQ(XERIAL_ABI_VERSION >> 16, 1);
    CHECK_EQ(sizeof(XerialRequestId), 8);
    CLEANUP;
}

/* digits without leading zeros (semver 2.0 numeric identifier) */
static const char *semver_num(const char *p) {
    if (!isdigit((unsigned char)*p)) return NULL;
    if (*p == '0' && isdigit((unsigned char)p[1])) return NULL;
    while (isdigit((unsigned char)*p)) p++;
    return p;
}

static const char *semver_idents(const char *p) {
    do {
        const char *s = p;
        while (isalnum((unsigned char)*p) || *p == '-') p++;
        if (p == s) return NULL;
    } while (*p == '.' && *++p);
    return p;
}

static int is_semver(const char *v) {
    const char *p = semver_num(v);
    if (!p || *p++ != '.') return 0;
    if (!(p = semver_num(p)) || *p++ != '.') return 0;
    if (!(p = semver_num(p))) return 0;
    if (*p == '-' && !(p = semver_idents(p + 1))) return 0;
    if (*p == '+' && !(p = semver_idents(p + 1))) return 0;
    return *p == '\0';
}

void case_meta_version(void) {
    const char *v = xerial_version();
    REQUIRE(v != NULL);
    CHECK_MSG(is_semver(v), "xerial_version() = \"%s\" is not a semantic version", v);
    CHECK_MSG(xerial_version() == v, "xerial_version() is not a static string (pointer changed)");
    CHECK(is_semver("1.2.3-rc.1+b5") && !is_semver("1.2") && !is_semver("01.2.3"));
    CLEANUP;
}

static const struct {
    int32_t value;
    int32_t macro;
    const char *name;
} CODES[] = {
    {0, XERIAL_OK, "XERIAL_OK"},
    {1, XERIAL_E_INVALID_ARGUMENT, "XERIAL_E_INVALID_ARGUMENT"},
    {2, XERIAL_E_NOT_INITIALIZED, "XERIAL_E_NOT_INITIALIZED"},
    {3, XERIAL_E_ALREADY_INITIALIZED, "XERIAL_E_ALREADY_INITIALIZED"},
    {4, XERIAL_E_NOT_LOGGED_IN, "XERIAL_E_NOT_LOGGED_IN"},
    {5, XERIAL_E_CANCELLED, "XERIAL_E_CANCELLED"},
    {6, XERIAL_E_SHUTDOWN, "XERIAL_E_SHUTDOWN"},
    {7, XERIAL_E_BUFFER_TOO_SMALL, "XERIAL_E_BUFFER_TOO_SMALL"},
    {8, XERIAL_E_DENIED, "XERIAL_E_DENIED"},
    {9, XERIAL_E_UNAVAILABLE, "XERIAL_E_UNAVAILABLE"},
    {10, XERIAL_E_NETWORK, "XERIAL_E_NETWORK"},
    {11, XERIAL_E_TIMEOUT, "XERIAL_E_TIMEOUT"},
    {12, XERIAL_E_OUTCOME_UNKNOWN, "XERIAL_E_OUTCOME_UNKNOWN"},
    {20, XERIAL_E_BAD_REQUEST, "XERIAL_E_BAD_REQUEST"},
    {21, XERIAL_E_UNAUTHORIZED, "XERIAL_E_UNAUTHORIZED"},
    {22, XERIAL_E_FORBIDDEN, "XERIAL_E_FORBIDDEN"},
    {23, XERIAL_E_NOT_FOUND, "XERIAL_E_NOT_FOUND"},
    {24, XERIAL_E_NOT_SUPPORTED, "XERIAL_E_NOT_SUPPORTED"},
    {25, XERIAL_E_PRECONDITION_FAILED, "XERIAL_E_PRECONDITION_FAILED"},
    {26, XERIAL_E_RATE_LIMITED, "XERIAL_E_RATE_LIMITED"},
    {27, XERIAL_E_HTTP, "XERIAL_E_HTTP"},
    {30, XERIAL_E_SERVER, "XERIAL_E_SERVER"},
    {31, XERIAL_E_DECODE, "XERIAL_E_DECODE"},
    {99, XERIAL_E_INTERNAL, "XERIAL_E_INTERNAL"},
};

void case_meta_code_names(void) {
    for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++) {
        CHECK_MSG(CODES[i].macro == CODES[i].value, "header: %s is %d, abi.md says %d",
                  CODES[i].name, (int)CODES[i].macro, (int)CODES[i].value);
        const char *n = xerial_code_name(CODES[i].value);
        CHECK_MSG(n && strcmp(n, CODES[i].name) == 0, "xerial_code_name(%d) = \"%s\", want \"%s\"",
                  (int)CODES[i].value, n ? n : "(null)", CODES[i].name);
    }
    const int32_t unknown[] = {12345, -1, 13, 28, 32, 98, 100, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *n = xerial_code_name(unknown[i]);
        CHECK_MSG(n && strcmp(n, "XERIAL_E_UNKNOWN") == 0,
                  "xerial_code_name(%d) = \"%s\", want \"XERIAL_E_UNKNOWN\"", (int)unknown[i],
                  n ? n : "(null)");
    }
    CLEANUP;
}

void case_meta_config_init(void) {
    XerialConfig cfg;
    memset(&cfg, 0xAB, sizeof cfg);
    CHECK_CODE(xerial_config_init(&cfg, sizeof cfg), XERIAL_OK);
    CHECK_EQ(cfg.struct_size, sizeof(XerialConfig));
    CHECK_STREQ(cfg.base_url, "https://wallet.xerial.io");
    CHECK(cfg.marketplace_url == NULL);
    CHECK(cfg.project_id == NULL);
    CHECK_EQ(cfg.timeout_ms, 30000);
    CHECK_EQ(cfg.connect_timeout_ms, 10000);
    CHECK_EQ(cfg.worker_threads, 1);
    CHECK_EQ(cfg.dispatch, XERIAL_DISPATCH_POLL);
    CHECK_EQ(cfg.max_retries, 2);
    CHECK(cfg.session_path == NULL);
    CHECK_EQ(cfg.allow_insecure_http, 0);
    CHECK_EQ(XERIAL_DISPATCH_POLL, 0);
    CHECK_EQ(XERIAL_DISPATCH_IMMEDIATE, 1);
    /* abi.md §2: v1 is exactly these fields, in this order, with these sizes. */
    size_t off[] = {
        offsetof(XerialConfig, struct_size),        offsetof(XerialConfig, base_url),
        offsetof(XerialConfig, marketplace_url),    offsetof(XerialConfig, project_id),
        offsetof(XerialConfig, timeout_ms),         offsetof(XerialConfig, connect_timeout_ms),
        offsetof(XerialConfig, worker_threads),     offsetof(XerialConfig, dispatch),
        offsetof(XerialConfig, max_retries),        offsetof(XerialConfig, session_path),
        offsetof(XerialConfig, allow_insecure_http),
    };
    for (size_t i = 1; i < sizeof off / sizeof off[0]; i++)
        CHECK_MSG(off[i] > off[i - 1], "XerialConfig field %zu is not after field %zu", i, i - 1);
    /* later versions only append: the v1 prefix is unchanged */
    size_t v1[] = {
        offsetof(ConfigV1, struct_size),        offsetof(ConfigV1, base_url),
        offsetof(ConfigV1, marketplace_url),    offsetof(ConfigV1, project_id),
        offsetof(ConfigV1, timeout_ms),         offsetof(ConfigV1, connect_timeout_ms),
        offsetof(ConfigV1, worker_threads),     offsetof(ConfigV1, dispatch),
        offsetof(ConfigV1, max_retries),        offsetof(ConfigV1, session_path),
        offsetof(ConfigV1, allow_insecure_http),
    };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        CHECK_MSG(off[i] == v1[i], "XerialConfig field %zu moved: offset %zu, v1 had %zu", i, off[i], v1[i]);
    CHECK(sizeof(XerialConfig) >= sizeof(ConfigV1));
    CHECK_MSG((XERIAL_ABI_VERSION & 0xffff) > 0 || sizeof(XerialConfig) == sizeof(ConfigV1),
              "ABI minor 0 but XerialConfig is %zu bytes, v1 is %zu", sizeof(XerialConfig), sizeof(ConfigV1));
#if (XERIAL_ABI_VERSION & 0xffff) >= 1
    /* ABI 1.1 appended two pointers, NULL by default */
    CHECK(cfg.extra_root_ca_pem == NULL);
    CHECK(cfg.proxy_url == NULL);
    CHECK(offsetof(XerialConfig, extra_root_ca_pem) >= sizeof(ConfigV1));
#endif
#if (XERIAL_ABI_VERSION & 0xffff) >= 2
    /* ABI 1.2 appended three pointers and a uint64_t, zero by default */
    CHECK(cfg.oauth_authorize_url == NULL);
    CHECK(cfg.oauth_token_url == NULL);
    CHECK(cfg.transport == NULL);
    CHECK_EQ(cfg.run_mode, XERIAL_RUN_THREADS);
    /* (pointers are 8 bytes on 64-bit targets, 4 on wasm32) */
    CHECK_EQ(offsetof(XerialConfig, oauth_authorize_url), offsetof(XerialConfig, proxy_url) + sizeof(void *));
#endif
#if (XERIAL_ABI_VERSION & 0xffff) == 2
    CHECK_EQ(sizeof(XerialConfig), offsetof(XerialConfig, run_mode) + 8); /* 1.3 appends after it */
#endif
#if (XERIAL_ABI_VERSION & 0xffff) >= 3
    /* ABI 1.3 appended a uint64_t and a pointer, zero by default: the default session store */
    CHECK_EQ(cfg.session_store, XERIAL_SESSION_STORE_DEFAULT);
    CHECK(cfg.session_host == NULL);
    CHECK_EQ(XERIAL_SESSION_STORE_DEFAULT, 0);
    CHECK_EQ(offsetof(XerialConfig, session_store), offsetof(XerialConfig, run_mode) + 8);
    CHECK_EQ(sizeof cfg.session_store, 8);
    /* the struct ends on its uint64_t alignment: 8 bytes after session_host on 64-bit targets,
     * 4 plus 4 of padding on wasm32 */
    CHECK_EQ(sizeof(XerialConfig), offsetof(XerialConfig, session_host) + 8);
    CHECK_EQ(sizeof(XerialSessionStore), sizeof(void *) == 4 ? 20 : 40);
#endif
    CHECK_EQ(sizeof cfg.struct_size, 4);
    CHECK_EQ(sizeof cfg.timeout_ms, 4);
    CHECK_EQ(sizeof cfg.dispatch, 4);
    CHECK_EQ(sizeof cfg.allow_insecure_http, 1);
    /* XerialResult, abi.md §4 */
    size_t roff[] = {
        offsetof(XerialResult, request_id), offsetof(XerialResult, code),
        offsetof(XerialResult, http_status), offsetof(XerialResult, message),
        offsetof(XerialResult, body),       offsetof(XerialResult, body_len),
        offsetof(XerialResult, retry_after_ms), offsetof(XerialResult, retryable),
    };
    for (size_t i = 1; i < sizeof roff / sizeof roff[0]; i++)
        CHECK_MSG(roff[i] > roff[i - 1], "XerialResult field %zu is not after field %zu", i, i - 1);
    XerialResult res;
    CHECK_EQ(sizeof res.code, 4);
    CHECK_EQ(sizeof res.http_status, 4);
    CHECK_EQ(sizeof res.body_len, sizeof(size_t));
    CHECK_EQ(sizeof res.retry_after_ms, 4);
    CHECK_EQ(sizeof res.retryable, 1);
    (void)res;
    /* works before init and does not initialise */
    CHECK_CODE(xerial_session_clear(), XERIAL_E_NOT_INITIALIZED);
    CLEANUP;
}

/* ---- lifecycle --------------------------------------------------------- */

/* 1 when every "not initialised" behaviour of abi.md §3 holds right now. */
static int check_uninitialised(const char *file, int line) {
    int before = th_case_failed();
    rec_t *r = rec_new();
    XerialRequestId id = xerial_logout("some-token", rec_cb, r);
    if (id != 0) th_fail(file, line, "xerial_logout returned id %llu while uninitialised", (unsigned long long)id);
    uint32_t n = xerial_poll(0);
    if (n != 0) th_fail(file, line, "xerial_poll returned %u while uninitialised", n);
    int32_t rc = xerial_cancel(123);
    if (rc != XERIAL_E_NOT_FOUND) th_fail(file, line, "xerial_cancel(123) = %s", th_code_str(rc));
    char buf[256];
    size_t len = 777;
    rc = xerial_session_set(FAKE_PAIR);
    if (rc != XERIAL_E_NOT_INITIALIZED) th_fail(file, line, "xerial_session_set = %s", th_code_str(rc));
    rc = xerial_session_get(buf, sizeof buf, &len);
    if (rc != XERIAL_E_NOT_INITIALIZED) th_fail(file, line, "xerial_session_get = %s", th_code_str(rc));
    rc = xerial_session_clear();
    if (rc != XERIAL_E_NOT_INITIALIZED) th_fail(file, line, "xerial_session_clear = %s", th_code_str(rc));
    if (xerial_auth_state() != XERIAL_AUTH_LOGGED_OUT) th_fail(file, line, "xerial_auth_state != LOGGED_OUT");
    rc = xerial_shutdown();
    if (rc != XERIAL_OK) th_fail(file, line, "xerial_shutdown = %s", th_code_str(rc));
    if (atomic_load(&r->calls) != 0) th_fail(file, line, "callback of a refused call ran");
    return th_case_failed() == before;
}
#define CHECK_UNINITIALISED() check_uninitialised(__FILE__, __LINE__)

void case_lifecycle_before_init(void) {
    CHECK_UNINITIALISED();
    /* the same after init -> shutdown */
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_UNINITIALISED();
    /* nothing reached the server, and no callback turns up later */
    rec_t *r = rec_new();
    CHECK_EQ(issue_logout("another-token", r), 0);
    CHECK_EQ(poll_for(100), 0);
    CHECK_EQ(atomic_load(&r->calls), 0);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 0);
    CLEANUP;
    xerial_shutdown();
}

void case_lifecycle_init_twice(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    XerialConfig other;
    xerial_config_init(&other, sizeof other);
    other.base_url = "http://127.0.0.1:1";
    other.dispatch = XERIAL_DISPATCH_IMMEDIATE;
    CHECK_CODE(xerial_init(&other), XERIAL_E_ALREADY_INITIALIZED);
    CHECK_CODE(xerial_init(NULL), XERIAL_E_ALREADY_INITIALIZED);
    /* changed nothing: still the mock's URL, still poll dispatch */
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-init-twice", r) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    sleep_ms(150);
    /* (without threads, waiting for the mock polled: the answer may already have been delivered) */
    CHECK_MSG(atomic_load(&r->calls) == 0 || g_run_mode == XERIAL_RUN_IN_POLL,
              "callback ran without xerial_poll (dispatch changed?)");
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(r->http_status, 404);
    CHECK(pthread_equal(r->thread, pthread_self()));
    CLEANUP;
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
}

static void expect_init_rejected(const char *base, const char *market, uint8_t insecure,
                                 const char *file, int line) {
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.base_url = base;
    cfg.marketplace_url = market;
    cfg.allow_insecure_http = insecure;
    int32_t rc = xerial_init(&cfg);
    if (rc != XERIAL_E_INVALID_ARGUMENT) {
        th_fail(file, line, "init(base_url=\"%s\", marketplace_url=\"%s\", insecure=%u) = %s, want INVALID_ARGUMENT",
                base ? base : "(null)", market ? market : "(null)", insecure, th_code_str(rc));
        xerial_shutdown();
        return;
    }
    check_uninitialised(file, line);
}

static void expect_init_ok(const char *base, const char *market, uint8_t insecure, const char *file,
                           int line) {
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.base_url = base;
    cfg.marketplace_url = market;
    cfg.allow_insecure_http = insecure;
    int32_t rc = xerial_init(&cfg);
    if (rc != XERIAL_OK)
        th_fail(file, line, "init(base_url=\"%s\", marketplace_url=\"%s\", insecure=%u) = %s, want OK",
                base ? base : "(null)", market ? market : "(null)", insecure, th_code_str(rc));
    int32_t sd = xerial_shutdown();
    if (sd != XERIAL_OK) th_fail(file, line, "shutdown = %s", th_code_str(sd));
}
#define REJECT(b, m, i) expect_init_rejected((b), (m), (i), __FILE__, __LINE__)
#define ACCEPT(b, m, i) expect_init_ok((b), (m), (i), __FILE__, __LINE__)

void case_lifecycle_url_rules(void) {
    /* does not parse, or scheme not http/https */
    REJECT("ftp://x", NULL, 0);
    REJECT("not a url", NULL, 0);
    REJECT("", NULL, 0);
    REJECT("https://", NULL, 0);
    REJECT("file:///etc/passwd", NULL, 0);
    REJECT("ftp://x", NULL, 1);
    /* plain http to a non-loopback host without allow_insecure_http */
    REJECT("http://example.com", NULL, 0);
    REJECT("http://localhost.example.com:1", NULL, 0);
    REJECT("http://127.0.0.1.nip.io:1", NULL, 0);
    REJECT("http://128.0.0.1:1", NULL, 0);
    REJECT("http://[::2]:1", NULL, 0);
    /* marketplace_url follows the same rules */
    REJECT("https://example.com", "ftp://x", 0);
    REJECT("https://example.com", "not a url", 0);
    REJECT("https://example.com", "http://example.com", 0);
    /* accepted */
    ACCEPT("http://localhost:1", NULL, 0);
    ACCEPT("http://127.0.0.5:1", NULL, 0);
    ACCEPT("http://127.255.255.254:1", NULL, 0);
    ACCEPT("http://[::1]:1", NULL, 0);
    ACCEPT("https://example.com", NULL, 0);
    ACCEPT("https://example.com/prefix/", "https://market.example.com", 0);
    ACCEPT("http://example.com", NULL, 1);
    ACCEPT("https://example.com", "http://market.example.com", 1);
    ACCEPT("https://example.com", "http://127.0.0.1:1", 0);
    ACCEPT(NULL, NULL, 0); /* NULL base_url = production */
    CLEANUP;
    xerial_shutdown();
}

void case_lifecycle_struct_size(void) {
    XerialConfig cfg;
    const uint32_t bad[] = {0, 4, (uint32_t)offsetof(XerialConfig, allow_insecure_http),
                            (uint32_t)sizeof(ConfigV1) - 1, (uint32_t)sizeof(ConfigV1) + 4,
                            (uint32_t)sizeof(XerialConfig) + 4, 1u << 20};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
        cfg.struct_size = bad[i];
        int32_t rc = xerial_init(&cfg);
        CHECK_MSG(rc == XERIAL_E_INVALID_ARGUMENT, "init with struct_size %u = %s, want INVALID_ARGUMENT",
                  bad[i], th_code_str(rc));
        if (rc == XERIAL_OK) xerial_shutdown();
        CHECK_UNINITIALISED();
    }
    /* this header's struct */
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    CHECK_CODE(xerial_init(&cfg), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    /* a binding built against v1: the library must not read past its struct_size
     * (valgrind notices a read of the bytes after it) and must honour its fields */
    ConfigV1 *old = malloc(sizeof *old);
    REQUIRE(old);
    memset(old, 0, sizeof *old);
    old->struct_size = (uint32_t)sizeof *old;
    old->base_url = g_base_url;
    old->dispatch = XERIAL_DISPATCH_POLL;
    int32_t rc = xerial_init((const XerialConfig *)(const void *)old);
    free(old);
    g_dispatch = XERIAL_DISPATCH_POLL;
    CHECK_CODE(rc, DEFAULTS_RUN ? XERIAL_OK : XERIAL_E_INVALID_ARGUMENT);
    if (rc == XERIAL_OK) {
        rec_t *r1 = rec_new();
        REQUIRE(issue_logout("unknown-token-v1-struct", r1) != 0);
        REQUIRE(wait_rec(r1, SLOW(5000)));
        CHECK_CODE(r1->code, XERIAL_E_NOT_FOUND);
        CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    }
    /* a newer caller's bigger struct: the library reads the v1 fields that fit */
    struct {
        XerialConfig v1;
        uint64_t later[4];
    } big;
    memset(&big, 0, sizeof big);
    cfg_mock(&big.v1, XERIAL_DISPATCH_POLL, 0);
    big.v1.struct_size = (uint32_t)sizeof big;
    CHECK_CODE(xerial_init(&big.v1), XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-big-struct", r) != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CLEANUP;
    xerial_shutdown();
}

/* The published sizes of XerialConfig: ABI 1.0, 1.1, 1.2, 1.3, and a newer header's (one
 * more 8-byte field this library does not know). 64-bit targets: 72, 88, 120, 136; wasm32,
 * whose pointers are 4 bytes: 44, 52, 72, 88. */
#define V10_SIZE offsetof(XerialConfig, extra_root_ca_pem)
#define V11_SIZE offsetof(XerialConfig, oauth_authorize_url)
#define V12_SIZE offsetof(XerialConfig, session_store)
#define V13_SIZE sizeof(XerialConfig)
#define NEWER_SIZE (sizeof(XerialConfig) + 8)

/* xerial_config_init into a block of exactly `size` bytes on the heap (valgrind reports any
 * byte written past it) and into a guarded one (checked here, so a plain run notices too);
 * then xerial_init from that block works and honours the fields it covers. */
static void check_layout(size_t size, const char *file, int line) {
    int before = th_case_failed();
    unsigned char *exact = malloc(size);
    unsigned char guarded[sizeof(XerialConfig) + 64];
    if (!exact) { th_fail(file, line, "malloc"); return; }
    memset(guarded, 0xA5, sizeof guarded);
    int32_t rc = xerial_config_init((XerialConfig *)(void *)exact, size);
    if (rc != XERIAL_OK) th_fail(file, line, "config_init(%zu bytes) = %s", size, th_code_str(rc));
    rc = xerial_config_init((XerialConfig *)(void *)guarded, size);
    if (rc != XERIAL_OK) th_fail(file, line, "config_init(%zu bytes) = %s", size, th_code_str(rc));
    for (size_t i = size; i < sizeof guarded; i++) {
        if (guarded[i] != 0xA5) {
            th_fail(file, line, "config_init(%zu bytes) wrote byte %zu past the caller's struct", size, i - size);
            break;
        }
    }
    XerialConfig *cfg = (XerialConfig *)(void *)exact;
    if (cfg->struct_size != size) th_fail(file, line, "struct_size %u, want %zu", cfg->struct_size, size);
    if (cfg->timeout_ms != 30000 || cfg->max_retries != 2 || strcmp(cfg->base_url, "https://wallet.xerial.io") != 0)
        th_fail(file, line, "defaults not written into the %zu-byte struct", size);
    for (size_t i = V13_SIZE; i < size; i++)
        if (exact[i] != 0) th_fail(file, line, "byte %zu of a newer header's struct is not zero", i);
    /* the harness keeps sessions in memory where the struct can say so (1.3 and later) */
    if (size >= V13_SIZE) cfg->session_store = XERIAL_SESSION_STORE_MEMORY;
    /* init reads exactly these bytes (valgrind: no read past the block) */
    cfg->base_url = g_base_url;
    if (size >= V12_SIZE) {
        cfg->transport = g_transport;
        cfg->run_mode = g_run_mode;
    }
    rc = xerial_init(cfg);
    int32_t want = size >= V12_SIZE || DEFAULTS_RUN ? XERIAL_OK : XERIAL_E_INVALID_ARGUMENT;
    if (rc != want)
        th_fail(file, line, "init from the %zu-byte struct = %s, want %s", size, th_code_str(rc), th_code_str(want));
    xerial_shutdown();
    /* no field the caller set is ignored: a bad proxy_url is refused when the struct has one
     * (and the built-in transport, which has proxies: a host transport has its own) */
    if (size >= V11_SIZE && (size < V12_SIZE || !g_transport)) {
        cfg->proxy_url = "ftp://proxy.invalid";
        rc = xerial_init(cfg);
        if (rc != XERIAL_E_INVALID_ARGUMENT)
            th_fail(file, line, "proxy_url of a %zu-byte struct ignored: init = %s", size, th_code_str(rc));
        xerial_shutdown();
        cfg->proxy_url = NULL;
    }
    /* a 1.3 field that contradicts another is refused, so it is read */
    if (size >= V13_SIZE) {
        cfg->session_store = XERIAL_SESSION_STORE_FILE; /* without session_path */
        rc = xerial_init(cfg);
        if (rc != XERIAL_E_INVALID_ARGUMENT)
            th_fail(file, line, "session_store of a %zu-byte struct ignored: init = %s", size, th_code_str(rc));
        xerial_shutdown();
        cfg->session_store = XERIAL_SESSION_STORE_MEMORY;
    }
    /* a newer header's field this library does not know: refused, never silently dropped */
    if (size > V13_SIZE) {
        exact[size - 1] = 1;
        rc = xerial_init(cfg);
        if (rc != XERIAL_E_INVALID_ARGUMENT)
            th_fail(file, line, "unknown field set in a %zu-byte struct: init = %s", size, th_code_str(rc));
        xerial_shutdown();
    }
    free(exact);
    if (th_case_failed() == before) check_uninitialised(file, line);
}

void case_lifecycle_config_layouts(void) {
    CHECK_EQ(V10_SIZE, sizeof(ConfigV1));
    int narrow = sizeof(void *) == 4;
    CHECK_EQ(V10_SIZE, narrow ? 44 : 72);
    CHECK_EQ(V11_SIZE, narrow ? 52 : 88);
    CHECK_EQ(V12_SIZE, narrow ? 72 : 120);
    CHECK_EQ(V13_SIZE, narrow ? 88 : 136);
    const size_t sizes[] = {V10_SIZE, V11_SIZE, V12_SIZE, V13_SIZE, NEWER_SIZE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) check_layout(sizes[i], __FILE__, __LINE__);
    /* sizes that are no layout, and NULL: refused, nothing written */
    const size_t bad[] = {0, 4, V10_SIZE - 1, V10_SIZE + 2, V12_SIZE + 4, V13_SIZE + 4, 1u << 20};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned char block[sizeof(XerialConfig) + 64];
        memset(block, 0xA5, sizeof block);
        /* (1 MiB is refused by its size alone: nothing is written, so the small block is safe) */
        CHECK_CODE(xerial_config_init((XerialConfig *)(void *)block, bad[i]), XERIAL_E_INVALID_ARGUMENT);
        for (size_t j = 0; j < sizeof block; j++)
            if (block[j] != 0xA5) { CHECK_MSG(0, "config_init(%zu) wrote byte %zu", bad[i], j); break; }
    }
    CHECK_CODE(xerial_config_init(NULL, sizeof(XerialConfig)), XERIAL_E_INVALID_ARGUMENT);
    CLEANUP;
    xerial_shutdown();
}

void case_lifecycle_null_config(void) {
    if (!DEFAULTS_RUN) {
        /* no host transport in a NULL config: refused, as the WebAssembly build documents */
        CHECK_CODE(xerial_init(NULL), XERIAL_E_INVALID_ARGUMENT);
        CHECK_UNINITIALISED();
        return;
    }
    /* production URL: send nothing */
    CHECK_CODE(xerial_init(NULL), XERIAL_OK);
    CHECK_CODE(xerial_init(NULL), XERIAL_E_ALREADY_INITIALIZED);
    CHECK_EQ(xerial_poll(0), 0);
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_UNINITIALISED();
    CLEANUP;
    xerial_shutdown();
}

void case_lifecycle_copies_strings(void) {
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    char *base = strdup(g_base_url);
    char *project = strdup("harness-project");
    REQUIRE(base && project);
    cfg.base_url = base;
    cfg.project_id = project;
    int32_t rc = sdk_init_cfg(&cfg);
    /* the caller may free its strings once xerial_init returns */
    memset(base, 'x', strlen(base));
    memset(project, 'x', strlen(project));
    free(base);
    free(project);
    REQUIRE(rc == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-copies", r) != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
}

/* base_url "http://127.0.0.1:P/" must give "/api/auth/logout", not "//api/...". */
void case_lifecycle_base_url_slash(void) {
    char url[512], refresh[4096];
    snprintf(url, sizeof url, "%s/", g_base_url);
    REQUIRE(mock_new_session(NULL, 0, refresh, sizeof refresh) == 0);
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.base_url = url;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *r = rec_new();
    r->secret = refresh;
    REQUIRE(issue_logout(refresh, r) != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_OK);
    CHECK_EQ(r->http_status, 204);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
}

/* base_url "http://127.0.0.1:P/pre/fix/" must give "/pre/fix/api/auth/logout". A fault
 * installed on exactly that path answers 418, so the result tells which path was hit. */
void case_lifecycle_base_url_prefix(void) {
    char url[512];
    snprintf(url, sizeof url, "%s/pre/fix/", g_base_url);
    REQUIRE(mock_fault("{\"method\":\"POST\",\"path\":\"/pre/fix/api/auth/logout\","
                       "\"fault\":{\"kind\":\"status\",\"status\":418,"
                       "\"body\":{\"code\":418,\"message\":\"prefix seen\"}}}") == 0);
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.base_url = url;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-prefix", r) != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_EQ(r->http_status, 418);
    CHECK_CODE(r->code, XERIAL_E_HTTP);
    CHECK_STREQ(r->message, "prefix seen");
    CHECK_EQ(mock_count("POST", "/pre/fix/api/auth/logout"), 1);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 0);
    /* without the trailing slash, the same */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    snprintf(url, sizeof url, "%s/pre/fix", g_base_url);
    cfg.base_url = url;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *r2 = rec_new();
    REQUIRE(issue_logout("unknown-token-prefix-2", r2) != 0);
    REQUIRE(wait_rec(r2, SLOW(5000)));
    CHECK_EQ(r2->http_status, 418);
    CHECK_EQ(mock_count("POST", "/pre/fix/api/auth/logout"), 2);
    CLEANUP;
    xerial_shutdown();
}
