/*
 * gpo_dl: libgettextpo, opened on first use (dlopen). The kiosk reads the .mo files the build
 * compiles (i18n.h) and parses a PO only when one was edited since; the PO tools (kiosk-pack
 * po-export, po-import) parse and write them. Linked at start-up it cost every start some 2.6 M
 * instructions of symbol binding (with libunistring) and its pages. Files that use it include this
 * header instead of <gettext-po.h>; the po_* functions go through one table, filled once. Like SDL
 * it is a dependency of the kiosk: when it cannot be opened the first call says so on stderr and
 * aborts, as the dynamic loader would have refused to start.
 */
#ifndef KIOSK_GPO_DL_H
#define KIOSK_GPO_DL_H

#include <gettext-po.h>

/* Every function of it the kiosk calls (add one here and below when using it). */
#define GPO_DL_FUNCS(X) \
    X(po_file_create) \
    X(po_file_domain_header) \
    X(po_file_free) \
    X(po_file_read_v3) \
    X(po_file_write_v2) \
    X(po_header_field) \
    X(po_message_add_filepos) \
    X(po_message_create) \
    X(po_message_insert) \
    X(po_message_is_fuzzy) \
    X(po_message_is_obsolete) \
    X(po_message_iterator) \
    X(po_message_iterator_free) \
    X(po_message_msgctxt) \
    X(po_message_msgid) \
    X(po_message_msgid_plural) \
    X(po_message_msgstr) \
    X(po_message_msgstr_plural) \
    X(po_message_set_extracted_comments) \
    X(po_message_set_fuzzy) \
    X(po_message_set_msgctxt) \
    X(po_message_set_msgid) \
    X(po_message_set_msgstr) \
    X(po_next_message) \

struct gpo_dl_table {
#define GPO_DL_FIELD(name) __typeof__(name) *name;
    GPO_DL_FUNCS(GPO_DL_FIELD)
#undef GPO_DL_FIELD
};

/* The table, the library loaded on the first call (thread-safe). */
const struct gpo_dl_table *gpo_dl(void);

#ifndef GPO_DL_TABLE_ONLY
#define po_file_create (gpo_dl()->po_file_create)
#define po_file_domain_header (gpo_dl()->po_file_domain_header)
#define po_file_free (gpo_dl()->po_file_free)
#define po_file_read_v3 (gpo_dl()->po_file_read_v3)
#define po_file_write_v2 (gpo_dl()->po_file_write_v2)
#define po_header_field (gpo_dl()->po_header_field)
#define po_message_add_filepos (gpo_dl()->po_message_add_filepos)
#define po_message_create (gpo_dl()->po_message_create)
#define po_message_insert (gpo_dl()->po_message_insert)
#define po_message_is_fuzzy (gpo_dl()->po_message_is_fuzzy)
#define po_message_is_obsolete (gpo_dl()->po_message_is_obsolete)
#define po_message_iterator (gpo_dl()->po_message_iterator)
#define po_message_iterator_free (gpo_dl()->po_message_iterator_free)
#define po_message_msgctxt (gpo_dl()->po_message_msgctxt)
#define po_message_msgid (gpo_dl()->po_message_msgid)
#define po_message_msgid_plural (gpo_dl()->po_message_msgid_plural)
#define po_message_msgstr (gpo_dl()->po_message_msgstr)
#define po_message_msgstr_plural (gpo_dl()->po_message_msgstr_plural)
#define po_message_set_extracted_comments (gpo_dl()->po_message_set_extracted_comments)
#define po_message_set_fuzzy (gpo_dl()->po_message_set_fuzzy)
#define po_message_set_msgctxt (gpo_dl()->po_message_set_msgctxt)
#define po_message_set_msgid (gpo_dl()->po_message_set_msgid)
#define po_message_set_msgstr (gpo_dl()->po_message_set_msgstr)
#define po_next_message (gpo_dl()->po_next_message)
#endif

#endif
