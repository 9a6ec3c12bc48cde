/*
 * search.c: offers found by typed text, in any script (store.h): tiers of FTS5 queries scored by
 * kiosk_rank (BM25 over weighted columns), counted and paged. The index is built by
 * search_index.c, queries are made of words by search_words.c, text is folded by fold.c.
 * Queries are never stored or logged.
 */
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Column weights, in the table's column order (name, cat, summary, descr, provider, town, skel,
 * rev, lang): the offer's name counts most, then its categories' names; the provider's name
 * above summary and description, since a person typing "Caritas" or "Jobcenter" means that
 * provider's offers, not the ones whose text mentions it. */
#define SEARCH_RANK "kiosk_rank(search, 10.0, 6.0, 3.0, 1.5, 4.0, 0.5, 2.0, 2.0, 0.0)"

/* Above this many matching documents a tier is not scored whole (a short prefix on a big pack:
 * scoring costs some microseconds a document): only its documents in the reader's language, when
 * few enough, and the rest read in index order. */
#define SEARCH_RANK_MAX 200
/* A tier's offers are counted among this many documents; beyond, the total is "at least". */
#define SEARCH_COUNT_MAX 1200
/* Typos, word endings and the some-words tier join in when the stricter tiers found fewer offers. */
#define SEARCH_LOOSE_BELOW 20
/* The offer ids found so far, in rank order, with a hash set to skip repeats. */
typedef struct found {
    char **ids;
    int n, cap;
    unsigned *slots; /* index + 1 into ids, 0 = free; cap * 2 slots */
} found;

/* Adds id unless already there; returns -1 on no memory. */
static int found_add(found *f, const char *id)
{
    if (f->n + 1 > f->cap) {
        int cap = f->cap ? f->cap * 2 : 64;
        char **ids = realloc(f->ids, sizeof *ids * (size_t)cap);
        unsigned *slots = calloc((size_t)cap * 2, sizeof *slots);
        if (ids) f->ids = ids;
        if (!ids || !slots) {
            free(slots);
            return -1;
        }
        free(f->slots);
        f->slots = slots;
        f->cap = cap;
        for (int i = 0; i < f->n; i++) {
            unsigned h = store_id_hash(f->ids[i]) % (unsigned)(cap * 2);
            while (f->slots[h]) h = (h + 1) % (unsigned)(cap * 2);
            f->slots[h] = (unsigned)i + 1;
        }
    }
    unsigned size = (unsigned)f->cap * 2, h = store_id_hash(id) % size;
    for (; f->slots[h]; h = (h + 1) % size)
        if (!strcmp(f->ids[f->slots[h] - 1], id)) return 0;
    if (!(f->ids[f->n] = strdup(id))) return -1;
    f->slots[h] = (unsigned)++f->n;
    return 0;
}

static void found_free(found *f)
{
    for (int i = 0; i < f->n; i++) free(f->ids[i]);
    free(f->ids);
    free(f->slots);
}

void store_search_close(store *s)
{
    struct store_search *ss = s->search;
    if (!ss) return;
    store_folder_close(ss->folder);
    for (int i = 0; i < ss->nstop; i++) free(ss->stop[i]);
    free(ss->stop);
    sqlite3_finalize(ss->terms);
    sqlite3_finalize(ss->ranked);
    sqlite3_finalize(ss->oid);
    sqlite3_finalize(ss->rowids);
    sqlite3_finalize(ss->version);
    store_search_hidden(s->db, NULL); /* it reads ss */
    store_search_rows_forget(&ss->rows);
    free(ss->live);
    free(ss);
    s->search = NULL;
}

/* The languages' numbers and which offer numbers are live, read once: row ids then tell offers
 * apart without a look-up each. */
static int load_numbers(sqlite3 *db, struct store_search *ss)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "SELECT li, code FROM search_lang WHERE li BETWEEN 0 AND 31", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        snprintf(ss->lang[sqlite3_column_int(st, 0)], sizeof ss->lang[0], "%s", code ? code : "");
    }
    sqlite3_finalize(st);
    ss->nlive = store_single_int(db, "SELECT coalesce(max(id), 0) + 1 FROM search_doc");
    if (ss->nlive <= 0 || ss->nlive > (1 << 26) || !(ss->live = calloc((size_t)ss->nlive, 1))) return -1;
    /* the live offers; then those whose documents a delta re-indexed: their main rows are old */
    static const char *const sql[2] = {"SELECT id, 1 FROM search_doc", "SELECT DISTINCT id >> 5, 2 FROM search_new_docsize"};
    for (int pass = 0; rc == 0 && pass < (ss->side > 0 ? 2 : 1); pass++) {
        if (sqlite3_prepare_v2(db, sql[pass], -1, &st, NULL) != SQLITE_OK) return -1;
        while (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(st, 0);
            if (id >= 0 && id < ss->nlive) ss->live[id] |= (unsigned char)sqlite3_column_int(st, 1);
        }
        rc = sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
    }
    return rc;
}


