/*
 * pack_build.c: JSON sources -> content database, and synthetic content (see pack.h).
 */
#include "pack.h"

#include "i18n/i18n.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct builder {
    sqlite3 *db;
    char *err;
    size_t errlen;
    char file[512];      /* source file being read, for messages */
} builder;

static int fail(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->file[0]) snprintf(b->err, b->errlen, "%s: %s", b->file, msg);
    else snprintf(b->err, b->errlen, "%s", msg);
    return -1;
}

/* Run sql with text parameters (NULL binds SQL NULL). */
static int run(builder *b, const char *sql, int n, const char *const vals[])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail(b, "database: %s", sqlite3_errmsg(b->db));
    for (int i = 0; i < n; i++) {
        if (vals[i]) sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, i + 1);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT) return fail(b, "duplicate or invalid entry (%s)", sqlite3_errmsg(b->db));
        return fail(b, "database: %s", sqlite3_errmsg(b->db));
    }
    return 0;
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int valid_date(const char *d)
{
    int y, m, dd;
    char tail;
    return d && strlen(d) == 10 && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 && m >= 1 && m <= 12 &&
           dd >= 1 && dd <= 31;
}

static int valid_id(const char *id)
{
    if (!id || !*id) return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '/' || *p == '_')) return 0;
    return 1;
}

static json_t *load_json(builder *b, const char *path)
{
    json_error_t je;
    snprintf(b->file, sizeof b->file, "%s", path);
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (je.line > 0) fail(b, "line %d, column %d: %s", je.line, je.column, je.text);
        else fail(b, "%s", je.text);
    }
    return j;
}

/* Insert the translations of one entity: i18n is {"de": {"status":..., field...}, ...}. */
static int put_i18n(builder *b, const char *table, const char *keycol, const char *id, json_t *i18n,
                    const char *const keys[], const char *const cols[], int n)
{
    if (!json_is_object(i18n)) return fail(b, "%s: \"i18n\" must be an object of languages", id);
    const char *lang;
    json_t *tr;
    json_object_foreach(i18n, lang, tr) {
        if (!i18n_lang_find(lang)) return fail(b, "%s: unknown language \"%s\"", id, lang);
        if (!json_is_object(tr)) return fail(b, "%s: translation \"%s\" must be an object", id, lang);
        const char *status = str(tr, "status");
        if (!status || (strcmp(status, "complete") && strcmp(status, "machine") && strcmp(status, "outdated")))
            return fail(b, "%s/%s: status must be complete, machine or outdated", id, lang);
        char sql[512];
        int o = snprintf(sql, sizeof sql, "INSERT INTO %s(%s, lang, status", table, keycol);
        for (int i = 0; i < n; i++) o += snprintf(sql + o, sizeof sql - (size_t)o, ", %s", cols[i]);
        o += snprintf(sql + o, sizeof sql - (size_t)o, ") VALUES(?1, ?2, ?3");
        for (int i = 0; i < n; i++) o += snprintf(sql + o, sizeof sql - (size_t)o, ", ?%d", i + 4);
        snprintf(sql + o, sizeof sql - (size_t)o, ")");
        const char *vals[12] = {id, lang, status};
        for (int i = 0; i < n; i++) {
            json_t *v = json_object_get(tr, keys[i]);
            if (v && !json_is_string(v)) return fail(b, "%s/%s: \"%s\" must be text", id, lang, keys[i]);
            vals[3 + i] = v ? json_string_value(v) : NULL;
        }
        if (run(b, sql, 3 + n, vals)) return -1;
    }
    return 0;
}

static int put_phones(builder *b, json_t *phones, const char *col, const char *owner)
{
    if (!phones) return 0;
    if (!json_is_array(phones)) return fail(b, "%s: \"phones\" must be a list", owner);
    size_t i;
    json_t *p;
    json_array_foreach(phones, i, p) {
        const char *num = str(p, "number");
        if (!num) return fail(b, "%s: phone %zu has no \"number\"", owner, i + 1);
        char pid[600], ord[24], sql[256];
        snprintf(pid, sizeof pid, "%s#%zu", owner, i);
        snprintf(ord, sizeof ord, "%zu", i);
        snprintf(sql, sizeof sql, "INSERT INTO phone(id, %s, number, type, sort_order) VALUES(?1, ?2, ?3, ?4, ?5)", col);
        const char *t = str(p, "type");
        const char *vals[] = {pid, owner, num, t ? t : "voice", ord};
        if (run(b, sql, 5, vals)) return -1;
    }
    return 0;
}

