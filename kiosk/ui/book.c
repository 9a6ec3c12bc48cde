/*
 * book.c: the booking screens (day, time, name and phone, consent, result) and the code screen
 * where a booking is looked up or cancelled. Drawn from app_state alone. Nothing here says
 * "booked" unless the app got a confirmation from the authority.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* A heading line w wide (with the offer's name above it when given); returns the y below. */
static int heading_in(frame *f, int y, int w, const char *over, const char *text)
{
    int pad = f->m.pad;
    if (over && *over) {
        text_opts oo = ui_opts(f->m.small, 1, COL_MUTED, TEXT_ALIGN_START);
        oo.max_lines = 1;
        oo.ui_dir = 0;
        y += ui_text(f, (rect){pad, y, w, 0}, over, &oo, 1);
    }
    /* a 7" panel keeps its height for what the screen is about */
    text_opts o = ui_opts(f->h < 600 ? f->m.body : f->m.heading, 1, COL_TEXT, TEXT_ALIGN_START);
    o.max_lines = 2;
    return y + ui_text(f, (rect){pad, y, w, 0}, text, &o, 1) + f->m.pad / 2;
}

static int heading(frame *f, int y, const char *over, const char *text)
{
    return heading_in(f, y, f->w - 2 * f->m.pad, over, text);
}

/*
 * Wide panels (a 21" kiosk at 1920 px is some 480 mm across): the text of a booking screen in
 * larger type, in a column of about 65 characters, and the appointment itself (day, time,
 * place) on a card beside it, so the width serves what a person checks before booking.
 */
static int book_wide(const frame *f) { return f->w >= (int)(300 * f->m.mm); }
static int book_size(const frame *f) { return book_wide(f) ? f->m.body * 5 / 4 : f->m.body; }
static int book_column(const frame *f)
{
    int avail = f->w - 2 * f->m.pad, w = 34 * book_size(f);
    return w < avail ? w : avail;
}

static int para_in(frame *f, int y, int w, const char *text, int size, int color)
{
    int pad = f->m.pad;
    text_opts o = ui_opts(size, 0, color, TEXT_ALIGN_START);
    return y + ui_text(f, (rect){pad, y, w, 0}, text, &o, 1) + pad / 2;
}

/* A paragraph in the text column; body-size text grows with the column on wide panels. */
static int para(frame *f, int y, const char *text, int size, int color)
{
    return para_in(f, y, book_column(f), text, size == f->m.body ? book_size(f) : size, color);
}

/* The appointment on a card: day and time large, the place under it. Returns the height. */
static int appointment_card(frame *f, int x, int y, int w, int draw)
{
    const app_state *st = f->st;
    int in = f->m.pad * 2 / 3;
    text_opts wo = ui_opts(book_wide(f) ? f->m.heading : f->m.body, 1, COL_ACCENT, TEXT_ALIGN_START);
    text_opts po = ui_opts(book_size(f), 0, COL_TEXT, TEXT_ALIGN_START);
    po.ui_dir = 0;
    int h = in + ui_text(f, (rect){x + in, y + in, w - 2 * in, 0}, st->book_when, &wo, 0);
    if (st->book_where[0]) h += in / 2 + ui_text(f, (rect){x + in, y + h + in / 2, w - 2 * in, 0}, st->book_where, &po, 0);
    h += in;
    if (draw) {
        ui_fill(f, (rect){x, y, w, h}, COL_TILE);
        ui_border(f, (rect){x, y, w, h}, COL_ACCENT, 2);
        int th = ui_text(f, (rect){x + in, y + in, w - 2 * in, 0}, st->book_when, &wo, 1);
        if (st->book_where[0]) ui_text(f, (rect){x + in, y + in + th + in / 2, w - 2 * in, 0}, st->book_where, &po, 1);
    }
    return h;
}

