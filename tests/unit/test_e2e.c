/*
 * End-to-end walks: the real kiosk binary replays scripts headless (SDL dummy driver, software
 * renderer) on the demo content, writes screenshots, and this test looks at their pixels.
 * Usage: test_e2e BUILD_DIR (the kiosk binary and content/demo.db live there).
 */
#include "check.h"
#include "booking/slots.h"
#include "i18n/i18n.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *build;
static char shots[256];

/* Run the kiosk with args on a script; returns its exit status (0 = every expectation held). */
static int run_walk_into(const char *name, const char *args, const char *script, const char *out);
/* Where a walk's report-text found a text: x, y, w, h, lines, longest; -1 when not drawn. */
static int text_box(const char *walk_name, const char *needle, int box[6]);
/* The box of target id in a walk's log (report-targets): x, y, w, h; -1 when not there. */
static int target_box(const char *walk_name, const char *id, int box[4]);

static int run_walk(const char *name, const char *args, const char *script)
{
    return run_walk_into(name, args, script, shots);
}

/* The same, writing its screenshots into the folder out. */
static int run_walk_into(const char *name, const char *args, const char *script, const char *out)
{
    char path[600], cmd[4096];
    snprintf(path, sizeof path, "%s/e2e-%s.txt", shots, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(script, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy %s/kiosk %s --script %s --shots %s > %s/e2e-%s.log 2>&1", build,
             args, path, out, shots, name);
    int rc = system(cmd);
    if (rc != 0) {
        snprintf(cmd, sizeof cmd, "cat %s/e2e-%s.log", shots, name);
        if (system(cmd) != 0) {}
    }
    return rc;
}

/* A walk on the demo content at a screen size, optionally starting in a language. */
static int walk(const char *name, const char *lang, const char *size, const char *script)
{
    char args[1024];
    snprintf(args, sizeof args, "--content %s/content/demo.db --size %s %s%s", build, size, lang ? "--lang " : "",
             lang ? lang : "");
    return run_walk(name, args, script);
}

static SDL_Surface *shot(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.png", shots, name);
    SDL_Surface *s = IMG_Load(path);
    if (!s) return NULL;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

/* The categories screen in a language, from a walk of its own: no test reads another's shots. */
static SDL_Surface *categories_shot(const char *lang)
{
    char name[64], script[256];
    snprintf(name, sizeof name, "own-%s-categories", lang);
    snprintf(script, sizeof script, "tap lang:%s\nexpect screen categories\nshot %s\n", lang, name);
    if (walk(name, NULL, "1920x1080", script) != 0) return NULL;
    return shot(name);
}

static uint32_t px(SDL_Surface *s, int x, int y) { return ((uint32_t *)s->pixels)[y * (s->pitch / 4) + x] & 0xFFFFFF; }

/* Share of pixels that differ between two same-sized shots. */
static double diff(SDL_Surface *a, SDL_Surface *b)
{
    if (!a || !b || a->w != b->w || a->h != b->h) return -1;
    long d = 0;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) d += px(a, x, y) != px(b, x, y);
    return (double)d / ((double)a->w * a->h);
}

/* The same between rows y0 and y1 only. */
static double diff_rows(SDL_Surface *a, SDL_Surface *b, int y0, int y1)
{
    if (!a || !b || a->w != b->w || a->h != b->h || y0 >= y1) return -1;
    long d = 0;
    for (int y = y0; y < y1 && y < a->h; y++)
        for (int x = 0; x < a->w; x++) d += px(a, x, y) != px(b, x, y);
    return (double)d / ((double)a->w * (y1 - y0));
}

/* Dark pixels (text, pictograms) in a rectangle. */
static long ink(SDL_Surface *s, int x0, int y0, int w, int h)
{
    long n = 0;
    for (int y = y0; y < y0 + h && y < s->h; y++)
        for (int x = x0; x < x0 + w && x < s->w; x++) {
            uint32_t p = px(s, x, y);
            int lum = (int)(((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255)) / 3;
            n += lum < 110;
        }
    return n;
}

static const char *tr(const char *lang, const char *msgid)
{
    /* a few calls may share one printf: rotate buffers */
    static char bufs[4][512];
    static int next;
    char *out = bufs[next++ % 4];
    char path[256], err[512];
    i18n_catalog *c = NULL;
    snprintf(path, sizeof path, "translations/%s.po", lang);
    i18n_catalog_load(&c, path, lang, err, sizeof err);
    snprintf(out, 512, "%s", i18n_gettext(c, msgid));
    i18n_catalog_free(c);
    return out;
}

static void append(char *script, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A PNG from build/screens/. */
static SDL_Surface *screen_png(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/screens/%s.png", build, name);
    SDL_Surface *s = IMG_Load(path);
    if (!s) return NULL;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

/*
 * The gallery: every language at the three panel sizes, for people to look at (build/screens/,
 * LANG-SIZE-home|list|detail.png and attract-SIZE.png): the topics ("Home"), the language
 * courses and the first of them. Each screen drawn without tofu (the text engine's count) and
 * each image checked: its size, not blank (text and pictograms on it). Back and Home work too.
 */
TEST(screens_of_every_language)
{
    const char *sizes[] = {"800x480", "1920x1080", "1080x1920"};
    const char *pages[] = {"home", "list", "detail"};
    char dir[300];
    snprintf(dir, sizeof dir, "%s/screens", build);
    mkdir(dir, 0755);
    for (int z = 0; z < 3; z++) {
        static char script[32768];
        snprintf(script, sizeof script, "expect screen attract\nexpect no-tofu\nshot attract-%s\n", sizes[z]);
        for (int i = 0; i < i18n_lang_count(); i++) {
            const char *l = i18n_lang_at(i)->code, *sz = sizes[z];
            append(script, sizeof script,
                   "tap lang:%s\nexpect screen categories\nexpect lang %s\nexpect no-tofu\nshot %s-%s-home\n"
                   "tap cat:language\nexpect screen list\nexpect no-tofu\nshot %s-%s-list\n"
                   "tap row:0\nexpect screen detail\nexpect no-tofu\nshot %s-%s-detail\n"
                   "tap back\nexpect screen list\ntap home\nexpect screen categories\ntap languages\nexpect screen attract\n",
                   l, l, l, sz, l, sz, l, sz);
        }
        char name[64], args[600];
        snprintf(name, sizeof name, "screens-%s", sizes[z]);
        snprintf(args, sizeof args, "--content %s/content/demo.db --size %s", build, sizes[z]);
        CHECK(run_walk_into(name, args, script, dir) == 0, "%s: every language, home, list and offer, without tofu", sizes[z]);
        int w = 0, h = 0, good = 0, n = 0;
        sscanf(sizes[z], "%dx%d", &w, &h);
        for (int i = 0; i < i18n_lang_count(); i++)
            for (int p = 0; p < 3; p++) {
                char shot_name[96];
                snprintf(shot_name, sizeof shot_name, "%s-%s-%s", i18n_lang_at(i)->code, sizes[z], pages[p]);
                SDL_Surface *sf = screen_png(shot_name);
                n++;
                /* not blank: dark ink (text, pictograms) on at least 1 % of it */
                long dark = sf ? ink(sf, 0, 0, sf->w, sf->h) : 0;
                int ok = sf && sf->w == w && sf->h == h && dark * 100 > (long)w * h / 100;
                if (!ok) printf("screens: %s is %s (%ld dark pixels)\n", shot_name, sf ? "blank or the wrong size" : "missing", dark);
                good += ok;
                SDL_FreeSurface(sf);
            }
        CHECK(good == n, "%s: %d of %d images the panel's size, with text on them", sizes[z], good, n);
    }
}

TEST(rtl_mirrors_and_differs)
{
    SDL_Surface *en = categories_shot("en"), *ar = categories_shot("ar"), *fa = categories_shot("fa");
    CHECK(en && ar && fa, "shots exist");
    if (!en || !ar || !fa) {
        SDL_FreeSurface(en);
        SDL_FreeSurface(ar);
        SDL_FreeSurface(fa);
        return;
    }
    CHECK(diff(en, ar) > 0.01, "Arabic screen differs from English (%.3f)", diff(en, ar));
    /* the first category tile sits top-left in English and top-right in Arabic: same pictogram */
    /* the layout itself: back, home and the first category at the start edge; language at the end */
    CHECK(walk("mirror-en", "en", "1920x1080",
               "expect left back\nexpect left home\nexpect right languages\nexpect left cat:housing\n"
               "expect right cat:health\n") == 0, "English reads from the left");
    const char *rtl[] = {"ar", "fa", "prs", "ps", "ckb", "ur"};
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "mirror-%s", rtl[i]);
        CHECK(walk(name, rtl[i], "1920x1080",
                   "expect right back\nexpect right home\nexpect left languages\nexpect right cat:housing\n"
                   "expect left cat:health\n") == 0,
              "%s mirrored", rtl[i]);
    }
    SDL_FreeSurface(en);
    SDL_FreeSurface(ar);
    SDL_FreeSurface(fa);
}

TEST(scripts_have_ink)
{
    /* Ethiopic and Nastaliq: the attract buttons and category names draw real glyphs */
    const char *langs[] = {"ti", "ur", "ckb", "ps"};
    for (int i = 0; i < 4; i++) {
        SDL_Surface *s = categories_shot(langs[i]);
        CHECK(s && ink(s, 0, 0, s->w, s->h) > 20000, "%s has text and pictograms", langs[i]);
        if (s) SDL_FreeSurface(s);
    }
}

TEST(sizes)
{
    const char *sizes[] = {"1080x1920", "800x480", "1920x1080"};
    const char *langs[] = {"de", "ar"};
    for (int s = 0; s < 3; s++)
        for (int l = 0; l < 2; l++) {
            char script[1024], name[64];
            snprintf(name, sizeof name, "size-%s-%s", langs[l], sizes[s]);
            snprintf(script, sizeof script,
                     "shot %s-attract\ntap lang:%s\nexpect no-tofu\nshot %s-categories\n"
                     "tap cat:counselling\nexpect screen list\nshot %s-list\ntap row:1\nexpect screen detail\n"
                     "expect no-tofu\nshot %s-detail\n",
                     name, langs[l], name, name, name);
            CHECK(walk(name, NULL, sizes[s], script) == 0, "%s at %s", langs[l], sizes[s]);
            char shotname[96];
            snprintf(shotname, sizeof shotname, "%s-categories", name);
            SDL_Surface *sf = shot(shotname);
            int w, h;
            sscanf(sizes[s], "%dx%d", &w, &h);
            CHECK(sf && sf->w == w && sf->h == h, "shot is %s", sizes[s]);
            if (sf) SDL_FreeSurface(sf);
        }
}

TEST(fallback_marker)
{
    /* Tigrinya is partly translated: some offer must show the marker in Tigrinya */
    char script[4096];
    const char *mark = tr("ti", "Not available in your language");
    snprintf(script, sizeof script,
             "tap lang:ti\ntap cat:health\nexpect screen list\nexpect text %s\ntap row:0\nexpect screen detail\n"
             "expect text %s\nshot ti-fallback\n",
             mark, mark);
    CHECK(walk("fallback-ti", NULL, "1920x1080", script) == 0, "marker \"%s\" shown", mark);
    snprintf(script, sizeof script, "tap lang:de\ntap cat:health\nexpect no-text %s\n",
             tr("de", "Not available in your language"));
    CHECK(walk("fallback-de", NULL, "1920x1080", script) == 0, "no marker in the source language");
}

/* Bands of the marker colour (#FFD966) crossing the column at x: notices drawn on the screen. */
static int marker_bands(SDL_Surface *s, int x)
{
    int bands = 0, in = 0;
    for (int y = 0; s && y < s->h; y++) {
        int m = px(s, x, y) == 0xFFD966;
        if (m && !in) bands++;
        in = m;
    }
    return bands;
}

/* WCAG 2.x contrast ratio of two sRGB colours 0xRRGGBB. */
static double contrast(uint32_t a, uint32_t b)
{
    double l[2];
    uint32_t c[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        double ch[3], sum = 0;
        for (int k = 0; k < 3; k++) {
            double v = ((c[i] >> (16 - 8 * k)) & 0xFF) / 255.0;
            ch[k] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
        }
        sum = 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
        l[i] = sum;
    }
    double hi = l[0] > l[1] ? l[0] : l[1], lo = l[0] > l[1] ? l[1] : l[0];
    return (hi + 0.05) / (lo + 0.05);
}

TEST(borders_stand_out)
{
    /* WCAG 1.4.11: a tile's or key's edge at least 3:1 against what surrounds it. Walk into the
     * first category tile and the first key from the background and measure the first colour met. */
    CHECK(walk("contrast", NULL, "1920x1080", "tap lang:de\nshot contrast-cat\ntap search\nshot contrast-kb\n") == 0,
          "categories and keyboard drawn");
    const char *names[] = {"contrast-cat", "contrast-kb"};
    for (int n = 0; n < 2; n++) {
        SDL_Surface *s = shot(names[n]);
        CHECK(s != NULL, "%s shot", names[n]);
        if (!s) continue;
        uint32_t bg = 0xF5F2EB; /* the standard background */
        double worst = 100;
        int edges = 0;
        for (int y = s->h / 4; y < s->h - 4; y += s->h / 16) {
            for (int x = 1; x < s->w / 2; x++) {
                uint32_t p = px(s, x, y), q = px(s, x - 1, y);
                if (q == bg && p != bg && px(s, x + 1, y) != bg && px(s, x + 4, y) != p) {
                    double r = contrast(p, bg);
                    if (r < worst) worst = r;
                    edges++;
                    break;
                }
            }
        }
        CHECK(edges > 0 && worst >= 3.0, "%s: edges against the background at least 3:1 (worst %.2f:1 of %d)", names[n],
              worst, edges);
        SDL_FreeSurface(s);
    }
}

TEST(lists_mark_what_can_be_booked)
{
    char script[1024];
    snprintf(script, sizeof script, "tap cat:language\nexpect screen list\nexpect visible %s\nshot list-bookable\n",
             tr("ar", "Book an appointment"));
    CHECK(walk("list-bookable", "ar", "800x480", script) == 0, "the language course list marks the bookable test");
    snprintf(script, sizeof script, "tap cat:health\nexpect screen list\nexpect no-text %s\n",
             tr("de", "Book an appointment"));
    CHECK(walk("list-not-bookable", "de", "1920x1080", script) == 0, "a list without bookable offers shows no mark");
}

TEST(translation_notices_once_per_screen)
{
    /* Dari: the MBE offer is machine-translated and partly falls back to Persian or German */
    char script[4096];
    const char *machine = tr("prs", "Translated by a machine. No person has checked it yet.");
    snprintf(script, sizeof script,
             "tap search\ntap kb-layout:latin\ntap key:m\ntap key:b\ntap key:e\ntap row:0\nexpect screen detail\n"
             "expect visible %s\nshot prs-notices\n", machine);
    CHECK(walk("notices-prs", "prs", "1920x1080", script) == 0, "Dari: the machine translation is disclosed");
    SDL_Surface *s = shot("prs-notices");
    int bands = marker_bands(s, s ? s->w * 3 / 4 : 0); /* RTL: the notices head the text column on the right */
    CHECK(bands >= 1 && bands <= 2, "one notice per kind at the top, not a marker per field (%d bands)", bands);
    if (s) SDL_FreeSurface(s);
    snprintf(script, sizeof script,
             "tap search\ntap key:m\ntap key:b\ntap key:e\ntap row:0\nexpect screen detail\nexpect no-text %s\n",
             tr("de", "Translated by a machine. No person has checked it yet."));
    CHECK(walk("notices-de", "de", "1920x1080", script) == 0, "German source text: no machine notice");
}

TEST(phone_reads_left_to_right_in_arabic)
{
    /* the text engine's visual order is unit-tested; here the detail screen must show the number */
    CHECK(walk("phone-ar", "ar", "1920x1080",
               "tap cat:protection\ntap row:0\nexpect screen detail\nexpect text +49\nshot ar-phone\n") == 0,
          "phone on the Arabic detail screen");
}

TEST(scroll_with_inertia)
{
    CHECK(walk("scroll", "de", "800x480",
               "tap cat:language\nexpect screen list\ndrag 0.5 0.9 0.5 0.3 200\nexpect scrolled 100\n"
               "wait 800\nexpect scrolled 400\nshot scrolled\ntap back\ntap back\nexpect screen attract\n") == 0,
          "drag scrolls and keeps gliding");
}

TEST(idle_reset)
{
    char script[1024];
    snprintf(script, sizeof script,
             "tap lang:en\ntap cat:work\nwait 85000\nexpect screen list\nexpect text Returning to the start in 5\n"
             "shot countdown\nwait 6000\nexpect screen attract\nexpect lang de\n"
             "tap lang:ar\nwait 50000\ntap 960 1060\nwait 50000\nexpect screen categories\n"
             "key Escape\nkey F4\nexpect screen categories\n");
    CHECK(walk("idle", NULL, "1920x1080", script) == 0, "countdown, reset to attract, touch keeps the session");
}

/* A walk with a config file (staff mode needs a PIN hash, keys and a media folder). */
static int walk_cfg(const char *name, const char *cfg, const char *script)
{
    char args[600];
    snprintf(args, sizeof args, "--config %s --size 1920x1080", cfg);
    return run_walk(name, args, script);
}

static void sh(const char *fmt, const char *a)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, fmt, a, a, a, a, a, a, a, a);
    if (system(cmd) != 0) printf("command failed: %s\n", cmd);
}

