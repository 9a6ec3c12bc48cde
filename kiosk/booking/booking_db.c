/*
 * booking_db.c: the table "booking" in the kiosk-local SQLite file: its schema, rows in and
 * out, booking codes, and the purge of personal data (see booking.c for what a row means).
 */
#include "booking/booking_priv.h"
#include "platform/wallclock.h"

#include "platform/log.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS booking("
    " id INTEGER PRIMARY KEY AUTOINCREMENT," /* outbox order; AUTOINCREMENT never reuses an id */
    " code TEXT NOT NULL UNIQUE,"
    " backend INTEGER NOT NULL,"
    " offer_id TEXT NOT NULL, title TEXT NOT NULL, location TEXT,"
    " slot_start INTEGER NOT NULL, slot_end INTEGER NOT NULL, capacity INTEGER NOT NULL,"
    " seat INTEGER, state INTEGER NOT NULL,"
    " name TEXT, phone TEXT,"
    " created INTEGER NOT NULL,"
    /* the place of an offer held at several ('' for one): each place has its own seats */
    " place TEXT NOT NULL DEFAULT '',"
    " UNIQUE(backend, offer_id, slot_start, place, seat));"
    "CREATE INDEX IF NOT EXISTS booking_slot ON booking(offer_id, slot_start);"
    "CREATE INDEX IF NOT EXISTS booking_state ON booking(state, id);";

/* A file from before places had seats of their own: the table made anew with the place ('' for
 * every old booking, as they were made for offers counted as one place), rows and ids kept. */
static const char add_place[] =
    "BEGIN IMMEDIATE;"
    "ALTER TABLE booking RENAME TO booking_before_places;"
    "DROP INDEX IF EXISTS booking_slot; DROP INDEX IF EXISTS booking_state;"
    "%s"
    "INSERT INTO booking(id, code, backend, offer_id, title, location, slot_start, slot_end, capacity, seat, state,"
    " name, phone, created) SELECT id, code, backend, offer_id, title, location, slot_start, slot_end, capacity, seat,"
    " state, name, phone, created FROM booking_before_places;"
    "DROP TABLE booking_before_places;"
    "COMMIT;";

const char *booking_strerror(int err)
{
    switch (err) {
    case BOOKING_OK: return "no error";
    case BOOKING_ERR_ARG: return "booking called without what it needs";
    case BOOKING_ERR_REQUEST: return "this request cannot be booked";
    case BOOKING_ERR_SCHEDULE: return "the offer's opening hours cannot be read";
    case BOOKING_ERR_ZONE: return "unknown time zone";
    case BOOKING_ERR_NOMEM: return "out of memory";
    case BOOKING_ERR_DB: return "the kiosk's booking file cannot be read or written";
    case BOOKING_ERR_INTERNAL: return "the booking system failed";
    case BOOKING_ERR_UNKNOWN_CODE: return "no booking has this code";
    case BOOKING_ERR_UNREACHABLE: return "the booking server cannot be reached; try again later";
    case BOOKING_ERR_REFUSED: return "the booking server refused the request";
    case BOOKING_ERR_NO_CALENDAR: return "the offer's calendar does not exist on the CalDAV server";
    case BOOKING_ERR_NO_SERVER: return "booked on a CalDAV server, but this kiosk has none set up";
    case BOOKING_ERR_EXPORT: return "the bookings cannot be written";
    default: return "unknown error";
    }
}

int bk_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (!err || !errlen) return code;
    /* the detail first into a buffer of its own: it may quote err */
    char detail[512] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    snprintf(err, errlen, "%s%s%s", booking_strerror(code), detail[0] ? ": " : "", detail);
    return code;
}

/* Names and phone numbers are wiped from memory before it goes back to the allocator. */
void bk_free_secret(char *s)
{
    if (!s) return;
    sodium_memzero(s, strlen(s));
    free(s);
}

void bk_row_free(booking_row *w)
{
    free(w->title);
    free(w->location);
    free(w->place);
    bk_free_secret(w->name);
    bk_free_secret(w->phone);
    memset(w, 0, sizeof *w);
}

static int col_dup(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *out = t ? strdup((const char *)t) : NULL;
    return t && !*out ? -1 : 0;
}

