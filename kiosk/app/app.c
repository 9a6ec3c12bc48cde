/*
 * app.c: the state machine behind the screens (see app.h).
 */
#include "app.h"

#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LANGS 32

struct app {
    app_config cfg;
    store *st;
    app_state s;
    i18n_catalog *catalogs[MAX_LANGS]; /* by index in i18n_lang_at(), loaded on first use */
    int resets;
    uint32_t last_tick;
    float max_scroll;
};

void app_config_defaults(app_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->data_dir, sizeof c->data_dir, ".");
    snprintf(c->default_lang, sizeof c->default_lang, "de");
    c->idle_timeout_s = 90;
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
    app_config *c = user;
    if (strcmp(section, "kiosk") != 0) return 1;
    if (!strcmp(name, "content")) snprintf(c->content, sizeof c->content, "%s", value);
    else if (!strcmp(name, "data_dir")) snprintf(c->data_dir, sizeof c->data_dir, "%s", value);
    else if (!strcmp(name, "default_language")) {
        if (!i18n_lang_find(value)) return 0;
        snprintf(c->default_lang, sizeof c->default_lang, "%s", value);
    } else if (!strcmp(name, "languages")) snprintf(c->languages, sizeof c->languages, "%s", value);
    else if (!strcmp(name, "idle_timeout")) {
        c->idle_timeout_s = atoi(value);
        if (c->idle_timeout_s < 15 || c->idle_timeout_s > 3600) return 0;
    } else if (!strcmp(name, "px_per_mm")) c->px_per_mm = strtof(value, NULL);
    return 1;
}

int app_config_load(app_config *c, const char *path, char *err, size_t errlen)
{
    int rc = ini_parse(path, conf_handler, c);
    if (rc < 0) { snprintf(err, errlen, "%s: cannot read", path); return -1; }
    if (rc > 0) { snprintf(err, errlen, "%s:%d: invalid setting", path, rc); return -1; }
    return 0;
}

static void free_session(app *a)
{
    store_offer_rows_free(a->s.rows, a->s.nrows);
    a->s.rows = NULL;
    a->s.nrows = 0;
    store_offer_free(a->s.offer);
    a->s.offer = NULL;
}

static int lang_index(const char *code)
{
    for (int i = 0; i < i18n_lang_count() && i < MAX_LANGS; i++)
        if (!strcmp(i18n_lang_at(i)->code, code)) return i;
    return -1;
}

static void load_categories(app *a)
{
    store_categories_free(a->s.cats, a->s.ncats);
    a->s.cats = NULL;
    a->s.ncats = 0;
    if (store_categories(a->st, a->s.chain, a->s.nchain, &a->s.cats, &a->s.ncats) != 0)
        fprintf(stderr, "kiosk: categories: %s\n", store_errmsg(a->st));
}

static void set_lang(app *a, const char *code)
{
    const i18n_lang *l = i18n_lang_find(code);
    if (!l) l = i18n_lang_find(a->cfg.default_lang);
    snprintf(a->s.lang, sizeof a->s.lang, "%s", l->code);
    a->s.rtl = l->rtl;
    a->s.nchain = i18n_fallback_chain(l->code, a->s.chain, 6);
    int i = lang_index(l->code);
    if (i >= 0 && !a->catalogs[i]) {
        char path[1200], err[512];
        snprintf(path, sizeof path, "%s/translations/%s.po", a->cfg.data_dir, l->code);
        if (i18n_catalog_load(&a->catalogs[i], path, l->code, err, sizeof err) != 0)
            fprintf(stderr, "kiosk: UI strings for %s unavailable, showing English: %s\n", l->code, err);
    }
    a->s.catalog = i >= 0 ? a->catalogs[i] : NULL;
    load_categories(a);
}

static char **split_langs(const char *list)
{
    int n = 0;
    char **v = calloc(MAX_LANGS + 1, sizeof *v);
    char copy[256];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); v && tok && n < MAX_LANGS;
         tok = strtok_r(NULL, ", ", &save))
        if (i18n_lang_find(tok)) v[n++] = strdup(tok);
    return v;
}

int app_open(app **out, const app_config *cfg, char *err, size_t errlen)
{
    *out = NULL;
    app *a = calloc(1, sizeof *a);
    if (!a) { snprintf(err, errlen, "out of memory"); return -1; }
    a->cfg = *cfg;
    if (store_open(&a->st, cfg->content, err, errlen) != 0) {
        free(a);
        return -1;
    }
    a->s.languages = cfg->languages[0] ? split_langs(cfg->languages) : store_languages(a->st);
    if (!a->s.languages || !a->s.languages[0]) {
        store_strv_free(a->s.languages);
        a->s.languages = split_langs("de,en");
    }
    char *demo = store_meta(a->st, "demo");
    a->s.demo = demo && !strcmp(demo, "1");
    free(demo);
    a->s.idle_timeout_ms = (uint32_t)cfg->idle_timeout_s * 1000u;
    app_reset(a);
    a->resets = 0;
    *out = a;
    return 0;
}

