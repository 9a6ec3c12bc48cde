/*
 * local: the kiosk's own database (SQLite, WAL), beside the content database but never part of
 * a pack: what the kiosk remembers across restarts (newest manifest time seen, staff-mode
 * lockout) and, later, bookings and the outbox. A pack never touches this file.
 */
#ifndef KIOSK_LOCAL_H
#define KIOSK_LOCAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct local local;

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
