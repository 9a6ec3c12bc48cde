/*
 * install_check.c: what a pack must pass before it is installed (install.h): the payload has
 * exactly the kiosk's schema, a delta changes content rows only (and the offers it touches are
 * counted for staff), the clock and the publication agree; and pack_verify, which runs all of it
 * without installing. Firmware.
 */
#include "install.h"
#include "install_priv.h"
#include "pack_priv.h"

#include "platform/job.h"
#include "store/store.h"

/* Debian's SQLite is built with the session extension; these expose its declarations. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The schema this kiosk reads, made the way pack_build makes it (store_schema_sql and the search
 * index), in a scratch database at path: the reference a payload's sqlite_master must equal.
 */
static int expected_schema(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    unlink(path);
    int ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK &&
             sqlite3_exec(db, store_schema_sql(), NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    char ierr[256] = "";
    if (ok && store_search_index(path, ierr, sizeof ierr) != 0) ok = 0;
    if (!ok) pack_fail(err, errlen, PACK_ERR_IO, "cannot make the reference schema %s", ierr);
    return ok ? PACK_OK : PACK_ERR_IO;
}

/*
 * The number of columns table tab has in the schema this kiosk reads, 0 when it has no such
 * content table: its one CREATE TABLE statement of store_schema_sql made in db (an empty database
 * in memory) and its columns counted there. A delta touches a few tables: making the whole
 * reference schema for them cost 6.7 M instructions, 3 % of applying a 1 % delta.
 */
/* The columns of tab in db, 0 when it has none there. */
static int columns_in(sqlite3 *db, const char *tab)
{
    sqlite3_stmt *cols = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?1)", -1, &cols, NULL) == SQLITE_OK &&
        sqlite3_bind_text(cols, 1, tab, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(cols) == SQLITE_ROW)
        n = sqlite3_column_int(cols, 0);
    sqlite3_finalize(cols);
    return n;
}

/* The statement of store_schema_sql that creates table tab, from "CREATE TABLE" to its ';'
 * (caller frees); NULL when there is none. */
static char *create_statement(const char *tab)
{
    static const char create[] = "CREATE TABLE ";
    size_t n = strlen(tab);
    /* the kiosk's tables are named so: another name cannot reach into the schema's text */
    if (n == 0 || tab[strspn(tab, "abcdefghijklmnopqrstuvwxyz0123456789_")]) return NULL;
    for (const char *at = strstr(store_schema_sql(), create); at; at = strstr(at + 1, create)) {
        const char *name = at + sizeof create - 1, *after = name + n;
        while (*after == ' ') after++;
        if (strncmp(name, tab, n) != 0 || *after != '(') continue;
        const char *end = strchr(after, ';');
        return end ? strndup(at, (size_t)(end - at + 1)) : NULL;
    }
    return NULL;
}

/*
 * The number of columns table tab has in the schema this kiosk reads, 0 when it has no such
 * content table: its one CREATE TABLE statement of store_schema_sql made in db (an empty database
 * in memory, once) and its columns counted there. A delta touches a few tables: making the whole
 * reference schema for them cost 6.7 M instructions, 3 % of applying a 1 % delta. Whatever does
 * not read as one such statement counts 0, and the delta is refused.
 */
static int expected_columns(sqlite3 *db, const char *tab)
{
    char *one = create_statement(tab);
    if (!one) return 0;
    int n = columns_in(db, tab); /* made already, for an earlier run of its changes */
    if (n == 0 && sqlite3_exec(db, one, NULL, NULL, NULL) == SQLITE_OK) n = columns_in(db, tab);
    free(one);
    return n;
}

/* Which columns of tab (made in db by expected_columns) make its primary key, 1 or 0 each into
 * pk (cap entries at most); returns the number of columns, -1 when they do not fit. */
