/*
 * i18n_format.c: locale-aware formatting through ICU (i18n.h): times and their ranges, weekday
 * names, dates (with the kiosk's own patterns where CLDR has next to none), lists, collation and
 * title case. Always on the Gregorian calendar unless a function says otherwise.
 */
#include "i18n.h"
#include "i18n_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucal.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/udateintervalformat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
/* libicui18n, opened on first use: after ICU's headers */
#include "platform/icu_dl.h"

static UDate make_date(int y, int m, int d, int minutes, UErrorCode *e)
{
    UCalendar *cal = ucal_open(u"UTC", -1, "en@calendar=gregorian", UCAL_GREGORIAN, e);
    if (U_FAILURE(*e)) return 0;
    ucal_clear(cal);
    ucal_setDateTime(cal, y, m - 1, d, minutes / 60, minutes % 60, 0, e);
    UDate t = ucal_getMillis(cal, e);
    ucal_close(cal);
    return t;
}

static UDateFormat *time_format(const char *code, UErrorCode *e)
{
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UDateTimePatternGenerator *g = udatpg_open(loc, e);
    if (U_FAILURE(*e)) return NULL;
    UChar pat[64];
    int32_t pn = udatpg_getBestPattern(g, u"jmm", -1, pat, 64, e);
    udatpg_close(g);
    if (U_FAILURE(*e)) return NULL;
    return udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, pn, e);
}

