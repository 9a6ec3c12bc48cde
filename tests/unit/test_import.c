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

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>
#include <unistd.h>

#include "fail_readdir.h"

static char build[256], dir[512], demo_db[600];
#define SCHEMAS "../shared/hsds3/schema"

static int exists(const char *fmt, const char *arg)
{
    char p[PATH_MAX + 100];
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
    "taxonomy_term_i18n", "language", "intake_question", "intake_question_i18n", "intake_answer", "intake_answer_i18n",
    "intake_match", "media"};

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
    CHECK(check_sh("python3 -c \"import json, sys; j=json.load(open('%s/json/x_kiosk_intake.json')); "
                   "t=json.load(open('%s/tabular/datapackage.json'))['x_kiosk_intake']; q=j['questions']; "
                   "sys.exit(not (q == t['questions'] and len(q) == 5 and q[0]['id'] == 'safe' and "
                   "q[0]['answers'][1]['urgent'] and q[0]['i18n']['ar']['text']))\"", out, out) == 0 &&
              exists("%s/pictograms/answer-yes.svg", out),
          "the guided questions in the extension of both forms, with their pictograms");
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
    snprintf(p, sizeof p, "%s/json/x_kiosk_pack.json", out);
    json_t *pack = json_load_file(p, 0, &je);
    CHECK(json_is_string(json_object_get(pack, "timezone")) &&
              !strcmp(json_string_value(json_object_get(pack, "timezone")), "Europe/Berlin"),
          "the pack's own zone in its extension");
    json_decref(pack);
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

    int rc = import_changed("json", "echo '{\"questions\": 5}' > x_kiosk_intake.json", err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "x_kiosk_intake") && strstr(err, "questions"), "intake not a list: %s", err);
    rc = import_changed("json", "head -c 5000 services.json > t && mv t services.json", err, sizeof err);
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

    /* a service or organization is one file named by its id: a '/' cannot be in it ("a/b" was written
     * as a_b.json, which the build refused and which "a_b" would overwrite) */
    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "d[0]['x_kiosk_id']='a/b'; d[1]['x_kiosk_id']='a_b'; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "field x_kiosk_id") && strstr(err, "\"a/b\""), "'/' in an id: %d %s",
          rc, err);
    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "del d[0]['x_kiosk_id']; d[0]['id']='../../../tmp/evil'; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "service ../../../tmp/evil: field id"), "a path as the id: %d %s", rc,
          err);

    rc = import_changed("json", "truncate -s 80M organizations.json", err, sizeof err);
    CHECK(rc == IMP_ERR_TOO_BIG && strstr(err, "organizations.json"), "absurd file: %s", err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "d[2]['schedules'][0]['freq']='DAILY'; json.dump(d, open('services.json','w'))\"",
                        err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "field freq") && strstr(err, "schedule "), "unmappable freq: %s", err);

    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "s=d[2]['schedules'][0]; s['timezone']=-5; del s['x_kiosk_timezone']; "
                                "json.dump(d, open('services.json','w'))\"", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "field timezone") && strstr(err, "Europe/Berlin's"),
          "offset without a zone: %s", err);

    rc = import_changed("tabular", "sed -i '3s/^[^,]*,/'\"$(sed -n '2s/,.*//p' services.csv)\"',/' services.csv", err,
                        sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, "services.csv:3"), "duplicate row: %s", err);

    rc = import_changed("tabular", "sed -i '0,/,ar,machine,/s//,zz,machine,/' x_kiosk_translations.csv", err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE, "unknown language in the translations table: %s", err);
    CHECK(exists("%s/keep", out) && !exists("%s.partial", out), "still the old tree after every refusal");
    /* in a New York district the same offset is New York's: the schedule takes the pack's zone */
    rc = import_changed("json", "python3 -c \"import json; d=json.load(open('services.json')); "
                                "s=d[2]['schedules'][0]; s['timezone']=-5; del s['x_kiosk_timezone']; "
                                "json.dump(d, open('services.json','w')); p=json.load(open('x_kiosk_pack.json')); "
                                "p['timezone']='America/New_York'; json.dump(p, open('x_kiosk_pack.json','w'))\"",
                        err, sizeof err);
    char built[800];
    snprintf(built, sizeof built, "%s/ny.db", dir);
    CHECK(rc == IMP_OK && pack_build(out, built, err, sizeof err) == 0 &&
              check_sh("test \"$(sqlite3 %s \"SELECT value FROM meta WHERE key='timezone'\")\" = America/New_York && "
                       "sqlite3 %s \"SELECT count(*) FROM schedule WHERE timezone='America/New_York'\" | grep -qx 1",
                       built, built) == 0,
          "the pack's zone's offset is taken as that zone: %s", err);
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
    /* a NUL used to cut the cell short without a word: "Beruf" instead of the whole name */
    static const char nul[] = "name;city\nBeruf\0sberatung;Celle\n";
    rc = csv_of(nul, sizeof nul - 1, &c, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "sheet.csv:2:1") && strstr(err, "NUL"), "NUL byte: %d %s", rc, err);
    if (rc == IMP_OK) imp_csv_free(&c);
    /* UTF-8 with one pasted Windows-1252 letter used to be read as Windows-1252 whole: "fÃ¼r" */
    static const char mixed[] = "name;city\nBeratung f\xC3\xBCr alle;Celle\nKurs;M\xFCnchen\n";
    rc = csv_of(mixed, sizeof mixed - 1, &c, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "sheet.csv:3") && strstr(err, "UTF-8"), "mixed encodings: %d %s", rc, err);
    if (rc == IMP_OK) {
        printf("  read as: %s\n", imp_csv_cell(&c, 1, 0));
        imp_csv_free(&c);
    }
}

/* ---------- spreadsheets ---------- */

