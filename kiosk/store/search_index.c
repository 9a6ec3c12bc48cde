/*
 * search_index.c: the search index inside the content database (store.h), built and refreshed.
 *
 * The index lives inside the content database: an FTS5 table "search" (contentless, column
 * detail), one row per offer and language with separate, separately weighted columns (name,
 * category names, summary, description + eligibility, provider, town, a Latin consonant skeleton
 * of name, provider and categories, the reversed long words of name and categories) and one row
 * per offer for what every language shares (category and provider names in all languages,
 * towns); search_doc numbers the offers (row id = number * 32 + language, search_lang);
 * search_term is FTS5's vocabulary (fts5vocab) of the text columns, where typo candidates and the
 * halves of run-together words are looked up. kiosk-pack builds it; a delta never carries it (its
 * pages differ from kiosk to kiosk), so the kiosk re-indexes the offers a delta touched in the
 * transaction that applies it (store_search_refresh_db), their words alone added to search_term.
 *
 * Documents and queries go through the same folding (ICU), so they meet:
 *  - fold: lower case, diacritics removed (Müller = muller), Turkish dotted and dotless i both i,
 *    Arabic-script letter variants unified (ي/ی, ك/ک, أ/ا, ة/ه) so an Arabic keyboard finds
 *    Persian text and back;
 *  - skeleton: Any-Latin, ASCII, then consonants only, similar sounds merged, so "كاريتاس",
 *    "Каритас", "ካሪታስ" and "karitas" all give "krts", like "Caritas".
 * Queries run in tiers on each keystroke (store_search_page). How well they find what people
 * mean is measured by tests/search/relevance.tsv. Queries are never stored or logged.
 */
/* the session extension's changeset reader (Debian's libsqlite3 is built with it) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    snprintf(err, errlen, "search index: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

sqlite3_int64 store_single_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Folded text into the statement's parameter i (NULL text binds as empty); 0 or -1 on no memory. */
static int bind_folded(sqlite3_stmt *ins, int i, store_folder *f, const char *text, char **keep)
{
    *keep = store_fold(f, text ? text : "");
    if (!*keep) return -1;
    sqlite3_bind_text(ins, i, *keep, -1, SQLITE_STATIC);
    return 0;
}

/*
 * Index the active offers (all, or only those listed in temp.reindex): one document per offer and
 * language (name, category names, summary, description + eligibility, provider; the skeleton of
 * name, provider and categories; the reversed words of name and categories), and one per offer
 * holding what is the same in every language's eyes (lang "*": category and provider names in all
 * languages, towns), so a topic typed in any language reaches offers not translated into it.
 * Each offer gets a search_doc number from next on; its documents' FTS row ids are that number
 * times 32 plus their language's number in search_lang (0 for "*"), so an offer's documents lie
 * side by side and a row id alone says which offer and language it is.
 */
