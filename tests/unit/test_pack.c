/* Signed packs: a good pack installs; each kind of bad pack is refused with its own reason and
 * the installed content stays; a kill -9 during installation never leaves a mix. */
#define SQLITE_ENABLE_SESSION 1 /* a hostile delta is made with sessions below */
#include "check.h"
#include "fail_readdir.h"
#include "pack/install_priv.h"
#include "pack/pack.h"
#include "pack/publish.h"
#include "pack/sign.h"
#include "procio.h"
#include "store/store.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define DIR "build/packtest"
static pack_trust trust;
static const char *build_dir = "build"; /* where kiosk and kiosk-pack of this build are */

static void sh(const char *cmd)
{
    if (system(cmd) != 0) printf("command failed: %s\n", cmd);
}

/* A content database of the mini fixture with the given version. */
static void make_db(int version, const char *out)
{
    char cmd[512], err[1024];
    snprintf(cmd, sizeof cmd,
             "rm -rf " DIR "/src && cp -r tests/fixtures/mini " DIR "/src && ln -sfn ../../../content/pictograms " DIR
             "/src/pictograms && sed -i 's/\"version\": 3/\"version\": %d/' " DIR "/src/pack.json",
             version);
    sh(cmd);
    if (pack_build(DIR "/src", out, err, sizeof err) != 0) printf("build: %s\n", err);
}

static int64_t installed(const char *db)
{
    store *s = NULL;
    char err[512];
    if (store_open(&s, db, err, sizeof err) != 0) return -1;
    char *v = store_meta(s, "content_version");
    int64_t n = v ? atoll(v) : -1;
    free(v);
    store_close(s);
    return n;
}

