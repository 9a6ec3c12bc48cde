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
#include "booking/booking_priv.h"
#include "platform/wallclock.h"

#include "platform/log.h"
#include "store/local.h"

#include <ctype.h>
#include "platform/ical_dl.h"
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>


static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- open / close ---- */

/* A zone the handle can hold and ICU knows; NULL or "" stand for STORE_DEFAULT_ZONE. */
static int zone_ok(const char *zone)
{
    return !zone || !*zone || (strlen(zone) < sizeof ((booking *)0)->zone && slots_zone_known(zone));
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
    booking_set_zone(b, cfg->zone, NULL, 0); /* booking_open checked it */
    b->dav = (caldav_config){.base_url = b->url, .user = b->user, .password = b->password,
                             .timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 10};
    return 0;
}

int booking_open(booking **out, const booking_config *cfg, char *err, size_t errlen)
{
    *out = NULL;
    if (!cfg || !cfg->db_path || !*cfg->db_path) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no database path");
    if (!zone_ok(cfg->zone)) return bk_fail(err, errlen, BOOKING_ERR_ZONE, "\"%.64s\"", cfg->zone);
    if (sodium_init() < 0) return bk_fail(err, errlen, BOOKING_ERR_INTERNAL, "libsodium failed to start");
    booking *b = calloc(1, sizeof *b);
    if (!b) return bk_fail(err, errlen, BOOKING_ERR_NOMEM, NULL);
    if (config_copy(b, cfg) != 0) {
        booking_close(b);
        return bk_fail(err, errlen, BOOKING_ERR_NOMEM, NULL);
    }
    char why[512] = "";
    int rc = local_db_open(cfg->db_path, &b->db, why, sizeof why) != 0 ? bk_fail(err, errlen, BOOKING_ERR_DB, "%s", why)
                                                                       : bk_db_setup(b, err, errlen);
    if (rc != BOOKING_OK) {
        booking_close(b);
        return rc;
    }
    bk_purge_personal(b);
    *out = b;
    return BOOKING_OK;
}

int booking_set_zone(booking *b, const char *zone, char *err, size_t errlen)
{
    if (!b) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    if (!zone_ok(zone)) return bk_fail(err, errlen, BOOKING_ERR_ZONE, "\"%.64s\"", zone);
    snprintf(b->zone, sizeof b->zone, "%s", zone && *zone ? zone : STORE_DEFAULT_ZONE);
    return BOOKING_OK;
}

void booking_close(booking *b)
{
    if (!b) return;
    sqlite3_close(b->db);
    free(b->url);
    free(b->user);
    bk_free_secret(b->password);
    free(b->kiosk_id);
    free(b);
}

/* ---- booking ---- */

/*
 * Length, UTF-8 and control characters (C0, C1, line and paragraph separators); line breaks only
 * where multiline text makes sense (offer texts). Names and phones go to staff lists, exports and
 * the CalDAV server: bytes that are not UTF-8 make an iCalendar object a server may refuse for
 * good, and bidi controls there could show "Anna <RLO>0171" with the number reversed.
 */
static int text_ok(const char *s, size_t max, int multiline, int personal)
{
    if (!s) return 1;
    size_t n = strlen(s);
    if (n > max) return 0;
    for (size_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || (c < 0x20 && !(multiline && c == '\n')) || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029)
            return 0;
        /* embeddings, overrides and isolates in a name or phone could reorder what staff read */
        if (personal && ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))) return 0;
    }
    return 1;
}

/* Reject a request before anything is stored; messages never quote name or phone. */
static int request_check(const booking_request *r, char *err, size_t errlen)
{
    const int no = BOOKING_ERR_REQUEST;
    if (!r || !r->offer_id || !*r->offer_id || strlen(r->offer_id) >= sizeof ((booking_info *)0)->offer_id)
        return bk_fail(err, errlen, no, "missing or too long offer id");
    if (r->end <= r->start) return bk_fail(err, errlen, no, "the slot ends before it starts");
    if (r->end <= wallclock_now()) return bk_fail(err, errlen, no, "the slot is over");
    if (r->capacity < 1 || r->capacity > BOOKING_MAX_SEATS)
        return bk_fail(err, errlen, no, "capacity must be 1..%d", BOOKING_MAX_SEATS);
    if (!text_ok(r->offer_id, 127, 0, 0) || !text_ok(r->title, BOOKING_MAX_TEXT, 1, 0) ||
        !text_ok(r->location, BOOKING_MAX_TEXT, 1, 0) || !text_ok(r->place, sizeof ((booking_slot *)0)->place_id - 1, 0, 0))
        return bk_fail(err, errlen, no, "title, location or place too long or with control characters");
    if (!text_ok(r->name, BOOKING_MAX_NAME, 0, 1)) return bk_fail(err, errlen, no, "the name is too long or malformed");
    if (!text_ok(r->phone, BOOKING_MAX_PHONE, 0, 1))
        return bk_fail(err, errlen, no, "the phone number is too long or malformed");
    return BOOKING_OK;
}

