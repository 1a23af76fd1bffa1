/* cases_session.c - logins, refresh, the session rules of Bearer calls and the
 * auth listener (issue 3 "Sessions"; abi.md §4b, §8 "Session rules"). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"
#include "mock_admin.h"
#include "world.h"

#define GOOGLE_PATH "/api/auth/google"
#define NONCE_PATH "/api/nonce"
#define METAMASK_PATH "/api/auth/metamask"

/* ---- the auth listener --------------------------------------------------- */

static struct {
    atomic_int n;             /* events heard */
    int32_t states[32];
    atomic_int outside_poll;  /* ran while no xerial_poll of ours was running */
    atomic_int wrong_thread;
    atomic_int bad_ud;
    pthread_t main;
} g_auth;
static int g_auth_marker;

static void auth_cb(void *ud, int32_t state) {
    if (ud != &g_auth_marker) atomic_fetch_add(&g_auth.bad_ud, 1);
    if (!atomic_load(&g_in_poll)) atomic_fetch_add(&g_auth.outside_poll, 1);
    if (!pthread_equal(pthread_self(), g_auth.main)) atomic_fetch_add(&g_auth.wrong_thread, 1);
    int i = atomic_fetch_add(&g_auth.n, 1);
    if (i < 32) g_auth.states[i] = state;
}

static void auth_listen(void) {
    atomic_store(&g_auth.n, 0);
    atomic_store(&g_auth.outside_poll, 0);
    atomic_store(&g_auth.wrong_thread, 0);
    atomic_store(&g_auth.bad_ud, 0);
    memset(g_auth.states, 0, sizeof g_auth.states);
    g_auth.main = pthread_self();
    xerial_set_auth_listener(auth_cb, &g_auth_marker);
}

/* The listener heard exactly `n` events so far, the last one `last`, each inside
 * xerial_poll on the polling thread with its user_data. */
static void check_auth(int n, int32_t last, const char *file, int line) {
    int got = atomic_load(&g_auth.n);
    if (got != n) th_fail(file, line, "auth listener heard %d event(s), want %d", got, n);
    else if (n > 0 && n <= 32 && g_auth.states[n - 1] != last)
        th_fail(file, line, "auth listener's last state %d, want %d", g_auth.states[n - 1], last);
    if (atomic_load(&g_auth.outside_poll)) th_fail(file, line, "auth listener ran outside xerial_poll");
    if (atomic_load(&g_auth.wrong_thread)) th_fail(file, line, "auth listener ran on another thread");
    if (atomic_load(&g_auth.bad_ud)) th_fail(file, line, "auth listener got the wrong user_data");
}
#define CHECK_AUTH(n, last) check_auth((n), (last), __FILE__, __LINE__)

/* A hook that notes the auth state while the callback runs. */
static void hook_auth_state(rec_t *r, const XerialResult *res) {
    (void)res;
    r->hook_ret = xerial_auth_state();
}

/* Polls until r is answered and `extra_ms` more, returning what xerial_poll counted. */
static unsigned poll_count_until(rec_t *r, int extra_ms) {
    unsigned ran = 0;
    int64_t end = now_ms() + SLOW(10000);
    while (atomic_load(&r->calls) < 1 && now_ms() < end) {
        ran += th_poll(0);
        sleep_ms(1);
    }
    return ran + poll_for(extra_ms);
}

static int session_copy(char *buf, size_t cap) {
    size_t len = 0;
    return xerial_session_get(buf, cap, &len) == XERIAL_OK ? 0 : -1;
}

/* ---- logins --------------------------------------------------------------- */

