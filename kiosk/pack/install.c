/*
 * install.c: installing a pack all or nothing (install.h): staging a checked copy (or a delta in
 * place), committing it and falling back. The checks are in install_check.c, the lock in
 * install_lock.c. Firmware.
 */
#include "install.h"
#include "install_priv.h"
#include "pack_priv.h"

#include "platform/storage.h"
#include "store/store.h"

/* Debian's SQLite is built with the session extension; these expose its declarations. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fsync_dir(const char *file)
{
    char *copy = strdup(file);
    int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    free(copy);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* ---------- staging ---------- */

static int abort_on_conflict(void *ctx, int why, sqlite3_changeset_iter *it)
{
    (void)ctx;
    (void)why;
    (void)it;
    return SQLITE_CHANGESET_ABORT;
}

/* A delta's payload, read whole and checked against the manifest's hash (the caller frees). */
static int read_delta(FILE *f, const pack_manifest *m, unsigned char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (m->payload_size > INT32_MAX) return pack_fail(err, errlen, PACK_ERR_TOO_BIG, "a delta of %lld bytes", (long long)m->payload_size);
    unsigned char *blob = malloc(m->payload_size > 0 ? (size_t)m->payload_size : 1);
    if (!blob) return pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
    unsigned char sha[32];
    if (fread(blob, 1, (size_t)m->payload_size, f) != (size_t)m->payload_size) {
        free(blob);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "cut short");
    }
    crypto_hash_sha256(sha, blob, (unsigned long long)m->payload_size);
    if (memcmp(sha, m->sha256, 32) != 0) {
        free(blob);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
    }
    *out = blob;
    return PACK_OK;
}

/* Installed content is kept in WAL mode, so a delta can be applied in place while the kiosk
 * reads (pack_stage). On a staged copy only: it is no one else's yet. */
static int make_wal(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = pack_open_untrusted(path, SQLITE_OPEN_READWRITE, &db) == 0 &&
             sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (!ok) pack_fail(err, errlen, PACK_ERR_IO, "cannot keep the content in WAL mode: %s", sqlite3_errmsg(db));
    sqlite3_close(db); /* the last connection: its WAL is checkpointed and removed */
    return ok ? PACK_OK : PACK_ERR_IO;
}

/* The content's WAL and its index beside it (CONTENT-wal, CONTENT-shm). */
static void remove_wal(const char *content_path)
{
    char p[PACK_PATH_MAX];
    if (!pack_beside(content_path, "-wal", p, sizeof p)) unlink(p);
    if (!pack_beside(content_path, "-shm", p, sizeof p)) unlink(p);
}

/* SQLite's result code as a pack error: no room to write (a full disk, a file size limit) is
 * PACK_ERR_DISK. A write failing at COMMIT leaves no system errno in SQLite: then the errno the
 * caller saw right after the failure (sys_errno) tells. */
static int db_code_errno(sqlite3 *db, int code, int sys_errno)
{
    int e = sqlite3_system_errno(db);
    if (!e && sqlite3_extended_errcode(db) == SQLITE_IOERR_WRITE) e = sys_errno;
    if (code == SQLITE_FULL || e == ENOSPC || e == EFBIG || e == EDQUOT) return PACK_ERR_DISK;
    return code == SQLITE_BUSY ? PACK_ERR_BUSY : PACK_ERR_IO;
}

static int db_code(sqlite3 *db, int code) { return db_code_errno(db, code, 0); }

/* An SQLite failure while writing the live content, as a pack error. */
static int db_fail(sqlite3 *db, char *err, size_t errlen, const char *what)
{
    int e = errno; /* of the failed call, before anything else runs */
    return pack_fail(err, errlen, db_code_errno(db, sqlite3_errcode(db), e), "%s: %s", what, sqlite3_errmsg(db));
}

/* A meta value of db as a number; -1 when absent. */
static int64_t meta_int(sqlite3 *db, const char *key)
{
    char *v = pack_db_meta(db, key);
    int64_t n = v ? atoll(v) : -1;
    free(v);
    return n;
}

