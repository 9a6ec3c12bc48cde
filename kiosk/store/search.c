/*
 * search.c: finding offers by typed text, in any script (store.h).
 *
 * The index is an FTS5 table "search" inside the content database (search_doc maps its rows to
 * offer and language): one row per offer and language, holding folded text (title = offer + provider name, body = summary, description,
 * eligibility, category names) and a Latin consonant skeleton of the title words. kiosk-pack
 * builds it; a delta never carries it (its pages differ from kiosk to kiosk), so the kiosk
 * re-indexes the offers a delta touched on the staged copy after applying it.
 *
 * Documents and queries go through the same ICU transliterators, so they meet:
 *  - fold: lower case, diacritics removed (Müller = muller), Turkish dotted and dotless i both i,
 *    Arabic-script letter variants unified (ي/ی, ك/ک, أ/ا, ة/ه) so an Arabic keyboard finds
 *    Persian text and back;
 *  - skeleton: Any-Latin, ASCII, then consonants only, similar sounds merged, so "كاريتاس",
 *    "Каритас", "ካሪታስ" and "karitas" all give "krts", like "Caritas".
 * Queries are prefix queries (each keystroke), ranked: title hits first, then hits in the
 * user's language. Queries are never stored or logged.
 */
/* the session extension's changeset reader (Debian's libsqlite3 is built with it) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "store.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct store_folder {
    UTransliterator *fold, *skel;
};

struct store_search {
    store_folder *folder;
    int has_index;
};

static const char fold_rules[] =
    ":: NFD; :: [:Nonspacing Mark:] Remove; :: Lower; :: NFC;"
    "ı > i; ß > ss; ك > ک; ي > ی; ى > ی; ة > ه; ۀ > ه; ـ > ;";

/* After Any-Latin and Latin-ASCII: keep letters, drop vowels and weak letters (Arabic script
 * writes few vowels), merge letters that scripts render differently (no p in Arabic, c as k). */
static const char skel_rules[] =
    ":: Any-Latin; :: Latin-ASCII; :: Lower;"
    "[^a-z\\u0020] > ;"
    ":: Null;"
    "sch > s; sh > s; ch > k; kh > k; ck > k; ph > f; x > ks;"
    "[aeiouyhw] > ; p > b; v > f; [cqg] > k; z > s; d > t;";

static UTransliterator *open_rules(const char *name, const char *rules, char *err, size_t errlen)
{
    UChar id[32], *r = malloc(sizeof(UChar) * (strlen(rules) + 1));
    UErrorCode e = U_ZERO_ERROR;
    UParseError pe;
    int32_t n = 0;
    if (!r) return NULL;
    u_uastrcpy(id, name);
    u_strFromUTF8(r, (int32_t)strlen(rules) + 1, &n, rules, -1, &e);
    UTransliterator *t = U_SUCCESS(e) ? utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &e) : NULL;
    free(r);
    if (U_FAILURE(e)) {
        snprintf(err, errlen, "search: ICU transliterator %s: %s (rule offset %d)", name, u_errorName(e),
                 (int)pe.offset);
        utrans_close(t);
        return NULL;
    }
    return t;
}

store_folder *store_folder_open(char *err, size_t errlen)
{
    store_folder *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->fold = open_rules("kiosk-fold", fold_rules, err, errlen);
    f->skel = f->fold ? open_rules("kiosk-skeleton", skel_rules, err, errlen) : NULL;
    if (!f->skel) {
        store_folder_close(f);
        return NULL;
    }
    return f;
}

void store_folder_close(store_folder *f)
{
    if (!f) return;
    utrans_close(f->fold);
    utrans_close(f->skel);
    free(f);
}

