/*
 * app.c: the state machine behind the screens (see app.h).
 */
#include "app.h"
#include "app_priv.h"
#include "booking/slots.h"

#include "pack/install.h"
#include "platform/fmt.h"
#include "platform/log.h"
#include "platform/input.h"
#include "platform/job.h"
#include "platform/speech.h"
#include "store/local.h"

#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static void free_rows(app *a)
{
    for (int i = 0; a->s.row_meta && i < a->s.nrows; i++) free(a->s.row_meta[i]);
    free(a->s.row_meta);
    a->s.row_meta = NULL;
    store_offer_rows_free(a->s.rows, a->s.nrows);
    a->s.rows = NULL;
    a->s.nrows = 0;
}

static void free_offer(app *a)
{
    store_offer_free(a->s.offer);
    a->s.offer = NULL;
    free(a->s.offer_hours);
    a->s.offer_hours = NULL;
    store_strv_free(a->s.place_hours);
    a->s.place_hours = NULL;
    free(a->s.offer_spoken);
    a->s.offer_spoken = NULL;
}

void app_free_found(app *a)
{
    store_offer_rows_free(a->s.found, a->s.nfound);
    a->s.found = NULL;
    a->s.nfound = 0;
}

void app_free_matches(app *a)
{
    store_offer_rows_free(a->s.matches, a->s.nmatches);
    store_strv_free(a->s.match_why);
    a->s.matches = NULL;
    a->s.match_why = NULL;
    a->s.nmatches = 0;
    a->s.urgent = 0;
}

static void free_questions(app *a)
{
    store_questions_free(a->s.questions, a->s.nquestions);
    a->s.questions = NULL;
    a->s.nquestions = 0;
}

/* Everything a visitor typed or chose: gone at idle reset, and from memory too. */
static void free_session(app *a)
{
    free_rows(a);
    free_offer(a);
    app_free_found(a);
    app_free_matches(a);
    sodium_memzero(a->s.query, sizeof a->s.query);
    sodium_memzero(a->s.answers, sizeof a->s.answers);
    a->s.kb_layout[0] = a->s.kb_pending[0] = 0;
    a->s.kb_choosing = a->s.kb_hidden = 0;
    a->s.search_state = SEARCH_EMPTY;
    a->s.question = 0;
}

static int lang_index(const char *code)
{
    for (int i = 0; i < i18n_lang_count() && i < MAX_LANGS; i++)
        if (!strcmp(i18n_lang_at(i)->code, code)) return i;
    return -1;
}

static void count_cats(app *a)
{
    if (a->cats_counted) return;
    if (store_category_counts(a->st, a->s.cats, a->s.ncats) != 0)
        log_msg("store", "category counts: %s", store_errmsg(a->st));
    a->cats_counted = 1;
}

/* The reader's categories; their offer counts only once the categories screen shows them
 * (app_go): a start, and the language screen, need none. */
static void load_categories(app *a)
{
    store_categories_free(a->s.cats, a->s.ncats);
    a->s.cats = NULL;
    a->s.ncats = 0;
    a->cats_counted = 0;
    if (store_categories_uncounted(a->st, a->s.chain, a->s.nchain, &a->s.cats, &a->s.ncats) != 0)
        log_msg("store", "categories: %s", store_errmsg(a->st));
    if (a->s.screen == SCREEN_CATEGORIES) count_cats(a);
}

/* The UI strings of a language, loaded on first use and kept (NULL: English). */
static const i18n_catalog *catalog_of(app *a, const char *code)
{
    int i = lang_index(code);
    if (i >= 0 && !a->catalogs[i]) {
        char path[sizeof a->cfg.data_dir + 32], err[512];
        if (fmt_fit(path, sizeof path, "%s/translations/%s.po", a->cfg.data_dir, code) != 0)
            log_msg("i18n", "UI strings for %s unavailable, showing English: the data_dir path is too long", code);
        else if (i18n_catalog_load(&a->catalogs[i], path, code, err, sizeof err) != 0)
            log_msg("i18n", "UI strings for %s unavailable, showing English: %s", code, err);
    }
    return i >= 0 ? a->catalogs[i] : NULL;
}

