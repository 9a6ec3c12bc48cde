/*
 * fonts.c: the text engine's fonts (text_priv.h): fallback.ini read into per-script chains of font
 * files, one FreeType face (read with pread) and one HarfBuzz face (a mapping) per file with sizes
 * and HarfBuzz fonts per size, the font for each character, the glyph bitmap cache, and the line
 * breakers kept by language. No layout here, no SDL window or renderer; a font path that does not
 * fit PATH_MAX is not looked for.
 */
#include "text_priv.h"

#include FT_SIZES_H

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unistd.h>

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
    FT_Face *nff = realloc(te->ftfaces, sizeof *nff * (size_t)(te->nfiles + 1));
    if (!nff) return -1;
    te->ftfaces = nff;
    te->ftfaces[te->nfiles] = NULL;
    struct ft_stream **nst = realloc(te->ftstreams, sizeof *nst * (size_t)(te->nfiles + 1));
    if (!nst) return -1;
    te->ftstreams = nst;
    te->ftstreams[te->nfiles] = NULL;
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
    te->pick.valid = 0;
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
            char p[PATH_MAX];
            /* a path cut short could be another font: one that does not fit is not looked for */
            int n = snprintf(p, sizeof p, "%s/%s", te->dirs[d], te->files[i]);
            FILE *f = n >= 0 && (size_t)n < sizeof p ? fopen(p, "rb") : NULL;
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
    for (int i = 0; i < te->nfonts; i++) hb_font_destroy(te->fonts[i].hb);
    free(te->fonts);
    /* a face frees its sizes and closes its stream */
    for (int i = 0; te->ftfaces && i < te->nfiles; i++)
        if (te->ftfaces[i]) FT_Done_Face(te->ftfaces[i]);
    free(te->ftfaces);
    for (int i = 0; te->ftstreams && i < te->nfiles; i++) {
        if (te->ftstreams[i] && te->ftstreams[i]->fd >= 0) close(te->ftstreams[i]->fd);
        free(te->ftstreams[i]);
    }
    free(te->ftstreams);
    if (te->ft) FT_Done_FreeType(te->ft);
    for (int i = 0; i < te->nfiles; i++) { free(te->files[i]); free(te->paths[i]); }
    for (int i = 0; te->hbfaces && i < te->nfiles; i++) hb_face_destroy(te->hbfaces[i]);
    free(te->hbfaces);
    free(te->files);
    free(te->paths);
    free(te->metrics);
    for (int i = 0; i < te->ndirs; i++) free(te->dirs[i]);
    free(te->chains);
    for (int i = 0; i < TEXT_BRK_KEEP; i++)
        if (te->brk[i].bi) ubrk_close(te->brk[i].bi);
    hb_buffer_destroy(te->buf);
    free(te);
}

const char *text_font_name(const text_engine *te, int i)
{
    if (i < 0 || i >= te->nfonts) return NULL;
    return te->files[te->fonts[i].file];
}

/* ---------- font instances and selection ---------- */

