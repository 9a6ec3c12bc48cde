/*
 * draw.c: drawing primitives (draw.h): filled and outlined rectangles mirrored for RTL, shaped
 * text and pictures through a texture cache with a pixel budget, QR codes, touch targets and
 * the actions they emit.
 */
#include "draw.h"
#include "raster.h"
#include "platform/fmt.h"
#include "platform/log.h"
#include "platform/qr_dl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends "N|" to p (cache keys are built on every draw call: snprintf costs ten times more). */
static char *put_int(char *p, long v)
{
    char t[24];
    int n = 0;
    unsigned long x = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do t[n++] = (char)('0' + x % 10); while ((x /= 10) > 0);
    if (v < 0) *p++ = '-';
    while (n > 0) *p++ = t[--n];
    *p++ = '|';
    return p;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void ui_flush(ui *u)
{
    for (int b = 0; b < BUCKETS; b++) {
        tex_entry *e = u->buckets[b];
        while (e) {
            tex_entry *n = e->next;
            if (e->tex) SDL_DestroyTexture(e->tex);
            text_layout_free(e->lo);
            free(e->key);
            free(e);
            e = n;
        }
        u->buckets[b] = NULL;
    }
    u->count = 0;
    u->bytes = 0;
    u->ndrawn = 0;
    dl_forget(&u->d); /* its textures are gone: the next frame is drawn whole */
}

/* Drop textures not used in the last frame once the cache is over its budget. */
void ui_cache_trim(ui *u)
{
    if (u->count <= CACHE_MAX && u->bytes <= CACHE_BYTES) return;
    for (int b = 0; b < BUCKETS; b++) {
        tex_entry **pp = &u->buckets[b];
        while (*pp) {
            tex_entry *e = *pp;
            if (e->used + 1 < u->frame_no) {
                *pp = e->next;
                if (e->tex) SDL_DestroyTexture(e->tex);
                text_layout_free(e->lo);
                u->bytes -= (long)e->w * e->bh * 4;
                free(e->key);
                free(e);
                u->count--;
            } else {
                pp = &e->next;
            }
        }
    }
}

static tex_entry *cache_find(ui *u, const char *key, uint64_t h)
{
    for (tex_entry *e = u->buckets[h % BUCKETS]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0) {
            e->used = u->frame_no;
            u->hits_n++;
            return e;
        }
    return NULL;
}

static tex_entry *cache_add(ui *u, const char *key, uint64_t h)
{
    tex_entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->key = strdup(key);
    if (!e->key) { free(e); return NULL; }
    e->hash = h;
    e->serial = ++u->serial;
    e->used = u->frame_no;
    e->next = u->buckets[h % BUCKETS];
    u->buckets[h % BUCKETS] = e;
    u->count++;
    u->misses_n++;
    return e;
}

void ui_cache_stats(const ui *u, long *hits, long *misses)
{
    *hits = u->hits_n;
    *misses = u->misses_n;
}

rect ui_flip(const frame *f, rect r)
{
    if (f->st->rtl && !f->no_mirror) r.x = f->w - r.x - r.w;
    return r;
}

void ui_fill(frame *f, rect r, int color)
{
    rect q = ui_flip(f, r);
    dl_fill(&f->u->d, (SDL_Rect){q.x, q.y, q.w, q.h}, f->u->pal[color]);
}

void ui_border(frame *f, rect r, int color, int t)
{
    ui_fill(f, (rect){r.x, r.y, r.w, t}, color);
    ui_fill(f, (rect){r.x, r.y + r.h - t, r.w, t}, color);
    ui_fill(f, (rect){r.x, r.y, t, r.h}, color);
    ui_fill(f, (rect){r.x + r.w - t, r.y, t, r.h}, color);
}

void ui_clip(frame *f, const rect *r)
{
    if (!r) {
        dl_clip(&f->u->d, NULL);
        return;
    }
    rect q = ui_flip(f, *r);
    dl_clip(&f->u->d, &(SDL_Rect){q.x, q.y, q.w, q.h});
}

void ui_scroll_clip(frame *f, const rect *view, float scroll)
{
    rect q = ui_flip(f, *view);
    dl_view(&f->u->d, (SDL_Rect){q.x, q.y, q.w, q.h}, (int)scroll);
}

/* The clip the screens set, in screen pixels (the whole screen when none). */
static SDL_Rect clip_now(const ui *u)
{
    return u->d.clip_on ? u->d.clip : (SDL_Rect){0, 0, u->w, u->h};
}

/* The colour is baked into the texture: SDL's software renderer blends a plain ARGB texture with
 * its fast alpha blitter, but one with a colour modulation through a slow generic one. */
static SDL_Texture *texture_from_a8(SDL_Renderer *r, const text_bitmap *bm, SDL_Color c)
{
    SDL_Texture *t = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, bm->w, bm->h);
    if (!t) return NULL;
    uint32_t *px = malloc(sizeof *px * (size_t)bm->w * (size_t)bm->h);
    if (!px) { SDL_DestroyTexture(t); return NULL; }
    for (int y = 0; y < bm->h; y++)
        for (int x = 0; x < bm->w; x++)
            px[y * bm->w + x] = ((uint32_t)bm->pixels[y * bm->pitch + x] << 24) | ((uint32_t)c.r << 16) |
                                ((uint32_t)c.g << 8) | c.b;
    SDL_UpdateTexture(t, NULL, px, bm->w * 4);
    free(px);
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

static int row_inked(const text_bitmap *bm, int y)
{
    const uint8_t *p = bm->pixels + (size_t)y * (size_t)bm->pitch;
    for (int x = 0; x < bm->w; x++)
        if (p[x]) return 1;
    return 0;
}

/* Entry e's bitmap from its layout: the texture in colour c and where the ink lies. */
static void render_entry(ui *u, tex_entry *e, SDL_Color c)
{
    text_bitmap *bm = text_layout_render(u->te, e->lo);
    if (bm) {
        e->tex = texture_from_a8(u->r, bm, c);
        e->x = bm->x;
        e->y = bm->y;
        e->bh = bm->h;
        e->w = bm->w;
        u->bytes += (long)e->w * e->bh * 4;
        /* the rows that hold ink, for widgets that must keep it inside their box */
        int t = 0, b = bm->h;
        while (t < bm->h && !row_inked(bm, t)) t++;
        while (b > t && !row_inked(bm, b - 1)) b--;
        e->ink_top = bm->y + t;
        e->ink_bot = bm->y + b;
    }
    text_bitmap_free(bm);
    text_layout_free(e->lo);
    e->lo = NULL;
}

/* The cached entry of text at o, laid out on first use and rendered when first pixels (or ink)
 * are asked for: a text only measured (a probe of the tallest script, a size tried
 * and dropped) never costs its glyphs' rasters and a texture. *hl: where the text starts in
 * the key. */
static tex_entry *text_entry(frame *f, rect r, const char *text, const text_opts *o, size_t *hl_out, int pixels)
{
    if (!text || !*text || r.w <= 0) return NULL;
    ui *u = f->u;
    const char *lang = o->lang ? o->lang : f->st->lang;
    int rtl_ui = f->st->rtl;
    int align = o->align;
    /* content keeps its own direction but lines up with the UI's start edge, like the labels */
    if (!o->ui_dir && align == TEXT_ALIGN_START) align = rtl_ui ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
    else if (!o->ui_dir && align == TEXT_ALIGN_END) align = rtl_ui ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT;
    text_style ts = {.lang = lang,
                     .size_px = o->size,
                     .bold = o->bold,
                     .max_width = r.w,
                     .max_lines = o->max_lines,
                     /* content takes the direction of the language it is in: an Urdu sentence that
                      * opens with "B1" is still a right-to-left paragraph */
                     .dir = o->ui_dir ? (rtl_ui ? TEXT_DIR_RTL : TEXT_DIR_LTR)
                            : o->lang ? (i18n_is_rtl(o->lang) ? TEXT_DIR_RTL : TEXT_DIR_LTR) : TEXT_DIR_AUTO,
                     .dir_default = rtl_ui ? TEXT_DIR_RTL : TEXT_DIR_LTR,
                     .align = align};
    char head[176], *hp = head; /* 1 + 9 fields of up to 12 + a language of up to 31 + 2 */
    *hp++ = 'T';
    const int fields[] = {ts.size_px, ts.bold, ts.max_width, ts.max_lines, ts.dir, ts.dir_default, ts.align, o->color, u->hc};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) hp = put_int(hp, fields[i]);
    size_t ll = strnlen(lang, 31);
    memcpy(hp, lang, ll);
    hp += ll;
    *hp++ = '|';
    *hp = 0;
    size_t hl = (size_t)(hp - head), tl = strlen(text);
    char stackkey[512];
    char *key = hl + tl + 1 <= sizeof stackkey ? stackkey : malloc(hl + tl + 1);
    if (!key) return 0;
    memcpy(key, head, hl);
    memcpy(key + hl, text, tl + 1);
    uint64_t h = hash_str(key);
    tex_entry *e = cache_find(u, key, h);
    if (!e && (e = cache_add(u, key, h)) != NULL && (e->lo = text_layout_make(u->te, text, &ts)) != NULL) {
        const text_layout *lo = e->lo;
        e->h = lo->height;
        e->missing = lo->missing;
        e->truncated = lo->truncated;
        e->nlines = lo->nlines;
        for (int i = 0; i < lo->nlines; i++)
            if (lo->lines[i].end - lo->lines[i].start > e->longest) e->longest = lo->lines[i].end - lo->lines[i].start;
    }
    if (e && e->lo && pixels) render_entry(u, e, u->pal[o->color]);
    if (key != stackkey) free(key);
    *hl_out = hl;
    return e;
}

