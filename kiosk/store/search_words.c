/*
 * search_words.c: a typed query as FTS5 expressions (search_priv.h): its words folded, stop words
 * dropped, and each word's alternatives for every tier: whole word (or it with a short ending),
 * word start (in Arabic script also after the article), Latin skeleton, then typos, word endings and two words run together,
 * looked up in the index's vocabulary.
 */
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

/* Words that say nothing alone, in the languages of the kiosk: they match nothing ("for", "und",
 * "و") and are left out of longer queries. Folded when the first search opens. */
static const char *const stop_words[] = {
    /* en */ "and", "for", "the", "of", "in", "to", "with", "an", "at", "on", "by", "from", "or",
    /* de */ "und", "für", "der", "die", "das", "im", "mit", "zu", "bei", "von", "den", "dem", "des", "ein", "eine",
    "oder", "am", "auf", "aus",
    /* fr */ "et", "pour", "de", "la", "le", "les", "du", "en", "à", "au", "aux", "un", "une", "avec", "ou", "dans",
    "sur",
    /* tr */ "ve", "için", "ile", "bir", "veya", "da",
    /* ru, uk */ "для", "на", "по", "от", "или", "из", "від", "до", "або", "та", "із",
    /* ar */ "في", "من", "إلى", "على", "مع", "عن", "أو",
    /* fa, prs */ "در", "به", "از", "برای", "با", "را", "که", "یا", "تا",
    /* ps */ "او", "په", "لپاره", "له", "سره", "ته", "کې",
    /* ckb */ "لە", "بۆ", "لەگەڵ", "یان", "بە",
    /* ur */ "اور", "کے", "کی", "میں", "سے", "کا", "لیے", "کو", "پر", "ہے",
    /* ku */ "ji", "bo", "li", "bi", "di", "ya", "yên",
    /* so */ "iyo", "ee", "ka", "oo", "ku", "ama", "ah",
    /* sq */ "dhe", "për", "në", "të", "me", "nga", "ose", "së",
    /* ti */ "ኣብ", "ምስ", "ካብ", "ናብ", "ናይ", "ወይ",
};

void store_sb_add(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 64) * 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        if (!b->s) t[0] = 0;
        b->s = t;
        b->cap = cap;
    }
}

const char *store_sb_str(const sbuf *b) { return b->s && !b->oom ? b->s : ""; }

/* UTF-8 to code points (at most cap), with each one's byte offset; returns the count. */
static int code_points(const char *s, UChar32 *cp, int *off, int cap)
{
    int32_t i = 0, len = (int32_t)strlen(s);
    int n = 0;
    while (i < len && n < cap) {
        if (off) off[n] = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        cp[n++] = c;
    }
    if (off) off[n] = i;
    return n;
}

/* The least edit distance between a and some prefix of b, and that prefix's length in code
 * points (the shortest of the closest); above maxd gives maxd + 1. */
static int prefix_distance(const UChar32 *a, int na, const UChar32 *b, int nb, int maxd, int *plen)
{
    int col[64], next[64], best = maxd + 1;
    if (na > 62) return best;
    for (int i = 0; i <= na; i++) col[i] = i;
    if (na <= maxd) {
        best = na;
        *plen = 0;
    }
    for (int j = 1; j <= nb && j <= na + maxd; j++) {
        int lowest = next[0] = j;
        for (int i = 1; i <= na; i++) {
            int d = col[i - 1] + (a[i - 1] != b[j - 1]);
            if (col[i] + 1 < d) d = col[i] + 1;
            if (next[i - 1] + 1 < d) d = next[i - 1] + 1;
            next[i] = d;
            if (d < lowest) lowest = d;
        }
        memcpy(col, next, sizeof(int) * (size_t)(na + 1));
        if (col[na] < best) {
            best = col[na];
            *plen = j;
        }
        if (lowest > maxd) break;
    }
    return best;
}

