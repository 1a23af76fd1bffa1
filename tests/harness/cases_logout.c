/* cases_logout.c - logout results (abi.md §4, §4b, §6), argument checks (§3),
 * the session functions (§8) and logging (§7). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"
#include "mock_admin.h"
#include "th.h"

static int fault_on_logout(const char *fault_obj, int times) {
    char buf[1024];
    if (times > 0)
        snprintf(buf, sizeof buf,
                 "{\"method\":\"POST\",\"path\":\"" LOGOUT_PATH "\",\"times\":%d,\"fault\":%s}", times,
                 fault_obj);
    else
        snprintf(buf, sizeof buf, "{\"method\":\"POST\",\"path\":\"" LOGOUT_PATH "\",\"fault\":%s}",
                 fault_obj);
    return mock_fault(buf);
}

/* ---- logout results ---------------------------------------------------- */

void case_logout_204_then_404(void) {
    char refresh[4096];
    REQUIRE(mock_new_session(NULL, 0, refresh, sizeof refresh) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);

    rec_t *a = rec_new();
    a->secret = refresh;
    XerialRequestId id = issue_logout(refresh, a);
    REQUIRE(id != 0);
    REQUIRE_MSG(wait_rec(a, SLOW(5000)), "first logout: no callback within 5 s");
    CHECK_ONCE(a);
    CHECK_EQ(a->got_id, id);
    CHECK_CODE(a->code, XERIAL_OK);
    CHECK_EQ(a->http_status, 204);
    CHECK_STREQ(a->message, "");
    CHECK_STREQ(a->body, "");
    CHECK_EQ(a->body_len, 0);
    CHECK_EQ(a->retryable, 0);
    CHECK_EQ(a->retry_after_ms, 0);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);

    /* the server revoked it: the same token again is 404 */
    rec_t *b = rec_new();
    b->secret = refresh;
    XerialRequestId id2 = issue_logout(refresh, b);
    REQUIRE(id2 != 0);
    CHECK(id2 != id);
    REQUIRE_MSG(wait_rec(b, SLOW(5000)), "second logout: no callback within 5 s");
    CHECK_ONCE(b);
    CHECK_EQ(b->got_id, id2);
    CHECK_CODE(b->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(b->http_status, 404);
    CHECK_STREQ(b->message, "Not Found");
    CHECK_STREQ(b->body, "{\"code\":404,\"message\":\"Not Found\"}");
    CHECK_EQ(b->body_len, strlen("{\"code\":404,\"message\":\"Not Found\"}"));
    CHECK_EQ(b->retryable, 0);
    CHECK_EQ(b->retry_after_ms, 0);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 2);
    CLEANUP;
    xerial_shutdown();
}

static const struct {
    int status;
    const char *body; /* the fault's body member, or NULL */
    int32_t code;
    uint8_t retryable;
    const char *message;      /* exact, or NULL: any non-empty message */
    const char *result_body;  /* exact */
} HTTP_ERRORS[] = {
    {401, "\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}", XERIAL_E_UNAUTHORIZED, 0,
     "Please Authenticate", "{\"code\":401,\"message\":\"Please Authenticate\"}"},
    {500, "\"body\":{\"error\":\"Internal Server Error\"}", XERIAL_E_SERVER, 1, NULL,
     "{\"error\":\"Internal Server Error\"}"},
    {503, "\"body\":{\"code\":503,\"message\":\"Unavailable\"}", XERIAL_E_SERVER, 1, "Unavailable",
     "{\"code\":503,\"message\":\"Unavailable\"}"},
    {502, "\"text\":\"<html>Bad Gateway</html>\"", XERIAL_E_SERVER, 1, NULL, ""},
    {400, "\"body\":{\"code\":400,\"message\":\"Auth Failed\"}", XERIAL_E_BAD_REQUEST, 0,
     "Auth Failed", "{\"code\":400,\"message\":\"Auth Failed\"}"},
    {403, "\"body\":{\"code\":403,\"message\":\"Forbidden\"}", XERIAL_E_FORBIDDEN, 0, "Forbidden",
     "{\"code\":403,\"message\":\"Forbidden\"}"},
    {405, NULL, XERIAL_E_NOT_SUPPORTED, 0, NULL, ""},
    {412, "\"body\":{\"code\":412,\"message\":\"You Don't Have This NFT\"}",
     XERIAL_E_PRECONDITION_FAILED, 0, "You Don't Have This NFT",
     "{\"code\":412,\"message\":\"You Don't Have This NFT\"}"},
    {409, NULL, XERIAL_E_HTTP, 0, NULL, ""},
    {302, NULL, XERIAL_E_HTTP, 0, NULL, ""},
};

