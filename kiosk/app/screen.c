/*
 * screen.c: the one table of screens (state.h). Adding a screen: the enum, a row here, a draw
 * function in ui.c's table, and its words in speak.c; the compiler checks each against the enum.
 */
#include "state.h"

#include <assert.h>
#include <string.h>

static const screen_info screens[] = {
    [SCREEN_ATTRACT] = {"attract", SCREEN_ATTRACT, SCREENF_ACCESS},
    [SCREEN_CATEGORIES] = {"categories", SCREEN_ATTRACT, SCREENF_SEARCH | SCREENF_ACCESS},
    [SCREEN_LIST] = {"list", SCREEN_CATEGORIES, SCREENF_SEARCH | SCREENF_ACCESS},
    [SCREEN_DETAIL] = {"detail", SCREEN_LIST, SCREENF_SEARCH | SCREENF_ACCESS},
    [SCREEN_PIN] = {"pin", SCREEN_ATTRACT, SCREENF_STAFF},
    [SCREEN_STAFF] = {"staff", SCREEN_ATTRACT, SCREENF_STAFF},
    [SCREEN_SEARCH] = {"search", SCREEN_CATEGORIES, SCREENF_ACCESS},
    [SCREEN_QUESTION] = {"question", SCREEN_CATEGORIES, SCREENF_ACCESS},
    [SCREEN_MATCHES] = {"matches", SCREEN_QUESTION, SCREENF_SEARCH | SCREENF_ACCESS},
    [SCREEN_BOOK_DAY] = {"book-day", SCREEN_DETAIL, SCREENF_ACCESS},
    [SCREEN_BOOK_TIME] = {"book-time", SCREEN_BOOK_DAY, SCREENF_ACCESS},
    [SCREEN_BOOK_DETAILS] = {"book-details", SCREEN_BOOK_TIME, SCREENF_ACCESS},
    [SCREEN_BOOK_CONSENT] = {"book-consent", SCREEN_BOOK_DETAILS, SCREENF_ACCESS},
    [SCREEN_BOOK_DONE] = {"book-done", SCREEN_DETAIL, SCREENF_ACCESS},
    [SCREEN_CODE] = {"code", SCREEN_CATEGORIES, SCREENF_ACCESS},
};
_Static_assert(sizeof screens / sizeof screens[0] == SCREEN_COUNT, "one row per screen");

const screen_info *screen_info_of(enum screen s)
{
    assert(s < SCREEN_COUNT && screens[s].name);
    return &screens[s < SCREEN_COUNT ? s : SCREEN_ATTRACT];
}

enum screen screen_by_name(const char *name)
{
    for (int i = 0; i < SCREEN_COUNT; i++)
        if (!strcmp(screens[i].name, name)) return (enum screen)i;
    return SCREEN_COUNT;
}