/* A warning band: for what a person must not misread (not confirmed, no connection). */
static int warn(frame *f, int y, const char *text)
{
    int pad = f->m.pad;
    text_opts o = ui_opts(f->m.body, 1, COL_ON_ACCENT, TEXT_ALIGN_START);
    int h = ui_text(f, (rect){pad, 0, f->w - 2 * pad, 0}, text, &o, 0);
    ui_fill(f, (rect){0, y, f->w, h + pad}, COL_WARN);
    ui_text(f, (rect){pad, y + pad / 2, f->w - 2 * pad, h}, text, &o, 1);
    return y + h + pad * 3 / 2;
}

static int button(frame *f, const char *id, int x, int y, int w, const char *icon, const char *label, int primary)
{
    return ui_wide_button(f, id, (rect){x, y, w, f->m.touch}, icon, label, primary ? COL_ACCENT : COL_TILE);
}

/* The least width from least to most (in steps of a quarter pad) at which a button's label is
 * read whole, as ui_wide_button sets it; most when none is. */
static int button_width(frame *f, const char *label, int least, int most)
{
    int side = f->m.touch * 3 / 5, pad = f->m.pad / 2, step = f->m.pad / 4 > 0 ? f->m.pad / 4 : 1;
    for (int w = least; w < most; w += step) {
        rect tr = {0, 0, w - 3 * pad - side, 0};
        /* body or small in two lines; small in one, for scripts two lines of which are too tall */
        int sizes[] = {f->m.body, f->m.small, f->m.small};
        for (int k = 0; k < 3; k++) {
            text_opts o = ui_opts(sizes[k], 1, COL_TEXT, TEXT_ALIGN_START);
            o.max_lines = k < 2 ? 2 : 1;
            int top, bottom, cut, h = ui_text_ink(f, tr, label, &o, &top, &bottom, &cut);
            if (!cut && h <= f->m.touch - 4) return w;
        }
    }
    return most;
}

/* Choices (days, times) as a grid of tiles below y, scrolling; ids prefix:i, action kind with value i. */
static void choices(frame *f, int y, const book_choice *c, int n, const char *prefix, int kind)
{
    int pad = f->m.pad;
    int cols = f->w >= 1200 ? 3 : f->w >= 700 ? 2 : 1;
    int tw = (f->w - (cols + 1) * pad) / cols;
    text_opts lo = ui_opts(f->m.body, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    lo.max_lines = 2;
    text_opts dt = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_CENTER);
    dt.max_lines = 1;
    int places = 0;
    for (int i = 0; i < n; i++) places |= c[i].place[0] != 0;
    int th = f->m.touch + f->m.small * 2 + (places ? f->m.small * 3 / 2 : 0);
    rect view = {0, y, f->w, f->h - y};
    int rows = (n + cols - 1) / cols;
    float sc = ui_scroll_input(f, (float)(rows * (th + pad) + pad - view.h));
    ui_scroll_clip(f, &view, sc);
    for (int i = 0; i < n; i++) {
        rect r = {pad + (i % cols) * (tw + pad), y + pad / 2 + (i / cols) * (th + pad) - (int)sc, tw, th};
        if (r.y > f->h || r.y + r.h < y) continue;
        char id[48];
        snprintf(id, sizeof id, "%s:%d", prefix, i);
        if (ui_hit(f, id, r)) ui_emit(f, kind, NULL, (float)i);
        ui_fill(f, r, COL_TILE);
        ui_border(f, r, COL_ACCENT, 2);
        int lh = ui_text(f, (rect){r.x + pad / 2, 0, r.w - pad, 0}, c[i].label, &lo, 0);
        int dh = c[i].detail[0] ? ui_text(f, (rect){r.x, 0, r.w, 0}, c[i].detail, &dt, 0) : 0;
        text_opts po = ui_opts(f->m.small, 1, COL_ACCENT, TEXT_ALIGN_CENTER);
        po.max_lines = 1;
        int ph = c[i].place[0] ? ui_text(f, (rect){r.x + pad / 2, 0, r.w - pad, 0}, c[i].place, &po, 0) : 0;
        int ty = r.y + (r.h - lh - dh - ph) / 2;
        ui_text(f, (rect){r.x + pad / 2, ty, r.w - pad, lh}, c[i].label, &lo, 1);
        if (ph) ui_text(f, (rect){r.x + pad / 2, ty + lh, r.w - pad, ph}, c[i].place, &po, 1);
        if (dh) ui_text(f, (rect){r.x + pad / 2, ty + lh + ph, r.w - pad, dh}, c[i].detail, &dt, 1);
    }
    ui_clip(f, NULL);
}

