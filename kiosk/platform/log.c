/*
 * log.c: rate-limited logging to stderr (log.h).
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
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kiosk[%s]: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    pthread_mutex_unlock(&lock);
}
