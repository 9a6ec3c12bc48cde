/* Unit tests of the pack builder and the store: build, fallback, collation, bad sources. */
#include "check.h"
#include "pack/pack.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB "build/test-mini.db"

static const store_offer_row *row(const store_offer_row *r, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(r[i].id, id)) return &r[i];
    return NULL;
}

/* First of all: SQLite then keeps no memory statistics (a mutex on every allocation), which
 * only a process that has not used SQLite yet can ask for. */
TEST(setup_first)
{
    CHECK(store_setup() == 0, "SQLite set up before its first use");
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK &&
              sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(randomblob(5000))", NULL, NULL, NULL) == SQLITE_OK,
          "a database in memory");
    CHECK(sqlite3_memory_used() == 0, "no memory statistics kept (%lld bytes counted)", (long long)sqlite3_memory_used());
    sqlite3_close(db);
    CHECK(store_setup() == -1, "too late once SQLite is in use");
}

TEST(build_and_query)
{
    char err[1024];
    CHECK(pack_build("tests/fixtures/mini", DB, err, sizeof err) == 0, "build: %s", err);
    store *s = NULL;
    CHECK(store_open(&s, DB, err, sizeof err) == 0, "open: %s", err);
    if (!s) return;
    char *v = store_meta(s, "content_version");
    CHECK(v && !strcmp(v, "3"), "content version %s", v ? v : "NULL");
    free(v);

    const char *de[] = {"de", "en"};
    store_category *c;
    int n;
    /* the language screen's names come without the pass that counts offers; counted on demand */
    CHECK(store_categories_uncounted(s, de, 2, &c, &n) == 0 && n == 2 && !c[0].count && !c[1].count,
          "names without counts");
    CHECK(store_category_counts(s, c, n) == 0 && c[1].count == 3 && c[0].count == 1, "counted later: %d %d",
          c[1].count, c[0].count);
    store_categories_free(c, n);
    CHECK(store_categories(s, de, 2, &c, &n) == 0 && n == 2, "two categories");
    CHECK(!strcmp(c[0].id, "housing") && !strcmp(c[1].id, "health"), "in pack order");
    CHECK(c[1].count == 3 && c[0].count == 1, "counts %d %d", c[1].count, c[0].count);
    CHECK(c[1].icon && c[1].icon_len > 100, "pictogram embedded");
    store_categories_free(c, n);

    store_offer_row *r;
    CHECK(store_offers_in_category(s, "health", de, 2, &r, &n) == 0 && n == 3, "three offers");
    /* German collation: Ä sorts with A, before B */
    CHECK(!strcmp(r[0].id, "aerzte") && !strcmp(r[1].id, "beratung") && !strcmp(r[2].id, "zahnarzt"),
          "collated order %s %s %s", r[0].id, r[1].id, r[2].id);
    CHECK(!strcmp(r[0].town, "Heidemoor"), "town");
    store_offer_rows_free(r, n);

    /* Dari reader: prs -> fa -> en -> de */
    const char *prs[] = {"prs", "fa", "en", "de"};
    CHECK(store_offers_in_category(s, "health", prs, 4, &r, &n) == 0, "prs list");
    const store_offer_row *a = row(r, n, "aerzte"), *b = row(r, n, "beratung"), *z = row(r, n, "zahnarzt");
    CHECK(a && !strcmp(a->name.lang, "fa") && a->name.fallback && a->name.status == STORE_MACHINE, "aerzte from fa");
    CHECK(b && !strcmp(b->name.lang, "de") && b->name.fallback, "beratung falls back to de");
    CHECK(z && !strcmp(z->summary.lang, "de") && *z->summary.text, "summary never empty");
    store_offer_rows_free(r, n);

    const char *ar[] = {"ar", "en", "de"};
    store_offer *o = NULL;
    CHECK(store_offer_get(s, "zahnarzt", ar, 3, &o) == 0 && o, "offer");
    if (o) {
        CHECK(!strcmp(o->name.text, "طبيب الأسنان") && !o->name.fallback, "Arabic name");
        CHECK(o->description.fallback && !strcmp(o->description.text, "Beschreibung"), "description falls back");
        CHECK(!strcmp(o->provider.text, "عيادة السوق"), "provider in Arabic");
        CHECK(o->nphones == 1 && !strcmp(o->phones[0], "+49 5191 1000"), "organisation phone used");
        CHECK(o->nschedules == 1 && o->schedules[0].opens == 540 && o->schedules[0].closes == 750, "schedule");
        CHECK(o->nlanguages == 2, "languages spoken");
        CHECK(!strcmp(o->accessibility.text, "Stufenlos"), "location text");
        store_offer_free(o);
    }
    CHECK(store_offer_get(s, "beratung", ar, 3, &o) == 0 && o->nphones == 1 && !strcmp(o->phones[0], "+49 5191 2000"),
          "own phone wins");
    store_offer_free(o);
    CHECK(store_offer_get(s, "nope", ar, 3, &o) == 1, "missing offer");
    /* the town as the reader writes it where the pack has it, else the address's own */
    CHECK(store_offers_in_category(s, "health", ar, 3, &r, &n) == 0 && n == 3 && !strcmp(r[0].town, "هايدمور"),
          "Arabic list: the town in Arabic script (%s)", n ? r[0].town : "-");
    store_offer_rows_free(r, n);
    CHECK(store_offers_in_category(s, "health", prs, 4, &r, &n) == 0 && n == 3 && !strcmp(r[0].town, "Heidemoor"),
          "Dari: no town in its chain, the address's (%s)", n ? r[0].town : "-");
    store_offer_rows_free(r, n);
    CHECK(store_offer_get(s, "zahnarzt", ar, 3, &o) == 0 && o && o->city_local && !strcmp(o->city_local, "هايدمور") &&
              !strcmp(o->city, "Heidemoor"),
          "Arabic offer page: the town in Arabic script beside the address's own");
    store_offer_free(o);
    store_close(s);
}

