/*
 * booking.c: the two booking backends and the outbox (booking.h).
 *
 * Everything lives in one table, "booking", in the kiosk-local SQLite file (the file local.c
 * opens too; the table names do not collide). A row is a booking made at this kiosk:
 *  - local backend (backend 0): the row is the booking. The seat is chosen inside BEGIN IMMEDIATE
 *    and UNIQUE(backend, offer_id, slot_start, seat) backs it up, so several processes on the same
 *    file can never hand out one seat twice.
 *  - CalDAV backend (backend 1): the server is the authority. A row in state QUEUED is the outbox
 *    (oldest first by id); a CONFIRMED row remembers the code, the slot and the seat so the
 *    booking can be looked up and cancelled here.
 * seat is NULL while nothing is held (queued, taken, cancelled); SQLite lets NULLs repeat under
 * UNIQUE.
 *
 * Personal data (name, phone) is written only where it is still needed: in the outbox until the
 * server holds the booking, and in local-backend bookings until their slot is over. The
 * connection runs with secure_delete, and purging ends with a WAL checkpoint that truncates the
 * log, so purged names do not linger in free pages or old WAL frames of the file.
 */
#include "booking.h"

#include "booking/caldav.h"
#include "platform/log.h"

#include <ctype.h>
#include <libical/ical.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BOOKING_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define BOOKING_CODE_LEN 6
#define BOOKING_MAX_NAME 200
#define BOOKING_MAX_PHONE 64
#define BOOKING_MAX_TEXT 1000
#define BOOKING_MAX_SEATS 1000
#define BOOKING_ZONE "Europe/Berlin"

enum { BACKEND_LOCAL = 0, BACKEND_CALDAV = 1 };

struct booking {
    sqlite3 *db;
    int remote;       /* CalDAV backend configured */
    caldav_config dav; /* points into the copies below */
    char *url, *user, *password, *kiosk_id;
};

/* One row of the table, strings owned. */
typedef struct booking_row {
    int64_t id;
    booking_info info;
    int backend, capacity;
    char *title, *location, *name, *phone;
} booking_row;

#define ROW_COLS "id, code, backend, offer_id, title, location, slot_start, slot_end, capacity, seat, state, name, phone"

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
    " UNIQUE(backend, offer_id, slot_start, seat));"
    "CREATE INDEX IF NOT EXISTS booking_slot ON booking(offer_id, slot_start);"
    "CREATE INDEX IF NOT EXISTS booking_state ON booking(state, id);";

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Names and phone numbers are wiped from memory before it goes back to the allocator. */
static void free_secret(char *s)
{
    if (!s) return;
    sodium_memzero(s, strlen(s));
    free(s);
}

static void row_free(booking_row *w)
{
    free(w->title);
    free(w->location);
    free_secret(w->name);
    free_secret(w->phone);
    memset(w, 0, sizeof *w);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int col_dup(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *out = t ? strdup((const char *)t) : NULL;
    return t && !*out ? -1 : 0;
}

/* Fill w from a statement selecting ROW_COLS. Returns 0, -1 out of memory. */
static int row_read(sqlite3_stmt *st, booking_row *w)
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
        col_dup(st, 12, &w->phone)) {
        row_free(w);
        return -1;
    }
    return 0;
}

static booking_request row_request(const booking_row *w)
{
    return (booking_request){.offer_id = w->info.offer_id, .title = w->title, .location = w->location,
                             .start = w->info.start, .end = w->info.end, .capacity = w->capacity,
                             .name = w->name, .phone = w->phone};
}

/* ---- time helpers ---- */

/* ISO 8601 "2025-03-01T09:00:00Z" for people and spreadsheets */
static void utc_iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* iCalendar basic format "20250301T090000Z", as in resource names */
static void utc_stamp(int64_t t, char out[17])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* The CalDAV resource of one seat: "<start as YYYYMMDDTHHMMSSZ>-<seat>.ics". */
static void resource_name(int64_t start, int seat, char out[48])
{
    char stamp[17];
    utc_stamp(start, stamp);
    snprintf(out, 48, "%s-%d.ics", stamp, seat);
}

/* The seat a resource name stands for when it belongs to the slot start, else -1. */
static int resource_seat(const char *resource, int64_t start)
{
    char stamp[17], tail[8];
    int seat;
    utc_stamp(start, stamp);
    size_t n = strlen(stamp);
    if (strncmp(resource, stamp, n) != 0 || sscanf(resource + n, "-%d%7s", &seat, tail) != 2 || seat < 0 ||
        strcmp(tail, ".ics") != 0)
        return -1;
    return seat;
}

static icaltimezone *zone_local(void)
{
    return icaltimezone_get_builtin_timezone(BOOKING_ZONE);
}

