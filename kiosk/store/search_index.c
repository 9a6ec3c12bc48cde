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
 * The words of re-indexed documents, for search_term: FTS5's own tokenizer (unicode61, as the
 * search table uses) splits the folded text, and the distinct words are kept in a small hash set,
 * so each goes to search_term once. Going through a temporary FTS5 table and its fts5vocab cost
 * 117 M instructions for the 850 documents of a 1 % delta, an eighth of the whole apply.
 */
typedef struct termset {
    fts5_tokenizer tok;
    Fts5Tokenizer *t;
    char **slot; /* open addressing; NULL = free */
    size_t cap, n;
    int oom;
} termset;

static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

static int termset_open(sqlite3 *db, termset *ts)
{
    static const char *args[] = {"remove_diacritics", "0"};
    fts5_api *api = fts5_of(db);
    void *ctx = NULL;
    memset(ts, 0, sizeof *ts);
    if (!api || api->xFindTokenizer(api, "unicode61", &ctx, &ts->tok) != SQLITE_OK ||
        ts->tok.xCreate(ctx, args, 2, &ts->t) != SQLITE_OK)
        return -1;
    ts->cap = 1024;
    ts->slot = calloc(ts->cap, sizeof *ts->slot);
    return ts->slot ? 0 : -1;
}

static void termset_close(termset *ts)
{
    if (ts->t) ts->tok.xDelete(ts->t);
    for (size_t i = 0; i < ts->cap && ts->slot; i++) free(ts->slot[i]);
    free(ts->slot);
    memset(ts, 0, sizeof *ts);
}

static size_t term_hash(const char *w, int n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a, 64 bits also where size_t has 32 (armhf) */
    for (int i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 1099511628211u;
    return (size_t)h;
}

/* The slot holding w[0..n), or the free one where it belongs. */
static char **term_find(char **slot, size_t cap, const char *w, int n)
{
    size_t i = term_hash(w, n) & (cap - 1);
    while (slot[i] && (strncmp(slot[i], w, (size_t)n) != 0 || slot[i][n] != 0)) i = (i + 1) & (cap - 1);
    return &slot[i];
}

static int term_add(void *ctx, int flags, const char *w, int n, int start, int end)
{
    termset *ts = ctx;
    (void)flags;
    (void)start;
    (void)end;
    if (ts->n * 2 >= ts->cap) { /* grow at half full */
        size_t cap = ts->cap * 2;
        char **bigger = calloc(cap, sizeof *bigger);
        if (!bigger) {
            ts->oom = 1;
            return SQLITE_NOMEM;
        }
        for (size_t i = 0; i < ts->cap; i++)
            if (ts->slot[i]) *term_find(bigger, cap, ts->slot[i], (int)strlen(ts->slot[i])) = ts->slot[i];
        free(ts->slot);
        ts->slot = bigger;
        ts->cap = cap;
    }
    char **at = term_find(ts->slot, ts->cap, w, n);
    if (*at) return SQLITE_OK;
    if (!(*at = malloc((size_t)n + 1))) {
        ts->oom = 1;
        return SQLITE_NOMEM;
    }
    memcpy(*at, w, (size_t)n);
    (*at)[n] = 0;
    ts->n++;
    return SQLITE_OK;
}

static int termset_text(termset *ts, const char *text)
{
    return ts->tok.xTokenize(ts->t, ts, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text), term_add);
}

/* The set's words into search_term (those already there stay), in one statement: a statement a
 * word cost 13.7 M instructions for the 1,800 words of a 1 % delta, nearly all there already. */
static int termset_store(sqlite3 *db, termset *ts, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    const char **words = malloc(sizeof *words * (ts->n ? ts->n : 1));
    int n = 0, rc = -1;
    for (size_t i = 0; words && i < ts->cap; i++)
        if (ts->slot[i]) words[n++] = ts->slot[i];
    char *json = words && (size_t)n <= INT32_MAX ? store_json_strings(words, n) : NULL;
    if (!json) {
        snprintf(err, errlen, "search index: out of memory");
    } else if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO search_term SELECT value FROM json_each(?1)", -1, &st, NULL) ==
                   SQLITE_OK &&
               sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE) {
        rc = 0;
    } else {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    free(json);
    free(words);
    return rc;
}