/* A row's texts from the reader's language where it has them all, field by field along the chain
 * where it lacks one (the list reads the first language with the row, the rest only then). */
TEST(row_texts_per_field)
{
    char err[1024];
    CHECK(pack_build("tests/fixtures/mini", "build/test-rowtexts.db", err, sizeof err) == 0, "build: %s", err);
    sqlite3 *db = NULL;
    sqlite3_open("build/test-rowtexts.db", &db);
    sqlite3_exec(db,
                 "UPDATE service_i18n SET summary='' WHERE service_id='zahnarzt' AND lang='ar';"
                 "DELETE FROM organization_i18n WHERE lang='ar' AND organization_id="
                 " (SELECT organization_id FROM service WHERE id='zahnarzt');"
                 /* a second place that comes first by sort_order: the row's town is its town */
                 "INSERT INTO location(id, organization_id, city) SELECT 'elsewhere', organization_id, 'Andersdorf'"
                 " FROM service WHERE id='zahnarzt';"
                 "INSERT INTO service_at_location(id, service_id, location_id, sort_order)"
                 " VALUES('zz-second', 'zahnarzt', 'elsewhere', -1)",
                 NULL, NULL, NULL);
    CHECK(store_derive(db, err, sizeof err) == 0, "list rows derived again, as kiosk-pack does: %s", err);
    sqlite3_close(db);
    store *s = NULL;
    CHECK(store_open(&s, "build/test-rowtexts.db", err, sizeof err) == 0, "open: %s", err);
    if (!s) return;
    const char *ar[] = {"ar", "en", "de"};
    store_offer_row *r;
    int n;
    CHECK(store_offers_in_category(s, "health", ar, 3, &r, &n) == 0 && n == 3, "list");
    const store_offer_row *z = row(r, n, "zahnarzt");
    CHECK(z && !strcmp(z->name.text, "طبيب الأسنان") && !strcmp(z->name.lang, "ar") && !z->name.fallback,
          "name in Arabic");
    CHECK(z && *z->summary.text && strcmp(z->summary.lang, "ar") && z->summary.fallback, "summary from the chain (%s)",
          z ? z->summary.lang : "-");
    CHECK(z && *z->provider.text && strcmp(z->provider.lang, "ar") && z->provider.fallback, "provider from the chain");
    CHECK(z && !strcmp(z->town, "Andersdorf"), "the town of the first place (%s)", z ? z->town : "-");
    store_offer_rows_free(r, n);
    /* no chain at all: some text all the same */
    CHECK(store_offers_in_category(s, "health", ar, 0, &r, &n) == 0 && n == 3 && *r[0].name.text, "no chain");
    store_offer_rows_free(r, n);
    store_close(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

TEST(bad_sources)
{
    char err[1024];
    check_sh("rm -rf build/badpack && cp -r tests/fixtures/mini build/badpack && "
             "ln -s ../../content/pictograms build/badpack/pictograms");
    write_file("build/badpack/offers/broken.json", "{ \"id\": \"broken\", ");
    CHECK(pack_build("build/badpack", "build/bad.db", err, sizeof err) != 0, "truncated JSON refused");
    CHECK(strstr(err, "broken.json:1:"), "message names file and line: %s", err);
    struct stat sb;
    CHECK(stat("build/bad.db", &sb) != 0 && stat("build/bad.db.tmp", &sb) != 0, "no partial output");

    write_file("build/badpack/offers/broken.json",
               "{\"id\":\"broken\",\"organization\":\"ghost\",\"categories\":[\"health\"],"
               "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}");
    CHECK(pack_build("build/badpack", "build/bad.db", err, sizeof err) != 0 && strstr(err, "ghost"),
          "dangling organization: %s", err);
    write_file("build/badpack/offers/broken.json",
               "{\"id\":\"broken\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
               "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"},\"xx\":{\"status\":\"machine\"}}}");
    CHECK(pack_build("build/badpack", "build/bad.db", err, sizeof err) != 0 && strstr(err, "xx"), "unknown language: %s",
          err);
    write_file("build/badpack/offers/broken.json",
               "{\"id\":\"broken\",\"organization\":\"praxis\",\"categories\":[\"health\"],"
               "\"schedules\":[{\"byday\":\"MO\",\"opens_at\":\"9h\",\"closes_at\":\"12:00\"}],"
               "\"i18n\":{\"de\":{\"status\":\"complete\",\"name\":\"X\"}}}");
    CHECK(pack_build("build/badpack", "build/bad.db", err, sizeof err) != 0 && strstr(err, "HH:MM"), "bad time: %s", err);
    write_file("build/badpack/offers/broken.json", "{\"id\":\"bad\xff\"}");
    CHECK(pack_build("build/badpack", "build/bad.db", err, sizeof err) != 0, "invalid UTF-8 refused: %s", err);

    /* an existing database is never replaced by a failed build */
    CHECK(pack_build("tests/fixtures/mini", "build/keep.db", err, sizeof err) == 0, "good build");
    stat("build/keep.db", &sb);
    off_t size = sb.st_size;
    CHECK(pack_build("build/badpack", "build/keep.db", err, sizeof err) != 0, "bad build");
    CHECK(stat("build/keep.db", &sb) == 0 && sb.st_size == size, "old database kept");
}

TEST(bad_databases)
{
    char err[1024];
    store *s = NULL;
    write_file("build/not-a-db.db", "hello, this is not SQLite at all, not even close to it.........");
    CHECK(store_open(&s, "build/not-a-db.db", err, sizeof err) != 0 && !s, "garbage refused: %s", err);
    CHECK(store_open(&s, "build/none.db", err, sizeof err) != 0, "missing file refused: %s", err);
    check_sh("rm -f build/other.db && sqlite3 build/other.db 'CREATE TABLE t(x)'");
    CHECK(store_open(&s, "build/other.db", err, sizeof err) != 0 && strstr(err, "not a kiosk content database"),
          "foreign schema refused: %s", err);
}

TEST(synthetic)
{
    char err[1024];
    CHECK(pack_synth("build/synth-test.db", 50, 16, 1, NULL, err, sizeof err) == 0, "synth: %s", err);
    store *s = NULL;
    CHECK(store_open(&s, "build/synth-test.db", err, sizeof err) == 0, "open synth");
    char **l = store_languages(s);
    int n = 0;
    while (l && l[n]) n++;
    CHECK(n == 16, "16 languages, got %d", n);
    store_strv_free(l);
    store_close(s);
}

/* Category counts leave out offers that are not active ("beratung" is in both categories), and
 * stay right across a change of language (they are read once per opened pack). */
TEST(category_counts)
{
    char err[1024];
    const char *path = "build/test-mini-counts.db";
    CHECK(pack_build("tests/fixtures/mini", path, err, sizeof err) == 0, "build: %s", err);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK &&
              sqlite3_exec(db, "UPDATE service SET status='inactive' WHERE id='beratung'", NULL, NULL, NULL) == SQLITE_OK &&
              store_derive(db, err, sizeof err) == 0,
          "one health offer made inactive, the counts derived again: %s", err);
    sqlite3_close(db);
    store *s = NULL;
    CHECK(store_open(&s, path, err, sizeof err) == 0, "open: %s", err);
    if (!s) return;
    const char *de[] = {"de", "en"}, *ar[] = {"ar", "en", "de"};
    for (int round = 0; round < 2; round++) {
        store_category *c;
        int n;
        CHECK(store_categories(s, round ? ar : de, round ? 3 : 2, &c, &n) == 0 && n == 2, "two categories");
        CHECK(n == 2 && c[1].count == 2 && c[0].count == 0, "counts %d %d (%s)", n == 2 ? c[1].count : -1,
              n == 2 ? c[0].count : -1, round ? "ar" : "de");
        store_categories_free(c, n);
    }
    store_close(s);
    unlink(path);
}

