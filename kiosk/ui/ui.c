/*
 * ui.c: the widget layer: texture caches for text and pictograms, mirroring, hit regions,
 * drag/scroll gestures, and the frame entry point (see ui.h). Screens live in screens.c.
 */
#include "screens.h"
#include "platform/fmt.h"

#include <assert.h>
#include <qrencode.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
    [COL_LINE] = {0x7D, 0x77, 0x6B, 255},   [COL_MARK] = {0xFF, 0xD9, 0x66, 255},
    [COL_ON_MARK] = {0x3A, 0x2A, 0x00, 255}, [COL_WARN] = {0x9C, 0x1B, 0x0B, 255},
};

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
    u->d.r = r;
    u->te = te;
    u->mm_config = px_per_mm;
    u->pal = palette_std;
    if (fmt_fit(u->icon_dir, sizeof u->icon_dir, "%s/kiosk/ui/icons", data_dir) != 0) {
        snprintf(err, errlen, "data directory path too long for its icons");
        free(u);
        return NULL;
    }
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0) {
        snprintf(err, errlen, "renderer: %s", SDL_GetError());
        free(u);
        return NULL;
    }
    ui_resize(u, w, h);
    return u;
}

void ui_destroy(ui *u)
{
    if (!u) return;
    ui_flush(u);
    dl_free(&u->d);
    free(u);
}

void ui_set_canvas(ui *u, SDL_Renderer *r, SDL_Surface *canvas)
{
    u->r = u->d.r = r;
    u->d.canvas = canvas;
    dl_forget(&u->d);
}

_Static_assert((int)UI_DRAWN_FULL == DRAW_FULL && (int)UI_DRAWN_PART == DRAW_PARTIAL &&
                   (int)UI_DRAWN_SCROLLED == DRAW_SCROLLED && (int)UI_DRAWN_NOTHING == DRAW_NOTHING &&
                   (int)UI_DRAWN_KINDS == DRAW_KINDS,
               "ui.h names damage.h's counts");

void ui_draw_counts(const ui *u, long counts[UI_DRAWN_KINDS])
{
    for (int i = 0; i < UI_DRAWN_KINDS; i++) counts[i] = u->d.counts[i];
}

int ui_set_raster_dir(ui *u, const char *dir)
{
    return fmt_fit(u->raster_dir, sizeof u->raster_dir, "%s", dir ? dir : "");
}

void ui_resize(ui *u, int w, int h)
{
    u->w = w;
    u->h = h;
    metrics(u);
    dl_forget(&u->d);
}

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

int ui_target(const ui *u, int i, const char **id, int box[4])
{
    if (i < 0 || i >= u->nhits) return -1;
    *id = u->hits[i].id;
    const rect *r = &u->hits[i].r;
    box[0] = r->x, box[1] = r->y, box[2] = r->w, box[3] = r->h;
    return 0;
}

float ui_px_per_mm(const ui *u) { return u->m.mm; }

int ui_last_missing(const ui *u) { return u->missing; }

int ui_drew_text(const ui *u, const char *needle, int whole)
{
    for (int i = 0; i < u->ndrawn; i++)
        if (u->drawn_whole[i] >= whole && strstr(u->drawn[i], needle)) return 1;
    return 0;
}

int ui_text_box(const ui *u, const char *needle, int box[4], int *lines, int *longest)
{
    for (int i = 0; i < u->ndrawn; i++) {
        if (!strstr(u->drawn[i], needle)) continue;
        const SDL_Rect *r = &u->drawn_at[i];
        if (box) box[0] = r->x, box[1] = r->y, box[2] = r->w, box[3] = r->h;
        if (lines) *lines = u->drawn_tex[i]->nlines;
        if (longest) *longest = u->drawn_tex[i]->longest;
        return 0;
    }
    return -1;
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

int ui_frame_record(ui *u, const app_state *st, const ui_input *in, action *out, int max)
{
    u->frame_no++;
    ui_cache_trim(u);
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
    f.m.header_h = ui_header_height(&f);
    if (in->down) ui_emit(&f, ACT_TOUCH, NULL, 0);
    dl_begin(&u->d, u->w, u->h, u->pal[COL_BG]);
    assert(st->screen < SCREEN_COUNT);
    draw_screen[st->screen](&f);
    if (st->countdown > 0) screen_overlay_countdown(&f);
    dl_clip(&u->d, NULL);
    return f.n;
}

int ui_frame(ui *u, const app_state *st, const ui_input *in, action *out, int max)
{
    int n = ui_frame_record(u, st, in, out, max);
    dl_end(&u->d);
    return n;
}

void ui_frame_show(ui *u) { dl_end(&u->d); }
