/* inspector_game.c - a tiny "game" for the inspector's browser test: it drives the SDK through
 * the C ABI exactly as an engine would (poll dispatch on its own thread), against xerial-mock.
 *
 *   inspector_game MOCK_URL WALLET_ADDRESS
 *
 * It logs the demo player in (the mock's offline Google convention, "google-ok"), then runs the
 * demo's calls: the player's user, the primary listings, the wallet's native balance, a primary
 * purchase of one Fire Sword and the balance again. Then it reads commands, one a line, from
 * stdin: balance | user | purchase | session | quit.
 *
 * Every result is one stdout line, tab-separated: STEP CODE_NAME HTTP_STATUS BODY MESSAGE.
 * `session` prints "session\tXERIAL_OK\t0\t<token pair JSON>\t": the test owns those tokens and
 * checks that the inspector page never shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xerial.h"

#define DEMO_PROJECT "6564b4f3fa203b318f65da05"
#define GEAR "0xC011EC7100000000000000000000000000000001"
#define WAIT_MS 20000

static const char *g_address;

typedef struct {
    int done;
    const char *step;
} call_t;

static void one_line(const char *text) {
    for (const char *p = text; *p; p++) putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
}

static void on_result(void *user_data, const XerialResult *result) {
    call_t *call = user_data;
    printf("%s\t%s\t%d\t", call->step, xerial_code_name(result->code), (int)result->http_status);
    one_line(result->body);
    putchar('\t');
    one_line(result->message);
    putchar('\n');
    fflush(stdout);
    call->done = 1;
}

/* Polls, as a game's frame loop would, until the callback ran (or WAIT_MS passed). */
static void wait_for(call_t *call, XerialRequestId id) {
    if (id == 0) {
        printf("%s\tNO_REQUEST\t0\t\t\n", call->step);
        fflush(stdout);
        return;
    }
    struct timespec frame = {0, 5 * 1000 * 1000};
    for (int waited = 0; !call->done && waited < WAIT_MS; waited += 5) {
        xerial_poll(0);
        if (!call->done) nanosleep(&frame, NULL);
    }
    if (!call->done) {
        printf("%s\tNO_CALLBACK\t0\t\t\n", call->step);
        fflush(stdout);
    }
}

static void print_session(void) {
    char buf[8192];
    size_t len = 0;
    int32_t code = xerial_session_get(buf, sizeof buf, &len);
    printf("session\t%s\t0\t%s\t\n", xerial_code_name(code), code == XERIAL_OK ? buf : "");
    fflush(stdout);
}

static void run(const char *step) {
    call_t call = {0, step};
    XerialRequestId id = 0;
    if (strcmp(step, "login") == 0) {
        id = xerial_login_google("google-ok", "inspector-test-client", on_result, &call);
    } else if (strcmp(step, "user") == 0) {
        id = xerial_user_get(on_result, &call);
    } else if (strcmp(step, "listings") == 0) {
        id = xerial_market_primary_listings(NULL, "polygon", on_result, &call);
    } else if (strcmp(step, "balance") == 0) {
        id = xerial_wallet_native_balance(g_address, "polygon", on_result, &call);
    } else if (strcmp(step, "purchase") == 0) {
        id = xerial_tx_primary_purchase(g_address, "polygon", GEAR, "1", 1, on_result, &call);
    } else if (strcmp(step, "session") == 0) {
        print_session();
        return;
    } else {
        printf("%s\tUNKNOWN_COMMAND\t0\t\t\n", step);
        fflush(stdout);
        return;
    }
    wait_for(&call, id);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MOCK_URL WALLET_ADDRESS\n", argv[0]);
        return 2;
    }
    g_address = argv[2];
    XerialConfig cfg;
    int32_t code = xerial_config_init(&cfg, sizeof cfg);
    if (code != XERIAL_OK) {
        printf("config\t%s\t0\t\t\n", xerial_code_name(code));
        return 1;
    }
    cfg.base_url = argv[1];
    cfg.marketplace_url = argv[1];
    cfg.project_id = DEMO_PROJECT;
    cfg.timeout_ms = 3000; /* a hang fault becomes XERIAL_E_TIMEOUT quickly */
    cfg.max_retries = 2;
    cfg.session_store = XERIAL_SESSION_STORE_MEMORY; /* no session left in the machine's store */
    code = xerial_init(&cfg);
    if (code != XERIAL_OK) {
        printf("init\t%s\t0\t\t\n", xerial_code_name(code));
        return 1;
    }
    const char *demo[] = {"login", "session", "user", "listings", "balance", "purchase", "balance"};
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) run(demo[i]);
    printf("ready\tXERIAL_OK\t0\t\t\n");
    fflush(stdout);

    char line[128];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "quit") == 0) break;
        if (line[0] != '\0') run(line);
    }
    xerial_shutdown();
    return 0;
}
