/*
 * Booking: the local backend (seats, codes, lookup, cancel, day list, exports, purge of personal
 * data), the outbox surviving a killed process, and the CalDAV backend against a real Radicale
 * started here (tests/servers/radicale.sh): 412 on a taken seat, counts, cancel, a wrong
 * password, the server hanging or killed mid-way, delivery once it is back, and ten kiosk
 * processes racing for the same seats. Usage: test_booking BUILD_DIR
 */
#include "check.h"
#include "booking/booking.h"
#include "booking/worker.h"
#include "booking/caldav.h"
#include "booking/booking_priv.h" /* bk_each_event: how a calendar text is read */
#include "platform/wallclock.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

static const char *build;
static char dir[512], db_local[700], db_dav[700], pwfile[700], badpwfile[700], url[200];
static int port;
static pid_t radicale = -1;
static int64_t base; /* a whole hour tomorrow: every slot of the tests is at base + n hours */


/* ---- the server ---- */

static int radicale_start(void)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "tests/servers/radicale.sh %d %s/radicale kiosk-test", port, dir);
    FILE *p = popen(cmd, "r");
    int pid = -1;
    if (!p) return -1;
    if (fscanf(p, "%d", &pid) != 1) pid = -1;
    int rc = pclose(p);
    radicale = rc == 0 && pid > 0 ? pid : -1;
    return radicale > 0 ? 0 : -1;
}

static void radicale_kill(void)
{
    if (radicale <= 0) return;
    kill(radicale, SIGCONT);
    kill(radicale, SIGKILL);
    /* not our child (the script detached it): wait until the port is closed */
    for (int i = 0; i < 50 && kill(radicale, 0) == 0; i++) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/stat", radicale);
        FILE *f = fopen(p, "r");
        char st = 'Z';
        if (f && fscanf(f, "%*d %*s %c", &st) != 1) st = 'Z';
        if (f) fclose(f);
        if (st == 'Z') break; /* a zombie holds no socket */
        usleep(50000);
    }
    radicale = -1;
}

/* Signals go to the server only when there is one: kill(-1, ...) would reach every process. */
static void radicale_signal(int sig)
{
    if (radicale > 0) kill(radicale, sig);
}

static caldav_config dav(const char *password)
{
    return (caldav_config){.base_url = url, .user = "kiosk", .password = password, .timeout_s = 3};
}

/* ---- helpers ---- */

static booking *open_local(void)
{
    booking_config c = {.db_path = db_local, .kiosk_id = "test-local"};
    booking *b = NULL;
    char err[512];
    if (booking_open(&b, &c, err, sizeof err) != 0) printf("open: %s\n", err);
    return b;
}

static booking *open_dav(const char *u, const char *password, long timeout)
{
    booking_config c = {.db_path = db_dav, .caldav_url = u, .caldav_user = "kiosk", .caldav_password = password,
                        .kiosk_id = "rathaus-1", .timeout_s = timeout};
    booking *b = NULL;
    char err[512];
    if (booking_open(&b, &c, err, sizeof err) != 0) printf("open: %s\n", err);
    return b;
}

static booking_request req(const char *offer, int hour, int capacity, const char *name, const char *phone)
{
    return (booking_request){.offer_id = offer, .title = "Sprachcafé", .location = "Marktplatz 1, Heidemoor",
                             .start = base + hour * 3600, .end = base + hour * 3600 + 1800, .capacity = capacity,
                             .name = name, .phone = phone};
}

/* The same at one place of an offer held at several. */
static booking_request req_at(const char *offer, int hour, int capacity, const char *place)
{
    booking_request r = req(offer, hour, capacity, NULL, NULL);
    r.place = place;
    return r;
}

static int book(booking *b, booking_request r, booking_info *in)
{
    char err[512] = "";
    int rc = booking_make(b, &r, in, err, sizeof err);
    if (rc != 0) printf("booking_make: %s\n", err);
    return rc;
}

static int code_ok(const char *c)
{
    return strlen(c) == 6 && strspn(c, ALPHABET) == 6;
}

/* Does the file (or its WAL) still hold these bytes anywhere? */
static int file_has(const char *path, const char *needle)
{
    char p[800];
    int found = 0;
    for (int i = 0; i < 2 && !found; i++) {
        snprintf(p, sizeof p, "%s%s", path, i ? "-wal" : "");
        FILE *f = fopen(p, "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) found = memmem(buf, (size_t)n, needle, strlen(needle)) != NULL;
        free(buf);
        fclose(f);
    }
    return found;
}

/* Rows of the booking table whose name or phone is still set. */
static int personal_rows(const char *path, const char *code)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM booking WHERE (name IS NOT NULL OR phone IS NOT NULL)"
                               " AND (?1 IS NULL OR code=?1)", -1, &st, NULL) == SQLITE_OK) {
        if (code) sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static char *slurp(FILE *f)
{
    fflush(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = 0;
    return s;
}

static int vevents(const char *ics)
{
    icalcomponent *c = icalparser_parse_string(ics);
    int n = 0;
    if (!c) return -1;
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT))
        n++;
    icalcomponent_free(c);
    return n;
}

/* Every line ends in CRLF (iCalendar, RFC 5545 3.1). */
static int crlf_only(const char *s)
{
    for (const char *p = strchr(s, '\n'); p; p = strchr(p + 1, '\n'))
        if (p == s || p[-1] != '\r') return 0;
    return 1;
}

/* What the server holds for one offer between two slot hours. */
typedef struct server_view {
    int events;
    char resources[64][48];
    char text[8192];
} server_view;

static void view_add(void *ud, const char *resource, const char *ics)
{
    server_view *v = ud;
    if (v->events < 64) snprintf(v->resources[v->events], sizeof v->resources[0], "%s", resource);
    v->events++;
    size_t n = strlen(v->text);
    snprintf(v->text + n, sizeof v->text - n, "%s", ics);
}

static int server_list(const char *offer, int from_hour, int to_hour, server_view *v)
{
    memset(v, 0, sizeof *v);
    caldav_config c = dav("kiosk-test");
    char err[512];
    int rc = caldav_list(&c, offer, base + from_hour * 3600, base + to_hour * 3600, view_add, v, err, sizeof err);
    if (rc != CALDAV_OK) printf("caldav_list: %s\n", err);
    return rc;
}

static int distinct_resources(const server_view *v)
{
    for (int i = 0; i < v->events && i < 64; i++)
        for (int j = i + 1; j < v->events && j < 64; j++)
            if (!strcmp(v->resources[i], v->resources[j])) return 0;
    return 1;
}

/* ---- local backend ---- */

TEST(local_seats_and_codes)
{
    booking *b = open_local();
    CHECK(b != NULL, "opened %s", db_local);
    if (!b) return;
    booking_info in[4];
    int ok = 1;
    for (int i = 0; i < 3; i++) ok &= book(b, req("sprachcafe", 1, 3, "Amal Haddad", "+49 170 1111"), &in[i]) == 0;
    CHECK(ok && in[0].state == BOOKING_CONFIRMED && in[1].state == BOOKING_CONFIRMED &&
              in[2].state == BOOKING_CONFIRMED,
          "three seats booked");
    CHECK(in[0].seat + in[1].seat + in[2].seat == 0 + 1 + 2 && in[0].seat != in[1].seat, "seats 0, 1, 2: %d %d %d",
          in[0].seat, in[1].seat, in[2].seat);
    CHECK(book(b, req("sprachcafe", 1, 3, NULL, NULL), &in[3]) == 0 && in[3].state == BOOKING_TAKEN &&
              in[3].code[0] == 0,
          "the fourth is TAKEN, without a code (state %d)", in[3].state);
    CHECK(code_ok(in[0].code) && code_ok(in[1].code) && code_ok(in[2].code), "codes from the alphabet: %s %s %s",
          in[0].code, in[1].code, in[2].code);
    /* many codes: all distinct, all 6 characters of the alphabet */
    char codes[150][8];
    int good = 1;
    for (int i = 0; i < 150 && good; i++) {
        booking_info x;
        good = book(b, req("codes", 100 + i, 1, NULL, NULL), &x) == 0 && x.state == BOOKING_CONFIRMED &&
               code_ok(x.code);
        memcpy(codes[i], x.code, 8);
    }
    for (int i = 0; i < 150 && good; i++)
        for (int j = i + 1; j < 150 && good; j++) good = strcmp(codes[i], codes[j]) != 0;
    CHECK(good, "150 bookings, 150 different valid codes");
    booking_request bad = req("sprachcafe", 1, 3, "x", NULL);
    bad.start = time(NULL) - 7200;
    bad.end = time(NULL) - 3600;
    char err[256] = "";
    CHECK(booking_make(b, &bad, &in[3], err, sizeof err) == BOOKING_ERR_REQUEST && strstr(err, "over"), "a past slot is refused: %s", err);
    booking_request longname = req("sprachcafe", 1, 3, NULL, NULL);
    char big[400];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = 0;
    longname.name = big;
    CHECK(booking_make(b, &longname, &in[3], err, sizeof err) == BOOKING_ERR_REQUEST && !strstr(err, "AAAA"),
          "an overlong name is refused without being quoted: %s", err);
    booking_close(b);
}

