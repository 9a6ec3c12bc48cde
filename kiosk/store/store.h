/*
 * store: the content database (SQLite) and the questions the UI asks of it.
 *
 * The schema follows Open Referral HSDS 3 (organization, service = offer, location,
 * service_at_location, schedule, phone, language, taxonomy) plus translation tables HSDS lacks:
 * one row per entity, field group and language with a status (complete, machine, outdated).
 * Every table has an explicit primary key so SQLite session changesets can carry deltas.
 *
 * Content lives in its own database file, built by kiosk-pack and swapped whole; kiosk-local
 * data (bookings, sync state) never lives here, so a pack can never touch it.
 *
 * Text comes back already resolved along a language fallback chain, with the language it was
 * found in, so the UI can mark a fallback. The UI never sees SQL. This room includes no SDL.
 *
 * Files: store.c schema, open and close, meta, coverage, diff; resolve.c the fallback chain;
 * categories.c categories and their counts; rows.c list rows; derive.c the tables they read; offer.c one offer's detail;
 * intake.c guided questions; fold.c, search_index.c, search_words.c, search.c, search_rows.c the
 * search; local.c the kiosk's own database (local.h), which never touches the content.
 */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>

/* 2: lists read service_row and taxonomy_count, derived by kiosk-pack (store_derive); content of
 * version 1 still opens (store_open derives them in memory), but its deltas and packs do not fit */
#define STORE_SCHEMA_VERSION 2
/* the same, as meta holds it */
#define STORE_SCHEMA_TEXT STORE_TEXT_OF_(STORE_SCHEMA_VERSION)
#define STORE_TEXT_OF_(v) STORE_TEXT_(v)
#define STORE_TEXT_(v) #v

typedef struct store store;

enum store_status { STORE_COMPLETE = 0, STORE_MACHINE = 1, STORE_OUTDATED = 2 };

/* A translatable field, resolved: text (never NULL, "" when absent everywhere), the language it
 * came from, its status, and whether it is a fallback (not in the first language asked for). */
typedef struct store_text {
    char *text;
    char lang[12];
    int status;
    int fallback;
} store_text;

typedef struct store_category {
    char *id;
    store_text name;
    int count;                  /* offers in the category */
    unsigned char *icon;        /* SVG/PNG bytes from the pack, may be NULL */
    size_t icon_len;
} store_category;

typedef struct store_offer_row {
    char *id;
    store_text name, summary, provider;
    char *town;                 /* city of the first location */
    char *languages;            /* languages spoken, comma-separated codes */
    int bookable;               /* appointments can be booked at the kiosk */
} store_offer_row;

/* The district's IANA time zone when a pack names none: meta "timezone" and the schedules' default. */
#define STORE_DEFAULT_ZONE "Europe/Berlin"

typedef struct store_schedule {
    char freq[12];              /* WEEKLY or MONTHLY */
    int interval;
    char byday[48];             /* "MO,TU" or "1WE" */
    char bymonthday[48];        /* "1,15" (MONTHLY only), "" when unused */
    int opens, closes;          /* minutes after local midnight */
    char valid_from[12], valid_to[12];  /* "YYYY-MM-DD" or "" */
    char timezone[40];          /* IANA zone of opens/closes, "Europe/Berlin" */
    int slot_minutes, capacity; /* both > 0: the opening hours can be booked in slots */
    int place;                  /* index into the offer's places; -1: the schedule names no place of the offer */
    char place_id[136];         /* that place's id when the offer has several (their seats are
                                   counted apart), else "" */
} store_schedule;

/* One place where an offer is held (HSDS service_at_location): its address, and the phone
 * numbers of that place itself (none when the place has none of its own: the offer's apply). */
typedef struct store_place {
    char *id;
    store_text name, accessibility, transit;
    char *street, *postcode, *city, *district;
    char *city_local;           /* the town in the reader's script (location_i18n.city), else NULL */
    char **phones;
    int nphones;
} store_place;

typedef struct store_offer {
    char *id;
    store_text name, summary, description, eligibility, cost;
    store_text provider;
    store_text location_name, accessibility, transit;   /* of the first place, as are the address fields */
    char *street, *postcode, *city, *district;
    char *city_local;           /* the town as the reader writes it (location_i18n.city), NULL when
                                   the pack has none in the reader's chain: city stays as on signs */
    store_place *places;        /* every place, in the offer's order; schedules point into it */
    int nplaces;
    char **phones;              /* the offer's numbers (else the organisation's), not a place's own */
    int nphones;
    char *email, *url;
    char **languages;
    int nlanguages;
    store_schedule *schedules;
    int nschedules;
    int bookable;               /* some schedule has slots */
} store_offer;

