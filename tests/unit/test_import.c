/*
 * Imports and exports (kiosk/import): the HSDS 3.0 export validates against the HSDS schemas in
 * ../shared/hsds3 (python3-jsonschema); export -> import -> build gives the same offers, from
 * the JSON and from the tabular form; spreadsheet CSVs in their common dialects; and every kind
 * of bad input is refused with file, record and field, leaving no partial tree.
 * Usage: test_import BUILD_DIR
 */
#include "check.h"
#include "import/import.h"
#include "import/import_priv.h"
#include "pack/pack.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char build[256], dir[512], demo_db[600];
#define SCHEMAS "../shared/hsds3/schema"

static int exists(const char *fmt, const char *arg)
{
    char p[1200];
    snprintf(p, sizeof p, fmt, arg);
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Rows of table in a that b lacks, plus the reverse. */
static int differing_rows(const char *a, const char *b, const char *table)
{
    sqlite3 *db;
    if (sqlite3_open(a, &db) != SQLITE_OK) return -1;
    char sql[1400];
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS other; SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM other.%s))"
             " + (SELECT count(*) FROM (SELECT * FROM other.%s EXCEPT SELECT * FROM main.%s))",
             b, table, table, table, table);
    int n = -1;
    char *s = strchr(sql, ';');
    *s = 0;
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, s + 1, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static const char *const offer_tables[] = {
    "service", "service_i18n", "service_taxonomy", "service_at_location", "schedule", "phone", "language_spoken",
    "closure", "organization", "organization_i18n", "location", "location_i18n", "taxonomy_term",
    "taxonomy_term_i18n", "language"};

static int same_offers(const char *a, const char *b)
{
    int bad = 0;
    for (size_t i = 0; i < sizeof offer_tables / sizeof offer_tables[0]; i++) {
        int n = differing_rows(a, b, offer_tables[i]);
        if (n != 0) {
            printf("  %s: %d rows differ\n", offer_tables[i], n);
            bad++;
        }
    }
    return bad == 0;
}

