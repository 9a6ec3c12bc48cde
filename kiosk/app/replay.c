/*
 * replay.c: the kiosk's script harness (kiosk.h). Taps, holds and drags go through the same
 * gesture recogniser as a finger; time is simulated so walks and benches repeat exactly; the
 * bench commands print figures. Tests and `make bench` drive the firmware only through this.
 */
#include "app/kiosk.h"
#include "platform/fmt.h"

#include <errno.h>
#include <limits.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Rows of an ARGB8888 surface into an open libpng writer (after its setjmp). */
static void png_rows(png_structp png, const SDL_Surface *s, uint8_t *row)
{
    for (int y = 0; y < s->h; y++) {
        const uint32_t *p = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++) {
            row[3 * x] = (uint8_t)(p[x] >> 16);
            row[3 * x + 1] = (uint8_t)(p[x] >> 8);
            row[3 * x + 2] = (uint8_t)p[x];
        }
        png_write_row(png, row);
    }
}

/*
 * A screenshot as an RGB PNG, compressed for speed rather than size (zlib level 1, the Sub
 * filter only): make test writes some 200 of them, and SDL_image's defaults take about 120 ms
 * for one 1920x1080 screen.
 */
static int write_png(const char *path, const SDL_Surface *s)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) return -1;
    uint8_t *row = malloc((size_t)s->w * 3);
    png_structp png = row ? png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL) : NULL;
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        return -1;
    }
    png_init_io(png, fp);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_rows(png, s, row);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(fp) == 0 ? 0 : -1;
}

static int save_shot(kiosk *k, const char *name)
{
    char path[PATH_MAX]; /* the longest path open() takes */
    if (fmt_fit(path, sizeof path, "%s/%s.png", k->shots ? k->shots : ".", name) != 0) {
        fprintf(stderr, "kiosk: shot %.64s: the --shots path is too long\n", name);
        return -1;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, k->w, k->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return -1;
    ui_input none = {0};
    action acts[16];
    /* the layout as drawn, upright, whatever the panel's mounting */
    if (k->target) SDL_SetRenderTarget(k->r, k->target);
    ui_frame(k->u, app_get_state(k->a), &none, acts, 16);
    errno = 0;
    int rc = SDL_RenderReadPixels(k->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (k->target) SDL_SetRenderTarget(k->r, NULL);
    if (rc == 0) rc = write_png(path, s);
    SDL_FreeSurface(s);
    if (rc != 0) fprintf(stderr, "kiosk: cannot write %s: %s\n", path, errno ? strerror(errno) : SDL_GetError());
    return rc;
}

static const char *screen_name(enum screen s) { return screen_info_of(s)->name; }

/*
 * "check-frames on": every frame from then on is drawn a second time, whole, by a UI of its own
 * on a surface of its own, and the two sets of pixels compared: the shortcuts of the display
 * list (ui_set_canvas) must not change a pixel. "check-frames off" reports and fails the script
 * when any frame differed.
 */
struct frame_check {
    SDL_Surface *s;
    SDL_Renderer *r;
    ui *u;
    long frames, differ;
    long drawn0[UI_DRAWN_KINDS];
    char first[256];
};

static void check_stop(kiosk *k)
{
    struct frame_check *c = k->check;
    if (!c) return;
    ui_destroy(c->u);
    if (c->r) SDL_DestroyRenderer(c->r);
    SDL_FreeSurface(c->s);
    free(c);
    k->check = NULL;
}

static int check_start(kiosk *k, char *err, size_t errlen)
{
    if (!k->canvas || k->target) {
        snprintf(err, errlen, "frames are checked on an upright panel with the software renderer");
        return -1;
    }
    struct frame_check *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errlen, "out of memory"); return -1; }
    k->check = c;
    c->s = SDL_CreateRGBSurfaceWithFormat(0, k->w, k->h, 32, k->canvas->format->format);
    c->r = c->s ? SDL_CreateSoftwareRenderer(c->s) : NULL;
    c->u = c->r ? ui_create(c->r, k->te, k->data_dir ? k->data_dir : ".", ui_px_per_mm(k->u), err, errlen) : NULL;
    if (!c->u) {
        if (!c->r) snprintf(err, errlen, "%s", SDL_GetError());
        check_stop(k);
        return -1;
    }
    ui_draw_counts(k->u, c->drawn0);
    return 0;
}

