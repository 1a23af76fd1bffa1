/* mock_http_wasm.c - mock_http() for the WebAssembly harness: the blocking call of mock_admin.h
 * as a fetch that the C code awaits (Asyncify: the wasm stack unwinds into the browser's or
 * Node's event loop and resumes when the answer is in). tests/harness/mock_admin.c has the
 * socket version. */
#include <emscripten.h>
#include <stdio.h>
#include <string.h>

#include "mock_admin.h"
#include "th.h"

EM_ASYNC_JS(int, mock_fetch, (const char *method, const char *url, const char *body, int *status,
                              char *resp, int cap), {
    try {
        var init = { method: UTF8ToString(method), headers: { 'content-type': 'application/json' } };
        if (body) init.body = UTF8ToString(body);
        var response = await fetch(UTF8ToString(url), init);
        var text = await response.text();
        HEAP32[status >> 2] = response.status;
        if (resp && cap > 0) stringToUTF8(text, resp, cap);
        return 0;
    } catch (error) {
        err('harness: mock admin request failed: ' + error);
        return -1;
    }
});

int mock_http(const char *method, const char *path, const char *body, int *status, char *resp,
              size_t cap) {
    char url[2048];
    int st = 0;
    if (resp && cap) resp[0] = '\0';
    if ((size_t)snprintf(url, sizeof url, "%s%s", g_base_url, path) >= sizeof url) return -1;
    int rc = mock_fetch(method, url, body, &st, resp, cap > 0x7fffffff ? 0x7fffffff : (int)cap);
    if (status) *status = st;
    return rc;
}
