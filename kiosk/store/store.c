/*
 * store.c: the content database's schema, opening it (version check, pragmas, the statements the
 * other store files share), meta values, its languages, coverage and the diff against another
 * pack (store.h).
 *
 * Owns struct store's life (store_open/store_close). May not touch: text resolution (resolve.c),
 * categories (categories.c), list rows (rows.c), the search (search*.c), which own their own
 * queries; no SDL.
 */
#include "store.h"
#include "store_priv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE language(code TEXT PRIMARY KEY, sort_order INTEGER NOT NULL);\n"
    "CREATE TABLE media(id TEXT PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL);\n"
    "CREATE TABLE organization(id TEXT PRIMARY KEY, email TEXT, url TEXT);\n"
    "CREATE TABLE organization_i18n(organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  lang TEXT NOT NULL, status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')),\n"
    "  name TEXT, description TEXT, PRIMARY KEY(organization_id, lang)) WITHOUT ROWID;\n"
    "CREATE TABLE location(id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  address_1 TEXT, postal_code TEXT, city TEXT, district TEXT, latitude REAL, longitude REAL);\n"
    "CREATE TABLE location_i18n(location_id TEXT NOT NULL REFERENCES location(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')),\n"
    "  name TEXT, accessibility TEXT, transportation TEXT, city TEXT, PRIMARY KEY(location_id, lang));\n"
    "CREATE TABLE service(id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  email TEXT, url TEXT, status TEXT NOT NULL DEFAULT 'active');\n"
    "CREATE TABLE service_i18n(service_id TEXT NOT NULL REFERENCES service(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')),\n"
    "  name TEXT, summary TEXT, description TEXT, eligibility_description TEXT, fees_description TEXT,\n"
    "  PRIMARY KEY(service_id, lang));\n"
    "CREATE TABLE service_at_location(id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES service(id),\n"
    "  location_id TEXT NOT NULL REFERENCES location(id), sort_order INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE(service_id, location_id));\n"
    "CREATE TABLE phone(id TEXT PRIMARY KEY, organization_id TEXT REFERENCES organization(id),\n"
    "  service_id TEXT REFERENCES service(id), location_id TEXT REFERENCES location(id),\n"
    "  number TEXT NOT NULL, type TEXT NOT NULL DEFAULT 'voice', sort_order INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE language_spoken(service_id TEXT NOT NULL REFERENCES service(id), code TEXT NOT NULL,\n"
    "  sort_order INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(service_id, code));\n"
    /* RRULE-style fields as in HSDS; slot_minutes/capacity make a schedule bookable (booking room). */
    "CREATE TABLE schedule(id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES service(id),\n"
    "  location_id TEXT REFERENCES location(id), freq TEXT NOT NULL CHECK(freq IN ('WEEKLY','MONTHLY')),\n"
    "  interval INTEGER NOT NULL DEFAULT 1, byday TEXT, bymonthday TEXT, opens_at TEXT NOT NULL,\n"
    "  closes_at TEXT NOT NULL, dtstart TEXT, until TEXT, valid_from TEXT, valid_to TEXT,\n"
    "  timezone TEXT NOT NULL DEFAULT '" STORE_DEFAULT_ZONE "', slot_minutes INTEGER, capacity INTEGER,\n"
    "  sort_order INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE closure(id TEXT PRIMARY KEY, service_id TEXT REFERENCES service(id), date TEXT NOT NULL);\n"
    "CREATE TABLE taxonomy_term(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES taxonomy_term(id),\n"
    "  sort_order INTEGER NOT NULL DEFAULT 0, icon TEXT REFERENCES media(id));\n"
    "CREATE TABLE taxonomy_term_i18n(term_id TEXT NOT NULL REFERENCES taxonomy_term(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')), name TEXT, description TEXT,\n"
    "  PRIMARY KEY(term_id, lang));\n"
    "CREATE TABLE service_taxonomy(service_id TEXT NOT NULL REFERENCES service(id),\n"
    "  term_id TEXT NOT NULL REFERENCES taxonomy_term(id), PRIMARY KEY(service_id, term_id));\n"
    /* the guided questions (intake.c): answers point at categories or offers, with a weight */
    "CREATE TABLE intake_question(id TEXT PRIMARY KEY, sort_order INTEGER NOT NULL, icon TEXT REFERENCES media(id));\n"
    "CREATE TABLE intake_question_i18n(question_id TEXT NOT NULL REFERENCES intake_question(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')), text TEXT, PRIMARY KEY(question_id, lang));\n"
    "CREATE TABLE intake_answer(id TEXT PRIMARY KEY, question_id TEXT NOT NULL REFERENCES intake_question(id),\n"
    "  sort_order INTEGER NOT NULL, icon TEXT REFERENCES media(id), urgent INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE intake_answer_i18n(answer_id TEXT NOT NULL REFERENCES intake_answer(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')), label TEXT, reason TEXT,\n"
    "  PRIMARY KEY(answer_id, lang));\n"
    "CREATE TABLE intake_match(answer_id TEXT NOT NULL REFERENCES intake_answer(id),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('category','offer')), target TEXT NOT NULL, weight INTEGER NOT NULL DEFAULT 1,\n"
    "  PRIMARY KEY(answer_id, kind, target));\n"
    /* what lists read, derived from the tables above by store_derive (kiosk-pack writes it with
     * the rest; a delta between two built databases carries the changed rows): an offer's list row
     * and each category's count of active offers */
    "CREATE TABLE service_row(service_id TEXT PRIMARY KEY REFERENCES service(id),\n"
    "  active INTEGER NOT NULL, organization_id TEXT NOT NULL, location_id TEXT, city TEXT, languages TEXT NOT NULL,\n"
    "  bookable INTEGER NOT NULL, provider_langs TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE taxonomy_count(term_id TEXT PRIMARY KEY REFERENCES taxonomy_term(id), offers INTEGER NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "CREATE INDEX service_taxonomy_term ON service_taxonomy(term_id, service_id);\n"
    "CREATE INDEX schedule_service ON schedule(service_id);\n"
    "CREATE INDEX sal_service ON service_at_location(service_id);\n";

