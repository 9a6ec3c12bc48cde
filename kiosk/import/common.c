/*
 * common.c: what every importer needs (import_priv.h): messages, the output tree that appears
 * only when complete, JSON files, stable UUIDs and source ids.
 */
#include "import_priv.h"

#include "i18n/i18n.h"
#include "platform/fmt.h"

#include <errno.h>
#include <ftw.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
/* libicui18n, opened on first use: after ICU's headers */
#include "platform/icu_dl.h"

const char *imp_strerror(int err)
{
    switch (err) {
    case IMP_OK: return "ok";
    case IMP_ERR_IO: return "cannot read or write";
    case IMP_ERR_SYNTAX: return "malformed input";
    case IMP_ERR_UNMAPPED: return "cannot be mapped";
    case IMP_ERR_MISSING: return "missing";
    case IMP_ERR_DUPLICATE: return "duplicate id";
    case IMP_ERR_TOO_BIG: return "too big";
    case IMP_ERR_LANGUAGE: return "unknown language";
    case IMP_ERR_DB: return "content database";
    }
    return "error";
}

int imp_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    char detail[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: %s", imp_strerror(code), detail);
    return code;
}

int imp_path(char out[PATH_MAX], char *err, size_t errlen, const char *fmt, ...)
{
    char why[900];
    va_list ap;
    va_start(ap, fmt);
    int rc = fmt_vpath(out, PATH_MAX, why, sizeof why, fmt, ap);
    va_end(ap);
    return rc ? imp_fail(err, errlen, IMP_ERR_IO, "%s", why) : IMP_OK;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void imp_rmtree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) == 0) nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int imp_tree_begin(imp_tree *t, const char *final, char *err, size_t errlen)
{
    size_t l = strlen(final);
    while (l > 1 && final[l - 1] == '/') l--;
    int rc = imp_path(t->final, err, errlen, "%.*s", (int)(l < PATH_MAX ? l : PATH_MAX), final);
    if (!rc) rc = imp_path(t->tmp, err, errlen, "%s.partial", t->final);
    if (rc) return rc;
    imp_rmtree(t->tmp);
    if (mkdir(t->tmp, 0755) != 0) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", t->tmp, strerror(errno));
    return IMP_OK;
}

int imp_tree_mkdir(imp_tree *t, const char *sub, char *err, size_t errlen)
{
    char p[PATH_MAX];
    int rc = imp_path(p, err, errlen, "%s/%s", t->tmp, sub);
    if (rc) return rc;
    for (char *s = p + strlen(t->tmp) + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", p, strerror(errno));
    return IMP_OK;
}

int imp_tree_commit(imp_tree *t, char *err, size_t errlen)
{
    char old[PATH_MAX];
    int rc = imp_path(old, err, errlen, "%s.old", t->final);
    if (rc) return rc;
    imp_rmtree(old);
    struct stat sb;
    int had = stat(t->final, &sb) == 0;
    if (had && rename(t->final, old) != 0)
        return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", t->final, strerror(errno));
    if (rename(t->tmp, t->final) != 0) {
        int e = errno;
        if (had) rename(old, t->final);
        return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", t->final, strerror(e));
    }
    imp_rmtree(old);
    return IMP_OK;
}

void imp_tree_abort(imp_tree *t) { imp_rmtree(t->tmp); }

int imp_write_json(const char *dir, const char *name, json_t *j, char *err, size_t errlen)
{
    char path[PATH_MAX];
    int rc = imp_path(path, err, errlen, "%s/%s", dir, name);
    if (rc) return rc;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    FILE *f = s ? fopen(path, "wb") : NULL;
    int ok = f && fputs(s, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    free(s);
    return ok ? IMP_OK : imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", path, strerror(errno));
}

int imp_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size > IMP_MAX_FILE) {
        fclose(f);
        return imp_fail(err, errlen, IMP_ERR_TOO_BIG, "%s: larger than %d MiB", path, IMP_MAX_FILE >> 20);
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
    fclose(f);
    if (!buf || n != (size_t)sb.st_size) {
        free(buf);
        return imp_fail(err, errlen, IMP_ERR_IO, "%s: cannot read", path);
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return IMP_OK;
}

int imp_copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    char *data;
    size_t len;
    int rc = imp_read_file(from, &data, &len, err, errlen);
    if (rc) return rc;
    FILE *f = fopen(to, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    free(data);
    return ok ? IMP_OK : imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", to, strerror(errno));
}

json_t *imp_load_json(const char *path, int *code, char *err, size_t errlen)
{
    char *data;
    size_t len;
    if ((*code = imp_read_file(path, &data, &len, err, errlen))) return NULL;
    json_error_t je;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    free(data);
    if (!j) *code = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    return j;
}

void imp_uuid(const char *kind, const char *id, char out[37])
{
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)"kiosk:", 6);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
    crypto_generichash_update(&st, (const unsigned char *)":", 1);
    crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
    crypto_generichash_final(&st, h, sizeof h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[h[i] >> 4];
        out[o++] = hex[h[i] & 15];
    }
    out[o] = 0;
}

