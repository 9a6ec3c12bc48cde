/* Unit tests of the text engine: visual order, isolation, font choice, line breaking. */
#include "check.h"
#include "i18n/i18n.h"
#include "text/text.h"
#include "text/text_priv.h"

#include <gettext-po.h>
#include <sqlite3.h>
#include <string.h>
#include <unicode/utf16.h>

static text_engine *te;
static const char *build = "build";

static text_style style(const char *lang, int dir, int width)
{
    text_style st = {.lang = lang, .size_px = 24, .max_width = width, .dir = dir, .dir_default = TEXT_DIR_LTR};
    return st;
}

static int uses_font(const text_layout *lo, const char *name)
{
    for (int i = 0; i < lo->nglyphs; i++) {
        const char *f = text_font_name(te, lo->glyphs[i].font);
        if (f && strcmp(f, name) == 0) return 1;
    }
    return 0;
}

TEST(phone_in_arabic_reads_left_to_right)
{
    text_style st = style("ar", TEXT_DIR_RTL, 0);
    text_layout *lo = text_layout_make(te, "اتصل بالرقم +49 5191 1000 من فضلك", &st);
    char vis[512];
    CHECK(lo && lo->nlines == 1, "one line");
    CHECK(text_line_visual_utf8(lo, 0, vis, sizeof vis) > 0, "visual string");
    CHECK(strstr(vis, "+49 5191 1000") != NULL, "visual order was: %s", vis);
    CHECK(lo->rtl == 1, "paragraph is RTL");
    /* Left to right on screen: the last word first, each Arabic word's letters reversed, the
     * number unreversed in the middle. The logical (unreversed) string must not pass. */
    CHECK(strcmp(vis, "كلضف نم +49 5191 1000 مقرلاب لصتا") == 0, "visual: %s", vis);
    text_layout_free(lo);
}

TEST(email_and_url_isolated)
{
    char *s = text_isolate_ltr("راسلنا info@caritas-heidemoor.example أو https://vhs.example/kurse.");
    CHECK(strstr(s, "\xE2\x81\xA6info@caritas-heidemoor.example\xE2\x81\xA9") != NULL, "got %s", s);
    CHECK(strstr(s, "\xE2\x81\xA6https://vhs.example/kurse\xE2\x81\xA9.") != NULL, "trailing dot outside: %s", s);
    free(s);
    s = text_isolate_ltr("Tel. 05191 70-100, PLZ 29601");
    CHECK(strstr(s, "\xE2\x81\xA6" "05191 70-100" "\xE2\x81\xA9,") != NULL, "got %s", s);
    CHECK(strstr(s, "\xE2\x81\xA6" "29601") == NULL, "a bare postcode needs no isolation: %s", s);
    free(s);
}

/* The visual order of line 0 of text laid out as an RTL paragraph in lang. */
static void visual_rtl(const char *lang, const char *text, char *vis, size_t len)
{
    text_style st = style(lang, TEXT_DIR_RTL, 0);
    text_layout *lo = text_layout_make(te, text, &st);
    vis[0] = 0;
    if (lo) text_line_visual_utf8(lo, 0, vis, len);
    text_layout_free(lo);
}

