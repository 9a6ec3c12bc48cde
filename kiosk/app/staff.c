/*
 * staff.c: staff mode behind the PIN (app_priv.h): the PIN and its lockout, what the kiosk
 * holds (content, coverage, storage, last sync), packs found on removable media, checked on a
 * background job and applied on request. It reads and writes only app state and the state
 * database; installing is the pack room's.
 */
#include "app_priv.h"

#include "pack/install.h"
#include "platform/fmt.h"
#include "platform/job.h"
#include "platform/log.h"
#include "platform/storage.h"
#include "store/local.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T app_tr

static void free_packs(app *a)
{
    for (int i = 0; i < a->s.npacks; i++) free(a->pack_paths[i]);
    free(a->pack_paths);
    a->pack_paths = NULL;
    free(a->s.packs);
    a->s.packs = NULL;
    a->s.npacks = 0;
}


void app_staff_leave(app *a)
{
    /* a check still running belongs to the generation that ends here: its staging file is
     * removed when the job is dropped (check_destroy) */
    a->gen++;
    pack_unstage(&a->staged_sg);
    a->staged = -1;
    free_packs(a);
    sodium_memzero(a->pin, sizeof a->pin);
    a->s.pin_len = 0;
    a->s.pin_checking = 0; /* its answer, for the generation that ends here, is dropped */
    a->s.staff_msg[0] = 0;
    a->s.staff_busy = 0;
    a->s.staff_scanning = 0; /* a look under way belongs to the generation that ends here */
}

static int64_t installed_version(app *a)
{
    char *v = store_meta(a->st, "content_version");
    int64_t n = v ? atoll(v) : 0;
    free(v);
    return n;
}

static void staff_info(app *a)
{
    char *ver = store_meta(a->st, "content_version"), *created = store_meta(a->st, "created");
    char *id = store_meta(a->st, "pack_id");
    size_t o = 0;
    char *b = a->s.staff_info;
    size_t n = sizeof a->s.staff_info;
    o += (size_t)snprintf(b + o, n - o, "%s: %s %s (%s)\n", T(a, "Content"), id ? id : "?", ver ? ver : "?",
                          created ? created : "?");
    free(ver);
    free(created);
    free(id);
    if (a->fallback[0])
        /* the words staff know from a refused pack, then (in English, for support) what failed */
        o += (size_t)snprintf(b + o, n - o, "%s: %s\n", T(a, pack_strerror(PACK_ERR_SCHEMA)), a->fallback);
    o += (size_t)snprintf(b + o, n - o, "%s:", T(a, "Offers translated"));
    for (int i = 0; a->s.languages && a->s.languages[i] && o < n - 64; i++) {
        int tr = 0, total = 0;
        store_coverage(a->st, a->s.languages[i], &tr, &total);
        o += (size_t)snprintf(b + o, n - o, " %s %d/%d", a->s.languages[i], tr, total);
    }
    storage_info si;
    storage_state ss = storage_probe(a->cfg.content, 0, &si);
    if (o < n - 128 && ss != STORAGE_UNKNOWN)
        o += (size_t)snprintf(b + o, n - o, "\n%s: %llu MiB", T(a, "Free disk space"),
                              (unsigned long long)(si.free_bytes >> 20));
    if (o < n - 128) {
        /* full or read-only storage: the kiosk goes on showing content, staff must know */
        const char *state = T(a, "ok");
        if (ss == STORAGE_READONLY) state = T(a, "read-only: nothing can be saved");
        else if (ss == STORAGE_FULL) state = T(a, "full: nothing can be saved");
        else if (local_set_int(a->loc, "storage_probe", (int64_t)time(NULL)) != 0) state = T(a, "read-only: nothing can be saved");
        o += (size_t)snprintf(b + o, n - o, "\n%s: %s", T(a, "Storage"), state);
    }
    if (o < n - 128) {
        char when[64] = "";
        if (a->have_sync && a->sync.last_success) {
            time_t t = (time_t)a->sync.last_success;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
        }
        o += (size_t)snprintf(b + o, n - o, "\n%s: %s", T(a, "Last update from the central store"),
                              when[0] ? when : T(a, "never"));
        if (a->have_sync && a->sync.last_attempt && a->sync.last_attempt != a->sync.last_success && o < n - 400) {
            time_t t = (time_t)a->sync.last_attempt;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
            /* in the staff language; the detail (addresses, HTTP codes) is in the journal */
            const char *why = sync_status_reason(&a->sync);
            o += (size_t)snprintf(b + o, n - o, "; %s: %s", when, why[0] ? T(a, why) : a->sync.last_error);
        }
    }
}

