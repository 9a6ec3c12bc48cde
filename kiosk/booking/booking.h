/*
 * booking: appointments at the kiosk. One handle per kiosk; two backends behind it:
 *  - local  (no caldav_url): bookings live in the kiosk's own SQLite file, one kiosk is the authority;
 *  - CalDAV (caldav_url set): one calendar per bookable offer on a CalDAV server; a booking is a
 *    PUT of a VEVENT to "<slot>-<seat>.ics" with If-None-Match: *, and the server's 412 means the
 *    seat is taken, so two kiosks can never book the same seat.
 * When the server cannot be reached a request is queued durably in the local file (the outbox)
 * and reported as BOOKING_QUEUED, never as confirmed. booking_flush_outbox retries it later.
 *
 * Personal data (name, phone) is stored only until the authority holds the booking, and never
 * logged. Calls may block on the network for up to the configured timeout: call them from a
 * worker thread, never from the UI thread. One handle must not be used by two threads at once.
 */
#ifndef KIOSK_BOOKING_H
#define KIOSK_BOOKING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "booking/slots.h"

typedef struct booking booking;

/* The longest name, phone number and title or location (bytes) booking_make accepts. */
#define BOOKING_MAX_NAME 200
#define BOOKING_MAX_PHONE 64
#define BOOKING_MAX_TEXT 1000

typedef struct booking_config {
    const char *db_path;         /* the kiosk-local SQLite file (created if missing) */
    const char *caldav_url;      /* base collection URL ending in '/', NULL or "" for the local backend */
    const char *caldav_user;     /* HTTP basic credentials, may be NULL */
    const char *caldav_password;
    const char *kiosk_id;        /* written into events so staff see where a booking came from */
    long timeout_s;              /* per request; 0 = 10 s */
    const char *zone;            /* IANA zone of local days (staff lists, exports); NULL or "" = STORE_DEFAULT_ZONE */
} booking_config;

enum booking_state {
    BOOKING_CONFIRMED = 0, /* the authority holds it */
    BOOKING_QUEUED = 1,    /* server unreachable: waiting in the outbox, NOT confirmed */
    BOOKING_TAKEN = 2,     /* every seat of the slot is taken (also: a queued request that lost) */
    BOOKING_CANCELLED = 3,
};

typedef struct booking_request {
    const char *offer_id;
    const char *title;    /* offer name for the event SUMMARY (any language) */
    const char *location; /* address for the event LOCATION, may be NULL */
    int64_t start, end;   /* UTC seconds */
    int capacity;         /* seats in the slot */
    const char *place;    /* the slot's place (booking_slot.place_id), NULL or "" when the offer has
                             one: the seats of each place are counted apart */
    const char *name;     /* optional personal data: NULL or "" for an anonymous booking */
    const char *phone;
} booking_request;

typedef struct booking_info {
    char code[8];      /* short booking code, e.g. "K7M4Q2": [2-9A-Z] without look-alikes */
    char offer_id[128];
    int64_t start, end;
    int seat;
    int state;         /* enum booking_state */
} booking_info;

/*
 * Why a booking call failed (booking_strerror). Calls that take err fill it with the sentence,
 * then ": " and a detail when there is one; neither ever quotes a name or phone number.
 */
enum booking_err {
    BOOKING_OK = 0,
    BOOKING_ERR_ARG,          /* no handle, a missing argument */
    BOOKING_ERR_REQUEST,      /* not bookable: the slot is over, a text too long or malformed... */
    BOOKING_ERR_SCHEDULE,     /* the offer's opening hours cannot be turned into slots */
    BOOKING_ERR_ZONE,         /* a time zone ICU does not know */
    BOOKING_ERR_NOMEM,        /* out of memory */
    BOOKING_ERR_DB,           /* the kiosk-local file cannot be read or written */
    BOOKING_ERR_INTERNAL,     /* libsodium or libical failed, no free code */
    BOOKING_ERR_UNKNOWN_CODE, /* no booking made at this kiosk has this code */
    BOOKING_ERR_UNREACHABLE,  /* the CalDAV server cannot be reached (timeout, 5xx): try again later */
    BOOKING_ERR_REFUSED,      /* the CalDAV server refused (credentials, a request it rejects) */
    BOOKING_ERR_NO_CALENDAR,  /* the offer has no calendar on the CalDAV server */
    BOOKING_ERR_NO_SERVER,    /* booked on a CalDAV server, but this kiosk has none set up */
    BOOKING_ERR_EXPORT,       /* a staff export file cannot be written */
};

