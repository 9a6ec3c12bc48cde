/*
 * local.c: the kiosk's own small database (local.h).
 */
#include "local.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct local {
    sqlite3 *db;
};

/* WAL needs the file to itself and SQLite answers "locked" at once there instead of waiting (the
 * busy handler is not used), so a new file opened by several processes together is retried. */
static int set_wal(sqlite3 *db)
{
    for (int attempt = 0;; attempt++) {
        int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc != SQLITE_BUSY || attempt >= 250) return rc;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int local_db_open(const char *path, sqlite3 **db, char *err, size_t errlen)
{
    *db = NULL;
    sqlite3 *d = NULL;
    char *msg = NULL;
    /* it holds bookings with names and phones: created for its owner only, and SQLite gives
     * its -wal and -shm files the same mode */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) close(fd);
    int rc = sqlite3_open_v2(path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(d, LOCAL_BUSY_MS);
        rc = set_wal(d);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(d, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;", NULL, NULL,
                          &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : d ? sqlite3_errmsg(d) : "cannot open");
        sqlite3_free(msg);
        sqlite3_close(d);
        return -1;
    }
    *db = d;
    return 0;
}

int local_open(local **out, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    local *l = calloc(1, sizeof *l);
    if (!l) { snprintf(err, errlen, "out of memory"); return -1; }
    char *msg = NULL;
    if (local_db_open(path, &l->db, err, errlen) != 0) {
        free(l);
        return -1;
    }
    if (sqlite3_exec(l->db, "CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value INTEGER NOT NULL);", NULL,
                     NULL, &msg) != SQLITE_OK) {
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