/* 1 when meta's value for key is exactly want. */
static int meta_is(sqlite3 *db, const char *key, const char *want)
{
    char *v = pack_db_meta(db, key);
    int same = v && !strcmp(v, want);
    free(v);
    return same;
}

/*
 * A delta on the live database itself, when it is in WAL mode (content installed by this
 * version is): one write transaction applies the changeset (any conflict aborts: this is not the
 * version the delta was made from), re-indexes the offers it touched and is left open in
 * sg->live, so readers keep seeing the old content until pack_commit commits it; a kill or power
 * cut before that leaves no trace. Only the changed pages are written (to the WAL, then once
 * more by the checkpoint), instead of a copy of the whole database.
 * Returns PACK_OK, an error, or -1 when the content cannot be written in place (not in WAL mode,
 * not writable): then the caller copies it.
 */
static int stage_delta_in_place(const char *content_path, const pack_manifest *m, const unsigned char *blob,
                                const pack_tables *changed, pack_staged *sg, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    /* SQLite opens a file this user may not write read-only: then a copy is made instead */
    int wal = pack_open_untrusted(content_path, SQLITE_OPEN_READWRITE, &db) == 0 &&
              /* closing must not write the WAL back: pack_settle does, apart from the switch */
              sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) == SQLITE_OK &&
              sqlite3_db_readonly(db, "main") == 0 &&
              sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (!wal) {
        sqlite3_close(db);
        return -1;
    }
    /* the kiosk's readers each take a snapshot for a moment; a commit never waits long */
    sqlite3_busy_timeout(db, 5000);
    int rc = PACK_OK, applied;
    /* the re-index's scratch tables in memory, not in temp files written out (0.8 MB of a 1 % delta) */
    if (sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = db_fail(db, err, errlen, "cannot start the update");
        sqlite3_close(db);
        return rc;
    }
    if (meta_int(db, "content_version") != m->base_version) {
        rc = pack_fail(err, errlen, PACK_ERR_BASE, "for version %lld, installed %lld", (long long)m->base_version,
                       (long long)meta_int(db, "content_version"));
    } else if ((applied = sqlite3changeset_apply(db, (int)m->payload_size, (void *)blob, NULL, abort_on_conflict, NULL)) !=
               SQLITE_OK) {
        if (applied == SQLITE_ABORT || applied == SQLITE_CONSTRAINT)
            rc = pack_fail(err, errlen, PACK_ERR_BASE, "the changes do not fit the installed content");
        else
            rc = pack_fail(err, errlen, db_code(db, applied), "applying the changes: %s", sqlite3_errstr(applied));
    } else {
        char ierr[200];
        if (store_search_refresh_db(db, blob, (int)m->payload_size, ierr, sizeof ierr) != 0)
            rc = pack_fail(err, errlen, db_code(db, sqlite3_errcode(db)), "%s", ierr);
        else if (meta_int(db, "schema_version") != STORE_SCHEMA_VERSION)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "the changes alter the schema version");
        else if (meta_int(db, "content_version") != m->content_version)
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "content version after the changes differs from the manifest");
        else if (!meta_is(db, "pack_id", m->pack_id))
            rc = pack_fail(err, errlen, PACK_ERR_SCHEMA, "pack id after the changes differs from the manifest");
        else
            /* what the changes leave: list rows and counts as the content derives them, no
             * reference to a row that is gone (a signed delta deleting every offer left 77 list
             * rows leading nowhere, and counts of -5), where the tables changed can have broken
             * them (the whole content's checks took 36 of a 1 % delta's 60 ms) */
            rc = pack_check_derived(db, changed, err, errlen);
    }
    if (rc != PACK_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        return rc;
    }
    sg->live = db;
    return PACK_OK;
}

/* A delta: in place when the content allows it, else applied to a copy of the live database
 * beside it (then checked and, on commit, switched in like a full pack). */
