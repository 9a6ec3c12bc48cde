/*
 * secret.c: checked reading of secret files (see secret.h).
 */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *secret_strerror(int err)
{
    switch (err) {
    case SECRET_OK: return "ok";
    case SECRET_ERR_MISSING: return "the secret file cannot be opened";
    case SECRET_ERR_NOT_FILE: return "the secret file is not a regular file";
    case SECRET_ERR_OPEN: return "the secret file is readable by others (chmod 600 it)";
    case SECRET_ERR_TOO_BIG: return "the secret file is too large";
    case SECRET_ERR_IO: return "the secret file cannot be read";
    }
    return "unknown error";
}

static int fail(int code, char *err, size_t errlen, const char *path, const char *why)
{
    snprintf(err, errlen, "%s: %s", path, why);
    return code;
}

/* Checks on an open descriptor, so what was checked is what gets read. */
static int check_fd(int fd, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0) return fail(SECRET_ERR_IO, err, errlen, path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail(SECRET_ERR_NOT_FILE, err, errlen, path, "not a regular file");
    if (st.st_mode & 077) {
        char why[128];
        snprintf(why, sizeof why, "readable by its group or others (mode %04o); chmod 600 it",
                 (unsigned)(st.st_mode & 07777));
        return fail(SECRET_ERR_OPEN, err, errlen, path, why);
    }
    return SECRET_OK;
}

int secret_check(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return fail(SECRET_ERR_MISSING, err, errlen, path, strerror(errno));
    int rc = check_fd(fd, path, err, errlen);
    close(fd);
    return rc;
}

int secret_read_line(const char *path, char *buf, size_t len, char *err, size_t errlen)
{
    if (len) buf[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return fail(SECRET_ERR_MISSING, err, errlen, path, strerror(errno));
    int rc = check_fd(fd, path, err, errlen);
    size_t got = 0;
    while (rc == SECRET_OK && got + 1 < len) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) rc = fail(SECRET_ERR_IO, err, errlen, path, strerror(errno));
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    if (rc != SECRET_OK || !len) {
        if (len) memset(buf, 0, len);
        return rc;
    }
    buf[got] = 0;
    size_t line = strcspn(buf, "\r\n");
    if (line == got && got + 1 == len) {
        memset(buf, 0, len);
        return fail(SECRET_ERR_TOO_BIG, err, errlen, path, "longer than a secret line may be");
    }
    memset(buf + line, 0, len - line);
    return SECRET_OK;
}
