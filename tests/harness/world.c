/* world.c - see world.h. */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>

#include "mock_admin.h"

/* ---- SDK ---------------------------------------------------------------- */

void cfg_world(XerialConfig *cfg, uint32_t dispatch, uint32_t timeout_ms) {
    cfg_mock(cfg, dispatch, timeout_ms);
    cfg->project_id = PROJECT;
    cfg->marketplace_url = g_base_url;
}

int32_t sdk_init_world(uint32_t dispatch, uint32_t timeout_ms) {
    XerialConfig cfg;
    cfg_world(&cfg, dispatch, timeout_ms);
    return sdk_init_cfg(&cfg);
}

/* ---- sessions ----------------------------------------------------------- */

int mock_session(const char *opts, char *json, size_t json_cap, char *access, size_t access_cap,
                 char *refresh, size_t refresh_cap) {
    char buf[8192], tok[4096];
    int st = 0;
    if (mock_http("POST", "/_mock/sessions", opts ? opts : "{}", &st, buf, sizeof buf) != 0 || st != 200)
        return -1;
    const char *a = strstr(buf, "\"access\"");
    const char *r = strstr(buf, "\"refresh\"");
    if (!a || !r) return -1;
    /* the key order of the pair is the mock's: search each object from its own key */
    if (json_string_field(a, "token", tok, sizeof tok) != 0) return -1;
    th_secret_add(tok);
    if (access && (strlen(tok) >= access_cap || !strcpy(access, tok))) return -1;
    if (json_string_field(r, "token", tok, sizeof tok) != 0) return -1;
    th_secret_add(tok);
    if (refresh && (strlen(tok) >= refresh_cap || !strcpy(refresh, tok))) return -1;
    if (json) {
        if (strlen(buf) >= json_cap) return -1;
        strcpy(json, buf);
    }
    return 0;
}

int player_session(const char *opts) {
    char json[8192];
    if (mock_session(opts, json, sizeof json, NULL, 0, NULL, 0) != 0) return -1;
    return xerial_session_set(json) == XERIAL_OK ? 0 : -1;
}

void secrets_from_session(void) {
    char buf[8192], tok[4096];
    size_t len = 0;
    if (xerial_session_get(buf, sizeof buf, &len) != XERIAL_OK) return;
    const char *a = strstr(buf, "\"access\"");
    const char *r = strstr(buf, "\"refresh\"");
    if (a && json_string_field(a, "token", tok, sizeof tok) == 0) th_secret_add(tok);
    if (r && json_string_field(r, "token", tok, sizeof tok) == 0) th_secret_add(tok);
}

/* ---- results ------------------------------------------------------------ */

XerialRequestId track(rec_t *r, XerialRequestId id) {
    r->calls_at_return = atomic_load(&r->calls);
    r->id = id;
    id_log(id);
    return id;
}

void check_ok(rec_t *r, const char *file, int line) {
    if (r->code != XERIAL_OK)
        th_fail(file, line, "code %s (http %d, \"%.200s\"), want OK", th_code_str(r->code), r->http_status,
                r->message ? r->message : "(null)");
    if (r->http_status < 200 || r->http_status > 299)
        th_fail(file, line, "http_status %d on success", r->http_status);
    if (!r->message || r->message[0]) th_fail(file, line, "message \"%s\" on success", r->message ? r->message : "(null)");
    if (r->retryable) th_fail(file, line, "retryable 1 on success");
    if (r->retry_after_ms) th_fail(file, line, "retry_after_ms %u on success", r->retry_after_ms);
}

void check_http_error(rec_t *r, int32_t code, int status, const char *message, uint8_t retryable,
                      const char *file, int line) {
    if (r->code != code)
        th_fail(file, line, "code %s (http %d, \"%.200s\"), want %s", th_code_str(r->code), r->http_status,
                r->message ? r->message : "(null)", th_code_str(code));
    if (r->http_status != status) th_fail(file, line, "http_status %d, want %d", r->http_status, status);
    if (!r->message || strcmp(r->message, message) != 0)
        th_fail(file, line, "message \"%s\", want \"%s\"", r->message ? r->message : "(null)", message);
    char want[512];
    snprintf(want, sizeof want, "{\"code\":%d,\"message\":\"%s\"}", status, message);
    if (!r->body || strcmp(r->body, want) != 0)
        th_fail(file, line, "body \"%.300s\", want \"%s\"", r->body ? r->body : "(null)", want);
    if (r->retryable != retryable) th_fail(file, line, "retryable %u, want %u", r->retryable, retryable);
}

void check_local(rec_t *r, int32_t code, const char *prefix, long before, const char *file, int line) {
    if (r->id == 0) {
        th_fail(file, line, "the call returned id 0");
        return;
    }
    if (g_dispatch == XERIAL_DISPATCH_POLL && r->calls_at_return != 0)
        th_fail(file, line, "the callback ran inside the call");
    if (!wait_rec(r, SLOW(10000))) {
        th_fail(file, line, "no callback within 10 s");
        return;
    }
    check_rec_once(r, file, line);
    if (r->code != code)
        th_fail(file, line, "code %s (\"%.200s\"), want %s", th_code_str(r->code), r->message ? r->message : "(null)",
                th_code_str(code));
    if (r->http_status != 0) th_fail(file, line, "http_status %d on a local answer", r->http_status);
    if (r->retryable != 0) th_fail(file, line, "retryable %u on a local answer", r->retryable);
    if (!r->message || !r->message[0]) th_fail(file, line, "empty message");
    else if (prefix && strncmp(r->message, prefix, strlen(prefix)) != 0)
        th_fail(file, line, "message \"%.200s\" does not start with \"%s\"", r->message, prefix);
    if (!r->body || r->body[0]) th_fail(file, line, "body \"%.200s\" on a local answer", r->body ? r->body : "(null)");
    if (g_dispatch == XERIAL_DISPATCH_POLL && !pthread_equal(r->thread, pthread_self()))
        th_fail(file, line, "callback not on the polling thread");
    if (before >= 0) {
        sleep_ms(20);
        long after = mock_total();
        if (after != before) th_fail(file, line, "the server saw %ld request(s); want none", after - before);
    }
}

/* ---- the mock ----------------------------------------------------------- */

long mock_total(void) {
    char buf[16384];
    int st = 0;
    if (mock_http("GET", "/_mock/requests", NULL, &st, buf, sizeof buf) != 0 || st != 200) return -1;
    long total = 0;
    for (const char *p = strstr(buf, "\"count\""); p; p = strstr(p + 7, "\"count\"")) {
        long n = 0;
        if (json_number_field(p, "count", &n) != 0) return -1;
        total += n;
    }
    return total;
}

int fault_on(const char *method, const char *path, int times, const char *fault_obj) {
    char buf[2048];
    if (times > 0)
        snprintf(buf, sizeof buf, "{\"method\":\"%s\",\"path\":\"%s\",\"times\":%d,\"fault\":%s}", method, path,
                 times, fault_obj);
    else
        snprintf(buf, sizeof buf, "{\"method\":\"%s\",\"path\":\"%s\",\"fault\":%s}", method, path, fault_obj);
    return mock_fault(buf);
}

int mock_balances(const char *json) {
    int st = 0;
    if (mock_http("POST", "/_mock/balances", json, &st, NULL, 0) != 0) return -1;
    return st >= 200 && st < 300 ? 0 : -1;
}

int mock_get(const char *path, char *resp, size_t cap) {
    int st = 0;
    if (mock_http("GET", path, NULL, &st, resp, cap) != 0) return -1;
    return st;
}