static int stage_delta(FILE *f, const char *content_path, const pack_manifest *m, pack_staged *sg, char *err,
                       size_t errlen)
{
    char *tmp = sg->path;
    size_t tmplen = sizeof sg->path;
    unsigned char *blob = NULL;
    int rc = read_delta(f, m, &blob, err, errlen);
    if (rc != PACK_OK) return rc;
    char ref[PACK_PATH_MAX + 16];
    pack_tables changed;
    rc = pack_check_changeset(blob, (int)m->payload_size, sg, &changed, err, errlen);
    if (rc == PACK_OK) rc = stage_delta_in_place(content_path, m, blob, &changed, sg, err, errlen);
    if (rc != -1) {
        free(blob);
        return rc;
    }
    FILE *in = fopen(content_path, "rb"), *out = in ? pack_staging_file(content_path, tmp, tmplen) : NULL;
    rc = in && out ? PACK_OK : PACK_ERR_IO;
    int e = errno;
    if (rc == PACK_OK) {
        struct stat sb;
        unsigned char ignore[32];
        if (fstat(fileno(in), &sb) != 0 || pack_sha256_stream(in, (int64_t)sb.st_size, ignore, out) != 0) rc = PACK_ERR_IO;
        if (fflush(out) != 0 || fsync(fileno(out)) != 0) rc = PACK_ERR_IO;
        e = errno;
    }
    if (in) fclose(in);
    if (out) fclose(out);
    if (rc != PACK_OK) {
        free(blob);
        if (out) unlink(tmp);
        return pack_fail(err, errlen, e == ENOSPC ? PACK_ERR_DISK : rc, "%s", strerror(e));
    }
    snprintf(ref, sizeof ref, "%s-schema", tmp);
    sqlite3 *db = NULL;
    int ok = pack_open_untrusted(tmp, SQLITE_OPEN_READWRITE, &db) == 0 &&
             sqlite3changeset_apply(db, (int)m->payload_size, blob, NULL, abort_on_conflict, NULL) == SQLITE_OK;
    sqlite3_close(db);
    char ierr[200];
    int indexed = ok ? store_search_refresh(tmp, blob, (int)m->payload_size, ierr, sizeof ierr) : -1;
    free(blob);
    if (!ok) {
        unlink(tmp);
        return pack_fail(err, errlen, PACK_ERR_BASE, "the changes do not fit the installed content");
    }
    if (indexed != 0) {
        unlink(tmp);
        return pack_fail(err, errlen, PACK_ERR_IO, "%s", ierr);
    }
    rc = pack_check_payload_db(tmp, ref, m, err, errlen);
    if (rc == PACK_OK) rc = make_wal(tmp, err, errlen);
    if (rc != PACK_OK) unlink(tmp);
    return rc;
}

/* The version and pack id of the content installed at content_path, when there is content.
 * Returns -1 when there is a file whose version cannot be read (not content, or unreadable: a
 * WAL database whose folder this user may not write cannot be opened). */
