/*
 * kiosk-book: the booking room from a shell, for staff and tests.
 *
 *   kiosk-book --db FILE [--caldav URL --user U --password-file F] [--kiosk ID] [--timeout S]
 *              [--title T] [--location L] COMMAND ...
 *
 *   book OFFER START END CAPACITY [NAME PHONE]   START/END in UTC seconds since the epoch
 *   lookup CODE                                  state of one booking
 *   cancel CODE                                  frees the seat (at the server with --caldav)
 *   flush                                        deliver queued requests, purge personal data
 *   list DAY                                     bookings made here for a local day YYYY-MM-DD
 *   export-ics [DAY]                             staff calendar (all days without DAY)
 *   export-csv [DAY]                             staff table
 *   taken OFFER START END CAPACITY               seats taken in one slot
 *   ensure-calendar OFFER [DISPLAY_NAME]         create the offer's calendar on the server
 *
 * Without --caldav the bookings live in FILE alone (the local backend). The password is read
 * from a file so it never shows in the process list.
 *
 * Exit status: 0 done (book: CONFIRMED), 1 error (message on stderr), 2 usage, 3 TAKEN (every
 * seat of the slot is taken), 4 QUEUED (book: server unreachable, the request waits in the
 * outbox and is not confirmed; flush: requests still queued), 5 unknown booking code.
 * Names and phone numbers are never printed except in the staff exports.
 */
#include "booking/booking.h"
#include "booking/caldav.h"
#include "platform/secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2, EXIT_TAKEN = 3, EXIT_QUEUED = 4, EXIT_UNKNOWN = 5 };

typedef struct cli {
    booking_config cfg;
    const char *title, *location;
    char password[256];
} cli;

static int usage(void)
{
    fprintf(stderr,
            "usage: kiosk-book --db FILE [--caldav URL --user U --password-file F] [--kiosk ID] [--timeout S]\n"
            "                  [--timezone ZONE (local days of list and exports; default " STORE_DEFAULT_ZONE ")]\n"
            "                  [--title T] [--location L] COMMAND ...\n"
            "  book OFFER START END CAPACITY [NAME PHONE] | lookup CODE | cancel CODE | flush | list DAY\n"
            "  export-ics [DAY] | export-csv [DAY] | taken OFFER START END CAPACITY | ensure-calendar OFFER [NAME]\n"
            "exit: 0 ok/confirmed, 1 error, 2 usage, 3 taken, 4 queued, 5 unknown code\n");
    return EXIT_USAGE;
}

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = (int64_t)v;
    return 0;
}

static int read_password(cli *c, const char *path)
{
    char err[1200];
    if (secret_read_line(path, c->password, sizeof c->password, err, sizeof err) != SECRET_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return -1;
    }
    c->cfg.caldav_password = c->password;
    return 0;
}

/* Options before the command; returns the index of the command, or -1 on a usage error. */
static int parse_options(cli *c, int argc, char **argv)
{
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t t;
        if (!val) return -1;
        if (!strcmp(opt, "--db")) c->cfg.db_path = val;
        else if (!strcmp(opt, "--caldav")) c->cfg.caldav_url = val;
        else if (!strcmp(opt, "--user")) c->cfg.caldav_user = val;
        else if (!strcmp(opt, "--password-file")) { if (read_password(c, val) != 0) return -1; }
        else if (!strcmp(opt, "--kiosk")) c->cfg.kiosk_id = val;
        else if (!strcmp(opt, "--timezone")) c->cfg.zone = val;
        else if (!strcmp(opt, "--timeout") && parse_i64(val, &t) == 0 && t > 0) c->cfg.timeout_s = (long)t;
        else if (!strcmp(opt, "--title")) c->title = val;
        else if (!strcmp(opt, "--location")) c->location = val;
        else return -1;
    }
    return c->cfg.db_path && i < argc ? i : -1;
}