static int put_media(builder *b, const char *id, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return fail(b, "pictogram %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (len <= 0 || len > 4 * 1024 * 1024) { fclose(f); return fail(b, "pictogram %s: empty or larger than 4 MiB", path); }
    unsigned char *data = malloc((size_t)len);
    if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
        free(data);
        fclose(f);
        return fail(b, "pictogram %s: cannot read", path);
    }
    fclose(f);
    sqlite3_stmt *st;
    int rc = -1;
    const char *mime = strstr(path, ".png") ? "image/png" : "image/svg+xml";
    if (sqlite3_prepare_v2(b->db, "INSERT OR REPLACE INTO media(id, mime, data) VALUES(?1, ?2, ?3)", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(st);
    }
    free(data);
    return rc ? fail(b, "pictogram %s: %s", path, sqlite3_errmsg(b->db)) : 0;
}

static int load_pack_json(builder *b, const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/pack.json", dir);
    json_t *j = load_json(b, path);
    if (!j) return -1;
    int rc = 0;
    const char *id = str(j, "id");
    json_t *langs = json_object_get(j, "languages");
    json_t *ver = json_object_get(j, "version");
    char verbuf[32], now[32];
    snprintf(verbuf, sizeof verbuf, "%lld", json_is_integer(ver) ? (long long)json_integer_value(ver) : 1LL);
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (!valid_id(id)) rc = fail(b, "\"id\" must be a lowercase identifier");
    else if (!json_is_array(langs) || json_array_size(langs) == 0) rc = fail(b, "\"languages\" must list the pack's languages");
    const char *kv[][2] = {{"schema_version", "1"},
                           {"pack_id", id},
                           {"content_version", verbuf},
                           {"created", now},
                           {"demo", json_is_true(json_object_get(j, "demo")) ? "1" : "0"},
                           {"source_language", str(j, "source_language") ? str(j, "source_language") : "de"}};
    for (size_t i = 0; rc == 0 && i < sizeof kv / sizeof kv[0]; i++) {
        const char *vals[] = {kv[i][0], kv[i][1]};
        rc = run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, vals);
    }
    size_t i;
    json_t *l;
    json_array_foreach(langs, i, l) {
        if (rc) break;
        if (!json_is_string(l) || !i18n_lang_find(json_string_value(l))) {
            rc = fail(b, "languages[%zu]: unknown language", i);
            break;
        }
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *vals[] = {json_string_value(l), ord};
        rc = run(b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, vals);
    }
    json_array_foreach(json_object_get(j, "holidays"), i, l) {
        if (rc) break;
        if (!valid_date(json_string_value(l))) {
            rc = fail(b, "holidays[%zu]: must be a YYYY-MM-DD date", i);
            break;
        }
        char hid[32];
        snprintf(hid, sizeof hid, "holiday:%s", json_string_value(l));
        const char *vals[] = {hid, json_string_value(l)};
        rc = run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, NULL, ?2)", 2, vals);
    }
    const char *lang;
    json_t *tr;
    json_object_foreach(json_object_get(j, "i18n"), lang, tr) {
        if (rc) break;
        char key[64];
        snprintf(key, sizeof key, "title:%s", lang);
        const char *vals[] = {key, str(tr, "title") ? str(tr, "title") : ""};
        rc = run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, vals);
    }
    json_decref(j);
    return rc;
}

