/*
 * Hostile and impossible content sources: media paths that leave the pictogram folder, values
 * the kiosk cannot show or compute, texts past their maxima, a folder that cannot be read. Each
 * must be refused by pack_build and lint with the file (and line and field where there is one).
 * The bad-source matrix builds every crafted tree in a child process and prints how many were
 * tried, refused with a message naming the file, accepted, and crashed (or hung).
 *
 * Usage: test_sources BUILD_DIR (scratch files go below it).
 */
#include "check.h"
#include "pack/lint.h"
#include "pack/pack.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char scratch[512]; /* BUILD_DIR/sources-test, absolute */
static char tools[512];   /* BUILD_DIR, absolute: kiosk-pack */

#include "fail_readdir.h"

static void put(const char *dir, const char *rel, const char *text, size_t len)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "wb");
    if (!f) {
        printf("cannot write %s\n", p);
        return;
    }
    fwrite(text, 1, len, f);
    fclose(f);
}

static void puts_file(const char *dir, const char *rel, const char *text) { put(dir, rel, text, strlen(text)); }

#define OFFER(x)                                                                                                     \
    "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"locations\":[\"praxis/main\"]," x \
    "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"Sprechstunde\"}}}"
/* The offer with its name in lang (besides the German one) replaced by name. */
#define NAMED(lang, name)                                                                                             \
    "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{"                          \
    "\"de\":{\"status\":\"complete\",\"name\":\"Sprechstunde\"},\"" lang "\":{\"status\":\"machine\",\"name\":\"" name "\"}}}"
#define SRC_NAMED(name)                                                                                               \
    "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{"                          \
    "\"de\":{\"status\":\"complete\",\"name\":\"" name "\"}}}"
#define SCHED(x) OFFER("\"schedules\":[{\"location\":\"praxis/main\"," x "}],")
#define DAY "\"byday\":\"MO\","
#define HOURS "\"opens_at\":\"09:00\",\"closes_at\":\"12:00\""
#define PACK(x) \
    "{\"id\":\"mini\",\"languages\":[\"de\",\"en\",\"ar\",\"fa\",\"prs\"]," x "\"i18n\":{\"de\":{\"status\":\"complete\",\"title\":\"T\"}}}"
#define INTAKE_OK                                                                                                      \
    "{\"questions\":[{\"id\":\"q\",\"icon\":\"health.svg\",\"i18n\":{\"de\":{\"status\":\"complete\",\"text\":\"Frage?\"}}," \
    "\"answers\":[{\"id\":\"yes\",\"icon\":\"answer-yes.svg\",\"i18n\":{\"de\":{\"status\":\"complete\",\"label\":\"Ja\"}}}," \
    "{\"id\":\"no\",\"match\":[{\"category\":\"health\",\"weight\":3}],\"i18n\":{\"de\":{\"status\":\"complete\",\"label\":\"Nein\"}}}]}]}"
#define ANSWERS_WITH(x)                                                                                               \
    "{\"questions\":[{\"id\":\"q\",\"i18n\":{\"de\":{\"status\":\"complete\",\"text\":\"Frage?\"}},\"answers\":["     \
    "{\"id\":\"yes\",\"i18n\":{\"de\":{\"status\":\"complete\",\"label\":\"Ja\"}}}," x "]}]}"

/* A fresh copy of the mini fixture with its own pictogram folder and an intake.json. */
static void fresh(const char *dir)
{
    check_sh("rm -rf %s && mkdir -p %s && cp -r tests/fixtures/mini/. %s && cp -rL tests/fixtures/pictograms %s/pictograms",
             dir, dir, dir, dir);
    puts_file(dir, "intake.json", INTAKE_OK);
}

/* pack_build into dir/out.db; 0 when built. */
static int build(const char *dir, char *err, size_t len)
{
    char out[PATH_MAX];
    snprintf(out, sizeof out, "%s/out.db", dir);
    err[0] = 0;
    return pack_build(dir, out, err, len);
}

/* lint's whole output for dir, and its status. */
static int lint(const char *dir, char *buf, size_t len)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    int rc = lint_sources(dir, "fonts/fallback.ini", f);
    fclose(f);
    snprintf(buf, len, "%s", text ? text : "");
    free(text);
    return rc;
}

/* ---------- item 1: media paths ---------- */

