/* Unit tests of the SVG rasters kept on the state disk (ui/raster.h): same pixels, read back,
 * a damaged file rasterised again, the folder bounded. */
#include "check.h"
#include "ui/raster.h"

#include <dirent.h>
#include "fail_readdir.h"
#include <string.h>
#include <sys/stat.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *b = malloc(1 << 16);
    *len = b ? fread(b, 1, 1 << 16, f) : 0;
    fclose(f);
    return b;
}

static int same(const SDL_Surface *a, const SDL_Surface *b)
{
    if (!a || !b || a->w != b->w || a->h != b->h || a->format->format != b->format->format) return 0;
    for (int y = 0; y < a->h; y++)
        if (memcmp((const char *)a->pixels + y * a->pitch, (const char *)b->pixels + y * b->pitch, (size_t)a->w * 4))
            return 0;
    return 1;
}

static int files(const char *dir, char *last, size_t cap)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (de->d_name[0] != '.') n++, snprintf(last, cap, "%s/%s", dir, de->d_name);
    if (d) closedir(d);
    return n;
}

/* Files in dir other than path: how many, the last of them in out. */
static int files_but(const char *dir, const char *path, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    char p[512];
    while (d && (de = readdir(d)) != NULL) {
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (de->d_name[0] != '.' && strcmp(p, path) != 0) n++, snprintf(out, cap, "%s", p);
    }
    if (d) closedir(d);
    return n;
}

static long ink(const SDL_Surface *s)
{
    long n = 0;
    for (int y = 0; s && y < s->h; y++)
        for (int x = 0; x < s->w; x++) n += ((const uint32_t *)((const char *)s->pixels + y * s->pitch))[x] >> 24 != 0;
    return n;
}

TEST(kept_and_read_back)
{
    const char *dir = "build/raster-test";
    check_sh("rm -rf %s", dir);
    size_t la = 0, lb = 0;
    unsigned char *a = slurp("content/pictograms/housing.svg", &la), *b = slurp("content/pictograms/health.svg", &lb);
    CHECK(a && b && la > 0 && lb > 0, "pictograms read");
    SDL_Surface *plain = ui_raster_svg(NULL, a, la, 120);
    CHECK(plain && plain->w == 120 && plain->h == 120 && ink(plain) > 1000, "rasterised without a folder");
    SDL_Surface *first = ui_raster_svg(dir, a, la, 120);
    char path[512] = "", other[512] = "";
    CHECK(same(plain, first), "the first raster is SDL_image's");
    CHECK(files(dir, path, sizeof path) == 1, "one file kept: %s", path);
    /* the pixels as they are, behind a 12-byte header: read without a decompressor */
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size == 12 + 120 * 120 * 4, "kept whole, %lld bytes", (long long)sb.st_size);
    SDL_Surface *again = ui_raster_svg(dir, a, la, 120);
    CHECK(same(plain, again), "read back the same pixels");
    /* proof that the file is what is read: put another pictogram's raster in its place */
    SDL_Surface *hb = ui_raster_svg(dir, b, lb, 120);
    CHECK(files_but(dir, path, other, sizeof other) == 1, "the other pictogram kept apart: %s", other);
    check_sh("cp %s %s", other, path);
    SDL_Surface *swapped = ui_raster_svg(dir, a, la, 120);
    CHECK(same(hb, swapped) && !same(plain, swapped), "the kept file is read, not the SVG");
    /* another size is another file */
    SDL_Surface *big = ui_raster_svg(dir, a, la, 200);
    CHECK(big && big->w == 200 && files(dir, other, sizeof other) == 3, "200 px kept apart");
    /* a damaged file: rasterised again and rewritten */
    check_sh("head -c 30 %s > %s.cut && mv %s.cut %s", path, path, path, path);
    SDL_Surface *fixed = ui_raster_svg(dir, a, la, 120);
    CHECK(same(plain, fixed), "a cut file is rasterised again");
    SDL_Surface *reread = ui_raster_svg(dir, a, la, 120);
    CHECK(same(plain, reread), "and kept whole again");
    SDL_FreeSurface(plain);
    SDL_FreeSurface(first);
    SDL_FreeSurface(again);
    SDL_FreeSurface(hb);
    SDL_FreeSurface(swapped);
    SDL_FreeSurface(big);
    SDL_FreeSurface(fixed);
    SDL_FreeSurface(reread);
    free(a);
    free(b);
}

