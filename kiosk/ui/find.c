/*
 * find.c: the two ways to find offers besides the categories: search with the on-screen
 * keyboard (results as you type), and the guided questions with their matches. Drawn from
 * app_state alone, like every screen.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* A centred message in the results area; returns the y below it. */
static int message(frame *f, int y, const char *text, int size, int color)
{
    text_opts o = ui_opts(size, 0, color, TEXT_ALIGN_CENTER);
    int pad = f->m.pad;
    return y + ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, text, &o, 1) + pad / 2;
}

/* Where nothing was found: what to try instead, never a dead end. */
static void help_instead(frame *f, int y)
{
    int pad = f->m.pad, t = f->m.touch;
    int bw = f->w - 2 * pad < (int)(120 * f->m.mm) ? f->w - 2 * pad : (int)(120 * f->m.mm);
    int x = (f->w - bw) / 2;
    if (ui_wide_button(f, "topics", (rect){x, y, bw, t}, "home", ui_tr(f, "Show all topics"), COL_ACCENT))
        ui_emit(f, ACT_HOME, NULL, 0);
    y += t + pad / 2;
    if (f->st->nquestions > 0 &&
        ui_wide_button(f, "guide", (rect){x, y, bw, t}, "guide", ui_tr(f, "Find help step by step"), COL_TILE))
        ui_emit(f, ACT_GUIDE, NULL, 0);
    y += t + pad / 2;
    message(f, y, ui_tr(f, "Or ask the staff – they are glad to help."), f->m.small, COL_MUTED);
}

void screen_search(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, hh = f->m.header_h, t = f->m.touch;
    /* the keyboard takes the lower part, keys of at least 10 mm; put away, the results fill it */
    int kb_h = st->kb_hidden ? 0 : ui_keyboard_height(f, NULL, f->h > f->w ? f->h * 36 / 100 : f->h * 46 / 100);
    rect kb = {0, f->h - kb_h, f->w, kb_h};
    /* the query line, and the key that puts the keyboard away or brings it back */
    rect kt = {f->w - pad / 2 - t, hh + pad / 3, t, t};
    if (ui_hit(f, st->kb_hidden ? "kb-show" : "kb-hide", kt)) ui_emit(f, ACT_KB_HIDE, NULL, st->kb_hidden ? 0 : 1);
    ui_fill(f, kt, st->kb_hidden ? COL_ACCENT : COL_TILE);
    ui_border(f, kt, COL_ACCENT, 3);
    ui_icon(f, "keyboard", (rect){kt.x + t / 6, kt.y + t / 6, t * 2 / 3, t * 2 / 3}, st->kb_hidden ? COL_ON_ACCENT : COL_ACCENT, 0);
    rect q = {pad / 2, hh + pad / 3, f->w - 2 * pad / 2 - t - pad / 3, t};
    ui_fill(f, q, COL_TILE);
    ui_border(f, q, COL_ACCENT, 3);
    int side = t * 3 / 5;
    ui_icon(f, "search", (rect){q.x + pad / 2, q.y + (t - side) / 2, side, side}, COL_ACCENT, 0);
    text_opts qo = ui_opts(f->m.heading, 0, st->query[0] ? COL_TEXT : COL_MUTED, TEXT_ALIGN_START);
    qo.max_lines = 1;
    const char *shown = st->query[0] ? st->query : ui_tr(f, "Type a word");
    if (st->query[0]) qo.ui_dir = 0; /* what was typed keeps its own direction */
    rect qt = {q.x + pad + side, 0, q.w - 2 * pad - side, 0};
    int th = ui_text(f, qt, shown, &qo, 0);
    qt.y = q.y + (t - th) / 2;
    qt.h = th;
    ui_text(f, qt, shown, &qo, 1);
    if (ui_hit(f, "query", q) && st->kb_hidden) ui_emit(f, ACT_KB_HIDE, NULL, 0);
    rect view = {0, q.y + q.h + pad / 3, f->w, kb.y - (q.y + q.h + pad / 3)};
    int y = view.y + pad / 2;
    ui_clip(f, &view);
    switch (st->search_state) {
    case SEARCH_RESULTS: {
        /* the number found, not the number shown; "N or more" when too many to count on a keystroke */
        char cnt[96] = "";
        if (st->found_exact)
            i18n_format_count(st->catalog, st->lang, "%d offer", "%d offers", st->found_total, cnt, sizeof cnt);
        else
            i18n_format_count(st->catalog, st->lang, "%d offer or more", "%d or more offers", st->found_total, cnt,
                              sizeof cnt);
        text_opts co = ui_opts(f->m.small, 1, COL_MUTED, TEXT_ALIGN_START);
        co.max_lines = 1;
        int ch = cnt[0] ? ui_text(f, (rect){pad, view.y, f->w - 2 * pad, 0}, cnt, &co, 1) : 0;
        ui_clip(f, NULL);
        ui_offer_list(f, (rect){0, view.y + ch, f->w, view.h - ch}, st->found, st->nfound, NULL, 1, 1);
        /* more found than shown: scrolling near the end loads the next page */
        if (st->nfound < st->found_total) ui_emit(f, ACT_SEARCH_MORE, NULL, (float)view.h);
        break;
    }
    case SEARCH_SHORT:
        ui_scroll_input(f, 0);
        message(f, y, ui_tr(f, "Type one more letter."), f->m.body, COL_TEXT);
        break;
    case SEARCH_NONE_FOUND:
        ui_scroll_input(f, 0);
        y = message(f, y, ui_tr(f, "Nothing found."), f->m.body, COL_TEXT);
        help_instead(f, y);
        break;
    case SEARCH_UNAVAILABLE:
        ui_scroll_input(f, 0);
        y = message(f, y, ui_tr(f, "Search is not available for this content."), f->m.body, COL_TEXT);
        help_instead(f, y);
        break;
    default:
        ui_scroll_input(f, 0);
        /* whole or not at all: on a 7" panel the keys leave no room for it */
        if (view.h >= f->m.body * 3)
            message(f, y, ui_tr(f, "Type a word: an offer, a place or an organisation."), f->m.body, COL_MUTED);
        break;
    }
    ui_clip(f, NULL);
    if (!st->kb_hidden) ui_keyboard(f, kb, NULL);
    ui_header(f, 1);
}

