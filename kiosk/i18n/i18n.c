/*
 * i18n.c: language table, PO catalogs (libgettextpo) and ICU formatting (see i18n.h).
 */
#include "i18n.h"

#include "platform/gpo_dl.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/udateintervalformat.h>
#include <unicode/udatpg.h>
#include <unicode/uldnames.h>
#include <unicode/ulistformatter.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
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

static const char *icu_of(const char *code)
{
    const i18n_lang *l = i18n_lang_find(code);
    return l ? l->icu : (code ? code : "en");
}

/* ICU locale id with the Gregorian calendar forced. */
static void icu_greg(const char *code, char *buf, size_t len)
{
    snprintf(buf, len, "%s@calendar=gregorian", icu_of(code));
}

static int u_to_utf8(const UChar *u, int32_t n, char *buf, size_t len)
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

int i18n_capitalize_start(const char *code, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    /* sentence titlecasing: the first cased letter only, the rest left as it is */
    UCaseMap *cm = ucasemap_open(icu_of(code), U_TITLECASE_SENTENCES | U_TITLECASE_NO_LOWERCASE, &e);
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
    const char *loc = icu_of(code);
    /* a button is an item of a UI list: CLDR says how each language capitalises there ("Français") */
    UDisplayContext ctx[] = {UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU};
    ULocaleDisplayNames *dn = uldn_openForContext(loc, ctx, 1, &e);
    int32_t n = U_SUCCESS(e) ? uldn_languageDisplayName(dn, loc, u, 128, &e) : 0;
    if (dn) uldn_close(dn);
    if (U_FAILURE(e) || n <= 0) return -1;
    if (u_to_utf8(u, n, buf, len) < 0) return -1;
    /* where CLDR has no such data (sq: "shqip") the label still starts its line */
    i18n_capitalize_start(code, buf, len);
    return (int)strlen(buf);
}

int i18n_language_name(const char *code, const char *in, char *buf, size_t len)
{
    UChar u[128];
    UErrorCode e = U_ZERO_ERROR;
    if (code && !strcmp(code, "prs") && in && !strcmp(in, "prs")) return i18n_native_name(code, buf, len);
    int32_t n = uloc_getDisplayLanguage(code, icu_of(in), u, 128, &e);
    /* ICU has no name for some codes in some languages (prs in ckb): the language's own name
     * is more use to a reader than the bare code */
    if (U_FAILURE(e) || e == U_USING_DEFAULT_WARNING) return i18n_native_name(code, buf, len);
    char tmp[128];
    if (u_to_utf8(u, n, tmp, sizeof tmp) < 0) return -1;
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

/* ---------- PO catalogs ---------- */

typedef struct entry {
    char *msgid;
    char *msgstr;        /* singular translation */
    char *plural[6];     /* msgstr[i] */
    int nplural;
} entry;

struct i18n_catalog {
    char lang[16];
    entry *e;
    int n;
    int nplurals;
    UPluralRules *rules;
};

/* libgettextpo reports through callbacks and demands that fatal ones do not return. */
static __thread jmp_buf *po_jmp;
static __thread char *po_err;
static __thread size_t po_errlen;

static void po_report(int severity, const char *file, size_t line, const char *text)
{
    if (severity >= PO_SEVERITY_ERROR && po_err && !po_err[0])
        snprintf(po_err, po_errlen, "%s:%zu: %s", file ? file : "?", line, text ? text : "error");
    if (severity == PO_SEVERITY_FATAL_ERROR && po_jmp) longjmp(*po_jmp, 1);
}

static void po_xerror(int severity, po_message_t m, const char *file, size_t line, size_t col, int multi,
                      const char *text)
{
    (void)m;
    (void)col;
    (void)multi;
    po_report(severity, file, line, text);
}

static void po_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int mu1,
                       const char *t1, po_message_t m2, const char *f2, size_t l2, size_t c2, int mu2,
                       const char *t2)
{
    (void)m1; (void)c1; (void)mu1; (void)m2; (void)f2; (void)l2; (void)c2; (void)mu2; (void)t2;
    po_report(severity, f1, l1, t1);
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->msgid, ((const entry *)b)->msgid);
}

