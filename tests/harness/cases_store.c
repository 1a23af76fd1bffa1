/* cases_store.c - where the session is kept between runs (XerialConfig.session_store, ABI 1.3):
 * the default store a game gets when it sets nothing (Linux: the 0600 fallback file, as
 * run.sh gives the harness no D-Bus; Windows under Wine: the DPAPI-encrypted file; WebAssembly:
 * memory), and the host's store through its callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"
#include "th.h"

/* ---- log records --------------------------------------------------------------------- */

static struct {
    pthread_mutex_t mu;
    char text[65536];
    size_t len;
} g_records = {PTHREAD_MUTEX_INITIALIZER, "", 0};

static void keep_record(void *ud, int32_t level, const char *message) {
    (void)ud;
    (void)level;
    pthread_mutex_lock(&g_records.mu);
    int n = snprintf(g_records.text + g_records.len, sizeof g_records.text - g_records.len, "%s\n", message);
    if (n > 0 && g_records.len + (size_t)n < sizeof g_records.text) g_records.len += (size_t)n;
    pthread_mutex_unlock(&g_records.mu);
}

static void records_reset(void) {
    pthread_mutex_lock(&g_records.mu);
    g_records.len = 0;
    g_records.text[0] = '\0';
    pthread_mutex_unlock(&g_records.mu);
}

static int records_have(const char *text) {
    pthread_mutex_lock(&g_records.mu);
    int found = strstr(g_records.text, text) != NULL;
    pthread_mutex_unlock(&g_records.mu);
    return found;
}

static void pair_json(char *json, size_t cap, const char *tag) {
    snprintf(json, cap,
             "{\"access\":{\"token\":\"acc-%s-%ld\",\"expires\":\"2099-01-01T00:00:00.000Z\"},"
             "\"refresh\":{\"token\":\"ref-%s-%ld\",\"expires\":\"2099-01-01T00:00:00.000Z\"}}",
             tag, (long)getpid(), tag, (long)getpid());
}

#ifndef __EMSCRIPTEN__
/* Copies into `path` what follows `marker` in the records, up to `end` (or the line's end). */
static int record_path(const char *marker, const char *end, char *path, size_t cap) {
    pthread_mutex_lock(&g_records.mu);
    const char *start = strstr(g_records.text, marker);
    size_t n = 0;
    if (start) {
        start += strlen(marker);
        const char *stop = end ? strstr(start, end) : NULL;
        const char *eol = strchr(start, '\n');
        if (!stop || (eol && eol < stop)) stop = eol;
        n = stop ? (size_t)(stop - start) : strlen(start);
        if (n >= cap) n = 0;
        memcpy(path, start, n);
    }
    path[n] = '\0';
    pthread_mutex_unlock(&g_records.mu);
    return n > 0 ? 0 : -1;
}

static long read_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

#ifdef _WIN32
static int contains_bytes(const char *hay, long len, const char *needle) {
    size_t n = strlen(needle);
    for (long i = 0; i + (long)n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0) return 1;
    return 0;
}
#endif

static int wait_logged_in(void) {
    int64_t deadline = now_ms() + SLOW(5000);
    while (xerial_auth_state() != XERIAL_AUTH_LOGGED_IN && now_ms() < deadline) {
        xerial_poll(0);
        sleep_ms(5);
    }
    return xerial_auth_state() == XERIAL_AUTH_LOGGED_IN;
}

/* A game that sets nothing: the session outlives the run, in the OS's protected store at a
 * per-user place keyed by project and server; clearing removes it. */
void case_session_store_default(void) {
    char project[64], json[1024], got[1024], path[1024] = "", file[4096], token[64];
    size_t len = 0;
    snprintf(project, sizeof project, "harness-store-%ld", (long)getpid());
    pair_json(json, sizeof json, "store");
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.session_store = XERIAL_SESSION_STORE_DEFAULT;
    cfg.project_id = project;
    records_reset();
    xerial_set_log_callback(keep_record, NULL, XERIAL_LOG_DEBUG);
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
#ifdef _WIN32
    const char *kind = "DPAPI-encrypted";
    REQUIRE_MSG(record_path(" is kept in the DPAPI-encrypted file ", NULL, path, sizeof path) == 0,
                "no record says where the session is kept:\n%s", g_records.text);
#else
    const char *kind = "plain";
    REQUIRE_MSG(record_path(" or the plain file ", " when none answers", path, sizeof path) == 0,
                "no record says where the session is kept:\n%s", g_records.text);
#endif
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK); /* writes the last change */
    long n = read_file(path, file, sizeof file);
    REQUIRE_MSG(n > 0, "%s: no session file after shutdown", path);
#ifdef _WIN32
    snprintf(token, sizeof token, "acc-store-%ld", (long)getpid());
    CHECK_MSG(!contains_bytes(file, n, token), "the access token is in clear in %s", path);
    snprintf(token, sizeof token, "ref-store-%ld", (long)getpid());
    CHECK_MSG(!contains_bytes(file, n, token), "the refresh token is in clear in %s", path);
    CHECK_MSG(!contains_bytes(file, n, "expires"), "%s holds JSON in clear", path);
#else
    (void)token;
    CHECK_MSG(strcmp(file, json) == 0, "%s does not hold the session", path);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_MSG(records_have("no Secret Service answered"), "no record says why a plain file:\n%s", g_records.text);