static int primary_key_of(sqlite3 *db, const char *tab, unsigned char *pk, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT pk > 0 FROM pragma_table_info(?1) ORDER BY cid", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, tab, -1, SQLITE_STATIC) != SQLITE_OK)
        n = -1;
    while (n >= 0 && sqlite3_step(st) == SQLITE_ROW) {
        if ((size_t)n >= cap) n = -1;
        else pk[n++] = (unsigned char)sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* The first row of a query (two text columns) into a and b; 1 when there was one. */
static int first_pair(sqlite3 *db, const char *sql, char *a, char *b, size_t len)
{
    sqlite3_stmt *st = NULL;
    int got = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    if (got) {
        snprintf(a, len, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(b, len, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return got;
}

int pack_open_untrusted(const char *path, int flags, sqlite3 **db)
{
    if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) return -1;
    sqlite3_db_config(*db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    return 0;
}

/* main's sqlite_master against ref's (attached as "ref"): exactly the same tables and indexes. */
static int compare_schema(sqlite3 *db, char *err, size_t errlen)
{
    char type[64], name[128];
    static const char cols[] = "SELECT type, name, tbl_name, coalesce(sql, '') FROM ";
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT type, name FROM (%s main.sqlite_master EXCEPT %s ref.sqlite_master) LIMIT 1", cols,
             cols);
    if (first_pair(db, sql, type, name, sizeof name))
        return pack_fail(err, errlen, PACK_ERR_SCHEMA, "unexpected %s %s", type, name);
    snprintf(sql, sizeof sql, "SELECT type, name FROM (%s ref.sqlite_master EXCEPT %s main.sqlite_master) LIMIT 1", cols,
             cols);
    if (first_pair(db, sql, type, name, sizeof name))
        return pack_fail(err, errlen, PACK_ERR_SCHEMA, "missing or different %s %s", type, name);
    return PACK_OK;
}

/*
 * The numbering the search index is read through fits the content (see store/search_index.c):
 * search_doc numbers exactly the active offers, each once; search_lang numbers the languages
 * (0 is "*", the others 1 to 31, each code once), every language of their texts; and the
 * index holds exactly the documents that numbering gives (FTS5's search_docsize lists them by
 * row id = number * 32 + language): one "*" document an offer and one a translation. A shifted
 * or swapped number, an offer numbered but never indexed or not numbered at all is refused.
 */
static int check_search_numbering(sqlite3 *db, char *err, size_t errlen)
{
    static const struct {
        const char *sql, *what; /* the query gives 0 when the index fits */
    } checks[] = {
        {"SELECT (SELECT count(*) FROM search_lang NOT INDEXED WHERE li=0 AND code='*') <> 1"
         " OR EXISTS (SELECT 1 FROM search_lang NOT INDEXED WHERE li<>0 AND (li NOT BETWEEN 1 AND 31 OR code='*'))"
         " OR EXISTS (SELECT 1 FROM search_lang NOT INDEXED GROUP BY code HAVING count(*) > 1)",
         "the languages are not numbered 1 to 31, each once"},
        {"SELECT EXISTS (SELECT 1 FROM search_doc NOT INDEXED GROUP BY oid HAVING count(*) > 1)"
         " OR EXISTS (SELECT 1 FROM search_doc WHERE id NOT BETWEEN 1 AND 1099511627775)",
         "an offer numbered twice or out of range"},
        {"SELECT EXISTS (SELECT 1 FROM search_doc d WHERE NOT EXISTS"
         " (SELECT 1 FROM service v WHERE v.id=d.oid AND v.status='active'))",
         "a number for an offer that is not active"},
        {"SELECT (SELECT count(*) FROM service NOT INDEXED WHERE status='active') <> (SELECT count(*) FROM search_doc NOT INDEXED)",
         "an active offer without a number"},
        /* the documents the numbering gives, each looked up, and none besides them (a text in a
         * language without a number gives none, which is not found) */
        {"SELECT count(*) <> count(z.id) OR count(*) <> (SELECT count(*) FROM search_docsize) FROM"
         " (SELECT d.id * 32 AS r FROM search_doc d UNION ALL SELECT d.id * 32 + l.li FROM search_doc d"
         " JOIN service_i18n i ON i.service_id=d.oid LEFT JOIN search_lang l ON l.code=i.lang) e"
         " LEFT JOIN search_docsize z ON z.id=e.r",
         "its documents are not those of the active offers and their texts"},
        /* a full pack indexes everything in the main table: the side table is for deltas */
        {"SELECT (SELECT count(*) FROM search_new_docsize) + (SELECT count(*) FROM search_new_idx) <> 0",
         "search_new is not empty"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
        sqlite3_int64 v = store_single_int(db, checks[i].sql);
        if (v != 0)
            return pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s%s%s", checks[i].what, v < 0 ? ": " : "",
                             v < 0 ? sqlite3_errmsg(db) : "");
    }
    return PACK_OK;
}

/* The FTS5 query for term (or its first len bytes followed by "*" when prefix): quoted. */
static void fts_query(char *q, size_t cap, const char *col, const char *term, size_t len, int prefix)
{
    size_t n = 0;
    if (col) n = (size_t)snprintf(q, cap, "%s : ", col);
    q[n++] = '"';
    for (size_t i = 0; i < len && n + 4 < cap; i++) {
        if (term[i] == '"') q[n++] = '"';
        q[n++] = term[i];
    }
    q[n++] = '"';
    if (prefix) q[n++] = '*';
    q[n] = 0;
}

/* The vocabulary's terms (in the index's order) with the number of documents of each. */
typedef struct vocab {
    char **term;
    sqlite3_int64 *docs;
    size_t n, cap;
} vocab;

static void vocab_free(vocab *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->term[i]);
    free(v->term);
    free(v->docs);
}

/* Bytes of the first nchar characters of UTF-8 s (len bytes); 0 when it has fewer. */
static size_t prefix_bytes(const char *s, size_t len, int nchar)
{
    size_t i = 0;
    for (int c = 0; c < nchar; c++) {
        if (i >= len) return 0;
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* A run of terms sharing their first characters (a word start of the prefix indexes): the first
 * term, the word start's bytes, the documents of its commonest term and of all of them. */
typedef struct wordstart {
    size_t at, len;
    sqlite3_int64 most, all;
} wordstart;

/* The documents query q finds through count (one prepared statement for every lookup), and into
 * *numbered those whose row id is of language li; -1 when it fails. */
static sqlite3_int64 count_of(sqlite3_stmt *count, const char *q, int li, sqlite3_int64 *numbered)
{
    sqlite3_int64 n = -1;
    if (sqlite3_bind_text(count, 1, q, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_bind_int(count, 2, li) == SQLITE_OK &&
        sqlite3_step(count) == SQLITE_ROW) {
        n = sqlite3_column_int64(count, 0);
        if (numbered) *numbered = sqlite3_column_int64(count, 1);
    }
    sqlite3_reset(count);
    return n;
}

/* How many of the main index's terms and word starts are looked up: evenly spread over the
 * vocabulary, so the lookups land on leaves all through the index (an emptied or shifted term
 * index, search_idx, finds none beyond the first leaf); the walk of every doclist is what sees
 * damaged pages. Of each stretch the cheapest to count: on the 5,000 x 16 pack the 64 terms
 * cost 3.4 M instructions, the 144 word starts 68 M, the vocabulary's walk 1.44 G. */
#define PROBE_TERMS 64
#define PROBE_TERM_MAX 200 /* bytes of a word looked up: its query fits q, quotes doubled */
#define PROBE_PREFIXES 48

/*
 * FTS5's search index, read through SQL (FTS5's integrity-check of the whole cost 1.5 s of CPU on
 * the 113 MB synthetic pack, and it does not see an emptied term index of a contentless table;
 * kiosk-pack runs it before it signs): every term and every doclist of the main index decoded
 * (fts5vocab), in strictly rising order; a sample of terms looked up as queries do, each finding
 * as many documents as the vocabulary counts; a sample of word starts of 2, 3 and 4 letters
 * through the prefix indexes, each finding at least the documents of its most common word and at
 * most all its words'; and every language's documents carrying the language's code.
 */
static int probe_search_index(sqlite3 *db, char *err, size_t errlen)
{
    vocab v = {0};
    sqlite3_stmt *st = NULL, *count = NULL;
    int rc = PACK_OK;
    char q[512];
    if (sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.probe_vocab USING fts5vocab(main, search, row)", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT term, doc FROM temp.probe_vocab", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*), count(*) FILTER (WHERE rowid % 32 = ?2) FROM main.search WHERE search MATCH ?1",
                           -1, &count, NULL) != SQLITE_OK)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    int step = SQLITE_DONE;
    while (rc == PACK_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (!t || len == 0 || memchr(t, 0, len) || (v.n && strcmp(v.term[v.n - 1], t) >= 0)) {
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: terms out of order");
            break;
        }
        if (v.n == v.cap) {
            size_t cap = v.cap ? v.cap * 2 : 4096;
            char **a = realloc(v.term, cap * sizeof *a);
            if (a) v.term = a;
            sqlite3_int64 *b = a ? realloc(v.docs, cap * sizeof *b) : NULL;
            if (b) v.docs = b;
            if (!a || !b) {
                rc = pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
                break;
            }
            v.cap = cap;
        }
        if (!(v.term[v.n] = strdup(t))) {
            rc = pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
            break;
        }
        v.docs[v.n++] = sqlite3_column_int64(st, 1);
    }
    if (rc == PACK_OK && step != SQLITE_DONE)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc == PACK_OK && v.n == 0 && store_single_int(db, "SELECT count(*) FROM search_docsize") != 0)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: documents without words");
    /* terms looked up: each finds the documents the vocabulary counts; of each stretch of the
     * vocabulary its rarest term, the cheapest to count */
    for (size_t k = 0; rc == PACK_OK && k < PROBE_TERMS && k < v.n; k++) {
        size_t i = k * v.n / PROBE_TERMS, end = (k + 1) * v.n / PROBE_TERMS, pick = i;
        /* a word longer than a query holds (a code or a run of digits in a description) is not picked */
        for (pick = end; i < end && i < v.n; i++)
            if (strlen(v.term[i]) <= PROBE_TERM_MAX && (pick == end || v.docs[i] < v.docs[pick])) pick = i;
        if (pick >= v.n || pick == end) continue;
        fts_query(q, sizeof q, NULL, v.term[pick], strlen(v.term[pick]), 0);
        if (count_of(count, q, 0, NULL) != v.docs[pick])
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: a word's documents not found");
    }
    /* word starts through the prefix indexes: at least the most common word's documents, at most
     * all of them; of each stretch of word starts the one with fewest documents */
    wordstart *ws = v.n ? malloc(v.n * sizeof *ws) : NULL;
    if (rc == PACK_OK && v.n && !ws) rc = pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
    for (int nchar = 2; rc == PACK_OK && ws && nchar <= 4; nchar++) {
        size_t groups = 0;
        for (size_t i = 0; i < v.n; i++) {
            size_t b = prefix_bytes(v.term[i], strlen(v.term[i]), nchar);
            if (!b) continue;
            wordstart *g = groups ? &ws[groups - 1] : NULL;
            if (!g || g->len != b || strncmp(v.term[g->at], v.term[i], b) != 0)
                ws[groups++] = (wordstart){i, b, 0, 0};
            g = &ws[groups - 1];
            if (v.docs[i] > g->most) g->most = v.docs[i];
            g->all += v.docs[i];
        }
        for (size_t k = 0; rc == PACK_OK && k < PROBE_PREFIXES && k < groups; k++) {
            size_t i = k * groups / PROBE_PREFIXES, end = (k + 1) * groups / PROBE_PREFIXES, pick = i;
            for (; i < end && i < groups; i++)
                if (ws[i].all < ws[pick].all) pick = i;
            if (pick >= groups) break;
            fts_query(q, sizeof q, NULL, v.term[ws[pick].at], ws[pick].len, 1);
            sqlite3_int64 found = count_of(count, q, 0, NULL);
            if (found < ws[pick].most || found > ws[pick].all)
                rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: a word start's documents not found");
        }
    }
    free(ws);
    vocab_free(&v);
    /* each language's documents carry its code in the lang column */
    sqlite3_stmt *langs = NULL;
    /* the documents by language number, counted here in one pass: a count a language cost
     * 500 M instructions on the 5,000 x 16 pack, SQL's GROUP BY 200 M */
    sqlite3_int64 docs_of[32] = {0};
    if (rc == PACK_OK && sqlite3_prepare_v2(db, "SELECT id FROM search_docsize", -1, &langs, NULL) != SQLITE_OK)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    while (rc == PACK_OK && (step = sqlite3_step(langs)) == SQLITE_ROW) docs_of[sqlite3_column_int64(langs, 0) & 31]++;
    if (rc == PACK_OK && step != SQLITE_DONE)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    sqlite3_finalize(langs);
    langs = NULL;
    if (rc == PACK_OK &&
        sqlite3_prepare_v2(db, "SELECT li, code FROM search_lang WHERE li BETWEEN 1 AND 31", -1, &langs, NULL) != SQLITE_OK)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    while (rc == PACK_OK && (step = sqlite3_step(langs)) == SQLITE_ROW) {
        int li = sqlite3_column_int(langs, 0);
        const char *code = (const char *)sqlite3_column_text(langs, 1);
        sqlite3_int64 want = docs_of[li];
        /* the code's words (the tokenizer splits "pt-BR" in two, and folds case), all of them */
        size_t n = (size_t)snprintf(q, sizeof q, "lang : (");
        for (const char *c = code ? code : ""; *c && n + 8 < sizeof q;) {
            while (*c && !(isalnum((unsigned char)*c) || (unsigned char)*c >= 0x80)) c++;
            if (!*c) break;
            q[n++] = '"';
            while ((isalnum((unsigned char)*c) || (unsigned char)*c >= 0x80) && n + 4 < sizeof q)
                q[n++] = (char)tolower((unsigned char)*c++);
            q[n++] = '"';
            q[n++] = ' ';
        }
        snprintf(q + n, sizeof q - n, ")");
        sqlite3_int64 numbered = -1;
        if (count_of(count, q, li, &numbered) < 0 || numbered != want)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: the documents numbered as %.20s are not in it",
                           code ? code : "?");
    }
    if (rc == PACK_OK && step != SQLITE_DONE)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index: %s", sqlite3_errmsg(db));
    sqlite3_finalize(langs);
    sqlite3_finalize(count);
    sqlite3_exec(db, "DROP TABLE IF EXISTS temp.probe_vocab", NULL, NULL, NULL);
    return rc;
}

/*
 * The payload's two FTS5 indexes: their settings (search_config, search_new_config) exactly the
 * reference's (search_new's automerge aside), and the index read and held against the content
 * (check_search_numbering, probe_search_index). The schema alone does not tell: a signed payload
 * with another FTS5 file format version or damaged index pages passes every other check,
 * installs, and then every search fails. db may be read only; full: the payload of a full pack, not a delta applied to a
 * copy of the installed content.
 */
static int check_search_index(sqlite3 *db, int full, char *err, size_t errlen)
{
    static const char *const fts[] = {"search", "search_new"};
    char sql[400], k[64], v[64];
    for (int i = 0; i < 2; i++)
        for (int dir = 0; dir < 2; dir++) {
            const char *a = dir ? "ref" : "main", *b = dir ? "main" : "ref";
            /* search_new's automerge only paces its merging; packs made before it was set carry
             * none, and the first delta sets it (search_index.c) */
            snprintf(sql, sizeof sql,
                     "SELECT quote(k), quote(v) FROM (SELECT k, v FROM %s.%s_config EXCEPT SELECT k, v FROM %s.%s_config)"
                     " WHERE %d OR k IS NOT 'automerge' LIMIT 1",
                     a, fts[i], b, fts[i], i == 0);
            if (first_pair(db, sql, k, v, sizeof k))
                return pack_fail(err, errlen, PACK_ERR_SCHEMA, "search index %s: setting %.40s %s %.20s", fts[i], k,
                                 dir ? "missing or not" : "unexpected:", v);
        }
    /* a delta applied to a copy: the numbering is this kiosk's own, re-indexed offers in the side
     * table beside their hidden old documents; what the changes could not touch is read only */
    int rc = full ? check_search_numbering(db, err, errlen) : PACK_OK;
    return rc == PACK_OK ? probe_search_index(db, err, errlen) : rc;
}

/* PRAGMA quick_check of the payload and then what it holds (pack_check_values), on a connection
 * of their own: on a worker (job.h) while the search index is probed, 0.2 s and 0.25 s of the
 * 5,000 x 16 pack's install off the wall clock. */
typedef struct quick_check {
    const char *path;
    int done, ok;
    int values;                  /* pack_check_values's answer, once quick_check said ok */
    char why[300];               /* and its words */
} quick_check;

static void quick_check_run(job *j, void *ctx)
{
    (void)j;
    quick_check *qc = ctx;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (pack_open_untrusted(qc->path, SQLITE_OPEN_READONLY, &db) == 0 &&
        sqlite3_prepare_v2(db, "PRAGMA main.quick_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        qc->ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    qc->values = qc->ok ? pack_check_values(db, qc->why, sizeof qc->why) : PACK_OK; /* what it holds (install_values.c) */
    sqlite3_close(db);
    qc->done = 1;
}

int pack_check_payload_db(const char *path, const char *ref, const pack_manifest *m, char *err, size_t errlen)
{
    int rc = expected_schema(ref, err, errlen);
    if (rc != PACK_OK) return rc;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    rc = PACK_ERR_SCHEMA;
    if (pack_open_untrusted(path, SQLITE_OPEN_READONLY, &db) != 0) {
        pack_fail(err, errlen, PACK_ERR_SCHEMA, "not a database");
    } else if (sqlite3_prepare_v2(db, "ATTACH ?1 AS ref", -1, &st, NULL) != SQLITE_OK ||
               sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
        pack_fail(err, errlen, PACK_ERR_SCHEMA, "not a database: %s", sqlite3_errmsg(db));
    } else if ((rc = compare_schema(db, err, errlen)) == PACK_OK) {
        char *schema = pack_db_meta(db, "schema_version"), *ver = pack_db_meta(db, "content_version"),
             *pid = pack_db_meta(db, "pack_id");
        sqlite3_finalize(st);
        st = NULL;
        quick_check qc = {.path = path};
        job_queue *q = NULL;
        job *j = calloc(1, sizeof *j);
        if (j && job_queue_start(&q, &qc, NULL, 0) == 0) {
            j->run = quick_check_run;
            job_post(q, j, 0);
        } else {
            free(j);
        }
        rc = PACK_ERR_SCHEMA;
        if (!schema || atoi(schema) != STORE_SCHEMA_VERSION)
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "schema version %s, this kiosk reads %d", schema ? schema : "none",
                      STORE_SCHEMA_VERSION);
        else if (!ver || atoll(ver) != m->content_version)
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "content version inside differs from the manifest");
        else if (!pid || strcmp(pid, m->pack_id) != 0)
            /* else a pack signed for this publication could rename the installed one */
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "pack id inside differs from the manifest");
        else
            rc = check_search_index(db, strcmp(m->kind, "delta") != 0, err, errlen);
        job_queue_stop(q); /* waits for the check under way; one not started yet is dropped */
        if (!qc.done) quick_check_run(NULL, &qc);
        if (!qc.ok) rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "database check failed");
        else if (rc == PACK_OK && qc.values != PACK_OK) {
            rc = qc.values;
            snprintf(err, errlen, "%s", qc.why); /* in pack_fail's words already */
        }
        free(schema);
        free(ver);
        free(pid);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(ref);
    return rc;
}

/*
 * The offers a delta touches, for staff (like store_diff on a staged copy): by id, with the most a
 * row does to each (1 changed, 2 added, 3 removed). Counted in C while the changes are checked:
 * a pass of its own through a temporary table cost 11 M instructions on a 1 % delta.
 */
typedef struct offer_tally {
    char **id;
    unsigned char *op;
    size_t cap, n;
    int oom;
} offer_tally;

static size_t tally_slot(char *const *id, size_t cap, const char *key, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)key[i]) * 1099511628211u;
    size_t i = (size_t)h & (cap - 1);
    while (id[i] && (strlen(id[i]) != len || memcmp(id[i], key, len) != 0)) i = (i + 1) & (cap - 1);
    return i;
}

