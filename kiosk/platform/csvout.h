/*
 * csvout: writing one CSV field (RFC 4180), the one quoting rule for every CSV the project
 * writes: the staff's booking export (booking room) and the HSDS tabular export (import room).
 * A field is quoted when it holds a comma, a quote or a line break, or starts or ends with a
 * space (readers that trim would lose it); quotes inside are doubled.
 */
#ifndef KIOSK_PLATFORM_CSVOUT_H
#define KIOSK_PLATFORM_CSVOUT_H

#include <stdio.h>

enum csvout_flags {
    CSVOUT_DATA = 0,       /* the text exactly as it is (data files that are read back) */
    CSVOUT_NO_FORMULA = 1, /* for people's spreadsheets: a would-be formula is written as text */
};

/*
 * Whether a spreadsheet would run s as a formula: its first character other than white space
 * and invisible ones (NBSP, U+3000, ZWSP, BOM...) is = + - @ (or their fullwidth and small
 * forms, which East Asian input turns into the ASCII ones, or U+2212 MINUS SIGN), a tab or a
 * line break. So "-1+1", "  =1+1", "＝1+1" are formulas, and a phone number "+49 170" is too
 * (a spreadsheet reads the space in it as an operator). s is UTF-8.
 */
int csvout_is_formula(const char *s);

/*
 * Write s (NULL: empty) as one field, without the separator after it. With CSVOUT_NO_FORMULA a
 * formula (csvout_is_formula) is written quoted with a leading apostrophe, which spreadsheets
 * show as text and do not evaluate. The caller checks ferror(f).
 */
void csvout_field(FILE *f, const char *s, int flags);

#endif
