/*
 * pack_build.c: JSON sources -> content database (pack_build in pack.h): pack.json,
 * categories, organizations, offers and intake questions, one loader per kind of file. The
 * values are checked by build_check.c, pictograms stored by build_media.c, the database written
 * by build_db.c.
 */
#include "pack.h"
#include "pack/build_priv.h"
#include "pack/format.h"

#include "booking/slots.h"
#include "i18n/i18n.h"
#include "platform/fmt.h"
#include "store/store.h"
#include "platform/wallclock.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_status(builder *b, json_t *tr)
{
    const char *status;
    if (pb_get_text(b, tr, "status", 16, 1, &status)) return -1;
    if (strcmp(status, "complete") && strcmp(status, "machine") && strcmp(status, "outdated"))
        return pb_fail_at(b, tr, "status", NOIDX, "must be complete, machine or outdated, not \"%s\"", status);
    return 0;
}

typedef struct field {
    const char *key, *col; /* JSON member, database column */
    size_t max;            /* characters */
    int name;              /* a name or label: must show something when present */
} field;

/* Insert the translations in o["i18n"] = {"de": {"status":..., field...}, ...} of one entity. */
static int put_i18n(builder *b, json_t *o, const char *table, const char *keycol, const char *id, const field *f, int n)
{
    json_t *i18n, *tr;
    if (pb_get_object(b, o, "i18n", NOIDX, NULL, 1, &i18n)) return -1;
    const char *allowed[8] = {"status"};
    for (int i = 0; i < n; i++) allowed[i + 1] = f[i].key;
    allowed[n + 1] = NULL;
    char sql[512];
    int w = snprintf(sql, sizeof sql, "INSERT INTO %s(%s, lang, status", table, keycol);
    for (int i = 0; i < n; i++) w += snprintf(sql + w, sizeof sql - (size_t)w, ", %s", f[i].col);
    w += snprintf(sql + w, sizeof sql - (size_t)w, ") VALUES(?1, ?2, ?3");
    for (int i = 0; i < n; i++) w += snprintf(sql + w, sizeof sql - (size_t)w, ", ?%d", i + 4);
    snprintf(sql + w, sizeof sql - (size_t)w, ")");
    const char *lang;
    json_object_foreach(i18n, lang, tr) {
        if (!i18n_lang_find(lang)) return pb_fail_at(b, i18n, lang, NOIDX, "unknown language \"%s\"", lang);
        if (pb_get_object(b, i18n, lang, NOIDX, allowed, 1, &tr) || check_status(b, tr)) return -1;
        const char *vals[12] = {id, lang, pb_str(tr, "status")};
        for (int i = 0; i < n; i++)
            if (f[i].name ? pb_get_name(b, tr, f[i].key, f[i].max, &vals[3 + i])
                          : pb_get_text(b, tr, f[i].key, f[i].max, 0, &vals[3 + i]))
                return -1;
        if (pb_run(b, sql, 3 + n, vals)) return -1;
    }
    return 0;
}

static int put_phones(builder *b, json_t *o, const char *col, const char *owner)
{
    static const char *const keys[] = {"number", "type", NULL};
    static const char *const types[] = {"voice", "fax", "text", "cell", "video", "pager", "textphone", NULL};
    json_t *phones, *p;
    if (pb_get_list(b, o, "phones", 0, LIM_PHONES, &phones)) return -1;
    for (size_t i = 0; i < json_array_size(phones); i++) {
        const char *num, *type = "voice";
        if (pb_get_object(b, phones, NULL, i, keys, 1, &p) || pb_get_text(b, p, "number", LIM_PHONE, 1, &num) ||
            pb_get_text(b, p, "type", 16, 0, &type))
            return -1;
        if (strspn(num, "+0123456789 -/()") != strlen(num))
            return pb_fail_at(b, p, "number", NOIDX, "\"%s\" may hold only digits, spaces and + - / ( )", num);
        if (!type) type = "voice";
        int known = 0;
        for (int t = 0; types[t]; t++) known |= !strcmp(type, types[t]);
        if (!known) return pb_fail_at(b, p, "type", NOIDX, "\"%s\" is not voice, fax, text, cell, video, pager or textphone", type);
        char pid[600], ord[24], sql[256];
        snprintf(pid, sizeof pid, "%s#%zu", owner, i);
        snprintf(ord, sizeof ord, "%zu", i);
        snprintf(sql, sizeof sql, "INSERT INTO phone(id, %s, number, type, sort_order) VALUES(?1, ?2, ?3, ?4, ?5)", col);
        const char *vals[] = {pid, owner, num, type, ord};
        if (pb_run(b, sql, 5, vals)) return -1;
    }
    return 0;
}

