/* cases_tx.c - the seven transactions (#9, #11-#16) through the C ABI: success and
 * the state change seen through a read, every documented error the mock plays,
 * argument checks, and the never-retry rule (issue 3; abi.md §4, §4b, §8). */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "mock_admin.h"
#include "world.h"

#define TX_PATH(rest) WALLET_PATH(PLAYER, "polygon", rest)
#define PURCHASE_PATH TX_PATH("/primary-purchase")

/* {"transactionHash":"0x" + 64 hex digits}; copies the hash into out (may be NULL). */
static void check_tx_hash(rec_t *r, char *out, size_t cap, const char *file, int line) {
    char hash[128] = "";
    if (r->code != XERIAL_OK) {
        th_fail(file, line, "transaction: %s (http %d, \"%.200s\"), want OK", th_code_str(r->code), r->http_status,
                r->message ? r->message : "(null)");
        return;
    }
    check_ok(r, file, line);
    if (!r->body || json_string_field(r->body, "transactionHash", hash, sizeof hash) != 0) {
        th_fail(file, line, "no transactionHash in \"%.200s\"", r->body ? r->body : "(null)");
        return;
    }
    int hex = strlen(hash) == 66 && hash[0] == '0' && hash[1] == 'x';
    for (size_t i = 2; hex && i < 66; i++)
        if (!strchr("0123456789abcdefABCDEF", hash[i])) hex = 0;
    if (!hex) th_fail(file, line, "transactionHash \"%s\" is not 0x + 64 hex", hash);
    char want[160];
    snprintf(want, sizeof want, "{\"transactionHash\":\"%s\"}", hash);
    if (strcmp(r->body, want) != 0) th_fail(file, line, "body \"%.200s\", want %s", r->body, want);
    if (out) snprintf(out, cap, "%s", hash);
}
#define CHECK_TX(r, out) check_tx_hash((r), (out), sizeof(out), __FILE__, __LINE__)

/* The mock's record of a transaction holds `hash` and `needle`. */
static void check_recorded(const char *hash, const char *needle, const char *file, int line) {
    static char txs[1 << 17];
    if (mock_get("/_mock/transactions", txs, sizeof txs) != 200) {
        th_fail(file, line, "GET /_mock/transactions failed");
        return;
    }
    const char *at = hash[0] ? strstr(txs, hash) : NULL;
    if (!at) th_fail(file, line, "the mock recorded no transaction %s", hash);
    else if (needle && !strstr(txs, needle)) th_fail(file, line, "the mock's transactions lack %s", needle);
}
#define CHECK_RECORDED(hash, needle) check_recorded((hash), (needle), __FILE__, __LINE__)

/* Waits for r, a transaction: its hash into `hash`, sent once to `path`, recorded by the mock
 * with `needle` in the record. */
#define AWAIT_TX(r, hash, path, needle)                                                  \
    do {                                                                                 \
        AWAIT(r);                                                                        \
        CHECK_TX(r, hash);                                                               \
        CHECK_EQ(mock_count("POST", (path)), 1);                                         \
        CHECK_RECORDED(hash, (needle));                                                  \
    } while (0)

/* Runs one read through the SDK and copies its body into out; fatal-free. */
typedef enum { RD_NATIVE, RD_TOKENS, RD_PROJECT_INV, RD_SECONDARY } rd_kind;
static int read_into(rd_kind kind, const char *addr, char *out, size_t cap) {
    rec_t *r = rec_new();
    XerialRequestId id = 0;
    switch (kind) {
    case RD_NATIVE: id = xerial_wallet_native_balance(addr, "polygon", rec_cb, r); break;
    case RD_TOKENS: id = xerial_wallet_token_balances(addr, "polygon", rec_cb, r); break;
    case RD_PROJECT_INV: id = xerial_wallet_project_inventory(addr, "polygon", NULL, rec_cb, r); break;
    case RD_SECONDARY: id = xerial_market_secondary_listings(NULL, "polygon", addr, rec_cb, r); break;
    }
    track(r, id);
    if (!id || !wait_rec(r, SLOW(10000)) || r->code != XERIAL_OK || !r->body) {
        snprintf(out, cap, "(read failed: %s)", th_code_str(r->code));
        return -1;
    }
    snprintf(out, cap, "%s", r->body);
    return 0;
}

