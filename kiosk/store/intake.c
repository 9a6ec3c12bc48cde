/*
 * intake.c: the guided questions and the offers that match their answers (store.h).
 *
 * Questions, answers and the mapping to offers come from the content pack, so content editors
 * change them without a firmware update. An answer points at categories or single offers with a
 * weight; an offer's score is the sum over the chosen answers, and the reasons of those answers
 * say why it is listed. Answers are only ever passed in: nothing here stores them.
 */
#include "store.h"
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

static unsigned char *blob_dup(sqlite3_stmt *st, int col, size_t *len)
{
    int n = sqlite3_column_bytes(st, col);
    unsigned char *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b) memcpy(b, sqlite3_column_blob(st, col), (size_t)n);
    *len = b ? (size_t)n : 0;
    return b;
}

static char *text_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

static int load_answers(store *s, store_question *q, const char *const langs[], int nlangs)
{
    sqlite3_stmt *st = NULL, *tr = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT a.id, a.urgent, m.data FROM intake_answer a LEFT JOIN media m ON m.id=a.icon "
                           "WHERE a.question_id=?1 ORDER BY a.sort_order, a.id",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT lang, status, label, reason FROM intake_answer_i18n WHERE answer_id=?1", -1,
                           &tr, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_text(st, 1, q->id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_answer *na = realloc(q->answers, sizeof *na * (size_t)(q->nanswers + 1));
        if (!na) goto done;
        q->answers = na;
        store_answer *a = &na[q->nanswers++];
        memset(a, 0, sizeof *a);
        a->id = text_dup(st, 0);
        a->urgent = sqlite3_column_int(st, 1);
        a->icon = blob_dup(st, 2, &a->icon_len);
        store_text *o[] = {&a->label, &a->reason};
        sqlite3_bind_text(tr, 1, a->id, -1, SQLITE_STATIC);
        store_resolve(tr, 2, langs, nlangs, o);
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(tr);
    return rc;
}

int store_questions(store *s, const char *const langs[], int nlangs, store_question **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL, *tr = NULL;
    /* packs made before the questions existed have no tables: no questions, not an error */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT q.id, m.data FROM intake_question q LEFT JOIN media m ON m.id=q.icon "
                           "ORDER BY q.sort_order, q.id",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    int rc = -1;
    store_question *qs = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT lang, status, text FROM intake_question_i18n WHERE question_id=?1", -1, &tr,
                           NULL) != SQLITE_OK)
        goto done;
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_question *nq = realloc(qs, sizeof *nq * (size_t)(*n + 1));
        if (!nq) goto done;
        qs = nq;
        store_question *q = &qs[(*n)++];
        memset(q, 0, sizeof *q);
        q->id = text_dup(st, 0);
        q->icon = blob_dup(st, 1, &q->icon_len);
        store_text *o[] = {&q->text};
        sqlite3_bind_text(tr, 1, q->id, -1, SQLITE_STATIC);
        store_resolve(tr, 1, langs, nlangs, o);
        if (load_answers(s, q, langs, nlangs)) goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(tr);
    if (rc) {
        store_questions_free(qs, *n);
        qs = NULL;
        *n = 0;
    }
    *out = qs;
    return rc;
}

void store_questions_free(store_question *q, int n)
{
    for (int i = 0; i < n; i++) {
        free(q[i].id);
        store_text_free(&q[i].text);
        free(q[i].icon);
        for (int k = 0; k < q[i].nanswers; k++) {
            store_answer *a = &q[i].answers[k];
            free(a->id);
            store_text_free(&a->label);
            store_text_free(&a->reason);
            free(a->icon);
        }
        free(q[i].answers);
    }
    free(q);
}