/* A tier's documents read in index order (row ids only, no look-up): how many (up to cap), the
 * live offers among them, the first want of those offers' numbers; and, when li numbers the
 * reader's language, the same of the documents in it (mine). Row ids give the language, so the
 * reader's share costs nothing more to read; it spares queries that would find none of it, or too
 * much of it to score (run_tier), and the reader's own tier (reader_first) its own reading. */
typedef struct tier_count {
    int docs, offers, nfirst, mine, mine_offers, nmine_first;
    int whole; /* all the tier's documents counted (fewer than cap) */
    sqlite3_int64 *first, *mine_first;
} tier_count;

static void tier_count_free(tier_count *c)
{
    free(c->first);
    free(c->mine_first);
    c->first = c->mine_first = NULL;
}

static int count_tier(struct store_search *ss, const char *expr, int cap, int want, int li, tier_count *c)
{
    sqlite3_int64 last = -1;
    memset(c, 0, sizeof *c);
    size_t size = sizeof *c->first * (size_t)(want > 0 ? want : 1);
    if (!(c->first = malloc(size)) || !(c->mine_first = malloc(size))) {
        tier_count_free(c);
        return -1;
    }
    int step;
    sqlite3_bind_text(ss->rowids, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(ss->rowids, 2, cap);
    while ((step = sqlite3_step(ss->rowids)) == SQLITE_ROW) {
        sqlite3_int64 row = sqlite3_column_int64(ss->rowids, 0), offer = row >> 5;
        int mine = li > 0 && (row & 31) == li, live = offer < ss->nlive && (ss->live[offer] & 1);
        c->mine += mine;
        if (mine && live) { /* one document per offer and language */
            if (c->nmine_first < want) c->mine_first[c->nmine_first++] = offer;
            c->mine_offers++;
        }
        c->docs++;
        if (offer != last && live) {
            if (c->nfirst < want) c->first[c->nfirst++] = offer;
            c->offers++;
        }
        last = offer;
    }
    sqlite3_reset(ss->rowids);
    c->whole = c->docs < cap;
    return step == SQLITE_DONE ? 0 : -1;
}

/* The reader's share of c as a count of its own (c's documents in the reader's language are
 * exactly those of the tier "c's expression AND lang : reader"); c is emptied of it. */
static tier_count mine_of(tier_count *c)
{
    tier_count m = {.docs = c->mine, .offers = c->mine_offers, .nfirst = c->nmine_first, .mine = c->mine,
                    .mine_offers = c->mine_offers, .whole = c->whole, .first = c->mine_first};
    c->mine_first = NULL;
    return m;
}

/* The live offers matching expr (*all: counted to the end, not cut at SEARCH_COUNT_MAX). */
static int count_total(struct store_search *ss, const char *expr, int *offers, int *all)
{
    tier_count c;
    int rc = count_tier(ss, expr, SEARCH_COUNT_MAX, 0, 0, &c);
    *offers = c.offers;
    *all = c.whole;
    tier_count_free(&c);
    return rc;
}

/*
 * The documents a delta re-indexed are in search_new, a small FTS table of the same columns beside
 * the main one (search_index.c); a query reads both. An offer re-indexed keeps its number, and
 * its rows in the main table are hidden (kiosk_hidden), so each live offer's documents are in one
 * of the two, and the main table's rows and then search_new's are each in offer number order.
 * It is read only when it holds documents (after a full pack it holds none: an empty side query
 * cost 0.1 M instructions a keystroke), decided once, like load_numbers, and again when another
 * connection has committed (search_ready).
 */
#define SEARCH_NEW_RANK "kiosk_rank(search_new, 10.0, 6.0, 3.0, 1.5, 4.0, 0.5, 2.0, 2.0, 0.0)"
#define RANKED_SQL(rows) "SELECT d.oid FROM (" rows ") LEFT JOIN search_doc d ON d.id=(r >> 5)" \
    " ORDER BY k * (CASE WHEN (r & 31)=?2 THEN 1.2 ELSE 1.0 END)"
#define RANKED_MAIN "SELECT rowid AS r, " SEARCH_RANK " AS k FROM search WHERE search MATCH ?1 LIMIT ?3"
#define RANKED_MAIN_LIVE "SELECT rowid AS r, " SEARCH_RANK " AS k FROM search WHERE search MATCH ?1" \
    " AND NOT kiosk_hidden(rowid) LIMIT ?3"
#define RANKED_NEW "SELECT rowid AS r, " SEARCH_NEW_RANK " AS k FROM search_new WHERE search_new MATCH ?1 LIMIT ?3"
#define ROWIDS_MAIN "SELECT rowid FROM search WHERE search MATCH ?1"
#define ROWIDS_MAIN_LIVE ROWIDS_MAIN " AND NOT kiosk_hidden(rowid)"
#define ROWIDS_NEW " UNION ALL SELECT rowid FROM search_new WHERE search_new MATCH ?1"

/* PRAGMA data_version of the store's connection: it moves when another one commits. -1: unknown. */
static sqlite3_int64 content_version(struct store_search *ss)
{
    sqlite3_int64 v = -1;
    if (!ss->version) return -1;
    if (sqlite3_step(ss->version) == SQLITE_ROW) v = sqlite3_column_int64(ss->version, 0);
    sqlite3_reset(ss->version);
    return v;
}

/* The statements that depend on whether search_new holds documents (ss->side), made anew. */
static int prepare_side(sqlite3 *db, struct store_search *ss)
{
    sqlite3_finalize(ss->ranked);
    sqlite3_finalize(ss->rowids);
    ss->ranked = ss->rowids = NULL;
    return store_search_hidden(db, ss) == 0 &&
                   sqlite3_prepare_v2(db,
                                      ss->side ? RANKED_SQL("SELECT * FROM (" RANKED_MAIN_LIVE ") UNION ALL SELECT * FROM ("
                                                            RANKED_NEW ")")
                                               : RANKED_SQL(RANKED_MAIN),
                                      -1, &ss->ranked, NULL) == SQLITE_OK &&
                   sqlite3_prepare_v2(db, ss->side ? ROWIDS_MAIN_LIVE ROWIDS_NEW " LIMIT ?2" : ROWIDS_MAIN " LIMIT ?2", -1,
                                      &ss->rowids, NULL) == SQLITE_OK
               ? 0
               : -1;
}

/* -1 for content from before search_new */
static int side_has_docs(sqlite3 *db) { return store_single_int(db, "SELECT EXISTS(SELECT 1 FROM search_new_docsize)") == 1; }

/*
 * After another connection committed (a delta applied in place by the installer while this reader
 * stays open): its offers have new numbers, maybe in a side table that was empty. Only what the
 * content holds is read again, the offer numbers, the languages' and whether search_new counts;
 * the folder and the stop words, made of no content, stay: opened afresh, the folder would also
 * lose its Any-Latin transliterator, prepared before the first keystroke (store_search_prepare)
 * because making it costs some 140 M instructions, and the next skeleton would wait for it.
 */
static int search_renew(store *s, sqlite3_int64 version)
{
    struct store_search *ss = s->search;
    int side = side_has_docs(s->db);
    free(ss->live);
    ss->live = NULL;
    ss->nlive = 0;
    memset(ss->lang, 0, sizeof ss->lang);
    ss->has_index = ss->has_index && (side == ss->side || (ss->side = side, prepare_side(s->db, ss) == 0)) &&
                    load_numbers(s->db, ss) == 0;
    ss->renewed++;
    ss->made = version; /* as read before the numbers: a commit since then renews them again */
    return ss->has_index;
}

static int search_ready(store *s)
{
    if (s->search) {
        sqlite3_int64 v = content_version(s->search);
        if (v < 0 || v == s->search->made) return s->search->has_index;
        if (s->search->has_index) return search_renew(s, v);
        store_search_close(s); /* content without an index before: it may have one now */
    }
    char err[200];
    struct store_search *ss = s->search = calloc(1, sizeof *s->search);
    if (!ss) return 0;
    ss->side = side_has_docs(s->db);
    ss->folder = store_folder_open(err, sizeof err);
    if (ss->folder) store_query_stop_load(ss);
    /* an index of this format has its vocabulary beside it */
    ss->has_index =
        ss->folder && ss->stop && store_search_functions(s->db) == 0 &&
        sqlite3_prepare_v2(s->db, "SELECT term FROM search_term WHERE term >= ?1 AND term < ?2", -1, &ss->terms, NULL) == SQLITE_OK &&
        prepare_side(s->db, ss) == 0 &&
        sqlite3_prepare_v2(s->db, "SELECT oid FROM search_doc WHERE id=?1", -1, &ss->oid, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &ss->version, NULL) == SQLITE_OK &&
        load_numbers(s->db, ss) == 0;
    ss->made = content_version(ss);
    return ss->has_index;
}

/*
 * The rows of expr ranked into f, when there are at most SEARCH_RANK_MAX of them: 1 when there
 * were more (then f is unchanged), 0, -1. One evaluation of expr, which is what costs: the
 * count and the ranking come from the same rows.
 */
static int ranked(struct store_search *ss, const char *expr, int li, found *f)
{
    char *keep[SEARCH_RANK_MAX];
    int n = 0, rc = 0, step;
    sqlite3_bind_text(ss->ranked, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(ss->ranked, 2, li);
    sqlite3_bind_int(ss->ranked, 3, SEARCH_RANK_MAX + 1);
    while ((step = sqlite3_step(ss->ranked)) == SQLITE_ROW) {
        if (n == SEARCH_RANK_MAX) {
            rc = 1;
            break;
        }
        const char *id = (const char *)sqlite3_column_text(ss->ranked, 0);
        keep[n] = id ? strdup(id) : NULL; /* no id: an offer changed since, its old row unreachable */
        if (id && !keep[n]) {
            rc = -1;
            break;
        }
        n++;
    }
    if (rc == 0 && step != SQLITE_DONE) rc = -1;
    sqlite3_reset(ss->ranked);
    for (int i = 0; i < n; i++) {
        if (rc == 0 && keep[i] && found_add(f, keep[i])) rc = -1;
        free(keep[i]);
    }
    return rc;
}

/*
 * The offers of tier expr that the tier before it (prev) did not bring, into f: scored when its new
 * documents are few enough to score, else those in the reader's language scored (if few enough,
 * and rank_mine: the count left that open), then c's offers in index order up to want. Returns 1
 * when it read in index order, 0, -1.
 */
static int run_tier(struct store_search *ss, const char *expr, const char *prev, int new_docs, const tier_count *c,
                    const char *lang, int li, int rank_mine, found *f, int want)
{
    sbuf e = {0};
    int rc = 1;
    if (prev) store_sb_add(&e, "(%s) NOT (%s)", expr, prev);
    else store_sb_add(&e, "%s", expr);
    if (e.oom) rc = -1;
    else if (new_docs <= SEARCH_RANK_MAX) rc = ranked(ss, store_sb_str(&e), li, f); /* 1 only if the count was wrong */
    if (rc == 1 && li > 0 && rank_mine) {
        sbuf m = {0};
        store_sb_add(&m, "(%s) AND lang : \"%s\"", store_sb_str(&e), lang);
        if (m.oom || ranked(ss, store_sb_str(&m), li, f) < 0) rc = -1;
        free(m.s);
    }
    for (int i = 0; rc > 0 && i < c->nfirst && f->n < want; i++) {
        sqlite3_bind_int64(ss->oid, 1, c->first[i]);
        if (sqlite3_step(ss->oid) == SQLITE_ROW && found_add(f, (const char *)sqlite3_column_text(ss->oid, 0))) rc = -1;
        sqlite3_reset(ss->oid);
    }
    free(e.s);
    return rc;
}

/*
 * The reader's sense of a word before another language's: when texts of other languages have the
 * words whole (exact, counted in *ce with the reader's language's share) and none in the reader's
 * language does, but some has them as word starts (prefix, counted in *cp), those texts come
 * first, and exact is widened by them so each tier still holds the one before. An Arabic
 * reader's "كار" is the start of "كاريتاس" in Arabic texts, not the Persian word "کار" (work)
 * that the exact tier would bring first. The counts are those the tiers need anyway. Returns 1
 * when it applied (then *ce no longer counts exact), 0, -1.
 */
static int reader_first(sbuf *first, sbuf *exact, const sbuf *prefix, const char *lang, const tier_count *ce,
                        const tier_count *cp)
{
    if (ce->docs == 0 || ce->mine > 0 || cp->mine == 0) return 0;
    store_sb_add(first, "(%s) AND lang : \"%s\"", store_sb_str(prefix), lang);
    sbuf wider = {0};
    store_sb_add(&wider, "(%s) OR (%s)", store_sb_str(first), store_sb_str(exact));
    free(exact->s);
    *exact = wider;
    return first->oom || exact->oom ? -1 : 1;
}

/*
 * Tiers, best first (after the reader's own sense of the words, reader_first): every word as a
 * whole word; every word, as a word's start (and, in Arabic
 * script, after the article); every word, or its Latin skeleton. When those find fewer than
 * SEARCH_LOOSE_BELOW offers: every word, or a typo of it, a word ending in it or its two halves;
 * then some of the words. Within a tier BM25 (rank_fn) over the weighted columns, the reader's
 * language a little ahead; each offer where its best document falls. A tier matching too many
 * documents to score on a keystroke (SEARCH_RANK_MAX) is read in index order, the names in the
 * reader's language first; the total is then a lower bound.
 */
int store_search_page(store *s, const char *query, const char *const langs[], int nlangs, int offset, int limit,
                      store_offer_row **out, int *n, int *total, int *exact)
{
    *out = NULL;
    *n = 0;
    if (total) *total = 0;
    if (exact) *exact = 1;
    if (!search_ready(s)) return 1;
    struct store_search *ss = s->search;
    if (offset < 0) offset = 0;
    if (limit <= 0) return 0;
    char *folded = store_fold(ss->folder, query);
    if (!folded) return -1;
    qword qw[8];
    int nw = store_query_words(ss, folded, qw, 8), rc = 0, plain = 0, want = offset + limit;
    free(folded);
    if (nw == 0) return 0;
    const char *lang = "";
    if (nlangs > 0 && strlen(langs[0]) < 16 && strspn(langs[0], "abcdefghijklmnopqrstuvwxyz") == strlen(langs[0]))
        lang = langs[0];
    int li = -1;
    for (int i = 1; i < 32 && lang[0] && li < 0; i++)
        if (!strcmp(ss->lang[i], lang)) li = i;
    /* t[0]: the reader's own sense first (below); then the tiers of the comment above */
    sbuf t[6] = {0};
    store_query_tier(&t[1], qw, nw, offsetof(qword, exact), " AND ");
    store_query_tier(&t[2], qw, nw, offsetof(qword, prefix), " AND ");
    store_query_tier(&t[3], qw, nw, offsetof(qword, sounds), " AND ");
    /* the whole words' and the word starts' counts, each with the reader's language's share, for
     * reader_first and then for their tiers; the word starts' only when the whole words leave
     * the question open */
    tier_count pre[3] = {{0}};
    int counted[3] = {0};
    /* capped: some tier had more documents than are counted on a keystroke; then so has the
     * loosest (it holds them all), and its total is at least capped_offers without reading it */
    int capped = 0, capped_offers = 0;
    if (li > 0 && !t[1].oom) {
        counted[1] = 1;
        if (count_tier(ss, store_sb_str(&t[1]), SEARCH_COUNT_MAX, want, li, &pre[1])) rc = -1;
        if (rc == 0 && pre[1].docs > 0 && pre[1].mine == 0 && !t[2].oom) {
            counted[2] = 1;
            if (count_tier(ss, store_sb_str(&t[2]), SEARCH_COUNT_MAX, want, li, &pre[2])) rc = -1;
        }
        for (int i = 1; i < 3; i++)
            if (counted[i] && !pre[i].whole) {
                capped = 1;
                if (pre[i].offers > capped_offers) capped_offers = pre[i].offers;
            }
        int r = rc == 0 && counted[2] ? reader_first(&t[0], &t[1], &t[2], lang, &pre[1], &pre[2]) : 0;
        if (r < 0) rc = -1;
        if (r != 0) {
            tier_count_free(&pre[1]); /* exact is wider now */
            counted[1] = 0;
        }
        /* the reader's own tier is the word starts' documents in the reader's language: counted
         * already, when they were read whole or fill the page */
        if (r == 1 && (pre[2].whole || pre[2].nmine_first >= want)) {
            pre[0] = mine_of(&pre[2]);
            counted[0] = 1;
        }
    }
    found f = {0};
    /* L: the loosest tier that applies; its count is the total, whether or not a page needed it */
    int last = -1, prev_docs = 0, prev_mine = 0, prev_whole = 1, L = 3, have = -1, tot = 0, whole = 1;
    for (int i = t[0].len ? 0 : 1; i < 6 && rc >= 0; i++) {
        if (i == 4) {
            if (have < 3 && capped) {
                whole = 0;
                break; /* too many to count: no loosening */
            }
            if (have < 3 && count_total(ss, store_sb_str(&t[3]), &tot, &whole)) rc = -1;
            have = 3;
            if (rc < 0 || tot >= SEARCH_LOOSE_BELOW) break;
            for (int k = 0; k < nw; k++) store_query_loosen(ss, &qw[k]);
            store_query_tier(&t[4], qw, nw, offsetof(qword, loose), " AND ");
            if (nw > 1) store_query_tier(&t[5], qw, nw, offsetof(qword, loose), " OR ");
            L = nw > 1 ? 5 : 4;
        }
        if (i > L || (plain && f.n >= want)) break;
        if (t[i].oom) rc = -1;
        /* a tier that adds nothing to the one before it is skipped */
        if (rc < 0) break;
        if (last >= 0 && !strcmp(store_sb_str(&t[i]), store_sb_str(&t[last]))) {
            have = i;
            continue;
        }
        /* each tier holds the ones before it: its count is the total so far */
        tier_count c;
        if (i < 3 && counted[i]) {
            c = pre[i]; /* counted above */
            counted[i] = 0;
            memset(&pre[i], 0, sizeof pre[i]);
        } else if (count_tier(ss, store_sb_str(&t[i]), SEARCH_COUNT_MAX, want, li, &c)) {
            rc = -1;
        }
        int all = c.whole, new_docs = all ? c.docs - prev_docs : SEARCH_COUNT_MAX;
        if (!all) {
            capped = 1;
            if (c.offers > capped_offers) capped_offers = c.offers;
        }
        /* the new documents in the reader's language, when the tier before had them all counted
         * (this one not: at least so many): none, or more than can be scored, need no query of
         * their own. Nor do they when a tier too big to count holds none among the documents
         * counted: the reader's language is rare in it, and that query would read it all. */
        int new_mine = prev_whole ? c.mine - prev_mine : -1;
        int rank_mine = new_mine != 0 && new_mine <= SEARCH_RANK_MAX && !(!c.whole && c.mine == 0);
        if (rc == 0 && new_docs > 0) {
            int r = run_tier(ss, store_sb_str(&t[i]), last >= 0 ? store_sb_str(&t[last]) : NULL, new_docs, &c, lang, li,
                             rank_mine, &f, want);
            if (r < 0) rc = -1;
            if (r == 1) plain = 1;
        }
        tot = c.offers;
        whole = all;
        have = i;
        tier_count_free(&c);
        prev_docs = c.docs;
        prev_mine = c.mine;
        prev_whole = c.whole;
        last = i;
    }
    /* the page filled before the loosest tier: count it all the same, unless a tier already had
     * more than can be counted on a keystroke (the loosest has as many then) */
    if (capped) {
        whole = 0;
        if (tot < capped_offers) tot = capped_offers; /* counted in index order up to the cap: a lower bound */
    }
    if (rc >= 0 && have < L && whole) {
        int stricter = tot;
        if (count_total(ss, store_sb_str(&t[L]), &tot, &whole)) rc = -1;
        if (tot < stricter) tot = stricter; /* counted in index order up to the cap: a lower bound */
    }
    if (total) *total = tot > f.n ? tot : f.n;
    if (exact) *exact = whole;
    for (int i = 0; i < nw; i++) {
        free(qw[i].exact.s);
        free(qw[i].prefix.s);
        free(qw[i].sounds.s);
        free(qw[i].loose.s);
        if (qw[i].exact.oom || qw[i].prefix.oom || qw[i].sounds.oom || qw[i].loose.oom) rc = -1;
    }
    for (int i = 0; i < 6; i++) free(t[i].s);
    for (int i = 0; i < 3; i++) tier_count_free(&pre[i]);
    if (rc == 0 && offset < f.n)
        rc = store_search_rows(s, ss, (const char *const *)f.ids + offset, f.n - offset < limit ? f.n - offset : limit, langs,
                         nlangs, out, n);
    found_free(&f);
    if (rc < 0 && total) *total = 0;
    return rc < 0 ? -1 : 0;
}

int store_search_prepare(store *s)
{
    if (!search_ready(s)) return s->search ? 1 : -1;
    return store_folder_prepare(s->search->folder);
}

int store_search(store *s, const char *query, const char *const langs[], int nlangs, int limit, store_offer_row **out,
                 int *n)
{
    return store_search_page(s, query, langs, nlangs, 0, limit, out, n, NULL, NULL);
}
