/*
 * i18n_priv.h: what i18n.c, i18n_catalog.c and i18n_format.c share about ICU; not for other
 * rooms (they use i18n.h).
 */
#ifndef KIOSK_I18N_PRIV_H
#define KIOSK_I18N_PRIV_H

#include <stddef.h>
#include <unicode/utypes.h>

/* The ICU locale for a language code (prs -> "fa_AF"); an unknown code as it is, NULL as "en". */
const char *i18n_icu_of(const char *code);
/* That locale with the Gregorian calendar forced, into buf. */
void i18n_icu_greg(const char *code, char *buf, size_t len);
/* UTF-16 u (n units, -1: NUL-terminated) as UTF-8 into buf. Returns the length, or -1 ("" in
 * buf) when it does not fit or cannot be converted. */
int i18n_u_to_utf8(const UChar *u, int32_t n, char *buf, size_t len);

#endif
