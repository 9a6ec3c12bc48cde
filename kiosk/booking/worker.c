/*
 * worker.c: the booking thread (worker.h).
 */
#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct job {
    int kind;
    char offer_id[128], title[256], location[256], code[16];
    char name[201], phone[65];
    char day[16], dir[400];
    booking_request req;
    store_schedule *sched;
    int nsched;
    char **closed;
    int64_t from, to, now;
} job;

struct booking_worker {
    booking *b;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop, busy, done, flush_s, queued;
    job j;
    booking_result res;
};

static void job_clear(job *j)
{
    free(j->sched);
    for (int i = 0; j->closed && j->closed[i]; i++) free(j->closed[i]);
    free(j->closed);
    /* the name and phone leave no copy in this thread's memory */
    sodium_memzero(j, sizeof *j);
}

/* One export file: written beside its final name, synced, then renamed over it. */
static int export_file(booking *b, const char *path, const char *day, int csv, char *err, size_t errlen)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.part", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%.200s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = csv ? booking_export_csv(b, day, f) : booking_export_ics(b, day, f);
    if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0)) rc = -1;
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%.200s: %s", path, saved ? strerror(saved) : "export failed");
        unlink(tmp);
    }
    return rc;
}

static void run_staff(booking_worker *w, job *j, booking_result *r)
{
    r->rc = booking_list_day(w->b, j->day, &r->list, &r->nlist);
    if (r->rc != 0) {
        snprintf(r->err, sizeof r->err, "the bookings cannot be read");
        return;
    }
    if (!j->dir[0]) return;
    char csv[512];
    /* the whole book, not only the day: the office plans the days ahead from it */
    snprintf(r->path, sizeof r->path, "%s/bookings-%s.ics", j->dir, j->day);
    snprintf(csv, sizeof csv, "%s/bookings-%s.csv", j->dir, j->day);
    r->rc = export_file(w->b, r->path, NULL, 0, r->err, sizeof r->err);
    if (r->rc == 0) r->rc = export_file(w->b, csv, NULL, 1, r->err, sizeof r->err);
}

static void run_job(booking_worker *w, job *j, booking_result *r)
{
    memset(r, 0, sizeof *r);
    r->job = j->kind;
    switch (j->kind) {
    case BOOKING_JOB_SLOTS:
        r->rc = slots_generate(j->sched, j->nsched, j->closed, j->from, j->to, j->now, &r->slots, &r->nslots, r->err,
                               sizeof r->err);
        if (r->rc == 0 && r->nslots > 0) {
            int t = booking_fill_taken(w->b, j->offer_id, r->slots, r->nslots, r->err, sizeof r->err);
            r->offline = t == 1;
            if (t < 0) r->rc = -1;
        }
        break;
    case BOOKING_JOB_BOOK:
        r->rc = booking_make(w->b, &j->req, &r->info, r->err, sizeof r->err);
        break;
    case BOOKING_JOB_LOOKUP:
        r->rc = booking_lookup(w->b, j->code, &r->info);
        break;
    case BOOKING_JOB_CANCEL:
        r->rc = booking_cancel(w->b, j->code, r->err, sizeof r->err);
        if (r->rc == 0) booking_lookup(w->b, j->code, &r->info);
        break;
    case BOOKING_JOB_STAFF:
        run_staff(w, j, r);
        break;
    default:
        break;
    }
}

