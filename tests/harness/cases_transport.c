/* cases_transport.c - the host transport's contract (abi.md §10), with a scripted transport:
 * it records every request the SDK hands it and answers as the case says (inside `send`, or
 * later, or never), so each promise is checked without a network. These cases install their
 * own transport and run in every mode of the harness (threads or XERIAL_RUN_IN_POLL). */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "world.h"

#define MAX_SENT 64
#define TOKENS                                                                                     \
    "{\"access\":{\"token\":\"acc-host-7f3a9c\",\"expires\":\"2999-01-01T00:00:00.000Z\"},"        \
    "\"refresh\":{\"token\":\"ref-host-41d2e8\",\"expires\":\"2999-01-01T00:00:00.000Z\"}}"
#define PURCHASE(r) xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, (r))

typedef enum { ANSWER, FAIL, HOLD, SHUTDOWN_INSIDE } behaviour_t;

typedef struct {
    uint64_t handle;
    char method[16], url[512], authorization[256], content_type[64], body[512];
    size_t body_len;
    uint32_t timeout_ms;
} sent_t;

static struct {
    pthread_mutex_t mu;
    behaviour_t behaviour;
    int32_t status, reason;
    const char *body;
    size_t body_len; /* 0: strlen(body) */
    const char *retry_after_name;
    sent_t sent[MAX_SENT];
    int n_sent;
    uint64_t cancelled[MAX_SENT];
    int n_cancelled;
    int32_t inside_rc; /* what the answer given inside `send` returned */
} S = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void copy(char *out, size_t cap, const char *in) { snprintf(out, cap, "%s", in ? in : "(null)"); }

static void scripted_send(void *user_data, const XerialHttpRequest *req) {
    (void)user_data;
    pthread_mutex_lock(&S.mu);
    sent_t *s = S.n_sent < MAX_SENT ? &S.sent[S.n_sent++] : NULL;
    if (s) {
        memset(s, 0, sizeof *s);
        s->handle = req->handle;
        copy(s->method, sizeof s->method, req->method);
        copy(s->url, sizeof s->url, req->url);
        for (size_t i = 0; i < req->header_count; i++) {
            if (strcmp(req->headers[i].name, "Authorization") == 0)
                copy(s->authorization, sizeof s->authorization, req->headers[i].value);
            if (strcmp(req->headers[i].name, "Content-Type") == 0)
                copy(s->content_type, sizeof s->content_type, req->headers[i].value);
        }
        s->body_len = req->body_len;
        if (req->body && req->body_len < sizeof s->body) memcpy(s->body, req->body, req->body_len); /* body NULL when empty */
        s->timeout_ms = req->timeout_ms;
    }
    behaviour_t behaviour = S.behaviour;
    pthread_mutex_unlock(&S.mu);
    int32_t rc = XERIAL_OK;
    if (behaviour == ANSWER) {
        XerialHttpHeader headers[2] = {{"Content-Type", "application/json"}, {S.retry_after_name, "2"}};
        size_t len = S.body_len ? S.body_len : strlen(S.body);
        rc = xerial_http_complete(req->handle, S.status, headers, S.retry_after_name ? 2 : 1,
                                  (const uint8_t *)S.body, len);
    } else if (behaviour == FAIL) {
        rc = xerial_http_fail(req->handle, S.reason, "scripted failure");
    } else if (behaviour == SHUTDOWN_INSIDE) {
        rc = xerial_shutdown();
    }
    pthread_mutex_lock(&S.mu);
    S.inside_rc = rc;
    pthread_mutex_unlock(&S.mu);
}

static void scripted_cancel(void *user_data, uint64_t handle) {
    (void)user_data;
    pthread_mutex_lock(&S.mu);
    if (S.n_cancelled < MAX_SENT) S.cancelled[S.n_cancelled++] = handle;
    pthread_mutex_unlock(&S.mu);
}

static const XerialTransport SCRIPTED = {sizeof(XerialTransport), NULL, scripted_send, scripted_cancel};

static void script(behaviour_t behaviour, int32_t status, const char *body) {
    pthread_mutex_lock(&S.mu);
    S.behaviour = behaviour;
    S.status = status;
    S.body = body ? body : "";
    S.body_len = 0;
    S.reason = XERIAL_HTTP_MAYBE_SENT;
    S.retry_after_name = NULL;
    S.n_sent = S.n_cancelled = 0;
    S.inside_rc = -1;
    pthread_mutex_unlock(&S.mu);
}

