/* eval/pursuit.c: moving digits read with and without smooth pursuit (eval.h).
 *
 * Each trial is a Rashbass step-ramp on the simulator itself (sim_create_with_scene: the tick,
 * retina, V1, saliency, eye and classifier that `run` and the window use; no second eye): one
 * MNIST test digit on the `motion` scene's texture (EVAL_PURSUIT_W x _H px), moving from t = 0
 * at SPEED deg/s in a random direction, starting STEP_S seconds of travel before the gaze (the
 * world centre, where the eye starts) so that it crosses the gaze at STEP_S; it bounces off the
 * world's edges. Each trial runs TRIAL_MS of simulated time with pursuit on (the shipped eye)
 * and again, same digit, direction and seed, with pursuit off (saccades only).
 *
 * Read within 2 s: the sim's read of the digit (sim_read_update over the fixations that began
 * within the 2 s with the digit's centre within 1 deg of the landing point: the first read the
 * eye believed, else its most confident read that is not "nothing") is its true label.
 * Time on target: the fraction of the 2 s ticks whose gaze lies within 1 deg of the digit's
 * centre (ground truth, for scoring only).
 * Gain and latency come from the gaze traces: eye velocity per tick from the change of gaze
 * over ticks with no saccade in flight or landing (desaccaded), projected on the target's
 * direction. Gain: per trial, the median over GAIN_FROM_MS..GAIN_TO_MS (before any bounce at 40
 * deg/s) of the samples with the gaze within TRACKING_DEG of the digit (tracking it, not looking
 * elsewhere after reading it) over the target speed, for trials tracking it for at least half
 * that window; the cell's gain is the median over those trials (and gain_trials says how many).
 * Latency: a hinge (0 before L, linear after) fitted by least squares to the mean trace from 0 to
 * the time it first reaches 60% of its steady state; L is the onset of eye acceleration after
 * target motion onset.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "core/log.h"
#include "core/rng.h"
#include "data/mnist.h"
#include "eval/eval.h"
#include "scene/scene.h"
#include "sim/sim_model.h"

#define EVAL_PURSUIT_W EVAL_PURSUIT_WORLD_W
#define EVAL_PURSUIT_H EVAL_PURSUIT_WORLD_H
#define TRIAL_MS EVAL_PURSUIT_TRIAL_MS
#define STEP_S EVAL_PURSUIT_STEP_S
#define GAIN_FROM_MS EVAL_PURSUIT_GAIN_FROM_MS
#define GAIN_TO_MS EVAL_PURSUIT_GAIN_TO_MS
#define ON_TARGET_DEG 1.0
#define TRACKING_DEG EVAL_PURSUIT_TRACKING_DEG
#define MAX_TICKS EVAL_PURSUIT_MAX_TICKS

const double eval_pursuit_speeds[EVAL_PURSUIT_SPEEDS] = {0, 5, 10, 20, 30, 40};
#define N_SPEEDS EVAL_PURSUIT_SPEEDS
typedef EvalPursuitCell Cell;

typedef struct Trial {
    int digit;
    double dir;
} Trial;

/* One trial on a fresh sim; accumulates into c. 0 or -1 + error. */
static double ticks_ms(int i, double tick_ms)
{
    return i * tick_ms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* o->trace: a call per tick of the trial (or NULL) */
static int run_trial(Classifier *cls, int pursuit, double speed, const Trial *tr, uint64_t seed,
                     const EvalPursuitOptions *opt, Cell *c)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.eye.pursuit = pursuit;
    const float ppd = cfg.px_per_deg;
    const double cx = 0.5 * (EVAL_PURSUIT_W - 1), cy = 0.5 * (EVAL_PURSUIT_H - 1);
    const double ux = cos(tr->dir), uy = sin(tr->dir), v_px = speed * ppd;
    SceneObject o;
    memset(&o, 0, sizeof(o));
    o.x = (float)(cx - ux * v_px * STEP_S);
    o.y = (float)(cy - uy * v_px * STEP_S);
    o.vx = (float)(ux * v_px);
    o.vy = (float)(uy * v_px);
    Scene *scene =
        scene_create_moving_digits(EVAL_PURSUIT_W, EVAL_PURSUIT_H, seed, &o, &tr->digit, 1);
    Sim *s = scene ? sim_create_with_scene(&cfg, scene, seed) : NULL;
    if (!s)
        return -1;
    SimClassifier sc;
    sim_model_adapter(cls, &sc);
    sim_set_classifier(s, &sc);
    const char *truth = scene_objects(sim_scene(s))[0].label;
    int ticks = (int)lround(TRIAL_MS / cfg.tick_ms);
    if (ticks > MAX_TICKS)
        ticks = MAX_TICKS;
    float px = sim_eye(s)->x, py = sim_eye(s)->y;
    int prev_fix = sim_fixation_count(s), ss_n = 0;
    double ss[MAX_TICKS];
    for (int i = 1; i <= ticks; i++) {
        int was_saccade = sim_eye(s)->phase == EYE_SACCADE;
        sim_tick(s, NULL, 0);
        const Eye *e = sim_eye(s);
        const SceneObject *t = &scene_objects(sim_scene(s))[0];
        float ex = e->x, ey = e->y;
        if (hypot(ex - t->x, ey - t->y) <= ON_TARGET_DEG * ppd)
            c->on_ticks++;
        c->ticks++;
        int fc = sim_fixation_count(s);
        if (!was_saccade && e->phase == EYE_FIXATING && fc == prev_fix &&
            (ticks_ms(i, cfg.tick_ms) < GAIN_FROM_MS ||
             hypot(ex - t->x, ey - t->y) <= TRACKING_DEG * ppd)) {
            double v = ((ex - px) * ux + (ey - py) * uy) / ppd / (cfg.tick_ms * 1e-3);
            c->vel_sum[i] += v;
            c->vel_n[i]++;
            if (ticks_ms(i, cfg.tick_ms) >= GAIN_FROM_MS &&
                ticks_ms(i, cfg.tick_ms) <= GAIN_TO_MS) {
                ss[ss_n++] = v;
            }
        }
        if (opt->trace) {
            float vx, vy;
            eye_velocity_deg_s(e, &vx, &vy);
            EvalPursuitTick k = {pursuit,
                                 speed,
                                 tr->digit,
                                 sim_time_ms(s),
                                 (ex - t->x) / ppd,
                                 (ey - t->y) / ppd,
                                 vx * ux + vy * uy,
                                 -vx * uy + vy * ux,
                                 e->phase,
                                 e->pursuing,
                                 e->tv_x * ux + e->tv_y * uy,
                                 hypot(t->vx, t->vy) / ppd,
                                 fc};
            opt->trace(opt->trace_user, &k);
        }
        prev_fix = fc;
        px = ex;
        py = ey;
    }
    SimRead r = {-1, 0, 0, -1};
    for (int f = 0; f < sim_fixation_count(s); f++) {
        const SimFixation *fx = sim_fixation(s, f);
        if (fx->start_ms <= TRIAL_MS && fx->object == 0)
            sim_read_update(s, f, &r);
    }
    c->saccades += sim_fixation_count(s) - 1;
    /* a trial's steady state counts when it tracked the digit for at least half the window */
    if (speed > 0 && ss_n >= (int)((GAIN_TO_MS - GAIN_FROM_MS) / cfg.tick_ms / 2)) {
        if (c->n_gain == c->cap_gain) {
            int cap = c->cap_gain ? 2 * c->cap_gain : 64;
            double *g = realloc(c->trial_gain, sizeof(double) * (size_t)cap);
            if (!g) {
                sim_destroy(&s);
                sc_set_error("out of memory");
                return -1;
            }
            c->trial_gain = g;
            c->cap_gain = cap;
        }
        c->trial_gain[c->n_gain++] = median(ss, ss_n) / speed;
    }
    if (r.label >= 0 && !strcmp(classifier_class_name(cls, r.label), truth))
        c->read++;
    c->n++;
    sim_destroy(&s);
    return 0;
}

