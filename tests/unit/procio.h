/*
 * procio.h: what a test or bench reads of its own process's I/O counters (/proc/self/io).
 */
#ifndef KIOSK_TEST_PROCIO_H
#define KIOSK_TEST_PROCIO_H

#include <stdio.h>

/* Bytes this process has caused to be written to storage so far; -1 when the kernel does not
 * count them. */
static inline long long procio_written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    long long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "write_bytes: %lld", &v) == 1) break;
    if (f) fclose(f);
    return v;
}

#endif