static int index_docs(sqlite3 *db, store_folder *f, int only_listed, sqlite3_int64 next, char *err, size_t errlen)
{
    sqlite3_stmt *sel = NULL, *ins = NULL, *ins_new = NULL;
    int rc = -1;
    char sql[2600];
    const char *only = only_listed ? " AND v.id IN (SELECT id FROM temp.reindex)" : "";
    /* a new language can only come with the offers re-indexed: no scan of every translation */
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO search_lang(li, code) SELECT NULL, lang FROM"
             " (SELECT DISTINCT lang FROM service_i18n%s ORDER BY lang);"
             "INSERT INTO search_doc(id, oid) SELECT %lld + row_number() OVER (ORDER BY v.id) - 1, v.id"
             " FROM service v WHERE v.status='active'%s;",
             only_listed ? " WHERE service_id IN (SELECT id FROM temp.reindex)" : "", (long long)next, only);
    if (exec(db, sql, err, errlen)) return -1;
    if (store_single_int(db, "SELECT max(li) FROM search_lang") > 31) {
        snprintf(err, errlen, "search index: more than 31 languages");
        return -1;
    }
    snprintf(sql, sizeof sql,
             "SELECT d.id * 32 + g.li, s.lang, s.name, "
             " (SELECT group_concat(t.name, ' ') FROM service_taxonomy x JOIN taxonomy_term_i18n t"
             "   ON t.term_id=x.term_id AND t.lang=s.lang WHERE x.service_id=v.id), "
             " s.summary, coalesce(s.description, '') || ' ' || coalesce(s.eligibility_description, ''), "
             " COALESCE((SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND lang=s.lang),"
             "  (SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND name IS NOT NULL"
             "   ORDER BY lang LIMIT 1)), NULL "
             "FROM service_i18n s JOIN service v ON v.id=s.service_id JOIN search_doc d ON d.oid=v.id "
             " JOIN search_lang g ON g.code=s.lang WHERE v.status='active'%s "
             "UNION ALL "
             "SELECT d.id * 32, '*', NULL, "
             " (SELECT group_concat(t.name, ' ') FROM service_taxonomy x JOIN taxonomy_term_i18n t"
             "   ON t.term_id=x.term_id WHERE x.service_id=v.id), NULL, NULL, "
             " (SELECT group_concat(name, ' ') FROM organization_i18n WHERE organization_id=v.organization_id), "
             " (SELECT group_concat(l.city, ' ') FROM service_at_location a JOIN location l ON l.id=a.location_id"
             "   WHERE a.service_id=v.id) "
             "FROM service v JOIN search_doc d ON d.oid=v.id WHERE v.status='active'%s",
             only, only);
    if (sqlite3_prepare_v2(db, sql, -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO search(rowid, name, cat, summary, descr, provider, town, skel, rev, lang)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           -1, &ins, NULL) != SQLITE_OK ||
        /* re-indexed offers' words also go to temp.search_new, whose vocabulary is then only theirs */
        (only_listed && sqlite3_prepare_v2(db,
                                           "INSERT INTO temp.search_new(name, cat, summary, descr, provider, town)"
                                           " VALUES(?2, ?3, ?4, ?5, ?6, ?7)",
                                           -1, &ins_new, NULL) != SQLITE_OK)) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    int step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        char *keep[6] = {0}, *sk = NULL, *rv = NULL, *titles = NULL, *name_cat = NULL;
        int ok = 1;
        for (int c = 0; c < 6 && ok; c++) ok = bind_folded(ins, c + 2, f, (const char *)sqlite3_column_text(sel, c + 2), &keep[c]) == 0;
        if (ok) {
            size_t a = strlen(keep[0]), b = strlen(keep[1]), c = strlen(keep[4]);
            titles = malloc(a + b + c + 3);
            name_cat = malloc(a + b + 2);
            if (titles && name_cat) {
                snprintf(titles, a + b + c + 3, "%s %s %s", keep[0], keep[4], keep[1]);
                snprintf(name_cat, a + b + 2, "%s %s", keep[0], keep[1]);
                sk = store_skeleton(f, titles);
                rv = store_reversed_words(name_cat);
            }
            ok = sk && rv;
        }
        if (ok) {
            sqlite3_bind_value(ins, 1, sqlite3_column_value(sel, 0));
            sqlite3_bind_text(ins, 8, sk, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 9, rv, -1, SQLITE_STATIC);
            sqlite3_bind_value(ins, 10, sqlite3_column_value(sel, 1));
            ok = sqlite3_step(ins) == SQLITE_DONE;
            if (ok && ins_new) {
                for (int c = 0; c < 6; c++) sqlite3_bind_text(ins_new, c + 2, keep[c], -1, SQLITE_STATIC);
                ok = sqlite3_step(ins_new) == SQLITE_DONE;
                sqlite3_reset(ins_new);
            }
            if (!ok) snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
            sqlite3_reset(ins);
        } else {
            snprintf(err, errlen, "search index: out of memory");
        }
        for (int c = 0; c < 6; c++) free(keep[c]);
        free(sk);
        free(rv);
        free(titles);
        free(name_cat);
        if (!ok) goto done;
    }
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_new);
    return rc;
}

/* The words of the text columns, for typo candidates and compound splits (FTS5's own vocabulary). */
static int vocabulary(sqlite3 *db, char *err, size_t errlen)
{
    return exec(db,
                "CREATE TABLE IF NOT EXISTS search_term(term TEXT PRIMARY KEY) WITHOUT ROWID;"
                "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search, col);"
                "INSERT OR IGNORE INTO search_term SELECT term FROM temp.search_vocab"
                " WHERE col IN ('name', 'cat', 'summary', 'descr', 'provider', 'town');"
                "DROP TABLE temp.search_vocab;",
                err, errlen);
}

/* The words of the offers just re-indexed (temp.search_new) into search_term: reading the whole
 * index's vocabulary would take longer than the rest of a small delta. */
