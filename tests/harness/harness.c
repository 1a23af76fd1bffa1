/* harness.c - the native C test harness of the Xerial SDK.
 *
 *   xerial_harness BASE_URL [WORD...]
 *
 * Runs every case (or those whose names contain one of the WORDs) against an
 * xerial-mock server at BASE_URL and prints one line per case, then
 * "N passed, N failed" alone on the last line. Exit status 0 only if none
 * failed. HARNESS_TIME_SCALE=K multiplies every generous deadline (valgrind).
 *
 * HARNESS_TRANSPORT=curl runs every case through a host transport written in C over libcurl
 * (transport_curl.c) instead of the SDK's built-in one; HARNESS_RUN_MODE=poll runs the SDK
 * without threads (XERIAL_RUN_IN_POLL: needs a host transport). A case that needs what the mode
 * lacks is skipped with a `# skip` line saying why, and not counted.
 *
 * The library's memory is on the harness's own allocator (heap.c, xerial_set_allocator) from
 * the start, and the last case checks every block the run gave back.
 *
 * Built with emcc (tests/wasm/build.sh) it is the WebAssembly harness: the SDK's wasm build, the
 * fetch transport of the Unity WebGL plugin, XERIAL_RUN_IN_POLL, no threads of its own, waits
 * that yield to the event loop (Asyncify); run under Node and in headless Chromium.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "heap.h"
#include "mock_admin.h"
#include "th.h"
#ifdef __EMSCRIPTEN__
/* unity-sample/.../Plugins/WebGL/xerial_fetch.c: the browser's fetch as the host transport. */
const XerialTransport *xerial_fetch_transport(void);
#elif defined(HARNESS_CURL) /* run.sh builds curl/transport_curl.c in */
#include "curl/transport_curl.h"
#else
static const XerialTransport *curl_transport_start(void) { return NULL; }
static void curl_transport_stop(void) {}
#endif

void th_case_begin(void);
const char *th_first_failure(void);
void th_detect_browser(void);

typedef struct {
    const char *name;
    void (*fn)(void);
    /* Why the case cannot run without the SDK's threads (XERIAL_RUN_IN_POLL), or NULL. */
    const char *needs_threads;
} test_case;

