/*
 * hugemem: SDL's allocator with its large blocks on transparent huge pages. The window surface
 * of the software renderer (8 MiB at 1920x1080) is the largest thing the kiosk allocates, and
 * SDL clears it as it makes it: in 4 KiB pages that is ~2,000 page faults, each one charged,
 * zeroed and mapped by the kernel, about a tenth of the first frame's CPU. In 2 MiB pages it is
 * three, and ~490 small ones for the last 1.9 MiB: a fourth huge page would hold 92 KiB more than
 * the surface needs. Where the kernel has no transparent huge pages (or keeps them for madvise
 * only and refuses), the blocks are ordinary pages, as before.
 */
#ifndef KIOSK_PLATFORM_HUGEMEM_H
#define KIOSK_PLATFORM_HUGEMEM_H

#include <stddef.h>

/* Blocks of at least this many bytes are mapped on their own, 2 MiB aligned, huge pages asked. */
#define HUGEMEM_MIN ((size_t)4 << 20)

/*
 * Make SDL allocate through hugemem. Call first thing in main, before any SDL call (SDL_SetHint
 * allocates): SDL_free must never see a block another allocator made. 0, or -1 when SDL refused.
 */
int hugemem_install(void);

/* The allocator itself (SDL's signatures), for tests: blocks under HUGEMEM_MIN are malloc's. */
void *hugemem_malloc(size_t n);
void *hugemem_calloc(size_t count, size_t size);
void *hugemem_realloc(void *p, size_t n);
void hugemem_free(void *p);
/* Whether p is one of the large blocks mapped on its own (tests). */
int hugemem_is_large(const void *p);

#endif