/* Gain and latency from the desaccaded velocity traces of a cell. */
static void fit_cell(Cell *c, double speed, double tick_ms)
{
    c->gain = c->latency_ms = NAN;
    if (speed <= 0)
        return;
    double mean[MAX_TICKS], ss = 0;
    int n = (int)lround(TRIAL_MS / tick_ms), k = 0;
    for (int i = 0; i <= n && i < MAX_TICKS; i++)
        mean[i] = c->vel_n[i] ? c->vel_sum[i] / c->vel_n[i] : NAN;
    for (int i = 1; i <= n; i++) {
        double t = i * tick_ms;
        if (t >= GAIN_FROM_MS && t <= GAIN_TO_MS && isfinite(mean[i])) {
            ss += mean[i];
            k++;
        }
    }
    if (!k)
        return;
    ss /= k;
    if (c->n_gain > 0)
        c->gain = median(c->trial_gain, c->n_gain);
    /* hinge fit on 0 .. first reach of 60% of the steady state */
    int end = 0;
    for (int i = 1; i <= n; i++)
        if (isfinite(mean[i]) && mean[i] >= 0.6 * ss) {
            end = i;
            break;
        }
    if (end < 2 || !(ss > 0))
        return;
    double best = INFINITY, best_l = NAN;
    for (double L = 0; L < end * tick_ms; L += 0.5) {
        double sxy = 0, sxx = 0;
        for (int i = 0; i <= end; i++) {
            if (!isfinite(mean[i]))
                continue;
            double h = i * tick_ms - L;
            h = h > 0 ? h : 0;
            sxy += h * mean[i];
            sxx += h * h;
        }
        double a = sxx > 0 ? sxy / sxx : 0, sse = 0;
        for (int i = 0; i <= end; i++) {
            if (!isfinite(mean[i]))
                continue;
            double h = i * tick_ms - L;
            double r = mean[i] - a * (h > 0 ? h : 0);
            sse += r * r;
        }
        if (sse < best) {
            best = sse;
            best_l = L;
        }
    }
    c->latency_ms = best_l;
}