static void tally_add(offer_tally *t, const char *key, size_t len, unsigned char op)
{
    if (t->oom) return;
    if ((t->n + 1) * 2 > t->cap) { /* grow at half full */
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **id = calloc(cap, sizeof *id);
        unsigned char *ops = calloc(cap, 1);
        if (!id || !ops) {
            free(id);
            free(ops);
            t->oom = 1;
            return;
        }
        for (size_t i = 0; i < t->cap; i++)
            if (t->id[i]) {
                size_t at = tally_slot(id, cap, t->id[i], strlen(t->id[i]));
                id[at] = t->id[i];
                ops[at] = t->op[i];
            }
        free(t->id);
        free(t->op);
        t->id = id;
        t->op = ops;
        t->cap = cap;
    }
    size_t at = tally_slot(t->id, t->cap, key, len);
    if (!t->id[at]) {
        if (!(t->id[at] = malloc(len + 1))) {
            t->oom = 1;
            return;
        }
        memcpy(t->id[at], key, len);
        t->id[at][len] = 0;
        t->n++;
    }
    if (op > t->op[at]) t->op[at] = op;
}

/* The offer one change touches into t: the service row's key, the first column of service_i18n,
 * the second of schedule and phone's third. */
static void tally_change(offer_tally *t, sqlite3_changeset_iter *it, const char *tab, int op)
{
    int is_service = !strcmp(tab, "service");
    int col = is_service || !strcmp(tab, "service_i18n") ? 0 : !strcmp(tab, "schedule") ? 1 : !strcmp(tab, "phone") ? 2 : -1;
    sqlite3_value *v = NULL;
    if (col < 0 || (op == SQLITE_INSERT ? sqlite3changeset_new(it, col, &v) : sqlite3changeset_old(it, col, &v)) != SQLITE_OK ||
        !v || sqlite3_value_type(v) == SQLITE_NULL)
        return;
    const unsigned char *key = sqlite3_value_text(v);
    if (key) tally_add(t, (const char *)key, (size_t)sqlite3_value_bytes(v), !is_service ? 1 : op == SQLITE_INSERT ? 2 : op == SQLITE_DELETE ? 3 : 1);
}