static int installed_identity(const char *content_path, pack_policy *pol, char *id, size_t idlen)
{
    id[0] = 0;
    if (access(content_path, F_OK) != 0) return 0;
    /* one connection for both: each reads the whole schema first */
    sqlite3 *db = NULL;
    char *v = NULL, *pid = NULL;
    if (sqlite3_open_v2(content_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        v = pack_db_meta(db, "content_version");
        pid = pack_db_meta(db, "pack_id");
    }
    sqlite3_close(db);
    if (v) pol->installed_version = atoll(v);
    if (pid) snprintf(id, idlen, "%s", pid);
    int rc = v ? 0 : -1;
    free(v);
    free(pid);
    return rc;
}

/* Everything but the lock: verify pack_path and leave a checked copy at tmp. */
static int stage_locked(const char *pack_path, const char *content_path, const char *installed_id, int unreadable,
                        const pack_trust *t, pack_policy *pol, pack_staged *sg, char *err, size_t errlen)
{
    pack_manifest *m = &sg->m;
    char *tmp = sg->path;
    size_t tmplen = sizeof sg->path;
    FILE *f = pack_fopen_regular(pack_path, err, errlen);
    if (!f) return PACK_ERR_IO;
    struct stat sb;
    int64_t max = pol->max_bytes > 0 ? pol->max_bytes : ((int64_t)1 << 30);
    if (fstat(fileno(f), &sb) != 0) { fclose(f); return pack_fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno)); }
    if ((int64_t)sb.st_size > max) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_TOO_BIG, "%lld MiB", (long long)(sb.st_size >> 20));
    }
    int rc = pack_read_head(f, t, NULL, m, err, errlen);
    if (rc != PACK_OK) { fclose(f); return rc; }
    int clock = pack_check_clock(pol, m, err, errlen);
    if (clock == PACK_ERR_FUTURE) { fclose(f); return clock; }
    if ((rc = pack_check_publication(pol, installed_id, m, err, errlen)) != PACK_OK) { fclose(f); return rc; }
    /* another publication's numbers say nothing about ours: staff switching is not a rollback */
    int switching = installed_id[0] && strcmp(installed_id, m->pack_id) != 0;
    if (switching && !strcmp(m->kind, "delta")) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_BASE, "a delta cannot switch publications");
    }
    if (!switching && m->content_version < pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_OLDER, "version %lld, installed %lld", (long long)m->content_version,
                    (long long)pol->installed_version);
    }
    /* a delta needs the content it changes; a full pack may still replace content that is broken */
    if (!strcmp(m->kind, "delta") && unreadable) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_IO, "%s: the installed content cannot be read (a database in WAL mode "
                         "also needs its folder writable)", content_path);
    }
    if (!strcmp(m->kind, "delta") && m->base_version != pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_BASE, "for version %lld, installed %lld", (long long)m->base_version,
                    (long long)pol->installed_version);
    }
    if (!switching && m->content_version == pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_SAME, "version %lld", (long long)m->content_version);
    }
    if (clock != PACK_OK) { fclose(f); return clock; } /* err still says why */
    off_t payload_at = ftello(f);
    if (payload_at < 0 || (int64_t)sb.st_size - (int64_t)payload_at != m->payload_size) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "payload is %lld bytes, the manifest says %lld",
                    (long long)((int64_t)sb.st_size - (int64_t)payload_at), (long long)m->payload_size);
    }
    if (m->content_size > PACK_MAX_CONTENT) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_TOO_BIG, "%lld MiB decompressed", (long long)(m->content_size >> 20));
    }
    /* the staged copy (or a delta's pages) must leave the reserve free, so the state database
     * can still be written; a file system that cannot be asked is left to the writes' own errors */
    int64_t reserve = pol->reserve_bytes > 0 ? pol->reserve_bytes : (int64_t)STORAGE_MIN_FREE;
    storage_info si;
    if (storage_probe(content_path, 0, &si) != STORAGE_UNKNOWN && (int64_t)si.free_bytes < m->content_size + reserve) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_DISK, "needs %lld MiB and a reserve of %lld MiB, %lld MiB free",
                         (long long)((m->content_size + (1 << 20) - 1) >> 20), (long long)(reserve >> 20),
                         (long long)(si.free_bytes >> 20));
    }
    if (!strcmp(m->kind, "delta")) {
        rc = stage_delta(f, content_path, m, sg, err, errlen);
        fclose(f);
        return rc;
    }
    /* Copy beside the live database while hashing; only a verified, checked copy is renamed. */
    FILE *out = pack_staging_file(content_path, tmp, tmplen);
    if (!out) {
        int e = errno;
        fclose(f);
        return pack_fail(err, errlen, e == ENOSPC ? PACK_ERR_DISK : PACK_ERR_IO, "%s: %s", tmp, strerror(e));
    }
    /* a compressed payload is decompressed while it is hashed, never past its signed size; what
     * comes out is only used once the hash of what went in matched */
    unsigned char sha[32];
    int hr = m->compression[0] ? pack_unzstd_stream(f, m->payload_size, m->content_size, sha, out)
                               : pack_sha256_stream(f, m->payload_size, sha, out);
    fclose(f);
    int wr = fflush(out) != 0 || fsync(fileno(out)) != 0;
    wr |= fclose(out) != 0;
    if (hr == -2 || wr) {
        int e = errno;
        unlink(tmp);
        return pack_fail(err, errlen, e == ENOSPC ? PACK_ERR_DISK : PACK_ERR_IO, "%s", strerror(e));
    }
    if (hr != 0 || memcmp(sha, m->sha256, 32) != 0) {
        unlink(tmp);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "%s",
                         hr == -4 ? "decompresses to more than its signed size"
                         : hr == -5 ? "decompresses to less than its signed size"
                         : hr == -3 ? "not a whole zstd stream" : "checksum differs");
    }
    char ref[PACK_PATH_MAX + 8];
    snprintf(ref, sizeof ref, "%s-schema", tmp);
    rc = pack_check_payload_db(tmp, ref, m, err, errlen);
    if (rc == PACK_OK) rc = make_wal(tmp, err, errlen);
    if (rc != PACK_OK) unlink(tmp);
    return rc;
}

