/*
 * hsds_export.c: a content database as Open Referral HSDS 3.0, JSON and tabular (import.h).
 *
 * HSDS ids are UUIDs; ours are readable words, so every record gets a UUID derived from its
 * kind and id (the same on every export) and keeps our id in x_kiosk_id. The JSON form is
 * built first; the tabular form is that JSON flattened, one CSV per HSDS table, so both forms
 * always say the same.
 */
#include "import_priv.h"
#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct exporter {
    sqlite3 *db;
    char *err;
    size_t errlen;
    const char *source_lang;
    char zone[64];           /* the pack's zone (meta "timezone"), for schedules without their own */
} exporter;

static json_t *jstr(const unsigned char *s) { return s ? json_string((const char *)s) : NULL; }

static void set_str(json_t *o, const char *key, const unsigned char *s)
{
    if (s && s[0]) json_object_set_new(o, key, json_string((const char *)s));
}

static void set_uuid(json_t *o, const char *key, const char *kind, const unsigned char *id)
{
    char u[37];
    imp_uuid(kind, (const char *)id, u);
    json_object_set_new(o, key, json_string(u));
}

static sqlite3_stmt *prep(exporter *x, const char *sql, const unsigned char *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(x->db, sql, -1, &st, NULL) != SQLITE_OK) {
        imp_fail(x->err, x->errlen, IMP_ERR_DB, "%s", sqlite3_errmsg(x->db));
        return NULL;
    }
    if (arg) sqlite3_bind_text(st, 1, (const char *)arg, -1, SQLITE_TRANSIENT);
    return st;
}

/*
 * The translations of one record as our sources write them: {"de": {"status": ..., key: text}}.
 * sql selects (lang, status, column...) for ?1; keys name the columns in the sources.
 */
static json_t *i18n_of(exporter *x, const char *sql, const unsigned char *id, const char *const keys[], int n)
{
    sqlite3_stmt *st = prep(x, sql, id);
    if (!st) return NULL;
    json_t *o = json_object();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *tr = json_object();
        json_object_set_new(tr, "status", jstr(sqlite3_column_text(st, 1)));
        for (int i = 0; i < n; i++) set_str(tr, keys[i], sqlite3_column_text(st, 2 + i));
        json_object_set_new(o, (const char *)sqlite3_column_text(st, 0), tr);
    }
    sqlite3_finalize(st);
    return o;
}

/* The source-language text of key, for HSDS's own (untranslated) fields. */
static const char *src_text(exporter *x, json_t *i18n, const char *key)
{
    json_t *v = json_object_get(json_object_get(i18n, x->source_lang), key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *phones_of(exporter *x, const char *col, const char *owner_kind, const unsigned char *owner)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id, number, type FROM phone WHERE %s=?1 ORDER BY sort_order, id", col);
    sqlite3_stmt *st = prep(x, sql, owner);
    if (!st) return NULL;
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *p = json_object();
        set_uuid(p, "id", "phone", sqlite3_column_text(st, 0));
        set_uuid(p, col, owner_kind, owner);
        set_str(p, "number", sqlite3_column_text(st, 1));
        set_str(p, "type", sqlite3_column_text(st, 2));
        json_array_append_new(a, p);
    }
    sqlite3_finalize(st);
    return a;
}