/* The tally's counts into sg, and its memory freed. */
static void tally_done(offer_tally *t, pack_staged *sg)
{
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->id[i]) continue;
        if (sg) {
            sg->added += t->op[i] == 2;
            sg->changed += t->op[i] == 1;
            sg->removed += t->op[i] == 3;
        }
        free(t->id[i]);
    }
    free(t->id);
    free(t->op);
    memset(t, 0, sizeof *t);
}

/* Column col's bit in pack_table_change.updated (63 stands for 63 and after). */
static uint64_t column_bit(int col)
{
    return (uint64_t)1 << (col < 63 ? col : 63);
}

/* table's place in t, -1 when it has none */
static int table_at(const pack_tables *t, const char *table)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->t[i].name, table)) return i;
    return -1;
}

int pack_tables_has(const pack_tables *t, const char *table)
{
    return !t || t->n < 0 || table_at(t, table) >= 0;
}

int pack_tables_reach(const pack_tables *t, const char *table, int op, int col)
{
    if (!t || t->n < 0) return 1;
    int i = table_at(t, table);
    if (i < 0) return 0;
    const struct pack_table_change *c = &t->t[i];
    if ((op == SQLITE_INSERT && c->inserts) || (op == SQLITE_DELETE && c->deletes)) return 1;
    return col >= 0 && (c->updated & column_bit(col));
}

