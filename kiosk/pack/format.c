/*
 * format.c: the pack file format, manifests, Ed25519 signature checks (libsodium) and the small
 * helpers installation and the tool share (format.h, pack_priv.h). Firmware: no secret keys here.
 */
#include "format.h"
#include "pack_priv.h"

#include "platform/job.h"
#include "platform/wallclock.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define MAX_MANIFEST 65536

/* Marks the reasons staff read for xgettext (tests/po_check.py); the app translates them through
 * its catalog (T(a, pack_strerror(rc))), so they are in translations/kiosk.pot and every PO file.
 * This room itself stays in English and needs no catalog. */
#define N_(s) s

const char *pack_strerror(int err)
{
    switch (err) {
    case PACK_OK: return N_("installed");
    case PACK_ERR_NOT_PACK: return N_("this file is not a content pack");
    case PACK_ERR_DAMAGED: return N_("the file is damaged (incomplete or changed); copy it again");
    case PACK_ERR_SIGNATURE: return N_("the signature does not match the trusted key");
    case PACK_ERR_OLDER: return N_("this pack is older than the installed content");
    case PACK_ERR_SAME: return N_("this pack is already installed");
    case PACK_ERR_EXPIRED: return N_("this pack has expired");
    case PACK_ERR_SCHEMA: return N_("the pack's content does not fit this kiosk");
    case PACK_ERR_TOO_BIG: return N_("the file is too large to be a content pack");
    case PACK_ERR_DISK: return N_("not enough free disk space to install the pack");
    case PACK_ERR_IO: return N_("the file could not be read or written");
    case PACK_ERR_FORMAT: return N_("this pack needs a newer kiosk version");
    case PACK_ERR_BASE: return N_("this update is for another installed version; use the full pack");
    case PACK_ERR_BUSY: return N_("another installation is running; try again when it has finished");
    case PACK_ERR_PUBLICATION: return N_("this pack belongs to another publication than the installed content");
    case PACK_ERR_FUTURE: return N_("this pack is dated ahead of the kiosk's clock");
    case PACK_ERR_READING: return N_("the content is still being read; try again in a moment");
    default: return N_("unknown error");
    }
}

int pack_err_retry(int err)
{
    return err == PACK_ERR_BUSY || err == PACK_ERR_READING;
}

int pack_fail(char *err, size_t errlen, int code, const char *fmt, ...)
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

int pack_sodium_init(char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to start");
        return -1;
    }
    return 0;
}

int pack_read_hex(const char *path, unsigned char *bin, size_t n, char *err, size_t errlen)
{
    /* a FIFO would block here until someone writes to it (the kiosk held at its start), a
     * device such as /dev/zero is no key: only a regular file is read */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    int regular = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    FILE *f = regular ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0 && !regular) snprintf(err, errlen, "%s: not a regular file", path);
        else snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
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

int pack_trust_add_file(pack_trust *t, const char *pub_path, char *err, size_t errlen)
{
    if (t->nkeys >= PACK_MAX_KEYS) {
        snprintf(err, errlen, "at most %d trusted keys", PACK_MAX_KEYS);
        return -1;
    }
    if (pack_read_hex(pub_path, t->keys[t->nkeys], 32, err, errlen)) return -1;
    t->nkeys++;
    return 0;
}

/* ---------- manifests ---------- */

static int days_in_month(int64_t y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

int pack_time_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    /* sscanf's %d also takes a sign or a leading space ("+203-...", "2031-+1-..."): digits only */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    for (int i = 0; s && i < 20; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]) return -1;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 20 || s[n] ||
        mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 || h < 0 || mi < 0 ||
        sec < 0 || y < 0)
        return -1;
    *out = wallclock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

void pack_time_format(int64_t t, char *buf, size_t len)
{
    wallclock_iso(t, buf, len);
}

