/*
 * book.c: the booking flow of the state machine (app_priv.h): offer → day → time → optional
 * name and phone → consent → sent → confirmation (or an honest "queued" or "taken"), and looking
 * a booking up or cancelling it by its code.
 *
 * Everything that waits on the network runs on the booking worker; the flow only posts jobs and
 * picks results up in app_book_tick. Name and phone live in app_state while the person types;
 * they are wiped once the booking is sent on its way and at every idle reset.
 */
#include "app_priv.h"

#include "platform/fmt.h"
#include "platform/log.h"
#include "platform/secret.h"
#include "platform/wallclock.h"
#include "text/text.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the name xgettext knows for the app's UI strings */
#define T app_tr

#define BOOK_DAYS_AHEAD 28

static void read_secret(const char *path, char *buf, size_t len)
{
    char err[1200];
    buf[0] = 0;
    if (path && *path && secret_read_line(path, buf, len, err, sizeof err) != SECRET_OK)
        log_msg("booking", "CalDAV password: %s", err);
}

void app_book_open(app *a)
{
    if (!a->cfg.booking) return;
    char password[256], err[512];
    read_secret(a->cfg.caldav_password_file, password, sizeof password);
    booking_config bc = {.db_path = a->cfg.state_path,
                         .caldav_url = a->cfg.caldav_url,
                         .caldav_user = a->cfg.caldav_user[0] ? a->cfg.caldav_user : NULL,
                         .caldav_password = password[0] ? password : NULL,
                         .kiosk_id = a->cfg.kiosk_id[0] ? a->cfg.kiosk_id : "kiosk",
                         .timeout_s = 10,
                         .zone = a->zone};
    if (booking_worker_start(&a->booker, &bc, a->cfg.booking_retry_s, err, sizeof err) != BOOKING_OK)
        log_msg("booking", "booking is off: %s", err);
    sodium_memzero(password, sizeof password);
    a->s.can_book = a->booker != NULL;
}

static void free_choices(app *a)
{
    free(a->s.book_days);
    free(a->s.book_times);
    a->s.book_days = a->s.book_times = NULL;
    a->s.nbook_days = a->s.nbook_times = 0;
    free(a->slots);
    a->slots = NULL;
    a->nslots = 0;
}

void app_book_forget_person(app *a)
{
    sodium_memzero(a->s.book_name, sizeof a->s.book_name);
    sodium_memzero(a->s.book_phone, sizeof a->s.book_phone);
}

void app_book_reset(app *a)
{
    app_state *s = &a->s;
    free_choices(a);
    app_book_forget_person(a);
    free(s->book_ics);
    s->book_ics = NULL;
    s->book_state = BOOK_IDLE;
    s->book_field = s->book_anonymous = 0;
    s->book_code[0] = s->book_when[0] = s->book_where[0] = s->book_error[0] = 0;
    s->book_day_label[0] = s->book_time_label[0] = 0;
    sodium_memzero(s->code_entry, sizeof s->code_entry);
    s->code_state = CODE_ENTRY;
    s->code_offer[0] = s->code_when[0] = 0;
    /* a result arriving after the reset belongs to an older generation: the worker drops it, so
     * none of the staff jobs still on their way will be collected */
    a->staff_lists = a->staff_exports = 0;
    s->staff_listing = s->staff_exporting = 0;
}

void app_book_close(app *a)
{
    app_book_reset(a);
    booking_worker_stop(a->booker);
    a->booker = NULL;
}

static void when_text(app *a, const char *day, int start_min, int end_min, char *buf, size_t len)
{
    int y = 0, m = 0, d = 0;
    char date[160] = "", time[64] = "";
    sscanf(day, "%d-%d-%d", &y, &m, &d);
    i18n_format_day(a->s.lang, y, m, d, 1, date, sizeof date);
    i18n_format_time_range(a->s.lang, start_min, end_min, time, sizeof time);
    char unit[96];
    text_unit(unit, sizeof unit, time, TEXT_UNIT_OWN); /* "9:00 AM – 12:00 PM" whole inside Urdu */
    snprintf(buf, len, "%s\n%s", date, unit);
}

