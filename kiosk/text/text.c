/*
 * text.c: fonts, fallback chains, shaping, line breaking and visual ordering (see text.h).
 */
#include "text.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <ini.h>
#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 8
#define MAX_DIRS 8
#define LOAD_FLAGS (FT_LOAD_TARGET_LIGHT)

/* A font file at one pixel size: the unit that shapes and rasterises. */
typedef struct font_inst {
    int file;
    int size_px;
    FT_Face face;
    hb_font_t *hb;
    int ascent, descent; /* px */
} font_inst;

/* An ordered list of font files for one script (or the default/fallback), one weight. */
typedef struct chain {
    char key[24];        /* "default", "fallback", "Arab", or "ur:Arab" */
    int files[2][MAX_CHAIN]; /* [bold][i] indices into files */
    int nfiles[2];
} chain;

typedef struct glyph_bm {
    int font;
    uint32_t gid;
    int w, h, left, top;
    uint8_t *pixels;
    int used;
} glyph_bm;

struct text_engine {
    FT_Library ft;
    char *dirs[MAX_DIRS];
    int ndirs;
    char **files;        /* file names */
    char **paths;        /* resolved paths, NULL when not found */
    float (*metrics)[2]; /* per file: ascent, descent in em from [metrics FILE]; 0 = the font's own */
    hb_face_t **hbfaces; /* per file, shared by all sizes: one copy of the big shaping tables */
    int nfiles;
    chain *chains;
    int nchains;
    font_inst *fonts;
    int nfonts;
    glyph_bm *glyphs;    /* open-addressing hash */
    int glyph_cap, glyph_count;
    UBreakIterator *brk;
    char brk_lang[16];
    hb_buffer_t *buf;
    char err[256];
};

/* ---------- configuration ---------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) *--e = 0;
    return s;
}

static int file_index(text_engine *te, const char *name)
{
    for (int i = 0; i < te->nfiles; i++)
        if (strcmp(te->files[i], name) == 0) return i;
    char **nf = realloc(te->files, sizeof *nf * (size_t)(te->nfiles + 1));
    if (!nf) return -1;
    te->files = nf;
    char **np = realloc(te->paths, sizeof *np * (size_t)(te->nfiles + 1));
    if (!np) return -1;
    te->paths = np;
    float (*nm)[2] = realloc(te->metrics, sizeof *nm * (size_t)(te->nfiles + 1));
    if (!nm) return -1;
    te->metrics = nm;
    hb_face_t **nh = realloc(te->hbfaces, sizeof *nh * (size_t)(te->nfiles + 1));
    if (!nh) return -1;
    te->hbfaces = nh;
    te->hbfaces[te->nfiles] = NULL;
    te->metrics[te->nfiles][0] = te->metrics[te->nfiles][1] = 0;
    te->files[te->nfiles] = strdup(name);
    te->paths[te->nfiles] = NULL;
    if (!te->files[te->nfiles]) return -1;
    return te->nfiles++;
}

static chain *chain_get(text_engine *te, const char *key, int create)
{
    for (int i = 0; i < te->nchains; i++)
        if (strcmp(te->chains[i].key, key) == 0) return &te->chains[i];
    if (!create) return NULL;
    chain *nc = realloc(te->chains, sizeof *nc * (size_t)(te->nchains + 1));
    if (!nc) return NULL;
    te->chains = nc;
    chain *c = &te->chains[te->nchains++];
    memset(c, 0, sizeof *c);
    snprintf(c->key, sizeof c->key, "%s", key);
    return c;
}

static int chain_set(text_engine *te, const char *key, int bold, const char *list)
{
    chain *c = chain_get(te, key, 1);
    if (!c) return 0;
    char *copy = strdup(list);
    if (!copy) return 0;
    c->nfiles[bold] = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *name = trim(tok);
        if (!*name || c->nfiles[bold] >= MAX_CHAIN) continue;
        int fi = file_index(te, name);
        if (fi < 0) { free(copy); return 0; }
        c->files[bold][c->nfiles[bold]++] = fi;
    }
    free(copy);
    return 1;
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
    text_engine *te = user;
    if (strcmp(section, "paths") == 0) {
        if (strcmp(name, "dirs") != 0) return 1;
        char *copy = strdup(value);
        if (!copy) return 0;
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && te->ndirs < MAX_DIRS;
             tok = strtok_r(NULL, ",", &save))
            if (*trim(tok)) te->dirs[te->ndirs++] = strdup(trim(tok));
        free(copy);
        return 1;
    }
    int bold;
    if (strcmp(section, "default") == 0 || strcmp(section, "fallback") == 0) {
        bold = strcmp(name, "bold") == 0;
        if (!bold && strcmp(name, "regular") != 0) return 1;
        return chain_set(te, section, bold, value);
    }
    if (strncmp(section, "script ", 7) == 0) {
        bold = strcmp(name, "bold") == 0;
        if (!bold && strcmp(name, "regular") != 0) return 1;
        return chain_set(te, trim((char *)section + 7), bold, value);
    }
    if (strncmp(section, "metrics ", 8) == 0) {
        /* a tighter line box for fonts whose declared ascent is far above their usual ink (Nastaliq) */
        int fi = file_index(te, trim((char *)section + 8));
        if (fi < 0) return 0;
        if (strcmp(name, "ascent") == 0) te->metrics[fi][0] = strtof(value, NULL);
        else if (strcmp(name, "descent") == 0) te->metrics[fi][1] = strtof(value, NULL);
        return 1;
    }
    if (strncmp(section, "lang ", 5) == 0) {
        /* key "Arab.regular" -> chain "ur:Arab" */
        const char *dot = strchr(name, '.');
        if (!dot) return 1;
        char key[24];
        snprintf(key, sizeof key, "%s:%.*s", trim((char *)section + 5), (int)(dot - name), name);
        return chain_set(te, key, strcmp(dot + 1, "bold") == 0, value);
    }
    return 1;
}

static void resolve_paths(text_engine *te)
{
    for (int i = 0; i < te->nfiles; i++) {
        for (int d = 0; d < te->ndirs && !te->paths[i]; d++) {
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", te->dirs[d], te->files[i]);
            FILE *f = fopen(p, "rb");
            if (f) {
                fclose(f);
                te->paths[i] = strdup(p);
            }
        }
    }
}