/* Staging files beside the content (CONTENT.new, CONTENT.new.XXXXXX and their journals). */
static int leftovers(const char *content)
{
    char pat[600];
    glob_t g;
    snprintf(pat, sizeof pat, "%s.new*", content);
    int n = glob(pat, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    for (int i = 0; i < n; i++) printf("left: %s\n", g.gl_pathv[i]);
    globfree(&g);
    return n;
}

static int install(const char *pack, int64_t have, char *err, size_t errlen)
{
    pack_policy pol = {.installed_version = have, .now = (int64_t)time(NULL)};
    pack_manifest m;
    return pack_install(pack, DIR "/content.db", &trust, &pol, &m, err, errlen);
}

static void flip(const char *src, const char *dst, long at)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s", src, dst);
    sh(cmd);
    FILE *f = fopen(dst, "r+b");
    fseek(f, at < 0 ? at : at, at < 0 ? SEEK_END : SEEK_SET);
    int c = fgetc(f);
    fseek(f, at < 0 ? at : at, at < 0 ? SEEK_END : SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
}

TEST(good_pack)
{
    char err[1024];
    make_db(2, DIR "/v2.db");
    make_db(3, DIR "/v3.db");
    make_db(4, DIR "/v4.db");
    CHECK(pack_sign(DIR "/v2.db", "content/keys/demo.secret", 30, DIR "/v2.kpack", err, sizeof err) == 0, "sign: %s", err);
    CHECK(pack_sign(DIR "/v3.db", "content/keys/demo.secret", 30, DIR "/v3.kpack", err, sizeof err) == 0, "sign v3");
    CHECK(pack_sign(DIR "/v4.db", "content/keys/demo.secret", 30, DIR "/v4.kpack", err, sizeof err) == 0, "sign v4");
    unlink(DIR "/content.db");
    CHECK(install(DIR "/v2.kpack", 0, err, sizeof err) == PACK_OK, "install v2: %s", err);
    CHECK(installed(DIR "/content.db") == 2, "v2 installed");
    CHECK(install(DIR "/v3.kpack", 2, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 3, "v3 over v2");
    pack_manifest m;
    CHECK(pack_read_manifest(DIR "/v4.kpack", &trust, &m, err, sizeof err) == PACK_OK && m.content_version == 4 &&
              !strcmp(m.pack_id, "mini"),
          "manifest reads");
}

/* Each bad pack: its own error, its own words, and v3 still installed and readable. */
static void refused(const char *pack, int64_t have, int code, const char *words)
{
    char err[1024];
    int rc = install(pack, have, err, sizeof err);
    CHECK(rc == code, "%s: code %d, expected %d (%s)", pack, rc, code, err);
    CHECK(strstr(err, words) != NULL, "%s: message \"%s\" says \"%s\"", pack, err, words);
    CHECK(installed(DIR "/content.db") == 3, "%s: old content intact", pack);
    CHECK(leftovers(DIR "/content.db") == 0, "%s: no staged leftovers", pack);
}

TEST(bad_packs)
{
    char err[1024];
    flip(DIR "/v4.kpack", DIR "/payload-flip.kpack", -5000);
    refused(DIR "/payload-flip.kpack", 3, PACK_ERR_DAMAGED, "damaged");
    flip(DIR "/v4.kpack", DIR "/manifest-flip.kpack", 40);
    refused(DIR "/manifest-flip.kpack", 3, PACK_ERR_SIGNATURE, "signature does not match");
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s/kiosk-pack keygen " DIR "/other > /dev/null", build_dir);
        sh(cmd);
    }
    pack_sign(DIR "/v4.db", DIR "/other.secret", 30, DIR "/wrong-key.kpack", err, sizeof err);
    refused(DIR "/wrong-key.kpack", 3, PACK_ERR_SIGNATURE, "signature does not match");
    refused(DIR "/v2.kpack", 3, PACK_ERR_OLDER, "older than the installed");
    refused(DIR "/v3.kpack", 3, PACK_ERR_SAME, "already installed");
    pack_sign(DIR "/v4.db", "content/keys/demo.secret", 1, DIR "/expired.kpack", err, sizeof err);
    {
        /* a kiosk whose clock reads two days ahead */
        pack_policy pol = {.installed_version = 3, .now = (int64_t)time(NULL) + 2 * 86400};
        pack_manifest m;
        int rc = pack_install(DIR "/expired.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err);
        CHECK(rc == PACK_ERR_EXPIRED && strstr(err, "expired"), "expired: %s", err);
        /* a kiosk without a real-time clock (epoch) still refuses it once it has seen a newer manifest */
        pol.now = 0;
        pol.newest_seen = (int64_t)time(NULL) + 3 * 86400;
        rc = pack_install(DIR "/expired.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err);
        CHECK(rc == PACK_ERR_EXPIRED, "clock never runs back before the newest manifest: %s", err);
    }
    sh("head -c 3000 " DIR "/v4.kpack > " DIR "/truncated.kpack");
    refused(DIR "/truncated.kpack", 3, PACK_ERR_DAMAGED, "damaged");
    sh("head -c 200 " DIR "/v4.kpack > " DIR "/truncated-manifest.kpack");
    refused(DIR "/truncated-manifest.kpack", 3, PACK_ERR_DAMAGED, "damaged");
    sh("head -c 100000 /dev/urandom > " DIR "/random.kpack");
    refused(DIR "/random.kpack", 3, PACK_ERR_NOT_PACK, "not a content pack");
    sh("cp tests/fixtures/mini/pack.json " DIR "/json.kpack");
    refused(DIR "/json.kpack", 3, PACK_ERR_NOT_PACK, "not a content pack");
    /* a properly signed SQLite file that is not our content */
    sh("rm -f " DIR "/alien.db && sqlite3 " DIR "/alien.db \"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
       "INSERT INTO meta VALUES('schema_version','99'),('pack_id','mini'),('content_version','9')\"");
    CHECK(pack_sign(DIR "/alien.db", "content/keys/demo.secret", 30, DIR "/alien.kpack", err, sizeof err) == 0, "sign alien");
    refused(DIR "/alien.kpack", 3, PACK_ERR_SCHEMA, "does not fit this kiosk");
    /* huge: a sparse file over the limit is refused before it is read */
    sh("rm -f " DIR "/huge.kpack && cp " DIR "/v4.kpack " DIR "/huge.kpack && truncate -s 3G " DIR "/huge.kpack");
    refused(DIR "/huge.kpack", 3, PACK_ERR_TOO_BIG, "too large");
    refused(DIR "/missing.kpack", 3, PACK_ERR_IO, "could not be read");
    /* a FIFO named like a pack (a stick formatted ext4) would hold fopen for good: staff mode's
     * scan on the UI thread, the installer with its lock; a device is no pack either */
    sh("rm -f " DIR "/fifo.kpack " DIR "/zero.kpack && mkfifo " DIR "/fifo.kpack && ln -s /dev/zero " DIR "/zero.kpack");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(20);
        pack_manifest m;
        char e[512];
        int a = pack_read_manifest(DIR "/fifo.kpack", &trust, &m, e, sizeof e) == PACK_ERR_IO && strstr(e, "not a regular file");
        refused(DIR "/fifo.kpack", 3, PACK_ERR_IO, "not a regular file");
        refused(DIR "/zero.kpack", 3, PACK_ERR_IO, "not a regular file");
        fflush(stdout);
        _exit(a && !check_failed_ ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a FIFO and a device as packs: refused at once (status %d)", st);
}

TEST(kill_during_install)
{
    /* kill -9 at random moments while v4 installs over v3: always v3 or v4, never a mix */
    char err[1024];
    srand(7);
    /* kill times spread over one and a half installs, measured here: slow machines too */
    sh("cp " DIR "/v3.db " DIR "/content.db");
    /* the slowest of three (a busy machine varies), and the fork before each install */
    long span = 1;
    for (int k = 0; k < 3; k++) {
        struct timespec t0, t1;
        sh("cp " DIR "/v3.db " DIR "/content.db");
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) _exit(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK ? 0 : 1);
        int status = 1;
        waitpid(pid, &status, 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "timed install %d", k);
        long us = ((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000) * 3 / 2 + 1;
        if (us > span) span = us;
    }
    int mixed = 0, saw_new = 0, saw_old = 0;
    for (int i = 0; i < 40; i++) {
        sh("cp " DIR "/v3.db " DIR "/content.db");
        pid_t pid = fork();
        if (pid == 0) {
            install(DIR "/v4.kpack", 3, err, sizeof err);
            _exit(0);
        }
        usleep((useconds_t)(rand() % span));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int64_t v = installed(DIR "/content.db");
        if (v == 3) saw_old++;
        else if (v == 4) saw_new++;
        else mixed++;
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        int ok = sqlite3_open_v2(DIR "/content.db", &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
                 sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
        sqlite3_close(db);
        if (!ok) mixed++;
        pack_cleanup(DIR "/content.db");
    }
    CHECK(mixed == 0, "%d runs left a broken or mixed database", mixed);
    CHECK(saw_old + saw_new == 40 && saw_old > 0 && saw_new > 0, "kills landed before and after the switch: old %d, new %d", saw_old, saw_new);
}

/* The list rows and counts of a database edited with sqlite3 made again from its content, as
 * kiosk-pack build makes them (else an installer refuses its rows as not the content's). */
static int rederive(const char *path)
{
    sqlite3 *db = NULL;
    char err[256];
    int rc = sqlite3_open(path, &db) == SQLITE_OK && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
                     store_derive(db, err, sizeof err) == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    sqlite3_close(db);
    return rc;
}

TEST(deltas)
{
    char err[1024];
    /* v5: one offer renamed, one removed, relative to v4 */
    make_db(5, DIR "/v5.db");
    sh("cp " DIR "/v5.db " DIR "/v5-edit.db && sqlite3 " DIR "/v5-edit.db \"UPDATE service_i18n SET name='Zahnarztpraxis' "
       "WHERE service_id='zahnarzt' AND lang='de'; DELETE FROM service_i18n WHERE service_id='beratung'; "
       "DELETE FROM service_taxonomy WHERE service_id='beratung'; DELETE FROM service_at_location WHERE service_id='beratung'; "
       "DELETE FROM phone WHERE service_id='beratung'; DELETE FROM service WHERE id='beratung'\"");
    CHECK(rederive(DIR "/v5-edit.db") == 0, "list rows of the edit derived again, as kiosk-pack would");
    CHECK(pack_sign_delta(DIR "/v4.db", DIR "/v5-edit.db", "content/keys/demo.secret", 30, DIR "/d45.kpack", err,
                          sizeof err) == 0, "diff: %s", err);
    pack_manifest m;
    CHECK(pack_read_manifest(DIR "/d45.kpack", &trust, &m, err, sizeof err) == PACK_OK && !strcmp(m.kind, "delta") &&
              m.base_version == 4 && m.content_version == 5,
          "delta manifest 4 -> 5");
    struct stat full, delta;
    stat(DIR "/v4.db", &full); /* the full pack is compressed: against the database it would replace */
    stat(DIR "/d45.kpack", &delta);
    CHECK(delta.st_size * 10 < full.st_size, "the delta is small: %lld of %lld bytes", (long long)delta.st_size,
          (long long)full.st_size);
    /* applies on v4 only */
    sh("cp " DIR "/v3.db " DIR "/content.db");
    CHECK(install(DIR "/d45.kpack", 3, err, sizeof err) == PACK_ERR_BASE && installed(DIR "/content.db") == 3,
          "refused on v3: %s", err);
    sh("cp " DIR "/v4.db " DIR "/content.db");
    CHECK(install(DIR "/d45.kpack", 4, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 5, "4 -> 5: %s", err);
    store *s = NULL;
    store_open(&s, DIR "/content.db", err, sizeof err);
    const char *de[] = {"de"};
    store_offer *o = NULL;
    CHECK(s && store_offer_get(s, "zahnarzt", de, 1, &o) == 0 && !strcmp(o->name.text, "Zahnarztpraxis"), "renamed");
    store_offer_free(o);
    CHECK(s && store_offer_get(s, "beratung", de, 1, &o) == 1, "removed");
    /* the kiosk rebuilt its search index on the delta's result: the new name is found, the removed offer not */
    store_offer_row *r = NULL;
    int n = 0;
    CHECK(s && store_search(s, "zahnarztpr", de, 1, 10, &r, &n) == 0 && n == 1 && !strcmp(r[0].id, "zahnarzt"),
          "search finds the renamed offer after the delta (%d rows)", n);
    store_offer_rows_free(r, n);
    CHECK(s && store_search(s, "beratung", de, 1, 10, &r, &n) == 0 && n == 0, "removed offer not found (%d rows)", n);
    store_offer_rows_free(r, n);
    store_close(s);
    /* a v4 that was changed locally (not the v4 the delta was made from): conflict, nothing applied */
    sh("cp " DIR "/v4.db " DIR "/content.db && sqlite3 " DIR "/content.db \"DELETE FROM service_i18n WHERE service_id='zahnarzt' AND lang='de'\"");
    CHECK(install(DIR "/d45.kpack", 4, err, sizeof err) == PACK_ERR_BASE && installed(DIR "/content.db") == 4,
          "conflict refused: %s", err);
    CHECK(leftovers(DIR "/content.db") == 0, "no staged leftovers");
    /* tampered delta */
    sh("cp " DIR "/v4.db " DIR "/content.db");
    flip(DIR "/d45.kpack", DIR "/d45-flip.kpack", -3);
    CHECK(install(DIR "/d45-flip.kpack", 4, err, sizeof err) == PACK_ERR_DAMAGED && installed(DIR "/content.db") == 4,
          "altered delta: %s", err);
}

TEST(delta_size)
{
    /* a 1 % change costs at most 2 % of the full pack */
    char err[1024];
    CHECK(pack_synth(DIR "/s1.db", 1000, 16, 3, NULL, err, sizeof err) == 0, "synth");
    sh("cp " DIR "/s1.db " DIR "/s2.db && sqlite3 " DIR "/s2.db \"UPDATE meta SET value='2' WHERE key='content_version';"
       "UPDATE service_i18n SET summary = summary || ' (neu)' WHERE CAST(substr(service_id, 7) AS INTEGER) % 100 = 0\"");
    CHECK(pack_sign(DIR "/s2.db", "content/keys/demo.secret", 30, DIR "/s2.kpack", err, sizeof err) == 0, "full");
    CHECK(pack_sign_delta(DIR "/s1.db", DIR "/s2.db", "content/keys/demo.secret", 30, DIR "/s12.kpack", err, sizeof err) ==
              0,
          "delta");
    struct stat full, delta;
    stat(DIR "/s2.kpack", &full);
    stat(DIR "/s12.kpack", &delta);
    CHECK(delta.st_size * 50 <= full.st_size, "1 %% change: delta %lld bytes, full %lld (%.2f %%)", (long long)delta.st_size,
          (long long)full.st_size, 100.0 * (double)delta.st_size / (double)full.st_size);
}

TEST(publication)
{
    char err[1024];
    const char *dbs[] = {DIR "/v5-edit.db", DIR "/v3.db", DIR "/v4.db"};
    sh("rm -rf " DIR "/pub");
    CHECK(pack_publish(DIR "/pub", "content/keys/demo.secret", 30, dbs, 3, err, sizeof err) == 0, "publish: %s", err);
    pack_index ix;
    CHECK(pack_index_read(DIR "/pub/index.kpack", &trust, &ix, err, sizeof err) == PACK_OK, "index: %s", err);
    CHECK(ix.m.content_version == 5 && ix.ndeltas == 2 && !strcmp(ix.full.file, "packs/mini-5.kpack"), "latest 5, 2 deltas");
    const pack_index_entry *steps[8];
    int n = pack_index_plan(&ix, 3, steps, 8);
    CHECK(n == 2 && steps[0]->from == 3 && steps[0]->to == 4 && steps[1]->to == 5, "3 -> 4 -> 5 by deltas");
    n = pack_index_plan(&ix, 4, steps, 8);
    CHECK(n == 1 && steps[0]->from == 4, "4 -> 5 by one delta");
    CHECK(pack_index_plan(&ix, 5, steps, 8) == 0, "up to date");
    n = pack_index_plan(&ix, 1, steps, 8);
    CHECK(n == 1 && steps[0] == &ix.full, "no chain from 1: the full pack");
    /* following the plan from 3 installs 5 */
    sh("cp " DIR "/v3.db " DIR "/content.db");
    int64_t have = 3;
    n = pack_index_plan(&ix, have, steps, 8);
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
        char path[512];
        snprintf(path, sizeof path, DIR "/pub/%s", steps[i]->file);
        ok = install(path, have, err, sizeof err) == PACK_OK;
        have = installed(DIR "/content.db");
    }
    CHECK(ok && have == 5, "delta chain applied: version %lld (%s)", (long long)have, err);
    pack_index_free(&ix);
    /* the index is signed: altered, or installed as if it were content, it is refused */
    flip(DIR "/pub/index.kpack", DIR "/pub/index-flip.kpack", 30);
    CHECK(pack_index_read(DIR "/pub/index-flip.kpack", &trust, &ix, err, sizeof err) == PACK_ERR_SIGNATURE,
          "altered index: %s", err);
    pack_index_free(&ix);
    CHECK(install(DIR "/pub/index.kpack", 5, err, sizeof err) == PACK_ERR_FORMAT, "an index is not content: %s", err);
}

/* A power cut leaves staging files; they never block an installation, the lock alone does. */
TEST(stale_staging)
{
    char err[1024];
    sh("cp " DIR "/v3.db " DIR "/content.db && echo junk > " DIR "/content.db.new && echo junk > " DIR
       "/content.db.new.Ab12Cd && echo junk > " DIR "/content.db.new.Ab12Cd-journal");
    CHECK(!pack_busy(DIR "/content.db"), "a leftover file is not a running installation");
    CHECK(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4,
          "installs over leftovers: %s", err);
    CHECK(leftovers(DIR "/content.db") == 0, "the installer removed them");
    sh("echo junk > " DIR "/content.db.new.Zz99Yy");
    CHECK(pack_cleanup(DIR "/content.db") == 0 && leftovers(DIR "/content.db") == 0, "removed at start");
    /* a folder that fails to list may hide a whole staged copy: said, not taken for its end */
    sh("echo junk > " DIR "/content.db.new.Xx11Ww");
    fail_readdir = 1;
    int frc = install(DIR "/v5.kpack", 4, err, sizeof err), crc = pack_cleanup(DIR "/content.db");
    fail_readdir = 0;
    CHECK(frc == PACK_ERR_IO && strstr(err, "folder cannot be read") && installed(DIR "/content.db") == 4 && crc != 0,
          "a folder that fails to list: install refused (%d %s), cleanup says so (%d)", frc, err, crc);
    CHECK(pack_cleanup(DIR "/content.db") == 0 && leftovers(DIR "/content.db") == 0, "read again, removed");
    /* one installer holds the content (staff checked a pack): the others are refused or wait */
    sh("cp " DIR "/v3.db " DIR "/content.db");
    pack_policy pol = {.installed_version = 3, .now = (int64_t)time(NULL)};
    pack_staged sg;
    CHECK(pack_stage(DIR "/v4.kpack", DIR "/content.db", &trust, &pol, &sg, err, sizeof err) == PACK_OK && sg.held,
          "staged: %s", err);
    struct stat sb;
    CHECK(stat(sg.path, &sb) == 0 && strstr(sg.path, "content.db.new.") && (sb.st_mode & 0777) == 0644,
          "a staging file of its own, readable like content: %s %o", sg.path, (unsigned)(sb.st_mode & 0777));
    CHECK(pack_busy(DIR "/content.db"), "the lock says an installation runs");
    CHECK(pack_cleanup(DIR "/content.db") != 0 && stat(sg.path, &sb) == 0, "cleanup leaves the holder's file alone");
    pack_policy other = {.installed_version = 3, .now = (int64_t)time(NULL)};
    pack_manifest m;
    int rc = pack_install(DIR "/v5.kpack", DIR "/content.db", &trust, &other, &m, err, sizeof err);
    CHECK(rc == PACK_ERR_BUSY && strstr(err, "another installation is running"), "second installer refused: %d %s", rc,
          err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    other.lock_wait_ms = 300;
    rc = pack_install(DIR "/v5.kpack", DIR "/content.db", &trust, &other, &m, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(rc == PACK_ERR_BUSY && waited >= 280 && waited < 2000, "waits a bounded time: %.0f ms", waited);
    CHECK(pack_commit(&sg, DIR "/content.db", &pol, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4 &&
              !sg.held,
          "the holder switches: %s", err);
    CHECK(!pack_busy(DIR "/content.db") && leftovers(DIR "/content.db") == 0, "and lets go");
    /* the version is read again under the lock: a caller's stale idea cannot roll back */
    other.installed_version = 1;
    rc = pack_install(DIR "/v3.kpack", DIR "/content.db", &trust, &other, &m, err, sizeof err);
    CHECK(rc == PACK_ERR_OLDER && installed(DIR "/content.db") == 4, "no rollback by a stale caller: %s", err);
    pack_unstage(&sg); /* harmless twice */
}

/* Versions of one synthetic pack (a few MB, so writes can interleave) where every offer and
 * provider name carries its version: a blend of two shows. */
#define MARKED_ROWS (400 * 4)
static void make_marked(int v)
{
    char db[128], cmd[512], err[1024], kp[128];
    snprintf(db, sizeof db, DIR "/m%d.db", v);
    if (pack_synth(db, 400, 4, 11, NULL, err, sizeof err) != 0) printf("synth: %s\n", err);
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE service_i18n SET name = name || ' #%d'; UPDATE organization_i18n "
             "SET name = name || ' #%d'; UPDATE meta SET value='%d' WHERE key='content_version'\"", db, v, v, v);
    sh(cmd);
    /* the search index is part of the content; rebuild it for the new names */
    if (store_search_index(db, err, sizeof err) != 0) printf("index: %s\n", err);
    snprintf(kp, sizeof kp, DIR "/m%d.kpack", v);
    if (pack_sign(db, "content/keys/demo.secret", 30, kp, err, sizeof err) != 0) printf("sign: %s\n", err);
}

/* 0 when content is whole and of one version (every marked row says it), else 1 */
static int blended(const char *content, int64_t *version)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int bad = 1;
    *version = installed(content);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM service_i18n WHERE name NOT LIKE '%% #%lld') + (SELECT count(*) FROM "
             "organization_i18n WHERE name NOT LIKE '%% #%lld'), (SELECT count(*) FROM service_i18n)",
             (long long)*version, (long long)*version);
    if (sqlite3_open_v2(content, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        !strcmp((const char *)sqlite3_column_text(st, 0), "ok")) {
        sqlite3_finalize(st);
        st = NULL;
        bad = !(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
                sqlite3_column_int(st, 0) == 0 && sqlite3_column_int(st, 1) == MARKED_ROWS);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return bad;
}

/*
 * Everyone installs at once on one database, as on a kiosk: two kiosk-pack install runs, the
 * sync thread's pack_install (no waiting) and staff mode's stage, look, apply. Each round ends
 * with one whole version, never a blend.
 */
TEST(concurrent_installers)
{
    for (int v = 1; v <= 5; v++) make_marked(v);
    int rounds = 40, mixed = 0, ok = 0, refused = 0, other = 0, left = 0;
    char kp[300];
    snprintf(kp, sizeof kp, "%s/kiosk-pack", build_dir);
    for (int r = 0; r < rounds; r++) {
        sh("cp " DIR "/m1.db " DIR "/content.db");
        int gate[2];
        if (pipe(gate) != 0) break;
        pid_t pids[4];
        for (int k = 0; k < 4; k++) {
            /* the order of versions turns each round, so every installer sometimes wins */
            int v = 2 + (k + r) % 4;
            char pack[64];
            snprintf(pack, sizeof pack, DIR "/m%d.kpack", v);
            pids[k] = fork();
            if (pids[k] != 0) continue;
            close(gate[1]);
            char c;
            if (read(gate[0], &c, 1) < 0) _exit(9); /* all start when the gate closes */
            if (k < 2) {
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 1);
                dup2(null, 2);
                execl(kp, kp, "install", pack, "content/keys/demo.pub", DIR "/content.db", (char *)NULL);
                _exit(8);
            }
            char err[1024];
            pack_policy pol = {.installed_version = 1, .now = (int64_t)time(NULL)};
            int rc;
            if (k == 2) { /* the sync thread: never waits, retries next round */
                pack_manifest m;
                rc = pack_install(pack, DIR "/content.db", &trust, &pol, &m, err, sizeof err);
            } else { /* staff: check (stage), look at the counts, apply */
                pack_staged sg;
                pol.lock_wait_ms = 10000;
                rc = pack_stage(pack, DIR "/content.db", &trust, &pol, &sg, err, sizeof err);
                usleep(2000);
                if (rc == PACK_OK) rc = pack_commit(&sg, DIR "/content.db", &pol, err, sizeof err);
            }
            _exit(rc == PACK_OK ? 0 : rc == PACK_ERR_BUSY || rc == PACK_ERR_OLDER || rc == PACK_ERR_SAME ? 1 : 2);
        }
        close(gate[0]);
        close(gate[1]);
        for (int k = 0; k < 4; k++) {
            int status = 0;
            waitpid(pids[k], &status, 0);
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
            if (code == 0) ok++;
            else if (code == 1) refused++;
            else other++;
        }
        int64_t v = 0;
        if (blended(DIR "/content.db", &v)) {
            mixed++;
            printf("round %d: content version %lld is blended or damaged\n", r, (long long)v);
        }
        left += leftovers(DIR "/content.db");
    }
    printf("concurrent installers: %d rounds, %d installed, %d refused cleanly, %d failed, %d mixed, %d leftovers\n",
           rounds, ok, refused, other, mixed, left);
    CHECK(mixed == 0, "%d of %d rounds blended content", mixed, rounds);
    CHECK(other == 0, "%d installations failed otherwise (kiosk-pack refusing counts as clean)", other);
    CHECK(ok >= rounds, "at least one installation per round: %d", ok);
    CHECK(left == 0, "%d staging files left", left);
}

/* A signed payload of the wrong shape: v4 changed by sql, signed as version ver. */
/* base with sql run on it, as version ver of pack "mini", signed into DIR/shape-NAME.kpack: by
 * pack_sign, or, where our signer refuses it (a search index FTS5 finds damaged), as another
 * tool would sign it (uncompressed, format 1). 0, or -1 when it could not be signed at all. */
static int shaped_pack(const char *base, const char *name, const char *sql, int ver, char *kp, size_t kplen)
{
    char cmd[1400], db[128], err[1024];
    snprintf(db, sizeof db, DIR "/shape-%s.db", name);
    snprintf(kp, kplen, DIR "/shape-%s.kpack", name);
    snprintf(cmd, sizeof cmd, "cp %s %s && sqlite3 %s \"%s; UPDATE meta SET value='%d' WHERE key='content_version';"
             " UPDATE meta SET value='mini' WHERE key='pack_id'\"", base, db, db, sql, ver);
    sh(cmd);
    if (pack_sign(db, "content/keys/demo.secret", 30, kp, err, sizeof err) == 0) return 0;
    struct stat sb;
    pack_manifest m = {.format = 1, .content_version = ver};
    snprintf(m.pack_id, sizeof m.pack_id, "mini");
    snprintf(m.kind, sizeof m.kind, "full");
    m.content_size = stat(db, &sb) == 0 ? (int64_t)sb.st_size : 0;
    if (pack_sign_manifest(db, &m, "content/keys/demo.secret", 30, kp, err, sizeof err) == 0) return 0;
    printf("sign: %s\n", err);
    return -1;
}

static void shaped_from(const char *base, const char *name, const char *sql, int ver, int code, const char *words)
{
    char kp[128];
    shaped_pack(base, name, sql, ver, kp, sizeof kp);
    sh("cp " DIR "/v3.db " DIR "/content.db");
    refused(kp, 3, code, words);
}

static void shaped(const char *name, const char *sql, int ver, int code, const char *words)
{
    shaped_from(DIR "/v4.db", name, sql, ver, code, words);
}

/* Only exactly the schema this kiosk reads installs: no triggers, no views, nothing missing. */
/* The changeset of sql run on a database in memory of the kiosk's schema, after setup (sqlite3_free it). */
static void *changeset_of(const char *setup, const char *sql, int *size)
{
    sqlite3 *db = NULL;
    sqlite3_session *ses = NULL;
    void *cs = NULL;
    *size = 0;
    if (sqlite3_open(":memory:", &db) == SQLITE_OK && sqlite3_exec(db, store_schema_sql(), NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_exec(db, setup, NULL, NULL, NULL) == SQLITE_OK && sqlite3session_create(db, "main", &ses) == SQLITE_OK &&
        sqlite3session_attach(ses, NULL) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
        sqlite3session_changeset(ses, size, &cs);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(db);
    return cs;
}

#define SVG_OK "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><circle cx=\"12\" cy=\"12\" r=\"9\"/></svg>"
#define SVG_DASH                                                                                                         \
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"M0 0 L1000000 0\" stroke=\"#fff\" "     \
    "style=\"stroke-DashArray: 0.02\"/></svg>"
/* a PNG's signature and header chunk: 16000 x 16000, and 32 x 32 */
#define PNG_HUGE "x'89504e470d0a1a0a0000000d4948445200003e8000003e800806000000'"
#define PNG_SMALL "x'89504e470d0a1a0a0000000d494844520000002000000020080600000073'"

/* A delta's tables are checked against the kiosk's schema, table by table: those it has with
 * their columns pass, another table, one with other columns or the search index's do not; and
 * the texts its changes write keep the build's lengths and rules. */
TEST(delta_tables_checked)
{
    static const struct {
        const char *setup, *sql, *want; /* want NULL: accepted */
    } cases[] = {
        {"", "INSERT INTO service(id, organization_id) VALUES('a', 'o'); INSERT INTO phone(id, number) VALUES('p', '1');"
             "INSERT INTO intake_match(answer_id, kind, target) VALUES('x', 'offer', 'a')", NULL},
        {"ALTER TABLE service ADD COLUMN extra TEXT", "INSERT INTO service(id, organization_id) VALUES('a', 'o')",
         "table service with 6 columns"},
        {"CREATE TABLE servic(id TEXT PRIMARY KEY)", "INSERT INTO servic VALUES('a')", "touch table servic"},
        {"CREATE TABLE search_doc(id INTEGER PRIMARY KEY, oid TEXT)", "INSERT INTO search_doc VALUES(1, 'a')",
         "touch table search_doc"},
        {"CREATE TABLE \"CREATE TABLE meta\"(key TEXT PRIMARY KEY, value TEXT)",
         "INSERT INTO \"CREATE TABLE meta\" VALUES('a', 'b')", "touch table"},
        {"CREATE TABLE \"meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\nCREATE TABLE language\"(code TEXT PRIMARY KEY, n)",
         "INSERT INTO \"meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\nCREATE TABLE language\" VALUES('a', 1)",
         "touch table"},
        /* the texts a delta writes, as a full pack's (pack_check_values): a signed 1 MB description
         * laid out inside the detail screen's frame for minutes */
        {"", "INSERT INTO service_i18n(service_id, lang, name, description, status) VALUES('a', 'de', 'A', "
             "substr(hex(zeroblob(2500)), 1), 'complete')", "longer than 4000 characters"},
        {"INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'de', 'A', 'complete')",
         "UPDATE service_i18n SET summary = substr(hex(zeroblob(300)), 1) WHERE service_id = 'a'", "longer than 500"},
        {"", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'de', CAST(x'41ff42' AS TEXT), 'complete')",
         "not UTF-8"},
        {"", "INSERT INTO location(id, organization_id, city) VALUES('l', 'o', 'Heide' || char(8238) || 'moor')",
         "control character"},
        /* marks piled on one letter climb into the header (build refuses more than 8 in a row) */
        {"", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'de', 'A' || replace(printf('%.10c', 'x'),"
             " 'x', char(769)) || 'B', 'complete')", "combining marks"},
        {"", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'de', 'A' || replace(printf('%.10c', 'x'),"
             " 'x', char(769, 8205)) || 'B', 'complete')", "combining marks"},
        {"", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'de', 'A' || char(769, 769, 769, 769) || 'b'"
             " || char(769, 769, 769, 769, 769, 769), 'complete')", NULL},
        {"INSERT INTO service_i18n(service_id, lang, name, summary, status) VALUES('a', 'de', 'A', 'kurz', 'complete')",
         "UPDATE service_i18n SET summary = 'auch kurz' WHERE service_id = 'a'", NULL},
        /* pictures: a 160-byte SVG of tiny dashes drew for minutes; a PNG header of 16000 x 16000
         * had SDL_image allocate 1 GB before a pixel */
        {"", "INSERT INTO media VALUES('m', 'image/svg+xml', CAST('" SVG_OK "' AS BLOB))", NULL},
        {"", "INSERT INTO media VALUES('m', 'image/svg+xml', CAST('" SVG_DASH "' AS BLOB))", "dashed strokes"},
        {"INSERT INTO media VALUES('m', 'image/svg+xml', CAST('" SVG_OK "' AS BLOB))",
         "UPDATE media SET data = CAST('" SVG_DASH "' AS BLOB) WHERE id = 'm'", "dashed strokes"},
        {"", "INSERT INTO media VALUES('m', 'image/png', " PNG_HUGE ")", "larger than 1024"},
        {"", "INSERT INTO media VALUES('m', 'image/png', " PNG_SMALL ")", NULL},
        {"", "INSERT INTO media VALUES('m', 'image/svg+xml', " PNG_SMALL ")", "other data than its type"},
        {"", "INSERT INTO media VALUES('m', 'image/jpeg', x'ffd8ffe0')", "neither image/png"},
        {"", "INSERT INTO media VALUES('m', 'image/svg+xml', zeroblob(40000))", "larger than 32 KiB"},
        /* a translation in a language this kiosk has not (the search index numbers 31) */
        {"", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('a', 'x1', 'A', 'complete')",
         "service_i18n gets a text in \"x1\", not a language of this kiosk"},
        {"", "INSERT INTO taxonomy_term_i18n(term_id, lang, name, status) VALUES('a', 'ar', 'A', 'complete')", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int size = 0;
        char err[512] = "";
        void *cs = changeset_of(cases[i].setup, cases[i].sql, &size);
        int rc = cs ? pack_check_changeset(cs, size, NULL, NULL, err, sizeof err) : -1;
        sqlite3_free(cs);
        if (!cases[i].want)
            CHECK(rc == PACK_OK, "case %zu accepted: %s", i, err);
        else
            CHECK(rc == PACK_ERR_SCHEMA && strstr(err, cases[i].want), "case %zu refused (%d): %s", i, rc, err);
    }
}

/* Every cut of a signed delta's changes is refused, never a hang (SQLite 3.40 spun for good on
 * one cut inside a table header), and a patchset is refused: it holds no old values to conflict. */
TEST(delta_cut_or_patchset_refused)
{
    int size = 0;
    void *cs = changeset_of("INSERT INTO service(id, organization_id) VALUES('a', 'o')",
                            "UPDATE service SET organization_id = 'p' WHERE id = 'a'; "
                            "INSERT INTO phone(id, number) VALUES('p', '1')", &size);
    CHECK(cs && size > 20, "a changeset of %d bytes", size);
    int hung = 0, accepted = 0, whole = -1;
    for (int n = 0; cs && n <= size; n++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            char err[512];
            _exit(pack_check_changeset(cs, n, NULL, NULL, err, sizeof err) == PACK_OK ? 0 : 1);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st)) hung++;
        else if (WEXITSTATUS(st) == 0 && n < size) accepted++;
        else if (n == size) whole = WEXITSTATUS(st);
    }
    /* a cut at a table's or change's end is a smaller changeset (the signature vouches for it): 4 here */
    CHECK(hung == 0 && accepted <= 4 && whole == 0, "%d cuts hung, %d accepted, the whole %d", hung, accepted, whole);
    sqlite3_free(cs);
    sqlite3 *db = NULL;
    sqlite3_session *ses = NULL;
    void *ps = NULL;
    size = 0;
    if (sqlite3_open(":memory:", &db) == SQLITE_OK && sqlite3_exec(db, store_schema_sql(), NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_exec(db, "INSERT INTO service(id, organization_id) VALUES('a', 'o')", NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3session_create(db, "main", &ses) == SQLITE_OK && sqlite3session_attach(ses, NULL) == SQLITE_OK &&
        sqlite3_exec(db, "UPDATE service SET organization_id = 'p' WHERE id = 'a'", NULL, NULL, NULL) == SQLITE_OK)
        sqlite3session_patchset(ses, &size, &ps);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(db);
    char err[512] = "";
    CHECK(ps && pack_check_changeset(ps, size, NULL, NULL, err, sizeof err) == PACK_ERR_DAMAGED && strstr(err, "patchset"),
          "patchset: %s", err);
    sqlite3_free(ps);
}

TEST(payload_shape)
{
    char err[1024];
    /* a payload that is only a meta table (the kiosk then could not start) */
    sh("rm -f " DIR "/meta-only.db && sqlite3 " DIR "/meta-only.db \"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
       "INSERT INTO meta VALUES('schema_version','1'),('pack_id','mini'),('content_version','9')\"");
    CHECK(pack_sign(DIR "/meta-only.db", "content/keys/demo.secret", 30, DIR "/meta-only.kpack", err, sizeof err) == 0,
          "sign: %s", err);
    sh("cp " DIR "/v3.db " DIR "/content.db");
    refused(DIR "/meta-only.kpack", 3, PACK_ERR_SCHEMA, "missing or different");
    shaped("trigger", "CREATE TRIGGER t AFTER UPDATE ON service BEGIN DELETE FROM phone; END", 8, PACK_ERR_SCHEMA,
           "unexpected trigger t");
    shaped("view", "CREATE VIEW v AS SELECT * FROM service", 8, PACK_ERR_SCHEMA, "unexpected view v");
    /* a signed full pack's pictures are held to what the build allows */
    shaped("huge-png", "INSERT INTO media VALUES('huge', 'image/png', " PNG_HUGE ")", 8, PACK_ERR_SCHEMA,
           "picture huge is a PNG larger than 1024");
    /* (through the shell: Q for a double quote) */
    shaped("dashed-svg",
           "INSERT INTO media VALUES('dash', 'image/svg+xml', CAST(replace('<svg xmlns=Qhttp://www.w3.org/2000/svgQ>"
           "<path d=QM0 0 L1000000 0Q stroke-dasharray=Q0.02Q/></svg>', 'Q', char(34)) AS BLOB))",
           8,
           PACK_ERR_SCHEMA, "picture dash is an SVG with dashed strokes");
    /* 600 lines across the picture, 2,400 numbers in 7 KiB: each scanline visits every line */
    shaped("lines-svg",
           "INSERT INTO media SELECT 'lines', 'image/svg+xml', CAST(replace('<svg><path d=QM0 0' || (WITH RECURSIVE"
           " n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) SELECT group_concat(' L' || (i % 96) || ' 96 '"
           " || (i * 7 % 96) || ' 0', '') FROM n) || 'Q/></svg>', 'Q', char(34)) AS BLOB)",
           8, PACK_ERR_SCHEMA, "picture lines is an SVG of more than 1000 numbers");
    /* more rows than the build allows */
    shaped("categories",
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 101) INSERT INTO taxonomy_term(id)"
           " SELECT 'extra-' || i FROM n",
           8, PACK_ERR_SCHEMA, "more than 100 categories");
    shaped("phones",
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 11) INSERT INTO phone(id,"
           " service_id, number) SELECT 'extra-' || i, (SELECT min(id) FROM service), '+49 1' FROM n",
           8, PACK_ERR_SCHEMA, "more than 10 phones");
    /* schedules and closed days the build would not write (the demo's one schedule, zahnarzt#0) */
    static const struct {
        const char *set, *why;
    } sched[] = {
        {"interval = 0", "interval is not"},
        {"interval = 'two'", "interval is not"},
        {"freq = 'YEARLY'", "freq is neither"}, /* past the CHECK, as a crafted file holds it */
        {"byday = 'XX'", "byday is not"},
        {"byday = NULL, bymonthday = '1'", "bymonthday is not"},
        {"byday = NULL", "has neither byday nor bymonthday"},
        {"opens_at = '12:00', closes_at = '09:00'", "opens_at and closes_at"},
        {"closes_at = '25:00'", "opens_at and closes_at"},
        {"valid_from = '2026-02-30'", "valid_from and valid_to"},
        {"valid_from = '2026-05-01', valid_to = '2026-04-01'", "valid_from and valid_to"},
        {"timezone = 'Mars/Olympus'", "timezone is not"},
        {"timezone = ''", "timezone is not"},
        {"slot_minutes = 30", "has slot_minutes or capacity without the other"},
        {"slot_minutes = 1, capacity = 1", "slot_minutes (5"},
        {"slot_minutes = 30, capacity = 2147483647", "slot_minutes (5"},
        {"slot_minutes = '30 min', capacity = 1", "slot_minutes and capacity are not numbers"},
    };
    for (size_t i = 0; i < sizeof sched / sizeof *sched; i++) {
        char name[32], sql[200], why[160];
        snprintf(name, sizeof name, "schedule-%zu", i);
        snprintf(sql, sizeof sql, "PRAGMA ignore_check_constraints = 1; UPDATE schedule SET %s WHERE id = 'zahnarzt#0'",
                 sched[i].set);
        snprintf(why, sizeof why, "schedule zahnarzt#0: %s", sched[i].why);
        shaped(name, sql, 8, PACK_ERR_SCHEMA, why);
    }
    shaped("unknown-language",
           "INSERT INTO taxonomy_term_i18n(term_id, lang, status, name) SELECT term_id, 'tlh', status, name"
           " FROM taxonomy_term_i18n LIMIT 1",
           8, PACK_ERR_SCHEMA, "taxonomy_term_i18n holds a text in \"tlh\", not a language of this kiosk");
    shaped("closed-day", "INSERT INTO closure VALUES('c', NULL, 'someday')", 8, PACK_ERR_SCHEMA,
           "closed day c is not a YYYY-MM-DD date");
    shaped("table", "CREATE TABLE extra(x)", 8, PACK_ERR_SCHEMA, "unexpected table extra");
    shaped("index", "CREATE INDEX phone_x ON phone(number)", 8, PACK_ERR_SCHEMA, "unexpected index phone_x");
    shaped("column", "ALTER TABLE service ADD COLUMN extra TEXT", 8, PACK_ERR_SCHEMA, "service");
    shaped("dropped", "DROP TABLE intake_match", 8, PACK_ERR_SCHEMA, "intake_match");
    shaped("nosearch", "DROP TABLE search_doc", 8, PACK_ERR_SCHEMA, "search_doc");
    shaped("noside", "DROP TABLE search_new", 8, PACK_ERR_SCHEMA, "missing or different table search_new");
    /* the same schema, but a search index SQLite's FTS5 cannot read: search would find nothing */
    shaped("fts-version", "UPDATE search_config SET v=5 WHERE k='version'", 8, PACK_ERR_SCHEMA, "search index");
    shaped("fts-side-version", "UPDATE search_new_config SET v=3 WHERE k='version'", 8, PACK_ERR_SCHEMA, "search index");
    shaped("fts-rank", "INSERT INTO search(search, rank) VALUES('rank', 'bm25(1000.0)')", 8, PACK_ERR_SCHEMA,
           "search index");
    shaped("fts-data", "UPDATE search_data SET block=randomblob(length(block)) WHERE id > 10", 8, PACK_ERR_SCHEMA,
           "search index");
    /* the real thing still installs */
    CHECK(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4, "v4: %s", err);
    /* a delta that changes a table this kiosk does not have, or the search index */
    sh("cp " DIR "/v4.db " DIR "/e4.db && cp " DIR "/v5-edit.db " DIR "/e5.db && sqlite3 " DIR "/e4.db \"CREATE TABLE evil(id "
       "TEXT PRIMARY KEY, x)\" && sqlite3 " DIR "/e5.db \"CREATE TABLE evil(id TEXT PRIMARY KEY, x); INSERT INTO evil "
       "VALUES('a', 1)\"");
    CHECK(pack_sign_delta(DIR "/e4.db", DIR "/e5.db", "content/keys/demo.secret", 30, DIR "/d-evil.kpack", err, sizeof err) ==
              0,
          "diff: %s", err);
    sh("cp " DIR "/v4.db " DIR "/content.db");
    int rc = install(DIR "/d-evil.kpack", 4, err, sizeof err);
    CHECK(rc == PACK_ERR_SCHEMA && strstr(err, "touch table evil") && installed(DIR "/content.db") == 4,
          "delta to a foreign table refused: %d %s", rc, err);
    CHECK(leftovers(DIR "/content.db") == 0, "no staged leftovers");
}

/*
 * A signed payload whose search index is damaged or does not fit its content: refused, where it
 * would install and then find nothing, or the wrong offers. The demo content (46 offers in 16
 * languages, a search index of many pages) and the mini fixture.
 */
TEST(search_index_probed)
{
    char err[1024], kp[128], demo[256];
    snprintf(demo, sizeof demo, "%s/content/demo.db", build_dir);
    /* the undamaged demo content installs (as a version of "mini") */
    CHECK(shaped_pack(demo, "demo-ok", "SELECT 1", 8, kp, sizeof kp) == 0, "demo signed");
    sh("cp " DIR "/v3.db " DIR "/content.db");
    CHECK(install(kp, 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 8, "demo installs: %s", err);
    /* the term index emptied: FTS5's integrity-check of a contentless table does not see it */
    shaped_from(demo, "fts-idx", "DELETE FROM search_idx", 8, PACK_ERR_SCHEMA, "search index");
    /* damaged index pages, here and there */
    shaped_from(demo, "fts-blocks", "UPDATE search_data SET block=randomblob(length(block)) WHERE id > 10 AND id % 7 = 3", 8,
                PACK_ERR_SCHEMA, "search index");
    /* which our signer refuses to sign (FTS5's own integrity-check, run by the publisher) */
    CHECK(pack_sign(DIR "/shape-fts-blocks.db", "content/keys/demo.secret", 30, DIR "/fts-blocks-ours.kpack", err,
                    sizeof err) != 0 && strstr(err, "search index") && access(DIR "/fts-blocks-ours.kpack", F_OK) != 0,
          "kiosk-pack sign refuses a damaged index: %s", err);
    /* the offers' numbers shifted by one: every document would be shown as the next offer */
    shaped_from(demo, "doc-shift", "UPDATE search_doc SET id=-id; UPDATE search_doc SET id=1-id", 8, PACK_ERR_SCHEMA,
                "search index");
    shaped("doc-shift-mini", "UPDATE search_doc SET id=-id; UPDATE search_doc SET id=1-id", 8, PACK_ERR_SCHEMA,
           "search index");
    /* two languages' numbers swapped: ar and ckb, which not every offer has (documents missing),
     * and de and en, which every demo offer has, so each document number is still there */
    shaped_from(demo, "lang-swap", "UPDATE search_lang SET li=-li WHERE li IN (1, 2); UPDATE search_lang SET li=2 WHERE li=-1;"
                "UPDATE search_lang SET li=1 WHERE li=-2", 8, PACK_ERR_SCHEMA, "search index");
    shaped_from(demo, "lang-swap-all", "UPDATE search_lang SET li=-li WHERE li IN (3, 4); UPDATE search_lang SET li=4 WHERE li=-3;"
                "UPDATE search_lang SET li=3 WHERE li=-4", 8, PACK_ERR_SCHEMA, "documents numbered as");
    /* an active offer numbered but never indexed */
    shaped_from(demo, "doc-unindexed", "INSERT INTO service(id, organization_id) SELECT 'neu', organization_id FROM service LIMIT 1;"
                "INSERT INTO search_doc SELECT max(id) + 1, 'neu' FROM search_doc", 8, PACK_ERR_SCHEMA, "search index");
    /* an active offer without a number: never found */
    shaped_from(demo, "doc-missing", "DELETE FROM search_doc WHERE id=(SELECT max(id) FROM search_doc)", 8, PACK_ERR_SCHEMA,
                "search index");
    shaped("doc-missing-mini", "DELETE FROM search_doc WHERE oid='beratung'", 8, PACK_ERR_SCHEMA, "search index");
    /* a translation the index has no document for */
    shaped("text-unindexed", "INSERT INTO service_i18n(service_id, lang, name, status) VALUES('beratung', 'en', 'Advice', 'complete')", 8,
           PACK_ERR_SCHEMA, "search index");
    CHECK(leftovers(DIR "/content.db") == 0, "no staged leftovers");
}

/* A payload of exactly the schema whose VALUES are wrong (a key holder's or a buggy tool's
 * database signed directly, past kiosk-pack build and lint): the list rows and category counts
 * must be the ones its content derives, no row may point at nothing, every text must be UTF-8 of
 * at most the build's length. Each is refused by name and v3 stays. */
#define MEG "substr(hex(zeroblob(500000)), 1)" /* 1,000,000 characters */
TEST(payload_values)
{
    char err[1024];
    /* list rows (service_row) */
    shaped("row-phantom", "INSERT INTO service_row VALUES('ghost', 1, 'praxis', NULL, 'Heidemoor', '', 0, '')", 8,
           PACK_ERR_SCHEMA, "list rows do not match the content");
    shaped("row-missing", "DELETE FROM service_row WHERE service_id='aerzte'", 8, PACK_ERR_SCHEMA,
           "list rows do not match the content");
    shaped("row-active", "UPDATE service_row SET active=0 WHERE service_id='aerzte'", 8, PACK_ERR_SCHEMA,
           "list rows do not match the content");
    shaped("row-bookable", "UPDATE service_row SET bookable=1", 8, PACK_ERR_SCHEMA, "list rows do not match the content");
    shaped("row-org", "UPDATE service_row SET organization_id='nobody' WHERE service_id='aerzte'", 8, PACK_ERR_SCHEMA,
           "list rows do not match the content");
    shaped("row-city", "UPDATE service_row SET city='Elsewhere'", 8, PACK_ERR_SCHEMA, "list rows do not match the content");
    shaped("row-langs", "UPDATE service_row SET languages='fr,xx'", 8, PACK_ERR_SCHEMA, "list rows do not match the content");
    shaped("row-city-1mb", "UPDATE service_row SET city=" MEG, 8, PACK_ERR_SCHEMA, "list rows do not match the content");
    shaped("row-langs-1mb", "UPDATE service_row SET languages=" MEG, 8, PACK_ERR_SCHEMA,
           "list rows do not match the content");
    /* category counts (taxonomy_count) */
    shaped("count-negative", "UPDATE taxonomy_count SET offers=-5", 8, PACK_ERR_SCHEMA,
           "category counts do not match the content");
    shaped("count-huge", "UPDATE taxonomy_count SET offers=4611686018427387904", 8, PACK_ERR_SCHEMA,
           "category counts do not match the content");
    shaped("count-empty",
           "INSERT INTO taxonomy_term VALUES('empty', NULL, 9, NULL); INSERT INTO taxonomy_count VALUES('empty', 7)", 8,
           PACK_ERR_SCHEMA, "category counts do not match the content");
    /* rows pointing at nothing, consistent with the derived tables */
    shaped("fk-i18n", "INSERT INTO service_i18n(service_id, lang, status, name) VALUES('ghost', 'de', 'complete', 'Geist')",
           8, PACK_ERR_SCHEMA, "service_i18n refers to a missing service");
    shaped("fk-term", "INSERT INTO service_taxonomy VALUES('beratung', 'nosuch'); INSERT INTO taxonomy_count VALUES('nosuch', 1)",
           8, PACK_ERR_SCHEMA, "refers to a missing taxonomy_term");
    shaped("fk-intake-offer",
           "INSERT INTO intake_question VALUES('q', 1, NULL); INSERT INTO intake_answer VALUES('a', 'q', 1, NULL, 0);"
           "INSERT INTO intake_match VALUES('a', 'offer', 'ghost', 1)",
           8, PACK_ERR_SCHEMA, "intake_match refers to a missing offer");
    /* texts: UTF-8 and the build's maxima */
    shaped("utf8-name", "UPDATE service_i18n SET name=name || CAST(x'c328' AS TEXT) WHERE service_id='aerzte'", 8,
           PACK_ERR_SCHEMA, "service_i18n.name is not UTF-8");
    shaped("long-description", "UPDATE service_i18n SET description=" MEG " WHERE service_id='aerzte'", 8,
           PACK_ERR_SCHEMA, "service_i18n.description longer than 4000 characters");
    shaped("long-summary", "UPDATE service_i18n SET summary=" MEG " WHERE service_id='aerzte'", 8, PACK_ERR_SCHEMA,
           "service_i18n.summary longer than 500 characters");
    shaped("long-city",
           "UPDATE location SET city=" MEG "; UPDATE service_row SET city=(SELECT city FROM location WHERE "
           "id=service_row.location_id)",
           8, PACK_ERR_SCHEMA, "location.city longer than 200 characters");
    /* the real thing still installs */
    CHECK(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4, "v4: %s", err);
}
#undef MEG

/* Installed content the kiosk cannot open: it goes back to the content that was replaced. */
TEST(fallback_to_previous)
{
    char err[1024];
    sh("cp " DIR "/v3.db " DIR "/content.db && rm -f " DIR "/content.db.prev");
    CHECK(pack_fallback(DIR "/content.db", err, sizeof err) == PACK_ERR_IO, "nothing kept yet: %s", err);
    CHECK(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4, "v4: %s", err);
    CHECK(installed(DIR "/content.db.prev") == 3, "v3 kept as the previous content");
    sh("head -c 5000 /dev/urandom > " DIR "/content.db");
    CHECK(installed(DIR "/content.db") == -1, "installed content broken");
    CHECK(pack_fallback(DIR "/content.db", err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 3,
          "back to v3: %s", err);
}

/* A pack of another publication (a test pack signed with the same key) never replaces ours
 * unless staff switch explicitly. */
TEST(publication_pin)
{
    char err[1024];
    sh("cp " DIR "/v4.db " DIR "/test-pub.db && sqlite3 " DIR "/test-pub.db \"UPDATE meta SET value='mini-test' WHERE "
       "key='pack_id'; UPDATE meta SET value='99' WHERE key='content_version'\"");
    CHECK(pack_sign(DIR "/test-pub.db", "content/keys/demo.secret", 30, DIR "/test-pub.kpack", err, sizeof err) == 0,
          "sign: %s", err);
    sh("cp " DIR "/v3.db " DIR "/content.db");
    refused(DIR "/test-pub.kpack", 3, PACK_ERR_PUBLICATION, "another publication");
    pack_policy pol = {.now = (int64_t)time(NULL), .switch_publication = 1};
    pack_manifest m;
    CHECK(pack_install(DIR "/test-pub.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err) == PACK_OK &&
              installed(DIR "/content.db") == 99,
          "staff switch explicitly: %s", err);
    /* back to production: its lower version is no rollback when staff switch */
    pack_policy back = {.now = (int64_t)time(NULL)};
    CHECK(pack_install(DIR "/v4.kpack", DIR "/content.db", &trust, &back, &m, err, sizeof err) == PACK_ERR_PUBLICATION,
          "not without switching: %s", err);
    back.switch_publication = 1;
    CHECK(pack_install(DIR "/v4.kpack", DIR "/content.db", &trust, &back, &m, err, sizeof err) == PACK_OK &&
              installed(DIR "/content.db") == 4,
          "switched back: %s", err);
    /* a configured publication wins over the installed content's id */
    pack_policy cfg = {.now = (int64_t)time(NULL)};
    snprintf(cfg.publication, sizeof cfg.publication, "mini-test");
    CHECK(pack_install(DIR "/v5-full.kpack", DIR "/content.db", &trust, &cfg, &m, err, sizeof err) == PACK_ERR_PUBLICATION,
          "configured pin refuses the installed id's packs: %s", err);
    /* the tool: refused, then with --switch-publication */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack install " DIR "/test-pub.kpack content/keys/demo.pub " DIR
             "/content.db 2>" DIR "/pin.err", build_dir);
    CHECK(system(cmd) != 0 && installed(DIR "/content.db") == 4, "kiosk-pack install refuses another publication");
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack install --switch-publication " DIR "/test-pub.kpack content/keys/demo.pub " DIR
             "/content.db > /dev/null", build_dir);
    CHECK(system(cmd) == 0 && installed(DIR "/content.db") == 99, "and installs it when told to switch");
}

/* A manifest dated far ahead must not freeze the kiosk: bounded by a synchronised clock, and
 * staff can reset the floor. */
TEST(clock_floor)
{
    char err[1024];
    int64_t now = (int64_t)time(NULL), ahead = now + 10LL * 365 * 86400;
    sh("touch " DIR "/synchronized && rm -f " DIR "/not-synchronized");
    CHECK(pack_sign_at(DIR "/v4.db", "content/keys/demo.secret", ahead, 30, DIR "/future.kpack", err, sizeof err) == 0,
          "sign dated ten years ahead: %s", err);
    sh("cp " DIR "/v3.db " DIR "/content.db");
    pack_policy pol = {.now = now, .newest_seen = now - 100, .clock_synced_path = DIR "/synchronized"};
    pack_manifest m;
    int rc = pack_install(DIR "/future.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err);
    CHECK(rc == PACK_ERR_FUTURE && strstr(err, "ahead of the kiosk's clock") && installed(DIR "/content.db") == 3,
          "refused against a synchronised clock: %d %s", rc, err);
    CHECK(pol.newest_seen == now - 100, "and the floor did not move");
    CHECK(leftovers(DIR "/content.db") == 0, "no staged leftovers");
    /* without a synchronised clock it cannot be told from a kiosk that lost its time: accepted */
    pol.clock_synced_path = DIR "/not-synchronized";
    CHECK(pack_install(DIR "/future.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err) == PACK_OK &&
              pol.newest_seen == ahead,
          "unsynchronised: installed, floor ten years ahead: %s", err);
    /* every honest pack now looks expired ... */
    CHECK(pack_sign(DIR "/v5.db", "content/keys/demo.secret", 30, DIR "/v5-full.kpack", err, sizeof err) == 0, "v5");
    rc = pack_install(DIR "/v5-full.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err);
    CHECK(rc == PACK_ERR_EXPIRED, "frozen: %d %s", rc, err);
    /* ... until the clock is synchronised (the floor comes back to it) */
    pack_policy synced = pol;
    synced.clock_synced_path = DIR "/synchronized";
    CHECK(pack_install(DIR "/v5-full.kpack", DIR "/content.db", &trust, &synced, &m, err, sizeof err) == PACK_OK &&
              installed(DIR "/content.db") == 5 && synced.newest_seen < now + 86400,
          "a synchronised clock takes the floor back: %s", err);
    /* or staff reset the floor */
    sh("cp " DIR "/v4.db " DIR "/content.db");
    pol.reset_clock_floor = 1;
    CHECK(pack_install(DIR "/v5-full.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err) == PACK_OK &&
              pol.newest_seen < now + 86400,
          "staff reset the floor: %s", err);
    /* the tool's way out on a kiosk's state database */
    char cmd[512];
    sh("rm -f " DIR "/state.db && sqlite3 " DIR "/state.db \"CREATE TABLE state(key TEXT PRIMARY KEY, value INTEGER NOT "
       "NULL); INSERT INTO state VALUES('newest_manifest_time', 4102444800)\"");
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack clock-floor " DIR "/state.db --reset > /dev/null && test $(sqlite3 " DIR
             "/state.db \"SELECT value FROM state WHERE key='newest_manifest_time'\") -lt %lld", build_dir,
             (long long)(now + 86400));
    CHECK(system(cmd) == 0, "kiosk-pack clock-floor --reset");
}

/* kiosk-pack verify: a delta alone (signature, payload, tables), and whether it applies to a base. */
static int verify_cmd(const char *args, const char *expect)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack verify %s > " DIR "/verify.out 2>&1", build_dir, args);
    int rc = system(cmd);
    FILE *f = fopen(DIR "/verify.out", "r");
    char out[1024] = "";
    size_t n = f ? fread(out, 1, sizeof out - 1, f) : 0;
    out[n] = 0;
    if (f) fclose(f);
    if (expect && !strstr(out, expect)) {
        printf("verify %s said: %s", args, out);
        return -1;
    }
    return rc == 0 ? 0 : 1;
}

TEST(verify_tool)
{
    CHECK(verify_cmd(DIR "/d45.kpack content/keys/demo.pub", "ok: delta mini 4 -> 5") == 0, "a valid delta verifies");
    CHECK(verify_cmd(DIR "/d45.kpack content/keys/demo.pub", "not tried on content") == 0,
          "and says it was not tried on a base");
    CHECK(verify_cmd(DIR "/d45.kpack content/keys/demo.pub " DIR "/v4.db", "applies to") == 0, "and applies to v4");
    CHECK(verify_cmd(DIR "/d45.kpack content/keys/demo.pub " DIR "/v3.db", "another installed version") == 1,
          "not to v3");
    CHECK(verify_cmd(DIR "/d45-flip.kpack content/keys/demo.pub", "damaged") == 1, "an altered delta does not");
    CHECK(verify_cmd(DIR "/d-evil.kpack content/keys/demo.pub", "touch table evil") == 1, "nor one for foreign tables");
    CHECK(verify_cmd(DIR "/v4.kpack content/keys/demo.pub", "ok: pack mini, content version 4") == 0, "a full pack");
    CHECK(verify_cmd(DIR "/shape-trigger.kpack content/keys/demo.pub", "unexpected trigger") == 1,
          "a full pack of the wrong shape");
    CHECK(verify_cmd(DIR "/v4.kpack " DIR "/other.pub", "signature") == 1, "another key");
}

/* The firmware holds no secret key and signs nothing: its binary has no signing code at all. */
TEST(firmware_cannot_sign)
{
    char cmd[512], line[512];
    /* a cross run (tests/run.sh --cross) starts the kiosk through a qemu wrapper and names the
     * binary itself in KIOSK_FIRMWARE */
    const char *fw = getenv("KIOSK_FIRMWARE");
    if (fw) snprintf(cmd, sizeof cmd, "nm %s", fw);
    else snprintf(cmd, sizeof cmd, "nm %s/kiosk", build_dir);
    FILE *p = popen(cmd, "r");
    int signing = 0, verifying = 0;
    while (p && fgets(line, sizeof line, p)) {
        if (strstr(line, " T pack_keygen") || strstr(line, " T pack_sign") || strstr(line, " T pack_publish")) {
            signing++;
            printf("firmware links %s", line);
        }
        if (strstr(line, " T pack_read_manifest")) verifying++;
    }
    int rc = p ? pclose(p) : -1;
    CHECK(rc == 0 && verifying > 0, "%s works and sees the verifier (%d)", cmd, rc);
    CHECK(signing == 0, "%d key-generation or signing symbols in the firmware", signing);
}

/* What kiosk-pack prints (stdout and stderr) for args, and its exit status. */
static int pack_tool(const char *args, char *out, size_t len)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s/kiosk-pack %s 2>&1", build_dir, args);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, len - 1, p) : 0;
    out[n] = 0;
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A secret key file its group or others may read has been exposed: every command that signs
 * refuses it, says why, and writes nothing. */
TEST(exposed_secret_key)
{
    char out[2000];
    sh("rm -rf " DIR "/keys && mkdir -p " DIR "/keys && cp content/keys/demo.secret " DIR "/keys/k.secret && "
       "chmod 644 " DIR "/keys/k.secret && rm -f " DIR "/exposed*.kpack && rm -rf " DIR "/exposed-www");
    static const char *const cmds[] = {
        "sign " DIR "/v4.db " DIR "/keys/k.secret " DIR "/exposed.kpack",
        "diff " DIR "/v3.db " DIR "/v4.db " DIR "/keys/k.secret " DIR "/exposed-d.kpack",
        "publish " DIR "/exposed-www " DIR "/keys/k.secret 30 " DIR "/v4.db",
    };
    for (int mode = 0; mode < 2; mode++) {
        if (mode) sh("chmod 640 " DIR "/keys/k.secret");
        for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
            int rc = pack_tool(cmds[i], out, sizeof out);
            CHECK(rc != 0 && strstr(out, "k.secret") && strstr(out, "readable by its group or others") &&
                      strstr(out, "chmod 600"),
                  "mode %s: kiosk-pack %.7s refused (%d): %s", mode ? "640" : "644", cmds[i], rc, out);
        }
    }
    CHECK(check_sh("! ls " DIR "/exposed*.kpack " DIR "/exposed-www/index.kpack 2>/dev/null | grep -q .") == 0,
          "nothing signed");
    sh("chmod 600 " DIR "/keys/k.secret");
    CHECK(pack_tool(cmds[0], out, sizeof out) == 0, "mode 600: signed (%s)", out);
}

/* Manifest times in int64 whatever time_t is: 2040 and beyond, and only real dates. */
TEST(manifest_times)
{
    int64_t t = 0;
    char buf[32];
    CHECK(pack_time_parse("2040-01-01T00:00:00Z", &t) == 0 && t == 2208988800LL, "2040: %lld", (long long)t);
    CHECK(pack_time_parse("2106-02-07T06:28:16Z", &t) == 0 && t == 4294967296LL, "2^32 s: %lld", (long long)t);
    CHECK(pack_time_parse("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch");
    CHECK(pack_time_parse("2024-02-29T12:00:00Z", &t) == 0 && t == 1709208000LL, "leap day: %lld", (long long)t);
    pack_time_format(2208988800LL, buf, sizeof buf);
    CHECK(!strcmp(buf, "2040-01-01T00:00:00Z"), "formats 2040: %s", buf);
    pack_time_format(4102444800LL + 86399, buf, sizeof buf);
    CHECK(!strcmp(buf, "2100-01-01T23:59:59Z"), "formats 2100: %s", buf);
    int roundtrip = 1;
    for (int64_t x = -86400LL * 365; x < 86400LL * 365 * 400; x += 86400LL * 7 + 3607) {
        int64_t back = -1;
        pack_time_format(x, buf, sizeof buf);
        if (x >= 0 && (pack_time_parse(buf, &back) != 0 || back != x)) roundtrip = 0;
    }
    CHECK(roundtrip, "format and parse agree over 400 years");
    /* a pack id or kind longer than the manifest holds is refused, not cut short (a cut id never
     * equals the payload's own, so every pack of that publication would be refused) */
    {
        char text[700], err[256];
        pack_manifest pm;
        static const char *const fields[] = {"\"pack_id\":\"%s\",\"kind\":\"full\"", "\"pack_id\":\"mini\",\"kind\":\"%s\""};
        static const char *const longs[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "fullfullfullfull"};
        for (int i = 0; i < 3; i++) {
            char f[200];
            snprintf(f, sizeof f, fields[i == 2], i == 2 ? longs[1] : i ? longs[0] + 1 : longs[0]);
            snprintf(text, sizeof text,
                     "{\"format\":1,%s,\"content_version\":4,\"created\":\"2026-01-01T00:00:00Z\",\"expires\":"
                     "\"2027-01-01T00:00:00Z\",\"payload_sha256\":\"%064d\",\"payload_size\":10}",
                     f, 0);
            int rc = pack_manifest_parse(text, strlen(text), &pm, err, sizeof err);
            CHECK(i == 1 ? rc == PACK_OK && strlen(pm.pack_id) == 63 : rc == PACK_ERR_DAMAGED,
                  "manifest %d (%s): %d %s", i, f, rc, err);
        }
    }
    /* a leap second is the next minute's first; the last second of year 9999 is a date */
    CHECK(pack_time_parse("2016-12-31T23:59:60Z", &t) == 0 && t == 1483228800LL, "leap second: %lld", (long long)t);
    CHECK(pack_time_parse("9999-12-31T23:59:59Z", &t) == 0 && t == 253402300799LL, "year 9999: %lld", (long long)t);
    const char *bad[] = {"2031-02-30T00:00:00Z", "2031-13-01T00:00:00Z", "2031-01-01T24:00:00Z", "2031-01-01T00:00:00",
                         "2031-01-01T00:00:00Z junk", "2031-1-1T0:0:0Z", "", "2023-02-29T00:00:00Z",
                         /* signs and spaces sscanf's %d would take, a year before 1000 written short */
                         "+203-01-01T00:00:00Z", " 203-01-01T00:00:00Z", "2031-+1-01T00:00:00Z", "2031-01-01T00:00:+1Z",
                         "-999-01-01T00:00:00Z", "2031-01-01T00:00:00+01:00", "2031-01-01 00:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(pack_time_parse(bad[i], &t) != 0, "refused: \"%s\"", bad[i]);
}

/* ---------- deltas applied in place (the SD card is spared) ---------- */

/* The first text column of a query on db_path ("" when no row, "?" when it cannot be read). */
static void query_text(const char *db_path, const char *sql, char *out, size_t len)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    snprintf(out, len, "?");
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
        else if (r == SQLITE_DONE) out[0] = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int integrity_ok(const char *db_path)
{
    char r[64];
    query_text(db_path, "PRAGMA integrity_check", r, sizeof r);
    return !strcmp(r, "ok");
}

static int install_at(const char *pack, const char *content, char *err, size_t errlen)
{
    char v[32];
    pack_policy pol = {.now = (int64_t)time(NULL)};
    if (pack_content_version(content, v, sizeof v) == 0) pol.installed_version = atoll(v);
    pack_manifest m;
    return pack_install(pack, content, &trust, &pol, &m, err, errlen);
}

#define LIVE DIR "/live.db"
#define SUMMARY_100 "SELECT summary FROM service_i18n WHERE service_id='offer-100' AND lang='de'"

/* A 1 % delta on installed content: applied inside one transaction on the live database, the
 * old content showing until the commit, and a small part of the database written. */
TEST(delta_in_place)
{
    char err[1024], before[512], now[512];
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev");
    CHECK(pack_sign(DIR "/s1.db", "content/keys/demo.secret", 30, DIR "/s1.kpack", err, sizeof err) == 0, "sign s1");
    CHECK(install_at(DIR "/s1.kpack", LIVE, err, sizeof err) == PACK_OK, "full s1: %s", err);
    query_text(LIVE, "PRAGMA journal_mode", now, sizeof now);
    CHECK(!strcmp(now, "wal"), "installed content is kept in WAL mode (%s)", now);
    query_text(LIVE, SUMMARY_100, before, sizeof before);
    struct stat db_st, delta_st;
    stat(LIVE, &db_st);
    stat(DIR "/s12.kpack", &delta_st);
    /* the running kiosk: a store open all along, and a reader inside one read transaction */
    store *kiosk = NULL;
    CHECK(store_open(&kiosk, LIVE, err, sizeof err) == 0, "kiosk opens: %s", err);
    sqlite3 *reader = NULL;
    sqlite3_open_v2(LIVE, &reader, SQLITE_OPEN_READONLY, NULL);
    sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM service", NULL, NULL, NULL);
    const char *de[] = {"de"};
    store_offer *o = NULL;

    pack_policy pol = {.installed_version = 1, .now = (int64_t)time(NULL)};
    pack_staged sg;
    long long w0 = procio_written();
    int rc = pack_stage(DIR "/s12.kpack", LIVE, &trust, &pol, &sg, err, sizeof err);
    CHECK(rc == PACK_OK && sg.live && !sg.path[0], "staged in place: %s", err);
    CHECK(sg.changed == 10 && sg.added == 0 && sg.removed == 0, "staff see 10 offers changed (%d, %d added, %d removed)",
          sg.changed, sg.added, sg.removed);
    CHECK(leftovers(LIVE) == 0, "no copy of the database is made");
    query_text(LIVE, SUMMARY_100, now, sizeof now);
    CHECK(!strcmp(now, before), "before the commit the old content shows (%s)", now);
    CHECK(store_offer_get(kiosk, "offer-100", de, 1, &o) == 0 && !strcmp(o->summary.text, before),
          "the kiosk sees the old summary before the commit");
    store_offer_free(o);
    o = NULL;
    rc = pack_commit(&sg, LIVE, &pol, err, sizeof err);
    long long w1 = procio_written();
    struct stat wal_st;
    CHECK(stat(LIVE "-wal", &wal_st) == 0 && wal_st.st_size > 32 + 4 * 4120,
          "the switch leaves the update's pages in the WAL (%lld bytes), written back apart",
          (long long)(wal_st.st_size));
    CHECK(rc == PACK_OK && pol.installed_version == 2 && installed(LIVE) == 2, "committed: %s", err);
    query_text(LIVE, SUMMARY_100, now, sizeof now);
    CHECK(strstr(now, "(neu)") != NULL, "after the commit the new content shows (%s)", now);
    CHECK(store_offer_get(kiosk, "offer-100", de, 1, &o) == 0 && strstr(o->summary.text, "(neu)"),
          "the running kiosk's open store sees the new summary after the switch");
    store_offer_free(o);
    store_offer_row *r = NULL;
    int n = 0;
    CHECK(store_search(kiosk, "offer", de, 1, 5, &r, &n) >= 0, "search still answers on the kiosk's store");
    store_offer_rows_free(r, n);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(reader, SUMMARY_100, -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), before),
          "a reader inside its transaction keeps its snapshot");
    sqlite3_finalize(st);
    sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(reader);
    /* written back while the kiosk reads on: then the database file alone holds the update */
    /* the WAL's pages, each to be written once more into the database file */
    long long wal_pages = (wal_st.st_size - 32) / (4096 + 24);
    sh("cat " LIVE " > /dev/null"); /* the whole file in the page cache, as a reading kiosk has it */
    long long w2 = procio_written();
    CHECK(pack_settle(LIVE) == 0, "settled");
    long long w3 = procio_written();
    /* a page written into a cached folio dirtied (and counted) the whole folio: 4.8x the pages */
    CHECK(w3 - w2 <= wal_pages * 4096 * 5 / 4 + 65536,
          "the write-back writes about its %lld pages (%lld bytes for %lld bytes of pages)", wal_pages, w3 - w2,
          wal_pages * 4096);
    sh("rm -f " DIR "/settled.db-wal " DIR "/settled.db-shm && cp " LIVE " " DIR "/settled.db");
    CHECK(installed(DIR "/settled.db") == 2, "after pack_settle the database file alone holds the update");
    store_close(kiosk);
    w1 += w3 - w2;
    char docs[32];
    query_text(LIVE, "SELECT count(*) FROM search_doc", docs, sizeof docs);
    CHECK(atoi(docs) == 1000 && integrity_ok(LIVE), "search index whole (%s offers) and database intact", docs);
    printf("delta in place: %lld bytes written for a %lld-byte delta on a %lld-byte database (%.1fx the delta)\n",
           w1 - w0, (long long)delta_st.st_size, (long long)db_st.st_size,
           (double)(w1 - w0) / (double)delta_st.st_size);
    /* a copy of the database (what installation did before) writes all of it */
    CHECK(w0 >= 0 && (w1 - w0) * 10 < (long long)db_st.st_size, "a 1 %% delta writes %lld bytes, under a tenth of the %lld-byte database",
          w1 - w0, (long long)db_st.st_size);
}

/* A delta's re-indexed documents go to the small side index (search_new), not the main one: an
 * offer renamed by a delta is found by its new name and by a word start of it, no longer by its
 * old name, and a full re-index folds the side index back into the main one. */
#define SIDE1 DIR "/side1.db"
#define SIDE2 DIR "/side2.db"
TEST(delta_search_side)
{
    char err[1024], main_docs[32], now[32];
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev && cp " DIR "/s1.db " SIDE1 " && sqlite3 " SIDE1
       " \"UPDATE service_i18n SET name='Wombatstube' WHERE service_id='offer-100' AND lang='de'\"");
    CHECK(store_search_index(SIDE1, err, sizeof err) == 0, "index: %s", err);
    sh("cp " SIDE1 " " SIDE2 " && sqlite3 " SIDE2 " \"UPDATE meta SET value='2' WHERE key='content_version';"
       "UPDATE service_i18n SET name='Quokkahaus' WHERE service_id='offer-100' AND lang='de'\"");
    CHECK(pack_sign(SIDE1, "content/keys/demo.secret", 30, DIR "/side1.kpack", err, sizeof err) == 0 &&
              pack_sign_delta(SIDE1, SIDE2, "content/keys/demo.secret", 30, DIR "/side12.kpack", err, sizeof err) == 0,
          "sign: %s", err);
    CHECK(install_at(DIR "/side1.kpack", LIVE, err, sizeof err) == PACK_OK, "full: %s", err);
    /* kiosks from before search_new stopped merging compare its settings exactly */
    query_text(LIVE, "SELECT count(*) FROM search_new_config WHERE k='automerge'", now, sizeof now);
    CHECK(!strcmp(now, "0"), "a pack carries no automerge setting for the side index (%s rows)", now);
    query_text(LIVE, "SELECT count(*) FROM search_docsize", main_docs, sizeof main_docs);
    char number[32], again[32];
    query_text(LIVE, "SELECT id FROM search_doc WHERE oid='offer-100'", number, sizeof number);
    CHECK(install_at(DIR "/side12.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 2, "delta: %s", err);
    query_text(LIVE, "SELECT id FROM search_doc WHERE oid='offer-100'", again, sizeof again);
    CHECK(number[0] && !strcmp(number, again), "the re-indexed offer keeps its number (%s, then %s)", number, again);
    /* each delta adds a segment to search_new; merging them as they came rewrote earlier deltas'
     * segments inside the switch */
    query_text(LIVE, "SELECT v FROM search_new_config WHERE k='automerge'", now, sizeof now);
    CHECK(!strcmp(now, "0"), "the first delta stops the side index merging its segments (automerge '%s')", now);
    query_text(LIVE, "SELECT count(*) FROM search_new_docsize", now, sizeof now);
    CHECK(!strcmp(now, "17"), "the offer's 16 documents and its shared one are in the side index (%s)", now);
    query_text(LIVE, "SELECT count(*) FROM search_docsize", now, sizeof now);
    CHECK(!strcmp(now, main_docs), "the main index is left as it was (%s documents, %s before)", now, main_docs);
    query_text(LIVE, "SELECT count(*) FROM search_term WHERE term='quokkahaus'", now, sizeof now);
    CHECK(!strcmp(now, "1"), "the new name is a typo candidate (%s)", now);
    const char *de[] = {"de"};
    const char *words[] = {"quokkahaus", "quokka"};
    for (int pass = 0; pass < 2; pass++) {
        store *s = NULL;
        CHECK(store_open(&s, LIVE, err, sizeof err) == 0, "open: %s", err);
        for (int w = 0; w < 2; w++) {
            store_offer_row *r = NULL;
            int n = 0;
            CHECK(s && store_search(s, words[w], de, 1, 10, &r, &n) == 0 && n >= 1 && !strcmp(r[0].id, "offer-100"),
                  "pass %d: \"%s\" finds the renamed offer first (%d rows)", pass, words[w], n);
            store_offer_rows_free(r, n);
        }
        store_offer_row *r = NULL;
        int n = 0;
        CHECK(s && store_search(s, "wombatstube", de, 1, 10, &r, &n) == 0 && n == 0,
              "pass %d: the old name finds nothing (%d rows)", pass, n);
        store_offer_rows_free(r, n);
        store_close(s);
        if (pass == 1) break;
        /* a full re-index (what every full pack brings) leaves the side index empty */
        CHECK(store_search_index(LIVE, err, sizeof err) == 0, "re-index: %s", err);
        query_text(LIVE, "SELECT count(*) FROM search_new_docsize", now, sizeof now);
        CHECK(!strcmp(now, "0"), "after a full re-index the side index is empty (%s)", now);
    }
    CHECK(integrity_ok(LIVE), "database intact");
    /* renamed again by the next delta: its number has documents in search_new, which cannot
     * forget them, so it gets a new one; the name before is no longer found */
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev && cp " SIDE2 " " DIR "/side3.db && sqlite3 " DIR "/side3.db"
       " \"UPDATE meta SET value='3' WHERE key='content_version';"
       "UPDATE service_i18n SET name='Numbathof' WHERE service_id='offer-100' AND lang='de'\"");
    CHECK(pack_sign_delta(SIDE2, DIR "/side3.db", "content/keys/demo.secret", 30, DIR "/side23.kpack", err, sizeof err) == 0,
          "sign: %s", err);
    CHECK(install_at(DIR "/side1.kpack", LIVE, err, sizeof err) == PACK_OK &&
              install_at(DIR "/side12.kpack", LIVE, err, sizeof err) == PACK_OK &&
              install_at(DIR "/side23.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 3,
          "three versions: %s", err);
    query_text(LIVE, "SELECT id FROM search_doc WHERE oid='offer-100'", again, sizeof again);
    CHECK(strcmp(number, again) != 0, "renamed twice, the offer is numbered anew (%s, then %s)", number, again);
    const char *names[] = {"numbathof", "quokkahaus", "wombatstube"};
    for (int w = 0; w < 3; w++) {
        store *s = NULL;
        store_offer_row *r = NULL;
        int n = 0;
        int at = -1; /* where offer-100 is among the rows */
        CHECK(store_open(&s, LIVE, err, sizeof err) == 0 && store_search(s, names[w], de, 1, 50, &r, &n) == 0, "search: %s", err);
        for (int i = 0; i < n && at < 0; i++)
            if (!strcmp(r[i].id, "offer-100")) at = i;
        CHECK(w == 0 ? at == 0 : at < 0, "after the second delta \"%s\" finds the offer at %d of %d rows", names[w], at, n);
        store_offer_rows_free(r, n);
        store_close(s);
    }
    /* content installed from a pack made before search_new: the delta starts the table */
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm && cp " SIDE1 " " LIVE " && sqlite3 " LIVE
       " \"PRAGMA journal_mode=WAL; DROP TABLE search_new\" > /dev/null");
    CHECK(install_at(DIR "/side12.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 2, "delta: %s", err);
    query_text(LIVE, "SELECT count(*) FROM search_new_docsize", now, sizeof now);
    store *s = NULL;
    store_offer_row *r = NULL;
    int n = 0;
    CHECK(!strcmp(now, "17") && store_open(&s, LIVE, err, sizeof err) == 0 &&
              store_search(s, "quokkahaus", de, 1, 10, &r, &n) == 0 && n >= 1 && !strcmp(r[0].id, "offer-100"),
          "on content without search_new the delta starts it (%s documents) and search finds the new name (%d rows)", now, n);
    store_offer_rows_free(r, n);
    store_close(s);
    /* any other setting of the side index has to be the kiosk's own */
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev && cp " SIDE1 " " DIR "/side0.db && sqlite3 " DIR "/side0.db"
       " \"INSERT OR REPLACE INTO search_new_config(k, v) VALUES('crisismerge', 64)\"");
    CHECK(pack_sign(DIR "/side0.db", "content/keys/demo.secret", 30, DIR "/side0.kpack", err, sizeof err) == 0, "sign: %s", err);
    CHECK(install_at(DIR "/side0.kpack", LIVE, err, sizeof err) == PACK_ERR_SCHEMA && strstr(err, "crisismerge"),
          "another setting of search_new is refused: %s", err);
}

/* A delta whose changes conflict with the installed content rolls back whole. */
TEST(delta_in_place_conflict)
{
    char err[1024], s200[512], now[512];
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm && cp " DIR "/s1.db " LIVE " && sqlite3 " LIVE
       " 'PRAGMA journal_mode=WAL' > /dev/null");
    query_text(LIVE, "SELECT summary FROM service_i18n WHERE service_id='offer-200' AND lang='de'", s200, sizeof s200);
    /* offer-900's German summary changed here: the delta was not made from this content */
    sh("sqlite3 " LIVE " \"UPDATE service_i18n SET summary='local' WHERE service_id='offer-900' AND lang='de'\"");
    int rc = install_at(DIR "/s12.kpack", LIVE, err, sizeof err);
    CHECK(rc == PACK_ERR_BASE && strstr(err, "do not fit"), "conflict refused with a reason: %s", err);
    query_text(LIVE, "SELECT summary FROM service_i18n WHERE service_id='offer-200' AND lang='de'", now, sizeof now);
    CHECK(installed(LIVE) == 1 && !strcmp(now, s200), "nothing of the delta stays (offer-200: %s)", now);
    query_text(LIVE, "SELECT summary FROM service_i18n WHERE service_id='offer-900' AND lang='de'", now, sizeof now);
    CHECK(!strcmp(now, "local") && integrity_ok(LIVE), "the content is as it was");
    CHECK(leftovers(LIVE) == 0, "no staged leftovers");
}

/* A signed delta whose result the content does not derive (every offer deleted, its list rows
 * left; category counts of -5; a list row of an offer that does not exist) is refused in place as
 * verify refuses it on a copy, and the installed content stays as it was. */
TEST(delta_in_place_derived_checked)
{
    static const struct {
        const char *sql, *want;
    } cases[] = {
        {"DELETE FROM service", "list rows do not match"},
        {"UPDATE taxonomy_count SET offers = -5 WHERE term_id = (SELECT min(term_id) FROM taxonomy_count)", "not match"},
        {"INSERT INTO service_row SELECT 'ghost-offer', active, organization_id, location_id, city, languages, bookable,"
         " provider_langs FROM service_row LIMIT 1", "ghost-offer"},
        /* more rows than the build allows (the topics screen lays out every category) */
        {"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO taxonomy_term(id)"
         " SELECT 'extra-' || i FROM n", "more than 100 categories (all)"},
        {"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 51) INSERT INTO schedule(id,"
         " service_id, freq, byday, opens_at, closes_at) SELECT 'extra-' || i, 'offer-7', 'WEEKLY', 'MO', '09:00',"
         " '10:00' FROM n", "more than 50 schedules (offer-7)"},
        /* a schedule the booking room would expand as it stands */
        {"UPDATE schedule SET slot_minutes = 30, capacity = 2147483647 WHERE id = 'offer-7#0'",
         "schedule offer-7#0: slot_minutes (5 to the opening's length) or capacity (1-1000) out of range"},
        {"UPDATE schedule SET timezone = 'Mars/Olympus' WHERE id = 'offer-7#0'", "offer-7#0: timezone"},
        /* changes to one table, read by checks of others (a delta is checked where its tables reach) */
        {"DELETE FROM organization WHERE id = (SELECT organization_id FROM service WHERE id = 'offer-7')",
         "refers to a missing organization"},
        {"UPDATE service_i18n SET service_id = 'nowhere' WHERE service_id = 'offer-7'", "service_i18n refers to a missing service"},
        {"UPDATE phone SET number = '+49 1', organization_id = 'nowhere' WHERE id = 'org-1'", "phone refers to a missing organization"},
        {"UPDATE phone SET service_id = 'nowhere' WHERE id = 'org-1'", "phone refers to a missing service"},
        {"UPDATE location SET city = 'Elsewhere' WHERE id = (SELECT location_id FROM service_row WHERE service_id = 'offer-7')",
         "list rows do not match the content (offer offer-"},
        {"UPDATE organization_i18n SET name = '' WHERE organization_id = (SELECT organization_id FROM service WHERE id ="
         " 'offer-7')", "list rows do not match"},
        /* 40 new languages: the search index numbers 31 (was refused as an I/O error while indexing) */
        {"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO service_i18n(service_id,"
         " lang, status, name) SELECT 'offer-7', 'x' || i, 'complete', 'X' FROM n", "not a language of this kiosk"},
    };
    char err[1024];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sh("rm -f " DIR "/sx.db " DIR "/sx.kpack " LIVE " " LIVE "-wal " LIVE "-shm && cp " DIR "/s1.db " DIR "/sx.db && cp "
           DIR "/s1.db " LIVE " && sqlite3 " LIVE " 'PRAGMA journal_mode=WAL' > /dev/null");
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "sqlite3 %s/sx.db \"%s; UPDATE meta SET value='2' WHERE key='content_version'\"", DIR,
                 cases[i].sql);
        CHECK(system(cmd) == 0, "case %zu: the changed content", i);
        CHECK(pack_sign_delta(DIR "/s1.db", DIR "/sx.db", "content/keys/demo.secret", 30, DIR "/sx.kpack", err, sizeof err) ==
                  0, "case %zu: signed delta: %s", i, err);
        int rc = install_at(DIR "/sx.kpack", LIVE, err, sizeof err);
        CHECK(rc == PACK_ERR_SCHEMA && strstr(err, cases[i].want), "case %zu refused in place (%d): %s", i, rc, err);
        CHECK(installed(LIVE) == 1 && integrity_ok(LIVE) && leftovers(LIVE) == 0, "case %zu: the content is as it was", i);
    }
}

/* The disk fills up in the middle of applying a delta: rolled back, a reason, and the next try works. */
TEST(delta_disk_full)
{
    char err[1024];
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm && cp " DIR "/s1.db " LIVE " && sqlite3 " LIVE
       " 'PRAGMA journal_mode=WAL' > /dev/null");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        /* files may not grow past a few WAL frames (beyond the 32 KiB WAL index): a write crossing the limit is cut short, as on
         * a full disk */
        struct rlimit lim = {32 + 12 * 4120 + 1000, 32 + 12 * 4120 + 1000};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &lim);
        int rc = install_at(DIR "/s12.kpack", LIVE, err, sizeof err);
        if (write(fds[1], err, strlen(err) + 1) < 0) _exit(99);
        _exit(rc);
    }
    close(fds[1]);
    char msg[1024] = "";
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    msg[got > 0 ? got : 0] = 0;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == PACK_ERR_DISK && strstr(msg, "disk space"),
          "full disk refused with a reason (status %d): %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg);
    CHECK(installed(LIVE) == 1 && integrity_ok(LIVE) && leftovers(LIVE) == 0, "old content intact");
    CHECK(install_at(DIR "/s12.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 2,
          "with room again the delta installs: %s", err);
}

/*
 * Staff mode and kiosk-pack install from a stick keep the free-space reserve (disk_reserve_mib)
 * as the sync thread does: with a petabyte to keep free nothing is staged, a full pack or a
 * delta, and the reason names the figures; with the reserve back to normal both install.
 */
TEST(stage_disk_reserve)
{
    char err[1024];
    sh("cp " DIR "/v3.db " DIR "/content.db");
    pack_policy pol = {.installed_version = 3, .now = (int64_t)time(NULL), .reserve_bytes = (int64_t)1 << 50};
    pack_staged sg;
    int rc = pack_stage(DIR "/v4.kpack", DIR "/content.db", &trust, &pol, &sg, err, sizeof err);
    CHECK(rc == PACK_ERR_DISK && strstr(err, "free disk space") && strstr(err, "reserve of 1073741824 MiB") &&
              strstr(err, "MiB free") && !sg.held,
          "a full pack refused (%d): %s", rc, err);
    pack_unstage(&sg); /* harmless when nothing is held */
    CHECK(installed(DIR "/content.db") == 3 && leftovers(DIR "/content.db") == 0 && !pack_busy(DIR "/content.db"),
          "nothing staged, nothing held");
    pack_manifest m;
    rc = pack_install(DIR "/v4.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err);
    CHECK(rc == PACK_ERR_DISK && strstr(err, "reserve") && installed(DIR "/content.db") == 3, "install too (%d): %s", rc,
          err);
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev");
    CHECK(install_at(DIR "/s1.kpack", LIVE, err, sizeof err) == PACK_OK, "full s1: %s", err);
    pack_policy dpol = {.installed_version = 1, .now = (int64_t)time(NULL), .reserve_bytes = (int64_t)1 << 50};
    rc = pack_stage(DIR "/s12.kpack", LIVE, &trust, &dpol, &sg, err, sizeof err);
    CHECK(rc == PACK_ERR_DISK && strstr(err, "reserve") && !sg.held && installed(LIVE) == 1 && integrity_ok(LIVE),
          "a delta in place refused (%d): %s", rc, err);
    pack_unstage(&sg);
    pol.reserve_bytes = dpol.reserve_bytes = 0; /* the default */
    CHECK(pack_install(DIR "/v4.kpack", DIR "/content.db", &trust, &pol, &m, err, sizeof err) == PACK_OK &&
              installed(DIR "/content.db") == 4,
          "with the default reserve the pack installs: %s", err);
    CHECK(pack_stage(DIR "/s12.kpack", LIVE, &trust, &dpol, &sg, err, sizeof err) == PACK_OK &&
              pack_commit(&sg, LIVE, &dpol, err, sizeof err) == PACK_OK && installed(LIVE) == 2,
          "and the delta: %s", err);
}

/* install_at in a child that runs as nobody (as the kiosk user would, on a folder root owns);
 * the exit status is the pack_err, err the reason. Root is not refused by permissions. */
static int install_as_nobody(const char *pack, const char *content, char *err, size_t errlen)
{
    int fds[2];
    err[0] = 0;
    if (pipe(fds) != 0) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        int rc = 99;
        if (setgid(65534) == 0 && setuid(65534) == 0) rc = install_at(pack, content, err, errlen);
        else snprintf(err, errlen, "cannot become nobody");
        if (write(fds[1], err, strlen(err) + 1) < 0) _exit(98);
        _exit(rc);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], err, errlen - 1);
    err[got > 0 ? got : 0] = 0;
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The copy path of a delta (the content is not in WAL mode, or this user cannot write it in
 * place) when the content's folder is not writable by the installing user: the copy cannot be
 * made beside the content, so the delta is refused with the reason, and the content stays as it
 * was, whole, with nothing left beside it. With the folder writable but the database file not,
 * the copy is made and switched in. Never a corrupt or half-updated database.
 */
TEST(delta_copy_unwritable_folder)
{
    char err[1024];
    if (getuid() != 0) {
        printf("not root: the folder's permissions cannot be taken from another user here; skipped\n");
        return;
    }
    /* under /tmp, not the build folder: nobody cannot pass a checkout's parents made by mktemp -d
     * (0700), and would be refused for that instead of for the folder under test */
    char base[] = "/tmp/kiosk-unwritable-XXXXXX", rod[64], roc[80], kp[80];
    int made = mkdtemp(base) && chmod(base, 0755) == 0;
    CHECK(made, "a folder under /tmp: %s", strerror(errno));
    if (!made) return;
    snprintf(rod, sizeof rod, "%s/ro", base);
    snprintf(roc, sizeof roc, "%s/content.db", rod);
    snprintf(kp, sizeof kp, "%s/s12.kpack", base);
    CHECK(check_sh("cp " DIR "/s12.kpack %s && chmod 644 %s", kp, kp) == 0, "the delta where nobody reads it");
    /* a folder root owns, a database (rollback journal, so the delta takes the copy path) the
     * installing user may write, and the lock file root made at setup */
    check_sh("rm -rf %s && mkdir -p %s && cp " DIR "/s1.db %s && sqlite3 %s 'PRAGMA journal_mode=DELETE' >/dev/null &&"
             " touch %s.lock && chown nobody %s && chmod 755 %s",
             rod, rod, roc, roc, roc, roc, rod);
    int rc = install_as_nobody(kp, roc, err, sizeof err);
    CHECK(rc == PACK_ERR_IO && strstr(err, "could not be read or written") && strstr(err, "Permission denied"),
          "refused with the reason (%d): %s", rc, err);
    CHECK(installed(roc) == 1 && integrity_ok(roc) && leftovers(roc) == 0, "the content as it was, nothing beside it");
    /* the same without the lock file: it cannot be made either */
    check_sh("rm -f %s.lock", roc);
    rc = install_as_nobody(kp, roc, err, sizeof err);
    CHECK(rc != PACK_OK && rc != 99 && err[0] && installed(roc) == 1 && integrity_ok(roc) && leftovers(roc) == 0,
          "no lock file to be made: refused (%d): %s", rc, err);
    printf("unwritable folder, no lock file: %d %s\n", rc, err);
    /* WAL content without its -wal/-shm files, in that folder: no in-place write, no copy */
    check_sh("sqlite3 %s 'PRAGMA journal_mode=WAL' >/dev/null && rm -f %s-wal %s-shm && touch %s.lock && chown nobody %s",
             roc, roc, roc, roc, roc);
    rc = install_as_nobody(kp, roc, err, sizeof err);
    CHECK((rc == PACK_OK && installed(roc) == 2) ||
              (rc == PACK_ERR_IO && strstr(err, "installed content cannot be read") && installed(roc) == 1),
          "WAL content: installed, or refused saying why (not \"for another installed version\") (%d): %s", rc, err);
    printf("unwritable folder, WAL content without -wal/-shm: %d %s\n", rc, rc == PACK_OK ? "installed" : err);
    CHECK(integrity_ok(roc) && leftovers(roc) == 0, "and whole either way");
    /* the folder writable, the database file not: the copy is made and switched in */
    check_sh("rm -rf %s && mkdir -p %s && cp " DIR "/s1.db %s && sqlite3 %s 'PRAGMA journal_mode=DELETE' >/dev/null &&"
             " chmod 444 %s && chown nobody %s",
             rod, rod, roc, roc, roc, rod);
    rc = install_as_nobody(kp, roc, err, sizeof err);
    CHECK(rc == PACK_OK && installed(roc) == 2 && integrity_ok(roc) && leftovers(roc) == 0,
          "a read-only database in a writable folder: copied and switched (%d): %s", rc, err);
    check_sh("rm -rf %s", base);
}

/* kill -9 at random moments while a delta is applied in place: always v4 or v5, never a mix. */
TEST(kill_during_delta)
{
    char err[1024];
    srand(11);
    /* v4 as installed content (WAL mode), kept aside to start each round from */
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm && cp " DIR "/v4.db " DIR "/live4.db && sqlite3 " DIR
       "/live4.db 'PRAGMA journal_mode=WAL' > /dev/null");
    long span = 1;
    for (int k = 0; k < 3; k++) {
        struct timespec t0, t1;
        sh("rm -f " LIVE "-wal " LIVE "-shm && cp " DIR "/live4.db " LIVE);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) _exit(install_at(DIR "/d45.kpack", LIVE, err, sizeof err) == PACK_OK ? 0 : 1);
        int status = 1;
        waitpid(pid, &status, 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && installed(LIVE) == 5, "timed delta %d", k);
        long us = ((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000) * 3 / 2 + 1;
        if (us > span) span = us;
    }
    int mixed = 0, saw_new = 0, saw_old = 0;
    for (int i = 0; i < 40; i++) {
        sh("rm -f " LIVE "-wal " LIVE "-shm && cp " DIR "/live4.db " LIVE);
        pid_t pid = fork();
        if (pid == 0) {
            install_at(DIR "/d45.kpack", LIVE, err, sizeof err);
            _exit(0);
        }
        usleep((useconds_t)(rand() % span));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int64_t v = installed(LIVE);
        char name[128], gone[64], found[64];
        query_text(LIVE, "SELECT name FROM service_i18n WHERE service_id='zahnarzt' AND lang='de'", name, sizeof name);
        query_text(LIVE, "SELECT count(*) FROM service WHERE id='beratung'", gone, sizeof gone);
        query_text(LIVE, "SELECT count(*) FROM search_doc WHERE oid='beratung'", found, sizeof found);
        int renamed = !strcmp(name, "Zahnarztpraxis");
        if (v == 4 && !renamed && !strcmp(gone, "1") && !strcmp(found, "1")) saw_old++;
        else if (v == 5 && renamed && !strcmp(gone, "0") && !strcmp(found, "0")) saw_new++;
        else {
            printf("mixed: version %lld, name %s, beratung %s, indexed %s\n", (long long)v, name, gone, found);
            mixed++;
        }
        if (!integrity_ok(LIVE)) mixed++;
        pack_cleanup(LIVE);
    }
    CHECK(mixed == 0, "%d runs left a broken or mixed database", mixed);
    CHECK(saw_old + saw_new == 40 && saw_old > 0 && saw_new > 0, "kills landed before and after the commit: old %d, new %d",
          saw_old, saw_new);
}

/* A full pack replaces content that was updated in place while the kiosk reads the old file:
 * that reader keeps the old content whole, and a later delta never mixes into it. */
TEST(full_over_in_place)
{
    char err[1024];
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm && cp " DIR "/live4.db " LIVE);
    CHECK(install_at(DIR "/d45.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 5, "4 -> 5 in place: %s", err);
    store *old = NULL;
    CHECK(store_open(&old, LIVE, err, sizeof err) == 0, "the kiosk reads version 5");
    const char *de[] = {"de"};
    store_offer *o = NULL;
    CHECK(old && store_offer_get(old, "zahnarzt", de, 1, &o) == 0, "reads an offer");
    store_offer_free(o);
    /* a full pack 6, then a delta 6 -> 7 applied in place on it */
    make_db(6, DIR "/v6.db");
    make_db(7, DIR "/v7.db");
    sh("sqlite3 " DIR "/v7.db \"UPDATE service_i18n SET name='Zahnklinik' WHERE service_id='zahnarzt' AND lang='de'\"");
    CHECK(pack_sign(DIR "/v6.db", "content/keys/demo.secret", 30, DIR "/v6.kpack", err, sizeof err) == 0 &&
              pack_sign_delta(DIR "/v6.db", DIR "/v7.db", "content/keys/demo.secret", 30, DIR "/d67.kpack", err,
                              sizeof err) == 0,
          "packs 6 and 6 -> 7: %s", err);
    CHECK(install_at(DIR "/v6.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 6, "full 6: %s", err);
    CHECK(installed(LIVE ".prev") == 5, "version 5 kept whole as the previous content");
    /* a reader of version 6 inside a transaction keeps the delta's pages in the WAL after its commit */
    sqlite3 *pin = NULL;
    sqlite3_open_v2(LIVE, &pin, SQLITE_OPEN_READONLY, NULL);
    sqlite3_exec(pin, "BEGIN; SELECT count(*) FROM service", NULL, NULL, NULL);
    CHECK(install_at(DIR "/d67.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 7, "6 -> 7 in place: %s", err);
    char *v = old ? store_meta(old, "content_version") : NULL;
    o = NULL;
    int same = old && store_offer_get(old, "zahnarzt", de, 1, &o) == 0 && !strcmp(o->name.text, "Zahnarztpraxis");
    CHECK(v && !strcmp(v, "5") && same, "the kiosk still on the old file reads version 5 whole (%s, %s)", v ? v : "error",
          o ? o->name.text : store_errmsg(old));
    store_offer_free(o);
    free(v);
    store_close(old);
    sqlite3_exec(pin, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(pin);
    char name[64];
    query_text(LIVE, "SELECT name FROM service_i18n WHERE service_id='zahnarzt' AND lang='de'", name, sizeof name);
    CHECK(!strcmp(name, "Zahnklinik") && integrity_ok(LIVE), "reopened, it reads version 7 (%s)", name);
}

/* ---------- a full switch and the replaced content's WAL ---------- */

/* A kill -9 at every point of an installation: in this process, each rename, link and unlink of
 * a file whose name begins with crash_prefix is counted, and the crash_at-th kills it right after
 * it was done. The executable's definitions win over libc's, for SQLite's own calls too. */
static char crash_prefix[256];
static int crash_at, crash_ops;

static void crash_point(const char *path)
{
    if (crash_prefix[0] && !strncmp(path, crash_prefix, strlen(crash_prefix)) && ++crash_ops == crash_at)
        raise(SIGKILL);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "rename");
    int rc = real(from, to);
    crash_point(to);
    return rc;
}

int link(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "link");
    int rc = real(from, to);
    crash_point(to);
    return rc;
}

int unlink(const char *path)
{
    static int (*real)(const char *);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "unlink");
    int rc = real(path);
    crash_point(path);
    return rc;
}

/* The kiosk reading in another process: a read transaction on db, its snapshot taken before this
 * returns, held until the process is killed. Its pid, or -1. */
static pid_t start_reader(const char *db)
{
    int ready[2];
    if (pipe(ready) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        sqlite3 *r = NULL;
        int ok = sqlite3_open_v2(db, &r, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
                 sqlite3_db_config(r, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) == SQLITE_OK &&
                 sqlite3_exec(r, "BEGIN; SELECT count(*) FROM service", NULL, NULL, NULL) == SQLITE_OK;
        char c = ok ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1) _exit(1);
        for (;;) pause();
    }
    close(ready[1]);
    char c = 'n';
    if (pid < 0 || read(ready[0], &c, 1) != 1 || c != 'y') {
        if (pid > 0) kill(pid, SIGKILL), waitpid(pid, NULL, 0);
        pid = -1;
    }
    close(ready[0]);
    return pid;
}

static void end_reader(pid_t pid)
{
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* What db holds, as the next start reads it: version, an offer the delta renames, offers, search
 * documents and the integrity check, in one line. */
static void fingerprint(const char *db, char *out, size_t len)
{
    char v[32], name[128], n[32], docs[32], ok[64];
    query_text(db, "SELECT value FROM meta WHERE key='content_version'", v, sizeof v);
    query_text(db, "SELECT name FROM service_i18n WHERE service_id='zahnarzt' AND lang='de'", name, sizeof name);
    query_text(db, "SELECT count(*) FROM service", n, sizeof n);
    query_text(db, "SELECT count(*) FROM search_doc", docs, sizeof docs);
    query_text(db, "PRAGMA integrity_check", ok, sizeof ok);
    snprintf(out, len, "version %s, %s, %s offers, %s documents, %s", v, name, n, docs, ok);
}

/* Version 5 (a delta applied in place to 4) is replaced by the full pack 6 while a reader still
 * holds a snapshot of 4, so the delta's pages cannot be written back: CONTENT-wal still holds
 * them. A kill -9 at each point of that installation (and of one with the reader gone) leaves
 * version 5 whole or version 6 whole, and CONTENT.prev, when there is one, version 5 whole. */
TEST(full_switch_keeps_wal_apart)
{
    char err[1024], fp5[512] = "", fp6[512], fp[512], pfp[512];
    /* 6 laid out otherwise than 4 (long descriptions and addresses within the build's lengths, then VACUUM): pages of 5 read
     * into it show as a broken database, not by chance as 5 */
    make_db(6, DIR "/v6x.db");
    sh("sqlite3 " DIR "/v6x.db \"UPDATE service_i18n SET name='Zahnklinik' WHERE service_id='zahnarzt' AND lang='de';"
       "UPDATE organization SET url='https://example.org/' || hex(randomblob(200));"
       "UPDATE service_i18n SET description=hex(randomblob(1950)); VACUUM\"");
    CHECK(store_search_index(DIR "/v6x.db", err, sizeof err) == 0 &&
              pack_sign(DIR "/v6x.db", "content/keys/demo.secret", 30, DIR "/v6x.kpack", err, sizeof err) == 0,
          "pack 6: %s", err);
    sh("rm -f " DIR "/ref6.db " DIR "/ref6.db-wal " DIR "/ref6.db-shm");
    CHECK(install_at(DIR "/v6x.kpack", DIR "/ref6.db", err, sizeof err) == PACK_OK, "6 on its own: %s", err);
    fingerprint(DIR "/ref6.db", fp6, sizeof fp6);
    int bad = 0, crashes = 0;
    for (int pinned = 1; pinned >= 0; pinned--) {
        for (int k = 1; k < 100; k++) {
            sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev " LIVE ".prev-wal " LIVE ".prev-shm " LIVE
               ".prev.tmp && cp " DIR "/live4.db " LIVE);
            pid_t reader = start_reader(LIVE);
            struct stat ws;
            int rc = install_at(DIR "/d45.kpack", LIVE, err, sizeof err);
            if (!fp5[0]) fingerprint(LIVE, fp5, sizeof fp5);
            if (reader < 0 || rc != PACK_OK || stat(LIVE "-wal", &ws) != 0 || ws.st_size == 0) {
                CHECK(0, "4 -> 5 in place beside a reader of 4, its pages still in the WAL: %s", err);
                end_reader(reader);
                break;
            }
            if (!pinned) end_reader(reader);
            pid_t pid = fork();
            if (pid == 0) {
                snprintf(crash_prefix, sizeof crash_prefix, "%s", LIVE);
                crash_at = k;
                rc = install_at(DIR "/v6x.kpack", LIVE, err, sizeof err);
                _exit(rc == PACK_OK ? 0 : rc == PACK_ERR_READING ? 2 : 1);
            }
            int status = 0;
            waitpid(pid, &status, 0);
            end_reader(reader); /* a power cut: nothing of the kiosk is left running */
            fingerprint(LIVE, fp, sizeof fp);
            int whole = !strcmp(fp, fp5) || !strcmp(fp, fp6);
            if (!whole) printf("%s, kill -9 after file operation %d: %s\n", pinned ? "reader" : "no reader", k, fp);
            int prev_whole = 1;
            if (access(LIVE ".prev", F_OK) == 0) {
                fingerprint(LIVE ".prev", pfp, sizeof pfp);
                prev_whole = !strcmp(pfp, fp5);
                if (!prev_whole) printf("%s, kill -9 after file operation %d: previous %s\n", pinned ? "reader" : "no reader", k, pfp);
            }
            bad += !whole + !prev_whole;
            pack_cleanup(LIVE);
            if (WIFSIGNALED(status)) {
                crashes++;
                continue;
            }
            /* the installation ran to its end: the switch waits while the reader keeps the WAL */
            if (pinned)
                CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && !strcmp(fp, fp5),
                      "beside a reader of an older snapshot the full pack is refused for now (%d), 5 stays: %s",
                      WEXITSTATUS(status), fp);
            else
                CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && !strcmp(fp, fp6),
                      "with the reader gone the full pack installs (%d): %s", WEXITSTATUS(status), fp);
            break;
        }
    }
    CHECK(bad == 0, "%d of %d kills left a mixed database or an incomplete previous one (5 is \"%s\", 6 \"%s\")", bad,
          crashes, fp5, fp6);
    CHECK(crashes > 4, "kills at %d points", crashes);
    /* what the installer says, and that it leaves nothing behind */
    sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev && cp " DIR "/live4.db " LIVE);
    pid_t reader = start_reader(LIVE);
    CHECK(install_at(DIR "/d45.kpack", LIVE, err, sizeof err) == PACK_OK, "4 -> 5: %s", err);
    int rc = install_at(DIR "/v6x.kpack", LIVE, err, sizeof err);
    CHECK(rc == PACK_ERR_READING && strstr(err, "still being read") && strstr(err, "WAL") && !strstr(err, "another installation") &&
              installed(LIVE) == 5 && leftovers(LIVE) == 0 && access(LIVE ".prev", F_OK) != 0,
          "refused while the content is read (not as another installation), 5 installed, nothing left: %d %s", rc, err);
    end_reader(reader);
    CHECK(install_at(DIR "/v6x.kpack", LIVE, err, sizeof err) == PACK_OK && installed(LIVE) == 6 &&
              installed(LIVE ".prev") == 5,
          "the next try installs 6, 5 kept: %s", err);
    /* a WAL with frames beside content SQLite cannot read, or beside none: it blocks no full pack */
    for (int gone = 0; gone < 2; gone++) {
        sh("rm -f " LIVE " " LIVE "-wal " LIVE "-shm " LIVE ".prev && cp " DIR "/live4.db " LIVE);
        reader = start_reader(LIVE);
        CHECK(install_at(DIR "/d45.kpack", LIVE, err, sizeof err) == PACK_OK, "4 -> 5: %s", err);
        end_reader(reader);
        sh(gone ? "rm -f " LIVE " " LIVE "-shm" : "head -c 5000 /dev/urandom > " LIVE " && rm -f " LIVE "-shm");
        rc = install_at(DIR "/v6x.kpack", LIVE, err, sizeof err);
        fingerprint(LIVE, fp, sizeof fp);
        CHECK(rc == PACK_OK && !strcmp(fp, fp6), "%s: 6 installs whole (%d %s): %s",
              gone ? "no content" : "broken content", rc, err, fp);
    }
}

/* ---------- compressed packs (format 2) ---------- */

/* data[0..len) compressed with zstd into path. 0, or -1. */
static int write_zstd(const char *path, const void *data, size_t len)
{
    size_t cap = ZSTD_compressBound(len);
    void *z = malloc(cap);
    size_t n = z ? ZSTD_compress(z, cap, data, len, 3) : 0;
    FILE *f = z && !ZSTD_isError(n) ? fopen(path, "wb") : NULL;
    int ok = f && fwrite(z, 1, n, f) == n;
    if (f) fclose(f);
    free(z);
    return ok ? 0 : -1;
}

/* A full pack of mini v4 signed over payload (as it is) with the given manifest fields. */
static int sign_v4(const char *payload, int format, const char *compression, int64_t content_size, const char *out,
                   const char *kind)
{
    char err[1024];
    pack_manifest m = {.format = format, .content_version = 4, .content_size = content_size};
    snprintf(m.pack_id, sizeof m.pack_id, "mini");
    snprintf(m.kind, sizeof m.kind, "%s", kind);
    if (!strcmp(kind, "delta")) m.base_version = 3;
    snprintf(m.compression, sizeof m.compression, "%s", compression);
    int rc = pack_sign_manifest(payload, &m, "content/keys/demo.secret", 30, out, err, sizeof err);
    if (rc) printf("sign: %s\n", err);
    return rc;
}

static int tables_changeset(const char *old_db, const char *new_db, const char *const *tables, const char *out);

/* The meta rows of new_db against old_db as a changeset at out: what a signer who edits the
 * payload by hand could ship as a delta. 0 when written. */
static int meta_changeset(const char *old_db, const char *new_db, const char *out)
{
    static const char *const meta[] = {"meta", NULL};
    return tables_changeset(old_db, new_db, meta, out);
}

/* The rows of the NULL-ended tables of new_db against old_db as a changeset at out. 0 when written. */
static int tables_changeset(const char *old_db, const char *new_db, const char *const *tables, const char *out)
{
    sqlite3 *db = NULL;
    sqlite3_session *ses = NULL;
    void *blob = NULL;
    int n = 0, rc = -1;
    char sql[700];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS old", old_db);
    if (sqlite3_open_v2(new_db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK && sqlite3session_create(db, "main", &ses) == SQLITE_OK) {
        int ok = 1;
        for (const char *const *t = tables; ok && *t; t++)
            ok = sqlite3session_attach(ses, *t) == SQLITE_OK && sqlite3session_diff(ses, "old", *t, NULL) == SQLITE_OK;
        if (!ok || sqlite3session_changeset(ses, &n, &blob) != SQLITE_OK || n <= 0) n = 0;
    }
    if (n > 0) {
        FILE *f = fopen(out, "wb");
        rc = f && fwrite(blob, 1, (size_t)n, f) == (size_t)n ? 0 : -1;
        if (f) fclose(f);
    }
    sqlite3_free(blob);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(db);
    return rc;
}

/* The payload's own pack id must be the manifest's: a pack signed for this publication whose
 * database says another id would rename the installed publication and lock out its updates. */
TEST(payload_pack_id)
{
    sh("cp " DIR "/v4.db " DIR "/pid-mix.db && sqlite3 " DIR "/pid-mix.db \"UPDATE meta SET value='mini-test' WHERE "
       "key='pack_id'\"");
    CHECK(sign_v4(DIR "/pid-mix.db", 1, "", 0, DIR "/pid-mix.kpack", "full") == 0, "signed as mini v4");
    sh("cp " DIR "/v3.db " DIR "/content.db");
    refused(DIR "/pid-mix.kpack", 3, PACK_ERR_SCHEMA, "pack id inside");
    /* the same through a delta from v3 that rewrites meta: pack id and version */
    sh("cp " DIR "/v3.db " DIR "/pid-delta.db && sqlite3 " DIR "/pid-delta.db \"UPDATE meta SET value='mini-test' WHERE "
       "key='pack_id'; UPDATE meta SET value='4' WHERE key='content_version'\"");
    CHECK(meta_changeset(DIR "/v3.db", DIR "/pid-delta.db", DIR "/pid-delta.cs") == 0, "changeset of meta written");
    CHECK(sign_v4(DIR "/pid-delta.cs", 1, "", 0, DIR "/pid-delta.kpack", "delta") == 0, "signed as mini 3 -> 4");
    sh("cp " DIR "/v3.db " DIR "/content.db && sqlite3 " DIR "/content.db 'PRAGMA journal_mode=WAL' > /dev/null");
    refused(DIR "/pid-delta.kpack", 3, PACK_ERR_SCHEMA, "pack id after the changes");
    char *pid = NULL;
    store *st = NULL;
    char err[256];
    if (store_open(&st, DIR "/content.db", err, sizeof err) == 0) pid = store_meta(st, "pack_id");
    CHECK(pid && !strcmp(pid, "mini"), "the installed publication keeps its id: %s", pid ? pid : "?");
    free(pid);
    store_close(st);
}

/* A signed payload (signed by hand, past kiosk-pack's own checks) that is not content: refused
 * whatever it is, with the installed content left as it was and nothing beside it. */
static void not_content(const char *name, const char *payload)
{
    char kp[160], err[1024];
    snprintf(kp, sizeof kp, DIR "/nc-%s.kpack", name);
    CHECK(sign_v4(payload, 1, "", 0, kp, "full") == 0, "%s signed", name);
    sh("rm -f " DIR "/content.db-wal " DIR "/content.db-shm && cp " DIR "/v3.db " DIR "/content.db");
    int rc = install(kp, 3, err, sizeof err);
    printf("payload %s: %s\n", name, err);
    CHECK(rc == PACK_ERR_SCHEMA && err[0], "%s: refused (%d): %s", name, rc, err);
    CHECK(installed(DIR "/content.db") == 3 && leftovers(DIR "/content.db") == 0, "%s: old content intact", name);
}

TEST(payload_not_content)
{
    /* the first 100 bytes of a database (its header), then noise */
    sh("(head -c 100 " DIR "/v4.db; head -c 200000 /dev/urandom) > " DIR "/nc-noise.db");
    not_content("noise", DIR "/nc-noise.db");
    /* a header claiming two billion pages (its change counter matches, so SQLite believes it) */
    sh("cp " DIR "/v4.db " DIR "/nc-pages.db && printf '\\177\\377\\377\\360' | dd of=" DIR "/nc-pages.db bs=1 seek=28 "
       "conv=notrunc 2>/dev/null && dd if=" DIR "/nc-pages.db of=" DIR "/nc-pages.db bs=1 skip=24 seek=92 count=4 "
       "conv=notrunc 2>/dev/null");
    not_content("pages", DIR "/nc-pages.db");
    /* no bytes at all */
    sh(": > " DIR "/nc-empty.db");
    not_content("empty", DIR "/nc-empty.db");
    /* the content in UTF-16: the same schema text, another encoding */
    sh("rm -f " DIR "/nc-utf16.db && sqlite3 " DIR "/nc-utf16.db 'PRAGMA encoding=\"UTF-16le\"; CREATE TABLE x(y)' && "
       "sqlite3 " DIR "/v4.db .dump | sqlite3 " DIR "/nc-utf16.db 2>/dev/null; sqlite3 " DIR "/nc-utf16.db 'DROP TABLE x'");
    not_content("utf16", DIR "/nc-utf16.db");
}

/*
 * A delta whose rows were recorded with another primary key (the signer's copy of a table had
 * one): SQLite skips such a table's changes without a word, so the version would move on while
 * the rows stay, and every later delta would not fit. Refused; the content stays.
 */
TEST(delta_other_primary_key)
{
    sh("cp " DIR "/v3.db " DIR "/pk3.db && sqlite3 " DIR "/pk3.db \"CREATE TABLE s2(service_id TEXT NOT NULL, lang TEXT "
       "NOT NULL, status TEXT NOT NULL, name TEXT, summary TEXT, description TEXT, eligibility_description TEXT, "
       "fees_description TEXT, PRIMARY KEY(service_id, lang, status)); INSERT INTO s2 SELECT * FROM service_i18n; DROP "
       "TABLE service_i18n; ALTER TABLE s2 RENAME TO service_i18n\" && cp " DIR "/pk3.db " DIR "/pk4.db && sqlite3 " DIR
       "/pk4.db \"UPDATE service_i18n SET name='Zahnklinik' WHERE service_id='zahnarzt' AND lang='de'; UPDATE meta SET "
       "value='4' WHERE key='content_version'\"");
    static const char *const tables[] = {"service_i18n", "meta", NULL};
    CHECK(tables_changeset(DIR "/pk3.db", DIR "/pk4.db", tables, DIR "/pk-delta.cs") == 0, "changeset written");
    CHECK(sign_v4(DIR "/pk-delta.cs", 1, "", 0, DIR "/pk-delta.kpack", "delta") == 0, "signed as mini 3 -> 4");
    sh("rm -f " DIR "/content.db-wal " DIR "/content.db-shm && cp " DIR "/v3.db " DIR "/content.db && sqlite3 " DIR
       "/content.db 'PRAGMA journal_mode=WAL' > /dev/null");
    refused(DIR "/pk-delta.kpack", 3, PACK_ERR_SCHEMA, "table service_i18n with another primary key");
    char name[64];
    query_text(DIR "/content.db", "SELECT name FROM service_i18n WHERE service_id='zahnarzt' AND lang='de'", name,
               sizeof name);
    CHECK(strcmp(name, "Zahnklinik") != 0, "the content as it was (%s)", name);
    /* the copy path (content not in WAL mode) refuses it too */
    sh("rm -f " DIR "/content.db-wal " DIR "/content.db-shm && cp " DIR "/v3.db " DIR "/content.db");
    refused(DIR "/pk-delta.kpack", 3, PACK_ERR_SCHEMA, "another primary key");
}

TEST(compressed_packs)
{
    char err[1024];
    pack_manifest m;
    struct stat db, pk;
    stat(DIR "/v4.db", &db);
    stat(DIR "/v4.kpack", &pk);
    CHECK(pack_read_manifest(DIR "/v4.kpack", &trust, &m, err, sizeof err) == PACK_OK && m.format == 2 &&
              !strcmp(m.compression, "zstd") && m.content_size == (int64_t)db.st_size && m.payload_size < m.content_size / 2,
          "kiosk-pack signs the database compressed: %lld bytes for %lld (%s)", (long long)m.payload_size,
          (long long)m.content_size, err);
    printf("mini pack: %lld bytes on the wire for a %lld-byte database\n", (long long)pk.st_size, (long long)db.st_size);
    /* packs from before compression (format 1) still install */
    CHECK(sign_v4(DIR "/v4.db", 1, "", 0, DIR "/v4-plain.kpack", "full") == 0, "an uncompressed pack");
    sh("rm -f " DIR "/content.db-wal " DIR "/content.db-shm && cp " DIR "/v3.db " DIR "/content.db");
    CHECK(install(DIR "/v4-plain.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4,
          "an uncompressed (format 1) pack installs: %s", err);
    sh("rm -f " DIR "/content.db-wal " DIR "/content.db-shm && cp " DIR "/v3.db " DIR "/content.db");
    /* a zip bomb: 64 MiB of zeros in a few kilobytes, signed as if it were the 250 KB database */
    size_t big = (size_t)64 << 20;
    char *zeros = calloc(1, big);
    CHECK(zeros && write_zstd(DIR "/bomb.zst", zeros, big) == 0, "bomb made");
    free(zeros);
    CHECK(sign_v4(DIR "/bomb.zst", 2, "zstd", (int64_t)db.st_size, DIR "/bomb.kpack", "full") == 0, "bomb signed");
    long long w0 = procio_written();
    int rc = install(DIR "/bomb.kpack", 3, err, sizeof err);
    long long w1 = procio_written();
    CHECK(rc == PACK_ERR_DAMAGED && strstr(err, "more than its signed size"), "zip bomb refused: %s", err);
    CHECK(w1 - w0 < 4 * (long long)db.st_size, "it wrote %lld bytes, not the 64 MiB it would unpack to", w1 - w0);
    refused(DIR "/bomb.kpack", 3, PACK_ERR_DAMAGED, "more than its signed size");
    /* a signed size no kiosk could hold is refused before anything is read */
    CHECK(sign_v4(DIR "/bomb.zst", 2, "zstd", (int64_t)100 << 30, DIR "/huge-claim.kpack", "full") == 0, "signed 100 GiB");
    refused(DIR "/huge-claim.kpack", 3, PACK_ERR_TOO_BIG, "too large");
    /* a compressed stream cut short (and signed so): damaged, not half a database */
    {
        FILE *in = fopen(DIR "/v4.db", "rb");
        char *buf = malloc((size_t)db.st_size);
        size_t n = in && buf ? fread(buf, 1, (size_t)db.st_size, in) : 0;
        if (in) fclose(in);
        CHECK(n == (size_t)db.st_size && write_zstd(DIR "/v4.zst", buf, n) == 0, "v4 compressed");
        free(buf);
        struct stat z;
        stat(DIR "/v4.zst", &z);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "head -c %lld " DIR "/v4.zst > " DIR "/cut.zst", (long long)z.st_size / 2);
        sh(cmd);
    }
    CHECK(sign_v4(DIR "/cut.zst", 2, "zstd", (int64_t)db.st_size, DIR "/cut.kpack", "full") == 0, "cut stream signed");
    refused(DIR "/cut.kpack", 3, PACK_ERR_DAMAGED, "zstd");
    /* raw database bytes labelled zstd */
    CHECK(sign_v4(DIR "/v4.db", 2, "zstd", (int64_t)db.st_size, DIR "/not-zstd.kpack", "full") == 0, "mislabelled");
    refused(DIR "/not-zstd.kpack", 3, PACK_ERR_DAMAGED, "zstd");
    /* compression belongs to format 2 full packs; another method or format is for a newer kiosk */
    CHECK(sign_v4(DIR "/v4.zst", 1, "zstd", (int64_t)db.st_size, DIR "/f1-zstd.kpack", "full") == 0, "format 1 zstd");
    refused(DIR "/f1-zstd.kpack", 3, PACK_ERR_FORMAT, "newer kiosk");
    CHECK(sign_v4(DIR "/v4.zst", 2, "xz", (int64_t)db.st_size, DIR "/xz.kpack", "full") == 0, "xz");
    refused(DIR "/xz.kpack", 3, PACK_ERR_FORMAT, "newer kiosk");
    CHECK(sign_v4(DIR "/v4.zst", 3, "", 0, DIR "/f3.kpack", "full") == 0, "format 3");
    refused(DIR "/f3.kpack", 3, PACK_ERR_FORMAT, "newer kiosk");
    CHECK(sign_v4(DIR "/v4.zst", 2, "zstd", (int64_t)db.st_size, DIR "/zdelta.kpack", "delta") == 0, "compressed delta");
    refused(DIR "/zdelta.kpack", 3, PACK_ERR_FORMAT, "newer kiosk");
    /* and the good compressed pack still installs after all that */
    CHECK(install(DIR "/v4.kpack", 3, err, sizeof err) == PACK_OK && installed(DIR "/content.db") == 4, "v4: %s", err);
}

int main(int argc, char **argv)
{
    if (argc > 1) build_dir = argv[1];
    mkdir(DIR, 0755);
    char err[512];
    if (pack_trust_add_file(&trust, "content/keys/demo.pub", err, sizeof err) != 0) {
        printf("FAIL trust: %s\n", err);
        return 1;
    }
    RUN(firmware_cannot_sign);
    RUN(manifest_times);
    RUN(good_pack);
    RUN(bad_packs);
    RUN(kill_during_install);
    RUN(stale_staging);
    RUN(concurrent_installers);
    RUN(deltas);
    RUN(delta_tables_checked);
    RUN(delta_cut_or_patchset_refused);
    RUN(payload_shape);
    RUN(search_index_probed);
    RUN(payload_values);
    RUN(fallback_to_previous);
    RUN(verify_tool);
    RUN(clock_floor);
    RUN(publication_pin);
    RUN(delta_size);
    RUN(delta_in_place);
    RUN(delta_search_side);
    RUN(delta_in_place_conflict);
    RUN(delta_in_place_derived_checked);
    RUN(delta_disk_full);
    RUN(stage_disk_reserve);
    RUN(delta_copy_unwritable_folder);
    RUN(kill_during_delta);
    RUN(full_over_in_place);
    RUN(full_switch_keeps_wal_apart);
    RUN(compressed_packs);
    RUN(payload_pack_id);
    RUN(payload_not_content);
    RUN(delta_other_primary_key);
    RUN(publication);
    RUN(exposed_secret_key);
    CHECK_DONE();
}
