/*
 * hsds_import.c: Open Referral HSDS 3.0, JSON or tabular, into this project's JSON sources
 * (import.h). The tabular form is first assembled into the nested JSON form (services with
 * their phones, schedules, languages, service_at_locations; organizations with locations and
 * addresses) by hsds_read.c, so one mapping, here, serves both. x_kiosk_* fields (our
 * export's extension) restore what HSDS cannot hold; without them the HSDS text becomes the
 * German source text.
 */
#include "hsds_priv.h"

#include "i18n/i18n.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Our id for an HSDS record: its x_kiosk_id when it has one, else one made from its id. */
static int slug_for(importer *im, const char *kind, json_t *rec, const char **out)
{
    const char *hid = jstr(rec, "id");
    if (!hid) return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s: a %s record: field id", im->file, kind);
    char key[600];
    snprintf(key, sizeof key, "%s:%s", kind, hid);
    json_t *have = json_object_get(im->slugs, key);
    if (have) { *out = json_string_value(have); return IMP_OK; }
    char s[300];
    const char *x = jstr(rec, "x_kiosk_id");
    if (!x && !strcmp(kind, "taxonomy_term")) x = jstr(rec, "code"); /* a term's code reads better than its UUID */
    if (!imp_slug(x ? x : hid, s, sizeof s))
        return imp_fail(im->err, im->errlen, IMP_ERR_UNMAPPED, "%s: %s %s: field id: no usable characters", im->file,
                        kind, hid);
    /* a service or organization becomes one source file named by its id, so "a/b" (or what
     * "../x" is slugged into) could only be written as a file whose name the build refuses,
     * and would meet "a_b" there */
    if (strchr(s, '/') && (!strcmp(kind, "service") || !strcmp(kind, "organization")))
        return imp_fail(im->err, im->errlen, IMP_ERR_UNMAPPED, "%s: %s %s: field %s: \"%s\" holds a '/', not possible "
                        "in the id of a source file", im->file, kind, hid, x ? "x_kiosk_id" : "id", s);
    char tk[600];
    snprintf(tk, sizeof tk, "%s:%s", kind, s);
    json_t *prev = json_object_get(im->taken, tk);
    if (prev && strcmp(json_string_value(prev), hid))
        return imp_fail(im->err, im->errlen, IMP_ERR_DUPLICATE, "%s: %s %s: field x_kiosk_id: \"%s\" is also %s",
                        im->file, kind, hid, s, json_string_value(prev));
    json_object_set_new(im->taken, tk, json_string(hid));
    json_object_set_new(im->slugs, key, json_string(s));
    *out = json_string_value(json_object_get(im->slugs, key));
    return IMP_OK;
}

static const char *slug_of(importer *im, const char *kind, const char *hid)
{
    char key[600];
    snprintf(key, sizeof key, "%s:%s", kind, hid ? hid : "");
    return json_string_value(json_object_get(im->slugs, key));
}

/* Register rec under its id in map; dup_ok: the same record nested again (services repeat it). */
static int put_rec(importer *im, json_t *map, const char *kind, json_t *rec, int dup_ok)
{
    const char *id = jstr(rec, "id");
    if (!json_is_object(rec) || !id)
        return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s: a %s record: field id", im->file, kind);
    if (json_object_get(map, id)) {
        if (dup_ok) return IMP_OK;
        return imp_fail(im->err, im->errlen, IMP_ERR_DUPLICATE, "%s: %s %s: field id", im->file, kind, id);
    }
    json_object_set(map, id, rec);
    return IMP_OK;
}

static int check_text(importer *im, const char *kind, const char *id, const char *field, const char *text)
{
    if (text && strlen(text) > IMP_MAX_FIELD)
        return imp_fail(im->err, im->errlen, IMP_ERR_TOO_BIG, "%s: %s %s: field %s: longer than %d KiB", im->file, kind,
                        id, field, IMP_MAX_FIELD >> 10);
    return IMP_OK;
}

