/*
 * build_check.c: reading and checking the values of a JSON source for the pack builder.
 *
 * Sources are edited by hand and may come from anyone who can drop a file into the content
 * folder, so every value is checked before it reaches the database: its type (a "2" in quotes
 * is not a version), its range, calendar rules and time zones as the booking room will expand
 * them, the maximum length of every text (the LIM_ constants in build_priv.h) and unknown fields
 * (a misspelt key would otherwise be dropped silently).
 *
 * A refusal reads "FILE:LINE: PATH: problem", PATH being the value's place in the JSON
 * ("schedules[0].closes_at"). jansson keeps no positions for decoded values, so the line is
 * found afterwards: walk the file's text along PATH, letting jansson measure every value that is
 * stepped over (json_loadb with JSON_DISABLE_EOF_CHECK reports the bytes one value took). Only
 * the separators between values are looked at here, in text jansson has already accepted.
 */
#include "pack/build_priv.h"

#include "i18n/i18n.h"
#include "platform/fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/utf8.h>
#include <unistd.h>

/* A message as long as it comes (it may name a path of PATH_MAX bytes); NULL when out of memory. */
static char *vmessage(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) vsnprintf(msg, (size_t)n + 1, fmt, ap);
    return msg;
}

int pb_fail(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vmessage(fmt, ap);
    va_end(ap);
    if (b->file[0]) snprintf(b->err, b->errlen, "%s: %s", b->file, msg ? msg : fmt);
    else snprintf(b->err, b->errlen, "%s", msg ? msg : fmt);
    free(msg);
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
int pb_fail_at(builder *b, json_t *c, const char *key, size_t idx, const char *fmt, ...)
{
    char where[512] = "";
    va_list ap;
    va_start(ap, fmt);
    char *msg = vmessage(fmt, ap);
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
    snprintf(b->err, b->errlen, "%s%s: %s%s%s", b->file, pos, where, where[0] ? ": " : "", msg ? msg : fmt);
    free(msg);
    return -1;
}

/* ---------- reading and checking values ---------- */

const char *pb_str(json_t *o, const char *key)
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
json_t *pb_load_json(builder *b, const char *path)
{
    if (fmt_fit(b->file, sizeof b->file, "%s", path)) {
        pb_fail(b, "path too long: %s", path);
        return NULL;
    }
    free(b->text);
    b->text = NULL;
    b->textlen = 0;
    b->root = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        pb_fail(b, "%s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > LIM_SOURCE_BYTES) {
        close(fd);
        pb_fail(b, "must be a regular file of at most %d MiB", LIM_SOURCE_BYTES >> 20);
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
        pb_fail(b, "cannot read it");
        return NULL;
    }
    t[got] = 0;
    json_error_t je;
    json_t *j = json_loadb(t, got, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        free(t);
        if (je.line > 0) snprintf(b->err, b->errlen, "%s:%d: column %d: %s", path, je.line, je.column, je.text);
        else pb_fail(b, "%s", je.text);
        return NULL;
    }
    b->text = t;
    b->textlen = got;
    b->root = j;
    return j;
}

void pb_done_json(builder *b, json_t *j)
{
    if (b->root == j) b->root = NULL;
    json_decref(j);
}

/* Refuses members of o not in allowed (NULL-terminated): a misspelt key is never ignored. */
int pb_check_keys(builder *b, json_t *o, const char *const allowed[])
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++) ok = !strcmp(k, allowed[i]);
        if (!ok) return pb_fail_at(b, o, k, NOIDX, "unknown field");
    }
    return 0;
}

/* The object at c[key] or c[idx] with only the allowed members; absent is an error when required. */
int pb_get_object(builder *b, json_t *c, const char *key, size_t idx, const char *const allowed[], int required,
                      json_t **out)
{
    json_t *v = key ? json_object_get(c, key) : json_array_get(c, idx);
    *out = NULL;
    if (!v && !required) return 0;
    if (!v) return pb_fail_at(b, c, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_object(v)) return pb_fail_at(b, c, key, idx, "must be an object, not %s", type_name(v));
    *out = v;
    return allowed ? pb_check_keys(b, v, allowed) : 0;
}

/* The list at o[key] with min..max items (absent: NULL, an error when min > 0). */
int pb_get_list(builder *b, json_t *o, const char *key, size_t min, size_t max, json_t **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v && min == 0) return 0;
    if (!v) return pb_fail_at(b, o, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_array(v)) return pb_fail_at(b, o, key, NOIDX, "must be a list, not %s", type_name(v));
    size_t n = json_array_size(v);
    if (n < min) return pb_fail_at(b, o, key, NOIDX, "needs at least %zu entr%s", min, min == 1 ? "y" : "ies");
    if (n > max) return pb_fail_at(b, v, NULL, max, "more than %zu entries (%zu)", max, n);
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

/* Whether s stacks more than LIM_MARKS nonspacing or enclosing marks on one character: drawn,
 * they climb over the lines above it (no script's writing needs that many). Default-ignorable
 * characters between them (ZWJ, ZWNJ, LRM, word joiner, soft hyphen) end no run: the shaper
 * passes over them and still attaches the marks to the same letter. */
static int marks_pile_up(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s), run = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        int8_t t = c < 0 ? 0 : u_charType(c);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK) run++;
        else if (!u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) run = 0;
        if (run > LIM_MARKS) return 1;
    }
    return 0;
}

