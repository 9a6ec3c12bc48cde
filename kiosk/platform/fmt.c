/*
 * fmt.c: checked formatting (fmt.h).
 */
#include "platform/fmt.h"

#include <stdarg.h>
#include <stdio.h>

int fmt_fit(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < len) return 0;
    if (len) buf[0] = 0;
    return -1;
}
