/*
 * Drawing only what changed (ui/damage.h) must not change a pixel: the real kiosk replays
 * scrolls, flings, overscroll at both ends and state changes in the middle of a scroll (a
 * language switch, large text, contrast, the idle countdown and reset) with "check-frames on",
 * which draws every frame a second time, whole, on a surface of its own and compares the two.
 * The walks must also take the shortcuts (frames scrolled by moving pixels, frames drawn in part),
 * or they would prove nothing; and the check itself must see pixels the UI did not draw.
 * Below the kiosk, the display list alone is driven through random scenes on two surfaces, one
 * keeping its pixels, one drawn whole, with what the screens cannot easily show: ink of a fixed
 * title reaching into the view, mirrored and scaled copies, jumps longer than the view.
 * Usage: test_damage BUILD_DIR (the kiosk, kiosk-pack and content/demo.db live there).
 */
#include "check.h"
#include "ui/damage.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *build;
static char dir[300];

/* The counts of the walk's last "check-frames off" line. */
typedef struct counts {
    long checked, differ, full, part, scrolled, nothing;
} counts;

/* Replay script in the kiosk with args; returns its exit status and the counts it printed. */
static int walk(const char *name, const char *args, const char *script, counts *c)
{
    char path[400], log[400], cmd[2048];
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    snprintf(log, sizeof log, "%s/%s.log", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(script, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy %s/kiosk %s --script %s --shots %s > %s 2>&1",
             build, args, path, dir, log);
    int rc = system(cmd);
    memset(c, 0, sizeof *c);
    f = fopen(log, "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, "frames_differ=") && strstr(line, "frames_checked="))
            sscanf(line, "frames_checked=%ld frames_differ=%ld drawn_full=%ld drawn_part=%ld drawn_scrolled=%ld drawn_nothing=%ld",
                   &c->checked, &c->differ, &c->full, &c->part, &c->scrolled, &c->nothing);
        else if (rc != 0) fputs(line, stdout); /* why the walk failed */
    }
    if (f) fclose(f);
    return rc;
}

/* Drags of many lengths and speeds: a few pixels, part of a row, a screen, flings that run into
 * either end and drags on past it, a press that stops a fling. */
static const char scrolls[] =
    "drag 0.5 0.70 0.5 0.66 200\n"    /* a little past the slop */
    "drag 0.5 0.70 0.5 0.62 300\n"
    "drag 0.5 0.80 0.5 0.30 400\n"
    "drag 0.5 0.30 0.5 0.90 400\n"      /* back over the top: overscroll at the start */
    "drag 0.5 0.85 0.5 0.15 60\n"       /* a fling */
    "wait 200\n"
    "tap 5 400\n"                         /* a press beside the rows stops it */
    "drag 0.5 0.90 0.5 0.10 40\n"
    "wait 4000\n"
    "drag 0.5 0.90 0.5 0.10 40\n"
    "wait 4000\n"
    "drag 0.5 0.90 0.5 0.10 40\n"
    "wait 6000\n"                         /* into the end */
    "drag 0.5 0.80 0.5 0.20 200\n"      /* and on past it */
    "drag 0.5 0.20 0.5 0.23 300\n"
    "drag 0.5 0.15 0.5 0.95 50\n"       /* a fling back up */
    "wait 1500\n";

TEST(arabic_list_scrolls_as_a_whole_redraw_draws_it)
{
    char script[4096], args[600];
    snprintf(script, sizeof script,
             "tap cat:language\ncheck-frames on\n%s"
             /* large text and contrast while it moves, then a language switch mid-fling */
             "drag 0.5 0.8 0.5 0.4 100\ntap large-text\nwait 300\ndrag 0.5 0.8 0.5 0.4 100\nwait 300\n"
             "tap large-text\ntap contrast\ndrag 0.5 0.8 0.5 0.4 60\nwait 300\ntap contrast\n"
             "drag 0.5 0.9 0.5 0.1 50\nwait 100\ntap languages\ntap lang:de\ntap cat:language\n%s"
             "check-frames off\n",
             scrolls, scrolls);
    snprintf(args, sizeof args, "--content %s/list.db --size 1920x1080 --lang ar", dir);
    counts c;
    int rc = walk("ar-list", args, script, &c);
    CHECK(rc == 0 && c.checked > 300 && c.differ == 0, "every frame as a whole redraw draws it: exit %d, %ld of %ld differ", rc,
          c.differ, c.checked);
    CHECK(c.scrolled > 200, "the scrolls moved pixels: %ld frames", c.scrolled);
    CHECK(c.full > 0 && c.nothing > 0, "and other frames were drawn whole (%ld) or not at all (%ld)", c.full, c.nothing);
}

TEST(small_panel_scrolls_and_resets_as_a_whole_redraw_draws_it)
{
    /* German on a 7" panel: the topics, a list, an offer's page; then the idle countdown comes
     * over a scrolled list, a drag under it, and the reset to the language screen */
    char script[4096], args[600];
    snprintf(script, sizeof script,
             "tap lang:de\ncheck-frames on\n"
             "drag 0.5 0.8 0.5 0.3 300\nwait 1500\ndrag 0.5 0.3 0.5 0.9 100\nwait 1500\n"
             "tap cat:language\n"
             "tap row:0\ndrag 0.5 0.8 0.5 0.3 250\nwait 800\ndrag 0.5 0.3 0.5 0.9 60\nwait 800\ntap back\n%s"
             "drag 0.5 0.8 0.5 0.3 250\nwait 8000\ndrag 0.5 0.8 0.5 0.6 250\nwait 14000\n"
             "check-frames off\n",
             scrolls);
    snprintf(args, sizeof args, "--content %s/list.db --size 800x480 --idle 15", dir);
    counts c;
    int rc = walk("de-small", args, script, &c);
    CHECK(rc == 0 && c.checked > 300 && c.differ == 0, "every frame as a whole redraw draws it: exit %d, %ld of %ld differ", rc,
          c.differ, c.checked);
    CHECK(c.scrolled > 150 && c.part > 0, "scrolls moved pixels (%ld frames), the countdown drew in part (%ld)", c.scrolled, c.part);
}

TEST(tigrinya_and_urdu_lists_as_a_whole_redraw_draws_them)
{
    char script[4096], args[600];
    snprintf(script, sizeof script,
             "tap lang:ti\ntap cat:language\ncheck-frames on\n%s"
             "tap languages\ntap lang:ur\ntap cat:language\n%scheck-frames off\n",
             scrolls, scrolls);
    snprintf(args, sizeof args, "--content %s/list.db --size 1080x1920", dir);
    counts c;
    int rc = walk("ti-ur-tall", args, script, &c);
    CHECK(rc == 0 && c.checked > 200 && c.differ == 0, "every frame as a whole redraw draws it: exit %d, %ld of %ld differ", rc,
          c.differ, c.checked);
    CHECK(c.scrolled > 100, "the scrolls moved pixels: %ld frames", c.scrolled);
}

TEST(the_check_sees_pixels_the_ui_did_not_draw)
{
    /* paint on the canvas behind the UI's back; a scroll moves those pixels with the rest, so
     * the frames after it differ from a whole redraw, and the walk fails */
    char args[600];
    snprintf(args, sizeof args, "--content %s/list.db --size 1920x1080 --lang ar", dir);
    counts c;
    int rc = walk("scribble", args, "tap cat:language\ncheck-frames on\nscribble\ndrag 0.5 0.8 0.5 0.6 200\ncheck-frames off\n", &c);
    CHECK(rc != 0 && c.differ > 0 && c.scrolled > 0, "stale pixels are seen: exit %d, %ld of %ld frames differ", rc, c.differ,
          c.checked);
}

/* ---------- the display list alone ---------- */

enum { W = 320, H = 240, VIEW_Y = 40, ROW = 37, ROWS = 40, NTEX = 4 };

typedef struct scene {
    int scroll, tall_title, overlay, variant, flip_row, scaled_row, bg;
} scene;

static uint32_t rnd_state = 12345;
static int rnd(int n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (int)((rnd_state >> 16) % (unsigned)n);
}

/* Textures with soft alpha edges, like glyphs, the same pixels on either renderer. */
static void make_textures(SDL_Renderer *r, SDL_Texture *t[NTEX + 1])
{
    for (int k = 0; k <= NTEX; k++) {
        int w = 40 + 13 * k, h = k == NTEX ? 34 : 18 + 3 * k; /* the last: a tall title */
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                uint32_t a = (uint32_t)((x * 7 + y * 13 + k * 31) % 256);
                ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x] = a << 24 | (uint32_t)(40 * k) << 16 | (uint32_t)(x * 3) << 8 | (uint32_t)y;
            }
        t[k] = SDL_CreateTextureFromSurface(r, s);
        SDL_SetTextureBlendMode(t[k], SDL_BLENDMODE_BLEND);
        SDL_FreeSurface(s);
    }
}

