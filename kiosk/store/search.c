/*
 * search.c: finding offers by typed text, in any script (store.h).
 *
 * The index lives inside the content database: an FTS5 table "search" (contentless, column
 * detail), one row per offer and language with separate, separately weighted columns (name,
 * category names, summary, description + eligibility, provider, town, a Latin consonant skeleton
 * of name, provider and categories, the reversed long words of name and categories) and one row
 * per offer for what every language shares (category and provider names in all languages,
 * towns); search_doc numbers the offers (row id = number * 32 + language, search_lang);
 * search_term is FTS5's vocabulary (fts5vocab) of the text columns, where typo candidates and the
 * halves of run-together words are looked up. kiosk-pack builds it; a delta never carries it (its
 * pages differ from kiosk to kiosk), so the kiosk re-indexes the offers a delta touched on the
 * staged copy after applying it.
 *
 * Documents and queries go through the same folding (ICU), so they meet:
 *  - fold: lower case, diacritics removed (Müller = muller), Turkish dotted and dotless i both i,
 *    Arabic-script letter variants unified (ي/ی, ك/ک, أ/ا, ة/ه) so an Arabic keyboard finds
 *    Persian text and back;
 *  - skeleton: Any-Latin, ASCII, then consonants only, similar sounds merged, so "كاريتاس",
 *    "Каритас", "ካሪታስ" and "karitas" all give "krts", like "Caritas".
 * Queries run in tiers on each keystroke (store_search_page). How well they find what people
 * mean is measured by tests/search/relevance.tsv. Queries are never stored or logged.
 */
/* the session extension's changeset reader (Debian's libsqlite3 is built with it) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "store.h"
#include "store_priv.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

struct store_folder {
    const UNormalizer2 *nfd, *nfc;
    UTransliterator *latin;  /* Any-Latin, Latin-ASCII, lower case, letters only; opened on first need */
    UTransliterator *sounds; /* the consonant rules, on lower-case ASCII */
    int latin_failed;
};

struct store_search {
    store_folder *folder;
    int has_index;
    char **stop; /* stop words, folded */
    int nstop;
    sqlite3_stmt *terms, *ranked, *rowids, *oid;
    char lang[32][16];      /* search_lang: the language of each number */
    unsigned char *live;    /* live[n]: offer number n is in search_doc (not a stale row) */
    sqlite3_int64 nlive;
};

/*
 * The fold is done with ICU's normaliser and case mapping directly, and the skeleton's sound
 * rules by a transliterator made from rules alone: ICU's first transliterator by name (":: NFD",
 * "Any-Latin") builds its registry of every transliterator, some 140 M instructions (15-20 ms here),
 * which the first keystroke would wait for. Only a skeleton of text that is not ASCII once folded
 * (Arabic, Cyrillic, Ethiopic, a Latin letter like ł) needs "Any-Latin"; it is opened then.
 * test_search checks the result against the rules as ICU's transliterators apply them.
 */

/* Before the sound rules, text not yet in ASCII: to Latin letters, lower case, letters and spaces only. */
static const char latin_rules[] = ":: Any-Latin; [ǧǦ] > j; :: Latin-ASCII; :: Lower; [^a-z\\u0020] > ;";

/* Keep letters, drop vowels and weak letters (Arabic script writes few vowels), merge letters that
 * scripts render differently (no p in Arabic, c as k but as s before e and i, Cyrillic дж and
 * Ethiopic ጀ as j: "Jobcenter", "جوبسنتر", "джобцентр", "ጆብሰንተር" meet). One pass. */
static const char sound_rules[] =
    "dzh > j; dz > j; sch > s; sh > s; ch > k; kh > k; ck > k; ph > f; x > ks; c } [ei] > s;"
    "[aeiouyhw] > ; p > b; v > f; [cqg] > k; z > s; d > t;";

static UTransliterator *open_rules(const char *name, const char *rules, char *err, size_t errlen)
{
    UChar id[32], *r = malloc(sizeof(UChar) * (strlen(rules) + 1));
    UErrorCode e = U_ZERO_ERROR;
    UParseError pe;
    int32_t n = 0;
    if (!r) return NULL;
    u_uastrcpy(id, name);
    u_strFromUTF8(r, (int32_t)strlen(rules) + 1, &n, rules, -1, &e);
    UTransliterator *t = U_SUCCESS(e) ? utrans_openU(id, -1, UTRANS_FORWARD, r, n, &pe, &e) : NULL;
    free(r);
    if (U_FAILURE(e)) {
        snprintf(err, errlen, "search: ICU transliterator %s: %s (rule offset %d)", name, u_errorName(e),
                 (int)pe.offset);
        utrans_close(t);
        return NULL;
    }
    return t;
}

store_folder *store_folder_open(char *err, size_t errlen)
{
    store_folder *f = calloc(1, sizeof *f);
    UErrorCode e = U_ZERO_ERROR;
    if (!f) return NULL;
    f->nfd = unorm2_getNFDInstance(&e);
    f->nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) snprintf(err, errlen, "search: ICU normaliser: %s", u_errorName(e));
    f->sounds = U_SUCCESS(e) ? open_rules("kiosk-sounds", sound_rules, err, errlen) : NULL;
    if (!f->sounds) {
        store_folder_close(f);
        return NULL;
    }
    return f;
}

void store_folder_close(store_folder *f)
{
    if (!f) return;
    utrans_close(f->latin);
    utrans_close(f->sounds);
    free(f);
}

/* utf8 as UTF-16 (invalid UTF-8 becomes U+FFFD) into a new buffer; NULL on error. */
static UChar *to_u16(const char *utf8, int32_t *n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8WithSub(NULL, 0, &len, utf8, -1, 0xFFFD, NULL, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e)) return NULL;
    UChar *u = malloc(sizeof(UChar) * ((size_t)len + 1));
    e = U_ZERO_ERROR;
    if (u) u_strFromUTF8WithSub(u, len + 1, n, utf8, -1, 0xFFFD, NULL, &e);
    if (U_FAILURE(e)) {
        free(u);
        return NULL;
    }
    return u;
}

static char *to_utf8(const UChar *u, int32_t n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t blen = 0;
    u_strToUTF8(NULL, 0, &blen, u, n, &e);
    char *out = malloc((size_t)blen + 1);
    e = U_ZERO_ERROR;
    if (out) u_strToUTF8(out, blen + 1, NULL, u, n, &e);
    if (out && U_FAILURE(e)) {
        free(out);
        return NULL;
    }
    return out;
}

