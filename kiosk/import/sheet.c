/*
 * sheet.c: a caseworker's spreadsheet of offers, saved as CSV, into JSON sources (import.h).
 * One row per offer; the layout is documented in content/README.md, with a sample in
 * content/sheet-sample.csv. The pack settings and the categories come from an existing source
 * folder: the sheet adds offers and their providers, not a new district.
 */
#include "import_priv.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { C_ID, C_ORG, C_CAT, C_NAME, C_SUMMARY, C_DESC, C_ELIG, C_COST, C_STREET, C_POSTCODE, C_CITY, C_DISTRICT,
       C_PHONE, C_EMAIL, C_URL, C_LANGS, C_HOURS, C_N };
static const char *const col_names[C_N] = {"id", "organization", "category", "name", "summary", "description",
                                           "eligibility", "cost", "street", "postcode", "city", "district",
                                           "phone", "email", "url", "languages", "hours"};
/* the translatable columns, as "name:en" */
static const char *const tr_fields[] = {"name", "summary", "description", "eligibility", "cost"};

typedef struct sheet {
    const char *path;
    imp_csv csv;
    int col[C_N];       /* column index of each known column, or -1 */
    int *tr_field;      /* per column: index into tr_fields for "field:lang" columns, else -1 */
    char (*tr_lang)[8]; /* per column: its language */
    char *err;
    size_t errlen;
} sheet;

static const char *cell(sheet *s, size_t row, int c)
{
    return s->col[c] < 0 ? "" : imp_csv_cell(&s->csv, row, (size_t)s->col[c]);
}

static int map_header(sheet *s)
{
    for (int c = 0; c < C_N; c++) s->col[c] = -1;
    size_t n = s->csv.cols;
    s->tr_field = malloc(n * sizeof *s->tr_field);
    s->tr_lang = calloc(n, sizeof *s->tr_lang);
    if (!s->tr_field || !s->tr_lang) return imp_fail(s->err, s->errlen, IMP_ERR_IO, "out of memory");
    for (size_t k = 0; k < n; k++) {
        s->tr_field[k] = -1;
        char h[64];
        snprintf(h, sizeof h, "%s", imp_csv_cell(&s->csv, 0, k));
        for (char *p = h; *p; p++) *p = (char)tolower((unsigned char)*p);
        if (!h[0]) continue;
        char *colon = strchr(h, ':');
        if (colon) {
            *colon = 0;
            for (size_t f = 0; f < sizeof tr_fields / sizeof tr_fields[0]; f++)
                if (!strcmp(h, tr_fields[f])) s->tr_field[k] = (int)f;
            if (s->tr_field[k] < 0)
                return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:1:%zu: column \"%s\": only name, summary, "
                                "description, eligibility and cost are translated", s->path, k + 1, imp_csv_cell(&s->csv, 0, k));
            if (!imp_lang_known(colon + 1) || strlen(colon + 1) >= sizeof s->tr_lang[k] || !strcmp(colon + 1, "de"))
                return imp_fail(s->err, s->errlen, IMP_ERR_LANGUAGE, "%s:1:%zu: column \"%s\"", s->path, k + 1,
                                imp_csv_cell(&s->csv, 0, k));
            snprintf(s->tr_lang[k], sizeof s->tr_lang[k], "%s", colon + 1);
            continue;
        }
        int found = -1;
        for (int c = 0; c < C_N; c++)
            if (!strcmp(h, col_names[c])) found = c;
        if (found < 0)
            return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:1:%zu: unknown column \"%s\"", s->path, k + 1,
                            imp_csv_cell(&s->csv, 0, k));
        if (s->col[found] >= 0)
            return imp_fail(s->err, s->errlen, IMP_ERR_DUPLICATE, "%s:1:%zu: column \"%s\" twice", s->path, k + 1, h);
        s->col[found] = (int)k;
    }
    static const int required[] = {C_ORG, C_CAT, C_NAME};
    for (size_t i = 0; i < 3; i++)
        if (s->col[required[i]] < 0)
            return imp_fail(s->err, s->errlen, IMP_ERR_MISSING, "%s:1: no column \"%s\"", s->path, col_names[required[i]]);
    return IMP_OK;
}