TEST(units_keep_numbers_whole)
{
    char buf[512], line[600], vis[600];
    /* the confirmation's address in Arabic: unprotected, the postcode moves behind the town */
    visual_rtl("ar", "29601 Heidemoor", vis, sizeof vis);
    CHECK(strstr(vis, "Heidemoor 29601") != NULL, "(control) a bare postcode and town swap: %s", vis);
    CHECK(text_address(buf, sizeof buf, NULL, "Kirchplatz 3", "29601", "Heidemoor", NULL) > 0, "address composed");
    const char *nl = strchr(buf, '\n');
    CHECK(nl && strstr(nl, "29601") && strstr(nl, "Heidemoor"), "second line holds the place: %s", buf);
    snprintf(line, sizeof line, "العنوان: %s", nl ? nl + 1 : buf);
    visual_rtl("ar", line, vis, sizeof vis);
    CHECK(strstr(vis, "29601 Heidemoor") != NULL, "ar reads 29601 Heidemoor as the detail page does: %s", vis);
    text_address(buf, sizeof buf, "Rathaus", "Kirchplatz 3", "29601", "Heidemoor", "Nord");
    CHECK(strstr(buf, "Rathaus") == buf + 3 && strstr(buf, "Heidemoor – Nord"), "name first, district last: %s", buf);
    text_address(buf, sizeof buf, "", NULL, "29601", "Heidemoor", NULL);
    CHECK(!strchr(buf, '\n'), "empty parts left out: %s", buf);

    /* Urdu opening hours: the range stays in its own order, one font for both times */
    char range[128];
    i18n_format_time_range("ur", 9 * 60, 12 * 60, range, sizeof range);
    CHECK(strstr(range, "9:00") && strstr(range, "AM"), "ICU's Urdu range: %s", range);
    snprintf(line, sizeof line, "پیر %s", range);
    visual_rtl("ur", line, vis, sizeof vis);
    CHECK(strstr(vis, range) == NULL, "(control) unprotected, the range falls apart: %s", vis);
    char unit[160];
    text_unit(unit, sizeof unit, range, TEXT_UNIT_OWN);
    snprintf(line, sizeof line, "پیر %s", unit);
    visual_rtl("ur", line, vis, sizeof vis);
    CHECK(strstr(vis, range) != NULL, "ur hours read %s: %s", range, vis);
    text_style st = style("ur", TEXT_DIR_RTL, 0);
    text_layout *lo = text_layout_make(te, line, &st);
    int digit_font = -2, one_font = 1;
    for (int i = 0; lo && i < lo->nglyphs; i++) {
        UChar32 c;
        int k = lo->glyphs[i].cluster;
        U16_NEXT(lo->text16, k, lo->len16, c);
        if (c < '0' || c > '9') continue;
        if (digit_font == -2) digit_font = lo->glyphs[i].font;
        else if (lo->glyphs[i].font != digit_font) one_font = 0;
    }
    CHECK(lo && digit_font >= 0 && one_font, "9:00 and 12:00 in one font");
    text_layout_free(lo);

    /* an Arabic range inside Arabic keeps the Arabic order */
    i18n_format_time_range("ar", 9 * 60, 12 * 60, range, sizeof range);
    text_unit(unit, sizeof unit, range, TEXT_UNIT_OWN);
    snprintf(line, sizeof line, "الاثنين %s", unit);
    visual_rtl("ar", line, vis, sizeof vis);
    CHECK(strstr(vis, "م ١٢:٠٠ – ص ٩:٠٠ ") == vis, "ar: %s", vis);

    /* phone numbers in Persian and Arabic-Indic digits: groups in their order */
    static const char *const phones[] = {"۰۵۱۹۱-۱۲۳۴", "٠٥١٩١-١٢٣٤", "۰۵۱۹۱ ۱۲۳۴"};
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++) {
        text_unit(unit, sizeof unit, phones[i], TEXT_UNIT_LTR);
        snprintf(line, sizeof line, "تلفن: %s", unit);
        visual_rtl("fa", line, vis, sizeof vis);
        CHECK(strstr(vis, phones[i]) != NULL, "unit %s: %s", phones[i], vis);
        /* and found by the automatic isolation in running text too */
        snprintf(line, sizeof line, "تلفن: %s برای وقت", phones[i]);
        visual_rtl("fa", line, vis, sizeof vis);
        CHECK(strstr(vis, phones[i]) != NULL, "running text %s: %s", phones[i], vis);
    }
    /* phones one a line; a unit that does not fit is refused */
    buf[0] = 0;
    text_unit_append(buf, sizeof buf, "\n", "05191 1000", TEXT_UNIT_LTR);
    text_unit_append(buf, sizeof buf, "\n", "05191 2000", TEXT_UNIT_LTR);
    CHECK(strchr(buf, '\n') && strstr(buf, "05191 2000"), "two lines: %s", buf);
    char tiny[8];
    CHECK(text_unit(tiny, sizeof tiny, "05191 1000", TEXT_UNIT_LTR) == -1 && tiny[0] == 0, "too small refused");
    CHECK(text_unit(tiny, sizeof tiny, "0519", TEXT_UNIT_LTR) == -1 && !strcmp(tiny, "0519"), "plain when only that fits");
}