/* One step of a normaliser or case mapping, for apply(). */
typedef int32_t (*u16_step)(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e);

static int32_t normalize_step(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e)
{
    return unorm2_normalize(ctx, in, n, out, cap, e);
}

static int32_t lower_step(const void *ctx, const UChar *in, int32_t n, UChar *out, int32_t cap, UErrorCode *e)
{
    (void)ctx;
    return u_strToLower(out, cap, in, n, "", e); /* root: what ICU's Any-Lower does */
}

/* step applied to in[0..*n) into a new buffer (in freed); NULL on error. */
static UChar *apply(u16_step step, const void *ctx, UChar *in, int32_t *n)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t cap = *n + *n / 2 + 8, len;
    UChar *out = malloc(sizeof(UChar) * (size_t)cap);
    if (!out) goto fail;
    len = step(ctx, in, *n, out, cap, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        free(out);
        cap = len + 1;
        e = U_ZERO_ERROR;
        if (!(out = malloc(sizeof(UChar) * (size_t)cap))) goto fail;
        len = step(ctx, in, *n, out, cap, &e);
    }
    if (U_FAILURE(e)) {
        free(out);
        goto fail;
    }
    free(in);
    *n = len;
    return out;
fail:
    free(in);
    return NULL;
}

/* The fold in UTF-16: decomposed, nonspacing marks removed, lower case, composed, then the
 * letters below merged: ı i, ß ss, Arabic kaf and yeh as the Persian ones, alef maksura as
 * yeh, teh marbuta and heh goal with hamza as heh; tatweel (the stretching line) dropped. */
static UChar *fold_u16(const store_folder *f, const char *utf8, int32_t *n)
{
    UChar *u = to_u16(utf8, n);
    if (!u || !(u = apply(normalize_step, f->nfd, u, n))) return NULL;
    int32_t w = 0;
    for (int32_t r = 0; r < *n;) {
        int32_t start = r;
        UChar32 c;
        U16_NEXT(u, r, *n, c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        while (start < r) u[w++] = u[start++];
    }
    *n = w;
    if (!(u = apply(lower_step, NULL, u, n)) || !(u = apply(normalize_step, f->nfc, u, n))) return NULL;
    UChar *out = malloc(sizeof(UChar) * ((size_t)*n * 2 + 1)); /* ß doubles */
    if (!out) {
        free(u);
        return NULL;
    }
    w = 0;
    for (int32_t r = 0; r < *n; r++) {
        UChar c = u[r];
        switch (c) {
        case 0x0131: out[w++] = 'i'; break;                 /* ı */
        case 0x00DF: out[w++] = 's'; out[w++] = 's'; break; /* ß */
        case 0x0643: out[w++] = 0x06A9; break;              /* ك > ک */
        case 0x064A: case 0x0649: out[w++] = 0x06CC; break; /* ي ى > ی */
        case 0x0629: case 0x06C0: out[w++] = 0x0647; break; /* ة ۀ > ه */
        case 0x0640: break;                                 /* ـ */
        default: out[w++] = c;
        }
    }
    free(u);
    *n = w;
    return out;
}

char *store_fold(store_folder *f, const char *utf8)
{
    int32_t n = 0;
    UChar *u = fold_u16(f, utf8 ? utf8 : "", &n);
    char *out = u ? to_utf8(u, n) : NULL;
    free(u);
    return out;
}

/* t applied to u[0..*n) into a new buffer (u freed); NULL on error. */
static UChar *transliterate(UTransliterator *t, UChar *u, int32_t *n)
{
    for (int32_t cap = *n * 4 + 16; cap < (1 << 24); cap *= 2) {
        UChar *b = malloc(sizeof(UChar) * (size_t)cap);
        if (!b) break;
        memcpy(b, u, sizeof(UChar) * (size_t)*n); /* afresh on each try: an overflow may leave b half done */
        UErrorCode e = U_ZERO_ERROR;
        int32_t len = *n, limit = *n;
        utrans_transUChars(t, b, &len, cap, 0, &limit, &e);
        if (U_SUCCESS(e)) {
            free(u);
            *n = limit;
            return b;
        }
        free(b);
        if (e != U_BUFFER_OVERFLOW_ERROR) break;
    }
    free(u);
    return NULL;
}

/* The Latin stage, opened on first use; NULL when it cannot be. */
static UTransliterator *store_folder_latin(store_folder *f)
{
    char err[200];
    if (!f->latin && !f->latin_failed && !(f->latin = open_rules("kiosk-latin", latin_rules, err, sizeof err)))
        f->latin_failed = 1;
    return f->latin;
}

char *store_skeleton(store_folder *f, const char *utf8)
{
    int32_t n = 0;
    UChar *u = fold_u16(f, utf8 ? utf8 : "", &n);
    if (!u) return NULL;
    int ascii = 1;
    for (int32_t i = 0; i < n && ascii; i++) ascii = u[i] < 0x80;
    if (ascii) {
        /* what the Latin stage leaves of folded ASCII: its letters and spaces */
        int32_t w = 0;
        for (int32_t i = 0; i < n; i++)
            if ((u[i] >= 'a' && u[i] <= 'z') || u[i] == ' ') u[w++] = u[i];
        n = w;
    } else {
        if (store_folder_latin(f)) u = transliterate(f->latin, u, &n);
        else {
            free(u);
            u = NULL;
        }
    }
    u = u ? transliterate(f->sounds, u, &n) : NULL;
    char *s = u ? to_utf8(u, n) : NULL;
    free(u);
    if (!s) return NULL;
    /* doubled letters once, words of one letter dropped: they would match everything */
    char *w = s;
    for (char *r = s; *r;) {
        while (*r == ' ') r++;
        char *start = w;
        for (; *r && *r != ' '; r++)
            if (w == start || w[-1] != *r) *w++ = *r;
        if (w - start < 2) w = start;
        else if (*r) *w++ = ' ';
    }
    while (w > s && w[-1] == ' ') w--;
    *w = 0;
    return s;
}

/* ---------- index ---------- */

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    snprintf(err, errlen, "search index: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

static sqlite3_int64 single_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The words of folded text reversed, longer ones only: prefix queries on them find word endings,
 * so "kurs" reaches the tail of "Integrationskurs". */
static char *reversed_words(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 2), *o = out;
    if (!out) return NULL;
    for (const char *p = text; *p;) {
        int32_t i = 0, n = (int32_t)strlen(p), chars = 0;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0 || !u_isalnum(c)) {
            p += i;
            continue;
        }
        const char *w = p, *e = p;
        while (*e) {
            i = 0;
            n = (int32_t)strlen(e);
            U8_NEXT(e, i, n, c);
            if (c < 0 || !u_isalnum(c)) break;
            e += i;
            chars++;
        }
        if (chars >= 5) {
            /* copy characters from the end: each one's bytes stay in order */
            for (const char *q = e; q > w;) {
                const char *b = q - 1;
                while (b > w && ((unsigned char)*b & 0xC0) == 0x80) b--;
                memcpy(o, b, (size_t)(q - b));
                o += q - b;
                q = b;
            }
            *o++ = ' ';
        }
        p = e;
    }
    *o = 0;
    return out;
}

