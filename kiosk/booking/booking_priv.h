/*
 * booking_priv.h: what the files of the booking room share, not for other rooms. booking.c
 * opens the handle, books and cancels; booking_db.c owns the table in the kiosk-local file;
 * booking_ics.c writes and reads iCalendar and converts times; booking_outbox.c delivers
 * queued requests; booking_export.c gives staff their views.
 */
#ifndef KIOSK_BOOKING_PRIV_H
#define KIOSK_BOOKING_PRIV_H

#include "booking/booking.h"
#include "booking/caldav.h"
#include "booking/code.h"

#include "platform/ical_dl.h"
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define BOOKING_MAX_SEATS 1000

enum { BACKEND_LOCAL = 0, BACKEND_CALDAV = 1 };

struct booking {
    sqlite3 *db;
    int remote;       /* CalDAV backend configured */
    caldav_config dav; /* points into the copies below */
    char *url, *user, *password, *kiosk_id;
    char zone[64];    /* the district's IANA zone: local days of staff lists and exports */
};

/* One row of the table, strings owned. */
typedef struct booking_row {
    int64_t id;
    booking_info info;
    int backend, capacity;
    char *title, *location, *name, *phone, *place;
} booking_row;

#define ROW_COLS \
    "id, code, backend, offer_id, title, location, slot_start, slot_end, capacity, seat, state, name, phone, place"

/*
 * Fill err (may be NULL) with booking_strerror(code) and, when fmt is not NULL, ": " and the
 * detail (which may quote err itself); returns code.
 */
int bk_fail(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Names and phone numbers are wiped from memory before it goes back to the allocator. */
void bk_free_secret(char *s);

/* Free a row's strings (personal data wiped) and zero it. */
void bk_row_free(booking_row *w);

/* Fill w from a statement selecting ROW_COLS. Returns 0, -1 out of memory. */
int bk_row_read(sqlite3_stmt *st, booking_row *w);

/* The request a row was made from (pointing into the row). */
booking_request bk_row_request(const booking_row *w);

/* ISO 8601 "2025-03-01T09:00:00Z" for people and spreadsheets */
void bk_utc_iso(int64_t t, char out[21]);

/* The CalDAV resource of one seat: "<start as YYYYMMDDTHHMMSSZ>-<seat>.ics", or at a place
 * (non-empty place id) "<start>-<place key>-<seat>.ics", the key 16 hex digits of a hash of the id
 * (ids may hold '/' and need not be short). */
void bk_resource_name(int64_t start, const char *place, int seat, char out[64]);

/* The seat a resource name stands for when it belongs to the slot start at place, else -1. */
int bk_resource_seat(const char *resource, int64_t start, const char *place);

/* Is resource a seat of the slot start at some place (a key in its name)? Then it counts only at
 * that place; anything else at that start (older names, staff's own entries) counts at every one. */
int bk_resource_has_place(const char *resource, int64_t start);

/*
 * The VEVENT of a booking. kiosk_id non-NULL: the staff version (name, phone, kiosk in the
 * DESCRIPTION); NULL: the version for the person's own phone, without personal data.
 */
icalcomponent *bk_event_new(const booking_request *r, const char *code, const char *kiosk_id, int status);

/* An empty VCALENDAR of this kiosk's product. */
icalcomponent *bk_calendar_new(void);

/* The calendar as a malloc'ed string (CRLF lines, folded by libical); frees cal. */
char *bk_calendar_text(icalcomponent *cal);

/* One event in a calendar, as text the caller frees (with bk_free_secret: it may hold personal data). */
char *bk_event_text(const booking_request *r, const char *code, const char *kiosk_id);

/* Run sql; BOOKING_OK, or BOOKING_ERR_DB with err. */
int bk_db_exec(booking *b, const char *sql, char *err, size_t errlen);

/* A prepared statement, or NULL with err. */
sqlite3_stmt *bk_db_prepare(booking *b, const char *sql, char *err, size_t errlen);

/*
 * Drop personal data no longer needed: everything but the outbox and local-backend bookings
 * whose slot is still ahead. Then fold the WAL back and truncate it so no copy of the old pages
 * stays in the log (best effort: a reader elsewhere may hold it until the next time).
 */
int bk_purge_personal(booking *b);

/* A fresh code not used in this file: 31^6 (~887 million) codes, so a repeat is rare. A booking_err. */
int bk_new_code(booking *b, char code[8], char *err, size_t errlen);

/* Insert a row for r; seat < 0 stores NULL; personal: store name and phone. A booking_err. */
int bk_row_insert(booking *b, const booking_request *r, const char *code, int backend, int seat, int state,
                  int personal, char *err, size_t errlen);

/* Set a row's state and seat (seat < 0: NULL); name and phone go unless the row stays queued. A booking_err. */
int bk_row_set_state(booking *b, int64_t id, int state, int seat, char *err, size_t errlen);

/*
 * The server just accepted a new resource for this seat, so whatever this kiosk remembered for
 * it was deleted there (staff removed it in their calendar): that old booking is cancelled.
 */
int bk_forget_stale_seat(booking *b, const char *offer_id, int64_t start, const char *place, int seat);

/* The table and its indexes, on a handle whose db local_db_open just opened. A booking_err. */
int bk_db_setup(booking *b, char *err, size_t errlen);

/* Call fn for every VEVENT of an iCalendar text (or of a bare VEVENT). */
void bk_each_event(const char *ics, void (*fn)(void *ud, icalcomponent *ev), void *ud);

/* DTSTART in UTC seconds (a TZID is resolved by libical), or -1. */
int64_t bk_event_start(icalcomponent *ev);

/*
 * Does the server hold this request already (an earlier PUT whose answer was lost)? Returns a
 * caldav_result; *seat is the seat found or -1.
 */
int bk_server_seat_of(booking *b, const booking_row *w, int *seat, char *err, size_t errlen);

/* Load the row of a code. BOOKING_OK, BOOKING_ERR_UNKNOWN_CODE, or BOOKING_ERR_DB / _NOMEM with err. */
int bk_row_by_code(booking *b, const char *code, booking_row *w, char *err, size_t errlen);

#endif
