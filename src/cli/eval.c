/* saccade eval TASK: the experiments that test the claim (see --help and eval_eye.h).
 *
 * Every figure counts glimpses (eval_eye.h), every row prints n and a 95% Wilson interval,
 * canvases are built from the official MNIST test set (or, with --split val, from the
 * validation digits the shipped model never trained on), and tasks whose canvases depend on
 * the seed run over several seeds (default 3) and report the mean and the spread.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "eval/canvas.h"
#include "eval/eye.h"
#include "cli/eval_plot.h"
#include "cli/eval_progress.h"
#include "core/image.h"
#include "core/log.h"
#include "core/output.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "sim/sim_model.h"

#define ECC_MAX_PX 28
#define ECC_STEP_PX 2
#define ECC_NOFF (ECC_MAX_PX / ECC_STEP_PX + 1)
#define ECC_GLIMPSES 4      /* glimpse budget of the saccade condition */
#define PAD_PX CANVAS_PAD_PX /* black margin around the canvases (the retina reads the edge) */
#define MAX_SEEDS 8
#define MAX_K 8
#define MAX_THREADS 8

/* ---------------------------------------------------------------- published figures */

/* Mnih, Heess, Graves, Kavukcuoglu 2014, "Recurrent Models of Visual Attention" (NIPS 2014;
 * arXiv 1406.6247), Tables 1 and 2, error %, as printed there. RAM's glimpse: 8x8 at 1 scale
 * (28x28), 12x12 at 3 scales (60x60), 12x12 at 4 scales (100x100). The 100x100 rows could not
 * be re-read from the paper's text in this session; they are the figures this project
 * recorded earlier and are marked as such wherever they are printed. */
typedef struct PubRow {
    const char *model;
    int glimpses; /* 0: not a glimpse model */
    double error;
} PubRow;
typedef struct Published {
    const char *task, *title;
    int canvas, fragments;
    int glimpse_numbers; /* numbers one RAM glimpse reads */
    int verified;        /* 1: re-read from the paper's text */
    PubRow rows[10];
} Published;

static const Published published[] = {
    {"translated60", "60x60 translated MNIST", 60, 0, 12 * 12 * 3, 1,
     {{"FC, 2 layers (64 hiddens each)", 0, 6.42},
      {"FC, 2 layers (256 hiddens each)", 0, 2.63},
      {"Convolutional, 2 layers", 0, 1.62},
      {"RAM, 4 glimpses, 12x12, 3 scales", 4, 1.54},
      {"RAM, 6 glimpses, 12x12, 3 scales", 6, 1.22},
      {"RAM, 8 glimpses, 12x12, 3 scales", 8, 1.20},
      {NULL, 0, 0}}},
    {"cluttered60", "60x60 cluttered translated MNIST (4 pieces of 8x8 clutter)", 60, 4,
     12 * 12 * 3, 1,
     {{"FC, 2 layers (64 hiddens each)", 0, 28.58},
      {"FC, 2 layers (256 hiddens each)", 0, 11.96},
      {"Convolutional, 2 layers", 0, 8.09},
      {"RAM, 4 glimpses, 12x12, 3 scales", 4, 4.96},
      {"RAM, 6 glimpses, 12x12, 3 scales", 6, 4.08},
      {"RAM, 8 glimpses, 12x12, 3 scales", 8, 4.04},
      {"RAM, 8 random glimpses", 8, 14.4},
      {NULL, 0, 0}}},
    {"cluttered100", "100x100 cluttered translated MNIST (8 pieces of 8x8 clutter)", 100, 8,
     12 * 12 * 4, 0,
     {{"Convolutional, 2 layers", 0, 14.35},
      {"RAM, 4 glimpses, 12x12, 4 scales", 4, 9.41},
      {"RAM, 6 glimpses, 12x12, 4 scales", 6, 8.31},
      {"RAM, 8 glimpses, 12x12, 4 scales", 8, 8.11},
      {NULL, 0, 0}}},
};
#define N_PUBLISHED ((int)(sizeof(published) / sizeof(published[0])))
/* 28x28 MNIST, Table 1 (for the centred task). */
static const PubRow published_centred[] = {
    {"FC, 2 layers (256 hiddens each)", 0, 1.69}, {"Convolutional, 2 layers", 0, 1.21},
    {"RAM, 2 glimpses, 8x8, 1 scale", 2, 3.79},   {"RAM, 3 glimpses, 8x8, 1 scale", 3, 1.51},
    {"RAM, 4 glimpses, 8x8, 1 scale", 4, 1.54},   {"RAM, 5 glimpses, 8x8, 1 scale", 5, 1.34},
    {"RAM, 6 glimpses, 8x8, 1 scale", 6, 1.12},   {"RAM, 7 glimpses, 8x8, 1 scale", 7, 1.07},
    {NULL, 0, 0}};

/* ---------------------------------------------------------------- options */

typedef struct EvalOpts {
    const char *task, *model, *out_dir, *curve;
    int json, quiet, limit, threads, n_seeds;
    int split_val; /* 1: the validation digits / families instead of the test set */
    uint64_t seed;
    cJSON **result; /* non-NULL: a canvas task hands its JSON here instead of printing */
} EvalOpts;

static void eval_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval TASK [--model mnist|glyphs|FILE] [--json] [--out DIR]\n"
            "                         [--seed N] [--seeds N] [--limit N] [--split test|val]\n"
            "                         [--threads N] [--curve FILE] [--quiet]\n"
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
            "  --quiet      no progress bar\n",
            ECC_MAX_PX, ECC_GLIMPSES, 3, MAX_SEEDS, DATASET_MNIST_VAL_N,
            MAX_THREADS);
}

