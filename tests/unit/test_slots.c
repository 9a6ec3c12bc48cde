/* Unit tests of the slot generator: rule expansion, local time across DST, closures, merging. */
#include "booking/slots.h"
#include "check.h"

#include <string.h>
#include <time.h>

/* expected instants are written in UTC, so every check also pins the zone offset */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm);
}

static store_schedule sched(const char *freq, int interval, const char *byday, int opens, int closes, int slot,
                            int capacity)
{
    store_schedule s = {.interval = interval, .opens = opens, .closes = closes, .slot_minutes = slot,
                        .capacity = capacity};
    snprintf(s.freq, sizeof s.freq, "%s", freq);
    snprintf(s.byday, sizeof s.byday, "%s", byday);
    snprintf(s.timezone, sizeof s.timezone, "Europe/Berlin");
    return s;
}

/* Generates and keeps the result in a static buffer so each test reads s[i] without freeing by hand. */
static booking_slot *got;
static int gen(const store_schedule *sc, int n, char *const *closed, int64_t from, int64_t to, int64_t now)
{
    char err[256] = "";
    free(got);
    got = NULL;
    int count = -1;
    if (slots_generate(sc, n, closed, from, to, now, &got, &count, err, sizeof err) != 0) {
        printf("slots_generate failed: %s\n", err);
        return -1;
    }
    return count;
}

/* days of the result joined by spaces, one per slot */
static const char *days(int n)
{
    static char buf[512];
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(buf, i ? " " : "");
        strcat(buf, got[i].day);
    }
    return buf;
}

static const store_schedule *weekly_mo_we(void)
{
    static store_schedule s;
    s = sched("WEEKLY", 1, "MO,WE", 9 * 60, 12 * 60, 30, 2);
    return &s;
}

TEST(weekly)
{
    int n = gen(weekly_mo_we(), 1, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 9, 0, 0), 0);
    CHECK(n == 12, "%d slots", n);
    if (n != 12) return;
    CHECK(got[0].start == utc(2026, 2, 2, 8, 0) && got[0].end == utc(2026, 2, 2, 8, 30), "first %lld", (long long)got[0].start);
    CHECK(!strcmp(got[0].day, "2026-02-02") && got[0].start_min == 540 && got[0].end_min == 570, "first local");
    CHECK(got[0].capacity == 2 && got[0].taken == 0, "capacity %d taken %d", got[0].capacity, got[0].taken);
    CHECK(got[5].start == utc(2026, 2, 2, 10, 30) && got[5].end_min == 720, "last Monday slot");
    CHECK(got[6].start == utc(2026, 2, 4, 8, 0) && !strcmp(got[6].day, "2026-02-04"), "first Wednesday slot");
    CHECK(got[11].end == utc(2026, 2, 4, 11, 0) && got[11].capacity == 2, "last slot ends 12:00 local");
    int sorted = 1;
    for (int i = 1; i < n; i++) sorted &= got[i].start - got[i - 1].start >= 1800;
    CHECK(sorted, "sorted, 30 minutes apart at least");
}

TEST(window_bounds)
{
    /* to is exclusive: the Wednesday 09:00 slot starts exactly at to */
    int n = gen(weekly_mo_we(), 1, NULL, utc(2026, 2, 2, 8, 30), utc(2026, 2, 4, 8, 0), 0);
    CHECK(n == 5, "%d slots", n);
    CHECK(n == 5 && got[0].start == utc(2026, 2, 2, 8, 30) && got[4].start == utc(2026, 2, 2, 10, 30), "from inclusive");
    CHECK(gen(weekly_mo_we(), 1, NULL, utc(2026, 2, 9, 0, 0), utc(2026, 2, 2, 0, 0), 0) == 0, "empty window");
}

TEST(interval_two)
{
    store_schedule s = sched("WEEKLY", 2, "MO", 600, 660, 60, 1);
    int n = gen(&s, 1, NULL, utc(2026, 3, 1, 0, 0), utc(2026, 4, 1, 0, 0), 0);
    CHECK(n == 3 && !strcmp(days(n), "2026-03-02 2026-03-16 2026-03-30"), "anchored at 2026-01-05: %s", days(n));
    snprintf(s.valid_from, sizeof s.valid_from, "2026-03-09");
    n = gen(&s, 1, NULL, utc(2026, 3, 1, 0, 0), utc(2026, 4, 1, 0, 0), 0);
    CHECK(n == 2 && !strcmp(days(n), "2026-03-09 2026-03-23"), "anchored at valid_from: %s", days(n));
    CHECK(n == 2 && got[0].start == utc(2026, 3, 9, 9, 0) && got[1].start == utc(2026, 3, 23, 9, 0), "10:00 CET");
}