int eval_pursuit(const EvalPursuitOptions *o, EvalPursuitResult *res)
{
    memset(res, 0, sizeof(*res));
    char path[1100];
    if (sim_model_path(NULL, o->model, path, sizeof(path)) < 0) {
        sc_set_error("eval pursuit: model path too long");
        return -1;
    }
    Classifier *cls = classifier_load(path);
    if (!cls)
        return -1;
    Rng rng;
    rng_seed(&rng, o->seed);
    int rc = 0;
    for (int si = 0; si < N_SPEEDS && rc == 0; si++) {
        for (int i = 0; i < o->n && rc == 0; i++) {
            Trial tr = {(int)rng_below(&rng, MNIST_TEST_COUNT), 2.0 * M_PI * rng_uniform(&rng)};
            uint64_t trial_seed = o->seed * 1000003u + (uint64_t)si * 100000u + (uint64_t)i;
            for (int m = 1; m >= 0 && rc == 0; m--)
                rc = run_trial(cls, m, eval_pursuit_speeds[si], &tr, trial_seed, o,
                               &res->cells[si][m]);
        }
        if (rc == 0)
            eval_note(o->progress, "eval pursuit: %g deg/s done (%d trials x 2 eyes)",
                      eval_pursuit_speeds[si], o->n);
    }
    classifier_destroy(&cls);
    if (rc < 0) {
        eval_pursuit_free(res);
        return -1;
    }
    SimConfig dc;
    sim_config_default(&dc);
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 0; m < 2; m++)
            fit_cell(&res->cells[si][m], eval_pursuit_speeds[si], dc.tick_ms);
    return 0;
}

void eval_pursuit_free(EvalPursuitResult *res)
{
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 0; m < 2; m++) {
            free(res->cells[si][m].trial_gain);
            res->cells[si][m].trial_gain = NULL;
        }
}
