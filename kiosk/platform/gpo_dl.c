/*
 * gpo_dl.c: the libgettextpo.so.0 table (gpo_dl.h), loaded by dl_need (dl.h).
 */
/* the table is filled here under the real names */
#define GPO_DL_TABLE_ONLY
#include "gpo_dl.h"

#include "dl.h"

static struct gpo_dl_table table;
#define GPO_DL_NAME(name) #name,
#define GPO_DL_SLOT(name) (void **)&table.name,
static const char *const names[] = {GPO_DL_FUNCS(GPO_DL_NAME)};
static void **const slots[] = {GPO_DL_FUNCS(GPO_DL_SLOT)};
static struct dl_lib lib = DL_LIB("libgettextpo.so.0", "libgettextpo0", names, slots);

const struct gpo_dl_table *gpo_dl(void)
{
    dl_need(&lib);
    return &table;
}
