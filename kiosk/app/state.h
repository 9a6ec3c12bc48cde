/*
 * state: what the kiosk shows, as plain data. The app room owns and changes it (app.c); the UI
 * room only reads it to draw, and answers with actions. Nothing else changes state.
 */
#ifndef KIOSK_STATE_H
#define KIOSK_STATE_H

#include "i18n/i18n.h"
#include "store/store.h"

#include <stdint.h>

enum screen {
    SCREEN_ATTRACT = 0, SCREEN_CATEGORIES, SCREEN_LIST, SCREEN_DETAIL, SCREEN_PIN, SCREEN_STAFF,
    SCREEN_SEARCH,   /* on-screen keyboard and results as you type */
    SCREEN_QUESTION, /* the guided questions, one at a time */
    SCREEN_MATCHES,  /* offers matching the answers, with why */
    SCREEN_BOOK_DAY, SCREEN_BOOK_TIME, SCREEN_BOOK_DETAILS, SCREEN_BOOK_CONSENT, SCREEN_BOOK_DONE,
    SCREEN_CODE,     /* look up or cancel a booking by its code */
    SCREEN_COUNT
};

/* What every screen is, beside how it is drawn (ui) and read aloud (app/speak.c). */
enum screen_flags {
    SCREENF_SEARCH = 1,   /* the header offers search */
    SCREENF_ACCESS = 2,   /* the header offers read aloud, text size, contrast */
    SCREENF_STAFF = 4,    /* behind the PIN: Back and Home leave staff mode */
};

typedef struct screen_info {
    const char *name;     /* for scripts and logs */
    enum screen parent;   /* where Back goes when the screen has no reason to go elsewhere */
    unsigned flags;       /* enum screen_flags */
} screen_info;

/* The screen's entry in the one table of screens (app/screen.c). */
const screen_info *screen_info_of(enum screen s);

/* The screen named name, or SCREEN_COUNT. */
enum screen screen_by_name(const char *name);

enum action_kind {
    ACT_NONE = 0,
    ACT_CHOOSE_LANG,  /* arg: language code */
    ACT_START,        /* touch outside the language buttons: default language */
    ACT_CATEGORY,     /* arg: category id */
    ACT_OFFER,        /* arg: offer id */
    ACT_BACK,
    ACT_HOME,
    ACT_LANGUAGES,    /* back to the language choice */
    ACT_SCROLL,       /* value: px to scroll by (positive = content moves up) */
    ACT_FLING,        /* value: px per second at release */
    ACT_STOP,         /* pointer went down: stop inertia */
    ACT_TOUCH,        /* any touch: resets the idle timer */
    ACT_LAYOUT,       /* value: how far the current screen can scroll, px */
    ACT_STAFF_ENTER,  /* the hidden gesture: a long press in the top corner with the globe */
    ACT_PIN_DIGIT,    /* arg: "0".."9" */
    ACT_PIN_DELETE,
    ACT_PIN_OK,
    ACT_STAFF_CHECK,  /* value: index of a pack found on removable media */
    ACT_STAFF_APPLY,  /* value: index of a checked pack */
    ACT_STAFF_LEAVE,
    ACT_STAFF_QUIT,   /* the only way out of the kiosk besides the service manager */
    ACT_STAFF_EXPORT, /* write the bookings to the USB stick as .ics and .csv */
    ACT_TOGGLE_LARGE, /* large text on/off */
    ACT_TOGGLE_CONTRAST,
    ACT_SPEAK,        /* read the current screen aloud */
    ACT_SEARCH,       /* open the search screen */
    ACT_KEY,          /* arg: text a key types */
    ACT_KEY_DELETE,   /* delete the last character typed */
    ACT_KEY_CLEAR,
    ACT_KEY_PENDING,  /* arg: an Ethiopic consonant waiting for its vowel order ("" = none) */
    ACT_KB_LAYOUT,    /* arg: keyboard layout id */
    ACT_KB_CHOOSE,    /* open or close the choice of scripts (a short panel folds it into one key) */
    ACT_KB_HIDE,      /* value 1: put the search keyboard away to see the results; 0: bring it back */
    ACT_SEARCH_MORE,  /* value: view height; the results list is near its end: load the next page */
    ACT_GUIDE,        /* start the guided questions */
    ACT_ANSWER,       /* arg: answer id */
    ACT_BOOK,         /* start booking the offer shown */
    ACT_BOOK_DAY,     /* value: index into book_days */
    ACT_BOOK_TIME,    /* value: index into book_times */
    ACT_BOOK_FIELD,   /* value: 0 name, 1 phone */
    ACT_BOOK_NEXT,    /* details done: to the consent text */
    ACT_BOOK_ANON,    /* book without name and phone */
    ACT_BOOK_CONFIRM, /* consent given: send the booking */
    ACT_MY_BOOKING,   /* open the code screen */
    ACT_CODE_LOOKUP,
    ACT_CODE_CANCEL,  /* first tap asks, second (value 1) cancels */
};

typedef struct action {
    enum action_kind kind;
    char arg[128];
    float value;
} action;

/* A pack file found on removable media, as staff see it. */
enum pack_row_state { PACKROW_FOUND = 0, PACKROW_CHECKING, PACKROW_READY, PACKROW_REFUSED, PACKROW_INSTALLED };

typedef struct staff_pack {
    char name[256];              /* file name */
    char status[512];            /* what checking found, in the staff's language */
    enum pack_row_state state;
} staff_pack;

/* One day or one time to choose from, labelled in the reader's language by the app. */
typedef struct book_choice {
    char label[160];
    char detail[96];             /* "2 places free" */
    char place[160];             /* time: where, when the offer is held at several places ("" else) */
    int index;                   /* day: first slot of the day; time: slot index */
} book_choice;

