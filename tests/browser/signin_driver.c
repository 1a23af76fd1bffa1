/* The game side of the browser sign-in tests (tests/browser/signin.test.mjs): a C program that
 * uses the SDK only through its C ABI, like a game would, polling once per "frame" (5 ms).
 *
 *   signin_driver BASE_URL AUTHORIZE_URL TOKEN_URL PROJECT_ID
 *
 * Commands on stdin, one per line:
 *   google CLIENT_ID CLIENT_SECRET|- TIMEOUT_MS [REDIRECT_URI]
 *                                                  start a Google sign-in (the SDK's loopback
 *                                                  listener, or the game's own redirect URI)
 *   wallet TIMEOUT_MS                              start a browser-wallet sign-in
 *   cancel ID | complete URL | user | shutdown | quit
 * Lines on stdout: READY, STARTED <id>, URL <id> <url> (the sign-in's open_url),
 * RESULT <id> <code name> <http status> <message>, CANCEL <code name>, COMPLETE <code name>,
 * USER <code name> <body>, SHUTDOWN <code name>, BYE. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xerial.h"

static void on_open_url(void *user_data, const char *url) {
    printf("URL %llu %s\n", (unsigned long long)(uintptr_t)user_data, url);
    fflush(stdout);
}

static void on_result(void *user_data, const XerialResult *r) {
    (void)user_data;
    printf("RESULT %llu %s %d %s\n", (unsigned long long)r->request_id, xerial_code_name(r->code),
           r->http_status, r->message);
    fflush(stdout);
}

static void on_user(void *user_data, const XerialResult *r) {
    (void)user_data;
    printf("USER %s %s\n", xerial_code_name(r->code), r->code == XERIAL_OK ? r->body : r->message);
    fflush(stdout);
}

/* Starts a sign-in; its id is also open_url's user_data, so URL lines name their sign-in. */
static void start(int32_t method, const char *client_id, const char *client_secret,
                  const char *redirect_uri, uint64_t timeout_ms) {
    static uint64_t next_tag = 1;
    XerialSignInOptions options;
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.method = method;
    options.client_id = client_id;
    options.client_secret = client_secret;
    options.redirect_uri = redirect_uri;
    options.timeout_ms = timeout_ms;
    options.open_url = on_open_url;
    /* The id is not known before the call: tag the URL with the order of the start instead,
     * which the driver prints next to the id. */
    options.open_url_user_data = (void *)(uintptr_t)next_tag;
    XerialRequestId id = xerial_signin_start(&options, on_result, NULL);
    printf("STARTED %llu %llu\n", (unsigned long long)id, (unsigned long long)next_tag++);
    fflush(stdout);
}

static int run_command(char *line) {
    char *command = strtok(line, " ");
    if (command == NULL) return 1;
    if (strcmp(command, "google") == 0) {
        char *client_id = strtok(NULL, " "), *secret = strtok(NULL, " "), *timeout = strtok(NULL, " ");
        char *redirect_uri = strtok(NULL, " ");
        if (client_id == NULL || secret == NULL || timeout == NULL) return 1;
        start(XERIAL_SIGNIN_GOOGLE, client_id, strcmp(secret, "-") == 0 ? NULL : secret,
              redirect_uri, strtoull(timeout, NULL, 10));
    } else if (strcmp(command, "wallet") == 0) {
        char *timeout = strtok(NULL, " ");
        start(XERIAL_SIGNIN_BROWSER_WALLET, NULL, NULL, NULL,
              timeout ? strtoull(timeout, NULL, 10) : 0);
    } else if (strcmp(command, "cancel") == 0) {
        char *id = strtok(NULL, " ");
        printf("CANCEL %s\n", xerial_code_name(xerial_cancel(id ? strtoull(id, NULL, 10) : 0)));
    } else if (strcmp(command, "complete") == 0) {
        char *url = strtok(NULL, " ");
        printf("COMPLETE %s\n", xerial_code_name(xerial_signin_complete(url)));
    } else if (strcmp(command, "user") == 0) {
        xerial_user_get(on_user, NULL);
    } else if (strcmp(command, "shutdown") == 0) {
        printf("SHUTDOWN %s\n", xerial_code_name(xerial_shutdown()));
    } else if (strcmp(command, "quit") == 0) {
        return 0;
    } else {
        printf("UNKNOWN %s\n", command);
    }
    fflush(stdout);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s BASE_URL AUTHORIZE_URL TOKEN_URL PROJECT_ID\n", argv[0]);
        return 2;
    }
    XerialConfig config;
    xerial_config_init(&config, sizeof config);
    config.base_url = argv[1];
    config.oauth_authorize_url = argv[2];
    config.oauth_token_url = argv[3];
    config.project_id = argv[4];
    /* Each test starts a new game: a session kept by the OS's store would carry one test's
       sign-in into the next (and into the machine's real keyring). */
    config.session_store = XERIAL_SESSION_STORE_MEMORY;
    int32_t code = xerial_init(&config);
    printf("%s %s\n", code == XERIAL_OK ? "READY" : "INIT", xerial_code_name(code));
    fflush(stdout);
    if (code != XERIAL_OK) return 1;

    char buffer[70000];
    size_t used = 0;
    int running = 1;
    while (running) {
        xerial_poll(0);
        struct pollfd input = {.fd = 0, .events = POLLIN};
        int ready = poll(&input, 1, 5);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        ssize_t got = read(0, buffer + used, sizeof buffer - 1 - used);
        if (got <= 0) break; /* stdin closed: the test is gone */
        used += (size_t)got;
        buffer[used] = '\0';
        char *newline;
        while (running && (newline = strchr(buffer, '\n')) != NULL) {
            *newline = '\0';
            running = run_command(buffer);
            size_t consumed = (size_t)(newline - buffer) + 1;
            memmove(buffer, newline + 1, used - consumed + 1);
            used -= consumed;
        }
        if (used == sizeof buffer - 1) break; /* a line longer than any command */
    }
    xerial_shutdown();
    printf("BYE\n");
    fflush(stdout);
    return 0;
}
