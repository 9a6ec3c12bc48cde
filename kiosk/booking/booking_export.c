/*
 * booking_export.c: the staff's views of the bookings made at this kiosk: a day's list, and
 * the iCalendar and CSV exports (the CSV is guarded against spreadsheet formulas: names, phones
 * and titles come from visitors and the content, and staff open the file in a spreadsheet).
 */
#include "booking/booking_priv.h"
#include "platform/csvout.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ics_export {
    icalcomponent *cal;
    const char *kiosk_id;
} ics_export;

typedef struct info_list {
    booking_info *v;
    int n, cap;
} info_list;

/*
 * Rows of a day (NULL: all) in slot order; fn gets each and returns BOOKING_OK or the code that
 * stops the walk. BOOKING_OK, or BOOKING_ERR_ARG, _REQUEST (not a day), _DB or fn's code, with
 * err (what fn's code means is said here: fn has no err).
 */
static int each_row(booking *b, const char *day, int (*fn)(void *ud, const booking_row *w), void *ud, char *err,
                    size_t errlen)
{
    if (!b) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle");
    int64_t from = INT64_MIN, to = INT64_MAX;
    if (day && slots_day_range(day, b->zone, &from, &to) != 0)
        return bk_fail(err, errlen, BOOKING_ERR_REQUEST, "not a day: \"%.16s\" (YYYY-MM-DD)", day);
    sqlite3_stmt *st = bk_db_prepare(b,
                                  "SELECT " ROW_COLS " FROM booking WHERE slot_start>=?1 AND slot_start<?2"
                                  " ORDER BY slot_start, offer_id, seat, id",
                                  err, errlen);
    if (!st) return BOOKING_ERR_DB;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int step, rc = BOOKING_OK;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        booking_row w;
        if (bk_row_read(st, &w) != 0) {
            rc = bk_fail(err, errlen, BOOKING_ERR_DB, "a booking's row cannot be read");
            break;
        }
        rc = fn(ud, &w);
        bk_row_free(&w);
        if (rc != BOOKING_OK) {
            if (rc == BOOKING_ERR_EXPORT) bk_fail(err, errlen, rc, "%s", errno ? strerror(errno) : "write error");
            else bk_fail(err, errlen, rc, "at a booking's row");
            break;
        }
    }
    if (rc == BOOKING_OK && step != SQLITE_DONE) rc = bk_fail(err, errlen, BOOKING_ERR_DB, "%s", sqlite3_errmsg(b->db));
    sqlite3_finalize(st);
    return rc;
}

static int list_add(void *ud, const booking_row *w)
{
    info_list *l = ud;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        booking_info *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return BOOKING_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = w->info;
    return BOOKING_OK;
}

int booking_list_day(booking *b, const char *day, booking_info **out, int *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (!day) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no day");
    info_list l = {0};
    int rc = each_row(b, day, list_add, &l, err, errlen);
    if (rc != BOOKING_OK) {
        free(l.v);
        return rc;
    }
    *out = l.v;
    *n = l.n;
    return BOOKING_OK;
}

static int ics_add(void *ud, const booking_row *w)
{
    ics_export *x = ud;
    /* cancelled and lost requests hold no seat: they are not in the staff calendar */
    if (w->info.state != BOOKING_CONFIRMED && w->info.state != BOOKING_QUEUED) return BOOKING_OK;
    booking_request r = bk_row_request(w);
    icalcomponent *ev = bk_event_new(&r, w->info.code, x->kiosk_id, w->info.state);
    if (!ev) return BOOKING_ERR_INTERNAL;
    icalcomponent_add_component(x->cal, ev);
    return BOOKING_OK;
}

int booking_export_ics(booking *b, const char *day, FILE *out, char *err, size_t errlen)
{
    if (!b || !out) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle or no file");
    icalcomponent *cal = bk_calendar_new();
    if (!cal) return bk_fail(err, errlen, BOOKING_ERR_INTERNAL, "libical cannot make a calendar");
    ics_export x = {cal, b->kiosk_id};
    int rc = each_row(b, day, ics_add, &x, err, errlen);
    if (rc != BOOKING_OK) {
        icalcomponent_free(cal);
        return rc;
    }
    char *text = bk_calendar_text(cal);
    if (!text) return bk_fail(err, errlen, BOOKING_ERR_INTERNAL, "libical cannot write the calendar");
    rc = fputs(text, out) < 0 || fflush(out) != 0 ? bk_fail(err, errlen, BOOKING_ERR_EXPORT, "%s", errno ? strerror(errno) : "write error")
                                                  : BOOKING_OK;
    bk_free_secret(text);
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

/* "YYYY-MM-DD HH:MM" on a clock in zone, for staff reading the CSV ("" when it cannot be said). */
static void local_time_text(const char *zone, int64_t t, char out[20])
{
    char day[11];
    int minute;
    out[0] = 0;
    if (slots_local_time(t, zone, day, &minute) == 0)
        snprintf(out, 20, "%s %02d:%02d", day, (minute / 60) % 100, minute % 60);
}

typedef struct csv_export {
    FILE *f;
    const char *zone;
} csv_export;

static int csv_row(void *ud, const booking_row *w)
{
    csv_export *x = ud;
    FILE *f = x->f;
    char a[21], z[21], la[20], lz[20], seat[16] = "";
    bk_utc_iso(w->info.start, a);
    bk_utc_iso(w->info.end, z);
    local_time_text(x->zone, w->info.start, la);
    local_time_text(x->zone, w->info.end, lz);
    if (w->info.seat >= 0) snprintf(seat, sizeof seat, "%d", w->info.seat);
    const char *fields[] = {w->info.code, w->info.offer_id, w->title, w->location, a, z, la, lz + 11, seat,
                            state_name(w->info.state), w->name, w->phone};
    size_t n = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < n; i++) {
        csvout_field(f, fields[i], CSVOUT_NO_FORMULA);
        fputs(i + 1 == n ? "\r\n" : ",", f);
    }
    return ferror(f) ? BOOKING_ERR_EXPORT : BOOKING_OK;
}

int booking_export_csv(booking *b, const char *day, FILE *out, char *err, size_t errlen)
{
    if (!b || !out) return bk_fail(err, errlen, BOOKING_ERR_ARG, "no handle or no file");
    fputs("code,offer,title,location,start_utc,end_utc,local_start,local_end,seat,state,name,phone\r\n", out);
    csv_export x = {out, b->zone};
    int rc = each_row(b, day, csv_row, &x, err, errlen);
    if (rc == BOOKING_OK && (fflush(out) != 0 || ferror(out)))
        rc = bk_fail(err, errlen, BOOKING_ERR_EXPORT, "%s", errno ? strerror(errno) : "write error");
    return rc;
}