TEST(icon_traversal)
{
    char dir[600], err[1024], out[2048];
    snprintf(dir, sizeof dir, "%s/trav", scratch);
    fresh(dir);
    /* the district key lies two folders above the pictograms; ../ reaches it */
    puts_file(scratch, "x.secret", "SECRET-KEY-BYTES");
    char cats[1024];
    snprintf(cats, sizeof cats,
             "[{\"id\":\"health\",\"order\":1,\"icon\":\"../../x.secret\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"G\"}}},"
             "{\"id\":\"housing\",\"order\":2,\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"W\"}}}]");
    puts_file(dir, "categories.json", cats);
    CHECK(build(dir, err, sizeof err) != 0, "../ icon refused (built: the secret is in the media table)");
    CHECK(strstr(err, "categories.json:1:") && strstr(err, "[0].icon"), "file, line and field: %s", err);
    CHECK(lint(dir, out, sizeof out) != 0 && strstr(out, "categories.json") && strstr(out, "icon"), "lint: %s", out);

    /* the same through a symlink inside the pictogram folder */
    fresh(dir);
    check_sh("ln -s %s/x.secret %s/pictograms/evil.svg", scratch, dir);
    snprintf(cats, sizeof cats,
             "[{\"id\":\"health\",\"order\":1,\"icon\":\"evil.svg\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"G\"}}},"
             "{\"id\":\"housing\",\"order\":2,\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"W\"}}}]");
    puts_file(dir, "categories.json", cats);
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "outside the pictogram folder") && strstr(err, "icon"),
          "symlink out refused: %s", err);

    /* an intake answer's icon, and an absolute path */
    fresh(dir);
    puts_file(dir, "intake.json",
              ANSWERS_WITH("{\"id\":\"no\",\"icon\":\"../../../../../../../../etc/passwd.svg\",\"i18n\":{\"de\":{"
                           "\"status\":\"complete\",\"label\":\"Nein\"}}}"));
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "intake.json:1:") && strstr(err, "answers[1].icon"),
          "intake icon refused: %s", err);
    CHECK(lint(dir, out, sizeof out) != 0 && strstr(out, "intake.json") && strstr(out, "icon"), "lint: %s", out);
    puts_file(dir, "intake.json",
              "{\"questions\":[{\"id\":\"q\",\"icon\":\"/etc/hostname.svg\",\"i18n\":{},\"answers\":[]}]}");
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "questions[0].icon"), "absolute icon refused: %s", err);

    /* a FIFO would block the build for ever; a symlink to a folder inside is no file either */
    fresh(dir);
    check_sh("mkfifo %s/pictograms/pipe.svg && mkdir %s/pictograms/d.svg", dir, dir);
    puts_file(dir, "intake.json",
              "{\"questions\":[{\"id\":\"q\",\"icon\":\"pipe.svg\",\"i18n\":{},\"answers\":[]}]}");
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "not a regular file"), "FIFO refused: %s", err);
    puts_file(dir, "intake.json", "{\"questions\":[{\"id\":\"q\",\"icon\":\"d.svg\",\"i18n\":{},\"answers\":[]}]}");
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "not a regular file"), "folder refused: %s", err);

    /* a pictogram folder that is itself a symlink (as packs built in tests use) still works */
    fresh(dir);
    check_sh("rm -rf %s/pictograms && ln -s \"$PWD/tests/fixtures/pictograms\" %s/pictograms", dir, dir);
    CHECK(build(dir, err, sizeof err) == 0, "symlinked pictogram folder: %s", err);
}

/* ---------- item 11: impossible values, with file:line ---------- */

/* Build dir with file rel replaced by text; the refusal must hold every want (NULL-terminated). */
static void refused(const char *dir, const char *rel, const char *text, const char *const want[])
{
    char err[1024], out[2048];
    fresh(dir);
    puts_file(dir, rel, text);
    int rc = build(dir, err, sizeof err);
    int ok = rc != 0;
    for (int i = 0; ok && want[i]; i++) ok = strstr(err, want[i]) != NULL;
    CHECK(ok, "%s %s: refused with [%s%s%s]: %s", rel, text, want[0], want[1] ? "|" : "", want[1] ? want[1] : "",
          rc ? err : "BUILT");
    rc = lint(dir, out, sizeof out);
    ok = rc != 0;
    for (int i = 0; ok && want[i]; i++) ok = strstr(out, want[i]) != NULL;
    CHECK(ok, "lint %s: %s", rel, out);
}

#define REFUSED(rel, text, ...) refused(dir, rel, text, (const char *const[]){__VA_ARGS__, NULL})

TEST(impossible_values)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/vals", scratch);
    /* a multi-line file: the line is the value's own */
    REFUSED("offers/aerzte.json",
            "{\n \"id\": \"aerzte\",\n \"organization\": \"praxis\",\n \"categories\": [\"health\"],\n"
            " \"schedules\": [\n  { \"byday\": \"MO\",\n    \"opens_at\": \"09:00\",\n    \"closes_at\": \"08:00\" }\n ],\n"
            " \"i18n\": { \"de\": { \"status\": \"complete\", \"name\": \"X\" } }\n}\n",
            "offers/aerzte.json:8: schedules[0].closes_at", "08:00");
    REFUSED("offers/aerzte.json", SCHED(DAY "\"interval\":-1," HOURS), "offers/aerzte.json:1: schedules[0].interval", "-1");
    REFUSED("offers/aerzte.json", SCHED(DAY "\"timezone\":\"Mars/Olympus\"," HOURS), "schedules[0].timezone",
            "Mars/Olympus");
    REFUSED("offers/aerzte.json", SCHED("\"byday\":\"Blursday\"," HOURS), "schedules[0].byday", "Blursday");
    REFUSED("offers/aerzte.json", SCHED("\"byday\":\"MO;FREQ=DAILY\"," HOURS), "schedules[0].byday");
    REFUSED("pack.json", PACK("\"version\":\"2\","), "pack.json:1: version", "not text");
    REFUSED("offers/aerzte.json",
            "{\n \"id\": \"aerzte\",\n \"organization\": \"praxis\",\n \"categories\": [\"health\"],\n"
            " \"i18n\": {\n  \"de\": { \"status\": \"complete\", \"name\": \"X\" },\n"
            "  \"ar\": { \"status\": \"machine\",\n          \"name\": \"\\u200f\\u200b\\u00a0\" }\n }\n}\n",
            "offers/aerzte.json:8: i18n.ar.name", "shows nothing");
    REFUSED("offers/aerzte.json",
            "{\"id\":\"zahnarzt\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
            "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}",
            "offers/aerzte.json:1: id", "file name");
    REFUSED("offers/aerzte.json", OFFER("\"languages\":[\"de\",\"xx\"],"), "offers/aerzte.json:1: languages[1]", "xx");
    REFUSED("organizations/praxis.json",
            "{\"id\":\"praxis\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"P\",\"description\":\"a\\u007fb\"}},"
            "\"locations\":[{\"id\":\"praxis/main\",\"i18n\":{}}]}",
            "organizations/praxis.json:1: i18n.de.description", "control");
    REFUSED("offers/aerzte.json",
            "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
            "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"Spr\xc3\x28\"}}}",
            "offers/aerzte.json:1:");
}