/*
 * The i18n object of our sources for rec: x_kiosk_i18n checked, or the HSDS fields hsds[i]
 * as the German source text of keys[i].
 */
static int i18n_for(importer *im, const char *kind, json_t *rec, const char *const keys[], const char *const hsds[],
                    int n, json_t **out)
{
    const char *id = jstr(rec, "id");
    json_t *x = json_object_get(rec, "x_kiosk_i18n");
    json_t *o = json_object();
    *out = o;
    if (x) {
        if (!json_is_object(x))
            return imp_fail(im->err, im->errlen, IMP_ERR_SYNTAX, "%s: %s %s: field x_kiosk_i18n: not an object",
                            im->file, kind, id);
        const char *lang, *k;
        json_t *tr, *v;
        json_object_foreach(x, lang, tr) {
            if (!imp_lang_known(lang))
                return imp_fail(im->err, im->errlen, IMP_ERR_LANGUAGE, "%s: %s %s: field x_kiosk_i18n: \"%s\"",
                                im->file, kind, id, lang);
            const char *st = jstr(tr, "status");
            if (!st || (strcmp(st, "complete") && strcmp(st, "machine") && strcmp(st, "outdated")))
                return imp_fail(im->err, im->errlen, IMP_ERR_UNMAPPED,
                                "%s: %s %s: field x_kiosk_i18n.%s.status: complete, machine or outdated", im->file,
                                kind, id, lang);
            json_t *t = json_pack("{ss}", "status", st);
            json_object_foreach(tr, k, v) {
                int known = 0;
                for (int i = 0; i < n; i++) known |= !strcmp(k, keys[i]);
                if (!known || !json_is_string(v)) continue;
                int rc = check_text(im, kind, id, k, json_string_value(v));
                if (rc) { json_decref(t); return rc; }
                json_object_set(t, k, v);
            }
            json_object_set_new(o, lang, t);
            json_object_set_new(im->seen_langs, lang, json_true());
        }
        return IMP_OK;
    }
    json_t *de = json_pack("{ss}", "status", "complete");
    for (int i = 0; i < n; i++) {
        const char *t = hsds[i] ? jstr(rec, hsds[i]) : NULL;
        int rc = check_text(im, kind, id, hsds[i] ? hsds[i] : keys[i], t);
        if (rc) { json_decref(de); return rc; }
        if (t) json_object_set_new(de, keys[i], json_string(t));
    }
    json_object_set_new(o, "de", de);
    return IMP_OK;
}

static int phones_for(importer *im, const char *kind, const char *id, json_t *rec, json_t *out)
{
    size_t i;
    json_t *p;
    json_t *a = json_array();
    json_array_foreach(json_object_get(rec, "phones"), i, p) {
        if (!jstr(p, "number")) {
            json_decref(a);
            return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s: %s %s: field phones[%zu].number", im->file,
                            kind, id, i);
        }
        json_array_append_new(a, json_pack("{ss ss}", "number", jstr(p, "number"), "type",
                                           jstr(p, "type") ? jstr(p, "type") : "voice"));
    }
    if (json_array_size(a)) json_object_set_new(out, "phones", a);
    else json_decref(a);
    return IMP_OK;
}

