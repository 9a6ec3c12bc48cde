/*
 * fold.c: text folded for matching, the same for documents and queries (store.h): lower case,
 * no diacritics, letter variants unified (fold), and each word's Latin consonant skeleton, so
 * "كاريتاس", "Каритас" and "karitas" meet "Caritas" (skeleton); and words reversed, whose prefixes
 * are word endings.
 */
#include "store.h"
#include "search_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
/* libicui18n, opened on first use: after ICU's headers */
#include "platform/icu_dl.h"

/* The fold of one code point, as the whole-text fold gives it (fold_u16), made on first need. */
typedef struct fold_memo {
    signed char state; /* 0 not made yet, 1 out[0..len) is its fold, -1 the whole-text fold must do */
    unsigned char len;
    char out[6];
} fold_memo;

/*
 * The blocks whose letters fold alone, without their neighbours: in them NFD, dropping nonspacing
 * marks, root lower case, NFC and the letter merges below depend on each code point only. Their
 * marks are all nonspacing (dropped), no two of their letters compose, and none has a lower case
 * that depends on context (Greek final sigma, not here, does). Text entirely in these blocks is
 * folded code point by code point from a memo; other text as a whole, with ICU.
 */
static const struct { UChar32 lo, hi; } memo_blocks[] = {
    {0x0000, 0x024F}, /* Latin (Basic, Latin-1, Extended-A and -B) */
    {0x0300, 0x036F}, /* combining diacritical marks: all nonspacing, dropped */
    {0x0400, 0x04FF}, /* Cyrillic */
    {0x0600, 0x06FF}, /* Arabic (Persian, Pashto, Sorani, Urdu letters among them) */
    {0x1200, 0x137F}, /* Ethiopic */
    {0x2000, 0x206F}, /* general punctuation: spaces, ZWNJ, bidi controls, dashes */
};
/* The memo: every code point below U+0800 at its own place (those outside the blocks marked
 * there when first met), so the two-byte sequences of most text index it directly; the blocks
 * above after them. */
#define MEMO_LOW 0x800
#define MEMO_SIZE (MEMO_LOW + 0x180 + 0x70)

struct store_folder {
    fold_memo memo[MEMO_SIZE];
    const UNormalizer2 *nfd, *nfc;
    UTransliterator *latin;  /* Any-Latin, Latin-ASCII, lower case, letters only; opened on first need */
    UTransliterator *sounds; /* the consonant rules, on lower-case ASCII */
    int latin_failed;
};

/*
 * The fold is done with ICU's normaliser and case mapping directly, and the skeleton's sound
 * rules by a transliterator made from rules alone: ICU's first transliterator by name (":: NFD",
 * "Any-Latin") builds its registry of every transliterator, some 140 M instructions (15-20 ms here),
 * which the first keystroke would wait for. Only a skeleton of text that is not ASCII once folded
 * (Arabic, Cyrillic, Ethiopic, a Latin letter like ł) needs "Any-Latin"; it is opened then.
 * test_search checks the result against the rules as ICU's transliterators apply them.
 */

/* Before the sound rules, text not yet in ASCII: to Latin letters, lower case, letters and spaces only. */
static const char latin_rules[] = ":: Any-Latin; [ǧǦ] > j; :: Latin-ASCII; :: Lower; [^a-z\\u0020] > ;";

/* Keep letters, drop vowels and weak letters (Arabic script writes few vowels), merge letters that
 * scripts render differently (no p in Arabic, c as k but as s before e and i, Cyrillic дж and
 * Ethiopic ጀ as j: "Jobcenter", "جوبسنتر", "джобцентр", "ጆብሰንተር" meet). One pass. */
static const char sound_rules[] =
    "dzh > j; dz > j; sch > s; sh > s; ch > k; kh > k; ck > k; ph > f; x > ks; c } [ei] > s;"
    "[aeiouyhw] > ; p > b; v > f; [cqg] > k; z > s; d > t;";

static UTransliterator *open_rules(const char *name, const char *rules, char *err, size_t errlen)
{
    UChar id[32], *r = malloc(sizeof(UChar) * (strlen(rules) + 1));
    UErrorCode e = U_ZERO_ERROR;
    UParseError pe;
    int32_t n = 0;
    if (!r) return NULL;
    u_uastrcpy(id, name);
    u_strFromUTF8(r, (int32_t)strlen(rules) + 1, &n, rules, -1, &e);
    UTransliterator *t = U_SUCCESS(e) ? utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &e) : NULL;
    free(r);
    if (U_FAILURE(e)) {
        snprintf(err, errlen, "search: ICU transliterator %s: %s (rule offset %d)", name, u_errorName(e),
                 (int)pe.offset);
        utrans_close(t);
        return NULL;
    }
    return t;
}

