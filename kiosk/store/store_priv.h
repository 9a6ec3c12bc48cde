/*
 * store_priv.h: what the store's files share and nobody else sees.
 */
#ifndef KIOSK_STORE_PRIV_H
#define KIOSK_STORE_PRIV_H

#include "store.h"

#include <sqlite3.h>

struct store_search;

struct store {
    sqlite3 *db;
    sqlite3_stmt *svc_i18n, *org_i18n, *loc_i18n, *loc_city;
    /* a list row's name and summary, and a provider's name: looked up one language of the
     * chain at a time (its first STORE_CHAIN_MAX), then, when one is missing there, from all
     * translations (store_rows_from) */
    sqlite3_stmt *svc_row, *svc_row_chain, *org_name_chain;
    struct store_count {
        char *id;
        int n;
    } *counts; /* active offers per category, read on the first store_categories */
    int ncounts;
    struct store_search *search; /* opened on the first search (ICU transliterators are costly) */
};

#define STORE_CHAIN_MAX 4

/* The columns store_rows_from reads, for a query over "service v". */
#define STORE_ROW_COLUMNS                                                                  \
    "v.id, v.organization_id, "                                                            \
    " (SELECT l.city FROM service_at_location a JOIN location l ON l.id=a.location_id "    \
    "  WHERE a.service_id=v.id ORDER BY a.sort_order, a.id LIMIT 1), "                     \
    " (SELECT group_concat(code, ',') FROM (SELECT code FROM language_spoken "             \
    "  WHERE service_id=v.id ORDER BY sort_order, code)), "                                 \
    " EXISTS (SELECT 1 FROM schedule WHERE service_id=v.id AND slot_minutes > 0 AND capacity > 0), "          \
    " (SELECT a.location_id FROM service_at_location a WHERE a.service_id=v.id "            \
    "  ORDER BY a.sort_order, a.id LIMIT 1) "

/* Offer rows, in the statement's order, from a statement selecting STORE_ROW_COLUMNS. */
int store_rows_from(store *s, sqlite3_stmt *st, const char *const langs[], int nlangs, store_offer_row **out, int *n);

/* Resolve text fields from rows (lang, status, field...) along langs (store.c); resets st. */
void store_resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[]);
void store_text_free(store_text *t);
/* The town of location loc as the reader writes it (location_i18n.city along langs, only
 * languages of the chain) into *city, replacing it; left alone when the pack has none (store.c). */
void store_local_town(store *s, const char *loc, const char *const langs[], int nlangs, char **city);
/* A provider's name along langs (store.c). */
void store_resolve_org_name(store *s, const char *org, const char *const langs[], int nlangs, store_text *name);
/* Column i of st's row as a new string, NULL when NULL (store.c). */
char *store_dup_col(sqlite3_stmt *st, int i);

/* v[0..n) as a JSON array of strings (for json_each, which keeps the order). Caller frees. */
char *store_json_strings(const char *const *v, int n);

/* Offer rows for ids[0..nids), in that order (a ranking survives), resolved along langs. */
int store_rows_by_ids(store *s, const char *const *ids, int nids, const char *const langs[], int nlangs,
                      store_offer_row **out, int *n);

/* Free what the first search opened. */
void store_search_close(store *s);

#endif
