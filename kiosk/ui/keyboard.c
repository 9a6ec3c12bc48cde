/*
 * keyboard.c: the on-screen keyboard, one layout per script. A kiosk has no physical keyboard,
 * and a newcomer knows the layout of a phone in their own script, so each layout follows the
 * common one (QWERTZ, QWERTY, the Arabic, Persian, Pashto, Sorani, Urdu and Russian/Ukrainian
 * phone layouts). Keyboards are never mirrored: a layout is a physical arrangement.
 *
 * Ethiopic has over 200 syllables: a consonant key is tapped first, then one of its forms from
 * a row that takes the place of the top row: the seven vowel orders and the labialised (wa)
 * forms (ቋ, ኳ, ጓ, ሏ ...). Which forms a consonant has is read from the Unicode character names
 * (ICU), not listed here: "ETHIOPIC SYLLABLE QWAA" is the wä-order of "ETHIOPIC SYLLABLE QA".
 * Space, clear and delete stay where they are while a consonant waits.
 *
 * Keys are at least 10 mm at the panel's density (ISO 9241-411 asks about 9.5 mm for a finger).
 * Where the rows would not fit at that size (a 7" panel), the row that switches scripts folds
 * into one key that opens the choice of scripts in place of the letters.
 *
 * Lower case only: search folds case anyway, and one case halves what a person must scan.
 */
#include "widgets.h"

#include "booking/code.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>

typedef struct kb_layout {
    const char *id;
    int fixed;          /* for one field only (phone, booking code): not on the script switch */
    const char *label;  /* on the layout switch: three letters of the script */
    const char *lang;   /* for shaping the key captions */
    const char *rows[5];
    const char *chars;  /* instead of rows: one key per character of this alphabet (ASCII) */
    int nrows;          /* in this many rows, the first ones longer when it does not divide */
} kb_layout;

static const kb_layout layouts[] = {
    {"de", 0, "äöü", "de", {"q w e r t z u i o p ü", "a s d f g h j k l ö ä", "y x c v b n m ß"}, NULL, 0},
    {"latin", 0, "abc", "en", {"q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m", "ç ş ğ ı ê î û ë é è"}, NULL, 0},
    {"ar", 0, "أبت", "ar", {"ض ص ث ق ف غ ع ه خ ح ج", "ش س ي ب ل ا ت ن م ك ط", "ذ ء ؤ ر ى ة و ز ظ د", "أ إ آ ئ"}, NULL, 0},
    {"fa", 0, "پچژ", "fa", {"ض ص ث ق ف غ ع ه خ ح ج چ", "ش س ی ب ل ا ت ن م ک گ", "ظ ط ز ر ذ د پ و ژ آ"}, NULL, 0},
    {"ps", 0, "ټځډ", "ps", {"ض ص ث ق ف غ ع ه خ ح ج چ", "ش س ی ب ل ا ت ن م ک ګ", "ظ ط ز ر ذ د پ و ژ آ", "ټ ځ ډ ړ ښ ڼ ې ۍ ږ څ"}, NULL, 0},
    {"ckb", 0, "ڕڵۆ", "ckb", {"ق و ە ر ت ی ئ ح ع ۆ پ", "ا س د ف گ ه ژ ک ل", "ز خ ج ڤ ب ن م ش چ", "ڕ ڵ ێ غ"}, NULL, 0},
    {"ur", 0, "ٹڈڑ", "ur", {"ط ص ھ د ٹ پ ت ب ج ح", "م و ر ن ل ہ ا ک ی", "ق ف ے س ش غ ع ڈ ڑ ں", "ژ ز ذ ث ظ خ گ چ ء آ"}, NULL, 0},
    {"cyrl", 0, "абв", "ru", {"й ц у к е н г ш щ з х", "ф ы в а п р о л д ж э", "я ч с м и т ь б ю", "ъ ё і ї є ґ"}, NULL, 0},
    {"ethi", 0, "ሀለሐ", "ti",
     {"ሀ ለ ሐ መ ረ ሰ ሸ ቀ ቐ", "በ ቨ ተ ቸ ነ ኘ አ ከ ኸ", "ወ ዐ ዘ ዠ የ ደ ጀ ገ ጠ", "ጨ ጰ ጸ ፀ ፈ ፐ"}, NULL, 0},
    {"digits", 1, "123", "en", {"1 2 3", "4 5 6", "7 8 9", "+ 0"}, NULL, 0},
    /* booking codes: the keys are their alphabet, which leaves out look-alikes (0/O, 1/I/L) */
    {"code", 1, "A2", "en", {NULL}, BOOKING_CODE_ALPHABET, 3},
};
enum { NLAYOUTS = sizeof layouts / sizeof layouts[0] };