/*
 * Skeletons already made, by the text they were made of (search_skel: a 64-bit FNV-1a hash of
 * the folded name, provider and category names, and that text's length). Making a skeleton takes
 * ICU's Any-Latin, whose first use alone costs 150 M instructions, and 220 k a document after
 * that: nearly half of re-indexing a 1 % delta, whose offers mostly keep their names. The
 * builder fills it, so every pack brings it (4 % of the 5,000 x 16 database, 2.4 MB more of its
 * compressed pack); a kiosk adds what it makes.
 * search_skel_old is the cache a rebuild starts from, so a rebuild keeps only what it used.
 */
/* the side table: see the head of this file */
#define SEARCH_NEW_COLS " search_new USING fts5(name, cat, summary, descr, provider, town, skel, rev, lang," \
    " content='', detail=column, tokenize='unicode61 remove_diacritics 0');"
#define SKEL_COLS "(h INTEGER PRIMARY KEY, n INTEGER NOT NULL, skel TEXT NOT NULL);"

typedef struct skel_cache {
    sqlite3_stmt *get, *get_old, *put;
} skel_cache;

static sqlite3_int64 text_hash(const char *s)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a, the same on every kiosk's word size */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (sqlite3_int64)h;
}

static int skel_cache_open(sqlite3 *db, skel_cache *c)
{
    memset(c, 0, sizeof *c);
    if (sqlite3_prepare_v2(db, "SELECT n, skel FROM search_skel WHERE h=?1", -1, &c->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO search_skel(h, n, skel) VALUES(?1, ?2, ?3)", -1, &c->put, NULL) !=
            SQLITE_OK)
        return -1;
    if (store_single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name='search_skel_old'") == 1 &&
        sqlite3_prepare_v2(db, "SELECT n, skel FROM search_skel_old WHERE h=?1", -1, &c->get_old, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

static void skel_cache_close(skel_cache *c)
{
    sqlite3_finalize(c->get);
    sqlite3_finalize(c->get_old);
    sqlite3_finalize(c->put);
}

/* The skeleton of titles from st (h, length n), or NULL. */
static char *skel_lookup(sqlite3_stmt *st, sqlite3_int64 h, int n)
{
    char *sk = NULL;
    if (!st) return NULL;
    sqlite3_bind_int64(st, 1, h);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == n) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        sk = strdup(t ? t : "");
    }
    sqlite3_reset(st);
    return sk;
}

/* The skeleton of folded titles: from the cache, else made and kept. NULL on no memory or a
 * failed write (err says). */
static char *skeleton_of(sqlite3 *db, store_folder *f, skel_cache *c, const char *titles, char *err, size_t errlen)
{
    sqlite3_int64 h = text_hash(titles);
    int n = (int)strlen(titles);
    char *sk = skel_lookup(c->get, h, n);
    if (sk) return sk;
    if (!(sk = skel_lookup(c->get_old, h, n)) && !(sk = store_skeleton(f, titles))) {
        snprintf(err, errlen, "search index: out of memory");
        return NULL;
    }
    sqlite3_bind_int64(c->put, 1, h);
    sqlite3_bind_int(c->put, 2, n);
    sqlite3_bind_text(c->put, 3, sk, -1, SQLITE_STATIC);
    int ok = sqlite3_step(c->put) == SQLITE_DONE;
    sqlite3_reset(c->put);
    if (!ok) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        free(sk);
        return NULL;
    }
    return sk;
}

/* A list of texts (NULL kept as NULL) with the key each belongs to, in the order read. */
typedef struct keyed {
    char **key, **text;
    int n, cap, oom;
} keyed;

static void keyed_add(keyed *k, const unsigned char *key, const unsigned char *text)
{
    if (k->oom) return;
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 32;
        char **a = realloc(k->key, sizeof *a * (size_t)cap);
        if (a) k->key = a;
        char **b = a ? realloc(k->text, sizeof *b * (size_t)cap) : NULL;
        if (b) k->text = b;
        if (!a || !b) {
            k->oom = 1;
            return;
        }
        k->cap = cap;
    }
    k->key[k->n] = strdup(key ? (const char *)key : "");
    k->text[k->n] = text ? strdup((const char *)text) : NULL;
    if (!k->key[k->n] || (text && !k->text[k->n])) {
        free(k->key[k->n]);
        free(k->text[k->n]);
        k->oom = 1;
        return;
    }
    k->n++;
}