void case_login_google_ok(void) {
    char sess[8192], exp[64];
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    rec_t *r = rec_new();
    r->hook = hook_auth_state;
    r->hook_ret = -1;
    REQUIRE(track(r, xerial_login_google("google-ok", "harness-client-id", rec_cb, r)) != 0);
    CHECK_EQ(atomic_load(&g_auth.n), 0); /* nothing inside the call */
    unsigned ran = poll_count_until(r, 100);
    REQUIRE(atomic_load(&r->calls) == 1);
    secrets_from_session(); /* the new tokens must be in no result */
    CHECK_ONCE(r);
    CHECK_OK(r);
    CHECK_EQ(r->http_status, 200);
    CHECK_MSG(r->hook_ret == XERIAL_AUTH_LOGGED_IN, "auth state %d inside the login callback, want 1",
              r->hook_ret);
    CHECK_HAS(r->body, "\"accessExpires\":\"");
    CHECK_HAS(r->body, "\"refreshExpires\":\"");
    CHECK_LACKS(r->body, "token");
    CHECK_LACKS(r->body, "eyJ");
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CHECK_MSG(ran == 2, "xerial_poll counted %u, want 2 (the callback and the auth listener)", ran);
    /* the expiries are the installed session's */
    REQUIRE(session_copy(sess, sizeof sess) == 0);
    REQUIRE(json_string_field(r->body, "accessExpires", exp, sizeof exp) == 0);
    CHECK_HAS(sess, exp);
    REQUIRE(json_string_field(r->body, "refreshExpires", exp, sizeof exp) == 0);
    CHECK_HAS(sess, exp);
    CHECK_EQ(mock_count("POST", GOOGLE_PATH), 1);
    /* it is the demo player's session: a Bearer call works with it */
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "\"identifier\":\"player@example.com\"");
    /* a second login while logged in does not flip the state: no event */
    rec_t *again = rec_new();
    REQUIRE(track(again, xerial_login_google("google-ok:second@example.com", "harness-client-id", rec_cb, again)) != 0);
    AWAIT(again);
    poll_for(50);
    secrets_from_session();
    CHECK_ONCE(again);
    CHECK_OK(again);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

void case_login_google_errors(void) {
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r = rec_new();
    r->secret = "harness-bad-google-token";
    REQUIRE(track(r, xerial_login_google("harness-bad-google-token", "harness-client-id", rec_cb, r)) != 0);
    AWAIT(r);
    CHECK_HTTP_ERROR(r, XERIAL_E_BAD_REQUEST, 400, "Auth Failed", 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_EQ(mock_count("POST", GOOGLE_PATH), 1); /* an answer: not repeated */
    /* empty or NULL arguments: nothing sent */
    long before = mock_total();
    rec_t *a = rec_new(), *b = rec_new(), *c = rec_new();
    track(a, xerial_login_google("", "harness-client-id", rec_cb, a));
    CHECK_LOCAL(a, XERIAL_E_INVALID_ARGUMENT, "id_token", before);
    track(b, xerial_login_google(NULL, "harness-client-id", rec_cb, b));
    CHECK_LOCAL(b, XERIAL_E_INVALID_ARGUMENT, "id_token", before);
    track(c, xerial_login_google("google-ok", NULL, rec_cb, c));
    CHECK_LOCAL(c, XERIAL_E_INVALID_ARGUMENT, "client_id", before);
    /* no project_id configured: refused before sending */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *d = rec_new();
    track(d, xerial_login_google("google-ok", "harness-client-id", rec_cb, d));
    CHECK_LOCAL(d, XERIAL_E_INVALID_ARGUMENT, "project_id", before);
    rec_t *e = rec_new();
    track(e, xerial_login_wallet(PLAYER, "0xok", rec_cb, e));
    CHECK_LOCAL(e, XERIAL_E_INVALID_ARGUMENT, "project_id", before);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    poll_for(30);
    CHECK_AUTH(0, 0);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

void case_login_wallet_ok(void) {
    const char *sig = "0xok-harness-signature-7c1e";
    char nonce[256];
    auth_listen();
    th_secret_add(sig);
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_request_nonce(PLAYER, rec_cb, n)) != 0);
    AWAIT(n);
    CHECK_OK(n);
    CHECK_HAS(n->body, "{\"nonce\":\"");
    CHECK_MSG(json_string_field(n->body, "nonce", nonce, sizeof nonce) == 0 && nonce[0], "no nonce in %s", n->body);
    CHECK_EQ(mock_count("POST", NONCE_PATH), 1);
    rec_t *r = rec_new();
    r->hook = hook_auth_state;
    r->hook_ret = -1;
    REQUIRE(track(r, xerial_login_wallet(PLAYER, sig, rec_cb, r)) != 0);
    unsigned ran = poll_count_until(r, 100);
    REQUIRE(atomic_load(&r->calls) == 1);
    secrets_from_session();
    CHECK_ONCE(r);
    CHECK_OK(r);
    CHECK_MSG(r->hook_ret == XERIAL_AUTH_LOGGED_IN, "auth state %d inside the login callback, want 1", r->hook_ret);
    CHECK_HAS(r->body, "\"accessExpires\":\"");
    CHECK_HAS(r->body, "\"refreshExpires\":\"");
    CHECK_LACKS(r->body, "token");
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CHECK_MSG(ran == 2, "xerial_poll counted %u, want 2", ran);
    CHECK_EQ(mock_count("POST", METAMASK_PATH), 1);
    /* logged in as the wallet's owner */
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "\"id\":\"" PLAYER_ID "\"");
    CHECK_HAS(u->body, PLAYER);
    /* the nonce was consumed: the same login again is 404 */
    rec_t *again = rec_new();
    REQUIRE(track(again, xerial_login_wallet(PLAYER, sig, rec_cb, again)) != 0);
    AWAIT(again);
    CHECK_HTTP_ERROR(again, XERIAL_E_NOT_FOUND, 404, "Nonce Not Found", 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN); /* a failed login keeps the session */
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

