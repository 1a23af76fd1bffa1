/* cases_api.c - the wallet reads (#1, #5-#8), custodial (#2, #3), marketplace
 * (#23-#26) and the xerial_request escape hatch, through the C ABI (issue 3;
 * abi.md §8). */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "mock_admin.h"
#include "world.h"

#define EXPECT_FAULT_503 "{\"kind\":\"status\",\"status\":503,\"body\":{\"code\":503,\"message\":\"Unavailable\"}}"

/* ---- wallet reads ------------------------------------------------------------ */

void case_wallet_reads_ok(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);

    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "{\"user\":{");
    CHECK_HAS(u->body, "\"id\":\"" PLAYER_ID "\"");
    CHECK_HAS(u->body, "\"identifier\":\"player@example.com\"");
    CHECK_HAS(u->body, "\"username\":null"); /* left out by the server: null */
    CHECK_HAS(u->body, "\"wallets\":[{");
    CHECK_HAS(u->body, "\"address\":\"" PLAYER "\"");
    CHECK_HAS(u->body, "\"smartAccount\":\"" PLAYER_SA "\"");
    CHECK_HAS(u->body, "\"custodial\":true");
    CHECK_HAS(u->body, "\"user\":\"" PLAYER_ID "\"");
    CHECK_HAS(u->body, "\"type\":\"evm\"");

    rec_t *b = rec_new(), *bt = rec_new(), *bsa = rec_new();
    REQUIRE(track(b, xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, b)) != 0);
    REQUIRE(track(bt, xerial_wallet_native_balance(PLAYER, "telos", rec_cb, bt)) != 0);
    REQUIRE(track(bsa, xerial_wallet_native_balance(PLAYER_SA, "polygon", rec_cb, bsa)) != 0);
    AWAIT(b);
    AWAIT(bt);
    AWAIT(bsa);
    CHECK_OK(b);
    CHECK_STREQ(b->body, "{\"balance\":\"25\"}");
    CHECK_OK(bt);
    CHECK_STREQ(bt->body, "{\"balance\":\"10\"}");
    CHECK_OK(bsa);
    CHECK_STREQ(bsa->body, "{\"balance\":\"25\"}");

    rec_t *t = rec_new();
    REQUIRE(track(t, xerial_wallet_token_balances(PLAYER, "polygon", rec_cb, t)) != 0);
    AWAIT(t);
    CHECK_OK(t);
    CHECK_HAS(t->body, "{\"balances\":{");
    CHECK_HAS(t->body, "\"usdc\":\"100\""); /* the mock sends a number: a decimal string */

    /* project inventory: NULL = the configured project, then the same id explicitly */
    rec_t *p[2];
    for (int i = 0; i < 2; i++) {
        p[i] = rec_new();
        REQUIRE(track(p[i], xerial_wallet_project_inventory(PLAYER, "polygon", i ? PROJECT : NULL, rec_cb, p[i])) != 0);
        AWAIT(p[i]);
        CHECK_OK(p[i]);
        CHECK_HAS(p[i]->body, "[{\"collection\":{");
        CHECK_HAS(p[i]->body, "\"quantity\":2");
        CHECK_HAS(p[i]->body, "\"name\":\"Fire Sword\"");
        CHECK_HAS(p[i]->body, "\"maxSupply\":\"13\"");
        CHECK_HAS(p[i]->body, "\"address\":\"" COLL "\"");
        CHECK_HAS(p[i]->body, "\"tokenId\":\"1\"");
        CHECK_HAS(p[i]->body, "\"tokenId\":\"2\"");
        CHECK_HAS(p[i]->body, "\"tokenId\":\"3\"");
        CHECK_LACKS(p[i]->body, "\"tokenId\":\"5\""); /* the rival's */
        CHECK_HAS(p[i]->body, "\"metadataURI\":\"https://");
    }
    CHECK_MSG(p[0]->body && p[1]->body && strcmp(p[0]->body, p[1]->body) == 0,
              "project inventory: NULL and the configured id differ");
    CHECK_EQ(mock_count("GET", WALLET_PATH(PLAYER, "polygon", "/project-inventory/" PROJECT)), 2);
    /* another project: the wallet holds nothing of it */
    rec_t *po = rec_new();
    REQUIRE(track(po, xerial_wallet_project_inventory(PLAYER, "polygon", UNKNOWN_ID, rec_cb, po)) != 0);
    AWAIT(po);
    CHECK_OK(po);
    CHECK_STREQ(po->body, "[]");
    CHECK_EQ(mock_count("GET", WALLET_PATH(PLAYER, "polygon", "/project-inventory/" UNKNOWN_ID)), 1);

    rec_t *g = rec_new();
    REQUIRE(track(g, xerial_wallet_global_inventory(PLAYER, "polygon", rec_cb, g)) != 0);
    AWAIT(g);
    CHECK_OK(g);
    CHECK_HAS(g->body, "{\"ownedNfts\":[{");
    CHECK_HAS(g->body, "\"contract\":{\"address\":\"" COLL "\"");
    CHECK_HAS(g->body, "\"tokenId\":\"1\"");
    CHECK_HAS(g->body, "\"tokenId\":\"3\"");
    CHECK_HAS(g->body, "\"totalCount\":");
    CHECK_HAS(g->body, "\"pageKey\":null");
    CHECK_EQ(mock_count("GET", WALLET_PATH(PLAYER, "polygon", "/global-inventory")), 1);
    CLEANUP;
    xerial_shutdown();
}

