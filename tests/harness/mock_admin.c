/* mock_admin.c - see mock_admin.h. */
#include "mock_admin.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char g_host[256];
static char g_port[16];

int mock_set_base(const char *base_url) {
    const char *p = base_url;
    if (strncmp(p, "http://", 7) != 0) return -1;
    p += 7;
    const char *end = p + strcspn(p, "/");
    const char *colon = NULL;
    if (*p == '[') { /* [v6]:port */
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb) return -1;
        if ((size_t)(rb - p - 1) >= sizeof g_host) return -1;
        memcpy(g_host, p + 1, (size_t)(rb - p - 1));
        g_host[rb - p - 1] = '\0';
        colon = (rb + 1 < end && rb[1] == ':') ? rb + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        const char *hend = colon ? colon : end;
        if ((size_t)(hend - p) >= sizeof g_host) return -1;
        memcpy(g_host, p, (size_t)(hend - p));
        g_host[hend - p] = '\0';
    }
    if (colon) {
        size_t n = (size_t)(end - colon - 1);
        if (n == 0 || n >= sizeof g_port) return -1;
        memcpy(g_port, colon + 1, n);
        g_port[n] = '\0';
    } else {
        strcpy(g_port, "80");
    }
    return 0;
}

#ifndef __EMSCRIPTEN__ /* the WebAssembly harness has mock_http_wasm.c */
static int connect_mock(void) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(g_host, g_port, &hints, &res) != 0) return -1;
    int fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        struct timeval tv = {10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        int saved = errno;
        close(fd);
        errno = saved;
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        static int told;
        if (told++ < 3) fprintf(stderr, "harness: cannot connect to the mock at %s:%s: %s\n", g_host, g_port, strerror(errno));
    }
    return fd;
}

static int send_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Decodes a chunked body in place; returns the new length. */
static size_t dechunk(char *b, size_t len) {
    size_t in = 0, out = 0;
    while (in < len) {
        char *endp = NULL;
        unsigned long sz = strtoul(b + in, &endp, 16);
        char *crlf = strstr(b + in, "\r\n");
        if (!crlf || sz == 0) break;
        in = (size_t)(crlf - b) + 2;
        if (in + sz > len) sz = len - in;
        memmove(b + out, b + in, sz);
        out += sz;
        in += sz + 2;
        (void)endp;
    }
    return out;
}

int mock_http(const char *method, const char *path, const char *body, int *status, char *resp,
              size_t cap) {
    if (status) *status = 0;
    if (resp && cap) resp[0] = '\0';
    int fd = connect_mock();
    if (fd < 0) return -1;
    size_t blen = body ? strlen(body) : 0;
    char head[1024];
    int hn = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                      method, path, g_host, g_port, blen);
    if (hn < 0 || (size_t)hn >= sizeof head || send_all(fd, head, (size_t)hn) != 0 ||
        (blen && send_all(fd, body, blen) != 0)) {
        close(fd);
        return -1;
    }
    size_t rcap = 65536, rlen = 0;
    char *r = malloc(rcap);
    if (!r) {
        close(fd);
        return -1;
    }
    for (;;) {
        if (rlen + 1 >= rcap) {
            char *nr = realloc(r, rcap * 2);
            if (!nr) break;
            r = nr;
            rcap *= 2;
        }
        ssize_t n = recv(fd, r + rlen, rcap - rlen - 1, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        rlen += (size_t)n;
    }
    close(fd);
    r[rlen] = '\0';
    int st = 0;
    if (sscanf(r, "HTTP/1.%*d %d", &st) != 1) {
        free(r);
        return -1;
    }
    if (status) *status = st;
    char *hend = strstr(r, "\r\n\r\n");
    if (hend && resp && cap) {
        *hend = '\0';
        char *b = hend + 4;
        size_t bl = rlen - (size_t)(b - r);
        int chunked = 0;
        for (char *h = strstr(r, "\r\n"); h; h = strstr(h + 2, "\r\n"))
            if (strncasecmp(h + 2, "transfer-encoding:", 18) == 0 && strstr(h + 2, "chunked"))
                chunked = 1;
        if (chunked) bl = dechunk(b, bl);
        if (bl >= cap) bl = cap - 1;
        memcpy(resp, b, bl);
        resp[bl] = '\0';
    }
    free(r);
    return 0;
}
#endif

static int ok2xx(const char *method, const char *path, const char *body) {
    int st = 0;
    errno = 0;
    if (mock_http(method, path, body, &st, NULL, 0) != 0) {
        fprintf(stderr, "harness: %s %s: no HTTP answer from the mock (%s)\n", method, path,
                errno ? strerror(errno) : "closed");
        return -1;
    }
    if (st < 200 || st >= 300) fprintf(stderr, "harness: %s %s: the mock answered %d\n", method, path, st);
    return (st >= 200 && st < 300) ? 0 : -1;
}

int mock_reset(void) { return ok2xx("POST", "/_mock/reset", "{}"); }
int mock_fault(const char *fault_json) { return ok2xx("POST", "/_mock/faults", fault_json); }
int mock_clear_faults(void) { return ok2xx("DELETE", "/_mock/faults", NULL); }
int mock_clear_requests(void) { return ok2xx("DELETE", "/_mock/requests", NULL); }

int mock_new_session(char *json, size_t json_cap, char *refresh, size_t refresh_cap) {
    char buf[8192];
    int st = 0;
    if (mock_http("POST", "/_mock/sessions", "{}", &st, buf, sizeof buf) != 0 || st != 200)
        return -1;
    const char *r = strstr(buf, "\"refresh\"");
    if (!r || json_string_field(r, "token", refresh, refresh_cap) != 0) return -1;
    if (json) {
        if (strlen(buf) >= json_cap) return -1;
        strcpy(json, buf);
    }
    return 0;
}

long mock_count(const char *method, const char *path) {
    char q[512], buf[1024];
    int st = 0;
    long n = -1;
    snprintf(q, sizeof q, "/_mock/requests?method=%s&path=%s", method, path);
    if (mock_http("GET", q, NULL, &st, buf, sizeof buf) != 0 || st != 200) return -1;
    if (json_number_field(buf, "count", &n) != 0) return -1;
    return n;
}

/* Skips `"key"` and the following `:` with optional blanks; NULL if absent. */
static const char *after_key(const char *json, const char *key) {
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(json, pat);
    if (!p) return NULL;
    p += strlen(pat);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (*p != ':') return NULL;
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

int json_string_field(const char *json, const char *key, char *out, size_t cap) {
    const char *p = after_key(json, key);
    if (!p || *p != '"') return -1;
    p++;
    const char *e = strchr(p, '"');
    if (!e || (size_t)(e - p) >= cap) return -1;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return 0;
}

int json_number_field(const char *json, const char *key, long *out) {
    const char *p = after_key(json, key);
    if (!p) return -1;
    char *end = NULL;
    long v = strtol(p, &end, 10);
    if (end == p) return -1;
    *out = v;
    return 0;
}