int ui_line_height(frame *f, const char *letters, const text_opts *o)
{
    text_style ts = {.lang = o->lang ? o->lang : f->st->lang, .size_px = o->size, .bold = o->bold};
    return text_line_height(f->u->te, letters, &ts);
}

int ui_text_ink(frame *f, rect r, const char *text, const text_opts *o, int *top, int *bottom, int *cut)
{
    size_t hl;
    tex_entry *e = text_entry(f, r, text, o, &hl, 1);
    *top = e ? e->ink_top : 0;
    *bottom = e ? e->ink_bot : 0;
    *cut = e ? e->truncated : 0;
    return e ? e->h : 0;
}

int ui_text_cut(frame *f, rect r, const char *text, const text_opts *o)
{
    size_t hl;
    tex_entry *e = text_entry(f, r, text, o, &hl, 0);
    return e ? e->truncated : 0;
}

int ui_text(frame *f, rect r, const char *text, const text_opts *o, int draw)
{
    ui *u = f->u;
    size_t hl = 0;
    tex_entry *e = text_entry(f, r, text, o, &hl, draw);
    if (!e) return 0;
    if (draw) {
        u->missing += e->missing;
        /* the bitmap is laid out in its own direction already: place it, never mirror it */
        rect q = ui_flip(f, (rect){r.x, r.y, r.w, e->h});
        SDL_Rect dst = {q.x + e->x, q.y + e->y, e->w, e->bh}, clip = clip_now(u);
        if (u->ndrawn < MAX_DRAWN) {
            int whole = dst.x >= clip.x && dst.y >= clip.y && dst.x + dst.w <= clip.x + clip.w &&
                        dst.y + dst.h <= clip.y + clip.h && dst.y + dst.h <= u->h && dst.y >= 0;
            u->drawn_whole[u->ndrawn] = (char)(whole ? 1 + !e->truncated : 0);
            u->drawn_at[u->ndrawn] = dst;
            u->drawn_tex[u->ndrawn] = e;
            u->drawn[u->ndrawn++] = e->key + hl;
        }
        if (e->tex) dl_copy(&u->d, e->tex, e->serial, dst, 0);
    }
    return e->h;
}