/* An offer held at several places: each place with its own address, hours and phones. */
TEST(places_of_an_offer)
{
    char err[1024];
    const char *db = "build/test-places.db";
    CHECK(pack_build("content/demo", db, err, sizeof err) == 0, "build demo: %s", err);
    /* the pack gives each Caritas office its own number (a location's "phones"); one more of
     * the offer at Wiesental (the phone table can bind a number to an offer at a place) */
    check_sh("sqlite3 %s \"INSERT INTO phone(id, service_id, location_id, number) VALUES('t2', 'caritas-mbe', "
             "'caritas/wiesental', '+49 5193 70-210')\"", db);
    store *s = NULL;
    CHECK(store_open(&s, db, err, sizeof err) == 0, "open: %s", err);
    if (!s) return;
    const char *de[] = {"de"};
    store_offer *o = NULL;
    CHECK(store_offer_get(s, "caritas-mbe", de, 1, &o) == 0 && o, "offer");
    if (o) {
        CHECK(o->nplaces == 2, "two places, got %d", o->nplaces);
        if (o->nplaces == 2) {
            CHECK(!strcmp(o->places[0].city, "Heidemoor") && !strcmp(o->places[0].street, "Kirchplatz 3"), "first place %s",
                  o->places[0].city);
            CHECK(!strcmp(o->places[1].city, "Wiesental") && *o->places[1].name.text, "second place %s (%s)",
                  o->places[1].city, o->places[1].name.text);
            CHECK(o->places[0].nphones == 1 && !strcmp(o->places[0].phones[0], "+49 5191 70-110"),
                  "Kirchplatz's own number, from the pack (%d)", o->places[0].nphones);
            CHECK(o->places[1].nphones == 2 && !strcmp(o->places[1].phones[0], "+49 5193 70-210") &&
                      !strcmp(o->places[1].phones[1], "+49 5193 70-200"),
                  "Wiesental's numbers, the offer's first (%d)", o->places[1].nphones);
        }
        CHECK(o->nphones == 1 && !strcmp(o->phones[0], "+49 5191 70-100"), "the offer's numbers leave the place's out");
        int friday = -1, tuesday = -1;
        for (int i = 0; i < o->nschedules; i++) {
            if (!strcmp(o->schedules[i].byday, "FR")) friday = o->schedules[i].place;
            if (!strcmp(o->schedules[i].byday, "TU,TH")) tuesday = o->schedules[i].place;
        }
        CHECK(friday == 1, "the Friday hours are Wiesental's (place %d)", friday);
        CHECK(tuesday == 0, "Tuesday and Thursday are Kirchplatz's (place %d)", tuesday);
        store_offer_free(o);
    }
    CHECK(store_offer_get(s, "vhs-einstufungstest", de, 1, &o) == 0 && o, "placement test");
    if (o) {
        int ok = o->nplaces == 2 && o->nschedules == 2;
        for (int i = 0; ok && i < o->nschedules; i++)
            ok = !strcmp(o->schedules[i].byday, "1TU") ? o->schedules[i].place == 1 && !strcmp(o->places[1].city, "Lindenfeld")
                                                        : o->schedules[i].place == 0;
        CHECK(ok, "the first-Tuesday test is held in Lindenfeld");
        store_offer_free(o);
    }
    store_close(s);
}