int pack_manifest_parse(const char *text, size_t len, pack_manifest *m, char *err, size_t errlen)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "manifest: %s", je.text);
    memset(m, 0, sizeof *m);
    const char *id = NULL, *kind = NULL, *created = NULL, *expires = NULL, *sha = NULL, *key = NULL, *comp = "";
    json_int_t ver = 0, size = 0, base = 0, content = -1;
    int format = 0;
    int rc = json_unpack_ex(j, &je, 0, "{s:i, s:s, s:s, s:I, s?I, s:s, s:s, s:s, s:I, s?s, s?s, s?I}", "format", &format,
                            "pack_id", &id, "kind", &kind, "content_version", &ver, "base_version", &base, "created",
                            &created, "expires", &expires, "payload_sha256", &sha, "payload_size", &size, "key_id", &key,
                            "compression", &comp, "content_size", &content);
    size_t got = 0;
    if (rc != 0 || pack_time_parse(created, &m->created) || pack_time_parse(expires, &m->expires) ||
        sodium_hex2bin(m->sha256, 32, sha, strlen(sha), NULL, &got, NULL) != 0 || got != 32 || size < 0 || ver < 1 ||
        strlen(comp) >= sizeof m->compression || (comp[0] && content < 0) ||
        /* cut short, it would never equal the payload's own id: refused here, not truncated */
        strlen(id) >= sizeof m->pack_id || strlen(kind) >= sizeof m->kind) {
        json_decref(j);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "manifest fields");
    }
    m->format = format;
    m->content_version = ver;
    m->base_version = base;
    m->payload_size = size;
    m->content_size = comp[0] ? content : size;
    snprintf(m->compression, sizeof m->compression, "%s", comp);
    snprintf(m->pack_id, sizeof m->pack_id, "%s", id);
    snprintf(m->kind, sizeof m->kind, "%s", kind);
    snprintf(m->key_id, sizeof m->key_id, "%s", key ? key : "");
    json_decref(j);
    return PACK_OK;
}

/* ---------- files ---------- */

int pack_sha256_stream(FILE *f, int64_t size, unsigned char out[32], FILE *copy_to)
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

/*
 * The compressed bytes, read and hashed on a worker (job.h) while the caller decompresses the
 * chunks already read: hashing took a third of a full install. Each chunk is hashed in the
 * buffer it is then decompressed from, never read from the file again: a stick that answered a
 * second read otherwise than the first would slip bytes past the hash.
 */
#define FEED_CHUNKS 4

typedef struct feed {
    FILE *f;
    int64_t left;                     /* bytes still to read */
    size_t cap;
    unsigned char *buf[FEED_CHUNKS];
    size_t len[FEED_CHUNKS];
    int head, tail, count;            /* filled chunks, from tail */
    int ended, short_read, stop;      /* all read; the file ended early; the caller gives up */
    crypto_hash_sha256_state st;      /* the worker's until the queue stops */
    pthread_mutex_t lock;
    pthread_cond_t cond;
} feed;

static void feed_run(job *j, void *ctx)
{
    (void)j;
    feed *fd = ctx;
    for (;;) {
        pthread_mutex_lock(&fd->lock);
        while (fd->count == FEED_CHUNKS && !fd->stop) pthread_cond_wait(&fd->cond, &fd->lock);
        int slot = fd->head, stop = fd->stop;
        pthread_mutex_unlock(&fd->lock);
        if (stop) return;
        size_t want = fd->left > (int64_t)fd->cap ? fd->cap : (size_t)fd->left;
        size_t n = fread(fd->buf[slot], 1, want, fd->f);
        if (n) crypto_hash_sha256_update(&fd->st, fd->buf[slot], n);
        fd->left -= (int64_t)n;
        pthread_mutex_lock(&fd->lock);
        if (n) {
            fd->len[slot] = n;
            fd->head = (fd->head + 1) % FEED_CHUNKS;
            fd->count++;
        }
        if (!n) fd->short_read = 1;
        if (!n || fd->left == 0) fd->ended = 1;
        pthread_cond_broadcast(&fd->cond);
        int done = fd->ended;
        pthread_mutex_unlock(&fd->lock);
        if (done) return;
    }
}

/* The next chunk read (its slot), or -1 when there is none left (*short_read: the file ended early). */
static int feed_next(feed *fd, int *short_read)
{
    pthread_mutex_lock(&fd->lock);
    while (fd->count == 0 && !fd->ended) pthread_cond_wait(&fd->cond, &fd->lock);
    int slot = fd->count ? fd->tail : -1;
    *short_read = fd->short_read;
    pthread_mutex_unlock(&fd->lock);
    return slot;
}

/* The chunk feed_next gave is decompressed: its buffer may be read into again. */
static void feed_done(feed *fd)
{
    pthread_mutex_lock(&fd->lock);
    fd->tail = (fd->tail + 1) % FEED_CHUNKS;
    fd->count--;
    pthread_cond_broadcast(&fd->cond);
    pthread_mutex_unlock(&fd->lock);
}

