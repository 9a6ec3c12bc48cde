/*
 * sync.c: the update poller, downloads with resume, and the health report (sync.h).
 */
#include "sync.h"

#include "pack/publish.h"
#include "platform/log.h"
#include "store/local.h"

#include "platform/curl_dl.h"
#include "platform/fmt.h"
#include "platform/storage.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct sync_ctx {
    sync_config cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    _Atomic int cancel; /* read by the transfer's progress callback, without the lock */
    sync_status st;
};

/* xgettext reads the sentences below as msgids; staff read them translated */
#define N_(s) s

const char *sync_strerror(int reason)
{
    switch (reason) {
    case SYNC_OK: return "";
    case SYNC_NO_CURL: return N_("libcurl is not installed: the kiosk cannot download updates");
    case SYNC_UNREACHABLE: return N_("the central store cannot be reached or does not have the file; retrying later");
    case SYNC_INDEX_TOO_BIG: return N_("the store's index is larger than an index may be; download stopped");
    case SYNC_EXPIRED: return N_("the store's index has expired (frozen publication refused)");
    case SYNC_ROLLBACK: return N_("the store offers an older version than installed (rollback refused)");
    case SYNC_BUSY: return N_("another installation is running (staff mode or kiosk-pack); retrying later");
    case SYNC_PACK: return "the update was refused"; /* staff read pack_strerror's sentence instead */
    default: return "the update failed";
    }
}

const char *sync_status_reason(const sync_status *st)
{
    return st->reason == SYNC_PACK ? pack_strerror(st->pack_err) : sync_strerror(st->reason);
}

/* the User-Agent of every request the sync thread makes */
#define SYNC_AGENT "kiosk-sync/1"

/* fetch's *code_out when the server did not answer, or not with the file (no pack_err) */
#define FETCH_UNREACHABLE (-1)

/* The reason of an attempt that failed, and its English line with detail (fmt has one %s). */
static void set_error(sync_status *st, int reason, int pack_err, const char *fmt, const char *detail)
{
    st->reason = reason == SYNC_PACK && pack_err == FETCH_UNREACHABLE ? SYNC_UNREACHABLE : reason;
    st->pack_err = pack_err;
    /* long details (URLs) are cut: the message is for a status line */
    if (snprintf(st->last_error, sizeof st->last_error, fmt, detail ? detail : "") >= (int)sizeof st->last_error)
        st->last_error[sizeof st->last_error - 1] = 0;
}

/* Where a download goes, and how much of it may arrive. */
typedef struct body {
    FILE *f;
    int64_t have;      /* bytes in the file (a resumed part included) */
    int64_t limit;     /* the file may not grow past this; 0 = no limit */
    int over;          /* the server sent more: the transfer was cut */
} body;

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
    body *b = arg;
    size_t len = sz * n;
    if (b->limit > 0 && (int64_t)len > b->limit - b->have) {
        /* not one byte past the cap reaches the disk: returning short makes libcurl stop */
        b->over = 1;
        return 0;
    }
    b->have += (int64_t)len;
    return fwrite(p, 1, len, b->f);
}

/* libcurl asks about once a second, also while no byte moves: sync_stop need not wait for a stall. */
static int on_progress(void *cancel, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return cancel && *(const _Atomic int *)cancel;
}

/* Where a redirect pointed, for the message: printable ASCII only (it is the server's text). */
static const char *redirect_target(CURL *h)
{
    char *to = NULL;
    if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &to) != CURLE_OK || !to || strlen(to) > 200) return "";
    for (const char *p = to; *p; p++)
        if (*p <= ' ' || *p > '~') return "";
    return to;
}

static size_t on_header(char *p, size_t sz, size_t n, void *etag)
{
    size_t len = sz * n;
    if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
        char *e = etag;
        snprintf(e, 128, "%.*s", (int)(len - 5), p + 5);
        char *s = e;
        while (*s == ' ') s++;
        memmove(e, s, strlen(s) + 1);
        e[strcspn(e, "\r\n")] = 0;
    }
    return len;
}

