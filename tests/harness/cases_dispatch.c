/* cases_dispatch.c - where and when callbacks run (abi.md §3), cancel, shutdown
 * (§2), request ids, and load. */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "mock_admin.h"
#include "th.h"

static int fault_logout(const char *kind, int times) {
    char buf[512];
    if (times > 0)
        snprintf(buf, sizeof buf,
                 "{\"method\":\"POST\",\"path\":\"" LOGOUT_PATH "\",\"times\":%d,\"fault\":{\"kind\":\"%s\"}}",
                 times, kind);
    else
        snprintf(buf, sizeof buf,
                 "{\"method\":\"POST\",\"path\":\"" LOGOUT_PATH "\",\"fault\":{\"kind\":\"%s\"}}", kind);
    return mock_fault(buf);
}

static int count_calls(rec_t **rs, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += atomic_load(&rs[i]->calls);
    return s;
}

/* ---- poll dispatch ------------------------------------------------------ */

void case_poll_deferred(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-deferred", r) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    sleep_ms(SLOW(200));
    CHECK_MSG(atomic_load(&r->calls) == 0, "callback ran without xerial_poll");
    unsigned total = 0;
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&r->calls) == 0 && now_ms() < end) total += xerial_poll(0);
    CHECK_ONCE(r);
    CHECK_EQ(total, 1);
    CHECK(pthread_equal(r->thread, pthread_self()));
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(xerial_poll(0), 0);
    CLEANUP;
    xerial_shutdown();
}

typedef struct {
    rec_t *r;
    pthread_t self;
    unsigned total;
    int ok;
} poller_t;

static void *poller_main(void *arg) {
    poller_t *p = arg;
    p->self = pthread_self();
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&p->r->calls) == 0 && now_ms() < end) {
        p->total += xerial_poll(0);
        sleep_ms(1);
    }
    p->ok = atomic_load(&p->r->calls) > 0;
    return NULL;
}

/* The callback runs on whichever thread polls, not the one that issued. */
void case_poll_other_thread(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    REQUIRE(issue_logout("unknown-token-other-thread", r) != 0);
    poller_t p = {r, pthread_self(), 0, 0};
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, poller_main, &p) == 0);
    pthread_join(t, NULL);
    REQUIRE(p.ok);
    CHECK_ONCE(r);
    CHECK_EQ(p.total, 1);
    CHECK_MSG(pthread_equal(r->thread, p.self), "callback did not run on the polling thread");
    CLEANUP;
    xerial_shutdown();
}

static void hook_poll(rec_t *r, const XerialResult *res) {
    (void)res;
    r->hook_ret = (int)xerial_poll(0);
}

void case_poll_inside_callback(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *a = rec_new(), *b = rec_new();
    a->hook = b->hook = hook_poll;
    a->hook_ret = b->hook_ret = -1;
    REQUIRE(issue_logout("unknown-token-inside-a", a) != 0);
    REQUIRE(issue_logout("unknown-token-inside-b", b) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 2, SLOW(3000)));
    sleep_ms(SLOW(200));
    rec_t *ab[] = {a, b};
    unsigned total = 0;
    int64_t end = now_ms() + SLOW(5000);
    while (count_calls(ab, 2) < 2 && now_ms() < end) total += xerial_poll(0);
    CHECK_ONCE(a);
    CHECK_ONCE(b);
    CHECK_EQ(total, 2);
    CHECK_MSG(a->hook_ret == 0 && b->hook_ret == 0,
              "xerial_poll inside a callback returned %d and %d, want 0", a->hook_ret, b->hook_ret);
    CLEANUP;
    xerial_shutdown();
}

void case_poll_max_callbacks(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *rs[3];
    for (int i = 0; i < 3; i++) {
        rs[i] = rec_new();
        REQUIRE(issue_logout("unknown-token-max", rs[i]) != 0);
    }
    REQUIRE(wait_mock_count(LOGOUT_PATH, 3, SLOW(3000)));
    sleep_ms(SLOW(300));
    CHECK_EQ(count_calls(rs, 3), 0);
    unsigned n = xerial_poll(1);
    CHECK_EQ(n, 1);
    CHECK_EQ(count_calls(rs, 3), 1);
    n = xerial_poll(1);
    CHECK_EQ(n, 1);
    CHECK_EQ(count_calls(rs, 3), 2);
    n = xerial_poll(0);
    CHECK_EQ(n, 1);
    CHECK_EQ(count_calls(rs, 3), 3);
    CHECK_EQ(xerial_poll(0), 0);
    for (int i = 0; i < 3; i++) CHECK_ONCE(rs[i]);
    CLEANUP;
    xerial_shutdown();
}

