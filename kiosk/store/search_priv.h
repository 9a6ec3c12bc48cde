/*
 * search_priv.h: what the search files share (fold.c, search_index.c, search_docs.c,
 * search_terms.c, search_words.c, search.c, search_rank.c, search_rows.c)
 * and nobody else sees.
 */
#ifndef KIOSK_SEARCH_PRIV_H
#define KIOSK_SEARCH_PRIV_H

#include "store.h"

#include <sqlite3.h>
#include <stddef.h>

struct store_search {
    store_folder *folder;
    int has_index;
    char **stop; /* stop words, folded */
    int nstop;
    sqlite3_stmt *terms, *ranked, *rowids, *oid;
    char lang[32][16];      /* search_lang: the language of each number */
    unsigned char *live;    /* live[n] & 1: offer number n is in search_doc (not a stale row); & 2: its
                             * documents are in search_new, its rows in the main table old */
    sqlite3_int64 nlive;
    /* The list rows of the last keystrokes' pages, for the reader's chain they were read in:
     * typing on, most of a page is the one before (search_rows.c). */
    struct search_rows {
        char chain[160];       /* the languages, joined */
        sqlite3_int64 version; /* PRAGMA data_version when they were read: a delta in place empties it */
        store_offer_row *row;
        unsigned *hash; /* of each row's id */
        int n, next;    /* rows held; the one to replace next when full */
    } rows;
    sqlite3_stmt *version;  /* PRAGMA data_version */
    sqlite3_int64 made;     /* its value when the numbers above were read (search_ready) */
    int side;               /* search_new holds documents: queries read it too */
    int renewed;            /* times the numbers were read again after another connection's commit */
};

/* kiosk_rank() on db, for FTS5 queries (search_rank.c): 0 or -1. */
int store_search_functions(sqlite3 *db);
/* kiosk_hidden(rowid) on db, reading ss->live; ss NULL removes it (search_rank.c): 0 or -1. */
int store_search_hidden(sqlite3 *db, struct store_search *ss);

/* FNV-1a of an offer id, for the hash sets over ids (search_rows.c). */
unsigned store_id_hash(const char *s);

/* store_rows_by_ids through ss->rows: rows held for the same chain and content are copied, the
 * others read and then held, the oldest making room (search_rows.c). Returns 0 with *out (caller
 * frees, store_offer_rows_free) in the order of ids, without offers that are gone; -1 on error. */
int store_search_rows(store *s, struct store_search *ss, const char *const *ids, int nids, const char *const langs[],
                      int nlangs, store_offer_row **out, int *n);
/* Frees the rows held; c stays usable (search_rows.c). */
void store_search_rows_forget(struct search_rows *c);

/* A skeleton's last step, in place: doubled letters once, one-letter words dropped, single
 * spaces between words (fold.c; the tests' reference skeleton uses it too). */
void store_squeeze_words(char *s);

/* The words of folded text reversed, the longer ones only (fold.c). Caller frees. */
char *store_reversed_words(const char *text);

/* Opens f's transliterator to Latin now rather than on the first text that needs it (fold.c). */
int store_folder_prepare(store_folder *f);


/* ---------- building the index (search_index.c, search_docs.c, search_terms.c) ---------- */

/* sql on db; 0, or -1 with err saying why (search_index.c). */
int store_index_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* The distinct words of re-indexed text, for search_term (search_terms.c). */
typedef struct termset {
    fts5_tokenizer tok;
    Fts5Tokenizer *t;
    char **slot; /* open addressing; NULL = free */
    size_t cap, n;
    int oom;
} termset;
/* An empty set with FTS5's unicode61 tokenizer as the index has it: 0 or -1 (close it either way). */
int store_terms_open(sqlite3 *db, termset *ts);
void store_terms_close(termset *ts);
/* The words of folded text into ts: SQLITE_OK or an error (ts->oom on no memory). */
int store_terms_text(termset *ts, const char *text);
/* ts's words into search_term; 0, or -1 with err saying why. */
int store_terms_store(sqlite3 *db, termset *ts, char *err, size_t errlen);
/* The words an update of one text column from old to now brings, into ts: 0 or -1. */
int store_terms_changed(termset *ts, store_folder *f, sqlite3_value *old, sqlite3_value *now);

/* The documents of the active offers into the index (search_docs.c): all of them into "search"
 * when words is NULL, else those of temp.reindex into search_new, the words of the columns their
 * W_ bits name into words; numbered from next on. 0, or -1 with err saying why. */
int store_index_docs(sqlite3 *db, store_folder *f, termset *words, sqlite3_int64 next, char *err, size_t errlen);

/* The text columns, for FTS5 column filters. */
#define TEXT_COLS "{name cat summary descr provider town}"

/* A growing string; oom set once memory ran out (then it reads as ""). */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;
void store_sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *store_sb_str(const sbuf *b);

typedef struct qword {
    char w[200];                       /* the word, folded */
    sbuf exact, prefix, sounds, loose; /* its alternatives, each tier adding to the last */
} qword;

/* ss->stop: the stop words folded (search_words.c). Returns 0 or -1. */
int store_query_stop_load(struct store_search *ss);
/* Split folded into words and build each one's alternatives; returns the number of words kept. */
int store_query_words(struct store_search *ss, const char *folded, qword *qw, int max);
/* The loosest alternatives of q (typos, word endings, halves): only when the stricter tiers found too little. */
void store_query_loosen(struct store_search *ss, qword *q);
/* All words (join " AND ") or some (" OR ") of one kind of alternative (field: its offset in qword). */
void store_query_tier(sbuf *out, const qword *qw, int n, size_t field, const char *join);

#endif