store_folder *store_folder_open(char *err, size_t errlen)
{
    store_folder *f = calloc(1, sizeof *f);
    UErrorCode e = U_ZERO_ERROR;
    if (!f) return NULL;
    f->nfd = unorm2_getNFDInstance(&e);
    f->nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) snprintf(err, errlen, "search: ICU normaliser: %s", u_errorName(e));
    f->sounds = U_SUCCESS(e) ? open_rules("kiosk-sounds", sound_rules, err, errlen) : NULL;
    if (!f->sounds) {
        store_folder_close(f);
        return NULL;
    }
    return f;
}

void store_folder_close(store_folder *f)
{
    if (!f) return;
    utrans_close(f->latin);
    utrans_close(f->sounds);
    free(f);
}

/* utf8 as UTF-16 (invalid UTF-8 becomes U+FFFD) into a new buffer; NULL on error. */
static UChar *to_u16(const char *utf8, int32_t *n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8WithSub(NULL, 0, &len, utf8, -1, 0xFFFD, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e)) return NULL;
    UChar *u = malloc(sizeof(UChar) * ((size_t)len + 1));
    e = U_ZERO_ERROR;
    if (u) u_strFromUTF8WithSub(u, len + 1, n, utf8, -1, 0xFFFD, NULL, &e);
    if (U_FAILURE(e)) {
        free(u);
        return NULL;
    }
    return u;
}

static char *to_utf8(const UChar *u, int32_t n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t blen = 0;
    u_strToUTF8(NULL, 0, &blen, u, n, &e);
    char *out = malloc((size_t)blen + 1);
    e = U_ZERO_ERROR;
    if (out) u_strToUTF8(out, blen + 1, NULL, u, n, &e);
    if (out && U_FAILURE(e)) {
        free(out);
        return NULL;
    }
    return out;
}

/* One step of a normaliser or case mapping, for apply(). */
typedef int32_t (*u16_step)(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e);

static int32_t normalize_step(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e)
{
    return unorm2_normalize(ctx, in, n, out, cap, e);
}

static int32_t lower_step(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e)
{
    (void)ctx;
    return u_strToLower(out, cap, in, n, "", e); /* root: what ICU's Any-Lower does */
}

/* step applied to in[0..*n) into a new buffer (in freed); NULL on error. */
static UChar *apply(u16_step step, const void *ctx, UChar *in, int32_t *n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t cap = *n + *n / 2 + 8, len;
    UChar *out = malloc(sizeof(UChar) * (size_t)cap);
    if (!out) goto fail;
    len = step(ctx, in, *n, out, cap, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        free(out);
        cap = len + 1;
        e = U_ZERO_ERROR;
        if (!(out = malloc(sizeof(UChar) * (size_t)cap))) goto fail;
        len = step(ctx, in, *n, out, cap, &e);
    }
    if (U_FAILURE(e)) {
        free(out);
        goto fail;
    }
    free(in);
    *n = len;
    return out;
fail:
    free(in);
    return NULL;
}

/* The fold in UTF-16: decomposed, nonspacing marks removed, lower case, composed, then the
 * letters below merged: ı i, ß ss, Arabic kaf and yeh as the Persian ones, alef maksura as
 * yeh, teh marbuta and heh goal with hamza as heh; tatweel (the stretching line) dropped. */