/* Day names: RFC 5545's two letters and German abbreviations (they do not collide). */
static int day_index(const char *w, size_t n)
{
    static const char *const en[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *const de[] = {"MO", "DI", "MI", "DO", "FR", "SA", "SO"};
    if (n < 2) return -1;
    for (int i = 0; i < 7; i++)
        if (!strncasecmp(w, en[i], 2) || !strncasecmp(w, de[i], 2)) return i;
    return -1;
}

static const char *const rfc_day[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

static int parse_time(const char **p, char out[6])
{
    int h, m, n = 0;
    if (sscanf(*p, "%2d:%2d%n", &h, &m, &n) != 2 || h < 0 || h > 24 || m < 0 || m > 59) return 0;
    snprintf(out, 6, "%02d:%02d", h, m);
    *p += n;
    return 1;
}

/*
 * "Mo-Fr 09:00-12:00, 13:00-15:00; Do 14:00-18:00" -> WEEKLY schedules at loc. Groups are
 * separated by ';' or a line break; each is days (a list or a range) and one or more times.
 */
static int parse_hours(sheet *s, size_t row, const char *text, const char *loc, json_t *out)
{
    char *copy = strdup(text), *save = NULL;
    int rc = IMP_OK;
    size_t colno = (size_t)s->col[C_HOURS] + 1;
    for (char *g = strtok_r(copy, ";\r\n", &save); g && !rc; g = strtok_r(NULL, ";\r\n", &save)) {
        while (isspace((unsigned char)*g)) g++;
        if (!*g) continue;
        int days[7] = {0}, any = 0, prev = -1, range = 0;
        const char *p = g;
        while (*p && !isdigit((unsigned char)*p)) {
            if (isalpha((unsigned char)*p)) {
                size_t n = 0;
                while (isalpha((unsigned char)p[n])) n++;
                int d = day_index(p, n);
                if (d < 0) break;
                if (range && prev >= 0) {
                    if (d < prev) break;
                    for (int i = prev; i <= d; i++) days[i] = 1;
                } else {
                    days[d] = 1;
                }
                prev = d;
                range = 0;
                any = 1;
                p += n;
            } else if (*p == '-') {
                range = 1;
                p++;
            } else if (*p == ',' || *p == ' ' || *p == '.') {
                p++;
            } else {
                break;
            }
        }
        if (!any || !isdigit((unsigned char)*p)) {
            rc = imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%zu: hours \"%s\": days (Mo-Fr, Mo,Mi) then times "
                          "(09:00-12:00)", s->path, row + 1, colno, g);
            break;
        }
        char byday[32] = "";
        for (int i = 0; i < 7; i++)
            if (days[i]) snprintf(byday + strlen(byday), sizeof byday - strlen(byday), "%s%s", byday[0] ? "," : "", rfc_day[i]);
        while (*p && !rc) {
            char o[6], c[6];
            if (!parse_time(&p, o) || *p++ != '-' || !parse_time(&p, c) || strcmp(o, c) >= 0) {
                rc = imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%zu: hours \"%s\": times must be HH:MM-HH:MM, "
                              "opening before closing", s->path, row + 1, colno, g);
                break;
            }
            json_t *sc = json_pack("{ss ss si ss ss ss}", "location", loc, "freq", "WEEKLY", "interval", 1, "byday",
                                   byday, "opens_at", o, "closes_at", c);
            json_array_append_new(out, sc);
            while (*p == ',' || *p == ' ' || *p == '/' || (*p == 'u' && p[1] == 'n' && p[2] == 'd')) p += *p == 'u' ? 3 : 1;
        }
    }
    free(copy);
    return rc;
}

/* Split a cell on commas (and spaces when words allows) into a JSON array of trimmed strings. */
static json_t *split(const char *text, const char *seps)
{
    json_t *a = json_array();
    char *copy = strdup(text), *save = NULL;
    for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
        while (isspace((unsigned char)*t)) t++;
        size_t n = strlen(t);
        while (n && isspace((unsigned char)t[n - 1])) t[--n] = 0;
        if (n) json_array_append_new(a, json_string(t));
    }
    free(copy);
    return a;
}

static int has(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), s)) return 1;
    return 0;
}

