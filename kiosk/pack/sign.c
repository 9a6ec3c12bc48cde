/*
 * sign.c: pack files, Ed25519 signatures (libsodium), verification and installation (sign.h).
 */
#include "sign.h"

#include "store/store.h"

/* Debian's SQLite is built with the session extension; these expose its declarations. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MAX_MANIFEST 65536

const char *pack_strerror(int err)
{
    switch (err) {
    case PACK_OK: return "installed";
    case PACK_ERR_NOT_PACK: return "this file is not a content pack";
    case PACK_ERR_DAMAGED: return "the file is damaged (incomplete or changed); copy it again";
    case PACK_ERR_SIGNATURE: return "the signature does not match the trusted key";
    case PACK_ERR_OLDER: return "this pack is older than the installed content";
    case PACK_ERR_SAME: return "this pack is already installed";
    case PACK_ERR_EXPIRED: return "this pack has expired";
    case PACK_ERR_SCHEMA: return "the pack's content does not fit this kiosk";
    case PACK_ERR_TOO_BIG: return "the file is too large to be a content pack";
    case PACK_ERR_DISK: return "not enough free disk space to install the pack";
    case PACK_ERR_IO: return "the file could not be read or written";
    case PACK_ERR_FORMAT: return "this pack needs a newer kiosk version";
    case PACK_ERR_BASE: return "this update is for another installed version; use the full pack";
    default: return "unknown error";
    }
}

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    char detail[512] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    snprintf(err, errlen, "%s%s%s", pack_strerror(code), detail[0] ? ": " : "", detail);
    return code;
}

static int init_sodium(char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to start");
        return -1;
    }
    return 0;
}

/* ---------- keys ---------- */

static int write_hex(const char *path, const unsigned char *bin, size_t n, mode_t mode)
{
    char hex[2 * 64 + 1];
    sodium_bin2hex(hex, sizeof hex, bin, n);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0) return -1;
    size_t len = strlen(hex);
    hex[len] = '\n';
    int ok = write(fd, hex, len + 1) == (ssize_t)(len + 1) && fsync(fd) == 0;
    close(fd);
    return ok ? 0 : -1;
}

static int read_hex(const char *path, unsigned char *bin, size_t n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[256] = "";
    if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
    fclose(f);
    size_t got = 0;
    if (sodium_hex2bin(bin, n, buf, strlen(buf), " \r\n", &got, NULL) != 0 || got != n) {
        snprintf(err, errlen, "%s: not a key file (%zu hex bytes expected)", path, n);
        return -1;
    }
    return 0;
}

int pack_keygen(const char *base, char *err, size_t errlen)
{
    if (init_sodium(err, errlen)) return -1;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    char p[1024];
    snprintf(p, sizeof p, "%s.secret", base);
    int rc = write_hex(p, sk, sizeof sk, 0600);
    sodium_memzero(sk, sizeof sk);
    if (rc) { snprintf(err, errlen, "%s: %s", p, strerror(errno)); return -1; }
    snprintf(p, sizeof p, "%s.pub", base);
    if (write_hex(p, pk, sizeof pk, 0644)) { snprintf(err, errlen, "%s: %s", p, strerror(errno)); return -1; }
    return 0;
}

int pack_trust_add_file(pack_trust *t, const char *pub_path, char *err, size_t errlen)
{
    if (t->nkeys >= PACK_MAX_KEYS) {
        snprintf(err, errlen, "at most %d trusted keys", PACK_MAX_KEYS);
        return -1;
    }
    if (read_hex(pub_path, t->keys[t->nkeys], 32, err, errlen)) return -1;
    t->nkeys++;
    return 0;
}

/* ---------- manifests ---------- */