static UChar *fold_u16(const store_folder *f, const char *utf8, int32_t *n)
{
    UChar *u = to_u16(utf8, n);
    if (!u || !(u = apply(normalize_step, f->nfd, u, n))) return NULL;
    int32_t w = 0;
    for (int32_t r = 0; r < *n;) {
        int32_t start = r;
        UChar32 c;
        U16_NEXT(u, r, *n, c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        while (start < r) u[w++] = u[start++];
    }
    *n = w;
    if (!(u = apply(lower_step, NULL, u, n)) || !(u = apply(normalize_step, f->nfc, u, n))) return NULL;
    UChar *out = malloc(sizeof(UChar) * ((size_t)*n * 2 + 1)); /* ß doubles */
    if (!out) {
        free(u);
        return NULL;
    }
    w = 0;
    for (int32_t r = 0; r < *n; r++) {
        UChar c = u[r];
        switch (c) {
        case 0x0131: out[w++] = 'i'; break;                 /* ı */
        case 0x00DF: out[w++] = 's'; out[w++] = 's'; break; /* ß */
        case 0x0643: out[w++] = 0x06A9; break;              /* ك > ک */
        case 0x064A: case 0x0649: out[w++] = 0x06CC; break; /* ي ى > ی */
        case 0x0629: case 0x06C0: out[w++] = 0x0647; break; /* ة ۀ > ه */
        case 0x0640: break;                                 /* ـ */
        default: out[w++] = c;
        }
    }
    free(u);
    *n = w;
    return out;
}

/* c's place in f->memo, or -1 above it. */
static int memo_index(UChar32 c)
{
    if (c < MEMO_LOW) return c;
    int base = MEMO_LOW;
    for (size_t i = 0; i < sizeof memo_blocks / sizeof *memo_blocks; i++) {
        if (memo_blocks[i].hi < MEMO_LOW) continue;
        if (c >= memo_blocks[i].lo && c <= memo_blocks[i].hi) return base + (int)(c - memo_blocks[i].lo);
        base += (int)(memo_blocks[i].hi - memo_blocks[i].lo + 1);
    }
    return -1;
}

/* 1 when c is in one of memo_blocks. */
static int memo_block(UChar32 c)
{
    for (size_t i = 0; i < sizeof memo_blocks / sizeof *memo_blocks; i++)
        if (c >= memo_blocks[i].lo && c <= memo_blocks[i].hi) return 1;
    return 0;
}

static char *fold_whole(const store_folder *f, const char *utf8);

/* The memo entry of c, made now when it is not yet; NULL when c is not folded alone. */
static const fold_memo *memo_get(store_folder *f, UChar32 c)
{
    int i = memo_index(c);
    if (i < 0 || c == 0) return NULL;
    fold_memo *m = &f->memo[i];
    if (m->state == 0 && !memo_block(c)) m->state = -1;
    if (m->state == 0) {
        char in[8];
        int32_t n = 0;
        UBool bad = 0;
        U8_APPEND((uint8_t *)in, n, (int32_t)sizeof in - 1, c, bad);
        in[bad ? 0 : n] = 0;
        char *out = !bad && U_IS_UNICODE_CHAR(c) ? fold_whole(f, in) : NULL;
        size_t len = out ? strlen(out) : 0;
        m->state = out && len <= sizeof m->out ? 1 : -1;
        if (m->state == 1) {
            memcpy(m->out, out, len);
            m->len = (unsigned char)len;
        }
        free(out);
    }
    return m->state == 1 ? m : NULL;
}

/* utf8 folded code point by code point from the memo; NULL when some code point is not folded
 * alone (or the text is not valid UTF-8): then the whole-text fold does it. */
static char *fold_memoised(store_folder *f, const char *utf8, size_t len)
{
    /* a code point's fold is at most 3 times its bytes; room to copy a memo entry's out whole */
    char *out = malloc(len * 3 + sizeof f->memo[0].out + 1), *o = out;
    if (!out) return NULL;
    const unsigned char *u = (const unsigned char *)utf8;
    for (int32_t i = 0, n = (int32_t)len; i < n;) {
        if (u[i] < 0x80) { /* ASCII: its lower case, as above */
            char a = utf8[i++];
            *o++ = a >= 'A' && a <= 'Z' ? (char)(a + 32) : a;
            continue;
        }
        const fold_memo *m;
        int32_t at = i;
        /* two bytes (Latin, Cyrillic, Arabic), not overlong: the memo entry is the code point's */
        if ((u[i] & 0xE0) == 0xC0 && u[i] >= 0xC2 && i + 1 < n && (u[i + 1] & 0xC0) == 0x80 &&
            (m = &f->memo[(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F)])->state == 1) {
            i += 2;
        } else {
            UChar32 c;
            U8_NEXT(utf8, i, n, c);
            m = c < 0 ? NULL : memo_get(f, c);
            if (!m || m->len > (size_t)(i - at) * 3) {
                free(out);
                return NULL;
            }
        }
        memcpy(o, m->out, sizeof m->out);
        o += m->len;
    }
    *o = 0;
    return out;
}

char *store_fold(store_folder *f, const char *utf8)
{
    /* ASCII alone folds to its lower case (nothing to decompose, no marks, no letter of the list
     * above): a third of the text re-indexed for a delta, spared three ICU passes */
    const char *p = utf8 ? utf8 : "";
    size_t len = 0;
    while (p[len] && (unsigned char)p[len] < 0x80) len++;
    if (!p[len]) {
        char *out = malloc(len + 1);
        if (!out) return NULL;
        for (size_t i = 0; i <= len; i++) out[i] = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i];
        return out;
    }
    char *out = fold_memoised(f, p, len + strlen(p + len));
    return out ? out : fold_whole(f, p);
}

