/*
 * screens.c: the attract/language screen, categories, offer list, offer detail and the idle
 * countdown, each drawn from app_state alone. Layout is in left-to-right coordinates; ui.c
 * mirrors it for right-to-left languages.
 */
#include "ui_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

text_opts ui_opts(int size, int bold, int color, int align)
{
    text_opts o = {.size = size, .bold = bold, .color = color, .align = align, .ui_dir = 1};
    return o;
}

/* A square-ish button with an icon above a short label. */
int ui_icon_button(frame *f, const char *id, rect r, const char *icon, const char *label, int mirror)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, COL_ACCENT);
    int lh = f->m.label + f->m.label / 2;
    rect ir = {r.x, r.y + f->m.pad / 3, r.w, r.h - lh - f->m.pad / 3};
    ui_icon(f, icon, ir, COL_ON_ACCENT, mirror);
    text_opts o = ui_opts(f->m.label, 0, COL_ON_ACCENT, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    ui_text(f, (rect){r.x + 2, r.y + r.h - lh, r.w - 4, lh}, label, &o, 1);
    return hit;
}

/* A button with a pictogram only: its meaning must not depend on reading. */
int ui_pict_button(frame *f, const char *id, rect r, const char *icon, int on)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, on ? COL_ON_ACCENT : COL_ACCENT);
    int side = r.h * 3 / 5;
    ui_icon(f, icon, (rect){r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side}, on ? COL_ACCENT : COL_ON_ACCENT, 0);
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
    if (ui_pict_button(f, "contrast", (rect){x, y, bw, h}, "contrast", st->high_contrast)) ui_emit(f, ACT_TOGGLE_CONTRAST, NULL, 0);
    x -= bw + pad;
    if (ui_pict_button(f, "large-text", (rect){x, y, bw, h}, "text-size", st->large_text)) ui_emit(f, ACT_TOGGLE_LARGE, NULL, 0);
    if (st->can_speak) {
        x -= bw + pad;
        if (ui_pict_button(f, "speak", (rect){x, y, bw, h}, "speaker", st->speaking)) ui_emit(f, ACT_SPEAK, NULL, 0);
    }
    return x;
}