/* One change of table (op) into t: an update by the columns it sets. */
static void tables_add(pack_tables *t, const char *table, int op, sqlite3_changeset_iter *it, int ncol)
{
    if (!t || t->n < 0) return;
    int i = table_at(t, table);
    struct pack_table_change *c = i >= 0 ? &t->t[i] : NULL;
    if (!c) {
        if (t->n >= (int)(sizeof t->t / sizeof *t->t) || strlen(table) >= sizeof t->t->name) {
            t->n = -1;
            return;
        }
        c = &t->t[t->n++];
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", table);
    }
    if (op == SQLITE_INSERT) c->inserts = 1;
    else if (op == SQLITE_DELETE) c->deletes = 1;
    else
        for (int k = 0; k < ncol; k++) {
            sqlite3_value *v = NULL;
            /* a column an update leaves as it was has no new value */
            if (sqlite3changeset_new(it, k, &v) == SQLITE_OK && v) c->updated |= column_bit(k);
        }
}

/* SQLite's varint (1 to 9 bytes, big-endian 7-bit groups, the 9th byte whole) at b[*at], end
 * exclusive; -1 when it runs past the end. */
static int64_t cs_varint(const unsigned char *b, int end, int *at)
{
    uint64_t v = 0;
    for (int i = 0; i < 9; i++) {
        if (*at >= end) return -1;
        unsigned char c = b[(*at)++];
        if (i == 8) return (int64_t)((v << 8) | c);
        v = (v << 7) | (c & 0x7f);
        if (!(c & 0x80)) return v > INT32_MAX ? -1 : (int64_t)v;
    }
    return -1;
}