/* Folded text into the statement's parameter i (NULL text binds as empty); 0 or -1 on no memory. */
static int bind_folded(sqlite3_stmt *ins, int i, store_folder *f, const char *text, char **keep)
{
    *keep = store_fold(f, text ? text : "");
    if (!*keep) return -1;
    sqlite3_bind_text(ins, i, *keep, -1, SQLITE_STATIC);
    return 0;
}

/*
 * Index the active offers (all, or only those listed in temp.reindex): one document per offer and
 * language (name, category names, summary, description + eligibility, provider; the skeleton of
 * name, provider and categories; the reversed words of name and categories), and one per offer
 * holding what is the same in every language's eyes (lang "*": category and provider names in all
 * languages, towns), so a topic typed in any language reaches offers not translated into it.
 * Each offer gets a search_doc number from next on; its documents' FTS row ids are that number
 * times 32 plus their language's number in search_lang (0 for "*"), so an offer's documents lie
 * side by side and a row id alone says which offer and language it is.
 */
static int index_docs(sqlite3 *db, store_folder *f, int only_listed, sqlite3_int64 next, char *err, size_t errlen)
{
    sqlite3_stmt *sel = NULL, *ins = NULL;
    int rc = -1;
    char sql[2600];
    const char *only = only_listed ? " AND v.id IN (SELECT id FROM temp.reindex)" : "";
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO search_lang(li, code) SELECT NULL, lang FROM"
             " (SELECT DISTINCT lang FROM service_i18n ORDER BY lang);"
             "INSERT INTO search_doc(id, oid) SELECT %lld + row_number() OVER (ORDER BY v.id) - 1, v.id"
             " FROM service v WHERE v.status='active'%s;",
             (long long)next, only);
    if (exec(db, sql, err, errlen)) return -1;
    if (single_int(db, "SELECT max(li) FROM search_lang") > 31) {
        snprintf(err, errlen, "search index: more than 31 languages");
        return -1;
    }
    snprintf(sql, sizeof sql,
             "SELECT d.id * 32 + g.li, s.lang, s.name, "
             " (SELECT group_concat(t.name, ' ') FROM service_taxonomy x JOIN taxonomy_term_i18n t"
             "   ON t.term_id=x.term_id AND t.lang=s.lang WHERE x.service_id=v.id), "
             " s.summary, coalesce(s.description, '') || ' ' || coalesce(s.eligibility_description, ''), "
             " COALESCE((SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND lang=s.lang),"
             "  (SELECT name FROM organization_i18n WHERE organization_id=v.organization_id AND name IS NOT NULL"
             "   ORDER BY lang LIMIT 1)), NULL "
             "FROM service_i18n s JOIN service v ON v.id=s.service_id JOIN search_doc d ON d.oid=v.id "
             " JOIN search_lang g ON g.code=s.lang WHERE v.status='active'%s "
             "UNION ALL "
             "SELECT d.id * 32, '*', NULL, "
             " (SELECT group_concat(t.name, ' ') FROM service_taxonomy x JOIN taxonomy_term_i18n t"
             "   ON t.term_id=x.term_id WHERE x.service_id=v.id), NULL, NULL, "
             " (SELECT group_concat(name, ' ') FROM organization_i18n WHERE organization_id=v.organization_id), "
             " (SELECT group_concat(l.city, ' ') FROM service_at_location a JOIN location l ON l.id=a.location_id"
             "   WHERE a.service_id=v.id) "
             "FROM service v JOIN search_doc d ON d.oid=v.id WHERE v.status='active'%s",
             only, only);
    if (sqlite3_prepare_v2(db, sql, -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO search(rowid, name, cat, summary, descr, provider, town, skel, rev, lang)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           -1, &ins, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    int step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        char *keep[6] = {0}, *sk = NULL, *rv = NULL, *titles = NULL, *name_cat = NULL;
        int ok = 1;
        for (int c = 0; c < 6 && ok; c++) ok = bind_folded(ins, c + 2, f, (const char *)sqlite3_column_text(sel, c + 2), &keep[c]) == 0;
        if (ok) {
            size_t a = strlen(keep[0]), b = strlen(keep[1]), c = strlen(keep[4]);
            titles = malloc(a + b + c + 3);
            name_cat = malloc(a + b + 2);
            if (titles && name_cat) {
                snprintf(titles, a + b + c + 3, "%s %s %s", keep[0], keep[4], keep[1]);
                snprintf(name_cat, a + b + 2, "%s %s", keep[0], keep[1]);
                sk = store_skeleton(f, titles);
                rv = reversed_words(name_cat);
            }
            ok = sk && rv;
        }
        if (ok) {
            sqlite3_bind_value(ins, 1, sqlite3_column_value(sel, 0));
            sqlite3_bind_text(ins, 8, sk, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 9, rv, -1, SQLITE_STATIC);
            sqlite3_bind_value(ins, 10, sqlite3_column_value(sel, 1));
            ok = sqlite3_step(ins) == SQLITE_DONE;
            if (!ok) snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
            sqlite3_reset(ins);
        } else {
            snprintf(err, errlen, "search index: out of memory");
        }
        for (int c = 0; c < 6; c++) free(keep[c]);
        free(sk);
        free(rv);
        free(titles);
        free(name_cat);
        if (!ok) goto done;
    }
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "search index: %s", sqlite3_errmsg(db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}

/* The words of the text columns, for typo candidates and compound splits (FTS5's own vocabulary). */
static int vocabulary(sqlite3 *db, char *err, size_t errlen)
{
    return exec(db,
                "CREATE TABLE IF NOT EXISTS search_term(term TEXT PRIMARY KEY) WITHOUT ROWID;"
                "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search, col);"
                "INSERT OR IGNORE INTO search_term SELECT term FROM temp.search_vocab"
                " WHERE col IN ('name', 'cat', 'summary', 'descr', 'provider', 'town');"
                "DROP TABLE temp.search_vocab;",
                err, errlen);
}

static int rebuild(sqlite3 *db, store_folder *f, char *err, size_t errlen)
{
    if (exec(db,
             "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS search_doc; DROP TABLE IF EXISTS search_term;"
             /* contentless, no positions: a fifth of the size of a full index, and enough for
              * prefix terms, column filters and the column lists kiosk_rank reads; prefix
              * indexes keep word starts of up to four letters cheap on every keystroke */
             "CREATE VIRTUAL TABLE search USING fts5(name, cat, summary, descr, provider, town, skel, rev, lang,"
             " content='', detail=column, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');"
             "DROP TABLE IF EXISTS search_lang;"
             "CREATE TABLE search_doc(id INTEGER PRIMARY KEY, oid TEXT NOT NULL);"
             "CREATE INDEX search_doc_oid ON search_doc(oid);"
             "CREATE TABLE search_lang(li INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
             "INSERT INTO search_lang VALUES(0, '*');",
             err, errlen) ||
        index_docs(db, f, 0, 1, err, errlen) || exec(db, "INSERT INTO search(search) VALUES('optimize');", err, errlen))
        return -1;
    return vocabulary(db, err, errlen);
}

/*
 * The offers a changeset touched, into temp.reindex (offers) and temp.reindex_org (providers,
 * whose name is in every one of their offers). Returns 1 when it changed what cannot be traced to
 * a few offers (category names), 0, or -1 on a damaged changeset.
 */
static int touched(sqlite3 *db, const void *cs, int size)
{
    sqlite3_changeset_iter *it = NULL;
    sqlite3_stmt *svc = NULL, *org = NULL;
    int rc = 0;
    if (sqlite3_exec(db, "CREATE TEMP TABLE reindex(id TEXT PRIMARY KEY) WITHOUT ROWID;"
                         "CREATE TEMP TABLE reindex_org(id TEXT PRIMARY KEY) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex VALUES(?1)", -1, &svc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.reindex_org VALUES(?1)", -1, &org, NULL) != SQLITE_OK ||
        sqlite3changeset_start(&it, size, (void *)cs) != SQLITE_OK) {
        sqlite3_finalize(svc);
        sqlite3_finalize(org);
        return -1;
    }
    while (rc == 0 && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *tab;
        int ncol, op, indirect;
        sqlite3_value *key = NULL;
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &indirect) != SQLITE_OK) {
            rc = -1;
            break;
        }
        /* the offer or provider id is the first column of each of these tables */
        int is_svc = !strcmp(tab, "service") || !strcmp(tab, "service_i18n") || !strcmp(tab, "service_taxonomy");
        int is_org = !strcmp(tab, "organization_i18n");
        if (!strcmp(tab, "taxonomy_term_i18n")) rc = 1;
        if (!is_svc && !is_org) continue;
        if ((op == SQLITE_INSERT ? sqlite3changeset_new(it, 0, &key) : sqlite3changeset_old(it, 0, &key)) != SQLITE_OK ||
            !key) {
            rc = -1;
            break;
        }
        sqlite3_stmt *st = is_svc ? svc : org;
        sqlite3_bind_value(st, 1, key);
        if (sqlite3_step(st) != SQLITE_DONE) rc = -1;
        sqlite3_reset(st);
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK && rc == 0) rc = -1;
    sqlite3_finalize(svc);
    sqlite3_finalize(org);
    if (rc == 0 && sqlite3_exec(db, "INSERT OR IGNORE INTO temp.reindex SELECT id FROM service"
                                    " WHERE organization_id IN (SELECT id FROM temp.reindex_org)",
                                NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    return rc;
}


/* The index after changeset, or rebuilt whole when changeset is NULL; one transaction. */
static int reindex(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    store_folder *f = store_folder_open(err, errlen);
    int rc = -1;
    if (!f) return -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    if (exec(db, "BEGIN", err, errlen)) goto done;
    int t = changeset && single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('search_doc_oid', 'search_term', 'search_lang')") == 3
                ? touched(db, changeset, size)
                : 1; /* asked to, no index, or one from before search_doc had its index */
    if (t < 0) {
        snprintf(err, errlen, "search index: the changes cannot be read");
    } else if (t == 1) {
        rc = rebuild(db, f, err, errlen);
    } else {
        /* the FTS rows of changed offers stay behind, unreachable: a contentless table can only
         * forget a row given its old text. Their search_doc rows go, so no query finds them;
         * offers are numbered on from the highest ever used, so none comes back to life. */
        sqlite3_int64 top = single_int(db, "SELECT coalesce(max(rowid), 0) >> 5 FROM search");
        rc = top < 0 || exec(db, "DELETE FROM search_doc WHERE oid IN (SELECT id FROM temp.reindex)", err, errlen) ||
                     index_docs(db, f, 1, top + 1, err, errlen) || vocabulary(db, err, errlen)
                 ? -1
                 : 0;
        /* once a quarter of the index is dead offers, start it afresh */
        sqlite3_int64 live = single_int(db, "SELECT count(*) FROM search_doc");
        top = single_int(db, "SELECT coalesce(max(rowid), 0) >> 5 FROM search");
        if (rc == 0 && live >= 0 && top - live > live / 4) rc = rebuild(db, f, err, errlen);
    }
    if (rc == 0 && exec(db, "DROP TABLE IF EXISTS temp.reindex; DROP TABLE IF EXISTS temp.reindex_org; COMMIT", err, errlen))
        rc = -1;
    if (rc) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
done:
    sqlite3_close(db);
    store_folder_close(f);
    return rc;
}

int store_search_index(const char *path, char *err, size_t errlen) { return reindex(path, NULL, 0, err, errlen); }

int store_search_refresh(const char *path, const void *changeset, int size, char *err, size_t errlen)
{
    return reindex(path, changeset, size, err, errlen);
}

/* ---------- query ---------- */

/* Words that say nothing alone, in the languages of the kiosk: they match nothing ("for", "und",
 * "و") and are left out of longer queries. Folded when the first search opens. */
static const char *const stop_words[] = {
    /* en */ "and", "for", "the", "of", "in", "to", "with", "an", "at", "on", "by", "from", "or",
    /* de */ "und", "für", "der", "die", "das", "im", "mit", "zu", "bei", "von", "den", "dem", "des", "ein", "eine",
    "oder", "am", "auf", "aus",
    /* fr */ "et", "pour", "de", "la", "le", "les", "du", "en", "à", "au", "aux", "un", "une", "avec", "ou", "dans",
    "sur",
    /* tr */ "ve", "için", "ile", "bir", "veya", "da",
    /* ru, uk */ "для", "на", "по", "от", "или", "из", "від", "до", "або", "та", "із",
    /* ar */ "في", "من", "إلى", "على", "مع", "عن", "أو",
    /* fa, prs */ "در", "به", "از", "برای", "با", "را", "که", "یا", "تا",
    /* ps */ "او", "په", "لپاره", "له", "سره", "ته", "کې",
    /* ckb */ "لە", "بۆ", "لەگەڵ", "یان", "بە",
    /* ur */ "اور", "کے", "کی", "میں", "سے", "کا", "لیے", "کو", "پر", "ہے",
    /* ku */ "ji", "bo", "li", "bi", "di", "ya", "yên",
    /* so */ "iyo", "ee", "ka", "oo", "ku", "ama", "ah",
    /* sq */ "dhe", "për", "në", "të", "me", "nga", "ose", "së",
    /* ti */ "ኣብ", "ምስ", "ካብ", "ናብ", "ናይ", "ወይ",
};

/* Column weights, in the table's column order (name, cat, summary, descr, provider, town, skel,
 * rev, lang): the offer's name counts most, then its categories' names; the provider's name
 * above summary and description, since a person typing "Caritas" or "Jobcenter" means that
 * provider's offers, not the ones whose text mentions it. */
#define SEARCH_RANK "kiosk_rank(search, 10.0, 6.0, 3.0, 1.5, 4.0, 0.5, 2.0, 2.0, 0.0)"

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

/* kiosk_rank() on this connection. */
static int register_rank(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api && api->xCreateFunction(api, "kiosk_rank", NULL, rank_fn, NULL) == SQLITE_OK ? 0 : -1;
}
/* Above this many matching documents a tier is not scored whole (a short prefix on a big pack:
 * scoring costs some microseconds a document): only its documents in the reader's language, when
 * few enough, and the rest read in index order. */
#define SEARCH_RANK_MAX 200
/* A tier's offers are counted among this many documents; beyond, the total is "at least". */
#define SEARCH_COUNT_MAX 1200
/* Typos, word endings and the some-words tier join in when the stricter tiers found fewer offers. */
#define SEARCH_LOOSE_BELOW 20
#define TEXT_COLS "{name cat summary descr provider town}"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 64) * 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        if (!b->s) t[0] = 0;
        b->s = t;
        b->cap = cap;
    }
}

