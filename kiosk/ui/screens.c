/*
 * screens.c: the attract/language screen, categories, offer list, offer detail and the idle
 * countdown, each drawn from app_state alone. Layout is in left-to-right coordinates; ui.c
 * mirrors it for right-to-left languages.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- attract / language choice ---------- */

/* Height of one line at opts o in the tallest of the scripts offered: the heading keeps its
 * place while the invitation turns through the languages (Nastaliq stands tallest). From the
 * fonts' metrics: shaping the probes read every script's layout tables before the first frame. */
static int tallest_line(frame *f, text_opts o)
{
    static const char *const probes[][2] = {{"en", "Ag"}, {"ur", "بگ"}, {"ar", "بگ"}, {"ti", "ቋ"}, {"ru", "Щу"}};
    int h = 0;
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        o.lang = probes[i][0];
        int lh = ui_line_height(f, probes[i][1], &o);
        if (lh > h) h = lh;
    }
    return h;
}

/* What the kiosk offers: the pack's category pictograms, named in the inviting language when
 * labels (a large panel). Not targets of their own: a tap there starts like any tap. */
static int attract_offers(frame *f, rect area, int labels, int draw)
{
    const app_state *st = f->st;
    const store_category *c = st->attract_cats ? st->attract_cats : st->cats;
    int n = st->attract_cats ? st->nattract_cats : st->ncats;
    if (n <= 0 || area.w <= 0 || area.h <= 0) return 0;
    int pad = f->m.pad;
    if (!labels) {
        /* one row of pictograms, as many as fit at their size */
        int side = area.h, gap = pad / 2;
        int fit = (area.w + gap) / (side + gap);
        if (fit > n) fit = n;
        for (int i = 0; draw && i < fit; i++)
            ui_image(f, c[i].id, c[i].icon, c[i].icon_len, (rect){area.x + i * (side + gap), area.y, side, side},
                     COL_ACCENT, 0);
        return side;
    }
    int rows = n > 6 && f->h > f->w ? 2 : 1;
    int cols = (n + rows - 1) / rows;
    int tw = (area.w - (cols - 1) * pad / 2) / cols;
    text_opts lo = ui_opts(f->m.body, 0, COL_TEXT, TEXT_ALIGN_CENTER);
    lo.ui_dir = 0;
    lo.max_lines = 2;
    int label_h = 0;
    for (int i = 0; i < n; i++) {
        lo.lang = c[i].name.lang;
        int h = ui_text(f, (rect){0, 0, tw, 0}, c[i].name.text, &lo, 0);
        if (h > label_h) label_h = h;
    }
    int row_h = area.h / rows;
    int side = row_h - label_h - pad / 2;
    if (side > tw * 3 / 5) side = tw * 3 / 5;
    if (side > (int)(30 * f->m.mm)) side = (int)(30 * f->m.mm);
    if (side < (int)(8 * f->m.mm)) return 0; /* no room for a pictogram one can make out */
    int used = rows * (side + pad / 2 + label_h);
    int y0 = area.y;
    for (int i = 0; draw && i < n; i++) {
        int r = i / cols, k = i % cols;
        /* a short last row stays centred */
        int in_row = r == rows - 1 ? n - r * cols : cols;
        int x0 = area.x + (area.w - (in_row * tw + (in_row - 1) * pad / 2)) / 2;
        int x = x0 + k * (tw + pad / 2), y = y0 + r * (side + pad / 2 + label_h);
        ui_image(f, c[i].id, c[i].icon, c[i].icon_len, (rect){x, y, tw, side}, COL_ACCENT, 0);
        lo.lang = c[i].name.lang;
        int h = ui_text(f, (rect){x, 0, tw, 0}, c[i].name.text, &lo, 0);
        ui_text(f, (rect){x, y + side + pad / 4, tw, h}, c[i].name.text, &lo, 1);
    }
    return used;
}