const char *store_schema_sql(void) { return schema_sql; }

const char *store_errmsg(store *s) { return s && s->db ? sqlite3_errmsg(s->db) : "no database"; }

char *store_dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

void store_close(store *s)
{
    if (!s) return;
    sqlite3_finalize(s->svc_i18n);
    sqlite3_finalize(s->svc_row);
    for (int i = 0; i < s->ncounts; i++) free(s->counts[i].id);
    free(s->counts);
    sqlite3_finalize(s->svc_row_chain);
    sqlite3_finalize(s->org_name_chain);
    sqlite3_finalize(s->org_i18n);
    sqlite3_finalize(s->loc_i18n);
    sqlite3_finalize(s->loc_city);
    store_search_close(s);
    sqlite3_close(s->db);
    free(s);
}

int store_setup(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : -1; }

int store_open(store **out, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return -1; }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open content database: %s", path, sqlite3_errmsg(s->db));
        store_close(s);
        return -1;
    }
    /* installed content is in WAL mode (deltas are applied in place while the kiosk reads); a
     * reader never writes the WAL back or removes it when it closes, whatever file it still holds */
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    /* a small page cache: the kiosk reads a few hundred rows per screen, and RAM is scarce */
    sqlite3_exec(s->db, "PRAGMA cache_size=-256", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    /* version 1 lacks only the derived tables: a kiosk updated before its content still shows it */
    if (version == 1 && store_derive_temp(s->db) != 0) {
        snprintf(err, errlen, "%s: content schema version 1: cannot derive its list rows: %s", path, sqlite3_errmsg(s->db));
        store_close(s);
        return -1;
    }
    if (version != STORE_SCHEMA_VERSION && version != 1) {
        if (version < 0)
            snprintf(err, errlen, "%s: not a kiosk content database", path);
        else
            snprintf(err, errlen, "%s: content schema version %d, this kiosk reads version %d", path, version,
                     STORE_SCHEMA_VERSION);
        store_close(s);
        return -1;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT lang, status, name, summary, description, eligibility_description, "
                           "fees_description FROM service_i18n WHERE service_id=?1",
                           -1, &s->svc_i18n, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT lang, status, name, summary FROM service_i18n WHERE service_id=?1", -1,
                           &s->svc_row, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT status, name, summary FROM service_i18n WHERE service_id=?1 AND lang=?2",
                           -1, &s->svc_row_chain, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT lang, status, name FROM organization_i18n WHERE organization_id=?1", -1,
                           &s->org_i18n, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT status, name FROM organization_i18n WHERE organization_id=?1 AND lang=?2",
                           -1, &s->org_name_chain, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT lang, status, name, accessibility, transportation FROM location_i18n WHERE location_id=?1",
                           -1, &s->loc_i18n, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: damaged content database: %s", path, sqlite3_errmsg(s->db));
        store_close(s);
        return -1;
    }
    /* towns in the readers' scripts came later: content built before has no location_i18n.city
     * and still opens, showing the addresses' own towns */
    if (sqlite3_prepare_v2(s->db, "SELECT city FROM location_i18n WHERE location_id=?1 AND lang=?2", -1, &s->loc_city,
                           NULL) != SQLITE_OK)
        s->loc_city = NULL;
    *out = s;
    return 0;
}

