#include "eye/eye.h"

#include <math.h>
#include <string.h>

void eye_params_default(EyeParams *p)
{
    memset(p, 0, sizeof(*p));
    p->px_per_deg = 32.0f;
    p->fix_mean_ms = 250.0f;
    p->fix_shape = 6.0f;
    p->fix_min_ms = 100.0f;
    p->sacc_base_ms = 21.0f;
    p->sacc_slope_ms_per_deg = 2.2f;
    p->land_sd_frac = 0.04f;
    p->land_sd_min_deg = 0.03f;
    p->undershoot_frac = 0.03f;
    p->corrective_min_deg = 0.5f;
    p->corrective_latency_ms = 120.0f;
    p->suppression_post_ms = 30.0f;
    p->jump_cost_per_deg = 0.03f;
    p->min_amplitude_deg = 0.3f;
    p->min_priority = 1e-3f;
    p->centre_min_deg = 0.05f;
    p->centre_max_deg = 1.0f;
    p->centre_max_steps = 2;
    p->nothing_near_deg = 0.125f;
    p->pursuit = 1;
    p->pursuit_latency_ms = 100.0f;
    p->pursuit_tau_ms = 40.0f;
    p->pursuit_gain = 0.9f;
    p->pursuit_sat_deg_s = 30.0f;
    p->pursuit_engage_deg_s = 2.0f;
    p->pursuit_release_deg_s = 1.0f;
    p->catchup_min_deg = 0.3f;
    p->catchup_txe_min_ms = 40.0f;
    p->catchup_txe_max_ms = 180.0f;
    p->catchup_interval_ms = 100.0f;
}

float eye_saccade_duration_ms(const EyeParams *p, float amplitude_deg)
{
    return p->sacc_base_ms + p->sacc_slope_ms_per_deg * (amplitude_deg > 0 ? amplitude_deg : 0);
}

/* Minimum-jerk profile: s(u) = 10u^3 - 15u^4 + 6u^5 has peak ds/du = 1.875 at u = 1/2. */
float eye_peak_velocity_deg_s(const EyeParams *p, float amplitude_deg)
{
    return 1.875f * amplitude_deg / (eye_saccade_duration_ms(p, amplitude_deg) * 1e-3f);
}

static double minjerk(double u)
{
    if (u <= 0)
        return 0;
    if (u >= 1)
        return 1;
    return u * u * u * (10.0 + u * (-15.0 + 6.0 * u));
}

static double draw_fixation_ms(const EyeParams *p, Rng *rng)
{
    double d = rng_gamma(rng, p->fix_shape, p->fix_mean_ms / p->fix_shape);
    return d < p->fix_min_ms ? p->fix_min_ms : d;
}

static void clamp_to_world(const Eye *e, float *x, float *y)
{
    float mx = (float)(e->world_w - 1), my = (float)(e->world_h - 1);
    *x = *x < 0 ? 0 : (*x > mx ? mx : *x);
    *y = *y < 0 ? 0 : (*y > my ? my : *y);
}

void eye_init(Eye *e, const EyeParams *p, int world_w, int world_h, float x, float y, double t_ms,
              Rng *rng)
{
    memset(e, 0, sizeof(*e)); /* also zeroes padding: the struct is hashed as bytes */
    e->p = *p;
    e->world_w = world_w;
    e->world_h = world_h;
    clamp_to_world(e, &x, &y);
    e->phase = EYE_FIXATING;
    e->x = e->from_x = e->to_x = e->aim_x = x;
    e->y = e->from_y = e->to_y = e->aim_y = y;
    e->fix_start_ms = t_ms;
    e->fix_end_ms = t_ms + draw_fixation_ms(p, rng);
    e->anchor_x = x;
    e->anchor_y = y;
    e->anchor_ms = t_ms;
}

static int moving_smoothly(const Eye *e)
{
    return e->pv_x != 0.0f || e->pv_y != 0.0f;
}

static void pursuit_stop(Eye *e)
{
    e->pursuing = 0;
    e->pv_x = e->pv_y = 0.0f;
    e->tv_x = e->tv_y = 0.0f;
}

/* Starts a saccade at time t0 towards (ax, ay); the landing point misses by the amplitude-
 * dependent error (undershoot along the path plus isotropic Gaussian scatter). */