static int seats_free(const booking_slot *sl) { return sl->capacity - sl->taken; }

/* The days that still have a free seat, labelled. */
static void make_days(app *a)
{
    app_state *s = &a->s;
    free(s->book_days);
    s->book_days = calloc((size_t)a->nslots + 1, sizeof *s->book_days);
    s->nbook_days = 0;
    for (int i = 0; s->book_days && i < a->nslots; i++) {
        const booking_slot *sl = &a->slots[i];
        book_choice *c = s->nbook_days ? &s->book_days[s->nbook_days - 1] : NULL;
        if (!c || strcmp(a->slots[c->index].day, sl->day) != 0) {
            c = &s->book_days[s->nbook_days++];
            c->index = i;
            int y = 0, m = 0, d = 0;
            sscanf(sl->day, "%d-%d-%d", &y, &m, &d);
            i18n_format_day(s->lang, y, m, d, 1, c->label, sizeof c->label);
        }
    }
}

/* Where a slot is held: the place of its schedule, NULL when the schedule names none. */
static const store_place *slot_place(const app *a, const booking_slot *sl)
{
    const store_offer *o = a->s.offer;
    if (!o || sl->place < 0 || sl->place >= o->nplaces) return NULL;
    return &o->places[sl->place];
}

/* A place as the screens show it: its name and address, each line a text unit. */
static void place_shown(const store_place *p, char *buf, size_t len)
{
    buf[0] = 0;
    if (p) text_address(buf, len, p->name.text, p->street, p->postcode, p->city, NULL);
}

static void make_times(app *a, int first)
{
    app_state *s = &a->s;
    free(s->book_times);
    s->book_times = calloc((size_t)a->nslots + 1, sizeof *s->book_times);
    s->nbook_times = 0;
    for (int i = first; s->book_times && i < a->nslots && !strcmp(a->slots[i].day, a->slots[first].day); i++) {
        book_choice *c = &s->book_times[s->nbook_times++];
        c->index = i;
        char range[96];
        i18n_format_time_range(s->lang, a->slots[i].start_min, a->slots[i].end_min, range, sizeof range);
        text_unit(c->label, sizeof c->label, range, TEXT_UNIT_OWN);
        i18n_format_count(s->catalog, s->lang, "%d place free", "%d places free", seats_free(&a->slots[i]), c->detail,
                          sizeof c->detail);
        /* at several places the tile says which one: the same hour may be offered at two */
        const store_place *p = s->offer && s->offer->nplaces > 1 ? slot_place(a, &a->slots[i]) : NULL;
        if (p) text_unit(c->place, sizeof c->place, *p->name.text ? p->name.text : p->city, TEXT_UNIT_OWN);
    }
}

static int start(app *a)
{
    app_state *s = &a->s;
    if (!a->booker || !s->offer || !s->offer->bookable) return 0;
    free_choices(a);
    char **closed = store_closures(a->st, s->offer->id);
    int64_t now = wallclock_now();
    int rc = booking_worker_slots(a->booker, a->gen, s->offer->id, s->offer->schedules, s->offer->nschedules, closed, now,
                                  now + BOOK_DAYS_AHEAD * 86400LL, now);
    store_strv_free(closed);
    s->book_state = rc == 0 ? BOOK_LOADING : BOOK_FAILED;
    s->book_error[0] = s->book_where[0] = 0;
    s->scroll[SCREEN_BOOK_DAY] = 0;
    app_go(a, SCREEN_BOOK_DAY);
    return 1;
}

static booking_request sent_request(const app *a)
{
    booking_request r = {.offer_id = a->sent.offer_id,
                         .title = a->sent.title,
                         .location = a->sent.where,
                         .place = a->sent.place,
                         .start = a->sent.start,
                         .end = a->sent.end,
                         .capacity = a->sent.capacity};
    return r;
}