void screen_attract(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    int n = 0;
    while (st->languages && st->languages[n]) n++;
    int portrait = f->h > f->w;
    int demo_h = st->demo ? f->m.small * 3 / 2 : 0;
    /* the invitation speaks one offered language at a time, each in its own script (app_tick
     * turns it); the buttons, the access labels and a tap elsewhere stay in the default language */
    const char *il = st->attract_lang ? st->attract_lang : st->lang;
    const i18n_catalog *ic = st->attract_lang ? st->attract_catalog : st->catalog;
    int top = pad;
    int icon = t;
    ui_icon(f, "language", (rect){pad, top, icon, icon}, COL_ACCENT, 0);
    int access_x = ui_access_buttons(f, top, f->m.header_h - pad, f->w);
    /* small panels: the prompt in one line and a row of pictograms under it, so four rows of
     * buttons still fit */
    int small_screen = f->h < 600;
    text_opts ho = ui_opts(small_screen ? f->m.body : f->m.title, 1, COL_TEXT, TEXT_ALIGN_START);
    ho.max_lines = 1;
    ho.ui_dir = 0;
    text_opts so = ui_opts(f->m.body, 0, COL_MUTED, TEXT_ALIGN_START);
    so.max_lines = 1;
    so.ui_dir = 0;
    int tx = pad * 2 + icon, tw = access_x - tx - pad;
    int head_h = tallest_line(f, ho), sub_h = small_screen ? 0 : tallest_line(f, so);
    ho.lang = so.lang = il;
    const char *prompt = i18n_gettext(ic, "Choose your language");
    ui_text(f, (rect){tx, top, tw, head_h}, prompt, &ho, 1);
    int cols = portrait ? 2 : 4;
    int rows = (n + cols - 1) / cols;
    int block = head_h + sub_h > icon ? head_h + sub_h : icon;
    if (small_screen) {
        /* the row sits under the ink of this language's prompt, not under its line box: a
         * Nastaliq line keeps a third of its height free of ink, and the row fits there. It is no
         * target, so it may move a little */
        int ink_top, ink_bottom, cut;
        int ph = ui_text_ink(f, (rect){tx, top, tw, 0}, prompt, &ho, &ink_top, &ink_bottom, &cut);
        int below = (ink_bottom > 0 ? ink_bottom : ph) + pad / 8;
        int side = block - below - pad / 8;
        if (side > (int)(4 * f->m.mm)) attract_offers(f, (rect){tx, top + below, tw, side}, 0, 1);
    } else {
        ui_text(f, (rect){tx, top + head_h, tw, sub_h}, i18n_gettext(ic, "Touch your language to start"), &so, 1);
    }
    top += block + pad;
    int lang_top = top; /* where the language buttons start */

    int avail = f->h - top - pad - demo_h;
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
    /* below the buttons, what a passer-by finds here: a line saying it and the pictograms */
    int by = top + rows * (bh + pad / 2) + pad / 2, bottom = f->h - demo_h - pad;
    if (!small_screen && bottom - by > (int)(20 * f->m.mm)) {
        text_opts go = ui_opts(f->m.heading, 1, COL_ACCENT, TEXT_ALIGN_CENTER);
        go.ui_dir = 0;
        go.lang = il;
        go.max_lines = 2;
        const char *what = i18n_gettext(ic, "Help and advice for newcomers, in your language");
        int gh = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, what, &go, 0);
        rect pict = {pad, 0, f->w - 2 * pad, bottom - by - gh - pad};
        int ph = attract_offers(f, pict, 1, 0);
        /* the line and its pictograms as one group in the middle of the space left */
        int gy = by + (bottom - by - gh - pad - ph) / 2;
        ui_text(f, (rect){pad, gy, f->w - 2 * pad, gh}, what, &go, 1);
        pict.y = gy + gh + pad;
        attract_offers(f, pict, 1, 1);
    }
    ui_demo_banner(f, f->h - demo_h, demo_h);
    /* staff mode: a long press (3 s) in the top corner with the globe, where each line starts:
     * top-left, top-right when the default language is written right to left. The other top
     * corner holds the access buttons (Contrast under a corner fixed top-left in Arabic). */
    int cw = t * 3 / 2, ch = t * 3 / 2;
    rect corner = {0, 0, cw < access_x ? cw : access_x, ch < lang_top ? ch : lang_top};
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
    ui_scroll_clip(f, &view, sc);
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

/* ---------- offer detail ---------- */

/*
 * The detail page in one or two columns. The offer's own text runs in a column of about 65
 * characters (a measure people read without losing the line), in larger type where the panel
 * is wide; each place the offer is held at gets a card of its own with its address, the hours
 * held there and its phone, so no one reads one place's hours as another's. On a wide panel the
 * cards stand beside the text, as many side by side as fit; on narrow ones they follow it.
 */
typedef struct detail_geom {
    int x, w;       /* the text column */
    int size;       /* body type of the text column */
    int side_x, side_w, card_cols, card_w;  /* the place cards (side_w 0: below the text) */
} detail_geom;