/* Texts past their maxima, and lists past theirs (10,000 language codes). */
TEST(limits)
{
    char dir[600], err[1024];
    snprintf(dir, sizeof dir, "%s/lim", scratch);
    size_t big = 1 << 20;
    char *t = malloc(big + 4096);
    /* a 1 MB description */
    int o = snprintf(t, 4096, "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
                              "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\",\"description\":\"");
    memset(t + o, 'a', big);
    snprintf(t + o + big, 4096, "\"}}}");
    fresh(dir);
    puts_file(dir, "offers/aerzte.json", t);
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "offers/aerzte.json:1: i18n.de.description") &&
              strstr(err, "4000 characters"),
          "1 MB description refused: %s", err);
    /* 4000 characters of Arabic (two bytes each) are still fine, 4001 are not */
    for (int n = 4000; n <= 4001; n++) {
        o = snprintf(t, 4096, "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
                              "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\",\"description\":\"");
        for (int i = 0; i < n; i++) o += snprintf(t + o, 8, "\xd8\xb3");
        snprintf(t + o, 4096, "\"}}}");
        puts_file(dir, "offers/aerzte.json", t);
        CHECK((build(dir, err, sizeof err) == 0) == (n == 4000), "%d characters: %s", n, err);
    }
    /* 10,000 spoken languages */
    o = snprintf(t, 4096, "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"languages\":[");
    for (int i = 0; i < 10000; i++) o += snprintf(t + o, 16, "%s\"%c%c%c\"", i ? "," : "", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26);
    snprintf(t + o, 4096, "],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}");
    puts_file(dir, "offers/aerzte.json", t);
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "offers/aerzte.json:1: languages[50]") &&
              strstr(err, "more than 50"),
          "10,000 languages refused: %s", err);
    /* a 201-character title */
    memset(t, 'T', 201);
    t[201] = 0;
    char pack[1024];
    snprintf(pack, sizeof pack, "{\"id\":\"mini\",\"version\":1,\"languages\":[\"de\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"title\":\"%s\"}}}", t);
    fresh(dir);
    puts_file(dir, "pack.json", pack);
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "pack.json:1: i18n.de.title"), "long title refused: %s", err);
    free(t);
}

/* What must still build: the edges of the rules. */
TEST(valid_edges)
{
    char dir[600], err[1024];
    snprintf(dir, sizeof dir, "%s/edge", scratch);
    const char *ok[] = {
        SCHED("\"freq\":\"MONTHLY\",\"byday\":\"1WE,-1FR\",\"opens_at\":\"17:00\",\"closes_at\":\"24:00\""),
        SCHED("\"freq\":\"MONTHLY\",\"bymonthday\":\"1,15,-1\",\"interval\":3," HOURS),
        SCHED(DAY "\"timezone\":\"Europe/Istanbul\",\"valid_from\":\"2028-02-29\",\"valid_to\":\"2028-02-29\"," HOURS),
        SCHED(DAY HOURS ",\"slot_minutes\":180,\"capacity\":2"),
        OFFER("\"languages\":[\"prs\",\"es\",\"pl\"],\"phones\":[{\"number\":\"+49 (5191) 70-100\",\"type\":\"fax\"}],"),
        /* names with invisible characters among visible ones, or one visible character */
        NAMED("fa", "\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0645"),
        NAMED("ar", "\\u200f\\u0628 "),
        NAMED("en", "Caf\\u00e9\\u00a0Bonn"),
        SRC_NAMED("1"),
        SRC_NAMED("\\u260e"),
        /* the marks real writing stacks: Arabic shadda and fatha, Vietnamese dot and circumflex,
         * Hebrew with points and a cantillation mark; exactly the limit of 8 */
        NAMED("ar", "\\u0633\\u0651\\u064e\\u0644\\u0627\\u0645"),
        NAMED("en", "Vie\\u0323\\u0302t"),
        NAMED("en", "\\u05e9\\u05c1\\u05b8\\u0591\\u05dc\\u05d5\\u05b9\\u05dd"),
        SRC_NAMED("S\\u0301\\u0302\\u0303\\u0304\\u0306\\u0307\\u0308\\u030aprache"),
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        fresh(dir);
        puts_file(dir, "offers/aerzte.json", ok[i]);
        CHECK(build(dir, err, sizeof err) == 0, "builds: %s -- %s", ok[i], err);
    }
    char out[4096];
    CHECK(lint("content/demo", out, sizeof out) == 0 && strstr(out, "ok: content/demo builds"), "demo lints clean: %s", out);
    CHECK(!strstr(out, "warning:") && !strstr(out, "note:"), "the demo's texts all have fonts, and they were checked: %s", out);
}

/* Characters no font of the kiosk has (an emoji from an imported page, Hebrew, Syriac) are drawn
 * as boxes: lint names the text and the characters, and the sources still build. */
TEST(lint_names_characters_without_a_font)
{
    char dir[600], out[8192];
    snprintf(dir, sizeof dir, "%s/tofu", scratch);
    fresh(dir);
    puts_file(dir, "offers/aerzte.json",
              "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{"
              "\"de\":{\"status\":\"complete\",\"name\":\"Sprechstunde \\ud83d\\ude00\","
              "\"description\":\"Arabisch \\u0645\\u0631\\u062d\\u0628\\u0627, Tigrinya \\u1230\\u120b\\u121d, Hebr\\u00e4isch \\u05e9\\u05dc\\u05d5\\u05dd\"}}}");
    int rc = lint(dir, out, sizeof out);
    CHECK(rc == 0 && strstr(out, "ok: "), "it still builds: %s", out);
    CHECK(strstr(out, "warning: offer aerzte, de, name: no font of the kiosk has U+1F600 (drawn as a box") != NULL,
          "the emoji in the name named: %s", out);
    CHECK(strstr(out, "warning: offer aerzte, de, description: no font of the kiosk has U+05E9 U+05DC U+05D5 U+05DD (") != NULL,
          "the Hebrew letters named, not the Arabic or Ethiopic ones: %s", out);
    /* without the kiosk's fonts lint says they were not checked, rather than passing in silence */
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    rc = lint_sources(dir, "/nonexistent/fallback.ini", f);
    fclose(f);
    CHECK(rc == 0 && text && strstr(text, "note: the fonts were not checked") && !strstr(text, "warning:"),
          "no fonts: a note: %s", text ? text : "");
    free(text);
}

