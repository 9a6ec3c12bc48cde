/*
 * format.c: the lines an offer's screen and the list rows show beside the pack's own texts, made
 * once when they are loaded (opening hours from schedules, the languages spoken, a row's town),
 * in the reader's language with ICU's names, list patterns and dates (i18n.h). Drawing code only
 * reads them from app_state.
 */
#include "app_priv.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "Deutsch, Arabisch": languages spoken, named in the reader's language and joined by its list pattern. */
static char *spoken_names(const char *reader, const char *const codes[], int n)
{
    char names[16][64], out[512];
    const char *items[16];
    int k = 0;
    for (int i = 0; i < n && k < 16; i++) {
        if (i18n_language_name(codes[i], reader, names[k], sizeof names[k]) < 0)
            snprintf(names[k], sizeof names[k], "%s", codes[i]);
        items[k] = names[k];
        k++;
    }
    out[0] = 0;
    if (k && i18n_join_list(reader, items, k, out, sizeof out) < 0) snprintf(out, sizeof out, "%s", items[0]);
    return strdup(out);
}

static const char *const rrule_days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

/* "Mo., Di. und Do. 09:00–12:30 (alle 2 Wochen)" for one schedule. */
static void format_schedule(const app_state *s, const store_schedule *sc, char *buf, size_t len)
{
    char names[7][48], copy[48];
    const char *items[7];
    int n = 0;
    snprintf(copy, sizeof copy, "%s", sc->byday);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && n < 7; tok = strtok_r(NULL, ",", &save)) {
        while ((*tok >= '0' && *tok <= '9') || *tok == '-' || *tok == '+') tok++; /* "1WE": the ordinal is said below */
        int k = 0;
        while (k < 7 && strcmp(tok, rrule_days[k]) != 0) k++;
        /* full names: ICU's abbreviations are cryptic in some languages (ku, so) */
        if (k == 7 || i18n_weekday(s->lang, k, 0, names[n], sizeof names[n]) < 0) continue;
        items[n] = names[n];
        n++;
    }
    char days[256] = "", times[96] = "", extra[128] = "";
    if (n) i18n_join_list(s->lang, items, n, days, sizeof days);
    i18n_capitalize_start(s->lang, days, sizeof days); /* the days start the line: "Понедельник и среда" */
    char hours[96];
    if (i18n_format_time_range(s->lang, sc->opens, sc->closes, hours, sizeof hours) >= 0)
        text_unit(times, sizeof times, hours, TEXT_UNIT_OWN); /* whole inside text of either direction */
    if (!strcmp(sc->freq, "MONTHLY")) {
        snprintf(extra, sizeof extra, " (%s)", i18n_gettext(s->catalog, "once a month"));
    } else if (sc->interval > 1) {
        char tmp[96];
        i18n_format_count(s->catalog, s->lang, "every %d week", "every %d weeks", sc->interval, tmp, sizeof tmp);
        snprintf(extra, sizeof extra, " (%s)", tmp);
    }
    /* a season or a one-day event: say when, or a weekly line would promise every week */
    char dates[160] = "";
    char range[128];
    if (sc->valid_from[0] && sc->valid_to[0] &&
        i18n_format_date_range(s->lang, sc->valid_from, sc->valid_to, range, sizeof range) >= 0)
        snprintf(dates, sizeof dates, "\n%s", range);
    if (snprintf(buf, len, "%s %s%s%s", days, times, extra, dates) >= (int)len) buf[len - 1] = 0; /* cut, still a string */
}

/* The opening hours of the schedules held at place (-1: those that name no place of the offer). */
static char *hours_at(app *a, int place)
{
    const store_offer *o = a->s.offer;
    char hours[2048] = "";
    size_t hl = 0;
    for (int i = 0; i < o->nschedules && hl < sizeof hours - 512; i++) {
        if (o->schedules[i].place != place) continue;
        char line[512];
        format_schedule(&a->s, &o->schedules[i], line, sizeof line);
        hl += (size_t)snprintf(hours + hl, sizeof hours - hl, "%s%s", hl ? "\n" : "", line);
    }
    return strdup(hours);
}

void app_format_offer(app *a)
{
    const store_offer *o = a->s.offer;
    a->s.offer_hours = hours_at(a, -1);
    a->s.place_hours = calloc((size_t)o->nplaces + 1, sizeof *a->s.place_hours);
    for (int i = 0; a->s.place_hours && i < o->nplaces; i++) a->s.place_hours[i] = hours_at(a, i);
    a->s.offer_spoken = spoken_names(a->s.lang, (const char *const *)o->languages, o->nlanguages);
}

void app_format_rows(app *a)
{
    /* few offers differ in the languages they speak: each set is named once (ICU's display names
     * and list pattern cost about 10,000 instructions a row) */
    struct { const char *codes; char *spoken; } seen[32];
    int nseen = 0;
    a->s.row_meta = calloc((size_t)a->s.nrows + 1, sizeof *a->s.row_meta);
    for (int i = 0; a->s.row_meta && i < a->s.nrows; i++) {
        const char *spoken = NULL;
        for (int k = 0; k < nseen && !spoken; k++)
            if (!strcmp(seen[k].codes, a->s.rows[i].languages)) spoken = seen[k].spoken;
        char *made = NULL;
        if (!spoken) {
            const char *codes[16];
            char copy[256];
            int n = 0;
            snprintf(copy, sizeof copy, "%s", a->s.rows[i].languages);
            for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
                codes[n++] = t;
            spoken = made = spoken_names(a->s.lang, codes, n);
            if (made && nseen < (int)(sizeof seen / sizeof seen[0])) {
                seen[nseen].codes = a->s.rows[i].languages;
                seen[nseen++].spoken = made;
                made = NULL; /* kept until the end */
            }
        }
        char line[600], town[200];
        text_unit(town, sizeof town, a->s.rows[i].town, TEXT_UNIT_OWN); /* a place name stays whole */
        snprintf(line, sizeof line, "%s%s%s", town, spoken && *spoken ? " · " : "", spoken ? spoken : "");
        free(made);
        a->s.row_meta[i] = strdup(line);
    }
    for (int k = 0; k < nseen; k++) free(seen[k].spoken);
}