/* o["email"] and o["url"] (optional): an address with an @, a web address with http(s)://. */
static int get_contact(builder *b, json_t *o, const char **email, const char **url)
{
    if (pb_get_text(b, o, "email", LIM_EMAIL, 0, email) || pb_get_text(b, o, "url", LIM_URL, 0, url)) return -1;
    if (*email && (!strchr(*email, '@') || strpbrk(*email, " \t\n<>\"")))
        return pb_fail_at(b, o, "email", NOIDX, "\"%s\" is not an e-mail address", *email);
    if (*url && ((strncmp(*url, "https://", 8) && strncmp(*url, "http://", 7)) || strpbrk(*url, " \t\n<>\"")))
        return pb_fail_at(b, o, "url", NOIDX, "must be a web address starting with https://");
    return 0;
}

static int load_pack_json(builder *b, const char *dir)
{
    static const char *const keys[] = {"id",   "demo",     "version", "source_language", "languages",
                                       "i18n", "holidays", "timezone", NULL};
    static const char *const tr_keys[] = {"status", "title", NULL};
    char path[PATH_MAX];
    if (fmt_fit(path, sizeof path, "%s/pack.json", dir)) return pb_fail(b, "path too long: %s/pack.json", dir);
    json_t *j = pb_load_json(b, path);
    if (!j) return -1;
    json_t *langs, *holidays, *i18n = NULL, *tr;
    const char *id, *src = "de", *zone = NULL;
    long long version = 0;
    int demo, rc = -1;
    if (!json_is_object(j)) {
        pb_fail(b, "must be an object");
        goto out;
    }
    if (pb_check_keys(b, j, keys) || pb_get_id(b, j, sizeof ((pack_manifest *)0)->pack_id - 1, &id) ||
        pb_get_int(b, j, "version", 1, INT32_MAX, 1, &version) ||
        pb_get_bool(b, j, "demo", &demo) || pb_get_text(b, j, "source_language", 8, 0, &src) ||
        pb_get_list(b, j, "languages", 1, (size_t)i18n_lang_count(), &langs) || pb_check_text_list(b, langs, 8) ||
        pb_get_list(b, j, "holidays", 0, LIM_DATES, &holidays) || pb_check_dates(b, holidays) ||
        pb_get_object(b, j, "i18n", NOIDX, NULL, 0, &i18n) || pb_get_text(b, j, "timezone", 64, 0, &zone))
        goto out;
    if (!src) src = "de";
    int src_listed = 0;
    for (size_t i = 0; i < json_array_size(langs); i++) {
        const char *l = json_string_value(json_array_get(langs, i));
        if (!i18n_lang_find(l)) {
            pb_fail_at(b, langs, NULL, i, "unknown language \"%s\"", l);
            goto out;
        }
        src_listed |= !strcmp(l, src);
    }
    if (!src_listed) {
        pb_fail_at(b, j, json_object_get(j, "source_language") ? "source_language" : NULL, NOIDX,
                "the source language \"%s\" must be one of \"languages\"", src);
        goto out;
    }
    if (zone && !slots_zone_known(zone)) {
        pb_fail_at(b, j, "timezone", NOIDX, "unknown time zone \"%s\" (an IANA zone such as Europe/Berlin)", zone);
        goto out;
    }
    snprintf(b->zone, sizeof b->zone, "%s", zone ? zone : STORE_DEFAULT_ZONE);
    snprintf(b->source_lang, sizeof b->source_lang, "%s", src);
    char verbuf[32], now[32];
    snprintf(verbuf, sizeof verbuf, "%lld", version);
    wallclock_iso(wallclock_now(), now, sizeof now);
    const char *kv[][2] = {{"schema_version", STORE_SCHEMA_TEXT}, {"pack_id", id},         {"content_version", verbuf},
                           {"created", now},        {"demo", demo ? "1" : "0"}, {"source_language", src},
                           {"timezone", b->zone}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (pb_run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, kv[i])) goto out;
    for (size_t i = 0; i < json_array_size(langs); i++) {
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *vals[] = {json_string_value(json_array_get(langs, i)), ord};
        if (pb_run(b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, vals)) goto out;
    }
    for (size_t i = 0; i < json_array_size(holidays); i++) {
        const char *day = json_string_value(json_array_get(holidays, i));
        char hid[32];
        snprintf(hid, sizeof hid, "holiday:%s", day);
        const char *vals[] = {hid, day};
        if (pb_run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, NULL, ?2)", 2, vals)) goto out;
    }
    const char *lang;
    json_object_foreach(i18n, lang, tr) {
        const char *title;
        if (!i18n_lang_find(lang)) {
            pb_fail_at(b, i18n, lang, NOIDX, "unknown language \"%s\"", lang);
            goto out;
        }
        /* a title has no status in the database, so none is required here */
        if (pb_get_object(b, i18n, lang, NOIDX, tr_keys, 1, &tr) || (json_object_get(tr, "status") && check_status(b, tr)) ||
            pb_get_text(b, tr, "title", LIM_TITLE, 0, &title))
            goto out;
        char key[64];
        snprintf(key, sizeof key, "title:%s", lang);
        const char *vals[] = {key, title ? title : ""};
        if (pb_run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, vals)) goto out;
    }
    rc = 0;
