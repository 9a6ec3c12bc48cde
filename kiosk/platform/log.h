/*
 * log: messages for the journal (stderr), rate-limited per message kind so a fault that repeats
 * every frame cannot fill the disk. Never pass personal data (names, phone numbers, search
 * text): log what happened, not to whom.
 */
#ifndef KIOSK_LOG_H
#define KIOSK_LOG_H

/* Log a printf-style line under a kind ("pack", "store", "speech"): at most 5 lines per kind
 * per minute; the next line after a quiet spell says how many were suppressed. */
void log_msg(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
