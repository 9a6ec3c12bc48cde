/*
 * i18n.c: the language table, language names and fallback chains (i18n.h), and the ICU helpers
 * the other i18n files share (i18n_priv.h). Catalogs: i18n_catalog.c; formatting: i18n_format.c.
 */
#include "i18n.h"
#include "i18n_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ucasemap.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/uversion.h>
#include <unicode/ustring.h>

/* Voices: the languages espeak-ng 1.51 (Debian 12) has one for (`espeak-ng --voices`). Dari is
 * read by the Persian voice (same script and, for a synthesiser, close enough); there is none for
 * ps, ckb, so or ti, and Kurmanji's "ku" voice reads Latin script only, so Sorani has none.
 * Dari is written in the Persian script; ICU has no "prs" locale, so its data comes from fa_AF.
 * Pashto readers in Afghanistan mostly read Dari, so Dari comes before English for them.
 * The two Kurdish buttons name their variety, each in its own script: ICU's "کوردیی ناوەندی"
 * (Central Kurdish) and "kurdî" do not tell a reader which one is theirs. */
static const i18n_lang langs[] = {
    {"de", "de", 0, {"en", NULL}, NULL, "Latn", "de", "de"},
    {"en", "en", 0, {"de", NULL}, NULL, "Latn", "latin", "en"},
    {"ar", "ar", 1, {NULL}, NULL, "Arab", "ar", "ar"},
    {"fa", "fa", 1, {"prs", NULL}, NULL, "Arab", "fa", "fa"},
    {"prs", "fa_AF", 1, {"fa", NULL}, "دری", "Arab", "fa", "fa"},
    {"ps", "ps", 1, {"prs", "fa", NULL}, NULL, "Arab", "ps", NULL},
    {"ckb", "ckb", 1, {NULL}, "کوردیی سۆرانی", "Arab", "ckb", NULL},
    {"ku", "ku", 0, {NULL}, "Kurmancî", "Latn", "latin", "ku"},
    {"ti", "ti", 0, {NULL}, NULL, "Ethi", "ethi", NULL},
    {"tr", "tr", 0, {NULL}, NULL, "Latn", "latin", "tr"},
    {"ru", "ru", 0, {NULL}, NULL, "Cyrl", "cyrl", "ru"},
    {"uk", "uk", 0, {NULL}, NULL, "Cyrl", "cyrl", "uk"},
    {"fr", "fr", 0, {NULL}, NULL, "Latn", "latin", "fr"},
    {"so", "so", 0, {NULL}, NULL, "Latn", "latin", NULL},
    {"sq", "sq", 0, {NULL}, NULL, "Latn", "latin", "sq"},
    {"ur", "ur", 1, {NULL}, NULL, "Arab", "ur", "ur"},
};
#define NLANGS ((int)(sizeof langs / sizeof langs[0]))
_Static_assert(NLANGS == I18N_LANGS, "i18n.h's I18N_LANGS counts the rows of langs[]");

int i18n_lang_count(void) { return NLANGS; }

const i18n_lang *i18n_lang_at(int i) { return i >= 0 && i < NLANGS ? &langs[i] : NULL; }

const i18n_lang *i18n_lang_find(const char *code)
{
    for (int i = 0; code && i < NLANGS; i++)
        if (strcmp(langs[i].code, code) == 0) return &langs[i];
    return NULL;
}

int i18n_is_rtl(const char *code)
{
    const i18n_lang *l = i18n_lang_find(code);
    return l ? l->rtl : 0;
}

int i18n_capitalize_start(const char *code, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    /* sentence titlecasing: the first cased letter only, the rest left as it is */
    UCaseMap *cm = ucasemap_open(i18n_icu_of(code), U_TITLECASE_SENTENCES | U_TITLECASE_NO_LOWERCASE, &e);
    if (U_FAILURE(e)) return -1;
    size_t n = strlen(buf);
    char *tmp = malloc(n * 3 + 16);
    int32_t out = tmp ? ucasemap_utf8ToTitle(cm, tmp, (int32_t)(n * 3 + 16), buf, (int32_t)n, &e) : -1;
    ucasemap_close(cm);
    if (!tmp || U_FAILURE(e) || (size_t)out >= len) {
        free(tmp);
        return -1;
    }
    memcpy(buf, tmp, (size_t)out);
    buf[out] = 0;
    free(tmp);
    return out;
}