/* Fill w from a statement selecting ROW_COLS. Returns 0, -1 out of memory. */
int bk_row_read(sqlite3_stmt *st, booking_row *w)
{
    memset(w, 0, sizeof *w);
    w->id = sqlite3_column_int64(st, 0);
    snprintf(w->info.code, sizeof w->info.code, "%s", (const char *)sqlite3_column_text(st, 1));
    w->backend = sqlite3_column_int(st, 2);
    snprintf(w->info.offer_id, sizeof w->info.offer_id, "%s", (const char *)sqlite3_column_text(st, 3));
    w->info.start = sqlite3_column_int64(st, 6);
    w->info.end = sqlite3_column_int64(st, 7);
    w->capacity = sqlite3_column_int(st, 8);
    w->info.seat = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9);
    w->info.state = sqlite3_column_int(st, 10);
    if (col_dup(st, 4, &w->title) || col_dup(st, 5, &w->location) || col_dup(st, 11, &w->name) ||
        col_dup(st, 12, &w->phone) || col_dup(st, 13, &w->place)) {
        bk_row_free(w);
        return -1;
    }
    return 0;
}

booking_request bk_row_request(const booking_row *w)
{
    return (booking_request){.offer_id = w->info.offer_id, .title = w->title, .location = w->location,
                             .start = w->info.start, .end = w->info.end, .capacity = w->capacity,
                             .name = w->name, .phone = w->phone, .place = w->place};
}

int bk_db_exec(booking *b, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(b->db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    bk_fail(err, errlen, BOOKING_ERR_DB, "%s", msg ? msg : sqlite3_errmsg(b->db));
    sqlite3_free(msg);
    return BOOKING_ERR_DB;
}

sqlite3_stmt *bk_db_prepare(booking *b, const char *sql, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
        return NULL;
    }
    return st;
}

/* Step a write statement to its end and finalize it. BOOKING_OK, or BOOKING_ERR_DB with err. */
static int db_done(booking *b, sqlite3_stmt *st, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return BOOKING_OK;
    return bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/*
 * Drop personal data no longer needed: everything but the outbox and local-backend bookings
 * whose slot is still ahead. Then fold the WAL back and truncate it so no copy of the old pages
 * stays in the log (best effort: a reader elsewhere may hold it until the next time).
 */
int bk_purge_personal(booking *b)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "UPDATE booking SET name=NULL, phone=NULL WHERE (name IS NOT NULL OR phone IS NOT NULL)"
                                  " AND state<>?1 AND NOT (state=?2 AND backend=?3 AND slot_end>?4)",
                                  NULL, 0);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    sqlite3_bind_int(st, 2, BOOKING_CONFIRMED);
    sqlite3_bind_int(st, 3, BACKEND_LOCAL);
    sqlite3_bind_int64(st, 4, wallclock_now());
    if (db_done(b, st, NULL, 0) != 0) return BOOKING_ERR_DB;
    int changed = sqlite3_changes(b->db);
    if (changed > 0) log_msg("booking", "personal data of %d booking(s) purged", changed);
    sqlite3_wal_checkpoint_v2(b->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return 0;
}

static int code_exists(booking *b, const char *code)
{
    sqlite3_stmt *st = bk_db_prepare(b, "SELECT 1 FROM booking WHERE code=?1", NULL, 0);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A fresh code not used in this file: 31^6 (~887 million) codes, so a repeat is rare. */
int bk_new_code(booking *b, char code[8], char *err, size_t errlen)
{
    static const char alphabet[] = BOOKING_CODE_ALPHABET;
    for (int attempt = 0; attempt < 20; attempt++) {
        for (int i = 0; i < BOOKING_CODE_LEN; i++) code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        code[BOOKING_CODE_LEN] = 0;
        int e = code_exists(b, code);
        if (e < 0) return bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
        if (e == 0) return BOOKING_OK;
    }
    return bk_fail(err, errlen, BOOKING_ERR_INTERNAL, "no free booking code found");
}

/* Normalise a typed code: upper case, only the alphabet. Returns 0 or -1. */
static int code_norm(const char *in, char out[8])
{
    if (!in) return -1;
    size_t n = strlen(in);
    if (n != BOOKING_CODE_LEN) return -1;
    for (size_t i = 0; i < n; i++) {
        out[i] = (char)toupper((unsigned char)in[i]);
        if (!strchr(BOOKING_CODE_ALPHABET, out[i])) return -1;
    }
    out[n] = 0;
    return 0;
}

/* Load the row of a code (booking_priv.h). */
int bk_row_by_code(booking *b, const char *code, booking_row *w, char *err, size_t errlen)
{
    char c[8];
    /* a typed code outside the alphabet was never handed out */
    if (code_norm(code, c) != 0) return bk_fail(err, errlen, BOOKING_ERR_UNKNOWN_CODE, NULL);
    sqlite3_stmt *st = bk_db_prepare(b, "SELECT " ROW_COLS " FROM booking WHERE code=?1", err, errlen);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), out = BOOKING_OK;
    if (rc == SQLITE_ROW && bk_row_read(st, w) != 0)
        out = bk_fail(err, errlen, BOOKING_ERR_NOMEM, NULL);
    else if (rc == SQLITE_DONE)
        out = bk_fail(err, errlen, BOOKING_ERR_UNKNOWN_CODE, NULL);
    else if (rc != SQLITE_ROW)
        out = bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
    sqlite3_finalize(st);
    return out;
}

