/* mock_admin.h - a tiny blocking HTTP/1.1 client for the xerial-mock admin API.
 *
 * Every call opens one connection, sends one request with Content-Length and
 * "Connection: close", reads the answer to EOF and closes. Nothing here is
 * thread-safe beyond what the OS gives (no shared mutable state after
 * mock_set_base). */
#ifndef XERIAL_HARNESS_MOCK_ADMIN_H
#define XERIAL_HARNESS_MOCK_ADMIN_H

#include <stddef.h>

/* Remembers host and port of "http://HOST:PORT[/...]". Returns 0 on success. */
int mock_set_base(const char *base_url);

/* One request. Writes the status into *status and up to cap-1 body bytes
 * (NUL-terminated) into resp when resp is not NULL. Returns 0 when an HTTP
 * answer was read, -1 on a transport error. */
int mock_http(const char *method, const char *path, const char *body, int *status, char *resp,
              size_t cap);

/* POST /_mock/reset. Returns 0 when the mock answered 2xx. */
int mock_reset(void);

/* POST /_mock/sessions. Copies the whole token pair JSON into json (may be NULL)
 * and the refresh token into refresh. Returns 0 on success. */
int mock_new_session(char *json, size_t json_cap, char *refresh, size_t refresh_cap);

/* POST /_mock/faults with the given JSON. Returns 0 when the mock answered 2xx. */
int mock_fault(const char *fault_json);

/* DELETE /_mock/faults. */
int mock_clear_faults(void);

/* GET /_mock/requests?method=M&path=P -> count, or -1 on error. */
long mock_count(const char *method, const char *path);

/* DELETE /_mock/requests. */
int mock_clear_requests(void);

/* Finds "key":"value" (first occurrence after start) and copies value. 0 on success. */
int json_string_field(const char *json, const char *key, char *out, size_t cap);

/* Finds "key":number and stores it. 0 on success. */
int json_number_field(const char *json, const char *key, long *out);

#endif
