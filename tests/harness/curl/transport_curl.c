/* transport_curl.c - a host transport (abi.md §10) over libcurl's multi interface.
 *
 * What a console or engine integration does with its own HTTP stack: `send` copies the request
 * into a job and hands it to a worker thread of its own, which drives every transfer with
 * curl_multi and answers each handle from that thread with xerial_http_complete or
 * xerial_http_fail. `cancel` asks the worker to drop a transfer. Nothing here blocks the
 * caller: `send` and `cancel` take one short lock and wake the worker.
 *
 * Whether a failed request "may have been sent" is told by curl itself: CURLINFO_REQUEST_SIZE
 * (bytes of request written) is 0 only when nothing left (refused, DNS, TLS handshake).
 *
 * Two rules any host transport must follow, both found by running the harness through this one:
 *  - Never send a request twice. libcurl silently re-sends a request whose reused keep-alive
 *    connection turns out dead (the server saw a purchase twice); so anything but a GET gets a
 *    fresh connection (CURLOPT_FRESH_CONNECT), where curl never does that.
 *  - Leave the deadline to the SDK. A host timer set to exactly `timeout_ms` fires first and
 *    turns the SDK's XERIAL_E_TIMEOUT into a network failure; this one allows a second more, and
 *    the SDK cancels the handle when its own deadline passes. */
#include "curl/transport_curl.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SDK reads at most 8 MiB of a body; one byte more tells it the body was larger. */
#define BODY_CAP (8u * 1024u * 1024u + 1u)
#define MAX_HEADERS 64

typedef struct job {
    uint64_t handle;
    CURL *easy;
    struct curl_slist *request_headers;
    char *body;
    size_t body_len, body_cap;
    int over; /* the body went past BODY_CAP: the transfer was stopped there */
    char *names[MAX_HEADERS], *values[MAX_HEADERS];
    int header_count;
    struct job *next;
} job_t;

static struct {
    pthread_mutex_t mu;
    pthread_t worker;
    int started, stopping;
    CURLM *multi;
    job_t *incoming;          /* sent, not yet picked up by the worker */
    uint64_t *cancels;        /* handles to drop */
    size_t n_cancels, cap_cancels;
    job_t *active;            /* owned by the worker */
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

static atomic_long g_sent, g_cancelled, g_answered, g_refused;

static void oom(void) {
    fprintf(stderr, "transport_curl: out of memory\n");
    abort();
}

static void job_free(job_t *job) {
    if (job->easy) curl_easy_cleanup(job->easy);
    curl_slist_free_all(job->request_headers);
    free(job->body);
    for (int i = 0; i < job->header_count; i++) {
        free(job->names[i]);
        free(job->values[i]);
    }
    free(job);
}

static size_t on_body(char *data, size_t size, size_t n, void *user) {
    job_t *job = user;
    size_t len = size * n;
    size_t room = BODY_CAP - job->body_len;
    size_t take = len < room ? len : room;
    if (job->body_len + take > job->body_cap) {
        size_t cap = job->body_cap ? job->body_cap * 2 : 4096;
        while (cap < job->body_len + take) cap *= 2;
        if (cap > BODY_CAP) cap = BODY_CAP;
        char *grown = realloc(job->body, cap);
        if (!grown) oom();
        job->body = grown;
        job->body_cap = cap;
    }
    memcpy(job->body + job->body_len, data, take);
    job->body_len += take;
    if (take < len) {
        job->over = 1;
        return 0; /* stop reading: the SDK will call it too large */
    }
    return len;
}

static char *dup_trimmed(const char *s, size_t n) {
    while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    char *d = malloc(n + 1);
    if (!d) oom();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static size_t on_header(char *line, size_t size, size_t n, void *user) {
    job_t *job = user;
    size_t len = size * n;
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a 100 Continue, say): forget the previous one's headers. */
        for (int i = 0; i < job->header_count; i++) {
            free(job->names[i]);
            free(job->values[i]);
        }
        job->header_count = 0;
        return len;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || job->header_count == MAX_HEADERS) return len;
    job->names[job->header_count] = dup_trimmed(line, (size_t)(colon - line));
    job->values[job->header_count] = dup_trimmed(colon + 1, len - (size_t)(colon - line) - 1);
    job->header_count++;
    return len;
}