/* t applied to utf8; a new UTF-8 string, NULL on error (invalid UTF-8 becomes U+FFFD). */
static char *translit(UTransliterator *t, const char *utf8)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8WithSub(NULL, 0, &len, utf8, -1, 0xFFFD, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e)) return NULL;
    for (int32_t cap = len * 4 + 16;; cap *= 2) {
        UChar *u = malloc(sizeof(UChar) * (size_t)cap);
        if (!u) return NULL;
        int32_t n = 0, limit;
        e = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, cap, &n, utf8, -1, 0xFFFD, NULL, &e);
        limit = n;
        if (U_SUCCESS(e)) utrans_transUChars(t, u, &n, cap, 0, &limit, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR && cap < (1 << 24)) {
            free(u);
            continue;
        }
        char *out = NULL;
        if (U_SUCCESS(e)) {
            int32_t blen = 0;
            UErrorCode e2 = U_ZERO_ERROR;
            u_strToUTF8(NULL, 0, &blen, u, limit, &e2);
            out = malloc((size_t)blen + 1);
            e2 = U_ZERO_ERROR;
            if (out) u_strToUTF8(out, blen + 1, NULL, u, limit, &e2);
            if (out && U_FAILURE(e2)) {
                free(out);
                out = NULL;
            }
        }
        free(u);
        return out;
    }
}

char *store_fold(store_folder *f, const char *utf8) { return translit(f->fold, utf8 ? utf8 : ""); }

char *store_skeleton(store_folder *f, const char *utf8)
{
    char *folded = translit(f->fold, utf8 ? utf8 : "");
    char *s = folded ? translit(f->skel, folded) : NULL;
    free(folded);
    if (!s) return NULL;
    /* doubled letters once, words of one letter dropped: they would match everything */
    char *w = s;
    for (char *r = s; *r;) {
        while (*r == ' ') r++;
        char *start = w;
        for (; *r && *r != ' '; r++)
            if (w == start || w[-1] != *r) *w++ = *r;
        if (w - start < 2) w = start;
        else if (*r) *w++ = ' ';
    }
    while (w > s && w[-1] == ' ') w--;
    *w = 0;
    return s;
}

/* ---------- index ---------- */

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    snprintf(err, errlen, "search index: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

static char *joined(sqlite3_stmt *st, int from, int to)
{
    size_t len = 1;
    for (int i = from; i <= to; i++) len += (size_t)sqlite3_column_bytes(st, i) + 1;
    char *s = malloc(len), *p = s;
    if (!s) return NULL;
    for (int i = from; i <= to; i++) {
        const char *t = (const char *)sqlite3_column_text(st, i);
        if (!t || !*t) continue;
        size_t n = strlen(t);
        memcpy(p, t, n);
        p += n;
        *p++ = ' ';
    }
    *p = 0;
    return s;
}

/*
 * Index the active offers (all, or only those listed in temp.reindex) in every language: one
 * search_doc row and one FTS row per offer and language, ids from next_id on.
 */
static int index_docs(sqlite3 *db, store_folder *f, int only_listed, sqlite3_int64 next_id, char *err, size_t errlen)
{
    sqlite3_stmt *sel = NULL, *doc = NULL, *ins = NULL;
    int rc = -1;
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT s.service_id, s.lang, s.name, "
             " COALESCE((SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND lang=s.lang),"
             "  (SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND name IS NOT NULL"
             "   ORDER BY lang LIMIT 1)), "
             " s.summary, s.description, s.eligibility_description, "
             " (SELECT group_concat(t.name, ' ') FROM service_taxonomy x JOIN taxonomy_term_i18n t"
             "   ON t.term_id=x.term_id AND t.lang=s.lang WHERE x.service_id=v.id) "
             "FROM service_i18n s JOIN service v ON v.id=s.service_id WHERE v.status='active'%s",
             only_listed ? " AND v.id IN (SELECT id FROM temp.reindex)" : "");
    if (sqlite3_prepare_v2(db, sql, -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO search_doc(id, oid, lang) VALUES(?1, ?2, ?3)", -1, &doc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO search(rowid, title, body, skel, lang) VALUES(?1, ?2, ?3, ?4, ?5)", -1, &ins,
                           NULL) != SQLITE_OK) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    int step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        char *title = joined(sel, 2, 3), *body = joined(sel, 4, 7);
        char *ft = title ? store_fold(f, title) : NULL, *fb = body ? store_fold(f, body) : NULL;
        char *sk = title ? store_skeleton(f, title) : NULL;
        int ok = ft && fb && sk;
        if (ok) {
            sqlite3_int64 id = next_id++;
            sqlite3_bind_int64(doc, 1, id);
            sqlite3_bind_value(doc, 2, sqlite3_column_value(sel, 0));
            sqlite3_bind_value(doc, 3, sqlite3_column_value(sel, 1));
            sqlite3_bind_int64(ins, 1, id);
            sqlite3_bind_text(ins, 2, ft, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, fb, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, sk, -1, SQLITE_STATIC);
            sqlite3_bind_value(ins, 5, sqlite3_column_value(sel, 1));
            ok = sqlite3_step(doc) == SQLITE_DONE && sqlite3_step(ins) == SQLITE_DONE;
            sqlite3_reset(doc);
            sqlite3_reset(ins);
        }
        free(title);
        free(body);
        free(ft);
        free(fb);
        free(sk);
        if (!ok) {
            snprintf(err, errlen, "search index: %s", ft && fb && sk ? sqlite3_errmsg(db) : "out of memory");
            goto done;
        }
    }
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(doc);
    sqlite3_finalize(ins);
    return rc;
}