TEST(sheet_sample)
{
    char out[700], db[700], err[1200];
    snprintf(out, sizeof out, "%s/sheet-src", dir);
    snprintf(db, sizeof db, "%s/sheet.db", dir);
    int rc = imp_import_sheet("content/sheet-sample.csv", "content/demo", out, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    rc = pack_build(out, db, err, sizeof err);
    CHECK(rc == 0, "build: %s", err);
    CHECK(check_sh("test \"$(sqlite3 %s \"SELECT count(*) FROM service\")\" = 2", db) == 0, "two offers");
    CHECK(check_sh("test \"$(sqlite3 %s \"SELECT byday || ' ' || opens_at || '-' || closes_at FROM schedule WHERE "
                   "service_id='lindenfeld-hausaufgaben'\")\" = 'MO,TU,WE,TH 14:00-16:00'", db) == 0,
          "German day range Mo-Do");
    CHECK(check_sh("test \"$(sqlite3 %s \"SELECT byday FROM schedule WHERE service_id='begegnungscafe-am-markt'\")\" = "
                   "'TU,TH'", db) == 0, "Di, Do; id from the name");
    CHECK(check_sh("sqlite3 %s \"SELECT description FROM service_i18n WHERE lang='de' AND "
                   "service_id='begegnungscafe-am-markt'\" | grep -q '^Sie können einfach'", db) == 0,
          "a quoted cell with a line break");
    CHECK(check_sh("test \"$(sqlite3 %s \"SELECT status || ':' || name FROM service_i18n WHERE lang='ar' AND "
                   "service_id='lindenfeld-hausaufgaben'\")\" = 'machine:المساعدة في الواجبات المدرسية'", db) == 0,
          "translation columns, marked machine");
    /* the same sheet as Windows-1252 with commas, as older Excel saves it */
    char cp[700];
    snprintf(cp, sizeof cp, "%s/sheet-1252.csv", dir);
    CHECK(check_sh("python3 -c \"import csv,sys; r=list(csv.reader(open('content/sheet-sample.csv',encoding='utf-8-sig'),"
                   "delimiter=';')); w=csv.writer(open('%s','w',encoding='cp1252',errors='strict',newline=''));"
                   "[w.writerow([c for i,c in enumerate(row) if not r[0][i].endswith((':ar',':uk'))]) for row in r]\"",
                   cp) == 0, "converted");
    snprintf(out, sizeof out, "%s/sheet-src-1252", dir);
    rc = imp_import_sheet(cp, "content/demo", out, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "Windows-1252, commas: %s", err);
    CHECK(check_sh("grep -q 'Begegnungscafé am Markt' %s/offers/begegnungscafe-am-markt.json", out) == 0,
          "é converted to UTF-8");
}

static int sheet_with(const char *body, char *err, size_t errlen)
{
    char p[700], out[700];
    snprintf(p, sizeof p, "%s/bad-sheet.csv", dir);
    FILE *f = fopen(p, "wb");
    fputs(body, f);
    fclose(f);
    snprintf(out, sizeof out, "%s/bad-sheet-out", dir);
    err[0] = 0;
    return imp_import_sheet(p, "content/demo", out, NULL, err, errlen);
}

/* Ids made from long names fit the build's 64 characters, cut after a word; they used to be
 * written whole and the build refused them. */
TEST(sheet_long_names)
{
    char err[1200], out[700], db[700];
    snprintf(out, sizeof out, "%s/bad-sheet-out", dir);
    snprintf(db, sizeof db, "%s/long-names.db", dir);
    int rc = sheet_with("organization;category;name\nBeratungsstelle f\xC3\xBCr Migrantinnen und Migranten des "
                        "Caritasverbandes Heidemoor e.V.;work;Berufsberatung und Arbeitsvermittlung f\xC3\xBCr "
                        "Jugendliche und junge Erwachsene unter 25\n", err, sizeof err);
    CHECK(rc == IMP_OK, "imported: %s", err);
    CHECK(exists("%s/organizations/beratungsstelle-fuer-migrantinnen-und-migranten-des.json", out) &&
              exists("%s/offers/berufsberatung-und-arbeitsvermittlung-fuer-jugendliche-und-junge.json", out),
          "ids cut after a word");
    CHECK(rc == IMP_OK && pack_build(out, db, err, sizeof err) == 0, "and they build: %s", err);
    imp_rmtree(out);
}

TEST(sheet_errors)
{
    char err[1200];
    int rc = sheet_with("organization;category;name;hours\nAWO;work;Kurs;Mo 9-12\n", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "bad-sheet.csv:2:4"), "bad hours at row:column: %s", err);
    rc = sheet_with("organization;category;name\nAWO;gardening;Kurs\n", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "bad-sheet.csv:2:2") && strstr(err, "gardening"), "category: %s", err);
    rc = sheet_with("organization;category;name;name:xx\nAWO;work;Kurs;?\n", err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE && strstr(err, "bad-sheet.csv:1:4"), "unknown language column: %s", err);
    rc = sheet_with("organization;category;name;colour\nAWO;work;Kurs;red\n", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, ":1:4") && strstr(err, "colour"), "unknown column: %s", err);
    rc = sheet_with("organization;category;name\nAWO;work;Kurs\nAWO;work;Kurs\n", err, sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, ":3:3") && strstr(err, "row 2"), "duplicate offer: %s", err);
    rc = sheet_with("organization;name\nAWO;Kurs\n", err, sizeof err);
    CHECK(rc == IMP_ERR_MISSING && strstr(err, "category"), "missing column: %s", err);
    CHECK(!exists("%s/bad-sheet-out", dir) && !exists("%s/bad-sheet-out.partial", dir), "no tree at all");
}

/* ---------- Integreat ---------- */

static char ig_base[700];

/* The base sources: the demo's pack settings and categories, and a mapping file. */
static void ig_setup(void)
{
    snprintf(ig_base, sizeof ig_base, "%s/ig-base", dir);
    check_sh("rm -rf %s && mkdir -p %s && cp content/demo/pack.json content/demo/categories.json %s/ && "
             "ln -s \"$PWD/content/pictograms\" %s/pictograms && "
             "printf '{\"locations\": {\"5\": \"counselling\", \"Sprache\": [\"language\", \"volunteering\"]}, "
             "\"events\": \"events\", \"pages\": {\"Ankommen in Heidemoor\": \"counselling\", \"3\": \"housing\"}}\\n' "
             "> %s/integreat-categories.json && "
             "python3 tests/integreat_answers.py %s/ig-saved",
             ig_base, ig_base, ig_base, ig_base, ig_base, dir);
}