/* A picture's cache entry at side pixels in color; *fresh when it was just added, still to be
 * filled (it stays, empty, when it cannot be: a missing file is not read again every frame). */
static tex_entry *image_entry(ui *u, const char *key, int side, int color, int *fresh)
{
    char k[256];
    snprintf(k, sizeof k, "I%d|%d|%d|%s", side, color, u->hc, key);
    uint64_t h = hash_str(k);
    tex_entry *e = cache_find(u, k, h);
    *fresh = !e;
    return e ? e : cache_add(u, k, h);
}

/* Fill a fresh entry with the picture in data (an SVG or anything SDL_image reads), tinted. */
static void image_fill(ui *u, tex_entry *e, const unsigned char *data, size_t len, int side, int color)
{
    /* an SVG's raster is kept on the state disk (raster.h); other pictures are decoded */
    SDL_Surface *s = side > 0 ? ui_raster_svg(u->raster_dir, data, len, side) : NULL;
    if (!s) s = ui_raster_picture(data, len, side);
    if (!s) return;
    /* pictograms are white on transparent: tint them once, here */
    SDL_Color t = u->pal[color];
    uint32_t rgb = ((uint32_t)t.r << 16) | ((uint32_t)t.g << 8) | t.b;
    for (int y = 0; y < s->h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
        int x = 0;
        /* in blocks of a known length, which -O2 vectorises (a row of unknown length it did not:
         * 3.6 M instructions for the topics screen's 19 pictograms) */
        for (; x + 8 <= s->w; x += 8)
            for (int i = 0; i < 8; i++) row[x + i] = (row[x + i] & 0xFF000000u) | rgb;
        for (; x < s->w; x++) row[x] = (row[x] & 0xFF000000u) | rgb;
    }
    e->tex = SDL_CreateTextureFromSurface(u->r, s);
    e->w = side;
    e->h = e->bh = side;
    u->bytes += (long)side * side * 4;
    SDL_FreeSurface(s);
    if (e->tex) SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
}