static int rebuild(sqlite3 *db, store_folder *f, char *err, size_t errlen)
{
    if (exec(db,
             "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS search_doc;"
             /* contentless, no positions: a fifth of the size of a full index, and enough for
              * prefix terms and column filters; prefix indexes keep short prefixes cheap */
             "CREATE VIRTUAL TABLE search USING fts5(title, body, skel, lang, content='', detail=column,"
             " tokenize='unicode61 remove_diacritics 0', prefix='2 3');"
             "CREATE TABLE search_doc(id INTEGER PRIMARY KEY, oid TEXT NOT NULL, lang TEXT NOT NULL);"
             "CREATE INDEX search_doc_oid ON search_doc(oid);",
             err, errlen) ||
        index_docs(db, f, 0, 1, err, errlen))
        return -1;
    return exec(db, "INSERT INTO search(search) VALUES('optimize');", err, errlen);
}

/*
 * The offers a changeset touched, into temp.reindex (offers) and temp.reindex_org (providers,
 * whose name is in every one of their offers). Returns 1 when it changed what cannot be traced to
 * a few offers (category names), 0, or -1 on a damaged changeset.
 */
static int touched(sqlite3 *db, const void *cs, int size)
{
    sqlite3_changeset_iter *it = NULL;
    sqlite3_stmt *svc = NULL, *org = NULL;
    int rc = 0;
    if (sqlite3_exec(db, "CREATE TEMP TABLE reindex(id TEXT PRIMARY KEY) WITHOUT ROWID;"
                         "CREATE TEMP TABLE reindex_org(id TEXT PRIMARY KEY) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex VALUES(?1)", -1, &svc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex_org VALUES(?1)", -1, &org, NULL) != SQLITE_OK ||
        sqlite3changeset_start(&it, size, (void *)cs) != SQLITE_OK) {
        sqlite3_finalize(svc);
        sqlite3_finalize(org);
        return -1;
    }
    while (rc == 0 && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *tab;
        int ncol, op, indirect;
        sqlite3_value *key = NULL;
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &indirect) != SQLITE_OK) {
            rc = -1;
            break;
        }
        /* the offer or provider id is the first column of each of these tables */
        int is_svc = !strcmp(tab, "service") || !strcmp(tab, "service_i18n") || !strcmp(tab, "service_taxonomy");
        int is_org = !strcmp(tab, "organization_i18n");
        if (!strcmp(tab, "taxonomy_term_i18n")) rc = 1;
        if (!is_svc && !is_org) continue;
        if ((op == SQLITE_INSERT ? sqlite3changeset_new(it, 0, &key) : sqlite3changeset_old(it, 0, &key)) != SQLITE_OK ||
            !key) {
            rc = -1;
            break;
        }
        sqlite3_stmt *st = is_svc ? svc : org;
        sqlite3_bind_value(st, 1, key);
        if (sqlite3_step(st) != SQLITE_DONE) rc = -1;
        sqlite3_reset(st);
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK && rc == 0) rc = -1;
    sqlite3_finalize(svc);
    sqlite3_finalize(org);
    if (rc == 0 && sqlite3_exec(db, "INSERT OR IGNORE INTO temp.reindex SELECT id FROM service"
                                    " WHERE organization_id IN (SELECT id FROM temp.reindex_org)",
                                NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    return rc;
}

static sqlite3_int64 single_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The index after changeset, or rebuilt whole when changeset is NULL; one transaction. */
static int reindex(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    store_folder *f = store_folder_open(err, errlen);
    int rc = -1;
    if (!f) return -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    if (exec(db, "BEGIN", err, errlen)) goto done;
    int t = changeset && single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name='search_doc_oid'") == 1
                ? touched(db, changeset, size)
                : 1; /* asked to, no index, or one from before search_doc had its index */
    if (t < 0) {
        snprintf(err, errlen, "search index: the changes cannot be read");
    } else if (t == 1) {
        rc = rebuild(db, f, err, errlen);
    } else {
        /* the FTS rows of changed offers stay behind, unreachable: a contentless table can only
         * forget a row given its old text. Their search_doc rows go, so no query finds them;
         * rows are numbered on from the highest ever used, so none comes back to life. */
        sqlite3_int64 top = single_int(db, "SELECT max(rowid) FROM search");
        rc = top < 0 || exec(db, "DELETE FROM search_doc WHERE oid IN (SELECT id FROM temp.reindex)", err, errlen) ||
                     index_docs(db, f, 1, top + 1, err, errlen)
                 ? -1
                 : 0;
        /* once a quarter of the index is dead rows, start it afresh */
        sqlite3_int64 live = single_int(db, "SELECT count(*) FROM search_doc");
        top = single_int(db, "SELECT max(rowid) FROM search");
        if (rc == 0 && live >= 0 && top - live > live / 4) rc = rebuild(db, f, err, errlen);
    }
    if (rc == 0 && exec(db, "DROP TABLE IF EXISTS temp.reindex; DROP TABLE IF EXISTS temp.reindex_org; COMMIT", err, errlen))
        rc = -1;
    if (rc) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
done:
    sqlite3_close(db);
    store_folder_close(f);
    return rc;
}

int store_search_index(const char *path, char *err, size_t errlen) { return reindex(path, NULL, 0, err, errlen); }

int store_search_refresh(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    return reindex(path, changeset, size, err, errlen);
}

/* ---------- query ---------- */

/* Append each word of text as a quoted prefix term ("w"*): FTS5 syntax never sees user input raw. */
static int add_terms(char *q, size_t cap, const char *text)
{
    size_t len = strlen(q);
    int terms = 0;
    const char *p = text;
    while (*p) {
        UChar32 c;
        int32_t i = 0, n = (int32_t)strlen(p);
        U8_NEXT(p, i, n, c);
        if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) {
            p += i;
            continue;
        }
        if (len + 4 >= cap) return -1;
        q[len++] = '"';
        while (*p) {
            i = 0;
            n = (int32_t)strlen(p);
            U8_NEXT(p, i, n, c);
            if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) break;
            if (len + (size_t)i + 4 >= cap) return -1;
            memcpy(q + len, p, (size_t)i);
            len += (size_t)i;
            p += i;
        }
        memcpy(q + len, "\"* ", 3);
        len += 3;
        terms++;
    }
    q[len] = 0;
    return terms;
}

