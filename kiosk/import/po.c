/*
 * po.c: the content's texts as a gettext PO file for translators (Poedit, Weblate), and back
 * (import.h). One entry per entity and field: msgctxt "offers/ID#field", msgid the German
 * text, msgstr the translation. Machine-made and outdated translations are fuzzy, so the
 * tools show them for review. libgettextpo reads and writes the files.
 *
 * Our status is kept per entity and language, not per field: on import an entity's
 * translation becomes "complete" when every field of it was reviewed (not fuzzy) against the
 * current German text, "outdated" when any field was translated from German that has changed
 * since, "machine" otherwise.
 */
#include "import_priv.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include "platform/fmt.h"
#include "platform/gpo_dl.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One source file, loaded. */
typedef struct src_file {
    char rel[400];  /* path below the sources folder */
    json_t *j;
} src_file;

typedef struct sources {
    src_file *f;
    int n;
} sources;

static void sources_free(sources *s)
{
    for (int i = 0; i < s->n; i++) json_decref(s->f[i].j);
    free(s->f);
}

static int add_file(sources *s, const char *dir, const char *rel, char *err, size_t errlen)
{
    char path[PATH_MAX];
    int rc = imp_path(path, err, errlen, "%s/%s", dir, rel);
    if (rc) return rc;
    struct stat sb;
    if (stat(path, &sb) != 0) return IMP_OK;
    json_t *j = imp_load_json(path, &rc, err, errlen);
    if (!j) return rc;
    src_file *nf = realloc(s->f, sizeof *nf * (size_t)(s->n + 1));
    if (!nf) { json_decref(j); return imp_fail(err, errlen, IMP_ERR_IO, "out of memory"); }
    s->f = nf;
    snprintf(s->f[s->n].rel, sizeof s->f[s->n].rel, "%s", rel);
    s->f[s->n++].j = j;
    return IMP_OK;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int load_sources(sources *s, const char *dir, char *err, size_t errlen)
{
    static const char *const top[] = {"pack.json", "categories.json", "intake.json"};
    int rc = IMP_OK;
    for (size_t i = 0; i < 3 && !rc; i++) rc = add_file(s, dir, top[i], err, errlen);
    static const char *const subs[] = {"organizations", "offers"};
    for (size_t k = 0; k < 2 && !rc; k++) {
        char path[PATH_MAX];
        if ((rc = imp_path(path, err, errlen, "%s/%s", dir, subs[k]))) break;
        DIR *d = opendir(path);
        if (!d) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", path, strerror(errno));
        char **names = NULL;
        int n = 0;
        struct dirent *e;
        /* a folder read only in part would translate only some offers, and say nothing */
        while (errno = 0, (e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l < 6 || strcmp(e->d_name + l - 5, ".json")) continue;
            char **nn = realloc(names, sizeof *nn * (size_t)(n + 1));
            if (!nn || !(nn[n] = strdup(e->d_name))) {
                if (nn) names = nn;
                errno = ENOMEM;
                break;
            }
            names = nn;
            n++;
        }
        if (errno) rc = imp_fail(err, errlen, IMP_ERR_IO, "%s: cannot read the folder: %s", path, strerror(errno));
        closedir(d);
        if (n > 1) qsort(names, (size_t)n, sizeof *names, name_cmp);
        for (int i = 0; i < n; i++) {
            char rel[400];
            snprintf(rel, sizeof rel, "%s/%s", subs[k], names[i]);
            if (!rc) rc = add_file(s, dir, rel, err, errlen);
            free(names[i]);
        }
        free(names);
    }
    return rc;
}

/* One translatable group: an entity's i18n object and the fields it may hold. */
typedef struct group {
    char entity[400];
    const char *file;
    json_t *i18n;
    const char *const *fields;
    int nfields;
} group;

typedef int (*group_fn)(void *ctx, group *g);

static const char *const f_offer[] = {"name", "summary", "description", "eligibility", "cost"};
static const char *const f_named[] = {"name", "description"};
static const char *const f_loc[] = {"name", "accessibility", "transit", "city"};
static const char *const f_title[] = {"title"};
static const char *const f_q[] = {"text"};
static const char *const f_a[] = {"label", "reason"};

static int visit(sources *s, group_fn fn, void *ctx)
{
    int rc = IMP_OK;
    for (int i = 0; i < s->n && !rc; i++) {
        json_t *j = s->f[i].j;
        const char *rel = s->f[i].rel;
        group g = {.file = rel};
        size_t k, m;
        json_t *v, *a;
#define EMIT(ent_fmt, ent_arg, obj, flds)                                                  \
    do {                                                                                   \
        snprintf(g.entity, sizeof g.entity, ent_fmt, ent_arg);                             \
        g.i18n = json_object_get(obj, "i18n");                                             \
        g.fields = flds;                                                                   \
        g.nfields = (int)(sizeof flds / sizeof flds[0]);                                   \
        if (json_is_object(g.i18n) && (rc = fn(ctx, &g))) return rc;                       \
    } while (0)
        if (!strcmp(rel, "pack.json")) {
            EMIT("%s", "pack", j, f_title);
        } else if (!strcmp(rel, "categories.json")) {
            json_array_foreach(j, k, v) if (json_is_string(json_object_get(v, "id")))
                EMIT("categories/%s", json_string_value(json_object_get(v, "id")), v, f_named);
        } else if (!strcmp(rel, "intake.json")) {
            json_array_foreach(json_object_get(j, "questions"), k, v) {
                const char *qid = json_string_value(json_object_get(v, "id"));
                if (!qid) continue;
                EMIT("intake/%s", qid, v, f_q);
                json_array_foreach(json_object_get(v, "answers"), m, a) {
                    char both[300];
                    snprintf(both, sizeof both, "%s/%s", qid, json_string_value(json_object_get(a, "id")) ?
                                                           json_string_value(json_object_get(a, "id")) : "?");
                    EMIT("intake/%s", both, a, f_a);
                }
            }
        } else if (!strncmp(rel, "organizations/", 14) && json_is_string(json_object_get(j, "id"))) {
            EMIT("organizations/%s", json_string_value(json_object_get(j, "id")), j, f_named);
            json_array_foreach(json_object_get(j, "locations"), k, v) if (json_is_string(json_object_get(v, "id")))
                EMIT("locations/%s", json_string_value(json_object_get(v, "id")), v, f_loc);
        } else if (!strncmp(rel, "offers/", 7) && json_is_string(json_object_get(j, "id"))) {
            EMIT("offers/%s", json_string_value(json_object_get(j, "id")), j, f_offer);
        }
#undef EMIT
    }
    return rc;
}

/* ---------- libgettextpo's error callbacks (it has no user data: per thread) ---------- */

static __thread jmp_buf *po_jmp;
static __thread char po_msg[600];

static void po_report(int severity, const char *file, size_t line, const char *text)
{
    if (severity >= PO_SEVERITY_ERROR && !po_msg[0])
        snprintf(po_msg, sizeof po_msg, "%s:%zu: %s", file ? file : "?", line == (size_t)-1 ? 0 : line,
                 text ? text : "error");
    if (severity == PO_SEVERITY_FATAL_ERROR && po_jmp) longjmp(*po_jmp, 1);
}

static void po_xerror(int severity, po_message_t m, const char *file, size_t line, size_t col, int multi,
                      const char *text)
{
    (void)m, (void)col, (void)multi;
    po_report(severity, file, line, text);
}

static void po_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int mu1, const char *t1,
                       po_message_t m2, const char *f2, size_t l2, size_t c2, int mu2, const char *t2)
{
    (void)m1, (void)c1, (void)mu1, (void)m2, (void)f2, (void)l2, (void)c2, (void)mu2, (void)t2;
    po_report(severity, f1, l1, t1);
}

