/*
 * test_search: folding, the cross-script key and ranked search over the demo district.
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "check.h"
#include "relevance.h"
#include "pack/pack.h"
#include "store/store.h"
#include "store/search_priv.h"
#include "store/store_priv.h"

#include <sqlite3.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static store_folder *F;
static store *S;
static char build_dir[256];

static int folds_to(const char *in, const char *want)
{
    char *got = store_fold(F, in);
    int ok = got && strcmp(got, want) == 0;
    if (!ok) printf("  fold(%s) = %s, want %s\n", in, got ? got : "(null)", want);
    free(got);
    return ok;
}

static int same_fold(const char *a, const char *b)
{
    char *x = store_fold(F, a), *y = store_fold(F, b);
    int ok = x && y && strcmp(x, y) == 0;
    if (!ok) printf("  fold(%s) = %s, fold(%s) = %s\n", a, x ? x : "(null)", b, y ? y : "(null)");
    free(x);
    free(y);
    return ok;
}

static int skel_is(const char *in, const char *want)
{
    char *got = store_skeleton(F, in);
    int ok = got && strcmp(got, want) == 0;
    if (!ok) printf("  skeleton(%s) = %s, want %s\n", in, got ? got : "(null)", want);
    free(got);
    return ok;
}


/* The fold and the skeleton as ICU's transliterators apply the rules fold.c follows: fold.c
 * does them without the transliterator registry, which is slow to build, and must agree. */
static const char ref_fold_rules[] =
    ":: NFD; :: [:Nonspacing Mark:] Remove; :: Lower; :: NFC;"
    "ı > i; ß > ss; ك > ک; ي > ی; ى > ی; ة > ه; ۀ > ه; ـ > ;";
static const char ref_skel_rules[] =
    ":: Any-Latin; [ǧǦ] > j; :: Latin-ASCII; :: Lower;"
    "[^a-z\\u0020] > ;"
    ":: Null;"
    "dzh > j; dz > j; sch > s; sh > s; ch > k; kh > k; ck > k; ph > f; x > ks; c } [ei] > s;"
    "[aeiouyhw] > ; p > b; v > f; [cqg] > k; z > s; d > t;";

static UTransliterator *ref_open(const char *rules)
{
    static UChar r[2048];
    UChar id[8];
    UErrorCode e = U_ZERO_ERROR;
    UParseError pe;
    u_uastrcpy(id, "ref");
    u_strFromUTF8(r, 2048, NULL, rules, -1, &e);
    UTransliterator *t = U_SUCCESS(e) ? utrans_openU(id, -1, UTRANS_FORWARD, r, -1, &pe, &e) : NULL;
    return U_SUCCESS(e) ? t : NULL;
}

static char *ref_apply(UTransliterator *t, const char *utf8)
{
    static UChar u[1 << 16];
    static char out[1 << 18];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(u, 1 << 14, &n, utf8, -1, 0xFFFD, NULL, &e);
    int32_t limit = n;
    if (U_SUCCESS(e)) utrans_transUChars(t, u, &n, 1 << 16, 0, &limit, &e);
    if (U_SUCCESS(e)) u_strToUTF8(out, sizeof out, NULL, u, limit, &e);
    return U_SUCCESS(e) ? out : NULL;
}

/* Both ways on text; counts the disagreements (printing the first few). */
static int ref_compare(UTransliterator *fold, UTransliterator *skel, const char *text, int *shown)
{
    int bad = 0;
    char *mine = store_fold(F, text), *theirs = ref_apply(fold, text);
    if (!mine || !theirs || strcmp(mine, theirs)) {
        bad++;
        if ((*shown)++ < 5) printf("  fold(%s) = %s, ICU rules give %s\n", text, mine ? mine : "(null)", theirs ? theirs : "(null)");
    }
    char *folded = theirs ? strdup(theirs) : NULL;
    char *sk = store_skeleton(F, text), *ref = folded ? ref_apply(skel, folded) : NULL;
    if (ref) store_squeeze_words(ref); /* the last step is fold.c's own; the rules before it are ICU's */
    if (!sk || !ref || strcmp(sk, ref)) {
        bad++;
        if ((*shown)++ < 5) printf("  skeleton(%s) = %s, ICU rules give %s\n", text, sk ? sk : "(null)", ref ? ref : "(null)");
    }
    free(mine);
    free(folded);
    free(sk);
    return bad;
}

TEST(squeeze_words)
{
    char t[] = "  mmuller  aa b kkurss  ";
    store_squeeze_words(t);
    CHECK(!strcmp(t, "muler kurs"), "doubled letters once, one-letter words gone, single spaces: \"%s\"", t);
}

TEST(fold_as_the_icu_rules)
{
    UTransliterator *fold = ref_open(ref_fold_rules), *skel = ref_open(ref_skel_rules);
    CHECK(fold && skel, "the reference transliterators open");
    if (!fold || !skel) return;
    static const char *const tricky[] = {
        "", "Müller Straße İSTANBUL ılık IŞIK Öğretmen", "ΣΊΣΥΦΟΣ Ὀδυσσεύς", "Łódź Đakovo Æsir Œuvre ø ə",
        "أحمد مَدْرَسَة كتاب عربي آموزش ۀ ـــ ى", "Ёлка ЖИТЛО Їжак Джон", "ትምህርቲ ጆብሰንተር ጀ", "ǧǦ Ǆ ﬁ ﬀ ½ ① ２",
        "x\xcc\x81y \xff\xfe abc", "한국어 日本語 ภาษาไทย हिन्दी", "DZH Dzh sch SCH ck ph", "كوردیی سۆرانی Kurmancî",
        "ASCII Only: Job-Center 24/7, Tel. +49 (0)5191\t@~[]{}|", "ZZ aa `_^",
    };
    int bad = 0, shown = 0, n = 0;
    for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++, n++) bad += ref_compare(fold, skel, tricky[i], &shown);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/content/demo.db", build_dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT name FROM service_i18n UNION ALL SELECT summary FROM service_i18n UNION ALL "
                           "SELECT description FROM service_i18n UNION ALL SELECT name FROM taxonomy_term_i18n UNION ALL "
                           "SELECT name FROM organization_i18n UNION ALL SELECT city FROM location",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (t) {
                bad += ref_compare(fold, skel, t, &shown);
                n++;
            }
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK(n > 1000, "%d texts compared", n);
    CHECK(bad == 0, "%d of %d texts fold or sound otherwise than ICU's rules", bad, n);
    utrans_close(fold);
    utrans_close(skel);
}

