/* Unit tests of i18n: PO loading, plurals, native names, fallback chains, ICU formatting. */
#include "check.h"
#include "i18n/i18n.h"
#include "pack/format.h"
#include "sync/sync.h"

#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ucasemap.h>
#include <unicode/uldnames.h>
#include <unicode/ustring.h>

static i18n_catalog *load(const char *lang)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "translations/%s.po", lang);
    i18n_catalog *c = NULL;
    if (i18n_catalog_load(&c, path, lang, err, sizeof err) != 0) printf("load %s: %s\n", lang, err);
    return c;
}

TEST(every_language_loads)
{
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *code = i18n_lang_at(i)->code;
        i18n_catalog *c = load(code);
        CHECK(c && i18n_catalog_size(c) >= 25, "%s: %d entries", code, i18n_catalog_size(c));
        CHECK(strcmp(i18n_gettext(c, "Back"), "Back") != 0 || strcmp(code, "en") == 0, "%s translates Back", code);
        char name[128];
        CHECK(i18n_native_name(code, name, sizeof name) > 0, "%s has a native name", code);
        i18n_catalog_free(c);
    }
}

/* How many of the sentences reason(first..last) some non-English catalog leaves untranslated. */
static int untranslated(const char *(*reason)(int), int first, int last)
{
    int missing = 0;
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *code = i18n_lang_at(i)->code;
        if (!strcmp(code, "en")) continue;
        i18n_catalog *c = load(code);
        for (int e = first; e <= last; e++) {
            const char *msgid = reason(e);
            if (c && strcmp(i18n_gettext(c, msgid), msgid) != 0) continue;
            printf("  %s: \"%s\" untranslated\n", code, msgid);
            missing++;
        }
        i18n_catalog_free(c);
    }
    return missing;
}

/* Staff read why a pack was refused (pack_strerror through the catalog) in their language:
 * every reason, the publication pin's and the clock bound's too, is translated in every file. */
TEST(pack_reasons_translated)
{
    int missing = untranslated(pack_strerror, PACK_OK, PACK_ERR_READING);
    CHECK(missing == 0, "%d pack reasons untranslated", missing);
}

/* The sync thread's reasons, shown in staff mode's status, are in every language too. */
TEST(sync_reasons_translated)
{
    int missing = untranslated(sync_strerror, SYNC_NO_CURL, SYNC_BUSY);
    CHECK(missing == 0, "%d sync reasons untranslated", missing);
}

TEST(plurals)
{
    i18n_catalog *ar = load("ar");
    CHECK(i18n_plural_index(ar, 0) == 0 && i18n_plural_index(ar, 1) == 1 && i18n_plural_index(ar, 2) == 2 &&
              i18n_plural_index(ar, 5) == 3 && i18n_plural_index(ar, 11) == 4 && i18n_plural_index(ar, 100) == 5,
          "Arabic six forms");
    i18n_catalog_free(ar);
    i18n_catalog *ru = load("ru");
    CHECK(i18n_plural_index(ru, 1) == 0 && i18n_plural_index(ru, 3) == 1 && i18n_plural_index(ru, 5) == 2 &&
              i18n_plural_index(ru, 21) == 0 && i18n_plural_index(ru, 111) == 2,
          "Russian three forms");
    CHECK(strstr(i18n_ngettext(ru, "%d offer", "%d offers", 5), "%d") != NULL, "form keeps %%d");
    i18n_catalog_free(ru);
    i18n_catalog *fr = load("fr");
    CHECK(i18n_plural_index(fr, 0) == 0 && i18n_plural_index(fr, 2) == 1 && i18n_plural_index(fr, 1000000) == 1,
          "French: 0 singular, many clamped");
    i18n_catalog_free(fr);
}

TEST(broken_po_is_an_error)
{
    FILE *f = fopen("build/broken.po", "w");
    fputs("msgid \"a\"\nmsgstr \"b\n\nmsgid \n", f);
    fclose(f);
    i18n_catalog *c = NULL;
    char err[512];
    CHECK(i18n_catalog_load(&c, "build/broken.po", "de", err, sizeof err) != 0 && !c, "broken PO refused");
    CHECK(strstr(err, "broken.po") != NULL, "message names the file: %s", err);
    CHECK(i18n_catalog_load(&c, "build/none.po", "de", err, sizeof err) != 0, "missing PO refused");
    CHECK(strcmp(i18n_gettext(NULL, "Back"), "Back") == 0, "no catalog: msgid");
}