void case_logout_http_errors(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    for (size_t i = 0; i < sizeof HTTP_ERRORS / sizeof HTTP_ERRORS[0]; i++) {
        char fault[512];
        snprintf(fault, sizeof fault, "{\"kind\":\"status\",\"status\":%d%s%s}", HTTP_ERRORS[i].status,
                 HTTP_ERRORS[i].body ? "," : "", HTTP_ERRORS[i].body ? HTTP_ERRORS[i].body : "");
        REQUIRE(mock_clear_requests() == 0);
        REQUIRE(fault_on_logout(fault, 1) == 0);
        rec_t *r = rec_new();
        r->secret = "harness-secret-http-errors";
        REQUIRE(issue_logout(r->secret, r) != 0);
        REQUIRE_MSG(wait_rec(r, SLOW(10000)), "HTTP %d: no callback", HTTP_ERRORS[i].status);
        CHECK_ONCE(r);
        CHECK_MSG(r->code == HTTP_ERRORS[i].code, "HTTP %d: code %s, want %s", HTTP_ERRORS[i].status,
                  th_code_str(r->code), th_code_str(HTTP_ERRORS[i].code));
        /* (a browser hides a redirect's status: the fetch transport reports 300) */
        int status = g_browser && HTTP_ERRORS[i].status / 100 == 3 ? 300 : HTTP_ERRORS[i].status;
        CHECK_MSG(r->http_status == status, "HTTP %d: http_status %d", HTTP_ERRORS[i].status, r->http_status);
        CHECK_MSG(r->retryable == HTTP_ERRORS[i].retryable, "HTTP %d: retryable %u, want %u",
                  HTTP_ERRORS[i].status, r->retryable, HTTP_ERRORS[i].retryable);
        if (HTTP_ERRORS[i].message)
            CHECK_MSG(r->message && strcmp(r->message, HTTP_ERRORS[i].message) == 0,
                      "HTTP %d: message \"%s\", want \"%s\"", HTTP_ERRORS[i].status,
                      r->message ? r->message : "(null)", HTTP_ERRORS[i].message);
        else
            CHECK_MSG(r->message && r->message[0], "HTTP %d: empty message on an error",
                      HTTP_ERRORS[i].status);
        CHECK_MSG(r->body && strcmp(r->body, HTTP_ERRORS[i].result_body) == 0,
                  "HTTP %d: body \"%s\", want \"%s\"", HTTP_ERRORS[i].status,
                  r->body ? r->body : "(null)", HTTP_ERRORS[i].result_body);
        CHECK_EQ(r->retry_after_ms, 0);
        /* abi.md §4b: logout is retried only when nothing was sent; an HTTP answer is an answer */
        long n = mock_count("POST", LOGOUT_PATH);
        CHECK_MSG(n == 1, "HTTP %d: the server saw %ld logout requests, want 1 (no retry)",
                  HTTP_ERRORS[i].status, n);
    }
    CLEANUP;
    xerial_shutdown();
}

void case_logout_429_retry_after(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(fault_on_logout("{\"kind\":\"status\",\"status\":429,\"retryAfter\":2,"
                            "\"body\":{\"code\":429,\"message\":\"Too Many Requests\"}}",
                            1) == 0);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-429", r) != 0);
    REQUIRE(wait_rec(r, SLOW(10000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_RATE_LIMITED);
    CHECK_EQ(r->http_status, 429);
    CHECK_EQ(r->retry_after_ms, SEEN_RETRY_AFTER(2000));
    CHECK_EQ(r->retryable, 1);
    CHECK_STREQ(r->message, "Too Many Requests");
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
}

#ifndef __EMSCRIPTEN__
/* A port that refuses connections: bound, read, closed. */
static int refused_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &l) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}
#endif