static int vocabulary_new(sqlite3 *db, char *err, size_t errlen)
{
    return exec(db,
                "CREATE VIRTUAL TABLE temp.search_new_vocab USING fts5vocab(temp, search_new, row);"
                "INSERT OR IGNORE INTO search_term SELECT term FROM temp.search_new_vocab;"
                "DROP TABLE temp.search_new_vocab; DROP TABLE temp.search_new;",
                err, errlen);
}

static int rebuild(sqlite3 *db, store_folder *f, char *err, size_t errlen)
{
    if (exec(db,
             "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS search_doc; DROP TABLE IF EXISTS search_term;"
             /* contentless, no positions: a fifth of the size of a full index, and enough for
              * prefix terms, column filters and the column lists kiosk_rank reads; prefix
              * indexes keep word starts of up to four letters cheap on every keystroke */
             "CREATE VIRTUAL TABLE search USING fts5(name, cat, summary, descr, provider, town, skel, rev, lang,"
             " content='', detail=column, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');"
             "DROP TABLE IF EXISTS search_lang;"
             "CREATE TABLE search_doc(id INTEGER PRIMARY KEY, oid TEXT NOT NULL);"
             "CREATE INDEX search_doc_oid ON search_doc(oid);"
             "CREATE TABLE search_lang(li INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
             "INSERT INTO search_lang VALUES(0, '*');",
             err, errlen) ||
        index_docs(db, f, 0, 1, err, errlen) || exec(db, "INSERT INTO search(search) VALUES('optimize');", err, errlen))
        return -1;
    return vocabulary(db, err, errlen);
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


/* The index after changeset (or rebuilt whole when changeset is NULL) on db, inside the caller's
 * transaction. */
static int reindex_in(sqlite3 *db, const void *changeset, int size, char *err, size_t errlen)
{
    store_folder *f = store_folder_open(err, errlen);
    int rc = -1;
    if (!f) return -1;
    int t = changeset && store_single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('search_doc_oid', 'search_term', 'search_lang')") == 3
                ? touched(db, changeset, size)
                : 1; /* asked to, no index, or one from before search_doc had its index */
    if (t < 0) {
        snprintf(err, errlen, "search index: the changes cannot be read");
    } else if (t == 1) {
        rc = rebuild(db, f, err, errlen);
    } else {
        /* the FTS rows of changed offers stay behind, unreachable: a contentless table can only
         * forget a row given its old text. Their search_doc rows go, so no query finds them;
         * offers are numbered on from the highest ever used, so none comes back to life. */
        sqlite3_int64 top = store_single_int(db, "SELECT coalesce(max(rowid), 0) >> 5 FROM search");
        rc = top < 0 || exec(db, "DELETE FROM search_doc WHERE oid IN (SELECT id FROM temp.reindex);"
                                 "CREATE VIRTUAL TABLE temp.search_new USING fts5(name, cat, summary, descr, provider,"
                                 " town, content='', detail=none, tokenize='unicode61 remove_diacritics 0');",
                             err, errlen) ||
                     index_docs(db, f, 1, top + 1, err, errlen) || vocabulary_new(db, err, errlen)
                 ? -1
                 : 0;
        /* once a quarter of the index is dead offers, start it afresh */
        sqlite3_int64 live = store_single_int(db, "SELECT count(*) FROM search_doc");
        top = store_single_int(db, "SELECT coalesce(max(rowid), 0) >> 5 FROM search");
        if (rc == 0 && live >= 0 && top - live > live / 4) rc = rebuild(db, f, err, errlen);
    }
    if (rc == 0 && exec(db, "DROP TABLE IF EXISTS temp.reindex; DROP TABLE IF EXISTS temp.reindex_org", err, errlen))
        rc = -1;
    store_folder_close(f);
    return rc;
}

/* reindex_in on the database at path, in a transaction of its own. */
static int reindex(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
    } else if (!exec(db, "BEGIN", err, errlen)) {
        rc = reindex_in(db, changeset, size, err, errlen);
        if (rc == 0 && exec(db, "COMMIT", err, errlen)) rc = -1;
        if (rc) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

int store_search_index(const char *path, char *err, size_t errlen) { return reindex(path, NULL, 0, err, errlen); }

int store_search_refresh(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    return reindex(path, changeset, size, err, errlen);
}

int store_search_refresh_db(struct sqlite3 *db, const void *changeset, int size, char *err, size_t errlen)
{
    return reindex_in(db, changeset, size, err, errlen);
}
