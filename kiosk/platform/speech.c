/*
 * speech.c: espeak-ng synthesis into memory (speech.h).
 */
#include "speech.h"

#include "dl.h"
#include "i18n/i18n.h"

#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * espeak-ng is loaded on the first request to read aloud: linked at start-up it costs every
 * kiosk about 3 MiB, also when nobody presses the speaker. The table is filled once.
 */
static struct espeak_api {
    int (*initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
    void (*set_synth_callback)(t_espeak_callback *);
    espeak_ERROR (*set_parameter)(espeak_PARAMETER, int, int);
    espeak_ERROR (*set_voice_by_name)(const char *);
    espeak_ERROR (*synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,
                          unsigned int *, void *);
    espeak_ERROR (*terminate)(void);
    int ok;
    int started;   /* the sample rate once espeak_Initialize succeeded; 0 before or after failing */
} es;
static pthread_once_t es_once = PTHREAD_ONCE_INIT;

static void es_load(void)
{
    static const char *const names[] = {"espeak_Initialize",     "espeak_SetSynthCallback", "espeak_SetParameter",
                                        "espeak_SetVoiceByName", "espeak_Synth",            "espeak_Terminate"};
    static void **const slots[] = {(void **)&es.initialize,        (void **)&es.set_synth_callback,
                                   (void **)&es.set_parameter,     (void **)&es.set_voice_by_name,
                                   (void **)&es.synth,             (void **)&es.terminate};
    _Static_assert(sizeof names / sizeof names[0] == sizeof slots / sizeof slots[0], "one slot per name");
    es.ok = dl_load("libespeak-ng.so.1", names, slots, sizeof names / sizeof names[0]);
}

typedef struct sink {
    int16_t *pcm;
    size_t n, cap;
    int oom;
} sink;

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    sink *s = events ? events->user_data : NULL;
    if (!s || !wav || n <= 0) return 0;
    if (s->n + (size_t)n > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 65536;
        while (nc < s->n + (size_t)n) nc *= 2;
        int16_t *np = realloc(s->pcm, nc * sizeof *np);
        if (!np) { s->oom = 1; return 1; }
        s->pcm = np;
        s->cap = nc;
    }
    memcpy(s->pcm + s->n, wav, (size_t)n * sizeof *wav);
    s->n += (size_t)n;
    return 0;
}

int speech_init(const char *data_path)
{
    pthread_once(&es_once, es_load);
    if (!es.ok) return -1;
    if (es.started) return es.started;
    /* without DONT_EXIT espeak-ng calls exit(1) when its data is missing: the kiosk would end
     * on a tap of the speaker. With it, the failure is only printed and the rate returned all
     * the same, so a voice that loads is the test of a working start. */
    int rate = es.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) return -1;
    if (es.set_voice_by_name("en") != EE_OK) {
        es.terminate();
        return -1;
    }
    es.started = rate;
    es.set_synth_callback(on_samples);
    es.set_parameter(espeakRATE, 150, 0); /* a little slower than the default 175 */
    return rate;
}

void speech_term(void)
{
    if (es.started) es.terminate();
    es.started = 0;
}

/* The voice of a language: i18n's table says which espeak-ng voice reads it. */
static const char *voice_of(const char *lang)
{
    const i18n_lang *l = i18n_lang_find(lang);
    return l ? l->voice : NULL;
}

int speech_has_voice(const char *lang) { return lang && voice_of(lang) != NULL; }

int speech_synth(const char *lang, const char *text, int16_t **pcm, size_t *nsamples)
{
    *pcm = NULL;
    *nsamples = 0;
    const char *v = lang ? voice_of(lang) : NULL;
    if (!v || !es.started || es.set_voice_by_name(v) != EE_OK) return -1;
    /* the screen's texts carry bidi isolates around numbers and addresses (text_unit): not for the ear */
    size_t tl = strlen(text), o = 0;
    char *plain = malloc(tl + 1);
    if (!plain) return -1;
    for (size_t i = 0; i < tl; i++) {
        const unsigned char *u = (const unsigned char *)text + i;
        if (i + 2 < tl && u[0] == 0xE2 && ((u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9) ||
                                            (u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE))) {
            i += 2;
            continue;
        }
        plain[o++] = text[i];
    }
    plain[o] = 0;
    sink s = {0};
    espeak_ERROR e = es.synth(plain, o + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &s);
    free(plain);
    if (e != EE_OK || s.oom || s.n == 0) {
        free(s.pcm);
        return -1;
    }
    *pcm = s.pcm;
    *nsamples = s.n;
    return 0;
}