void case_logout_refused(void) {
#ifdef __EMSCRIPTEN__
    /* No sockets to find a closed port with: port 9, which fetch refuses to connect to (a
     * "bad port" of the Fetch standard). The browser reports both the same way. */
    int port = 9;
#else
    int port = refused_port();
#endif
    REQUIRE(port > 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 5000);
    cfg.base_url = url;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *r = rec_new();
    r->secret = "harness-secret-refused";
    int64_t t0 = now_ms();
    REQUIRE(issue_logout(r->secret, r) != 0);
    REQUIRE_MSG(wait_rec(r, SLOW(8000)), "no callback within 8 s (timeout_ms is 5000)");
    int64_t dt = now_ms() - t0;
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NETWORK);
    CHECK_EQ(r->http_status, 0);
    CHECK_EQ(r->retryable, 1);
    CHECK_MSG(r->message && r->message[0], "message is empty");
    CHECK_STREQ(r->body, "");
    CHECK_MSG(dt < SLOW(5500), "answer took %lld ms, past the 5000 ms deadline", (long long)dt);
    CLEANUP;
    xerial_shutdown();
}

void case_logout_timeout_hang(void) {
    REQUIRE(fault_on_logout("{\"kind\":\"hang\"}", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 300) == XERIAL_OK);
    rec_t *r = rec_new();
    int64_t t0 = now_ms();
    REQUIRE(issue_logout("unknown-token-hang", r) != 0);
    REQUIRE_MSG(wait_rec(r, SLOW(3000)), "no callback within 3 s with timeout_ms 300");
    int64_t dt = now_ms() - t0;
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_TIMEOUT);
    CHECK_EQ(r->http_status, 0);
    CHECK_EQ(r->retryable, 1);
    CHECK_MSG(r->message && r->message[0], "message is empty");
    CHECK_MSG(dt >= 250, "TIMEOUT after %lld ms, before the 300 ms deadline", (long long)dt);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

