/*
 * kiosk-pack: the content team's tool. Builds content databases from the JSON sources in
 * content/, checks them, signs them into packs, verifies packs, makes keys and synthetic
 * content. Exit 0 on success, 1 with a message on stderr, 2 on wrong usage.
 */
#include "app/config.h"
#include "import/import.h"
#include "pack/lint.h"
#include "pack/pack.h"
#include "pack/publish.h"
#include "pack/sign.h"
#include "store/local.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

static int usage(void)
{
    fprintf(stderr,
            "usage: kiosk-pack build SRC_DIR OUT.db            JSON sources -> content database\n"
            "       kiosk-pack lint SRC_DIR [FONTS.ini]        references, schedules, translation coverage,\n"
            "                                              characters the kiosk's fonts lack\n"
            "       kiosk-pack keygen BASE                     Ed25519 key pair BASE.pub, BASE.secret\n"
            "       kiosk-pack sign DB KEY.secret OUT.kpack [EXPIRE_DAYS]   sign a content database\n"
            "       kiosk-pack diff OLD.db NEW.db KEY.secret OUT.kpack [EXPIRE_DAYS]   signed delta OLD -> NEW\n"
            "       kiosk-pack publish DIR KEY.secret EXPIRE_DAYS NEW.db [OLDER.db ...]\n"
            "                                              static files for the central store\n"
            "       kiosk-pack verify PACK KEY.pub [BASE.db]   check a pack's signature and payload (and that it applies to BASE)\n"
            "       kiosk-pack install [--switch-publication] PACK KEY.pub CONTENT.db\n"
            "                                              install a pack (all or nothing), as staff mode does\n"
            "       kiosk-pack clock-floor STATE.db [--reset]  show (or reset to now) the newest manifest time seen\n"
            "       kiosk-pack synth OUT.db OFFERS LANGS [PICTOGRAM_DIR]   synthetic content\n"
            "       kiosk-pack pin-hash PIN                    Argon2id hash for the staff_pin_hash setting\n"
            "%s", imp_usage());
    return 2;
}

/* A plain copy of a file (the verify command's scratch database). 0, or -1. */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
    if (in && ferror(in)) rc = -1;
    if (out && fclose(out) != 0) rc = -1;
    if (in) fclose(in);
    return rc;
}

static int done(int rc, const char *err)
{
    if (rc != 0) fprintf(stderr, "kiosk-pack: %s\n", err);
    return rc != 0;
}

