/*
 * install: a verified pack's payload becomes the kiosk's content, all or nothing (firmware).
 * Installation verifies everything, copies the payload beside the live database, checks the
 * copy, and renames it over the live one: the kiosk sees either the old content or the new,
 * never a mix, whatever happens in between.
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
} pack_policy;

/*
 * Verify pack_path completely and install its payload as content_path (all or nothing).
 * Clocks: the kiosk may have no real-time clock, so "now" is never taken to be earlier than
 * the newest manifest time seen. On PACK_OK the new database is in place and *m describes it;
 * on any error content_path is untouched.
 */
int pack_install(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
                 pack_manifest *m, char *err, size_t errlen);

/*
 * The two halves of pack_install, so staff can see what a pack changes before applying it:
 * pack_stage verifies everything and leaves a checked copy at content_path + ".new";
 * pack_commit renames it over content_path; pack_unstage throws it away.
 */
int pack_stage(const char *pack_path, const char *content_path, const pack_trust *t, pack_policy *pol,
               pack_manifest *m, char *err, size_t errlen);
int pack_commit(const char *content_path, pack_policy *pol, const pack_manifest *m, char *err, size_t errlen);
void pack_unstage(const char *content_path);

#endif