/*
 * GET url into path, which may not grow past limit bytes (0: no limit). resume: continue a
 * partial file with a Range request. etag_in: send If-None-Match (returns 1 on 304). Returns
 * 0 on success, 1 not modified, -1 with err and *code (PACK_ERR_TOO_BIG when the server sent
 * more than limit, the file then deleted; FETCH_UNREACHABLE when it did not answer with the
 * file; PACK_ERR_IO when the file cannot be written).
 */
static int fetch(const sync_config *c, const char *url, const char *path, int resume, int64_t limit,
                 const char *etag_in, char *etag_out, int64_t *bytes, int *code_out, char *err, size_t errlen)
{
    struct stat sb;
    curl_off_t have = resume && stat(path, &sb) == 0 ? (curl_off_t)sb.st_size : 0;
    *code_out = PACK_ERR_IO;
    if (limit > 0 && (int64_t)have > limit) have = 0; /* longer than it may be: not resumed from */
    for (int attempt = 0; attempt < 2; attempt++) {
        FILE *f = fopen(path, have ? "ab" : "wb");
        if (!f) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        /* connect within timeout_s; the whole transfer within transfer_max_s, resumed next time */
        long max_s = c->transfer_max_s > 0 ? c->transfer_max_s : SYNC_TRANSFER_MAX_DEFAULT;
        CURL *h = curl_dl_easy(url, SYNC_AGENT, c->timeout_s, max_s, err, errlen);
        if (!h) {
            fclose(f);
            return -1;
        }
        char etag[128] = "", hdr[200];
        struct curl_slist *headers = NULL;
        if (etag_in && *etag_in) {
            snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag_in);
            headers = curl_slist_append(headers, hdr);
        }
        body b = {.f = f, .have = (int64_t)have, .limit = limit};
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, etag);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        /* a stalled server: fewer than 100 bytes a second for timeout_s seconds cuts the transfer */
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)c->timeout_s);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->cancel);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        if (have) curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, have);
        CURLcode rc = curl_easy_perform(h);
        long code = 0;
        curl_off_t got = 0, took_us = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
        curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &took_us);
        char moved[256] = "";
        if (code >= 300 && code < 400 && code != 304) {
            const char *to = redirect_target(h); /* curl's string, valid until the cleanup below */
            snprintf(moved, sizeof moved, " (a redirect%s%s: not followed; set store_url to the files' own address)",
                     *to ? " to " : "", to);
        }
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        int wr = fclose(f);
        if (bytes) *bytes += (int64_t)got;
        if (b.over) {
            unlink(path); /* what came is not what was listed: none of it is kept */
            *code_out = PACK_ERR_TOO_BIG;
            snprintf(err, errlen, "the server sent more than the %lld bytes listed; download stopped", (long long)limit);
            return -1;
        }
        if (rc == CURLE_OK && code == 304) return 1;
        if (have && (code == 200 || code == 416 || rc == CURLE_RANGE_ERROR)) {
            /* the server ignored the range, answered another one, or the partial file is stale:
             * start afresh (resuming again would fail the same way every round) */
            have = 0;
            continue;
        }
        if (rc == CURLE_OPERATION_TIMEDOUT && took_us >= (curl_off_t)max_s * 1000000) {
            *code_out = FETCH_UNREACHABLE;
            snprintf(err, errlen, "%s: still running after %ld s (%lld bytes); %s", url, max_s, (long long)b.have,
                     resume ? "the rest is fetched next time" : "stopped");
            return -1;
        }
        if (rc != CURLE_OK) {
            *code_out = FETCH_UNREACHABLE;
            snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(rc));
            return -1;
        }
        if (code != 200 && code != 206) {
            *code_out = FETCH_UNREACHABLE;
            snprintf(err, errlen, "%s: HTTP %ld%s", url, code, moved);
            return -1;
        }
        if (wr != 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        if (etag_out) snprintf(etag_out, 128, "%s", etag);
        return 0;
    }
    *code_out = FETCH_UNREACHABLE;
    snprintf(err, errlen, "%s: cannot resume", url);
    return -1;
}