/* The lowest free seat of a slot at its place in this file (inside the caller's transaction); -1 when full. */
static int local_free_seat(booking *b, const booking_request *r, char *err, size_t errlen)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "SELECT seat FROM booking WHERE backend=?3 AND offer_id=?1 AND slot_start=?2"
                                  " AND place=?4 AND seat IS NOT NULL ORDER BY seat",
                                  err, errlen);
    if (!st) return -2; /* -2: error (err set), -1: full */
    sqlite3_bind_text(st, 1, r->offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->start);
    sqlite3_bind_int(st, 3, BACKEND_LOCAL);
    sqlite3_bind_text(st, 4, r->place ? r->place : "", -1, SQLITE_STATIC);
    int seat = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) == seat) seat++;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
        return -2;
    }
    return seat < r->capacity ? seat : -1;
}

static int local_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    /* IMMEDIATE takes the write lock before reading the seats: no other process can slip in between */
    int rc = bk_db_exec(b, "BEGIN IMMEDIATE", err, errlen);
    if (rc != BOOKING_OK) return rc;
    int seat = local_free_seat(b, r, err, errlen);
    rc = seat < -1 ? BOOKING_ERR_DB : BOOKING_OK;
    if (seat >= 0) {
        rc = bk_new_code(b, out->code, err, errlen);
        if (rc == BOOKING_OK) rc = bk_row_insert(b, r, out->code, BACKEND_LOCAL, seat, BOOKING_CONFIRMED, 1, err, errlen);
    }
    if (rc == BOOKING_OK) rc = bk_db_exec(b, "COMMIT", err, errlen);
    if (rc == BOOKING_OK) {
        out->seat = seat;
        out->state = seat >= 0 ? BOOKING_CONFIRMED : BOOKING_TAKEN;
        if (seat < 0) out->code[0] = 0;
        return BOOKING_OK;
    }
    sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    out->code[0] = 0;
    return rc;
}

/* The server holds the seat: remember it here without personal data. */
static void remote_record(booking *b, const booking_request *r, const char *code, int seat)
{
    char err[256];
    int rc = bk_db_exec(b, "BEGIN IMMEDIATE", err, sizeof err);
    if (rc == 0) {
        bk_forget_stale_seat(b, r->offer_id, r->start, r->place, seat);
        rc = bk_row_insert(b, r, code, BACKEND_CALDAV, seat, BOOKING_CONFIRMED, 0, err, sizeof err);
        rc = rc == 0 ? bk_db_exec(b, "COMMIT", err, sizeof err) : rc;
        if (rc != 0) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    }
    /* the authority holds the booking, so it stands; only the lookup at this kiosk is lost */
    if (rc != 0) log_msg("booking", "confirmed booking not recorded locally: %s", err);
}

/* What a CalDAV answer other than OK, TAKEN or UNREACHABLE means for the caller; the detail was in err. */
static int dav_fail(int rc, char *err, size_t errlen)
{
    if (rc == CALDAV_NOTFOUND) return bk_fail(err, errlen, BOOKING_ERR_NO_CALENDAR, NULL);
    return bk_fail(err, errlen, rc == CALDAV_UNREACHABLE ? BOOKING_ERR_UNREACHABLE : BOOKING_ERR_REFUSED, "%s", err);
}