/* A row for a pack found, as pack_read_manifest answered for it. */
static void pack_row(app *a, staff_pack *p, const char *path, int rc, int64_t version)
{
    memset(p, 0, sizeof *p);
    const char *slash = strrchr(path, '/');
    snprintf(p->name, sizeof p->name, "%s", slash ? slash + 1 : path);
    if (rc == PACK_OK) {
        snprintf(p->status, sizeof p->status, "%s %lld", T(a, "Version"), (long long)version);
    } else {
        snprintf(p->status, sizeof p->status, "%s", T(a, pack_strerror(rc)));
        p->state = PACKROW_REFUSED;
    }
}

/* Folder entries one look at the media reads at most: a stick of a million files is looked at
 * in bounded time (the rest is not listed, and staff are told the list may be short). */
#define SCAN_ENTRIES 4096
/* How often staff mode looks again, so a stick put in after the PIN is listed. */
#define SCAN_EVERY_MS 2000u

/* *.kpack files up to three folders below the media folder (/media/USER/STICK/file.kpack).
 * Returns 0, or -1 with errno when a folder could not be read to its end (a failing stick, or
 * *budget entries read): what was found is listed, but staff are told the list may be short. */
static int scan(const char *dir, int depth, char ***found, int *n, int *budget)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int rc = 0, failed = 0;
    while (errno = 0, (e = readdir(d)) != NULL && *n < 32) {
        if (--*budget < 0) {
            e = NULL;
            errno = E2BIG;
            break;
        }
        if (e->d_name[0] == '.') continue;
        char path[PATH_MAX];
        if (fmt_fit(path, sizeof path, "%s/%s", dir, e->d_name)) continue; /* never a cut name: some other file */
        size_t l = strlen(e->d_name);
        if (l > 6 && !strcmp(e->d_name + l - 6, ".kpack")) {
            char **nf = realloc(*found, sizeof *nf * (size_t)(*n + 1));
            if (!nf) break;
            *found = nf;
            (*found)[(*n)++] = strdup(path);
        } else if (depth < 3 && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) && scan(path, depth + 1, found, n, budget)) {
            rc = -1;
            failed = errno;
        }
    }
    if (!e && errno) {
        rc = -1;
        failed = errno;
    }
    closedir(d);
    errno = failed;
    return rc;
}

static int path_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A look at the removable media, on a worker: a failing stick's reads can take the USB stack's
 * retries (tens of seconds, past the watchdog), and the UI thread must not wait for them. */
typedef struct found_pack {
    char *path;
    int rc;                      /* pack_read_manifest's answer */
    int64_t version;
} found_pack;

typedef struct scan_job {
    job base;
    char dir[sizeof ((app_config *)0)->media_dir];
    pack_trust trust;
    found_pack *f;
    int n;
    int failed;                  /* errno of a folder not read to its end, else 0 */
} scan_job;

static void scan_run(job *base, void *ctx)
{
    (void)ctx;
    scan_job *j = (scan_job *)base;
    char **found = NULL;
    int n = 0, budget = SCAN_ENTRIES;
    if (scan(j->dir, 1, &found, &n, &budget) != 0) j->failed = errno ? errno : EIO;
    if (n > 1) qsort(found, (size_t)n, sizeof *found, path_cmp);
    j->f = calloc(n ? (size_t)n : 1, sizeof *j->f);
    for (int i = 0; i < n; i++) {
        if (!j->f || !found[i]) {
            free(found[i]);
            continue;
        }
        found_pack *p = &j->f[j->n++];
        pack_manifest m;
        char err[256];
        p->path = found[i];
        p->rc = pack_read_manifest(found[i], &j->trust, &m, err, sizeof err);
        p->version = p->rc == PACK_OK ? m.content_version : 0;
    }
    free(found);
}

static void scan_destroy(job *base)
{
    scan_job *j = (scan_job *)base;
    for (int i = 0; i < j->n; i++) free(j->f[i].path);
    free(j->f);
    free(j);
}