/* Back and home on the left (right in RTL), language on the far side; returns the bar height. */
int ui_header(frame *f, int with_back)
{
    int hh = f->m.header_h, t = f->m.touch, pad = f->m.pad / 2;
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

/* A line of small text on a marker colour: "Not available in your language". */
int ui_fallback_mark(frame *f, int x, int y, int w, int draw)
{
    text_opts o = ui_opts(f->m.small, 1, COL_ON_MARK, TEXT_ALIGN_START);
    o.max_lines = 2;
    int pad = f->m.pad / 3;
    const char *s = ui_tr(f, "Not available in your language");
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
    ui_clip(f, &(rect){0, f->m.header_h, f->w, bottom - f->m.header_h});
    return f->m.header_h + f->m.pad / 2 - (int)f->st->scroll[f->st->screen];
}

void ui_scroll_end(frame *f, int bottom, int top, int end)
{
    ui_clip(f, NULL);
    int content = end - top + f->m.pad, view = bottom - f->m.header_h - f->m.pad / 2;
    ui_scroll_input(f, (float)(content - view));
}

/* ---------- attract / language choice ---------- */

void screen_attract(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    int n = 0;
    while (st->languages && st->languages[n]) n++;
    int portrait = f->h > f->w;
    int demo_h = st->demo ? f->m.small * 3 / 2 : 0;
    /* heading: globe pictogram and the prompt in the first two offered languages */
    int top = pad;
    int icon = t;
    ui_icon(f, "language", (rect){pad, top, icon, icon}, COL_ACCENT, 0);
    int access_x = ui_access_buttons(f, top, t, f->w);
    text_opts ho = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_LEFT);
    ho.max_lines = 1;
    ho.ui_dir = 0;
    int tx = pad * 2 + icon;
    int y = top;
    /* the prompt in the kiosk's default language, and in English beneath it */
    ho.lang = st->lang;
    /* small panels: one line in the default language, so four rows of buttons still fit */
    int small_screen = f->h < 600;
    if (small_screen) {
        ho.size = f->m.body;
        ho.max_lines = 2;
    }
    y += ui_text(f, (rect){tx, y, access_x - tx - pad, 0}, ui_tr(f, "Choose your language"), &ho, 1);
    if (!small_screen && strcmp(st->lang, "en") != 0) {
        ho.lang = "en";
        ho.size = f->m.body;
        ho.bold = 0;
        y += ui_text(f, (rect){tx, y, access_x - tx - pad, 0}, "Choose your language", &ho, 1);
    }
    top += (y - top > icon ? y - top : icon) + pad;

    int cols = portrait ? 2 : 4;
    int rows = (n + cols - 1) / cols;
    int avail = f->h - top - pad - demo_h - (small_screen ? 0 : f->m.small * 2);
    int bh = rows ? (avail - (rows - 1) * pad / 2) / rows : t;
    if (bh > t * 2) bh = t * 2;
    if (bh < t) bh = t;
    int bw = (f->w - 2 * pad - (cols - 1) * pad / 2) / cols;
    int tapped = 0;
    for (int i = 0; i < n; i++) {
        int c = i % cols, r = i / cols;
        rect b = {pad + c * (bw + pad / 2), top + r * (bh + pad / 2), bw, bh};
        char id[64], name[128];
        snprintf(id, sizeof id, "lang:%s", st->languages[i]);
        if (ui_hit(f, id, b)) {
            ui_emit(f, ACT_CHOOSE_LANG, st->languages[i], 0);
            tapped = 1;
        }
        ui_fill(f, b, COL_TILE);
        ui_border(f, b, COL_ACCENT, 3);
        snprintf(name, sizeof name, "%s", st->language_names ? st->language_names[i] : st->languages[i]);
        text_opts o = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_CENTER);
        o.lang = st->languages[i];
        o.ui_dir = 0;
        o.max_lines = 2;
        int th = ui_text(f, (rect){b.x + pad / 2, 0, b.w - pad, 0}, name, &o, 0);
        if (th > b.h - pad / 2) {
            /* a long name on a small panel: a smaller size rather than a cut word */
            o.size = f->m.body;
            th = ui_text(f, (rect){b.x + pad / 2, 0, b.w - pad, 0}, name, &o, 0);
        }
        ui_text(f, (rect){b.x + pad / 2, b.y + (b.h - th) / 2, b.w - pad, th}, name, &o, 1);
    }
    int by = top + rows * (bh + pad / 2);
    if (!small_screen) ui_icon(f, "touch", (rect){pad, by, f->m.small * 2, f->m.small * 2}, COL_MUTED, 0);
    text_opts so = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_START);
    so.max_lines = 1;
    if (!small_screen)
        ui_text(f, (rect){pad * 2 + f->m.small * 2, by + f->m.small / 4, f->w - 3 * pad - f->m.small * 2, 0},
                ui_tr(f, "Touch your language to start"), &so, 1);
    ui_demo_banner(f, f->h - demo_h, demo_h);
    /* staff mode: a long press (3 s) in the physical top-left corner, whatever the direction */
    rect corner = ui_flip(f, (rect){0, 0, t * 3 / 2, t * 3 / 2});
    int staff = ui_hit(f, "staff-corner", corner) && f->in->long_press;
    if (staff) ui_emit(f, ACT_STAFF_ENTER, NULL, 0);
    /* touching anywhere else starts in the kiosk's default language */
    else if (f->in->tap && !tapped) ui_emit(f, ACT_START, NULL, 0);
}

/* ---------- categories ---------- */

