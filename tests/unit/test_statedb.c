/*
 * The state database: every connection, the kiosk's own (local.c) and the booking room's, comes
 * from one opener with one set of pragmas; both rooms share the file. Also the storage probe
 * (platform/storage.c) the staff screen and the health report use.
 * Usage: test_statedb BUILD_DIR
 */
#include "check.h"
#include "booking/booking.h"
#include "platform/storage.h"
#include "store/local.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *build;

static long long pragma(sqlite3 *db, const char *name, char *text, size_t len)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (text) text[0] = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
        if (text && sqlite3_column_text(st, 0)) snprintf(text, len, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
}

TEST(one_set_of_pragmas)
{
    char path[512], err[512] = "", mode[16];
    snprintf(path, sizeof path, "%s/statedb-test.db", build);
    unlink(path);
    sqlite3 *db = NULL;
    CHECK(local_db_open(path, &db, err, sizeof err) == 0 && db, "opened: %s", err);
    if (!db) return;
    pragma(db, "journal_mode", mode, sizeof mode);
    CHECK(!strcmp(mode, "wal"), "WAL (%s)", mode);
    CHECK(pragma(db, "synchronous", NULL, 0) == 2, "synchronous=FULL");
    CHECK(pragma(db, "busy_timeout", NULL, 0) == LOCAL_BUSY_MS, "busy_timeout %d ms", LOCAL_BUSY_MS);
    CHECK(pragma(db, "secure_delete", NULL, 0) == 1, "secure_delete: purged personal data leaves no copy");
    CHECK(pragma(db, "foreign_keys", NULL, 0) == 1, "foreign keys enforced");
    sqlite3_close(db);
    CHECK(local_db_open("/nonexistent-dir/x.db", &db, err, sizeof err) == -1 && !db && strstr(err, "/nonexistent-dir"),
          "a bad path says which: %s", err);
}

TEST(both_rooms_share_the_file)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/statedb-shared.db", build);
    unlink(path);
    local *l = NULL;
    booking *b = NULL;
    booking_config c = {.db_path = path, .kiosk_id = "statedb"};
    CHECK(local_open(&l, path, err, sizeof err) == 0, "state opened: %s", err);
    CHECK(booking_open(&b, &c, err, sizeof err) == 0, "booking opened on the same file: %s", err);
    CHECK(local_set_int(l, "probe", 42) == 0 && local_get_int(l, "probe", 0) == 42, "state writes beside bookings");
    booking_close(b);
    local_close(l);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int tables = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('state','booking')", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        tables = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK(tables == 2, "one file holds both rooms' tables (%d)", tables);
}

TEST(free_space)
{
    char path[512];
    snprintf(path, sizeof path, "%s/statedb-test.db", build);
    storage_info si;
    CHECK(storage_probe(path, 0, &si) == STORAGE_OK && si.free_bytes > 0 && si.state == STORAGE_OK,
          "the build folder takes writes (%llu MiB free)", (unsigned long long)(si.free_bytes >> 20));
    CHECK(storage_probe(path, UINT64_MAX, &si) == STORAGE_FULL, "full when less than the reserve is free");
    CHECK(storage_probe("no-slash.db", 0, &si) == STORAGE_OK, "a bare name is in the current folder");
    CHECK(storage_probe("/nonexistent-dir/x.db", 0, &si) == STORAGE_UNKNOWN && si.free_bytes == 0,
          "a folder that is not there: unknown");
    CHECK(!strcmp(storage_state_name(STORAGE_READONLY), "read-only") && !strcmp(storage_state_name(STORAGE_FULL), "full"),
          "the words of the health report");
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    RUN(one_set_of_pragmas);
    RUN(both_rooms_share_the_file);
    RUN(free_space);
    CHECK_DONE();
}
