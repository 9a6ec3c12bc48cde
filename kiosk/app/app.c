/*
 * app.c: the state machine behind the screens (see app.h).
 */
#include "app.h"
#include "app_priv.h"

#include "pack/install.h"
#include "platform/log.h"
#include "platform/speech.h"
#include "store/local.h"

#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <sys/statvfs.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
    free(a->s.offer_spoken);
    a->s.offer_spoken = NULL;
}

static void free_found(app *a)
{
    store_offer_rows_free(a->s.found, a->s.nfound);
    a->s.found = NULL;
    a->s.nfound = 0;
}

static void free_matches(app *a)
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
    free_found(a);
    free_matches(a);
    sodium_memzero(a->s.query, sizeof a->s.query);
    sodium_memzero(a->s.answers, sizeof a->s.answers);
    a->s.kb_layout[0] = a->s.kb_pending[0] = 0;
    a->s.search_state = SEARCH_EMPTY;
    a->s.question = 0;
}

/* "Deutsch, Arabisch": languages spoken, named in the reader's language and joined by its list pattern. */
static char *spoken_names(const char *reader, const char *const codes[], int n)
{
    char names[16][64], out[512];
    const char *items[16];
    int k = 0;
    for (int i = 0; i < n && k < 16; i++) {
        if (i18n_language_name(codes[i], reader, names[k], sizeof names[k]) < 0)
            snprintf(names[k], sizeof names[k], "%s", codes[i]);
        items[k] = names[k];
        k++;
    }
    out[0] = 0;
    if (k && i18n_join_list(reader, items, k, out, sizeof out) < 0) snprintf(out, sizeof out, "%s", items[0]);
    return strdup(out);
}

static const char *const rrule_days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

/* "Mo., Di. und Do. 09:00–12:30 (alle 2 Wochen)" for one schedule. */
static void format_schedule(const app_state *s, const store_schedule *sc, char *buf, size_t len)
{
    char names[7][48], copy[48];
    const char *items[7];
    int n = 0;
    snprintf(copy, sizeof copy, "%s", sc->byday);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && n < 7; tok = strtok_r(NULL, ",", &save)) {
        while ((*tok >= '0' && *tok <= '9') || *tok == '-' || *tok == '+') tok++; /* "1WE": the ordinal is said below */
        int k = 0;
        while (k < 7 && strcmp(tok, rrule_days[k]) != 0) k++;
        /* full names: ICU's abbreviations are cryptic in some languages (ku, so) */
        if (k == 7 || i18n_weekday(s->lang, k, 0, names[n], sizeof names[n]) < 0) continue;
        items[n] = names[n];
        n++;
    }
    char days[256] = "", times[96] = "", extra[128] = "";
    if (n) i18n_join_list(s->lang, items, n, days, sizeof days);
    i18n_format_time_range(s->lang, sc->opens, sc->closes, times, sizeof times);
    if (!strcmp(sc->freq, "MONTHLY")) {
        snprintf(extra, sizeof extra, " (%s)", i18n_gettext(s->catalog, "once a month"));
    } else if (sc->interval > 1) {
        char tmp[96];
        i18n_format_count(s->catalog, s->lang, "every %d week", "every %d weeks", sc->interval, tmp, sizeof tmp);
        snprintf(extra, sizeof extra, " (%s)", tmp);
    }
    /* a season or a one-day event: say when, or a weekly line would promise every week */
    char dates[160] = "";
    char range[128];
    if (sc->valid_from[0] && sc->valid_to[0] &&
        i18n_format_date_range(s->lang, sc->valid_from, sc->valid_to, range, sizeof range) >= 0)
        snprintf(dates, sizeof dates, "\n%s", range);
    if (snprintf(buf, len, "%s %s%s%s", days, times, extra, dates) >= (int)len) buf[len - 1] = 0; /* cut, still a string */
}

static void format_offer(app *a)
{
    const store_offer *o = a->s.offer;
    char hours[2048] = "";
    size_t hl = 0;
    for (int i = 0; i < o->nschedules && hl < sizeof hours - 512; i++) {
        char line[512];
        format_schedule(&a->s, &o->schedules[i], line, sizeof line);
        hl += (size_t)snprintf(hours + hl, sizeof hours - hl, "%s%s", i ? "\n" : "", line);
    }
    a->s.offer_hours = strdup(hours);
    a->s.offer_spoken = spoken_names(a->s.lang, (const char *const *)o->languages, o->nlanguages);
}