TEST(mixed_visual_order)
{
    /* Hebrew-free: Arabic word, then Latin word, in an LTR paragraph */
    text_style st = style("en", TEXT_DIR_LTR, 0);
    text_layout *lo = text_layout_make(te, "abc سلام def", &st);
    char vis[256];
    text_line_visual_utf8(lo, 0, vis, sizeof vis);
    CHECK(strcmp(vis, "abc مالس def") == 0, "visual: %s", vis);
    text_layout_free(lo);
    st = style("ar", TEXT_DIR_RTL, 0);
    lo = text_layout_make(te, "سلام abc", &st);
    text_line_visual_utf8(lo, 0, vis, sizeof vis);
    CHECK(strcmp(vis, "abc مالس") == 0, "visual: %s", vis);
    text_layout_free(lo);
}

TEST(font_per_script)
{
    text_style st = style("en", TEXT_DIR_AUTO, 0);
    text_layout *lo = text_layout_make(te, "Hello مرحبا ሰላም Привет", &st);
    CHECK(lo->missing == 0, "%d glyphs missing (tofu)", lo->missing);
    CHECK(uses_font(lo, "NotoSans-Regular.ttf"), "Latin/Cyrillic in Noto Sans");
    CHECK(uses_font(lo, "NotoNaskhArabic-Regular.ttf"), "Arabic in Naskh");
    CHECK(uses_font(lo, "NotoSansEthiopic-Regular.ttf"), "Ethiopic font");
    text_layout_free(lo);
    st = style("ur", TEXT_DIR_AUTO, 0);
    lo = text_layout_make(te, "اردو زبان", &st);
    CHECK(uses_font(lo, "NotoNastaliqUrdu-Regular.ttf"), "Urdu in Nastaliq");
    CHECK(!uses_font(lo, "NotoNaskhArabic-Regular.ttf"), "not Naskh for Urdu");
    text_layout_free(lo);
    st = style("ti", TEXT_DIR_AUTO, 0);
    lo = text_layout_make(te, "ቋንቋ ትግርኛ", &st);
    CHECK(lo->missing == 0 && uses_font(lo, "NotoSansEthiopic-Regular.ttf"), "Tigrinya shows Ethiopic glyphs");
    text_layout_free(lo);
}

TEST(arabic_joins)
{
    /* Joined Arabic is narrower than its isolated letters and uses other glyphs. */
    text_style st = style("ar", TEXT_DIR_RTL, 0);
    text_layout *joined = text_layout_make(te, "سلام", &st);
    text_layout *apart = text_layout_make(te, "س ل ا م", &st);
    CHECK(joined->nglyphs >= 3, "glyphs");
    /* the seen (cluster 0) joins its neighbour: initial form, not the isolated glyph */
    uint32_t gj = 0, ga = 0;
    for (int i = 0; i < joined->nglyphs; i++)
        if (joined->glyphs[i].cluster == 0) gj = joined->glyphs[i].gid;
    for (int i = 0; i < apart->nglyphs; i++)
        if (apart->glyphs[i].cluster == 0) ga = apart->glyphs[i].gid;
    int same = gj != 0 && ga != 0 && gj != ga;
    CHECK(same, "joined %u vs isolated %u", gj, ga);
    text_layout_free(joined);
    text_layout_free(apart);
}

TEST(line_breaking)
{
    const char *t = "Deutsch lernen von Anfang an, auch wenn Sie noch nicht lesen und schreiben können.";
    text_style st = style("de", TEXT_DIR_AUTO, 200);
    text_layout *lo = text_layout_make(te, t, &st);
    CHECK(lo->nlines >= 3, "%d lines", lo->nlines);
    int ok = 1;
    for (int i = 0; i < lo->nlines; i++) {
        if (lo->lines[i].width > 200) ok = 0;
        int s = lo->lines[i].start;
        if (s > 0 && lo->text16[s - 1] != ' ') ok = 0; /* breaks only after spaces here */
    }
    CHECK(ok, "every line fits and starts after a space");
    CHECK(lo->height > lo->nlines * 24, "lines are stacked");
    text_layout_free(lo);

    st.max_lines = 2;
    lo = text_layout_make(te, t, &st);
    CHECK(lo && lo->nlines == 2 && lo->text16[lo->len16 - 1] == 0x2026, "ellipsis after two lines");
    text_layout_free(lo);

    /* A word longer than the line is cut rather than overflowing. */
    st = style("de", TEXT_DIR_AUTO, 120);
    lo = text_layout_make(te, "Donaudampfschifffahrtsgesellschaftskapitän", &st);
    CHECK(lo->nlines >= 2 && lo->lines[0].width <= 120, "long word cut, %d lines", lo->nlines);
    text_layout_free(lo);

    /* RTL wrapping: lines right-aligned. */
    st = style("ar", TEXT_DIR_RTL, 200);
    lo = text_layout_make(te, "تعلم اللغة الألمانية من البداية حتى لو لم تكن تعرف القراءة والكتابة بعد", &st);
    CHECK(lo->nlines >= 2, "Arabic wraps");
    CHECK(lo->lines[0].x + lo->lines[0].width >= 198, "RTL line aligned right (x=%d w=%d)", lo->lines[0].x,
          lo->lines[0].width);
    text_layout_free(lo);
}