static void set_lang(app *a, const char *code)
{
    const i18n_lang *l = i18n_lang_find(code);
    if (!l) l = i18n_lang_find(a->cfg.default_lang);
    snprintf(a->s.lang, sizeof a->s.lang, "%s", l->code);
    a->s.rtl = l->rtl;
    a->s.nchain = i18n_fallback_chain(l->code, a->s.chain, 6);
    a->s.catalog = catalog_of(a, l->code);
    a->s.can_speak = a->speech_rate > 0 && a->audio && speech_has_voice(l->code);
    load_categories(a);
    free_questions(a);
    if (store_questions(a->st, a->s.chain, a->s.nchain, &a->s.questions, &a->s.nquestions) != 0)
        log_msg("store", "questions: %s", store_errmsg(a->st));
}

/*
 * The language screen invites a passer-by in one offered language at a time, each in its own
 * script, and turns to the next every ATTRACT_TURN_MS. A turn costs one catalog load the first
 * time a language comes round (kept, as a visitor's choice keeps it), one query for the
 * category names and one drawn frame; between turns an idle kiosk sleeps as before.
 */
#define ATTRACT_TURN_MS 4000u

static void attract_show(app *a, int turn)
{
    app_state *s = &a->s;
    int n = 0;
    while (s->languages && s->languages[n]) n++;
    store_categories_free(s->attract_cats, s->nattract_cats);
    s->attract_cats = NULL;
    s->nattract_cats = 0;
    s->attract_turn = n ? (turn % n + n) % n : 0;
    s->attract_lang = n ? s->languages[s->attract_turn] : a->cfg.default_lang;
    s->attract_catalog = catalog_of(a, s->attract_lang);
    const char *chain[6];
    int nchain = i18n_fallback_chain(s->attract_lang, chain, 6);
    if (store_categories_uncounted(a->st, chain, nchain, &s->attract_cats, &s->nattract_cats) != 0)
        log_msg("store", "categories: %s", store_errmsg(a->st));
    a->attract_next_ms = s->now_ms + ATTRACT_TURN_MS;
}

