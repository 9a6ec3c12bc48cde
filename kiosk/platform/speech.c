/*
 * speech.c: espeak-ng synthesis into memory (speech.h).
 */
#include "speech.h"

#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>

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

int speech_init(void)
{
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0);
    if (rate <= 0) return -1;
    espeak_SetSynthCallback(on_samples);
    espeak_SetParameter(espeakRATE, 150, 0); /* a little slower than the default 175 */
    return rate;
}

void speech_term(void) { espeak_Terminate(); }

/* the languages of ours that espeak-ng 1.51 has a voice for; the voice names equal our codes */
static const char *voice_of(const char *lang)
{
    static const char *const ours[] = {"de", "en", "ar", "fa", "ku", "tr", "ru", "uk", "fr", "sq", "ur", NULL};
    for (int i = 0; ours[i]; i++)
        if (!strcmp(lang, ours[i])) return lang;
    return NULL;
}

int speech_has_voice(const char *lang) { return lang && voice_of(lang) != NULL; }

int speech_synth(const char *lang, const char *text, int16_t **pcm, size_t *nsamples)
{
    *pcm = NULL;
    *nsamples = 0;
    const char *v = lang ? voice_of(lang) : NULL;
    if (!v || espeak_SetVoiceByName(v) != EE_OK) return -1;
    sink s = {0};
    espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &s);
    if (e != EE_OK || s.oom || s.n == 0) {
        free(s.pcm);
        return -1;
    }
    *pcm = s.pcm;
    *nsamples = s.n;
    return 0;
}
