/*
 * Wall clock: Unix seconds to UTC dates and back in int64, past 2038 and before 1970, the way a
 * 32-bit time_t cannot; the clock reads a plausible present.
 * Usage: test_wallclock BUILD_DIR
 */
#include "check.h"
#include "platform/wallclock.h"

#include <string.h>

TEST(dates_past_2038)
{
    char buf[32];
    wallclock_iso(2208988800LL, buf, sizeof buf); /* 2040-01-01, beyond a signed 32-bit time_t */
    CHECK(!strcmp(buf, "2040-01-01T00:00:00Z"), "got %s", buf);
    wallclock_iso(4102444799LL, buf, sizeof buf);
    CHECK(!strcmp(buf, "2099-12-31T23:59:59Z"), "got %s", buf);
    wallclock_stamp(2147483648LL, buf, sizeof buf); /* the second after the 32-bit wrap */
    CHECK(!strcmp(buf, "20380119T031408Z"), "got %s", buf);
    wallclock_iso(-1, buf, sizeof buf);
    CHECK(!strcmp(buf, "1969-12-31T23:59:59Z"), "got %s", buf);
    wallclock_iso(951782400LL, buf, sizeof buf); /* a leap day of a 400-year leap year */
    CHECK(!strcmp(buf, "2000-02-29T00:00:00Z"), "got %s", buf);
}

TEST(days_round_trip)
{
    int bad = 0;
    for (int64_t d = -800000; d < 800000; d += 37) {
        wallclock_utc u = wallclock_split(d * 86400 + 3723);
        if (wallclock_days(u.year, u.month, u.day) != d || u.hour != 1 || u.minute != 2 || u.second != 3) bad++;
    }
    CHECK(bad == 0, "%d days did not round-trip", bad);
    CHECK(wallclock_days(1970, 1, 1) == 0 && wallclock_days(2040, 1, 1) == 25567, "epoch or 2040");
}

TEST(now_is_the_present)
{
    int64_t now = wallclock_now();
    CHECK(now > 1767225600LL && now < 4102444800LL, "now %lld", (long long)now); /* 2026..2100 */
}

int main(void)
{
    RUN(dates_past_2038);
    RUN(days_round_trip);
    RUN(now_is_the_present);
    CHECK_DONE();
}
