/*
 * text: the kiosk's text engine. UTF-8 in, positioned glyphs and an 8-bit coverage bitmap out.
 *
 * SDL_ttf shapes one run at a time and does no bidi, no script itemisation, no font fallback
 * and no line breaking, so this room does the pipeline itself, per paragraph:
 *
 *   ICU bidi (ubidi_setPara) -> script runs (uscript, Script_Extensions for Common characters)
 *   -> a font per run from the fallback chain in fonts/fallback.ini (any configured font before
 *   tofu) -> HarfBuzz shaping with direction, script and language -> ICU line
 *   breaking (UBRK_LINE) on logical text with the shaped widths -> ubidi_setLine per line ->
 *   visual runs -> glyphs rasterised by FreeType into a glyph cache.
 *
 * The room knows nothing of screens or SDL: callers get a bitmap and turn it into whatever
 * their renderer wants.
 */
#ifndef KIOSK_TEXT_H
#define KIOSK_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct text_engine text_engine;

enum text_dir { TEXT_DIR_AUTO = 0, TEXT_DIR_LTR = 1, TEXT_DIR_RTL = 2 };
/* START/END follow the paragraph's resolved direction; LEFT/RIGHT are absolute. */
enum text_align { TEXT_ALIGN_START = 0, TEXT_ALIGN_END, TEXT_ALIGN_CENTER, TEXT_ALIGN_LEFT, TEXT_ALIGN_RIGHT };

typedef struct text_style {
    const char *lang;   /* BCP 47 tag of the text ("ar", "fa", "prs", "ti"); picks fonts and shaping */
    int size_px;        /* nominal pixel size (em) */
    int bold;
    int max_width;      /* wrap width in px; 0 = one line per paragraph, no wrapping */
    int max_lines;      /* 0 = unlimited; the last kept line ends in an ellipsis */
    int dir;            /* enum text_dir: base direction of paragraphs; AUTO = first strong char,
                           falling back to dir_default */
    int dir_default;    /* TEXT_DIR_LTR or TEXT_DIR_RTL, used by AUTO when no strong char */
    int align;          /* enum text_align */
} text_style;

/* One positioned glyph. x/y are in 1/64 px from the layout's top-left, baseline-relative y. */
typedef struct text_glyph {
    uint32_t gid;
    int font;           /* index into the engine's font table */
    int cluster;        /* UTF-16 offset of the glyph's cluster in text_layout.text16 */
    int32_t x, y;
} text_glyph;

typedef struct text_line {
    int start, end;     /* logical UTF-16 range [start, end) in text16 */
    int first_glyph, nglyphs;   /* glyphs of this line in visual order */
    int width;          /* px, without trailing white space */
    int x;              /* px offset after alignment */
    int baseline;       /* px from the layout's top */
    int ascent, descent;
    int rtl;            /* the line's paragraph is right-to-left */
} text_line;

typedef struct text_layout {
    uint16_t *text16;   /* the text as laid out (after LTR isolation), UTF-16 */
    int len16;
    text_line *lines;
    int nlines;
    text_glyph *glyphs;
    int nglyphs;
    int width, height;  /* px; width is max_width when wrapping, else the widest line */
    int rtl;            /* first paragraph is right-to-left */
    int missing;        /* number of glyphs no font had (tofu) */
    int cut;            /* words cut between characters: wider than the line even when set smaller */
    int cut_line;       /* the line of the first such cut (when cut) */
    int cut_width;      /* px: the widest word cut (when cut) */
    int truncated;      /* more lines than max_lines: the last kept line ends in an ellipsis */
} text_layout;

typedef struct text_bitmap {
    int x, y;           /* px from the layout's top-left to the bitmap's: only inked columns are kept,
                           and ink above or below the line boxes is kept too (y may be negative) */
    int w, h, pitch;
    uint8_t *pixels;    /* 8-bit coverage, row-major */
    int rtl;
    int baseline;       /* of the first line, px */
    int nlines;
} text_bitmap;

/*
 * Open the engine with the fallback configuration at conf_path (see fonts/fallback.ini).
 * Returns 0 and sets *out, or -1 with a message in err.
 */
int text_engine_open(text_engine **out, const char *conf_path, char *err, size_t errlen);
void text_engine_close(text_engine *te);