/* The fold of the whole text at once, with ICU. */
static char *fold_whole(const store_folder *f, const char *utf8)
{
    int32_t n = 0;
    UChar *u = fold_u16(f, utf8 ? utf8 : "", &n);
    char *out = u ? to_utf8(u, n) : NULL;
    free(u);
    return out;
}

/* t applied to u[0..*n) into a new buffer (u freed); NULL on error. */
static UChar *transliterate(UTransliterator *t, UChar *u, int32_t *n)
{
    for (int32_t cap = *n * 4 + 16; cap < (1 << 24); cap *= 2) {
        UChar *b = malloc(sizeof(UChar) * (size_t)cap);
        if (!b) break;
        memcpy(b, u, sizeof(UChar) * (size_t)*n); /* afresh on each try: an overflow may leave b half done */
        UErrorCode e = U_ZERO_ERROR;
        int32_t len = *n, limit = *n;
        utrans_transUChars(t, b, &len, cap, 0, &limit, &e);
        if (U_SUCCESS(e)) {
            free(u);
            *n = limit;
            return b;
        }
        free(b);
        if (e != U_BUFFER_OVERFLOW_ERROR) break;
    }
    free(u);
    return NULL;
}

/* The Latin stage, opened on first use; NULL when it cannot be. */
static UTransliterator *store_folder_latin(store_folder *f)
{
    char err[200];
    if (!f->latin && !f->latin_failed && !(f->latin = open_rules("kiosk-latin", latin_rules, err, sizeof err)))
        f->latin_failed = 1;
    return f->latin;
}

int store_folder_prepare(store_folder *f) { return store_folder_latin(f) ? 0 : -1; }

void store_squeeze_words(char *s)
{
    /* words of one letter would match everything */
    char *w = s;
    for (char *r = s; *r;) {
        while (*r == ' ') r++;
        char *start = w;
        for (; *r && *r != ' '; r++)
            if (w == start || w[-1] != *r) *w++ = *r;
        if (w - start < 2) w = start;
        else if (*r) *w++ = ' ';
    }
    while (w > s && w[-1] == ' ') w--;
    *w = 0;
}

char *store_skeleton(store_folder *f, const char *utf8)
{
    int32_t n = 0;
    UChar *u = fold_u16(f, utf8 ? utf8 : "", &n);
    if (!u) return NULL;
    int ascii = 1;
    for (int32_t i = 0; i < n && ascii; i++) ascii = u[i] < 0x80;
    if (ascii) {
        /* what the Latin stage leaves of folded ASCII: its letters and spaces */
        int32_t w = 0;
        for (int32_t i = 0; i < n; i++)
            if ((u[i] >= 'a' && u[i] <= 'z') || u[i] == ' ') u[w++] = u[i];
        n = w;
    } else {
        if (store_folder_latin(f)) u = transliterate(f->latin, u, &n);
        else {
            free(u);
            u = NULL;
        }
    }
    u = u ? transliterate(f->sounds, u, &n) : NULL;
    char *s = u ? to_utf8(u, n) : NULL;
    free(u);
    if (!s) return NULL;
    store_squeeze_words(s);
    return s;
}

/* The words of folded text reversed, longer ones only: prefix queries on them find word endings,
 * so "kurs" reaches the tail of "Integrationskurs". */
char *store_reversed_words(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 2), *o = out;
    if (!out) return NULL;
    for (const char *p = text; *p;) {
        int32_t i = 0, n = (int32_t)strlen(p), chars = 0;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0 || !u_isalnum(c)) {
            p += i;
            continue;
        }
        const char *w = p, *e = p;
        while (*e) {
            i = 0;
            n = (int32_t)strlen(e);
            U8_NEXT(e, i, n, c);
            if (c < 0 || !u_isalnum(c)) break;
            e += i;
            chars++;
        }
        if (chars >= 5) {
            /* copy characters from the end: each one's bytes stay in order */
            for (const char *q = e; q > w;) {
                const char *b = q - 1;
                while (b > w && ((unsigned char)*b & 0xC0) == 0x80) b--;
                memcpy(o, b, (size_t)(q - b));
                o += q - b;
                q = b;
            }
            *o++ = ' ';
        }
        p = e;
    }
    *o = 0;
    return out;
}

