/*
 * integreat_priv.h: what the parts of the Integreat importer share (integreat.c: the run, POIs
 * and the mapping; integreat_event.c: events and their RRULEs; integreat_page.c: information
 * pages; integreat_fetch.c: the API over HTTPS). One import's state is one ig.
 */
#ifndef KIOSK_IMPORT_INTEGREAT_PRIV_H
#define KIOSK_IMPORT_INTEGREAT_PRIV_H

#include "import_read.h"

typedef struct ig {
    char *err;
    size_t errlen;
    FILE *report;
    const char *src;     /* folder of saved answers */
    const char *region;
    const char *cainfo;  /* CA bundle to trust for the API (NULL: the system's) */
    char today[11];
    json_t *map;         /* integreat-categories.json */
    json_t *cats;        /* our category ids */
    json_t *langs;       /* the region's languages the kiosk knows, German first (our codes) */
    json_t *codes;       /* the same languages as Integreat names them (folders, available_languages) */
    json_t *orgs;        /* our id -> organization source */
    json_t *offers;      /* our id -> offer source */
    json_t *unmapped;    /* "id name" -> count */
    json_t *seen_langs;
} ig;

/* Integreat's record id as a number for messages. */
static inline long long ig_rid(json_t *rec) { return (long long)json_integer_value(json_object_get(rec, "id")); }

extern const char *const ig_days[7]; /* MO..SU */

/* Our id from the record's path ("/augsburg/de/locations/caritas-beratung/"), refused when taken. */
int ig_id_of(ig *g, const char *file, json_t *rec, char *out, size_t len);
/* The last segment of the record's path as an id ("" when none is usable). */
void ig_path_slug(json_t *rec, char *out, size_t len);
/* The organization an entity belongs to (Integreat's organization object, else the fallback),
 * created on first sight; its id. */
const char *ig_org_for(ig *g, json_t *org, const char *fallback_id, const char *fallback_name);
/* The organization org (Integreat's object; may be NULL), else the region itself
 * ("integreat-REGION"): for events and pages. */
const char *ig_region_org(ig *g, json_t *org, const char *region_name);
/* A location of org from Integreat's location object; NULL when it has no address. */
const char *ig_place_for(ig *g, const char *org, json_t *loc, const char *word, int barrier_free);
/* The i18n object of German record de: de itself and its translations in idx[lang] through
 * available_languages (what names the answer: "locations", "events", "pages"). */
int ig_add_translations(ig *g, const char *what, const char *file, json_t *de, json_t **idx, json_t *i18n);
/* Count one left-out entry under key for the report. */
void ig_count_unmapped(ig *g, const char *key);
/* Our categories from a mapping value (a category id or a list of them) as a new list. */
json_t *ig_categories(json_t *mapping);

/* One German event (integreat_event.c). */
int ig_event(ig *g, const char *file, json_t *de, json_t **idx, const char *region_name);
/* The German pages list (integreat_page.c); idx are the pages of every language by id. */
int ig_pages(ig *g, const char *file, json_t *list, json_t **idx, const char *region_name);

/* Integreat's language code as ours; NULL when the kiosk has no such language. */
const char *ig_our_lang(json_t *l);
/* Save the API's answers for the region under dir, as a saved-answers folder (integreat_fetch.c). */
int ig_download(ig *g, const char *base_url, const char *dir);

#endif
