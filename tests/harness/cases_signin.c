/* cases_signin.c - sign-in in the system browser (abi.md §9) through the C ABI, with this program
 * as the player's browser over plain HTTP: the offline server's Google consent page, and the
 * SDK's wallet page (its steps posted as the page's script posts them, with the mock's "0xok"
 * signature). Also run under valgrind. The same flows in headless Chromium: tests/browser. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cases.h"
#include "world.h"

#define CLIENT_ID "1234-test.apps.googleusercontent.com"

static char g_opened_url[4096];
static atomic_int g_opened;

static void on_open_url(void *user_data, const char *url) {
    (void)user_data;
    snprintf(g_opened_url, sizeof g_opened_url, "%s", url);
    atomic_store(&g_opened, 1);
}

/* Polls until the sign-in asked to open its URL. */
static int wait_opened(void) {
    int64_t end = now_ms() + SLOW(10000);
    while (!atomic_load(&g_opened) && now_ms() < end) {
        th_poll(0);
        sleep_ms(1);
    }
    return atomic_load(&g_opened);
}

static void options(XerialSignInOptions *o, int32_t method) {
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->method = method;
    o->client_id = method == XERIAL_SIGNIN_GOOGLE ? CLIENT_ID : NULL;
    o->open_url = on_open_url;
    atomic_store(&g_opened, 0);
    g_opened_url[0] = '\0';
}

static int32_t init_signin(void) {
    static char authorize[512], token[512];
    snprintf(authorize, sizeof authorize, "%s/oauth/authorize", g_base_url);
    snprintf(token, sizeof token, "%s/oauth/token", g_base_url);
    XerialConfig cfg;
    cfg_world(&cfg, XERIAL_DISPATCH_POLL, 10000);
    cfg.oauth_authorize_url = authorize;
    cfg.oauth_token_url = token;
    return sdk_init_cfg(&cfg);
}

/* The port of "http://127.0.0.1:PORT/…", 0 if none. */
static int port_of(const char *url) {
    int port = 0;
    return sscanf(url, "http://127.0.0.1:%d", &port) == 1 ? port : 0;
}

/* One HTTP/1.1 exchange with 127.0.0.1, as a browser makes it. `headers` are extra lines (each
 * ending in \r\n). Fills status, the Location header (location may be NULL) and the body. 0 when
 * an answer was read, -1 when the connection was refused or broke. */
static int browse(const char *method, const char *url, const char *headers, const char *body, int *status,
                  char *location, size_t location_cap, char *resp, size_t cap) {
    int port = port_of(url);
    const char *path = port ? strchr(url + strlen("http://"), '/') : NULL;
    if (!path) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    char req[8192];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     method, path, port, headers ? headers : "", body ? strlen(body) : 0, body ? body : "");
    if (n < 0 || (size_t)n >= sizeof req || send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        close(fd);
        return -1;
    }
    static char raw[65536];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof raw - 1 && (r = recv(fd, raw + got, sizeof raw - 1 - got, 0)) > 0) got += (size_t)r;
    close(fd);
    raw[got] = '\0';
    if (sscanf(raw, "HTTP/1.%*d %d", status) != 1) return -1;
    char *end = strstr(raw, "\r\n\r\n");
    if (location) {
        location[0] = '\0';
        char *l = strstr(raw, "\r\nlocation: ");
        if (!l) l = strstr(raw, "\r\nLocation: ");
        if (l && (!end || l < end)) sscanf(l + 12, "%4095s", location);
        (void)location_cap;
    }
    if (resp) snprintf(resp, cap, "%s", end ? end + 4 : "");
    return 0;
}

/* The value after `marker` in `html`, up to the next quote. */
static void value_after(const char *html, const char *marker, char *out, size_t cap) {
    const char *at = strstr(html, marker);
    out[0] = '\0';
    if (!at) return;
    at += strlen(marker);
    size_t n = strcspn(at, "\"");
    if (n >= cap) n = cap - 1;
    memcpy(out, at, n);
    out[n] = '\0';
}

