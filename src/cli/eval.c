/* saccade eval TASK: options and printing of the experiments (the experiments themselves are
 * src/eval: eval/eval.h). Prints a table or JSON and writes eval_TASK.csv and eval_TASK.png.
 *
 * Every figure counts glimpses (eval/eye.h), every row prints n and a 95% Wilson interval,
 * canvases are built from the official MNIST test set (or, with --split val, from the
 * validation digits the shipped model never trained on), and tasks whose canvases depend on
 * the seed run over several seeds (default 3) and report the mean and the spread.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/eval_plot.h"
#include "cli/eval_progress.h"
#include "core/log.h"
#include "core/output.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "sim/sim.h"

#define ECC_MAX_PX EVAL_ECC_MAX_PX
#define ECC_STEP_PX EVAL_ECC_STEP_PX
#define ECC_NOFF EVAL_ECC_NOFF
#define ECC_GLIMPSES EVAL_ECC_GLIMPSES
#define MAX_SEEDS EVAL_MAX_SEEDS
#define MAX_K EVAL_MAX_K
#define MAX_THREADS EVAL_MAX_THREADS

/* ---------------------------------------------------------------- options */

typedef struct EvalOpts {
    const char *task, *model, *out_dir, *curve;
    int json, quiet, limit, threads, n_seeds;
    int split_val; /* 1: the validation digits / families instead of the test set */
    uint64_t seed;
    int sensor; /* SimSensor */
} EvalOpts;

static void eval_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval TASK [--model mnist|glyphs|FILE] [--json] [--out DIR]\n"
            "                         [--seed N] [--seeds N] [--limit N] [--split test|val]\n"
            "                         [--threads N] [--curve FILE] [--sensor full|small]\n"
            "                         [--quiet]\n"
            "\n"
            "tasks:\n"
            "  centred       accuracy on the 10,000 official MNIST test digits, centred; and of\n"
            "                the glyph model on each held-out font family\n"
            "  eccentricity  accuracy with the digit 0..%d px off the gaze: the eye held still\n"
            "                (one glimpse) against the eye free to move (at most %d glimpses)\n"
            "  translated60  one test digit anywhere in a 60x60 canvas (Mnih et al. 2014)\n"
            "  cluttered60   the same plus 4 random 8x8 pieces of test digits (RAM's generator)\n"
            "  cluttered100  a 100x100 canvas with 8 fragments\n"
            "  rivals        conv, locally connected, dense and 'separate' networks trained and\n"
            "                tested on the same canvases ('saccade eval rivals --help')\n"
            "  reading       the reading eye on pages of words in held-out fonts, with 0, 2,\n"
            "                4, 6, 8 separately trained extra readers ('saccade eval reading\n"
            "                --help')\n"
            "  pursuit       moving digits read with smooth pursuit and with saccades only; the\n"
            "                eye's gain and latency ('saccade eval pursuit --help')\n"
            "  goggles       saccades under inversion goggles and their adaptation ('saccade\n"
            "                eval goggles --help'); --reading: the readers relearning upside-\n"
            "                down letters, untied against tied\n"
            "  plasticity    V1 gains reinforced at one position, untied and tied: accuracy\n"
            "                where trained and transfer ('saccade eval plasticity --help')\n"
            "\n"
            "The eye is the simulator's (the one 'saccade run' and the window show), started at\n"
            "the canvas centre. A glimpse is one retina sample; every glimpse counts: the first\n"
            "one, saccades, landing corrections and centring steps alike. The answer after K\n"
            "glimpses is the first read the eye believed (p >= 0.97 with the digit centred: the\n"
            "rule that ends a fixation), else the most probable digit over the reads so far.\n"
            "Every row gives n, the error and a 95%% Wilson interval; canvas tasks run %d seeds\n"
            "(mean, spread, pooled interval).\n"
            "\n"
            "  --model M    mnist (default), glyphs or a weights file\n"
            "  --json       print results as JSON on stdout (fractions 0..1)\n"
            "  --out DIR    where eval_TASK.csv and eval_TASK.png go (default: current folder)\n"
            "  --seed N     first seed of canvases, directions and the eye (default 1)\n"
            "  --seeds N    seeds for the canvas tasks, 1..%d (default 3)\n"
            "  --limit N    use only the first N digits (default: all 10,000; eccentricity puts\n"
            "               each at every offset)\n"
            "  --split S    test (default) or val: the validation digits (the last %d of the\n"
            "               training set) and validation font families, for tuning; refused for\n"
            "               a model that trained on them\n"
            "  --threads N  worker threads, 1..%d (default 2; results do not depend on it)\n"
            "  --curve FILE eccentricity: also write the curve the window's claim panel reads\n"
            "               (offset_px,still,saccades; assets/models/mnist.ecc.csv)\n"
            "  --sensor S   eccentricity and canvas tasks: full (default: the shipped eye, levels\n"
            "               of 64x64 samples) or small (sensor-matched to RAM: the 28x28 fovea\n"
            "               plus 12x12 levels at 1, 2, 4, 8 px spacing, 1,216 numbers a glimpse)\n"
            "  --quiet      no progress bar\n",
            ECC_MAX_PX, ECC_GLIMPSES, 3, MAX_SEEDS, DATASET_MNIST_VAL_N, MAX_THREADS);
}