/* In the callback: start one request that fails locally (queued at once) and one
 * that goes to the mock, and wait until the latter has surely been answered. */
static void hook_start_new(rec_t *r, const XerialResult *res) {
    (void)res;
    rec_t *bad = r->hook_arg, *real = r->hook_arg2;
    issue_logout("\xff", bad);
    long before = mock_count("POST", LOGOUT_PATH);
    issue_logout("unknown-token-new-in-cb", real);
    int64_t end = now_ms() + SLOW(3000);
    while (mock_count("POST", LOGOUT_PATH) <= before && now_ms() < end) sleep_ms(10);
    sleep_ms(SLOW(200));
    r->hook_ret = bad->id != 0 && real->id != 0;
}

void case_poll_new_request_in_callback(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *a = rec_new(), *bad = rec_new(), *real = rec_new();
    a->hook = hook_start_new;
    a->hook_arg = bad;
    a->hook_arg2 = real;
    REQUIRE(issue_logout("unknown-token-outer", a) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    sleep_ms(SLOW(200));
    unsigned n = 0;
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&a->calls) == 0 && now_ms() < end) n += xerial_poll(0);
    REQUIRE(atomic_load(&a->calls) == 1);
    CHECK(a->hook_ret == 1);
    CHECK_EQ(n, 1);
    CHECK_MSG(atomic_load(&bad->calls) == 0 && atomic_load(&real->calls) == 0,
              "the poll that ran the callback also ran requests the callback started");
    rec_t *both[] = {bad, real};
    REQUIRE(wait_recs(both, 2, SLOW(5000)));
    CHECK_ONCE(bad);
    CHECK_ONCE(real);
    CHECK_CODE(bad->code, XERIAL_E_INVALID_ARGUMENT);
    CHECK_CODE(real->code, XERIAL_E_NOT_FOUND);
    CLEANUP;
    xerial_shutdown();
}

typedef struct {
    unsigned ret;
    int64_t ms;
} tpoll_t;

static void *tpoll_main(void *arg) {
    tpoll_t *t = arg;
    int64_t t0 = now_ms();
    t->ret = xerial_poll(0);
    t->ms = now_ms() - t0;
    return NULL;
}

/* While one thread is inside xerial_poll, another thread's xerial_poll returns 0 at once. */
static void hook_concurrent_poll(rec_t *r, const XerialResult *res) {
    (void)res;
    tpoll_t t = {999, 0};
    pthread_t th;
    if (pthread_create(&th, NULL, tpoll_main, &t) != 0) return;
    pthread_join(th, NULL);
    r->hook_ret = (int)t.ret;
    r->hook_ret2 = (int)t.ms;
}

void case_poll_serialised(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *a = rec_new(), *b = rec_new();
    a->hook = b->hook = hook_concurrent_poll;
    a->hook_ret = b->hook_ret = -1;
    REQUIRE(issue_logout("unknown-token-serial-a", a) != 0);
    REQUIRE(issue_logout("unknown-token-serial-b", b) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 2, SLOW(3000)));
    sleep_ms(SLOW(300));
    unsigned n = xerial_poll(0);
    CHECK_EQ(n, 2);
    rec_t *ab[] = {a, b};
    REQUIRE(wait_recs(ab, 2, SLOW(5000)));
    CHECK_ONCE(a);
    CHECK_ONCE(b);
    CHECK_MSG(a->hook_ret == 0 && b->hook_ret == 0,
              "a concurrent xerial_poll returned %d / %d, want 0", a->hook_ret, b->hook_ret);
    CHECK_MSG(a->hook_ret2 < SLOW(500) && b->hook_ret2 < SLOW(500),
              "a concurrent xerial_poll blocked %d / %d ms", a->hook_ret2, b->hook_ret2);
    CHECK(pthread_equal(a->thread, pthread_self()));
    CHECK(pthread_equal(b->thread, pthread_self()));
    CLEANUP;
    xerial_shutdown();
}

