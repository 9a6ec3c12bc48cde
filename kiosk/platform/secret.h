/*
 * secret: reading files that hold secrets (the CalDAV password, a signing key). A secret file
 * that its group or anyone else may read is refused, not read: such a file has already been
 * exposed, and quietly using it would hide that from the operator.
 */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stddef.h>

enum secret_err {
    SECRET_OK = 0,
    SECRET_ERR_MISSING,   /* cannot be opened (missing, or no permission) */
    SECRET_ERR_NOT_FILE,  /* a directory, device or other non-regular file */
    SECRET_ERR_OPEN,      /* readable by its group or by others */
    SECRET_ERR_TOO_BIG,   /* larger than the buffer it is read into */
    SECRET_ERR_IO,        /* reading failed */
};

/* The operator-facing sentence for an error code. */
const char *secret_strerror(int err);

/*
 * Check that path is a regular file readable by us and by no one but its owner (mode & 077 == 0).
 * Returns SECRET_OK, or an error with "PATH: why" in err (the file's mode is named, never its
 * contents).
 */
int secret_check(const char *path, char *err, size_t errlen);

/*
 * Read the first line of a secret file (without its line ending) into buf after the checks of
 * secret_check, made on the open file so the file checked is the file read. Returns SECRET_OK,
 * or an error (buf then holds ""). The caller wipes buf (sodium_memzero) when done.
 */
int secret_read_line(const char *path, char *buf, size_t len, char *err, size_t errlen);

#endif