static int q_is(const char *db, const char *sql, const char *want)
{
    return check_sh("test \"$(sqlite3 %s \"%s\")\" = '%s'", db, sql, want) == 0;
}

TEST(integreat_folder)
{
    char src[700], out[700], db[700], err[1200], rep[700];
    snprintf(src, sizeof src, "%s/ig-saved", dir);
    snprintf(out, sizeof out, "%s/ig-src", dir);
    snprintf(db, sizeof db, "%s/ig.db", dir);
    snprintf(rep, sizeof rep, "%s/ig-report.txt", dir);
    FILE *report = fopen(rep, "w");
    int rc = imp_import_integreat(src, "heidemoor", out, ig_base, NULL, report, err, sizeof err);
    fclose(report);
    CHECK(rc == IMP_OK, "%s", err);
    rc = pack_build(out, db, err, sizeof err);
    CHECK(rc == 0, "build: %s", err);
    CHECK(q_is(db, "SELECT group_concat(id) FROM (SELECT id FROM service ORDER BY id)",
               "begegnungsabend,elterncafe,erste-schritte,infoabend-schule,migrationsberatung,page-sprachcafe,"
               "sprachcafe,wohnberechtigungsschein"),
          "POIs, events and pages; the unmapped ones and chapters left out");
    CHECK(q_is(db, "SELECT group_concat(service_id || ':' || term_id) FROM (SELECT * FROM service_taxonomy WHERE "
                   "service_id IN ('erste-schritte','wohnberechtigungsschein','page-sprachcafe') ORDER BY service_id)",
               "erste-schritte:counselling,page-sprachcafe:counselling,wohnberechtigungsschein:housing"),
          "a page takes the mapping of its nearest mapped ancestor");
    CHECK(q_is(db, "SELECT group_concat(lang || ':' || status) FROM (SELECT * FROM service_i18n WHERE "
                   "service_id='wohnberechtigungsschein' ORDER BY lang)", "ar:machine,de:complete"),
          "a page's Arabic translation through available_languages, no English one");
    CHECK(q_is(db, "SELECT group_concat(lang) FROM (SELECT * FROM service_i18n WHERE service_id='erste-schritte' "
                   "ORDER BY lang)", "ar,de,en"), "a page in three languages");
    CHECK(check_sh("sqlite3 %s \"SELECT name || '|' || summary || '|' || description FROM service_i18n WHERE "
                   "service_id='wohnberechtigungsschein' AND lang='ar'\" > %s/ig-page-ar.txt && "
                   "grep -q '^شهادة استحقاق السكن (WBS)|بشهادة استحقاق السكن' %s/ig-page-ar.txt && "
                   "grep -q '^• الطلب لدى مكتب المواطنين (Bürgeramt)$' %s/ig-page-ar.txt && "
                   "grep -q '^+49 5191 12-300$' %s/ig-page-ar.txt && grep -q '|ما هذا؟$' %s/ig-page-ar.txt",
                   db, dir, dir, dir, dir, dir) == 0,
          "the Arabic page's HTML as text: heading, list item, LTR phone line");
    CHECK(q_is(db, "SELECT organization_id FROM service WHERE id='wohnberechtigungsschein'", "integreat-heidemoor"),
          "a page without an organization belongs to the region");
    CHECK(check_sh("grep -q 'pages under page 5 \"Freizeit\": not in integreat-categories.json, 2 ' %s", rep) == 0 &&
              check_sh("grep -q '2 pages without text of their own' %s", rep) == 0,
          "an unmapped tree of pages and the chapters reported");
    CHECK(check_sh("grep -q 'category 9 \"Sonstiges\": not in integreat-categories.json, 1 ' %s", rep) == 0 &&
              check_sh("grep -q 'language am (' %s && grep -q 'language de-si (' %s", rep, rep) == 0,
          "unmapped category and languages without a kiosk language reported");
    CHECK(q_is(db, "SELECT group_concat(byday || ' ' || opens_at || '-' || closes_at, '; ') FROM (SELECT * FROM "
                   "schedule WHERE service_id='migrationsberatung' ORDER BY sort_order)",
               "MO,TU 09:00-12:00; TH 09:00-12:00; TH 14:00-18:00"),
          "opening hours, Monday first, closed and by-appointment days left out");
    CHECK(q_is(db, "SELECT group_concat(lang || ':' || status) FROM (SELECT * FROM service_i18n WHERE "
                   "service_id='migrationsberatung' ORDER BY lang)", "ar:machine,de:complete,en:machine"),
          "translations linked through available_languages");
    CHECK(q_is(db, "SELECT group_concat(lang) FROM (SELECT * FROM service_i18n WHERE service_id='sprachcafe' "
                   "ORDER BY lang)", "de,en"), "a missing Arabic translation stays missing");
    CHECK(check_sh("sqlite3 %s \"SELECT description FROM service_i18n WHERE service_id='migrationsberatung' AND "
                   "lang='de'\" > %s/ig-desc.txt && grep -q '^• Termine nach Absprache$' %s/ig-desc.txt && "
                   "grep -q 'Webseite (https://caritas-heidemoor.example/mbe)' %s/ig-desc.txt && "
                   "grep -q '^Telefon: +49 5191 70-100$' %s/ig-desc.txt && ! grep -q 'alert\\|color' %s/ig-desc.txt",
                   db, dir, dir, dir, dir, dir) == 0,
          "HTML as text: list, link target, contact line; script and style dropped");
    CHECK(q_is(db, "SELECT freq || ' ' || byday || ' ' || opens_at || '-' || closes_at || ' ' || valid_from || ' ' || "
                   "valid_to FROM schedule WHERE service_id='begegnungsabend'",
               "WEEKLY WE 18:00-20:00 2027-01-06 2027-12-31"), "weekly event with UNTIL");
    CHECK(q_is(db, "SELECT freq || ' ' || byday || ' ' || valid_to FROM schedule WHERE service_id='elterncafe'",
               "MONTHLY 1TU 2027-07-06"), "monthly event, COUNT=6 ends on the sixth first Tuesday");
    CHECK(q_is(db, "SELECT byday || ' ' || valid_from || ' ' || valid_to FROM schedule WHERE "
                   "service_id='infoabend-schule'", "WE 2027-03-10 2027-03-10"), "one-off event on its weekday");
    CHECK(q_is(db, "SELECT group_concat(term_id) FROM (SELECT * FROM service_taxonomy WHERE service_id='sprachcafe' "
                   "ORDER BY term_id)", "language,volunteering"), "mapped by German name onto two categories");
    CHECK(q_is(db, "SELECT name FROM service_i18n WHERE service_id='begegnungsabend' AND lang='ar'", "أمسية تعارف"),
          "RTL translation of an event");
    CHECK(q_is(db, "SELECT count(*) FROM language WHERE code IN ('en','ar')", "2"), "languages in the pack");
}