static void post_scan(app *a)
{
    if (!a->scans && job_queue_start(&a->scans, NULL, NULL, 0) != 0) return;
    scan_job *j = calloc(1, sizeof *j);
    if (!j) return;
    j->base.run = scan_run;
    j->base.destroy = scan_destroy;
    snprintf(j->dir, sizeof j->dir, "%s", a->cfg.media_dir);
    j->trust = a->trust;
    if (job_post(a->scans, &j->base, a->gen) == 0) a->s.staff_scanning = 1;
}

/* The packs a look found become the list; a file listed before keeps its row (what staff did
 * with it). Returns 1 when the list changed. */
static int take_scan(app *a, scan_job *j)
{
    int told = j->failed && !a->scan_failed;
    if (told) {
        /* once, not at every look: the message stays until staff leave */
        log_msg("staff", "%s: a folder could not be read: %s", a->cfg.media_dir, strerror(j->failed));
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%.200s: %s", a->cfg.media_dir, T(a, pack_strerror(PACK_ERR_IO)));
    }
    a->scan_failed = j->failed != 0;
    int same = j->n == a->s.npacks;
    for (int i = 0; same && i < j->n; i++) same = !strcmp(j->f[i].path, a->pack_paths[i]);
    if (same) return told;
    staff_pack *np = calloc(j->n ? (size_t)j->n : 1, sizeof *np);
    char **pp = calloc(j->n ? (size_t)j->n : 1, sizeof *pp);
    if (!np || !pp) {
        free(np);
        free(pp);
        return told;
    }
    for (int i = 0; i < j->n; i++) {
        int k = 0;
        while (k < a->s.npacks && strcmp(a->pack_paths[k], j->f[i].path)) k++;
        if (k < a->s.npacks) np[i] = a->s.packs[k];
        else pack_row(a, &np[i], j->f[i].path, j->f[i].rc, j->f[i].version);
        pp[i] = j->f[i].path;
        j->f[i].path = NULL; /* the list's now */
    }
    free_packs(a);
    a->s.packs = np;
    a->pack_paths = pp;
    a->s.npacks = j->n;
    return 1;
}

/* The media looked at again every SCAN_EVERY_MS in staff mode; the list is replaced only while
 * no row is being checked or staged (the rows' numbers are those jobs'). */
static int scan_tick(app *a)
{
    int dirty = 0;
    scan_job *j = (scan_job *)job_take(a->scans, a->gen);
    if (j) {
        a->s.staff_scanning = 0;
        a->scan_due_ms = a->s.now_ms + SCAN_EVERY_MS;
        if (a->s.screen == SCREEN_STAFF && !job_pending(a->checks) && a->staged < 0) dirty = take_scan(a, j);
        job_free(&j->base);
    }
    if (a->s.screen == SCREEN_STAFF && !job_pending(a->scans) && (int32_t)(a->s.now_ms - a->scan_due_ms) >= 0)
        post_scan(a);
    return dirty;
}

int app_staff_next_ms(const app *a)
{
    if (a->s.screen != SCREEN_STAFF || job_pending(a->scans)) return -1;
    int32_t left = (int32_t)(a->scan_due_ms - a->s.now_ms);
    return left > 0 ? left : 0;
}

/* A pack check: verify and stage on the worker, count what it changes. */
typedef struct check_job {
    job base;
    int index;
    char *pack_path;             /* as found on the stick: no fixed size cuts a deep path short */
    char content_path[sizeof ((app_config *)0)->content];
    pack_trust trust;
    pack_policy pol;
    pack_staged sg;              /* the staged copy and the install lock: this job's until the app takes them */
    int rc, added, changed, removed;
    char err[1024];
} check_job;

static void check_run(job *base, void *ctx)
{
    (void)ctx;
    check_job *j = (check_job *)base;
    j->rc = pack_stage(j->pack_path, j->content_path, &j->trust, &j->pol, &j->sg, j->err, sizeof j->err);
    if (j->rc == PACK_OK && !j->sg.path[0]) {
        /* a delta staged in place: its changes are counted from the changeset */
        j->added = j->sg.added;
        j->changed = j->sg.changed;
        j->removed = j->sg.removed;
    } else if (j->rc == PACK_OK) {
        store *s = NULL;
        char e[256];
        if (store_open(&s, j->content_path, e, sizeof e) == 0) {
            store_diff(s, j->sg.path, &j->added, &j->changed, &j->removed);
            store_close(s);
        }
    }
}

