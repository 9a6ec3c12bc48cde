/*
 * speak.c: reading the screen aloud (app.h, app_priv.h). What a person would read on the
 * screen becomes one text; espeak-ng synthesises it on the speech job queue. Never what a
 * visitor typed: a name or number read aloud is heard by the whole room.
 */
#include "app_priv.h"

#include "platform/job.h"
#include "platform/log.h"
#include "platform/speech.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T app_tr

/* One screen read aloud: synthesised on the speech worker, the only thread espeak-ng sees. */
typedef struct speech_job {
    job base;
    char lang[12];
    char *text;
    int16_t *pcm;
    size_t n;
} speech_job;

/* ctx: the worker's "espeak-ng started" flag (1 yes, -1 failed, 0 not yet), read only there. */
static void speech_run(job *base, void *ctx)
{
    speech_job *j = (speech_job *)base;
    int *started = ctx;
    if (!*started) {
        int rate = speech_init(NULL);
        *started = rate > 0 ? 1 : -1;
        if (rate > 0 && rate != SPEECH_RATE) log_msg("speech", "espeak-ng speaks at %d Hz, not %d", rate, SPEECH_RATE);
        if (rate <= 0) log_msg("speech", "espeak-ng unavailable: no reading aloud");
    }
    if (*started < 0 || speech_synth(j->lang, j->text, &j->pcm, &j->n) != 0) {
        j->pcm = NULL;
        j->n = 0;
    }
}

static void speech_destroy(job *base)
{
    speech_job *j = (speech_job *)base;
    free(j->text);
    free(j->pcm);
    free(j);
}

static void say(char *buf, size_t len, size_t *o, const char *text)
{
    if (!text || !*text || *o >= len - 4) return;
    *o += (size_t)snprintf(buf + *o, len - *o, "%s%s", *o ? ". " : "", text);
    if (*o >= len) *o = len - 1;
}

