/*
 * widgets.h: the pieces screens are made of (widgets.c, keyboard.c): buttons, the header,
 * markers, lists, scrolling, the on-screen keyboard. Built on draw.h only; private to ui.
 */
#ifndef KIOSK_UI_WIDGETS_H
#define KIOSK_UI_WIDGETS_H

#include "draw.h"

text_opts ui_opts(int size, int bold, int color, int align);
/* A button with an icon above a short label; returns 1 when tapped. */
int ui_icon_button(frame *f, const char *id, rect r, const char *icon, const char *label, int mirror);
/* A button with a pictogram only, highlighted when on. */
int ui_pict_button(frame *f, const char *id, rect r, const char *icon, const char *label, int on);
int ui_access_buttons(frame *f, int y, int h, int end);
/* The header bar (back, home, access, language); returns its height. */
int ui_header(frame *f, int with_back);
/* How tall the header bar must be for its labels in the reader's script: 15 mm buttons, taller
 * where the labels' ink (Nastaliq) leaves a pictogram under 7 mm. ui.c sets m.header_h to it. */
int ui_header_height(frame *f);
/* A line of small text on a marker colour at x,y, w wide; returns its height (draw=0 measures). */
int ui_notice(frame *f, int x, int y, int w, const char *text, int draw);
/* The "Not available in your language" notice. */
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
/* The height ui_keyboard takes when given max_h: more when its keys would be under 10 mm. */
int ui_keyboard_height(const frame *f, const char *layout, int max_h);

/*
 * A screen whose content scrolls as a whole above y = bottom (buttons may stand below it):
 * ui_scroll_begin clips and returns where the content starts, moved by the scroll offset;
 * ui_scroll_end takes that start and the y below the last widget and sets how far it can scroll.
 */
int ui_scroll_begin(frame *f, int bottom);
void ui_scroll_end(frame *f, int bottom, int top, int end);
/* A booking's state (enum booking_state) in words. */
const char *ui_booking_state(frame *f, int state);
/* A plain button with a text label in colour color on background bg; returns 1 when tapped. */
int ui_text_button(frame *f, const char *id, rect r, const char *label, int color, int text_color);

#endif
