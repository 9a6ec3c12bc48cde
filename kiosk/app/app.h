/*
 * app: the kiosk's state machine. Owns app_state and the content store; every change of state
 * happens in app_apply() (a person's action) or app_tick() (time: inertia, idle reset).
 */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include "config.h"
#include "state.h"
#include "sync/sync.h"

#include <stddef.h>
#include <stdint.h>

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

/* How many resets and content switches have happened (the UI drops cached textures when this
 * changes: a new pack's pictures have the old one's keys). */
int app_resets(const app *a);

#endif