static const char *sb_str(const sbuf *b) { return b->s && !b->oom ? b->s : ""; }

/* UTF-8 to code points (at most cap), with each one's byte offset; returns the count. */
static int code_points(const char *s, UChar32 *cp, int *off, int cap)
{
    int32_t i = 0, len = (int32_t)strlen(s);
    int n = 0;
    while (i < len && n < cap) {
        if (off) off[n] = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        cp[n++] = c;
    }
    if (off) off[n] = i;
    return n;
}

/* The least edit distance between a and some prefix of b, and that prefix's length in code
 * points (the shortest of the closest); above maxd gives maxd + 1. */
static int prefix_distance(const UChar32 *a, int na, const UChar32 *b, int nb, int maxd, int *plen)
{
    int col[64], next[64], best = maxd + 1;
    if (na > 62) return best;
    for (int i = 0; i <= na; i++) col[i] = i;
    if (na <= maxd) {
        best = na;
        *plen = 0;
    }
    for (int j = 1; j <= nb && j <= na + maxd; j++) {
        int lowest = next[0] = j;
        for (int i = 1; i <= na; i++) {
            int d = col[i - 1] + (a[i - 1] != b[j - 1]);
            if (col[i] + 1 < d) d = col[i] + 1;
            if (next[i - 1] + 1 < d) d = next[i - 1] + 1;
            next[i] = d;
            if (d < lowest) lowest = d;
        }
        memcpy(col, next, sizeof(int) * (size_t)(na + 1));
        if (col[na] < best) {
            best = col[na];
            *plen = j;
        }
        if (lowest > maxd) break;
    }
    return best;
}