void case_login_wallet_errors(void) {
    const char *bad_sig = "0xbad-harness-signature-93d2";
    th_secret_add(bad_sig);
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    /* no nonce requested */
    rec_t *a = rec_new();
    REQUIRE(track(a, xerial_login_wallet(RIVAL, "0xok", rec_cb, a)) != 0);
    AWAIT(a);
    CHECK_HTTP_ERROR(a, XERIAL_E_NOT_FOUND, 404, "Nonce Not Found", 0);
    CHECK_EQ(mock_count("POST", METAMASK_PATH), 1);
    /* a nonce, then a bad signature */
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_request_nonce(RIVAL, rec_cb, n)) != 0);
    AWAIT(n);
    CHECK_OK(n);
    rec_t *b = rec_new();
    REQUIRE(track(b, xerial_login_wallet(RIVAL, bad_sig, rec_cb, b)) != 0);
    AWAIT(b); /* the signature must be in neither message nor body */
    CHECK_HTTP_ERROR(b, XERIAL_E_BAD_REQUEST, 400, "Auth Failed", 0);
    CHECK_EQ(mock_count("POST", METAMASK_PATH), 2);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    /* arguments, nothing sent */
    long before = mock_total();
    rec_t *c = rec_new(), *d = rec_new(), *e = rec_new(), *f = rec_new();
    track(c, xerial_request_nonce("0x1234", rec_cb, c));
    CHECK_LOCAL(c, XERIAL_E_INVALID_ARGUMENT, "address:", before);
    track(d, xerial_login_wallet("0x8e9DD3c1Db3254d968967CbC367542C34327362g", "0xok", rec_cb, d));
    CHECK_LOCAL(d, XERIAL_E_INVALID_ARGUMENT, "address:", before);
    track(e, xerial_login_wallet(RIVAL, NULL, rec_cb, e));
    CHECK_LOCAL(e, XERIAL_E_INVALID_ARGUMENT, "signature", before);
    track(f, xerial_request_nonce(NULL, rec_cb, f));
    CHECK_LOCAL(f, XERIAL_E_INVALID_ARGUMENT, "address", before);
    CLEANUP;
    xerial_shutdown();
}

/* ---- refresh ---------------------------------------------------------------- */

