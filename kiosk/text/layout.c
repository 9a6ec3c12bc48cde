/*
 * layout.c: one text laid out (text.h): per paragraph ICU bidi, script runs, a font per run,
 * HarfBuzz shaping, ICU line breaking on the shaped widths and visual lines of positioned
 * glyphs; words too wide for the line set smaller before they are cut.
 */
#include "text_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* ---------- layout ---------- */

typedef struct item {
    int start, len;      /* UTF-16, absolute */
    int level;
    int font;
    int script;          /* UScriptCode, Common/Inherited already resolved from the neighbours */
    int first, count;    /* shaped glyphs in the scratch arrays */
    int monotone;        /* their clusters in order (descending when right to left), as HarfBuzz keeps them */
} item;

typedef struct scratch {
    item *items;
    int nitems, cap_items;
    hb_glyph_info_t *info;
    hb_glyph_position_t *pos;
    int ninfo, cap_info;
    int32_t *adv;        /* per UTF-16 unit, 26.6 */
    int64_t *pre;        /* pre[i]: the paragraph's advances before unit i, so a range's width is one subtraction */
    int16_t *script;     /* per UTF-16 unit of the paragraph: resolved UScriptCode */
    int cap_script;
} scratch;

/* Room for `need` elements in a growing array: the array (moved if needed), or NULL when memory
 * ran out (the old array is still valid then). */
static void *grow(void *arr, int *cap, int need, size_t elem, int first)
{
    if (need <= *cap) return arr;
    int nc = *cap ? *cap : first;
    while (nc < need) nc *= 2;
    void *p = realloc(arr, elem * (size_t)nc);
    if (p) *cap = nc;
    return p;
}

static int push_item(scratch *s, item it)
{
    item *ni = grow(s->items, &s->cap_items, s->nitems + 1, sizeof *ni, 16);
    if (!ni) return 0;
    s->items = ni;
    s->items[s->nitems++] = it;
    return 1;
}

static int push_glyphs(scratch *s, const hb_glyph_info_t *info, const hb_glyph_position_t *pos, int n)
{
    if (s->ninfo + n > s->cap_info) {
        int cap = s->cap_info, cap2 = s->cap_info;
        hb_glyph_info_t *ni = grow(s->info, &cap, s->ninfo + n, sizeof *ni, 64);
        if (!ni) return 0;
        s->info = ni;
        hb_glyph_position_t *np = grow(s->pos, &cap2, s->ninfo + n, sizeof *np, 64);
        if (!np) return 0;
        s->pos = np;
        s->cap_info = cap;
    }
    memcpy(s->info + s->ninfo, info, sizeof *info * (size_t)n);
    memcpy(s->pos + s->ninfo, pos, sizeof *pos * (size_t)n);
    s->ninfo += n;
    return 1;
}

static int is_space16(UChar c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0 || c == 0x2009 || c == 0x200B;
}

typedef struct builder {
    text_layout *lo;
    int cap_lines, cap_glyphs;
} builder;

static int add_line(builder *b, text_line ln)
{
    text_layout *lo = b->lo;
    text_line *nl = grow(lo->lines, &b->cap_lines, lo->nlines + 1, sizeof *nl, 4);
    if (!nl) return 0;
    lo->lines = nl;
    lo->lines[lo->nlines++] = ln;
    return 1;
}

static int add_glyph(builder *b, text_glyph g)
{
    text_layout *lo = b->lo;
    text_glyph *ng = grow(lo->glyphs, &b->cap_glyphs, lo->nglyphs + 1, sizeof *ng, 64);
    if (!ng) return 0;
    lo->glyphs = ng;
    lo->glyphs[lo->nglyphs++] = g;
    return 1;
}

/* Does the paragraph [p0, p1) fit in maxw as one line, with no forced break (VT, FF, CR, NEL, LS)
 * inside? Then the greedy breaking below would take every break opportunity and end with the one
 * line: it needs no break iterator (the language screen's names and headings open none). */
