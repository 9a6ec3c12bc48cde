/*
 * log.c: rate-limited logging to stderr (log.h), with credentials in addresses masked.
 */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define KINDS 32
#define PER_MINUTE 5

/* One bucket per kind; the table is the logger's own state, guarded for the worker threads. */
static struct bucket {
    char kind[24];
    time_t window;
    int count, suppressed;
} buckets[KINDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* In place: the login of every address in s (user:password before the host's @) becomes ***.
 * Messages name the addresses they failed on, and an address may carry its login (caldav_url,
 * store_url). */
static void mask_userinfo(char *s)
{
    for (char *p = strstr(s, "://"); p; p = strstr(p, "://")) {
        char *a = p + 3, *end = a + strcspn(a, "/?# \t\n\"'<>");
        char *at = NULL;
        for (char *q = a; q < end; q++)
            if (*q == '@') at = q;
        if (at) {
            /* "***", or as many stars as there were characters (the line never grows) */
            size_t l = (size_t)(at - a), m = l < 3 ? l : 3;
            memset(a, '*', m);
            memmove(a + m, at, strlen(at) + 1);
        }
        p = a;
    }
}

void log_msg(const char *kind, const char *fmt, ...)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&lock);
    struct bucket *b = NULL;
    for (int i = 0; i < KINDS && !b; i++)
        if (!buckets[i].kind[0] || !strcmp(buckets[i].kind, kind)) b = &buckets[i];
    if (!b) b = &buckets[KINDS - 1];
    if (!b->kind[0]) snprintf(b->kind, sizeof b->kind, "%s", kind);
    if (now - b->window >= 60) {
        if (b->suppressed) fprintf(stderr, "kiosk[%s]: %d similar messages suppressed\n", kind, b->suppressed);
        b->window = now;
        b->count = 0;
        b->suppressed = 0;
    }
    if (b->count >= PER_MINUTE) {
        b->suppressed++;
        pthread_mutex_unlock(&lock);
        return;
    }
    b->count++;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    mask_userinfo(line);
    fprintf(stderr, "kiosk[%s]: %s\n", kind, line);
    pthread_mutex_unlock(&lock);
}