out:
    pb_done_json(b, j);
    return rc;
}

static int load_categories(builder *b, const char *dir)
{
    static const char *const keys[] = {"id", "order", "icon", "i18n", NULL};
    static const field tr[] = {{"name", "name", LIM_CATEGORY_NAME, 1}, {"description", "description", LIM_NOTE, 0}};
    char path[PATH_MAX];
    if (fmt_fit(path, sizeof path, "%s/categories.json", dir))
        return pb_fail(b, "path too long: %s/categories.json", dir);
    json_t *j = pb_load_json(b, path);
    if (!j) return -1;
    int rc = json_is_array(j) ? 0 : pb_fail(b, "must be a list of categories");
    if (!rc && json_array_size(j) > LIM_CATEGORIES) rc = pb_fail_at(b, j, NULL, LIM_CATEGORIES, "more than %d categories", LIM_CATEGORIES);
    for (size_t i = 0; !rc && i < json_array_size(j); i++) {
        json_t *c;
        const char *id, *icon;
        long long order = 0;
        if ((rc = pb_get_object(b, j, NULL, i, keys, 1, &c)) || (rc = pb_get_id(b, c, LIM_ID, &id)) ||
            (rc = pb_get_int(b, c, "order", 0, 10000, 0, &order)) || (rc = pb_put_icon(b, c, &icon)))
            break;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(id, pb_str(json_array_get(j, k), "id"))) rc = pb_fail_at(b, c, "id", NOIDX, "\"%s\" is used twice", id);
        if (rc) break;
        char ord[24];
        snprintf(ord, sizeof ord, "%lld", order);
        const char *vals[] = {id, ord, icon};
        if ((rc = pb_run(b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, vals))) break;
        rc = put_i18n(b, c, "taxonomy_term_i18n", "term_id", id, tr, 2);
    }
    pb_done_json(b, j);
    return rc;
}