void screen_book_day(frame *f)
{
    const app_state *st = f->st;
    int y = f->m.header_h + f->m.pad / 2;
    y = heading(f, y, st->offer ? st->offer->name.text : NULL, ui_tr(f, "Choose a day"));
    switch (st->book_state) {
    case BOOK_LOADING:
        ui_scroll_input(f, 0);
        para(f, y, ui_tr(f, "Looking for free times…"), f->m.body, COL_TEXT);
        break;
    case BOOK_READY:
    case BOOK_READY_OFFLINE:
        if (st->book_state == BOOK_READY_OFFLINE)
            y = warn(f, y, ui_tr(f, "The booking office cannot be reached right now. A time shown here may already be taken."));
        if (st->nbook_days == 0) {
            ui_scroll_input(f, 0);
            para(f, y, ui_tr(f, "No free times in the next four weeks. Please ask the staff."), f->m.body, COL_TEXT);
        } else {
            choices(f, y, st->book_days, st->nbook_days, "day", ACT_BOOK_DAY);
        }
        break;
    default:
        ui_scroll_input(f, 0);
        para(f, y, ui_tr(f, "Free times cannot be shown right now. Please ask the staff."), f->m.body, COL_TEXT);
        break;
    }
    ui_header(f, 1);
}

void screen_book_time(frame *f)
{
    const app_state *st = f->st;
    int y = f->m.header_h + f->m.pad / 2;
    y = heading(f, y, st->book_day_label, ui_tr(f, "Choose a time"));
    choices(f, y, st->book_times, st->nbook_times, "time", ACT_BOOK_TIME);
    ui_header(f, 1);
}

/* What a field shows of value: all of it, or when that is cut short its end after an ellipsis,
 * so the letters being typed stay in view (a name on an 800x480 panel is a few letters wide). */
static const char *field_shown(frame *f, rect r, const char *value, const text_opts *o, char *buf, size_t len)
{
    if (!ui_text_cut(f, r, value, o)) return value;
    int at[sizeof ((app_state *)0)->book_name + 1], n = 0;
    for (int i = 0; value[i] && n < (int)(sizeof at / sizeof at[0]) - 1; i++)
        if (((unsigned char)value[i] & 0xC0) != 0x80) at[n++] = i;
    /* the earliest character from which "…" and the rest fit: lo is cut, hi fits (the last alone) */
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        snprintf(buf, len, "\u2026%s", value + at[mid]);
        if (ui_text_cut(f, r, buf, o)) lo = mid;
        else hi = mid;
    }
    snprintf(buf, len, "\u2026%s", value + at[hi > 0 ? hi : 0]);
    return buf;
}

/* One input line; the active one has a thick border. Returns 1 when tapped. */
static int field(frame *f, const char *id, rect r, const char *label, const char *value, int active)
{
    int hit = ui_hit(f, id, r);
    ui_fill(f, r, COL_TILE);
    ui_border(f, r, active ? COL_ACCENT : COL_LINE, active ? 4 : 2);
    int pad = f->m.pad / 2;
    text_opts lo = ui_opts(f->m.small, 1, COL_MUTED, TEXT_ALIGN_START);
    lo.max_lines = 1;
    int lh = ui_text(f, (rect){r.x + pad, r.y + pad / 2, r.w - 2 * pad, 0}, label, &lo, 1);
    text_opts vo = ui_opts(f->m.body, 0, COL_TEXT, TEXT_ALIGN_START);
    vo.max_lines = 1;
    vo.ui_dir = 0; /* what was typed keeps its own direction */
    rect vr = {r.x + pad, r.y + pad / 2 + lh, r.w - 2 * pad, 0};
    char tail[sizeof ((app_state *)0)->book_name + 8];
    ui_text(f, vr, field_shown(f, vr, value, &vo, tail, sizeof tail), &vo, 1);
    return hit;
}