/* Whether every line of lo starts at the text's start or after a space or hyphen. */
static int lines_start_at_words(const text_layout *lo)
{
    for (int i = 0; i < lo->nlines; i++) {
        int s = lo->lines[i].start;
        if (s > 0 && lo->text16[s - 1] != ' ' && lo->text16[s - 1] != '-' && lo->text16[s - 1] != '\n') return 0;
    }
    return 1;
}

TEST(word_wider_than_line_is_set_smaller)
{
    /* a category tile with large text: "Sprachkurse" must not become "Sprachkurs" / "e" */
    text_style st = style("de", TEXT_DIR_AUTO, 0);
    st.size_px = 34;
    st.bold = 1;
    int w = 0, h = 0;
    text_measure(te, "Sprachkurse", &st, &w, &h);
    st.max_width = w * 9 / 10;
    st.align = TEXT_ALIGN_CENTER;
    text_layout *lo = text_layout_make(te, "Sprachkurse", &st);
    CHECK(lo && lo->nlines == 1 && lo->cut == 0 && lo->lines[0].width <= st.max_width,
          "one line of %d px in %d px (%d lines, %d cut)", lo ? lo->lines[0].width : -1, st.max_width, lo ? lo->nlines : -1,
          lo ? lo->cut : -1);
    text_layout_free(lo);
    lo = text_layout_make(te, "Arbeit und Sprachkurse", &st);
    CHECK(lo && lines_start_at_words(lo) && lo->cut == 0, "breaks only between words (%d lines)", lo ? lo->nlines : -1);
    text_layout_free(lo);
    st.max_lines = 2;
    lo = text_layout_make(te, "Sprachkurse für Eltern", &st);
    CHECK(lo && lines_start_at_words(lo) && lo->nlines <= 2, "with a line limit too (%d lines)", lo ? lo->nlines : -1);
    text_layout_free(lo);
}

TEST(one_line_word_wider_than_line)
{
    /* a field's label ("Telefonnummer" at 800x480) on one line, too wide even set smaller: it
     * is cut with an ellipsis; it was drawn as nothing, so the phone field had no label */
    text_style st = style("de", TEXT_DIR_AUTO, 0);
    st.size_px = 18;
    st.bold = 1;
    int w = 0, h = 0;
    text_measure(te, "Telefonnummer", &st, &w, &h);
    st.max_width = w / 2;
    st.max_lines = 1;
    text_layout *lo = text_layout_make(te, "Telefonnummer", &st);
    CHECK(lo && lo->nlines == 1 && lo->len16 > 1 && lo->text16[lo->len16 - 1] == 0x2026 && lo->lines[0].width <= st.max_width,
          "a cut word with an ellipsis (%d lines, %d units)", lo ? lo->nlines : -1, lo ? lo->len16 : -1);
    text_layout_free(lo);
    /* a word a little too wide is set smaller instead, whole */
    st.max_width = w * 9 / 10;
    lo = text_layout_make(te, "Telefonnummer", &st);
    CHECK(lo && lo->nlines == 1 && lo->len16 == 13 && lo->lines[0].width <= st.max_width, "set smaller, whole (%d units)",
          lo ? lo->len16 : -1);
    text_layout_free(lo);
    /* and a line of several words still ends at a word */
    st.max_width = w;
    lo = text_layout_make(te, "Telefonnummer oder E-Mail", &st);
    CHECK(lo && lo->nlines == 1 && lo->text16[lo->len16 - 1] == 0x2026, "several words: ellipsis");
    text_layout_free(lo);
}

TEST(invalid_utf8)
{
    text_style st = style("de", TEXT_DIR_AUTO, 0);
    text_layout *lo = text_layout_make(te, "ab\xff\xfe" "cd\xc3", &st);
    CHECK(lo != NULL && lo->nglyphs >= 4, "invalid bytes replaced, text kept");
    text_bitmap *bm = text_layout_render(te, lo);
    CHECK(bm && bm->w > 0 && bm->h > 0, "renders");
    text_bitmap_free(bm);
    text_layout_free(lo);
}

