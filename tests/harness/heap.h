/* heap.h - the host's allocator the harness hands the SDK before anything else (heap.c). */
#ifndef XERIAL_HARNESS_HEAP_H
#define XERIAL_HARNESS_HEAP_H

#include <stdint.h>

#include "xerial.h"

/* Hands the harness's allocator to the SDK (xerial_set_allocator); returns its code. */
int32_t heap_install(void);

/* The table heap_install handed over (for the refusals the case checks). */
const XerialAllocator *heap_table(void);

#endif