static void draw_scene(draw_state *d, SDL_Texture *t[NTEX + 1], const scene *sc)
{
    static const SDL_Color bgs[] = {{245, 242, 235, 255}, {0, 0, 0, 255}};
    dl_begin(d, W, H, bgs[sc->bg]);
    dl_fill(d, (SDL_Rect){0, 0, W, 30}, (SDL_Color){11, 79, 156, 255});
    /* a title whose ink hangs into the view, as Nastaliq does */
    dl_copy(d, t[NTEX], 100 + NTEX, (SDL_Rect){10, sc->tall_title ? 20 : 2, 40 + 13 * NTEX, 34}, 0);
    dl_view(d, (SDL_Rect){0, VIEW_Y, W, H - VIEW_Y}, sc->scroll);
    for (int i = 0; i < ROWS; i++) {
        int y = VIEW_Y + i * ROW - sc->scroll;
        if (y > H || y + ROW < VIEW_Y) continue;
        Uint8 c = (Uint8)(255 - (i == 3 ? sc->variant * 40 : 0));
        dl_fill(d, (SDL_Rect){5, y, W - 10, ROW - 4}, (SDL_Color){c, 255, 255, 255});
        dl_fill(d, (SDL_Rect){5, y, W - 10, 2}, (SDL_Color){125, 119, 107, 255});
        int k = i % NTEX, tw = 40 + 13 * k, th = 18 + 3 * k;
        int scaled = i == 5 && sc->scaled_row;
        dl_copy(d, t[k], 100 + (uint64_t)k, (SDL_Rect){8 + i % 5, y + 3, scaled ? tw * 3 / 2 : tw, scaled ? th * 3 / 2 : th},
                i == 2 && sc->flip_row);
    }
    dl_clip(d, NULL);
    if (sc->overlay) {
        dl_fill(d, (SDL_Rect){0, H - 30, W, 30}, (SDL_Color){156, 27, 11, 255});
        dl_copy(d, t[1], 101, (SDL_Rect){W / 2 - 26, H - 26, 53, 21}, 0);
    }
    dl_end(d);
    SDL_RenderFlush(d->r);
}