/* One value of a built database, "" when none. */
static void db_value(const char *dir, const char *sql, char *out, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/out.db", dir);
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(d);
}

/* The district's zone: pack.json "timezone", kept in meta and given to schedules that name none. */
TEST(district_zone)
{
    char dir[600], err[1024], v[64];
    snprintf(dir, sizeof dir, "%s/zone", scratch);
    fresh(dir);
    CHECK(build(dir, err, sizeof err) == 0, "builds: %s", err);
    db_value(dir, "SELECT value FROM meta WHERE key='timezone'", v, sizeof v);
    CHECK(!strcmp(v, "Europe/Berlin"), "no timezone: Europe/Berlin (%s)", v);
    puts_file(dir, "pack.json", PACK("\"version\":2,\"timezone\":\"Asia/Kabul\","));
    puts_file(dir, "offers/aerzte.json", SCHED(DAY HOURS));
    puts_file(dir, "offers/beratung.json",
              "{\"id\":\"beratung\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"locations\":[\"praxis/main\"],"
              "\"schedules\":[{\"location\":\"praxis/main\",\"timezone\":\"America/New_York\"," DAY HOURS "}],"
              "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"B\"}}}");
    CHECK(build(dir, err, sizeof err) == 0, "builds with Asia/Kabul: %s", err);
    db_value(dir, "SELECT value FROM meta WHERE key='timezone'", v, sizeof v);
    CHECK(!strcmp(v, "Asia/Kabul"), "meta timezone %s", v);
    db_value(dir, "SELECT timezone FROM schedule WHERE service_id='aerzte'", v, sizeof v);
    CHECK(!strcmp(v, "Asia/Kabul"), "a schedule without a zone takes the district's (%s)", v);
    db_value(dir, "SELECT timezone FROM schedule WHERE service_id='beratung'", v, sizeof v);
    CHECK(!strcmp(v, "America/New_York"), "a schedule's own zone stays (%s)", v);
    REFUSED("pack.json", PACK("\"version\":2,\"timezone\":\"Mars/Olympus\","), "pack.json:1: timezone", "Mars/Olympus");
}

/* A path that does not fit is refused, never cut short into another file's name. */
TEST(long_paths)
{
    char dir[600], err[1024];
    snprintf(dir, sizeof dir, "%s/long", scratch);
    fresh(dir);
    static char out[5000];
    int n = snprintf(out, sizeof out, "%s/", dir);
    memset(out + n, 'a', sizeof out - (size_t)n - 1);
    out[sizeof out - 1] = 0;
    err[0] = 0;
    CHECK(pack_build(dir, out, err, sizeof err) != 0 && strstr(err, "path too long"), "a 5000-byte target: %s", err);
}

/* issue 12: a content folder 1,700 bytes deep (within PATH_MAX) builds and lints, and a refusal
 * names its file whole: the file name in messages was kept in 1,024 bytes and came out cut. A
 * database that deep cannot be written (SQLite opens no path past 512 bytes): the refusal says
 * so before the path, which a message buffer may cut. */
TEST(deep_folder)
{
    static char top[64], dir[PATH_MAX], want[PATH_MAX + 64], db[PATH_MAX], err[8192], out[8192];
    snprintf(top, sizeof top, "/tmp/kiosk-deep-%ld", (long)getpid());
    size_t n = (size_t)snprintf(dir, sizeof dir, "%s", top);
    while (n < 1700) n += (size_t)snprintf(dir + n, sizeof dir - n, "/%s", "a-folder-of-a-district-that-nests-its-content-deep");
    fresh(dir);
    snprintf(db, sizeof db, "%s/deep.db", scratch);
    err[0] = 0;
    CHECK(pack_build(dir, db, err, sizeof err) == 0, "a %zu-byte folder builds: %.300s", n, err);
    CHECK(lint(dir, out, sizeof out) == 0 && strstr(out, "ok: "), "and lints: %.300s", out);
    CHECK(check_sh("%s/kiosk-pack build %s %s >/dev/null && test -s %s", tools, dir, db, db) == 0,
          "kiosk-pack build takes it");
    err[0] = 0;
    CHECK(build(dir, err, sizeof err) != 0 && strstr(err, "too long for SQLite") && strstr(err, dir),
          "a database in it is refused, saying why: %.200s", err);
    check_sh("%s/kiosk-pack build %s %s/out.db 2>%s/deep.txt; true", tools, dir, dir, scratch);
    CHECK(check_sh("grep -q 'too long for SQLite' %s/deep.txt", scratch) == 0, "kiosk-pack says why too");
    puts_file(dir, "offers/aerzte.json", "{\"id\": \"aerzte\", \"organization\": 7}");
    snprintf(want, sizeof want, "%s/offers/aerzte.json:1:", dir);
    err[0] = 0;
    CHECK(pack_build(dir, db, err, sizeof err) != 0 && strstr(err, want), "the refusal names the whole file: %.200s...",
          err);
    check_sh("rm -rf %s", top);
}

/* issue 12: a folder whose reading fails is an error, not an empty folder. */
TEST(readdir_failure)
{
    char dir[600], err[1024];
    snprintf(dir, sizeof dir, "%s/rd", scratch);
    fresh(dir);
    fail_readdir = 1;
    int rc = build(dir, err, sizeof err);
    fail_readdir = 0;
    CHECK(rc != 0 && strstr(err, "organizations") && strstr(err, "cannot read"), "failing readdir refused: %s",
          rc ? err : "BUILT with 0 organizations and offers");
}