/* ---- success and the state change ------------------------------------------------ */

void case_tx_primary_purchase(void) {
    char body[16384], hash[80] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"25\"}");
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 3, rec_cb, r)) != 0);
    AWAIT_TX(r, hash, PURCHASE_PATH, "primary-purchase");
    /* 3 × 0.5 left the balance; supply stays 13, minted 3 → 6; the buyer holds 3 more Fire Swords */
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"23.5\"}");
    rec_t *p = rec_new();
    REQUIRE(track(p, xerial_market_primary_listings(NULL, "polygon", rec_cb, p)) != 0);
    AWAIT(p);
    CHECK_OK(p);
    CHECK_HAS(p->body, "\"supply\":13");
    CHECK_HAS(p->body, "\"mintedTokens\":6");
    REQUIRE(read_into(RD_PROJECT_INV, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"quantity\":5");
    /* through the smart account too: the same wallet */
    rec_t *s = rec_new();
    REQUIRE(track(s, xerial_tx_primary_purchase(PLAYER_SA, "polygon", COLL, "2", 1, rec_cb, s)) != 0);
    AWAIT(s);
    CHECK_TX(s, hash);
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"22.5\"}");
    CLEANUP;
    xerial_shutdown();
}

void case_tx_transfer_nft(void) {
    char body[16384], hash[80] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(read_into(RD_PROJECT_INV, RIVAL, body, sizeof body) == 0);
    CHECK_LACKS(body, "\"tokenId\":\"1\"");
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1", RIVAL, rec_cb, r)) != 0);
    AWAIT_TX(r, hash, TX_PATH("/transfer-nft"), "transfer-nft");
    /* the NFT moved */
    REQUIRE(read_into(RD_PROJECT_INV, RIVAL, body, sizeof body) == 0);
    CHECK_HAS(body, "\"tokenId\":\"1\"");
    REQUIRE(read_into(RD_PROJECT_INV, PLAYER, body, sizeof body) == 0);
    CHECK_LACKS(body, "\"tokenId\":\"1\"");
    CHECK_HAS(body, "\"tokenId\":\"2\"");
    /* it is no longer the player's: the same transfer again is 412 */
    rec_t *again = rec_new();
    REQUIRE(track(again, xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1", RIVAL, rec_cb, again)) != 0);
    AWAIT(again);
    CHECK_HTTP_ERROR(again, XERIAL_E_PRECONDITION_FAILED, 412, "You Don't Have This NFT", 0);
    CLEANUP;
    xerial_shutdown();
}

void case_tx_transfer_token(void) {
    char body[4096], hash[80] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_tx_transfer_token(PLAYER, "polygon", USDC, "12.5", RIVAL, rec_cb, r)) != 0);
    AWAIT_TX(r, hash, TX_PATH("/transfer-token"), "transfer-token");
    REQUIRE(read_into(RD_TOKENS, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"usdc\":\"87.5\"");
    REQUIRE(read_into(RD_TOKENS, RIVAL, body, sizeof body) == 0);
    CHECK_HAS(body, "\"usdc\":\"32.5\"");
    CLEANUP;
    xerial_shutdown();
}

void case_tx_secondary_purchase(void) {
    char body[16384], hash[80] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(read_into(RD_SECONDARY, RIVAL, body, sizeof body) == 0);
    CHECK_HAS(body, "\"marketItemId\":\"38\"");
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_tx_secondary_purchase(PLAYER, "polygon", "38", rec_cb, r)) != 0);
    AWAIT_TX(r, hash, TX_PATH("/secondary-purchase"), "secondary-purchase");
    /* item 38 left the market, Fire Sword #4 is the player's, 0.75 moved */
    REQUIRE(read_into(RD_SECONDARY, RIVAL, body, sizeof body) == 0);
    CHECK_STREQ(body, "[]");
    REQUIRE(read_into(RD_PROJECT_INV, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"tokenId\":\"4\"");
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"24.25\"}");
    REQUIRE(read_into(RD_NATIVE, RIVAL, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"5.75\"}");
    /* bought already: 404 */
    rec_t *again = rec_new();
    REQUIRE(track(again, xerial_tx_secondary_purchase(PLAYER, "polygon", "38", rec_cb, again)) != 0);
    AWAIT(again);
    CHECK_HTTP_ERROR(again, XERIAL_E_NOT_FOUND, 404, "Market Item Not Found", 0);
    CLEANUP;
    xerial_shutdown();
}