static void format_rows(app *a)
{
    a->s.row_meta = calloc((size_t)a->s.nrows + 1, sizeof *a->s.row_meta);
    for (int i = 0; a->s.row_meta && i < a->s.nrows; i++) {
        const char *codes[16];
        char copy[256];
        int n = 0;
        snprintf(copy, sizeof copy, "%s", a->s.rows[i].languages);
        for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save)) codes[n++] = t;
        char *spoken = spoken_names(a->s.lang, codes, n);
        char line[600];
        snprintf(line, sizeof line, "%s%s%s", a->s.rows[i].town, spoken && *spoken ? " · " : "", spoken ? spoken : "");
        free(spoken);
        a->s.row_meta[i] = strdup(line);
    }
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
        log_msg("store", "categories: %s", store_errmsg(a->st));
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
            log_msg("i18n", "UI strings for %s unavailable, showing English: %s", l->code, err);
    }
    a->s.catalog = i >= 0 ? a->catalogs[i] : NULL;
    a->s.can_speak = a->speech_rate > 0 && a->audio && speech_has_voice(l->code);
    load_categories(a);
    free_questions(a);
    if (store_questions(a->st, a->s.chain, a->s.nchain, &a->s.questions, &a->s.nquestions) != 0)
        log_msg("store", "questions: %s", store_errmsg(a->st));
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

/* Languages offered and the pack's demo flag: read at start and after a pack is installed. */
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
    for (int i = 0; a->s.language_names && i < nl; i++) {
        char name[128];
        if (i18n_native_name(a->s.languages[i], name, sizeof name) < 0) snprintf(name, sizeof name, "%s", a->s.languages[i]);
        a->s.language_names[i] = strdup(name);
    }
    char *demo = store_meta(a->st, "demo");
    a->s.demo = demo && !strcmp(demo, "1");
    free(demo);
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
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to start");
        store_close(a->st);
        free(a);
        return -1;
    }
    a->staged = -1;
    a->audio = 1;
    /* espeak-ng starts on first use, on the speech worker: loading its data would double the
     * time to the first frame. Its voices all speak at this rate. */
    a->speech_rate = SPEECH_RATE;
    char state[1100];
    snprintf(state, sizeof state, "%s", cfg->state_path);
    char lerr[512];
    /* without its own database the kiosk still shows content; it only forgets lockouts and times */
    if (local_open(&a->loc, state, lerr, sizeof lerr) != 0) log_msg("state", "%s", lerr);
    char keys[1024];
    snprintf(keys, sizeof keys, "%s", cfg->trusted_keys);
    for (char *save = NULL, *k = strtok_r(keys, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        while (*k == ' ') k++;
        if (*k && pack_trust_add_file(&a->trust, k, lerr, sizeof lerr) != 0) log_msg("pack", "trusted key: %s", lerr);
    }
    load_languages(a);
    app_book_open(a);
    a->s.idle_timeout_ms = (uint32_t)cfg->idle_timeout_s * 1000u;
    app_reset(a);
    a->resets = 0;
    *out = a;
    return 0;
}

static void free_packs(app *a)
{
    for (int i = 0; i < a->s.npacks; i++) free(a->pack_paths[i]);
    free(a->pack_paths);
    a->pack_paths = NULL;
    free(a->s.packs);
    a->s.packs = NULL;
    a->s.npacks = 0;
}

static void job_wait(app *a)
{
    if (!a->job.running) return;
    pthread_join(a->job.thread, NULL);
    a->job.running = 0;
}

static void leave_staff(app *a)
{
    job_wait(a);
    if (a->staged >= 0) pack_unstage(a->cfg.content);
    a->staged = -1;
    free_packs(a);
    sodium_memzero(a->pin, sizeof a->pin);
    a->s.pin_len = 0;
    a->s.staff_msg[0] = 0;
    a->s.staff_busy = 0;
}

static void speech_wait(app *a)
{
    if (!a->speech.running) return;
    pthread_join(a->speech.thread, NULL);
    a->speech.running = 0;
    free(a->speech.text);
    a->speech.text = NULL;
}

void app_close(app *a)
{
    if (!a) return;
    speech_wait(a);
    free(a->speech.pcm);
    if (a->speech.started > 0) speech_term();
    leave_staff(a);
    app_book_close(a);
    local_close(a->loc);
    free_session(a);
    free_questions(a);
    store_categories_free(a->s.cats, a->s.ncats);
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
    leave_staff(a);
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
    a->resets++;
}