/* fold.c folds text of some blocks code point by code point from a memo: each code point of
 * them, beside letters, marks and itself, must fold as ICU's rules fold the whole text. */
TEST(fold_code_point_by_code_point)
{
    UTransliterator *fold = ref_open(ref_fold_rules);
    CHECK(fold != NULL, "the reference transliterator opens");
    if (!fold) return;
    static const UChar32 blocks[][2] = {{0x0001, 0x0250}, {0x02FF, 0x0370}, {0x03A3, 0x03A3}, {0x03FF, 0x0500},
                                        {0x05FF, 0x0700}, {0x11FF, 0x1380}, {0x1FFF, 0x2070}, {0x1E9E, 0x1E9E}};
    static const char *const around[] = {"a%sb", "%s%s", "Z%s\xcc\x88", "\xc4\xb0%s", "%s\xd9\x8e\xd8\xa7"};
    int bad = 0, n = 0;
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
        for (UChar32 c = blocks[b][0]; c <= blocks[b][1]; c++) {
            char cp[8], text[64];
            int32_t len = 0;
            UBool err = 0;
            U8_APPEND((uint8_t *)cp, len, (int32_t)sizeof cp - 1, c, err);
            if (err || !U_IS_UNICODE_CHAR(c)) continue;
            cp[len] = 0;
            for (size_t k = 0; k < sizeof around / sizeof *around; k++, n++) {
                snprintf(text, sizeof text, around[k], cp, cp);
                char *mine = store_fold(F, text), *theirs = ref_apply(fold, text);
                if (!mine || !theirs || strcmp(mine, theirs)) {
                    if (bad++ < 5) printf("  fold(U+%04X in %s) = %s, ICU rules give %s\n", (unsigned)c, around[k],
                                          mine ? mine : "(null)", theirs ? theirs : "(null)");
                }
                free(mine);
            }
        }
    CHECK(n > 7000 && bad == 0, "%d of %d texts fold otherwise than ICU's rules", bad, n);
    utrans_close(fold);
}

TEST(folding)
{
    CHECK(folds_to("Müller", "muller"), "de umlaut");
    CHECK(folds_to("Straße", "strasse"), "de sharp s");
    CHECK(same_fold("SPRACHKURS", "sprachkurs"), "de case");
    CHECK(folds_to("İSTANBUL", "istanbul"), "tr capital dotted I");
    CHECK(folds_to("ılık IŞIK", "ilik isik"), "tr dotless i and capital I");
    CHECK(same_fold("Öğretmen", "ogretmen"), "tr o-umlaut and soft g");
    CHECK(folds_to("أحمد", "احمد"), "ar hamza on alef");
    CHECK(folds_to("مَدْرَسَة", "مدرسه"), "ar harakat and teh marbuta");
    CHECK(same_fold("كتاب عربي", "کتاب عربی"), "ar keyboard kaf/yeh = fa letters");
    CHECK(same_fold("آموزش", "اموزش"), "fa alef madda");
    CHECK(folds_to("Ёлка", "елка"), "ru yo");
    CHECK(same_fold("ЖИТЛО", "житло"), "uk case");
    CHECK(folds_to("Їжак", "іжак"), "uk yi");
    CHECK(folds_to("ትምህርቲ", "ትምህርቲ"), "ti Ethiopic unchanged (no case, no marks)");
    char *bad = store_fold(F, "ab\xff\xfe" "cd");
    CHECK(bad && strstr(bad, "ab") && strstr(bad, "cd"), "invalid UTF-8 folds without losing the rest: %s", bad ? bad : "(null)");
    free(bad);
}

TEST(cross_script)
{
    CHECK(skel_is("Caritas", "krts"), "latin");
    CHECK(skel_is("karitas", "krts"), "latin as heard");
    CHECK(skel_is("كاريتاس", "krts"), "arabic letters");
    CHECK(skel_is("کاریتاس", "krts"), "persian letters");
    CHECK(skel_is("Каритас", "krts"), "cyrillic");
    CHECK(skel_is("ካሪታስ", "krts"), "ethiopic");
    CHECK(skel_is("Sprachkurs", "sbrkrs"), "german word");
    CHECK(skel_is("شبراخكورس", "sbrkrs"), "the same word in arabic letters");
    CHECK(skel_is("a b", ""), "one-letter words dropped");
}

static int has(const store_offer_row *r, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(r[i].id, id) == 0) return i;
    return -1;
}

static int search(const char *q, const char *lang, store_offer_row **r, int *n)
{
    const char *langs[] = {lang, "en", "de"};
    return store_search(S, q, langs, 3, 30, r, n);
}

