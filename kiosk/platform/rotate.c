/*
 * rotate.c: panel <-> layout coordinates for a turned panel (rotate.h).
 */
#include "rotate.h"

void rotate_logical_size(int deg, int pw, int ph, int *lw, int *lh)
{
    int turned = deg == 90 || deg == 270;
    *lw = turned ? ph : pw;
    *lh = turned ? pw : ph;
}

void rotate_to_panel(int deg, int lw, int lh, int lx, int ly, int *sx, int *sy)
{
    switch (deg) {
    case 90: *sx = lh - 1 - ly; *sy = lx; break;
    case 180: *sx = lw - 1 - lx; *sy = lh - 1 - ly; break;
    case 270: *sx = ly; *sy = lw - 1 - lx; break;
    default: *sx = lx; *sy = ly; break;
    }
}

void rotate_to_logical(int deg, int lw, int lh, int sx, int sy, int *lx, int *ly)
{
    switch (deg) {
    case 90: *lx = sy; *ly = lh - 1 - sx; break;
    case 180: *lx = lw - 1 - sx; *ly = lh - 1 - sy; break;
    case 270: *lx = lw - 1 - sy; *ly = sx; break;
    default: *lx = sx; *ly = sy; break;
    }
}
