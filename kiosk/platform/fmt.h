/*
 * fmt: snprintf that says when the text did not fit. A path, an id or an SQL statement cut
 * short is a different path, id or statement, so where truncation would be a bug the caller
 * must learn of it, not get the first bytes.
 */
#ifndef KIOSK_PLATFORM_FMT_H
#define KIOSK_PLATFORM_FMT_H

#include <stddef.h>

/* Format into buf (len > 0). Returns 0 when all of it fit, -1 when it was cut short or could
 * not be formatted (buf then holds "" so a cut-off value is never used by mistake). */
int fmt_fit(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
