/*
 * damage.c: the frame's display list and how much of it reaches the pixels (damage.h).
 *
 * Drawing stays a function of the state: every frame the screens record everything they
 * draw. Only the way to the pixels changes. With the software renderer on the window's
 * surface the pixels of the last frame are still there, so the new list is compared with the
 * last one: the same list draws nothing; the same commands but a few draws the box around those
 * that differ, or that came or went (cleared, then every command that touches it, clipped to
 * it); a scrolled view whose fixed parts are unchanged and whose content is the same, moved,
 * has its rows of pixels moved and only the strip that came into view drawn. Each shortcut is taken only when it gives
 * the pixels of the whole list: the argument is in the comments of scroll_fits and diff_box.
 * Anything else (an accelerated renderer, whose back buffer is lost at each present) draws the
 * whole list on a cleared frame, as every frame did before.
 */
#include "damage.h"

#include <stdlib.h>
#include <string.h>

static uint32_t rgba(SDL_Color c)
{
    return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static void set_rgba(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
}

static int rect_eq(const SDL_Rect *a, const SDL_Rect *b)
{
    return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/* a within b */
static int rect_in(const SDL_Rect *a, const SDL_Rect *b)
{
    return a->x >= b->x && a->y >= b->y && a->x + a->w <= b->x + b->w && a->y + a->h <= b->y + b->h;
}

/* The pixels a command may change: its destination inside its clip and the screen. */
static int reach(const draw_list *l, const draw_cmd *c, SDL_Rect *out)
{
    SDL_Rect screen = {0, 0, l->w, l->h}, a;
    return SDL_IntersectRect(&c->dst, &c->clip, &a) && SDL_IntersectRect(&a, &screen, out);
}

static draw_list *cur_list(draw_state *d) { return &d->list[d->cur]; }

static void issue(draw_state *d, const draw_cmd *c, const SDL_Rect *clip)
{
    SDL_RenderSetClipRect(d->r, clip);
    if (!c->tex) {
        set_rgba(d->r, (uint32_t)c->id);
        SDL_RenderFillRect(d->r, &c->dst);
    } else if (c->flip) {
        SDL_RenderCopyEx(d->r, c->tex, NULL, &c->dst, 0, NULL, SDL_FLIP_HORIZONTAL);
    } else {
        SDL_RenderCopy(d->r, c->tex, NULL, &c->dst);
    }
}

/* The whole list on a cleared frame. */
static void draw_full(draw_state *d, const draw_list *l)
{
    SDL_RenderSetClipRect(d->r, NULL);
    set_rgba(d->r, l->bg);
    SDL_RenderClear(d->r);
    for (int i = 0; i < l->n; i++) issue(d, &l->c[i], &l->c[i].clip);
    SDL_RenderSetClipRect(d->r, NULL);
}

/* Box b of the frame as the whole list would draw it: cleared, then every command that
 * touches it, clipped to it (each pixel gets the same commands in the same order). */
static void draw_box(draw_state *d, const draw_list *l, SDL_Rect b)
{
    SDL_RenderSetClipRect(d->r, &b);
    set_rgba(d->r, l->bg);
    SDL_RenderFillRect(d->r, &b);
    for (int i = 0; i < l->n; i++) {
        SDL_Rect e, clip;
        if (!reach(l, &l->c[i], &e) || !SDL_HasIntersection(&e, &b)) continue;
        SDL_IntersectRect(&l->c[i].clip, &b, &clip);
        issue(d, &l->c[i], &clip);
    }
    SDL_RenderSetClipRect(d->r, NULL);
}

void dl_begin(draw_state *d, int w, int h, SDL_Color bg)
{
    draw_list *l = cur_list(d);
    /* a record that was not shown, but drew as it came: the canvas no longer holds the last frame */
    if (l->broken) d->list[!d->cur].valid = 0;
    l->n = 0;
    l->valid = l->broken = 0;
    l->bg = rgba(bg);
    l->w = w;
    l->h = h;
    l->views = 0;
    d->clip_on = d->in_view = 0;
}

static void record(draw_state *d, draw_cmd c)
{
    draw_list *l = cur_list(d);
    c.clip = d->clip_on ? d->clip : (SDL_Rect){0, 0, l->w, l->h};
    c.layer = (unsigned char)d->in_view;
    /* a clip wider than the view inside it: its content is no longer only the view's */
    if (d->in_view && !rect_in(&c.clip, &l->view)) l->views = -1;
    if (l->broken) {
        issue(d, &c, &c.clip);
        return;
    }
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 512;
        draw_cmd *nc = realloc(l->c, sizeof *nc * (size_t)cap);
        if (!nc) {
            /* out of memory: what is recorded is drawn now, the rest as it comes */
            l->broken = 1;
            draw_full(d, l);
            issue(d, &c, &c.clip);
            return;
        }
        l->c = nc;
        l->cap = cap;
    }
    l->c[l->n++] = c;
}

void dl_fill(draw_state *d, SDL_Rect dst, SDL_Color c)
{
    record(d, (draw_cmd){.id = rgba(c), .dst = dst});
}

void dl_copy(draw_state *d, SDL_Texture *t, uint64_t id, SDL_Rect dst, int flip)
{
    int tw = 0, th = 0;
    SDL_QueryTexture(t, NULL, NULL, &tw, &th);
    record(d, (draw_cmd){.tex = t, .id = id, .dst = dst, .flip = (unsigned char)!!flip,
                         .scaled = (unsigned char)(tw != dst.w || th != dst.h)});
}

void dl_clip(draw_state *d, const SDL_Rect *clip)
{
    d->in_view = 0;
    d->clip_on = clip != NULL;
    if (clip) d->clip = *clip;
}

void dl_view(draw_state *d, SDL_Rect view, int scroll)
{
    draw_list *l = cur_list(d);
    dl_clip(d, &view);
    d->in_view = 1;
    if (l->views == 0) {
        l->views = 1;
        l->view = view;
        l->scroll = scroll;
    } else {
        l->views = -1; /* two views: which one moved? */
    }
}

static int cmd_eq(const draw_cmd *a, const draw_cmd *b)
{
    return a->id == b->id && (a->tex == NULL) == (b->tex == NULL) && a->flip == b->flip && a->layer == b->layer &&
           rect_eq(&a->dst, &b->dst) && rect_eq(&a->clip, &b->clip);
}

/* Whether drawing box b would cut a scaled copy: clipped elsewhere it samples other pixels. */
static int cuts_scaled(const draw_list *l, const SDL_Rect *b)
{
    for (int i = 0; i < l->n; i++) {
        SDL_Rect e;
        if (l->c[i].scaled && reach(l, &l->c[i], &e) && SDL_HasIntersection(&e, b) && !rect_in(&e, b)) return 1;
    }
    return 0;
}

/*
 * Whether the frame is the last one with its view's content moved up by dy; then the boxes to
 * draw after the move: the strip that came into view, and where fixed commands reach into the
 * view (a tall title's ink), before and after the move. It is when (1) the commands outside the
 * view are the last frame's, in order: each pixel they reach gets the same commands as before
 * where they do not reach into the view, and is drawn again where they do; (2) the view's
 * commands clip to it, so reach nothing outside it; (3) the view's commands that reach the rows
 * that stay in view (keep) are the last frame's that reached those rows before the move, in
 * order, each moved by dy with its clip there the same: then each pixel that stays gets what its
 * old pixel dy rows further got. Clipped scaled copies sample differently where the clip cuts
 * them, so no scaled copy may move. Returns how many boxes, 0 when it is not a scroll.
 */
static int scroll_fits(const draw_list *p, const draw_list *l, SDL_Rect box[3], SDL_Rect *keep)
{
    SDL_Rect screen = {0, 0, l->w, l->h}, v, fixed = {0, 0, 0, 0};
    if (l->views != 1 || p->views != 1 || !rect_eq(&l->view, &p->view) || !SDL_IntersectRect(&l->view, &screen, &v))
        return 0;
    int dy = l->scroll - p->scroll;
    int i = 0, j = 0;
    for (;;) {
        while (i < l->n && l->c[i].layer) i++;
        while (j < p->n && p->c[j].layer) j++;
        if (i == l->n || j == p->n) break;
        SDL_Rect e, in;
        if (!cmd_eq(&l->c[i], &p->c[j])) return 0;
        if (reach(l, &l->c[i], &e) && SDL_IntersectRect(&e, &v, &in)) {
            if (l->c[i].scaled) return 0; /* the boxes could cut it */
            if (SDL_RectEmpty(&fixed)) fixed = in;
            else SDL_UnionRect(&fixed, &in, &fixed);
        }
        i++, j++;
    }
    if (i != l->n || j != p->n) return 0;
    if (dy >= v.h || -dy >= v.h) {
        box[0] = v;
        *keep = (SDL_Rect){0, 0, 0, 0};
        return cuts_scaled(l, &v) ? 0 : 1;
    }
    SDL_Rect k = dy > 0 ? (SDL_Rect){v.x, v.y, v.w, v.h - dy} : (SDL_Rect){v.x, v.y - dy, v.w, v.h + dy};
    SDL_Rect ko = {k.x, k.y + dy, k.w, k.h}; /* the same rows before the move */
    i = j = 0;
    for (;;) {
        SDL_Rect e;
        while (i < l->n && !(l->c[i].layer && reach(l, &l->c[i], &e) && SDL_HasIntersection(&e, &k))) i++;
        while (j < p->n && !(p->c[j].layer && reach(p, &p->c[j], &e) && SDL_HasIntersection(&e, &ko))) j++;
        if (i == l->n || j == p->n) break;
        const draw_cmd *a = &l->c[i], *b = &p->c[j];
        SDL_Rect ca, cb;
        SDL_IntersectRect(&a->clip, &k, &ca);
        SDL_IntersectRect(&b->clip, &ko, &cb);
        cb.y -= dy;
        if (a->scaled || b->scaled || a->id != b->id || (a->tex == NULL) != (b->tex == NULL) || a->flip != b->flip ||
            a->dst.x != b->dst.x || a->dst.w != b->dst.w || a->dst.h != b->dst.h || a->dst.y != b->dst.y - dy ||
            !rect_eq(&ca, &cb))
            return 0;
        i++, j++;
    }
    if (i != l->n || j != p->n) return 0;
    *keep = k;
    box[0] = dy > 0 ? (SDL_Rect){v.x, v.y + v.h - dy, v.w, dy} : (SDL_Rect){v.x, v.y, v.w, -dy};
    int n = 1;
    if (!SDL_RectEmpty(&fixed)) {
        /* the fixed ink where it is now, and where the move took the old frame's copy of it */
        box[n++] = fixed;
        SDL_Rect moved = {fixed.x, fixed.y - dy, fixed.w, fixed.h};
        if (SDL_IntersectRect(&moved, &v, &box[n])) n++;
    }
    for (int b = 0; b < n; b++)
        if (cuts_scaled(l, &box[b])) return 0;
    return n;
}

static void add_reach(const draw_list *l, const draw_cmd *c, SDL_Rect *b)
{
    SDL_Rect e;
    if (!reach(l, c, &e)) return;
    if (SDL_RectEmpty(b)) *b = e;
    else SDL_UnionRect(b, &e, b);
}

/*
 * The box around what differs between two lists: a pixel outside it gets the same commands in
 * the same order. Lists of one length are compared command by command (one that differs reaches
 * only inside the box, in either frame); otherwise what lies between their common start and
 * common end (a notice that came or went: the commands before and after it are the same ones).
 * 0 when the box would cut a scaled copy.
 */
static int diff_box(const draw_list *p, const draw_list *l, SDL_Rect *box)
{
    SDL_Rect b = {0, 0, 0, 0};
    if (p->n == l->n) {
        for (int i = 0; i < l->n; i++)
            if (!cmd_eq(&l->c[i], &p->c[i])) {
                add_reach(l, &l->c[i], &b);
                add_reach(p, &p->c[i], &b);
            }
    } else {
        int n = p->n < l->n ? p->n : l->n, head = 0, tail = 0;
        while (head < n && cmd_eq(&l->c[head], &p->c[head])) head++;
        while (tail < n - head && cmd_eq(&l->c[l->n - 1 - tail], &p->c[p->n - 1 - tail])) tail++;
        for (int i = head; i < l->n - tail; i++) add_reach(l, &l->c[i], &b);
        for (int i = head; i < p->n - tail; i++) add_reach(p, &p->c[i], &b);
    }
    if (cuts_scaled(l, &b)) return 0;
    *box = b;
    return 1;
}

/* Move the rows of keep's view dy rows up (down when dy < 0) on the canvas. */
static void move_rows(draw_state *d, SDL_Rect keep, int dy)
{
    SDL_Surface *s = d->canvas;
    SDL_RenderFlush(d->r); /* the last frame's commands are on the pixels */
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0) return;
    int bpp = s->format->BytesPerPixel;
    uint8_t *px = s->pixels;
    size_t len = (size_t)keep.w * (size_t)bpp;
    if (keep.x == 0 && keep.w == s->w) {
        memmove(px + (size_t)keep.y * (size_t)s->pitch, px + (size_t)(keep.y + dy) * (size_t)s->pitch,
                (size_t)(keep.h - 1) * (size_t)s->pitch + len);
    } else {
        for (int k = 0; k < keep.h; k++) {
            int y = dy > 0 ? keep.y + k : keep.y + keep.h - 1 - k;
            memmove(px + (size_t)y * (size_t)s->pitch + (size_t)keep.x * (size_t)bpp,
                    px + (size_t)(y + dy) * (size_t)s->pitch + (size_t)keep.x * (size_t)bpp, len);
        }
    }
    if (SDL_MUSTLOCK(s)) SDL_UnlockSurface(s);
}