typedef XerialRequestId (*read_fn)(const char *addr, const char *chain, rec_t *r);
static XerialRequestId rd_native(const char *a, const char *c, rec_t *r) {
    return xerial_wallet_native_balance(a, c, rec_cb, r);
}
static XerialRequestId rd_tokens(const char *a, const char *c, rec_t *r) {
    return xerial_wallet_token_balances(a, c, rec_cb, r);
}
static XerialRequestId rd_project(const char *a, const char *c, rec_t *r) {
    return xerial_wallet_project_inventory(a, c, NULL, rec_cb, r);
}
static XerialRequestId rd_global(const char *a, const char *c, rec_t *r) {
    return xerial_wallet_global_inventory(a, c, rec_cb, r);
}

static const struct {
    const char *name;
    read_fn fn;
    const char *suffix; /* the path after /api/wallet/{address}/{chain} */
} READS[] = {
    {"native_balance", rd_native, "/eth"},
    {"token_balances", rd_tokens, "/tokens"},
    {"project_inventory", rd_project, "/project-inventory/" PROJECT},
    {"global_inventory", rd_global, "/global-inventory"},
};

void case_wallet_reads_errors(void) {
    char path[256];
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    for (size_t i = 0; i < sizeof READS / sizeof READS[0]; i++) {
        long before = mock_total();
        static const struct {
            const char *addr, *chain, *prefix;
        } BAD[] = {
            {"0x1234", "polygon", "address:"},
            {"8e9DD3c1Db3254d968967CbC367542C343273629aa", "polygon", "address:"},
            {"0x8e9DD3c1Db3254d968967CbC367542C34327362z", "polygon", "address:"},
            {NULL, "polygon", "address"},
            {PLAYER, "Polygon", "chain:"},
            {PLAYER, "", "chain:"},
            {PLAYER, "poly/gon", "chain:"},
            {PLAYER, NULL, "chain"},
        };
        for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
            rec_t *r = rec_new();
            track(r, READS[i].fn(BAD[k].addr, BAD[k].chain, r));
            CHECK_LOCAL(r, XERIAL_E_INVALID_ARGUMENT, BAD[k].prefix, before);
            if (r->code != XERIAL_E_INVALID_ARGUMENT || strncmp(r->message, BAD[k].prefix, strlen(BAD[k].prefix)))
                printf("#   %s(%s, %s): %s \"%s\"\n", READS[i].name, BAD[k].addr ? BAD[k].addr : "NULL",
                       BAD[k].chain ? BAD[k].chain : "NULL", th_code_str(r->code), r->message ? r->message : "");
        }
        /* an unknown wallet: 404, not retried */
        REQUIRE(mock_clear_requests() == 0);
        rec_t *nf = rec_new();
        REQUIRE(track(nf, READS[i].fn(NOBODY, "polygon", nf)) != 0);
        AWAIT(nf);
        CHECK_HTTP_ERROR(nf, XERIAL_E_NOT_FOUND, 404, "Wallet Not Found", 0);
        CHECK_MSG(mock_total() == 1, "%s: 404 sent %ld times, want 1", READS[i].name, mock_total());
        /* a 503 is retried: the second attempt succeeds */
        snprintf(path, sizeof path, "/api/wallet/%s/polygon%s", PLAYER, READS[i].suffix);
        REQUIRE(mock_clear_requests() == 0);
        REQUIRE(fault_on("GET", path, 1, EXPECT_FAULT_503) == 0);
        rec_t *rt = rec_new();
        REQUIRE(track(rt, READS[i].fn(PLAYER, "polygon", rt)) != 0);
        AWAIT(rt);
        CHECK_OK(rt);
        long n = mock_count("GET", path);
        CHECK_MSG(n == 2, "%s: a read after a 503 was sent %ld times, want 2", READS[i].name, n);
        /* a 2xx that is not JSON: DECODE, not retried */
        REQUIRE(mock_clear_requests() == 0);
        REQUIRE(fault_on("GET", path, 1, "{\"kind\":\"malformed\"}") == 0);
        rec_t *dc = rec_new();
        REQUIRE(track(dc, READS[i].fn(PLAYER, "polygon", dc)) != 0);
        AWAIT(dc);
        CHECK_CODE(dc->code, XERIAL_E_DECODE);
        CHECK_EQ(dc->http_status, 200);
        CHECK_EQ(dc->retryable, 0);
        CHECK_EQ(mock_count("GET", path), 1);
        /* 503 every time: SERVER after 1 + max_retries (2) attempts, retryable */
        REQUIRE(mock_clear_requests() == 0);
        REQUIRE(fault_on("GET", path, 0, EXPECT_FAULT_503) == 0);
        rec_t *sv = rec_new();
        REQUIRE(track(sv, READS[i].fn(PLAYER, "polygon", sv)) != 0);
        AWAIT(sv);
        CHECK_HTTP_ERROR(sv, XERIAL_E_SERVER, 503, "Unavailable", 1);
        CHECK_EQ(mock_count("GET", path), 3);
        REQUIRE(mock_clear_faults() == 0);
    }
    /* project inventory: a bad project id; none configured */
    long before = mock_total();
    rec_t *a = rec_new();
    track(a, xerial_wallet_project_inventory(PLAYER, "polygon", "a/b", rec_cb, a));
    CHECK_LOCAL(a, XERIAL_E_INVALID_ARGUMENT, "project_id:", before);
    rec_t *a2 = rec_new();
    track(a2, xerial_wallet_project_inventory(PLAYER, "polygon", "..", rec_cb, a2));
    CHECK_LOCAL(a2, XERIAL_E_INVALID_ARGUMENT, "project_id:", before);
    /* global inventory on telos: the mock's 400 */
    rec_t *tl = rec_new();
    REQUIRE(track(tl, xerial_wallet_global_inventory(PLAYER, "telos", rec_cb, tl)) != 0);
    AWAIT(tl);
    CHECK_CODE(tl->code, XERIAL_E_BAD_REQUEST);
    CHECK_EQ(tl->http_status, 400);
    CHECK_EQ(tl->retryable, 0);
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    before = mock_total();
    rec_t *c = rec_new();
    track(c, xerial_wallet_project_inventory(PLAYER, "polygon", NULL, rec_cb, c));
    CHECK_LOCAL(c, XERIAL_E_INVALID_ARGUMENT, "project_id", before);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