static int load_answer(builder *b, const char *qid, json_t *answers, size_t order)
{
    static const char *const keys[] = {"id", "icon", "urgent", "match", "i18n", NULL};
    static const char *const match_keys[] = {"category", "offer", "weight", NULL};
    static const field tr[] = {{"label", "label", LIM_LABEL, 1}, {"reason", "reason", LIM_REASON, 0}};
    json_t *a, *matches, *m;
    const char *aid, *icon;
    int urgent;
    if (pb_get_object(b, answers, NULL, order, keys, 1, &a) || pb_get_id(b, a, LIM_ID, &aid) || pb_put_icon(b, a, &icon) ||
        pb_get_bool(b, a, "urgent", &urgent) || pb_get_list(b, a, "match", 0, LIM_MATCHES, &matches))
        return -1;
    char id[300], ord[24];
    snprintf(id, sizeof id, "%s/%s", qid, aid);
    snprintf(ord, sizeof ord, "%zu", order);
    const char *av[] = {id, qid, ord, icon, urgent ? "1" : "0"};
    if (pb_run(b, "INSERT INTO intake_answer(id, question_id, sort_order, icon, urgent) VALUES(?1, ?2, ?3, ?4, ?5)", 5, av))
        return -1;
    if (put_i18n(b, a, "intake_answer_i18n", "answer_id", id, tr, 2)) return -1;
    for (size_t i = 0; i < json_array_size(matches); i++) {
        const char *cat, *offer;
        long long weight = 1;
        if (pb_get_object(b, matches, NULL, i, match_keys, 1, &m) || pb_get_text(b, m, "category", LIM_ID, 0, &cat) ||
            pb_get_text(b, m, "offer", LIM_ID, 0, &offer) || pb_get_int(b, m, "weight", 1, 1000, 0, &weight))
            return -1;
        if (!cat == !offer) return pb_fail_at(b, matches, NULL, i, "needs either \"category\" or \"offer\"");
        char wb[24];
        snprintf(wb, sizeof wb, "%lld", weight);
        const char *mv[] = {id, cat ? "category" : "offer", cat ? cat : offer, wb};
        if (pb_run(b, "INSERT INTO intake_match(answer_id, kind, target, weight) VALUES(?1, ?2, ?3, ?4)", 4, mv)) return -1;
    }
    return 0;
}