void case_refresh_ok(void) {
    char before_s[8192], after_s[8192];
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    poll_for(30);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN); /* session_set on no session */
    REQUIRE(session_copy(before_s, sizeof before_s) == 0);
    rec_t *r = rec_new();
    r->hook = hook_auth_state;
    REQUIRE(track(r, xerial_refresh(rec_cb, r)) != 0);
    AWAIT(r);
    poll_for(50);
    secrets_from_session();
    CHECK_ONCE(r);
    CHECK_OK(r);
    CHECK_HAS(r->body, "\"accessExpires\":\"");
    CHECK_HAS(r->body, "\"refreshExpires\":\"");
    CHECK_LACKS(r->body, "token");
    CHECK_EQ(r->hook_ret, XERIAL_AUTH_LOGGED_IN);
    REQUIRE(session_copy(after_s, sizeof after_s) == 0);
    CHECK_MSG(strcmp(before_s, after_s) != 0, "xerial_session_get is unchanged after a refresh");
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN); /* a refresh that keeps the player logged in: no event */
    /* the new pair works, and the old refresh token was rotated out (the mock revokes it) */
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

/* A refresh the server refuses ends the session. */
static void refresh_refused_once(int use_fault, const char *file, int line) {
    char refresh[4096], json[8192];
    if (mock_session(NULL, json, sizeof json, NULL, 0, refresh, sizeof refresh) != 0 ||
        xerial_session_set(json) != XERIAL_OK) {
        th_fail(file, line, "no session");
        return;
    }
    poll_for(30); /* the LOGGED_IN of session_set */
    int before = atomic_load(&g_auth.n);
    if (use_fault) {
        fault_on("POST", REFRESH_PATH, 1,
                 "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}");
    } else { /* revoke the refresh token behind the SDK's back: the server's own 401 */
        int st = 0;
        char *b = malloc(strlen(refresh) + 32);
        if (!b) abort();
        sprintf(b, "{\"refreshToken\":\"%s\"}", refresh);
        mock_http("POST", LOGOUT_PATH, b, &st, NULL, 0);
        free(b);
        if (st != 204) th_fail(file, line, "could not revoke the refresh token (%d)", st);
    }
    long n0 = mock_count("POST", REFRESH_PATH);
    rec_t *r = rec_new();
    track(r, xerial_refresh(rec_cb, r));
    if (!r->id || !wait_rec(r, SLOW(10000))) {
        th_fail(file, line, "no refresh callback");
        return;
    }
    poll_for(50);
    check_rec_once(r, file, line);
    if (r->code != XERIAL_E_NOT_LOGGED_IN)
        th_fail(file, line, "refused refresh: code %s, want NOT_LOGGED_IN", th_code_str(r->code));
    if (r->http_status != 401) th_fail(file, line, "refused refresh: http_status %d, want 401", r->http_status);
    if (r->retryable) th_fail(file, line, "refused refresh: retryable 1");
    if (xerial_auth_state() != XERIAL_AUTH_LOGGED_OUT) th_fail(file, line, "still logged in after a refused refresh");
    size_t len = 0;
    if (xerial_session_get(NULL, 0, &len) != XERIAL_E_NOT_LOGGED_IN)
        th_fail(file, line, "xerial_session_get still finds a session");
    if (mock_count("POST", REFRESH_PATH) - n0 != 1) th_fail(file, line, "refresh sent %ld times, want 1",
                                                             mock_count("POST", REFRESH_PATH) - n0);
    check_auth(before + 1, XERIAL_AUTH_LOGGED_OUT, file, line);
}

