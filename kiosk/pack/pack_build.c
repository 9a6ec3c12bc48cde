/*
 * pack_build.c: JSON sources -> content database, and synthetic content (see pack.h).
 *
 * Sources are edited by hand and may come from anyone who can drop a file into the content
 * folder, so every value is checked before it reaches the database: its type (a "2" in quotes
 * is not a version), its range, calendar rules and time zones as the booking room will expand
 * them, the maximum length of every text (the table in content/README.md, kept in one place
 * here: the LIM_ constants), unknown fields (a misspelt key would otherwise be dropped
 * silently), and media paths, which must resolve inside the pictogram folder.
 *
 * A refusal reads "FILE:LINE: PATH: problem", PATH being the value's place in the JSON
 * ("schedules[0].closes_at"). jansson keeps no positions for decoded values, so the line is
 * found afterwards: walk the file's text along PATH, letting jansson measure every value that is
 * stepped over (json_loadb with JSON_DISABLE_EOF_CHECK reports the bytes one value took). Only
 * the separators between values are looked at here, in text jansson has already accepted.
 */
#include "pack.h"

#include "i18n/i18n.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unistd.h>

/* Maxima, documented in content/README.md ("Limits"). Texts count characters (code points). */
enum {
    LIM_SOURCE_BYTES = 4 * 1024 * 1024, /* one JSON file */
    LIM_MEDIA_BYTES = 4 * 1024 * 1024,  /* one pictogram */
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
    char file[1024];          /* source file being read, for messages */
    char *text;               /* its bytes, to find the line of a value */
    size_t textlen;
    json_t *root;             /* its tree while it is being loaded (the loader owns it) */
    char source_lang[16];     /* pack.json "source_language" */
    char pict[PATH_MAX];      /* the pictogram folder as found, and resolved ("" when none) */
    char pict_real[PATH_MAX];
} builder;

static int fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->file[0]) snprintf(b->err, b->errlen, "%s: %s", b->file, msg);
    else snprintf(b->err, b->errlen, "%s", msg);
    return -1;
}

/* ---------- where a value is: JSON path and line ---------- */

enum { MAX_DEPTH = 16 };
typedef struct step {
    const char *key; /* object member, or NULL for array item idx */
    size_t idx;
} step;

/* The steps from node down to target (an object or array), found by pointer; -1 when absent. */
static int path_to(json_t *node, json_t *target, step *s, int depth)
{
    if (node == target) return depth;
    if (depth >= MAX_DEPTH - 1) return -1;
    const char *k;
    size_t i;
    json_t *v;
    if (json_is_object(node)) {
        json_object_foreach(node, k, v) {
            s[depth] = (step){k, NOIDX};
            int d = json_is_object(v) || json_is_array(v) ? path_to(v, target, s, depth + 1) : -1;
            if (d >= 0) return d;
        }
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v) {
            s[depth] = (step){NULL, i};
            int d = json_is_object(v) || json_is_array(v) ? path_to(v, target, s, depth + 1) : -1;
            if (d >= 0) return d;
        }
    }
    return -1;
}

static size_t skip_ws(const char *t, size_t n, size_t p)
{
    while (p < n && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r')) p++;
    return p;
}

/* The value starting at t+p as jansson reads it; *len is the bytes it took (0: none). */
static json_t *value_at(const char *t, size_t n, size_t p, size_t *len)
{
    json_error_t je;
    json_t *v = p < n ? json_loadb(t + p, n - p, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &je) : NULL;
    *len = v && je.position > 0 ? (size_t)je.position : 0;
    return v;
}

/* Byte offset in t of the value the steps lead to, or -1. */
static long long locate(const char *t, size_t n, const step *s, int ns)
{
    size_t p = skip_ws(t, n, 0), len;
    for (int d = 0; d < ns; d++) {
        if (p >= n || t[p] != (s[d].key ? '{' : '[')) return -1;
        p = skip_ws(t, n, p + 1);
        for (size_t i = 0;; i++) {
            int hit = !s[d].key && i == s[d].idx;
            if (s[d].key) {
                json_t *k = value_at(t, n, p, &len);
                hit = json_is_string(k) && !strcmp(json_string_value(k), s[d].key);
                json_decref(k);
                if (!len) return -1;
                p = skip_ws(t, n, p + len);
                if (p >= n || t[p] != ':') return -1;
                p = skip_ws(t, n, p + 1);
            }
            if (hit) break;
            json_decref(value_at(t, n, p, &len));
            if (!len) return -1;
            p = skip_ws(t, n, p + len);
            if (p >= n || t[p] != ',') return -1;
            p = skip_ws(t, n, p + 1);
        }
    }
    return (long long)p;
}

/*
 * A refusal of the value c[key] (key given), c[idx] (idx given) or c itself (neither):
 * "FILE:LINE: PATH: message". c is an object or array of the file being loaded.
 */
static int fail_at(builder *b, json_t *c, const char *key, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_at(builder *b, json_t *c, const char *key, size_t idx, const char *fmt, ...)
{
    char msg[768], where[512] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    step s[MAX_DEPTH + 1];
    int ns = b->root && c ? path_to(b->root, c, s, 0) : -1;
    if (ns >= 0 && key) s[ns++] = (step){key, NOIDX};
    else if (ns >= 0 && idx != NOIDX) s[ns++] = (step){NULL, idx};
    long long line = 0;
    size_t o = 0;
    for (int d = 0; d < ns && o < sizeof where; d++) {
        int k = s[d].key ? snprintf(where + o, sizeof where - o, "%s%s", d ? "." : "", s[d].key)
                         : snprintf(where + o, sizeof where - o, "[%zu]", s[d].idx);
        if (k < 0) break;
        o += (size_t)k;
    }
    long long p = ns >= 0 && b->text ? locate(b->text, b->textlen, s, ns) : -1;
    for (long long i = 0; i < p; i++) line += b->text[i] == '\n';
    char pos[32] = "";
    if (p >= 0) snprintf(pos, sizeof pos, ":%lld", line + 1);
    snprintf(b->err, b->errlen, "%s%s: %s%s%s", b->file, pos, where, where[0] ? ": " : "", msg);
    return -1;
}

/* ---------- reading and checking values ---------- */

/* Run sql with text parameters (NULL binds SQL NULL). */
static int run(builder *b, const char *sql, int n, const char *const vals[])
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail(b, "database: %s", sqlite3_errmsg(b->db));
    for (int i = 0; i < n; i++) {
        if (vals[i]) sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, i + 1);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT) return fail(b, "duplicate or invalid entry (%s)", sqlite3_errmsg(b->db));
        return fail(b, "database: %s", sqlite3_errmsg(b->db));
    }
    return 0;
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "text";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE: return "true/false";
    default: return "null";
    }
}