/* ---------------------------------------------------------------- statistics */

/* ---------------------------------------------------------------- outputs */

static int out_path(const EvalOpts *o, const char *ext, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%s/eval_%s.%s", o->out_dir, o->task, ext);
    if (k < 0 || (size_t)k >= n) {
        sc_set_error("%s: output path too long", o->out_dir);
        return -1;
    }
    return 0;
}

/* Writes text to path through the output helper (temporary file, every write checked,
 * renamed into place only when complete; never onto a device, FIFO or folder). */
static int write_text(const char *path, const char *text)
{
    return output_write_all(path, text, strlen(text), NULL, 0);
}

/* A growing text buffer for CSV. */
typedef struct Text {
    char *s;
    size_t n, cap;
    int err;
} Text;

static void tprintf(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tprintf(Text *t, const char *fmt, ...)
{
    if (t->err)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            t->err = 1;
            return;
        }
        if (t->s && t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->n + (size_t)k + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->err = 1;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
}

static int print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    if (!s) {
        sc_set_error("eval: out of memory");
        return -1;
    }
    int bad = printf("%s\n", s) < 0;
    cJSON_free(s);
    if (bad || fflush(stdout) != 0) {
        sc_set_error("stdout: cannot write");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- progress */

/* The library's progress (eval.h) as the bar on stderr (eval_progress.h). */
typedef struct Bar {
    Progress p;
    char label[96];
    int quiet;
} Bar;

static void bar_begin(void *user, const char *label)
{
    Bar *b = user;
    snprintf(b->label, sizeof(b->label), "%s", label);
    progress_init(&b->p, b->label, b->quiet);
}

static void bar_update(void *user, long done, long total, const char *msg)
{
    progress_update(&((Bar *)user)->p, done, total, msg);
}

static void bar_end(void *user)
{
    progress_done(&((Bar *)user)->p);
}

static void lib_options(const EvalOpts *o, Bar *bar, EvalProgress *pr, EvalOptions *lo)
{
    memset(bar, 0, sizeof(*bar));
    bar->quiet = o->quiet;
    *pr = (EvalProgress){bar_begin, bar_update, bar_end, NULL, bar};
    *lo = (EvalOptions){o->model,     o->limit, o->threads, o->n_seeds,
                        o->split_val, o->seed,  pr,         o->sensor};
}

/* ---------------------------------------------------------------- centred */

/* The glyph model's confusions: JSON, and the text line. */
static void print_confusions(const EvalCentredModel *m, cJSON *mj, int json)
{
    cJSON *cj = cJSON_AddObjectToObject(mj, "confusions");
    cJSON_AddNumberToObject(cj, "errors", (double)m->errors);
    cJSON_AddNumberToObject(cj, "case_errors", (double)m->case_errors);
    cJSON_AddNumberToObject(cj, "letters", (double)m->letters);
    cJSON *top = cJSON_AddArrayToObject(cj, "top");
    if (!json)
        printf("  glyphs, errors %ld, of which the same letter in the other case %ld (of %ld "
               "letters); most frequent:",
               m->errors, m->case_errors, m->letters);
    for (int k = 0; k < m->n_top; k++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "pair", m->top_pair[k]);
        cJSON_AddNumberToObject(e, "n", m->top_n[k]);
        cJSON_AddItemToArray(top, e);
        if (!json)
            printf(" %s %d", m->top_pair[k], m->top_n[k]);
    }
    if (!json)
        printf("\n");
}

static int task_centred(const EvalOpts *o)
{
    Bar bar;
    EvalProgress pr;
    EvalOptions lo;
    lib_options(o, &bar, &pr, &lo);
    EvalCentredResult *res = calloc(1, sizeof(*res));
    if (!res) {
        sc_set_error("eval: out of memory");
        return 1;
    }
    int rc = 1;
    cJSON *j = NULL;
    Text csv = {0};
    if (eval_centred(&lo, res) < 0)
        goto done;
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", "centred");
    cJSON_AddStringToObject(j, "split", o->split_val ? "val" : "test");
    tprintf(&csv, "model,set,n,correct,accuracy,ci95_lo,ci95_hi\n");
    if (!o->json)
        printf("centred: each model on its %s, the digit or glyph centred on the gaze\n",
               o->split_val ? "validation split" : "held-out test set");
    for (int m = 0; m < 2; m++) {
        const EvalCentredModel *r = m ? &res->glyphs : &res->mnist;
        cJSON *mj = cJSON_AddObjectToObject(j, m ? "glyphs" : "mnist");
        cJSON_AddStringToObject(mj, "trained_on", r->trained_on);
        cJSON *fams = m ? cJSON_AddArrayToObject(mj, "families") : NULL;
        for (int gi = 0; gi < r->n_groups; gi++) {
            const EvalCentredGroup *g = &r->groups[gi];
            double lo95, hi95;
            eval_wilson(g->correct, g->n, &lo95, &hi95);
            tprintf(&csv, "%s,%s,%d,%ld,%.6f,%.6f,%.6f\n", m ? "glyphs" : "mnist", g->name, g->n,
                    g->correct, g->accuracy, lo95, hi95);
            if (fams) {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddStringToObject(f, "name", g->name);
                cJSON_AddNumberToObject(f, "n", g->n);
                cJSON_AddNumberToObject(f, "accuracy", g->accuracy);
                cJSON_AddItemToObject(f, "ci95", eval_wilson_json(g->correct, g->n));
                cJSON_AddItemToArray(fams, f);
            }
            if (!o->json && m)
                printf("  glyphs, %-20s %6.2f%%  95%% CI %.2f-%.2f%%  n = %d\n", g->name,
                       100 * g->accuracy, 100 * lo95, 100 * hi95, g->n);
        }
        if (m)
            print_confusions(r, mj, o->json);
        double acc = (double)r->correct / (double)r->n, lo95, hi95;
        eval_wilson(r->correct, r->n, &lo95, &hi95);
        cJSON_AddNumberToObject(mj, "n", (double)r->n);
        cJSON_AddNumberToObject(mj, "accuracy", acc);
        cJSON_AddItemToObject(mj, "ci95", eval_wilson_json(r->correct, r->n));
        if (!m)
            cJSON_AddStringToObject(j, "test_set", o->split_val ? "mnist-val" : "mnist-t10k");
        if (!o->json)
            printf("  %-6s %-21s %6.2f%%  95%% CI %.2f-%.2f%%  n = %ld  (%s)\n",
                   m ? "glyphs" : "mnist", m ? "all families" : "digits", 100 * acc, 100 * lo95,
                   100 * hi95, r->n, r->test_desc);
    }
    /* both joined, as a scene of digits and text reads */
    cJSON *jj = cJSON_AddObjectToObject(j, "joined");
    for (int m = 0; m < 2; m++) {
        const EvalJoinedSet *js = m ? &res->joined_glyphs : &res->joined_digits;
        double lo95, hi95, acc = js->n ? (double)js->right / (double)js->n : 0;
        eval_wilson(js->right, js->n, &lo95, &hi95);
        cJSON *sj = cJSON_AddObjectToObject(jj, m ? "glyphs" : "digits");
        cJSON_AddNumberToObject(sj, "n", (double)js->n);
        cJSON_AddNumberToObject(sj, "accuracy", acc);
        cJSON_AddItemToObject(sj, "ci95", eval_wilson_json(js->right, js->n));
        cJSON_AddNumberToObject(sj, "other_kind", (double)js->other_kind);
        tprintf(&csv, "joined,%s,%ld,%ld,%.6f,%.6f,%.6f\n", m ? "glyphs" : "digits", js->n,
                js->right, acc, lo95, hi95);
        if (!o->json)
            printf("  joined (mnist+chars, as scenes of digits and text read), %-6s %6.2f%%  95%% "
                   "CI %.2f-%.2f%%  n = %ld, %ld read as the other kind\n",
                   m ? "glyphs" : "digits", 100 * acc, 100 * lo95, 100 * hi95, js->n,
                   js->other_kind);
    }
    if (!o->json) {
        printf("  published, 28x28 MNIST (Mnih et al. 2014, Table 1; trained on the 60,000):\n");
        for (const EvalPubRow *r = eval_published_centred; r->model; r++)
            printf("    %-34s %5.2f%% error\n", r->model, r->error);
    }
    char cpath[4096], ppath[4096];
    PlotSeries ser[2] = {{"digits (first test group)", res->mnist.class_x, res->mnist.class_acc,
                          res->mnist.n_points, 0},
                         {"glyphs (first held-out family)", res->glyphs.class_x,
                          res->glyphs.class_acc, res->glyphs.n_points, 0}};
    PlotSpec spec = {"Centred accuracy per class",
                     "class index (digits 0-9; glyphs A-Z, a-z, then 0-9)",
                     "accuracy (%)",
                     0,
                     62,
                     0,
                     100,
                     4,
                     10,
                     0.6};
    if (csv.err || out_path(o, "csv", cpath, sizeof(cpath)) < 0 ||
        out_path(o, "png", ppath, sizeof(ppath)) < 0 || write_text(cpath, csv.s) < 0 ||
        plot_write_png(ppath, &spec, ser, 2) < 0)
        goto done;
    if (o->json ? print_json(j) < 0 : printf("wrote %s and %s\n", cpath, ppath) < 0)
        goto done;
    rc = 0;
done:
    cJSON_Delete(j);
    free(csv.s);
    free(res);
    return rc;
}

/* ---------------------------------------------------------------- eccentricity */

static int task_eccentricity(const EvalOpts *o)
{
    Bar bar;
    EvalProgress pr;
    EvalOptions lo;
    lib_options(o, &bar, &pr, &lo);
    EvalEccResult res;
    int rc = 1;
    cJSON *j = NULL;
    Text csv = {0};
    if (eval_eccentricity(&lo, &res) < 0)
        goto done;
    const int per = res.n;
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", "eccentricity");
    cJSON_AddStringToObject(j, "test_set", res.test_set);
    cJSON_AddNumberToObject(j, "max_glimpses", ECC_GLIMPSES);
    cJSON_AddStringToObject(j, "sensor", o->sensor == SIM_SENSOR_SMALL ? "small" : "full");
    cJSON_AddNumberToObject(j, "retina_levels", res.retina_levels);
    cJSON_AddNumberToObject(j, "numbers_per_glimpse", res.numbers_per_glimpse);
    cJSON *rows = cJSON_AddArrayToObject(j, "rows");
    tprintf(&csv, "offset_px,still,still_ci95_lo,still_ci95_hi,saccades,saccades_ci95_lo,"
                  "saccades_ci95_hi,glimpses_mean,n\n");
    double xs[ECC_NOFF], ys[ECC_NOFF], yc[ECC_NOFF];
    if (!o->json) {
        printf("eccentricity: %d %s %s per offset, random directions (seed %llu)\n", per,
               res.test_set, strncmp(res.test_set, "glyphs", 6) ? "digits" : "glyphs",
               (unsigned long long)o->seed);
        printf("  offset   still eye (1 glimpse)        eye free (<= %d glimpses)     glimpses\n",
               ECC_GLIMPSES);
    }
    for (int k = 0; k < ECC_NOFF; k++) {
        const EvalEccRow *e = &res.rows[k];
        double l0, h0, l1, h1;
        eval_wilson(e->still_right, per, &l0, &h0);
        eval_wilson(e->saccades_right, per, &l1, &h1);
        double a0 = (double)e->still_right / per, a1 = (double)e->saccades_right / per;
        xs[k] = e->offset_px;
        ys[k] = 100 * a0;
        yc[k] = 100 * a1;
        tprintf(&csv, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%d\n", e->offset_px, a0, l0, h0, a1,
                l1, h1, e->glimpses_mean, per);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "offset_px", e->offset_px);
        cJSON *st = cJSON_AddObjectToObject(r, "still");
        cJSON_AddNumberToObject(st, "n", per);
        cJSON_AddNumberToObject(st, "accuracy", a0);
        cJSON_AddItemToObject(st, "ci95", eval_wilson_json(e->still_right, per));
        cJSON_AddNumberToObject(st, "glimpses_mean", 1);
        cJSON *sa = cJSON_AddObjectToObject(r, "saccades");
        cJSON_AddNumberToObject(sa, "n", per);
        cJSON_AddNumberToObject(sa, "accuracy", a1);
        cJSON_AddItemToObject(sa, "ci95", eval_wilson_json(e->saccades_right, per));
        cJSON_AddNumberToObject(sa, "glimpses_mean", e->glimpses_mean);
        cJSON_AddItemToArray(rows, r);
        if (!o->json)
            printf("  %4d px   %6.2f%% (%6.2f-%6.2f)     %6.2f%% (%6.2f-%6.2f)     %.2f\n",
                   e->offset_px, 100 * a0, 100 * l0, 100 * h0, 100 * a1, 100 * l1, 100 * h1,
                   e->glimpses_mean);
    }
    if (o->curve) {
        Text cv = {0};
        tprintf(&cv, "offset_px,still,saccades\n");
        for (int k = 0; k < ECC_NOFF; k++)
            tprintf(&cv, "%d,%.4f,%.4f\n", res.rows[k].offset_px,
                    (double)res.rows[k].still_right / per,
                    (double)res.rows[k].saccades_right / per);
        int bad = cv.err || write_text(o->curve, cv.s) < 0;
        free(cv.s);
        if (bad)
            goto done;
    }
    char cpath[4096], ppath[4096], sname[64];
    snprintf(sname, sizeof(sname), "eye free to move (<= %d glimpses)", ECC_GLIMPSES);
    PlotSeries ser[2] = {{"eye held still (1 glimpse)", xs, ys, ECC_NOFF, 0},
                         {sname, xs, yc, ECC_NOFF, 0}};
    PlotSpec spec = {"Dense centre-only classifier: accuracy vs. offset from the gaze",
                     "digit offset from the gaze (px; 32 px = 1 deg)",
                     "accuracy (%)",
                     0,
                     ECC_MAX_PX,
                     0,
                     100,
                     4,
                     10,
                     0.5};
    if (csv.err || out_path(o, "csv", cpath, sizeof(cpath)) < 0 ||
        out_path(o, "png", ppath, sizeof(ppath)) < 0 || write_text(cpath, csv.s) < 0 ||
        plot_write_png(ppath, &spec, ser, 2) < 0)
        goto done;
    if (o->json ? print_json(j) < 0 : printf("wrote %s and %s\n", cpath, ppath) < 0)
        goto done;
    rc = 0;
done:
    cJSON_Delete(j);
    free(csv.s);
    return rc;
}