/* A PO string starting at the quote at q, unescaped, continuation lines joined (the test's own
 * reading of the file, to compare the two loaders on every msgid). */
static void po_str(FILE *f, const char *q, char *out, size_t cap)
{
    size_t o = 0;
    char line[4096];
    for (;;) {
        for (const char *p = q + 1; *p && *p != '"' && o + 1 < cap; p++) {
            if (*p == '\\' && p[1]) {
                p++;
                out[o++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            } else {
                out[o++] = *p;
            }
        }
        long at = ftell(f);
        if (!fgets(line, sizeof line, f)) break;
        if (line[0] != '"') { fseek(f, at, SEEK_SET); break; }
        q = line;
    }
    out[o] = 0;
}

TEST(compiled_catalog_reads_as_po)
{
    check_sh("mkdir -p build/mo-test");
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *code = i18n_lang_at(i)->code;
        char po[256], mo[256], copy[256], err[512];
        snprintf(po, sizeof po, "translations/%s.po", code);
        snprintf(mo, sizeof mo, "translations/%s.mo", code);
        snprintf(copy, sizeof copy, "build/mo-test/%s.po", code);
        FILE *m = fopen(mo, "rb");
        CHECK(m != NULL, "the build compiled %s", mo);
        if (m) fclose(m);
        check_sh("cp %s %s", po, copy); /* alone, without its .mo: parsed with libgettextpo */
        i18n_catalog *a = NULL, *b = NULL;
        i18n_catalog_load(&a, po, code, err, sizeof err);
        i18n_catalog_load(&b, copy, code, err, sizeof err);
        CHECK(a && b, "%s loads both ways", code);
        if (!a || !b) continue;
        FILE *f = fopen(po, "r");
        char line[4096], id[4096], pl[4096];
        int n = 0, differ = 0;
        while (f && fgets(line, sizeof line, f)) {
            if (strncmp(line, "msgid \"", 7) != 0) continue;
            po_str(f, line + 6, id, sizeof id);
            pl[0] = 0;
            long at = ftell(f);
            if (fgets(line, sizeof line, f) && strncmp(line, "msgid_plural \"", 14) == 0) po_str(f, line + 13, pl, sizeof pl);
            else fseek(f, at, SEEK_SET);
            if (!id[0]) continue;
            n++;
            if (strcmp(i18n_gettext(a, id), i18n_gettext(b, id)) != 0) differ++, printf("%s: %s\n", code, id);
            for (long k = 0; pl[0] && k <= 120; k++)
                if (strcmp(i18n_ngettext(a, id, pl, k), i18n_ngettext(b, id, pl, k)) != 0) differ++;
        }
        if (f) fclose(f);
        CHECK(n >= 25 && differ == 0, "%s: %d msgids, %d differ between .mo and .po", code, n, differ);
        i18n_catalog_free(a);
        i18n_catalog_free(b);
    }
    /* a .mo older than its .po (the PO edited since the build), or malformed, is not read */
    check_sh("cp translations/de.po build/mo-test/x.po && cp translations/fr.mo build/mo-test/x.mo");
    char err[512];
    i18n_catalog *c = NULL;
    check_sh("touch -d '2001-01-01' build/mo-test/x.po");
    i18n_catalog_load(&c, "build/mo-test/x.po", "de", err, sizeof err);
    CHECK(c && !strcmp(i18n_gettext(c, "Back"), "Retour"), "a newer .mo is read: %s", c ? i18n_gettext(c, "Back") : "-");
    i18n_catalog_free(c);
    check_sh("touch -d '2000-01-01' build/mo-test/x.mo");
    i18n_catalog_load(&c, "build/mo-test/x.po", "de", err, sizeof err);
    CHECK(c && !strcmp(i18n_gettext(c, "Back"), "Zurück"), "an older .mo is not: %s", c ? i18n_gettext(c, "Back") : "-");
    i18n_catalog_free(c);
    check_sh("head -c 60 translations/fr.mo > build/mo-test/x.mo");
    i18n_catalog_load(&c, "build/mo-test/x.po", "de", err, sizeof err);
    CHECK(c && !strcmp(i18n_gettext(c, "Back"), "Zurück"), "a cut .mo is not: %s", c ? i18n_gettext(c, "Back") : "-");
    i18n_catalog_free(c);
}

/* Each button's name is the one CLDR gives a language in a UI list, in the language itself
 * (uldn's capitalisation context), with its first letter capitalised as i18n_native_name does
 * for all: the cheaper lookup it makes must draw the same buttons. */