int imp_slug(const char *in, char *out, size_t len)
{
    const char *q = in;
    while (*q && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' || *q == '/' || *q == '_')) q++;
    if (!*q && *in && strlen(in) < len && strlen(in) <= IMP_MAX_ID) { /* already a source id: keep it exactly */
        memcpy(out, in, strlen(in) + 1);
        return 1;
    }
    /* names in any script become readable ASCII (Begegnungscafé -> begegnungscafe, Müller -> mueller) */
    char ascii[1024];
    const char *src = in;
    int wide = 0;
    for (q = in; *q; q++) wide |= (unsigned char)*q >= 0x80;
    if (wide) {
        UErrorCode e = U_ZERO_ERROR;
        UChar id[64], u[1024];
        u_uastrcpy(id, "Any-Latin; de-ASCII; Latin-ASCII");
        UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        int32_t n = 0, lim;
        u_strFromUTF8(u, 512, &n, in, -1, &e);
        lim = n;
        if (U_SUCCESS(e) && t) utrans_transUChars(t, u, &n, 1023, 0, &lim, &e);
        if (U_SUCCESS(e) && t) {
            u[lim < 1023 ? lim : 1023] = 0;
            u_strToUTF8(ascii, sizeof ascii, NULL, u, -1, &e);
            if (U_SUCCESS(e)) src = ascii;
        }
        if (t) utrans_close(t);
    }
    size_t o = 0;
    int dash = 1;
    for (const unsigned char *p = (const unsigned char *)src; *p && o + 1 < len; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_') {
            out[o++] = (char)c;
            dash = 0;
        } else if (!dash) {
            out[o++] = '-';
            dash = 1;
        }
    }
    /* German names run long ("Beratungsstelle für Migrantinnen und Migranten des ..."); the
     * build takes ids of IMP_MAX_ID characters, so cut there, after a whole word if there is one */
    if (o > IMP_MAX_ID) {
        size_t cut = IMP_MAX_ID;
        while (cut > IMP_MAX_ID / 2 && out[cut] != '-') cut--;
        o = out[cut] == '-' ? cut : IMP_MAX_ID;
    }
    while (o > 0 && out[o - 1] == '-') o--;
    out[o] = 0;
    return o > 0;
}

int imp_lang_known(const char *lang) { return lang && i18n_lang_find(lang) != NULL; }

double imp_zone_std_offset(const char *zone)
{
    UChar uz[64];
    u_uastrncpy(uz, zone, 63);
    uz[63] = 0;
    UErrorCode e = U_ZERO_ERROR;
    UCalendar *c = ucal_open(uz, -1, "en", UCAL_GREGORIAN, &e);
    if (U_FAILURE(e)) return 0;
    int32_t ms = ucal_get(c, UCAL_ZONE_OFFSET, &e);
    ucal_close(c);
    return U_FAILURE(e) ? 0 : ms / 3600000.0;
}