int pack_unzstd_stream(FILE *f, int64_t size, int64_t content_size, unsigned char sha[32], FILE *out)
{
    feed fd = {.f = f, .left = size, .cap = ZSTD_DStreamInSize()};
    crypto_hash_sha256_init(&fd.st);
    pthread_mutex_init(&fd.lock, NULL);
    pthread_cond_init(&fd.cond, NULL);
    ZSTD_DCtx *z = ZSTD_createDCtx();
    size_t outlen = ZSTD_DStreamOutSize();
    unsigned char *buf = malloc(outlen);
    int rc = z && buf ? 0 : -2;
    for (int i = 0; i < FEED_CHUNKS; i++)
        if (!(fd.buf[i] = malloc(fd.cap))) rc = -2;
    int64_t made = 0;
    size_t last = 1; /* 0 once a frame has ended exactly */
    /* a window larger than 128 MiB is no content database's: refuse it rather than allocate it */
    if (rc == 0 && ZSTD_isError(ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, 27))) rc = -2;
    job_queue *q = NULL;
    job *reader = rc == 0 && size > 0 ? calloc(1, sizeof *reader) : NULL;
    if (reader && job_queue_start(&q, &fd, NULL, 0) == 0) {
        reader->run = feed_run;
        if (job_post(q, reader, 0) != 0) {
            job_queue_stop(q);
            q = NULL;
        }
    } else {
        free(reader);
    }
    if (!q) fd.ended = 1; /* no worker: each chunk is read below, in turn */
    while (rc == 0) {
        int short_read = 0, slot;
        if (q) {
            slot = feed_next(&fd, &short_read);
        } else if (fd.left > 0) {
            feed_run(NULL, &fd); /* reads one chunk: ended is set, so it returns after it */
            slot = fd.count ? fd.tail : -1;
            short_read = fd.short_read;
        } else {
            slot = -1;
        }
        if (slot < 0) {
            if (short_read) rc = -1;
            break;
        }
        ZSTD_inBuffer ib = {fd.buf[slot], fd.len[slot], 0};
        while (rc == 0 && ib.pos < ib.size) {
            ZSTD_outBuffer ob = {buf, outlen, 0};
            last = ZSTD_decompressStream(z, &ob, &ib);
            if (ZSTD_isError(last)) rc = -3;
            else if ((int64_t)ob.pos > content_size - made) rc = -4; /* stop before writing past the signed size */
            else if (ob.pos && fwrite(buf, 1, ob.pos, out) != ob.pos) rc = -2;
            made += (int64_t)ob.pos;
        }
        if (q) {
            feed_done(&fd);
        } else {
            fd.tail = (fd.tail + 1) % FEED_CHUNKS;
            fd.count--;
        }
    }
    if (q) {
        pthread_mutex_lock(&fd.lock);
        fd.stop = 1; /* a reader waiting for room gives up */
        pthread_cond_broadcast(&fd.cond);
        pthread_mutex_unlock(&fd.lock);
        job_queue_stop(q); /* and is joined: the hash state is this thread's again */
    }
    /* what is left buffered inside the decoder once the input is all read */
    while (rc == 0 && last != 0) {
        ZSTD_inBuffer ib = {NULL, 0, 0};
        ZSTD_outBuffer ob = {buf, outlen, 0};
        last = ZSTD_decompressStream(z, &ob, &ib);
        if (ZSTD_isError(last)) rc = -3;
        else if (ob.pos == 0 && last != 0) rc = -3; /* the stream ends inside a frame */
        else if ((int64_t)ob.pos > content_size - made) rc = -4;
        else if (ob.pos && fwrite(buf, 1, ob.pos, out) != ob.pos) rc = -2;
        made += (int64_t)ob.pos;
    }
    if (rc == 0 && made != content_size) rc = -5;
    crypto_hash_sha256_final(&fd.st, sha);
    ZSTD_freeDCtx(z);
    for (int i = 0; i < FEED_CHUNKS; i++) free(fd.buf[i]);
    free(buf);
    pthread_cond_destroy(&fd.cond);
    pthread_mutex_destroy(&fd.lock);
    return rc;
}

int pack_file_sha256_hex(const char *path, int64_t *size, char hex[65])
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    unsigned char sha[32];
    if (!f || fstat(fileno(f), &sb) != 0 || pack_sha256_stream(f, (int64_t)sb.st_size, sha, NULL) != 0) {
        if (f) fclose(f);
        return -1;
    }
    fclose(f);
    *size = (int64_t)sb.st_size;
    sodium_bin2hex(hex, 65, sha, 32);
    return 0;
}

char *pack_db_meta(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static int meta_value(const char *db_path, const char *key, char *buf, size_t len)
{
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        char *v = pack_db_meta(db, key);
        if (v) {
            snprintf(buf, len, "%s", v);
            rc = 0;
        }
        free(v);
    }
    sqlite3_close(db);
    return rc;
}

int pack_content_id(const char *db_path, char *buf, size_t len) { return meta_value(db_path, "pack_id", buf, len); }

int pack_content_version(const char *db_path, char *buf, size_t len)
{
    return meta_value(db_path, "content_version", buf, len);
}

/* ---------- verification ---------- */

/* Reads header, manifest and signature; leaves f positioned at the payload. kind NULL accepts
 * what installs (full, delta). */
