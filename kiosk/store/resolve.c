/*
 * resolve.c: translated text resolved along the reader's language fallback chain (store_priv.h):
 * which language's text a field shows, its status and whether it is a fallback; a place's town
 * in the reader's script; a provider's name.
 *
 * Owns only the rules of the chain. May not touch: the statements' life (store.c prepares and
 * finalizes them), struct store's other fields, or anything list- or screen-shaped.
 */
#include "store.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_status_of(const unsigned char *s)
{
    if (!s) return STORE_COMPLETE;
    if (strcmp((const char *)s, "machine") == 0) return STORE_MACHINE;
    if (strcmp((const char *)s, "outdated") == 0) return STORE_OUTDATED;
    return STORE_COMPLETE;
}

/*
 * Rows of st are (lang, status, field...). For each field keep the text from the language that
 * comes first in langs; a language outside the chain is used only when nothing else has text.
 */
static void resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[])
{
    int best[8];
    for (int f = 0; f < nfields; f++) best[f] = 1 << 20;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        int rank = nlangs + 100;
        for (int i = 0; i < nlangs && rank > nlangs; i++) /* the first place: a chain may name a language twice */
            if (lang && strcmp(lang, langs[i]) == 0) rank = i;
        for (int f = 0; f < nfields; f++) {
            const unsigned char *t = sqlite3_column_text(st, 2 + f);
            if (!t || !t[0] || rank >= best[f]) continue;
            best[f] = rank;
            free(out[f]->text);
            out[f]->text = strdup((const char *)t);
            snprintf(out[f]->lang, sizeof out[f]->lang, "%s", lang ? lang : "");
            out[f]->status = store_status_of(sqlite3_column_text(st, 1));
            out[f]->fallback = rank != 0;
        }
    }
    for (int f = 0; f < nfields; f++)
        if (!out[f]->text) out[f]->text = strdup("");
    sqlite3_reset(st);
}

static void text_free(store_text *t)
{
    free(t->text);
    t->text = NULL;
}

/*
 * resolve(all) for the row id, reading first one language at a time along the chain's first
 * STORE_CHAIN_MAX languages with one (id, language) look-up each (one, where the reader's
 * language has the text), and all the translations only when some field is still without text:
 * the same result, since text in an earlier language of the chain is never beaten by a later one.
 */
void store_resolve_chain(sqlite3_stmt *one, sqlite3_stmt *all, const char *id, int nfields, const char *const langs[],
                         int nlangs, store_text *out[])
{
    int left = nfields;
    sqlite3_bind_text(one, 1, id, -1, SQLITE_TRANSIENT);
    for (int i = 0; i < nlangs && i < STORE_CHAIN_MAX && left > 0; i++) {
        int seen = 0; /* a chain may name a language twice */
        for (int j = 0; j < i && !seen; j++) seen = !strcmp(langs[j], langs[i]);
        if (seen) continue;
        sqlite3_bind_text(one, 2, langs[i], -1, SQLITE_STATIC);
        if (sqlite3_step(one) == SQLITE_ROW)
            for (int f = 0; f < nfields; f++) {
                const unsigned char *t = sqlite3_column_text(one, 1 + f);
                if (out[f]->text || !t || !t[0]) continue;
                out[f]->text = strdup((const char *)t);
                snprintf(out[f]->lang, sizeof out[f]->lang, "%s", langs[i]);
                out[f]->status = store_status_of(sqlite3_column_text(one, 0));
                out[f]->fallback = i != 0;
                left--;
            }
        sqlite3_reset(one);
    }
    if (left == 0) return;
    for (int f = 0; f < nfields; f++) text_free(out[f]);
    sqlite3_bind_text(all, 1, id, -1, SQLITE_TRANSIENT);
    resolve(all, nfields, langs, nlangs, out);
}

void store_resolve(sqlite3_stmt *st, int nfields, const char *const langs[], int nlangs, store_text *out[])
{
    resolve(st, nfields, langs, nlangs, out);
}

void store_text_free(store_text *t) { text_free(t); }

/*
 * The town of a location as the reader writes it, where the pack has it in a language of the
 * reader's chain (location_i18n.city: "هايدمور", "Хайдемор"); else *city stays the address's own.
 */
void store_local_town(store *s, const char *loc, const char *const langs[], int nlangs, char **city)
{
    if (!loc || !s->loc_city) return;
    if (!s->towns) {
        /* asked once per pack: a pack without towns in any language (the synthetic one) spares
         * a 500-row list its 1,500 look-ups that all find nothing, 7 M instructions */
        sqlite3_stmt *any;
        s->towns = -1;
        if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM location_i18n WHERE city <> '' LIMIT 1", -1, &any, NULL) == SQLITE_OK) {
            if (sqlite3_step(any) == SQLITE_ROW) s->towns = 1;
            sqlite3_finalize(any);
        } else {
            s->towns = 1; /* cannot tell: ask per town, as before */
        }
    }
    if (s->towns < 0) return;
    /* only the reader's chain, in its order (never a town in some other language's script) */
    for (int i = 0; i < nlangs; i++) {
        sqlite3_bind_text(s->loc_city, 1, loc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s->loc_city, 2, langs[i], -1, SQLITE_STATIC);
        const unsigned char *t = sqlite3_step(s->loc_city) == SQLITE_ROW ? sqlite3_column_text(s->loc_city, 0) : NULL;
        char *town = t && t[0] ? strdup((const char *)t) : NULL;
        sqlite3_reset(s->loc_city);
        if (town) {
            free(*city);
            *city = town;
            return;
        }
    }
}

void store_resolve_org_name(store *s, const char *org, const char *const langs[], int nlangs, store_text *name)
{
    store_text *o[] = {name};
    store_resolve_chain(s->org_name_chain, s->org_i18n, org, 1, langs, nlangs, o);
}