static void start_saccade(Eye *e, double t0, float ax, float ay, int manual, int corrective,
                          Rng *rng)
{
    const EyeParams *p = &e->p;
    clamp_to_world(e, &ax, &ay);
    float dx = ax - e->x, dy = ay - e->y;
    if (corrective && !manual && (e->pursuing || moving_smoothly(e))) {
        /* while pursuing, aim where the target will be at landing (its estimated velocity
         * since the glimpse the aim came from, plus the flight), less the smooth movement
         * that goes on during the flight */
        float tvx = e->tv_x * p->px_per_deg * 1e-3f, tvy = e->tv_y * p->px_per_deg * 1e-3f;
        float lead = (float)(t0 - e->aim_ms),
              d = eye_saccade_duration_ms(p, hypotf(dx, dy) / p->px_per_deg);
        for (int it = 0; it < 2; it++) {
            dx = ax + tvx * (lead + d) - e->x - e->pv_x * d;
            dy = ay + tvy * (lead + d) - e->y - e->pv_y * d;
            d = eye_saccade_duration_ms(p, hypotf(dx, dy) / p->px_per_deg);
        }
        ax = ax + tvx * (lead + d);
        ay = ay + tvy * (lead + d);
        clamp_to_world(e, &ax, &ay);
        e->aim_ms = t0 + d;
    } else if (e->pursuing || moving_smoothly(e)) {
        pursuit_stop(e); /* a saccade elsewhere ends pursuit */
    }
    float amp_deg = sqrtf(dx * dx + dy * dy) / p->px_per_deg;
    float sd_deg = p->land_sd_frac * amp_deg;
    if (sd_deg < p->land_sd_min_deg)
        sd_deg = p->land_sd_min_deg;
    float k = 1.0f - p->undershoot_frac;
    float lx = e->x + k * dx + (float)(rng_normal(rng) * sd_deg * p->px_per_deg);
    float ly = e->y + k * dy + (float)(rng_normal(rng) * sd_deg * p->px_per_deg);
    clamp_to_world(e, &lx, &ly);
    e->phase = EYE_SACCADE;
    e->plan_pending = 0;
    e->from_x = e->x;
    e->from_y = e->y;
    e->to_x = lx;
    e->to_y = ly;
    e->aim_x = ax;
    e->aim_y = ay;
    float ldx = lx - e->x, ldy = ly - e->y;
    float flown_deg = sqrtf(ldx * ldx + ldy * ldy) / p->px_per_deg;
    e->sacc_start_ms = t0;
    e->sacc_dur_ms = eye_saccade_duration_ms(p, flown_deg);
    e->sacc_manual = manual;
    e->sacc_corrective = corrective;
    e->last_amp_deg = flown_deg;
    e->last_dur_ms = (float)e->sacc_dur_ms;
    e->last_peak_vel = eye_peak_velocity_deg_s(p, flown_deg);
}

/* Winner-take-all over the priority grid, discounted by jump size. Returns 1 and the target
 * (centroid of the winner's 3x3 neighbourhood, for sub-cell aim) or 0 if nothing is worth it. */
static int choose_target(const Eye *e, const Image *pr, int cell_px, float *tx, float *ty)
{
    const EyeParams *p = &e->p;
    float best = 0;
    int bi = -1, bj = -1;
    float min_amp_px = p->min_amplitude_deg * p->px_per_deg;
    for (int j = 0; j < pr->h; j++) {
        const float *row = image_row(pr, j);
        float cy = (j + 0.5f) * (float)cell_px;
        for (int i = 0; i < pr->w; i++) {
            float v = row[i];
            if (!(v > p->min_priority))
                continue;
            float cx = (i + 0.5f) * (float)cell_px;
            float dx = cx - e->x, dy = cy - e->y;
            float d = sqrtf(dx * dx + dy * dy);
            if (d < min_amp_px)
                continue;
            float score = v / (1.0f + p->jump_cost_per_deg * d / p->px_per_deg);
            if (score > best) {
                best = score;
                bi = i;
                bj = j;
            }
        }
    }
    if (bi < 0)
        return 0;
    float sw = 0, sx = 0, sy = 0;
    for (int j = bj - 1; j <= bj + 1; j++)
        for (int i = bi - 1; i <= bi + 1; i++) {
            if (i < 0 || j < 0 || i >= pr->w || j >= pr->h)
                continue;
            float v = image_at(pr, i, j);
            if (!(v > 0))
                continue;
            sw += v;
            sx += v * (i + 0.5f) * (float)cell_px;
            sy += v * (j + 0.5f) * (float)cell_px;
        }
    *tx = sw > 0 ? sx / sw : (bi + 0.5f) * (float)cell_px;
    *ty = sw > 0 ? sy / sw : (bj + 0.5f) * (float)cell_px;
    return 1;
}