/* Runs on the worker: the transfer is over, tell the SDK. */
static void answer(job_t *job, CURLcode result) {
    int32_t rc;
    long status = 0;
    curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
    if (result == CURLE_OK || (job->over && status > 0)) {
        XerialHttpHeader headers[MAX_HEADERS];
        for (int i = 0; i < job->header_count; i++) {
            headers[i].name = job->names[i];
            headers[i].value = job->values[i];
        }
        rc = xerial_http_complete(job->handle, (int32_t)status, headers, (size_t)job->header_count,
                                  (const uint8_t *)job->body, job->body_len);
    } else {
        long request_size = 0;
        curl_easy_getinfo(job->easy, CURLINFO_REQUEST_SIZE, &request_size);
        int32_t reason = request_size == 0 ? XERIAL_HTTP_NOT_SENT : XERIAL_HTTP_MAYBE_SENT;
        rc = xerial_http_fail(job->handle, reason, curl_easy_strerror(result));
    }
    atomic_fetch_add(rc == XERIAL_OK ? &g_answered : &g_refused, 1);
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&g.mu);
        int stopping = g.stopping;
        job_t *incoming = g.incoming;
        g.incoming = NULL;
        size_t n_cancels = g.n_cancels;
        uint64_t *cancels = g.cancels;
        g.cancels = NULL;
        g.n_cancels = g.cap_cancels = 0;
        pthread_mutex_unlock(&g.mu);
        if (stopping) {
            free(cancels);
            while (incoming) {
                job_t *next = incoming->next;
                job_free(incoming);
                incoming = next;
            }
            break;
        }
        while (incoming) {
            job_t *job = incoming;
            incoming = job->next;
            job->next = g.active;
            g.active = job;
            curl_multi_add_handle(g.multi, job->easy);
        }
        for (size_t i = 0; i < n_cancels; i++) {
            for (job_t **p = &g.active; *p; p = &(*p)->next) {
                if ((*p)->handle != cancels[i]) continue;
                job_t *job = *p;
                *p = job->next;
                curl_multi_remove_handle(g.multi, job->easy);
                job_free(job);
                atomic_fetch_add(&g_cancelled, 1);
                break;
            }
        }
        free(cancels);
        int running = 0;
        curl_multi_perform(g.multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(g.multi, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            for (job_t **p = &g.active; *p; p = &(*p)->next) {
                if ((*p)->easy != msg->easy_handle) continue;
                job_t *job = *p;
                *p = job->next;
                CURLcode result = msg->data.result;
                curl_multi_remove_handle(g.multi, job->easy);
                answer(job, result);
                job_free(job);
                break;
            }
        }
        curl_multi_poll(g.multi, NULL, 0, 1000, NULL);
    }
    while (g.active) {
        job_t *job = g.active;
        g.active = job->next;
        curl_multi_remove_handle(g.multi, job->easy);
        job_free(job);
    }
    return NULL;
}

static void curl_send(void *user_data, const XerialHttpRequest *request) {
    (void)user_data;
    job_t *job = calloc(1, sizeof *job);
    if (!job) oom();
    job->handle = request->handle;
    job->easy = curl_easy_init();
    if (!job->easy) oom();
    CURL *e = job->easy;
    curl_easy_setopt(e, CURLOPT_URL, request->url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request->method);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* like the built-in transport: no proxy from the environment */
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)request->timeout_ms + 1000L);
    int is_get = strcmp(request->method, "GET") == 0;
    if (!is_get) curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, job);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, job);
    for (size_t i = 0; i < request->header_count; i++) {
        char line[8192];
        int n = snprintf(line, sizeof line, "%s: %s", request->headers[i].name, request->headers[i].value);
        if (n < 0 || (size_t)n >= sizeof line) continue;
        struct curl_slist *grown = curl_slist_append(job->request_headers, line);
        if (!grown) oom();
        job->request_headers = grown;
        memset(line, 0, sizeof line); /* the Authorization line holds the player's token */
    }
    struct curl_slist *grown = curl_slist_append(job->request_headers, "Expect:");
    if (!grown) oom();
    job->request_headers = grown;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->request_headers);
    if (request->body_len > 0 || !is_get) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_len);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, request->body_len ? (const char *)request->body : "");
    }
    atomic_fetch_add(&g_sent, 1);
    pthread_mutex_lock(&g.mu);
    job->next = g.incoming;
    g.incoming = job;
    pthread_mutex_unlock(&g.mu);
    curl_multi_wakeup(g.multi);
}

static void curl_cancel(void *user_data, uint64_t handle) {
    (void)user_data;
    pthread_mutex_lock(&g.mu);
    if (g.n_cancels == g.cap_cancels) {
        size_t cap = g.cap_cancels ? g.cap_cancels * 2 : 16;
        uint64_t *grown = realloc(g.cancels, cap * sizeof *grown);
        if (!grown) oom();
        g.cancels = grown;
        g.cap_cancels = cap;
    }
    g.cancels[g.n_cancels++] = handle;
    pthread_mutex_unlock(&g.mu);
    curl_multi_wakeup(g.multi);
}

static const XerialTransport TRANSPORT = {
    .struct_size = sizeof(XerialTransport),
    .user_data = NULL,
    .send = curl_send,
    .cancel = curl_cancel,
};

const XerialTransport *curl_transport_start(void) {
    if (g.started) return &TRANSPORT;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return NULL;
    g.multi = curl_multi_init();
    if (!g.multi) return NULL;
    if (pthread_create(&g.worker, NULL, worker, NULL) != 0) return NULL;
    g.started = 1;
    return &TRANSPORT;
}

void curl_transport_stop(void) {
    if (!g.started) return;
    pthread_mutex_lock(&g.mu);
    g.stopping = 1;
    pthread_mutex_unlock(&g.mu);
    curl_multi_wakeup(g.multi);
    pthread_join(g.worker, NULL);
    curl_multi_cleanup(g.multi);
    free(g.cancels);
    curl_global_cleanup();
    g.started = 0;
}

curl_transport_stats curl_transport_counts(void) {
    curl_transport_stats s = {atomic_load(&g_sent), atomic_load(&g_cancelled), atomic_load(&g_answered),
                              atomic_load(&g_refused)};
    return s;
}