/* Back to the first turn: the kiosk's default language. */
static void attract_restart(app *a)
{
    int turn = 0;
    for (int i = 0; a->s.languages && a->s.languages[i]; i++)
        if (!strcmp(a->s.languages[i], a->cfg.default_lang)) turn = i;
    attract_show(a, turn);
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

/* Languages offered, the pack's demo flag and zone: read at start and after a pack is installed. */
static void load_languages(app *a)
{
    store_strv_free(a->s.languages);
    store_strv_free(a->s.language_names);
    a->s.languages = a->cfg.languages[0] ? split_langs(a->cfg.languages) : store_languages(a->st);
    if (!a->s.languages || !a->s.languages[0]) {
        store_strv_free(a->s.languages);
        a->s.languages = split_langs("de,en");
    }
    int nl = 0;
    while (a->s.languages[nl]) nl++;
    a->s.language_names = calloc((size_t)nl + 1, sizeof *a->s.language_names);
    /* the buttons' names kept beside the state: later starts leave ICU's name data unread */
    char names_path[sizeof a->cfg.state_path + 8];
    int keep = a->cfg.state_path[0] && fmt_fit(names_path, sizeof names_path, "%s.names", a->cfg.state_path) == 0;
    if (a->s.language_names &&
        i18n_native_names((const char *const *)a->s.languages, a->s.language_names, keep ? names_path : NULL) != 0) {
        free(a->s.language_names);
        a->s.language_names = NULL;
    }
    char *demo = store_meta(a->st, "demo");
    a->s.demo = demo && !strcmp(demo, "1");
    free(demo);
    /* packs from before "timezone" existed were all built for Berlin */
    char *zone = store_meta(a->st, "timezone");
    snprintf(a->zone, sizeof a->zone, "%s", zone && slots_zone_known(zone) ? zone : STORE_DEFAULT_ZONE);
    free(zone);
    /* the booking worker reads its local days in the same zone, also after a pack installs */
    if (a->booker) booking_worker_set_zone(a->booker, a->zone);
}

/*
 * Whether the state database (bookings with names and phones, the PIN lockout) would be the
 * content database itself (the same path, or the same file under another name) or a file the
 * installer keeps beside it (.prev, .lock, .new.*, its journals): the next pack would replace
 * it, taking the bookings and the lockout with it, and it would be readable like content.
 */
static int state_is_content(const app_config *cfg)
{
    const char *st = cfg->state_path, *c = cfg->content;
    if (!st[0] || !c[0]) return 0;
    struct stat a, b;
    if (stat(st, &a) == 0 && stat(c, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) return 1;
    size_t n = strlen(c);
    if (strncmp(st, c, n) != 0) return 0;
    static const char *const beside[] = {"", ".prev", ".prev.tmp", ".lock", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof beside / sizeof *beside; i++)
        if (!strcmp(st + n, beside[i])) return 1;
    return !strncmp(st + n, ".new", 4);
}

int app_open(app **out, const app_config *cfg, char *err, size_t errlen)
{
    *out = NULL;
    if (state_is_content(cfg)) {
        snprintf(err, errlen, "state %.400s: that is the content database or a file the installer keeps beside it; "
                 "the kiosk's own database needs a file of its own (default: the content path + .local)",
                 cfg->state_path);
        return -1;
    }
    app *a = calloc(1, sizeof *a);
    if (!a) { snprintf(err, errlen, "out of memory"); return -1; }
    a->cfg = *cfg;
    if (store_open(&a->st, cfg->content, err, errlen) != 0) {
        /* never a restart loop on installed content: back to the content it replaced, if kept */
        char why[512], ferr[256];
        snprintf(why, sizeof why, "%s", err);
        if (pack_fallback(cfg->content, ferr, sizeof ferr) != PACK_OK || store_open(&a->st, cfg->content, err, errlen) != 0) {
            snprintf(err, errlen, "%s", why);
            free(a);
            return -1;
        }
        log_msg("pack", "installed content unreadable (%s); showing the previous content", why);
        snprintf(a->fallback, sizeof a->fallback, "%s", why);
    }
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to start");
        store_close(a->st);
        free(a);
        return -1;
    }
    a->staged = -1;
    /* staging files a power cut left behind would only take space; no installer runs yet */
    pack_cleanup(cfg->content);
    a->audio = 1;
    a->touch = input_tuning_default();
    /* espeak-ng starts on first use, on the speech worker: loading its data would double the
     * time to the first frame. Its voices all speak at this rate. */
    a->speech_rate = SPEECH_RATE;
    char lerr[512];
    /* without its own database the kiosk still shows content; it only forgets lockouts and times */
    if (local_open(&a->loc, cfg->state_path, lerr, sizeof lerr) != 0) log_msg("state", "%s", lerr);
    a->trust = cfg->trust;
    load_languages(a);
    app_book_open(a);
    a->s.idle_timeout_ms = (uint32_t)cfg->idle_timeout_s * 1000u;
    app_reset(a);
    a->resets = 0;
    *out = a;
    return 0;
}

void app_close(app *a)
{
    if (!a) return;
    app_speak_close(a);
    app_staff_close(a);
    app_book_close(a);
    local_close(a->loc);
    free_session(a);
    free_questions(a);
    store_categories_free(a->s.cats, a->s.ncats);
    store_categories_free(a->s.attract_cats, a->s.nattract_cats);
    store_strv_free(a->s.languages);
    store_strv_free(a->s.language_names);
    for (int i = 0; i < MAX_LANGS; i++) i18n_catalog_free(a->catalogs[i]);
    store_close(a->st);
    free(a);
}

const app_state *app_get_state(const app *a) { return &a->s; }

int app_resets(const app *a) { return a->resets; }

void app_reset(app *a)
{
    /* a new visitor: every background answer still on its way is for the last one */
    a->gen++;
    app_staff_leave(a);
    /* a session's lists and textures leave freed heap behind; give it back between visitors */
    malloc_trim(0);
    a->s.large_text = 0;
    a->s.high_contrast = 0;
    free_session(a);
    app_book_reset(a);
    a->s.screen = SCREEN_ATTRACT;
    a->s.category[0] = 0;
    memset(a->s.scroll, 0, sizeof a->s.scroll);
    a->s.velocity = 0;
    a->s.countdown = 0;
    a->s.last_input_ms = a->s.now_ms;
    set_lang(a, a->cfg.default_lang);
    attract_restart(a);
    a->resets++;
}

static int booking_screen(enum screen s) { return s >= SCREEN_BOOK_DAY && s <= SCREEN_BOOK_DONE; }

void app_go(app *a, enum screen screen)
{
    /* whoever leaves the booking screens (Home, Back to the offer) leaves no name or phone in
     * the form for the next visitor to find */
    if (booking_screen(a->s.screen) && !booking_screen(screen)) app_book_forget_person(a);
    a->s.screen = screen;
    if (screen == SCREEN_CATEGORIES) count_cats(a);
    a->s.velocity = 0;
    a->max_scroll = 0;
}

const char *app_tr(const app *a, const char *msgid) { return i18n_gettext(a->s.catalog, msgid); }

void app_type_into(char *field, size_t size, const char *text)
{
    if (strlen(field) + strlen(text) < size) strcat(field, text);
}

int app_delete_last(char *field)
{
    size_t n = strlen(field);
    if (n == 0) return 0;
    /* one character: back over UTF-8 continuation bytes */
    do n--;
    while (n > 0 && ((unsigned char)field[n] & 0xC0) == 0x80);
    field[n] = 0;
    return 1;
}
#define T app_tr

/* Switch to the content database now at cfg.content (after a pack or a sync installed it). */
int app_reload_content(app *a)
{
    char err[1024];
    store *s = NULL;
    if (store_open(&s, a->cfg.content, err, sizeof err) != 0) {
        /* cannot happen after the installation's checks; keep showing the old content if it does */
        log_msg("pack", "installed content unreadable: %s", err);
        return -1;
    }
    free_session(a);
    store_categories_free(a->s.cats, a->s.ncats);
    a->s.cats = NULL;
    a->s.ncats = 0;
    store_close(a->st);
    a->st = s;
    load_languages(a);
    set_lang(a, a->s.lang);
    attract_restart(a); /* the list of languages may have changed */
    /* the new pack's pictures are named as the old one's (by category or question id, the UI's
     * texture keys): counted as a reset, the UI drops the old textures */
    a->resets++;
    return 0;
}

void app_sync_update(app *a, const sync_status *st)
{
    a->sync = *st;
    a->have_sync = 1;
    if (st->content_changed) a->reload_pending = 1;
    if (a->reload_pending && a->s.screen == SCREEN_ATTRACT && app_reload_content(a) == 0) {
        a->reload_pending = 0;
        log_msg("sync", "now showing content version %lld", (long long)st->installed_version);
    }
}

int app_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    int done = app_book_apply(a, act);
    if (done < 0) done = app_staff_apply(a, act);
    if (done < 0) done = app_find_apply(a, act);
    if (done >= 0) return done;
    switch (act->kind) {
    case ACT_TOUCH:
        s->last_input_ms = s->now_ms;
        if (s->countdown) { s->countdown = 0; return 1; }
        return 0;
    case ACT_CHOOSE_LANG:
    case ACT_START:
        set_lang(a, act->kind == ACT_START ? a->cfg.default_lang : act->arg);
        s->scroll[SCREEN_CATEGORIES] = 0;
        app_go(a, SCREEN_CATEGORIES);
        return 1;
    case ACT_CATEGORY:
        free_rows(a);
        snprintf(s->category, sizeof s->category, "%s", act->arg);
        if (store_offers_in_category(a->st, act->arg, s->chain, s->nchain, &s->rows, &s->nrows) != 0)
            log_msg("store", "offer list: %s", store_errmsg(a->st));
        app_format_rows(a);
        s->scroll[SCREEN_LIST] = 0;
        app_go(a, SCREEN_LIST);
        return 1;
    case ACT_OFFER: {
        store_offer *o = NULL;
        if (store_offer_get(a->st, act->arg, s->chain, s->nchain, &o) != 0) return 0;
        free_offer(a);
        s->offer = o;
        if (s->screen != SCREEN_DETAIL) s->detail_from = s->screen;
        app_format_offer(a);
        s->scroll[SCREEN_DETAIL] = 0;
        app_go(a, SCREEN_DETAIL);
        return 1;
    }
    case ACT_BACK: {
        enum screen to = screen_info_of(s->screen)->parent;
        if (s->screen == SCREEN_DETAIL && s->detail_from) to = s->detail_from;
        if (s->screen == SCREEN_QUESTION && s->question > 0) {
            s->question--;
            s->scroll[SCREEN_QUESTION] = 0;
            to = SCREEN_QUESTION;
        }
        /* back to the language choice is the end of the visit */
        if (to == SCREEN_ATTRACT) app_reset(a);
        else app_go(a, to);
        return 1;
    }
    case ACT_HOME:
        if (screen_info_of(s->screen)->flags & SCREENF_STAFF) app_reset(a);
        else app_go(a, SCREEN_CATEGORIES);
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
    case ACT_TOGGLE_LARGE:
        s->large_text = !s->large_text;
        return 1;
    case ACT_TOGGLE_CONTRAST:
        s->high_contrast = !s->high_contrast;
        return 1;
    case ACT_SPEAK:
        return app_speak(a);
    default:
        return 0;
    }
}