/* Binds [prefix, prefix + U+10FFFF) to st's first two parameters: every term starting with prefix. */
static void bind_range(sqlite3_stmt *st, const char *prefix, size_t len, char *hi)
{
    memcpy(hi, prefix, len);
    memcpy(hi + len, "\xf4\x8f\xbf\xbf", 5);
    sqlite3_bind_text(st, 1, prefix, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
}

/* Is some indexed word (whole == 1: exactly) w[0..len)? */
static int has_term(struct store_search *ss, const char *w, size_t len, int whole)
{
    char hi[256];
    if (len + 5 > sizeof hi) return 0;
    bind_range(ss->terms, w, len, hi);
    int found = 0;
    if (sqlite3_step(ss->terms) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(ss->terms, 0);
        found = !whole || (t && strlen(t) == len && !memcmp(t, w, len));
    }
    sqlite3_reset(ss->terms);
    return found;
}

/*
 * Typo candidates for w: indexed words starting with w's first letter, of which some prefix is one
 * edit from w (two for words of eight letters or more), as prefix terms; w's own prefix hits are
 * no typos. Appended to b as " OR {text} : "candidate"*".
 */
static void add_typos(struct store_search *ss, sbuf *b, const char *w)
{
    UChar32 a[64], t[72];
    int toff[73], na = code_points(w, a, NULL, 64);
    if (na < 4 || na > 60) return;
    int maxd = na >= 8 ? 2 : 1, nc = 0;
    char cand[8][128], hi[64];
    int cd[8];
    int first = U8_LENGTH(a[0]);
    bind_range(ss->terms, w, (size_t)first, hi);
    while (sqlite3_step(ss->terms) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(ss->terms, 0);
        int nt = term ? code_points(term, t, toff, 72) : 0, plen = 0;
        int d = nt ? prefix_distance(a, na, t, nt, maxd, &plen) : maxd + 1;
        if (d == 0 || d > maxd || plen < 3 || toff[plen] >= (int)sizeof cand[0]) continue;
        int dup = 0;
        for (int i = 0; i < nc && !dup; i++)
            dup = (int)strlen(cand[i]) == toff[plen] && !memcmp(cand[i], term, (size_t)toff[plen]);
        if (dup) continue;
        /* keep the closest eight */
        int at = nc < 8 ? nc++ : -1;
        if (at < 0)
            for (int i = 0; i < 8; i++)
                if (cd[i] > d) at = i;
        if (at < 0) continue;
        memcpy(cand[at], term, (size_t)toff[plen]);
        cand[at][toff[plen]] = 0;
        cd[at] = d;
    }
    sqlite3_reset(ss->terms);
    for (int i = 0; i < nc; i++) sb_add(b, " OR " TEXT_COLS " : \"%s\"*", cand[i]);
}

/* A long word that is no indexed word's start, read as two words run together ("Deutschkurs"):
 * the first part a word of its own, the second the start or the end of one. */
static void add_split(struct store_search *ss, sbuf *b, const char *w, const char *rw)
{
    UChar32 a[64];
    int off[65], na = code_points(w, a, off, 64);
    if (na < 7 || has_term(ss, w, strlen(w), 0)) return;
    for (int i = na - 3; i >= 3; i--) {
        const char *right = w + off[i];
        if (!has_term(ss, w, (size_t)off[i], 1) || !has_term(ss, right, strlen(right), 0)) continue;
        size_t rlen = strlen(rw) - (size_t)off[i]; /* rw is w reversed: its start is w's end */
        sb_add(b, " OR (" TEXT_COLS " : \"%.*s\" AND (" TEXT_COLS " : \"%s\"* OR rev : \"%.*s\"*))", off[i], w, right,
               (int)rlen, rw);
        return;
    }
}

typedef struct qword {
    char w[200];                       /* the word, folded */
    sbuf exact, prefix, sounds, loose; /* its alternatives, each tier adding to the last */
} qword;

/* Split folded into words and build each one's alternatives; returns the number of words kept. */
static int query_words(struct store_search *ss, const char *folded, qword *qw, int max)
{
    int n = 0;
    for (const char *p = folded; *p && n < max;) {
        int32_t i = 0, len = (int32_t)strlen(p);
        UChar32 c;
        U8_NEXT(p, i, len, c);
        if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) {
            p += i;
            continue;
        }
        const char *e = p;
        int chars = 0;
        while (*e) {
            i = 0;
            len = (int32_t)strlen(e);
            U8_NEXT(e, i, len, c);
            if (c < 0 || !(u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) break;
            e += i;
            chars++;
        }
        qword *q = &qw[n];
        memset(q, 0, sizeof *q);
        char *w = q->w;
        int wl = (int)(e - p) < (int)sizeof q->w - 1 ? (int)(e - p) : (int)sizeof q->w - 1;
        memcpy(w, p, (size_t)wl);
        w[wl] = 0;
        p = e;
        int stop = chars < 2; /* one letter would match nearly everything */
        for (int k = 0; k < ss->nstop && !stop; k++) stop = !strcmp(ss->stop[k], w);
        if (stop) continue;
        n++;
        /* Arabic writes the article onto the word: "سكن" means "السكن" as well */
        UChar32 c0;
        int32_t j = 0;
        U8_NEXT(w, j, wl, c0);
        int article = ublock_getCode(c0) == UBLOCK_ARABIC && strncmp(w, "ال", strlen("ال")) != 0;
        sb_add(&q->exact, TEXT_COLS " : \"%s\"", w);
        if (article) sb_add(&q->exact, " OR " TEXT_COLS " : \"ال%s\"", w);
        sb_add(&q->prefix, TEXT_COLS " : \"%s\"*", w);
        if (article) sb_add(&q->prefix, " OR " TEXT_COLS " : \"ال%s\"*", w);
        sb_add(&q->sounds, "%s", sb_str(&q->prefix));
        char *sk = store_skeleton(ss->folder, w);
        if (sk && strlen(sk) >= 2 && !strchr(sk, ' ')) sb_add(&q->sounds, " OR skel : \"%s\"*", sk);
        free(sk);
    }
    return n;
}

/* The loosest alternatives of q (typos, word endings, halves), built only when the stricter tiers
 * found too little: they cost vocabulary look-ups and long OR lists. */
static void loosen(struct store_search *ss, qword *q)
{
    sb_add(&q->loose, "%s", sb_str(&q->sounds));
    char *rw = reversed_words(q->w);
    if (rw && rw[0]) {
        rw[strlen(rw) - 1] = 0; /* the trailing space */
        sb_add(&q->loose, " OR rev : \"%s\"*", rw);
        add_split(ss, &q->loose, q->w, rw);
    }
    if (!rw) q->loose.oom = 1;
    free(rw);
    add_typos(ss, &q->loose, q->w);
}

/* All words (join "AND") or some ("OR") of one kind of alternative; "" when oom. */
static void tier(sbuf *out, const qword *qw, int n, size_t field, const char *join)
{
    for (int i = 0; i < n; i++) {
        const sbuf *alt = (const sbuf *)((const char *)&qw[i] + field);
        sb_add(out, "%s(%s)", i ? join : "", sb_str(alt));
    }
}

/* The offer ids found so far, in rank order, with a hash set to skip repeats. */
typedef struct found {
    char **ids;
    int n, cap;
    unsigned *slots; /* index + 1 into ids, 0 = free; cap * 2 slots */
} found;

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Adds id unless already there; returns -1 on no memory. */
static int found_add(found *f, const char *id)
{
    if (f->n + 1 > f->cap) {
        int cap = f->cap ? f->cap * 2 : 64;
        char **ids = realloc(f->ids, sizeof *ids * (size_t)cap);
        unsigned *slots = calloc((size_t)cap * 2, sizeof *slots);
        if (ids) f->ids = ids;
        if (!ids || !slots) {
            free(slots);
            return -1;
        }
        free(f->slots);
        f->slots = slots;
        f->cap = cap;
        for (int i = 0; i < f->n; i++) {
            unsigned h = hash(f->ids[i]) % (unsigned)(cap * 2);
            while (f->slots[h]) h = (h + 1) % (unsigned)(cap * 2);
            f->slots[h] = (unsigned)i + 1;
        }
    }
    unsigned size = (unsigned)f->cap * 2, h = hash(id) % size;
    for (; f->slots[h]; h = (h + 1) % size)
        if (!strcmp(f->ids[f->slots[h] - 1], id)) return 0;
    if (!(f->ids[f->n] = strdup(id))) return -1;
    f->slots[h] = (unsigned)++f->n;
    return 0;
}

static void found_free(found *f)
{
    for (int i = 0; i < f->n; i++) free(f->ids[i]);
    free(f->ids);
    free(f->slots);
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
                                   "ORDER BY j.key",
                                   -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
        rc = store_rows_from(s, st, langs, nlangs, out, n);
    }
    sqlite3_finalize(st);
    free(json);
    return rc;
}

