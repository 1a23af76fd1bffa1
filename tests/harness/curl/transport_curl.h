/* transport_curl.h - a host transport over libcurl (transport_curl.c). */
#ifndef XERIAL_HARNESS_TRANSPORT_CURL_H
#define XERIAL_HARNESS_TRANSPORT_CURL_H

#include "xerial.h"

/* Starts the transport's worker thread (once); its table, or NULL if libcurl cannot start. */
const XerialTransport *curl_transport_start(void);
/* Stops the worker (after the last xerial_shutdown) and drops what it still held. */
void curl_transport_stop(void);

typedef struct {
    long sent;      /* `send` calls */
    long cancelled; /* transfers dropped on the SDK's `cancel` */
    long answered;  /* answers the SDK accepted (XERIAL_OK) */
    long refused;   /* answers the SDK refused (XERIAL_E_NOT_FOUND: it had stopped waiting) */
} curl_transport_stats;

curl_transport_stats curl_transport_counts(void);

#endif
