/* eye/adapt.c: the untied saccade motor map (adapt.h). */
#include "eye/adapt.h"

#include <math.h>
#include <string.h>

const float saccade_map_amp_edges_deg[SACCADE_MAP_AMPS - 1] = {2.0f, 6.0f};

void saccade_map_init(SaccadeMap *m)
{
    memset(m, 0, sizeof(*m));
    for (int b = 0; b < SACCADE_MAP_BINS; b++)
        m->gx[b] = m->gy[b] = 1.0f;
}

int saccade_map_bin(float dx, float dy, float px_per_deg)
{
    const double two_pi = 6.283185307179586;
    double th = atan2((double)dy, (double)dx); /* -pi..pi */
    int dir = (int)floor((th + two_pi / (2 * SACCADE_MAP_DIRS)) / two_pi * SACCADE_MAP_DIRS);
    dir = ((dir % SACCADE_MAP_DIRS) + SACCADE_MAP_DIRS) % SACCADE_MAP_DIRS;
    float amp = hypotf(dx, dy) / px_per_deg;
    int a = 0;
    while (a < SACCADE_MAP_AMPS - 1 && amp >= saccade_map_amp_edges_deg[a])
        a++;
    return dir * SACCADE_MAP_AMPS + a;
}

void saccade_map_motor(const SaccadeMap *m, float px_per_deg, float dx, float dy, float *mx,
                       float *my)
{
    int b = saccade_map_bin(dx, dy, px_per_deg);
    *mx = m->gx[b] * dx;
    *my = m->gy[b] * dy;
}

static float clampg(float g)
{
    return g < -SACCADE_MAP_GAIN_MAX ? -SACCADE_MAP_GAIN_MAX
                                     : (g > SACCADE_MAP_GAIN_MAX ? SACCADE_MAP_GAIN_MAX : g);
}

void saccade_map_learn(SaccadeMap *m, float px_per_deg, float rate, float tx, float ty, float vx,
                       float vy, float mx, float my)
{
    float v2 = vx * vx + vy * vy;
    if (!(rate > 0.0f) || !isfinite(v2) || !isfinite(mx) || !isfinite(my) ||
        v2 < 0.01f * px_per_deg * px_per_deg)
        return;
    int b = saccade_map_bin(tx, ty, px_per_deg);
    const float e2 = SACCADE_MAP_AXIS_EPS_DEG * SACCADE_MAP_AXIS_EPS_DEG * px_per_deg * px_per_deg;
    m->gx[b] = clampg(m->gx[b] + rate * (mx - m->gx[b] * vx) * vx / (vx * vx + e2));
    m->gy[b] = clampg(m->gy[b] + rate * (my - m->gy[b] * vy) * vy / (vy * vy + e2));
    if (m->n[b] < INT32_MAX)
        m->n[b]++;
}

int saccade_map_valid(const SaccadeMap *m)
{
    for (int b = 0; b < SACCADE_MAP_BINS; b++)
        if (!(fabsf(m->gx[b]) <= SACCADE_MAP_GAIN_MAX) ||
            !(fabsf(m->gy[b]) <= SACCADE_MAP_GAIN_MAX) || m->n[b] < 0)
            return 0;
    return 1;
}