/* Draw the state as it is now, whole, on the check's surface and compare it with the canvas. */
static void check_frame(kiosk *k)
{
    struct frame_check *c = k->check;
    ui_input none = {0};
    action acts[16];
    ui_frame(c->u, app_get_state(k->a), &none, acts, 16);
    SDL_RenderFlush(c->r);
    SDL_RenderFlush(k->r);
    c->frames++;
    const SDL_Surface *a = k->canvas, *b = c->s;
    size_t row = (size_t)a->w * a->format->BytesPerPixel;
    for (int y = 0; y < a->h; y++) {
        const uint8_t *pa = (const uint8_t *)a->pixels + (size_t)y * (size_t)a->pitch;
        const uint8_t *pb = (const uint8_t *)b->pixels + (size_t)y * (size_t)b->pitch;
        if (!memcmp(pa, pb, row)) continue;
        /* the unused byte of a 32-bit format without alpha does not count */
        uint32_t mask = a->format->Rmask | a->format->Gmask | a->format->Bmask | a->format->Amask;
        for (int x = 0; a->format->BytesPerPixel == 4 && x < a->w; x++) {
            uint32_t va = ((const uint32_t *)pa)[x] & mask, vb = ((const uint32_t *)pb)[x] & mask;
            if (va == vb) continue;
            if (!c->differ++)
                snprintf(c->first, sizeof c->first, "frame %ld (%s screen) differs first at x=%d y=%d: %06x, whole %06x",
                         c->frames, screen_name(app_get_state(k->a)->screen), x, y, (unsigned)va, (unsigned)vb);
            return;
        }
        if (a->format->BytesPerPixel != 4 && !c->differ++)
            snprintf(c->first, sizeof c->first, "frame %ld differs at row %d", c->frames, y);
        if (a->format->BytesPerPixel != 4) return;
    }
}

/* One frame of the replay (kiosk_frame), checked when asked. */
static void frame(kiosk *k, const ui_input *in)
{
    kiosk_frame(k, in);
    if (k->check) check_frame(k);
}

/* CPU time of the calling thread, ms. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Background work a script waits for with "settle": a PIN or pack check, a look at the media, a booking call. */
static int busy(const app_state *st)
{
    return st->pin_checking || st->staff_busy || st->staff_scanning || st->staff_listing || st->staff_exporting ||
           st->book_state == BOOK_LOADING || st->book_state == BOOK_SENDING || st->code_state == CODE_LOOKING;
}

/* Advance the simulated clock in 16 ms frames, redrawing only when the app asks. */
static void sim_wait(kiosk *k, uint32_t *clock, uint32_t ms)
{
    uint32_t end = *clock + ms;
    ui_input none = {0};
    while (*clock < end) {
        int next = app_next_tick_ms(k->a);
        uint32_t step = next < 0 ? end - *clock : (uint32_t)(next < 16 ? 16 : next);
        if (*clock + step > end) step = end - *clock;
        *clock += step;
        if (app_tick(k->a, *clock)) frame(k, &none);
    }
}

/* A press held hold_ms, through the same recogniser as a finger. */
static void sim_tap(kiosk *k, uint32_t *clock, int x, int y, int hold_ms)
{
    ui_input in = {0};
    input_down(&k->touch, x, y, *clock, &in);
    app_tick(k->a, *clock);
    frame(k, &in);
    *clock += (uint32_t)hold_ms;
    ui_input up = {0};
    input_up(&k->touch, x, y, *clock, &up);
    app_tick(k->a, *clock);
    frame(k, &up);
}