/* ---------- the bad-source matrix ---------- */

typedef struct bad {
    const char *file; /* written (relative to the tree), or NULL */
    const char *text;
    const char *sh;   /* or a shell command run in the tree */
    const char *name; /* what the message must name (default: file) */
} bad;

static const bad matrix[] = {
    /* media paths */
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"../../../../tmp/x.secret\",\"i18n\":{}}]", NULL, "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"../secret.svg\",\"i18n\":{}}]", NULL, "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"/etc/passwd\",\"i18n\":{}}]", NULL, "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"a/../../b.svg\",\"i18n\":{}}]", NULL, "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"missing.svg\",\"i18n\":{}}]", NULL, "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"out.svg\",\"i18n\":{}}]", "ln -s /etc/passwd pictograms/out.svg", "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"up/health.svg\",\"i18n\":{}}]", "ln -s .. pictograms/up", "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"p.svg\",\"i18n\":{}}]", "mkfifo pictograms/p.svg", "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"z.svg\",\"i18n\":{}}]", "ln -s /dev/zero pictograms/z.svg", "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":\"e.svg\",\"i18n\":{}}]", ": > pictograms/e.svg", "icon"},
    {"categories.json", "[{\"id\":\"health\",\"icon\":5,\"i18n\":{}}]", NULL, "icon"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"icon\":\"../../x.secret\",\"i18n\":{}}"), NULL, "icon"},
    /* pictures a kiosk's decoder cannot draw within bounds (pack_media_problem): the build names the file */
