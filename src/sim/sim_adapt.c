/* sim/sim_adapt.c: the tick's saccade adaptation (sim_adapt.h). */
#include "sim/sim_adapt.h"

#include <math.h>

static void clamp_world(const Eye *e, float *x, float *y)
{
    float mx = (float)(e->world_w - 1), my = (float)(e->world_h - 1);
    *x = *x < 0 ? 0 : (*x > mx ? mx : *x);
    *y = *y < 0 ? 0 : (*y > my ? my : *y);
}

void sim_adapt_saccade_start(SimAdapt *a, Eye *e)
{
    const EyeParams *p = &e->p;
    float dx = e->aim_x - e->from_x, dy = e->aim_y - e->from_y;
    int b = saccade_map_bin(dx, dy, p->px_per_deg);
    float gx = a->map.gx[b], gy = a->map.gy[b];
    float ax = e->from_x + gx * dx, ay = e->from_y + gy * dy;
    float lx = e->from_x + gx * (e->to_x - e->from_x), ly = e->from_y + gy * (e->to_y - e->from_y);
    clamp_world(e, &ax, &ay);
    clamp_world(e, &lx, &ly);
    e->aim_x = ax;
    e->aim_y = ay;
    e->to_x = lx;
    e->to_y = ly;
    float flown = hypotf(lx - e->from_x, ly - e->from_y) / p->px_per_deg;
    e->sacc_dur_ms = eye_saccade_duration_ms(p, flown);
    e->last_amp_deg = flown;
    e->last_dur_ms = (float)e->sacc_dur_ms;
    e->last_peak_vel = eye_peak_velocity_deg_s(p, flown);
    a->pending = 1;
    a->r0x = dx;
    a->r0y = dy;
    a->mx = lx - e->from_x;
    a->my = ly - e->from_y;
}

/* Where the target is in this glimpse (world px): see sim_adapt.h. */
static int find_target(const Eye *e, const Retina *view, const Image *pr, int cell_px, float *tx,
                       float *ty)
{
    if (eye_object_near(view, e->x, e->y, tx, ty))
        return 1;
    float best = e->p.min_priority;
    int bi = -1, bj = -1;
    for (int j = 0; j < pr->h; j++) {
        const float *row = image_row(pr, j);
        for (int i = 0; i < pr->w; i++)
            if (row[i] > best) {
                best = row[i];
                bi = i;
                bj = j;
            }
    }
    if (bi < 0)
        return 0;
    float cx = (bi + 0.5f) * (float)cell_px, cy = (bj + 0.5f) * (float)cell_px, ox, oy;
    if (eye_object_centre(view, cx, cy, &ox, &oy) &&
        hypotf(ox - cx, oy - cy) <= 1.5f * (float)cell_px) {
        cx = ox;
        cy = oy;
    }
    *tx = cx;
    *ty = cy;
    return 1;
}

void sim_adapt_glimpse(SimAdapt *a, float rate, const Eye *e, const Retina *view,
                       const Image *priority, int cell_px)
{
    a->pending = 0;
    float tx, ty;
    if (!priority || !find_target(e, view, priority, cell_px, &tx, &ty)) {
        if (a->missed < INT32_MAX)
            a->missed++;
        return;
    }
    float r1x = tx - e->x, r1y = ty - e->y;
    saccade_map_learn(&a->map, e->p.px_per_deg, rate, a->r0x, a->r0y, a->r0x - r1x, a->r0y - r1y,
                      a->mx, a->my);
    a->err_deg[a->saccades % SIM_ADAPT_HISTORY] = hypotf(r1x, r1y) / e->p.px_per_deg;
    if (a->saccades < INT32_MAX)
        a->saccades++;
}

int sim_adapt_check(const SimAdapt *a)
{
    if (!saccade_map_valid(&a->map) || (a->pending != 0 && a->pending != 1) || a->saccades < 0 ||
        a->missed < 0)
        return 0;
    for (int i = 0; i < SIM_ADAPT_HISTORY; i++)
        if (!(a->err_deg[i] >= 0.0f && a->err_deg[i] < 1e6f))
            return 0;
    return isfinite(a->r0x) && isfinite(a->r0y) && isfinite(a->mx) && isfinite(a->my);
}