static const struct po_xerror_handler po_handler = {po_xerror, po_xerror2};

/* ---------- export ---------- */

typedef struct exp_ctx {
    const char *lang;
    po_message_iterator_t it;
    int count;
} exp_ctx;

static int export_group(void *ctx, group *g)
{
    exp_ctx *x = ctx;
    json_t *de = json_object_get(g->i18n, "de"), *tr = json_object_get(g->i18n, x->lang);
    const char *status = json_string_value(json_object_get(tr, "status"));
    for (int f = 0; f < g->nfields; f++) {
        const char *src = json_string_value(json_object_get(de, g->fields[f]));
        if (!src || !src[0]) continue;
        const char *t = json_string_value(json_object_get(tr, g->fields[f]));
        char ctxt[500], note[200];
        snprintf(ctxt, sizeof ctxt, "%s#%s", g->entity, g->fields[f]);
        po_message_t m = po_message_create();
        po_message_set_msgctxt(m, ctxt);
        po_message_set_msgid(m, src);
        po_message_set_msgstr(m, t ? t : "");
        po_message_add_filepos(m, g->file, (size_t)-1);
        snprintf(note, sizeof note, "status: %s", t && status ? status : "missing");
        po_message_set_extracted_comments(m, note);
        /* only what a person wrote against today's German text is final */
        if (t && status && strcmp(status, "complete")) po_message_set_fuzzy(m, 1);
        po_message_insert(x->it, m);
        x->count++;
    }
    return IMP_OK;
}

