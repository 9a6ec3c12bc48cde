/*
 * draw.h: the UI's drawing primitives and what they share (draw.c): rectangles, metrics,
 * colours, the frame a screen draws into, text and picture caches, touch targets. The lowest
 * layer of the UI: widgets are built on it, screens on widgets, ui.c drives the frame. Private
 * to the ui room.
 */
#ifndef KIOSK_UI_DRAW_H
#define KIOSK_UI_DRAW_H

#include "damage.h"
#include "ui.h"

#include <stdint.h>

typedef struct rect {
    int x, y, w, h;
} rect;

typedef struct ui_metrics {
    float mm;       /* px per mm */
    int touch;      /* minimum touch target, 15 mm */
    int pad;
    int body, small, heading, title; /* font sizes, px */
    int label;      /* button captions: they keep their size in large-text mode so icons keep theirs */
    int header_h;
} ui_metrics;

enum { COL_BG, COL_TEXT, COL_MUTED, COL_ACCENT, COL_ON_ACCENT, COL_TILE, COL_LINE, COL_MARK, COL_ON_MARK, COL_WARN };

typedef struct text_opts {
    int size;
    int bold;
    int color;
    int align;      /* enum text_align */
    int max_lines;
    int ui_dir;     /* lay out in the UI's direction (labels) rather than the text's own (content) */
    const char *lang;
} text_opts;

/* Frame context used by screens. */
typedef struct frame {
    ui *u;
    const app_state *st;
    const ui_input *in;
    action *out;
    int max, n;
    int w, h;
    ui_metrics m;
    int no_mirror;  /* draw in screen coordinates also in RTL (keyboards are physical layouts) */
} frame;

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
    int truncated;          /* text cut short with an ellipsis */
    int ink_top, ink_bot;   /* rows of ink, px from the top of the text box (may lie outside it) */
    int nlines, longest;    /* lines of the layout, characters (UTF-16 units) on its longest */
    text_layout *lo;        /* a text only measured so far: rendered (and freed) when first drawn */
    unsigned long used;     /* frame number of last use */
    uint64_t serial;        /* which entry this is, never reused: the display list names pixels by it */
} tex_entry;

typedef struct hit {
    char id[96];
    rect r;                 /* screen coordinates (after mirroring) */
} hit;

struct ui {
    SDL_Renderer *r;
    draw_state d;           /* the frame's display list and the canvas it reaches (damage.h) */
    uint64_t serial;        /* the last cache entry's */
    text_engine *te;
    char icon_dir[1024];
    char raster_dir[1024];  /* where SVG rasters are kept (raster.h); empty: nowhere */
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
    char drawn_whole[MAX_DRAWN];  /* 1: the text was wholly inside the screen and the clip; 2: and not cut short */
    SDL_Rect drawn_at[MAX_DRAWN]; /* where its bitmap went, screen coordinates */
    const tex_entry *drawn_tex[MAX_DRAWN];
    int ndrawn;
    int missing;
    int large;              /* metrics computed for large text */
    const SDL_Color *pal;   /* palette of the current frame */
    /* measurements widgets.c keeps between frames: they only change with the language or list */
    struct label_band_cache {
        const void *catalog;
        char lang[12];
        int size, w, top, bottom;
    } band[2];
    struct row_lines_cache {
        const void *rows, *first_id;
        int nrows, body, small;
        char lang[12];
        int name, name_head, provider, summary;
        long total_marked;      /* rows that carry the fallback marker */
    } row_lines;
    int hc;
};

/* Mirror a rectangle for RTL layouts. */
rect ui_flip(const frame *f, rect r);
void ui_fill(frame *f, rect r, int color);
void ui_border(frame *f, rect r, int color, int thickness);
/* Draw text inside r (top-aligned, wrapped at r.w); returns the height it takes. draw=0 measures. */
int ui_text(frame *f, rect r, const char *text, const text_opts *o, int draw);
/* Whether text, laid out as ui_text would, is cut short (more lines than o->max_lines); no pixels. */
int ui_text_cut(frame *f, rect r, const char *text, const text_opts *o);
/* What ui_text gives one line of a few letters at o (text_line_height: from font metrics, no
 * shaping or glyphs, nothing cached), for sizing a line before knowing its text. */
int ui_line_height(frame *f, const char *letters, const text_opts *o);
/* Measure text as ui_text does and say where its ink lies: *top and *bottom in px from the top
 * of its box; tall scripts (Nastaliq) may ink above it (top < 0) or below its height; *cut: it
 * did not fit o->max_lines and ends in an ellipsis. Returns the height, 0 for no text (then all
 * are 0). */
int ui_text_ink(frame *f, rect r, const char *text, const text_opts *o, int *top, int *bottom, int *cut);
/* An SVG/PNG pictogram from bytes (key names it in the cache), fitted into r and tinted. */
void ui_image(frame *f, const char *key, const unsigned char *data, size_t len, rect r, int color, int mirror);
/* A UI icon from kiosk/ui/icons/<name>.svg. */
void ui_icon(frame *f, const char *name, rect r, int color, int mirror);
/* A QR code of text (dark on white with its quiet zone) centred in r; returns its side, 0 on error. */
int ui_qr(frame *f, const char *text, rect r);
/* Register a touch target; returns 1 when this frame's tap hit it. */
int ui_hit(frame *f, const char *id, rect r);
void ui_emit(frame *f, int kind, const char *arg, float value);
void ui_clip(frame *f, const rect *r);
/* Clip to view, a region whose content is drawn moved up by scroll px: drawing the frame after
 * a scroll can move the pixels there instead of drawing them again. ui_clip(f, NULL) ends it. */
void ui_scroll_clip(frame *f, const rect *view, float scroll);
const char *ui_tr(const frame *f, const char *msgid);

/* Drop textures not used in the last frame once the cache is over its budget (once a frame). */
void ui_cache_trim(ui *u);

#endif
