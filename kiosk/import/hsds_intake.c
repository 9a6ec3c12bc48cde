/*
 * hsds_intake.c: the guided questions through HSDS (import_priv.h). HSDS has nothing like
 * them, so the export writes them whole, as the intake.json of our sources, into the
 * documented extension (json/x_kiosk_intake.json and "x_kiosk_intake" in datapackage.json);
 * the import writes that object back as intake.json with its pictograms. What an answer
 * matches names our category and offer ids, which the export keeps in x_kiosk_id.
 */
#include "import_priv.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *prep(sqlite3 *db, const char *sql, const char *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        imp_fail(err, errlen, IMP_ERR_DB, "%s", sqlite3_errmsg(db));
        return NULL;
    }
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    return st;
}

static void set_text(json_t *o, const char *key, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    if (s && s[0]) json_object_set_new(o, key, json_string((const char *)s));
}

/* {"de": {"status": ..., key: text}} from (lang, status, columns...) rows for id. */
static json_t *i18n_rows(sqlite3 *db, const char *sql, const char *id, const char *const keys[], int n, int *rc,
                         char *err, size_t errlen)
{
    sqlite3_stmt *st = prep(db, sql, id, err, errlen);
    if (!st) { *rc = IMP_ERR_DB; return NULL; }
    json_t *o = json_object();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *tr = json_object();
        set_text(tr, "status", st, 1);
        for (int i = 0; i < n; i++) set_text(tr, keys[i], st, 2 + i);
        json_object_set_new(o, (const char *)sqlite3_column_text(st, 0), tr);
    }
    sqlite3_finalize(st);
    return o;
}

static json_t *answers_of(sqlite3 *db, const char *qid, int *rc, char *err, size_t errlen)
{
    sqlite3_stmt *st = prep(db, "SELECT id, icon, urgent FROM intake_answer WHERE question_id=?1 ORDER BY sort_order",
                            qid, err, errlen);
    if (!st) { *rc = IMP_ERR_DB; return NULL; }
    json_t *list = json_array();
    static const char *const keys[] = {"label", "reason"};
    size_t ql = strlen(qid);
    while (!*rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *full = (const char *)sqlite3_column_text(st, 0); /* "question/answer" */
        json_t *a = json_object();
        json_array_append_new(list, a);
        json_object_set_new(a, "id", json_string(strlen(full) > ql && full[ql] == '/' ? full + ql + 1 : full));
        set_text(a, "icon", st, 1);
        if (sqlite3_column_int(st, 2)) json_object_set_new(a, "urgent", json_true());
        sqlite3_stmt *m = prep(db, "SELECT kind, target, weight FROM intake_match WHERE answer_id=?1 "
                                   "ORDER BY kind, target", full, err, errlen);
        if (!m) { *rc = IMP_ERR_DB; break; }
        json_t *match = json_array();
        while (sqlite3_step(m) == SQLITE_ROW)
            json_array_append_new(match, json_pack("{sssI}", (const char *)sqlite3_column_text(m, 0),
                                                   (const char *)sqlite3_column_text(m, 1), "weight",
                                                   (json_int_t)sqlite3_column_int64(m, 2)));
        sqlite3_finalize(m);
        if (json_array_size(match)) json_object_set_new(a, "match", match);
        else json_decref(match);
        json_t *i18n = i18n_rows(db, "SELECT lang, status, label, reason FROM intake_answer_i18n WHERE answer_id=?1 "
                                     "ORDER BY lang", full, keys, 2, rc, err, errlen);
        if (i18n) json_object_set_new(a, "i18n", i18n);
    }
    sqlite3_finalize(st);
    return list;
}

json_t *imp_intake_of_db(sqlite3 *db, int *rc, char *err, size_t errlen)
{
    *rc = IMP_OK;
    sqlite3_stmt *st = prep(db, "SELECT id, icon FROM intake_question ORDER BY sort_order", NULL, err, errlen);
    if (!st) { *rc = IMP_ERR_DB; return NULL; }
    json_t *qs = json_array();
    static const char *const keys[] = {"text"};
    while (!*rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        json_t *q = json_pack("{ss}", "id", id);
        json_array_append_new(qs, q);
        set_text(q, "icon", st, 1);
        json_t *i18n = i18n_rows(db, "SELECT lang, status, text FROM intake_question_i18n WHERE question_id=?1 "
                                     "ORDER BY lang", id, keys, 1, rc, err, errlen);
        if (i18n) json_object_set_new(q, "i18n", i18n);
        json_t *answers = answers_of(db, id, rc, err, errlen);
        if (answers) json_object_set_new(q, "answers", answers);
    }
    sqlite3_finalize(st);
    if (*rc || !json_array_size(qs)) {
        json_decref(qs);
        return NULL;
    }
    return json_pack("{so}", "questions", qs);
}

/* Copy the icon of o from pict to pict_out; one that is not there is reported and dropped. */
static int copy_icon(json_t *o, const char *what, const char *pict, const char *pict_out, FILE *report, char *err,
                     size_t errlen)
{
    json_t *v = json_object_get(o, "icon");
    if (!v) return IMP_OK;
    const char *icon = json_string_value(v);
    char from[PATH_MAX], to[PATH_MAX];
    int rc = imp_path(from, err, errlen, "%s/%s", pict, icon ? icon : "");
    if (!rc) rc = imp_path(to, err, errlen, "%s/%s", pict_out, icon ? icon : "");
    if (rc) return rc;
    FILE *f = icon && !strchr(icon, '/') && icon[0] != '.' ? fopen(from, "rb") : NULL;
    if (!f) {
        if (report) fprintf(report, "%s: icon %s not found beside the source, left out\n", what, icon ? icon : "?");
        json_object_del(o, "icon");
        return IMP_OK;
    }
    fclose(f);
    return imp_copy_file(from, to, err, errlen);
}

int imp_intake_write(json_t *intake, const char *file, const char *pict, const char *tree_dir, const char *pict_out,
                     FILE *report, char *err, size_t errlen)
{
    if (!intake) return IMP_OK;
    json_t *qs = json_object_get(intake, "questions");
    if (!json_is_object(intake) || !json_is_array(qs))
        return imp_fail(err, errlen, IMP_ERR_SYNTAX, "%s: x_kiosk_intake: an object with \"questions\"", file);
    json_t *copy = json_deep_copy(intake), *q, *a;
    size_t i, k;
    int rc = IMP_OK;
    json_array_foreach(json_object_get(copy, "questions"), i, q) {
        const char *qid = json_string_value(json_object_get(q, "id"));
        if (!json_is_object(q) || !qid) {
            rc = imp_fail(err, errlen, IMP_ERR_MISSING, "%s: x_kiosk_intake: questions[%zu]: field id", file, i);
            break;
        }
        char what[300];
        snprintf(what, sizeof what, "question %s", qid);
        if ((rc = copy_icon(q, what, pict, pict_out, report, err, errlen))) break;
        json_array_foreach(json_object_get(q, "answers"), k, a) {
            snprintf(what, sizeof what, "question %s: answer %zu", qid, k + 1);
            if (json_is_object(a) && (rc = copy_icon(a, what, pict, pict_out, report, err, errlen))) break;
        }
        if (rc) break;
    }
    if (!rc) rc = imp_write_json(tree_dir, "intake.json", copy, err, errlen);
    json_decref(copy);
    return rc;
}
