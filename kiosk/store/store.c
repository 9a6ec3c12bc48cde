/*
 * store.c: schema, open checks and the UI's queries against the content database (store.h).
 */
#include "store.h"
#include "store_priv.h"

#include "i18n/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE language(code TEXT PRIMARY KEY, sort_order INTEGER NOT NULL);\n"
    "CREATE TABLE media(id TEXT PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL);\n"
    "CREATE TABLE organization(id TEXT PRIMARY KEY, email TEXT, url TEXT);\n"
    "CREATE TABLE organization_i18n(organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  lang TEXT NOT NULL, status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')),\n"
    "  name TEXT, description TEXT, PRIMARY KEY(organization_id, lang));\n"
    "CREATE TABLE location(id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  address_1 TEXT, postal_code TEXT, city TEXT, district TEXT, latitude REAL, longitude REAL);\n"
    "CREATE TABLE location_i18n(location_id TEXT NOT NULL REFERENCES location(id), lang TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK(status IN ('complete','machine','outdated')),\n"
    "  name TEXT, accessibility TEXT, transportation TEXT, city TEXT, PRIMARY KEY(location_id, lang));\n"
    "CREATE TABLE service(id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organization(id),\n"
    "  email TEXT, url TEXT, status TEXT NOT NULL DEFAULT 'active', bookable INTEGER NOT NULL DEFAULT 0);\n"
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
    "CREATE INDEX service_taxonomy_term ON service_taxonomy(term_id);\n"
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
    if (version != STORE_SCHEMA_VERSION) {
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

/* ---------- fallback resolution ---------- */

static int status_of(const unsigned char *s)
{
    if (!s) return STORE_COMPLETE;
    if (strcmp((const char *)s, "machine") == 0) return STORE_MACHINE;
    if (strcmp((const char *)s, "outdated") == 0) return STORE_OUTDATED;
    return STORE_COMPLETE;
}

/*
 * Rows of st are (lang, status, field...). For each field keep the text from the language that
 * comes first in langs; a language outside the chain is used only when nothing else has text.
 */
static void resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[])
{
    int best[8];
    for (int f = 0; f < nfields; f++) best[f] = 1 << 20;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        int rank = nlangs + 100;
        for (int i = 0; i < nlangs && rank > nlangs; i++) /* the first place: a chain may name a language twice */
            if (lang && strcmp(lang, langs[i]) == 0) rank = i;
        for (int f = 0; f < nfields; f++) {
            const unsigned char *t = sqlite3_column_text(st, 2 + f);
            if (!t || !t[0] || rank >= best[f]) continue;
            best[f] = rank;
            free(out[f]->text);
            out[f]->text = strdup((const char *)t);
            snprintf(out[f]->lang, sizeof out[f]->lang, "%s", lang ? lang : "");
            out[f]->status = status_of(sqlite3_column_text(st, 1));
            out[f]->fallback = rank != 0;
        }
    }
    for (int f = 0; f < nfields; f++)
        if (!out[f]->text) out[f]->text = strdup("");
    sqlite3_reset(st);
}

static void text_free(store_text *t)
{
    free(t->text);
    t->text = NULL;
}

/*
 * resolve(all) for the row id, reading first one language at a time along the chain's first
 * STORE_CHAIN_MAX languages with one (id, language) look-up each (one, where the reader's
 * language has the text), and all the translations only when some field is still without text:
 * the same result, since text in an earlier language of the chain is never beaten by a later one.
 */
static void resolve_chain(sqlite3_stmt *one, sqlite3_stmt *all, const char *id, int nfields, const char *const langs[],
                          int nlangs, store_text *out[])
{
    int left = nfields;
    sqlite3_bind_text(one, 1, id, -1, SQLITE_TRANSIENT);
    for (int i = 0; i < nlangs && i < STORE_CHAIN_MAX && left > 0; i++) {
        int seen = 0; /* a chain may name a language twice */
        for (int j = 0; j < i && !seen; j++) seen = !strcmp(langs[j], langs[i]);
        if (seen) continue;
        sqlite3_bind_text(one, 2, langs[i], -1, SQLITE_STATIC);
        if (sqlite3_step(one) == SQLITE_ROW)
            for (int f = 0; f < nfields; f++) {
                const unsigned char *t = sqlite3_column_text(one, 1 + f);
                if (out[f]->text || !t || !t[0]) continue;
                out[f]->text = strdup((const char *)t);
                snprintf(out[f]->lang, sizeof out[f]->lang, "%s", langs[i]);
                out[f]->status = status_of(sqlite3_column_text(one, 0));
                out[f]->fallback = i != 0;
                left--;
            }
        sqlite3_reset(one);
    }
    if (left == 0) return;
    for (int f = 0; f < nfields; f++) text_free(out[f]);
    sqlite3_bind_text(all, 1, id, -1, SQLITE_TRANSIENT);
    resolve(all, nfields, langs, nlangs, out);
}