static int remote_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    int code_rc = bk_new_code(b, out->code, err, errlen);
    if (code_rc != BOOKING_OK) return code_rc;
    char *ics = bk_event_text(r, out->code, b->kiosk_id);
    if (!ics) return bk_fail(err, errlen, BOOKING_ERR_INTERNAL, "cannot build the calendar event");
    int rc = CALDAV_TAKEN;
    for (int seat = 0; seat < r->capacity && rc == CALDAV_TAKEN; seat++) {
        char res[64];
        bk_resource_name(r->start, r->place, seat, res);
        rc = caldav_put_new(&b->dav, r->offer_id, res, ics, err, errlen);
        if (rc == CALDAV_OK) {
            remote_record(b, r, out->code, seat);
            out->seat = seat;
            out->state = BOOKING_CONFIRMED;
        }
    }
    bk_free_secret(ics);
    if (rc == CALDAV_OK) return BOOKING_OK;
    if (rc == CALDAV_TAKEN) {
        out->state = BOOKING_TAKEN;
        out->code[0] = 0;
        return BOOKING_OK;
    }
    if (rc == CALDAV_UNREACHABLE) {
        /* durably in the outbox before the person is told anything (synchronous=FULL) */
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        int qrc = bk_row_insert(b, r, out->code, BACKEND_CALDAV, -1, BOOKING_QUEUED, 1, err, errlen);
        if (qrc != BOOKING_OK) {
            out->code[0] = 0;
            return qrc;
        }
        log_msg("booking", "server unreachable, request queued: %s", why);
        out->state = BOOKING_QUEUED;
        return BOOKING_OK;
    }
    out->code[0] = 0;
    return dav_fail(rc, err, errlen);
}

int booking_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen)
{
    if (!b || !out) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    memset(out, 0, sizeof *out);
    out->seat = -1;
    int rc = request_check(r, err, errlen);
    if (rc != BOOKING_OK) return rc;
    snprintf(out->offer_id, sizeof out->offer_id, "%s", r->offer_id);
    out->start = r->start;
    out->end = r->end;
    return b->remote ? remote_make(b, r, out, err, errlen) : local_make(b, r, out, err, errlen);
}

typedef struct taken_count {
    booking_slot *slots;
    int n;
    const char *resource; /* of the events being counted */
} taken_count;

/* An event takes a seat of each slot starting when it does, at the place its resource names (a
 * seat of ours at a place), or at every place (anything else: it cannot be told where it is). */
static void count_one(void *ud, icalcomponent *ev)
{
    taken_count *tc = ud;
    int64_t s = bk_event_start(ev);
    int placed = bk_resource_has_place(tc->resource, s), mine = 0;
    for (int i = 0; placed && i < tc->n; i++)
        mine |= tc->slots[i].start == s && bk_resource_seat(tc->resource, s, tc->slots[i].place_id) >= 0;
    /* a place the offer no longer lists: where it went is unknown too */
    for (int i = 0; i < tc->n; i++)
        if (tc->slots[i].start == s && (!mine || bk_resource_seat(tc->resource, s, tc->slots[i].place_id) >= 0))
            tc->slots[i].taken++;
}

static void count_resource(void *ud, const char *resource, const char *ics)
{
    taken_count *tc = ud;
    tc->resource = resource;
    bk_each_event(ics, count_one, ud);
}

typedef struct uid_search {
    const char *uid, *place;
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
    bk_each_event(ics, uid_one, u);
    int seat = u->hit ? bk_resource_seat(resource, u->start, u->place) : -1;
    if (seat >= 0) u->seat = seat;
}

/*
 * Does the server hold this request already (an earlier PUT whose answer was lost)? Returns a
 * caldav_result; *seat is the seat found or -1.
 */
int bk_server_seat_of(booking *b, const booking_row *w, int *seat, char *err, size_t errlen)
{
    char uid[32];
    snprintf(uid, sizeof uid, "%s@kiosk", w->info.code);
    uid_search u = {.uid = uid, .place = w->place, .start = w->info.start, .seat = -1};
    int rc = caldav_list(&b->dav, w->info.offer_id, w->info.start, w->info.end, uid_resource, &u, err, errlen);
    *seat = u.seat;
    return rc;
}

/* Add this file's rows of one backend in state to the slots' taken counts, each at its place. */
static int add_local_counts(booking *b, const char *offer_id, booking_slot *slots, int n, int backend, int state,
                            char *err, size_t errlen)
{
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "SELECT slot_start, count(*), place FROM booking WHERE offer_id=?1 AND backend=?2"
                                  " AND state=?3 GROUP BY slot_start, place",
                                  err, errlen);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_text(st, 1, offer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, backend);
    sqlite3_bind_int(st, 3, state);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t s = sqlite3_column_int64(st, 0);
        const char *place = (const char *)sqlite3_column_text(st, 2);
        for (int i = 0; i < n; i++)
            if (slots[i].start == s && !strcmp(slots[i].place_id, place ? place : ""))
                slots[i].taken += sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? BOOKING_OK : bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
}

