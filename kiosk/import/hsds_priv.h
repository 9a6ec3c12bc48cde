/*
 * hsds_priv.h: what the two halves of the HSDS importer share: hsds_read.c reads the JSON
 * or tabular form into HSDS's nested JSON; hsds_import.c maps that onto our sources.
 */
#ifndef KIOSK_IMPORT_HSDS_PRIV_H
#define KIOSK_IMPORT_HSDS_PRIV_H

#include "import_read.h"

typedef struct importer {
    char *err;
    size_t errlen;
    FILE *report;
    char file[PATH_MAX];    /* the file records came from, for messages */
    char pict[PATH_MAX];    /* pictograms beside the source */
    char intake_file[PATH_MAX]; /* where x_kiosk_intake came from, for messages */
    json_t *orgs;       /* HSDS id -> organization */
    json_t *locs;       /* HSDS id -> location */
    json_t *loc_owner;  /* location HSDS id -> organization HSDS id */
    json_t *terms;      /* HSDS id -> taxonomy_term */
    json_t *slugs;      /* HSDS id -> our id, per kind: "kind:" + HSDS id */
    json_t *taken;      /* "kind:" + our id -> HSDS id, to catch two records becoming one */
    json_t *used_terms; /* HSDS id -> true */
    json_t *seen_langs; /* code -> true */
    json_t *offers;     /* our offer sources */
    const char *zone;   /* the pack's zone (x_kiosk_pack's "timezone", else STORE_DEFAULT_ZONE) */
} importer;

/*
 * The nested form (services, organizations, taxonomy terms; ext: x_kiosk_pack, intake:
 * x_kiosk_intake, either may be NULL) as a source tree at out_dir.
 */
int hsds_to_sources(importer *im, json_t *services, json_t *orgs, json_t *terms, json_t *ext, json_t *intake,
                    const char *out_dir);

#endif