/* The glyph model's errors that are the same letter in the other case (o/O, x/X ...: what
 * a glyph scaled to a box could not tell apart), and its most frequent confusions. */
static void glyph_confusions(Classifier *g, const Dataset *d, cJSON *mj, int json)
{
    static int conf[DATASET_MAX_CLASSES][DATASET_MAX_CLASSES];
    memset(conf, 0, sizeof(conf));
    float probs[DATASET_MAX_CLASSES];
    long errors = 0, case_err = 0, case_n = 0;
    for (int i = 0; i < d->n_test; i++) {
        int y = d->test_y[i], p = classifier_predict(g, d->test_x + (size_t)i * DATASET_PATCH_N,
                                                     probs);
        const char *a = d->class_names[y], *b = d->class_names[p];
        int letter = a[0] && !a[1] && ((a[0] | 32) >= 'a' && (a[0] | 32) <= 'z');
        case_n += letter;
        if (p == y)
            continue;
        errors++;
        conf[y][p]++;
        case_err += letter && b[0] && !b[1] && (a[0] | 32) == (b[0] | 32);
    }
    cJSON *cj = cJSON_AddObjectToObject(mj, "confusions");
    cJSON_AddNumberToObject(cj, "errors", (double)errors);
    cJSON_AddNumberToObject(cj, "case_errors", (double)case_err);
    cJSON_AddNumberToObject(cj, "letters", (double)case_n);
    cJSON *top = cJSON_AddArrayToObject(cj, "top");
    if (!json)
        printf("  glyphs, errors %ld, of which the same letter in the other case %ld (of %ld "
               "letters); most frequent:",
               errors, case_err, case_n);
    for (int k = 0; k < 8; k++) {
        int ba = -1, bb = -1, bn = 0;
        for (int a = 0; a < d->n_classes; a++)
            for (int b = 0; b < d->n_classes; b++)
                if (conf[a][b] > bn) {
                    bn = conf[a][b];
                    ba = a;
                    bb = b;
                }
        if (bn == 0)
            break;
        conf[ba][bb] = 0;
        char pair[64];
        snprintf(pair, sizeof(pair), "%s->%s", d->class_names[ba], d->class_names[bb]);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "pair", pair);
        cJSON_AddNumberToObject(e, "n", bn);
        cJSON_AddItemToArray(top, e);
        if (!json)
            printf(" %s %d", pair, bn);
    }
    if (!json)
        printf("\n");
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

/* ---------------------------------------------------------------- data */

static int load_model_path(const char *opt, char *path, size_t n)
{
    return sim_model_path(NULL, opt, path, n);
}

/* Maps dataset labels (0..9 for MNIST) to the model's class index by name. */
static int class_of_digit(const Classifier *c, int digit)
{
    char name[2] = {(char)('0' + digit), 0};
    for (int i = 0; i < classifier_n_classes(c); i++)
        if (!strcmp(classifier_class_name(c, i), name))
            return i;
    return -1;
}

/* The digits a task reads: the test set, or the validation digits (refused for a model
 * trained on them). */
typedef struct Digits {
    Dataset ds;
    const float *x;
    const uint8_t *y;
    int n;
    const char *set_name; /* "mnist-t10k" or "mnist-val" */
} Digits;

static int digits_load(Digits *d, const EvalOpts *o, const Classifier *c)
{
    memset(d, 0, sizeof(*d));
    if (o->split_val && !classifier_holdout(c)) {
        sc_set_error("--split val: this model trained on the validation split (%s); tuning on "
                     "it would be tuning on training data",
                     classifier_trained_on(c));
        return -1;
    }
    if (dataset_load(&d->ds, "mnist") < 0)
        return -1;
    if (o->split_val) {
        int first = d->ds.n_train - d->ds.n_val;
        d->x = d->ds.train_x + (size_t)first * DATASET_PATCH_N;
        d->y = d->ds.train_y + first;
        d->n = d->ds.n_val;
        d->set_name = "mnist-val";
    } else {
        d->x = d->ds.test_x;
        d->y = d->ds.test_y;
        d->n = d->ds.n_test;
        d->set_name = "mnist-t10k";
    }
    if (o->limit > 0 && o->limit < d->n)
        d->n = o->limit;
    return 0;
}

/* ---------------------------------------------------------------- parallel episodes */

/* Runs job(ctx, eye, i) for i in 0..n-1 on up to `threads` threads, each with its own
 * EvalEye (its own sim and classifier). Items are independent and write only their own
 * results, so the output does not depend on the number of threads. */
typedef int (*EvalJob)(void *ctx, EvalEye *eye, long i);

typedef struct Pool {
    EvalJob job;
    void *ctx;
    long n, next, done;
    int failed;
    char err[512];
    pthread_mutex_t lock;
    const char *model_path;
    int world_w, world_h;
    EvalEyeOptions eo;
    Progress *bar;
    const char *(*status)(void *ctx, char *buf, size_t n);
} Pool;