static void read_text(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (!fgets(buf, (int)len, f)) buf[0] = 0;
    buf[strcspn(buf, "\n")] = 0;
    fclose(f);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static int64_t installed_version(const char *content)
{
    char v[32];
    return pack_content_version(content, v, sizeof v) == 0 ? atoll(v) : 0;
}

/* Bytes an unprivileged writer may still use on the filesystem holding dir; -1 unknown. */
static int64_t free_bytes(const char *dir, uint64_t *dev)
{
    storage_info si;
    if (storage_probe_dir(dir, 0, &si) == STORAGE_UNKNOWN) return -1;
    *dev = si.device;
    return (int64_t)si.free_bytes;
}

/*
 * Room for a listed file: the rest of its download in the work folder and the installer's
 * staged copy beside the content (at most the pack's size), each leaving the reserve free.
 * PACK_OK, or PACK_ERR_DISK with the figures in err.
 */
static int check_room(const sync_config *c, const pack_index_entry *e, int64_t have, char *err, size_t errlen)
{
    int64_t reserve = c->reserve_bytes > 0 ? c->reserve_bytes : SYNC_RESERVE_DEFAULT;
    char cdir[sizeof c->content_path];
    memcpy(cdir, c->content_path, sizeof cdir);
    char *slash = strrchr(cdir, '/');
    if (slash) *slash = 0;
    else snprintf(cdir, sizeof cdir, ".");
    uint64_t wdev = 0, cdev = 0;
    int64_t wfree = free_bytes(c->work_dir, &wdev), cfree = free_bytes(cdir, &cdev);
    int64_t download = e->size - have, staged = e->size;
    int ok;
    if (wfree < 0 || cfree < 0) ok = 1; /* cannot tell: the installer's own checks still apply */
    else if (wdev == cdev) ok = download + staged + reserve <= wfree;
    else ok = download + reserve <= wfree && staged + reserve <= cfree;
    if (ok) return PACK_OK;
    snprintf(err, errlen, "%s: %s (needs %lld MiB and a reserve of %lld MiB, %lld MiB free)", e->file,
             pack_strerror(PACK_ERR_DISK), (long long)((download + staged + (1 << 20) - 1) >> 20),
             (long long)(reserve >> 20), (long long)((wdev == cdev ? wfree : wfree < cfree ? wfree : cfree) >> 20));
    return PACK_ERR_DISK;
}

/* Download one listed file (resuming) and check it against the index. PACK_OK, a pack_err, or
 * FETCH_UNREACHABLE. */
static int fetch_step(const sync_config *c, const pack_index_entry *e, char *part, size_t partlen, int64_t *bytes,
                      char *err, size_t errlen)
{
    /* named by the whole listed path ('/' as %2F, '%' as %25): a/x.kpack and b/x.kpack were
     * one x.kpack.part, each resumed from the other's bytes */
    char name[sizeof e->file * 3];
    size_t k = 0;
    for (const char *p = e->file; *p && k + 4 < sizeof name; p++)
        k += *p == '/' || *p == '%' ? (size_t)snprintf(name + k, sizeof name - k, "%%%02X", (unsigned char)*p)
                                    : (size_t)(name[k] = *p, 1);
    name[k] = 0;
    if (fmt_fit(part, partlen, "%s/%s.part", c->work_dir, name) != 0) {
        snprintf(err, errlen, "download path too long");
        return PACK_ERR_IO;
    }
    if (e->size <= 0 || e->size > SYNC_PACK_MAX) {
        snprintf(err, errlen, "%s: %s (listed at %lld bytes)", e->file, pack_strerror(PACK_ERR_TOO_BIG),
                 (long long)e->size);
        return PACK_ERR_TOO_BIG;
    }
    struct stat sb;
    int64_t have = stat(part, &sb) == 0 && (int64_t)sb.st_size <= e->size ? (int64_t)sb.st_size : 0;
    int rc = check_room(c, e, have, err, errlen);
    if (rc != PACK_OK) return rc;
    char url[sizeof c->url + sizeof e->file];
    if (fmt_fit(url, sizeof url, "%s%s", c->url, e->file) != 0) {
        snprintf(err, errlen, "%.200s: download address too long", e->file);
        return PACK_ERR_IO;
    }
    /* bytes kept from an earlier round may be of another file once listed under this name (the
     * publisher replaced it): a resumed download that does not match is fetched once more whole */
    for (int whole = !have;; whole = 1) {
        if (fetch(c, url, part, 1, e->size, NULL, NULL, bytes, &rc, err, errlen) != 0) {
            if (rc == PACK_ERR_TOO_BIG) /* named by its file: the message goes to staff */
                snprintf(err, errlen, "%.255s: the server sent more than the %lld bytes listed; download stopped",
                         e->file, (long long)e->size);
            return rc;
        }
        int64_t size = 0;
        char hex[65];
        if (pack_file_sha256_hex(part, &size, hex) == 0 && size == e->size && !strcmp(hex, e->sha256)) return PACK_OK;
        unlink(part); /* damaged bytes must not be resumed from */
        if (whole) break;
        log_msg("sync", "%s: resumed bytes did not match; downloading it whole", e->file);
    }
    snprintf(err, errlen, "%s: %s", e->file, pack_strerror(PACK_ERR_DAMAGED));
    return PACK_ERR_DAMAGED;
}

int sync_once(const sync_config *c, sync_status *st)
{
    time_t now = time(NULL);
    st->last_attempt = (int64_t)now;
    if (!curl_dl_ready()) {
        set_error(st, SYNC_NO_CURL, 0, "%s", "libcurl is not installed");
        st->errors++;
        return -1;
    }
    st->installed_version = installed_version(c->content_path);
    mkdir(c->work_dir, 0755);
    local *loc = NULL;
    char err[1024] = "";
    if (local_open(&loc, c->state_path, err, sizeof err) != 0) loc = NULL;
    int64_t newest = local_get_int(loc, "newest_manifest_time", 0);
    /* part: an index's, then each listed file's (a name of at most sizeof file bytes) */
    char index_path[sizeof c->work_dir + 16], part[sizeof c->work_dir + sizeof ((pack_index_entry *)0)->file + 8],
        etag_path[sizeof c->work_dir + 16], etag[128] = "", new_etag[128] = "", url[sizeof c->url + 16];
    int64_t bytes = 0;
    int icode = PACK_ERR_IO, rc = -1;
    if (fmt_fit(index_path, sizeof index_path, "%s/index.kpack", c->work_dir) ||
        fmt_fit(etag_path, sizeof etag_path, "%s/index.etag", c->work_dir) ||
        fmt_fit(part, sizeof part, "%s.part", index_path) || fmt_fit(url, sizeof url, "%sindex.kpack", c->url)) {
        snprintf(err, sizeof err, "%s", "the work folder or the address is too long");
    } else {
        struct stat sb;
        if (stat(index_path, &sb) == 0) read_text(etag_path, etag, sizeof etag);
        rc = fetch(c, url, part, 0, SYNC_INDEX_MAX, etag, new_etag, &bytes, &icode, err, sizeof err);
    }
    int ok = 0;
    if (rc == 0) {
        rename(part, index_path);
        write_text(etag_path, new_etag);
    } else {
        unlink(part);
    }
    pack_index ix = {0};
    if (rc < 0 && icode == PACK_ERR_TOO_BIG) {
        /* an index is a few kilobytes; whatever this is, it is not kept */
        unlink(index_path);
        unlink(etag_path);
        set_error(st, SYNC_INDEX_TOO_BIG, 0, "%s", "");
        snprintf(st->last_error, sizeof st->last_error, "index.kpack: larger than the %lld MiB an index may be; %s",
                 (long long)(SYNC_INDEX_MAX >> 20), "download stopped");
    } else if (rc < 0) {
        set_error(st, SYNC_PACK, icode, "%s", err);
    } else if ((rc = pack_index_read(index_path, &c->trust, &ix, err, sizeof err)) != PACK_OK) {
        set_error(st, SYNC_PACK, rc, "index: %s", err);
        unlink(index_path); /* a bad index must not be kept as "not modified" */
    } else {
        /* the index passes the clock and publication checks of any pack (install.h) */
        pack_policy ipol = {.now = (int64_t)now, .newest_seen = newest, .clock_synced_path = c->clock_synced_path};
        snprintf(ipol.publication, sizeof ipol.publication, "%s", c->publication);
        char have[64] = "", cerr[512];
        if (pack_content_id(c->content_path, have, sizeof have) != 0) have[0] = 0;
        int crc = pack_check_clock(&ipol, &ix.m, cerr, sizeof cerr);
        if (ipol.newest_seen != newest) local_set_int(loc, "newest_manifest_time", ipol.newest_seen);
        if (crc == PACK_ERR_EXPIRED) {
            set_error(st, SYNC_EXPIRED, 0, "%s", sync_strerror(SYNC_EXPIRED));
        } else if (crc != PACK_OK || (crc = pack_check_publication(&ipol, have, &ix.m, cerr, sizeof cerr)) != PACK_OK) {
            set_error(st, SYNC_PACK, crc, "index: %s", cerr);
        } else if (ix.m.content_version < st->installed_version) {
            set_error(st, SYNC_ROLLBACK, 0, "%s", sync_strerror(SYNC_ROLLBACK));
        } else {
            const pack_index_entry *steps[16];
            int n = pack_index_plan(&ix, st->installed_version, steps, 16);
            ok = 1;
            if (n > 0 && pack_busy(c->content_path)) {
                /* staff mode or kiosk-pack holds the install lock (a stick's pack): next time */
                set_error(st, SYNC_BUSY, 0, "%s", sync_strerror(SYNC_BUSY));
                n = 0;
                ok = 0;
            }
            for (int i = 0; i < n && ok; i++) {
                pack_policy pol = {.installed_version = st->installed_version, .now = (int64_t)now,
                                   .newest_seen = local_get_int(loc, "newest_manifest_time", 0),
                                   .clock_synced_path = c->clock_synced_path,
                                   .reserve_bytes = c->reserve_bytes > 0 ? c->reserve_bytes : SYNC_RESERVE_DEFAULT};
                snprintf(pol.publication, sizeof pol.publication, "%s", c->publication);
                pack_manifest m;
                int prc = fetch_step(c, steps[i], part, sizeof part, &bytes, err, sizeof err);
                int done = prc == PACK_OK &&
                           (prc = pack_install(part, c->content_path, &c->trust, &pol, &m, err, sizeof err)) == PACK_OK;
                if (done) {
                    unlink(part);
                    st->installed_version = m.content_version;
                    st->content_changed = 1;
                    local_set_int(loc, "newest_manifest_time", pol.newest_seen);
                } else if (steps[i] != &ix.full && !pack_err_retry(prc) && prc != PACK_ERR_FUTURE &&
                           prc != PACK_ERR_PUBLICATION && prc != PACK_ERR_DISK && !(c->cancel && *c->cancel)) {
                    /* a delta missing or not fitting: the rest of the plan becomes the full pack */
                    log_msg("sync", "delta %s failed (%s); fetching the full pack", steps[i]->file, err);
                    steps[0] = &ix.full;
                    n = 1;
                    i = -1;
                } else {
                    set_error(st, SYNC_PACK, prc, "%s", err);
                    ok = 0;
                }
            }
        }
    }
    pack_index_free(&ix);
    local_close(loc);
    st->bytes_last = bytes;
    if (ok) {
        st->last_success = (int64_t)now;
        st->errors = 0;
        st->last_error[0] = 0;
        st->reason = SYNC_OK;
        return 0;
    }
    st->errors++;
    log_msg("sync", "update failed: %s", st->last_error);
    return -1;
}

/* ---------- health report ---------- */

static void report_health(sync_ctx *s, time_t started)
{
    const sync_config *c = &s->cfg;
    sync_status st;
    pthread_mutex_lock(&s->lock);
    st = s->st;
    pthread_mutex_unlock(&s->lock);
    storage_info si;
    storage_state ss = storage_probe(c->content_path, 0, &si);
    unsigned long long free_mib = (unsigned long long)(si.free_bytes >> 20);
    const char *storage = storage_state_name(ss == STORAGE_UNKNOWN ? STORAGE_OK : ss);
    if (ss == STORAGE_OK || ss == STORAGE_UNKNOWN) {
        /* a filesystem can refuse writes without saying so in its flags (errors, quotas) */
        local *l = NULL;
        char e[256];
        if (local_open(&l, c->state_path, e, sizeof e) != 0 || local_set_int(l, "health_probe", (int64_t)time(NULL)) != 0)
            storage = "read-only";
        local_close(l);
    }
    /* what IT needs to see, and nothing about the people who used the kiosk */
    char body[1024];
    int n = snprintf(body, sizeof body,
                     "{\"site_id\":\"%s\",\"kiosk_id\":\"%s\",\"app_version\":\"%s\",\"content_version\":%lld,"
                     "\"last_success\":%lld,\"last_attempt\":%lld,\"errors\":%d,\"free_disk_mib\":%llu,"
                     "\"storage\":\"%s\",\"uptime_s\":%lld}",
                     c->site_id, c->kiosk_id, c->app_version, (long long)st.installed_version, (long long)st.last_success,
                     (long long)st.last_attempt, st.errors, free_mib, storage, (long long)(time(NULL) - started));
    char url[sizeof c->url + sizeof c->site_id + sizeof c->kiosk_id + 16];
    snprintf(url, sizeof url, "%shealth/%s-%s.json", c->url, c->site_id[0] ? c->site_id : "site",
             c->kiosk_id[0] ? c->kiosk_id : "kiosk");
    char err[128];
    if (!curl_dl_ready()) return; /* sync_once says so */
    CURL *h = curl_dl_easy(url, SYNC_AGENT, c->timeout_s, (long)c->timeout_s * 2, err, sizeof err);
    if (!h) {
        log_msg("health", "report not sent: %s", err);
        return;
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)n);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) log_msg("health", "report not sent: %s", curl_easy_strerror(rc));
    curl_easy_cleanup(h);
}