void case_refresh_refused(void) {
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    refresh_refused_once(1, __FILE__, __LINE__); /* events: in, out */
    refresh_refused_once(0, __FILE__, __LINE__); /* events: in, out */
    CHECK_AUTH(4, XERIAL_AUTH_LOGGED_OUT);
    /* with no session: NOT_LOGGED_IN, nothing sent */
    long before = mock_total();
    rec_t *r = rec_new();
    track(r, xerial_refresh(rec_cb, r));
    CHECK_LOCAL(r, XERIAL_E_NOT_LOGGED_IN, NULL, before);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

/* ---- Bearer calls and the session ------------------------------------------ */

void case_bearer_expired_access(void) {
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session("{\"accessTtlSecs\":0}") == 0);
    REQUIRE(mock_clear_requests() == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_user_get(rec_cb, r)) != 0);
    AWAIT(r);
    secrets_from_session();
    CHECK_ONCE(r);
    CHECK_OK(r);
    CHECK_HAS(r->body, PLAYER);
    /* refreshed first: had the expired token been sent, the mock would have said 401 and
     * the call would have gone out twice */
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("GET", USER_PATH), 1);
    poll_for(30);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    /* an access token expiring within 30 s counts as expired too */
    REQUIRE(player_session("{\"accessTtlSecs\":20}") == 0);
    rec_t *s = rec_new();
    REQUIRE(track(s, xerial_user_get(rec_cb, s)) != 0);
    AWAIT(s);
    secrets_from_session();
    CHECK_ONCE(s);
    CHECK_OK(s);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 2);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    /* and one that is good for longer is used as is */
    REQUIRE(player_session("{\"accessTtlSecs\":120}") == 0);
    rec_t *t = rec_new();
    REQUIRE(track(t, xerial_user_get(rec_cb, t)) != 0);
    AWAIT(t);
    CHECK_OK(t);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 2);
    CHECK_EQ(mock_count("GET", USER_PATH), 3);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

void case_bearer_401_refresh_resend(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(fault_on("GET", USER_PATH, 1,
                     "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}") == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_user_get(rec_cb, r)) != 0);
    AWAIT(r);
    secrets_from_session();
    CHECK_ONCE(r);
    CHECK_OK(r);
    CHECK_HAS(r->body, PLAYER);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CLEANUP;
    xerial_shutdown();
}

void case_bearer_401_twice(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(fault_on("GET", USER_PATH, 2,
                     "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}") == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_user_get(rec_cb, r)) != 0);
    AWAIT(r);
    secrets_from_session();
    CHECK_ONCE(r);
    CHECK_HTTP_ERROR(r, XERIAL_E_UNAUTHORIZED, 401, "Please Authenticate", 0);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    /* the refresh worked: the player is still logged in */
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    CLEANUP;
    xerial_shutdown();
}

void case_bearer_shared_refresh(void) {
    enum { N = 6 };
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session("{\"accessTtlSecs\":0}") == 0);
    /* a slow refresh, so that every call is waiting on it */
    REQUIRE(fault_on("POST", REFRESH_PATH, 0, "{\"kind\":\"delay\",\"ms\":300}") == 0);
    rec_t *rs[N];
    for (int i = 0; i < N; i++) {
        rs[i] = rec_new();
        REQUIRE(track(rs[i], i % 2 ? xerial_user_get(rec_cb, rs[i])
                                   : xerial_custodial_create_user(NULL, rec_cb, rs[i])) != 0);
    }
    REQUIRE(wait_recs(rs, N, SLOW(10000)));
    secrets_from_session();
    for (int i = 0; i < N; i++) {
        CHECK_ONCE(rs[i]);
        CHECK_OK(rs[i]);
    }
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("GET", USER_PATH), N / 2);
    CHECK_EQ(mock_count("POST", USER_PATH), N / 2);
    poll_for(30);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

