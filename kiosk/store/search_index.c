/*
 * search_index.c: the search index inside the content database (store.h), built and refreshed:
 * its tables made, what a delta touched found in its changeset, the re-index run in the caller's
 * transaction. The documents are put together in search_docs.c, the words for search_term split
 * in search_terms.c.
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
 * transaction that applies it (store_search_refresh_db), their words alone added to search_term
 * (split by FTS5's own tokenizer). Those documents go to search_new, a side FTS table of the same
 * columns without prefix indexes, which queries read beside the main one: inserting into the big
 * table wrote its four prefix indexes too (143 of a 1 % delta's 387 pages, and a quarter of its
 * instructions); a word start in the few documents of search_new is found without them. A full
 * index (every full pack, or once a quarter of the offers are dead) leaves it empty.
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

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_index_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    snprintf(err, errlen, "search index: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

long long store_single_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* the side table: see the head of this file */
#define SEARCH_NEW_COLS " search_new USING fts5(name, cat, summary, descr, provider, town, skel, rev, lang," \
    " content='', detail=column, tokenize='unicode61 remove_diacritics 0');"
#define SKEL_COLS "(h INTEGER PRIMARY KEY, n INTEGER NOT NULL, skel TEXT NOT NULL);"
/* search_new never merges its segments as it goes: FTS5's automerge (4 segments a level) ran on
 * the flush of every delta's documents, inside the switch, rewriting what earlier deltas wrote
 * (the 4th and 5th 1 % delta in a row: 45 and 91 M instructions, 130 and 310 more pages). Each
 * delta adds one small segment; crisismerge (16 a level) still bounds them, and a full index
 * (at the latest once a quarter of the offers are dead) empties the table. Set by the delta, not
 * in the pack: kiosks from before compare a pack's FTS5 settings exactly. */
#define SEARCH_NEW_NO_AUTOMERGE "INSERT INTO search_new(search_new, rank) VALUES('automerge', 0);"

/* The words of the text columns, for typo candidates and compound splits (FTS5's own vocabulary). */
static int vocabulary(sqlite3 *db, char *err, size_t errlen)
{
    return store_index_exec(db,
                "CREATE TABLE IF NOT EXISTS search_term(term TEXT PRIMARY KEY) WITHOUT ROWID;"
                "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search, col);"
                "INSERT OR IGNORE INTO search_term SELECT term FROM temp.search_vocab"
                " WHERE col IN ('name', 'cat', 'summary', 'descr', 'provider', 'town');"
                "DROP TABLE temp.search_vocab;",
                err, errlen);
}

static int rebuild(sqlite3 *db, store_folder *f, char *err, size_t errlen)
{
    if (store_index_exec(db,
             "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS search_doc; DROP TABLE IF EXISTS search_term;"
             /* contentless, no positions: a fifth of the size of a full index, and enough for
              * prefix terms, column filters and the column lists kiosk_rank reads; prefix
              * indexes keep word starts of up to four letters cheap on every keystroke */
             "CREATE VIRTUAL TABLE search USING fts5(name, cat, summary, descr, provider, town, skel, rev, lang,"
             " content='', detail=column, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');"
             "DROP TABLE IF EXISTS search_new; CREATE VIRTUAL TABLE" SEARCH_NEW_COLS
             "DROP TABLE IF EXISTS search_lang;"
             /* the skeletons made before, to start from; only those used again are kept */
             "DROP TABLE IF EXISTS search_skel_old;"
             "CREATE TABLE IF NOT EXISTS search_skel" SKEL_COLS
             "ALTER TABLE search_skel RENAME TO search_skel_old;"
             "CREATE TABLE search_skel" SKEL_COLS
             "CREATE TABLE search_doc(id INTEGER PRIMARY KEY, oid TEXT NOT NULL);"
             "CREATE INDEX search_doc_oid ON search_doc(oid);"
             "CREATE TABLE search_lang(li INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
             "INSERT INTO search_lang VALUES(0, '*');",
             err, errlen) ||
        store_index_docs(db, f, NULL, 1, err, errlen) ||
        store_index_exec(db, "DROP TABLE search_skel_old; INSERT INTO search(search) VALUES('optimize');", err, errlen))
        return -1;
    return vocabulary(db, err, errlen);
}