TEST(monthly)
{
    store_schedule s = sched("MONTHLY", 1, "1WE", 600, 630, 30, 4);
    int64_t from = utc(2026, 1, 1, 0, 0), to = utc(2026, 7, 1, 0, 0);
    int n = gen(&s, 1, NULL, from, to, 0);
    CHECK(n == 6 && !strcmp(days(n), "2026-01-07 2026-02-04 2026-03-04 2026-04-01 2026-05-06 2026-06-03"),
          "first Wednesday: %s", days(n));
    CHECK(n == 6 && got[3].start == utc(2026, 4, 1, 8, 0) && got[0].start == utc(2026, 1, 7, 9, 0), "10:00 local");
    snprintf(s.byday, sizeof s.byday, "-1FR");
    n = gen(&s, 1, NULL, from, to, 0);
    CHECK(n == 6 && !strcmp(days(n), "2026-01-30 2026-02-27 2026-03-27 2026-04-24 2026-05-29 2026-06-26"),
          "last Friday: %s", days(n));
    s.byday[0] = 0;
    snprintf(s.bymonthday, sizeof s.bymonthday, "1,15");
    n = gen(&s, 1, NULL, from, utc(2026, 4, 1, 0, 0), 0);
    CHECK(n == 6 && !strcmp(days(n), "2026-01-01 2026-01-15 2026-02-01 2026-02-15 2026-03-01 2026-03-15"),
          "month days: %s", days(n));
}

TEST(valid_range)
{
    store_schedule s = sched("WEEKLY", 1, "TU", 600, 660, 60, 1);
    snprintf(s.valid_from, sizeof s.valid_from, "2026-02-10");
    snprintf(s.valid_to, sizeof s.valid_to, "2026-02-24");
    int n = gen(&s, 1, NULL, utc(2026, 2, 1, 0, 0), utc(2026, 3, 10, 0, 0), 0);
    CHECK(n == 3 && !strcmp(days(n), "2026-02-10 2026-02-17 2026-02-24"), "valid_to inclusive: %s", days(n));
}

TEST(dst)
{
    store_schedule s = sched("WEEKLY", 1, "SU,MO", 600, 660, 60, 1);
    int n = gen(&s, 1, NULL, utc(2026, 3, 21, 0, 0), utc(2026, 4, 1, 0, 0), 0);
    CHECK(n == 4 && !strcmp(days(n), "2026-03-22 2026-03-23 2026-03-29 2026-03-30"), "spring days: %s", days(n));
    if (n == 4) {
        CHECK(got[0].start == utc(2026, 3, 22, 9, 0) && got[1].start == utc(2026, 3, 23, 9, 0), "before: UTC+1");
        CHECK(got[2].start == utc(2026, 3, 29, 8, 0) && got[3].start == utc(2026, 3, 30, 8, 0), "switch day and after: UTC+2");
        CHECK(got[2].start_min == 600 && got[3].start_min == 600 && got[2].end - got[2].start == 3600, "10:00 local");
    }
    n = gen(&s, 1, NULL, utc(2026, 10, 17, 0, 0), utc(2026, 11, 1, 0, 0), 0);
    CHECK(n == 4 && !strcmp(days(n), "2026-10-18 2026-10-19 2026-10-25 2026-10-26"), "autumn days: %s", days(n));
    if (n == 4) {
        CHECK(got[0].start == utc(2026, 10, 18, 8, 0) && got[1].start == utc(2026, 10, 19, 8, 0), "before: UTC+2");
        CHECK(got[2].start == utc(2026, 10, 25, 9, 0) && got[3].start == utc(2026, 10, 26, 9, 0), "switch day and after: UTC+1");
        CHECK(got[2].start_min == 600 && !strcmp(got[2].day, "2026-10-25"), "10:00 local");
    }
}

TEST(dst_gap_and_overlap)
{
    /* 01:30-03:30 local in 30 minute slots: 02:00 and 02:30 do not exist on 2026-03-29 */
    store_schedule s = sched("WEEKLY", 1, "SU", 90, 210, 30, 1);
    int n = gen(&s, 1, NULL, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0), 0);
    CHECK(n == 2, "%d slots", n);
    CHECK(n == 2 && got[0].start == utc(2026, 3, 29, 0, 30) && got[0].start_min == 90 && got[0].capacity == 1, "01:30 CET");
    CHECK(n == 2 && got[1].start == utc(2026, 3, 29, 1, 0) && got[1].start_min == 180, "03:00 CEST");
    /* on 2026-10-25 02:00-03:00 happens twice: the first (summer time) one is used */
    n = gen(&s, 1, NULL, utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0), 0);
    CHECK(n == 4, "%d slots", n);
    if (n == 4) {
        CHECK(got[0].start == utc(2026, 10, 24, 23, 30), "01:30 CEST");
        CHECK(got[1].start == utc(2026, 10, 25, 0, 0) && got[1].start_min == 120, "02:00 first occurrence");
        CHECK(got[2].start == utc(2026, 10, 25, 0, 30) && got[2].start_min == 150, "02:30 first occurrence");
        CHECK(got[3].start == utc(2026, 10, 25, 2, 0) && got[3].start_min == 180, "03:00 CET");
    }
}

