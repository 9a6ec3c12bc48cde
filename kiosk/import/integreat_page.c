/*
 * integreat_page.c: Integreat's information pages as offers (integreat_priv.h).
 *
 * The kiosk's content has no pages of its own, and a page is what an offer without opening
 * hours already shows: a name, a summary, a long text, a provider, contact lines. So a page
 * becomes an offer of the category the district's mapping names for it, under "pages" in
 * integreat-categories.json: one category (or list) for all pages, or an object keyed by page
 * id or German title, where a page takes the mapping of itself or of its nearest mapped
 * ancestor (parent), so mapping a chapter ("Wohnen") maps everything below it. A page without
 * text of its own only heads its children and is no offer. Unmapped chapters are reported
 * with the number of pages left out under them.
 */
#include "integreat_priv.h"

#include <stdlib.h>
#include <string.h>

/* Deeper than any site's menu; a longer chain of parents is a loop. */
#define IG_MAX_DEPTH 64

static json_t *parent_of(json_t *page, json_t *index)
{
    json_t *p = json_object_get(json_object_get(page, "parent"), "id");
    if (!json_is_integer(p) || json_integer_value(p) <= 0) return NULL;
    char k[32];
    snprintf(k, sizeof k, "%lld", (long long)json_integer_value(p));
    return json_object_get(index, k);
}

/* The mapping of page (or its nearest mapped ancestor); *root gets the top of its chain. */
static int category_of(ig *g, const char *file, json_t *page, json_t *index, json_t **ours, json_t **root)
{
    json_t *m = json_object_get(g->map, "pages");
    *ours = NULL;
    *root = page;
    json_t *cur = page;
    for (int depth = 0; cur; depth++) {
        if (depth == IG_MAX_DEPTH)
            return imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED,
                            "%s: record %lld: field parent: more than %d levels (a loop?)", file, ig_rid(page),
                            IG_MAX_DEPTH);
        json_t *v = m;
        if (json_is_object(m)) {
            char k[32];
            snprintf(k, sizeof k, "%lld", ig_rid(cur));
            v = json_object_get(m, k);
            if (!v && jstr(cur, "title")) v = json_object_get(m, jstr(cur, "title"));
        }
        *root = cur;
        if (v && !*ours) {
            if (json_is_null(v)) return IMP_OK; /* mapped to nothing: this tree is left out */
            *ours = v;
        }
        cur = parent_of(cur, index);
    }
    return IMP_OK;
}

/* Does the HTML hold any text? */
static int has_text(json_t *page)
{
    const char *c = jstr(page, "content");
    if (!c) return 0;
    char *t = imp_html_text(c, strlen(c));
    int some = t && t[strspn(t, " \n\t")];
    free(t);
    return some;
}

int ig_pages(ig *g, const char *file, json_t *list, json_t **idx, const char *region_name)
{
    size_t i, chapters = 0;
    json_t *p;
    json_array_foreach(list, i, p) {
        json_t *ours, *root;
        int rc = category_of(g, file, p, idx[0], &ours, &root);
        if (rc) return rc;
        if (!ours) {
            char k[300];
            snprintf(k, sizeof k, "page %lld \"%s\"", ig_rid(root), jstr(root, "title") ? jstr(root, "title") : "?");
            ig_count_unmapped(g, k);
            continue;
        }
        if (!has_text(p)) {
            chapters++;
            continue;
        }
        /* Integreat names pages and points of interest apart, one id space here: a page whose
         * slug a POI or event has is "page-SLUG" */
        char id[200], slug[190];
        ig_path_slug(p, slug, sizeof slug);
        snprintf(id, sizeof id, "%s", slug);
        if (slug[0] && json_object_get(g->offers, id)) snprintf(id, sizeof id, "page-%s", slug);
        if (!slug[0])
            return imp_fail(g->err, g->errlen, IMP_ERR_UNMAPPED, "%s: record %lld: field path: no usable id", file,
                            ig_rid(p));
        if (json_object_get(g->offers, id))
            return imp_fail(g->err, g->errlen, IMP_ERR_DUPLICATE, "%s: record %lld: field path: \"%s\" twice", file,
                            ig_rid(p), slug);
        const char *oid = ig_region_org(g, json_object_get(p, "organization"), region_name);
        json_t *o = json_pack("{ss ss s[] s[]}", "id", id, "organization", oid, "locations", "schedules");
        json_object_set_new(g->offers, id, o);
        json_object_set_new(o, "categories", ig_categories(ours));
        json_t *i18n = json_object();
        json_object_set_new(o, "i18n", i18n);
        if ((rc = ig_add_translations(g, "pages", file, p, idx, i18n))) return rc;
    }
    if (chapters && g->report)
        fprintf(g->report, "%s: %zu pages without text of their own (chapters), no offers\n", file, chapters);
    return IMP_OK;
}