static void *thread_main(void *arg)
{
    booking_worker *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        if (w->busy && !w->done) {
            job j = w->j;
            sodium_memzero(&w->j, sizeof w->j);
            j.req.offer_id = j.offer_id;
            j.req.title = j.title;
            j.req.location = j.location;
            j.req.name = j.name;
            j.req.phone = j.phone;
            pthread_mutex_unlock(&w->lock);
            booking_result r;
            run_job(w, &j, &r);
            job_clear(&j);
            pthread_mutex_lock(&w->lock);
            w->res = r;
            w->done = 1;
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->flush_s;
        if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT && !w->stop && !w->busy) {
            pthread_mutex_unlock(&w->lock);
            int q = booking_flush_outbox(w->b);
            pthread_mutex_lock(&w->lock);
            if (q >= 0) w->queued = q;
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int booking_worker_start(booking_worker **out, const booking_config *cfg, int flush_s, char *err, size_t errlen)
{
    *out = NULL;
    booking_worker *w = calloc(1, sizeof *w);
    if (!w) return -1;
    if (booking_open(&w->b, cfg, err, errlen) != 0) {
        free(w);
        return -1;
    }
    w->flush_s = flush_s > 0 ? flush_s : 60;
    w->queued = -1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, thread_main, w) != 0) {
        snprintf(err, errlen, "booking: cannot start its thread");
        booking_close(w->b);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void booking_worker_stop(booking_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    job_clear(&w->j);
    free(w->res.slots);
    free(w->res.list);
    booking_close(w->b);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

/* Hand j to the thread, or refuse while a job is under way or unread. */
static int post(booking_worker *w, job *j)
{
    pthread_mutex_lock(&w->lock);
    int ok = !w->busy;
    if (ok) {
        w->j = *j;
        w->busy = 1;
        w->done = 0;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    if (!ok) job_clear(j);
    else if (j->kind != BOOKING_JOB_SLOTS) sodium_memzero(j, sizeof *j); /* the slot lists now belong to the worker */
    return ok ? 0 : -1;
}

int booking_worker_slots(booking_worker *w, const char *offer_id, const store_schedule *sched, int n,
                         char *const *closed, int64_t from, int64_t to, int64_t now)
{
    job j = {.kind = BOOKING_JOB_SLOTS, .from = from, .to = to, .now = now, .nsched = n};
    snprintf(j.offer_id, sizeof j.offer_id, "%s", offer_id);
    j.sched = n > 0 ? malloc(sizeof *sched * (size_t)n) : NULL;
    if (n > 0 && !j.sched) return -1;
    if (n > 0) memcpy(j.sched, sched, sizeof *sched * (size_t)n);
    int nc = 0;
    while (closed && closed[nc]) nc++;
    j.closed = calloc((size_t)nc + 1, sizeof *j.closed);
    for (int i = 0; j.closed && i < nc; i++)
        if (!(j.closed[i] = strdup(closed[i]))) break;
    if (!j.closed) {
        job_clear(&j);
        return -1;
    }
    return post(w, &j);
}

int booking_worker_book(booking_worker *w, const booking_request *r)
{
    job j = {.kind = BOOKING_JOB_BOOK};
    snprintf(j.offer_id, sizeof j.offer_id, "%s", r->offer_id ? r->offer_id : "");
    snprintf(j.title, sizeof j.title, "%s", r->title ? r->title : "");
    snprintf(j.location, sizeof j.location, "%s", r->location ? r->location : "");
    snprintf(j.name, sizeof j.name, "%s", r->name ? r->name : "");
    snprintf(j.phone, sizeof j.phone, "%s", r->phone ? r->phone : "");
    j.req = *r; /* its pointers are set to the job's own copies where the job runs */
    int rc = post(w, &j);
    sodium_memzero(&j, sizeof j);
    return rc;
}

int booking_worker_lookup(booking_worker *w, const char *code)
{
    job j = {.kind = BOOKING_JOB_LOOKUP};
    snprintf(j.code, sizeof j.code, "%s", code);
    return post(w, &j);
}

int booking_worker_cancel(booking_worker *w, const char *code)
{
    job j = {.kind = BOOKING_JOB_CANCEL};
    snprintf(j.code, sizeof j.code, "%s", code);
    return post(w, &j);
}

int booking_worker_staff(booking_worker *w, const char *day, const char *dir)
{
    job j = {.kind = BOOKING_JOB_STAFF};
    snprintf(j.day, sizeof j.day, "%s", day);
    snprintf(j.dir, sizeof j.dir, "%s", dir ? dir : "");
    return post(w, &j);
}

int booking_worker_poll(booking_worker *w, booking_result *out)
{
    pthread_mutex_lock(&w->lock);
    int got = w->busy && w->done;
    if (got) {
        *out = w->res;
        memset(&w->res, 0, sizeof w->res);
        w->busy = w->done = 0;
    }
    pthread_mutex_unlock(&w->lock);
    return got;
}

int booking_worker_queued(booking_worker *w)
{
    pthread_mutex_lock(&w->lock);
    int q = w->queued;
    pthread_mutex_unlock(&w->lock);
    return q;
}
