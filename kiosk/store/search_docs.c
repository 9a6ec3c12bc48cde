/*
 * search_docs.c: an offer's search documents (see search_index.c), put together from the content
 * an offer at a time, folded, given their skeletons (kept in search_skel by the text they were
 * made of) and reversed words, and inserted into the main or the side FTS table.
 */
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Folded text into the statement's parameter i (NULL text binds as empty); 0 or -1 on no memory. */
static int bind_folded(sqlite3_stmt *ins, int i, store_folder *f, const char *text, char **keep)
{
    *keep = store_fold(f, text ? text : "");
    if (!*keep) return -1;
    sqlite3_bind_text(ins, i, *keep, -1, SQLITE_STATIC);
    return 0;
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
        if (titles && name_cat) { /* "name provider categories", "name categories" */
            memcpy(titles, keep[0], a);
            titles[a] = ' ';
            memcpy(titles + a + 1, keep[4], c);
            titles[a + 1 + c] = ' ';
            memcpy(titles + a + c + 2, keep[1], b + 1);
            memcpy(name_cat, keep[0], a);
            name_cat[a] = ' ';
            memcpy(name_cat + a + 1, keep[1], b + 1);
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
            if ((bits & (1 << c)) && store_terms_text(words, keep[c]) != SQLITE_OK) {
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
    else if (n > 1) qsort(dt, (size_t)n, sizeof *dt, doc_text_cmp); /* dt is NULL for an offer left without texts */
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
 * Each offer without a search_doc number gets one from next on; its documents' FTS row ids are
 * that number times 32 plus their language's number in search_lang (0 for "*"), so an offer's
 * documents lie side by side and a row id alone says which offer and language it is.
 * The documents are put together here, an offer at a time, from its rows and the category names
 * read once: one query a document with a subquery for each column cost 26 M instructions for the
 * 850 documents of a 1 % delta (a third of them for category and provider names).
 */
int store_index_docs(sqlite3 *db, store_folder *f, termset *words, sqlite3_int64 next, char *err, size_t errlen)
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
             /* a re-indexed offer keeps the number it has (search_index.c) */
             only_listed ? " AND v.id IN (SELECT id FROM temp.reindex) AND NOT EXISTS (SELECT 1 FROM search_doc d WHERE d.oid=v.id)" : "");
    if (store_index_exec(db, sql, err, errlen)) return -1;
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
    snprintf(sql, sizeof sql, "SELECT d.id, v.id, v.organization_id, %s ORDER BY d.id",
             /* the few offers first, sorted after: not a scan of search_doc in its order */
             only_listed ? "r.words FROM temp.reindex r CROSS JOIN search_doc d ON d.oid=r.id CROSS JOIN service v ON v.id=r.id"
                         : "0 FROM search_doc d JOIN service v ON v.id=d.oid WHERE d.id >= ?1");
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
    if (!only_listed) sqlite3_bind_int64(r.offers, 1, next);
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