int text_engine_open(text_engine **out, const char *conf_path, char *err, size_t errlen)
{
    *out = NULL;
    text_engine *te = calloc(1, sizeof *te);
    if (!te) { snprintf(err, errlen, "out of memory"); return -1; }
    int rc = ini_parse(conf_path, conf_handler, te);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", conf_path, rc < 0 ? "cannot read font configuration" : "syntax error");
        if (rc > 0) snprintf(err, errlen, "%s:%d: bad line in font configuration", conf_path, rc);
        text_engine_close(te);
        return -1;
    }
    resolve_paths(te);
    chain *def = chain_get(te, "default", 0);
    if (!def || def->nfiles[0] == 0 || !te->paths[def->files[0][0]]) {
        snprintf(err, errlen, "%s: the [default] regular font is missing or not installed (%s)", conf_path,
                 def && def->nfiles[0] ? te->files[def->files[0][0]] : "none named");
        text_engine_close(te);
        return -1;
    }
    if (FT_Init_FreeType(&te->ft)) {
        snprintf(err, errlen, "FreeType failed to start");
        text_engine_close(te);
        return -1;
    }
    te->buf = hb_buffer_create();
    te->glyph_cap = 1024;
    te->glyphs = calloc((size_t)te->glyph_cap, sizeof *te->glyphs);
    if (!te->glyphs || !hb_buffer_allocation_successful(te->buf)) {
        snprintf(err, errlen, "out of memory");
        text_engine_close(te);
        return -1;
    }
    *out = te;
    return 0;
}

static void glyph_cache_clear(text_engine *te)
{
    for (int i = 0; i < te->glyph_cap; i++)
        if (te->glyphs[i].used) free(te->glyphs[i].pixels);
}

void text_engine_close(text_engine *te)
{
    if (!te) return;
    if (te->glyphs) glyph_cache_clear(te);
    free(te->glyphs);
    for (int i = 0; i < te->nfonts; i++) {
        hb_font_destroy(te->fonts[i].hb);
        FT_Done_Face(te->fonts[i].face);
    }
    free(te->fonts);
    if (te->ft) FT_Done_FreeType(te->ft);
    for (int i = 0; i < te->nfiles; i++) { free(te->files[i]); free(te->paths[i]); }
    for (int i = 0; te->hbfaces && i < te->nfiles; i++) hb_face_destroy(te->hbfaces[i]);
    free(te->hbfaces);
    free(te->files);
    free(te->paths);
    free(te->metrics);
    for (int i = 0; i < te->ndirs; i++) free(te->dirs[i]);
    free(te->chains);
    if (te->brk) ubrk_close(te->brk);
    hb_buffer_destroy(te->buf);
    free(te);
}

const char *text_font_name(const text_engine *te, int i)
{
    if (i < 0 || i >= te->nfonts) return NULL;
    return te->files[te->fonts[i].file];
}

/* ---------- font instances and selection ---------- */

static int font_instance(text_engine *te, int file, int size_px)
{
    for (int i = 0; i < te->nfonts; i++)
        if (te->fonts[i].file == file && te->fonts[i].size_px == size_px) return i;
    if (!te->paths[file]) return -1;
    font_inst *nf = realloc(te->fonts, sizeof *nf * (size_t)(te->nfonts + 1));
    if (!nf) return -1;
    te->fonts = nf;
    font_inst *fi = &te->fonts[te->nfonts];
    memset(fi, 0, sizeof *fi);
    if (FT_New_Face(te->ft, te->paths[file], 0, &fi->face)) return -1;
    if (FT_Set_Pixel_Sizes(fi->face, 0, (FT_UInt)size_px)) {
        FT_Done_Face(fi->face);
        return -1;
    }
    fi->file = file;
    fi->size_px = size_px;
    if (!te->hbfaces[file]) {
        hb_blob_t *blob = hb_blob_create_from_file(te->paths[file]);
        te->hbfaces[file] = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
    }
    /* HarfBuzz's own OpenType functions on the shared face; positions in 1/64 px */
    fi->hb = hb_font_create(te->hbfaces[file]);
    hb_font_set_scale(fi->hb, size_px * 64, size_px * 64);
    fi->ascent = (int)((fi->face->size->metrics.ascender + 63) >> 6);
    fi->descent = (int)((-fi->face->size->metrics.descender + 63) >> 6);
    if (te->metrics[file][0] > 0) fi->ascent = (int)(te->metrics[file][0] * (float)size_px + 0.99f);
    if (te->metrics[file][1] > 0) fi->descent = (int)(te->metrics[file][1] * (float)size_px + 0.99f);
    return te->nfonts++;
}

static int font_has(text_engine *te, int font, UChar32 cp)
{
    return font >= 0 && FT_Get_Char_Index(te->fonts[font].face, (FT_ULong)cp) != 0;
}

static int chain_pick(text_engine *te, const chain *c, int bold, UChar32 cp, int size)
{
    if (!c) return -1;
    int b = bold && c->nfiles[1] ? 1 : 0;
    for (int i = 0; i < c->nfiles[b]; i++) {
        int f = font_instance(te, c->files[b][i], size);
        if (font_has(te, f, cp)) return f;
    }
    return -1;
}

static int default_font(text_engine *te, int bold, int size)
{
    chain *c = chain_get(te, "default", 0);
    int b = bold && c->nfiles[1] && te->paths[c->files[1][0]] ? 1 : 0;
    int f = font_instance(te, c->files[b][0], size);
    return f >= 0 ? f : font_instance(te, c->files[0][0], size);
}

/* Any font of any chain, in configuration order (regular weight): the last resort before tofu. */
static int any_font(text_engine *te, UChar32 cp, int bold, int size)
{
    for (int c = 0; c < te->nchains; c++) {
        int f = chain_pick(te, &te->chains[c], bold, cp, size);
        if (f >= 0) return f;
    }
    return -1;
}

int text_font_covers(text_engine *te, uint32_t cp)
{
    return any_font(te, (UChar32)cp, 0, 16) >= 0;
}