void app_close(app *a)
{
    if (!a) return;
    free_session(a);
    store_categories_free(a->s.cats, a->s.ncats);
    store_strv_free(a->s.languages);
    for (int i = 0; i < MAX_LANGS; i++) i18n_catalog_free(a->catalogs[i]);
    store_close(a->st);
    free(a);
}

const app_state *app_get_state(const app *a) { return &a->s; }

int app_resets(const app *a) { return a->resets; }

void app_reset(app *a)
{
    free_session(a);
    a->s.screen = SCREEN_ATTRACT;
    a->s.category[0] = 0;
    memset(a->s.scroll, 0, sizeof a->s.scroll);
    a->s.velocity = 0;
    a->s.countdown = 0;
    a->s.last_input_ms = a->s.now_ms;
    set_lang(a, a->cfg.default_lang);
    a->resets++;
}

static void go(app *a, int screen)
{
    a->s.screen = screen;
    a->s.velocity = 0;
    a->max_scroll = 0;
}

int app_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    switch (act->kind) {
    case ACT_TOUCH:
        s->last_input_ms = s->now_ms;
        if (s->countdown) { s->countdown = 0; return 1; }
        return 0;
    case ACT_CHOOSE_LANG:
    case ACT_START:
        set_lang(a, act->kind == ACT_START ? a->cfg.default_lang : act->arg);
        s->scroll[SCREEN_CATEGORIES] = 0;
        go(a, SCREEN_CATEGORIES);
        return 1;
    case ACT_CATEGORY:
        store_offer_rows_free(s->rows, s->nrows);
        s->rows = NULL;
        s->nrows = 0;
        snprintf(s->category, sizeof s->category, "%s", act->arg);
        if (store_offers_in_category(a->st, act->arg, s->chain, s->nchain, &s->rows, &s->nrows) != 0)
            fprintf(stderr, "kiosk: offer list: %s\n", store_errmsg(a->st));
        s->scroll[SCREEN_LIST] = 0;
        go(a, SCREEN_LIST);
        return 1;
    case ACT_OFFER: {
        store_offer *o = NULL;
        if (store_offer_get(a->st, act->arg, s->chain, s->nchain, &o) != 0) return 0;
        store_offer_free(s->offer);
        s->offer = o;
        s->scroll[SCREEN_DETAIL] = 0;
        go(a, SCREEN_DETAIL);
        return 1;
    }
    case ACT_BACK:
        if (s->screen == SCREEN_DETAIL) go(a, SCREEN_LIST);
        else if (s->screen == SCREEN_LIST) go(a, SCREEN_CATEGORIES);
        else app_reset(a);
        return 1;
    case ACT_HOME:
        go(a, SCREEN_CATEGORIES);
        return 1;
    case ACT_LANGUAGES:
        app_reset(a);
        return 1;
    case ACT_LAYOUT:
        a->max_scroll = act->value;
        if (s->scroll[s->screen] > a->max_scroll) { s->scroll[s->screen] = a->max_scroll; return 1; }
        return 0;
    case ACT_SCROLL: {
        float old = s->scroll[s->screen];
        float v = old + act->value;
        if (v > a->max_scroll) v = a->max_scroll;
        if (v < 0) v = 0;
        s->scroll[s->screen] = v;
        return v != old;
    }
    case ACT_FLING:
        s->velocity = act->value;
        return 1;
    case ACT_STOP:
        if (s->velocity == 0) return 0;
        s->velocity = 0;
        return 0;
    default:
        return 0;
    }
}

int app_tick(app *a, uint32_t now_ms)
{
    app_state *s = &a->s;
    uint32_t dt = now_ms - s->now_ms;
    s->now_ms = now_ms;
    int dirty = 0;
    if (s->velocity != 0 && dt > 0) {
        float sec = (float)dt / 1000.0f;
        float v = s->scroll[s->screen] + s->velocity * sec;
        if (v < 0 || v > a->max_scroll) {
            v = v < 0 ? 0 : a->max_scroll;
            s->velocity = 0;
        } else {
            s->velocity *= powf(0.08f, sec); /* friction: loses 92 % of its speed per second */
            if (fabsf(s->velocity) < 30) s->velocity = 0;
        }
        if (v != s->scroll[s->screen]) dirty = 1;
        s->scroll[s->screen] = v;
    }
    if (s->screen != SCREEN_ATTRACT) {
        uint32_t idle = now_ms - s->last_input_ms;
        if (idle >= s->idle_timeout_ms) {
            app_reset(a);
            return 1;
        }
        uint32_t left = s->idle_timeout_ms - idle;
        int cd = left <= 10000 ? (int)((left + 999) / 1000) : 0;
        if (cd != s->countdown) {
            s->countdown = cd;
            dirty = 1;
        }
    }
    return dirty;
}

int app_next_tick_ms(const app *a)
{
    const app_state *s = &a->s;
    if (s->velocity != 0) return 16;
    if (s->screen == SCREEN_ATTRACT) return -1;
    uint32_t idle = s->now_ms - s->last_input_ms;
    if (idle >= s->idle_timeout_ms) return 0;
    uint32_t left = s->idle_timeout_ms - idle;
    if (left > 10000) return (int)(left - 10000) + 1;
    return (int)(left % 1000) + 1;
}
