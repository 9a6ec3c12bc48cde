/*
 * sync: fetching content updates from the central store, on a background thread so the screen
 * never waits on the network. Each attempt: conditional GET of the signed index (ETag), a plan
 * (delta chain or full pack), downloads into temporary files that resume after a cut (Range),
 * size and SHA-256 checks, then the same all-or-nothing installation as a USB pack. Every
 * download is capped: the index at SYNC_INDEX_MAX, a pack at the size its index lists; the
 * transfer is cut the moment a server sends more, and the part received is deleted. A pack is
 * fetched only when the disk has room for it (download and staged copy) plus a reserve. Failures
 * back off exponentially. After each attempt (and at least hourly) a small JSON health report
 * is PUT beside the content (no personal data). libcurl, TLS verification on.
 */
#ifndef KIOSK_SYNC_H
#define KIOSK_SYNC_H

#include "pack/install.h"

#include <stddef.h>
#include <stdint.h>

/* The signed index is small (its payload at most 1 MiB): a download past this is cut off. */
#define SYNC_INDEX_MAX ((int64_t)2 << 20)
/* No listed pack may be larger (the installer's own limit, pack_policy.max_bytes' default). */
#define SYNC_PACK_MAX ((int64_t)1 << 30)
/* Free space kept on the disk of the content and the downloads when nothing is configured. */
#define SYNC_RESERVE_DEFAULT ((int64_t)64 << 20)
/* A transfer still running after this many seconds is cut when nothing is configured: a server
 * trickling just above the stall limit would otherwise hold the thread for days. */
#define SYNC_TRANSFER_MAX_DEFAULT 1800

typedef struct sync_config {
    char url[512];              /* publication folder, e.g. https://content.example/district/ */
    char content_path[1024];    /* the live content database */
    char state_path[1024];      /* the kiosk's own database (newest manifest time, ETag) */
    char work_dir[1024];        /* partial downloads */
    pack_trust trust;
    int interval_s;             /* between polls, with +-20 % jitter */
    int timeout_s;              /* a transfer that moves no byte for this long is cut */
    int transfer_max_s;         /* a transfer running this long is cut, a pack's part kept to be
                                 * resumed next time; 0 = SYNC_TRANSFER_MAX_DEFAULT */
    const _Atomic int *cancel;  /* set: the transfer in progress stops at once (sync_stop); may be NULL */
    int64_t reserve_bytes;      /* left free by any pack download, so the state database can
                                 * always be written; 0 = SYNC_RESERVE_DEFAULT */
    char publication[64];       /* the pack id this kiosk shows; "" = the installed content's */
    const char *clock_synced_path; /* exists while the clock is synchronised; NULL = PACK_CLOCK_SYNCED */
    char site_id[64], kiosk_id[64], app_version[32];
} sync_config;

/*
 * Why the last attempt failed, said to staff in their language: sync_strerror's sentences are
 * msgids (translations/), SYNC_PACK's is pack_strerror(pack_err). last_error has the detail.
 */
enum sync_reason {
    SYNC_OK = 0,
    SYNC_NO_CURL,       /* libcurl cannot be opened */
    SYNC_UNREACHABLE,   /* the central store did not answer, or not with the file */
    SYNC_INDEX_TOO_BIG, /* the index download passed SYNC_INDEX_MAX */
    SYNC_EXPIRED,       /* the store's index has expired */
    SYNC_ROLLBACK,      /* the store offers an older version than installed */
    SYNC_BUSY,          /* staff mode or kiosk-pack is installing */
    SYNC_PACK,          /* the index or a pack was refused: pack_err says why */
};

/* The English sentence of a reason (SYNC_PACK: see sync_status_reason). */
const char *sync_strerror(int reason);

typedef struct sync_status {
    int64_t installed_version;
    int64_t last_attempt, last_success;   /* Unix seconds, 0 = never */
    int errors;                 /* failed attempts since the last success */
    int content_changed;        /* a new version was installed since the last sync_status_get(take) */
    int64_t bytes_last;         /* bytes downloaded by the last attempt */
    char last_error[256];       /* English, with the detail (for the journal and the health report) */
    int reason;                 /* enum sync_reason of the last attempt */
    int pack_err;               /* SYNC_PACK: the pack_err */
} sync_status;

/* The sentence for staff of why st's last attempt failed, a msgid ("" when it did not). */
const char *sync_status_reason(const sync_status *st);

typedef struct sync_ctx sync_ctx;

/* One attempt, on the caller's thread (the background thread uses it; tests call it). Returns
 * 0 when the kiosk is up to date afterwards, -1 with st->last_error set. */
int sync_once(const sync_config *cfg, sync_status *st);

/* Start the background thread (NULL when it cannot start). */
sync_ctx *sync_start(const sync_config *cfg);
/* Stop and join it; a download in progress is cut (its part kept), an installation finishes. */
void sync_stop(sync_ctx *s);
/* A copy of the current status; clears content_changed in the shared one when take is set. */
void sync_status_get(sync_ctx *s, sync_status *out, int take);

#endif
