/*
 * img_dl: SDL_image, opened on first use (dlopen). With the pictograms' rasters kept on the
 * state disk (ui/raster.h) a start needs none of it, and linked at start-up it brought libtiff,
 * libwebp, libjpeg and theirs: about 4.4 M instructions of symbol binding on every start, and
 * their pages. Callers check img_dl_ready() and then call the IMG_* names below, which go through
 * one table that is filled once and never changes afterwards.
 */
#ifndef KIOSK_IMG_DL_H
#define KIOSK_IMG_DL_H

#include <SDL2/SDL_image.h>

struct img_dl_api {
    SDL_Surface *(*load_sized_svg)(SDL_RWops *, int, int);
    SDL_Surface *(*load)(SDL_RWops *, int);
    void (*quit)(void);
    int ok;
};
extern struct img_dl_api img_dl;

/* Load SDL_image once (thread-safe). Returns 1 when it is usable, 0 when it is missing. */
int img_dl_ready(void);
/* IMG_Quit, when SDL_image was opened; at exit. */
void img_dl_quit(void);

#define IMG_LoadSizedSVG_RW img_dl.load_sized_svg
#define IMG_Load_RW img_dl.load

#endif
