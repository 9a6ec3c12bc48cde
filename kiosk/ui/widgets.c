/*
 * widgets.c: buttons, the header bar, markers, offer lists and scrolling (widgets.h).
 */
#include "widgets.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

text_opts ui_opts(int size, int bold, int color, int align)
{
    text_opts o = {.size = size, .bold = bold, .color = color, .align = align, .ui_dir = 1};
    return o;
}

/*
 * Where the header's button labels sit, measured on their ink rather than on a nominal line:
 * the rows from *top to *bottom (px from the top of a label's box) hold the ink of every label
 * of the bar, so all pictograms above them are one size and tall scripts keep their ink inside
 * the button (Nastaliq's descenders reach far below the baseline, its words far above).
 */
/* A button label at the label size, or smaller (down to 70 %) where it would not fit its line:
 * "Faqja kryesore" whole rather than "Faqja…". */
static text_opts label_opts(frame *f, int w, const char *label, int color)
{
    text_opts o = ui_opts(f->m.label, 0, color, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    for (int pct = 100; pct >= 70; pct -= 10) {
        o.size = f->m.label * pct / 100;
        int t, b, cut;
        ui_text_ink(f, (rect){0, 0, w, 0}, label, &o, &t, &b, &cut);
        if (!cut) break;
    }
    return o;
}

static void label_band(frame *f, int w, int *top, int *bottom)
{
    ui *u = f->u;
    for (int i = 0; i < 2; i++) {
        const struct label_band_cache *c = &u->band[i];
        if (c->w == w && c->size == f->m.label && c->catalog == (const void *)f->st->catalog && !strcmp(c->lang, f->st->lang)) {
            *top = c->top;
            *bottom = c->bottom;
            return;
        }
    }
    static const char *const labels[] = {"Back", "Home", "Search", "Language", "Read aloud", "Text size", "Contrast"};
    int t0 = 1 << 20, b0 = -(1 << 20);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        int t, b, cut;
        const char *label = ui_tr(f, labels[i]);
        text_opts o = label_opts(f, w, label, COL_ON_ACCENT);
        if (ui_text_ink(f, (rect){0, 0, w, 0}, label, &o, &t, &b, &cut) <= 0 || b <= t) continue;
        if (t < t0) t0 = t;
        if (b > b0) b0 = b;
    }
    if (b0 <= t0) { t0 = 0; b0 = f->m.label; }
    *top = t0;
    *bottom = b0;
    /* two widths are asked for (the header's buttons and its toggles): keep the newest two */
    u->band[1] = u->band[0];
    u->band[0] = (struct label_band_cache){.catalog = f->st->catalog, .size = f->m.label, .w = w, .top = t0, .bottom = b0};
    snprintf(u->band[0].lang, sizeof u->band[0].lang, "%s", f->st->lang);
}

/* Margin between a header button's label ink and its edges. */
static int label_edge(const frame *f) { return f->m.pad / 4 > 2 ? f->m.pad / 4 : 2; }

int ui_header_height(frame *f)
{
    /* the narrower of the header's buttons: the access toggles */
    int top, bottom;
    label_band(f, f->m.touch * 5 / 4 - 4, &top, &bottom);
    int need = f->m.pad / 3 + (int)(7 * f->m.mm) + 2 * label_edge(f) + (bottom - top);
    int h = f->m.touch + f->m.pad;
    return need + f->m.pad > h ? need + f->m.pad : h;
}

/* A label's box top and the pictogram's area above it in a header button r. */
static void button_parts(frame *f, rect r, int *label_y, rect *pict)
{
    int top, bottom;
    label_band(f, r.w - 4, &top, &bottom);
    int edge = label_edge(f);
    *label_y = r.y + r.h - edge - bottom;
    int py = r.y + f->m.pad / 3;
    *pict = (rect){r.x, py, r.w, *label_y + top - edge - py};
}