void case_poll_idle_cheap(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    int64_t t0 = now_ms();
    unsigned n = 0;
    for (int i = 0; i < 10000; i++) n += xerial_poll(0);
    int64_t dt = now_ms() - t0;
    CHECK_EQ(n, 0);
    CHECK_MSG(dt < SLOW(1000), "10000 idle polls took %lld ms", (long long)dt);
    CLEANUP;
    xerial_shutdown();
}

/* ---- immediate dispatch ------------------------------------------------ */

static void hook_issue(rec_t *r, const XerialResult *res) {
    (void)res;
    r->hook_ret = issue_logout("unknown-token-from-worker", r->hook_arg) != 0;
}

void case_immediate_dispatch(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_IMMEDIATE, 0) == XERIAL_OK);
    rec_t *r = rec_new(), *bad = rec_new(), *next = rec_new();
    r->hook = hook_issue;
    r->hook_arg = next;
    REQUIRE(issue_logout("unknown-token-immediate", r) != 0);
    REQUIRE(issue_logout("\xff", bad) != 0);
    rec_t *all[] = {r, bad, next};
    int64_t end = now_ms() + SLOW(5000);
    unsigned polled = 0;
    while (count_calls(all, 3) < 3 && now_ms() < end) {
        polled += xerial_poll(0);
        sleep_ms(1);
    }
    CHECK_EQ(polled, 0);
    CHECK_ONCE(r);
    CHECK_ONCE(bad);
    CHECK_ONCE(next);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_CODE(bad->code, XERIAL_E_INVALID_ARGUMENT);
    CHECK_CODE(next->code, XERIAL_E_NOT_FOUND);
    CHECK(r->hook_ret == 1);
    CHECK_MSG(!pthread_equal(r->thread, pthread_self()), "immediate callback ran on the caller's thread");
    CHECK_MSG(!pthread_equal(bad->thread, pthread_self()),
              "immediate callback of a local error ran on the caller's thread (inside xerial_logout?)");
    CLEANUP;
    xerial_shutdown();
}

/* ---- cancel ------------------------------------------------------------ */