static int location_src(importer *im, json_t *l, json_t **out)
{
    const char *id = jstr(l, "id"), *slug;
    int rc = slug_for(im, "location", l, &slug);
    if (rc) return rc;
    json_t *o = json_pack("{ss}", "id", slug);
    *out = o;
    json_t *addr = NULL, *a;
    size_t i;
    json_array_foreach(json_object_get(l, "addresses"), i, a) {
        const char *t = jstr(a, "address_type");
        if (!addr || (t && !strcmp(t, "physical"))) addr = a;
    }
    static const char *const map[][2] = {{"street", "address_1"}, {"postcode", "postal_code"}, {"city", "city"},
                                         {"district", "region"}};
    for (size_t k = 0; addr && k < 4; k++)
        if (jstr(addr, map[k][1])) json_object_set_new(o, map[k][0], json_string(jstr(addr, map[k][1])));
    for (const char *k = "latitude"; k; k = strcmp(k, "latitude") ? NULL : "longitude") {
        json_t *v = json_object_get(l, k);
        if (v && !json_is_number(v))
            return imp_fail(im->err, im->errlen, IMP_ERR_SYNTAX, "%s: location %s: field %s: not a number", im->file,
                            id, k);
        if (v) json_object_set_new(o, k, json_real(json_number_value(v)));
    }
    static const char *const keys[] = {"name", "accessibility", "transit", "city"};
    static const char *const hsds[] = {"name", NULL, "transportation", NULL};
    json_t *i18n;
    rc = i18n_for(im, "location", l, keys, hsds, 4, &i18n);
    json_object_set_new(o, "i18n", i18n);
    if (rc) return rc;
    const char *acc = jstr(json_array_get(json_object_get(l, "accessibility"), 0), "description");
    if (acc && !json_object_get(l, "x_kiosk_i18n")) json_object_set_new(json_object_get(i18n, "de"), "accessibility", json_string(acc));
    return phones_for(im, "location", id, l, o);
}

static int org_src(importer *im, json_t *org, json_t **out)
{
    const char *id = jstr(org, "id"), *slug;
    int rc = slug_for(im, "organization", org, &slug);
    if (rc) return rc;
    json_t *o = json_pack("{ss}", "id", slug);
    *out = o;
    if (jstr(org, "email")) json_object_set_new(o, "email", json_string(jstr(org, "email")));
    if (jstr(org, "website")) json_object_set_new(o, "url", json_string(jstr(org, "website")));
    if ((rc = phones_for(im, "organization", id, org, o))) return rc;
    static const char *const keys[] = {"name", "description"};
    json_t *i18n;
    rc = i18n_for(im, "organization", org, keys, keys, 2, &i18n);
    json_object_set_new(o, "i18n", i18n);
    if (rc) return rc;
    json_t *locs = json_array();
    json_object_set_new(o, "locations", locs);
    const char *lid;
    json_t *owner;
    json_object_foreach(im->loc_owner, lid, owner) {
        if (strcmp(json_string_value(owner), id)) continue;
        json_t *l = NULL;
        rc = location_src(im, json_object_get(im->locs, lid), &l);
        json_array_append_new(locs, l);
        if (rc) return rc;
    }
    return IMP_OK;
}

