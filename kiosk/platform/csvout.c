/*
 * csvout.c: one CSV field (csvout.h). Characters are read with ICU's UTF-8 macros and
 * properties, so "white space" and "invisible" are Unicode's, not a list kept here.
 */
#include "platform/csvout.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* = + - @ and the forms a spreadsheet may take for them. */
static int formula_start(UChar32 c)
{
    switch (c) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
    case 0xFF1D: case 0xFF0B: case 0xFF0D: case 0xFF20: /* fullwidth = + - @ */
    case 0xFE66: case 0xFE62: case 0xFE63: case 0xFE6B: /* small = + - @ */
    case 0x2212:                                        /* minus sign */
        return 1;
    default: return 0;
    }
}

int csvout_is_formula(const char *s)
{
    if (!s) return 0;
    int32_t i = 0, n = (int32_t)strlen(s);
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c >= 0 && formula_start(c)) return 1;
        if (c < 0 || !(u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))) return 0;
    }
    return 0;
}

void csvout_field(FILE *f, const char *s, int flags)
{
    s = s ? s : "";
    size_t n = strlen(s);
    int formula = (flags & CSVOUT_NO_FORMULA) && csvout_is_formula(s);
    if (!formula && !strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
