/*
 * pack: content packs. A pack's payload is a content database (SQLite as the application file
 * format, schema in store.h). This room turns editable JSON sources (content/README.md) into
 * that database, and makes synthetic ones for benchmarks. Shared by kiosk-pack and the kiosk.
 *
 * Owns the pack format, building, signing (sign.h, tool-only), publishing and installing.
 * May not touch: the kiosk's own state database (the clock floor is handed in and back by the
 * caller), the UI, or the store's queries (it writes the schema store.h declares and has the
 * store index it). Paths are made with fmt_fit/fmt_path: one that does not fit is refused.
 */
#ifndef KIOSK_PACK_H
#define KIOSK_PACK_H

#include <stddef.h>

/*
 * Build a content database at out_path from the source folder src_dir (pack.json,
 * categories.json, organizations/, offers/; pictograms from src_dir/pictograms or
 * src_dir/../pictograms). Every value is checked (content/README.md, "Checks and limits");
 * an icon must resolve inside the pictogram folder. The file appears only when complete
 * (written beside it, then renamed). Returns 0, or -1 with "FILE:LINE: FIELD: problem" in err
 * (no LINE or FIELD where the problem has none, e.g. a dangling reference).
 */
int pack_build(const char *src_dir, const char *out_path, char *err, size_t errlen);

/*
 * FTS5's own integrity-check of both search indexes of the content database at db_path (a
 * connection that may write: FTS5 takes the check as a command; nothing is changed). The
 * publisher's side: pack_build runs it on what it built (so kiosk-pack build and lint) and
 * pack_sign on what it signs, so a pack with a damaged index is never signed by our tool. It cost
 * 1.5 s of CPU on the 113 MB synthetic database, which a kiosk's install no longer spends (it
 * probes the index through SQL, install_check.c). A database without such a table is left to
 * the kiosk's schema check. Returns 0, or -1 with err.
 */
int pack_check_search_integrity(const char *db_path, char *err, size_t errlen);

/*
 * A synthetic content database: noffers offers across the ten demo categories, every text in
 * nlangs languages (the first nlangs of the kiosk's language list). Deterministic for a seed.
 * Category icons are taken from pictogram_dir when given.
 */
int pack_synth(const char *out_path, int noffers, int nlangs, unsigned seed, const char *pictogram_dir, char *err,
               size_t errlen);

#endif
