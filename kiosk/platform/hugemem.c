/*
 * hugemem.c: SDL's allocator with its large blocks on transparent huge pages (hugemem.h).
 *
 * SDL's memory functions take no context, so the live large blocks are kept in a small table of
 * this file: free and realloc must know a block's mapping from its address alone. There are one
 * or two at a time (the window surface, a resized one for a moment); a full table, a failed
 * mapping or a small block goes to malloc, which is always correct, only slower to fault in.
 */
#include "hugemem.h"

#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define SLOTS 8

static struct large {
    void *p;
    size_t len; /* the mapping's length, a multiple of the page size */
    size_t n;   /* what was asked for */
} slots[SLOTS];
/* SDL allocates from its own threads too (audio, timers) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of large block p, or a free one for p NULL; NULL when there is none. */
static struct large *find(const void *p)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p == p) return &slots[i];
    return NULL;
}

/* A block of n bytes on a mapping of its own, HUGE_PAGE aligned; NULL to use malloc instead. The
 * mapping ends with the block's last page: the whole 2 MiB ranges inside it take huge pages, the
 * rest small ones, so a 1920x1080 surface (7.9 MiB) holds 8100 KiB, not four huge pages' 8192. */
static void *map_large(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = (n + page - 1) & ~(page - 1);
    if (len < n) return NULL;
    pthread_mutex_lock(&lock);
    struct large *s = find(NULL);
    if (s) s->p = (void *)1; /* taken while it is mapped */
    pthread_mutex_unlock(&lock);
    if (!s) return NULL;
    /* one huge page more than needed, then the unaligned ends cut off: the kernel puts huge
     * pages only on aligned 2 MiB ranges wholly inside the mapping */
    uint8_t *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        pthread_mutex_lock(&lock);
        s->p = NULL;
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    uint8_t *a = (uint8_t *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (a > m) munmap(m, (size_t)(a - m));
    if (a + len < m + len + HUGE_PAGE) munmap(a + len, (size_t)(m + len + HUGE_PAGE - (a + len)));
    /* refused where the kernel has no transparent huge pages: then these are ordinary pages */
    (void)madvise(a, len, MADV_HUGEPAGE);
    pthread_mutex_lock(&lock);
    s->p = a;
    s->len = len;
    s->n = n;
    pthread_mutex_unlock(&lock);
    return a;
}

/* Unmaps p when it is a large block: 1; else 0 (not one of ours). */
static int unmap_large(void *p)
{
    if (!p) return 0;
    pthread_mutex_lock(&lock);
    struct large *s = find(p);
    size_t len = s ? s->len : 0;
    if (s) s->p = NULL;
    pthread_mutex_unlock(&lock);
    if (!len) return 0;
    munmap(p, len);
    return 1;
}

void *hugemem_malloc(size_t n)
{
    void *p = n >= HUGEMEM_MIN ? map_large(n) : NULL;
    return p ? p : malloc(n);
}

void *hugemem_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    /* a fresh anonymous mapping reads as zeros already */
    void *p = count * size >= HUGEMEM_MIN ? map_large(count * size) : NULL;
    return p ? p : calloc(count, size);
}

void *hugemem_realloc(void *p, size_t n)
{
    if (!p) return hugemem_malloc(n);
    pthread_mutex_lock(&lock);
    struct large *s = find(p);
    size_t old = s ? s->n : 0;
    pthread_mutex_unlock(&lock);
    /* a small block grown large stays malloc's: realloc may extend it in place */
    if (!s) return realloc(p, n);
    void *q = hugemem_malloc(n ? n : 1);
    if (!q) return NULL;
    memcpy(q, p, old < n ? old : n);
    unmap_large(p);
    return q;
}

void hugemem_free(void *p)
{
    if (p && !unmap_large(p)) free(p);
}

int hugemem_is_large(const void *p)
{
    if (!p) return 0;
    pthread_mutex_lock(&lock);
    int yes = find(p) != NULL;
    pthread_mutex_unlock(&lock);
    return yes;
}

int hugemem_install(void)
{
    return SDL_SetMemoryFunctions(hugemem_malloc, hugemem_calloc, hugemem_realloc, hugemem_free) == 0 ? 0 : -1;
}
