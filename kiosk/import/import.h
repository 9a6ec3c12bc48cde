/*
 * import: content from where districts already keep it, into this project's JSON sources
 * (content/README.md), and back out. Open Referral HSDS 3.0 (JSON and tabular CSV) both ways,
 * spreadsheets saved as CSV, and gettext PO files for translators. Every importer writes a
 * whole source tree beside the target and renames it into place, so a refused input never
 * leaves a partial tree; `kiosk-pack build` then makes the pack as for hand-written sources.
 *
 * Owns the conversions and the trees they write. May not touch: a content database other than
 * reading it for an export (the pack room builds them), the kiosk's own state, or the network
 * beyond the Integreat API it is pointed at; tool-only (kiosk-pack links it, the firmware not).
 * Every path is made in PATH_MAX with imp_path: one that does not fit is refused, never cut.
 */
#ifndef KIOSK_IMPORT_H
#define KIOSK_IMPORT_H

#include <stddef.h>
#include <stdio.h>

/* Why an import or export was refused (imp_strerror); the detail names file, record and field. */
enum imp_err {
    IMP_OK = 0,
    IMP_ERR_IO,        /* a file could not be read or written */
    IMP_ERR_SYNTAX,    /* not well-formed JSON or CSV (truncated, bad quoting) */
    IMP_ERR_UNMAPPED,  /* a value this kiosk's content cannot express */
    IMP_ERR_MISSING,   /* a required record or field is absent */
    IMP_ERR_DUPLICATE, /* two records with one id */
    IMP_ERR_TOO_BIG,   /* a file or field beyond the sizes a district's content has */
    IMP_ERR_LANGUAGE,  /* a language this kiosk does not know */
    IMP_ERR_DB,        /* the content database could not be read */
};

const char *imp_strerror(int err);

/*
 * Write a content database as HSDS 3.0 into out_dir: out_dir/json/ (services.json,
 * organizations.json, taxonomy_terms.json: arrays of HSDS objects, services nested as the
 * "compiled" schema), out_dir/tabular/ (one CSV per HSDS table and datapackage.json), and
 * out_dir/pictograms/ (category icons). What HSDS has no field for (translations, the summary,
 * the IANA time zone, bookable slots, closed days, the pack's own settings, the guided
 * questions) goes into x_kiosk_* fields and files, documented in content/README.md. Returns IMP_OK or an imp_err with detail in err.
 */
int imp_export_hsds(const char *db_path, const char *out_dir, char *err, size_t errlen);

/*
 * Read HSDS 3.0 from src_dir (JSON: services.json and optionally organizations.json,
 * taxonomy_terms.json, x_kiosk_pack.json, x_kiosk_intake.json; tabular: datapackage.json and the CSVs it lists, ;
 * or , separated, UTF-8 or Windows-1252) and write JSON sources to out_dir. Notes about what
 * was skipped go to report (may be NULL).
 */
int imp_import_hsds(const char *src_dir, const char *out_dir, FILE *report, char *err, size_t errlen);

/*
 * A caseworker's sheet of offers (CSV as spreadsheet programs save it; layout in
 * content/README.md) into sources at out_dir, with pack.json, categories.json and the
 * category pictograms taken from the source folder base_dir.
 */
int imp_import_sheet(const char *sheet_path, const char *base_dir, const char *out_dir, FILE *report, char *err,
                     size_t errlen);

/*
 * An Integreat region into sources at out_dir. src is a folder of saved API v3 answers
 * (src/regions.json, src/REGION/LANG/{locations,events,pages}.json) or an instance's base URL
 * (fetched with libcurl from BASE/api/v3/...; TLS always verified, against the system's CAs or,
 * when ca_file is not NULL, the certificates in that PEM file). base_dir (NULL: out_dir itself,
 * so a re-import keeps them) holds pack.json, categories.json and integreat-categories.json, the
 * district's mapping of Integreat categories (and of the page tree) onto ours. Points of
 * interest, events and information pages become offers. Unmapped categories and pages, languages
 * the kiosk has not, closed and past entries are reported and left out.
 */
int imp_import_integreat(const char *src, const char *region, const char *out_dir, const char *base_dir,
                         const char *ca_file, FILE *report, char *err, size_t errlen);

/*
 * The texts of the sources in src_dir as a PO file for translators into lang: msgctxt
 * "offers/ID#field" (entity and field), msgid the German text, msgstr the translation;
 * machine-made and outdated translations fuzzy. Written beside out_po and renamed.
 */
int imp_po_export(const char *src_dir, const char *lang, const char *out_po, char *err, size_t errlen);

/*
 * A translated PO file back into the sources (rewritten beside and switched): an entity's
 * translation becomes "complete" when all its entries were reviewed (not fuzzy), "outdated"
 * when an entry's msgid is no longer the German text, else "machine". Entries naming no
 * entity or field of the sources, another language, or a malformed file are refused.
 */
int imp_po_import(const char *src_dir, const char *lang, const char *po_path, FILE *report, char *err, size_t errlen);

/* The kiosk-pack lines for this room's subcommands. */
const char *imp_usage(void);

/*
 * Run argv[1] if it is one of this room's kiosk-pack subcommands: returns 0 or 1 (done,
 * messages on msgs), 2 (wrong usage), or -1 when argv[1] is not one of them.
 */
int imp_command(int argc, char **argv, FILE *msgs);

#endif