TEST(native_names_are_cldr_ui_list_names)
{
    for (int i = 0; i < i18n_lang_count(); i++) {
        const i18n_lang *l = i18n_lang_at(i);
        if (l->native) continue;
        UErrorCode e = U_ZERO_ERROR;
        UDisplayContext ctx[] = {UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU};
        ULocaleDisplayNames *dn = uldn_openForContext(l->icu, ctx, 1, &e);
        UChar u[128];
        int32_t n = U_SUCCESS(e) ? uldn_languageDisplayName(dn, l->icu, u, 128, &e) : 0;
        uldn_close(dn);
        char want[256] = "", title[256] = "", got[128] = "";
        u_strToUTF8(want, sizeof want, NULL, u, n, &e);
        UCaseMap *cm = ucasemap_open(l->icu, U_TITLECASE_SENTENCES | U_TITLECASE_NO_LOWERCASE, &e);
        ucasemap_utf8ToTitle(cm, title, sizeof title, want, -1, &e);
        ucasemap_close(cm);
        CHECK(U_SUCCESS(e) && n > 0, "%s: ICU names it (%s)", l->code, u_errorName(e));
        CHECK(i18n_native_name(l->code, got, sizeof got) > 0 && !strcmp(got, title), "%s button reads %s, not %s",
              l->code, title, got);
    }
}

/* ICU's own answer: a system zone, as ucal_getCanonicalTimeZoneID says. */
static int icu_zone_known(const char *z)
{
    UChar id[64], canon[64];
    UBool sys = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(id, z);
    ucal_getCanonicalTimeZoneID(id, -1, canon, 64, &sys, &st);
    return U_SUCCESS(st) && sys;
}

/* The pack's zone is checked at start from ICU's zone table, not by its calendar code: the same
 * answer as ICU's own for every zone it lists and for names that are not zones. */