/* [from, to) of the local day "YYYY-MM-DD"; to differs from from + 86400 on DST days. */
static int day_range(const char *day, int64_t *from, int64_t *to)
{
    int y, m, d;
    char extra;
    icaltimezone *tz = zone_local();
    if (!day || !tz || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || y < 1970 || m < 1 || m > 12 ||
        d < 1 || d > icaltime_days_in_month(m, y))
        return -1;
    struct icaltimetype t = icaltime_null_time();
    t.year = y;
    t.month = m;
    t.day = d;
    *from = (int64_t)icaltime_as_timet_with_zone(t, tz);
    icaltime_adjust(&t, 1, 0, 0, 0);
    *to = (int64_t)icaltime_as_timet_with_zone(t, tz);
    return 0;
}

/* "YYYY-MM-DD HH:MM" in the kiosk's zone, for staff reading the CSV. */
static void local_time_text(int64_t t, char out[20])
{
    icaltimezone *tz = zone_local();
    struct icaltimetype lt = icaltime_from_timet_with_zone((time_t)t, 0, tz ? tz : icaltimezone_get_utc_timezone());
    snprintf(out, 20, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day, lt.hour, lt.minute);
}

/* ---- iCalendar (libical) ---- */

static icalproperty *x_prop(const char *name, const char *value)
{
    icalproperty *p = icalproperty_new_x(value);
    if (p) icalproperty_set_x_name(p, name);
    return p;
}

static void add_prop(icalcomponent *c, icalproperty *p)
{
    if (p) icalcomponent_add_property(c, p);
}

/*
 * The VEVENT of a booking. kiosk_id non-NULL: the staff version (name, phone, kiosk in the
 * DESCRIPTION); NULL: the version for the person's own phone, without personal data.
 */
static icalcomponent *event_new(const booking_request *r, const char *code, const char *kiosk_id, int status)
{
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    char uid[32], desc[BOOKING_MAX_NAME + BOOKING_MAX_PHONE + 300] = "";
    snprintf(uid, sizeof uid, "%s@kiosk", code);
    size_t n = 0;
    if (kiosk_id && r->name && *r->name) n += (size_t)snprintf(desc + n, sizeof desc - n, "Name: %s\n", r->name);
    if (kiosk_id && r->phone && *r->phone) n += (size_t)snprintf(desc + n, sizeof desc - n, "Phone: %s\n", r->phone);
    if (kiosk_id && *kiosk_id) n += (size_t)snprintf(desc + n, sizeof desc - n, "Kiosk: %.100s\n", kiosk_id);
    snprintf(desc + n, sizeof desc - n, "Code: %s", code);
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    if (!ev) return NULL;
    add_prop(ev, icalproperty_new_uid(uid));
    add_prop(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(time(NULL), 0, utc)));
    add_prop(ev, icalproperty_new_dtstart(icaltime_from_timet_with_zone((time_t)r->start, 0, utc)));
    add_prop(ev, icalproperty_new_dtend(icaltime_from_timet_with_zone((time_t)r->end, 0, utc)));
    add_prop(ev, icalproperty_new_summary(r->title && *r->title ? r->title : r->offer_id));
    if (r->location && *r->location) add_prop(ev, icalproperty_new_location(r->location));
    add_prop(ev, icalproperty_new_description(desc));
    if (status == BOOKING_CONFIRMED) add_prop(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
    if (status == BOOKING_QUEUED) add_prop(ev, icalproperty_new_status(ICAL_STATUS_TENTATIVE));
    /* the phone's copy stays small: every byte makes the QR code denser */
    if (kiosk_id) add_prop(ev, x_prop("X-KIOSK-CODE", code));
    sodium_memzero(desc, sizeof desc);
    return ev;
}

static icalcomponent *calendar_new(void)
{
    return icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                               icalproperty_new_prodid("-//Kiosk//Booking//EN"), icalproperty_new_calscale("GREGORIAN"),
                               (void *)0);
}

/* The calendar as a malloc'ed string (CRLF lines, folded by libical); frees cal. */
static char *calendar_text(icalcomponent *cal)
{
    char *s = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (!s) return NULL;
    /* copied so the caller can use plain free(), whatever allocator libical was built with */
    char *out = strdup(s);
    sodium_memzero(s, strlen(s));
    icalmemory_free_buffer(s);
    return out;
}

static char *event_text(const booking_request *r, const char *code, const char *kiosk_id)
{
    icalcomponent *cal = calendar_new(), *ev = event_new(r, code, kiosk_id, -1);
    if (!cal || !ev) {
        if (cal) icalcomponent_free(cal);
        if (ev) icalcomponent_free(ev);
        return NULL;
    }
    icalcomponent_add_component(cal, ev);
    return calendar_text(cal);
}

char *booking_ics_event(const booking_request *r, const char *code)
{
    if (!r || !r->offer_id || !code || !*code) return NULL;
    return event_text(r, code, NULL);
}

/* ---- database ---- */

static int db_exec(booking *b, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(b->db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    fail(err, errlen, "booking database: %s", msg ? msg : sqlite3_errmsg(b->db));
    sqlite3_free(msg);
    return -1;
}

static sqlite3_stmt *db_prepare(booking *b, const char *sql, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
        return NULL;
    }
    return st;
}

