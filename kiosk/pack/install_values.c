/*
 * install_values.c: what a payload of the right schema must hold before it is installed
 * (install_priv.h): rows, schedules and pictures only as the build writes them, the list rows and
 * category counts its content derives, no row pointing at nothing, and texts of UTF-8 in the
 * kiosk's languages within the lengths kiosk-pack build allows. A key holder's or a buggy tool's
 * database signed past kiosk-pack build and lint must not list an offer that does not exist,
 * show counts no list has, or hand the layout a megabyte to break into lines.
 * Firmware.
 */
#include "build_priv.h"
#include "install_priv.h"
#include "pack_priv.h"

#include "booking/slots.h"
#include "i18n/i18n.h"
#include "store/store.h"

/* Debian's SQLite is built with the session extension; these expose its declarations. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>

/* The longest text each column may hold, in characters, as pack_build reads them (build_priv.h,
 * content/README.md "Limits"); lang codes and ids at most LIM_ID. service_row's lists: at most
 * LIM_SPOKEN codes of 8 with commas. Columns not named here hold numbers, media or dates that
 * no list or layout reads as text. */
static const struct column_limit {
    const char *table, *columns; /* comma-separated, selected together */
    int max[8];
} limits[] = {
    {"language", "code", {LIM_ID}},
    {"organization", "id, email, url", {LIM_ID, LIM_EMAIL, LIM_URL}},
    {"organization_i18n", "organization_id, lang, name, description", {LIM_ID, LIM_ID, LIM_NAME, LIM_DESCRIPTION}},
    {"location", "id, organization_id, address_1, postal_code, city, district",
     {LIM_LOCATION_ID, LIM_ID, LIM_ADDRESS, LIM_POSTCODE, LIM_ADDRESS, LIM_ADDRESS}},
    {"location_i18n", "location_id, lang, name, accessibility, transportation, city",
     {LIM_LOCATION_ID, LIM_ID, LIM_NAME, LIM_NOTE, LIM_NOTE, LIM_NAME}},
    {"service", "id, organization_id, email, url", {LIM_ID, LIM_ID, LIM_EMAIL, LIM_URL}},
    {"service_i18n", "service_id, lang, name, summary, description, eligibility_description, fees_description",
     {LIM_ID, LIM_ID, LIM_NAME, LIM_SUMMARY, LIM_DESCRIPTION, LIM_NOTE, LIM_NOTE}},
    {"phone", "number", {LIM_PHONE}},
    {"language_spoken", "code", {LIM_ID}},
    {"taxonomy_term", "id", {LIM_ID}},
    {"taxonomy_term_i18n", "term_id, lang, name, description", {LIM_ID, LIM_ID, LIM_CATEGORY_NAME, LIM_NOTE}},
    {"intake_question_i18n", "question_id, lang, text", {LIM_ID, LIM_ID, LIM_QUESTION}},
    {"intake_answer_i18n", "answer_id, lang, label, reason", {LIM_ID, LIM_ID, LIM_LABEL, LIM_REASON}},
    {"service_row", "service_id, city, languages, provider_langs",
     {LIM_ID, LIM_ADDRESS, LIM_SPOKEN * 9, LIM_SPOKEN * 9}},
};

/* Whether table holds translations: each such table has its language second (as store.c makes it). */
static int is_i18n_table(const char *table)
{
    size_t n = strlen(table);
    return n > 5 && !strcmp(table + n - 5, "_i18n");
}

/*
 * Why text s (n bytes) cannot be shown, NULL when it can: not UTF-8 (a byte the decoder does not
 * take, an overlong form, a surrogate, past U+10FFFF), a control or bidi control character, more
 * than LIM_MARKS combining marks on one character (as kiosk-pack build refuses, tabs and line
 * breaks aside), or more than max characters.
 */