static void check_destroy(job *base)
{
    check_job *j = (check_job *)base;
    pack_unstage(&j->sg);
    free(j->pack_path);
    free(j);
}

static int staff_check(app *a, int i)
{
    /* one check at a time, a dropped one included: it still owns the staging file */
    if (i < 0 || i >= a->s.npacks || job_pending(a->checks) || a->s.packs[i].state == PACKROW_REFUSED) return 0;
    if (a->staged >= 0) {
        pack_unstage(&a->staged_sg);
        if (a->s.packs[a->staged].state == PACKROW_READY) a->s.packs[a->staged].state = PACKROW_FOUND;
        a->staged = -1;
    }
    if (!a->checks && job_queue_start(&a->checks, NULL, NULL, 0) != 0) return 0;
    check_job *j = calloc(1, sizeof *j);
    if (!j) return 0;
    j->base.run = check_run;
    j->base.destroy = check_destroy;
    j->index = i;
    if (!(j->pack_path = strdup(a->pack_paths[i]))) {
        check_destroy(&j->base);
        return 0;
    }
    snprintf(j->content_path, sizeof j->content_path, "%s", a->cfg.content);
    j->trust = a->trust;
    j->pol.installed_version = installed_version(a);
    j->pol.now = (int64_t)time(NULL);
    j->pol.newest_seen = local_get_int(a->loc, "newest_manifest_time", 0);
    j->pol.lock_wait_ms = 10000; /* on the worker: the sync thread's installation takes seconds */
    j->pol.reserve_bytes = (int64_t)a->cfg.disk_reserve_mib << 20;
    snprintf(j->pol.publication, sizeof j->pol.publication, "%s", a->cfg.publication);
    if (job_post(a->checks, &j->base, a->gen) != 0) return 0;
    a->s.staff_busy = 1;
    a->s.packs[i].state = PACKROW_CHECKING;
    snprintf(a->s.packs[i].status, sizeof a->s.packs[i].status, "%s", T(a, "Checking…"));
    return 1;
}

static int pin_tick(app *a);

int app_staff_tick(app *a)
{
    int pin = pin_tick(a) | scan_tick(a);
    check_job *j = (check_job *)job_take(a->checks, a->gen);
    if (!j) return pin;
    a->s.staff_busy = 0;
    local_set_int(a->loc, "newest_manifest_time", j->pol.newest_seen);
    if (j->index >= a->s.npacks) {
        job_free(&j->base);
        return 1;
    }
    staff_pack *p = &a->s.packs[j->index];
    if (j->rc == PACK_OK) {
        a->staged = j->index;
        a->staged_sg = j->sg; /* the app owns the staged copy and the lock now */
        memset(&j->sg, 0, sizeof j->sg);
        p->state = PACKROW_READY;
        char counts[256];
        snprintf(counts, sizeof counts, T(a, "%d added, %d changed, %d removed"), j->added, j->changed, j->removed);
        snprintf(p->status, sizeof p->status, "%s %lld → %lld: %s", T(a, "Version"), (long long)j->pol.installed_version,
                 (long long)a->staged_sg.m.content_version, counts);
    } else {
        p->state = pack_err_retry(j->rc) ? PACKROW_FOUND : PACKROW_REFUSED; /* may check again */
        snprintf(p->status, sizeof p->status, "%s", T(a, pack_strerror(j->rc)));
        log_msg("pack", "%s refused: %s", p->name, j->err);
    }
    job_free(&j->base);
    return 1;
}

static int staff_apply(app *a, int i)
{
    if (i != a->staged || job_pending(a->checks)) return 0;
    char err[1024];
    pack_policy pol = {.installed_version = installed_version(a)};
    int64_t version = a->staged_sg.m.content_version;
    int rc = pack_commit(&a->staged_sg, a->cfg.content, &pol, err, sizeof err);
    a->staged = -1; /* committed or not, the staged copy is gone */
    if (rc != PACK_OK) {
        /* a reader still needs the replaced content's WAL: the pack may be checked again */
        int again = pack_err_retry(rc);
        if (again) a->s.packs[i].state = PACKROW_FOUND;
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, pack_strerror(again ? rc : PACK_ERR_IO)));
        log_msg("pack", "%s not installed: %s", a->s.packs[i].name, err);
        return 1;
    }
    if (app_reload_content(a) != 0) {
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, pack_strerror(PACK_ERR_SCHEMA)));
        return 1;
    }
    a->s.packs[i].state = PACKROW_INSTALLED;
    snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s %lld", T(a, "Installed: version"),
             (long long)version);
    snprintf(a->s.packs[i].status, sizeof a->s.packs[i].status, "%s", a->s.staff_msg);
    staff_info(a);
    return 1;
}