TEST(staff_mode_loads_a_pack)
{
    /* a stick with a good demo pack (version 2) and one altered after signing */
    char dir[300], cfg[400], db[400];
    snprintf(dir, sizeof dir, "%s/staff", shots);
    sh("rm -rf %s && mkdir -p %s/media/stick && cp -r content/demo %s/src && "
       "sed -i 's/\"version\": 1/\"version\": 2/' %s/src/pack.json && ln -s \"$PWD/content/pictograms\" %s/src/pictograms && "
       "rm %s/src/offers/tsv-frauensport.json && sed -i 's/Sprachcafé/Sprach-Café/' %s/src/offers/stadtbibliothek-sprachcafe.json",
       dir);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "%s/kiosk-pack build %s/src %s/v2.db && %s/kiosk-pack sign %s/v2.db content/keys/demo.secret "
             "%s/media/stick/a-update.kpack && cp %s/media/stick/a-update.kpack %s/media/stick/b-altered.kpack && "
             "printf 'X' | dd of=%s/media/stick/b-altered.kpack bs=1 seek=30 conv=notrunc 2>/dev/null && "
             "cp %s/content/demo.db %s/content.db",
             build, dir, dir, build, dir, dir, dir, dir, dir, build, dir);
    CHECK(system(cmd) == 0, "test media prepared");
    snprintf(db, sizeof db, "%s/content.db", dir);
    snprintf(cfg, sizeof cfg, "%s/kiosk.ini", dir);
    FILE *f = fopen(cfg, "w");
    fprintf(f,
            "[kiosk]\ncontent = %s\ndata_dir = .\nstate = %s/local.db\nmedia_dir = %s/media\n"
            "trusted_keys = content/keys/demo.pub\n"
            "staff_pin_hash = $argon2id$v=19$m=131072,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$"
            "lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs\n",
            db, dir, dir);
    fclose(f);
    char script[4096], counts[256];
    /* the stick's pack drops one offer and renames another */
    snprintf(counts, sizeof counts, tr("de", "%d added, %d changed, %d removed"), 0, 1, 1);
    snprintf(script, sizeof script,
             "tap 960 1000\nexpect screen categories\ntap languages\n"
             "hold staff-corner\nexpect screen pin\nshot staff-pin\n"
             "tap pin:1\ntap pin:1\ntap pin:1\ntap pin:1\ntap pin:ok\nsettle\nexpect screen pin\nexpect text %s\n"
             "tap pin:2\ntap pin:4\ntap pin:6\ntap pin:8\ntap pin:1\ntap pin:0\ntap pin:ok\nexpect screen pin\nexpect text %s\nsettle\n"
             "expect screen staff\nexpect text a-update.kpack\n"
             "expect text %s\nshot staff\ntap check:0\nsettle\nexpect text → 2\nexpect text %s\nshot staff-preview\n"
             "tap apply:0\nexpect text %s 2\nshot staff-installed\n"
             "tap staff-leave\nexpect screen attract\n",
             tr("de", "Wrong PIN"), tr("de", "Checking…"), tr("de", "the signature does not match the trusted key"), counts,
             tr("de", "Installed: version"));
    CHECK(walk_cfg("staff", cfg, script) == 0, "staff walk");
    snprintf(cmd, sizeof cmd, "test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key='content_version'\")\" = 2", db);
    CHECK(system(cmd) == 0, "version 2 installed");
    /* the PIN locks after three wrong tries, and stays locked for the right PIN too */
    snprintf(script, sizeof script,
             "hold staff-corner\n"
             "tap pin:9\ntap pin:9\ntap pin:9\ntap pin:9\ntap pin:ok\nsettle\n"
             "tap pin:9\ntap pin:9\ntap pin:9\ntap pin:9\ntap pin:ok\nsettle\n"
             "tap pin:9\ntap pin:9\ntap pin:9\ntap pin:9\ntap pin:ok\nsettle\n"
             "tap pin:2\ntap pin:4\ntap pin:6\ntap pin:8\ntap pin:1\ntap pin:0\ntap pin:ok\nsettle\nexpect screen pin\nshot staff-locked\n"
             "tap back\nexpect screen attract\n");
    CHECK(walk_cfg("staff-lock", cfg, script) == 0, "lockout");
    /* staff can quit the kiosk (nothing else can): the rest of the script never runs; the
     * lockout above is remembered in the kiosk's database, so start from a fresh one */
    sh("rm -f %s/local.db %s/local.db-wal %s/local.db-shm", dir);
    CHECK(walk_cfg("staff-quit", cfg,
                   "hold staff-corner\ntap pin:2\ntap pin:4\ntap pin:6\ntap pin:8\ntap pin:1\ntap pin:0\ntap pin:ok\nsettle\n"
                   "expect screen staff\ntap staff-quit\nexpect screen never-reached\n") == 0,
          "quit from staff mode");
    /* Check and then Leave at once (the check still running or not yet seen): nothing stays staged */
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/v2.db \"UPDATE meta SET value='3' WHERE key='content_version'\" && %s/kiosk-pack sign %s/v2.db "
             "content/keys/demo.secret %s/media/stick/c-v3.kpack && rm -f %s/local.db %s/local.db-wal %s/local.db-shm",
             dir, build, dir, dir, dir, dir, dir);
    CHECK(system(cmd) == 0, "a version 3 pack on the stick");
    CHECK(walk_cfg("staff-check-leave", cfg,
                   "hold staff-corner\ntap pin:2\ntap pin:4\ntap pin:6\ntap pin:8\ntap pin:1\ntap pin:0\ntap pin:ok\nsettle\n"
                   "expect screen staff\nexpect text c-v3.kpack\ntap check:2\ntap staff-leave\nexpect screen attract\n") == 0,
          "check, then leave");
    snprintf(cmd, sizeof cmd, "ls %s/content.db.new* 2>/dev/null | grep -q .", dir);
    CHECK(system(cmd) != 0, "no staging file after Check then Leave");
    snprintf(cmd, sizeof cmd, "test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key='content_version'\")\" = 2", db);
    CHECK(system(cmd) == 0, "and the content is still version 2");
    /* a short press in the corner is just a touch */
    CHECK(walk_cfg("staff-short", cfg, "tap staff-corner\nexpect screen categories\n") == 0, "short press starts");
    /* installed content the kiosk cannot open: it starts on the content that was replaced */
    snprintf(cmd, sizeof cmd, "cp %s %s.prev && echo 'CREATE TABLE meta(key, value);' | sqlite3 %s.bad && mv %s.bad %s", db,
             db, db, db, db);
    CHECK(system(cmd) == 0, "installed content broken, the previous kept");
    CHECK(walk_cfg("fallback", cfg, "expect screen attract\ntap staff-corner\nexpect screen categories\n") == 0,
          "the kiosk starts anyway");
    snprintf(cmd, sizeof cmd, "test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key='content_version'\")\" = 2", db);
    CHECK(system(cmd) == 0, "on the previous content");
}

