/* The list rows and category counts kiosk-pack derives (service_row, taxonomy_count): a delta
 * that adds, removes and changes offers leaves them as the full pack of the new version has them,
 * applied in place or to a copy; content of the schema before them still shows the same lists,
 * and a delta does not apply to it. */
#include "check.h"
#include "pack/install.h"
#include "pack/pack.h"
#include "pack/publish.h"
#include "pack/sign.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DIR "build/listrows"
static pack_trust trust;

/* What every list shows, in four readers' chains: the categories with their counts and each
 * category's rows with every field the list draws. Caller frees; NULL when the store fails. */
static char *lists_of(const char *db)
{
    static const char *const chains[][3] = {{"de", NULL, NULL}, {"ar", "en", "de"}, {"fa", "en", "de"}, {"en", "de", NULL}};
    store *s = NULL;
    char err[512], *out = NULL;
    size_t len = 0;
    if (store_open(&s, db, err, sizeof err) != 0) {
        printf("open %s: %s\n", db, err);
        return NULL;
    }
    FILE *f = open_memstream(&out, &len);
    int bad = 0;
    for (size_t c = 0; c < sizeof chains / sizeof *chains; c++) {
        int n = chains[c][1] ? chains[c][2] ? 3 : 2 : 1;
        store_category *cat;
        int ncat;
        if (store_categories(s, chains[c], n, &cat, &ncat) != 0) {
            bad = 1;
            continue;
        }
        for (int k = 0; k < ncat; k++) {
            fprintf(f, "%s %s: %d\n", chains[c][0], cat[k].id, cat[k].count);
            store_offer_row *r;
            int nr;
            if (store_offers_in_category(s, cat[k].id, chains[c], n, &r, &nr) != 0) {
                bad = 1;
                continue;
            }
            for (int i = 0; i < nr; i++)
                fprintf(f, "  %s | %s (%s %d %d) | %s (%s %d) | %s (%s %d %d) | %s | %s | %d\n", r[i].id, r[i].name.text,
                        r[i].name.lang, r[i].name.status, r[i].name.fallback, r[i].summary.text, r[i].summary.lang,
                        r[i].summary.fallback, r[i].provider.text, r[i].provider.lang, r[i].provider.status,
                        r[i].provider.fallback, r[i].town, r[i].languages, r[i].bookable);
            store_offer_rows_free(r, nr);
        }
        store_categories_free(cat, ncat);
    }
    fclose(f);
    store_close(s);
    if (bad) {
        free(out);
        return NULL;
    }
    return out;
}

