/*
 * wallclock: the current Unix time and UTC calendar fields in int64, whatever the platform's
 * time_t. armhf builds keep a 32-bit time_t (the libraries there use it, see README), which
 * turns negative in January 2038; gmtime on such a time_t cannot show a slot or expiry after
 * that. Only this file reads the system clock's time_t.
 */
#ifndef KIOSK_PLATFORM_WALLCLOCK_H
#define KIOSK_PLATFORM_WALLCLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct wallclock_utc {
    int64_t year;
    int month, day, hour, minute, second; /* month 1-12, day 1-31 */
} wallclock_utc;

/* Seconds since 1970-01-01 UTC. A 32-bit time_t is read as unsigned, so it holds until 2106. */
int64_t wallclock_now(void);

/* The UTC calendar fields of Unix time t (proleptic Gregorian, any int64 second). */
wallclock_utc wallclock_split(int64_t t);

/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
int64_t wallclock_days(int64_t year, int month, int day);

/* "2031-05-04T09:00:00Z" (extended ISO 8601) into buf of at least 21 bytes. */
void wallclock_iso(int64_t t, char *buf, size_t len);

/* "20310504T090000Z" (iCalendar basic format) into buf of at least 17 bytes. */
void wallclock_stamp(int64_t t, char *buf, size_t len);

#endif
