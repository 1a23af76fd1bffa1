/* benches/c/transport.c - the host-transport path beside the built-in one (issue 15).
 *
 *   transport MOCK_URL MODE ENDPOINT IN_FLIGHT REQUESTS
 *
 * MODE: builtin (reqwest on the SDK's worker), curl (a host transport in C over libcurl multi,
 * tests/harness/curl/transport_curl.c, answering from its own thread), curl-poll (the same with
 * XERIAL_RUN_IN_POLL: no SDK thread, everything inside xerial_poll). ENDPOINT: logout (POST ->
 * 404) or get (GET balance -> 200). Keeps IN_FLIGHT requests outstanding, REQUESTS in all, with
 * poll dispatch and this thread calling xerial_poll(0) in a loop (as a game's frame loop would,
 * only without frames). Prints `R host.<mode>.<endpoint>.<in_flight>.{rps,p50_us,p99_us} X`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curl/transport_curl.h"
#include "xerial.h"

#define PLAYER "0x8e9DD3c1Db3254d968967CbC367542C343273629"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int g_get, g_issued, g_done, g_total, g_errors;
static double *g_started, *g_latency;

static void issue(void);

static void on_done(void *user_data, const XerialResult *result) {
    int i = (int)(size_t)user_data;
    g_latency[i] = now_us() - g_started[i];
    int want = g_get ? XERIAL_OK : XERIAL_E_NOT_FOUND;
    if (result->code != want) g_errors++;
    g_done++;
    if (g_issued < g_total) issue();
}

static void issue(void) {
    int i = g_issued++;
    g_started[i] = now_us();
    void *slot = (void *)(size_t)i;
    XerialRequestId id = g_get ? xerial_wallet_native_balance(PLAYER, "polygon", on_done, slot)
                               : xerial_logout("bench-unknown-token", on_done, slot);
    if (id == 0) {
        fprintf(stderr, "transport: a call returned 0\n");
        exit(1);
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: transport MOCK_URL builtin|curl|curl-poll logout|get IN_FLIGHT REQUESTS\n");
        return 2;
    }
    const char *mode = argv[2];
    g_get = strcmp(argv[3], "get") == 0;
    int in_flight = atoi(argv[4]);
    g_total = atoi(argv[5]);
    if (in_flight < 1 || g_total < in_flight) return 2;
    g_started = calloc((size_t)g_total, sizeof *g_started);
    g_latency = calloc((size_t)g_total, sizeof *g_latency);
    if (!g_started || !g_latency) return 1;

    XerialConfig config;
    xerial_config_init(&config, sizeof config);
    config.base_url = argv[1];
    config.max_retries = 0;
    if (strcmp(mode, "builtin") != 0) {
        config.transport = curl_transport_start();
        if (!config.transport) return 1;
        if (strcmp(mode, "curl-poll") == 0) config.run_mode = XERIAL_RUN_IN_POLL;
    }
    if (xerial_init(&config) != XERIAL_OK) {
        fprintf(stderr, "transport: init failed for %s\n", mode);
        return 1;
    }
    /* warm-up: connections opened, caches filled (not counted) */
    int total = g_total;
    g_total = in_flight;
    for (int i = 0; i < in_flight; i++) issue();
    while (g_done < g_total) xerial_poll(0);
    g_total = total;
    g_issued = g_done = g_errors = 0;

    double t0 = now_us();
    for (int i = 0; i < in_flight; i++) issue();
    while (g_done < g_total) xerial_poll(0);
    double seconds = (now_us() - t0) / 1e6;
    xerial_shutdown();
    curl_transport_stop();

    qsort(g_latency, (size_t)g_total, sizeof *g_latency, by_value);
    const char *ep = g_get ? "get" : "logout";
    printf("R host.%s.%s.%d.rps %.0f\n", mode, ep, in_flight, g_total / seconds);
    printf("R host.%s.%s.%d.p50_us %.1f\n", mode, ep, in_flight, g_latency[g_total / 2]);
    printf("R host.%s.%s.%d.p99_us %.1f\n", mode, ep, in_flight, g_latency[(int)(g_total * 0.99)]);
    free(g_started);
    free(g_latency);
    if (g_errors) fprintf(stderr, "transport: %d unexpected results\n", g_errors);
    return g_errors ? 1 : 0;
}