void i18n_catalog_free(i18n_catalog *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) {
        free(c->e[i].msgid);
        free(c->e[i].msgstr);
        for (int k = 0; k < c->e[i].nplural; k++) free(c->e[i].plural[k]);
    }
    free(c->e);
    if (c->rules) uplrules_close(c->rules);
    free(c);
}

/* nplurals from a header's Plural-Forms (2 when absent or out of range). */
static int header_nplurals(const char *pf)
{
    const char *np = pf ? strstr(pf, "nplurals=") : NULL;
    int n = np ? atoi(np + 9) : 2;
    return n < 1 || n > 6 ? 2 : n;
}

/* A string of a .mo table: entry i of the table at off, checked to lie inside the file. */
static const char *mo_string(const unsigned char *d, size_t len, int swap, uint32_t off, uint32_t i, uint32_t *n)
{
    uint32_t v[2];
    if (off > len || (len - off) / 8 <= i) return NULL;
    memcpy(v, d + off + (size_t)i * 8, 8);
    if (swap) v[0] = __builtin_bswap32(v[0]), v[1] = __builtin_bswap32(v[1]);
    if (v[1] > len || len - v[1] <= v[0] || d[v[1] + v[0]] != 0) return NULL;
    *n = v[0];
    return (const char *)d + v[1];
}

/*
 * The catalog msgfmt compiled from the PO file at build time (the Makefile's translations/LANG.mo).
 * Reading it costs a small fraction of parsing the PO (libgettextpo converts every character
 * through iconv: about 14 M instructions a language, most of a language switch). msgfmt keeps
 * what the PO path keeps: no fuzzy or obsolete entries, the header always; it leaves out the
 * untranslated ones, which the PO path keeps as falling back to the msgid, so lookups agree.
 * 0, or -1 when the file is missing, older than the PO (edited since the build) or malformed:
 * then the PO is read.
 */
static int load_mo(i18n_catalog *c, const char *po_path)
{
    size_t pl = strlen(po_path);
    if (pl < 3 || strcmp(po_path + pl - 3, ".po") != 0 || pl + 1 > 1200) return -1;
    char mo_path[1200];
    memcpy(mo_path, po_path, pl - 2);
    memcpy(mo_path + pl - 2, "mo", 3);
    struct stat sp, sm;
    if (stat(po_path, &sp) != 0 || stat(mo_path, &sm) != 0) return -1;
    if (sm.st_mtim.tv_sec < sp.st_mtim.tv_sec ||
        (sm.st_mtim.tv_sec == sp.st_mtim.tv_sec && sm.st_mtim.tv_nsec < sp.st_mtim.tv_nsec))
        return -1;
    if (sm.st_size < 28 || sm.st_size > (1 << 24)) return -1;
    FILE *f = fopen(mo_path, "rb");
    if (!f) return -1;
    size_t len = (size_t)sm.st_size;
    unsigned char *d = malloc(len);
    int ok = d && fread(d, 1, len, f) == len;
    fclose(f);
    uint32_t h[5];
    if (ok) memcpy(h, d, sizeof h);
    int swap = ok && h[0] == 0xde120495u;
    if (!ok || (h[0] != 0x950412deu && !swap)) { free(d); return -1; }
    if (swap)
        for (int i = 1; i < 5; i++) h[i] = __builtin_bswap32(h[i]);
    /* h: magic, revision, count, originals' table, translations' table */
    if (h[1] >> 16 > 1 || h[2] > 100000) { free(d); return -1; }
    c->e = h[2] ? calloc(h[2], sizeof *c->e) : NULL;
    if (h[2] && !c->e) { free(d); return -1; }
    c->nplurals = 2;
    for (uint32_t i = 0; i < h[2]; i++) {
        uint32_t kn, sn;
        const char *k = mo_string(d, len, swap, h[3], i, &kn), *s = mo_string(d, len, swap, h[4], i, &sn);
        if (!k || !s) goto bad;
        if (!k[0]) {
            const char *pf = strstr(s, "Plural-Forms:");
            c->nplurals = header_nplurals(pf);
            continue;
        }
        /* "singular\0plural" for a plural entry, whose forms are NUL-separated in the translation */
        int plural = strlen(k) < kn;
        const char *ctx = strchr(k, 4); /* "context\004msgid": the PO path looks at the msgid alone */
        entry *e = &c->e[c->n++];
        if (!(e->msgid = strdup(ctx ? ctx + 1 : k))) goto bad;
        for (const char *p = s; plural && e->nplural < 6 && p <= s + sn; p += strlen(p) + 1) {
            e->plural[e->nplural] = p[0] ? strdup(p) : NULL;
            if (p[0] && !e->plural[e->nplural]) goto bad;
            e->nplural++;
        }
        if (s[0] && !(e->msgstr = strdup(s))) goto bad;
    }
    free(d);
    return 0;
bad:
    free(d);
    for (int i = 0; i < c->n; i++) {
        free(c->e[i].msgid);
        free(c->e[i].msgstr);
        for (int k = 0; k < c->e[i].nplural; k++) free(c->e[i].plural[k]);
    }
    free(c->e);
    c->e = NULL;
    c->n = 0;
    return -1;
}

