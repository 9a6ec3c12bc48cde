/*
 * ui_priv.h: what ui.c (widgets, caches) offers screens.c (the screens). Not for other rooms.
 */
#ifndef KIOSK_UI_PRIV_H
#define KIOSK_UI_PRIV_H

#include "ui.h"

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

/* Mirror a rectangle for RTL layouts. */
rect ui_flip(const frame *f, rect r);
void ui_fill(frame *f, rect r, int color);
void ui_border(frame *f, rect r, int color, int thickness);
/* Draw text inside r (top-aligned, wrapped at r.w); returns the height it takes. draw=0 measures. */
int ui_text(frame *f, rect r, const char *text, const text_opts *o, int draw);
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
const char *ui_tr(const frame *f, const char *msgid);

/* Shared pieces of screens (screens.c). */
text_opts ui_opts(int size, int bold, int color, int align);
/* A button with an icon above a short label; returns 1 when tapped. */
int ui_icon_button(frame *f, const char *id, rect r, const char *icon, const char *label, int mirror);
/* A button with a pictogram only, highlighted when on. */
int ui_pict_button(frame *f, const char *id, rect r, const char *icon, int on);
int ui_access_buttons(frame *f, int y, int h, int end);
/* The header bar (back, home, access, language); returns its height. */
int ui_header(frame *f, int with_back);
/* "Not available in your language" marker at x,y; returns its height (draw=0 measures). */
int ui_fallback_mark(frame *f, int x, int y, int w, int draw);
void ui_demo_banner(frame *f, int y, int h);
/* Report the scrollable height and turn drags into scroll actions; returns the current scroll. */
float ui_scroll_input(frame *f, float max_scroll);
int ui_column_width(const frame *f);
/* Offer rows in view; meta[i] (or the town) below each, in meta_lines lines; scroll: owns the screen's scrolling. */
void ui_offer_list(frame *f, rect view, const store_offer_row *rows, int nrows, char *const *meta, int meta_lines,
                   int scroll);
/* A wide button: pictogram at the start, label beside it. Returns 1 when tapped. */
int ui_wide_button(frame *f, const char *id, rect r, const char *icon, const char *label, int color);

/* The on-screen keyboard in area (keyboard.c): layout NULL = the one chosen (st->kb_layout,
 * else the UI language's) with the row that switches scripts; or a fixed one ("digits", "code"). */
int ui_keyboard(frame *f, rect area, const char *layout);
/*
 * A screen whose content scrolls as a whole above y = bottom (buttons may stand below it):
 * ui_scroll_begin clips and returns where the content starts, moved by the scroll offset;
 * ui_scroll_end takes that start and the y below the last widget and sets how far it can scroll.
 */
int ui_scroll_begin(frame *f, int bottom);
void ui_scroll_end(frame *f, int bottom, int top, int end);
/* A booking's state (enum booking_state) in words. */
const char *ui_booking_state(frame *f, int state);

/* Screens (screens.c). */
void screen_attract(frame *f);
void screen_categories(frame *f);
void screen_list(frame *f);
void screen_detail(frame *f);
void screen_overlay_countdown(frame *f);
void screen_pin(frame *f);
void screen_staff(frame *f);
/* find.c */
void screen_search(frame *f);
void screen_question(frame *f);
void screen_matches(frame *f);
/* book.c */
void screen_book_day(frame *f);
void screen_book_time(frame *f);
void screen_book_details(frame *f);
void screen_book_consent(frame *f);
void screen_book_done(frame *f);
void screen_code(frame *f);

#endif