/* ---------------------------------------------------------------- translated / cluttered */

static cJSON *canvas_json(const EvalCanvasResult *r, const char *task)
{
    const EvalPublished *pub = r->pub;
    const int n = r->n, S = r->n_seeds;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", task);
    cJSON_AddStringToObject(j, "test_set", r->test_set);
    cJSON_AddStringToObject(j, "sensor", r->sensor == SIM_SENSOR_SMALL ? "small" : "full");
    cJSON_AddNumberToObject(j, "retina_levels", r->retina_levels);
    cJSON_AddNumberToObject(j, "numbers_per_glimpse", r->numbers_per_glimpse);
    cJSON_AddNumberToObject(j, "ram_numbers_per_glimpse", pub->glimpse_numbers);
    cJSON *seeds = cJSON_AddArrayToObject(j, "seeds");
    for (int s = 0; s < S; s++)
        cJSON_AddItemToArray(seeds, cJSON_CreateNumber((double)(r->seed + (uint64_t)s)));
    cJSON *rows = cJSON_AddArrayToObject(j, "rows");
    for (int k = 1; k <= MAX_K; k++) {
        const EvalCanvasRow *row = &r->rows[k - 1];
        cJSON *q = cJSON_CreateObject();
        cJSON_AddNumberToObject(q, "glimpses", k);
        cJSON_AddNumberToObject(q, "n", (double)row->n);
        cJSON_AddNumberToObject(q, "error", (double)row->wrong / (double)row->n);
        cJSON_AddItemToObject(q, "ci95", eval_wilson_json(row->wrong, row->n));
        cJSON *ps = cJSON_AddArrayToObject(q, "error_per_seed");
        for (int s = 0; s < S; s++)
            cJSON_AddItemToArray(ps, cJSON_CreateNumber(row->error_per_seed[s]));
        double used = (double)row->glimpses_used / (double)row->n;
        cJSON_AddNumberToObject(q, "glimpses_used_mean", used);
        cJSON_AddNumberToObject(q, "numbers_sensed_mean", used * r->numbers_per_glimpse);
        cJSON_AddNumberToObject(q, "ram_numbers_sensed", (double)k * pub->glimpse_numbers);
        cJSON_AddItemToArray(rows, q);
    }
    const double N = (double)n * S;
    cJSON *lim = cJSON_AddObjectToObject(j, "errors_at_8");
    cJSON_AddNumberToObject(lim, "digit_read_centred", (double)r->wrong_read_centred / N);
    cJSON_AddNumberToObject(lim, "digit_never_read_centred",
                            (double)r->wrong_never_read_centred / N);
    cJSON_AddNumberToObject(j, "glimpses_used_mean_at_8", (double)r->glimpses_used / N);
    cJSON_AddNumberToObject(j, "read_within_3px", (double)r->read_within_3px / N);
    cJSON *pj = cJSON_AddArrayToObject(j, "published");
    for (const EvalPubRow *p = pub->rows; p->model; p++) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "model", p->model);
        cJSON_AddNumberToObject(q, "error", p->error / 100);
        cJSON_AddBoolToObject(q, "verified_from_paper_text", pub->verified);
        cJSON_AddItemToArray(pj, q);
    }
    return j;
}