int app_tick(app *a, uint32_t now_ms)
{
    app_state *s = &a->s;
    uint32_t dt = now_ms - s->now_ms;
    s->now_ms = now_ms;
    int dirty = app_staff_tick(a) | app_book_tick(a);
    if (s->velocity != 0 && dt > 0) {
        float v = s->scroll[s->screen] + input_coast(&a->touch, &s->velocity, (float)dt / 1000.0f);
        if (v < 0 || v > a->max_scroll) {
            v = v < 0 ? 0 : a->max_scroll;
            s->velocity = 0;
        }
        if (v != s->scroll[s->screen]) dirty = 1;
        s->scroll[s->screen] = v;
    }
    if (s->screen == SCREEN_ATTRACT && s->languages && s->languages[0] && s->languages[1] &&
        (int32_t)(now_ms - a->attract_next_ms) >= 0) {
        attract_show(a, s->attract_turn + 1);
        dirty = 1;
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
    int booking = s->book_state == BOOK_LOADING || s->book_state == BOOK_SENDING || s->code_state == CODE_LOOKING ||
                  s->staff_listing || s->staff_exporting;
    if (s->velocity != 0 || app_staff_pending(a) || job_pending(a->speaker) || booking) return 16;
    if (s->screen == SCREEN_ATTRACT) {
        if (!s->languages || !s->languages[0] || !s->languages[1]) return -1;
        int32_t left = (int32_t)(a->attract_next_ms - s->now_ms);
        return left > 0 ? left : 0;
    }
    uint32_t idle = s->now_ms - s->last_input_ms;
    if (idle >= s->idle_timeout_ms) return 0;
    uint32_t left = s->idle_timeout_ms - idle;
    int next = left > 10000 ? (int)(left - 10000) + 1 : (int)(left % 1000) + 1, scan = app_staff_next_ms(a);
    return scan >= 0 && scan < next ? scan : next;
}
