/*
 * ui.c: the widget layer: texture caches for text and pictograms, mirroring, hit regions,
 * drag/scroll gestures, and the frame entry point (see ui.h). Screens live in screens.c.
 */
#include "ui_priv.h"

#include <assert.h>
#include <qrencode.h>

#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 1024
#define CACHE_MAX 600      /* textures kept; older ones are dropped when unused for a frame */
#define CACHE_BYTES (4 << 20) /* pixel budget of the cached textures */
#define MAX_HITS 160
#define MAX_DRAWN 400

typedef struct tex_entry {
    struct tex_entry *next;
    uint64_t hash;
    char *key;
    SDL_Texture *tex;
    int x, y, w, h;         /* bitmap offset inside the text box; h is the layout's height */
    int bh;                 /* bitmap height */
    int missing;
    unsigned long used;     /* frame number of last use */
} tex_entry;

typedef struct hit {
    char id[96];
    rect r;                 /* screen coordinates (after mirroring) */
} hit;

struct ui {
    SDL_Renderer *r;
    text_engine *te;
    char icon_dir[1024];
    float mm_config;
    int w, h;
    ui_metrics m;
    tex_entry *buckets[BUCKETS];
    int count;
    long bytes;             /* pixels held by cached textures */
    unsigned long frame_no;
    long hits_n, misses_n;
    hit hits[MAX_HITS];
    int nhits;
    const char *drawn[MAX_DRAWN];
    int ndrawn;
    int missing;
    int large;              /* metrics computed for large text */
    const SDL_Color *pal;   /* palette of the current frame */
    int dry;                /* this pass finds targets and emits actions, but draws nothing */
    int hc;
};

/* High contrast: white and yellow on black, for low vision and glare. */
static const SDL_Color palette_hc[] = {
    [COL_BG] = {0, 0, 0, 255},             [COL_TEXT] = {255, 255, 255, 255},
    [COL_MUTED] = {0xE0, 0xE0, 0xE0, 255},  [COL_ACCENT] = {0xFF, 0xD4, 0x00, 255},
    [COL_ON_ACCENT] = {0, 0, 0, 255},       [COL_TILE] = {0x10, 0x10, 0x10, 255},
    [COL_LINE] = {255, 255, 255, 255},      [COL_MARK] = {0xFF, 0xD4, 0x00, 255},
    [COL_ON_MARK] = {0, 0, 0, 255},         [COL_WARN] = {0xFF, 0x6A, 0x3D, 255},
};

static const SDL_Color palette_std[] = {
    [COL_BG] = {0xF5, 0xF2, 0xEB, 255},     [COL_TEXT] = {0x1B, 0x1B, 0x1B, 255},
    [COL_MUTED] = {0x4A, 0x4A, 0x4A, 255},  [COL_ACCENT] = {0x0B, 0x4F, 0x9C, 255},
    [COL_ON_ACCENT] = {255, 255, 255, 255}, [COL_TILE] = {255, 255, 255, 255},
    [COL_LINE] = {0xC9, 0xC3, 0xB6, 255},   [COL_MARK] = {0xFF, 0xD9, 0x66, 255},
    [COL_ON_MARK] = {0x3A, 0x2A, 0x00, 255}, [COL_WARN] = {0x9C, 0x1B, 0x0B, 255},
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void metrics(ui *u)
{
    float mm = u->mm_config;
    if (mm <= 0) {
        /* Guess: small panels are 7" (800x480 -> 5.2 px/mm); larger ones ~21.5" full HD (4 px/mm). */
        int big = u->w > u->h ? u->w : u->h;
        mm = big <= 1024 ? 5.2f : big * 4.0f / 1920.0f;
    }
    ui_metrics *m = &u->m;
    float t = u->large ? 1.35f : 1.0f; /* large text grows the letters, not the touch targets */
    m->mm = mm;
    m->touch = (int)(15 * mm + 0.5f);
    m->pad = (int)(3 * mm + 0.5f);
    m->body = (int)(5.2f * mm * t + 0.5f);
    m->small = (int)(4.2f * mm * t + 0.5f);
    m->label = (int)(4.2f * mm + 0.5f);
    m->heading = (int)(6.2f * mm * t + 0.5f);
    m->title = (int)(7.5f * mm * t + 0.5f);
    m->header_h = m->touch + m->pad;
}

ui *ui_create(SDL_Renderer *r, text_engine *te, const char *data_dir, float px_per_mm, char *err, size_t errlen)
{
    ui *u = calloc(1, sizeof *u);
    if (!u) { snprintf(err, errlen, "out of memory"); return NULL; }
    u->r = r;
    u->te = te;
    u->mm_config = px_per_mm;
    u->pal = palette_std;
    snprintf(u->icon_dir, sizeof u->icon_dir, "%s/kiosk/ui/icons", data_dir);
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0) {
        snprintf(err, errlen, "renderer: %s", SDL_GetError());
        free(u);
        return NULL;
    }
    ui_resize(u, w, h);
    return u;
}