/* Step a write statement to its end and finalize it. Returns 0, or -1 with err. */
static int db_done(booking *b, sqlite3_stmt *st, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return 0;
    return fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
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
static int purge_personal(booking *b)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "UPDATE booking SET name=NULL, phone=NULL WHERE (name IS NOT NULL OR phone IS NOT NULL)"
                                  " AND state<>?1 AND NOT (state=?2 AND backend=?3 AND slot_end>?4)",
                                  NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    sqlite3_bind_int(st, 2, BOOKING_CONFIRMED);
    sqlite3_bind_int(st, 3, BACKEND_LOCAL);
    sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
    if (db_done(b, st, NULL, 0) != 0) return -1;
    int changed = sqlite3_changes(b->db);
    if (changed > 0) log_msg("booking", "personal data of %d booking(s) purged", changed);
    sqlite3_wal_checkpoint_v2(b->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return 0;
}

static int code_exists(booking *b, const char *code)
{
    sqlite3_stmt *st = db_prepare(b, "SELECT 1 FROM booking WHERE code=?1", NULL, 0);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A fresh code not used in this file: 31^6 (~887 million) codes, so a repeat is rare. */
static int new_code(booking *b, char code[8], char *err, size_t errlen)
{
    static const char alphabet[] = BOOKING_ALPHABET;
    for (int attempt = 0; attempt < 20; attempt++) {
        for (int i = 0; i < BOOKING_CODE_LEN; i++) code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        code[BOOKING_CODE_LEN] = 0;
        int e = code_exists(b, code);
        if (e < 0) return fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
        if (e == 0) return 0;
    }
    return fail(err, errlen, "no free booking code found");
}

/* Insert a row for r; seat < 0 stores NULL; personal: store name and phone. */
static int row_insert(booking *b, const booking_request *r, const char *code, int backend, int seat, int state,
                      int personal, char *err, size_t errlen)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "INSERT INTO booking(code, backend, offer_id, title, location, slot_start, slot_end,"
                                  " capacity, seat, state, name, phone, created)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                                  err, errlen);
    if (!st) return -1;
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
    sqlite3_bind_int64(st, 13, (int64_t)time(NULL));
    return db_done(b, st, err, errlen);
}

/* Set a row's state and seat (seat < 0: NULL); name and phone go unless the row stays queued. */
static int row_set_state(booking *b, int64_t id, int state, int seat, char *err, size_t errlen)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "UPDATE booking SET state=?2, seat=?3,"
                                  " name=CASE WHEN ?2=?4 THEN name END, phone=CASE WHEN ?2=?4 THEN phone END"
                                  " WHERE id=?1",
                                  err, errlen);
    if (!st) return -1;
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
static int forget_stale_seat(booking *b, const char *offer_id, int64_t start, int seat)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "UPDATE booking SET state=?4, seat=NULL, name=NULL, phone=NULL"
                                  " WHERE backend=?5 AND offer_id=?1 AND slot_start=?2 AND seat=?3",
                                  NULL, 0);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int(st, 3, seat);
    sqlite3_bind_int(st, 4, BOOKING_CANCELLED);
    sqlite3_bind_int(st, 5, BACKEND_CALDAV);
    return db_done(b, st, NULL, 0);
}

/* ---- open / close ---- */

/*
 * Switch the file to WAL. Switching needs the file to itself and SQLite answers "locked" at once
 * instead of waiting (the busy handler is not used there), so a new file opened by several
 * processes together is retried here for up to ~5 s.
 */
