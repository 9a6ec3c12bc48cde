/*
 * input: touch gestures from raw pointer events, and every number that tunes how touch feels
 * (slop, release speed, fling window, friction, stop speed, long press) in one object, as LVGL's
 * lv_indev keeps them. No SDL here: the event loop and the script replay feed it positions and
 * times; the UI reads the gestures; the app coasts scrolling with the same tuning.
 */
#ifndef KIOSK_INPUT_H
#define KIOSK_INPUT_H

/* How touch feels. input_tuning_default() gives the values tried on 7" to 24" panels. */
typedef struct input_tuning {
    int slop_px;            /* a finger may wander this far before a press becomes a drag */
    float smoothing;        /* weight of the newest move in the release speed (0..1) */
    int fling_window_ms;    /* a release later than this after the last move does not fling */
    float friction;         /* share of the scrolling speed left after one second of coasting */
    float stop_speed;       /* px/s: coasting slower than this stops */
    int long_press_ms;      /* a press held this long is a long press (the hidden staff gesture) */
} input_tuning;

input_tuning input_tuning_default(void);

/* The gestures seen since the last frame. */
typedef struct input_gesture {
    int down, up, moved;   /* events seen */
    int x, y;              /* current position */
    int tap;               /* a press and release without dragging */
    int tap_x, tap_y;
    int tap_ms;            /* how long the finger rested before the tap's release */
    int long_press;        /* the tap was held at least long_press_ms */
    int drag_dy;           /* vertical drag since the last frame, px (finger moving down > 0) */
    float fling;           /* vertical speed at the release of a drag, px/s; 0 = none */
} input_gesture;

/* One pointer's recogniser. */
typedef struct input_dev {
    input_tuning t;
    int pressed, dragging;
    int px, py, sx, sy;    /* last and first position of the press */
    double down_ms, last_move_ms;
    float vel;             /* smoothed vertical speed, px/s */
} input_dev;

void input_init(input_dev *d, const input_tuning *t);

/* Feed a press, a move, a release at time t_ms (any monotonic clock); each adds to g. */
void input_down(input_dev *d, int x, int y, double t_ms, input_gesture *g);
void input_move(input_dev *d, int x, int y, double t_ms, input_gesture *g);
void input_up(input_dev *d, int x, int y, double t_ms, input_gesture *g);

/*
 * Coast: move a scroll position by *velocity for dt_s seconds with friction; *velocity slows
 * and becomes 0 below the stop speed. Returns the distance moved, px.
 */
float input_coast(const input_tuning *t, float *velocity, float dt_s);

#endif