void screen_book_details(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    ui_scroll_input(f, 0);
    int y = f->m.header_h + pad / 2;
    /* keys of at least 10 mm; one height for the name's and the phone's keyboard, so nothing
     * jumps when the field changes */
    int kb_want = f->h > f->w ? f->h * 34 / 100 : f->h * 40 / 100;
    int kb_h = ui_keyboard_height(f, NULL, kb_want), kb_d = ui_keyboard_height(f, "digits", kb_want);
    if (kb_d > kb_h) kb_h = kb_d;
    rect kb = {0, f->h - kb_h, f->w, kb_h};
    int fh = t + f->m.small;
    /* a short panel (800x480) has room for one row above the keyboard: both fields and both
     * buttons side by side, the labels inside the fields carry the heading */
    int compact = y + f->m.title * 2 + 2 * fh + 2 * pad + t > kb.y;
    int bw = (f->w - 3 * pad) / 2;
    if (compact) {
        fh = t;
        /* the buttons as wide as their labels need to be read whole, the fields share the rest */
        int all = f->w - 5 * pad / 2, quarter = all / 4;
        int nw = button_width(f, ui_tr(f, "Continue"), quarter, all * 3 / 10);
        int aw = button_width(f, ui_tr(f, "Book without name"), quarter, all * 2 / 5);
        int fw = (all - nw - aw) / 2;
        if (field(f, "field:name", (rect){pad / 2, y, fw, fh}, ui_tr(f, "Name"), st->book_name, st->book_field == 0))
            ui_emit(f, ACT_BOOK_FIELD, NULL, 0);
        if (field(f, "field:phone", (rect){pad + fw, y, fw, fh}, ui_tr(f, "Phone number"), st->book_phone,
                  st->book_field == 1))
            ui_emit(f, ACT_BOOK_FIELD, NULL, 1);
        if (button(f, "next", 3 * pad / 2 + 2 * fw, y, nw, "forward", ui_tr(f, "Continue"), 1)) ui_emit(f, ACT_BOOK_NEXT, NULL, 0);
        if (button(f, "anonymous", 2 * pad + 2 * fw + nw, y, aw, "clear", ui_tr(f, "Book without name"), 0))
            ui_emit(f, ACT_BOOK_ANON, NULL, 0);
        y += t + pad / 2;
    } else {
        y = heading(f, y, NULL, ui_tr(f, "Your name and phone number (you may leave them out)"));
        int wide = f->w >= 1000;
        int fw = wide ? (f->w - 3 * pad) / 2 : f->w - 2 * pad;
        if (field(f, "field:name", (rect){pad, y, fw, fh}, ui_tr(f, "Name"), st->book_name, st->book_field == 0))
            ui_emit(f, ACT_BOOK_FIELD, NULL, 0);
        rect pr = wide ? (rect){2 * pad + fw, y, fw, fh} : (rect){pad, y + fh + pad / 2, fw, fh};
        if (field(f, "field:phone", pr, ui_tr(f, "Phone number"), st->book_phone, st->book_field == 1))
            ui_emit(f, ACT_BOOK_FIELD, NULL, 1);
        y = pr.y + fh + pad / 2;
        if (button(f, "next", pad, y, bw, "forward", ui_tr(f, "Continue"), 1)) ui_emit(f, ACT_BOOK_NEXT, NULL, 0);
        if (button(f, "anonymous", 2 * pad + bw, y, bw, "clear", ui_tr(f, "Book without name"), 0))
            ui_emit(f, ACT_BOOK_ANON, NULL, 0);
        y += t + pad / 2;
    }
    const char *why = ui_tr(f, "The office can call you if something changes. Without a name you get a code instead.");
    text_opts wo = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_START);
    /* said whole or not at all: a line cut by the keyboard reads as a fault */
    if (y + ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, why, &wo, 0) <= kb.y) {
        y += ui_text(f, (rect){pad, y, f->w - 2 * pad, 0}, why, &wo, 1);
        /* what is being booked, where it fits above the keyboard */
        int cw = f->w - 2 * pad < 2 * book_column(f) ? f->w - 2 * pad : 2 * book_column(f);
        if (y + pad / 2 + appointment_card(f, pad, y + pad / 2, cw, 0) <= kb.y) appointment_card(f, pad, y + pad / 2, cw, 1);
    }
    ui_keyboard(f, kb, st->book_field ? "digits" : NULL);
    ui_header(f, 1);
}

