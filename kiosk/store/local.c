/*
 * local.c: the kiosk's own small database (local.h).
 */
#include "local.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

struct local {
    sqlite3 *db;
};

int local_open(local **out, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    local *l = calloc(1, sizeof *l);
    if (!l) { snprintf(err, errlen, "out of memory"); return -1; }
    char *msg = NULL;
    /* it holds bookings with names and phones: created for its owner only, and SQLite gives
     * its -wal and -shm files the same mode */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) close(fd);
    if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_exec(l->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=2000;"
                     "CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value INTEGER NOT NULL);",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(l->db));
        sqlite3_free(msg);
        local_close(l);
        return -1;
    }
    *out = l;
    return 0;
}

void local_close(local *l)
{
    if (!l) return;
    sqlite3_close(l->db);
    free(l);
}

int64_t local_get_int(local *l, const char *key, int64_t def)
{
    sqlite3_stmt *st;
    if (!l || sqlite3_prepare_v2(l->db, "SELECT value FROM state WHERE key=?1", -1, &st, NULL) != SQLITE_OK) return def;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : def;
    sqlite3_finalize(st);
    return v;
}

int local_read_int(local *l, const char *key, int64_t *out)
{
    sqlite3_stmt *st;
    if (!l || sqlite3_prepare_v2(l->db, "SELECT value FROM state WHERE key=?1", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int local_set_int(local *l, const char *key, int64_t value)
{
    sqlite3_stmt *st;
    if (!l || sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO state(key, value) VALUES(?1, ?2)", -1, &st, NULL) !=
                  SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, value);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}