/* Drag from (x0,y0) to (x1,y1) in ms milliseconds in 16 ms steps, then let go at once. */
static void sim_drag(kiosk *k, uint32_t *clock, int x0, int y0, int x1, int y1, int ms)
{
    int steps = ms / 16 > 1 ? ms / 16 : 2;
    ui_input in = {0};
    input_down(&k->touch, x0, y0, *clock, &in);
    app_tick(k->a, *clock);
    frame(k, &in);
    for (int i = 1; i <= steps; i++) {
        *clock += 16;
        ui_input mv = {0};
        input_move(&k->touch, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps, *clock, &mv);
        app_tick(k->a, *clock);
        frame(k, &mv);
    }
    ui_input up = {0};
    input_up(&k->touch, x1, y1, *clock, &up);
    app_tick(k->a, *clock);
    frame(k, &up);
}

int kiosk_replay(kiosk *k, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kiosk: %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (k->shots) mkdir(k->shots, 0755);
    uint32_t clock = 0;
    ui_input none = {0};
    app_tick(k->a, clock);
    frame(k, &none);
    char line[512];
    int ln = 0;
    while (!app_get_state(k->a)->quit && fgets(line, sizeof line, f)) {
        ln++;
        if (k->sync) {
            sync_status ss;
            sync_status_get(k->sync, &ss, 1);
            app_sync_update(k->a, &ss);
        }
        line[strcspn(line, "\r\n")] = 0;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        char cmd[32] = "", a1[256] = "", a2[256] = "";
        int n = sscanf(p, "%31s %255s %255[^\n]", cmd, a1, a2);
        const app_state *st = app_get_state(k->a);
        if ((!strcmp(cmd, "tap") || !strcmp(cmd, "hold")) && n >= 2) {
            /* "hold ID" is a long press (the staff gesture), a bit longer than it must be */
            int x, y, hold = !strcmp(cmd, "hold") ? k->touch.t.long_press_ms + 500 : 80;
            /* a script choice folded into one key (a short panel): open it first, so one
             * script says "tap kb-layout:ar" at every size */
            if (!strncmp(a1, "kb-layout:", 10) && ui_find(k->u, a1, &x, &y) != 0 && ui_find(k->u, "kb-choose", &x, &y) == 0)
                sim_tap(k, &clock, x, y, 80);
            if (n == 3 && sscanf(a1, "%d", &x) == 1 && sscanf(a2, "%d", &y) == 1) {
                sim_tap(k, &clock, x, y, hold);
            } else if (ui_find(k->u, a1, &x, &y) == 0) {
                sim_tap(k, &clock, x, y, hold);
            } else {
                fprintf(stderr, "%s:%d: nothing named %s on the %s screen\n", path, ln, a1, screen_name(st->screen));
                k->failures++;
            }
        } else if (!strcmp(cmd, "open") && n >= 2) {
            /* an offer by its id, as a tap on its row would: walks over every offer of a pack */
            action act = {.kind = ACT_OFFER};
            snprintf(act.arg, sizeof act.arg, "%.127s", a1);
            app_apply(k->a, &(action){.kind = ACT_TOUCH});
            app_apply(k->a, &act);
            app_tick(k->a, clock);
            frame(k, &none);
            if (app_get_state(k->a)->screen != SCREEN_DETAIL) {
                fprintf(stderr, "%s:%d: no offer %s\n", path, ln, a1);
                k->failures++;
            }
        } else if (!strcmp(cmd, "drag") && n == 3) {
            float x0, y0, x1, y1;
            int ms = 300;
            char rest[512];
            snprintf(rest, sizeof rest, "%s %s", a1, a2);
            if (sscanf(rest, "%f %f %f %f %d", &x0, &y0, &x1, &y1, &ms) >= 4)
                sim_drag(k, &clock, (int)(x0 * k->w), (int)(y0 * k->h), (int)(x1 * k->w), (int)(y1 * k->h), ms);
        } else if (!strcmp(cmd, "settle")) {
            /* let background work (a pack check) finish, in real time, at most 20 s */
            for (int i = 0; i < 2000 && app_next_tick_ms(k->a) == 16 && busy(app_get_state(k->a)); i++) {
                SDL_Delay(10);
                clock += 10;
                if (app_tick(k->a, clock)) frame(k, &none);
            }
            app_tick(k->a, clock);
            frame(k, &none);
        } else if (!strcmp(cmd, "settle-outbox")) {
            /* wait (real time, at most 30 s) until the booking worker has delivered its outbox */
            for (int i = 0; i < 300 && app_get_state(k->a)->book_queued != 0; i++) {
                SDL_Delay(100);
                app_tick(k->a, clock);
            }
            if (app_get_state(k->a)->book_queued != 0) {
                fprintf(stderr, "%s:%d: the outbox was not delivered\n", path, ln);
                k->failures++;
            }
        } else if (!strcmp(cmd, "settle-sync")) {
            /* wait (real time, at most 60 s) for the sync thread's first attempt to finish */
            for (int i = 0; k->sync && i < 600; i++) {
                sync_status ss;
                sync_status_get(k->sync, &ss, 0);
                if (ss.last_attempt) break;
                SDL_Delay(100);
            }
            if (k->sync) {
                sync_status ss;
                sync_status_get(k->sync, &ss, 1);
                app_sync_update(k->a, &ss);
            }
            frame(k, &none);
        } else if (!strcmp(cmd, "wait-file") && n >= 2) {
            /* wait (real time, at most 60 s) for another process: two kiosks in one test */
            struct stat sb;
            for (int i = 0; i < 600 && stat(a1, &sb) != 0; i++) SDL_Delay(100);
            if (stat(a1, &sb) != 0) {
                fprintf(stderr, "%s:%d: %s never appeared\n", path, ln, a1);
                k->failures++;
            }
        } else if (!strcmp(cmd, "wait") && n >= 2) {
            sim_wait(k, &clock, (uint32_t)atol(a1));
        } else if (!strcmp(cmd, "key") && n >= 2) {
            /* keys do nothing on a kiosk; the event still counts as input for the idle timer */
            SDL_Event ev = {.type = SDL_KEYDOWN};
            ev.key.keysym.sym = SDL_GetKeyFromName(a1);
            SDL_PushEvent(&ev);
            SDL_PumpEvents();
            SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
        } else if (!strcmp(cmd, "shot") && n >= 2) {
            if (save_shot(k, a1) != 0) k->failures++;
        } else if (!strcmp(cmd, "expect") && n >= 2) {
            int ok = 1;
            char what[1024] = "";
            if (!strcmp(a1, "screen")) {
                ok = !strcmp(screen_name(st->screen), a2);
                snprintf(what, sizeof what, "screen %s, is %s", a2, screen_name(st->screen));
            } else if (!strcmp(a1, "lang")) {
                ok = !strcmp(st->lang, a2);
                snprintf(what, sizeof what, "language %s, is %s", a2, st->lang);
            } else if (!strcmp(a1, "no-tofu")) {
                ok = ui_last_missing(k->u) == 0;
                snprintf(what, sizeof what, "no missing glyphs, %d missing", ui_last_missing(k->u));
            } else if (!strcmp(a1, "text")) {
                ok = ui_drew_text(k->u, a2, 0);
                snprintf(what, sizeof what, "text \"%s\" on screen", a2);
            } else if (!strcmp(a1, "visible")) {
                ok = ui_drew_text(k->u, a2, 1);
                snprintf(what, sizeof what, "text \"%s\" wholly in view", a2);
            } else if (!strcmp(a1, "uncut")) {
                ok = ui_drew_text(k->u, a2, 2);
                snprintf(what, sizeof what, "text \"%s\" wholly in view, without an ellipsis", a2);
            } else if (!strcmp(a1, "no-text")) {
                ok = !ui_drew_text(k->u, a2, 0);
                snprintf(what, sizeof what, "no text \"%s\" on screen", a2);
            } else if (!strcmp(a1, "left") || !strcmp(a1, "right") || !strcmp(a1, "widget") ||
                       !strcmp(a1, "no-widget")) {
                /* where a widget was drawn in the last frame: layout mirroring, buttons shown */
                int x = 0, y = 0, found = ui_find(k->u, a2, &x, &y) == 0;
                if (!strcmp(a1, "widget")) ok = found;
                else if (!strcmp(a1, "no-widget")) ok = !found;
                else ok = found && (!strcmp(a1, "left") ? x < k->w / 2 : x >= k->w / 2);
                snprintf(what, sizeof what, "%s %s (%s at x=%d)", a1, a2, found ? "drawn" : "not drawn", x);
            } else if (!strcmp(a1, "under")) {
                /* "expect under A | B": the text holding B is drawn below the one holding A, in
                 * the same column (their spans overlap): what belongs to a place stays under it */
                char *bar = strstr(a2, " | ");
                int ba[4], bb[4];
                if (bar) *bar = 0;
                ok = bar && ui_text_box(k->u, a2, ba, NULL, NULL) == 0 && ui_text_box(k->u, bar + 3, bb, NULL, NULL) == 0 &&
                     bb[1] >= ba[1] + ba[3] / 2 && bb[0] < ba[0] + ba[2] && ba[0] < bb[0] + bb[2];
                snprintf(what, sizeof what, "\"%s\" under \"%s\"", bar ? bar + 3 : "?", a2);
            } else if (!strcmp(a1, "scrolled")) {
                ok = st->scroll[st->screen] > atof(a2);
                snprintf(what, sizeof what, "scrolled more than %s px, is %.0f", a2, st->scroll[st->screen]);
            } else {
                ok = 0;
                snprintf(what, sizeof what, "unknown expectation %s", a1);
            }
            if (!ok) {
                fprintf(stderr, "%s:%d: expected %s\n", path, ln, what);
                k->failures++;
            }
        } else if (!strcmp(cmd, "report-text") && n >= 2) {
            /* where a text went, for tests that measure layout: box, lines, longest line */
            const char *needle = p + strlen("report-text");
            while (*needle == ' ') needle++;
            int b[4] = {0}, lines = 0, longest = 0;
            int found = ui_text_box(k->u, needle, b, &lines, &longest) == 0;
            printf("text found=%d x=%d y=%d w=%d h=%d lines=%d longest=%d screen=%dx%d |%s\n", found, b[0], b[1], b[2], b[3],
                   lines, longest, k->w, k->h, needle);
            fflush(stdout);
        } else if (!strcmp(cmd, "report-targets")) {
            /* every touch target of the last frame in px and mm, for tests of target sizes */
            const char *id;
            int b[4];
            float mm = ui_px_per_mm(k->u);
            for (int i = 0; ui_target(k->u, i, &id, b) == 0; i++)
                printf("target %s x=%d y=%d w=%d h=%d wmm=%.1f hmm=%.1f screen=%dx%d\n", id, b[0], b[1], b[2], b[3], b[2] / mm,
                       b[3] / mm, k->w, k->h);
            fflush(stdout);
        } else if (!strcmp(cmd, "check-frames") && n >= 2) {
            char err[512] = "";
            if (!strcmp(a1, "on") && !k->check && check_start(k, err, sizeof err) != 0) {
                fprintf(stderr, "%s:%d: cannot check frames: %s\n", path, ln, err);
                k->failures++;
            } else if (!strcmp(a1, "off") && k->check) {
                long d[UI_DRAWN_KINDS];
                ui_draw_counts(k->u, d);
                const struct frame_check *c = k->check;
                printf("frames_checked=%ld frames_differ=%ld drawn_full=%ld drawn_part=%ld drawn_scrolled=%ld drawn_nothing=%ld\n",
                       c->frames, c->differ, d[UI_DRAWN_FULL] - c->drawn0[UI_DRAWN_FULL], d[UI_DRAWN_PART] - c->drawn0[UI_DRAWN_PART],
                       d[UI_DRAWN_SCROLLED] - c->drawn0[UI_DRAWN_SCROLLED], d[UI_DRAWN_NOTHING] - c->drawn0[UI_DRAWN_NOTHING]);
                fflush(stdout);
                if (c->differ) {
                    fprintf(stderr, "%s:%d: expected every frame as a whole redraw draws it; %ld differ: %s\n", path, ln, c->differ,
                            c->first);
                    k->failures++;
                }
                check_stop(k);
            }
        } else if (!strcmp(cmd, "scribble") && k->canvas) {
            /* paint on the canvas behind the UI's back: a test that the check sees stale pixels */
            SDL_Rect box = {k->w / 2 - 20, k->h / 2 - 20, 40, 40};
            SDL_RenderFlush(k->r);
            SDL_FillRect(k->canvas, &box, SDL_MapRGB(k->canvas->format, 255, 0, 255));
        } else if (!strcmp(cmd, "report-rss")) {
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            long pages = 0, resident = 0;
            FILE *sm = fopen("/proc/self/statm", "r");
            if (sm && fscanf(sm, "%ld %ld", &pages, &resident) != 2) resident = 0;
            if (sm) fclose(sm);
            printf("rss_kib=%ld peak_rss_kib=%ld\n", resident * (sysconf(_SC_PAGESIZE) / 1024), ru.ru_maxrss);
            fflush(stdout);
        } else if (!strcmp(cmd, "bench-scroll") && n >= 2) {
            /* frame times while scrolling: drag steps of 6 px, each a frame of its own; wall time,
             * and the thread's CPU time, which a machine shared with other work does not stretch */
            int frames = atoi(a1);
            double *t = calloc((size_t)frames * 2, sizeof *t), *cpu = t ? t + frames : NULL;
            int dir = -1, y = k->h * 3 / 4;
            ui_input in = {.down = 1, .x = k->w / 2, .y = y};
            frame(k, &in);
            long hits0, miss0, d0[UI_DRAWN_KINDS];
            ui_cache_stats(k->u, &hits0, &miss0);
            ui_draw_counts(k->u, d0);
            for (int i = 0; t && i < frames; i++) {
                const app_state *s2 = app_get_state(k->a);
                if (s2->scroll[s2->screen] <= 0 && dir > 0) dir = -1;
                if (i % 400 == 399) dir = -dir;
                ui_input mv = {.moved = 1, .x = k->w / 2, .y = y, .drag_dy = 6 * dir};
                double t0 = kiosk_now_ms(), c0 = thread_cpu_ms();
                clock += 16;
                app_tick(k->a, clock);
                frame(k, &mv);
                t[i] = kiosk_now_ms() - t0;
                cpu[i] = thread_cpu_ms() - c0;
            }
            if (t) {
                qsort(t, (size_t)frames, sizeof *t, cmp_double);
                qsort(cpu, (size_t)frames, sizeof *cpu, cmp_double);
                long hits, miss;
                ui_cache_stats(k->u, &hits, &miss);
                long d[UI_DRAWN_KINDS];
                ui_draw_counts(k->u, d);
                printf("scroll_frames=%d frame_p50_ms=%.3f frame_p99_ms=%.3f frame_max_ms=%.3f frame_cpu_p50_ms=%.3f "
                       "frame_cpu_p99_ms=%.3f text_cache_misses=%ld drawn_scrolled=%ld\n",
                       frames, t[frames / 2], t[frames * 99 / 100], t[frames - 1], cpu[frames / 2], cpu[frames * 99 / 100],
                       miss - miss0, d[UI_DRAWN_SCROLLED] - d0[UI_DRAWN_SCROLLED]);
            }
            free(t);
            ui_input up = {.up = 1};
            frame(k, &up);
        } else {
            fprintf(stderr, "%s:%d: cannot read \"%s\"\n", path, ln, p);
            k->failures++;
        }
    }
    fclose(f);
    check_stop(k);
    return k->failures ? 3 : 0;
}