void case_logout_drop(void) {
    REQUIRE(fault_on_logout("{\"kind\":\"drop\"}", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 5000) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-drop", r) != 0);
    REQUIRE(wait_rec(r, SLOW(8000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NETWORK);
    CHECK_EQ(r->http_status, 0);
    CHECK_EQ(r->retryable, 1);
    CHECK_MSG(r->message && r->message[0], "message is empty");
    /* the request was sent: not retried (abi.md §4b) */
    CHECK_SENT_ONCE(mock_count("POST", LOGOUT_PATH), "a logout whose connection dropped");
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* ---- bad arguments: through the callback, never synchronously ---------- */

/* Issues a logout that must fail locally with `want`; checks it sent nothing and
 * that the callback ran only inside xerial_poll, on this thread. */
static void expect_local_error(const char *token, int32_t want, const char *what, const char *file,
                               int line) {
    rec_t *r = rec_new();
    long before = mock_count("POST", LOGOUT_PATH);
    XerialRequestId id = issue_logout(token, r);
    if (id == 0) {
        th_fail(file, line, "%s: xerial_logout returned 0", what);
        return;
    }
    if (atomic_load(&r->calls) != 0) th_fail(file, line, "%s: callback ran inside xerial_logout", what);
    if (!wait_rec(r, SLOW(5000))) {
        th_fail(file, line, "%s: no callback", what);
        return;
    }
    check_rec_once(r, file, line);
    if (r->code != want)
        th_fail(file, line, "%s: code %s, want %s", what, th_code_str(r->code), th_code_str(want));
    if (r->http_status != 0) th_fail(file, line, "%s: http_status %d", what, r->http_status);
    if (r->retryable != 0) th_fail(file, line, "%s: retryable %u", what, r->retryable);
    if (!r->message || !r->message[0]) th_fail(file, line, "%s: empty message", what);
    if (!pthread_equal(r->thread, pthread_self())) th_fail(file, line, "%s: not on the polling thread", what);
    sleep_ms(50);
    long after = mock_count("POST", LOGOUT_PATH);
    if (after != before) th_fail(file, line, "%s: the server saw %ld request(s)", what, after - before);
}
#define LOCAL_ERROR(tok, want, what) expect_local_error((tok), (want), (what), __FILE__, __LINE__)

void case_args_not_logged_in(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    LOCAL_ERROR(NULL, XERIAL_E_NOT_LOGGED_IN, "NULL token, no session");
    LOCAL_ERROR("", XERIAL_E_NOT_LOGGED_IN, "\"\" token, no session");
    CLEANUP;
    xerial_shutdown();
}

void case_args_invalid_utf8(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    LOCAL_ERROR("\xff\xfe", XERIAL_E_INVALID_ARGUMENT, "token \\xff\\xfe");
    LOCAL_ERROR("abc\xc3", XERIAL_E_INVALID_ARGUMENT, "token with a cut UTF-8 sequence");
    LOCAL_ERROR("\xc0\xaf", XERIAL_E_INVALID_ARGUMENT, "token with an overlong encoding");
    LOCAL_ERROR("\xed\xa0\x80", XERIAL_E_INVALID_ARGUMENT, "token with a UTF-16 surrogate");
    CLEANUP;
    xerial_shutdown();
}

void case_args_too_long(void) {
    char *tok = malloc(65538);
    REQUIRE(tok);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    memset(tok, 'a', 65537);
    tok[65537] = '\0';
    LOCAL_ERROR(tok, XERIAL_E_INVALID_ARGUMENT, "65537-byte token");
    /* 65536 bytes is not "over 64 KiB": sent, and the mock does not know it */
    tok[65536] = '\0';
    rec_t *r = rec_new();
    REQUIRE(issue_logout(tok, r) != 0);
    REQUIRE(wait_rec(r, SLOW(10000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(r->http_status, 404);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
    free(tok);
}

static atomic_int g_never_called;
static void never_cb(void *ud, const XerialResult *res) {
    (void)ud;
    (void)res;
    atomic_fetch_add(&g_never_called, 1);
}

void case_args_null_callback(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    int marker = 0;
    CHECK_EQ(xerial_logout("unknown-token-null-cb", NULL, &marker), 0);
    CHECK_EQ(xerial_logout(NULL, NULL, NULL), 0);
    CHECK_EQ(xerial_logout("\xff", NULL, NULL), 0);
    CHECK_EQ(poll_for(300), 0);
    CHECK_EQ(marker, 0);
    /* the SDK still works, and a later poll runs only the real request */
    atomic_store(&g_never_called, 0);
    XerialRequestId id = xerial_logout("unknown-token-after-null-cb", never_cb, &marker);
    id_log(id);
    CHECK(id != 0);
    int64_t end = now_ms() + SLOW(5000);
    unsigned ran = 0;
    while (atomic_load(&g_never_called) == 0 && now_ms() < end) {
        ran += xerial_poll(0);
        sleep_ms(1);
    }
    ran += poll_for(100);
    CHECK_EQ(atomic_load(&g_never_called), 1);
    CHECK_EQ(ran, 1);
    CLEANUP;
    xerial_shutdown();
}

/* ---- session + logout(NULL) ------------------------------------------- */

void case_session_logout_null(void) {
    char json[8192], refresh[4096], got[8192];
    size_t len = 0;
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_E_NOT_LOGGED_IN);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_OK);
    CHECK_EQ(len, strlen(got) + 1);
    CHECK_MSG(strstr(got, refresh) != NULL, "session_get does not hold the refresh token");

    rec_t *r = rec_new();
    r->secret = refresh;
    XerialRequestId id = issue_logout(NULL, r);
    REQUIRE(id != 0);
    /* cleared at once, before the network answers */
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_E_NOT_LOGGED_IN);
    CHECK_EQ(atomic_load(&r->calls), 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_OK);
    CHECK_EQ(r->http_status, 204);
    CHECK_STREQ(r->body, "");
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    /* it sent the session's refresh token: that token is now revoked */
    rec_t *again = rec_new();
    again->secret = refresh;
    REQUIRE(issue_logout(refresh, again) != 0);
    REQUIRE(wait_rec(again, SLOW(5000)));
    CHECK_CODE(again->code, XERIAL_E_NOT_FOUND);
    /* logged out: NULL is NOT_LOGGED_IN again */
    rec_t *none = rec_new();
    REQUIRE(issue_logout(NULL, none) != 0);
    REQUIRE(wait_rec(none, SLOW(5000)));
    CHECK_CODE(none->code, XERIAL_E_NOT_LOGGED_IN);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 2);

    /* "" means the session too; the failed revoke still logs out locally */
    char refresh2[4096];
    REQUIRE(mock_new_session(json, sizeof json, refresh2, sizeof refresh2) == 0);
    REQUIRE(fault_on_logout("{\"kind\":\"status\",\"status\":500,\"body\":{\"error\":\"boom\"}}", 1) == 0);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    rec_t *e = rec_new();
    e->secret = refresh2;
    REQUIRE(issue_logout("", e) != 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    REQUIRE(wait_rec(e, SLOW(5000)));
    CHECK_ONCE(e);
    CHECK_CODE(e->code, XERIAL_E_SERVER);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CLEANUP;
    xerial_shutdown();
}

void case_session_logout_own_token(void) {
    char json[8192], refresh[4096], other[4096];
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    REQUIRE(mock_new_session(NULL, 0, other, sizeof other) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    /* someone else's token: the local session stays */
    rec_t *a = rec_new();
    a->secret = other;
    REQUIRE(issue_logout(other, a) != 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    REQUIRE(wait_rec(a, SLOW(5000)));
    CHECK_CODE(a->code, XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    /* the session's own token, passed explicitly: cleared at once */
    rec_t *b = rec_new();
    b->secret = refresh;
    REQUIRE(issue_logout(refresh, b) != 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    REQUIRE(wait_rec(b, SLOW(5000)));
    CHECK_CODE(b->code, XERIAL_OK);
    /* session_clear is local only */
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    long n = mock_count("POST", LOGOUT_PATH);
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    sleep_ms(100);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), n);
    CLEANUP;
    xerial_shutdown();
}

void case_session_get_buffer(void) {
    char json[8192], refresh[4096], buf[8192];
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(xerial_session_set(json) == XERIAL_OK);
    size_t need = 0;
    CHECK_CODE(xerial_session_get(buf, sizeof buf, &need), XERIAL_OK);
    REQUIRE(need > 1 && need <= sizeof buf);
    CHECK_EQ(strlen(buf) + 1, need);
    char copy[8192];
    memcpy(copy, buf, need);

    size_t caps[] = {0, 1, need / 2, need - 1};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        memset(buf, 'Z', sizeof buf);
        size_t out = 12345;
        int32_t rc = xerial_session_get(buf, caps[i], &out);
        CHECK_MSG(rc == XERIAL_E_BUFFER_TOO_SMALL, "cap %zu: %s, want BUFFER_TOO_SMALL", caps[i],
                  th_code_str(rc));
        CHECK_MSG(out == need, "cap %zu: *out_len %zu, want %zu", caps[i], out, need);
        int untouched = 1;
        for (size_t k = 0; k < sizeof buf; k++)
            if (buf[k] != 'Z') untouched = 0;
        CHECK_MSG(untouched, "cap %zu: the buffer was written to", caps[i]);
    }
    /* a size query with no buffer */
    size_t out = 0;
    CHECK_CODE(xerial_session_get(NULL, 0, &out), XERIAL_E_BUFFER_TOO_SMALL);
    CHECK_EQ(out, need);
    /* exactly enough */
    memset(buf, 'Z', sizeof buf);
    CHECK_CODE(xerial_session_get(buf, need, &out), XERIAL_OK);
    CHECK_EQ(out, need);
    CHECK(memcmp(buf, copy, need) == 0);
    CHECK_EQ(buf[need], 'Z');
    CLEANUP;
    xerial_shutdown();
}

void case_session_set_malformed(void) {
    char json[8192], refresh[4096];
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    const char *bad[] = {
        "not json",
        "",
        "{}",
        "[]",
        "{\"access\":{\"token\":\"a\",\"expires\":\"2099-01-01T00:00:00.000Z\"}}",
        "{\"access\":{\"token\":\"a\",\"expires\":\"2099-01-01T00:00:00.000Z\"},\"refresh\":1}",
        ("{\"access\":{\"token\":\"a\",\"expires\":\"2099-01-01T00:00:00.000Z\"},"
         "\"refresh\":{\"token\":\"r\",\"expires\":\"2099-01-01T00:00:00.000Z\"}"), /* unclosed */
        "\xff\xfe",
    };
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            int32_t rc = xerial_session_set(bad[i]);
            CHECK_MSG(rc == XERIAL_E_INVALID_ARGUMENT, "session_set(\"%s\") = %s", bad[i], th_code_str(rc));
            CHECK_EQ(xerial_auth_state(), pass == 0 ? XERIAL_AUTH_LOGGED_OUT : XERIAL_AUTH_LOGGED_IN);
        }
        CHECK_CODE(xerial_session_set(NULL), XERIAL_E_INVALID_ARGUMENT);
        CHECK_EQ(xerial_auth_state(), pass == 0 ? XERIAL_AUTH_LOGGED_OUT : XERIAL_AUTH_LOGGED_IN);
        if (pass == 0) {
            CHECK_CODE(xerial_session_set(json), XERIAL_OK);
            CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
        }
    }
    /* the good session survived the bad ones */
    char got[8192];
    size_t len = 0;
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_OK);
    CHECK(strstr(got, refresh) != NULL);
    CLEANUP;
    xerial_shutdown();
}

/* ---- logging ----------------------------------------------------------- */

static struct {
    atomic_int count;
    atomic_int bad_ud;
    atomic_int bad_level;
    atomic_int null_msg;
    atomic_int leaked;
    atomic_int late;       /* ran after it was turned off */
    atomic_int off;        /* set when xerial_set_log_callback(NULL/replacement) returned */
    atomic_int max_level;
    const char *secrets[4];
    char leak_example[200];
} g_log;
static int g_log_marker;

static void log_cb(void *ud, int32_t level, const char *message) {
    if (atomic_load(&g_log.off)) atomic_fetch_add(&g_log.late, 1);
    if (ud != &g_log_marker) atomic_fetch_add(&g_log.bad_ud, 1);
    if (level < XERIAL_LOG_ERROR || level > XERIAL_LOG_TRACE) atomic_fetch_add(&g_log.bad_level, 1);
    int m = atomic_load(&g_log.max_level);
    while (level > m && !atomic_compare_exchange_weak(&g_log.max_level, &m, level)) {
    }
    if (!message) {
        atomic_fetch_add(&g_log.null_msg, 1);
    } else {
        for (int i = 0; i < 4; i++)
            if (g_log.secrets[i] && strstr(message, g_log.secrets[i])) {
                if (atomic_fetch_add(&g_log.leaked, 1) == 0)
                    snprintf(g_log.leak_example, sizeof g_log.leak_example, "%s", message);
            }
    }
    atomic_fetch_add(&g_log.count, 1);
}

static void log_reset(void) {
    atomic_store(&g_log.count, 0);
    atomic_store(&g_log.bad_ud, 0);
    atomic_store(&g_log.bad_level, 0);
    atomic_store(&g_log.null_msg, 0);
    atomic_store(&g_log.leaked, 0);
    atomic_store(&g_log.late, 0);
    atomic_store(&g_log.off, 0);
    atomic_store(&g_log.max_level, 0);
}

void case_log_callback(void) {
    char json[8192], refresh[4096], access[4096];
    log_reset();
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    const char *acc = strstr(json, "\"access\"");
    REQUIRE(acc && json_string_field(acc, "token", access, sizeof access) == 0);
    g_log.secrets[0] = refresh;
    g_log.secrets[1] = access;
    g_log.secrets[2] = "harness-secret-log-token";
    g_log.secrets[3] = NULL;

    /* set before init: stays set through init */
    xerial_set_log_callback(log_cb, &g_log_marker, XERIAL_LOG_TRACE);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    rec_t *a = rec_new(), *b = rec_new(), *c = rec_new();
    REQUIRE(issue_logout(NULL, a) != 0);
    REQUIRE(wait_rec(a, SLOW(5000)));
    REQUIRE(issue_logout(refresh, b) != 0);
    REQUIRE(issue_logout("harness-secret-log-token", c) != 0);
    rec_t *bc[] = {b, c};
    REQUIRE(wait_recs(bc, 2, SLOW(5000)));
    CHECK_CODE(a->code, XERIAL_OK);
    CHECK_CODE(b->code, XERIAL_E_NOT_FOUND);
    sleep_ms(50);
    CHECK_MSG(atomic_load(&g_log.count) > 0, "no log message at TRACE during three logouts");
    CHECK_MSG(atomic_load(&g_log.leaked) == 0, "a log message holds a token: \"%s\"", g_log.leak_example);
    CHECK_EQ(atomic_load(&g_log.bad_ud), 0);
    CHECK_EQ(atomic_load(&g_log.bad_level), 0);
    CHECK_EQ(atomic_load(&g_log.null_msg), 0);

    /* ERROR only: a plain 404 logout logs nothing above ERROR */
    xerial_set_log_callback(log_cb, &g_log_marker, XERIAL_LOG_ERROR);
    atomic_store(&g_log.max_level, 0);
    rec_t *d = rec_new();
    REQUIRE(issue_logout("unknown-token-log-error-level", d) != 0);
    REQUIRE(wait_rec(d, SLOW(5000)));
    sleep_ms(50);
    CHECK_MSG(atomic_load(&g_log.max_level) <= XERIAL_LOG_ERROR, "level %d delivered with min_level ERROR",
              atomic_load(&g_log.max_level));

    /* stays set across shutdown and init */
    xerial_set_log_callback(log_cb, &g_log_marker, XERIAL_LOG_TRACE);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    int before = atomic_load(&g_log.count);
    rec_t *e = rec_new();
    REQUIRE(issue_logout("unknown-token-log-reinit", e) != 0);
    REQUIRE(wait_rec(e, SLOW(5000)));
    sleep_ms(50);
    CHECK_MSG(atomic_load(&g_log.count) > before, "no log message after shutdown -> init");

    /* min_level 0 turns it off */
    xerial_set_log_callback(log_cb, &g_log_marker, 0);
    atomic_store(&g_log.off, 1);
    rec_t *f = rec_new();
    REQUIRE(issue_logout("unknown-token-log-level0", f) != 0);
    REQUIRE(wait_rec(f, SLOW(5000)));
    sleep_ms(50);
    CHECK_MSG(atomic_load(&g_log.late) == 0, "%d message(s) after min_level 0", atomic_load(&g_log.late));

    /* NULL turns it off */
    atomic_store(&g_log.off, 0);
    xerial_set_log_callback(log_cb, &g_log_marker, XERIAL_LOG_TRACE);
    xerial_set_log_callback(NULL, NULL, XERIAL_LOG_TRACE);
    atomic_store(&g_log.off, 1);
    rec_t *g = rec_new();
    REQUIRE(issue_logout("unknown-token-log-null", g) != 0);
    REQUIRE(wait_rec(g, SLOW(5000)));
    sleep_ms(50);
    CHECK_MSG(atomic_load(&g_log.late) == 0, "%d message(s) after a NULL callback", atomic_load(&g_log.late));
    CHECK_EQ(atomic_load(&g_log.leaked), 0);
    CLEANUP;
    xerial_set_log_callback(NULL, NULL, 0);
    xerial_shutdown();
}

/* Turning logging off while workers log: once the call returns, never again. */
void case_log_off_race(void) {
    enum { N = 40, ROUNDS = 5 };
    log_reset();
    g_log.secrets[0] = "harness-secret-log-race";
    g_log.secrets[1] = g_log.secrets[2] = g_log.secrets[3] = NULL;
    REQUIRE(sdk_init(XERIAL_DISPATCH_IMMEDIATE, 0) == XERIAL_OK);
    for (int round = 0; round < ROUNDS; round++) {
        atomic_store(&g_log.off, 0);
        xerial_set_log_callback(log_cb, &g_log_marker, XERIAL_LOG_TRACE);
        rec_t *rs[N];
        for (int i = 0; i < N; i++) {
            rs[i] = rec_new();
            REQUIRE(issue_logout("harness-secret-log-race", rs[i]) != 0);
        }
        sleep_ms(round * 3);
        if (round % 2)
            xerial_set_log_callback(NULL, NULL, 0);
        else
            xerial_set_log_callback(log_cb, &g_log_marker, 0);
        atomic_store(&g_log.off, 1);
        REQUIRE(wait_recs(rs, N, SLOW(10000)));
        sleep_ms(30);
    }
    CHECK_MSG(atomic_load(&g_log.late) == 0, "%d log message(s) after logging was turned off",
              atomic_load(&g_log.late));
    CHECK_EQ(atomic_load(&g_log.leaked), 0);
    CHECK_EQ(atomic_load(&g_log.bad_ud), 0);
    CLEANUP;
    xerial_set_log_callback(NULL, NULL, 0);
    xerial_shutdown();
}

/* ---- odd answers -------------------------------------------------------- */

/* abi.md §4b: a 2xx that is not JSON or is over 8 MiB is DECODE, not retried;
 * the deadline covers the body; a delay inside the deadline is fine. */
void case_logout_odd_answers(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 1000) == XERIAL_OK);
    static const struct {
        const char *fault;
        int32_t code;
        int http_status; /* -1: not checked */
        uint8_t retryable;
        int max_ms;
    } T[] = {
        {"{\"kind\":\"malformed\"}", XERIAL_E_DECODE, 200, 0, 1500},
        {"{\"kind\":\"oversized\"}", XERIAL_E_DECODE, 200, 0, 1500},
        {"{\"kind\":\"delay\",\"ms\":200}", XERIAL_E_NOT_FOUND, 404, 0, 1500},
        {"{\"kind\":\"delay\",\"ms\":3000}", XERIAL_E_TIMEOUT, 0, 1, 1500},
        {"{\"kind\":\"trickle\",\"intervalMs\":100,\"chunkBytes\":2}", XERIAL_E_TIMEOUT, -1, 1, 1500},
        {"{\"kind\":\"truncate\"}", XERIAL_E_NETWORK, -1, 1, 1500},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        REQUIRE(mock_clear_requests() == 0);
        REQUIRE(fault_on_logout(T[i].fault, 1) == 0);
        rec_t *r = rec_new();
        int64_t t0 = now_ms();
        REQUIRE(issue_logout("unknown-token-odd", r) != 0);
        REQUIRE_MSG(wait_rec(r, SLOW(5000)), "%s: no callback", T[i].fault);
        int64_t dt = now_ms() - t0;
        CHECK_ONCE(r);
        CHECK_MSG(r->code == T[i].code, "%s: code %s, want %s", T[i].fault, th_code_str(r->code),
                  th_code_str(T[i].code));
        if (T[i].http_status >= 0)
            CHECK_MSG(r->http_status == T[i].http_status, "%s: http_status %d, want %d", T[i].fault,
                      r->http_status, T[i].http_status);
        CHECK_MSG(r->retryable == T[i].retryable, "%s: retryable %u", T[i].fault, r->retryable);
        CHECK_MSG(dt < SLOW(T[i].max_ms), "%s: answered after %lld ms (timeout_ms 1000)", T[i].fault,
                  (long long)dt);
        long n = mock_count("POST", LOGOUT_PATH);
        CHECK_MSG(n == 1, "%s: the server saw %ld requests, want 1", T[i].fault, n);
    }
    CLEANUP;
    xerial_shutdown();
}