/* The staff corner is no visitor's button: with an Arabic default language the attract screen is
 * mirrored, and the corner (then fixed top-left) lay over Contrast, so a long press there also
 * turned on high contrast. In both directions and on both panels it overlaps no other target. */
TEST(staff_corner_clear_of_buttons)
{
    const char *defaults[] = {"de", "ar"}, *sizes[] = {"800x480", "1920x1080"};
    for (int d = 0; d < 2; d++)
        for (int z = 0; z < 2; z++) {
            char cfg[600], name[64], args[800];
            snprintf(cfg, sizeof cfg, "%s/corner-%s.ini", shots, defaults[d]);
            FILE *f = fopen(cfg, "w");
            if (!f) continue;
            fprintf(f, "[kiosk]\ncontent = %s/content/demo.db\ndata_dir = .\ndefault_language = %s\n"
                       "staff_pin_hash = $argon2id$v=19$m=131072,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$"
                       "lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs\n",
                    build, defaults[d]);
            fclose(f);
            snprintf(name, sizeof name, "corner-%s-%s", defaults[d], sizes[z]);
            snprintf(args, sizeof args, "--config %s --size %s", cfg, sizes[z]);
            CHECK(run_walk(name, args, "expect screen attract\nreport-targets\nhold staff-corner\nexpect screen pin\n") == 0,
                  "%s: a long press in the corner opens the PIN pad", name);
            int c[4];
            CHECK(!target_box(name, "staff-corner", c), "%s: the corner is a target", name);
            char path[600], line[1024];
            snprintf(path, sizeof path, "%s/e2e-%s.log", shots, name);
            f = fopen(path, "r");
            int others = 0, over = 0;
            char what[200] = "";
            while (f && fgets(line, sizeof line, f)) {
                char id[128];
                int b[4];
                if (sscanf(line, "target %127s x=%d y=%d w=%d h=%d", id, &b[0], &b[1], &b[2], &b[3]) != 5 ||
                    !strcmp(id, "staff-corner"))
                    continue;
                others++;
                if (b[0] < c[0] + c[2] && c[0] < b[0] + b[2] && b[1] < c[1] + c[3] && c[1] < b[1] + b[3]) {
                    over++;
                    snprintf(what, sizeof what, "%s at %d,%d", id, b[0], b[1]);
                }
            }
            if (f) fclose(f);
            CHECK(others > 5 && over == 0, "%s: the corner (%d,%d %dx%d) over none of %d targets (%s)", name, c[0], c[1],
                  c[2], c[3], others, what);
        }
}

/* The PIN pad after three wrong PINs (the lock message shown) in Arabic on 7-inch panels, both
 * ways up: every key whole on the screen and a finger high (the bottom row was cut to 7 mm). */
TEST(pin_pad_fits_small_panels)
{
    const char *sizes[] = {"800x480", "480x800", "1024x600"};
    char cfg[600];
    snprintf(cfg, sizeof cfg, "%s/pinpad-ar.ini", shots);
    for (int z = 0; z < 3; z++) {
        char state[600], name[64], args[800];
        snprintf(state, sizeof state, "%s/pinpad-%d.db", shots, z);
        unlink(state);
        FILE *f = fopen(cfg, "w");
        if (!f) return;
        fprintf(f, "[kiosk]\ncontent = %s/content/demo.db\ndata_dir = .\ndefault_language = ar\nstate = %s\n"
                   "staff_pin_hash = $argon2id$v=19$m=131072,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$"
                   "lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs\n",
                build, state);
        fclose(f);
        snprintf(name, sizeof name, "pinpad-ar-%s", sizes[z]);
        snprintf(args, sizeof args, "--config %s --size %s", cfg, sizes[z]);
        CHECK(run_walk(name, args,
                       "hold staff-corner\nexpect screen pin\ntap pin:1\ntap pin:ok\nsettle\ntap pin:1\ntap pin:ok\nsettle\n"
                       "tap pin:1\ntap pin:ok\nsettle\ntap pin:1\nshot pinpad\nreport-targets\n") == 0,
              "%s: three wrong PINs", name);
        int w = 0, h = 0;
        sscanf(sizes[z], "%dx%d", &w, &h);
        const char *keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
        int whole = 0, high = 0;
        for (int i = 0; i < 12; i++) {
            char id[16];
            int b[4];
            snprintf(id, sizeof id, "pin:%s", keys[i]);
            if (target_box(name, id, b)) continue;
            whole += b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= w && b[1] + b[3] <= h;
            high += b[3] >= 60 && b[2] >= 60;
        }
        CHECK(whole == 12 && high == 12, "%s: all 12 keys on the screen (%d) and a finger high and wide (%d)", name, whole,
              high);
    }
}

TEST(access_modes)
{
    /* large text and high contrast from every screen, in de and ar; reset at idle */
    const char *langs[] = {"de", "ar"};
    for (int i = 0; i < 2; i++) {
        const char *l = langs[i];
        char script[2048], name[64];
        snprintf(script, sizeof script,
                 "shot %s-normal-cat\ntap large-text\nexpect no-tofu\nshot %s-large-cat\ntap cat:health\nshot %s-large-list\n"
                 "tap contrast\nshot %s-large-contrast-list\ntap row:0\nexpect no-tofu\nshot %s-large-contrast-detail\n"
                 "tap large-text\nshot %s-contrast-detail\nwait 95000\nexpect screen attract\nshot %s-after-reset\n",
                 l, l, l, l, l, l, l);
        snprintf(name, sizeof name, "access-%s", l);
        CHECK(walk(name, l, "1920x1080", script) == 0, "%s access walk", l);
        char ref[64];
        snprintf(ref, sizeof ref, "attract-%s", l);
        snprintf(script, sizeof script, "shot attract-%s\n", l);
        CHECK(walk(ref, NULL, "1920x1080", script) == 0, "%s: the language screen as it starts", l);
        char a[64], b[64];
        snprintf(a, sizeof a, "%s-normal-cat", l);
        snprintf(b, sizeof b, "%s-large-cat", l);
        SDL_Surface *n = shot(a), *g = shot(b);
        CHECK(n && g && diff(n, g) > 0.01, "%s: large text changes the screen", l);
        if (n) SDL_FreeSurface(n);
        if (g) SDL_FreeSurface(g);
        snprintf(a, sizeof a, "%s-contrast-detail", l);
        SDL_Surface *c = shot(a);
        /* high contrast: mostly black background */
        long dark = 0;
        for (int y = 0; c && y < c->h; y += 4)
            for (int x = 0; x < c->w; x += 4) dark += px(c, x, y) == 0;
        CHECK(c && dark * 16 > (long)c->w * c->h / 2, "%s: high contrast is white on black (%ld dark samples)", l, dark);
        if (c) SDL_FreeSurface(c);
        snprintf(a, sizeof a, "%s-after-reset", l);
        snprintf(b, sizeof b, "attract-%s", l);
        SDL_Surface *r = shot(a), *o = shot(b);
        /* the buttons, not the invitation above and below them: it turns on its own timer */
        CHECK(r && o && diff_rows(r, o, r->h / 8, r->h / 2) < 0.001, "%s: the idle reset restores the normal look", l);
        if (r) SDL_FreeSurface(r);
        if (o) SDL_FreeSurface(o);
    }
    /* the speaker button only where espeak-ng has a voice */
    CHECK(walk("speak-ar", "ar", "1920x1080", "expect widget speak\ntap speak\nsettle\ntap cat:health\ntap speak\n") == 0,
          "Arabic has a speaker button");
    CHECK(walk("speak-ti", "ti", "1920x1080", "expect no-widget speak\n") == 0, "Tigrinya has none");
}

TEST(turned_panel)
{
    /* a landscape panel mounted upright: rotation = 90 lays out in portrait */
    char cfg[300];
    snprintf(cfg, sizeof cfg, "%s/rotated.ini", shots);
    FILE *f = fopen(cfg, "w");
    fprintf(f, "[kiosk]\ncontent = %s/content/demo.db\nrotation = 90\n", build);
    fclose(f);
    CHECK(walk_cfg("rotated", cfg, "tap lang:de\nexpect screen categories\nshot rotated-categories\n") == 0, "walk");
    SDL_Surface *s = shot("rotated-categories");
    CHECK(s && s->w == 1080 && s->h == 1920, "the layout is portrait (%dx%d)", s ? s->w : 0, s ? s->h : 0);
    if (s) SDL_FreeSurface(s);
    f = fopen(cfg, "w");
    fprintf(f, "[kiosk]\ncontent = %s/content/demo.db\nrotation = 45\n", build);
    fclose(f);
    CHECK(walk_cfg("rotated-bad", cfg, "shot never\n") != 0, "a bad rotation is refused at start");
}

/* printf onto the end of a script */
static void append(char *script, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *script, size_t len, const char *fmt, ...)
{
    size_t o = strlen(script);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(script + o, len - o, fmt, ap);
    va_end(ap);
}

/* Typing UTF-8 text on the on-screen keyboard: one "tap key:X" per character. */
static void type_keys(char *script, size_t len, const char *text)
{
    size_t o = strlen(script);
    for (const char *p = text; *p && o + 32 < len;) {
        int n = 1;
        while ((p[n] & 0xC0) == 0x80) n++;
        if (*p == ' ') o += (size_t)snprintf(script + o, len - o, "tap key:space\n");
        else o += (size_t)snprintf(script + o, len - o, "tap key:%.*s\n", n, p);
        p += n;
    }
}

TEST(search_on_the_keyboard)
{
    char script[4096];
    /* Arabic UI: the Arabic layout comes first; a provider typed in Arabic letters finds Caritas */
    snprintf(script, sizeof script, "tap search\nexpect screen search\nexpect widget key:ض\nexpect no-tofu\nshot ar-search-empty\n");
    type_keys(script, sizeof script, "كاريتاس");
    strcat(script, "expect text Caritas\nexpect no-tofu\nshot ar-search-caritas\ntap row:0\nexpect screen detail\n"
                   "tap back\nexpect screen search\ntap key:clear\nexpect no-text Caritas\n");
    CHECK(walk("search-ar", "ar", "1920x1080", script) == 0, "ar: type كاريتاس, open the result, come back");
    /* a Dari reader types a German word from a letter on the Latin layout */
    snprintf(script, sizeof script, "tap search\nexpect widget key:پ\ntap kb-layout:latin\nexpect widget key:q\n");
    type_keys(script, sizeof script, "jobcen");
    strcat(script, "expect text Jobcenter\nshot prs-search-jobcenter\n");
    CHECK(walk("search-prs", "prs", "1920x1080", script) == 0, "prs: Jobcenter on the Latin layout");
    /* Tigrinya: a consonant, then its vowel order */
    snprintf(script, sizeof script,
             "tap search\nexpect widget key:ከ\ntap key:ከ\nexpect widget key:ኪ\nexpect no-tofu\nshot ti-search-orders\n"
             "tap key:ኪ\nexpect no-widget key:ኪ\nexpect text ኪ\n");
    CHECK(walk("search-ti", "ti", "1920x1080", script) == 0, "ti: consonant then vowel order");
    /* nothing found: help instead of a dead end; then the idle reset forgets the query */
    snprintf(script, sizeof script, "tap search\n");
    type_keys(script, sizeof script, "qxqxq");
    strcat(script, "expect widget topics\nexpect widget guide\nshot de-search-nothing\nwait 95000\nexpect screen attract\n"
                   "tap lang:de\ntap search\nexpect no-text qxqxq\n");
    CHECK(walk("search-none", "de", "1920x1080", script) == 0, "de: nothing found, then idle reset");
}

TEST(every_keyboard_layout_has_glyphs)
{
    static const char *const layouts[] = {"de", "latin", "ar", "fa", "ps", "ckb", "ur", "cyrl", "ethi"};
    char script[4096] = "tap search\n";
    for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
        append(script, sizeof script, "tap kb-layout:%s\nexpect no-tofu\nshot kb-%s\n", layouts[i], layouts[i]);
    }
    CHECK(walk("keyboards", "de", "1080x1920", script) == 0, "nine layouts without tofu");
    /* each layout draws its own keys: the keyboard area differs between any two scripts */
    SDL_Surface *prev = NULL;
    for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
        char name[32];
        snprintf(name, sizeof name, "kb-%s", layouts[i]);
        SDL_Surface *s = shot(name);
        CHECK(s && ink(s, 0, s->h * 2 / 3, s->w, s->h / 3) > 2000, "%s: keys have ink", layouts[i]);
        if (prev && s) CHECK(diff(prev, s) > 0.002, "%s differs from the layout before", layouts[i]);
        if (prev) SDL_FreeSurface(prev);
        prev = s;
    }
    if (prev) SDL_FreeSurface(prev);
}

