/*
 * install.c: verifying a pack's payload and installing it all or nothing (install.h). Firmware.
 */
#include "install.h"
#include "pack_priv.h"

#include "store/store.h"

/* Debian's SQLite is built with the session extension; these expose its declarations. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Open the copied payload and make sure it is a content database of our schema and version. */
static int check_payload_db(const char *path, const pack_manifest *m, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = PACK_ERR_SCHEMA;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        char *schema = pack_db_meta(db, "schema_version"), *ver = pack_db_meta(db, "content_version");
        sqlite3_stmt *st = NULL;
        int quick_ok = 0;
        if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            quick_ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        sqlite3_finalize(st);
        if (!schema || atoi(schema) != STORE_SCHEMA_VERSION)
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "schema version %s, this kiosk reads %d", schema ? schema : "none",
                 STORE_SCHEMA_VERSION);
        else if (!ver || atoll(ver) != m->content_version)
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "content version inside differs from the manifest");
        else if (!quick_ok)
            pack_fail(err, errlen, PACK_ERR_SCHEMA, "database check failed");
        else
            rc = PACK_OK;
        free(schema);
        free(ver);
    } else {
        pack_fail(err, errlen, PACK_ERR_SCHEMA, "not a database");
    }
    sqlite3_close(db);
    return rc;
}

static int fsync_dir(const char *file)
{
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", file);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void staged_path(const char *content_path, char *buf, size_t len) { snprintf(buf, len, "%s.new", content_path); }

static int abort_on_conflict(void *ctx, int why, sqlite3_changeset_iter *it)
{
    (void)ctx;
    (void)why;
    (void)it;
    return SQLITE_CHANGESET_ABORT;
}

/* A delta: copy the live database beside it, apply the verified changeset to the copy (any
 * conflict aborts: the copy is not the version the delta was made from), then check it. */
static int stage_delta(FILE *f, const char *content_path, const pack_manifest *m, char *err, size_t errlen)
{
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
    char tmp[1100];
    staged_path(content_path, tmp, sizeof tmp);
    FILE *in = fopen(content_path, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int rc = in && out ? PACK_OK : PACK_ERR_IO;
    if (rc == PACK_OK) {
        struct stat sb;
        unsigned char ignore[32];
        if (fstat(fileno(in), &sb) != 0 || pack_sha256_stream(in, (int64_t)sb.st_size, ignore, out) != 0) rc = PACK_ERR_IO;
        if (fflush(out) != 0 || fsync(fileno(out)) != 0) rc = PACK_ERR_IO;
    }
    if (in) fclose(in);
    if (out) fclose(out);
    if (rc != PACK_OK) {
        free(blob);
        unlink(tmp);
        return pack_fail(err, errlen, rc, "%s", strerror(errno));
    }
    sqlite3 *db = NULL;
    int ok = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
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
    rc = check_payload_db(tmp, m, err, errlen);
    if (rc != PACK_OK) unlink(tmp);
    return rc;
}

void pack_unstage(const char *content_path)
{
    char tmp[1100];
    staged_path(content_path, tmp, sizeof tmp);
    unlink(tmp);
}

int pack_commit(const char *content_path, pack_policy *pol, const pack_manifest *m, char *err, size_t errlen)
{
    char tmp[1100];
    staged_path(content_path, tmp, sizeof tmp);
    if (rename(tmp, content_path) != 0) return pack_fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno));
    fsync_dir(content_path);
    pol->installed_version = m->content_version;
    snprintf(err, errlen, "%s", pack_strerror(PACK_OK));
    return PACK_OK;
}

int pack_install(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
                 pack_manifest *m, char *err, size_t errlen)
{
    int rc = pack_stage(pack_path, content_path, t, pol, m, err, errlen);
    return rc == PACK_OK ? pack_commit(content_path, pol, m, err, errlen) : rc;
}

int pack_stage(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
               pack_manifest *m, char *err, size_t errlen)
{
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    FILE *f = fopen(pack_path, "rb");
    if (!f) return pack_fail(err, errlen, PACK_ERR_IO, "%s: %s", pack_path, strerror(errno));
    struct stat sb;
    int64_t max = pol->max_bytes > 0 ? pol->max_bytes : ((int64_t)1 << 30);
    if (fstat(fileno(f), &sb) != 0) { fclose(f); return pack_fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno)); }
    if ((int64_t)sb.st_size > max) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_TOO_BIG, "%lld MiB", (long long)(sb.st_size >> 20));
    }
    int rc = pack_read_head(f, t, NULL, m, err, errlen);
    if (rc != PACK_OK) { fclose(f); return rc; }
    /* Only a verified manifest may move our idea of the time forward. */
    int64_t now = pol->now > pol->newest_seen ? pol->now : pol->newest_seen;
    if (m->created > pol->newest_seen) pol->newest_seen = m->created;
    if (m->content_version < pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_OLDER, "version %lld, installed %lld", (long long)m->content_version,
                    (long long)pol->installed_version);
    }
    if (!strcmp(m->kind, "delta") && m->base_version != pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_BASE, "for version %lld, installed %lld", (long long)m->base_version,
                    (long long)pol->installed_version);
    }
    if (m->content_version == pol->installed_version) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_SAME, "version %lld", (long long)m->content_version);
    }
    if (now > m->expires) { fclose(f); return pack_fail(err, errlen, PACK_ERR_EXPIRED, NULL); }
    long payload_at = ftell(f);
    if ((int64_t)sb.st_size - payload_at != m->payload_size) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "payload is %lld bytes, the manifest says %lld",
                    (long long)(sb.st_size - payload_at), (long long)m->payload_size);
    }
    struct statvfs vfs;
    char dircopy[1024];
    snprintf(dircopy, sizeof dircopy, "%s", content_path);
    if (statvfs(dirname(dircopy), &vfs) == 0 &&
        (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize < m->payload_size + (4 << 20)) {
        fclose(f);
        return pack_fail(err, errlen, PACK_ERR_DISK, NULL);
    }
    if (!strcmp(m->kind, "delta")) {
        rc = stage_delta(f, content_path, m, err, errlen);
        fclose(f);
        return rc;
    }
    /* Copy beside the live database while hashing; only a verified, checked copy is renamed. */
    char tmp[1100];
    staged_path(content_path, tmp, sizeof tmp);
    FILE *out = fopen(tmp, "wb");
    if (!out) { fclose(f); return pack_fail(err, errlen, PACK_ERR_IO, "%s: %s", tmp, strerror(errno)); }
    unsigned char sha[32];
    int hr = pack_sha256_stream(f, m->payload_size, sha, out);
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
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
    }
    rc = check_payload_db(tmp, m, err, errlen);
    if (rc != PACK_OK) unlink(tmp);
    return rc;
}