/* ---------- guided questions ---------- */

void screen_question(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, hh = f->m.header_h, t = f->m.touch;
    if (st->question >= st->nquestions) {
        ui_header(f, 1);
        return;
    }
    const store_question *q = &st->questions[st->question];
    /* where large text does not fit a short panel even without pictograms, the page scrolls */
    int y = ui_scroll_begin(f, f->h), top = y, shift = hh + pad / 2 - top;
    /* progress: dots a person can count without reading, and the same in words */
    int dot = (int)(5 * f->m.mm), gap = dot;
    int dx = (f->w - st->nquestions * dot - (st->nquestions - 1) * gap) / 2;
    for (int i = 0; i < st->nquestions; i++) {
        rect d = {dx + i * (dot + gap), y, dot, dot};
        if (i <= st->question) ui_fill(f, d, COL_ACCENT);
        else ui_border(f, d, COL_ACCENT, 2);
    }
    y += dot + pad / 3;
    char prog[128];
    snprintf(prog, sizeof prog, ui_tr(f, "Question %d of %d"), st->question + 1, st->nquestions);
    y = message(f, y, prog, f->m.small, COL_MUTED);
    /* measured before anything is drawn: on a short panel, or in a tall script with large text,
     * the question's pictogram goes first, then the answers' pictograms, so that the answers, their
     * labels and Skip never overlap */
    text_opts qo = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    qo.ui_dir = 0;
    qo.lang = q->text.lang;
    qo.max_lines = 3;
    int qh = ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, q->text.text, &qo, 0) + pad;
    if (q->text.fallback) qh += ui_fallback_mark(f, pad, y, f->w - 2 * pad, 0) + pad / 2;
    int skip_h = t;
    int n = q->nanswers > 0 ? q->nanswers : 1;
    int tw = (f->w - (n + 1) * pad) / n;
    int max_w = (int)(70 * f->m.mm);
    if (tw > max_w) tw = max_w;
    text_opts lo = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    lo.ui_dir = 0;
    lo.max_lines = 2;
    int label_h = 0;
    for (int i = 0; i < q->nanswers; i++) {
        lo.lang = q->answers[i].label.lang;
        int h = ui_text(f, (rect){0, 0, tw - pad, 0}, q->answers[i].label.text, &lo, 0);
        if (h > label_h) label_h = h;
    }
    /* an answer's pictogram smaller than this says nothing: the tile keeps its label alone */
    int min_icon = t / 2, bare = label_h + pad;
    if (bare < t) bare = t;
    int room = f->h - (y + shift) - qh - skip_h - 2 * pad; /* for the question's pictogram and the answers */
    int icon = q->icon ? (f->h < 600 ? t : t * 3 / 2) : 0;
    if (icon && room - icon - pad / 2 < bare + min_icon) icon = 0;
    if (icon) {
        ui_image(f, q->id, q->icon, q->icon_len, (rect){(f->w - icon) / 2, y, icon, icon}, COL_ACCENT, 0);
        y += icon + pad / 2;
        room -= icon + pad / 2;
    }
    y += ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, q->text.text, &qo, 1) + pad;
    if (q->text.fallback) y += ui_fallback_mark(f, pad, y, f->w - 2 * pad, 1) + pad / 2;
    /* the answers: big pictogram tiles in one row, the label under each */
    int th = room;
    if (th > tw * 5 / 4) th = tw * 5 / 4;
    if (th < bare) th = bare;
    int x0 = (f->w - n * tw - (n - 1) * pad) / 2;
    for (int i = 0; i < q->nanswers; i++) {
        const store_answer *a = &q->answers[i];
        rect r = {x0 + i * (tw + pad), y, tw, th};
        char id[96];
        snprintf(id, sizeof id, "answer:%d", i);
        if (ui_hit(f, id, r)) ui_emit(f, ACT_ANSWER, a->id, 0);
        ui_fill(f, r, COL_TILE);
        ui_border(f, r, a->urgent ? COL_WARN : COL_LINE, a->urgent ? 4 : 2);
        int ih = th - label_h - pad - pad / 2;
        if (a->icon && ih >= min_icon) ui_image(f, a->id, a->icon, a->icon_len, (rect){r.x, r.y + pad / 2, r.w, ih}, COL_ACCENT, 0);
        lo.lang = a->label.lang;
        /* without a pictogram the label sits in the middle of its tile */
        int ly = a->icon && ih >= min_icon ? r.y + th - label_h - pad / 2 : r.y + (th - label_h) / 2;
        ui_text(f, (rect){r.x + pad / 2, ly, r.w - pad, label_h}, a->label.text, &lo, 1);
    }
    /* no answer is required */
    int sw = (int)(60 * f->m.mm) < f->w - 2 * pad ? (int)(60 * f->m.mm) : f->w - 2 * pad;
    rect skip = {(f->w - sw) / 2, y + th + pad, sw, skip_h};
    if (ui_hit(f, "skip", skip)) ui_emit(f, ACT_ANSWER, "", 0);
    ui_border(f, skip, COL_ACCENT, 2);
    text_opts so = ui_opts(f->m.body, 0, COL_ACCENT, TEXT_ALIGN_CENTER);
    so.max_lines = 1;
    int sh = ui_text(f, (rect){skip.x, 0, skip.w, 0}, ui_tr(f, "Skip this question"), &so, 0);
    ui_text(f, (rect){skip.x, skip.y + (skip.h - sh) / 2, skip.w, sh}, ui_tr(f, "Skip this question"), &so, 1);
    ui_scroll_end(f, f->h, top, skip.y + skip.h);
    ui_header(f, 1);
}