static void keyed_clear(keyed *k)
{
    for (int i = 0; i < k->n; i++) {
        free(k->key[i]);
        free(k->text[i]);
    }
    k->n = 0;
}

static void keyed_free(keyed *k)
{
    keyed_clear(k);
    free(k->key);
    free(k->text);
    memset(k, 0, sizeof *k);
}

/* st's rows (key, text) after the bindings, appended to k; SQLITE_DONE or the error. */
static int keyed_read(sqlite3_stmt *st, keyed *k)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) keyed_add(k, sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    return k->oom ? SQLITE_NOMEM : step;
}

/* The texts of k whose key is key (all when key is NULL), joined by spaces; NULL when none. */
static char *keyed_join(const keyed *k, const char *key, sbuf *b)
{
    b->len = 0;
    int any = 0;
    for (int i = 0; i < k->n; i++)
        if (k->text[i] && (!key || !strcmp(k->key[i], key))) {
            store_sb_add(b, "%s%s", any ? " " : "", k->text[i]);
            any = 1;
        }
    return any && !b->oom ? b->s : NULL;
}

/* What an index run reads once: the statements, every category's names in every language. */
typedef struct doc_reader {
    sqlite3_stmt *offers, *texts, *terms, *orgs, *towns, *ins;
    keyed cat_names;            /* taxonomy_term_i18n: "term\tlanguage" -> name */
    int *cat_order;             /* cat_names by key (strcmp), for looking a term's names up */
    char lang[32][16];          /* search_lang */
    int nlang;
    keyed offer_terms, org;     /* the offer's: its categories; its provider's names (lang -> name) */
    sbuf cat, prov;
    skel_cache skc;
} doc_reader;

/* Two category names' numbers by their keys (arg: the keys). */
static int order_cmp(const void *a, const void *b, void *arg)
{
    char *const *key = arg;
    return strcmp(key[*(const int *)a], key[*(const int *)b]);
}