static unsigned long ft_read(FT_Stream st, unsigned long offset, unsigned char *buf, unsigned long count)
{
    struct ft_stream *fs = st->descriptor.pointer;
    /* a count of 0 asks to seek: 0 when offset is in the file */
    if (count == 0) return offset > st->size;
    unsigned long done = 0;
    while (done < count) {
        ssize_t n = pread(fs->fd, buf + done, count - done, (off_t)(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (unsigned long)n;
    }
    return done;
}

static void ft_close(FT_Stream st)
{
    struct ft_stream *fs = st->descriptor.pointer;
    if (fs->fd >= 0) close(fs->fd);
    fs->fd = -1;
}

/*
 * FreeType's face on the file read with pread, HarfBuzz's on a mapping of it. FreeType reads a
 * font's names and each glyph's outline once and keeps what it needs on the heap; read from the
 * mapping, each of those reads mapped the 64 KiB of file around it into the resident set (the
 * kernel's fault-around), half a MiB at the first frame. HarfBuzz reads its tables in place.
 */
static int ft_face_open(text_engine *te, int file)
{
    struct ft_stream *fs = calloc(1, sizeof *fs);
    if (!fs) return -1;
    struct stat sb;
    fs->fd = open(te->paths[file], O_RDONLY | O_CLOEXEC);
    int ok = fs->fd >= 0 && fstat(fs->fd, &sb) == 0 && sb.st_size > 0 && (uint64_t)sb.st_size <= ULONG_MAX;
    if (ok) {
        fs->rec.size = (unsigned long)sb.st_size;
        fs->rec.descriptor.pointer = fs;
        fs->rec.read = ft_read;
        fs->rec.close = ft_close;
        FT_Open_Args args = {.flags = FT_OPEN_STREAM, .stream = &fs->rec};
        ok = FT_Open_Face(te->ft, &args, 0, &te->ftfaces[file]) == 0;
    }
    if (!ok) {
        /* a face that failed has closed its stream (ft_close) */
        te->ftfaces[file] = NULL;
        if (fs->fd >= 0) close(fs->fd);
        free(fs);
        return -1;
    }
    te->ftstreams[file] = fs;
    return 0;
}

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
    /* One FreeType face per file with a size per instance (and one HarfBuzz face, text_font_hb):
     * a face per instance mapped the file again for each size (each copy's pages counted in the
     * resident set) and parsed its tables again. */
    if (!te->ftfaces[file] && ft_face_open(te, file) != 0) return -1;
    fi->face = te->ftfaces[file];
    if (FT_New_Size(fi->face, &fi->size) || FT_Activate_Size(fi->size) ||
        FT_Set_Pixel_Sizes(fi->face, 0, (FT_UInt)size_px)) {
        if (fi->size) FT_Done_Size(fi->size);
        return -1;
    }
    fi->file = file;
    fi->size_px = size_px;
    fi->ascent = (int)((fi->size->metrics.ascender + 63) >> 6);
    fi->descent = (int)((-fi->size->metrics.descender + 63) >> 6);
    if (te->metrics[file][0] > 0) fi->ascent = (int)(te->metrics[file][0] * (float)size_px + 0.99f);
    if (te->metrics[file][1] > 0) fi->descent = (int)(te->metrics[file][1] * (float)size_px + 0.99f);
    return te->nfonts++;
}

hb_font_t *text_font_hb(text_engine *te, int font)
{
    font_inst *fi = &te->fonts[font];
    if (fi->hb) return fi->hb;
    /* on first shaping: a font asked only for its line height or its characters (the language
     * screen's headings measure every script) never maps the file */
    if (!te->hbfaces[fi->file]) {
        hb_blob_t *blob = hb_blob_create_from_file(te->paths[fi->file]);
        te->hbfaces[fi->file] = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
    }
    /* HarfBuzz's own OpenType functions on the shared face; positions in 1/64 px */
    fi->hb = hb_font_create(te->hbfaces[fi->file]);
    hb_font_set_scale(fi->hb, fi->size_px * 64, fi->size_px * 64);
    return fi->hb;
}

int text_font_has(text_engine *te, int font, UChar32 cp)
{
    return font >= 0 && FT_Get_Char_Index(te->fonts[font].face, (FT_ULong)cp) != 0;
}

static int chain_pick(text_engine *te, const chain *c, int bold, UChar32 cp, int size)
{
    if (!c) return -1;
    int b = bold && c->nfiles[1] ? 1 : 0;
    for (int i = 0; i < c->nfiles[b]; i++) {
        int f = font_instance(te, c->files[b][i], size);
        if (text_font_has(te, f, cp)) return f;
    }
    return -1;
}

int text_default_font(text_engine *te, int bold, int size)
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
/* The files text_pick_font tries for (sc, lang, bold, size), in order, into te->pick: the chains
 * of the language's script ("ur:Arab"), the script, default and fallback. */
static void pick_memo_fill(text_engine *te, UScriptCode sc, const char *l, int bold, int size)
{
    struct pick_memo *m = &te->pick;
    *m = (struct pick_memo){.valid = 1, .sc = sc, .bold = bold, .size = size};
    snprintf(m->lang, sizeof m->lang, "%s", l);
    const char *sname = uscript_getShortName(sc);
    char key[24] = "";
    if (sname && l[0]) snprintf(key, sizeof key, "%s:%s", l, sname);
    const chain *cs[4] = {key[0] ? chain_get(te, key, 0) : NULL, sname ? chain_get(te, sname, 0) : NULL,
                          chain_get(te, "default", 0), chain_get(te, "fallback", 0)};
    for (int k = 0; k < 4; k++) {
        if (!cs[k]) continue;
        int b = bold && cs[k]->nfiles[1] ? 1 : 0;
        for (int i = 0; i < cs[k]->nfiles[b]; i++) {
            m->file[m->n] = cs[k]->files[b][i];
            m->inst[m->n++] = -2;
        }
    }
}

int text_pick_font(text_engine *te, UChar32 cp, UScriptCode sc, const char *lang, int bold, int size)
{
    /* the language without its region ("pt" of "pt-BR") */
    char l[12] = "";
    size_t ln = lang ? strcspn(lang, "-_") : 0;
    if (ln < sizeof l) {
        memcpy(l, lang, ln);
        l[ln] = 0;
    } else {
        snprintf(l, sizeof l, "%s", lang); /* cut, as the key always was */
    }
    struct pick_memo *m = &te->pick;
    if (!m->valid || m->sc != (int)sc || m->bold != bold || m->size != size || strcmp(m->lang, l))
        pick_memo_fill(te, sc, l, bold, size);
    for (int i = 0; i < m->n; i++) {
        if (m->inst[i] == -2) m->inst[i] = font_instance(te, m->file[i], size);
        if (text_font_has(te, m->inst[i], cp)) return m->inst[i];
    }
    /* the Arabic comma in a Latin run: a font of another script's chain has it */
    return any_font(te, cp, bold, size);
}

/* ---------- glyph cache ---------- */

/* Glyphs kept at most; past it the cache starts afresh (months of use must not grow memory). */
#define GLYPH_CACHE_MAX 3000

glyph_bm *text_glyph_get(text_engine *te, int font, uint32_t gid)
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
    if (FT_Activate_Size(te->fonts[font].size) != 0 || FT_Load_Glyph(face, gid, LOAD_FLAGS | FT_LOAD_RENDER) != 0)
        return g;
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

/* ---------- line breakers ---------- */

UBreakIterator *text_breaker(text_engine *te, const char *lang)
{
    const char *l = lang && *lang ? lang : "en";
    for (int i = 0; i < TEXT_BRK_KEEP; i++)
        if (te->brk[i].bi && strcmp(te->brk[i].lang, l) == 0) return te->brk[i].bi;
    struct text_brk *b = &te->brk[te->brk_next];
    te->brk_next = (te->brk_next + 1) % TEXT_BRK_KEEP;
    if (b->bi) ubrk_close(b->bi);
    UErrorCode e = U_ZERO_ERROR;
    b->bi = ubrk_open(UBRK_LINE, l, NULL, 0, &e);
    if (U_FAILURE(e)) { b->bi = NULL; return NULL; }
    snprintf(b->lang, sizeof b->lang, "%s", l);
    return b->bi;
}

/* Is [p0, p1) one word to line breaking, with no break opportunity inside (UAX #14: letters of
 * class AL, digits NU, combining marks after them, an ellipsis only at the end)? Then its only
 * boundary is its end, and a label cut to fit ("Startseit…") needs no break iterator either. */
int text_one_word(const UChar *t, int p0, int p1)
{
    for (int i = p0; i < p1;) {
        UChar32 c;
        int k = i;
        U16_NEXT(t, k, p1, c);
        int lb = u_getIntPropertyValue(c, UCHAR_LINE_BREAK);
        if (lb != U_LB_ALPHABETIC && lb != U_LB_NUMERIC && !(lb == U_LB_COMBINING_MARK && i > p0) &&
            !(lb == U_LB_INSEPARABLE && k == p1))
            return 0;
        i = k;
    }
    return 1;
}