static int row_to_offer(sheet *s, size_t r, json_t *cats, json_t *orgs, json_t *offers, json_t *ids, json_t *langs)
{
    const char *name = cell(s, r, C_NAME), *orgname = cell(s, r, C_ORG);
    if (!name[0]) return imp_fail(s->err, s->errlen, IMP_ERR_MISSING, "%s:%zu:%d: name", s->path, r + 1, s->col[C_NAME] + 1);
    if (!orgname[0])
        return imp_fail(s->err, s->errlen, IMP_ERR_MISSING, "%s:%zu:%d: organization", s->path, r + 1, s->col[C_ORG] + 1);
    char id[200], org[200], loc[420];
    const char *given = cell(s, r, C_ID);
    if (!imp_slug(given[0] ? given : name, id, sizeof id) || strchr(id, '/'))
        return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%d: no usable id", s->path, r + 1,
                        (given[0] ? s->col[C_ID] : s->col[C_NAME]) + 1);
    if (json_object_get(ids, id))
        return imp_fail(s->err, s->errlen, IMP_ERR_DUPLICATE, "%s:%zu:%d: offer \"%s\" is also in row %lld", s->path, r + 1,
                        (given[0] ? s->col[C_ID] : s->col[C_NAME]) + 1, id, (long long)json_integer_value(json_object_get(ids, id)));
    json_object_set_new(ids, id, json_integer((json_int_t)r + 1));
    if (!imp_slug(orgname, org, sizeof org) || strchr(org, '/'))
        return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%d: organization: no usable id", s->path, r + 1,
                        s->col[C_ORG] + 1);
    json_t *o = json_object_get(orgs, org);
    if (!o) {
        o = json_pack("{ss s{s{ss ss}} s[]}", "id", org, "i18n", "de", "status", "complete", "name", orgname, "locations");
        json_object_set_new(orgs, org, o);
    }
    /* the place: one location per distinct address of an organization */
    const char *street = cell(s, r, C_STREET), *city = cell(s, r, C_CITY);
    char word[200] = "main";
    if (street[0] || city[0]) {
        char addr[600];
        snprintf(addr, sizeof addr, "%s %s", street, city);
        imp_slug(addr, word, sizeof word);
    }
    snprintf(loc, sizeof loc, "%s/%s", org, word);
    json_t *locs = json_object_get(o, "locations"), *l;
    size_t i;
    int found = 0;
    json_array_foreach(locs, i, l) found |= !strcmp(json_string_value(json_object_get(l, "id")), loc);
    if (!found) {
        l = json_pack("{ss s{s{ss}}}", "id", loc, "i18n", "de", "status", "complete");
        static const int cols[] = {C_STREET, C_POSTCODE, C_CITY, C_DISTRICT};
        for (size_t k = 0; k < 4; k++)
            if (cell(s, r, cols[k])[0]) json_object_set_new(l, col_names[cols[k]], json_string(cell(s, r, cols[k])));
        json_array_append_new(locs, l);
    }
    json_t *off = json_pack("{ss ss s[s]}", "id", id, "organization", org, "locations", loc);
    json_array_append_new(offers, off);
    json_t *c = split(cell(s, r, C_CAT), ", ");
    json_object_set_new(off, "categories", c);
    json_t *v;
    json_array_foreach(c, i, v) if (!has(cats, json_string_value(v)))
        return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%d: category \"%s\" is not one of the pack's",
                        s->path, r + 1, s->col[C_CAT] + 1, json_string_value(v));
    if (!json_array_size(c))
        return imp_fail(s->err, s->errlen, IMP_ERR_MISSING, "%s:%zu:%d: category", s->path, r + 1, s->col[C_CAT] + 1);
    if (cell(s, r, C_EMAIL)[0]) json_object_set_new(off, "email", json_string(cell(s, r, C_EMAIL)));
    if (cell(s, r, C_URL)[0]) json_object_set_new(off, "url", json_string(cell(s, r, C_URL)));
    json_t *ph = split(cell(s, r, C_PHONE), ",\n"), *phones = json_array();
    json_array_foreach(ph, i, v) json_array_append_new(phones, json_pack("{sO ss}", "number", v, "type", "voice"));
    json_decref(ph);
    if (json_array_size(phones)) json_object_set_new(off, "phones", phones);
    else json_decref(phones);
    json_t *spoken = split(cell(s, r, C_LANGS), ", ");
    json_array_foreach(spoken, i, v) {
        char code[16];
        if (strlen(json_string_value(v)) > 12 || !imp_slug(json_string_value(v), code, sizeof code)) {
            json_decref(spoken);
            return imp_fail(s->err, s->errlen, IMP_ERR_UNMAPPED, "%s:%zu:%d: languages: ISO 639 codes (de, ar, fa)",
                            s->path, r + 1, s->col[C_LANGS] + 1);
        }
    }
    json_object_set_new(off, "languages", spoken);
    json_t *sched = json_array();
    json_object_set_new(off, "schedules", sched);
    int rc = parse_hours(s, r, cell(s, r, C_HOURS), loc, sched);
    if (rc) return rc;
    json_t *i18n = json_object(), *de = json_pack("{ss}", "status", "complete");
    json_object_set_new(off, "i18n", i18n);
    json_object_set_new(i18n, "de", de);
    static const int de_cols[] = {C_NAME, C_SUMMARY, C_DESC, C_ELIG, C_COST};
    for (size_t k = 0; k < 5; k++)
        if (cell(s, r, de_cols[k])[0]) json_object_set_new(de, tr_fields[k], json_string(cell(s, r, de_cols[k])));
    for (size_t k = 0; k < s->csv.cols; k++) {
        const char *t = imp_csv_cell(&s->csv, r, k);
        if (s->tr_field[k] < 0 || !t[0]) continue;
        json_t *tr = json_object_get(i18n, s->tr_lang[k]);
        /* a sheet cannot say who translated: its translations count as machine-made until reviewed */
        if (!tr) json_object_set_new(i18n, s->tr_lang[k], tr = json_pack("{ss}", "status", "machine"));
        json_object_set_new(tr, tr_fields[s->tr_field[k]], json_string(t));
        if (!has(langs, s->tr_lang[k])) json_array_append_new(langs, json_string(s->tr_lang[k]));
    }
    return IMP_OK;
}