/*
 * Lay out UTF-8 text (invalid sequences become U+FFFD). Lines break where ICU's line breaking
 * allows; a word wider than max_width is set up to 30 % smaller (the whole text, so a tile label
 * stays one size) and only cut between characters when even that does not fit. Returns NULL
 * only on out-of-memory.
 */
text_layout *text_layout_make(text_engine *te, const char *utf8, const text_style *st);
void text_layout_free(text_layout *lo);

/*
 * The height text_layout_make gives one unwrapped line of letters (each of a script of its own,
 * not Common or Inherited: "Ag", "بگ", "ቋ"), from the fonts' line metrics alone: no shaping, no
 * glyph loaded, so a font asked only for its height has its table directory, metrics and cmap
 * read, not its layout tables (HarfBuzz reads GSUB and GPOS whole: most of a Nastaliq font).
 * 0 for empty text or when no font can be opened.
 */
int text_line_height(text_engine *te, const char *utf8, const text_style *st);

/* Rasterise a layout into a new bitmap the caller frees with text_bitmap_free(). */
text_bitmap *text_layout_render(text_engine *te, const text_layout *lo);
void text_bitmap_free(text_bitmap *bm);

/* Width and height a text would take (a layout made and freed). */
void text_measure(text_engine *te, const char *utf8, const text_style *st, int *w, int *h);

/* Whether any font of the configuration has a glyph for code point cp (tests: avoidable tofu). */
int text_font_covers(text_engine *te, uint32_t cp);

/* File name (not path) of font number i, for tests and diagnostics; NULL when out of range. */
const char *text_font_name(const text_engine *te, int i);

/*
 * Characters of one line in visual order (left to right as a reader's eye meets them), as
 * UTF-8 into buf. For tests: "+49 5191 1000" in Arabic text must come out in that order.
 */
int text_line_visual_utf8(const text_layout *lo, int line, char *buf, size_t buflen);

/*
 * Wrap phone numbers (in any digit system), e-mail addresses, URLs and other digit/Latin codes
 * in LRI ... PDI so they read left to right inside right-to-left text; text_layout_make does this
 * to every text. Text inside an isolate the caller made (text_unit) is left alone. Returns a new
 * string the caller frees.
 */
char *text_isolate_ltr(const char *utf8);

/*
 * Composed units: numbers and addresses inside text of either direction. The screens compose
 * address lines, time ranges, phone numbers, codes and postcodes through these, so that the
 * bidi algorithm keeps each whole ("29601 Heidemoor" stays so in an Arabic confirmation) and
 * its digits are set in one font.
 */
enum text_unit_kind {
    TEXT_UNIT_LTR = 0,  /* phone numbers, booking codes, postcodes, e-mail and web addresses: left to
                           right in any digit system (LRI...PDI; with Arabic-Indic digits, whose bidi
                           class would swap the groups of a phone number, LRO...PDF inside) */
    TEXT_UNIT_OWN = 1,  /* address lines, time ranges, dates: their own direction, from their first
                           strong letter (FSI...PDI): "9:00 AM – 12:00 PM" inside Urdu, "٩:٠٠ ص – ١٢:٠٠ م"
                           inside Arabic */
};

/* utf8 as one unit into buf (len bytes). Returns the length, or -1 when it does not fit (buf
 * then holds the plain text if that fits, else ""). */
int text_unit(char *buf, size_t len, const char *utf8, int kind);

/* Append utf8 as one unit to the string in buf, after sep when buf is not empty (phone numbers
 * one a line: sep "\n"). NULL or empty utf8 appends nothing. Returns the new length or -1. */
int text_unit_append(char *buf, size_t len, const char *sep, const char *utf8, int kind);

/*
 * An address as display lines, each a unit of its own direction: name, street, then postcode
 * (a left-to-right unit), city and district ("29601 Heidemoor – Nord"). NULL or empty parts are
 * left out. For the screen only: an iCalendar LOCATION wants the plain text. Returns the
 * length or -1.
 */
int text_address(char *buf, size_t len, const char *name, const char *street, const char *postcode, const char *city,
                 const char *district);

/* Cache statistics since open, for the bench. */
void text_cache_stats(const text_engine *te, long *hits, long *misses);

#endif