void screen_categories(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad;
    int demo_h = st->demo ? f->m.small * 3 / 2 : 0;
    int hh = f->m.header_h;
    /* five across where a tile keeps 45 mm, else four: long words must fit a line */
    int cols = f->h > f->w ? 2 : (f->w - 6 * pad) / 5 >= (int)(45 * f->m.mm) ? 5 : 4;
    int tile_w = (f->w - 2 * pad - (cols - 1) * pad) / cols;
    /* narrow tiles (small panels) take the small font; the pictogram keeps at least 40 % */
    int narrow = tile_w < (int)(45 * f->m.mm);
    text_opts no = ui_opts(narrow ? f->m.small : f->m.body, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    no.max_lines = 2;
    no.ui_dir = 0;
    text_opts co = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_CENTER);
    co.max_lines = 1;
    int name_h = 0;
    for (int i = 0; i < st->ncats; i++) {
        no.lang = st->cats[i].name.lang;
        int h = ui_text(f, (rect){0, 0, tile_w - pad, 0}, st->cats[i].name.text, &no, 0);
        if (h > name_h) name_h = h;
    }
    int cnt_h = narrow ? 0 : ui_text(f, (rect){0, 0, tile_w - pad, 0}, "0", &co, 0);
    int tile_h = tile_w * 4 / 5;
    int min_h = name_h + cnt_h + pad + (int)(12 * f->m.mm);
    if (tile_h < min_h) tile_h = min_h;
    int rows = (st->ncats + cols - 1) / cols;
    text_opts to = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_START);
    to.max_lines = 2;
    const char *title = ui_tr(f, "What do you need help with?");
    int title_h = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, title, &to, 0);
    text_opts fo = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_CENTER);
    const char *help = ui_tr(f, "Questions? Please ask the staff.");
    int help_h = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, help, &fo, 0);
    rect view = {0, hh, f->w, f->h - hh - demo_h};
    /* the guided questions share the title's line */
    int guide_w = st->nquestions > 0 ? (f->w - 3 * pad) * 2 / 5 : 0;
    if (guide_w) title_h = ui_text(f, (rect){pad, 0, f->w - 3 * pad - guide_w, 0}, title, &to, 0);
    int line_h = guide_w && f->m.touch > title_h ? f->m.touch : title_h;
    int mine_h = st->can_book ? f->m.touch + pad : 0;
    int total = pad / 2 + line_h + pad / 2 + rows * (tile_h + pad) + mine_h + help_h + pad;
    float sc = ui_scroll_input(f, (float)(total - view.h));
    ui_clip(f, &view);
    int y0 = hh + pad / 2 - (int)sc;
    if (guide_w && ui_wide_button(f, "guide", (rect){f->w - pad - guide_w, y0, guide_w, line_h}, "guide",
                                  ui_tr(f, "Find help step by step"), COL_ACCENT) &&
        f->in->tap_y >= view.y)
        ui_emit(f, ACT_GUIDE, NULL, 0);
    ui_text(f, (rect){pad, y0 + (line_h - title_h) / 2, f->w - 3 * pad - guide_w, title_h}, title, &to, 1);
    y0 += line_h + pad / 2;
    for (int i = 0; i < st->ncats; i++) {
        const store_category *c = &st->cats[i];
        rect r = {pad + (i % cols) * (tile_w + pad), y0 + (i / cols) * (tile_h + pad), tile_w, tile_h};
        if (r.y + r.h < view.y || r.y > view.y + view.h) continue;
        char id[96];
        snprintf(id, sizeof id, "cat:%s", c->id);
        if (ui_hit(f, id, r) && f->in->tap_y >= view.y && f->in->tap_y < view.y + view.h) ui_emit(f, ACT_CATEGORY, c->id, 0);
        ui_fill(f, r, COL_TILE);
        ui_border(f, r, COL_LINE, 2);
        no.lang = c->name.lang;
        int nh = ui_text(f, (rect){r.x + pad / 2, 0, r.w - pad, 0}, c->name.text, &no, 0);
        int icon_h = r.h - name_h - cnt_h - pad;
        ui_image(f, c->id, c->icon, c->icon_len, (rect){r.x, r.y + pad / 2, r.w, icon_h}, COL_ACCENT, 0);
        /* names of one or two lines share a baseline area under the pictogram */
        int ny = r.y + pad / 2 + icon_h + (name_h - nh) / 2;
        ui_text(f, (rect){r.x + pad / 2, ny, r.w - pad, nh}, c->name.text, &no, 1);
        if (cnt_h) {
            char cnt[64];
            i18n_format_count(st->catalog, st->lang, "%d offer", "%d offers", c->count, cnt, sizeof cnt);
            ui_text(f, (rect){r.x + pad / 2, r.y + r.h - cnt_h - pad / 3, r.w - pad, cnt_h}, cnt, &co, 1);
        }
    }
    if (mine_h) {
        int bw = f->w - 2 * pad < (int)(120 * f->m.mm) ? f->w - 2 * pad : (int)(120 * f->m.mm);
        if (ui_wide_button(f, "my-booking", (rect){(f->w - bw) / 2, y0 + rows * (tile_h + pad), bw, f->m.touch},
                           "calendar", ui_tr(f, "My appointment: look up or cancel"), COL_TILE))
            ui_emit(f, ACT_MY_BOOKING, NULL, 0);
    }
    ui_text(f, (rect){pad, y0 + rows * (tile_h + pad) + mine_h, f->w - 2 * pad, help_h}, help, &fo, 1);
    ui_clip(f, NULL);
    ui_header(f, 1);
    ui_demo_banner(f, f->h - demo_h, demo_h);
}

