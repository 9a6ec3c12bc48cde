/*
 * store_priv.h: what the store's files share and nobody else sees: struct store, the list row's
 * columns, text resolution (resolve.c), rows (rows.c) and the search's hooks (search*.c).
 */
#ifndef KIOSK_STORE_PRIV_H
#define KIOSK_STORE_PRIV_H

#include "store.h"

#include <sqlite3.h>

struct store_search;

struct store {
    sqlite3 *db;
    sqlite3_stmt *svc_i18n, *org_i18n, *loc_i18n, *loc_city;
    int towns; /* location_i18n holds towns: 0 not asked yet, 1 some, -1 none (resolve.c) */
    /* a list row's name and summary, and a provider's name, where the list's own statement
     * (STORE_ROW_JOINS) has none: looked up one language of the chain at a time (its first
     * STORE_CHAIN_MAX), then, when one is missing there, from all translations */
    sqlite3_stmt *svc_row, *svc_row_chain, *org_name_chain;
    struct store_count {
        char *id;
        int n;
    } *counts; /* active offers per category, read on the first store_categories */
    int ncounts;
    struct store_search *search; /* opened on the first search (ICU transliterators are costly) */
};

#define STORE_CHAIN_MAX 4

/*
 * The columns store_rows_from reads: an offer's list row r (service_row: first place and town,
 * languages spoken, whether it books, the languages its provider has a name in) and its row texts
 * i in the chain's first language (?9, bound by store_rows_from). STORE_ROW_JOINS joins both to a
 * query over "service v"; a query over "service_row r" needs only STORE_ROW_TEXTS. The reader's
 * language has the row texts for most rows, so the chain is walked only for the rows it lacks.
 */
#define STORE_ROW_COLUMNS \
    "r.service_id, r.organization_id, r.city, r.languages, r.bookable, r.location_id, i.status, i.name, i.summary, " \
    "r.provider_langs "
#define STORE_ROW_TEXTS " LEFT JOIN service_i18n i ON i.service_id=r.service_id AND i.lang=?9 "
#define STORE_ROW_JOINS " JOIN service_row r ON r.service_id=v.id " STORE_ROW_TEXTS

/* Make service_row and taxonomy_count in db's temporary database, for content of schema
 * version 1 (derive.c). 0, or -1. */
int store_derive_temp(sqlite3 *db);

/* Offer rows, in the statement's order, from a statement selecting STORE_ROW_COLUMNS (it binds ?9; rows.c). */
int store_rows_from(store *s, sqlite3_stmt *st, const char *const langs[], int nlangs, store_offer_row **out, int *n);

/* Resolve text fields from rows (lang, status, field...) along langs: each field keeps the text of
 * the language first in langs, one outside the chain only when no other has text (resolve.c);
 * resets st. */
void store_resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[]);
/*
 * The same result as store_resolve(all) for row id, looked up with one, a statement (status,
 * field...) for (?1 id, ?2 language), one language of the chain at a time (its first
 * STORE_CHAIN_MAX), and with all only when a field is still without text (resolve.c).
 */
void store_resolve_chain(sqlite3_stmt *one, sqlite3_stmt *all, const char *id, int nfields, const char *const langs[],
                         int nlangs, store_text *out[]);
/* A translation row's status column ("machine", "outdated", else complete) as enum store_status (resolve.c). */
int store_status_of(const unsigned char *s);
/* Frees t's text, not t (resolve.c). */
void store_text_free(store_text *t);
/* The town of location loc as the reader writes it (location_i18n.city along langs, only
 * languages of the chain) into *city, replacing it; left alone when the pack has none (resolve.c). */
void store_local_town(store *s, const char *loc, const char *const langs[], int nlangs, char **city);
/* A provider's name along langs (resolve.c). */
void store_resolve_org_name(store *s, const char *org, const char *const langs[], int nlangs, store_text *name);
/* Column i of st's row as a new string, "" when NULL; NULL only when out of memory (store.c). */
char *store_dup_col(sqlite3_stmt *st, int i);

/* Frees row's strings, not row, and zeroes it (rows.c). */
void store_offer_row_clear(store_offer_row *row);

/* v[0..n) as a JSON array of strings (for json_each, which keeps the order). Caller frees. */
char *store_json_strings(const char *const *v, int n);

/* Offer rows for ids[0..nids), in that order (a ranking survives), resolved along langs. */
int store_rows_by_ids(store *s, const char *const *ids, int nids, const char *const langs[], int nlangs,
                      store_offer_row **out, int *n);

/* Free what the first search opened. */
void store_search_close(store *s);

#endif
