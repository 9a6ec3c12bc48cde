/*
 * sync: fetching content updates from the central store, on a background thread so the screen
 * never waits on the network. Each attempt: conditional GET of the signed index (ETag), a plan
 * (delta chain or full pack), downloads into temporary files that resume after a cut (Range),
 * size and SHA-256 checks, then the same all-or-nothing installation as a USB pack. Failures
 * back off exponentially. After each attempt (and at least hourly) a small JSON health report
 * is PUT beside the content (no personal data). libcurl, TLS verification on.
 */
#ifndef KIOSK_SYNC_H
#define KIOSK_SYNC_H

#include "pack/install.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sync_config {
    char url[512];              /* publication folder, e.g. https://content.example/district/ */
    char content_path[1024];    /* the live content database */
    char state_path[1024];      /* the kiosk's own database (newest manifest time, ETag) */
    char work_dir[1024];        /* partial downloads */
    pack_trust trust;
    int interval_s;             /* between polls, with +-20 % jitter */
    int timeout_s;              /* a transfer that moves no byte for this long is cut */
    char site_id[64], kiosk_id[64], app_version[32];
} sync_config;

typedef struct sync_status {
    int64_t installed_version;
    int64_t last_attempt, last_success;   /* Unix seconds, 0 = never */
    int errors;                 /* failed attempts since the last success */
    int content_changed;        /* a new version was installed since the last sync_status_get(take) */
    int64_t bytes_last;         /* bytes downloaded by the last attempt */
    char last_error[256];
} sync_status;

typedef struct sync_ctx sync_ctx;

/* One attempt, on the caller's thread (the background thread uses it; tests call it). Returns
 * 0 when the kiosk is up to date afterwards, -1 with st->last_error set. */
int sync_once(const sync_config *cfg, sync_status *st);

/* Start the background thread (NULL when it cannot start). */
sync_ctx *sync_start(const sync_config *cfg);
/* Stop and join it. */
void sync_stop(sync_ctx *s);
/* A copy of the current status; clears content_changed in the shared one when take is set. */
void sync_status_get(sync_ctx *s, sync_status *out, int take);

#endif