void screen_book_consent(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    int y = ui_scroll_begin(f, f->h), top = y;
    int col = book_column(f), wide = book_wide(f);
    y = heading_in(f, y, col, st->offer ? st->offer->name.text : NULL, ui_tr(f, "Please read before you book"));
    /* what is booked on a card: beside the text on wide panels, above it on the others */
    int card_end = top;
    if (wide) {
        int cx = pad + col + 2 * pad;
        card_end = top + appointment_card(f, cx, top, f->w - cx - pad, 1);
    } else {
        y += appointment_card(f, pad, y, f->w - 2 * pad, 1) + pad / 2;
    }
    if (st->book_anonymous)
        y = para(f, y,
                 ui_tr(f, "You book without a name. You will get a booking code. Keep it: you need it to change or cancel the appointment."),
                 f->m.body, COL_TEXT);
    else
        y = para(f, y,
                 ui_tr(f, "Your name and phone number go to the office of this offer, so that they can reach you about this appointment. "
                          "This kiosk deletes them as soon as the office has the booking. They are never used for anything else."),
                 f->m.body, COL_TEXT);
    y += pad / 2;
    int bw = ((wide ? col + 2 * pad : f->w) - 3 * pad) / 2;
    if (button(f, "confirm", pad, y, bw, "calendar", ui_tr(f, "I agree – book now"), 1)) ui_emit(f, ACT_BOOK_CONFIRM, NULL, 0);
    if (button(f, "not-now", 2 * pad + bw, y, bw, "back", ui_tr(f, "Back"), 0)) ui_emit(f, ACT_BACK, NULL, 0);
    ui_scroll_end(f, f->h, top, y + t > card_end ? y + t : card_end);
    ui_header(f, 1);
}

/* The booking code large, in Latin letters, and what to do with it. */
static int code_block(frame *f, int y, int w, const char *code)
{
    int pad = f->m.pad;
    text_opts lo = ui_opts(f->m.body, 0, COL_TEXT, TEXT_ALIGN_START);
    y += ui_text(f, (rect){pad, y, w, 0}, ui_tr(f, "Your booking code:"), &lo, 1);
    /* large enough to copy from across a desk; on a short panel the place must fit below it */
    text_opts co = ui_opts(f->h < 600 ? f->m.heading : f->m.title * 3 / 2, 1, COL_ACCENT, TEXT_ALIGN_START);
    co.lang = "en";
    co.max_lines = 1;
    return y + ui_text(f, (rect){pad, y, w, 0}, code, &co, 1) + pad / 2;
}

