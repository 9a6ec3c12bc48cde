/*
 * slots: turns an offer's schedules into bookable slots (contract in slots.h). libical expands
 * the rule into local calendar days; ICU maps each local wall time to UTC, so a slot keeps its
 * local clock time across DST. Choices the header leaves open:
 *  - A start that does not exist locally (the skipped spring hour) gives no slot; an ambiguous
 *    start (the repeated autumn hour) is taken at its first occurrence (in Berlin: summer time).
 *  - end is start + slot_minutes of real time and end_min is start_min + slot_minutes, so the
 *    two only disagree for a slot spanning the switch itself.
 *  - Without valid_from, an interval-1 rule is anchored at an early Monday (2000-01-03; any
 *    anchor yields the same days), while a rule with interval > 1 is anchored at Monday
 *    2026-01-05, which fixes which weeks or months count. Set valid_from to choose them.
 *  - valid_to is inclusive; zones must be IANA system zones ("Europe/Berlin").
 */
#include "booking/slots.h"

#include "i18n/i18n.h"

#include "platform/ical_dl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>
/* libicui18n, opened on first use: after ICU's headers */
#include "platform/icu_dl.h"

typedef struct slot_list {
    booking_slot *v;
    int n, cap;
} slot_list;

static int fail(char *err, size_t errlen, const char *fmt, const char *what)
{
    if (err && errlen) snprintf(err, errlen, fmt, what);
    return -1;
}

int slots_zone_known(const char *zone)
{
    if (!zone || !*zone || strlen(zone) >= 64 ||
        strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(zone))
        return 0;
    return i18n_zone_known(zone);
}

/* NULL for anything but a known system zone: ICU would otherwise silently fall back to GMT. */
static UCalendar *zone_open(const char *zone)
{
    UChar id[64];
    UErrorCode st = U_ZERO_ERROR;
    if (!slots_zone_known(zone)) return NULL;
    u_uastrcpy(id, zone);
    UCalendar *cal = ucal_open(id, -1, NULL, UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        ucal_close(cal);
        return NULL;
    }
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    /* a skipped wall time moves forward, which local_to_utc detects by reading the fields back */
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
    return cal;
}

/* 0 and *t, 1 when the wall time does not exist that day, -1 on an ICU error. */
static int local_to_utc(UCalendar *cal, int y, int m, int d, int minute, int64_t *t)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_setDateTime(cal, y, m - 1, d, minute / 60, minute % 60, 0, &st);
    UDate ms = ucal_getMillis(cal, &st);
    int hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st), min = ucal_get(cal, UCAL_MINUTE, &st);
    int day = ucal_get(cal, UCAL_DATE, &st);
    if (U_FAILURE(st)) return -1;
    if (hour != minute / 60 || min != minute % 60 || day != d) return 1;
    *t = (int64_t)(ms / 1000);
    return 0;
}

static int utc_to_local(UCalendar *cal, int64_t t, int *y, int *m, int *d)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, (UDate)t * 1000.0, &st);
    *y = ucal_get(cal, UCAL_YEAR, &st);
    *m = ucal_get(cal, UCAL_MONTH, &st) + 1;
    *d = ucal_get(cal, UCAL_DATE, &st);
    return U_FAILURE(st) ? -1 : 0;
}