static void iso_time(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_time(const char *s, int64_t *out)
{
    struct tm tm = {0};
    char z = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                     &tm.tm_sec, &z) != 7 || z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

static char *manifest_json(const pack_manifest *m)
{
    char created[32], expires[32], sha[65];
    iso_time(m->created, created, sizeof created);
    iso_time(m->expires, expires, sizeof expires);
    sodium_bin2hex(sha, sizeof sha, m->sha256, 32);
    json_t *j = json_pack("{s:i, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:s}", "format", m->format, "pack_id",
                          m->pack_id, "kind", m->kind, "content_version", (json_int_t)m->content_version,
                          "base_version", (json_int_t)m->base_version, "created", created, "expires", expires,
                          "payload_sha256", sha, "payload_size", (json_int_t)m->payload_size, "key_id", m->key_id);
    char *s = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

int pack_manifest_parse(const char *text, size_t len, pack_manifest *m, char *err, size_t errlen)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) return fail(err, errlen, PACK_ERR_DAMAGED, "manifest: %s", je.text);
    memset(m, 0, sizeof *m);
    const char *id = NULL, *kind = NULL, *created = NULL, *expires = NULL, *sha = NULL, *key = NULL;
    json_int_t ver = 0, size = 0, base = 0;
    int format = 0;
    int rc = json_unpack_ex(j, &je, 0, "{s:i, s:s, s:s, s:I, s?I, s:s, s:s, s:s, s:I, s?s}", "format", &format,
                            "pack_id", &id, "kind", &kind, "content_version", &ver, "base_version", &base, "created",
                            &created, "expires", &expires, "payload_sha256", &sha, "payload_size", &size, "key_id", &key);
    size_t got = 0;
    if (rc != 0 || parse_time(created, &m->created) || parse_time(expires, &m->expires) ||
        sodium_hex2bin(m->sha256, 32, sha, strlen(sha), NULL, &got, NULL) != 0 || got != 32 || size < 0 || ver < 1) {
        json_decref(j);
        return fail(err, errlen, PACK_ERR_DAMAGED, "manifest fields");
    }
    m->format = format;
    m->content_version = ver;
    m->base_version = base;
    m->payload_size = size;
    snprintf(m->pack_id, sizeof m->pack_id, "%s", id);
    snprintf(m->kind, sizeof m->kind, "%s", kind);
    snprintf(m->key_id, sizeof m->key_id, "%s", key ? key : "");
    json_decref(j);
    return PACK_OK;
}

/* ---------- signing ---------- */

static int sha256_file(FILE *f, int64_t size, unsigned char out[32], FILE *copy_to)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    int64_t left = size;
    while (left > 0) {
        size_t want = left > (int64_t)sizeof buf ? sizeof buf : (size_t)left;
        size_t n = fread(buf, 1, want, f);
        if (n == 0) return -1;
        crypto_hash_sha256_update(&st, buf, n);
        if (copy_to && fwrite(buf, 1, n, copy_to) != n) return -2;
        left -= (int64_t)n;
    }
    crypto_hash_sha256_final(&st, out);
    return 0;
}

int pack_file_sha256_hex(const char *path, int64_t *size, char hex[65])
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    unsigned char sha[32];
    if (!f || fstat(fileno(f), &sb) != 0 || sha256_file(f, (int64_t)sb.st_size, sha, NULL) != 0) {
        if (f) fclose(f);
        return -1;
    }
    fclose(f);
    *size = (int64_t)sb.st_size;
    sodium_bin2hex(hex, 65, sha, 32);
    return 0;
}

static char *db_meta(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

int pack_content_version(const char *db_path, char *buf, size_t len)
{
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        char *v = db_meta(db, "content_version");
        if (v) {
            snprintf(buf, len, "%s", v);
            rc = 0;
        }
        free(v);
    }
    sqlite3_close(db);
    return rc;
}

/* The pack id and content version in a content database; 0, or -1 when it is not one. */
static int db_identity(const char *db_path, char *id, size_t idlen, int64_t *version)
{
    sqlite3 *db = NULL;
    char *pid = NULL, *ver = NULL, *schema = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        pid = db_meta(db, "pack_id");
        ver = db_meta(db, "content_version");
        schema = db_meta(db, "schema_version");
    }
    sqlite3_close(db);
    int ok = pid && ver && schema && atoll(ver) > 0;
    if (ok) {
        snprintf(id, idlen, "%s", pid);
        *version = atoll(ver);
    }
    free(pid);
    free(ver);
    free(schema);
    return ok ? 0 : -1;
}