/* What a person would read on this screen: headings, names, address and hours. */
static char *speech_text(app *a)
{
    app_state *s = &a->s;
    size_t len = 8192, o = 0;
    char *b = calloc(len, 1);
    if (!b) return NULL;
    switch (s->screen) {
    case SCREEN_ATTRACT:
        say(b, len, &o, T(a, "Choose your language"));
        say(b, len, &o, T(a, "Touch your language to start"));
        break;
    case SCREEN_CATEGORIES:
        say(b, len, &o, T(a, "What do you need help with?"));
        for (int i = 0; i < s->ncats; i++) say(b, len, &o, s->cats[i].name.text);
        break;
    case SCREEN_LIST:
        for (int i = 0; i < s->ncats; i++)
            if (!strcmp(s->cats[i].id, s->category)) say(b, len, &o, s->cats[i].name.text);
        for (int i = 0; i < s->nrows && i < 8; i++) say(b, len, &o, s->rows[i].name.text);
        break;
    case SCREEN_DETAIL:
        if (s->offer) {
            say(b, len, &o, s->offer->name.text);
            say(b, len, &o, s->offer->summary.text);
            /* each place with its own hours: read together, so no one hears one place's hours as another's */
            int any = s->offer_hours && *s->offer_hours;
            for (int i = 0; i < s->offer->nplaces; i++) {
                const store_place *p = &s->offer->places[i];
                say(b, len, &o, T(a, "Address"));
                say(b, len, &o, p->name.text);
                say(b, len, &o, p->street);
                say(b, len, &o, p->city);
                if (s->place_hours && s->place_hours[i] && *s->place_hours[i]) {
                    any = 1;
                    say(b, len, &o, T(a, "Opening hours"));
                    say(b, len, &o, s->place_hours[i]);
                }
            }
            if (s->offer_hours && *s->offer_hours) {
                say(b, len, &o, T(a, "Opening hours"));
                say(b, len, &o, s->offer_hours);
            }
            /* as the page shows it: said of places only, an offer without any has no hours line */
            if (!any && s->offer->nplaces) say(b, len, &o, T(a, "By appointment only"));
        }
        break;
    case SCREEN_QUESTION:
        /* read the question and every answer: the path is for people who read little */
        if (s->question < s->nquestions) {
            const store_question *q = &s->questions[s->question];
            say(b, len, &o, q->text.text);
            for (int i = 0; i < q->nanswers; i++) say(b, len, &o, q->answers[i].label.text);
        }
        break;
    case SCREEN_MATCHES:
        if (s->urgent) say(b, len, &o, T(a, "You are not alone. These places help you."));
        for (int i = 0; i < s->nmatches && i < 6; i++) say(b, len, &o, s->matches[i].name.text);
        break;
    case SCREEN_SEARCH:
        for (int i = 0; i < s->nfound && i < 6; i++) say(b, len, &o, s->found[i].name.text);
        break;
    case SCREEN_BOOK_DAY:
        say(b, len, &o, T(a, "Choose a day"));
        for (int i = 0; i < s->nbook_days && i < 6; i++) say(b, len, &o, s->book_days[i].label);
        break;
    case SCREEN_BOOK_TIME:
        say(b, len, &o, T(a, "Choose a time"));
        for (int i = 0; i < s->nbook_times && i < 8; i++) say(b, len, &o, s->book_times[i].label);
        break;
    case SCREEN_BOOK_DETAILS:
        /* never what was typed: a name or number read aloud is heard by the whole room */
        say(b, len, &o, T(a, "Your name and phone number (you may leave them out)"));
        break;
    case SCREEN_BOOK_CONSENT:
        say(b, len, &o, T(a, "Please read before you book"));
        say(b, len, &o, s->book_when);
        break;
    case SCREEN_BOOK_DONE:
        if (s->book_state == BOOK_CONFIRMED || s->book_state == BOOK_QUEUED) {
            say(b, len, &o, s->book_state == BOOK_CONFIRMED ? T(a, "Your appointment is booked.") : T(a, "Not booked yet"));
            /* the code letter by letter, as it is written down */
            char spelt[32] = "";
            for (size_t i = 0, k = 0; s->book_code[i] && k + 2 < sizeof spelt; i++) {
                spelt[k++] = s->book_code[i];
                spelt[k++] = ' ';
                spelt[k] = 0;
            }
            say(b, len, &o, T(a, "Your booking code:"));
            say(b, len, &o, spelt);
            say(b, len, &o, s->book_when);
        }
        break;
    case SCREEN_CODE:
        say(b, len, &o, T(a, "Your booking code:"));
        break;
    case SCREEN_PIN:
    case SCREEN_STAFF:
    case SCREEN_COUNT:
        break; /* staff screens are not read aloud */
    }
    return b;
}

int app_speak(app *a)
{
    if (!a->s.can_speak || job_pending(a->speaker)) return 0;
    if (!a->speaker && job_queue_start(&a->speaker, &a->speech_started, NULL, 0) != 0) return 0;
    speech_job *j = calloc(1, sizeof *j);
    if (!j) return 0;
    j->base.run = speech_run;
    j->base.destroy = speech_destroy;
    snprintf(j->lang, sizeof j->lang, "%s", a->s.lang);
    j->text = speech_text(a);
    if (!j->text) {
        speech_destroy(&j->base);
        return 0;
    }
    if (job_post(a->speaker, &j->base, a->gen) != 0) return 0;
    a->s.speaking = 1;
    return 1;
}

int app_take_audio(app *a, int16_t **pcm, size_t *n)
{
    speech_job *j = (speech_job *)job_take(a->speaker, a->gen);
    if (!j) {
        if (!job_pending(a->speaker)) a->s.speaking = 0;
        return 0;
    }
    a->s.speaking = 0;
    *pcm = j->pcm;
    *n = j->n;
    j->pcm = NULL;
    job_free(&j->base);
    return *pcm != NULL;
}

void app_set_audio(app *a, int available)
{
    a->audio = available;
    a->s.can_speak = a->speech_rate > 0 && a->audio && speech_has_voice(a->s.lang);
}

int app_audio_rate(const app *a) { return a->speech_rate; }

void app_speak_close(app *a)
{
    job_queue_stop(a->speaker);
    a->speaker = NULL;
    /* the worker is gone: this thread may end espeak-ng now */
    if (a->speech_started > 0) speech_term();
    a->speech_started = 0;
}