void case_tx_list_delist(void) {
    char body[16384], hash[80] = "", item[32] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    rec_t *l = rec_new();
    REQUIRE(track(l, xerial_tx_list_nft(PLAYER, "polygon", COLL, "2", "3.25", rec_cb, l)) != 0);
    AWAIT_TX(l, hash, TX_PATH("/list-nft"), "list-nft");
    /* the listing is on the market, of this seller, and the NFT is in escrow */
    REQUIRE(read_into(RD_SECONDARY, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"tokenId\":\"2\"");
    CHECK_HAS(body, "\"price\":\"3.25\"");
    REQUIRE_MSG(json_string_field(body, "marketItemId", item, sizeof item) == 0 && item[0],
                "no marketItemId in %.300s", body);
    REQUIRE(read_into(RD_PROJECT_INV, PLAYER, body, sizeof body) == 0);
    CHECK_LACKS(body, "\"tokenId\":\"2\"");
    /* delist: off the market, back to the seller */
    rec_t *d = rec_new();
    REQUIRE(track(d, xerial_tx_delist_nft(PLAYER, "polygon", item, rec_cb, d)) != 0);
    AWAIT_TX(d, hash, TX_PATH("/delist-nft"), "delist-nft");
    REQUIRE(read_into(RD_SECONDARY, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "[]");
    REQUIRE(read_into(RD_PROJECT_INV, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"tokenId\":\"2\"");
    /* delisted already: 404; someone else's item: 412 */
    rec_t *again = rec_new(), *other = rec_new();
    REQUIRE(track(again, xerial_tx_delist_nft(PLAYER, "polygon", item, rec_cb, again)) != 0);
    REQUIRE(track(other, xerial_tx_delist_nft(PLAYER, "polygon", "38", rec_cb, other)) != 0);
    AWAIT(again);
    AWAIT(other);
    CHECK_HTTP_ERROR(again, XERIAL_E_NOT_FOUND, 404, "Market Item Not Found", 0);
    CHECK_HTTP_ERROR(other, XERIAL_E_PRECONDITION_FAILED, 412, "You Are Not The Seller", 0);
    REQUIRE(read_into(RD_SECONDARY, RIVAL, body, sizeof body) == 0);
    CHECK_HAS(body, "\"marketItemId\":\"38\"");
    CLEANUP;
    xerial_shutdown();
}

void case_tx_custom(void) {
    char hash[80] = "";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    rec_t *r = rec_new();
    REQUIRE(track(r, xerial_tx_custom(PLAYER, "polygon",
                                      "{\"type\":\"CONTRACT_EXECUTION\",\"to\":\"" COLL "\",\"functionName\":"
                                      "\"harnessMint\",\"value\":0,\"inputs\":[{\"type\":\"address\",\"value\":\"" PLAYER
                                      "\"}]}",
                                      rec_cb, r)) != 0);
    AWAIT_TX(r, hash, TX_PATH("/transaction"), "harnessMint");
    /* an ethers-style transaction is sent as given too */
    rec_t *e = rec_new();
    REQUIRE(track(e, xerial_tx_custom(PLAYER, "polygon", "{\"to\":\"" RIVAL "\",\"data\":\"0xfeedbeef\",\"value\":\"0\"}",
                                      rec_cb, e)) != 0);
    AWAIT(e);
    CHECK_TX(e, hash);
    CHECK_RECORDED(hash, "0xfeedbeef");
    /* the mock requires "to": its 400 is BAD_REQUEST */
    rec_t *b = rec_new();
    REQUIRE(track(b, xerial_tx_custom(PLAYER, "polygon", "{\"functionName\":\"x\"}", rec_cb, b)) != 0);
    AWAIT(b);
    CHECK_CODE(b->code, XERIAL_E_BAD_REQUEST);
    CHECK_EQ(b->http_status, 400);
    CHECK_EQ(b->retryable, 0);
    CHECK_EQ(mock_count("POST", TX_PATH("/transaction")), 3);
    CLEANUP;
    xerial_shutdown();
}

/* ---- the errors the mock plays ------------------------------------------------------ */

void case_tx_errors(void) {
    char body[4096];
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    static const struct {
        const char *what;
        int32_t code;
        int status;
        const char *message;
    } WANT[] = {
        {"transfer of the rival's #5", XERIAL_E_PRECONDITION_FAILED, 412, "You Don't Have This NFT"},
        {"transfer from the rival's wallet", XERIAL_E_FORBIDDEN, 403, "Forbidden"},
        {"purchase through the rival's smart account", XERIAL_E_FORBIDDEN, 403, "Forbidden"},
        {"transfer from an unknown wallet", XERIAL_E_NOT_FOUND, 404, "Wallet Not Found"},
        {"list from an unknown wallet", XERIAL_E_NOT_FOUND, 404, "Wallet Not Found"},
        {"purchase of more than the supply", XERIAL_E_PRECONDITION_FAILED, 412, "No Stock"},
        {"purchase of a type not in sale", XERIAL_E_PRECONDITION_FAILED, 412, "Not For Sale"},
        {"purchase of an unknown type", XERIAL_E_NOT_FOUND, 404, "Listing Not Found"},
        {"transfer of more usdc than held", XERIAL_E_PRECONDITION_FAILED, 412, "Insufficient Funds"},
        {"transfer of an unknown token", XERIAL_E_NOT_FOUND, 404, "Token Not Found"},
        {"secondary purchase of an unknown item", XERIAL_E_NOT_FOUND, 404, "Market Item Not Found"},
        {"list of an NFT not held", XERIAL_E_PRECONDITION_FAILED, 412, "You Don't Have This NFT"},
    };
    enum { N = sizeof WANT / sizeof WANT[0] };
    rec_t *r[N];
    for (int i = 0; i < N; i++) r[i] = rec_new();
    track(r[0], xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "5", RIVAL, rec_cb, r[0]));
    track(r[1], xerial_tx_transfer_nft(RIVAL, "polygon", COLL, "5", PLAYER, rec_cb, r[1]));
    track(r[2], xerial_tx_primary_purchase(RIVAL_SA, "polygon", COLL, "1", 1, rec_cb, r[2]));
    track(r[3], xerial_tx_transfer_nft(NOBODY, "polygon", COLL, "1", RIVAL, rec_cb, r[3]));
    track(r[4], xerial_tx_list_nft(NOBODY, "polygon", COLL, "1", "1", rec_cb, r[4]));
    track(r[5], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "2", 4, rec_cb, r[5]));
    track(r[6], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "3", 1, rec_cb, r[6]));
    track(r[7], xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "99", 1, rec_cb, r[7]));
    track(r[8], xerial_tx_transfer_token(PLAYER, "polygon", USDC, "100.5", RIVAL, rec_cb, r[8]));
    track(r[9], xerial_tx_transfer_token(PLAYER, "polygon", NOBODY, "1", RIVAL, rec_cb, r[9]));
    track(r[10], xerial_tx_secondary_purchase(PLAYER, "polygon", "999", rec_cb, r[10]));
    track(r[11], xerial_tx_list_nft(PLAYER, "polygon", COLL, "5", "1", rec_cb, r[11]));
    for (int i = 0; i < N; i++) {
        REQUIRE_MSG(r[i]->id != 0, "%s: id 0", WANT[i].what);
        AWAIT(r[i]);
        if (r[i]->code != WANT[i].code || r[i]->http_status != WANT[i].status)
            th_fail(__FILE__, __LINE__, "%s: %s http %d \"%s\", want %s %d \"%s\"", WANT[i].what,
                    th_code_str(r[i]->code), r[i]->http_status, r[i]->message ? r[i]->message : "",
                    th_code_str(WANT[i].code), WANT[i].status, WANT[i].message);
        CHECK_HTTP_ERROR(r[i], WANT[i].code, WANT[i].status, WANT[i].message, 0);
    }
    /* one request each: an answer is never repeated */
    CHECK_EQ(mock_count("POST", TX_PATH("/transfer-nft")), 1);
    CHECK_EQ(mock_count("POST", WALLET_PATH(RIVAL, "polygon", "/transfer-nft")), 1);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 3);
    CHECK_EQ(mock_count("POST", TX_PATH("/transfer-token")), 2);
    /* nothing changed hands */
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"25\"}");
    REQUIRE(read_into(RD_TOKENS, PLAYER, body, sizeof body) == 0);
    CHECK_HAS(body, "\"usdc\":\"100\"");
    /* insufficient funds for a purchase, set through the mock */
    REQUIRE(mock_balances("{\"address\":\"" PLAYER "\",\"chain\":\"polygon\",\"native\":\"0.25\"}") == 0);
    rec_t *f = rec_new(), *f2 = rec_new();
    REQUIRE(track(f, xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, f)) != 0);
    REQUIRE(track(f2, xerial_tx_secondary_purchase(PLAYER, "polygon", "38", rec_cb, f2)) != 0);
    AWAIT(f);
    AWAIT(f2);
    CHECK_HTTP_ERROR(f, XERIAL_E_PRECONDITION_FAILED, 412, "Insufficient Funds", 0);
    CHECK_HTTP_ERROR(f2, XERIAL_E_PRECONDITION_FAILED, 412, "Insufficient Funds", 0);
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"0.25\"}");
    CLEANUP;
    xerial_shutdown();
}