void app_go(app *a, int screen)
{
    a->s.screen = screen;
    a->s.velocity = 0;
    a->max_scroll = 0;
}

/* ---------- staff mode ---------- */

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

static int64_t installed_version(app *a)
{
    char *v = store_meta(a->st, "content_version");
    int64_t n = v ? atoll(v) : 0;
    free(v);
    return n;
}

static void staff_info(app *a)
{
    char *ver = store_meta(a->st, "content_version"), *created = store_meta(a->st, "created");
    char *id = store_meta(a->st, "pack_id");
    size_t o = 0;
    char *b = a->s.staff_info;
    size_t n = sizeof a->s.staff_info;
    o += (size_t)snprintf(b + o, n - o, "%s: %s %s (%s)\n", T(a, "Content"), id ? id : "?", ver ? ver : "?",
                          created ? created : "?");
    free(ver);
    free(created);
    free(id);
    o += (size_t)snprintf(b + o, n - o, "%s:", T(a, "Offers translated"));
    for (int i = 0; a->s.languages && a->s.languages[i] && o < n - 64; i++) {
        int tr = 0, total = 0;
        store_coverage(a->st, a->s.languages[i], &tr, &total);
        o += (size_t)snprintf(b + o, n - o, " %s %d/%d", a->s.languages[i], tr, total);
    }
    struct statvfs vfs;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", a->cfg.content);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    if (o < n - 128 && statvfs(dir, &vfs) == 0)
        o += (size_t)snprintf(b + o, n - o, "\n%s: %llu MiB", T(a, "Free disk space"),
                              (unsigned long long)vfs.f_bavail * vfs.f_frsize >> 20);
    if (o < n - 128) {
        /* full or read-only storage: the kiosk goes on showing content, staff must know */
        const char *state = T(a, "ok");
        struct statvfs sv;
        if (statvfs(dir, &sv) == 0 && (sv.f_flag & ST_RDONLY)) state = T(a, "read-only: nothing can be saved");
        else if (statvfs(dir, &sv) == 0 && (uint64_t)sv.f_bavail * sv.f_frsize < (4u << 20)) state = T(a, "full: nothing can be saved");
        else if (local_set_int(a->loc, "storage_probe", (int64_t)time(NULL)) != 0) state = T(a, "read-only: nothing can be saved");
        o += (size_t)snprintf(b + o, n - o, "\n%s: %s", T(a, "Storage"), state);
    }
    if (o < n - 128) {
        char when[64] = "";
        if (a->have_sync && a->sync.last_success) {
            time_t t = (time_t)a->sync.last_success;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
        }
        o += (size_t)snprintf(b + o, n - o, "\n%s: %s", T(a, "Last update from the central store"),
                              when[0] ? when : T(a, "never"));
        if (a->have_sync && a->sync.last_attempt && a->sync.last_attempt != a->sync.last_success && o < n - 400) {
            time_t t = (time_t)a->sync.last_attempt;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
            o += (size_t)snprintf(b + o, n - o, "; %s: %s", when, a->sync.last_error);
        }
    }
}

static void add_pack(app *a, const char *path, const char *name)
{
    staff_pack *np = realloc(a->s.packs, sizeof *np * (size_t)(a->s.npacks + 1));
    char **pp = np ? realloc(a->pack_paths, sizeof *pp * (size_t)(a->s.npacks + 1)) : NULL;
    if (np) a->s.packs = np;
    if (!np || !pp) return;
    a->pack_paths = pp;
    staff_pack *p = &a->s.packs[a->s.npacks];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    pack_manifest m;
    char err[1024];
    int rc = pack_read_manifest(path, &a->trust, &m, err, sizeof err);
    if (rc == PACK_OK) {
        snprintf(p->status, sizeof p->status, "%s %lld", T(a, "Version"), (long long)m.content_version);
    } else {
        snprintf(p->status, sizeof p->status, "%s", T(a, pack_strerror(rc)));
        p->state = PACKROW_REFUSED;
    }
    a->pack_paths[a->s.npacks++] = strdup(path);
}