/* Hash the payload file, write header, manifest, signature and payload; rename into place. */
static int write_pack(const char *payload_path, pack_manifest *m, const unsigned char *sk, int expire_days,
                      const char *out_path, char *err, size_t errlen)
{
    m->format = PACK_FORMAT;
    m->created = (int64_t)time(NULL);
    m->expires = m->created + (int64_t)expire_days * 86400;
    sodium_bin2hex(m->key_id, sizeof m->key_id, sk + 32, 8); /* the public half sits in the secret key's tail */
    FILE *in = fopen(payload_path, "rb");
    struct stat sb;
    if (!in || fstat(fileno(in), &sb) != 0) {
        if (in) fclose(in);
        snprintf(err, errlen, "%s: %s", payload_path, strerror(errno));
        return -1;
    }
    m->payload_size = (int64_t)sb.st_size;
    if (sha256_file(in, m->payload_size, m->sha256, NULL) != 0) {
        fclose(in);
        snprintf(err, errlen, "%s: read error", payload_path);
        return -1;
    }
    char *js = manifest_json(m);
    size_t jl = js ? strlen(js) : 0;
    unsigned char head[7 + 4];
    memcpy(head, PACK_MAGIC, 7);
    head[7] = (unsigned char)(jl >> 24);
    head[8] = (unsigned char)(jl >> 16);
    head[9] = (unsigned char)(jl >> 8);
    head[10] = (unsigned char)jl;
    unsigned char *signed_part = malloc(sizeof head + jl);
    unsigned char sig[crypto_sign_BYTES];
    if (!js || !signed_part) {
        free(js);
        free(signed_part);
        fclose(in);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(signed_part, head, sizeof head);
    memcpy(signed_part + sizeof head, js, jl);
    crypto_sign_detached(sig, NULL, signed_part, sizeof head + jl, sk);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    FILE *out = fopen(tmp, "wb");
    int rc = -1;
    if (out && fwrite(signed_part, 1, sizeof head + jl, out) == sizeof head + jl &&
        fwrite(sig, 1, sizeof sig, out) == sizeof sig) {
        rewind(in);
        unsigned char check[32];
        rc = sha256_file(in, m->payload_size, check, out) == 0 && memcmp(check, m->sha256, 32) == 0 ? 0 : -1;
    }
    if (out && (fflush(out) != 0 || fsync(fileno(out)) != 0)) rc = -1;
    if (out) fclose(out);
    fclose(in);
    free(js);
    free(signed_part);
    if (rc == 0 && rename(tmp, out_path) != 0) rc = -1;
    if (rc) {
        unlink(tmp);
        snprintf(err, errlen, "%s: cannot write the pack: %s", out_path, strerror(errno));
    }
    return rc;
}

int pack_sign(const char *db_path, const char *secret_path, int expire_days, const char *out_path, char *err,
              size_t errlen)
{
    if (init_sodium(err, errlen)) return -1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    if (read_hex(secret_path, sk, sizeof sk, err, errlen)) return -1;
    pack_manifest m = {0};
    snprintf(m.kind, sizeof m.kind, "full");
    int rc = -1;
    if (db_identity(db_path, m.pack_id, sizeof m.pack_id, &m.content_version) != 0)
        snprintf(err, errlen, "%s: not a content database (build it with kiosk-pack build)", db_path);
    else
        rc = write_pack(db_path, &m, sk, expire_days, out_path, err, errlen);
    sodium_memzero(sk, sizeof sk);
    return rc;
}

/* The changeset that turns the content database old_path into new_path, into out_path. */
static int make_changeset(const char *old_path, const char *new_path, const char *out_path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_session *ses = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1, n = 0;
    void *blob = NULL;
    char *msg = NULL;
    if (sqlite3_open_v2(new_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) goto done;
    if (sqlite3_prepare_v2(db, "ATTACH ?1 AS old", -1, &st, NULL) != SQLITE_OK) goto done;
    sqlite3_bind_text(st, 1, old_path, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) goto done;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3session_create(db, "main", &ses) != SQLITE_OK) goto done;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                           /* the search index is rebuilt by each kiosk (see stage_delta) */
                           "AND name NOT LIKE 'search%' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        goto done;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (sqlite3session_attach(ses, t) != SQLITE_OK || sqlite3session_diff(ses, "old", t, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "table %s: %s", t, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            goto done;
        }
    }
    if (sqlite3session_changeset(ses, &n, &blob) != SQLITE_OK) goto done;
    FILE *f = fopen(out_path, "wb");
    if (f && (n == 0 || fwrite(blob, 1, (size_t)n, f) == (size_t)n) && fflush(f) == 0) rc = 0;
    if (f) fclose(f);
