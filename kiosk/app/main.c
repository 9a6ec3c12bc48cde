/*
 * main.c: the kiosk binary. Opens the window (or SDL's dummy driver when headless), then either
 * runs the event loop or replays a script of taps, drags and waits on a simulated clock and
 * writes screenshots (tests, bench). Redraws only when state changed or an animation runs.
 */
#include "app/app.h"
#include "app/kiosk.h"
#include "platform/fmt.h"
#include "platform/hugemem.h"
#include "platform/img_dl.h"
#include "platform/log.h"
#include "platform/maphint.h"
#include "platform/rotate.h"
#include "platform/watchdog.h"
#include "store/store.h"
#include "sync/sync.h"
#include "text/text.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
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

/* A soft 35 ms tick at 1.2 kHz with a fade, to confirm a tap without startling. Made on the first
 * tap: libm's sine code is not needed before the first frame. */
static void make_click(kiosk *k)
{
    int rate = app_audio_rate(k->a);
    k->click_tried = 1;
    k->click_n = (size_t)(rate > 0 ? rate : 22050) * 35 / 1000;
    k->click = calloc(k->click_n, sizeof *k->click);
    for (size_t i = 0; k->click && i < k->click_n; i++) {
        double env = 1.0 - (double)i / (double)k->click_n;
        k->click[i] = (int16_t)(6000.0 * env * sin(2 * M_PI * 1200.0 * (double)i / (rate > 0 ? rate : 22050)));
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
 * One frame: the state recorded with this input and its actions applied, recorded again while
 * they change the state, and the last record, which changed nothing, drawn. After four records
 * that all changed it, the state as it is then is drawn and that record's actions are dropped
 * (a sound must not play twice).
 */
void kiosk_frame(kiosk *k, const ui_input *in)
{
    action acts[16];
    ui_input none = {0};
    const ui_input *cur = in;
    if (k->target) SDL_SetRenderTarget(k->r, k->target);
    for (int pass = 0;; pass++) {
        int n = ui_frame_record(k->u, app_get_state(k->a), cur, acts, 16);
        if (pass == 4) break;
        int changed = 0, tapped = 0;
        for (int i = 0; i < n; i++) {
            int c = app_apply(k->a, &acts[i]);
            changed |= c;
            tapped |= c && cur->tap && acts[i].kind != ACT_TOUCH && acts[i].kind != ACT_LAYOUT;
        }
        if (tapped && k->sounds && !app_get_state(k->a)->speaking) {
            if (!k->click_tried) make_click(k);
            play(k, k->click, k->click_n);
        }
        if (app_resets(k->a) != k->resets_seen) {
            /* a reset forgets the session: no text of it may stay in any cache; after a content
             * switch no picture of the old pack */
            k->resets_seen = app_resets(k->a);
            ui_flush(k->u);
            changed = 1;
        }
        if (!changed) break;
        cur = &none;
    }
    ui_frame_show(k->u);
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
    if (k->canvas) SDL_UpdateWindowSurface(k->win);
}

/*
 * The software renderer, made on the window's surface rather than by SDL_CreateRenderer (which
 * makes the same on the same surface), so that the UI may reach the pixels it drew: they stay
 * from one frame to the next, and a scroll moves them (ui_set_canvas). A resized window has a new
 * surface: the old renderer's textures are dropped first. 0, or -1 with SDL's error.
 */
static int software_renderer(kiosk *k)
{
    if (k->u) ui_flush(k->u);
    if (k->r) SDL_DestroyRenderer(k->r);
    k->r = NULL;
    k->canvas = SDL_GetWindowSurface(k->win);
    if (k->canvas) k->r = SDL_CreateSoftwareRenderer(k->canvas);
    if (!k->r) {
        k->canvas = NULL;
        return -1;
    }
    if (k->u) ui_set_canvas(k->u, k->r, k->target ? NULL : k->canvas);
    return 0;
}

double kiosk_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/*
 * Wait for an event up to timeout_ms, looking every step_ms. SDL_WaitEventTimeout spins with 1 ms
 * sleeps on drivers without a native wait (kmsdrm, dummy), about 1000 wake-ups a second; polling
 * every POLL_STEP_MS keeps a tap's latency under a frame or two. Once no one has touched the
 * screen for DOZE_AFTER_MS (and from the start), every DOZE_STEP_MS: the wake-ups themselves were
 * an idle kiosk's CPU (about 2.2 ms a second at 20 ms steps), and only the first tap of a visitor
 * waits up to 30 ms longer.
 */
enum { POLL_STEP_MS = 20, DOZE_STEP_MS = 50, DOZE_AFTER_MS = 30000 };

static int wait_event(SDL_Event *ev, int timeout_ms, uint32_t step_ms)
{
    uint32_t end = SDL_GetTicks() + (uint32_t)timeout_ms;
    for (;;) {
        if (SDL_PollEvent(ev)) return 1;
        uint32_t now = SDL_GetTicks();
        if ((int32_t)(end - now) <= 0) return 0;
        uint32_t left = end - now;
        SDL_Delay(left < step_ms ? left : step_ms);
    }
}

/* The interactive loop: sleeps until input or a tick is due; draws only when something changed. */
static int run_loop(kiosk *k, int first_frame_only)
{
    ui_input in = {0};
    uint32_t start = SDL_GetTicks();
    app_tick(k->a, 0);
    kiosk_frame(k, &in);
    if (first_frame_only) return 0;
    watchdog wd;
    watchdog_init(&wd);
    watchdog_ready();
    uint32_t touched = start - DOZE_AFTER_MS; /* no one at the screen yet */
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
        int got = wait_event(&ev, next, SDL_GetTicks() - touched < DOZE_AFTER_MS ? POLL_STEP_MS : DOZE_STEP_MS);
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
                input_down(&k->touch, ev.button.x, ev.button.y, kiosk_now_ms(), &in);
                input = 1;
                break;
            case SDL_MOUSEMOTION:
                if (!k->touch.pressed) break;
                rotate_to_logical(k->rotation, k->w, k->h, ev.motion.x, ev.motion.y, &ev.motion.x, &ev.motion.y);
                input_move(&k->touch, ev.motion.x, ev.motion.y, kiosk_now_ms(), &in);
                input |= in.moved;
                break;
            case SDL_MOUSEBUTTONUP:
                if (!k->touch.pressed) break;
                rotate_to_logical(k->rotation, k->w, k->h, ev.button.x, ev.button.y, &ev.button.x, &ev.button.y);
                input_up(&k->touch, ev.button.x, ev.button.y, kiosk_now_ms(), &in);
                input = 1;
                break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && !k->target) {
                    if (k->canvas && software_renderer(k) != 0) {
                        log_msg("video", "no renderer for the resized window: %s", SDL_GetError());
                        return 1;
                    }
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
                touched = SDL_GetTicks();
                break;
            default: break;
            }
            got = SDL_PollEvent(&ev);
        }
        if (input) touched = SDL_GetTicks();
        int dirty = app_tick(k->a, SDL_GetTicks() - start);
        if (k->sync) {
            sync_status ss;
            sync_status_get(k->sync, &ss, 1);
            int was = app_get_state(k->a)->screen;
            app_sync_update(k->a, &ss);
            dirty |= ss.content_changed && was == SCREEN_ATTRACT;
        }
        if (input || dirty) kiosk_frame(k, &in);
    }
}

