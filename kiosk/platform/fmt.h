/*
 * fmt: snprintf that says when the text did not fit. A path, an id or an SQL statement cut
 * short is a different path, id or statement, so where truncation would be a bug the caller
 * must learn of it, not get the first bytes.
 *
 * Owns only formatting: no allocation that outlives a call, no I/O, no globals. Any room may
 * use it; it uses no other room.
 */
#ifndef KIOSK_PLATFORM_FMT_H
#define KIOSK_PLATFORM_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf (len > 0). Returns 0 when all of it fit, -1 when it was cut short or could
 * not be formatted (buf then holds "" so a cut-off value is never used by mistake). */
int fmt_fit(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * A path into buf (len bytes, PATH_MAX where it is to be opened) with fmt_fit; when it does not
 * fit, err gets "path too long (N bytes, at most M): PATH" with the whole path (the reason first,
 * as a message buffer may cut the path). 0, or -1.
 */
int fmt_path(char *buf, size_t len, char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int fmt_vpath(char *buf, size_t len, char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* fmt_fit with the arguments as a va_list, for a room's own wrapper that reports the refusal. */
int fmt_vfit(char *buf, size_t len, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

#endif
