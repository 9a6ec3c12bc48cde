/*
 * csv.c: spreadsheets saved as CSV (import_priv.h). libcsv does the quoting rules; this file
 * decides what German spreadsheet programs leave open: the separator (';' from Excel and
 * LibreOffice in a German locale, ',' elsewhere), a UTF-8 byte order mark, and Windows-1252
 * instead of UTF-8 ("CSV" in older Excel), which iconv converts.
 */
#include "import_priv.h"
#include "platform/csvout.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    char **cells;
    size_t n, cap;
    size_t rows, cols;      /* cols: the header's width, fixed by row 0 */
    size_t row_fields;      /* fields seen in the row being read */
    int too_wide, too_long, nul; /* first offence, reported with its position */
    size_t bad_row, bad_col;
    int oom;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->too_wide || r->too_long || r->nul || r->oom) return;
    if (r->rows > 0 && r->row_fields >= r->cols) {
        r->too_wide = 1;
        r->bad_row = r->rows + 1;
        r->bad_col = r->row_fields + 1;
        return;
    }
    /* a cell is a C string from here on: a NUL would cut it short without a word */
    if (len && memchr(s, 0, len)) {
        r->nul = 1;
        r->bad_row = r->rows + 1;
        r->bad_col = r->row_fields + 1;
        return;
    }
    if (len > IMP_MAX_FIELD) {
        r->too_long = 1;
        r->bad_row = r->rows + 1;
        r->bad_col = r->row_fields + 1;
        return;
    }
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        char **nv = realloc(r->cells, nc * sizeof *nv);
        if (!nv) { r->oom = 1; return; }
        r->cells = nv;
        r->cap = nc;
    }
    char *c = malloc(len + 1);
    if (!c) { r->oom = 1; return; }
    if (len) memcpy(c, s, len);
    c[len] = 0;
    r->cells[r->n++] = c;
    r->row_fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (r->too_wide || r->too_long || r->nul || r->oom) return;
    if (r->rows == 0) r->cols = r->row_fields;
    while (r->row_fields < r->cols) on_field("", 0, r); /* short rows: empty cells */
    r->rows++;
    r->row_fields = 0;
}

static void free_cells(reader *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->cells[i]);
    free(r->cells);
}

/* Where the first byte that is not UTF-8 sits (line from 1), and whether valid multi-byte
 * UTF-8 comes before or after it: a file that is UTF-8 but for a pasted Windows-1252 letter. */
static int mixed_utf8(const char *in, size_t len, size_t *bad_line)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t line = 1, first_bad = 0;
    int bad = 0, multi = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c == '\n') line++;
        if (c < 0x80) { i++; continue; }
        size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        int ok = n && i + n <= len;
        for (size_t k = 1; ok && k < n; k++) ok = (p[i + k] & 0xC0) == 0x80;
        if (ok) {
            multi = 1;
            i += n;
        } else {
            if (!bad) first_bad = line;
            bad = 1;
            i++;
        }
    }
    *bad_line = first_bad;
    return bad && multi;
}

/* iconv from -> UTF-8; -1 when the input is not valid in from. */
static int convert(const char *from, const char *in, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return -1;
    size_t cap = len * 3 + 4;
    char *buf = malloc(cap);
    if (!buf) { iconv_close(cd); return -1; }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (rc == (size_t)-1) { free(buf); return -1; }
    *out = buf;
    *outlen = (size_t)(op - buf);
    return 0;
}

static size_t header_fields(const char *data, size_t len, unsigned char sep)
{
    const char *nl = memchr(data, '\n', len);
    size_t hl = nl ? (size_t)(nl - data) : len;
    struct csv_parser p;
    reader r = {0};
    if (csv_init(&p, CSV_APPEND_NULL) != 0) return 0;
    csv_set_delim(&p, sep);
    csv_parse(&p, data, hl, on_field, on_row, &r);
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    size_t n = r.cols;
    free_cells(&r);
    return n;
}

int imp_csv_read(const char *path, imp_csv *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *raw;
    size_t rawlen;
    int rc = imp_read_file(path, &raw, &rawlen, err, errlen);
    if (rc) return rc;
    const char *body = raw;
    size_t blen = rawlen;
    if (blen >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) body += 3, blen -= 3;
    char *text;
    size_t tlen, bad_line;
    if (convert("UTF-8", body, blen, &text, &tlen) == 0) {
        out->cp1252 = 0;
    } else if (mixed_utf8(body, blen, &bad_line)) {
        /* read as Windows-1252 every other letter would turn into two ("für" -> "fÃ¼r") */
        free(raw);
        return imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s:%zu: not UTF-8, while the rest of the file is: save it "
                        "again as UTF-8", path, bad_line);
    } else if (convert("WINDOWS-1252", body, blen, &text, &tlen) == 0) {
        out->cp1252 = 1;
    } else {
        free(raw);
        return imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s: neither UTF-8 nor Windows-1252", path);
    }
    free(raw);
    size_t semis = header_fields(text, tlen, ';'), commas = header_fields(text, tlen, ',');
    out->sep = semis >= commas ? ';' : ',';
    struct csv_parser p;
    reader r = {0};
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(text);
        return imp_fail(err, errlen, IMP_ERR_IO, "%s: out of memory", path);
    }
    csv_set_delim(&p, (unsigned char)out->sep);
    size_t done = csv_parse(&p, text, tlen, on_field, on_row, &r);
    int perr = done < tlen ? csv_error(&p) : 0;
    if (!perr && csv_fini(&p, on_field, on_row, &r) != 0) perr = csv_error(&p);
    csv_free(&p);
    free(text);
    if (perr || r.oom || r.too_wide || r.too_long || r.nul) {
        if (perr == CSV_EPARSE)
            rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s:%zu:%zu: misplaced or unclosed quote", path, r.rows + 1,
                          r.row_fields + 1);
        else if (r.too_wide)
            rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s:%zu:%zu: more cells than the header has", path, r.bad_row,
                          r.bad_col);
        else if (r.nul)
            rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s:%zu:%zu: a NUL byte in the cell", path, r.bad_row, r.bad_col);
        else if (r.too_long)
            rc = imp_fail(err, errlen, IMP_ERR_TOO_BIG, "%s:%zu:%zu: cell longer than %d KiB", path, r.bad_row,
                          r.bad_col, IMP_MAX_FIELD >> 10);
        else
            rc = imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", path, perr ? csv_strerror(perr) : "out of memory");
        free_cells(&r);
        return rc;
    }
    if (r.rows == 0) {
        free_cells(&r);
        return imp_fail(err, errlen, IMP_ERR_MISSING, "%s: no header row", path);
    }
    out->cells = r.cells;
    out->rows = r.rows;
    out->cols = r.cols;
    return IMP_OK;
}

void imp_csv_free(imp_csv *c)
{
    if (!c->cells) return;
    for (size_t i = 0; i < c->rows * c->cols; i++) free(c->cells[i]);
    free(c->cells);
    c->cells = NULL;
}

int imp_csv_col(const imp_csv *c, const char *name)
{
    for (size_t i = 0; i < c->cols; i++)
        if (strcmp(c->cells[i], name) == 0) return (int)i;
    return -1;
}

void imp_csv_write_row(FILE *f, const char *const *cells, size_t n)
{
    /* data read back by importers: written exactly, no formula guard */
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', f);
        csvout_field(f, cells[i], CSVOUT_DATA);
    }
    fputs("\r\n", f);
}