/* Every code has a sentence of its own, and a failing call puts it first in err. */
TEST(error_sentences)
{
    int distinct = 1;
    for (int i = BOOKING_OK; i <= BOOKING_ERR_EXPORT; i++)
        for (int j = i + 1; j <= BOOKING_ERR_EXPORT; j++)
            if (!strcmp(booking_strerror(i), booking_strerror(j))) distinct = 0;
    CHECK(distinct && strcmp(booking_strerror(BOOKING_ERR_EXPORT), booking_strerror(BOOKING_ERR_EXPORT + 1)),
          "one sentence per code, none falls to the default");
    booking *b = NULL;
    char err[256] = "";
    booking_config none = {.db_path = ""};
    CHECK(booking_open(&b, &none, err, sizeof err) == BOOKING_ERR_ARG && !b &&
              !strncmp(err, booking_strerror(BOOKING_ERR_ARG), strlen(booking_strerror(BOOKING_ERR_ARG))) &&
              strstr(err, ": no database path"),
          "sentence, then the detail: %s", err);
}

/*
 * An offer held at two places, each with a slot at the same hour: each place has its own seats.
 * Both backends run the same steps; a staff entry at that hour with no place of ours counts at
 * every place (CalDAV), since no one can tell which it took.
 */
static void seats_per_place(booking *b, const char *offer, int hour, const char *db)
{
    booking_info a1, b1, a2, b2;
    char err[512] = "";
    CHECK(book(b, req_at(offer, hour, 1, "lk/lindenfeld"), &a1) == 0 && a1.state == BOOKING_CONFIRMED, "%s: place A booked",
          db);
    CHECK(book(b, req_at(offer, hour, 1, "lk/wiesental"), &b1) == 0 && b1.state == BOOKING_CONFIRMED,
          "%s: the same hour at place B is a seat of its own (state %d)", db, b1.state);
    CHECK(book(b, req_at(offer, hour, 1, "lk/lindenfeld"), &a2) == 0 && a2.state == BOOKING_TAKEN,
          "%s: place A's only seat is taken (state %d)", db, a2.state);
    booking_slot s[2] = {{.start = base + hour * 3600, .end = base + hour * 3600 + 1800, .capacity = 1, .place = 0},
                         {.start = base + hour * 3600, .end = base + hour * 3600 + 1800, .capacity = 2, .place = 1}};
    snprintf(s[0].place_id, sizeof s[0].place_id, "lk/lindenfeld");
    snprintf(s[1].place_id, sizeof s[1].place_id, "lk/wiesental");
    CHECK(booking_fill_taken(b, offer, s, 2, NULL, err, sizeof err) == BOOKING_OK && s[0].taken == 1 && s[1].taken == 1,
          "%s: one taken at each place (%d, %d) %s", db, s[0].taken, s[1].taken, err);
    CHECK(booking_cancel(b, b1.code, err, sizeof err) == 0, "%s: cancel at B: %s", db, err);
    CHECK(booking_fill_taken(b, offer, s, 2, NULL, err, sizeof err) == BOOKING_OK && s[0].taken == 1 && s[1].taken == 0,
          "%s: B's seat free again, A's still taken (%d, %d)", db, s[0].taken, s[1].taken);
    CHECK(book(b, req_at(offer, hour, 1, "lk/wiesental"), &b2) == 0 && b2.state == BOOKING_CONFIRMED &&
              book(b, req_at(offer, hour, 1, "lk/lindenfeld"), &a2) == 0 && a2.state == BOOKING_TAKEN,
          "%s: B booked again; A still full", db);
}

TEST(local_seats_per_place)
{
    booking *b = open_local();
    if (!b) return;
    seats_per_place(b, "zwei-orte", 9, "local");
    booking_close(b);
    /* a file from before places were counted opens, its bookings kept, and books per place */
    char old[800], err[512];
    snprintf(old, sizeof old, "%s/before-places.db", dir);
    remove(old);
    sqlite3 *d = NULL;
    int made = sqlite3_open(old, &d) == SQLITE_OK &&
               sqlite3_exec(d,
                            "CREATE TABLE booking(id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,"
                            " backend INTEGER NOT NULL, offer_id TEXT NOT NULL, title TEXT NOT NULL, location TEXT,"
                            " slot_start INTEGER NOT NULL, slot_end INTEGER NOT NULL, capacity INTEGER NOT NULL,"
                            " seat INTEGER, state INTEGER NOT NULL, name TEXT, phone TEXT, created INTEGER NOT NULL,"
                            " UNIQUE(backend, offer_id, slot_start, seat));",
                            NULL, NULL, NULL) == SQLITE_OK;
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO booking(code, backend, offer_id, title, slot_start, slot_end, capacity, seat, state, created)"
             " VALUES('ABCDEF', 0, 'zwei-orte', 't', %lld, %lld, 1, 0, 0, 1)",
             (long long)(base + 10 * 3600), (long long)(base + 10 * 3600 + 1800));
    made = made && sqlite3_exec(d, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(d);
    CHECK(made, "a booking file of the old schema");
    booking_config c = {.db_path = old, .kiosk_id = "test-old"};
    booking_info x;
    b = NULL;
    CHECK(booking_open(&b, &c, err, sizeof err) == 0, "the old file opens: %s", err);
    if (!b) return;
    CHECK(booking_lookup(b, "ABCDEF", &x, NULL, 0) == BOOKING_OK && x.state == BOOKING_CONFIRMED, "its booking is still there");
    CHECK(book(b, req("zwei-orte", 10, 1, NULL, NULL), &x) == 0 && x.state == BOOKING_TAKEN,
          "an offer of one place: its seat is still taken");
    CHECK(book(b, req_at("zwei-orte", 10, 1, "lk/wiesental"), &x) == 0 && x.state == BOOKING_CONFIRMED,
          "a place's own seat at that hour");
    booking_close(b);
}

TEST(local_lookup_cancel)
{
    booking *b = open_local();
    if (!b) return;
    booking_info a, x, again;
    book(b, req("beratung", 2, 1, "Yusuf Demir", "0151 2222"), &a);
    char lower[8];
    for (int i = 0; i < 7; i++) lower[i] = (char)tolower((unsigned char)a.code[i]);
    CHECK(booking_lookup(b, lower, &x, NULL, 0) == 0 && !strcmp(x.code, a.code) && x.state == BOOKING_CONFIRMED &&
              x.start == a.start && x.seat == 0 && !strcmp(x.offer_id, "beratung"),
          "lookup by code in lower case finds %s", a.code);
    CHECK(booking_lookup(b, "ZZZZZZ", &x, NULL, 0) == BOOKING_ERR_UNKNOWN_CODE &&
              booking_lookup(b, "10OIL!", &x, NULL, 0) == BOOKING_ERR_UNKNOWN_CODE &&
              booking_lookup(b, "", &x, NULL, 0) == BOOKING_ERR_UNKNOWN_CODE,
          "unknown and malformed codes: BOOKING_ERR_UNKNOWN_CODE");
    CHECK(book(b, req("beratung", 2, 1, NULL, NULL), &x) == 0 && x.state == BOOKING_TAKEN, "capacity 1: full");
    char err[256] = "";
    CHECK(booking_cancel(b, a.code, err, sizeof err) == 0, "cancelled: %s", err);
    CHECK(booking_lookup(b, a.code, &x, NULL, 0) == 0 && x.state == BOOKING_CANCELLED, "lookup says CANCELLED");
    CHECK(personal_rows(db_local, a.code) == 0, "a cancelled booking keeps no name or phone");
    CHECK(book(b, req("beratung", 2, 1, NULL, NULL), &again) == 0 && again.state == BOOKING_CONFIRMED &&
              again.seat == 0,
          "the freed seat is booked again");
    CHECK(booking_cancel(b, "ZZZZZZ", err, sizeof err) == BOOKING_ERR_UNKNOWN_CODE && strstr(err, "no booking has this code"),
          "cancel of an unknown code: %s", err);
    booking_slot s[3] = {{.start = base + 1 * 3600, .end = base + 1 * 3600 + 1800, .capacity = 3},
                         {.start = base + 2 * 3600, .end = base + 2 * 3600 + 1800, .capacity = 1},
                         {.start = base + 3 * 3600, .end = base + 3 * 3600 + 1800, .capacity = 2, .taken = 7}};
    CHECK(booking_fill_taken(b, "sprachcafe", s, 1, NULL, err, sizeof err) == BOOKING_OK && s[0].taken == 3, "3 taken at 1h: %d",
          s[0].taken);
    CHECK(booking_fill_taken(b, "beratung", s + 1, 2, NULL, err, sizeof err) == BOOKING_OK && s[1].taken == 1 && s[2].taken == 0,
          "beratung: 1 and 0 taken (%d, %d)", s[1].taken, s[2].taken);
    booking_close(b);
}