TEST(export_validates)
{
    char out[700], err[1200];
    snprintf(out, sizeof out, "%s/hsds", dir);
    int rc = imp_export_hsds(demo_db, out, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    CHECK(check_sh("python3 tests/hsds_validate.py " SCHEMAS " %s >%s/validate.log 2>&1", out, dir) == 0,
          "see %s/validate.log", dir);
    CHECK(exists("%s/tabular/datapackage.json", out) && exists("%s/tabular/x_kiosk_translations.csv", out) &&
              exists("%s/json/x_kiosk_pack.json", out) && exists("%s/pictograms/housing.svg", out),
          "both forms and the icons");
    /* the validator can fail: a record with a non-UUID id and one without its required name */
    CHECK(check_sh("rm -rf %s/bad && cp -r %s %s/bad && sed -i '0,/\"id\": \"[0-9a-f-]*\"/s//\"id\": \"x1\"/' "
                   "%s/bad/json/services.json && sed -i '2s/^[^,]*,/,/' %s/bad/tabular/organizations.csv && "
                   "! python3 tests/hsds_validate.py " SCHEMAS " %s/bad >%s/bad.log 2>&1 && grep -q \"'x1' is not a 'uuid'\" "
                   "%s/bad.log",
                   dir, out, dir, dir, dir, dir, dir, dir) == 0,
          "a broken export is caught");
    json_error_t je;
    char p[800];
    snprintf(p, sizeof p, "%s/json/services.json", out);
    json_t *svcs = json_load_file(p, 0, &je);
    json_t *first = json_array_get(svcs, 0), *sched = json_array_get(json_object_get(first, "schedules"), 0);
    CHECK(json_is_number(json_object_get(sched, "timezone")) && json_number_value(json_object_get(sched, "timezone")) == 1.0,
          "numeric timezone is Berlin's standard offset");
    CHECK(!strcmp(json_string_value(json_object_get(sched, "x_kiosk_timezone")), "Europe/Berlin"), "IANA zone beside it");
    json_t *ar = json_object_get(json_object_get(first, "x_kiosk_i18n"), "ar");
    CHECK(json_is_string(json_object_get(ar, "name")) && !strcmp(json_string_value(json_object_get(ar, "status")), "machine"),
          "Arabic translation with its status in the extension");
    CHECK(json_is_string(json_object_get(first, "x_kiosk_id")), "our id kept");
    json_decref(svcs);
}

TEST(round_trip)
{
    char hsds[700], src[700], db[700], err[1200];
    snprintf(hsds, sizeof hsds, "%s/hsds", dir);
    for (int form = 0; form < 2; form++) {
        const char *from = form ? "tabular" : "json";
        char in[800];
        snprintf(in, sizeof in, "%s/%s", hsds, from);
        snprintf(src, sizeof src, "%s/src-%s", dir, from);
        snprintf(db, sizeof db, "%s/round-%s.db", dir, from);
        int rc = imp_import_hsds(in, src, NULL, err, sizeof err);
        CHECK(rc == IMP_OK, "%s: %s", from, err);
        rc = pack_build(src, db, err, sizeof err);
        CHECK(rc == 0, "%s: build: %s", from, err);
        CHECK(same_offers(demo_db, db), "%s: the same offers as the demo", from);
    }
    /* the validator finds the table differences the comparison relies on */
    CHECK(check_sh("sqlite3 %s \"UPDATE schedule SET opens_at='07:00' WHERE rowid=1\"", db) == 0 &&
              differing_rows(demo_db, db, "schedule") == 2,
          "a changed opening time is noticed");
}

/* Import from a copy of the JSON export changed by a shell command; returns the imp_err. */
static int import_changed(const char *form, const char *cmd, char *err, size_t errlen)
{
    err[0] = 0;
    check_sh("rm -rf %s/mut && cp -r %s/hsds %s/mut", dir, dir, dir);
    char c[2048];
    snprintf(c, sizeof c, "cd %s/mut/%s && %s", dir, form, cmd);
    if (system(c) != 0) printf("command failed: %s\n", c);
    char in[800], out[800];
    snprintf(in, sizeof in, "%s/mut/%s", dir, form);
    snprintf(out, sizeof out, "%s/out", dir);
    return imp_import_hsds(in, out, NULL, err, errlen);
}

TEST(bad_hsds)
{
    char err[1200], out[800];
    snprintf(out, sizeof out, "%s/out", dir);
    check_sh("rm -rf %s && mkdir -p %s && touch %s/keep", out, out, out);

    int rc = import_changed("json", "head -c 5000 services.json > t && mv t services.json", err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "services.json:"), "truncated JSON: %d %s", rc, err);
    CHECK(exists("%s/keep", out) && !exists("%s.partial", out), "the old tree stays, nothing partial");

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); d.append(d[0]); "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, "service ") && strstr(err, "field id"), "duplicate id: %d %s", rc, err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "d[3]['x_kiosk_i18n']['xx']={'status':'machine','name':'?'}; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE && strstr(err, "x_kiosk_i18n") && strstr(err, "\"xx\""), "unknown language: %s", err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "d[1]['x_kiosk_i18n']['de']['description']='x'*70000; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_TOO_BIG && strstr(err, "field description"), "absurd field: %s", err);

    rc = import_changed("json", "truncate -s 80M organizations.json", err, sizeof err);
    CHECK(rc == IMP_ERR_TOO_BIG && strstr(err, "organizations.json"), "absurd file: %s", err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "d[2]['schedules'][0]['freq']='DAILY'; json.dump(d, open('services.json','w'))\"",
                        err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "field freq") && strstr(err, "schedule "), "unmappable freq: %s", err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "s=d[2]['schedules'][0]; s['timezone']=-5; del s['x_kiosk_timezone']; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "field timezone"), "offset without a zone: %s", err);

    rc = import_changed("tabular", "sed -i '3s/^[^,]*,/'\"$(sed -n '2s/,.*//p' services.csv)\"',/' services.csv", err,
                        sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, "services.csv:3"), "duplicate row: %s", err);

    rc = import_changed("tabular", "sed -i '0,/,ar,machine,/s//,zz,machine,/' x_kiosk_translations.csv", err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE, "unknown language in the translations table: %s", err);
    CHECK(exists("%s/keep", out) && !exists("%s.partial", out), "still the old tree after every refusal");
}