void eye_position_at(const Eye *e, double t_ms, float *x, float *y)
{
    if (e->phase != EYE_SACCADE) {
        if (!moving_smoothly(e)) {
            *x = e->x;
            *y = e->y;
            return;
        }
        *x = (float)(e->anchor_x + e->pv_x * (t_ms - e->anchor_ms));
        *y = (float)(e->anchor_y + e->pv_y * (t_ms - e->anchor_ms));
        clamp_to_world(e, x, y);
        return;
    }
    double s = minjerk((t_ms - e->sacc_start_ms) / e->sacc_dur_ms);
    if (!moving_smoothly(e)) {
        *x = (float)(e->from_x + s * (e->to_x - e->from_x));
        *y = (float)(e->from_y + s * (e->to_y - e->from_y));
        return;
    }
    /* a saccade during pursuit adds to the smooth movement (constant through the flight) */
    double u = t_ms - e->sacc_start_ms;
    if (u > e->sacc_dur_ms)
        u = e->sacc_dur_ms;
    *x = (float)(e->from_x + s * (e->to_x - e->from_x) + e->pv_x * u);
    *y = (float)(e->from_y + s * (e->to_y - e->from_y) + e->pv_y * u);
    clamp_to_world(e, x, y);
}

void eye_velocity_deg_s(const Eye *e, float *vx, float *vy)
{
    *vx = e->pv_x * 1e3f / e->p.px_per_deg;
    *vy = e->pv_y * 1e3f / e->p.px_per_deg;
}

/* The newest observation made at or before t, or NULL. */
static const EyeSlipObs *slip_at(const Eye *e, double t)
{
    for (int i = 1; i <= e->obs_count; i++) {
        const EyeSlipObs *o = &e->obs[(e->obs_head - i + EYE_SLIP_HISTORY) % EYE_SLIP_HISTORY];
        if (o->t_ms <= t)
            return o;
    }
    return NULL;
}

/* Smooth pursuit at tick time t (fixating): engagement from the observation pursuit_latency_ms
 * old, then the velocity for the next tick. The gaze up to t used the old velocity. */
static void pursuit_update(Eye *e, double t)
{
    const EyeParams *p = &e->p;
    if (!p->pursuit || e->phase != EYE_FIXATING)
        return;
    const EyeSlipObs *o = slip_at(e, t - p->pursuit_latency_ms);
    if (o && o->signal) {
        float sp = hypotf(o->tvx, o->tvy);
        e->lost_ticks = o->on_object ? 0 : e->lost_ticks + 1;
        if (e->lost_ticks >= EYE_PURSUIT_LOST_TICKS)
            e->pursuing = 0; /* the target left the fovea */
        else if (!o->on_object)
            ; /* keep going on the last estimate a moment: it may be back after a catch-up */
        else if (!e->pursuing && sp > p->pursuit_engage_deg_s)
            e->pursuing = 1;
        else if (e->pursuing && sp < p->pursuit_release_deg_s)
            e->pursuing = 0; /* the target stopped */
        if (e->pursuing) {
            e->tv_x = o->tvx;
            e->tv_y = o->tvy;
        }
    }
    if (!e->pursuing)
        e->tv_x = e->tv_y = 0.0f;
    float gx, gy;
    eye_position_at(e, t, &gx, &gy);
    double dt = t - e->anchor_ms;
    e->anchor_x = e->x = gx;
    e->anchor_y = e->y = gy;
    e->anchor_ms = t;
    if (!e->pursuing && !moving_smoothly(e))
        return;
    float sp = hypotf(e->tv_x, e->tv_y), g = p->pursuit_gain;
    if (sp > p->pursuit_sat_deg_s)
        g *= sqrtf(p->pursuit_sat_deg_s / sp);
    float k = g * p->px_per_deg * 1e-3f; /* deg/s -> px/ms */
    float a = dt > 0 ? (float)(1.0 - exp(-dt / p->pursuit_tau_ms)) : 0.0f;
    e->pv_x += a * (k * e->tv_x - e->pv_x);
    e->pv_y += a * (k * e->tv_y - e->pv_y);
    if (!e->pursuing && hypotf(e->pv_x, e->pv_y) * 1e3f / p->px_per_deg < 0.2f)
        e->pv_x = e->pv_y = 0.0f;
}

