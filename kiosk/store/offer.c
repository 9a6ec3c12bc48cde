/*
 * offer.c: one offer with everything its detail screen shows (store.h): texts resolved along the
 * reader's fallback chain, address, phones, languages spoken, opening hours and closures.
 */
#include "store.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **strv_query(sqlite3 *db, const char *sql, const char *id, int *n)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    char **v = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **nv = realloc(v, sizeof *v * (size_t)(*n + 1));
        if (!nv) break;
        v = nv;
        v[(*n)++] = store_dup_col(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

static int hhmm(const unsigned char *t)
{
    int h = 0, m = 0;
    if (!t || sscanf((const char *)t, "%d:%d", &h, &m) != 2) return 0;
    return h * 60 + m;
}

/* The offer's places in its order, each with its texts resolved along langs and its own phones. */
static int load_places(store *s, store_offer *o, const char *const langs[], int nlangs)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT l.id, l.address_1, l.postal_code, l.city, l.district FROM service_at_location a "
                           "JOIN location l ON l.id=a.location_id WHERE a.service_id=?1 ORDER BY a.sort_order, a.id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_place *np = realloc(o->places, sizeof *np * (size_t)(o->nplaces + 1));
        if (!np) { rc = -1; break; }
        o->places = np;
        store_place *p = &np[o->nplaces++];
        memset(p, 0, sizeof *p);
        p->id = store_dup_col(st, 0);
        p->street = store_dup_col(st, 1);
        p->postcode = store_dup_col(st, 2);
        p->city = store_dup_col(st, 3);
        p->district = store_dup_col(st, 4);
        store_local_town(s, p->id, langs, nlangs, &p->city_local);
        store_text *lf[] = {&p->name, &p->accessibility, &p->transit};
        sqlite3_bind_text(s->loc_i18n, 1, p->id, -1, SQLITE_TRANSIENT);
        store_resolve(s->loc_i18n, 3, langs, nlangs, lf);
        sqlite3_stmt *ph;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT number FROM phone WHERE location_id=?1 AND (service_id IS NULL OR service_id=?2) "
                               "ORDER BY service_id IS NULL, sort_order, id",
                               -1, &ph, NULL) != SQLITE_OK) {
            rc = -1;
            break;
        }
        sqlite3_bind_text(ph, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ph, 2, o->id, -1, SQLITE_STATIC);
        while (sqlite3_step(ph) == SQLITE_ROW) {
            char **nv = realloc(p->phones, sizeof *nv * (size_t)(p->nphones + 1));
            if (!nv) { rc = -1; break; }
            p->phones = nv;
            nv[p->nphones++] = store_dup_col(ph, 0);
        }
        sqlite3_finalize(ph);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_offer_get(store *s, const char *id, const char *const langs[], int nlangs, store_offer **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT v.id, v.organization_id, coalesce(v.email, o.email), coalesce(v.url, o.url), "
                           " l.id, l.address_1, l.postal_code, l.city, l.district "
                           "FROM service v JOIN organization o ON o.id=v.organization_id "
                           "LEFT JOIN service_at_location a ON a.service_id=v.id "
                           "LEFT JOIN location l ON l.id=a.location_id WHERE v.id=?1 "
                           "ORDER BY a.sort_order, a.id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 1 : -1;
    }
    store_offer *o = calloc(1, sizeof *o);
    if (!o) { sqlite3_finalize(st); return -1; }
    o->id = store_dup_col(st, 0);
    o->email = store_dup_col(st, 2);
    o->url = store_dup_col(st, 3);
    o->street = store_dup_col(st, 5);
    o->postcode = store_dup_col(st, 6);
    o->city = store_dup_col(st, 7);
    store_local_town(s, (const char *)sqlite3_column_text(st, 4), langs, nlangs, &o->city_local);
    o->district = store_dup_col(st, 8);
    store_text *f[] = {&o->name, &o->summary, &o->description, &o->eligibility, &o->cost};
    sqlite3_bind_text(s->svc_i18n, 1, id, -1, SQLITE_TRANSIENT);
    store_resolve(s->svc_i18n, 5, langs, nlangs, f);
    store_resolve_org_name(s, (const char *)sqlite3_column_text(st, 1), langs, nlangs, &o->provider);
    store_text *lf[] = {&o->location_name, &o->accessibility, &o->transit};
    sqlite3_bind_text(s->loc_i18n, 1, (const char *)sqlite3_column_text(st, 4), -1, SQLITE_TRANSIENT);
    store_resolve(s->loc_i18n, 3, langs, nlangs, lf);
    sqlite3_finalize(st);

    /* a number bound to a place belongs to that place, not to the offer as a whole */
    o->phones = strv_query(s->db,
                           "SELECT p.number FROM phone p WHERE p.service_id=?1 AND p.location_id IS NULL UNION ALL "
                           "SELECT p.number FROM phone p JOIN service v ON v.organization_id=p.organization_id "
                           "WHERE v.id=?1 AND p.location_id IS NULL AND p.service_id IS NULL "
                           "AND NOT EXISTS (SELECT 1 FROM phone q WHERE q.service_id=?1 AND q.location_id IS NULL)",
                           id, &o->nphones);
    if (load_places(s, o, langs, nlangs) != 0) {
        store_offer_free(o);
        return -1;
    }
    o->languages = strv_query(s->db, "SELECT code FROM language_spoken WHERE service_id=?1 ORDER BY sort_order, code",
                              id, &o->nlanguages);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT freq, interval, byday, opens_at, closes_at, valid_from, valid_to, bymonthday, timezone, "
                           "slot_minutes, capacity, location_id FROM schedule "
                           "WHERE service_id=?1 ORDER BY sort_order, id",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            store_schedule *ns = realloc(o->schedules, sizeof *ns * (size_t)(o->nschedules + 1));
            if (!ns) break;
            o->schedules = ns;
            store_schedule *sc = &ns[o->nschedules++];
            memset(sc, 0, sizeof *sc);
            snprintf(sc->freq, sizeof sc->freq, "%s", (const char *)sqlite3_column_text(st, 0));
            sc->interval = sqlite3_column_int(st, 1);
            if (sc->interval < 1) sc->interval = 1;
            const unsigned char *bd = sqlite3_column_text(st, 2);
            snprintf(sc->byday, sizeof sc->byday, "%s", bd ? (const char *)bd : "");
            sc->opens = hhmm(sqlite3_column_text(st, 3));
            sc->closes = hhmm(sqlite3_column_text(st, 4));
            const unsigned char *vf = sqlite3_column_text(st, 5), *vt = sqlite3_column_text(st, 6);
            snprintf(sc->valid_from, sizeof sc->valid_from, "%s", vf ? (const char *)vf : "");
            snprintf(sc->valid_to, sizeof sc->valid_to, "%s", vt ? (const char *)vt : "");
            const unsigned char *md = sqlite3_column_text(st, 7), *tz = sqlite3_column_text(st, 8);
            snprintf(sc->bymonthday, sizeof sc->bymonthday, "%s", md ? (const char *)md : "");
            snprintf(sc->timezone, sizeof sc->timezone, "%s", tz ? (const char *)tz : STORE_DEFAULT_ZONE);
            sc->slot_minutes = sqlite3_column_int(st, 9);
            sc->capacity = sqlite3_column_int(st, 10);
            if (sc->slot_minutes > 0 && sc->capacity > 0) o->bookable = 1;
            /* hours without a place are the only place's when there is one; with several they
             * cannot be put under any of them */
            const unsigned char *loc = sqlite3_column_text(st, 11);
            sc->place = !loc && o->nplaces == 1 ? 0 : -1;
            for (int p = 0; loc && p < o->nplaces; p++)
                if (!strcmp(o->places[p].id, (const char *)loc)) sc->place = p;
            sc->place_id[0] = 0;
            if (o->nplaces > 1 && sc->place >= 0)
                snprintf(sc->place_id, sizeof sc->place_id, "%s", o->places[sc->place].id);
        }
        sqlite3_finalize(st);
    }
    *out = o;
    return 0;
}