int pack_stage(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
               pack_staged *sg, char *err, size_t errlen)
{
    memset(sg, 0, sizeof *sg);
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    int fd = pack_lock_content(content_path, pol->lock_wait_ms);
    if (fd < 0 && errno == EWOULDBLOCK)
        return pack_fail(err, errlen, PACK_ERR_BUSY, "waited %d ms", pol->lock_wait_ms);
    if (fd < 0) return pack_fail(err, errlen, PACK_ERR_IO, "%s.lock: %s", content_path, strerror(errno));
    /* what another installer left (power cut, kill) goes; what is installed now is the truth. A
     * folder that cannot be listed to its end may keep a whole staged copy: no room is sure then */
    if (pack_remove_stale(content_path) != 0) {
        int e = errno;
        pack_unlock_content(fd);
        return pack_fail(err, errlen, PACK_ERR_IO, "%s: its folder cannot be read: %s", content_path, strerror(e));
    }
    char installed_id[64];
    int unreadable = installed_identity(content_path, pol, installed_id, sizeof installed_id) != 0;
    int rc = stage_locked(pack_path, content_path, installed_id, unreadable, t, pol, sg, err, errlen);
    if (rc != PACK_OK) {
        sg->path[0] = 0;
        pack_unlock_content(fd);
        return rc;
    }
    sg->lock_fd = fd;
    sg->held = 1;
    return PACK_OK;
}

void pack_unstage(pack_staged *sg)
{
    if (!sg->held) return;
    if (sg->live) {
        sqlite3_exec(sg->live, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(sg->live);
    } else if (sg->path[0]) {
        unlink(sg->path);
        remove_wal(sg->path); /* a reader of the staged copy (staff's diff) may have left its WAL index */
    }
    pack_unlock_content(sg->lock_fd);
    memset(sg, 0, sizeof *sg);
}

/* Size of the WAL at path: 0 when there is none. -1 with errno when it cannot be asked. */
static off_t wal_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) return st.st_size;
    return errno == ENOENT ? 0 : -1;
}

/*
 * Before another file is renamed over the content (and linked as CONTENT.prev), its WAL must hold
 * nothing: every frame written into the database file and CONTENT-wal truncated to 0 bytes, or
 * gone. PACK_OK then; else PACK_ERR_READING (or PACK_ERR_IO) and the switch does not happen.
 *
 * Why refuse: SQLite finds a database's WAL by its name alone, and nothing in a WAL ties it to one
 * database file. Once the new file is named CONTENT, frames left in CONTENT-wal are the replaced
 * file's: a power cut or kill -9 before remove_wal, and the next open reads them into the new file
 * (a mixed, broken database). And CONTENT.prev, a second name of the replaced file, is whole only
 * when no frame is left outside it. With the WAL empty before the link and the rename, no crash
 * point can pair a database with another's frames. Nothing adds frames meanwhile: only the holder
 * of the install lock (this caller) writes the content; the kiosk's readers never do.
 *
 * A reader on an older snapshot (the kiosk inside a read, for a moment) keeps frames the
 * checkpoint may not write back within its second: then the full pack waits, as for another
 * installer. The staged copy goes, sync tries again at its next round, staff are told to try
 * again, kiosk-pack says why. Moving the WAL aside with the old file (CONTENT.prev-wal) instead
 * was not chosen: a connection opened to the old file in between would find no WAL beside it
 * while the -shm it shares lists frames, and pack_fallback would have to carry the WAL back.
 *
 * Content SQLite cannot read at all (not a database, or corrupt) is no one's to keep: its WAL
 * and index go first, so a full pack can still replace it.
 */
