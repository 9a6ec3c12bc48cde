/*
 * integreat_event.c: Integreat events as offers of the category the mapping names for events
 * (integreat_priv.h), each with one schedule: a one-off event on its weekday between its
 * dates, a recurring one from its RRULE, read by libical (DAILY, WEEKLY, MONTHLY; INTERVAL,
 * UNTIL, COUNT). Other rules are refused, events that are over left out.
 */
#include "integreat_priv.h"

#include "platform/ical_dl.h"
#include <string.h>

/* "2027-05-04T17:00:00+02:00" -> date and wall time (the event's own zone) */
static int split_dt(const char *s, char date[11], char hm[6])
{
    int y, mo, d, h = 0, mi = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31) return 0;
    if (strlen(s) >= 16 && (s[10] == 'T' || s[10] == ' ') && sscanf(s + 11, "%2d:%2d", &h, &mi) != 2) return 0;
    snprintf(date, 11, "%04d-%02d-%02d", y, mo, d);
    snprintf(hm, 6, "%02d:%02d", h, mi);
    return 1;
}

static int event_schedule(ig *g, const char *file, long long rid, json_t *ev, const char *rrule, const char *place,
                          json_t *out, int *over)
{
    json_t *e = json_object_get(ev, "event");
    char sd[11], st[6], ed[11], et[6];
#define EFAIL(code, ...) imp_fail(g->err, g->errlen, code, "%s: record %lld: " __VA_ARGS__)
    if (!split_dt(jstr(e, "start"), sd, st)) return EFAIL(IMP_ERR_UNMAPPED, "field event.start", file, rid);
    if (!split_dt(jstr(e, "end") ? jstr(e, "end") : jstr(e, "start"), ed, et))
        return EFAIL(IMP_ERR_UNMAPPED, "field event.end", file, rid);
    if (json_is_true(json_object_get(e, "all_day"))) { strcpy(st, "00:00"); strcpy(et, "24:00"); }
    if (strcmp(et, st) <= 0) strcpy(et, "24:00");
    json_t *s = json_pack("{ss ss si ss ss ss}", "freq", "WEEKLY", "byday", "", "interval", 1, "opens_at", st,
                          "closes_at", et, "valid_from", sd);
    json_array_append_new(out, s);
    if (place) json_object_set_new(s, "location", json_string(place));
    if (jstr(e, "timezone")) json_object_set_new(s, "timezone", json_string(jstr(e, "timezone")));
    struct icaltimetype start = icaltime_from_string(sd);
    char byday[64] = "", until[11];
    snprintf(until, sizeof until, "%s", ed);
    if (!rrule) {
        snprintf(byday, sizeof byday, "%s", ig_days[(icaltime_day_of_week(start) + 5) % 7]);
        if (strcmp(ed, sd) > 0) snprintf(byday, sizeof byday, "MO,TU,WE,TH,FR,SA,SU");
    } else {
        if (strlen(rrule) > 1000) return EFAIL(IMP_ERR_TOO_BIG, "field recurrence_rule", file, rid);
        icalerror_clear_errno();
        const char *r = !strncmp(rrule, "RRULE:", 6) ? rrule + 6 : rrule;
        struct icalrecurrencetype rule = icalrecurrencetype_from_string(r);
        if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
            icalerror_clear_errno();
            return EFAIL(IMP_ERR_UNMAPPED, "field recurrence_rule: not an RFC 5545 RRULE: \"%s\"", file, rid, rrule);
        }
        if (rule.freq != ICAL_DAILY_RECURRENCE && rule.freq != ICAL_WEEKLY_RECURRENCE && rule.freq != ICAL_MONTHLY_RECURRENCE)
            return EFAIL(IMP_ERR_UNMAPPED, "field recurrence_rule: only DAILY, WEEKLY and MONTHLY repeat here: \"%s\"",
                         file, rid, rrule);
        json_object_set_new(s, "interval", json_integer(rule.interval > 0 ? rule.interval : 1));
        if (rule.freq == ICAL_DAILY_RECURRENCE) {
            if (rule.interval > 1)
                return EFAIL(IMP_ERR_UNMAPPED, "field recurrence_rule: every %d days cannot be a weekly schedule", file,
                             rid, rule.interval);
            snprintf(byday, sizeof byday, "MO,TU,WE,TH,FR,SA,SU");
        }
        if (rule.freq == ICAL_MONTHLY_RECURRENCE) json_object_set_new(s, "freq", json_string("MONTHLY"));
        for (int i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
            int wd = (int)icalrecurrencetype_day_day_of_week(rule.by_day[i]); /* 1 = Sunday */
            int pos = icalrecurrencetype_day_position(rule.by_day[i]);
            size_t l = strlen(byday);
            if (pos) snprintf(byday + l, sizeof byday - l, "%s%d%s", l ? "," : "", pos, ig_days[(wd + 5) % 7]);
            else snprintf(byday + l, sizeof byday - l, "%s%s", l ? "," : "", ig_days[(wd + 5) % 7]);
        }
        char mdays[128] = "";
        for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && rule.by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
            size_t l = strlen(mdays);
            snprintf(mdays + l, sizeof mdays - l, "%s%d", l ? "," : "", rule.by_month_day[i]);
        }
        if (mdays[0]) json_object_set_new(s, "bymonthday", json_string(mdays));
        if (!byday[0] && rule.freq == ICAL_WEEKLY_RECURRENCE)
            snprintf(byday, sizeof byday, "%s", ig_days[(icaltime_day_of_week(start) + 5) % 7]);
        if (!byday[0] && !mdays[0]) {
            char md[8];
            snprintf(md, sizeof md, "%d", start.day);
            json_object_set_new(s, "bymonthday", json_string(md));
            snprintf(byday, sizeof byday, "MO,TU,WE,TH,FR,SA,SU");
        } else if (!byday[0]) {
            snprintf(byday, sizeof byday, "MO,TU,WE,TH,FR,SA,SU");
        }
        until[0] = 0;
        if (!icaltime_is_null_time(rule.until)) {
            snprintf(until, sizeof until, "%04d-%02d-%02d", rule.until.year, rule.until.month, rule.until.day);
        } else if (rule.count > 0) {
            /* the last of COUNT occurrences, as libical counts them */
            icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
            struct icaltimetype t, last = icaltime_null_time();
            for (int n = 0; it && n < 5000 && !icaltime_is_null_time(t = icalrecur_iterator_next(it)); n++) last = t;
            if (it) icalrecur_iterator_free(it);
            if (!icaltime_is_null_time(last)) snprintf(until, sizeof until, "%04d-%02d-%02d", last.year, last.month, last.day);
        }
    }
    json_object_set_new(s, "byday", json_string(byday));
    if (until[0]) json_object_set_new(s, "valid_to", json_string(until));
    *over = until[0] && strcmp(until, g->today) < 0;
