/*
 * install_lock.c: who installs (install.h, install_priv.h): the install lock every installer
 * holds from staging to switch, and the staging files' names beside the content. Firmware.
 */
#include "install.h"
#include "install_priv.h"
#include "pack_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int pack_beside(const char *content_path, const char *suffix, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%s", content_path, suffix);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int pack_lock_content(const char *content_path, int wait_ms)
{
    char path[PACK_PATH_MAX];
    if (pack_beside(content_path, ".lock", path, sizeof path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /* read-only is enough for flock, so a lock file root created still serves the kiosk user */
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    for (int waited = 0;; waited += 20) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
        if (errno != EWOULDBLOCK || waited >= wait_ms) break;
        usleep(20 * 1000);
    }
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

void pack_unlock_content(int fd)
{
    if (fd >= 0) close(fd); /* closing the only descriptor of the open file releases the flock */
}

int pack_remove_stale(const char *content_path)
{
    char *dcopy = strdup(content_path), *bcopy = strdup(content_path);
    const char *dir = dcopy ? dirname(dcopy) : NULL, *base = bcopy ? basename(bcopy) : NULL;
    DIR *d = dir ? opendir(dir) : NULL;
    int failed = d ? 0 : errno ? errno : ENOMEM;
    size_t bl = base ? strlen(base) : 0;
    struct dirent *e;
    while (d && (errno = 0, e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strncmp(n, base, bl) != 0 || strncmp(n + bl, ".new", 4) != 0) continue;
        if (n[bl + 4] != 0 && n[bl + 4] != '.' && n[bl + 4] != '-') continue;
        char path[PACK_PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, n) < (int)sizeof path) unlink(path);
    }
    if (d && errno) failed = errno; /* not the folder's end: what is left may be staging files */
    if (d) closedir(d);
    free(dcopy);
    free(bcopy);
    errno = failed;
    return failed ? -1 : 0;
}

int pack_busy(const char *content_path)
{
    int fd = pack_lock_content(content_path, 0);
    if (fd >= 0) {
        pack_unlock_content(fd);
        return 0;
    }
    return errno == EWOULDBLOCK;
}

int pack_cleanup(const char *content_path)
{
    int fd = pack_lock_content(content_path, 0);
    if (fd < 0) return -1;
    int rc = pack_remove_stale(content_path), e = errno;
    pack_unlock_content(fd);
    errno = e;
    return rc;
}

FILE *pack_staging_file(const char *content_path, char *path, size_t len)
{
    if (pack_beside(content_path, ".new.XXXXXX", path, len)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w+b") : NULL;
    if (!f) {
        close(fd);
        unlink(path);
    }
    return f;
}