void case_user_get_errors(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    /* retried on 503 */
    REQUIRE(fault_on("GET", USER_PATH, 1, EXPECT_FAULT_503) == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_user_get(rec_cb, r)) != 0);
    AWAIT(r);
    CHECK_OK(r);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    /* retried on a dropped connection (a read is safe to repeat) */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("GET", USER_PATH, 1, "{\"kind\":\"drop\"}") == 0);
    rec_t *d = rec_new();
    REQUIRE(track(d, xerial_user_get(rec_cb, d)) != 0);
    AWAIT(d);
    CHECK_OK(d);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    /* a 2xx of another shape: DECODE */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("GET", USER_PATH, 1, "{\"kind\":\"status\",\"status\":200,\"body\":{\"user\":42}}") == 0);
    rec_t *s = rec_new();
    REQUIRE(track(s, xerial_user_get(rec_cb, s)) != 0);
    AWAIT(s);
    CHECK_CODE(s->code, XERIAL_E_DECODE);
    CHECK_EQ(s->http_status, 200);
    CHECK_EQ(mock_count("GET", USER_PATH), 1);
    /* 429 with Retry-After past the deadline: RATE_LIMITED, retry_after_ms */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 1500) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("GET", USER_PATH, 0,
                     "{\"kind\":\"status\",\"status\":429,\"retryAfter\":30,\"body\":{\"code\":429,\"message\":\"Slow Down\"}}") == 0);
    rec_t *q = rec_new();
    REQUIRE(track(q, xerial_user_get(rec_cb, q)) != 0);
    AWAIT(q);
    CHECK_HTTP_ERROR(q, XERIAL_E_RATE_LIMITED, 429, "Slow Down", 1);
    CHECK_EQ(q->retry_after_ms, SEEN_RETRY_AFTER(30000));
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* ---- custodial ---------------------------------------------------------------- */

void case_custodial_ok(void) {
    char id[64] = "", path[160];
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_custodial_create_user("harness@example.com", rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "\"reference\":\"harness@example.com\""); /* the mock spells it "refrence" */
    CHECK_LACKS(u->body, "refrence");
    CHECK_HAS(u->body, "\"project\":");
    REQUIRE_MSG(json_string_field(u->body, "id", id, sizeof id) == 0 && strlen(id) == 24, "no user id in %s", u->body);
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_custodial_create_user(NULL, rec_cb, n)) != 0);
    AWAIT(n);
    CHECK_OK(n);
    CHECK_HAS(n->body, "\"reference\":null");
    CHECK_HAS(n->body, "\"id\":\"");
    CHECK_LACKS(n->body, id); /* another user */
    CHECK_EQ(mock_count("POST", USER_PATH), 2);

    rec_t *w = rec_new();
    REQUIRE(track(w, xerial_custodial_create_wallet(id, rec_cb, w)) != 0);
    AWAIT(w);
    CHECK_OK(w);
    CHECK_HAS(w->body, "\"address\":\"0x");
    CHECK_HAS(w->body, "\"smartAccount\":\"0x");
    CHECK_HAS(w->body, "\"custodial\":true");
    CHECK_HAS(w->body, "\"type\":\"evm\"");
    char want_user[96];
    snprintf(want_user, sizeof want_user, "\"user\":\"%s\"", id);
    CHECK_HAS(w->body, want_user);
    snprintf(path, sizeof path, "/api/wallet/%s", id);
    CHECK_EQ(mock_count("POST", path), 1);
    /* the new wallet exists: its balance can be read */
    char addr[64] = "";
    REQUIRE(json_string_field(w->body, "address", addr, sizeof addr) == 0);
    rec_t *b = rec_new();
    REQUIRE(track(b, xerial_wallet_native_balance(addr, "polygon", rec_cb, b)) != 0);
    AWAIT(b);
    CHECK_OK(b);
    CHECK_HAS(b->body, "{\"balance\":\"");
    CLEANUP;
    xerial_shutdown();
}