static void local_day(int64_t t, char day[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    localtime_r(&tt, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
    unsetenv("TZ");
    tzset();
}

/* Names and phones reach staff lists, exports and the CalDAV server: what could reorder or break
 * them is refused before anything is stored, and the message never quotes them. */
TEST(local_hostile_names)
{
    booking *b = open_local();
    if (!b) return;
    char big[10001];
    memset(big, 'N', sizeof big - 1);
    big[sizeof big - 1] = 0;
    const char *const names[] = {
        "Anna \xE2\x80\xAEWeber",             /* U+202E right-to-left override */
        "Anna \xE2\x81\xA7Weber\xE2\x81\xA9", /* U+2067 right-to-left isolate .. U+2069 */
        "Anna\xC2\x85Weber",                   /* U+0085, a C1 control (next line) */
        "Anna\xE2\x80\xA8Weber",               /* U+2028 line separator */
        "Anna \xFF\xFE Weber",                 /* not UTF-8 */
        "Anna \xC0\xAF Weber",                 /* an overlong '/' */
        "Anna \xED\xA0\x80 Weber",             /* a surrogate */
        "Anna \xE2\x80",                       /* cut short */
        "Anna\tWeber",
        big,
    };
    int refused = 0, quoted = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        booking_request r = req("hostile", 5, 20, names[i], "0171 555");
        booking_info in;
        char err[512] = "";
        if (booking_make(b, &r, &in, err, sizeof err) == BOOKING_ERR_REQUEST) refused++;
        else printf("  accepted name %zu\n", i);
        quoted += strstr(err, "Weber") != NULL;
    }
    CHECK(refused == (int)(sizeof names / sizeof names[0]) && !quoted, "%d of %zu hostile names refused, %d quoted",
          refused, sizeof names / sizeof names[0], quoted);
    booking_info in;
    char err[512] = "";
    booking_slot slot = {.start = base + 5 * 3600, .end = base + 5 * 3600 + 1800, .capacity = 20};
    CHECK(booking_fill_taken(b, "hostile", &slot, 1, NULL, err, sizeof err) == BOOKING_OK && slot.taken == 0,
          "nothing stored for them: %d taken", slot.taken);
    booking_request r = req("hostile", 5, 20, "Anna", "\xE2\x80\xAE" "0171 555");
    CHECK(booking_make(b, &r, &in, err, sizeof err) == BOOKING_ERR_REQUEST && !strstr(err, "0171"), "an override in the phone: %s", err);
    CHECK(book(b, req("hostile", 5, 20, "\xD8\xB3\xD8\xA7\xD8\xB1\xD8\xA7 Zo\xC3\xAB M\xC3\xBCller-O'Brien",
                      "+49 (0)171 555"), &in) == 0 && in.state == BOOKING_CONFIRMED,
          "Arabic, Latin with diacritics and punctuation still book");
    booking_close(b);
}

TEST(local_list_and_exports)
{
    booking *b = open_local();
    if (!b) return;
    booking_request r = req("export", 30, 2, "Nour \"Al\" Rahman, jr.", "=HYPERLINK(\"x\")");
    r.title = "Café, \"Sprache\"\nund mehr";
    booking_info a;
    book(b, r, &a);
    char day[11], other[11];
    local_day(base + 30 * 3600, day);
    local_day(base + 30 * 3600 + 40 * 86400, other); /* after every other test's slots */
    booking_info *v = NULL;
    int n = 0, found = 0;
    char err[512] = "";
    CHECK(booking_list_day(b, day, &v, &n, err, sizeof err) == 0 && n >= 1, "list %s: %d bookings", day, n);
    for (int i = 0; i < n; i++) found += !strcmp(v[i].code, a.code);
    free(v);
    CHECK(found == 1, "the booking is listed on its local day");
    CHECK(booking_list_day(b, other, &v, &n, err, sizeof err) == 0 && n == 0, "nothing forty days later (%d)", n);
    free(v);
    CHECK(booking_list_day(b, "2025-02-30", &v, &n, err, sizeof err) == BOOKING_ERR_REQUEST && strstr(err, "not a day"),
          "a bad day is refused, and said so (%s)", err);
    /* a stick that fills up: the export says it could not be written, and why */
    FILE *full = fopen("/dev/full", "w");
    int frc = full ? booking_export_csv(b, NULL, full, err, sizeof err) : -1;
    if (full) fclose(full);
    CHECK(!full || (frc == BOOKING_ERR_EXPORT && strstr(err, strerror(ENOSPC))), "a full disk: %d %s", frc, err);

    FILE *f = tmpfile();
    CHECK(f && booking_export_ics(b, day, f, err, sizeof err) == 0, "ics export of %s", day);
    char *ics = f ? slurp(f) : NULL;
    if (f) fclose(f);
    CHECK(ics && vevents(ics) >= 1 && crlf_only(ics) && strstr(ics, a.code), "the export parses with libical (%d events)",
          ics ? vevents(ics) : -1);
    CHECK(ics && strstr(ics, "Nour"), "staff export carries the name while it is stored");
    free(ics);
    f = tmpfile();
    CHECK(f && booking_export_ics(b, NULL, f, err, sizeof err) == 0, "ics export of every day");
    ics = f ? slurp(f) : NULL;
    if (f) fclose(f);
    CHECK(ics && vevents(ics) > 150, "all days: %d events", ics ? vevents(ics) : -1);
    free(ics);

    f = tmpfile();
    CHECK(f && booking_export_csv(b, day, f, err, sizeof err) == 0, "csv export");
    char *csv = f ? slurp(f) : NULL;
    if (f) fclose(f);
    const char *header = "code,offer,title,location,start_utc,end_utc,local_start,local_end,seat,state,name,phone\r\n";
    CHECK(csv && !strncmp(csv, header, strlen(header)), "header line first: %.60s", csv ? csv : "");
    char want[300];
    snprintf(want, sizeof want, "%s,export,\"Café, \"\"Sprache\"\"\nund mehr\",\"Marktplatz 1, Heidemoor\",", a.code);
    CHECK(csv && strstr(csv, want), "quoted title and location (RFC 4180): %s", csv ? csv : "");
    CHECK(csv && strstr(csv, ",confirmed,\"Nour \"\"Al\"\" Rahman, jr.\",\"'=HYPERLINK(\"\"x\"\")\"\r\n"),
          "quoted name; a formula is kept as text: %s", csv ? csv : "");
    free(csv);

    char *qr = booking_ics_event(&r, a.code);
    char uid[32];
    snprintf(uid, sizeof uid, "UID:%s@kiosk", a.code);
    CHECK(qr && vevents(qr) == 1 && crlf_only(qr) && strstr(qr, uid), "QR event: one VEVENT, CRLF, UID %s@kiosk",
          a.code);
    CHECK(qr && !strstr(qr, "Nour") && !strstr(qr, "HYPERLINK"), "QR event without name or phone");
    icalcomponent *c = qr ? icalparser_parse_string(qr) : NULL;
    icalcomponent *e = c ? icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT) : NULL;
    struct icaltimetype ts = e ? icalcomponent_get_dtstart(e) : icaltime_null_time();
    CHECK(e && icaltime_is_utc(ts) && icaltime_as_timet(ts) == r.start, "QR DTSTART is the slot start in UTC");
    if (c) icalcomponent_free(c);
    free(qr);
    booking_close(b);
}

/* The staff CSV read back as a spreadsheet would: libcsv's cells, one row per call of on_row. */
typedef struct cells {
    char v[16][400];
    int n;
    char rows[64][4][400]; /* offer, title, name, phone of each row */
    int nrows;
} cells;

static void cell_cb(void *s, size_t len, void *ud)
{
    cells *c = ud;
    if (c->n < 16) snprintf(c->v[c->n], sizeof c->v[0], "%.*s", (int)len, (const char *)s);
    c->n++;
}

static void row_cb(int ch, void *ud)
{
    (void)ch;
    cells *c = ud;
    if (c->n == 12 && c->nrows < 64) {
        snprintf(c->rows[c->nrows][0], 400, "%s", c->v[1]);
        snprintf(c->rows[c->nrows][1], 400, "%s", c->v[2]);
        snprintf(c->rows[c->nrows][2], 400, "%s", c->v[10]);
        snprintf(c->rows[c->nrows][3], 400, "%s", c->v[11]);
        c->nrows++;
    }
    c->n = 0;
}

/*
 * A spreadsheet runs a cell as a formula when it starts with = + - @ (also after spaces, and in
 * their fullwidth and small forms, which East Asian spreadsheets read as the ASCII ones), a tab
 * or a line break: each such name, phone and title comes out as text, with a leading quote mark.
 */