static json_t *location_of(exporter *x, sqlite3_stmt *st)
{
    const unsigned char *id = sqlite3_column_text(st, 0);
    json_t *l = json_object();
    set_uuid(l, "id", "location", id);
    json_object_set_new(l, "location_type", json_string("physical"));
    set_uuid(l, "organization_id", "organization", sqlite3_column_text(st, 1));
    static const char *const keys[] = {"name", "accessibility", "transit", "city"};
    json_t *i18n = i18n_of(x, "SELECT lang, status, name, accessibility, transportation, city FROM location_i18n "
                              "WHERE location_id=?1 ORDER BY lang", id, keys, 4);
    if (src_text(x, i18n, "name")) json_object_set_new(l, "name", json_string(src_text(x, i18n, "name")));
    if (src_text(x, i18n, "transit")) json_object_set_new(l, "transportation", json_string(src_text(x, i18n, "transit")));
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) json_object_set_new(l, "latitude", json_real(sqlite3_column_double(st, 7)));
    if (sqlite3_column_type(st, 8) != SQLITE_NULL) json_object_set_new(l, "longitude", json_real(sqlite3_column_double(st, 8)));
    json_t *ad = json_object();
    set_uuid(ad, "id", "address", id);
    set_uuid(ad, "location_id", "location", id);
    json_object_set_new(ad, "address_1", json_string(sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : ""));
    json_object_set_new(ad, "city", json_string(sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : ""));
    set_str(ad, "region", sqlite3_column_text(st, 5));
    /* the content has no state or country field: the kiosk serves German districts */
    json_object_set_new(ad, "state_province", json_string(""));
    json_object_set_new(ad, "postal_code", json_string(sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : ""));
    json_object_set_new(ad, "country", json_string("DE"));
    json_object_set_new(ad, "address_type", json_string("physical"));
    json_object_set_new(l, "addresses", json_pack("[o]", ad));
    if (src_text(x, i18n, "accessibility")) {
        json_t *ac = json_object();
        set_uuid(ac, "id", "accessibility", id);
        set_uuid(ac, "location_id", "location", id);
        json_object_set_new(ac, "description", json_string(src_text(x, i18n, "accessibility")));
        json_object_set_new(l, "accessibility", json_pack("[o]", ac));
    }
    json_object_set_new(l, "phones", phones_of(x, "location_id", "location", id));
    set_str(l, "x_kiosk_id", id);
    json_object_set_new(l, "x_kiosk_i18n", i18n ? i18n : json_object());
    return l;
}

static const char loc_cols[] =
    "SELECT id, organization_id, address_1, postal_code, city, district, NULL, latitude, longitude FROM location ";

static json_t *organizations(exporter *x)
{
    sqlite3_stmt *st = prep(x, "SELECT id, email, url FROM organization ORDER BY id", NULL);
    if (!st) return NULL;
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(st, 0);
        json_t *o = json_object();
        set_uuid(o, "id", "organization", id);
        static const char *const keys[] = {"name", "description"};
        json_t *i18n = i18n_of(x, "SELECT lang, status, name, description FROM organization_i18n "
                                  "WHERE organization_id=?1 ORDER BY lang", id, keys, 2);
        json_object_set_new(o, "name", json_string(src_text(x, i18n, "name") ? src_text(x, i18n, "name") : (const char *)id));
        json_object_set_new(o, "description", json_string(src_text(x, i18n, "description") ? src_text(x, i18n, "description") : ""));
        set_str(o, "email", sqlite3_column_text(st, 1));
        set_str(o, "website", sqlite3_column_text(st, 2));
        json_object_set_new(o, "phones", phones_of(x, "organization_id", "organization", id));
        char sql[256];
        snprintf(sql, sizeof sql, "%s WHERE organization_id=?1 ORDER BY id", loc_cols);
        sqlite3_stmt *ls = prep(x, sql, id);
        json_t *locs = json_array();
        while (ls && sqlite3_step(ls) == SQLITE_ROW) json_array_append_new(locs, location_of(x, ls));
        sqlite3_finalize(ls);
        json_object_set_new(o, "locations", locs);
        set_str(o, "x_kiosk_id", id);
        json_object_set_new(o, "x_kiosk_i18n", i18n ? i18n : json_object());
        json_array_append_new(a, o);
    }
    sqlite3_finalize(st);
    return a;
}

static json_t *term_of(exporter *x, const unsigned char *id, const unsigned char *icon, int order)
{
    json_t *t = json_object();
    set_uuid(t, "id", "taxonomy_term", id);
    set_str(t, "code", id);
    static const char *const keys[] = {"name", "description"};
    json_t *i18n = i18n_of(x, "SELECT lang, status, name, description FROM taxonomy_term_i18n WHERE term_id=?1 "
                              "ORDER BY lang", id, keys, 2);
    json_object_set_new(t, "name", json_string(src_text(x, i18n, "name") ? src_text(x, i18n, "name") : (const char *)id));
    /* HSDS requires a description; a category's name is the best one it has */
    const char *desc = src_text(x, i18n, "description") ? src_text(x, i18n, "description") : json_string_value(json_object_get(t, "name"));
    json_object_set_new(t, "description", json_string(desc));
    json_object_set_new(t, "taxonomy", json_string("kiosk-category"));
    set_str(t, "x_kiosk_id", id);
    json_object_set_new(t, "x_kiosk_order", json_integer(order));
    set_str(t, "x_kiosk_icon", icon);
    json_object_set_new(t, "x_kiosk_i18n", i18n ? i18n : json_object());
    return t;
}