/* abi.md §4: message never contains a token; a token the server echoes is redacted. */
void case_logout_echo_redacted(void) {
    const char *tok = "harness-secret-echo-4f1c9a";
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(fault_on_logout("{\"kind\":\"status\",\"status\":400,\"body\":{\"code\":400,"
                            "\"message\":\"bad refresh token harness-secret-echo-4f1c9a\","
                            "\"refreshToken\":\"harness-secret-echo-4f1c9a\"}}",
                            1) == 0);
    rec_t *r = rec_new();
    r->secret = tok;
    REQUIRE(issue_logout(tok, r) != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r); /* fails if the token is in message or body */
    CHECK_CODE(r->code, XERIAL_E_BAD_REQUEST);
    CHECK_EQ(r->http_status, 400);
    CHECK_MSG(r->message && r->message[0], "message is empty");
    CLEANUP;
    xerial_shutdown();
}

/* abi.md §2 session_path, §6 (logout clears memory and file at once), §8 (file
 * format, 0600, loaded by init, corrupt file ignored, clear deletes). */
void case_session_path_persist(void) {
    char dir[] = "/tmp/xerial-harness-XXXXXX";
    char path[256] = "", json[8192], refresh[4096], got[8192], file[8192];
    size_t len = 0;
    int have_dir = mkdtemp(dir) != NULL;
    REQUIRE(have_dir);
    snprintf(path, sizeof path, "%s/session.json", dir);
    REQUIRE(mock_new_session(json, sizeof json, refresh, sizeof refresh) == 0);
    XerialConfig cfg;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.session_store = XERIAL_SESSION_STORE_FILE;
    cfg.session_path = path;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_CODE(xerial_session_get(got, sizeof got, &len), XERIAL_OK);
    struct stat st;
    REQUIRE_MSG(stat(path, &st) == 0, "session_set did not write %s", path);
    CHECK_MSG((st.st_mode & 0777) == 0600, "session file mode %o, want 600", (unsigned)(st.st_mode & 0777));
    FILE *f = fopen(path, "rb");
    REQUIRE(f);
    size_t fl = fread(file, 1, sizeof file - 1, f);
    fclose(f);
    file[fl] = '\0';
    CHECK_MSG(fl == strlen(got) && memcmp(file, got, fl) == 0,
              "the file does not hold exactly what session_get returns");
    /* loaded by the next init */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    /* logout(NULL): file gone when the call returns */
    rec_t *r = rec_new();
    r->secret = refresh;
    REQUIRE(issue_logout(NULL, r) != 0);
    CHECK_MSG(stat(path, &st) != 0, "session file still there after xerial_logout(NULL) returned");
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_CODE(r->code, XERIAL_OK);
    /* session_clear deletes it too */
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK(stat(path, &st) == 0);
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_MSG(stat(path, &st) != 0, "session file still there after xerial_session_clear");
    /* a corrupt file is ignored */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    f = fopen(path, "wb");
    REQUIRE(f);
    fputs("{corrupt", f);
    fclose(f);
    CHECK_CODE(sdk_init_cfg(&cfg), XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CLEANUP;
    xerial_shutdown();
    if (path[0]) unlink(path);
    if (have_dir) rmdir(dir);
}
