/*
 * relevance.h: scores store_search against the relevance set (tests/search/relevance.tsv), for
 * test_search (fails below a floor) and bench_search (prints the figures).
 *
 * Each line of the set: reader's language, query, the offers a person typing it means (ids, or
 * cat:ID for every offer of a category; any one of them counts; "-" when it should find nothing),
 * and why. A query scores when
 * one of its offers is first (top-1), among the first three (top-3); MRR is the mean of 1/rank of
 * the first meant offer (0 when none is in the first 30).
 */
#ifndef KIOSK_RELEVANCE_H
#define KIOSK_RELEVANCE_H

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct relevance {
    int queries, top1, top3;
    double mrr;
} relevance;

/* Does the meant list (space-separated ids and cat:IDs) hold offer id? */
static int relevance_meant(store *s, const char *meant, const char *id)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", meant);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (strncmp(w, "cat:", 4) != 0) {
            if (strcmp(w, id) == 0) return 1;
            continue;
        }
        const char *langs[] = {"de"};
        store_offer_row *r = NULL;
        int n = 0, hit = 0;
        if (store_offers_in_category(s, w + 4, langs, 1, &r, &n) == 0)
            for (int i = 0; i < n && !hit; i++) hit = strcmp(r[i].id, id) == 0;
        store_offer_rows_free(r, n);
        if (hit) return 1;
    }
    return 0;
}

/*
 * Run every query of the set at path against s. verbose 1 prints the queries whose meant offer is
 * not in the first three, 2 every query. Returns 0, or -1 when the set cannot be read.
 */
static int relevance_run(store *s, const char *path, int verbose, relevance *out)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    memset(out, 0, sizeof *out);
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *lang = line, *query = strchr(lang, '\t'), *meant = query ? strchr(query + 1, '\t') : NULL;
        if (!meant) continue;
        *query++ = 0;
        *meant++ = 0;
        char *why = strchr(meant, '\t');
        if (why) *why++ = 0;
        const char *langs[] = {lang, "en", "de"};
        store_offer_row *r = NULL;
        int n = 0, rank = 0;
        if (store_search(s, query, langs, 3, 30, &r, &n) < 0) n = 0;
        if (!strcmp(meant, "-")) rank = n == 0; /* nothing meant: nothing found is right */
        for (int i = 0; i < n && !rank; i++)
            if (relevance_meant(s, meant, r[i].id)) rank = i + 1;
        out->queries++;
        out->top1 += rank == 1;
        out->top3 += rank >= 1 && rank <= 3;
        out->mrr += rank ? 1.0 / rank : 0;
        if (verbose > 1 || (verbose && (rank == 0 || rank > 3)))
            printf("  rank %2d  %-4s %-28s first: %s%s%s  (%s)\n", rank, lang, query, n ? r[0].id : "-",
                   n > 1 ? ", " : "", n > 1 ? r[1].id : "", meant);
        store_offer_rows_free(r, n);
    }
    fclose(f);
    if (out->queries) out->mrr /= out->queries;
    return 0;
}

#endif