int i18n_native_name(const char *code, char *buf, size_t len)
{
    const i18n_lang *l = i18n_lang_find(code);
    if (l && l->native) {
        snprintf(buf, len, "%s", l->native);
        return (int)strlen(buf);
    }
    UChar u[128];
    UErrorCode e = U_ZERO_ERROR;
    const char *loc = i18n_icu_of(code);
    /* The name as the language writes it, first letter capitalised below: what CLDR's UI-list
     * context gives (the test compares every button with uldn's), without opening a display-names
     * object per language, which also read each language's region, script and capitalisation data
     * (about 1.2 MiB of ICU's data mapped at the first frame, for 16 buttons). */
    int32_t n = uloc_getDisplayLanguage(loc, loc, u, 128, &e);
    if (U_FAILURE(e) || e == U_USING_DEFAULT_WARNING || n <= 0) return -1;
    if (i18n_u_to_utf8(u, n, buf, len) < 0) return -1;
    /* where CLDR has no such data (sq: "shqip") the label still starts its line */
    i18n_capitalize_start(code, buf, len);
    return (int)strlen(buf);
}

/* The file's first line: the ICU that named them (another ICU may name them otherwise). */
static void names_header(char *buf, size_t len)
{
    UVersionInfo v;
    char ver[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, ver);
    snprintf(buf, len, "kiosk native names, ICU %s\n", ver);
}

/* The name of code in body (lines "code\tname\n"), into buf; 0, or -1 when it has none. A line
 * cut short (another kiosk writing the file) has no newline and is not taken. */
static int cached_name(const char *body, const char *code, char *buf, size_t len)
{
    size_t cl = strlen(code);
    for (const char *p = body; p && *p;) {
        const char *e = strchr(p, '\n');
        if (!e) return -1;
        if (!strncmp(p, code, cl) && p[cl] == '\t') {
            const char *v = p + cl + 1;
            size_t vl = (size_t)(e - v);
            if (!vl || vl >= len) return -1;
            memcpy(buf, v, vl);
            buf[vl] = 0;
            return 0;
        }
        p = e + 1;
    }
    return -1;
}

/* The file's text (its first 16 KiB) or NULL. */
static char *read_small(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return NULL;
    char *s = malloc(16384);
    size_t n = s ? fread(s, 1, 16383, f) : 0;
    fclose(f);
    if (s) s[n] = 0;
    return s;
}

int i18n_native_names(const char *const codes[], char *names[], const char *cache_path)
{
    char head[96];
    names_header(head, sizeof head);
    char *text = read_small(cache_path);
    const char *body = text && !strncmp(text, head, strlen(head)) ? text + strlen(head) : NULL;
    int looked_up = 0, n = 0;
    for (; codes[n]; n++) {
        char name[128];
        if (!body || cached_name(body, codes[n], name, sizeof name) != 0) {
            looked_up = 1;
            if (i18n_native_name(codes[n], name, sizeof name) < 0) snprintf(name, sizeof name, "%s", codes[n]);
        }
        if (!(names[n] = strdup(name))) {
            while (n > 0) free(names[--n]), names[n] = NULL;
            free(text);
            return -1;
        }
    }
    free(text);
    if (!cache_path || !looked_up) return 0;
    /* written whole beside it, then renamed over it: a start never reads a file cut short */
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", cache_path, (long)getpid()) >= (int)sizeof tmp) return 0;
    FILE *f = fopen(tmp, "wb");
    if (!f) return 0;
    int bad = fputs(head, f) < 0;
    for (int i = 0; i < n && !bad; i++)
        if (!strpbrk(codes[i], "\t\n") && !strpbrk(names[i], "\t\n")) bad = fprintf(f, "%s\t%s\n", codes[i], names[i]) < 0;
    if (fclose(f) != 0 || bad || rename(tmp, cache_path) != 0) remove(tmp);
    return 0;
}