void eye_observe(Eye *e, double t_ms, int signal, float slip_x, float slip_y, int on_object,
                 float pe_x, float pe_y)
{
    const EyeParams *p = &e->p;
    if (!p->pursuit)
        return;
    int ok = signal && e->phase == EYE_FIXATING && fabsf(slip_x) <= 1000.0f &&
             fabsf(slip_y) <= 1000.0f; /* also false for NaN */
    float vx, vy;
    eye_velocity_deg_s(e, &vx, &vy);
    EyeSlipObs *o = &e->obs[e->obs_head];
    o->t_ms = t_ms;
    o->tvx = ok ? vx + slip_x : 0.0f;
    o->tvy = ok ? vy + slip_y : 0.0f;
    o->signal = ok;
    o->on_object = on_object != 0;
    e->obs_head = (e->obs_head + 1) % EYE_SLIP_HISTORY;
    if (e->obs_count < EYE_SLIP_HISTORY)
        e->obs_count++;
    /* catch-up saccade (de Brouwer et al. 2002): unless the target will cross the fovea soon
     * by itself (eye crossing time in the smooth zone) */
    if (!ok || !on_object || e->corrective_pending || e->manual_pending || e->end_requested ||
        t_ms < e->fix_start_ms + p->catchup_interval_ms || !isfinite(pe_x) || !isfinite(pe_y))
        return;
    /* pursuing, or the fixated object moves on the retina (pursuit initiation) */
    if (!e->pursuing && !(hypotf(slip_x, slip_y) > p->pursuit_engage_deg_s))
        return;
    float pe_px = hypotf(pe_x, pe_y), pe = pe_px / p->px_per_deg;
    if (!(pe > p->catchup_min_deg))
        return;
    float closing = -(slip_x * pe_x + slip_y * pe_y) / pe_px; /* deg/s towards the fovea */
    if (closing > 0) {
        float txe_ms = 1e3f * pe / closing;
        if (txe_ms >= p->catchup_txe_min_ms && txe_ms <= p->catchup_txe_max_ms)
            return;
    }
    float ax = e->x + pe_x, ay = e->y + pe_y;
    clamp_to_world(e, &ax, &ay);
    e->aim_x = ax;
    e->aim_y = ay;
    e->aim_ms = t_ms;
    e->corrective_pending = 1;
    e->fix_end_ms = t_ms;
}

int eye_suppressed(const Eye *e, double t_ms)
{
    return e->phase == EYE_SACCADE || t_ms < e->fix_start_ms + e->p.suppression_post_ms;
}

/* eye_object_centre's rule with its radii as parameters: the search starts at level
 * first_level; r_peak, r_seed and r_fill in world px. */
enum { CENTRE_MAX_N = 64, CENTRE_MARGIN = 14 };

static int centre_on_grid(const Image *lv, float x0, float y0, float sp, float x, float y,
                          float peak_px, float seed_px, float fill_px, float thr_frac, float *cx,
                          float *cy);

static int object_centre(const Retina *view, float x, float y, int first_level, float peak_px,
                         float seed_px, float fill_px, float thr_frac, float *cx, float *cy)
{
    if (!view)
        return 0;
    const int N = CENTRE_MAX_N, MARGIN = CENTRE_MARGIN;
    const RetinaParams *rp = retina_params(view);
    /* A small sensor (levels smaller than the fovea: the sensor-matched eye) centres on the
     * fovea itself, the finest grid it has, with a margin of a quarter of its side. */
    if (first_level == 0 && rp->level_size < rp->fovea_size) {
        const Image *fv = retina_fovea(view);
        float gx, gy;
        retina_gaze(view, &gx, &gy);
        float fx0 = gx - (float)(fv->w / 2), fy0 = gy - (float)(fv->h / 2);
        float fi = x - fx0, fj = y - fy0, mg = (float)(fv->w / 4);
        if (fi >= mg && fj >= mg && fi <= (float)fv->w - 1 - mg && fj <= (float)fv->h - 1 - mg)
            return centre_on_grid(fv, fx0, fy0, 1.0f, x, y, peak_px, seed_px, fill_px, thr_frac, cx,
                                  cy);
    }
    int levels = retina_level_count(view), k = first_level;
    float x0 = 0, y0 = 0, sp = 1;
    const Image *lv = NULL;
    for (; k < levels; k++) {
        lv = retina_level(view, k);
        retina_level_geometry(view, k, &x0, &y0, &sp);
        float fi = (x - x0) / sp, fj = (y - y0) / sp;
        if (lv->w <= N && lv->h <= N && fi >= MARGIN && fj >= MARGIN && fi <= lv->w - 1 - MARGIN &&
            fj <= lv->h - 1 - MARGIN)
            break;
    }
    if (k >= levels || !lv) /* a small world has fewer levels than first_level */
        return 0;
    return centre_on_grid(lv, x0, y0, sp, x, y, peak_px, seed_px, fill_px, thr_frac, cx, cy);
}

