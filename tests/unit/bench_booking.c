/*
 * bench_booking: what a person waits for in the booking flow (make bench). Prints the time to
 * list four weeks of free times for an offer (slot expansion plus seat counts) with an empty and
 * a busy book, and the time of one local booking (a durable write under BEGIN IMMEDIATE).
 * Usage: bench_booking SCRATCH.db (removed and created anew).
 */
#include "booking/booking.h"
#include "booking/slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Time to free times: generate and count, median of runs. */
static double free_times(booking *b, const store_schedule *sc, int nsc, int64_t from, int *nslots)
{
    double t[15];
    for (int r = 0; r < 15; r++) {
        booking_slot *s = NULL;
        int n = 0;
        char err[256];
        double a = now_ms();
        if (slots_generate(sc, nsc, NULL, from, from + 28 * 86400, from, &s, &n, err, sizeof err) == 0)
            booking_fill_taken(b, "bench", s, n, NULL, err, sizeof err);
        t[r] = now_ms() - a;
        *nslots = n;
        free(s);
    }
    qsort(t, 15, sizeof *t, cmp);
    return t[7];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_booking SCRATCH.db\n");
        return 2;
    }
    char path[600];
    for (const char *suffix = ""; suffix; suffix = !*suffix ? "-wal" : !strcmp(suffix, "-wal") ? "-shm" : NULL) {
        snprintf(path, sizeof path, "%s%s", argv[1], suffix);
        unlink(path);
    }
    booking_config cfg = {.db_path = argv[1], .kiosk_id = "bench"};
    booking *b = NULL;
    char err[512];
    if (booking_open(&b, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    /* counselling on three weekdays in 30-minute slots, and a monthly workshop with 8 seats */
    store_schedule sc[2] = {{.freq = "WEEKLY", .interval = 1, .byday = "MO,TU,TH", .opens = 540, .closes = 960,
                             .timezone = "Europe/Berlin", .slot_minutes = 30, .capacity = 2},
                            {.freq = "MONTHLY", .interval = 1, .byday = "1SA", .opens = 600, .closes = 780,
                             .timezone = "Europe/Berlin", .slot_minutes = 180, .capacity = 8}};
    int64_t from = (int64_t)time(NULL);
    int n = 0;
    double empty = free_times(b, sc, 2, from, &n);

    /* book half of all seats, timing each booking */
    booking_slot *s = NULL;
    int ns = 0;
    if (slots_generate(sc, 2, NULL, from, from + 28 * 86400, from, &s, &ns, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        booking_close(b);
        return 1;
    }
    double *t = calloc((size_t)ns * 8 + 1, sizeof *t);
    int nb = 0;
    for (int i = 0; t && i < ns; i++)
        for (int seat = 0; seat < (s[i].capacity + 1) / 2; seat++) {
            booking_request r = {.offer_id = "bench", .title = "Beratung", .location = "Kirchplatz 3",
                                 .start = s[i].start, .end = s[i].end, .capacity = s[i].capacity,
                                 .name = "Test Person", .phone = "0170 0000000"};
            booking_info in;
            double a = now_ms();
            if (booking_make(b, &r, &in, err, sizeof err) != 0) {
                fprintf(stderr, "booking failed: %s\n", err);
                break;
            }
            t[nb++] = now_ms() - a;
        }
    free(s);
    double busy = free_times(b, sc, 2, from, &n);
    if (t && nb > 0) {
        qsort(t, (size_t)nb, sizeof *t, cmp);
        printf("booking_free_times_ms=%.2f (empty book) %.2f (%d bookings) for %d slots in 4 weeks, median of 15\n", empty,
               busy, nb, n);
        printf("booking_local_make_ms p50=%.2f p99=%.2f max=%.2f (%d bookings, synchronous=FULL)\n", t[nb / 2],
               t[nb * 99 / 100], t[nb - 1], nb);
    }
    free(t);
    booking_close(b);
    return 0;
}