int imp_po_export(const char *src_dir, const char *lang, const char *out_po, char *err, size_t errlen)
{
    if (!imp_lang_known(lang) || !strcmp(lang, "de"))
        return imp_fail(err, errlen, IMP_ERR_LANGUAGE, "\"%s\": a translation language of the kiosk", lang);
    sources s = {0};
    int rc = load_sources(&s, src_dir, err, errlen);
    if (rc) { sources_free(&s); return rc; }
    po_file_t pf = po_file_create();
    po_message_iterator_t it = po_message_iterator(pf, NULL);
    po_message_t h = po_message_create();
    char header[400], when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M+0000", &tm);
    snprintf(header, sizeof header,
             "Project-Id-Version: kiosk content\nPO-Revision-Date: %s\nLast-Translator: \nLanguage-Team: \n"
             "Language: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
             "Content-Transfer-Encoding: 8bit\n", when, lang);
    po_message_set_msgid(h, "");
    po_message_set_msgstr(h, header);
    po_message_insert(it, h);
    exp_ctx x = {.lang = lang, .it = it};
    rc = visit(&s, export_group, &x);
    po_message_iterator_free(it);
    char tmp[PATH_MAX] = "";
    if (!rc) rc = imp_path(tmp, err, errlen, "%s.partial", out_po);
    if (!rc) {
        jmp_buf jb;
        po_msg[0] = 0;
        po_jmp = &jb;
        if (setjmp(jb) == 0) {
            if (!po_file_write(pf, tmp, &po_handler) || po_msg[0])
                rc = imp_fail(err, errlen, IMP_ERR_IO, "%s", po_msg[0] ? po_msg : tmp);
        } else {
            rc = imp_fail(err, errlen, IMP_ERR_IO, "%s", po_msg[0] ? po_msg : tmp);
        }
        po_jmp = NULL;
    }
    po_file_free(pf);
    sources_free(&s);
    if (!rc && rename(tmp, out_po) != 0) rc = imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", out_po, strerror(errno));
    if (rc && tmp[0]) unlink(tmp);
    return rc;
}

/* ---------- import ---------- */

typedef struct imp_ctx {
    const char *lang, *po_path;
    json_t *entries;  /* msgctxt -> {"msgid", "msgstr", "fuzzy"} */
    json_t *used;     /* msgctxt -> true */
    int updated;
    char *err;
    size_t errlen;
} imp_ctx;

