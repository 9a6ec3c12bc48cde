/*
 * storage: can the kiosk still write where a file lives? The free space of the file system that
 * holds it, and whether that file system takes writes, for the staff screen, the health report,
 * the sync room's downloads and the installer's staged copies. A read-only or full disk never stops the kiosk from showing
 * content, but staff and the district must learn of it.
 */
#ifndef KIOSK_PLATFORM_STORAGE_H
#define KIOSK_PLATFORM_STORAGE_H

#include <stddef.h>
#include <stdint.h>

/* Below this many free bytes nothing can be saved reliably (a database page, a WAL frame, a log). */
#define STORAGE_MIN_FREE (4u << 20)

typedef enum storage_state {
    STORAGE_OK = 0,
    STORAGE_FULL,     /* less than the reserve free to unprivileged writers */
    STORAGE_READONLY, /* mounted read-only */
    STORAGE_UNKNOWN,  /* the file system could not be asked (statvfs failed) */
} storage_state;

typedef struct storage_info {
    storage_state state;
    uint64_t free_bytes; /* available to unprivileged writers; 0 when unknown */
    uint64_t device;     /* the folder's st_dev: two folders on one file system share it; 0 when unknown */
} storage_info;

/* A word for the state: "ok", "full", "read-only", "unknown" (English, for reports and logs). */
const char *storage_state_name(storage_state s);

/*
 * The file system holding the folder of file_path ("." when it has no '/'): free bytes, and its
 * state, full when fewer than reserve bytes are free (STORAGE_MIN_FREE when 0). Returns the
 * state, also in out->state.
 */
storage_state storage_probe(const char *file_path, uint64_t reserve, storage_info *out);

/* The same for the folder dir itself. Every statvfs of the kiosk is made here. */
storage_state storage_probe_dir(const char *dir, uint64_t reserve, storage_info *out);

#endif
