/*
 * import_priv.h: what the importers share inside the room: the output tree written beside its
 * target, JSON files, stable ids, and the CSV reader and writer (csv.c).
 */
#ifndef KIOSK_IMPORT_PRIV_H
#define KIOSK_IMPORT_PRIV_H

#include "import.h"

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* No district's offer list comes near these; beyond them the input is taken to be broken. */
#define IMP_MAX_FILE (64 * 1024 * 1024)
#define IMP_MAX_FIELD (64 * 1024)
/* The longest id the build accepts (LIM_ID in pack/build_priv.h). */
#define IMP_MAX_ID 64

/* Format detail into err, prefixed by imp_strerror(code); returns code. */
int imp_fail(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * A path made printf-style into out (PATH_MAX bytes, the longest the system opens). IMP_OK, or
 * IMP_ERR_IO with "path too long (N bytes, at most M): PATH" in err: never a path cut short,
 * which would name some other file.
 */
int imp_path(char out[PATH_MAX], char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A tree of files written under tmp and renamed to final when complete. */
typedef struct imp_tree {
    char final[PATH_MAX];
    char tmp[PATH_MAX];
} imp_tree;

int imp_tree_begin(imp_tree *t, const char *final, char *err, size_t errlen);
/* mkdir -p of tmp/sub */
int imp_tree_mkdir(imp_tree *t, const char *sub, char *err, size_t errlen);
/* Replace final by the finished tree (the old tree, if any, is removed after the switch). */
int imp_tree_commit(imp_tree *t, char *err, size_t errlen);
void imp_tree_abort(imp_tree *t);
/* rm -rf */
void imp_rmtree(const char *path);

/* Write j (indented, UTF-8, final newline) to dir/name; the caller keeps j. */
int imp_write_json(const char *dir, const char *name, json_t *j, char *err, size_t errlen);
/* Copy a file. */
int imp_copy_file(const char *from, const char *to, char *err, size_t errlen);
/* Read a whole file (at most IMP_MAX_FILE bytes); *len gets its size. Caller frees. */
int imp_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen);
/* Load a JSON file, refusing duplicate keys; errors name file, line and column. */
json_t *imp_load_json(const char *path, int *code, char *err, size_t errlen);

/* A UUID (RFC 9562 version 8) derived from kind and id, so exports are stable across runs. */
void imp_uuid(const char *kind, const char *id, char out[37]);
/* An id of this project's sources ([a-z0-9-/_], at most IMP_MAX_ID characters, cut after a word)
 * from any text; 0 when nothing usable is left. */
int imp_slug(const char *in, char *out, size_t len);
/* Is lang one of the kiosk's content languages? */
int imp_lang_known(const char *lang);

/* An IANA zone's standard UTC offset in hours (ICU), as HSDS's numeric schedule.timezone has it:
 * 1 for Europe/Berlin, -5 for America/New_York; 0 for a zone ICU cannot open. */
double imp_zone_std_offset(const char *zone);

/* HTML (libxml2's parser) as plain text: paragraphs, list items as "• ", link targets in
 * brackets; scripts and styles dropped. NULL when out of memory. Caller frees. */
char *imp_html_text(const char *html, size_t len);

/* ---------- the guided questions through HSDS (hsds_intake.c) ---------- */

typedef struct sqlite3 sqlite3;
/* The guided questions of a content database as the object of intake.json; NULL when it has
 * none (*rc IMP_OK) or on a database error (*rc set, detail in err). Caller frees. */
json_t *imp_intake_of_db(sqlite3 *db, int *rc, char *err, size_t errlen);
/* intake (x_kiosk_intake from file; NULL: nothing to do) as tree_dir/intake.json, its icons
 * copied from pict to pict_out (missing ones reported and left out). */
int imp_intake_write(json_t *intake, const char *file, const char *pict, const char *tree_dir, const char *pict_out,
                     FILE *report, char *err, size_t errlen);

/* ---------- CSV (csv.c) ---------- */

/* One table read from a CSV file: the header and the rows, every cell a UTF-8 string. */
typedef struct imp_csv {
    char **cells;  /* rows * cols, row-major; the header is row 0 */
    size_t rows, cols;
    char sep;      /* the separator found: ';' or ',' */
    int cp1252;    /* 1 when the file was Windows-1252 and converted */
} imp_csv;

/*
 * Read a spreadsheet CSV: ';' or ',' (the one in the header line), UTF-8 with or without BOM,
 * otherwise Windows-1252 (converted with iconv), quoted fields with line breaks. Rows with
 * more cells than the header are refused with file:row:column; shorter rows are padded.
 */
int imp_csv_read(const char *path, imp_csv *out, char *err, size_t errlen);
void imp_csv_free(imp_csv *c);
static inline const char *imp_csv_cell(const imp_csv *c, size_t row, size_t col)
{
    return c->cells[row * c->cols + col];
}
/* The column named name, or -1. */
int imp_csv_col(const imp_csv *c, const char *name);

/* Write one row, comma-separated, quoted where needed, CRLF-terminated (RFC 4180). NULL = empty. */
void imp_csv_write_row(FILE *f, const char *const *cells, size_t n);

#endif