char *store_json_strings(const char *const *v, int n)
{
    size_t cap = 3, len = 1;
    for (int i = 0; i < n; i++) cap += strlen(v[i]) * 2 + 4;
    char *json = malloc(cap);
    if (!json) return NULL;
    json[0] = '[';
    for (int i = 0; i < n; i++) {
        if (i) json[len++] = ',';
        json[len++] = '"';
        for (const unsigned char *c = (const unsigned char *)v[i]; *c; c++) {
            if (*c < 0x20) continue; /* ids never hold control characters; drop rather than escape */
            if (*c == '"' || *c == '\\') json[len++] = '\\';
            json[len++] = (char)*c;
        }
        json[len++] = '"';
    }
    json[len++] = ']';
    json[len] = 0;
    return json;
}

int store_rows_by_ids(store *s, const char *const *ids, int nids, const char *const langs[], int nlangs,
                      store_offer_row **out, int *n)
{
    /* the ids as a JSON array keep their order through one query */
    char *json = store_json_strings(ids, nids);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (json && sqlite3_prepare_v2(s->db,
                                   "SELECT " STORE_ROW_COLUMNS "FROM json_each(?1) j JOIN service v ON v.id=j.value "
                                   "ORDER BY j.key",
                                   -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
        rc = store_rows_from(s, st, langs, nlangs, out, n);
    }
    sqlite3_finalize(st);
    free(json);
    return rc;
}

void store_search_close(store *s)
{
    if (!s->search) return;
    store_folder_close(s->search->folder);
    free(s->search);
    s->search = NULL;
}

static int search_ready(store *s)
{
    if (s->search) return s->search->has_index;
    char err[200];
    s->search = calloc(1, sizeof *s->search);
    if (!s->search) return 0;
    s->search->folder = store_folder_open(err, sizeof err);
    sqlite3_stmt *st;
    if (s->search->folder &&
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_schema WHERE name='search_doc'", -1, &st, NULL) == SQLITE_OK) {
        s->search->has_index = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return s->search->has_index;
}

/*
 * Four passes, best first: title hits in the user's language, title hits in any language, text
 * hits in the user's language, any hit. Each pass reads at most a few rows in index order and
 * stops: no pass scores every match, so a two-letter prefix costs as much as a whole word.
 */
int store_search(store *s, const char *query, const char *const langs[], int nlangs, int limit, store_offer_row **out,
                 int *n)
{
    *out = NULL;
    *n = 0;
    if (!search_ready(s)) return 1;
    char *folded = store_fold(s->search->folder, query), *skel = store_skeleton(s->search->folder, query);
    char text[1024] = "", sk[1024] = "", lang[64] = "";
    int nt = folded ? add_terms(text, sizeof text, folded) : -1, ns = skel ? add_terms(sk, sizeof sk, skel) : -1;
    free(skel);
    if (nt < 0 || ns < 0) {
        free(folded);
        return -1;
    }
    /* one letter would list nearly everything: wait for the second */
    int32_t chars = 0;
    UErrorCode e = U_ZERO_ERROR;
    if (folded) u_strFromUTF8(NULL, 0, &chars, folded, -1, &e);
    free(folded);
    if (nt == 0 || chars < 2) return 0;
    if (nlangs > 0 && strlen(langs[0]) < 16 && strspn(langs[0], "abcdefghijklmnopqrstuvwxyz") == strlen(langs[0]))
        snprintf(lang, sizeof lang, " AND lang : \"%s\"", langs[0]);
    char title[2300], any[2300], expr[4][2400];
    if (ns > 0) {
        snprintf(title, sizeof title, "(title : (%s) OR skel : (%s))", text, sk);
        snprintf(any, sizeof any, "({title body} : (%s) OR skel : (%s))", text, sk);
    } else {
        snprintf(title, sizeof title, "(title : (%s))", text);
        snprintf(any, sizeof any, "({title body} : (%s))", text);
    }
    snprintf(expr[0], sizeof expr[0], "%s%s", title, lang);
    snprintf(expr[1], sizeof expr[1], "%s", title);
    snprintf(expr[2], sizeof expr[2], "%s%s", any, lang);
    snprintf(expr[3], sizeof expr[3], "%s", any);
    char **ids = calloc((size_t)limit + 1, sizeof *ids);
    int nids = 0, rc = 0;
    sqlite3_stmt *st = NULL;
    if (!ids) return -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT d.oid FROM (SELECT rowid FROM search WHERE search MATCH ?1 LIMIT ?2) f "
                           "JOIN search_doc d ON d.id=f.rowid",
                           -1, &st, NULL) != SQLITE_OK)
        rc = -1;
    for (int pass = 0; rc == 0 && pass < 4 && nids < limit; pass++) {
        if (pass == 0 || pass == 2) {
            if (!lang[0]) continue;
        }
        sqlite3_bind_text(st, 1, expr[pass], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, limit * 4);
        while (nids < limit && sqlite3_step(st) == SQLITE_ROW) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            int seen = 0;
            for (int i = 0; i < nids && !seen; i++) seen = strcmp(ids[i], id) == 0;
            if (seen) continue;
            if (!(ids[nids] = strdup(id))) rc = -1;
            else nids++;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc == 0) rc = store_rows_by_ids(s, (const char *const *)ids, nids, langs, nlangs, out, n);
    for (int i = 0; i < nids; i++) free(ids[i]);
    free(ids);
    return rc;
}