static const char *bad_text(const unsigned char *s, size_t n, int max)
{
    long chars = 0;
    int marks = 0;
    for (size_t i = 0; i < n; chars++) {
        /* printable ASCII, most of every text, a byte a character */
        size_t from = i;
        while (i < n && s[i] >= 0x20 && s[i] < 0x7F) i++;
        chars += (long)(i - from);
        if (i > from) marks = 0;
        if (i == n) break;
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || i + len > n) return "is not UTF-8";
        uint32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return "is not UTF-8";
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return "is not UTF-8";
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return "holds a control character";
        /* a run of marks, invisible characters between them counting for nothing (build_check.c) */
        int8_t t = u_charType((UChar32)cp);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK) {
            if (++marks > LIM_MARKS) return "stacks too many combining marks on one character";
        } else if (!u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
            marks = 0;
        }
        i += len;
    }
    return chars > max ? "longer than" : NULL;
}

/* The characters of UTF-8 text s (n bytes): its bytes less those that continue a character
 * (10xxxxxx), eight bytes a step. */
static size_t utf8_chars(const unsigned char *s, size_t n)
{
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        cont += (size_t)__builtin_popcountll(x & ~(x << 1) & 0x8080808080808080u);
    }
    for (; i < n; i++) cont += (s[i] & 0xC0) == 0x80;
    return n - cont;
}

/*
 * Every text of the columns limits names within its length; those of at most LIM_NAME characters
 * (names, places, ids, lists: what lists and headings show) also UTF-8 without control
 * characters. The longer texts (summaries, descriptions, notes) are only counted: checking their
 * every character too cost 1 G instructions on the 5,000-offer pack; a byte that is not UTF-8
 * there is drawn as U+FFFD.
 */
static int check_texts(sqlite3 *db, char *err, size_t errlen)
{
    char sql[300];
    for (size_t t = 0; t < sizeof limits / sizeof *limits; t++) {
        const struct column_limit *l = &limits[t];
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "SELECT %s FROM main.%s", l->columns, l->table);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            return pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot read %s: %s", l->table, sqlite3_errmsg(db));
        int ncol = sqlite3_column_count(st), rc = PACK_OK, step;
        /* a translation's language (column 1) is one of the kiosk's, as the build's i18n keys are:
         * the search index numbers at most 31 */
        int i18n = is_i18n_table(l->table);
        char known[16] = "";
        while (rc == PACK_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
            for (int c = 0; c < ncol && rc == PACK_OK; c++) {
                /* a number or blob is read as its text; NULL is no text */
                const unsigned char *s = sqlite3_column_text(st, c);
                if (!s) continue;
                size_t n = (size_t)sqlite3_column_bytes(st, c);
                if (i18n && c == 1 && strcmp((const char *)s, known)) {
                    if (!i18n_lang_find((const char *)s)) {
                        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "%s holds a text in \"%.16s\", not a language of this kiosk",
                                       l->table, s);
                        continue;
                    }
                    snprintf(known, sizeof known, "%s", (const char *)s);
                }
                const char *why = l->max[c] <= LIM_NAME ? bad_text(s, n, l->max[c])
                                  : n > (size_t)l->max[c] && utf8_chars(s, n) > (size_t)l->max[c] ? "longer than"
                                                                                                   : NULL;
                if (!why) continue;
                if (!strcmp(why, "longer than"))
                    rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "%s.%s longer than %d characters", l->table,
                                   sqlite3_column_name(st, c), l->max[c]);
                else
                    rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "%s.%s %s", l->table, sqlite3_column_name(st, c), why);
            }
        if (rc == PACK_OK && step != SQLITE_DONE)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot read %s: %s", l->table, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (rc != PACK_OK) return rc;
    }
    return PACK_OK;
}

