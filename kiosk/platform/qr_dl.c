/*
 * qr_dl.c: the libqrencode table (qr_dl.h), loaded by dl_need (dl.h).
 */
/* the table is filled here under the real names */
#define QR_DL_TABLE_ONLY
#include "qr_dl.h"

#include "dl.h"

static struct qr_dl_table table;
#define QR_DL_NAME(name) #name,
#define QR_DL_SLOT(name) (void **)&table.name,
static const char *const names[] = {QR_DL_FUNCS(QR_DL_NAME)};
static void **const slots[] = {QR_DL_FUNCS(QR_DL_SLOT)};
static struct dl_lib lib = DL_LIB("libqrencode.so.4", "libqrencode4", names, slots);

const struct qr_dl_table *qr_dl(void)
{
    dl_need(&lib);
    return &table;
}