static void *pool_worker(void *arg)
{
    Pool *p = arg;
    EvalEye *eye = eval_eye_create(p->model_path, p->world_w, p->world_h, &p->eo);
    pthread_mutex_lock(&p->lock);
    if (!eye && !p->failed) {
        p->failed = 1;
        snprintf(p->err, sizeof(p->err), "%s", sc_last_error());
    }
    pthread_mutex_unlock(&p->lock);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        long i = p->failed ? p->n : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        int rc = p->job(p->ctx, eye, i);
        pthread_mutex_lock(&p->lock);
        if (rc < 0 && !p->failed) {
            p->failed = 1;
            snprintf(p->err, sizeof(p->err), "%s", sc_last_error());
        }
        p->done++;
        if (p->bar) {
            char msg[96] = "";
            if (p->status)
                p->status(p->ctx, msg, sizeof(msg));
            progress_update(p->bar, p->done, p->n, msg);
        }
        pthread_mutex_unlock(&p->lock);
    }
    eval_eye_destroy(&eye);
    return NULL;
}

static int pool_run(Pool *p, int threads)
{
    /* p->lock is statically initialised by the caller (PTHREAD_MUTEX_INITIALIZER) */
    pthread_t th[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&th[started], NULL, pool_worker, p) != 0)
            break;
        started++;
    }
    pool_worker(p);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p->lock);
    if (p->failed) {
        sc_set_error("%s", p->err);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- canvases */

/* Canvas i of a task for one seed (eval_canvas.c, shared with `eval rivals`). */
static void build_canvas(Image *w, const Digits *dg, const Published *pub, uint64_t seed, int i,
                         int *tx, int *ty)
{
    canvas_build(w, dg->x, dg->n, pub->canvas, pub->fragments, seed, i, tx, ty);
}

/* The eye's seed for canvas i: its own stream, apart from the canvas's. */
static uint64_t eye_seed(uint64_t seed, long i)
{
    Rng base, r;
    rng_seed(&base, seed ^ 0x9e3779b97f4a7c15ull);
    rng_fork(&base, (uint64_t)i, &r);
    return rng_u64(&r);
}

/* ---------------------------------------------------------------- centred */

static int task_centred(const EvalOpts *o)
{
    char path[4096];
    Classifier *c = NULL, *g = NULL;
    Dataset ds, gds;
    memset(&ds, 0, sizeof(ds));
    memset(&gds, 0, sizeof(gds));
    int rc = 1;
    cJSON *j = NULL;
    Text csv = {0};
    if (load_model_path(o->model, path, sizeof(path)) < 0 || !(c = classifier_load(path)))
        goto done;
    /* the other shipped model too: the digit model on MNIST, the glyph model on the fonts */
    const int is_glyphs = !strncmp(classifier_dataset(c), "glyphs", 6); /* or glyphs-box */
    if (is_glyphs) {
        g = c;
        c = NULL;
        if (load_model_path("mnist", path, sizeof(path)) == 0)
            c = classifier_load(path);
    } else if (load_model_path("glyphs", path, sizeof(path)) == 0) {
        g = classifier_load(path);
    }
    if (!c || !g)
        goto done;
    for (int m = 0; m < 2; m++) {
        const Classifier *mc = m ? g : c;
        if (o->split_val && !classifier_holdout(mc)) {
            sc_set_error("--split val: the %s model trained on its validation split (%s)",
                         classifier_dataset(mc), classifier_trained_on(mc));
            goto done;
        }
    }
    if (dataset_load(&ds, "mnist") < 0 || dataset_load(&gds, classifier_dataset(g)) < 0)
        goto done;
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", "centred");
    cJSON_AddStringToObject(j, "split", o->split_val ? "val" : "test");
    tprintf(&csv, "model,set,n,correct,accuracy,ci95_lo,ci95_hi\n");
    if (!o->json)
        printf("centred: each model on its %s, the digit or glyph centred on the gaze\n",
               o->split_val ? "validation split" : "held-out test set");
    /* per-class accuracy for the plot */
    double xs[2][DATASET_MAX_CLASSES], ys[2][DATASET_MAX_CLASSES];
    int npts[2] = {0, 0};
    for (int m = 0; m < 2; m++) {
        Classifier *mc = m ? g : c;
        Dataset *d = m ? &gds : &ds;
        /* the examples read: the test set, or the validation split (the end of train) */
        Dataset view = *d;
        if (o->split_val) {
            int first = d->n_train - d->n_val;
            view.test_x = d->train_x + (size_t)first * DATASET_PATCH_N;
            view.test_y = d->train_y + first;
            view.n_test = d->n_val;
            view.n_groups = 1;
            view.group_first[0] = 0;
            view.group_count[0] = d->n_val;
            snprintf(view.group_name[0], sizeof(view.group_name[0]), "%s",
                     m ? "validation families" : "mnist-val");
        }
        int cc[DATASET_MAX_CLASSES], ct[DATASET_MAX_CLASSES];
        long total_ok = 0, total_n = 0;
        cJSON *mj = cJSON_AddObjectToObject(j, m ? "glyphs" : "mnist");
        cJSON_AddStringToObject(mj, "trained_on", classifier_trained_on(mc));
        cJSON *fams = m ? cJSON_AddArrayToObject(mj, "families") : NULL;
        int limit = o->limit > 0 && !m ? o->limit : 0;
        for (int gi = 0; gi < view.n_groups; gi++) {
            Dataset part = view;
            part.test_x = view.test_x + (size_t)view.group_first[gi] * DATASET_PATCH_N;
            part.test_y = view.test_y + view.group_first[gi];
            part.n_test = view.group_count[gi];
            int n_used = limit > 0 && limit < part.n_test ? limit : part.n_test;
            double acc = classifier_test_accuracy(mc, &part, n_used, cc, ct);
            long ok = lround(acc * n_used);
            total_ok += ok;
            total_n += n_used;
            double lo, hi;
            eval_wilson(ok, n_used, &lo, &hi);
            tprintf(&csv, "%s,%s,%d,%ld,%.6f,%.6f,%.6f\n", m ? "glyphs" : "mnist",
                    view.group_name[gi], n_used, ok, acc, lo, hi);
            if (fams) {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddStringToObject(f, "name", view.group_name[gi]);
                cJSON_AddNumberToObject(f, "n", n_used);
                cJSON_AddNumberToObject(f, "accuracy", acc);
                cJSON_AddItemToObject(f, "ci95", eval_wilson_json(ok, n_used));
                cJSON_AddItemToArray(fams, f);
            }
            if (!o->json && m)
                printf("  glyphs, %-20s %6.2f%%  95%% CI %.2f-%.2f%%  n = %d\n", view.group_name[gi],
                       100 * acc, 100 * lo, 100 * hi, n_used);
            for (int k = 0; k < d->n_classes; k++)
                if (ct[k] && gi == 0) {
                    xs[m][npts[m]] = k;
                    ys[m][npts[m]++] = 100.0 * cc[k] / ct[k];
                }
        }
        if (m)
            glyph_confusions(mc, &view, mj, o->json);
        double acc = (double)total_ok / (double)total_n, lo, hi;
        eval_wilson(total_ok, total_n, &lo, &hi);
        cJSON_AddNumberToObject(mj, "n", (double)total_n);
        cJSON_AddNumberToObject(mj, "accuracy", acc);
        cJSON_AddItemToObject(mj, "ci95", eval_wilson_json(total_ok, total_n));
        if (!m)
            cJSON_AddStringToObject(j, "test_set", o->split_val ? "mnist-val" : "mnist-t10k");
        if (!o->json)
            printf("  %-6s %-21s %6.2f%%  95%% CI %.2f-%.2f%%  n = %ld  (%s)\n",
                   m ? "glyphs" : "mnist", m ? "all families" : "digits", 100 * acc, 100 * lo,
                   100 * hi, total_n, m ? view.test_desc : ds.test_desc);
    }
    if (!o->json) {
        printf("  published, 28x28 MNIST (Mnih et al. 2014, Table 1; trained on the 60,000):\n");
        for (const PubRow *r = published_centred; r->model; r++)
            printf("    %-34s %5.2f%% error\n", r->model, r->error);
    }
    char cpath[4096], ppath[4096];
    PlotSeries ser[2] = {{"digits (first test group)", xs[0], ys[0], npts[0], 0},
                         {"glyphs (first held-out family)", xs[1], ys[1], npts[1], 0}};
    PlotSpec spec = {"Centred accuracy per class", "class index (digits 0-9; glyphs A-Z then 0-9)",
                     "accuracy (%)", 0, 36, 0, 100, 4, 10, 0.6};
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
    classifier_destroy(&c);
    classifier_destroy(&g);
    dataset_free(&ds);
    dataset_free(&gds);
    return rc;
}

/* ---------------------------------------------------------------- eccentricity */

typedef struct EccCtx {
    const Digits *dg;
    const Classifier *c;
    int side, per;
    uint64_t seed;
    unsigned char *ok;  /* per (offset, digit) */
    int *glimpses;      /* saccade condition: glimpses used */
    int still;
} EccCtx;

static int ecc_job(void *ctx, EvalEye *eye, long item)
{
    EccCtx *x = ctx;
    int k = (int)(item / x->per), i = (int)(item % x->per);
    int off = k * ECC_STEP_PX;
    Rng base, r;
    rng_seed(&base, x->seed);
    rng_fork(&base, (uint64_t)item, &r);
    double a = 2 * M_PI * rng_uniform(&r);
    int dx = (int)lround(off * cos(a)), dy = (int)lround(off * sin(a));
    Image w;
    if (image_create(&w, x->side, x->side) < 0)
        return -1;
    image_fill(&w, 0);
    /* the sim's first look is at the world centre, the sample ((side - 1) / 2) rounded as
     * the eye starts there; the digit's centre of mass sample (14, 14) lands dx, dy from it */
    int g = (x->side - 1) / 2;
    canvas_paste_digit(&w, x->dg->x + (size_t)i * DATASET_PATCH_N, g + dx - 14, g + dy - 14);
    EvalEpisode ep;
    int rc = eval_eye_run(eye, &w, eye_seed(x->seed, item), x->still ? 1 : ECC_GLIMPSES, &ep);
    image_destroy(&w);
    if (rc < 0)
        return -1;
    int want = class_of_digit(x->c, x->dg->y[i]);
    int K = x->still ? 1 : ECC_GLIMPSES;
    x->ok[item] = eval_answer(&ep, K) == want;
    x->glimpses[item] = eval_glimpses_used(&ep, K);
    return 0;
}

static int task_eccentricity(const EvalOpts *o)
{
    char path[4096];
    Classifier *c = NULL;
    Digits dg;
    memset(&dg, 0, sizeof(dg));
    int rc = 1;
    cJSON *j = NULL;
    Text csv = {0};
    unsigned char *ok[2] = {NULL, NULL};
    int *gl[2] = {NULL, NULL};
    if (load_model_path(o->model, path, sizeof(path)) < 0 || !(c = classifier_load(path)))
        goto done;
    if (class_of_digit(c, 0) < 0) {
        sc_set_error("%s: model has no digit classes", path);
        goto done;
    }
    if (digits_load(&dg, o, c) < 0)
        goto done;
    /* odd: the sim's first look, at the world centre, falls on a pixel */
    const int side = 2 * (ECC_MAX_PX + DATASET_SIDE + PAD_PX) + 1;
    int per = dg.n; /* every digit of the set at every offset (--limit: the first N) */
    const long total = (long)ECC_NOFF * per;
    double glim_mean[ECC_NOFF];
    long n_ok[2][ECC_NOFF];
    for (int cond = 0; cond < 2; cond++) {
        ok[cond] = calloc((size_t)total, 1);
        gl[cond] = calloc((size_t)total, sizeof(int));
        if (!ok[cond] || !gl[cond]) {
            sc_set_error("eval: out of memory");
            goto done;
        }
        EccCtx x = {&dg, c, side, per, o->seed, ok[cond], gl[cond], cond == 0};
        Progress bar;
        progress_init(&bar, cond == 0 ? "eccentricity, still" : "eccentricity, saccades",
                      o->quiet);
        Pool p = {ecc_job, &x, total, 0, 0, 0, "", PTHREAD_MUTEX_INITIALIZER, path, side, side,
                  {cond == 0}, &bar, NULL};
        int prc = pool_run(&p, o->threads);
        progress_done(&bar);
        if (prc < 0)
            goto done;
        for (int k = 0; k < ECC_NOFF; k++) {
            long s = 0, gsum = 0;
            for (int i = 0; i < per; i++) {
                s += ok[cond][(long)k * per + i];
                gsum += gl[cond][(long)k * per + i];
            }
            n_ok[cond][k] = s;
            if (cond == 1)
                glim_mean[k] = (double)gsum / per;
        }
    }
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", "eccentricity");
    cJSON_AddStringToObject(j, "test_set", dg.set_name);
    cJSON_AddNumberToObject(j, "max_glimpses", ECC_GLIMPSES);
    {
        SimConfig scfg;
        sim_config_default(&scfg);
        cJSON_AddNumberToObject(j, "numbers_per_glimpse",
                                sim_retina_levels(&scfg.retina, side, side) *
                                    scfg.retina.level_size * scfg.retina.level_size);
    }
    cJSON *rows = cJSON_AddArrayToObject(j, "rows");
    tprintf(&csv, "offset_px,still,still_ci95_lo,still_ci95_hi,saccades,saccades_ci95_lo,"
                  "saccades_ci95_hi,glimpses_mean,n\n");
    double xs[ECC_NOFF], ys[ECC_NOFF], yc[ECC_NOFF];
    if (!o->json) {
        printf("eccentricity: %d %s digits per offset, random directions (seed %llu)\n", per,
               dg.set_name, (unsigned long long)o->seed);
        printf("  offset   still eye (1 glimpse)        eye free (<= %d glimpses)     glimpses\n",
               ECC_GLIMPSES);
    }
    for (int k = 0; k < ECC_NOFF; k++) {
        double l0, h0, l1, h1;
        eval_wilson(n_ok[0][k], per, &l0, &h0);
        eval_wilson(n_ok[1][k], per, &l1, &h1);
        double a0 = (double)n_ok[0][k] / per, a1 = (double)n_ok[1][k] / per;
        xs[k] = k * ECC_STEP_PX;
        ys[k] = 100 * a0;
        yc[k] = 100 * a1;
        tprintf(&csv, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%d\n", k * ECC_STEP_PX, a0, l0, h0,
                a1, l1, h1, glim_mean[k], per);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "offset_px", k * ECC_STEP_PX);
        cJSON *st = cJSON_AddObjectToObject(r, "still");
        cJSON_AddNumberToObject(st, "n", per);
        cJSON_AddNumberToObject(st, "accuracy", a0);
        cJSON_AddItemToObject(st, "ci95", eval_wilson_json(n_ok[0][k], per));
        cJSON_AddNumberToObject(st, "glimpses_mean", 1);
        cJSON *sa = cJSON_AddObjectToObject(r, "saccades");
        cJSON_AddNumberToObject(sa, "n", per);
        cJSON_AddNumberToObject(sa, "accuracy", a1);
        cJSON_AddItemToObject(sa, "ci95", eval_wilson_json(n_ok[1][k], per));
        cJSON_AddNumberToObject(sa, "glimpses_mean", glim_mean[k]);
        cJSON_AddItemToArray(rows, r);
        if (!o->json)
            printf("  %4d px   %6.2f%% (%6.2f-%6.2f)     %6.2f%% (%6.2f-%6.2f)     %.2f\n",
                   k * ECC_STEP_PX, 100 * a0, 100 * l0, 100 * h0, 100 * a1, 100 * l1, 100 * h1,
                   glim_mean[k]);
    }
    if (o->curve) {
        Text cv = {0};
        tprintf(&cv, "offset_px,still,saccades\n");
        for (int k = 0; k < ECC_NOFF; k++)
            tprintf(&cv, "%d,%.4f,%.4f\n", k * ECC_STEP_PX, (double)n_ok[0][k] / per,
                    (double)n_ok[1][k] / per);
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
                     "digit offset from the gaze (px; 32 px = 1 deg)", "accuracy (%)", 0,
                     ECC_MAX_PX, 0, 100, 4, 10, 0.5};
    if (csv.err || out_path(o, "csv", cpath, sizeof(cpath)) < 0 ||
        out_path(o, "png", ppath, sizeof(ppath)) < 0 || write_text(cpath, csv.s) < 0 ||
        plot_write_png(ppath, &spec, ser, 2) < 0)
        goto done;
    if (o->json ? print_json(j) < 0 : printf("wrote %s and %s\n", cpath, ppath) < 0)
        goto done;
    rc = 0;
done:
    for (int cond = 0; cond < 2; cond++) {
        free(ok[cond]);
        free(gl[cond]);
    }
    cJSON_Delete(j);
    free(csv.s);
    classifier_destroy(&c);
    dataset_free(&dg.ds);
    return rc;
}

