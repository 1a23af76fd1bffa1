/* heap.c - the host's allocator of the harness (ABI 1.4, xerial_set_allocator).
 *
 * main() hands it to the SDK before any other call, so every case runs with the library's memory
 * on the host's allocator, as a game that routes it to its engine's does. Each block carries a
 * header in front of it (a magic number, its size and alignment) and ends where the allocation
 * under it ends, so a sanitizer still sees an overrun. `release` and `reallocate` check that the
 * block is one of ours, live, and of the size and alignment the SDK says: what does not match is
 * counted (and not freed), and case heap_serves_the_library, the last case, fails on any.
 */
#include "heap.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <malloc.h>
#endif

#include "th.h"

#define HEAP_MAGIC 0x48454150u     /* a live block of ours */
#define HEAP_RELEASED 0x46524545u  /* one we freed */

typedef struct {
    uint32_t magic;
    uint32_t alignment;
    uint64_t size;
} block_header; /* 16 bytes, right in front of the block */

static atomic_ulong g_allocations, g_reallocations, g_releases, g_mismatches;

/* Bytes in front of a block: its header, rounded up to the block's alignment. */
static size_t room_for(size_t alignment) {
    return alignment > sizeof(block_header) ? alignment : sizeof(block_header);
}

static void *allocate_under(size_t alignment, size_t total) {
#ifdef _WIN32
    return _aligned_malloc(total, alignment);
#else
    void *base = NULL;
    return posix_memalign(&base, alignment, total) == 0 ? base : NULL;
#endif
}

static void free_under(void *base) {
#ifdef _WIN32
    _aligned_free(base);
#else
    free(base);
#endif
}

static block_header *header_of(void *block) {
    return (block_header *)((unsigned char *)block - sizeof(block_header));
}

static void *heap_allocate(void *user_data, size_t size, size_t alignment) {
    (void)user_data;
    size_t room = room_for(alignment);
    if (size == 0 || size > SIZE_MAX - room || (alignment & (alignment - 1)) != 0) {
        atomic_fetch_add(&g_mismatches, 1);
        return NULL;
    }
    unsigned char *base = allocate_under(room_for(alignment), room + size);
    if (!base) return NULL;
    unsigned char *block = base + room;
    block_header *header = header_of(block);
    header->magic = HEAP_MAGIC;
    header->alignment = (uint32_t)alignment;
    header->size = size;
    atomic_fetch_add(&g_allocations, 1);
    return block;
}

/* Whether `block` is a live block of ours of this size and alignment (counted when not). */
static int is_ours(void *block, size_t size, size_t alignment) {
    block_header *header = header_of(block);
    if (header->magic == HEAP_MAGIC && header->size == size && header->alignment == alignment) return 1;
    atomic_fetch_add(&g_mismatches, 1);
    return 0;
}

static void heap_release(void *user_data, void *block, size_t size, size_t alignment) {
    (void)user_data;
    if (!is_ours(block, size, alignment)) return;
    header_of(block)->magic = HEAP_RELEASED;
    atomic_fetch_add(&g_releases, 1);
    free_under((unsigned char *)block - room_for(alignment));
}

static void *heap_reallocate(void *user_data, void *block, size_t old_size, size_t new_size, size_t alignment) {
    if (!is_ours(block, old_size, alignment)) return NULL;
    void *moved = heap_allocate(user_data, new_size, alignment);
    if (!moved) return NULL;
    memcpy(moved, block, old_size < new_size ? old_size : new_size);
    heap_release(user_data, block, old_size, alignment);
    atomic_fetch_add(&g_reallocations, 1);
    return moved;
}

static const XerialAllocator g_table = {
    sizeof(XerialAllocator), NULL, heap_allocate, heap_reallocate, heap_release,
};

int32_t heap_install(void) { return xerial_set_allocator(&g_table); }

const XerialAllocator *heap_table(void) { return &g_table; }

/* Last in the table: the SDK's memory came from the harness's allocator all run long, and every
 * block it gave back was one of ours, live, of the size and alignment it had. */
void case_heap_serves_the_library(void) {
    /* A request allocates and releases through it. */
    REQUIRE(sdk_init(XERIAL_DISPATCH_POLL, 0) == XERIAL_OK);
    unsigned long allocations = atomic_load(&g_allocations);
    unsigned long releases = atomic_load(&g_releases);
    rec_t *answer = rec_new();
    REQUIRE(issue_logout("not-a-session", answer) != 0);
    REQUIRE_MSG(wait_rec(answer, SLOW(5000)), "the logout: no callback within 5 s");
    CHECK_CODE(answer->code, XERIAL_E_NOT_FOUND);
    CHECK_MSG(atomic_load(&g_allocations) > allocations, "a logout allocated nothing through the host's allocator");
    CHECK_MSG(atomic_load(&g_releases) > releases, "a logout released nothing through the host's allocator");

    /* Refusals: the struct is checked first, and a valid one comes too late. */
    XerialAllocator table = *heap_table();
    CHECK_CODE(xerial_set_allocator(NULL), XERIAL_E_INVALID_ARGUMENT);
    table.struct_size = (uint32_t)offsetof(XerialAllocator, release);
    CHECK_CODE(xerial_set_allocator(&table), XERIAL_E_INVALID_ARGUMENT);
    table = *heap_table();
    table.allocate = NULL;
    CHECK_CODE(xerial_set_allocator(&table), XERIAL_E_INVALID_ARGUMENT);
    table = *heap_table();
    table.release = NULL;
    CHECK_CODE(xerial_set_allocator(&table), XERIAL_E_INVALID_ARGUMENT);
    CHECK_CODE(xerial_set_allocator(heap_table()), XERIAL_E_ALREADY_INITIALIZED);
    CLEANUP;
    CHECK_EQ(atomic_load(&g_mismatches), 0);
    printf("# heap: %lu blocks allocated, %lu released, %lu resized through the host's allocator\n",
           atomic_load(&g_allocations), atomic_load(&g_releases), atomic_load(&g_reallocations));
}
