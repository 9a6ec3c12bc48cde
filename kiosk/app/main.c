/*
 * main.c: the kiosk binary. Opens the window (or SDL's dummy driver when headless), then either
 * runs the event loop or replays a script of taps, drags and waits on a simulated clock and
 * writes screenshots (tests, bench). Redraws only when state changed or an animation runs.
 */
#include "app/app.h"
#include "platform/log.h"
#include "platform/rotate.h"
#include "platform/watchdog.h"
#include "sync/sync.h"
#include "text/text.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The service manager's stop request (SIGTERM/SIGINT); window-close requests are ignored. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct kiosk {
    SDL_AudioDeviceID audio;
    int audio_tried;             /* audio opens on first use: it costs startup time */
    sync_ctx *sync;              /* content updates from the central store, when configured */
    int16_t *click;              /* the tap confirmation sound */
    size_t click_n;
    int sounds;
    app *a;
    ui *u;
    text_engine *te;
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Texture *target;         /* the layout, drawn upright, when the panel is turned */
    int rotation;
    int w, h;                    /* logical (layout) size */
    int pw, ph;                  /* panel size */
    int resets_seen;
    const char *shots;
    int failures;
    long frames;
} kiosk;

static void usage(void)
{
    fprintf(stderr,
            "usage: kiosk [--config FILE] [--content DB] [--data DIR] [--lang CODE] [--size WxH]\n"
            "             [--idle SECONDS] [--px-per-mm F] [--script FILE --shots DIR] [--first-frame]\n");
}

static void open_audio(kiosk *k)
{
    k->audio_tried = 1;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
        SDL_AudioSpec want = {.freq = app_audio_rate(k->a), .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
        k->audio = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
        if (k->audio) SDL_PauseAudioDevice(k->audio, 0);
    }
    if (!k->audio) {
        log_msg("audio", "no audio output: %s", SDL_GetError());
        app_set_audio(k->a, 0);
    }
}

/* Queue samples on the audio device, replacing what still plays. */
static void play(kiosk *k, const int16_t *pcm, size_t n)
{
    if (!k->audio_tried) open_audio(k);
    if (!k->audio || !pcm || !n) return;
    SDL_ClearQueuedAudio(k->audio);
    SDL_QueueAudio(k->audio, pcm, (Uint32)(n * sizeof *pcm));
}

/*
 * One frame: a dry pass with this input, its actions applied, dry passes again while they
 * change the state, then the state as it is now drawn once (its actions were the last dry
 * pass's, already applied, and are dropped: a sound must not play twice).
 */
