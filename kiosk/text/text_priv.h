/*
 * text_priv.h: what the text room's files share and nobody else sees: the engine, its fonts and
 * the glyph cache (fonts.c), used by layout (layout.c) and drawing (render.c).
 */
#ifndef KIOSK_TEXT_PRIV_H
#define KIOSK_TEXT_PRIV_H

#include "text.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/utypes.h>

#define MAX_CHAIN 8
#define MAX_DIRS 8
/* Unhinted: on the kiosk's screens (800x480 to 1920x1080) light hinting changed next to nothing
 * one can see, and FreeType's auto-hinter cost each face a style analysis and each glyph a fit:
 * about 9 % of the first frame's instructions (58.75 M -> 53.22 M) and 7 % of the Arabic list's.
 * The advances come from HarfBuzz, unhinted either way. */
#define LOAD_FLAGS (FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_HINTING)

/* A font file at one pixel size: the unit that shapes and rasterises. */
typedef struct font_inst {
    int file;
    int size_px;
    FT_Face face;        /* the file's face (ftfaces), shared by all sizes */
    FT_Size size;        /* this instance's size on it: activate before loading a glyph */
    hb_font_t *hb;       /* NULL until text_font_hb */
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

#define TEXT_BRK_KEEP 20

struct text_engine {
    FT_Library ft;
    char *dirs[MAX_DIRS];
    int ndirs;
    char **files;        /* file names */
    char **paths;        /* resolved paths, NULL when not found */
    float (*metrics)[2]; /* per file: ascent, descent in em from [metrics FILE]; 0 = the font's own */
    hb_face_t **hbfaces; /* per file, shared by all sizes: one mapping of the big shaping tables */
    FT_Face *ftfaces;    /* per file, read through ftstreams */
    struct ft_stream {   /* per file: FreeType reads the file with pread, not from a mapping */
        FT_StreamRec rec;
        int fd;
    } **ftstreams;
    int nfiles;
    chain *chains;
    int nchains;
    font_inst *fonts;
    int nfonts;
    glyph_bm *glyphs;    /* open-addressing hash */
    int glyph_cap, glyph_count;
    /* line breakers by language, kept: the language screen lays out every offered language
     * in turn, and opening one costs about 60,000 instructions */
    struct text_brk {
        UBreakIterator *bi;
        char lang[16];
    } brk[TEXT_BRK_KEEP];
    int brk_next; /* the slot a new language takes when all are used */
    /* text_pick_font's last question (script, language, weight, size) and the fonts it tries
     * in their order, each made on first need: the characters of a run ask the same one, and
     * walking the chains afresh (two snprintf, the chains' keys, the instances) was 2,500
     * instructions a character */
    struct pick_memo {
        int valid, sc, bold, size;
        char lang[12];
        int n;
        int file[4 * MAX_CHAIN], inst[4 * MAX_CHAIN]; /* inst -2: not asked yet */
    } pick;
    hb_buffer_t *buf;
    char err[256];
};


/* The font (index into fonts) for cp in script sc and language lang at size, or -1 (fonts.c). */
int text_pick_font(text_engine *te, UChar32 cp, UScriptCode sc, const char *lang, int bold, int size);
/* The HarfBuzz font of font, made on the first call (it maps the file). */
hb_font_t *text_font_hb(text_engine *te, int font);
/* Does font have a glyph for cp? */
int text_font_has(text_engine *te, int font, UChar32 cp);
/* The first font of the default chain at size, or -1. */
int text_default_font(text_engine *te, int bold, int size);
/* The cached bitmap of glyph gid in font; its pixels NULL when it has no ink. A later call may
 * move or clear the cache: look it up afresh rather than keep the pointer. */
glyph_bm *text_glyph_get(text_engine *te, int font, uint32_t gid);

/* The line breaker for lang, kept in the engine (at most TEXT_BRK_KEEP), or NULL (fonts.c). */
UBreakIterator *text_breaker(text_engine *te, const char *lang);
/* Whether t[p0, p1) has no line break opportunity inside, by its characters' classes alone. */
int text_one_word(const UChar *t, int p0, int p1);

/* Opens a bidi isolate (LRI, RLI, FSI); PDI closes one. */
static inline int text_is_isolate_open(UChar32 c) { return c == 0x2066 || c == 0x2067 || c == 0x2068; }

#endif
