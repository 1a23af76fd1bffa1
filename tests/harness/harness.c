/* harness.c - the native C test harness of the Xerial SDK.
 *
 *   xerial_harness BASE_URL [WORD...]
 *
 * Runs every case (or those whose names contain one of the WORDs) against an
 * xerial-mock server at BASE_URL and prints one line per case, then
 * "N passed, N failed" alone on the last line. Exit status 0 only if none
 * failed. HARNESS_TIME_SCALE=K multiplies every generous deadline (valgrind).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "mock_admin.h"
#include "th.h"

void th_case_begin(void);
const char *th_first_failure(void);

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

#define CASE(n) {#n, case_##n}
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
    CASE(poll_deferred),
    CASE(poll_other_thread),
    CASE(poll_inside_callback),
    CASE(poll_max_callbacks),
    CASE(poll_new_request_in_callback),
    CASE(poll_serialised),
    CASE(poll_idle_cheap),
    CASE(immediate_dispatch),
    CASE(cancel_in_flight),
    CASE(cancel_before_sent),
    CASE(cancel_unknown),
    CASE(cancel_after_complete),
    CASE(cancel_queued_completion),
    CASE(cancel_from_callback),
    CASE(cancel_from_thread),
    CASE(cancel_race),
    CASE(shutdown_in_flight),
    CASE(shutdown_in_flight_immediate),
    CASE(shutdown_queued_real_result),
    CASE(shutdown_from_callback),
    CASE(shutdown_from_callback_immediate),
    CASE(shutdown_twice),
    CASE(shutdown_immediate_waits),
    CASE(shutdown_concurrent),
    CASE(log_callback),
    CASE(log_off_race),
    CASE(ids_unique_reinit),
    CASE(stress_cycles_100),
    CASE(stress_concurrent_1000),
    CASE(stress_concurrent_immediate),
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
    CASE(market_errors),
    CASE(request_ok),
    CASE(request_errors),
    CASE(request_auth_dot_segments),
    CASE(api_immediate),
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
    CASE(ids_whole_run),
};
#define N_CASES (sizeof CASES / sizeof CASES[0])

static int g_passed, g_failed;
static const char *volatile g_current = "";

/* ---- watchdog: a hung case fails the run instead of hanging it --------- */

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
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    printf("# xerial harness: library %s, ABI 0x%x, mock %s\n", xerial_version() ? xerial_version() : "(null)",
           (unsigned)xerial_abi_version(), url);

    for (size_t i = 0; i < N_CASES; i++) {
        const test_case *c = &CASES[i];
        if (!selected(c->name, argc, argv)) continue;
        g_current = c->name;
        th_case_begin();
        rec_pool_reset();
        atomic_store(&g_no_callbacks_now, 0);
        if (mock_reset() != 0) {
            th_fail(__FILE__, __LINE__, "the mock at %s does not answer POST /_mock/reset", url);
        } else {
            alarm((unsigned)(240 * g_time_scale));
            c->fn();
            alarm(0);
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
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 && g_passed > 0 ? 0 : 1;
}
