/*
 * dl: the one loader behind the libraries the kiosk opens on first use instead of linking them
 * at start-up (ical_dl.h, gpo_dl.h, qr_dl.h, xml_dl.h, img_dl.h, curl_dl.h, espeak-ng in
 * speech.c). Each of those keeps only its soname and its table of names; opening the library,
 * looking the names up, loading it once across threads and the message when a library the
 * kiosk needs is missing are here.
 */
#ifndef KIOSK_DL_H
#define KIOSK_DL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* Open soname and store the address of names[i] in *slots[i] for each i < n. Returns 1 when the
 * library opened and every name was found, 0 otherwise (the names found stay filled in). The
 * library is never closed: the slots point into it for the rest of the process. Not locked:
 * call it once (dl_need does, or the caller's pthread_once). */
int dl_load(const char *soname, const char *const names[], void **const slots[], size_t n);

/* A library the kiosk cannot run without, and its table: names[i] is looked up into *slots[i].
 * Define one per library with DL_LIB; the owner is the *_dl.c file, for the whole process. */
struct dl_lib {
    const char *soname;
    const char *package; /* the Debian package that has soname, for the message */
    const char *const *names;
    void **const *slots;
    size_t n;
    pthread_mutex_t lock;
    atomic_int state; /* 0 not tried yet, 1 loaded, -1 cannot be loaded */
};
#define DL_LIB(soname, package, names, slots)                                                     \
    {(soname), (package), (names), (slots), sizeof(names) / sizeof((names)[0]), PTHREAD_MUTEX_INITIALIZER, 0}

/* Load lib on the first call (thread-safe; later calls cost one atomic load). When it cannot be
 * loaded, say on stderr which library and package are missing and abort, as the dynamic loader
 * would have refused to start the kiosk. Returns only when every name is filled in. */
void dl_need(struct dl_lib *lib);

#endif