/* Whether a query has a row: 1, 0 when none, -1 when it fails. */
static int any_row(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int step = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

/*
 * No row refers to one that is not there: each REFERENCES of the schema (read from the payload,
 * which is ours, compared already), and the guided questions' matches (an offer or a category by
 * kind). Each child column's distinct values are looked up once, in the order its index gives
 * where there is one: SQLite's own foreign_key_check looked up every row, 222 M instructions on
 * the 5,000-offer pack (80,000 texts of offers).
 */
static int check_references(sqlite3 *db, const pack_tables *changed, char *err, size_t errlen)
{
    sqlite3_stmt *fk = NULL;
    int rc = PACK_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT m.name, f.\"table\", f.\"from\", coalesce(f.\"to\", 'rowid'), "
                           "(SELECT cid FROM pragma_table_info(m.name, 'main') WHERE name = f.\"from\"), "
                           "(SELECT cid FROM pragma_table_info(f.\"table\", 'main') WHERE name = f.\"to\") "
                           "FROM main.sqlite_master m, "
                           "pragma_foreign_key_list(m.name, 'main') f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
                           -1, &fk, NULL) != SQLITE_OK)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot check references: %s", sqlite3_errmsg(db));
    while (rc == PACK_OK && sqlite3_step(fk) == SQLITE_ROW) {
        const char *child = (const char *)sqlite3_column_text(fk, 0), *parent = (const char *)sqlite3_column_text(fk, 1),
                   *from = (const char *)sqlite3_column_text(fk, 2), *to = (const char *)sqlite3_column_text(fk, 3);
        /* broken only by a row of the child added or pointed elsewhere, or one of the parent's
         * gone or renamed: a delta changing texts of offers does not look up 80,000 of them */
        int from_col = sqlite3_column_type(fk, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(fk, 4),
            to_col = sqlite3_column_type(fk, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(fk, 5);
        if (!pack_tables_reach(changed, child, SQLITE_INSERT, from_col) &&
            !pack_tables_reach(changed, parent, SQLITE_DELETE, to_col))
            continue;
        char *sql = sqlite3_mprintf("SELECT 1 FROM (SELECT DISTINCT \"%w\" AS k FROM main.\"%w\" WHERE k IS NOT NULL) "
                                    "WHERE NOT EXISTS (SELECT 1 FROM main.\"%w\" WHERE \"%w\" = k) LIMIT 1",
                                    from, child, parent, to);
        int found = sql ? any_row(db, sql) : -1;
        sqlite3_free(sql);
        if (found > 0)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "%.40s refers to a missing %.40s", child, parent);
        else if (found < 0)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot check references of %.40s: %s", child, sqlite3_errmsg(db));
    }
    sqlite3_finalize(fk);
    static const char *const target[][2] = {{"offer", "service"}, {"category", "taxonomy_term"}};
    for (int i = 0; rc == PACK_OK && i < 2; i++) {
        if (!pack_tables_has(changed, "intake_match") && !pack_tables_reach(changed, target[i][1], SQLITE_DELETE, 0))
            continue;
        char sql[300];
        snprintf(sql, sizeof sql,
                 "SELECT 1 FROM main.intake_match m WHERE kind = '%s' AND NOT EXISTS (SELECT 1 FROM main.%s x WHERE x.id = "
                 "m.target) LIMIT 1",
                 target[i][0], target[i][1]);
        int found = any_row(db, sql);
        if (found)
            rc = found > 0 ? pack_fail(err, errlen, PACK_ERR_SCHEMA, "intake_match refers to a missing %s", target[i][0])
                           : pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot check references: %s", sqlite3_errmsg(db));
    }
    return rc;
}

/* Why a picture's type cannot be drawn, NULL when it can (mime NULL: none given). */
static const char *media_type_problem(const char *mime)
{
    return mime && strcmp(mime, "image/png") && strcmp(mime, "image/svg+xml") ? "is neither image/png nor image/svg+xml"
                                                                               : NULL;
}