#define ICON_CAT(f) "[{\"id\":\"health\",\"icon\":\"" f "\",\"i18n\":{}}]"
    {"categories.json", ICON_CAT("d.svg"), "printf '<svg><path d=\"M0 0H9\" stroke-dasharray=\"1\"/></svg>' > pictograms/d.svg",
     "d.svg: is an SVG with dashed strokes"},
    {"categories.json", ICON_CAT("b.svg"), "{ printf '<svg>'; head -c 40000 /dev/zero | tr '\\0' ' '; printf '</svg>'; } > pictograms/b.svg",
     "b.svg: is an SVG larger than 32 KiB"},
    {"categories.json", ICON_CAT("t.svg"), "printf 'hello' > pictograms/t.svg", "t.svg: is not an SVG"},
    {"categories.json", ICON_CAT("n.svg"),
     "{ printf '<svg viewBox=\"0 0 96 96\"><path d=\"M0 0'; for i in $(seq 500); do printf ' L%d 96 0 %d' $i $i; done;"
     " printf '\"/></svg>'; } > pictograms/n.svg",
     "n.svg: is an SVG of more than 1000 numbers"},
    {"categories.json", ICON_CAT("p.svg"), "printf '\\211PNG\\r\\n\\032\\n' > pictograms/p.svg", "p.svg: holds other data"},
    {"categories.json", ICON_CAT("h.png"),
     "printf '\\211PNG\\r\\n\\032\\n\\0\\0\\0\\rIHDR\\0\\0\\076\\200\\0\\0\\076\\200\\010\\006\\0\\0\\0' > pictograms/h.png",
     "h.png: is a PNG larger than 1024"},
    {"categories.json", ICON_CAT("s.png"), "printf '<svg/>' > pictograms/s.png", "s.png: holds other data"},
    {"intake.json", "{\"questions\":[{\"id\":\"q\",\"icon\":\"..\\\\x.svg\",\"i18n\":{},\"answers\":[]}]}", NULL, "icon"},
    /* schedules */
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"12:00\",\"closes_at\":\"09:00\""), NULL, "closes_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"09:00\",\"closes_at\":\"09:00\""), NULL, "closes_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"09:00\",\"closes_at\":\"24:30\""), NULL, "closes_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"24:00\",\"closes_at\":\"24:00\""), NULL, "opens_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"9:00\",\"closes_at\":\"12:00\""), NULL, "opens_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":\"09:60\",\"closes_at\":\"12:00\""), NULL, "opens_at"},
    {"offers/aerzte.json", SCHED(DAY "\"opens_at\":900,\"closes_at\":\"12:00\""), NULL, "opens_at"},
    {"offers/aerzte.json", SCHED(DAY "\"closes_at\":\"12:00\""), NULL, "opens_at"},
    {"offers/aerzte.json", SCHED(DAY "\"interval\":-1," HOURS), NULL, "interval"},
    {"offers/aerzte.json", SCHED(DAY "\"interval\":0," HOURS), NULL, "interval"},
    {"offers/aerzte.json", SCHED(DAY "\"interval\":\"2\"," HOURS), NULL, "interval"},
    {"offers/aerzte.json", SCHED(DAY "\"interval\":1.5," HOURS), NULL, "interval"},
    {"offers/aerzte.json", SCHED(DAY "\"interval\":99999999999," HOURS), NULL, "interval"},
    {"offers/aerzte.json", SCHED(DAY "\"timezone\":\"Mars/Olympus\"," HOURS), NULL, "timezone"},
    {"offers/aerzte.json", SCHED(DAY "\"timezone\":\"\"," HOURS), NULL, "timezone"},
    {"offers/aerzte.json", SCHED(DAY "\"timezone\":\"../../etc/localtime\"," HOURS), NULL, "timezone"},
    {"offers/aerzte.json", SCHED("\"byday\":\"XX\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"MO,,TU\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"MO,MO\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"1MO\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"mo\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"byday\":\"MO;COUNT=1\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"freq\":\"MONTHLY\",\"byday\":\"9MO\"," HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED("\"freq\":\"MONTHLY\",\"bymonthday\":\"32\"," HOURS), NULL, "bymonthday"},
    {"offers/aerzte.json", SCHED("\"freq\":\"MONTHLY\",\"bymonthday\":\"0\"," HOURS), NULL, "bymonthday"},
    {"offers/aerzte.json", SCHED(DAY "\"bymonthday\":\"1\"," HOURS), NULL, "bymonthday"},
    {"offers/aerzte.json", SCHED("\"freq\":\"DAILY\"," DAY HOURS), NULL, "freq"},
    {"offers/aerzte.json", SCHED(HOURS), NULL, "byday"},
    {"offers/aerzte.json", SCHED(DAY "\"valid_from\":\"2026-05-01\",\"valid_to\":\"2026-04-01\"," HOURS), NULL, "valid_to"},
    {"offers/aerzte.json", SCHED(DAY "\"valid_from\":\"2026-02-30\"," HOURS), NULL, "valid_from"},
    {"offers/aerzte.json", SCHED(DAY "\"valid_to\":\"2026-13-01\"," HOURS), NULL, "valid_to"},
    {"offers/aerzte.json", SCHED(DAY "\"valid_to\":\"tomorrow\"," HOURS), NULL, "valid_to"},
    {"offers/aerzte.json", SCHED(DAY HOURS ",\"slot_minutes\":30"), NULL, "slot_minutes"},
    {"offers/aerzte.json", SCHED(DAY HOURS ",\"slot_minutes\":3,\"capacity\":1"), NULL, "slot_minutes"},
    {"offers/aerzte.json", SCHED(DAY HOURS ",\"slot_minutes\":181,\"capacity\":1"), NULL, "slot_minutes"},
    {"offers/aerzte.json", SCHED(DAY HOURS ",\"slot_minutes\":30,\"capacity\":-1"), NULL, "capacity"},
    {"offers/aerzte.json", SCHED(DAY HOURS ",\"closes-at\":\"13:00\""), NULL, "closes-at"},
    {"offers/aerzte.json", OFFER("\"schedules\":[{\"location\":\"nowhere/main\"," DAY HOURS "}],"), NULL, "nowhere"},
    {"offers/aerzte.json", OFFER("\"schedules\":{},"), NULL, "schedules"},
    {"offers/aerzte.json", OFFER("\"schedules\":[5],"), NULL, "schedules[0]"},
    /* pack.json */
    {"pack.json", PACK("\"version\":\"2\","), NULL, "version"},
    {"pack.json", PACK("\"version\":0,"), NULL, "version"},
    {"pack.json", PACK("\"version\":-3,"), NULL, "version"},
    {"pack.json", PACK("\"version\":2.5,"), NULL, "version"},
    {"pack.json", PACK(""), NULL, "version"},
    {"pack.json", PACK("\"version\":1,\"demo\":\"yes\","), NULL, "demo"},
    {"pack.json", PACK("\"version\":1,\"source_language\":\"xx\","), NULL, "source_language"},
    {"pack.json", PACK("\"version\":1,\"holidays\":[\"2026-02-30\"],"), NULL, "holidays[0]"},
    {"pack.json", PACK("\"version\":1,\"holidays\":[20261225],"), NULL, "holidays[0]"},
    {"pack.json", PACK("\"version\":1,\"colour\":\"red\","), NULL, "colour"},
    {"pack.json", "{\"id\":\"mini\",\"version\":1,\"languages\":[\"de\",\"de\"]}", NULL, "languages[1]"},
    {"pack.json", "{\"id\":\"mini\",\"version\":1,\"languages\":[\"de\",\"tlh\"]}", NULL, "languages[1]"},
    {"pack.json", "{\"id\":\"mini\",\"version\":1,\"languages\":[]}", NULL, "languages"},
    {"pack.json", "{\"id\":\"Mini Pack\",\"version\":1,\"languages\":[\"de\"]}", NULL, "id"},
    /* 64 characters: one more than a manifest's pack id holds */
    {"pack.json", "{\"id\":\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "\",\"version\":1,\"languages\":[\"de\"]}", NULL, "id"},
    {"pack.json", "{\"id\":\"mini\",\"version\":1,\"languages\":[\"de\"],\"i18n\":{\"xx\":{\"status\":\"machine\"}}}", NULL, "xx"},
    {"pack.json", "[]", NULL, NULL},
    /* ids, files, types */
    {"offers/aerzte.json", "{\"id\":\"zahnarzt\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}", NULL, "id"},
    {"organizations/praxis.json", "{\"id\":\"other\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"P\"}}}", NULL, "id"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"P\"}},\"locations\":[{\"id\":\"praxis main\",\"i18n\":{}}]}", NULL, "locations[0].id"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"locations\":[{\"id\":\"praxis/main\",\"latitude\":200,\"i18n\":{}}]}", NULL, "latitude"},
    /* a place of another organization's: named with the file that has it (was a bare UNIQUE error) */
    {"organizations/zweite.json", "{\"id\":\"zweite\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"Z\"}},\"locations\":[{\"id\":\"praxis/main\",\"i18n\":{}}]}", NULL, "zweite.json:1: locations[0].id: location \"praxis/main\" is defined already, in organizations/praxis.json"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"locations\":[{\"id\":\"praxis/main\",\"latitude\":\"52\",\"i18n\":{}}]}", NULL, "latitude"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"phones\":[{\"number\":\"call me\"}]}", NULL, "number"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"locations\":[{\"id\":\"praxis/main\",\"phones\":[{\"number\":\"ring\"}],\"i18n\":{}}]}", NULL, "locations[0].phones[0].number"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"phones\":[{\"number\":\"+49 1\",\"type\":\"pigeon\"}]}", NULL, "type"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"email\":\"nope\"}", NULL, "email"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"url\":\"javascript:alert(1)\"}", NULL, "url"},
    {"offers/aerzte.json", OFFER("\"languages\":[\"klingon\"],"), NULL, "languages[0]"},
    {"offers/aerzte.json", OFFER("\"languages\":[\"de\",\"de\"],"), NULL, "languages[1]"},
    {"offers/aerzte.json", OFFER("\"languages\":\"de\","), NULL, "languages"},
    {"offers/aerzte.json", OFFER("\"closed\":[\"someday\"],"), NULL, "closed[0]"},
    {"offers/aerzte.json", OFFER("\"colour\":\"red\","), NULL, "colour"},
    {"offers/aerzte.json", OFFER("\"phones\":[{\"number\":\"+49 1\",\"typ\":\"voice\"}],"), NULL, "typ"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}", NULL, "categories"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"ghost\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}", NULL, "ghost"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"nobody\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}", NULL, "nobody"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"great\",\"name\":\"X\"}}}", NULL, "status"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\"}}}", NULL, "name"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":[]}", NULL, "i18n"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":\"X\"}}", NULL, "i18n.de"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\",\"summary\":7}}}", NULL, "summary"},
    /* text contents */
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"A\xe2\x80\xae" "B\"}}}", NULL, "name"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"A\\u0007B\"}}}", NULL, "name"},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"A\\u0000B\"}}}", NULL, NULL},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"\\ud800\"}}}", NULL, NULL},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"\xff\xfe\"}}}", NULL, NULL},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"\xc0\xaf\"}}}", NULL, NULL},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"\xed\xa0\x80\"}}}", NULL, NULL},
    {"offers/aerzte.json", "{\"id\":\"aerzte\",\"id\":\"aerzte\"}", NULL, NULL},
    /* combining marks piled on one letter climb over the lines above when drawn */
    {"offers/aerzte.json", SRC_NAMED("S\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301prachcafe"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("Sprach\\u0301\\u0302\\u0308\\u0301\\u0302\\u0308\\u0301\\u0302\\u0308cafe"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("O\\u20dd\\u20dd\\u20dd\\u20dd\\u20dd\\u20dd\\u20dd\\u20dd\\u20dd"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", NAMED("ar", "\\u0633\\u0651\\u064e\\u0651\\u064e\\u0651\\u064e\\u0651\\u064e\\u0651\\u064e"), NULL, "i18n.ar.name"},
    /* the same with invisible characters between the marks: the shaper still stacks them */
    {"offers/aerzte.json", SRC_NAMED("a\\u0301\\u0301\\u0301\\u200d\\u0301\\u0301\\u0301\\u200c\\u0301\\u0301\\u0301"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("a\\u0301\\u200e\\u0301\\u2060\\u0301\\u00ad\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301"), NULL, "i18n.de.name"},
    /* names that show nothing: blank, or only spaces and invisible characters, in any language */
    {"offers/aerzte.json", SRC_NAMED(""), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("   "), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\\t\\n"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\\u200b"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\xe2\x80\x8b\xe2\x80\x8b"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\\u00a0\\u00a0"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\\ufeff"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", SRC_NAMED("\\u2060 \\u3000"), NULL, "i18n.de.name"},
    {"offers/aerzte.json", NAMED("ar", "\\u200f"), NULL, "i18n.ar.name"},
    {"offers/aerzte.json", NAMED("ar", "\\u200e\\u200f \\u200e"), NULL, "i18n.ar.name"},
    {"offers/aerzte.json", NAMED("fa", "\\u200c"), NULL, "i18n.fa.name"},
    {"offers/aerzte.json", NAMED("fa", "\\u200c\\u200d\\u200c"), NULL, "i18n.fa.name"},
    {"offers/aerzte.json", NAMED("prs", " \\u200b\\u00a0\\u2060\\ufeff\\u200d "), NULL, "i18n.prs.name"},
    {"offers/aerzte.json", NAMED("en", "\\u034f\\u180e\\u2800\\u3164"), NULL, "i18n.en.name"},
    {"offers/aerzte.json", NAMED("en", "\\u0301"), NULL, "i18n.en.name"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"\\u200b\"}},\"locations\":[{\"id\":\"praxis/main\",\"i18n\":{}}]}", NULL, "i18n.de.name"},
    {"categories.json", "[{\"id\":\"health\",\"i18n\":{\"en\":{\"status\":\"machine\",\"name\":\" \\u00a0\"}}},{\"id\":\"housing\",\"i18n\":{}}]", NULL, "[0].i18n.en.name"},
    {"organizations/praxis.json", "{\"id\":\"praxis\",\"i18n\":{},\"locations\":[{\"id\":\"praxis/main\",\"i18n\":{\"ar\":{\"status\":\"machine\",\"name\":\"\\u200f\\u200b\"}}}]}", NULL, "locations[0].i18n.ar.name"},
    /* file shapes */
    {"offers/aerzte.json", "", NULL, NULL},
    {"offers/aerzte.json", "null", NULL, NULL},
    {"offers/aerzte.json", "[]", NULL, NULL},
    {"offers/aerzte.json", "{\"id\": \"aerzte\", ", NULL, NULL},
    {"offers/aerzte.json", "\xef\xbb\xbf{}", NULL, NULL},
    {NULL, NULL, "rm -rf offers/aerzte.json && mkdir offers/aerzte.json", "offers/aerzte.json"},
    {NULL, NULL, "rm -f offers/aerzte.json && mkfifo offers/aerzte.json", "offers/aerzte.json"},
    {NULL, NULL, "rm -rf offers && echo x > offers", "offers"},
    {NULL, NULL, "rm -rf organizations", "organizations"},
    {NULL, NULL, "rm -f pack.json", "pack.json"},
    {NULL, NULL, "rm -f categories.json && ln -s /dev/zero categories.json", "categories.json"},
    {NULL, NULL, "head -c 5000000 /dev/zero | tr '\\0' ' ' > offers/aerzte.json", "offers/aerzte.json"},
    /* intake */
    {"intake.json", "{\"questions\":[]}", NULL, "questions"},
    {"intake.json", "{\"questions\":[{\"id\":\"q\",\"i18n\":{},\"answers\":[{\"id\":\"a\",\"i18n\":{}}]}]}", NULL, "answers"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"match\":[{\"category\":\"health\",\"offer\":\"aerzte\"}],\"i18n\":{}}"), NULL, "match[0]"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"match\":[{\"category\":\"health\",\"weight\":-5}],\"i18n\":{}}"), NULL, "weight"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"match\":[{\"offer\":\"ghost\"}],\"i18n\":{}}"), NULL, "ghost"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"urgent\":\"yes\",\"i18n\":{}}"), NULL, "urgent"},
    {"intake.json", ANSWERS_WITH("{\"id\":\"no\",\"i18n\":{\"de\":{\"status\":\"complete\",\"label\":\"Nein\",\"reasn\":\"x\"}}}"), NULL, "reasn"},
    {"categories.json", "{\"id\":\"health\"}", NULL, NULL},
    {"categories.json", "[{\"id\":\"health\",\"order\":\"1\",\"i18n\":{}}]", NULL, "order"},
    {"categories.json", "[{\"id\":\"health\",\"order\":-1,\"i18n\":{}}]", NULL, "order"},
    {"categories.json", "[{\"id\":\"health\",\"i18n\":{}},{\"id\":\"health\",\"i18n\":{}}]", NULL, NULL},
};