static int checkpoint_live(const char *content_path, char *err, size_t errlen)
{
    char wal[PACK_PATH_MAX];
    if (pack_beside(content_path, "-wal", wal, sizeof wal))
        return pack_fail(err, errlen, PACK_ERR_IO, "path too long: %s-wal", content_path);
    off_t left = wal_size(wal);
    if (left == 0) return PACK_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int code = SQLITE_CANTOPEN;
    if (pack_open_untrusted(content_path, SQLITE_OPEN_READWRITE, &db) == 0) {
        sqlite3_busy_timeout(db, 1000);
        /* a reader in the way answers a row with busy = 1, not an error */
        code = sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL);
        if (code == SQLITE_OK) code = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
    }
    char why[200];
    snprintf(why, sizeof why, "%s", db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_finalize(st);
    sqlite3_close(db);
    if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT ||
        (access(content_path, F_OK) != 0 && errno == ENOENT)) /* or a WAL beside no database at all */
        remove_wal(content_path);
    left = wal_size(wal);
    if (left == 0) return PACK_OK;
    if (left < 0) return pack_fail(err, errlen, PACK_ERR_IO, "%s: %s", wal, strerror(errno));
    if (code != SQLITE_OK && code != SQLITE_BUSY && code != SQLITE_LOCKED)
        return pack_fail(err, errlen, PACK_ERR_IO, "cannot write back the content's WAL: %s", why);
    return pack_fail(err, errlen, PACK_ERR_READING, "its WAL (%lld bytes) cannot be written back yet", (long long)left);
}

/* A delta applied in place: commit it (the switch). Its pages are in the WAL, durable; pack_settle
 * writes them into the database file. */
