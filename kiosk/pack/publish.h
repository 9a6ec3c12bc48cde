/*
 * publish: what the central store serves. `kiosk-pack publish` lays out static files any web
 * server or CDN can serve:
 *
 *   DIR/index.kpack                 signed index: pack id, latest version, the full pack and
 *                                   the deltas between consecutive recent versions
 *   DIR/packs/ID-V.kpack            the full pack of the latest version
 *   DIR/packs/ID-A-B.kpack          deltas from version A to B
 *
 * A kiosk reads the index (signature, expiry and rollback checked like any pack) and fetches
 * the delta chain from its version to the latest when every step is listed, else the full pack.
 */
#ifndef KIOSK_PUBLISH_H
#define KIOSK_PUBLISH_H

#include "format.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pack_index_entry {
    int64_t from, to;               /* from = 0 for the full pack */
    char file[256];                 /* path relative to the publication folder */
    int64_t size;
    char sha256[65];                /* hex */
} pack_index_entry;

typedef struct pack_index {
    pack_manifest m;                /* of the index itself: version = latest, expiry, creation */
    pack_index_entry full;
    pack_index_entry *deltas;
    int ndeltas;
} pack_index;

/*
 * Publish content databases (any order; the highest version is the latest) into out_dir,
 * signing with secret_path; files expire after expire_days. Returns 0, or -1 with a message.
 */
int pack_publish(const char *out_dir, const char *secret_path, int expire_days, const char *const dbs[], int ndbs,
                 char *err, size_t errlen);

/* Read and verify an index file. PACK_OK, or an error code (detail in err). */
int pack_index_read(const char *path, const pack_trust *t, pack_index *ix, char *err, size_t errlen);
void pack_index_free(pack_index *ix);

/*
 * The files to fetch, in order, to go from version `installed` to the latest: the chain of
 * deltas when every step is listed, else the full pack alone. Returns the count (0: up to date).
 */
int pack_index_plan(const pack_index *ix, int64_t installed, const pack_index_entry **steps, int max);

#endif