/* The slot's place for the calendar event, plain text (a phone's calendar does its own bidi). */
static void address(const store_place *p, char *buf, size_t len)
{
    if (!p) {
        buf[0] = 0;
        return;
    }
    snprintf(buf, len, "%s%s%s\n%s %s", p->name.text, *p->name.text ? "\n" : "", p->street ? p->street : "",
             p->postcode ? p->postcode : "", p->city ? p->city : "");
}

/* The request as the backend and the QR code see it (no personal data for the QR). It is kept
 * in a->sent until the answer comes: by then the visitor may have opened another offer. */
static booking_request request(app *a)
{
    const booking_slot *sl = &a->slots[a->chosen_slot];
    snprintf(a->sent.offer_id, sizeof a->sent.offer_id, "%s", a->s.offer->id);
    snprintf(a->sent.title, sizeof a->sent.title, "%s", a->s.offer->name.text);
    /* the place of the chosen slot, never simply the offer's first */
    const store_place *p = slot_place(a, sl);
    address(p, a->sent.where, sizeof a->sent.where);
    place_shown(p, a->sent.where_shown, sizeof a->sent.where_shown);
    a->sent.start = sl->start;
    a->sent.end = sl->end;
    a->sent.capacity = sl->capacity;
    snprintf(a->sent.place, sizeof a->sent.place, "%s", sl->place_id);
    return sent_request(a);
}

static int confirm(app *a)
{
    app_state *s = &a->s;
    if (!a->booker || a->chosen_slot < 0 || a->chosen_slot >= a->nslots || !s->offer) return 0;
    booking_request r = request(a);
    r.name = s->book_anonymous ? NULL : s->book_name;
    r.phone = s->book_anonymous ? NULL : s->book_phone;
    if (booking_worker_book(a->booker, a->gen, &r) != 0) return 0;
    s->book_state = BOOK_SENDING;
    app_go(a, SCREEN_BOOK_DONE);
    return 1;
}