/* Import from a copy of the saved answers changed by a shell command. */
static int ig_changed(const char *cmd, char *err, size_t errlen)
{
    char src[700], out[700];
    snprintf(src, sizeof src, "%s/ig-mut", dir);
    snprintf(out, sizeof out, "%s/ig-src", dir);
    check_sh("rm -rf %s && cp -r %s/ig-saved %s && cd %s/heidemoor && %s", src, dir, src, src, cmd);
    err[0] = 0;
    return imp_import_integreat(src, "heidemoor", out, ig_base, NULL, NULL, err, errlen);
}

#define PY_EDIT(file, stmt) \
    "python3 -c \"import json; d=json.load(open('" file "')); " stmt "; json.dump(d, open('" file "','w'))\""

TEST(integreat_bad)
{
    char err[1200];
    int rc = ig_changed(PY_EDIT("de/events.json", "d[0]['recurrence_rule']='FREQ=SOMETIMES;BYDAY=XX'"), err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "events.json: record 501") && strstr(err, "recurrence_rule"),
          "invalid RRULE: %s", err);
    rc = ig_changed(PY_EDIT("de/events.json", "d[0]['recurrence_rule']='FREQ=YEARLY'"), err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "only DAILY, WEEKLY and MONTHLY") && strstr(err, "record 501"), "yearly: %s", err);
    rc = ig_changed("head -c 3000 de/locations.json > t && mv t de/locations.json", err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "de/locations.json:"), "truncated JSON: %s", err);
    rc = ig_changed(PY_EDIT("en/locations.json", "d.append(dict(d[0]))"), err, sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, "en/locations.json: record 201: field id"), "duplicate id: %s", err);
    rc = ig_changed(PY_EDIT("ar/locations.json", "d[0]['content']='<p>' + 'x'*70000 + '</p>'"), err, sizeof err);
    CHECK(rc == IMP_ERR_TOO_BIG && strstr(err, "record 301: field content"), "absurd field: %s", err);
    rc = ig_changed(PY_EDIT("de/pages.json", "d[0]['parent']={'id': 4}"), err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "pages.json: record") && strstr(err, "field parent"),
          "pages whose parents form a loop: %s", err);
    rc = ig_changed(PY_EDIT("ar/pages.json", "d.append(dict(d[0]))"), err, sizeof err);
    CHECK(rc == IMP_ERR_DUPLICATE && strstr(err, "ar/pages.json: record 22: field id"), "duplicate page: %s", err);
    rc = ig_changed("truncate -s 90M de/pages.json", err, sizeof err);
    CHECK(rc == IMP_ERR_TOO_BIG, "absurd file: %s", err);
    rc = ig_changed(PY_EDIT("de/locations.json", "d[0]['opening_hours'][0]['timeSlots'][0]['end']='25:99'"), err,
                    sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "opening_hours[0].timeSlots[0]"), "bad opening hours: %s", err);
    CHECK(exists("%s/ig-src/offers/migrationsberatung.json", dir) && !exists("%s/ig-src.partial", dir),
          "the previous import stays, nothing partial");
    char map[800];
    snprintf(map, sizeof map, "%s/integreat-categories.json", ig_base);
    check_sh("cp %s %s.good && sed -i 's/\"3\": \"housing\"/\"3\": null/' %s", map, map, map);
    rc = ig_changed("true", err, sizeof err);
    CHECK(rc == IMP_OK && !exists("%s/ig-src/offers/wohnberechtigungsschein.json", dir) &&
              exists("%s/ig-src/offers/erste-schritte.json", dir),
          "a chapter mapped to null leaves its pages out, its siblings stay: %s", err);
    check_sh("cp %s.good %s && sed -i 's/counselling/advice/' %s", map, map, map);
    rc = ig_changed("true", err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "\"advice\""), "a mapping onto no category of ours: %s", err);
    check_sh("mv %s.good %s", map, map);
    CHECK(ig_changed("true", err, sizeof err) == IMP_OK, "the good import again, for the tests after: %s", err);
}

/* nginx on 127.0.0.1:port serving root, with prefix as its working folder; over TLS when cert
 * and key are given. Returns check_sh's status. */
static int start_nginx(const char *prefix, const char *root, int port, const char *cert, const char *key,
                       const char *extra)
{
    char conf[800], tls[1600] = "";
    snprintf(conf, sizeof conf, "%s/nginx.conf", prefix);
    if (cert) snprintf(tls, sizeof tls, "  ssl_certificate %s;\n  ssl_certificate_key %s;\n", cert, key);
    FILE *f = fopen(conf, "w");
    if (!f) return -1;
    fprintf(f,
            "user root;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/nginx-error.log;\n"
            "events { worker_connections 16; }\n"
            "http {\n access_log off;\n client_body_temp_path %s/tmp-body;\n proxy_temp_path %s/tmp-proxy;\n"
            " fastcgi_temp_path %s/tmp-fcgi;\n uwsgi_temp_path %s/tmp-uwsgi;\n scgi_temp_path %s/tmp-scgi;\n"
            " default_type application/json;\n"
            " server {\n  listen 127.0.0.1:%d%s;\n%s  root %s;\n  index index.json;\n%s }\n}\n",
            prefix, prefix, prefix, prefix, prefix, prefix, prefix, port, cert ? " ssl" : "", tls, root,
            extra ? extra : "");
    fclose(f);
    return check_sh("nginx -c %s -p %s 2>/dev/null", conf, prefix);
}

