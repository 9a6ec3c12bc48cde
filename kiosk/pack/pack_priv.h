/*
 * pack_priv.h: helpers the pack room's files share (format.c defines them); not for other rooms.
 */
#ifndef KIOSK_PACK_PRIV_H
#define KIOSK_PACK_PRIV_H

#include "format.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* Fill err with code's sentence and a printf-style detail; returns code. */
int pack_fail(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* libsodium's start; 0, or -1 with err. */
int pack_sodium_init(char *err, size_t errlen);

/* A key file's n bytes (hex on its first line); 0, or -1 with err naming the file. */
int pack_read_hex(const char *path, unsigned char *bin, size_t n, char *err, size_t errlen);

/* SHA-256 of the next size bytes of f, copying them to copy_to when given. 0, -1 on a short
 * read, -2 when the copy could not be written (errno says why). */
int pack_sha256_stream(FILE *f, int64_t size, unsigned char out[32], FILE *copy_to);

/*
 * The next size bytes of f, a zstd stream, hashed (SHA-256 of the compressed bytes) and
 * decompressed into out; the output may be at most, and must be exactly, content_size bytes.
 * 0, -1 on a short read, -2 when out could not be written (errno says why), -3 when the bytes are
 * not a whole zstd stream, -4 when they decompress to more than content_size (nothing beyond it
 * is written), -5 to less.
 */
int pack_unzstd_stream(FILE *f, int64_t size, int64_t content_size, unsigned char sha[32], FILE *out);

/* A pack file opened for reading, or NULL with err (PACK_ERR_IO's words): only a regular file.
 * A FIFO on a stick would block fopen for good (staff mode's scan, the installer holding its
 * lock); a device is no pack. */
FILE *pack_fopen_regular(const char *path, char *err, size_t errlen);

/* A value from a content database's meta table (the caller frees), or NULL. */
char *pack_db_meta(sqlite3 *db, const char *key);

/* Read header, manifest and signature from f, leaving it at the payload. kind NULL accepts
 * what installs ("full", "delta"). PACK_OK or an error code. */
int pack_read_head(FILE *f, const pack_trust *t, const char *kind, pack_manifest *m, char *err, size_t errlen);

#endif