/* The entry's picture centred in r. */
static void image_draw(frame *f, const tex_entry *e, rect r, int side, int mirror)
{
    if (!e || !e->tex) return;
    rect q = ui_flip(f, (rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side});
    SDL_Rect dst = {q.x, q.y, side, side};
    /* the software renderer's CopyEx goes through a temporary surface even without a flip, so
     * the list asks for it only to mirror */
    dl_copy(&f->u->d, e->tex, e->serial, dst, mirror);
}

void ui_image(frame *f, const char *key, const unsigned char *data, size_t len, rect r, int color, int mirror)
{
    ui *u = f->u;
    int side = r.w < r.h ? r.w : r.h, fresh;
    tex_entry *e = image_entry(u, key, side, color, &fresh);
    if (e && fresh && data && len) image_fill(u, e, data, len, side, color);
    image_draw(f, e, r, side, mirror);
}

void ui_icon(frame *f, const char *name, rect r, int color, int mirror)
{
    ui *u = f->u;
    int side = r.w < r.h ? r.w : r.h, fresh;
    char key[128];
    snprintf(key, sizeof key, "icon:%s", name);
    tex_entry *e = image_entry(u, key, side, color, &fresh);
    if (e && fresh) {
        /* the file is read once for each size and colour it is drawn in */
        char path[sizeof u->icon_dir + 128];
        SDL_RWops *rw = fmt_fit(path, sizeof path, "%s/%s.svg", u->icon_dir, name) == 0 ? SDL_RWFromFile(path, "rb") : NULL;
        if (!path[0]) log_msg("ui", "icon %.64s: its path is too long", name);
        Sint64 len = rw ? SDL_RWsize(rw) : -1;
        unsigned char *buf = len > 0 ? malloc((size_t)len) : NULL;
        if (buf && SDL_RWread(rw, buf, 1, (size_t)len) == (size_t)len) image_fill(u, e, buf, (size_t)len, side, color);
        free(buf);
        if (rw) SDL_RWclose(rw);
    }
    image_draw(f, e, r, side, mirror);
}