static int commit_in_place(pack_staged *sg, char *err, size_t errlen)
{
    sqlite3 *db = sg->live;
    sg->live = NULL;
    int rc = PACK_OK;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(db, err, errlen, "cannot commit the update");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* 1 when the system page of fd at off (a multiple of pagesz) is in the page cache. */
static int cached(int fd, off_t off, size_t pagesz)
{
    unsigned char in = 0;
    void *p = mmap(NULL, pagesz, PROT_READ, MAP_SHARED, fd, off);
    if (p == MAP_FAILED) return 0;
    int yes = mincore(p, pagesz, &in) == 0 && (in & 1);
    munmap(p, pagesz);
    return yes;
}

/*
 * Before a checkpoint writes the WAL's pages into the database file. The page cache holds that
 * file in folios of up to 2 MiB (as it was read ahead, or copied in), and writing one 4 KiB page
 * into a cached folio dirties the whole folio, which write_bytes counts: on the 5,000 x 16 bench
 * the 301 pages of a 1 % delta fell into 91 folios of 64 KiB, 5.99 MB counted for 1.23 MB of
 * pages. So each page's folio is dropped from the cache first (it is clean, and readers read it
 * again from the card), in a window of 64 KiB widened up to 2 MiB until the page is no longer
 * cached; the checkpoint then writes its pages alone. Best effort: the pages are written either way.
 */
static void uncache_wal_pages(const char *content_path, const char *wal)
{
    int wf = open(wal, O_RDONLY | O_CLOEXEC), df = wf >= 0 ? open(content_path, O_RDONLY | O_CLOEXEC) : -1;
    unsigned char h[32], fh[24];
    long sys = sysconf(_SC_PAGESIZE);
    uint32_t ps = 0;
    if (df >= 0 && sys > 0 && pread(wf, h, sizeof h, 0) == (ssize_t)sizeof h) {
        ps = be32(h + 8);
        if (ps == 1) ps = 65536; /* how the WAL header writes 64 KiB */
    }
    if (ps >= 512 && (ps & (ps - 1)) == 0) {
        size_t pagesz = (size_t)sys;
        for (off_t at = 32; pread(wf, fh, sizeof fh, at) == (ssize_t)sizeof fh; at += (off_t)sizeof fh + (off_t)ps) {
            uint32_t pg = be32(fh);
            /* a frame left from an earlier use of the WAL file (other salts) ends this one */
            if (pg == 0 || memcmp(fh + 8, h + 16, 8) != 0) break;
            off_t off = (off_t)(pg - 1) * (off_t)ps, sysoff = off - off % (off_t)pagesz;
            for (off_t win = 64 << 10; win <= 2 << 20 && cached(df, sysoff, pagesz); win *= 2)
                posix_fadvise(df, off - off % win, win, POSIX_FADV_DONTNEED);
        }
    }
    if (df >= 0) close(df);
    if (wf >= 0) close(wf);
}

int pack_settle(const char *content_path)
{
    char wal[PACK_PATH_MAX];
    if (pack_beside(content_path, "-wal", wal, sizeof wal) || access(wal, F_OK) != 0) return 0;
    uncache_wal_pages(content_path, wal);
    sqlite3 *db = NULL;
    int rc = -1;
    if (pack_open_untrusted(content_path, SQLITE_OPEN_READWRITE, &db) == 0)
        /* a statement, not sqlite3_wal_checkpoint_v2: the pager finds the WAL when it first reads */
        rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_close(db);
    return rc;
}

int pack_commit(pack_staged *sg, const char *content_path, pack_policy *pol, char *err, size_t errlen)
{
    if (!sg->held) return pack_fail(err, errlen, PACK_ERR_IO, "nothing staged");
    int rc = PACK_OK;
    if (sg->live) {
        rc = commit_in_place(sg, err, errlen);
    } else if ((rc = checkpoint_live(content_path, err, errlen)) == PACK_OK) {
        /* the content being replaced stays as CONTENT.prev (a second name, no copy): the kiosk
         * falls back to it when it cannot open what was installed (pack_fallback) */
        char prev[PACK_PATH_MAX], prev_tmp[PACK_PATH_MAX];
        if (!pack_beside(content_path, ".prev", prev, sizeof prev) &&
            !pack_beside(content_path, ".prev.tmp", prev_tmp, sizeof prev_tmp)) {
            unlink(prev_tmp);
            if (link(content_path, prev_tmp) == 0 && rename(prev_tmp, prev) != 0) unlink(prev_tmp);
        }
        if (rename(sg->path, content_path) != 0) {
            rc = pack_fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno));
        } else {
            remove_wal(sg->path); /* what a reader of the staged copy left under its old name */
            /* CONTENT-wal and -shm belong to the file just replaced and are found by name: the new
             * file must never read the old one's pages. Readers still on the old file keep them
             * open, unlinked, and see the old content until they reopen. */
            remove_wal(content_path);
            fsync_dir(content_path);
        }
        sg->path[0] = 0; /* it is the content now */
    }
    if (rc == PACK_OK) {
        pol->installed_version = sg->m.content_version;
        snprintf(err, errlen, "%s", pack_strerror(PACK_OK));
    }
    pack_unstage(sg);
    return rc;
}

int pack_install(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
                 pack_manifest *m, char *err, size_t errlen)
{
    pack_staged sg;
    int rc = pack_stage(pack_path, content_path, t, pol, &sg, err, errlen);
    if (rc != PACK_OK) return rc;
    *m = sg.m;
    int in_place = sg.live != NULL;
    rc = pack_commit(&sg, content_path, pol, err, errlen);
    if (rc == PACK_OK && in_place) pack_settle(content_path); /* best effort: the WAL keeps it meanwhile */
    return rc;
}

int pack_fallback(const char *content_path, char *err, size_t errlen)
{
    char prev[PACK_PATH_MAX];
    if (pack_beside(content_path, ".prev", prev, sizeof prev)) return pack_fail(err, errlen, PACK_ERR_IO, "path too long: %s.prev", content_path);
    int fd = pack_lock_content(content_path, 5000);
    if (fd < 0) return pack_fail(err, errlen, errno == EWOULDBLOCK ? PACK_ERR_BUSY : PACK_ERR_IO, "%s", strerror(errno));
    int rc = PACK_OK;
    if (access(prev, F_OK) != 0) rc = pack_fail(err, errlen, PACK_ERR_IO, "no previous content kept");
    else {
        remove_wal(content_path); /* the failed content's: they must not be read into the previous one */
        if (rename(prev, content_path) != 0) rc = pack_fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno));
        else fsync_dir(content_path);
    }
    pack_unlock_content(fd);
    return rc;
}

