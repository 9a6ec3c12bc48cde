/*
 * rows.c: offer list rows (store.h, store_priv.h): one statement selecting STORE_ROW_COLUMNS
 * read into rows whose texts are resolved along the reader's chain, the rows of a category sorted
 * by the reader's collation, and freeing rows.
 *
 * Owns the list row's shape. May not touch: which offers a search finds or how it ranks them
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
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_ROW_COLUMNS "FROM service_taxonomy t JOIN service v ON v.id=t.service_id "
                           STORE_ROW_JOINS "WHERE t.term_id=?1 AND v.status='active'",
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

/* Fields from columns col.. of st (status, text...) when each has text; else nothing is taken. */
static int take_first(sqlite3_stmt *st, int col, int nfields, const char *lang, store_text *out[])
{
    for (int f = 0; f < nfields; f++) {
        const unsigned char *t = sqlite3_column_text(st, col + 1 + f);
        if (!t || !t[0]) return 0;
    }
    for (int f = 0; f < nfields; f++) {
        out[f]->text = strdup((const char *)sqlite3_column_text(st, col + 1 + f));
        snprintf(out[f]->lang, sizeof out[f]->lang, "%s", lang);
        out[f]->status = store_status_of(sqlite3_column_text(st, col));
        out[f]->fallback = 0;
    }
    return 1;
}

int store_rows_from(store *s, sqlite3_stmt *st, const char *const langs[], int nlangs, store_offer_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 0, rc = 0;
    store_offer_row *r = NULL;
    /* ?9 the chain's first language, ?10 the chain as ",ar,en,de," */
    size_t cl = 2;
    for (int i = 0; i < nlangs; i++) cl += strlen(langs[i]) + 1;
    char *chain = malloc(cl);
    if (!chain) return -1;
    chain[0] = ',';
    chain[1] = 0;
    for (int i = 0; i < nlangs; i++) strcat(strcat(chain, langs[i]), ",");
    if (nlangs > 0) sqlite3_bind_text(st, 9, langs[0], -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, chain, -1, SQLITE_STATIC);
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
        const char *plang = (const char *)sqlite3_column_text(st, 11);
        store_text *p[] = {&k->provider};
        if (!plang || !take_first(st, 9, 1, plang, p))
            store_resolve_org_name(s, (const char *)sqlite3_column_text(st, 1), langs, nlangs, &k->provider);
        else
            k->provider.fallback = !nlangs || strcmp(plang, langs[0]) != 0;
    }
    sqlite3_clear_bindings(st);
    free(chain);
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