/* The text at c[key] or c[idx], at most max characters; absent is an error when required. */
static int text_at(builder *b, json_t *c, const char *key, size_t idx, size_t max, int required, const char **out)
{
    json_t *v = key ? json_object_get(c, key) : json_array_get(c, idx);
    *out = NULL;
    if (!v && !required) return 0;
    if (!v) return pb_fail_at(b, c, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_string(v)) return pb_fail_at(b, c, key, idx, "must be text, not %s", type_name(v));
    const char *s = json_string_value(v), *why = bad_char(s);
    size_t n = u8_chars(s);
    if (n > max) return pb_fail_at(b, c, key, idx, "longer than %zu characters (%zu)", max, n);
    if (why) return pb_fail_at(b, c, key, idx, "holds %s", why);
    if (marks_pile_up(s))
        return pb_fail_at(b, c, key, idx, "stacks more than %d combining marks on one character", LIM_MARKS);
    if (required && !*s) return pb_fail_at(b, c, key, idx, "must not be empty");
    *out = s;
    return 0;
}

int pb_get_text(builder *b, json_t *o, const char *key, size_t max, int required, const char **out)
{
    return text_at(b, o, key, NOIDX, max, required, out);
}

/*
 * Whether s shows anything: some character that is neither white space (NBSP, U+3000 included)
 * nor default-ignorable (ZWSP, ZWJ/ZWNJ, LRM/RLM, word joiner, BOM, Hangul fillers...) nor a
 * format character, nor a combining mark with no base of its own, nor the blank braille cell.
 * jansson has checked that s is UTF-8.
 */
static int shows_something(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || c == 0x2800 || u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            continue;
        if (u_hasBinaryProperty(c, UCHAR_GRAPHEME_BASE)) return 1;
    }
    return 0;
}

int pb_get_name(builder *b, json_t *o, const char *key, size_t max, const char **out)
{
    if (text_at(b, o, key, NOIDX, max, 0, out)) return -1;
    if (*out && !shows_something(*out))
        return pb_fail_at(b, o, key, NOIDX, "shows nothing (empty, or only spaces and invisible characters)");
    return 0;
}

/* An integer in lo..hi at o[key]; absent leaves *out (its default) unless required. */
int pb_get_int(builder *b, json_t *o, const char *key, long long lo, long long hi, int required, long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!v && !required) return 0;
    if (!v) return pb_fail_at(b, o, NULL, NOIDX, "missing \"%s\"", key);
    if (!json_is_integer(v)) return pb_fail_at(b, o, key, NOIDX, "must be a whole number, not %s", type_name(v));
    long long x = json_integer_value(v);
    if (x < lo || x > hi) return pb_fail_at(b, o, key, NOIDX, "%lld is outside %lld..%lld", x, lo, hi);
    *out = x;
    return 0;
}

int pb_get_bool(builder *b, json_t *o, const char *key, int *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v) return 0;
    if (!json_is_boolean(v)) return pb_fail_at(b, o, key, NOIDX, "must be true or false, not %s", type_name(v));
    *out = json_is_true(v);
    return 0;
}

/* Every item of list (may be NULL) is text of at most max characters, none twice. */
int pb_check_text_list(builder *b, json_t *list, size_t max)
{
    size_t i, k;
    json_t *v;
    const char *s;
    json_array_foreach(list, i, v) {
        if (text_at(b, list, NULL, i, max, 1, &s)) return -1;
        for (k = 0; k < i; k++)
            if (!strcmp(s, json_string_value(json_array_get(list, k))))
                return pb_fail_at(b, list, NULL, i, "\"%s\" is listed twice", s);
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

int pb_get_id(builder *b, json_t *o, size_t max, const char **out)
{
    if (pb_get_text(b, o, "id", max, 1, out)) return -1;
    if (!valid_id(*out)) return pb_fail_at(b, o, "id", NOIDX, "\"%s\" must use only a-z 0-9 - _ /", *out);
    return 0;
}

int pb_valid_date(const char *d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return 0;
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && dd >= 1 && dd <= mdays[m - 1] && (m != 2 || dd <= 28 + leap);
}

int pb_date_at(builder *b, json_t *c, const char *key, size_t idx, const char **out)
{
    if (text_at(b, c, key, idx, 10, 0, out)) return -1;
    if (*out && !pb_valid_date(*out)) return pb_fail_at(b, c, key, idx, "\"%s\" is not a YYYY-MM-DD date (2000-2099)", *out);
    return 0;
}

int pb_check_dates(builder *b, json_t *list)
{
    size_t i;
    json_t *v;
    const char *d;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v)) return pb_fail_at(b, list, NULL, i, "must be a YYYY-MM-DD date");
        if (pb_date_at(b, list, NULL, i, &d)) return -1;
    }
    return 0;
}

/* Minutes after midnight of "HH:MM" (00:00-23:59; "24:00" too when end), or -1. */
int pb_parse_time(const char *t, int end)
{
    if (!t || strlen(t) != 5 || t[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (t[i] < '0' || t[i] > '9')) return -1;
    int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (!end || m))) return -1;
    return h * 60 + m;
}

/* RRULE BYDAY as the booking room expands it: "MO,WE"; MONTHLY may give an ordinal ("1WE,-1FR"). */
int pb_valid_byday(const char *s, int monthly)
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
int pb_valid_bymonthday(const char *s)
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

/* A language code spoken at an offer: a kiosk language or an ISO 639 code ICU knows. */
int pb_known_language_code(const char *code)
{
    if (i18n_lang_find(code)) return 1;
    for (const char *const *l = uloc_getISOLanguages(); *l; l++)
        if (!strcmp(*l, code)) return 1;
    return 0;
}