char **store_closures(store *s, const char *offer_id)
{
    int n;
    char **v = strv_query(s->db, "SELECT date FROM closure WHERE service_id IS NULL OR service_id=?1 ORDER BY date",
                          offer_id, &n);
    char **z = realloc(v, sizeof *v * (size_t)(n + 1)); /* NULL-terminated, also when empty */
    if (!z) {
        for (int i = 0; i < n; i++) free(v[i]);
        free(v);
        return NULL;
    }
    z[n] = NULL;
    return z;
}

void store_offer_free(store_offer *o)
{
    if (!o) return;
    free(o->id);
    store_text *t[] = {&o->name, &o->summary, &o->description, &o->eligibility, &o->cost, &o->provider,
                       &o->location_name, &o->accessibility, &o->transit};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) store_text_free(t[i]);
    free(o->street);
    free(o->postcode);
    free(o->city);
    free(o->city_local);
    free(o->district);
    for (int i = 0; i < o->nphones; i++) free(o->phones[i]);
    free(o->phones);
    for (int i = 0; i < o->nlanguages; i++) free(o->languages[i]);
    free(o->languages);
    free(o->email);
    free(o->url);
    free(o->schedules);
    for (int i = 0; i < o->nplaces; i++) {
        store_place *p = &o->places[i];
        free(p->id);
        store_text_free(&p->name);
        store_text_free(&p->accessibility);
        store_text_free(&p->transit);
        free(p->street);
        free(p->postcode);
        free(p->city);
        free(p->district);
        free(p->city_local);
        for (int k = 0; k < p->nphones; k++) free(p->phones[k]);
        free(p->phones);
    }
    free(o->places);
    free(o);
}