TEST(cross_language)
{
    store_offer_row *r = NULL;
    int n = 0;
    /* a Dari reader types the German word from a letter */
    CHECK(search("Jobcenter", "prs", &r, &n) == 0 && has(r, n, "jobcenter-erstberatung") >= 0, "Jobcenter from prs (%d rows)", n);
    if (n > 0) CHECK(r[0].name.text[0] && strcmp(r[0].name.text, "") != 0, "rows resolved");
    store_offer_rows_free(r, n);
    CHECK(search("sprachk", "fa", &r, &n) == 0 && n > 0, "German prefix from fa (%d rows)", n);
    store_offer_rows_free(r, n);
    /* a provider typed in Arabic letters, and in Latin as heard */
    CHECK(search("كاريتاس", "ti", &r, &n) == 0 && has(r, n, "caritas-mbe") >= 0, "كاريتاس finds Caritas (%d rows)", n);
    store_offer_rows_free(r, n);
    CHECK(search("karitas", "de", &r, &n) == 0 && has(r, n, "caritas-mbe") >= 0, "karitas finds Caritas (%d rows)", n);
    store_offer_rows_free(r, n);
    CHECK(search("Каритас", "uk", &r, &n) == 0 && has(r, n, "caritas-mbe") >= 0, "Каритас finds Caritas (%d rows)", n);
    store_offer_rows_free(r, n);
    CHECK(search("ካሪታስ", "ti", &r, &n) == 0 && has(r, n, "caritas-mbe") >= 0, "ካሪታስ finds Caritas (%d rows)", n);
    store_offer_rows_free(r, n);
    /* diacritic-insensitive both ways */
    CHECK(search("arztin", "de", &r, &n) == 0 && n > 0, "arztin finds Ärztin (%d rows)", n);
    store_offer_rows_free(r, n);
    /* results come back in the user's language, marked when they fall back */
    CHECK(search("Jobcenter", "ar", &r, &n) == 0 && n > 0, "ar results");
    int i = has(r, n, "jobcenter-erstberatung");
    CHECK(i >= 0 && !strcmp(r[i].name.lang, "ar") && !r[i].name.fallback, "in Arabic: %s (%s)", i >= 0 ? r[i].name.text : "-",
          i >= 0 ? r[i].name.lang : "-");
    store_offer_rows_free(r, n);
}

TEST(ranking)
{
    store_offer_row *r = NULL;
    int n = 0;
    /* "Caritas" is in the title (provider) of the Caritas offers and only in the text of others */
    CHECK(search("caritas", "de", &r, &n) == 0 && n > 2, "caritas rows %d", n);
    int last_title = -1, first_other = n;
    for (int i = 0; i < n; i++) {
        if (strncmp(r[i].id, "caritas-", 8) == 0) last_title = i;
        else if (first_other == n) first_other = i;
    }
    CHECK(has(r, n, "buergerhaus-begegnungscafe") >= 0, "a text-only hit is listed too");
    CHECK(last_title < first_other, "title hits first: last caritas offer at %d, first other at %d", last_title, first_other);
    store_offer_rows_free(r, n);
    /* the user's language first: an Arabic word matches Arabic texts first */
    CHECK(search("مركز", "ar", &r, &n) == 0 && n > 0, "ar word");
    if (n > 0) CHECK(!strcmp(r[0].name.lang, "ar"), "first row has Arabic text: %s", r[0].name.lang);
    store_offer_rows_free(r, n);
}

TEST(no_result_and_bad_input)
{
    store_offer_row *r = NULL;
    int n = 5;
    CHECK(search("qqxxzz", "de", &r, &n) == 0 && n == 0, "nothing found is not an error");
    store_offer_rows_free(r, n);
    CHECK(search("", "de", &r, &n) == 0 && n == 0, "empty query");
    CHECK(search("\" OR * NEAR(", "de", &r, &n) == 0, "FTS syntax in the query is taken as text");
    store_offer_rows_free(r, n);
    CHECK(search("job\xc3", "de", &r, &n) == 0, "cut UTF-8 sequence");
    store_offer_rows_free(r, n);
}

/* in category cat, per the store (the relevance set's cat: entries read it the same way) */
static int in_category(const char *id, const char *cat)
{
    const char *langs[] = {"de"};
    store_offer_row *r = NULL;
    int n = 0, hit = 0;
    if (store_offers_in_category(S, cat, langs, 1, &r, &n) == 0)
        for (int i = 0; i < n; i++) hit |= !strcmp(r[i].id, id);
    store_offer_rows_free(r, n);
    return hit;
}

