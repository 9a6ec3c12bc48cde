/*
 * Config: every section, key and value of kiosk.ini is checked, and a mistake names FILE:LINE.
 * The cases an operator really makes (a misspelt [kiosk] header, "booking = onn", "90s",
 * "4294967306", "px_per_mm = nan", a bad PIN hash, a missing key file, a password file others
 * may read) each refused; then a matrix of crafted bad files, each loaded in a child process,
 * counted as tried / refused with a message / accepted / crashed; then the kiosk binary itself
 * refusing to start on a bad file.
 * Usage: test_config BUILD_DIR
 */
#include "check.h"
#include "app/config.h"
#include "platform/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *build;
static char dir[600], ini[700];

/* the demo PIN 246810 at the production cost (128 MiB, 3 passes), as kiosk.example.ini has it */
#define DEMO_HASH "$argon2id$v=19$m=131072,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs"
/* the old demo hash: the 4-digit PIN 2468 at 16 MiB, which an offline loop tries out in seconds */
#define WEAK_HASH "$argon2id$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI"
#define T2_HASH "$argon2id$v=19$m=131072,t=2,p=1$g1VJOUzhn5ox+ZDKfDFoBA$XuamG2ljYdOjWyNx7BV/nXMkyuVeFFPS8vH3CZszCGM"
#define M64_HASH "$argon2id$v=19$m=65536,t=3,p=1$pbw2MPGrae+x9ybhdVaoOw$Kc1wJaoLbz9atCpFGq5utSpy+Kubc58hX0SkVls+mk0"
#define T1_HASH "$argon2id$v=19$m=1048576,t=1,p=1$dyzmLkejV+HnqI2xLY4ylw$Ce5qFDMAY/gdHaJIMMSKcBwjQJQRWyTK2syRMtmZFUE"
#define BIG_HASH "$argon2id$v=19$m=262144,t=4,p=1$S3SgsXjPl15xNN1JeHigRg$09yOTBmVB4vbRsWdLUJudPbIuJDinf/CJ9aEOSjm3Ks"

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(text, 1, len, f);
    fclose(f);
}

/* Load text as kiosk.ini; returns the config_err, message in err. */
static int load(const char *text, app_config *c, char *err, size_t errlen)
{
    write_file(ini, text, strlen(text));
    app_config_defaults(c);
    err[0] = 0;
    return app_config_load(c, ini, err, errlen);
}

/* Refused, and the message starts with FILE:LINE: and mentions what. */
static int refused_at(const char *text, int line, const char *what, char *err, size_t errlen)
{
    app_config c;
    if (load(text, &c, err, errlen) == CONFIG_OK) return 0;
    char want[800];
    snprintf(want, sizeof want, "%s:%d: ", ini, line);
    return !strncmp(err, want, strlen(want)) && (!what || strstr(err, what));
}

