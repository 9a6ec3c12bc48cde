/*
 * job.c: the background job queue (job.h).
 */
#include "job.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct job_queue {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *todo, *todo_tail;     /* waiting, oldest first */
    job *done, *done_tail;     /* finished, oldest first */
    int running;               /* a job is on the worker */
    int stop;
    void *ctx;
    void (*idle)(void *ctx);
    int idle_ms;
};

void job_free(job *j)
{
    if (!j) return;
    if (j->destroy) j->destroy(j);
    else free(j);
}

static void append(job **head, job **tail, job *j)
{
    j->next = NULL;
    if (*tail) (*tail)->next = j;
    else *head = j;
    *tail = j;
}

static void free_list(job *j)
{
    while (j) {
        job *next = j->next;
        job_free(j);
        j = next;
    }
}

static void *worker_main(void *arg)
{
    job_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    while (!q->stop) {
        job *j = q->todo;
        if (j) {
            q->todo = j->next;
            if (!q->todo) q->todo_tail = NULL;
            q->running = 1;
            pthread_mutex_unlock(&q->lock);
            j->run(j, q->ctx);
            pthread_mutex_lock(&q->lock);
            q->running = 0;
            append(&q->done, &q->done_tail, j);
            continue;
        }
        if (!q->idle) {
            pthread_cond_wait(&q->wake, &q->lock);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += q->idle_ms / 1000;
        until.tv_nsec += (long)(q->idle_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&q->wake, &q->lock, &until) == ETIMEDOUT && !q->stop && !q->todo) {
            pthread_mutex_unlock(&q->lock);
            q->idle(q->ctx);
            pthread_mutex_lock(&q->lock);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

int job_queue_start(job_queue **out, void *ctx, void (*idle)(void *ctx), int idle_ms)
{
    *out = NULL;
    job_queue *q = calloc(1, sizeof *q);
    if (!q) return -1;
    q->ctx = ctx;
    q->idle = idle;
    q->idle_ms = idle_ms > 0 ? idle_ms : 60000;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->wake, NULL);
    if (pthread_create(&q->thread, NULL, worker_main, q) != 0) {
        pthread_cond_destroy(&q->wake);
        pthread_mutex_destroy(&q->lock);
        free(q);
        return -1;
    }
    *out = q;
    return 0;
}

void job_queue_stop(job_queue *q)
{
    if (!q) return;
    pthread_mutex_lock(&q->lock);
    q->stop = 1;
    pthread_cond_signal(&q->wake);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    free_list(q->todo);
    free_list(q->done);
    pthread_cond_destroy(&q->wake);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

int job_post(job_queue *q, job *j, unsigned gen)
{
    assert(j && j->run);
    if (!q) {
        job_free(j);
        return -1;
    }
    j->gen = gen;
    pthread_mutex_lock(&q->lock);
    append(&q->todo, &q->todo_tail, j);
    pthread_cond_signal(&q->wake);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

job *job_take(job_queue *q, unsigned gen)
{
    if (!q) return NULL;
    job *stale = NULL, *got = NULL;
    pthread_mutex_lock(&q->lock);
    while (q->done && !got) {
        job *j = q->done;
        q->done = j->next;
        if (!q->done) q->done_tail = NULL;
        if (j->gen == gen) {
            got = j;
        } else {
            j->next = stale;
            stale = j;
        }
    }
    pthread_mutex_unlock(&q->lock);
    free_list(stale); /* outside the lock: a destroy may unlink files */
    if (got) got->next = NULL;
    return got;
}

int job_pending(const job_queue *q)
{
    if (!q) return 0;
    pthread_mutex_t *m = (pthread_mutex_t *)&q->lock;
    pthread_mutex_lock(m);
    int n = q->running;
    for (const job *j = q->todo; j; j = j->next) n++;
    for (const job *j = q->done; j; j = j->next) n++;
    pthread_mutex_unlock(m);
    return n;
}