/*
 * Before any database is opened (first thing in main): SQLite keeps no memory statistics, which
 * nothing here reads and which took a mutex on every allocation (8 M instructions of a 1 %
 * delta's 200 M). Returns 0, or -1 when SQLite was already in use (it then keeps them).
 */
int store_setup(void);

/*
 * Open a content database. Checks that it is a kiosk content database of a schema version this
 * build reads. Returns 0, or -1 with a message in err (the store is not opened).
 */
int store_open(store **out, const char *path, char *err, size_t errlen);
void store_close(store *s);

/* A meta value ("content_version", "pack_id", "demo", "timezone", "title:de"); NULL if absent. Owned by caller. */
char *store_meta(store *s, const char *key);

/* The pack's languages, in its order, as a NULL-terminated array the caller frees with store_strv_free. */
char **store_languages(store *s);
void store_strv_free(char **v);

/*
 * All categories in display order with names resolved along langs[0..nlangs), each with its
 * count of offers. Returns 0 and an array the caller frees with store_categories_free, or -1.
 */
int store_categories(store *s, const char *const langs[], int nlangs, store_category **out, int *n);
/* The same with every count 0, for a screen that shows none: counting the offers is a pass over
 * the pack (about 6 M instructions on 5,000 offers, once per store), which the language screen
 * and so a start need not wait for. store_category_counts fills them in later. */
int store_categories_uncounted(store *s, const char *const langs[], int nlangs, store_category **out, int *n);
/* Set c[0..n)'s counts (as store_categories has them). 0, or -1. */
int store_category_counts(store *s, store_category *c, int n);
void store_categories_free(store_category *c, int n);

/*
 * The offers of one category, names resolved along langs, sorted by name with the collation of
 * langs[0]. Returns 0 and an array freed with store_offer_rows_free, or -1.
 */
int store_offers_in_category(store *s, const char *category, const char *const langs[], int nlangs,
                             store_offer_row **out, int *n);
void store_offer_rows_free(store_offer_row *r, int n);

/* One offer in full. Returns 0 and *out (free with store_offer_free), 1 when not found, -1 on error. */
int store_offer_get(store *s, const char *id, const char *const langs[], int nlangs, store_offer **out);
void store_offer_free(store_offer *o);

/*
 * Days an offer is closed ("YYYY-MM-DD", local): the pack's public holidays and the offer's own
 * closed days, sorted. Returns a NULL-terminated array (free with store_strv_free), NULL on error.
 */
char **store_closures(store *s, const char *offer_id);

/* Offers with a name in lang, and all offers: the coverage staff see. */
int store_coverage(store *s, const char *lang, int *translated, int *total);

/*
 * What installing the content database at other_path would change: offers added, changed
 * (any text or field) and removed. Returns 0, or -1 when other_path cannot be read.
 */
int store_diff(store *s, const char *other_path, int *added, int *changed, int *removed);

/* ---------- search (fold.c, search_index.c, search_words.c, search.c) ---------- */

/* ICU transliterators that fold text for matching; one per thread. */
typedef struct store_folder store_folder;
/* Returns a folder, or NULL with a message in err. */
store_folder *store_folder_open(char *err, size_t errlen);
void store_folder_close(store_folder *f);
/* Lower case, no diacritics, Turkish i's as i, Arabic-script letter variants unified. Caller frees; NULL on error. */
char *store_fold(store_folder *f, const char *utf8);
/* The cross-script key: each word in Latin consonants, e.g. "كاريتاس", "Каритас", "Caritas" all "krts". Caller frees. */
char *store_skeleton(store_folder *f, const char *utf8);

/* (Re)build the search index inside the content database at path. Returns 0, or -1 with err. */
int store_search_index(const char *path, char *err, size_t errlen);

/*
 * After changeset (an SQLite session changeset of size bytes) was applied to the content database
 * at path: re-index the offers it touched (all of them when it renamed categories, or when stale
 * rows make up a quarter of the index). Returns 0, or -1 with err.
 */
int store_search_refresh(const char *path, const void *changeset, int size, char *err, size_t errlen);

/* store_search_refresh on an open connection, inside the caller's transaction (the installer
 * applies a delta and re-indexes in one transaction on the live database). */