/* Both tokens expired: the session is over; nothing is sent. */
void case_bearer_expired_refresh(void) {
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE_MSG(player_session("{\"accessTtlSecs\":0,\"refreshTtlSecs\":0}") == 0,
                "xerial_session_set refused an expired token pair");
    poll_for(30);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    long before = mock_total();
    rec_t *r = rec_new();
    track(r, xerial_user_get(rec_cb, r));
    CHECK_LOCAL(r, XERIAL_E_NOT_LOGGED_IN, NULL, before);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    poll_for(30);
    CHECK_AUTH(2, XERIAL_AUTH_LOGGED_OUT);
    /* the same through xerial_refresh */
    REQUIRE(player_session("{\"accessTtlSecs\":0,\"refreshTtlSecs\":0}") == 0);
    rec_t *s = rec_new();
    track(s, xerial_refresh(rec_cb, s));
    CHECK_LOCAL(s, XERIAL_E_NOT_LOGGED_IN, NULL, before);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    poll_for(30);
    CHECK_AUTH(4, XERIAL_AUTH_LOGGED_OUT);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

/* Every Bearer call without a session: NOT_LOGGED_IN, nothing sent. */
void case_bearer_no_session(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    long before = mock_total();
    REQUIRE(before >= 0);
    rec_t *r[13];
    for (int i = 0; i < 13; i++) r[i] = rec_new();
    track(r[0], xerial_user_get(rec_cb, r[0]));
    track(r[1], xerial_custodial_create_user("x@example.com", rec_cb, r[1]));
    track(r[2], xerial_custodial_create_wallet(PLAYER_ID, rec_cb, r[2]));
    track(r[3], xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1", RIVAL, rec_cb, r[3]));
    track(r[4], xerial_tx_transfer_token(PLAYER, "polygon", USDC, "1", RIVAL, rec_cb, r[4]));
    track(r[5], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, r[5]));
    track(r[6], xerial_tx_secondary_purchase(PLAYER, "polygon", "38", rec_cb, r[6]));
    track(r[7], xerial_tx_list_nft(PLAYER, "polygon", COLL, "1", "1", rec_cb, r[7]));
    track(r[8], xerial_tx_delist_nft(PLAYER, "polygon", "38", rec_cb, r[8]));
    track(r[9], xerial_tx_custom(PLAYER, "polygon", "{\"to\":\"" RIVAL "\"}", rec_cb, r[9]));
    track(r[10], xerial_request("GET", USER_PATH, NULL, 1, rec_cb, r[10]));
    track(r[11], xerial_request("POST", "/api/user", "{}", 1, rec_cb, r[11]));
    track(r[12], xerial_refresh(rec_cb, r[12]));
    for (int i = 0; i < 13; i++) {
        CHECK_MSG(r[i]->id != 0, "call %d returned 0", i);
        CHECK_LOCAL(r[i], XERIAL_E_NOT_LOGGED_IN, NULL, i == 12 ? before : -1);
        if (r[i]->code != XERIAL_E_NOT_LOGGED_IN) printf("#   call %d answered %s\n", i, th_code_str(r[i]->code));
    }
    CHECK_EQ(mock_total(), before);
    CLEANUP;
    xerial_shutdown();
}

/* The listener: login and logout only, inside xerial_poll, counted by it. */
void case_auth_listener(void) {
    auth_listen();
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *l = rec_new();
    REQUIRE(track(l, xerial_login_google("google-ok", "harness-client-id", rec_cb, l)) != 0);
    unsigned ran = poll_count_until(l, 100);
    secrets_from_session();
    CHECK_ONCE(l);
    CHECK_OK(l);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CHECK_MSG(ran == 2, "login: xerial_poll counted %u, want 2", ran);
    /* a refresh keeps the player logged in: no event */
    rec_t *f = rec_new();
    REQUIRE(track(f, xerial_refresh(rec_cb, f)) != 0);
    ran = poll_count_until(f, 100);
    secrets_from_session();
    CHECK_ONCE(f);
    CHECK_OK(f);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CHECK_MSG(ran == 1, "refresh: xerial_poll counted %u, want 1", ran);
    /* a Bearer call that refreshes by itself: no event either */
    char json[8192];
    REQUIRE(mock_session("{\"accessTtlSecs\":0}", json, sizeof json, NULL, 0, NULL, 0) == 0);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK); /* replaces a session: no event */
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    ran = poll_count_until(u, 100);
    secrets_from_session();
    CHECK_OK(u);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 2);
    CHECK_AUTH(1, XERIAL_AUTH_LOGGED_IN);
    CHECK_MSG(ran == 1, "user_get: xerial_poll counted %u, want 1", ran);
    /* logout: cleared at once, but heard only inside the next xerial_poll */
    rec_t *o = rec_new();
    REQUIRE(issue_logout(NULL, o) != 0);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_OUT);
    CHECK_EQ(atomic_load(&g_auth.n), 1);
    ran = poll_count_until(o, 100);
    CHECK_ONCE(o);
    CHECK_CODE(o->code, XERIAL_OK);
    CHECK_AUTH(2, XERIAL_AUTH_LOGGED_OUT);
    CHECK_MSG(ran == 2, "logout: xerial_poll counted %u, want 2", ran);
    /* session_set on no session and session_clear flip it too */
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_EQ(atomic_load(&g_auth.n), 2);
    CHECK_EQ(poll_for(50), 1);
    CHECK_AUTH(3, XERIAL_AUTH_LOGGED_IN);
    CHECK_CODE(xerial_session_clear(), XERIAL_OK);
    CHECK_CODE(xerial_session_clear(), XERIAL_OK); /* no session: no event */
    CHECK_EQ(poll_for(50), 1);
    CHECK_AUTH(4, XERIAL_AUTH_LOGGED_OUT);
    /* removed: never heard again */
    xerial_set_auth_listener(NULL, NULL);
    CHECK_CODE(xerial_session_set(json), XERIAL_OK);
    CHECK_EQ(poll_for(50), 0);
    CHECK_AUTH(4, XERIAL_AUTH_LOGGED_OUT);
    CLEANUP;
    xerial_shutdown();
    xerial_set_auth_listener(NULL, NULL);
}

