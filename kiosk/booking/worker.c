/*
 * worker.c: the booking thread (worker.h).
 */
#include "worker.h"

#include "platform/fmt.h"
#include "platform/log.h"
#include "platform/job.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bjob {
    job base;           /* first: the queue hands back a job * */
    /* as large as booking_make accepts: a cut-short id is another offer, cut text broken UTF-8 */
    char offer_id[sizeof ((booking_info *)0)->offer_id], title[BOOKING_MAX_TEXT + 1], location[BOOKING_MAX_TEXT + 1];
    char code[16], name[BOOKING_MAX_NAME + 1], phone[BOOKING_MAX_PHONE + 1];
    char day[16], dir[BOOKING_EXPORT_DIR_MAX], place[sizeof ((booking_slot *)0)->place_id];
    booking_request req;
    store_schedule *sched;
    int nsched;
    char **closed;
    int64_t from, to, now;
    booking_result res;
} bjob;

struct booking_worker {
    booking *b;
    job_queue *q;
    atomic_int queued;
    /* a zone the UI thread asked for, taken over by the worker before its next job */
    pthread_mutex_t zone_lock;
    char zone[64];
    int zone_new;
};

static void bjob_destroy(job *base)
{
    bjob *j = (bjob *)base;
    free(j->sched);
    for (int i = 0; j->closed && j->closed[i]; i++) free(j->closed[i]);
    free(j->closed);
    free(j->res.slots);
    free(j->res.list);
    /* the name and phone leave no copy in memory */
    sodium_memzero(j, sizeof *j);
    free(j);
}

/* One export file: written beside its final name, synced, then renamed over it. A booking_err. */
static int export_file(booking *b, const char *path, const char *day, int csv, char *err, size_t errlen)
{
    char tmp[sizeof ((booking_result *)0)->path + 8];
    if (fmt_fit(tmp, sizeof tmp, "%s.part", path)) {
        snprintf(err, errlen, "%s: %.200s: path too long", booking_strerror(BOOKING_ERR_EXPORT), path);
        return BOOKING_ERR_EXPORT;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %.200s: %s", booking_strerror(BOOKING_ERR_EXPORT), tmp, strerror(errno));
        return BOOKING_ERR_EXPORT;
    }
    int rc = csv ? booking_export_csv(b, day, f, err, errlen) : booking_export_ics(b, day, f, err, errlen);
    int failed = rc == BOOKING_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0), saved = errno;
    if (fclose(f) != 0 && rc == BOOKING_OK && !failed) {
        failed = 1;
        saved = errno;
    }
    if (rc == BOOKING_OK && !failed && rename(tmp, path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        rc = BOOKING_ERR_EXPORT;
        snprintf(err, errlen, "%s: %.200s: %s", booking_strerror(rc), path, saved ? strerror(saved) : "write error");
    }
    if (rc != BOOKING_OK) {
        unlink(tmp);
        return rc;
    }
    return BOOKING_OK;
}

static void run_staff(booking *b, bjob *j, booking_result *r)
{
    r->to_dir = j->dir[0] != 0;
    if ((r->rc = booking_list_day(b, j->day, &r->list, &r->nlist, r->err, sizeof r->err)) != BOOKING_OK) return;
    if (!j->dir[0]) return;
    char csv[sizeof r->path];
    /* the whole book, not only the day: the office plans the days ahead from it */
    if (fmt_fit(r->path, sizeof r->path, "%s/bookings-%s.ics", j->dir, j->day) ||
        fmt_fit(csv, sizeof csv, "%s/bookings-%s.csv", j->dir, j->day)) {
        r->rc = BOOKING_ERR_EXPORT;
        snprintf(r->err, sizeof r->err, "%s: %.200s: path too long", booking_strerror(r->rc), j->dir);
        return;
    }
    r->rc = export_file(b, r->path, NULL, 0, r->err, sizeof r->err);
    if (r->rc == 0) r->rc = export_file(b, csv, NULL, 1, r->err, sizeof r->err);
}