done:
    if (rc && !err[0]) snprintf(err, errlen, "cannot compute the delta: %s", db ? sqlite3_errmsg(db) : "no database");
    sqlite3_free(blob);
    sqlite3_finalize(st);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(db);
    return rc;
}

int pack_sign_delta(const char *old_path, const char *new_path, const char *secret_path, int expire_days,
                    const char *out_path, char *err, size_t errlen)
{
    err[0] = 0;
    if (init_sodium(err, errlen)) return -1;
    pack_manifest m = {0}, base = {0};
    snprintf(m.kind, sizeof m.kind, "delta");
    if (db_identity(old_path, base.pack_id, sizeof base.pack_id, &base.content_version) != 0 ||
        db_identity(new_path, m.pack_id, sizeof m.pack_id, &m.content_version) != 0) {
        snprintf(err, errlen, "both files must be content databases");
        return -1;
    }
    if (strcmp(base.pack_id, m.pack_id) != 0 || m.content_version <= base.content_version) {
        snprintf(err, errlen, "the new database must be a later version of the same pack");
        return -1;
    }
    m.base_version = base.content_version;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    if (read_hex(secret_path, sk, sizeof sk, err, errlen)) return -1;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.changeset", out_path);
    int rc = make_changeset(old_path, new_path, tmp, err, errlen);
    if (rc == 0) rc = write_pack(tmp, &m, sk, expire_days, out_path, err, errlen);
    unlink(tmp);
    sodium_memzero(sk, sizeof sk);
    return rc;
}

/* ---------- verification ---------- */

/* Reads header, manifest and signature; leaves f positioned at the payload. kind NULL accepts
 * what installs (full, delta). */
static int read_head_kind(FILE *f, const pack_trust *t, const char *kind, pack_manifest *m, char *err, size_t errlen)
{
    unsigned char head[11];
    size_t n = fread(head, 1, sizeof head, f);
    if (n < 7 || memcmp(head, PACK_MAGIC, 7) != 0) return fail(err, errlen, PACK_ERR_NOT_PACK, NULL);
    if (n < sizeof head) return fail(err, errlen, PACK_ERR_DAMAGED, "cut short in the header");
    uint32_t jl = ((uint32_t)head[7] << 24) | ((uint32_t)head[8] << 16) | ((uint32_t)head[9] << 8) | head[10];
    if (jl == 0 || jl > MAX_MANIFEST) return fail(err, errlen, PACK_ERR_DAMAGED, "manifest length %u", jl);
    unsigned char *buf = malloc(sizeof head + jl);
    unsigned char sig[crypto_sign_BYTES];
    if (!buf) return fail(err, errlen, PACK_ERR_IO, "out of memory");
    memcpy(buf, head, sizeof head);
    if (fread(buf + sizeof head, 1, jl, f) != jl || fread(sig, 1, sizeof sig, f) != sizeof sig) {
        free(buf);
        return fail(err, errlen, PACK_ERR_DAMAGED, "cut short in the manifest");
    }
    int trusted = 0;
    for (int i = 0; i < t->nkeys && !trusted; i++)
        trusted = crypto_sign_verify_detached(sig, buf, sizeof head + jl, t->keys[i]) == 0;
    if (!trusted) {
        free(buf);
        return fail(err, errlen, PACK_ERR_SIGNATURE, t->nkeys ? NULL : "no trusted key is configured");
    }
    int rc = pack_manifest_parse((const char *)buf + sizeof head, jl, m, err, errlen);
    free(buf);
    if (rc == PACK_OK && m->format != PACK_FORMAT) return fail(err, errlen, PACK_ERR_FORMAT, "format %d", m->format);
    if (rc == PACK_OK && (kind ? strcmp(m->kind, kind) != 0 : strcmp(m->kind, "full") && strcmp(m->kind, "delta")))
        return fail(err, errlen, PACK_ERR_FORMAT, "kind %s", m->kind);
    return rc;
}

static int read_head(FILE *f, const pack_trust *t, pack_manifest *m, char *err, size_t errlen)
{
    return read_head_kind(f, t, NULL, m, err, errlen);
}

