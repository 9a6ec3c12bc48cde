/*
 * The state machine without SDL: app_apply and app_tick driven directly on the demo content,
 * with the local booking backend. Above all, a background answer that arrives after the visitor
 * left (or after they moved on to another offer) is dropped, never applied to what is shown.
 * Usage: test_app BUILD_DIR (content/demo.db lives there).
 */
#include "check.h"
#include "app/app.h"
#include "booking/slots.h"
#include "platform/input.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fail_readdir.h"

static const char *build;
static char dir[256];
static uint32_t now_ms;

static void act(app *a, int kind, const char *arg, float value)
{
    action touch = {.kind = ACT_TOUCH};
    app_apply(a, &touch);
    action x = {.kind = kind, .value = value};
    snprintf(x.arg, sizeof x.arg, "%s", arg ? arg : "");
    app_apply(a, &x);
}

/* Type an ASCII word on the search keyboard, key by key. */
static void type_keys(app *a, const char *word)
{
    for (const char *k = word; *k; k++) act(a, ACT_KEY, (char[]){*k, 0}, 0);
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Tick (as the main loop does) until cond holds or ms pass. */
#define TICK_UNTIL(a, cond, ms)                                         \
    do {                                                                \
        for (int t_ = 0; t_ < (ms) / 10 && !(cond); t_++) {             \
            sleep_ms(10);                                               \
            now_ms += 10;                                               \
            app_tick(a, now_ms);                                        \
        }                                                               \
    } while (0)

static app *open_app_on(const char *name, const char *content)
{
    app_config c;
    app_config_defaults(&c);
    snprintf(c.content, sizeof c.content, "%s", content);
    snprintf(c.state_path, sizeof c.state_path, "%s/%s.db", dir, name);
    c.booking = 1;
    c.booking_retry_s = 60;
    c.idle_timeout_s = 90;
    unlink(c.state_path);
    app *a = NULL;
    char err[512];
    if (app_open(&a, &c, err, sizeof err) != 0) printf("app_open: %s\n", err);
    if (a) app_tick(a, now_ms);
    return a;
}

static app *open_app(const char *name)
{
    char content[400];
    snprintf(content, sizeof content, "%s/content/demo.db", build);
    return open_app_on(name, content);
}

/* Hold the state database's write lock from outside, so a booking waits on the worker. */
static sqlite3 *hold_lock(const char *name)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    sqlite3 *d = NULL;
    if (sqlite3_open(path, &d) != SQLITE_OK || sqlite3_exec(d, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(d);
        return NULL;
    }
    return d;
}

static int bookings(const char *name)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT count(*) FROM booking", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(d);
    return n;
}

/* Bookings in the state database at path; -1 when it cannot be read. */
static int bookings_at(const char *path)
{
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT count(*) FROM booking", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(d);
    return n;
}

/* Language, offer, first day, first time, anonymous, to the consent screen. */
static int to_consent(app *a, const char *offer)
{
    const app_state *s = app_get_state(a);
    act(a, ACT_CHOOSE_LANG, "de", 0);
    act(a, ACT_OFFER, offer, 0);
    act(a, ACT_BOOK, NULL, 0);
    TICK_UNTIL(a, s->book_state != BOOK_LOADING, 5000);
    act(a, ACT_BOOK_DAY, NULL, 0);
    act(a, ACT_BOOK_TIME, NULL, 0);
    act(a, ACT_BOOK_ANON, NULL, 0);
    return s->screen == SCREEN_BOOK_CONSENT;
}

TEST(session_basics)
{
    app *a = open_app("basics");
    CHECK(a != NULL, "opens on the demo content");
    if (!a) return;
    const app_state *s = app_get_state(a);
    CHECK(s->screen == SCREEN_ATTRACT && s->ncats > 0, "starts on the language screen with categories");
    act(a, ACT_CHOOSE_LANG, "ar", 0);
    CHECK(s->screen == SCREEN_CATEGORIES && s->rtl && !strcmp(s->lang, "ar"), "Arabic: categories, right to left");
    long offers = 0;
    for (int i = 0; i < s->ncats; i++) offers += s->cats[i].count;
    CHECK(offers >= 77, "the categories screen has its counts (%ld offers)", offers);
    act(a, ACT_CATEGORY, s->cats[0].id, 0);
    CHECK(s->screen == SCREEN_LIST && s->nrows > 0, "a category lists offers (%d)", s->nrows);
    act(a, ACT_OFFER, s->rows[0].id, 0);
    CHECK(s->screen == SCREEN_DETAIL && s->offer, "an offer opens");
    act(a, ACT_BACK, NULL, 0);
    CHECK(s->screen == SCREEN_LIST, "back returns to the list");
    act(a, ACT_SEARCH, NULL, 0);
    type_keys(a, "mbe");
    CHECK(s->screen == SCREEN_SEARCH && !strcmp(s->query, "mbe") && s->nfound > 0, "typing searches (%d found)", s->nfound);
    /* idle: the countdown shows ten seconds before the end, then everything is gone */
    now_ms += 81000;
    app_tick(a, now_ms);
    CHECK(s->countdown > 0 && s->countdown <= 10, "countdown %d", s->countdown);
    now_ms += 10000;
    app_tick(a, now_ms);
    CHECK(s->screen == SCREEN_ATTRACT && !s->query[0] && s->nfound == 0 && !s->offer && !strcmp(s->lang, "de"),
          "idle reset forgets query, results, offer and language");
    int next = app_next_tick_ms(a);
    CHECK(next >= 1000, "the language screen wakes only to turn its invitation, not at frame rate (%d ms)", next);
    app_close(a);
}

/* The language screen invites in each offered language in turn, on a slow timer in app state. */
TEST(attract_invitation_turns)
{
    app *a = open_app("invite");
    if (!a) return;
    const app_state *s = app_get_state(a);
    act(a, ACT_LANGUAGES, NULL, 0); /* a visit ends: the round starts from now */
    int n = 0;
    while (s->languages[n]) n++;
    CHECK(s->attract_lang && !strcmp(s->attract_lang, "de") && s->nattract_cats == s->ncats,
          "starts in the default language, with the pack's categories (%s, %d)", s->attract_lang, s->nattract_cats);
    int next = app_next_tick_ms(a);
    CHECK(next >= 2000 && next <= 8000, "the next turn is seconds away (%d ms)", next);
    now_ms += (uint32_t)next / 2;
    CHECK(!app_tick(a, now_ms), "nothing to draw between turns");
    /* one full round: every offered language once, each with its own strings and category names */
    int seen = 0, own = 0;
    for (int i = 0; i < n; i++) {
        now_ms += (uint32_t)app_next_tick_ms(a);
        CHECK(app_tick(a, now_ms), "a turn is drawn (%d)", i);
        seen += strcmp(s->attract_lang, s->languages[(s->attract_turn + n) % n]) == 0;
        own += s->nattract_cats > 0 && !strcmp(s->attract_cats[0].name.lang, s->attract_lang);
    }
    CHECK(seen == n && !strcmp(s->attract_lang, "de"), "a round turns through all %d languages and back (%d)", n, seen);
    CHECK(own >= n - 2, "category names in the inviting language (%d of %d)", own, n);
    act(a, ACT_CHOOSE_LANG, "ar", 0);
    now_ms += 60000;
    app_tick(a, now_ms);
    CHECK(s->screen == SCREEN_CATEGORIES && !strcmp(s->lang, "ar"), "no turning while a visitor reads");
    act(a, ACT_LANGUAGES, NULL, 0);
    CHECK(s->screen == SCREEN_ATTRACT && !strcmp(s->attract_lang, "de") && app_next_tick_ms(a) >= 2000,
          "back on the language screen: the round starts again in the default language");
    app_close(a);
}