/* A square-ish button with an icon above a short label. */
int ui_icon_button(frame *f, const char *id, rect r, const char *icon, const char *label, int mirror)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, COL_ACCENT);
    int ly;
    rect ir;
    button_parts(f, r, &ly, &ir);
    ui_icon(f, icon, ir, COL_ON_ACCENT, mirror);
    text_opts o = label_opts(f, r.w - 4, label, COL_ON_ACCENT);
    ui_text(f, (rect){r.x + 2, ly, r.w - 4, r.y + r.h - ly}, label, &o, 1);
    return hit;
}

/* A toggle: a pictogram whose meaning must not depend on reading, with a short label below it
 * for those who do; drawn inverted while on. */
int ui_pict_button(frame *f, const char *id, rect r, const char *icon, const char *label, int on)
{
    int hit = ui_hit(f, id, r);
    int bg = on ? COL_ON_ACCENT : COL_ACCENT, fg = on ? COL_ACCENT : COL_ON_ACCENT;
    ui_fill(f, r, bg);
    int ly;
    rect ir;
    button_parts(f, r, &ly, &ir);
    int side = ir.h < r.w * 3 / 5 ? ir.h : r.w * 3 / 5;
    ui_icon(f, icon, (rect){r.x + (r.w - side) / 2, ir.y, side, ir.h}, fg, 0);
    text_opts o = label_opts(f, r.w - 4, label, fg);
    ui_text(f, (rect){r.x + 2, ly, r.w - 4, r.y + r.h - ly}, label, &o, 1);
    return hit;
}

/* Access buttons (read aloud, large text, contrast) before the language button at the end edge;
 * returns where they start. Shown on every screen, the language screen too. */
int ui_access_buttons(frame *f, int y, int h, int end)
{
    const app_state *st = f->st;
    int bw = f->m.touch * 5 / 4, pad = f->m.pad / 2;
    int x = end;
    x -= bw + pad;
    if (ui_pict_button(f, "contrast", (rect){x, y, bw, h}, "contrast", ui_tr(f, "Contrast"), st->high_contrast))
        ui_emit(f, ACT_TOGGLE_CONTRAST, NULL, 0);
    x -= bw + pad;
    if (ui_pict_button(f, "large-text", (rect){x, y, bw, h}, "text-size", ui_tr(f, "Text size"), st->large_text))
        ui_emit(f, ACT_TOGGLE_LARGE, NULL, 0);
    if (st->can_speak) {
        x -= bw + pad;
        if (ui_pict_button(f, "speak", (rect){x, y, bw, h}, "speaker", ui_tr(f, "Read aloud"), st->speaking))
            ui_emit(f, ACT_SPEAK, NULL, 0);
    }
    return x;
}

/* Back and home on the left (right in RTL), language on the far side; returns the bar height. */
int ui_header(frame *f, int with_back)
{
    /* buttons as tall as the bar allows: taller than 15 mm where the labels' script needs it */
    int hh = f->m.header_h, t = hh - f->m.pad, pad = f->m.pad / 2;
    ui_fill(f, (rect){0, 0, f->w, hh}, COL_ACCENT);
    /* wide screens give the labels room ("Pelê paşîn" must not be cut) */
    int bw = f->w >= 1200 ? t * 2 : t * 3 / 2;
    int x = pad;
    if (with_back) {
        if (ui_icon_button(f, "back", (rect){x, pad, bw, t}, "back", ui_tr(f, "Back"), f->st->rtl)) ui_emit(f, ACT_BACK, NULL, 0);
        x += bw + pad;
    }
    if (ui_icon_button(f, "home", (rect){x, pad, bw, t}, "home", ui_tr(f, "Home"), 0)) ui_emit(f, ACT_HOME, NULL, 0);
    unsigned flags = screen_info_of(f->st->screen)->flags;
    if (flags & SCREENF_SEARCH) {
        x += bw + pad;
        if (ui_icon_button(f, "search", (rect){x, pad, bw, t}, "search", ui_tr(f, "Search"), 0))
            ui_emit(f, ACT_SEARCH, NULL, 0);
    }
    if (ui_icon_button(f, "languages", (rect){f->w - bw - pad, pad, bw, t}, "language", ui_tr(f, "Language"), 0))
        ui_emit(f, ACT_LANGUAGES, NULL, 0);
    if (flags & SCREENF_ACCESS) ui_access_buttons(f, pad, t, f->w - bw - pad);
    return hh;
}