TEST(render_has_ink)
{
    text_style st = style("ti", TEXT_DIR_AUTO, 0);
    text_layout *lo = text_layout_make(te, "ትግርኛ", &st);
    text_bitmap *bm = text_layout_render(te, lo);
    long ink = 0;
    for (int i = 0; i < bm->pitch * bm->h; i++) ink += bm->pixels[i] > 128;
    CHECK(ink > 50, "ink pixels %ld", ink);
    text_bitmap_free(bm);
    text_layout_free(lo);
    /* only the rows with ink: letters without ascenders or descenders leave most of the line box */
    st = style("en", TEXT_DIR_AUTO, 0);
    lo = text_layout_make(te, "ace", &st);
    bm = text_layout_render(te, lo);
    CHECK(bm && bm->y > 0 && bm->h < lo->height * 2 / 3 && bm->y + bm->h < lo->height, "rows %d+%d of a %d px line",
          bm ? bm->y : -1, bm ? bm->h : -1, lo->height);
    text_bitmap_free(bm);
    text_layout_free(lo);
}

TEST(bad_config)
{
    text_engine *t2 = NULL;
    char err[256];
    CHECK(text_engine_open(&t2, "/nonexistent.ini", err, sizeof err) != 0 && t2 == NULL, "missing file refused");
    CHECK(strstr(err, "/nonexistent.ini") != NULL, "message names the file: %s", err);
}

/* Glyphs drawn as .notdef although some configured font has the character; the first few are
 * described into why. */
static int avoidable_tofu(const char *text, const char *lang, char *why, size_t whylen)
{
    text_style st = {.lang = lang, .size_px = 20, .dir = TEXT_DIR_AUTO,
                     .dir_default = i18n_is_rtl(lang) ? TEXT_DIR_RTL : TEXT_DIR_LTR};
    text_layout *lo = text_layout_make(te, text, &st);
    int bad = 0;
    for (int i = 0; lo && i < lo->nglyphs; i++) {
        if (lo->glyphs[i].gid != 0) continue;
        UChar32 c;
        int k = lo->glyphs[i].cluster;
        U16_NEXT(lo->text16, k, lo->len16, c);
        if (!text_font_covers(te, (uint32_t)c)) continue;
        if (!bad) snprintf(why, whylen, "U+%04X in %s, font %s: %.80s", (unsigned)c, lang,
                           text_font_name(te, lo->glyphs[i].font), text);
        bad++;
    }
    text_layout_free(lo);
    return bad;
}

static void po_noop(int s, po_message_t m, const char *f, size_t l, size_t c, int mu, const char *t)
{
    (void)s; (void)m; (void)f; (void)l; (void)c; (void)mu; (void)t;
}
static void po_noop2(int s, po_message_t m1, const char *f1, size_t l1, size_t c1, int mu1, const char *t1,
                     po_message_t m2, const char *f2, size_t l2, size_t c2, int mu2, const char *t2)
{
    (void)s; (void)m1; (void)f1; (void)l1; (void)c1; (void)mu1; (void)t1;
    (void)m2; (void)f2; (void)l2; (void)c2; (void)mu2; (void)t2;
}

TEST(no_tofu_in_translations)
{
    static const struct po_xerror_handler h = {po_noop, po_noop2};
    int strings = 0, bad = 0;
    char why[256] = "";
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *code = i18n_lang_at(i)->code;
        char path[128];
        snprintf(path, sizeof path, "translations/%s.po", code);
        po_file_t f = po_file_read(path, &h);
        if (!f) { bad++; snprintf(why, sizeof why, "cannot read %s", path); continue; }
        po_message_iterator_t it = po_message_iterator(f, NULL);
        for (po_message_t m; (m = po_next_message(it)) != NULL;) {
            const char *s = po_message_msgstr(m);
            if (s && *s) { strings++; bad += avoidable_tofu(s, code, why, sizeof why); }
            for (int k = 0; po_message_msgid_plural(m) && (s = po_message_msgstr_plural(m, k)) != NULL; k++) {
                strings++;
                bad += avoidable_tofu(s, code, why, sizeof why);
            }
        }
        po_message_iterator_free(it);
        po_file_free(f);
    }
    CHECK(strings > 1000 && bad == 0, "%d of %d strings draw tofu a font could avoid; first: %s", bad, strings, why);
}

