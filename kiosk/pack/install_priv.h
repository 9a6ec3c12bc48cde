/*
 * install_priv.h: what install.c, install_check.c, install_values.c and install_lock.c share. Not for other rooms,
 * which install through install.h.
 */
#ifndef KIOSK_PACK_INSTALL_PRIV_H
#define KIOSK_PACK_INSTALL_PRIV_H

#include "install.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* ---------- the checks (install_check.c) ---------- */

/* Open a hostile database to read it, never trusting it: no triggers or views run, no schema
 * tricks. 0, or -1 (*db may still need sqlite3_close). */
int pack_open_untrusted(const char *path, int flags, sqlite3 **db);

/* Open the copied payload at path and make sure it is a content database of exactly our schema
 * and of the manifest's version. ref is a scratch path for the reference schema. A pack_err. */
int pack_check_payload_db(const char *path, const char *ref, const pack_manifest *m, char *err, size_t errlen);

/* What a payload of our schema holds (install_values.c), on db open on it: no more rows than the
 * build writes, schedules and closed days the build would write, service_row and taxonomy_count
 * exactly as its content derives them, no reference to a missing row, texts of UTF-8 without
 * control characters within kiosk-pack build's lengths in this kiosk's languages, pictures that
 * pack_media_problem takes. A pack_err. */
int pack_check_values(sqlite3 *db, char *err, size_t errlen);
/* The tables a delta changes (pack_check_changeset fills it): what it leaves is checked where it
 * can differ from the installed content, which passed every check when it was installed. */
typedef struct pack_tables {
    int n; /* how many tables; -1 when not known: every table counts as changed every way */
    struct pack_table_change {
        char name[64];
        int inserts, deletes; /* whether it inserts or deletes rows of the table */
        uint64_t updated;     /* the columns its updates set: bit c for column c, 63 for 63 and after */
    } t[64];
} pack_tables;
/* Whether table is one of t's: always for t NULL or not known. */
int pack_tables_has(const pack_tables *t, const char *table);
/* Whether t inserts (op SQLITE_INSERT) or deletes (SQLITE_DELETE) rows of table or sets its
 * column col (-1: none) by an update: what can break a reference from or to that column. Always
 * for t NULL or not known. */
int pack_tables_reach(const pack_tables *t, const char *table, int op, int col);

/* The same as pack_check_values without reading every text or picture: for a delta applied in
 * place, whose changes' texts and pictures pack_check_changeset held to those rules already, and
 * only for what reads a table in changed (NULL: all). A pack_err. */
int pack_check_derived(sqlite3 *db, const pack_tables *changed, char *err, size_t errlen);

/* Why a picture cannot be drawn within bounds, NULL when it can: a type other than image/png or
 * image/svg+xml (mime NULL: taken from the data), data of another type, empty or over
 * LIM_MEDIA_BYTES; a PNG whose header is missing or announces more than LIM_PICTURE_SIDE pixels a
 * side; an SVG over LIM_SVG_BYTES, not text, or with dashed strokes. Used by build and install. */
const char *pack_media_problem(const char *mime, const unsigned char *data, size_t len);

/* The texts one change of a delta writes (the new values of an insert or update of table tab),
 * within the same lengths and rules as pack_check_values; ref holds tab as this kiosk makes it
 * (its columns in order). lim caches the table's columns between calls for one table (zero it
 * first; a change of table refills it). A pack_err. */
typedef struct pack_change_limits {
    char table[64];
    int found;                    /* tab has texts to check */
    int col[8];                   /* their columns in the table, -1 when absent */
} pack_change_limits;
struct sqlite3_changeset_iter;
int pack_check_change_texts(sqlite3 *ref, struct sqlite3_changeset_iter *it, const char *tab, int op,
                            pack_change_limits *lim, char *err, size_t errlen);

/* A delta may change rows of the content tables only, each with its table's column count: not
 * the search index (every kiosk rebuilds its own), nothing SQLite would silently skip. With sg
 * (may be NULL), the offers it adds, changes and removes are counted there; with changed (may be
 * NULL), the tables it changes are listed there. A pack_err. */
int pack_check_changeset(const unsigned char *blob, int size, pack_staged *sg, pack_tables *changed, char *err,
                         size_t errlen);

/* ---------- who installs (install_lock.c) ---------- */

/* content_path + suffix into buf; 0, or -1 when it does not fit. */
int pack_beside(const char *content_path, const char *suffix, char *buf, size_t len);

/*
 * The install lock: an flock on CONTENT.lock, held from staging to switch. The file itself
 * means nothing (it stays); the kernel drops the lock when its holder dies, so a power cut or
 * kill -9 never leaves the content locked. Returns the descriptor, -1 with errno (EWOULDBLOCK
 * when another installer held it for all of wait_ms).
 */
int pack_lock_content(const char *content_path, int wait_ms);
/* Release it (fd < 0: nothing). */
void pack_unlock_content(int fd);

/* Remove the staging files: CONTENT.new.XXXXXX (and CONTENT.new from kiosks before the lock, plus
 * SQLite's journals beside either). Only the lock's holder may call this: then none is in use.
 * 0, or -1 with errno when the folder could not be read to its end (some may be left). */
int pack_remove_stale(const char *content_path);

/* A fresh, unique staging file beside the content, readable like the content it becomes; its
 * name into path (len bytes). NULL with errno. */
FILE *pack_staging_file(const char *content_path, char *path, size_t len);

#endif