void screen_matches(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, hh = f->m.header_h;
    int y = hh;
    if (st->urgent) {
        /* someone who is not safe: reassurance and the emergency number before anything else */
        text_opts wo = ui_opts(f->m.heading, 1, COL_ON_ACCENT, TEXT_ALIGN_START);
        const char *a = ui_tr(f, "You are not alone. These places help you.");
        const char *b = ui_tr(f, "In danger, call 110 (police) – free of charge, day and night.");
        text_opts bo = ui_opts(f->m.body, 1, COL_ON_ACCENT, TEXT_ALIGN_START);
        int ah = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, a, &wo, 0);
        int bh = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, b, &bo, 0);
        ui_fill(f, (rect){0, y, f->w, ah + bh + pad * 3 / 2}, COL_WARN);
        ui_text(f, (rect){pad, y + pad / 2, f->w - 2 * pad, ah}, a, &wo, 1);
        ui_text(f, (rect){pad, y + pad / 2 + ah + pad / 2, f->w - 2 * pad, bh}, b, &bo, 1);
        y += ah + bh + pad * 3 / 2;
    } else {
        text_opts to = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_START);
        to.max_lines = 1;
        y += pad / 2;
        y += ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, ui_tr(f, "Offers for you"), &to, 1) + pad / 2;
    }
    if (st->nmatches == 0) {
        ui_scroll_input(f, 0);
        y = message(f, y + pad, ui_tr(f, "No offer matches your answers."), f->m.body, COL_TEXT);
        help_instead(f, y);
    } else {
        ui_offer_list(f, (rect){0, y, f->w, f->h - y}, st->matches, st->nmatches, st->match_why, 2, 1);
    }
    ui_header(f, 1);
}
