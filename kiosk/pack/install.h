/*
 * install: a verified pack's payload becomes the kiosk's content, all or nothing (firmware).
 * Installation verifies everything. A full pack's payload is copied beside the live database,
 * checked, and renamed over the live one. A delta is applied in place, inside one SQLite write
 * transaction on the live database (kept in WAL mode for this), so a small update writes the
 * pages it changes instead of a copy of the whole database (the SD card wears out first); the
 * kiosk's readers see the old content until the commit. Either way the kiosk sees the old content
 * or the new, never a mix, whatever happens in between (kill -9, power cut, a full disk).
 *
 * One installer owns the content at a time: the kiosk's sync thread, staff mode and kiosk-pack
 * install all take an exclusive lock (flock on CONTENT.lock) from staging to switch, and stage
 * into a file of their own (CONTENT.new.XXXXXX). The lock, never a file's existence, says an
 * installation runs; staging files left by a power cut are removed by the next lock holder.
 */
#ifndef KIOSK_PACK_INSTALL_H
#define KIOSK_PACK_INSTALL_H

#include "format.h"

/* What installation needs to know and remembers, kept by the caller between runs. */
typedef struct pack_policy {
    int64_t installed_version;     /* 0 when nothing is installed */
    int64_t now;                   /* the system clock, Unix seconds */
    int64_t newest_seen;           /* the newest manifest creation time ever verified; updated */
    int64_t max_bytes;             /* refuse larger packs; 0 = 1 GiB */
    int lock_wait_ms;              /* how long to wait for another installer; 0 = refuse at once */
    char publication[64];          /* the pack id this kiosk shows; "" = the installed content's */
    int switch_publication;        /* staff chose another publication: its pack id installs */
    const char *clock_synced_path; /* exists while the clock is synchronised; NULL = PACK_CLOCK_SYNCED */
    int reset_clock_floor;         /* staff: newest_seen back to now (a manifest dated ahead froze it) */
    int64_t reserve_bytes;         /* free space an installation leaves (disk_reserve_mib); 0 = 4 MiB */
} pack_policy;

#define PACK_CLOCK_SYNCED "/run/systemd/timesync/synchronized"
#define PACK_CLOCK_SLACK 86400     /* how far ahead of a synchronised clock a manifest may be dated */

/*
 * The clock checks every verified manifest (pack or index) passes. A kiosk may have no
 * real-time clock, so "now" is never taken to be earlier than newest_seen, the newest creation
 * time verified so far; but when the system clock is synchronised, a manifest dated more than
 * PACK_CLOCK_SLACK ahead of it is refused (PACK_ERR_FUTURE) and moves nothing, and a floor
 * already beyond that is taken back to the clock. Then PACK_ERR_EXPIRED, or PACK_OK; updates
 * pol->newest_seen.
 */
int pack_check_clock(pack_policy *pol, const pack_manifest *m, char *err, size_t errlen);

/*
 * Is m of the publication this kiosk shows: pol->publication when configured, else
 * installed_id (the installed content's pack id; "" when none)? PACK_OK, or
 * PACK_ERR_PUBLICATION unless pol->switch_publication.
 */
int pack_check_publication(const pack_policy *pol, const char *installed_id, const pack_manifest *m, char *err,
                           size_t errlen);

#define PACK_PATH_MAX 4096

/* A checked copy waiting to be switched in; it holds the install lock until commit or unstage.
 * A zeroed one holds nothing. */
struct sqlite3;
typedef struct pack_staged {
    int held;                      /* 1 while this holds the lock and a staged file or transaction */
    int lock_fd;
    char path[PACK_PATH_MAX];      /* the staged copy; "" for a delta applied in place */
    struct sqlite3 *live;          /* a delta applied in place: the open write transaction on the content */
    int added, changed, removed;   /* offers a delta adds, changes, removes (for staff) */
    pack_manifest m;               /* of the staged pack */
} pack_staged;

/*
 * Verify pack_path completely and install its payload as content_path (all or nothing).
 * Clocks: the kiosk may have no real-time clock, so "now" is never taken to be earlier than
 * the newest manifest time seen. On PACK_OK the new database is in place and *m describes it;
 * on any error content_path is untouched. A delta applied in place is then settled (pack_settle).
 */
int pack_install(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
                 pack_manifest *m, char *err, size_t errlen);

/*
 * The two halves of pack_install, so staff can see what a pack changes before applying it:
 * pack_stage takes the lock (waiting up to pol->lock_wait_ms, else PACK_ERR_BUSY), verifies
 * everything and leaves a checked copy at sg->path, or for a delta on content in WAL mode an
 * open, uncommitted transaction on the live database holding the applied changes and the
 * refreshed search index (sg->live; sg->path is ""; sg->added/changed/removed count the
 * offers). pack_commit renames the copy over content_path (CONTENT-wal and -shm, which belong
 * to the replaced file, are removed: readers still on it keep theirs) or commits the
 * transaction; pack_unstage throws either away (harmless on a zeroed sg). Both release the lock.
 * A copy is renamed only once the replaced file's WAL is written back and empty: while a reader
 * keeps an older snapshot that needs it, pack_commit refuses with PACK_ERR_BUSY (nothing is
 * switched, the copy is thrown away; a later try may succeed).
 * Under the lock pol->installed_version is re-read from content_path, which another installer
 * may have changed. Content installed from a full pack, or a delta applied to a copy (content
 * from before WAL mode), is left in WAL mode.
 */
int pack_stage(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
               pack_staged *sg, char *err, size_t errlen);
int pack_commit(pack_staged *sg, const char *content_path, pack_policy *pol, char *err, size_t errlen);
void pack_unstage(pack_staged *sg);

/*
 * After pack_commit of a delta applied in place: the pages it wrote to CONTENT-wal written into
 * the database file, by a passive checkpoint that never waits for the kiosk's readers (frames an
 * older snapshot still needs stay for the next one). Apart from the switch, which it need not
 * delay: the WAL holds the committed update durably meanwhile, and SQLite also writes it back
 * once the WAL passes 1000 pages. pack_install calls it. 0, or -1 when it could not run.
 */
int pack_settle(const char *content_path);

/*
 * The kiosk cannot open the installed content (it must never restart-loop on it): put back the
 * content it replaced, which pack_commit keeps as CONTENT.prev. PACK_OK, or an error (none kept).
 */
int pack_fallback(const char *content_path, char *err, size_t errlen);

/*
 * Check a pack completely without installing it (kiosk-pack verify): signature, size, checksum
 * and, for a full pack, the payload database (staged in scratch_dir, an empty folder, then
 * thrown away); for a delta, that its changes touch only content tables. Whether a delta
 * applies to a given database is an installation onto a copy of it. PACK_OK or an error code.
 */
int pack_verify(const char *pack_path, const pack_trust *t, const char *scratch_dir, int64_t now, pack_manifest *m,
                char *err, size_t errlen);

/* 1 when another installer holds content_path's lock now, else 0. */
int pack_busy(const char *content_path);

/* At start: remove staging files an interrupted installation left, when no installer runs.
 * Returns 0, or -1 when the lock is held (nothing removed) or cannot be taken, or with errno when
 * the folder could not be read to its end. */
int pack_cleanup(const char *content_path);

#endif
