/*
 * keyboard.c: the on-screen keyboard, one layout per script. A kiosk has no physical keyboard,
 * and a newcomer knows the layout of a phone in their own script, so each layout follows the
 * common one (QWERTZ, QWERTY, the Arabic, Persian, Pashto, Sorani, Urdu and Russian/Ukrainian
 * phone layouts). Keyboards are never mirrored: a layout is a physical arrangement.
 *
 * Ethiopic has over 200 syllables: a consonant key is tapped first, then one of its seven vowel
 * orders from a row that appears above the keys (the order is a fixed offset in Unicode).
 *
 * Lower case only: search folds case anyway, and one case halves what a person must scan.
 */
#include "widgets.h"

#include "booking/code.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <string.h>

typedef struct kb_layout {
    const char *id;
    int fixed;          /* for one field only (phone, booking code): not on the script switch */
    const char *label;  /* on the layout switch: three letters of the script */
    const char *lang;   /* for shaping the key captions */
    const char *rows[5];
    const char *chars;  /* instead of rows: one key per character, cols to a row */
    int cols;
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
    /* booking codes: their alphabet, without look-alikes (0/O, 1/I/L), eight keys to a row */
    {"code", 1, "A2", "en", .chars = BOOKING_CODE_ALPHABET, .cols = 8},
};
enum { NLAYOUTS = sizeof layouts / sizeof layouts[0] };

const char *ui_keyboard_for_lang(const char *lang)
{
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

int ui_keyboard(frame *f, rect area, const char *layout)
{
    const app_state *st = f->st;
    /* no choice yet: the script of the UI language */
    const kb_layout *L = find_layout(layout ? layout : st->kb_layout[0] ? st->kb_layout : ui_keyboard_for_lang(st->lang));
    int switcher = !layout;
    int gap = f->m.pad / 5 > 2 ? f->m.pad / 5 : 2;
    int nrows = 0;
    const char *rows[5] = {NULL};
    char made[5][64];
    for (int r = 0; r < 5; r++) rows[r] = L->rows[r];
    for (const char *c = L->chars; c && *c && nrows < 5; nrows++) {
        /* "2 3 4 5 6 7 8 9" from the alphabet: the rows split_keys reads */
        size_t o = 0;
        for (int k = 0; k < L->cols && *c && o + 3 < sizeof made[0]; k++) {
            if (k) made[nrows][o++] = ' ';
            made[nrows][o++] = *c++;
        }
        made[nrows][o] = 0;
        rows[nrows] = made[nrows];
    }
    if (!L->chars)
        while (nrows < 5 && rows[nrows]) nrows++;
    /* rows: layout switch, letters, space + delete (or the vowel orders) */
    int total_rows = nrows + 1 + switcher;
    int kh = (area.h - gap * (total_rows + 1)) / total_rows;
    ui_fill(f, area, COL_BG);
    f->no_mirror = 1;
    int y = area.y + gap;
    /* one tap switches to any script */
    int nswitch = 0;
    for (int i = 0; i < NLAYOUTS; i++) nswitch += !layouts[i].fixed;
    int lw = (area.w - gap * (nswitch + 1)) / nswitch;
    for (int i = 0, k = 0; switcher && i < NLAYOUTS; i++) {
        if (layouts[i].fixed) continue;
        char id[32];
        snprintf(id, sizeof id, "kb-layout:%s", layouts[i].id);
        key(f, id, (rect){area.x + gap + k++ * (lw + gap), y, lw, kh}, layouts[i].label, layouts[i].lang,
            &layouts[i] == L, ACT_KB_LAYOUT, layouts[i].id);
    }
    if (switcher) y += kh + gap;
    int maxcols = 0;
    char keys[14][8];
    for (int r = 0; r < nrows; r++) {
        int n = split_keys(rows[r], keys, 14);
        if (n > maxcols) maxcols = n;
    }
    int kw = (area.w - gap * (maxcols + 1)) / (maxcols ? maxcols : 1);
    unsigned pending = decode3(st->kb_pending);
    for (int r = 0; r < nrows; r++) {
        int n = split_keys(rows[r], keys, 14);
        int x0 = area.x + (area.w - n * kw - (n - 1) * gap) / 2;
        for (int k = 0; k < n; k++) {
            char id[128];
            snprintf(id, sizeof id, "key:%s", keys[k]);
            int ethi = strcmp(L->id, "ethi") == 0;
            key(f, id, (rect){x0 + k * (kw + gap), y, kw, kh}, keys[k], L->lang, ethi && !strcmp(st->kb_pending, keys[k]),
                ethi ? ACT_KEY_PENDING : ACT_KEY, keys[k]);
        }
        y += kh + gap;
    }
    int bottom = y;
    if (pending >= 0x1200 && pending < 0x1380) {
        /* the seven vowel orders of the chosen consonant, over the space bar row */
        int ow = (area.w - gap * 8) / 7;
        for (int v = 0; v < 7; v++) {
            char syl[8], id[40];
            encode(pending + (unsigned)v, syl);
            snprintf(id, sizeof id, "key:%s", syl);
            key(f, id, (rect){area.x + gap + v * (ow + gap), bottom, ow, kh}, syl, "ti", 0, ACT_KEY, syl);
        }
    } else {
        int dw = kw * 2 + gap < area.w / 4 ? kw * 2 + gap : area.w / 4;
        rect space = {area.x + gap + dw + gap, bottom, area.w - 2 * (dw + 2 * gap) - gap, kh};
        if (ui_hit(f, "key:space", space)) ui_emit(f, ACT_KEY, " ", 0);
        ui_fill(f, space, COL_TILE);
        ui_border(f, space, COL_LINE, 2);
        rect del = {area.x + area.w - gap - dw, bottom, dw, kh};
        if (ui_hit(f, "key:delete", del)) ui_emit(f, ACT_KEY_DELETE, NULL, 0);
        ui_fill(f, del, COL_ACCENT);
        /* the delete arrow points against the reading direction of what is typed */
        int side = kh * 3 / 4;
        ui_icon(f, "backspace", (rect){del.x + (del.w - side) / 2, del.y + (kh - side) / 2, side, side}, COL_ON_ACCENT,
                L->lang && i18n_is_rtl(L->lang));
        rect clr = {area.x + gap, bottom, dw, kh};
        if (ui_hit(f, "key:clear", clr)) ui_emit(f, ACT_KEY_CLEAR, NULL, 0);
        ui_fill(f, clr, COL_TILE);
        ui_border(f, clr, COL_LINE, 2);
        ui_icon(f, "clear", (rect){clr.x + (clr.w - side) / 2, clr.y + (kh - side) / 2, side, side}, COL_TEXT, 0);
    }
    f->no_mirror = 0;
    return area.h;
}
