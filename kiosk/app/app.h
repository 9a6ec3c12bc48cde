/*
 * app: the kiosk's state machine. Owns app_state and the content store; every change of state
 * happens in app_apply() (a person's action) or app_tick() (time: inertia, idle reset).
 */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include "state.h"
#include "sync/sync.h"

#include <stddef.h>
#include <stdint.h>

typedef struct app_config {
    char content[1024];          /* content database */
    char data_dir[1024];         /* holds translations/, fonts/, kiosk/ui/icons/ */
    char default_lang[12];       /* language of the attract screen and of "touch anywhere" */
    char languages[256];         /* comma-separated languages offered; empty = the pack's */
    int idle_timeout_s;          /* back to the start after this long without a touch */
    float px_per_mm;             /* 0 = guess from the screen size */
    char staff_pin_hash[256];    /* Argon2id string (kiosk-pack pin-hash); empty = no staff mode */
    char media_dir[1024];        /* where USB sticks appear; packs (*.kpack) are looked for below */
    char trusted_keys[1024];     /* comma-separated .pub files */
    char state_path[1024];       /* the kiosk's own database; default: beside the content */
    int sounds;                  /* a short click confirms taps (default on) */
    int rotation;                /* panel mounted turned clockwise by 0, 90, 180 or 270 degrees */
    char site_id[64], kiosk_id[64], location[256];   /* for the health report and staff */
    char store_url[512], caldav_url[512];             /* used by the sync and booking rooms */
    int sync_interval_s;         /* between polls of the central store (default 900) */
    int booking;                 /* bookable offers can be booked here (default on) */
    char caldav_user[128];       /* HTTP basic credentials for caldav_url */
    char caldav_password_file[1024]; /* a file holding the password (kept out of the INI) */
    int booking_retry_s;         /* between deliveries of queued bookings (default 60) */
} app_config;

/* Defaults: data dir ".", de, 90 s, media under /media. */
void app_config_defaults(app_config *c);

/*
 * Read an INI file into c ([kiosk] content, data_dir, default_language, languages,
 * idle_timeout, px_per_mm). Returns 0, or -1 with the file and line in err.
 */
int app_config_load(app_config *c, const char *path, char *err, size_t errlen);

typedef struct app app;

/* Open the content and UI catalogs. Returns 0, or -1 with a message in err. */
int app_open(app **out, const app_config *cfg, char *err, size_t errlen);
void app_close(app *a);

const app_state *app_get_state(const app *a);

/* Apply one action; returns 1 when what is shown changed. */
int app_apply(app *a, const action *act);

/* Advance the clock to now_ms: inertia, idle countdown and reset. Returns 1 when a redraw is due. */
int app_tick(app *a, uint32_t now_ms);

/* Milliseconds until app_tick has something to do (inertia: a frame; countdown: next second);
 * -1 when nothing is pending (sleep until input). */
int app_next_tick_ms(const app *a);

/*
 * Speech: app_apply(ACT_SPEAK) starts synthesis of the current screen on a worker; when it is
 * done app_take_audio hands over the samples (caller frees) and returns 1. No audio output:
 * app_set_audio(a, 0) hides the speaker button.
 */
int app_take_audio(app *a, int16_t **pcm, size_t *n);
void app_set_audio(app *a, int available);
/* Sample rate of the synthesised audio (0 when speech is unavailable). */
int app_audio_rate(const app *a);

/*
 * The sync thread's latest status (staff mode shows it). When it installed new content, the
 * app switches to it the next time the language screen shows, never under a reader's eyes.
 */
void app_sync_update(app *a, const sync_status *st);

/* Forget the session: language, screen, scroll, loaded offers. */
void app_reset(app *a);

/* How many resets have happened (the UI drops cached textures when this changes). */
int app_resets(const app *a);

#endif