static void run_job(job *base, void *ctx)
{
    bjob *j = (bjob *)base;
    booking *b = ctx;
    booking_result *r = &j->res;
    memset(r, 0, sizeof *r);
    r->job = base->kind;
    j->req.offer_id = j->offer_id;
    j->req.title = j->title;
    j->req.location = j->location;
    j->req.place = j->place;
    j->req.name = j->name;
    j->req.phone = j->phone;
    switch (base->kind) {
    case BOOKING_JOB_SLOTS:
        if (slots_generate(j->sched, j->nsched, j->closed, j->from, j->to, j->now, &r->slots, &r->nslots, r->err,
                           sizeof r->err) != 0) {
            char why[sizeof r->err];
            snprintf(why, sizeof why, "%s", r->err);
            r->rc = BOOKING_ERR_SCHEDULE;
            snprintf(r->err, sizeof r->err, "%s: %.200s", booking_strerror(r->rc), why);
        } else if (r->nslots > 0) {
            r->rc = booking_fill_taken(b, j->offer_id, r->slots, r->nslots, &r->offline, r->err, sizeof r->err);
        }
        break;
    case BOOKING_JOB_BOOK:
        r->rc = booking_make(b, &j->req, &r->info, r->err, sizeof r->err);
        break;
    case BOOKING_JOB_LOOKUP:
        r->rc = booking_lookup(b, j->code, &r->info, r->err, sizeof r->err);
        break;
    case BOOKING_JOB_CANCEL:
        r->rc = booking_cancel(b, j->code, r->err, sizeof r->err);
        if (r->rc == BOOKING_OK) booking_lookup(b, j->code, &r->info, NULL, 0);
        break;
    case BOOKING_JOB_STAFF:
        run_staff(b, j, r);
        break;
    default:
        break;
    }
    /* the job is done with the person: only the result stays */
    sodium_memzero(j->name, sizeof j->name);
    sodium_memzero(j->phone, sizeof j->phone);
    j->req.name = j->req.phone = NULL;
}

/* On the worker thread, which alone touches the handle: the zone asked for last, if any. */
static void take_zone(booking_worker *w)
{
    char zone[sizeof w->zone];
    pthread_mutex_lock(&w->zone_lock);
    int fresh = w->zone_new;
    memcpy(zone, w->zone, sizeof zone);
    w->zone_new = 0;
    pthread_mutex_unlock(&w->zone_lock);
    char err[256];
    if (fresh && booking_set_zone(w->b, zone, err, sizeof err) != BOOKING_OK) log_msg("booking", "%s", err);
}

static void flush_outbox(void *ctx)
{
    booking_worker *w = ctx;
    take_zone(w);
    int q;
    /* unreachable is the usual reason and says nothing new every minute: the count stays as it was */
    if (booking_flush_outbox(w->b, &q, NULL, 0) == BOOKING_OK) atomic_store(&w->queued, q);
}

/* The queue's run gets the booking handle; the idle flush needs the worker for its count. */
static void run_any(job *base, void *ctx)
{
    take_zone(ctx);
    run_job(base, ((booking_worker *)ctx)->b);
}

int booking_worker_start(booking_worker **out, const booking_config *cfg, int flush_s, char *err, size_t errlen)
{
    *out = NULL;
    booking_worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "%s", booking_strerror(BOOKING_ERR_NOMEM));
        return BOOKING_ERR_NOMEM;
    }
    int rc = booking_open(&w->b, cfg, err, errlen);
    if (rc != BOOKING_OK) {
        free(w);
        return rc;
    }
    atomic_init(&w->queued, -1);
    pthread_mutex_init(&w->zone_lock, NULL);
    if (job_queue_start(&w->q, w, flush_outbox, (flush_s > 0 ? flush_s : 60) * 1000) != 0) {
        snprintf(err, errlen, "%s: cannot start its thread", booking_strerror(BOOKING_ERR_INTERNAL));
        booking_close(w->b);
        pthread_mutex_destroy(&w->zone_lock);
        free(w);
        return BOOKING_ERR_INTERNAL;
    }
    *out = w;
    return BOOKING_OK;
}

void booking_worker_stop(booking_worker *w)
{
    if (!w) return;
    job_queue_stop(w->q);
    booking_close(w->b);
    pthread_mutex_destroy(&w->zone_lock);
    free(w);
}

int booking_worker_set_zone(booking_worker *w, const char *zone)
{
    if (!w || (zone && strlen(zone) >= sizeof w->zone)) return -1;
    pthread_mutex_lock(&w->zone_lock);
    snprintf(w->zone, sizeof w->zone, "%s", zone ? zone : "");
    w->zone_new = 1;
    pthread_mutex_unlock(&w->zone_lock);
    return 0;
}

