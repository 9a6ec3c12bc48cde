/* Unit tests of the text engine: visual order, isolation, font choice, line breaking. */
#include "check.h"
#include "text/text.h"

#include <string.h>

static text_engine *te;

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
    /* the Arabic words are reversed visually: the last word comes first */
    CHECK(strncmp(vis, "ملضف", strlen("ملضف")) == 0 || strstr(vis, "+49") > vis, "visual: %s", vis);
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
}

TEST(bad_config)
{
    text_engine *t2 = NULL;
    char err[256];
    CHECK(text_engine_open(&t2, "/nonexistent.ini", err, sizeof err) != 0 && t2 == NULL, "missing file refused");
    CHECK(strstr(err, "/nonexistent.ini") != NULL, "message names the file: %s", err);
}

int main(void)
{
    char err[256];
    if (text_engine_open(&te, "fonts/fallback.ini", err, sizeof err) != 0) {
        printf("FAIL open: %s\n", err);
        return 1;
    }
    RUN(phone_in_arabic_reads_left_to_right);
    RUN(email_and_url_isolated);
    RUN(mixed_visual_order);
    RUN(font_per_script);
    RUN(arabic_joins);
    RUN(line_breaking);
    RUN(invalid_utf8);
    RUN(render_has_ink);
    RUN(bad_config);
    text_engine_close(te);
    CHECK_DONE();
}