TEST(what_people_mean)
{
    store_offer_row *r = NULL;
    int n = 0;
    /* stop words say nothing alone */
    const char *stops[][2] = {{"for", "en"}, {"und", "de"}, {"و", "ar"}, {"для", "ru"}, {"iyo", "so"}};
    for (int i = 0; i < 5; i++) {
        CHECK(search(stops[i][0], stops[i][1], &r, &n) == 0 && n == 0, "stop word %s finds %d", stops[i][0], n);
        store_offer_rows_free(r, n);
    }
    /* ... and are left out of longer queries */
    CHECK(search("hilfe bei schulden", "de", &r, &n) == 0 && n > 0 && !strcmp(r[0].id, "schuldnerberatung-erstberatung"),
          "hilfe bei schulden: %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    /* an acronym in the name beats a longer word starting with it (issue 14) */
    CHECK(search("mbe", "en", &r, &n) == 0 && n > 0 && !strcmp(r[0].id, "caritas-mbe"), "mbe: %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    /* a word's start beats its Latin skeleton: "кур" is курс, not Queer */
    CHECK(search("кур", "ru", &r, &n) == 0 && n > 0 && in_category(r[0].id, "language"), "кур: %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    /* a topic in a language the offer is not translated into: the shared row holds every category name */
    CHECK(search("gjuhe", "de", &r, &n) == 0 && has(r, n, "lingua-berufssprachkurs") >= 0, "gjuhe (sq) finds %d", n);
    store_offer_rows_free(r, n);
    /* two words run together, the second the end of a word in the content */
    CHECK(search("Deutschkurs", "de", &r, &n) == 0 && n > 0 && in_category(r[0].id, "language"), "Deutschkurs: %s",
          n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    /* the Arabic article the content writes and the reader leaves out */
    CHECK(search("سكن", "ar", &r, &n) == 0 && n > 0 && in_category(r[0].id, "housing"), "سكن: %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    /* typos: one edit from four letters, two from eight; none below four */
    CHECK(search("vacination", "en", &r, &n) == 0 && has(r, n, "gesundheitsamt-impfberatung") >= 0, "vacination: %d", n);
    store_offer_rows_free(r, n);
    CHECK(search("auslaenderbehoerde", "de", &r, &n) == 0 && n > 0 && !strncmp(r[0].id, "lk-auslaenderbehoerde", 21),
          "auslaenderbehoerde (two edits): %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    CHECK(search("kitz", "de", &r, &n) == 0 && has(r, n, "familienzentrum-kita-platz") >= 0, "kitz: %d", n);
    store_offer_rows_free(r, n);
    /* exact hits above typo hits: "kita" is in two offer names; "kitz" is one edit from it, but
     * also a word's start in no name, so only the loose tier brings it */
    CHECK(search("kita", "de", &r, &n) == 0 && has(r, n, "familienzentrum-kita-platz") >= 0 &&
              has(r, n, "familienzentrum-kita-platz") < 2 && has(r, n, "bildungsbuero-elterngespraech-dolmetschen") < 2,
          "kita: %s", n ? r[0].id : "-");
    store_offer_rows_free(r, n);
    CHECK(search("kinde", "de", &r, &n) == 0 && n > 0, "kinde");
    int exact_at = n, typo_at = -1;
    for (int i = 0; i < n; i++) {
        if (exact_at == n && (strstr(r[i].name.text, "Kinde") || strstr(r[i].name.text, "kinde"))) exact_at = i;
        if (!strcmp(r[i].id, "familienzentrum-kita-platz")) typo_at = i;
    }
    CHECK(typo_at < 0 || exact_at < typo_at, "a name starting so (%d) before a typo's (%d)", exact_at, typo_at);
    store_offer_rows_free(r, n);
}

/* every offer held in a town, per the content */
static int offers_in_town(const char *city, char ids[][64], int max)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = 0;
    char path[300];
    snprintf(path, sizeof path, "%s/content/demo.db", build_dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT DISTINCT a.service_id FROM service_at_location a JOIN location l ON l.id=a.location_id"
                               " JOIN service v ON v.id=a.service_id WHERE l.city=?1 AND v.status='active'",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, city, -1, SQLITE_STATIC);
        while (n < max && sqlite3_step(st) == SQLITE_ROW) snprintf(ids[n++], 64, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A town as the reader writes it (location_i18n.city) finds every offer held there, as the
 * German name does, though the offers' texts in that language may never name it. */
TEST(towns_in_the_readers_script)
{
    char ids[64][64];
    int k = offers_in_town("Wiesental", ids, 64);
    CHECK(k >= 5, "offers in Wiesental: %d", k);
    const char *q[][2] = {{"Wiesental", "de"}, {"فيزنتال", "ar"}, {"ویزنتال", "fa"}, {"Візенталь", "uk"}, {"ቪዘንታል", "ti"},
                          {"ویزنٹال", "ur"}};
    for (int j = 0; j < 6; j++) {
        store_offer_row *r = NULL;
        int n = 0, found = 0;
        CHECK(search(q[j][0], q[j][1], &r, &n) == 0, "search %s", q[j][0]);
        for (int i = 0; i < k; i++) found += has(r, n, ids[i]) >= 0;
        CHECK(found == k, "%s (%s) finds %d of the %d offers in Wiesental", q[j][0], q[j][1], found, k);
        store_offer_rows_free(r, n);
    }
}

TEST(honest_counts_and_pages)
{
    const char *langs[] = {"de", "en"};
    store_offer_row *a = NULL, *b = NULL;
    int na = 0, nb = 0, total = 0, exact = 0, total2 = 0;
    CHECK(store_search_page(S, "beratung", langs, 2, 0, 5, &a, &na, &total, &exact) == 0 && na == 5, "page 1: %d rows", na);
    CHECK(total > 10 && exact, "the count is what was found (%d, exact %d), not the page size", total, exact);
    CHECK(store_search_page(S, "beratung", langs, 2, 5, 5, &b, &nb, &total2, NULL) == 0 && nb == 5 && total2 == total,
          "page 2: %d rows, total %d", nb, total2);
    int overlap = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) overlap |= !strcmp(a[i].id, b[j].id);
    CHECK(!overlap, "page 2 continues page 1");
    store_offer_rows_free(b, nb);
    /* every offer found, over all pages, exactly once */
    int seen = 0, dup = 0;
    CHECK(store_search_page(S, "beratung", langs, 2, 0, 500, &b, &nb, &total2, NULL) == 0 && nb == total, "all at once: %d of %d",
          nb, total);
    for (int i = 0; i < nb; i++) {
        seen++;
        for (int j = 0; j < i; j++) dup |= !strcmp(b[i].id, b[j].id);
    }
    CHECK(seen == total && !dup, "%d rows, repeats %d", seen, dup);
    store_offer_rows_free(a, na);
    store_offer_rows_free(b, nb);
    CHECK(store_search_page(S, "beratung", langs, 2, total, 5, &b, &nb, &total2, NULL) == 0 && nb == 0 && total2 == total,
          "past the end: %d rows", nb);
    store_offer_rows_free(b, nb);
    /* the count on a small page is what all pages list, whichever tiers a page needed */
    const char *qs[] = {"heidemoor", "hilfe", "kinde", "kurs", "ber", "docter", "deutsch kurs", "jobcentr"};
    for (int q = 0; q < 8; q++) {
        int t5 = -1, e5 = 0, tall = -2;
        store_offer_row *r5 = NULL, *rall = NULL;
        int n5 = 0, nall = 0;
        store_search_page(S, qs[q], langs, 2, 0, 5, &r5, &n5, &t5, &e5);
        store_search_page(S, qs[q], langs, 2, 0, 1000, &rall, &nall, &tall, NULL);
        CHECK(e5 && t5 == nall && tall == nall && nall > 0, "%s: page of 5 says %d, all pages list %d (says %d)", qs[q], t5,
              nall, tall);
        store_offer_rows_free(r5, n5);
        store_offer_rows_free(rall, nall);
    }
}

/* Run sql on the database at path and return its changeset (sqlite3_free it), as a delta carries. */
static void *change(const char *path, const char *sql, int *size)
{
    sqlite3 *db = NULL;
    sqlite3_session *ses = NULL;
    void *cs = NULL;
    *size = 0;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3session_create(db, "main", &ses) == SQLITE_OK &&
        sqlite3session_attach(ses, NULL) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
        sqlite3session_changeset(ses, size, &cs);
    if (ses) sqlite3session_delete(ses);
    sqlite3_close(db);
    return cs;
}

static long long one(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* every hit of query (de first) is offer id; returns the number of hits, -1 when another came */
static int hits_only(const char *path, const char *query, const char *id)
{
    store *s = NULL;
    char err[256];
    const char *langs[] = {"de", "en"};
    store_offer_row *r = NULL;
    int n = 0, rc = -1;
    if (store_open(&s, path, err, sizeof err) == 0 && store_search(s, query, langs, 2, 400, &r, &n) == 0) {
        rc = n;
        for (int i = 0; i < n; i++)
            if (id && strcmp(r[i].id, id) != 0) rc = -1;
    }
    store_offer_rows_free(r, n);
    store_close(s);
    return rc;
}

/* how many of the first k hits of query (de first) are at location loc */
static int first_at(const char *path, const char *query, const char *loc, int k)
{
    store *s = NULL;
    char err[256];
    const char *langs[] = {"de", "en"};
    store_offer_row *r = NULL;
    int n = 0, at = 0;
    if (store_open(&s, path, err, sizeof err) == 0 && store_search(s, query, langs, 2, k, &r, &n) == 0)
        for (int i = 0; i < n; i++) {
            char sql[300];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM service_at_location WHERE service_id='%s' AND location_id='%s'",
                     r[i].id, loc);
            at += one(path, sql) == 1;
        }
    store_offer_rows_free(r, n);
    store_close(s);
    return at;
}

TEST(refresh_after_a_delta)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/search-refresh.db", build_dir);
    remove(path);
    CHECK(pack_synth(path, 300, 2, 11, NULL, err, sizeof err) == 0, "synthetic content: %s", err);
    long long docs = one(path, "SELECT count(*) FROM search_doc");
    long long org_offers = one(path, "SELECT count(*) FROM service WHERE organization_id='org-3'");
    CHECK(docs == 300 && org_offers >= 2, "%lld offers numbered, org-3 has %lld offers", docs, org_offers);
    long long number7 = one(path, "SELECT id FROM search_doc WHERE oid='offer-7'");

    /* an offer renamed, a provider renamed, an offer withdrawn: only those are indexed anew */
    int size = 0;
    void *cs = change(path,
                      "UPDATE service_i18n SET name='Quokkaberatung' WHERE service_id='offer-7' AND lang='de';"
                      "UPDATE organization_i18n SET name='Wombatverein' WHERE organization_id='org-3';"
                      "UPDATE service_i18n SET name='Numbatkurs' WHERE service_id='offer-9';"
                      "UPDATE service SET status='withdrawn' WHERE id='offer-9';",
                      &size);
    CHECK(cs && size > 0, "changeset of %d bytes", size);
    CHECK(store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    CHECK(hits_only(path, "quokka", "offer-7") == 1, "the new offer name is found");
    CHECK(hits_only(path, "wombatv", NULL) == org_offers, "the new provider name finds all %lld of its offers", org_offers);
    CHECK(hits_only(path, "numbat", NULL) == 0, "a withdrawn offer is not found");
    CHECK(one(path, "SELECT count(*) FROM search_term WHERE term IN ('quokkaberatung', 'wombatverein')") == 2,
          "the new words are typo candidates");
    CHECK(hits_only(path, "hapelgu gu tolin", NULL) > 0, "untouched offers are still found");
    long long live = one(path, "SELECT count(*) FROM search_doc"), top = one(path, "SELECT max(id) FROM search_doc");
    /* re-indexed offers keep their numbers: search_doc is not rewritten */
    CHECK(live == 299 && top == 300 && one(path, "SELECT id FROM search_doc WHERE oid='offer-7'") == number7,
          "incremental: %lld live offers, numbered up to %lld, the renamed offer still number %lld", live, top, number7);

    /* a place's town written in another language, and an offer moved to a new place: the
     * offers held there are indexed anew, the rest not */
    long long at_org5 = one(path, "SELECT count(*) FROM service_at_location WHERE location_id='org-5/main'");
    cs = change(path,
                "INSERT INTO location_i18n(location_id, lang, status, city) VALUES('org-5/main', 'ar', 'complete', 'ككابورا');"
                "INSERT INTO organization(id) VALUES('org-x');"
                "INSERT INTO location(id, organization_id, city) VALUES('org-x/a', 'org-x', 'Dugongheim');"
                "INSERT INTO service_at_location(id, service_id, location_id) VALUES('offer-8@x', 'offer-8', 'org-x/a');",
                &size);
    CHECK(cs && store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    CHECK(at_org5 >= 2 && first_at(path, "ككابورا", "org-5/main", (int)at_org5) == at_org5,
          "the translated town finds first the %lld offers held there", at_org5);
    CHECK(hits_only(path, "dugongheim", "offer-8") == 1, "the new place's town finds the offer held there");
    CHECK(one(path, "SELECT count(*) FROM search_doc") == 299, "still incremental");

    /* a category renamed is in every offer's text of that category: everything anew */
    cs = change(path, "UPDATE taxonomy_term_i18n SET name='Dingostunde' WHERE term_id='health' AND lang='de'", &size);
    CHECK(store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    CHECK(hits_only(path, "dingost", NULL) > 0, "the new category name is found");
    CHECK(one(path, "SELECT max(id) FROM search_doc") == one(path, "SELECT count(*) FROM search_doc"), "rebuilt whole");

    /* a damaged changeset changes nothing */
    static const unsigned char junk[] = {'T', 3, 1, 's', 'e', 'r', 'v', 'i', 'c', 'e', 0, 23, 99};
    CHECK(store_search_refresh(path, junk, sizeof junk, err, sizeof err) == -1, "damaged changeset: %s", err);
    CHECK(hits_only(path, "quokka", "offer-7") == 1, "the index is as it was");
    remove(path);
}

/* An offer's text changed in a few places: the words around each change are typo candidates
 * after the delta (a word added amid the text, a letter changed, two words run together by a
 * removed space, a word at the very end), and the summary's other words are still there. */
TEST(a_changed_texts_new_words)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/search-changed-words.db", build_dir);
    remove(path);
    CHECK(pack_synth(path, 50, 2, 11, NULL, err, sizeof err) == 0, "synthetic content: %s", err);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK &&
              sqlite3_exec(db, "UPDATE service_i18n SET summary='echo foxtrot', description='alpha bravo charlie delta'"
                               " WHERE service_id='offer-7' AND lang='de'", NULL, NULL, NULL) == SQLITE_OK,
          "the texts before");
    sqlite3_close(db);
    CHECK(store_search_index(path, err, sizeof err) == 0, "indexed: %s", err);
    static const char words[] = "('koalaweg', 'beutelzeit', 'emualpha', 'xcharlie', 'rennmaus')";
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM search_term WHERE term IN %s", words);
    CHECK(one(path, sql) == 0, "none of the words before");
    int size = 0;
    void *cs = change(path,
                      "UPDATE service_i18n SET summary='Koalaweg echo foxtrot Beutelzeit',"
                      " description='Emualpha bravo xcharlie delta Rennmaus' WHERE service_id='offer-7' AND lang='de'",
                      &size);
    CHECK(cs && store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    long long n = one(path, sql);
    CHECK(n == 5, "added at the start and the end, run into a word, changed amid the text: %lld of 5", n);
    CHECK(one(path, "SELECT count(*) FROM search_term WHERE term IN ('echo', 'foxtrot', 'bravo', 'delta')") == 4,
          "the words kept are still there");
    CHECK(hits_only(path, "koalaweg", "offer-7") == 1 && hits_only(path, "xcharlie", "offer-7") == 1,
          "the new words find the offer");
    remove(path);
}

/* A reader that has searched keeps its store open while a delta is applied in place by another
 * connection (the kiosk reopens its store only on the start screen): its next keystroke must
 * find the offers the delta indexed anew, under their new numbers. */
/* How many offers "quokka" finds for a de/en reader; -1 on an error, -2 when offer-7 is not the first. */
static int quokka_hits(store *s)
{
    const char *langs[] = {"de", "en"};
    store_offer_row *r = NULL;
    int n = -1;
    if (store_search(s, "quokka", langs, 2, 40, &r, &n) != 0) return -1;
    int hits = n > 0 && strcmp(r[0].id, "offer-7") ? -2 : n;
    store_offer_rows_free(r, n);
    return hits;
}

/* Synthetic content at PATH (build_dir/NAME) and a reader of it that has searched once and found nothing. */
static store *quokka_reader(char *path, size_t size, const char *name)
{
    char err[512];
    snprintf(path, size, "%s/%s", build_dir, name);
    remove(path);
    CHECK(pack_synth(path, 300, 2, 11, NULL, err, sizeof err) == 0, "synthetic content: %s", err);
    store *s = NULL;
    CHECK(store_open(&s, path, err, sizeof err) == 0, "open: %s", err);
    if (!s) return NULL;
    int n = quokka_hits(s);
    CHECK(n == 0, "nothing before (%d)", n);
    return s;
}

/* The delta another connection applies in place under the reader: offer-7 renamed. */
static void quokka_delta(const char *path)
{
    char err[512] = "";
    int size = 0;
    void *cs = change(path, "UPDATE service_i18n SET name='Quokkaberatung' WHERE service_id='offer-7' AND lang='de'", &size);
    CHECK(cs && store_search_refresh(path, cs, size, err, sizeof err) == 0, "the delta's index: %s", err);
    sqlite3_free(cs);
}

TEST(a_reader_searches_across_a_delta)
{
    char path[512];
    store *s = quokka_reader(path, sizeof path, "search-across.db");
    if (!s) return;
    quokka_delta(path);
    int n = quokka_hits(s);
    CHECK(n == 1, "the open reader finds the renamed offer (%d hits)", n);
    store_close(s);
    remove(path);
}

/* Across a delta applied in place the reader's search reads only what content holds again (the
 * offer and language numbers, whether the side table counts); the folder and the stop words,
 * which no content changes, stay the ones it opened. */
TEST(a_delta_keeps_the_readers_folder)
{
    char path[512];
    store *s = quokka_reader(path, sizeof path, "search-keep-folder.db");
    if (!s) return;
    CHECK(s->search, "the search is open");
    if (!s->search) {
        store_close(s);
        return;
    }
    struct store_search *before = s->search;
    store_folder *folder = before->folder;
    char **stop = before->stop;
    int side = before->side;
    quokka_delta(path);
    int n = quokka_hits(s);
    CHECK(n == 1, "the renamed offer found (%d hits)", n);
    /* the same search, not one opened afresh (a new one would not have been renewed) */
    CHECK(s->search == before && s->search->renewed == 1, "renewed in place (%d times)", s->search ? s->search->renewed : -1);
    CHECK(s->search && s->search->folder == folder && s->search->stop == stop, "the folder and the stop words kept");
    CHECK(!side && s->search && s->search->side, "the side table read from now on");
    /* no commit since: the next keystroke reads nothing again */
    n = quokka_hits(s);
    CHECK(n == 1 && s->search->renewed == 1, "no renewal without a commit (%d hits, %d renewals)", n, s->search->renewed);
    store_close(s);
    remove(path);
}

/* A delta that keeps an offer's name, provider and categories keeps its documents' skeletons
 * (search_skel): re-indexing makes no new one, which costs ICU's Any-Latin; a renamed offer gets one. */
TEST(skeletons_kept_for_a_delta)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/search-skel.db", build_dir);
    remove(path);
    CHECK(pack_synth(path, 300, 2, 11, NULL, err, sizeof err) == 0, "synthetic content: %s", err);
    long long docs = one(path, "SELECT count(*) FROM search_docsize");
    long long kept = one(path, "SELECT count(*) FROM search_skel");
    CHECK(kept > docs / 2 && kept <= docs, "the builder keeps %lld skeletons for %lld documents", kept, docs);
    /* every kept skeleton marked: what is re-indexed from the cache then carries the mark, a fixed
     * point of the skeleton that no offer's words make */
    int size = 0;
    void *cs = change(path, "UPDATE search_skel SET skel='krtsbln'", &size);
    sqlite3_free(cs);
    CHECK(hits_only(path, "krtsbln", NULL) == 0, "nothing indexed carries the mark yet");
    CHECK(one(path, "SELECT count(*) FROM search_term WHERE term='neu'") == 0, "no offer says neu yet");
    cs = change(path, "UPDATE service_i18n SET summary=summary || ' neu' WHERE service_id='offer-5'", &size);
    CHECK(store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    CHECK(hits_only(path, "krtsbln", "offer-5") >= 1, "the changed offer's skeletons came from the cache");
    CHECK(one(path, "SELECT count(*) FROM search_term WHERE term='neu'") == 1, "a new word of a summary is a typo candidate");
    /* a new name: its skeleton is made and kept */
    cs = change(path, "UPDATE service_i18n SET name='Quokkaberatung' WHERE service_id='offer-7' AND lang='de'", &size);
    CHECK(store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    char *sk = store_skeleton(F, "quokkaberatung"), sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM search_skel WHERE instr(skel, '%s') > 0", sk ? sk : "?");
    CHECK(sk && one(path, sql) == 1, "the new name's skeleton %s is kept", sk ? sk : "(null)");
    CHECK(hits_only(path, sk ? sk : "?", "offer-7") >= 1, "and found");
    free(sk);
    /* a rebuild starts from the cache and keeps only what it used */
    cs = change(path, "UPDATE taxonomy_term_i18n SET name='Dingostunde' WHERE term_id='health' AND lang='de'", &size);
    CHECK(store_search_refresh(path, cs, size, err, sizeof err) == 0, "refresh: %s", err);
    sqlite3_free(cs);
    CHECK(one(path, "SELECT count(*) FROM sqlite_schema WHERE name='search_skel_old'") == 0, "no old cache left");
    CHECK(one(path, "SELECT count(*) FROM search_skel") <= one(path, "SELECT count(*) FROM search_docsize"),
          "no more skeletons than documents after a rebuild");
    remove(path);
}

/* The rows of MATCH expr on db, as a comma-separated list. Caller frees. */
static char *match_rows(sqlite3 *db, const char *expr)
{
    sqlite3_stmt *st = NULL;
    sbuf b = {0};
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM search WHERE search MATCH ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) store_sb_add(&b, "%lld,", (long long)sqlite3_column_int64(st, 0));
    }
    sqlite3_finalize(st);
    return b.s;
}

/* A word start longer than the prefix index is written as its first four letters when no other
 * word of the vocabulary starts with those, else as the words that start so when they are few:
 * FTS5 then reads the prefix index, or no more than a query needs. The same documents. */
TEST(long_word_starts_named)
{
    CHECK(store_search_prepare(S) == 0, "search ready");
    const char *words[] = {"beratu", "sprachk", "deutsc"};
    for (int w = 0; w < 3 && S->search; w++) {
        char *folded = store_fold(S->search->folder, words[w]);
        qword q[8];
        int n = folded ? store_query_words(S->search, folded, q, 8) : 0;
        CHECK(n == 1, "%s: one word (%d)", words[w], n);
        if (n != 1) {
            free(folded);
            continue;
        }
        char star[300];
        snprintf(star, sizeof star, TEXT_COLS " : \"%s\"*", folded);
        char *named = match_rows(S->db, store_sb_str(&q[0].prefix)), *prefix = match_rows(S->db, star);
        CHECK(!strstr(store_sb_str(&q[0].prefix), star), "%s: its words named, or its first four letters (%s)", words[w],
              store_sb_str(&q[0].prefix));
        CHECK(named && prefix && !strcmp(named, prefix), "%s: the same documents as FTS5's prefix", words[w]);
        free(named);
        free(prefix);
        free(folded);
        free(q[0].exact.s);
        free(q[0].prefix.s);
        free(q[0].sounds.s);
        free(q[0].loose.s);
    }
}

static int count_match(unsigned type, void *n, void *stmt, void *x)
{
    (void)x;
    const char *sql = sqlite3_sql(stmt);
    if (type == SQLITE_TRACE_STMT && sql && strstr(sql, "MATCH")) ++*(int *)n;
    return 0;
}

/* A keystroke's rows come from the pages before it when they hold them (most do, typing on), and
 * are read again when the content changed under them or another reader's chain asks. A keystroke
 * whose words are in too many documents to count runs no query that its count already answers. */
TEST(keystrokes_on_a_big_pack)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/search-big.db", build_dir);
    remove(path);
    CHECK(pack_synth(path, 500, 2, 5, NULL, err, sizeof err) == 0, "synthetic content: %s", err);
    store *s = NULL;
    CHECK(store_open(&s, path, err, sizeof err) == 0, "open: %s", err);
    if (!s) return;
    const char *de[] = {"de", "en"}, *en[] = {"en", "de"};
    store_offer_row *a = NULL, *b = NULL;
    int na = 0, nb = 0, total = 0, exact = 1;
    CHECK(store_search_page(s, "mu", de, 2, 0, 40, &a, &na, &total, &exact) == 0 && na == 40, "%d rows", na);
    CHECK(!exact && total >= 40, "too many to count: at least %d", total);
    if (na == 0) {
        store_close(s);
        return;
    }
    int queries = 0;
    sqlite3_trace_v2(s->db, SQLITE_TRACE_STMT, count_match, &queries);
    CHECK(store_search_page(s, "mu", de, 2, 0, 40, &b, &nb, &total, &exact) == 0 && nb == na, "again: %d rows", nb);
    sqlite3_trace_v2(s->db, 0, NULL, NULL);
    /* the whole word's count and the loosest tier's; its German documents, more than can be
     * ranked, are not read once more to rank them */
    CHECK(queries == 2, "two queries (%d)", queries);
    int same = na == nb;
    for (int i = 0; same && i < na; i++)
        same = !strcmp(a[i].id, b[i].id) && !strcmp(a[i].name.text, b[i].name.text) && a[i].bookable == b[i].bookable &&
               !strcmp(a[i].provider.text, b[i].provider.text) && !strcmp(a[i].name.lang, b[i].name.lang);
    CHECK(same, "the kept rows are the rows");
    store_offer_rows_free(b, nb);
    /* the content changes under the reader (a delta applies in place) */
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE service_i18n SET name='Quokkahaus' WHERE service_id='%s' AND lang='de'", a[0].id);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "renamed");
    sqlite3_close(db);
    CHECK(store_search_page(s, "mu", de, 2, 0, 40, &b, &nb, &total, &exact) == 0 && nb > 0 && !strcmp(b[0].id, a[0].id),
          "the same first offer");
    CHECK(nb > 0 && b[0].name.text && !strcmp(b[0].name.text, "Quokkahaus"), "with its new name (%s)",
          nb > 0 && b[0].name.text ? b[0].name.text : "(none)");
    store_offer_rows_free(b, nb);
    CHECK(store_search_page(s, "mu", en, 2, 0, 40, &b, &nb, &total, &exact) == 0 && nb > 0, "in English: %d rows", nb);
    int english = nb > 0;
    for (int i = 0; i < nb; i++) english &= !strcmp(b[i].name.lang, "en");
    CHECK(english, "the names in the English reader's chain");
    store_offer_rows_free(b, nb);
    store_offer_rows_free(a, na);
    store_close(s);
    remove(path);
}

/* The floors the relevance set must not fall below (tests/search/relevance.tsv; bench prints the figures). */
#define RELEVANCE_TOP3_FLOOR 0.95
#define RELEVANCE_MRR_FLOOR 0.90

TEST(relevance_set)
{
    relevance r;
    CHECK(relevance_run(S, "tests/search/relevance.tsv", 1, &r) == 0 && r.queries >= 150, "%d queries in the set", r.queries);
    if (!r.queries) return;
    double top3 = (double)r.top3 / r.queries;
    printf("  relevance: %d queries, top-1 %.1f %%, top-3 %.1f %%, MRR %.3f\n", r.queries, 100.0 * r.top1 / r.queries,
           100.0 * top3, r.mrr);
    CHECK(top3 >= RELEVANCE_TOP3_FLOOR, "top-3 %.3f below the floor %.2f", top3, RELEVANCE_TOP3_FLOOR);
    CHECK(r.mrr >= RELEVANCE_MRR_FLOOR, "MRR %.3f below the floor %.2f", r.mrr, RELEVANCE_MRR_FLOOR);
}

int main(int argc, char **argv)
{
    char err[512], path[512];
    snprintf(build_dir, sizeof build_dir, "%s", argc > 1 ? argv[1] : "build");
    snprintf(path, sizeof path, "%s/content/demo.db", build_dir);
    F = store_folder_open(err, sizeof err);
    CHECK(F != NULL, "folder: %s", err);
    if (!F) CHECK_DONE();
    CHECK(store_open(&S, path, err, sizeof err) == 0, "open %s: %s", path, err);
    RUN(folding);
    RUN(squeeze_words);
    RUN(fold_as_the_icu_rules);
    RUN(fold_code_point_by_code_point);
    RUN(cross_script);
    if (S) {
        RUN(cross_language);
        RUN(ranking);
        RUN(no_result_and_bad_input);
        RUN(what_people_mean);
        RUN(towns_in_the_readers_script);
        RUN(honest_counts_and_pages);
        RUN(long_word_starts_named);
        RUN(relevance_set);
    }
    RUN(refresh_after_a_delta);
    RUN(a_changed_texts_new_words);
    RUN(a_reader_searches_across_a_delta);
    RUN(a_delta_keeps_the_readers_folder);
    RUN(skeletons_kept_for_a_delta);
    RUN(keystrokes_on_a_big_pack);
    store_close(S);
    store_folder_close(F);
    CHECK_DONE();
}
