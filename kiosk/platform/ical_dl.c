/*
 * ical_dl.c: the libical table (ical_dl.h).
 */
/* the table is filled here under the real names */
#define ICAL_DL_TABLE_ONLY
#include "ical_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct ical_dl_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void)
{
    void *h = dlopen("libical.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    int ok = 1;
#define ICAL_DL_LOAD(name) ok = ok && (*(void **)&table.name = dlsym(h, #name)) != NULL;
    ICAL_DL_FUNCS(ICAL_DL_LOAD)
#undef ICAL_DL_LOAD
    loaded = ok;
}

const struct ical_dl_table *ical_dl(void)
{
    pthread_once(&once, load);
    if (!loaded) {
        fprintf(stderr, "kiosk: libical.so.3 cannot be opened (not installed, or without a function the kiosk calls)\n");
        abort();
    }
    return &table;
}