#define CASE(n) {#n, case_##n, NULL}
/* Immediate dispatch: callbacks on SDK threads. */
#define IMMEDIATE(n) {#n, case_##n, "immediate dispatch runs callbacks on SDK threads"}
/* Answers queue up while nobody polls, which in XERIAL_RUN_IN_POLL mode cannot happen. */
#define QUEUED(n) {#n, case_##n, "answers queue while nobody polls; without threads nothing moves between polls"}
/* The case starts threads of its own (none in WebAssembly). */
#ifdef __EMSCRIPTEN__
#define THREADS(n) {#n, case_##n, "the case runs threads of its own; WebAssembly in a page has one"}
#else
#define THREADS(n) CASE(n)
#endif
/* Sign-in listens on loopback from the SDK's threads: XERIAL_E_UNAVAILABLE without them. */
#define SIGNIN(n) {#n, case_##n, "sign-in needs the SDK's threads (signin_unavailable_without_threads checks it answers UNAVAILABLE)"}
static const test_case CASES[] = {
    CASE(meta_abi_version),
    CASE(meta_version),
    CASE(meta_code_names),
    CASE(meta_config_init),
    CASE(lifecycle_config_layouts),
    CASE(lifecycle_before_init),
    CASE(lifecycle_init_twice),
    CASE(lifecycle_url_rules),
    CASE(lifecycle_struct_size),
    CASE(lifecycle_null_config),
    CASE(lifecycle_copies_strings),
    CASE(lifecycle_base_url_slash),
    CASE(lifecycle_base_url_prefix),
    CASE(logout_204_then_404),
    CASE(logout_http_errors),
    CASE(logout_429_retry_after),
    CASE(logout_refused),
    CASE(logout_timeout_hang),
    CASE(logout_drop),
    CASE(logout_odd_answers),
    CASE(logout_echo_redacted),
    CASE(args_not_logged_in),
    CASE(args_invalid_utf8),
    CASE(args_too_long),
    CASE(args_null_callback),
    CASE(session_logout_null),
    CASE(session_logout_own_token),
    CASE(session_get_buffer),
    CASE(session_set_malformed),
    CASE(session_path_persist),
    QUEUED(poll_deferred),
    THREADS(poll_other_thread),
    QUEUED(poll_inside_callback),
    QUEUED(poll_max_callbacks),
    QUEUED(poll_new_request_in_callback),
    QUEUED(poll_serialised),
    CASE(poll_idle_cheap),
    IMMEDIATE(immediate_dispatch),
    CASE(cancel_in_flight),
    CASE(cancel_before_sent),
    CASE(cancel_unknown),
    CASE(cancel_after_complete),
    QUEUED(cancel_queued_completion),
    CASE(cancel_from_callback),
    THREADS(cancel_from_thread),
    THREADS(cancel_race),
    CASE(shutdown_in_flight),
    IMMEDIATE(shutdown_in_flight_immediate),
    QUEUED(shutdown_queued_real_result),
    CASE(shutdown_from_callback),
    IMMEDIATE(shutdown_from_callback_immediate),
    CASE(shutdown_twice),
    IMMEDIATE(shutdown_immediate_waits),
    THREADS(shutdown_concurrent),
    CASE(log_callback),
    IMMEDIATE(log_off_race),
    CASE(ids_unique_reinit),
    CASE(stress_cycles_100),
    THREADS(stress_concurrent_1000),
    IMMEDIATE(stress_concurrent_immediate),
    CASE(login_google_ok),
    CASE(login_google_errors),
    CASE(login_wallet_ok),
    CASE(login_wallet_errors),
    CASE(refresh_ok),
    CASE(refresh_refused),
    CASE(bearer_expired_access),
    CASE(bearer_401_refresh_resend),
    CASE(bearer_401_twice),
    CASE(bearer_shared_refresh),
    CASE(bearer_expired_refresh),
    CASE(bearer_no_session),
    CASE(auth_listener),
    CASE(login_session_file),
    CASE(session_store_default),
    CASE(session_store_host),
    CASE(log_no_secrets),
    CASE(wallet_reads_ok),
    CASE(wallet_reads_errors),
    CASE(user_get_errors),
    CASE(custodial_ok),
    CASE(custodial_errors),
    CASE(market_ok),
#ifndef __EMSCRIPTEN__ /* no loopback listener there: signin_unavailable_without_threads */
    SIGNIN(signin_google),
    SIGNIN(signin_wallet_page),
    SIGNIN(signin_refusals),
#endif
    CASE(market_errors),
    CASE(request_ok),
    CASE(request_errors),
    CASE(request_auth_dot_segments),
    IMMEDIATE(api_immediate),
    CASE(api_variants),
    CASE(tx_primary_purchase),
    CASE(tx_transfer_nft),
    CASE(tx_transfer_token),
    CASE(tx_secondary_purchase),
    CASE(tx_list_delist),
    CASE(tx_custom),
    CASE(tx_errors),
    CASE(tx_non_custodial),
    CASE(tx_args),
    CASE(tx_never_retry),
    CASE(tx_outcome_unknown),
    CASE(transport_request_shape),
    CASE(transport_failures),
    CASE(transport_answers),
    CASE(transport_handles),
    CASE(transport_deadline),
    CASE(transport_cancel_and_shutdown),
    CASE(transport_shutdown_inside_send),
    CASE(transport_config),
    CASE(signin_unavailable_without_threads),
    CASE(ids_whole_run),
    CASE(heap_serves_the_library), /* last: it checks every block the run gave back */
};
#define N_CASES (sizeof CASES / sizeof CASES[0])

static int g_passed, g_failed;
static const char *volatile g_current = "";

/* ---- watchdog: a hung case fails the run instead of hanging it --------- */
#ifndef __EMSCRIPTEN__

static void put(const char *s) {
    ssize_t r = write(STDOUT_FILENO, s, strlen(s));
    (void)r;
}

static void put_int(int v) {
    char b[16];
    int i = sizeof b;
    b[--i] = '\0';
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    put(b + i);
}

static void on_alarm(int sig) {
    (void)sig;
    put("FAIL - ");
    put(g_current);
    put(": watchdog: the case did not finish (deadlock or hang)\n");
    put_int(g_passed);
    put(" passed, ");
    put_int(g_failed + 1);
    put(" failed\n");
    _exit(1);
}
#endif

/* ---- mode -------------------------------------------------------------- */