/* The text columns of a document as bits, for what a change may bring new words to. */
enum { W_NAME = 1, W_CAT = 2, W_SUMMARY = 4, W_DESCR = 8, W_PROVIDER = 16, W_TOWN = 32, W_ALL = 63 };

/* The columns of service_i18n whose change changes a document's words: W_ bits by column number. */
static int i18n_columns(sqlite3 *db, int bits[16])
{
    sqlite3_stmt *st = NULL;
    memset(bits, 0, sizeof(int) * 16);
    if (sqlite3_prepare_v2(db, "SELECT cid, name FROM pragma_table_info('service_i18n')", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int c = sqlite3_column_int(st, 0);
        const char *n = (const char *)sqlite3_column_text(st, 1);
        if (c < 0 || c >= 16 || !n) continue;
        bits[c] = !strcmp(n, "name") ? W_NAME : !strcmp(n, "summary") ? W_SUMMARY
                : !strcmp(n, "description") || !strcmp(n, "eligibility_description") ? W_DESCR : 0;
    }
    sqlite3_finalize(st);
    return 0;
}

/* The W_ bits of the document columns whose words one changeset row may make new, for
 * store_index_docs to split whole; an update of an offer's text gives its changed words to ts itself.
 * -1 when they could not be split. */
static int new_words(sqlite3_changeset_iter *it, const char *tab, int ncol, int op, const int i18n[16], termset *ts,
                     store_folder *f)
{
    if (op == SQLITE_DELETE) return 0; /* a removed document brings no word */
    if (!strcmp(tab, "service_taxonomy")) return W_CAT;
    if (!strcmp(tab, "organization_i18n")) return W_PROVIDER;
    if (strcmp(tab, "service_i18n") != 0 || op == SQLITE_INSERT) return W_ALL; /* a new document, or the offer's row */
    for (int c = 0; c < ncol && c < 16; c++) {
        sqlite3_value *v = NULL, *was = NULL;
        if (i18n[c] && sqlite3changeset_new(it, c, &v) == SQLITE_OK && v &&
            (sqlite3changeset_old(it, c, &was) != SQLITE_OK || store_terms_changed(ts, f, was, v) != 0))
            return -1;
    }
    return 0;
}

/*
 * The offers a changeset touched, into temp.reindex (offers, with the W_ bits of the columns
 * whose words may be new: the others' are in search_term already), temp.reindex_org (providers,
 * whose name is in every one of their offers) and temp.reindex_loc (places, whose towns are in
 * every offer held there). Returns 1 when it changed what cannot be traced to a few offers
 * (category names), 0, or -1 on a damaged changeset.
 */
typedef struct offer_words {
    char *id;
    int len, bits;
} offer_words;

static int offer_words_cmp(const void *a, const void *b)
{
    const offer_words *x = a, *y = b;
    int c = memcmp(x->id, y->id, (size_t)(x->len < y->len ? x->len : y->len));
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The offers' rows gathered in C, sorted, and each offer upserted into temp.reindex once: a 1 %
 * delta's 800 rows name 50 offers (an upsert a row cost 5 M instructions). */
static int reindex_offers(sqlite3_stmt *svc, offer_words *ow, size_t n)
{
    int rc = 0;
    if (n == 0) return 0; /* a delta of other tables: ow is NULL, which qsort must not get */
    qsort(ow, n, sizeof *ow, offer_words_cmp);
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t j = i;
        int bits = 0;
        while (j < n && offer_words_cmp(&ow[i], &ow[j]) == 0) bits |= ow[j++].bits;
        sqlite3_bind_text(svc, 1, ow[i].id, ow[i].len, SQLITE_STATIC);
        sqlite3_bind_int(svc, 2, bits);
        if (sqlite3_step(svc) != SQLITE_DONE) rc = -1;
        sqlite3_reset(svc);
        i = j;
    }
    return rc;
}

static int touched(sqlite3 *db, const void *cs, int size, termset *words, store_folder *f)
{
    sqlite3_changeset_iter *it = NULL;
    sqlite3_stmt *svc = NULL, *org = NULL, *loc = NULL;
    int rc = 0, i18n[16], orgs = 0, locs = 0;
    offer_words *ow = NULL;
    size_t now = 0, owcap = 0;
    if (i18n_columns(db, i18n) != 0 ||
        sqlite3_exec(db, "CREATE TEMP TABLE reindex(id TEXT PRIMARY KEY, words INTEGER NOT NULL) WITHOUT ROWID;"
                         "CREATE TEMP TABLE reindex_org(id TEXT PRIMARY KEY) WITHOUT ROWID;"
                         "CREATE TEMP TABLE reindex_loc(id TEXT PRIMARY KEY) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO temp.reindex VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE SET words = words | ?2",
                           -1, &svc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex_org VALUES(?1)", -1, &org, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex_loc VALUES(?1)", -1, &loc, NULL) != SQLITE_OK ||
        sqlite3changeset_start(&it, size, (void *)cs) != SQLITE_OK) {
        sqlite3_finalize(svc);
        sqlite3_finalize(org);
        sqlite3_finalize(loc);
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
        int is_loc = !strcmp(tab, "location") || !strcmp(tab, "location_i18n");
        /* an offer held at another place: the row's second column is the offer, there in an
         * insert or delete; an update need not carry it, and is rare: index afresh */
        int col = !strcmp(tab, "service_at_location") ? 1 : 0;
        if (col && op == SQLITE_UPDATE) {
            rc = 1;
            break;
        }
        if (!strcmp(tab, "taxonomy_term_i18n")) rc = 1;
        if (!is_svc && !is_org && !is_loc && !col) continue;
        if ((op == SQLITE_INSERT ? sqlite3changeset_new(it, col, &key) : sqlite3changeset_old(it, col, &key)) != SQLITE_OK ||
            !key) {
            rc = -1;
            break;
        }
        if (is_svc || col) {
            const char *id = (const char *)sqlite3_value_text(key);
            offer_words *more = now < owcap ? ow : realloc(ow, sizeof *ow * (owcap = owcap ? owcap * 2 : 256));
            char *copy = id ? malloc((size_t)sqlite3_value_bytes(key) + 1) : NULL;
            if (!more || !copy) {
                free(copy);
                rc = -1;
                break;
            }
            ow = more;
            memcpy(copy, id, (size_t)sqlite3_value_bytes(key) + 1);
            /* an offer at a new place may have a new town */
            int bits = is_svc ? new_words(it, tab, ncol, op, i18n, words, f) : op == SQLITE_DELETE ? 0 : W_TOWN;
            ow[now++] = (offer_words){copy, sqlite3_value_bytes(key), bits < 0 ? 0 : bits};
            if (bits < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        sqlite3_stmt *st = is_org ? org : loc;
        orgs += is_org;
        locs += !is_org;
        sqlite3_bind_value(st, 1, key);
        if (sqlite3_step(st) != SQLITE_DONE) rc = -1;
        sqlite3_reset(st);
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK && rc == 0) rc = -1;
    if (rc == 0) rc = reindex_offers(svc, ow, now);
    for (size_t i = 0; i < now; i++) free(ow[i].id);
    free(ow);
    sqlite3_finalize(svc);
    sqlite3_finalize(org);
    sqlite3_finalize(loc);
    /* the offers of changed providers and places: each statement scans a table, so only when needed */
    if (rc == 0 && orgs && sqlite3_exec(db, "INSERT INTO temp.reindex SELECT id, 16 FROM service"
                                            " WHERE organization_id IN (SELECT id FROM temp.reindex_org)"
                                            " ON CONFLICT(id) DO UPDATE SET words = words | 16",
                                        NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    if (rc == 0 && locs && sqlite3_exec(db, "INSERT INTO temp.reindex SELECT DISTINCT service_id, 32 FROM service_at_location"
                                            " WHERE location_id IN (SELECT id FROM temp.reindex_loc)"
                                            " ON CONFLICT(id) DO UPDATE SET words = words | 32",
                                        NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    return rc;
}


/* The highest offer number either FTS table holds (row ids in descending order: no scan). */
#define TOP_OFFER "SELECT max(coalesce((SELECT rowid FROM search ORDER BY rowid DESC LIMIT 1), 0)," \
    " coalesce((SELECT rowid FROM search_new ORDER BY rowid DESC LIMIT 1), 0)) >> 5"

/* The offers with documents in search_new numbered at most as high as the main table's (their
 * rows there are hidden), -1 on error: search_new's row ids in order, an offer's side by side,
 * counted where the number changes. count(DISTINCT id >> 5) shifted every row id and sorted them
 * in a temporary b-tree, 900 instructions a document: 3.9 M after five 1 % deltas, growing with
 * each. */
static sqlite3_int64 hidden_offers(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 n = 0, last = -1;
    /* the highest number's last possible row id: its low five bits (the language) all set */
    if (sqlite3_prepare_v2(db, "SELECT id >> 5 FROM search_new_docsize WHERE id <="
                               " (coalesce((SELECT rowid FROM search ORDER BY rowid DESC LIMIT 1), 0) | 31) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 o = sqlite3_column_int64(st, 0);
        n += o != last;
        last = o;
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? n : -1;
}

/* The index after changeset (or rebuilt whole when changeset is NULL) on db, inside the caller's
 * transaction. */
static int reindex_in(sqlite3 *db, const void *changeset, int size, char *err, size_t errlen)
{
    store_folder *f = store_folder_open(err, errlen);
    int rc = -1;
    if (!f) return -1;
    termset words;
    if (store_terms_open(db, &words) != 0) {
        snprintf(err, errlen, "search index: cannot split words");
        store_terms_close(&words);
        store_folder_close(f);
        return -1;
    }
    int t = changeset && store_single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('search_doc_oid', 'search_term', 'search_lang')") == 3
                ? touched(db, changeset, size, &words, f)
                : 1; /* asked to, no index, or one from before search_doc had its index */
    if (t < 0) {
        snprintf(err, errlen, "search index: the changes cannot be read");
    } else if (t == 1) {
        rc = rebuild(db, f, err, errlen);
    } else {
        /* The FTS rows of changed offers stay behind: a contentless table can only forget a row
         * given its old text. An offer keeps its number, and its documents in search_new hide
         * its rows in the main table from queries (search.c): renumbering it rewrote nearly all
         * of search_doc and its index (47 of a 1 % delta's 298 pages). An offer gone, or one
         * whose number has documents in search_new already (which could not be told from the new
         * ones), loses its search_doc row, so no query finds it; offers are numbered on from the
         * highest ever used, so none comes back to life. */
        /* content from packs made before search_new starts one */
        sqlite3_int64 top = store_index_exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS" SEARCH_NEW_COLS, err, errlen) ? -1
                            : store_single_int(db, TOP_OFFER);
        /* once per full index (FTS5 keeps it in search_new_config) */
        if (top >= 0 && store_single_int(db, "SELECT count(*) FROM search_new_config WHERE k='automerge' AND v=0") != 1 &&
            store_index_exec(db, SEARCH_NEW_NO_AUTOMERGE, err, errlen))
            top = -1;
        /* content from packs made before search_skel starts one */
        rc = top < 0 ||
                     store_index_exec(db, "DELETE FROM search_doc WHERE oid IN (SELECT r.id FROM temp.reindex r WHERE NOT EXISTS"
                              " (SELECT 1 FROM service v WHERE v.id=r.id AND v.status='active'));"
                              "DELETE FROM search_doc WHERE oid IN (SELECT id FROM temp.reindex) AND EXISTS (SELECT 1 FROM"
                              " search_new_docsize s WHERE s.id BETWEEN search_doc.id * 32 AND search_doc.id * 32 + 31);"
                              "CREATE TABLE IF NOT EXISTS search_skel" SKEL_COLS, err, errlen) ||
                     store_index_docs(db, f, &words, top + 1, err, errlen) || store_terms_store(db, &words, err, errlen)
                 ? -1
                 : 0;
        /* once a quarter of the index is dead offers (numbers no longer used, and offers whose
         * main rows search_new hides), start it afresh */
        sqlite3_int64 live = store_single_int(db, "SELECT count(*) FROM search_doc");
        sqlite3_int64 hidden = hidden_offers(db);
        top = store_single_int(db, TOP_OFFER);
        if (rc == 0 && live >= 0 && hidden >= 0 && top - live + hidden > live / 4) rc = rebuild(db, f, err, errlen);
    }
    store_terms_close(&words);
    if (rc == 0 && store_index_exec(db, "DROP TABLE IF EXISTS temp.reindex; DROP TABLE IF EXISTS temp.reindex_org;"
                            " DROP TABLE IF EXISTS temp.reindex_loc", err, errlen))
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
    } else if (!store_index_exec(db, "BEGIN", err, errlen)) {
        rc = reindex_in(db, changeset, size, err, errlen);
        if (rc == 0 && store_index_exec(db, "COMMIT", err, errlen)) rc = -1;
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
