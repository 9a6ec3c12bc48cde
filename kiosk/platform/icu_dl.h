/*
 * icu_dl: ICU's i18n library (libicui18n: calendars, collation, date, number and list formats,
 * plural rules, transliteration), opened on first use (dlopen) like the libraries in dl.h.
 * The language screen needs none of it, and linked at start-up this BIND_NOW C++ library's
 * relocations and symbol binding alone kept about 1 MiB resident before the first frame;
 * libicuuc (strings, properties, bidi, line breaking, locales, resource bundles) stays
 * linked. The files that call these functions include this header (after or instead of ICU's
 * headers for them); each name then goes through one table, filled once. Like SDL it is a
 * dependency: when it cannot be opened the first call says so on stderr and aborts.
 */
#ifndef KIOSK_ICU_DL_H
#define KIOSK_ICU_DL_H

#include <unicode/ucal.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/udateintervalformat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/utrans.h>

/* Every libicui18n function the kiosk calls (add one here and below when using it). */
#define ICU_DL_FUNCS(X) \
    X(ucal_add) \
    X(ucal_clear) \
    X(ucal_close) \
    X(ucal_get) \
    X(ucal_getMillis) \
    X(ucal_open) \
    X(ucal_setAttribute) \
    X(ucal_setDateTime) \
    X(ucal_setMillis) \
    X(ucol_close) \
    X(ucol_getSortKey) \
    X(ucol_open) \
    X(ucol_strcollUTF8) \
    X(udat_close) \
    X(udat_format) \
    X(udat_getSymbols) \
    X(udat_open) \
    X(udatpg_close) \
    X(udatpg_getBestPattern) \
    X(udatpg_open) \
    X(udtitvfmt_close) \
    X(udtitvfmt_format) \
    X(udtitvfmt_open) \
    X(ulistfmt_close) \
    X(ulistfmt_format) \
    X(ulistfmt_open) \
    X(unum_close) \
    X(unum_formatInt64) \
    X(unum_open) \
    X(uplrules_close) \
    X(uplrules_getKeywords) \
    X(uplrules_open) \
    X(uplrules_select) \
    X(utrans_close) \
    X(utrans_openU) \
    X(utrans_transUChars)

/* The fields are named as ICU's headers rename the functions (ucal_open_72). */
struct icu_dl_table {
#define ICU_DL_FIELD(name) __typeof__(name) *name;
    ICU_DL_FUNCS(ICU_DL_FIELD)
#undef ICU_DL_FIELD
};

/* The table, libicui18n loaded on the first call (thread-safe). */
const struct icu_dl_table *icu_dl(void);

#ifndef ICU_DL_TABLE_ONLY
/* ICU's own renaming macro pastes the version on, whatever the name is defined as now */
#define ICU_DL_CALL(name) (icu_dl()->U_ICU_ENTRY_POINT_RENAME(name))
#undef ucal_add
#define ucal_add ICU_DL_CALL(ucal_add)
#undef ucal_clear
#define ucal_clear ICU_DL_CALL(ucal_clear)
#undef ucal_close
#define ucal_close ICU_DL_CALL(ucal_close)
#undef ucal_get
#define ucal_get ICU_DL_CALL(ucal_get)
#undef ucal_getMillis
#define ucal_getMillis ICU_DL_CALL(ucal_getMillis)
#undef ucal_open
#define ucal_open ICU_DL_CALL(ucal_open)
#undef ucal_setAttribute
#define ucal_setAttribute ICU_DL_CALL(ucal_setAttribute)
#undef ucal_setDateTime
#define ucal_setDateTime ICU_DL_CALL(ucal_setDateTime)
#undef ucal_setMillis
#define ucal_setMillis ICU_DL_CALL(ucal_setMillis)
#undef ucol_close
#define ucol_close ICU_DL_CALL(ucol_close)
#undef ucol_getSortKey
#define ucol_getSortKey ICU_DL_CALL(ucol_getSortKey)
#undef ucol_open
#define ucol_open ICU_DL_CALL(ucol_open)
#undef ucol_strcollUTF8
#define ucol_strcollUTF8 ICU_DL_CALL(ucol_strcollUTF8)
#undef udat_close
#define udat_close ICU_DL_CALL(udat_close)
#undef udat_format
#define udat_format ICU_DL_CALL(udat_format)
#undef udat_getSymbols
#define udat_getSymbols ICU_DL_CALL(udat_getSymbols)
#undef udat_open
#define udat_open ICU_DL_CALL(udat_open)
#undef udatpg_close
#define udatpg_close ICU_DL_CALL(udatpg_close)
#undef udatpg_getBestPattern
#define udatpg_getBestPattern ICU_DL_CALL(udatpg_getBestPattern)
#undef udatpg_open
#define udatpg_open ICU_DL_CALL(udatpg_open)
#undef udtitvfmt_close
#define udtitvfmt_close ICU_DL_CALL(udtitvfmt_close)
#undef udtitvfmt_format
#define udtitvfmt_format ICU_DL_CALL(udtitvfmt_format)
#undef udtitvfmt_open
#define udtitvfmt_open ICU_DL_CALL(udtitvfmt_open)
#undef ulistfmt_close
#define ulistfmt_close ICU_DL_CALL(ulistfmt_close)
#undef ulistfmt_format
#define ulistfmt_format ICU_DL_CALL(ulistfmt_format)
#undef ulistfmt_open
#define ulistfmt_open ICU_DL_CALL(ulistfmt_open)
#undef unum_close
#define unum_close ICU_DL_CALL(unum_close)
#undef unum_formatInt64
#define unum_formatInt64 ICU_DL_CALL(unum_formatInt64)
#undef unum_open
#define unum_open ICU_DL_CALL(unum_open)
#undef uplrules_close
#define uplrules_close ICU_DL_CALL(uplrules_close)
#undef uplrules_getKeywords
#define uplrules_getKeywords ICU_DL_CALL(uplrules_getKeywords)
#undef uplrules_open
#define uplrules_open ICU_DL_CALL(uplrules_open)
#undef uplrules_select
#define uplrules_select ICU_DL_CALL(uplrules_select)
#undef utrans_close
#define utrans_close ICU_DL_CALL(utrans_close)
#undef utrans_openU
#define utrans_openU ICU_DL_CALL(utrans_openU)
#undef utrans_transUChars
#define utrans_transUChars ICU_DL_CALL(utrans_transUChars)
#endif

#endif