/* Read path (a regular file, at most LIM_SOURCE_BYTES) and parse it; keeps the text for lines. */
static json_t *load_json(builder *b, const char *path)
{
    snprintf(b->file, sizeof b->file, "%s", path);
    free(b->text);
    b->text = NULL;
    b->textlen = 0;
    b->root = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fail(b, "%s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > LIM_SOURCE_BYTES) {
        close(fd);
        fail(b, "must be a regular file of at most %d MiB", LIM_SOURCE_BYTES >> 20);
        return NULL;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    char *t = malloc(size + 1);
    while (t && got < size) {
        ssize_t r = read(fd, t + got, size - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (!t || got != size) {
        free(t);
        fail(b, "cannot read it");
        return NULL;
    }
    t[got] = 0;
    json_error_t je;
    json_t *j = json_loadb(t, got, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        free(t);
        if (je.line > 0) snprintf(b->err, b->errlen, "%s:%d: column %d: %s", path, je.line, je.column, je.text);
        else fail(b, "%s", je.text);
        return NULL;
    }
    b->text = t;
    b->textlen = got;
    b->root = j;
    return j;
}

static void done_json(builder *b, json_t *j)
{
    if (b->root == j) b->root = NULL;
    json_decref(j);
}

/* Refuses members of o not in allowed (NULL-terminated): a misspelt key is never ignored. */
static int check_keys(builder *b, json_t *o, const char *const allowed[])
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++) ok = !strcmp(k, allowed[i]);
        if (!ok) return fail_at(b, o, k, NOIDX, "unknown field");
    }
    return 0;
}

/* The object at c[key] or c[idx] with only the allowed members; absent is an error when required. */
static int get_object(builder *b, json_t *c, const char *key, size_t idx, const char *const allowed[], int required,
                      json_t **out)
{
    json_t *v = key ? json_object_get(c, key) : json_array_get(c, idx);
    *out = NULL;
    if (!v && !required) return 0;
    if (!v) return fail_at(b, c, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_object(v)) return fail_at(b, c, key, idx, "must be an object, not %s", type_name(v));
    *out = v;
    return allowed ? check_keys(b, v, allowed) : 0;
}

/* The list at o[key] with min..max items (absent: NULL, an error when min > 0). */
static int get_list(builder *b, json_t *o, const char *key, size_t min, size_t max, json_t **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v && min == 0) return 0;
    if (!v) return fail_at(b, o, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_array(v)) return fail_at(b, o, key, NOIDX, "must be a list, not %s", type_name(v));
    size_t n = json_array_size(v);
    if (n < min) return fail_at(b, o, key, NOIDX, "needs at least %zu entr%s", min, min == 1 ? "y" : "ies");
    if (n > max) return fail_at(b, v, NULL, max, "more than %zu entries (%zu)", max, n);
    *out = v;
    return 0;
}

/* Characters (code points) in UTF-8 (jansson has checked the encoding). */
static size_t u8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*
 * The first character a text may not hold, or NULL: control characters other than tab and
 * newline, and bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069): the text
 * engine isolates numbers and addresses itself, and an unbalanced one garbles every line after it.
 */
static const char *bad_char(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F) return "a control character";
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return "a control character";
        if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) || (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
            return "a bidi control character";
    }
    return NULL;
}

/* The text at c[key] or c[idx], at most max characters; absent is an error when required. */
static int text_at(builder *b, json_t *c, const char *key, size_t idx, size_t max, int required, const char **out)
{
    json_t *v = key ? json_object_get(c, key) : json_array_get(c, idx);
    *out = NULL;
    if (!v && !required) return 0;
    if (!v) return fail_at(b, c, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_string(v)) return fail_at(b, c, key, idx, "must be text, not %s", type_name(v));
    const char *s = json_string_value(v), *why = bad_char(s);
    size_t n = u8_chars(s);
    if (n > max) return fail_at(b, c, key, idx, "longer than %zu characters (%zu)", max, n);
    if (why) return fail_at(b, c, key, idx, "holds %s", why);
    if (required && !*s) return fail_at(b, c, key, idx, "must not be empty");
    *out = s;
    return 0;
}

static int get_text(builder *b, json_t *o, const char *key, size_t max, int required, const char **out)
{
    return text_at(b, o, key, NOIDX, max, required, out);
}

/* An integer in lo..hi at o[key]; absent leaves *out (its default) unless required. */
static int get_int(builder *b, json_t *o, const char *key, long long lo, long long hi, int required, long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!v && !required) return 0;
    if (!v) return fail_at(b, o, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_integer(v)) return fail_at(b, o, key, NOIDX, "must be a whole number, not %s", type_name(v));
    long long x = json_integer_value(v);
    if (x < lo || x > hi) return fail_at(b, o, key, NOIDX, "%lld is outside %lld..%lld", x, lo, hi);
    *out = x;
    return 0;
}

static int get_bool(builder *b, json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v) return 0;
    if (!json_is_boolean(v)) return fail_at(b, o, key, NOIDX, "must be true or false, not %s", type_name(v));
    *out = json_is_true(v);
    return 0;
}

/* Every item of list (may be NULL) is text of at most max characters, none twice. */
static int check_text_list(builder *b, json_t *list, size_t max)
{
    size_t i, k;
    json_t *v;
    const char *s;
    json_array_foreach(list, i, v) {
        if (text_at(b, list, NULL, i, max, 1, &s)) return -1;
        for (k = 0; k < i; k++)
            if (!strcmp(s, json_string_value(json_array_get(list, k))))
                return fail_at(b, list, NULL, i, "\"%s\" is listed twice", s);
    }
    return 0;
}

static int valid_id(const char *id)
{
    if (!id || !*id) return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '/' || *p == '_')) return 0;
    return 1;
}

static int get_id(builder *b, json_t *o, size_t max, const char **out)
{
    if (get_text(b, o, "id", max, 1, out)) return -1;
    if (!valid_id(*out)) return fail_at(b, o, "id", NOIDX, "\"%s\" must use only a-z 0-9 - _ /", *out);
    return 0;
}

/* A calendar date "YYYY-MM-DD" between 2000 and 2099. */
static int valid_date(const char *d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return 0;
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && dd >= 1 && dd <= mdays[m - 1] && (m != 2 || dd <= 28 + leap);
}

static int date_at(builder *b, json_t *c, const char *key, size_t idx, const char **out)
{
    if (text_at(b, c, key, idx, 10, 0, out)) return -1;
    if (*out && !valid_date(*out)) return fail_at(b, c, key, idx, "\"%s\" is not a YYYY-MM-DD date (2000-2099)", *out);
    return 0;
}

static int check_dates(builder *b, json_t *list)
{
    size_t i;
    json_t *v;
    const char *d;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v)) return fail_at(b, list, NULL, i, "must be a YYYY-MM-DD date");
        if (date_at(b, list, NULL, i, &d)) return -1;
    }
    return 0;
}

/* Minutes after midnight of "HH:MM" (00:00-23:59; "24:00" too when end), or -1. */
static int parse_time(const char *t, int end)
{
    if (!t || strlen(t) != 5 || t[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (t[i] < '0' || t[i] > '9')) return -1;
    int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (!end || m))) return -1;
    return h * 60 + m;
}