const char *pack_media_problem(const char *mime, const unsigned char *data, size_t len)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int png = len >= 8 && !memcmp(data, png_sig, 8);
    const char *type = media_type_problem(mime);
    if (type) return type;
    if (mime && png != !strcmp(mime, "image/png")) return "holds other data than its type says";
    if (!len || len > LIM_MEDIA_BYTES) return "is empty or larger than 4 MiB";
    if (png) {
        /* SDL_image allocates the whole image the header announces before reading a pixel */
        if (len < 24 || memcmp(data + 12, "IHDR", 4)) return "is a PNG without its header";
        uint32_t w = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t h = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        if (!w || !h || w > LIM_PICTURE_SIDE || h > LIM_PICTURE_SIDE) return "is a PNG larger than 1024 x 1024 pixels";
        return NULL;
    }
    /* the SVG rasteriser's cost grows with what the file asks for, not with its bytes: dashes cost
     * path length over dash length (a 160-byte file drew for minutes), and each scanline visits
     * every edge crossing it, so long lines cost their count squared (3,000 of them across a
     * 96 px pictogram, 20 KiB, drew for 0.25 to 0.66 s; 500, 17 ms); the numbers bound them */
    if (len > LIM_SVG_BYTES) return "is an SVG larger than 32 KiB";
    if (memchr(data, 0, len)) return "is not SVG text";
    int has_svg = 0, in_number = 0, dot = 0, numbers = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = data[i];
        if (i + 4 <= len && !memcmp(data + i, "<svg", 4)) has_svg = 1;
        if (i + 9 <= len && !strncasecmp((const char *)data + i, "dasharray", 9)) return "is an SVG with dashed strokes";
        /* as a path reads them: "1.5.5-2" is three numbers */
        if ((c >= '0' && c <= '9') || c == '.') {
            if (!in_number || (c == '.' && dot)) numbers++, dot = 0;
            in_number = 1;
            dot |= c == '.';
        } else {
            in_number = 0;
        }
    }
    if (numbers > LIM_SVG_NUMBERS) return "is an SVG of more than 1000 numbers (each a point or size to draw)";
    return has_svg ? NULL : "is not an SVG";
}

/*
 * Every row of table (columns: its id first) held to problem, which says why a row cannot be
 * used or NULL (ctx is its own): the first with a problem fails as "WHAT ID" sep "WHY". A pack_err.
 */
static int check_rows(sqlite3 *db, const char *table, const char *columns, const char *what, const char *sep,
                      const char *(*problem)(sqlite3_stmt *st, void *ctx), void *ctx, char *err, size_t errlen)
{
    char sql[300];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT %s FROM main.%s", columns, table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot read %s: %s", table, sqlite3_errmsg(db));
    int rc = PACK_OK, step;
    while (rc == PACK_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *why = problem(st, ctx);
        if (why) rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "%s %.100s%s%s", what, sqlite3_column_text(st, 0), sep, why);
    }
    if (rc == PACK_OK && step != SQLITE_DONE)
        rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot read %s: %s", table, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* A picture row (id, mime, data), by pack_media_problem. */
static const char *media_row_problem(sqlite3_stmt *st, void *ctx)
{
    (void)ctx;
    const unsigned char *data = sqlite3_column_blob(st, 2);
    size_t len = (size_t)sqlite3_column_bytes(st, 2);
    const char *mime = (const char *)sqlite3_column_text(st, 1);
    return pack_media_problem(mime ? mime : "", data, data ? len : 0);
}

/* Why one text of a column limited to max cannot be shown, NULL when it can (as check_texts). */
static const char *bad_value(const unsigned char *s, size_t n, int max)
{
    if (max <= LIM_NAME) return bad_text(s, n, max);
    return n > (size_t)max && utf8_chars(s, n) > (size_t)max ? "longer than" : NULL;
}