/* ---------- offer list ---------- */

static const store_category *current_category(const app_state *st)
{
    for (int i = 0; i < st->ncats; i++)
        if (strcmp(st->cats[i].id, st->category) == 0) return &st->cats[i];
    return NULL;
}

void screen_list(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad;
    int hh = f->m.header_h;
    const store_category *cat = current_category(st);
    /* title bar under the header: pictogram and category name */
    int tb_h = f->m.touch;
    rect tb = {0, hh, f->w, tb_h};
    ui_fill(f, tb, COL_BG);
    if (cat) {
        ui_image(f, cat->id, cat->icon, cat->icon_len, (rect){pad, hh + pad / 4, tb_h - pad / 2, tb_h - pad / 2},
                 COL_ACCENT, 0);
        text_opts o = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_START);
        o.max_lines = 1;
        o.lang = cat->name.lang;
        ui_text(f, (rect){pad * 2 + tb_h, hh + (tb_h - f->m.heading * 3 / 2) / 2, f->w - 3 * pad - tb_h, 0}, cat->name.text,
                &o, 1);
    }
    rect view = {0, hh + tb_h, f->w, f->h - hh - tb_h};
    if (st->nrows == 0) {
        text_opts eo = ui_opts(f->m.body, 0, COL_TEXT, TEXT_ALIGN_CENTER);
        ui_text(f, (rect){pad, view.y + pad * 2, f->w - 2 * pad, 0}, ui_tr(f, "No offers here yet. Please ask the staff."), &eo, 1);
        ui_header(f, 1);
        return;
    }
    ui_offer_list(f, view, st->rows, st->nrows, st->row_meta, 1, 1);
    ui_header(f, 1);
}

/*
 * Offer rows in view, scrolled by the current screen's scroll: name, provider, summary and a
 * meta line (meta[i], or the town) per row, fallback marked. Tapping a row opens the offer.
 * scroll: whether this list owns the screen's scrolling.
 */