int ui_fallback_mark(frame *f, int x, int y, int w, int draw)
{
    return ui_notice(f, x, y, w, ui_tr(f, "Not available in your language"), draw);
}

int ui_notice(frame *f, int x, int y, int w, const char *s, int draw)
{
    text_opts o = ui_opts(f->m.small, 1, COL_ON_MARK, TEXT_ALIGN_START);
    o.max_lines = 3;
    int pad = f->m.pad / 3;
    int h = ui_text(f, (rect){x + pad, y + pad, w - 2 * pad, 0}, s, &o, 0) + 2 * pad;
    if (draw) {
        ui_fill(f, (rect){x, y, w, h}, COL_MARK);
        ui_text(f, (rect){x + pad, y + pad, w - 2 * pad, h}, s, &o, 1);
    }
    return h;
}

void ui_demo_banner(frame *f, int y, int h)
{
    if (!f->st->demo) return;
    ui_fill(f, (rect){0, y, f->w, h}, COL_WARN);
    text_opts o = ui_opts(f->m.small, 1, COL_ON_ACCENT, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    const char *s = ui_tr(f, "DEMO – fictional offers");
    int th = ui_text(f, (rect){f->m.pad, 0, f->w - 2 * f->m.pad, 0}, s, &o, 0);
    ui_text(f, (rect){f->m.pad, y + (h - th) / 2, f->w - 2 * f->m.pad, th}, s, &o, 1);
}

/* Scrolling: drags and flings anywhere on the screen move the content. */
float ui_scroll_input(frame *f, float max_scroll)
{
    ui_emit(f, ACT_LAYOUT, NULL, max_scroll > 0 ? max_scroll : 0);
    if (f->in->down) ui_emit(f, ACT_STOP, NULL, 0);
    if (f->in->drag_dy) ui_emit(f, ACT_SCROLL, NULL, (float)-f->in->drag_dy);
    if (f->in->fling != 0) ui_emit(f, ACT_FLING, NULL, -f->in->fling);
    return f->st->scroll[f->st->screen];
}

int ui_scroll_begin(frame *f, int bottom)
{
    float sc = f->st->scroll[f->st->screen];
    ui_scroll_clip(f, &(rect){0, f->m.header_h, f->w, bottom - f->m.header_h}, sc);
    return f->m.header_h + f->m.pad / 2 - (int)sc;
}

void ui_scroll_end(frame *f, int bottom, int top, int end)
{
    ui_clip(f, NULL);
    int content = end - top + f->m.pad, view = bottom - f->m.header_h - f->m.pad / 2;
    ui_scroll_input(f, (float)(content - view));
}

/* Height of one line at o of text in lang: Arabic-script languages set taller lines than Latin
 * (Nastaliq, Urdu's, the tallest), Ethiopic a little; the line box is the font's own. */
static int line_in(frame *f, text_opts o, const char *lang)
{
    o.lang = lang;
    o.max_lines = 1;
    const char *probe = i18n_is_rtl(lang) ? "بگ" : !strcmp(lang, "ti") ? "ቋ" : "Ag";
    return ui_text(f, (rect){0, 0, f->w, 0}, probe, &o, 0);
}

/* How far a tall word of lang's script inks above its line box: Nastaliq stacks the letters of
 * a word like "انٹیگریشن" (integration) diagonally, well above the font's ascent. */
static int ink_above(frame *f, text_opts o, const char *lang)
{
    if (!i18n_is_rtl(lang)) return 0;
    o.lang = lang;
    o.max_lines = 1;
    int top, bottom, cut;
    ui_text_ink(f, (rect){0, 0, f->w, 0}, "انٹیگریشن ٹکلا", &o, &top, &bottom, &cut);
    return top < 0 ? -top : 0;
}

/* The tallest line at o among the languages of one field of the rows (a few distinct ones);
 * *head: the most any of them inks above its line. */
static int field_line(frame *f, text_opts o, const store_offer_row *rows, int nrows, size_t field, int *head)
{
    const char *seen[8];
    int nseen = 0, h = line_in(f, o, "en");
    *head = 0;
    for (int i = 0; i < nrows; i++) {
        const char *lang = ((const store_text *)((const char *)&rows[i] + field))->lang;
        int k = 0;
        while (k < nseen && strcmp(seen[k], lang) != 0) k++;
        if (k < nseen) continue;
        if (nseen < 8) seen[nseen++] = lang;
        int lh = line_in(f, o, lang), above = ink_above(f, o, lang);
        if (lh > h) h = lh;
        if (above > *head) *head = above;
    }
    return h;
}

/* The width of a row's name: a bookable offer's row gives part of it to its badge. */
static int name_width(const frame *f, const store_offer_row *r, int w)
{
    if (!(r->bookable && f->st->can_book)) return w;
    int bw = w / 3 < (int)(50 * f->m.mm) ? w / 3 : (int)(50 * f->m.mm);
    return w - bw - f->m.pad / 2;
}

/*
 * The texts of a row about to scroll into view, laid out and rendered ahead of it, one a frame
 * (the first it lacks): a row coming in would otherwise shape and render its four texts in the
 * frame it appears. Only the cache is touched; the frame draws the same.
 */
static int row_ahead(frame *f, const store_offer_row *r, const char *meta, text_opts no, text_opts po, text_opts so,
                     text_opts mo, int w)
{
    ui *u = f->u;
    long hits, misses, after;
    ui_cache_stats(u, &hits, &misses);
    int x = f->m.pad;
    no.lang = r->name.lang;
    po.lang = r->provider.lang;
    so.lang = r->summary.lang;
    ui_text(f, (rect){x, 0, name_width(f, r, w), 0}, r->name.text, &no, 0);
    ui_cache_stats(u, &hits, &after);
    if (after == misses) ui_text(f, (rect){x, 0, w, 0}, r->provider.text, &po, 0);
    ui_cache_stats(u, &hits, &after);
    if (after == misses) ui_text(f, (rect){x, 0, w, 0}, r->summary.text, &so, 0);
    ui_cache_stats(u, &hits, &after);
    if (after == misses) ui_text(f, (rect){x, 0, w, 0}, meta, &mo, 0);
    ui_cache_stats(u, &hits, &after);
    return after != misses;
}

/*
 * Offer rows in view, scrolled by the current screen's scroll: name, provider, summary and a
 * meta line (meta[i], or the town) per row, fallback marked. Tapping a row opens the offer.
 * scroll: whether this list owns the screen's scrolling. Each line is as tall as the language of
 * its field needs (an Urdu name above a Latin provider), and only a row that falls back carries
 * the marker's height.
 */
void ui_offer_list(frame *f, rect view, const store_offer_row *rows, int nrows, char *const *meta, int meta_lines,
                   int scroll)
{
    const app_state *st = f->st;
    int pad = f->m.pad;
    text_opts no = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_START);
    no.max_lines = 1;
    no.ui_dir = 0;
    text_opts po = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_START);
    po.max_lines = 1;
    po.ui_dir = 0;
    text_opts so = ui_opts(f->m.small, 0, COL_TEXT, TEXT_ALIGN_START);
    so.max_lines = 2;
    so.ui_dir = 0;
    text_opts mo = ui_opts(f->m.small, 0, COL_ACCENT, TEXT_ALIGN_START);
    if (meta_lines < 1) meta_lines = 1;
    mo.max_lines = meta_lines;
    /* the rows' line heights and markers, measured once per list (a frame of a 500-row list
     * would spend more on finding them than on drawing) */
    struct row_lines_cache *rc = &f->u->row_lines;
    if (rc->rows != rows || rc->nrows != nrows || rc->first_id != (nrows ? rows[0].id : NULL) || rc->body != f->m.body ||
        rc->small != f->m.small || strcmp(rc->lang, st->lang)) {
        rc->rows = rows;
        rc->nrows = nrows;
        rc->first_id = nrows ? rows[0].id : NULL;
        rc->body = f->m.body;
        rc->small = f->m.small;
        snprintf(rc->lang, sizeof rc->lang, "%s", st->lang);
        int head;
        rc->name = field_line(f, no, rows, nrows, offsetof(store_offer_row, name), &rc->name_head);
        rc->provider = field_line(f, po, rows, nrows, offsetof(store_offer_row, provider), &head);
        rc->summary = field_line(f, so, rows, nrows, offsetof(store_offer_row, summary), &head);
        rc->total_marked = 0;
        for (int i = 0; i < nrows; i++) rc->total_marked += rows[i].name.fallback || rows[i].summary.fallback;
    }
    /* the name's tall ink stays inside the tile, below its edge */
    int name_head = rc->name_head, name_line = rc->name + name_head, prov_line = rc->provider, sum_line = rc->summary;
    int meta_line = line_in(f, mo, st->lang);
    int tag_line = line_in(f, ui_opts(f->m.small, 1, COL_ON_ACCENT, TEXT_ALIGN_START), st->lang);
    int mark_h = ui_fallback_mark(f, 0, 0, f->w / 2, 0) + pad / 4;
    int base = pad + name_line + prov_line + sum_line * 2 + meta_line * meta_lines;
    if (base < f->m.touch) base = f->m.touch;
    long total = (long)nrows * base + rc->total_marked * mark_h;
    float sc = scroll ? ui_scroll_input(f, (float)(total + pad - view.h)) : 0;
    ui_scroll_clip(f, &view, sc);
    int y = view.y - (int)sc, first = -1, next = nrows;
    for (int i = 0; i < nrows; i++) {
        const store_offer_row *r = &rows[i];
        int marked = r->name.fallback || r->summary.fallback;
        int row_h = base + (marked ? mark_h : 0);
        if (y > view.y + view.h) {
            next = i;
            break;
        }
        if (y + row_h < view.y) {
            y += row_h;
            continue;
        }
        if (first < 0) first = i;
        rect rr = {pad / 2, y, f->w - pad, row_h - pad / 4};
        char id[160];
        snprintf(id, sizeof id, "row:%d", i);
        if (ui_hit(f, id, rr) && f->in->tap_y >= view.y && f->in->tap_y < view.y + view.h) ui_emit(f, ACT_OFFER, r->id, 0);
        ui_fill(f, rr, COL_TILE);
        ui_border(f, rr, COL_LINE, 2);
        int x = rr.x + pad / 2, w = rr.w - pad;
        int yy = y + pad / 2;
        if (marked) yy += ui_fallback_mark(f, x, yy, w, 1) + pad / 4;
        no.lang = r->name.lang;
        int nw = name_width(f, r, w);
        if (nw < w) {
            /* what can be booked here says so where the eye starts: a calendar and the words */
            int bw = w - nw - pad / 2;
            int bh = name_line > tag_line ? name_line : tag_line;
            rect b = {x + w - bw, yy, bw, bh};
            ui_fill(f, b, COL_ACCENT);
            int side = f->m.body + pad / 4 < bh - 4 ? f->m.body + pad / 4 : bh - 4;
            ui_icon(f, "calendar", (rect){b.x + pad / 4, b.y + (bh - side) / 2, side, side}, COL_ON_ACCENT, 0);
            text_opts bo = ui_opts(f->m.small, 1, COL_ON_ACCENT, TEXT_ALIGN_START);
            bo.max_lines = 1;
            ui_text(f, (rect){b.x + side + pad / 2, b.y + (bh - tag_line) / 2, bw - side - pad * 3 / 4, tag_line},
                    ui_tr(f, "Book an appointment"), &bo, 1);
        }
        ui_text(f, (rect){x, yy + name_head, nw, name_line - name_head}, r->name.text, &no, 1);
        yy += name_line;
        po.lang = r->provider.lang;
        ui_text(f, (rect){x, yy, w, prov_line}, r->provider.text, &po, 1);
        yy += prov_line;
        so.lang = r->summary.lang;
        yy += ui_text(f, (rect){x, yy, w, sum_line * 2}, r->summary.text, &so, 1);
        ui_text(f, (rect){x, yy, w, meta_line * meta_lines}, meta ? meta[i] : r->town, &mo, 1);
        y += row_h;
    }
    ui_clip(f, NULL);
    /* the rows next to the view, below and above, ready before they scroll in (once a frame) */
    if (scroll) {
        int w = f->w - 2 * pad;
        if (next >= nrows || !row_ahead(f, &rows[next], meta ? meta[next] : rows[next].town, no, po, so, mo, w))
            if (first > 0) row_ahead(f, &rows[first - 1], meta ? meta[first - 1] : rows[first - 1].town, no, po, so, mo, w);
    }
}