static int valid_hhmm(const char *in, char out[6])
{
    int h, m;
    if (!in || strlen(in) < 4 || sscanf(in, "%d:%d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 || m > 59) return 0;
    snprintf(out, 6, "%02d:%02d", h, m);
    return 1;
}

static int valid_day(const char *in, char out[11])
{
    int y, m, d;
    if (!in || strlen(in) < 10 || sscanf(in, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 1;
}

static int schedule_src(importer *im, const char *sid, json_t *s, const char *loc_hid, json_t *out)
{
    const char *id = jstr(s, "id") ? jstr(s, "id") : "?";
    const char *freq = jstr(s, "freq");
#define SFAIL(code, ...) imp_fail(im->err, im->errlen, code, "%s: service %s: schedule %s: " __VA_ARGS__)
    if (!freq || (strcmp(freq, "WEEKLY") && strcmp(freq, "MONTHLY")))
        return SFAIL(IMP_ERR_UNMAPPED, "field freq: WEEKLY or MONTHLY", im->file, sid, id);
    if (!jstr(s, "byday")) return SFAIL(IMP_ERR_MISSING, "field byday", im->file, sid, id);
    char o[6], c[6], d[11];
    if (!valid_hhmm(jstr(s, "opens_at"), o)) return SFAIL(IMP_ERR_UNMAPPED, "field opens_at: HH:MM", im->file, sid, id);
    if (!valid_hhmm(jstr(s, "closes_at"), c)) return SFAIL(IMP_ERR_UNMAPPED, "field closes_at: HH:MM", im->file, sid, id);
    json_t *r = json_object();
    json_array_append_new(out, r);
    const char *lh = jstr(s, "location_id") ? jstr(s, "location_id") : loc_hid;
    if (lh) {
        if (!slug_of(im, "location", lh)) return SFAIL(IMP_ERR_MISSING, "field location_id: no location %s", im->file, sid, id, lh);
        json_object_set_new(r, "location", json_string(slug_of(im, "location", lh)));
    }
    json_object_set_new(r, "freq", json_string(freq));
    json_t *iv = json_object_get(s, "interval");
    if (iv && (!json_is_number(iv) || json_number_value(iv) < 1 || json_number_value(iv) > 52))
        return SFAIL(IMP_ERR_UNMAPPED, "field interval: 1 to 52", im->file, sid, id);
    json_object_set_new(r, "interval", json_integer(iv ? (json_int_t)json_number_value(iv) : 1));
    json_object_set_new(r, "byday", json_string(jstr(s, "byday")));
    if (jstr(s, "bymonthday")) json_object_set_new(r, "bymonthday", json_string(jstr(s, "bymonthday")));
    json_object_set_new(r, "opens_at", json_string(o));
    json_object_set_new(r, "closes_at", json_string(c));
    for (const char *k = "valid_from"; k; k = strcmp(k, "valid_from") ? NULL : "valid_to") {
        if (!jstr(s, k)) continue;
        if (!valid_day(jstr(s, k), d)) return SFAIL(IMP_ERR_UNMAPPED, "field %s: YYYY-MM-DD", im->file, sid, id, k);
        json_object_set_new(r, k, json_string(d));
    }
    const char *zone = jstr(s, "x_kiosk_timezone");
    json_t *tz = json_object_get(s, "timezone");
    /* an offset cannot say which zone, and so not when daylight saving begins: only the pack's
     * own zone's is taken, as that zone (the build gives a schedule without one the pack's) */
    if (!zone && tz && !(json_is_number(tz) && json_number_value(tz) == imp_zone_std_offset(im->zone)))
        return SFAIL(IMP_ERR_UNMAPPED, "field timezone: a UTC offset other than %s's needs x_kiosk_timezone",
                     im->file, sid, id, im->zone);
    if (zone) json_object_set_new(r, "timezone", json_string(zone));
    json_t *sl = json_object_get(s, "x_kiosk_slot_minutes"), *cap = json_object_get(s, "x_kiosk_capacity");
    if (json_is_number(sl) && json_is_number(cap)) {
        json_object_set_new(r, "slot_minutes", json_integer((json_int_t)json_number_value(sl)));
        json_object_set_new(r, "capacity", json_integer((json_int_t)json_number_value(cap)));
    }
#undef SFAIL
    return IMP_OK;
}

static int offer_src(importer *im, json_t *s, json_t **out)
{
    const char *id = jstr(s, "id"), *slug;
    *out = NULL;
    int rc = slug_for(im, "service", s, &slug);
    if (rc) return rc;
    json_t *o = json_pack("{ss}", "id", slug);
    *out = o;
#define OFAIL(code, ...) imp_fail(im->err, im->errlen, code, "%s: service %s: " __VA_ARGS__)
    const char *org = slug_of(im, "organization", jstr(s, "organization_id"));
    if (!org) return OFAIL(IMP_ERR_MISSING, "field organization_id: no such organization", im->file, id);
    json_object_set_new(o, "organization", json_string(org));
    json_t *cats = json_array(), *v;
    json_object_set_new(o, "categories", cats);
    size_t i;
    json_array_foreach(json_object_get(s, "attributes"), i, v) {
        const char *tid = jstr(v, "taxonomy_term_id");
        if (!tid) tid = jstr(json_object_get(v, "taxonomy_term"), "id");
        const char *le = jstr(v, "link_entity");
        if (!tid || (le && strcmp(le, "service"))) continue;
        if (!json_object_get(im->terms, tid))
            return OFAIL(IMP_ERR_MISSING, "field attributes[%zu].taxonomy_term_id: no taxonomy term %s", im->file, id, i, tid);
        const char *ts;
        if ((rc = slug_for(im, "taxonomy_term", json_object_get(im->terms, tid), &ts))) return rc;
        json_array_append_new(cats, json_string(ts));
        json_object_set_new(im->used_terms, tid, json_true());
    }
    if (!json_array_size(cats))
        return OFAIL(IMP_ERR_MISSING, "field attributes: no taxonomy term (category)", im->file, id);
    json_t *locs = json_array(), *scheds = json_array();
    json_object_set_new(o, "locations", locs);
    json_array_foreach(json_object_get(s, "service_at_locations"), i, v) {
        const char *lh = jstr(v, "location_id") ? jstr(v, "location_id") : jstr(json_object_get(v, "location"), "id");
        if (!slug_of(im, "location", lh))
            return OFAIL(IMP_ERR_MISSING, "field service_at_locations[%zu].location_id", im->file, id, i);
        json_array_append_new(locs, json_string(slug_of(im, "location", lh)));
        size_t k;
        json_t *sc;
        json_array_foreach(json_object_get(v, "schedules"), k, sc)
            if ((rc = schedule_src(im, id, sc, lh, scheds))) { json_decref(scheds); return rc; }
    }
    if (jstr(s, "email")) json_object_set_new(o, "email", json_string(jstr(s, "email")));
    if (jstr(s, "url")) json_object_set_new(o, "url", json_string(jstr(s, "url")));
    if ((rc = phones_for(im, "service", id, s, o))) { json_decref(scheds); return rc; }
    json_t *langs = json_array();
    json_object_set_new(o, "languages", langs);
    json_array_foreach(json_object_get(s, "languages"), i, v) {
        const char *code = jstr(v, "code");
        char c[16];
        if (!code || strlen(code) > 12 || !imp_slug(code, c, sizeof c)) {
            json_decref(scheds);
            return OFAIL(IMP_ERR_UNMAPPED, "field languages[%zu].code: an ISO 639 code", im->file, id, i);
        }
        json_array_append_new(langs, json_string(c));
    }
    json_array_foreach(json_object_get(s, "schedules"), i, v)
        if ((rc = schedule_src(im, id, v, NULL, scheds))) { json_decref(scheds); return rc; }
    json_object_set_new(o, "schedules", scheds);
    json_t *closed = json_object_get(s, "x_kiosk_closed");
    if (json_array_size(closed)) json_object_set(o, "closed", closed);
    static const char *const keys[] = {"name", "summary", "description", "eligibility", "cost"};
    static const char *const hsds[] = {"name", NULL, "description", "eligibility_description", "fees_description"};
    json_t *i18n;
    rc = i18n_for(im, "service", s, keys, hsds, 5, &i18n);
    json_object_set_new(o, "i18n", i18n);
    if (!rc && !jstr(json_object_get(i18n, "de"), "name"))
        rc = OFAIL(IMP_ERR_MISSING, "field name (German)", im->file, id);
#undef OFAIL
    return rc;
}

/* Every record of the nested form, registered by id; duplicates refused. */
static int collect(importer *im, json_t *services, json_t *orgs, json_t *terms)
{
    size_t i, k;
    json_t *o, *l;
    int rc = IMP_OK;
    json_array_foreach(orgs, i, o) {
        if ((rc = put_rec(im, im->orgs, "organization", o, 0))) return rc;
        json_array_foreach(json_object_get(o, "locations"), k, l) {
            if ((rc = put_rec(im, im->locs, "location", l, 0))) return rc;
            json_object_set_new(im->loc_owner, jstr(l, "id"), json_string(jstr(o, "id")));
        }
    }
    json_array_foreach(terms, i, o) if ((rc = put_rec(im, im->terms, "taxonomy_term", o, 0))) return rc;
    json_t *svc_ids = json_object();
    json_array_foreach(services, i, o) {
        if ((rc = put_rec(im, svc_ids, "service", o, 0))) break;
        json_t *org = json_object_get(o, "organization");
        if (org && (rc = put_rec(im, im->orgs, "organization", org, 1))) break;
        json_array_foreach(json_object_get(o, "service_at_locations"), k, l) {
            json_t *loc = json_object_get(l, "location");
            if (!loc) continue;
            if ((rc = put_rec(im, im->locs, "location", loc, 1))) break;
            if (!json_object_get(im->loc_owner, jstr(loc, "id"))) {
                const char *owner = jstr(loc, "organization_id") ? jstr(loc, "organization_id") : jstr(o, "organization_id");
                if (owner) json_object_set_new(im->loc_owner, jstr(loc, "id"), json_string(owner));
            }
        }
        if (rc) break;
        json_array_foreach(json_object_get(o, "attributes"), k, l) {
            json_t *t = json_object_get(l, "taxonomy_term");
            if (t && (rc = put_rec(im, im->terms, "taxonomy_term", t, 1))) break;
        }
        if (rc) break;
    }
    json_decref(svc_ids);
    if (rc) return rc;
    /* our ids first, so references can be resolved in any order */
    const char *hid, *slug;
    json_object_foreach(im->orgs, hid, o) if ((rc = slug_for(im, "organization", o, &slug))) return rc;
    json_object_foreach(im->locs, hid, o) if ((rc = slug_for(im, "location", o, &slug))) return rc;
    const char *lid;
    json_t *owner;
    json_object_foreach(im->loc_owner, lid, owner)
        if (!json_object_get(im->orgs, json_string_value(owner)))
            return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s: location %s: field organization_id: no %s",
                            im->file, lid, json_string_value(owner));
    return IMP_OK;
}

static int pack_src(importer *im, json_t *ext, json_t **out)
{
    json_t *p;
    if (ext) {
        p = json_deep_copy(ext);
        size_t i;
        json_t *l = NULL;
        if (!json_is_object(p) || !json_is_array(json_object_get(p, "languages"))) {
            json_decref(p);
            *out = NULL;
            return imp_fail(im->err, im->errlen, IMP_ERR_MISSING, "%s: x_kiosk_pack: field languages", im->file);
        }
        *out = p;
        json_array_foreach(json_object_get(p, "languages"), i, l)
            if (!imp_lang_known(json_string_value(l)))
                return imp_fail(im->err, im->errlen, IMP_ERR_LANGUAGE, "%s: x_kiosk_pack: field languages[%zu]",
                                im->file, i);
        const char *lang;
        json_object_foreach(im->seen_langs, lang, l) {
            int listed = 0;
            json_t *v;
            json_array_foreach(json_object_get(p, "languages"), i, v) listed |= !strcmp(json_string_value(v), lang);
            if (!listed) json_array_append_new(json_object_get(p, "languages"), json_string(lang));
        }
        return IMP_OK;
    }
    json_t *langs = json_array();
    for (int i = 0; i < i18n_lang_count(); i++) {
        const char *c = i18n_lang_at(i)->code;
        if (!strcmp(c, "de") || json_object_get(im->seen_langs, c)) json_array_append_new(langs, json_string(c));
    }
    p = json_pack("{ss si ss so s{s{ss ss}}}", "id", "hsds-import", "version", 1, "source_language", "de", "languages",
                  langs, "i18n", "de", "status", "complete", "title", "HSDS-Import");
    *out = p;
    return IMP_OK;
}

static int cats_src(importer *im, json_t *out, const char *pict_out)
{
    const char *hid;
    json_t *t;
    int order = 0, rc;
    json_object_foreach(im->terms, hid, t) {
        if (!json_object_get(im->used_terms, hid) && !jstr(t, "x_kiosk_id")) continue;
        const char *slug;
        if ((rc = slug_for(im, "taxonomy_term", t, &slug))) return rc;
        json_t *c = json_pack("{ss}", "id", slug);
        json_array_append_new(out, c);
        json_t *ord = json_object_get(t, "x_kiosk_order");
        json_object_set_new(c, "order", json_integer(json_is_number(ord) ? (json_int_t)json_number_value(ord) : ++order));
        const char *icon = jstr(t, "x_kiosk_icon");
        if (icon) {
            char from[PATH_MAX], to[PATH_MAX];
            if ((rc = imp_path(from, im->err, im->errlen, "%s/%s", im->pict, icon)) ||
                (rc = imp_path(to, im->err, im->errlen, "%s/%s", pict_out, icon)))
                return rc;
            if (strchr(icon, '/') || !exists(from)) {
                if (im->report) fprintf(im->report, "category %s: icon %s not found beside the source, left out\n", slug, icon);
            } else {
                if ((rc = imp_copy_file(from, to, im->err, im->errlen))) return rc;
                json_object_set_new(c, "icon", json_string(icon));
            }
        }
        static const char *const keys[] = {"name", "description"};
        json_t *i18n;
        rc = i18n_for(im, "taxonomy_term", t, keys, keys, 2, &i18n);
        json_object_set_new(c, "i18n", i18n);
        if (rc) return rc;
    }
    return IMP_OK;
}


int hsds_to_sources(importer *im, json_t *services, json_t *orgs, json_t *terms, json_t *ext, json_t *intake,
                    const char *out_dir)
{
    im->zone = jstr(ext, "timezone") ? jstr(ext, "timezone") : STORE_DEFAULT_ZONE;
    int rc = collect(im, services, orgs, terms);
    json_t *offers = json_array(), *org_src_a = json_array(), *cats = json_array(), *pack = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(services, i, s) {
        if (rc) break;
        const char *st = jstr(s, "status");
        if (st && strcmp(st, "active")) {
            if (im->report) fprintf(im->report, "%s: service %s: status \"%s\", not imported\n", im->file, jstr(s, "id"), st);
            continue;
        }
        json_t *o = NULL;
        rc = offer_src(im, s, &o);
        if (o) json_array_append_new(offers, o);
    }
    const char *hid;
    json_object_foreach(im->orgs, hid, s) {
        if (rc) break;
        json_t *o = NULL;
        rc = org_src(im, s, &o);
        json_array_append_new(org_src_a, o);
    }
    imp_tree tree;
    int began = 0;
    if (!rc) rc = pack_src(im, ext, &pack);
    if (!rc && !(rc = imp_tree_begin(&tree, out_dir, im->err, im->errlen))) began = 1;
    char dir[PATH_MAX];
    if (!rc) rc = imp_tree_mkdir(&tree, "pictograms", im->err, im->errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "organizations", im->err, im->errlen);
    if (!rc) rc = imp_tree_mkdir(&tree, "offers", im->err, im->errlen);
    if (!rc) rc = imp_path(dir, im->err, im->errlen, "%s/pictograms", tree.tmp);
    if (!rc) rc = cats_src(im, cats, dir);
    if (!rc) rc = imp_intake_write(intake, im->intake_file, im->pict, tree.tmp, dir, im->report, im->err, im->errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "pack.json", pack, im->err, im->errlen);
    if (!rc) rc = imp_write_json(tree.tmp, "categories.json", cats, im->err, im->errlen);
    for (int pass = 0; pass < 2 && !rc; pass++) {
        json_t *list = pass ? offers : org_src_a;
        if ((rc = imp_path(dir, im->err, im->errlen, "%s/%s", tree.tmp, pass ? "offers" : "organizations"))) break;
        json_array_foreach(list, i, s) {
            char name[400];
            snprintf(name, sizeof name, "%s.json", jstr(s, "id")); /* slug_for let no '/' through */
            if ((rc = imp_write_json(dir, name, s, im->err, im->errlen))) break;
        }
    }
    if (!rc) rc = imp_tree_commit(&tree, im->err, im->errlen);
    if (rc && began) imp_tree_abort(&tree);
    if (!rc && im->report)
        fprintf(im->report, "imported %zu offers, %zu organizations, %zu categories\n", json_array_size(offers),
                json_array_size(org_src_a), json_array_size(cats));
    json_decref(offers);
    json_decref(org_src_a);
    json_decref(cats);
    json_decref(pack);
    return rc;
}