/* ---------------------------------------------------------------- translated / cluttered */

typedef struct CanvasCtx {
    const Digits *dg;
    const Classifier *c;
    const Published *pub;
    int side, n;
    uint64_t seed;
    unsigned char *ok;   /* [i * MAX_K + k - 1]: right after k glimpses */
    unsigned char *used; /* glimpses used by the answer at MAX_K */
    unsigned char *landed; /* a read within 3 px of the digit's centre of mass */
} CanvasCtx;

static int canvas_job(void *ctx, EvalEye *eye, long i)
{
    CanvasCtx *x = ctx;
    Image w;
    if (image_create(&w, x->side, x->side) < 0)
        return -1;
    int tx, ty;
    build_canvas(&w, x->dg, x->pub, x->seed, (int)i, &tx, &ty);
    EvalEpisode ep;
    int rc = eval_eye_run(eye, &w, eye_seed(x->seed, i), MAX_K, &ep);
    image_destroy(&w);
    if (rc < 0)
        return -1;
    int want = class_of_digit(x->c, x->dg->y[i]);
    for (int k = 1; k <= MAX_K; k++)
        x->ok[i * MAX_K + k - 1] = eval_answer(&ep, k) == want;
    x->used[i] = (unsigned char)eval_glimpses_used(&ep, MAX_K);
    for (int r = 0; r < ep.n_reads; r++)
        if (fabsf(ep.reads[r].x - (float)(tx + 14)) <= 3 && fabsf(ep.reads[r].y - (float)(ty + 14)) <= 3)
            x->landed[i] = 1;
    return 0;
}

