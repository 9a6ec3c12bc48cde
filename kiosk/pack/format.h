/*
 * format: the content pack file and its verification (firmware and tool).
 *
 * A pack is one file, so a caseworker copies one thing onto a stick:
 *
 *   "KPACK1\n"  (7 bytes)
 *   manifest length (4 bytes, big-endian), manifest (JSON, UTF-8)
 *   Ed25519 signature (64 bytes) over everything before it
 *   payload (a content database, SQLite; or for a delta an SQLite session changeset)
 *
 * The manifest names the format, pack id, content version (strictly increasing), creation and
 * expiry times, and the payload's SHA-256 and size. The signature covers the manifest, and the
 * manifest the payload (by its hash): nothing in a verified pack is unsigned.
 *
 * Format 2 (full packs since kiosk-pack compresses them): the payload is the content database
 * compressed with zstd ("compression": "zstd"), and "content_size" is its size decompressed.
 * Hash and size are those of the compressed bytes, as they travel; the installer decompresses
 * while hashing and stops the moment the output would exceed the signed content_size, so no
 * payload can make it write more than was signed. Format 1 packs (uncompressed) still install.
 */
#ifndef KIOSK_PACK_FORMAT_H
#define KIOSK_PACK_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PACK_MAGIC "KPACK1\n"
#define PACK_FORMAT 2              /* the newest format this kiosk reads (1 and 2) */
#define PACK_MAX_CONTENT ((int64_t)4 << 30) /* a decompressed payload is never larger */
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
    PACK_ERR_BUSY,        /* another installation holds the content */
    PACK_ERR_PUBLICATION, /* signed for another publication (pack id) than the installed one */
    PACK_ERR_FUTURE,      /* dated ahead of a synchronised clock */
    PACK_ERR_READING,     /* the kiosk still reads content a full pack would replace */
};

/* Whether err may go away when the same pack is tried again unchanged (another installer, or a
 * reader of the content, in the way for now): staff may check it again, sync tries next round. */
int pack_err_retry(int err);

typedef struct pack_manifest {
    int format;
    char pack_id[64];
    char kind[16];                 /* "full" (a content database) or "delta" (a changeset) */
    int64_t content_version;
    int64_t base_version;          /* a delta applies only to this installed version */
    int64_t created, expires;      /* Unix seconds */
    unsigned char sha256[32];
    int64_t payload_size;          /* the payload as it is in the file (compressed or not) */
    char compression[8];           /* "" (format 1) or "zstd" */
    int64_t content_size;          /* the payload decompressed; payload_size when not compressed */
    char key_id[17];               /* first 8 bytes of the signing key, hex */
} pack_manifest;

typedef struct pack_trust {
    unsigned char keys[PACK_MAX_KEYS][32];
    int nkeys;
} pack_trust;

/* The staff-facing sentence for an error code. */
const char *pack_strerror(int err);

/* Add the public key in a .pub file (hex) to t. */
int pack_trust_add_file(pack_trust *t, const char *pub_path, char *err, size_t errlen);

/*
 * Read and check a pack's manifest and signature (not the payload). Returns PACK_OK with *m
 * filled, or an error code (detail in err).
 */
int pack_read_manifest(const char *path, const pack_trust *t, pack_manifest *m, char *err, size_t errlen);

/* The pack_id in a content database's meta table. Returns 0, or -1. */
int pack_content_id(const char *db_path, char *buf, size_t len);

/* The content_version in a content database's meta table, as text. Returns 0, or -1. */
int pack_content_version(const char *db_path, char *buf, size_t len);

/*
 * Verify a small signed file of the given kind (e.g. "index") and return its payload as a
 * NUL-terminated buffer the caller frees (at most max bytes). PACK_OK or an error code.
 */
int pack_read_small(const char *path, const pack_trust *t, const char *kind, pack_manifest *m, char **payload,
                    size_t max, char *err, size_t errlen);

/* SHA-256 (hex) and size of a file, as publication indexes list them. Returns 0, or -1. */
int pack_file_sha256_hex(const char *path, int64_t *size, char hex[65]);

/*
 * Manifest times ("2031-05-04T09:00:00Z", UTC) to Unix seconds and back, in int64 whatever the
 * platform's time_t (a 32-bit time_t would read a 2040 expiry as 1904). Parse returns 0, or -1
 * for anything but that exact form of a real date.
 */
int pack_time_parse(const char *s, int64_t *out);
void pack_time_format(int64_t t, char *buf, size_t len);

/* Parse manifest JSON (the part after the signature check); for tests and fuzzing. */
int pack_manifest_parse(const char *text, size_t len, pack_manifest *m, char *err, size_t errlen);

/* pack_read_manifest on an open stream, positioned at the start of a pack. */
int pack_read_manifest_stream(FILE *f, const pack_trust *t, pack_manifest *m, char *err, size_t errlen);

#endif
