/*
 * sign: keys and signing (tool-only: kiosk-pack links it, the firmware must not; see Makefile's
 * check on `nm build/kiosk`). Packs are checked and installed with format.h and install.h.
 * Every function that signs reads the secret key file as a secret (platform/secret.h): one its
 * group or others may read is refused with a message, never used.
 */
#ifndef KIOSK_SIGN_H
#define KIOSK_SIGN_H

#include "format.h"
#include "install.h"

#include <stdint.h>

/* Make an Ed25519 key pair: base.pub and base.secret (hex, the secret file mode 0600). */
int pack_keygen(const char *base, char *err, size_t errlen);

/*
 * Sign the content database db_path into a pack at out_path with the secret key file. The
 * pack id and content version come from the database's meta table; the pack expires after
 * expire_days. The payload is the database compressed with zstd (format 2, format.h).
 * Returns 0, or -1 with a message.
 */
int pack_sign(const char *db_path, const char *secret_path, int expire_days, const char *out_path, char *err,
              size_t errlen);

/* pack_sign with a given creation time (Unix seconds; 0 = now): for tests of the clock rules. */
int pack_sign_at(const char *db_path, const char *secret_path, int64_t created, int expire_days, const char *out_path,
                 char *err, size_t errlen);

/*
 * Sign the changes from content database old_path to new_path (a later version of the same
 * pack) as a delta: an SQLite session changeset, signed and checked like a pack.
 */
int pack_sign_delta(const char *old_path, const char *new_path, const char *secret_path, int expire_days,
                    const char *out_path, char *err, size_t errlen);

/*
 * Sign payload_path as it is with the manifest fields of m (kind, pack id, versions, format,
 * compression and content_size; size, hash, times and key id are filled in): for tests of
 * uncompressed (format 1) and hostile packs.
 */
int pack_sign_manifest(const char *payload_path, pack_manifest *m, const char *secret_path, int expire_days,
                       const char *out_path, char *err, size_t errlen);

/* Sign any payload file as a pack of the given kind (used for the publication index). */
int pack_sign_payload(const char *payload_path, const char *kind, const char *pack_id, int64_t version,
                      const char *secret_path, int expire_days, const char *out_path, char *err, size_t errlen);
/* pack_sign_payload with a given creation time (Unix seconds; 0 = now): for tests of the clock rules. */
int pack_sign_payload_at(const char *payload_path, const char *kind, const char *pack_id, int64_t version,
                         int64_t created, const char *secret_path, int expire_days, const char *out_path, char *err,
                         size_t errlen);

#endif