static const char *canvas_status(void *ctx, char *buf, size_t n)
{
    const CanvasCtx *x = ctx;
    snprintf(buf, n, "seed %llu", (unsigned long long)x->seed);
    return buf;
}

static int task_canvas(const EvalOpts *o, const Published *pub)
{
    char path[4096];
    Classifier *c = NULL;
    Digits dg;
    memset(&dg, 0, sizeof(dg));
    int rc = 1;
    cJSON *j = NULL;
    Text csv = {0};
    unsigned char *ok = NULL, *used = NULL, *landed = NULL;
    if (load_model_path(o->model, path, sizeof(path)) < 0 || !(c = classifier_load(path)))
        goto done;
    if (class_of_digit(c, 0) < 0) {
        sc_set_error("%s: model has no digit classes (the canvas tasks use MNIST digits)", path);
        goto done;
    }
    if (digits_load(&dg, o, c) < 0)
        goto done;
    /* odd: the sim's first look, at the world centre, falls on a pixel */
    const int side = pub->canvas + 2 * PAD_PX + 1, n = dg.n, S = o->n_seeds;
    ok = calloc((size_t)n * MAX_K * (size_t)S, 1);
    used = calloc((size_t)n * (size_t)S, 1);
    landed = calloc((size_t)n * (size_t)S, 1);
    if (!ok || !used || !landed) {
        sc_set_error("eval: out of memory");
        goto done;
    }
    SimConfig scfg;
    sim_config_default(&scfg);
    int numbers_per_glimpse = 0;
    for (int s = 0; s < S; s++) {
        CanvasCtx x = {&dg, c, pub, side, n, o->seed + (uint64_t)s,
                       ok + (size_t)s * n * MAX_K, used + (size_t)s * n, landed + (size_t)s * n};
        char label[64];
        snprintf(label, sizeof(label), "%s, seed %llu", o->task, (unsigned long long)x.seed);
        Progress bar;
        progress_init(&bar, label, o->quiet);
        Pool p = {canvas_job, &x, n, 0, 0, 0, "", PTHREAD_MUTEX_INITIALIZER, path, side, side,
                  {0}, &bar, canvas_status};
        int prc = pool_run(&p, o->threads);
        progress_done(&bar);
        if (prc < 0)
            goto done;
    }
    /* what one glimpse reads: the sim's retinal levels for this world */
    numbers_per_glimpse = sim_retina_levels(&scfg.retina, side, side) * scfg.retina.level_size *
                          scfg.retina.level_size;
    j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "task", o->task);
    cJSON_AddStringToObject(j, "test_set", dg.set_name);
    cJSON_AddNumberToObject(j, "numbers_per_glimpse", numbers_per_glimpse);
    cJSON_AddNumberToObject(j, "ram_numbers_per_glimpse", pub->glimpse_numbers);
    cJSON *seeds = cJSON_AddArrayToObject(j, "seeds");
    for (int s = 0; s < S; s++)
        cJSON_AddItemToArray(seeds, cJSON_CreateNumber((double)(o->seed + (uint64_t)s)));
    cJSON *rows = cJSON_AddArrayToObject(j, "rows");
    tprintf(&csv, "glimpses,n,error,ci95_lo,ci95_hi,error_min_seed,error_max_seed,ram_error,"
                  "numbers_per_glimpse,ram_numbers_per_glimpse\n");
    double xs[MAX_K], ye[MAX_K];
    if (!o->json) {
        printf("%s: %d %s digits x %d seeds (%llu..%llu) in a %dx%d canvas with %d clutter "
               "fragments\n",
               o->task, n, dg.set_name, S, (unsigned long long)o->seed,
               (unsigned long long)(o->seed + (uint64_t)S - 1), pub->canvas, pub->canvas,
               pub->fragments);
        printf("  one glimpse reads %d numbers (retinal levels x 64^2); RAM's reads %d\n",
               numbers_per_glimpse, pub->glimpse_numbers);
        printf("  glimpses   error    95%% CI (pooled n)        seeds min-max     RAM\n");
    }
    for (int k = 1; k <= MAX_K; k++) {
        long wrong = 0;
        double emin = 1, emax = 0;
        for (int s = 0; s < S; s++) {
            long w = 0;
            for (int i = 0; i < n; i++)
                w += !ok[((size_t)s * n + i) * MAX_K + k - 1];
            wrong += w;
            double e = (double)w / n;
            emin = fmin(emin, e);
            emax = fmax(emax, e);
        }
        long N = (long)n * S;
        double err = (double)wrong / (double)N, lo, hi;
        eval_wilson(wrong, N, &lo, &hi);
        double ram = -1;
        for (const PubRow *r = pub->rows; r->model; r++)
            if (r->glimpses == k && strncmp(r->model, "RAM, 8 random", 13))
                ram = r->error / 100;
        xs[k - 1] = k;
        ye[k - 1] = 100 * err;
        tprintf(&csv, "%d,%ld,%.6f,%.6f,%.6f,%.6f,%.6f,", k, N, err, lo, hi, emin, emax);
        if (ram >= 0)
            tprintf(&csv, "%.4f", ram);
        tprintf(&csv, ",%d,%d\n", numbers_per_glimpse, pub->glimpse_numbers);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "glimpses", k);
        cJSON_AddNumberToObject(r, "n", (double)N);
        cJSON_AddNumberToObject(r, "error", err);
        cJSON_AddItemToObject(r, "ci95", eval_wilson_json(wrong, N));
        cJSON *ps = cJSON_AddArrayToObject(r, "error_per_seed");
        for (int s = 0; s < S; s++) {
            long w = 0;
            for (int i = 0; i < n; i++)
                w += !ok[((size_t)s * n + i) * MAX_K + k - 1];
            cJSON_AddItemToArray(ps, cJSON_CreateNumber((double)w / n));
        }
        cJSON_AddItemToArray(rows, r);
        if (!o->json) {
            char rs[16] = "";
            if (ram >= 0)
                snprintf(rs, sizeof(rs), "%.2f%%", 100 * ram);
            printf("  %8d  %6.2f%%   %5.2f-%5.2f%% (%ld)   %5.2f-%5.2f%%    %s\n", k, 100 * err,
                   100 * lo, 100 * hi, N, 100 * emin, 100 * emax, rs);
        }
    }
    long used_sum = 0, land = 0, wrong_landed = 0, wrong_not = 0;
    for (size_t i = 0; i < (size_t)n * S; i++) {
        used_sum += used[i];
        land += landed[i];
        int wrong8 = !ok[i * MAX_K + MAX_K - 1];
        wrong_landed += landed[i] && wrong8;
        wrong_not += !landed[i] && wrong8;
    }
    /* what limits the error at 8 glimpses: canvases whose digit was never read centred (the
     * search) against digits read centred and still misread (the reader) */
    cJSON *lim = cJSON_AddObjectToObject(j, "errors_at_8");
    cJSON_AddNumberToObject(lim, "digit_read_centred", (double)wrong_landed / ((double)n * S));
    cJSON_AddNumberToObject(lim, "digit_never_read_centred", (double)wrong_not / ((double)n * S));
    cJSON_AddNumberToObject(j, "glimpses_used_mean_at_8", (double)used_sum / ((double)n * S));
    cJSON_AddNumberToObject(j, "read_within_3px", (double)land / ((double)n * S));
    cJSON *pj = cJSON_AddArrayToObject(j, "published");
    for (const PubRow *r = pub->rows; r->model; r++) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "model", r->model);
        cJSON_AddNumberToObject(q, "error", r->error / 100);
        cJSON_AddBoolToObject(q, "verified_from_paper_text", pub->verified);
        cJSON_AddItemToArray(pj, q);
    }
    if (!o->json) {
        printf("  answers at 8 glimpses used %.2f glimpses on average (a sure read stops the "
               "count);\n  some read landed within 3 px of the digit's centre in %.1f%% of "
               "canvases\n",
               (double)used_sum / ((double)n * S), 100.0 * land / ((double)n * S));
        printf("  errors at 8 glimpses: %.2f%% of canvases with the digit read centred (the "
               "reader),\n  %.2f%% with the digit never read centred (the search)\n",
               100.0 * wrong_landed / ((double)n * S), 100.0 * wrong_not / ((double)n * S));
        printf("  published, %s (Mnih et al. 2014%s; trained on the 60,000 on the canvases):\n",
               pub->title, pub->verified ? ", Table 1/2" : "; not re-read from the paper here");
        for (const PubRow *r = pub->rows; r->model; r++)
            printf("    %-34s %5.2f%% error\n", r->model, r->error);
        printf("  ours: a dense classifier trained on centred digits (%s), read where the eye "
               "looks\n",
               classifier_trained_on(c));
    }
    double xr[MAX_K], yr[MAX_K], xc[2] = {1, MAX_K}, yc[2] = {0, 0};
    int nr = 0;
    for (const PubRow *r = pub->rows; r->model; r++) {
        if (r->glimpses > 0 && strncmp(r->model, "RAM, 8 random", 13)) {
            xr[nr] = r->glimpses;
            yr[nr++] = r->error;
        }
        if (!strcmp(r->model, "Convolutional, 2 layers"))
            yc[0] = yc[1] = r->error;
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
    snprintf(title, sizeof(title), "%s: error against glimpses (%d seeds x %d digits)", o->task, S,
             n);
    PlotSeries ser[3] = {{"ours: eye + dense reader", xs + K0 - 1, ye + K0 - 1, MAX_K - K0 + 1, 0},
                         {"RAM (Mnih et al. 2014)", xr, yr, nr, 1},
                         {"convnet (Mnih et al. 2014)", xc, yc, 2, 1}};
    xc[0] = K0;
    PlotSpec spec = {title, "glimpses (retina samples), the first at the canvas centre",
                     "error (%)", K0, MAX_K, 0, ymax, 1, ymax > 20 ? 5 : 1, 0};
    char cpath[4096], ppath[4096];
    /* a caller that takes the result (eval rivals) may ask for no files: out_dir NULL */
    if (csv.err || ((o->out_dir || !o->result) &&
                    (out_path(o, "csv", cpath, sizeof(cpath)) < 0 ||
                     out_path(o, "png", ppath, sizeof(ppath)) < 0 || write_text(cpath, csv.s) < 0 ||
                     plot_write_png(ppath, &spec, ser, 3) < 0)))
        goto done;
    if (o->result) {
        *o->result = j;
        j = NULL;
    } else if (o->json ? print_json(j) < 0 : printf("wrote %s and %s\n", cpath, ppath) < 0)
        goto done;
    rc = 0;
done:
    free(ok);
    free(used);
    free(landed);
    cJSON_Delete(j);
    free(csv.s);
    classifier_destroy(&c);
    dataset_free(&dg.ds);
    return rc;
}