TEST(csv_export_formulas)
{
    booking *b = open_local();
    if (!b) return;
    static const char *const hostile[] = {
        "-1+1", "+1+1", "=1+1", "@SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "  =1+1", " -1+1", " @x",
        "\xEF\xBC\x9D" "1+1",           /* FULLWIDTH EQUALS SIGN */
        "\xEF\xBC\x8B" "1+1",           /* FULLWIDTH PLUS SIGN */
        "\xEF\xBC\x8D" "1+1",           /* FULLWIDTH HYPHEN-MINUS */
        "\xEF\xBC\xA0" "SUM(A1)",       /* FULLWIDTH COMMERCIAL AT */
        "\xEF\xB9\xA6" "1+1",           /* SMALL EQUALS SIGN */
        " \xEF\xBC\x9D" "1",            /* space, then fullwidth = */
        "\xE3\x80\x80=1+1",             /* IDEOGRAPHIC SPACE, then = */
        "\xC2\xA0-1+1",                  /* NBSP, then - */
    };
    static const char *const phones[] = {"+49 170 1234567", "-1+1", "=1", " +1", "\xEF\xBC\x8B" "49 170"};
    static const char *const titles[] = {"\n=1+1", "-Kurs", "=HYPERLINK(\"http://x\")"};
    static const char *const benign[] = {"Anna", "O'Brien-M\xC3\xBCller", "1+1", "Zo\xC3\xAB (=)", "a-b"};
    size_t nh = sizeof hostile / sizeof *hostile, np = sizeof phones / sizeof *phones,
           nt = sizeof titles / sizeof *titles, nb = sizeof benign / sizeof *benign;
    booking_info in;
    int booked = 0;
    for (size_t i = 0; i < nh; i++) booked += book(b, req("formula-name", 33, 60, hostile[i], "0171 555"), &in) == 0;
    for (size_t i = 0; i < np; i++) booked += book(b, req("formula-phone", 33, 60, "Anna", phones[i]), &in) == 0;
    for (size_t i = 0; i < nt; i++) {
        booking_request r = req("formula-title", 33, 60, "Anna", "0171 555");
        r.title = titles[i];
        booked += book(b, r, &in) == 0;
    }
    for (size_t i = 0; i < nb; i++) booked += book(b, req("formula-benign", 33, 60, benign[i], "0171 555"), &in) == 0;
    CHECK(booked == (int)(nh + np + nt + nb), "%d of %zu booked", booked, nh + np + nt + nb);
    char day[11];
    local_day(base + 33 * 3600, day);
    FILE *f = tmpfile();
    char err[512] = "";
    CHECK(f && booking_export_csv(b, day, f, err, sizeof err) == 0, "csv export of %s", day);
    char *csv = f ? slurp(f) : NULL;
    if (f) fclose(f);
    booking_close(b);
    if (!csv) return;
    static cells c;
    memset(&c, 0, sizeof c);
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
    size_t len = strlen(csv);
    CHECK(csv_parse(&p, csv, len, cell_cb, row_cb, &c) == len && csv_fini(&p, cell_cb, row_cb, &c) == 0,
          "the export parses as CSV: %s", csv_strerror(csv_error(&p)));
    csv_free(&p);
    free(csv);
    int neutral = 0, kept = 0, found = 0;
    for (int r = 0; r < c.nrows; r++) {
        const char *offer = c.rows[r][0];
        const char *const *want = NULL;
        size_t nw = 0;
        int col = 2;
        if (!strcmp(offer, "formula-name")) want = hostile, nw = nh;
        else if (!strcmp(offer, "formula-phone")) want = phones, nw = np, col = 3;
        else if (!strcmp(offer, "formula-title")) want = titles, nw = nt, col = 1;
        else if (!strcmp(offer, "formula-benign")) want = benign, nw = nb;
        else continue;
        const char *got = c.rows[r][col];
        int hit = 0;
        for (size_t i = 0; i < nw && !hit; i++) {
            if (want == benign) hit = !strcmp(got, benign[i]);
            else hit = got[0] == '\'' && !strcmp(got + 1, want[i]);
        }
        found++;
        if (want == benign) kept += hit;
        else neutral += hit;
        if (!hit) printf("  %s cell came out as '%s'\n", offer, got);
    }
    printf("csv formulas: %zu hostile cells, %d neutralised; %zu plain, %d kept as they were\n", nh + np + nt, neutral,
           nb, kept);
    CHECK(found == (int)(nh + np + nt + nb), "every row exported (%d)", found);
    CHECK(neutral == (int)(nh + np + nt), "every formula is text: %d of %zu", neutral, nh + np + nt);
    CHECK(kept == (int)nb, "other cells unchanged: %d of %zu", kept, nb);
}

/* The worker hands the backend the whole title: a long Arabic one was cut at 255 bytes,
 * in the middle of a letter, and a too-long offer id is refused rather than shortened. */
TEST(worker_copies_whole_texts)
{
    char path[800], err[256] = "";
    snprintf(path, sizeof path, "%s/worker.db", dir);
    unlink(path);
    booking_config c = {.db_path = path, .kiosk_id = "test-worker"};
    booking_worker *w = NULL;
    CHECK(booking_worker_start(&w, &c, 60, err, sizeof err) == 0, "worker started: %s", err);
    if (!w) return;
    char title[400] = "";
    for (int i = 0; i < 150; i++) strcat(title, "\xd8\xb3"); /* 150 x U+0633, 300 bytes */
    booking_request r = req("long-title", 5, 1, NULL, NULL);
    r.title = title;
    booking_result res = {0};
    CHECK(booking_worker_book(w, 1, &r) == 0, "posted");
    for (int i = 0; i < 500 && !booking_worker_poll(w, 1, &res); i++) usleep(10000);
    CHECK(res.job == BOOKING_JOB_BOOK && res.rc == 0 && res.info.state == BOOKING_CONFIRMED, "booked (rc %d: %s)",
          res.rc, res.err);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int len = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT length(CAST(title AS BLOB)) FROM booking WHERE offer_id='long-title'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        len = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK(len == 300, "the title is stored whole: %d of 300 bytes", len);
    char id[300];
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = 0;
    r.offer_id = id;
    CHECK(booking_worker_book(w, 1, &r) == -1, "an offer id longer than a booking holds is refused");
    booking_worker_stop(w);
}

/* An hour of the tests (base + hour) whose New York day is not Berlin's; both days; -1 none. */
static int hour_of_two_days(char ny[11], char berlin[11])
{
    for (int h = 1; h < 48; h++) {
        slots_local_day(base + h * 3600, "America/New_York", ny, NULL);
        slots_local_day(base + h * 3600, "Europe/Berlin", berlin, NULL);
        if (strcmp(ny, berlin)) return h;
    }
    return -1;
}

/* The staff list of local day on worker w (generation 1): how many bookings, -1 on failure. */
static int worker_day_count(booking_worker *w, const char *day)
{
    booking_result res = {0};
    if (booking_worker_staff(w, 1, day, NULL) != 0) return -1;
    int got = 0;
    for (int i = 0; i < 500 && !(got = booking_worker_poll(w, 1, &res)); i++) usleep(10000);
    int n = got && res.job == BOOKING_JOB_STAFF && res.rc == BOOKING_OK ? res.nlist : -1;
    free(res.list);
    return n;
}

/* A new pack of another district: the worker reads local days in the zone it is told from then
 * on, not in the one it started with; a zone ICU does not know leaves the last good one. */
TEST(worker_takes_a_new_zone)
{
    char path[800], err[256] = "";
    snprintf(path, sizeof path, "%s/worker-zone.db", dir);
    unlink(path);
    booking_config c = {.db_path = path, .kiosk_id = "test-worker", .zone = "Europe/Berlin"};
    booking_worker *w = NULL;
    CHECK(booking_worker_start(&w, &c, 60, err, sizeof err) == BOOKING_OK, "worker started in Berlin: %s", err);
    if (!w) return;
    char ny[11] = "", berlin[11] = "";
    int hour = hour_of_two_days(ny, berlin);
    booking_request r = req("zone-worker", hour, 1, NULL, NULL);
    booking_result res = {0};
    CHECK(hour > 0 && booking_worker_book(w, 1, &r) == 0, "posted at +%dh (New York %s, Berlin %s)", hour, ny, berlin);
    for (int i = 0; i < 500 && !booking_worker_poll(w, 1, &res); i++) usleep(10000);
    CHECK(res.job == BOOKING_JOB_BOOK && res.rc == BOOKING_OK, "booked: %s", res.err);
    CHECK(worker_day_count(w, berlin) == 1 && worker_day_count(w, ny) == 0, "on Berlin's %s, as started", berlin);
    CHECK(booking_worker_set_zone(w, "America/New_York") == 0, "told New York");
    int on_ny = worker_day_count(w, ny), on_berlin = worker_day_count(w, berlin);
    CHECK(on_ny == 1 && on_berlin == 0, "now on New York's %s (%d), not Berlin's (%d)", ny, on_ny, on_berlin);
    CHECK(booking_worker_set_zone(w, "Mars/Olympus") == 0 && worker_day_count(w, ny) == 1,
          "an unknown zone keeps New York");
    booking_worker_stop(w);
}

