/*
 * qr_dl.c: the libqrencode table (qr_dl.h).
 */
/* the table is filled here under the real names */
#define QR_DL_TABLE_ONLY
#include "qr_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct qr_dl_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void)
{
    void *h = dlopen("libqrencode.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    int ok = 1;
#define QR_DL_LOAD(name) ok = ok && (*(void **)&table.name = dlsym(h, #name)) != NULL;
    QR_DL_FUNCS(QR_DL_LOAD)
#undef QR_DL_LOAD
    loaded = ok;
}

const struct qr_dl_table *qr_dl(void)
{
    pthread_once(&once, load);
    if (!loaded) {
        fprintf(stderr, "kiosk: libqrencode.so.4 cannot be opened (not installed, or without a function the kiosk calls)\n");
        abort();
    }
    return &table;
}
