/*
 * hsds_read.c: the two forms of HSDS 3.0 read into its nested JSON form (hsds_priv.h): JSON
 * files as they are (arrays, or paginated API answers), and the tabular form (datapackage.json
 * and one CSV per table) assembled by nesting child tables under their parents' ids.
 */
#include "hsds_priv.h"

#include <stdlib.h>
#include <string.h>

/* An HSDS list: a JSON array, or a paginated API answer {"contents": [...]}. */
static json_t *list_of(json_t *j)
{
    if (json_is_array(j)) return j;
    return json_is_array(json_object_get(j, "contents")) ? json_object_get(j, "contents") : NULL;
}

static int load_list(importer *im, const char *dir, const char *name, int required, json_t **out)
{
    char path[PATH_MAX];
    *out = NULL;
    int rc = imp_path(path, im->err, im->errlen, "%s/%s", dir, name);
    if (rc) return rc;
    if (!exists(path)) {
        if (!required) return IMP_OK;
        return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s", path);
    }
    json_t *j = imp_load_json(path, &rc, im->err, im->errlen);
    if (!j) return rc;
    if (!list_of(j)) {
        json_decref(j);
        return imp_fail(im->err, im->errlen, IMP_ERR_SYNTAX, "%s: not a list of records", path);
    }
    *out = json_incref(list_of(j));
    json_decref(j);
    memcpy(im->file, path, sizeof im->file); /* both PATH_MAX */
    return IMP_OK;
}

static int import_json(importer *im, const char *dir, const char *out_dir)
{
    json_t *svcs = NULL, *orgs = NULL, *terms = NULL, *ext = NULL, *intake = NULL;
    int rc = load_list(im, dir, "organizations.json", 0, &orgs);
    if (!rc) rc = load_list(im, dir, "taxonomy_terms.json", 0, &terms);
    char path[PATH_MAX];
    if (!rc) rc = imp_path(path, im->err, im->errlen, "%s/x_kiosk_pack.json", dir);
    if (!rc && exists(path)) ext = imp_load_json(path, &rc, im->err, im->errlen);
    if (!rc) rc = imp_path(im->intake_file, im->err, im->errlen, "%s/x_kiosk_intake.json", dir);
    if (!rc && exists(im->intake_file)) intake = imp_load_json(im->intake_file, &rc, im->err, im->errlen);
    if (!rc) rc = load_list(im, dir, "services.json", 1, &svcs);
    if (!rc) rc = hsds_to_sources(im, svcs, orgs, terms, ext, intake, out_dir);
    json_decref(svcs);
    json_decref(orgs);
    json_decref(terms);
    json_decref(ext);
    json_decref(intake);
    return rc;
}

/* Columns that HSDS types as numbers; everything else stays text. */
static int numeric_col(const char *c)
{
    static const char *const cols[] = {"latitude", "longitude", "interval", "timezone", "count", "extension",
                                       "minimum_age", "maximum_age", "year_incorporated", "x_kiosk_order",
                                       "x_kiosk_slot_minutes", "x_kiosk_capacity"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (!strcmp(c, cols[i])) return 1;
    return 0;
}

/* One CSV as an array of objects (empty cells left out); each row remembers its row number. */
static int load_table(importer *im, const char *dir, const char *name, json_t **out)
{
    char path[PATH_MAX];
    *out = json_array();
    int rc = imp_path(path, im->err, im->errlen, "%s/%s.csv", dir, name);
    if (rc || !exists(path)) return rc;
    imp_csv c;
    rc = imp_csv_read(path, &c, im->err, im->errlen);
    if (rc) return rc;
    for (size_t r = 1; r < c.rows && !rc; r++) {
        json_t *o = json_object();
        json_array_append_new(*out, o);
        json_object_set_new(o, "_row", json_integer((json_int_t)r + 1));
        for (size_t k = 0; k < c.cols; k++) {
            const char *col = imp_csv_cell(&c, 0, k), *v = imp_csv_cell(&c, r, k);
            if (!v[0] || !col[0]) continue;
            if (numeric_col(col)) {
                char *end;
                double d = strtod(v, &end);
                if (*end) {
                    rc = imp_fail(im->err, im->errlen, IMP_ERR_SYNTAX, "%s:%zu:%zu: %s: not a number", path, r + 1,
                                  k + 1, col);
                    break;
                }
                json_object_set_new(o, col, d == (double)(json_int_t)d && !strchr(v, '.') ? json_integer((json_int_t)d)
                                                                                           : json_real(d));
            } else if (!strcmp(col, "x_kiosk_closed")) {
                json_t *a = json_array();
                char *cp = strdup(v), *save = NULL;
                for (char *t = strtok_r(cp, " ", &save); t; t = strtok_r(NULL, " ", &save))
                    json_array_append_new(a, json_string(t));
                free(cp);
                json_object_set_new(o, col, a);
            } else {
                json_object_set_new(o, col, json_string(v));
            }
        }
    }
    imp_csv_free(&c);
    return rc;
}

/* rows grouped under key: key value -> array of rows */
static json_t *group_by(json_t *rows, const char *key)
{
    json_t *g = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *k = jstr(r, key);
        if (!k) continue;
        json_t *a = json_object_get(g, k);
        if (!a) json_object_set_new(g, k, a = json_array());
        json_array_append(a, r);
    }
    return g;
}

