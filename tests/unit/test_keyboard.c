/*
 * The on-screen keyboards' keys: the booking-code keyboard is made of the code alphabet, every
 * letter of it once and nothing else (a key the alphabet lacks types a code that cannot exist, a
 * missing one a code that cannot be typed); every language's layout has keys.
 * Usage: test_keyboard BUILD_DIR
 */
#include "check.h"
#include "booking/code.h"
#include "i18n/i18n.h"
#include "ui/ui.h"

#include <string.h>

TEST(code_keys_are_the_alphabet)
{
    char keys[16][8];
    int seen[128] = {0}, stray = 0, total = 0, rows = 0;
    for (int r = 0; r < 8; r++) {
        int n = ui_keyboard_keys("code", r, keys, 16);
        rows += n > 0;
        for (int k = 0; k < n; k++, total++) {
            unsigned char c = (unsigned char)keys[k][0];
            if (!c || keys[k][1] || c >= 128 || !strchr(BOOKING_CODE_ALPHABET, c)) {
                stray++;
                printf("  a key not in the alphabet: \"%s\"\n", keys[k]);
            } else {
                seen[c]++;
            }
        }
    }
    int missing = 0, twice = 0;
    for (const char *c = BOOKING_CODE_ALPHABET; *c; c++) {
        if (!seen[(unsigned char)*c]) printf("  no key for %c\n", *c);
        missing += !seen[(unsigned char)*c];
        twice += seen[(unsigned char)*c] > 1;
    }
    CHECK(rows == 3 && stray == 0, "three rows, every key a letter of the alphabet (%d rows, %d stray)", rows, stray);
    CHECK(missing == 0 && twice == 0 && total == (int)strlen(BOOKING_CODE_ALPHABET),
          "every letter of the alphabet has one key (%d missing, %d twice, %d keys)", missing, twice, total);
}

TEST(every_language_has_keys)
{
    char keys[16][8];
    int bad = 0;
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *layout = ui_keyboard_for_lang(i18n_lang_at(i)->code);
        if (ui_keyboard_keys(layout, 0, keys, 16) < 3) {
            printf("  %s: layout %s has no keys\n", i18n_lang_at(i)->code, layout);
            bad++;
        }
    }
    CHECK(bad == 0, "each language's layout exists and has keys (%d without)", bad);
    CHECK(ui_keyboard_keys("nope", 0, keys, 16) == 0 && ui_keyboard_keys("code", 3, keys, 16) == 0,
          "no keys for an unknown layout or past the last row");
}

int main(void)
{
    RUN(code_keys_are_the_alphabet);
    RUN(every_language_has_keys);
    CHECK_DONE();
}
