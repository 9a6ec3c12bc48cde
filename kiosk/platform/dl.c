/*
 * dl.c: opening a library on first use and filling its table (dl.h).
 */
#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int dl_load(const char *soname, const char *const names[], void **const slots[], size_t n)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) return 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        *slots[i] = dlsym(h, names[i]);
        if (!*slots[i]) ok = 0;
    }
    return ok;
}

void dl_need(struct dl_lib *lib)
{
    int state = atomic_load_explicit(&lib->state, memory_order_acquire);
    if (state == 0) {
        pthread_mutex_lock(&lib->lock);
        state = atomic_load_explicit(&lib->state, memory_order_relaxed);
        if (state == 0) {
            state = dl_load(lib->soname, lib->names, lib->slots, lib->n) ? 1 : -1;
            atomic_store_explicit(&lib->state, state, memory_order_release);
        }
        pthread_mutex_unlock(&lib->lock);
    }
    if (state > 0) return;
    fprintf(stderr, "kiosk: %s cannot be opened (package %s not installed, or without a function the kiosk calls)\n",
            lib->soname, lib->package);
    abort();
}
