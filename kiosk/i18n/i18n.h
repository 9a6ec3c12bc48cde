/*
 * i18n: languages the kiosk speaks, UI string catalogs (gettext PO files), and locale-aware
 * formatting through ICU (weekday names, times, lists, plural categories, collation).
 *
 * Every formatting call uses the Gregorian calendar, also for fa/prs/ps where ICU would pick
 * the Persian one: opening hours and appointments must match what the office says.
 *
 * i18n.c has the languages, i18n_catalog.c the catalogs, i18n_format.c the formatting.
 */
#ifndef KIOSK_I18N_H
#define KIOSK_I18N_H

#include <stddef.h>

/* The one table of what the kiosk knows about each of its languages: other rooms (keyboard,
 * speech, synthetic content) read it rather than keep their own lists. */
typedef struct i18n_lang {
    const char *code;        /* our code: "de", "prs", "ckb" */
    const char *icu;         /* ICU locale for data: prs -> "fa_AF" */
    int rtl;
    const char *fallback[4]; /* tried after the language itself, NULL-terminated */
    const char *native;      /* name override where ICU has none in the language's own script */
    const char *script;      /* ISO 15924 code of the script it is written in here: "Latn", "Arab" */
    const char *keyboard;    /* the on-screen keyboard layout for typing it (ui/keyboard.c ids) */
    const char *voice;       /* the espeak-ng voice that reads it aloud, NULL when none does */
} i18n_lang;

/* How many languages the kiosk knows (i18n.c asserts its table has as many rows). */
#define I18N_LANGS 16

/* The languages the kiosk knows, in the default attract-screen order. */
int i18n_lang_count(void);
const i18n_lang *i18n_lang_at(int i);
/* NULL when the code is unknown. */
const i18n_lang *i18n_lang_find(const char *code);
/* Whether text in this language runs right to left (unknown codes: 0). */
int i18n_is_rtl(const char *code);

/*
 * The language's name in its own script ("العربية", "ትግርኛ", "دری"), as UTF-8 into buf, as a
 * language button shows it: capitalised as the language does in UI lists (ICU's
 * UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU: "Français", "Русский"), its first letter
 * capitalised where CLDR has no such data ("Shqip"). The two Kurdish varieties name themselves
 * ("کوردیی سۆرانی", "Kurmancî"). Returns the length or -1.
 */
int i18n_native_name(const char *code, char *buf, size_t len);
/*
 * The buttons' names of codes (NULL-terminated) into names[] (strdup'd, the caller frees each;
 * a language without one gets its code), as i18n_native_name gives them. cache_path: a file
 * that keeps them between starts (for this ICU version; NULL for none). Looking them up maps
 * each language's display-name data, about 0.8 MiB of ICU's data at the first frame for 16
 * languages, so they are looked up only when the file lacks one, and the file is then written
 * again (beside it, then renamed). Returns 0, or -1 when out of memory (names[] may be partly
 * filled, NULL where not).
 */
int i18n_native_names(const char *const codes[], char *names[], const char *cache_path);

/* The name of language `code` in language `in` ("Arabisch" for ar in de). Returns length or -1. */
int i18n_language_name(const char *code, const char *in, char *buf, size_t len);

/*
 * The order in which content languages are tried for a reader of `code`: the language itself,
 * its fallbacks (prs -> fa), then en, then de; each once. Returns the count written to out.
 */
int i18n_fallback_chain(const char *code, const char *out[], int max);

/* A loaded PO catalog of UI strings. */
typedef struct i18n_catalog i18n_catalog;

/*
 * Read translations/<lang>.po (path given). Fuzzy and obsolete entries are skipped; empty
 * translations fall back to the msgid. When <lang>.mo beside it (msgfmt's output, made by the
 * Makefile) is at least as new as the .po, that is read instead, with the same result and at a
 * small fraction of the cost; a missing, older or malformed .mo means the PO is parsed.
 * Returns 0, or -1 with a message in err.
 */