/* "WxH" in plain decimals, each 64 to 16384 (a panel's pixels), or -1. */
static int parse_size(const char *v, int *w, int *h)
{
    long d[2];
    for (int i = 0; i < 2; i++) {
        if (*v < '0' || *v > '9') return -1;
        char *end;
        errno = 0;
        d[i] = strtol(v, &end, 10);
        if (errno || d[i] < 64 || d[i] > 16384 || *end != (i ? 0 : 'x')) return -1;
        v = end + 1;
    }
    *w = (int)d[0];
    *h = (int)d[1];
    return 0;
}

int main(int argc, char **argv)
{
    /* the state database and its -wal/-shm hold personal data: nothing the kiosk creates is
     * readable by others, whatever umask it was started with */
    umask(077);
    /* before SQLite starts: no page cache allocated up front. By default each connection takes
     * room for 20 pages when it first reads (about 85 KiB each for the content, the state and the
     * booking connections), touched whole; the first screen reads fewer, and a page is allocated
     * when read. */
    if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0) != SQLITE_OK) log_msg("db", "SQLite allocates its page caches up front");
    store_setup(); /* before the first database is opened */
    /* before ICU first reads its data: a cold start then reads the pages it needs, not the file */
    maphint_random("libicudata.so");
    /* before any SDL call: the window surface on huge pages (platform/hugemem.h) */
    if (hugemem_install() != 0) log_msg("video", "SDL keeps its own allocator: %s", SDL_GetError());
    app_config cfg;
    app_config_defaults(&cfg);
    char err[1024];
    const char *script = NULL, *lang = NULL;
    int w = 0, h = 0, first_frame = 0, configs = 0;
    kiosk k = {0};
    input_init(&k.touch, NULL);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--config") && v) {
            /* a second file would silently override the first one's keys and PIN */
            if (configs++) {
                fprintf(stderr, "kiosk: --config given twice; one settings file holds them all\n");
                return 2;
            }
            if (app_config_load(&cfg, v, err, sizeof err) != 0) {
                fprintf(stderr, "kiosk: %s\n", err);
                return 1;
            }
            i++;
        } else if ((!strcmp(o, "--content") || !strcmp(o, "--data")) && v) {
            if (app_config_set(&cfg, o[2] == 'c' ? "content" : "data_dir", argv[++i], err, sizeof err) != 0) {
                fprintf(stderr, "kiosk: %s %s\n", o, err);
                return 2;
            }
        }
        else if (!strcmp(o, "--lang") && v) lang = argv[++i];
        else if (!strcmp(o, "--size") && v) { if (parse_size(argv[++i], &w, &h) != 0) { usage(); return 2; } }
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
    if (!cfg.state_path[0] && cfg.content[0] &&
        fmt_fit(cfg.state_path, sizeof cfg.state_path, "%s.local", cfg.content) != 0) {
        /* a state database cut short would be another file, maybe someone else's */
        fprintf(stderr, "kiosk: the content path is too long for the state database beside it; set state = in the config\n");
        return 2;
    }
    if (!cfg.content[0] && fmt_fit(cfg.content, sizeof cfg.content, "%s/build/content/demo.db", cfg.data_dir) != 0) {
        fprintf(stderr, "kiosk: data directory path too long\n");
        return 2;
    }
    struct stat content_st;
    /* SQLite would wait on a FIFO for good, past SIGTERM; a missing file is reported as it opens */
    if (stat(cfg.content, &content_st) == 0 && !S_ISREG(content_st.st_mode)) {
        fprintf(stderr, "kiosk: content %s: not a regular file\n", cfg.content);
        return 1;
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
    if (k.win && software) software_renderer(&k);
    else if (k.win) k.r = SDL_CreateRenderer(k.win, -1, 0);
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
    char fonts[sizeof cfg.data_dir + 32];
    if (fmt_fit(fonts, sizeof fonts, "%s/fonts/fallback.ini", cfg.data_dir) != 0) {
        fprintf(stderr, "kiosk: data directory path too long\n");
    } else if (text_engine_open(&k.te, fonts, err, sizeof err) != 0) {
        fprintf(stderr, "kiosk: fonts: %s\n", err);
    } else if (app_open(&k.a, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "kiosk: %s\n", err);
    } else if (!(k.u = ui_create(k.r, k.te, cfg.data_dir, cfg.px_per_mm, err, sizeof err))) {
        fprintf(stderr, "kiosk: %s\n", err);
    } else {
        ui_resize(k.u, k.w, k.h);
        k.data_dir = cfg.data_dir;
        /* a turned panel draws into k.target, whose pixels the UI cannot reach */
        ui_set_canvas(k.u, k.r, k.target ? NULL : k.canvas);
        /* pictogram rasters beside the state database: rasterised on the first start only */
        if (cfg.state_path[0]) {
            char rd[sizeof cfg.state_path + 16];
            const char *slash = strrchr(cfg.state_path, '/');
            int len = slash ? (int)(slash - cfg.state_path) : 1;
            /* without it every start rasterises the pictograms again: slower, not wrong */
            if (fmt_fit(rd, sizeof rd, "%.*s/rasters", len, slash ? cfg.state_path : ".") != 0 || ui_set_raster_dir(k.u, rd) != 0)
                log_msg("ui", "the state path is too long for a rasters folder beside it; none kept");
        }
        k.sounds = cfg.sounds;
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
            sc.reserve_bytes = (int64_t)cfg.disk_reserve_mib << 20;
            snprintf(sc.publication, sizeof sc.publication, "%s", cfg.publication);
            k.sync = sync_start(&sc);
        }
        rc = script ? kiosk_replay(&k, script) : run_loop(&k, first_frame);
        if (first_frame) {
            /* the moment of the first present (the bench's clock before exec is the other end),
             * and what it cost to get there: the teardown that follows is no part of it */
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            SDL_RendererInfo ri = {0};
            SDL_GetRendererInfo(k.r, &ri);
            int64_t user_us = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
            int64_t sys_us = (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
            printf("first_frame_done peak_rss_kib=%ld renderer=%s presented_ns=%lld user_ms=%.1f sys_ms=%.1f "
                   "minor_faults=%ld major_faults=%ld\n",
                   ru.ru_maxrss, ri.name ? ri.name : "?", (long long)((int64_t)now.tv_sec * 1000000000 + now.tv_nsec),
                   (double)user_us / 1000.0, (double)sys_us / 1000.0, ru.ru_minflt, ru.ru_majflt);
            fflush(stdout);
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
    img_dl_quit();
    SDL_Quit();
    return rc;
}