/* A slot after 2038 is written with its own date, not one a 32-bit time_t made of it. */
TEST(times_after_2038)
{
    booking_request r = {.offer_id = "later", .title = "Later", .start = 2208996000LL, .end = 2208997800LL,
                         .capacity = 1}; /* 2040-01-01 02:00-02:30 UTC */
    char *qr = booking_ics_event(&r, "K7M4Q2");
    CHECK(qr && strstr(qr, "DTSTART:20400101T020000Z") && strstr(qr, "DTEND:20400101T023000Z"),
          "2040 in the event: %s", qr ? qr : "(none)");
    free(qr);
}

/* Local days and CSV times follow the configured zone, not Berlin's. */
TEST(zone_of_local_days)
{
    char path[800], err[256] = "";
    snprintf(path, sizeof path, "%s/zone.db", dir);
    unlink(path);
    booking *b = NULL;
    booking_config bad = {.db_path = path, .zone = "Mars/Olympus"};
    CHECK(booking_open(&b, &bad, err, sizeof err) == BOOKING_ERR_ZONE && strstr(err, "time zone"), "an unknown zone is refused: %s",
          err);
    booking_config c = {.db_path = path, .kiosk_id = "test-zone", .zone = "America/New_York"};
    CHECK(booking_open(&b, &c, err, sizeof err) == 0, "opened in New York time: %s", err);
    if (!b) return;
    /* an hour whose New York day is not Berlin's */
    char ny[11] = "", berlin[11] = "";
    int hour = hour_of_two_days(ny, berlin);
    booking_info a;
    CHECK(hour > 0 && book(b, req("zone", hour, 1, NULL, NULL), &a) == 0 && a.state == BOOKING_CONFIRMED,
          "booked at +%dh (New York %s, Berlin %s)", hour, ny, berlin);
    booking_info *v = NULL;
    int n = -1;
    CHECK(booking_list_day(b, ny, &v, &n, err, sizeof err) == 0 && n == 1 && !strcmp(v[0].code, a.code), "listed on New York's %s (%d)",
          ny, n);
    free(v);
    CHECK(booking_list_day(b, berlin, &v, &n, err, sizeof err) == 0 && n == 0, "not on Berlin's %s (%d)", berlin, n);
    free(v);
    char day[11];
    int minute = 0;
    slots_local_time(base + hour * 3600, "America/New_York", day, &minute);
    char want[40];
    snprintf(want, sizeof want, ",%s %02d:%02d,", day, minute / 60, minute % 60);
    FILE *f = tmpfile();
    CHECK(f && booking_export_csv(b, ny, f, err, sizeof err) == 0, "csv of %s", ny);
    char *csv = f ? slurp(f) : NULL;
    if (f) fclose(f);
    CHECK(csv && strstr(csv, want), "local start on a New York clock (%s): %s", want, csv ? csv : "");
    free(csv);
    booking_close(b);
}

TEST(local_purge_after_slot)
{
    booking *b = open_local();
    if (!b) return;
    booking_request r = req("purge", 0, 1, "Zelda Purgetest", "+49 999 31337");
    r.start = time(NULL) - 60;
    r.end = time(NULL) + 2;
    booking_info a;
    CHECK(book(b, r, &a) == 0 && a.state == BOOKING_CONFIRMED, "booked a slot ending in 2 s");
    CHECK(file_has(db_local, "Zelda Purgetest") && personal_rows(db_local, a.code) == 1,
          "the kiosk is the authority: the name is stored while the slot is ahead");
    booking_flush_outbox(b, NULL, NULL, 0);
    CHECK(personal_rows(db_local, a.code) == 1, "still stored before the end");
    sleep(3);
    int left = -1;
    char err[256] = "";
    CHECK(booking_flush_outbox(b, &left, err, sizeof err) == BOOKING_OK && left == 0, "flush (local backend: nothing queued)");
    CHECK(personal_rows(db_local, a.code) == 0, "name and phone gone from the table once the slot is over");
    CHECK(!file_has(db_local, "Zelda Purgetest") && !file_has(db_local, "+49 999 31337"),
          "and from the file's bytes (database and WAL)");
    booking_info x;
    CHECK(booking_lookup(b, a.code, &x, NULL, 0) == 0 && x.state == BOOKING_CONFIRMED, "the booking itself stays");
    booking_close(b);
}

/* ---- processes ---- */

/* Run BUILD/kiosk-book with args, output to out_path; returns the pid. */
static pid_t spawn_book(char *const *args, const char *out_path)
{
    pid_t pid = fork();
    if (pid != 0) return pid;
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    char exe[600];
    snprintf(exe, sizeof exe, "%s/kiosk-book", build);
    execv(exe, args);
    _exit(127);
}

static int read_small(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = 0;
    if (f) fclose(f);
    return (int)n;
}

typedef struct race_result {
    int confirmed, taken, other, losers_told;
} race_result;

/* Ten kiosk-book processes for two slots of capacity 3 (five each). dav: own file each. */
static race_result race(const char *offer, int hour, int dav_backend)
{
    race_result rr = {0};
    pid_t pids[10];
    char outs[10][700], dbs[10][700], start[2][24], end[2][24];
    for (int s = 0; s < 2; s++) {
        snprintf(start[s], sizeof start[s], "%lld", (long long)(base + (hour + s) * 3600));
        snprintf(end[s], sizeof end[s], "%lld", (long long)(base + (hour + s) * 3600 + 1800));
    }
    for (int i = 0; i < 10; i++) {
        snprintf(outs[i], sizeof outs[i], "%s/race-%s-%d.out", dir, offer, i);
        snprintf(dbs[i], sizeof dbs[i], "%s/race-%s-%d.db", dir, offer, dav_backend ? i : 0);
        char kiosk[24];
        snprintf(kiosk, sizeof kiosk, "race-%d", i);
        char *dav_args[] = {"kiosk-book", "--db", dbs[i], "--caldav", url, "--user", "kiosk", "--password-file", pwfile,
                            "--kiosk", kiosk, "book", (char *)offer, start[i % 2], end[i % 2], "3", "Race Person",
                            "0170 000", NULL};
        char *local_args[] = {"kiosk-book", "--db", dbs[i], "book", (char *)offer, start[i % 2], end[i % 2], "3", NULL};
        pids[i] = spawn_book(dav_backend ? dav_args : local_args, outs[i]);
    }
    for (int i = 0; i < 10; i++) {
        int st = 0;
        waitpid(pids[i], &st, 0);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        char out[1024];
        read_small(outs[i], out, sizeof out);
        if (code == 0 && !strncmp(out, "CONFIRMED ", 10)) {
            rr.confirmed++;
        } else if (code == 3) {
            rr.taken++;
            rr.losers_told += strstr(out, "taken") != NULL;
        } else {
            rr.other++;
            printf("kiosk-book %d: exit %d: %s\n", i, code, out);
        }
    }
    return rr;
}

static int local_seats_distinct(const char *path, const char *offer)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(DISTINCT slot_start || '-' || seat) FROM booking WHERE offer_id=?1 AND "
                               "seat IS NOT NULL AND seat < 3", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, offer, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

TEST(local_race)
{
    race_result r = race("race-local", 40, 0);
    CHECK(r.confirmed == 6 && r.taken == 4 && r.other == 0, "one file, ten processes: %d confirmed, %d taken, %d other",
          r.confirmed, r.taken, r.other);
    CHECK(r.losers_told == r.taken, "every loser was told the slot is taken (%d of %d)", r.losers_told, r.taken);
    char p[800];
    snprintf(p, sizeof p, "%s/race-race-local-0.db", dir);
    CHECK(local_seats_distinct(p, "race-local") == 6, "six different seats in the file");
}

/* A child books against a server that is not there, reports, and is killed right after. */
static char queued_code[8];