int i18n_catalog_load(i18n_catalog **out, const char *po_path, const char *lang, char *err, size_t errlen)
{
    *out = NULL;
    err[0] = 0;
    i18n_catalog *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errlen, "out of memory"); return -1; }
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    UErrorCode ue = U_ZERO_ERROR;
    c->rules = uplrules_open(icu_of(lang), &ue);
    if (U_FAILURE(ue)) c->rules = NULL;
    if (load_mo(c, po_path) == 0) {
        qsort(c->e, (size_t)c->n, sizeof *c->e, entry_cmp);
        *out = c;
        return 0;
    }

    static const struct po_xerror_handler handler = {po_xerror, po_xerror2};
    jmp_buf jb;
    po_jmp = &jb;
    po_err = err;
    po_errlen = errlen;
    volatile po_file_t f = NULL;
    if (setjmp(jb) != 0) {
        po_jmp = NULL;
        if (!err[0]) snprintf(err, errlen, "%s: cannot read PO file", po_path);
        i18n_catalog_free(c);
        return -1;
    }
    FILE *probe = fopen(po_path, "rb");
    if (!probe) {
        po_jmp = NULL;
        snprintf(err, errlen, "%s: cannot open", po_path);
        i18n_catalog_free(c);
        return -1;
    }
    fclose(probe);
    f = po_file_read(po_path, &handler);
    po_jmp = NULL;
    if (!f || err[0]) {
        if (!err[0]) snprintf(err, errlen, "%s: cannot read PO file", po_path);
        if (f) po_file_free(f);
        i18n_catalog_free(c);
        return -1;
    }
    /* libgettextpo hands out a fresh copy of the header despite the const */
    char *header = (char *)po_file_domain_header(f, NULL);
    c->nplurals = 2;
    if (header) {
        char *pf = po_header_field(header, "Plural-Forms");
        c->nplurals = header_nplurals(pf);
        free(pf);
        free(header);
    }
    po_message_iterator_t it = po_message_iterator(f, NULL);
    po_message_t m;
    int cap = 0;
    while ((m = po_next_message(it)) != NULL) {
        const char *id = po_message_msgid(m);
        if (!id[0] || po_message_is_fuzzy(m) || po_message_is_obsolete(m)) continue;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 64;
            entry *ne = realloc(c->e, sizeof *ne * (size_t)cap);
            if (!ne) break;
            c->e = ne;
        }
        entry *e = &c->e[c->n];
        memset(e, 0, sizeof *e);
        e->msgid = strdup(id);
        const char *s = po_message_msgstr(m);
        e->msgstr = s && s[0] ? strdup(s) : NULL;
        if (po_message_msgid_plural(m)) {
            const char *p;
            while (e->nplural < 6 && (p = po_message_msgstr_plural(m, e->nplural)) != NULL) {
                e->plural[e->nplural++] = p[0] ? strdup(p) : NULL;
            }
            if (e->nplural > 0 && !e->msgstr && e->plural[0]) e->msgstr = strdup(e->plural[0]);
        }
        c->n++;
    }
    po_message_iterator_free(it);
    po_file_free(f);
    qsort(c->e, (size_t)c->n, sizeof *c->e, entry_cmp);
    *out = c;
    return 0;
}