static int blank_row(sheet *s, size_t r)
{
    for (size_t k = 0; k < s->csv.cols; k++)
        if (imp_csv_cell(&s->csv, r, k)[0]) return 0;
    return 1;
}

int imp_import_sheet(const char *sheet_path, const char *base_dir, const char *out_dir, FILE *report, char *err,
                     size_t errlen)
{
    sheet s = {.path = sheet_path, .err = err, .errlen = errlen};
    char path[PATH_MAX];
    json_t *pack = NULL, *cats = NULL;
    int rc = imp_path(path, err, errlen, "%s/pack.json", base_dir);
    if (!rc) pack = imp_load_json(path, &rc, err, errlen);
    if (!rc) rc = imp_path(path, err, errlen, "%s/categories.json", base_dir);
    if (!rc) cats = imp_load_json(path, &rc, err, errlen);
    if (!rc) rc = imp_csv_read(sheet_path, &s.csv, err, errlen);
    if (!rc) rc = map_header(&s);
    json_t *cat_ids = json_array(), *orgs = json_object(), *offers = json_array(), *ids = json_object();
    json_t *langs = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(cats, i, v) if (json_is_string(json_object_get(v, "id"))) json_array_append(cat_ids, json_object_get(v, "id"));
    for (size_t r = 1; !rc && r < s.csv.rows; r++)
        if (!blank_row(&s, r)) rc = row_to_offer(&s, r, cat_ids, orgs, offers, ids, langs);
    if (!rc && !json_array_size(offers)) rc = imp_fail(err, errlen, IMP_ERR_MISSING, "%s: no offers", sheet_path);
    json_t *plangs = json_object_get(pack, "languages");
    json_array_foreach(langs, i, v) if (json_is_array(plangs) && !has(plangs, json_string_value(v))) json_array_append(plangs, v);
    imp_tree tree;
    int began = 0;
    if (!rc && !(rc = imp_tree_begin(&tree, out_dir, err, errlen))) began = 1;
    if (!rc) rc = imp_tree_mkdir(&tree, "offers", err, errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "organizations", err, errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "pictograms", err, errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "pack.json", pack, err, errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "categories.json", cats, err, errlen);
    char dir[PATH_MAX], name[300];
    if (!rc) rc = imp_path(dir, err, errlen, "%s/offers", tree.tmp);
    json_array_foreach(offers, i, v) {
        if (rc) break;
        snprintf(name, sizeof name, "%s.json", json_string_value(json_object_get(v, "id")));
        rc = imp_write_json(dir, name, v, err, errlen);
    }
    if (!rc) rc = imp_path(dir, err, errlen, "%s/organizations", tree.tmp);
    const char *k;
    json_object_foreach(orgs, k, v) {
        if (rc) break;
        snprintf(name, sizeof name, "%s.json", k);
        rc = imp_write_json(dir, name, v, err, errlen);
    }
    /* the categories' pictograms, from beside the base sources */
    json_array_foreach(cats, i, v) {
        const char *icon = json_string_value(json_object_get(v, "icon"));
        if (rc || !icon || strchr(icon, '/')) continue;
        char from[PATH_MAX], to[PATH_MAX];
        struct stat sb;
        rc = imp_path(from, err, errlen, "%s/pictograms/%s", base_dir, icon);
        if (!rc && stat(from, &sb) != 0) rc = imp_path(from, err, errlen, "%s/../pictograms/%s", base_dir, icon);
        if (!rc) rc = imp_path(to, err, errlen, "%s/pictograms/%s", tree.tmp, icon);
        if (!rc) rc = imp_copy_file(from, to, err, errlen);
    }
    if (!rc) rc = imp_tree_commit(&tree, err, errlen);
    if (rc && began) imp_tree_abort(&tree);
    if (!rc && report)
        fprintf(report, "imported %zu offers, %zu organizations from %s (%s, %s)\n", json_array_size(offers),
                json_object_size(orgs), sheet_path, s.csv.sep == ';' ? "; separated" : ", separated",
                s.csv.cp1252 ? "Windows-1252" : "UTF-8");
    imp_csv_free(&s.csv);
    free(s.tr_field);
    free(s.tr_lang);
    json_decref(pack);
    json_decref(cats);
    json_decref(cat_ids);
    json_decref(orgs);
    json_decref(offers);
    json_decref(ids);
    json_decref(langs);
    return rc;
}
