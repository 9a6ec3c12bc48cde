/*
 * integreat.c: an Integreat region (integreat-cms API v3) into JSON sources (import.h).
 *
 * Points of interest become offers at locations with their opening hours (here); events
 * (integreat_event.c) and information pages (integreat_page.c) become offers in the categories
 * the mapping file names; the API is read by integreat_fetch.c. Translations of one entity are
 * linked through available_languages. HTML goes through libxml2 (html.c). Integreat's
 * categories are mapped onto ours by a file the district edits (integreat-categories.json);
 * what it does not map is reported and left out. The pack settings and our categories come
 * from a base source folder.
 */
#include "integreat_priv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------- text ---------- */

static int text_of(ig *g, const char *file, json_t *rec, const char *field, int html, char **out)
{
    const char *s = jstr(rec, field);
    *out = NULL;
    if (!s) return IMP_OK;
    if (strlen(s) > IMP_MAX_FIELD)
        return imp_fail(g->err, g->errlen, IMP_ERR_TOO_BIG, "%s: record %lld: field %s: longer than %d KiB", file,
                        (long long)json_integer_value(json_object_get(rec, "id")), field, IMP_MAX_FIELD >> 10);
    *out = html ? imp_html_text(s, strlen(s)) : strdup(s);
    if (!*out) return imp_fail(g->err, g->errlen, IMP_ERR_IO, "out of memory");
    return IMP_OK;
}

/* The summary: the excerpt's first sentence, at most about 110 characters, cut at a word. */
static void summary_of(char *s)
{
    char *nl = strchr(s, '\n');
    if (nl) *nl = 0;
    size_t n = strlen(s), chars = 0, cut = 0;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) chars++;
        if (chars > 110) {
            s[cut ? cut : i] = 0;
            strcat(s, "…");
            return;
        }
        if (s[i] == ' ') cut = i;
    }
}

/* Our i18n entry for one record in one language. */
static int tr_of(ig *g, const char *file, json_t *rec, const char *lang, json_t *i18n)
{
    char *title, *excerpt, *content;
    int rc = text_of(g, file, rec, "title", 0, &title);
    if (!rc) rc = text_of(g, file, rec, "excerpt", 1, &excerpt);
    else excerpt = NULL;
    if (!rc) rc = text_of(g, file, rec, "content", 1, &content);
    else content = NULL;
    if (!rc) {
        /* who translated is not in the API: anything but German counts as machine-made until reviewed */
        json_t *t = json_pack("{ss}", "status", strcmp(lang, "de") ? "machine" : "complete");
        if (title) json_object_set_new(t, "name", json_string(title));
        if (excerpt && excerpt[0]) {
            summary_of(excerpt);
            json_object_set_new(t, "summary", json_string(excerpt));
        }
        if (content && content[0]) json_object_set_new(t, "description", json_string(content));
        json_object_set_new(i18n, lang, t);
        json_object_set_new(g->seen_langs, lang, json_true());
    }
    free(title);
    free(excerpt);
    free(content);
    return rc;
}

/* ---------- records ---------- */

/* One language's answer: id -> record, duplicates refused. */
static int load_answer(ig *g, const char *lang, const char *what, json_t **index, json_t **list, char file[PATH_MAX])
{
    *index = json_object();
    *list = NULL;
    int rc = imp_path(file, g->err, g->errlen, "%s/%s/%s/%s.json", g->src, g->region, lang, what);
    if (rc || !exists(file)) return rc;
    json_t *j = imp_load_json(file, &rc, g->err, g->errlen);
    if (!j) return rc;
    if (!json_is_array(j)) {
        json_decref(j);
        return imp_fail(g->err, g->errlen, IMP_ERR_SYNTAX, "%s: not a list", file);
    }
    *list = j;
    size_t i;
    json_t *r;
    json_array_foreach(j, i, r) {
        json_t *id = json_object_get(r, "id");
        if (json_is_null(id) && !strcmp(what, "events")) continue; /* a repetition of an event listed by itself */
        if (!json_is_integer(id))
            return imp_fail(g->err, g->errlen, IMP_ERR_MISSING, "%s: record %zu: field id", file, i + 1);
        char k[32];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(id));
        if (json_object_get(*index, k))
            return imp_fail(g->err, g->errlen, IMP_ERR_DUPLICATE, "%s: record %s: field id", file, k);
        json_object_set(*index, k, r);
    }
    return IMP_OK;
}

