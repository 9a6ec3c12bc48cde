/*
 * rows.c: offer list rows (store.h, store_priv.h): one statement selecting STORE_ROW_COLUMNS
 * read into rows whose texts are resolved along the reader's chain, the rows of a category sorted
 * by the reader's collation, and freeing rows.
 *
 * Owns reading the list row (what service_row holds is derive.c's). May not touch: which offers a search finds or how it ranks them
 * (search*.c keep their own statements and only read rows through store_rows_from), the offer's
 * detail (offer.c), or categories (categories.c).
 */
#include "store.h"
#include "store_priv.h"

#include "i18n/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows in the order of their names' collation keys, then their ids. */
static int row_cmp(const void *a, const void *b, void *keys)
{
    int i = *(const int *)a, j = *(const int *)b;
    const char *const *k = keys;
    int r = strcmp(k[2 * i], k[2 * j]);
    return r ? r : strcmp(k[2 * i + 1], k[2 * j + 1]);
}

/* Sort r[0..n) by name with the reader's collation: one key per row, then byte comparisons (a
 * collation per comparison was 9.7 M instructions on 500 rows). 0, or -1 out of memory. */
static int sort_rows(store_offer_row *r, int n, const char *lang)
{
    i18n_collator *coll = i18n_collator_open(lang);
    if (!coll) return 0; /* no collator for the language: the statement's order */
    char **keys = calloc((size_t)n * 2, sizeof *keys);
    int *ix = malloc(sizeof *ix * (size_t)n);
    store_offer_row *sorted = malloc(sizeof *sorted * (size_t)n);
    int rc = keys && ix && sorted ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        ix[i] = i;
        keys[2 * i] = i18n_collation_key(coll, r[i].name.text);
        keys[2 * i + 1] = r[i].id ? r[i].id : "";
        if (!keys[2 * i]) rc = -1;
    }
    if (rc == 0) {
        qsort_r(ix, (size_t)n, sizeof *ix, row_cmp, keys);
        for (int i = 0; i < n; i++) sorted[i] = r[ix[i]];
        memcpy(r, sorted, sizeof *r * (size_t)n);
    }
    for (int i = 0; keys && i < n; i++) free(keys[2 * i]);
    free(keys);
    free(ix);
    free(sorted);
    i18n_collator_close(coll);
    return rc;
}

int store_offers_in_category(store *s, const char *category, const char *const langs[], int nlangs,
                             store_offer_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    /* the category index holds the offers' ids: one look-up of a list row and one of its texts each */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_ROW_COLUMNS "FROM service_taxonomy t JOIN service_row r ON r.service_id=t.service_id "
                           STORE_ROW_TEXTS "WHERE t.term_id=?1 AND r.active",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, category, -1, SQLITE_STATIC);
    int rc = store_rows_from(s, st, langs, nlangs, out, n);
    sqlite3_finalize(st);
    if (rc == 0 && *n > 1 && sort_rows(*out, *n, nlangs ? langs[0] : "en") != 0) {
        store_offer_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        rc = -1;
    }
    return rc;
}

/* A language code into a store_text's lang, cut to fit (codes are short); snprintf was 1 M
 * instructions on a 500-row list. */
static void set_lang(char *dst, size_t cap, const char *lang, size_t len)
{
    if (len >= cap) len = cap - 1;
    memcpy(dst, lang, len);
    dst[len] = 0;
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
        set_lang(out[f]->lang, sizeof out[f]->lang, lang, strlen(lang));
        out[f]->status = store_status_of(sqlite3_column_text(st, col));
        out[f]->fallback = 0;
    }
    return 1;
}

/* Whether the comma-separated list has lang as one of its items. */
static int listed(const char *list, const char *lang)
{
    size_t n = strlen(lang);
    for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',')
        if (!strncmp(p, lang, n) && (p[n] == ',' || !p[n])) return 1;
    return 0;
}

/*
 * The provider's name from the one language the chain chooses among those it has a name in
 * (have, in code order): the chain's earliest, else the first of them, as store_resolve does; one
 * look-up. 0, or -1 when there is none to read and the chain has to be walked.
 */
static int provider_from(store *s, const char *org, const char *have, const char *const langs[], int nlangs,
                         store_text *name)
{
    char lang[sizeof name->lang];
    int i = 0;
    while (i < nlangs && !listed(have, langs[i])) i++;
    if (i < nlangs) set_lang(lang, sizeof lang, langs[i], strlen(langs[i]));
    else set_lang(lang, sizeof lang, have, strcspn(have, ","));
    if (!lang[0]) return -1;
    sqlite3_stmt *st = s->org_name_chain;
    sqlite3_bind_text(st, 1, org, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    const unsigned char *t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 1) : NULL;
    if (t && t[0] && (name->text = strdup((const char *)t)) != NULL) {
        memcpy(name->lang, lang, sizeof lang);
        name->status = store_status_of(sqlite3_column_text(st, 0));
        name->fallback = i != 0 || nlangs == 0;
    }
    sqlite3_reset(st);
    return name->text ? 0 : -1;
}

int store_rows_from(store *s, sqlite3_stmt *st, const char *const langs[], int nlangs, store_offer_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 0, rc = 0;
    store_offer_row *r = NULL;
    if (nlangs > 0) sqlite3_bind_text(st, 9, langs[0], -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 9);
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
            store_resolve_chain(s->svc_row_chain, s->svc_row, k->id, 2, langs, nlangs, o);
        const char *org = (const char *)sqlite3_column_text(st, 1), *have = (const char *)sqlite3_column_text(st, 9);
        if (!org || provider_from(s, org, have ? have : "", langs, nlangs, &k->provider) != 0)
            store_resolve_org_name(s, org ? org : "", langs, nlangs, &k->provider);
    }
    sqlite3_clear_bindings(st);
    *out = r;
    if (rc) { store_offer_rows_free(r, *n); *out = NULL; *n = 0; }
    return rc;
}

void store_offer_row_clear(store_offer_row *row)
{
    free(row->id);
    store_text_free(&row->name);
    store_text_free(&row->summary);
    store_text_free(&row->provider);
    free(row->town);
    free(row->languages);
    memset(row, 0, sizeof *row);
}

void store_offer_rows_free(store_offer_row *r, int n)
{
    for (int i = 0; i < n; i++) store_offer_row_clear(&r[i]);
    free(r);
}