/* Insert a row for r; seat < 0 stores NULL; personal: store name and phone. */
int bk_row_insert(booking *b, const booking_request *r, const char *code, int backend, int seat, int state,
                      int personal, char *err, size_t errlen)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "INSERT INTO booking(code, backend, offer_id, title, location, slot_start, slot_end,"
                                  " capacity, seat, state, name, phone, created, place)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                                  err, errlen);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, backend);
    sqlite3_bind_text(st, 3, r->offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->title && *r->title ? r->title : r->offer_id, -1, SQLITE_STATIC);
    bind_text_or_null(st, 5, r->location);
    sqlite3_bind_int64(st, 6, r->start);
    sqlite3_bind_int64(st, 7, r->end);
    sqlite3_bind_int(st, 8, r->capacity);
    if (seat >= 0)
        sqlite3_bind_int(st, 9, seat);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_int(st, 10, state);
    bind_text_or_null(st, 11, personal ? r->name : NULL);
    bind_text_or_null(st, 12, personal ? r->phone : NULL);
    sqlite3_bind_int64(st, 13, wallclock_now());
    sqlite3_bind_text(st, 14, r->place ? r->place : "", -1, SQLITE_STATIC);
    return db_done(b, st, err, errlen);
}

/* Set a row's state and seat (seat < 0: NULL); name and phone go unless the row stays queued. */
int bk_row_set_state(booking *b, int64_t id, int state, int seat, char *err, size_t errlen)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "UPDATE booking SET state=?2, seat=?3,"
                                  " name=CASE WHEN ?2=?4 THEN name END, phone=CASE WHEN ?2=?4 THEN phone END"
                                  " WHERE id=?1",
                                  err, errlen);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, state);
    if (seat >= 0)
        sqlite3_bind_int(st, 3, seat);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_int(st, 4, BOOKING_QUEUED);
    return db_done(b, st, err, errlen);
}

/*
 * The server just accepted a new resource for this seat, so whatever this kiosk remembered for
 * it was deleted there (staff removed it in their calendar): that old booking is cancelled.
 */
int bk_forget_stale_seat(booking *b, const char *offer_id, int64_t start, const char *place, int seat)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "UPDATE booking SET state=?4, seat=NULL, name=NULL, phone=NULL"
                                  " WHERE backend=?5 AND offer_id=?1 AND slot_start=?2 AND seat=?3 AND place=?6",
                                  NULL, 0);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_text(st, 6, place ? place : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 1, offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int(st, 3, seat);
    sqlite3_bind_int(st, 4, BOOKING_CANCELLED);
    sqlite3_bind_int(st, 5, BACKEND_CALDAV);
    return db_done(b, st, NULL, 0);
}

int bk_db_setup(booking *b, char *err, size_t errlen)
{
    sqlite3_stmt *st = bk_db_prepare(b, "SELECT count(*) FROM pragma_table_info('booking') WHERE name IN ('id', 'place')",
                                     err, errlen);
    if (!st) return BOOKING_ERR_DB;
    int cols = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (cols != 1) return cols < 0 ? bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db))
                                   : bk_db_exec(b, schema, err, errlen);
    /* the table is there without the place */
    size_t n = sizeof add_place + sizeof schema;
    char *sql = malloc(n);
    if (!sql) return bk_fail(err, errlen, BOOKING_ERR_NOMEM, NULL);
    snprintf(sql, n, add_place, schema);
    int rc = bk_db_exec(b, sql, err, errlen);
    if (rc != 0) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    free(sql);
    return rc;
}
