/*
 * build_media.c: pictograms into the content database. Media paths in sources must resolve
 * inside the pictogram folder (symlinks followed) before a byte is read.
 */
#include "pack/build_priv.h"
#include "pack/install_priv.h"

#include "platform/fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* Store the file at path (already resolved) as media id; NULL, or why not. */
const char *pb_put_media(builder *b, const char *id, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return strerror(errno);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return "not a regular file";
    }
    if (sb.st_size <= 0 || sb.st_size > LIM_MEDIA_BYTES) {
        close(fd);
        return "empty or larger than 4 MiB";
    }
    size_t len = (size_t)sb.st_size, got = 0;
    unsigned char *data = malloc(len);
    while (data && got < len) {
        ssize_t r = read(fd, data + got, len - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (!data || got != len) {
        free(data);
        return "cannot read it";
    }
    sqlite3_stmt *st;
    int rc = -1;
    size_t n = strlen(path);
    const char *mime = n > 4 && !strcmp(path + n - 4, ".png") ? "image/png" : "image/svg+xml";
    /* what every kiosk refuses at install (install_values.c), refused here with the file's name */
    const char *why = pack_media_problem(mime, data, len);
    if (why) {
        free(data);
        return why;
    }
    if (sqlite3_prepare_v2(b->db, "INSERT OR REPLACE INTO media(id, mime, data) VALUES(?1, ?2, ?3)", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(st);
    }
    free(data);
    return rc ? "cannot store it" : NULL;
}

/* The pictogram folder: the pack's own, else the shared one beside it; resolved for put_icon. */
void pb_find_pictograms(builder *b, const char *dir)
{
    struct stat sb;
    b->pict_real[0] = 0;
    /* a folder name cut short could be some other folder: then there is none */
    if (fmt_fit(b->pict, sizeof b->pict, "%s/pictograms", dir) != 0) return;
    if (stat(b->pict, &sb) != 0 && fmt_fit(b->pict, sizeof b->pict, "%s/../pictograms", dir) != 0) return;
    if (!realpath(b->pict, b->pict_real)) b->pict_real[0] = 0;
}

/*
 * o["icon"] (optional): an .svg or .png file that resolves (symlinks followed) inside the
 * pictogram folder; anything else, e.g. "../../secret", is refused before a byte is read.
 */
int pb_put_icon(builder *b, json_t *o, const char **out)
{
    const char *icon;
    if (pb_get_text(b, o, "icon", LIM_ICON, 0, &icon)) return -1;
    *out = icon;
    if (!icon) return 0;
    size_t n = strlen(icon);
    if (n < 5 || (strcmp(icon + n - 4, ".svg") && strcmp(icon + n - 4, ".png")))
        return pb_fail_at(b, o, "icon", NOIDX, "\"%s\" must be an .svg or .png file", icon);
    if (icon[0] == '/' || !strncmp(icon, "../", 3) || strstr(icon, "/../") || strchr(icon, '\\'))
        return pb_fail_at(b, o, "icon", NOIDX, "\"%s\" must be a file inside the pictogram folder", icon);
    if (!b->pict_real[0]) return pb_fail_at(b, o, "icon", NOIDX, "no pictogram folder %s", b->pict);
    char path[PATH_MAX], real[PATH_MAX];
    if (fmt_fit(path, sizeof path, "%s/%s", b->pict, icon))
        return pb_fail_at(b, o, "icon", NOIDX, "path too long: %s/%s", b->pict, icon);
    if (!realpath(path, real)) return pb_fail_at(b, o, "icon", NOIDX, "%s: %s", path, strerror(errno));
    size_t pl = strlen(b->pict_real);
    if (strncmp(real, b->pict_real, pl) != 0 || real[pl] != '/')
        return pb_fail_at(b, o, "icon", NOIDX, "\"%s\" leads outside the pictogram folder %s", icon, b->pict);
    const char *why = pb_put_media(b, icon, real);
    return why ? pb_fail_at(b, o, "icon", NOIDX, "%s: %s", path, why) : 0;
}

/* ---------- the source files ---------- */