/* Binds [prefix, prefix + U+10FFFF) to st's first two parameters: every term starting with prefix. */
static void bind_range(sqlite3_stmt *st, const char *prefix, size_t len, char *hi)
{
    memcpy(hi, prefix, len);
    memcpy(hi + len, "\xf4\x8f\xbf\xbf", 5);
    sqlite3_bind_text(st, 1, prefix, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
}

/* Is some indexed word (whole == 1: exactly) w[0..len)? */
static int has_term(struct store_search *ss, const char *w, size_t len, int whole)
{
    char hi[256];
    if (len + 5 > sizeof hi) return 0;
    bind_range(ss->terms, w, len, hi);
    int found = 0;
    if (sqlite3_step(ss->terms) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(ss->terms, 0);
        found = !whole || (t && strlen(t) == len && !memcmp(t, w, len));
    }
    sqlite3_reset(ss->terms);
    return found;
}

/*
 * Typo candidates for w: indexed words starting with w's first letter, of which some prefix is one
 * edit from w (two for words of eight letters or more), as prefix terms; w's own prefix hits are
 * no typos. Appended to b as " OR {text} : "candidate"*".
 */
static void add_typos(struct store_search *ss, sbuf *b, const char *w)
{
    UChar32 a[64], t[72];
    int toff[73], na = code_points(w, a, NULL, 64);
    if (na < 4 || na > 60) return;
    int maxd = na >= 8 ? 2 : 1, nc = 0;
    char cand[8][128], hi[64];
    int cd[8];
    int first = U8_LENGTH(a[0]);
    bind_range(ss->terms, w, (size_t)first, hi);
    while (sqlite3_step(ss->terms) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(ss->terms, 0);
        int nt = term ? code_points(term, t, toff, 72) : 0, plen = 0;
        int d = nt ? prefix_distance(a, na, t, nt, maxd, &plen) : maxd + 1;
        if (d == 0 || d > maxd || plen < 3 || toff[plen] >= (int)sizeof cand[0]) continue;
        int dup = 0;
        for (int i = 0; i < nc && !dup; i++)
            dup = (int)strlen(cand[i]) == toff[plen] && !memcmp(cand[i], term, (size_t)toff[plen]);
        if (dup) continue;
        /* keep the closest eight */
        int at = nc < 8 ? nc++ : -1;
        if (at < 0)
            for (int i = 0; i < 8; i++)
                if (cd[i] > d) at = i;
        if (at < 0) continue;
        memcpy(cand[at], term, (size_t)toff[plen]);
        cand[at][toff[plen]] = 0;
        cd[at] = d;
    }
    sqlite3_reset(ss->terms);
    for (int i = 0; i < nc; i++) store_sb_add(b, " OR " TEXT_COLS " : \"%s\"*", cand[i]);
}

/*
 * The start of a word as FTS5 alternatives, appended to b: pre (the Arabic article, or "") and w
 * with anything after. A start longer than the index's prefix lengths (search_index.c: prefix='2 3
 * 4') costs FTS5 a merge of every matching word's documents before the first row is read, in each
 * of a keystroke's queries that holds it. So when the vocabulary (search_term: every word of the
 * text columns) has no other word with its first four letters, those are the prefix, whose
 * documents the index holds merged; else, when it has few words with the whole start, they are
 * named, which FTS5 reads lazily and no further than a query's limit. The same documents.
 */
#define SEARCH_PREFIX_WORDS 16
#define SEARCH_PREFIX_SEEN 64
static void add_prefix(struct store_search *ss, sbuf *b, const char *pre, const char *w)
{
    char word[256], hi[256];
    UChar32 cp[8];
    int off[8], len = snprintf(word, sizeof word, "%s%s", pre, w), named = 0, four = 0;
    if (len > 0 && (size_t)len + 5 <= sizeof hi && code_points(word, cp, off, 5) == 5) {
        sbuf alt = {0};
        bind_range(ss->terms, word, (size_t)len, hi);
        while (named <= SEARCH_PREFIX_SEEN && sqlite3_step(ss->terms) == SQLITE_ROW) {
            const char *term = (const char *)sqlite3_column_text(ss->terms, 0);
            if (!term || strchr(term, '"')) {
                named = SEARCH_PREFIX_SEEN + 1;
                break;
            }
            if (named++ < SEARCH_PREFIX_WORDS) store_sb_add(&alt, "%s\"%s\"", named > 1 ? " OR " : "", term);
        }
        sqlite3_reset(ss->terms);
        if (named > 0 && named <= SEARCH_PREFIX_SEEN) {
            bind_range(ss->terms, word, (size_t)off[4], hi);
            while (four <= named && sqlite3_step(ss->terms) == SQLITE_ROW) four++;
            sqlite3_reset(ss->terms);
        }
        if (named > 0 && four == named) store_sb_add(b, TEXT_COLS " : \"%.*s\"*", off[4], word);
        else if (named > 0 && named <= SEARCH_PREFIX_WORDS && !alt.oom) store_sb_add(b, TEXT_COLS " : (%s)", alt.s);
        else named = 0;
        free(alt.s);
    }
    if (!named) store_sb_add(b, TEXT_COLS " : \"%s\"*", word);
}

/*
 * The same word with an ending (w and one or two letters more: "sprachkurs" in "Sprachkurse",
 * "wohnung" in "Wohnungen") counts as the whole word, for words of five letters or more: the
 * topic's plural in a category name is what a person typing the singular means, more than a
 * passing mention of the singular in another offer's text. Appended to b as exact terms, at most
 * six, found among the first indexed words starting with w.
 */
static void add_endings(struct store_search *ss, sbuf *b, const char *w)
{
    UChar32 a[64], t[72];
    int na = code_points(w, a, NULL, 64);
    if (na < 5 || na > 60) return;
    char hi[256];
    size_t len = strlen(w);
    if (len + 5 > sizeof hi) return;
    bind_range(ss->terms, w, len, hi);
    int seen = 0, added = 0;
    while (added < 6 && seen++ < 32 && sqlite3_step(ss->terms) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(ss->terms, 0);
        int nt = term ? code_points(term, t, NULL, 72) : 0, letters = 1;
        if (nt <= na || nt > na + 2) continue;
        for (int i = na; i < nt; i++) letters &= u_isalpha(t[i]) != 0;
        if (!letters || strchr(term, '"')) continue;
        store_sb_add(b, " OR " TEXT_COLS " : \"%s\"", term);
        added++;
    }
    sqlite3_reset(ss->terms);
}

/* A long word that is no indexed word's start, read as two words run together ("Deutschkurs"):
 * the first part a word of its own, the second the start or the end of one. */
static void add_split(struct store_search *ss, sbuf *b, const char *w, const char *rw)
{
    UChar32 a[64];
    int off[65], na = code_points(w, a, off, 64);
    if (na < 7 || has_term(ss, w, strlen(w), 0)) return;
    for (int i = na - 3; i >= 3; i--) {
        const char *right = w + off[i];
        if (!has_term(ss, w, (size_t)off[i], 1) || !has_term(ss, right, strlen(right), 0)) continue;
        size_t rlen = strlen(rw) - (size_t)off[i]; /* rw is w reversed: its start is w's end */
        store_sb_add(b, " OR (" TEXT_COLS " : \"%.*s\" AND (" TEXT_COLS " : \"%s\"* OR rev : \"%.*s\"*))", off[i], w, right,
               (int)rlen, rw);
        return;
    }
}


/* Split folded into words and build each one's alternatives; returns the number of words kept. */
int store_query_words(struct store_search *ss, const char *folded, qword *qw, int max)
{
    int n = 0;
    for (const char *p = folded; *p && n < max;) {
        int32_t i = 0, len = (int32_t)strlen(p);
        UChar32 c;
        U8_NEXT(p, i, len, c);
        if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) {
            p += i;
            continue;
        }
        const char *e = p;
        int chars = 0;
        while (*e) {
            i = 0;
            len = (int32_t)strlen(e);
            U8_NEXT(e, i, len, c);
            if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) break;
            e += i;
            chars++;
        }
        qword *q = &qw[n];
        memset(q, 0, sizeof *q);
        char *w = q->w;
        int wl = (int)(e - p) < (int)sizeof q->w - 1 ? (int)(e - p) : (int)sizeof q->w - 1;
        memcpy(w, p, (size_t)wl);
        w[wl] = 0;
        p = e;
        int stop = chars < 2; /* one letter would match nearly everything */
        for (int k = 0; k < ss->nstop && !stop; k++) stop = !strcmp(ss->stop[k], w);
        if (stop) continue;
        n++;
        /* Arabic writes the article onto the word: "سكن" means "السكن" as well */
        UChar32 c0;
        int32_t j = 0;
        U8_NEXT(w, j, wl, c0);
        int article = ublock_getCode(c0) == UBLOCK_ARABIC && strncmp(w, "ال", strlen("ال")) != 0;
        store_sb_add(&q->exact, TEXT_COLS " : \"%s\"", w);
        if (article) store_sb_add(&q->exact, " OR " TEXT_COLS " : \"ال%s\"", w);
        add_endings(ss, &q->exact, w);
        add_prefix(ss, &q->prefix, "", w);
        if (article) {
            store_sb_add(&q->prefix, " OR ");
            add_prefix(ss, &q->prefix, "ال", w);
        }
        store_sb_add(&q->sounds, "%s", store_sb_str(&q->prefix));
        char *sk = store_skeleton(ss->folder, w);
        if (sk && strlen(sk) >= 2 && !strchr(sk, ' ')) store_sb_add(&q->sounds, " OR skel : \"%s\"*", sk);
        free(sk);
    }
    return n;
}

