/*
 * raster.c: SVG rasters kept on the state disk (raster.h).
 *
 * A file is "KRS2", width and height (uint32, host order: the file never leaves the kiosk), then
 * width x height ARGB8888 pixels as they are, read straight into the surface: decompressing
 * (zstd, "KRS1") brought zstd's decoder, some 256 KiB of code, into the first frame's resident set
 * for 14 files of 30 KiB. Its name is a 64-bit FNV-1a hash of the size and the SVG's bytes, so a
 * changed pictogram or panel never meets an old raster (of at most 256 files two share a name
 * about once in 10^14 folders; the pack is signed, so no one picks the SVGs to make them meet).
 * BLAKE2b (libsodium) brought its code and libsodium's start into the first frame.
 */
#include "raster.h"

#include "platform/fmt.h"
#include "platform/img_dl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "KRS2"
#define MAX_SIDE 4096

/* FNV-1a, 64 bits, over n bytes of p after h */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    for (const unsigned char *c = p; n--; c++) h = (h ^ *c) * 1099511628211ULL;
    return h;
}

static int cache_name(const char *dir, const unsigned char *data, size_t len, int side, char *out, size_t cap)
{
    uint32_t s = (uint32_t)side;
    uint64_t h = fnv(1469598103934665603ULL, "kiosk-raster:2:", 15);
    h = fnv(fnv(h, &s, sizeof s), data, len);
    return fmt_fit(out, cap, "%s/%016llx-%d.kr", dir, (unsigned long long)h, side);
}

/* The raster in path, or NULL when there is none or it is not whole. */
static SDL_Surface *read_raster(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    unsigned char head[12];
    SDL_Surface *s = NULL;
    if (fstat(fd, &sb) != 0 || read(fd, head, sizeof head) != (ssize_t)sizeof head || memcmp(head, MAGIC, 4) != 0)
        goto done;
    uint32_t w, h;
    memcpy(&w, head + 4, 4);
    memcpy(&h, head + 8, 4);
    if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE) goto done;
    size_t want = (size_t)w * h * 4;
    if (sb.st_size != (off_t)(sizeof head + want)) goto done;
    s = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || s->pitch != (int)w * 4 || read(fd, s->pixels, want) != (ssize_t)want) {
        SDL_FreeSurface(s);
        s = NULL;
    }
done:
    close(fd);
    return s;
}

/* Empty the folder when it holds UI_RASTER_MAX_FILES or more (so it cannot fill the disk).
 * 0, or -1 when the folder could not be read to its end: then its size is unknown and nothing is
 * added to it. */
static int bound_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0, rc = 0;
    struct dirent *de;
    while (errno = 0, (de = readdir(d)) != NULL) n += de->d_name[0] != '.';
    if (errno) rc = -1;
    if (rc == 0 && n >= UI_RASTER_MAX_FILES) {
        rewinddir(d);
        char p[PATH_MAX];
        while (errno = 0, (de = readdir(d)) != NULL)
            if (de->d_name[0] != '.' && fmt_fit(p, sizeof p, "%s/%s", dir, de->d_name) == 0) unlink(p);
        if (errno) rc = -1;
    }
    closedir(d);
    return rc;
}

/* Keep s in path: written beside it and renamed, so a reader never sees half a file. */
static void write_raster(const char *dir, const char *path, const SDL_Surface *s)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) return;
    if (bound_folder(dir) != 0) return; /* not kept: drawn all the same */
    size_t raw = (size_t)s->w * (size_t)s->h * 4;
    unsigned char *out = malloc(12 + raw);
    if (!out) return;
    for (int y = 0; y < s->h; y++)
        memcpy(out + 12 + (size_t)y * (size_t)s->w * 4, (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch,
               (size_t)s->w * 4);
    uint32_t w = (uint32_t)s->w, h = (uint32_t)s->h;
    memcpy(out, MAGIC, 4);
    memcpy(out + 4, &w, 4);
    memcpy(out + 8, &h, 4);
    char tmp[PATH_MAX];
    if (fmt_fit(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid())) goto done; /* not kept: drawn all the same */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) goto done;
    int ok = write(fd, out, 12 + raw) == (ssize_t)(12 + raw);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) unlink(tmp);
done:
    free(out);
}

SDL_Surface *ui_raster_svg(const char *dir, const unsigned char *data, size_t len, int side)
{
    if (!data || !len || side <= 0 || side > MAX_SIDE || len > INT32_MAX) return NULL;
    char path[PATH_MAX];
    int keep = dir && dir[0] && cache_name(dir, data, len, side, path, sizeof path) == 0;
    SDL_Surface *s = keep ? read_raster(path) : NULL;
    if (s) return s;
    if (!img_dl_ready()) return NULL;
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    SDL_Surface *img = rw ? IMG_LoadSizedSVG_RW(rw, side, side) : NULL;
    if (rw) SDL_RWclose(rw);
    s = img ? SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    SDL_FreeSurface(img);
    if (s && keep) write_raster(dir, path, s);
    return s;
}

SDL_Surface *ui_raster_picture(const unsigned char *data, size_t len, int side)
{
    if (side <= 0 || len > INT_MAX || !img_dl_ready()) return NULL;
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    SDL_Surface *img = rw ? IMG_Load_RW(rw, 1) : NULL;
    SDL_Surface *argb = img ? SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    SDL_FreeSurface(img);
    if (!argb || (argb->w == side && argb->h == side)) return argb;
    SDL_Surface *fit = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (fit && SDL_SoftStretchLinear(argb, NULL, fit, NULL) != 0) {
        SDL_FreeSurface(fit);
        fit = NULL;
    }
    SDL_FreeSurface(argb);
    return fit;
}