#undef EFAIL
    return IMP_OK;
}

int ig_event(ig *g, const char *file, json_t *de, json_t **idx, const char *region_name)
{
    long long rid = ig_rid(de);
    json_t *ours = json_object_get(g->map, "events");
    if (!ours) {
        ig_count_unmapped(g, "events");
        return IMP_OK;
    }
    char id[200];
    int rc = ig_id_of(g, file, de, id, sizeof id);
    if (rc) return rc;
    json_t *sched = json_array();
    json_t *loc = json_object_get(de, "location");
    int over = 0;
    const char *org = ig_region_org(g, NULL, region_name);
    const char *place = ig_place_for(g, org, loc, jstr(loc, "name") ? jstr(loc, "name") : jstr(loc, "address") ? jstr(loc, "address") : "event", 0);
    rc = event_schedule(g, file, rid, de, jstr(de, "recurrence_rule"), place, sched, &over);
    if (rc || over) {
        if (!rc && g->report) fprintf(g->report, "%s: record %lld (%s): over, left out\n", file, rid, id);
        json_decref(sched);
        return rc;
    }
    json_t *o = json_pack("{ss ss so}", "id", id, "organization", org, "schedules", sched);
    json_object_set_new(g->offers, id, o);
    json_object_set_new(o, "categories", ig_categories(ours));
    json_object_set_new(o, "locations", place ? json_pack("[s]", place) : json_array());
    json_t *i18n = json_object();
    json_object_set_new(o, "i18n", i18n);
    return ig_add_translations(g, "events", file, de, idx, i18n);
}