/* Rows of table in a that b lacks, and the other way round. */
static int differing_rows(const char *a, const char *b, const char *table)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char sql[512];
    int n = -1;
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM b.%s))"
             " + (SELECT count(*) FROM (SELECT * FROM b.%s EXCEPT SELECT * FROM main.%s))",
             table, table, table, table);
    char attach[300];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS b", b);
    if (sqlite3_open_v2(a, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_exec(db, attach, NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The mini fixture as version 4, and version 5 with one offer removed (in two categories), one
 * added, one changed in its languages and bookable hours, one held first at a new place, and the
 * provider named in one more language: every column of service_row and both counts move. */
static void make_versions(void)
{
    char err[1024];
    check_sh("rm -rf " DIR " && mkdir -p " DIR " && cp -r tests/fixtures/mini " DIR "/v4 && ln -sfn ../../../content/pictograms " DIR
             "/v4/pictograms && sed -i 's/\"version\": 3/\"version\": 4/' " DIR "/v4/pack.json && cp -r " DIR "/v4 " DIR
             "/v5 && sed -i 's/\"version\": 4/\"version\": 5/' " DIR "/v5/pack.json && rm " DIR "/v5/offers/beratung.json");
    write_file(DIR "/v5/organizations/praxis.json",
               "{ \"id\": \"praxis\", \"email\": \"praxis@example.org\", \"url\": \"https://praxis.example\",\n"
               "  \"i18n\": { \"de\": { \"status\": \"complete\", \"name\": \"Praxis am Markt\" },\n"
               "            \"en\": { \"status\": \"machine\", \"name\": \"Market practice\" },\n"
               "            \"ar\": { \"status\": \"machine\", \"name\": \"عيادة السوق\" } },\n"
               "  \"locations\": [ { \"id\": \"praxis/main\", \"street\": \"Markt 1\", \"postcode\": \"29601\", \"city\": \"Heidemoor\",\n"
               "    \"i18n\": { \"ar\": { \"status\": \"machine\", \"city\": \"هايدمور\" } } },\n"
               "    { \"id\": \"praxis/zweit\", \"street\": \"Weg 2\", \"postcode\": \"29610\", \"city\": \"Lindenfeld\",\n"
               "    \"i18n\": { \"ar\": { \"status\": \"machine\", \"city\": \"ليندنفيلد\" } } } ] }\n");
    write_file(DIR "/v5/offers/neu.json",
               "{ \"id\": \"neu\", \"organization\": \"praxis\", \"categories\": [\"housing\"], \"locations\": [\"praxis/zweit\"],\n"
               "  \"languages\": [\"tr\", \"de\"],\n"
               "  \"schedules\": [ { \"location\": \"praxis/zweit\", \"freq\": \"WEEKLY\", \"byday\": \"WE\", \"opens_at\": \"10:00\",\n"
               "                   \"closes_at\": \"12:00\", \"slot_minutes\": 30, \"capacity\": 2 } ],\n"
               "  \"i18n\": { \"de\": { \"status\": \"complete\", \"name\": \"Wohnungssuche\", \"summary\": \"Neu\" } } }\n");
    check_sh("sed -i 's/\"languages\": \\[\"de\", \"ar\"\\]/\"languages\": [\"ar\", \"fa\", \"de\"]/; "
             "s/\"closes_at\": \"12:30\"/\"closes_at\": \"12:30\", \"slot_minutes\": 15, \"capacity\": 1/' " DIR "/v5/offers/zahnarzt.json && "
             "sed -i 's|\"locations\": \\[\"praxis/main\"\\]|\"locations\": [\"praxis/zweit\", \"praxis/main\"]|' " DIR "/v5/offers/aerzte.json");
    CHECK(pack_build(DIR "/v4", DIR "/v4.db", err, sizeof err) == 0, "build v4: %s", err);
    CHECK(pack_build(DIR "/v5", DIR "/v5.db", err, sizeof err) == 0, "build v5: %s", err);
    CHECK(pack_sign(DIR "/v4.db", "content/keys/demo.secret", 30, DIR "/v4.kpack", err, sizeof err) == 0, "sign v4: %s", err);
    CHECK(pack_sign_delta(DIR "/v4.db", DIR "/v5.db", "content/keys/demo.secret", 30, DIR "/d45.kpack", err, sizeof err) == 0,
          "diff: %s", err);
}

static int install(const char *pack, const char *content, int64_t have, char *err, size_t errlen)
{
    pack_policy pol = {.installed_version = have, .now = (int64_t)time(NULL)};
    pack_manifest m;
    return pack_install(pack, content, &trust, &pol, &m, err, errlen);
}

TEST(delta_keeps_list_rows)
{
    char err[1024];
    make_versions();
    char *v4 = lists_of(DIR "/v4.db"), *v5 = lists_of(DIR "/v5.db");
    CHECK(v4 && v5 && strcmp(v4, v5) != 0, "the two versions' lists differ");
    CHECK(v5 && strstr(v5, "de housing: 1\n  neu | Wohnungssuche (de 0 0) | Neu (de 0) | Praxis am Markt (de 0 0) | Lindenfeld | tr,de | 1\n"),
          "v5: the new offer in housing, alone, bookable, at its place, with its languages:\n%s", v5 ? v5 : "");
    CHECK(v5 && strstr(v5, "de health: 2\n") && !strstr(v5, "beratung"), "v5: the removed offer is gone from both categories");
    CHECK(v5 && strstr(v5, "Zahnarzt (de 0 0) | Zähne (de 0) | Praxis am Markt (de 0 0) | Heidemoor | ar,fa,de | 1"),
          "v5: the changed offer's languages and bookable hours");
    CHECK(v5 && strstr(v5, "ليندنفيلد") && strstr(v5, "Market practice (en 1 1)"),
          "v5: the first place's town in Arabic; the provider's new English name for a Persian reader");
    /* in place: the installed content is in WAL mode */
    unlink(DIR "/live.db");
    CHECK(install(DIR "/v4.kpack", DIR "/live.db", 0, err, sizeof err) == PACK_OK, "v4 installed: %s", err);
    CHECK(install(DIR "/d45.kpack", DIR "/live.db", 4, err, sizeof err) == PACK_OK, "delta 4 -> 5 in place: %s", err);
    char *live = lists_of(DIR "/live.db");
    CHECK(live && v5 && !strcmp(live, v5), "after the delta the lists are the full v5's:\n%s\n-- v5:\n%s", live ? live : "",
          v5 ? v5 : "");
    CHECK(differing_rows(DIR "/live.db", DIR "/v5.db", "service_row") == 0 &&
              differing_rows(DIR "/live.db", DIR "/v5.db", "taxonomy_count") == 0,
          "the derived tables equal the full v5's");
    free(live);
    /* on a copy: content not in WAL mode */
    check_sh("rm -f " DIR "/copy.db* && cp " DIR "/v4.db " DIR "/copy.db");
    CHECK(install(DIR "/d45.kpack", DIR "/copy.db", 4, err, sizeof err) == PACK_OK, "delta 4 -> 5 on a copy: %s", err);
    live = lists_of(DIR "/copy.db");
    CHECK(live && v5 && !strcmp(live, v5), "after the delta on a copy the lists are the full v5's");
    CHECK(differing_rows(DIR "/copy.db", DIR "/v5.db", "service_row") == 0 &&
              differing_rows(DIR "/copy.db", DIR "/v5.db", "taxonomy_count") == 0,
          "the derived tables of the copy equal the full v5's");
    free(live);
    free(v4);
    free(v5);
}

/* Content installed from a pack of schema version 1 (no service_row, taxonomy_count, and
 * service.bookable unused) still shows the same lists; a delta of the new schema is refused and
 * leaves it as it was. */
TEST(schema_1_content)
{
    char err[1024];
    unlink(DIR "/old.db");
    CHECK(install(DIR "/v4.kpack", DIR "/old.db", 0, err, sizeof err) == PACK_OK, "v4 installed: %s", err);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(DIR "/old.db", &db) == SQLITE_OK &&
              sqlite3_exec(db,
                           "DROP TABLE service_row; DROP TABLE taxonomy_count; DROP INDEX service_taxonomy_term;"
                           "CREATE INDEX service_taxonomy_term ON service_taxonomy(term_id);"
                           "ALTER TABLE service ADD COLUMN bookable INTEGER NOT NULL DEFAULT 0;"
                           "UPDATE meta SET value='1' WHERE key='schema_version'",
                           NULL, NULL, NULL) == SQLITE_OK,
          "content made as schema version 1 had it: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    char *v4 = lists_of(DIR "/v4.db"), *old = lists_of(DIR "/old.db");
    CHECK(v4 && old && !strcmp(v4, old), "the same lists from the old schema:\n%s", old ? old : "");
    free(old);
    /* a full pack of that schema is refused, naming the first difference */
    check_sh("rm -f " DIR "/old-full.* && sqlite3 " DIR "/old.db .dump | sqlite3 " DIR "/old-full.db");
    CHECK(pack_sign(DIR "/old-full.db", "content/keys/demo.secret", 30, DIR "/old-full.kpack", err, sizeof err) == 0,
          "sign: %s", err);
    unlink(DIR "/fresh.db");
    int rc = install(DIR "/old-full.kpack", DIR "/fresh.db", 0, err, sizeof err);
    CHECK(rc == PACK_ERR_SCHEMA && strstr(err, "unexpected index service_taxonomy_term"), "an old full pack is refused (%d: %s)",
          rc, err);
    rc = install(DIR "/d45.kpack", DIR "/old.db", 4, err, sizeof err);
    CHECK(rc == PACK_ERR_SCHEMA, "a delta of the new schema is refused (%d: %s)", rc, err);
    old = lists_of(DIR "/old.db");
    CHECK(v4 && old && !strcmp(v4, old), "and the old content shows as before");
    free(old);
    free(v4);
}

/* Publishing the new version beside an older one of schema version 1 lists the full pack and no
 * delta between them (it could not be made, nor applied); between two of one schema, one. */
TEST(publish_across_schemas)
{
    char err[1024];
    const char *across[] = {DIR "/v5.db", DIR "/old-full.db"}, *same[] = {DIR "/v5.db", DIR "/v4.db"};
    check_sh("rm -rf " DIR "/www " DIR "/www2");
    CHECK(pack_publish(DIR "/www", "content/keys/demo.secret", 30, across, 2, err, sizeof err) == 0,
          "published beside the old schema: %s", err);
    CHECK(access(DIR "/www/packs/mini-5.kpack", F_OK) == 0 && access(DIR "/www/packs/mini-4-5.kpack", F_OK) != 0,
          "the full pack, no delta from the old schema");
    CHECK(pack_publish(DIR "/www2", "content/keys/demo.secret", 30, same, 2, err, sizeof err) == 0 &&
              access(DIR "/www2/packs/mini-4-5.kpack", F_OK) == 0,
          "a delta between two of one schema: %s", err);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    if (pack_trust_add_file(&trust, "content/keys/demo.pub", err, sizeof err) != 0) {
        printf("FAIL trust: %s\n", err);
        return 1;
    }
    RUN(delta_keeps_list_rows);
    RUN(schema_1_content);
    RUN(publish_across_schemas);
    CHECK_DONE();
}
