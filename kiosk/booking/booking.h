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

/* Open the backend. Returns 0, or -1 with a message in err. */
int booking_open(booking **out, const booking_config *cfg, char *err, size_t errlen);
void booking_close(booking *b);

/*
 * Book a seat in the slot r->start..r->end. Returns 0 and fills *out (state CONFIRMED, QUEUED or
 * TAKEN), or -1 with a message in err (disk full, server refused e.g. bad credentials).
 */
int booking_make(booking *b, const booking_request *r, booking_info *out, char *err, size_t errlen);

/*
 * Set slots[i].taken for the offer's slots from the authority (plus this kiosk's queued requests).
 * Returns 0, 1 when the server could not be reached (taken then counts only what this kiosk
 * knows), or -1 on error.
 */
int booking_fill_taken(booking *b, const char *offer_id, booking_slot *slots, int n, char *err, size_t errlen);

/* Look a booking up by its code (case-insensitive). Returns 0, 1 when unknown, -1 on error. */
int booking_lookup(booking *b, const char *code, booking_info *out);

/* Cancel by code: frees the seat at the authority. Returns 0, 1 when unknown, -1 with err (offline). */
int booking_cancel(booking *b, const char *code, char *err, size_t errlen);

/*
 * Deliver queued requests (oldest first) and purge personal data that is no longer needed
 * (delivered bookings, bookings whose slot has passed). Returns how many are still queued, or
 * -1 when the server is unreachable. Meant for the sync thread.
 */
int booking_flush_outbox(booking *b);

/* Bookings made at this kiosk whose slot starts on local day "YYYY-MM-DD" (in the configured zone). */
int booking_list_day(booking *b, const char *day, booking_info **out, int *n);

/* Staff export of the bookings of day ("YYYY-MM-DD") or all when NULL: iCalendar and CSV. */
int booking_export_ics(booking *b, const char *day, FILE *out);
int booking_export_csv(booking *b, const char *day, FILE *out);

/*
 * One VEVENT in a VCALENDAR (CRLF lines, UTC times, no personal data) for the QR code a person
 * scans into a phone calendar. Returns a string the caller frees, NULL on error.
 */
char *booking_ics_event(const booking_request *r, const char *code);

#endif
