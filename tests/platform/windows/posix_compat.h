/* posix_compat.h - just enough POSIX on top of mingw-w64 + winsock for the
 * native C harness (the .c files of tests/harness/) to compile and run on Windows / Wine
 * WITHOUT editing its sources. TEST-ONLY: never part of the product.
 *
 * Force-included into every harness translation unit by
 * scripts/platforms/windows-test.sh:
 *     -include tests/platform/windows/posix_compat.h -I tests/platform/windows/include
 * and linked with tests/platform/windows/posix_compat.c and -lws2_32.
 *
 * What it papers over (each is a portability point of the harness):
 *   <sys/socket.h> <netdb.h> <arpa/inet.h> <netinet/in.h>  -> winsock2.h / ws2tcpip.h
 *                                     (stub headers in include/)
 *   WSAStartup                        -> called from a constructor in posix_compat.c
 *   close(socket)                     -> closesocket() (a socket is not a CRT fd on Windows)
 *   setsockopt(SO_RCVTIMEO/SNDTIMEO, struct timeval)
 *                                     -> a DWORD of milliseconds, as winsock wants
 *   MSG_NOSIGNAL                      -> 0 (Windows has no SIGPIPE)
 *   send() then recv() on one socket  -> the sends are held back and written in ONE send() at
 *                                        the first recv() (see "RST" below)
 *   SIGPIPE / SIGALRM / alarm()       -> SIGPIPE ignored; alarm() is a timer-queue timer that
 *                                        calls the SIGALRM handler (the watchdog) on a pool thread
 *   mkdtemp()                         -> _mkdir() on a randomised template (mingw has no mkdtemp)
 *   __attribute__((format(printf,..)))-> format(gnu_printf,..): on mingw GCC maps the `printf`
 *                                        archetype to ms_printf, which rejects %zu (a false
 *                                        positive: with __USE_MINGW_ANSI_STDIO=1, set by the
 *                                        build, vsnprintf is mingw's C99 one and prints %zu).
 *                                        No mingw header spells `format(` without underscores.
 */
#ifndef XERIAL_PLATFORM_POSIX_COMPAT_H
#define XERIAL_PLATFORM_POSIX_COMPAT_H

#ifndef _WIN32
#error "posix_compat.h is for Windows (mingw-w64) builds only"
#endif

#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601 /* Windows 7: getaddrinfo, AI_NUMERICSERV */
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif

#ifndef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 1
#endif
#define format(archetype, ...) format(gnu_printf, __VA_ARGS__)

/* winsock2.h must come before anything that pulls windows.h in. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <io.h>
#include <signal.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif
#ifndef SIGPIPE
#define SIGPIPE 13
#endif
#ifndef SIGALRM
#define SIGALRM 14
#endif

int xc_close(int fd);
int xc_send(int fd, const void *buf, size_t len, int flags);
int xc_recv(int fd, void *buf, size_t len, int flags);
int xc_setsockopt(int fd, int level, int name, const void *value, int len);
__p_sig_fn_t xc_signal(int sig, __p_sig_fn_t handler);
unsigned xc_alarm(unsigned seconds);
char *xc_mkdtemp(char *tmpl);

#define close(fd) xc_close(fd)
#define send(fd, buf, len, flags) xc_send((int)(fd), (buf), (len), (flags))
#define recv(fd, buf, len, flags) xc_recv((int)(fd), (buf), (len), (flags))
#define setsockopt(fd, level, name, value, len) \
    xc_setsockopt((int)(fd), (level), (name), (const void *)(value), (int)(len))
#define signal(sig, handler) xc_signal((sig), (handler))
#define alarm(seconds) xc_alarm(seconds)
#define mkdtemp(tmpl) xc_mkdtemp(tmpl)

#endif
