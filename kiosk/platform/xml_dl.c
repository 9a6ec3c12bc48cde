/*
 * xml_dl.c: the libxml2 table (xml_dl.h), loaded by dl_need (dl.h).
 */
/* the table is filled here under the real names */
#define XML_DL_TABLE_ONLY
#include "xml_dl.h"

#include "dl.h"

static struct xml_dl_table table;
#define XML_DL_NAME(name) #name,
#define XML_DL_SLOT(name) (void **)&table.name,
static const char *const names[] = {XML_DL_FUNCS(XML_DL_NAME) "xmlFree" /* a variable */};
static void **const slots[] = {XML_DL_FUNCS(XML_DL_SLOT) (void **)&table.xmlFree};
static struct dl_lib lib = DL_LIB("libxml2.so.2", "libxml2", names, slots);

const struct xml_dl_table *xml_dl(void)
{
    dl_need(&lib);
    return &table;
}