/* *.kpack files up to three folders below the media folder (/media/USER/STICK/file.kpack). */
static void scan(const char *dir, int depth, char ***found, int *n)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && *n < 32) {
        if (e->d_name[0] == '.') continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (l > 6 && !strcmp(e->d_name + l - 6, ".kpack")) {
            char **nf = realloc(*found, sizeof *nf * (size_t)(*n + 1));
            if (!nf) break;
            *found = nf;
            (*found)[(*n)++] = strdup(path);
        } else if (depth < 3 && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN)) {
            scan(path, depth + 1, found, n);
        }
    }
    closedir(d);
}

static int path_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void staff_refresh(app *a)
{
    free_packs(a);
    staff_info(a);
    char **found = NULL;
    int n = 0;
    scan(a->cfg.media_dir, 1, &found, &n);
    if (n > 1) qsort(found, (size_t)n, sizeof *found, path_cmp);
    for (int i = 0; i < n; i++) {
        const char *slash = strrchr(found[i], '/');
        add_pack(a, found[i], slash ? slash + 1 : found[i]);
        free(found[i]);
    }
    free(found);
}

static void *check_run(void *arg)
{
    check_job *j = arg;
    j->rc = pack_stage(j->pack_path, j->content_path, &j->trust, &j->pol, &j->m, j->err, sizeof j->err);
    if (j->rc == PACK_OK) {
        store *s = NULL;
        char staged[1100], e[256];
        snprintf(staged, sizeof staged, "%s.new", j->content_path);
        if (store_open(&s, j->content_path, e, sizeof e) == 0) {
            store_diff(s, staged, &j->added, &j->changed, &j->removed);
            store_close(s);
        }
    }
    atomic_store(&j->done, 1);
    return NULL;
}

static int staff_check(app *a, int i)
{
    if (i < 0 || i >= a->s.npacks || a->job.running || a->s.packs[i].state == PACKROW_REFUSED) return 0;
    if (a->staged >= 0) {
        pack_unstage(a->cfg.content);
        if (a->s.packs[a->staged].state == PACKROW_READY) a->s.packs[a->staged].state = PACKROW_FOUND;
        a->staged = -1;
    }
    check_job *j = &a->job;
    memset(j, 0, sizeof *j);
    j->index = i;
    snprintf(j->pack_path, sizeof j->pack_path, "%s", a->pack_paths[i]);
    snprintf(j->content_path, sizeof j->content_path, "%s", a->cfg.content);
    j->trust = a->trust;
    j->pol.installed_version = installed_version(a);
    j->pol.now = (int64_t)time(NULL);
    j->pol.newest_seen = local_get_int(a->loc, "newest_manifest_time", 0);
    if (pthread_create(&j->thread, NULL, check_run, j) != 0) return 0;
    j->running = 1;
    a->s.staff_busy = 1;
    a->s.packs[i].state = PACKROW_CHECKING;
    snprintf(a->s.packs[i].status, sizeof a->s.packs[i].status, "%s", T(a, "Checking…"));
    return 1;
}

static int check_collect(app *a)
{
    check_job *j = &a->job;
    if (!j->running || !atomic_load(&j->done)) return 0;
    job_wait(a);
    a->s.staff_busy = 0;
    local_set_int(a->loc, "newest_manifest_time", j->pol.newest_seen);
    if (j->index >= a->s.npacks) return 1;
    staff_pack *p = &a->s.packs[j->index];
    if (j->rc == PACK_OK) {
        a->staged = j->index;
        a->staged_m = j->m;
        p->state = PACKROW_READY;
        char counts[256];
        snprintf(counts, sizeof counts, T(a, "%d added, %d changed, %d removed"), j->added, j->changed, j->removed);
        snprintf(p->status, sizeof p->status, "%s %lld → %lld: %s", T(a, "Version"), (long long)j->pol.installed_version,
                 (long long)j->m.content_version, counts);
    } else {
        p->state = PACKROW_REFUSED;
        snprintf(p->status, sizeof p->status, "%s", T(a, pack_strerror(j->rc)));
        log_msg("pack", "%s refused: %s", p->name, j->err);
    }
    return 1;
}

/* Switch to the content database now at cfg.content (after a pack or a sync installed it). */
static int reload_content(app *a)
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
    return 0;
}

void app_sync_update(app *a, const sync_status *st)
{
    a->sync = *st;
    a->have_sync = 1;
    if (st->content_changed) a->reload_pending = 1;
    if (a->reload_pending && a->s.screen == SCREEN_ATTRACT && reload_content(a) == 0) {
        a->reload_pending = 0;
        log_msg("sync", "now showing content version %lld", (long long)st->installed_version);
    }
}