int booking_fill_taken(booking *b, const char *offer_id, booking_slot *slots, int n, int *offline, char *err,
                       size_t errlen)
{
    if (offline) *offline = 0;
    if (!b || !offer_id || (n > 0 && !slots)) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle, offer or slots");
    if (n <= 0) return BOOKING_OK;
    int64_t from = slots[0].start, to = slots[0].end;
    for (int i = 0; i < n; i++) {
        slots[i].taken = 0;
        if (slots[i].start < from) from = slots[i].start;
        if (slots[i].end > to) to = slots[i].end;
    }
    if (!b->remote) return add_local_counts(b, offer_id, slots, n, BACKEND_LOCAL, BOOKING_CONFIRMED, err, errlen);
    taken_count tc = {slots, n, ""};
    int rc = caldav_list(&b->dav, offer_id, from, to, count_resource, &tc, err, errlen), lrc = BOOKING_OK;
    if (rc == CALDAV_UNREACHABLE) {
        /* what this kiosk knows: its own confirmed bookings plus its queue (counted below) */
        for (int i = 0; i < n; i++) slots[i].taken = 0;
        lrc = add_local_counts(b, offer_id, slots, n, BACKEND_CALDAV, BOOKING_CONFIRMED, err, errlen);
        if (offline) *offline = 1;
    } else if (rc != CALDAV_OK) {
        return dav_fail(rc, err, errlen);
    }
    if (lrc == BOOKING_OK) lrc = add_local_counts(b, offer_id, slots, n, BACKEND_CALDAV, BOOKING_QUEUED, err, errlen);
    return lrc;
}

/* ---- lookup, cancel ---- */

int booking_lookup(booking *b, const char *code, booking_info *out, char *err, size_t errlen)
{
    if (!b || !out) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    booking_row w;
    int rc = bk_row_by_code(b, code, &w, err, errlen);
    if (rc != BOOKING_OK) return rc;
    *out = w.info;
    bk_row_free(&w);
    return BOOKING_OK;
}

/* Delete the resource of a seat; a resource already gone counts as deleted. */
static int remote_delete(booking *b, const booking_row *w, int seat, char *err, size_t errlen)
{
    char res[64];
    bk_resource_name(w->info.start, w->place, seat, res);
    int rc = caldav_delete(&b->dav, w->info.offer_id, res, err, errlen);
    if (rc == CALDAV_OK || rc == CALDAV_NOTFOUND) return BOOKING_OK;
    if (rc == CALDAV_UNREACHABLE)
        return bk_fail(err, errlen, BOOKING_ERR_UNREACHABLE, "the seat is still booked (%s)", err);
    return bk_fail(err, errlen, BOOKING_ERR_REFUSED, "cancel: %s", err);
}

/* Cancel a queued request: it never goes out; a copy that landed after all is deleted if found. */
static int cancel_queued(booking *b, const booking_row *w)
{
    char err[256];
    int seat = -1;
    if (b->remote && bk_server_seat_of(b, w, &seat, err, sizeof err) == CALDAV_OK && seat >= 0)
        remote_delete(b, w, seat, err, sizeof err);
    return 0;
}

static int cancel_row(booking *b, const booking_row *w, char *err, size_t errlen)
{
    if (w->info.state == BOOKING_CANCELLED || w->info.state == BOOKING_TAKEN) return BOOKING_OK; /* holds no seat */
    if (w->backend == BACKEND_CALDAV && w->info.state == BOOKING_CONFIRMED) {
        if (!b->remote) return bk_fail(err, errlen, BOOKING_ERR_NO_SERVER, NULL);
        int rc = remote_delete(b, w, w->info.seat, err, errlen);
        if (rc != BOOKING_OK) return rc;
    } else if (w->backend == BACKEND_CALDAV) {
        cancel_queued(b, w);
    }
    int rc = bk_row_set_state(b, w->id, BOOKING_CANCELLED, -1, err, errlen);
    if (rc != BOOKING_OK) return rc;
    bk_purge_personal(b);
    return BOOKING_OK;
}

int booking_cancel(booking *b, const char *code, char *err, size_t errlen)
{
    if (!b) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    booking_row w;
    int rc = bk_row_by_code(b, code, &w, err, errlen);
    if (rc != BOOKING_OK) return rc;
    rc = cancel_row(b, &w, err, errlen);
    bk_row_free(&w);
    return rc;
}