TEST(operator_mistakes)
{
    char err[1200];
    CHECK(refused_at("[kiosc]\nidle_timeout = 30\n", 1, "kiosc", err, sizeof err), "%s", err);
    CHECK(refused_at("; no header\ntrusted_keys = content/keys/demo.pub\nstaff_pin_hash = " DEMO_HASH "\n", 2,
                     "outside [kiosk]", err, sizeof err), "%s", err);
    CHECK(refused_at("[Kiosk]\n", 1, "Kiosk", err, sizeof err), "an empty misspelt section too: %s", err);
    CHECK(refused_at("[kiosk\nbooking = on\n", 1, "]", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nbooking = onn\n", 2, "booking", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nsounds = 1\n", 2, "sounds", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nidle_timeout = 90s\n", 2, "idle_timeout", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nidle_timeout = 90abc\n", 2, "idle_timeout", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\n\nidle_timeout = 4294967306\n", 3, "out of range", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nsync_interval = 99999999999999999999999\n", 2, "out of range", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nrotation = 45\n", 2, "multiple of 90", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\npx_per_mm = nan\n", 2, "px_per_mm", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\npx_per_mm = 1e30\n", 2, "px_per_mm", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\npx_per_mm = 1000\n", 2, "out of range", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\npx_per_mm = inf\n", 2, "px_per_mm", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstaff_pin_hash = 2468\n", 2, "Argon2id", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEF\n", 2,
                     "Argon2id", err, sizeof err), "a cut-off hash: %s", err);
    CHECK(!strstr(err, "EdWg0sj3"), "the hash is not quoted: %s", err);
    /* well-formed but cheaper than kiosk-pack pin-hash makes them: an offline search takes seconds */
    CHECK(refused_at("[kiosk]\n\nstaff_pin_hash = " WEAK_HASH "\n", 3,
                     "staff_pin_hash: Argon2id at 16 MiB and 3 passes is below the minimum of 128 MiB and 3 passes", err,
                     sizeof err), "the old demo hash: %s", err);
    CHECK(!strstr(err, "EdWg0sj3"), "the hash is not quoted: %s", err);
    CHECK(refused_at("[kiosk]\nstaff_pin_hash = " T2_HASH "\n", 2, "2 passes is below", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstaff_pin_hash = " M64_HASH "\n", 2, "64 MiB", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstaff_pin_hash = " T1_HASH "\n", 2, "1024 MiB and 1 pass is below", err, sizeof err),
          "more memory does not make up for passes: %s", err);
    CHECK(refused_at("[kiosk]\ntrusted_keys = content/keys/demo.pub, /nonexistent/district.pub\n", 2,
                     "district.pub", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nidle_timout = 30\n", 2, "idle_timout", err, sizeof err), "a misspelt key: %s", err);
    CHECK(refused_at("[kiosk]\nbooking = on\nbooking = off\n", 3, "line 2", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ndefault_language = xx\n", 2, "language", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de,en,klingon\n", 2, "klingon", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nkiosk_id = a\"b\n", 2, "kiosk_id", err, sizeof err), "goes into JSON and URLs: %s", err);
    CHECK(refused_at("[kiosk]\nstore_url = ftp://x/\n", 2, "store_url", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nbooking\n", 2, NULL, err, sizeof err), "no '=': %s", err);

    /* language lists: no entry twice or empty, and the default among them */
    CHECK(refused_at("[kiosk]\nlanguages = de,de\n", 2, "'de' is listed twice", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de, en, ar, en\n", 2, "'en' is listed twice", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de,,ar\n", 2, "empty entry", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de,ar,\n", 2, "empty entry", err, sizeof err), "a trailing comma: %s", err);
    CHECK(refused_at("[kiosk]\nlanguages = ,de\n", 2, "empty entry", err, sizeof err), "a leading comma: %s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de en\n", 2, "languages", err, sizeof err), "spaces are no separator: %s", err);
    CHECK(refused_at("[kiosk]\ndefault_language = ar\nlanguages = de,en\n", 3, "default_language ar is not in languages",
                     err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = de,en\n\ndefault_language = fa\n", 4, "default_language fa is not in languages",
                     err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nlanguages = en,ar\n", 2, "default_language de is not in languages", err, sizeof err),
          "the default default (de) too: %s", err);
    /* addresses: no spaces, a host; credentials and personal data only over https (or to this machine) */
    CHECK(refused_at("[kiosk]\nstore_url = https://content.example/dis trict/\n", 2, "store_url: a space", err, sizeof err),
          "%s", err);
    CHECK(refused_at("[kiosk]\ncaldav_url = https://caldav.example/kiosk/\x7f\n", 2, "caldav_url", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ncaldav_url = https://caldav.example/ki\tosk/\n", 2, "caldav_url", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https:///district/\n", 2, "store_url: no host", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ncaldav_url = http://caldav.example/kiosk/\n", 2, "caldav_url: https:// is required", err,
                     sizeof err), "plain http to another host: %s", err);
    CHECK(refused_at("[kiosk]\ncaldav_url = http://127.0.0.1@caldav.example/kiosk/\n", 2, "https:// is required", err,
                     sizeof err), "a loopback-looking user name: %s", err);
    CHECK(refused_at("[kiosk]\ncaldav_url = http://127.0.0.1.caldav.example/\n", 2, "https:// is required", err,
                     sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = http://kiosk:secret@content.example/district/\n", 2,
                     "store_url: https:// is required", err, sizeof err), "credentials in a plain http address: %s", err);
    CHECK(!strstr(err, "secret@"), "the password is not quoted: %s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https://a@b@content.example/\n", 2, "store_url", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https://content.example:99999/\n", 2, "port", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https://content.example:8x/\n", 2, "port", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https://[::1/\n", 2, "store_url", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nstore_url = https://content.example\\@evil.example/\n", 2, "store_url", err, sizeof err),
          "a backslash: %s", err);
    CHECK(refused_at("[kiosk]\ncontent = a\n  b\n", 3, "indented", err, sizeof err), "a continuation line: %s", err);

    char big[400];
    snprintf(big, sizeof big, "[kiosk]\ncontent = /%0300d\n", 0);
    CHECK(refused_at(big, 2, "longer", err, sizeof err), "an overlong line is not cut in two: %s", err);

    /* what is right still loads */
    app_config c;
    CHECK(load("\xef\xbb\xbf[kiosk]\n; a comment\n  # indented comment\nbooking = Off\nsounds = yes\nidle_timeout = 30\n"
               "px_per_mm = 4.5\nrotation = 270\ntrusted_keys = content/keys/demo.pub\nstaff_pin_hash = " DEMO_HASH "\n"
               "languages = de, en,ar\nkiosk_id = rathaus-1\n",
               &c, err, sizeof err) == CONFIG_OK, "%s", err);
    CHECK(!c.booking && c.sounds && c.idle_timeout_s == 30 && c.px_per_mm == 4.5f && c.rotation == 270,
          "booking %d sounds %d idle %d px %g rotation %d", c.booking, c.sounds, c.idle_timeout_s, c.px_per_mm, c.rotation);
    CHECK(c.trust.nkeys == 1, "the key file is loaded (%d keys)", c.trust.nkeys);
    CHECK(load("[kiosk]\n", &c, err, sizeof err) == CONFIG_OK && c.idle_timeout_s == 90, "a bare [kiosk] is the defaults: %s", err);
    CHECK(app_config_load(&c, "kiosk.example.ini", err, sizeof err) == CONFIG_OK, "the example config: %s", err);
    CHECK(sodium_init() >= 0 && crypto_pwhash_str_verify(c.staff_pin_hash, "246810", 6) == 0,
          "the example's hash is of the demo PIN the README names (246810)");
    CHECK(!strncmp(c.staff_pin_hash, "$argon2id$v=19$m=131072,t=3,", 28), "at the production cost: %.32s",
          c.staff_pin_hash);
    CHECK(load("[kiosk]\nstaff_pin_hash = " BIG_HASH "\n", &c, err, sizeof err) == CONFIG_OK, "a dearer hash: %s", err);
    static const char *const fine[] = {
        "languages = de\n",
        "default_language = ar\nlanguages = ar,de , en\n",
        "store_url = http://content.example/district/\n",   /* packs are signed; nothing secret travels */
        "store_url = https://kiosk:secret@content.example/\n",
        "caldav_url = https://caldav.example:8443/kiosk/\n",
        "caldav_url = http://127.0.0.1:5232/kiosk/\n",
        "caldav_url = http://localhost/kiosk/\n",
        "caldav_url = http://[::1]:5232/\n",
        "caldav_url = http://caldav.example@127.0.0.1:5232/\n",
        "caldav_url =\n",
    };
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        char text[300];
        snprintf(text, sizeof text, "[kiosk]\n%s", fine[i]);
        CHECK(load(text, &c, err, sizeof err) == CONFIG_OK, "%s: %s", fine[i], err);
    }

    /* the download reserve and the pinned publication (a pack id) */
    CHECK(load("[kiosk]\ndisk_reserve_mib = 200\npublication = heidemoor-2027\n", &c, err, sizeof err) == CONFIG_OK &&
              c.disk_reserve_mib == 200 && !strcmp(c.publication, "heidemoor-2027"),
          "reserve %d MiB, publication %s: %s", c.disk_reserve_mib, c.publication, err);
    CHECK(load("[kiosk]\n", &c, err, sizeof err) == CONFIG_OK && c.disk_reserve_mib == 64 && !c.publication[0],
          "defaults: 64 MiB kept free, the installed content's publication");
    CHECK(refused_at("[kiosk]\ndisk_reserve_mib = 0\n", 2, "out of range", err, sizeof err), "%s", err);

    /* command-line overrides pass the same checks */
    app_config_defaults(&c);
    CHECK(app_config_set(&c, "px_per_mm", "nan", err, sizeof err) == CONFIG_ERR_VALUE && c.px_per_mm == 0, "%s", err);
    CHECK(app_config_set(&c, "idle_timeout", "90s", err, sizeof err) == CONFIG_ERR_VALUE && c.idle_timeout_s == 90, "%s", err);
    CHECK(app_config_set(&c, "idle_timeout", "120", err, sizeof err) == CONFIG_OK && c.idle_timeout_s == 120, "%s", err);

    /* SQLite opens no database path of 512 bytes or more and says only "unable to open": the
     * content's staging name (CONTENT.new.XXXXXX) counts, a relative path counts from here */
    char deep[700] = "/srv/kiosk/";
    while (strlen(deep) < 490) strcat(deep, "x");
    strcat(deep, ".db"); /* 493 bytes: 504 with ".new.XXXXXX" */
    CHECK(app_config_set(&c, "content", deep, err, sizeof err) == CONFIG_OK, "a 493-byte content path: %s", err);
    CHECK(app_config_set(&c, "state", deep, err, sizeof err) == CONFIG_OK, "a 493-byte state path: %s", err);
    while (strlen(deep) < 503) strcat(deep, "y");
    CHECK(app_config_set(&c, "content", deep, err, sizeof err) == CONFIG_ERR_VALUE && strstr(err, "too long for SQLite") &&
              strcmp(c.content, deep),
          "a 503-byte content path: %s", err);
    CHECK(app_config_set(&c, "state", deep, err, sizeof err) == CONFIG_ERR_VALUE && strstr(err, "too long for SQLite"),
          "a 503-byte state path, 514 with its names beside it: %s", err);
    char rel[700] = "";
    while (strlen(rel) < 495) strcat(rel, "z");
    CHECK(app_config_set(&c, "content", rel, err, sizeof err) == CONFIG_ERR_VALUE && strstr(err, "too long for SQLite"),
          "a 495-byte relative path, longer once made absolute: %s", err);
}

TEST(secret_files)
{
    char pw[700], text[900], err[1200], buf[64];
    snprintf(pw, sizeof pw, "%s/caldav.secret", dir);
    write_file(pw, "hunter2\n", 8);
    chmod(pw, 0644);
    snprintf(text, sizeof text, "[kiosk]\ncaldav_password_file = %s\n", pw);
    CHECK(refused_at(text, 2, "chmod 600", err, sizeof err), "a world-readable password file: %s", err);
    CHECK(secret_read_line(pw, buf, sizeof buf, err, sizeof err) == SECRET_ERR_OPEN && !buf[0], "%s", err);
    chmod(pw, 0640);
    CHECK(refused_at(text, 2, "0640", err, sizeof err), "a group-readable password file: %s", err);
    chmod(pw, 0600);
    app_config c;
    CHECK(load(text, &c, err, sizeof err) == CONFIG_OK, "%s", err);
    CHECK(secret_read_line(pw, buf, sizeof buf, err, sizeof err) == SECRET_OK && !strcmp(buf, "hunter2"), "'%s' %s", buf, err);
    unlink(pw);
    CHECK(refused_at(text, 2, "caldav.secret", err, sizeof err), "a missing password file: %s", err);
    CHECK(secret_check(dir, err, sizeof err) == SECRET_ERR_NOT_FILE, "a folder: %s", err);
}

/* Each case is a whole file; "%K" in a line template is replaced by each key of a kind. */
static const char *const int_keys[] = {"idle_timeout", "rotation", "sync_interval", "booking_retry", "disk_reserve_mib"};
static const char *const bad_ints[] = {"", "90s", "90abc", "4294967306", "-1", "+30", " ", "0x1e", "1e3", "3.5",
                                       "9223372036854775808", "-9223372036854775809", "١٢٠", "30 30", "nan"};
static const char *const bool_keys[] = {"sounds", "booking"};
static const char *const bad_bools[] = {"", "onn", "1", "0", "y", "n", "enabled", "ja", "on off", "truee"};
static const char *const bad_floats[] = {"nan", "NaN", "-nan", "inf", "-inf", "infinity", "1e30", "1e-30", "1000",
                                         "-4", "0x10", "4,5", "4.5mm", "", "1.5", "25.01", "1e308", "4..5"};
static const char *const bad_files[] = {
    "[kiosc]\nidle_timeout = 30\n",
    "idle_timeout = 30\n",
    "[kiosk]\n[display]\nrotation = 90\n",
    "[kiosk]\nbooking = on\n[kiosk2]\n",
    "[ kiosk ]\nbooking = on\n",
    "[KIOSK]\n",
    "[]\n",
    "[\n",
    "[kiosk]\n=\n",
    "[kiosk]\n= on\n",
    "[kiosk]\nbooking\n",
    "[kiosk]\nidle_timeout = 30\nidle_timeout = 40\n",
    "[kiosk]\nstaff_pin = 2468\n",
    "[kiosk]\nstaff_pin_hash = $argon2i$v=19$m=16384,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI\n",
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=16384,t=3,p=1$$\n",
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=99999999999,t=3,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQI\n",
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=16384,t=4,p=1$EdWg0sj3zvj2uT985SFmMw$FUiEFHafRGYtMBEKwohsVj2HJntVFjAT8YvEZVnHFQX\n",
    "[kiosk]\nstaff_pin_hash = $2y$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ0123\n",
    "[kiosk]\nstaff_pin_hash = " WEAK_HASH "\n",
    "[kiosk]\nstaff_pin_hash = " T2_HASH "\n",
    "[kiosk]\nstaff_pin_hash = " M64_HASH "\n",
    "[kiosk]\nstaff_pin_hash = " T1_HASH "\n",
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=131071,t=3,p=1$gh94E93rgUg9bSCKNY8ixQ$lXmhjujgYJCqGMrWwjduPaxyEjA/hhoU12HO7NSFhTs\n",
    "[kiosk]\ntrusted_keys = /nonexistent.pub\n",
    "[kiosk]\ntrusted_keys = content/keys/demo.pub, content/keys/demo.secret\n",
    "[kiosk]\ntrusted_keys = kiosk.example.ini\n",
    "[kiosk]\ntrusted_keys = content/keys\n",
    "[kiosk]\ncaldav_password_file = /nonexistent.secret\n",
    "[kiosk]\ncaldav_password_file = kiosk.example.ini\n",
    "[kiosk]\ndefault_language =\n",
    "[kiosk]\ndefault_language = english\n",
    "[kiosk]\nlanguages = ,\n",
    "[kiosk]\nlanguages = de;en\n",
    "[kiosk]\nlanguages = de,de\n",
    "[kiosk]\nlanguages = de,,ar\n",
    "[kiosk]\nlanguages = de,ar,\n",
    "[kiosk]\nlanguages = de,ar, \n",
    /* old Mac line ends: inih saw one line, the header, and ignored the rest unchecked */
    "[kiosk]\rcontent = /nonexistent.db\rbogus_key = 1\r",
    "[kiosk]\nbooking = on\rbogus_key = 1\n",
    "[kiosk]\nidle_timeout : 30\n",
    "[kiosk]\nlocation = Rathaus\xe2\x80\xa8" "Erdgeschoss\n",
    "[kiosk]\nlocation = Rathaus\xe2\x80\xa9\n",
    "[kiosk]\nbogus_key: 1\n",
    "[kiosk]\nlanguages = ar,fa\n",
    "[kiosk]\ndefault_language = ku\nlanguages = de,ar\n",
    "[kiosk]\nlanguages = de,ar\ndefault_language = ckb\n",
    "[kiosk]\nstore_url = https://content.example/a b\n",
    "[kiosk]\nstore_url = https://content.example/a\x7f\n",
    "[kiosk]\nstore_url = https:// content.example/\n",
    "[kiosk]\nstore_url = https://\n",
    "[kiosk]\nstore_url = http://\n",
    "[kiosk]\nstore_url = http://u:p@content.example/\n",
    "[kiosk]\nstore_url = http://u@content.example/\n",
    "[kiosk]\nstore_url = https://x\"y.example/\n",
    "[kiosk]\nstore_url = https://content.example:0/\n",
    "[kiosk]\nstore_url = https://content.example:/\n",
    "[kiosk]\ncaldav_url = http://caldav.example/\n",
    "[kiosk]\ncaldav_url = http://10.0.0.5:5232/kiosk/\n",
    "[kiosk]\ncaldav_url = http://127.0.0.2/\n",
    "[kiosk]\ncaldav_url = http://localhost.evil.example/\n",
    "[kiosk]\ncaldav_url = http://[::2]/\n",
    "[kiosk]\ncaldav_url = http://[::ffff:127.0.0.1]/\n",
    "[kiosk]\ncaldav_url = http://0x7f000001/\n",
    "[kiosk]\ncaldav_url = http://127.0.0.1@caldav.example/\n",
    "[kiosk]\ncaldav_url = http://localhost:5232@caldav.example/\n",
    "[kiosk]\ncaldav_url = HTTP://caldav.example/\n",
    "[kiosk]\ncaldav_url = https://caldav.example/\\kiosk\n",
    "[kiosk]\ndata_dir =\n",
    "[kiosk]\nmedia_dir =\n",
    "[kiosk]\nsite_id = ../../etc\n",
    "[kiosk]\nkiosk_id = a b\n",
    "[kiosk]\nkiosk_id = \"x\",\"y\":\"z\n",
    "[kiosk]\nstore_url = file:///etc/passwd\n",
    "[kiosk]\ncaldav_url = caldav.example\n",
    "[kiosk]\nlocation = Rathaus\x1b[2J\n",
    "[kiosk]\ncontent = a\n    b\n",
    "[kiosk]\n\tbooking = on\n",
    /* inih strips these like spaces: a header with junk, a value with control characters */
    "\f[kiosk] junk\n",
    "\xef\xbb\xbf\xef\xbb\xbf[kiosk] junk\n",
    "\xef\xbb\xbf\xef\xbb\xbf[bogus]\n[kiosk]\n",
    "[kiosk]\nsounds = on\v\f\n",
    "[kiosk]\nsounds =\v\f on\n",
    /* no [kiosk] header at all: a file cut short would start without keys or PIN */
    "; only a comment\n",
    "\n",
    /* costs no board verifies: the right PIN would count as wrong for good */
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=4294967295,t=3,p=1$pbw2MPGrae+x9ybhdVaoOw$Kc1wJaoLbz9atCpFGq5utSpy+Kubc58hX0SkVls+mk0\n",
    "[kiosk]\nstaff_pin_hash = $argon2id$v=19$m=131072,t=3,p=255$pbw2MPGrae+x9ybhdVaoOw$Kc1wJaoLbz9atCpFGq5utSpy+Kubc58hX0SkVls+mk0\n",
};

typedef struct tally { int tried, refused, accepted, crashed; } tally;

/* Load one file in a child, so a crash is counted instead of ending the test. */
static void try_file(tally *t, const char *text, size_t len)
{
    write_file(ini, text, len);
    int fd[2];
    if (pipe(fd) != 0) return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        app_config c;
        char err[1200] = "";
        app_config_defaults(&c);
        int rc = app_config_load(&c, ini, err, sizeof err);
        if (write(fd[1], err, strlen(err)) < 0) _exit(3);
        _exit(rc == CONFIG_OK ? 0 : 1);
    }
    close(fd[1]);
    char msg[1200];
    size_t got = 0;
    ssize_t n;
    while (got + 1 < sizeof msg && (n = read(fd[0], msg + got, sizeof msg - 1 - got)) > 0) got += (size_t)n;
    msg[got] = 0;
    close(fd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    t->tried++;
    char prefix[720];
    snprintf(prefix, sizeof prefix, "%s:", ini);
    if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
        t->crashed++;
        printf("crashed on: %.*s\n", (int)len, text);
    } else if (WEXITSTATUS(st) == 0) {
        t->accepted++;
        printf("accepted: %.*s\n", (int)len, text);
    } else if (!strncmp(msg, prefix, strlen(prefix)) && msg[strlen(prefix)] >= '1' && msg[strlen(prefix)] <= '9') {
        t->refused++;
    } else {
        printf("refused without FILE:LINE: %s\n", msg);
    }
}

TEST(bad_config_matrix)
{
    tally t = {0};
    char text[600];
    for (size_t k = 0; k < sizeof int_keys / sizeof *int_keys; k++)
        for (size_t v = 0; v < sizeof bad_ints / sizeof *bad_ints; v++) {
            snprintf(text, sizeof text, "[kiosk]\n%s = %s\n", int_keys[k], bad_ints[v]);
            try_file(&t, text, strlen(text));
        }
    static const char *const out_of_range[] = {"idle_timeout = 14", "idle_timeout = 3601", "rotation = 360",
                                               "rotation = 91", "sync_interval = 9", "booking_retry = 0",
                                               "booking_retry = 86401", "sync_interval = 604801",
                                               "disk_reserve_mib = 0", "disk_reserve_mib = 1048577",
                                               "publication = ../x", "publication = a b"};
    for (size_t i = 0; i < sizeof out_of_range / sizeof *out_of_range; i++) {
        snprintf(text, sizeof text, "[kiosk]\n%s\n", out_of_range[i]);
        try_file(&t, text, strlen(text));
    }
    for (size_t k = 0; k < sizeof bool_keys / sizeof *bool_keys; k++)
        for (size_t v = 0; v < sizeof bad_bools / sizeof *bad_bools; v++) {
            snprintf(text, sizeof text, "[kiosk]\n%s = %s\n", bool_keys[k], bad_bools[v]);
            try_file(&t, text, strlen(text));
        }
    for (size_t v = 0; v < sizeof bad_floats / sizeof *bad_floats; v++) {
        snprintf(text, sizeof text, "[kiosk]\npx_per_mm = %s\n", bad_floats[v]);
        try_file(&t, text, strlen(text));
    }
    for (size_t i = 0; i < sizeof bad_files / sizeof *bad_files; i++) {
        try_file(&t, bad_files[i], strlen(bad_files[i]));
    }
    static const char nul[] = "[kiosk]\nbooking = on\0off\n";
    try_file(&t, nul, sizeof nul - 1);
    /* every string setting too long for its field, and with a control character */
    static const char *const str_keys[] = {"content", "data_dir", "languages", "media_dir", "state", "site_id",
                                           "kiosk_id", "location", "store_url", "caldav_url", "caldav_user"};
    for (size_t k = 0; k < sizeof str_keys / sizeof *str_keys; k++) {
        snprintf(text, sizeof text, "[kiosk]\n%s = x\x01y\n", str_keys[k]);
        try_file(&t, text, strlen(text));
    }
    static const char *const short_keys[] = {"site_id", "kiosk_id", "caldav_user"};
    for (size_t k = 0; k < sizeof short_keys / sizeof *short_keys; k++) {
        int o = snprintf(text, sizeof text, "[kiosk]\n%s = ", short_keys[k]);
        memset(text + o, 'a', 150);
        snprintf(text + o + 150, sizeof text - (size_t)o - 150, "\n");
        try_file(&t, text, strlen(text));
    }
    /* a line past inih's buffer, a setting after an unknown section, a header on the last line */
    memset(text, 0, sizeof text);
    snprintf(text, sizeof text, "[kiosk]\ncontent = ");
    memset(text + strlen(text), 'p', 400);
    try_file(&t, text, strlen(text));
    try_file(&t, "[kiosk]\nbooking = on\n[sync]", strlen("[kiosk]\nbooking = on\n[sync]"));

    printf("config matrix: tried %d, refused with a message %d, accepted %d, crashed %d\n", t.tried, t.refused,
           t.accepted, t.crashed);
    CHECK(t.tried > 150, "%d files", t.tried);
    CHECK(t.refused == t.tried && !t.accepted && !t.crashed, "refused %d of %d, accepted %d, crashed %d", t.refused,
          t.tried, t.accepted, t.crashed);
}

/*
 * What an operator's editor or a copy from the web leaves in a file: key lists with empty or
 * repeated entries, a key "file" that is a FIFO or a folder (a FIFO would hold the kiosk at its
 * start for good), bytes that are not UTF-8, bidi overrides in a text shown to staff, junk after
 * the header; and CRLF line endings, which are fine.
 */
TEST(odd_values)
{
    char err[1200], text[1400];
    app_config c;
    CHECK(refused_at("[kiosk]\ntrusted_keys = ,\n", 2, "trusted_keys: an empty entry", err, sizeof err),
          "a list of nothing is no key: %s", err);
    CHECK(refused_at("[kiosk]\ntrusted_keys = content/keys/demo.pub,,content/keys/demo.pub\n", 2, "empty entry", err,
                     sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ntrusted_keys = content/keys/demo.pub ,\n", 2, "empty entry", err, sizeof err),
          "a trailing comma: %s", err);
    CHECK(refused_at("[kiosk]\ntrusted_keys = content/keys/demo.pub, content/keys/demo.pub\n", 2, "listed twice", err,
                     sizeof err), "%s", err);
    check_sh("cp content/keys/demo.pub %s/copy.pub && rm -f %s/other.* && %s/kiosk-pack keygen %s/other >/dev/null", dir,
             dir, build, dir);
    snprintf(text, sizeof text, "[kiosk]\ntrusted_keys = content/keys/demo.pub,%s/copy.pub\n", dir);
    CHECK(refused_at(text, 2, "listed twice", err, sizeof err), "the same key under two names: %s", err);
    snprintf(text, sizeof text, "[kiosk]\ntrusted_keys =   content/keys/demo.pub ,  %s/other.pub\n", dir);
    CHECK(load(text, &c, err, sizeof err) == CONFIG_OK && c.trust.nkeys == 2, "spaces around entries: %d keys (%s)",
          c.trust.nkeys, err);
    snprintf(text, sizeof text, "[kiosk]\ntrusted_keys = %s\n", dir);
    CHECK(refused_at(text, 2, "not a regular file", err, sizeof err), "a folder: %s", err);
    CHECK(refused_at("[kiosk]\ntrusted_keys = /dev/zero\n", 2, "not a regular file", err, sizeof err), "%s", err);
    check_sh("rm -f %s/fifo.pub && mkfifo %s/fifo.pub", dir, dir);
    snprintf(text, sizeof text, "[kiosk]\n\ntrusted_keys = %s/fifo.pub\n", dir);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(10); /* a FIFO no one writes would block the read for ever */
        _exit(refused_at(text, 3, "not a regular file", err, sizeof err) ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a FIFO as key file refused, not waited on (status %d)", st);
    /* text is UTF-8 without bidi overrides or C1 controls */
    CHECK(refused_at("[kiosk]\nlocation = Rath\xff\xfe" "aus\n", 2, "location: not UTF-8", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ncaldav_user = \xc3\x28\n", 2, "caldav_user: not UTF-8", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\ncontent = /var/lib/\xed\xa0\x80.db\n", 2, "not UTF-8", err, sizeof err),
          "a UTF-16 surrogate: %s", err);
    CHECK(refused_at("[kiosk]\nlocation = \xe2\x80\xae" "evil\n", 2, "location: a bidi", err, sizeof err),
          "U+202E: %s", err);
    CHECK(refused_at("[kiosk]\nlocation = a\xc2\x85" "b\n", 2, "control", err, sizeof err), "U+0085: %s", err);
    CHECK(load("[kiosk]\nlocation = Rathaus \xe2\x80\x93 Foyer (\xd8\xb4\xd9\x87\xd8\xb1)\n", &c, err, sizeof err) ==
              CONFIG_OK,
          "UTF-8 with Arabic letters and a dash is fine: %s", err);
    CHECK(refused_at("[kiosk] junk\nbooking = on\n", 1, "after the header", err, sizeof err), "%s", err);
    CHECK(load("[kiosk] ; the settings\nbooking = on\n", &c, err, sizeof err) == CONFIG_OK, "a comment after it: %s", err);
    CHECK(load("\xef\xbb\xbf[kiosk]\r\nbooking = off\r\nidle_timeout = 30\r\nlocation = Foyer\r\n", &c, err,
               sizeof err) == CONFIG_OK &&
              !c.booking && c.idle_timeout_s == 30 && !strcmp(c.location, "Foyer"),
          "a BOM and CRLF line endings: %s", err);
}

/* renderer = auto | software: software for boards whose memory an accelerated driver would take. */
/* Only a regular settings file of a sensible size is read: a FIFO held the kiosk at its start for
 * good, /dev/zero and a 3 GB line grew its memory without bound. */
TEST(config_file_kinds)
{
    char fifo[720], big[720], err[1200];
    snprintf(fifo, sizeof fifo, "%s/kiosk.fifo", dir);
    unlink(fifo);
    CHECK(mkfifo(fifo, 0600) == 0, "a FIFO made");
    snprintf(big, sizeof big, "%s/big.ini", dir);
    FILE *f = fopen(big, "w");
    if (f) {
        fputs("[kiosk]\nbooking = on\n", f);
        for (int i = 0; i < 2000; i++) fputs("; a comment line to make the file larger than any settings file\n", f);
        fputs("bogus_key = 1\n", f);
        fclose(f);
    }
    const char *paths[] = {fifo, "/dev/zero", dir, big};
    for (int i = 0; i < 4; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(10); /* a read that blocks ends the child with SIGALRM: the check fails */
            app_config c;
            app_config_defaults(&c);
            int rc = app_config_load(&c, paths[i], err, sizeof err);
            printf("  %s\n", err);
            fflush(stdout);
            _exit(rc == CONFIG_ERR_READ && strstr(err, paths[i]) ? 0 : 1);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: refused at once with its name (status %d)", paths[i], st);
    }
    unlink(fifo);
    unlink(big);
}

TEST(renderer_choice)
{
    char err[1200];
    app_config c;
    app_config_defaults(&c);
    CHECK(c.renderer == CONFIG_RENDERER_AUTO, "default %d", c.renderer);
    CHECK(load("[kiosk]\nrenderer = software\n", &c, err, sizeof err) == CONFIG_OK && c.renderer == CONFIG_RENDERER_SOFTWARE,
          "%s", err);
    CHECK(load("[kiosk]\nrenderer = auto\n", &c, err, sizeof err) == CONFIG_OK && c.renderer == CONFIG_RENDERER_AUTO, "%s",
          err);
    CHECK(refused_at("[kiosk]\nrenderer = opengl\n", 2, "renderer", err, sizeof err), "%s", err);
    CHECK(refused_at("[kiosk]\nrenderer =\n", 2, "renderer", err, sizeof err), "%s", err);
}

/* The kiosk itself names FILE:LINE and does not start. */
TEST(kiosk_refuses_to_start)
{
    char cmd[2000], out[2000];
    static const char *const files[] = {"[kiosc]\nidle_timeout = 30\n", "[kiosk]\n\npx_per_mm = nan\n",
                                        "[kiosk]\ntrusted_keys = /nonexistent.pub\n"};
    static const int lines[] = {1, 3, 2};
    for (int i = 0; i < 3; i++) {
        write_file(ini, files[i], strlen(files[i]));
        snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy %s/kiosk --config %s --first-frame 2>&1", build, ini);
        FILE *p = popen(cmd, "r");
        size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
        out[got] = 0;
        int st = p ? pclose(p) : -1;
        char want[800];
        snprintf(want, sizeof want, "%s:%d: ", ini, lines[i]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 0 && strstr(out, want) && !strstr(out, "first_frame_done"),
              "status %d, said: %s", st, out);
    }
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy %s/kiosk --px-per-mm 1e30 --first-frame 2>&1", build);
    FILE *p = popen(cmd, "r");
    size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[got] = 0;
    int st = p ? pclose(p) : -1;
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2 && strstr(out, "px_per_mm"), "status %d, said: %s", st, out);
    /* a second --config, a size that is not plain WxH, content that is a FIFO (SQLite would wait
     * on it past SIGTERM): each refused before a window opens; timeout ends a hang as 124 */
    write_file(ini, "[kiosk]\n", 8);
    char fifo[800];
    snprintf(fifo, sizeof fifo, "%s.fifo-content", ini);
    unlink(fifo);
    CHECK(mkfifo(fifo, 0600) == 0, "mkfifo %s", fifo);
    const char *const args[] = {"--config INI --config INI", "--size 0x0", "--size 10x10junk", "--size -5x-5",
                                "--size 99999999999x480", "--size +800x+480", "--content FIFO"};
    const int codes[] = {2, 2, 2, 2, 2, 2, 1};
    for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
        char a[1600] = "";
        for (const char *q = args[i]; *q; q++) {
            const char *put = !strncmp(q, "INI", 3) ? ini : !strncmp(q, "FIFO", 4) ? fifo : NULL;
            size_t at = strlen(a);
            if (put) snprintf(a + at, sizeof a - at, "%s", put), q += *q == 'I' ? 2 : 3;
            else if (at + 1 < sizeof a) a[at] = *q, a[at + 1] = 0;
        }
        snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=dummy timeout -s KILL 20 %s/kiosk %s --first-frame 2>&1", build, a);
        p = popen(cmd, "r");
        got = p ? fread(out, 1, sizeof out - 1, p) : 0;
        out[got] = 0;
        st = p ? pclose(p) : -1;
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == codes[i] && !strstr(out, "first_frame_done"), "%s: status %d, said: %s",
              args[i], st, out);
    }
    unlink(fifo);
}

/* The longest line is 197 characters before its LF or CRLF, as the README says. */
TEST(line_length_as_documented)
{
    char text[600], err[1200];
    app_config c;
    for (int crlf = 0; crlf < 2; crlf++)
        for (int len = 197; len <= 198; len++) {
            int o = snprintf(text, sizeof text, "[kiosk]\nlocation = ");
            memset(text + o, 'a', (size_t)(len - (o - 8)));
            snprintf(text + 8 + len, sizeof text - 8 - (size_t)len, "%s", crlf ? "\r\n" : "\n");
            int rc = load(text, &c, err, sizeof err);
            CHECK((rc == CONFIG_OK) == (len == 197), "%d characters%s: %s", len, crlf ? " and CRLF" : "", err);
        }
}

/* kiosk-pack pin-hash: at least 6 digits, and costs that make an offline search take days */
TEST(pin_hash_strength)
{
    char cmd[1000], out[300] = "";
    CHECK(check_sh("%s/kiosk-pack pin-hash 12345 >/dev/null 2>&1", build) != 0, "5 digits refused");
    CHECK(check_sh("%s/kiosk-pack pin-hash 12345a >/dev/null 2>&1", build) != 0, "not only digits refused");
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack pin-hash 135792", build);
    FILE *p = popen(cmd, "r");
    if (p && !fgets(out, sizeof out, p)) out[0] = 0;
    if (p) pclose(p);
    out[strcspn(out, "\n")] = 0;
    CHECK(!strncmp(out, "$argon2id$v=19$m=131072,t=3,p=1$", 32), "128 MiB, 3 passes: %s", out);
    char text[600], err[1200];
    snprintf(text, sizeof text, "[kiosk]\nstaff_pin_hash = %s\n", out);
    app_config c;
    CHECK(load(text, &c, err, sizeof err) == CONFIG_OK, "the config takes it: %s", err);
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    snprintf(dir, sizeof dir, "%s/test-config", build);
    snprintf(ini, sizeof ini, "%s/kiosk.ini", dir);
    if (check_sh("rm -rf %s && mkdir -p %s", dir, dir) != 0) return 1;
    RUN(operator_mistakes);
    RUN(secret_files);
    RUN(bad_config_matrix);
    RUN(odd_values);
    RUN(config_file_kinds);
    RUN(renderer_choice);
    RUN(kiosk_refuses_to_start);
    RUN(pin_hash_strength);
    RUN(line_length_as_documented);
    CHECK_DONE();
}