enum { EXIT_REFUSED = 10, EXIT_SILENT = 11, EXIT_ACCEPTED = 12 };

/* In a child: build and lint the tree; the exit status says how it went (anything else: crashed). */
static void try_tree(const char *dir, const char *name)
{
    char err[1024], out[4096];
    alarm(30); /* a hang counts as a crash */
    int built = build(dir, err, sizeof err) == 0;
    int linted = lint(dir, out, sizeof out) == 0;
    if (built || linted) exit(EXIT_ACCEPTED);
    const char *rel = strstr(err, "/matrix/");
    printf("refused: %s\n", rel ? rel + 8 : err);
    exit(strstr(err, name) && strstr(out, name) ? EXIT_REFUSED : EXIT_SILENT);
}

/* Ten thousand language codes, a 1 MB description, nesting deeper than jansson allows. */
static char *generated(int which)
{
    size_t cap = (2u << 20) + 8192;
    char *t = malloc(cap);
    int o;
    if (which == 0) {
        o = snprintf(t, cap, "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],\"languages\":[");
        for (int i = 0; i < 10000; i++) o += snprintf(t + o, cap - (size_t)o, "%s\"de\"", i ? "," : "");
        snprintf(t + o, cap - (size_t)o, "],\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}");
    } else if (which == 1) {
        o = snprintf(t, cap, "{\"id\":\"aerzte\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
                             "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\",\"description\":\"");
        for (int i = 0; i < (1 << 19); i++) o += snprintf(t + o, cap - (size_t)o, "\xd8\xb3");
        snprintf(t + o, cap - (size_t)o, "\"}}}");
    } else {
        o = snprintf(t, cap, "{\"id\":\"aerzte\",\"x\":");
        for (int i = 0; i < 100000; i++) t[o++] = '[';
        t[o] = 0;
    }
    return t;
}