TEST(outbox_survives_kill)
{
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        booking *b = open_dav("http://127.0.0.1:1/kiosk/", "kiosk-test", 2);
        booking_info in = {0};
        in.state = -1;
        char err[512];
        booking_request r = req("outbox", 5, 2, "Olga Outbox", "+49 555 0101");
        if (b && booking_make(b, &r, &in, err, sizeof err) != 0) in.state = -2;
        if (write(fds[1], &in, sizeof in) != (ssize_t)sizeof in) _exit(1);
        pause(); /* killed here, the handle still open */
        _exit(0);
    }
    close(fds[1]);
    booking_info in = {0};
    int got = read(fds[0], &in, sizeof in) == (ssize_t)sizeof in;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    CHECK(got && in.state == BOOKING_QUEUED && code_ok(in.code), "unreachable server: QUEUED %s (state %d)", in.code,
          in.state);
    snprintf(queued_code, sizeof queued_code, "%s", in.code);
    booking *b = open_dav("http://127.0.0.1:1/kiosk/", "kiosk-test", 2);
    booking_info x;
    char err[256] = "";
    CHECK(b && booking_lookup(b, in.code, &x, NULL, 0) == 0 && x.state == BOOKING_QUEUED,
          "after SIGKILL a new handle finds the queued request");
    CHECK(file_has(db_dav, "Olga Outbox") && personal_rows(db_dav, in.code) == 1,
          "the outbox keeps name and phone until delivery");
    CHECK(b && booking_flush_outbox(b, NULL, err, sizeof err) == BOOKING_ERR_UNREACHABLE && strstr(err, "reached"),
          "flush while unreachable: %s", err);
    CHECK(b && booking_lookup(b, in.code, &x, NULL, 0) == 0 && x.state == BOOKING_QUEUED, "still queued, never confirmed");
    booking_close(b);
}

/* ---- CalDAV ---- */

TEST(caldav_server)
{
    CHECK(radicale_start() == 0, "Radicale on 127.0.0.1:%d (pid %d)", port, (int)radicale);
    caldav_config c = dav("kiosk-test");
    char err[512] = "";
    int ok = 1;
    const char *offers[] = {"sprachcafe", "beratung", "outbox", "race-dav", "hang", "zimmer 1 ä", "zwei-orte"};
    for (size_t i = 0; i < sizeof offers / sizeof offers[0]; i++)
        ok &= caldav_ensure_calendar(&c, offers[i], "Heidemoor", err, sizeof err) == CALDAV_OK;
    CHECK(ok, "calendars created: %s", err);
    CHECK(caldav_ensure_calendar(&c, "sprachcafe", "again", err, sizeof err) == CALDAV_OK, "existing calendar: OK");
    const char *ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:probe@test\r\n"
                      "DTSTAMP:20250101T000000Z\r\nDTSTART:20250101T090000Z\r\nDTEND:20250101T100000Z\r\n"
                      "SUMMARY:a & b <c>\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    CHECK(caldav_put_new(&c, "zimmer 1 ä", "probe.ics", ics, err, sizeof err) == CALDAV_OK, "PUT new: %s", err);
    CHECK(caldav_put_new(&c, "zimmer 1 ä", "probe.ics", ics, err, sizeof err) == CALDAV_TAKEN,
          "the same PUT with If-None-Match: * is answered 412: %s", err);
    server_view v;
    memset(&v, 0, sizeof v);
    CHECK(caldav_list(&c, "zimmer 1 ä", 1735700000, 1735800000, view_add, &v, err, sizeof err) == CALDAV_OK &&
              v.events == 1 && !strcmp(v.resources[0], "probe.ics") && strstr(v.text, "SUMMARY:a & b <c>") &&
              strstr(v.text, "SUMMARY:a & b <c>")[17] != 0 && strchr("\r\n", strstr(v.text, "SUMMARY:a & b <c>")[17]),
          "REPORT: one event, its resource name, entities decoded: %s", err);
    CHECK(caldav_delete(&c, "zimmer 1 ä", "probe.ics", err, sizeof err) == CALDAV_OK &&
              caldav_delete(&c, "zimmer 1 ä", "probe.ics", err, sizeof err) == CALDAV_NOTFOUND,
          "DELETE, then 404");
    caldav_config bad = dav("wrong");
    CHECK(caldav_put_new(&bad, "sprachcafe", "x.ics", ics, err, sizeof err) == CALDAV_REFUSED && strstr(err, "401"),
          "a wrong password is REFUSED: %s", err);
}

TEST(caldav_book_and_taken)
{
    booking *b = open_dav(url, "kiosk-test", 3);
    if (!b) return;
    booking_info a, c1, c2, x;
    CHECK(book(b, req("sprachcafe", 1, 2, "Amal Haddad", "+49 170 1111"), &a) == 0 && a.state == BOOKING_CONFIRMED &&
              a.seat == 0 && code_ok(a.code),
          "CONFIRMED %s seat %d", a.code, a.seat);
    server_view v;
    server_list("sprachcafe", 1, 2, &v);
    char res[64];
    char uid[32];
    snprintf(uid, sizeof uid, "UID:%s@kiosk", a.code);
    time_t st = (time_t)(base + 3600);
    struct tm tm;
    gmtime_r(&st, &tm);
    strftime(res, sizeof res, "%Y%m%dT%H%M%SZ-0.ics", &tm);
    CHECK(v.events == 1 && !strcmp(v.resources[0], res), "the server holds %s (%d events)", res, v.events);
    CHECK(strstr(v.text, uid) && strstr(v.text, "Amal Haddad") && strstr(v.text, "rathaus-1") &&
              strstr(v.text, "X-KIOSK-CODE:"),
          "staff see code, name and kiosk in their calendar");
    CHECK(personal_rows(db_dav, a.code) == 0 && !file_has(db_dav, "Amal Haddad"),
          "the kiosk keeps no name once the server holds the booking");
    CHECK(booking_lookup(b, a.code, &x, NULL, 0) == 0 && x.state == BOOKING_CONFIRMED && x.seat == 0, "lookup: CONFIRMED");
    /* capacity 1: the second booking meets the 412 */
    CHECK(book(b, req("beratung", 2, 1, NULL, NULL), &c1) == 0 && c1.state == BOOKING_CONFIRMED, "capacity 1: first");
    CHECK(book(b, req("beratung", 2, 1, NULL, NULL), &c2) == 0 && c2.state == BOOKING_TAKEN, "second: TAKEN (%d)",
          c2.state);
    book(b, req("sprachcafe", 1, 2, NULL, NULL), &x);
    booking_slot s[3] = {{.start = base + 3600, .end = base + 3600 + 1800, .capacity = 2},
                         {.start = base + 2 * 3600, .end = base + 2 * 3600 + 1800, .capacity = 2},
                         {.start = base + 3 * 3600, .end = base + 3 * 3600 + 1800, .capacity = 2}};
    char err[512] = "";
    CHECK(booking_fill_taken(b, "sprachcafe", s, 3, NULL, err, sizeof err) == BOOKING_OK && s[0].taken == 2 && s[1].taken == 0 &&
              s[2].taken == 0,
          "counts from the server: %d %d %d %s", s[0].taken, s[1].taken, s[2].taken, err);
    /* another kiosk's booking counts too: a second file on the same server */
    booking_config oc = {.db_path = db_local, .caldav_url = url, .caldav_user = "kiosk",
                         .caldav_password = "kiosk-test", .kiosk_id = "bahnhof-2"};
    booking *other = NULL;
    if (booking_open(&other, &oc, err, sizeof err) == 0) book(other, req("sprachcafe", 3, 2, NULL, NULL), &x);
    booking_close(other);
    CHECK(booking_fill_taken(b, "sprachcafe", s, 3, NULL, err, sizeof err) == BOOKING_OK && s[2].taken == 1,
          "another kiosk's booking is counted: %d", s[2].taken);
    CHECK(booking_fill_taken(b, "nowhere", s, 3, NULL, err, sizeof err) == BOOKING_ERR_NO_CALENDAR && strstr(err, "calendar"),
          "a missing calendar: -1: %s", err);
    /* cancel frees the seat at the server */
    CHECK(booking_cancel(b, a.code, err, sizeof err) == 0, "cancel %s: %s", a.code, err);
    server_list("sprachcafe", 1, 2, &v);
    CHECK(v.events == 1, "the server holds one event less (%d)", v.events);
    CHECK(booking_lookup(b, a.code, &x, NULL, 0) == 0 && x.state == BOOKING_CANCELLED, "lookup: CANCELLED");
    CHECK(book(b, req("sprachcafe", 1, 2, NULL, NULL), &x) == 0 && x.state == BOOKING_CONFIRMED && x.seat == 0,
          "the freed seat 0 is booked again (seat %d)", x.seat);
    booking_close(b);
}