static void frame(kiosk *k, const ui_input *in)
{
    action acts[16];
    ui_input none = {0};
    const ui_input *cur = in;
    if (k->target) SDL_SetRenderTarget(k->r, k->target);
    for (int pass = 0; pass < 4; pass++) {
        int n = ui_frame_dry(k->u, app_get_state(k->a), cur, acts, 16);
        int changed = 0, tapped = 0;
        for (int i = 0; i < n; i++) {
            int c = app_apply(k->a, &acts[i]);
            changed |= c;
            tapped |= c && cur->tap && acts[i].kind != ACT_TOUCH && acts[i].kind != ACT_LAYOUT;
        }
        if (tapped && k->sounds && !app_get_state(k->a)->speaking) play(k, k->click, k->click_n);
        if (app_resets(k->a) != k->resets_seen) {
            /* a reset forgets the session: no text of it may stay in any cache */
            k->resets_seen = app_resets(k->a);
            ui_flush(k->u);
            changed = 1;
        }
        if (!changed) break;
        cur = &none;
    }
    ui_frame(k->u, app_get_state(k->a), cur, acts, 16);
    k->frames++;
    int16_t *pcm;
    size_t np;
    if (app_take_audio(k->a, &pcm, &np)) {
        play(k, pcm, np);
        free(pcm);
    }
    if (k->target) {
        SDL_SetRenderTarget(k->r, NULL);
        SDL_SetRenderDrawColor(k->r, 0, 0, 0, 255);
        SDL_RenderClear(k->r);
        SDL_Rect dst = {k->pw / 2 - k->w / 2, k->ph / 2 - k->h / 2, k->w, k->h};
        SDL_RenderCopyEx(k->r, k->target, NULL, &dst, k->rotation, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(k->r);
}

static int save_shot(kiosk *k, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.png", k->shots ? k->shots : ".", name);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, k->w, k->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return -1;
    ui_input none = {0};
    action acts[16];
    /* the layout as drawn, upright, whatever the panel's mounting */
    if (k->target) SDL_SetRenderTarget(k->r, k->target);
    ui_frame(k->u, app_get_state(k->a), &none, acts, 16);
    int rc = SDL_RenderReadPixels(k->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (k->target) SDL_SetRenderTarget(k->r, NULL);
    if (rc == 0) rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0) fprintf(stderr, "kiosk: cannot write %s: %s\n", path, SDL_GetError());
    return rc;
}

static const char *screen_name(int s)
{
    static const char *names[] = {"attract", "categories", "list", "detail", "pin", "staff", "search", "question",
                                  "matches", "book-day", "book-time", "book-details", "book-consent", "book-done", "code"};
    return s >= 0 && s < SCREEN_COUNT ? names[s] : "?";
}

static double now_ms_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Background work a script waits for with "settle": a pack check, a booking call. */
static int busy(const app_state *st)
{
    return st->staff_busy || st->staff_exporting || st->book_state == BOOK_LOADING || st->book_state == BOOK_SENDING ||
           st->code_state == CODE_LOOKING;
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

static void sim_tap(kiosk *k, uint32_t *clock, int x, int y, int hold_ms)
{
    ui_input in = {.down = 1, .x = x, .y = y};
    app_tick(k->a, *clock);
    frame(k, &in);
    *clock += (uint32_t)hold_ms;
    ui_input up = {.up = 1, .x = x, .y = y, .tap = 1, .tap_x = x, .tap_y = y, .tap_ms = hold_ms};
    app_tick(k->a, *clock);
    frame(k, &up);
}

/* Drag from (x0,y0) to (x1,y1) in ms milliseconds, then let go (with the speed of the last step). */
static void sim_drag(kiosk *k, uint32_t *clock, int x0, int y0, int x1, int y1, int ms)
{
    int steps = ms / 16 > 1 ? ms / 16 : 2;
    ui_input in = {.down = 1, .x = x0, .y = y0};
    app_tick(k->a, *clock);
    frame(k, &in);
    int py = y0;
    for (int i = 1; i <= steps; i++) {
        *clock += 16;
        int y = y0 + (y1 - y0) * i / steps;
        ui_input mv = {.moved = 1, .x = x0 + (x1 - x0) * i / steps, .y = y, .drag_dy = y - py};
        py = y;
        app_tick(k->a, *clock);
        frame(k, &mv);
    }
    ui_input up = {.up = 1, .x = x1, .y = y1, .fling = (float)(y1 - y0) / (float)ms * 1000.0f};
    app_tick(k->a, *clock);
    frame(k, &up);
}

static int run_script(kiosk *k, const char *path)
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
            /* "hold ID" is a 3.5 s press: the staff gesture */
            int x, y, hold = !strcmp(cmd, "hold") ? 3500 : 80;
            if (n == 3 && sscanf(a1, "%d", &x) == 1 && sscanf(a2, "%d", &y) == 1) {
                sim_tap(k, &clock, x, y, hold);
            } else if (ui_find(k->u, a1, &x, &y) == 0) {
                sim_tap(k, &clock, x, y, hold);
            } else {
                fprintf(stderr, "%s:%d: nothing named %s on the %s screen\n", path, ln, a1, screen_name(st->screen));
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
                ok = ui_drew_text(k->u, a2);
                snprintf(what, sizeof what, "text \"%s\" on screen", a2);
            } else if (!strcmp(a1, "no-text")) {
                ok = !ui_drew_text(k->u, a2);
                snprintf(what, sizeof what, "no text \"%s\" on screen", a2);
            } else if (!strcmp(a1, "left") || !strcmp(a1, "right") || !strcmp(a1, "widget") ||
                       !strcmp(a1, "no-widget")) {
                /* where a widget was drawn in the last frame: layout mirroring, buttons shown */
                int x = 0, y = 0, found = ui_find(k->u, a2, &x, &y) == 0;
                if (!strcmp(a1, "widget")) ok = found;
                else if (!strcmp(a1, "no-widget")) ok = !found;
                else ok = found && (!strcmp(a1, "left") ? x < k->w / 2 : x >= k->w / 2);
                snprintf(what, sizeof what, "%s %s (%s at x=%d)", a1, a2, found ? "drawn" : "not drawn", x);
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
            /* frame times while scrolling: drag steps of 6 px, each a full frame */
            int frames = atoi(a1);
            double *t = calloc((size_t)frames, sizeof *t);
            int dir = -1, y = k->h * 3 / 4;
            ui_input in = {.down = 1, .x = k->w / 2, .y = y};
            frame(k, &in);
            long hits0, miss0;
            ui_cache_stats(k->u, &hits0, &miss0);
            for (int i = 0; t && i < frames; i++) {
                const app_state *s2 = app_get_state(k->a);
                if (s2->scroll[s2->screen] <= 0 && dir > 0) dir = -1;
                if (i % 400 == 399) dir = -dir;
                ui_input mv = {.moved = 1, .x = k->w / 2, .y = y, .drag_dy = 6 * dir};
                double t0 = now_ms_real();
                clock += 16;
                app_tick(k->a, clock);
                frame(k, &mv);
                t[i] = now_ms_real() - t0;
            }
            if (t) {
                qsort(t, (size_t)frames, sizeof *t, cmp_double);
                long hits, miss;
                ui_cache_stats(k->u, &hits, &miss);
                printf("scroll_frames=%d frame_p50_ms=%.3f frame_p99_ms=%.3f frame_max_ms=%.3f text_cache_misses=%ld\n",
                       frames, t[frames / 2], t[frames * 99 / 100], t[frames - 1], miss - miss0);
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
    return k->failures ? 3 : 0;
}

/*
 * Wait for an event up to timeout_ms. SDL_WaitEventTimeout spins with 1 ms sleeps on drivers
 * without a native wait (kmsdrm, dummy), about 1000 wake-ups a second; polling every 20 ms
 * keeps a tap's latency under a frame or two and an idle kiosk near 0 % CPU.
 */
static int wait_event(SDL_Event *ev, int timeout_ms)
{
    uint32_t end = SDL_GetTicks() + (uint32_t)timeout_ms;
    for (;;) {
        if (SDL_PollEvent(ev)) return 1;
        uint32_t now = SDL_GetTicks();
        if ((int32_t)(end - now) <= 0) return 0;
        uint32_t left = end - now;
        SDL_Delay(left < 20 ? left : 20);
    }
}

/* The interactive loop: sleeps until input or a tick is due; draws only when something changed. */
static int run_loop(kiosk *k, int first_frame_only)
{
    ui_input in = {0};
    int pressed = 0, dragging = 0, px = 0, py = 0, sx = 0, sy = 0;
    double last_move_t = 0, down_t = 0;
    float vel = 0;
    uint32_t start = SDL_GetTicks();
    app_tick(k->a, 0);
    frame(k, &in);
    if (first_frame_only) return 0;
    watchdog wd;
    watchdog_init(&wd);
    watchdog_ready();
    int slop = 12; /* px a finger may wander before a tap becomes a drag */
    for (;;) {
        if (stop_requested || app_get_state(k->a)->quit) {
            if (getenv("KIOSK_STATS")) printf("frames=%ld\n", k->frames);
            return 0;
        }
        watchdog_ping(&wd, SDL_GetTicks64());
        int next = app_next_tick_ms(k->a), wmax = watchdog_max_sleep_ms(&wd);
        if (next < 0 || next > 1000) next = 1000;
        if (wmax > 0 && next > wmax) next = wmax;
        SDL_Event ev;
        int got = wait_event(&ev, next);
        memset(&in, 0, sizeof in);
        int input = 0;
        while (got) {
            switch (ev.type) {
            case SDL_QUIT:
                /* a window manager's close or Alt+F4: a kiosk does not leave; staff mode or
                 * the service manager (SIGTERM) can stop it */
                log_msg("input", "close request ignored");
                break;
            case SDL_MOUSEBUTTONDOWN:
                rotate_to_logical(k->rotation, k->w, k->h, ev.button.x, ev.button.y, &ev.button.x, &ev.button.y);
                pressed = 1;
                dragging = 0;
                px = sx = ev.button.x;
                py = sy = ev.button.y;
                vel = 0;
                last_move_t = down_t = now_ms_real();
                in.down = 1;
                in.x = px;
                in.y = py;
                input = 1;
                break;
            case SDL_MOUSEMOTION:
                if (!pressed) break;
                rotate_to_logical(k->rotation, k->w, k->h, ev.motion.x, ev.motion.y, &ev.motion.x, &ev.motion.y);
                if (!dragging && (abs(ev.motion.y - sy) > slop || abs(ev.motion.x - sx) > slop)) dragging = 1;
                if (dragging) {
                    double t = now_ms_real();
                    int dy = ev.motion.y - py;
                    in.drag_dy += dy;
                    if (t > last_move_t) vel = 0.6f * vel + 0.4f * (float)(dy / ((t - last_move_t) / 1000.0));
                    last_move_t = t;
                    in.moved = 1;
                    input = 1;
                }
                px = ev.motion.x;
                py = ev.motion.y;
                break;
            case SDL_MOUSEBUTTONUP:
                if (!pressed) break;
                rotate_to_logical(k->rotation, k->w, k->h, ev.button.x, ev.button.y, &ev.button.x, &ev.button.y);
                pressed = 0;
                in.up = 1;
                in.x = ev.button.x;
                in.y = ev.button.y;
                if (!dragging) {
                    in.tap = 1;
                    in.tap_x = ev.button.x;
                    in.tap_y = ev.button.y;
                    in.tap_ms = (int)(now_ms_real() - down_t);
                } else if (now_ms_real() - last_move_t < 80) {
                    in.fling = vel;
                }
                input = 1;
                break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && !k->target) {
                    SDL_GetRendererOutputSize(k->r, &k->w, &k->h);
                    k->pw = k->w;
                    k->ph = k->h;
                    ui_resize(k->u, k->w, k->h);
                    ui_flush(k->u);
                    input = 1;
                } else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED) {
                    input = 1;
                }
                break;
            case SDL_KEYDOWN:
                /* keys do nothing (no key leaves or changes the kiosk), but count as presence */
                app_apply(k->a, &(action){.kind = ACT_TOUCH});
                break;
            default: break;
            }
            got = SDL_PollEvent(&ev);
        }
        int dirty = app_tick(k->a, SDL_GetTicks() - start);
        if (k->sync) {
            sync_status ss;
            sync_status_get(k->sync, &ss, 1);
            int was = app_get_state(k->a)->screen;
            app_sync_update(k->a, &ss);
            dirty |= ss.content_changed && was == SCREEN_ATTRACT;
        }
        if (input || dirty) frame(k, &in);
    }
}

int main(int argc, char **argv)
{
    app_config cfg;
    app_config_defaults(&cfg);
    char err[1024];
    const char *script = NULL, *lang = NULL;
    int w = 0, h = 0, first_frame = 0;
    kiosk k = {0};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--config") && v) {
            if (app_config_load(&cfg, v, err, sizeof err) != 0) {
                fprintf(stderr, "kiosk: %s\n", err);
                return 1;
            }
            i++;
        } else if (!strcmp(o, "--content") && v) snprintf(cfg.content, sizeof cfg.content, "%s", argv[++i]);
        else if (!strcmp(o, "--data") && v) snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", argv[++i]);
        else if (!strcmp(o, "--lang") && v) lang = argv[++i];
        else if (!strcmp(o, "--size") && v) { if (sscanf(argv[++i], "%dx%d", &w, &h) != 2) { usage(); return 2; } }
        else if ((!strcmp(o, "--idle") || !strcmp(o, "--px-per-mm")) && v) {
            if (app_config_set(&cfg, o[2] == 'i' ? "idle_timeout" : "px_per_mm", argv[++i], err, sizeof err) != 0) {
                fprintf(stderr, "kiosk: %s %s\n", o, err);
                return 2;
            }
        }
        else if (!strcmp(o, "--script") && v) script = argv[++i];
        else if (!strcmp(o, "--shots") && v) k.shots = argv[++i];
        else if (!strcmp(o, "--first-frame")) first_frame = 1;
        else { usage(); return 2; }
    }
    if (!cfg.state_path[0] && cfg.content[0]) snprintf(cfg.state_path, sizeof cfg.state_path, "%.1000s.local", cfg.content);
    if (!cfg.content[0] &&
        snprintf(cfg.content, sizeof cfg.content, "%s/build/content/demo.db", cfg.data_dir) >= (int)sizeof cfg.content) {
        fprintf(stderr, "kiosk: data directory path too long\n");
        return 2;
    }
    if (lang && !i18n_lang_find(lang)) {
        fprintf(stderr, "kiosk: unknown language %s\n", lang);
        return 2;
    }
    /* our own handlers: SDL's would turn SIGTERM into an SDL_QUIT we ignore */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "kiosk: no display: %s\n(run headless with SDL_VIDEODRIVER=dummy and --script)\n", SDL_GetError());
        return 1;
    }
    int headless = SDL_GetCurrentVideoDriver() && !strcmp(SDL_GetCurrentVideoDriver(), "dummy");
    if (!w || !h) {
        SDL_DisplayMode dm;
        if (!headless && SDL_GetDesktopDisplayMode(0, &dm) == 0) { w = dm.w; h = dm.h; }
        else { w = 1920; h = 1080; }
    }
    Uint32 flags = headless || script ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP;
    k.win = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
    /* auto lets SDL choose (kmsdrm or X11 with GL when the board has it); software draws with the
     * CPU into the window's own buffer and keeps a GL driver's tens of MiB out of memory */
    int software = headless || cfg.renderer == CONFIG_RENDERER_SOFTWARE;
    /* Under X11 SDL would back even a software window with a GL texture (Mesa's llvmpipe, some
     * 60 MiB of LLVM); X11 has a plain shared-memory framebuffer, so use it. kmsdrm has none:
     * there SDL presents the software frame through one GL texture. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (software && driver && !strcmp(driver, "x11")) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (k.win) k.r = SDL_CreateRenderer(k.win, -1, software ? SDL_RENDERER_SOFTWARE : 0);
    if (!k.r) {
        fprintf(stderr, "kiosk: cannot open a %dx%d window: %s\n", w, h, SDL_GetError());
        SDL_Quit();
        return 1;
    }
    SDL_GetRendererOutputSize(k.r, &k.pw, &k.ph);
    k.rotation = cfg.rotation;
    rotate_logical_size(k.rotation, k.pw, k.ph, &k.w, &k.h);
    if (k.rotation) {
        k.target = SDL_CreateTexture(k.r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, k.w, k.h);
        if (!k.target) {
            log_msg("video", "cannot turn the screen: %s", SDL_GetError());
            k.rotation = 0;
            k.w = k.pw;
            k.h = k.ph;
        }
    }
    if (!headless) SDL_ShowCursor(SDL_DISABLE);
    int rc = 1;
    char fonts[1200];
    snprintf(fonts, sizeof fonts, "%s/fonts/fallback.ini", cfg.data_dir);
    if (text_engine_open(&k.te, fonts, err, sizeof err) != 0) {
        fprintf(stderr, "kiosk: fonts: %s\n", err);
    } else if (app_open(&k.a, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "kiosk: %s\n", err);
    } else if (!(k.u = ui_create(k.r, k.te, cfg.data_dir, cfg.px_per_mm, err, sizeof err))) {
        fprintf(stderr, "kiosk: %s\n", err);
    } else {
        ui_resize(k.u, k.w, k.h);
        k.sounds = cfg.sounds;
        int rate = app_audio_rate(k.a);
        /* a soft 35 ms tick at 1.2 kHz with a fade, to confirm a tap without startling */
        k.click_n = (size_t)(rate > 0 ? rate : 22050) * 35 / 1000;
        k.click = calloc(k.click_n, sizeof *k.click);
        for (size_t i = 0; k.click && i < k.click_n; i++) {
            double env = 1.0 - (double)i / (double)k.click_n;
            k.click[i] = (int16_t)(6000.0 * env * sin(2 * M_PI * 1200.0 * (double)i / (rate > 0 ? rate : 22050)));
        }
        if (lang) {
            action act = {.kind = ACT_CHOOSE_LANG};
            snprintf(act.arg, sizeof act.arg, "%s", lang);
            app_apply(k.a, &act);
        }
        if (cfg.store_url[0] && !first_frame) {
            sync_config sc = {.interval_s = cfg.sync_interval_s, .timeout_s = 20};
            size_t ul = strlen(cfg.store_url);
            snprintf(sc.url, sizeof sc.url, "%.500s%s", cfg.store_url, ul && cfg.store_url[ul - 1] == '/' ? "" : "/");
            snprintf(sc.content_path, sizeof sc.content_path, "%s", cfg.content);
            snprintf(sc.state_path, sizeof sc.state_path, "%s", cfg.state_path);
            snprintf(sc.work_dir, sizeof sc.work_dir, "%.1000s.sync", cfg.content);
            snprintf(sc.site_id, sizeof sc.site_id, "%s", cfg.site_id);
            snprintf(sc.kiosk_id, sizeof sc.kiosk_id, "%s", cfg.kiosk_id);
            snprintf(sc.app_version, sizeof sc.app_version, "1");
            sc.trust = cfg.trust;
            k.sync = sync_start(&sc);
        }
        rc = script ? run_script(&k, script) : run_loop(&k, first_frame);
        if (first_frame) {
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            SDL_RendererInfo ri = {0};
            SDL_GetRendererInfo(k.r, &ri);
            printf("first_frame_done peak_rss_kib=%ld renderer=%s\n", ru.ru_maxrss, ri.name ? ri.name : "?");
        }
    }
    sync_stop(k.sync);
    if (k.audio) SDL_CloseAudioDevice(k.audio);
    free(k.click);
    ui_destroy(k.u);
    app_close(k.a);
    text_engine_close(k.te);
    if (k.target) SDL_DestroyTexture(k.target);
    SDL_DestroyRenderer(k.r);
    SDL_DestroyWindow(k.win);
    IMG_Quit();
    SDL_Quit();
    return rc;
}