static json_t *terms(exporter *x)
{
    sqlite3_stmt *st = prep(x, "SELECT id, icon, sort_order FROM taxonomy_term ORDER BY sort_order, id", NULL);
    if (!st) return NULL;
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(a, term_of(x, sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), sqlite3_column_int(st, 2)));
    sqlite3_finalize(st);
    return a;
}

static json_t *schedules_of(exporter *x, const unsigned char *sid)
{
    sqlite3_stmt *st = prep(x, "SELECT id, location_id, freq, interval, byday, bymonthday, opens_at, closes_at, "
                               "valid_from, valid_to, timezone, slot_minutes, capacity FROM schedule WHERE service_id=?1 "
                               "ORDER BY sort_order, id", sid);
    if (!st) return NULL;
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *s = json_object();
        set_uuid(s, "id", "schedule", sqlite3_column_text(st, 0));
        set_uuid(s, "service_id", "service", sid);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) set_uuid(s, "location_id", "location", sqlite3_column_text(st, 1));
        set_str(s, "freq", sqlite3_column_text(st, 2));
        json_object_set_new(s, "interval", json_integer(sqlite3_column_int(st, 3)));
        set_str(s, "byday", sqlite3_column_text(st, 4));
        set_str(s, "bymonthday", sqlite3_column_text(st, 5));
        set_str(s, "opens_at", sqlite3_column_text(st, 6));
        set_str(s, "closes_at", sqlite3_column_text(st, 7));
        set_str(s, "valid_from", sqlite3_column_text(st, 8));
        set_str(s, "valid_to", sqlite3_column_text(st, 9));
        const char *tz = (const char *)sqlite3_column_text(st, 10);
        /* HSDS's timezone is a UTC offset, which cannot say when daylight saving begins */
        json_object_set_new(s, "timezone", json_real(imp_zone_std_offset(tz ? tz : x->zone)));
        json_object_set_new(s, "x_kiosk_timezone", json_string(tz ? tz : x->zone));
        if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
            json_object_set_new(s, "x_kiosk_slot_minutes", json_integer(sqlite3_column_int(st, 11)));
            json_object_set_new(s, "x_kiosk_capacity", json_integer(sqlite3_column_int(st, 12)));
        }
        json_array_append_new(a, s);
    }
    sqlite3_finalize(st);
    return a;
}