int pack_check_change_texts(sqlite3 *ref, sqlite3_changeset_iter *it, const char *tab, int op, pack_change_limits *lim,
                            char *err, size_t errlen)
{
    if (op != SQLITE_INSERT && op != SQLITE_UPDATE) return PACK_OK;
    if (op == SQLITE_INSERT && is_i18n_table(tab)) {
        /* as check_texts */
        sqlite3_value *v = NULL;
        const unsigned char *lang = sqlite3changeset_new(it, 1, &v) == SQLITE_OK && v ? sqlite3_value_text(v) : NULL;
        if (!lang || !i18n_lang_find((const char *)lang))
            return pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes: %s gets a text in \"%.16s\", not a language of this kiosk",
                             tab, lang ? (const char *)lang : "");
    }
    if (!strcmp(tab, "media")) {
        /* id, mime, data; an update's unchanged type is taken from the data itself */
        sqlite3_value *m = NULL, *d = NULL;
        if (sqlite3changeset_new(it, 1, &m) != SQLITE_OK || (m && sqlite3_value_type(m) == SQLITE_NULL)) m = NULL;
        if (sqlite3changeset_new(it, 2, &d) != SQLITE_OK || (d && sqlite3_value_type(d) == SQLITE_NULL)) d = NULL;
        const char *mime = m ? (const char *)sqlite3_value_text(m) : NULL;
        const char *why = NULL;
        if (d) {
            const unsigned char *data = sqlite3_value_blob(d);
            why = pack_media_problem(mime, data, data ? (size_t)sqlite3_value_bytes(d) : 0);
        } else if (!(why = media_type_problem(mime)) && op == SQLITE_INSERT)
            why = "has no data";
        return why ? pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes: a picture %s", why) : PACK_OK;
    }
    size_t t = 0;
    while (t < sizeof limits / sizeof *limits && strcmp(limits[t].table, tab)) t++;
    if (t == sizeof limits / sizeof *limits) return PACK_OK;
    const struct column_limit *l = &limits[t];
    if (strcmp(lim->table, tab) != 0) {
        /* the listed columns' places in the table, looked up once for a run of its changes */
        memset(lim, 0, sizeof *lim);
        snprintf(lim->table, sizeof lim->table, "%s", tab);
        lim->found = 1;
        char names[200];
        snprintf(names, sizeof names, "%s", l->columns);
        int k = 0;
        for (char *save = NULL, *c = strtok_r(names, ", ", &save); c && k < 8; c = strtok_r(NULL, ", ", &save), k++) {
            sqlite3_stmt *st = NULL;
            lim->col[k] = -1;
            if (sqlite3_prepare_v2(ref, "SELECT cid FROM pragma_table_info(?1) WHERE name = ?2", -1, &st, NULL) == SQLITE_OK &&
                sqlite3_bind_text(st, 1, tab, -1, SQLITE_STATIC) == SQLITE_OK &&
                sqlite3_bind_text(st, 2, c, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
                lim->col[k] = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        for (; k < 8; k++) lim->col[k] = -1;
    }
    for (int k = 0; k < 8 && l->max[k]; k++) {
        sqlite3_value *v = NULL;
        /* an update's column it leaves as it was has no new value */
        if (lim->col[k] < 0 || sqlite3changeset_new(it, lim->col[k], &v) != SQLITE_OK || !v ||
            sqlite3_value_type(v) == SQLITE_NULL)
            continue;
        const unsigned char *s = sqlite3_value_text(v);
        const char *why = s ? bad_value(s, (size_t)sqlite3_value_bytes(v), l->max[k]) : NULL;
        if (!why) continue;
        if (!strcmp(why, "longer than"))
            return pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes: %s column %d longer than %d characters", tab,
                             lim->col[k], l->max[k]);
        return pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes: %s column %d %s", tab, lim->col[k], why);
    }
    return PACK_OK;
}

/* How many rows of one kind the build lets a pack hold, as pack_build.c counts them: each query
 * yields the id of an owner with too many, or 'all' when the whole table holds too many. Screens
 * lay out each list whole (100,000 categories froze the topics screen for 46 s here). */
static const struct row_limit {
    const char *table, *sql, *what;
    int max;
} row_limits[] = {
    {"taxonomy_term", "SELECT 'all' FROM (SELECT count(*) n FROM taxonomy_term) WHERE n > ?1", "categories", LIM_CATEGORIES},
    {"intake_question", "SELECT 'all' FROM (SELECT count(*) n FROM intake_question) WHERE n > ?1", "questions", LIM_QUESTIONS},
    {"intake_answer", "SELECT question_id FROM intake_answer GROUP BY 1 HAVING count(*) > ?1", "answers", LIM_ANSWERS},
    {"intake_match", "SELECT answer_id FROM intake_match GROUP BY 1 HAVING count(*) > ?1", "matches", LIM_MATCHES},
    {"location", "SELECT organization_id FROM location GROUP BY 1 HAVING count(*) > ?1", "locations", LIM_LOCATIONS},
    {"service_at_location", "SELECT service_id FROM service_at_location GROUP BY 1 HAVING count(*) > ?1", "locations", LIM_LOCATIONS},
    {"service_taxonomy", "SELECT service_id FROM service_taxonomy GROUP BY 1 HAVING count(*) > ?1", "categories", LIM_CATEGORIES},
    {"language_spoken", "SELECT service_id FROM language_spoken GROUP BY 1 HAVING count(*) > ?1", "spoken languages", LIM_SPOKEN},
    {"schedule", "SELECT service_id FROM schedule GROUP BY 1 HAVING count(*) > ?1", "schedules", LIM_SCHEDULES},
    {"closure", "SELECT ifnull(service_id, 'all') FROM closure GROUP BY service_id HAVING count(*) > ?1", "closed days",
     LIM_DATES},
    {"phone", "SELECT organization_id FROM phone WHERE organization_id NOT NULL GROUP BY 1 HAVING count(*) > ?1", "phones",
     LIM_PHONES},
    {"phone", "SELECT service_id FROM phone WHERE service_id NOT NULL GROUP BY 1 HAVING count(*) > ?1", "phones", LIM_PHONES},
    {"phone", "SELECT location_id FROM phone WHERE location_id NOT NULL GROUP BY 1 HAVING count(*) > ?1", "phones", LIM_PHONES},
};

static int check_counts(sqlite3 *db, const pack_tables *changed, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof row_limits / sizeof *row_limits; i++) {
        const struct row_limit *l = &row_limits[i];
        if (!pack_tables_has(changed, l->table)) continue;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, l->sql, -1, &st, NULL) != SQLITE_OK)
            return pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot count %s: %s", l->what, sqlite3_errmsg(db));
        sqlite3_bind_int(st, 1, l->max);
        int step = sqlite3_step(st), rc = PACK_OK;
        if (step == SQLITE_ROW)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "more than %d %s (%.100s)", l->max, l->what,
                           (const char *)sqlite3_column_text(st, 0));
        else if (step != SQLITE_DONE)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "cannot count %s: %s", l->what, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (rc != PACK_OK) return rc;
    }
    return PACK_OK;
}