static const entry *find(const i18n_catalog *c, const char *msgid)
{
    if (!c || !c->n) return NULL;
    entry key = {.msgid = (char *)msgid};
    return bsearch(&key, c->e, (size_t)c->n, sizeof *c->e, entry_cmp);
}

const char *i18n_gettext(const i18n_catalog *c, const char *msgid)
{
    const entry *e = find(c, msgid);
    return e && e->msgstr ? e->msgstr : msgid;
}

int i18n_plural_index(const i18n_catalog *c, long n)
{
    if (!c || !c->rules) return n == 1 ? 0 : 1;
    /* The PO files list their forms in CLDR order (zero, one, two, few, many, other), keeping only
     * the categories the language has; "other" is always last. */
    static const char *order[] = {"zero", "one", "two", "few", "many", "other"};
    UChar kw[16];
    char k8[16];
    UErrorCode e = U_ZERO_ERROR;
    int32_t kn = uplrules_select(c->rules, (double)n, kw, 16, &e);
    if (U_FAILURE(e)) return n == 1 ? 0 : 1;
    u_UCharsToChars(kw, k8, kn);
    k8[kn] = 0;
    UEnumeration *en = uplrules_getKeywords(c->rules, &e);
    int have[6] = {0};
    const char *k;
    while (en && (k = uenum_next(en, NULL, &e)) != NULL)
        for (int i = 0; i < 6; i++)
            if (strcmp(k, order[i]) == 0) have[i] = 1;
    if (en) uenum_close(en);
    int idx = 0;
    for (int i = 0; i < 6; i++) {
        if (strcmp(order[i], k8) == 0) break;
        idx += have[i];
    }
    return idx >= c->nplurals ? c->nplurals - 1 : idx;
}

const char *i18n_ngettext(const i18n_catalog *c, const char *msgid, const char *msgid_plural, long n)
{
    const entry *e = find(c, msgid);
    if (!e || e->nplural == 0) return n == 1 ? msgid : msgid_plural;
    int i = i18n_plural_index(c, n);
    if (i < e->nplural && e->plural[i]) return e->plural[i];
    return n == 1 ? msgid : msgid_plural;
}

int i18n_format_count(const i18n_catalog *c, const char *code, const char *msgid, const char *msgid_plural, long n,
                      char *buf, size_t len)
{
    char num[64];
    snprintf(num, sizeof num, "%ld", n);
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UNumberFormat *nf = unum_open(UNUM_DECIMAL, NULL, 0, loc, NULL, &e);
    if (U_SUCCESS(e)) {
        UChar u[64];
        int32_t k = unum_formatInt64(nf, (int64_t)n, u, 64, NULL, &e);
        if (U_SUCCESS(e)) u_to_utf8(u, k, num, sizeof num);
    }
    if (nf) unum_close(nf);
    const char *fmt = i18n_ngettext(c, msgid, msgid_plural, n);
    size_t o = 0;
    for (const char *p = fmt; *p && o + 1 < len; p++) {
        if (p[0] == '%' && p[1] == 'd') {
            o += (size_t)snprintf(buf + o, len - o, "%s", num);
            if (o >= len) o = len - 1;
            p++;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o] = 0;
    return (int)o;
}

int i18n_catalog_size(const i18n_catalog *c) { return c ? c->n : 0; }

/* ---------- ICU formatting ---------- */

static UDate make_date(int y, int m, int d, int minutes, UErrorCode *e)
{
    UCalendar *cal = ucal_open(u"UTC", -1, "en@calendar=gregorian", UCAL_GREGORIAN, e);
    if (U_FAILURE(*e)) return 0;
    ucal_clear(cal);
    ucal_setDateTime(cal, y, m - 1, d, minutes / 60, minutes % 60, 0, e);
    UDate t = ucal_getMillis(cal, e);
    ucal_close(cal);
    return t;
}

static UDateFormat *time_format(const char *code, UErrorCode *e)
{
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UDateTimePatternGenerator *g = udatpg_open(loc, e);
    if (U_FAILURE(*e)) return NULL;
    UChar pat[64];
    int32_t pn = udatpg_getBestPattern(g, u"jmm", -1, pat, 64, e);
    udatpg_close(g);
    if (U_FAILURE(*e)) return NULL;
    return udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, pn, e);
}

