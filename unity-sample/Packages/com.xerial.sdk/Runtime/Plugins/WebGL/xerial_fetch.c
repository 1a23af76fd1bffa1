/* xerial_fetch.c - the host transport of the WebAssembly build (abi.md §10): every request the
 * SDK hands over is performed with the browser's fetch (xerial_fetch.jslib) and answered when
 * its promise settles, in the browser's event loop on the page's one thread; the SDK moves on at
 * the next xerial_poll. A Unity WebGL build compiles this file with its own Emscripten and links
 * it with libxerial.a; any other Emscripten host can do the same.
 *
 *     config.transport = xerial_fetch_transport();
 *     config.run_mode = XERIAL_RUN_IN_POLL;          (the only mode of the WebAssembly build)
 *
 * The browser cannot tell a refused connection from a lost answer (fetch rejects with the same
 * TypeError), so every failure is XERIAL_HTTP_MAYBE_SENT: a purchase whose request fails is
 * XERIAL_E_OUTCOME_UNKNOWN, never silently repeated. */
#include <emscripten.h>
#include <stdint.h>
#include <stdlib.h>

#include "xerial.h"

/* xerial_fetch.jslib */
extern void xerial_fetch_start(uint32_t id, const char *method, const char *url,
                               const XerialHttpHeader *headers, uint32_t header_count,
                               const uint8_t *body, uint32_t body_len);
extern void xerial_fetch_abort(uint32_t id);

/* Requests in flight. JavaScript names them by a 32-bit id (a 64-bit handle does not cross
 * into JavaScript without BigInt support, which not every Emscripten build links with). */
typedef struct {
    uint32_t id;
    uint64_t handle;
} slot_t;

static slot_t *g_slots;
static size_t g_count, g_cap;
static uint32_t g_next_id = 1;

/* Removes the slot with `id` (or, when id is 0, with `handle`); its handle in *handle. */
static int take(uint32_t id, uint64_t *handle) {
    for (size_t i = 0; i < g_count; i++) {
        if (id ? g_slots[i].id != id : g_slots[i].handle != *handle) continue;
        *handle = g_slots[i].handle;
        uint32_t taken = g_slots[i].id;
        g_slots[i] = g_slots[--g_count];
        return (int)taken;
    }
    return 0;
}

static void fetch_send(void *user_data, const XerialHttpRequest *request) {
    (void)user_data;
    if (g_count == g_cap) {
        size_t cap = g_cap ? g_cap * 2 : 16;
        slot_t *grown = realloc(g_slots, cap * sizeof *grown);
        if (!grown) {
            xerial_http_fail(request->handle, XERIAL_HTTP_NOT_SENT, "out of memory");
            return;
        }
        g_slots = grown;
        g_cap = cap;
    }
    uint32_t id = g_next_id++;
    if (g_next_id == 0) g_next_id = 1;
    g_slots[g_count].id = id;
    g_slots[g_count].handle = request->handle;
    g_count++;
    xerial_fetch_start(id, request->method, request->url, request->headers,
                       (uint32_t)request->header_count, request->body, (uint32_t)request->body_len);
}

static void fetch_cancel(void *user_data, uint64_t handle) {
    (void)user_data;
    int id = take(0, &handle);
    if (id) xerial_fetch_abort((uint32_t)id);
}

/* Memory for xerial_fetch.jslib to copy an answer into (the functions below free it): the
 * glue needs no malloc exported to JavaScript, which not every Emscripten link does. */
EMSCRIPTEN_KEEPALIVE void *xerial_fetch_buffer(uint32_t size) { return malloc(size ? size : 1); }

/* Called by xerial_fetch.jslib when a response (and its body, up to 8 MiB + 1) has arrived.
 * Takes the three buffers (from xerial_fetch_buffer; the strings may be NULL). */
EMSCRIPTEN_KEEPALIVE void xerial_fetch_answered(uint32_t id, int32_t status, char *content_type,
                                                char *retry_after, uint8_t *body, uint32_t body_len) {
    uint64_t handle = 0;
    if (take(id, &handle)) { /* else cancelled meanwhile */
        XerialHttpHeader headers[2];
        size_t n = 0;
        if (content_type) {
            headers[n].name = "Content-Type";
            headers[n++].value = content_type;
        }
        if (retry_after) {
            headers[n].name = "Retry-After";
            headers[n++].value = retry_after;
        }
        xerial_http_complete(handle, status, headers, n, body, body_len);
    }
    free(content_type);
    free(retry_after);
    free(body);
}

/* Called by xerial_fetch.jslib when fetch failed (network, CORS, a body cut short). Takes
 * `message` (from xerial_fetch_buffer). */
EMSCRIPTEN_KEEPALIVE void xerial_fetch_failed(uint32_t id, char *message) {
    uint64_t handle = 0;
    if (take(id, &handle)) xerial_http_fail(handle, XERIAL_HTTP_MAYBE_SENT, message);
    free(message);
}

static const XerialTransport TRANSPORT = {
    sizeof(XerialTransport), NULL, fetch_send, fetch_cancel,
};

/* The transport to put in XerialConfig.transport (static: valid for the life of the page). */
EMSCRIPTEN_KEEPALIVE const XerialTransport *xerial_fetch_transport(void) { return &TRANSPORT; }
