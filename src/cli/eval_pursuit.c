/* eval_pursuit.c: `saccade eval pursuit`, moving digits read with and without smooth pursuit.
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
 * that window; the cell's gain is the median over those trials (and gain_trials says how many). Latency: a hinge (0 before L, linear after) fitted by
 * least squares to the mean trace from 0 to the time it first reaches 60% of its steady state;
 * L is the onset of eye acceleration after target motion onset.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/eval_canvas.h"
#include "cli/eval_plot.h"
#include "core/log.h"
#include "core/output.h"
#include "core/rng.h"
#include "data/mnist.h"
#include "scene/scene.h"
#include "sim/sim_model.h"

#define EVAL_PURSUIT_W 1920
#define EVAL_PURSUIT_H 1440
#define TRIAL_MS 2000.0
#define STEP_S 0.1
#define GAIN_FROM_MS 300.0
#define GAIN_TO_MS 550.0
#define ON_TARGET_DEG 1.0
#define TRACKING_DEG 3.0 /* steady-state samples count while the gaze is this close */
#define MAX_TICKS 1024

static const double speeds[] = {0, 5, 10, 20, 30, 40};
#define N_SPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

typedef struct Cell {
    long n, read, on_ticks, ticks, saccades;
    double vel_sum[MAX_TICKS]; /* desaccaded eye velocity along the target direction, deg/s */
    long vel_n[MAX_TICKS];
    double *trial_gain;         /* per trial: steady-state velocity over the target speed */
    int n_gain, cap_gain;
    double gain, latency_ms;    /* fitted; NAN when undefined */
} Cell;

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

static const char *mode_name(int pursuit);

/* trace_f: --trace, a per-tick line of the trial (or NULL) */
static int run_trial(Classifier *cls, int pursuit, double speed, const Trial *tr, uint64_t seed,
                     FILE *trace_f, Cell *c)
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
    Scene *scene = scene_create_moving_digits(EVAL_PURSUIT_W, EVAL_PURSUIT_H, seed, &o, &tr->digit, 1);
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
            if (ticks_ms(i, cfg.tick_ms) >= GAIN_FROM_MS && ticks_ms(i, cfg.tick_ms) <= GAIN_TO_MS) {
                ss[ss_n++] = v;
            }
        }
        if (trace_f) {
            float vx, vy;
            eye_velocity_deg_s(e, &vx, &vy);
            fprintf(trace_f, "%s,%g,%d,%.0f,%.2f,%.2f,%.2f,%.2f,%d,%d,%.2f,%.2f,%d\n",
                    mode_name(pursuit), speed, tr->digit, sim_time_ms(s), (ex - t->x) / ppd,
                    (ey - t->y) / ppd, vx * ux + vy * uy, -vx * uy + vy * ux, e->phase,
                    e->pursuing, e->tv_x * ux + e->tv_y * uy, hypot(t->vx, t->vy) / ppd, fc);
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

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval pursuit [--n N] [--quick] [--seed N] [--model FILE] [--json]\n"
            "                            [--csv FILE] [--png FILE] [--quiet]\n"
            "\n"
            "Single MNIST test digits moving at 0, 5, 10, 20, 30, 40 deg/s in random (seeded)\n"
            "directions on the 'motion' scene's texture (%d x %d px), read by the simulator's eye\n"
            "with smooth pursuit and again with saccades only (the same eye, pursuit off).\n"
            "Each trial is a step-ramp: the digit moves from t = 0 and crosses the gaze (the\n"
            "world centre, where the eye starts) at %.0f ms; it bounces off the edges.\n"
            "\n"
            "  read within 2 s   the sim's read of the digit (first believed read, else its most\n"
            "                    confident read that is not 'nothing', over the fixations that\n"
            "                    began within 2 s of motion onset, landing within 1 deg of the\n"
            "                    digit's centre) is its true label\n"
            "  time on target    fraction of the 2 s (10 ms ticks) with the gaze within 1 deg of\n"
            "                    the digit's centre\n"
            "  gain, latency     calibration, not results: the eye is set to gain 0.9 and\n"
            "                    latency 100 ms, and these fits recover its own settings\n"
            "  gain              desaccaded eye velocity along the target's direction over the\n"
            "                    target speed: per trial the median over %.0f..%.0f ms while the\n"
            "                    gaze is within %.0f deg of the digit (tracking it; at least half\n"
            "                    of the window), median over trials\n"
            "  latency           onset of eye acceleration after target motion onset: a hinge\n"
            "                    (0, then linear) fitted to the mean velocity trace up to 60%% of\n"
            "                    its steady state\n"
            "Every rate has n and a 95%% Wilson interval.\n"
            "\n"
            "  --n N        trials per speed and eye (default 100)\n"
            "  --quick      10 trials per speed and eye\n"
            "  --seed N     digits, directions, textures and the eye (default 1)\n"
            "  --model M    mnist (default) or a weights file\n"
            "  --json       print the results as JSON on stdout (fractions 0..1)\n"
            "  --csv FILE   write the table as CSV\n"
            "  --png FILE   plot reads and time on target against speed\n"
            "  --trace FILE per-tick gaze traces of every trial as CSV (error from the digit and\n"
            "               eye velocity along its direction, deg and deg/s)\n"
            "  --quiet      no progress on stderr\n",
            EVAL_PURSUIT_W, EVAL_PURSUIT_H, STEP_S * 1e3, GAIN_FROM_MS, GAIN_TO_MS, TRACKING_DEG);
}