TEST(guided_questions)
{
    /* all five answered: matches with their reasons */
    CHECK(walk("guide-de", "de", "1920x1080",
               "tap guide\nexpect screen question\nexpect no-tofu\nshot guide-de-q1\ntap answer:0\ntap answer:0\n"
               "shot guide-de-q2-answered\ntap answer:0\ntap answer:0\ntap skip\nexpect screen matches\n"
               "expect text Schulalter\nexpect no-tofu\nshot guide-de-matches\ntap row:0\nexpect screen detail\n"
               "tap back\nexpect screen matches\n") == 0,
          "de: five questions, matches with why");
    /* not safe: straight to protection, with the emergency number */
    CHECK(walk("guide-ar", "ar", "1920x1080",
               "tap guide\nexpect no-tofu\nshot guide-ar-q1\ntap answer:1\nexpect screen matches\nexpect text 110\n"
               "expect no-tofu\nshot guide-ar-urgent\n") == 0,
          "ar: the not-safe answer leads to protection at once");
    CHECK(walk("guide-ti", "ti", "1920x1080", "tap guide\nexpect no-tofu\nshot guide-ti-q1\n") == 0, "ti question");
    /* answers are forgotten at idle reset */
    CHECK(walk("guide-reset", "de", "1920x1080",
               "tap guide\ntap answer:0\ntap answer:0\nwait 95000\nexpect screen attract\ntap lang:de\ntap guide\n"
               "expect text 1\nexpect screen question\n") == 0,
          "idle reset starts the questions anew");
}

/* ---- booking ---- */

/* A kiosk config for one booking walk: its own state database (fresh), retries every second. */
static const char *book_cfg(const char *name, const char *extra)
{
    static char cfg[400];
    char db[400];
    snprintf(db, sizeof db, "%s/book-%s.db", shots, name);
    sh("rm -f %s %s-wal %s-shm", db);
    snprintf(cfg, sizeof cfg, "%s/book-%s.ini", shots, name);
    FILE *f = fopen(cfg, "w");
    if (!f) return cfg;
    fprintf(f, "[kiosk]\ncontent = %s/content/demo.db\nstate = %s\nbooking_retry = 1\n%s", build, db, extra ? extra : "");
    fclose(f);
    return cfg;
}

/* The same config again (keeping its database), for a second walk on the same kiosk. */
static const char *book_cfg_again(const char *name)
{
    static char cfg[400];
    snprintf(cfg, sizeof cfg, "%s/book-%s.ini", shots, name);
    return cfg;
}

/* One text column of the only (or first) row a query on a walk's state database returns. */
static const char *book_db(const char *name, const char *sql)
{
    static char out[4][256];
    static int next;
    char *o = out[next++ % 4], db[400];
    o[0] = 0;
    snprintf(db, sizeof db, "%s/book-%s.db", shots, name);
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(o, 256, "%s", t ? (const char *)t : "(null)");
    }
    sqlite3_finalize(st);
    sqlite3_close(d);
    return o;
}

static int walk_book(const char *name, const char *cfg, const char *lang, const char *script)
{
    char args[600];
    snprintf(args, sizeof args, "--config %s --size 1920x1080 --lang %s", cfg, lang);
    return run_walk(name, args, script);
}

/* A file of the shots directory holds a string (a log must not hold a name). */
static int file_has(const char *file, const char *needle)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", shots, file);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

/* The way to the bookable counselling offer: search "mbe", open the hit, tap book. */
static void to_booking(char *script, size_t len, const char *layout)
{
    append(script, len, "tap search\n%s%s%s", layout ? "tap kb-layout:" : "", layout ? layout : "", layout ? "\n" : "");
    type_keys(script, len, "mbe");
    /* the keyboard put away: on a 7" panel the results then have the screen */
    append(script, len, "tap kb-hide\ntap row:0\nexpect screen detail\ntap book\nsettle\nexpect screen book-day\n");
}

/*
 * A booking walk "book-NAME" on a kiosk of its own (book_cfg NAME: a fresh state database on the
 * demo content): the way to the counselling offer on the Latin keyboard, then extra from the
 * day screen on, at size in lang. Returns the walk's exit status.
 */
static int book_walk(const char *name, const char *size, const char *lang, const char *extra)
{
    static char script[16384];
    char args[600], walk_name[64];
    const char *cfg = book_cfg(name, NULL);
    script[0] = 0;
    to_booking(script, sizeof script, "latin");
    append(script, sizeof script, "%s", extra);
    snprintf(args, sizeof args, "--config %s --size %s --lang %s", cfg, size, lang);
    snprintf(walk_name, sizeof walk_name, "book-%s", name);
    return run_walk(walk_name, args, script);
}

TEST(language_screen_invites)
{
    const char *langs[] = {"de", "en", "ar", "fa", "prs", "ps", "ckb", "ku", "ti", "tr", "ru", "uk", "fr", "so", "sq", "ur"};
    int n = (int)(sizeof langs / sizeof langs[0]);
    const char *sizes[] = {"1920x1080", "1080x1920", "800x480"};
    for (int z = 0; z < 3; z++) {
        /* one round of the invitation: each language's prompt in turn, each drawn without tofu */
        char script[8192] = "", name[64];
        for (int i = 0; i < n; i++) {
            append(script, sizeof script, "expect screen attract\nexpect text %s\nexpect no-tofu\n",
                   tr(langs[i], "Choose your language"));
            if (i < 2) append(script, sizeof script, "shot invite-%s-%d\n", sizes[z], i);
            append(script, sizeof script, "wait 4000\n");
        }
        append(script, sizeof script, "expect text %s\n", tr("de", "Choose your language"));
        snprintf(name, sizeof name, "invite-%s", sizes[z]);
        CHECK(walk(name, NULL, sizes[z], script) == 0, "%s: the prompt turns through all %d languages, no tofu", sizes[z], n);
        char s0[64], s1[64];
        snprintf(s0, sizeof s0, "invite-%s-0", sizes[z]);
        snprintf(s1, sizeof s1, "invite-%s-1", sizes[z]);
        SDL_Surface *a = shot(s0), *b = shot(s1);
        CHECK(a && b, "%s: shots", sizes[z]);
        if (a && b) {
            /* the heading changed under the timer */
            long top = 0;
            for (int y = 0; y < a->h / 6; y++)
                for (int x = 0; x < a->w; x++) top += px(a, x, y) != px(b, x, y);
            CHECK(top > 500, "%s: the prompt's pixels change after the timer (%ld)", sizes[z], top);
            if (z < 2) {
                /* the lower part of a large panel is no longer empty: a line and pictograms */
                long low = ink(a, 0, a->h * 3 / 5, a->w, a->h * 17 / 50);
                CHECK(low > 20000, "%s: the lower 40 %% has text and pictograms (%ld dark pixels)", sizes[z], low);
            }
        }
        SDL_FreeSurface(a);
        SDL_FreeSurface(b);
    }
}

/* The box of target id in a walk's log (report-targets): x, y, w, h; -1 when not there. */
static int target_box(const char *walk_name, const char *id, int box[4])
{
    char path[600], line[1024], want[160];
    snprintf(path, sizeof path, "%s/e2e-%s.log", shots, walk_name);
    snprintf(want, sizeof want, "target %s x=", id);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int rc = -1;
    while (rc && fgets(line, sizeof line, f))
        if (!strncmp(line, want, strlen(want)) &&
            sscanf(line + strlen(want) - 2, "x=%d y=%d w=%d h=%d", &box[0], &box[1], &box[2], &box[3]) == 4)
            rc = 0;
    fclose(f);
    return rc;
}

TEST(guided_questions_fit_small_panels)
{
    /* the first question in tall scripts, with and without large text, on 7-inch panels: each
     * run twice, the second with every pictogram's raster already on disk (SDL_image then not
     * yet opened: the kiosk crashed there on a tile too small for its pictogram); then scrolled
     * to its end (large text may not fit): the answers and Skip on the screen, none over another */
    const char *langs[] = {"ur", "ar", "ckb", "ti"};
    const char *sizes[] = {"800x480", "800x480", "1024x600"};
    for (int z = 0; z < 3; z++)
        for (int l = 0; l < 4; l++) {
            char name[64], end[80], script[256];
            snprintf(name, sizeof name, "guide-fit-%s-%s%s", langs[l], sizes[z], z == 0 ? "-large" : "");
            snprintf(end, sizeof end, "%s-end", name);
            int w = 0, h = 0, a0[4], a1[4], sk[4];
            sscanf(sizes[z], "%dx%d", &w, &h);
            for (int run = 0; run < 3; run++) {
                snprintf(script, sizeof script, "tap lang:%s\n%stap guide\nexpect screen question\n%sreport-targets\n",
                         langs[l], z == 0 ? "tap large-text\n" : "", run == 2 ? "drag 0.5 0.8 0.5 0.1 300\nwait 2000\n" : "");
                CHECK(walk(run == 2 ? end : name, NULL, sizes[z], script) == 0, "%s: the question screen (run %d)", name,
                      run + 1);
            }
            /* as it opens, Skip (where it shows) is below the answers */
            if (!target_box(name, "answer:0", a0) && !target_box(name, "answer:1", a1) && !target_box(name, "skip", sk))
                CHECK(sk[1] >= a0[1] + a0[3] && sk[1] >= a1[1] + a1[3], "%s: Skip (y=%d) below the answers", name, sk[1]);
            int found = !target_box(end, "answer:0", a0) && !target_box(end, "answer:1", a1) && !target_box(end, "skip", sk);
            CHECK(found, "%s: answers and Skip found", end);
            if (!found) continue;
            int low = a0[1] + a0[3] > a1[1] + a1[3] ? a0[1] + a0[3] : a1[1] + a1[3];
            CHECK(sk[1] >= low, "%s: Skip (y=%d) below the answers (to y=%d)", end, sk[1], low);
            CHECK(sk[1] + sk[3] <= h && sk[3] >= 60, "%s: Skip whole on the screen (to y=%d of %d)", end, sk[1] + sk[3], h);
            CHECK(a0[3] >= 60 && a1[3] >= 60, "%s: answer tiles a finger can hit (%d, %d px high)", end, a0[3], a1[3]);
        }
}

TEST(urdu_invitation_has_pictograms_on_a_small_panel)
{
    /* 800x480: when the prompt turns to Urdu, the pictogram row stays under it (in the free part
     * of the Nastaliq line), below the prompt's last ink, above the buttons */
    const char *langs[] = {"de", "en", "ar", "fa", "prs", "ps", "ckb", "ku", "ti", "tr", "ru", "uk", "fr", "so", "sq", "ur"};
    const char *check[] = {"de", "ur"};
    for (int k = 0; k < 2; k++) {
        char script[4096] = "", name[64];
        snprintf(name, sizeof name, "invite-row-%s", check[k]);
        for (int i = 0; i < 16 && strcmp(langs[i], check[k]); i++) append(script, sizeof script, "wait 4000\n");
        const char *prompt = tr(check[k], "Choose your language");
        append(script, sizeof script, "expect text %s\nexpect uncut %s\nshot %s\nreport-targets\nreport-text %s\n", prompt,
               prompt, name, prompt);
        CHECK(walk(name, NULL, "800x480", script) == 0, "%s: the prompt in %s, whole", name, check[k]);
        SDL_Surface *s = shot(name);
        int lang[4], kont[4], pb[6];
        /* the leftmost access button: read aloud where a voice is, else text size */
        int found = s && !target_box(name, "lang:de", lang) &&
                    (!target_box(name, "speak", kont) || !target_box(name, "large-text", kont)) && !text_box(name, prompt, pb);
        CHECK(found, "%s: shot, buttons and prompt found", name);
        if (!found) {
            SDL_FreeSurface(s);
            continue;
        }
        /* between the prompt's start and the access buttons, above the language buttons: the
         * prompt's ink (dark) and the pictograms (accent blue), the one under the other */
        int x0 = pb[0], x1 = kont[0], ink_bottom = -1, blue_top = -1;
        long blue = 0;
        for (int y = 0; y < lang[1] - 2; y++)
            for (int x = x0; x < x1 && x < s->w; x++) {
                uint32_t p = px(s, x, y);
                int r = (int)(p >> 16) & 255, g = (int)(p >> 8) & 255, b = (int)p & 255;
                if (b > r + 60 && b > g + 30) {
                    blue++;
                    if (blue_top < 0) blue_top = y;
                } else if ((r + g + b) / 3 < 110) {
                    ink_bottom = y;
                }
            }
        CHECK(blue > 300, "%s: a row of pictograms under the prompt (%ld accent pixels)", name, blue);
        CHECK(ink_bottom > 0 && blue_top > ink_bottom, "%s: the pictograms (from y=%d) below the prompt's last ink (y=%d)",
              name, blue_top, ink_bottom);
        SDL_FreeSurface(s);
    }
}

