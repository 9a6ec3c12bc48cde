/*
 * derive.c: the tables lists read instead of the content's own (store.h, store_priv.h): each
 * offer's list row (service_row) and each category's count of active offers (taxonomy_count),
 * written by kiosk-pack into every built database, and made in memory for content of the
 * schema before them.
 *
 * Owns what those rows hold. May not touch: how rows are read and resolved (rows.c, resolve.c),
 * the counts' life in struct store (categories.c), or the search.
 */
#include "store.h"
#include "store_priv.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/*
 * Per offer, what would otherwise take a list 16 look-ups a row (about 50 K instructions): the
 * first place (by sort_order, id) and its town, the languages spoken in their order, whether some
 * schedule has slots, and the languages the provider has a name in (in code order: the first is
 * the one shown when the reader's chain has none, as store_resolve chooses).
 */
#define ROWS_SELECT                                                                                          \
    "SELECT v.id AS service_id, v.status = 'active' AS active, v.organization_id AS organization_id, "      \
    " a.location_id AS location_id, l.city AS city, "                                                        \
    " coalesce((SELECT group_concat(code, ',') FROM (SELECT code FROM language_spoken "                      \
    "  WHERE service_id=v.id ORDER BY sort_order, code)), '') AS languages, "                                \
    " EXISTS (SELECT 1 FROM schedule WHERE service_id=v.id AND slot_minutes > 0 AND capacity > 0) AS bookable, " \
    " coalesce((SELECT group_concat(lang, ',') FROM (SELECT lang FROM organization_i18n "                    \
    "  WHERE organization_id=v.organization_id AND name <> '' ORDER BY lang)), '') AS provider_langs "       \
    "FROM service v LEFT JOIN service_at_location a ON a.service_id=v.id AND NOT EXISTS (SELECT 1 "           \
    " FROM service_at_location x WHERE x.service_id=v.id AND (x.sort_order, x.id) < (a.sort_order, a.id)) "  \
    "LEFT JOIN location l ON l.id=a.location_id"

/* Active offers per category: what the topics screen shows beside each pictogram. */
#define COUNTS_SELECT                                                                          \
    "SELECT t.term_id AS term_id, count(*) AS offers FROM service_taxonomy t "                 \
    "JOIN service v ON v.id=t.service_id WHERE v.status = 'active' GROUP BY t.term_id"

/* Every table the two SELECTs above name, and the two they fill (test_store asks SQLite's
 * authorizer what store_derive_check reads, so a table added above and not here fails there). */
static const char *const derive_tables[] = {"service", "service_at_location", "location", "language_spoken", "schedule",
                                            "organization_i18n", "service_taxonomy", "service_row", "taxonomy_count"};

int store_derive_reads(const char *table)
{
    for (size_t i = 0; i < sizeof derive_tables / sizeof *derive_tables; i++)
        if (!strcmp(table, derive_tables[i])) return 1;
    return 0;
}

int store_derive(struct sqlite3 *db, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db,
                     "DELETE FROM service_row; INSERT INTO service_row " ROWS_SELECT ";"
                     "DELETE FROM taxonomy_count; INSERT INTO taxonomy_count " COUNTS_SELECT ";",
                     NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "list rows: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

/*
 * Content of schema version 1 has neither table: the kiosk makes them in its own temporary
 * database (the content stays read-only), so a kiosk updated before its content still shows it
 * until a full pack of the new schema arrives (a delta does not apply to the old schema).
 */
int store_derive_temp(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "CREATE TEMP TABLE service_row AS " ROWS_SELECT ";"
                        "CREATE UNIQUE INDEX temp.service_row_id ON service_row(service_id);"
                        "CREATE TEMP TABLE taxonomy_count AS " COUNTS_SELECT ";",
                        NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The first id of a query's first row into id (len bytes); 1 when there was one, -1 on error. */
static int first_id(sqlite3 *db, const char *sql, char *id, size_t len)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) snprintf(id, len, "%.64s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Whether main's service_row and taxonomy_count are exactly what its content derives: both made
 * afresh in the temporary database (as derived_row, derived_count, dropped after) and compared
 * row for row both ways. A payload signed past kiosk-pack could otherwise list an offer that does
 * not exist, hide one, or show another count than the list behind it.
 */
int store_derive_check(struct sqlite3 *db, char *err, size_t errlen)
{
    char id[80] = "";
    int rc = sqlite3_exec(db,
                          "DROP TABLE IF EXISTS temp.derived_row; DROP TABLE IF EXISTS temp.derived_count;"
                          "CREATE TEMP TABLE derived_row AS " ROWS_SELECT ";"
                          "CREATE TEMP TABLE derived_count AS " COUNTS_SELECT ";",
                          NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc == 0)
        rc = first_id(db,
                      "SELECT service_id FROM (SELECT * FROM main.service_row EXCEPT SELECT * FROM temp.derived_row "
                      " UNION ALL SELECT * FROM (SELECT * FROM temp.derived_row EXCEPT SELECT * FROM main.service_row)) "
                      "LIMIT 1",
                      id, sizeof id);
    if (rc == 1) {
        snprintf(err, errlen, "list rows do not match the content (offer %s)", id);
    } else if (rc == 0) {
        rc = first_id(db,
                      "SELECT term_id FROM (SELECT * FROM main.taxonomy_count EXCEPT SELECT * FROM temp.derived_count "
                      " UNION ALL SELECT * FROM (SELECT * FROM temp.derived_count EXCEPT SELECT * FROM main.taxonomy_count)) "
                      "LIMIT 1",
                      id, sizeof id);
        if (rc == 1) snprintf(err, errlen, "category counts do not match the content (category %s)", id);
    }
    if (rc < 0) snprintf(err, errlen, "list rows: %s", sqlite3_errmsg(db));
    sqlite3_exec(db, "DROP TABLE IF EXISTS temp.derived_row; DROP TABLE IF EXISTS temp.derived_count", NULL, NULL, NULL);
    return rc;
}