/* The font for one character: language override, script chain, default, fallback. */
static int pick_font(text_engine *te, UChar32 cp, UScriptCode sc, const char *lang, int bold, int size)
{
    const char *sname = uscript_getShortName(sc);
    int f = -1;
    if (sname && lang && *lang) {
        char key[24], l[12];
        snprintf(l, sizeof l, "%s", lang);
        l[strcspn(l, "-_")] = 0;
        snprintf(key, sizeof key, "%s:%s", l, sname);
        f = chain_pick(te, chain_get(te, key, 0), bold, cp, size);
    }
    if (f < 0 && sname) f = chain_pick(te, chain_get(te, sname, 0), bold, cp, size);
    if (f < 0) f = chain_pick(te, chain_get(te, "default", 0), bold, cp, size);
    if (f < 0) f = chain_pick(te, chain_get(te, "fallback", 0), bold, cp, size);
    /* the Arabic comma in a Latin run: a font of another script's chain has it */
    if (f < 0) f = any_font(te, cp, bold, size);
    return f;
}

/* ---------- glyph cache ---------- */

/* Glyphs kept at most; past it the cache starts afresh (months of use must not grow memory). */
#define GLYPH_CACHE_MAX 3000

static glyph_bm *glyph_get(text_engine *te, int font, uint32_t gid)
{
    if (te->glyph_count >= GLYPH_CACHE_MAX) {
        glyph_cache_clear(te);
        memset(te->glyphs, 0, sizeof *te->glyphs * (size_t)te->glyph_cap);
        te->glyph_count = 0;
    }
    if (te->glyph_count * 2 >= te->glyph_cap) {
        /* Grow by rehashing, up to twice the entry limit. */
        int ncap = te->glyph_cap * 2;
        glyph_bm *ng = calloc((size_t)ncap, sizeof *ng);
        if (!ng) return NULL;
        for (int i = 0; i < te->glyph_cap; i++) {
            if (!te->glyphs[i].used) continue;
            unsigned h = ((unsigned)te->glyphs[i].font * 2654435761u ^ te->glyphs[i].gid * 40503u) & (unsigned)(ncap - 1);
            while (ng[h].used) h = (h + 1) & (unsigned)(ncap - 1);
            ng[h] = te->glyphs[i];
        }
        free(te->glyphs);
        te->glyphs = ng;
        te->glyph_cap = ncap;
    }
    unsigned mask = (unsigned)(te->glyph_cap - 1);
    unsigned h = ((unsigned)font * 2654435761u ^ gid * 40503u) & mask;
    while (te->glyphs[h].used) {
        if (te->glyphs[h].font == font && te->glyphs[h].gid == gid) return &te->glyphs[h];
        h = (h + 1) & mask;
    }
    glyph_bm *g = &te->glyphs[h];
    memset(g, 0, sizeof *g);
    g->used = 1;
    g->font = font;
    g->gid = gid;
    te->glyph_count++;
    FT_Face face = te->fonts[font].face;
    if (FT_Load_Glyph(face, gid, LOAD_FLAGS | FT_LOAD_RENDER) != 0) return g;
    FT_Bitmap *b = &face->glyph->bitmap;
    if (b->pixel_mode != FT_PIXEL_MODE_GRAY || b->width == 0 || b->rows == 0) return g;
    g->pixels = malloc((size_t)b->width * b->rows);
    if (!g->pixels) return g;
    g->w = (int)b->width;
    g->h = (int)b->rows;
    g->left = face->glyph->bitmap_left;
    g->top = face->glyph->bitmap_top;
    for (int y = 0; y < g->h; y++) memcpy(g->pixels + y * g->w, b->buffer + y * b->pitch, (size_t)g->w);
    return g;
}

/* ---------- LTR isolation ---------- */

#define LRI "\xE2\x81\xA6"
#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"
#define LRO "\xE2\x80\xAD"
#define PDF "\xE2\x80\xAC"

static int is_isolate_open(UChar32 c) { return c == 0x2066 || c == 0x2067 || c == 0x2068; }

/* A character of a code: ASCII letters and digits, the punctuation of phone numbers, e-mail and
 * web addresses, and the decimal digits of any script (۰۵۱۹۱-۱۲۳۴ is a phone number too). */
static int is_code_cp(UChar32 c)
{
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c && strchr("+-./:@_%#=?&~()", (int)c) != NULL);
    return u_isdigit(c);
}

static UChar32 cp_at(const char *s, size_t n, size_t i, size_t *next)
{
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_NEXT(s, k, (int32_t)n, c);
    *next = (size_t)k;
    return c;
}

/* Whether [a, e) holds an Arabic-Indic digit (bidi class AN): between two of them a '-' or ' '
 * is not joined by the bidi algorithm, even inside an isolate, so the groups would swap. */
static int has_arabic_number(const char *s, size_t a, size_t e)
{
    for (size_t i = a, nx; i < e; i = nx)
        if (u_charDirection(cp_at(s, e, i, &nx)) == U_ARABIC_NUMBER) return 1;
    return 0;
}

/* Append [a, e) of s to out at *o as a left-to-right unit. */
static void put_ltr(char *out, size_t *o, const char *s, size_t a, size_t e)
{
    int an = has_arabic_number(s, a, e);
    memcpy(out + *o, LRI, 3);
    *o += 3;
    if (an) { memcpy(out + *o, LRO, 3); *o += 3; }
    memcpy(out + *o, s + a, e - a);
    *o += e - a;
    if (an) { memcpy(out + *o, PDF, 3); *o += 3; }
    memcpy(out + *o, PDI, 3);
    *o += 3;
}

