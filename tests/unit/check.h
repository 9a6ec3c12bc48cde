/*
 * check.h: the unit-test harness. Each test binary prints "PASS name" or "FAIL name: why" per
 * check and exits non-zero when any failed; tests/run.sh counts the lines.
 */
#ifndef KIOSK_CHECK_H
#define KIOSK_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int check_failed_;
static const char *check_test_ = "";

#define TEST(name) static void name(void)
#define RUN(name) (check_test_ = #name, name())
#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (cond) {                                                             \
            printf("PASS %s: %s\n", check_test_, #cond);                        \
        } else {                                                                \
            check_failed_++;                                                    \
            printf("FAIL %s (%s:%d): %s -- ", check_test_, __FILE__, __LINE__, #cond); \
            printf(__VA_ARGS__);                                                \
            printf("\n");                                                       \
        }                                                                       \
    } while (0)
#define CHECK_DONE() return check_failed_ ? 1 : 0

/* Run a shell command built printf-style; a failure is printed (the check that follows judges). */
/* The pid a server started in the background writes into path (waited for up to 5 s); 0 when it
 * never came. */
static inline int check_pid_from(const char *path)
{
    int pid = 0;
    for (int i = 0; i < 100 && pid <= 0; i++) {
        usleep(50000);
        FILE *f = fopen(path, "r");
        if (f && fscanf(f, "%d", &pid) != 1) pid = 0;
        if (f) fclose(f);
    }
    return pid;
}

static inline int check_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int check_sh(const char *fmt, ...)
{
    /* sized from the arguments: a command naming a deep folder four times is longer than any
     * fixed buffer, and a cut one runs something else */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *cmd = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!cmd) {
        printf("command not formatted: %s\n", fmt);
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(cmd, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    if (rc != 0) printf("command failed (%d): %s\n", rc, cmd);
    free(cmd);
    return rc;
}

#endif
