/*
 * units.c: text that must stay left to right inside any paragraph (phone numbers, postcodes,
 * e-mail and web addresses, codes) isolated with Unicode's bidi controls, and the composed units
 * built from them (text.h). Plain strings in, strings out: no fonts, no shaping.
 */
#include "text_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* ---------- LTR isolation ---------- */

#define LRI "\xE2\x81\xA6"
#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"
#define LRO "\xE2\x80\xAD"
#define PDF "\xE2\x80\xAC"


/* A character of a code: ASCII letters and digits, the punctuation of phone numbers, e-mail and
 * web addresses, and the decimal digits of any script (۰۵۱۹۱-۱۲۳۴ is a phone number too). */
static int is_code_cp(UChar32 c)
{
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c && strchr("+-./:@_%#=?&~()", (int)c) != NULL);
    return u_isdigit(c);
}

static UChar32 cp_at(const char *s, size_t n, size_t i, size_t *next)
{
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_NEXT(s, k, (int32_t)n, c);
    *next = (size_t)k;
    return c;
}

/* Whether [a, e) holds an Arabic-Indic digit (bidi class AN): between two of them a '-' or ' '
 * is not joined by the bidi algorithm, even inside an isolate, so the groups would swap. */
static int has_arabic_number(const char *s, size_t a, size_t e)
{
    for (size_t i = a, nx; i < e; i = nx)
        if (u_charDirection(cp_at(s, e, i, &nx)) == U_ARABIC_NUMBER) return 1;
    return 0;
}

/* Append [a, e) of s to out at *o as a left-to-right unit. */
static void put_ltr(char *out, size_t *o, const char *s, size_t a, size_t e)
{
    int an = has_arabic_number(s, a, e);
    memcpy(out + *o, LRI, 3);
    *o += 3;
    if (an) { memcpy(out + *o, LRO, 3); *o += 3; }
    memcpy(out + *o, s + a, e - a);
    *o += e - a;
    if (an) { memcpy(out + *o, PDF, 3); *o += 3; }
    memcpy(out + *o, PDI, 3);
    *o += 3;
}

char *text_isolate_ltr(const char *s)
{
    size_t n = strlen(s);
    /* worst case: every token gets 12 bytes of LRI/LRO/PDF/PDI */
    char *out = malloc(n * 13 + 1);
    if (!out) return NULL;
    size_t o = 0, i = 0;
    int depth = 0; /* inside an isolate the caller made: already a unit, left alone */
    while (i < n) {
        size_t k;
        UChar32 c = cp_at(s, n, i, &k);
        if (text_is_isolate_open(c)) depth++;
        else if (c == 0x2069 && depth > 0) depth--;
        int starts = depth == 0 && ((c < 0x80 && ((c >= '0' && c <= '9') || c == '+' || (c >= 'a' && c <= 'z') ||
                                                  (c >= 'A' && c <= 'Z') || c == '(')) ||
                                    (c >= 0x80 && u_isdigit(c)));
        if (!starts) {
            memcpy(out + o, s + i, k - i);
            o += k - i;
            i = k;
            continue;
        }
        /* A token: code characters, with single spaces allowed between digit groups. */
        size_t j = i;
        int digits = 0, at = 0, seps = 0;
        UChar32 last = 0;
        while (j < n) {
            size_t nj;
            UChar32 d = cp_at(s, n, j, &nj);
            if (d >= 0 && is_code_cp(d)) {
                if (u_isdigit(d)) digits++;
                else if (d == '@') at = 1;
                else if (!((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) seps++;
                last = d;
                j = nj;
            } else if (d == ' ' && j > i && nj < n && (u_isdigit(last) || last == ')')) {
                size_t nn;
                UChar32 after = cp_at(s, n, nj, &nn);
                if (!(u_isdigit(after) || after == '(')) break;
                seps++;
                last = d;
                j = nj;
            } else {
                break;
            }
        }
        size_t end = j;
        while (end > i && strchr(".,:;", s[end - 1])) end--;
        if (end > i && s[end - 1] == ')' && !memchr(s + i, '(', end - i)) end--;
        size_t beg = i;
        if (s[beg] == '(' && !memchr(s + beg, ')', end - beg)) beg++;
        int url = (end - beg > 4 && (strncmp(s + beg, "http", 4) == 0 || strncmp(s + beg, "www.", 4) == 0));
        int isolate = end > beg && (at || url || (digits >= 3 && seps > 0));
        if (isolate) {
            memcpy(out + o, s + i, beg - i);
            o += beg - i;
            put_ltr(out, &o, s, beg, end);
            memcpy(out + o, s + end, j - end);
            o += j - end;
        } else {
            memcpy(out + o, s + i, j - i);
            o += j - i;
        }
        i = j > i ? j : k;
    }
    out[o] = 0;
    return out;
}

/* ---------- composed units ---------- */

int text_unit(char *buf, size_t len, const char *utf8, int kind)
{
    if (!len) return -1;
    buf[0] = 0;
    int n = text_unit_append(buf, len, NULL, utf8, kind);
    /* no room for the controls: the plain text is still better than nothing */
    if (n < 0 && utf8 && strlen(utf8) < len) snprintf(buf, len, "%s", utf8);
    return n;
}

int text_unit_append(char *buf, size_t len, const char *sep, const char *utf8, int kind)
{
    size_t o = strlen(buf), n = utf8 ? strlen(utf8) : 0;
    if (!n) return (int)o;
    size_t sl = o && sep ? strlen(sep) : 0;
    if (o + sl + n + 13 >= len) return -1;
    if (sl) memcpy(buf + o, sep, sl);
    o += sl;
    if (kind == TEXT_UNIT_LTR) {
        put_ltr(buf, &o, utf8, 0, n);
    } else {
        memcpy(buf + o, FSI, 3);
        memcpy(buf + o + 3, utf8, n);
        memcpy(buf + o + 3 + n, PDI, 3);
        o += n + 6;
    }
    buf[o] = 0;
    return (int)o;
}

int text_address(char *buf, size_t len, const char *name, const char *street, const char *postcode, const char *city,
                 const char *district)
{
    if (!len) return -1;
    buf[0] = 0;
    if (text_unit_append(buf, len, "\n", name, TEXT_UNIT_OWN) < 0) return -1;
    if (text_unit_append(buf, len, "\n", street, TEXT_UNIT_OWN) < 0) return -1;
    /* "29601 Heidemoor – Nord": the postcode first, as on the letter, whichever the reader's direction */
    char place[512] = "";
    if (text_unit_append(place, sizeof place, NULL, postcode, TEXT_UNIT_LTR) < 0) return -1;
    size_t pl = strlen(place);
    if (city && *city) pl += (size_t)snprintf(place + pl, sizeof place - pl, "%s%s", pl ? " " : "", city);
    if (district && *district && pl < sizeof place)
        pl += (size_t)snprintf(place + pl, sizeof place - pl, "%s%s", pl ? " – " : "", district);
    if (pl >= sizeof place) return -1;
    if (text_unit_append(buf, len, "\n", place, TEXT_UNIT_OWN) < 0) return -1;
    return (int)strlen(buf);
}