void store_search_close(store *s)
{
    struct store_search *ss = s->search;
    if (!ss) return;
    store_folder_close(ss->folder);
    for (int i = 0; i < ss->nstop; i++) free(ss->stop[i]);
    free(ss->stop);
    sqlite3_finalize(ss->terms);
    sqlite3_finalize(ss->ranked);
    sqlite3_finalize(ss->oid);
    sqlite3_finalize(ss->rowids);
    free(ss->live);
    free(ss);
    s->search = NULL;
}

/* The languages' numbers and which offer numbers are live, read once: row ids then tell offers
 * apart without a look-up each. */
static int load_numbers(sqlite3 *db, struct store_search *ss)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT li, code FROM search_lang WHERE li BETWEEN 0 AND 31", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        snprintf(ss->lang[sqlite3_column_int(st, 0)], sizeof ss->lang[0], "%s", code ? code : "");
    }
    sqlite3_finalize(st);
    ss->nlive = single_int(db, "SELECT coalesce(max(id), 0) + 1 FROM search_doc");
    if (ss->nlive <= 0 || ss->nlive > (1 << 26) || !(ss->live = calloc((size_t)ss->nlive, 1))) return -1;
    if (sqlite3_prepare_v2(db, "SELECT id FROM search_doc", -1, &st, NULL) != SQLITE_OK) return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id >= 0 && id < ss->nlive) ss->live[id] = 1;
    }
    rc = sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
    return rc;
}