/* The import from url, retried while nginx may still be starting to listen. */
static int import_url(const char *url, const char *out, const char *ca, char *err, size_t errlen)
{
    int rc = IMP_ERR_IO;
    for (int i = 0; i < 20 && rc == IMP_ERR_IO; i++) {
        rc = imp_import_integreat(url, "heidemoor", out, ig_base, ca, NULL, err, errlen);
        if (rc == IMP_ERR_IO && strstr(err, "onnect")) usleep(100000);
        else break;
    }
    return rc;
}

/* The same answers served by nginx on loopback as the API's URLs: the same sources come out. */
TEST(integreat_url)
{
    char root[700], err[1200], out[700], adir[600];
    int port = 18900 + (int)(getpid() % 200);
    if (!realpath(dir, adir)) snprintf(adir, sizeof adir, "%s", dir);
    snprintf(root, sizeof root, "%s/ig-www", adir);
    check_sh("rm -rf %s && python3 tests/integreat_answers.py %s api", root, root);
    CHECK(start_nginx(adir, root, port, NULL, NULL, NULL) == 0, "nginx on 127.0.0.1:%d", port);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    snprintf(out, sizeof out, "%s/ig-src-url", dir);
    int rc = import_url(url, out, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    CHECK(check_sh("diff -r %s/ig-src %s >/dev/null", dir, out) == 0, "the same sources as from the saved answers");
    CHECK(!exists("%s.download", out), "the downloaded answers are not left behind");
    snprintf(url, sizeof url, "http://127.0.0.1:%d/nothing/", port);
    rc = imp_import_integreat(url, "heidemoor", out, ig_base, NULL, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "HTTP status 404"), "a missing API: %s", err);
    check_sh("kill -QUIT $(cat %s/nginx.pid)", dir);
}

/*
 * Over HTTPS with a district's own CA, made here with openssl: trusted through --ca-file the
 * import succeeds; without it, or for a host name the certificate does not name, it is refused
 * with a message that says why and what to do. Verification is never switched off.
 */
TEST(integreat_tls)
{
    char t[PATH_MAX + 8], err[1200], out[PATH_MAX], url[128];
    int port = 19100 + (int)(getpid() % 200);
    if (!realpath(dir, out)) snprintf(out, sizeof out, "%s", dir);
    snprintf(t, sizeof t, "%s/tls", out);
    CHECK(check_sh("rm -rf %s && mkdir -p %s && cd %s && "
                   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                   "-subj '/CN=Landkreis Heidemoor Test CA' -addext basicConstraints=critical,CA:TRUE "
                   "-addext keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.pem 2>/dev/null && "
                   "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=127.0.0.1' "
                   "-keyout server.key -out server.csr 2>/dev/null && "
                   "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n"
                   "extendedKeyUsage=serverAuth\\n' > ext.cnf && "
                   "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                   "-extfile ext.cnf -out server.pem 2>/dev/null && "
                   "python3 %s/tests/integreat_answers.py www api",
                   t, t, t, getenv("PWD") ? getenv("PWD") : ".") == 0,
          "a CA and a server certificate for 127.0.0.1");
    char root[PATH_MAX + 32], cert[PATH_MAX + 32], key[PATH_MAX + 32], ca[PATH_MAX + 32];
    snprintf(root, sizeof root, "%s/www", t);
    snprintf(cert, sizeof cert, "%s/server.pem", t);
    snprintf(key, sizeof key, "%s/server.key", t);
    snprintf(ca, sizeof ca, "%s/ca.pem", t);
    CHECK(start_nginx(t, root, port, cert, key, NULL) == 0, "nginx with TLS on 127.0.0.1:%d", port);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    snprintf(out, sizeof out, "%s/ig-src-tls", dir);
    /* the operator's command, as documented */
    CHECK(check_sh("%s/kiosk-pack import-integreat --ca-file %s %s heidemoor %s %s >%s/ok.log 2>&1", build, ca, url,
                   out, ig_base, t) == 0,
          "trusted through --ca-file (see %s/ok.log)", t);
    CHECK(check_sh("diff -r %s/ig-src %s >/dev/null", dir, out) == 0, "the same sources as from the saved answers");
    int rc = import_url(url, out, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "certificate is not trusted") && strstr(err, "--ca-file"),
          "the system's CAs do not know this one: %s", err);
    CHECK(check_sh("! %s/kiosk-pack import-integreat %s heidemoor %s %s 2>%s/refused.log && "
                   "grep -q 'not trusted' %s/refused.log", build, url, out, ig_base, t, t) == 0,
          "the command refuses it too, and says why");
    snprintf(url, sizeof url, "https://localhost:%d/", port);
    rc = import_url(url, out, ca, err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "not trusted"), "a host name the certificate does not name: %s", err);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    rc = import_url(url, out, "/nonexistent/ca.pem", err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "--ca-file /nonexistent/ca.pem"), "a CA file that is not there: %s", err);
    /* an https instance whose answers redirect to plain http used to be followed there */
    char rdir[PATH_MAX + 40], redirect[200];
    snprintf(rdir, sizeof rdir, "%s/redirect", t);
    snprintf(redirect, sizeof redirect, "  location / { return 301 http://127.0.0.1:%d$request_uri; }\n", port + 2);
    check_sh("mkdir -p %s", rdir);
    CHECK(start_nginx(rdir, root, port + 1, cert, key, redirect) == 0, "nginx redirecting to http on :%d", port + 1);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port + 1);
    rc = import_url(url, out, ca, err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "redirected away from https"),
          "a redirect from https to http is refused: %d %s", rc, err);
    check_sh("kill -QUIT $(cat %s/nginx.pid)", rdir);
    CHECK(check_sh("diff -r %s/ig-src %s >/dev/null", dir, out) == 0, "refusals leave the last import as it was");
    check_sh("kill -QUIT $(cat %s/nginx.pid)", t);
}

/* ---------- translators' round trip ---------- */