/* session_path: written 0600 by a login, rewritten by a refresh, deleted by logout. */
void case_login_session_file(void) {
    char dir[] = "/tmp/xerial-harness-XXXXXX";
    char path[256] = "", sess[8192], file[8192];
    int have_dir = mkdtemp(dir) != NULL;
    REQUIRE(have_dir);
    snprintf(path, sizeof path, "%s/session.json", dir);
    XerialConfig cfg;
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.session_store = XERIAL_SESSION_STORE_FILE;
    cfg.session_path = path;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    struct stat st;
    CHECK(stat(path, &st) != 0);
    for (int step = 0; step < 2; step++) {
        rec_t *r = rec_new();
        REQUIRE(track(r, step == 0 ? xerial_login_google("google-ok", "harness-client-id", rec_cb, r)
                                   : xerial_refresh(rec_cb, r)) != 0);
        AWAIT(r);
        secrets_from_session();
        CHECK_ONCE(r);
        CHECK_OK(r);
        REQUIRE_MSG(stat(path, &st) == 0, "%s: no session file", step ? "refresh" : "login");
        CHECK_MSG((st.st_mode & 0777) == 0600, "session file mode %o, want 600", (unsigned)(st.st_mode & 0777));
        REQUIRE(session_copy(sess, sizeof sess) == 0);
        FILE *f = fopen(path, "rb");
        REQUIRE(f);
        size_t fl = fread(file, 1, sizeof file - 1, f);
        fclose(f);
        file[fl] = '\0';
        CHECK_MSG(strcmp(file, sess) == 0, "%s: the file does not hold what xerial_session_get returns",
                  step ? "refresh" : "login");
    }
    /* the next init restores it */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    rec_t *o = rec_new();
    REQUIRE(issue_logout(NULL, o) != 0);
    CHECK_MSG(stat(path, &st) != 0, "session file still there after xerial_logout(NULL) returned");
    AWAIT(o);
    CHECK_CODE(o->code, XERIAL_OK);
    CLEANUP;
    xerial_shutdown();
    if (path[0]) unlink(path);
    if (have_dir) rmdir(dir);
}

/* ---- no token or signature in any log message --------------------------------------- */

static struct {
    pthread_mutex_t mu;
    char *text; /* every message, '\n'-separated */
    size_t len, cap;
    int count;
} g_logs = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0};