const char *ui_keyboard_for_lang(const char *lang)
{
    /* which layout suits a language is one of i18n's language facts */
    const i18n_lang *l = lang ? i18n_lang_find(lang) : NULL;
    return l && l->keyboard ? l->keyboard : "latin";
}

static const kb_layout *find_layout(const char *id)
{
    for (int i = 0; i < NLAYOUTS; i++)
        if (id && strcmp(layouts[i].id, id) == 0) return &layouts[i];
    return &layouts[1];
}

/* The UTF-8 keys of one row, split at spaces. */
static int split_keys(const char *row, char keys[][8], int max)
{
    int n = 0;
    while (row && *row && n < max) {
        size_t len = strcspn(row, " ");
        if (len > 0 && len < 8) {
            memcpy(keys[n], row, len);
            keys[n++][len] = 0;
        }
        row += len;
        while (*row == ' ') row++;
    }
    return n;
}

static int layout_rows(const kb_layout *L)
{
    int n = 0;
    if (L->chars) return L->nrows;
    while (n < 5 && L->rows[n]) n++;
    return n;
}

/* The keys of letter row r of a layout: its row split at spaces, or its share of the alphabet. */
static int layout_keys(const kb_layout *L, int r, char keys[][8], int max)
{
    if (!L->chars) return r < layout_rows(L) ? split_keys(L->rows[r], keys, max) : 0;
    int len = (int)strlen(L->chars), base = len / L->nrows, extra = len % L->nrows;
    if (r < 0 || r >= L->nrows) return 0;
    int from = r * base + (r < extra ? r : extra), n = base + (r < extra);
    for (int k = 0; k < n && k < max; k++) {
        keys[k][0] = L->chars[from + k];
        keys[k][1] = 0;
    }
    return n < max ? n : max;
}

int ui_keyboard_keys(const char *layout, int row, char keys[][8], int max)
{
    for (int i = 0; i < NLAYOUTS; i++)
        if (layout && strcmp(layouts[i].id, layout) == 0) return layout_keys(&layouts[i], row, keys, max);
    return 0;
}

static void encode(unsigned cp, char out[8])
{
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        out[2] = 0;
    } else {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        out[3] = 0;
    }
}

/* Code point of a three-byte UTF-8 key (all Ethiopic syllables are), 0 otherwise. */
static unsigned decode3(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80 || u[3]) return 0;
    return ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
}

static void key(frame *f, const char *id, rect r, const char *caption, const char *lang, int on, int kind,
                const char *arg)
{
    if (ui_hit(f, id, r)) ui_emit(f, kind, arg, 0);
    ui_fill(f, r, on ? COL_ACCENT : COL_TILE);
    ui_border(f, r, COL_LINE, 2);
    text_opts o = ui_opts(f->m.body, 0, on ? COL_ON_ACCENT : COL_TEXT, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    o.lang = lang;
    o.ui_dir = 0;
    int th = ui_text(f, (rect){r.x, 0, r.w, 0}, caption, &o, 0);
    ui_text(f, (rect){r.x, r.y + (r.h - th) / 2, r.w, th}, caption, &o, 1);
}

/* Vowel-order endings of Ethiopic syllable names, in the order the row shows them. */
static const char *const ethi_orders[] = {"A", "U", "I", "AA", "EE", "E", "O", "WA", "WI", "WAA", "WEE", "WE", "OA"};
enum { ETHI_ORDERS = sizeof ethi_orders / sizeof ethi_orders[0] };

/*
 * The forms of the Ethiopic consonant cp (its first-order syllable), in row order, from the
 * Unicode names of the Ethiopic blocks: every defined syllable named with the consonant's stem
 * followed by nothing but a vowel ending. Returns how many (at most ETHI_ORDERS).
 */
int ui_ethiopic_forms(unsigned cp, unsigned out[])
{
    static const char prefix[] = "ETHIOPIC SYLLABLE ";
    char name[96], stem[96];
    UErrorCode e = U_ZERO_ERROR;
    u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name, sizeof name, &e);
    size_t pl = sizeof prefix - 1, nl = strlen(name);
    if (U_FAILURE(e) || strncmp(name, prefix, pl) || nl <= pl || name[nl - 1] != 'A') return 0;
    memcpy(stem, name + pl, nl - pl - 1); /* "QA" -> "Q", "GLOTTAL A" -> "GLOTTAL " */
    stem[nl - pl - 1] = 0;
    size_t sl = strlen(stem);
    unsigned found[ETHI_ORDERS] = {0};
    static const unsigned blocks[][2] = {{0x1200, 0x139F}, {0x2D80, 0x2DDF}, {0xAB00, 0xAB2F}, {0x1E7E0, 0x1E7FF}};
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
        for (unsigned c = blocks[b][0]; c <= blocks[b][1]; c++) {
            if (!u_isdefined((UChar32)c)) continue;
            e = U_ZERO_ERROR;
            u_charName((UChar32)c, U_UNICODE_CHAR_NAME, name, sizeof name, &e);
            if (U_FAILURE(e) || strncmp(name, prefix, pl) || strncmp(name + pl, stem, sl)) continue;
            const char *end = name + pl + sl;
            for (int k = 0; k < ETHI_ORDERS; k++)
                if (!strcmp(end, ethi_orders[k]) && !found[k]) found[k] = c;
        }
    int n = 0;
    for (int k = 0; k < ETHI_ORDERS; k++)
        if (found[k]) out[n++] = found[k];
    return n;
}