/* intake.json (optional): the guided questions, their answers and what each answer matches. */
static int load_intake(builder *b, const char *dir)
{
    static const char *const root_keys[] = {"questions", NULL};
    static const char *const keys[] = {"id", "icon", "i18n", "answers", NULL};
    static const field tr[] = {{"text", "text", LIM_QUESTION, 1}};
    char path[PATH_MAX];
    struct stat sb;
    if (fmt_fit(path, sizeof path, "%s/intake.json", dir)) return pb_fail(b, "path too long: %s/intake.json", dir);
    if (lstat(path, &sb) != 0 && errno == ENOENT) return 0;
    json_t *j = pb_load_json(b, path), *questions, *q, *answers;
    if (!j) return -1;
    int rc = json_is_object(j) ? 0 : pb_fail(b, "must be an object with \"questions\"");
    if (!rc) rc = pb_check_keys(b, j, root_keys) || pb_get_list(b, j, "questions", 1, LIM_QUESTIONS, &questions) ? -1 : 0;
    for (size_t i = 0; !rc && i < json_array_size(questions); i++) {
        const char *id, *icon;
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        if ((rc = pb_get_object(b, questions, NULL, i, keys, 1, &q)) || (rc = pb_get_id(b, q, LIM_ID, &id)) ||
            (rc = pb_put_icon(b, q, &icon)))
            break;
        const char *qv[] = {id, ord, icon};
        if ((rc = pb_run(b, "INSERT INTO intake_question(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, qv))) break;
        if ((rc = put_i18n(b, q, "intake_question_i18n", "question_id", id, tr, 1))) break;
        if ((rc = pb_get_list(b, q, "answers", 2, LIM_ANSWERS, &answers))) break;
        for (size_t k = 0; !rc && k < json_array_size(answers); k++) rc = load_answer(b, id, answers, k);
    }
    pb_done_json(b, j);
    return rc;
}

static int load_org(builder *b, json_t *j, const char *file_id)
{
    static const char *const keys[] = {"id", "email", "url", "phones", "i18n", "locations", NULL};
    static const char *const loc_keys[] = {"id",       "street",    "postcode", "city",   "district",
                                           "latitude", "longitude", "phones",   "i18n",   NULL};
    static const field tr[] = {{"name", "name", LIM_NAME, 1}, {"description", "description", LIM_DESCRIPTION, 0}};
    static const field loc_tr[] = {{"name", "name", LIM_NAME, 1},
                                   {"accessibility", "accessibility", LIM_NOTE, 0},
                                   {"transit", "transportation", LIM_NOTE, 0},
                                   {"city", "city", LIM_NAME, 0}}; /* the town in that language's script */
    const char *id, *email, *url;
    json_t *locs, *l;
    if (!json_is_object(j)) return pb_fail(b, "must be an object");
    if (pb_check_keys(b, j, keys) || pb_get_id(b, j, LIM_ID, &id) || get_contact(b, j, &email, &url)) return -1;
    if (strcmp(id, file_id)) return pb_fail_at(b, j, "id", NOIDX, "\"%s\" differs from the file name (%s.json)", id, file_id);
    const char *vals[] = {id, email, url};
    if (pb_run(b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, vals)) return -1;
    if (put_i18n(b, j, "organization_i18n", "organization_id", id, tr, 2)) return -1;
    if (put_phones(b, j, "organization_id", id)) return -1;
    if (pb_get_list(b, j, "locations", 0, LIM_LOCATIONS, &locs)) return -1;
    for (size_t i = 0; i < json_array_size(locs); i++) {
        const char *lid, *street, *postcode, *city, *district;
        if (pb_get_object(b, locs, NULL, i, loc_keys, 1, &l) || pb_get_id(b, l, LIM_LOCATION_ID, &lid) ||
            pb_get_text(b, l, "street", LIM_ADDRESS, 0, &street) || pb_get_text(b, l, "postcode", LIM_POSTCODE, 0, &postcode) ||
            pb_get_text(b, l, "city", LIM_ADDRESS, 0, &city) || pb_get_text(b, l, "district", LIM_ADDRESS, 0, &district))
            return -1;
        char lat[32] = "", lon[32] = "";
        const char *coord[] = {"latitude", "longitude"};
        for (int c = 0; c < 2; c++) {
            json_t *v = json_object_get(l, coord[c]);
            double lim = c ? 180 : 90;
            if (!v) continue;
            if (!json_is_number(v) || !(json_number_value(v) >= -lim && json_number_value(v) <= lim))
                return pb_fail_at(b, l, coord[c], NOIDX, "must be a number from %g to %g", -lim, lim);
            snprintf(c ? lon : lat, sizeof lat, "%.6f", json_number_value(v));
        }
        /* a place's id is global (offers name it alone): a copy in another organization is named
         * here, at this line, with the one that has it already */
        sqlite3_stmt *st = NULL;
        char owner[LIM_ID * 4 + 1] = "";
        if (sqlite3_prepare_v2(b->db, "SELECT organization_id FROM location WHERE id = ?1", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_bind_text(st, 1, lid, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            snprintf(owner, sizeof owner, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (owner[0])
            return strcmp(owner, id) ? pb_fail_at(b, l, "id", NOIDX, "location \"%s\" is defined already, in organizations/%s.json", lid, owner)
                                     : pb_fail_at(b, l, "id", NOIDX, "location \"%s\" is defined twice in this file", lid);
        const char *lv[] = {lid, id, street, postcode, city, district, lat[0] ? lat : NULL, lon[0] ? lon : NULL};
        if (pb_run(b,
                "INSERT INTO location(id, organization_id, address_1, postal_code, city, district, latitude, longitude) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                8, lv))
            return -1;
        if (put_i18n(b, l, "location_i18n", "location_id", lid, loc_tr, 4)) return -1;
        /* the place's own numbers: shown on its card, for every offer held there */
        if (put_phones(b, l, "location_id", lid)) return -1;
    }
    return 0;
}

/* One opening-hours rule, checked the way the kiosk will expand it (slots.c, ICU zones). */
static int load_schedule(builder *b, const char *id, json_t *list, size_t i)
{
    static const char *const keys[] = {"location", "freq",  "interval", "byday",        "bymonthday", "opens_at",
                                       "closes_at", "valid_from", "valid_to", "timezone", "slot_minutes", "capacity",
                                       NULL};
    json_t *v;
    const char *loc, *freq = "WEEKLY", *byday, *bymonthday, *opens, *closes, *from, *to, *zone = b->zone;
    long long interval = 1, slot = 0, cap = 0;
    if (pb_get_object(b, list, NULL, i, keys, 1, &v) || pb_get_text(b, v, "location", LIM_LOCATION_ID, 0, &loc) ||
        pb_get_text(b, v, "freq", 16, 0, &freq) || pb_get_text(b, v, "byday", 100, 0, &byday) ||
        pb_get_text(b, v, "bymonthday", 100, 0, &bymonthday) || pb_get_text(b, v, "opens_at", 8, 1, &opens) ||
        pb_get_text(b, v, "closes_at", 8, 1, &closes) || pb_date_at(b, v, "valid_from", NOIDX, &from) ||
        pb_date_at(b, v, "valid_to", NOIDX, &to) || pb_get_text(b, v, "timezone", 64, 0, &zone))
        return -1;
    if (!freq) freq = "WEEKLY";
    if (!zone) zone = b->zone;
    int monthly = !strcmp(freq, "MONTHLY");
    if (!monthly && strcmp(freq, "WEEKLY")) return pb_fail_at(b, v, "freq", NOIDX, "must be WEEKLY or MONTHLY, not \"%s\"", freq);
    if (pb_get_int(b, v, "interval", 1, monthly ? 12 : 52, 0, &interval)) return -1;
    if (byday && !pb_valid_byday(byday, monthly))
        return pb_fail_at(b, v, "byday", NOIDX, "\"%s\" is not a list of MO TU WE TH FR SA SU%s", byday,
                       monthly ? " (each may start with 1-5 or -1..-5)" : " without repeats");
    if (bymonthday && (!monthly || !pb_valid_bymonthday(bymonthday)))
        return pb_fail_at(b, v, "bymonthday", NOIDX, monthly ? "\"%s\" is not a list of days 1..31 or -1..-31"
                                                          : "\"%s\": days of the month need \"freq\": \"MONTHLY\"",
                       bymonthday);
    if (!byday && !bymonthday) return pb_fail_at(b, v, NULL, NOIDX, monthly ? "missing \"byday\" or \"bymonthday\"" : "missing \"byday\"");
    int o = pb_parse_time(opens, 0), c = pb_parse_time(closes, 1);
    if (o < 0) return pb_fail_at(b, v, "opens_at", NOIDX, "\"%s\" must be HH:MM (00:00-23:59)", opens);
    if (c < 0) return pb_fail_at(b, v, "closes_at", NOIDX, "\"%s\" must be HH:MM (00:01-24:00)", closes);
    if (c <= o) return pb_fail_at(b, v, "closes_at", NOIDX, "closes at %s, not after it opens (%s)", closes, opens);
    if (from && to && strcmp(from, to) > 0)
        return pb_fail_at(b, v, "valid_to", NOIDX, "%s is before valid_from %s", to, from);
    if (!slots_zone_known(zone)) return pb_fail_at(b, v, "timezone", NOIDX, "unknown time zone \"%s\"", zone);
    if (pb_get_int(b, v, "slot_minutes", 5, c - o, 0, &slot) || pb_get_int(b, v, "capacity", 1, 1000, 0, &cap)) return -1;
    if (!slot != !cap)
        return pb_fail_at(b, v, NULL, NOIDX, "a bookable schedule needs both slot_minutes (>= 5) and capacity (>= 1)");
    char sid[600], ord[24], iv[24], sl[24], cp[24];
    snprintf(sid, sizeof sid, "%s#%zu", id, i);
    snprintf(ord, sizeof ord, "%zu", i);
    snprintf(iv, sizeof iv, "%lld", interval);
    snprintf(sl, sizeof sl, "%lld", slot);
    snprintf(cp, sizeof cp, "%lld", cap);
    const char *sv[] = {sid, id, loc, freq, iv, byday, opens, closes, from, to, slot ? sl : NULL, cap ? cp : NULL,
                        ord, bymonthday, zone};
    return pb_run(b,
               "INSERT INTO schedule(id, service_id, location_id, freq, interval, byday, opens_at, closes_at, "
               "valid_from, valid_to, slot_minutes, capacity, sort_order, bymonthday, timezone) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
               15, sv);
}

static int load_offer(builder *b, json_t *j, const char *file_id)
{
    static const char *const keys[] = {"id",     "organization", "categories", "locations", "email", "url",
                                       "phones", "languages",    "schedules",  "closed",    "i18n",  NULL};
    static const field tr[] = {{"name", "name", LIM_NAME, 1},
                               {"summary", "summary", LIM_SUMMARY, 0},
                               {"description", "description", LIM_DESCRIPTION, 0},
                               {"eligibility", "eligibility_description", LIM_NOTE, 0},
                               {"cost", "fees_description", LIM_NOTE, 0}};
    const char *id, *org, *email, *url;
    json_t *cats, *locs, *spoken, *scheds, *closed;
    if (!json_is_object(j)) return pb_fail(b, "must be an object");
    if (pb_check_keys(b, j, keys) || pb_get_id(b, j, LIM_ID, &id)) return -1;
    if (strcmp(id, file_id)) return pb_fail_at(b, j, "id", NOIDX, "\"%s\" differs from the file name (%s.json)", id, file_id);
    if (pb_get_text(b, j, "organization", LIM_ID, 1, &org) || get_contact(b, j, &email, &url) ||
        pb_get_list(b, j, "categories", 1, LIM_CATEGORIES, &cats) || pb_check_text_list(b, cats, LIM_ID) ||
        pb_get_list(b, j, "locations", 0, LIM_LOCATIONS, &locs) || pb_check_text_list(b, locs, LIM_LOCATION_ID) ||
        pb_get_list(b, j, "languages", 0, LIM_SPOKEN, &spoken) || pb_check_text_list(b, spoken, 8) ||
        pb_get_list(b, j, "schedules", 0, LIM_SCHEDULES, &scheds) || pb_get_list(b, j, "closed", 0, LIM_DATES, &closed) ||
        pb_check_dates(b, closed))
        return -1;
    const char *vals[] = {id, org, email, url};
    if (pb_run(b, "INSERT INTO service(id, organization_id, email, url) VALUES(?1, ?2, ?3, ?4)", 4, vals)) return -1;
    if (put_i18n(b, j, "service_i18n", "service_id", id, tr, 5)) return -1;
    json_t *src = json_object_get(json_object_get(j, "i18n"), b->source_lang);
    if (!pb_str(src, "name"))
        return pb_fail_at(b, j, "i18n", NOIDX, "the source language (%s) needs a \"name\"", b->source_lang);
    size_t i;
    json_t *v;
    json_array_foreach(cats, i, v) {
        const char *cv[] = {id, json_string_value(v)};
        if (pb_run(b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, cv)) return -1;
    }
    json_array_foreach(locs, i, v) {
        char sid[600], ord[24];
        snprintf(sid, sizeof sid, "%s@%s", id, json_string_value(v));
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {sid, id, json_string_value(v), ord};
        if (pb_run(b, "INSERT INTO service_at_location(id, service_id, location_id, sort_order) VALUES(?1, ?2, ?3, ?4)", 4,
                lv))
            return -1;
    }
    json_array_foreach(spoken, i, v) {
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {id, json_string_value(v), ord};
        if (!pb_known_language_code(lv[1]))
            return pb_fail_at(b, spoken, NULL, i, "\"%s\" is not an ISO 639 language code", lv[1]);
        if (pb_run(b, "INSERT INTO language_spoken(service_id, code, sort_order) VALUES(?1, ?2, ?3)", 3, lv)) return -1;
    }
    for (i = 0; i < json_array_size(scheds); i++)
        if (load_schedule(b, id, scheds, i)) return -1;
    json_array_foreach(closed, i, v) {
        char cid[600];
        snprintf(cid, sizeof cid, "%s:%s", id, json_string_value(v));
        const char *cv[] = {cid, id, json_string_value(v)};
        if (pb_run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, ?2, ?3)", 3, cv)) return -1;
    }
    return put_phones(b, j, "service_id", id);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/*
 * Every *.json in dir/sub, sorted, through fn with the file's name without ".json" (which must
 * be the id inside). A failing readdir is an error: 0 files read must mean an empty folder.
 */
static int load_folder(builder *b, const char *dir, const char *sub, int (*fn)(builder *, json_t *, const char *))
{
    char path[PATH_MAX];
    b->file[0] = 0;
    if (fmt_fit(path, sizeof path, "%s/%s", dir, sub)) return pb_fail(b, "path too long: %s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d) return pb_fail(b, "%s: %s", path, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) rc = pb_fail(b, "%s: cannot read the folder: %s", path, strerror(errno));
            break;
        }
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        if (n == LIM_FILES) {
            rc = pb_fail(b, "%s: more than %d files", path, LIM_FILES);
            break;
        }
        char **nn = realloc(names, sizeof *nn * (n + 1));
        char *name = strdup(e->d_name);
        if (nn) names = nn;
        if (!nn || !name) {
            free(name);
            rc = pb_fail(b, "%s: out of memory", path);
            break;
        }
        names[n++] = name;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char fp[PATH_MAX];
        json_t *j = NULL;
        if (fmt_fit(fp, sizeof fp, "%s/%s", path, names[i])) pb_fail(b, "path too long: %s/%s", path, names[i]);
        else j = pb_load_json(b, fp);
        if (!j) {
            rc = -1;
            break;
        }
        names[i][strlen(names[i]) - 5] = 0;
        rc = fn(b, j, names[i]);
        pb_done_json(b, j);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int pack_build(const char *src_dir, const char *out_path, char *err, size_t errlen)
{
    builder b = {.err = err, .errlen = errlen};
    char tmp[PATH_MAX];
    /* a cut-short name would be written, and renamed over, instead of the one asked for */
    if (fmt_fit(tmp, sizeof tmp, "%s.tmp", out_path)) return pb_fail(&b, "path too long: %s.tmp", out_path);
    pb_find_pictograms(&b, src_dir);
    int rc = pb_db_begin(&b, tmp);
    if (!rc) rc = load_pack_json(&b, src_dir);
    if (!rc) rc = load_categories(&b, src_dir);
    if (!rc) rc = load_folder(&b, src_dir, "organizations", load_org);
    if (!rc) rc = load_folder(&b, src_dir, "offers", load_offer);
    if (!rc) rc = load_intake(&b, src_dir);
    if (!rc) rc = pb_check_refs(&b, src_dir);
    if (!rc) rc = pb_db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    free(b.text);
    if (rc) unlink(tmp);
    return rc;
}
