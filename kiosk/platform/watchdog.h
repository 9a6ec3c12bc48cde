/*
 * watchdog: the systemd notification protocol (sd_notify): READY=1 once the first frame is
 * shown, WATCHDOG=1 from the main loop at half the interval systemd asks for (WATCHDOG_USEC),
 * STATUS= lines for `systemctl status`. Without NOTIFY_SOCKET every call does nothing.
 */
#ifndef KIOSK_WATCHDOG_H
#define KIOSK_WATCHDOG_H

#include <stdint.h>

typedef struct watchdog {
    uint64_t interval_ms;   /* 0: systemd wants no pings */
    uint64_t last_ms;
} watchdog;

/* Read the watchdog settings from the environment. */
void watchdog_init(watchdog *w);
/* Tell systemd the kiosk is up. */
void watchdog_ready(void);
/* Call from the main loop each time round; pings when due. now_ms is a monotonic clock. */
void watchdog_ping(watchdog *w, uint64_t now_ms);
/* Longest the main loop may sleep and still ping in time, ms (-1: no limit). */
int watchdog_max_sleep_ms(const watchdog *w);

#endif
