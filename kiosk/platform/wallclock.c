/*
 * wallclock.c: Unix time and UTC calendar fields without time_t arithmetic (wallclock.h).
 * Days <-> dates by the usual era arithmetic (400-year cycles of 146097 days).
 */
#include "platform/wallclock.h"

#include <stdio.h>
#include <time.h>

int64_t wallclock_now(void)
{
    time_t t = time(NULL);
    /* a 32-bit time_t has wrapped to negative after 2038-01-19; the kiosk never runs before 1970 */
    if (sizeof(time_t) < sizeof(int64_t)) return (int64_t)(uint32_t)t;
    return (int64_t)t;
}

int64_t wallclock_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

wallclock_utc wallclock_split(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), secs = t - days * 86400;
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return (wallclock_utc){.year = yoe + era * 400 + (m <= 2), .month = (int)m, .day = (int)d,
                           .hour = (int)(secs / 3600), .minute = (int)(secs / 60 % 60), .second = (int)(secs % 60)};
}

void wallclock_iso(int64_t t, char *buf, size_t len)
{
    wallclock_utc u = wallclock_split(t);
    snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)u.year, u.month, u.day, u.hour, u.minute,
             u.second);
}

void wallclock_stamp(int64_t t, char *buf, size_t len)
{
    wallclock_utc u = wallclock_split(t);
    snprintf(buf, len, "%04lld%02d%02dT%02d%02d%02dZ", (long long)u.year, u.month, u.day, u.hour, u.minute, u.second);
}