#ifdef __EMSCRIPTEN__
static int choose_mode(void) {
    g_transport = xerial_fetch_transport();
    g_run_mode = XERIAL_RUN_IN_POLL;
    printf("# transport: fetch (Plugins/WebGL/xerial_fetch.c + .jslib); run mode: XERIAL_RUN_IN_POLL\n");
    return 0;
}
static void curl_transport_stop(void) {}
#else
static int choose_mode(void) {
    const char *transport = getenv("HARNESS_TRANSPORT");
    const char *run_mode = getenv("HARNESS_RUN_MODE");
    if (transport && strcmp(transport, "curl") == 0) {
        g_transport = curl_transport_start();
        if (!g_transport) {
            fprintf(stderr, "harness: no libcurl transport (built without HARNESS_CURL, or libcurl cannot start)\n");
            return 2;
        }
    } else if (transport && *transport && strcmp(transport, "builtin") != 0) {
        fprintf(stderr, "harness: HARNESS_TRANSPORT is builtin or curl, not %s\n", transport);
        return 2;
    }
    if (run_mode && strcmp(run_mode, "poll") == 0) {
        g_run_mode = XERIAL_RUN_IN_POLL;
    } else if (run_mode && *run_mode && strcmp(run_mode, "threads") != 0) {
        fprintf(stderr, "harness: HARNESS_RUN_MODE is threads or poll, not %s\n", run_mode);
        return 2;
    }
    printf("# transport: %s; run mode: %s\n", g_transport ? "host (libcurl, transport_curl.c)" : "built-in",
           g_run_mode == XERIAL_RUN_IN_POLL ? "XERIAL_RUN_IN_POLL" : "threads");
    return 0;
}
#endif

#ifdef __EMSCRIPTEN__
static void watchdog(unsigned seconds) { (void)seconds; }
#else
static void watchdog(unsigned seconds) { alarm(seconds); }
#endif

/* ---- runner ------------------------------------------------------------ */

static int selected(const char *name, int argc, char **argv) {
    if (argc <= 2) return 1;
    for (int i = 2; i < argc; i++)
        if (strstr(name, argv[i])) return 1;
    return 0;
}

static void report(const char *name) {
    int stray = atomic_exchange(&g_stray_callbacks, 0);
    if (stray) th_fail(__FILE__, __LINE__, "%d callback(s) ran when none may run (after shutdown)", stray);
    if (th_case_failed()) {
        g_failed++;
        printf("FAIL - %s: %s\n", name, th_first_failure());
    } else {
        g_passed++;
        printf("ok - %s\n", name);
    }
    fflush(stdout);
}

int main(int argc, char **argv) {
    /* First, before the library allocates anything: its memory on the harness's allocator. */
    int32_t heap = heap_install();
    if (heap != XERIAL_OK) {
        fprintf(stderr, "harness: xerial_set_allocator answered %s\n", th_code_str(heap));
        return 2;
    }
    const char *base = argc > 1 ? argv[1] : getenv("XERIAL_BASE_URL");
    if (!base || !*base) {
        fprintf(stderr, "usage: %s BASE_URL [WORD...]   (BASE_URL: the xerial-mock URL)\n", argv[0]);
        return 2;
    }
    const char *scale = getenv("HARNESS_TIME_SCALE");
    if (scale && atoi(scale) > 0) g_time_scale = atoi(scale);
    char *url = strdup(base);
    if (!url) return 2;
    size_t ul = strlen(url);
    while (ul > 0 && url[ul - 1] == '/') url[--ul] = '\0';
    g_base_url = url;
    if (mock_set_base(url) != 0) {
        fprintf(stderr, "harness: cannot use %s (want http://HOST:PORT)\n", url);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
#ifndef __EMSCRIPTEN__ /* there, the runner (Node, the browser test) has the deadline */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
#endif
    printf("# xerial harness: library %s, ABI 0x%x, mock %s\n", xerial_version() ? xerial_version() : "(null)",
           (unsigned)xerial_abi_version(), url);
    if (choose_mode() != 0) return 2;
    th_detect_browser();
    if (g_browser) printf("# in a browser page: its network stack decides Retry-After, redirects and re-sends (th.h)\n");

    for (size_t i = 0; i < N_CASES; i++) {
        const test_case *c = &CASES[i];
        if (!selected(c->name, argc, argv)) continue;
        if (c->needs_threads && g_run_mode == XERIAL_RUN_IN_POLL) {
            printf("# skip - %s: %s\n", c->name, c->needs_threads);
            continue;
        }
        g_current = c->name;
        th_case_begin();
        rec_pool_reset();
        atomic_store(&g_no_callbacks_now, 0);
        if (mock_reset() != 0) {
            th_fail(__FILE__, __LINE__, "the mock at %s does not answer POST /_mock/reset", url);
        } else {
            watchdog((unsigned)(240 * g_time_scale));
            c->fn();
            watchdog(0);
        }
        /* every case leaves the SDK shut down; make sure, then no callback may run */
        xerial_shutdown();
        xerial_set_log_callback(NULL, NULL, 0);
        atomic_store(&g_no_callbacks_now, 1);
        mock_clear_faults();
        report(c->name);
    }
    /* a last look for stray callbacks of the final case */
    sleep_ms(100);
    xerial_poll(0);
    if (atomic_load(&g_stray_callbacks)) {
        g_current = "no_stray_callbacks";
        th_case_begin();
        report("no_stray_callbacks");
    }
    rec_pool_reset();
    free(url);
    curl_transport_stop();
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 && g_passed > 0 ? 0 : 1;
}