static void canvas_text(const EvalCanvasResult *r, const EvalOpts *o)
{
    const EvalPublished *pub = r->pub;
    const int n = r->n, S = r->n_seeds;
    printf("%s: %d %s digits x %d seeds (%llu..%llu) in a %dx%d canvas with %d clutter "
           "fragments\n",
           o->task, n, r->test_set, S, (unsigned long long)o->seed,
           (unsigned long long)(o->seed + (uint64_t)S - 1), pub->canvas, pub->canvas,
           pub->fragments);
    printf("  one glimpse senses %d numbers (%s eye: %d retinal levels%s); RAM's senses %d\n",
           r->numbers_per_glimpse, r->sensor == SIM_SENSOR_SMALL ? "sensor-matched" : "shipped",
           r->retina_levels,
           r->sensor == SIM_SENSOR_SMALL ? " of 12^2 and the 28^2 fovea"
                                         : " of 64^2, the fovea inside",
           pub->glimpse_numbers);
    printf("  glimpses   error    95%% CI (pooled n)        seeds min-max     RAM     "
           "numbers sensed: ours (mean), RAM\n");
    for (int k = 1; k <= MAX_K; k++) {
        const EvalCanvasRow *row = &r->rows[k - 1];
        double err = (double)row->wrong / (double)row->n, lo, hi;
        eval_wilson(row->wrong, row->n, &lo, &hi);
        char rs[16] = "";
        if (row->ram_error >= 0)
            snprintf(rs, sizeof(rs), "%.2f%%", 100 * row->ram_error);
        printf("  %8d  %6.2f%%   %5.2f-%5.2f%% (%ld)   %5.2f-%5.2f%%    %-6s  %8.0f, %d\n", k,
               100 * err, 100 * lo, 100 * hi, row->n, 100 * row->error_min_seed,
               100 * row->error_max_seed, rs,
               (double)row->glimpses_used / (double)row->n * r->numbers_per_glimpse,
               k * pub->glimpse_numbers);
    }
    const double N = (double)n * S;
    printf("  answers at 8 glimpses used %.2f glimpses on average (a sure read stops the "
           "count);\n  some read landed within 3 px of the digit's centre in %.1f%% of "
           "canvases\n",
           (double)r->glimpses_used / N, 100.0 * r->read_within_3px / N);
    printf("  errors at 8 glimpses: %.2f%% of canvases with the digit read centred (the "
           "reader),\n  %.2f%% with the digit never read centred (the search)\n",
           100.0 * r->wrong_read_centred / N, 100.0 * r->wrong_never_read_centred / N);
    printf("  published, %s (Mnih et al. 2014%s; trained on the 60,000 on the canvases):\n",
           pub->title, pub->verified ? ", Table 1/2" : "; not re-read from the paper here");
    for (const EvalPubRow *p = pub->rows; p->model; p++)
        printf("    %-34s %5.2f%% error\n", p->model, p->error);
    printf("  ours: a dense classifier trained on centred digits (%s), read where the eye "
           "looks\n",
           r->trained_on);
}