/* Why one opening-hours row cannot be expanded as load_schedule (pack_build.c) would have let it
 * be, NULL when it can; ctx, a char[64], remembers the last zone found known (one ICU look-up a
 * zone). */
static const char *schedule_problem(sqlite3_stmt *st, void *ctx)
{
    char *zone = ctx;
#define TXT(i) ((const char *)sqlite3_column_text(st, i))
#define INT_OR_NULL(i) (sqlite3_column_type(st, i) == SQLITE_INTEGER || sqlite3_column_type(st, i) == SQLITE_NULL)
    const char *freq = TXT(1), *byday = TXT(3), *bymonthday = TXT(4), *from = TXT(7), *to = TXT(8), *tz = TXT(9);
    int monthly = freq && !strcmp(freq, "MONTHLY");
    if (!monthly && (!freq || strcmp(freq, "WEEKLY"))) return "freq is neither WEEKLY nor MONTHLY";
    sqlite3_int64 iv = sqlite3_column_int64(st, 2);
    if (sqlite3_column_type(st, 2) != SQLITE_INTEGER || iv < 1 || iv > (monthly ? 12 : 52))
        return "interval is not 1-52 (WEEKLY) or 1-12 (MONTHLY)";
    if (byday && !pb_valid_byday(byday, monthly)) return "byday is not a list of days";
    if (bymonthday && (!monthly || !pb_valid_bymonthday(bymonthday))) return "bymonthday is not a list of days of a month";
    if (!byday && !bymonthday) return "has neither byday nor bymonthday";
    int o = pb_parse_time(TXT(5), 0), c = pb_parse_time(TXT(6), 1);
    if (o < 0 || c < 0 || c <= o) return "opens_at and closes_at are not HH:MM, closing after opening";
    if ((from && !pb_valid_date(from)) || (to && !pb_valid_date(to)) || (from && to && strcmp(from, to) > 0))
        return "valid_from and valid_to are not dates in order";
    if (!tz || !*tz || (strcmp(tz, zone) && !slots_zone_known(tz))) return "timezone is not a known zone";
    snprintf(zone, 64, "%s", tz);
    if (!INT_OR_NULL(10) || !INT_OR_NULL(11)) return "slot_minutes and capacity are not numbers";
    sqlite3_int64 slot = sqlite3_column_int64(st, 10), cap = sqlite3_column_int64(st, 11);
    if ((sqlite3_column_type(st, 10) == SQLITE_NULL) != (sqlite3_column_type(st, 11) == SQLITE_NULL))
        return "has slot_minutes or capacity without the other";
    if (sqlite3_column_type(st, 10) != SQLITE_NULL && (slot < 5 || slot > c - o || cap < 1 || cap > 1000))
        return "slot_minutes (5 to the opening's length) or capacity (1-1000) out of range";
    return NULL;
#undef TXT
#undef INT_OR_NULL
}

