/*
 * i18n_catalog.c: the UI string catalogs (i18n.h): the .mo msgfmt compiled at build time, or
 * the PO file through libgettextpo when it was edited since; lookups, plural forms by ICU's
 * plural rules, and counted messages.
 */
#include "i18n.h"
#include "i18n_priv.h"

#include "platform/gpo_dl.h"
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>
/* libicui18n, opened on first use: after ICU's headers */
#include "platform/icu_dl.h"

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
    /* opened on the first counted message, not with the catalog: the language screen loads a
     * catalog per language as its invitation turns and counts nothing (ICU's plural data and
     * code stay out of the first frame). Filled once, from any thread; a failure is kept too. */
    _Atomic(UPluralRules *) rules;
    atomic_int rules_failed;
    /* the same for the number format: opening one costs about 70 K instructions, and the
     * topics screen counts fifty times a frame */
    _Atomic(UNumberFormat *) numfmt;
    atomic_int numfmt_failed;
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
    UPluralRules *r = atomic_load(&c->rules);
    if (r) uplrules_close(r);
    UNumberFormat *nf = atomic_load(&c->numfmt);
    if (nf) unum_close(nf);
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

/* The language's plural rules, opened on first use; NULL when ICU has none. */
static UPluralRules *rules_of(const i18n_catalog *cc)
{
    i18n_catalog *c = (i18n_catalog *)cc; /* the rules are a cache of what lang implies */
    UPluralRules *r = atomic_load_explicit(&c->rules, memory_order_acquire);
    if (r || atomic_load_explicit(&c->rules_failed, memory_order_relaxed)) return r;
    UErrorCode ue = U_ZERO_ERROR;
    r = uplrules_open(i18n_icu_of(c->lang), &ue);
    if (U_FAILURE(ue) || !r) {
        if (r) uplrules_close(r);
        atomic_store_explicit(&c->rules_failed, 1, memory_order_relaxed);
        return NULL;
    }
    UPluralRules *none = NULL;
    if (!atomic_compare_exchange_strong_explicit(&c->rules, &none, r, memory_order_acq_rel, memory_order_acquire)) {
        uplrules_close(r); /* another thread opened them first */
        r = none;
    }
    return r;
}

int i18n_plural_index(const i18n_catalog *c, long n)
{
    UPluralRules *rules = c ? rules_of(c) : NULL;
    if (!rules) return n == 1 ? 0 : 1;
    /* The PO files list their forms in CLDR order (zero, one, two, few, many, other), keeping only
     * the categories the language has; "other" is always last. */
    static const char *order[] = {"zero", "one", "two", "few", "many", "other"};
    UChar kw[16];
    char k8[16];
    UErrorCode e = U_ZERO_ERROR;
    int32_t kn = uplrules_select(rules, (double)n, kw, 16, &e);
    if (U_FAILURE(e)) return n == 1 ? 0 : 1;
    u_UCharsToChars(kw, k8, kn);
    k8[kn] = 0;
    UEnumeration *en = uplrules_getKeywords(rules, &e);
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

/* A decimal format for code; NULL when ICU has none. */
static UNumberFormat *numfmt_open(const char *code)
{
    char loc[64];
    i18n_icu_greg(code, loc, sizeof loc);
    UErrorCode e = U_ZERO_ERROR;
    UNumberFormat *nf = unum_open(UNUM_DECIMAL, NULL, 0, loc, NULL, &e);
    if (U_FAILURE(e) && nf) {
        unum_close(nf);
        nf = NULL;
    }
    return nf;
}

/* The catalog's own language's number format, opened on first use (formatting with it is const:
 * threads may share it); NULL when ICU has none. */
static UNumberFormat *numfmt_of(const i18n_catalog *cc)
{
    i18n_catalog *c = (i18n_catalog *)cc; /* a cache of what lang implies, like the rules */
    UNumberFormat *nf = atomic_load_explicit(&c->numfmt, memory_order_acquire);
    if (nf || atomic_load_explicit(&c->numfmt_failed, memory_order_relaxed)) return nf;
    if (!(nf = numfmt_open(c->lang))) {
        atomic_store_explicit(&c->numfmt_failed, 1, memory_order_relaxed);
        return NULL;
    }
    UNumberFormat *none = NULL;
    if (!atomic_compare_exchange_strong_explicit(&c->numfmt, &none, nf, memory_order_acq_rel, memory_order_acquire)) {
        unum_close(nf); /* another thread opened one first */
        nf = none;
    }
    return nf;
}

int i18n_format_count(const i18n_catalog *c, const char *code, const char *msgid, const char *msgid_plural, long n,
                      char *buf, size_t len)
{
    char num[64];
    snprintf(num, sizeof num, "%ld", n);
    /* without a catalog of code's own (the source language), one is opened for this call */
    int own = c && !strcmp(c->lang, code);
    UNumberFormat *nf = own ? numfmt_of(c) : numfmt_open(code);
    if (nf) {
        UErrorCode e = U_ZERO_ERROR;
        UChar u[64];
        int32_t k = unum_formatInt64(nf, (int64_t)n, u, 64, NULL, &e);
        if (U_SUCCESS(e)) i18n_u_to_utf8(u, k, num, sizeof num);
        if (!own) unum_close(nf);
    }
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