static detail_geom detail_layout(const frame *f)
{
    detail_geom g;
    int pad = f->m.pad, avail = f->w - 2 * pad;
    int two = f->w >= (int)(300 * f->m.mm);
    /* 34 em is about 65 characters of Latin text; larger type where the width allows it */
    int size = f->m.body;
    if (two) size = f->m.body * 5 / 4;
    else if (avail / 34 > size) size = avail / 34 < f->m.body * 13 / 10 ? avail / 34 : f->m.body * 13 / 10;
    g.size = size;
    g.x = pad;
    g.w = 34 * size < avail ? 34 * size : avail;
    if (two && avail - g.w - 2 * pad < (int)(90 * f->m.mm)) g.w = avail - 2 * pad - (int)(90 * f->m.mm);
    g.side_x = two ? g.x + g.w + 2 * pad : pad;
    g.side_w = two ? f->w - pad - g.side_x : avail;
    int min_card = (int)(85 * f->m.mm);
    g.card_cols = g.side_w / min_card > 0 ? g.side_w / min_card : 1;
    int n = f->st->offer ? f->st->offer->nplaces : 1;
    if (g.card_cols > n) g.card_cols = n > 0 ? n : 1;
    g.card_w = (g.side_w - (g.card_cols - 1) * pad) / g.card_cols;
    if (!two) g.side_w = 0;
    return g;
}

/* A labelled section at x, w wide: label line, value. Returns the height. */
static int section_in(frame *f, int x, int y, int w, int size, const char *label, const char *value, const char *lang,
                      int draw)
{
    if (!value || !*value) return 0;
    text_opts lo = ui_opts(f->m.small, 1, COL_ACCENT, TEXT_ALIGN_START);
    text_opts vo = ui_opts(size, 0, COL_TEXT, TEXT_ALIGN_START);
    vo.ui_dir = 0;
    vo.lang = lang;
    int h = ui_text(f, (rect){x, y, w, 0}, label, &lo, draw);
    h += ui_text(f, (rect){x, y + h, w, 0}, value, &vo, draw);
    return h + f->m.pad * 2 / 3;
}

/* One place: its name, address, the hours held there, its own phones, access. Returns the height. */
static int place_card(frame *f, int x, int y, int w, int i, int draw)
{
    const app_state *st = f->st;
    const store_place *p = &st->offer->places[i];
    int pad = f->m.pad, in = pad * 2 / 3;
    char addr[512] = "", phones[256] = "";
    /* address and phone numbers as units (text_address, text_unit): whole in either direction */
    text_address(addr, sizeof addr, NULL, p->street, p->postcode, p->city_local ? p->city_local : p->city, p->district);
    for (int k = 0; k < p->nphones; k++) text_unit_append(phones, sizeof phones, "\n", p->phones[k], TEXT_UNIT_LTR);
    const char *hours = st->place_hours && st->place_hours[i] ? st->place_hours[i] : "";
    int any = st->offer_hours && *st->offer_hours;
    for (int k = 0; st->place_hours && st->place_hours[k]; k++) any |= *st->place_hours[k] != 0;
    if (!*hours && !any) hours = ui_tr(f, "By appointment only");
    text_opts no = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_START);
    no.ui_dir = 0;
    no.lang = p->name.lang;
    int cx = x + in, cw = w - 2 * in, size = f->m.body;
    int h = in;
    if (draw) {
        int total = place_card(f, x, y, w, i, 0);
        ui_fill(f, (rect){x, y, w, total}, COL_TILE);
        ui_border(f, (rect){x, y, w, total}, COL_LINE, 2);
    }
    h += ui_text(f, (rect){cx, y + h, cw, 0}, *p->name.text ? p->name.text : p->city, &no, draw) + pad / 3;
    h += section_in(f, cx, y + h, cw, size, ui_tr(f, "Address"), addr, "de", draw);
    h += section_in(f, cx, y + h, cw, size, ui_tr(f, "Opening hours"), hours, st->lang, draw);
    h += section_in(f, cx, y + h, cw, size, ui_tr(f, "Phone"), phones, "en", draw);
    h += section_in(f, cx, y + h, cw, size, ui_tr(f, "Accessibility"), p->accessibility.text, p->accessibility.lang, draw);
    return h;
}

/* The place cards in g's grid from y; returns the height. */
static int place_cards(frame *f, const detail_geom *g, int y, int draw)
{
    const store_offer *o = f->st->offer;
    int pad = f->m.pad, h = 0;
    for (int r = 0; r * g->card_cols < o->nplaces; r++) {
        int row_h = 0;
        for (int c = 0; c < g->card_cols && r * g->card_cols + c < o->nplaces; c++) {
            int i = r * g->card_cols + c, x = g->side_x + c * (g->card_w + pad);
            int ch = place_card(f, x, y + h, g->card_w, i, draw);
            if (ch > row_h) row_h = ch;
        }
        h += row_h + pad / 2;
    }
    return h;
}