/* The first of the sorted category names whose key starts with "term\t". */
static int first_of_term(const doc_reader *r, const char *term, size_t n)
{
    int lo = 0, hi = r->cat_names.n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const char *k = r->cat_names.key[r->cat_order[mid]];
        int c = strncmp(k, term, n);
        if (c == 0) c = k[n] == '\t' ? 0 : (unsigned char)k[n] < '\t' ? -1 : 1;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The names of the offer's categories in lang (every language when lang is NULL), joined. */
static char *cat_names_of(doc_reader *r, const char *lang)
{
    r->cat.len = 0;
    int any = 0;
    for (int t = 0; t < r->offer_terms.n; t++) {
        const char *term = r->offer_terms.key[t];
        size_t n = strlen(term);
        for (int i = first_of_term(r, term, n); i < r->cat_names.n; i++) {
            int at = r->cat_order[i];
            const char *k = r->cat_names.key[at];
            if (strncmp(k, term, n) != 0 || k[n] != '\t') break;
            if ((lang && strcmp(k + n + 1, lang) != 0) || !r->cat_names.text[at]) continue;
            store_sb_add(&r->cat, "%s%s", any ? " " : "", r->cat_names.text[at]);
            any = 1;
        }
    }
    return any && !r->cat.oom ? r->cat.s : NULL;
}

/* One document into the FTS table: the six text columns folded, the skeleton and the reversed
 * words made of them; with words, the columns of bits split into it (search_term). */
static int index_doc(sqlite3 *db, store_folder *f, doc_reader *r, termset *words, sqlite3_int64 rowid, const char *lang,
                     const char *const text[6], int bits, char *err, size_t errlen)
{
    sqlite3_stmt *ins = r->ins;
    char *keep[6] = {0}, *sk = NULL, *rv = NULL, *titles = NULL, *name_cat = NULL;
    int ok = 1;
    for (int c = 0; c < 6 && ok; c++) ok = bind_folded(ins, c + 2, f, text[c], &keep[c]) == 0;
    if (ok) {
        size_t a = strlen(keep[0]), b = strlen(keep[1]), c = strlen(keep[4]);
        titles = malloc(a + b + c + 3);
        name_cat = malloc(a + b + 2);
        if (titles && name_cat) {
            snprintf(titles, a + b + c + 3, "%s %s %s", keep[0], keep[4], keep[1]);
            snprintf(name_cat, a + b + 2, "%s %s", keep[0], keep[1]);
            sk = skeleton_of(db, f, &r->skc, titles, err, errlen);
            rv = store_reversed_words(name_cat);
        }
        ok = sk && rv;
        if (!ok && !(!sk && titles && name_cat)) snprintf(err, errlen, "search index: out of memory");
    } else {
        snprintf(err, errlen, "search index: out of memory");
    }
    if (ok) {
        sqlite3_bind_int64(ins, 1, rowid);
        sqlite3_bind_text(ins, 8, sk, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 9, rv, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 10, lang, -1, SQLITE_STATIC);
        ok = sqlite3_step(ins) == SQLITE_DONE;
        if (!ok) snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        for (int c = 0; ok && words && c < 6; c++)
            if ((bits & (1 << c)) && termset_text(words, keep[c]) != SQLITE_OK) {
                ok = 0;
                snprintf(err, errlen, "search index: %s", words->oom ? "out of memory" : "cannot split words");
            }
    }
    for (int c = 0; c < 6; c++) free(keep[c]);
    free(sk);
    free(rv);
    free(titles);
    free(name_cat);
    return ok ? 0 : -1;
}

static void doc_reader_close(doc_reader *r)
{
    sqlite3_finalize(r->offers);
    sqlite3_finalize(r->texts);
    sqlite3_finalize(r->terms);
    sqlite3_finalize(r->orgs);
    sqlite3_finalize(r->towns);
    sqlite3_finalize(r->ins);
    keyed_free(&r->cat_names);
    free(r->cat_order);
    keyed_free(&r->offer_terms);
    keyed_free(&r->org);
    free(r->cat.s);
    free(r->prov.s);
    skel_cache_close(&r->skc);
}

/* One translation of the offer being indexed, until its documents are made in language order. */
typedef struct doc_text {
    int li;
    char *lang, *name, *summary, *descr;
} doc_text;

static int doc_text_cmp(const void *a, const void *b)
{
    const doc_text *x = a, *y = b;
    return (x->li > y->li) - (x->li < y->li);
}

/* The documents of one offer (number id, provider org): "*" first, then its translations in
 * language number order, so row ids only ever grow and FTS5 keeps one segment (a smaller row id
 * than the last makes it write out what it holds). */
static int index_offer(sqlite3 *db, store_folder *f, doc_reader *r, termset *words, sqlite3_int64 id,
                       const unsigned char *oid, const unsigned char *org, int bits, char *err, size_t errlen)
{
    keyed_clear(&r->offer_terms);
    keyed_clear(&r->org);
    sqlite3_bind_text(r->terms, 1, (const char *)oid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->orgs, 1, (const char *)org, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->towns, 1, (const char *)oid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->texts, 1, (const char *)oid, -1, SQLITE_TRANSIENT);
    if (keyed_read(r->terms, &r->offer_terms) != SQLITE_DONE || keyed_read(r->orgs, &r->org) != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", r->offer_terms.oom || r->org.oom ? "out of memory" : sqlite3_errmsg(db));
        return -1;
    }
    /* "*": category and provider names in every language, the towns */
    char *town = NULL;
    if (sqlite3_step(r->towns) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(r->towns, 0);
        town = strdup(t ? (const char *)t : "");
    }
    sqlite3_reset(r->towns);
    if (!town) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        return -1;
    }
    const char *star[6] = {NULL, cat_names_of(r, NULL), NULL, NULL, keyed_join(&r->org, NULL, &r->prov), town};
    int rc = index_doc(db, f, r, words, id * 32, "*", star, bits, err, errlen);
    free(town);
    if (rc) return -1;
    /* the offer's translations, read whole before any is indexed (the statement stays short) */
    doc_text *dt = NULL;
    int n = 0, cap = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(r->texts)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(r->texts, 0);
        int li = -1;
        for (int i = 1; lang && i < r->nlang && li < 0; i++)
            if (!strcmp(r->lang[i], lang)) li = i;
        if (li < 0) continue; /* search_lang has every language of the content: not reached */
        if (n == cap) {
            doc_text *more = realloc(dt, sizeof *dt * (size_t)(cap = cap ? cap * 2 : 32));
            if (!more) {
                rc = -1;
                break;
            }
            dt = more;
        }
        const unsigned char *c[4];
        for (int i = 0; i < 4; i++) c[i] = sqlite3_column_text(r->texts, i);
        dt[n] = (doc_text){li, strdup(lang), c[1] ? strdup((const char *)c[1]) : NULL,
                           c[2] ? strdup((const char *)c[2]) : NULL, c[3] ? strdup((const char *)c[3]) : NULL};
        n++;
        if (!dt[n - 1].lang || (c[1] && !dt[n - 1].name) || (c[2] && !dt[n - 1].summary) || (c[3] && !dt[n - 1].descr))
            rc = -1;
    }
    if (rc == 0 && step != SQLITE_DONE) rc = -2;
    sqlite3_reset(r->texts);
    if (rc) snprintf(err, errlen, "search index: %s", rc == -1 ? "out of memory" : sqlite3_errmsg(db));
    else qsort(dt, (size_t)n, sizeof *dt, doc_text_cmp);
    for (int i = 0; rc == 0 && i < n; i++) {
        /* the provider's name in the document's language, else in the first language that has one */
        char *prov = keyed_join(&r->org, dt[i].lang, &r->prov);
        for (int k = 0; !prov && k < r->org.n; k++) prov = r->org.text[k];
        const char *text[6] = {dt[i].name, cat_names_of(r, dt[i].lang), dt[i].summary, dt[i].descr, prov, NULL};
        rc = index_doc(db, f, r, words, id * 32 + dt[i].li, dt[i].lang, text, bits, err, errlen);
    }
    for (int i = 0; i < n; i++) {
        free(dt[i].lang);
        free(dt[i].name);
        free(dt[i].summary);
        free(dt[i].descr);
    }
    free(dt);
    return rc ? -1 : 0;
}