TEST(no_tofu_in_demo_content)
{
    char path[512];
    snprintf(path, sizeof path, "%s/content/demo.db", build);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK, "open %s", path);
    /* every translated text, in its own language, and the German addresses as every language's
     * reader sees them (the Arabic comma after "Kirchplatz 3" came from there) */
    const char *sql =
        "SELECT lang, name FROM organization_i18n UNION ALL SELECT lang, description FROM organization_i18n"
        " UNION ALL SELECT lang, name FROM location_i18n UNION ALL SELECT lang, accessibility FROM location_i18n"
        " UNION ALL SELECT lang, transportation FROM location_i18n UNION ALL SELECT lang, name FROM service_i18n"
        " UNION ALL SELECT lang, summary FROM service_i18n UNION ALL SELECT lang, description FROM service_i18n"
        " UNION ALL SELECT lang, eligibility_description FROM service_i18n"
        " UNION ALL SELECT lang, fees_description FROM service_i18n UNION ALL SELECT lang, name FROM taxonomy_term_i18n"
        " UNION ALL SELECT lang, description FROM taxonomy_term_i18n UNION ALL SELECT lang, text FROM intake_question_i18n"
        " UNION ALL SELECT lang, label FROM intake_answer_i18n UNION ALL SELECT lang, reason FROM intake_answer_i18n"
        " UNION ALL SELECT l.code, x.address_1 || '، ' || x.postal_code || ' ' || x.city || '، ' || x.district"
        "   FROM location x, language l";
    sqlite3_stmt *q = NULL;
    int strings = 0, bad = 0;
    char why[256] = "";
    if (db && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *lang = (const char *)sqlite3_column_text(q, 0);
            const char *t = (const char *)sqlite3_column_text(q, 1);
            if (!lang || !t || !*t) continue;
            strings++;
            bad += avoidable_tofu(t, lang, why, sizeof why);
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(strings > 1000 && bad == 0, "%d of %d strings draw tofu a font could avoid; first: %s", bad, strings, why);
}

TEST(arabic_comma_after_latin)
{
    /* the comma's script comes from its neighbours (UAX #24 extensions): Arabic here */
    static const char *const cases[][2] = {{"fa", "(Integrationskurs)، کار"}, {"prs", "Kirchplatz 3، هایدمور"},
                                           {"ps", "Kirchplatz 3،"}, {"fa", "B1، A2"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        text_style st = style(cases[c][0], TEXT_DIR_RTL, 0);
        text_layout *lo = text_layout_make(te, cases[c][1], &st);
        int found = 0, ok = 1;
        for (int i = 0; i < lo->nglyphs; i++) {
            UChar32 ch;
            int k = lo->glyphs[i].cluster;
            U16_NEXT(lo->text16, k, lo->len16, ch);
            if (ch != 0x060C) continue;
            found = 1;
            if (lo->glyphs[i].gid == 0) ok = 0;
        }
        CHECK(found && ok && lo->missing == 0, "%s: %s drawn with .notdef (%d missing)", cases[c][0], cases[c][1],
              lo->missing);
        text_layout_free(lo);
    }
}

/* The language screen sizes its heading from the probes' line heights without shaping them:
 * the heights must be those a laid out line of each has, at every size and weight. */
TEST(line_height_from_metrics)
{
    static const char *const probes[][2] = {{"en", "Ag"}, {"ur", "بگ"}, {"ar", "بگ"}, {"ti", "ቋ"}, {"ru", "Щу"},
                                            {"ckb", "ڕێ"}, {"de", "Öß"}};
    int diff = 0, n = 0;
    for (size_t i = 0; i < sizeof probes / sizeof *probes; i++)
        for (int size = 8; size <= 96; size++)
            for (int bold = 0; bold < 2; bold++) {
                text_style st = {.lang = probes[i][0], .size_px = size, .bold = bold, .max_width = 1920,
                                 .max_lines = 1, .dir = i18n_is_rtl(probes[i][0]) ? TEXT_DIR_RTL : TEXT_DIR_LTR};
                text_layout *lo = text_layout_make(te, probes[i][1], &st);
                int h = text_line_height(te, probes[i][1], &st);
                if (!lo || h != lo->height) {
                    diff++;
                    printf("  %s %s %d px%s: %d from metrics, %d laid out\n", probes[i][0], probes[i][1], size,
                           bold ? " bold" : "", h, lo ? lo->height : -1);
                }
                n++;
                text_layout_free(lo);
            }
    CHECK(diff == 0 && n > 100, "%d of %d heights differ", diff, n);
    text_style st = {.lang = "en", .size_px = 20};
    CHECK(text_line_height(te, "", &st) == 0, "no letters, no height");
}

/* How many mappings of a file named name the process has. */
static int mappings_of(const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int n = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *slash = strrchr(line, '/');
        if (slash && !strncmp(slash + 1, name, strlen(name)) && slash[1 + strlen(name)] == '\n') n++;
    }
    if (f) fclose(f);
    return n;
}