char *text_isolate_ltr(const char *s)
{
    size_t n = strlen(s);
    /* worst case: every token gets 12 bytes of LRI/LRO/PDF/PDI */
    char *out = malloc(n * 13 + 1);
    if (!out) return NULL;
    size_t o = 0, i = 0;
    int depth = 0; /* inside an isolate the caller made: already a unit, left alone */
    while (i < n) {
        size_t k;
        UChar32 c = cp_at(s, n, i, &k);
        if (is_isolate_open(c)) depth++;
        else if (c == 0x2069 && depth > 0) depth--;
        int starts = depth == 0 && ((c < 0x80 && ((c >= '0' && c <= '9') || c == '+' || (c >= 'a' && c <= 'z') ||
                                                  (c >= 'A' && c <= 'Z') || c == '(')) ||
                                    (c >= 0x80 && u_isdigit(c)));
        if (!starts) {
            memcpy(out + o, s + i, k - i);
            o += k - i;
            i = k;
            continue;
        }
        /* A token: code characters, with single spaces allowed between digit groups. */
        size_t j = i;
        int digits = 0, at = 0, seps = 0;
        UChar32 last = 0;
        while (j < n) {
            size_t nj;
            UChar32 d = cp_at(s, n, j, &nj);
            if (d >= 0 && is_code_cp(d)) {
                if (u_isdigit(d)) digits++;
                else if (d == '@') at = 1;
                else if (!((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) seps++;
                last = d;
                j = nj;
            } else if (d == ' ' && j > i && nj < n && (u_isdigit(last) || last == ')')) {
                size_t nn;
                UChar32 after = cp_at(s, n, nj, &nn);
                if (!(u_isdigit(after) || after == '(')) break;
                seps++;
                last = d;
                j = nj;
            } else {
                break;
            }
        }
        size_t end = j;
        while (end > i && strchr(".,:;", s[end - 1])) end--;
        if (end > i && s[end - 1] == ')' && !memchr(s + i, '(', end - i)) end--;
        size_t beg = i;
        if (s[beg] == '(' && !memchr(s + beg, ')', end - beg)) beg++;
        int url = (end - beg > 4 && (strncmp(s + beg, "http", 4) == 0 || strncmp(s + beg, "www.", 4) == 0));
        int isolate = end > beg && (at || url || (digits >= 3 && seps > 0));
        if (isolate) {
            memcpy(out + o, s + i, beg - i);
            o += beg - i;
            put_ltr(out, &o, s, beg, end);
            memcpy(out + o, s + end, j - end);
            o += j - end;
        } else {
            memcpy(out + o, s + i, j - i);
            o += j - i;
        }
        i = j > i ? j : k;
    }
    out[o] = 0;
    return out;
}

/* ---------- composed units ---------- */

int text_unit(char *buf, size_t len, const char *utf8, int kind)
{
    if (!len) return -1;
    buf[0] = 0;
    int n = text_unit_append(buf, len, NULL, utf8, kind);
    /* no room for the controls: the plain text is still better than nothing */
    if (n < 0 && utf8 && strlen(utf8) < len) snprintf(buf, len, "%s", utf8);
    return n;
}

int text_unit_append(char *buf, size_t len, const char *sep, const char *utf8, int kind)
{
    size_t o = strlen(buf), n = utf8 ? strlen(utf8) : 0;
    if (!n) return (int)o;
    size_t sl = o && sep ? strlen(sep) : 0;
    if (o + sl + n + 13 >= len) return -1;
    if (sl) memcpy(buf + o, sep, sl);
    o += sl;
    if (kind == TEXT_UNIT_LTR) {
        put_ltr(buf, &o, utf8, 0, n);
    } else {
        memcpy(buf + o, FSI, 3);
        memcpy(buf + o + 3, utf8, n);
        memcpy(buf + o + 3 + n, PDI, 3);
        o += n + 6;
    }
    buf[o] = 0;
    return (int)o;
}

int text_address(char *buf, size_t len, const char *name, const char *street, const char *postcode, const char *city,
                 const char *district)
{
    if (!len) return -1;
    buf[0] = 0;
    if (text_unit_append(buf, len, "\n", name, TEXT_UNIT_OWN) < 0) return -1;
    if (text_unit_append(buf, len, "\n", street, TEXT_UNIT_OWN) < 0) return -1;
    /* "29601 Heidemoor – Nord": the postcode first, as on the letter, whichever the reader's direction */
    char place[512] = "";
    if (text_unit_append(place, sizeof place, NULL, postcode, TEXT_UNIT_LTR) < 0) return -1;
    size_t pl = strlen(place);
    if (city && *city) pl += (size_t)snprintf(place + pl, sizeof place - pl, "%s%s", pl ? " " : "", city);
    if (district && *district && pl < sizeof place)
        pl += (size_t)snprintf(place + pl, sizeof place - pl, "%s%s", pl ? " – " : "", district);
    if (pl >= sizeof place) return -1;
    if (text_unit_append(buf, len, "\n", place, TEXT_UNIT_OWN) < 0) return -1;
    return (int)strlen(buf);
}

/* ---------- layout ---------- */

typedef struct item {
    int start, len;      /* UTF-16, absolute */
    int level;
    int font;
    int script;          /* UScriptCode, Common/Inherited already resolved from the neighbours */
    int first, count;    /* shaped glyphs in the scratch arrays */
} item;

typedef struct scratch {
    item *items;
    int nitems, cap_items;
    hb_glyph_info_t *info;
    hb_glyph_position_t *pos;
    int ninfo, cap_info;
    int32_t *adv;        /* per UTF-16 unit, 26.6 */
    int16_t *script;     /* per UTF-16 unit of the paragraph: resolved UScriptCode */
    int cap_script;
} scratch;

/* Room for `need` elements in a growing array: the array (moved if needed), or NULL when memory
 * ran out (the old array is still valid then). */
static void *grow(void *arr, int *cap, int need, size_t elem, int first)
{
    if (need <= *cap) return arr;
    int nc = *cap ? *cap : first;
    while (nc < need) nc *= 2;
    void *p = realloc(arr, elem * (size_t)nc);
    if (p) *cap = nc;
    return p;
}

static int push_item(scratch *s, item it)
{
    item *ni = grow(s->items, &s->cap_items, s->nitems + 1, sizeof *ni, 16);
    if (!ni) return 0;
    s->items = ni;
    s->items[s->nitems++] = it;
    return 1;
}

static int push_glyphs(scratch *s, const hb_glyph_info_t *info, const hb_glyph_position_t *pos, int n)
{
    if (s->ninfo + n > s->cap_info) {
        int cap = s->cap_info, cap2 = s->cap_info;
        hb_glyph_info_t *ni = grow(s->info, &cap, s->ninfo + n, sizeof *ni, 64);
        if (!ni) return 0;
        s->info = ni;
        hb_glyph_position_t *np = grow(s->pos, &cap2, s->ninfo + n, sizeof *np, 64);
        if (!np) return 0;
        s->pos = np;
        s->cap_info = cap;
    }
    memcpy(s->info + s->ninfo, info, sizeof *info * (size_t)n);
    memcpy(s->pos + s->ninfo, pos, sizeof *pos * (size_t)n);
    s->ninfo += n;
    return 1;
}

static int is_space16(UChar c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0 || c == 0x2009 || c == 0x200B;
}

static UBreakIterator *breaker(text_engine *te, const char *lang)
{
    const char *l = lang && *lang ? lang : "en";
    if (te->brk && strcmp(te->brk_lang, l) == 0) return te->brk;
    if (te->brk) ubrk_close(te->brk);
    UErrorCode e = U_ZERO_ERROR;
    te->brk = ubrk_open(UBRK_LINE, l, NULL, 0, &e);
    if (U_FAILURE(e)) { te->brk = NULL; return NULL; }
    snprintf(te->brk_lang, sizeof te->brk_lang, "%s", l);
    return te->brk;
}

typedef struct builder {
    text_layout *lo;
    int cap_lines, cap_glyphs;
} builder;

static int add_line(builder *b, text_line ln)
{
    text_layout *lo = b->lo;
    text_line *nl = grow(lo->lines, &b->cap_lines, lo->nlines + 1, sizeof *nl, 4);
    if (!nl) return 0;
    lo->lines = nl;
    lo->lines[lo->nlines++] = ln;
    return 1;
}

static int add_glyph(builder *b, text_glyph g)
{
    text_layout *lo = b->lo;
    text_glyph *ng = grow(lo->glyphs, &b->cap_glyphs, lo->nglyphs + 1, sizeof *ng, 64);
    if (!ng) return 0;
    lo->glyphs = ng;
    lo->glyphs[lo->nglyphs++] = g;
    return 1;
}

static int32_t range_width(const scratch *s, const UChar *t, int a, int e)
{
    while (e > a && is_space16(t[e - 1])) e--;
    int32_t w = 0;
    for (int i = a; i < e; i++) w += s->adv[i];
    return w;
}

/* Emit one line [a, e) of the paragraph whose bidi object is para (offsets relative to p0). */
static int emit_line(text_engine *te, builder *b, scratch *s, UBiDi *para, int p0, int a, int e, int rtl,
                     const text_style *st)
{
    text_layout *lo = b->lo;
    const UChar *t = lo->text16;
    int trim_end = e;
    while (trim_end > a && is_space16(t[trim_end - 1])) trim_end--;
    text_line ln = {.start = a, .end = e, .first_glyph = lo->nglyphs, .rtl = rtl};
    UErrorCode err = U_ZERO_ERROR;
    UBiDi *line = ubidi_openSized(e - a, 0, &err);
    if (U_FAILURE(err)) return 0;
    if (e > a) ubidi_setLine(para, a - p0, e - p0, line, &err);
    int32_t pen = 0;
    int asc = 0, desc = 0;
    int runs = (e > a && U_SUCCESS(err)) ? ubidi_countRuns(line, &err) : 0;
    for (int r = 0; r < runs && U_SUCCESS(err); r++) {
        int32_t rs, rl;
        UBiDiDirection dir = ubidi_getVisualRun(line, r, &rs, &rl);
        int ra = a + rs, re = a + rs + rl;
        for (int k = 0; k < s->nitems; k++) {
            const item *it = &s->items[dir == UBIDI_RTL ? s->nitems - 1 - k : k];
            if (it->start >= re || it->start + it->len <= ra) continue;
            for (int g = it->first; g < it->first + it->count; g++) {
                int cl = (int)s->info[g].cluster;
                if (cl < ra || cl >= re || cl >= trim_end) continue;
                text_glyph tg = {.gid = s->info[g].codepoint, .font = it->font, .cluster = cl,
                                 .x = pen + s->pos[g].x_offset, .y = -s->pos[g].y_offset};
                if (tg.gid == 0) lo->missing++;
                if (!add_glyph(b, tg)) { ubidi_close(line); return 0; }
                pen += s->pos[g].x_advance;
                if (te->fonts[it->font].ascent > asc) asc = te->fonts[it->font].ascent;
                if (te->fonts[it->font].descent > desc) desc = te->fonts[it->font].descent;
            }
        }
    }
    ubidi_close(line);
    if (asc == 0 && desc == 0) {
        int f = default_font(te, st->bold, st->size_px);
        asc = f >= 0 ? te->fonts[f].ascent : st->size_px;
        desc = f >= 0 ? te->fonts[f].descent : st->size_px / 4;
    }
    ln.nglyphs = lo->nglyphs - ln.first_glyph;
    ln.width = (int)((pen + 63) >> 6);
    ln.ascent = asc;
    ln.descent = desc;
    return add_line(b, ln);
}

static UScriptCode script_of(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &e);
    return U_FAILURE(e) ? USCRIPT_COMMON : sc;
}

/* Whether script sc may take c (UAX #24 Script_Extensions); a character without extensions
 * beyond Common/Inherited goes with any script. */
static int script_allows(UChar32 c, UScriptCode sc, UScriptCode *first)
{
    UScriptCode ext[16];
    UErrorCode e = U_ZERO_ERROR;
    int n = uscript_getScriptExtensions(c, ext, 16, &e);
    if (U_FAILURE(e)) n = 0;
    *first = USCRIPT_COMMON;
    int specific = 0;
    for (int i = 0; i < n; i++) {
        if (ext[i] == USCRIPT_COMMON || ext[i] == USCRIPT_INHERITED) continue;
        if (!specific) *first = ext[i];
        specific = 1;
        if (ext[i] == sc) return 1;
    }
    return !specific;
}

/*
 * The script of every character of [p0, p1): Common and Inherited characters (digits, spaces,
 * punctuation, marks) take the script of the text before them, or, when their Script_Extensions
 * rule that out (the Arabic comma after a Latin word is Arab/Syrc/Thaa/..., never Latn), of the
 * text after them, or else their first extension. An isolate (LRI/RLI/FSI ... PDI) is a world of
 * its own: a time range inside Urdu takes its script from its own letters.
 */
static int resolve_scripts(scratch *s, const UChar *t, int p0, int p1)
{
    int n = p1 - p0;
    int16_t *ns = grow(s->script, &s->cap_script, n + 1, sizeof *ns, 64);
    if (!ns) return 0;
    s->script = ns;
    /* backwards: the next real script within the same isolate, for each position */
    UScriptCode next = USCRIPT_COMMON;
    for (int i = p1; i > p0;) {
        UChar32 c;
        U16_PREV(t, p0, i, c);
        UScriptCode sc = script_of(c);
        if (is_isolate_open(c) || c == 0x2069) next = USCRIPT_COMMON;
        else if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) next = sc;
        s->script[i - p0] = (int16_t)next;
    }
    /* forwards: the previous real script, a stack of them across nested isolates */
    UScriptCode stack[16];
    int depth = 0;
    UScriptCode prev = USCRIPT_COMMON;
    for (int i = p0; i < p1;) {
        UChar32 c;
        int k = i;
        U16_NEXT(t, k, p1, c);
        UScriptCode sc = script_of(c), nx = (UScriptCode)s->script[i - p0], first = USCRIPT_COMMON;
        if (is_isolate_open(c)) {
            if (depth < 16) stack[depth] = prev;
            depth++;
            sc = prev != USCRIPT_COMMON ? prev : nx;
            prev = USCRIPT_COMMON;
        } else if (c == 0x2069 && depth > 0) {
            depth--;
            if (depth < 16) prev = stack[depth];
            sc = prev;
        } else if (sc == USCRIPT_INHERITED) {
            sc = prev != USCRIPT_COMMON ? prev : nx;
        } else if (sc == USCRIPT_COMMON) {
            if (prev != USCRIPT_COMMON && script_allows(c, prev, &first)) sc = prev;
            else if (nx != USCRIPT_COMMON && script_allows(c, nx, &first)) sc = nx;
            else sc = first != USCRIPT_COMMON ? first : prev != USCRIPT_COMMON ? prev : nx;
        }
        if (sc != USCRIPT_COMMON && !(c == 0x2069 || is_isolate_open(c))) prev = sc;
        for (int j = i; j < k; j++) s->script[j - p0] = (int16_t)sc;
        i = k;
    }
    return 1;
}