static int n_sent(void) {
    pthread_mutex_lock(&S.mu);
    int n = S.n_sent;
    pthread_mutex_unlock(&S.mu);
    return n;
}

static int was_cancelled(uint64_t handle) {
    pthread_mutex_lock(&S.mu);
    int found = 0;
    for (int i = 0; i < S.n_cancelled; i++) found |= S.cancelled[i] == handle;
    pthread_mutex_unlock(&S.mu);
    return found;
}

/* Polls (in poll dispatch) until the transport has seen `n` requests. */
static int wait_sent(int n, int timeout_ms) {
    int64_t end = now_ms() + timeout_ms;
    while (n_sent() < n) {
        if (now_ms() > end) return 0;
        th_poll(0);
        sleep_ms(1);
    }
    return 1;
}

static int32_t init_scripted(uint32_t timeout_ms, uint32_t max_retries) {
    XerialConfig cfg;
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, timeout_ms);
    cfg.transport = &SCRIPTED;
    cfg.max_retries = max_retries;
    return sdk_init_cfg(&cfg);
}

/* The request the SDK hands over: method, absolute URL, headers, body, handle, deadline. */
void case_transport_request_shape(void) {
    script(ANSWER, 200, "{\"balance\":\"25\"}");
    REQUIRE(init_scripted(4000, 2) == XERIAL_OK);
    th_secret_add("acc-host-7f3a9c");
    th_secret_add("ref-host-41d2e8");
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, r)) != 0);
    AWAIT(r);
    CHECK_OK(r);
    CHECK_HAS(r->body, "\"balance\":\"25\"");
    CHECK_EQ(S.inside_rc, XERIAL_OK); /* answered from inside send */
    REQUIRE(n_sent() == 1);
    CHECK_STREQ(S.sent[0].method, "GET");
    char want[600];
    snprintf(want, sizeof want, "%s%s", g_base_url, WALLET_PATH(PLAYER, "polygon", "/eth"));
    CHECK_STREQ(S.sent[0].url, want);
    CHECK_STREQ(S.sent[0].authorization, ""); /* a public read sends no token */
    CHECK_EQ(S.sent[0].body_len, 0);
    CHECK_MSG(S.sent[0].handle != 0, "handle 0");
    CHECK_MSG(S.sent[0].timeout_ms > 3000 && S.sent[0].timeout_ms <= 4000, "timeout_ms %u",
              S.sent[0].timeout_ms);
    /* a Bearer POST: the token, the JSON body and its Content-Type */
    REQUIRE(xerial_session_set(TOKENS) == XERIAL_OK);
    script(ANSWER, 200, "{\"transactionHash\":\"0x" "8f4e2a1b9c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f\"}");
    rec_t *p = rec_new();
    REQUIRE(track(p, PURCHASE(p)) != 0);
    AWAIT(p);
    CHECK_OK(p);
    REQUIRE(n_sent() == 1);
    CHECK_STREQ(S.sent[0].method, "POST");
    CHECK_STREQ(S.sent[0].authorization, "Bearer acc-host-7f3a9c");
    CHECK_STREQ(S.sent[0].content_type, "application/json");
    CHECK_HAS(S.sent[0].body, "\"purchases\":[{");
    CHECK_EQ(S.sent[0].body_len, strlen(S.sent[0].body));
    CLEANUP;
    xerial_shutdown();
}

/* NOT_SENT is retried like a refused connection, even for a purchase; MAYBE_SENT is a lost
 * answer: a purchase is sent once and its outcome is unknown; an unknown reason counts as that. */