/* 405: a wallet logged in with a signature is not custodial; Xerial cannot sign for it. */
void case_tx_non_custodial(void) {
    const char *addr = "0x00000000000000000000000000000000000b0b01";
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    rec_t *n = rec_new();
    REQUIRE(track(n, xerial_request_nonce(addr, rec_cb, n)) != 0);
    AWAIT(n);
    CHECK_OK(n);
    rec_t *l = rec_new();
    REQUIRE(track(l, xerial_login_wallet(addr, "0xok-harness-b0b", rec_cb, l)) != 0);
    AWAIT(l);
    secrets_from_session();
    CHECK_ONCE(l);
    REQUIRE(l->code == XERIAL_OK);
    CHECK_EQ(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    rec_t *u = rec_new();
    REQUIRE(track(u, xerial_user_get(rec_cb, u)) != 0);
    AWAIT(u);
    CHECK_OK(u);
    CHECK_HAS(u->body, "\"custodial\":false");
    CHECK_HAS(u->body, "\"smartAccount\":null");
    rec_t *r[3];
    for (int i = 0; i < 3; i++) r[i] = rec_new();
    REQUIRE(track(r[0], xerial_tx_primary_purchase(addr, "polygon", COLL, "1", 1, rec_cb, r[0])) != 0);
    REQUIRE(track(r[1], xerial_tx_transfer_token(addr, "polygon", USDC, "1", RIVAL, rec_cb, r[1])) != 0);
    REQUIRE(track(r[2], xerial_tx_custom(addr, "polygon", "{\"to\":\"" RIVAL "\"}", rec_cb, r[2])) != 0);
    for (int i = 0; i < 3; i++) {
        AWAIT(r[i]);
        CHECK_HTTP_ERROR(r[i], XERIAL_E_NOT_SUPPORTED, 405, "This Method Is Not Supported For Non-Custodial Wallets", 0);
    }
    CLEANUP;
    xerial_shutdown();
}

/* Argument errors: named in the message, nothing sent. */
void case_tx_args(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    long before = mock_total();
    REQUIRE(before >= 0);
    const char *big = "115792089237316195423570985008687907853269984665640564039457584007913129639936"; /* 2^256 */
    struct {
        const char *prefix;
        rec_t *r;
    } T[32];
    int n = 0;
#define BAD(pfx_, call)                                                                    \
    do {                                                                                     \
        rec_t *r_ = rec_new();                                                               \
        track(r_, call);                                                                     \
        T[n].prefix = (pfx_);                                                              \
        T[n].r = r_;                                                                         \
        n++;                                                                                 \
    } while (0)
    BAD("token_id:", xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "01", RIVAL, rec_cb, r_));
    BAD("token_id:", xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "-1", RIVAL, rec_cb, r_));
    BAD("token_id:", xerial_tx_transfer_nft(PLAYER, "polygon", COLL, big, RIVAL, rec_cb, r_));
    BAD("token_id:", xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1.0", RIVAL, rec_cb, r_));
    BAD("to:", xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1", "0x12", rec_cb, r_));
    BAD("collection_address:", xerial_tx_transfer_nft(PLAYER, "polygon", "fire-sword", "1", RIVAL, rec_cb, r_));
    BAD("address:", xerial_tx_transfer_nft("0x", "polygon", COLL, "1", RIVAL, rec_cb, r_));
    BAD("chain:", xerial_tx_transfer_nft(PLAYER, "Polygon", COLL, "1", RIVAL, rec_cb, r_));
    BAD("amount:", xerial_tx_transfer_token(PLAYER, "polygon", USDC, "1.", RIVAL, rec_cb, r_));
    BAD("amount:", xerial_tx_transfer_token(PLAYER, "polygon", USDC, ".5", RIVAL, rec_cb, r_));
    BAD("amount:", xerial_tx_transfer_token(PLAYER, "polygon", USDC, "1e3", RIVAL, rec_cb, r_));
    BAD("amount:", xerial_tx_transfer_token(PLAYER, "polygon", USDC, "", RIVAL, rec_cb, r_));
    BAD("token_address:", xerial_tx_transfer_token(PLAYER, "polygon", "usdc", "1", RIVAL, rec_cb, r_));
    BAD("quantity:", xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 0, rec_cb, r_));
    BAD("type_id:", xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1.5", 1, rec_cb, r_));
    BAD("type_id:", xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "", 1, rec_cb, r_));
    BAD("market_item_id:", xerial_tx_secondary_purchase(PLAYER, "polygon", "038", rec_cb, r_));
    BAD("market_item_id:", xerial_tx_secondary_purchase(PLAYER, "polygon", "", rec_cb, r_));
    BAD("market_item_id", xerial_tx_delist_nft(PLAYER, "polygon", NULL, rec_cb, r_));
    BAD("market_item_id:", xerial_tx_delist_nft(PLAYER, "polygon", "x", rec_cb, r_));
    BAD("price:", xerial_tx_list_nft(PLAYER, "polygon", COLL, "1", "-3", rec_cb, r_));
    BAD("price:", xerial_tx_list_nft(PLAYER, "polygon", COLL, "1", "1.2.3", rec_cb, r_));
    BAD("token_id:", xerial_tx_list_nft(PLAYER, "polygon", COLL, "007", "1", rec_cb, r_));
    BAD("transaction_json:", xerial_tx_custom(PLAYER, "polygon", "[{\"to\":\"" RIVAL "\"}]", rec_cb, r_));
    BAD("transaction_json:", xerial_tx_custom(PLAYER, "polygon", "\"call\"", rec_cb, r_));
    BAD("transaction_json:", xerial_tx_custom(PLAYER, "polygon", "null", rec_cb, r_));
    BAD("transaction_json:", xerial_tx_custom(PLAYER, "polygon", "{\"to\":", rec_cb, r_));
    BAD("transaction_json", xerial_tx_custom(PLAYER, "polygon", NULL, rec_cb, r_));
    BAD("address:", xerial_tx_custom("nope", "polygon", "{}", rec_cb, r_));
#undef BAD
    for (int i = 0; i < n; i++) {
        CHECK_LOCAL(T[i].r, XERIAL_E_INVALID_ARGUMENT, T[i].prefix, -1);
        if (T[i].r->code != XERIAL_E_INVALID_ARGUMENT || !T[i].r->message ||
            strncmp(T[i].r->message, T[i].prefix, strlen(T[i].prefix)) != 0)
            printf("#   bad argument %d (%s): %s \"%s\"\n", i, T[i].prefix, th_code_str(T[i].r->code),
                   T[i].r->message ? T[i].r->message : "");
    }
    CHECK_EQ(mock_total(), before);
    /* the largest uint256 is fine: sent, and the mock does not have that token */
    rec_t *max = rec_new();
    REQUIRE(track(max, xerial_tx_transfer_nft(PLAYER, "polygon", COLL,
                                              "115792089237316195423570985008687907853269984665640564039457584007913129639935",
                                              RIVAL, rec_cb, max)) != 0);
    AWAIT(max);
    CHECK_MSG(max->http_status != 0, "2^256-1 was refused locally: %s \"%s\"", th_code_str(max->code),
              max->message ? max->message : "");
    CLEANUP;
    xerial_shutdown();
}