void ui_offer_list(frame *f, rect view, const store_offer_row *rows, int nrows, char *const *meta, int meta_lines,
                   int scroll)
{
    const app_state *st = f->st;
    int pad = f->m.pad;
    /* fixed row height: only visible rows are laid out */
    text_opts no = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_START);
    no.max_lines = 1;
    no.ui_dir = 0;
    text_opts po = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_START);
    po.max_lines = 1;
    po.ui_dir = 0;
    text_opts so = ui_opts(f->m.small, 0, COL_TEXT, TEXT_ALIGN_START);
    so.max_lines = 2;
    so.ui_dir = 0;
    int body_line = ui_text(f, (rect){0, 0, f->w, 0}, "Ag", &no, 0);
    int small_line = ui_text(f, (rect){0, 0, f->w, 0}, "Ag", &po, 0);
    if (i18n_is_rtl(st->lang)) {
        /* Arabic-script fonts (Nastaliq above all) need taller lines than Latin */
        text_opts probe = no;
        probe.lang = st->lang;
        int b2 = ui_text(f, (rect){0, 0, f->w, 0}, "بگ", &probe, 0);
        probe = po;
        probe.lang = st->lang;
        int s2 = ui_text(f, (rect){0, 0, f->w, 0}, "بگ", &probe, 0);
        if (b2 > body_line) body_line = b2;
        if (s2 > small_line) small_line = s2;
    }
    int any_fallback = 0;
    for (int i = 0; i < nrows && !any_fallback; i++) any_fallback = rows[i].name.fallback || rows[i].summary.fallback;
    int mark_h = any_fallback ? ui_fallback_mark(f, 0, 0, f->w / 2, 0) : 0;
    if (meta_lines < 1) meta_lines = 1;
    int row_h = pad + body_line + small_line * (3 + meta_lines) + mark_h;
    if (row_h < f->m.touch) row_h = f->m.touch;
    float sc = scroll ? ui_scroll_input(f, (float)(nrows * row_h + pad - view.h)) : 0;
    ui_clip(f, &view);
    int first = (int)sc / row_h;
    for (int i = first < 0 ? 0 : first; i < nrows; i++) {
        const store_offer_row *r = &rows[i];
        int y = view.y + i * row_h - (int)sc;
        if (y > view.y + view.h) break;
        rect rr = {pad / 2, y, f->w - pad, row_h - pad / 4};
        char id[160];
        snprintf(id, sizeof id, "row:%d", i);
        if (ui_hit(f, id, rr) && f->in->tap_y >= view.y && f->in->tap_y < view.y + view.h) ui_emit(f, ACT_OFFER, r->id, 0);
        ui_fill(f, rr, COL_TILE);
        int x = rr.x + pad / 2, w = rr.w - pad;
        int yy = y + pad / 2;
        if (r->name.fallback || r->summary.fallback) yy += ui_fallback_mark(f, x, yy, w, 1) + pad / 4;
        no.lang = r->name.lang;
        yy += ui_text(f, (rect){x, yy, w, body_line}, r->name.text, &no, 1);
        po.lang = r->provider.lang;
        yy += ui_text(f, (rect){x, yy, w, small_line}, r->provider.text, &po, 1);
        so.lang = r->summary.lang;
        yy += ui_text(f, (rect){x, yy, w, small_line * 2}, r->summary.text, &so, 1);
        text_opts mo = ui_opts(f->m.small, 0, COL_ACCENT, TEXT_ALIGN_START);
        mo.max_lines = meta_lines;
        ui_text(f, (rect){x, yy, w, small_line * meta_lines}, meta ? meta[i] : r->town, &mo, 1);
    }
    ui_clip(f, NULL);
}

/* ---------- offer detail ---------- */

/* Long lines are hard to follow: text columns stop at about 26 cm on wide screens. */
int ui_column_width(const frame *f)
{
    int w = f->w - 2 * f->m.pad, max = (int)(260 * f->m.mm);
    return w < max ? w : max;
}

/* A labelled section: label line, optional fallback marker, value. Returns the height. */
static int section(frame *f, int y, const char *label, const char *value, const char *lang, int fallback, int draw)
{
    if (!value || !*value) return 0;
    int pad = f->m.pad, w = ui_column_width(f);
    text_opts lo = ui_opts(f->m.small, 1, COL_ACCENT, TEXT_ALIGN_START);
    text_opts vo = ui_opts(f->m.body, 0, COL_TEXT, TEXT_ALIGN_START);
    vo.ui_dir = 0;
    vo.lang = lang;
    int h = ui_text(f, (rect){pad, y, w, 0}, label, &lo, draw);
    if (fallback) h += ui_fallback_mark(f, pad, y + h, w, draw) + pad / 4;
    h += ui_text(f, (rect){pad, y + h, w, 0}, value, &vo, draw);
    return h + pad;
}