int app_book_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    int scr = s->screen;
    switch (act->kind) {
    case ACT_BOOK:
        return start(a);
    case ACT_BOOK_DAY: {
        int i = (int)act->value;
        if (scr != SCREEN_BOOK_DAY || i < 0 || i >= s->nbook_days) return 0;
        snprintf(s->book_day_label, sizeof s->book_day_label, "%s", s->book_days[i].label);
        make_times(a, s->book_days[i].index);
        s->scroll[SCREEN_BOOK_TIME] = 0;
        app_go(a, SCREEN_BOOK_TIME);
        return 1;
    }
    case ACT_BOOK_TIME: {
        int i = (int)act->value;
        if (scr != SCREEN_BOOK_TIME || i < 0 || i >= s->nbook_times) return 0;
        a->chosen_slot = s->book_times[i].index;
        const booking_slot *sl = &a->slots[a->chosen_slot];
        when_text(a, sl->day, sl->start_min, sl->end_min, s->book_when, sizeof s->book_when);
        place_shown(slot_place(a, sl), s->book_where, sizeof s->book_where);
        s->book_field = 0;
        s->kb_pending[0] = 0;
        app_go(a, SCREEN_BOOK_DETAILS);
        return 1;
    }
    case ACT_BOOK_FIELD:
        s->book_field = act->value > 0.5f;
        s->kb_pending[0] = 0;
        return 1;
    case ACT_BOOK_NEXT:
    case ACT_BOOK_ANON:
        if (scr != SCREEN_BOOK_DETAILS) return 0;
        s->book_anonymous = act->kind == ACT_BOOK_ANON || (!s->book_name[0] && !s->book_phone[0]);
        if (s->book_anonymous) app_book_forget_person(a);
        app_go(a, SCREEN_BOOK_CONSENT);
        return 1;
    case ACT_BOOK_CONFIRM:
        return scr == SCREEN_BOOK_CONSENT && confirm(a);
    case ACT_MY_BOOKING:
        sodium_memzero(s->code_entry, sizeof s->code_entry);
        s->code_state = CODE_ENTRY;
        app_go(a, SCREEN_CODE);
        return 1;
    case ACT_CODE_LOOKUP:
        if (scr != SCREEN_CODE || strlen(s->code_entry) < 4 || !a->booker || s->code_state == CODE_LOOKING) return 0;
        if (booking_worker_lookup(a->booker, a->gen, s->code_entry) != 0) return 0;
        s->code_state = CODE_LOOKING;
        return 1;
    case ACT_CODE_CANCEL:
        if (scr != SCREEN_CODE || (s->code_state != CODE_FOUND && s->code_state != CODE_ASK_CANCEL)) return 0;
        if (act->value < 0.5f) {
            s->code_state = CODE_ASK_CANCEL;
            return 1;
        }
        if (!a->booker || booking_worker_cancel(a->booker, a->gen, s->code_entry) != 0) return 0;
        s->code_state = CODE_LOOKING;
        return 1;
    case ACT_KEY:
        if (scr == SCREEN_BOOK_DETAILS) {
            if (s->book_field) app_type_into(s->book_phone, sizeof s->book_phone, act->arg);
            else {
                /* the keyboard has no shift: a name's words start with a capital */
                char cap[16];
                size_t n = strlen(s->book_name);
                int word_start = n == 0 || s->book_name[n - 1] == ' ' || s->book_name[n - 1] == '-';
                if (word_start && i18n_titlecase_char(act->arg, cap, sizeof cap) == 0)
                    app_type_into(s->book_name, sizeof s->book_name, cap);
                else app_type_into(s->book_name, sizeof s->book_name, act->arg);
                sodium_memzero(cap, sizeof cap);
            }
            s->kb_pending[0] = 0;
            return 1;
        }
        if (scr == SCREEN_CODE && s->code_state != CODE_LOOKING) {
            app_type_into(s->code_entry, 7, act->arg);
            s->code_state = CODE_ENTRY;
            return 1;
        }
        return -1;
    case ACT_KEY_DELETE:
        if (scr == SCREEN_BOOK_DETAILS) {
            if (s->kb_pending[0]) s->kb_pending[0] = 0;
            else app_delete_last(s->book_field ? s->book_phone : s->book_name);
            return 1;
        }
        if (scr == SCREEN_CODE && s->code_state != CODE_LOOKING) {
            app_delete_last(s->code_entry);
            s->code_state = CODE_ENTRY;
            return 1;
        }
        return -1;
    case ACT_KEY_CLEAR:
        if (scr == SCREEN_BOOK_DETAILS) {
            if (s->book_field) sodium_memzero(s->book_phone, sizeof s->book_phone);
            else sodium_memzero(s->book_name, sizeof s->book_name);
            return 1;
        }
        if (scr == SCREEN_CODE && s->code_state != CODE_LOOKING) {
            sodium_memzero(s->code_entry, sizeof s->code_entry);
            s->code_state = CODE_ENTRY;
            return 1;
        }
        return -1;
    case ACT_BACK:
        /* the request is out: wait for the answer; other screens go back by the table */
        return scr == SCREEN_BOOK_DONE && s->book_state == BOOK_SENDING ? 0 : -1;
    default:
        return -1;
    }
}

static void got_slots(app *a, booking_result *r)
{
    app_state *s = &a->s;
    free_choices(a);
    if (r->rc != BOOKING_OK) {
        free(r->slots);
        s->book_state = BOOK_FAILED;
        log_msg("booking", "free times: %s", r->err);
        return;
    }
    a->slots = r->slots;
    a->nslots = slots_free_only(r->slots, r->nslots);
    make_days(a);
    s->book_state = r->offline ? BOOK_READY_OFFLINE : BOOK_READY;
}