/*
 * Index the active offers (all, or only those listed in temp.reindex): one document per offer and
 * language (name, category names, summary, description + eligibility, provider; the skeleton of
 * name, provider and categories; the reversed words of name and categories), and one per offer
 * holding what is the same in every language's eyes (lang "*": category and provider names in all
 * languages, towns as the address has them and as each language writes them, location_i18n.city),
 * so a topic typed in any language reaches offers not translated into it.
 * Each offer gets a search_doc number from next on; its documents' FTS row ids are that number
 * times 32 plus their language's number in search_lang (0 for "*"), so an offer's documents lie
 * side by side and a row id alone says which offer and language it is.
 * The documents are put together here, an offer at a time, from its rows and the category names
 * read once: one query a document with a subquery for each column cost 26 M instructions for the
 * 850 documents of a 1 % delta (a third of them for category and provider names).
 */
static int index_docs(sqlite3 *db, store_folder *f, termset *words, sqlite3_int64 next, char *err, size_t errlen)
{
    int only_listed = words != NULL;
    doc_reader r;
    memset(&r, 0, sizeof r);
    char sql[800];
    /* a new language can only come with the offers re-indexed: no scan of every translation */
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO search_lang(li, code) SELECT NULL, lang FROM"
             " (SELECT DISTINCT lang FROM service_i18n%s ORDER BY lang);"
             "INSERT INTO search_doc(id, oid) SELECT %lld + row_number() OVER (ORDER BY v.id) - 1, v.id"
             " FROM service v WHERE v.status='active'%s;",
             only_listed ? " WHERE service_id IN (SELECT id FROM temp.reindex)" : "", (long long)next,
             only_listed ? " AND v.id IN (SELECT id FROM temp.reindex)" : "");
    if (exec(db, sql, err, errlen)) return -1;
    if (store_single_int(db, "SELECT max(li) FROM search_lang") > 31) {
        snprintf(err, errlen, "search index: more than 31 languages");
        return -1;
    }
    sqlite3_stmt *langs = NULL;
    char insert[300];
    int rc = -1;
    snprintf(insert, sizeof insert, "INSERT INTO %s(rowid, name, cat, summary, descr, provider, town, skel, rev, lang)"
             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", only_listed ? "search_new" : "search");
    /* the columns whose words may be new (W_ bits), of re-indexed offers */
    snprintf(sql, sizeof sql, "SELECT d.id, v.id, v.organization_id, %s FROM search_doc d JOIN service v ON v.id=d.oid"
             " WHERE d.id >= ?1 ORDER BY d.id", only_listed ? "(SELECT words FROM temp.reindex WHERE id=v.id)" : "0");
    if (sqlite3_prepare_v2(db, sql, -1, &r.offers, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT lang, name, summary, coalesce(description, '') || ' ' ||"
                               " coalesce(eligibility_description, '') FROM service_i18n WHERE service_id=?1",
                           -1, &r.texts, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT term_id, NULL FROM service_taxonomy WHERE service_id=?1", -1, &r.terms, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT lang, name FROM organization_i18n WHERE organization_id=?1", -1, &r.orgs, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT coalesce((SELECT group_concat(l.city, ' ') FROM service_at_location a JOIN location l"
                               " ON l.id=a.location_id WHERE a.service_id=?1), '') || ' ' ||"
                               " coalesce((SELECT group_concat(DISTINCT t.city) FROM service_at_location a JOIN location_i18n t"
                               " ON t.location_id=a.location_id WHERE a.service_id=?1), '')",
                           -1, &r.towns, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, insert, -1, &r.ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT li, code FROM search_lang WHERE li BETWEEN 0 AND 31", -1, &langs, NULL) != SQLITE_OK ||
        skel_cache_open(db, &r.skc) != 0) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    while (sqlite3_step(langs) == SQLITE_ROW) {
        int li = sqlite3_column_int(langs, 0);
        const char *code = (const char *)sqlite3_column_text(langs, 1);
        snprintf(r.lang[li], sizeof r.lang[0], "%s", code ? code : "");
        if (li + 1 > r.nlang) r.nlang = li + 1;
    }
    /* every category's names, keyed "term\tlanguage" */
    sqlite3_stmt *names = NULL;
    int step = sqlite3_prepare_v2(db, "SELECT term_id || char(9) || lang, name FROM taxonomy_term_i18n ORDER BY term_id, lang",
                                  -1, &names, NULL) == SQLITE_OK ? keyed_read(names, &r.cat_names) : SQLITE_ERROR;
    sqlite3_finalize(names);
    if (step == SQLITE_DONE && !(r.cat_order = malloc(sizeof *r.cat_order * (size_t)(r.cat_names.n + 1)))) step = SQLITE_NOMEM;
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", step == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
        goto done;
    }
    /* sorted here by the very comparison first_of_term uses, whatever SQLite's order was */
    for (int i = 0; i < r.cat_names.n; i++) r.cat_order[i] = i;
    qsort_r(r.cat_order, (size_t)r.cat_names.n, sizeof *r.cat_order, order_cmp, r.cat_names.key);
    sqlite3_bind_int64(r.offers, 1, next);
    while ((step = sqlite3_step(r.offers)) == SQLITE_ROW)
        if (index_offer(db, f, &r, words, sqlite3_column_int64(r.offers, 0), sqlite3_column_text(r.offers, 1),
                        sqlite3_column_text(r.offers, 2), sqlite3_column_int(r.offers, 3), err, errlen))
            goto done;
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(langs);
    doc_reader_close(&r);
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

static int rebuild(sqlite3 *db, store_folder *f, char *err, size_t errlen)
{
    if (exec(db,
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
        index_docs(db, f, NULL, 1, err, errlen) ||
        exec(db, "DROP TABLE search_skel_old; INSERT INTO search(search) VALUES('optimize');", err, errlen))
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

/* Word separators FTS5's unicode61 always has, which never occur inside a UTF-8 sequence. */
static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/*
 * The words an update of one text column brings, into ts: those of the new text around what
 * changed (the bytes between the old and new texts' common start and common end), widened to
 * whitespace on both sides, so every word that touches the change is there whole; folded apart
 * (the fold of a run of whole words is that run of the whole text's fold). The rest of the text
 * is the old text's, whose words are in search_term already: a 1 % delta's 800 summaries were
 * split whole again (10.6 M instructions) and their 1,800 words looked up (5 M) for one new word.
 */
static int changed_words(termset *ts, store_folder *f, sqlite3_value *old, sqlite3_value *now)
{
    const char *a = (const char *)sqlite3_value_text(old), *b = (const char *)sqlite3_value_text(now);
    size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0, p = 0, q = 0;
    if (!b) return 0;
    while (p < na && p < nb && a[p] == b[p]) p++;
    while (q < na - p && q < nb - p && a[na - 1 - q] == b[nb - 1 - q]) q++;
    size_t lo = p, hi = nb - q;
    while (lo > 0 && !is_space(b[lo - 1])) lo--;
    while (hi < nb && !is_space(b[hi])) hi++;
    if (lo >= hi) return 0;
    char *run = malloc(hi - lo + 1), *folded = NULL;
    if (run) {
        memcpy(run, b + lo, hi - lo);
        run[hi - lo] = 0;
        folded = store_fold(f, run);
    }
    int rc = folded ? termset_text(ts, folded) : SQLITE_NOMEM;
    free(run);
    free(folded);
    return rc == SQLITE_OK ? 0 : -1;
}

/* The W_ bits of the document columns whose words one changeset row may make new, for
 * index_docs to split whole; an update of an offer's text gives its changed words to ts itself.
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
            (sqlite3changeset_old(it, c, &was) != SQLITE_OK || changed_words(ts, f, was, v) != 0))
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

/* The index after changeset (or rebuilt whole when changeset is NULL) on db, inside the caller's
 * transaction. */
static int reindex_in(sqlite3 *db, const void *changeset, int size, char *err, size_t errlen)
{
    store_folder *f = store_folder_open(err, errlen);
    int rc = -1;
    if (!f) return -1;
    termset words;
    if (termset_open(db, &words) != 0) {
        snprintf(err, errlen, "search index: cannot split words");
        termset_close(&words);
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
        /* the FTS rows of changed offers stay behind, unreachable: a contentless table can only
         * forget a row given its old text. Their search_doc rows go, so no query finds them;
         * offers are numbered on from the highest ever used, so none comes back to life. */
        /* content from packs made before search_new starts one */
        sqlite3_int64 top = exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS" SEARCH_NEW_COLS, err, errlen) ? -1
                            : store_single_int(db, TOP_OFFER);
        /* content from packs made before search_skel starts one */
        rc = top < 0 ||
                     exec(db, "DELETE FROM search_doc WHERE oid IN (SELECT id FROM temp.reindex);"
                              "CREATE TABLE IF NOT EXISTS search_skel" SKEL_COLS, err, errlen) ||
                     index_docs(db, f, &words, top + 1, err, errlen) || termset_store(db, &words, err, errlen)
                 ? -1
                 : 0;
        /* once a quarter of the index is dead offers, start it afresh */
        sqlite3_int64 live = store_single_int(db, "SELECT count(*) FROM search_doc");
        top = store_single_int(db, TOP_OFFER);
        if (rc == 0 && live >= 0 && top - live > live / 4) rc = rebuild(db, f, err, errlen);
    }
    termset_close(&words);
    if (rc == 0 && exec(db, "DROP TABLE IF EXISTS temp.reindex; DROP TABLE IF EXISTS temp.reindex_org;"
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
