/* sim_objects.c: object files (see sim_objects.h). */
#include "sim/sim_objects.h"

#include <math.h>
#include <string.h>

static float tau_ms(int32_t kind)
{
    return kind == SIM_OBJ_READ      ? SIM_OBJ_READ_TAU_MS
           : kind == SIM_OBJ_NOTHING ? SIM_OBJ_NOTHING_TAU_MS
                                     : SIM_OBJ_LOOKED_TAU_MS;
}

static void clamp_speed(SimObjectFile *f, float px_per_deg)
{
    float vmax = SIM_OBJ_MAX_SPEED_DEG_S * px_per_deg * 1e-3f, v = hypotf(f->vx, f->vy);
    if (!(v <= vmax)) {
        float k = isfinite(v) && v > 0 ? vmax / v : 0.0f;
        f->vx = isfinite(f->vx) ? f->vx * k : 0.0f;
        f->vy = isfinite(f->vy) ? f->vy * k : 0.0f;
    }
}

static void update_moving(SimObjectFile *f, float px_per_deg)
{
    if (f->moving)
        return;
    float moved = hypotf(f->x - f->ox, f->y - f->oy) / px_per_deg;
    float speed = hypotf(f->vx, f->vy) * 1e3f / px_per_deg;
    f->moving = moved >= SIM_OBJ_MOVED_DEG || speed >= SIM_OBJ_MOVING_DEG_S;
}

int sim_objects_note(SimObjects *o, SimObjectKind kind, int label, float confidence, int fixation,
                     float x, float y, float vx, float vy, double t_ms, float px_per_deg)
{
    if (kind == SIM_OBJ_FREE || !isfinite(x) || !isfinite(y))
        return 0;
    int pursued = vx != 0.0f || vy != 0.0f;
    float merge = SIM_OBJ_MERGE_DEG * px_per_deg, best_d = merge * merge;
    int slot = -1;
    for (int i = 0; i < SIM_OBJ_FILES; i++) {
        const SimObjectFile *f = &o->f[i];
        float dx = f->x - x, dy = f->y - y, d = dx * dx + dy * dy;
        if (f->kind != SIM_OBJ_FREE && d <= best_d) {
            best_d = d;
            slot = i;
        }
    }
    float strength = kind == SIM_OBJ_LOOKED ? SIM_OBJ_LOOKED_STRENGTH : 1.0f;
    if (slot >= 0) { /* the same object, looked at again: refresh its file */
        SimObjectFile *f = &o->f[slot];
        if ((int32_t)kind >= f->kind || f->strength < SIM_OBJ_LOOKED_STRENGTH) {
            f->kind = kind;
            f->label = kind == SIM_OBJ_READ ? label : -1;
            f->confidence = confidence;
        }
        f->strength = strength > f->strength ? strength : f->strength;
        f->fixation = fixation;
        f->x = f->ox = x; /* moved: measured by tracking from the last look, not look to look */
        f->y = f->oy = y;
        if (vx != 0.0f || vy != 0.0f) {
            f->vx = vx;
            f->vy = vy;
        }
        f->anchor_ms = t_ms;
        f->looks = kind == SIM_OBJ_READ ? 0 : (f->looks < 1000 ? f->looks + 1 : f->looks);
        f->pursued = pursued;
        clamp_speed(f, px_per_deg);
        update_moving(f, px_per_deg);
        return f->looks;
    }
    /* a free slot, else the weakest file */
    slot = 0;
    for (int i = 0; i < SIM_OBJ_FILES; i++) {
        if (o->f[i].kind == SIM_OBJ_FREE) {
            slot = i;
            break;
        }
        if (o->f[i].strength < o->f[slot].strength)
            slot = i;
    }
    SimObjectFile *f = &o->f[slot];
    memset(f, 0, sizeof(*f));
    f->x = f->ox = x;
    f->y = f->oy = y;
    f->vx = vx;
    f->vy = vy;
    f->strength = strength;
    f->confidence = confidence;
    f->kind = kind;
    f->label = kind == SIM_OBJ_READ ? label : -1;
    f->fixation = fixation;
    f->anchor_ms = t_ms;
    f->looks = kind != SIM_OBJ_READ;
    f->pursued = pursued;
    clamp_speed(f, px_per_deg);
    update_moving(f, px_per_deg);
    return f->looks;
}