void case_cancel_in_flight(void) {
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *r = rec_new();
    XerialRequestId id = issue_logout("unknown-token-cancel", r);
    REQUIRE(id != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    int64_t t0 = now_ms();
    CHECK_CODE(xerial_cancel(id), XERIAL_OK);
    CHECK_MSG(atomic_load(&r->calls) == 0, "callback ran inside xerial_cancel");
    CHECK_CODE(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    REQUIRE_MSG(wait_rec(r, SLOW(3000)), "no callback after cancel");
    CHECK_MSG(now_ms() - t0 < SLOW(2000), "CANCELLED arrived after %lld ms", (long long)(now_ms() - t0));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_CANCELLED);
    CHECK_EQ(r->http_status, 0);
    CHECK_EQ(r->retryable, 0);
    CHECK(pthread_equal(r->thread, pthread_self()));
    CHECK_CODE(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    CHECK_EQ(poll_for(200), 0);
    CHECK_EQ(atomic_load(&r->calls), 1);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 1);
    CLEANUP;
    xerial_shutdown();
}

void case_cancel_before_sent(void) {
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *r = rec_new();
    XerialRequestId id = issue_logout("unknown-token-cancel-early", r);
    REQUIRE(id != 0);
    CHECK_CODE(xerial_cancel(id), XERIAL_OK);
    REQUIRE(wait_rec(r, SLOW(3000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_CANCELLED);
    CHECK_EQ(poll_for(100), 0);
    CLEANUP;
    xerial_shutdown();
}

void case_cancel_unknown(void) {
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    CHECK_CODE(xerial_cancel(0), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_cancel(UINT64_MAX), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_cancel(987654321), XERIAL_E_NOT_FOUND);
    /* an id of the previous generation */
    rec_t *old = rec_new();
    XerialRequestId id = issue_logout("unknown-token-old-gen", old);
    REQUIRE(id != 0);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_ONCE(old);
    CHECK_CODE(old->code, XERIAL_E_SHUTDOWN);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    CHECK_CODE(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    CHECK_EQ(poll_for(100), 0);
    CHECK_EQ(atomic_load(&old->calls), 1);
    CLEANUP;
    xerial_shutdown();
}

void case_cancel_after_complete(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    XerialRequestId id = issue_logout("unknown-token-cancel-late", r);
    REQUIRE(id != 0);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_CODE(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    CHECK_EQ(poll_for(200), 0);
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(r->http_status, 404);
    CLEANUP;
    xerial_shutdown();
}

/* Completed, but its callback not yet run by xerial_poll: "already completed". */
void case_cancel_queued_completion(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    XerialRequestId id = issue_logout("unknown-token-cancel-queued", r);
    REQUIRE(id != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    sleep_ms(SLOW(300));
    CHECK_CODE(xerial_cancel(id), XERIAL_E_NOT_FOUND);
    REQUIRE(wait_rec(r, SLOW(5000)));
    CHECK_ONCE(r);
    CHECK_CODE(r->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(r->http_status, 404);
    CLEANUP;
    xerial_shutdown();
}

static void hook_cancel(rec_t *r, const XerialResult *res) {
    (void)res;
    rec_t *victim = r->hook_arg;
    r->hook_ret = xerial_cancel(victim->id);
    r->hook_ret2 = xerial_cancel(victim->id);
}

void case_cancel_from_callback(void) {
    REQUIRE(fault_logout("hang", 1) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *victim = rec_new(), *a = rec_new();
    REQUIRE(issue_logout("unknown-token-victim", victim) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    a->hook = hook_cancel;
    a->hook_arg = victim;
    REQUIRE(issue_logout("unknown-token-canceller", a) != 0);
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&a->calls) == 0 && now_ms() < end) {
        xerial_poll(0);
        sleep_ms(1);
    }
    REQUIRE(atomic_load(&a->calls) == 1);
    CHECK_CODE(a->code, XERIAL_E_NOT_FOUND);
    CHECK_CODE(a->hook_ret, XERIAL_OK);
    CHECK_CODE(a->hook_ret2, XERIAL_E_NOT_FOUND);
    CHECK_MSG(atomic_load(&victim->calls) == 0,
              "the cancelled request's callback ran in the same poll that ran the canceller");
    REQUIRE(wait_rec(victim, SLOW(3000)));
    CHECK_ONCE(victim);
    CHECK_ONCE(a);
    CHECK_CODE(victim->code, XERIAL_E_CANCELLED);
    CLEANUP;
    xerial_shutdown();
}

typedef struct {
    rec_t **rs;
    int n;
    int32_t *rcs;
    int spacing_us;
} canceller_t;

static void *canceller_main(void *arg) {
    canceller_t *c = arg;
    for (int i = c->n - 1; i >= 0; i--) {
        c->rcs[i] = xerial_cancel(c->rs[i]->id);
        if (c->spacing_us) {
            struct timespec ts = {0, (long)c->spacing_us * 1000L};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

void case_cancel_from_thread(void) {
    enum { N = 5 };
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *rs[N];
    int32_t rcs[N];
    for (int i = 0; i < N; i++) {
        rs[i] = rec_new();
        REQUIRE(issue_logout("unknown-token-thread-cancel", rs[i]) != 0);
    }
    REQUIRE(wait_mock_count(LOGOUT_PATH, N, SLOW(3000)));
    canceller_t c = {rs, N, rcs, 0};
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, canceller_main, &c) == 0);
    pthread_join(t, NULL);
    REQUIRE(wait_recs(rs, N, SLOW(3000)));
    for (int i = 0; i < N; i++) {
        CHECK_CODE(rcs[i], XERIAL_OK);
        CHECK_ONCE(rs[i]);
        CHECK_CODE(rs[i]->code, XERIAL_E_CANCELLED);
        CHECK(pthread_equal(rs[i]->thread, pthread_self()));
    }
    CLEANUP;
    xerial_shutdown();
}

/* Cancel races completion: cancel OK <=> CANCELLED, cancel NOT_FOUND <=> the real 404. */
void case_cancel_race(void) {
    enum { N = 200 };
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *rs[N];
    int32_t rcs[N];
    for (int i = 0; i < N; i++) {
        rs[i] = rec_new();
        REQUIRE(issue_logout("unknown-token-race", rs[i]) != 0);
    }
    canceller_t c = {rs, N, rcs, 300};
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, canceller_main, &c) == 0);
    int64_t end = now_ms() + SLOW(20000);
    while (count_calls(rs, N) < N && now_ms() < end) {
        xerial_poll(0);
        sleep_ms(1);
    }
    pthread_join(t, NULL);
    poll_for(100);
    int cancelled = 0, answered = 0;
    for (int i = 0; i < N; i++) {
        CHECK_ONCE(rs[i]);
        if (atomic_load(&rs[i]->calls) != 1) continue;
        if (rcs[i] == XERIAL_OK) {
            cancelled++;
            CHECK_MSG(rs[i]->code == XERIAL_E_CANCELLED, "request %d: cancel said OK, callback got %s", i,
                      th_code_str(rs[i]->code));
        } else if (rcs[i] == XERIAL_E_NOT_FOUND) {
            answered++;
            CHECK_MSG(rs[i]->code == XERIAL_E_NOT_FOUND && rs[i]->http_status == 404,
                      "request %d: cancel said NOT_FOUND, callback got %s/%d", i, th_code_str(rs[i]->code),
                      rs[i]->http_status);
        } else {
            CHECK_MSG(0, "request %d: xerial_cancel returned %s", i, th_code_str(rcs[i]));
        }
    }
    printf("#   cancel_race: %d cancelled, %d answered first\n", cancelled, answered);
    CLEANUP;
    xerial_shutdown();
}

/* ---- shutdown ---------------------------------------------------------- */

static void shutdown_in_flight(uint32_t dispatch) {
    enum { N = 6 };
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(dispatch, 10000) == XERIAL_OK);
    rec_t *rs[N];
    for (int i = 0; i < N - 1; i++) {
        rs[i] = rec_new();
        REQUIRE(issue_logout("unknown-token-shutdown", rs[i]) != 0);
    }
    REQUIRE(wait_mock_count(LOGOUT_PATH, N - 1, SLOW(3000)));
    rs[N - 1] = rec_new(); /* issued just before shutdown: maybe not even sent */
    REQUIRE(issue_logout("unknown-token-shutdown-last", rs[N - 1]) != 0);
    int64_t t0 = now_ms();
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    int64_t dt = now_ms() - t0;
    /* before xerial_shutdown returned, on this thread */
    int calls[N];
    for (int i = 0; i < N; i++) calls[i] = atomic_load(&rs[i]->calls);
    CHECK_MSG(dt < SLOW(2000), "xerial_shutdown took %lld ms", (long long)dt);
    for (int i = 0; i < N; i++) {
        CHECK_MSG(calls[i] == 1, "request %d: %d callback(s) when xerial_shutdown returned", i, calls[i]);
        CHECK_ONCE(rs[i]);
        CHECK_CODE(rs[i]->code, XERIAL_E_SHUTDOWN);
        CHECK_EQ(rs[i]->http_status, 0);
        CHECK_EQ(rs[i]->retryable, 0);
        CHECK_MSG(pthread_equal(rs[i]->thread, pthread_self()),
                  "request %d: SHUTDOWN delivered on another thread", i);
    }
    /* and never again, not even after the next init */
    CHECK_EQ(poll_for(200), 0);
    CHECK_EQ(xerial_poll(0), 0);
    REQUIRE(sdk_init(dispatch, 10000) == XERIAL_OK);
    CHECK_EQ(poll_for(200), 0);
    for (int i = 0; i < N; i++) CHECK_EQ(atomic_load(&rs[i]->calls), 1);
    CLEANUP;
    xerial_shutdown();
}

void case_shutdown_in_flight(void) { shutdown_in_flight(XERIAL_DISPATCH_POLL); }
void case_shutdown_in_flight_immediate(void) { shutdown_in_flight(XERIAL_DISPATCH_IMMEDIATE); }

void case_shutdown_queued_real_result(void) {
    REQUIRE(fault_logout("hang", 1) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *hung = rec_new(), *done = rec_new();
    REQUIRE(issue_logout("unknown-token-hung", hung) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 1, SLOW(3000)));
    REQUIRE(issue_logout("unknown-token-queued", done) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 2, SLOW(3000)));
    sleep_ms(SLOW(300)); /* answered and queued, not polled */
    CHECK_EQ(atomic_load(&done->calls), 0);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_EQ(atomic_load(&done->calls), 1);
    CHECK_EQ(atomic_load(&hung->calls), 1);
    CHECK_ONCE(done);
    CHECK_ONCE(hung);
    CHECK_CODE(done->code, XERIAL_E_NOT_FOUND);
    CHECK_EQ(done->http_status, 404);
    CHECK_STREQ(done->message, "Not Found");
    CHECK_CODE(hung->code, XERIAL_E_SHUTDOWN);
    CHECK(pthread_equal(done->thread, pthread_self()));
    CHECK(pthread_equal(hung->thread, pthread_self()));
    CHECK_EQ(poll_for(100), 0);
    CLEANUP;
    xerial_shutdown();
}

/* In the callback: shutdown; the others must have been delivered when it returns. */
static void hook_shutdown(rec_t *r, const XerialResult *res) {
    (void)res;
    rec_t *b = r->hook_arg, *c = r->hook_arg2;
    r->hook_ret = xerial_shutdown();
    r->hook_ret2 = atomic_load(&b->calls) + atomic_load(&c->calls);
    r->hook_id = xerial_poll(0);
    atomic_store(&r->hook_done, 1);
}

static void shutdown_from_callback(uint32_t dispatch) {
    REQUIRE(fault_logout("hang", 2) == 0);
    REQUIRE(sdk_init(dispatch, 10000) == XERIAL_OK);
    rec_t *b = rec_new(), *c = rec_new(), *a = rec_new();
    REQUIRE(issue_logout("unknown-token-b", b) != 0);
    REQUIRE(issue_logout("unknown-token-c", c) != 0);
    REQUIRE(wait_mock_count(LOGOUT_PATH, 2, SLOW(3000)));
    a->hook = hook_shutdown;
    a->hook_arg = b;
    a->hook_arg2 = c;
    a->hook_ret = -1;
    REQUIRE(issue_logout("unknown-token-a", a) != 0);
    REQUIRE(wait_rec(a, SLOW(5000)));
    REQUIRE(atomic_load(&a->hook_done) == 1);
    CHECK_CODE(a->hook_ret, XERIAL_OK);
    CHECK_MSG(a->hook_ret2 == 2, "%d of 2 in-flight callbacks ran before the nested shutdown returned",
              a->hook_ret2);
    CHECK_EQ(a->hook_id, 0); /* xerial_poll after shutdown, inside the callback */
    CHECK_ONCE(a);
    CHECK_ONCE(b);
    CHECK_ONCE(c);
    CHECK_CODE(a->code, XERIAL_E_NOT_FOUND);
    CHECK_CODE(b->code, XERIAL_E_SHUTDOWN);
    CHECK_CODE(c->code, XERIAL_E_SHUTDOWN);
    CHECK_MSG(pthread_equal(b->thread, a->thread) && pthread_equal(c->thread, a->thread),
              "SHUTDOWN callbacks did not run on the thread that called xerial_shutdown");
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_EQ(poll_for(200), 0);
    CHECK_EQ(atomic_load(&a->calls) + atomic_load(&b->calls) + atomic_load(&c->calls), 3);
    CLEANUP;
    xerial_shutdown();
}

void case_shutdown_from_callback(void) { shutdown_from_callback(XERIAL_DISPATCH_POLL); }
void case_shutdown_from_callback_immediate(void) { shutdown_from_callback(XERIAL_DISPATCH_IMMEDIATE); }

void case_shutdown_twice(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init(other_dispatch(), 0) == XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CLEANUP;
    xerial_shutdown();
}

static void hook_slow(rec_t *r, const XerialResult *res) {
    (void)res;
    sleep_ms(500);
    atomic_store(&r->hook_done, 1);
}

/* Immediate mode: xerial_shutdown waits for callbacks running on workers. */
void case_shutdown_immediate_waits(void) {
    REQUIRE(sdk_init(XERIAL_DISPATCH_IMMEDIATE, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    r->hook = hook_slow;
    REQUIRE(issue_logout("unknown-token-slow-cb", r) != 0);
    int64_t end = now_ms() + SLOW(5000);
    while (atomic_load(&r->entered) == 0 && now_ms() < end) sleep_ms(1);
    REQUIRE(atomic_load(&r->entered) == 1);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_MSG(atomic_load(&r->hook_done) == 1, "xerial_shutdown returned while a callback was running");
    CHECK_EQ(atomic_load(&r->calls), 1);
    CLEANUP;
    xerial_shutdown();
}

typedef struct {
    atomic_int go;
    int32_t rc;
} sdthread_t;

static void *shutdown_main(void *arg) {
    sdthread_t *s = arg;
    while (!atomic_load(&s->go)) {
    }
    s->rc = xerial_shutdown();
    return NULL;
}

void case_shutdown_concurrent(void) {
    enum { N = 6 };
    REQUIRE(fault_logout("hang", 0) == 0);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 10000) == XERIAL_OK);
    rec_t *rs[N];
    for (int i = 0; i < N; i++) {
        rs[i] = rec_new();
        REQUIRE(issue_logout("unknown-token-concurrent-sd", rs[i]) != 0);
    }
    REQUIRE(wait_mock_count(LOGOUT_PATH, N, SLOW(3000)));
    sdthread_t s;
    atomic_init(&s.go, 0);
    s.rc = -1;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, shutdown_main, &s) == 0);
    atomic_store(&s.go, 1);
    int32_t rc = xerial_shutdown();
    int delivered = count_calls(rs, N); /* the second shutdown waits for the first */
    pthread_join(t, NULL);
    CHECK_CODE(rc, XERIAL_OK);
    CHECK_CODE(s.rc, XERIAL_OK);
    CHECK_MSG(delivered == N, "%d of %d callbacks had run when this thread's xerial_shutdown returned",
              delivered, N);
    for (int i = 0; i < N; i++) {
        CHECK_ONCE(rs[i]);
        CHECK_CODE(rs[i]->code, XERIAL_E_SHUTDOWN);
    }
    CLEANUP;
    xerial_shutdown();
}

/* ---- request ids ------------------------------------------------------- */

void case_ids_unique_reinit(void) {
    enum { GEN = 3, PER = 10 };
    XerialRequestId ids[GEN * PER];
    rec_t *rs[GEN * PER];
    int k = 0;
    for (int g = 0; g < GEN; g++) {
        REQUIRE(sdk_init(g == 1 ? other_dispatch() : XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
        int first = k;
        for (int i = 0; i < PER; i++, k++) {
            rs[k] = rec_new();
            ids[k] = issue_logout(i % 2 ? "\xff" : "unknown-token-ids", rs[k]);
            CHECK(ids[k] != 0);
        }
        REQUIRE(wait_recs(rs + first, PER, SLOW(5000)));
        for (int i = first; i < k; i++) CHECK_ONCE(rs[i]);
        CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    }
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++)
            CHECK_MSG(ids[i] != ids[j], "id %llu returned twice (calls %d and %d)",
                      (unsigned long long)ids[i], i, j);
    CLEANUP;
    xerial_shutdown();
}

void case_ids_whole_run(void) {
    size_t n = 0;
    XerialRequestId dup = 0;
    int ok = id_log_check_unique(&n, &dup);
    CHECK_MSG(ok, "request id %llu was returned twice during this run", (unsigned long long)dup);
    CHECK_MSG(n > 0, "no request ids were logged");
    printf("#   ids_whole_run: %zu ids, all distinct: %s\n", n, ok ? "yes" : "no");
    CLEANUP;
}

/* ---- load -------------------------------------------------------------- */

void case_stress_cycles_100(void) {
    char refresh[4096];
    for (int i = 0; i < 100; i++) {
        REQUIRE_MSG(mock_new_session(NULL, 0, refresh, sizeof refresh) == 0, "cycle %d: mock session", i);
        int32_t rc = sdk_init(i % 2 ? other_dispatch() : XERIAL_DISPATCH_POLL, 0);
        REQUIRE_MSG(rc == XERIAL_OK, "cycle %d: init = %s", i, th_code_str(rc));
        rec_t *r = rec_new();
        r->secret = refresh;
        REQUIRE_MSG(issue_logout(refresh, r) != 0, "cycle %d: id 0", i);
        REQUIRE_MSG(wait_rec(r, SLOW(5000)), "cycle %d: no callback", i);
        rc = xerial_shutdown();
        REQUIRE_MSG(rc == XERIAL_OK, "cycle %d: shutdown = %s", i, th_code_str(rc));
        REQUIRE_MSG(atomic_load(&r->calls) == 1 && r->code == XERIAL_OK && r->http_status == 204,
                    "cycle %d: calls %d, code %s, http %d", i, atomic_load(&r->calls),
                    th_code_str(r->code), r->http_status);
        CHECK_ONCE(r);
        if (th_case_failed()) break;
    }
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), 100);
    CLEANUP;
    xerial_shutdown();
}

#define STRESS_N 1000
#define STRESS_THREADS 4
static struct {
    atomic_int calls[STRESS_N];
    XerialRequestId id[STRESS_N];
    XerialRequestId got[STRESS_N];
    atomic_int wrong_code;
    atomic_int wrong_thread;
    atomic_int zero_ids;
    pthread_t poller;
    int immediate;
} g_st;

typedef struct {
    int slot;
} stress_ctx_t; /* per-request state, owned by the callback */

static void stress_cb(void *ud, const XerialResult *res) {
    stress_ctx_t *c = ud;
    int s = c->slot;
    free(c);
    g_st.got[s] = res->request_id;
    if (res->code != XERIAL_E_NOT_FOUND || res->http_status != 404 || !res->message || !res->body ||
        strcmp(res->message, "Not Found") != 0)
        atomic_fetch_add(&g_st.wrong_code, 1);
    int on_poller = pthread_equal(pthread_self(), g_st.poller) != 0;
    if (on_poller == g_st.immediate) atomic_fetch_add(&g_st.wrong_thread, 1);
    atomic_fetch_add(&g_st.calls[s], 1);
}

typedef struct {
    int from, to;
} range_t;

static void *stress_issuer(void *arg) {
    range_t *rg = arg;
    for (int s = rg->from; s < rg->to; s++) {
        stress_ctx_t *c = malloc(sizeof *c);
        if (!c) abort();
        c->slot = s;
        XerialRequestId id = xerial_logout("unknown-token-stress", stress_cb, c);
        if (id == 0) {
            free(c);
            atomic_fetch_add(&g_st.zero_ids, 1);
        }
        g_st.id[s] = id;
        id_log(id);
    }
    return NULL;
}

static int stress_done(int n) {
    for (int i = 0; i < n; i++)
        if (atomic_load(&g_st.calls[i]) == 0) return 0;
    return 1;
}

static void stress_run(int n, int immediate) {
    memset(&g_st, 0, sizeof g_st);
    g_st.poller = pthread_self();
    g_st.immediate = immediate;
    REQUIRE(sdk_init(immediate ? XERIAL_DISPATCH_IMMEDIATE : XERIAL_DISPATCH_POLL, SLOW(30000)) == XERIAL_OK);
    pthread_t th[STRESS_THREADS];
    range_t rg[STRESS_THREADS];
    int started = 0;
    for (int t = 0; t < STRESS_THREADS; t++) {
        rg[t].from = n * t / STRESS_THREADS;
        rg[t].to = n * (t + 1) / STRESS_THREADS;
        if (pthread_create(&th[t], NULL, stress_issuer, &rg[t]) != 0) break;
        started++;
    }
    unsigned polled = 0;
    int64_t t0 = now_ms(), end = t0 + SLOW(60000);
    int done = 0;
    while (now_ms() < end) {
        polled += xerial_poll(0);
        if (started == STRESS_THREADS && stress_done(n)) {
            done = 1;
            break;
        }
        sleep_ms(1);
    }
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    polled += poll_for(200);
    REQUIRE(started == STRESS_THREADS);
    CHECK_EQ(atomic_load(&g_st.zero_ids), 0);
    int missing = 0, dup = 0, idbad = 0;
    for (int i = 0; i < n; i++) {
        int c = atomic_load(&g_st.calls[i]);
        if (c == 0) missing++;
        if (c > 1) dup++;
        if (c >= 1 && g_st.got[i] != g_st.id[i]) idbad++;
    }
    CHECK_MSG(done && missing == 0, "%d of %d requests never answered within 60 s", missing, n);
    CHECK_MSG(dup == 0, "%d requests answered more than once", dup);
    CHECK_MSG(idbad == 0, "%d results carry another request's id", idbad);
    CHECK_MSG(atomic_load(&g_st.wrong_code) == 0, "%d answers were not NOT_FOUND/404/\"Not Found\"",
              atomic_load(&g_st.wrong_code));
    CHECK_MSG(atomic_load(&g_st.wrong_thread) == 0, "%d callbacks on the wrong thread",
              atomic_load(&g_st.wrong_thread));
    CHECK_EQ(polled, immediate ? 0 : (unsigned)n);
    int dupid = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (g_st.id[i] != 0 && g_st.id[i] == g_st.id[j]) dupid++;
    CHECK_MSG(dupid == 0, "%d duplicate request ids", dupid);
    CHECK_EQ(mock_count("POST", LOGOUT_PATH), n);
    printf("#   %d %s logouts answered in %lld ms\n", n, immediate ? "immediate" : "polled",
           (long long)(now_ms() - t0));
    CLEANUP;
    xerial_shutdown(); /* delivers (and frees) whatever is still owed */
}

void case_stress_concurrent_1000(void) { stress_run(STRESS_N, 0); }
void case_stress_concurrent_immediate(void) { stress_run(300, 1); }
