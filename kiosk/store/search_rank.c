/*
 * search_rank.c: the SQL functions search.c's queries call: kiosk_rank, which scores a document,
 * and kiosk_hidden, which leaves out the main table's rows that a delta re-indexed.
 */
#include "store.h"
#include "search_priv.h"

#include <sqlite3.h>

/*
 * BM25 as FTS5's bm25() computes it, for an index without positions: FTS5's own bm25() reads
 * instances, which a contentless detail=column table can only rebuild from the text it does not
 * keep (so it scores every row 0). The columns a phrase matched come from the index itself; each
 * counts once (term frequency 1), the best weighted column per phrase, normalised by that
 * column's length against its average (k1 = 1.2, b = 0.75). No idf: within an all-words tier every
 * row holds every word, so it would not reorder them. Negative, like bm25(): ORDER BY ascending.
 */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nval, sqlite3_value **val)
{
    int ncol = api->xColumnCount(ctx), nph = api->xPhraseCount(ctx);
    double *avg = api->xGetAuxdata(ctx, 0);
    if (!avg) {
        sqlite3_int64 rows = 0;
        avg = sqlite3_malloc64(sizeof *avg * (size_t)(ncol > 0 ? ncol : 1));
        if (!avg || api->xRowCount(ctx, &rows) != SQLITE_OK) {
            sqlite3_free(avg);
            sqlite3_result_error_nomem(out);
            return;
        }
        for (int c = 0; c < ncol; c++) {
            sqlite3_int64 tot = 0;
            api->xColumnTotalSize(ctx, c, &tot);
            avg[c] = rows > 0 && tot > 0 ? (double)tot / (double)rows : 1.0;
        }
        if (api->xSetAuxdata(ctx, avg, sqlite3_free) != SQLITE_OK) {
            sqlite3_result_error_nomem(out);
            return;
        }
    }
    double score = 0;
    for (int p = 0; p < nph; p++) {
        Fts5PhraseIter it;
        int col = -1;
        double best = 0;
        for (api->xPhraseFirstColumn(ctx, p, &it, &col); col >= 0; api->xPhraseNextColumn(ctx, &it, &col)) {
            int len = 0;
            double w = col < nval ? sqlite3_value_double(val[col]) : 1.0;
            api->xColumnSize(ctx, col, &len);
            double v = w * 2.2 / (1.0 + 1.2 * (0.25 + 0.75 * (double)len / avg[col]));
            if (v > best) best = v;
        }
        score += best;
    }
    sqlite3_result_double(out, -score);
}

int store_search_functions(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api && api->xCreateFunction(api, "kiosk_rank", NULL, rank_fn, NULL) == SQLITE_OK ? 0 : -1;
}

/* kiosk_hidden(rowid): 1 when a row of the main table is of an offer re-indexed into search_new
 * since, which keeps its number (search_index.c): the row holds its old text. */
static void hidden_fn(sqlite3_context *out, int nval, sqlite3_value **val)
{
    (void)nval;
    const struct store_search *ss = sqlite3_user_data(out);
    sqlite3_int64 offer = sqlite3_value_int64(val[0]) >> 5;
    sqlite3_result_int(out, offer >= 0 && offer < ss->nlive && (ss->live[offer] & 2));
}

int store_search_hidden(sqlite3 *db, struct store_search *ss)
{
    int rc = sqlite3_create_function(db, "kiosk_hidden", 1, SQLITE_UTF8, ss, ss ? hidden_fn : NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : -1;
}
