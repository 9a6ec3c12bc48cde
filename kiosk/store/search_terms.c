/*
 * search_terms.c: the words of re-indexed documents for search_term, the typo candidates (see
 * search_index.c): split by FTS5's own tokenizer into a set of distinct words, and the words an
 * updated text brings, found from the changeset's old and new text alone.
 */
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The words of re-indexed documents, for search_term: FTS5's own tokenizer (unicode61, as the
 * search table uses) splits the folded text, and the distinct words are kept in a small hash set,
 * so each goes to search_term once. Going through a temporary FTS5 table and its fts5vocab cost
 * 117 M instructions for the 850 documents of a 1 % delta, an eighth of the whole apply.
 */
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

int store_terms_open(sqlite3 *db, termset *ts)
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

void store_terms_close(termset *ts)
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

int store_terms_text(termset *ts, const char *text)
{
    return ts->tok.xTokenize(ts->t, ts, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text), term_add);
}

/* The set's words into search_term (those already there stay), in one statement: a statement a
 * word cost 13.7 M instructions for the 1,800 words of a 1 % delta, nearly all there already. */
int store_terms_store(sqlite3 *db, termset *ts, char *err, size_t errlen)
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
int store_terms_changed(termset *ts, store_folder *f, sqlite3_value *old, sqlite3_value *now)
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
    int rc = folded ? store_terms_text(ts, folded) : SQLITE_NOMEM;
    free(run);
    free(folded);
    return rc == SQLITE_OK ? 0 : -1;
}