/* The player clicks Allow on the consent page of `url`: the redirect the server answers with. */
static int allow(const char *url, char *redirect, size_t cap) {
    static char page[65536];
    int st = 0;
    if (browse("GET", url, NULL, NULL, &st, NULL, 0, page, sizeof page) != 0 || st != 200) return -1;
    char request[256], account[256], form[1024], action[512];
    value_after(page, "name=\"request\" value=\"", request, sizeof request);
    value_after(page, "id=\"account-0\" value=\"", account, sizeof account);
    char *at = strchr(account, '@'); /* the only character of the demo e-mail a form must encode */
    if (at) { memmove(at + 3, at + 1, strlen(at + 1) + 1); memcpy(at, "%40", 3); }
    snprintf(form, sizeof form, "request=%s&decision=allow&account=%s", request, account);
    snprintf(action, sizeof action, "%s/oauth/authorize", g_base_url);
    if (browse("POST", action, "Content-Type: application/x-www-form-urlencoded\r\n", form, &st, redirect, cap, NULL, 0) != 0)
        return -1;
    return st == 302 && redirect[0] ? 0 : -1;
}

void case_signin_google(void) {
    REQUIRE(init_signin() == XERIAL_OK);
    rec_t *r = rec_new();
    XerialSignInOptions o;
    options(&o, XERIAL_SIGNIN_GOOGLE);
    track(r, xerial_signin_start(&o, rec_cb, r));
    REQUIRE_MSG(wait_opened(), "open_url ran inside xerial_poll");
    CHECK(strncmp(g_opened_url, g_base_url, strlen(g_base_url)) == 0);
    CHECK(strstr(g_opened_url, "code_challenge_method=S256") != NULL);
    char redirect[4096];
    static char page[8192];
    int st = 0;
    REQUIRE(allow(g_opened_url, redirect, sizeof redirect) == 0);
    CHECK(browse("GET", redirect, NULL, NULL, &st, NULL, 0, page, sizeof page) == 0);
    CHECK_EQ(st, 200);
    CHECK_HAS(page, "You are signed in");
    AWAIT(r);
    CHECK_OK(r);
    CHECK_HAS(r->body, "\"accessExpires\"");
    CHECK_CODE(xerial_auth_state(), XERIAL_AUTH_LOGGED_IN);
    rec_t *user = rec_new();
    track(user, xerial_user_get(rec_cb, user));
    AWAIT(user);
    CHECK_OK(user);
    CHECK_EQ(browse("GET", redirect, NULL, NULL, &st, NULL, 0, NULL, 0), -1); /* the listener closed */
    CLEANUP;
}

void case_signin_wallet_page(void) {
    REQUIRE(init_signin() == XERIAL_OK);
    rec_t *r = rec_new();
    XerialSignInOptions o;
    options(&o, XERIAL_SIGNIN_BROWSER_WALLET);
    track(r, xerial_signin_start(&o, rec_cb, r));
    REQUIRE(wait_opened());
    static char page[16384];
    char step[4200], origin[64], headers[256];
    int st = 0;
    CHECK(browse("GET", g_opened_url, NULL, NULL, &st, NULL, 0, page, sizeof page) == 0 && st == 200);
    CHECK_HAS(page, "personal_sign");
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port_of(g_opened_url));
    snprintf(headers, sizeof headers, "Origin: %s\r\nContent-Type: application/json\r\n", origin);
    snprintf(step, sizeof step, "%ssignature", g_opened_url);
    CHECK(browse("POST", step, headers, "{\"signature\":\"0xok\"}", &st, NULL, 0, NULL, 0) == 0);
    CHECK_EQ(st, 404); /* before the address: out of order */
    snprintf(step, sizeof step, "%saddress", g_opened_url);
    CHECK(browse("POST", step, "Origin: http://evil.example\r\nContent-Type: application/json\r\n",
                 "{\"address\":\"" RIVAL "\"}", &st, NULL, 0, NULL, 0) == 0);
    CHECK_EQ(st, 403); /* another origin */
    CHECK(browse("POST", step, headers, "{\"address\":\"" RIVAL "\"}", &st, NULL, 0, page, sizeof page) == 0);
    CHECK_EQ(st, 200);
    CHECK_HAS(page, "\"nonce\"");
    snprintf(step, sizeof step, "%ssignature", g_opened_url);
    CHECK(browse("POST", step, headers, "{\"signature\":\"0xok-harness\"}", &st, NULL, 0, page, sizeof page) == 0);
    CHECK_HAS(page, "{\"ok\":true}");
    AWAIT(r);
    CHECK_OK(r);
    CLEANUP;
}

