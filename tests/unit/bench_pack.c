/*
 * bench_pack: what installing one pack costs the kiosk (make bench): wall time and the bytes this
 * process caused to be written to storage (write_bytes of /proc/self/io, read before and after),
 * which on a Pi is the SD card's wear. Also the payload's size, so a delta's writes can be set
 * against its changeset. The installation is timed to its switch (pack_stage + pack_commit); a
 * delta's write-back from the WAL into the database file (pack_settle, a checkpoint) apart, and
 * its bytes counted too: written_bytes is the switch's, settle_written_bytes the write-back's,
 * written_per_payload both together against the payload.
 * Usage: bench_pack PACK KEY.pub CONTENT.db NAME (the content is installed over, as by staff);
 * bench_pack --reindex CONTENT.db: the time to build the search index on the kiosk instead of
 * shipping it (the other way to a smaller pack).
 */
#include "pack/install.h"
#include "procio.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time (user + system) of this process so far, ms: a loaded machine blurs wall times. */
static double cpu_ms(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
    store_setup();
    if (argc == 3 && !strcmp(argv[1], "--reindex")) {
        char err[512];
        double t0 = now_ms();
        int rc = store_search_index(argv[2], err, sizeof err);
        if (rc != 0) fprintf(stderr, "%s\n", err);
        else printf("reindex_ms=%.0f\n", now_ms() - t0);
        return rc ? 1 : 0;
    }
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
    pack_staged sg;
    long long w0 = procio_written();
    double t0 = now_ms(), c0 = cpu_ms();
    int rc = pack_stage(argv[1], argv[3], &t, &pol, &sg, err, sizeof err);
    m = sg.m;
    if (rc == PACK_OK) rc = pack_commit(&sg, argv[3], &pol, err, sizeof err);
    double t1 = now_ms(), c1 = cpu_ms();
    long long w1 = procio_written();
    if (rc != PACK_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    /* SQLite's own count: the pages the switch left in the WAL, each also written back by the settle */
    char wal[4200];
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", argv[3]);
    long long frames = stat(wal, &sb) == 0 && sb.st_size > 32 ? ((long long)sb.st_size - 32) / (4096 + 24) : 0;
    int settled = pack_settle(argv[3]);
    double t2 = now_ms(), c2 = cpu_ms();
    long long w2 = procio_written();
    printf("%s: apply_ms=%.1f cpu_ms=%.0f written_bytes=%lld wal_pages=%lld settle_ms=%.1f settle_cpu_ms=%.0f settle_written_bytes=%lld%s"
           " payload_bytes=%lld written_per_payload=%.2f%s\n",
           argv[4], t1 - t0, c1 - c0, w1 - w0, frames, t2 - t1, c2 - c1, w2 - w1, settled ? " (settle failed)" : "",
           (long long)m.payload_size, m.payload_size > 0 ? (double)(w2 - w0) / (double)m.payload_size : 0.0,
           m.compression[0] ? " (zstd)" : "");
    return 0;
}