/* The sentence for a code (English, for staff and logs; the UI translates it). */
const char *booking_strerror(int err);

/* Open the backend. Returns BOOKING_OK, or an error code with err filled. */
int booking_open(booking **out, const booking_config *cfg, char *err, size_t errlen);
void booking_close(booking *b);

/*
 * Local days from now on in zone (NULL or "" = STORE_DEFAULT_ZONE): a newly installed pack may
 * be another district's. BOOKING_OK, or BOOKING_ERR_ZONE with err (the zone stays as it was).
 */
int booking_set_zone(booking *b, const char *zone, char *err, size_t errlen);

/*
 * Book a seat in the slot r->start..r->end. Returns BOOKING_OK and fills *out (state CONFIRMED,
 * QUEUED or TAKEN: a server that cannot be reached queues the request, it is no error), or an
 * error code with err filled (BOOKING_ERR_REQUEST, _DB e.g. disk full, _REFUSED e.g. bad
 * credentials, _NO_CALENDAR).
 */
int booking_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen);

/*
 * Set slots[i].taken for the offer's slots from the authority (plus this kiosk's queued requests).
 * Returns BOOKING_OK, with *offline (may be NULL) set to 1 when the server could not be reached
 * (taken then counts only what this kiosk knows), else 0; or an error code with err filled.
 */
int booking_fill_taken(booking *b, const char *offer_id, booking_slot *slots, int n, int *offline, char *err,
                       size_t errlen);

/* Look a booking up by its code (case-insensitive). BOOKING_OK, BOOKING_ERR_UNKNOWN_CODE, or another code. */
int booking_lookup(booking *b, const char *code, booking_info *out, char *err, size_t errlen);

/*
 * Cancel by code: frees the seat at the authority. BOOKING_OK, BOOKING_ERR_UNKNOWN_CODE, or
 * another code (BOOKING_ERR_UNREACHABLE: the seat is still booked).
 */
int booking_cancel(booking *b, const char *code, char *err, size_t errlen);

/*
 * Deliver queued requests (oldest first) and purge personal data that is no longer needed
 * (delivered bookings, bookings whose slot has passed). Returns BOOKING_OK with *queued (may be
 * NULL) how many still wait, BOOKING_ERR_UNREACHABLE when the server cannot be reached, or
 * another code. Meant for the sync thread.
 */
int booking_flush_outbox(booking *b, int *queued, char *err, size_t errlen);

/*
 * Bookings made at this kiosk whose slot starts on local day "YYYY-MM-DD" (in the configured
 * zone), into *out (the caller free()s it) and *n. BOOKING_OK, or with err: BOOKING_ERR_ARG,
 * BOOKING_ERR_REQUEST (not a day), BOOKING_ERR_DB (the file cannot be read), BOOKING_ERR_NOMEM.
 */
int booking_list_day(booking *b, const char *day, booking_info **out, int *n, char *err, size_t errlen);

/*
 * Staff export of the bookings of day ("YYYY-MM-DD") or all when NULL to out: iCalendar and CSV.
 * BOOKING_OK, or with err: BOOKING_ERR_ARG, _REQUEST (not a day), _DB, _NOMEM, _INTERNAL
 * (libical), BOOKING_ERR_EXPORT (out cannot be written).
 */
int booking_export_ics(booking *b, const char *day, FILE *out, char *err, size_t errlen);
int booking_export_csv(booking *b, const char *day, FILE *out, char *err, size_t errlen);

/*
 * One VEVENT in a VCALENDAR (CRLF lines, UTC times, no personal data) for the QR code a person
 * scans into a phone calendar. Returns a string the caller frees, NULL on error.
 */
char *booking_ics_event(const booking_request *r, const char *code);

#endif
