/*
 * find.c: search as you type and the guided questions (app_priv.h). The query lives only in
 * app state: never stored, never logged, wiped at idle reset.
 */
#include "app_priv.h"

#include "platform/log.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Offers a page of search results holds; scrolling to its end loads the next. */
#define SEARCH_PAGE 40

/* The query's first page, or (more) one page more than shown, keeping the scroll position. */
static void run_search(app *a, int more)
{
    app_state *s = &a->s;
    int want = more ? s->nfound + SEARCH_PAGE : SEARCH_PAGE;
    app_free_found(a);
    if (!more) s->scroll[SCREEN_SEARCH] = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s->query; *p; p++)
        if ((*p & 0xC0) != 0x80 && *p != ' ') chars++;
    if (chars == 0) {
        s->search_state = SEARCH_EMPTY;
        return;
    }
    int rc = store_search_page(a->st, s->query, s->chain, s->nchain, 0, want, &s->found, &s->nfound, &s->found_total,
                               &s->found_exact);
    if (rc == 0 && more && s->nfound < want) s->found_total = s->nfound; /* a lower bound ran out: that was all */
    if (rc < 0) log_msg("store", "search failed: %s", store_errmsg(a->st)); /* never the query itself */
    if (rc == 1) s->search_state = SEARCH_UNAVAILABLE;
    else if (s->nfound > 0) s->search_state = SEARCH_RESULTS;
    else s->search_state = chars < 2 ? SEARCH_SHORT : SEARCH_NONE_FOUND;
}

static void show_matches(app *a, const char *const *ids, int n)
{
    app_state *s = &a->s;
    int urgent = s->urgent;
    app_free_matches(a);
    s->urgent = urgent;
    if (store_match(a->st, ids, n, s->chain, s->nchain, &s->matches, &s->match_why, &s->nmatches) != 0)
        log_msg("store", "matching: %s", store_errmsg(a->st));
    s->scroll[SCREEN_MATCHES] = 0;
    app_go(a, SCREEN_MATCHES);
}

/* An answer to the question shown ("" skips it); the last one, or an urgent one, shows the matches. */
static int answer(app *a, const char *id)
{
    app_state *s = &a->s;
    const store_question *q = &s->questions[s->question];
    const store_answer *chosen = NULL;
    for (int i = 0; i < q->nanswers; i++)
        if (!strcmp(q->answers[i].id, id)) chosen = &q->answers[i];
    size_t len = strlen(id);
    if ((id[0] && !chosen) || len >= sizeof s->answers[0]) return 0;
    if (s->question < (int)(sizeof s->answers / sizeof s->answers[0])) memcpy(s->answers[s->question], id, len + 1);
    if (chosen && chosen->urgent) {
        /* someone not safe sees help first, not four more questions */
        const char *ids[] = {chosen->id};
        s->urgent = 1;
        show_matches(a, ids, 1);
        return 1;
    }
    s->urgent = 0;
    if (s->question + 1 < s->nquestions) {
        s->question++;
        s->scroll[SCREEN_QUESTION] = 0; /* each question from its top */
        return 1;
    }
    const char *ids[8];
    int n = 0;
    for (int i = 0; i < s->nquestions && i < 8; i++)
        if (s->answers[i][0]) ids[n++] = s->answers[i];
    show_matches(a, ids, n);
    return 1;
}

int app_find_apply(app *a, const action *act)
{
    app_state *s = &a->s;
    switch (act->kind) {
    case ACT_SEARCH:
        /* once per process: what the first key in Arabic or Cyrillic would otherwise wait for */
        if (store_search_prepare(a->st) < 0) log_msg("store", "search: %s", store_errmsg(a->st));
        s->kb_hidden = s->kb_choosing = 0;
        app_go(a, SCREEN_SEARCH);
        s->scroll[SCREEN_SEARCH] = 0;
        run_search(a, 0);
        return 1;
    case ACT_KEY:
        if (s->screen != SCREEN_SEARCH || strlen(s->query) + strlen(act->arg) >= sizeof s->query - 1) return 0;
        app_type_into(s->query, sizeof s->query, act->arg);
        s->kb_pending[0] = 0;
        run_search(a, 0);
        return 1;
    case ACT_KEY_DELETE:
        if (s->kb_pending[0]) { s->kb_pending[0] = 0; return 1; }
        if (!app_delete_last(s->query)) return 0;
        run_search(a, 0);
        return 1;
    case ACT_KEY_CLEAR:
        sodium_memzero(s->query, sizeof s->query);
        s->kb_pending[0] = 0;
        run_search(a, 0);
        return 1;
    case ACT_KEY_PENDING:
        /* the same consonant again takes it back */
        if (!strcmp(s->kb_pending, act->arg)) s->kb_pending[0] = 0;
        else if (strlen(act->arg) < sizeof s->kb_pending) memcpy(s->kb_pending, act->arg, strlen(act->arg) + 1);
        return 1;
    case ACT_SEARCH_MORE:
        /* within a screen of the list's end, and more were found than shown */
        if (s->screen != SCREEN_SEARCH || s->search_state != SEARCH_RESULTS || s->nfound >= s->found_total ||
            a->max_scroll - s->scroll[SCREEN_SEARCH] > act->value)
            return 0;
        run_search(a, 1);
        return 1;
    case ACT_KB_LAYOUT:
        if (strlen(act->arg) >= sizeof s->kb_layout) return 0;
        memcpy(s->kb_layout, act->arg, strlen(act->arg) + 1);
        s->kb_pending[0] = 0;
        s->kb_choosing = 0;
        return 1;
    case ACT_KB_CHOOSE:
        s->kb_choosing = !s->kb_choosing;
        s->kb_pending[0] = 0;
        return 1;
    case ACT_KB_HIDE:
        if (s->screen != SCREEN_SEARCH) return 0;
        s->kb_hidden = act->value > 0.5f;
        s->kb_choosing = 0;
        return 1;
    case ACT_GUIDE:
        if (s->nquestions == 0) return 0;
        memset(s->answers, 0, sizeof s->answers);
        app_free_matches(a);
        s->question = 0;
        s->scroll[SCREEN_QUESTION] = 0;
        app_go(a, SCREEN_QUESTION);
        return 1;
    case ACT_ANSWER:
        return s->screen == SCREEN_QUESTION && answer(a, act->arg);
    default:
        return -1;
    }
}