TEST(zone_known_as_icu_knows_it)
{
    UErrorCode e = U_ZERO_ERROR;
    UEnumeration *en = ucal_openTimeZones(&e);
    const char *z;
    int n = 0, differ = 0;
    while (en && (z = uenum_next(en, NULL, &e)) != NULL) {
        n++;
        if (icu_zone_known(z) != i18n_zone_known(z)) differ++, printf("  %s differs\n", z);
    }
    uenum_close(en);
    static const char *const odd[] = {"GMT+5", "Etc/Unknown", "europe/berlin", "Europe", "Foo/Bar", "Asia/Calcutta",
                                      "Europe/Kiev", "US/Pacific", "UTC", "GMT", "EST", "", "Europe/Berlin/"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
        if (icu_zone_known(odd[i]) != i18n_zone_known(odd[i])) differ++, printf("  %s differs\n", odd[i]);
    CHECK(n > 400 && differ == 0, "%d of %d zones and %zu others differ", differ, n, sizeof odd / sizeof *odd);
    CHECK(i18n_zone_known("Europe/Berlin") && !i18n_zone_known("Etc/Unknown") && !i18n_zone_known(NULL), "Berlin, not Unknown");
}

/* The buttons' names are kept beside the state between starts: read back from the file, for this
 * ICU only, and a language the file lacks is looked up and added. */
TEST(native_names_kept)
{
    check_sh("mkdir -p build/names-test && rm -f build/names-test/*");
    const char *path = "build/names-test/state.db.names";
    const char *codes[] = {"de", "ar", "ti", "prs", NULL};
    char *names[5] = {0}, want[128];
    CHECK(i18n_native_names(codes, names, path) == 0, "named");
    for (int i = 0; codes[i]; i++) {
        i18n_native_name(codes[i], want, sizeof want);
        CHECK(names[i] && !strcmp(names[i], want), "%s: %s, not %s", codes[i], want, names[i] ? names[i] : "-");
        free(names[i]);
    }
    /* what the file says is what the buttons say: it is read, not ICU */
    check_sh("sed -i 's/^ar\t.*/ar\tXYZ/' build/names-test/state.db.names");
    CHECK(i18n_native_names(codes, names, path) == 0 && !strcmp(names[1], "XYZ") && !strcmp(names[0], "Deutsch"),
          "read back: %s %s", names[0], names[1]);
    for (int i = 0; codes[i]; i++) free(names[i]);
    /* another ICU's names are not taken, and the file is written again */
    check_sh("sed -i '1s/ICU .*/ICU 1.0/' build/names-test/state.db.names");
    CHECK(i18n_native_names(codes, names, path) == 0 && !strcmp(names[1], "العربية"), "another ICU's file: %s", names[1]);
    for (int i = 0; codes[i]; i++) free(names[i]);
    check_sh("sed -i 's/^ar\t.*/ar\tXYZ/' build/names-test/state.db.names");
    CHECK(i18n_native_names(codes, names, path) == 0 && !strcmp(names[1], "XYZ"), "rewritten for this ICU: %s", names[1]);
    for (int i = 0; codes[i]; i++) free(names[i]);
    /* a language it lacks is looked up and kept too */
    const char *more[] = {"de", "fr", NULL};
    CHECK(i18n_native_names(more, names, path) == 0 && !strcmp(names[1], "Français"), "fr: %s", names[1]);
    free(names[0]);
    free(names[1]);
    check_sh("sed -i 's/^fr\t.*/fr\tFR/' build/names-test/state.db.names");
    CHECK(i18n_native_names(more, names, path) == 0 && !strcmp(names[1], "FR"), "fr kept: %s", names[1]);
    free(names[0]);
    free(names[1]);
    CHECK(i18n_native_names(more, names, NULL) == 0 && !strcmp(names[1], "Français"), "no file: looked up");
    free(names[0]);
    free(names[1]);
}

TEST(names_and_fallback)
{
    char n[128];
    i18n_native_name("ar", n, sizeof n);
    CHECK(strcmp(n, "العربية") == 0, "ar %s", n);
    i18n_native_name("ti", n, sizeof n);
    CHECK(strcmp(n, "ትግርኛ") == 0, "ti %s", n);
    i18n_native_name("prs", n, sizeof n);
    CHECK(strcmp(n, "دری") == 0, "prs %s", n);
    /* the two Kurdish buttons: each in its own script and naming its own variety */
    i18n_native_name("ckb", n, sizeof n);
    CHECK(strstr(n, "سۆرانی") != NULL, "ckb %s", n);
    i18n_native_name("ku", n, sizeof n);
    CHECK(strstr(n, "Kurmancî") != NULL, "ku %s", n);
    /* buttons are UI list items: capitalised where the language capitalises them there */
    static const char *const caps[][2] = {{"fr", "Français"}, {"ru", "Русский"}, {"uk", "Українська"},
                                          {"sq", "Shqip"}, {"de", "Deutsch"}, {"ar", "العربية"}};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        i18n_native_name(caps[i][0], n, sizeof n);
        CHECK(strcmp(n, caps[i][1]) == 0, "%s button reads %s, not %s", caps[i][0], caps[i][1], n);
    }
    const char *ch[8];
    int k = i18n_fallback_chain("prs", ch, 8);
    CHECK(k == 4 && !strcmp(ch[0], "prs") && !strcmp(ch[1], "fa") && !strcmp(ch[2], "en") && !strcmp(ch[3], "de"),
          "prs -> fa -> en -> de");
    k = i18n_fallback_chain("de", ch, 8);
    CHECK(k == 2 && !strcmp(ch[1], "en"), "de -> en");
    CHECK(i18n_is_rtl("ur") && i18n_is_rtl("ckb") && !i18n_is_rtl("ku") && !i18n_is_rtl("ti"), "directions");
}

TEST(formatting)
{
    char b[128];
    i18n_format_time("de", 9 * 60 + 30, b, sizeof b);
    CHECK(strcmp(b, "09:30") == 0, "de time %s", b);
    i18n_format_time("en", 14 * 60, b, sizeof b);
    CHECK(strstr(b, "2:00") && strstr(b, "PM"), "en time %s", b);
    i18n_weekday("de", 0, 0, b, sizeof b);
    CHECK(strcmp(b, "Montag") == 0, "Monday %s", b);
    i18n_weekday("ar", 4, 0, b, sizeof b);
    CHECK(strcmp(b, "الجمعة") == 0, "Friday %s", b);
    i18n_format_date("fa", 2026, 3, 21, b, sizeof b);
    CHECK(strstr(b, "۲۰۲۶") != NULL, "fa date is Gregorian: %s", b);
    const char *days[] = {"Mo.", "Di.", "Do."};
    i18n_join_list("de", days, 3, b, sizeof b);
    CHECK(strcmp(b, "Mo., Di. und Do.") == 0, "list %s", b);
    i18n_format_time_range("de", 9 * 60, 12 * 60 + 30, b, sizeof b);
    CHECK(strstr(b, "09:00") && strstr(b, "12:30"), "range %s", b);
}