static int load_categories(builder *b, const char *dir)
{
    char path[1024], pict[1024];
    snprintf(path, sizeof path, "%s/pictograms", dir);
    struct stat sb;
    if (stat(path, &sb) == 0) snprintf(pict, sizeof pict, "%s", path);
    else snprintf(pict, sizeof pict, "%s/../pictograms", dir);
    snprintf(path, sizeof path, "%s/categories.json", dir);
    json_t *j = load_json(b, path);
    if (!j) return -1;
    int rc = json_is_array(j) ? 0 : fail(b, "must be a list of categories");
    size_t i;
    json_t *c;
    json_array_foreach(j, i, c) {
        if (rc) break;
        const char *id = str(c, "id"), *icon = str(c, "icon");
        if (!valid_id(id)) { rc = fail(b, "category %zu: bad or missing \"id\"", i + 1); break; }
        char ord[24], ipath[2048];
        snprintf(ord, sizeof ord, "%lld", (long long)json_integer_value(json_object_get(c, "order")));
        if (icon) {
            snprintf(ipath, sizeof ipath, "%s/%s", pict, icon);
            char saved[512];
            snprintf(saved, sizeof saved, "%s", b->file);
            b->file[0] = 0;
            rc = put_media(b, icon, ipath);
            snprintf(b->file, sizeof b->file, "%s", saved);
            if (rc) break;
        }
        const char *vals[] = {id, ord, icon};
        if ((rc = run(b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, vals))) break;
        static const char *const keys[] = {"name", "description"};
        rc = put_i18n(b, "taxonomy_term_i18n", "term_id", id, json_object_get(c, "i18n"), keys, keys, 2);
    }
    json_decref(j);
    return rc;
}

/* The pictogram folder: the pack's own, else the shared one beside it. */
static void pictogram_dir(const char *dir, char *out, size_t len)
{
    struct stat sb;
    snprintf(out, len, "%s/pictograms", dir);
    if (stat(out, &sb) != 0) snprintf(out, len, "%s/../pictograms", dir);
}

static int put_icon(builder *b, const char *dir, const char *icon)
{
    char pict[1024], path[2048], saved[512];
    pictogram_dir(dir, pict, sizeof pict);
    snprintf(path, sizeof path, "%s/%s", pict, icon);
    snprintf(saved, sizeof saved, "%s", b->file);
    b->file[0] = 0;
    int rc = put_media(b, icon, path);
    snprintf(b->file, sizeof b->file, "%s", saved);
    return rc;
}

static int load_answer(builder *b, const char *dir, const char *qid, size_t order, json_t *a)
{
    const char *aid = str(a, "id"), *icon = str(a, "icon");
    char id[300], ord[24];
    if (!valid_id(aid)) return fail(b, "question %s: answer %zu: bad or missing \"id\"", qid, order + 1);
    snprintf(id, sizeof id, "%s/%s", qid, aid);
    snprintf(ord, sizeof ord, "%zu", order);
    if (icon && put_icon(b, dir, icon)) return -1;
    const char *av[] = {id, qid, ord, icon, json_is_true(json_object_get(a, "urgent")) ? "1" : "0"};
    if (run(b, "INSERT INTO intake_answer(id, question_id, sort_order, icon, urgent) VALUES(?1, ?2, ?3, ?4, ?5)", 5, av))
        return -1;
    static const char *const keys[] = {"label", "reason"};
    if (put_i18n(b, "intake_answer_i18n", "answer_id", id, json_object_get(a, "i18n"), keys, keys, 2)) return -1;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(a, "match"), i, m) {
        const char *kind = str(m, "category") ? "category" : str(m, "offer") ? "offer" : NULL;
        json_t *w = json_object_get(m, "weight");
        char wb[24];
        if (!kind) return fail(b, "answer %s: match %zu needs \"category\" or \"offer\"", id, i + 1);
        snprintf(wb, sizeof wb, "%lld", json_is_integer(w) ? (long long)json_integer_value(w) : 1LL);
        const char *mv[] = {id, kind, str(m, kind), wb};
        if (run(b, "INSERT INTO intake_match(answer_id, kind, target, weight) VALUES(?1, ?2, ?3, ?4)", 4, mv)) return -1;
    }
    return 0;
}