int ui_qr(frame *f, const char *text, rect r)
{
    ui *u = f->u;
    char k[64];
    uint64_t th = hash_str(text);
    snprintf(k, sizeof k, "Q%d|%d|%016llx", r.w, r.h, (unsigned long long)th);
    uint64_t h = hash_str(k);
    tex_entry *e = cache_find(u, k, h);
    if (!e && (e = cache_add(u, k, h)) != NULL) {
        /* medium error correction: a phone still reads it off a scratched or glaring screen */
        QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
        int quiet = 4, n = q ? q->width + 2 * quiet : 0;
        int side = r.w < r.h ? r.w : r.h, mod = n ? side / n : 0;
        SDL_Surface *s = mod > 0 ? SDL_CreateRGBSurfaceWithFormat(0, n * mod, n * mod, 32, SDL_PIXELFORMAT_ARGB8888) : NULL;
        if (s) {
            /* always dark on white, also in high contrast: scanners expect it */
            SDL_FillRect(s, NULL, 0xFFFFFFFFu);
            for (int y = 0; y < q->width; y++)
                for (int x = 0; x < q->width; x++)
                    if (q->data[y * q->width + x] & 1) {
                        SDL_Rect m = {(x + quiet) * mod, (y + quiet) * mod, mod, mod};
                        SDL_FillRect(s, &m, 0xFF000000u);
                    }
            e->tex = SDL_CreateTextureFromSurface(u->r, s);
            e->w = e->bh = e->h = s->w;
            u->bytes += (long)s->w * s->h * 4;
            SDL_FreeSurface(s);
        }
        QRcode_free(q);
    }
    if (!e || !e->tex) return 0;
    rect q = ui_flip(f, (rect){r.x + (r.w - e->w) / 2, r.y + (r.h - e->w) / 2, e->w, e->w});
    SDL_Rect dst = {q.x, q.y, e->w, e->w};
    dl_copy(&u->d, e->tex, e->serial, dst, 0);
    return e->w;
}

int ui_hit(frame *f, const char *id, rect r)
{
    ui *u = f->u;
    rect q = ui_flip(f, r);
    /* only the visible part of a target counts: rows scrolled under a keyboard or off screen */
    SDL_Rect c = clip_now(u), a = {q.x, q.y, q.w, q.h}, v;
    if (!SDL_IntersectRect(&a, &c, &v)) return 0;
    SDL_Rect screen = {0, 0, f->w, f->h};
    if (!SDL_IntersectRect(&v, &screen, &a)) return 0;
    q = (rect){a.x, a.y, a.w, a.h};
    if (u->nhits < MAX_HITS) {
        size_t l = strnlen(id, sizeof u->hits[0].id - 1);
        memcpy(u->hits[u->nhits].id, id, l);
        u->hits[u->nhits].id[l] = 0;
        u->hits[u->nhits++].r = q;
    }
    return f->in->tap && f->in->tap_x >= q.x && f->in->tap_x < q.x + q.w && f->in->tap_y >= q.y &&
           f->in->tap_y < q.y + q.h;
}

void ui_emit(frame *f, int kind, const char *arg, float value)
{
    if (f->n >= f->max) return;
    action *a = &f->out[f->n++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->value = value;
    if (arg) snprintf(a->arg, sizeof a->arg, "%s", arg);
}

const char *ui_tr(const frame *f, const char *msgid) { return i18n_gettext(f->st->catalog, msgid); }