TEST(po_round_trip)
{
    char po[700], src[700], err[1200], db0[700], db1[700];
    snprintf(po, sizeof po, "%s/ar.po", dir);
    snprintf(src, sizeof src, "%s/po-src", dir);
    snprintf(db0, sizeof db0, "%s/po-before.db", dir);
    snprintf(db1, sizeof db1, "%s/po-after.db", dir);
    int rc = imp_po_export("content/demo", "ar", po, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    CHECK(check_sh("msgfmt --check -o /dev/null %s", po) == 0, "a valid PO file");
    CHECK(check_sh("grep -A4 '^#, fuzzy' %s | grep -q '^msgctxt \"offers/agentur-arbeit-berufsberatung#name\"'", po) == 0,
          "machine translations are fuzzy, msgctxt names entity and field");
    CHECK(check_sh("grep -A1 'msgctxt \"offers/agentur-arbeit-berufsberatung#name\"' %s | "
                   "grep -q 'msgid \"Berufsberatung und Arbeitsvermittlung\"'", po) == 0, "msgid is the German text");
    /* unchanged PO back in: the same translations and states */
    check_sh("rm -rf %s && cp -r content/demo %s && ln -s \"$PWD/content/pictograms\" %s/../pictograms 2>/dev/null; true",
             src, src, src);
    CHECK(pack_build(src, db0, err, sizeof err) == 0, "build: %s", err);
    rc = imp_po_import(src, "ar", po, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    CHECK(pack_build(src, db1, err, sizeof err) == 0, "build: %s", err);
    CHECK(differing_rows(db0, db1, "service_i18n") == 0 && differing_rows(db0, db1, "organization_i18n") == 0 &&
              differing_rows(db0, db1, "location_i18n") == 0 && differing_rows(db0, db1, "taxonomy_term_i18n") == 0 &&
              differing_rows(db0, db1, "intake_answer_i18n") == 0,
          "an untouched PO changes nothing");
    /* a translator reviews everything in Poedit (fuzzy cleared) and rewrites one name; meanwhile the German
     * text of another offer changed */
    char reviewed[700];
    snprintf(reviewed, sizeof reviewed, "%s/ar-reviewed.po", dir);
    CHECK(check_sh("msgattrib --clear-fuzzy -o %s %s && sed -i '/msgctxt \"offers\\/awo-jmd#name\"/{n;n;s/^msgstr .*/msgstr "
                   "\"خدمة الشباب للمهاجرين (JMD)\"/}' %s && sed -i 's/\"name\": \"Berufsberatung und "
                   "Arbeitsvermittlung\"/\"name\": \"Berufsberatung\"/' %s/offers/agentur-arbeit-berufsberatung.json",
                   reviewed, po, reviewed, src) == 0, "reviewed");
    rc = imp_po_import(src, "ar", reviewed, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    CHECK(pack_build(src, db1, err, sizeof err) == 0, "build: %s", err);
    CHECK(q_is(db1, "SELECT status || ':' || name FROM service_i18n WHERE service_id='awo-jmd' AND lang='ar'",
               "complete:خدمة الشباب للمهاجرين (JMD)"), "reviewed -> complete, with the new text");
    CHECK(q_is(db1, "SELECT status FROM service_i18n WHERE service_id='agentur-arbeit-berufsberatung' AND lang='ar'",
               "outdated"), "changed German source -> outdated");
    CHECK(q_is(db1, "SELECT count(*) FROM service_i18n WHERE lang='ar' AND status='machine'", "0"), "none left machine");

    /* refusals leave the sources as they were */
    check_sh("cp -r %s %s.before", src, src);
    rc = imp_po_import(src, "xx", reviewed, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE, "unknown language: %s", err);
    rc = imp_po_import(src, "fa", reviewed, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_LANGUAGE && strstr(err, "Language: ar"), "a PO of another language: %s", err);
    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.po", dir);
    check_sh("sed 's/offers\\/awo-jmd#name/offers\\/no-such-offer#name/' %s > %s", reviewed, bad);
    rc = imp_po_import(src, "ar", bad, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_UNMAPPED && strstr(err, "offers/no-such-offer#name"), "unknown entity: %s", err);
    check_sh("head -c 20000 %s > %s && echo 'msgid \"unterminated' >> %s", reviewed, bad, bad);
    rc = imp_po_import(src, "ar", bad, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "bad.po:"), "a broken PO file: %s", err);
    /* saved as ISO-8859-1 (Poedit can): libgettextpo hands the bytes over unconverted, and a name with
     * "ü" used to vanish while the import reported it updated */
    check_sh("python3 -c \"import sys; s=open(sys.argv[1],'rb').read().replace(b'charset=UTF-8', b'charset=ISO-8859-1'); "
             "i=s.index(b'msgctxt \\\"offers/awo-jmd#name'); j=s.index(b'msgstr', i); k=s.index(b'\\n', j); "
             "open(sys.argv[2],'wb').write(s[:j] + b'msgstr \\\"Jugendmigrationsdienst f\\xfcr alle\\\"' + s[k:])\" %s %s",
             reviewed, bad);
    rc = imp_po_import(src, "ar", bad, NULL, err, sizeof err);
    CHECK(rc == IMP_ERR_SYNTAX && strstr(err, "ISO-8859-1") && strstr(err, "UTF-8"), "a PO file not in UTF-8: %d %s",
          rc, err);
    CHECK(check_sh("diff -r %s %s.before", src, src) == 0 && !exists("%s.partial", src), "sources untouched");
}

/* A folder deeper than PATH_MAX / 3 (4096): "DIR/D/D..." of about len bytes below top. */
static void deep_dir(char *out, size_t size, const char *top, size_t len)
{
    size_t n = (size_t)snprintf(out, size, "%s", top);
    while (n + 4 < len && n + 4 < size)
        n += (size_t)snprintf(out + n, size - n, "/%.*s", (int)(len - n - 1 < 60 ? len - n - 1 : 60),
                              "a-translators-folder-of-a-district-that-nests-things-deep-xyz");
}

/* issue 12: the importers' paths were cut at 1,000-odd bytes (the tree at 1,024, a PO file's
 * partial at 1,200), within what the system takes (PATH_MAX 4,096). A PO round trip, an HSDS
 * export and import and a sheet, all 1,600 bytes deep, work; a path past PATH_MAX is refused
 * with a message saying so, never written cut short. */
TEST(deep_paths)
{
    static char top[64], deep[2048], hsds[2100], po[PATH_MAX], src[PATH_MAX], in[PATH_MAX], out[PATH_MAX];
    static char err[8192], db[700];
    snprintf(top, sizeof top, "/tmp/kiosk-deep-import-%ld", (long)getpid());
    deep_dir(deep, sizeof deep, top, 1600);
    check_sh("rm -rf %s && mkdir -p %s", top, deep);
    snprintf(po, sizeof po, "%s/ar.po", deep);
    snprintf(src, sizeof src, "%s/po-src", deep);
    snprintf(db, sizeof db, "%s/deep.db", dir);
    err[0] = 0;
    CHECK(imp_po_export("content/demo", "ar", po, err, sizeof err) == IMP_OK && exists("%s", po),
          "PO export to a %zu-byte path: %.300s", strlen(po), err);
    check_sh("cp -r content/demo %s && ln -s \"$PWD/content/pictograms\" %s/pictograms", src, deep);
    err[0] = 0;
    CHECK(imp_po_import(src, "ar", po, NULL, err, sizeof err) == IMP_OK, "PO import into %zu bytes deep: %.300s",
          strlen(src), err);
    CHECK(pack_build(src, db, err, sizeof err) == 0 && same_offers(demo_db, db), "and the same pack: %.300s", err);
    snprintf(hsds, sizeof hsds, "%s/hsds", deep);
    err[0] = 0;
    CHECK(imp_export_hsds(demo_db, hsds, err, sizeof err) == IMP_OK && exists("%s/tabular/services.csv", hsds),
          "HSDS export: %.300s", err);
    for (int form = 0; form < 2; form++) {
        snprintf(in, sizeof in, "%s/%s", hsds, form ? "tabular" : "json");
        snprintf(out, sizeof out, "%s/src-%d", deep, form);
        err[0] = 0;
        CHECK(imp_import_hsds(in, out, NULL, err, sizeof err) == IMP_OK, "HSDS import (%d): %.300s", form, err);
        CHECK(pack_build(out, db, err, sizeof err) == 0 && same_offers(demo_db, db), "the same offers (%d): %.300s",
              form, err);
    }
    snprintf(out, sizeof out, "%s/sheet", deep);
    err[0] = 0;
    CHECK(imp_import_sheet("content/sheet-sample.csv", src, out, NULL, err, sizeof err) == IMP_OK &&
              exists("%s/offers/begegnungscafe-am-markt.json", out),
          "a sheet into %zu bytes deep: %.300s", strlen(out), err);
    /* past PATH_MAX: ar.po fits, its partial beside it does not */
    char *far = malloc(PATH_MAX);
    deep_dir(far, PATH_MAX, top, PATH_MAX - 12);
    check_sh("mkdir -p %s", far);
    snprintf(po, sizeof po, "%s/ar.po", far);
    err[0] = 0;
    int rc = imp_po_export("content/demo", "ar", po, err, sizeof err);
    CHECK(rc == IMP_ERR_IO && strstr(err, "path too long") && strstr(err, top), "%zu bytes: refused: %.200s", strlen(po),
          err);
    free(far);
    check_sh("rm -rf %s", top);
}

/* A sources folder that cannot be read to its end: the PO export fails, naming it, instead of
 * leaving out every offer it did not see. */
TEST(po_export_unreadable_folder)
{
    char po[700], err[1024] = "";
    snprintf(po, sizeof po, "%s/unreadable-ar.po", dir);
    fail_readdir = 1;
    int rc = imp_po_export("content/demo", "ar", po, err, sizeof err);
    fail_readdir = 0;
    CHECK(rc == IMP_ERR_IO && strstr(err, "organizations") && strstr(err, "cannot read"), "refused (%d): %s", rc, err);
}

/* HSDS written by another directory: no x_kiosk fields, services with everything nested. */
TEST(hsds_foreign)
{
    char in[700], out[700], db[700], err[1200];
    snprintf(in, sizeof in, "%s/foreign", dir);
    snprintf(out, sizeof out, "%s/foreign-src", dir);
    snprintf(db, sizeof db, "%s/foreign.db", dir);
    check_sh("rm -rf %s && mkdir -p %s && cat > %s/services.json <<'EOF'\n"
             "{\"total_items\": 1, \"contents\": [{\"id\": \"0b7c6e2e-3a51-4f0e-9d1c-2b1f0f6a7c11\", "
             "\"name\": \"Schuldnerberatung\", \"description\": \"Hilfe bei Schulden.\", \"status\": \"active\", "
             "\"fees_description\": \"Kostenlos.\", \"email\": \"schulden@beratung.example\", "
             "\"organization_id\": \"5d1f1c0a-8f7e-4c77-b1f4-3f6c2a9e0d22\", "
             "\"organization\": {\"id\": \"5d1f1c0a-8f7e-4c77-b1f4-3f6c2a9e0d22\", \"name\": \"Diakonie Moorbach\", "
             "\"description\": \"\", \"website\": \"https://diakonie-moorbach.example\"}, "
             "\"phones\": [{\"id\": \"9c9e5b7e-1111-4a2b-8c3d-000000000001\", \"number\": \"+49 5194 1234\"}], "
             "\"languages\": [{\"id\": \"9c9e5b7e-1111-4a2b-8c3d-000000000002\", \"code\": \"de\"}, "
             "{\"id\": \"9c9e5b7e-1111-4a2b-8c3d-000000000003\", \"code\": \"TR\"}], "
             "\"schedules\": [{\"id\": \"9c9e5b7e-1111-4a2b-8c3d-000000000004\", \"freq\": \"WEEKLY\", "
             "\"byday\": \"MO,WE\", \"opens_at\": \"09:00:00\", \"closes_at\": \"12:30:00\", \"timezone\": 1}], "
             "\"service_at_locations\": [{\"id\": \"9c9e5b7e-1111-4a2b-8c3d-000000000005\", "
             "\"location\": {\"id\": \"7a7a7a7a-2222-4b2b-9c3d-000000000006\", \"location_type\": \"physical\", "
             "\"name\": \"Haus der Diakonie\", \"latitude\": 53.01, \"longitude\": 9.9, "
             "\"addresses\": [{\"id\": \"7a7a7a7a-2222-4b2b-9c3d-000000000007\", \"address_1\": \"Lindenweg 2\", "
             "\"city\": \"Moorbach\", \"state_province\": \"\", \"postal_code\": \"29630\", \"country\": \"DE\", "
             "\"address_type\": \"physical\"}]}}], "
             "\"attributes\": [{\"id\": \"7a7a7a7a-2222-4b2b-9c3d-000000000008\", \"link_entity\": \"service\", "
             "\"taxonomy_term\": {\"id\": \"7a7a7a7a-2222-4b2b-9c3d-000000000009\", \"code\": \"counselling\", "
             "\"name\": \"Beratung\", \"description\": \"\"}}]}]}\n"
             "EOF", in, in, in);
    int rc = imp_import_hsds(in, out, NULL, err, sizeof err);
    CHECK(rc == IMP_OK, "%s", err);
    rc = pack_build(out, db, err, sizeof err);
    CHECK(rc == 0, "build: %s", err);
    CHECK(q_is(db, "SELECT s.id || '|' || i.status || '|' || i.name || '|' || i.fees_description FROM service s JOIN "
                   "service_i18n i ON i.service_id=s.id", "0b7c6e2e-3a51-4f0e-9d1c-2b1f0f6a7c11|complete|"
                   "Schuldnerberatung|Kostenlos."), "the HSDS text as the German source");
    CHECK(q_is(db, "SELECT byday || ' ' || opens_at || '-' || closes_at || ' ' || timezone FROM schedule",
               "MO,WE 09:00-12:30 Europe/Berlin"), "HH:MM:SS times, offset 1 as Berlin");
    CHECK(q_is(db, "SELECT group_concat(code) FROM language_spoken", "de,tr"), "languages spoken");
    CHECK(q_is(db, "SELECT address_1 || ', ' || postal_code || ' ' || city FROM location", "Lindenweg 2, 29630 Moorbach"),
          "the nested location and its address");
    CHECK(q_is(db, "SELECT term_id FROM service_taxonomy", "counselling"), "the taxonomy term's code as category");
    CHECK(q_is(db, "SELECT value FROM meta WHERE key='pack_id'", "hsds-import"), "a default pack");
}

/* ---------- from an import to the screen ---------- */

/*
 * The whole way a district's content takes, with the tools an operator runs: import (args
 * name the output as D/src), build, sign, install (as staff mode and sync do), and the kiosk
 * showing the imported offers; D is dir/walk-NAME.
 */
static int imported_walk(const char *name, const char *import_args, const char *script)
{
    char d[800], path[900];
    snprintf(d, sizeof d, "%s/walk-%s", dir, name);
    if (check_sh("rm -rf %s && mkdir -p %s/shots && %s/kiosk-pack %s >%s/import.log 2>&1 && "
                 "%s/kiosk-pack build %s/src %s/pack.db && "
                 "%s/kiosk-pack sign %s/pack.db content/keys/demo.secret %s/pack.kpack && "
                 "%s/kiosk-pack install %s/pack.kpack content/keys/demo.pub %s/content.db >%s/install.log",
                 d, d, build, import_args, d, build, d, d, build, d, d, build, d, d, d) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/walk.txt", d);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(script, f);
    fclose(f);
    return check_sh("SDL_VIDEODRIVER=dummy %s/kiosk --content %s/content.db --data . --size 1080x1920 "
                    "--script %s/walk.txt --shots %s/shots >%s/walk.log 2>&1",
                    build, d, d, d, d);
}

TEST(imported_packs_on_screen)
{
    char args[4000];
    snprintf(args, sizeof args, "import-hsds %s/foreign %s/walk-hsds/src", dir, dir);
    CHECK(imported_walk("hsds", args,
                        "tap lang:de\nexpect screen categories\nshot categories\ntap cat:counselling\n"
                        "expect screen list\nexpect visible Schuldnerberatung\nexpect visible Diakonie Moorbach\n"
                        "shot list\ntap row:0\nexpect screen detail\nexpect visible Schuldnerberatung\n"
                        "expect visible Hilfe bei Schulden.\nexpect visible +49 5194 1234\nexpect text Lindenweg 2\n"
                        "expect no-tofu\nshot detail\n") == 0,
          "HSDS: imported, built, signed, installed and shown (see %s/walk-hsds/walk.log)", dir);
    CHECK(exists("%s/walk-hsds/shots/detail.png", dir), "screenshot of the HSDS offer");
    snprintf(args, sizeof args, "import-integreat %s/ig-saved heidemoor %s/walk-integreat/src %s", dir, dir, ig_base);
    CHECK(imported_walk("integreat", args,
                        "tap lang:ar\nexpect screen categories\nshot categories\ntap cat:counselling\n"
                        "expect screen list\nexpect visible استشارة الهجرة للبالغين\nexpect visible الخطوات الأولى\n"
                        "shot list\ntap row:0\nexpect screen detail\nexpect visible استشارة الهجرة للبالغين\n"
                        "expect text +49 5191 70-100\nexpect no-tofu\nshot poi\ntap back\ntap back\n"
                        "expect screen categories\ntap cat:housing\nexpect screen list\n"
                        "expect visible شهادة استحقاق السكن (WBS)\ntap row:0\nexpect screen detail\n"
                        "expect visible شهادة استحقاق السكن (WBS)\nexpect visible ما هذا؟\n"
                        "expect visible • أحضروا إثبات الدخل\nexpect no-tofu\nshot page\n"
                        /* a page has no hours: no line claims it is "by appointment only" */
                        "expect no-text بموعد مسبق فقط\nexpect no-text أوقات العمل\n"
                        "drag 0.5 0.9 0.5 0.1 300\nwait 1500\nexpect no-text بموعد مسبق فقط\n") == 0,
          "Integreat: a POI and a page, in Arabic, shown from the installed pack (see %s/walk-integreat/walk.log)", dir);
    CHECK(exists("%s/walk-integreat/shots/page.png", dir), "screenshot of the imported page");
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
    RUN(sheet_sample);
    RUN(sheet_long_names);
    RUN(sheet_errors);
    ig_setup();
    RUN(integreat_folder);
    RUN(integreat_bad);
    RUN(integreat_url);
    RUN(integreat_tls);
    RUN(po_round_trip);
    RUN(deep_paths);
    RUN(po_export_unreadable_folder);
    RUN(hsds_foreign);
    RUN(imported_packs_on_screen);
    CHECK_DONE();
}