static void utc_text(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *state_word(int state)
{
    static const char *const words[] = {"CONFIRMED", "QUEUED", "TAKEN", "CANCELLED"};
    return state >= 0 && state <= BOOKING_CANCELLED ? words[state] : "UNKNOWN";
}

static void print_info(const booking_info *in)
{
    char a[21], z[21];
    utc_text(in->start, a);
    utc_text(in->end, z);
    printf("%s %s %s %s seat %d %s\n", in->code, in->offer_id, a, z, in->seat, state_word(in->state));
}

/* OFFER START END CAPACITY into r; returns 0 or -1. */
static int parse_slot(const cli *c, char **a, booking_request *r)
{
    int64_t cap;
    memset(r, 0, sizeof *r);
    r->offer_id = a[0];
    r->title = c->title ? c->title : a[0];
    r->location = c->location;
    if (parse_i64(a[1], &r->start) || parse_i64(a[2], &r->end) || parse_i64(a[3], &cap) || cap < 1 || cap > 100000)
        return -1;
    r->capacity = (int)cap;
    return 0;
}

static int cmd_book(booking *b, const cli *c, int n, char **a)
{
    booking_request r;
    if ((n != 4 && n != 6) || parse_slot(c, a, &r) != 0) return usage();
    if (n == 6) {
        r.name = a[4];
        r.phone = a[5];
    }
    booking_info in;
    char err[1024];
    if (booking_make(b, &r, &in, err, sizeof err) != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return EXIT_ERR;
    }
    switch (in.state) {
    case BOOKING_CONFIRMED:
        printf("CONFIRMED %s seat %d\n", in.code, in.seat);
        return EXIT_OK;
    case BOOKING_QUEUED:
        printf("QUEUED %s: the booking server cannot be reached; the request waits here and is NOT confirmed yet\n",
               in.code);
        return EXIT_QUEUED;
    default:
        printf("TAKEN: every seat of this slot is taken\n");
        return EXIT_TAKEN;
    }
}

static int cmd_lookup(booking *b, int n, char **a)
{
    if (n != 1) return usage();
    booking_info in;
    char err[1024];
    int rc = booking_lookup(b, a[0], &in, err, sizeof err);
    if (rc != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return rc == BOOKING_ERR_UNKNOWN_CODE ? EXIT_UNKNOWN : EXIT_ERR;
    }
    print_info(&in);
    return in.state == BOOKING_TAKEN ? EXIT_TAKEN : in.state == BOOKING_QUEUED ? EXIT_QUEUED : EXIT_OK;
}

static int cmd_cancel(booking *b, int n, char **a)
{
    if (n != 1) return usage();
    char err[1024];
    int rc = booking_cancel(b, a[0], err, sizeof err);
    if (rc != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return rc == BOOKING_ERR_UNKNOWN_CODE ? EXIT_UNKNOWN : EXIT_ERR;
    }
    printf("CANCELLED\n");
    return EXIT_OK;
}

static int cmd_flush(booking *b, int n)
{
    if (n != 0) return usage();
    int left;
    char err[1024];
    if (booking_flush_outbox(b, &left, err, sizeof err) != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return EXIT_ERR;
    }
    printf("%d queued\n", left);
    return left ? EXIT_QUEUED : EXIT_OK;
}

static int cmd_list(booking *b, int n, char **a)
{
    if (n != 1) return usage();
    booking_info *v;
    int count;
    char err[512];
    if (booking_list_day(b, a[0], &v, &count, err, sizeof err) != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: cannot list %s: %s\n", a[0], err);
        return EXIT_ERR;
    }
    for (int i = 0; i < count; i++) print_info(&v[i]);
    free(v);
    return EXIT_OK;
}

static int cmd_export(booking *b, int csv, int n, char **a)
{
    if (n > 1) return usage();
    const char *day = n ? a[0] : NULL;
    char err[512];
    int rc = csv ? booking_export_csv(b, day, stdout, err, sizeof err) : booking_export_ics(b, day, stdout, err, sizeof err);
    if (rc != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: export failed: %s\n", err);
        return EXIT_ERR;
    }
    return EXIT_OK;
}

static int cmd_taken(booking *b, const cli *c, int n, char **a)
{
    booking_request r;
    if (n != 4 || parse_slot(c, a, &r) != 0) return usage();
    booking_slot s = {.start = r.start, .end = r.end, .capacity = r.capacity};
    char err[1024];
    int offline;
    if (booking_fill_taken(b, r.offer_id, &s, 1, &offline, err, sizeof err) != BOOKING_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return EXIT_ERR;
    }
    printf("%d of %d taken%s\n", s.taken, s.capacity, offline ? " (server unreachable: this kiosk's own only)" : "");
    return s.taken >= s.capacity ? EXIT_TAKEN : EXIT_OK;
}

static int cmd_ensure(const cli *c, int n, char **a)
{
    if (n != 1 && n != 2) return usage();
    if (!c->cfg.caldav_url || !*c->cfg.caldav_url) {
        fprintf(stderr, "kiosk-book: ensure-calendar needs --caldav\n");
        return EXIT_USAGE;
    }
    caldav_config d = {.base_url = c->cfg.caldav_url, .user = c->cfg.caldav_user,
                       .password = c->cfg.caldav_password, .timeout_s = c->cfg.timeout_s};
    char err[1024];
    if (caldav_ensure_calendar(&d, a[0], n == 2 ? a[1] : a[0], err, sizeof err) != CALDAV_OK) {
        fprintf(stderr, "kiosk-book: %s\n", err);
        return EXIT_ERR;
    }
    printf("calendar %s ready\n", a[0]);
    return EXIT_OK;
}

static int run(booking *b, const cli *c, const char *cmd, int n, char **a)
{
    if (!strcmp(cmd, "book")) return cmd_book(b, c, n, a);
    if (!strcmp(cmd, "lookup")) return cmd_lookup(b, n, a);
    if (!strcmp(cmd, "cancel")) return cmd_cancel(b, n, a);
    if (!strcmp(cmd, "flush")) return cmd_flush(b, n);
    if (!strcmp(cmd, "list")) return cmd_list(b, n, a);
    if (!strcmp(cmd, "export-ics")) return cmd_export(b, 0, n, a);
    if (!strcmp(cmd, "export-csv")) return cmd_export(b, 1, n, a);
    if (!strcmp(cmd, "taken")) return cmd_taken(b, c, n, a);
    return usage();
}

int main(int argc, char **argv)
{
    cli c = {0};
    int i = parse_options(&c, argc, argv);
    if (i < 0) return usage();
    const char *cmd = argv[i];
    int n = argc - i - 1;
    char **a = argv + i + 1;
    int rc;
    if (!strcmp(cmd, "ensure-calendar")) {
        rc = cmd_ensure(&c, n, a);
    } else {
        booking *b = NULL;
        char err[1024];
        if (booking_open(&b, &c.cfg, err, sizeof err) != BOOKING_OK) {
            fprintf(stderr, "kiosk-book: %s\n", err);
            rc = EXIT_ERR;
        } else {
            rc = run(b, &c, cmd, n, a);
            booking_close(b);
        }
    }
    explicit_bzero(c.password, sizeof c.password); /* not optimised away like memset */
    return rc;
}
