/*
 * watchdog.c: sd_notify through libsystemd (watchdog.h).
 */
#include "watchdog.h"

#include <systemd/sd-daemon.h>

void watchdog_init(watchdog *w)
{
    uint64_t usec = 0;
    w->interval_ms = sd_watchdog_enabled(0, &usec) > 0 ? usec / 1000 : 0;
    w->last_ms = 0;
}

void watchdog_ready(void) { sd_notify(0, "READY=1\nSTATUS=showing the language screen"); }

void watchdog_ping(watchdog *w, uint64_t now_ms)
{
    if (!w->interval_ms || now_ms - w->last_ms < w->interval_ms / 2) return;
    sd_notify(0, "WATCHDOG=1");
    w->last_ms = now_ms;
}

int watchdog_max_sleep_ms(const watchdog *w) { return w->interval_ms ? (int)(w->interval_ms / 4) : -1; }