static int db_wal(booking *b, char *err, size_t errlen)
{
    for (int attempt = 0;; attempt++) {
        char *msg = NULL;
        int rc = sqlite3_exec(b->db, "PRAGMA journal_mode=WAL", NULL, NULL, &msg);
        sqlite3_free(msg);
        if (rc == SQLITE_OK) return 0;
        if (rc != SQLITE_BUSY || attempt >= 250) return fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int config_copy(booking *b, const booking_config *cfg)
{
    b->remote = cfg->caldav_url && *cfg->caldav_url;
    b->url = dup_or_null(cfg->caldav_url);
    b->user = dup_or_null(cfg->caldav_user);
    b->password = dup_or_null(cfg->caldav_password);
    b->kiosk_id = strdup(cfg->kiosk_id && *cfg->kiosk_id ? cfg->kiosk_id : "kiosk");
    if ((cfg->caldav_url && !b->url) || (cfg->caldav_user && !b->user) || (cfg->caldav_password && !b->password) ||
        !b->kiosk_id)
        return -1;
    b->dav = (caldav_config){.base_url = b->url, .user = b->user, .password = b->password,
                             .timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 10};
    return 0;
}

int booking_open(booking **out, const booking_config *cfg, char *err, size_t errlen)
{
    *out = NULL;
    if (!cfg || !cfg->db_path || !*cfg->db_path) return fail(err, errlen, "booking: no database path");
    if (sodium_init() < 0) return fail(err, errlen, "booking: libsodium failed to start");
    booking *b = calloc(1, sizeof *b);
    if (!b) return fail(err, errlen, "out of memory");
    if (config_copy(b, cfg) != 0) {
        booking_close(b);
        return fail(err, errlen, "out of memory");
    }
    if (sqlite3_open_v2(cfg->db_path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fail(err, errlen, "%s: %s", cfg->db_path, b->db ? sqlite3_errmsg(b->db) : "cannot open");
        booking_close(b);
        return -1;
    }
    /* well above one booking transaction: ten kiosk processes may queue on the lock */
    sqlite3_busy_timeout(b->db, 10000);
    if (db_wal(b, err, errlen) != 0 || db_exec(b, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;", err, errlen) != 0 ||
        db_exec(b, schema, err, errlen) != 0) {
        booking_close(b);
        return -1;
    }
    purge_personal(b);
    *out = b;
    return 0;
}

void booking_close(booking *b)
{
    if (!b) return;
    sqlite3_close(b->db);
    free(b->url);
    free(b->user);
    free_secret(b->password);
    free(b->kiosk_id);
    free(b);
}

/* ---- booking ---- */

/* Length and control characters; line breaks only where multiline text makes sense (offer texts). */
static int text_ok(const char *s, size_t max, int multiline)
{
    if (!s) return 1;
    size_t n = strlen(s);
    if (n > max) return 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && !(multiline && s[i] == '\n')) || s[i] == 0x7f) return 0;
    return 1;
}

/* Reject a request before anything is stored; messages never quote name or phone. */
static int request_check(const booking_request *r, char *err, size_t errlen)
{
    if (!r || !r->offer_id || !*r->offer_id || strlen(r->offer_id) >= sizeof ((booking_info *)0)->offer_id)
        return fail(err, errlen, "booking: missing or too long offer id");
    if (r->end <= r->start) return fail(err, errlen, "booking: the slot ends before it starts");
    if (r->end <= (int64_t)time(NULL)) return fail(err, errlen, "booking: the slot is over");
    if (r->capacity < 1 || r->capacity > BOOKING_MAX_SEATS)
        return fail(err, errlen, "booking: capacity must be 1..%d", BOOKING_MAX_SEATS);
    if (!text_ok(r->offer_id, 127, 0) || !text_ok(r->title, BOOKING_MAX_TEXT, 1) ||
        !text_ok(r->location, BOOKING_MAX_TEXT, 1))
        return fail(err, errlen, "booking: title or location too long or with control characters");
    if (!text_ok(r->name, BOOKING_MAX_NAME, 0)) return fail(err, errlen, "booking: the name is too long or malformed");
    if (!text_ok(r->phone, BOOKING_MAX_PHONE, 0))
        return fail(err, errlen, "booking: the phone number is too long or malformed");
    return 0;
}

/* The lowest free seat of a slot in this file (inside the caller's transaction); -1 when full. */
static int local_free_seat(booking *b, const booking_request *r, char *err, size_t errlen)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "SELECT seat FROM booking WHERE backend=?3 AND offer_id=?1 AND slot_start=?2"
                                  " AND seat IS NOT NULL ORDER BY seat",
                                  err, errlen);
    if (!st) return -2; /* -2: error (err set), -1: full */
    sqlite3_bind_text(st, 1, r->offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->start);
    sqlite3_bind_int(st, 3, BACKEND_LOCAL);
    int seat = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) == seat) seat++;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
        return -2;
    }
    return seat < r->capacity ? seat : -1;
}

static int local_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    /* IMMEDIATE takes the write lock before reading the seats: no other process can slip in between */
    if (db_exec(b, "BEGIN IMMEDIATE", err, errlen) != 0) return -1;
    int seat = local_free_seat(b, r, err, errlen);
    int rc = seat < -1 ? -1 : 0;
    if (seat >= 0) {
        rc = new_code(b, out->code, err, errlen);
        if (rc == 0) rc = row_insert(b, r, out->code, BACKEND_LOCAL, seat, BOOKING_CONFIRMED, 1, err, errlen);
    }
    if (rc == 0 && db_exec(b, "COMMIT", err, errlen) == 0) {
        out->seat = seat;
        out->state = seat >= 0 ? BOOKING_CONFIRMED : BOOKING_TAKEN;
        if (seat < 0) out->code[0] = 0;
        return 0;
    }
    sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    out->code[0] = 0;
    return -1;
}