static int canvas_files(const EvalCanvasResult *r, const EvalOpts *o, char *cpath, char *ppath,
                        size_t cap)
{
    const EvalPublished *pub = r->pub;
    Text csv = {0};
    tprintf(&csv, "glimpses,n,error,ci95_lo,ci95_hi,error_min_seed,error_max_seed,ram_error,"
                  "numbers_per_glimpse,ram_numbers_per_glimpse,glimpses_used_mean,"
                  "numbers_sensed_mean,ram_numbers_sensed\n");
    double xs[MAX_K], ye[MAX_K];
    for (int k = 1; k <= MAX_K; k++) {
        const EvalCanvasRow *row = &r->rows[k - 1];
        double err = (double)row->wrong / (double)row->n, lo, hi;
        eval_wilson(row->wrong, row->n, &lo, &hi);
        xs[k - 1] = k;
        ye[k - 1] = 100 * err;
        tprintf(&csv, "%d,%ld,%.6f,%.6f,%.6f,%.6f,%.6f,", k, row->n, err, lo, hi,
                row->error_min_seed, row->error_max_seed);
        if (row->ram_error >= 0)
            tprintf(&csv, "%.4f", row->ram_error);
        double used = (double)row->glimpses_used / (double)row->n;
        tprintf(&csv, ",%d,%d,%.6f,%.1f,%d\n", r->numbers_per_glimpse, pub->glimpse_numbers, used,
                used * r->numbers_per_glimpse, k * pub->glimpse_numbers);
    }
    double xr[MAX_K], yr[MAX_K], xc[2] = {1, MAX_K}, yc[2] = {0, 0};
    int nr = 0;
    for (const EvalPubRow *p = pub->rows; p->model; p++) {
        if (p->glimpses > 0 && strncmp(p->model, "RAM, 8 random", 13)) {
            xr[nr] = p->glimpses;
            yr[nr++] = p->error;
        }
        if (!strcmp(p->model, "Convolutional, 2 layers"))
            yc[0] = yc[1] = p->error;
    }
    /* the plot starts at 3 glimpses, where the comparisons are (1 and 2 are in the table) */
    const int K0 = 3;
    double ymax = 5;
    for (int k = K0; k <= MAX_K; k++)
        ymax = fmax(ymax, ye[k - 1] * 1.15);
    for (int i = 0; i < nr; i++)
        ymax = fmax(ymax, yr[i] * 1.15);
    ymax = fmax(ymax, yc[0] * 1.15);
    ymax = fmin(100, ceil(ymax / 5) * 5);
    char title[160];
    snprintf(title, sizeof(title), "%s: error against glimpses (%d seeds x %d digits)", o->task,
             r->n_seeds, r->n);
    PlotSeries ser[3] = {{"ours: eye + dense reader", xs + K0 - 1, ye + K0 - 1, MAX_K - K0 + 1, 0},
                         {"RAM (Mnih et al. 2014)", xr, yr, nr, 1},
                         {"convnet (Mnih et al. 2014)", xc, yc, 2, 1}};
    xc[0] = K0;
    PlotSpec spec = {title,
                     "glimpses (retina samples), the first at the canvas centre",
                     "error (%)",
                     K0,
                     MAX_K,
                     0,
                     ymax,
                     1,
                     ymax > 20 ? 5 : 1,
                     0};
    int rc = csv.err || out_path(o, "csv", cpath, cap) < 0 || out_path(o, "png", ppath, cap) < 0 ||
                     write_text(cpath, csv.s) < 0 || plot_write_png(ppath, &spec, ser, 3) < 0
                 ? -1
                 : 0;
    if (csv.err)
        sc_set_error("eval: out of memory");
    free(csv.s);
    return rc;
}