static int staff_apply(app *a, int i)
{
    if (i != a->staged || a->job.running) return 0;
    char err[1024];
    pack_policy pol = {.installed_version = installed_version(a)};
    if (pack_commit(a->cfg.content, &pol, &a->staged_m, err, sizeof err) != PACK_OK) {
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, pack_strerror(PACK_ERR_IO)));
        return 1;
    }
    a->staged = -1;
    if (reload_content(a) != 0) {
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, pack_strerror(PACK_ERR_SCHEMA)));
        return 1;
    }
    a->s.packs[i].state = PACKROW_INSTALLED;
    snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s %lld", T(a, "Installed: version"),
             (long long)a->staged_m.content_version);
    snprintf(a->s.packs[i].status, sizeof a->s.packs[i].status, "%s", a->s.staff_msg);
    staff_info(a);
    return 1;
}

static int64_t lock_left(app *a)
{
    int64_t until = local_get_int(a->loc, "staff_locked_until", 0), now = (int64_t)time(NULL);
    return until > now ? until - now : 0;
}

static void pin_ok(app *a)
{
    int64_t left = lock_left(a);
    if (left > 0) {
        i18n_format_count(a->s.catalog, a->s.lang, "Locked. Try again in %d second", "Locked. Try again in %d seconds",
                          (long)left, a->s.staff_msg, sizeof a->s.staff_msg);
    } else if (a->cfg.staff_pin_hash[0] &&
               crypto_pwhash_str_verify(a->cfg.staff_pin_hash, a->pin, strlen(a->pin)) == 0) {
        local_set_int(a->loc, "staff_failures", 0);
        a->s.staff_msg[0] = 0;
        app_go(a, SCREEN_STAFF);
        staff_refresh(a);
        app_book_staff(a, 0);
    } else {
        /* three tries, then locks of 30 s doubling up to an hour; remembered across restarts */
        int64_t fails = local_get_int(a->loc, "staff_failures", 0) + 1;
        local_set_int(a->loc, "staff_failures", fails);
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, "Wrong PIN"));
        if (fails >= 3) {
            int64_t lock = 30;
            for (int64_t k = 3; k < fails && lock < 3600; k++) lock *= 2;
            if (lock > 3600) lock = 3600;
            local_set_int(a->loc, "staff_locked_until", (int64_t)time(NULL) + lock);
            i18n_format_count(a->s.catalog, a->s.lang, "Locked. Try again in %d second",
                              "Locked. Try again in %d seconds", (long)lock, a->s.staff_msg, sizeof a->s.staff_msg);
        }
        log_msg("staff", "wrong staff PIN (%lld in a row)", (long long)fails);
    }
    sodium_memzero(a->pin, sizeof a->pin);
    a->s.pin_len = 0;
}

/* ---------- reading aloud ---------- */

static void *speech_run(void *arg)
{
    speech_job *j = arg;
    if (!j->started) {
        int rate = speech_init();
        j->started = rate > 0 ? 1 : -1;
        if (rate > 0 && rate != SPEECH_RATE) log_msg("speech", "espeak-ng speaks at %d Hz, not %d", rate, SPEECH_RATE);
        if (rate <= 0) log_msg("speech", "espeak-ng unavailable: no reading aloud");
    }
    if (j->started < 0 || speech_synth(j->lang, j->text, &j->pcm, &j->n) != 0) {
        j->pcm = NULL;
        j->n = 0;
    }
    atomic_store(&j->done, 1);
    return NULL;
}

static void say(char *buf, size_t len, size_t *o, const char *text)
{
    if (!text || !*text || *o >= len - 4) return;
    *o += (size_t)snprintf(buf + *o, len - *o, "%s%s", *o ? ". " : "", text);
    if (*o >= len) *o = len - 1;
}

