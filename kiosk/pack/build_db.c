/*
 * build_db.c: the database the pack builder writes: created beside the target with the schema,
 * filled in one transaction, checked for dangling references, its list rows derived, indexed for
 * search, made durable and renamed into place.
 */
#include "pack/build_priv.h"

#include "pack/pack.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Run sql with text parameters (NULL binds SQL NULL). */
int pb_run(builder *b, const char *sql, int n, const char *const vals[])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
        return pb_fail(b, "database: %s", sqlite3_errmsg(b->db));
    for (int i = 0; i < n; i++) {
        if (vals[i]) sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, i + 1);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT) return pb_fail(b, "duplicate or invalid entry (%s)", sqlite3_errmsg(b->db));
        return pb_fail(b, "database: %s", sqlite3_errmsg(b->db));
    }
    return 0;
}

/* Dangling references, reported with the file that holds them. */
int pb_check_refs(builder *b, const char *dir)
{
    static const char *const checks[] = {
        "SELECT 'offers/' || id || '.json: organization \"' || organization_id || '\" does not exist' FROM service "
        "WHERE organization_id NOT IN (SELECT id FROM organization)",
        "SELECT 'offers/' || service_id || '.json: category \"' || term_id || '\" does not exist' FROM service_taxonomy "
        "WHERE term_id NOT IN (SELECT id FROM taxonomy_term)",
        "SELECT 'offers/' || service_id || '.json: location \"' || location_id || '\" does not exist' "
        "FROM service_at_location WHERE location_id NOT IN (SELECT id FROM location)",
        "SELECT 'offers/' || service_id || '.json: schedule location \"' || location_id || '\" does not exist' "
        "FROM schedule WHERE location_id IS NOT NULL AND location_id NOT IN (SELECT id FROM location)",
        "SELECT 'intake.json: answer ' || answer_id || ' matches unknown ' || kind || ' \"' || target || '\"' "
        "FROM intake_match WHERE (kind='category' AND target NOT IN (SELECT id FROM taxonomy_term)) "
        "OR (kind='offer' AND target NOT IN (SELECT id FROM service))",
    };
    b->file[0] = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(b->db, checks[i], -1, &st, NULL) != SQLITE_OK)
            return pb_fail(b, "database: %s", sqlite3_errmsg(b->db));
        int rc = 0;
        if (sqlite3_step(st) == SQLITE_ROW) rc = pb_fail(b, "%s/%s", dir, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    return 0;
}

int pb_db_begin(builder *b, const char *tmp)
{
    int max;
    size_t n = store_path_too_long(tmp, 0, &max);
    /* the reason before the path: a message buffer may cut a long path */
    if (n) return pb_fail(b, "database path too long for SQLite (%zu bytes, at most %d): %s", n, max - 1, tmp);
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return pb_fail(b, "%s: %s", tmp, sqlite3_errmsg(b->db));
    char *msg = NULL;
    if (sqlite3_exec(b->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(b->db, store_schema_sql(), NULL, NULL, &msg) != SQLITE_OK) {
        pb_fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Commit, make durable, and move into place. */
int pb_db_finish(builder *b, const char *tmp, const char *out)
{
    b->file[0] = 0;
    char *msg = NULL;
    if (store_derive(b->db, b->err, b->errlen)) return -1;
    if (sqlite3_exec(b->db, "COMMIT; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; VACUUM;", NULL, NULL, &msg) !=
        SQLITE_OK) {
        pb_fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    sqlite3_close(b->db);
    b->db = NULL;
    if (store_search_index(tmp, b->err, b->errlen) || pack_check_search_integrity(tmp, b->err, b->errlen)) return -1;
    FILE *f = fopen(tmp, "rb+");
    if (!f || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (f) fclose(f);
        return pb_fail(b, "%s: cannot write: %s", tmp, strerror(errno));
    }
    fclose(f);
    if (rename(tmp, out) != 0) return pb_fail(b, "%s: %s", out, strerror(errno));
    return 0;
}


int pack_check_search_integrity(const char *db_path, char *err, size_t errlen)
{
    static const char *const fts[] = {"search", "search_new"};
    sqlite3 *db = NULL;
    int rc = 0;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot check the search index: %s", db_path, db ? sqlite3_errmsg(db) : "out of memory");
        rc = -1;
    } else {
        /* what a payload may not carry is not run here either */
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    }
    for (int i = 0; i < 2 && rc == 0; i++) {
        char sql[128];
        /* a database without that index is not content this kiosk reads: its schema is refused
         * at install (and tests sign such ones) */
        snprintf(sql, sizeof sql, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='%s'", fts[i]);
        sqlite3_stmt *st = NULL;
        int has = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (!has) continue;
        snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES('integrity-check')", fts[i], fts[i]);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "%s: search index %s: %s", db_path, fts[i], sqlite3_errmsg(db));
            rc = -1;
        }
    }
    sqlite3_close(db);
    return rc;
}