static const char *mode_name(int pursuit)
{
    return pursuit ? "pursuit" : "saccades";
}

static int write_csv(const char *path, Cell cells[][2])
{
    Output *out = output_open(path, NULL, 0);
    if (!out)
        return -1;
    FILE *f = output_stream(out);
    fprintf(f, "speed_deg_s,eye,n,read,read_lo,read_hi,on_target,on_target_lo,on_target_hi,"
               "gain,latency_ms,saccades_per_trial\n");
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 1; m >= 0; m--) {
            const Cell *c = &cells[si][m];
            double lo, hi, tlo, thi;
            eval_wilson(c->read, c->n, &lo, &hi);
            eval_wilson(c->on_ticks, c->ticks, &tlo, &thi);
            fprintf(f, "%g,%s,%ld,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,", speeds[si], mode_name(m), c->n,
                    (double)c->read / c->n, lo, hi, (double)c->on_ticks / c->ticks, tlo, thi);
            if (isfinite(c->gain))
                fprintf(f, "%.3f,", c->gain == 0 ? 0.0 : c->gain);
            else
                fprintf(f, ",");
            if (isfinite(c->latency_ms))
                fprintf(f, "%.1f,", c->latency_ms);
            else
                fprintf(f, ",");
            fprintf(f, "%.2f\n", (double)c->saccades / c->n);
        }
    return output_commit(&out);
}

static int write_png(const char *path, Cell cells[][2])
{
    double x[N_SPEEDS], y[4][N_SPEEDS];
    for (int si = 0; si < N_SPEEDS; si++) {
        x[si] = speeds[si];
        for (int m = 0; m < 2; m++) {
            const Cell *c = &cells[si][m];
            y[m][si] = 100.0 * c->read / c->n;
            y[2 + m][si] = 100.0 * c->on_ticks / c->ticks;
        }
    }
    PlotSeries ser[4] = {{"read within 2 s, pursuit", x, y[1], N_SPEEDS, 0},
                         {"read within 2 s, saccades only", x, y[0], N_SPEEDS, 0},
                         {"time on target (1 deg), pursuit", x, y[3], N_SPEEDS, 1},
                         {"time on target (1 deg), saccades only", x, y[2], N_SPEEDS, 1}};
    PlotSpec spec = {"moving MNIST digits: smooth pursuit against saccades only",
                     "target speed (deg/s)", "%", 0, 40, 0, 100, 5, 10, 0.55};
    return plot_write_png(path, &spec, ser, 4);
}