TEST(bad_source_matrix)
{
    char dir[600], base[600];
    snprintf(base, sizeof base, "%s/matrix-base", scratch);
    snprintf(dir, sizeof dir, "%s/matrix", scratch);
    fresh(base);
    int tried = 0, refused_msg = 0, silent = 0, accepted = 0, crashed = 0;
    size_t n = sizeof matrix / sizeof matrix[0];
    for (size_t i = 0; i < n + 3; i++) {
        bad c = i < n ? matrix[i] : (bad){"offers/aerzte.json", NULL, NULL, NULL};
        char *gen = i < n ? NULL : generated((int)(i - n));
        check_sh("rm -rf %s && cp -a %s %s", dir, base, dir);
        if (c.file) puts_file(dir, c.file, gen ? gen : c.text);
        free(gen);
        if (c.sh) check_sh("cd %s && %s", dir, c.sh);
        const char *name = c.name ? c.name : c.file;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) try_tree(dir, name);
        int st = 0;
        waitpid(pid, &st, 0);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        tried++;
        if (code == EXIT_REFUSED) refused_msg++;
        else if (code == EXIT_SILENT) silent++;
        else if (code == EXIT_ACCEPTED) accepted++;
        else crashed++;
        if (code != EXIT_REFUSED)
            printf("case %zu (%s %s %s): %s\n", i, c.file ? c.file : "", c.sh ? c.sh : "", name,
                   code == EXIT_SILENT ? "refused without naming it" : code == EXIT_ACCEPTED ? "ACCEPTED" : "CRASHED");
    }
    printf("bad sources: %d tried, %d refused with a message, %d refused without naming the file/field, %d accepted, "
           "%d crashed\n",
           tried, refused_msg, silent, accepted, crashed);
    CHECK(refused_msg == tried, "every bad tree refused with a message (%d of %d)", refused_msg, tried);
    char err[1024];
    CHECK(build(base, err, sizeof err) == 0, "the untouched base tree builds: %s", err);
}

int main(int argc, char **argv)
{
    const char *b = argc > 1 ? argv[1] : "build";
    char cwd[256];
    if (!getcwd(cwd, sizeof cwd)) return 2;
    snprintf(scratch, sizeof scratch, "%s/%s/sources-test", cwd, b);
    snprintf(tools, sizeof tools, "%s/%s", cwd, b);
    check_sh("rm -rf %s && mkdir -p %s", scratch, scratch);
    RUN(icon_traversal);
    RUN(impossible_values);
    RUN(limits);
    RUN(valid_edges);
    RUN(lint_names_characters_without_a_font);
    RUN(district_zone);
    RUN(long_paths);
    RUN(deep_folder);
    RUN(readdir_failure);
    RUN(bad_source_matrix);
    CHECK_DONE();
}