/* One record of ncol values; 0, or -1 when it is cut short or holds an unknown type. */
static int cs_record(const unsigned char *b, int end, int *at, int64_t ncol)
{
    for (int64_t k = 0; k < ncol; k++) {
        if (*at >= end) return -1;
        switch (b[(*at)++]) {
        case 0: case 5: break;                               /* undefined, NULL */
        case 1: case 2: if (end - *at < 8) return -1; *at += 8; break; /* integer, real */
        case 3: case 4: {                                    /* text, blob */
            int64_t n = cs_varint(b, end, at);
            if (n < 0 || n > end - *at) return -1;
            *at += (int)n;
            break;
        }
        default: return -1;
        }
    }
    return 0;
}

/*
 * The changeset's framing walked to its end before SQLite reads it: SQLite 3.40 (Debian 12)
 * spins for good in sqlite3changeset_next and _invert on a changeset cut inside a table's header
 * (a signed pack cut at 1 to 55 bytes hung install and verify). A patchset ('P') is refused: it
 * carries no old values, so a delta applied to other content than its base would not conflict.
 */
static int cs_framing(const unsigned char *b, int size, char *err, size_t errlen)
{
    int at = 0;
    while (at < size) {
        if (b[at] != 'T')
            return pack_fail(err, errlen, PACK_ERR_DAMAGED,
                             b[at] == 'P' ? "the changes are a patchset, which cannot show they fit the installed content"
                                          : "the changes are damaged (no table at byte %d)", at);
        at++;
        int64_t ncol = cs_varint(b, size, &at);
        if (ncol <= 0 || ncol > 64 || ncol > size - at) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes are damaged (a table header)");
        at += (int)ncol;
        const unsigned char *nul = memchr(b + at, 0, (size_t)(size - at));
        if (!nul) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes are damaged (a table name)");
        at = (int)(nul - b) + 1;
        while (at < size && b[at] != 'T' && b[at] != 'P') {
            int op = b[at];
            if (size - at < 2 || (op != SQLITE_INSERT && op != SQLITE_UPDATE && op != SQLITE_DELETE))
                return pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes are damaged (a change at byte %d)", at);
            at += 2;
            if (cs_record(b, size, &at, ncol) || (op == SQLITE_UPDATE && cs_record(b, size, &at, ncol)))
                return pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes are damaged (cut inside a change)");
        }
    }
    return PACK_OK;
}