/* The count is what was found; scrolling to the end of the first page brings the rest. */
TEST(search_pages)
{
    app *a = open_app("pages");
    if (!a) return;
    const app_state *s = app_get_state(a);
    act(a, ACT_CHOOSE_LANG, "de", 0);
    act(a, ACT_SEARCH, NULL, 0);
    type_keys(a, "heidemoor");
    int first = s->nfound, total = s->found_total;
    CHECK(first == 40 && total > 40 && s->found_exact, "first page %d of %d found", first, total);
    act(a, ACT_LAYOUT, NULL, 5000);
    act(a, ACT_SEARCH_MORE, NULL, 600);
    CHECK(s->nfound == first, "not near the end: no more loaded (%d)", s->nfound);
    act(a, ACT_SCROLL, NULL, 4800);
    float at = s->scroll[SCREEN_SEARCH];
    act(a, ACT_SEARCH_MORE, NULL, 600);
    CHECK(s->nfound == total && s->found_total == total, "near the end: the rest (%d of %d)", s->nfound, total);
    CHECK(s->scroll[SCREEN_SEARCH] == at, "the list stays where it was scrolled (%.0f, %.0f)", s->scroll[SCREEN_SEARCH], at);
    act(a, ACT_KEY, "x", 0);
    CHECK(s->scroll[SCREEN_SEARCH] == 0 && s->nfound <= 40, "a new query starts at the top of its first page");
    app_close(a);
}

TEST(back_goes_where_it_came_from)
{
    app *a = open_app("back");
    if (!a) return;
    const app_state *s = app_get_state(a);
    act(a, ACT_CHOOSE_LANG, "fa", 0);
    act(a, ACT_SEARCH, NULL, 0);
    type_keys(a, "mbe");
    CHECK(s->nfound > 0, "found");
    if (s->nfound > 0) act(a, ACT_OFFER, s->found[0].id, 0);
    act(a, ACT_BACK, NULL, 0);
    CHECK(s->screen == SCREEN_SEARCH, "detail opened from search goes back to search (%s)", screen_info_of(s->screen)->name);
    act(a, ACT_BACK, NULL, 0);
    CHECK(s->screen == SCREEN_CATEGORIES, "search back to categories");
    act(a, ACT_BACK, NULL, 0);
    CHECK(s->screen == SCREEN_ATTRACT && !strcmp(s->lang, "de"), "categories back ends the visit");
    CHECK(screen_by_name("book-done") == SCREEN_BOOK_DONE && screen_by_name("nope") == SCREEN_COUNT, "screens by name");
    app_close(a);
}

/*
 * A booking looked up by its code is shown at the district's local time (the pack's meta
 * "timezone"), while its slot was offered in its schedule's zone (Berlin in the demo): with the
 * district in Kabul the two differ, in Berlin they agree.
 */
TEST(district_zone_shows_times)
{
    const char *zones[] = {NULL, "Asia/Kabul"};
    char when[2][256] = {"", ""}, looked[2][256] = {"", ""};
    for (int z = 0; z < 2; z++) {
        char content[400], name[32];
        snprintf(name, sizeof name, "zone%d", z);
        snprintf(content, sizeof content, "%s/%s-content.db", dir, name);
        check_sh("cp %s/content/demo.db %s", build, content);
        if (zones[z]) check_sh("sqlite3 %s \"UPDATE meta SET value='%s' WHERE key='timezone'\"", content, zones[z]);
        app *a = open_app_on(name, content);
        if (!a) continue;
        const app_state *s = app_get_state(a);
        to_consent(a, "caritas-mbe");
        act(a, ACT_BOOK_CONFIRM, NULL, 0);
        TICK_UNTIL(a, s->book_state != BOOK_SENDING, 5000);
        char code[16];
        snprintf(code, sizeof code, "%s", s->book_code);
        snprintf(when[z], sizeof when[z], "%s", s->book_when);
        act(a, ACT_MY_BOOKING, NULL, 0);
        type_keys(a, code);
        act(a, ACT_CODE_LOOKUP, NULL, 0);
        TICK_UNTIL(a, s->code_state != CODE_LOOKING, 5000);
        snprintf(looked[z], sizeof looked[z], "%s", s->code_when);
        CHECK(code[0] && s->code_state == CODE_FOUND && looked[z][0], "%s: booked %s and found it again",
              zones[z] ? zones[z] : "default", code);
        app_close(a);
    }
    CHECK(when[0][0] && !strcmp(when[0], looked[0]), "Berlin district: the same time (%s / %s)", when[0], looked[0]);
    CHECK(when[1][0] && strcmp(when[1], looked[1]) != 0, "Kabul district: Kabul's clock (%s / %s)", when[1],
          looked[1]);
}

/*
 * A pack of another district installs while the kiosk runs: the booking worker, started in the
 * old pack's zone, reads local days and times in the new one from then on (staff's export shows
 * a booking on the new zone's clock).
 */