/* A closed day (id, date). */
static const char *closure_problem(sqlite3_stmt *st, void *ctx)
{
    (void)ctx;
    return pb_valid_date((const char *)sqlite3_column_text(st, 1)) ? NULL : "is not a YYYY-MM-DD date (2000-2099)";
}

/* Every schedule and closed day holds values the build accepts: the booking room expands them
 * without asking again (it adds capacities: two rules of 2^31 - 1 seats overflowed). */
static int check_schedules(sqlite3 *db, const pack_tables *changed, char *err, size_t errlen)
{
    char zone[64] = "";
    int rc = PACK_OK;
    if (pack_tables_has(changed, "schedule"))
        rc = check_rows(db, "schedule",
                        "id, freq, interval, byday, bymonthday, opens_at, closes_at, valid_from, valid_to, timezone, "
                        "slot_minutes, capacity",
                        "schedule", ": ", schedule_problem, zone, err, errlen);
    if (rc == PACK_OK && pack_tables_has(changed, "closure"))
        rc = check_rows(db, "closure", "id, date", "closed day", " ", closure_problem, NULL, err, errlen);
    return rc;
}

/* Whether changed holds a table the list rows and counts are derived from. */
static int derived_changed(const pack_tables *changed)
{
    if (!changed || changed->n < 0) return 1;
    for (int i = 0; i < changed->n; i++)
        if (store_derive_reads(changed->t[i].name)) return 1;
    return 0;
}

int pack_check_derived(sqlite3 *db, const pack_tables *changed, char *err, size_t errlen)
{
    char derr[200];
    /* the derived tables are made in the connection's temporary database: in memory */
    sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    int rc = check_counts(db, changed, err, errlen);
    if (rc == PACK_OK) rc = check_schedules(db, changed, err, errlen);
    if (rc != PACK_OK) return rc;
    int d = derived_changed(changed) ? store_derive_check(db, derr, sizeof derr) : 0;
    if (d != 0) return pack_fail(err, errlen, PACK_ERR_SCHEMA, "%s", derr);
    return check_references(db, changed, err, errlen);
}

int pack_check_values(sqlite3 *db, char *err, size_t errlen)
{
    int rc = pack_check_derived(db, NULL, err, errlen);
    if (rc == PACK_OK) rc = check_texts(db, err, errlen);
    return rc == PACK_OK ? check_rows(db, "media", "id, mime, data", "picture", " ", media_row_problem, NULL, err, errlen)
                         : rc;
}