/* ---------- the thread ---------- */

static void *run(void *arg)
{
    sync_ctx *s = arg;
    time_t started = time(NULL);
    unsigned seed = (unsigned)started ^ (unsigned)getpid();
    for (;;) {
        sync_status st;
        pthread_mutex_lock(&s->lock);
        st = s->st;
        pthread_mutex_unlock(&s->lock);
        sync_once(&s->cfg, &st);
        pthread_mutex_lock(&s->lock);
        int changed = s->st.content_changed || st.content_changed;
        s->st = st;
        s->st.content_changed = changed;
        pthread_mutex_unlock(&s->lock);
        if (s->cancel) break; /* stopping: no report that would wait on the server again */
        report_health(s, started);
        /* the interval +-20 %, doubled per failure up to an hour */
        int64_t wait = s->cfg.interval_s > 0 ? s->cfg.interval_s : 900;
        for (int i = 0; i < st.errors && wait < 3600; i++) wait *= 2;
        if (wait > 3600 && s->cfg.interval_s < 3600) wait = 3600;
        wait = wait * (80 + (int64_t)(rand_r(&seed) % 41)) / 100;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)wait;
        pthread_mutex_lock(&s->lock);
        while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0) {}
        int stop = s->stop;
        pthread_mutex_unlock(&s->lock);
        if (stop) break;
    }
    return NULL;
}

sync_ctx *sync_start(const sync_config *cfg)
{
    sync_ctx *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->cfg = *cfg;
    s->cfg.cancel = &s->cancel;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void sync_stop(sync_ctx *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    s->cancel = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    /* a transfer in progress is cut within about a second; an installation runs to its end */
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
    /* libcurl stays loaded and initialised for the life of the process (its global state is
     * not safe to tear down and bring up again) */
}

void sync_status_get(sync_ctx *s, sync_status *out, int take)
{
    pthread_mutex_lock(&s->lock);
    *out = s->st;
    if (take) s->st.content_changed = 0;
    pthread_mutex_unlock(&s->lock);
}
