/*
 * damage.h: a frame as the list of what it draws (damage.c). The drawing primitives (draw.c)
 * record into it instead of drawing; at the frame's end the list reaches the renderer, whole, or,
 * where the canvas keeps its pixels from one frame to the next, only as much of it as differs
 * from the last frame's list: a scrolled view moves the pixels it has and draws the strip that
 * came into view. The pixels are always those of the whole list drawn on a cleared frame.
 * Private to the ui room.
 */
#ifndef KIOSK_UI_DAMAGE_H
#define KIOSK_UI_DAMAGE_H

#include <SDL2/SDL.h>
#include <stdint.h>

typedef struct draw_cmd {
    SDL_Texture *tex;       /* NULL: a fill */
    uint64_t id;            /* what it draws: the texture's cache serial, or the fill's colour */
    SDL_Rect dst;           /* screen pixels */
    SDL_Rect clip;          /* where it may draw: the clip then, or the whole screen */
    unsigned char flip;     /* mirrored copy */
    unsigned char scaled;   /* texture and destination differ in size: clipping changes its pixels */
    unsigned char layer;    /* 1: drawn in the scrolled view, moved with its content */
} draw_cmd;

typedef struct draw_list {
    draw_cmd *c;
    int n, cap;
    int valid;              /* the canvas holds exactly this list's pixels */
    int broken;             /* out of memory while recording: drawn as it came */
    uint32_t bg;            /* the colour the frame is cleared to (RGBA) */
    int w, h;
    int views;              /* scrolled views seen; the shortcut takes one, -1: unusable */
    SDL_Rect view;          /* that view, screen pixels */
    int scroll;             /* how far its content is moved up, px */
} draw_list;

/* How the frames were drawn, for tests and the bench. */
enum { DRAW_FULL, DRAW_PARTIAL, DRAW_SCROLLED, DRAW_NOTHING, DRAW_KINDS };

typedef struct draw_state {
    draw_list list[2];      /* this frame's and the last one's */
    int cur;
    SDL_Renderer *r;
    SDL_Surface *canvas;    /* what r draws into when its pixels stay; NULL: redraw every frame */
    SDL_Rect clip;          /* the screens' clip (screen pixels), as they set it */
    int clip_on;
    int in_view;            /* recording inside the scrolled view */
    long counts[DRAW_KINDS];
} draw_state;

/* Start recording a frame of w x h cleared to bg (a record not ended is dropped). */
void dl_begin(draw_state *d, int w, int h, SDL_Color bg);
void dl_fill(draw_state *d, SDL_Rect dst, SDL_Color c);
/* A copy of texture t (identified by id: a new id for new pixels) to dst, mirrored when flip. */
void dl_copy(draw_state *d, SDL_Texture *t, uint64_t id, SDL_Rect dst, int flip);
/* The screens' clip (NULL: none); ending a clip ends the scrolled view. */
void dl_clip(draw_state *d, const SDL_Rect *clip);
/* Clip to view, whose content is moved up by scroll px: what follows moves with it. */
void dl_view(draw_state *d, SDL_Rect view, int scroll);
/* Draw the frame recorded: all of it, or what changed since the last one on a kept canvas. */
void dl_end(draw_state *d);
/* The canvas no longer holds the last frame's pixels (a new renderer, size, flushed textures). */
void dl_forget(draw_state *d);
void dl_free(draw_state *d);

#endif