int i18n_format_time(const char *code, int minutes, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    UDate t = make_date(2024, 1, 1, minutes, &e);
    UDateFormat *f = time_format(code, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[64];
    int32_t n = udat_format(f, t, u, 64, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

int i18n_format_time_range(const char *code, int from_min, int to_min, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UDateIntervalFormat *f = udtitvfmt_open(loc, u"jmm", -1, u"UTC", -1, &e);
    UDate a = make_date(2024, 1, 1, from_min, &e);
    UDate b = make_date(2024, 1, 1, to_min, &e);
    if (U_FAILURE(e)) { if (f) udtitvfmt_close(f); return -1; }
    UChar u[96];
    int32_t n = udtitvfmt_format(f, a, b, u, 96, NULL, &e);
    udtitvfmt_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

int i18n_weekday(const char *code, int wday, int abbrev, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UDateFormat *f = udat_open(UDAT_NONE, UDAT_FULL, loc, u"UTC", -1, NULL, 0, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[64];
    /* ICU numbers weekdays from Sunday = 1 */
    int idx = wday == 6 ? 1 : wday + 2;
    int32_t n = udat_getSymbols(f, abbrev ? UDAT_STANDALONE_SHORT_WEEKDAYS : UDAT_STANDALONE_WEEKDAYS, idx, u, 64, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

/* Languages whose lists ICU writes with a Latin comma although their script has its own. */
static int arabic_comma_lists(const char *code) { return !strcmp(code, "ckb"); }

int i18n_join_list(const char *code, const char *const items[], int n, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    if (n > 16) return -1;
    UListFormatter *lf = ulistfmt_open(i18n_icu_of(code), &e);
    if (U_FAILURE(e)) return -1;
    /* The pattern is formatted with placeholders (private-use characters) so that its own
     * punctuation can be told from the items' text, then the items go in. */
    UChar ph[16][2];
    const UChar *phs[16];
    int32_t phl[16];
    for (int i = 0; i < n; i++) {
        ph[i][0] = (UChar)(0xE000 + i);
        ph[i][1] = 0;
        phs[i] = ph[i];
        phl[i] = 1;
    }
    UChar pat[256];
    int32_t pn = ulistfmt_format(lf, phs, phl, n, pat, 256, &e);
    ulistfmt_close(lf);
    if (U_FAILURE(e)) return -1;
    size_t o = 0;
    for (int32_t i = 0; i < pn; i++) {
        char piece[8];
        const char *add = piece;
        if (pat[i] >= 0xE000 && pat[i] < 0xE000 + n) {
            add = items[pat[i] - 0xE000];
        } else {
            UChar c = pat[i] == ',' && arabic_comma_lists(code) ? 0x060C : pat[i];
            if (U16_IS_LEAD(c) && i + 1 < pn) {
                if (i18n_u_to_utf8(pat + i, 2, piece, sizeof piece) < 0) return -1;
                i++;
            } else if (i18n_u_to_utf8(&c, 1, piece, sizeof piece) < 0) {
                return -1;
            }
        }
        size_t al = strlen(add);
        if (o + al >= len) {
            if (len) buf[0] = 0;
            return -1;
        }
        memcpy(buf + o, add, al);
        o += al;
    }
    buf[o] = 0;
    return (int)o;
}

/*
 * Where CLDR has next to no date data, ICU falls back to root's year-first patterns: Kurmanji
 * read "2026 berfanbarê 1, sêşem" and Sorani wrote Latin commas. These languages get their
 * patterns from here, keyed by the skeleton the kiosk asks for.
 */
static const struct {
    const char *code;
    const UChar *skel, *pattern;
} own_patterns[] = {
    {"ku", u"yMMMMEEEEd", u"EEEE, d MMMM y"},
    {"ku", u"yMMMd", u"d MMM y"},
    {"ku", u"MMMMd", u"d MMMM"},
    {"ku", u"yMMMMd", u"d MMMM y"},
    {"ckb", u"yMMMMEEEEd", u"EEEE، d MMMM y"},
    {"ckb", u"yMMMd", u"d MMMM y"},
    {"ckb", u"MMMMd", u"d MMMM"},
    {"ckb", u"yMMMMd", u"d MMMM y"},
};

static const UChar *own_pattern(const char *code, const UChar *skel)
{
    for (size_t i = 0; i < sizeof own_patterns / sizeof own_patterns[0]; i++)
        if (!strcmp(own_patterns[i].code, code) && !u_strcmp(own_patterns[i].skel, skel)) return own_patterns[i].pattern;
    return NULL;
}

/* Drop the era field (G) and the spaces around it: for ps the Persian calendar comes from root
 * data, whose pattern carries a Latin "AP" that no Pashto reader writes. */
static int32_t drop_era(UChar *pat, int32_t n)
{
    int32_t o = 0;
    int quoted = 0;
    for (int32_t i = 0; i < n; i++) {
        if (pat[i] == '\'') quoted = !quoted;
        if (!quoted && pat[i] == 'G') {
            while (i + 1 < n && pat[i + 1] == 'G') i++;
            while (i + 1 < n && pat[i + 1] == ' ') i++;
            if (i + 1 >= n) while (o > 0 && pat[o - 1] == ' ') o--;
            continue;
        }
        pat[o++] = pat[i];
    }
    return o;
}

/* One date with a skeleton in a calendar ("gregorian", "persian"). */
static int format_skeleton(const char *code, const char *calendar, const UChar *skel, int y, int m, int d, char *buf,
                           size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    snprintf(loc, sizeof loc, "%s@calendar=%s", i18n_icu_of(code), calendar);
    UChar pat[64];
    int32_t pn = 0;
    const UChar *own = own_pattern(code, skel);
    if (own) {
        pn = u_strlen(own);
        u_strncpy(pat, own, 64);
    } else {
        UDateTimePatternGenerator *g = udatpg_open(loc, &e);
        pn = g ? udatpg_getBestPattern(g, skel, -1, pat, 64, &e) : 0;
        if (g) udatpg_close(g);
        if (U_SUCCESS(e) && !strcmp(calendar, "persian")) pn = drop_era(pat, pn);
    }
    UDate t = make_date(y, m, d, 12 * 60, &e);
    UDateFormat *f = U_SUCCESS(e) ? udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, pn, &e) : NULL;
    if (U_FAILURE(e)) {
        if (f) udat_close(f);
        return -1;
    }
    UChar u[128];
    int32_t n = udat_format(f, t, u, 128, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

int i18n_format_date(const char *code, int y, int m, int d, char *buf, size_t len)
{
    if (own_pattern(code, u"yMMMd")) return format_skeleton(code, "gregorian", u"yMMMd", y, m, d, buf, len);
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UDate t = make_date(y, m, d, 12 * 60, &e);
    UDateFormat *f = udat_open(UDAT_NONE, UDAT_MEDIUM, loc, u"UTC", -1, NULL, 0, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[96];
    int32_t n = udat_format(f, t, u, 96, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

int i18n_format_day(const char *code, int y, int m, int d, int native, char *buf, size_t len)
{
    if (format_skeleton(code, "gregorian", u"yMMMMEEEEd", y, m, d, buf, len) < 0) return -1;
    /* the day starts its line (a booking day, the confirmation): "Вторник", "Sêşem" */
    i18n_capitalize_start(code, buf, len);
    /* readers from Afghanistan and Iran live by the Solar Hijri calendar: show it beside */
    if (native && (!strcmp(code, "fa") || !strcmp(code, "prs") || !strcmp(code, "ps"))) {
        char alt[128];
        size_t used = strlen(buf);
        if (format_skeleton(code, "persian", u"yMMMMd", y, m, d, alt, sizeof alt) > 0 && used + strlen(alt) + 4 < len)
            snprintf(buf + used, len - used, " (%s)", alt);
    }
    return (int)strlen(buf);
}

int i18n_format_date_range(const char *code, const char *from, const char *to, char *buf, size_t len)
{
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(from, "%d-%d-%d", &y1, &m1, &d1) != 3 || sscanf(to, "%d-%d-%d", &y2, &m2, &d2) != 3) return -1;
    if (own_pattern(code, u"MMMMd")) {
        /* ICU's interval data for these is root's too: two dates of our own patterns */
        char a[96], b[96];
        int same = y1 == y2 && m1 == m2 && d1 == d2;
        if (format_skeleton(code, "gregorian", y1 == y2 ? u"MMMMd" : u"yMMMMd", y1, m1, d1, a, sizeof a) < 0 ||
            format_skeleton(code, "gregorian", u"yMMMMd", y2, m2, d2, b, sizeof b) < 0)
            return -1;
        int n = same ? snprintf(buf, len, "%s", b) : snprintf(buf, len, "%s – %s", a, b);
        return n < 0 || (size_t)n >= len ? -1 : n;
    }
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UDateIntervalFormat *f = udtitvfmt_open(loc, u"yMMMd", -1, u"UTC", -1, &e);
    UDate a = make_date(y1, m1, d1, 12 * 60, &e);
    UDate b = make_date(y2, m2, d2, 12 * 60, &e);
    if (U_FAILURE(e)) { if (f) udtitvfmt_close(f); return -1; }
    UChar u[128];
    int32_t n = udtitvfmt_format(f, a, b, u, 128, NULL, &e);
    udtitvfmt_close(f);
    return U_FAILURE(e) ? -1 : i18n_u_to_utf8(u, n, buf, len);
}

/* ---------- collation ---------- */

struct i18n_collator {
    UCollator *c;
};

i18n_collator *i18n_collator_open(const char *code)
{
    i18n_collator *ic = calloc(1, sizeof *ic);
    if (!ic) return NULL;
    UErrorCode e = U_ZERO_ERROR;
    ic->c = ucol_open(i18n_icu_of(code), &e);
    if (U_FAILURE(e)) { free(ic); return NULL; }
    return ic;
}

int i18n_collate(i18n_collator *c, const char *a, const char *b)
{
    UErrorCode e = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(c->c, a, -1, b, -1, &e);
    if (U_FAILURE(e)) return strcmp(a, b);
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

char *i18n_collation_key(i18n_collator *c, const char *a)
{
    UChar stack16[256], *u = stack16;
    int32_t n = 0;
    UErrorCode e = U_ZERO_ERROR;
    /* ill-formed UTF-8 as U+FFFD, as ucol_strcollUTF8 reads it */
    u_strFromUTF8WithSub(u, 256, &n, a ? a : "", -1, 0xFFFD, NULL, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        if (!(u = malloc(sizeof *u * ((size_t)n + 1)))) return NULL;
        e = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, n + 1, &n, a, -1, 0xFFFD, NULL, &e);
    }
    char *key = NULL;
    if (U_SUCCESS(e)) {
        uint8_t stackkey[512];
        int32_t kl = ucol_getSortKey(c->c, u, n, stackkey, (int32_t)sizeof stackkey);
        if (kl > 0 && (key = malloc((size_t)kl)) != NULL) {
            if (kl <= (int32_t)sizeof stackkey) memcpy(key, stackkey, (size_t)kl);
            else ucol_getSortKey(c->c, u, n, (uint8_t *)key, kl);
        }
    }
    if (u != stack16) free(u);
    return key;
}

void i18n_collator_close(i18n_collator *c)
{
    if (!c) return;
    ucol_close(c->c);
    free(c);
}

int i18n_titlecase_char(const char *in, char *buf, size_t len)
{
    int32_t n = (int32_t)strlen(in), i = 0, o = 0;
    UChar32 c;
    U8_NEXT(in, i, n, c);
    if (c < 0 || len < 5) return -1;
    UBool bad = 0;
    U8_APPEND((uint8_t *)buf, o, (int32_t)len - 1, u_totitle(c), bad);
    if (bad || (size_t)o + (size_t)(n - i) >= len) return -1;
    memcpy(buf + o, in + i, (size_t)(n - i));
    buf[o + n - i] = 0;
    return 0;
}