int pack_read_small(const char *path, const pack_trust *t, const char *kind, pack_manifest *m, char **payload,
                    size_t max, char *err, size_t errlen)
{
    *payload = NULL;
    if (init_sodium(err, errlen)) return PACK_ERR_IO;
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, errlen, PACK_ERR_IO, "%s: %s", path, strerror(errno));
    int rc = read_head_kind(f, t, kind, m, err, errlen);
    if (rc == PACK_OK && (m->payload_size < 0 || (size_t)m->payload_size > max)) rc = fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
    char *buf = rc == PACK_OK ? malloc((size_t)m->payload_size + 1) : NULL;
    if (rc == PACK_OK && !buf) rc = fail(err, errlen, PACK_ERR_IO, "out of memory");
    if (rc == PACK_OK && (fread(buf, 1, (size_t)m->payload_size, f) != (size_t)m->payload_size || fgetc(f) != EOF))
        rc = fail(err, errlen, PACK_ERR_DAMAGED, "payload size");
    unsigned char sha[32];
    if (rc == PACK_OK) {
        crypto_hash_sha256(sha, (unsigned char *)buf, (unsigned long long)m->payload_size);
        if (memcmp(sha, m->sha256, 32) != 0) rc = fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
    }
    fclose(f);
    if (rc != PACK_OK) {
        free(buf);
        return rc;
    }
    buf[m->payload_size] = 0;
    *payload = buf;
    return PACK_OK;
}

int pack_sign_payload(const char *payload_path, const char *kind, const char *pack_id, int64_t version,
                      const char *secret_path, int expire_days, const char *out_path, char *err, size_t errlen)
{
    if (init_sodium(err, errlen)) return -1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    if (read_hex(secret_path, sk, sizeof sk, err, errlen)) return -1;
    pack_manifest m = {.content_version = version};
    snprintf(m.kind, sizeof m.kind, "%s", kind);
    snprintf(m.pack_id, sizeof m.pack_id, "%s", pack_id);
    int rc = write_pack(payload_path, &m, sk, expire_days, out_path, err, errlen);
    sodium_memzero(sk, sizeof sk);
    return rc;
}

int pack_read_manifest_stream(FILE *f, const pack_trust *t, pack_manifest *m, char *err, size_t errlen)
{
    if (init_sodium(err, errlen)) return PACK_ERR_IO;
    return read_head(f, t, m, err, errlen);
}

int pack_read_manifest(const char *path, const pack_trust *t, pack_manifest *m, char *err, size_t errlen)
{
    if (init_sodium(err, errlen)) return PACK_ERR_IO;
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, errlen, PACK_ERR_IO, "%s: %s", path, strerror(errno));
    int rc = read_head(f, t, m, err, errlen);
    fclose(f);
    return rc;
}

