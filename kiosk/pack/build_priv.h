/*
 * build_priv.h: what the files of the pack builder share (pack_build.c reads the sources,
 * build_check.c checks values and words refusals, build_media.c stores pictograms, build_db.c
 * writes the database, synth.c makes synthetic content); not for other files or rooms.
 * The pb_ functions return 0 or -1 with b->err filled, unless said otherwise.
 */
#ifndef KIOSK_PACK_BUILD_PRIV_H
#define KIOSK_PACK_BUILD_PRIV_H

#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stddef.h>


/* Maxima, documented in content/README.md ("Limits"). Texts count characters (code points). */
enum {
    LIM_SOURCE_BYTES = 4 * 1024 * 1024, /* one JSON file */
    LIM_MEDIA_BYTES = 4 * 1024 * 1024,  /* one pictogram */
    LIM_SVG_BYTES = 32 * 1024,          /* one SVG pictogram */
    LIM_SVG_NUMBERS = 1000,             /* numbers in one SVG: coordinates mostly */
    LIM_PICTURE_SIDE = 1024,            /* a PNG's width and height, pixels */
    LIM_FILES = 20000,                  /* files in organizations/ or offers/ */
    LIM_ID = 64,
    LIM_LOCATION_ID = 130,
    LIM_TITLE = 200,
    LIM_NAME = 200,
    LIM_CATEGORY_NAME = 100,
    LIM_SUMMARY = 500,
    LIM_DESCRIPTION = 4000,
    LIM_NOTE = 1000, /* eligibility, cost, accessibility, transit, category description */
    LIM_QUESTION = 300,
    LIM_LABEL = 100,
    LIM_REASON = 300,
    LIM_ADDRESS = 200,
    LIM_POSTCODE = 20,
    LIM_EMAIL = 254,
    LIM_URL = 500,
    LIM_PHONE = 40,
    LIM_ICON = 100,
    LIM_CATEGORIES = 100,
    LIM_MARKS = 8, /* combining marks in a row: more stack over the lines above */
    LIM_PHONES = 10,
    LIM_LOCATIONS = 100,
    LIM_SPOKEN = 50,
    LIM_SCHEDULES = 50,
    LIM_DATES = 1000, /* holidays, closed */
    LIM_QUESTIONS = 20,
    LIM_ANSWERS = 10,
    LIM_MATCHES = 100,
};

#define NOIDX ((size_t)-1)

typedef struct builder {
    sqlite3 *db;
    char *err;
    size_t errlen;
    char file[PATH_MAX];      /* source file being read, for messages (named whole) */
    char *text;               /* its bytes, to find the line of a value */
    size_t textlen;
    json_t *root;             /* its tree while it is being loaded (the loader owns it) */
    char source_lang[16];     /* pack.json "source_language" */
    char zone[64];            /* pack.json "timezone": the district's, and the schedules' default */
    char pict[PATH_MAX];      /* the pictogram folder as found, and resolved ("" when none) */
    char pict_real[PATH_MAX];
} builder;

/* Refuse with "FILE: message" (the file being read, if any); returns -1. */
int pb_fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A refusal of the value c[key] (key given), c[idx] (idx given) or c itself (neither):
 * "FILE:LINE: PATH: message". c is an object or array of the file being loaded.
 */
int pb_fail_at(builder *b, json_t *c, const char *key, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Run sql with text parameters (NULL binds SQL NULL). */
int pb_run(builder *b, const char *sql, int n, const char *const vals[]);

/* o[key] when it is text, else NULL. */
const char *pb_str(json_t *o, const char *key);

/* Read path (a regular file, at most LIM_SOURCE_BYTES) and parse it; keeps the text for lines. */
json_t *pb_load_json(builder *b, const char *path);

/* Free j and forget the text kept for it. */
void pb_done_json(builder *b, json_t *j);

/* Refuses members of o not in allowed (NULL-terminated): a misspelt key is never ignored. */
int pb_check_keys(builder *b, json_t *o, const char *const allowed[]);

/* The object at c[key] or c[idx] with only the allowed members; absent is an error when required. */
int pb_get_object(builder *b, json_t *c, const char *key, size_t idx, const char *const allowed[], int required,
                  json_t **out);

/* The list at o[key] with min..max items (absent: NULL, an error when min > 0). */
int pb_get_list(builder *b, json_t *o, const char *key, size_t min, size_t max, json_t **out);

/* Text of at most max characters at o[key], no control characters; NULL when absent. */
int pb_get_text(builder *b, json_t *o, const char *key, size_t max, int required, const char **out);

/*
 * A name or label at o[key] (optional, as pb_get_text) that, when present, shows something: not
 * empty and not only spaces or invisible characters (ZWSP, ZWJ, bidi marks, BOM, NBSP...), which
 * would draw a blank button or heading where the fallback language would have shown a name.
 */
int pb_get_name(builder *b, json_t *o, const char *key, size_t max, const char **out);

/* An integer in lo..hi at o[key]; absent leaves *out (its default) unless required. */
int pb_get_int(builder *b, json_t *o, const char *key, long long lo, long long hi, int required, long long *out);

/* true/false at o[key] (absent: false). */
int pb_get_bool(builder *b, json_t *o, const char *key, int *out);

/* Every item of list (may be NULL) is text of at most max characters, none twice. */
int pb_check_text_list(builder *b, json_t *list, size_t max);

/* o["id"]: at most max characters of a-z 0-9 - _ /. */
int pb_get_id(builder *b, json_t *o, size_t max, const char **out);

/* Whether d is a calendar date "YYYY-MM-DD" between 2000 and 2099. */
int pb_valid_date(const char *d);

/* A date "YYYY-MM-DD" at c[key] or c[idx]. */
int pb_date_at(builder *b, json_t *c, const char *key, size_t idx, const char **out);

/* Every item of list (may be NULL) is such a date. */
int pb_check_dates(builder *b, json_t *list);

/* Minutes after midnight of "HH:MM" (00:00-23:59; "24:00" too when end), or -1. */
int pb_parse_time(const char *t, int end);

/* RRULE BYDAY as the booking room expands it: "MO,WE"; MONTHLY may give an ordinal ("1WE,-1FR"). */
int pb_valid_byday(const char *s, int monthly);

/* RRULE BYMONTHDAY: "1,15,-1" (1..31 from the start, -1..-31 from the end). */
int pb_valid_bymonthday(const char *s);

/* A language code spoken at an offer: a kiosk language or an ISO 639 code ICU knows. */
int pb_known_language_code(const char *code);

/* Store the file at path (already resolved) as media id; NULL, or why not. */
const char *pb_put_media(builder *b, const char *id, const char *path);

/* The pictogram folder: the pack's own, else the shared one beside it; resolved for put_icon. */
void pb_find_pictograms(builder *b, const char *dir);

/*
 * o["icon"] (optional): an .svg or .png file that resolves (symlinks followed) inside the
 * pictogram folder; anything else, e.g. "../../secret", is refused before a byte is read.
 */
int pb_put_icon(builder *b, json_t *o, const char **out);

/* Dangling references, reported with the file that holds them. */
int pb_check_refs(builder *b, const char *dir);

/* A new database at tmp with the schema, inside one transaction. */
int pb_db_begin(builder *b, const char *tmp);

/* Commit, make durable, and move into place. */
int pb_db_finish(builder *b, const char *tmp, const char *out);

#endif