void screen_detail(frame *f)
{
    const app_state *st = f->st;
    const store_offer *o = st->offer;
    int hh = f->m.header_h, pad = f->m.pad;
    rect view = {0, hh, f->w, f->h - hh};
    if (!o) {
        ui_header(f, 1);
        return;
    }
    char addr[512] = "", phones[256] = "";
    /* address and phone numbers as units (text_address, text_unit): whole in either direction */
    text_address(addr, sizeof addr, o->location_name.text, o->street, o->postcode, o->city, o->district);
    for (int i = 0; i < o->nphones; i++) text_unit_append(phones, sizeof phones, "\n", o->phones[i], TEXT_UNIT_LTR);
    const char *hours = st->offer_hours && *st->offer_hours ? st->offer_hours : ui_tr(f, "By appointment only");
    const char *spoken = st->offer_spoken ? st->offer_spoken : "";

    struct sec {
        const char *label, *value, *lang;
        int fallback;
    } secs[] = {
        {ui_tr(f, "About this offer"), o->description.text, o->description.lang, o->description.fallback},
        /* organisation names are proper names: no marker when they stay German */
        {ui_tr(f, "Provider"), o->provider.text, o->provider.lang, 0},
        {ui_tr(f, "Address"), addr, "de", 0},
        {ui_tr(f, "Opening hours"), hours, st->lang, 0},
        {ui_tr(f, "Phone"), phones, "en", 0},
        {ui_tr(f, "E-mail"), o->email, "en", 0},
        {ui_tr(f, "Website"), o->url, "en", 0},
        {ui_tr(f, "Cost"), o->cost.text, o->cost.lang, o->cost.fallback},
        {ui_tr(f, "Who it is for"), o->eligibility.text, o->eligibility.lang, o->eligibility.fallback},
        {ui_tr(f, "Accessibility"), o->accessibility.text, o->accessibility.lang, o->accessibility.fallback},
        {ui_tr(f, "Languages spoken here"), spoken, st->lang, 0},
    };
    int nsecs = (int)(sizeof secs / sizeof secs[0]);
    text_opts to = ui_opts(f->m.title, 1, COL_TEXT, TEXT_ALIGN_START);
    to.ui_dir = 0;
    to.lang = o->name.lang;
    text_opts so = ui_opts(f->m.body, 0, COL_MUTED, TEXT_ALIGN_START);
    so.ui_dir = 0;
    so.lang = o->summary.lang;
    int w = ui_column_width(f);
    int total = pad;
    if (o->name.fallback || o->summary.fallback) total += ui_fallback_mark(f, pad, 0, w, 0) + pad / 2;
    total += ui_text(f, (rect){pad, 0, w, 0}, o->name.text, &to, 0);
    total += ui_text(f, (rect){pad, 0, w, 0}, o->summary.text, &so, 0) + pad;
    /* booking comes before the long text: it is what a person came for */
    int book = o->bookable && st->can_book;
    if (book) total += f->m.touch + pad;
    for (int i = 0; i < nsecs; i++) total += section(f, 0, secs[i].label, secs[i].value, secs[i].lang, secs[i].fallback, 0);
    float sc = ui_scroll_input(f, (float)(total + pad - view.h));
    ui_clip(f, &view);
    int y = hh + pad - (int)sc;
    if (o->name.fallback || o->summary.fallback) y += ui_fallback_mark(f, pad, y, w, 1) + pad / 2;
    y += ui_text(f, (rect){pad, y, w, 0}, o->name.text, &to, 1);
    y += ui_text(f, (rect){pad, y, w, 0}, o->summary.text, &so, 1) + pad / 2;
    if (book) {
        int bw = w < (int)(120 * f->m.mm) ? w : (int)(120 * f->m.mm);
        if (ui_wide_button(f, "book", (rect){pad, y, bw, f->m.touch}, "calendar", ui_tr(f, "Book an appointment"),
                           COL_ACCENT))
            ui_emit(f, ACT_BOOK, NULL, 0);
        y += f->m.touch + pad / 2;
    }
    ui_fill(f, (rect){pad, y, w, 2}, COL_LINE);
    y += pad / 2;
    for (int i = 0; i < nsecs; i++) {
        int h = section(f, y, secs[i].label, secs[i].value, secs[i].lang, secs[i].fallback, 0);
        if (y + h >= view.y && y <= view.y + view.h) section(f, y, secs[i].label, secs[i].value, secs[i].lang, secs[i].fallback, 1);
        y += h;
    }
    ui_clip(f, NULL);
    ui_header(f, 1);
}

/* ---------- idle countdown ---------- */

void screen_overlay_countdown(frame *f)
{
    int pad = f->m.pad;
    char msg[256];
    i18n_format_count(f->st->catalog, f->st->lang, "Returning to the start in %d second",
                      "Returning to the start in %d seconds", f->st->countdown, msg, sizeof msg);
    text_opts o = ui_opts(f->m.heading, 1, COL_ON_ACCENT, TEXT_ALIGN_CENTER);
    text_opts o2 = ui_opts(f->m.body, 0, COL_ON_ACCENT, TEXT_ALIGN_CENTER);
    int h1 = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, msg, &o, 0);
    int h2 = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, ui_tr(f, "Touch the screen to continue"), &o2, 0);
    int h = h1 + h2 + 2 * pad;
    int y = f->h - h;
    ui_fill(f, (rect){0, y, f->w, h}, COL_WARN);
    ui_text(f, (rect){pad, y + pad, f->w - 2 * pad, h1}, msg, &o, 1);
    ui_text(f, (rect){pad, y + pad + h1, f->w - 2 * pad, h2}, ui_tr(f, "Touch the screen to continue"), &o2, 1);
}

