/*
 * Language facts: one table (i18n) that the keyboard, speech and synthetic content read. Every
 * language names its script, a keyboard layout that exists, and a voice exactly when espeak-ng
 * can read it.
 * Usage: test_langs BUILD_DIR
 */
#include "check.h"
#include "i18n/i18n.h"
#include "platform/speech.h"
#include "ui/ui.h"

#include <string.h>

TEST(one_table)
{
    CHECK(i18n_lang_count() == I18N_LANGS, "%d languages", i18n_lang_count());
    int bad = 0;
    for (int i = 0; i < i18n_lang_count(); i++) {
        const i18n_lang *l = i18n_lang_at(i);
        int script = l->script && (!strcmp(l->script, "Latn") || !strcmp(l->script, "Arab") ||
                                   !strcmp(l->script, "Cyrl") || !strcmp(l->script, "Ethi"));
        /* right to left exactly for the Arabic script */
        if (!script || l->rtl != !strcmp(l->script, "Arab") || !l->keyboard ||
            strcmp(ui_keyboard_for_lang(l->code), l->keyboard) || speech_has_voice(l->code) != (l->voice != NULL)) {
            printf("%s: script %s keyboard %s voice %s\n", l->code, l->script ? l->script : "-",
                   l->keyboard ? l->keyboard : "-", l->voice ? l->voice : "-");
            bad++;
        }
    }
    CHECK(bad == 0, "%d languages with missing or inconsistent facts", bad);
    CHECK(!strcmp(ui_keyboard_for_lang("prs"), "fa") && !strcmp(ui_keyboard_for_lang("uk"), "cyrl") &&
              !strcmp(ui_keyboard_for_lang("xx"), "latin"),
          "Dari types on the Persian keys, Ukrainian on Cyrillic, an unknown code on Latin");
    CHECK(speech_has_voice("prs") && !speech_has_voice("ckb") && !speech_has_voice("ti"),
          "Dari is read by the Persian voice; Sorani and Tigrinya have none");
}

int main(void)
{
    RUN(one_table);
    CHECK_DONE();
}
