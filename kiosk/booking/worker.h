/*
 * worker: the booking room's thread. It alone owns the booking handle, whose calls may wait on
 * the network for seconds, so the UI thread only posts a job and picks the result up in a later
 * frame (platform/job.h: one job queue). Between jobs it delivers queued requests (the outbox)
 * every flush interval. Every job carries the session generation that posted it; a result is
 * handed only to that generation, an older one is freed unseen.
 *
 * Personal data in a job (name, phone) is wiped from the worker's memory once the job is done.
 */
#ifndef KIOSK_BOOKING_WORKER_H
#define KIOSK_BOOKING_WORKER_H

#include "booking/booking.h"

typedef struct booking_worker booking_worker;

enum booking_job { BOOKING_JOB_NONE = 0, BOOKING_JOB_SLOTS, BOOKING_JOB_BOOK, BOOKING_JOB_LOOKUP, BOOKING_JOB_CANCEL, BOOKING_JOB_STAFF };

typedef struct booking_result {
    int job;            /* enum booking_job */
    int rc;             /* enum booking_err; err holds its sentence and detail */
    char err[256];
    booking_slot *slots; /* BOOKING_JOB_SLOTS: free()d by the receiver */
    int nslots;
    int offline;        /* SLOTS: seats taken could not be asked from the server */
    booking_info info;  /* BOOK, LOOKUP, CANCEL */
    booking_info *list; /* STAFF: the day's bookings made here, free()d by the receiver */
    int nlist;
    int to_dir;         /* STAFF: the job was given a directory (an export, not only the list) */
    char path[512];     /* STAFF with a directory: the .ics written (the .csv beside it) */
} booking_result;

/*
 * Open the backend (cfg is copied) and start the thread; flush_s: seconds between outbox
 * deliveries (0 = 60). Returns BOOKING_OK, or a booking_err with err.
 */
int booking_worker_start(booking_worker **out, const booking_config *cfg, int flush_s, char *err, size_t errlen);
/* Stop the thread (waits for the job under way) and close the backend. */
void booking_worker_stop(booking_worker *w);

/* Post a job for session generation gen; each returns 0, or -1 (out of memory, or an argument
 * longer than booking_make accepts: nothing is ever cut short). Arguments are copied. Jobs run
 * one after another in the order posted. */
int booking_worker_slots(booking_worker *w, unsigned gen, const char *offer_id, const store_schedule *sched, int n,
                         char *const *closed, int64_t from, int64_t to, int64_t now);
int booking_worker_book(booking_worker *w, unsigned gen, const booking_request *r);
int booking_worker_lookup(booking_worker *w, unsigned gen, const char *code);
int booking_worker_cancel(booking_worker *w, unsigned gen, const char *code);

/* The longest directory booking_worker_staff writes to, its NUL included. */
#define BOOKING_EXPORT_DIR_MAX 400
/*
 * Staff: list the bookings of local day "YYYY-MM-DD"; with dir (not NULL or ""), also write every
 * booking this kiosk holds to dir/bookings-DAY.ics and dir/bookings-DAY.csv (each complete or
 * not there at all).
 */
int booking_worker_staff(booking_worker *w, unsigned gen, const char *day, const char *dir);
/* The oldest finished job of generation gen: returns 1 and moves its result into *out, 0 while
 * none is finished. Results of other generations are freed on the way. */
int booking_worker_poll(booking_worker *w, unsigned gen, booking_result *out);
/* A job is waiting, running or unread. */
int booking_worker_busy(booking_worker *w);

/*
 * The district's zone for local days (staff lists, exports) from the next job on, as after
 * booking_set_zone: a newly installed pack may bring another. Copied; an unknown zone is logged
 * by the worker and the old one kept. Returns 0, or -1 (longer than any zone name).
 */
int booking_worker_set_zone(booking_worker *w, const char *zone);

/* Requests waiting in the outbox after the last delivery attempt (for staff), -1 unknown. */
int booking_worker_queued(booking_worker *w);

#endif
