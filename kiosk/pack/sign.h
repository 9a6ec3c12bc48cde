/*
 * sign: signed content packs and their all-or-nothing installation.
 *
 * A pack is one file, so a caseworker copies one thing onto a stick:
 *
 *   "KPACK1\n"  (7 bytes)
 *   manifest length (4 bytes, big-endian), manifest (JSON, UTF-8)
 *   Ed25519 signature (64 bytes) over everything before it
 *   payload (a content database, SQLite; or for a delta an SQLite session changeset)
 *
 * The manifest names the format, pack id, content version (strictly increasing), creation and
 * expiry times, and the payload's SHA-256 and size. Installation verifies all of it, copies the
 * payload beside the live database, checks the copy, and renames it over the live one: the
 * kiosk sees either the old content or the new, never a mix, whatever happens in between.
 */
#ifndef KIOSK_SIGN_H
#define KIOSK_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PACK_MAGIC "KPACK1\n"
#define PACK_FORMAT 1
#define PACK_MAX_KEYS 8

/* Why a pack was refused; each has its own message for staff (pack_strerror). */
enum pack_err {
    PACK_OK = 0,
    PACK_ERR_NOT_PACK,    /* not a content pack at all */
    PACK_ERR_DAMAGED,     /* truncated, bad manifest, wrong size or checksum */
    PACK_ERR_SIGNATURE,   /* signed by no trusted key, or altered after signing */
    PACK_ERR_OLDER,       /* older than the installed content (rollback) */
    PACK_ERR_SAME,        /* the installed version */
    PACK_ERR_EXPIRED,     /* past its expiry time */
    PACK_ERR_SCHEMA,      /* the payload is not content this kiosk can read */
    PACK_ERR_TOO_BIG,     /* larger than the configured limit */
    PACK_ERR_DISK,        /* not enough free space to install */
    PACK_ERR_IO,          /* reading or writing failed */
    PACK_ERR_FORMAT,      /* made for a newer kiosk */
    PACK_ERR_BASE,        /* a delta for another installed version */
};

typedef struct pack_manifest {
    int format;
    char pack_id[64];
    char kind[16];                 /* "full" (a content database) or "delta" (a changeset) */
    int64_t content_version;
    int64_t base_version;          /* a delta applies only to this installed version */
    int64_t created, expires;      /* Unix seconds */
    unsigned char sha256[32];
    int64_t payload_size;
    char key_id[17];               /* first 8 bytes of the signing key, hex */
} pack_manifest;

typedef struct pack_trust {
    unsigned char keys[PACK_MAX_KEYS][32];
    int nkeys;
} pack_trust;

/* The staff-facing sentence for an error code. */
const char *pack_strerror(int err);

/* Make an Ed25519 key pair: base.pub and base.secret (hex, the secret file mode 0600). */
int pack_keygen(const char *base, char *err, size_t errlen);

/* Add the public key in a .pub file (hex) to t. */
int pack_trust_add_file(pack_trust *t, const char *pub_path, char *err, size_t errlen);

/*
 * Sign the content database db_path into a pack at out_path with the secret key file. The
 * pack id and content version come from the database's meta table; the pack expires after
 * expire_days. Returns 0, or -1 with a message.
 */
int pack_sign(const char *db_path, const char *secret_path, int expire_days, const char *out_path, char *err,
              size_t errlen);

/*
 * Sign the changes from content database old_path to new_path (a later version of the same
 * pack) as a delta: an SQLite session changeset, signed and checked like a pack.
 */
int pack_sign_delta(const char *old_path, const char *new_path, const char *secret_path, int expire_days,
                    const char *out_path, char *err, size_t errlen);

/*
 * Read and check a pack's manifest and signature (not the payload). Returns PACK_OK with *m
 * filled, or an error code (detail in err).
 */
int pack_read_manifest(const char *path, const pack_trust *t, pack_manifest *m, char *err, size_t errlen);

/* The content_version in a content database's meta table, as text. Returns 0, or -1. */
int pack_content_version(const char *db_path, char *buf, size_t len);

/*
 * Verify a small signed file of the given kind (e.g. "index") and return its payload as a
 * NUL-terminated buffer the caller frees (at most max bytes). PACK_OK or an error code.
 */
int pack_read_small(const char *path, const pack_trust *t, const char *kind, pack_manifest *m, char **payload,
                    size_t max, char *err, size_t errlen);

/* Sign any payload file as a pack of the given kind (used for the publication index). */
int pack_sign_payload(const char *payload_path, const char *kind, const char *pack_id, int64_t version,
                      const char *secret_path, int expire_days, const char *out_path, char *err, size_t errlen);

/* SHA-256 (hex) and size of a file, as publication indexes list them. Returns 0, or -1. */
int pack_file_sha256_hex(const char *path, int64_t *size, char hex[65]);

/* Parse manifest JSON (the part after the signature check); for tests and fuzzing. */
int pack_manifest_parse(const char *text, size_t len, pack_manifest *m, char *err, size_t errlen);

/* pack_read_manifest on an open stream, positioned at the start of a pack. */
int pack_read_manifest_stream(FILE *f, const pack_trust *t, pack_manifest *m, char *err, size_t errlen);

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