TEST(counts_in_local_digits)
{
    char b[128];
    i18n_catalog *ar = load("ar"), *fa = load("fa"), *de = load("de");
    i18n_format_count(ar, "ar", "%d offer", "%d offers", 5, b, sizeof b);
    CHECK(strstr(b, "٥") && !strchr(b, '5'), "Arabic-Indic digit: %s", b);
    i18n_format_count(fa, "fa", "%d offer", "%d offers", 7, b, sizeof b);
    CHECK(strstr(b, "۷") != NULL, "Persian digit: %s", b);
    i18n_format_count(de, "de", "%d offer", "%d offers", 12, b, sizeof b);
    CHECK(!strcmp(b, "12 Angebote"), "German: %s", b);
    i18n_format_count(NULL, "en", "%d offer", "%d offers", 1, b, sizeof b);
    CHECK(!strcmp(b, "1 offer"), "no catalog: %s", b);
    /* a search count too big to finish on a keystroke is a lower bound, and says so */
    i18n_format_count(de, "de", "%d offer or more", "%d or more offers", 1200, b, sizeof b);
    CHECK(!strcmp(b, "1.200 oder mehr Angebote"), "German lower bound: %s", b);
    i18n_format_count(ar, "ar", "%d offer or more", "%d or more offers", 1200, b, sizeof b);
    CHECK(strstr(b, "أو أكثر") && strstr(b, "١") && !strchr(b, '1'), "Arabic lower bound: %s", b);
    i18n_catalog_free(ar);
    i18n_catalog_free(fa);
    i18n_catalog_free(de);
}

TEST(titlecase_for_names)
{
    static const char *const cases[][2] = {{"a", "A"}, {"ä", "Ä"}, {"ё", "Ё"}, {"ǆ", "ǅ"}, {"ض", "ض"}, {"ከ", "ከ"}, {"7", "7"}};
    char buf[16];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK(i18n_titlecase_char(cases[i][0], buf, sizeof buf) == 0 && !strcmp(buf, cases[i][1]), "%s → %s", cases[i][0],
              cases[i][1]);
    CHECK(i18n_titlecase_char("\xff", buf, sizeof buf) == -1, "invalid UTF-8 refused");
    CHECK(i18n_titlecase_char("a", buf, 2) == -1, "too small a buffer refused");
}

TEST(collation)
{
    i18n_collator *de = i18n_collator_open("de");
    CHECK(i18n_collate(de, "Ärzte", "Beratung") < 0, "Ä sorts with A in German");
    i18n_collator_close(de);
    i18n_collator *tr = i18n_collator_open("tr");
    CHECK(i18n_collate(tr, "çay", "dans") < 0 && i18n_collate(tr, "cam", "çay") < 0, "Turkish ç between c and d");
    i18n_collator_close(tr);
    /* a list is sorted by collation keys: strcmp of two keys must order as i18n_collate does */
    static const char *const words[] = {"Ärzte", "arzt", "Arzt", "Beratung", "çay", "cam", "dans", "İstanbul", "ılık",
                                        "Ilık", "الإسكان", "السكن", "سكن", "آموزش", "Ёлка", "елка", "ሀገር", "",
                                        "Sprachkurs für Eltern", "Sprachkurse", "\xff\xfe broken"};
    static const char *const langs[] = {"de", "tr", "ar", "fa", "ru", "ti", "en"};
    int pairs = 0, agree = 0;
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        i18n_collator *c = i18n_collator_open(langs[l]);
        if (!c) continue;
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            for (size_t j = 0; j < sizeof words / sizeof *words; j++) {
                char *ki = i18n_collation_key(c, words[i]), *kj = i18n_collation_key(c, words[j]);
                int a = ki && kj ? strcmp(ki, kj) : 99, b = i18n_collate(c, words[i], words[j]);
                pairs++;
                agree += (a < 0) == (b < 0) && (a > 0) == (b > 0);
                free(ki);
                free(kj);
            }
        i18n_collator_close(c);
    }
    CHECK(pairs == 7 * 21 * 21 && agree == pairs, "collation keys order as the collation (%d of %d pairs)", agree, pairs);
    i18n_collator *en = i18n_collator_open("en");
    char *knull = en ? i18n_collation_key(en, NULL) : NULL, *kempty = en ? i18n_collation_key(en, "") : NULL;
    CHECK(knull && kempty && !strcmp(knull, kempty), "no text has the key of an empty one");
    free(knull);
    free(kempty);
    i18n_collator_close(en);
}

/* Whether s holds a Basic Latin letter. */
static int has_latin(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) return 1;
    return 0;
}

