/*
 * kiosk.h: what the firmware's event loop (main.c) and its script replay (replay.c) share: the
 * window, the rooms they drive, and one frame. Private to the kiosk binary.
 */
#ifndef KIOSK_KIOSK_H
#define KIOSK_KIOSK_H

#include "app/app.h"
#include "platform/input.h"
#include "sync/sync.h"
#include "text/text.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <stdint.h>

typedef struct kiosk {
    SDL_AudioDeviceID audio;
    int audio_tried;             /* audio opens on first use: it costs startup time */
    sync_ctx *sync;              /* content updates from the central store, when configured */
    int16_t *click;              /* the tap confirmation sound */
    size_t click_n;
    int click_tried;             /* made on the first tap (make_click) */
    int sounds;
    app *a;
    ui *u;
    text_engine *te;
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Surface *canvas;         /* the window's surface a software renderer draws on; NULL: accelerated */
    SDL_Texture *target;         /* the layout, drawn upright, when the panel is turned */
    int rotation;
    int w, h;                    /* logical (layout) size */
    int pw, ph;                  /* panel size */
    int resets_seen;
    const char *shots;
    const char *data_dir;        /* fonts, icons */
    struct frame_check *check;   /* replay: each frame compared with a whole redraw (replay.c) */
    int failures;
    long frames;
    input_dev touch;             /* gestures from the pointer, with the kiosk's touch tuning */
} kiosk;

/* One frame: draw state with this input, apply the actions, draw again while state changes. */
void kiosk_frame(kiosk *k, const ui_input *in);

/* A monotonic clock, ms. */
double kiosk_now_ms(void);

/*
 * Replay a script of taps, drags, waits and expectations on a simulated clock, writing
 * screenshots to k->shots (tests, bench). Returns 0 when every expectation held, 2 when the
 * script cannot be read, 3 when an expectation failed.
 */
int kiosk_replay(kiosk *k, const char *path);

#endif