/* The longest lock the pad earns: three tries, then 30 s doubling up to this. */
enum { LOCK_MAX_S = 3600 };

/* Seconds the pad stays locked; -1 when the lockout cannot be read (then it stays locked). A lock
 * set while the clock stood far ahead (no RTC, a wrong time server) is brought back to the
 * longest lock from now, so it ends (if that cannot be written, it still reads as no longer). */
static int64_t lock_left(app *a)
{
    int64_t until = 0, now = (int64_t)time(NULL);
    if (local_read_int(a->loc, "staff_locked_until", &until) < 0) return -1;
    if (until <= now) return 0;
    if (until - now <= LOCK_MAX_S) return until - now;
    if (local_set_int(a->loc, "staff_locked_until", now + LOCK_MAX_S) != 0)
        log_msg("staff", "a PIN lock far ahead of the clock could not be shortened");
    return LOCK_MAX_S;
}

/* A PIN check: the Argon2id hash costs about 0.6 s (README), far too long for a frame, so it
 * runs on its own worker. The job holds a copy of the typed digits, wiped when it is freed. */
typedef struct pin_job {
    job base;
    char hash[sizeof ((app_config *)0)->staff_pin_hash];
    char pin[CONFIG_PIN_MAX_DIGITS + 1];
    int64_t fails, lock;         /* the attempt as recorded before the check */
    int ok;
} pin_job;

static void pin_run(job *base, void *ctx)
{
    (void)ctx;
    pin_job *j = (pin_job *)base;
    j->ok = crypto_pwhash_str_verify(j->hash, j->pin, strlen(j->pin)) == 0;
    sodium_memzero(j->pin, sizeof j->pin);
}

static void pin_destroy(job *base)
{
    sodium_memzero(base, sizeof(pin_job));
    free(base);
}

static void wrong_pin(app *a, int64_t fails, int64_t lock)
{
    snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, "Wrong PIN"));
    if (lock)
        i18n_format_count(a->s.catalog, a->s.lang, "Locked. Try again in %d second", "Locked. Try again in %d seconds",
                          (long)lock, a->s.staff_msg, sizeof a->s.staff_msg);
    log_msg("staff", "wrong staff PIN (%lld in a row)", (long long)fails);
}

static void pin_ok(app *a)
{
    /* Fail closed: an attempt is counted, and the lock it would earn is set, before the PIN is
     * checked. An attempt that cannot be recorded (full disk, read-only or missing state
     * database) is never checked, so guessing cannot outrun the lockout. Three tries, then
     * locks of 30 s doubling up to an hour; remembered across restarts. */
    int64_t left = lock_left(a), fails = 0, lock = 0;
    int recorded = 0;
    if (left == 0 && local_read_int(a->loc, "staff_failures", &fails) >= 0) {
        fails = fails < 0 ? 1 : fails + 1;
        if (fails >= 3) {
            lock = 30;
            for (int64_t k = 3; k < fails && lock < LOCK_MAX_S; k++) lock *= 2;
            if (lock > LOCK_MAX_S) lock = LOCK_MAX_S;
        }
        recorded = local_set_int(a->loc, "staff_failures", fails) == 0 &&
                   (!lock || local_set_int(a->loc, "staff_locked_until", (int64_t)time(NULL) + lock) == 0);
    }
    pin_job *j = NULL;
    if (left > 0) {
        i18n_format_count(a->s.catalog, a->s.lang, "Locked. Try again in %d second", "Locked. Try again in %d seconds",
                          (long)left, a->s.staff_msg, sizeof a->s.staff_msg);
    } else if (!recorded) {
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s: %s", T(a, "Storage"), T(a, "read-only: nothing can be saved"));
        log_msg("staff", "PIN pad stays locked: attempts cannot be recorded in the state database");
    } else if (!a->cfg.staff_pin_hash[0]) {
        wrong_pin(a, fails, lock);
    } else if ((a->pins || job_queue_start(&a->pins, NULL, NULL, 0) == 0) && (j = calloc(1, sizeof *j)) != NULL) {
        j->base.run = pin_run;
        j->base.destroy = pin_destroy;
        snprintf(j->hash, sizeof j->hash, "%s", a->cfg.staff_pin_hash);
        memcpy(j->pin, a->pin, sizeof j->pin);
        j->fails = fails;
        j->lock = lock;
        if (job_post(a->pins, &j->base, a->gen) == 0) {
            a->s.pin_checking = 1;
            snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, "Checking…"));
        } else {
            j = NULL;
        }
    }
    if (recorded && a->cfg.staff_pin_hash[0] && !j) {
        /* no worker for the check: the pad stays shut, like any failure */
        snprintf(a->s.staff_msg, sizeof a->s.staff_msg, "%s", T(a, "Wrong PIN"));
        log_msg("staff", "the PIN cannot be checked (no worker thread)");
    }
    sodium_memzero(a->pin, sizeof a->pin);
    a->s.pin_len = 0;
}