/* What a person would read on this screen: headings, names, address and hours. */
static char *speech_text(app *a)
{
    app_state *s = &a->s;
    size_t len = 8192, o = 0;
    char *b = calloc(len, 1);
    if (!b) return NULL;
    switch (s->screen) {
    case SCREEN_ATTRACT:
        say(b, len, &o, T(a, "Choose your language"));
        say(b, len, &o, T(a, "Touch your language to start"));
        break;
    case SCREEN_CATEGORIES:
        say(b, len, &o, T(a, "What do you need help with?"));
        for (int i = 0; i < s->ncats; i++) say(b, len, &o, s->cats[i].name.text);
        break;
    case SCREEN_LIST:
        for (int i = 0; i < s->ncats; i++)
            if (!strcmp(s->cats[i].id, s->category)) say(b, len, &o, s->cats[i].name.text);
        for (int i = 0; i < s->nrows && i < 8; i++) say(b, len, &o, s->rows[i].name.text);
        break;
    case SCREEN_DETAIL:
        if (s->offer) {
            say(b, len, &o, s->offer->name.text);
            say(b, len, &o, s->offer->summary.text);
            say(b, len, &o, T(a, "Address"));
            say(b, len, &o, s->offer->street);
            say(b, len, &o, s->offer->city);
            say(b, len, &o, T(a, "Opening hours"));
            say(b, len, &o, s->offer_hours && *s->offer_hours ? s->offer_hours : T(a, "By appointment only"));
        }
        break;
    case SCREEN_QUESTION:
        /* read the question and every answer: the path is for people who read little */
        if (s->question < s->nquestions) {
            const store_question *q = &s->questions[s->question];
            say(b, len, &o, q->text.text);
            for (int i = 0; i < q->nanswers; i++) say(b, len, &o, q->answers[i].label.text);
        }
        break;
    case SCREEN_MATCHES:
        if (s->urgent) say(b, len, &o, T(a, "You are not alone. These places help you."));
        for (int i = 0; i < s->nmatches && i < 6; i++) say(b, len, &o, s->matches[i].name.text);
        break;
    case SCREEN_SEARCH:
        for (int i = 0; i < s->nfound && i < 6; i++) say(b, len, &o, s->found[i].name.text);
        break;
    case SCREEN_BOOK_DAY:
        say(b, len, &o, T(a, "Choose a day"));
        for (int i = 0; i < s->nbook_days && i < 6; i++) say(b, len, &o, s->book_days[i].label);
        break;
    case SCREEN_BOOK_TIME:
        say(b, len, &o, T(a, "Choose a time"));
        for (int i = 0; i < s->nbook_times && i < 8; i++) say(b, len, &o, s->book_times[i].label);
        break;
    case SCREEN_BOOK_DETAILS:
        /* never what was typed: a name or number read aloud is heard by the whole room */
        say(b, len, &o, T(a, "Your name and phone number (you may leave them out)"));
        break;
    case SCREEN_BOOK_CONSENT:
        say(b, len, &o, T(a, "Please read before you book"));
        say(b, len, &o, s->book_when);
        break;
    case SCREEN_BOOK_DONE:
        if (s->book_state == BOOK_CONFIRMED || s->book_state == BOOK_QUEUED) {
            say(b, len, &o, s->book_state == BOOK_CONFIRMED ? T(a, "Your appointment is booked.") : T(a, "Not booked yet"));
            /* the code letter by letter, as it is written down */
            char spelt[32] = "";
            for (size_t i = 0, k = 0; s->book_code[i] && k + 2 < sizeof spelt; i++) {
                spelt[k++] = s->book_code[i];
                spelt[k++] = ' ';
                spelt[k] = 0;
            }
            say(b, len, &o, T(a, "Your booking code:"));
            say(b, len, &o, spelt);
            say(b, len, &o, s->book_when);
        }
        break;
    default:
        break;
    }
    return b;
}

static int speak(app *a)
{
    if (!a->s.can_speak || a->speech.running) return 0;
    speech_job *j = &a->speech;
    free(j->pcm);
    int started = j->started;
    memset(j, 0, sizeof *j);
    j->started = started;
    snprintf(j->lang, sizeof j->lang, "%s", a->s.lang);
    j->text = speech_text(a);
    if (!j->text || pthread_create(&j->thread, NULL, speech_run, j) != 0) {
        free(j->text);
        j->text = NULL;
        return 0;
    }
    j->running = 1;
    a->s.speaking = 1;
    return 1;
}

int app_take_audio(app *a, int16_t **pcm, size_t *n)
{
    if (!a->speech.running || !atomic_load(&a->speech.done)) return 0;
    speech_wait(a);
    a->s.speaking = 0;
    *pcm = a->speech.pcm;
    *n = a->speech.n;
    a->speech.pcm = NULL;
    return *pcm != NULL;
}

void app_set_audio(app *a, int available)
{
    a->audio = available;
    a->s.can_speak = a->speech_rate > 0 && a->audio && speech_has_voice(a->s.lang);
}