/* ---- never retried ---------------------------------------------------------------------- */

static XerialRequestId issue_tx(int which, rec_t *r) {
    switch (which) {
    case 0: return xerial_tx_transfer_nft(PLAYER, "polygon", COLL, "1", RIVAL, rec_cb, r);
    case 1: return xerial_tx_transfer_token(PLAYER, "polygon", USDC, "1", RIVAL, rec_cb, r);
    case 2: return xerial_tx_primary_purchase(PLAYER, "polygon", COLL, "1", 1, rec_cb, r);
    case 3: return xerial_tx_secondary_purchase(PLAYER, "polygon", "38", rec_cb, r);
    case 4: return xerial_tx_list_nft(PLAYER, "polygon", COLL, "2", "1", rec_cb, r);
    case 5: return xerial_tx_delist_nft(PLAYER, "polygon", "38", rec_cb, r);
    default: return xerial_tx_custom(PLAYER, "polygon", "{\"to\":\"" RIVAL "\"}", rec_cb, r);
    }
}
static const char *const TX_PATHS[7] = {
    TX_PATH("/transfer-nft"), TX_PATH("/transfer-token"), TX_PATH("/primary-purchase"), TX_PATH("/secondary-purchase"),
    TX_PATH("/list-nft"),     TX_PATH("/delist-nft"),     TX_PATH("/transaction"),
};