TEST(dates_per_language)
{
    char b[256];
    /* Pashto's Solar Hijri date beside the Gregorian one: no Latin era "AP" */
    i18n_format_day("ps", 2026, 12, 1, 1, b, sizeof b);
    CHECK(strstr(b, "۱۴۰۵") && !has_latin(b), "ps: %s", b);
    i18n_format_day("fa", 2026, 12, 1, 1, b, sizeof b);
    CHECK(strstr(b, "آذر") && !has_latin(b), "fa: %s", b);
    /* Kurmanji: weekday, day, month, year -- not "2026 berfanbarê 1, sêşem" -- and a capital at
     * the start of the line */
    i18n_format_day("ku", 2026, 12, 1, 1, b, sizeof b);
    CHECK(!strcmp(b, "Sêşem, 1 berfanbarê 2026"), "ku: %s", b);
    i18n_format_date("ku", 2026, 12, 1, b, sizeof b);
    CHECK(!strncmp(b, "1 ", 2) && strstr(b, "2026"), "ku date: %s", b);
    i18n_format_date_range("ku", "2026-04-01", "2026-10-31", b, sizeof b);
    CHECK(!strncmp(b, "1 ", 2) && strstr(b, " – 31 ") && strlen(b) > 4 && !strcmp(b + strlen(b) - 4, "2026"),
          "ku range: %s", b);
    /* Sorani: Arabic commas, in dates and lists */
    i18n_format_day("ckb", 2026, 12, 1, 1, b, sizeof b);
    CHECK(strstr(b, "،") && !strchr(b, ',') && strstr(b, "سێشەممە") == b, "ckb: %s", b);
    const char *items[] = {"دووشەممە", "سێشەممە", "چوارشەممە"};
    i18n_join_list("ckb", items, 3, b, sizeof b);
    CHECK(strstr(b, "دووشەممە، سێشەممە") && !strchr(b, ','), "ckb list: %s", b);
    const char *commas[] = {"a,b", "c"};
    i18n_join_list("ckb", commas, 2, b, sizeof b);
    CHECK(strstr(b, "a,b") != NULL, "ckb list keeps the items' own text: %s", b);
    /* Russian and Ukrainian day names start a line with a capital, as German ones do */
    i18n_format_day("ru", 2026, 12, 1, 1, b, sizeof b);
    CHECK(!strncmp(b, "Вторник", strlen("Вторник")), "ru: %s", b);
    i18n_format_day("uk", 2026, 12, 1, 1, b, sizeof b);
    CHECK(!strncmp(b, "Вівторок", strlen("Вівторок")), "uk: %s", b);
    static const char *const starts[][3] = {{"ru", "понедельник и среда", "Понедельник и среда"},
                                            {"uk", "понеділок", "Понеділок"},
                                            {"ku", "duşem û çarşem 09:00", "Duşem û çarşem 09:00"},
                                            {"tr", "istanbul", "İstanbul"},
                                            {"ar", "الاثنين", "الاثنين"}};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        snprintf(b, sizeof b, "%s", starts[i][1]);
        CHECK(i18n_capitalize_start(starts[i][0], b, sizeof b) >= 0 && !strcmp(b, starts[i][2]), "%s: %s", starts[i][0], b);
    }
}

TEST(arabic_dual)
{
    /* the dual says the number itself: "every two weeks", no digit */
    i18n_catalog *ar = load("ar");
    char b[128];
    i18n_format_count(ar, "ar", "every %d week", "every %d weeks", 2, b, sizeof b);
    CHECK(!strcmp(b, "كل أسبوعين"), "ar n=2: %s", b);
    i18n_format_count(ar, "ar", "every %d week", "every %d weeks", 3, b, sizeof b);
    CHECK(!strcmp(b, "كل ٣ أسابيع"), "ar n=3: %s", b);
    i18n_catalog_free(ar);
}

int main(void)
{
    RUN(every_language_loads);
    RUN(pack_reasons_translated);
    RUN(sync_reasons_translated);
    RUN(plurals);
    RUN(broken_po_is_an_error);
    RUN(compiled_catalog_reads_as_po);
    RUN(names_and_fallback);
    RUN(native_names_are_cldr_ui_list_names);
    RUN(zone_known_as_icu_knows_it);
    RUN(native_names_kept);
    RUN(formatting);
    RUN(counts_in_local_digits);
    RUN(titlecase_for_names);
    RUN(collation);
    RUN(dates_per_language);
    RUN(arabic_dual);
    CHECK_DONE();
}
