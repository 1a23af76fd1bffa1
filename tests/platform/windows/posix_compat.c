/* posix_compat.c - implementations for posix_compat.h (Windows, test-only). */
#include "posix_compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <direct.h>

/* The real functions, not our macros. */
#undef close
#undef send
#undef recv
#undef setsockopt
#undef signal
#undef alarm

__attribute__((constructor)) static void xc_wsa_startup(void) {
    WSADATA data;
    int rc = WSAStartup(MAKEWORD(2, 2), &data);
    if (rc != 0) {
        fprintf(stderr, "posix_compat: WSAStartup failed: %d\n", rc);
        exit(2);
    }
}

/* ---- send coalescing: every send() is held until the first recv() ------ */

typedef struct {
    int fd;
    char *buf;
    size_t len, cap;
} pending_t;

static _Thread_local pending_t g_pend = {-1, NULL, 0, 0};

static int flush_pending(void) {
    size_t off = 0;
    while (off < g_pend.len) {
        size_t left = g_pend.len - off;
        int n = send((SOCKET)(intptr_t)g_pend.fd, g_pend.buf + off,
                     (int)(left > 0x40000000u ? 0x40000000u : left), 0);
        if (n <= 0) {
            g_pend.len = 0;
            return -1;
        }
        off += (size_t)n;
    }
    g_pend.len = 0;
    return 0;
}

int xc_send(int fd, const void *buf, size_t len, int flags) {
    (void)flags;
    if (g_pend.len > 0 && g_pend.fd != fd && flush_pending() != 0) return -1;
    g_pend.fd = fd;
    if (g_pend.len + len > g_pend.cap) {
        size_t cap = g_pend.cap ? g_pend.cap : 4096;
        while (cap < g_pend.len + len) cap *= 2;
        char *nb = realloc(g_pend.buf, cap);
        if (!nb) {
            errno = ENOMEM;
            return -1;
        }
        g_pend.buf = nb;
        g_pend.cap = cap;
    }
    memcpy(g_pend.buf + g_pend.len, buf, len);
    g_pend.len += len;
    return (int)len;
}

int xc_recv(int fd, void *buf, size_t len, int flags) {
    if (g_pend.len > 0 && g_pend.fd == fd && flush_pending() != 0) return -1;
    return recv((SOCKET)(intptr_t)fd, (char *)buf, (int)(len > 0x40000000u ? 0x40000000u : len),
                flags);
}

int xc_close(int fd) {
    if (g_pend.fd == fd) g_pend.len = 0; /* never read from: the request is dropped */
    if (closesocket((SOCKET)(intptr_t)fd) == 0) return 0;
    if (WSAGetLastError() == WSAENOTSOCK) return _close(fd);
    errno = EBADF;
    return -1;
}

int xc_setsockopt(int fd, int level, int name, const void *value, int len) {
    if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO) &&
        len == (int)sizeof(struct timeval)) {
        const struct timeval *tv = value;
        DWORD ms = (DWORD)tv->tv_sec * 1000u + (DWORD)(tv->tv_usec / 1000);
        return setsockopt((SOCKET)(intptr_t)fd, level, name, (const char *)&ms, (int)sizeof ms);
    }
    return setsockopt((SOCKET)(intptr_t)fd, level, name, (const char *)value, len);
}

/* ---- SIGALRM / alarm(): a timer-queue timer that runs the handler ------ */

static volatile __p_sig_fn_t g_alarm_handler = SIG_DFL;
static HANDLE g_alarm_timer;
static CRITICAL_SECTION g_alarm_mu;
static INIT_ONCE g_alarm_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK alarm_init(PINIT_ONCE once, PVOID param, PVOID *ctx) {
    (void)once;
    (void)param;
    (void)ctx;
    InitializeCriticalSection(&g_alarm_mu);
    return TRUE;
}

static VOID CALLBACK alarm_fire(PVOID param, BOOLEAN fired) {
    (void)param;
    (void)fired;
    __p_sig_fn_t h = g_alarm_handler;
    if (h != SIG_DFL && h != SIG_IGN && h != SIG_ERR) {
        h(SIGALRM);
    } else if (h == SIG_DFL) {
        fputs("posix_compat: SIGALRM (alarm clock)\n", stderr);
        _exit(142); /* 128 + 14, as a shell would report */
    }
}

__p_sig_fn_t xc_signal(int sig, __p_sig_fn_t handler) {
    if (sig == SIGPIPE) return SIG_DFL; /* no SIGPIPE on Windows: nothing to ignore */
    if (sig == SIGALRM) {
        __p_sig_fn_t old = g_alarm_handler;
        g_alarm_handler = handler;
        return old;
    }
    return signal(sig, handler);
}

unsigned xc_alarm(unsigned seconds) {
    InitOnceExecuteOnce(&g_alarm_once, alarm_init, NULL, NULL);
    EnterCriticalSection(&g_alarm_mu);
    if (g_alarm_timer) {
        /* NULL completion event: returns at once; a handler already running finishes on its own. */
        DeleteTimerQueueTimer(NULL, g_alarm_timer, NULL);
        g_alarm_timer = NULL;
    }
    if (seconds > 0 &&
        !CreateTimerQueueTimer(&g_alarm_timer, NULL, alarm_fire, NULL, (DWORD)seconds * 1000u, 0,
                               WT_EXECUTEONLYONCE)) {
        g_alarm_timer = NULL;
        fprintf(stderr, "posix_compat: CreateTimerQueueTimer failed: %lu\n",
                (unsigned long)GetLastError());
    }
    LeaveCriticalSection(&g_alarm_mu);
    return 0; /* the harness ignores the remaining time */
}

/* ---- mkdtemp ----------------------------------------------------------- */

char *xc_mkdtemp(char *tmpl) {
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static volatile LONG counter;
    size_t n = strlen(tmpl);
    if (n < 6 || strcmp(tmpl + n - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return NULL;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long long v = ((unsigned long long)GetCurrentProcessId() << 32) ^
                               (unsigned long long)GetTickCount64() * 2654435761u ^
                               (unsigned long long)InterlockedIncrement(&counter) * 40503u;
        for (size_t i = n - 6; i < n; i++) {
            tmpl[i] = chars[v % (sizeof chars - 1)];
            v /= (sizeof chars - 1);
        }
        if (_mkdir(tmpl) == 0) return tmpl;
        if (errno != EEXIST) break;
    }
    memcpy(tmpl + n - 6, "XXXXXX", 6);
    return NULL;
}
