/*
 * synth.c: synthetic content (pack_synth in pack.h) of any size and number of languages, for
 * benchmarks and tests: words from syllables of each script, so it is shaped like real text.
 */
#include "pack.h"
#include "pack/build_priv.h"

#include "i18n/i18n.h"
#include "platform/fmt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Syllables per script, so synthetic text exercises the same shaping as real text. */
static const char *const syl_latn[] = {"ka", "ber", "to", "lin", "sa", "mu", "ren", "do", "vi", "gu", "ha", "pel"};
static const char *const syl_arab[] = {"كا", "بر", "تو", "لين", "سا", "مو", "رن", "دو", "في", "غو", "ها", "بل"};
static const char *const syl_cyrl[] = {"ка", "бер", "то", "лин", "са", "му", "рен", "до", "ви", "гу", "ха", "пел"};
static const char *const syl_ethi[] = {"ካ", "በር", "ቶ", "ሊን", "ሳ", "ሙ", "ረን", "ዶ", "ቪ", "ጉ", "ሃ", "ፐል"};

static void synth_words(char *buf, size_t len, const char *lang, unsigned *seed, int words)
{
    const char *const *syl = syl_latn;
    const i18n_lang *l = i18n_lang_find(lang);
    const char *script = l ? l->script : "Latn";
    if (!strcmp(script, "Arab")) syl = syl_arab;
    else if (!strcmp(script, "Cyrl")) syl = syl_cyrl;
    else if (!strcmp(script, "Ethi")) syl = syl_ethi;
    size_t o = 0;
    buf[0] = 0;
    for (int w = 0; w < words; w++) {
        int ns = 1 + (int)(rand_r(seed) % 3);
        for (int s = 0; s < ns; s++) o += (size_t)snprintf(buf + o, len - o, "%s", syl[rand_r(seed) % 12]);
        if (w + 1 < words) o += (size_t)snprintf(buf + o, len - o, " ");
        if (o + 16 >= len) break;
    }
}

