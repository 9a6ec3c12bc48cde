/*
 * booking_ics.c: iCalendar for the booking room (libical): the event of a booking for the
 * CalDAV server, the staff export and the person's phone; events read back from the server;
 * UTC times built without time_t.
 */
#include "booking/booking_priv.h"

#include "platform/wallclock.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ISO 8601 "2025-03-01T09:00:00Z" for people and spreadsheets */
void bk_utc_iso(int64_t t, char out[21])
{
    wallclock_iso(t, out, 21);
}

/* iCalendar's UTC date-time of t, built from fields: libical's time_t may be 32 bits (armhf). */
static struct icaltimetype ical_utc(int64_t t)
{
    wallclock_utc u = wallclock_split(t);
    struct icaltimetype x = icaltime_null_time();
    x.year = (int)u.year;
    x.month = u.month;
    x.day = u.day;
    x.hour = u.hour;
    x.minute = u.minute;
    x.second = u.second;
    x.zone = icaltimezone_get_utc_timezone();
    return x;
}

/* The key of a place in resource names: 16 hex digits of its id's BLAKE2b hash, "" for none. */
static void place_key(const char *place, char key[17])
{
    key[0] = 0;
    if (!place || !*place) return;
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)place, strlen(place), NULL, 0);
    sodium_bin2hex(key, 17, h, sizeof h);
}

void bk_resource_name(int64_t start, const char *place, int seat, char out[64])
{
    char stamp[17], key[17];
    wallclock_stamp(start, stamp, sizeof stamp);
    place_key(place, key);
    if (key[0])
        snprintf(out, 64, "%s-%s-%d.ics", stamp, key, seat);
    else
        snprintf(out, 64, "%s-%d.ics", stamp, seat);
}

/* The place key and seat in a resource name of the slot start: 1 with a key, 0 without, -1 when
 * it is none of our names for that start. */
static int resource_parts(const char *resource, int64_t start, char key[17], int *seat)
{
    char stamp[17], tail[8];
    wallclock_stamp(start, stamp, sizeof stamp);
    size_t n = strlen(stamp);
    key[0] = 0;
    if (strncmp(resource, stamp, n) != 0 || resource[n] != '-') return -1;
    const char *p = resource + n + 1;
    int keyed = strspn(p, "0123456789abcdef") == 16 && p[16] == '-';
    if (keyed) {
        memcpy(key, p, 16);
        key[16] = 0;
        p += 17;
    }
    if (sscanf(p, "%d%7s", seat, tail) != 2 || *seat < 0 || strcmp(tail, ".ics") != 0 || strspn(p, "0123456789") == 0)
        return -1;
    return keyed;
}

int bk_resource_seat(const char *resource, int64_t start, const char *place)
{
    char key[17], want[17];
    int seat = -1;
    place_key(place, want);
    if (resource_parts(resource, start, key, &seat) < 0 || strcmp(key, want) != 0) return -1;
    return seat;
}

int bk_resource_has_place(const char *resource, int64_t start)
{
    char key[17];
    int seat;
    return resource && resource_parts(resource, start, key, &seat) == 1;
}

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
icalcomponent *bk_event_new(const booking_request *r, const char *code, const char *kiosk_id, int status)
{
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
    add_prop(ev, icalproperty_new_dtstamp(ical_utc(wallclock_now())));
    add_prop(ev, icalproperty_new_dtstart(ical_utc(r->start)));
    add_prop(ev, icalproperty_new_dtend(ical_utc(r->end)));
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

icalcomponent *bk_calendar_new(void)
{
    return icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                               icalproperty_new_prodid("-//Kiosk//Booking//EN"), icalproperty_new_calscale("GREGORIAN"),
                               (void *)0);
}

/* The calendar as a malloc'ed string (CRLF lines, folded by libical); frees cal. */
char *bk_calendar_text(icalcomponent *cal)
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

char *bk_event_text(const booking_request *r, const char *code, const char *kiosk_id)
{
    icalcomponent *cal = bk_calendar_new(), *ev = bk_event_new(r, code, kiosk_id, -1);
    if (!cal || !ev) {
        if (cal) icalcomponent_free(cal);
        if (ev) icalcomponent_free(ev);
        return NULL;
    }
    icalcomponent_add_component(cal, ev);
    return bk_calendar_text(cal);
}

char *booking_ics_event(const booking_request *r, const char *code)
{
    if (!r || !r->offer_id || !code || !*code) return NULL;
    return bk_event_text(r, code, NULL);
}

/*
 * Content lines (unfolded) longer than this are left out before libical reads a text: its time
 * grows with the square of a line's length (here 24 ms for 256 KiB, 0.4 s for 1 MiB, 0.9 s for
 * 2 MiB; an inline attachment in a shared calendar, within the 16 MiB an answer may have, would
 * hold the booking worker for minutes on a Pi). No property the kiosk reads comes near it.
 */
#define ICS_LINE_MAX (16u << 10)

/* ics without its overlong content lines, or NULL when it has none (or memory ran out). */
static char *without_long_lines(const char *ics)
{
    size_t len = strlen(ics);
    if (len <= ICS_LINE_MAX) return NULL;
    char *out = NULL;
    size_t o = 0;
    for (const char *p = ics; *p;) {
        /* a content line: its first physical line and each that starts with a space or tab */
        const char *q = p;
        do {
            const char *nl = strchr(q, '\n');
            q = nl ? nl + 1 : q + strlen(q);
        } while (*q == ' ' || *q == '\t');
        size_t n = (size_t)(q - p);
        if (n > ICS_LINE_MAX && !out) {
            if (!(out = malloc(len + 1))) return NULL;
            memcpy(out, ics, (size_t)(p - ics));
            o = (size_t)(p - ics);
        }
        if (out && n <= ICS_LINE_MAX) {
            memcpy(out + o, p, n);
            o += n;
        }
        p = q;
    }
    if (out) out[o] = 0;
    return out;
}

/* Call fn for every VEVENT of an iCalendar text (or of a bare VEVENT). */
void bk_each_event(const char *ics, void (*fn)(void *ud, icalcomponent *ev), void *ud)
{
    char *cut = without_long_lines(ics);
    icalcomponent *root = icalparser_parse_string(cut ? cut : ics);
    free(cut);
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
int64_t bk_event_start(icalcomponent *ev)
{
    struct icaltimetype t = icalcomponent_get_dtstart(ev);
    if (icaltime_is_null_time(t)) return -1;
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    /* to UTC fields, then seconds without time_t (icaltime_as_timet is 32-bit on armhf) */
    if (t.zone && t.zone != utc) icaltimezone_convert_time(&t, (icaltimezone *)t.zone, utc);
    return wallclock_days(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}