static void encode_any(unsigned cp, char out[8])
{
    if (cp < 0x10000) {
        encode(cp, out);
        return;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    out[4] = 0;
}

/* How a keyboard fills its height: which layout, whether the script switch is a row of its own
 * or folded into one key, how many rows, their height and the gap. */
typedef struct kb_plan {
    const kb_layout *L;
    int switcher;       /* 0 none (fixed layout), 1 a row, 2 one key in the bottom row */
    int nletters;       /* rows of letters */
    int rows;           /* all rows */
    int kh, gap;
} kb_plan;

static kb_plan plan(const frame *f, const char *layout, int max_h)
{
    const app_state *st = f->st;
    kb_plan p = {0};
    /* no choice yet: the script of the UI language */
    p.L = find_layout(layout ? layout : st->kb_layout[0] ? st->kb_layout : ui_keyboard_for_lang(st->lang));
    p.gap = f->m.pad / 5 > 2 ? f->m.pad / 5 : 2;
    p.nletters = layout_rows(p.L);
    int min = (int)(10 * f->m.mm + 0.5f);
    p.switcher = layout ? 0 : 1;
    p.rows = p.nletters + 1 + (p.switcher == 1);
    if (p.switcher && (max_h - p.gap) / p.rows - p.gap < min) {
        p.switcher = 2;
        p.rows = p.nletters + 1;
    }
    p.kh = (max_h - p.gap) / p.rows - p.gap;
    if (p.kh < min) p.kh = min;
    return p;
}

int ui_keyboard_height(const frame *f, const char *layout, int max_h)
{
    kb_plan p = plan(f, layout, max_h);
    return p.rows * (p.kh + p.gap) + p.gap;
}

/* A row of n keys with the given captions, centred in area at y. */
static void key_row(frame *f, rect area, int y, int kw, int kh, int gap, char keys[][8], int n, const char *lang,
                    const char *pending, int kind)
{
    int x0 = area.x + (area.w - n * kw - (n - 1) * gap) / 2;
    for (int k = 0; k < n; k++) {
        char id[128];
        snprintf(id, sizeof id, "key:%s", keys[k]);
        key(f, id, (rect){x0 + k * (kw + gap), y, kw, kh}, keys[k], lang, pending && !strcmp(pending, keys[k]), kind,
            keys[k]);
    }
}

int ui_keyboard(frame *f, rect area, const char *layout)
{
    const app_state *st = f->st;
    kb_plan p = plan(f, layout, area.h);
    const kb_layout *L = p.L;
    int gap = p.gap, kh = p.kh;
    int h = p.rows * (kh + gap) + gap;
    area.y += area.h - h; /* keys of at least 10 mm: a keyboard taller than asked grows upwards */
    area.h = h;
    ui_fill(f, area, COL_BG);
    f->no_mirror = 1;
    int y = area.y + gap;
    int ethi = strcmp(L->id, "ethi") == 0;
    unsigned pending = ethi ? decode3(st->kb_pending) : 0;
    unsigned forms[ETHI_ORDERS];
    int nforms = pending ? ui_ethiopic_forms(pending, forms) : 0;
    int choosing = p.switcher == 2 && st->kb_choosing;
    int maxcols = 0;
    char keys[16][8];
    for (int r = 0; r < p.nletters; r++) {
        int n = layout_keys(L, r, keys, 14);
        if (n > maxcols) maxcols = n;
    }
    if (nforms > maxcols) maxcols = nforms;
    int kw = (area.w - gap * (maxcols + 1)) / (maxcols ? maxcols : 1);
    int nswitch = 0;
    for (int i = 0; i < NLAYOUTS; i++) nswitch += !layouts[i].fixed;
    for (int r = 0; r < p.rows - 1; r++) {
        int ry = y + r * (kh + gap);
        /* the top row gives way to the forms of the consonant that waits */
        if (r == 0 && nforms) {
            for (int v = 0; v < nforms; v++) encode_any(forms[v], keys[v]);
            key_row(f, area, ry, kw, kh, gap, keys, nforms, "ti", NULL, ACT_KEY);
            continue;
        }
        if (r == 0 && p.switcher == 1) {
            /* one tap switches to any script */
            int lw = (area.w - gap * (nswitch + 1)) / nswitch;
            for (int i = 0, k = 0; i < NLAYOUTS; i++) {
                if (layouts[i].fixed) continue;
                char id[32];
                snprintf(id, sizeof id, "kb-layout:%s", layouts[i].id);
                key(f, id, (rect){area.x + gap + k++ * (lw + gap), ry, lw, kh}, layouts[i].label, layouts[i].lang,
                    &layouts[i] == L, ACT_KB_LAYOUT, layouts[i].id);
            }
            continue;
        }
        int letter = r - (p.switcher == 1);
        if (choosing) {
            /* the scripts in place of the letters, as many a row as fit at the key size */
            int per = (nswitch + p.nletters - 1) / p.nletters;
            int lw = (area.w - gap * (per + 1)) / per;
            for (int i = 0, k = 0; i < NLAYOUTS; i++) {
                if (layouts[i].fixed) continue;
                if (k / per == letter) {
                    char id[32];
                    snprintf(id, sizeof id, "kb-layout:%s", layouts[i].id);
                    key(f, id, (rect){area.x + gap + (k % per) * (lw + gap), ry, lw, kh}, layouts[i].label,
                        layouts[i].lang, &layouts[i] == L, ACT_KB_LAYOUT, layouts[i].id);
                }
                k++;
            }
            continue;
        }
        int n = layout_keys(L, letter, keys, 14);
        key_row(f, area, ry, kw, kh, gap, keys, n, L->lang, ethi ? st->kb_pending : NULL, ethi ? ACT_KEY_PENDING : ACT_KEY);
    }
    int bottom = y + (p.rows - 1) * (kh + gap);
    /* clear, space, delete; on a short panel the script switch stands first */
    int sw = p.switcher == 2 ? (kw * 2 + gap < area.w / 5 ? kw * 2 + gap : area.w / 5) : 0;
    int x = area.x + gap;
    if (sw) {
        key(f, "kb-choose", (rect){x, bottom, sw, kh}, L->label, L->lang, choosing, ACT_KB_CHOOSE, NULL);
        x += sw + gap;
    }
    int dw = kw * 2 + gap < area.w / 4 ? kw * 2 + gap : area.w / 4;
    rect clr = {x, bottom, dw, kh};
    rect del = {area.x + area.w - gap - dw, bottom, dw, kh};
    rect space = {clr.x + dw + gap, bottom, del.x - gap - (clr.x + dw + gap), kh};
    if (ui_hit(f, "key:space", space)) ui_emit(f, ACT_KEY, " ", 0);
    ui_fill(f, space, COL_TILE);
    ui_border(f, space, COL_LINE, 2);
    if (ui_hit(f, "key:delete", del)) ui_emit(f, ACT_KEY_DELETE, NULL, 0);
    ui_fill(f, del, COL_ACCENT);
    /* the delete arrow points against the reading direction of what is typed */
    int side = kh * 3 / 4;
    ui_icon(f, "backspace", (rect){del.x + (del.w - side) / 2, del.y + (kh - side) / 2, side, side}, COL_ON_ACCENT,
            L->lang && i18n_is_rtl(L->lang));
    if (ui_hit(f, "key:clear", clr)) ui_emit(f, ACT_KEY_CLEAR, NULL, 0);
    ui_fill(f, clr, COL_TILE);
    ui_border(f, clr, COL_LINE, 2);
    ui_icon(f, "clear", (rect){clr.x + (clr.w - side) / 2, clr.y + (kh - side) / 2, side, side}, COL_TEXT, 0);
    f->no_mirror = 0;
    return area.h;
}
