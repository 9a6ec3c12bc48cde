/*
 * gpo_dl.c: the libgettextpo.so.0 table (gpo_dl.h).
 */
/* the table is filled here under the real names */
#define GPO_DL_TABLE_ONLY
#include "gpo_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct gpo_dl_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void)
{
    void *h = dlopen("libgettextpo.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    int ok = 1;
#define GPO_DL_LOAD(name) ok = ok && (*(void **)&table.name = dlsym(h, #name)) != NULL;
    GPO_DL_FUNCS(GPO_DL_LOAD)
#undef GPO_DL_LOAD
    loaded = ok;
}

const struct gpo_dl_table *gpo_dl(void)
{
    pthread_once(&once, load);
    if (!loaded) {
        fprintf(stderr, "kiosk: libgettextpo.so.0 cannot be opened (not installed, or without a function the kiosk calls)\n");
        abort();
    }
    return &table;
}