/* FreeType reads a font with pread and HarfBuzz maps it when it first shapes with it: a font only
 * measured (the language screen's heading measures every script) costs no file pages, and one
 * shaped and drawn at several sizes is mapped once (each mapping's pages count in the resident set). */
TEST(fonts_mapped_only_to_shape)
{
    text_engine *t2;
    char err[256];
    CHECK(text_engine_open(&t2, "fonts/fallback.ini", err, sizeof err) == 0, "%s", err);
    if (!t2) return;
    /* the other tests' engine may have mapped it already */
    const char *f = "NotoSansEthiopic-Regular.ttf";
    int before = mappings_of(f);
    text_style st = {.lang = "ti", .size_px = 24};
    CHECK(text_line_height(t2, "ቋ", &st) > 24, "Ethiopic measured");
    CHECK(mappings_of(f) == before, "%d mappings after measuring, %d before", mappings_of(f), before);
    int ink = 0;
    for (int size = 20; size <= 40; size += 10) {
        st.size_px = size;
        text_layout *lo = text_layout_make(t2, "ትግርኛ", &st);
        text_bitmap *bm = lo ? text_layout_render(t2, lo) : NULL;
        for (int i = 0; bm && i < bm->h * bm->pitch; i++) ink |= bm->pixels[i] != 0;
        text_bitmap_free(bm);
        text_layout_free(lo);
    }
    CHECK(ink, "Ethiopic drawn");
    CHECK(mappings_of(f) == before + 1, "%d mappings after three sizes, %d before", mappings_of(f), before);
    text_engine_close(t2);
    CHECK(mappings_of(f) == before, "unmapped when closed");
}

/* Whether lo's lines follow each other from the text's start to its end, each within width,
 * holding glyphs only of its own characters (about one each, bar its trailing spaces). */
static int lines_hold_their_glyphs(const text_layout *lo, int width, char *why, size_t whylen)
{
    int at = 0, glyphs = 0;
    for (int i = 0; i < lo->nlines; i++) {
        const text_line *ln = &lo->lines[i];
        if (ln->start != at || ln->end < ln->start || ln->width > width) {
            snprintf(why, whylen, "line %d: [%d, %d) after %d, %d px", i, ln->start, ln->end, at, ln->width);
            return 0;
        }
        int letters = ln->end - ln->start;
        while (letters > 0 && lo->text16[ln->start + letters - 1] == ' ') letters--;
        int mine = 0;
        for (int g = ln->first_glyph; g < ln->first_glyph + ln->nglyphs; g++)
            mine += lo->glyphs[g].cluster >= ln->start && lo->glyphs[g].cluster < ln->end;
        /* a ligature (lam-alef) is one glyph for two letters */
        if (mine != ln->nglyphs || ln->nglyphs > letters || ln->nglyphs < letters * 3 / 4) {
            snprintf(why, whylen, "line %d: %d glyphs, %d of its own, for %d letters", i, ln->nglyphs, mine, letters);
            return 0;
        }
        glyphs += ln->nglyphs;
        at = ln->end;
    }
    if (at != lo->len16 || glyphs != lo->nglyphs) {
        snprintf(why, whylen, "lines end at %d of %d, hold %d of %d glyphs", at, lo->len16, glyphs, lo->nglyphs);
        return 0;
    }
    return 1;
}

/* Long paragraphs (the 4,000 letters a description may have), one word or many, left to right,
 * right to left and both: each line holds its own glyphs, found among the item's by halving. */