void case_custodial_errors(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    /* no session: nothing sent */
    long before = mock_total();
    rec_t *a = rec_new(), *b = rec_new();
    track(a, xerial_custodial_create_user("x@example.com", rec_cb, a));
    CHECK_LOCAL(a, XERIAL_E_NOT_LOGGED_IN, NULL, before);
    track(b, xerial_custodial_create_wallet(PLAYER_ID, rec_cb, b));
    CHECK_LOCAL(b, XERIAL_E_NOT_LOGGED_IN, NULL, before);
    REQUIRE(player_session(NULL) == 0);
    /* bad user ids: nothing sent */
    const char *bad[] = {"a/b", "", "..", "has space", "x?y=1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rec_t *r = rec_new();
        track(r, xerial_custodial_create_wallet(bad[i], rec_cb, r));
        CHECK_LOCAL(r, XERIAL_E_INVALID_ARGUMENT, "user_id:", before);
    }
    rec_t *nl = rec_new();
    track(nl, xerial_custodial_create_wallet(NULL, rec_cb, nl));
    CHECK_LOCAL(nl, XERIAL_E_INVALID_ARGUMENT, "user_id", before);
    rec_t *ru = rec_new();
    track(ru, xerial_custodial_create_user("\xff", rec_cb, ru));
    CHECK_LOCAL(ru, XERIAL_E_INVALID_ARGUMENT, "reference", before);
    /* an unknown user: 404 */
    rec_t *nf = rec_new();
    REQUIRE(track(nf, xerial_custodial_create_wallet(UNKNOWN_ID, rec_cb, nf)) != 0);
    AWAIT(nf);
    CHECK_HTTP_ERROR(nf, XERIAL_E_NOT_FOUND, 404, "User Not Found", 0);
    /* not repeated once sent: a 503 and a dropped connection are each one request */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", USER_PATH, 1, EXPECT_FAULT_503) == 0);
    rec_t *s = rec_new();
    REQUIRE(track(s, xerial_custodial_create_user("y@example.com", rec_cb, s)) != 0);
    AWAIT(s);
    CHECK_CODE(s->code, XERIAL_E_SERVER);
    CHECK_EQ(s->http_status, 503);
    CHECK_EQ(mock_count("POST", USER_PATH), 1);
    REQUIRE(fault_on("POST", "/api/wallet/" PLAYER_ID, 1, "{\"kind\":\"drop\"}") == 0);
    rec_t *dr = rec_new();
    REQUIRE(track(dr, xerial_custodial_create_wallet(PLAYER_ID, rec_cb, dr)) != 0);
    AWAIT(dr);
    long wallets = mock_count("POST", "/api/wallet/" PLAYER_ID);
    CHECK_SENT_ONCE(wallets, "a wallet creation whose connection dropped once");
    if (wallets == 1) { /* (a browser's re-send is answered: the fault dropped only one) */
        CHECK_CODE(dr->code, XERIAL_E_NETWORK); /* not a "never" row of abi.md §8: no OUTCOME_UNKNOWN */
        CHECK_EQ(dr->http_status, 0);
    }
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* ---- marketplace ---------------------------------------------------------------- */

void case_market_ok(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *c[2];
    for (int i = 0; i < 2; i++) {
        c[i] = rec_new();
        REQUIRE(track(c[i], xerial_market_collections(i ? PROJECT : NULL, rec_cb, c[i])) != 0);
        AWAIT(c[i]);
        CHECK_OK(c[i]);
        CHECK_HAS(c[i]->body, "\"projectId\":\"" PROJECT "\"");
        CHECK_HAS(c[i]->body, "\"project\":{");
        CHECK_HAS(c[i]->body, "\"collections\":[{");
        CHECK_HAS(c[i]->body, "\"address\":\"" COLL "\"");
        CHECK_HAS(c[i]->body, "\"chain\":\"polygon\"");
        CHECK_HAS(c[i]->body, "\"chain\":\"telos\"");
    }
    CHECK_EQ(mock_count("GET", "/collections"), 2);

    rec_t *p = rec_new();
    REQUIRE(track(p, xerial_market_primary_listings(NULL, "polygon", rec_cb, p)) != 0);
    AWAIT(p);
    CHECK_OK(p);
    CHECK_HAS(p->body, "[{");
    CHECK_HAS(p->body, "\"typeId\":\"1\"");
    CHECK_HAS(p->body, "\"price\":\"0.5\"");
    CHECK_HAS(p->body, "\"supply\":13"); /* the original supply (10 still for sale) */
    CHECK_HAS(p->body, "\"inSale\":true");
    CHECK_HAS(p->body, "\"inSale\":false");
    CHECK_HAS(p->body, "\"mintedTokens\":3");
    CHECK_HAS(p->body, "\"name\":\"Fire Sword\"");
    CHECK_EQ(mock_count("GET", "/marketplace/" PROJECT "/polygon/primary"), 1);
    rec_t *pt = rec_new();
    REQUIRE(track(pt, xerial_market_primary_listings(PROJECT, "telos", rec_cb, pt)) != 0);
    AWAIT(pt);
    CHECK_OK(pt);
    CHECK_HAS(pt->body, "\"price\":\"2\"");
    CHECK_HAS(pt->body, "\"name\":\"Ancient Relic\"");

    rec_t *s = rec_new(), *sr = rec_new(), *srs = rec_new(), *sp = rec_new();
    REQUIRE(track(s, xerial_market_secondary_listings(NULL, "polygon", NULL, rec_cb, s)) != 0);
    REQUIRE(track(sr, xerial_market_secondary_listings(NULL, "polygon", RIVAL, rec_cb, sr)) != 0);
    REQUIRE(track(srs, xerial_market_secondary_listings(PROJECT, "polygon", RIVAL_SA, rec_cb, srs)) != 0);
    REQUIRE(track(sp, xerial_market_secondary_listings(NULL, "polygon", PLAYER, rec_cb, sp)) != 0);
    AWAIT(s);
    AWAIT(sr);
    AWAIT(srs);
    AWAIT(sp);
    CHECK_OK(s);
    CHECK_HAS(s->body, "\"marketItemId\":\"38\"");
    CHECK_HAS(s->body, "\"tokenId\":\"4\"");
    CHECK_HAS(s->body, "\"price\":\"0.75\"");
    CHECK_HAS(s->body, "\"seller\":\"" RIVAL_SA "\"");
    CHECK_HAS(s->body, "\"metadata\":{");
    CHECK_OK(sr);
    CHECK_HAS(sr->body, "\"marketItemId\":\"38\"");
    CHECK_OK(srs);
    CHECK_HAS(srs->body, "\"marketItemId\":\"38\"");
    CHECK_OK(sp);
    CHECK_STREQ(sp->body, "[]"); /* the seller filter was sent */
    CHECK_EQ(mock_count("GET", "/marketplace/" PROJECT "/polygon/secondary"), 4);

    rec_t *d = rec_new();
    REQUIRE(track(d, xerial_market_project(DOMAIN, rec_cb, d)) != 0);
    AWAIT(d);
    CHECK_OK(d);
    CHECK_HAS(d->body, "\"id\":\"" PROJECT "\"");
    CHECK_HAS(d->body, "\"domain\":\"" DOMAIN "\"");
    CHECK_HAS(d->body, "\"socialMedias\":{");
    CHECK_LACKS(d->body, "{\"project\":{");
    CHECK_EQ(mock_count("GET", "/marketplace/" DOMAIN), 1);
    CLEANUP;
    xerial_shutdown();
}

void case_market_errors(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    /* unknown project or domain: 404 */
    rec_t *r[4];
    for (int i = 0; i < 4; i++) r[i] = rec_new();
    REQUIRE(track(r[0], xerial_market_collections(UNKNOWN_ID, rec_cb, r[0])) != 0);
    REQUIRE(track(r[1], xerial_market_primary_listings(UNKNOWN_ID, "polygon", rec_cb, r[1])) != 0);
    REQUIRE(track(r[2], xerial_market_secondary_listings(UNKNOWN_ID, "polygon", NULL, rec_cb, r[2])) != 0);
    REQUIRE(track(r[3], xerial_market_project("no-such-domain", rec_cb, r[3])) != 0);
    for (int i = 0; i < 4; i++) {
        AWAIT(r[i]);
        CHECK_HTTP_ERROR(r[i], XERIAL_E_NOT_FOUND, 404, "Project Not Found", 0);
    }
    CHECK_EQ(mock_total(), 4); /* a 404 is not retried */
    /* a read retried on 503 */
    REQUIRE(fault_on("GET", "/collections", 1, EXPECT_FAULT_503) == 0);
    rec_t *rt = rec_new();
    REQUIRE(track(rt, xerial_market_collections(NULL, rec_cb, rt)) != 0);
    AWAIT(rt);
    CHECK_OK(rt);
    CHECK_EQ(mock_count("GET", "/collections"), 3);
    /* bad arguments: nothing sent */
    long before = mock_total();
    rec_t *a[6];
    for (int i = 0; i < 6; i++) a[i] = rec_new();
    track(a[0], xerial_market_collections("a/b", rec_cb, a[0]));
    track(a[1], xerial_market_primary_listings(NULL, "Polygon", rec_cb, a[1]));
    track(a[2], xerial_market_secondary_listings(NULL, "polygon", "0xnope", rec_cb, a[2]));
    track(a[3], xerial_market_project("has space", rec_cb, a[3]));
    track(a[4], xerial_market_project(NULL, rec_cb, a[4]));
    track(a[5], xerial_market_secondary_listings(NULL, NULL, NULL, rec_cb, a[5]));
    CHECK_LOCAL(a[0], XERIAL_E_INVALID_ARGUMENT, "project_id:", before);
    CHECK_LOCAL(a[1], XERIAL_E_INVALID_ARGUMENT, "chain:", before);
    CHECK_LOCAL(a[2], XERIAL_E_INVALID_ARGUMENT, "seller:", before);
    CHECK_LOCAL(a[3], XERIAL_E_INVALID_ARGUMENT, "domain:", before);
    CHECK_LOCAL(a[4], XERIAL_E_INVALID_ARGUMENT, "domain", before);
    CHECK_LOCAL(a[5], XERIAL_E_INVALID_ARGUMENT, "chain", before);
    /* no marketplace_url configured: every market call refuses, nothing sent */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    XerialConfig cfg;
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.marketplace_url = NULL;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *m[4];
    for (int i = 0; i < 4; i++) m[i] = rec_new();
    track(m[0], xerial_market_collections(NULL, rec_cb, m[0]));
    track(m[1], xerial_market_primary_listings(PROJECT, "polygon", rec_cb, m[1]));
    track(m[2], xerial_market_secondary_listings(PROJECT, "polygon", NULL, rec_cb, m[2]));
    track(m[3], xerial_market_project(DOMAIN, rec_cb, m[3]));
    for (int i = 0; i < 4; i++) CHECK_LOCAL(m[i], XERIAL_E_INVALID_ARGUMENT, "marketplace_url", before);
    /* marketplace_url but no project configured: NULL project id refused */
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, 0);
    cfg.project_id = NULL;
    REQUIRE(sdk_init_cfg(&cfg) == XERIAL_OK);
    rec_t *np[3];
    for (int i = 0; i < 3; i++) np[i] = rec_new();
    track(np[0], xerial_market_collections(NULL, rec_cb, np[0]));
    track(np[1], xerial_market_primary_listings(NULL, "polygon", rec_cb, np[1]));
    track(np[2], xerial_market_secondary_listings(NULL, "polygon", NULL, rec_cb, np[2]));
    for (int i = 0; i < 3; i++) CHECK_LOCAL(np[i], XERIAL_E_INVALID_ARGUMENT, "project_id", before);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* ---- xerial_request ----------------------------------------------------------------- */

#define CUSTOM_PATH WALLET_PATH(PLAYER, "polygon", "/transaction")

void case_request_ok(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    /* GET /api/user with the player's token: the server's JSON as sent */
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_request("GET", USER_PATH, NULL, 1, rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "{\"user\":{");
    CHECK_HAS(u->body, "\"identifier\":\"player@example.com\"");
    CHECK_HAS(u->body, "\"smartAccount\":\"" PLAYER_SA "\"");
    CHECK_LACKS(u->body, "\"username\""); /* not the typed model: as the server sent it */
    CHECK_EQ(mock_count("GET", USER_PATH), 1);
    /* without the player's token the server says 401; not a Bearer call: no refresh */
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_request("GET", USER_PATH, NULL, 0, rec_cb, n)) != 0);
    AWAIT(n);
    CHECK_HTTP_ERROR(n, XERIAL_E_UNAUTHORIZED, 401, "Please Authenticate", 0);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 0);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    /* a query string; an array answer is delivered as is */
    rec_t *q = rec_new();
    REQUIRE(track(q, xerial_request("GET", "/marketplace/" PROJECT "/polygon/secondary?seller=" PLAYER, NULL, 0,
                                    rec_cb, q)) != 0);
    AWAIT(q);
    CHECK_OK(q);
    CHECK_STREQ(q->body, "[]");
    /* a POST with a body: a custom transaction */
    rec_t *p = rec_new();
    REQUIRE(track(p, xerial_request("POST", CUSTOM_PATH,
                                    "{\"type\":\"CONTRACT_EXECUTION\",\"to\":\"" RIVAL "\",\"functionName\":\"harnessRaw\","
                                    "\"value\":0,\"inputs\":[]}",
                                    1, rec_cb, p)) != 0);
    AWAIT(p);
    CHECK_OK(p);
    CHECK_HAS(p->body, "{\"transactionHash\":\"0x");
    CHECK_EQ(mock_count("POST", CUSTOM_PATH), 1);
    char txs[65536];
    REQUIRE(mock_get("/_mock/transactions", txs, sizeof txs) == 200);
    CHECK_HAS(txs, "harnessRaw");
    /* a GET is retried on 503; a 401 on a Bearer GET refreshes and resends */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("GET", USER_PATH, 1, EXPECT_FAULT_503) == 0);
    rec_t *r5 = rec_new();
    REQUIRE(track(r5, xerial_request("GET", USER_PATH, NULL, 1, rec_cb, r5)) != 0);
    AWAIT(r5);
    CHECK_OK(r5);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("GET", USER_PATH, 1,
                     "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}") == 0);
    rec_t *r1 = rec_new();
    REQUIRE(track(r1, xerial_request("GET", USER_PATH, NULL, 1, rec_cb, r1)) != 0);
    AWAIT(r1);
    secrets_from_session();
    CHECK_ONCE(r1);
    CHECK_OK(r1);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("GET", USER_PATH), 2);
    /* a 2xx that is not JSON: DECODE */
    REQUIRE(fault_on("GET", USER_PATH, 1, "{\"kind\":\"malformed\"}") == 0);
    rec_t *dc = rec_new();
    REQUIRE(track(dc, xerial_request("GET", USER_PATH, NULL, 1, rec_cb, dc)) != 0);
    AWAIT(dc);
    CHECK_CODE(dc->code, XERIAL_E_DECODE);
    CHECK_EQ(dc->http_status, 200);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