/* The centre of gravity of the blob of ink nearest (x, y) on one grid (lv: samples at
 * x0 + i * sp, y0 + j * sp; at most CENTRE_MAX_N per side). */
static int centre_on_grid(const Image *lv, float x0, float y0, float sp, float x, float y,
                          float peak_px, float seed_px, float fill_px, float thr_frac, float *cx,
                          float *cy)
{
    enum { N = CENTRE_MAX_N };
    if (lv->w > N || lv->h > N)
        return 0;
    const int n = lv->w, m = lv->h;
    const int pi0 = (int)lroundf((x - x0) / sp), pj0 = (int)lroundf((y - y0) / sp);
    const float r_peak = peak_px / sp, r_seed = seed_px / sp, r_fill = fill_px / sp;
    float lo = 1e30f, hi = -1e30f;
    for (int j = 0; j < m; j++)
        for (int i = 0; i < n; i++) {
            float v = image_at(lv, i, j);
            lo = fminf(lo, v);
            float di = (float)(i - pi0), dj = (float)(j - pj0);
            if (di * di + dj * dj <= r_peak * r_peak)
                hi = fmaxf(hi, v);
        }
    if (!(hi - lo >= 0.05f))
        return 0;
    const float thr = lo + thr_frac * (hi - lo);
    /* seed: the ink sample nearest the point */
    int seed = -1;
    float best = r_seed * r_seed;
    for (int j = 0; j < m; j++)
        for (int i = 0; i < n; i++) {
            float di = (float)(i - pi0), dj = (float)(j - pj0), d = di * di + dj * dj;
            if (d <= best && image_at(lv, i, j) > thr && (seed < 0 || d < best)) {
                best = d;
                seed = j * n + i;
            }
        }
    if (seed < 0)
        return 0;
    unsigned char seen[N * N];
    int stack[N * N], top = 0;
    memset(seen, 0, sizeof(seen));
    seen[seed] = 1;
    stack[top++] = seed;
    double w = 0, wx = 0, wy = 0;
    while (top > 0) {
        int p = stack[--top], i = p % n, j = p / n;
        double v = image_at(lv, i, j) - lo;
        w += v;
        wx += v * i;
        wy += v * j;
        for (int d = 0; d < 4; d++) {
            int qi = i + (d == 0) - (d == 1), qj = j + (d == 2) - (d == 3);
            if (qi < 0 || qj < 0 || qi >= n || qj >= m)
                continue;
            float di = (float)(qi - pi0), dj = (float)(qj - pj0);
            int q = qj * n + qi;
            if (!seen[q] && di * di + dj * dj <= r_fill * r_fill && image_at(lv, qi, qj) > thr) {
                seen[q] = 1;
                stack[top++] = q;
            }
        }
    }
    if (!(w > 1e-3))
        return 0;
    *cx = x0 + (float)(wx / w) * sp;
    *cy = y0 + (float)(wy / w) * sp;
    return 1;
}

int eye_object_centre(const Retina *view, float x, float y, float *cx, float *cy)
{
    return object_centre(view, x, y, 0, 14.0f, 10.0f, 24.0f, 0.25f, cx, cy);
}

int eye_object_near(const Retina *view, float x, float y, float *cx, float *cy)
{
    return object_centre(view, x, y, 2, 94.0f, 80.0f, 104.0f, 0.6f, cx, cy);
}