void case_signin_refusals(void) {
    XerialSignInOptions o;
    options(&o, XERIAL_SIGNIN_GOOGLE);
    CHECK_CODE(xerial_signin_complete("com.example.game:/cb?code=x&state=y"), XERIAL_E_NOT_INITIALIZED);
    CHECK_EQ(xerial_signin_start(&o, rec_cb, rec_new()), 0u); /* not initialised: no request */
    REQUIRE(init_signin() == XERIAL_OK);
    struct { const char *field; XerialSignInOptions o; int null_options; } bad[4];
    for (int i = 0; i < 4; i++) { bad[i].o = o; bad[i].null_options = 0; }
    bad[0].field = "options: ", bad[0].null_options = 1;
    bad[1].field = "struct_size: ", bad[1].o.struct_size = 4;
    bad[2].field = "method: ", bad[2].o.method = 7;
    bad[3].field = "client_id: ", bad[3].o.client_id = "";
    for (int i = 0; i < 4; i++) {
        rec_t *r = rec_new();
        track(r, xerial_signin_start(bad[i].null_options ? NULL : &bad[i].o, rec_cb, r));
        AWAIT(r);
        CHECK_CODE(r->code, XERIAL_E_INVALID_ARGUMENT);
        CHECK_MSG(strncmp(r->message, bad[i].field, strlen(bad[i].field)) == 0, "%s", r->message);
    }
    CHECK(!atomic_load(&g_opened));
    CHECK_CODE(xerial_signin_complete("com.example.game:/cb?code=x&state=y"), XERIAL_E_NOT_FOUND);
    CHECK_CODE(xerial_signin_complete(NULL), XERIAL_E_INVALID_ARGUMENT);

    rec_t *waiting = rec_new(), *second = rec_new();
    track(waiting, xerial_signin_start(&o, rec_cb, waiting));
    REQUIRE(wait_opened());
    track(second, xerial_signin_start(&o, rec_cb, second));
    AWAIT(second);
    CHECK_CODE(second->code, XERIAL_E_INVALID_ARGUMENT);
    CHECK_HAS(second->message, "a sign-in is already waiting");
    /* The listener: its port, from the redirect URI in the URL (percent-encoded). */
    const char *r = strstr(g_opened_url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A");
    REQUIRE(r != NULL);
    char listener[64];
    snprintf(listener, sizeof listener, "http://127.0.0.1:%d/callback?code=x", atoi(r + strlen("redirect_uri=http%3A%2F%2F127.0.0.1%3A")));
    int st = 0;
    CHECK(browse("GET", listener, NULL, NULL, &st, NULL, 0, NULL, 0) == 0);
    CHECK_EQ(st, 404); /* no secret: refused, the sign-in goes on */
    CHECK_EQ(atomic_load(&waiting->calls), 0);
    CHECK_CODE(xerial_cancel(waiting->id), XERIAL_OK);
    AWAIT(waiting);
    CHECK_CODE(waiting->code, XERIAL_E_CANCELLED);
    int64_t end = now_ms() + SLOW(5000);
    while (browse("GET", listener, NULL, NULL, &st, NULL, 0, NULL, 0) == 0 && now_ms() < end) sleep_ms(5);
    CHECK_MSG(browse("GET", listener, NULL, NULL, &st, NULL, 0, NULL, 0) == -1, "the listener closed after cancel");
    CLEANUP;
}