/* Where the header bar ends: the first row from the top that is not mostly the accent colour. */
static int header_bottom(SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        int n = 0;
        for (int x = 0; x < s->w; x++) n += px(s, x, y) == 0x0B4F9C;
        if (n < s->w / 2) return y;
    }
    return s->h;
}

TEST(tall_scripts_fit_header_and_rows)
{
    const char *langs[] = {"de", "en", "ar", "fa", "prs", "ps", "ckb", "ku", "ti", "tr", "ru", "uk", "fr", "so", "sq", "ur"};
    const char *labels[] = {"Back", "Home", "Search", "Language", "Text size", "Contrast"};
    const char *sizes[] = {"1920x1080", "800x480"};
    for (int z = 0; z < 2; z++) {
        /* every header label whole, none cut short with an ellipsis ("Faqja…"), in every language */
        char script[16384] = "", name[64];
        for (int i = 0; i < 16; i++) {
            append(script, sizeof script, "tap lang:%s\nexpect screen categories\n", langs[i]);
            for (int k = 0; k < 6; k++) append(script, sizeof script, "expect uncut %s\n", tr(langs[i], labels[k]));
            append(script, sizeof script, "tap languages\n");
        }
        snprintf(name, sizeof name, "labels-uncut-%s", sizes[z]);
        CHECK(walk(name, NULL, sizes[z], script) == 0, "%s: header labels uncut in all 16 languages", sizes[z]);
        /* Urdu: the labels' descenders stay inside the bar; the rows carry no empty band */
        snprintf(name, sizeof name, "tall-ur-%s", sizes[z]);
        snprintf(script, sizeof script, "tap cat:language\nexpect screen list\nshot %s\n", name);
        CHECK(walk(name, "ur", sizes[z], script) == 0, "%s: Urdu list", sizes[z]);
        SDL_Surface *s = shot(name);
        CHECK(s != NULL, "%s shot", name);
        if (!s) continue;
        int hb = header_bottom(s);
        long spill = 0;
        for (int y = hb; y < hb + 2 && y < s->h; y++)
            for (int x = 0; x < s->w; x++) spill += px(s, x, y) != 0xF5F2EB;
        CHECK(hb > 20 && hb < s->h / 3 && spill == 0, "%s: nothing of the header's labels below the bar at y=%d (%ld px)",
              sizes[z], hb, spill);
        /* the first row's tile: its top and bottom edges in the middle column, the last ink inside */
        int x = s->w / 2, y0 = hb + 10, top = -1, bottom = -1;
        for (int y = y0; y < s->h && bottom < 0; y++) {
            if (px(s, x, y) != 0x7D776B) continue;
            if (top < 0) top = y + 2;
            else if (y > top + 10) bottom = y;
        }
        int last = -1;
        for (int y = top + 1; top > 0 && y < bottom; y++)
            if (ink(s, 12, y, s->w - 24, 1) > 0) last = y;
        int mm = z == 0 ? 4 : 5; /* px per mm at these sizes, as guessed */
        CHECK(top > 0 && bottom > top && last > top && bottom - last <= 12 * mm,
              "%s: the first Urdu row ends near its last line (row %d..%d, ink to %d: %d px empty)", sizes[z], top, bottom,
              last, bottom - last);
        SDL_FreeSurface(s);
    }
}