TEST(closed_days)
{
    char *closed[] = {"2026-02-04", "2026-01-01", NULL};
    int n = gen(weekly_mo_we(), 1, closed, utc(2026, 2, 2, 0, 0), utc(2026, 2, 9, 0, 0), 0);
    CHECK(n == 6 && !strcmp(got[0].day, "2026-02-02") && !strcmp(got[5].day, "2026-02-02"), "Wednesday closed: %d", n);
}

TEST(past_slots)
{
    int64_t from = utc(2026, 2, 2, 0, 0), to = utc(2026, 2, 9, 0, 0);
    int n = gen(weekly_mo_we(), 1, NULL, from, to, utc(2026, 2, 2, 9, 45)); /* 10:45 local */
    CHECK(n == 8 && got[0].start == utc(2026, 2, 2, 10, 0), "from 11:00 on: %d", n);
    n = gen(weekly_mo_we(), 1, NULL, from, to, utc(2026, 2, 2, 9, 30)); /* exactly the 10:30 start */
    CHECK(n == 8 && got[0].start == utc(2026, 2, 2, 10, 0), "a slot starting now is gone: %d", n);
    CHECK(gen(weekly_mo_we(), 1, NULL, from, to, to) == 0, "all past");
}

TEST(closing_time)
{
    store_schedule s = sched("WEEKLY", 1, "MO", 540, 645, 30, 1);
    int n = gen(&s, 1, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 3, 0, 0), 0);
    CHECK(n == 3 && got[2].start_min == 600 && got[2].end_min == 630 && got[2].end == utc(2026, 2, 2, 9, 30),
          "09:00-10:45 gives 3 slots: %d", n);
}

TEST(merging)
{
    store_schedule s[3] = {
        sched("WEEKLY", 1, "MO", 600, 690, 90, 3), /* 10:00-11:30 */
        sched("WEEKLY", 1, "MO", 540, 660, 60, 2), /* 09:00, 10:00 */
        sched("DAILY", 1, "MO", 540, 660, 0, 0),   /* not bookable: ignored, rule never read */
    };
    int n = gen(s, 3, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 3, 0, 0), 0);
    CHECK(n == 2, "%d slots", n);
    if (n != 2) return;
    CHECK(got[0].start == utc(2026, 2, 2, 8, 0) && got[0].capacity == 2 && got[0].end_min == 600, "09:00 alone");
    CHECK(got[1].start == utc(2026, 2, 2, 9, 0) && got[1].capacity == 5, "10:00 merged, capacity %d", got[1].capacity);
    CHECK(got[1].end == utc(2026, 2, 2, 10, 30) && got[1].end_min == 690, "merged end is the later one");
}

TEST(slots_keep_their_place)
{
    /* the same hour at two places of one offer: two slots, each naming where to go */
    store_schedule s[2] = {sched("WEEKLY", 1, "MO", 600, 660, 60, 1), sched("WEEKLY", 1, "MO", 600, 660, 60, 2)};
    s[0].place = 1;
    s[1].place = 0;
    int n = gen(s, 2, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 3, 0, 0), 0);
    CHECK(n == 2, "two slots at 10:00, got %d", n);
    if (n != 2) return;
    CHECK(got[0].start == got[1].start && got[0].place == 0 && got[0].capacity == 2 && got[1].place == 1 &&
              got[1].capacity == 1,
          "each with its own place and seats (%d:%d, %d:%d)", got[0].place, got[0].capacity, got[1].place, got[1].capacity);
}

TEST(free_only)
{
    booking_slot s[4] = {
        {.start = 1, .capacity = 2, .taken = 0},
        {.start = 2, .capacity = 2, .taken = 2},
        {.start = 3, .capacity = 1, .taken = 1},
        {.start = 4, .capacity = 3, .taken = 1},
    };
    int n = slots_free_only(s, 4);
    CHECK(n == 2 && s[0].start == 1 && s[1].start == 4 && s[1].capacity == 3, "kept %d", n);
    CHECK(slots_free_only(s, 0) == 0, "empty");
}