int i18n_catalog_load(i18n_catalog **out, const char *po_path, const char *lang, char *err, size_t errlen);
void i18n_catalog_free(i18n_catalog *c);
/* The translation of msgid, or msgid itself. c may be NULL. */
const char *i18n_gettext(const i18n_catalog *c, const char *msgid);
/* Plural lookup: the form for n chosen by ICU's plural rules of the catalog's language. */
const char *i18n_ngettext(const i18n_catalog *c, const char *msgid, const char *msgid_plural, long n);
/*
 * A plural message with its number written in the language's own digits ("٥ خدمات", "۷ خدمت",
 * "7 Angebote"): the form for n is chosen, and each "%d" in it becomes n formatted by ICU.
 * Phone numbers and codes never go through this: they stay in Latin digits.
 */
int i18n_format_count(const i18n_catalog *c, const char *code, const char *msgid, const char *msgid_plural, long n,
                      char *buf, size_t len);

/* Which msgstr[] index n selects (CLDR category order, clamped to the catalog's nplurals). */
int i18n_plural_index(const i18n_catalog *c, long n);
/* Number of entries with a translation, for tests and staff statistics. */
int i18n_catalog_size(const i18n_catalog *c);

/* "09:00" / "9:00 AM" / "٠٩:٠٠": a time of day in the language's conventions. */
int i18n_format_time(const char *code, int minutes, char *buf, size_t len);
/* "09:00–12:30" with the locale's own range pattern. */
int i18n_format_time_range(const char *code, int from_min, int to_min, char *buf, size_t len);
/* Weekday name; wday 0 = Monday ... 6 = Sunday; abbreviated or full, stand-alone form. */
int i18n_weekday(const char *code, int wday, int abbrev, char *buf, size_t len);
/* "Mo., Di. und Do.": items joined by the locale's list pattern (in ckb with Arabic commas;
 * the items' own text is never changed). */
int i18n_join_list(const char *code, const char *const items[], int n, char *buf, size_t len);
/* A date (y-m-d) in the locale's medium format, Gregorian. */
int i18n_format_date(const char *code, int y, int m, int d, char *buf, size_t len);

/*
 * "Montag, 30. November 2026": weekday and date, Gregorian, capitalised to start a line
 * ("Вторник, 1 декабря 2026 г."). native: for fa, prs and ps the Solar Hijri date follows in
 * brackets, without an era. ku and ckb, for which ICU has only root data, use patterns of our
 * own (weekday, day, month, year). Returns the length or -1.
 */
int i18n_format_day(const char *code, int y, int m, int d, int native, char *buf, size_t len);

/* "1. Apr. – 31. Okt. 2026" or a single date when from == to; dates as "YYYY-MM-DD". */
int i18n_format_date_range(const char *code, const char *from, const char *to, char *buf, size_t len);

/*
 * Capitalise text that starts a line, in place: the first cased letter titlecased by the
 * language's rules ("понедельник и среда" → "Понедельник и среда", tr "istanbul" → "İstanbul"),
 * the rest unchanged; caseless scripts unchanged. Returns the new length or -1 (buf unchanged).
 */
int i18n_capitalize_start(const char *code, char *buf, size_t len);

/*
 * The titlecase form of one typed character (UTF-8) into buf: "a" → "A", "ä" → "Ä"; scripts
 * without case come back unchanged. For names typed on a lowercase keyboard. Returns 0 or -1.
 */
int i18n_titlecase_char(const char *in, char *buf, size_t len);

/* Compare two UTF-8 strings with the language's collation (<0, 0, >0). */
typedef struct i18n_collator i18n_collator;
i18n_collator *i18n_collator_open(const char *code);
int i18n_collate(i18n_collator *c, const char *a, const char *b);
/*
 * The collation key of a UTF-8 string (NULL: ""), a new string the caller frees, or NULL when
 * out of memory: strcmp orders two keys as i18n_collate orders their strings. Sorting n strings
 * by their keys makes n keys instead of some n log n comparisons, each of them a collation.
 */
char *i18n_collation_key(i18n_collator *c, const char *a);
void i18n_collator_close(i18n_collator *c);

/* Whether ICU knows zone as a time zone of its own (an IANA zone or link such as "Europe/Berlin"
 * or "Asia/Calcutta"; not "GMT+5" or "Etc/Unknown"): 1 or 0. From its zone table alone, so that
 * checking a pack's zone at start does not load ICU's calendars (icu_dl.h). */
int i18n_zone_known(const char *zone);

#endif