/* The server holds the seat: remember it here without personal data. */
static void remote_record(booking *b, const booking_request *r, const char *code, int seat)
{
    char err[256];
    int rc = db_exec(b, "BEGIN IMMEDIATE", err, sizeof err);
    if (rc == 0) {
        forget_stale_seat(b, r->offer_id, r->start, seat);
        rc = row_insert(b, r, code, BACKEND_CALDAV, seat, BOOKING_CONFIRMED, 0, err, sizeof err);
        rc = rc == 0 ? db_exec(b, "COMMIT", err, sizeof err) : rc;
        if (rc != 0) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    }
    /* the authority holds the booking, so it stands; only the lookup at this kiosk is lost */
    if (rc != 0) log_msg("booking", "confirmed booking not recorded locally: %s", err);
}

static int remote_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    if (new_code(b, out->code, err, errlen) != 0) return -1;
    char *ics = event_text(r, out->code, b->kiosk_id);
    if (!ics) return fail(err, errlen, "booking: cannot build the calendar event");
    int rc = CALDAV_TAKEN;
    for (int seat = 0; seat < r->capacity && rc == CALDAV_TAKEN; seat++) {
        char res[48];
        resource_name(r->start, seat, res);
        rc = caldav_put_new(&b->dav, r->offer_id, res, ics, err, errlen);
        if (rc == CALDAV_OK) {
            remote_record(b, r, out->code, seat);
            out->seat = seat;
            out->state = BOOKING_CONFIRMED;
        }
    }
    free_secret(ics);
    if (rc == CALDAV_OK) return 0;
    if (rc == CALDAV_TAKEN) {
        out->state = BOOKING_TAKEN;
        out->code[0] = 0;
        return 0;
    }
    if (rc == CALDAV_UNREACHABLE) {
        /* durably in the outbox before the person is told anything (synchronous=FULL) */
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        if (row_insert(b, r, out->code, BACKEND_CALDAV, -1, BOOKING_QUEUED, 1, err, errlen) != 0) {
            out->code[0] = 0;
            return -1;
        }
        log_msg("booking", "server unreachable, request queued: %s", why);
        out->state = BOOKING_QUEUED;
        return 0;
    }
    out->code[0] = 0;
    if (rc == CALDAV_NOTFOUND)
        return fail(err, errlen, "booking refused: the offer's calendar does not exist on the CalDAV server");
    char why[512];
    snprintf(why, sizeof why, "%s", err);
    return fail(err, errlen, "booking refused: %s", why);
}

int booking_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    if (!b || !out) return fail(err, errlen, "booking: no handle");
    memset(out, 0, sizeof *out);
    out->seat = -1;
    if (request_check(r, err, errlen) != 0) return -1;
    snprintf(out->offer_id, sizeof out->offer_id, "%s", r->offer_id);
    out->start = r->start;
    out->end = r->end;
    return b->remote ? remote_make(b, r, out, err, errlen) : local_make(b, r, out, err, errlen);
}

/* ---- reading the server's calendar ---- */

/* Call fn for every VEVENT of an iCalendar text (or of a bare VEVENT). */
static void each_event(const char *ics, void (*fn)(void *ud, icalcomponent *ev), void *ud)
{
    icalcomponent *root = icalparser_parse_string(ics);
    if (!root) return;
    if (icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT) {
        fn(ud, root);
    } else {
        for (icalcomponent *ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
            fn(ud, ev);
    }
    icalcomponent_free(root);
}

/* DTSTART in UTC seconds (a TZID is resolved by libical), or -1. */
static int64_t event_start(icalcomponent *ev)
{
    struct icaltimetype t = icalcomponent_get_dtstart(ev);
    if (icaltime_is_null_time(t)) return -1;
    const icaltimezone *z = t.zone ? t.zone : icaltimezone_get_utc_timezone();
    return (int64_t)icaltime_as_timet_with_zone(t, z);
}

typedef struct taken_count {
    booking_slot *slots;
    int n;
} taken_count;

static void count_one(void *ud, icalcomponent *ev)
{
    taken_count *tc = ud;
    int64_t s = event_start(ev);
    for (int i = 0; i < tc->n; i++)
        if (tc->slots[i].start == s) tc->slots[i].taken++;
}

static void count_resource(void *ud, const char *resource, const char *ics)
{
    (void)resource;
    each_event(ics, count_one, ud);
}

typedef struct uid_search {
    const char *uid;
    int64_t start;
    int hit, seat;
} uid_search;

static void uid_one(void *ud, icalcomponent *ev)
{
    uid_search *u = ud;
    const char *uid = icalcomponent_get_uid(ev);
    if (uid && strcmp(uid, u->uid) == 0) u->hit = 1;
}

static void uid_resource(void *ud, const char *resource, const char *ics)
{
    uid_search *u = ud;
    u->hit = 0;
    each_event(ics, uid_one, u);
    int seat = u->hit ? resource_seat(resource, u->start) : -1;
    if (seat >= 0) u->seat = seat;
}

/*
 * Does the server hold this request already (an earlier PUT whose answer was lost)? Returns a
 * caldav_result; *seat is the seat found or -1.
 */
static int server_seat_of(booking *b, const booking_row *w, int *seat, char *err, size_t errlen)
{
    char uid[32];
    snprintf(uid, sizeof uid, "%s@kiosk", w->info.code);
    uid_search u = {.uid = uid, .start = w->info.start, .seat = -1};
    int rc = caldav_list(&b->dav, w->info.offer_id, w->info.start, w->info.end, uid_resource, &u, err, errlen);
    *seat = u.seat;
    return rc;
}

/* Add this file's rows of one backend in state to the slots' taken counts. */
static int add_local_counts(booking *b, const char *offer_id, booking_slot *slots, int n, int backend, int state,
                            char *err, size_t errlen)
{
    sqlite3_stmt *st = db_prepare(b,
                                  "SELECT slot_start, count(*) FROM booking WHERE offer_id=?1 AND backend=?2"
                                  " AND state=?3 GROUP BY slot_start",
                                  err, errlen);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, backend);
    sqlite3_bind_int(st, 3, state);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t s = sqlite3_column_int64(st, 0);
        for (int i = 0; i < n; i++)
            if (slots[i].start == s) slots[i].taken += sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
}