TEST(caldav_seats_per_place)
{
    booking *b = open_dav(url, "kiosk-test", 3);
    if (!b) return;
    seats_per_place(b, "zwei-orte", 9, "caldav");
    /* the two places' bookings are resources of their own on the server */
    server_view v;
    server_list("zwei-orte", 9, 10, &v);
    CHECK(v.events == 2 && distinct_resources(&v), "the server holds one event per place (%d)", v.events);
    /* an event staff put in by hand at that hour names no place: it takes a seat everywhere */
    const char *ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:staff@test\r\n"
                      "DTSTAMP:20250101T000000Z\r\nDTSTART:%sZ\r\nDTEND:%sZ\r\nSUMMARY:Termin\r\nEND:VEVENT\r\n"
                      "END:VCALENDAR\r\n";
    char text[600], t0[20], t1[20], err[512] = "";
    time_t st = (time_t)(base + 11 * 3600), en = st + 1800;
    struct tm tm;
    strftime(t0, sizeof t0, "%Y%m%dT%H%M%S", gmtime_r(&st, &tm));
    strftime(t1, sizeof t1, "%Y%m%dT%H%M%S", gmtime_r(&en, &tm));
    snprintf(text, sizeof text, ics, t0, t1);
    caldav_config c = dav("kiosk-test");
    CHECK(caldav_put_new(&c, "zwei-orte", "staff-entry.ics", text, err, sizeof err) == CALDAV_OK, "staff entry: %s", err);
    booking_slot s[2] = {{.start = base + 11 * 3600, .end = base + 11 * 3600 + 1800, .capacity = 2, .place = 0},
                         {.start = base + 11 * 3600, .end = base + 11 * 3600 + 1800, .capacity = 2, .place = 1}};
    snprintf(s[0].place_id, sizeof s[0].place_id, "lk/lindenfeld");
    snprintf(s[1].place_id, sizeof s[1].place_id, "lk/wiesental");
    CHECK(booking_fill_taken(b, "zwei-orte", s, 2, NULL, err, sizeof err) == BOOKING_OK && s[0].taken == 1 && s[1].taken == 1,
          "a staff entry counts at both places (%d, %d)", s[0].taken, s[1].taken);
    booking_close(b);
}

TEST(caldav_wrong_password)
{
    booking *b = open_dav(url, "not-the-password", 3);
    if (!b) return;
    booking_info x;
    char err[512] = "";
    booking_request r = req("sprachcafe", 6, 2, "Pat Secret", "0170 424242");
    CHECK(booking_make(b, &r, &x, err, sizeof err) == BOOKING_ERR_REFUSED, "a wrong password: %s", err);
    CHECK(strstr(err, "password") && strstr(err, "401"), "with a clear message: %s", err);
    CHECK(!strstr(err, "Pat Secret") && !strstr(err, "424242"), "the message holds no personal data");
    CHECK(!file_has(db_dav, "Pat Secret"), "nothing queued for a refusal");
    /* the same through the staff tool */
    char out[700], text[1024], start[24], end[24];
    snprintf(out, sizeof out, "%s/badpw.out", dir);
    snprintf(start, sizeof start, "%lld", (long long)(base + 6 * 3600));
    snprintf(end, sizeof end, "%lld", (long long)(base + 6 * 3600 + 1800));
    char *args[] = {"kiosk-book", "--db", db_dav, "--caldav", url, "--user", "kiosk", "--password-file", badpwfile,
                    "book", "sprachcafe", start, end, "2", NULL};
    int st = 0;
    waitpid(spawn_book(args, out), &st, 0);
    read_small(out, text, sizeof text);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1 && strstr(text, "password"), "kiosk-book: exit 1: %s", text);
    booking_close(b);
}

TEST(caldav_flush_outbox)
{
    booking *b = open_dav(url, "kiosk-test", 3);
    if (!b) return;
    booking_info x;
    int left = -1;
    char err[256] = "";
    CHECK(booking_flush_outbox(b, &left, err, sizeof err) == BOOKING_OK && left == 0,
          "flush once the server is back: nothing left queued (%d)", left);
    CHECK(booking_lookup(b, queued_code, &x, NULL, 0) == 0 && x.state == BOOKING_CONFIRMED && x.seat == 0,
          "the request of the killed process is CONFIRMED (state %d)", x.state);
    server_view v;
    server_list("outbox", 5, 6, &v);
    CHECK(v.events == 1 && strstr(v.text, "Olga Outbox"), "the server holds it with the name for staff");
    CHECK(personal_rows(db_dav, queued_code) == 0, "name and phone gone from the table");
    CHECK(!file_has(db_dav, "Olga Outbox") && !file_has(db_dav, "+49 555 0101"), "and from the file's bytes");

    /* a queued request whose slot filled up meanwhile learns it lost */
    booking *off = open_dav("http://127.0.0.1:1/kiosk/", "kiosk-test", 2);
    booking_info q, w;
    book(off, req("beratung", 7, 1, "Lena Late", "0160 7"), &q);
    booking_close(off);
    book(b, req("beratung", 7, 1, NULL, NULL), &w);
    CHECK(q.state == BOOKING_QUEUED && w.state == BOOKING_CONFIRMED, "queued offline, then the seat went online");
    CHECK(booking_flush_outbox(b, NULL, err, sizeof err) == BOOKING_OK, "flushed: %s", err);
    CHECK(booking_lookup(b, q.code, &x, NULL, 0) == 0 && x.state == BOOKING_TAKEN, "the queued one is TAKEN (state %d)",
          x.state);
    CHECK(personal_rows(db_dav, q.code) == 0, "and its personal data purged");
    server_list("beratung", 7, 8, &v);
    CHECK(v.events == 1, "one event in the slot (%d)", v.events);
    booking_close(b);
}

TEST(caldav_server_dies)
{
    booking *b = open_dav(url, "kiosk-test", 2);
    if (!b) return;
    booking_info done, h, k, x;
    CHECK(book(b, req("hang", 1, 1, NULL, NULL), &done) == 0 && done.state == BOOKING_CONFIRMED, "booked before");
    /* the server hangs mid-request: timeout, queued, never confirmed */
    radicale_signal(SIGSTOP);
    time_t t0 = time(NULL);
    CHECK(book(b, req("hang", 2, 1, "Hana Hang", "1"), &h) == 0 && h.state == BOOKING_QUEUED,
          "hanging server: QUEUED (state %d)", h.state);
    CHECK(time(NULL) - t0 < 10, "within the timeout");
    radicale_signal(SIGCONT); /* it may still store the PUT it had read: the flush must notice */
    usleep(300000);
    radicale_kill();
    CHECK(book(b, req("hang", 3, 1, "Kim Killed", "2"), &k) == 0 && k.state == BOOKING_QUEUED, "server gone: QUEUED");
    booking_slot s[3] = {{.start = base + 3600, .end = base + 3600 + 1800, .capacity = 1},
                         {.start = base + 2 * 3600, .end = base + 2 * 3600 + 1800, .capacity = 1},
                         {.start = base + 3 * 3600, .end = base + 3 * 3600 + 1800, .capacity = 1}};
    int offline = 0;
    char err[512] = "";
    CHECK(booking_fill_taken(b, "hang", s, 3, &offline, err, sizeof err) == BOOKING_OK && offline && s[0].taken == 1 && s[1].taken == 1 &&
              s[2].taken == 1,
          "counts offline: 1, with what this kiosk knows (%d %d %d)", s[0].taken, s[1].taken, s[2].taken);
    CHECK(booking_cancel(b, done.code, err, sizeof err) == BOOKING_ERR_UNREACHABLE && strstr(err, "reached"),
          "cancel offline: %s", err);
    CHECK(booking_lookup(b, done.code, &x, NULL, 0) == 0 && x.state == BOOKING_CONFIRMED, "still booked after the failed cancel");
    CHECK(booking_lookup(b, h.code, &x, NULL, 0) == 0 && x.state == BOOKING_QUEUED && booking_lookup(b, k.code, &x, NULL, 0) == 0 &&
              x.state == BOOKING_QUEUED,
          "both still QUEUED, not confirmed");
    CHECK(booking_flush_outbox(b, NULL, NULL, 0) == BOOKING_ERR_UNREACHABLE, "flush while gone: unreachable");
    CHECK(radicale_start() == 0, "server back (pid %d)", (int)radicale);
    CHECK(booking_flush_outbox(b, NULL, err, sizeof err) == BOOKING_OK, "flushed: %s", err);
    CHECK(booking_lookup(b, h.code, &x, NULL, 0) == 0 && x.state == BOOKING_CONFIRMED && booking_lookup(b, k.code, &x, NULL, 0) == 0 &&
              x.state == BOOKING_CONFIRMED,
          "both CONFIRMED once delivered");
    server_view v;
    server_list("hang", 1, 4, &v);
    CHECK(v.events == 3 && distinct_resources(&v), "three events, one per slot, none twice (%d)", v.events);
    CHECK(booking_cancel(b, done.code, err, sizeof err) == 0, "cancel once back: %s", err);
    booking_close(b);
}

TEST(caldav_race)
{
    race_result r = race("race-dav", 50, 1);
    CHECK(r.confirmed == 6 && r.taken == 4 && r.other == 0, "ten kiosks: %d confirmed, %d taken, %d other", r.confirmed,
          r.taken, r.other);
    CHECK(r.losers_told == r.taken, "every loser exited 3 with \"taken\" (%d of %d)", r.losers_told, r.taken);
    server_view v;
    CHECK(server_list("race-dav", 50, 52, &v) == CALDAV_OK && v.events == 6 && distinct_resources(&v),
          "the server holds exactly 6 events (%d), no seat twice", v.events);
    int high = 0;
    for (int i = 0; i < v.events && i < 64; i++) high += strstr(v.resources[i], "-3.ics") != NULL;
    CHECK(high == 0, "no seat beyond the capacity");
}