void case_request_errors(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    long before = mock_total();
    static const struct {
        const char *method, *path, *body, *prefix;
        uint8_t needs_player;
    } BAD[] = {
        {"POST", "/api/auth/logout", "{\"refreshToken\":\"x\"}", "path:", 0},
        {"POST", "/api/auth/refresh-tokens", "{}", "path:", 1},
        {"POST", "/api/auth/google", "{\"token\":\"google-ok\",\"clientId\":\"c\"}", "path:", 0},
        {"GET", "/API/Auth/logout", NULL, "path:", 1},
        {"GET", "api/user", NULL, "path:", 1},
        {"GET", "", NULL, "path:", 1},
        {"GET", NULL, NULL, "path", 1},
        {"FETCH", USER_PATH, NULL, "method:", 1},
        {"get", USER_PATH, NULL, "method:", 1},
        {NULL, USER_PATH, NULL, "method", 1},
        {"POST", CUSTOM_PATH, "[1,2]", "json_body:", 1},
        {"POST", CUSTOM_PATH, "\"to\"", "json_body:", 1},
        {"POST", CUSTOM_PATH, "42", "json_body:", 1},
        {"POST", CUSTOM_PATH, "{\"to\":", "json_body:", 1},
        {"POST", CUSTOM_PATH, "", "json_body:", 1},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        rec_t *r = rec_new();
        track(r, xerial_request(BAD[i].method, BAD[i].path, BAD[i].body, BAD[i].needs_player, rec_cb, r));
        CHECK_LOCAL(r, XERIAL_E_INVALID_ARGUMENT, BAD[i].prefix, before);
        if (r->code != XERIAL_E_INVALID_ARGUMENT)
            printf("#   request(%s, %s, %s): %s\n", BAD[i].method ? BAD[i].method : "NULL",
                   BAD[i].path ? BAD[i].path : "NULL", BAD[i].body ? BAD[i].body : "NULL", th_code_str(r->code));
    }
    /* a POST whose connection drops: OUTCOME_UNKNOWN, sent once */
    REQUIRE(fault_on("POST", CUSTOM_PATH, 0, "{\"kind\":\"drop\"}") == 0);
    rec_t *d = rec_new();
    REQUIRE(track(d, xerial_request("POST", CUSTOM_PATH, "{\"to\":\"" RIVAL "\"}", 1, rec_cb, d)) != 0);
    AWAIT(d);
    CHECK_CODE(d->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_EQ(d->http_status, 0);
    CHECK_EQ(d->retryable, 0);
    CHECK_MSG(d->message && d->message[0], "empty message");
    CHECK_SENT_ONCE(mock_count("POST", CUSTOM_PATH), "a POST whose connection dropped");
    /* a 503 on a POST: an answer, not repeated, not retryable */
    REQUIRE(mock_clear_faults() == 0);
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", CUSTOM_PATH, 0, EXPECT_FAULT_503) == 0);
    rec_t *s = rec_new();
    REQUIRE(track(s, xerial_request("PUT", CUSTOM_PATH, NULL, 1, rec_cb, s)) != 0);
    rec_t *s2 = rec_new();
    REQUIRE(track(s2, xerial_request("POST", CUSTOM_PATH, "{\"to\":\"" RIVAL "\"}", 1, rec_cb, s2)) != 0);
    AWAIT(s);
    AWAIT(s2);
    CHECK_CODE(s->code, XERIAL_E_NOT_FOUND); /* PUT is not routed: express's 404 */
    CHECK_EQ(mock_count("PUT", CUSTOM_PATH), 1);
    CHECK_HTTP_ERROR(s2, XERIAL_E_SERVER, 503, "Unavailable", 0);
    CHECK_EQ(mock_count("POST", CUSTOM_PATH), 1);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* Dot segments that a URL parser folds into /api/auth/ must be refused too: the
 * request would otherwise reach the auth routes (abi.md §8). */
void case_request_auth_dot_segments(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    static const char *PATHS[] = {"/api/./auth/logout", "/api/%2e/auth/logout", "/./api/auth/logout",
                                  "/api/%2E/auth/logout"};
    for (size_t i = 0; i < sizeof PATHS / sizeof PATHS[0]; i++) {
        REQUIRE(mock_clear_requests() == 0);
        rec_t *r = rec_new();
        REQUIRE(track(r, xerial_request("POST", PATHS[i], "{\"refreshToken\":\"harness-x\"}", 1, rec_cb, r)) != 0);
        AWAIT(r);
        long sent = mock_count("POST", LOGOUT_PATH);
        CHECK_MSG(r->code == XERIAL_E_INVALID_ARGUMENT && sent == 0,
                  "xerial_request(\"POST\", \"%s\"): %s (http %d), and the server saw %ld POST %s", PATHS[i],
                  th_code_str(r->code), r->http_status, sent, LOGOUT_PATH);
    }
    CLEANUP;
    xerial_shutdown();
}

/* ---- immediate dispatch -------------------------------------------------------------------- */

/* The new calls in XERIAL_DISPATCH_IMMEDIATE mode: answered on an SDK worker, never on
 * the calling thread, without xerial_poll; a local error too. */
void case_api_immediate(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_IMMEDIATE, 0) == XERIAL_OK);
    REQUIRE(player_session("{\"accessTtlSecs\":0}") == 0);
    enum { N = 7 };
    rec_t *r[N];
    for (int i = 0; i < N; i++) r[i] = rec_new();
    REQUIRE(track(r[0], xerial_user_get(rec_cb, r[0])) != 0);
    REQUIRE(track(r[1], xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, r[1])) != 0);
    REQUIRE(track(r[2], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, r[2])) != 0);
    REQUIRE(track(r[3], xerial_market_project(DOMAIN, rec_cb, r[3])) != 0);
    REQUIRE(track(r[4], xerial_request("GET", USER_PATH, NULL, 1, rec_cb, r[4])) != 0);
    REQUIRE(track(r[5], xerial_custodial_create_user(NULL, rec_cb, r[5])) != 0);
    REQUIRE(track(r[6], xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "01", RIVAL, rec_cb, r[6])) != 0);
    CHECK_EQ(xerial_poll(0), 0);
    REQUIRE(wait_recs(r, N, SLOW(10000)));
    secrets_from_session();
    for (int i = 0; i < N; i++) {
        CHECK_ONCE(r[i]);
        CHECK_MSG(!pthread_equal(r[i]->thread, pthread_self()), "call %d answered on the calling thread", i);
        if (i < 6) CHECK_MSG(r[i]->code == XERIAL_OK, "call %d: %s \"%s\"", i, th_code_str(r[i]->code), r[i]->message);
    }
    CHECK_CODE(r[6]->code, XERIAL_E_INVALID_ARGUMENT);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1); /* four Bearer calls, one shared refresh */
    CLEANUP;
    xerial_shutdown();
}

