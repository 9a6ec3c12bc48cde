/*
 * app_priv.h: what the app room's files share. app.c: the state machine and the session;
 * book.c: booking; staff.c: staff mode; find.c: search and guided questions; speak.c: reading
 * aloud. Each *_apply takes the actions it owns and returns -1 for the others.
 */
#ifndef KIOSK_APP_PRIV_H
#define KIOSK_APP_PRIV_H

#include "app.h"
#include "booking/worker.h"
#include "i18n/i18n.h"
#include "pack/install.h"
#include "store/local.h"

#include "platform/input.h"
#include "platform/job.h"

#define MAX_LANGS 32
_Static_assert(I18N_LANGS <= MAX_LANGS, "a catalog slot for every language the kiosk knows");

struct app {
    app_config cfg;
    sync_status sync;
    int have_sync;
    int reload_pending;          /* the sync thread installed new content */
    job_queue *speaker;          /* speech synthesis, started on first use */
    int speech_started;          /* espeak-ng: 1 started, -1 failed, 0 not yet (the worker's) */
    int speech_rate;             /* 0: no speech */
    int audio;
    store *st;
    int cats_counted;            /* s.cats carry their offer counts (app_go counts for the categories screen) */
    char zone[64];               /* the district's IANA zone (pack meta "timezone"): local days and times */
    local *loc;
    pack_trust trust;
    char pin[CONFIG_PIN_MAX_DIGITS + 1];
    char **pack_paths;           /* parallel to s.packs */
    int staged;                  /* index of the pack staged beside the content, -1 none */
    pack_staged staged_sg;       /* that pack's staged copy, holding the install lock until Apply or Leave */
    char fallback[512];          /* why the installed content was replaced by the previous one at start */
    job_queue *checks;           /* pack checks, started on first use */
    job_queue *pins;             /* PIN checks (Argon2id, ~0.6 s), started on first use */
    job_queue *scans;            /* looks at the removable media in staff mode, started on first use */
    uint32_t scan_due_ms;        /* when staff mode looks again */
    int scan_failed;             /* the last look could not read a folder to its end (told once) */
    app_state s;
    i18n_catalog *catalogs[MAX_LANGS]; /* by index in i18n_lang_at(), loaded on first use */
    uint32_t attract_next_ms;    /* when the language screen turns to its next language */
    int resets;
    unsigned gen;                /* session generation: background results of another are dropped */
    uint32_t last_tick;
    float max_scroll;
    input_tuning touch;          /* coasting after a fling */
    booking_worker *booker;      /* NULL: no booking on this kiosk */
    int staff_lists, staff_exports; /* staff jobs posted this session and not yet collected:
                                     * all of them, and those that write the stick */
    booking_slot *slots;         /* free slots of the offer being booked */
    int nslots;
    int chosen_slot;             /* index into slots */
    struct {                     /* the booking last sent, for its confirmation (no personal data) */
        char offer_id[128], title[256], where[600];
        char where_shown[600];   /* the same address as screen units (text_address) */
        char place[136];         /* the slot's place id (booking_slot.place_id): seats per place */
        int64_t start, end;
        int capacity;
    } sent;
};

/* Show screen (stops inertia, resets the scroll limit). */
void app_go(app *a, enum screen screen);
/* Typed text: append text when it fits in size bytes; delete the last character (UTF-8), 0 when empty. */
void app_type_into(char *field, size_t size, const char *text);
int app_delete_last(char *field);

/* The UI string msgid in the reader's language. */
const char *app_tr(const app *a, const char *msgid);

/* app.c: switch to the content now at cfg.content (a pack or a sync installed it). 0, or -1
 * (the old content stays). */
int app_reload_content(app *a);
/* app.c: free the search results; the matches of the guided questions. */
void app_free_found(app *a);
void app_free_matches(app *a);

/* format.c: fill the offer's hours (all, and per place) and spoken languages; each row's line
 * of town and spoken languages. The strings are owned by a->s, freed with the offer or rows. */
void app_format_offer(app *a);
void app_format_rows(app *a);

/* staff.c: staff actions (-1: not one); leave staff mode (PIN, packs, staged pack dropped);
 * pick up a finished pack or PIN check or look at the media (1: redraw); stop the workers. */
int app_staff_apply(app *a, const action *act);
void app_staff_leave(app *a);
int app_staff_tick(app *a);
void app_staff_close(app *a);
/* staff.c: a pack or PIN check or a look at the media is under way (the main loop polls for
 * its answer). */
int app_staff_pending(const app *a);
/* staff.c: ms until staff mode looks at the removable media again; -1: not in staff mode, or a
 * look is under way (then app_staff_pending). */
int app_staff_next_ms(const app *a);

/* find.c: search and guided-question actions (-1: not one). */
int app_find_apply(app *a, const action *act);

/* speak.c: read the screen aloud on the speech worker (1: started); stop the worker. */
int app_speak(app *a);
void app_speak_close(app *a);

/* book.c: the booking flow. Start the worker (no-op when booking is off). */
void app_book_open(app *a);
void app_book_close(app *a);
/* Forget the booking session (at reset): personal data wiped. */
void app_book_reset(app *a);
/* Wipe the name and phone typed into the booking form (the visitor left the booking screens). */
void app_book_forget_person(app *a);
/* Booking actions; returns 1 when what is shown changed. */
int app_book_apply(app *a, const action *act);
/* Staff: list today's bookings; export: also write them to the USB stick. */
void app_book_staff(app *a, int export);
/* Pick up what the booking worker finished; 1 when a redraw is due. */
int app_book_tick(app *a);

#endif