void store_resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[])
{
    resolve(st, nfields, langs, nlangs, out);
}

void store_text_free(store_text *t) { text_free(t); }

/*
 * The town of a location as the reader writes it, where the pack has it in a language of the
 * reader's chain (location_i18n.city: "هايدمور", "Хайдемор"); else *city stays the address's own.
 */
void store_local_town(store *s, const char *loc, const char *const langs[], int nlangs, char **city)
{
    if (!loc || !s->loc_city) return;
    /* only the reader's chain, in its order (never a town in some other language's script) */
    for (int i = 0; i < nlangs; i++) {
        sqlite3_bind_text(s->loc_city, 1, loc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s->loc_city, 2, langs[i], -1, SQLITE_STATIC);
        const unsigned char *t = sqlite3_step(s->loc_city) == SQLITE_ROW ? sqlite3_column_text(s->loc_city, 0) : NULL;
        char *town = t && t[0] ? strdup((const char *)t) : NULL;
        sqlite3_reset(s->loc_city);
        if (town) {
            free(*city);
            *city = town;
            return;
        }
    }
}

void store_resolve_org_name(store *s, const char *org, const char *const langs[], int nlangs, store_text *name)
{
    store_text *o[] = {name};
    resolve_chain(s->org_name_chain, s->org_i18n, org, 1, langs, nlangs, o);
}

/* ---------- categories ---------- */

static int store_single(store *s, const char *sql)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/*
 * The active offers of each category, once per opened pack: they do not change with the language
 * (a new pack is a new store). Counted along the category index, less the offers that are not
 * active (usually none), instead of looking each offer up: on 5,000 offers that was 27 M
 * instructions on every change of language, the first frame's largest cost. An offer's
 * categories are written with the offer (kiosk-pack), so each row's offer exists.
 */
static int count_categories(store *s)
{
    sqlite3_stmt *st;
    /* usually every offer is active: then the index alone counts them */
    int all_active = store_single(s, "SELECT NOT EXISTS (SELECT 1 FROM service WHERE status <> 'active')") == 1;
    if (sqlite3_prepare_v2(s->db,
                           all_active ? "SELECT term_id, count(*) FROM service_taxonomy GROUP BY term_id"
                                      : "SELECT term_id, count(*) FROM service_taxonomy WHERE service_id NOT IN "
                                        "(SELECT id FROM service WHERE status <> 'active') GROUP BY term_id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = 0, cap = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (s->ncounts == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_count *nc = realloc(s->counts, sizeof *nc * (size_t)cap);
            if (!nc) {
                rc = -1;
                break;
            }
            s->counts = nc;
        }
        s->counts[s->ncounts].n = sqlite3_column_int(st, 1);
        if (!(s->counts[s->ncounts].id = store_dup_col(st, 0))) rc = -1;
        else s->ncounts++;
    }
    sqlite3_finalize(st);
    if (rc == 0 && !s->counts) s->counts = calloc(1, sizeof *s->counts); /* none: counted all the same */
    return rc == 0 && s->counts ? 0 : -1;
}

int store_category_counts(store *s, store_category *c, int n)
{
    if (!s->counts && count_categories(s)) return -1;
    for (int k = 0; k < n; k++) {
        c[k].count = 0;
        for (int i = 0; c[k].id && i < s->ncounts; i++)
            if (!strcmp(s->counts[i].id, c[k].id)) c[k].count = s->counts[i].n;
    }
    return 0;
}

static int categories(store *s, const char *const langs[], int nlangs, int counted, store_category **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st, *tr;
    if (counted && !s->counts && count_categories(s)) return -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT t.id, NULL, m.data FROM taxonomy_term t LEFT JOIN media m ON m.id=t.icon "
                           "WHERE t.parent_id IS NULL ORDER BY t.sort_order, t.id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(s->db, "SELECT lang, status, name FROM taxonomy_term_i18n WHERE term_id=?1", -1, &tr, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    int cap = 0, rc = 0;
    store_category *c = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            store_category *nc = realloc(c, sizeof *nc * (size_t)cap);
            if (!nc) { rc = -1; break; }
            c = nc;
        }
        store_category *k = &c[(*n)++];
        memset(k, 0, sizeof *k);
        k->id = store_dup_col(st, 0);
        for (int i = 0; counted && k->id && i < s->ncounts; i++)
            if (!strcmp(s->counts[i].id, k->id)) k->count = s->counts[i].n;
        int bl = sqlite3_column_bytes(st, 2);
        if (bl > 0 && (k->icon = malloc((size_t)bl)) != NULL) {
            memcpy(k->icon, sqlite3_column_blob(st, 2), (size_t)bl);
            k->icon_len = (size_t)bl;
        }
        store_text *o[] = {&k->name};
        sqlite3_bind_text(tr, 1, k->id, -1, SQLITE_STATIC);
        resolve(tr, 1, langs, nlangs, o);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(tr);
    *out = c;
    if (rc) { store_categories_free(c, *n); *out = NULL; *n = 0; }
    return rc;
}