static void collect_log(void *ud, int32_t level, const char *message) {
    (void)ud;
    (void)level;
    if (!message) return;
    size_t n = strlen(message);
    pthread_mutex_lock(&g_logs.mu);
    if (g_logs.len + n + 2 > g_logs.cap) {
        size_t cap = (g_logs.cap ? g_logs.cap * 2 : 65536) + n;
        char *t = realloc(g_logs.text, cap);
        if (!t) abort();
        g_logs.text = t;
        g_logs.cap = cap;
    }
    memcpy(g_logs.text + g_logs.len, message, n);
    g_logs.len += n;
    g_logs.text[g_logs.len++] = '\n';
    g_logs.text[g_logs.len] = '\0';
    g_logs.count++;
    pthread_mutex_unlock(&g_logs.mu);
}

void case_log_no_secrets(void) {
    const char *sig = "0xok-harness-log-signature-51fe";
    th_secret_add(sig);
    th_secret_add("harness-log-google-token");
    xerial_set_log_callback(collect_log, NULL, XERIAL_LOG_TRACE);
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *r[9];
    for (int i = 0; i < 9; i++) r[i] = rec_new();
    /* a failed and a good Google login, a wallet login, a refresh, a Bearer call after a
     * 401 (refresh inside), an expired access token, a transaction, the escape hatch */
    REQUIRE(track(r[0], xerial_login_google("harness-log-google-token", "harness-client-id", rec_cb, r[0])) != 0);
    AWAIT(r[0]);
    REQUIRE(track(r[1], xerial_login_google("google-ok", "harness-client-id", rec_cb, r[1])) != 0);
    AWAIT(r[1]);
    secrets_from_session();
    REQUIRE(track(r[2], xerial_request_nonce(PLAYER, rec_cb, r[2])) != 0);
    AWAIT(r[2]);
    REQUIRE(track(r[3], xerial_login_wallet(PLAYER, sig, rec_cb, r[3])) != 0);
    AWAIT(r[3]);
    secrets_from_session();
    REQUIRE(track(r[4], xerial_refresh(rec_cb, r[4])) != 0);
    AWAIT(r[4]);
    secrets_from_session();
    REQUIRE(fault_on("GET", USER_PATH, 1,
                     "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}") == 0);
    REQUIRE(track(r[5], xerial_user_get(rec_cb, r[5])) != 0);
    AWAIT(r[5]);
    secrets_from_session();
    REQUIRE(player_session("{\"accessTtlSecs\":0}") == 0);
    REQUIRE(track(r[6], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, r[6])) != 0);
    AWAIT(r[6]);
    secrets_from_session();
    REQUIRE(track(r[7], xerial_request("GET", USER_PATH, NULL, 1, rec_cb, r[7])) != 0);
    AWAIT(r[7]);
    REQUIRE(track(r[8], xerial_logout(NULL, rec_cb, r[8])) != 0);
    AWAIT(r[8]);
    poll_for(50);
    CHECK_CODE(r[0]->code, XERIAL_E_BAD_REQUEST);
    for (int i = 1; i < 9; i++) {
        CHECK_ONCE(r[i]); /* again: every secret is known now */
        CHECK_MSG(r[i]->code == XERIAL_OK, "call %d: %s", i, th_code_str(r[i]->code));
    }
    pthread_mutex_lock(&g_logs.mu);
    int count = g_logs.count;
    int leaked = th_secret_in(g_logs.text);
    int bearer = g_logs.text && (strstr(g_logs.text, "Bearer ey") != NULL);
    pthread_mutex_unlock(&g_logs.mu);
    CHECK_MSG(count > 0, "no log message at TRACE");
    CHECK_MSG(!leaked, "a log message holds a token or the signature");
    CHECK_MSG(!bearer, "a log message holds an Authorization header");
    CLEANUP;
    xerial_set_log_callback(NULL, NULL, 0);
    xerial_shutdown();
    pthread_mutex_lock(&g_logs.mu);
    free(g_logs.text);
    g_logs.text = NULL;
    g_logs.len = g_logs.cap = 0;
    g_logs.count = 0;
    pthread_mutex_unlock(&g_logs.mu);
}