/* Open the copied payload and make sure it is a content database of our schema and version. */
static int check_payload_db(const char *path, const pack_manifest *m, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = PACK_ERR_SCHEMA;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        char *schema = db_meta(db, "schema_version"), *ver = db_meta(db, "content_version");
        sqlite3_stmt *st = NULL;
        int quick_ok = 0;
        if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            quick_ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        sqlite3_finalize(st);
        if (!schema || atoi(schema) != STORE_SCHEMA_VERSION)
            fail(err, errlen, PACK_ERR_SCHEMA, "schema version %s, this kiosk reads %d", schema ? schema : "none",
                 STORE_SCHEMA_VERSION);
        else if (!ver || atoll(ver) != m->content_version)
            fail(err, errlen, PACK_ERR_SCHEMA, "content version inside differs from the manifest");
        else if (!quick_ok)
            fail(err, errlen, PACK_ERR_SCHEMA, "database check failed");
        else
            rc = PACK_OK;
        free(schema);
        free(ver);
    } else {
        fail(err, errlen, PACK_ERR_SCHEMA, "not a database");
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
    if (!blob) return fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
    unsigned char sha[32];
    if (fread(blob, 1, (size_t)m->payload_size, f) != (size_t)m->payload_size) {
        free(blob);
        return fail(err, errlen, PACK_ERR_DAMAGED, "cut short");
    }
    crypto_hash_sha256(sha, blob, (unsigned long long)m->payload_size);
    if (memcmp(sha, m->sha256, 32) != 0) {
        free(blob);
        return fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
    }
    char tmp[1100];
    staged_path(content_path, tmp, sizeof tmp);
    FILE *in = fopen(content_path, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int rc = in && out ? PACK_OK : PACK_ERR_IO;
    if (rc == PACK_OK) {
        struct stat sb;
        unsigned char ignore[32];
        if (fstat(fileno(in), &sb) != 0 || sha256_file(in, (int64_t)sb.st_size, ignore, out) != 0) rc = PACK_ERR_IO;
        if (fflush(out) != 0 || fsync(fileno(out)) != 0) rc = PACK_ERR_IO;
    }
    if (in) fclose(in);
    if (out) fclose(out);
    if (rc != PACK_OK) {
        free(blob);
        unlink(tmp);
        return fail(err, errlen, rc, "%s", strerror(errno));
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
        return fail(err, errlen, PACK_ERR_BASE, "the changes do not fit the installed content");
    }
    if (indexed != 0) {
        unlink(tmp);
        return fail(err, errlen, PACK_ERR_IO, "%s", ierr);
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
    if (rename(tmp, content_path) != 0) return fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno));
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
    if (init_sodium(err, errlen)) return PACK_ERR_IO;
    FILE *f = fopen(pack_path, "rb");
    if (!f) return fail(err, errlen, PACK_ERR_IO, "%s: %s", pack_path, strerror(errno));
    struct stat sb;
    int64_t max = pol->max_bytes > 0 ? pol->max_bytes : ((int64_t)1 << 30);
    if (fstat(fileno(f), &sb) != 0) { fclose(f); return fail(err, errlen, PACK_ERR_IO, "%s", strerror(errno)); }
    if ((int64_t)sb.st_size > max) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_TOO_BIG, "%lld MiB", (long long)(sb.st_size >> 20));
    }
    int rc = read_head(f, t, m, err, errlen);
    if (rc != PACK_OK) { fclose(f); return rc; }
    /* Only a verified manifest may move our idea of the time forward. */
    int64_t now = pol->now > pol->newest_seen ? pol->now : pol->newest_seen;
    if (m->created > pol->newest_seen) pol->newest_seen = m->created;
    if (m->content_version < pol->installed_version) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_OLDER, "version %lld, installed %lld", (long long)m->content_version,
                    (long long)pol->installed_version);
    }
    if (!strcmp(m->kind, "delta") && m->base_version != pol->installed_version) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_BASE, "for version %lld, installed %lld", (long long)m->base_version,
                    (long long)pol->installed_version);
    }
    if (m->content_version == pol->installed_version) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_SAME, "version %lld", (long long)m->content_version);
    }
    if (now > m->expires) { fclose(f); return fail(err, errlen, PACK_ERR_EXPIRED, NULL); }
    long payload_at = ftell(f);
    if ((int64_t)sb.st_size - payload_at != m->payload_size) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_DAMAGED, "payload is %lld bytes, the manifest says %lld",
                    (long long)(sb.st_size - payload_at), (long long)m->payload_size);
    }
    struct statvfs vfs;
    char dircopy[1024];
    snprintf(dircopy, sizeof dircopy, "%s", content_path);
    if (statvfs(dirname(dircopy), &vfs) == 0 &&
        (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize < m->payload_size + (4 << 20)) {
        fclose(f);
        return fail(err, errlen, PACK_ERR_DISK, NULL);
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
    if (!out) { fclose(f); return fail(err, errlen, PACK_ERR_IO, "%s: %s", tmp, strerror(errno)); }
    unsigned char sha[32];
    int hr = sha256_file(f, m->payload_size, sha, out);
    fclose(f);
    int wr = fflush(out) != 0 || fsync(fileno(out)) != 0;
    wr |= fclose(out) != 0;
    if (hr == -2 || wr) {
        int e = errno;
        unlink(tmp);
        return fail(err, errlen, e == ENOSPC ? PACK_ERR_DISK : PACK_ERR_IO, "%s", strerror(e));
    }
    if (hr != 0 || memcmp(sha, m->sha256, 32) != 0) {
        unlink(tmp);
        return fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
    }
    rc = check_payload_db(tmp, m, err, errlen);
    if (rc != PACK_OK) unlink(tmp);
    return rc;
}