TEST(new_pack_zone_reaches_the_booking_worker)
{
    char content[400], kabul[400], media[400];
    snprintf(content, sizeof content, "%s/newzone-content.db", dir);
    snprintf(kabul, sizeof kabul, "%s/newzone-kabul.db", dir);
    snprintf(media, sizeof media, "%s/newzone-media", dir);
    CHECK(check_sh("cp %s/content/demo.db %s && cp %s/content/demo.db %s && "
                   "sqlite3 %s \"UPDATE meta SET value='Asia/Kabul' WHERE key='timezone'\" && "
                   "rm -rf %s && mkdir -p %s/stick && echo x > %s/stick/README.txt",
                   build, content, build, kabul, kabul, media, media, media) == 0,
          "a Berlin pack installed, a Kabul one ready, a stick");
    app_config c;
    app_config_defaults(&c);
    snprintf(c.content, sizeof c.content, "%s", content);
    snprintf(c.state_path, sizeof c.state_path, "%s/newzone-state.db", dir);
    snprintf(c.media_dir, sizeof c.media_dir, "%s", media);
    snprintf(c.staff_pin_hash, sizeof c.staff_pin_hash, "%s",
             "$argon2id$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI");
    c.booking = 1;
    unlink(c.state_path);
    app *a = NULL;
    char err[512];
    if (app_open(&a, &c, err, sizeof err) != 0) printf("app_open: %s\n", err);
    if (!a) return;
    app_tick(a, now_ms);
    const app_state *s = app_get_state(a);
    CHECK(to_consent(a, "caritas-mbe"), "at the consent screen");
    act(a, ACT_BOOK_CONFIRM, NULL, 0);
    TICK_UNTIL(a, s->book_state != BOOK_SENDING, 5000);
    CHECK(s->book_state == BOOK_CONFIRMED, "booked in the Berlin pack (state %d)", s->book_state);
    /* the new pack takes the old one's place, as an installation does; the kiosk reloads at the start screen */
    act(a, ACT_LANGUAGES, NULL, 0);
    CHECK(rename(kabul, content) == 0, "the Kabul pack installed");
    app_sync_update(a, &(sync_status){.content_changed = 1});
    act(a, ACT_STAFF_ENTER, NULL, 0);
    for (const char *d = "2468"; *d; d++) act(a, ACT_PIN_DIGIT, (char[]){*d, 0}, 0);
    act(a, ACT_PIN_OK, NULL, 0);
    TICK_UNTIL(a, !s->pin_checking, 10000);
    CHECK(s->screen == SCREEN_STAFF, "staff mode (screen %d)", s->screen);
    act(a, ACT_STAFF_EXPORT, NULL, 0);
    TICK_UNTIL(a, !s->staff_exporting, 5000);
    CHECK(strstr(s->staff_msg, "/stick/bookings-"), "exported: %s", s->staff_msg);
    app_close(a);
    /* the booking's start on Kabul's clock and on Berlin's, as the CSV writes them */
    char kabul_at[40] = "", berlin_at[40] = "", csv[8192] = "";
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    int64_t start = 0;
    if (sqlite3_open_v2(c.state_path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT slot_start FROM booking", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        start = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(d);
    char day[11];
    int minute;
    if (start && slots_local_time(start, "Asia/Kabul", day, &minute) == 0)
        snprintf(kabul_at, sizeof kabul_at, ",%s %02d:%02d,", day, minute / 60, minute % 60);
    if (start && slots_local_time(start, "Europe/Berlin", day, &minute) == 0)
        snprintf(berlin_at, sizeof berlin_at, ",%s %02d:%02d,", day, minute / 60, minute % 60);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s/stick/bookings-*.csv 2>/dev/null", media);
    FILE *p = popen(cmd, "r");
    if (p) {
        size_t n = fread(csv, 1, sizeof csv - 1, p);
        csv[n] = 0;
        pclose(p);
    }
    CHECK(kabul_at[0] && strstr(csv, kabul_at) && !strstr(csv, berlin_at),
          "the export has the booking at Kabul's %s, not Berlin's %s: %s", kabul_at, berlin_at, csv);
}

/* A new pack names its pictures as the old one did (by category id, the UI's texture key): the
 * switch to it must tell the UI to drop its textures, or the start screen keeps the old pictures. */
TEST(content_switch_drops_the_pictures)
{
    char content[400], next[400];
    snprintf(content, sizeof content, "%s/icons-content.db", dir);
    snprintf(next, sizeof next, "%s/icons-next.db", dir);
    CHECK(check_sh("cp %s/content/demo.db %s && cp %s/content/demo.db %s && "
                   "sqlite3 %s \"UPDATE media SET data=data || x'20' WHERE id IN (SELECT icon FROM taxonomy_term)\"",
                   build, content, build, next, next) == 0,
          "a pack installed, one with other pictures ready");
    app *a = open_app_on("icons", content);
    if (!a) return;
    const app_state *s = app_get_state(a);
    int before = app_resets(a);
    size_t len = s->ncats > 0 ? s->cats[0].icon_len : 0;
    CHECK(s->screen == SCREEN_ATTRACT && len > 0, "the start screen has pictures (%zu bytes)", len);
    CHECK(rename(next, content) == 0, "the new pack installed");
    app_sync_update(a, &(sync_status){.content_changed = 1});
    CHECK(s->ncats > 0 && s->cats[0].icon_len == len + 1, "the new pictures are loaded (%zu bytes)",
          s->ncats > 0 ? s->cats[0].icon_len : 0);
    CHECK(app_resets(a) != before, "the UI is told to drop the old ones' textures");
    app_close(a);
}

TEST(late_booking_after_reset)
{
    app *a = open_app("late");
    if (!a) return;
    const app_state *s = app_get_state(a);
    CHECK(to_consent(a, "caritas-mbe"), "at the consent screen (screen %d, state %d)", s->screen, s->book_state);
    sqlite3 *lock = hold_lock("late");
    CHECK(lock != NULL, "state database locked from outside");
    act(a, ACT_BOOK_CONFIRM, NULL, 0);
    CHECK(s->book_state == BOOK_SENDING, "sending");
    /* the visitor taps Languages while the answer is on its way */
    act(a, ACT_LANGUAGES, NULL, 0);
    CHECK(s->screen == SCREEN_ATTRACT && s->book_state == BOOK_IDLE, "reset while sending");
    /* the next visitor starts booking another offer; the old answer arrives meanwhile */
    act(a, ACT_CHOOSE_LANG, "de", 0);
    act(a, ACT_OFFER, "vhs-einstufungstest", 0);
    act(a, ACT_BOOK, NULL, 0);
    sqlite3_exec(lock, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(lock);
    TICK_UNTIL(a, s->book_state != BOOK_LOADING, 12000);
    CHECK(bookings("late") == 1, "the first visitor's booking was made (%d)", bookings("late"));
    CHECK(s->screen == SCREEN_BOOK_DAY && s->book_state == BOOK_READY && !s->book_code[0] && !s->book_where[0],
          "the late answer is dropped: the next visitor sees their free times, no confirmation (state %d)",
          s->book_state);
    act(a, ACT_BOOK_DAY, NULL, 0);
    act(a, ACT_BOOK_TIME, NULL, 0);
    act(a, ACT_BOOK_ANON, NULL, 0);
    act(a, ACT_BOOK_CONFIRM, NULL, 0);
    TICK_UNTIL(a, s->book_state != BOOK_SENDING, 5000);
    CHECK(s->book_state == BOOK_CONFIRMED && s->book_code[0], "the next visitor's own booking is confirmed");
    CHECK(bookings("late") == 2 && s->book_ics && strstr(s->book_ics, "Einstufungstest"),
          "their own offer in the calendar event");
    app_close(a);
}

/* A name and phone typed into the form and then left (Home, or Back to the offer) are gone when
 * the form opens again, not only at the idle reset: the next visitor may be at the screen. */
TEST(booking_form_left_forgets_the_person)
{
    app *a = open_app("left");
    if (!a) return;
    const app_state *s = app_get_state(a);
    for (int way = 0; way < 2; way++) {
        if (way == 0) act(a, ACT_CHOOSE_LANG, "de", 0);
        act(a, ACT_OFFER, "caritas-mbe", 0);
        act(a, ACT_BOOK, NULL, 0);
        TICK_UNTIL(a, s->book_state != BOOK_LOADING, 5000);
        act(a, ACT_BOOK_DAY, NULL, 0);
        act(a, ACT_BOOK_TIME, NULL, 0);
        CHECK(s->screen == SCREEN_BOOK_DETAILS, "at the form (screen %d)", s->screen);
        act(a, ACT_BOOK_FIELD, NULL, 0);
        for (const char *c = "zora"; *c; c++) act(a, ACT_KEY, (char[]){*c, 0}, 0);
        act(a, ACT_BOOK_FIELD, NULL, 1);
        for (const char *c = "0151"; *c; c++) act(a, ACT_KEY, (char[]){*c, 0}, 0);
        CHECK(!strcmp(s->book_name, "Zora") && !strcmp(s->book_phone, "0151"), "typed: %s / %s", s->book_name,
              s->book_phone);
        if (way == 0) act(a, ACT_HOME, NULL, 0);
        else
            while (s->screen >= SCREEN_BOOK_DAY && s->screen <= SCREEN_BOOK_DONE) act(a, ACT_BACK, NULL, 0);
        CHECK(!s->book_name[0] && !s->book_phone[0], "%s: name and phone wiped (screen %d)", way ? "back" : "home",
              s->screen);
        act(a, ACT_OFFER, "caritas-mbe", 0);
        act(a, ACT_BOOK, NULL, 0);
        TICK_UNTIL(a, s->book_state != BOOK_LOADING, 5000);
        act(a, ACT_BOOK_DAY, NULL, 0);
        act(a, ACT_BOOK_TIME, NULL, 0);
        CHECK(s->screen == SCREEN_BOOK_DETAILS && !s->book_name[0] && !s->book_phone[0], "%s: the form opens empty",
              way ? "back" : "home");
        act(a, ACT_HOME, NULL, 0);
    }
    /* Back from the consent text to the form keeps what was typed: the visitor is still booking */
    act(a, ACT_OFFER, "caritas-mbe", 0);
    act(a, ACT_BOOK, NULL, 0);
    TICK_UNTIL(a, s->book_state != BOOK_LOADING, 5000);
    act(a, ACT_BOOK_DAY, NULL, 0);
    act(a, ACT_BOOK_TIME, NULL, 0);
    act(a, ACT_BOOK_FIELD, NULL, 0);
    act(a, ACT_KEY, "z", 0);
    act(a, ACT_BOOK_NEXT, NULL, 0);
    act(a, ACT_BACK, NULL, 0);
    CHECK(s->screen == SCREEN_BOOK_DETAILS && !strcmp(s->book_name, "Z"), "back from consent keeps the name (%d, %s)",
          s->screen, s->book_name);
    app_close(a);
}

TEST(late_booking_same_session)
{
    app *a = open_app("moved");
    if (!a) return;
    const app_state *s = app_get_state(a);
    CHECK(to_consent(a, "caritas-mbe"), "at the consent screen");
    char where_first[600];
    sqlite3 *lock = hold_lock("moved");
    act(a, ACT_BOOK_CONFIRM, NULL, 0);
    /* same visitor: home, another offer, start booking it (the first offer's times are freed) */
    act(a, ACT_HOME, NULL, 0);
    act(a, ACT_OFFER, "vhs-einstufungstest", 0);
    act(a, ACT_BOOK, NULL, 0);
    TICK_UNTIL(a, s->book_state != BOOK_LOADING, 5000);
    sqlite3_exec(lock, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(lock);
    TICK_UNTIL(a, s->book_state == BOOK_CONFIRMED, 12000);
    snprintf(where_first, sizeof where_first, "%s", s->book_where);
    CHECK(s->book_state == BOOK_CONFIRMED && s->book_code[0], "the visitor's booking is confirmed (state %d)",
          s->book_state);
    CHECK(s->book_ics && strstr(s->book_ics, "SUMMARY"), "its calendar event is made from what was sent");
    app_close(a);
}

static int staging_files(const char *content)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -d %s.new* 2>/dev/null | grep -q .", content);
    return system(cmd) == 0;
}

static const char *staff_publication = ""; /* the config's publication for open_staff */
static const char *staff_reserve = "64";    /* and its disk_reserve_mib */
static const char *staff_media = NULL;      /* and its media_dir; NULL: dir/media */
static int staff_books = 0;                 /* and whether it books */
static int staff_hold = 0;                  /* and whether the stick hangs once the PIN is entered */

static app *open_staff_pin_only(const char *content)
{
    app_config c;
    app_config_defaults(&c);
    char perr[512];
    if (app_config_set(&c, "publication", staff_publication, perr, sizeof perr) != 0) printf("%s\n", perr);
    if (app_config_set(&c, "disk_reserve_mib", staff_reserve, perr, sizeof perr) != 0) printf("%s\n", perr);
    snprintf(c.content, sizeof c.content, "%s", content);
    snprintf(c.state_path, sizeof c.state_path, "%s/stage-state.db", dir);
    if (staff_media) snprintf(c.media_dir, sizeof c.media_dir, "%s", staff_media);
    else snprintf(c.media_dir, sizeof c.media_dir, "%s/media", dir);
    c.booking = staff_books;
    char kerr[512];
    /* the config loads the key files (an app_config filled by hand has no keys) */
    if (app_config_set(&c, "trusted_keys", "content/keys/demo.pub", kerr, sizeof kerr) != 0) printf("%s\n", kerr);
    snprintf(c.staff_pin_hash, sizeof c.staff_pin_hash, "%s",
             "$argon2id$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI");
    app *a = NULL;
    char err[512];
    if (app_open(&a, &c, err, sizeof err) != 0) printf("app_open: %s\n", err);
    if (!a) return NULL;
    app_tick(a, now_ms);
    act(a, ACT_STAFF_ENTER, NULL, 0);
    for (const char *d = "2468"; *d; d++) {
        char k[2] = {*d, 0};
        act(a, ACT_PIN_DIGIT, k, 0);
    }
    if (staff_hold) hold_readdir = 1; /* from here on: the stick hangs */
    act(a, ACT_PIN_OK, NULL, 0);
    TICK_UNTIL(a, !app_get_state(a)->pin_checking, 10000); /* checked on a worker */
    return a;
}

static app *open_staff(const char *content)
{
    app *a = open_staff_pin_only(content);
    if (a) TICK_UNTIL(a, !app_get_state(a)->staff_scanning, 10000); /* the media looked at on another */
    return a;
}

TEST(check_then_leave_leaves_no_staging)
{
    char content[400];
    snprintf(content, sizeof content, "%s/stage.db", dir);
    CHECK(check_sh("mkdir -p %s/media/stick && cp -r content/demo %s/src && sed -i 's/\"version\": 1/\"version\": 2/' "
                   "%s/src/pack.json && ln -sfn \"$PWD/content/pictograms\" %s/src/pictograms && "
                   "%s/kiosk-pack build %s/src %s/v2.db >/dev/null && "
                   "%s/kiosk-pack sign %s/v2.db content/keys/demo.secret %s/media/stick/update.kpack >/dev/null && "
                   "cp %s/content/demo.db %s",
                   dir, dir, dir, dir, build, dir, dir, build, dir, dir, build, content) == 0,
          "a stick with a version 2 pack");
    /* leave while the check still runs */
    app *a = open_staff(content);
    CHECK(a && app_get_state(a)->screen == SCREEN_STAFF && app_get_state(a)->npacks == 1, "staff mode sees the pack");
    if (!a) return;
    act(a, ACT_STAFF_CHECK, NULL, 0);
    act(a, ACT_STAFF_LEAVE, NULL, 0);
    TICK_UNTIL(a, 0, 3000);
    CHECK(!staging_files(content), "check, leave at once: no staging file left");
    app_close(a);
    /* leave once the check was collected (the pack is ready to apply) */
    a = open_staff(content);
    if (!a) return;
    const app_state *s = app_get_state(a);
    act(a, ACT_STAFF_CHECK, NULL, 0);
    TICK_UNTIL(a, s->npacks > 0 && s->packs[0].state != PACKROW_CHECKING, 10000);
    CHECK(s->npacks > 0 && s->packs[0].state == PACKROW_READY, "checked and ready");
    act(a, ACT_STAFF_LEAVE, NULL, 0);
    CHECK(!staging_files(content), "check, collect, leave: no staging file left");
    /* pinned to another publication (kiosk.ini), staff mode's installer refuses the stick's pack */
    app_close(a);
    staff_publication = "demo-other";
    a = open_staff(content);
    staff_publication = "";
    if (!a) return;
    s = app_get_state(a);
    act(a, ACT_STAFF_CHECK, NULL, 0);
    TICK_UNTIL(a, s->npacks > 0 && s->packs[0].state != PACKROW_CHECKING, 10000);
    CHECK(s->npacks > 0 && s->packs[0].state == PACKROW_REFUSED && strstr(s->packs[0].status, "anderen Veröffentlichung"),
          "the pinned publication is the installer's too (%s)", s->npacks > 0 ? s->packs[0].status : "-");
    CHECK(!staging_files(content), "nothing staged");
    /* the free-space reserve binds staff mode's installer as it binds the sync thread: 1 TiB */
    app_close(a);
    staff_reserve = "1048576";
    a = open_staff(content);
    staff_reserve = "64";
    if (!a) return;
    s = app_get_state(a);
    act(a, ACT_STAFF_CHECK, NULL, 0);
    TICK_UNTIL(a, s->npacks > 0 && s->packs[0].state != PACKROW_CHECKING, 10000);
    CHECK(s->npacks > 0 && s->packs[0].state == PACKROW_REFUSED && strstr(s->packs[0].status, "freier Speicherplatz"),
          "refused for the reserve (%s)", s->npacks > 0 ? s->packs[0].status : "-");
    CHECK(!staging_files(content), "nothing staged");
    /* quit the kiosk mid-check */
    app_close(a);
    a = open_staff(content);
    if (!a) return;
    act(a, ACT_STAFF_CHECK, NULL, 0);
    app_close(a);
    CHECK(!staging_files(content), "check, then the kiosk stops: no staging file left");
}

/* A stick put in after the PIN is listed (staff mode looks again), and a stick that hangs
 * (a failing one: the USB stack retries for tens of seconds) is read on a worker: the screen
 * keeps answering and no stick is ever read on the thread that ticks the app. */
TEST(stick_looked_at_again_off_the_ui_thread)
{
    char content[400], media[600];
    snprintf(content, sizeof content, "%s/stick-late.db", dir);
    snprintf(media, sizeof media, "%s/media-late", dir);
    CHECK(check_sh("rm -rf %s && mkdir -p %s && cp %s/content/demo.db %s", media, media, build, content) == 0,
          "a media folder without a stick");
    staff_media = media;
    app *a = open_staff(content);
    CHECK(a && app_get_state(a)->screen == SCREEN_STAFF && app_get_state(a)->npacks == 0, "nothing listed");
    if (!a) return;
    CHECK(check_sh("mkdir -p %s/stick && %s/kiosk-pack sign %s/content/demo.db content/keys/demo.secret "
                   "%s/stick/late.kpack >/dev/null",
                   media, build, build, media) == 0,
          "the stick put in");
    TICK_UNTIL(a, app_get_state(a)->npacks == 1, 6000);
    CHECK(app_get_state(a)->npacks == 1 && !strcmp(app_get_state(a)->packs[0].name, "late.kpack"),
          "its pack is listed without leaving staff mode (%d)", app_get_state(a)->npacks);
    /* checked, the row keeps its state through the looks that follow */
    act(a, ACT_STAFF_CHECK, NULL, 0);
    TICK_UNTIL(a, app_get_state(a)->packs[0].state != PACKROW_CHECKING, 10000);
    TICK_UNTIL(a, 0, 2500);
    CHECK(app_get_state(a)->npacks == 1 && app_get_state(a)->packs[0].state != PACKROW_FOUND &&
              app_get_state(a)->packs[0].state != PACKROW_CHECKING,
          "a look later keeps the checked row (state %d)", app_get_state(a)->packs[0].state);
    app_close(a);

    /* a stick that hangs: the PIN is taken and the staff screen shows while the look waits */
    hold_thread = pthread_self();
    held_on_test = 0;
    staff_hold = 1;
    a = open_staff_pin_only(content);
    staff_hold = 0;
    int shown = a && app_get_state(a)->screen == SCREEN_STAFF, looking = a && app_get_state(a)->staff_scanning;
    hold_readdir = 0;
    CHECK(shown && looking && !held_on_test, "the screen answers while the stick hangs (shown %d, looking %d, "
          "read on the app's thread %d)", shown, looking, (int)held_on_test);
    if (a) TICK_UNTIL(a, !app_get_state(a)->staff_scanning, 10000);
    CHECK(a && app_get_state(a)->npacks == 1, "once it answers, its pack is listed");
    if (a) app_close(a);

    /* a stick of many files is looked at in bounded time, and staff are told the list may be short */
    CHECK(check_sh("rm -rf %s/stick && mkdir -p %s/stick/many && cd %s/stick/many && seq 5000 | xargs touch", media,
                   media, media) == 0,
          "a stick of 5,000 files");
    a = open_staff(content);
    CHECK(a && strstr(app_get_state(a)->staff_msg, media), "the list is said to be short: \"%s\"",
          a ? app_get_state(a)->staff_msg : "-");
    if (a) app_close(a);
    staff_media = NULL;
}

/* A stick whose folder cannot be read to its end: staff are told, not shown an empty stick. */
TEST(unreadable_stick_said)
{
    char content[400], media[600];
    snprintf(content, sizeof content, "%s/stick-rd.db", dir);
    snprintf(media, sizeof media, "%s/media-rd", dir);
    CHECK(check_sh("mkdir -p %s/stick && %s/kiosk-pack sign %s/content/demo.db content/keys/demo.secret "
                   "%s/stick/same.kpack >/dev/null && cp %s/content/demo.db %s",
                   media, build, build, media, build, content) == 0,
          "a stick with a pack");
    staff_media = media;
    fail_readdir = 1;
    app *a = open_staff(content);
    fail_readdir = 0;
    CHECK(a && app_get_state(a)->screen == SCREEN_STAFF && strstr(app_get_state(a)->staff_msg, media) &&
              strstr(app_get_state(a)->staff_msg, "nicht gelesen"),
          "the failing stick is named: \"%s\"", a ? app_get_state(a)->staff_msg : "-");
    if (a) app_close(a);
    a = open_staff(content);
    staff_media = NULL;
    CHECK(a && app_get_state(a)->npacks == 1 && !app_get_state(a)->staff_msg[0], "read whole, its pack is listed (%d)",
          a ? app_get_state(a)->npacks : -1);
    if (a) app_close(a);
}

/* A pack deep on a stick whose path is longer than the fixed buffer a check once copied it
 * into (1100 bytes): the check reads the pack found, not the first bytes of its path. */
TEST(deep_pack_path_checks)
{
    char content[400], media[1024], name[256], cmd[4096];
    snprintf(content, sizeof content, "%s/deep.db", dir);
    int o = snprintf(media, sizeof media, "%s/deep-media", dir);
    for (int i = 0; i < 4; i++) o += snprintf(media + o, sizeof media - (size_t)o, "/%0*d", i < 3 ? 250 : 100, i);
    snprintf(name, sizeof name, "%0240d.kpack", 7);
    CHECK(check_sh("mkdir -p %s/stick && cp %s/media/stick/update.kpack %s/stick/%s && cp %s/content/demo.db %s", media,
                   dir, media, name, build, content) == 0,
          "the version 2 pack at a path of %zu bytes", strlen(media) + strlen("/stick/") + strlen(name));
    staff_media = media;
    app *a = open_staff(content);
    staff_media = NULL;
    if (!a) return;
    const app_state *s = app_get_state(a);
    CHECK(s->screen == SCREEN_STAFF && s->npacks == 1, "staff mode sees the pack (%d)", s->npacks);
    act(a, ACT_STAFF_CHECK, NULL, 0);
    TICK_UNTIL(a, s->npacks > 0 && s->packs[0].state != PACKROW_CHECKING, 10000);
    CHECK(s->npacks > 0 && s->packs[0].state == PACKROW_READY, "checked and ready (%s)",
          s->npacks > 0 ? s->packs[0].status : "-");
    app_close(a);
    snprintf(cmd, sizeof cmd, "rm -rf %s/deep-media", dir);
    CHECK(system(cmd) == 0, "cleaned up");
}

/* Entering staff mode asks for today's bookings; Export tapped before that list is in still
 * writes the stick, and so does Export after leaving staff mode while the list was on its way. */
TEST(export_while_day_list_runs)
{
    char content[400], media[400];
    snprintf(content, sizeof content, "%s/daylist.db", dir);
    snprintf(media, sizeof media, "%s/daylist-media", dir);
    CHECK(check_sh("cp %s/content/demo.db %s && rm -rf %s && mkdir -p %s/stick && echo x > %s/stick/README.txt", build,
                   content, media, media, media) == 0,
          "a stick");
    staff_media = media;
    staff_books = 1;
    app *a = open_staff(content);
    if (!a) goto out;
    const app_state *s = app_get_state(a);
    CHECK(s->screen == SCREEN_STAFF && s->can_book, "staff mode, booking on (screen %d)", s->screen);
    /* the day's list was posted on the way in; no tick has collected it yet */
    act(a, ACT_STAFF_EXPORT, NULL, 0);
    TICK_UNTIL(a, !s->staff_exporting && strstr(s->staff_msg, "/stick/bookings-"), 5000);
    CHECK(strstr(s->staff_msg, "/stick/bookings-") && !s->staff_exporting, "exported: \"%s\"", s->staff_msg);
    CHECK(check_sh("ls %s/stick/bookings-*.csv >/dev/null 2>&1", media) == 0, "the CSV is on the stick");
    /* a stick that fails to list is not taken for an empty folder ("no stick"): it could not be written */
    fail_readdir = 1;
    act(a, ACT_STAFF_EXPORT, NULL, 0);
    fail_readdir = 0;
    CHECK(!s->staff_exporting && strstr(s->staff_msg, "konnten nicht geschrieben werden"),
          "a failing stick: not written, and said so: \"%s\"", s->staff_msg);
    app_close(a);

    /* leave staff mode before the day's list is in: the next visit can still export */
    CHECK(check_sh("rm -f %s/stick/bookings-*", media) == 0, "the stick emptied");
    a = open_staff(content);
    if (!a) goto out;
    s = app_get_state(a);
    act(a, ACT_STAFF_LEAVE, NULL, 0);
    TICK_UNTIL(a, 0, 200);
    act(a, ACT_STAFF_ENTER, NULL, 0);
    for (const char *d = "2468"; *d; d++) act(a, ACT_PIN_DIGIT, (char[]){*d, 0}, 0);
    act(a, ACT_PIN_OK, NULL, 0);
    TICK_UNTIL(a, !s->pin_checking, 10000);
    TICK_UNTIL(a, 0, 500); /* the day's list is in by now */
    act(a, ACT_STAFF_EXPORT, NULL, 0);
    TICK_UNTIL(a, !s->staff_exporting && strstr(s->staff_msg, "/stick/bookings-"), 5000);
    CHECK(s->screen == SCREEN_STAFF && strstr(s->staff_msg, "/stick/bookings-"), "exported on the second visit: \"%s\"",
          s->staff_msg);
    app_close(a);
out:
    staff_media = NULL;
    staff_books = 0;
}

/* Type a PIN on the pad (entering it from the attract screen first), press OK, wait for the check. */
static void type_pin(app *a, const char *pin)
{
    if (app_get_state(a)->screen == SCREEN_ATTRACT) act(a, ACT_STAFF_ENTER, NULL, 0);
    for (const char *d = pin; *d; d++) {
        char k[2] = {*d, 0};
        act(a, ACT_PIN_DIGIT, k, 0);
    }
    act(a, ACT_PIN_OK, NULL, 0);
    TICK_UNTIL(a, !app_get_state(a)->pin_checking, 10000); /* checked on a worker */
}

/* A kiosk on the demo content whose staff PIN has the hash given (NULL: 2468, a cheap test hash). */
static app *open_pin_hash(const char *state, int booking, const char *hash)
{
    app_config c;
    app_config_defaults(&c);
    snprintf(c.content, sizeof c.content, "%s/content/demo.db", build);
    snprintf(c.state_path, sizeof c.state_path, "%s", state);
    c.booking = booking;
    snprintf(c.staff_pin_hash, sizeof c.staff_pin_hash, "%s",
             hash ? hash : "$argon2id$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI");
    app *a = NULL;
    char err[512];
    if (app_open(&a, &c, err, sizeof err) != 0) printf("app_open: %s\n", err);
    if (a) app_tick(a, now_ms);
    return a;
}

static app *open_pin(const char *state, int booking) { return open_pin_hash(state, booking, NULL); }

/* A wrong attempt that cannot be recorded keeps the pad locked: nine wrong PINs and then the
 * right one must not open staff mode when the state database cannot be written. */
TEST(pin_lockout_fails_closed)
{
    char state[400];
    /* no state database at all (its folder is missing) */
    snprintf(state, sizeof state, "%s/no-such-folder/state.db", dir);
    app *a = open_pin(state, 0);
    CHECK(a != NULL, "the kiosk runs without its state database");
    if (!a) return;
    for (int i = 0; i < 9; i++) type_pin(a, "1111");
    type_pin(a, "2468");
    CHECK(app_get_state(a)->screen != SCREEN_STAFF, "without a state database the pad stays locked (screen %d)",
          app_get_state(a)->screen);
    CHECK(app_get_state(a)->staff_msg[0] != 0, "and says why");
    app_close(a);

    /* a state database that reads but cannot be written (another writer holds it, as a full
     * or read-only disk refuses writes) */
    snprintf(state, sizeof state, "%s/pin-state.db", dir);
    unlink(state);
    a = open_pin(state, 0);
    if (!a) return;
    sqlite3 *hold = NULL;
    CHECK(sqlite3_open(state, &hold) == SQLITE_OK && sqlite3_exec(hold, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK,
          "the state database is held for writing");
    type_pin(a, "1111");
    type_pin(a, "2468");
    CHECK(app_get_state(a)->screen != SCREEN_STAFF, "an attempt that cannot be recorded is not checked (screen %d)",
          app_get_state(a)->screen);
    sqlite3_exec(hold, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(hold);
    type_pin(a, "2468");
    CHECK(app_get_state(a)->screen == SCREEN_STAFF, "once it can be written, the right PIN opens staff mode");
    app_close(a);

    /* still three tries, then locked, also for the right PIN */
    unlink(state);
    a = open_pin(state, 0);
    if (!a) return;
    for (int i = 0; i < 3; i++) type_pin(a, "1111");
    type_pin(a, "2468");
    CHECK(app_get_state(a)->screen != SCREEN_STAFF, "three wrong PINs lock the pad");
    app_close(a);
    a = open_pin(state, 0);
    if (!a) return;
    type_pin(a, "2468");
    CHECK(app_get_state(a)->screen != SCREEN_STAFF, "the lock holds across a restart");
    app_close(a);
}

/* The pad takes as many digits as kiosk-pack pin-hash hashes (16): the 16th was dropped, so a
 * 16-digit PIN never matched and every try counted towards the lock. */
TEST(pin_of_sixteen_digits)
{
    char state[400], hash[crypto_pwhash_STRBYTES];
    snprintf(state, sizeof state, "%s/pin16-state.db", dir);
    unlink(state);
    CHECK(crypto_pwhash_str(hash, "1234567890123456", 16, 3, 16384u * 1024) == 0, "a test hash of a 16-digit PIN");
    app *a = open_pin_hash(state, 0, hash);
    if (!a) return;
    type_pin(a, "12345678901234567"); /* a 17th digit is not taken */
    CHECK(app_get_state(a)->pin_len <= 16, "the pad holds at most 16 digits (%d)", app_get_state(a)->pin_len);
    type_pin(a, "1234567890123456");
    CHECK(app_get_state(a)->screen == SCREEN_STAFF, "16 digits open staff mode (screen %d, %s)", app_get_state(a)->screen,
          app_get_state(a)->staff_msg);
    app_close(a);
}

/* A lock stored ten years ahead (the clock stood wrong when it was set) ends within an hour. */
TEST(pin_lock_far_ahead_is_shortened)
{
    char state[400];
    snprintf(state, sizeof state, "%s/pin-ahead-state.db", dir);
    unlink(state);
    app *a = open_pin(state, 0);
    if (!a) return;
    app_close(a);
    sqlite3 *db = NULL;
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE state SET value = %lld WHERE key = 'staff_locked_until';"
                              "INSERT OR IGNORE INTO state(key, value) VALUES('staff_locked_until', %lld);",
             (long long)time(NULL) + 315360000, (long long)time(NULL) + 315360000);
    CHECK(sqlite3_open(state, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK,
          "the lock set ten years ahead (%s)", sqlite3_errmsg(db));
    sqlite3_close(db);
    a = open_pin(state, 0);
    if (!a) return;
    type_pin(a, "2468");
    const app_state *s = app_get_state(a);
    long left = -1;
    const char *d = s->staff_msg;
    while (*d && (*d < '0' || *d > '9')) d++;
    /* the number as the message writes it, thousands separated ("3.600", "3,600") */
    for (; *d && (strchr("0123456789.,", *d) != NULL); d++)
        if (*d >= '0' && *d <= '9') left = (left < 0 ? 0 : left * 10) + (*d - '0');
    CHECK(s->screen != SCREEN_STAFF && left > 0 && left <= 3600, "still locked, for at most an hour (%s)", s->staff_msg);
    app_close(a);
    CHECK(sqlite3_open(state, &db) == SQLITE_OK, "state reopened");
    sqlite3_stmt *st = NULL;
    long long until = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = 'staff_locked_until'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        until = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK(until > 0 && until <= (long long)time(NULL) + 3600, "the stored lock is brought back to an hour (%lld s ahead)",
          until - (long long)time(NULL));
}

TEST(touch_gestures)
{
    input_tuning t = input_tuning_default();
    input_dev d;
    input_init(&d, &t);
    input_gesture g = {0};
    input_down(&d, 100, 100, 0, &g);
    input_move(&d, 100 + t.slop_px, 100, 40, &g);
    input_up(&d, 100 + t.slop_px, 100, 80, &g);
    CHECK(g.tap && !g.moved && !g.long_press && g.tap_ms == 80, "a wobble within the slop is a tap");
    memset(&g, 0, sizeof g);
    input_down(&d, 100, 100, 0, &g);
    input_up(&d, 100, 100, t.long_press_ms, &g);
    CHECK(g.tap && g.long_press, "held long enough: a long press");
    /* a drag upwards at 1000 px/s, released at once: a fling; released after a rest: none */
    for (int late = 0; late < 2; late++) {
        memset(&g, 0, sizeof g);
        input_down(&d, 100, 500, 0, &g);
        int y = 500;
        for (int i = 1; i <= 20; i++) input_move(&d, 100, y -= 16, i * 16.0, &g);
        input_up(&d, 100, y, 20 * 16.0 + (late ? t.fling_window_ms + 20 : 0), &g);
        if (!late) CHECK(!g.tap && g.moved && g.drag_dy == -320 && g.fling < -900 && g.fling > -1100,
                         "a drag moves by what the finger moved and flings at its speed (%.0f px/s)", g.fling);
        else CHECK(!g.tap && g.fling == 0, "a finger that rested before letting go does not fling");
    }
    float v = 2000, moved = 0;
    int frames = 0;
    while (v != 0 && frames < 1000) {
        moved += input_coast(&t, &v, 0.016f);
        frames++;
    }
    CHECK(frames < 200 && moved > 500 && moved < 1000, "coasting slows down and stops (%d frames, %.0f px)", frames, moved);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A PIN hash that costs what kiosk-pack pin-hash makes (about 0.6 s) is checked on a worker:
 * OK returns within a frame and the pad says it is checking; a reset during the check drops
 * its answer (generation); a check that says "right" still needs its attempt recorded first. */
TEST(pin_check_off_ui_thread)
{
    char hash[crypto_pwhash_STRBYTES], state[400];
    struct timespec h0;
    clock_gettime(CLOCK_MONOTONIC, &h0);
    CHECK(sodium_init() >= 0 && crypto_pwhash_str(hash, "135790", 6, 3, 128u << 20) == 0, "a 128 MiB x 3 hash");
    /* what one hash takes on this machine as it is now (a sanitizer build, a loaded machine): OK
     * must return in much less, whatever the machine, or the hash ran on the app's thread */
    double hash_ms = ms_since(&h0);
    snprintf(state, sizeof state, "%s/pin-async.db", dir);
    app_config c;
    app_config_defaults(&c);
    snprintf(c.content, sizeof c.content, "%s/content/demo.db", build);
    snprintf(c.state_path, sizeof c.state_path, "%s", state);
    snprintf(c.staff_pin_hash, sizeof c.staff_pin_hash, "%s", hash);
    app *a = NULL;
    char err[512];
    CHECK(app_open(&a, &c, err, sizeof err) == 0, "app_open: %s", err);
    if (!a) return;
    const app_state *s = app_get_state(a);
    app_tick(a, now_ms);
    for (int round = 0; round < 2; round++) {
        act(a, ACT_STAFF_ENTER, NULL, 0);
        for (const char *d = "135790"; *d; d++) act(a, ACT_PIN_DIGIT, (char[]){*d, 0}, 0);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        act(a, ACT_PIN_OK, NULL, 0);
        double took = ms_since(&t0);
        CHECK(took < hash_ms / 3, "OK returns at once (%.0f ms, a hash takes %.0f ms), the hash is checked elsewhere",
              took, hash_ms);
        CHECK(s->screen == SCREEN_PIN && s->pin_checking && !strcmp(s->staff_msg, "Wird geprüft…") && s->pin_len == 0,
              "the pad says it is checking (screen %d, \"%s\")", s->screen, s->staff_msg);
        act(a, ACT_PIN_DIGIT, "1", 0);
        act(a, ACT_PIN_OK, NULL, 0);
        CHECK(s->pin_len == 0, "no typing while a check runs");
        CHECK(app_next_tick_ms(a) == 16, "the main loop polls for the answer");
        if (round == 0) {
            app_reset(a); /* the visitor walked away mid-check */
            TICK_UNTIL(a, 0, 2500);
            CHECK(s->screen == SCREEN_ATTRACT, "the answer for a session that ended is dropped (screen %d)", s->screen);
        } else {
            TICK_UNTIL(a, s->screen == SCREEN_STAFF, 60000); /* qemu-user on armhf: two 128 MiB hashes, many seconds */
            CHECK(s->screen == SCREEN_STAFF, "the right PIN opens staff mode once checked (%s)", s->staff_msg);
        }
    }
    app_close(a);
}

/* The state database holds bookings with names and phones: it and its -wal/-shm are the
 * owner's alone, whatever the umask. */
TEST(state_files_private)
{
    char state[400], f[420];
    snprintf(state, sizeof state, "%s/private-state.db", dir);
    mode_t old = umask(022);
    app *a = open_pin(state, 0);
    umask(old);
    if (!a) return;
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        snprintf(f, sizeof f, "%s%s", state, ext[i]);
        int rc = stat(f, &st);
        CHECK(rc == 0 && (st.st_mode & 0777) == 0600, "%s: mode %03o", f, rc == 0 ? (unsigned)(st.st_mode & 0777) : 0);
    }
    app_close(a);
}


/*
 * The state disk really full (a 1 MiB tmpfs filled up after the kiosk started; root only): a
 * wrong PIN that cannot be recorded keeps the pad shut, the right one included, and a booking
 * is never shown as confirmed when it could not be written.
 */
/* state = the content database (an operator's slip), or a file the installer keeps beside it:
 * the next pack would replace the bookings and the PIN lockout with it. The kiosk does not start. */
TEST(state_is_not_content)
{
    char content[400], other[400];
    snprintf(content, sizeof content, "%s/sc.db", dir);
    snprintf(other, sizeof other, "%s/sc-link.db", dir);
    check_sh("cp %s/content/demo.db %s && ln -f %s %s", build, content, content, other);
    static const char *const suffix[] = {"", ".prev", ".lock", ".new.Ab12Cd", "-wal"};
    for (int i = 0; i < 6; i++) {
        app_config c;
        app_config_defaults(&c);
        snprintf(c.content, sizeof c.content, "%s", content);
        if (i < 5) snprintf(c.state_path, sizeof c.state_path, "%s%s", content, suffix[i]);
        else snprintf(c.state_path, sizeof c.state_path, "%s", other); /* the same file, another name */
        app *a = NULL;
        char err[1024] = "";
        int rc = app_open(&a, &c, err, sizeof err);
        CHECK(rc != 0 && !a && strstr(err, "a file of its own"), "state %s: refused (%d): %s", c.state_path, rc, err);
        if (a) app_close(a);
    }
    CHECK(check_sh("sqlite3 %s .tables | grep -qw booking", content) != 0, "no booking table made in the content");
    app_config c;
    app_config_defaults(&c);
    snprintf(c.content, sizeof c.content, "%s", content);
    snprintf(c.state_path, sizeof c.state_path, "%s.local", content);
    app *a = NULL;
    char err[1024] = "";
    CHECK(app_open(&a, &c, err, sizeof err) == 0 && a, "beside it as CONTENT.local: opens (%s)", err);
    if (a) app_close(a);
}

TEST(full_state_disk)
{
    char mnt[400], state[500];
    snprintf(mnt, sizeof mnt, "%s/full", dir);
    if (getuid() != 0 || check_sh("mkdir -p %s && mount -t tmpfs -o size=1m tmpfs %s", mnt, mnt) != 0) {
        printf("no tmpfs to fill here (not root, or mount refused); skipped\n");
        return;
    }
    snprintf(state, sizeof state, "%s/state.db", mnt);
    app *a = open_pin(state, 1);
    CHECK(a != NULL, "opens with its state on the small disk");
    if (a) {
        check_sh("dd if=/dev/zero of=%s/fill bs=4k 2>/dev/null; sync", mnt);
        const app_state *s = app_get_state(a);
        /* one wrong attempt (the lock starts at the third), then the right PIN */
        type_pin(a, "1111");
        type_pin(a, "2468");
        CHECK(s->screen != SCREEN_STAFF && s->staff_msg[0],
              "a wrong PIN on a full disk, then the right one: still shut, saying why (screen %d, %s)", s->screen,
              s->staff_msg);
        act(a, ACT_LANGUAGES, NULL, 0);
        CHECK(to_consent(a, "caritas-mbe"), "at the consent screen (screen %d, state %d)", s->screen, s->book_state);
        act(a, ACT_BOOK_CONFIRM, NULL, 0);
        TICK_UNTIL(a, s->book_state != BOOK_SENDING, 10000);
        printf("full disk: booking state %d, \"%s\"\n", s->book_state, s->book_error);
        CHECK(s->book_state != BOOK_CONFIRMED && !s->book_code[0] && bookings_at(state) <= 0,
              "a booking that cannot be written is not confirmed (state %d, code %s)", s->book_state, s->book_code);
        /* room again: the same kiosk books and lets staff in */
        check_sh("rm -f %s/fill", mnt);
        act(a, ACT_LANGUAGES, NULL, 0);
        CHECK(to_consent(a, "caritas-mbe"), "at the consent screen again");
        act(a, ACT_BOOK_CONFIRM, NULL, 0);
        TICK_UNTIL(a, s->book_state != BOOK_SENDING, 10000);
        CHECK(s->book_state == BOOK_CONFIRMED && s->book_code[0] && bookings_at(state) == 1,
              "with room again the booking is confirmed (state %d)", s->book_state);
        act(a, ACT_LANGUAGES, NULL, 0);
        type_pin(a, "2468");
        CHECK(s->screen == SCREEN_STAFF, "and the right PIN opens staff mode (screen %d, %s)", s->screen, s->staff_msg);
        app_close(a);
    }
    check_sh("umount %s", mnt);
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    snprintf(dir, sizeof dir, "%s/test-app", build);
    char cmd[1000];
    /* a tmpfs full_state_disk left mounted (the test stopped half-way) would keep rm from the folder */
    snprintf(cmd, sizeof cmd, "umount %s/full 2>/dev/null; rm -rf %s && mkdir -p %s", dir, dir, dir);
    if (system(cmd) != 0) return 1;
    RUN(touch_gestures);
    RUN(session_basics);
    RUN(attract_invitation_turns);
    RUN(search_pages);
    RUN(back_goes_where_it_came_from);
    RUN(district_zone_shows_times);
    RUN(new_pack_zone_reaches_the_booking_worker);
    RUN(content_switch_drops_the_pictures);
    RUN(late_booking_after_reset);
    RUN(late_booking_same_session);
    RUN(booking_form_left_forgets_the_person);
    RUN(check_then_leave_leaves_no_staging);
    RUN(stick_looked_at_again_off_the_ui_thread);
    RUN(deep_pack_path_checks);
    RUN(unreadable_stick_said);
    RUN(export_while_day_list_runs);
    RUN(pin_lockout_fails_closed);
    RUN(pin_of_sixteen_digits);
    RUN(pin_lock_far_ahead_is_shortened);
    RUN(full_state_disk);
    RUN(state_is_not_content);
    RUN(state_files_private);
    RUN(pin_check_off_ui_thread);
    CHECK_DONE();
}