int pack_check_changeset(const unsigned char *blob, int size, pack_staged *sg, pack_tables *changed, char *err,
                         size_t errlen)
{
    if (changed) changed->n = 0;
    if (size < 0 || (size > 0 && !blob)) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes are damaged");
    int framed = cs_framing(blob, size, err, errlen);
    if (framed != PACK_OK) return framed;
    offer_tally tally = {0};
    sqlite3 *db = NULL;
    sqlite3_changeset_iter *it = NULL;
    int rc = PACK_OK;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3changeset_start(&it, size, (void *)blob) != SQLITE_OK)
        rc = pack_fail(err, errlen, PACK_ERR_IO, "cannot read the changes");
    /* a changeset groups its changes by table: the column count is looked up once per run of a table */
    char last[128] = "";
    int want = 0;
    pack_change_limits lim = {0};
    unsigned char want_pk[64]; /* which of the table's columns make its primary key */
    while (rc == PACK_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *tab = NULL;
        int ncol = 0, op = 0, indirect = 0;
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &indirect) != SQLITE_OK) {
            rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "unreadable change");
            break;
        }
        if (strlen(tab) >= sizeof last || strcmp(tab, last) != 0) {
            want = strlen(tab) < sizeof last ? expected_columns(db, tab) : 0;
            if (want > 0 && primary_key_of(db, tab, want_pk, sizeof want_pk) != want) want = 0;
            snprintf(last, sizeof last, "%s", strlen(tab) < sizeof last ? tab : "");
        }
        /* SQLite skips, without a word, the changes of a table whose primary key is not the one
         * they were recorded with: the version would move on with the rows left behind */
        unsigned char *pk = NULL;
        int npk = 0, same_pk = want > 0 && sqlite3changeset_pk(it, &pk, &npk) == SQLITE_OK && npk == want;
        for (int c = 0; same_pk && c < npk; c++) same_pk = !pk[c] == !want_pk[c];
        if (want == 0) rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes touch table %.100s", tab);
        else if (want != ncol) rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "table %.100s with %d columns", tab, ncol);
        else if (!same_pk) rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "table %.100s with another primary key", tab);
        else if ((rc = pack_check_change_texts(db, it, tab, op, &lim, err, errlen)) == PACK_OK) {
            tables_add(changed, tab, op, it, ncol);
            if (sg) tally_change(&tally, it, tab, op);
        }
    }
    /* out of memory, the counts stay 0: they are for staff to read, the delta applies all the same */
    tally_done(&tally, rc == PACK_OK && !tally.oom ? sg : NULL);
    if (it && sqlite3changeset_finalize(it) != SQLITE_OK && rc == PACK_OK)
        rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "the changes cannot be read");
    sqlite3_close(db);
    return rc;
}