static int fits_whole(const scratch *s, const UChar *t, int p0, int p1, int32_t maxw)
{
    int64_t w = 0;
    for (int i = p0; i < p1; i++) {
        UChar c = t[i];
        /* a negative advance would let a longer prefix be narrower than a shorter one */
        if (s->adv[i] < 0 || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 || c == 0x2028) return 0;
        w += s->adv[i];
    }
    return w <= maxw;
}

/* The width of [a, e) without its trailing spaces. Summed afresh, every break tested summed the
 * line so far and every letter of a cut word its whole prefix: quadratic in a 4,000-letter word. */
static int64_t range_width(const scratch *s, const UChar *t, int a, int e)
{
    while (e > a && is_space16(t[e - 1])) e--;
    return s->pre[e] - s->pre[a];
}

/* The glyphs [*g0, *g1) of it whose clusters lie in [ra, re): side by side when the clusters are
 * monotone, found by halving; else all of it, each tested by the caller. Every line scanning all
 * of a 4,000-letter item's glyphs made a long paragraph's layout quadratic. */
static void item_glyphs(const scratch *s, const item *it, int ra, int re, int *g0, int *g1)
{
    *g0 = it->first;
    *g1 = it->first + it->count;
    if (!it->monotone) return;
    int rtl = it->level & 1;
    /* in the item's order: the first glyph not before the range, then the first past it */
    for (int pass = 0; pass < 2; pass++) {
        int bound = (pass != 0) != rtl ? re : ra, lo = pass ? *g0 : it->first, hi = it->first + it->count;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2, cl = (int)s->info[mid].cluster;
            if (rtl ? cl >= bound : cl < bound) lo = mid + 1;
            else hi = mid;
        }
        *(pass ? g1 : g0) = lo;
    }
}

/* Emit one line [a, e) of the paragraph whose bidi object is para (offsets relative to p0). */
static int emit_line(text_engine *te, builder *b, scratch *s, UBiDi *para, int p0, int a, int e, int rtl,
                     const text_style *st)
{
    text_layout *lo = b->lo;
    const UChar *t = lo->text16;
    int trim_end = e;
    while (trim_end > a && is_space16(t[trim_end - 1])) trim_end--;
    text_line ln = {.start = a, .end = e, .first_glyph = lo->nglyphs, .rtl = rtl};
    UErrorCode err = U_ZERO_ERROR;
    UBiDi *line = ubidi_openSized(e - a, 0, &err);
    if (U_FAILURE(err)) return 0;
    if (e > a) ubidi_setLine(para, a - p0, e - p0, line, &err);
    int32_t pen = 0;
    int asc = 0, desc = 0;
    int runs = (e > a && U_SUCCESS(err)) ? ubidi_countRuns(line, &err) : 0;
    for (int r = 0; r < runs && U_SUCCESS(err); r++) {
        int32_t rs, rl;
        UBiDiDirection dir = ubidi_getVisualRun(line, r, &rs, &rl);
        int ra = a + rs, re = a + rs + rl;
        for (int k = 0; k < s->nitems; k++) {
            const item *it = &s->items[dir == UBIDI_RTL ? s->nitems - 1 - k : k];
            if (it->start >= re || it->start + it->len <= ra) continue;
            int g0, g1;
            item_glyphs(s, it, ra, re, &g0, &g1);
            for (int g = g0; g < g1; g++) {
                int cl = (int)s->info[g].cluster;
                if (cl < ra || cl >= re || cl >= trim_end) continue;
                text_glyph tg = {.gid = s->info[g].codepoint, .font = it->font, .cluster = cl,
                                 .x = pen + s->pos[g].x_offset, .y = -s->pos[g].y_offset};
                if (tg.gid == 0) lo->missing++;
                if (!add_glyph(b, tg)) { ubidi_close(line); return 0; }
                pen += s->pos[g].x_advance;
                if (te->fonts[it->font].ascent > asc) asc = te->fonts[it->font].ascent;
                if (te->fonts[it->font].descent > desc) desc = te->fonts[it->font].descent;
            }
        }
    }
    ubidi_close(line);
    if (asc == 0 && desc == 0) {
        int f = text_default_font(te, st->bold, st->size_px);
        asc = f >= 0 ? te->fonts[f].ascent : st->size_px;
        desc = f >= 0 ? te->fonts[f].descent : st->size_px / 4;
    }
    ln.nglyphs = lo->nglyphs - ln.first_glyph;
    ln.width = (int)((pen + 63) >> 6);
    ln.ascent = asc;
    ln.descent = desc;
    return add_line(b, ln);
}