TEST(long_paragraphs_lay_out_whole)
{
    static char text[3][16384];
    memset(text[0], 'x', 4000);
    text[0][4000] = 0;
    for (int i = 0; i < 60; i++) strcat(text[1], "تعلم اللغة الألمانية من البداية ");
    for (int i = 0; i < 50; i++) strcat(text[2], i % 3 ? "Deutschkurs für Anfänger " : "دورة اللغة 12 ");
    const char *lang[3] = {"de", "ar", "ar"};
    for (int k = 0; k < 3; k++) {
        text_style st = style(lang[k], TEXT_DIR_AUTO, 300);
        text_layout *lo = text_layout_make(te, text[k], &st);
        char why[160] = "";
        CHECK(lo && lo->nlines > 10 && lines_hold_their_glyphs(lo, 300, why, sizeof why) && lo->missing == 0,
              "text %d: %d lines, %s", k, lo ? lo->nlines : -1, why);
        text_layout_free(lo);
    }
}

/* A paragraph that fits is one line without a line breaker; a forced break inside still breaks. */
TEST(fitting_line_needs_no_breaker)
{
    text_style st = style("sq", TEXT_DIR_AUTO, 1000);
    text_layout *lo = text_layout_make(te, "Mësoni gjermanisht", &st);
    CHECK(lo && lo->nlines == 1 && lo->lines[0].start == 0 && lo->lines[0].end == lo->len16, "one line");
    int whole = lo ? lo->lines[0].width : 0;
    text_layout_free(lo);
    int opened = 0;
    for (int i = 0; i < TEXT_BRK_KEEP; i++) opened += te->brk[i].bi && !strcmp(te->brk[i].lang, "sq");
    CHECK(!opened, "no Albanian breaker opened");
    /* one word too wide for its line, cut or ended with an ellipsis: it has no break opportunity
     * inside, and still no breaker is opened (the header's "Startseite" at the first frame) */
    st.max_width = whole / 4;
    lo = text_layout_make(te, "Gjermanisht", &st);
    CHECK(lo && lo->nlines >= 2 && lo->lines[0].width <= whole / 4, "cut into %d lines", lo ? lo->nlines : -1);
    text_layout_free(lo);
    st.max_lines = 1;
    lo = text_layout_make(te, "Gjermanisht", &st);
    CHECK(lo && lo->nlines == 1 && lo->truncated && lo->text16[lo->len16 - 1] == 0x2026 && lo->lines[0].width <= whole / 4,
          "one line ending in an ellipsis");
    text_layout_free(lo);
    opened = 0;
    for (int i = 0; i < TEXT_BRK_KEEP; i++) opened += te->brk[i].bi && !strcmp(te->brk[i].lang, "sq");
    CHECK(!opened, "no Albanian breaker opened for one word");
    st.max_lines = 0;
    st.max_width = whole - 1;
    lo = text_layout_make(te, "Mësoni gjermanisht", &st);
    CHECK(lo && lo->nlines == 2 && lines_start_at_words(lo), "wraps at the space (%d lines)", lo ? lo->nlines : -1);
    text_layout_free(lo);
    st.max_width = 1000;
    lo = text_layout_make(te, "Mësoni\u2028gjermanisht", &st);
    CHECK(lo && lo->nlines == 2, "a line separator breaks (%d lines)", lo ? lo->nlines : -1);
    text_layout_free(lo);
}

int main(int argc, char **argv)
{
    if (argc > 1) build = argv[1];
    char err[256];
    if (text_engine_open(&te, "fonts/fallback.ini", err, sizeof err) != 0) {
        printf("FAIL open: %s\n", err);
        return 1;
    }
    RUN(phone_in_arabic_reads_left_to_right);
    RUN(email_and_url_isolated);
    RUN(mixed_visual_order);
    RUN(units_keep_numbers_whole);
    RUN(font_per_script);
    RUN(arabic_joins);
    RUN(line_breaking);
    RUN(word_wider_than_line_is_set_smaller);
    RUN(one_line_word_wider_than_line);
    RUN(invalid_utf8);
    RUN(render_has_ink);
    RUN(bad_config);
    RUN(arabic_comma_after_latin);
    RUN(line_height_from_metrics);
    RUN(fonts_mapped_only_to_shape);
    RUN(fitting_line_needs_no_breaker);
    RUN(long_paragraphs_lay_out_whole);
    RUN(no_tofu_in_translations);
    RUN(no_tofu_in_demo_content);
    text_engine_close(te);
    CHECK_DONE();
}
