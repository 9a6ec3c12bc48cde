/*
 * render.c: a layout's glyphs drawn from the glyph cache into one 8-bit coverage bitmap,
 * measuring, and a line's text in visual order for tests (text.h).
 */
#include "text_priv.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>

/* Where a glyph's bitmap lands relative to the layout's top-left; NULL for glyphs without ink.
 * Looked up afresh by each caller: a later text_glyph_get may move or clear the cache. */
static const glyph_bm *place(text_engine *te, const text_line *ln, const text_glyph *g, int *gx, int *gy)
{
    glyph_bm *gb = text_glyph_get(te, g->font, g->gid);
    if (!gb || !gb->pixels) return NULL;
    *gx = ln->x + (int)((g->x + 32) >> 6) + gb->left;
    *gy = ln->baseline + (int)((g->y + 32) >> 6) - gb->top;
    return gb;
}

/* Call fn for each inked glyph of the layout with where it lands (place). The bitmap's size is
 * known only after one pass and the cache may move between lookups: render walks twice. */
static void each_placed(text_engine *te, const text_layout *lo, void (*fn)(void *ud, const glyph_bm *gb, int gx, int gy),
                        void *ud)
{
    for (int l = 0; l < lo->nlines; l++) {
        const text_line *ln = &lo->lines[l];
        for (int i = ln->first_glyph; i < ln->first_glyph + ln->nglyphs; i++) {
            int gx, gy;
            const glyph_bm *gb = place(te, ln, &lo->glyphs[i], &gx, &gy);
            if (gb) fn(ud, gb, gx, gy);
        }
    }
}

typedef struct ink_box {
    int x0, x1, y0, y1;
} ink_box;

static void grow_box(void *ud, const glyph_bm *gb, int gx, int gy)
{
    ink_box *b = ud;
    if (gx < b->x0) b->x0 = gx;
    if (gx + gb->w > b->x1) b->x1 = gx + gb->w;
    /* ink may reach beyond the line box (tall Nastaliq words): keep it, never clip it */
    if (gy < b->y0) b->y0 = gy;
    if (gy + gb->h > b->y1) b->y1 = gy + gb->h;
}

static void blit(void *ud, const glyph_bm *gb, int gx, int gy)
{
    text_bitmap *bm = ud;
    gx -= bm->x;
    gy -= bm->y;
    for (int y = 0; y < gb->h; y++) {
        int py = gy + y;
        if (py < 0 || py >= bm->h) continue;
        uint8_t *row = bm->pixels + (size_t)py * (size_t)bm->pitch;
        const uint8_t *src = gb->pixels + y * gb->w;
        for (int x = 0; x < gb->w; x++) {
            int px = gx + x;
            if (px < 0 || px >= bm->w || !src[x]) continue;
            int v = row[px] + src[x];
            row[px] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
}

text_bitmap *text_layout_render(text_engine *te, const text_layout *lo)
{
    text_bitmap *bm = calloc(1, sizeof *bm);
    if (!bm) return NULL;
    /* Only the inked span: a right-aligned line in a wide box costs its own width, not the box's,
     * and a line its ink's height, not its ascent and descent (a third less for Latin). */
    ink_box box = {lo->width, 0, lo->height > 0 ? lo->height : 1, 0};
    each_placed(te, lo, grow_box, &box);
    int x0 = box.x0, x1 = box.x1, y0 = box.y0, y1 = box.y1;
    if (x1 <= x0 || y1 <= y0) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
    bm->x = x0;
    bm->y = y0;
    bm->w = x1 - x0;
    bm->h = y1 - y0;
    bm->pitch = bm->w;
    bm->rtl = lo->rtl;
    bm->nlines = lo->nlines;
    bm->baseline = lo->nlines ? lo->lines[0].baseline - y0 : 0;
    bm->pixels = calloc((size_t)bm->pitch * (size_t)bm->h, 1);
    if (!bm->pixels) { free(bm); return NULL; }
    each_placed(te, lo, blit, bm);
    return bm;
}

void text_bitmap_free(text_bitmap *bm)
{
    if (!bm) return;
    free(bm->pixels);
    free(bm);
}

void text_measure(text_engine *te, const char *utf8, const text_style *st, int *w, int *h)
{
    text_layout *lo = text_layout_make(te, utf8, st);
    *w = lo ? lo->width : 0;
    *h = lo ? lo->height : 0;
    text_layout_free(lo);
}

int text_line_visual_utf8(const text_layout *lo, int line, char *buf, size_t buflen)
{
    if (line < 0 || line >= lo->nlines || buflen == 0) return -1;
    const text_line *ln = &lo->lines[line];
    size_t o = 0;
    int prev = -1;
    for (int i = ln->first_glyph; i < ln->first_glyph + ln->nglyphs; i++) {
        int cl = lo->glyphs[i].cluster;
        if (cl == prev) continue; /* one cluster, several glyphs (marks, ligature parts) */
        prev = cl;
        UChar32 c;
        int k = cl;
        U16_NEXT(lo->text16, k, lo->len16, c);
        if ((c >= 0x2066 && c <= 0x2069) || (c >= 0x202A && c <= 0x202E)) continue; /* bidi controls */
        char tmp[8];
        int32_t n = 0;
        UErrorCode e = U_ZERO_ERROR;
        u_strToUTF8(tmp, sizeof tmp, &n, (const UChar *)lo->text16 + cl, k - cl, &e);
        if (U_FAILURE(e) || o + (size_t)n + 1 > buflen) return -1;
        memcpy(buf + o, tmp, (size_t)n);
        o += (size_t)n;
    }
    buf[o] = 0;
    return (int)o;
}