int eye_step(Eye *e, double t_ms, const Image *priority, int cell_px, int auto_mode,
             const Retina *view, Rng *rng)
{
    const EyeParams *p = &e->p;
    int ev = EYE_EV_NONE;
    /* A tick may hold a landing and (rarely) the next saccade's start: loop over transitions,
     * each at its exact time. Bounded: every pass moves a transition time forward. */
    for (int guard = 0; guard < 8; guard++) {
        if (e->phase == EYE_SACCADE) {
            double t_land = e->sacc_start_ms + e->sacc_dur_ms;
            if (t_ms < t_land)
                break;
            if (moving_smoothly(e)) {
                eye_position_at(e, t_land, &e->x, &e->y);
            } else {
                e->x = e->to_x;
                e->y = e->to_y;
            }
            e->phase = EYE_FIXATING;
            e->anchor_x = e->x;
            e->anchor_y = e->y;
            e->anchor_ms = t_land;
            e->end_requested = 0;
            e->fix_start_ms = t_land;
            ev |= EYE_EV_LANDED;
            float ex = e->aim_x - e->x, ey = e->aim_y - e->y;
            float err_deg = sqrtf(ex * ex + ey * ey) / p->px_per_deg;
            e->corrective_pending = err_deg > p->corrective_min_deg;
            if (e->manual_pending)
                e->fix_end_ms = t_land + p->suppression_post_ms;
            else if (e->corrective_pending)
                e->fix_end_ms = t_land + p->corrective_latency_ms;
            else
                e->fix_end_ms = t_land + draw_fixation_ms(p, rng);
            continue;
        }
        if (t_ms < e->fix_end_ms)
            break;
        double t0 = e->fix_end_ms;
        if (e->pursuing && !e->end_requested && !e->manual_pending && !e->corrective_pending &&
            t0 < e->fix_start_ms + EYE_PURSUIT_HOLD_MS) {
            /* pursuit holds the gaze: the drawn duration does not end it (up to a limit) */
            e->fix_end_ms = t0 + 50.0;
            continue;
        }
        if (e->manual_pending) {
            e->manual_pending = 0;
            e->corrective_pending = 0;
            start_saccade(e, t0, e->manual_x, e->manual_y, 1, 0, rng);
        } else if (e->corrective_pending) {
            e->corrective_pending = 0;
            start_saccade(e, t0, e->aim_x, e->aim_y, e->sacc_manual, 1, rng);
        } else if (e->plan_pending) {
            start_saccade(e, t0, e->plan_x, e->plan_y, 0, 0, rng);
        } else {
            float tx, ty;
            if (auto_mode && priority && choose_target(e, priority, cell_px, &tx, &ty)) {
                /* aim at the centre of what the current glimpse shows there (a cell and a
                 * half at most from the winning cell) */
                float ox, oy;
                if (eye_object_centre(view, tx, ty, &ox, &oy) &&
                    hypotf(ox - tx, oy - ty) <= 1.5f * (float)cell_px) {
                    tx = ox;
                    ty = oy;
                }
                start_saccade(e, t0, tx, ty, 0, 0, rng);
            } else {
                /* Nothing worth a look (or manual mode): keep fixating. */
                e->fix_end_ms = t0 + draw_fixation_ms(p, rng);
                continue;
            }
        }
        ev |= EYE_EV_SACCADE_START;
    }
    pursuit_update(e, t_ms);
    /* In flight, x/y track the analytic position; from_x/y keep the start. */
    eye_position_at(e, t_ms, &e->x, &e->y);
    return ev;
}

void eye_refine(Eye *e, float x, float y, double t_ms)
{
    if (e->phase != EYE_FIXATING || e->manual_pending)
        return;
    clamp_to_world(e, &x, &y);
    e->aim_x = x;
    e->aim_y = y;
    e->aim_ms = t_ms;
    e->corrective_pending = 1;
    double t = e->fix_start_ms + e->p.corrective_latency_ms;
    e->fix_end_ms = t > t_ms ? t : t_ms;
}

void eye_plan_saccade(Eye *e, float x, float y)
{
    e->plan_pending = isfinite(x) && isfinite(y);
    if (!e->plan_pending)
        return;
    clamp_to_world(e, &x, &y);
    e->plan_x = x;
    e->plan_y = y;
}

void eye_end_fixation(Eye *e, double t_ms)
{
    if (e->phase != EYE_FIXATING || e->corrective_pending || e->manual_pending)
        return;
    double earliest = e->fix_start_ms + e->p.fix_min_ms;
    double end = t_ms > earliest ? t_ms : earliest;
    if (end < e->fix_end_ms || e->pursuing)
        e->fix_end_ms = end;
    e->end_requested = 1;
}

void eye_command_saccade(Eye *e, float x, float y, double t_ms, Rng *rng)
{
    (void)rng;
    clamp_to_world(e, &x, &y);
    e->manual_pending = 1;
    e->manual_x = x;
    e->manual_y = y;
    if (e->phase == EYE_FIXATING)
        e->fix_end_ms = t_ms > e->fix_start_ms ? t_ms : e->fix_start_ms;
}