struct sqlite3;
int store_search_refresh_db(struct sqlite3 *db, const void *changeset, int size, char *err, size_t errlen);

/* The integer in the first column of sql's first row on db, or -1 when it gives none (the pack
 * room's checks ask the same of a payload). */
long long store_single_int(struct sqlite3 *db, const char *sql);

/* Write the list rows and category counts (service_row, taxonomy_count) afresh from the content
 * tables of db, inside the caller's transaction: kiosk-pack does after filling a database, and
 * whatever else writes content must too. Returns 0, or -1 with err. */
int store_derive(struct sqlite3 *db, char *err, size_t errlen);
/* Whether db's service_row and taxonomy_count hold exactly what its content derives (made afresh
 * in its temporary database and compared both ways): 0 when they do, 1 when not (which table and
 * the first offer or category into err), -1 on error. */
int store_derive_check(struct sqlite3 *db, char *err, size_t errlen);
/* Whether table is one store_derive reads or writes: a change to no such table leaves
 * store_derive_check's answer as it was (a delta touching none need not ask again). */
int store_derive_reads(const char *table);

/*
 * Offers matching query (typed in any script, each word a whole word or the start of one), ranked
 * in tiers: all words whole, all as starts, all or their Latin skeleton (cross-script), all or a
 * typo (one edit from four letters, two from eight), a word's ending or two run together, then
 * some of the words; within a tier by bm25 over the fields (name > category names > summary >
 * description > provider > town), the reader's language (langs[0]) first among equals. Stop words
 * ("for", "und", "و") and one-letter words are left out; alone they find nothing.
 * Rows offset..offset+limit of that ranking, resolved along langs like store_offers_in_category.
 * *total (may be NULL): the number of offers found; *exact (may be NULL) is 0 when the query
 * matched too much to count on a keystroke and *total is only a lower bound.
 * Returns 0 (possibly no rows), 1 when the content has no search index (or one of an older
 * format), -1 on error. The query is neither stored nor logged.
 */
int store_search_page(store *s, const char *query, const char *const langs[], int nlangs, int offset, int limit,
                      store_offer_row **out, int *n, int *total, int *exact);
/*
 * Get search ready before the first key: its statements, and ICU's transliterator to Latin that
 * the first word in another script would otherwise wait for (some 140 M instructions, once per
 * process; see fold.c). For when the search screen opens. Returns 0, 1 without an index, -1.
 */
int store_search_prepare(store *s);
/* The first page of store_search_page, without the count. */
int store_search(store *s, const char *query, const char *const langs[], int nlangs, int limit, store_offer_row **out,
                 int *n);

/* ---------- guided questions (intake.c) ---------- */

typedef struct store_answer {
    char *id;                   /* "question/answer" */
    store_text label, reason;   /* reason: why an offer matched, shown under it */
    unsigned char *icon;        /* pictogram bytes, may be NULL */
    size_t icon_len;
    int urgent;                 /* skip the other questions and show the matches at once */
} store_answer;

typedef struct store_question {
    char *id;
    store_text text;
    unsigned char *icon;
    size_t icon_len;
    store_answer *answers;
    int nanswers;
} store_question;

/* The pack's questions in order (none when the pack has no questions). 0, or -1 on error. */
int store_questions(store *s, const char *const langs[], int nlangs, store_question **out, int *n);
void store_questions_free(store_question *q, int n);

/*
 * Offers matching the chosen answers (ids as in store_answer), best first: the sum of the weights
 * of the answers that point at the offer or at one of its categories; ties by name. why[i] is the
 * reasons of those answers, joined by newlines, resolved along langs (free with store_strv_free).
 * Returns 0, or -1 on error.
 */
int store_match(store *s, const char *const answers[], int nanswers, const char *const langs[], int nlangs,
                store_offer_row **out, char ***why, int *n);

/* The last SQLite error message of this store, for logs. */
const char *store_errmsg(store *s);

/* The schema's CREATE statements, for kiosk-pack (one string, several statements). */
const char *store_schema_sql(void);

/* SQLite's default VFS opens no path of its mxPathname (512 bytes on Linux) or more, a relative
 * path made absolute first, and then says only "unable to open database file". 0 when path, with
 * extra bytes more for a name derived from it (CONTENT.new.XXXXXX), fits; else the length it would
 * have. *max gets the limit. */
size_t store_path_too_long(const char *path, size_t extra, int *max);

#endif