/* A picture that is not an SVG is kept at the size it is drawn, whatever size it comes in. */
TEST(picture_scaled_to_side)
{
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, 640, 320, 32, SDL_PIXELFORMAT_ARGB8888);
    CHECK(src != NULL, "a 640 x 320 picture");
    if (!src) return;
    /* left half opaque white, right half transparent */
    SDL_FillRect(src, NULL, 0);
    SDL_FillRect(src, &(SDL_Rect){0, 0, 320, 320}, 0xFFFFFFFFu);
    size_t cap = 640 * 320 * 4 + 4096;
    unsigned char *buf = malloc(cap);
    SDL_RWops *rw = buf ? SDL_RWFromMem(buf, (int)cap) : NULL;
    size_t len = rw && SDL_SaveBMP_RW(src, rw, 0) == 0 ? (size_t)SDL_RWtell(rw) : 0;
    if (rw) SDL_RWclose(rw);
    CHECK(len > 640 * 320 * 4, "written as a 32-bit BMP (%zu bytes)", len);
    SDL_Surface *fit = ui_raster_picture(buf, len, 96);
    CHECK(fit && fit->w == 96 && fit->h == 96 && fit->format->format == SDL_PIXELFORMAT_ARGB8888,
          "decoded at 96 x 96 ARGB (%d x %d)", fit ? fit->w : 0, fit ? fit->h : 0);
    long n = ink(fit);
    CHECK(n > 96 * 40 && n < 96 * 56, "its left half drawn, its right half clear (%ld of %d pixels)", n, 96 * 96);
    CHECK(ui_raster_picture((const unsigned char *)"not a picture", 13, 96) == NULL, "other bytes: none");
    SDL_FreeSurface(fit);
    SDL_FreeSurface(src);
    free(buf);
}

TEST(folder_is_bounded)
{
    const char *dir = "build/raster-bound";
    check_sh("rm -rf %s && mkdir -p %s && for i in $(seq 1 %d); do : > %s/old-$i.kr; done", dir, dir, UI_RASTER_MAX_FILES, dir);
    size_t la = 0;
    unsigned char *a = slurp("content/pictograms/housing.svg", &la);
    SDL_Surface *s = ui_raster_svg(dir, a, la, 64);
    char last[512];
    CHECK(s && files(dir, last, sizeof last) == 1 && strstr(last, "-64.kr"), "full folder emptied, the new raster kept: %s", last);
    SDL_FreeSurface(s);
    s = ui_raster_svg("build/raster-bound/no/such/parent", a, la, 64);
    CHECK(s && s->w == 64, "a folder that cannot be made: rasterised all the same");
    SDL_FreeSurface(s);
    /* a folder that cannot be read to its end may be full: nothing is added to it */
    check_sh("rm -rf %s && mkdir -p %s", dir, dir);
    last[0] = 0;
    fail_readdir = 1;
    s = ui_raster_svg(dir, a, la, 64);
    fail_readdir = 0;
    CHECK(s && s->w == 64 && files(dir, last, sizeof last) == 0, "a folder that fails to list: rasterised, not kept (%s)",
          last);
    SDL_FreeSurface(s);
    free(a);
}

int main(void)
{
    RUN(kept_and_read_back);
    RUN(picture_scaled_to_side);
    RUN(folder_is_bounded);
    CHECK_DONE();
}
