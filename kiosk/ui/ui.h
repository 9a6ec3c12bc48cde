/*
 * ui: screens and widgets, immediate mode. ui_frame() draws the whole screen as a function of
 * app_state and, from this frame's pointer input, returns what the person asked for as actions.
 * Right-to-left languages mirror the layout: screens are written in left-to-right coordinates
 * and every rectangle is flipped on its way to the renderer and the hit tests.
 *
 * Text and pictograms are cached as textures, so an unchanged frame costs a few blits. A frame
 * is recorded as a list of what it draws (damage.h) and reaches the renderer at its end: whole,
 * or, on a canvas that keeps its pixels, only what differs from the last frame's list.
 */
#ifndef KIOSK_UI_H
#define KIOSK_UI_H

#include "app/state.h"
#include "platform/input.h"
#include "text/text.h"

#include <SDL2/SDL.h>

typedef struct ui ui;

/* Pointer input gathered since the last frame (platform/input.h recognises it). */
typedef input_gesture ui_input;

/*
 * Create the UI on a renderer. data_dir holds kiosk/ui/icons. px_per_mm sizes touch targets
 * (15 mm) and text; 0 guesses from the screen size. Returns NULL with a message in err.
 */
ui *ui_create(SDL_Renderer *r, text_engine *te, const char *data_dir, float px_per_mm, char *err, size_t errlen);
void ui_destroy(ui *u);

/*
 * The surface the renderer draws into, when its pixels stay from one frame to the next (a
 * software renderer made on it with SDL_CreateSoftwareRenderer): frames then draw only what
 * changed, and a scrolled view moves the pixels it has and draws the strip that came into view.
 * NULL (the default): every frame is drawn whole (an accelerated renderer's back buffer is lost
 * at each present). r: the renderer to draw with from now on; when it is a new one, call
 * ui_flush before destroying the old (the cached textures are the old one's).
 */
void ui_set_canvas(ui *u, SDL_Renderer *r, SDL_Surface *canvas);

/* How many frames were drawn whole, in part (a box around what changed), scrolled (pixels
 * moved, a strip drawn), or not at all (nothing changed), since the UI was created. */
enum { UI_DRAWN_FULL, UI_DRAWN_PART, UI_DRAWN_SCROLLED, UI_DRAWN_NOTHING, UI_DRAWN_KINDS };
void ui_draw_counts(const ui *u, long counts[UI_DRAWN_KINDS]);

/* Keep SVG rasters in dir (on the state disk, raster.h) so later starts need not rasterise
 * them again; NULL or "" (the default) keeps none. Returns 0, or -1 when dir is too long (then
 * none are kept). */
int ui_set_raster_dir(ui *u, const char *dir);

/* Tell the UI the output size changed (rotation, window). */
void ui_resize(ui *u, int w, int h);

/*
 * Draw one frame of state st with this frame's input; fills up to max actions, returns their
 * count. The caller presents the renderer.
 */
int ui_frame(ui *u, const app_state *st, const ui_input *in, action *out, int max);

/*
 * The same frame, recorded but not yet drawn: touch targets are found, actions emitted, and
 * what the frame would draw is kept until ui_frame_show draws it. A frame loop applies the
 * actions and, while they change the state (a drag scrolls, a tap opens a screen), records
 * again: the last record, whose actions changed nothing, is the frame shown, so no state is
 * laid out twice and none drawn twice (the software renderer spends most of a frame on pixels).
 * A record not shown is dropped by the next one.
 */
int ui_frame_record(ui *u, const app_state *st, const ui_input *in, action *out, int max);

/* Draw the frame last recorded (after ui_frame_record, with no other frame between). */
void ui_frame_show(ui *u);

/* Centre of the widget named id in the last frame (for scripted taps). 0 if found. */
int ui_find(const ui *u, const char *id, int *x, int *y);

/* The i-th touch target of the last frame: its id and box in screen pixels. 0, or -1 past the last. */
int ui_target(const ui *u, int i, const char **id, int box[4]);

/* The panel density the UI sizes by (configured or guessed), px per mm. */
float ui_px_per_mm(const ui *u);

/* Glyphs without a font drawn in the last frame (tofu): 0 on a good screen. */
int ui_last_missing(const ui *u);

/* Whether the last frame drew a text containing needle (UTF-8); whole 1: wholly in view, not
 * clipped and not beyond the screen's edge; 2: that, and not cut short with an ellipsis. For tests. */
int ui_drew_text(const ui *u, const char *needle, int whole);

/* Where the last frame drew the first text containing needle: its bitmap's box in screen
 * pixels, its lines and the characters on its longest line (any may be NULL). 0 if found. For
 * tests that measure layout. */
int ui_text_box(const ui *u, const char *needle, int box[4], int *lines, int *longest);

/* The forms of an Ethiopic consonant (its first-order syllable cp) the keyboard offers: the
 * vowel orders, then the labialised ones, read from Unicode names (ICU). Fills out[0..13),
 * returns how many (0 for anything else). */
int ui_ethiopic_forms(unsigned cp, unsigned out[]);

/* The keyboard layout that suits a UI language ("de", "ar", "fa", "ethi", ... else "latin"). */
const char *ui_keyboard_for_lang(const char *lang);

/* The letter keys (UTF-8 captions) of row `row` of a layout ("de", "code", ...) into keys, at
 * most max; how many (0 past the last row or for an unknown layout). For tests. */
int ui_keyboard_keys(const char *layout, int row, char keys[][8], int max);

/* Texture cache counters, for the bench. */
void ui_cache_stats(const ui *u, long *hits, long *misses);

/* Forget every texture (language change keeps the cache; session reset drops names etc.). */
void ui_flush(ui *u);

#endif