static long differing(const SDL_Surface *a, const SDL_Surface *b)
{
    long n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint32_t pa = ((const uint32_t *)((const uint8_t *)a->pixels + y * a->pitch))[x] & 0xFFFFFF;
            uint32_t pb = ((const uint32_t *)((const uint8_t *)b->pixels + y * b->pitch))[x] & 0xFFFFFF;
            n += pa != pb;
        }
    return n;
}

TEST(random_scenes_draw_as_a_whole_redraw_draws_them)
{
    SDL_Surface *ka = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *kb = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    draw_state a = {.r = SDL_CreateSoftwareRenderer(ka), .canvas = ka}, b = {.r = SDL_CreateSoftwareRenderer(kb)};
    SDL_Texture *ta[NTEX + 1], *tb[NTEX + 1];
    make_textures(a.r, ta);
    make_textures(b.r, tb);
    scene sc = {0};
    int max = ROWS * ROW - (H - VIEW_Y);
    long bad_frames = 0, first_bad = -1, kinds[DRAW_KINDS] = {0};
    for (int frame = 0; frame < 3000; frame++) {
        int what = rnd(100);
        if (what < 70) {
            /* a step of a drag or a fling, a few a jump past the view's height, clamped at the ends */
            int dy = rnd(10) == 0 ? rnd(2 * H) - H : rnd(81) - 40;
            sc.scroll += dy;
            if (sc.scroll < 0) sc.scroll = 0;
            if (sc.scroll > max) sc.scroll = max;
        } else if (what < 78) sc.tall_title = !sc.tall_title;
        else if (what < 84) sc.overlay = !sc.overlay;
        else if (what < 90) sc.variant = rnd(3);
        else if (what < 94) sc.flip_row = !sc.flip_row;
        else if (what < 97) sc.scaled_row = !sc.scaled_row;
        else if (what < 98) sc.bg = !sc.bg;
        /* else: the same scene again */
        long before[DRAW_KINDS];
        memcpy(before, a.counts, sizeof before);
        draw_scene(&a, ta, &sc);
        draw_scene(&b, tb, &sc);
        for (int k = 0; k < DRAW_KINDS; k++) kinds[k] += a.counts[k] - before[k];
        if (differing(ka, kb) && !bad_frames++) first_bad = frame;
    }
    CHECK(bad_frames == 0, "every frame as a whole redraw draws it: %ld differ, the first frame %ld", bad_frames, first_bad);
    CHECK(kinds[DRAW_SCROLLED] > 1000 && kinds[DRAW_PARTIAL] > 50 && kinds[DRAW_FULL] > 50 && kinds[DRAW_NOTHING] > 50,
          "every way of drawing was taken: %ld scrolled, %ld in part, %ld whole, %ld not at all", kinds[DRAW_SCROLLED],
          kinds[DRAW_PARTIAL], kinds[DRAW_FULL], kinds[DRAW_NOTHING]);
    CHECK(b.counts[DRAW_FULL] == 3000, "without a kept canvas every frame is drawn whole (%ld)", b.counts[DRAW_FULL]);
    for (int k = 0; k <= NTEX; k++) {
        SDL_DestroyTexture(ta[k]);
        SDL_DestroyTexture(tb[k]);
    }
    dl_free(&a);
    dl_free(&b);
    SDL_DestroyRenderer(a.r);
    SDL_DestroyRenderer(b.r);
    SDL_FreeSurface(ka);
    SDL_FreeSurface(kb);
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    snprintf(dir, sizeof dir, "%s/damage", build);
    mkdir(dir, 0755);
    RUN(random_scenes_draw_as_a_whole_redraw_draws_them);
    /* a few hundred offers in 16 languages: lists that take many screens to scroll */
    int rc = check_sh("%s/kiosk-pack synth %s/list.db 500 16 content/pictograms > /dev/null && rm -f %s/list.db.local*", build,
                      dir, dir);
    CHECK(rc == 0, "a synthetic pack is made");
    if (rc == 0) {
        RUN(arabic_list_scrolls_as_a_whole_redraw_draws_it);
        RUN(small_panel_scrolls_and_resets_as_a_whole_redraw_draws_it);
        RUN(tigrinya_and_urdu_lists_as_a_whole_redraw_draws_them);
        RUN(the_check_sees_pixels_the_ui_did_not_draw);
    }
    CHECK_DONE();
}