char *store_meta(store *s, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) v = store_dup_col(st, 0);
    sqlite3_finalize(st);
    return v;
}

void store_strv_free(char **v)
{
    for (int i = 0; v && v[i]; i++) free(v[i]);
    free(v);
}

char **store_languages(store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT code FROM language ORDER BY sort_order", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    int n = 0, cap = 8;
    char **v = calloc((size_t)cap + 1, sizeof *v);
    while (v && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            char **nv = realloc(v, sizeof *v * (size_t)(cap * 2 + 1));
            if (!nv) break;
            v = nv;
            cap *= 2;
        }
        v[n++] = store_dup_col(st, 0);
        v[n] = NULL;
    }
    sqlite3_finalize(st);
    return v;
}

int store_coverage(store *s, const char *lang, int *translated, int *total)
{
    sqlite3_stmt *st;
    *translated = *total = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT count(*) FROM service_i18n WHERE lang=?1 AND name IS NOT NULL), "
                           "(SELECT count(*) FROM service)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *translated = sqlite3_column_int(st, 0);
        *total = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

int store_diff(store *s, const char *other_path, int *added, int *changed, int *removed)
{
    *added = *changed = *removed = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "ATTACH ?1 AS other", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, other_path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    if (rc) return -1;
    /* an offer changed when its row, a translation, a schedule or a phone differs */
    static const char sql[] =
        "SELECT (SELECT count(*) FROM other.service WHERE id NOT IN (SELECT id FROM main.service)),"
        " (SELECT count(*) FROM main.service WHERE id NOT IN (SELECT id FROM other.service)),"
        " (SELECT count(*) FROM main.service m JOIN other.service o ON o.id=m.id WHERE"
        "   m.organization_id IS NOT o.organization_id OR m.email IS NOT o.email OR m.url IS NOT o.url"
        "   OR m.status IS NOT o.status"
        "   OR EXISTS (SELECT lang,status,name,summary,description,eligibility_description,fees_description"
        "     FROM main.service_i18n WHERE service_id=m.id EXCEPT SELECT lang,status,name,summary,description,"
        "     eligibility_description,fees_description FROM other.service_i18n WHERE service_id=m.id)"
        "   OR EXISTS (SELECT lang,status,name,summary,description,eligibility_description,fees_description"
        "     FROM other.service_i18n WHERE service_id=m.id EXCEPT SELECT lang,status,name,summary,description,"
        "     eligibility_description,fees_description FROM main.service_i18n WHERE service_id=m.id)"
        "   OR EXISTS (SELECT freq,interval,byday,opens_at,closes_at,valid_from,valid_to FROM main.schedule"
        "     WHERE service_id=m.id EXCEPT SELECT freq,interval,byday,opens_at,closes_at,valid_from,valid_to"
        "     FROM other.schedule WHERE service_id=m.id)"
        "   OR EXISTS (SELECT freq,interval,byday,opens_at,closes_at,valid_from,valid_to FROM other.schedule"
        "     WHERE service_id=m.id EXCEPT SELECT freq,interval,byday,opens_at,closes_at,valid_from,valid_to"
        "     FROM main.schedule WHERE service_id=m.id)"
        "   OR EXISTS (SELECT number FROM main.phone WHERE service_id=m.id EXCEPT"
        "     SELECT number FROM other.phone WHERE service_id=m.id)"
        "   OR EXISTS (SELECT number FROM other.phone WHERE service_id=m.id EXCEPT"
        "     SELECT number FROM main.phone WHERE service_id=m.id))";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *added = sqlite3_column_int(st, 0);
        *removed = sqlite3_column_int(st, 1);
        *changed = sqlite3_column_int(st, 2);
    } else {
        rc = -1;
    }
    sqlite3_finalize(st);
    sqlite3_exec(s->db, "DETACH other", NULL, NULL, NULL);
    return rc;
}

size_t store_path_too_long(const char *path, size_t extra, int *max)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    *max = vfs ? vfs->mxPathname : 0;
    char cwd[PATH_MAX];
    size_t n = strlen(path) + extra + (path[0] != '/' && getcwd(cwd, sizeof cwd) ? strlen(cwd) + 1 : 0);
    return vfs && n >= (size_t)vfs->mxPathname ? n : 0;
}
