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
 * The columns store_rows_from reads, for a query over "service v" joined with STORE_ROW_JOINS
 * (after the FROM's own joins, before WHERE): the offer, its first place (by sort_order, id: the
 * one no other comes before, which needs no sorting per row), the
 * languages spoken, whether it books, the row texts in the chain's first language (?9) and the
 * provider's name chosen along the chain (?10, ",ar,en,de,": the earliest language with a name,
 * else the first other one in language order, as store_resolve chooses). store_rows_from binds
 * both. The reader's language has the row texts for most rows, so the chain is walked only for
 * the rows it lacks: one statement in place of four or more per row (about 25 M instructions on
 * a 500-row list).
 */
#define STORE_ROW_COLUMNS                                                                  \
    "v.id, v.organization_id, l.city, "                                                    \
    " (SELECT group_concat(code, ',') FROM (SELECT code FROM language_spoken "             \
    "  WHERE service_id=v.id ORDER BY sort_order, code)), "                                 \
    " EXISTS (SELECT 1 FROM schedule WHERE service_id=v.id AND slot_minutes > 0 AND capacity > 0), " \
    " a.location_id, i.status, i.name, i.summary, o.status, o.name, o.lang "
#define STORE_ROW_JOINS                                                                    \
    " LEFT JOIN service_at_location a ON a.service_id=v.id AND NOT EXISTS (SELECT 1 "      \
    "  FROM service_at_location x WHERE x.service_id=v.id AND (x.sort_order, x.id) < (a.sort_order, a.id)) " \
    " LEFT JOIN location l ON l.id=a.location_id "                                         \
    " LEFT JOIN service_i18n i ON i.service_id=v.id AND i.lang=?9 "                        \
    " LEFT JOIN organization_i18n o ON o.rowid=(SELECT r FROM (SELECT y.rowid AS r, "      \
    "  min(printf('%010d%s', coalesce(nullif(instr(?10, ',' || y.lang || ','), 0), 999999999), y.lang)) " \
    "  FROM organization_i18n y WHERE y.organization_id=v.organization_id AND y.name <> '')) "

/* Offer rows, in the statement's order, from a statement selecting STORE_ROW_COLUMNS (it binds ?9, ?10; rows.c). */
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
