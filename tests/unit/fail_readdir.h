/*
 * fail_readdir.h: a test's own readdir, failing with EIO while fail_readdir is set (a stick or a
 * sources folder that fails mid-way). The executable's definition wins over libc's; with 64-bit
 * file offsets the header renames both the call and this definition to readdir64. Include it in
 * one file of a test binary, after <dirent.h>.
 */
#ifndef KIOSK_TEST_FAIL_READDIR_H
#define KIOSK_TEST_FAIL_READDIR_H

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>

#if defined _FILE_OFFSET_BITS && _FILE_OFFSET_BITS == 64
#define REAL_READDIR "readdir64"
#else
#define REAL_READDIR "readdir"
#endif

/* atomic: a kiosk's staff scan may read the stick on another thread than the test's */
static _Atomic int fail_readdir;

struct dirent *readdir(DIR *d)
{
    static struct dirent *(*real)(DIR *);
    if (fail_readdir) {
        errno = EIO;
        return NULL;
    }
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, REAL_READDIR);
    return real(d);
}

#endif