int pack_check_clock(pack_policy *pol, const pack_manifest *m, char *err, size_t errlen)
{
    const char *flag = pol->clock_synced_path ? pol->clock_synced_path : PACK_CLOCK_SYNCED;
    int synced = flag[0] && access(flag, F_OK) == 0;
    if (pol->reset_clock_floor) pol->newest_seen = pol->now;
    if (synced && pol->newest_seen > pol->now + PACK_CLOCK_SLACK) pol->newest_seen = pol->now;
    if (synced && m->created > pol->now + PACK_CLOCK_SLACK) {
        char signed_at[32], clock[32];
        pack_time_format(m->created, signed_at, sizeof signed_at);
        pack_time_format(pol->now, clock, sizeof clock);
        return pack_fail(err, errlen, PACK_ERR_FUTURE, "signed %s, the synchronised clock says %s", signed_at, clock);
    }
    /* Only a verified manifest may move our idea of the time forward. */
    int64_t now = pol->now > pol->newest_seen ? pol->now : pol->newest_seen;
    if (m->created > pol->newest_seen) pol->newest_seen = m->created;
    return now > m->expires ? pack_fail(err, errlen, PACK_ERR_EXPIRED, NULL) : PACK_OK;
}

int pack_check_publication(const pack_policy *pol, const char *installed_id, const pack_manifest *m, char *err,
                           size_t errlen)
{
    const char *pin = pol->publication[0] ? pol->publication : installed_id;
    if (!pin[0] || !strcmp(pin, m->pack_id) || pol->switch_publication) return PACK_OK;
    return pack_fail(err, errlen, PACK_ERR_PUBLICATION, "pack %.63s, this kiosk shows %.63s", m->pack_id, pin);
}

int pack_verify(const char *pack_path, const pack_trust *t, const char *scratch_dir, int64_t now, pack_manifest *m,
                char *err, size_t errlen)
{
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    char content[PACK_PATH_MAX], ref[PACK_PATH_MAX];
    if (snprintf(content, sizeof content, "%s/content.db", scratch_dir) >= (int)sizeof content ||
        snprintf(ref, sizeof ref, "%s/schema.db", scratch_dir) >= (int)sizeof ref)
        return pack_fail(err, errlen, PACK_ERR_IO, "path too long: %s/schema.db", scratch_dir);
    FILE *f = pack_fopen_regular(pack_path, err, errlen);
    if (!f) return PACK_ERR_IO;
    int rc = pack_read_head(f, t, NULL, m, err, errlen);
    pack_policy pol = {.now = now, .clock_synced_path = ""};
    if (rc == PACK_OK) rc = pack_check_clock(&pol, m, err, errlen);
    if (rc == PACK_OK && !strcmp(m->kind, "delta")) {
        struct stat sb;
        off_t at = ftello(f);
        unsigned char *blob = NULL;
        if (fstat(fileno(f), &sb) != 0 || at < 0 || (int64_t)sb.st_size - (int64_t)at != m->payload_size ||
            m->payload_size > INT32_MAX)
            rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "payload size");
        else if (!(blob = malloc(m->payload_size > 0 ? (size_t)m->payload_size : 1)))
            rc = pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
        else if (fread(blob, 1, (size_t)m->payload_size, f) != (size_t)m->payload_size)
            rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "cut short");
        unsigned char sha[32];
        if (rc == PACK_OK) {
            crypto_hash_sha256(sha, blob, (unsigned long long)m->payload_size);
            if (memcmp(sha, m->sha256, 32) != 0) rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
        }
        if (rc == PACK_OK) rc = pack_check_changeset(blob, (int)m->payload_size, NULL, NULL, err, errlen);
        free(blob);
    }
    fclose(f);
    if (rc != PACK_OK || !strcmp(m->kind, "delta")) return rc;
    /* a full pack: everything an installation checks, into the scratch folder */
    pack_staged sg;
    rc = pack_stage(pack_path, content, t, &pol, &sg, err, errlen);
    pack_unstage(&sg);
    if (rc == PACK_OK) snprintf(err, errlen, "ok");
    return rc;
}