int app_audio_rate(const app *a) { return a->speech_rate; }

/* ---------- search and guided questions ---------- */

static void run_search(app *a)
{
    app_state *s = &a->s;
    free_found(a);
    s->scroll[SCREEN_SEARCH] = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s->query; *p; p++)
        if ((*p & 0xC0) != 0x80 && *p != ' ') chars++;
    if (chars == 0) {
        s->search_state = SEARCH_EMPTY;
        return;
    }
    int rc = store_search(a->st, s->query, s->chain, s->nchain, 40, &s->found, &s->nfound);
    if (rc < 0) log_msg("store", "search failed: %s", store_errmsg(a->st)); /* never the query itself */
    if (rc == 1) s->search_state = SEARCH_UNAVAILABLE;
    else if (s->nfound > 0) s->search_state = SEARCH_RESULTS;
    else s->search_state = chars < 2 ? SEARCH_SHORT : SEARCH_NONE_FOUND;
}

static void show_matches(app *a, const char *const *ids, int n)
{
    app_state *s = &a->s;
    int urgent = s->urgent;
    free_matches(a);
    s->urgent = urgent;
    if (store_match(a->st, ids, n, s->chain, s->nchain, &s->matches, &s->match_why, &s->nmatches) != 0)
        log_msg("store", "matching: %s", store_errmsg(a->st));
    s->scroll[SCREEN_MATCHES] = 0;
    app_go(a, SCREEN_MATCHES);
}

/* An answer to the question shown ("" skips it); the last one, or an urgent one, shows the matches. */
static int answer(app *a, const char *id)
{
    app_state *s = &a->s;
    const store_question *q = &s->questions[s->question];
    const store_answer *chosen = NULL;
    for (int i = 0; i < q->nanswers; i++)
        if (!strcmp(q->answers[i].id, id)) chosen = &q->answers[i];
    size_t len = strlen(id);
    if ((id[0] && !chosen) || len >= sizeof s->answers[0]) return 0;
    if (s->question < (int)(sizeof s->answers / sizeof s->answers[0])) memcpy(s->answers[s->question], id, len + 1);
    if (chosen && chosen->urgent) {
        /* someone not safe sees help first, not four more questions */
        const char *ids[] = {chosen->id};
        s->urgent = 1;
        show_matches(a, ids, 1);
        return 1;
    }
    s->urgent = 0;
    if (s->question + 1 < s->nquestions) {
        s->question++;
        return 1;
    }
    const char *ids[8];
    int n = 0;
    for (int i = 0; i < s->nquestions && i < 8; i++)
        if (s->answers[i][0]) ids[n++] = s->answers[i];
    show_matches(a, ids, n);
    return 1;
}