int i18n_language_name(const char *code, const char *in, char *buf, size_t len)
{
    UChar u[128];
    UErrorCode e = U_ZERO_ERROR;
    if (code && !strcmp(code, "prs") && in && !strcmp(in, "prs")) return i18n_native_name(code, buf, len);
    int32_t n = uloc_getDisplayLanguage(code, i18n_icu_of(in), u, 128, &e);
    /* ICU has no name for some codes in some languages (prs in ckb): the language's own name
     * is more use to a reader than the bare code */
    if (U_FAILURE(e) || e == U_USING_DEFAULT_WARNING) return i18n_native_name(code, buf, len);
    char tmp[128];
    if (i18n_u_to_utf8(u, n, tmp, sizeof tmp) < 0) return -1;
    if (!strcmp(tmp, code)) return i18n_native_name(code, buf, len);
    snprintf(buf, len, "%s", tmp);
    return (int)strlen(buf);
}

int i18n_fallback_chain(const char *code, const char *out[], int max)
{
    int n = 0;
    const i18n_lang *l = i18n_lang_find(code);
    const char *cand[8] = {code};
    int nc = 1;
    for (int i = 0; l && l->fallback[i] && nc < 6; i++) cand[nc++] = l->fallback[i];
    cand[nc++] = "en";
    cand[nc++] = "de";
    for (int i = 0; i < nc && n < max; i++) {
        int seen = 0;
        for (int j = 0; j < n; j++)
            if (strcmp(out[j], cand[i]) == 0) seen = 1;
        if (!seen && cand[i]) out[n++] = cand[i];
    }
    return n;
}

const char *i18n_icu_of(const char *code)
{
    const i18n_lang *l = i18n_lang_find(code);
    return l ? l->icu : (code ? code : "en");
}

void i18n_icu_greg(const char *code, char *buf, size_t len)
{
    snprintf(buf, len, "%s@calendar=gregorian", i18n_icu_of(code));
}

int i18n_u_to_utf8(const UChar *u, int32_t n, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t out = 0;
    u_strToUTF8(buf, (int32_t)len, &out, u, n, &e);
    if (U_FAILURE(e) || (size_t)out >= len) {
        if (len) buf[0] = 0;
        return -1;
    }
    return out;
}

int i18n_zone_known(const char *zone)
{
    UChar id[64];
    size_t n = zone ? strlen(zone) : 0;
    /* ICU's name for a zone it does not know ("Etc/Unknown") is in its table but is no zone */
    if (!n || n >= sizeof id / sizeof id[0] || !strcmp(zone, "Etc/Unknown")) return 0;
    /* zone ids are ASCII letters, digits and "/_+-", which ICU converts without opening the
     * default code page converter (u_uastrcpy would: its code and alias table at every start) */
    if (strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != n) return 0;
    u_charsToUChars(zone, id, (int32_t)n + 1);
    /* zoneinfo64's Names: every IANA zone and link ICU has, sorted (what TimeZone looks ids
     * up in), read through libicuuc's resource bundles so that checking the pack's zone at start
     * does not bring ICU's calendar code in */
    UErrorCode e = U_ZERO_ERROR;
    UResourceBundle *top = ures_openDirect(NULL, "zoneinfo64", &e);
    UResourceBundle *names = ures_getByKey(top, "Names", NULL, &e);
    int found = 0;
    for (int32_t lo = 0, hi = U_SUCCESS(e) ? ures_getSize(names) - 1 : -1; lo <= hi && !found;) {
        int32_t mid = lo + (hi - lo) / 2, len = 0;
        const UChar *s = ures_getStringByIndex(names, mid, &len, &e);
        if (U_FAILURE(e)) break;
        int c = u_strcmp(id, s);
        if (c == 0) found = 1;
        else if (c < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    ures_close(names);
    ures_close(top);
    return found;
}
