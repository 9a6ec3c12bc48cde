/*
 * fmt.c: checked formatting (fmt.h).
 */
#include "platform/fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int fmt_vfit(char *buf, size_t len, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, len, fmt, ap);
    if (n >= 0 && (size_t)n < len) return 0;
    if (len) buf[0] = 0;
    return -1;
}

int fmt_fit(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fmt_vfit(buf, len, fmt, ap);
    va_end(ap);
    return rc;
}

int fmt_vpath(char *buf, size_t len, char *err, size_t errlen, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int rc = fmt_vfit(buf, len, fmt, again);
    va_end(again);
    if (rc == 0) return 0;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    char *whole = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (whole) vsnprintf(whole, (size_t)n + 1, fmt, ap);
    if (errlen) snprintf(err, errlen, "path too long (%d bytes, at most %zu): %s", n, len ? len - 1 : 0, whole ? whole : fmt);
    free(whole);
    return -1;
}

int fmt_path(char *buf, size_t len, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fmt_vpath(buf, len, err, errlen, fmt, ap);
    va_end(ap);
    return rc;
}