/* Long lines are hard to follow: text columns stop at about 26 cm on wide screens. */
int ui_column_width(const frame *f)
{
    int w = f->w - 2 * f->m.pad, max = (int)(260 * f->m.mm);
    return w < max ? w : max;
}

/* A plain text button; returns 1 when tapped. */
int ui_text_button(frame *f, const char *id, rect r, const char *label, int color, int text_color)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, color);
    text_opts o = ui_opts(f->m.body, 1, text_color, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    int th = ui_text(f, (rect){r.x + 4, 0, r.w - 8, 0}, label, &o, 0);
    ui_text(f, (rect){r.x + 4, r.y + (r.h - th) / 2, r.w - 8, th}, label, &o, 1);
    return hit;
}

int ui_wide_button(frame *f, const char *id, rect r, const char *icon, const char *label, int color)
{
    int hit = ui_hit(f, id, r);
    int on = color == COL_ACCENT ? COL_ON_ACCENT : COL_TEXT;
    ui_fill(f, r, color);
    if (color != COL_ACCENT) ui_border(f, r, COL_LINE, 2);
    int side = r.h * 3 / 5, pad = f->m.pad / 2;
    /* arrows point along the reading direction */
    int arrow = !strcmp(icon, "back") || !strcmp(icon, "forward");
    ui_icon(f, icon, (rect){r.x + pad, r.y + (r.h - side) / 2, side, side}, on, arrow && f->st->rtl);
    text_opts o = ui_opts(f->m.body, 1, on, TEXT_ALIGN_START);
    o.max_lines = 2;
    rect tr = {r.x + 2 * pad + side, 0, r.w - 3 * pad - side, 0};
    int top, bottom, cut;
    int th = ui_text_ink(f, tr, label, &o, &top, &bottom, &cut);
    /* two lines of a tall script, or a long word, may not fit the button: the whole label
     * smaller rather than cut short, and one line only as the last resort */
    if (th > r.h - 4 || cut) {
        o.size = f->m.small;
        th = ui_text_ink(f, tr, label, &o, &top, &bottom, &cut);
    }
    if (th > r.h - 4) {
        o.max_lines = 1;
        th = ui_text(f, tr, label, &o, 0);
    }
    tr.y = r.y + (r.h - th) / 2;
    tr.h = th;
    ui_text(f, tr, label, &o, 1);
    return hit;
}

const char *ui_booking_state(frame *f, int state)
{
    switch (state) {
    case 0: return ui_tr(f, "Confirmed");
    case 1: return ui_tr(f, "Not confirmed yet: waiting for the booking office");
    case 2: return ui_tr(f, "Not booked: the time was taken by someone else");
    default: return ui_tr(f, "Cancelled");
    }
}
