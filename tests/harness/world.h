/* world.h - the mock's demo world (xerial-mock/README.md, "Demo world") and the
 * helpers the issue-3 cases share: an SDK configured for the whole API, player
 * sessions minted by the mock, secrets, local-error checks, body searches. */
#ifndef XERIAL_HARNESS_WORLD_H
#define XERIAL_HARNESS_WORLD_H

#include "th.h"

/* ---- the demo world ----------------------------------------------------- */

#define PROJECT "6564b4f3fa203b318f65da05"
#define DOMAIN "demo-arena"
#define PLAYER_ID "5ebac534954b54139806c112"
#define PLAYER "0x8e9DD3c1Db3254d968967CbC367542C343273629"    /* 25 native, 100 usdc; #1 #2 #3 */
#define PLAYER_SA "0x3A7dA8e0B1cC2f9E4D6b5a8C7e9F0a1B2c3D4e5F" /* its smart account */
#define RIVAL_ID "65a1b2c3d4e5f60718293a4b"
#define RIVAL "0x1111111111111111111111111111111111111111"     /* 5 native, 20 usdc; #5 */
#define RIVAL_SA "0x2222222222222222222222222222222222222222"  /* sells #4 as item 38 @ 0.75 */
#define COLL "0xC011EC7100000000000000000000000000000001"      /* polygon: type 1 @0.5, 2 @1, 3 not in sale */
#define USDC "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359"      /* polygon usdc */
#define NOBODY "0x00000000000000000000000000000000000000a1"    /* no such wallet */
#define UNKNOWN_ID "aaaaaaaaaaaaaaaaaaaaaaaa"                   /* no such project / user */

#define REFRESH_PATH "/api/auth/refresh-tokens"
#define USER_PATH "/api/user"
#define WALLET_PATH(addr, chain, rest) "/api/wallet/" addr "/" chain rest

/* ---- SDK ---------------------------------------------------------------- */

/* cfg_mock() plus project_id = PROJECT and marketplace_url = the mock. */
void cfg_world(XerialConfig *cfg, uint32_t dispatch, uint32_t timeout_ms);
int32_t sdk_init_world(uint32_t dispatch, uint32_t timeout_ms);

/* ---- sessions ----------------------------------------------------------- */

/* POST /_mock/sessions with `opts` (NULL: "{}"); copies the pair JSON and both tokens
 * (any out may be NULL) and registers both tokens as secrets of the case. 0 on success. */
int mock_session(const char *opts, char *json, size_t json_cap, char *access, size_t access_cap,
                 char *refresh, size_t refresh_cap);
/* mock_session(opts) installed with xerial_session_set. 0 on success. */
int player_session(const char *opts);
/* Registers the tokens of the SDK's current session (xerial_session_get) as secrets. */
void secrets_from_session(void);

/* ---- results ------------------------------------------------------------ */

/* Records the id a call returned into r (and the run's id log); returns it. */
XerialRequestId track(rec_t *r, XerialRequestId id);

/* Waits (polling) for r, then checks the usual invariants; fatal if no callback. */
#define AWAIT(r)                                                                         \
    do {                                                                                 \
        REQUIRE_MSG(wait_rec((r), SLOW(10000)), "%s: no callback within 10 s", #r);      \
        CHECK_ONCE(r);                                                                   \
    } while (0)

/* Substring checks on a result string (body or message). */
#define CHECK_HAS(s, needle)                                                             \
    do {                                                                                 \
        const char *th_s_ = (s);                                                         \
        if (!th_s_ || !strstr(th_s_, (needle)))                                          \
            th_fail(__FILE__, __LINE__, "%s lacks %s: \"%.300s\"", #s, (needle),          \
                    th_s_ ? th_s_ : "(null)");                                           \
    } while (0)
#define CHECK_LACKS(s, needle)                                                           \
    do {                                                                                 \
        const char *th_s_ = (s);                                                         \
        if (!th_s_ || strstr(th_s_, (needle)))                                           \
            th_fail(__FILE__, __LINE__, "%s holds %s: \"%.300s\"", #s, (needle),          \
                    th_s_ ? th_s_ : "(null)");                                           \
    } while (0)

/* The answer of a successful call: OK, http 200, message "", retryable 0. */
void check_ok(rec_t *r, const char *file, int line);
#define CHECK_OK(r) check_ok((r), __FILE__, __LINE__)

/* The answer of an HTTP error: code, http_status, exact message, the server's JSON
 * error body ({"code":status,"message":message}), retryable as given. */
void check_http_error(rec_t *r, int32_t code, int status, const char *message, uint8_t retryable,
                      const char *file, int line);
#define CHECK_HTTP_ERROR(r, code, status, message, retryable)                            \
    check_http_error((r), (code), (status), (message), (retryable), __FILE__, __LINE__)

/* A local answer: `code`, http_status 0, retryable 0, message starting with `prefix`
 * (NULL: any non-empty message), delivered inside xerial_poll on this thread, and no
 * request reached the mock since `before` (mock_total()). Waits for r first. */
void check_local(rec_t *r, int32_t code, const char *prefix, long before, const char *file,
                 int line);
#define CHECK_LOCAL(r, code, prefix, before) check_local((r), (code), (prefix), (before), __FILE__, __LINE__)

/* ---- the mock ----------------------------------------------------------- */

/* Every non-admin request the mock has counted (sum of GET /_mock/requests), -1 on error. */
long mock_total(void);
/* POST /_mock/faults {"method":M,"path":P,"times":T (if > 0),"fault":F}. 0 on success. */
int fault_on(const char *method, const char *path, int times, const char *fault_obj);
/* POST /_mock/balances with the given JSON. 0 on success. */
int mock_balances(const char *json);
/* GET path on the mock (admin or API, no auth) into resp; returns the status or -1. */
int mock_get(const char *path, char *resp, size_t cap);

#endif