static void attach(json_t *parents, const char *field, json_t *groups)
{
    size_t i;
    json_t *p;
    json_array_foreach(parents, i, p) {
        json_t *a = json_object_get(groups, jstr(p, "id") ? jstr(p, "id") : "");
        if (a) json_object_set(p, field, a);
    }
}

enum { TB_ORG, TB_LOC, TB_ADDR, TB_ACC, TB_SVC, TB_SAL, TB_PHONE, TB_SCHED, TB_LANG, TB_TERM, TB_ATTR, TB_TR, TB_N };
static const char *const tb_names[TB_N] = {"organizations", "locations", "addresses", "accessibility", "services",
                                           "service_at_location", "phones", "schedules", "languages", "taxonomy_terms",
                                           "attributes", "x_kiosk_translations"};

/* Ids unique within each table, and an index for the translations to find their record. */
static int index_table(importer *im, const char *dir, int t, json_t *rows, json_t *index)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *id = jstr(r, "id");
        long long row = (long long)json_integer_value(json_object_get(r, "_row"));
        if (!id) return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s/%s.csv:%lld: field id", dir, tb_names[t], row);
        char key[600];
        snprintf(key, sizeof key, "%s:%s", tb_names[t], id);
        if (json_object_get(index, key))
            return imp_fail(im->err, im->errlen, IMP_ERR_DUPLICATE, "%s/%s.csv:%lld: record %s: field id", dir,
                            tb_names[t], row, id);
        json_object_set(index, key, r);
    }
    return IMP_OK;
}