/* RRULE BYDAY as the booking room expands it: "MO,WE"; MONTHLY may give an ordinal ("1WE,-1FR"). */
static int valid_byday(const char *s, int monthly)
{
    static const char days[] = "MOTUWETHFRSASU";
    unsigned seen = 0;
    for (;;) {
        const char *p = s;
        int ord = 0;
        if (monthly && (*p == '+' || *p == '-')) p++;
        if (monthly && *p >= '1' && *p <= '5') p++, ord = 1;
        else if (p != s) return 0;
        int d = -1;
        for (int i = 0; i < 7 && p[0] && p[1]; i++)
            if (p[0] == days[2 * i] && p[1] == days[2 * i + 1]) d = i;
        if (d < 0) return 0;
        p += 2;
        if (!ord && (seen & (1u << d))) return 0;
        if (!ord) seen |= 1u << d;
        if (!*p) return 1;
        if (*p != ',') return 0;
        s = p + 1;
    }
}

/* RRULE BYMONTHDAY: "1,15,-1" (1..31 from the start, -1..-31 from the end). */
static int valid_bymonthday(const char *s)
{
    for (;;) {
        const char *p = s;
        if (*p == '-') p++;
        int n = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 3) n = n * 10 + (*p++ - '0'), digits++;
        if (!digits || n < 1 || n > 31 || (p[0] == '0' && digits == 1)) return 0;
        if (!*p) return 1;
        if (*p != ',') return 0;
        s = p + 1;
    }
}

/* An IANA zone the booking room can open (ICU; a name it does not know would become GMT). */
static int known_zone(const char *zone)
{
    UChar id[64], canon[64];
    UBool system = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (strlen(zone) >= sizeof id / sizeof id[0] || strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                 "0123456789/_+-") != strlen(zone))
        return 0;
    u_uastrcpy(id, zone);
    ucal_getCanonicalTimeZoneID(id, -1, canon, 64, &system, &st);
    return U_SUCCESS(st) && system;
}

/* A language code spoken at an offer: a kiosk language or an ISO 639 code ICU knows. */
static int known_language_code(const char *code)
{
    if (i18n_lang_find(code)) return 1;
    for (const char *const *l = uloc_getISOLanguages(); *l; l++)
        if (!strcmp(*l, code)) return 1;
    return 0;
}

/* ---------- media ---------- */