void screen_book_done(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad;
    int y = ui_scroll_begin(f, f->h), top = y, end = y;
    int bw = f->w - 2 * pad < (int)(110 * f->m.mm) ? f->w - 2 * pad : (int)(110 * f->m.mm);
    switch (st->book_state) {
    case BOOK_SENDING:
        heading(f, y, st->offer ? st->offer->name.text : NULL, ui_tr(f, "Booking… please wait."));
        break;
    case BOOK_CONFIRMED: {
        /* Code, day, time, place and the QR code all in view without scrolling, at every panel
         * size: on landscape panels the QR code stands at the end side at a fixed size, as tall
         * as the space below the header allows; on portrait panels it follows the text. */
        const char *scan = ui_tr(f, "Scan with your phone to save the date in your calendar.");
        text_opts so = ui_opts(f->m.small, 0, COL_MUTED, TEXT_ALIGN_CENTER);
        int wide = f->w > f->h, qr = 0;
        int caption = ui_text(f, (rect){0, 0, wide ? f->w * 2 / 5 : f->w * 3 / 5, 0}, scan, &so, 0) + pad / 2;
        if (st->book_ics && wide) {
            qr = f->h - f->m.header_h - caption - pad;
            if (qr > f->w * 2 / 5) qr = f->w * 2 / 5;
            if (qr > (int)((book_wide(f) ? 130 : 90) * f->m.mm)) qr = (int)((book_wide(f) ? 130 : 90) * f->m.mm);
        }
        int col = qr ? f->w - qr - 3 * pad : f->w - 2 * pad;
        y = heading_in(f, y, col, st->offer ? st->offer->name.text : NULL, ui_tr(f, "Your appointment is booked."));
        y = code_block(f, y, col, st->book_code);
        /* a 7" panel: when and where in smaller type, so that they stay in view beside the QR code */
        int size = f->h < 600 ? f->m.small : book_size(f);
        y = para_in(f, y, col, st->book_when, size, COL_TEXT);
        y = para_in(f, y, col, st->book_where, size, COL_TEXT);
        if (st->book_ics) {
            int qx = wide ? f->w - pad - qr : pad, qy = wide ? top : y;
            if (!wide) {
                qr = f->h - y - f->m.touch - caption - 2 * pad;
                if (qr > f->w - 2 * pad) qr = f->w - 2 * pad;
                if (qr > f->w * 3 / 5) qr = f->w * 3 / 5;
                qx = (f->w - qr) / 2;
            }
            if (qr > 0 && ui_qr(f, st->book_ics, (rect){qx, qy, qr, qr}) > 0)
                ui_text(f, (rect){qx - pad, qy + qr, qr + 2 * pad, 0}, scan, &so, 1);
            if (wide) end = qy + qr + caption;
            else y += qr + caption;
        }
        if (button(f, "finish", pad, y, col < bw ? col : bw, "home", ui_tr(f, "Finish"), 1)) ui_emit(f, ACT_LANGUAGES, NULL, 0);
        if (y + f->m.touch > end) end = y + f->m.touch;
        break;
    }
    case BOOK_QUEUED:
        y = heading(f, y, st->offer ? st->offer->name.text : NULL, ui_tr(f, "Not booked yet"));
        y = warn(f, y, ui_tr(f, "The booking office cannot be reached right now. Your request is saved and will be sent "
                                "automatically. It is NOT confirmed yet."));
        y = code_block(f, y, f->w - 2 * pad, st->book_code);
        y = para(f, y, st->book_when, f->m.body, COL_TEXT);
        y = para(f, y, st->book_where, f->m.body, COL_TEXT);
        y = para(f, y, ui_tr(f, "Enter your code at this kiosk later to see whether the appointment is confirmed, or ask the staff."),
                 f->m.body, COL_TEXT);
        if (button(f, "finish", pad, y, bw, "home", ui_tr(f, "Finish"), 1)) ui_emit(f, ACT_LANGUAGES, NULL, 0);
        end = y + f->m.touch;
        break;
    case BOOK_TAKEN:
        y = heading(f, y, st->offer ? st->offer->name.text : NULL, ui_tr(f, "This time was just taken"));
        y = para(f, y, ui_tr(f, "Someone else booked it a moment ago. Please choose another time."), f->m.body, COL_TEXT);
        if (button(f, "other-time", pad, y, bw, "calendar", ui_tr(f, "Choose another time"), 1)) ui_emit(f, ACT_BOOK, NULL, 0);
        end = y + f->m.touch;
        break;
    default:
        y = heading(f, y, st->offer ? st->offer->name.text : NULL, ui_tr(f, "The booking did not work"));
        y = para(f, y, ui_tr(f, "Nothing was booked. Please ask the staff."), f->m.body, COL_TEXT);
        if (button(f, "back-offer", pad, y, bw, "back", ui_tr(f, "Back"), 1)) ui_emit(f, ACT_BACK, NULL, 0);
        end = y + f->m.touch;
        break;
    }
    ui_scroll_end(f, f->h, top, end);
    ui_header(f, st->book_state != BOOK_SENDING);
}