/* ---------- staff mode ---------- */

/* A plain text button; returns 1 when tapped. */
static int text_button(frame *f, const char *id, rect r, const char *label, int color, int text_color)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, color);
    text_opts o = ui_opts(f->m.body, 1, text_color, TEXT_ALIGN_CENTER);
    o.max_lines = 1;
    int th = ui_text(f, (rect){r.x + 4, 0, r.w - 8, 0}, label, &o, 0);
    ui_text(f, (rect){r.x + 4, r.y + (r.h - th) / 2, r.w - 8, th}, label, &o, 1);
    return hit;
}

void screen_pin(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch, hh = f->m.header_h;
    text_opts to = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    int y = hh + pad;
    y += ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, ui_tr(f, "Staff PIN"), &to, 1) + pad / 2;
    /* dots, never digits */
    int dot = t / 3;
    int dx = f->w / 2 - (st->pin_len * (dot + dot / 2)) / 2;
    for (int i = 0; i < st->pin_len; i++) ui_fill(f, (rect){dx + i * (dot + dot / 2), y, dot, dot}, COL_TEXT);
    y += dot + pad / 2;
    text_opts mo = ui_opts(f->m.body, 1, COL_WARN, TEXT_ALIGN_CENTER);
    int mh = ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, st->staff_msg, &mo, 1);
    y += (mh > f->m.body * 3 / 2 ? mh : f->m.body * 3 / 2) + pad / 2;
    static const char *keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
    int kw = t * 2, kh = t;
    int avail = f->h - y - pad;
    if (4 * (kh + pad / 2) > avail) kh = avail / 4 - pad / 2;
    if (kh < t * 2 / 3) kh = t * 2 / 3;
    int x0 = f->w / 2 - (3 * kw + 2 * (pad / 2)) / 2;
    for (int i = 0; i < 12; i++) {
        rect r = {x0 + (i % 3) * (kw + pad / 2), y + (i / 3) * (kh + pad / 2), kw, kh};
        char id[16];
        snprintf(id, sizeof id, "pin:%s", keys[i]);
        /* the pad keeps its phone layout in every language: digits are not mirrored */
        r = ui_flip(f, r);
        const char *label = !strcmp(keys[i], "del") ? "⌫" : !strcmp(keys[i], "ok") ? "OK" : keys[i];
        if (text_button(f, id, r, label, i == 11 ? COL_ACCENT : COL_TILE, i == 11 ? COL_ON_ACCENT : COL_TEXT)) {
            if (i == 9) ui_emit(f, ACT_PIN_DELETE, NULL, 0);
            else if (i == 11) ui_emit(f, ACT_PIN_OK, NULL, 0);
            else ui_emit(f, ACT_PIN_DIGIT, keys[i], 0);
        }
        if (i != 11) ui_border(f, r, COL_LINE, 2);
    }
    ui_header(f, 1);
}