/* Store the file at path (already resolved) as media id; NULL, or why not. */
static const char *put_media(builder *b, const char *id, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return strerror(errno);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return "not a regular file";
    }
    if (sb.st_size <= 0 || sb.st_size > LIM_MEDIA_BYTES) {
        close(fd);
        return "empty or larger than 4 MiB";
    }
    size_t len = (size_t)sb.st_size, got = 0;
    unsigned char *data = malloc(len);
    while (data && got < len) {
        ssize_t r = read(fd, data + got, len - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (!data || got != len) {
        free(data);
        return "cannot read it";
    }
    sqlite3_stmt *st;
    int rc = -1;
    size_t n = strlen(path);
    const char *mime = n > 4 && !strcmp(path + n - 4, ".png") ? "image/png" : "image/svg+xml";
    if (sqlite3_prepare_v2(b->db, "INSERT OR REPLACE INTO media(id, mime, data) VALUES(?1, ?2, ?3)", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(st);
    }
    free(data);
    return rc ? "cannot store it" : NULL;
}

/* The pictogram folder: the pack's own, else the shared one beside it; resolved for put_icon. */
static void find_pictograms(builder *b, const char *dir)
{
    struct stat sb;
    snprintf(b->pict, sizeof b->pict, "%s/pictograms", dir);
    if (stat(b->pict, &sb) != 0) snprintf(b->pict, sizeof b->pict, "%s/../pictograms", dir);
    if (!realpath(b->pict, b->pict_real)) b->pict_real[0] = 0;
}

/*
 * o["icon"] (optional): an .svg or .png file that resolves (symlinks followed) inside the
 * pictogram folder; anything else, e.g. "../../secret", is refused before a byte is read.
 */
static int put_icon(builder *b, json_t *o, const char **out)
{
    const char *icon;
    if (get_text(b, o, "icon", LIM_ICON, 0, &icon)) return -1;
    *out = icon;
    if (!icon) return 0;
    size_t n = strlen(icon);
    if (n < 5 || (strcmp(icon + n - 4, ".svg") && strcmp(icon + n - 4, ".png")))
        return fail_at(b, o, "icon", NOIDX, "\"%s\" must be an .svg or .png file", icon);
    if (icon[0] == '/' || !strncmp(icon, "../", 3) || strstr(icon, "/../") || strchr(icon, '\\'))
        return fail_at(b, o, "icon", NOIDX, "\"%s\" must be a file inside the pictogram folder", icon);
    if (!b->pict_real[0]) return fail_at(b, o, "icon", NOIDX, "no pictogram folder %s", b->pict);
    char path[2 * PATH_MAX], real[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", b->pict, icon);
    if (!realpath(path, real)) return fail_at(b, o, "icon", NOIDX, "%s: %s", path, strerror(errno));
    size_t pl = strlen(b->pict_real);
    if (strncmp(real, b->pict_real, pl) != 0 || real[pl] != '/')
        return fail_at(b, o, "icon", NOIDX, "\"%s\" leads outside the pictogram folder %s", icon, b->pict);
    const char *why = put_media(b, icon, real);
    return why ? fail_at(b, o, "icon", NOIDX, "%s: %s", path, why) : 0;
}

/* ---------- the source files ---------- */

static int check_status(builder *b, json_t *tr)
{
    const char *status;
    if (get_text(b, tr, "status", 16, 1, &status)) return -1;
    if (strcmp(status, "complete") && strcmp(status, "machine") && strcmp(status, "outdated"))
        return fail_at(b, tr, "status", NOIDX, "must be complete, machine or outdated, not \"%s\"", status);
    return 0;
}

typedef struct field {
    const char *key, *col; /* JSON member, database column */
    size_t max;            /* characters */
} field;

/* Insert the translations in o["i18n"] = {"de": {"status":..., field...}, ...} of one entity. */
static int put_i18n(builder *b, json_t *o, const char *table, const char *keycol, const char *id, const field *f, int n)
{
    json_t *i18n, *tr;
    if (get_object(b, o, "i18n", NOIDX, NULL, 1, &i18n)) return -1;
    const char *allowed[8] = {"status"};
    for (int i = 0; i < n; i++) allowed[i + 1] = f[i].key;
    allowed[n + 1] = NULL;
    char sql[512];
    int w = snprintf(sql, sizeof sql, "INSERT INTO %s(%s, lang, status", table, keycol);
    for (int i = 0; i < n; i++) w += snprintf(sql + w, sizeof sql - (size_t)w, ", %s", f[i].col);
    w += snprintf(sql + w, sizeof sql - (size_t)w, ") VALUES(?1, ?2, ?3");
    for (int i = 0; i < n; i++) w += snprintf(sql + w, sizeof sql - (size_t)w, ", ?%d", i + 4);
    snprintf(sql + w, sizeof sql - (size_t)w, ")");
    const char *lang;
    json_object_foreach(i18n, lang, tr) {
        if (!i18n_lang_find(lang)) return fail_at(b, i18n, lang, NOIDX, "unknown language \"%s\"", lang);
        if (get_object(b, i18n, lang, NOIDX, allowed, 1, &tr) || check_status(b, tr)) return -1;
        const char *vals[12] = {id, lang, str(tr, "status")};
        for (int i = 0; i < n; i++)
            if (get_text(b, tr, f[i].key, f[i].max, 0, &vals[3 + i])) return -1;
        if (run(b, sql, 3 + n, vals)) return -1;
    }
    return 0;
}

static int put_phones(builder *b, json_t *o, const char *col, const char *owner)
{
    static const char *const keys[] = {"number", "type", NULL};
    static const char *const types[] = {"voice", "fax", "text", "cell", "video", "pager", "textphone", NULL};
    json_t *phones, *p;
    if (get_list(b, o, "phones", 0, LIM_PHONES, &phones)) return -1;
    for (size_t i = 0; i < json_array_size(phones); i++) {
        const char *num, *type = "voice";
        if (get_object(b, phones, NULL, i, keys, 1, &p) || get_text(b, p, "number", LIM_PHONE, 1, &num) ||
            get_text(b, p, "type", 16, 0, &type))
            return -1;
        if (strspn(num, "+0123456789 -/()") != strlen(num))
            return fail_at(b, p, "number", NOIDX, "\"%s\" may hold only digits, spaces and + - / ( )", num);
        if (!type) type = "voice";
        int known = 0;
        for (int t = 0; types[t]; t++) known |= !strcmp(type, types[t]);
        if (!known) return fail_at(b, p, "type", NOIDX, "\"%s\" is not voice, fax, text, cell, video, pager or textphone", type);
        char pid[600], ord[24], sql[256];
        snprintf(pid, sizeof pid, "%s#%zu", owner, i);
        snprintf(ord, sizeof ord, "%zu", i);
        snprintf(sql, sizeof sql, "INSERT INTO phone(id, %s, number, type, sort_order) VALUES(?1, ?2, ?3, ?4, ?5)", col);
        const char *vals[] = {pid, owner, num, type, ord};
        if (run(b, sql, 5, vals)) return -1;
    }
    return 0;
}

/* o["email"] and o["url"] (optional): an address with an @, a web address with http(s)://. */
static int get_contact(builder *b, json_t *o, const char **email, const char **url)
{
    if (get_text(b, o, "email", LIM_EMAIL, 0, email) || get_text(b, o, "url", LIM_URL, 0, url)) return -1;
    if (*email && (!strchr(*email, '@') || strpbrk(*email, " \t\n<>\"")))
        return fail_at(b, o, "email", NOIDX, "\"%s\" is not an e-mail address", *email);
    if (*url && ((strncmp(*url, "https://", 8) && strncmp(*url, "http://", 7)) || strpbrk(*url, " \t\n<>\"")))
        return fail_at(b, o, "url", NOIDX, "must be a web address starting with https://");
    return 0;
}

static int load_pack_json(builder *b, const char *dir)
{
    static const char *const keys[] = {"id", "demo", "version", "source_language", "languages", "i18n", "holidays", NULL};
    static const char *const tr_keys[] = {"status", "title", NULL};
    char path[1024];
    snprintf(path, sizeof path, "%s/pack.json", dir);
    json_t *j = load_json(b, path);
    if (!j) return -1;
    json_t *langs, *holidays, *i18n = NULL, *tr;
    const char *id, *src = "de";
    long long version = 0;
    int demo, rc = -1;
    if (!json_is_object(j)) {
        fail(b, "must be an object");
        goto out;
    }
    if (check_keys(b, j, keys) || get_id(b, j, LIM_ID, &id) || get_int(b, j, "version", 1, INT32_MAX, 1, &version) ||
        get_bool(b, j, "demo", &demo) || get_text(b, j, "source_language", 8, 0, &src) ||
        get_list(b, j, "languages", 1, (size_t)i18n_lang_count(), &langs) || check_text_list(b, langs, 8) ||
        get_list(b, j, "holidays", 0, LIM_DATES, &holidays) || check_dates(b, holidays) ||
        get_object(b, j, "i18n", NOIDX, NULL, 0, &i18n))
        goto out;
    if (!src) src = "de";
    int src_listed = 0;
    for (size_t i = 0; i < json_array_size(langs); i++) {
        const char *l = json_string_value(json_array_get(langs, i));
        if (!i18n_lang_find(l)) {
            fail_at(b, langs, NULL, i, "unknown language \"%s\"", l);
            goto out;
        }
        src_listed |= !strcmp(l, src);
    }
    if (!src_listed) {
        fail_at(b, j, json_object_get(j, "source_language") ? "source_language" : NULL, NOIDX,
                "the source language \"%s\" must be one of \"languages\"", src);
        goto out;
    }
    snprintf(b->source_lang, sizeof b->source_lang, "%s", src);
    char verbuf[32], now[32];
    snprintf(verbuf, sizeof verbuf, "%lld", version);
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    const char *kv[][2] = {{"schema_version", "1"}, {"pack_id", id},         {"content_version", verbuf},
                           {"created", now},        {"demo", demo ? "1" : "0"}, {"source_language", src}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, kv[i])) goto out;
    for (size_t i = 0; i < json_array_size(langs); i++) {
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *vals[] = {json_string_value(json_array_get(langs, i)), ord};
        if (run(b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, vals)) goto out;
    }
    for (size_t i = 0; i < json_array_size(holidays); i++) {
        const char *day = json_string_value(json_array_get(holidays, i));
        char hid[32];
        snprintf(hid, sizeof hid, "holiday:%s", day);
        const char *vals[] = {hid, day};
        if (run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, NULL, ?2)", 2, vals)) goto out;
    }
    const char *lang;
    json_object_foreach(i18n, lang, tr) {
        const char *title;
        if (!i18n_lang_find(lang)) {
            fail_at(b, i18n, lang, NOIDX, "unknown language \"%s\"", lang);
            goto out;
        }
        /* a title has no status in the database, so none is required here */
        if (get_object(b, i18n, lang, NOIDX, tr_keys, 1, &tr) || (json_object_get(tr, "status") && check_status(b, tr)) ||
            get_text(b, tr, "title", LIM_TITLE, 0, &title))
            goto out;
        char key[64];
        snprintf(key, sizeof key, "title:%s", lang);
        const char *vals[] = {key, title ? title : ""};
        if (run(b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, vals)) goto out;
    }
    rc = 0;
out:
    done_json(b, j);
    return rc;
}

static int load_categories(builder *b, const char *dir)
{
    static const char *const keys[] = {"id", "order", "icon", "i18n", NULL};
    static const field tr[] = {{"name", "name", LIM_CATEGORY_NAME}, {"description", "description", LIM_NOTE}};
    char path[1024];
    snprintf(path, sizeof path, "%s/categories.json", dir);
    json_t *j = load_json(b, path);
    if (!j) return -1;
    int rc = json_is_array(j) ? 0 : fail(b, "must be a list of categories");
    if (!rc && json_array_size(j) > LIM_CATEGORIES) rc = fail_at(b, j, NULL, LIM_CATEGORIES, "more than %d categories", LIM_CATEGORIES);
    for (size_t i = 0; !rc && i < json_array_size(j); i++) {
        json_t *c;
        const char *id, *icon;
        long long order = 0;
        if ((rc = get_object(b, j, NULL, i, keys, 1, &c)) || (rc = get_id(b, c, LIM_ID, &id)) ||
            (rc = get_int(b, c, "order", 0, 10000, 0, &order)) || (rc = put_icon(b, c, &icon)))
            break;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(id, str(json_array_get(j, k), "id"))) rc = fail_at(b, c, "id", NOIDX, "\"%s\" is used twice", id);
        if (rc) break;
        char ord[24];
        snprintf(ord, sizeof ord, "%lld", order);
        const char *vals[] = {id, ord, icon};
        if ((rc = run(b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, vals))) break;
        rc = put_i18n(b, c, "taxonomy_term_i18n", "term_id", id, tr, 2);
    }
    done_json(b, j);
    return rc;
}

static int load_answer(builder *b, const char *qid, json_t *answers, size_t order)
{
    static const char *const keys[] = {"id", "icon", "urgent", "match", "i18n", NULL};
    static const char *const match_keys[] = {"category", "offer", "weight", NULL};
    static const field tr[] = {{"label", "label", LIM_LABEL}, {"reason", "reason", LIM_REASON}};
    json_t *a, *matches, *m;
    const char *aid, *icon;
    int urgent;
    if (get_object(b, answers, NULL, order, keys, 1, &a) || get_id(b, a, LIM_ID, &aid) || put_icon(b, a, &icon) ||
        get_bool(b, a, "urgent", &urgent) || get_list(b, a, "match", 0, LIM_MATCHES, &matches))
        return -1;
    char id[300], ord[24];
    snprintf(id, sizeof id, "%s/%s", qid, aid);
    snprintf(ord, sizeof ord, "%zu", order);
    const char *av[] = {id, qid, ord, icon, urgent ? "1" : "0"};
    if (run(b, "INSERT INTO intake_answer(id, question_id, sort_order, icon, urgent) VALUES(?1, ?2, ?3, ?4, ?5)", 5, av))
        return -1;
    if (put_i18n(b, a, "intake_answer_i18n", "answer_id", id, tr, 2)) return -1;
    for (size_t i = 0; i < json_array_size(matches); i++) {
        const char *cat, *offer;
        long long weight = 1;
        if (get_object(b, matches, NULL, i, match_keys, 1, &m) || get_text(b, m, "category", LIM_ID, 0, &cat) ||
            get_text(b, m, "offer", LIM_ID, 0, &offer) || get_int(b, m, "weight", 1, 1000, 0, &weight))
            return -1;
        if (!cat == !offer) return fail_at(b, matches, NULL, i, "needs either \"category\" or \"offer\"");
        char wb[24];
        snprintf(wb, sizeof wb, "%lld", weight);
        const char *mv[] = {id, cat ? "category" : "offer", cat ? cat : offer, wb};
        if (run(b, "INSERT INTO intake_match(answer_id, kind, target, weight) VALUES(?1, ?2, ?3, ?4)", 4, mv)) return -1;
    }
    return 0;
}

/* intake.json (optional): the guided questions, their answers and what each answer matches. */
static int load_intake(builder *b, const char *dir)
{
    static const char *const root_keys[] = {"questions", NULL};
    static const char *const keys[] = {"id", "icon", "i18n", "answers", NULL};
    static const field tr[] = {{"text", "text", LIM_QUESTION}};
    char path[1024];
    struct stat sb;
    snprintf(path, sizeof path, "%s/intake.json", dir);
    if (lstat(path, &sb) != 0 && errno == ENOENT) return 0;
    json_t *j = load_json(b, path), *questions, *q, *answers;
    if (!j) return -1;
    int rc = json_is_object(j) ? 0 : fail(b, "must be an object with \"questions\"");
    if (!rc) rc = check_keys(b, j, root_keys) || get_list(b, j, "questions", 1, LIM_QUESTIONS, &questions) ? -1 : 0;
    for (size_t i = 0; !rc && i < json_array_size(questions); i++) {
        const char *id, *icon;
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        if ((rc = get_object(b, questions, NULL, i, keys, 1, &q)) || (rc = get_id(b, q, LIM_ID, &id)) ||
            (rc = put_icon(b, q, &icon)))
            break;
        const char *qv[] = {id, ord, icon};
        if ((rc = run(b, "INSERT INTO intake_question(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, qv))) break;
        if ((rc = put_i18n(b, q, "intake_question_i18n", "question_id", id, tr, 1))) break;
        if ((rc = get_list(b, q, "answers", 2, LIM_ANSWERS, &answers))) break;
        for (size_t k = 0; !rc && k < json_array_size(answers); k++) rc = load_answer(b, id, answers, k);
    }
    done_json(b, j);
    return rc;
}

static int load_org(builder *b, json_t *j, const char *file_id)
{
    static const char *const keys[] = {"id", "email", "url", "phones", "i18n", "locations", NULL};
    static const char *const loc_keys[] = {"id",       "street",   "postcode",  "city", "district",
                                           "latitude", "longitude", "i18n",     NULL};
    static const field tr[] = {{"name", "name", LIM_NAME}, {"description", "description", LIM_DESCRIPTION}};
    static const field loc_tr[] = {{"name", "name", LIM_NAME},
                                   {"accessibility", "accessibility", LIM_NOTE},
                                   {"transit", "transportation", LIM_NOTE}};
    const char *id, *email, *url;
    json_t *locs, *l;
    if (!json_is_object(j)) return fail(b, "must be an object");
    if (check_keys(b, j, keys) || get_id(b, j, LIM_ID, &id) || get_contact(b, j, &email, &url)) return -1;
    if (strcmp(id, file_id)) return fail_at(b, j, "id", NOIDX, "\"%s\" differs from the file name (%s.json)", id, file_id);
    const char *vals[] = {id, email, url};
    if (run(b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, vals)) return -1;
    if (put_i18n(b, j, "organization_i18n", "organization_id", id, tr, 2)) return -1;
    if (put_phones(b, j, "organization_id", id)) return -1;
    if (get_list(b, j, "locations", 0, LIM_LOCATIONS, &locs)) return -1;
    for (size_t i = 0; i < json_array_size(locs); i++) {
        const char *lid, *street, *postcode, *city, *district;
        if (get_object(b, locs, NULL, i, loc_keys, 1, &l) || get_id(b, l, LIM_LOCATION_ID, &lid) ||
            get_text(b, l, "street", LIM_ADDRESS, 0, &street) || get_text(b, l, "postcode", LIM_POSTCODE, 0, &postcode) ||
            get_text(b, l, "city", LIM_ADDRESS, 0, &city) || get_text(b, l, "district", LIM_ADDRESS, 0, &district))
            return -1;
        char lat[32] = "", lon[32] = "";
        const char *coord[] = {"latitude", "longitude"};
        for (int c = 0; c < 2; c++) {
            json_t *v = json_object_get(l, coord[c]);
            double lim = c ? 180 : 90;
            if (!v) continue;
            if (!json_is_number(v) || !(json_number_value(v) >= -lim && json_number_value(v) <= lim))
                return fail_at(b, l, coord[c], NOIDX, "must be a number from %g to %g", -lim, lim);
            snprintf(c ? lon : lat, sizeof lat, "%.6f", json_number_value(v));
        }
        const char *lv[] = {lid, id, street, postcode, city, district, lat[0] ? lat : NULL, lon[0] ? lon : NULL};
        if (run(b,
                "INSERT INTO location(id, organization_id, address_1, postal_code, city, district, latitude, longitude) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                8, lv))
            return -1;
        if (put_i18n(b, l, "location_i18n", "location_id", lid, loc_tr, 3)) return -1;
    }
    return 0;
}

/* One opening-hours rule, checked the way the kiosk will expand it (slots.c, ICU zones). */
static int load_schedule(builder *b, const char *id, json_t *list, size_t i)
{
    static const char *const keys[] = {"location", "freq",  "interval", "byday",        "bymonthday", "opens_at",
                                       "closes_at", "valid_from", "valid_to", "timezone", "slot_minutes", "capacity",
                                       NULL};
    json_t *v;
    const char *loc, *freq = "WEEKLY", *byday, *bymonthday, *opens, *closes, *from, *to, *zone = "Europe/Berlin";
    long long interval = 1, slot = 0, cap = 0;
    if (get_object(b, list, NULL, i, keys, 1, &v) || get_text(b, v, "location", LIM_LOCATION_ID, 0, &loc) ||
        get_text(b, v, "freq", 16, 0, &freq) || get_text(b, v, "byday", 100, 0, &byday) ||
        get_text(b, v, "bymonthday", 100, 0, &bymonthday) || get_text(b, v, "opens_at", 8, 1, &opens) ||
        get_text(b, v, "closes_at", 8, 1, &closes) || date_at(b, v, "valid_from", NOIDX, &from) ||
        date_at(b, v, "valid_to", NOIDX, &to) || get_text(b, v, "timezone", 64, 0, &zone))
        return -1;
    if (!freq) freq = "WEEKLY";
    if (!zone) zone = "Europe/Berlin";
    int monthly = !strcmp(freq, "MONTHLY");
    if (!monthly && strcmp(freq, "WEEKLY")) return fail_at(b, v, "freq", NOIDX, "must be WEEKLY or MONTHLY, not \"%s\"", freq);
    if (get_int(b, v, "interval", 1, monthly ? 12 : 52, 0, &interval)) return -1;
    if (byday && !valid_byday(byday, monthly))
        return fail_at(b, v, "byday", NOIDX, "\"%s\" is not a list of MO TU WE TH FR SA SU%s", byday,
                       monthly ? " (each may start with 1-5 or -1..-5)" : " without repeats");
    if (bymonthday && (!monthly || !valid_bymonthday(bymonthday)))
        return fail_at(b, v, "bymonthday", NOIDX, monthly ? "\"%s\" is not a list of days 1..31 or -1..-31"
                                                          : "\"%s\": days of the month need \"freq\": \"MONTHLY\"",
                       bymonthday);
    if (!byday && !bymonthday) return fail_at(b, v, NULL, NOIDX, monthly ? "missing \"byday\" or \"bymonthday\"" : "missing \"byday\"");
    int o = parse_time(opens, 0), c = parse_time(closes, 1);
    if (o < 0) return fail_at(b, v, "opens_at", NOIDX, "\"%s\" must be HH:MM (00:00-23:59)", opens);
    if (c < 0) return fail_at(b, v, "closes_at", NOIDX, "\"%s\" must be HH:MM (00:01-24:00)", closes);
    if (c <= o) return fail_at(b, v, "closes_at", NOIDX, "closes at %s, not after it opens (%s)", closes, opens);
    if (from && to && strcmp(from, to) > 0)
        return fail_at(b, v, "valid_to", NOIDX, "%s is before valid_from %s", to, from);
    if (!known_zone(zone)) return fail_at(b, v, "timezone", NOIDX, "unknown time zone \"%s\"", zone);
    if (get_int(b, v, "slot_minutes", 5, c - o, 0, &slot) || get_int(b, v, "capacity", 1, 1000, 0, &cap)) return -1;
    if (!slot != !cap)
        return fail_at(b, v, NULL, NOIDX, "a bookable schedule needs both slot_minutes (>= 5) and capacity (>= 1)");
    char sid[600], ord[24], iv[24], sl[24], cp[24];
    snprintf(sid, sizeof sid, "%s#%zu", id, i);
    snprintf(ord, sizeof ord, "%zu", i);
    snprintf(iv, sizeof iv, "%lld", interval);
    snprintf(sl, sizeof sl, "%lld", slot);
    snprintf(cp, sizeof cp, "%lld", cap);
    const char *sv[] = {sid, id, loc, freq, iv, byday, opens, closes, from, to, slot ? sl : NULL, cap ? cp : NULL,
                        ord, bymonthday, zone};
    return run(b,
               "INSERT INTO schedule(id, service_id, location_id, freq, interval, byday, opens_at, closes_at, "
               "valid_from, valid_to, slot_minutes, capacity, sort_order, bymonthday, timezone) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
               15, sv);
}

static int load_offer(builder *b, json_t *j, const char *file_id)
{
    static const char *const keys[] = {"id",     "organization", "categories", "locations", "email", "url",
                                       "phones", "languages",    "schedules",  "closed",    "i18n",  NULL};
    static const field tr[] = {{"name", "name", LIM_NAME},
                               {"summary", "summary", LIM_SUMMARY},
                               {"description", "description", LIM_DESCRIPTION},
                               {"eligibility", "eligibility_description", LIM_NOTE},
                               {"cost", "fees_description", LIM_NOTE}};
    const char *id, *org, *email, *url;
    json_t *cats, *locs, *spoken, *scheds, *closed;
    if (!json_is_object(j)) return fail(b, "must be an object");
    if (check_keys(b, j, keys) || get_id(b, j, LIM_ID, &id)) return -1;
    if (strcmp(id, file_id)) return fail_at(b, j, "id", NOIDX, "\"%s\" differs from the file name (%s.json)", id, file_id);
    if (get_text(b, j, "organization", LIM_ID, 1, &org) || get_contact(b, j, &email, &url) ||
        get_list(b, j, "categories", 1, LIM_CATEGORIES, &cats) || check_text_list(b, cats, LIM_ID) ||
        get_list(b, j, "locations", 0, LIM_LOCATIONS, &locs) || check_text_list(b, locs, LIM_LOCATION_ID) ||
        get_list(b, j, "languages", 0, LIM_SPOKEN, &spoken) || check_text_list(b, spoken, 8) ||
        get_list(b, j, "schedules", 0, LIM_SCHEDULES, &scheds) || get_list(b, j, "closed", 0, LIM_DATES, &closed) ||
        check_dates(b, closed))
        return -1;
    const char *vals[] = {id, org, email, url};
    if (run(b, "INSERT INTO service(id, organization_id, email, url) VALUES(?1, ?2, ?3, ?4)", 4, vals)) return -1;
    if (put_i18n(b, j, "service_i18n", "service_id", id, tr, 5)) return -1;
    json_t *src = json_object_get(json_object_get(j, "i18n"), b->source_lang);
    if (!str(src, "name"))
        return fail_at(b, j, "i18n", NOIDX, "the source language (%s) needs a \"name\"", b->source_lang);
    size_t i;
    json_t *v;
    json_array_foreach(cats, i, v) {
        const char *cv[] = {id, json_string_value(v)};
        if (run(b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, cv)) return -1;
    }
    json_array_foreach(locs, i, v) {
        char sid[600], ord[24];
        snprintf(sid, sizeof sid, "%s@%s", id, json_string_value(v));
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {sid, id, json_string_value(v), ord};
        if (run(b, "INSERT INTO service_at_location(id, service_id, location_id, sort_order) VALUES(?1, ?2, ?3, ?4)", 4,
                lv))
            return -1;
    }
    json_array_foreach(spoken, i, v) {
        char ord[24];
        snprintf(ord, sizeof ord, "%zu", i);
        const char *lv[] = {id, json_string_value(v), ord};
        if (!known_language_code(lv[1]))
            return fail_at(b, spoken, NULL, i, "\"%s\" is not an ISO 639 language code", lv[1]);
        if (run(b, "INSERT INTO language_spoken(service_id, code, sort_order) VALUES(?1, ?2, ?3)", 3, lv)) return -1;
    }
    for (i = 0; i < json_array_size(scheds); i++)
        if (load_schedule(b, id, scheds, i)) return -1;
    json_array_foreach(closed, i, v) {
        char cid[600];
        snprintf(cid, sizeof cid, "%s:%s", id, json_string_value(v));
        const char *cv[] = {cid, id, json_string_value(v)};
        if (run(b, "INSERT OR IGNORE INTO closure(id, service_id, date) VALUES(?1, ?2, ?3)", 3, cv)) return -1;
    }
    return put_phones(b, j, "service_id", id);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/*
 * Every *.json in dir/sub, sorted, through fn with the file's name without ".json" (which must
 * be the id inside). A failing readdir is an error: 0 files read must mean an empty folder.
 */
static int load_folder(builder *b, const char *dir, const char *sub, int (*fn)(builder *, json_t *, const char *))
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    b->file[0] = 0;
    DIR *d = opendir(path);
    if (!d) return fail(b, "%s: %s", path, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) rc = fail(b, "%s: cannot read the folder: %s", path, strerror(errno));
            break;
        }
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        if (n == LIM_FILES) {
            rc = fail(b, "%s: more than %d files", path, LIM_FILES);
            break;
        }
        char **nn = realloc(names, sizeof *nn * (n + 1));
        char *name = strdup(e->d_name);
        if (nn) names = nn;
        if (!nn || !name) {
            free(name);
            rc = fail(b, "%s: out of memory", path);
            break;
        }
        names[n++] = name;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char fp[2048];
        snprintf(fp, sizeof fp, "%s/%s", path, names[i]);
        json_t *j = load_json(b, fp);
        if (!j) {
            rc = -1;
            break;
        }
        names[i][strlen(names[i]) - 5] = 0;
        rc = fn(b, j, names[i]);
        done_json(b, j);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

/* Dangling references, reported with the file that holds them. */
static int check_refs(builder *b, const char *dir)
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
            return fail(b, "database: %s", sqlite3_errmsg(b->db));
        int rc = 0;
        if (sqlite3_step(st) == SQLITE_ROW) rc = fail(b, "%s/%s", dir, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    return 0;
}

static int db_begin(builder *b, const char *tmp)
{
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return fail(b, "%s: %s", tmp, sqlite3_errmsg(b->db));
    char *msg = NULL;
    if (sqlite3_exec(b->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(b->db, store_schema_sql(), NULL, NULL, &msg) != SQLITE_OK) {
        fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Commit, make durable, and move into place. */
static int db_finish(builder *b, const char *tmp, const char *out)
{
    b->file[0] = 0;
    char *msg = NULL;
    if (sqlite3_exec(b->db, "COMMIT; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; VACUUM;", NULL, NULL, &msg) !=
        SQLITE_OK) {
        fail(b, "database: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    sqlite3_close(b->db);
    b->db = NULL;
    if (store_search_index(tmp, b->err, b->errlen)) return -1;
    FILE *f = fopen(tmp, "rb+");
    if (!f || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (f) fclose(f);
        return fail(b, "%s: cannot write: %s", tmp, strerror(errno));
    }
    fclose(f);
    if (rename(tmp, out) != 0) return fail(b, "%s: %s", out, strerror(errno));
    return 0;
}

int pack_build(const char *src_dir, const char *out_path, char *err, size_t errlen)
{
    builder b = {.err = err, .errlen = errlen};
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    find_pictograms(&b, src_dir);
    int rc = db_begin(&b, tmp);
    if (!rc) rc = load_pack_json(&b, src_dir);
    if (!rc) rc = load_categories(&b, src_dir);
    if (!rc) rc = load_folder(&b, src_dir, "organizations", load_org);
    if (!rc) rc = load_folder(&b, src_dir, "offers", load_offer);
    if (!rc) rc = load_intake(&b, src_dir);
    if (!rc) rc = check_refs(&b, src_dir);
    if (!rc) rc = db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    free(b.text);
    if (rc) unlink(tmp);
    return rc;
}

/* ---------- synthetic content ---------- */

/* Syllables per script, so synthetic text exercises the same shaping as real text. */
static const char *const syl_latn[] = {"ka", "ber", "to", "lin", "sa", "mu", "ren", "do", "vi", "gu", "ha", "pel"};
static const char *const syl_arab[] = {"كا", "بر", "تو", "لين", "سا", "مو", "رن", "دو", "في", "غو", "ها", "بل"};
static const char *const syl_cyrl[] = {"ка", "бер", "то", "лин", "са", "му", "рен", "до", "ви", "гу", "ха", "пел"};
static const char *const syl_ethi[] = {"ካ", "በር", "ቶ", "ሊን", "ሳ", "ሙ", "ረን", "ዶ", "ቪ", "ጉ", "ሃ", "ፐል"};

static void synth_words(char *buf, size_t len, const char *lang, unsigned *seed, int words)
{
    const char *const *syl = syl_latn;
    if (i18n_is_rtl(lang)) syl = syl_arab;
    else if (!strcmp(lang, "ru") || !strcmp(lang, "uk")) syl = syl_cyrl;
    else if (!strcmp(lang, "ti")) syl = syl_ethi;
    size_t o = 0;
    buf[0] = 0;
    for (int w = 0; w < words; w++) {
        int ns = 1 + (int)(rand_r(seed) % 3);
        for (int s = 0; s < ns; s++) o += (size_t)snprintf(buf + o, len - o, "%s", syl[rand_r(seed) % 12]);
        if (w + 1 < words) o += (size_t)snprintf(buf + o, len - o, " ");
        if (o + 16 >= len) break;
    }
}

int pack_synth(const char *out_path, int noffers, int nlangs, unsigned seed, const char *pictogram_dir, char *err,
               size_t errlen)
{
    static const char *const cats[] = {"housing", "language", "work", "school", "health",
                                       "counselling", "interpreters", "volunteering", "protection", "events"};
    builder b = {.err = err, .errlen = errlen};
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    if (nlangs < 1) nlangs = 1;
    if (nlangs > i18n_lang_count()) nlangs = i18n_lang_count();
    int rc = db_begin(&b, tmp);
    const char *meta[][2] = {{"schema_version", "1"}, {"pack_id", "synthetic"}, {"content_version", "1"},
                             {"created", "2026-01-01T00:00:00Z"}, {"demo", "1"}, {"source_language", "de"},
                             {"title:de", "Synthetische Inhalte"}, {"title:en", "Synthetic content"}};
    for (size_t i = 0; !rc && i < sizeof meta / sizeof meta[0]; i++)
        rc = run(&b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, meta[i]);
    for (int l = 0; !rc && l < nlangs; l++) {
        char ord[24];
        snprintf(ord, sizeof ord, "%d", l);
        const char *v[] = {i18n_lang_at(l)->code, ord};
        rc = run(&b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, v);
    }
    char t1[256], t2[512], t3[1024], id[64], id2[64], ord[16];
    for (int c = 0; !rc && c < 10; c++) {
        char icon[64], path[1024];
        snprintf(icon, sizeof icon, "%s.svg", cats[c]);
        snprintf(path, sizeof path, "%s/%s", pictogram_dir ? pictogram_dir : "", icon);
        struct stat sb;
        int has_icon = pictogram_dir && stat(path, &sb) == 0;
        const char *why = has_icon ? put_media(&b, icon, path) : NULL;
        if (why) rc = fail(&b, "pictogram %s: %s", path, why);
        snprintf(ord, sizeof ord, "%d", c);
        const char *v[] = {cats[c], ord, has_icon ? icon : NULL};
        if (!rc) rc = run(&b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, v);
        for (int l = 0; !rc && l < nlangs; l++) {
            synth_words(t1, sizeof t1, i18n_lang_at(l)->code, &seed, 2);
            const char *tv[] = {cats[c], i18n_lang_at(l)->code, l ? "machine" : "complete", t1};
            rc = run(&b, "INSERT INTO taxonomy_term_i18n(term_id, lang, status, name) VALUES(?1, ?2, ?3, ?4)", 4, tv);
        }
    }
    int norgs = noffers / 10 + 1;
    for (int o = 0; !rc && o < norgs; o++) {
        snprintf(id, sizeof id, "org-%d", o);
        snprintf(id2, sizeof id2, "org-%d/main", o);
        const char *v[] = {id, "info@synthetic.example", "https://synthetic.example"};
        rc = run(&b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, v);
        synth_words(t1, sizeof t1, "de", &seed, 3);
        const char *ov[] = {id, "de", "complete", t1};
        if (!rc) rc = run(&b, "INSERT INTO organization_i18n(organization_id, lang, status, name) VALUES(?1,?2,?3,?4)", 4, ov);
        const char *lv[] = {id2, id, "Hauptstraße 1", "29601", "Heidemoor"};
        if (!rc)
            rc = run(&b, "INSERT INTO location(id, organization_id, address_1, postal_code, city) VALUES(?1,?2,?3,?4,?5)",
                     5, lv);
        snprintf(t2, sizeof t2, "+49 5191 %d", 1000 + o);
        const char *pv[] = {id, id, t2};
        if (!rc) rc = run(&b, "INSERT INTO phone(id, organization_id, number) VALUES(?1, ?2, ?3)", 3, pv);
    }
    for (int o = 0; !rc && o < noffers; o++) {
        snprintf(id, sizeof id, "offer-%d", o);
        snprintf(id2, sizeof id2, "org-%d", o / 10);
        const char *v[] = {id, id2};
        rc = run(&b, "INSERT INTO service(id, organization_id) VALUES(?1, ?2)", 2, v);
        const char *tv[] = {id, cats[o % 10]};
        if (!rc) rc = run(&b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, tv);
        snprintf(t1, sizeof t1, "%s@org-%d/main", id, o / 10);
        snprintf(t2, sizeof t2, "org-%d/main", o / 10);
        const char *sv[] = {t1, id, t2};
        if (!rc) rc = run(&b, "INSERT INTO service_at_location(id, service_id, location_id) VALUES(?1, ?2, ?3)", 3, sv);
        snprintf(t1, sizeof t1, "%s#0", id);
        const char *schv[] = {t1, id, "MO,WE", "09:00", "12:00"};
        if (!rc)
            rc = run(&b, "INSERT INTO schedule(id, service_id, freq, byday, opens_at, closes_at) "
                         "VALUES(?1, ?2, 'WEEKLY', ?3, ?4, ?5)", 5, schv);
        const char *lsv[] = {id, "de"};
        if (!rc) rc = run(&b, "INSERT INTO language_spoken(service_id, code) VALUES(?1, ?2)", 2, lsv);
        for (int l = 0; !rc && l < nlangs; l++) {
            const char *code = i18n_lang_at(l)->code;
            synth_words(t1, sizeof t1, code, &seed, 3);
            synth_words(t2, sizeof t2, code, &seed, 12);
            synth_words(t3, sizeof t3, code, &seed, 40);
            const char *iv[] = {id, code, l ? "machine" : "complete", t1, t2, t3, t2, t1};
            rc = run(&b, "INSERT INTO service_i18n(service_id, lang, status, name, summary, description, "
                         "eligibility_description, fees_description) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", 8, iv);
        }
    }
    if (!rc) rc = db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    if (rc) unlink(tmp);
    return rc;
}
