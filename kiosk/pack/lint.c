/*
 * lint.c: source checks and translation coverage (lint.h).
 */
#include "lint.h"

#include "pack.h"
#include "text/text.h"

#include <sqlite3.h>
#include <stdint.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Most warnings printed; the rest are counted. */
enum { MAX_TOFU_WARNINGS = 20 };

/* Whether text holds characters no font has (what a person would see as boxes); the first
 * nseen_max of them, each once, into seen. */
static int text_tofu(text_engine *te, const char *text, uint32_t *seen, int nseen_max, int *nseen)
{
    int32_t i = 0, n = (int32_t)strlen(text), found = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(text, i, n, c);
        if (c < 0x20 || u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
        int dup = 0;
        for (int k = 0; k < *nseen && !dup; k++) dup = seen[k] == (uint32_t)c;
        if (dup || text_font_covers(te, (uint32_t)c)) continue;
        if (*nseen < nseen_max) seen[(*nseen)++] = (uint32_t)c;
        found = 1;
    }
    return found;
}

/*
 * Every text column of the *_i18n tables (all but lang, status and the ids): a warning for each
 * text holding characters no font has. Returns how many texts had them.
 */
static int check_fonts(sqlite3 *db, text_engine *te, FILE *out)
{
    sqlite3_stmt *tabs = NULL;
    int bad = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_i18n' ESCAPE '\\'"
                           " ORDER BY name", -1, &tabs, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(tabs) == SQLITE_ROW) {
        char table[64], what[64], sql[256];
        snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(tabs, 0));
        /* what a row is, as a content editor names it: "organization" of "organization_i18n"; a
         * service is an offer */
        snprintf(what, sizeof what, "%.*s", (int)(strlen(table) - 5), strcmp(table, "service_i18n") ? table : "offer");
        sqlite3_stmt *cols = NULL, *rows = NULL;
        snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('%s')", table);
        if (sqlite3_prepare_v2(db, sql, -1, &cols, NULL) != SQLITE_OK) continue;
        char key[64] = "";
        while (sqlite3_step(cols) == SQLITE_ROW) {
            const char *c = (const char *)sqlite3_column_text(cols, 0);
            size_t l = strlen(c);
            if (sqlite3_column_int(cols, 1) == 1 && l > 3 && !strcmp(c + l - 3, "_id")) snprintf(key, sizeof key, "%s", c);
        }
        sqlite3_reset(cols);
        while (key[0] && sqlite3_step(cols) == SQLITE_ROW) {
            const char *c = (const char *)sqlite3_column_text(cols, 0);
            size_t l = strlen(c);
            if (!strcmp(c, "lang") || !strcmp(c, "status") || (l > 3 && !strcmp(c + l - 3, "_id"))) continue;
            snprintf(sql, sizeof sql, "SELECT \"%s\", lang, \"%s\" FROM \"%s\" WHERE \"%s\" IS NOT NULL ORDER BY 1, 2",
                     key, c, table, c);
            if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) continue;
            while (sqlite3_step(rows) == SQLITE_ROW) {
                const char *text = (const char *)sqlite3_column_text(rows, 2);
                uint32_t seen[5];
                int nseen = 0;
                if (!text || !text_tofu(te, text, seen, 5, &nseen)) continue;
                if (bad++ >= MAX_TOFU_WARNINGS) continue;
                fprintf(out, "warning: %s %s, %s, %s: no font of the kiosk has", what, (const char *)sqlite3_column_text(rows, 0),
                        (const char *)sqlite3_column_text(rows, 1), c);
                for (int k = 0; k < nseen && k < 4; k++) fprintf(out, " U+%04X", (unsigned)seen[k]);
                fprintf(out, "%s (drawn as a box; leave it out or write it in words)\n", nseen > 4 ? " ..." : "");
            }
            sqlite3_finalize(rows);
        }
        sqlite3_finalize(cols);
    }
    sqlite3_finalize(tabs);
    if (bad > MAX_TOFU_WARNINGS) fprintf(out, "warning: %d more texts with characters no font has\n", bad - MAX_TOFU_WARNINGS);
    return bad;
}

int lint_sources(const char *src_dir, const char *fonts_conf, FILE *out)
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
        text_engine *te = NULL;
        char ferr[512] = "";
        if (fonts_conf && text_engine_open(&te, fonts_conf, ferr, sizeof ferr) == 0) check_fonts(db, te, out);
        else fprintf(out, "note: the fonts were not checked (%s)\n", fonts_conf ? ferr : "no fonts/fallback.ini found");
        text_engine_close(te);
    } else {
        fprintf(out, "error: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(db_path);
    if (rc == 0) fprintf(out, "ok: %s builds\n", src_dir);
    return rc;
}