void case_tx_never_retry(void) {
    char body[4096];
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    /* a dropped connection after sending: OUTCOME_UNKNOWN, one request, for all seven */
    for (int i = 0; i < 7; i++) REQUIRE(fault_on("POST", TX_PATHS[i], 0, "{\"kind\":\"drop\"}") == 0);
    rec_t *d[7];
    for (int i = 0; i < 7; i++) {
        d[i] = rec_new();
        REQUIRE(track(d[i], issue_tx(i, d[i])) != 0);
    }
    for (int i = 0; i < 7; i++) {
        AWAIT(d[i]);
        CHECK_MSG(d[i]->code == XERIAL_E_OUTCOME_UNKNOWN, "%s dropped: %s, want OUTCOME_UNKNOWN", TX_PATHS[i],
                  th_code_str(d[i]->code));
        CHECK_MSG(d[i]->retryable == 0, "%s dropped: retryable 1", TX_PATHS[i]);
        CHECK_MSG(d[i]->http_status == 0, "%s dropped: http_status %d", TX_PATHS[i], d[i]->http_status);
        CHECK_MSG(d[i]->message && d[i]->message[0], "%s dropped: empty message", TX_PATHS[i]);
        CHECK_STREQ(d[i]->body, "");
        long n = mock_count("POST", TX_PATHS[i]);
        CHECK_SENT_ONCE(n, TX_PATHS[i]);
    }
    REQUIRE(mock_clear_faults() == 0);
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"25\"}");
    /* a truncated answer: OUTCOME_UNKNOWN, one request */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", PURCHASE_PATH, 1, "{\"kind\":\"truncate\"}") == 0);
    rec_t *t = rec_new();
    REQUIRE(track(t, issue_tx(2, t)) != 0);
    AWAIT(t);
    CHECK_CODE(t->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_EQ(t->retryable, 0);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 1);
    /* a 503 is an answer: SERVER, not retryable (it may have run), one request */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", PURCHASE_PATH, 0,
                     "{\"kind\":\"status\",\"status\":503,\"body\":{\"code\":503,\"message\":\"Unavailable\"}}") == 0);
    rec_t *s = rec_new();
    REQUIRE(track(s, issue_tx(2, s)) != 0);
    AWAIT(s);
    CHECK_HTTP_ERROR(s, XERIAL_E_SERVER, 503, "Unavailable", 0);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 1);
    REQUIRE(mock_clear_faults() == 0);
    /* 429: nothing ran for sure — RATE_LIMITED, retryable 1, Retry-After, still one request */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", PURCHASE_PATH, 0,
                     "{\"kind\":\"status\",\"status\":429,\"retryAfter\":1,\"body\":{\"code\":429,\"message\":\"Slow Down\"}}") == 0);
    rec_t *q = rec_new();
    REQUIRE(track(q, issue_tx(2, q)) != 0);
    AWAIT(q);
    CHECK_HTTP_ERROR(q, XERIAL_E_RATE_LIMITED, 429, "Slow Down", 1);
    CHECK_EQ(q->retry_after_ms, SEEN_RETRY_AFTER(1000));
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 1);
    REQUIRE(mock_clear_faults() == 0);
    /* a 401 proves it did not run: one refresh, then sent once more */
    REQUIRE(mock_clear_requests() == 0);
    REQUIRE(fault_on("POST", PURCHASE_PATH, 1,
                     "{\"kind\":\"status\",\"status\":401,\"body\":{\"code\":401,\"message\":\"Please Authenticate\"}}") == 0);
    rec_t *a = rec_new();
    REQUIRE(track(a, issue_tx(2, a)) != 0);
    AWAIT(a);
    secrets_from_session();
    CHECK_ONCE(a);
    CHECK_TX(a, body);
    CHECK_EQ(mock_count("POST", REFRESH_PATH), 1);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 2);
    REQUIRE(read_into(RD_NATIVE, PLAYER, body, sizeof body) == 0);
    CHECK_STREQ(body, "{\"balance\":\"24.5\"}"); /* bought exactly once */
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}