int booking_fill_taken(booking *b, const char *offer_id, booking_slot *slots, int n, char *err, size_t errlen)
{
    if (!b || !offer_id || (n > 0 && !slots)) return fail(err, errlen, "booking: bad arguments");
    if (n <= 0) return 0;
    int64_t from = slots[0].start, to = slots[0].end;
    for (int i = 0; i < n; i++) {
        slots[i].taken = 0;
        if (slots[i].start < from) from = slots[i].start;
        if (slots[i].end > to) to = slots[i].end;
    }
    if (!b->remote) return add_local_counts(b, offer_id, slots, n, BACKEND_LOCAL, BOOKING_CONFIRMED, err, errlen);
    taken_count tc = {slots, n};
    int rc = caldav_list(&b->dav, offer_id, from, to, count_resource, &tc, err, errlen);
    if (rc == CALDAV_UNREACHABLE) {
        /* what this kiosk knows: its own confirmed bookings plus its queue (counted below) */
        for (int i = 0; i < n; i++) slots[i].taken = 0;
        if (add_local_counts(b, offer_id, slots, n, BACKEND_CALDAV, BOOKING_CONFIRMED, err, errlen) != 0) return -1;
    } else if (rc == CALDAV_NOTFOUND) {
        return fail(err, errlen, "the offer's calendar does not exist on the CalDAV server");
    } else if (rc != CALDAV_OK) {
        return -1;
    }
    if (add_local_counts(b, offer_id, slots, n, BACKEND_CALDAV, BOOKING_QUEUED, err, errlen) != 0) return -1;
    return rc == CALDAV_UNREACHABLE ? 1 : 0;
}

/* ---- lookup, cancel ---- */

/* Normalise a typed code: upper case, only the alphabet. Returns 0 or -1. */
static int code_norm(const char *in, char out[8])
{
    if (!in) return -1;
    size_t n = strlen(in);
    if (n != BOOKING_CODE_LEN) return -1;
    for (size_t i = 0; i < n; i++) {
        out[i] = (char)toupper((unsigned char)in[i]);
        if (!strchr(BOOKING_ALPHABET, out[i])) return -1;
    }
    out[n] = 0;
    return 0;
}

/* Load the row of a code. Returns 0, 1 unknown, -1 on error. */
static int row_by_code(booking *b, const char *code, booking_row *w)
{
    char c[8];
    if (code_norm(code, c) != 0) return 1;
    sqlite3_stmt *st = db_prepare(b, "SELECT " ROW_COLS " FROM booking WHERE code=?1", NULL, 0);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? (row_read(st, w) == 0 ? 0 : -1) : rc == SQLITE_DONE ? 1 : -1;
    sqlite3_finalize(st);
    return out;
}

int booking_lookup(booking *b, const char *code, booking_info *out)
{
    if (!b || !out) return -1;
    booking_row w;
    int rc = row_by_code(b, code, &w);
    if (rc != 0) return rc;
    *out = w.info;
    row_free(&w);
    return 0;
}

/* Delete the resource of a seat; a resource already gone counts as deleted. */
static int remote_delete(booking *b, const booking_row *w, int seat, char *err, size_t errlen)
{
    char res[48];
    resource_name(w->info.start, seat, res);
    int rc = caldav_delete(&b->dav, w->info.offer_id, res, err, errlen);
    if (rc == CALDAV_OK || rc == CALDAV_NOTFOUND) return 0;
    char why[512];
    snprintf(why, sizeof why, "%s", err);
    if (rc == CALDAV_UNREACHABLE)
        return fail(err, errlen, "cancel: the CalDAV server cannot be reached, the seat is still booked; try again "
                    "later (%s)", why);
    return fail(err, errlen, "cancel refused: %s", why);
}

