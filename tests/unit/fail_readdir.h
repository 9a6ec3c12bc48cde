/*
 * fail_readdir.h: a test's own readdir, failing with EIO while fail_readdir is set (a stick or a
 * sources folder that fails mid-way). The executable's definition wins over libc's; with 64-bit
 * file offsets the header renames both the call and this definition to readdir64. Include it in
 * one file of a test binary, after <dirent.h>. The same readdir can hang (hold_readdir).
 */
#ifndef KIOSK_TEST_FAIL_READDIR_H
#define KIOSK_TEST_FAIL_READDIR_H

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#if defined _FILE_OFFSET_BITS && _FILE_OFFSET_BITS == 64
#define REAL_READDIR "readdir64"
#else
#define REAL_READDIR "readdir"
#endif

/* atomic: a kiosk's staff scan may read the stick on another thread than the test's */
static _Atomic int fail_readdir;
/* While hold_readdir is set, readdir waits for it to clear (5 s at most): a stick that hangs.
 * A held readdir on thread hold_thread (the test's, which ticks the app) sets held_on_test. */
static _Atomic int hold_readdir, held_on_test;
static pthread_t hold_thread;

struct dirent *readdir(DIR *d)
{
    static struct dirent *(*real)(DIR *);
    if (hold_readdir) {
        if (pthread_equal(pthread_self(), hold_thread)) held_on_test = 1;
        for (int i = 0; i < 500 && hold_readdir; i++) usleep(10000);
    }
    if (fail_readdir) {
        errno = EIO;
        return NULL;
    }
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, REAL_READDIR);
    return real(d);
}

#endif