/* Shape and break one paragraph [p0, p1) of lo->text16. */
static int layout_paragraph(text_engine *te, builder *b, scratch *s, int p0, int p1, const text_style *st)
{
    text_layout *lo = b->lo;
    const UChar *t = lo->text16;
    int n = p1 - p0;
    UErrorCode err = U_ZERO_ERROR;
    UBiDi *para = ubidi_openSized(n, 0, &err);
    if (U_FAILURE(err)) return 0;
    UBiDiLevel base;
    if (st->dir == TEXT_DIR_RTL) base = 1;
    else if (st->dir == TEXT_DIR_LTR) base = 0;
    else base = st->dir_default == TEXT_DIR_RTL ? UBIDI_DEFAULT_RTL : UBIDI_DEFAULT_LTR;
    ubidi_setPara(para, t + p0, n, base, NULL, &err);
    if (U_FAILURE(err)) { ubidi_close(para); return 0; }
    int rtl = ubidi_getParaLevel(para) & 1;
    if (lo->nlines == 0) lo->rtl = rtl;
    const UBiDiLevel *levels = n ? ubidi_getLevels(para, &err) : NULL;

    /* Items: maximal runs of one bidi level, one script and one font. */
    s->nitems = 0;
    s->ninfo = 0;
    if (!resolve_scripts(s, t, p0, p1)) { ubidi_close(para); return 0; }
    int prev_font = -1, num_font = -1;
    item cur = {.start = p0, .len = 0, .level = -1, .font = -1};
    for (int i = p0; i < p1;) {
        UChar32 c;
        int k = i;
        U16_NEXT(t, k, p1, c);
        UScriptCode sc = (UScriptCode)s->script[i - p0];
        int8_t ct = (int8_t)u_charType(c);
        int digit = ct == U_DECIMAL_DIGIT_NUMBER;
        /* one font per number: the first digit picks it, the rest of the number keeps it */
        int in_number = num_font >= 0 && (digit || ((u_ispunct(c) || ct == U_SPACE_SEPARATOR) && k < p1 &&
                                                    u_isdigit(t[k]) && font_has(te, num_font, c)));
        int keep_prev = prev_font >= 0 &&
                        (ct == U_NON_SPACING_MARK || ct == U_ENCLOSING_MARK || ct == U_COMBINING_SPACING_MARK ||
                         u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == 0xFFFD ||
                         ((ct == U_SPACE_SEPARATOR || u_ispunct(c)) && sc == cur.script && font_has(te, prev_font, c)));
        int f;
        if (in_number && font_has(te, num_font, c)) f = num_font;
        else if (keep_prev && !digit) f = prev_font;
        else f = pick_font(te, c, sc, st->lang, st->bold, st->size_px);
        if (f < 0) f = prev_font >= 0 ? prev_font : default_font(te, st->bold, st->size_px);
        if (f < 0) { ubidi_close(para); return 0; }
        if (digit && !in_number) num_font = f;
        else if (!in_number) num_font = -1;
        int level = levels[i - p0];
        if (cur.len > 0 && (level != cur.level || f != cur.font || sc != cur.script)) {
            if (!push_item(s, cur)) { ubidi_close(para); return 0; }
            cur.start = i;
            cur.len = 0;
        }
        cur.level = level;
        cur.font = f;
        cur.script = sc;
        cur.len += k - i;
        prev_font = f;
        i = k;
    }
    if (cur.len > 0 && !push_item(s, cur)) { ubidi_close(para); return 0; }

    /* Shape each item with the paragraph as context, so joining crosses item edges. */
    for (int k = 0; k < s->nitems; k++) {
        item *it = &s->items[k];
        hb_buffer_t *hb = te->buf;
        hb_buffer_clear_contents(hb);
        hb_buffer_add_utf16(hb, t, lo->len16, (unsigned)it->start, it->len);
        hb_buffer_set_direction(hb, (it->level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        UScriptCode sc = (UScriptCode)it->script;
        const char *sn = uscript_getShortName(sc);
        hb_buffer_set_script(hb, sn ? hb_script_from_string(sn, -1) : HB_SCRIPT_COMMON);
        if (st->lang && *st->lang) hb_buffer_set_language(hb, hb_language_from_string(st->lang, -1));
        hb_buffer_guess_segment_properties(hb);
        hb_shape(te->fonts[it->font].hb, hb, NULL, 0);
        unsigned gn = 0;
        hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(hb, &gn);
        hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(hb, NULL);
        it->first = s->ninfo;
        it->count = (int)gn;
        if (!push_glyphs(s, gi, gp, (int)gn)) { ubidi_close(para); return 0; }
        for (unsigned g = 0; g < gn; g++) s->adv[gi[g].cluster] += gp[g].x_advance;
    }

    /* Greedy line breaking on ICU's break opportunities with the shaped widths. */
    int32_t maxw = st->max_width > 0 ? (int32_t)st->max_width * 64 : 0;
    UBreakIterator *bi = breaker(te, st->lang);
    int line_start = p0;
    if (bi && n > 0 && maxw > 0) {
        err = U_ZERO_ERROR;
        ubrk_setText(bi, t + p0, n, &err);
        int last_ok = -1;
        int32_t pos = ubrk_following(bi, 0);
        while (pos != UBRK_DONE && U_SUCCESS(err)) {
            int bpos = p0 + pos;
            if (range_width(s, t, line_start, bpos) <= maxw) {
                last_ok = bpos;
                int hard = ubrk_getRuleStatus(bi) >= UBRK_LINE_HARD;
                if (hard && bpos < p1) {
                    if (!emit_line(te, b, s, para, p0, line_start, bpos, rtl, st)) goto fail;
                    line_start = bpos;
                    last_ok = -1;
                }
                pos = ubrk_next(bi);
                continue;
            }
            if (last_ok > line_start) {
                if (!emit_line(te, b, s, para, p0, line_start, last_ok, rtl, st)) goto fail;
                line_start = last_ok;
                last_ok = -1;
                continue; /* re-test the same break on the new line */
            }
            /* One word wider than the line: cut it between characters (text_layout_make then
             * tries smaller sizes first). */
            lo->cut++;
            int cut = line_start, q = line_start;
            while (q < bpos) {
                UChar32 c;
                int nq = q;
                U16_NEXT(t, nq, bpos, c);
                (void)c;
                if (cut > line_start && range_width(s, t, line_start, nq) > maxw) break;
                cut = nq;
                q = nq;
            }
            if (!emit_line(te, b, s, para, p0, line_start, cut, rtl, st)) goto fail;
            line_start = cut;
            last_ok = -1;
        }
    }
    if (line_start < p1 || n == 0) {
        if (!emit_line(te, b, s, para, p0, line_start, p1, rtl, st)) goto fail;
    }
    ubidi_close(para);
    return 1;
fail:
    ubidi_close(para);
    return 0;
}

static text_layout *layout_text16(text_engine *te, UChar *t16, int len, const text_style *st)
{
    text_layout *lo = calloc(1, sizeof *lo);
    scratch s = {0};
    if (!lo) { free(t16); return NULL; }
    lo->text16 = (uint16_t *)t16;
    lo->len16 = len;
    s.adv = calloc((size_t)len + 1, sizeof *s.adv);
    if (!s.adv) goto fail;
    builder b = {.lo = lo};
    int p0 = 0;
    for (int i = 0; i <= len; i++) {
        if (i == len || t16[i] == '\n' || t16[i] == 0x2029) {
            if (!layout_paragraph(te, &b, &s, p0, i, st)) goto fail;
            p0 = i + 1;
        }
    }
    /* Stack lines and align them. */
    int widest = 0;
    for (int i = 0; i < lo->nlines; i++)
        if (lo->lines[i].width > widest) widest = lo->lines[i].width;
    lo->width = st->max_width > 0 ? st->max_width : widest;
    int y = 0;
    for (int i = 0; i < lo->nlines; i++) {
        text_line *ln = &lo->lines[i];
        ln->baseline = y + ln->ascent;
        y += ln->ascent + ln->descent;
        int right;
        switch (st->align) {
        case TEXT_ALIGN_END: right = !ln->rtl; break;
        case TEXT_ALIGN_LEFT: right = 0; break;
        case TEXT_ALIGN_RIGHT: right = 1; break;
        case TEXT_ALIGN_CENTER: right = -1; break;
        default: right = ln->rtl; break;
        }
        int slack = lo->width - ln->width;
        if (slack < 0) slack = 0;
        ln->x = right < 0 ? slack / 2 : right ? slack : 0;
    }
    lo->height = y;
    free(s.adv);
    free(s.items);
    free(s.info);
    free(s.pos);
    free(s.script);
    return lo;
fail:
    free(s.adv);
    free(s.items);
    free(s.info);
    free(s.pos);
    free(s.script);
    text_layout_free(lo);
    return NULL;
}

static UChar *to_utf16(const char *utf8, int *len)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(NULL, 0, &n, utf8, -1, 0xFFFD, NULL, &e);
    UChar *t = malloc(sizeof *t * (size_t)(n + 1));
    if (!t) return NULL;
    e = U_ZERO_ERROR;
    u_strFromUTF8WithSub(t, n + 1, &n, utf8, -1, 0xFFFD, NULL, &e);
    if (U_FAILURE(e)) { free(t); return NULL; }
    *len = n;
    return t;
}

static text_layout *layout_make(text_engine *te, const char *utf8, const text_style *st);

/* A word wider than the line ("Sprachkurse" in a tile with large text) is set smaller, by up to
 * this share of the size, before it is cut between characters: a cut word reads as two. */
#define SHRINK_MIN_PERCENT 70

text_layout *text_layout_make(text_engine *te, const char *utf8, const text_style *st)
{
    text_layout *lo = layout_make(te, utf8, st);
    if (!lo || !lo->cut || st->max_width <= 0) return lo;
    text_style small = *st;
    for (int pct = 94; pct >= SHRINK_MIN_PERCENT; pct -= 6) {
        small.size_px = st->size_px * pct / 100;
        if (small.size_px < 6 || small.size_px == st->size_px) continue;
        text_layout *cand = layout_make(te, utf8, &small);
        if (cand && !cand->cut) {
            text_layout_free(lo);
            return cand;
        }
        text_layout_free(cand);
    }
    return lo;
}

static text_layout *layout_make(text_engine *te, const char *utf8, const text_style *st)
{
    char *iso = text_isolate_ltr(utf8 ? utf8 : "");
    if (!iso) return NULL;
    int len = 0;
    UChar *t = to_utf16(iso, &len);
    if (!t) { free(iso); return NULL; }
    text_layout *lo = layout_text16(te, t, len, st);
    if (!lo || st->max_lines <= 0 || lo->nlines <= st->max_lines) { free(iso); return lo; }

    /* Too many lines: cut at a word boundary inside the last kept line and add an ellipsis. */
    int cut = lo->lines[st->max_lines - 1].end;
    text_layout_free(lo);
    lo = NULL;
    UBreakIterator *bi = breaker(te, st->lang);
    UErrorCode e = U_ZERO_ERROR;
    UChar *orig = to_utf16(iso, &len);
    free(iso);
    if (!orig || !bi) { free(orig); return NULL; }
    ubrk_setText(bi, orig, len, &e);
    for (int tries = 0; tries < 64 && cut > 0; tries++) {
        int end = cut;
        while (end > 0 && (is_space16(orig[end - 1]) || u_ispunct(orig[end - 1]))) end--;
        UChar *tt = malloc(sizeof *tt * (size_t)(end + 2));
        if (!tt) break;
        memcpy(tt, orig, sizeof *tt * (size_t)end);
        tt[end] = 0x2026;
        tt[end + 1] = 0;
        text_layout *cand = layout_text16(te, tt, end + 1, st);
        if (!cand || cand->nlines <= st->max_lines) { lo = cand; break; }
        text_layout_free(cand);
        ubrk_setText(bi, orig, len, &e);
        int32_t p = ubrk_preceding(bi, cut);
        cut = (p == UBRK_DONE || p >= cut) ? cut - 1 : p;
    }
    free(orig);
    return lo;
}

void text_layout_free(text_layout *lo)
{
    if (!lo) return;
    free(lo->text16);
    free(lo->lines);
    free(lo->glyphs);
    free(lo);
}

/* Where a glyph's bitmap lands relative to the layout's top-left; NULL for glyphs without ink.
 * Looked up afresh by each caller: a later glyph_get may move or clear the cache. */
static const glyph_bm *place(text_engine *te, const text_line *ln, const text_glyph *g, int *gx, int *gy)
{
    glyph_bm *gb = glyph_get(te, g->font, g->gid);
    if (!gb || !gb->pixels) return NULL;
    *gx = ln->x + (int)((g->x + 32) >> 6) + gb->left;
    *gy = ln->baseline + (int)((g->y + 32) >> 6) - gb->top;
    return gb;
}

text_bitmap *text_layout_render(text_engine *te, const text_layout *lo)
{
    text_bitmap *bm = calloc(1, sizeof *bm);
    if (!bm) return NULL;
    /* Only the inked span: a right-aligned line in a wide box costs its own width, not the box's. */
    int x0 = lo->width, x1 = 0, y0 = 0, y1 = lo->height > 0 ? lo->height : 1;
    for (int l = 0; l < lo->nlines; l++) {
        const text_line *ln = &lo->lines[l];
        for (int i = ln->first_glyph; i < ln->first_glyph + ln->nglyphs; i++) {
            int gx, gy;
            const glyph_bm *gb = place(te, ln, &lo->glyphs[i], &gx, &gy);
            if (!gb) continue;
            if (gx < x0) x0 = gx;
            if (gx + gb->w > x1) x1 = gx + gb->w;
            /* ink may reach beyond the line box (tall Nastaliq words): keep it, never clip it */
            if (gy < y0) y0 = gy;
            if (gy + gb->h > y1) y1 = gy + gb->h;
        }
    }
    if (x1 <= x0) { x0 = 0; x1 = 1; }
    bm->x = x0;
    bm->y = y0;
    bm->w = x1 - x0;
    bm->h = y1 - y0;
    bm->pitch = bm->w;
    bm->rtl = lo->rtl;
    bm->nlines = lo->nlines;
    bm->baseline = lo->nlines ? lo->lines[0].baseline - y0 : 0;
    bm->pixels = calloc((size_t)bm->pitch * (size_t)bm->h, 1);
    if (!bm->pixels) { free(bm); return NULL; }
    for (int l = 0; l < lo->nlines; l++) {
        const text_line *ln = &lo->lines[l];
        for (int i = ln->first_glyph; i < ln->first_glyph + ln->nglyphs; i++) {
            int gx, gy;
            const glyph_bm *gb = place(te, ln, &lo->glyphs[i], &gx, &gy);
            if (!gb) continue;
            gx -= x0;
            gy -= y0;
            for (int y = 0; y < gb->h; y++) {
                int py = gy + y;
                if (py < 0 || py >= bm->h) continue;
                uint8_t *row = bm->pixels + (size_t)py * (size_t)bm->pitch;
                const uint8_t *src = gb->pixels + y * gb->w;
                for (int x = 0; x < gb->w; x++) {
                    int px = gx + x;
                    if (px < 0 || px >= bm->w || !src[x]) continue;
                    int v = row[px] + src[x];
                    row[px] = (uint8_t)(v > 255 ? 255 : v);
                }
            }
        }
    }
    return bm;
}

void text_bitmap_free(text_bitmap *bm)
{
    if (!bm) return;
    free(bm->pixels);
    free(bm);
}

void text_measure(text_engine *te, const char *utf8, const text_style *st, int *w, int *h)
{
    text_layout *lo = text_layout_make(te, utf8, st);
    *w = lo ? lo->width : 0;
    *h = lo ? lo->height : 0;
    text_layout_free(lo);
}

int text_line_visual_utf8(const text_layout *lo, int line, char *buf, size_t buflen)
{
    if (line < 0 || line >= lo->nlines || buflen == 0) return -1;
    const text_line *ln = &lo->lines[line];
    size_t o = 0;
    int prev = -1;
    for (int i = ln->first_glyph; i < ln->first_glyph + ln->nglyphs; i++) {
        int cl = lo->glyphs[i].cluster;
        if (cl == prev) continue; /* one cluster, several glyphs (marks, ligature parts) */
        prev = cl;
        UChar32 c;
        int k = cl;
        U16_NEXT(lo->text16, k, lo->len16, c);
        if ((c >= 0x2066 && c <= 0x2069) || (c >= 0x202A && c <= 0x202E)) continue; /* bidi controls */
        char tmp[8];
        int32_t n = 0;
        UErrorCode e = U_ZERO_ERROR;
        u_strToUTF8(tmp, sizeof tmp, &n, (const UChar *)lo->text16 + cl, k - cl, &e);
        if (U_FAILURE(e) || o + (size_t)n + 1 > buflen) return -1;
        memcpy(buf + o, tmp, (size_t)n);
        o += (size_t)n;
    }
    buf[o] = 0;
    return (int)o;
}