int i18n_format_time(const char *code, int minutes, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    UDate t = make_date(2024, 1, 1, minutes, &e);
    UDateFormat *f = time_format(code, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[64];
    int32_t n = udat_format(f, t, u, 64, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

int i18n_format_time_range(const char *code, int from_min, int to_min, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UDateIntervalFormat *f = udtitvfmt_open(loc, u"jmm", -1, u"UTC", -1, &e);
    UDate a = make_date(2024, 1, 1, from_min, &e);
    UDate b = make_date(2024, 1, 1, to_min, &e);
    if (U_FAILURE(e)) { if (f) udtitvfmt_close(f); return -1; }
    UChar u[96];
    int32_t n = udtitvfmt_format(f, a, b, u, 96, NULL, &e);
    udtitvfmt_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

int i18n_weekday(const char *code, int wday, int abbrev, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UDateFormat *f = udat_open(UDAT_NONE, UDAT_FULL, loc, u"UTC", -1, NULL, 0, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[64];
    /* ICU numbers weekdays from Sunday = 1 */
    int idx = wday == 6 ? 1 : wday + 2;
    int32_t n = udat_getSymbols(f, abbrev ? UDAT_STANDALONE_SHORT_WEEKDAYS : UDAT_STANDALONE_WEEKDAYS, idx, u, 64, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

/* Languages whose lists ICU writes with a Latin comma although their script has its own. */
static int arabic_comma_lists(const char *code) { return !strcmp(code, "ckb"); }

int i18n_join_list(const char *code, const char *const items[], int n, char *buf, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    if (n > 16) return -1;
    UListFormatter *lf = ulistfmt_open(icu_of(code), &e);
    if (U_FAILURE(e)) return -1;
    /* The pattern is formatted with placeholders (private-use characters) so that its own
     * punctuation can be told from the items' text, then the items go in. */
    UChar ph[16][2];
    const UChar *phs[16];
    int32_t phl[16];
    for (int i = 0; i < n; i++) {
        ph[i][0] = (UChar)(0xE000 + i);
        ph[i][1] = 0;
        phs[i] = ph[i];
        phl[i] = 1;
    }
    UChar pat[256];
    int32_t pn = ulistfmt_format(lf, phs, phl, n, pat, 256, &e);
    ulistfmt_close(lf);
    if (U_FAILURE(e)) return -1;
    size_t o = 0;
    for (int32_t i = 0; i < pn; i++) {
        char piece[8];
        const char *add = piece;
        if (pat[i] >= 0xE000 && pat[i] < 0xE000 + n) {
            add = items[pat[i] - 0xE000];
        } else {
            UChar c = pat[i] == ',' && arabic_comma_lists(code) ? 0x060C : pat[i];
            if (U16_IS_LEAD(c) && i + 1 < pn) {
                if (u_to_utf8(pat + i, 2, piece, sizeof piece) < 0) return -1;
                i++;
            } else if (u_to_utf8(&c, 1, piece, sizeof piece) < 0) {
                return -1;
            }
        }
        size_t al = strlen(add);
        if (o + al >= len) {
            if (len) buf[0] = 0;
            return -1;
        }
        memcpy(buf + o, add, al);
        o += al;
    }
    buf[o] = 0;
    return (int)o;
}

/*
 * Where CLDR has next to no date data, ICU falls back to root's year-first patterns: Kurmanji
 * read "2026 berfanbarê 1, sêşem" and Sorani wrote Latin commas. These languages get their
 * patterns from here, keyed by the skeleton the kiosk asks for.
 */
static const struct {
    const char *code;
    const UChar *skel, *pattern;
} own_patterns[] = {
    {"ku", u"yMMMMEEEEd", u"EEEE, d MMMM y"},
    {"ku", u"yMMMd", u"d MMM y"},
    {"ku", u"MMMMd", u"d MMMM"},
    {"ku", u"yMMMMd", u"d MMMM y"},
    {"ckb", u"yMMMMEEEEd", u"EEEE، d MMMM y"},
    {"ckb", u"yMMMd", u"d MMMM y"},
    {"ckb", u"MMMMd", u"d MMMM"},
    {"ckb", u"yMMMMd", u"d MMMM y"},
};

static const UChar *own_pattern(const char *code, const UChar *skel)
{
    for (size_t i = 0; i < sizeof own_patterns / sizeof own_patterns[0]; i++)
        if (!strcmp(own_patterns[i].code, code) && !u_strcmp(own_patterns[i].skel, skel)) return own_patterns[i].pattern;
    return NULL;
}

/* Drop the era field (G) and the spaces around it: for ps the Persian calendar comes from root
 * data, whose pattern carries a Latin "AP" that no Pashto reader writes. */
static int32_t drop_era(UChar *pat, int32_t n)
{
    int32_t o = 0;
    int quoted = 0;
    for (int32_t i = 0; i < n; i++) {
        if (pat[i] == '\'') quoted = !quoted;
        if (!quoted && pat[i] == 'G') {
            while (i + 1 < n && pat[i + 1] == 'G') i++;
            while (i + 1 < n && pat[i + 1] == ' ') i++;
            if (i + 1 >= n) while (o > 0 && pat[o - 1] == ' ') o--;
            continue;
        }
        pat[o++] = pat[i];
    }
    return o;
}

/* One date with a skeleton in a calendar ("gregorian", "persian"). */
static int format_skeleton(const char *code, const char *calendar, const UChar *skel, int y, int m, int d, char *buf,
                           size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    snprintf(loc, sizeof loc, "%s@calendar=%s", icu_of(code), calendar);
    UChar pat[64];
    int32_t pn = 0;
    const UChar *own = own_pattern(code, skel);
    if (own) {
        pn = u_strlen(own);
        u_strncpy(pat, own, 64);
    } else {
        UDateTimePatternGenerator *g = udatpg_open(loc, &e);
        pn = g ? udatpg_getBestPattern(g, skel, -1, pat, 64, &e) : 0;
        if (g) udatpg_close(g);
        if (U_SUCCESS(e) && !strcmp(calendar, "persian")) pn = drop_era(pat, pn);
    }
    UDate t = make_date(y, m, d, 12 * 60, &e);
    UDateFormat *f = U_SUCCESS(e) ? udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, pn, &e) : NULL;
    if (U_FAILURE(e)) {
        if (f) udat_close(f);
        return -1;
    }
    UChar u[128];
    int32_t n = udat_format(f, t, u, 128, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

int i18n_format_date(const char *code, int y, int m, int d, char *buf, size_t len)
{
    if (own_pattern(code, u"yMMMd")) return format_skeleton(code, "gregorian", u"yMMMd", y, m, d, buf, len);
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UDate t = make_date(y, m, d, 12 * 60, &e);
    UDateFormat *f = udat_open(UDAT_NONE, UDAT_MEDIUM, loc, u"UTC", -1, NULL, 0, &e);
    if (U_FAILURE(e)) return -1;
    UChar u[96];
    int32_t n = udat_format(f, t, u, 96, NULL, &e);
    udat_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

int i18n_format_day(const char *code, int y, int m, int d, int native, char *buf, size_t len)
{
    if (format_skeleton(code, "gregorian", u"yMMMMEEEEd", y, m, d, buf, len) < 0) return -1;
    /* the day starts its line (a booking day, the confirmation): "Вторник", "Sêşem" */
    i18n_capitalize_start(code, buf, len);
    /* readers from Afghanistan and Iran live by the Solar Hijri calendar: show it beside */
    if (native && (!strcmp(code, "fa") || !strcmp(code, "prs") || !strcmp(code, "ps"))) {
        char alt[128];
        size_t used = strlen(buf);
        if (format_skeleton(code, "persian", u"yMMMMd", y, m, d, alt, sizeof alt) > 0 && used + strlen(alt) + 4 < len)
            snprintf(buf + used, len - used, " (%s)", alt);
    }
    return (int)strlen(buf);
}

int i18n_format_date_range(const char *code, const char *from, const char *to, char *buf, size_t len)
{
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(from, "%d-%d-%d", &y1, &m1, &d1) != 3 || sscanf(to, "%d-%d-%d", &y2, &m2, &d2) != 3) return -1;
    if (own_pattern(code, u"MMMMd")) {
        /* ICU's interval data for these is root's too: two dates of our own patterns */
        char a[96], b[96];
        int same = y1 == y2 && m1 == m2 && d1 == d2;
        if (format_skeleton(code, "gregorian", y1 == y2 ? u"MMMMd" : u"yMMMMd", y1, m1, d1, a, sizeof a) < 0 ||
            format_skeleton(code, "gregorian", u"yMMMMd", y2, m2, d2, b, sizeof b) < 0)
            return -1;
        int n = same ? snprintf(buf, len, "%s", b) : snprintf(buf, len, "%s – %s", a, b);
        return n < 0 || (size_t)n >= len ? -1 : n;
    }
    UErrorCode e = U_ZERO_ERROR;
    char loc[64];
    icu_greg(code, loc, sizeof loc);
    UDateIntervalFormat *f = udtitvfmt_open(loc, u"yMMMd", -1, u"UTC", -1, &e);
    UDate a = make_date(y1, m1, d1, 12 * 60, &e);
    UDate b = make_date(y2, m2, d2, 12 * 60, &e);
    if (U_FAILURE(e)) { if (f) udtitvfmt_close(f); return -1; }
    UChar u[128];
    int32_t n = udtitvfmt_format(f, a, b, u, 128, NULL, &e);
    udtitvfmt_close(f);
    return U_FAILURE(e) ? -1 : u_to_utf8(u, n, buf, len);
}

/* ---------- collation ---------- */

struct i18n_collator {
    UCollator *c;
};

i18n_collator *i18n_collator_open(const char *code)
{
    i18n_collator *ic = calloc(1, sizeof *ic);
    if (!ic) return NULL;
    UErrorCode e = U_ZERO_ERROR;
    ic->c = ucol_open(icu_of(code), &e);
    if (U_FAILURE(e)) { free(ic); return NULL; }
    return ic;
}

int i18n_collate(i18n_collator *c, const char *a, const char *b)
{
    UErrorCode e = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(c->c, a, -1, b, -1, &e);
    if (U_FAILURE(e)) return strcmp(a, b);
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

void i18n_collator_close(i18n_collator *c)
{
    if (!c) return;
    ucol_close(c->c);
    free(c);
}

int i18n_titlecase_char(const char *in, char *buf, size_t len)
{
    int32_t n = (int32_t)strlen(in), i = 0, o = 0;
    UChar32 c;
    U8_NEXT(in, i, n, c);
    if (c < 0 || len < 5) return -1;
    UBool bad = 0;
    U8_APPEND((uint8_t *)buf, o, (int32_t)len - 1, u_totitle(c), bad);
    if (bad || (size_t)o + (size_t)(n - i) >= len) return -1;
    memcpy(buf + o, in + i, (size_t)(n - i));
    buf[o + n - i] = 0;
    return 0;
}