int store_categories(store *s, const char *const langs[], int nlangs, store_category **out, int *n)
{
    return categories(s, langs, nlangs, 1, out, n);
}

int store_categories_uncounted(store *s, const char *const langs[], int nlangs, store_category **out, int *n)
{
    return categories(s, langs, nlangs, 0, out, n);
}

void store_categories_free(store_category *c, int n)
{
    for (int i = 0; i < n; i++) {
        free(c[i].id);
        text_free(&c[i].name);
        free(c[i].icon);
    }
    free(c);
}

/* ---------- offer lists ---------- */

static int row_cmp(const void *a, const void *b, void *coll)
{
    const store_offer_row *x = a, *y = b;
    int r = i18n_collate(coll, x->name.text, y->name.text);
    return r ? r : strcmp(x->id, y->id);
}

int store_offers_in_category(store *s, const char *category, const char *const langs[], int nlangs,
                             store_offer_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_ROW_COLUMNS "FROM service_taxonomy t JOIN service v ON v.id=t.service_id "
                           STORE_ROW_JOINS "WHERE t.term_id=?1 AND v.status='active'",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, category, -1, SQLITE_STATIC);
    int rc = store_rows_from(s, st, langs, nlangs, out, n);
    sqlite3_finalize(st);
    if (rc == 0 && *n > 1) {
        i18n_collator *coll = i18n_collator_open(nlangs ? langs[0] : "en");
        if (coll) qsort_r(*out, (size_t)*n, sizeof **out, row_cmp, coll);
        i18n_collator_close(coll);
    }
    return rc;
}

/* Fields from columns col.. of st (status, text...) when each has text; else nothing is taken. */
static int take_first(sqlite3_stmt *st, int col, int nfields, const char *lang, store_text *out[])
{
    for (int f = 0; f < nfields; f++) {
        const unsigned char *t = sqlite3_column_text(st, col + 1 + f);
        if (!t || !t[0]) return 0;
    }
    for (int f = 0; f < nfields; f++) {
        out[f]->text = strdup((const char *)sqlite3_column_text(st, col + 1 + f));
        snprintf(out[f]->lang, sizeof out[f]->lang, "%s", lang);
        out[f]->status = status_of(sqlite3_column_text(st, col));
        out[f]->fallback = 0;
    }
    return 1;
}

int store_rows_from(store *s, sqlite3_stmt *st, const char *const langs[], int nlangs, store_offer_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 0, rc = 0;
    store_offer_row *r = NULL;
    /* ?9 the chain's first language, ?10 the chain as ",ar,en,de," */
    size_t cl = 2;
    for (int i = 0; i < nlangs; i++) cl += strlen(langs[i]) + 1;
    char *chain = malloc(cl);
    if (!chain) return -1;
    chain[0] = ',';
    chain[1] = 0;
    for (int i = 0; i < nlangs; i++) strcat(strcat(chain, langs[i]), ",");
    if (nlangs > 0) sqlite3_bind_text(st, 9, langs[0], -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, chain, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            store_offer_row *nr = realloc(r, sizeof *nr * (size_t)cap);
            if (!nr) { rc = -1; break; }
            r = nr;
        }
        store_offer_row *k = &r[(*n)++];
        memset(k, 0, sizeof *k);
        k->id = store_dup_col(st, 0);
        k->town = store_dup_col(st, 2);
        store_local_town(s, (const char *)sqlite3_column_text(st, 5), langs, nlangs, &k->town);
        k->languages = store_dup_col(st, 3);
        k->bookable = sqlite3_column_int(st, 4);
        store_text *o[] = {&k->name, &k->summary};
        if (!nlangs || !take_first(st, 6, 2, langs[0], o))
            resolve_chain(s->svc_row_chain, s->svc_row, k->id, 2, langs, nlangs, o);
        const char *plang = (const char *)sqlite3_column_text(st, 11);
        store_text *p[] = {&k->provider};
        if (!plang || !take_first(st, 9, 1, plang, p))
            store_resolve_org_name(s, (const char *)sqlite3_column_text(st, 1), langs, nlangs, &k->provider);
        else
            k->provider.fallback = !nlangs || strcmp(plang, langs[0]) != 0;
    }
    sqlite3_clear_bindings(st);
    free(chain);
    *out = r;
    if (rc) { store_offer_rows_free(r, *n); *out = NULL; *n = 0; }
    return rc;
}

void store_offer_row_clear(store_offer_row *row)
{
    free(row->id);
    text_free(&row->name);
    text_free(&row->summary);
    text_free(&row->provider);
    free(row->town);
    free(row->languages);
    memset(row, 0, sizeof *row);
}

void store_offer_rows_free(store_offer_row *r, int n)
{
    for (int i = 0; i < n; i++) store_offer_row_clear(&r[i]);
    free(r);
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
