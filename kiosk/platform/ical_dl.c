/*
 * ical_dl.c: the libical table (ical_dl.h), loaded by dl_need (dl.h).
 */
/* the table is filled here under the real names */
#define ICAL_DL_TABLE_ONLY
#include "ical_dl.h"

#include "dl.h"

static struct ical_dl_table table;
#define ICAL_DL_NAME(name) #name,
#define ICAL_DL_SLOT(name) (void **)&table.name,
static const char *const names[] = {ICAL_DL_FUNCS(ICAL_DL_NAME)};
static void **const slots[] = {ICAL_DL_FUNCS(ICAL_DL_SLOT)};
static struct dl_lib lib = DL_LIB("libical.so.3", "libical3", names, slots);

const struct ical_dl_table *ical_dl(void)
{
    dl_need(&lib);
    return &table;
}
