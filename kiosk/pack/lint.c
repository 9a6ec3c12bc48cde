/*
 * lint.c: source checks and translation coverage (lint.h).
 */
#include "lint.h"

#include "pack.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lint_sources(const char *src_dir, FILE *out)
{
    char db_path[] = "/tmp/kiosk-lint-XXXXXX";
    int fd = mkstemp(db_path);
    if (fd < 0) {
        fprintf(out, "error: cannot create a scratch file\n");
        return 1;
    }
    close(fd);
    char err[1024];
    if (pack_build(src_dir, db_path, err, sizeof err) != 0) {
        fprintf(out, "error: %s\n", err);
        unlink(db_path);
        return 1;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 1;
    /* an offer counts as "partial" when its row lacks one of the five texts */
    const char *sql =
        "SELECT l.code, "
        " sum(i.status='complete' AND i.name IS NOT NULL AND i.summary IS NOT NULL AND i.description IS NOT NULL "
        "     AND i.eligibility_description IS NOT NULL AND i.fees_description IS NOT NULL), "
        " sum(i.status='machine' AND i.name IS NOT NULL AND i.summary IS NOT NULL AND i.description IS NOT NULL "
        "     AND i.eligibility_description IS NOT NULL AND i.fees_description IS NOT NULL), "
        " sum(i.status='outdated'), "
        " sum(i.status<>'outdated' AND (i.name IS NULL OR i.summary IS NULL OR i.description IS NULL "
        "     OR i.eligibility_description IS NULL OR i.fees_description IS NULL)), "
        " sum(i.service_id IS NULL), count(*) "
        "FROM language l CROSS JOIN service s "
        "LEFT JOIN service_i18n i ON i.service_id=s.id AND i.lang=l.code "
        "GROUP BY l.code ORDER BY l.sort_order";
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        fprintf(out, "%-5s %9s %9s %9s %9s %9s %7s\n", "lang", "complete", "machine", "outdated", "partial", "missing",
                "offers");
        while (sqlite3_step(st) == SQLITE_ROW)
            fprintf(out, "%-5s %9d %9d %9d %9d %9d %7d\n", sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
                    sqlite3_column_int(st, 2), sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
                    sqlite3_column_int(st, 5), sqlite3_column_int(st, 6));
        rc = 0;
    } else {
        fprintf(out, "error: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(db_path);
    if (rc == 0) fprintf(out, "ok: %s builds\n", src_dir);
    return rc;
}