static json_t *services(exporter *x)
{
    sqlite3_stmt *st = prep(x, "SELECT id, organization_id, email, url, status FROM service ORDER BY id", NULL);
    if (!st) return NULL;
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(st, 0);
        json_t *s = json_object();
        set_uuid(s, "id", "service", id);
        set_uuid(s, "organization_id", "organization", sqlite3_column_text(st, 1));
        static const char *const keys[] = {"name", "summary", "description", "eligibility", "cost"};
        json_t *i18n = i18n_of(x, "SELECT lang, status, name, summary, description, eligibility_description, "
                                  "fees_description FROM service_i18n WHERE service_id=?1 ORDER BY lang", id, keys, 5);
        json_object_set_new(s, "name", json_string(src_text(x, i18n, "name") ? src_text(x, i18n, "name") : (const char *)id));
        if (src_text(x, i18n, "description")) json_object_set_new(s, "description", json_string(src_text(x, i18n, "description")));
        set_str(s, "url", sqlite3_column_text(st, 3));
        set_str(s, "email", sqlite3_column_text(st, 2));
        json_object_set_new(s, "status", json_string("active"));
        if (src_text(x, i18n, "cost")) json_object_set_new(s, "fees_description", json_string(src_text(x, i18n, "cost")));
        if (src_text(x, i18n, "eligibility"))
            json_object_set_new(s, "eligibility_description", json_string(src_text(x, i18n, "eligibility")));
        json_object_set_new(s, "phones", phones_of(x, "service_id", "service", id));
        json_object_set_new(s, "schedules", schedules_of(x, id));
        sqlite3_stmt *q = prep(x, "SELECT code FROM language_spoken WHERE service_id=?1 ORDER BY sort_order", id);
        json_t *langs = json_array();
        while (q && sqlite3_step(q) == SQLITE_ROW) {
            json_t *l = json_object();
            char key[600];
            snprintf(key, sizeof key, "%s:%s", (const char *)id, (const char *)sqlite3_column_text(q, 0));
            set_uuid(l, "id", "language", (const unsigned char *)key);
            set_uuid(l, "service_id", "service", id);
            set_str(l, "code", sqlite3_column_text(q, 0));
            json_array_append_new(langs, l);
        }
        sqlite3_finalize(q);
        json_object_set_new(s, "languages", langs);
        char sql[300];
        snprintf(sql, sizeof sql, "%s WHERE id=?1", loc_cols);
        q = prep(x, "SELECT id, location_id FROM service_at_location WHERE service_id=?1 ORDER BY sort_order, id", id);
        json_t *sal = json_array();
        while (q && sqlite3_step(q) == SQLITE_ROW) {
            json_t *o = json_object();
            set_uuid(o, "id", "service_at_location", sqlite3_column_text(q, 0));
            set_uuid(o, "service_id", "service", id);
            set_uuid(o, "location_id", "location", sqlite3_column_text(q, 1));
            sqlite3_stmt *ls = prep(x, sql, sqlite3_column_text(q, 1));
            if (ls && sqlite3_step(ls) == SQLITE_ROW) json_object_set_new(o, "location", location_of(x, ls));
            sqlite3_finalize(ls);
            json_array_append_new(sal, o);
        }
        sqlite3_finalize(q);
        json_object_set_new(s, "service_at_locations", sal);
        q = prep(x, "SELECT t.id, t.icon, t.sort_order FROM service_taxonomy st JOIN taxonomy_term t ON t.id=st.term_id "
                    "WHERE st.service_id=?1 ORDER BY t.sort_order, t.id", id);
        json_t *attrs = json_array();
        while (q && sqlite3_step(q) == SQLITE_ROW) {
            json_t *o = json_object();
            char key[600];
            snprintf(key, sizeof key, "%s:%s", (const char *)id, (const char *)sqlite3_column_text(q, 0));
            set_uuid(o, "id", "attribute", (const unsigned char *)key);
            set_uuid(o, "link_id", "service", id);
            set_uuid(o, "taxonomy_term_id", "taxonomy_term", sqlite3_column_text(q, 0));
            json_object_set_new(o, "link_type", json_string("category"));
            json_object_set_new(o, "link_entity", json_string("service"));
            json_object_set_new(o, "taxonomy_term",
                                term_of(x, sqlite3_column_text(q, 0), sqlite3_column_text(q, 1), sqlite3_column_int(q, 2)));
            json_array_append_new(attrs, o);
        }
        sqlite3_finalize(q);
        json_object_set_new(s, "attributes", attrs);
        set_str(s, "x_kiosk_id", id);
        q = prep(x, "SELECT date FROM closure WHERE service_id=?1 ORDER BY date", id);
        json_t *closed = json_array();
        while (q && sqlite3_step(q) == SQLITE_ROW) json_array_append_new(closed, jstr(sqlite3_column_text(q, 0)));
        sqlite3_finalize(q);
        if (json_array_size(closed)) json_object_set_new(s, "x_kiosk_closed", closed);
        else json_decref(closed);
        json_object_set_new(s, "x_kiosk_i18n", i18n ? i18n : json_object());
        json_array_append_new(a, s);
    }
    sqlite3_finalize(st);
    return a;
}

