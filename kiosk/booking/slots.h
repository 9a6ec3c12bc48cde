/*
 * slots: the bookable slots of an offer, computed from its schedules (RRULE-style weekly and
 * monthly rules as in HSDS, expanded with libical) in the schedule's local time zone (ICU), so a
 * 10:00 slot stays at 10:00 local time across the DST switch. Closed days and public holidays
 * are skipped; past slots are never returned. Pure computation: no database, no network.
 */
#ifndef KIOSK_SLOTS_H
#define KIOSK_SLOTS_H

#include <stdint.h>

#include "store/store.h"

typedef struct booking_slot {
    int64_t start, end;  /* UTC, seconds since the epoch */
    char day[11];        /* local date "YYYY-MM-DD" in the schedule's zone */
    int start_min;       /* local start, minutes after midnight of day */
    int end_min;         /* local end, minutes after midnight of day */
    int capacity;        /* seats in this slot */
    int taken;           /* seats already booked: 0 here, filled in by a booking backend */
    int place;           /* the schedule's place (store_schedule.place, -1 none): where the visitor goes */
    char place_id[136];  /* its id (store_schedule.place_id), "" when the offer has one place: each
                            place of an offer held at several has seats of its own */
} booking_slot;

/*
 * The slots of sched[0..n) (only schedules with slot_minutes and capacity > 0) whose start lies
 * in [from, to) and is later than now, skipping the local days listed in closed (sorted or not,
 * NULL-terminated, may be NULL). A slot never runs past closes_at. Slots are sorted by start
 * (then place); two schedules giving the same start at the same place are merged (capacities
 * add up), at different places they stay two slots.
 * Returns 0 and *out (free()) with *nout entries, or -1 with a message in err (bad rule, bad zone).
 */
int slots_generate(const store_schedule *sched, int n, char *const *closed, int64_t from, int64_t to, int64_t now,
                   booking_slot **out, int *nout, char *err, size_t errlen);

/* Keep only slots with a free seat (taken < capacity); returns the new count. */
int slots_free_only(booking_slot *s, int n);

/*
 * Local calendar date of t in zone (e.g. "Europe/Berlin") as "YYYY-MM-DD" and the UTC instant of
 * local midnight starting that day. Returns 0, or -1 for an unknown zone.
 */
int slots_local_day(int64_t t, const char *zone, char day[11], int64_t *midnight);

/*
 * Local date and wall-clock time of t in zone: day "YYYY-MM-DD" and *minute = hours * 60 +
 * minutes as a clock there shows it (on the days the clocks change this differs from the time
 * since midnight). Returns 0, or -1 for an unknown zone.
 */
int slots_local_time(int64_t t, const char *zone, char day[11], int *minute);

/*
 * Is zone an IANA zone ICU knows as a system zone ("Europe/Berlin", "America/New_York")? Names
 * it does not know ("Mars/Olympus"), which it would silently treat as GMT, are not. 1 or 0.
 */
int slots_zone_known(const char *zone);

/*
 * The UTC instants [from, to) of the local day "YYYY-MM-DD" (1970 or later) in zone; to - from
 * is not 86400 on the days the clocks change. Returns 0, or -1 for a bad day or zone.
 */
int slots_day_range(const char *day, const char *zone, int64_t *from, int64_t *to);

#endif
