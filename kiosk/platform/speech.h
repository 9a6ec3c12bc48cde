/*
 * speech: reading a screen aloud, offline, with espeak-ng. Synthesis returns 16-bit mono PCM
 * that the caller plays (SDL audio) or writes (tests). espeak-ng is not thread-safe: one
 * synthesis at a time, from one thread at a time.
 */
#ifndef KIOSK_SPEECH_H
#define KIOSK_SPEECH_H

#include <stddef.h>
#include <stdint.h>

/* The sample rate espeak-ng's voices speak at, known before it starts. */
#define SPEECH_RATE 22050

/* Start espeak-ng with its data from data_path (the folder holding espeak-ng-data; NULL: the
 * system package). Returns the sample rate, or -1 when espeak-ng or its data is missing: speech
 * is then unavailable (synthesis fails) and the program goes on. */
int speech_init(const char *data_path);
void speech_term(void);

/* Whether espeak-ng has a voice for our language code (no voice: no speaker button). */
int speech_has_voice(const char *lang);

/*
 * Synthesise UTF-8 text in lang into a new buffer of samples the caller frees. Returns 0, or
 * -1 when there is no voice or synthesis failed.
 */
int speech_synth(const char *lang, const char *text, int16_t **pcm, size_t *nsamples);

#endif
