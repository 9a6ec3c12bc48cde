/*
 * lint: checks content sources the way a content editor needs: everything pack_build refuses
 * (bad JSON, impossible values, texts past their maxima, icons outside the pictogram folder,
 * broken references), with file, line and field, plus a translation coverage table and the
 * characters the kiosk's fonts cannot draw.
 */
#ifndef KIOSK_LINT_H
#define KIOSK_LINT_H

#include <stdio.h>

/*
 * Check the sources in src_dir and print findings and the coverage table (language x offers
 * complete / machine-translated / outdated / partial / missing) to out. With fonts_conf (the
 * kiosk's fonts/fallback.ini; NULL or unreadable: not checked, and out says so) also warn of
 * every character in a text that no font of the kiosk has, which it would draw as a box (an
 * emoji, Hebrew or Syriac letters): a warning, the sources still build. Returns 0 when the
 * sources build, 1 when they do not.
 */
int lint_sources(const char *src_dir, const char *fonts_conf, FILE *out);

#endif
