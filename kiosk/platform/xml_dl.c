/*
 * xml_dl.c: the libxml2 table (xml_dl.h).
 */
/* the table is filled here under the real names */
#define XML_DL_TABLE_ONLY
#include "xml_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct xml_dl_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void)
{
    void *h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    int ok = 1;
#define XML_DL_LOAD(name) ok = ok && (*(void **)&table.name = dlsym(h, #name)) != NULL;
    XML_DL_FUNCS(XML_DL_LOAD)
#undef XML_DL_LOAD
    ok = ok && (table.xmlFree = dlsym(h, "xmlFree")) != NULL;
    loaded = ok;
}

const struct xml_dl_table *xml_dl(void)
{
    pthread_once(&once, load);
    if (!loaded) {
        fprintf(stderr, "kiosk: libxml2.so.2 cannot be opened (not installed, or without a function the kiosk calls)\n");
        abort();
    }
    return &table;
}
