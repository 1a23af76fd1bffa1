/* The libcurl multi-interface client of the Xerial benchmark suite (issue 7).
 *
 * What a C++ engine programmer would write without the SDK: one thread, one CURLM, N easy
 * handles kept busy (each is re-added as soon as its transfer completes, so its connection is
 * reused from the multi handle's cache). Same requests as the SDK: logout (POST JSON, answered
 * 404 by the offline server) and a GET read (200).
 *
 *   client BASE_URL ENDPOINT:IN_FLIGHT:REQUESTS ...     e.g. logout:64:20000
 *
 * Each configuration first runs a warm-up of max(2*IN_FLIGHT, 200) requests, then the measured
 * run. Prints `R load.curl.<endpoint>.<n>.<rps|p50_us|p99_us|errors|requests> value` lines.
 * Exits non-zero if a run cannot be set up or stalls (bounded: 240 s per run).
 */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *LOGOUT_BODY = "{\"refreshToken\":\"bench-refresh-token-unknown-to-the-server\"}";
static const char *ADDRESS = "0x8e9DD3c1Db3254d968967CbC367542C343273629";

typedef struct {
    CURL *easy;
    double start;
} Slot;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t sink(char *data, size_t size, size_t n, void *user) {
    (void)data;
    (void)user;
    return size * n; /* read and dropped, as the other clients do with the body */
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, size_t n, double p) {
    if (n == 0) return 0;
    size_t rank = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return sorted[rank < n ? rank : n - 1];
}

/* Runs `total` requests with `inflight` in flight; fills latencies (s) if not NULL.
 * Returns the elapsed seconds, or -1 on a stall. */
static double run(CURLM *multi, Slot *slots, size_t inflight, size_t total, long expect,
                  double *latencies, size_t *errors) {
    size_t issued = 0, done = 0;
    double t0 = now();
    *errors = 0;
    for (size_t i = 0; i < inflight && issued < total; i++, issued++) {
        slots[i].start = now();
        curl_multi_add_handle(multi, slots[i].easy);
    }
    while (done < total) {
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) return -1;
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            Slot *slot;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&slot);
            double t = now();
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (msg->data.result != CURLE_OK || status != expect) (*errors)++;
            if (latencies) latencies[done] = t - slot->start;
            done++;
            curl_multi_remove_handle(multi, slot->easy);
            if (issued < total) {
                issued++;
                slot->start = now();
                curl_multi_add_handle(multi, slot->easy);
            }
        }
        if (done < total) {
            if (now() - t0 > 240) return -1;
            curl_multi_poll(multi, NULL, 0, 100, NULL);
        }
    }
    return now() - t0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s BASE_URL ENDPOINT:IN_FLIGHT:REQUESTS ...\n", argv[0]);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;
    const char *base = argv[1];
    char logout_url[512], get_url[512];
    snprintf(logout_url, sizeof logout_url, "%s/api/auth/logout", base);
    snprintf(get_url, sizeof get_url, "%s/api/wallet/%s/polygon/eth", base, ADDRESS);
    struct curl_slist *json = curl_slist_append(NULL, "Content-Type: application/json");
    int status = 0;

    for (int a = 2; a < argc; a++) {
        char endpoint[32];
        size_t inflight = 0, total = 0;
        if (sscanf(argv[a], "%31[^:]:%zu:%zu", endpoint, &inflight, &total) != 3 || inflight == 0) {
            fprintf(stderr, "bad configuration %s\n", argv[a]);
            return 2;
        }
        int is_logout = strcmp(endpoint, "logout") == 0;
        long expect = is_logout ? 404 : 200;
        CURLM *multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)inflight);
        Slot *slots = calloc(inflight, sizeof *slots);
        double *latencies = calloc(total, sizeof *latencies);
        if (!multi || !slots || !latencies) return 1;
        for (size_t i = 0; i < inflight; i++) {
            CURL *e = curl_easy_init();
            slots[i].easy = e;
            curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)&slots[i]);
            curl_easy_setopt(e, CURLOPT_URL, is_logout ? logout_url : get_url);
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
            curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(e, CURLOPT_USERAGENT, "bench-curl");
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
            if (is_logout) {
                curl_easy_setopt(e, CURLOPT_HTTPHEADER, json);
                curl_easy_setopt(e, CURLOPT_POSTFIELDS, LOGOUT_BODY);
                curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(LOGOUT_BODY));
            }
        }
        size_t errors = 0;
        size_t warm = inflight * 2 > 200 ? inflight * 2 : 200;
        double elapsed = run(multi, slots, inflight, warm, expect, NULL, &errors);
        if (elapsed >= 0) elapsed = run(multi, slots, inflight, total, expect, latencies, &errors);
        if (elapsed < 0) {
            printf("R load.curl.%s.%zu.timed_out 1\n", endpoint, inflight);
            status = 1;
        } else {
            qsort(latencies, total, sizeof *latencies, cmp);
            printf("R load.curl.%s.%zu.rps %.1f\n", endpoint, inflight, (double)total / elapsed);
            printf("R load.curl.%s.%zu.p50_us %.2f\n", endpoint, inflight, pct(latencies, total, 50) * 1e6);
            printf("R load.curl.%s.%zu.p99_us %.2f\n", endpoint, inflight, pct(latencies, total, 99) * 1e6);
            printf("R load.curl.%s.%zu.errors %zu\n", endpoint, inflight, errors);
            printf("R load.curl.%s.%zu.requests %zu\n", endpoint, inflight, total);
        }
        fflush(stdout);
        for (size_t i = 0; i < inflight; i++) {
            curl_multi_remove_handle(multi, slots[i].easy);
            curl_easy_cleanup(slots[i].easy);
        }
        curl_multi_cleanup(multi);
        free(slots);
        free(latencies);
    }
    curl_slist_free_all(json);
    curl_global_cleanup();
    return status;
}