int app_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    int booked = app_book_apply(a, act);
    if (booked >= 0) return booked;
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
        format_rows(a);
        s->scroll[SCREEN_LIST] = 0;
        app_go(a, SCREEN_LIST);
        return 1;
    case ACT_OFFER: {
        store_offer *o = NULL;
        if (store_offer_get(a->st, act->arg, s->chain, s->nchain, &o) != 0) return 0;
        free_offer(a);
        s->offer = o;
        if (s->screen != SCREEN_DETAIL) s->detail_from = s->screen;
        format_offer(a);
        s->scroll[SCREEN_DETAIL] = 0;
        app_go(a, SCREEN_DETAIL);
        return 1;
    }
    case ACT_BACK:
        if (s->screen == SCREEN_DETAIL) app_go(a, s->detail_from ? s->detail_from : SCREEN_LIST);
        else if (s->screen == SCREEN_SEARCH) app_go(a, SCREEN_CATEGORIES);
        else if (s->screen == SCREEN_QUESTION && s->question > 0) { s->question--; app_go(a, SCREEN_QUESTION); }
        else if (s->screen == SCREEN_QUESTION) app_go(a, SCREEN_CATEGORIES);
        else if (s->screen == SCREEN_MATCHES) app_go(a, SCREEN_QUESTION);
        else if (s->screen == SCREEN_PIN || s->screen == SCREEN_STAFF) app_reset(a);
        else if (s->screen == SCREEN_LIST) app_go(a, SCREEN_CATEGORIES);
        else app_reset(a);
        return 1;
    case ACT_HOME:
        if (s->screen == SCREEN_PIN || s->screen == SCREEN_STAFF) app_reset(a);
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
    case ACT_STAFF_ENTER:
        if (!a->cfg.staff_pin_hash[0] || s->screen != SCREEN_ATTRACT) return 0;
        app_go(a, SCREEN_PIN);
        s->pin_len = 0;
        s->staff_msg[0] = 0;
        return 1;
    case ACT_PIN_DIGIT:
        if (s->pin_len >= (int)sizeof a->pin - 1 || act->arg[0] < '0' || act->arg[0] > '9') return 0;
        a->pin[s->pin_len++] = act->arg[0];
        a->pin[s->pin_len] = 0;
        return 1;
    case ACT_PIN_DELETE:
        if (s->pin_len == 0) return 0;
        a->pin[--s->pin_len] = 0;
        return 1;
    case ACT_PIN_OK:
        pin_ok(a);
        return 1;
    case ACT_STAFF_CHECK:
        return s->screen == SCREEN_STAFF && staff_check(a, (int)act->value);
    case ACT_STAFF_APPLY:
        return s->screen == SCREEN_STAFF && staff_apply(a, (int)act->value);
    case ACT_STAFF_EXPORT:
        if (s->screen != SCREEN_STAFF || s->staff_exporting) return 0;
        app_book_staff(a, 1);
        return 1;
    case ACT_STAFF_LEAVE:
        app_reset(a);
        return 1;
    case ACT_STAFF_QUIT:
        if (s->screen != SCREEN_STAFF) return 0;
        s->quit = 1;
        return 1;
    case ACT_TOGGLE_LARGE:
        s->large_text = !s->large_text;
        return 1;
    case ACT_TOGGLE_CONTRAST:
        s->high_contrast = !s->high_contrast;
        return 1;
    case ACT_SPEAK:
        return speak(a);
    case ACT_SEARCH:
        app_go(a, SCREEN_SEARCH);
        s->scroll[SCREEN_SEARCH] = 0;
        run_search(a);
        return 1;
    case ACT_KEY:
        if (s->screen != SCREEN_SEARCH || strlen(s->query) + strlen(act->arg) >= sizeof s->query - 1) return 0;
        app_type_into(s->query, sizeof s->query, act->arg);
        s->kb_pending[0] = 0;
        run_search(a);
        return 1;
    case ACT_KEY_DELETE:
        if (s->kb_pending[0]) { s->kb_pending[0] = 0; return 1; }
        if (!app_delete_last(s->query)) return 0;
        run_search(a);
        return 1;
    case ACT_KEY_CLEAR:
        sodium_memzero(s->query, sizeof s->query);
        s->kb_pending[0] = 0;
        run_search(a);
        return 1;
    case ACT_KEY_PENDING:
        /* the same consonant again takes it back */
        if (!strcmp(s->kb_pending, act->arg)) s->kb_pending[0] = 0;
        else if (strlen(act->arg) < sizeof s->kb_pending) memcpy(s->kb_pending, act->arg, strlen(act->arg) + 1);
        return 1;
    case ACT_KB_LAYOUT:
        if (strlen(act->arg) >= sizeof s->kb_layout) return 0;
        memcpy(s->kb_layout, act->arg, strlen(act->arg) + 1);
        s->kb_pending[0] = 0;
        return 1;
    case ACT_GUIDE:
        if (s->nquestions == 0) return 0;
        memset(s->answers, 0, sizeof s->answers);
        free_matches(a);
        s->question = 0;
        app_go(a, SCREEN_QUESTION);
        return 1;
    case ACT_ANSWER:
        return s->screen == SCREEN_QUESTION && answer(a, act->arg);
    default:
        return 0;
    }
}

int app_tick(app *a, uint32_t now_ms)
{
    app_state *s = &a->s;
    uint32_t dt = now_ms - s->now_ms;
    s->now_ms = now_ms;
    int dirty = check_collect(a) | app_book_tick(a);
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
    int booking = s->book_state == BOOK_LOADING || s->book_state == BOOK_SENDING || s->code_state == CODE_LOOKING ||
                  s->staff_exporting;
    if (s->velocity != 0 || a->job.running || a->speech.running || booking) return 16;
    if (s->screen == SCREEN_ATTRACT) return -1;
    uint32_t idle = s->now_ms - s->last_input_ms;
    if (idle >= s->idle_timeout_ms) return 0;
    uint32_t left = s->idle_timeout_ms - idle;
    if (left > 10000) return (int)(left - 10000) + 1;
    return (int)(left % 1000) + 1;
}