void case_transport_failures(void) {
    script(FAIL, 0, NULL);
    S.reason = XERIAL_HTTP_NOT_SENT;
    REQUIRE(init_scripted(5000, 2) == XERIAL_OK);
    REQUIRE(xerial_session_set(TOKENS) == XERIAL_OK);
    th_secret_add("acc-host-7f3a9c");
    rec_t *ns = rec_new();
    REQUIRE(track(ns, PURCHASE(ns)) != 0);
    AWAIT(ns);
    CHECK_CODE(ns->code, XERIAL_E_NETWORK);
    CHECK_EQ(ns->retryable, 1); /* nothing ran for sure */
    CHECK_HAS(ns->message, "scripted failure");
    CHECK_EQ(n_sent(), 3); /* 1 + max_retries */
    int32_t reasons[2] = {XERIAL_HTTP_MAYBE_SENT, 7};
    for (int i = 0; i < 2; i++) {
        script(FAIL, 0, NULL);
        S.reason = reasons[i];
        rec_t *ms = rec_new();
        REQUIRE(track(ms, PURCHASE(ms)) != 0);
        AWAIT(ms);
        CHECK_CODE(ms->code, XERIAL_E_OUTCOME_UNKNOWN);
        CHECK_EQ(ms->retryable, 0);
        CHECK_EQ(n_sent(), 1);
    }
    /* a read that may have been sent is retried; a logout is not */
    script(FAIL, 0, NULL);
    rec_t *rd = rec_new();
    REQUIRE(track(rd, xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, rd)) != 0);
    AWAIT(rd);
    CHECK_CODE(rd->code, XERIAL_E_NETWORK);
    CHECK_EQ(n_sent(), 3);
    script(FAIL, 0, NULL);
    rec_t *lo = rec_new();
    REQUIRE(track(lo, xerial_logout("ref-other", rec_cb, lo)) != 0);
    AWAIT(lo);
    CHECK_CODE(lo->code, XERIAL_E_NETWORK);
    CHECK_EQ(n_sent(), 1);
    CLEANUP;
    xerial_shutdown();
}

/* Answers as received: error statuses map by the table, Retry-After is read case-insensitively,
 * bodies over 8 MiB are DECODE. */
void case_transport_answers(void) {
    script(ANSWER, 429, "{\"code\":429,\"message\":\"Slow down\"}");
    S.retry_after_name = "retry-after";
    REQUIRE(init_scripted(5000, 2) == XERIAL_OK);
    rec_t *rl = rec_new();
    REQUIRE(track(rl, xerial_logout("ref-x", rec_cb, rl)) != 0);
    AWAIT(rl);
    CHECK_HTTP_ERROR(rl, XERIAL_E_RATE_LIMITED, 429, "Slow down", 1);
    CHECK_EQ(rl->retry_after_ms, 2000);
    script(ANSWER, 302, "");
    rec_t *re = rec_new();
    REQUIRE(track(re, xerial_logout("ref-x", rec_cb, re)) != 0);
    AWAIT(re);
    CHECK_CODE(re->code, XERIAL_E_HTTP); /* redirects are not followed */
    CHECK_EQ(re->http_status, 302);
    size_t big = 8u * 1024u * 1024u + 1u;
    char *body = malloc(big);
    REQUIRE(body != NULL);
    memset(body, ' ', big);
    body[0] = '{';
    body[big - 1] = '}';
    script(ANSWER, 200, body);
    S.body_len = big;
    rec_t *d = rec_new();
    REQUIRE(track(d, xerial_request("GET", "/api/user", NULL, 0, rec_cb, d)) != 0);
    AWAIT(d);
    CHECK_CODE(d->code, XERIAL_E_DECODE);
    CHECK_EQ(d->http_status, 200);
    CHECK_EQ(n_sent(), 1); /* not retried */
    script(ANSWER, 200, body);
    S.body_len = big - 1; /* exactly 8 MiB: fine */
    body[big - 2] = '}';
    rec_t *ok = rec_new();
    REQUIRE(track(ok, xerial_request("GET", "/api/user", NULL, 0, rec_cb, ok)) != 0);
    AWAIT(ok);
    CHECK_CODE(ok->code, XERIAL_OK);
    free(body);
    CLEANUP;
    xerial_shutdown();
}