/* The reason of each chosen answer, resolved along langs; parallel to answers. */
static char **reasons_of(store *s, const char *const answers[], int nanswers, const char *const langs[], int nlangs)
{
    char **r = calloc((size_t)nanswers + 1, sizeof *r);
    sqlite3_stmt *tr = NULL;
    if (!r) return NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT lang, status, reason FROM intake_answer_i18n WHERE answer_id=?1", -1, &tr,
                           NULL) == SQLITE_OK)
        for (int i = 0; i < nanswers; i++) {
            store_text t = {0};
            store_text *o[] = {&t};
            sqlite3_bind_text(tr, 1, answers[i], -1, SQLITE_STATIC);
            store_resolve(tr, 1, langs, nlangs, o);
            r[i] = t.text;
        }
    sqlite3_finalize(tr);
    for (int i = 0; i < nanswers; i++)
        if (!r[i]) {
            store_strv_free(r);
            return NULL;
        }
    return r;
}

int store_match(store *s, const char *const answers[], int nanswers, const char *const langs[], int nlangs,
                store_offer_row **out, char ***why, int *n)
{
    *out = NULL;
    *why = NULL;
    *n = 0;
    if (nanswers == 0) return 0;
    char *chosen = store_json_strings(answers, nanswers);
    char **reasons = reasons_of(s, answers, nanswers, langs, nlangs);
    sqlite3_stmt *st = NULL;
    char **ids = NULL, **matched = NULL;
    int nids = 0, rc = -1;
    if (!chosen || !reasons ||
        sqlite3_prepare_v2(
            s->db,
            "WITH chosen(a) AS (SELECT value FROM json_each(?1)),"
            " hits(sid, aid, w) AS ("
            "  SELECT m.target, m.answer_id, m.weight FROM intake_match m JOIN chosen ON chosen.a=m.answer_id"
            "   WHERE m.kind='offer'"
            "  UNION ALL SELECT x.service_id, m.answer_id, m.weight FROM intake_match m"
            "   JOIN chosen ON chosen.a=m.answer_id JOIN service_taxonomy x ON x.term_id=m.target"
            "   WHERE m.kind='category')"
            "SELECT h.sid, group_concat(DISTINCT h.aid) FROM hits h JOIN service v ON v.id=h.sid AND v.status='active'"
            " GROUP BY h.sid ORDER BY sum(h.w) DESC, h.sid",
            -1, &st, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_text(st, 1, chosen, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **ni = realloc(ids, sizeof *ni * (size_t)(nids + 2)), **nm = ni ? realloc(matched, sizeof *nm * (size_t)(nids + 2)) : NULL;
        if (ni) ids = ni;
        if (nm) matched = nm;
        if (!ni || !nm) goto done;
        ids[nids] = text_dup(st, 0);
        matched[nids] = text_dup(st, 1);
        ids[++nids] = NULL;
        matched[nids] = NULL;
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = store_rows_by_ids(s, (const char *const *)ids, nids, langs, nlangs, out, n);
    if (rc) goto done;
    /* why: the reasons of the answers that brought each offer, in question order */
    *why = calloc((size_t)*n + 1, sizeof **why);
    if (!*why) rc = -1;
    for (int i = 0; rc == 0 && i < *n; i++) {
        const char *brought = "";
        for (int j = 0; j < nids; j++)
            if (strcmp(ids[j], (*out)[i].id) == 0) brought = matched[j];
        size_t len = 1;
        for (int k = 0; k < nanswers; k++) len += strlen(reasons[k]) + 1;
        char *w = malloc(len);
        if (!w) {
            rc = -1;
            break;
        }
        w[0] = 0;
        for (int k = 0; k < nanswers; k++) {
            /* brought lists answer ids joined by commas; ids never hold commas */
            size_t al = strlen(answers[k]);
            const char *m = brought;
            int hit = 0;
            while (m && *m && !hit) {
                size_t l = strcspn(m, ",");
                hit = l == al && strncmp(m, answers[k], al) == 0;
                m += l + (m[l] == ',');
            }
            if (!hit || !reasons[k][0]) continue;
            if (w[0]) strcat(w, "\n");
            strcat(w, reasons[k]);
        }
        (*why)[i] = w;
    }
done:
    sqlite3_finalize(st);
    free(chosen);
    store_strv_free(reasons);
    store_strv_free(ids);
    store_strv_free(matched);
    if (rc) {
        store_offer_rows_free(*out, *n);
        store_strv_free(*why);
        *out = NULL;
        *why = NULL;
        *n = 0;
    }
    return rc;
}