/* ---- documented variants of the server's answers ----------------------------------------- */

/* The next `method path` answers 200 with body_json, or 204 with no body when it is NULL. */
static void fault_200(const char *method, const char *path, const char *body_json) {
    char f[2048];
    if (body_json)
        snprintf(f, sizeof f, "{\"kind\":\"status\",\"status\":200,\"body\":%s}", body_json);
    else
        snprintf(f, sizeof f, "{\"kind\":\"status\",\"status\":204}");
    if (fault_on(method, path, 1, f) != 0) th_fail(__FILE__, __LINE__, "fault rejected: %s", f);
}

/* Balances as strings or numbers, kept or made decimal strings; the project wrapped in
 * {"project":…} with userBanner normalised; a 204 through xerial_request is ""; a 2xx of
 * the wrong shape is DECODE. */
void case_api_variants(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    const char *eth = WALLET_PATH(PLAYER, "polygon", "/eth");
    const char *tok = WALLET_PATH(PLAYER, "polygon", "/tokens");
    rec_t *r[7];
    for (int i = 0; i < 7; i++) r[i] = rec_new();
    fault_200("GET", eth, "{\"balance\":\"0.053353126320360021\"}");
    REQUIRE(track(r[0], xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, r[0])) != 0);
    AWAIT(r[0]);
    CHECK_OK(r[0]);
    CHECK_STREQ(r[0]->body, "{\"balance\":\"0.053353126320360021\"}");
    fault_200("GET", eth, "{\"balance\":0.5}");
    REQUIRE(track(r[1], xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, r[1])) != 0);
    AWAIT(r[1]);
    CHECK_OK(r[1]);
    CHECK_STREQ(r[1]->body, "{\"balance\":\"0.5\"}");
    fault_200("GET", tok, "{\"balances\":{\"usdc\":\"12.5\",\"weth\":0.25}}");
    REQUIRE(track(r[2], xerial_wallet_token_balances(PLAYER, "polygon", rec_cb, r[2])) != 0);
    AWAIT(r[2]);
    CHECK_OK(r[2]);
    CHECK_HAS(r[2]->body, "\"usdc\":\"12.5\"");
    CHECK_HAS(r[2]->body, "\"weth\":\"0.25\"");
    fault_200("GET", "/marketplace/" DOMAIN,
              "{\"project\":{\"id\":\"" PROJECT "\",\"address\":\"0x5a1eD00d5a1eD00d5a1eD00d5a1eD00d5a1eD00d\","
              "\"name\":\"Old Arena\",\"domain\":\"" DOMAIN "\",\"userBanner\":\"https://example.com/old-banner.png\"}}");
    REQUIRE(track(r[3], xerial_market_project(DOMAIN, rec_cb, r[3])) != 0);
    AWAIT(r[3]);
    CHECK_OK(r[3]);
    CHECK_LACKS(r[3]->body, "{\"project\":");
    CHECK_LACKS(r[3]->body, "userBanner");
    CHECK_HAS(r[3]->body, "\"name\":\"Old Arena\"");
    CHECK_HAS(r[3]->body, "\"banner\":\"https://example.com/old-banner.png\"");
    fault_200("DELETE", "/api/harness/thing", NULL);
    REQUIRE(track(r[4], xerial_request("DELETE", "/api/harness/thing", NULL, 1, rec_cb, r[4])) != 0);
    AWAIT(r[4]);
    CHECK_CODE(r[4]->code, XERIAL_OK);
    CHECK_EQ(r[4]->http_status, 204);
    CHECK_STREQ(r[4]->body, "");
    fault_200("GET", USER_PATH, "[{\"user\":{}}]"); /* an array for an object */
    REQUIRE(track(r[5], xerial_user_get(rec_cb, r[5])) != 0);
    AWAIT(r[5]);
    CHECK_CODE(r[5]->code, XERIAL_E_DECODE);
    CHECK_EQ(r[5]->http_status, 200);
    fault_200("GET", eth, "{\"balance\":\"lots\"}"); /* not a decimal */
    REQUIRE(track(r[6], xerial_wallet_native_balance(PLAYER, "polygon", rec_cb, r[6])) != 0);
    AWAIT(r[6]);
    CHECK_CODE(r[6]->code, XERIAL_E_DECODE);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}