void sim_objects_step(SimObjects *o, Saliency *sal, int track, double t_ms, double dt_ms,
                      float px_per_deg, int world_w, int world_h)
{
    const float sigma = SIM_OBJ_SIGMA_DEG * px_per_deg, gate = SIM_OBJ_GATE_DEG * px_per_deg;
    const float mx = (float)(world_w - 1), my = (float)(world_h - 1);
    for (int i = 0; i < SIM_OBJ_FILES; i++) {
        SimObjectFile *f = &o->f[i];
        if (f->kind == SIM_OBJ_FREE)
            continue;
        f->strength *= (float)exp(-dt_ms / (double)tau_ms(f->kind));
        if (f->strength < SIM_OBJ_MIN_STRENGTH) {
            memset(f, 0, sizeof(*f));
            continue;
        }
        /* coast on the velocity estimate; the world's edge stops it */
        f->x += f->vx * (float)dt_ms;
        f->y += f->vy * (float)dt_ms;
        if (f->x < 0 || f->x > mx) {
            f->x = f->x < 0 ? 0 : mx;
            f->vx = 0;
        }
        if (f->y < 0 || f->y > my) {
            f->y = f->y < 0 ? 0 : my;
            f->vy = 0;
        }
        float px, py;
        if (track && saliency_peak_near(sal, f->x, f->y, gate, SIM_OBJ_MIN_SALIENCY, &px, &py)) {
            float ix = px - f->x, iy = py - f->y;
            double since = t_ms - f->anchor_ms;
            f->x += SIM_OBJ_ALPHA * ix;
            f->y += SIM_OBJ_ALPHA * iy;
            if (since > 0) {
                f->vx += SIM_OBJ_BETA * ix / (float)since;
                f->vy += SIM_OBJ_BETA * iy / (float)since;
                clamp_speed(f, px_per_deg);
            }
            f->anchor_ms = t_ms;
            update_moving(f, px_per_deg);
        }
        if (f->moving)
            saliency_inhibit_object(sal, f->x, f->y, sigma, SIM_OBJ_DEPTH * f->strength);
    }
}

static int finite_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

const char *sim_objects_check(const SimObjects *o, double t_max_ms, int n_fixations, int n_classes,
                              int world_w, int world_h)
{
    for (int i = 0; i < SIM_OBJ_FILES; i++) {
        const SimObjectFile *f = &o->f[i];
        if (f->kind < SIM_OBJ_FREE || f->kind > SIM_OBJ_READ)
            return "object file kind out of range";
        if (f->kind == SIM_OBJ_FREE) {
            static const SimObjectFile zero;
            if (memcmp(f, &zero, sizeof zero))
                return "unused object file not zero";
            continue;
        }
        if (!finite_in(f->x, 0, world_w - 1) || !finite_in(f->y, 0, world_h - 1) ||
            !finite_in(f->ox, -(double)world_w, 2.0 * world_w) ||
            !finite_in(f->oy, -(double)world_h, 2.0 * world_h))
            return "object file position out of the world";
        if (!finite_in(f->vx, -10, 10) || !finite_in(f->vy, -10, 10) ||
            !finite_in(f->strength, 0, 1) || !finite_in(f->confidence, 0, 1) ||
            !finite_in(f->anchor_ms, -1e7, t_max_ms))
            return "object file velocity, strength, confidence or time out of range";
        if (f->label < -1 || f->label >= n_classes || f->fixation < 0 ||
            f->fixation >= n_fixations || (f->moving != 0 && f->moving != 1) || f->looks < 0 ||
            f->looks > 1000 || (f->pursued != 0 && f->pursued != 1))
            return "object file label, fixation or flag out of range";
    }
    return NULL;
}