static bjob *new_job(int kind)
{
    bjob *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->base.run = run_any;
    j->base.destroy = bjob_destroy;
    j->base.kind = kind;
    return j;
}

int booking_worker_slots(booking_worker *w, unsigned gen, const char *offer_id, const store_schedule *sched, int n,
                         char *const *closed, int64_t from, int64_t to, int64_t now)
{
    bjob *j = new_job(BOOKING_JOB_SLOTS);
    if (!j) return -1;
    j->from = from;
    j->to = to;
    j->now = now;
    j->nsched = n;
    if (fmt_fit(j->offer_id, sizeof j->offer_id, "%s", offer_id)) {
        bjob_destroy(&j->base);
        return -1;
    }
    j->sched = n > 0 ? malloc(sizeof *sched * (size_t)n) : NULL;
    if (n > 0 && j->sched) memcpy(j->sched, sched, sizeof *sched * (size_t)n);
    int nc = 0;
    while (closed && closed[nc]) nc++;
    j->closed = calloc((size_t)nc + 1, sizeof *j->closed);
    int ok = (n <= 0 || j->sched) && j->closed;
    for (int i = 0; ok && i < nc; i++)
        if (!(j->closed[i] = strdup(closed[i]))) ok = 0;
    if (!ok) {
        bjob_destroy(&j->base);
        return -1;
    }
    return job_post(w->q, &j->base, gen);
}

int booking_worker_book(booking_worker *w, unsigned gen, const booking_request *r)
{
    bjob *j = new_job(BOOKING_JOB_BOOK);
    if (!j) return -1;
    if (fmt_fit(j->offer_id, sizeof j->offer_id, "%s", r->offer_id ? r->offer_id : "") ||
        fmt_fit(j->title, sizeof j->title, "%s", r->title ? r->title : "") ||
        fmt_fit(j->location, sizeof j->location, "%s", r->location ? r->location : "") ||
        fmt_fit(j->place, sizeof j->place, "%s", r->place ? r->place : "") ||
        fmt_fit(j->name, sizeof j->name, "%s", r->name ? r->name : "") ||
        fmt_fit(j->phone, sizeof j->phone, "%s", r->phone ? r->phone : "")) {
        bjob_destroy(&j->base);
        return -1;
    }
    j->req = *r; /* its pointers are set to the job's own copies where the job runs */
    j->req.name = j->req.phone = NULL;
    return job_post(w->q, &j->base, gen);
}

static int post_code(booking_worker *w, unsigned gen, int kind, const char *code)
{
    bjob *j = new_job(kind);
    if (!j) return -1;
    if (fmt_fit(j->code, sizeof j->code, "%s", code)) {
        bjob_destroy(&j->base);
        return -1;
    }
    return job_post(w->q, &j->base, gen);
}

int booking_worker_lookup(booking_worker *w, unsigned gen, const char *code)
{
    return post_code(w, gen, BOOKING_JOB_LOOKUP, code);
}

int booking_worker_cancel(booking_worker *w, unsigned gen, const char *code)
{
    return post_code(w, gen, BOOKING_JOB_CANCEL, code);
}

int booking_worker_staff(booking_worker *w, unsigned gen, const char *day, const char *dir)
{
    bjob *j = new_job(BOOKING_JOB_STAFF);
    if (!j) return -1;
    if (fmt_fit(j->day, sizeof j->day, "%s", day) || fmt_fit(j->dir, sizeof j->dir, "%s", dir ? dir : "")) {
        bjob_destroy(&j->base);
        return -1;
    }
    return job_post(w->q, &j->base, gen);
}

int booking_worker_poll(booking_worker *w, unsigned gen, booking_result *out)
{
    bjob *j = (bjob *)job_take(w->q, gen);
    if (!j) return 0;
    *out = j->res;
    j->res.slots = NULL;
    j->res.list = NULL;
    bjob_destroy(&j->base);
    return 1;
}

int booking_worker_busy(booking_worker *w) { return job_pending(w->q) > 0; }

int booking_worker_queued(booking_worker *w) { return atomic_load(&w->queued); }