/* Cancel a queued request: it never goes out; a copy that landed after all is deleted if found. */
static int cancel_queued(booking *b, const booking_row *w)
{
    char err[256];
    int seat = -1;
    if (b->remote && server_seat_of(b, w, &seat, err, sizeof err) == CALDAV_OK && seat >= 0)
        remote_delete(b, w, seat, err, sizeof err);
    return 0;
}

static int cancel_row(booking *b, const booking_row *w, char *err, size_t errlen)
{
    if (w->info.state == BOOKING_CANCELLED || w->info.state == BOOKING_TAKEN) return 0; /* holds no seat */
    if (w->backend == BACKEND_CALDAV && w->info.state == BOOKING_CONFIRMED) {
        if (!b->remote) return fail(err, errlen, "cancel: booked on a CalDAV server, but this kiosk has none set up");
        if (remote_delete(b, w, w->info.seat, err, errlen) != 0) return -1;
    } else if (w->backend == BACKEND_CALDAV) {
        cancel_queued(b, w);
    }
    if (row_set_state(b, w->id, BOOKING_CANCELLED, -1, err, errlen) != 0) return -1;
    purge_personal(b);
    return 0;
}

int booking_cancel(booking *b, const char *code, char *err, size_t errlen)
{
    if (!b) return fail(err, errlen, "booking: no handle");
    booking_row w;
    int rc = row_by_code(b, code, &w);
    if (rc < 0) return fail(err, errlen, "booking database: %s", sqlite3_errmsg(b->db));
    if (rc == 1) return 1;
    rc = cancel_row(b, &w, err, errlen);
    row_free(&w);
    return rc;
}

/* ---- the outbox ---- */

/* The oldest queued row after id. Returns 0, 1 none left, -1 on error. */
static int outbox_next(booking *b, int64_t after, booking_row *w)
{
    sqlite3_stmt *st =
        db_prepare(b, "SELECT " ROW_COLS " FROM booking WHERE state=?1 AND backend=?2 AND id>?3 ORDER BY id LIMIT 1",
                   NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    sqlite3_bind_int(st, 2, BACKEND_CALDAV);
    sqlite3_bind_int64(st, 3, after);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? (row_read(st, w) == 0 ? 0 : -1) : rc == SQLITE_DONE ? 1 : -1;
    sqlite3_finalize(st);
    return out;
}

/* Record a delivered request as held; a failure here is logged (the server has it, flush may retry). */
static void outbox_confirm(booking *b, const booking_row *w, int seat)
{
    char err[256];
    int rc = db_exec(b, "BEGIN IMMEDIATE", err, sizeof err);
    if (rc == 0) {
        forget_stale_seat(b, w->info.offer_id, w->info.start, seat);
        rc = row_set_state(b, w->id, BOOKING_CONFIRMED, seat, err, sizeof err);
        rc = rc == 0 ? db_exec(b, "COMMIT", err, sizeof err) : rc;
        if (rc != 0) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc != 0) log_msg("booking", "delivered request not recorded: %s", err);
}

/*
 * Deliver one queued request. Returns 0 when it is settled (confirmed, taken) or left for later
 * because the server refused it, -1 when the server is unreachable (stop the flush).
 */
static int outbox_deliver(booking *b, const booking_row *w)
{
    booking_request r = row_request(w);
    char err[512];
    char *ics = event_text(&r, w->info.code, b->kiosk_id);
    if (!ics) return 0;
    int rc = CALDAV_TAKEN, held = -1;
    for (int seat = 0; seat < w->capacity && rc == CALDAV_TAKEN; seat++) {
        char res[48];
        resource_name(w->info.start, seat, res);
        rc = caldav_put_new(&b->dav, w->info.offer_id, res, ics, err, sizeof err);
        if (rc == CALDAV_OK) held = seat;
    }
    free_secret(ics);
    if (held >= 0) {
        outbox_confirm(b, w, held);
        return 0;
    }
    if (rc == CALDAV_UNREACHABLE) return -1;
    /* every seat taken, or refused (409: same UID already there): maybe an earlier attempt landed */
    char put_err[512];
    snprintf(put_err, sizeof put_err, "%s", err);
    int found = -1;
    if (server_seat_of(b, w, &found, err, sizeof err) == CALDAV_UNREACHABLE) return -1;
    if (found >= 0) {
        outbox_confirm(b, w, found);
    } else if (rc == CALDAV_TAKEN) {
        /* the person learns it when they look the code up */
        if (row_set_state(b, w->id, BOOKING_TAKEN, -1, err, sizeof err) != 0)
            log_msg("booking", "queued request lost its slot, not recorded: %s", err);
        else
            log_msg("booking", "a queued request lost its slot to another booking");
    } else {
        log_msg("booking", "queued request refused by the server, kept: %s", put_err);
    }
    return 0;
}

static int outbox_count(booking *b)
{
    sqlite3_stmt *st = db_prepare(b, "SELECT count(*) FROM booking WHERE state=?1", NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, BOOKING_QUEUED);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

int booking_flush_outbox(booking *b)
{
    if (!b) return -1;
    int64_t last = 0;
    int reachable = 1;
    while (b->remote && reachable) {
        booking_row w;
        int rc = outbox_next(b, last, &w);
        if (rc != 0) break;
        last = w.id;
        reachable = outbox_deliver(b, &w) == 0;
        row_free(&w);
    }
    purge_personal(b);
    return reachable ? outbox_count(b) : -1;
}

/* ---- staff views ---- */

/* Rows of a day (NULL: all) in slot order; fn gets each. Returns 0, or -1 (bad day, db error). */
static int each_row(booking *b, const char *day, int (*fn)(void *ud, const booking_row *w), void *ud)
{
    int64_t from = INT64_MIN, to = INT64_MAX;
    if (day && day_range(day, &from, &to) != 0) return -1;
    sqlite3_stmt *st = db_prepare(b,
                                  "SELECT " ROW_COLS " FROM booking WHERE slot_start>=?1 AND slot_start<?2"
                                  " ORDER BY slot_start, offer_id, seat, id",
                                  NULL, 0);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        booking_row w;
        if (row_read(st, &w) != 0) {
            bad = 1;
            break;
        }
        bad = fn(ud, &w) != 0;
        row_free(&w);
    }
    sqlite3_finalize(st);
    return bad || rc != SQLITE_DONE ? -1 : 0;
}

typedef struct info_list {
    booking_info *v;
    int n, cap;
} info_list;

static int list_add(void *ud, const booking_row *w)
{
    info_list *l = ud;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        booking_info *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = w->info;
    return 0;
}

int booking_list_day(booking *b, const char *day, booking_info **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!b || !day) return -1;
    info_list l = {0};
    if (each_row(b, day, list_add, &l) != 0) {
        free(l.v);
        return -1;
    }
    *out = l.v;
    *n = l.n;
    return 0;
}