/* A handle is answered once: a second answer, an unknown handle, a bad status or NULL body. */
void case_transport_handles(void) {
    CHECK_CODE(xerial_http_complete(1, 200, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND); /* not initialised */
    CHECK_CODE(xerial_http_fail(1, XERIAL_HTTP_NOT_SENT, NULL), XERIAL_E_NOT_FOUND);
    script(HOLD, 0, NULL);
    REQUIRE(init_scripted(5000, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_logout("ref-x", rec_cb, r)) != 0);
    REQUIRE(wait_sent(1, SLOW(5000)));
    uint64_t h = S.sent[0].handle;
    CHECK_CODE(xerial_http_complete(h + 1000000, 204, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_http_complete(h, 204, NULL, 0, NULL, 0), XERIAL_OK);
    CHECK_CODE(xerial_http_complete(h, 204, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_http_fail(h, XERIAL_HTTP_NOT_SENT, "late"), XERIAL_E_NOT_FOUND);
    AWAIT(r);
    CHECK_EQ(r->code, XERIAL_OK);
    CHECK_EQ(r->http_status, 204);
    int32_t bad_status[3] = {0, 600, -1};
    for (int i = 0; i < 3; i++) {
        script(HOLD, 0, NULL);
        rec_t *b = rec_new();
        REQUIRE(track(b, xerial_logout("ref-x", rec_cb, b)) != 0);
        REQUIRE(wait_sent(1, SLOW(5000)));
        CHECK_CODE(xerial_http_complete(S.sent[0].handle, bad_status[i], NULL, 0, NULL, 0),
                   XERIAL_E_INVALID_ARGUMENT);
        AWAIT(b);
        CHECK_CODE(b->code, XERIAL_E_NETWORK); /* ended as a failure that may have been sent */
        CHECK_HAS(b->message, "not an HTTP status");
    }
    script(HOLD, 0, NULL);
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_logout("ref-x", rec_cb, n)) != 0);
    REQUIRE(wait_sent(1, SLOW(5000)));
    CHECK_CODE(xerial_http_complete(S.sent[0].handle, 200, NULL, 0, NULL, 5), XERIAL_E_INVALID_ARGUMENT);
    AWAIT(n);
    CHECK_CODE(n->code, XERIAL_E_NETWORK);
    CLEANUP;
    xerial_shutdown();
}

/* The SDK keeps its own deadline: it answers by it, abandons the handle and cancels it; a
 * purchase handed to `send` is then OUTCOME_UNKNOWN. */
void case_transport_deadline(void) {
    script(HOLD, 0, NULL);
    REQUIRE(init_scripted(300, 2) == XERIAL_OK);
    REQUIRE(xerial_session_set(TOKENS) == XERIAL_OK);
    th_secret_add("acc-host-7f3a9c");
    int64_t t0 = now_ms();
    rec_t *lo = rec_new(), *p = rec_new();
    REQUIRE(track(lo, xerial_logout("ref-x", rec_cb, lo)) != 0);
    REQUIRE(track(p, PURCHASE(p)) != 0);
    AWAIT(lo);
    AWAIT(p);
    int64_t took = now_ms() - t0;
    CHECK_CODE(lo->code, XERIAL_E_TIMEOUT);
    CHECK_CODE(p->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_MSG(took >= 250 && took < SLOW(3000), "answered after %lld ms", (long long)took);
    REQUIRE(n_sent() == 2);
    for (int i = 0; i < 2; i++) {
        uint64_t h = S.sent[i].handle;
        int64_t end = now_ms() + SLOW(2000);
        while (!was_cancelled(h) && now_ms() < end) sleep_ms(1);
        CHECK_MSG(was_cancelled(h), "handle %d not cancelled", i);
        CHECK_CODE(xerial_http_complete(h, 200, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND);
    }
    CLEANUP;
    xerial_shutdown();
}

/* xerial_cancel stops waiting and tells the host; shutdown cancels every open handle before it
 * returns, and later answers are refused. */
void case_transport_cancel_and_shutdown(void) {
    script(HOLD, 0, NULL);
    REQUIRE(init_scripted(10000, 2) == XERIAL_OK);
    REQUIRE(xerial_session_set(TOKENS) == XERIAL_OK);
    th_secret_add("acc-host-7f3a9c");
    rec_t *c = rec_new();
    REQUIRE(track(c, xerial_logout("ref-x", rec_cb, c)) != 0);
    REQUIRE(wait_sent(1, SLOW(5000)));
    uint64_t hc = S.sent[0].handle;
    CHECK_CODE(xerial_cancel(c->id), XERIAL_OK);
    AWAIT(c);
    CHECK_CODE(c->code, XERIAL_E_CANCELLED);
    int64_t end = now_ms() + SLOW(2000);
    while (!was_cancelled(hc) && now_ms() < end) {
        th_poll(0); /* in poll mode the aborted task is dropped, and the host told, in a poll */
        sleep_ms(1);
    }
    CHECK_MSG(was_cancelled(hc), "the host was not told of the cancel");
    CHECK_CODE(xerial_http_complete(hc, 204, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND);
    rec_t *a = rec_new(), *p = rec_new();
    REQUIRE(track(a, xerial_logout("ref-y", rec_cb, a)) != 0);
    REQUIRE(track(p, PURCHASE(p)) != 0);
    REQUIRE(wait_sent(3, SLOW(5000)));
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_EQ(atomic_load(&a->calls), 1);
    CHECK_EQ(atomic_load(&p->calls), 1);
    CHECK_CODE(a->code, XERIAL_E_SHUTDOWN);
    CHECK_CODE(p->code, XERIAL_E_OUTCOME_UNKNOWN); /* handed to send: it may have run */
    CHECK(was_cancelled(S.sent[1].handle));
    CHECK(was_cancelled(S.sent[2].handle));
    CHECK_CODE(xerial_http_complete(S.sent[1].handle, 204, NULL, 0, NULL, 0), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_http_fail(S.sent[2].handle, XERIAL_HTTP_MAYBE_SENT, NULL), XERIAL_E_NOT_FOUND);
    CLEANUP;
    xerial_shutdown();
}

/* The host may call back in from inside `send`: here it shuts the SDK down. */
void case_transport_shutdown_inside_send(void) {
    script(SHUTDOWN_INSIDE, 0, NULL);
    REQUIRE(init_scripted(5000, 2) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_logout("ref-x", rec_cb, r)) != 0);
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&r->calls) == 0 && now_ms() < end) {
        th_poll(0);
        sleep_ms(1);
    }
    CHECK_EQ(atomic_load(&r->calls), 1);
    CHECK_CODE(r->code, XERIAL_E_SHUTDOWN);
    CHECK_EQ(S.inside_rc, XERIAL_OK);
    CHECK(was_cancelled(S.sent[0].handle)); /* abandoned during send: cancelled once it returned */
    CHECK_EQ(xerial_poll(0), 0);
    CLEANUP;
    xerial_shutdown();
}

/* What init accepts: a transport table of the right size with `send`; the run modes. */
void case_transport_config(void) {
    XerialConfig cfg;
    XerialTransport t = SCRIPTED;
    cfg_mock(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.transport = &t;
    t.struct_size = 8;
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT);
    t.struct_size = sizeof t;
    t.send = NULL;
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT);
    t.send = scripted_send;
    cfg.run_mode = 2;
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT);
    cfg.run_mode = XERIAL_RUN_IN_POLL;
    cfg.dispatch = XERIAL_DISPATCH_IMMEDIATE;
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT);
    cfg.dispatch = XERIAL_DISPATCH_POLL;
    cfg.transport = NULL;
