/*
 * staff.c: the staff screens behind the hidden gesture: the PIN pad and what the kiosk holds,
 * packs found on removable media, today's bookings (screens.h).
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void screen_pin(frame *f)
{
    const app_state *st = f->st;
    int pad = f->m.pad, t = f->m.touch, hh = f->m.header_h;
    text_opts to = ui_opts(f->m.heading, 1, COL_TEXT, TEXT_ALIGN_CENTER);
    text_opts mo = ui_opts(f->m.body, 1, st->pin_checking ? COL_TEXT : COL_WARN, TEXT_ALIGN_CENTER);
    int kw = t * 2, kh = t;
    if (3 * kw + pad + 2 * pad > f->w) kw = (f->w - 3 * pad) / 3; /* a narrow (turned) panel */
    int pad_w = 3 * kw + 2 * (pad / 2);
    /* title, dots and message above the keys; where four rows of keys of a full finger's height
     * do not fit under them (a 7-inch panel, a lock message of two lines), beside them */
    int tw = f->w - 2 * pad;
    int above = ui_text(f, (rect){pad, 0, tw, 0}, ui_tr(f, "Staff PIN"), &to, 0) + pad / 2 + t / 3 + pad / 2;
    int mh = ui_text(f, (rect){pad, 0, tw, 0}, st->staff_msg, &mo, 0);
    above += (mh > f->m.body * 3 / 2 ? mh : f->m.body * 3 / 2) + pad / 2;
    int narrow_w = 3 * (t * 3 / 2) + 2 * (pad / 2); /* keys of a finger and a half beside the text */
    int beside = f->h - hh - pad - above - pad < 4 * (kh + pad / 2) && f->w - narrow_w - 3 * pad >= f->w / 3;
    int kx = f->w / 2 - pad_w / 2, ky = hh + pad + above;
    if (beside) {
        kw = t * 3 / 2;
        pad_w = narrow_w;
        tw = f->w - pad_w - 3 * pad;
        /* the keys at the end of the line, each still where a phone has it (see below) */
        kx = ui_flip(f, (rect){f->w - pad - pad_w, 0, pad_w, 0}).x;
        ky = hh + pad;
    }
    int avail = f->h - ky - pad;
    if (4 * (kh + pad / 2) > avail) kh = avail / 4 - pad / 2;
    if (kh < t * 2 / 3) kh = t * 2 / 3;
    int y = hh + pad;
    y += ui_text(f, (rect){pad, y, tw, 0}, ui_tr(f, "Staff PIN"), &to, 1) + pad / 2;
    /* dots, never digits */
    int dot = t / 3;
    if (st->pin_len > 0 && st->pin_len * (dot + dot / 2) > tw) dot = tw * 2 / (3 * st->pin_len);
    int dx = pad + tw / 2 - (st->pin_len * (dot + dot / 2)) / 2;
    for (int i = 0; i < st->pin_len; i++) ui_fill(f, (rect){dx + i * (dot + dot / 2), y, dot, dot}, COL_TEXT);
    y += t / 3 + pad / 2;
    /* "Checking…" while the PIN's hash is worked out (about half a second); warnings otherwise */
    ui_text(f, (rect){pad, y, tw, 0}, st->staff_msg, &mo, 1);
    static const char *keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
    for (int i = 0; i < 12; i++) {
        rect r = {kx + (i % 3) * (kw + pad / 2), ky + (i / 3) * (kh + pad / 2), kw, kh};
        char id[16];
        snprintf(id, sizeof id, "pin:%s", keys[i]);
        /* the pad keeps its phone layout in every language: digits are not mirrored */
        r = ui_flip(f, r);
        const char *label = !strcmp(keys[i], "del") ? "⌫" : !strcmp(keys[i], "ok") ? "OK" : keys[i];
        if (ui_text_button(f, id, r, label, i == 11 ? COL_ACCENT : COL_TILE, i == 11 ? COL_ON_ACCENT : COL_TEXT)) {
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
            if (ui_text_button(f, id, b, ui_tr(f, "Check"), COL_ACCENT, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_CHECK, NULL, (float)i);
        } else if (p->state == PACKROW_READY) {
            snprintf(id, sizeof id, "apply:%d", i);
            if (ui_text_button(f, id, b, ui_tr(f, "Apply"), COL_WARN, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_APPLY, NULL, (float)i);
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
            ui_text_button(f, "staff-export", exp, ui_tr(f, "Write bookings to the USB stick"), COL_ACCENT, COL_ON_ACCENT))
            ui_emit(f, ACT_STAFF_EXPORT, NULL, 0);
    }
    if (ui_text_button(f, "staff-leave", leave, ui_tr(f, "Leave staff mode"), COL_ACCENT, COL_ON_ACCENT))
        ui_emit(f, ACT_STAFF_LEAVE, NULL, 0);
    if (ui_text_button(f, "staff-quit", quit, ui_tr(f, "Quit kiosk"), COL_WARN, COL_ON_ACCENT)) ui_emit(f, ACT_STAFF_QUIT, NULL, 0);
    ui_header(f, 1);
}