/* The loosest alternatives of q (typos, word endings, halves), built only when the stricter tiers
 * found too little: they cost vocabulary look-ups and long OR lists. */
void store_query_loosen(struct store_search *ss, qword *q)
{
    store_sb_add(&q->loose, "%s", store_sb_str(&q->sounds));
    char *rw = store_reversed_words(q->w);
    if (rw && rw[0]) {
        rw[strlen(rw) - 1] = 0; /* the trailing space */
        store_sb_add(&q->loose, " OR rev : \"%s\"*", rw);
        add_split(ss, &q->loose, q->w, rw);
    }
    if (!rw) q->loose.oom = 1;
    free(rw);
    add_typos(ss, &q->loose, q->w);
}

/* All words (join "AND") or some ("OR") of one kind of alternative; "" when oom. */
void store_query_tier(sbuf *out, const qword *qw, int n, size_t field, const char *join)
{
    for (int i = 0; i < n; i++) {
        const sbuf *alt = (const sbuf *)((const char *)&qw[i] + field);
        store_sb_add(out, "%s(%s)", i ? join : "", store_sb_str(alt));
    }
}

int store_query_stop_load(struct store_search *ss)
{
    int n = (int)(sizeof stop_words / sizeof *stop_words);
    ss->stop = calloc((size_t)n, sizeof *ss->stop);
    for (int i = 0; ss->stop && ss->folder && i < n; i++)
        if ((ss->stop[ss->nstop] = store_fold(ss->folder, stop_words[i]))) ss->nstop++;
    return ss->stop ? 0 : -1;
}

