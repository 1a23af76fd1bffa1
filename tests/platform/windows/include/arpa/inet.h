/* arpa/inet.h - Windows stand-in for the POSIX header (test-only; see tests/platform/windows/posix_compat.h). */
#ifndef XERIAL_PLATFORM_ARPA_INET_H
#define XERIAL_PLATFORM_ARPA_INET_H
#include <winsock2.h>
#include <ws2tcpip.h>
#endif