TEST(offer_pages_without_tofu_in_persian_scripts)
{
    /* every offer's page in Persian, Dari and Pashto, read to its end: no glyph drawn as .notdef
     * (the text engine counts them per frame: the Arabic comma after Latin text, digits, units) */
    char db[400];
    snprintf(db, sizeof db, "%s/content/demo.db", build);
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    char ids[128][96];
    int n = 0;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT id FROM service WHERE status='active' ORDER BY id", -1, &st, NULL) == SQLITE_OK)
        while (n < 128 && sqlite3_step(st) == SQLITE_ROW) snprintf(ids[n++], sizeof ids[0], "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(d);
    CHECK(n > 50, "the demo's offers (%d)", n);
    const char *langs[] = {"fa", "prs", "ps"};
    static char script[1 << 16];
    for (int l = 0; l < 3; l++) {
        script[0] = 0;
        for (int i = 0; i < n; i++) {
            append(script, sizeof script, "open %s\nexpect no-tofu\n", ids[i]);
            append(script, sizeof script, "drag 0.5 0.95 0.5 0.05 150\nwait 800\nexpect no-tofu\n");
        }
        /* a tall panel at a low density shows a page in one or two screens: cheap to read whole */
        char name[64], args[600];
        snprintf(name, sizeof name, "pages-%s", langs[l]);
        snprintf(args, sizeof args, "--content %s/content/demo.db --size 1080x1920 --px-per-mm 2 --lang %s", build, langs[l]);
        CHECK(run_walk(name, args, script) == 0, "%s: %d offer pages, scrolled to their ends, without tofu", langs[l], n);
    }
}

TEST(towns_in_the_readers_script)
{
    /* the demo's locations name their town in each script: lists and offer pages show it */
    CHECK(walk("towns-ar", "ar", "1920x1080",
               "tap cat:language\nexpect screen list\nexpect visible هايدمور\n"
               "open vhs-integrationskurs\nexpect visible هايدمور\nshot towns-ar\n") == 0,
          "Arabic: هايدمور in the list and on the page");
    CHECK(walk("towns-ru", "ru", "1920x1080", "tap cat:language\nexpect visible Хайдемор\nopen vhs-integrationskurs\n"
                                            "expect visible Хайдемор\n") == 0,
          "Russian: Хайдемор");
    CHECK(walk("towns-de", "de", "1920x1080", "tap cat:language\nexpect visible Heidemoor\nexpect no-text هايدمور\n") == 0,
          "German: Heidemoor");
}

TEST(header_labels_fit_a_small_panel)
{
    /* every header button has a label in the reader's language, wholly in view at 800x480 */
    const char *langs[] = {"ar", "ckb", "de", "en", "fa", "fr", "ku", "prs", "ps", "ru", "so", "sq", "ti", "tr", "uk", "ur"};
    int ok = 0, n = (int)(sizeof langs / sizeof langs[0]);
    for (int i = 0; i < n; i++) {
        char script[2048] = "tap search\n", name[64];
        const char *labels[] = {"Back", "Home", "Text size", "Contrast", "Language"};
        for (int k = 0; k < 5; k++) append(script, sizeof script, "expect visible %s\n", tr(langs[i], labels[k]));
        snprintf(name, sizeof name, "labels-%s", langs[i]);
        ok += walk(name, langs[i], "800x480", script) == 0;
    }
    CHECK(ok == n, "header labels wholly in view at 800x480 in %d of %d languages", ok, n);
}

/* The QR code in a shot, decoded by zbar (what a phone camera does); "" when none decodes. */
static const char *qr_in(const char *shot_name)
{
    static char out[2048];
    out[0] = 0;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw %s/%s.png 2>/dev/null", shots, shot_name);
    FILE *p = popen(cmd, "r");
    if (!p) return out;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    return out;
}

/* The confirmation at a panel size: code, day, time, place and a QR that decodes, unscrolled. */
static void check_done_screen(const char *name, const char *shot_name, const char *lang)
{
    const char *ics = qr_in(shot_name);
    char code[16];
    snprintf(code, sizeof code, "%s", book_db(name, "SELECT code FROM booking ORDER BY rowid DESC LIMIT 1"));
    CHECK(strstr(ics, "BEGIN:VEVENT") && strstr(ics, "DTSTART"), "%s: the QR code on %s decodes to the event", lang,
          shot_name);
    CHECK(code[0] && !strstr(ics, "X-KIOSK-CODE"), "%s: the phone's event carries no server-only fields", lang);
}

TEST(booking_walk_de)
{
    char script[8192] = "";
    strcat(script, "expect no-tofu\nshot book-de-day\ntap day:0\nexpect screen book-time\nexpect no-tofu\nshot book-de-time\n"
                   "tap time:0\nexpect screen book-details\ntap field:name\n");
    type_keys(script, sizeof script, "anna weber");
    strcat(script, "tap field:phone\n");
    type_keys(script, sizeof script, "0171 5550123");
    append(script, sizeof script,
             "expect text Anna Weber\nshot book-de-details\ntap next\nexpect screen book-consent\nexpect text %s\nshot book-de-consent\n"
             "tap confirm\nsettle\nexpect screen book-done\nexpect text %s\nexpect no-tofu\nshot book-de-done\n"
             "tap finish\nexpect screen attract\n",
             tr("de", "Please read before you book"), tr("de", "Your appointment is booked."));
    CHECK(book_walk("de", "1920x1080", "de", script) == 0, "de: offer, day, time, name and phone, consent, confirmed");
    check_done_screen("de", "book-de-done", "de 1920x1080");
    CHECK(!strcmp(book_db("de", "SELECT state FROM booking"), "0"), "the local backend holds it confirmed");
    CHECK(!strcmp(book_db("de", "SELECT name || '/' || phone FROM booking"), "Anna Weber/0171 5550123"),
          "name (capitalised) and phone kept for the office until the appointment");
    CHECK(!file_has("e2e-book-de.log", "Weber") && !file_has("e2e-book-de.log", "5550123"), "neither in the log");
    /* the QR code: a square of many black modules on white at the end side of the screen */
    SDL_Surface *s = shot("book-de-done");
    CHECK(s && ink(s, s->w * 2 / 3, s->h / 8, s->w / 3 - 40, s->h / 2) > 30000, "QR code drawn");
    CHECK(s && ink(s, s->w / 3, s->h / 8, s->w / 4, s->h / 2) < 500, "with a quiet zone beside the text");
    if (s) SDL_FreeSurface(s);

    /* the same kiosk: the booked time is no longer offered; look the code up and cancel it */
    char code[16], when[64];
    snprintf(code, sizeof code, "%s", book_db("de", "SELECT code FROM booking"));
    time_t start = (time_t)atoll(book_db("de", "SELECT slot_start FROM booking"));
    struct tm lt;
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    localtime_r(&start, &lt);
    i18n_format_time_range("de", lt.tm_hour * 60 + lt.tm_min, lt.tm_hour * 60 + lt.tm_min + 30, when, sizeof when);
    script[0] = 0;
    to_booking(script, sizeof script, NULL);
    append(script, sizeof script,
             "tap day:0\nexpect screen book-time\nexpect no-text %s\ntap home\ntap my-booking\nexpect screen code\n"
             "expect no-tofu\n",
             when);
    type_keys(script, sizeof script, code);
    append(script, sizeof script,
             "tap lookup\nsettle\nexpect text %s\nexpect text %s\nshot book-de-lookup\ntap cancel\ntap cancel-yes\nsettle\n"
             "expect text %s\nshot book-de-cancelled\n",
             code, tr("de", "Confirmed"), tr("de", "Cancelled"));
    CHECK(walk_book("book-de-code", book_cfg_again("de"), "de", script) == 0, "booked time gone; code looked up, cancelled");
    CHECK(!strcmp(book_db("de", "SELECT state FROM booking"), "3"), "cancelled in the database");
    CHECK(!strcmp(book_db("de", "SELECT count(*) FROM booking WHERE name IS NOT NULL OR phone IS NOT NULL"), "0"),
          "a cancelled booking keeps no personal data");
    /* a wrong code is an honest "no such booking" */
    script[0] = 0;
    strcat(script, "tap my-booking\n");
    type_keys(script, sizeof script, "ZZZZZZ");
    append(script, sizeof script, "tap lookup\nsettle\nexpect text %s\n", tr("de", "There is no booking with this code."));
    CHECK(walk_book("book-de-nocode", book_cfg_again("de"), "de", script) == 0, "unknown code told");
}

TEST(booking_two_kiosks_one_seat)
{
    /* kiosk A stops at the consent screen; kiosk B books the same first free time; then A
     * confirms and is told plainly that the time was just taken, and offered fresh times */
    char script[8192] = "", marker[600], exe[600], log[600];
    const char *cfg = book_cfg("race", NULL);
    snprintf(marker, sizeof marker, "%s/race-a-consent.png", shots);
    remove(marker);
    char done_b[600];
    snprintf(done_b, sizeof done_b, "%s/race-b-done.png", shots);
    remove(done_b);
    to_booking(script, sizeof script, NULL);
    append(script, sizeof script,
           "tap day:0\ntap time:0\ntap anonymous\nexpect screen book-consent\nshot race-a-consent\nwait-file %s\n"
           "tap confirm\nsettle\nexpect screen book-done\nexpect text %s\nexpect no-text %s\nshot race-a-taken\n"
           "tap other-time\nsettle\nexpect screen book-day\n",
           done_b, tr("de", "This time was just taken"), tr("de", "Your appointment is booked."));
    char path[600];
    snprintf(path, sizeof path, "%s/e2e-race-a.txt", shots);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(script, f);
        fclose(f);
    }
    /* spawned, not "( ... ) &" through the shell: a kiosk that cannot start fails here, and its
     * exit status is its own */
    snprintf(exe, sizeof exe, "%s/kiosk", build);
    snprintf(log, sizeof log, "%s/e2e-race-a.log", shots);
    char *argv_a[] = {exe, "--config", (char *)cfg, "--size", "1920x1080", "--lang", "de", "--script", path, "--shots", shots, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    pid_t pid_a = -1;
    int err = posix_spawn(&pid_a, exe, &fa, NULL, argv_a, environ);
    posix_spawn_file_actions_destroy(&fa);
    CHECK(err == 0 && pid_a > 0, "kiosk A started: %s", strerror(err));
    if (err != 0) return;
    struct stat sb;
    for (int i = 0; i < 600 && stat(marker, &sb) != 0; i++) usleep(100000);
    CHECK(stat(marker, &sb) == 0, "kiosk A waits at the consent screen");
    script[0] = 0;
    to_booking(script, sizeof script, NULL);
    append(script, sizeof script, "tap day:0\ntap time:0\ntap anonymous\ntap confirm\nsettle\nexpect text %s\nshot race-b-done\n",
           tr("de", "Your appointment is booked."));
    CHECK(walk_book("race-b", book_cfg_again("race"), "de", script) == 0, "kiosk B books the same time first");
    int status = 0, a = -1;
    pid_t done = 0;
    for (int i = 0; i < 600 && (done = waitpid(pid_a, &status, WNOHANG)) == 0; i++) usleep(100000);
    if (done == 0) {
        kill(pid_a, SIGKILL);
        waitpid(pid_a, &status, 0);
    } else if (done == pid_a && WIFEXITED(status)) {
        a = WEXITSTATUS(status);
    }
    if (a != 0) sh("cat %s/e2e-race-a.log", shots);
    CHECK(a == 0, "kiosk A: told the time was taken, offered fresh times (exit %d)", a);
    CHECK(!strcmp(book_db("race", "SELECT group_concat(state) FROM booking"), "0"), "one booking holds the seat, no other");
}

TEST(booking_on_a_small_panel)
{
    /* 800x480: the fields and buttons stay above the keyboard; consent and result scroll */
    char script[8192] = "";
    append(script, sizeof script,
           "tap day:0\ntap time:0\ntap field:name\ntap kb-layout:ar\ntap key:ب\nexpect text ب\ntap field:phone\ntap key:0\n"
           "expect widget next\nexpect widget anonymous\nshot small-details\ntap next\nexpect screen book-consent\n"
           "drag 0.5 0.8 0.5 0.2 400\nwait 1500\nexpect scrolled 10\ntap confirm\nsettle\nexpect screen book-done\n"
           "expect text %s\nexpect no-tofu\nexpect visible Kirchplatz 3\nexpect visible 29601\nshot small-done\ndrag 0.5 0.8 0.5 0.2 400\nwait 1500\ntap finish\nexpect screen attract\n",
           tr("ar", "Your appointment is booked."));
    CHECK(book_walk("small", "800x480", "ar", script) == 0, "ar at 800x480: typed, scrolled to confirm, booked; the place in view");
    check_done_screen("small", "small-done", "ar 800x480");
    CHECK(!strcmp(book_db("small", "SELECT state || ' ' || name || ' ' || phone FROM booking"), "0 ب 0"), "booked as typed");
}

/* 800x480: a field is a few letters wide; what is being typed (the end) stays in view */
TEST(booking_fields_show_the_typing)
{
    char script[8192] = "tap day:0\ntap time:0\ntap field:name\n";
    type_keys(script, sizeof script, "amal haddad");
    strcat(script, "expect uncut Haddad\ntap field:phone\n");
    type_keys(script, sizeof script, "+49 170 12345678");
    strcat(script, "expect uncut 12345678\nexpect no-tofu\nshot small-typing\n");
    CHECK(book_walk("small-typing", "800x480", "de", script) == 0, "de at 800x480: the end of a name and a phone in view");
}

TEST(booking_on_a_portrait_panel)
{
    CHECK(book_walk("tall", "1080x1920", "fa",
                    "tap day:0\ntap time:0\ntap anonymous\ntap confirm\nsettle\nexpect screen book-done\nexpect no-tofu\n"
                    "expect visible Kirchplatz 3\nexpect widget finish\nshot tall-done\n") == 0,
          "fa at 1080x1920: booked, the place and Finish in view");
    check_done_screen("tall", "tall-done", "fa 1080x1920");
}

TEST(booking_walk_ar)
{
    /* typed, then left alone: the idle reset wipes the name from the screen */
    char script[8192] = "";
    const char *name = "سارا احمد";
    strcat(script, "tap day:0\ntap time:0\ntap field:name\ntap kb-layout:ar\n");
    type_keys(script, sizeof script, name);
    append(script, sizeof script, "expect text %s\nexpect no-tofu\nshot book-ar-details\nwait 95000\n"
                                            "expect screen attract\nexpect no-text %s\ntap lang:ar\n",
             name, name);
    to_booking(script, sizeof script, "latin");
    append(script, sizeof script, "tap day:0\ntap time:0\nexpect no-text %s\ntap field:name\ntap kb-layout:ar\n", name);
    type_keys(script, sizeof script, name);
    strcat(script, "tap field:phone\n");
    type_keys(script, sizeof script, "+4917655501");
    append(script, sizeof script,
             "tap next\nexpect screen book-consent\nexpect no-tofu\nshot book-ar-consent\ntap confirm\nsettle\n"
             "expect screen book-done\nexpect text %s\nexpect no-tofu\nshot book-ar-done\n"
             "wait 95000\nexpect screen attract\nexpect no-text %s\n",
             tr("ar", "Your appointment is booked."), name);
    CHECK(book_walk("ar", "1920x1080", "ar", script) == 0, "ar: name wiped at idle reset; booked");
    CHECK(!strcmp(book_db("ar", "SELECT name FROM booking"), name), "Arabic-script name stored as typed");
    CHECK(!file_has("e2e-book-ar.log", "سارا") && !file_has("e2e-book-ar.log", "55501"), "not in the log");
    /* the code is shown in Latin letters on the right-to-left screen */
    char code[16];
    snprintf(code, sizeof code, "%s", book_db("ar", "SELECT code FROM booking"));
    CHECK(strlen(code) == 6 && strspn(code, "23456789ABCDEFGHJKMNPQRSTUVWXYZ") == 6, "code %s in Latin letters and digits", code);
}

TEST(booking_walk_ti_anonymous)
{
    char script[8192] = "";
    append(script, sizeof script,
             "expect no-tofu\nshot book-ti-day\ntap day:0\nexpect no-tofu\nshot book-ti-time\ntap time:0\nexpect no-tofu\n"
             "tap anonymous\nexpect screen book-consent\nexpect text %s\nexpect no-tofu\nshot book-ti-consent\n"
             "tap confirm\nsettle\nexpect screen book-done\nexpect text %s\nexpect no-tofu\nshot book-ti-done\n",
             tr("ti", "Please read before you book"), tr("ti", "Your appointment is booked."));
    CHECK(book_walk("ti", "1920x1080", "ti", script) == 0, "ti: anonymous booking with a code");
    check_done_screen("ti", "book-ti-done", "ti 1920x1080");
    CHECK(!strcmp(book_db("ti", "SELECT coalesce(name, '') || coalesce(phone, '') || state FROM booking"), "0"),
          "booked without name or phone");

    /* staff: no stick, then a stick; the export holds the booking, in both formats */
    char dir[400], stick[500], cmd[4000];
    snprintf(dir, sizeof dir, "%s/book-ti-media", shots);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    sh("rm -rf %s && mkdir -p %s", dir);
    FILE *f = fopen(book_cfg_again("ti"), "a");
    if (f) {
        fprintf(f, "media_dir = %s\nstaff_pin_hash = $argon2id$v=19$m=131072,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$"
                   "lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs\n",
                dir);
        fclose(f);
    }
    const char *pin = "hold staff-corner\ntap pin:2\ntap pin:4\ntap pin:6\ntap pin:8\ntap pin:1\ntap pin:0\ntap pin:ok\nsettle\nexpect screen staff\nsettle\n";
    snprintf(script, sizeof script, "%sexpect widget staff-export\ntap staff-export\nsettle\nexpect text %s\n", pin,
             tr("de", "No USB stick to write to. Insert one and try again."));
    CHECK(walk_cfg("book-staff-nostick", book_cfg_again("ti"), script) == 0, "no stick: told, nothing written");
    snprintf(cmd, sizeof cmd, "mkdir -p %s && echo x > %s/README.txt", stick, stick);
    CHECK(system(cmd) == 0, "stick prepared");
    snprintf(script, sizeof script, "%stap staff-export\nsettle\nexpect text %s\nshot book-staff\n", pin,
             tr("de", "Bookings written to"));
    CHECK(walk_cfg("book-staff", book_cfg_again("ti"), script) == 0, "export to the stick");
    char code[16];
    snprintf(code, sizeof code, "%s", book_db("ti", "SELECT code FROM booking"));
    snprintf(cmd, sizeof cmd,
             "grep -q 'BEGIN:VEVENT' %s/bookings-*.ics && grep -q '%s' %s/bookings-*.ics && grep -q '%s' %s/bookings-*.csv && "
             "! ls %s/*.part 2>/dev/null",
             stick, code, stick, code, stick, stick);
    CHECK(system(cmd) == 0, "the .ics and .csv on the stick hold booking %s, no half-written file", code);

    /* a booking later today is on the staff screen: its code and state, never a name */
    /* two minutes ahead, unless that is tomorrow already in the district's zone (in the last
     * two minutes before its midnight): then five minutes ago, still today */
    long long start = (long long)time(NULL) + 120;
    char day_now[11], day_then[11];
    int minute = 0;
    if (slots_local_time(start - 120, "Europe/Berlin", day_now, &minute) == 0 &&
        slots_local_time(start, "Europe/Berlin", day_then, &minute) == 0 && strcmp(day_now, day_then) != 0)
        start -= 420;
    snprintf(cmd, sizeof cmd, "%s/kiosk-book --db %s/book-ti.db book caritas-mbe %lld %lld 1 'Lina Staff' 0170 > /dev/null",
             build, shots, start, start + 1800);
    CHECK(system(cmd) == 0, "a booking for today made");
    snprintf(code, sizeof code, "%s", book_db("ti", "SELECT code FROM booking ORDER BY id DESC"));
    snprintf(script, sizeof script, "%sexpect text %s\nexpect text %s\nexpect no-text Lina\nshot book-staff-today\n", pin, code,
             tr("de", "Confirmed"));
    CHECK(walk_cfg("book-staff-today", book_cfg_again("ti"), script) == 0, "today's booking %s listed for staff", code);
    /* 800x480: the staff screen scrolls above its buttons */
    char args[600];
    snprintf(args, sizeof args, "--config %s --size 800x480", book_cfg_again("ti"));
    snprintf(script, sizeof script, "%sexpect widget staff-export\nexpect widget staff-quit\ndrag 0.5 0.6 0.5 0.1 400\n"
             "wait 1500\nexpect scrolled 10\nexpect text %s\nshot book-staff-small\n", pin, code);
    CHECK(run_walk("book-staff-small", args, script) == 0, "staff screen at 800x480 scrolls to today's bookings");
}

TEST(booking_offline_then_delivered)
{
    /* no server: the kiosk says so and queues the request; it never shows it as booked */
    char script[8192] = "", extra[1200];
    const char *cfg = book_cfg("off", "caldav_url = http://127.0.0.1:1/kiosk/\n");
    to_booking(script, sizeof script, NULL);
    strcat(script, "tap day:0\ntap time:0\ntap field:name\n");
    type_keys(script, sizeof script, "jan");
    append(script, sizeof script,
             "tap next\ntap confirm\nsettle\nexpect screen book-done\nexpect text %s\nexpect no-text %s\nexpect no-tofu\n"
             "shot book-offline\n",
             tr("de", "Not booked yet"), tr("de", "Your appointment is booked."));
    CHECK(walk_book("book-off", cfg, "de", script) == 0, "offline: not booked yet, said plainly");
    CHECK(!strcmp(book_db("off", "SELECT state || ' ' || name FROM booking"), "1 Jan"), "queued with its name");

    /* the server comes up: the next kiosk start delivers the request and forgets the name */
    int port = 18850 + (int)(getpid() % 40);
    char cmd[2000], dir[400];
    snprintf(dir, sizeof dir, "%s/radicale-e2e", shots);
    sh("rm -rf %s", dir);
    snprintf(cmd, sizeof cmd, "tests/servers/radicale.sh %d %s kiosk-test", port, dir);
    FILE *p = popen(cmd, "r");
    int pid = -1;
    if (p && fscanf(p, "%d", &pid) != 1) pid = -1;
    if (p) pclose(p);
    CHECK(pid > 0, "Radicale started on port %d", port);
    if (pid <= 0) return;
    snprintf(cmd, sizeof cmd,
             "(umask 077 && printf kiosk-test > %s/password) && %s/kiosk-book --db %s/cal.db --caldav http://127.0.0.1:%d/kiosk/ --user kiosk "
             "--password-file %s/password ensure-calendar caritas-mbe >/dev/null",
             dir, build, dir, port, dir);
    CHECK(system(cmd) == 0, "the offer's calendar created by staff");
    snprintf(extra, sizeof extra,
             "caldav_url = http://127.0.0.1:%d/kiosk/\ncaldav_user = kiosk\ncaldav_password_file = %s/password\n", port, dir);
    /* the kiosk was moved to the real server (a setting given twice is an error, so replace it) */
    sh("sed -i '/^caldav_/d' %s", book_cfg_again("off"));
    FILE *f = fopen(book_cfg_again("off"), "a");
    if (f) {
        fputs(extra, f);
        fclose(f);
    }
    char code[16];
    snprintf(code, sizeof code, "%s", book_db("off", "SELECT code FROM booking"));
    snprintf(script, sizeof script, "settle-outbox\ntap my-booking\n");
    type_keys(script, sizeof script, code);
    append(script, sizeof script, "tap lookup\nsettle\nexpect text %s\nshot book-delivered\n", tr("de", "Confirmed"));
    CHECK(walk_book("book-delivered", book_cfg_again("off"), "de", script) == 0, "delivered after restart; lookup says confirmed");
    CHECK(!strcmp(book_db("off", "SELECT state || ' ' || coalesce(name, '-') FROM booking"), "0 -"),
          "confirmed, and the name purged once the server holds it");
    snprintf(cmd, sizeof cmd,
             "%s/kiosk-book --db %s/cal.db --caldav http://127.0.0.1:%d/kiosk/ --user kiosk --password-file %s/password "
             "taken caritas-mbe %s %s 1 | grep -q '^1 of 1 taken'",
             build, dir, port, dir, book_db("off", "SELECT slot_start FROM booking"),
             book_db("off", "SELECT slot_end FROM booking"));
    CHECK(system(cmd) == 0, "the server holds the seat");
    kill(pid, SIGKILL);
}

/* ---- offers at several places ---- */

/* The box a walk's "report-text NEEDLE" printed into its log: x, y, w, h, lines, longest line.
 * 0 when found. */
static int text_box(const char *walk_name, const char *needle, int box[6])
{
    char path[600], line[1024];
    snprintf(path, sizeof path, "%s/e2e-%s.log", shots, walk_name);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int rc = -1;
    while (rc && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *bar = strchr(line, '|');
        int found = 0;
        if (!bar || strcmp(bar + 1, needle) != 0) continue;
        if (sscanf(line, "text found=%d x=%d y=%d w=%d h=%d lines=%d longest=%d", &found, &box[0], &box[1], &box[2],
                   &box[3], &box[4], &box[5]) == 7 && found)
            rc = 0;
    }
    fclose(f);
    return rc;
}

/* b lies below a in the same column (their spans overlap). */
static int below(const int a[6], const int b[6])
{
    return b[1] >= a[1] + a[3] / 2 && b[0] < a[0] + a[2] && a[0] < b[0] + b[2];
}

static const char *const place_sizes[] = {"800x480", "1920x1080", "1080x1920"};

TEST(each_place_with_its_own_hours)
{
    /* MBE is held at Kirchplatz (Tue, Thu, Wed) and in Wiesental (Fri): the Friday hours stand
     * in Wiesental's card, under its address, and nowhere under Kirchplatz's */
    const char *langs[] = {"de", "ar", "ti"};
    for (int l = 0; l < 3; l++)
        for (int z = 0; z < 3; z++) {
            char tue[64], fri[64], name[64], script[2048] = "";
            i18n_weekday(langs[l], 1, 0, tue, sizeof tue);
            i18n_weekday(langs[l], 4, 0, fri, sizeof fri);
            i18n_capitalize_start(langs[l], tue, sizeof tue);
            i18n_capitalize_start(langs[l], fri, sizeof fri);
            snprintf(name, sizeof name, "places-%s-%s", langs[l], place_sizes[z]);
            append(script, sizeof script,
                   "tap search\ntap kb-layout:latin\ntap key:m\ntap key:b\ntap key:e\ntap kb-hide\ntap row:0\n"
                   "expect screen detail\nexpect no-tofu\nshot %s\nreport-text Kirchplatz 3\nreport-text Hauptstraße 14\nreport-text %s\n"
                   "report-text %s\n",
                   name, tue, fri);
            CHECK(walk(name, langs[l], place_sizes[z], script) == 0, "%s: the detail page", name);
            int kp[6], ws[6], tu[6], fr[6];
            int found = !text_box(name, "Kirchplatz 3", kp) && !text_box(name, "Hauptstraße 14", ws) &&
                        !text_box(name, tue, tu) && !text_box(name, fri, fr);
            CHECK(found, "%s: both addresses and both hours drawn", name);
            if (!found) continue;
            CHECK(below(kp, tu) && below(ws, fr), "%s: each place's hours under its address", name);
            /* under Kirchplatz only when the Wiesental card comes between them */
            CHECK(!below(kp, fr) || (below(tu, ws) && below(ws, fr)), "%s: Friday's hours not in Kirchplatz's card", name);
            CHECK(!below(ws, tu), "%s: Tuesday's hours not in Wiesental's card", name);
        }
}

TEST(each_place_with_its_own_phone)
{
    /* the pack's location phones: Kirchplatz's number in its card, Wiesental's in its own, at
     * every size and in both directions */
    const char *langs[] = {"de", "ar"};
    const char *kp_ph = "+49 5191 70-110", *ws_ph = "+49 5193 70-200";
    for (int l = 0; l < 2; l++)
        for (int z = 0; z < 3; z++) {
            char name[64], script[2048] = "";
            snprintf(name, sizeof name, "phones-%s-%s", langs[l], place_sizes[z]);
            append(script, sizeof script,
                   "open caritas-mbe\nexpect screen detail\nexpect no-tofu\nshot %s\nreport-text Kirchplatz 3\n"
                   "report-text Hauptstraße 14\nreport-text %s\nreport-text %s\n",
                   name, kp_ph, ws_ph);
            CHECK(walk(name, langs[l], place_sizes[z], script) == 0, "%s: the detail page", name);
            int kp[6], ws[6], p1[6], p2[6];
            int found = !text_box(name, "Kirchplatz 3", kp) && !text_box(name, "Hauptstraße 14", ws) &&
                        !text_box(name, kp_ph, p1) && !text_box(name, ws_ph, p2);
            CHECK(found, "%s: both addresses and both places' numbers drawn", name);
            if (!found) continue;
            CHECK(below(kp, p1) && below(ws, p2), "%s: each place's number under its address", name);
            CHECK(!below(kp, p2) || (below(p1, ws) && below(ws, p2)), "%s: Wiesental's number not in Kirchplatz's card",
                  name);
            CHECK(!below(ws, p1), "%s: Kirchplatz's number not in Wiesental's card", name);
        }
}

/* The demo content with MBE bookable only in Wiesental: every slot offered is held there. */
static const char *wiesental_db(void)
{
    static char db[400];
    snprintf(db, sizeof db, "%s/wiesental.db", shots);
    char cmd[1600];
    snprintf(cmd, sizeof cmd,
             "cp %s/content/demo.db %s && sqlite3 %s \"UPDATE schedule SET slot_minutes=30, capacity=2 WHERE "
             "service_id='caritas-mbe' AND location_id='caritas/wiesental'; UPDATE schedule SET slot_minutes=NULL, "
             "capacity=NULL WHERE service_id='caritas-mbe' AND location_id='caritas/main'\"",
             build, db, db);
    if (system(cmd) != 0) printf("command failed: %s\n", cmd);
    return db;
}

TEST(booking_names_the_place_of_the_slot)
{
    const char *db = wiesental_db();
    const char *langs[] = {"de", "ar"};
    for (int l = 0; l < 2; l++)
        for (int z = 0; z < 3; z++) {
            char name[64], extra[600], script[4096] = "", args[800];
            snprintf(name, sizeof name, "wies-%s-%s", langs[l], place_sizes[z]);
            snprintf(extra, sizeof extra, "content = %s\n", db);
            /* book_cfg names the demo content first; the later line must not repeat a key */
            const char *cfg = book_cfg(name, NULL);
            FILE *f = fopen(cfg, "w");
            if (f) {
                fprintf(f, "[kiosk]\n%sstate = %s/book-%s.db\nbooking_retry = 1\n", extra, shots, name);
                fclose(f);
            }
            to_booking(script, sizeof script, "latin");
            append(script, sizeof script,
                   "tap day:0\nexpect screen book-time\nexpect no-tofu\nshot %s-time\nreport-text Wiesental\n"
                   "report-text فيزنتال\ntap time:0\ntap anonymous\nexpect screen book-consent\nexpect text Hauptstraße 14\n"
                   "expect no-text Kirchplatz 3\nshot %s-consent\ndrag 0.5 0.8 0.5 0.2 400\nwait 1500\ntap confirm\nsettle\n"
                   "expect screen book-done\nexpect no-tofu\nexpect visible Hauptstraße 14\nexpect visible 29620\n"
                   "expect no-text Kirchplatz 3\nshot %s-done\n",
                   name, name, name);
            snprintf(args, sizeof args, "--config %s --size %s --lang %s", cfg, place_sizes[z], langs[l]);
            CHECK(run_walk(name, args, script) == 0, "%s: the slot's place on consent and confirmation", name);
            int b[6];
            CHECK(!text_box(name, l ? "فيزنتال" : "Wiesental", b), "%s: the time tiles name the place", name);
            char done[96];
            snprintf(done, sizeof done, "%s-done", name);
            const char *ics = qr_in(done);
            CHECK(strstr(ics, "Hauptstra") && !strstr(ics, "Kirchplatz"), "%s: the calendar event's place is Wiesental",
                  name);
        }
}

/* ---- room on wide panels, keys of 10 mm, Ethiopic ---- */

TEST(detail_and_booking_use_the_width)
{
    /* 1920: the text in a readable column (45-80 characters a line) beside the places, together
     * across most of the panel; 800: the column is the panel */
    for (int z = 0; z < 3; z++) {
        char name[64], script[1024];
        snprintf(name, sizeof name, "width-%s", place_sizes[z]);
        snprintf(script, sizeof script,
                 "tap search\ntap kb-layout:latin\ntap key:m\ntap key:b\ntap key:e\ntap kb-hide\ntap row:0\n"
                 "expect screen detail\nreport-text Wir beraten Sie\nreport-text Hauptstraße 14\n");
        CHECK(walk(name, "de", place_sizes[z], script) == 0, "%s: the detail page", name);
        int d[6], c[6], w = atoi(place_sizes[z]);
        if (text_box(name, "Wir beraten Sie", d) || text_box(name, "Hauptstraße 14", c)) {
            CHECK(0, "%s: description and places drawn", name);
            continue;
        }
        CHECK(d[5] >= 45 && d[5] <= 80, "%s: %d characters on the description's longest line", name, d[5]);
        if (w == 1920) {
            CHECK(d[2] * 100 >= w * 40, "%s: description %d px of %d", name, d[2], w);
            CHECK((c[0] + c[2]) * 100 >= w * 80 && c[0] > d[0] + d[2], "%s: the places beside it, to x=%d", name, c[0] + c[2]);
        } else if (w == 800) {
            CHECK(d[2] * 100 >= w * 85, "%s: description %d px of %d", name, d[2], w);
        }
    }
    /* the consent screen at 1920: its text in the column, the appointment card beside it */
    const char *db = wiesental_db();
    char cfg[400], script[4096] = "", args[800];
    snprintf(cfg, sizeof cfg, "%s/book-width.ini", shots);
    FILE *f = fopen(cfg, "w");
    if (f) {
        fprintf(f, "[kiosk]\ncontent = %s\nstate = %s/book-width.db\n", db, shots);
        fclose(f);
    }
    check_sh("rm -f %s/book-width.db*", shots);
    to_booking(script, sizeof script, "latin");
    append(script, sizeof script, "tap day:0\ntap time:0\ntap anonymous\nexpect screen book-consent\nshot width-consent\n"
                                  "report-text Sie buchen ohne Namen\nreport-text Hauptstraße 14\n");
    snprintf(args, sizeof args, "--config %s --size 1920x1080 --lang de", cfg);
    CHECK(run_walk("width-consent", args, script) == 0, "consent at 1920");
    int t[6], a[6];
    if (!text_box("width-consent", "Sie buchen ohne Namen", t) && !text_box("width-consent", "Hauptstraße 14", a)) {
        CHECK(t[5] <= 80 && t[2] * 100 >= 1920 * 35, "consent text %d px, %d characters a line", t[2], t[5]);
        CHECK(a[0] > t[0] + t[2] && a[0] + a[2] <= 1920, "the appointment card beside the text (x=%d)", a[0]);
    } else {
        CHECK(0, "consent text and place drawn");
    }
}

/* Every "target" line of a walk's log: keys at least 10 mm, other targets 15 mm, and no field
 * or button under the keyboard. Returns the number of keys checked. */
static int check_targets(const char *walk_name)
{
    char path[600], line[512];
    snprintf(path, sizeof path, "%s/e2e-%s.log", shots, walk_name);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int keys = 0, small_key = 0, small_other = 0, kb_top = 1 << 30, above_bottom = 0;
    char worst[160] = "";
    while (fgets(line, sizeof line, f)) {
        char id[128];
        int x, y, w, h;
        float wmm, hmm;
        if (sscanf(line, "target %127s x=%d y=%d w=%d h=%d wmm=%f hmm=%f", id, &x, &y, &w, &h, &wmm, &hmm) != 7) continue;
        int is_key = !strncmp(id, "key:", 4) || !strncmp(id, "kb-layout:", 10) || !strcmp(id, "kb-choose");
        float m = wmm < hmm ? wmm : hmm;
        if (is_key) {
            keys++;
            if (y < kb_top) kb_top = y;
            if (m < 9.95f) small_key++, snprintf(worst, sizeof worst, "%s %.1f mm", id, m);
        } else if (m < 14.9f && strncmp(id, "row:", 4) && strncmp(id, "day:", 4) && strncmp(id, "time:", 5)) {
            small_other++;
            snprintf(worst, sizeof worst, "%s %.1f mm", id, m);
        }
        if (!strncmp(id, "field:", 6) || !strcmp(id, "next") || !strcmp(id, "anonymous") || !strcmp(id, "query") ||
            !strcmp(id, "lookup") || !strcmp(id, "kb-hide"))
            if (y + h > above_bottom) above_bottom = y + h;
    }
    fclose(f);
    CHECK(keys > 0 && !small_key, "%s: %d keys, %d under 10 mm (%s)", walk_name, keys, small_key, worst);
    CHECK(!small_other, "%s: %d other targets under 15 mm (%s)", walk_name, small_other, worst);
    CHECK(above_bottom <= kb_top, "%s: fields and buttons end at %d, the keyboard starts at %d", walk_name, above_bottom,
          kb_top);
    return keys;
}

TEST(keys_at_least_10_mm)
{
    for (int z = 0; z < 3; z++) {
        const char *sz = place_sizes[z];
        const char *langs[] = {"de", "ar", "ti", "en"};
        for (int l = 0; l < 4; l++) {
            char name[64], script[512];
            snprintf(name, sizeof name, "keys-%s-%s", langs[l], sz);
            /* Ethiopic: with a consonant waiting for its order */
            snprintf(script, sizeof script, "tap search\n%sreport-targets\n", l == 2 ? "tap key:ቀ\n" : "");
            CHECK(walk(name, langs[l], sz, script) == 0, "%s: search keyboard", name);
            check_targets(name);
        }
        /* the booking name, phone and code screens */
        char name[64], script[4096] = "", args[800];
        snprintf(name, sizeof name, "keys-book-%s", sz);
        const char *cfg = book_cfg(name, NULL);
        to_booking(script, sizeof script, "latin");
        append(script, sizeof script, "tap day:0\ntap time:0\nexpect screen book-details\nshot %s-name\nreport-targets\n", name);
        snprintf(args, sizeof args, "--config %s --size %s --lang de", cfg, sz);
        CHECK(run_walk(name, args, script) == 0, "%s: name field", name);
        check_targets(name);
        snprintf(name, sizeof name, "keys-phone-%s", sz);
        script[0] = 0;
        to_booking(script, sizeof script, "latin");
        append(script, sizeof script, "tap day:0\ntap time:0\ntap field:phone\nshot %s\nreport-targets\n", name);
        CHECK(run_walk(name, args, script) == 0, "%s: phone field", name);
        check_targets(name);
        snprintf(name, sizeof name, "keys-code-%s", sz);
        snprintf(script, sizeof script,
                 "drag 0.5 0.8 0.5 0.2 400\nwait 1500\ntap my-booking\nexpect screen code\nshot %s\nreport-targets\n", name);
        CHECK(run_walk(name, args, script) == 0, "%s: code screen", name);
        check_targets(name);
    }
}

TEST(ethiopic_labialised_forms)
{
    /* from the Unicode names: each consonant's forms start with itself and hold its wä form */
    static const unsigned base[] = {0x1240, 0x12A8, 0x1308, 0x1208, 0x1218, 0x1228};   /* ቀ ከ ገ ለ መ ረ */
    static const unsigned wa[] = {0x124B, 0x12B3, 0x1313, 0x120F, 0x121F, 0x122F};     /* ቋ ኳ ጓ ሏ ሟ ሯ */
    for (int i = 0; i < 6; i++) {
        unsigned forms[16];
        int n = ui_ethiopic_forms(base[i], forms), has = 0;
        for (int k = 0; k < n; k++) has |= forms[k] == wa[i];
        CHECK(n >= 8 && forms[0] == base[i] && has, "U+%04X: %d forms, U+%04X among them", base[i], n, wa[i]);
    }
    unsigned forms[16];
    CHECK(ui_ethiopic_forms('a', forms) == 0, "not a consonant: no forms");
    /* typed through the keyboard: ቋንቋ, with space, clear and delete in view while a consonant waits */
    for (int z = 0; z < 3; z++) {
        char name[64], script[1024];
        snprintf(name, sizeof name, "ethi-%s", place_sizes[z]);
        snprintf(script, sizeof script,
                 "tap search\ntap key:ቀ\nexpect widget key:space\nexpect widget key:delete\nexpect widget key:clear\n"
                 "expect no-tofu\nshot %s-pending\ntap key:ቋ\ntap key:ነ\ntap key:ን\ntap key:ቀ\ntap key:ቋ\n"
                 "expect text ቋንቋ\nexpect no-tofu\nshot %s\n",
                 name, name);
        CHECK(walk(name, "ti", place_sizes[z], script) == 0, "%s: ቋንቋ typed", name);
    }
}

TEST(book_without_name_in_view)
{
    /* the details screen on a 7" panel: "Book without name" wholly in view, never cut, in every
     * language (the long German "Ohne Namen buchen" was cut off at the edge) */
    const char *langs[] = {"de", "en", "ar", "fa", "prs", "ps", "ckb", "ku", "ti", "tr", "ru", "uk", "fr", "so", "sq", "ur"};
    static char script[16384];
    script[0] = 0;
    for (int i = 0; i < 16; i++) {
        append(script, sizeof script,
               "%stap lang:%s\nopen caritas-mbe\ntap book\nsettle\nexpect screen book-day\ntap day:0\n"
               "tap time:0\nexpect screen book-details\nexpect uncut %s\nexpect widget anonymous\n",
               i ? "tap languages\n" : "", langs[i], tr(langs[i], "Book without name"));
        if (!strcmp(langs[i], "de") || !strcmp(langs[i], "ur")) append(script, sizeof script, "shot anon-%s\n", langs[i]);
    }
    char args[600];
    snprintf(args, sizeof args, "--config %s --size 800x480", book_cfg("anon-in-view", NULL));
    CHECK(run_walk("anon-in-view", args, script) == 0, "800x480: \"Book without name\" wholly in view in all 16 languages");
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    snprintf(shots, sizeof shots, "%s/shots", build);
    mkdir(shots, 0755);
    RUN(screens_of_every_language);
    RUN(rtl_mirrors_and_differs);
    RUN(scripts_have_ink);
    RUN(sizes);
    RUN(fallback_marker);
    RUN(translation_notices_once_per_screen);
    RUN(borders_stand_out);
    RUN(lists_mark_what_can_be_booked);
    RUN(header_labels_fit_a_small_panel);
    RUN(language_screen_invites);
    RUN(urdu_invitation_has_pictograms_on_a_small_panel);
    RUN(tall_scripts_fit_header_and_rows);
    RUN(offer_pages_without_tofu_in_persian_scripts);
    RUN(towns_in_the_readers_script);
    RUN(phone_reads_left_to_right_in_arabic);
    RUN(scroll_with_inertia);
    RUN(idle_reset);
    RUN(staff_mode_loads_a_pack);
    RUN(staff_corner_clear_of_buttons);
    RUN(pin_pad_fits_small_panels);
    RUN(access_modes);
    RUN(turned_panel);
    RUN(search_on_the_keyboard);
    RUN(every_keyboard_layout_has_glyphs);
    RUN(guided_questions);
    RUN(guided_questions_fit_small_panels);
    RUN(booking_walk_de);
    RUN(booking_two_kiosks_one_seat);
    RUN(booking_on_a_small_panel);
    RUN(booking_fields_show_the_typing);
    RUN(booking_walk_ar);
    RUN(booking_walk_ti_anonymous);
    RUN(booking_on_a_portrait_panel);
    RUN(booking_offline_then_delivered);
    RUN(each_place_with_its_own_hours);
    RUN(each_place_with_its_own_phone);
    RUN(booking_names_the_place_of_the_slot);
    RUN(detail_and_booking_use_the_width);
    RUN(keys_at_least_10_mm);
    RUN(ethiopic_labialised_forms);
    RUN(book_without_name_in_view);
    IMG_Quit();
    SDL_Quit();
    CHECK_DONE();
}
