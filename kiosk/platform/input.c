/*
 * input.c: gesture recognition and touch tuning (input.h).
 */
#include "input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

input_tuning input_tuning_default(void)
{
    return (input_tuning){
        .slop_px = 12,
        .smoothing = 0.4f,
        .fling_window_ms = 80,
        .friction = 0.08f, /* loses 92 % of its speed per second */
        .stop_speed = 30.0f,
        .long_press_ms = 3000,
    };
}

void input_init(input_dev *d, const input_tuning *t)
{
    memset(d, 0, sizeof *d);
    d->t = t ? *t : input_tuning_default();
}

void input_down(input_dev *d, int x, int y, double t_ms, input_gesture *g)
{
    d->pressed = 1;
    d->dragging = 0;
    d->px = d->sx = x;
    d->py = d->sy = y;
    d->vel = 0;
    d->down_ms = d->last_move_ms = t_ms;
    g->down = 1;
    g->x = x;
    g->y = y;
}

void input_move(input_dev *d, int x, int y, double t_ms, input_gesture *g)
{
    if (!d->pressed) return;
    if (!d->dragging && (abs(y - d->sy) > d->t.slop_px || abs(x - d->sx) > d->t.slop_px)) d->dragging = 1;
    if (d->dragging) {
        int dy = y - d->py;
        g->drag_dy += dy;
        if (t_ms > d->last_move_ms)
            d->vel = (1.0f - d->t.smoothing) * d->vel + d->t.smoothing * (float)(dy / ((t_ms - d->last_move_ms) / 1000.0));
        d->last_move_ms = t_ms;
        g->moved = 1;
    }
    d->px = x;
    d->py = y;
    g->x = x;
    g->y = y;
}

void input_up(input_dev *d, int x, int y, double t_ms, input_gesture *g)
{
    if (!d->pressed) return;
    d->pressed = 0;
    g->up = 1;
    g->x = x;
    g->y = y;
    if (!d->dragging) {
        g->tap = 1;
        g->tap_x = x;
        g->tap_y = y;
        g->tap_ms = (int)(t_ms - d->down_ms);
        g->long_press = g->tap_ms >= d->t.long_press_ms;
    } else if (t_ms - d->last_move_ms < d->t.fling_window_ms) {
        g->fling = d->vel;
    }
}

float input_coast(const input_tuning *t, float *velocity, float dt_s)
{
    float moved = *velocity * dt_s;
    *velocity *= powf(t->friction, dt_s);
    if (fabsf(*velocity) < t->stop_speed) *velocity = 0;
    return moved;
}