/* One of today's bookings on the staff screen: no name or phone. */
#define STAFF_LIST_MAX 24
typedef struct staff_booking {
    char time[64];               /* "09:00–09:30" in the staff's language */
    char code[8];
    char offer[160];
    int state;                   /* enum booking_state */
} staff_booking;

enum book_state {
    BOOK_IDLE = 0, BOOK_LOADING, BOOK_READY, BOOK_READY_OFFLINE, BOOK_FAILED,
    BOOK_SENDING, BOOK_CONFIRMED, BOOK_QUEUED, BOOK_TAKEN, BOOK_ERROR
};

enum code_state { CODE_ENTRY = 0, CODE_LOOKING, CODE_FOUND, CODE_UNKNOWN, CODE_ASK_CANCEL, CODE_CANCELLED, CODE_FAILED };

enum search_state { SEARCH_EMPTY = 0, SEARCH_SHORT, SEARCH_RESULTS, SEARCH_NONE_FOUND, SEARCH_UNAVAILABLE };

typedef struct app_state {
    enum screen screen;
    char lang[12];
    int rtl;
    const char *chain[6];        /* content language fallback chain for lang */
    int nchain;
    const i18n_catalog *catalog; /* UI strings of lang (owned by the app) */

    char **languages;            /* languages offered on the attract screen */
    char **language_names;       /* each in its own script, parallel to languages */
    /* the language screen invites in one offered language at a time, in its own script:
     * app_tick turns to the next every few seconds (one frame a turn, nothing in between) */
    int attract_turn;            /* index into languages of the language inviting now */
    const char *attract_lang;    /* that language's code (languages[attract_turn]) */
    const i18n_catalog *attract_catalog; /* its UI strings */
    store_category *attract_cats; /* the pack's categories named in that language */
    int nattract_cats;
    int demo;

    store_category *cats;
    int ncats;
    char category[128];
    store_offer_row *rows;
    int nrows;
    char **row_meta;             /* per row: "Heidemoor · Deutsch, Arabisch" */
    int detail_from;             /* the screen the offer was opened from: back returns there */
    store_offer *offer;
    char *offer_hours;           /* opening hours that name no place of the offer, one line per schedule,
                                    in the reader's locale */
    char **place_hours;          /* per place of the offer (offer->places), the hours held there; NULL-terminated */
    char *offer_spoken;          /* languages spoken there, named in the reader's language */

    float scroll[SCREEN_COUNT];  /* px */
    float velocity;              /* px/s, inertia of the current screen */
    float content_h;             /* scrollable height the UI reported last frame */
    float view_h;

    /* search: the query is never stored or logged, and idle reset wipes it */
    char query[128];
    char kb_layout[8];           /* keyboard layout id, defaults to the UI language's script */
    char kb_pending[8];          /* Ethiopic consonant waiting for a vowel order */
    int kb_choosing;             /* the choice of scripts shows in place of the letters */
    int kb_hidden;               /* the search keyboard is put away: the results fill the screen */
    store_offer_row *found;
    int nfound;
    int found_total;             /* offers the query found; more than nfound while paged */
    int found_exact;             /* 0: found_total is only a lower bound (too many to count) */
    enum search_state search_state;

    /* guided questions; answers are forgotten at idle reset */
    store_question *questions;
    int nquestions;
    int question;                /* index of the question shown */
    char answers[8][64];         /* chosen answer id per question, "" = skipped */
    store_offer_row *matches;
    char **match_why;            /* per match: the reasons, one per line */
    int nmatches;
    int urgent;                  /* the not-safe answer: protection contacts first */

    /* booking; name and phone stay only while the visitor is here: wiped once sent and at reset */
    int can_book;                /* a booking backend runs */
    int book_queued;             /* requests waiting in the outbox (-1 unknown), for staff */
    enum book_state book_state;
    book_choice *book_days;
    int nbook_days;
    book_choice *book_times;     /* of the chosen day */
    int nbook_times;
    char book_day_label[160];
    char book_time_label[160];
    char book_name[96];
    char book_phone[40];
    int book_field;              /* 0 name, 1 phone */
    int book_anonymous;
    char book_code[8];
    char book_when[256];         /* date and time of the booking, in the reader's language */
    char book_where[600];        /* the chosen slot's place: name and address as text units */
    char *book_ics;              /* the calendar event the QR code holds */
    char book_error[256];
    char code_entry[8];          /* typed booking code (Latin letters and digits) */
    enum code_state code_state;
    char code_offer[256];        /* the looked-up booking: offer name, time, state */
    char code_when[256];
    int code_booking_state;

    /* staff mode; the PIN digits themselves never leave the app */
    int pin_len;
    int pin_checking;            /* the typed PIN is being checked on a worker; the pad waits */
    char staff_msg[512];
    char staff_info[2048];
    staff_pack *packs;
    int npacks;
    int staff_busy;
    int staff_scanning;          /* the removable media are being looked at (a worker's job) */
    staff_booking staff_list[STAFF_LIST_MAX]; /* today's bookings made here, by time */
    int nstaff_list;             /* how many; -1: they cannot be read */
    int staff_listing;           /* today's bookings are being read */
    int staff_exporting;         /* a writing of the bookings to the stick is under way */

    /* access: reset at the idle timeout like everything else */
    int large_text;
    int high_contrast;
    int can_speak;               /* espeak-ng has a voice for lang and audio works */
    int speaking;                /* synthesis under way */
    int quit;                    /* staff asked the kiosk to quit */

    uint32_t now_ms;
    uint32_t last_input_ms;
    uint32_t idle_timeout_ms;
    int countdown;               /* seconds shown in the idle warning, 0 = none */
} app_state;

#endif