int main(int argc, char **argv)
{
    char err[1024] = "";
    store_setup(); /* before the first database is opened */
    if (argc < 2) return usage();
    const char *cmd = argv[1];
    int irc = imp_command(argc, argv, stderr);
    if (irc >= 0) return irc == 2 ? usage() : irc;
    if (!strcmp(cmd, "build") && argc == 4) return done(pack_build(argv[2], argv[3], err, sizeof err), err);
    if (!strcmp(cmd, "lint") && (argc == 3 || argc == 4)) {
        /* the kiosk's font configuration: given, in this checkout, or where make install puts it */
        static const char *const fonts[] = {"fonts/fallback.ini", "/usr/local/share/kiosk/fonts/fallback.ini",
                                            "/usr/share/kiosk/fonts/fallback.ini"};
        const char *conf = argc == 4 ? argv[3] : NULL;
        for (size_t i = 0; !conf && i < sizeof fonts / sizeof *fonts; i++)
            if (access(fonts[i], R_OK) == 0) conf = fonts[i];
        return lint_sources(argv[2], conf, stdout) != 0;
    }
    if (!strcmp(cmd, "keygen") && argc == 3) return done(pack_keygen(argv[2], err, sizeof err), err);
    if (!strcmp(cmd, "sign") && (argc == 5 || argc == 6)) {
        int days = argc == 6 ? atoi(argv[5]) : 365;
        if (days <= 0) return usage();
        return done(pack_sign(argv[2], argv[3], days, argv[4], err, sizeof err), err);
    }
    if (!strcmp(cmd, "diff") && (argc == 6 || argc == 7)) {
        int days = argc == 7 ? atoi(argv[6]) : 365;
        if (days <= 0) return usage();
        return done(pack_sign_delta(argv[2], argv[3], argv[4], days, argv[5], err, sizeof err), err);
    }
    if (!strcmp(cmd, "publish") && argc >= 6) {
        int days = atoi(argv[4]);
        if (days <= 0) return usage();
        return done(pack_publish(argv[2], argv[3], days, (const char *const *)argv + 5, argc - 5, err, sizeof err), err);
    }
    if (!strcmp(cmd, "verify") && (argc == 4 || argc == 5)) {
        pack_trust t = {0};
        if (pack_trust_add_file(&t, argv[3], err, sizeof err)) return done(-1, err);
        /* checks that need a database run in a scratch folder that is then thrown away */
        char scratch[] = "/tmp/kiosk-pack-verify-XXXXXX", content[sizeof scratch + 16], extra[sizeof content + 8];
        if (!mkdtemp(scratch)) return done(-1, "cannot create a scratch folder");
        snprintf(content, sizeof content, "%s/content.db", scratch);
        pack_manifest m;
        int rc = pack_verify(argv[2], &t, scratch, (int64_t)time(NULL), &m, err, sizeof err);
        if (rc == PACK_OK && argc == 5) {
            /* does it apply to that database: an installation onto a copy of it */
            pack_policy pol = {.now = (int64_t)time(NULL)};
            if (copy_file(argv[4], content) != 0) {
                snprintf(err, sizeof err, "%s: cannot copy", argv[4]);
                rc = PACK_ERR_IO;
            } else {
                rc = pack_install(argv[2], content, &t, &pol, &m, err, sizeof err);
            }
        }
        remove(content);
        snprintf(extra, sizeof extra, "%s.lock", content);
        remove(extra);
        snprintf(extra, sizeof extra, "%s.prev", content);
        remove(extra);
        rmdir(scratch);
        if (rc != PACK_OK) return done(-1, err);
        if (!strcmp(m.kind, "delta"))
            printf("ok: delta %s %lld -> %lld, %lld bytes, key %s%s%s\n", m.pack_id, (long long)m.base_version,
                   (long long)m.content_version, (long long)m.payload_size, m.key_id,
                   argc == 5 ? ", applies to " : "; not tried on content (give BASE.db to check that it applies)",
                   argc == 5 ? argv[4] : "");
        else
            printf("ok: pack %s, content version %lld, %lld bytes, key %s\n", m.pack_id, (long long)m.content_version,
                   (long long)m.payload_size, m.key_id);
        return 0;
    }
    if (!strcmp(cmd, "pin-hash") && argc == 3) {
        /* The hash sits in kiosk.ini: 6 digits and 128 MiB x 3 passes (about 0.6 s per
         * guess here, see README) make a search of all million PINs take days, not seconds. */
        char out[crypto_pwhash_STRBYTES];
        const char *pin = argv[2];
        if (strlen(pin) < CONFIG_PIN_MIN_DIGITS || strlen(pin) > CONFIG_PIN_MAX_DIGITS || strspn(pin, "0123456789") != strlen(pin))
            return done(-1, "a PIN is 6 to 16 digits"); /* CONFIG_PIN_MIN_DIGITS to CONFIG_PIN_MAX_DIGITS */
        if (sodium_init() < 0 || crypto_pwhash_str(out, pin, strlen(pin), CONFIG_PIN_OPSLIMIT, CONFIG_PIN_MEMLIMIT) != 0)
            return done(-1, "cannot hash the PIN (out of memory?)");
        printf("%s\n", out);
        return 0;
    }
    if (!strcmp(cmd, "clock-floor") && (argc == 3 || (argc == 4 && !strcmp(argv[3], "--reset")))) {
        /* the way out when a manifest dated far ahead froze a kiosk without a synchronised clock */
        local *l = NULL;
        if (local_open(&l, argv[2], err, sizeof err) != 0) return done(-1, err);
        int64_t was = local_get_int(l, "newest_manifest_time", 0), now = (int64_t)time(NULL);
        int rc = argc == 4 ? local_set_int(l, "newest_manifest_time", now) : 0;
        local_close(l);
        if (rc != 0) return done(-1, "cannot write the state database");
        char a[32], b[32];
        pack_time_format(was, a, sizeof a);
        pack_time_format(now, b, sizeof b);
        printf(argc == 4 ? "clock floor was %s, now %s\n" : "clock floor %s (clock %s)\n", a, b);
        return 0;
    }
    int sw = 0;
    if (!strcmp(cmd, "install") && argc > 2 && !strcmp(argv[2], "--switch-publication")) {
        /* staff chose to show another publication (e.g. production after a test pack) */
        sw = 1;
        for (int k = 2; k < argc; k++) argv[k] = argv[k + 1];
        argc--;
    }
    if (!strcmp(cmd, "install") && argc == 5) {
        pack_trust t = {0};
        if (pack_trust_add_file(&t, argv[3], err, sizeof err)) return done(-1, err);
        /* the installed version is the one in the current content database, if there is one */
        /* another installer (the kiosk's sync, staff mode) may hold the content for a while */
        pack_policy pol = {.now = (int64_t)time(NULL), .lock_wait_ms = 30000, .switch_publication = sw};
        FILE *probe = fopen(argv[4], "rb");
        if (probe) {
            fclose(probe);
            char v[32] = "";
            if (pack_content_version(argv[4], v, sizeof v) == 0) pol.installed_version = atoll(v);
        }
        pack_manifest m;
        if (pack_install(argv[2], argv[4], &t, &pol, &m, err, sizeof err) != PACK_OK) return done(-1, err);
        printf("installed: %s version %lld\n", m.pack_id, (long long)m.content_version);
        return 0;
    }
    if (!strcmp(cmd, "synth") && (argc == 5 || argc == 6)) {
        int n = atoi(argv[3]), l = atoi(argv[4]);
        if (n <= 0 || l <= 0) return usage();
        return done(pack_synth(argv[2], n, l, 42, argc == 6 ? argv[5] : NULL, err, sizeof err), err);
    }
    return usage();
}