/* Everything of the offer from y; returns the y below it. draw=0 measures. */
static int detail_body(frame *f, const detail_geom *g, int y, int draw)
{
    const app_state *st = f->st;
    const store_offer *o = st->offer;
    int pad = f->m.pad, x = g->x, w = g->w, top = y;
    char phones[256] = "";
    for (int i = 0; i < o->nphones; i++) text_unit_append(phones, sizeof phones, "\n", o->phones[i], TEXT_UNIT_LTR);
    /* hours that name no place of the offer. Without a place there is nowhere to make an
     * appointment: an information page or a helpline shows no hours line rather than a claim
     * the content never made (the places' cards say "By appointment only" for places without hours) */
    const char *hours = st->offer_hours && *st->offer_hours ? st->offer_hours : NULL;
    const char *spoken = st->offer_spoken ? st->offer_spoken : "";
    /* what the reader should know about the words on this page, said once above it: some are
     * in another language; some were translated by a machine and no person checked them (EU AI
     * Act, Art. 50(4)); some may be out of date */
    const store_text *texts[] = {&o->name, &o->summary, &o->description, &o->provider, &o->cost, &o->eligibility};
    int fallback = 0, machine = 0, outdated = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0] + (size_t)o->nplaces * 2; i++) {
        size_t k = i - sizeof texts / sizeof texts[0];
        const store_text *t = i < sizeof texts / sizeof texts[0] ? texts[i]
                              : k % 2 ? &o->places[k / 2].accessibility : &o->places[k / 2].name;
        if (!t->text || !*t->text) continue;
        fallback |= t->fallback;
        machine |= t->status == STORE_MACHINE;
        outdated |= t->status == STORE_OUTDATED;
    }
    const char *notices[3];
    int nnotices = 0;
    if (fallback) notices[nnotices++] = ui_tr(f, "Not available in your language");
    if (machine) notices[nnotices++] = ui_tr(f, "Translated by a machine. No person has checked it yet.");
    if (outdated) notices[nnotices++] = ui_tr(f, "This translation may be out of date.");
    for (int i = 0; i < nnotices; i++) y += ui_notice(f, x, y, w, notices[i], draw) + pad / 4;
    text_opts to = ui_opts(f->m.title, 1, COL_TEXT, TEXT_ALIGN_START);
    to.ui_dir = 0;
    to.lang = o->name.lang;
    text_opts so = ui_opts(g->size, 0, COL_MUTED, TEXT_ALIGN_START);
    so.ui_dir = 0;
    so.lang = o->summary.lang;
    y += ui_text(f, (rect){x, y, w, 0}, o->name.text, &to, draw);
    y += ui_text(f, (rect){x, y, w, 0}, o->summary.text, &so, draw) + pad / 2;
    /* booking comes before the long text: it is what a person came for */
    if (o->bookable && st->can_book) {
        int bw = w < (int)(120 * f->m.mm) ? w : (int)(120 * f->m.mm);
        if (draw && ui_wide_button(f, "book", (rect){x, y, bw, f->m.touch}, "calendar", ui_tr(f, "Book an appointment"),
                                   COL_ACCENT))
            ui_emit(f, ACT_BOOK, NULL, 0);
        y += f->m.touch + pad / 2;
    }
    if (draw) ui_fill(f, (rect){x, y, w, 2}, COL_LINE);
    y += pad / 2;
    struct sec {
        const char *label, *value, *lang;
    } secs[] = {
        {ui_tr(f, "About this offer"), o->description.text, o->description.lang},
        {ui_tr(f, "Provider"), o->provider.text, o->provider.lang},
        {ui_tr(f, "Opening hours"), hours, st->lang},
        {ui_tr(f, "Phone"), phones, "en"},
        {ui_tr(f, "E-mail"), o->email, "en"},
        {ui_tr(f, "Website"), o->url, "en"},
        {ui_tr(f, "Cost"), o->cost.text, o->cost.lang},
        {ui_tr(f, "Who it is for"), o->eligibility.text, o->eligibility.lang},
        {ui_tr(f, "Languages spoken here"), spoken, st->lang},
    };
    int nsecs = (int)(sizeof secs / sizeof secs[0]);
    /* narrow: the places follow the description, before the rest */
    for (int i = 0; i < nsecs; i++) {
        y += section_in(f, x, y, w, g->size, secs[i].label, secs[i].value, secs[i].lang, draw);
        if (i == 0 && !g->side_w) y += place_cards(f, g, y, draw);
    }
    if (g->side_w) {
        int side = top + place_cards(f, g, top, draw);
        if (side > y) y = side;
    }
    return y;
}

void screen_detail(frame *f)
{
    const app_state *st = f->st;
    int hh = f->m.header_h, pad = f->m.pad;
    rect view = {0, hh, f->w, f->h - hh};
    if (!st->offer) {
        ui_header(f, 1);
        return;
    }
    detail_geom g = detail_layout(f);
    int total = detail_body(f, &g, 0, 0);
    float sc = ui_scroll_input(f, (float)(total + 2 * pad - view.h));
    ui_scroll_clip(f, &view, sc);
    detail_body(f, &g, hh + pad - (int)sc, 1);
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
