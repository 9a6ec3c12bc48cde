/*
 * categories.c: the top-level categories in display order, with names resolved along the
 * reader's chain, and each one's count of active offers (store.h).
 *
 * Owns struct store's counts (made once per opened pack, freed by store_close). May not touch:
 * the offers' rows (rows.c) or the search (search*.c).
 */
#include "store.h"
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

/*
 * The active offers of each category, once per opened pack: they do not change with the language
 * (a new pack is a new store). Read from taxonomy_count, which kiosk-pack counts (derive.c):
 * counting along the category index here was 6 M instructions on 5,000 offers at every start.
 */
static int count_categories(store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT term_id, offers FROM taxonomy_count", -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = 0, cap = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (s->ncounts == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_count *nc = realloc(s->counts, sizeof *nc * (size_t)cap);
            if (!nc) {
                rc = -1;
                break;
            }
            s->counts = nc;
        }
        s->counts[s->ncounts].n = sqlite3_column_int(st, 1);
        if (!(s->counts[s->ncounts].id = store_dup_col(st, 0))) rc = -1;
        else s->ncounts++;
    }
    sqlite3_finalize(st);
    if (rc == 0 && !s->counts) s->counts = calloc(1, sizeof *s->counts); /* none: counted all the same */
    return rc == 0 && s->counts ? 0 : -1;
}

int store_category_counts(store *s, store_category *c, int n)
{
    if (!s->counts && count_categories(s)) return -1;
    for (int k = 0; k < n; k++) {
        c[k].count = 0;
        for (int i = 0; c[k].id && i < s->ncounts; i++)
            if (!strcmp(s->counts[i].id, c[k].id)) c[k].count = s->counts[i].n;
    }
    return 0;
}

static int categories(store *s, const char *const langs[], int nlangs, int counted, store_category **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st, *tr, *one = NULL;
    if (counted && !s->counts && count_categories(s)) return -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT t.id, NULL, m.data FROM taxonomy_term t LEFT JOIN media m ON m.id=t.icon "
                           "WHERE t.parent_id IS NULL ORDER BY t.sort_order, t.id",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    /* a name in the reader's language is one look-up: all 16 translations were read for each
     * category, 1.4 M instructions at every start */
    if (sqlite3_prepare_v2(s->db, "SELECT lang, status, name FROM taxonomy_term_i18n WHERE term_id=?1", -1, &tr, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT status, name FROM taxonomy_term_i18n WHERE term_id=?1 AND lang=?2", -1, &one,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        sqlite3_finalize(tr);
        sqlite3_finalize(one);
        return -1;
    }
    int cap = 0, rc = 0;
    store_category *c = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            store_category *nc = realloc(c, sizeof *nc * (size_t)cap);
            if (!nc) { rc = -1; break; }
            c = nc;
        }
        store_category *k = &c[(*n)++];
        memset(k, 0, sizeof *k);
        k->id = store_dup_col(st, 0);
        for (int i = 0; counted && k->id && i < s->ncounts; i++)
            if (!strcmp(s->counts[i].id, k->id)) k->count = s->counts[i].n;
        int bl = sqlite3_column_bytes(st, 2);
        if (bl > 0 && (k->icon = malloc((size_t)bl)) != NULL) {
            memcpy(k->icon, sqlite3_column_blob(st, 2), (size_t)bl);
            k->icon_len = (size_t)bl;
        }
        store_text *o[] = {&k->name};
        store_resolve_chain(one, tr, k->id ? k->id : "", 1, langs, nlangs, o);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(tr);
    sqlite3_finalize(one);
    *out = c;
    if (rc) { store_categories_free(c, *n); *out = NULL; *n = 0; }
    return rc;
}

int store_categories(store *s, const char *const langs[], int nlangs, store_category **out, int *n)
{
    return categories(s, langs, nlangs, 1, out, n);
}

int store_categories_uncounted(store *s, const char *const langs[], int nlangs, store_category **out, int *n)
{
    return categories(s, langs, nlangs, 0, out, n);
}

void store_categories_free(store_category *c, int n)
{
    for (int i = 0; i < n; i++) {
        free(c[i].id);
        store_text_free(&c[i].name);
        free(c[i].icon);
    }
    free(c);
}
