/*
 * local: the kiosk's own database (SQLite, WAL), beside the content database but never part of
 * a pack: what the kiosk remembers across restarts (newest manifest time seen, staff-mode
 * lockout); the booking room keeps its bookings and outbox in the same file, opened through
 * local_db_open. A pack never touches this file.
 */
#ifndef KIOSK_LOCAL_H
#define KIOSK_LOCAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct local local;
struct sqlite3;

/* How long a writer waits for another's lock: well above one booking transaction, since ten
 * kiosk processes (or the UI, the sync and the booking worker) may queue on it. */
#define LOCAL_BUSY_MS 10000

/*
 * The one way the state database is opened, by this room and by the booking room (which keeps
 * its own tables in the same file), so every connection runs with the same pragmas: WAL (readers
 * never wait for the writer; switching is retried for ~5 s while another process holds the new
 * file), synchronous=FULL (a confirmed booking survives a power cut), busy_timeout LOCAL_BUSY_MS,
 * secure_delete (purged names and phone numbers leave no copy in free pages) and foreign_keys.
 * Returns 0 and *db (sqlite3_close it), or -1 with "path: why" in err (*db NULL).
 */
int local_db_open(const char *path, struct sqlite3 **db, char *err, size_t errlen);

/* Open or create the database at path. Returns 0, or -1 with a message in err. */
int local_open(local **out, const char *path, char *err, size_t errlen);
void local_close(local *l);

/* A remembered number; def when absent or unreadable. */
int64_t local_get_int(local *l, const char *key, int64_t def);
/* A remembered number into *out: 1 when found, 0 when absent (*out untouched), -1 when it
 * cannot be read. For what must fail closed, where "unreadable" may not pass for "absent". */
int local_read_int(local *l, const char *key, int64_t *out);
/* Remember a number durably. Returns 0, or -1 (disk full, read-only): the caller goes on. */
int local_set_int(local *l, const char *key, int64_t value);

#endif