#ifdef __EMSCRIPTEN__
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT); /* no built-in transport */
    cfg.run_mode = XERIAL_RUN_THREADS;
    cfg.transport = &t;
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT); /* no threads */
    cfg.run_mode = XERIAL_RUN_IN_POLL;
#else
    CHECK_CODE(xerial_init(&cfg), XERIAL_E_INVALID_ARGUMENT); /* in poll needs a host transport */
    cfg.run_mode = XERIAL_RUN_THREADS;
    cfg.transport = &t;
    CHECK_CODE(xerial_init(&cfg), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    cfg.run_mode = XERIAL_RUN_IN_POLL;
#endif
    cfg.transport = &t;
    cfg.proxy_url = "http://127.0.0.1:9"; /* ignored with a host transport */
    CHECK_CODE(xerial_init(&cfg), XERIAL_OK);
    CLEANUP;
    xerial_shutdown();
}

/* Sign-in needs a loopback listener and the SDK's threads: without threads (and in the
 * WebAssembly build) it answers XERIAL_E_UNAVAILABLE through its callback, opens nothing, and
 * xerial_signin_complete finds nothing waiting. */
static void never_open(void *user_data, const char *url) {
    (void)url;
    atomic_store((atomic_int *)user_data, 1);
}

void case_signin_unavailable_without_threads(void) {
    XerialConfig cfg;
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.transport = &SCRIPTED;
    cfg.run_mode = XERIAL_RUN_IN_POLL;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    atomic_int opened = 0;
    XerialSignInOptions o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.method = XERIAL_SIGNIN_GOOGLE;
    o.client_id = "harness.apps.googleusercontent.com";
    o.open_url = never_open;
    o.open_url_user_data = &opened;
    rec_t *r = rec_new();
    track(r, xerial_signin_start(&o, rec_cb, r));
    AWAIT(r);
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_UNAVAILABLE);
    CHECK_MSG(strstr(r->message, "XERIAL_RUN_IN_POLL") != NULL || strstr(r->message, "WebAssembly") != NULL, "%s", r->message);
    CHECK(!atomic_load(&opened));
    CHECK_CODE(xerial_signin_complete("com.example.game:/cb?code=x&state=y"), XERIAL_E_NOT_FOUND);
    CLEANUP;
    xerial_shutdown();
}