static int task_canvas(const EvalOpts *o)
{
    Bar bar;
    EvalProgress pr;
    EvalOptions lo;
    lib_options(o, &bar, &pr, &lo);
    EvalCanvasResult res;
    if (eval_canvas(o->task, &lo, &res) < 0)
        return 1;
    cJSON *j = canvas_json(&res, o->task);
    if (!o->json)
        canvas_text(&res, o);
    char cpath[4096], ppath[4096];
    int rc = 1;
    if (j && canvas_files(&res, o, cpath, ppath, sizeof(cpath)) == 0 &&
        (o->json ? print_json(j) == 0 : printf("wrote %s and %s\n", cpath, ppath) >= 0))
        rc = 0;
    cJSON_Delete(j);
    return rc;
}

/* ---------------------------------------------------------------- command */

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, 0, 'm'},
                                         {"json", no_argument, 0, 'j'},
                                         {"out", required_argument, 0, 'o'},
                                         {"seed", required_argument, 0, 's'},
                                         {"seeds", required_argument, 0, 'n'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {"split", required_argument, 0, 'S'},
                                         {"threads", required_argument, 0, 't'},
                                         {"curve", required_argument, 0, 'c'},
                                         {"sensor", required_argument, 0, 'R'},
                                         {0, 0, 0, 0}};
    if (argc >= 2 && !strcmp(argv[1], "rivals"))
        return cmd_eval_rivals(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "reading"))
        return cmd_eval_reading(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "pursuit"))
        return cmd_eval_pursuit(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "goggles"))
        return cmd_eval_goggles(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "plasticity"))
        return cmd_eval_plasticity(argc - 1, argv + 1);
    EvalOpts o = {NULL, NULL, ".", NULL, 0, 0, 0, 2, 3, 0, 1, SIM_SENSOR_FULL};
    int iv;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': o.model = optarg; break;
        case 'j': o.json = 1; break;
        case 'o': o.out_dir = optarg; break;
        case 's':
            if (cli_parse_u64("eval", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case 'n':
            if (cli_parse_int("eval", "--seeds", optarg, 1, MAX_SEEDS, &iv) < 0)
                return 2;
            o.n_seeds = iv;
            break;
        case 'l':
            if (cli_parse_int("eval", "--limit", optarg, 1, 1000000, &iv) < 0)
                return 2;
            o.limit = iv;
            break;
        case 't':
            if (cli_parse_int("eval", "--threads", optarg, 1, MAX_THREADS, &iv) < 0)
                return 2;
            o.threads = iv;
            break;
        case 'q': o.quiet = 1; break;
        case 'c': o.curve = optarg; break;
        case 'R':
            if (strcmp(optarg, "full") && strcmp(optarg, "small")) {
                sc_log_error("eval: --sensor: full or small, not '%s'", optarg);
                return 2;
            }
            o.sensor = !strcmp(optarg, "small") ? SIM_SENSOR_SMALL : SIM_SENSOR_FULL;
            break;
        case 'S':
            if (cli_parse_split("eval", optarg, &o.split_val) < 0)
                return 2;
            break;
        case 'h': eval_usage(stdout); return 0;
        default: return cli_bad_option("eval", argv, optind);
        }
    }
    if (optind != argc - 1) {
        sc_log_error(optind >= argc ? "eval: which task? (" EVAL_TASK_LIST ")"
                                    : "eval: one task at a time");
        return 2;
    }
    o.task = argv[optind];
    int known = !strcmp(o.task, "centred") || !strcmp(o.task, "eccentricity");
    const EvalPublished *pub = eval_published(o.task);
    if (o.curve && strcmp(o.task, "eccentricity")) {
        sc_log_error("eval: --curve is for the eccentricity task");
        return 2;
    }
    if (!known && !pub) {
        sc_log_error("eval: unknown task '%s' (" EVAL_TASK_LIST ")", o.task);
        return 2;
    }
    /* the outputs are checked before the long work starts (their folder must exist: no
     * command creates folders it was not asked to) */
    char cpath[4096], ppath[4096];
    if (out_path(&o, "csv", cpath, sizeof(cpath)) < 0 ||
        out_path(&o, "png", ppath, sizeof(ppath)) < 0 || output_check(cpath, NULL, 0) < 0 ||
        output_check(ppath, NULL, 0) < 0 || (o.curve && output_check(o.curve, NULL, 0) < 0)) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc;
    if (!strcmp(o.task, "centred"))
        rc = task_centred(&o);
    else if (!strcmp(o.task, "eccentricity"))
        rc = task_eccentricity(&o);
    else
        rc = task_canvas(&o);
    if (rc)
        sc_log_error("%s", sc_last_error());
    return rc;
}