/* The translation of German record de in lang, through available_languages. */
static json_t *translation(json_t *de, const char *lang, json_t *index)
{
    json_t *al = json_object_get(de, "available_languages"), *e = NULL;
    if (json_is_object(al)) e = json_object_get(al, lang);
    else if (json_is_array(al)) {
        size_t i;
        json_t *v;
        json_array_foreach(al, i, v) if (json_object_get(v, lang)) e = json_object_get(v, lang);
    }
    json_t *id = json_object_get(e, "id");
    if (!json_is_integer(id)) return NULL;
    char k[32];
    snprintf(k, sizeof k, "%lld", (long long)json_integer_value(id));
    return json_object_get(index, k);
}

void ig_path_slug(json_t *rec, char *out, size_t len)
{
    const char *path = jstr(rec, "path");
    char tmp[300] = "";
    if (path) {
        size_t n = strlen(path);
        while (n && path[n - 1] == '/') n--;
        size_t s = n;
        while (s && path[s - 1] != '/') s--;
        snprintf(tmp, sizeof tmp, "%.*s", (int)(n - s), path + s);
    }
    if (!tmp[0]) snprintf(tmp, sizeof tmp, "integreat-%lld", ig_rid(rec));
    if (!imp_slug(tmp, out, len) || strchr(out, '/')) out[0] = 0;
}

int ig_id_of(ig *g, const char *file, json_t *rec, char *out, size_t len)
{
    ig_path_slug(rec, out, len);
    if (!out[0])
        return imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%s: record %lld: field path: no usable id", file,
                        ig_rid(rec));
    if (json_object_get(g->offers, out))
        return imp_fail(g->err, g->errlen, IMP_ERR_DUPLICATE, "%s: record %lld: field path: \"%s\" twice", file,
                        ig_rid(rec), out);
    return IMP_OK;
}

const char *ig_org_for(ig *g, json_t *org, const char *fallback_id, const char *fallback_name)
{
    char id[200];
    const char *name = org ? jstr(org, "name") : NULL;
    if (!name || !imp_slug(jstr(org, "slug") ? jstr(org, "slug") : name, id, sizeof id) || strchr(id, '/')) {
        snprintf(id, sizeof id, "%s", fallback_id);
        name = fallback_name;
    }
    json_t *o = json_object_get(g->orgs, id);
    if (!o) {
        o = json_pack("{ss s{s{ss ss}} s[]}", "id", id, "i18n", "de", "status", "complete", "name", name ? name : id,
                      "locations");
        if (org && jstr(org, "website")) json_object_set_new(o, "url", json_string(jstr(org, "website")));
        json_object_set_new(g->orgs, id, o);
    }
    return json_string_value(json_object_get(o, "id"));
}

const char *ig_place_for(ig *g, const char *org, json_t *loc, const char *word, int barrier_free)
{
    if (!jstr(loc, "address") && !jstr(loc, "town")) return NULL;
    char id[420], w[200];
    imp_slug(word, w, sizeof w);
    snprintf(id, sizeof id, "%s/%s", org, w);
    json_t *locs = json_object_get(json_object_get(g->orgs, org), "locations"), *l;
    size_t i;
    json_array_foreach(locs, i, l) if (!strcmp(jstr(l, "id"), id)) return jstr(l, "id");
    l = json_pack("{ss s{s{ss}}}", "id", id, "i18n", "de", "status", "complete");
    static const char *const map[][2] = {{"street", "address"}, {"postcode", "postcode"}, {"city", "town"}};
    for (size_t k = 0; k < 3; k++)
        if (jstr(loc, map[k][1])) json_object_set_new(l, map[k][0], json_string(jstr(loc, map[k][1])));
    json_t *lat = json_object_get(loc, "latitude"), *lon = json_object_get(loc, "longitude");
    if (json_is_number(lat) && json_is_number(lon)) {
        json_object_set(l, "latitude", lat);
        json_object_set(l, "longitude", lon);
    }
    json_t *de = json_object_get(json_object_get(l, "i18n"), "de");
    if (jstr(loc, "name")) json_object_set_new(de, "name", json_string(jstr(loc, "name")));
    if (barrier_free) json_object_set_new(de, "accessibility", json_string("Barrierefrei"));
    json_array_append_new(locs, l);
    return jstr(l, "id");
}

