/*
 * xml_dl: libxml2, opened on first use (dlopen). Only the CalDAV client and the HTML import use
 * it, and linked at start-up it cost every start its symbol binding (about 1 M instructions) and
 * pages. Files that use it include this header after libxml2's own; the names below go through
 * one table, filled once. Like SDL it is a dependency of the kiosk: when it cannot be opened the
 * first call says so on stderr and aborts, as the dynamic loader would have refused to start.
 */
#ifndef KIOSK_XML_DL_H
#define KIOSK_XML_DL_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

/* Every libxml2 function the kiosk calls (add one here and below when using it). */
#define XML_DL_FUNCS(X) \
    X(htmlReadMemory) \
    X(xmlDocGetRootElement) \
    X(xmlFreeDoc) \
    X(xmlGetProp) \
    X(xmlNodeGetContent) \
    X(xmlReadMemory) \
    X(xmlURIUnescapeString)

struct xml_dl_table {
#define XML_DL_FIELD(name) __typeof__(name) *name;
    XML_DL_FUNCS(XML_DL_FIELD)
#undef XML_DL_FIELD
    xmlFreeFunc *xmlFree; /* a variable of libxml2's: the free function it allocates with */
};

/* The table, libxml2 loaded on the first call (thread-safe). */
const struct xml_dl_table *xml_dl(void);

#ifndef XML_DL_TABLE_ONLY
#undef xmlFree
#define htmlReadMemory (xml_dl()->htmlReadMemory)
#define xmlDocGetRootElement (xml_dl()->xmlDocGetRootElement)
#define xmlFreeDoc (xml_dl()->xmlFreeDoc)
#define xmlGetProp (xml_dl()->xmlGetProp)
#define xmlNodeGetContent (xml_dl()->xmlNodeGetContent)
#define xmlReadMemory (xml_dl()->xmlReadMemory)
#define xmlURIUnescapeString (xml_dl()->xmlURIUnescapeString)
#define xmlFree (*xml_dl()->xmlFree)
#endif

#endif