/* The tables SQLite's authorizer sees store_derive_check read in main; each must be one
 * store_derive_reads names, or a delta changing it would skip the check. */
static int derive_read(void *ctx, int action, const char *table, const char *column, const char *schema,
                       const char *trigger)
{
    (void)column, (void)trigger;
    int *missing = ctx;
    if (action == SQLITE_READ && table && schema && !strcmp(schema, "main") && strncmp(table, "sqlite_", 7) &&
        !store_derive_reads(table)) {
        fprintf(stderr, "# store_derive_check reads %s, store_derive_reads does not name it\n", table);
        (*missing)++;
    }
    return SQLITE_OK;
}

TEST(derive_names_what_it_reads)
{
    char err[1024];
    const char *db = "build/test-derive.db";
    CHECK(pack_build("content/demo", db, err, sizeof err) == 0, "build demo: %s", err);
    sqlite3 *h = NULL;
    int missing = 0;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK, "open");
    sqlite3_set_authorizer(h, derive_read, &missing);
    CHECK(store_derive_check(h, err, sizeof err) == 0, "the demo's list rows are what it derives: %s", err);
    sqlite3_set_authorizer(h, NULL, NULL);
    CHECK(missing == 0, "%d tables read and not named", missing);
    CHECK(store_derive_reads("service_row") && store_derive_reads("schedule") && !store_derive_reads("service_i18n"),
          "texts of offers are not read");
    sqlite3_close(h);
    unlink(db);
}

int main(void)
{
    RUN(setup_first); /* before any other use of SQLite */
    RUN(build_and_query);
    RUN(row_texts_per_field);
    RUN(category_counts);
    RUN(bad_sources);
    RUN(bad_databases);
    RUN(synthetic);
    RUN(places_of_an_offer);
    RUN(derive_names_what_it_reads);
    CHECK_DONE();
}
