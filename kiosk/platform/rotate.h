/*
 * rotate: the panel may be mounted turned (portrait on a landscape panel, upside down). The UI
 * always lays out in the logical orientation; this maps the panel's touch points back to it.
 */
#ifndef KIOSK_ROTATE_H
#define KIOSK_ROTATE_H

/* Logical size for a panel of pw x ph turned by deg (0, 90, 180, 270, clockwise). */
void rotate_logical_size(int deg, int pw, int ph, int *lw, int *lh);

/* A panel point (sx, sy) as a point of the logical lw x lh layout. */
void rotate_to_logical(int deg, int lw, int lh, int sx, int sy, int *lx, int *ly);

/* A logical point on the panel (the inverse of rotate_to_logical). */
void rotate_to_panel(int deg, int lw, int lh, int lx, int ly, int *sx, int *sy);

#endif