static void got_booking(app *a, const booking_result *r)
{
    app_state *s = &a->s;
    if (r->rc != BOOKING_OK) {
        s->book_state = BOOK_ERROR;
        snprintf(s->book_error, sizeof s->book_error, "%s", r->err);
        log_msg("booking", "booking failed: %s", r->err); /* the backend's messages hold no personal data */
        return;
    }
    snprintf(s->book_code, sizeof s->book_code, "%s", r->info.code);
    if (r->info.state == BOOKING_TAKEN) {
        /* someone was faster: show fresh times, keep what was typed */
        s->book_state = BOOK_TAKEN;
        return;
    }
    s->book_state = r->info.state == BOOKING_CONFIRMED ? BOOK_CONFIRMED : BOOK_QUEUED;
    app_book_forget_person(a);
    booking_request req = sent_request(a);
    snprintf(s->book_where, sizeof s->book_where, "%s", a->sent.where_shown);
    free(s->book_ics);
    s->book_ics = s->book_state == BOOK_CONFIRMED ? booking_ics_event(&req, r->info.code) : NULL;
}

/* A booking's local day and wall-clock minutes (an end past midnight counts on from 24:00). */
static int local_span(const char *zone, int64_t start, int64_t end, char day[11], int *from, int *to)
{
    char end_day[11];
    if (slots_local_time(start, zone, day, from) != 0 || slots_local_time(end, zone, end_day, to) != 0)
        return -1;
    if (strcmp(day, end_day) != 0) *to += 24 * 60;
    return 0;
}

static void got_code(app *a, const booking_result *r)
{
    app_state *s = &a->s;
    if (r->rc == BOOKING_ERR_UNKNOWN_CODE) {
        s->code_state = CODE_UNKNOWN;
        return;
    }
    if (r->rc != BOOKING_OK) {
        s->code_state = CODE_FAILED;
        log_msg("booking", "%s: %s", r->job == BOOKING_JOB_CANCEL ? "cancel" : "lookup", r->err);
        return;
    }
    s->code_booking_state = r->info.state;
    s->code_state = r->job == BOOKING_JOB_CANCEL ? CODE_CANCELLED : CODE_FOUND;
    store_offer *o = NULL;
    s->code_offer[0] = 0;
    if (store_offer_get(a->st, r->info.offer_id, s->chain, s->nchain, &o) == 0) {
        snprintf(s->code_offer, sizeof s->code_offer, "%s", o->name.text);
        store_offer_free(o);
    }
    char day[11];
    int from, to;
    if (local_span(a->zone, r->info.start, r->info.end, day, &from, &to) == 0)
        when_text(a, day, from, to, s->code_when, sizeof s->code_when);
}

/*
 * Where the staff export goes: a stick mounted under the media directory (a directory on another
 * file system than its parent), else a directory there that holds files. An empty directory is
 * likely a mount point with no stick in it: writing there would fill the kiosk's own disk.
 * 0 with the directory in out, -1 when there is none, -2 when the one found is too long for out,
 * -3 with errno when none was found and a directory could not be read to its end (a failing
 * stick: not taken for an empty one).
 */
static int export_dir(const char *media, char *out, size_t len)
{
    int too_long = 0, failed = 0;
    struct stat top;
    if (stat(media, &top) != 0) return -1;
    struct dirent **names = NULL;
    int n = scandir(media, &names, NULL, alphasort), found = 0;
    for (int pass = 0; pass < 2 && !found; pass++)
        for (int i = 0; i < n && !found; i++) {
            char path[sizeof ((app_config *)0)->media_dir + NAME_MAX + 1];
            struct stat st;
            if (names[i]->d_name[0] == '.' || fmt_fit(path, sizeof path, "%s/%s", media, names[i]->d_name) != 0) continue;
            if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || access(path, W_OK) != 0) continue;
            if (pass == 0) found = st.st_dev != top.st_dev;
            else {
                DIR *d = opendir(path);
                struct dirent *e;
                while (d && !found && (errno = 0, e = readdir(d)))
                    found = e->d_name[0] != '.';
                if (d && !found && errno) failed = errno;
                if (d) closedir(d);
            }
            if (found && fmt_fit(out, len, "%s", path) != 0) {
                found = 0;
                too_long = 1;
            }
        }
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    errno = failed;
    return found ? 0 : too_long ? -2 : failed ? -3 : -1;
}