void dl_end(draw_state *d)
{
    draw_list *l = cur_list(d), *p = &d->list[!d->cur];
    d->clip_on = d->in_view = 0;
    int kind = DRAW_FULL, diff, nb;
    SDL_Rect box, boxes[3], keep;
    if (l->broken) {
        kind = DRAW_FULL; /* drawn already, as it came */
    } else if (!d->canvas || !p->valid || p->w != l->w || p->h != l->h || p->bg != l->bg || d->canvas->w != l->w ||
               d->canvas->h != l->h) {
        draw_full(d, l);
    } else if ((diff = diff_box(p, l, &box)) && SDL_RectEmpty(&box)) {
        kind = DRAW_NOTHING;
    } else if (l->scroll != p->scroll && (nb = scroll_fits(p, l, boxes, &keep)) > 0) {
        kind = DRAW_SCROLLED;
        if (!SDL_RectEmpty(&keep)) move_rows(d, keep, l->scroll - p->scroll);
        for (int i = 0; i < nb; i++) draw_box(d, l, boxes[i]);
    } else if (diff && (long)box.w * box.h * 2 <= (long)l->w * l->h) {
        /* more than half the screen: clearing it all costs about as much */
        kind = DRAW_PARTIAL;
        draw_box(d, l, box);
    } else {
        draw_full(d, l);
    }
    d->counts[kind]++;
    l->valid = d->canvas && !l->broken;
    p->valid = 0;
    d->cur = !d->cur;
}

void dl_forget(draw_state *d)
{
    d->list[0].valid = d->list[1].valid = 0;
}

void dl_free(draw_state *d)
{
    free(d->list[0].c);
    free(d->list[1].c);
    d->list[0] = d->list[1] = (draw_list){0};
}