/* A lost answer after the deadline, a cancel and a shutdown after sending: OUTCOME_UNKNOWN. */
void case_tx_outcome_unknown(void) {
    REQUIRE(sdk_init_world(XERIAL_DISPATCH_POLL, (uint32_t)SLOW(800)) == XERIAL_OK);
    REQUIRE(player_session(NULL) == 0);
    REQUIRE(fault_on("POST", PURCHASE_PATH, 0, "{\"kind\":\"hang\",\"maxMs\":20000}") == 0);
    /* the deadline passes while waiting */
    rec_t *h = rec_new();
    REQUIRE(track(h, issue_tx(2, h)) != 0);
    AWAIT(h);
    CHECK_CODE(h->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_EQ(h->retryable, 0);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 1);
    /* cancelled once sent: cancel says OK, the callback says OUTCOME_UNKNOWN */
    rec_t *c = rec_new();
    REQUIRE(track(c, issue_tx(2, c)) != 0);
    REQUIRE_MSG(wait_mock_count(PURCHASE_PATH, 2, SLOW(5000)), "the purchase was not sent");
    CHECK_CODE(xerial_cancel(c->id), XERIAL_OK);
    AWAIT(c);
    CHECK_CODE(c->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_EQ(c->retryable, 0);
    /* in flight at shutdown: OUTCOME_UNKNOWN, delivered by xerial_shutdown */
    rec_t *s = rec_new();
    REQUIRE(track(s, issue_tx(2, s)) != 0);
    REQUIRE_MSG(wait_mock_count(PURCHASE_PATH, 3, SLOW(5000)), "the purchase was not sent");
    CHECK_CODE(xerial_shutdown(), XERIAL_OK);
    CHECK_ONCE(s);
    CHECK_CODE(s->code, XERIAL_E_OUTCOME_UNKNOWN);
    CHECK_EQ(s->retryable, 0);
    CHECK_EQ(mock_count("POST", PURCHASE_PATH), 3);
    CLEANUP;
    xerial_shutdown();
    mock_clear_faults();
}