typedef struct ics_export {
    icalcomponent *cal;
    const char *kiosk_id;
} ics_export;

static int ics_add(void *ud, const booking_row *w)
{
    ics_export *x = ud;
    /* cancelled and lost requests hold no seat: they are not in the staff calendar */
    if (w->info.state != BOOKING_CONFIRMED && w->info.state != BOOKING_QUEUED) return 0;
    booking_request r = row_request(w);
    icalcomponent *ev = event_new(&r, w->info.code, x->kiosk_id, w->info.state);
    if (!ev) return -1;
    icalcomponent_add_component(x->cal, ev);
    return 0;
}

int booking_export_ics(booking *b, const char *day, FILE *out)
{
    if (!b || !out) return -1;
    icalcomponent *cal = calendar_new();
    if (!cal) return -1;
    ics_export x = {cal, b->kiosk_id};
    if (each_row(b, day, ics_add, &x) != 0) {
        icalcomponent_free(cal);
        return -1;
    }
    char *text = calendar_text(cal);
    if (!text) return -1;
    int rc = fputs(text, out) < 0 || fflush(out) != 0 ? -1 : 0;
    free_secret(text);
    return rc;
}

static const char *state_name(int state)
{
    switch (state) {
    case BOOKING_CONFIRMED: return "confirmed";
    case BOOKING_QUEUED: return "queued";
    case BOOKING_TAKEN: return "taken";
    case BOOKING_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

/* Text a spreadsheet would run as a formula (=, @, or + - followed by more than a number) */
static int csv_formula(const char *s)
{
    if (*s == '=' || *s == '@' || *s == '\t' || *s == '\r') return 1;
    if (*s != '+' && *s != '-') return 0;
    /* phone numbers like "+49 170 1234567" stay as they are */
    return s[strspn(s, "+-0123456789 /()")] != 0;
}

/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled). */
static void csv_field(FILE *f, const char *s, int last)
{
    s = s ? s : "";
    int formula = csv_formula(s);
    if (formula || strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        if (formula) fputc('\'', f); /* shown as text, not evaluated */
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static int csv_row(void *ud, const booking_row *w)
{
    FILE *f = ud;
    char a[21], z[21], la[20], lz[20], seat[16] = "";
    utc_iso(w->info.start, a);
    utc_iso(w->info.end, z);
    local_time_text(w->info.start, la);
    local_time_text(w->info.end, lz);
    if (w->info.seat >= 0) snprintf(seat, sizeof seat, "%d", w->info.seat);
    const char *fields[] = {w->info.code, w->info.offer_id, w->title, w->location, a, z, la, lz + 11, seat,
                            state_name(w->info.state), w->name, w->phone};
    size_t n = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < n; i++) csv_field(f, fields[i], i + 1 == n);
    return ferror(f) ? -1 : 0;
}

int booking_export_csv(booking *b, const char *day, FILE *out)
{
    if (!b || !out) return -1;
    fputs("code,offer,title,location,start_utc,end_utc,local_start,local_end,seat,state,name,phone\r\n", out);
    if (each_row(b, day, csv_row, out) != 0) return -1;
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