int pack_read_head(FILE *f, const pack_trust *t, const char *kind, pack_manifest *m, char *err, size_t errlen)
{
    unsigned char head[11];
    size_t n = fread(head, 1, sizeof head, f);
    if (n < 7 || memcmp(head, PACK_MAGIC, 7) != 0) return pack_fail(err, errlen, PACK_ERR_NOT_PACK, NULL);
    if (n < sizeof head) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "cut short in the header");
    uint32_t jl = ((uint32_t)head[7] << 24) | ((uint32_t)head[8] << 16) | ((uint32_t)head[9] << 8) | head[10];
    if (jl == 0 || jl > MAX_MANIFEST) return pack_fail(err, errlen, PACK_ERR_DAMAGED, "manifest length %u", jl);
    unsigned char *buf = malloc(sizeof head + jl);
    unsigned char sig[crypto_sign_BYTES];
    if (!buf) return pack_fail(err, errlen, PACK_ERR_IO, "out of memory");
    memcpy(buf, head, sizeof head);
    if (fread(buf + sizeof head, 1, jl, f) != jl || fread(sig, 1, sizeof sig, f) != sizeof sig) {
        free(buf);
        return pack_fail(err, errlen, PACK_ERR_DAMAGED, "cut short in the manifest");
    }
    int trusted = 0;
    for (int i = 0; i < t->nkeys && !trusted; i++)
        trusted = crypto_sign_verify_detached(sig, buf, sizeof head + jl, t->keys[i]) == 0;
    if (!trusted) {
        free(buf);
        return pack_fail(err, errlen, PACK_ERR_SIGNATURE, t->nkeys ? NULL : "no trusted key is configured");
    }
    int rc = pack_manifest_parse((const char *)buf + sizeof head, jl, m, err, errlen);
    free(buf);
    if (rc == PACK_OK && (m->format < 1 || m->format > PACK_FORMAT))
        return pack_fail(err, errlen, PACK_ERR_FORMAT, "format %d", m->format);
    /* compression came with format 2, for full packs only */
    if (rc == PACK_OK && m->compression[0] && (m->format < 2 || strcmp(m->compression, "zstd") || strcmp(m->kind, "full")))
        return pack_fail(err, errlen, PACK_ERR_FORMAT, "%s payload in a format %d %s pack", m->compression, m->format,
                         m->kind);
    if (rc == PACK_OK && (kind ? strcmp(m->kind, kind) != 0 : strcmp(m->kind, "full") && strcmp(m->kind, "delta")))
        return pack_fail(err, errlen, PACK_ERR_FORMAT, "kind %s", m->kind);
    return rc;
}

FILE *pack_fopen_regular(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    int regular = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    FILE *f = regular ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0 && !regular) pack_fail(err, errlen, PACK_ERR_IO, "%s: not a regular file", path);
        else pack_fail(err, errlen, PACK_ERR_IO, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
    }
    return f;
}

int pack_read_small(const char *path, const pack_trust *t, const char *kind, pack_manifest *m, char **payload,
                    size_t max, char *err, size_t errlen)
{
    *payload = NULL;
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    FILE *f = pack_fopen_regular(path, err, errlen);
    if (!f) return PACK_ERR_IO;
    int rc = pack_read_head(f, t, kind, m, err, errlen);
    if (rc == PACK_OK && (m->payload_size < 0 || (size_t)m->payload_size > max)) rc = pack_fail(err, errlen, PACK_ERR_TOO_BIG, NULL);
    char *buf = rc == PACK_OK ? malloc((size_t)m->payload_size + 1) : NULL;
    if (rc == PACK_OK && !buf) rc = pack_fail(err, errlen, PACK_ERR_IO, "out of memory");
    if (rc == PACK_OK && (fread(buf, 1, (size_t)m->payload_size, f) != (size_t)m->payload_size || fgetc(f) != EOF))
        rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "payload size");
    unsigned char sha[32];
    if (rc == PACK_OK) {
        crypto_hash_sha256(sha, (unsigned char *)buf, (unsigned long long)m->payload_size);
        if (memcmp(sha, m->sha256, 32) != 0) rc = pack_fail(err, errlen, PACK_ERR_DAMAGED, "checksum differs");
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

int pack_read_manifest_stream(FILE *f, const pack_trust *t, pack_manifest *m, char *err, size_t errlen)
{
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    return pack_read_head(f, t, NULL, m, err, errlen);
}

int pack_read_manifest(const char *path, const pack_trust *t, pack_manifest *m, char *err, size_t errlen)
{
    if (pack_sodium_init(err, errlen)) return PACK_ERR_IO;
    FILE *f = pack_fopen_regular(path, err, errlen);
    if (!f) return PACK_ERR_IO;
    int rc = pack_read_head(f, t, NULL, m, err, errlen);
    fclose(f);
    return rc;
}