int cmd_eval_pursuit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"n", required_argument, 0, 'n'},     {"quick", no_argument, 0, 'Q'},
        {"seed", required_argument, 0, 's'},  {"model", required_argument, 0, 'm'},
        {"json", no_argument, 0, 'j'},        {"csv", required_argument, 0, 'c'},
        {"png", required_argument, 0, 'p'},   {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},        {"trace", required_argument, 0, 't'},
        {0, 0, 0, 0}};
    int n = 100, json = 0, quiet = 0, ch;
    uint64_t seed = 1;
    const char *model = NULL, *csv = NULL, *png = NULL, *trace = NULL;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            if (cli_parse_int("eval pursuit", "--n", optarg, 1, 100000, &n) < 0)
                return 2;
            break;
        case 'Q':
            n = 10;
            break;
        case 's':
            if (cli_parse_u64("eval pursuit", "--seed", optarg, &seed) < 0)
                return 2;
            break;
        case 'm':
            model = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'c':
            csv = optarg;
            break;
        case 'p':
            png = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 't':
            trace = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case ':':
            sc_log_error("eval pursuit: %s needs a value", argv[optind - 1]);
            return 2;
        default:
            sc_log_error("eval pursuit: unknown option '%s' (see --help)", argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        sc_log_error("eval pursuit: unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if ((csv && output_check(csv, NULL, 0) < 0) || (png && output_check(png, NULL, 0) < 0)) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    char path[1100];
    if (sim_model_path(NULL, model, path, sizeof(path)) < 0) {
        sc_log_error("eval pursuit: model path too long");
        return 2;
    }
    Classifier *cls = classifier_load(path);
    if (!cls) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    Output *trace_out = NULL;
    FILE *trace_f = NULL;
    if (trace) {
        if (!(trace_out = output_open(trace, NULL, 0))) {
            sc_log_error("%s", sc_last_error());
            classifier_destroy(&cls);
            return 1;
        }
        trace_f = output_stream(trace_out);
        fprintf(trace_f, "eye,speed_deg_s,digit,t_ms,err_along_deg,err_y_deg,eye_v_along,"
                         "eye_v_across,saccade,pursuing,target_v_estimate,target_speed,fixations\n");
    }
    static Cell cells[N_SPEEDS][2];
    memset(cells, 0, sizeof(cells));
    Rng rng;
    rng_seed(&rng, seed);
    int rc = 0;
    for (int si = 0; si < N_SPEEDS && rc == 0; si++) {
        for (int i = 0; i < n && rc == 0; i++) {
            Trial tr = {(int)rng_below(&rng, MNIST_TEST_COUNT), 2.0 * M_PI * rng_uniform(&rng)};
            uint64_t trial_seed = seed * 1000003u + (uint64_t)si * 100000u + (uint64_t)i;
            for (int m = 1; m >= 0 && rc == 0; m--)
                rc = run_trial(cls, m, speeds[si], &tr, trial_seed, trace_f, &cells[si][m]);
        }
        if (!quiet && rc == 0)
            fprintf(stderr, "eval pursuit: %g deg/s done (%d trials x 2 eyes)\n", speeds[si], n);
    }
    if (trace_out && output_commit(&trace_out) < 0 && rc == 0)
        rc = -1;
    if (rc < 0) {
        output_abort(&trace_out);
        sc_log_error("eval pursuit: %s", sc_last_error());
        classifier_destroy(&cls);
        return 1;
    }
    SimConfig dc;
    sim_config_default(&dc);
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 0; m < 2; m++)
            fit_cell(&cells[si][m], speeds[si], dc.tick_ms);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "task", "pursuit");
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "n_per_cell", n);
    cJSON_AddNumberToObject(root, "trial_ms", TRIAL_MS);
    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    if (!json)
        printf("speed  eye        n    read within 2 s [95%% CI]   time on target [95%% CI]   "
               "gain   latency  saccades\n");
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 1; m >= 0; m--) {
            const Cell *c = &cells[si][m];
            double lo, hi, tlo, thi;
            eval_wilson(c->read, c->n, &lo, &hi);
            eval_wilson(c->on_ticks, c->ticks, &tlo, &thi);
            double rd = (double)c->read / c->n, ot = (double)c->on_ticks / c->ticks;
            cJSON *r = cJSON_CreateObject();
            cJSON_AddNumberToObject(r, "speed_deg_s", speeds[si]);
            cJSON_AddStringToObject(r, "eye", mode_name(m));
            cJSON_AddNumberToObject(r, "n", (double)c->n);
            cJSON_AddNumberToObject(r, "read", rd);
            cJSON_AddItemToObject(r, "read_ci95", eval_wilson_json(c->read, c->n));
            cJSON_AddNumberToObject(r, "on_target", ot);
            cJSON_AddItemToObject(r, "on_target_ci95", eval_wilson_json(c->on_ticks, c->ticks));
            if (isfinite(c->gain))
                cJSON_AddNumberToObject(r, "gain", c->gain);
            else
                cJSON_AddNullToObject(r, "gain");
            if (isfinite(c->latency_ms))
                cJSON_AddNumberToObject(r, "latency_ms", c->latency_ms);
            else
                cJSON_AddNullToObject(r, "latency_ms");
            cJSON_AddNumberToObject(r, "saccades_per_trial", (double)c->saccades / c->n);
            cJSON_AddNumberToObject(r, "gain_trials", c->n_gain);
            cJSON_AddItemToArray(rows, r);
            if (!json) {
                char g[16] = "-", l[16] = "-";
                if (isfinite(c->gain))
                    snprintf(g, sizeof g, "%.2f", c->gain);
                if (isfinite(c->latency_ms))
                    snprintf(l, sizeof l, "%.0f ms", c->latency_ms);
                printf("%5g  %-9s %4ld  %5.1f%% [%5.1f, %5.1f]       %5.1f%% [%5.1f, %5.1f]      "
                       "%-5s  %-7s  %.1f\n",
                       speeds[si], mode_name(m), c->n, 100 * rd, 100 * lo, 100 * hi, 100 * ot,
                       100 * tlo, 100 * thi, g, l, (double)c->saccades / c->n);
            }
        }
    /* gain and latency are the model's own settings, recovered: a check of the eval's fits,
     * not a finding */
    cJSON *cal = cJSON_AddObjectToObject(root, "calibration");
    cJSON_AddNumberToObject(cal, "model_gain", dc.eye.pursuit_gain);
    cJSON_AddNumberToObject(cal, "model_latency_ms", dc.eye.pursuit_latency_ms);
    cJSON_AddStringToObject(cal, "note", "gain and latency are calibration: the fits recover "
                                         "the eye's own settings, not a result");
    if (!json)
        printf("gain and latency are calibration, not results: the eye is set to gain %.2f and "
               "latency %.0f ms,\nand the fits above recover those settings (one tick and the "
               "build-up of speed add the rest).\n",
               (double)dc.eye.pursuit_gain, (double)dc.eye.pursuit_latency_ms);
    if (json) {
        char *s = cJSON_PrintUnformatted(root);
        printf("%s\n", s ? s : "{}");
        cJSON_free(s);
    }
    cJSON_Delete(root);
    classifier_destroy(&cls);
    for (int si = 0; si < N_SPEEDS; si++)
        for (int m = 0; m < 2; m++)
            free(cells[si][m].trial_gain);
    if ((csv && write_csv(csv, cells) < 0) || (png && write_png(png, cells) < 0)) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    return 0;
}
