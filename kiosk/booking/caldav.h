/*
 * caldav: the few CalDAV requests the booking backend needs (RFC 4791), over libcurl (opened on
 * first use, platform/curl_dl.h). One calendar collection per bookable offer under a base URL.
 * No personal data in error messages.
 */
#ifndef KIOSK_CALDAV_H
#define KIOSK_CALDAV_H

#include <stddef.h>
#include <stdint.h>

typedef struct caldav_config {
    const char *base_url; /* collection holding the calendars, ending in '/' */
    const char *user;     /* HTTP basic auth, may be NULL */
    const char *password;
    long timeout_s;       /* per request, 0 = 10 s */
} caldav_config;

enum caldav_result {
    CALDAV_OK = 0,
    CALDAV_TAKEN = 1,     /* PUT with If-None-Match: * answered 412: the resource exists */
    CALDAV_NOTFOUND = 2,  /* 404 */
    CALDAV_UNREACHABLE = -1, /* connect error, timeout, 5xx: try again later */
    CALDAV_REFUSED = -2,  /* any other answer (401, 403, 400...): retrying will not help */
};

/* Create base_url/calendar/ with MKCALENDAR unless it exists (405/409 count as exists). */
int caldav_ensure_calendar(const caldav_config *c, const char *calendar, const char *display_name, char *err,
                           size_t errlen);

/* PUT ics to base_url/calendar/resource with If-None-Match: * so it never overwrites. */
int caldav_put_new(const caldav_config *c, const char *calendar, const char *resource, const char *ics, char *err,
                   size_t errlen);

/* DELETE base_url/calendar/resource. */
int caldav_delete(const caldav_config *c, const char *calendar, const char *resource, char *err, size_t errlen);

/*
 * REPORT calendar-query with a time-range [from, to) (UTC seconds): fn is called once per event
 * with its resource name (last path segment) and its calendar data.
 */
int caldav_list(const caldav_config *c, const char *calendar, int64_t from, int64_t to,
                void (*fn)(void *ud, const char *resource, const char *ics), void *ud, char *err, size_t errlen);

#endif