/* the modulos only tell the compiler the fields fit */
static void format_day(char day[11], int y, int m, int d)
{
    snprintf(day, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int slots_local_day(int64_t t, const char *zone, char day[11], int64_t *midnight)
{
    UCalendar *cal = zone_open(zone);
    if (!cal) return -1;
    int y, m, d, rc = utc_to_local(cal, t, &y, &m, &d);
    if (rc == 0) {
        /* a day whose midnight is skipped starts at the next valid time (NEXT_VALID above) */
        UErrorCode st = U_ZERO_ERROR;
        ucal_clear(cal);
        ucal_setDateTime(cal, y, m - 1, d, 0, 0, 0, &st);
        UDate ms = ucal_getMillis(cal, &st);
        if (U_FAILURE(st)) rc = -1;
        else {
            format_day(day, y, m, d);
            if (midnight) *midnight = (int64_t)(ms / 1000);
        }
    }
    ucal_close(cal);
    return rc;
}

int slots_local_time(int64_t t, const char *zone, char day[11], int *minute)
{
    UCalendar *cal = zone_open(zone);
    if (!cal) return -1;
    int y, m, d, rc = utc_to_local(cal, t, &y, &m, &d);
    UErrorCode st = U_ZERO_ERROR;
    int hm = ucal_get(cal, UCAL_HOUR_OF_DAY, &st) * 60 + ucal_get(cal, UCAL_MINUTE, &st);
    ucal_close(cal);
    if (rc != 0 || U_FAILURE(st)) return -1;
    format_day(day, y, m, d);
    *minute = hm;
    return 0;
}

int slots_day_range(const char *day, const char *zone, int64_t *from, int64_t *to)
{
    int y, m, d, len = 0;
    if (!day || sscanf(day, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || len != 10 || day[len] || y < 1970 || m < 1 ||
        m > 12 || d < 1 || d > icaltime_days_in_month(m, y))
        return -1;
    UCalendar *cal = zone_open(zone);
    if (!cal) return -1;
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_setDateTime(cal, y, m - 1, d, 0, 0, 0, &st);
    UDate a = ucal_getMillis(cal, &st);
    ucal_add(cal, UCAL_DATE, 1, &st); /* the next local midnight, whatever the day's length */
    UDate b = ucal_getMillis(cal, &st);
    ucal_close(cal);
    if (U_FAILURE(st)) return -1;
    *from = (int64_t)(a / 1000);
    *to = (int64_t)(b / 1000);
    return 0;
}

/* "YYYY-MM-DD" as a floating local date-time at midnight; -1 when malformed. */
static int parse_day(const char *s, struct icaltimetype *t)
{
    int y, m, d, len = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || len != 10 || s[len]) return -1;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > icaltime_days_in_month(m, y)) return -1;
    *t = icaltime_null_time();
    t->year = y, t->month = m, t->day = d;
    return 0;
}

static int is_closed(char *const *closed, const char *day)
{
    for (; closed && *closed; closed++)
        if (!strcmp(*closed, day)) return 1;
    return 0;
}

static int push(slot_list *l, const booking_slot *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        booking_slot *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v) return -1;
        l->v = v, l->cap = cap;
    }
    l->v[l->n++] = *s;
    return 0;
}

/* The rule as an RRULE string; byday/bymonthday are checked so they cannot smuggle in other parts. */
static int rule_string(const store_schedule *sc, char *buf, size_t len)
{
    static const char rule_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,+-";
    int monthly = !strcmp(sc->freq, "MONTHLY");
    if (!monthly && strcmp(sc->freq, "WEEKLY")) return -1;
    if (strspn(sc->byday, rule_chars) != strlen(sc->byday) ||
        strspn(sc->bymonthday, rule_chars) != strlen(sc->bymonthday))
        return -1;
    /* without a day the rule would fall back to the anchor's weekday or date, which is arbitrary */
    if (!*sc->byday && !(monthly && *sc->bymonthday)) return -1;
    if (!monthly && *sc->bymonthday) return -1;
    int n = snprintf(buf, len, "FREQ=%s;INTERVAL=%d%s%s%s%s", sc->freq, sc->interval > 1 ? sc->interval : 1,
                     *sc->byday ? ";BYDAY=" : "", sc->byday, *sc->bymonthday ? ";BYMONTHDAY=" : "", sc->bymonthday);
    if (n < 0 || (size_t)n >= len) return -1;
    if (*sc->valid_to) {
        struct icaltimetype until;
        if (parse_day(sc->valid_to, &until)) return -1;
        int k = snprintf(buf + n, len - (size_t)n, ";UNTIL=%04d%02d%02dT235959", until.year, until.month, until.day);
        if (k < 0 || (size_t)k >= len - (size_t)n) return -1;
    }
    return 0;
}