/* A tier's documents read in index order (row ids only, no look-up): how many (up to cap), the
 * live offers among them, and the first want of those offers' numbers. */
typedef struct tier_count {
    int docs, offers, nfirst;
    sqlite3_int64 *first;
} tier_count;

static int count_tier(struct store_search *ss, const char *expr, int cap, int want, tier_count *c)
{
    sqlite3_int64 last = -1;
    memset(c, 0, sizeof *c);
    if (!(c->first = malloc(sizeof *c->first * (size_t)(want > 0 ? want : 1)))) return -1;
    sqlite3_bind_text(ss->rowids, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(ss->rowids, 2, cap);
    int step;
    while ((step = sqlite3_step(ss->rowids)) == SQLITE_ROW) {
        sqlite3_int64 offer = sqlite3_column_int64(ss->rowids, 0) >> 5;
        c->docs++;
        if (offer != last && offer < ss->nlive && ss->live[offer]) {
            if (c->nfirst < want) c->first[c->nfirst++] = offer;
            c->offers++;
        }
        last = offer;
    }
    sqlite3_reset(ss->rowids);
    return step == SQLITE_DONE ? 0 : -1;
}

/* The live offers matching expr (*all: counted to the end, not cut at SEARCH_COUNT_MAX). */
static int count_total(struct store_search *ss, const char *expr, int *offers, int *all)
{
    tier_count c;
    int rc = count_tier(ss, expr, SEARCH_COUNT_MAX, 0, &c);
    *offers = c.offers;
    *all = c.docs < SEARCH_COUNT_MAX;
    free(c.first);
    return rc;
}

static int search_ready(store *s)
{
    if (s->search) return s->search->has_index;
    char err[200];
    struct store_search *ss = s->search = calloc(1, sizeof *s->search);
    if (!ss) return 0;
    ss->folder = store_folder_open(err, sizeof err);
    int n = (int)(sizeof stop_words / sizeof *stop_words);
    ss->stop = calloc((size_t)n, sizeof *ss->stop);
    for (int i = 0; ss->stop && ss->folder && i < n; i++)
        if ((ss->stop[ss->nstop] = store_fold(ss->folder, stop_words[i]))) ss->nstop++;
    /* an index of this format has its vocabulary beside it */
    ss->has_index =
        ss->folder && ss->stop && register_rank(s->db) == 0 &&
        sqlite3_prepare_v2(s->db, "SELECT term FROM search_term WHERE term >= ?1 AND term < ?2", -1, &ss->terms, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(s->db,
                           "SELECT d.oid FROM (SELECT rowid AS r, " SEARCH_RANK " AS k FROM search WHERE search MATCH ?1 LIMIT ?3)"
                           " LEFT JOIN search_doc d ON d.id=(r >> 5) ORDER BY k * (CASE WHEN (r & 31)=?2 THEN 1.2 ELSE 1.0 END)",
                           -1, &ss->ranked, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(s->db, "SELECT oid FROM search_doc WHERE id=?1", -1, &ss->oid, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(s->db, "SELECT rowid FROM search WHERE search MATCH ?1 LIMIT ?2", -1, &ss->rowids, NULL) ==
            SQLITE_OK &&
        load_numbers(s->db, ss) == 0;
    return ss->has_index;
}

/*
 * The rows of expr ranked into f, when there are at most SEARCH_RANK_MAX of them: 1 when there
 * were more (then f is unchanged), 0, -1. One evaluation of expr, which is what costs: the
 * count and the ranking come from the same rows.
 */
static int ranked(struct store_search *ss, const char *expr, int li, found *f)
{
    char *keep[SEARCH_RANK_MAX];
    int n = 0, rc = 0, step;
    sqlite3_bind_text(ss->ranked, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(ss->ranked, 2, li);
    sqlite3_bind_int(ss->ranked, 3, SEARCH_RANK_MAX + 1);
    while ((step = sqlite3_step(ss->ranked)) == SQLITE_ROW) {
        if (n == SEARCH_RANK_MAX) {
            rc = 1;
            break;
        }
        const char *id = (const char *)sqlite3_column_text(ss->ranked, 0);
        keep[n] = id ? strdup(id) : NULL; /* no id: an offer changed since, its old row unreachable */
        if (id && !keep[n]) {
            rc = -1;
            break;
        }
        n++;
    }
    if (rc == 0 && step != SQLITE_DONE) rc = -1;
    sqlite3_reset(ss->ranked);
    for (int i = 0; i < n; i++) {
        if (rc == 0 && keep[i] && found_add(f, keep[i])) rc = -1;
        free(keep[i]);
    }
    return rc;
}

/*
 * The offers of tier expr that the tier before it (prev) did not bring, into f: scored when its new
 * documents are few enough to score, else those in the reader's language scored (if few enough),
 * then c's offers in index order up to want. Returns 1 when it read in index order, 0, -1.
 */
static int run_tier(struct store_search *ss, const char *expr, const char *prev, int new_docs, const tier_count *c,
                    const char *lang, int li, found *f, int want)
{
    sbuf e = {0};
    int rc = 1;
    if (prev) sb_add(&e, "(%s) NOT (%s)", expr, prev);
    else sb_add(&e, "%s", expr);
    if (e.oom) rc = -1;
    else if (new_docs <= SEARCH_RANK_MAX) rc = ranked(ss, sb_str(&e), li, f); /* 1 only if the count was wrong */
    if (rc == 1 && li > 0) {
        sbuf m = {0};
        sb_add(&m, "(%s) AND lang : \"%s\"", sb_str(&e), lang);
        if (m.oom || ranked(ss, sb_str(&m), li, f) < 0) rc = -1;
        free(m.s);
    }
    for (int i = 0; rc > 0 && i < c->nfirst && f->n < want; i++) {
        sqlite3_bind_int64(ss->oid, 1, c->first[i]);
        if (sqlite3_step(ss->oid) == SQLITE_ROW && found_add(f, (const char *)sqlite3_column_text(ss->oid, 0))) rc = -1;
        sqlite3_reset(ss->oid);
    }
    free(e.s);
    return rc;
}

/*
 * Tiers, best first: every word as a whole word; every word, as a word's start (and, in Arabic
 * script, after the article); every word, or its Latin skeleton. When those find fewer than
 * SEARCH_LOOSE_BELOW offers: every word, or a typo of it, a word ending in it or its two halves;
 * then some of the words. Within a tier BM25 (rank_fn) over the weighted columns, the reader's
 * language a little ahead; each offer where its best document falls. A tier matching too many
 * documents to score on a keystroke (SEARCH_RANK_MAX) is read in index order, the names in the
 * reader's language first; the total is then a lower bound.
 */
int store_search_page(store *s, const char *query, const char *const langs[], int nlangs, int offset, int limit,
                      store_offer_row **out, int *n, int *total, int *exact)
{
    *out = NULL;
    *n = 0;
    if (total) *total = 0;
    if (exact) *exact = 1;
    if (!search_ready(s)) return 1;
    struct store_search *ss = s->search;
    if (offset < 0) offset = 0;
    if (limit <= 0) return 0;
    char *folded = store_fold(ss->folder, query);
    if (!folded) return -1;
    qword qw[8];
    int nw = query_words(ss, folded, qw, 8), rc = 0, plain = 0, want = offset + limit;
    free(folded);
    if (nw == 0) return 0;
    const char *lang = "";
    if (nlangs > 0 && strlen(langs[0]) < 16 && strspn(langs[0], "abcdefghijklmnopqrstuvwxyz") == strlen(langs[0]))
        lang = langs[0];
    int li = -1;
    for (int i = 1; i < 32 && lang[0] && li < 0; i++)
        if (!strcmp(ss->lang[i], lang)) li = i;
    sbuf t[5] = {0};
    tier(&t[0], qw, nw, offsetof(qword, exact), " AND ");
    tier(&t[1], qw, nw, offsetof(qword, prefix), " AND ");
    tier(&t[2], qw, nw, offsetof(qword, sounds), " AND ");
    found f = {0};
    /* L: the loosest tier that applies; its count is the total, whether or not a page needed it */
    int last = -1, prev_docs = 0, L = 2, have = -1, tot = 0, whole = 1;
    for (int i = 0; i < 5 && rc >= 0; i++) {
        if (i == 3) {
            if (have < 2 && count_total(ss, sb_str(&t[2]), &tot, &whole)) rc = -1;
            have = 2;
            if (rc < 0 || tot >= SEARCH_LOOSE_BELOW) break;
            for (int k = 0; k < nw; k++) loosen(ss, &qw[k]);
            tier(&t[3], qw, nw, offsetof(qword, loose), " AND ");
            if (nw > 1) tier(&t[4], qw, nw, offsetof(qword, loose), " OR ");
            L = nw > 1 ? 4 : 3;
        }
        if (i > L || (plain && f.n >= want)) break;
        if (t[i].oom) rc = -1;
        /* a tier that adds nothing to the one before it is skipped */
        if (rc < 0) break;
        if (last >= 0 && !strcmp(sb_str(&t[i]), sb_str(&t[last]))) {
            have = i;
            continue;
        }
        /* each tier holds the ones before it: its count is the total so far */
        tier_count c;
        if (count_tier(ss, sb_str(&t[i]), SEARCH_COUNT_MAX, want, &c)) rc = -1;
        int all = c.docs < SEARCH_COUNT_MAX, new_docs = all ? c.docs - prev_docs : SEARCH_COUNT_MAX;
        if (rc == 0 && new_docs > 0) {
            int r = run_tier(ss, sb_str(&t[i]), last >= 0 ? sb_str(&t[last]) : NULL, new_docs, &c, lang, li, &f, want);
            if (r < 0) rc = -1;
            if (r == 1) plain = 1;
        }
        tot = c.offers;
        whole = all;
        have = i;
        free(c.first);
        prev_docs = c.docs;
        last = i;
    }
    /* the page filled before the loosest tier: count it all the same, unless a stricter tier
     * already had more than can be counted on a keystroke (the loosest has as many then) */
    if (rc >= 0 && have < L && whole) {
        int stricter = tot;
        if (count_total(ss, sb_str(&t[L]), &tot, &whole)) rc = -1;
        if (tot < stricter) tot = stricter; /* counted in index order up to the cap: a lower bound */
    }
    if (total) *total = tot > f.n ? tot : f.n;
    if (exact) *exact = whole;
    for (int i = 0; i < nw; i++) {
        free(qw[i].exact.s);
        free(qw[i].prefix.s);
        free(qw[i].sounds.s);
        free(qw[i].loose.s);
        if (qw[i].exact.oom || qw[i].prefix.oom || qw[i].sounds.oom || qw[i].loose.oom) rc = -1;
    }
    for (int i = 0; i < 5; i++) free(t[i].s);
    if (rc == 0 && offset < f.n)
        rc = store_rows_by_ids(s, (const char *const *)f.ids + offset, f.n - offset < limit ? f.n - offset : limit, langs,
                               nlangs, out, n);
    found_free(&f);
    if (rc < 0 && total) *total = 0;
    return rc < 0 ? -1 : 0;
}

int store_search_prepare(store *s)
{
    if (!search_ready(s)) return s->search ? 1 : -1;
    return store_folder_latin(s->search->folder) ? 0 : -1;
}

int store_search(store *s, const char *query, const char *const langs[], int nlangs, int limit, store_offer_row **out,
                 int *n)
{
    return store_search_page(s, query, langs, nlangs, 0, limit, out, n, NULL, NULL);
}
