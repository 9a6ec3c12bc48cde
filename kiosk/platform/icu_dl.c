/*
 * icu_dl.c: the libicui18n table (icu_dl.h), loaded by dl_need (dl.h).
 */
/* the table is filled here under the real names */
#define ICU_DL_TABLE_ONLY
#include "icu_dl.h"

#include "dl.h"

/* the names as the library exports them: ICU's headers add the version (ucal_open_72) */
#define ICU_DL_STR(name) #name
#define ICU_DL_NAME(name) ICU_DL_STR(name),
#define ICU_DL_SLOT(name) (void **)&table.name,
#define ICU_DL_SONAME2(major) "libicui18n.so." #major
#define ICU_DL_SONAME(major) ICU_DL_SONAME2(major)
#define ICU_DL_PACKAGE2(major) "libicu" #major
#define ICU_DL_PACKAGE(major) ICU_DL_PACKAGE2(major)

static struct icu_dl_table table;
static const char *const names[] = {ICU_DL_FUNCS(ICU_DL_NAME)};
static void **const slots[] = {ICU_DL_FUNCS(ICU_DL_SLOT)};
static struct dl_lib lib = DL_LIB(ICU_DL_SONAME(U_ICU_VERSION_MAJOR_NUM), ICU_DL_PACKAGE(U_ICU_VERSION_MAJOR_NUM), names, slots);

const struct icu_dl_table *icu_dl(void)
{
    dl_need(&lib);
    return &table;
}