static UChar *to_utf16(const char *utf8, int *len);

static UScriptCode script_of(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &e);
    return U_FAILURE(e) ? USCRIPT_COMMON : sc;
}

/* Whether script sc may take c (UAX #24 Script_Extensions); a character without extensions
 * beyond Common/Inherited goes with any script. */
static int script_allows(UChar32 c, UScriptCode sc, UScriptCode *first)
{
    UScriptCode ext[16];
    UErrorCode e = U_ZERO_ERROR;
    int n = uscript_getScriptExtensions(c, ext, 16, &e);
    if (U_FAILURE(e)) n = 0;
    *first = USCRIPT_COMMON;
    int specific = 0;
    for (int i = 0; i < n; i++) {
        if (ext[i] == USCRIPT_COMMON || ext[i] == USCRIPT_INHERITED) continue;
        if (!specific) *first = ext[i];
        specific = 1;
        if (ext[i] == sc) return 1;
    }
    return !specific;
}

/*
 * The script of every character of [p0, p1): Common and Inherited characters (digits, spaces,
 * punctuation, marks) take the script of the text before them, or, when their Script_Extensions
 * rule that out (the Arabic comma after a Latin word is Arab/Syrc/Thaa/..., never Latn), of the
 * text after them, or else their first extension. An isolate (LRI/RLI/FSI ... PDI) is a world of
 * its own: a time range inside Urdu takes its script from its own letters.
 */
static int resolve_scripts(scratch *s, const UChar *t, int p0, int p1)
{
    int n = p1 - p0;
    int16_t *ns = grow(s->script, &s->cap_script, n + 1, sizeof *ns, 64);
    if (!ns) return 0;
    s->script = ns;
    /* backwards: the next real script within the same isolate, for each position */
    UScriptCode next = USCRIPT_COMMON;
    for (int i = p1; i > p0;) {
        UChar32 c;
        U16_PREV(t, p0, i, c);
        UScriptCode sc = script_of(c);
        if (text_is_isolate_open(c) || c == 0x2069) next = USCRIPT_COMMON;
        else if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) next = sc;
        s->script[i - p0] = (int16_t)next;
    }
    /* forwards: the previous real script, a stack of them across nested isolates */
    UScriptCode stack[16];
    int depth = 0;
    UScriptCode prev = USCRIPT_COMMON;
    for (int i = p0; i < p1;) {
        UChar32 c;
        int k = i;
        U16_NEXT(t, k, p1, c);
        UScriptCode sc = script_of(c), nx = (UScriptCode)s->script[i - p0], first = USCRIPT_COMMON;
        if (text_is_isolate_open(c)) {
            if (depth < 16) stack[depth] = prev;
            depth++;
            sc = prev != USCRIPT_COMMON ? prev : nx;
            prev = USCRIPT_COMMON;
        } else if (c == 0x2069 && depth > 0) {
            depth--;
            if (depth < 16) prev = stack[depth];
            sc = prev;
        } else if (sc == USCRIPT_INHERITED) {
            sc = prev != USCRIPT_COMMON ? prev : nx;
        } else if (sc == USCRIPT_COMMON) {
            if (prev != USCRIPT_COMMON && script_allows(c, prev, &first)) sc = prev;
            else if (nx != USCRIPT_COMMON && script_allows(c, nx, &first)) sc = nx;
            else sc = first != USCRIPT_COMMON ? first : prev != USCRIPT_COMMON ? prev : nx;
        }
        if (sc != USCRIPT_COMMON && !(c == 0x2069 || text_is_isolate_open(c))) prev = sc;
        for (int j = i; j < k; j++) s->script[j - p0] = (int16_t)sc;
        i = k;
    }
    return 1;
}