void app_book_staff(app *a, int export)
{
    app_state *s = &a->s;
    char today[11], dir[BOOKING_EXPORT_DIR_MAX] = "";
    int minute, where = 0;
    s->nstaff_list = 0;
    if (!a->booker || slots_local_time(wallclock_now(), a->zone, today, &minute) != 0) return;
    if (export && (where = export_dir(a->cfg.media_dir, dir, sizeof dir)) != 0) {
        int why = errno;
        if (where == -1) {
            snprintf(s->staff_msg, sizeof s->staff_msg, "%s", T(a, "No USB stick to write to. Insert one and try again."));
        } else {
            snprintf(s->staff_msg, sizeof s->staff_msg, "%s %s", T(a, "The bookings could not be written:"),
                     T(a, booking_strerror(BOOKING_ERR_EXPORT)));
            if (where == -3) log_msg("booking", "export: a folder on the media could not be read: %s", strerror(why));
            else log_msg("booking", "export: the stick's folder is longer than %d bytes", BOOKING_EXPORT_DIR_MAX - 1);
        }
        export = 0;
    }
    if (booking_worker_staff(a->booker, a->gen, today, export ? dir : NULL) != 0) return;
    /* jobs run one after another: an export asked for while the list is read comes after it */
    a->staff_lists++;
    a->staff_exports += export;
    s->staff_listing = 1;
    s->staff_exporting = a->staff_exports > 0;
}

static void got_staff(app *a, booking_result *r)
{
    app_state *s = &a->s;
    if (a->staff_lists > 0) a->staff_lists--;
    if (r->to_dir && a->staff_exports > 0) a->staff_exports--;
    s->staff_listing = a->staff_lists > 0;
    s->staff_exporting = a->staff_exports > 0;
    if (r->rc != BOOKING_OK) log_msg("booking", "staff: %s", r->err);
    s->nstaff_list = r->rc != 0 && !r->path[0] ? -1 : 0;
    for (int i = 0; i < r->nlist && s->nstaff_list < STAFF_LIST_MAX; i++) {
        const booking_info *in = &r->list[i];
        staff_booking *row = &s->staff_list[s->nstaff_list++];
        char day[11];
        int from, to;
        row->time[0] = 0;
        char range[96];
        if (local_span(a->zone, in->start, in->end, day, &from, &to) == 0 &&
            i18n_format_time_range(s->lang, from, to, range, sizeof range) >= 0)
            text_unit(row->time, sizeof row->time, range, TEXT_UNIT_OWN);
        snprintf(row->code, sizeof row->code, "%s", in->code);
        store_offer *of = NULL;
        int have = store_offer_get(a->st, in->offer_id, s->chain, s->nchain, &of) == 0;
        snprintf(row->offer, sizeof row->offer, "%s", have ? of->name.text : in->offer_id);
        if (have) store_offer_free(of);
        row->state = in->state;
    }
    if (r->path[0]) {
        if (r->rc == 0)
            snprintf(s->staff_msg, sizeof s->staff_msg, "%s %.300s (+ .csv)", T(a, "Bookings written to"), r->path);
        else snprintf(s->staff_msg, sizeof s->staff_msg, "%s %.300s", T(a, "The bookings could not be written:"), r->err);
    }
    free(r->list);
}

int app_book_tick(app *a)
{
    booking_result r;
    if (!a->booker) return 0;
    a->s.book_queued = booking_worker_queued(a->booker);
    if (!booking_worker_poll(a->booker, a->gen, &r)) return 0;
    switch (r.job) {
    case BOOKING_JOB_SLOTS:
        got_slots(a, &r);
        break;
    case BOOKING_JOB_BOOK:
        got_booking(a, &r);
        break;
    case BOOKING_JOB_LOOKUP:
    case BOOKING_JOB_CANCEL:
        got_code(a, &r);
        break;
    case BOOKING_JOB_STAFF:
        got_staff(a, &r);
        break;
    default:
        free(r.slots);
        break;
    }
    return 1;
}