void ui_flush(ui *u)
{
    for (int b = 0; b < BUCKETS; b++) {
        tex_entry *e = u->buckets[b];
        while (e) {
            tex_entry *n = e->next;
            if (e->tex) SDL_DestroyTexture(e->tex);
            free(e->key);
            free(e);
            e = n;
        }
        u->buckets[b] = NULL;
    }
    u->count = 0;
    u->bytes = 0;
    u->ndrawn = 0;
}

void ui_destroy(ui *u)
{
    if (!u) return;
    ui_flush(u);
    free(u);
}

void ui_resize(ui *u, int w, int h)
{
    u->w = w;
    u->h = h;
    metrics(u);
}

/* Drop textures not used in the last frame once the cache is over its budget. */
static void cache_trim(ui *u)
{
    if (u->count <= CACHE_MAX && u->bytes <= CACHE_BYTES) return;
    for (int b = 0; b < BUCKETS; b++) {
        tex_entry **pp = &u->buckets[b];
        while (*pp) {
            tex_entry *e = *pp;
            if (e->used + 1 < u->frame_no) {
                *pp = e->next;
                if (e->tex) SDL_DestroyTexture(e->tex);
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

static void set_color(frame *f, int c)
{
    SDL_Color k = f->u->pal[c];
    SDL_SetRenderDrawColor(f->u->r, k.r, k.g, k.b, k.a);
}

void ui_fill(frame *f, rect r, int color)
{
    if (f->u->dry) return;
    rect q = ui_flip(f, r);
    SDL_Rect s = {q.x, q.y, q.w, q.h};
    set_color(f, color);
    SDL_RenderFillRect(f->u->r, &s);
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
        SDL_RenderSetClipRect(f->u->r, NULL);
        return;
    }
    rect q = ui_flip(f, *r);
    SDL_Rect s = {q.x, q.y, q.w, q.h};
    SDL_RenderSetClipRect(f->u->r, &s);
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

int ui_text(frame *f, rect r, const char *text, const text_opts *o, int draw)
{
    if (!text || !*text || r.w <= 0) return 0;
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
    char head[96];
    snprintf(head, sizeof head, "T%d|%d|%d|%d|%d|%d|%d|%d|%d|%s|", ts.size_px, ts.bold, ts.max_width, ts.max_lines, ts.dir,
             ts.dir_default, ts.align, o->color, u->hc, lang);
    size_t hl = strlen(head), tl = strlen(text);
    char stackkey[512];
    char *key = hl + tl + 1 <= sizeof stackkey ? stackkey : malloc(hl + tl + 1);
    if (!key) return 0;
    memcpy(key, head, hl);
    memcpy(key + hl, text, tl + 1);
    uint64_t h = hash_str(key);
    tex_entry *e = cache_find(u, key, h);
    if (!e && (e = cache_add(u, key, h)) != NULL) {
        text_layout *lo = text_layout_make(u->te, text, &ts);
        text_bitmap *bm = lo ? text_layout_render(u->te, lo) : NULL;
        if (bm) {
            e->tex = texture_from_a8(u->r, bm, u->pal[o->color]);
            e->x = bm->x;
            e->y = bm->y;
            e->bh = bm->h;
            e->w = bm->w;
            u->bytes += (long)e->w * e->bh * 4;
            e->h = lo->height;
            e->missing = lo->missing;
        }
        text_bitmap_free(bm);
        text_layout_free(lo);
    }
    if (key != stackkey) free(key);
    if (!e) return 0;
    if (draw && !u->dry) {
        u->missing += e->missing;
        if (u->ndrawn < MAX_DRAWN) u->drawn[u->ndrawn++] = e->key + hl;
        if (e->tex) {
            /* the bitmap is laid out in its own direction already: place it, never mirror it */
            rect q = ui_flip(f, (rect){r.x, r.y, r.w, e->h});
            SDL_Rect dst = {q.x + e->x, q.y + e->y, e->w, e->bh};
            SDL_RenderCopy(u->r, e->tex, NULL, &dst);
        }
    }
    return e->h;
}

void ui_image(frame *f, const char *key, const unsigned char *data, size_t len, rect r, int color, int mirror)
{
    ui *u = f->u;
    if (u->dry) return;
    int side = r.w < r.h ? r.w : r.h;
    char k[256];
    snprintf(k, sizeof k, "I%d|%d|%d|%s", side, color, u->hc, key);
    uint64_t h = hash_str(k);
    tex_entry *e = cache_find(u, k, h);
    if (!e && (e = cache_add(u, k, h)) != NULL && data && len) {
        SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
        SDL_Surface *s = rw ? IMG_LoadSizedSVG_RW(rw, side, side) : NULL;
        if (!s) {
            rw = SDL_RWFromConstMem(data, (int)len);
            s = rw ? IMG_Load_RW(rw, 1) : NULL;
        } else {
            SDL_RWclose(rw);
        }
        SDL_Surface *c = s ? SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
        SDL_FreeSurface(s);
        s = c;
        if (s) {
            /* pictograms are white on transparent: tint them once, here */
            SDL_Color t = u->pal[color];
            uint32_t rgb = ((uint32_t)t.r << 16) | ((uint32_t)t.g << 8) | t.b;
            for (int y = 0; y < s->h; y++) {
                uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
                for (int x = 0; x < s->w; x++) row[x] = (row[x] & 0xFF000000u) | rgb;
            }
            e->tex = SDL_CreateTextureFromSurface(u->r, s);
            e->w = side;
            e->h = e->bh = side;
            u->bytes += (long)side * side * 4;
            SDL_FreeSurface(s);
            if (e->tex) SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
        }
    }
    if (!e || !e->tex) return;
    rect q = ui_flip(f, (rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side});
    SDL_Rect dst = {q.x, q.y, side, side};
    /* the software renderer's CopyEx goes through a temporary surface even without a flip */
    if (mirror) SDL_RenderCopyEx(u->r, e->tex, NULL, &dst, 0, NULL, SDL_FLIP_HORIZONTAL);
    else SDL_RenderCopy(u->r, e->tex, NULL, &dst);
}

void ui_icon(frame *f, const char *name, rect r, int color, int mirror)
{
    ui *u = f->u;
    if (u->dry) return;
    int side = r.w < r.h ? r.w : r.h;
    char k[256];
    snprintf(k, sizeof k, "I%d|%d|%d|icon:%s", side, color, u->hc, name);
    uint64_t h = hash_str(k);
    if (!cache_find(u, k, h)) {
        /* load the file once; ui_image keys its texture the same way */
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.svg", u->icon_dir, name);
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        Sint64 len = rw ? SDL_RWsize(rw) : -1;
        unsigned char *buf = len > 0 ? malloc((size_t)len) : NULL;
        if (buf && SDL_RWread(rw, buf, 1, (size_t)len) == (size_t)len) {
            char key[128];
            snprintf(key, sizeof key, "icon:%s", name);
            ui_image(f, key, buf, (size_t)len, r, color, mirror);
            free(buf);
            SDL_RWclose(rw);
            return;
        }
        free(buf);
        if (rw) SDL_RWclose(rw);
    }
    char key[128];
    snprintf(key, sizeof key, "icon:%s", name);
    ui_image(f, key, NULL, 0, r, color, mirror);
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
    if (!u->dry) SDL_RenderCopy(u->r, e->tex, NULL, &dst);
    return e->w;
}

int ui_hit(frame *f, const char *id, rect r)
{
    ui *u = f->u;
    rect q = ui_flip(f, r);
    /* only the visible part of a target counts: rows scrolled under a keyboard or off screen */
    SDL_Rect c = {0, 0, f->w, f->h}, a = {q.x, q.y, q.w, q.h}, v;
    if (SDL_RenderIsClipEnabled(u->r)) SDL_RenderGetClipRect(u->r, &c);
    if (!SDL_IntersectRect(&a, &c, &v)) return 0;
    SDL_Rect screen = {0, 0, f->w, f->h};
    if (!SDL_IntersectRect(&v, &screen, &a)) return 0;
    q = (rect){a.x, a.y, a.w, a.h};
    if (u->nhits < MAX_HITS) {
        snprintf(u->hits[u->nhits].id, sizeof u->hits[0].id, "%s", id);
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

int ui_find(const ui *u, const char *id, int *x, int *y)
{
    for (int i = 0; i < u->nhits; i++)
        if (strcmp(u->hits[i].id, id) == 0) {
            *x = u->hits[i].r.x + u->hits[i].r.w / 2;
            *y = u->hits[i].r.y + u->hits[i].r.h / 2;
            return 0;
        }
    return -1;
}

int ui_last_missing(const ui *u) { return u->missing; }

int ui_drew_text(const ui *u, const char *needle)
{
    for (int i = 0; i < u->ndrawn; i++)
        if (strstr(u->drawn[i], needle)) return 1;
    return 0;
}

/* How each screen is drawn, in the order of enum screen (what else a screen is: app/screen.c). */
static void (*const draw_screen[])(frame *) = {
    [SCREEN_ATTRACT] = screen_attract,
    [SCREEN_CATEGORIES] = screen_categories,
    [SCREEN_LIST] = screen_list,
    [SCREEN_DETAIL] = screen_detail,
    [SCREEN_PIN] = screen_pin,
    [SCREEN_STAFF] = screen_staff,
    [SCREEN_SEARCH] = screen_search,
    [SCREEN_QUESTION] = screen_question,
    [SCREEN_MATCHES] = screen_matches,
    [SCREEN_BOOK_DAY] = screen_book_day,
    [SCREEN_BOOK_TIME] = screen_book_time,
    [SCREEN_BOOK_DETAILS] = screen_book_details,
    [SCREEN_BOOK_CONSENT] = screen_book_consent,
    [SCREEN_BOOK_DONE] = screen_book_done,
    [SCREEN_CODE] = screen_code,
};
_Static_assert(sizeof draw_screen / sizeof draw_screen[0] == SCREEN_COUNT, "a draw function per screen");

static int run_frame(ui *u, const app_state *st, const ui_input *in, action *out, int max, int dry)
{
    u->dry = dry;
    u->frame_no++;
    cache_trim(u);
    u->nhits = 0;
    u->ndrawn = 0;
    u->missing = 0;
    u->hc = st->high_contrast;
    u->pal = u->hc ? palette_hc : palette_std;
    if (st->large_text != u->large) {
        u->large = st->large_text;
        metrics(u);
    }
    frame f = {.u = u, .st = st, .in = in, .out = out, .max = max, .w = u->w, .h = u->h, .m = u->m};
    if (in->down) ui_emit(&f, ACT_TOUCH, NULL, 0);
    set_color(&f, COL_BG);
    SDL_RenderSetClipRect(u->r, NULL);
    if (!dry) SDL_RenderClear(u->r);
    assert(st->screen < SCREEN_COUNT);
    draw_screen[st->screen](&f);
    if (st->countdown > 0) screen_overlay_countdown(&f);
    SDL_RenderSetClipRect(u->r, NULL);
    u->dry = 0;
    return f.n;
}

int ui_frame(ui *u, const app_state *st, const ui_input *in, action *out, int max)
{
    return run_frame(u, st, in, out, max, 0);
}

int ui_frame_dry(ui *u, const app_state *st, const ui_input *in, action *out, int max)
{
    return run_frame(u, st, in, out, max, 1);
}