void screen_code(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch;
    ui_scroll_input(f, 0);
    int y = f->m.header_h + pad / 2;
    y = heading(f, y, NULL, ui_tr(f, "Enter your booking code"));
    int kb_h = ui_keyboard_height(f, "code", f->h > f->w ? f->h * 30 / 100 : f->h * 36 / 100);
    rect kb = {0, f->h - kb_h, f->w, kb_h};
    int fw = (int)(70 * f->m.mm) < f->w - 3 * pad - (int)(60 * f->m.mm) ? (int)(70 * f->m.mm) : (f->w - 3 * pad) / 2;
    rect field_r = {pad, y, fw, t};
    ui_fill(f, field_r, COL_TILE);
    ui_border(f, field_r, COL_ACCENT, 3);
    text_opts co = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    co.lang = "en";
    co.max_lines = 1;
    int ch = ui_text(f, (rect){field_r.x, 0, fw, 0}, st->code_entry[0] ? st->code_entry : "······", &co, 0);
    ui_text(f, (rect){field_r.x, y + (t - ch) / 2, fw, ch}, st->code_entry[0] ? st->code_entry : "······", &co, 1);
    int bw = f->w - 3 * pad - fw;
    if (bw > (int)(80 * f->m.mm)) bw = (int)(80 * f->m.mm);
    if (button(f, "lookup", 2 * pad + fw, y, bw, "search", ui_tr(f, "Look up"), 1)) ui_emit(f, ACT_CODE_LOOKUP, NULL, 0);
    y += t + pad / 2;
    ui_clip(f, &(rect){0, y, f->w, kb.y - y});
    int half = (f->w - 3 * pad) / 2;
    switch (st->code_state) {
    case CODE_LOOKING:
        para(f, y, ui_tr(f, "Looking up…"), f->m.body, COL_TEXT);
        break;
    case CODE_FOUND:
    case CODE_ASK_CANCEL:
    case CODE_CANCELLED:
        y = para(f, y, st->code_offer, f->m.body, COL_TEXT);
        y = para(f, y, st->code_when, f->m.body, COL_TEXT);
        y = para(f, y, ui_booking_state(f, st->code_booking_state), f->m.body, COL_ACCENT);
        if (st->code_state == CODE_FOUND && st->code_booking_state <= 1) {
            if (button(f, "cancel", pad, y, half, "clear", ui_tr(f, "Cancel this appointment"), 0))
                ui_emit(f, ACT_CODE_CANCEL, NULL, 0);
        } else if (st->code_state == CODE_ASK_CANCEL) {
            if (button(f, "cancel-yes", pad, y, half, "clear", ui_tr(f, "Yes, cancel it"), 1)) ui_emit(f, ACT_CODE_CANCEL, NULL, 1);
            if (button(f, "cancel-no", 2 * pad + half, y, half, "back", ui_tr(f, "No, keep it"), 0))
                ui_emit(f, ACT_CODE_LOOKUP, NULL, 0);
        }
        break;
    case CODE_UNKNOWN:
        para(f, y, ui_tr(f, "There is no booking with this code."), f->m.body, COL_TEXT);
        break;
    case CODE_FAILED:
        para(f, y, ui_tr(f, "This cannot be done right now: no connection to the booking office. Please try later or ask the staff."),
             f->m.body, COL_TEXT);
        break;
    default:
        break;
    }
    ui_clip(f, NULL);
    ui_keyboard(f, kb, "code");
    ui_header(f, 1);
}