#endif
    CHECK_MSG(strstr(path, project) == NULL, "the path holds the project id in clear: %s", path);
    (void)kind;
    /* the next start restores it */
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_MSG(wait_logged_in(), "the %s store's session was not restored", kind);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_OK);
    CHECK_STREQ(got, json);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    /* a damaged file (a blob that no longer decrypts, JSON that no longer parses) is logged and
     * means no session: never a crash */
    file[n / 2] ^= 0x55;
    FILE *f = fopen(path, "wb");
    REQUIRE(f);
    fwrite(file, 1, (size_t)n, f);
    fclose(f);
    records_reset();
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    for (int i = 0; i < 100 && !records_have("xerial::session: read the session store"); i++) {
        xerial_poll(0);
        sleep_ms(5);
    }
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_MSG(records_have("cannot read the session from") || records_have("ignoring the session in"),
              "the damaged store was not logged:\n%s", g_records.text);
    /* clearing removes it */
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_MSG(read_file(path, file, sizeof file) < 0, "%s still there after xerial_session_clear", path);
    CHECK_MSG(!records_have("acc-store-"), "a token in a log record");
    CLEANUP;
    xerial_shutdown();
    xerial_set_log_callback(NULL, NULL, 0);
}
#else
/* The WebAssembly build has no protected store (a native library in the browser reaches none,
 * and Emscripten's file system is memory): the default keeps the session in memory, and says so. */
void case_session_store_default(void) {
    char project[64], json[1024];
    snprintf(project, sizeof project, "harness-store-%ld", (long)getpid());
    pair_json(json, sizeof json, "store");
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.session_store = XERIAL_SESSION_STORE_DEFAULT;
    cfg.project_id = project;
    records_reset();
    xerial_set_log_callback(keep_record, NULL, XERIAL_LOG_DEBUG);
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_MSG(records_have("keeps the session in memory by default"), "no record says where:\n%s", g_records.text);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_MSG(!records_have("acc-store-"), "a token in a log record");
    CLEANUP;
    xerial_shutdown();
    xerial_set_log_callback(NULL, NULL, 0);
}
#endif

/* ---- the host's store ---------------------------------------------------------------- */

typedef struct {
    char stored[8192];
    size_t stored_len; /* 0: nothing stored */
    int loads, saves, removes;
    size_t caps[4];
    pthread_t thread; /* where the last callback ran */
} host_store;

static int32_t host_load(void *ud, uint8_t *buf, size_t cap, size_t *out_len) {
    host_store *h = ud;
    if (h->loads < 4) h->caps[h->loads] = cap;
    h->loads++;
    h->thread = pthread_self();
    if (!h->stored_len) return XERIAL_E_NOT_FOUND;
    *out_len = h->stored_len;
    if (h->stored_len > cap) return XERIAL_E_BUFFER_TOO_SMALL;
    memcpy(buf, h->stored, h->stored_len);
    return XERIAL_OK;
}

static int32_t host_save(void *ud, const char *json, size_t len) {
    host_store *h = ud;
    h->saves++;
    h->thread = pthread_self();
    if (len >= sizeof h->stored || json[len] != '\0') return XERIAL_E_INVALID_ARGUMENT;
    memcpy(h->stored, json, len + 1);
    h->stored_len = len;
    (void)xerial_auth_state(); /* no SDK lock is held */
    return XERIAL_OK;
}

static int32_t host_remove(void *ud) {
    host_store *h = ud;
    h->removes++;
    h->thread = pthread_self();
    h->stored_len = 0;
    return XERIAL_OK;
}

/* Load in xerial_init (a second call with the size asked), writes inside xerial_poll on the
 * polling thread, the last one inside xerial_shutdown; every buffer exactly as documented
 * (valgrind checks the SDK's side). */
void case_session_store_host(void) {
    static host_store h;
    char json[1024], got[8192];
    size_t len = 0;
    memset(&h, 0, sizeof h);
    pair_json(json, sizeof json, "host");
    /* stored with 5000 bytes of JSON whitespace after it: more than the first buffer */
    size_t jl = strlen(json);
    memcpy(h.stored, json, jl);
    memset(h.stored + jl, ' ', 5000);
    h.stored_len = jl + 5000;
    XerialSessionStore store = {sizeof store, &h, host_load, host_save, host_remove};
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.session_store = XERIAL_SESSION_STORE_HOST;
    cfg.session_host = &store;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(h.loads, 2);
    CHECK_EQ(h.caps[0], 4096);
    CHECK(h.caps[1] >= jl + 5000);
    CHECK(pthread_equal(h.thread, pthread_self()));
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_OK);
    CHECK_STREQ(got, json);
    pair_json(json, sizeof json, "host2");
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_EQ(h.saves, 0);
    CHECK(xerial_poll(0) >= 1);
    CHECK_EQ(h.saves, 1);
    CHECK_STREQ(h.stored, json);
    CHECK(pthread_equal(h.thread, pthread_self()));
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_EQ(h.removes, 1);
    CHECK_EQ(h.stored_len, 0);
    /* nothing stored: the next start is logged out */
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_EQ(h.loads, 3);
    CLEANUP;
    xerial_shutdown();
}