/* ---------------------------------------------------------------- command */

int eval_canvas_task(const char *task, const char *model, uint64_t seed, int n_seeds, int limit,
                     int threads, const char *out_dir, cJSON **out)
{
    *out = NULL;
    for (int i = 0; i < N_PUBLISHED; i++)
        if (!strcmp(task, published[i].task)) {
            EvalOpts o = {task, model, out_dir, NULL, 1, 1, limit, threads, n_seeds, 0, seed, out};
            return task_canvas(&o, &published[i]) ? -1 : 0;
        }
    sc_set_error("eval: '%s' is not a canvas task", task);
    return -1;
}

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {
        {"model", required_argument, 0, 'm'},   {"json", no_argument, 0, 'j'},
        {"out", required_argument, 0, 'o'},     {"seed", required_argument, 0, 's'},
        {"seeds", required_argument, 0, 'n'},   {"limit", required_argument, 0, 'l'},
        {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
        {"split", required_argument, 0, 'S'},   {"threads", required_argument, 0, 't'},
        {"curve", required_argument, 0, 'c'},
        {0, 0, 0, 0}};
    if (argc >= 2 && !strcmp(argv[1], "rivals"))
        return cmd_eval_rivals(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "reading"))
        return cmd_eval_reading(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "pursuit"))
        return cmd_eval_pursuit(argc - 1, argv + 1);
    EvalOpts o = {NULL, NULL, ".", NULL, 0, 0, 0, 2, 3, 0, 1, NULL};
    int iv;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            o.model = optarg;
            break;
        case 'j':
            o.json = 1;
            break;
        case 'o':
            o.out_dir = optarg;
            break;
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
        case 'q':
            o.quiet = 1;
            break;
        case 'c':
            o.curve = optarg;
            break;
        case 'S':
            if (strcmp(optarg, "test") && strcmp(optarg, "val")) {
                sc_log_error("eval: --split: test or val, not '%s'", optarg);
                return 2;
            }
            o.split_val = !strcmp(optarg, "val");
            break;
        case 'h':
            eval_usage(stdout);
            return 0;
        default:
            return cli_bad_option("eval", argv, optind);
        }
    }
    if (optind != argc - 1) {
        sc_log_error(optind >= argc ? "eval: which task? (" EVAL_TASK_LIST ")"
                                    : "eval: one task at a time");
        return 2;
    }
    o.task = argv[optind];
    int known = !strcmp(o.task, "centred") || !strcmp(o.task, "eccentricity");
    const Published *pub = NULL;
    for (int i = 0; i < N_PUBLISHED; i++)
        if (!strcmp(o.task, published[i].task))
            pub = &published[i];
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
    if (out_path(&o, "csv", cpath, sizeof(cpath)) < 0 || out_path(&o, "png", ppath, sizeof(ppath)) < 0 ||
        output_check(cpath, NULL, 0) < 0 || output_check(ppath, NULL, 0) < 0 ||
        (o.curve && output_check(o.curve, NULL, 0) < 0)) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc;
    if (!strcmp(o.task, "centred"))
        rc = task_centred(&o);
    else if (!strcmp(o.task, "eccentricity"))
        rc = task_eccentricity(&o);
    else
        rc = task_canvas(&o, pub);
    if (rc)
        sc_log_error("%s", sc_last_error());
    return rc;
}