/* ---- a CalDAV server that answers badly (tests/servers/caldav_bad.py) ---- */

/* One misbehaviour, in a child process (a crash or a hang is counted, not suffered): free times,
 * then a booking with a name and phone. Prints what came back; exits 0 when both calls came back
 * in time with an answer the kiosk can show (a result, or an error with its sentence). */
static int hostile_case(const char *u, const char *kind)
{
    booking *b = open_dav(u, "kiosk-test", 3);
    if (!b) return 2;
    booking_slot s[2] = {{.start = base + 5 * 3600, .end = base + 5 * 3600 + 1800, .capacity = 2},
                         {.start = base + 6 * 3600, .end = base + 6 * 3600 + 1800, .capacity = 2}};
    char err[512] = "";
    int offline = 0;
    time_t t0 = time(NULL);
    int frc = booking_fill_taken(b, kind, s, 2, &offline, err, sizeof err);
    int ftook = (int)(time(NULL) - t0);
    int fok = (frc == BOOKING_OK && s[0].taken >= 0 && s[1].taken >= 0) || (frc != BOOKING_OK && err[0]);
    printf("dav case %s: free times rc %d offline %d taken %d/%d in %d s: %s\n", kind, frc, offline, s[0].taken,
           s[1].taken, ftook, err);
    booking_request r = req(kind, 5, 2, "Zora Quill", "+49 111 7777");
    booking_info in;
    err[0] = 0;
    t0 = time(NULL);
    int mrc = booking_make(b, &r, &in, err, sizeof err);
    int mtook = (int)(time(NULL) - t0);
    int mok = (mrc == BOOKING_OK && (in.state == BOOKING_CONFIRMED || in.state == BOOKING_QUEUED ||
                                     in.state == BOOKING_TAKEN)) ||
              (mrc != BOOKING_OK && err[0]);
    printf("dav case %s: booking rc %d state %d in %d s: %s\n", kind, mrc, mrc == BOOKING_OK ? (int)in.state : -1, mtook,
           err);
    booking_close(b);
    /* the timeout is 3 s a request: the booking tries each of the 2 seats */
    return fok && mok && ftook <= 12 && mtook <= 20 ? (frc == BOOKING_OK && mrc == BOOKING_OK && !offline ? 0 : 1) : 3;
}

struct seen_event {
    int n, has_x;
    int64_t start;
};

static void seen_one(void *ud, icalcomponent *ev)
{
    struct seen_event *e = ud;
    e->n++;
    e->start = bk_event_start(ev);
    if (icalcomponent_get_first_property(ev, ICAL_X_PROPERTY)) e->has_x = 1;
}

/* A booked seat whose event carries an inline attachment of 4 MiB (one content line, folded as
 * RFC 5545 wants): the seat is still counted, but the long line never reaches libical, whose
 * time grows with the square of a line's length. */
TEST(ics_overlong_lines_left_out)
{
    const char *head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:big-1\r\n"
                       "DTSTAMP:20261201T080000Z\r\nDTSTART:20261203T090000Z\r\nDTEND:20261203T093000Z\r\n"
                       "X-ATTACH:",
               *tail = "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    size_t big = (size_t)4 << 20, o = strlen(head);
    char *ics = malloc(o + big + big / 74 * 3 + strlen(tail) + 1);
    CHECK(ics != NULL, "memory");
    if (!ics) return;
    memcpy(ics, head, o);
    for (size_t i = 0; i < big; i++) {
        if (i && i % 74 == 0) ics[o++] = '\r', ics[o++] = '\n', ics[o++] = ' ';
        ics[o++] = 'A';
    }
    strcpy(ics + o, tail);
    struct seen_event e = {0};
    bk_each_event(ics, seen_one, &e);
    CHECK(e.n == 1 && e.start == wallclock_days(2026, 12, 3) * 86400 + 9 * 3600,
          "the event is read with its start (%d events)", e.n);
    CHECK(!e.has_x, "its 4 MiB line was left out before libical read it");
    /* a text without long lines is read as it is */
    strcpy(ics + strlen(head), "short");
    strcat(ics, tail);
    e = (struct seen_event){0};
    bk_each_event(ics, seen_one, &e);
    CHECK(e.n == 1 && e.has_x, "short lines are all read");
    free(ics);
}

TEST(caldav_hostile_answers)
{
    int bport = 19500 + (int)(getpid() % 200); /* clear of the other tests' servers */
    char pidf[700], log[700], u[200];
    snprintf(pidf, sizeof pidf, "%s/caldav-bad.pid", dir);
    snprintf(log, sizeof log, "%s/caldav-bad.log", dir);
    snprintf(u, sizeof u, "http://127.0.0.1:%d/kiosk/", bport);
    unlink(pidf);
    check_sh("python3 tests/servers/caldav_bad.py %d > %s 2>/dev/null &", bport, pidf);
    int pid = check_pid_from(pidf);
    CHECK(pid > 0, "the bad CalDAV server started on %d", bport);
    if (pid <= 0) return;
    usleep(300000);
    const char *kinds[] = {"garbage", "laughs", "huge", "deep", "slow", "many", "badics", "badutf8", "notdav", "moved", "down", "late"};
    int tried = 0, refused = 0, accepted = 0, crashed = 0;
    fflush(stdout);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        tried++;
        pid_t child = fork();
        if (child == 0) {
            /* everything the library logs goes where the journal would have it */
            if (!freopen(log, "a", stderr)) _exit(2);
            int rc = hostile_case(u, kinds[i]);
            fflush(stdout);
            exit(rc);
        }
        int status = -1, done = 0;
        for (int t = 0; t < 900 && !done; t++) {
            usleep(50000);
            done = waitpid(child, &status, WNOHANG) == child;
        }
        if (!done) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
        }
        int code = done && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 0) accepted++;
        else if (code == 1) refused++;
        else crashed++;
        CHECK(code == 0 || code == 1, "%s: an answer in time, no crash (%s %d)", kinds[i],
              !done ? "hung" : WIFSIGNALED(status) ? "signal" : "exit", done && WIFSIGNALED(status) ? WTERMSIG(status) : code);
    }
    printf("hostile CalDAV: %d tried, %d refused with a message, %d accepted, %d crashed or hung\n", tried, refused,
           accepted, crashed);
    CHECK(!file_has(log, "Quill") && !file_has(log, "7777"), "no name or phone in the log (%s)", log);
    kill(pid, SIGTERM);
}

int main(int argc, char **argv)
{
    build = argc > 1 ? argv[1] : "build";
    /* whole lines: the library's log lines on stderr must not split a PASS/FAIL line */
    setvbuf(stdout, NULL, _IOLBF, 0);
    char cwd[512];
    if (!getcwd(cwd, sizeof cwd)) return 1;
    /* the work folder sits in the build folder (relative to the repository, or absolute) */
    if (build[0] == '/')
        snprintf(dir, sizeof dir, "%.400s/bookingtest", build);
    else
        snprintf(dir, sizeof dir, "%.300s/%.180s/bookingtest", cwd, build);
    port = 18900 + (int)(getpid() % 100);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/kiosk/", port);
    snprintf(db_local, sizeof db_local, "%s/local.db", dir);
    snprintf(db_dav, sizeof db_dav, "%s/dav.db", dir);
    snprintf(pwfile, sizeof pwfile, "%s/password", dir);
    snprintf(badpwfile, sizeof badpwfile, "%s/badpassword", dir);
    /* password files only their owner may read: kiosk-book refuses any other */
    if (check_sh("rm -rf %s && mkdir -p %s && printf 'kiosk-test\\n' > %s && printf 'nope\\n' > %s && chmod 600 %s %s",
                 dir, dir, pwfile, badpwfile, pwfile, badpwfile) != 0)
        return 1;
    base = ((int64_t)time(NULL) / 3600 + 24) * 3600;
    atexit(radicale_kill);
    RUN(error_sentences);
    RUN(local_seats_and_codes);
    RUN(local_lookup_cancel);
    RUN(local_seats_per_place);
    RUN(local_hostile_names);
    RUN(local_list_and_exports);
    RUN(csv_export_formulas);
    RUN(times_after_2038);
    RUN(worker_copies_whole_texts);
    RUN(worker_takes_a_new_zone);
    RUN(zone_of_local_days);
    RUN(local_purge_after_slot);
    RUN(local_race);
    RUN(outbox_survives_kill);
    RUN(caldav_server);
    RUN(caldav_book_and_taken);
    RUN(caldav_seats_per_place);
    RUN(caldav_wrong_password);
    RUN(caldav_flush_outbox);
    RUN(caldav_server_dies);
    RUN(caldav_race);
    RUN(ics_overlong_lines_left_out);
    RUN(caldav_hostile_answers);
    radicale_kill();
    icaltimezone_free_builtin_timezones();
    CHECK_DONE();
}