static int import_group(void *ctx, group *g)
{
    imp_ctx *x = ctx;
    json_t *de = json_object_get(g->i18n, "de");
    json_t *tr = json_object_get(g->i18n, x->lang);
    int any = 0, fuzzy = 0, outdated = 0, untouched = 0;
    json_t *next = tr ? json_deep_copy(tr) : json_object();
    for (int f = 0; f < g->nfields; f++) {
        char ctxt[500];
        snprintf(ctxt, sizeof ctxt, "%s#%s", g->entity, g->fields[f]);
        json_t *e = json_object_get(x->entries, ctxt);
        const char *src = json_string_value(json_object_get(de, g->fields[f]));
        if (!e) {
            if (json_object_get(next, g->fields[f])) untouched = 1;
            continue;
        }
        json_object_set_new(x->used, ctxt, json_true());
        const char *msgstr = json_string_value(json_object_get(e, "msgstr"));
        if (!msgstr || !msgstr[0]) {
            if (json_object_get(next, g->fields[f])) untouched = 1;
            continue;
        }
        any = 1;
        json_object_set_new(next, g->fields[f], json_string(msgstr));
        /* translated from German that is no longer the source text */
        if (!src || strcmp(src, json_string_value(json_object_get(e, "msgid")))) outdated = 1;
        if (json_is_true(json_object_get(e, "fuzzy"))) fuzzy = 1;
    }
    if (!any) {
        json_decref(next);
        return IMP_OK;
    }
    const char *old = json_string_value(json_object_get(tr, "status"));
    const char *status = "complete";
    if (outdated) status = "outdated";
    else if (fuzzy) status = old && !strcmp(old, "outdated") ? "outdated" : "machine";
    else if (untouched && old) status = old; /* fields the file did not carry keep what they were */
    json_object_set_new(next, "status", json_string(status));
    json_object_set_new(g->i18n, x->lang, next);
    x->updated++;
    return IMP_OK;
}

/* Copy a source tree (files, folders, symbolic links such as pictograms/) for rewriting. */
static __thread const char *copy_from, *copy_to;
static __thread int copy_failed;

static int copy_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    char dst[PATH_MAX];
    char e[64];
    /* the copy's path is longer by ".partial": a source tree near PATH_MAX may not fit */
    if (fmt_fit(dst, sizeof dst, "%s%s", copy_to, path + strlen(copy_from))) copy_failed = 1;
    else if (flag == FTW_D) copy_failed |= mkdir(dst, sb->st_mode & 0777) != 0 && errno != EEXIST;
    else if (flag == FTW_SL) {
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0 || n >= (ssize_t)sizeof target - 1) copy_failed = 1; /* possibly cut: another target */
        else { target[n] = 0; copy_failed |= symlink(target, dst) != 0; }
    } else if (flag == FTW_F) copy_failed |= imp_copy_file(path, dst, e, sizeof e) != IMP_OK;
    return copy_failed;
}