/* What pack.json says and HSDS has no place for. */
static json_t *pack_ext(exporter *x)
{
    json_t *p = json_object();
    sqlite3_stmt *st = prep(x, "SELECT key, value FROM meta ORDER BY key", NULL);
    json_t *i18n = json_object();
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
        if (!strcmp(k, "pack_id")) json_object_set_new(p, "id", json_string(v));
        else if (!strcmp(k, "content_version")) json_object_set_new(p, "version", json_integer(atoll(v)));
        else if (!strcmp(k, "source_language")) json_object_set_new(p, "source_language", json_string(v));
        else if (!strcmp(k, "demo")) json_object_set_new(p, "demo", json_boolean(!strcmp(v, "1")));
        else if (!strcmp(k, "timezone")) json_object_set_new(p, "timezone", json_string(v));
        else if (!strncmp(k, "title:", 6)) json_object_set_new(i18n, k + 6, json_pack("{ss}", "title", v));
    }
    sqlite3_finalize(st);
    json_t *langs = json_array();
    st = prep(x, "SELECT code FROM language ORDER BY sort_order", NULL);
    while (st && sqlite3_step(st) == SQLITE_ROW) json_array_append_new(langs, jstr(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    json_object_set_new(p, "languages", langs);
    json_object_set_new(p, "i18n", i18n);
    json_t *hol = json_array();
    st = prep(x, "SELECT date FROM closure WHERE service_id IS NULL ORDER BY date", NULL);
    while (st && sqlite3_step(st) == SQLITE_ROW) json_array_append_new(hol, jstr(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    json_object_set_new(p, "holidays", hol);
    return p;
}

/* ---------- the tabular form ---------- */

typedef struct table {
    const char *name;  /* HSDS table = CSV file name without .csv */
    json_t *rows;      /* array of flat objects */
    json_t *cols;      /* array of column names, first-seen order */
} table;

enum { T_ORG, T_LOC, T_ADDR, T_ACC, T_SVC, T_SAL, T_PHONE, T_SCHED, T_LANG, T_TERM, T_ATTR, T_TR, T_COUNT };
static const char *const table_names[T_COUNT] = {
    "organizations", "locations", "addresses", "accessibility", "services", "service_at_location",
    "phones", "schedules", "languages", "taxonomy_terms", "attributes", "x_kiosk_translations"};

static void add_col(table *t, const char *c)
{
    size_t i;
    json_t *v;
    json_array_foreach(t->cols, i, v) if (!strcmp(json_string_value(v), c)) return;
    json_array_append_new(t->cols, json_string(c));
}

static void add_row(table *t, json_t *row)
{
    const char *k;
    json_t *v;
    json_object_foreach(row, k, v) add_col(t, k);
    json_array_append_new(t->rows, row);
}

/* x_kiosk_i18n of one record -> rows (resource_type, resource_id, language, status, field, value) */
static void flatten_i18n(table *tabs, const char *type, json_t *rec)
{
    const char *lang, *field;
    json_t *tr, *v;
    json_object_foreach(json_object_get(rec, "x_kiosk_i18n"), lang, tr) {
        const char *status = json_string_value(json_object_get(tr, "status"));
        int any = 0;
        json_object_foreach(tr, field, v) {
            if (!strcmp(field, "status") || !json_is_string(v)) continue;
            add_row(&tabs[T_TR], json_pack("{ss ss ss ss ss ss}", "resource_type", type, "resource_id",
                                           json_string_value(json_object_get(rec, "id")), "language", lang, "status",
                                           status ? status : "", "field", field, "value", json_string_value(v)));
            any = 1;
        }
        if (!any) /* a translation that only carries a status still says the record exists in that language */
            add_row(&tabs[T_TR], json_pack("{ss ss ss ss ss ss}", "resource_type", type, "resource_id",
                                           json_string_value(json_object_get(rec, "id")), "language", lang, "status",
                                           status ? status : "", "field", "", "value", ""));
    }
}

/* One record's scalar fields into table t; nested arrays go to their own tables. */
static void flatten(table *tabs, int t, json_t *rec)
{
    json_t *row = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(rec, k, v) {
        if (json_is_array(v) && !strcmp(k, "x_kiosk_closed")) {
            /* every closed day, however many: a fixed buffer dropped those past 4 KB */
            size_t i, o = 0, len = 1;
            json_t *d;
            json_array_foreach(v, i, d) len += strlen(json_string_value(d) ? json_string_value(d) : "") + 1;
            char *buf = malloc(len);
            if (buf) buf[0] = 0;
            json_array_foreach(v, i, d) if (buf) o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " " : "",
                                                                       json_string_value(d) ? json_string_value(d) : "");
            json_object_set_new(row, k, json_string(buf ? buf : ""));
            free(buf);
        } else if (json_is_array(v)) {
            static const struct { const char *key; int table; } nests[] = {
                {"phones", T_PHONE}, {"schedules", T_SCHED}, {"languages", T_LANG}, {"service_at_locations", T_SAL},
                {"attributes", T_ATTR}, {"locations", T_LOC}, {"addresses", T_ADDR}, {"accessibility", T_ACC}};
            for (size_t n = 0; n < sizeof nests / sizeof nests[0]; n++) {
                if (strcmp(nests[n].key, k)) continue;
                size_t i;
                json_t *c;
                json_array_foreach(v, i, c) flatten(tabs, nests[n].table, c);
            }
        } else if (!json_is_object(v)) {
            json_object_set(row, k, v);
        }
    }
    add_row(&tabs[t], row);
    if (json_object_get(rec, "x_kiosk_i18n")) flatten_i18n(tabs, table_names[t], rec);
}

static const char *field_type(json_t *v)
{
    if (json_is_integer(v)) return "integer";
    if (json_is_real(v)) return "number";
    if (json_is_boolean(v)) return "boolean";
    return "string";
}

static int write_table(table *t, const char *dir, json_t *resources, char *err, size_t errlen)
{
    char path[PATH_MAX];
    int prc = imp_path(path, err, errlen, "%s/%s.csv", dir, t->name);
    if (prc) return prc;
    FILE *f = fopen(path, "wb");
    if (!f) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", path, strerror(errno));
    size_t nc = json_array_size(t->cols);
    const char **cells = calloc(nc ? nc : 1, sizeof *cells);
    char (*num)[48] = calloc(nc ? nc : 1, sizeof *num);
    json_t *fields = json_array();
    for (size_t c = 0; c < nc; c++) {
        cells[c] = json_string_value(json_array_get(t->cols, c));
        const char *type = "string";
        size_t i;
        json_t *r;
        json_array_foreach(t->rows, i, r) {
            json_t *v = json_object_get(r, cells[c]);
            if (v) { type = field_type(v); break; }
        }
        json_array_append_new(fields, json_pack("{ss ss}", "name", cells[c], "type", type));
    }
    imp_csv_write_row(f, cells, nc);
    size_t i;
    json_t *r;
    json_array_foreach(t->rows, i, r) {
        for (size_t c = 0; c < nc; c++) {
            json_t *v = json_object_get(r, json_string_value(json_array_get(t->cols, c)));
            if (json_is_integer(v)) snprintf(num[c], sizeof num[c], "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v)) snprintf(num[c], sizeof num[c], "%.10g", json_real_value(v));
            else if (json_is_boolean(v)) snprintf(num[c], sizeof num[c], "%s", json_is_true(v) ? "true" : "false");
            cells[c] = json_is_string(v) ? json_string_value(v) : v ? num[c] : "";
        }
        imp_csv_write_row(f, cells, nc);
    }
    free(cells);
    free(num);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        json_decref(fields);
        return imp_fail(err, errlen, IMP_ERR_IO, "%s: cannot write", path);
    }
    char file[128];
    snprintf(file, sizeof file, "%s.csv", t->name);
    json_array_append_new(resources, json_pack("{ss ss ss ss ss ss s{so}}", "name", t->name, "path", file, "profile",
                                               "tabular-data-resource", "format", "csv", "mediatype", "text/csv",
                                               "encoding", "utf-8", "schema", "fields", fields));
    return IMP_OK;
}

static int write_tabular(json_t *orgs, json_t *svcs, json_t *terms_a, json_t *pack, json_t *intake, const char *dir,
                         char *err, size_t errlen)
{
    table tabs[T_COUNT];
    for (int i = 0; i < T_COUNT; i++) tabs[i] = (table){table_names[i], json_array(), json_array()};
    size_t i;
    json_t *v;
    json_array_foreach(orgs, i, v) flatten(tabs, T_ORG, v);
    json_array_foreach(terms_a, i, v) flatten(tabs, T_TERM, v);
    json_array_foreach(svcs, i, v) flatten(tabs, T_SVC, v);
    json_t *resources = json_array();
    int rc = IMP_OK;
    for (int t = 0; t < T_COUNT && !rc; t++) rc = write_table(&tabs[t], dir, resources, err, errlen);
    for (int t = 0; t < T_COUNT; t++) {
        json_decref(tabs[t].rows);
        json_decref(tabs[t].cols);
    }
    json_t *dp = json_pack("{ss ss ss so sO}", "name", "kiosk-hsds-export", "profile", "tabular-data-package",
                           "x_kiosk_note", "HSDS 3.0 tables; x_kiosk_* fields and x_kiosk_translations.csv are this "
                           "kiosk's extension (translations, summary, IANA time zone, slots, guided questions)",
                           "resources", resources, "x_kiosk_pack", pack);
    if (intake) json_object_set(dp, "x_kiosk_intake", intake);
    if (!rc) rc = imp_write_json(dir, "datapackage.json", dp, err, errlen);
    json_decref(dp);
    return rc;
}

static int write_icons(exporter *x, const char *dir, char *err, size_t errlen)
{
    sqlite3_stmt *st = prep(x, "SELECT id, data FROM media WHERE id IN (SELECT icon FROM taxonomy_term UNION "
                               "SELECT icon FROM intake_question UNION SELECT icon FROM intake_answer)", NULL);
    if (!st) return IMP_ERR_DB;
    int rc = IMP_OK;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (strchr(id, '/') || id[0] == '.') continue;
        char path[PATH_MAX];
        if ((rc = imp_path(path, err, errlen, "%s/%s", dir, id))) break;
        FILE *f = fopen(path, "wb");
        int n = sqlite3_column_bytes(st, 1);
        if (!f || fwrite(sqlite3_column_blob(st, 1), 1, (size_t)n, f) != (size_t)n) rc = IMP_ERR_IO;
        if (f && fclose(f) != 0) rc = IMP_ERR_IO;
        if (rc) imp_fail(err, errlen, rc, "%s: %s", path, strerror(errno));
    }
    sqlite3_finalize(st);
    return rc;
}

int imp_export_hsds(const char *db_path, const char *out_dir, char *err, size_t errlen)
{
    exporter x = {.err = err, .errlen = errlen, .source_lang = "de"};
    struct stat sb;
    if (stat(db_path, &sb) != 0) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", db_path, strerror(errno));
    if (sqlite3_open_v2(db_path, &x.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = imp_fail(err, errlen, IMP_ERR_DB, "%s: %s", db_path, sqlite3_errmsg(x.db));
        sqlite3_close(x.db);
        return rc;
    }
    json_t *pack = NULL, *orgs = NULL, *svcs = NULL, *terms_a = NULL, *intake = NULL;
    imp_tree tree;
    int rc = IMP_OK;
    sqlite3_stmt *st = prep(&x, "SELECT value FROM meta WHERE key='source_language'", NULL);
    if (!st) rc = imp_fail(err, errlen, IMP_ERR_DB, "%s: not a kiosk content database", db_path);
    char srcbuf[16] = "de";
    if (st && sqlite3_step(st) == SQLITE_ROW) snprintf(srcbuf, sizeof srcbuf, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    x.source_lang = srcbuf;
    snprintf(x.zone, sizeof x.zone, "%s", STORE_DEFAULT_ZONE);
    st = rc ? NULL : prep(&x, "SELECT value FROM meta WHERE key='timezone'", NULL);
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(x.zone, sizeof x.zone, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!rc) {
        pack = pack_ext(&x);
        orgs = organizations(&x);
        svcs = services(&x);
        terms_a = terms(&x);
        if (!orgs || !svcs || !terms_a) rc = IMP_ERR_DB;
    }
    if (!rc) intake = imp_intake_of_db(x.db, &rc, err, errlen);
    if (!rc) rc = imp_tree_begin(&tree, out_dir, err, errlen);
    else { sqlite3_close(x.db); goto out; }
    char dir[PATH_MAX];
    if (!rc) rc = imp_tree_mkdir(&tree, "json", err, errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "tabular", err, errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "pictograms", err, errlen);
    if (!rc) rc = imp_path(dir, err, errlen, "%s/json", tree.tmp);
    if (!rc) rc = imp_write_json(dir, "services.json", svcs, err, errlen);
    if (!rc) rc = imp_write_json(dir, "organizations.json", orgs, err, errlen);
    if (!rc) rc = imp_write_json(dir, "taxonomy_terms.json", terms_a, err, errlen);
    if (!rc) rc = imp_write_json(dir, "x_kiosk_pack.json", pack, err, errlen);
    if (!rc && intake) rc = imp_write_json(dir, "x_kiosk_intake.json", intake, err, errlen);
    if (!rc) rc = imp_path(dir, err, errlen, "%s/tabular", tree.tmp);
    if (!rc) rc = write_tabular(orgs, svcs, terms_a, pack, intake, dir, err, errlen);
    if (!rc) rc = imp_path(dir, err, errlen, "%s/pictograms", tree.tmp);
    if (!rc) rc = write_icons(&x, dir, err, errlen);
    sqlite3_close(x.db);
    if (!rc) rc = imp_tree_commit(&tree, err, errlen);
    if (rc) imp_tree_abort(&tree);
out:
    json_decref(pack);
    json_decref(orgs);
    json_decref(svcs);
    json_decref(terms_a);
    json_decref(intake);
    return rc;
}