/* Shape and break one paragraph [p0, p1) of lo->text16. */
static int layout_paragraph(text_engine *te, builder *b, scratch *s, int p0, int p1, const text_style *st)
{
    text_layout *lo = b->lo;
    const UChar *t = lo->text16;
    int n = p1 - p0;
    UErrorCode err = U_ZERO_ERROR;
    UBiDi *para = ubidi_openSized(n, 0, &err);
    if (U_FAILURE(err)) return 0;
    UBiDiLevel base;
    if (st->dir == TEXT_DIR_RTL) base = 1;
    else if (st->dir == TEXT_DIR_LTR) base = 0;
    else base = st->dir_default == TEXT_DIR_RTL ? UBIDI_DEFAULT_RTL : UBIDI_DEFAULT_LTR;
    ubidi_setPara(para, t + p0, n, base, NULL, &err);
    if (U_FAILURE(err)) { ubidi_close(para); return 0; }
    int rtl = ubidi_getParaLevel(para) & 1;
    if (lo->nlines == 0) lo->rtl = rtl;
    const UBiDiLevel *levels = n ? ubidi_getLevels(para, &err) : NULL;

    /* Items: maximal runs of one bidi level, one script and one font. */
    s->nitems = 0;
    s->ninfo = 0;
    if (!resolve_scripts(s, t, p0, p1)) { ubidi_close(para); return 0; }
    int prev_font = -1, num_font = -1;
    item cur = {.start = p0, .len = 0, .level = -1, .font = -1};
    for (int i = p0; i < p1;) {
        UChar32 c;
        int k = i;
        U16_NEXT(t, k, p1, c);
        UScriptCode sc = (UScriptCode)s->script[i - p0];
        int8_t ct = (int8_t)u_charType(c);
        int digit = ct == U_DECIMAL_DIGIT_NUMBER;
        /* one font per number: the first digit picks it, the rest of the number keeps it */
        int in_number = num_font >= 0 && (digit || ((u_ispunct(c) || ct == U_SPACE_SEPARATOR) && k < p1 &&
                                                    u_isdigit(t[k]) && text_font_has(te, num_font, c)));
        int keep_prev = prev_font >= 0 &&
                        (ct == U_NON_SPACING_MARK || ct == U_ENCLOSING_MARK || ct == U_COMBINING_SPACING_MARK ||
                         u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == 0xFFFD ||
                         ((ct == U_SPACE_SEPARATOR || u_ispunct(c)) && sc == cur.script && text_font_has(te, prev_font, c)));
        int f;
        if (in_number && text_font_has(te, num_font, c)) f = num_font;
        else if (keep_prev && !digit) f = prev_font;
        else f = text_pick_font(te, c, sc, st->lang, st->bold, st->size_px);
        if (f < 0) f = prev_font >= 0 ? prev_font : text_default_font(te, st->bold, st->size_px);
        if (f < 0) { ubidi_close(para); return 0; }
        if (digit && !in_number) num_font = f;
        else if (!in_number) num_font = -1;
        int level = levels[i - p0];
        if (cur.len > 0 && (level != cur.level || f != cur.font || sc != cur.script)) {
            if (!push_item(s, cur)) { ubidi_close(para); return 0; }
            cur.start = i;
            cur.len = 0;
        }
        cur.level = level;
        cur.font = f;
        cur.script = sc;
        cur.len += k - i;
        prev_font = f;
        i = k;
    }
    if (cur.len > 0 && !push_item(s, cur)) { ubidi_close(para); return 0; }

    /* Shape each item with the paragraph as context, so joining crosses item edges. */
    for (int k = 0; k < s->nitems; k++) {
        item *it = &s->items[k];
        hb_buffer_t *hb = te->buf;
        hb_buffer_clear_contents(hb);
        hb_buffer_add_utf16(hb, t, lo->len16, (unsigned)it->start, it->len);
        hb_buffer_set_direction(hb, (it->level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        UScriptCode sc = (UScriptCode)it->script;
        const char *sn = uscript_getShortName(sc);
        hb_buffer_set_script(hb, sn ? hb_script_from_string(sn, -1) : HB_SCRIPT_COMMON);
        if (st->lang && *st->lang) hb_buffer_set_language(hb, hb_language_from_string(st->lang, -1));
        hb_buffer_guess_segment_properties(hb);
        hb_shape(text_font_hb(te, it->font), hb, NULL, 0);
        unsigned gn = 0;
        hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(hb, &gn);
        hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(hb, NULL);
        it->first = s->ninfo;
        it->count = (int)gn;
        if (!push_glyphs(s, gi, gp, (int)gn)) { ubidi_close(para); return 0; }
        it->monotone = 1;
        for (unsigned g = 0; g < gn; g++) {
            s->adv[gi[g].cluster] += gp[g].x_advance;
            if (g && ((it->level & 1) ? gi[g].cluster > gi[g - 1].cluster : gi[g].cluster < gi[g - 1].cluster))
                it->monotone = 0;
        }
    }
    s->pre[p0] = 0;
    for (int i = p0; i < p1; i++) s->pre[i + 1] = s->pre[i] + s->adv[i];

    /* Greedy line breaking on ICU's break opportunities with the shaped widths. */
    int32_t maxw = st->max_width > 0 ? (int32_t)st->max_width * 64 : 0;
    int word = 0;
    UBreakIterator *bi = NULL;
    if (maxw > 0 && n > 0 && !fits_whole(s, t, p0, p1, maxw) && !(word = text_one_word(t, p0, p1)))
        bi = text_breaker(te, st->lang);
    int line_start = p0;
    if ((bi || word) && n > 0 && maxw > 0) {
        err = U_ZERO_ERROR;
        if (bi) ubrk_setText(bi, t + p0, n, &err);
        int last_ok = -1;
        int32_t pos = bi ? ubrk_following(bi, 0) : n;
        while (pos != UBRK_DONE && U_SUCCESS(err)) {
            int bpos = p0 + pos;
            if (range_width(s, t, line_start, bpos) <= maxw) {
                last_ok = bpos;
                int hard = bi && ubrk_getRuleStatus(bi) >= UBRK_LINE_HARD;
                if (hard && bpos < p1) {
                    if (!emit_line(te, b, s, para, p0, line_start, bpos, rtl, st)) goto fail;
                    line_start = bpos;
                    last_ok = -1;
                }
                pos = bi ? ubrk_next(bi) : UBRK_DONE;
                continue;
            }
            if (last_ok > line_start) {
                if (!emit_line(te, b, s, para, p0, line_start, last_ok, rtl, st)) goto fail;
                line_start = last_ok;
                last_ok = -1;
                continue; /* re-test the same break on the new line */
            }
            /* One word wider than the line: cut it between characters (text_layout_make then
             * tries smaller sizes first). */
            if (lo->cut++ == 0) lo->cut_line = lo->nlines;
            int64_t wide = (range_width(s, t, line_start, bpos) + 63) >> 6;
            if (wide > lo->cut_width) lo->cut_width = wide > INT32_MAX ? INT32_MAX : (int)wide;
            int cut = line_start, q = line_start;
            while (q < bpos) {
                UChar32 c;
                int nq = q;
                U16_NEXT(t, nq, bpos, c);
                (void)c;
                if (cut > line_start && range_width(s, t, line_start, nq) > maxw) break;
                cut = nq;
                q = nq;
            }
            if (!emit_line(te, b, s, para, p0, line_start, cut, rtl, st)) goto fail;
            line_start = cut;
            last_ok = -1;
        }
    }
    if (line_start < p1 || n == 0) {
        if (!emit_line(te, b, s, para, p0, line_start, p1, rtl, st)) goto fail;
    }
    ubidi_close(para);
    return 1;
fail:
    ubidi_close(para);
    return 0;
}

static text_layout *layout_text16(text_engine *te, UChar *t16, int len, const text_style *st)
{
    text_layout *lo = calloc(1, sizeof *lo);
    scratch s = {0};
    if (!lo) { free(t16); return NULL; }
    lo->text16 = (uint16_t *)t16;
    lo->len16 = len;
    s.adv = calloc((size_t)len + 1, sizeof *s.adv);
    s.pre = malloc(sizeof *s.pre * ((size_t)len + 1));
    if (!s.adv || !s.pre) goto fail;
    builder b = {.lo = lo};
    int p0 = 0;
    for (int i = 0; i <= len; i++) {
        if (i == len || t16[i] == '\n' || t16[i] == 0x2029) {
            if (!layout_paragraph(te, &b, &s, p0, i, st)) goto fail;
            p0 = i + 1;
        }
    }
    /* Stack lines and align them. */
    int widest = 0;
    for (int i = 0; i < lo->nlines; i++)
        if (lo->lines[i].width > widest) widest = lo->lines[i].width;
    lo->width = st->max_width > 0 ? st->max_width : widest;
    int y = 0;
    for (int i = 0; i < lo->nlines; i++) {
        text_line *ln = &lo->lines[i];
        ln->baseline = y + ln->ascent;
        y += ln->ascent + ln->descent;
        int right;
        switch (st->align) {
        case TEXT_ALIGN_END: right = !ln->rtl; break;
        case TEXT_ALIGN_LEFT: right = 0; break;
        case TEXT_ALIGN_RIGHT: right = 1; break;
        case TEXT_ALIGN_CENTER: right = -1; break;
        default: right = ln->rtl; break;
        }
        int slack = lo->width - ln->width;
        if (slack < 0) slack = 0;
        ln->x = right < 0 ? slack / 2 : right ? slack : 0;
    }
    lo->height = y;
    free(s.adv);
    free(s.pre);
    free(s.items);
    free(s.info);
    free(s.pos);
    free(s.script);
    return lo;
fail:
    free(s.adv);
    free(s.pre);
    free(s.items);
    free(s.info);
    free(s.pos);
    free(s.script);
    text_layout_free(lo);
    return NULL;
}

static UChar *to_utf16(const char *utf8, int *len)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(NULL, 0, &n, utf8, -1, 0xFFFD, NULL, &e);
    UChar *t = malloc(sizeof *t * (size_t)(n + 1));
    if (!t) return NULL;
    e = U_ZERO_ERROR;
    u_strFromUTF8WithSub(t, n + 1, &n, utf8, -1, 0xFFFD, NULL, &e);
    if (U_FAILURE(e)) { free(t); return NULL; }
    *len = n;
    return t;
}

static text_layout *layout_make(text_engine *te, const char *utf8, const text_style *st);

/* A word wider than the line ("Sprachkurse" in a tile with large text) is set smaller, by up to
 * this share of the size, before it is cut between characters: a cut word reads as two. */
#define SHRINK_MIN_PERCENT 70

int text_line_height(text_engine *te, const char *utf8, const text_style *st)
{
    int len = 0;
    UChar *t = to_utf16(utf8 ? utf8 : "", &len);
    if (!t) return 0;
    /* as emit_line: the tallest ascent and the deepest descent of the fonts drawing the line,
     * each letter in the font layout_paragraph picks for it */
    int asc = 0, desc = 0;
    for (int i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(t, i, len, c);
        int f = text_pick_font(te, c, script_of(c), st->lang, st->bold, st->size_px);
        if (f < 0) f = text_default_font(te, st->bold, st->size_px);
        if (f < 0) continue;
        if (te->fonts[f].ascent > asc) asc = te->fonts[f].ascent;
        if (te->fonts[f].descent > desc) desc = te->fonts[f].descent;
    }
    free(t);
    return asc + desc;
}

text_layout *text_layout_make(text_engine *te, const char *utf8, const text_style *st)
{
    text_layout *lo = layout_make(te, utf8, st);
    if (!lo || !lo->cut || st->max_width <= 0) return lo;
    /* too wide even at the smallest size (widths scale with it; a tenth to spare): five layouts
     * of a 4,000-letter word for nothing */
    if ((int64_t)lo->cut_width * SHRINK_MIN_PERCENT > (int64_t)st->max_width * 110) return lo;
    text_style small = *st;
    for (int pct = 94; pct >= SHRINK_MIN_PERCENT; pct -= 6) {
        small.size_px = st->size_px * pct / 100;
        if (small.size_px < 6 || small.size_px == st->size_px) continue;
        text_layout *cand = layout_make(te, utf8, &small);
        if (cand && !cand->cut) {
            text_layout_free(lo);
            return cand;
        }
        text_layout_free(cand);
    }
    return lo;
}

static text_layout *layout_make(text_engine *te, const char *utf8, const text_style *st)
{
    char *iso = text_isolate_ltr(utf8 ? utf8 : "");
    if (!iso) return NULL;
    int len = 0;
    UChar *t = to_utf16(iso, &len);
    if (!t) { free(iso); return NULL; }
    text_layout *lo = layout_text16(te, t, len, st);
    if (!lo || st->max_lines <= 0 || lo->nlines <= st->max_lines) { free(iso); return lo; }

    /* Too many lines: cut at a word boundary inside the last kept line and add an ellipsis. */
    int cut = lo->lines[st->max_lines - 1].end;
    /* a word cut inside the kept lines: text_layout_make tries smaller sizes for it too */
    int word_cut = lo->cut && lo->cut_line < st->max_lines;
    text_layout_free(lo);
    lo = NULL;
    UErrorCode e = U_ZERO_ERROR;
    UChar *orig = to_utf16(iso, &len);
    free(iso);
    /* one word has no word end before a cut: it loses a character at a time */
    int word = orig && text_one_word(orig, 0, len);
    UBreakIterator *bi = orig && !word ? text_breaker(te, st->lang) : NULL;
    if (!orig || (!bi && !word)) { free(orig); return NULL; }
    if (bi) ubrk_setText(bi, orig, len, &e);
    for (int tries = 0; tries < 64 && cut > 0; tries++) {
        int end = cut;
        while (end > 0 && (is_space16(orig[end - 1]) || u_ispunct(orig[end - 1]))) end--;
        UChar *tt = malloc(sizeof *tt * (size_t)(end + 2));
        if (!tt) break;
        memcpy(tt, orig, sizeof *tt * (size_t)end);
        tt[end] = 0x2026;
        tt[end + 1] = 0;
        text_layout *cand = layout_text16(te, tt, end + 1, st);
        if (!cand || cand->nlines <= st->max_lines) {
            lo = cand;
            if (lo) {
                lo->truncated = 1;
                if (word_cut && !lo->cut) lo->cut = 1, lo->cut_line = st->max_lines - 1;
            }
            break;
        }
        text_layout_free(cand);
        if (bi) ubrk_setText(bi, orig, len, &e);
        int32_t p = bi ? ubrk_preceding(bi, cut) : 0;
        if (p == UBRK_DONE || p <= 0 || p >= cut) {
            /* no word ends before: one character less (a whole code point and its marks), so a
             * single word too wide for its one line ends in an ellipsis instead of vanishing */
            U16_BACK_1(orig, 0, cut);
            while (cut > 0 && (U_GET_GC_MASK(orig[cut]) & (U_GC_MN_MASK | U_GC_ME_MASK))) U16_BACK_1(orig, 0, cut);
        } else {
            cut = p;
        }
    }
    free(orig);
    return lo;
}

void text_layout_free(text_layout *lo)
{
    if (!lo) return;
    free(lo->text16);
    free(lo->lines);
    free(lo->glyphs);
    free(lo);
}

