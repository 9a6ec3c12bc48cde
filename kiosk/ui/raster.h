/*
 * raster: SVG pictograms rasterised once per content and size, the pixels kept on the state disk;
 * other pictures (PNG) decoded at the size they are drawn.
 *
 * Rasterising a pictogram (SDL_image's nanosvg) costs about 1.5 M instructions at 1080p, and the
 * language screen alone shows fourteen: a fifth of the first frame. The rasters are the same on
 * every start with the same pack and panel, so they are kept in files named by a hash of the
 * SVG's bytes and the size, the pixels as they are (about 30 KiB a pictogram at 1080p), and a
 * start after the first reads them instead. The pixels are exactly those SDL_image makes.
 *
 * Owns the raster folder (bounded in files) and nothing else on disk; a path that does not fit
 * PATH_MAX keeps no raster (the pictogram is drawn all the same). May not touch the content.
 */
#ifndef KIOSK_UI_RASTER_H
#define KIOSK_UI_RASTER_H

#include <SDL2/SDL.h>
#include <stddef.h>

/* Files the folder may hold: past that it is emptied and refilled (old packs' pictograms). */
#define UI_RASTER_MAX_FILES 256

/*
 * The SVG in data[len] rasterised to side x side, ARGB8888, or NULL when it is not an SVG SDL_image
 * reads. dir: the cache folder (made when missing); NULL or "" rasterises without keeping. A cache
 * file that cannot be read or written is rasterised again, never an error. The caller frees.
 */
SDL_Surface *ui_raster_svg(const char *dir, const unsigned char *data, size_t len, int side);

/*
 * Another picture SDL_image reads (PNG) in data[len], decoded and scaled to side x side, ARGB8888,
 * or NULL (not a picture, SDL_image not there). Kept at the size it is drawn: a texture of the
 * picture's own size held up to 4 MiB for a 36 KiB pictogram, uncounted. Not kept on disk. The
 * caller frees.
 */
SDL_Surface *ui_raster_picture(const unsigned char *data, size_t len, int side);

#endif