/* intake.json (optional): the guided questions, their answers and what each answer matches. */
static int load_intake(builder *b, const char *dir)
{
    char path[1024];
    struct stat sb;
    snprintf(path, sizeof path, "%s/intake.json", dir);
    if (stat(path, &sb) != 0) return 0;
    json_t *j = load_json(b, path);
    if (!j) return -1;
    int rc = json_is_array(json_object_get(j, "questions")) ? 0 : fail(b, "\"questions\" must be a list");
    size_t i, k;
    json_t *q, *a;
    json_array_foreach(json_object_get(j, "questions"), i, q) {
        if (rc) break;
        const char *id = str(q, "id"), *icon = str(q, "icon");
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        if (!valid_id(id)) { rc = fail(b, "question %zu: bad or missing \"id\"", i + 1); break; }
        if (icon && (rc = put_icon(b, dir, icon))) break;
        const char *qv[] = {id, ord, icon};
        if ((rc = run(b, "INSERT INTO intake_question(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, qv))) break;
        static const char *const keys[] = {"text"};
        if ((rc = put_i18n(b, "intake_question_i18n", "question_id", id, json_object_get(q, "i18n"), keys, keys, 1))) break;
        if (json_array_size(json_object_get(q, "answers")) < 2) { rc = fail(b, "question %s: needs two answers or more", id); break; }
        json_array_foreach(json_object_get(q, "answers"), k, a) {
            if ((rc = load_answer(b, dir, id, k, a))) break;
        }
    }
    json_decref(j);
    return rc;
}

static int load_org(builder *b, json_t *j)
{
    const char *id = str(j, "id");
    if (!valid_id(id)) return fail(b, "bad or missing \"id\"");
    const char *vals[] = {id, str(j, "email"), str(j, "url")};
    if (run(b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, vals)) return -1;
    static const char *const keys[] = {"name", "description"};
    if (put_i18n(b, "organization_i18n", "organization_id", id, json_object_get(j, "i18n"), keys, keys, 2)) return -1;
    if (put_phones(b, json_object_get(j, "phones"), "organization_id", id)) return -1;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(j, "locations"), i, l) {
        const char *lid = str(l, "id");
        if (!valid_id(lid)) return fail(b, "location %zu: bad or missing \"id\"", i + 1);
        char lat[32] = "", lon[32] = "";
        json_t *la = json_object_get(l, "latitude"), *lo = json_object_get(l, "longitude");
        if (json_is_number(la)) snprintf(lat, sizeof lat, "%.6f", json_number_value(la));
        if (json_is_number(lo)) snprintf(lon, sizeof lon, "%.6f", json_number_value(lo));
        const char *lv[] = {lid, id, str(l, "street"), str(l, "postcode"), str(l, "city"), str(l, "district"),
                            lat[0] ? lat : NULL, lon[0] ? lon : NULL};
        if (run(b,
                "INSERT INTO location(id, organization_id, address_1, postal_code, city, district, latitude, longitude) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                8, lv))
            return -1;
        static const char *const lk[] = {"name", "accessibility", "transit"};
        static const char *const lc[] = {"name", "accessibility", "transportation"};
        if (put_i18n(b, "location_i18n", "location_id", lid, json_object_get(l, "i18n"), lk, lc, 3)) return -1;
    }
    return 0;
}

static int valid_time(const char *t)
{
    int h, m;
    char extra;
    return t && sscanf(t, "%d:%d%c", &h, &m, &extra) == 2 && h >= 0 && h <= 24 && m >= 0 && m < 60;
}

static int load_offer(builder *b, json_t *j)
{
    const char *id = str(j, "id");
    if (!valid_id(id)) return fail(b, "bad or missing \"id\"");
    const char *org = str(j, "organization");
    if (!org) return fail(b, "%s: missing \"organization\"", id);
    const char *vals[] = {id, org, str(j, "email"), str(j, "url")};
    if (run(b, "INSERT INTO service(id, organization_id, email, url) VALUES(?1, ?2, ?3, ?4)", 4, vals)) return -1;
    static const char *const keys[] = {"name", "summary", "description", "eligibility", "cost"};
    static const char *const cols[] = {"name", "summary", "description", "eligibility_description", "fees_description"};
    if (put_i18n(b, "service_i18n", "service_id", id, json_object_get(j, "i18n"), keys, cols, 5)) return -1;
    json_t *de = json_object_get(json_object_get(j, "i18n"), "de");
    if (!str(de, "name")) return fail(b, "%s: the source language (de) needs a \"name\"", id);
    size_t i;
    json_t *v;
    if (!json_is_array(json_object_get(j, "categories")) || json_array_size(json_object_get(j, "categories")) == 0)
        return fail(b, "%s: \"categories\" must list at least one category", id);
    json_array_foreach(json_object_get(j, "categories"), i, v) {
        const char *cv[] = {id, json_string_value(v)};
        if (!cv[1] || run(b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, cv))
            return cv[1] ? -1 : fail(b, "%s: categories must be text", id);
    }
    json_array_foreach(json_object_get(j, "locations"), i, v) {
        char sid[600], ord[24];
        snprintf(sid, sizeof sid, "%s@%s", id, json_string_value(v) ? json_string_value(v) : "");
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {sid, id, json_string_value(v), ord};
        if (!lv[2]) return fail(b, "%s: locations must be text", id);
        if (run(b, "INSERT INTO service_at_location(id, service_id, location_id, sort_order) VALUES(?1, ?2, ?3, ?4)", 4,
                lv))
            return -1;
    }
    json_array_foreach(json_object_get(j, "languages"), i, v) {
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {id, json_string_value(v), ord};
        if (!lv[1]) return fail(b, "%s: languages must be text codes", id);
        if (run(b, "INSERT INTO language_spoken(service_id, code, sort_order) VALUES(?1, ?2, ?3)", 3, lv)) return -1;
    }
    json_array_foreach(json_object_get(j, "schedules"), i, v) {
        const char *freq = str(v, "freq") ? str(v, "freq") : "WEEKLY";
        if (strcmp(freq, "WEEKLY") && strcmp(freq, "MONTHLY"))
            return fail(b, "%s: schedule %zu: freq must be WEEKLY or MONTHLY", id, i + 1);
        if (!valid_time(str(v, "opens_at")) || !valid_time(str(v, "closes_at")))
            return fail(b, "%s: schedule %zu: opens_at/closes_at must be HH:MM", id, i + 1);
        if (!str(v, "byday")) return fail(b, "%s: schedule %zu: missing \"byday\"", id, i + 1);
        char sid[600], ord[24], iv[16];
        snprintf(sid, sizeof sid, "%s#%zu", id, i);
        snprintf(ord, sizeof ord, "%zu", i);
        json_t *in = json_object_get(v, "interval");
        snprintf(iv, sizeof iv, "%lld", json_is_integer(in) ? (long long)json_integer_value(in) : 1LL);
        json_t *slot = json_object_get(v, "slot_minutes"), *cap = json_object_get(v, "capacity");
        char sl[16] = "", cp[16] = "";
        if (json_is_integer(slot)) snprintf(sl, sizeof sl, "%lld", (long long)json_integer_value(slot));
        if (json_is_integer(cap)) snprintf(cp, sizeof cp, "%lld", (long long)json_integer_value(cap));
        if ((sl[0] != 0) != (cp[0] != 0) || (sl[0] && (json_integer_value(slot) < 5 || json_integer_value(cap) < 1)))
            return fail(b, "%s: schedule %zu: a bookable schedule needs slot_minutes >= 5 and capacity >= 1", id, i + 1);
        for (const char *k = "valid_from"; k; k = strcmp(k, "valid_from") ? NULL : "valid_to")
            if (str(v, k) && !valid_date(str(v, k)))
                return fail(b, "%s: schedule %zu: %s must be a YYYY-MM-DD date", id, i + 1, k);
        const char *sv[] = {sid, id, str(v, "location"), freq, iv, str(v, "byday"), str(v, "opens_at"),
                            str(v, "closes_at"), str(v, "valid_from"), str(v, "valid_to"), sl[0] ? sl : NULL,
                            cp[0] ? cp : NULL, ord, str(v, "bymonthday"),
                            str(v, "timezone") ? str(v, "timezone") : "Europe/Berlin"};
        if (run(b,
                "INSERT INTO schedule(id, service_id, location_id, freq, interval, byday, opens_at, closes_at, "
                "valid_from, valid_to, slot_minutes, capacity, sort_order, bymonthday, timezone) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                15, sv))
            return -1;
    }
    json_array_foreach(json_object_get(j, "closed"), i, v) {
        if (!valid_date(json_string_value(v))) return fail(b, "%s: closed[%zu] must be a YYYY-MM-DD date", id, i);
        char cid[600];
        snprintf(cid, sizeof cid, "%s:%s", id, json_string_value(v));
        const char *cv[] = {cid, id, json_string_value(v)};
        if (run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, ?2, ?3)", 3, cv)) return -1;
    }
    return put_phones(b, json_object_get(j, "phones"), "service_id", id);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every *.json in dir/sub, sorted, through fn. */
static int load_folder(builder *b, const char *dir, const char *sub, int (*fn)(builder *, json_t *))
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d) return fail(b, "%s: %s", path, strerror(errno));
    char **names = NULL;
    int n = 0, rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        char **nn = realloc(names, sizeof *nn * (size_t)(n + 1));
        if (!nn) { rc = -1; break; }
        names = nn;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, name_cmp);
    for (int i = 0; i < n && rc == 0; i++) {
        char fp[2048];
        snprintf(fp, sizeof fp, "%s/%s", path, names[i]);
        json_t *j = load_json(b, fp);
        if (!j) { rc = -1; break; }
        rc = fn(b, j);
        json_decref(j);
    }
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

/* Dangling references, reported with the entity that holds them. */
static int check_refs(builder *b)
{
    static const char *const checks[][2] = {
        {"SELECT id || ': organization \"' || organization_id || '\" does not exist' FROM service "
         "WHERE organization_id NOT IN (SELECT id FROM organization)", NULL},
        {"SELECT service_id || ': category \"' || term_id || '\" does not exist' FROM service_taxonomy "
         "WHERE term_id NOT IN (SELECT id FROM taxonomy_term)", NULL},
        {"SELECT service_id || ': location \"' || location_id || '\" does not exist' FROM service_at_location "
         "WHERE location_id NOT IN (SELECT id FROM location)", NULL},
        {"SELECT service_id || ': schedule location \"' || location_id || '\" does not exist' FROM schedule "
         "WHERE location_id IS NOT NULL AND location_id NOT IN (SELECT id FROM location)", NULL},
        {"SELECT 'intake.json: answer ' || answer_id || ' matches unknown ' || kind || ' \"' || target || '\"' "
         "FROM intake_match WHERE (kind='category' AND target NOT IN (SELECT id FROM taxonomy_term)) "
         "OR (kind='offer' AND target NOT IN (SELECT id FROM service))", NULL},
    };
    b->file[0] = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(b->db, checks[i][0], -1, &st, NULL) != SQLITE_OK)
            return fail(b, "database: %s", sqlite3_errmsg(b->db));
        int rc = 0;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *what = (const char *)sqlite3_column_text(st, 0);
            rc = fail(b, strncmp(what, "intake.json", 11) ? "offers/%s" : "%s", what);
        }
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    return 0;
}

static int db_begin(builder *b, const char *tmp)
{
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return fail(b, "%s: %s", tmp, sqlite3_errmsg(b->db));
    char *msg = NULL;
    if (sqlite3_exec(b->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(b->db, store_schema_sql(), NULL, NULL, &msg) != SQLITE_OK) {
        fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Commit, make durable, and move into place. */
static int db_finish(builder *b, const char *tmp, const char *out)
{
    b->file[0] = 0;
    char *msg = NULL;
    if (sqlite3_exec(b->db, "COMMIT; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; VACUUM;", NULL, NULL, &msg) !=
        SQLITE_OK) {
        fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    sqlite3_close(b->db);
    b->db = NULL;
    if (store_search_index(tmp, b->err, b->errlen)) return -1;
    FILE *f = fopen(tmp, "rb+");
    if (!f || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (f) fclose(f);
        return fail(b, "%s: cannot write: %s", tmp, strerror(errno));
    }
    fclose(f);
    if (rename(tmp, out) != 0) return fail(b, "%s: %s", out, strerror(errno));
    return 0;
}

int pack_build(const char *src_dir, const char *out_path, char *err, size_t errlen)
{
    builder b = {.err = err, .errlen = errlen};
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    int rc = db_begin(&b, tmp);
    if (!rc) rc = load_pack_json(&b, src_dir);
    if (!rc) rc = load_categories(&b, src_dir);
    if (!rc) rc = load_folder(&b, src_dir, "organizations", load_org);
    if (!rc) rc = load_folder(&b, src_dir, "offers", load_offer);
    if (!rc) rc = load_intake(&b, src_dir);
    if (!rc) rc = check_refs(&b);
    if (!rc) rc = db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    if (rc) unlink(tmp);
    return rc;
}

/* ---------- synthetic content ---------- */

/* Syllables per script, so synthetic text exercises the same shaping as real text. */
static const char *const syl_latn[] = {"ka", "ber", "to", "lin", "sa", "mu", "ren", "do", "vi", "gu", "ha", "pel"};
static const char *const syl_arab[] = {"كا", "بر", "تو", "لين", "سا", "مو", "رن", "دو", "في", "غو", "ها", "بل"};
static const char *const syl_cyrl[] = {"ка", "бер", "то", "лин", "са", "му", "рен", "до", "ви", "гу", "ха", "пел"};
static const char *const syl_ethi[] = {"ካ", "በር", "ቶ", "ሊን", "ሳ", "ሙ", "ረን", "ዶ", "ቪ", "ጉ", "ሃ", "ፐል"};

static void synth_words(char *buf, size_t len, const char *lang, unsigned *seed, int words)
{
    const char *const *syl = syl_latn;
    if (i18n_is_rtl(lang)) syl = syl_arab;
    else if (!strcmp(lang, "ru") || !strcmp(lang, "uk")) syl = syl_cyrl;
    else if (!strcmp(lang, "ti")) syl = syl_ethi;
    size_t o = 0;
    buf[0] = 0;
    for (int w = 0; w < words; w++) {
        int ns = 1 + (int)(rand_r(seed) % 3);
        for (int s = 0; s < ns; s++) o += (size_t)snprintf(buf + o, len - o, "%s", syl[rand_r(seed) % 12]);
        if (w + 1 < words) o += (size_t)snprintf(buf + o, len - o, " ");
        if (o + 16 >= len) break;
    }
}

int pack_synth(const char *out_path, int noffers, int nlangs, unsigned seed, const char *pictogram_dir, char *err,
               size_t errlen)
{
    static const char *const cats[] = {"housing", "language", "work", "school", "health",
                                       "counselling", "interpreters", "volunteering", "protection", "events"};
    builder b = {.err = err, .errlen = errlen};
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    if (nlangs < 1) nlangs = 1;
    if (nlangs > i18n_lang_count()) nlangs = i18n_lang_count();
    int rc = db_begin(&b, tmp);
    const char *meta[][2] = {{"schema_version", "1"}, {"pack_id", "synthetic"}, {"content_version", "1"},
                             {"created", "2026-01-01T00:00:00Z"}, {"demo", "1"}, {"source_language", "de"},
                             {"title:de", "Synthetische Inhalte"}, {"title:en", "Synthetic content"}};
    for (size_t i = 0; !rc && i < sizeof meta / sizeof meta[0]; i++)
        rc = run(&b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, meta[i]);
    for (int l = 0; !rc && l < nlangs; l++) {
        char ord[24];
        snprintf(ord, sizeof ord, "%d", l);
        const char *v[] = {i18n_lang_at(l)->code, ord};
        rc = run(&b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, v);
    }
    char t1[256], t2[512], t3[1024], id[64], id2[64], ord[16];
    for (int c = 0; !rc && c < 10; c++) {
        char icon[64], path[1024];
        snprintf(icon, sizeof icon, "%s.svg", cats[c]);
        snprintf(path, sizeof path, "%s/%s", pictogram_dir ? pictogram_dir : "", icon);
        struct stat sb;
        int has_icon = pictogram_dir && stat(path, &sb) == 0;
        if (has_icon) rc = put_media(&b, icon, path);
        snprintf(ord, sizeof ord, "%d", c);
        const char *v[] = {cats[c], ord, has_icon ? icon : NULL};
        if (!rc) rc = run(&b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, v);
        for (int l = 0; !rc && l < nlangs; l++) {
            synth_words(t1, sizeof t1, i18n_lang_at(l)->code, &seed, 2);
            const char *tv[] = {cats[c], i18n_lang_at(l)->code, l ? "machine" : "complete", t1};
            rc = run(&b, "INSERT INTO taxonomy_term_i18n(term_id, lang, status, name) VALUES(?1, ?2, ?3, ?4)", 4, tv);
        }
    }
    int norgs = noffers / 10 + 1;
    for (int o = 0; !rc && o < norgs; o++) {
        snprintf(id, sizeof id, "org-%d", o);
        snprintf(id2, sizeof id2, "org-%d/main", o);
        const char *v[] = {id, "info@synthetic.example", "https://synthetic.example"};
        rc = run(&b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, v);
        synth_words(t1, sizeof t1, "de", &seed, 3);
        const char *ov[] = {id, "de", "complete", t1};
        if (!rc) rc = run(&b, "INSERT INTO organization_i18n(organization_id, lang, status, name) VALUES(?1,?2,?3,?4)", 4, ov);
        const char *lv[] = {id2, id, "Hauptstraße 1", "29601", "Heidemoor"};
        if (!rc)
            rc = run(&b, "INSERT INTO location(id, organization_id, address_1, postal_code, city) VALUES(?1,?2,?3,?4,?5)",
                     5, lv);
        snprintf(t2, sizeof t2, "+49 5191 %d", 1000 + o);
        const char *pv[] = {id, id, t2};
        if (!rc) rc = run(&b, "INSERT INTO phone(id, organization_id, number) VALUES(?1, ?2, ?3)", 3, pv);
    }
    for (int o = 0; !rc && o < noffers; o++) {
        snprintf(id, sizeof id, "offer-%d", o);
        snprintf(id2, sizeof id2, "org-%d", o / 10);
        const char *v[] = {id, id2};
        rc = run(&b, "INSERT INTO service(id, organization_id) VALUES(?1, ?2)", 2, v);
        const char *tv[] = {id, cats[o % 10]};
        if (!rc) rc = run(&b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, tv);
        snprintf(t1, sizeof t1, "%s@org-%d/main", id, o / 10);
        snprintf(t2, sizeof t2, "org-%d/main", o / 10);
        const char *sv[] = {t1, id, t2};
        if (!rc) rc = run(&b, "INSERT INTO service_at_location(id, service_id, location_id) VALUES(?1, ?2, ?3)", 3, sv);
        snprintf(t1, sizeof t1, "%s#0", id);
        const char *schv[] = {t1, id, "MO,WE", "09:00", "12:00"};
        if (!rc)
            rc = run(&b, "INSERT INTO schedule(id, service_id, freq, byday, opens_at, closes_at) "
                         "VALUES(?1, ?2, 'WEEKLY', ?3, ?4, ?5)", 5, schv);
        const char *lsv[] = {id, "de"};
        if (!rc) rc = run(&b, "INSERT INTO language_spoken(service_id, code) VALUES(?1, ?2)", 2, lsv);
        for (int l = 0; !rc && l < nlangs; l++) {
            const char *code = i18n_lang_at(l)->code;
            synth_words(t1, sizeof t1, code, &seed, 3);
            synth_words(t2, sizeof t2, code, &seed, 12);
            synth_words(t3, sizeof t3, code, &seed, 40);
            const char *iv[] = {id, code, l ? "machine" : "complete", t1, t2, t3, t2, t1};
            rc = run(&b, "INSERT INTO service_i18n(service_id, lang, status, name, summary, description, "
                         "eligibility_description, fees_description) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", 8, iv);
        }
    }
    if (!rc) rc = db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    if (rc) unlink(tmp);
    return rc;
}