int imp_po_import(const char *src_dir, const char *lang, const char *po_path, FILE *report, char *err, size_t errlen)
{
    if (!imp_lang_known(lang) || !strcmp(lang, "de"))
        return imp_fail(err, errlen, IMP_ERR_LANGUAGE, "\"%s\": a translation language of the kiosk", lang);
    struct stat sb;
    if (stat(po_path, &sb) != 0) return imp_fail(err, errlen, IMP_ERR_IO, "%s: %s", po_path, strerror(errno));
    if (sb.st_size > IMP_MAX_FILE) return imp_fail(err, errlen, IMP_ERR_TOO_BIG, "%s", po_path);
    imp_ctx x = {.lang = lang, .po_path = po_path, .entries = json_object(), .used = json_object(), .err = err,
                 .errlen = errlen};
    int rc = IMP_OK;
    jmp_buf jb;
    volatile po_file_t pf = NULL;
    po_msg[0] = 0;
    po_jmp = &jb;
    if (setjmp(jb) == 0) pf = po_file_read(po_path, &po_handler);
    po_jmp = NULL;
    if (!pf || po_msg[0]) rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s", po_msg[0] ? po_msg : po_path);
    if (!rc) {
        char *header = (char *)po_file_domain_header(pf, NULL);
        char *hl = header ? po_header_field(header, "Language") : NULL;
        if (hl && strcmp(hl, lang))
            rc = imp_fail(err, errlen, IMP_ERR_LANGUAGE, "%s: Language: %s, not %s", po_path, hl, lang);
        free(hl);
        /* libgettextpo hands over the bytes as they are; the sources are UTF-8 */
        char *ct = header ? po_header_field(header, "Content-Type") : NULL;
        const char *cs = ct ? strstr(ct, "charset=") : NULL;
        if (!rc && cs && strncasecmp(cs + 8, "UTF-8", 5) && strncasecmp(cs + 8, "CHARSET", 7))
            rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s: %s: only UTF-8 is read; save the file as UTF-8", po_path, cs);
        free(ct);
        free(header);
    }
    if (!rc) {
        po_message_iterator_t it = po_message_iterator(pf, NULL);
        po_message_t m;
        while (!rc && (m = po_next_message(it))) {
            if (po_message_is_obsolete(m) || !po_message_msgid(m)[0]) continue;
            const char *c = po_message_msgctxt(m);
            if (!c || !strchr(c, '#')) {
                rc = imp_fail(err, errlen, IMP_ERR_UNMAPPED, "%s: msgid \"%.40s\": no msgctxt naming entity#field", po_path,
                              po_message_msgid(m));
                break;
            }
            if (strlen(po_message_msgstr(m)) > IMP_MAX_FIELD) {
                rc = imp_fail(err, errlen, IMP_ERR_TOO_BIG, "%s: %s: msgstr", po_path, c);
                break;
            }
            if (json_object_get(x.entries, c)) {
                rc = imp_fail(err, errlen, IMP_ERR_DUPLICATE, "%s: msgctxt %s twice", po_path, c);
                break;
            }
            /* jansson takes no invalid UTF-8: without this check such a translation vanished unreported */
            json_t *e = json_pack("{ss ss sb}", "msgid", po_message_msgid(m), "msgstr", po_message_msgstr(m), "fuzzy",
                                  po_message_is_fuzzy(m));
            if (!e || json_object_set_new(x.entries, c, e) != 0) {
                rc = imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s: msgctxt %.200s: not UTF-8", po_path, c);
                break;
            }
        }
        po_message_iterator_free(it);
    }
    if (pf) po_file_free(pf);
    sources s = {0};
    if (!rc) rc = load_sources(&s, src_dir, err, errlen);
    if (!rc) rc = visit(&s, import_group, &x);
    const char *k;
    json_t *v;
    json_object_foreach(x.entries, k, v) {
        if (rc) break;
        if (!json_object_get(x.used, k))
            rc = imp_fail(err, errlen, IMP_ERR_UNMAPPED, "%s: msgctxt %s: no such entity or field in %s", po_path, k, src_dir);
    }
    imp_tree tree;
    int began = 0;
    if (!rc && !(rc = imp_tree_begin(&tree, src_dir, err, errlen))) {
        began = 1;
        imp_rmtree(tree.tmp);
        copy_from = tree.final;
        copy_to = tree.tmp;
        copy_failed = 0;
        if (nftw(tree.final, copy_one, 16, FTW_PHYS) != 0 || copy_failed)
            rc = imp_fail(err, errlen, IMP_ERR_IO, "%s: cannot copy", src_dir);
    }
    for (int i = 0; !rc && i < s.n; i++) {
        char dir[PATH_MAX], name[sizeof s.f[i].rel];
        memcpy(name, s.f[i].rel, sizeof name);
        char *slash = strrchr(name, '/');
        if (slash) {
            *slash = 0;
            rc = imp_path(dir, err, errlen, "%s/%s", tree.tmp, name);
            if (!rc) rc = imp_write_json(dir, slash + 1, s.f[i].j, err, errlen);
        } else {
            rc = imp_write_json(tree.tmp, name, s.f[i].j, err, errlen);
        }
    }
    if (!rc) rc = imp_tree_commit(&tree, err, errlen);
    if (rc && began) imp_tree_abort(&tree);
    if (!rc && report) fprintf(report, "%s: %d translations of %s updated\n", po_path, x.updated, lang);
    sources_free(&s);
    json_decref(x.entries);
    json_decref(x.used);
    return rc;
}