void screen_staff(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    int w = f->w - 2 * pad;
    /* the buttons at the bottom: "write bookings" between "leave" and "quit", or in a row of
     * its own above them on a narrow panel; the rest is cut off above them */
    rect leave = {pad, f->h - t - pad, t * 5, t}, quit = {f->w - pad - t * 4, f->h - t - pad, t * 4, t};
    rect exp = {2 * pad + t * 5, leave.y, f->w - 4 * pad - t * 9, t};
    if (exp.w < t * 4) exp = (rect){pad, leave.y - t - pad / 2, w, t};
    int bottom = st->can_book ? exp.y : leave.y;
    int y = ui_scroll_begin(f, bottom), top = y;
    text_opts to = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_START);
    y += ui_text(f, (rect){pad, y, w, 0}, ui_tr(f, "Staff mode"), &to, 1) + pad / 2;
    text_opts io = ui_opts(f->m.small, 0, COL_TEXT, TEXT_ALIGN_START);
    y += ui_text(f, (rect){pad, y, w, 0}, st->staff_info, &io, 1) + pad / 2;
    if (st->staff_msg[0]) {
        text_opts mo = ui_opts(f->m.body, 1, COL_ACCENT, TEXT_ALIGN_START);
        y += ui_text(f, (rect){pad, y, w, 0}, st->staff_msg, &mo, 1) + pad / 2;
    }
    text_opts ho = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_START);
    y += ui_text(f, (rect){pad, y, w, 0}, ui_tr(f, "Packs on removable media"), &ho, 1);
    if (st->npacks == 0) {
        text_opts eo = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_START);
        y += ui_text(f, (rect){pad, y, w, 0}, ui_tr(f, "No pack found. Insert the USB stick and wait a moment."), &eo, 1);
    }
    int bw = t * 3;
    for (int i = 0; i < st->npacks; i++) {
        const staff_pack *p = &st->packs[i];
        rect row = {pad, y + pad / 4, w, t + pad / 2};
        ui_fill(f, row, COL_TILE);
        text_opts no = ui_opts(f->m.small, 1, COL_TEXT, TEXT_ALIGN_START);
        no.max_lines = 1;
        ui_text(f, (rect){row.x + pad / 2, row.y + pad / 4, row.w - bw - pad, 0}, p->name, &no, 1);
        text_opts so = ui_opts(f->m.small, 0, p->state == PACKROW_REFUSED ? COL_WARN : COL_MUTED, TEXT_ALIGN_START);
        so.max_lines = 2;
        ui_text(f, (rect){row.x + pad / 2, row.y + pad / 4 + f->m.small * 3 / 2, row.w - bw - pad, 0}, p->status, &so, 1);
        rect b = {row.x + row.w - bw - pad / 4, row.y + pad / 4, bw, t};
        char id[32];
        if (p->state == PACKROW_FOUND && !st->staff_busy) {
            snprintf(id, sizeof id, "check:%d", i);
            if (text_button(f, id, b, ui_tr(f, "Check"), COL_ACCENT, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_CHECK, NULL, (float)i);
        } else if (p->state == PACKROW_READY) {
            snprintf(id, sizeof id, "apply:%d", i);
            if (text_button(f, id, b, ui_tr(f, "Apply"), COL_WARN, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_APPLY, NULL, (float)i);
        }
        y += row.h + pad / 2;
    }
    if (st->can_book) {
        /* today's bookings (times and codes; names only go into the export for the office) */
        y += pad / 2;
        y += ui_text(f, (rect){pad, y, w, 0}, ui_tr(f, "Bookings today"), &ho, 1);
        char list[STAFF_LIST_MAX * 300 + 64];
        size_t o = 0;
        if (st->nstaff_list <= 0)
            snprintf(list, sizeof list, "%s",
                     st->nstaff_list < 0 ? ui_tr(f, "The bookings cannot be read.") : ui_tr(f, "No bookings for today."));
        for (int i = 0; i < st->nstaff_list && o + 300 < sizeof list; i++) {
            const staff_booking *b = &st->staff_list[i];
            char code[64];
            text_unit(code, sizeof code, b->code, TEXT_UNIT_LTR);
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s  %s  %.80s – %s", i ? "\n" : "", b->time, code, b->offer,
                                  ui_booking_state(f, b->state));
        }
        text_opts bo = ui_opts(f->m.small, 0, COL_TEXT, TEXT_ALIGN_START);
        y += ui_text(f, (rect){pad, y, w, 0}, list, &bo, 1);
    }
    ui_scroll_end(f, bottom, top, y);
    if (st->can_book) {
        if (!st->staff_exporting &&
            text_button(f, "staff-export", exp, ui_tr(f, "Write bookings to the USB stick"), COL_ACCENT, COL_ON_ACCENT))
            ui_emit(f, ACT_STAFF_EXPORT, NULL, 0);
    }
    if (text_button(f, "staff-leave", leave, ui_tr(f, "Leave staff mode"), COL_ACCENT, COL_ON_ACCENT))
        ui_emit(f, ACT_STAFF_LEAVE, NULL, 0);
    if (text_button(f, "staff-quit", quit, ui_tr(f, "Quit kiosk"), COL_WARN, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_QUIT, NULL, 0);
    ui_header(f, 1);
}
