/*
 * job: the one idiom for background work. A job_queue owns one worker thread. The UI thread
 * posts jobs and picks finished ones up in a later frame; it never waits for one.
 *
 * Every job carries the generation of the session that asked for it (the app bumps its
 * generation at idle reset, a language change back to the start, leaving staff mode). job_take
 * hands back only finished jobs of the generation asked for; an older one is freed there and
 * never returned, so a late answer never reaches a session that is gone. The owner frees: a
 * job taken is the caller's to free (job_free), a job dropped is freed by the queue.
 *
 * Between jobs the worker may run an idle function every idle_ms (the booking outbox uses it).
 */
#ifndef KIOSK_JOB_H
#define KIOSK_JOB_H

typedef struct job job;

struct job {
    void (*run)(job *j, void *ctx);   /* on the worker thread; fills the job's result */
    void (*destroy)(job *j);          /* frees the job and everything it holds; NULL = free() */
    unsigned gen;                     /* set by job_post */
    int kind;                         /* for the caller; the queue never reads it */
    job *next;                        /* owned by the queue */
};

typedef struct job_queue job_queue;

/*
 * Start the worker thread. ctx is passed to every run and to idle; idle (may be NULL) runs on
 * the worker every idle_ms while no job waits. Returns 0, or -1 when the thread cannot start.
 */
int job_queue_start(job_queue **out, void *ctx, void (*idle)(void *ctx), int idle_ms);

/* Stop the worker: waits for the job under way, frees every job queued or finished. NULL is ok. */
void job_queue_stop(job_queue *q);

/* Queue j for generation gen; the queue owns it from now on. Returns 0, or -1 (j freed). */
int job_post(job_queue *q, job *j, unsigned gen);

/*
 * The oldest finished job of generation gen, or NULL. Finished jobs of any other generation
 * are freed on the way.
 */
job *job_take(job_queue *q, unsigned gen);

/* Jobs waiting, running or finished and not yet taken. */
int job_pending(const job_queue *q);

/* Free a job through its destroy function. NULL is ok. */
void job_free(job *j);

#endif