TEST(errors)
{
    store_schedule s = sched("WEEKLY", 1, "MO", 540, 600, 30, 1);
    snprintf(s.timezone, sizeof s.timezone, "Mars/Olympus");
    booking_slot dummy = {0}, *out = &dummy;
    int n = 7;
    char err[128] = "";
    CHECK(slots_generate(&s, 1, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 9, 0, 0), 0, &out, &n, err, sizeof err) == -1,
          "unknown zone");
    CHECK(out == NULL && n == 0 && strstr(err, "Mars/Olympus"), "message: %s", err);
    const char *bad[][2] = {{"DAILY", "MO"}, {"WEEKLY", "XX"}, {"WEEKLY", "MO;COUNT=1"}, {"WEEKLY", ""}};
    for (int i = 0; i < 4; i++) {
        s = sched(bad[i][0], 1, bad[i][1], 540, 600, 30, 1);
        CHECK(slots_generate(&s, 1, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 9, 0, 0), 0, &out, &n, err, sizeof err) == -1 &&
                  out == NULL && *err,
              "bad rule %s;%s", bad[i][0], bad[i][1]);
    }
    s = sched("WEEKLY", 1, "MO", 540, 600, 30, 1);
    snprintf(s.valid_from, sizeof s.valid_from, "2026-02-30");
    CHECK(gen(&s, 1, NULL, utc(2026, 2, 2, 0, 0), utc(2026, 2, 9, 0, 0), 0) == -1, "bad valid_from");
}

TEST(local_day)
{
    char day[11] = "";
    int64_t mid = 0;
    CHECK(slots_local_day(utc(2026, 3, 29, 12, 0), "Europe/Berlin", day, &mid) == 0, "known zone");
    CHECK(!strcmp(day, "2026-03-29") && mid == utc(2026, 3, 28, 23, 0), "day %s midnight %lld", day, (long long)mid);
    CHECK(slots_local_day(utc(2026, 10, 25, 22, 30), "Europe/Berlin", day, &mid) == 0 && !strcmp(day, "2026-10-25") &&
              mid == utc(2026, 10, 24, 22, 0),
          "25-hour day %s", day);
    CHECK(slots_local_day(utc(2026, 3, 28, 23, 30), "Europe/Berlin", day, &mid) == 0 && !strcmp(day, "2026-03-29"),
          "late UTC evening is the next local day: %s", day);
    CHECK(slots_local_day(0, "Nowhere/Else", day, &mid) == -1, "unknown zone");
    int minute = -1;
    CHECK(slots_local_time(utc(2026, 3, 29, 12, 0), "Europe/Berlin", day, &minute) == 0 && !strcmp(day, "2026-03-29") &&
              minute == 14 * 60,
          "wall clock on the spring-forward day: 14:00, not 13 hours after midnight (%d)", minute);
    CHECK(slots_local_time(utc(2026, 10, 25, 9, 0), "Europe/Berlin", day, &minute) == 0 && minute == 10 * 60,
          "fall-back day: 10:00 (%d)", minute);
    CHECK(slots_local_time(0, "Nowhere/Else", day, &minute) == -1, "unknown zone");
}

TEST(zones_and_day_ranges)
{
    CHECK(slots_zone_known("Europe/Berlin") && slots_zone_known("Asia/Kabul") && slots_zone_known("America/New_York"),
          "IANA zones are known");
    CHECK(!slots_zone_known("Mars/Olympus") && !slots_zone_known("") && !slots_zone_known(NULL) &&
              !slots_zone_known("Europe/Berlin; rm"),
          "made-up, empty and odd names are not");
    int64_t from = 0, to = 0;
    CHECK(slots_day_range("2026-03-29", "Europe/Berlin", &from, &to) == 0 && from == 1774738800LL &&
              to - from == 23 * 3600,
          "Berlin's spring-forward day: 23 hours from 2026-03-28T23:00Z (%lld, %lld)", (long long)from,
          (long long)(to - from));
    CHECK(slots_day_range("2026-12-01", "Asia/Kabul", &from, &to) == 0 && from == 1796067000LL && to - from == 86400,
          "Kabul's day starts at 19:30Z the day before (%lld)", (long long)from);
    CHECK(slots_day_range("2026-02-30", "Europe/Berlin", &from, &to) == -1 &&
              slots_day_range("2026-12-01", "Mars/Olympus", &from, &to) == -1,
          "a bad day or zone is refused");
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv; /* pure computation: the build directory is not needed */
    RUN(weekly);
    RUN(window_bounds);
    RUN(interval_two);
    RUN(monthly);
    RUN(valid_range);
    RUN(dst);
    RUN(dst_gap_and_overlap);
    RUN(closed_days);
    RUN(past_slots);
    RUN(closing_time);
    RUN(merging);
    RUN(slots_keep_their_place);
    RUN(free_only);
    RUN(errors);
    RUN(local_day);
    free(got);
    RUN(zones_and_day_ranges);
    CHECK_DONE();
}