/* Our categories for an Integreat category (by id or German name); NULL when unmapped. */
static json_t *mapped(ig *g, json_t *cat)
{
    json_t *m = json_object_get(g->map, "locations");
    char k[32];
    snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(cat, "id")));
    json_t *v = json_object_get(m, k);
    if (!v && jstr(cat, "name")) v = json_object_get(m, jstr(cat, "name"));
    return v;
}

void ig_count_unmapped(ig *g, const char *key)
{
    json_object_set_new(g->unmapped, key, json_integer(json_integer_value(json_object_get(g->unmapped, key)) + 1));
}

json_t *ig_categories(json_t *mapping)
{
    return json_is_array(mapping) ? json_deep_copy(mapping) : json_pack("[O]", mapping);
}

const char *ig_region_org(ig *g, json_t *org, const char *region_name)
{
    char id[200], oid[200];
    snprintf(id, sizeof id, "integreat-%s", g->region);
    imp_slug(id, oid, sizeof oid);
    return ig_org_for(g, json_is_object(org) ? org : NULL, oid, region_name);
}

static int valid_hhmm(const char *in, char out[6])
{
    int h, m;
    if (!in || sscanf(in, "%d:%d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 || m > 59) return 0;
    snprintf(out, 6, "%02d:%02d", h, m);
    return 1;
}

const char *const ig_days[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

/* opening_hours[7] (Monday first) -> WEEKLY schedules, days with the same hours together. */
static int hours(ig *g, const char *file, long long rid, json_t *oh, const char *loc, json_t *out)
{
    if (!oh || json_is_null(oh)) return IMP_OK;
    if (!json_is_array(oh) || json_array_size(oh) != 7)
        return imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%s: record %lld: field opening_hours: seven days", file, rid);
    char key[7][256];
    for (int d = 0; d < 7; d++) {
        json_t *day = json_array_get(oh, (size_t)d);
        key[d][0] = 0;
        if (json_is_true(json_object_get(day, "closed")) || json_is_true(json_object_get(day, "appointmentOnly"))) continue;
        if (json_is_true(json_object_get(day, "allDay"))) { snprintf(key[d], sizeof key[d], "00:00-24:00"); continue; }
        size_t i;
        json_t *ts;
        json_array_foreach(json_object_get(day, "timeSlots"), i, ts) {
            char a[6], b[6];
            if (!valid_hhmm(jstr(ts, "start"), a) || !valid_hhmm(jstr(ts, "end"), b) || strcmp(a, b) >= 0)
                return imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED,
                                "%s: record %lld: field opening_hours[%d].timeSlots[%zu]: HH:MM, start before end", file,
                                rid, d, i);
            size_t l = strlen(key[d]);
            if (l + 13 < sizeof key[d]) snprintf(key[d] + l, sizeof key[d] - l, "%s%s-%s", l ? " " : "", a, b);
        }
    }
    int done[7] = {0};
    for (int d = 0; d < 7; d++) {
        if (done[d] || !key[d][0]) continue;
        char byday[32] = "";
        for (int e = d; e < 7; e++)
            if (!strcmp(key[e], key[d])) {
                done[e] = 1;
                snprintf(byday + strlen(byday), sizeof byday - strlen(byday), "%s%s", byday[0] ? "," : "", ig_days[e]);
            }
        char slots[256];
        memcpy(slots, key[d], sizeof slots);
        char *save = NULL;
        for (char *s = strtok_r(slots, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
            s[5] = 0;
            json_t *sc = json_pack("{ss si ss ss ss}", "freq", "WEEKLY", "interval", 1, "byday", byday, "opens_at", s,
                                   "closes_at", s + 6);
            if (loc) json_object_set_new(sc, "location", json_string(loc));
            json_array_append_new(out, sc);
        }
    }
    return IMP_OK;
}

int ig_add_translations(ig *g, const char *what, const char *file, json_t *de, json_t **idx, json_t *i18n)
{
    int rc = tr_of(g, file, de, "de", i18n);
    size_t i;
    json_t *l;
    json_array_foreach(g->langs, i, l) {
        if (rc || i == 0) continue;
        const char *code = json_string_value(json_array_get(g->codes, i));
        json_t *t = translation(de, code, idx[i]);
        char f[PATH_MAX];
        if (t && !(rc = imp_path(f, g->err, g->errlen, "%s/%s/%s/%s.json", g->src, g->region, code, what)))
            rc = tr_of(g, f, t, json_string_value(l), i18n);
    }
    return rc;
}

static int poi(ig *g, const char *file, json_t *de, json_t **idx)
{
    long long rid = (long long)json_integer_value(json_object_get(de, "id"));
    char id[200];
    int rc = ig_id_of(g, file, de, id, sizeof id);
    if (rc) return rc;
    if (json_is_true(json_object_get(de, "temporarily_closed"))) {
        if (g->report) fprintf(g->report, "%s: record %lld (%s): temporarily closed, left out\n", file, rid, id);
        return IMP_OK;
    }
    json_t *cat = json_object_get(de, "category"), *ours = mapped(g, cat);
    if (!ours) {
        char k[300];
        snprintf(k, sizeof k, "%lld \"%s\"", (long long)json_integer_value(json_object_get(cat, "id")),
                 jstr(cat, "name") ? jstr(cat, "name") : "?");
        ig_count_unmapped(g, k);
        return IMP_OK;
    }
    const char *org = ig_org_for(g, json_object_get(de, "organization"), id, jstr(de, "title"));
    json_t *loc = json_object_get(de, "location");
    const char *place = ig_place_for(g, org, loc, jstr(loc, "name") ? jstr(loc, "name") : id,
                                  json_is_true(json_object_get(de, "barrier_free")));
    json_t *o = json_pack("{ss ss}", "id", id, "organization", org);
    json_object_set_new(g->offers, id, o);
    json_object_set_new(o, "categories", ig_categories(ours));
    json_object_set_new(o, "locations", place ? json_pack("[s]", place) : json_array());
    const char *url = jstr(de, "website") ? jstr(de, "website") : jstr(de, "appointment_url");
    if (url) json_object_set_new(o, "url", json_string(url));
    if (jstr(de, "email")) json_object_set_new(o, "email", json_string(jstr(de, "email")));
    if (jstr(de, "phone_number"))
        json_object_set_new(o, "phones", json_pack("[{ss ss}]", "number", jstr(de, "phone_number"), "type", "voice"));
    json_t *sched = json_array();
    json_object_set_new(o, "schedules", sched);
    if ((rc = hours(g, file, rid, json_object_get(de, "opening_hours"), place, sched))) return rc;
    json_t *i18n = json_object();
    json_object_set_new(o, "i18n", i18n);
    return ig_add_translations(g, "locations", file, de, idx, i18n);
}


/* Integreat language codes are ours except where the kiosk has its own. */
const char *ig_our_lang(json_t *l)
{
    static const char *const alias[][2] = {{"fa-af", "prs"}, {"kmr", "ku"}, {"ku-ckb", "ckb"}, {"pes", "fa"}};
    const char *c = jstr(l, "code");
    if (!c) return NULL;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (!strcasecmp(c, alias[i][0])) return alias[i][1];
    return imp_lang_known(c) ? c : NULL;
}

static int check_map(ig *g, const char *path)
{
    json_t *v;
    const char *k;
    json_t *all = json_array();
    json_array_append(all, json_object_get(g->map, "events"));
    json_object_foreach(json_object_get(g->map, "locations"), k, v) json_array_append(all, v);
    json_t *pages = json_object_get(g->map, "pages");
    if (json_is_object(pages)) json_object_foreach(pages, k, v) json_array_append(all, v);
    else if (pages) json_array_append(all, pages);
    size_t i, j;
    json_t *x, *c;
    int rc = IMP_OK;
    json_array_foreach(all, i, x) {
        if (json_is_null(x) || !x) continue;
        json_t *list = json_is_array(x) ? x : NULL;
        for (j = 0; !rc && j < (list ? json_array_size(list) : 1); j++) {
            c = list ? json_array_get(list, j) : x;
            int found = 0;
            size_t m;
            json_t *cat;
            json_array_foreach(g->cats, m, cat) found |= json_is_string(c) && !strcmp(json_string_value(cat), json_string_value(c));
            if (!found)
                rc = imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%s: \"%s\" is not one of the pack's categories", path,
                              json_is_string(c) ? json_string_value(c) : "?");
        }
        if (rc) break;
    }
    json_decref(all);
    return rc;
}

static int run(ig *g, const char *base, const char *out_dir)
{
    char path[PATH_MAX];
    json_t *pack = NULL, *cats = NULL, *regions = NULL;
    int rc = imp_path(path, g->err, g->errlen, "%s/pack.json", base);
    if (!rc) pack = imp_load_json(path, &rc, g->err, g->errlen);
    if (!rc) rc = imp_path(path, g->err, g->errlen, "%s/categories.json", base);
    if (!rc) cats = imp_load_json(path, &rc, g->err, g->errlen);
    if (!rc) rc = imp_path(path, g->err, g->errlen, "%s/integreat-categories.json", base);
    if (!rc) g->map = imp_load_json(path, &rc, g->err, g->errlen);
    size_t i;
    json_t *v;
    json_array_foreach(cats, i, v) if (jstr(v, "id")) json_array_append(g->cats, json_object_get(v, "id"));
    if (!rc) rc = check_map(g, path);
    if (!rc) rc = imp_path(path, g->err, g->errlen, "%s/regions.json", g->src);
    if (!rc) regions = imp_load_json(path, &rc, g->err, g->errlen);
    json_t *region = NULL;
    json_array_foreach(regions, i, v) {
        const char *p = jstr(v, "path");
        char slug[200] = "";
        if (p) {
            while (*p == '/') p++;
            snprintf(slug, sizeof slug, "%s", p);
            char *e = strchr(slug, '/');
            if (e) *e = 0;
        }
        if (!strcmp(slug, g->region) || (jstr(v, "slug") && !strcmp(jstr(v, "slug"), g->region))) region = v;
    }
    if (!rc && !region) rc = imp_fail(g->err, g->errlen, IMP_ERR_MISSING, "%s: no region \"%s\"", path, g->region);
    /* per answer (locations, events, pages) and language: id -> record, and the list */
    static const char *const what[3] = {"locations", "events", "pages"};
    json_t *idx[3][64] = {{0}}, *lists[3][64] = {{0}};
    size_t nl = 0;
    if (!rc) {
        json_array_append_new(g->langs, json_string("de"));
        json_array_append_new(g->codes, json_string("de"));
        json_array_foreach(json_object_get(region, "languages"), i, v) {
            const char *ours = ig_our_lang(v);
            if (!ours) {
                if (g->report)
                    fprintf(g->report, "language %s (%s): the kiosk has no such language, left out\n",
                            jstr(v, "code") ? jstr(v, "code") : "?", jstr(v, "native_name") ? jstr(v, "native_name") : "?");
                continue;
            }
            int dup = 0;
            size_t k;
            json_t *l;
            json_array_foreach(g->langs, k, l) dup |= !strcmp(json_string_value(l), ours);
            if (!dup && json_array_size(g->langs) < 64 && !strchr(jstr(v, "code"), '/')) {
                json_array_append_new(g->langs, json_string(ours));
                json_array_append_new(g->codes, json_string(jstr(v, "code")));
            }
        }
        nl = json_array_size(g->langs);
    }
    char file[PATH_MAX];
    for (size_t l = 0; !rc && l < nl; l++)
        for (int w = 0; !rc && w < 3; w++)
            rc = load_answer(g, json_string_value(json_array_get(g->codes, l)), what[w], &idx[w][l], &lists[w][l], file);
    const char *region_name = jstr(region, "name") ? jstr(region, "name") : g->region;
    if (!rc) {
        rc = imp_path(file, g->err, g->errlen, "%s/%s/de/locations.json", g->src, g->region);
        json_array_foreach(lists[0][0], i, v) if (!rc) rc = poi(g, file, v, idx[0]);
        if (!rc) rc = imp_path(file, g->err, g->errlen, "%s/%s/de/events.json", g->src, g->region);
        json_array_foreach(lists[1][0], i, v) if (!rc && json_is_integer(json_object_get(v, "id")))
            rc = ig_event(g, file, v, idx[1], region_name);
        if (!rc) rc = imp_path(file, g->err, g->errlen, "%s/%s/de/pages.json", g->src, g->region);
        if (!rc) rc = ig_pages(g, file, lists[2][0], idx[2], region_name);
    }
    if (!rc && g->report) {
        const char *k;
        json_object_foreach(g->unmapped, k, v)
            fprintf(g->report, "%s %s: not in integreat-categories.json, %lld entries left out\n",
                    strncmp(k, "page ", 5) ? "category" : "pages under", k, (long long)json_integer_value(v));
    }
    if (!rc && !json_object_size(g->offers))
        rc = imp_fail(g->err, g->errlen, IMP_ERR_MISSING, "region %s: nothing could be imported", g->region);
    /* languages with text join the pack's list */
    json_t *plangs = json_object_get(pack, "languages");
    const char *lk;
    json_object_foreach(g->seen_langs, lk, v) {
        int have = 0;
        size_t k;
        json_t *x;
        json_array_foreach(plangs, k, x) have |= !strcmp(json_string_value(x), lk);
        if (!have && json_is_array(plangs)) json_array_append_new(plangs, json_string(lk));
    }
    imp_tree tree;
    int began = 0;
    if (!rc && !(rc = imp_tree_begin(&tree, out_dir, g->err, g->errlen))) began = 1;
    if (!rc) rc = imp_tree_mkdir(&tree, "offers", g->err, g->errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "organizations", g->err, g->errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "pictograms", g->err, g->errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "pack.json", pack, g->err, g->errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "categories.json", cats, g->err, g->errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "integreat-categories.json", g->map, g->err, g->errlen);
    for (int pass = 0; pass < 2 && !rc; pass++) {
        char dir[PATH_MAX];
        if ((rc = imp_path(dir, g->err, g->errlen, "%s/%s", tree.tmp, pass ? "offers" : "organizations"))) break;
        const char *k;
        json_object_foreach(pass ? g->offers : g->orgs, k, v) {
            char name[300];
            snprintf(name, sizeof name, "%s.json", k);
            if ((rc = imp_write_json(dir, name, v, g->err, g->errlen))) break;
        }
    }
    json_array_foreach(cats, i, v) {
        const char *icon = jstr(v, "icon");
        if (rc || !icon || strchr(icon, '/')) continue;
        char from[PATH_MAX], to[PATH_MAX];
        rc = imp_path(from, g->err, g->errlen, "%s/pictograms/%s", base, icon);
        if (!rc && !exists(from)) rc = imp_path(from, g->err, g->errlen, "%s/../pictograms/%s", base, icon);
        if (!rc) rc = imp_path(to, g->err, g->errlen, "%s/pictograms/%s", tree.tmp, icon);
        if (!rc) rc = imp_copy_file(from, to, g->err, g->errlen);
    }
    if (!rc) rc = imp_tree_commit(&tree, g->err, g->errlen);
    if (rc && began) imp_tree_abort(&tree);
    if (!rc && g->report)
        fprintf(g->report, "imported %zu offers, %zu organizations, %zu languages\n", json_object_size(g->offers),
                json_object_size(g->orgs), json_object_size(g->seen_langs));
    for (int w = 0; w < 3; w++)
        for (size_t l = 0; l < 64; l++) {
            json_decref(idx[w][l]);
            json_decref(lists[w][l]);
        }
    json_decref(pack);
    json_decref(cats);
    json_decref(regions);
    return rc;
}


int imp_import_integreat(const char *src, const char *region, const char *out_dir, const char *base_dir,
                         const char *ca_file, FILE *report, char *err, size_t errlen)
{
    ig g = {.err = err, .errlen = errlen, .report = report, .src = src, .region = region, .cainfo = ca_file};
    char dl[PATH_MAX], base[PATH_MAX];
    if (!imp_slug(region, dl, sizeof dl) || strcmp(dl, region))
        return imp_fail(err, errlen, IMP_ERR_UNMAPPED, "region \"%s\": a region slug ([a-z0-9-])", region);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(g.today, sizeof g.today, "%Y-%m-%d", &tm);
    int rc = imp_path(base, err, errlen, "%s", base_dir ? base_dir : out_dir);
    if (rc) return rc;
    g.cats = json_array();
    g.langs = json_array();
    g.codes = json_array();
    g.orgs = json_object();
    g.offers = json_object();
    g.unmapped = json_object();
    g.seen_langs = json_object();
    dl[0] = 0;
    if (!strncmp(src, "http://", 7) || !strncmp(src, "https://", 8)) {
        size_t l = strlen(out_dir);
        while (l > 1 && out_dir[l - 1] == '/') l--;
        rc = imp_path(dl, err, errlen, "%.*s.download", (int)(l < PATH_MAX ? l : PATH_MAX), out_dir);
        if (!rc) rc = ig_download(&g, src, dl);
        g.src = dl;
    }
    if (!rc) rc = run(&g, base, out_dir);
    if (dl[0]) imp_rmtree(dl);
    json_decref(g.map);
    json_decref(g.cats);
    json_decref(g.langs);
    json_decref(g.codes);
    json_decref(g.orgs);
    json_decref(g.offers);
    json_decref(g.unmapped);
    json_decref(g.seen_langs);
    return rc;
}