/* A CSV file with the given bytes, read back. */
static int csv_of(const char *bytes, size_t len, imp_csv *c, char *err, size_t errlen)
{
    char p[700];
    snprintf(p, sizeof p, "%s/sheet.csv", dir);
    FILE *f = fopen(p, "wb");
    fwrite(bytes, 1, len, f);
    fclose(f);
    return imp_csv_read(p, c, err, errlen);
}

TEST(csv_dialects)
{
    imp_csv c;
    char err[1200];
    static const char semi[] = "\xEF\xBB\xBFName;Stra\xC3\x9F" "e;Notiz\r\nCaritas;Kirchplatz 3;\"zwei\r\nZeilen; mit \"\"Quote\"\"\"\r\n";
    int rc = csv_of(semi, sizeof semi - 1, &c, err, sizeof err);
    CHECK(rc == IMP_OK && c.sep == ';' && c.cols == 3 && c.rows == 2, "semicolon, BOM: %s", err);
    if (rc == IMP_OK) {
        CHECK(!strcmp(imp_csv_cell(&c, 0, 0), "Name") && !strcmp(imp_csv_cell(&c, 0, 1), "Straße"), "BOM dropped");
        CHECK(!strcmp(imp_csv_cell(&c, 1, 2), "zwei\r\nZeilen; mit \"Quote\""), "quoted line break: [%s]",
              imp_csv_cell(&c, 1, 2));
        imp_csv_free(&c);
    }
    static const char comma[] = "name,city\nAWO,M\xFCnchen\n\"Stra\xDF" "e, 3\",K\xF6ln\n";
    rc = csv_of(comma, sizeof comma - 1, &c, err, sizeof err);
    CHECK(rc == IMP_OK && c.sep == ',' && c.cp1252 && c.rows == 3, "comma, Windows-1252: %s", err);
    if (rc == IMP_OK) {
        CHECK(!strcmp(imp_csv_cell(&c, 1, 1), "München") && !strcmp(imp_csv_cell(&c, 2, 0), "Straße, 3"),
              "converted: %s", imp_csv_cell(&c, 1, 1));
        imp_csv_free(&c);
    }
    static const char wide[] = "a;b\n1;2\n3;4;5\n";
    rc = csv_of(wide, sizeof wide - 1, &c, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "sheet.csv:3:3"), "extra cell at file:row:column: %s", err);
    static const char quote[] = "a;b\n1;2\n3;\"open\n";
    rc = csv_of(quote, sizeof quote - 1, &c, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "sheet.csv:3:2"), "unclosed quote at file:row:column: %s", err);
}

int main(int argc, char **argv)
{
    snprintf(build, sizeof build, "%s", argc > 1 ? argv[1] : "build");
    snprintf(dir, sizeof dir, "%s/importtest", build);
    snprintf(demo_db, sizeof demo_db, "%s/demo.db", dir);
    check_sh("rm -rf %s && mkdir -p %s", dir, dir);
    char err[1200];
    if (pack_build("content/demo", demo_db, err, sizeof err) != 0) printf("FAIL build demo: %s\n", err);
    RUN(export_validates);
    RUN(round_trip);
    RUN(bad_hsds);
    RUN(csv_dialects);
    CHECK_DONE();
}