static int import_tabular(importer *im, const char *dir, const char *out_dir)
{
    json_t *tb[TB_N] = {0};
    int rc = IMP_OK;
    char path[PATH_MAX];
    json_t *dp = NULL;
    if (!(rc = imp_path(path, im->err, im->errlen, "%s/datapackage.json", dir))) {
        dp = imp_load_json(path, &rc, im->err, im->errlen);
        memcpy(im->intake_file, path, sizeof im->intake_file); /* both PATH_MAX */
    }
    json_t *index = json_object();
    for (int t = 0; t < TB_N && !rc; t++) rc = load_table(im, dir, tb_names[t], &tb[t]);
    for (int t = 0; t < TB_N && !rc; t++)
        if (t != TB_TR) rc = index_table(im, dir, t, tb[t], index);
    size_t i;
    json_t *r;
    json_array_foreach(tb[TB_TR], i, r) {
        if (rc) break;
        const char *type = jstr(r, "resource_type"), *id = jstr(r, "resource_id"), *lang = jstr(r, "language");
        const char *field = jstr(r, "field"), *value = jstr(r, "value"), *status = jstr(r, "status");
        long long row = (long long)json_integer_value(json_object_get(r, "_row"));
        char key[600];
        snprintf(key, sizeof key, "%s:%s", type ? type : "", id ? id : "");
        json_t *rec = json_object_get(index, key);
        if (!rec) {
            rc = imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s/x_kiosk_translations.csv:%lld: no %s record %s", dir,
                          row, type ? type : "?", id ? id : "?");
            break;
        }
        if (!lang) {
            rc = imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s/x_kiosk_translations.csv:%lld: field language", dir, row);
            break;
        }
        json_t *x = json_object_get(rec, "x_kiosk_i18n");
        if (!x) json_object_set_new(rec, "x_kiosk_i18n", x = json_object());
        json_t *tr = json_object_get(x, lang);
        if (!tr) json_object_set_new(x, lang, tr = json_object());
        if (status) json_object_set_new(tr, "status", json_string(status));
        if (field && value) json_object_set_new(tr, field, json_string(value));
    }
    if (!rc) {
        /* phones of an organization are those without a service or place; a place's, those of
         * a place without a service */
        json_t *org_phones = json_array(), *loc_phones = json_array();
        json_array_foreach(tb[TB_PHONE], i, r) {
            if (!jstr(r, "service_id") && !jstr(r, "location_id")) json_array_append(org_phones, r);
            if (!jstr(r, "service_id") && jstr(r, "location_id")) json_array_append(loc_phones, r);
        }
        json_array_foreach(tb[TB_SAL], i, r) {
            char key[600];
            snprintf(key, sizeof key, "locations:%s", jstr(r, "location_id") ? jstr(r, "location_id") : "");
            json_t *loc = json_object_get(index, key);
            if (loc) json_object_set(r, "location", loc);
        }
        /* child rows under their parent's id; the nesting shares the rows, so the order is free */
        static const struct {
            int parent;
            const char *field;
            int child; /* -1: the organizations' phones, -2: the places' */
            const char *key;
        } nest[] = {
            {TB_LOC, "addresses", TB_ADDR, "location_id"},     {TB_LOC, "accessibility", TB_ACC, "location_id"},
            {TB_LOC, "phones", -2, "location_id"},
            {TB_ORG, "phones", -1, "organization_id"},         {TB_ORG, "locations", TB_LOC, "organization_id"},
            {TB_SVC, "phones", TB_PHONE, "service_id"},        {TB_SVC, "schedules", TB_SCHED, "service_id"},
            {TB_SVC, "languages", TB_LANG, "service_id"},      {TB_SVC, "attributes", TB_ATTR, "link_id"},
            {TB_SVC, "service_at_locations", TB_SAL, "service_id"},
        };
        for (size_t n = 0; n < sizeof nest / sizeof nest[0]; n++) {
            json_t *g = group_by(nest[n].child == -1 ? org_phones : nest[n].child == -2 ? loc_phones : tb[nest[n].child],
                                 nest[n].key);
            attach(tb[nest[n].parent], nest[n].field, g);
            json_decref(g);
        }
        json_decref(org_phones);
        json_decref(loc_phones);
        rc = imp_path(im->file, im->err, im->errlen, "%s", dir);
        if (!rc) rc = hsds_to_sources(im, tb[TB_SVC], tb[TB_ORG], tb[TB_TERM], json_object_get(dp, "x_kiosk_pack"),
                             json_object_get(dp, "x_kiosk_intake"), out_dir);
    }
    /* the nesting made cycles of references only downwards; clearing the arrays frees it all */
    for (int t = 0; t < TB_N; t++) {
        json_array_foreach(tb[t], i, r) json_object_clear(r);
        json_decref(tb[t]);
    }
    json_decref(index);
    json_decref(dp);
    return rc;
}

int imp_import_hsds(const char *src_dir, const char *out_dir, FILE *report, char *err, size_t errlen)
{
    importer im = {.err = err, .errlen = errlen, .report = report};
    char path[PATH_MAX], dir[PATH_MAX], jpath[PATH_MAX];
    int rc = imp_path(dir, err, errlen, "%s", src_dir);
    if (!rc) rc = imp_path(path, err, errlen, "%s/json/services.json", src_dir);
    if (!rc && exists(path)) rc = imp_path(dir, err, errlen, "%s/json", src_dir);
    if (!rc) rc = imp_path(im.pict, err, errlen, "%s/pictograms", dir);
    if (!rc && !exists(im.pict)) rc = imp_path(im.pict, err, errlen, "%s/../pictograms", dir);
    if (!rc) rc = imp_path(path, err, errlen, "%s/datapackage.json", dir);
    if (!rc) rc = imp_path(jpath, err, errlen, "%s/services.json", dir);
    if (rc) return rc;
    im.orgs = json_object();
    im.locs = json_object();
    im.loc_owner = json_object();
    im.terms = json_object();
    im.slugs = json_object();
    im.taken = json_object();
    im.used_terms = json_object();
    im.seen_langs = json_object();
    if (exists(jpath)) rc = import_json(&im, dir, out_dir);
    else if (exists(path)) rc = import_tabular(&im, dir, out_dir);
    else rc = imp_fail(err, errlen, IMP_ERR_MISSING, "%s: neither services.json nor datapackage.json", src_dir);
    json_decref(im.orgs);
    json_decref(im.locs);
    json_decref(im.loc_owner);
    json_decref(im.terms);
    json_decref(im.slugs);
    json_decref(im.taken);
    json_decref(im.used_terms);
    json_decref(im.seen_langs);
    return rc;
}
