/*
 * app_priv.h: what the app room's files share (app.c: the state machine; book.c: booking).
 */
#ifndef KIOSK_APP_PRIV_H
#define KIOSK_APP_PRIV_H

#include "app.h"
#include "booking/worker.h"
#include "pack/install.h"
#include "store/local.h"

#include <pthread.h>
#include <stdatomic.h>

#define MAX_LANGS 32

/* A pack check runs on a worker thread so the screen stays responsive; the main loop collects
 * the result in app_tick. Only `done` is shared while the worker runs. */
typedef struct check_job {
    pthread_t thread;
    atomic_int done;
    int running;
    int index;
    char pack_path[1100];
    char content_path[1024];
    pack_trust trust;
    pack_policy pol;
    pack_manifest m;
    int rc, added, changed, removed;
    char err[1024];
} check_job;

/* Speech synthesis also runs on a worker: espeak-ng takes a while for a whole screen. */
typedef struct speech_job {
    pthread_t thread;
    atomic_int done;
    int running;
    int started;                 /* espeak-ng initialised (by the worker) */
    char lang[12];
    char *text;
    int16_t *pcm;
    size_t n;
} speech_job;

struct app {
    app_config cfg;
    sync_status sync;
    int have_sync;
    int reload_pending;          /* the sync thread installed new content */
    speech_job speech;
    int speech_rate;             /* 0: no speech */
    int audio;
    store *st;
    local *loc;
    pack_trust trust;
    char pin[16];
    char **pack_paths;           /* parallel to s.packs */
    int staged;                  /* index of the pack staged beside the content, -1 none */
    pack_manifest staged_m;
    check_job job;
    app_state s;
    i18n_catalog *catalogs[MAX_LANGS]; /* by index in i18n_lang_at(), loaded on first use */
    int resets;
    uint32_t last_tick;
    float max_scroll;
    booking_worker *booker;      /* NULL: no booking on this kiosk */
    booking_slot *slots;         /* free slots of the offer being booked */
    int nslots;
    int chosen_slot;             /* index into slots */
};

/* Show screen (stops inertia, resets the scroll limit). */
void app_go(app *a, int screen);
/* Typed text: append text when it fits in size bytes; delete the last character (UTF-8), 0 when empty. */
void app_type_into(char *field, size_t size, const char *text);
int app_delete_last(char *field);

/* The UI string msgid in the reader's language. */
const char *app_tr(const app *a, const char *msgid);

/* book.c: the booking flow. Start the worker (no-op when booking is off). */
void app_book_open(app *a);
void app_book_close(app *a);
/* Forget the booking session (at reset): personal data wiped. */
void app_book_reset(app *a);
/* Booking actions; returns 1 when what is shown changed. */
int app_book_apply(app *a, const action *act);
/* Staff: list today's bookings; export: also write them to the USB stick. */
void app_book_staff(app *a, int export);
/* Pick up what the booking worker finished; 1 when a redraw is due. */
int app_book_tick(app *a);

#endif
