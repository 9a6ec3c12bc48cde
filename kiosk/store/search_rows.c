/*
 * search_rows.c: the list rows of found offers (store_rows_by_ids), and the rows a keystroke's
 * pages share with the keystrokes before it (store_search_rows), kept per reader's chain and
 * dropped when the content changes under the reader. The queries that find the offers are in
 * search.c.
 */
#include "store.h"
#include "store_priv.h"
#include "search_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned store_id_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

char *store_json_strings(const char *const *v, int n)
{
    size_t cap = 3, len = 1;
    for (int i = 0; i < n; i++) cap += strlen(v[i]) * 2 + 4;
    char *json = malloc(cap);
    if (!json) return NULL;
    json[0] = '[';
    for (int i = 0; i < n; i++) {
        if (i) json[len++] = ',';
        json[len++] = '"';
        for (const unsigned char *c = (const unsigned char *)v[i]; *c; c++) {
            if (*c < 0x20) continue; /* ids never hold control characters; drop rather than escape */
            if (*c == '"' || *c == '\\') json[len++] = '\\';
            json[len++] = (char)*c;
        }
        json[len++] = '"';
    }
    json[len++] = ']';
    json[len] = 0;
    return json;
}

int store_rows_by_ids(store *s, const char *const *ids, int nids, const char *const langs[], int nlangs,
                      store_offer_row **out, int *n)
{
    /* the ids as a JSON array keep their order through one query */
    char *json = store_json_strings(ids, nids);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (json && sqlite3_prepare_v2(s->db,
                                   "SELECT " STORE_ROW_COLUMNS "FROM json_each(?1) j JOIN service v ON v.id=j.value "
                                   STORE_ROW_JOINS "ORDER BY j.key",
                                   -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
        rc = store_rows_from(s, st, langs, nlangs, out, n);
    }
    sqlite3_finalize(st);
    free(json);
    return rc;
}

/* Rows a keystroke's pages share with the ones before: at most this many held (a page is 40). */
#define SEARCH_ROWS_KEPT 256

void store_search_rows_forget(struct search_rows *c)
{
    store_offer_rows_free(c->row, c->n);
    free(c->hash);
    c->row = NULL;
    c->hash = NULL;
    c->n = c->next = 0;
}

static char *dup_or_null(const char *t, int *oom)
{
    char *d = t ? strdup(t) : NULL;
    if (t && !d) *oom = 1;
    return d;
}

/* A deep copy of row; 0, or -1 on no memory (then *to holds what was copied, to be freed). */
static int row_copy(store_offer_row *to, const store_offer_row *row)
{
    int oom = 0;
    *to = *row;
    to->id = dup_or_null(row->id, &oom);
    to->name.text = dup_or_null(row->name.text, &oom);
    to->summary.text = dup_or_null(row->summary.text, &oom);
    to->provider.text = dup_or_null(row->provider.text, &oom);
    to->town = dup_or_null(row->town, &oom);
    to->languages = dup_or_null(row->languages, &oom);
    return oom ? -1 : 0;
}

/*
 * A list row costs some ten look-ups of its texts in the reader's chain, most of a keystroke's
 * time once its queries are cheap, and the next keystroke mostly shows the same offers.
 */
int store_search_rows(store *s, struct store_search *ss, const char *const *ids, int nids, const char *const langs[],
                      int nlangs, store_offer_row **out, int *n)
{
    struct search_rows *c = &ss->rows;
    char chain[sizeof c->chain];
    size_t len = 0;
    chain[0] = 0;
    for (int i = 0; i < nlangs && len < sizeof chain; i++)
        len += (size_t)snprintf(chain + len, sizeof chain - len, "%s,", langs[i]);
    sqlite3_int64 version = -1;
    if (sqlite3_step(ss->version) == SQLITE_ROW) version = sqlite3_column_int64(ss->version, 0);
    sqlite3_reset(ss->version);
    if (len >= sizeof chain || version < 0) return store_rows_by_ids(s, ids, nids, langs, nlangs, out, n);
    if (strcmp(chain, c->chain) || version != c->version) {
        store_search_rows_forget(c);
        memcpy(c->chain, chain, len + 1);
        c->version = version;
    }
    if (!c->row && (!(c->row = calloc(SEARCH_ROWS_KEPT, sizeof *c->row)) || !(c->hash = calloc(SEARCH_ROWS_KEPT, sizeof *c->hash)))) {
        store_search_rows_forget(c);
        return store_rows_by_ids(s, ids, nids, langs, nlangs, out, n);
    }
    *out = NULL;
    *n = 0;
    store_offer_row *r = calloc((size_t)nids, sizeof *r);
    const char **miss = malloc(sizeof *miss * (size_t)nids);
    char *have = calloc((size_t)nids, 1);
    int nmiss = 0, rc = r && miss && have ? 0 : -1;
    for (int i = 0; rc == 0 && i < nids; i++) {
        unsigned h = store_id_hash(ids[i]);
        int at = -1;
        for (int k = 0; k < c->n && at < 0; k++)
            if (c->hash[k] == h && !strcmp(c->row[k].id, ids[i])) at = k;
        if (at < 0) miss[nmiss++] = ids[i];
        else if (row_copy(&r[i], &c->row[at])) rc = -1;
        if (at >= 0) have[i] = 1;
    }
    store_offer_row *got = NULL;
    int ngot = 0;
    if (rc == 0 && nmiss > 0) rc = store_rows_by_ids(s, miss, nmiss, langs, nlangs, &got, &ngot);
    /* rows read come in the order asked, without the offers that are gone */
    for (int i = 0, g = 0; rc == 0 && i < nids && g < ngot; i++) {
        if (have[i] || strcmp(ids[i], got[g].id)) continue;
        r[i] = got[g]; /* moved */
        memset(&got[g++], 0, sizeof *got);
        have[i] = 1;
        if (!c->row) continue; /* no memory to hold it: read again next time */
        int slot;
        if (c->n < SEARCH_ROWS_KEPT) {
            slot = c->n++;
        } else { /* the oldest goes */
            slot = c->next;
            c->next = (c->next + 1) % SEARCH_ROWS_KEPT;
            store_offer_row_clear(&c->row[slot]);
        }
        if (row_copy(&c->row[slot], &r[i])) {
            store_offer_row_clear(&c->row[slot]);
            store_search_rows_forget(c);
            continue;
        }
        c->hash[slot] = store_id_hash(r[i].id);
    }
    store_offer_rows_free(got, ngot);
    free(miss);
    if (rc == 0) {
        int k = 0;
        for (int i = 0; i < nids; i++)
            if (have[i]) r[k++] = r[i];
        *out = r;
        *n = k;
        r = NULL;
    }
    if (r) store_offer_rows_free(r, nids);
    free(have);
    return rc;
}
