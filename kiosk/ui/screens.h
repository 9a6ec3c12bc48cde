/*
 * screens.h: one draw function per screen (screens.c, find.c, book.c, staff.c), each drawing
 * app_state alone with widgets. ui.c calls them from its table; nothing else does.
 */
#ifndef KIOSK_UI_SCREENS_H
#define KIOSK_UI_SCREENS_H

#include "widgets.h"

/* screens.c */
void screen_attract(frame *f);
void screen_categories(frame *f);
void screen_list(frame *f);
void screen_detail(frame *f);
void screen_overlay_countdown(frame *f);
/* find.c */
void screen_search(frame *f);
void screen_question(frame *f);
void screen_matches(frame *f);
/* book.c */
void screen_book_day(frame *f);
void screen_book_time(frame *f);
void screen_book_details(frame *f);
void screen_book_consent(frame *f);
void screen_book_done(frame *f);
void screen_code(frame *f);
/* staff.c */
void screen_pin(frame *f);
void screen_staff(frame *f);

#endif