/* Appends the slots of one schedule starting in [lo, to). Returns 0, -1 (bad rule), -2 (bad zone), -3 (memory). */
static int expand(const store_schedule *sc, char *const *closed, int64_t lo, int64_t to, slot_list *out)
{
    char rule[160];
    struct icaltimetype dtstart;
    if (rule_string(sc, rule, sizeof rule)) return -1;
    if (sc->opens < 0 || sc->closes > 24 * 60) return -1;
    if (parse_day(*sc->valid_from ? sc->valid_from : sc->interval > 1 ? "2026-01-05" : "2000-01-03", &dtstart))
        return -1;
    struct icalrecurrencetype rr = icalrecurrencetype_from_string(rule);
    if (rr.freq == ICAL_NO_RECURRENCE) {
        icalerror_clear_errno();
        return -1;
    }
    UCalendar *cal = zone_open(sc->timezone);
    if (!cal) return -2;
    /* no slot of an earlier local day can start at or after lo, none of a later one before to */
    struct icaltimetype first = icaltime_null_time(), last = icaltime_null_time();
    icalrecur_iterator *it = NULL;
    int rc = -1;
    if (utc_to_local(cal, lo, &first.year, &first.month, &first.day) ||
        utc_to_local(cal, to, &last.year, &last.month, &last.day))
        goto done;
    it = icalrecur_iterator_new(rr, dtstart);
    if (!it) goto done;
    /* jumping ahead keeps the early anchor cheap */
    if (icaltime_compare(first, dtstart) > 0 && !icalrecur_iterator_set_start(it, first)) goto done;
    rc = 0;
    for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t) && rc == 0;
         t = icalrecur_iterator_next(it)) {
        if (icaltime_compare(t, last) > 0) break;
        if (icaltime_compare(t, first) < 0) continue;
        booking_slot s = {.capacity = sc->capacity, .place = sc->place};
        snprintf(s.place_id, sizeof s.place_id, "%s", sc->place_id);
        format_day(s.day, t.year, t.month, t.day);
        if (is_closed(closed, s.day)) continue;
        for (int min = sc->opens; min + sc->slot_minutes <= sc->closes && rc == 0; min += sc->slot_minutes) {
            int r = local_to_utc(cal, t.year, t.month, t.day, min, &s.start);
            if (r < 0) rc = -1;
            if (r) continue;
            if (s.start < lo || s.start >= to) continue;
            s.end = s.start + (int64_t)sc->slot_minutes * 60;
            s.start_min = min;
            s.end_min = min + sc->slot_minutes;
            if (push(out, &s)) rc = -3;
        }
    }
done:
    if (it) icalrecur_iterator_free(it);
    icalerror_clear_errno();
    ucal_close(cal);
    return rc;
}

static int by_start(const void *a, const void *b)
{
    const booking_slot *x = a, *y = b;
    if (x->start != y->start) return (x->start > y->start) - (x->start < y->start);
    return (x->place > y->place) - (x->place < y->place);
}

int slots_generate(const store_schedule *sched, int n, char *const *closed, int64_t from, int64_t to, int64_t now,
                   booking_slot **out, int *nout, char *err, size_t errlen)
{
    *out = NULL;
    *nout = 0;
    slot_list l = {0};
    if (from >= to || now >= to) return 0;
    /* "later than now": the first possible start is now + 1 */
    int64_t lo = from > now ? from : now + 1;
    for (int i = 0; i < n; i++) {
        const store_schedule *sc = &sched[i];
        if (sc->slot_minutes <= 0 || sc->capacity <= 0) continue;
        int rc = expand(sc, closed, lo, to, &l);
        if (rc) {
            free(l.v);
            if (rc == -2) return fail(err, errlen, "unknown time zone \"%s\"", sc->timezone);
            if (rc == -3) return fail(err, errlen, "%s", "out of memory");
            return fail(err, errlen, "bad schedule rule (freq %s)", sc->freq);
        }
    }
    if (l.n) qsort(l.v, (size_t)l.n, sizeof *l.v, by_start);
    int k = 0;
    for (int i = 0; i < l.n; i++) {
        booking_slot *prev = k ? &l.v[k - 1] : NULL;
        if (prev && prev->start == l.v[i].start && prev->place == l.v[i].place) {
            prev->capacity += l.v[i].capacity;
            if (l.v[i].end > prev->end) prev->end = l.v[i].end, prev->end_min = l.v[i].end_min;
        } else {
            l.v[k++] = l.v[i];
        }
    }
    *out = l.v;
    *nout = k;
    return 0;
}

int slots_free_only(booking_slot *s, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (s[i].taken < s[i].capacity) s[k++] = s[i];
    return k;
}
