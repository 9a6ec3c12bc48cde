/*
 * bench_pack: what installing one pack costs the kiosk (make bench): wall time and the bytes this
 * process caused to be written to storage (write_bytes of /proc/self/io, read before and after),
 * which on a Pi is the SD card's wear. Also the payload's size, so a delta's writes can be set
 * against its changeset.
 * Usage: bench_pack PACK KEY.pub CONTENT.db NAME (the content is installed over, as by staff).
 */
#include "pack/install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* write_bytes of this process so far; -1 when the kernel does not count it. */
static long long written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    long long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "write_bytes: %lld", &v) == 1) break;
    if (f) fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_pack PACK KEY.pub CONTENT.db NAME\n");
        return 2;
    }
    pack_trust t = {0};
    char err[1024];
    if (pack_trust_add_file(&t, argv[2], err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pack_policy pol = {.now = (int64_t)time(NULL), .lock_wait_ms = 30000};
    pack_manifest m;
    long long w0 = written();
    double t0 = now_ms();
    int rc = pack_install(argv[1], argv[3], &t, &pol, &m, err, sizeof err);
    double t1 = now_ms();
    long long w1 = written();
    if (rc != PACK_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    printf("%s: apply_ms=%.1f written_bytes=%lld payload_bytes=%lld written_per_payload=%.2f\n", argv[4], t1 - t0,
           w1 - w0, (long long)m.payload_size, m.payload_size > 0 ? (double)(w1 - w0) / (double)m.payload_size : 0.0);
    return 0;
}