/* The answer of a PIN check, for the session that asked while it still shows the pad. */
static int pin_tick(app *a)
{
    pin_job *j = (pin_job *)job_take(a->pins, a->gen);
    if (!j) return 0;
    int mine = a->s.pin_checking && a->s.screen == SCREEN_PIN;
    a->s.pin_checking = 0;
    if (!mine) {
        a->s.staff_msg[0] = 0;
    } else if (j->ok) {
        if (local_set_int(a->loc, "staff_failures", 0) != 0 || local_set_int(a->loc, "staff_locked_until", 0) != 0)
            log_msg("staff", "the PIN lockout could not be reset");
        a->s.staff_msg[0] = 0;
        app_go(a, SCREEN_STAFF);
        free_packs(a);
        staff_info(a);
        a->scan_failed = 0;
        post_scan(a);
        app_book_staff(a, 0);
    } else {
        wrong_pin(a, j->fails, j->lock);
    }
    job_free(&j->base);
    return 1;
}

int app_staff_pending(const app *a) { return job_pending(a->checks) || job_pending(a->pins) || job_pending(a->scans); }

int app_staff_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    switch (act->kind) {
    case ACT_STAFF_ENTER:
        if (!a->cfg.staff_pin_hash[0] || s->screen != SCREEN_ATTRACT) return 0;
        app_go(a, SCREEN_PIN);
        s->pin_len = 0;
        s->staff_msg[0] = 0;
        return 1;
    case ACT_PIN_DIGIT:
        if (s->pin_checking || s->pin_len >= (int)sizeof a->pin - 1 || act->arg[0] < '0' || act->arg[0] > '9') return 0;
        a->pin[s->pin_len++] = act->arg[0];
        a->pin[s->pin_len] = 0;
        return 1;
    case ACT_PIN_DELETE:
        if (s->pin_checking || s->pin_len == 0) return 0;
        a->pin[--s->pin_len] = 0;
        return 1;
    case ACT_PIN_OK:
        if (s->pin_checking || s->screen != SCREEN_PIN) return 0;
        pin_ok(a);
        return 1;
    case ACT_STAFF_CHECK:
        return s->screen == SCREEN_STAFF && staff_check(a, (int)act->value);
    case ACT_STAFF_APPLY:
        return s->screen == SCREEN_STAFF && staff_apply(a, (int)act->value);
    case ACT_STAFF_EXPORT:
        if (s->screen != SCREEN_STAFF || s->staff_exporting) return 0;
        app_book_staff(a, 1);
        return 1;
    case ACT_STAFF_LEAVE:
        app_reset(a);
        return 1;
    case ACT_STAFF_QUIT:
        if (s->screen != SCREEN_STAFF) return 0;
        s->quit = 1;
        return 1;
    default:
        return -1;
    }
}

void app_staff_close(app *a)
{
    app_staff_leave(a);
    job_queue_stop(a->checks); /* waits for a check under way; drops it and its staging file */
    a->checks = NULL;
    job_queue_stop(a->pins);
    a->pins = NULL;
    job_queue_stop(a->scans); /* waits for a look under way */
    a->scans = NULL;
}