int pack_synth(const char *out_path, int noffers, int nlangs, unsigned seed, const char *pictogram_dir, char *err,
               size_t errlen)
{
    static const char *const cats[] = {"housing", "language", "work", "school", "health",
                                       "counselling", "interpreters", "volunteering", "protection", "events"};
    builder b = {.err = err, .errlen = errlen};
    char tmp[PATH_MAX];
    if (fmt_fit(tmp, sizeof tmp, "%s.tmp", out_path)) return pb_fail(&b, "%.200s...: path too long", out_path);
    if (nlangs < 1) nlangs = 1;
    if (nlangs > i18n_lang_count()) nlangs = i18n_lang_count();
    int rc = pb_db_begin(&b, tmp);
    const char *meta[][2] = {{"schema_version", STORE_SCHEMA_TEXT}, {"pack_id", "synthetic"}, {"content_version", "1"},
                             {"created", "2026-01-01T00:00:00Z"}, {"demo", "1"}, {"source_language", "de"},
                             {"title:de", "Synthetische Inhalte"}, {"title:en", "Synthetic content"}};
    for (size_t i = 0; !rc && i < sizeof meta / sizeof meta[0]; i++)
        rc = pb_run(&b, "INSERT INTO meta(key, value) VALUES(?1, ?2)", 2, meta[i]);
    for (int l = 0; !rc && l < nlangs; l++) {
        char ord[24];
        snprintf(ord, sizeof ord, "%d", l);
        const char *v[] = {i18n_lang_at(l)->code, ord};
        rc = pb_run(&b, "INSERT INTO language(code, sort_order) VALUES(?1, ?2)", 2, v);
    }
    char t1[256], t2[512], t3[1024], id[64], id2[64], ord[16];
    for (int c = 0; !rc && c < 10; c++) {
        char icon[64], path[PATH_MAX];
        snprintf(icon, sizeof icon, "%s.svg", cats[c]);
        struct stat sb;
        int has_icon = pictogram_dir && fmt_fit(path, sizeof path, "%s/%s", pictogram_dir, icon) == 0 && stat(path, &sb) == 0;
        const char *why = has_icon ? pb_put_media(&b, icon, path) : NULL;
        if (why) rc = pb_fail(&b, "pictogram %s: %s", path, why);
        snprintf(ord, sizeof ord, "%d", c);
        const char *v[] = {cats[c], ord, has_icon ? icon : NULL};
        if (!rc) rc = pb_run(&b, "INSERT INTO taxonomy_term(id, sort_order, icon) VALUES(?1, ?2, ?3)", 3, v);
        for (int l = 0; !rc && l < nlangs; l++) {
            synth_words(t1, sizeof t1, i18n_lang_at(l)->code, &seed, 2);
            const char *tv[] = {cats[c], i18n_lang_at(l)->code, l ? "machine" : "complete", t1};
            rc = pb_run(&b, "INSERT INTO taxonomy_term_i18n(term_id, lang, status, name) VALUES(?1, ?2, ?3, ?4)", 4, tv);
        }
    }
    int norgs = noffers / 10 + 1;
    for (int o = 0; !rc && o < norgs; o++) {
        snprintf(id, sizeof id, "org-%d", o);
        snprintf(id2, sizeof id2, "org-%d/main", o);
        const char *v[] = {id, "info@synthetic.example", "https://synthetic.example"};
        rc = pb_run(&b, "INSERT INTO organization(id, email, url) VALUES(?1, ?2, ?3)", 3, v);
        synth_words(t1, sizeof t1, "de", &seed, 3);
        const char *ov[] = {id, "de", "complete", t1};
        if (!rc) rc = pb_run(&b, "INSERT INTO organization_i18n(organization_id, lang, status, name) VALUES(?1,?2,?3,?4)", 4, ov);
        const char *lv[] = {id2, id, "Hauptstraße 1", "29601", "Heidemoor"};
        if (!rc)
            rc = pb_run(&b, "INSERT INTO location(id, organization_id, address_1, postal_code, city) VALUES(?1,?2,?3,?4,?5)",
                     5, lv);
        snprintf(t2, sizeof t2, "+49 5191 %d", 1000 + o);
        const char *pv[] = {id, id, t2};
        if (!rc) rc = pb_run(&b, "INSERT INTO phone(id, organization_id, number) VALUES(?1, ?2, ?3)", 3, pv);
    }
    for (int o = 0; !rc && o < noffers; o++) {
        snprintf(id, sizeof id, "offer-%d", o);
        snprintf(id2, sizeof id2, "org-%d", o / 10);
        const char *v[] = {id, id2};
        rc = pb_run(&b, "INSERT INTO service(id, organization_id) VALUES(?1, ?2)", 2, v);
        const char *tv[] = {id, cats[o % 10]};
        if (!rc) rc = pb_run(&b, "INSERT INTO service_taxonomy(service_id, term_id) VALUES(?1, ?2)", 2, tv);
        snprintf(t1, sizeof t1, "%s@org-%d/main", id, o / 10);
        snprintf(t2, sizeof t2, "org-%d/main", o / 10);
        const char *sv[] = {t1, id, t2};
        if (!rc) rc = pb_run(&b, "INSERT INTO service_at_location(id, service_id, location_id) VALUES(?1, ?2, ?3)", 3, sv);
        snprintf(t1, sizeof t1, "%s#0", id);
        const char *schv[] = {t1, id, "MO,WE", "09:00", "12:00"};
        if (!rc)
            rc = pb_run(&b, "INSERT INTO schedule(id, service_id, freq, byday, opens_at, closes_at) "
                         "VALUES(?1, ?2, 'WEEKLY', ?3, ?4, ?5)", 5, schv);
        const char *lsv[] = {id, "de"};
        if (!rc) rc = pb_run(&b, "INSERT INTO language_spoken(service_id, code) VALUES(?1, ?2)", 2, lsv);
        for (int l = 0; !rc && l < nlangs; l++) {
            const char *code = i18n_lang_at(l)->code;
            synth_words(t1, sizeof t1, code, &seed, 3);
            synth_words(t2, sizeof t2, code, &seed, 12);
            synth_words(t3, sizeof t3, code, &seed, 40);
            const char *iv[] = {id, code, l ? "machine" : "complete", t1, t2, t3, t2, t1};
            rc = pb_run(&b, "INSERT INTO service_i18n(service_id, lang, status, name, summary, description, "
                         "eligibility_description, fees_description) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", 8, iv);
        }
    }
    if (!rc) rc = pb_db_finish(&b, tmp, out_path);
    if (b.db) sqlite3_close(b.db);
    if (rc) unlink(tmp);
    return rc;
}
