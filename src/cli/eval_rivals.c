/* saccade eval rivals: networks that read the whole canvas (or fixed parts of it, no eye),
 * trained and tested here on the same canvases as `saccade eval TASK` (eval_canvas.h), against
 * ours (the centre-only reader and the sim's eye, through the same code as `saccade eval TASK`).
 *
 * Models (src/rivals/net.h):
 *   conv      conv 8 filters 10x10 stride 5, ReLU, dense 256, ReLU, dense 10: RAM's convolutional
 *             baseline (Mnih et al. 2014: one layer of 8 10x10 filters, stride 5, then a fully
 *             connected layer of 256 ReLUs, then softmax)
 *   lc        the same topology, locally connected (every output position its own 10x10 filters)
 *   fc        dense 256, ReLU, dense 256, ReLU, dense 10 ("FC, 2 layers (256 hiddens each)")
 *   separate  a 3x3 grid of independent fc readers over digit positions: reader (gx, gy) sees the
 *             window that holds every digit whose top-left falls in its cell and trains only on
 *             those canvases; at test all readers read from the fixed gaze (no saccades) and the
 *             most confident one answers
 *   ours      `saccade eval TASK` at 8 glimpses (error at 8 glimpses, glimpses used); below
 *             55,000 digits its reader is retrained on the cell's digits (ours_reader)
 *   X-fixed   conv, lc, fc shown one fixed canvas per digit instead of fresh ones every epoch
 *   modern    a present-day weight-tied CNN: six 3x3 convolutions (W, W, pool, 2W, 2W, pool, 4W,
 *             4W), each with batch norm and ReLU, global max pooling, dropout 0.2, dense 10;
 *             W = 32 is the external PyTorch reference's (288,170 parameters), --width picks W
 *
 * Data: training canvases from the first SIZE official training digits (fragments from the same
 * SIZE digits), fresh canvases every epoch (new position and clutter for each digit; -fixed:
 * one canvas per digit); validation canvases (best of about 20 validations kept) from the
 * validation split (the last 5,000 training digits, never trained on); test canvases from the
 * official test digits with the cell's seed: the very canvases `saccade eval TASK --seed SEED
 * --seeds 1` shows the eye. Adam, cosine-annealed from --lr, batch --batch, at least
 * --min-samples examples shown (the same optimisation budget at every SIZE). Training is
 * single-threaded (OpenBLAS on one thread) and a pure function of the cell.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "cli/eval_plot.h"
#include "core/file.h"
#include "core/log.h"
#include "core/number.h"
#include "core/output.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "nn/net.h"
#include "sim/sim_model.h"

#define MAX_BATCH 256
#define GRID 3
#define MAX_LIST 16
#define N_CLASSES 10

/* conv, lc, fc and separate see fresh canvases of their SIZE digits every epoch (new positions
 * and clutter: the canvases are free augmentation, as the jitter, distortion and clutter of
 * ours' trainer are; Pogodin et al.'s translation augmentation). -fixed: the same net shown one
 * fixed canvas per digit (no generalisation across positions from small SIZE: kept as the
 * control that shows why). */
static const char *const model_names[] = {"conv",       "lc",         "fc",
                                          "separate",   "ours",       "conv-fixed",
                                          "lc-fixed",   "fc-fixed",   "modern"};
#define N_MODELS 9
#define MODEL_SEPARATE 3
#define MODEL_OURS 4
#define MODEL_FIRST_FIXED 5 /* conv-fixed, lc-fixed, fc-fixed: 5, 6, 7 */
#define MODEL_MODERN 8
#define ARCH_MODERN 4 /* reader_build's architectures: 0 conv, 1 lc, 2 fc, 3 separate, 4 modern */
#define MODERN_WIDTH 8 /* modern's default width (README: what 2 cores train in a session) */
#define MODERN_LR 3e-3
#define MODERN_SAMPLES 500000
static const struct {
    const char *task;
    int canvas, fragments;
} tasks[] = {{"translated60", 60, 0}, {"cluttered60", 60, 4}, {"cluttered100", 100, 8}};
#define N_TASKS 3

typedef struct RivalOpts {
    const char *out_dir, *model;
    int quick, epochs, test_limit, threads, quiet, json;
    long min_samples; /* training examples shown at least (more epochs for small SIZE) */
    int batch;        /* minibatch size */
    int standardise;  /* 1: inputs standardised (reader_standardise) */
    double lr;        /* Adam's peak learning rate (cosine-annealed to 0) */
    int width;        /* modern: the first convolutions' channels (0: MODERN_WIDTH) */
} RivalOpts;

typedef struct Cell {
    int model, task, size;
    uint64_t seed;
} Cell;

/* ---------------------------------------------------------------- small helpers */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of this process (all threads): training time on a shared machine. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Every output through core/output: a temporary made with O_EXCL, renamed only after every
 * write succeeded, never through a symbolic link or onto a FIFO or device. */
static int write_file(const char *path, const char *text)
{
    return output_write_all(path, text, strlen(text), NULL, 0);
}

/* The result folder must exist: no command creates folders (README). */
static int check_dir(const char *d)
{
    struct stat st;
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
        sc_set_error("%s: no such folder (create it first)", d);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- canvases as inputs */

typedef struct CanvasSet {
    const float *digits;
    const uint8_t *labels;
    int n, canvas, fragments;
    uint64_t seed;
    int *dx, *dy; /* digit top-left in canvas px, per canvas */
} CanvasSet;

/* Crops the side x side window at (x0, y0) of canvas i (canvas px) into out. */
static void canvas_window(const CanvasSet *cs, Image *w, int i, int x0, int y0, int side,
                          float *out)
{
    int tx, ty;
    canvas_build(w, cs->digits, cs->n, cs->canvas, cs->fragments, cs->seed, i, &tx, &ty);
    for (int y = 0; y < side; y++)
        memcpy(out + (size_t)y * side, image_row(w, CANVAS_PAD_PX + y0 + y) + CANVAS_PAD_PX + x0,
               (size_t)side * sizeof(float));
}

static int canvas_set_init(CanvasSet *cs, const float *digits, const uint8_t *labels, int n,
                           int canvas, int fragments, uint64_t seed, Image *w)
{
    *cs = (CanvasSet){digits, labels, n, canvas, fragments, seed, NULL, NULL};
    cs->dx = malloc((size_t)n * sizeof(int));
    cs->dy = malloc((size_t)n * sizeof(int));
    if (!cs->dx || !cs->dy) {
        sc_set_error("rivals: out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int tx, ty;
        canvas_build(w, digits, n, canvas, fragments, seed, i, &tx, &ty);
        cs->dx[i] = tx - CANVAS_PAD_PX;
        cs->dy[i] = ty - CANVAS_PAD_PX;
    }
    return 0;
}

static void canvas_set_free(CanvasSet *cs)
{
    free(cs->dx);
    free(cs->dy);
    cs->dx = cs->dy = NULL;
}

/* A reader: a net over one fixed window of the canvas. */
typedef struct Reader {
    Net net;
    int x0, y0, side;
    int cell_lo[2], cell_hi[2]; /* digit top-lefts it trains on: [lo, hi) in x and y */
    float mean, inv_std;        /* input standardisation (mean 0, inv_std 1: none) */
} Reader;

/* The reader's input for canvas i of cs: its window, standardised. */
static void reader_input(const Reader *r, const CanvasSet *cs, Image *w, int i, float *out)
{
    canvas_window(cs, w, i, r->x0, r->y0, r->side, out);
    if (r->mean != 0 || r->inv_std != 1)
        for (int j = 0; j < r->side * r->side; j++)
            out[j] = (out[j] - r->mean) * r->inv_std;
}

/* Mean and 1/std of the pixels of the reader's window over the first (up to 1,000) training
 * canvases: one pair of numbers, fixed before training. */
static void reader_standardise(Reader *r, const CanvasSet *tr, Image *w, float *x)
{
    double s = 0, s2 = 0;
    long n = 0;
    for (int i = 0; i < tr->n && i < 1000; i++) {
        canvas_window(tr, w, i, r->x0, r->y0, r->side, x);
        for (int j = 0; j < r->side * r->side; j++) {
            s += x[j];
            s2 += (double)x[j] * x[j];
        }
        n += (long)r->side * r->side;
    }
    double m = n ? s / (double)n : 0, v = n ? s2 / (double)n - m * m : 1;
    r->mean = (float)m;
    r->inv_std = v > 1e-12 ? (float)(1 / sqrt(v)) : 1.0f;
}

static int reader_owns(const Reader *r, const CanvasSet *cs, int i)
{
    return cs->dx[i] >= r->cell_lo[0] && cs->dx[i] < r->cell_hi[0] && cs->dy[i] >= r->cell_lo[1] &&
           cs->dy[i] < r->cell_hi[1];
}

static int reader_build(Reader *r, int model, int side, int batch, int width, uint64_t seed)
{
    Net *n = &r->net;
    net_begin(n, 1, side, side);
    int rc = 0;
    if (model == ARCH_MODERN) { /* 3x3 convolutions without bias (batch norm follows) */
        const int ch[6] = {width, width, 2 * width, 2 * width, 4 * width, 4 * width};
        for (int i = 0; i < 6; i++) {
            rc |= net_add_conv_padded(n, ch[i], 3, 1, 1, 0);
            rc |= net_add_batchnorm(n);
            rc |= net_add_relu(n);
            if (i == 1 || i == 3)
                rc |= net_add_maxpool(n);
        }
        rc |= net_add_globalmax(n);
        rc |= net_add_dropout(n, 0.2f);
        rc |= net_add_dense(n, N_CLASSES);
        return rc ? -1 : net_finish(n, batch, seed);
    }
    if (model == 0)
        rc = net_add_conv(n, 8, 10, 5);
    else if (model == 1)
        rc = net_add_local(n, 8, 10, 5);
    else
        rc = net_add_dense(n, 256);
    rc |= net_add_relu(n);
    rc |= net_add_dense(n, 256); /* conv, lc: the hidden dense layer; fc: the second */
    rc |= net_add_relu(n);
    rc |= net_add_dense(n, N_CLASSES);
    if (rc)
        return -1;
    return net_finish(n, batch, seed);
}

/* Error of a reader on the canvases of cs it owns (or all of them). */
static double reader_error(Reader *r, const CanvasSet *cs, Image *w, float *x, int own_only,
                           long *n_out)
{
    long wrong = 0, n = 0;
    int idx[MAX_BATCH], b = 0, pred[MAX_BATCH];
    const int B = r->net.batch_cap;
    for (int i = 0; i <= cs->n; i++) {
        if (i < cs->n && (!own_only || reader_owns(r, cs, i))) {
            reader_input(r, cs, w, i, x + (size_t)b * r->side * r->side);
            idx[b++] = i;
        }
        if (b == B || (i == cs->n && b > 0)) {
            net_predict(&r->net, b, x, pred);
            for (int s = 0; s < b; s++)
                wrong += pred[s] != cs->labels[idx[s]];
            n += b;
            b = 0;
        }
    }
    if (n_out)
        *n_out = n;
    return n ? (double)wrong / (double)n : 1.0;
}

/* Trains r on the canvases of tr it owns; keeps the weights of the epoch with the lowest
 * validation error. Returns epochs run, -1 on failure. */
static int reader_train(Reader *r, const CanvasSet *tr, const CanvasSet *va, int epochs,
                        double lr0, uint64_t seed, Image *w, float *x, int *best_epoch,
                        double *best_val, int quiet, int fresh)
{
    Net *n = &r->net;
    int *idx = malloc((size_t)tr->n * sizeof(int)), m = 0;
    float *best = malloc(net_weights_n(n) * sizeof(float));
    if (!idx || !best) {
        free(idx);
        free(best);
        sc_set_error("rivals: out of memory");
        return -1;
    }
    for (int i = 0; i < tr->n; i++)
        if (reader_owns(r, tr, i))
            idx[m++] = i;
    Rng rng;
    rng_seed(&rng, seed ^ 0x5348554646ull);
    const int BATCH = n->batch_cap;
    long steps = 0, total = (long)epochs * ((m + BATCH - 1) / BATCH);
    *best_val = 2;
    *best_epoch = 0;
    int labels[MAX_BATCH];
    for (int e = 1; e <= epochs; e++) {
        double loss_sum = 0;
        long hit_sum = 0;
        for (int i = m - 1; i > 0; i--) {
            int j = (int)rng_below(&rng, (uint32_t)(i + 1)), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        CanvasSet epoch_set = *tr;
        if (fresh) /* epoch 1 shows the first canvases; later epochs new ones */
            epoch_set.seed = tr->seed + 0x9e3779b97f4a7c15ull * (uint64_t)(e - 1);
        net_set_training(n, 1); /* batch norm, dropout */
        for (int s0 = 0; s0 < m; s0 += BATCH) {
            int b = m - s0 < BATCH ? m - s0 : BATCH;
            for (int s = 0; s < b; s++) {
                reader_input(r, &epoch_set, w, idx[s0 + s], x + (size_t)s * r->side * r->side);
                labels[s] = tr->labels[idx[s0 + s]];
            }
            net_forward(n, b, x);
            int hits;
            loss_sum += net_backward_xent(n, b, labels, &hits) * b;
            hit_sum += hits;
            /* cosine-annealed Adam */
            float lr = (float)(lr0 * 0.5 * (1 + cos(M_PI * (double)steps / (double)total)));
            net_adam_step(n, lr, 1e-4f);
            steps++;
        }
        /* about 20 validations per run */
        net_set_training(n, 0);
        if (e % ((epochs + 19) / 20) && e != epochs)
            continue;
        double ve = reader_error(r, va, w, x, 1, NULL);
        if (!quiet)
            fprintf(stderr, "    epoch %d: training loss %.4f, accuracy %.4f; validation error %.4f\n",
                    e, loss_sum / (m ? m : 1), (double)hit_sum / (m ? m : 1), ve);
        if (ve < *best_val) {
            *best_val = ve;
            *best_epoch = e;
            net_weights_get(n, best);
        }
    }
    if (*best_epoch)
        net_weights_set(n, best);
    free(idx);
    free(best);
    return epochs;
}

/* ---------------------------------------------------------------- one cell */

static void cell_name(const Cell *c, char *buf, size_t n)
{
    snprintf(buf, n, "cell_%s_%s_%d_%llu.json", model_names[c->model], tasks[c->task].task,
             c->size, (unsigned long long)c->seed);
}

static int parse_cell(const char *s, Cell *c)
{
    char m[32], t[32];
    unsigned long long seed;
    int size;
    if (sscanf(s, "%31[^:]:%31[^:]:%d:%llu", m, t, &size, &seed) != 4)
        goto bad;
    c->model = c->task = -1;
    for (int i = 0; i < N_MODELS; i++)
        if (!strcmp(m, model_names[i]))
            c->model = i;
    for (int i = 0; i < N_TASKS; i++)
        if (!strcmp(t, tasks[i].task))
            c->task = i;
    if (c->model < 0 || c->task < 0 || size < 10 || size > 55000)
        goto bad;
    c->size = size;
    c->seed = seed;
    return 0;
bad:
    sc_set_error("--cell '%s': MODEL:TASK:SIZE:SEED with MODEL conv|lc|fc|separate|ours|"
                 "conv-fixed|lc-fixed|fc-fixed|modern, TASK "
                 "translated60|cluttered60|cluttered100, SIZE 10..55000 training digits",
                 s);
    return -1;
}

/* Ours' reader for a cell: the shipped model at 55,000 digits; below that, the same trainer
 * with the same settings (train_params_mnist, seed = the cell's) on the first SIZE training
 * digits, the validation split held out, shown as many examples as the shipped model saw
 * (16 epochs of 55,000: the epochs scale up as SIZE falls). Nothing is tuned on test. Writes
 * the weights to path. */
static int ours_reader(const Cell *c, const RivalOpts *o, const Dataset *ds, const char *path,
                       cJSON *j)
{
    const int first_val = ds->n_train - ds->n_val;
    TrainParams tp;
    train_params_default(&tp);
    train_params_mnist(&tp);
    const long budget = (long)tp.epochs * first_val;
    tp.epochs = o->quick ? 1 : (int)((budget + c->size - 1) / c->size);
    tp.seed = c->seed;
    tp.threads = o->threads;
    Dataset sub = *ds;
    sub.n_train = c->size + ds->n_val;
    sub.train_x = malloc((size_t)sub.n_train * DATASET_PATCH_N * sizeof(float));
    sub.train_y = malloc((size_t)sub.n_train);
    if (!sub.train_x || !sub.train_y) {
        free(sub.train_x);
        free(sub.train_y);
        sc_set_error("rivals: out of memory");
        return -1;
    }
    memcpy(sub.train_x, ds->train_x, (size_t)c->size * DATASET_PATCH_N * sizeof(float));
    memcpy(sub.train_x + (size_t)c->size * DATASET_PATCH_N,
           ds->train_x + (size_t)first_val * DATASET_PATCH_N,
           (size_t)ds->n_val * DATASET_PATCH_N * sizeof(float));
    memcpy(sub.train_y, ds->train_y, (size_t)c->size);
    memcpy(sub.train_y + c->size, ds->train_y + first_val, (size_t)ds->n_val);
    if (!o->quiet)
        fprintf(stderr, "  training ours' reader on the first %d digits, %d epochs\n", c->size,
                tp.epochs);
    TrainSummary sum;
    double t0 = now_s(), c0 = cpu_s();
    Classifier *cl = classifier_train(&sub, &tp, &sum);
    double secs = now_s() - t0, cpu = cpu_s() - c0;
    free(sub.train_x);
    free(sub.train_y);
    if (!cl)
        return -1;
    int rc = classifier_save(cl, path);
    cJSON_AddNumberToObject(j, "train_seconds", secs);
    cJSON_AddNumberToObject(j, "train_cpu_seconds", cpu);
    cJSON_AddNumberToObject(j, "reader_epochs", tp.epochs);
    cJSON_AddNumberToObject(j, "reader_validation_accuracy", sum.test_accuracy);
    char hs[20];
    snprintf(hs, sizeof(hs), "%016llx", (unsigned long long)classifier_hash(cl));
    cJSON_AddStringToObject(j, "reader_hash", hs);
    classifier_destroy(&cl);
    return rc;
}

static int run_ours(const Cell *c, const RivalOpts *o, const Dataset *ds, cJSON *j)
{
    char path[4096];
    const int first_val = ds->n_train - ds->n_val;
    const int retrain = c->size < first_val;
    const char *model = o->model;
    if (retrain) {
        if (o->model) {
            sc_set_error("rivals: --model is the reader of 55,000-digit ours cells only; below, "
                         "ours' reader is trained on the cell's digits");
            return -1;
        }
        /* the retrained reader, beside the cell files until the cell is measured */
        if (snprintf(path, sizeof(path), "%s/ours_%s_%d_%llu_reader.wts", o->out_dir,
                     tasks[c->task].task, c->size, (unsigned long long)c->seed) >=
            (int)sizeof(path)) {
            sc_set_error("%s: path too long", o->out_dir);
            return -1;
        }
        if (ours_reader(c, o, ds, path, j) < 0)
            return -1;
        model = path;
    } else {
        cJSON_AddNumberToObject(j, "train_seconds", 0);
    }
    double t0 = now_s();
    EvalOptions eo = {model, o->test_limit, o->threads, 1, 0, c->seed, NULL};
    EvalCanvasResult res;
    if (eval_canvas(tasks[c->task].task, &eo, &res) < 0)
        return -1;
    double secs = now_s() - t0;
    long N = res.rows[EVAL_MAX_K - 1].n, wrong = res.rows[EVAL_MAX_K - 1].wrong;
    double passes = (double)res.glimpses_used / ((double)res.n * res.n_seeds);
    Classifier *cl = NULL;
    if (!retrain && sim_model_path(NULL, o->model, path, sizeof(path)) < 0)
        return -1;
    if (!(cl = classifier_load(path)))
        return -1;
    double macs_read = 0;
    for (int l = 0; l < classifier_layer_count(cl); l++)
        macs_read += (double)classifier_layer_size(cl, l) * classifier_layer_size(cl, l + 1);
    cJSON_AddNumberToObject(j, "n_test", (double)N);
    cJSON_AddNumberToObject(j, "errors", (double)wrong);
    cJSON_AddNumberToObject(j, "params", (double)classifier_param_count(cl));
    cJSON_AddNumberToObject(j, "macs_per_answer", macs_read * passes);
    cJSON_AddNumberToObject(j, "macs_per_glimpse", macs_read);
    cJSON_AddStringToObject(j, "macs_note", "classifier layers x glimpses used; the retina, V1 "
                                            "and saliency front end per glimpse not counted");
    cJSON_AddNumberToObject(j, "passes", passes);
    cJSON_AddStringToObject(j, "passes_unit", "glimpses used by the answer at 8 (mean)");
    cJSON_AddNumberToObject(j, "eval_seconds", secs);
    char arch[320];
    snprintf(arch, sizeof(arch), "%s reader (%s); the sim's eye",
             retrain ? "retrained" : "shipped", classifier_trained_on(cl));
    cJSON_AddStringToObject(j, "architecture", arch);
    cJSON_ReplaceItemInObject(j, "training_digits",
                              cJSON_CreateNumber(retrain ? c->size : first_val));
    classifier_destroy(&cl);
    if (retrain)
        remove(path); /* 4 MB; the cell records its hash and the trainer remakes it */
    return 0;
}

static int run_net(const Cell *c, const RivalOpts *o, const Dataset *ds, cJSON *j)
{
    const int canvas = tasks[c->task].canvas, frag = tasks[c->task].fragments;
    int rc = -1;
    Image w = {0};
    float *x = NULL;
    CanvasSet tr = {0}, va = {0}, te = {0};
    Reader rd[GRID * GRID];
    int n_readers = c->model == MODEL_SEPARATE ? GRID * GRID : 1;
    const int fresh = c->model < MODEL_FIRST_FIXED || c->model == MODEL_MODERN;
    const int arch_id = c->model == MODEL_MODERN ? ARCH_MODERN
                        : fresh                  ? c->model
                                                 : c->model - MODEL_FIRST_FIXED;
    const int width = o->width > 0 ? o->width : MODERN_WIDTH;
    /* optimiser settings chosen on validation canvases, per architecture (README): conv and lc
     * batch 32 at lr 3e-3; fc and separate's fc readers batch 128 at lr 2e-3; modern batch 32
     * at lr MODERN_LR */
    const int dense = arch_id == 2 || arch_id == MODEL_SEPARATE;
    const int batch = o->batch ? o->batch : dense ? 128 : 32;
    const double lr = o->lr > 0                ? o->lr
                      : dense                  ? 2e-3
                      : arch_id == ARCH_MODERN ? MODERN_LR
                                               : 3e-3;
    memset(rd, 0, sizeof(rd));
    int first_val = ds->n_train - ds->n_val;
    int n_val = o->quick ? 100 : 2000, n_test = o->test_limit > 0 ? o->test_limit : ds->n_test;
    if (c->size > first_val) {
        sc_set_error("rivals: at most %d training digits", first_val);
        return -1;
    }
    if (image_create(&w, canvas_world_side(canvas), canvas_world_side(canvas)) < 0)
        return -1;
    if (canvas_set_init(&tr, ds->train_x, ds->train_y, c->size, canvas, frag,
                        c->seed ^ 0x545241494e000000ull, &w) < 0 ||
        canvas_set_init(&va, ds->train_x + (size_t)first_val * DATASET_PATCH_N,
                        ds->train_y + first_val, n_val, canvas, frag, c->seed ^ 0x56414c0000ull,
                        &w) < 0 ||
        canvas_set_init(&te, ds->test_x, ds->test_y, n_test, canvas, frag, c->seed, &w) < 0)
        goto done;
    const int span = canvas - DATASET_SIDE + 1; /* digit top-lefts 0..span-1 */
    double params = 0, macs = 0;
    uint64_t hash = 0xcbf29ce484222325ull;
    int epochs = o->quick ? 1 : o->epochs;
    /* examples shown at least: 8 M for conv and lc, 12 M for fc and separate (each within 15
     * minutes of one core at 55,000 digits, README) */
    const long min_samples = o->min_samples >= 0        ? o->min_samples
                             : arch_id == ARCH_MODERN ? MODERN_SAMPLES
                             : dense                  ? 12000000
                                                      : 8000000;
    if (!o->quick && (long)epochs * c->size < min_samples)
        epochs = (int)((min_samples + c->size - 1) / c->size);
    double t0 = now_s(), c0 = cpu_s();
    cJSON *rs = cJSON_AddArrayToObject(j, "readers");
    for (int k = 0; k < n_readers; k++) {
        Reader *r = &rd[k];
        if (n_readers == 1) {
            r->x0 = r->y0 = 0;
            r->side = canvas;
            r->cell_lo[0] = r->cell_lo[1] = 0;
            r->cell_hi[0] = r->cell_hi[1] = span;
        } else {
            int gx = k % GRID, gy = k / GRID;
            r->cell_lo[0] = gx * span / GRID;
            r->cell_hi[0] = (gx + 1) * span / GRID;
            r->cell_lo[1] = gy * span / GRID;
            r->cell_hi[1] = (gy + 1) * span / GRID;
            /* the window holds every digit of the cell; cells are equal up to one px */
            r->side = DATASET_SIDE + (span + GRID - 1) / GRID - 1;
            r->x0 = r->cell_lo[0] + r->side > canvas ? canvas - r->side : r->cell_lo[0];
            r->y0 = r->cell_lo[1] + r->side > canvas ? canvas - r->side : r->cell_lo[1];
        }
        if (reader_build(r, arch_id == MODEL_SEPARATE ? 2 : arch_id, r->side, batch, width,
                         c->seed * 131 + (uint64_t)k) < 0)
            goto done;
        free(x);
        x = malloc((size_t)batch * r->side * r->side * sizeof(float));
        if (!x) {
            sc_set_error("rivals: out of memory");
            goto done;
        }
        r->mean = 0;
        r->inv_std = 1;
        if (o->standardise)
            reader_standardise(r, &tr, &w, x);
        int best_epoch;
        double best_val;
        if (reader_train(r, &tr, &va, epochs, lr, c->seed * 7919 + (uint64_t)k, &w, x, &best_epoch,
                         &best_val, o->quiet, fresh) < 0)
            goto done;
        params += (double)r->net.n_params;
        /* FNV-1a of the weights' bits (then of batch norm's running statistics) */
        for (int part = 0; part < 2; part++) {
            const float *v = part ? r->net.state : r->net.params;
            size_t nv = part ? r->net.n_state : r->net.n_params;
            for (size_t q = 0; q < nv; q++) {
                uint32_t bits;
                memcpy(&bits, &v[q], 4);
                for (int t = 0; t < 4; t++)
                    hash = (hash ^ ((bits >> (8 * t)) & 0xff)) * 0x100000001b3ull;
            }
        }
        macs += net_macs(&r->net);
        cJSON *q = cJSON_CreateObject();
        cJSON_AddNumberToObject(q, "x0", r->x0);
        cJSON_AddNumberToObject(q, "y0", r->y0);
        cJSON_AddNumberToObject(q, "side", r->side);
        cJSON_AddNumberToObject(q, "best_epoch", best_epoch);
        cJSON_AddNumberToObject(q, "val_error", best_val);
        cJSON_AddItemToArray(rs, q);
        if (!o->quiet)
            fprintf(stderr, "  %s reader %d/%d: best epoch %d, validation error %.4f\n",
                    model_names[c->model], k + 1, n_readers, best_epoch, best_val);
    }
    double secs = now_s() - t0, cpu = cpu_s() - c0;
    /* test: every reader reads its window; the most confident answers */
    long wrong = 0;
    {
        int maxside = 0;
        for (int k = 0; k < n_readers; k++)
            maxside = rd[k].side > maxside ? rd[k].side : maxside;
        float *win = malloc((size_t)maxside * maxside * sizeof(float));
        if (!win) {
            sc_set_error("rivals: out of memory");
            goto done;
        }
        for (int i = 0; i < te.n; i++) {
            int best = -1;
            double bp = -1;
            for (int k = 0; k < n_readers; k++) {
                reader_input(&rd[k], &te, &w, i, win);
                const float *z = net_forward(&rd[k].net, 1, win);
                int am = 0;
                double sum = 0;
                for (int q = 1; q < N_CLASSES; q++)
                    if (z[q] > z[am])
                        am = q;
                for (int q = 0; q < N_CLASSES; q++)
                    sum += exp((double)z[q] - z[am]);
                if (1 / sum > bp) {
                    bp = 1 / sum;
                    best = am;
                }
            }
            wrong += best != te.labels[i];
        }
        free(win);
    }
    char modern_arch[320];
    snprintf(modern_arch, sizeof(modern_arch),
             "3x3 conv %d, %d, maxpool, %d, %d, maxpool, %d, %d (no bias; batch norm and ReLU "
             "after each), global max pool, dropout 0.2, dense 10 (modern, width %d)",
             width, width, 2 * width, 2 * width, 4 * width, 4 * width, width);
    const char *const arch[] = {
        "conv 8x10x10 stride 5, ReLU, dense 256, ReLU, dense 10 (RAM's convnet baseline, Mnih et "
        "al. 2014)",
        "locally connected 8x10x10 stride 5 (untied), ReLU, dense 256, ReLU, dense 10",
        "dense 256, ReLU, dense 256, ReLU, dense 10 (RAM's 'FC, 2 layers (256 hiddens each)')",
        "3x3 bank of independent fc readers (256, 256, 10), each on its own window, trained only "
        "on digits in its cell; most confident answers; fixed gaze",
        modern_arch};
    cJSON_AddNumberToObject(j, "n_test", te.n);
    cJSON_AddNumberToObject(j, "errors", (double)wrong);
    cJSON_AddNumberToObject(j, "params", params);
    cJSON_AddNumberToObject(j, "macs_per_answer", macs);
    cJSON_AddNumberToObject(j, "passes", 1);
    cJSON_AddStringToObject(j, "passes_unit", "forward passes over the canvas");
    cJSON_AddNumberToObject(j, "train_seconds", secs);
    cJSON_AddNumberToObject(j, "train_cpu_seconds", cpu);
    cJSON_AddNumberToObject(j, "epochs", epochs);
    cJSON_AddNumberToObject(j, "examples_shown", (double)epochs * c->size);
    cJSON_AddNumberToObject(j, "lr", lr);
    cJSON_AddNumberToObject(j, "batch", batch);
    cJSON_AddBoolToObject(j, "standardised_input", o->standardise);
    cJSON_AddStringToObject(j, "kernels", net_blas_available() ? "OpenBLAS, one thread" : "C loops");
    cJSON_AddNumberToObject(j, "n_val", n_val);
    cJSON_AddStringToObject(j, "architecture", arch[arch_id]);
    if (arch_id == ARCH_MODERN)
        cJSON_AddNumberToObject(j, "width", width);
    cJSON_AddBoolToObject(j, "fresh_canvases_every_epoch", fresh);
    cJSON_AddNumberToObject(j, "trained_on_digits", c->size);
    cJSON_AddNumberToObject(j, "threads", 1);
    char hs[20];
    snprintf(hs, sizeof(hs), "%016llx", (unsigned long long)hash);
    cJSON_AddStringToObject(j, "weights_fnv1a", hs);
    rc = 0;
done:
    for (int k = 0; k < n_readers; k++)
        net_free(&rd[k].net);
    free(x);
    canvas_set_free(&tr);
    canvas_set_free(&va);
    canvas_set_free(&te);
    image_destroy(&w);
    return rc;
}

static int run_cell(const Cell *c, const RivalOpts *o, const Dataset *ds)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "model", model_names[c->model]);
    cJSON_AddStringToObject(j, "task", tasks[c->task].task);
    cJSON_AddNumberToObject(j, "training_digits", c->size);
    cJSON_AddNumberToObject(j, "seed", (double)c->seed);
    cJSON_AddBoolToObject(j, "quick", o->quick);
    cJSON_AddStringToObject(j, "test_set", "mnist-t10k");
    if (!o->quiet)
        fprintf(stderr, "cell %s:%s:%d:%llu\n", model_names[c->model], tasks[c->task].task,
                c->size, (unsigned long long)c->seed);
    int rc = c->model == MODEL_OURS ? run_ours(c, o, ds, j) : run_net(c, o, ds, j);
    if (rc == 0) {
        const cJSON *e = cJSON_GetObjectItem(j, "errors"), *n = cJSON_GetObjectItem(j, "n_test");
        double lo, hi;
        eval_wilson((long)e->valuedouble, (long)n->valuedouble, &lo, &hi);
        cJSON_AddNumberToObject(j, "error", e->valuedouble / n->valuedouble);
        cJSON *ci = cJSON_AddArrayToObject(j, "ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
        char name[256], path[4400];
        cell_name(c, name, sizeof(name));
        snprintf(path, sizeof(path), "%s/%s", o->out_dir, name);
        char *s = cJSON_Print(j);
        rc = s ? write_file(path, s) : -1;
        if (rc == 0 && !o->quiet)
            fprintf(stderr, "  error %.4f (%.4f-%.4f), n %d -> %s\n",
                    e->valuedouble / n->valuedouble, lo, hi, (int)n->valuedouble, path);
        cJSON_free(s);
    }
    cJSON_Delete(j);
    return rc;
}

/* ---------------------------------------------------------------- merge */

/* The external reference run of issue 18 (PyTorch on one H100, seed 1, the project's own seed-1
 * test canvases; modern at width 32, 288,170 parameters): test error in percent. Shown on the
 * plots as marks, never merged into the table's rows (it is not a cell of this harness). */
static const struct {
    int task, size;
    double error_pct;
} modern_external[] = {{1, 55000, 0.59}, {1, 4000, 1.40}, {1, 1000, 2.67}, {2, 55000, 0.58}};

typedef struct Row {
    int model, task, size, seeds;
    long errors, n;
    double params, macs, train_s, passes;
} Row;

/* a number of a cell file in [0, hi] (a damaged file's huge value would overrun the table) */
static int in_range(const cJSON *v, double hi)
{
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= hi;
}

static int is_cell_file(const struct dirent *de)
{
    size_t L = strlen(de->d_name);
    return !strncmp(de->d_name, "cell_", 5) && L >= 6 && !strcmp(de->d_name + L - 5, ".json");
}

typedef struct Seen {
    int model, task, size;
    double seed;
} Seen;

static int merge(const RivalOpts *o, const char *dir)
{
    /* cell files in name order (not directory order: which of two files naming the same cell
     * is kept must not depend on the file system); each read through file_read_all (regular
     * files only, so a FIFO never blocks), every table grown as needed */
    struct dirent **names = NULL;
    int n_names = scandir(dir, &names, is_cell_file, alphasort);
    if (n_names < 0) {
        sc_set_error("%s: cannot open (%s)", dir, strerror(errno));
        return -1;
    }
    Row *rows = calloc((size_t)n_names + 1, sizeof(Row));
    Seen *seen = calloc((size_t)n_names + 1, sizeof(Seen));
    if (!rows || !seen) {
        for (int i = 0; i < n_names; i++)
            free(names[i]);
        free(names);
        free(rows);
        free(seen);
        sc_set_error("%s: out of memory", dir);
        return -1;
    }
    int nr = 0, files = 0, n_seen = 0;
    for (int fi = 0; fi < n_names; fi++) {
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", dir, names[fi]->d_name);
        unsigned char *data;
        size_t n;
        if (file_read_all(path, 1 << 20, &data, &n) < 0) {
            sc_log_warn("%s, skipped", sc_last_error());
            continue;
        }
        cJSON *j = cJSON_ParseWithLength((const char *)data, n);
        free(data);
        const cJSON *m = cJSON_GetObjectItem(j, "model"), *t = cJSON_GetObjectItem(j, "task");
        const cJSON *sz = cJSON_GetObjectItem(j, "training_digits");
        const cJSON *e = cJSON_GetObjectItem(j, "errors"), *nt = cJSON_GetObjectItem(j, "n_test");
        const cJSON *pa = cJSON_GetObjectItem(j, "params"), *ma = cJSON_GetObjectItem(j, "macs_per_answer");
        const cJSON *ts = cJSON_GetObjectItem(j, "train_seconds"), *ps = cJSON_GetObjectItem(j, "passes");
        int mi = -1, ti = -1;
        for (int i = 0; cJSON_IsString(m) && i < N_MODELS; i++)
            if (!strcmp(m->valuestring, model_names[i]))
                mi = i;
        for (int i = 0; cJSON_IsString(t) && i < N_TASKS; i++)
            if (!strcmp(t->valuestring, tasks[i].task))
                ti = i;
        if (mi < 0 || ti < 0 || !cJSON_IsNumber(sz) || !cJSON_IsNumber(e) || !cJSON_IsNumber(nt) ||
            !in_range(pa, 1e12) || !in_range(ma, 1e12) || !in_range(ts, 1e9) || !in_range(ps, 1e3) ||
            !(nt->valuedouble >= 1 && nt->valuedouble <= 1e9) || !(e->valuedouble >= 0) ||
            e->valuedouble > nt->valuedouble || !(sz->valuedouble >= 1 && sz->valuedouble <= 1e6)) {
            sc_log_warn("%s: not a rivals result, skipped", path);
            cJSON_Delete(j);
            continue;
        }
        /* one measurement per (model, task, digits, seed): ours cells of several sizes are the
         * same measurement */
        const cJSON *sd = cJSON_GetObjectItem(j, "seed");
        double seed = cJSON_IsNumber(sd) ? sd->valuedouble : -1;
        int dup = 0;
        for (int q = 0; q < n_seen; q++)
            dup |= seen[q].model == mi && seen[q].task == ti &&
                   seen[q].size == (int)sz->valuedouble && seen[q].seed == seed;
        if (dup) {
            sc_log_warn("%s: a second result for the same cell, skipped", path);
            cJSON_Delete(j);
            continue;
        }
        seen[n_seen].model = mi;
        seen[n_seen].task = ti;
        seen[n_seen].size = (int)sz->valuedouble;
        seen[n_seen++].seed = seed;
        files++;
        int r = 0;
        while (r < nr && !(rows[r].model == mi && rows[r].task == ti &&
                           rows[r].size == (int)sz->valuedouble))
            r++;
        if (r == nr) {
            memset(&rows[nr], 0, sizeof(Row));
            rows[nr].model = mi;
            rows[nr].task = ti;
            rows[nr].size = (int)sz->valuedouble;
            nr++;
        }
        Row *w = &rows[r];
        w->seeds++;
        w->errors += (long)e->valuedouble;
        w->n += (long)nt->valuedouble;
        w->params = pa->valuedouble;
        w->macs += ma->valuedouble;
        w->train_s += ts->valuedouble;
        w->passes += ps->valuedouble;
        cJSON_Delete(j);
    }
    for (int i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    free(seen);
    if (!files) {
        free(rows);
        sc_set_error("%s: no cell_*.json result files", dir);
        return -1;
    }
    /* order: task, model, size */
    for (int a = 1; a < nr; a++)
        for (int b = a; b > 0; b--) {
            Row *p = &rows[b - 1], *q = &rows[b];
            long kp = ((long)p->task * N_MODELS + p->model) * 100000 + p->size;
            long kq = ((long)q->task * N_MODELS + q->model) * 100000 + q->size;
            if (kp <= kq)
                break;
            Row t = *p;
            *p = *q;
            *q = t;
        }
    size_t cap = 256 + (size_t)nr * 320;
    char *csv = malloc(cap);
    if (!csv) {
        free(rows);
        sc_set_error("rivals: out of memory");
        return -1;
    }
    size_t len = (size_t)snprintf(csv, cap, "model,task,training_digits,seeds,n,error,ci95_lo,"
                                            "ci95_hi,params,macs_per_answer,train_seconds_mean,"
                                            "passes_mean,minus_conv,minus_conv_lo,"
                                            "minus_conv_hi\n");
    cJSON *out = cJSON_CreateArray();
    if (!o->json)
        printf("%-9s %-13s %7s %5s %7s %7s  %-15s %10s %12s %9s %6s  %s\n", "model", "task",
               "digits", "seeds", "n", "error", "95% CI", "params", "MACs/answer", "train s",
               "passes", "minus conv [95% CI], points");
    for (int r = 0; r < nr; r++) {
        Row *w = &rows[r];
        double lo, hi, err = (double)w->errors / (double)w->n;
        eval_wilson(w->errors, w->n, &lo, &hi);
        double macs = w->macs / w->seeds, ts = w->train_s / w->seeds, ps = w->passes / w->seeds;
        /* the difference from conv at the same task and digits, Newcombe's hybrid score
         * interval from the two Wilson intervals (the two error rates taken as independent) */
        const Row *cv = NULL;
        for (int q = 0; q < nr; q++)
            if (q != r && rows[q].model == 0 && rows[q].task == w->task && rows[q].size == w->size)
                cv = &rows[q];
        double gap = 0, glo = 0, ghi = 0;
        if (cv) {
            double cl, ch, ce = (double)cv->errors / (double)cv->n;
            eval_wilson(cv->errors, cv->n, &cl, &ch);
            gap = err - ce;
            glo = gap - sqrt((err - lo) * (err - lo) + (ch - ce) * (ch - ce));
            ghi = gap + sqrt((hi - err) * (hi - err) + (ce - cl) * (ce - cl));
        }
        len += (size_t)snprintf(csv + len, cap - len, "%s,%s,%d,%d,%ld,%.6f,%.6f,%.6f,%.0f,%.0f,%.1f,%.3f",
                                model_names[w->model], tasks[w->task].task, w->size, w->seeds, w->n,
                                err, lo, hi, w->params, macs, ts, ps);
        if (cv)
            len += (size_t)snprintf(csv + len, cap - len, ",%.6f,%.6f,%.6f\n", gap, glo, ghi);
        else
            len += (size_t)snprintf(csv + len, cap - len, ",,,\n");
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "model", model_names[w->model]);
        cJSON_AddStringToObject(q, "task", tasks[w->task].task);
        cJSON_AddNumberToObject(q, "training_digits", w->size);
        cJSON_AddNumberToObject(q, "seeds", w->seeds);
        cJSON_AddNumberToObject(q, "n", (double)w->n);
        cJSON_AddNumberToObject(q, "error", err);
        cJSON *ci = cJSON_AddArrayToObject(q, "ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
        cJSON_AddNumberToObject(q, "params", w->params);
        cJSON_AddNumberToObject(q, "macs_per_answer", macs);
        cJSON_AddNumberToObject(q, "train_seconds_mean", ts);
        cJSON_AddNumberToObject(q, "passes_mean", ps);
        if (cv) {
            cJSON_AddNumberToObject(q, "minus_conv", gap);
            cJSON *gi = cJSON_AddArrayToObject(q, "minus_conv_ci95");
            cJSON_AddItemToArray(gi, cJSON_CreateNumber(glo));
            cJSON_AddItemToArray(gi, cJSON_CreateNumber(ghi));
        }
        cJSON_AddItemToArray(out, q);
        if (!o->json) {
            printf("%-9s %-13s %7d %5d %7ld %6.2f%%  %5.2f-%5.2f%%   %10.0f %12.0f %9.1f %6.2f",
                   model_names[w->model], tasks[w->task].task, w->size, w->seeds, w->n, 100 * err,
                   100 * lo, 100 * hi, w->params, macs, ts, ps);
            if (cv)
                printf("  %+6.2f [%+.2f, %+.2f]", 100 * gap, 100 * glo, 100 * ghi);
            printf("\n");
        }
    }
    char path[4400];
    snprintf(path, sizeof(path), "%s/rivals.csv", dir);
    int rc = write_file(path, csv);
    free(csv);
    /* one plot per task: error against log10 training digits, one line per model */
    for (int t = 0; t < N_TASKS && rc == 0; t++) {
        double xs[N_MODELS + 1][MAX_LIST], ys[N_MODELS + 1][MAX_LIST], ymax = 5, xmin = 1e9,
                                                                          xmax = 0;
        PlotSeries ser[N_MODELS + 1];
        int ns = 0;
        for (int m = 0; m < N_MODELS; m++) {
            if (m >= MODEL_FIRST_FIXED && m < MODEL_MODERN) /* the -fixed controls: table only */
                continue;
            int k = 0;
            for (int r = 0; r < nr; r++)
                if (rows[r].task == t && rows[r].model == m && k == MAX_LIST) {
                    sc_log_warn("rivals_%s.png: %s at more than %d sizes; the plot shows the "
                                "first %d (the CSV has every row)", tasks[t].task, model_names[m],
                                MAX_LIST, MAX_LIST);
                    break;
                } else if (rows[r].task == t && rows[r].model == m) {
                    xs[ns][k] = log10(rows[r].size);
                    ys[ns][k] = 100.0 * rows[r].errors / (double)rows[r].n;
                    ymax = fmax(ymax, ys[ns][k] * 1.1);
                    xmin = fmin(xmin, xs[ns][k]);
                    xmax = fmax(xmax, xs[ns][k]);
                    k++;
                }
            /* the RAM-era rivals faded: the race is ours against modern */
            int style = m == MODEL_OURS || m == MODEL_MODERN ? 0 : PLOT_FADED;
            if (k)
                ser[ns] = (PlotSeries){m == MODEL_MODERN ? "modern (this harness)" : model_names[m],
                                       xs[ns], ys[ns], k, style},
                ns++;
        }
        /* the external reference (issue 18: PyTorch, width 32, one H100, seed 1) as marks */
        {
            int k = 0;
            for (int q = 0; q < (int)(sizeof(modern_external) / sizeof(modern_external[0])); q++)
                if (modern_external[q].task == t && ns > 0) {
                    xs[ns][k] = log10(modern_external[q].size);
                    ys[ns][k] = modern_external[q].error_pct;
                    xmin = fmin(xmin, xs[ns][k]);
                    xmax = fmax(xmax, xs[ns][k]);
                    k++;
                }
            if (k)
                ser[ns] = (PlotSeries){"modern, width 32 (external, PyTorch)", xs[ns], ys[ns], k,
                                       PLOT_POINTS},
                ns++;
        }
        if (!ns)
            continue;
        xmin = floor(xmin * 2) / 2;
        xmax = fmax(xmin + 0.5, ceil(xmax * 2) / 2);
        /* ours measured at one size only: a level line across */
        for (int q = 0; q < ns; q++)
            if (ser[q].name == model_names[MODEL_OURS] && ser[q].n == 1) {
                double *xq = (double *)ser[q].x, *yq = (double *)ser[q].y;
                xq[1] = xmax;
                xq[0] = xmin;
                yq[1] = yq[0];
                ser[q].n = 2;
                ser[q].dashed = PLOT_DASHED;
                ser[q].name = "ours, 8 glimpses (one size)";
            }
        ymax = fmin(100, ceil(ymax / 5) * 5);
        char title[128];
        snprintf(title, sizeof(title), "%s: test error against training digits (ours at 8 "
                 "glimpses)", tasks[t].task);
        PlotSpec spec = {title, "log10 training digits", "error (%)", xmin, xmax, 0, ymax, 0.5,
                         ymax > 20 ? 10 : 1, 0};
        snprintf(path, sizeof(path), "%s/rivals_%s.png", dir, tasks[t].task);
        rc = plot_write_png(path, &spec, ser, ns);
    }
    if (rc == 0 && o->json) {
        char *s = cJSON_PrintUnformatted(out);
        printf("%s\n", s ? s : "[]");
        cJSON_free(s);
    } else if (rc == 0)
        printf("wrote %s/rivals.csv and rivals_TASK.png (%d result files)\n", dir, files);
    cJSON_Delete(out);
    free(rows);
    return rc;
}

/* ---------------------------------------------------------------- command */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval rivals --cell MODEL:TASK:SIZE:SEED [--out DIR] [options]\n"
            "       saccade eval rivals --merge DIR [--json]\n"
            "       saccade eval rivals [--models L] [--tasks L] [--sizes L] [--seeds L] [--out DIR]\n"
            "\n"
            "Trains and tests rivals of the eye on the canvases of `saccade eval TASK`:\n"
            "  conv      conv 8x10x10 stride 5, dense 256, dense 10 (RAM's convnet baseline)\n"
            "  lc        the same, locally connected (untied)\n"
            "  fc        dense 256, 256, 10 (RAM's FC baseline)\n"
            "  separate  3x3 bank of fc readers, each trained only on digits in its cell, no eye\n"
            "  ours      `saccade eval TASK` at 8 glimpses; below 55,000 digits its reader is\n"
            "            retrained on the cell's digits (the shipped model's settings)\n"
            "  conv-fixed, lc-fixed, fc-fixed  conv, lc, fc shown one fixed canvas per digit\n"
            "            instead of fresh canvases of their digits every epoch\n"
            "  modern    3x3 convs W, W, pool, 2W, 2W, pool, 4W, 4W with batch norm and ReLU,\n"
            "            global max pool, dropout 0.2, dense 10 (a present-day tied CNN)\n"
            "on translated60, cluttered60, cluttered100, from the first SIZE training digits.\n"
            "Each cell writes DIR/cell_MODEL_TASK_SIZE_SEED.json; --merge DIR writes DIR/rivals.csv\n"
            "and DIR/rivals_TASK.png from whatever cells exist. Without --cell or --merge, runs the\n"
            "cells of the lists (comma separated) one after another, then merges.\n"
            "\n"
            "  --out DIR       result folder (default rivals)\n"
            "  --epochs N      training epochs, best validation epoch kept (default 20, raised\n"
            "                  until --min-samples examples are shown)\n"
            "  --min-samples N examples shown at least, the same at every SIZE (default:\n"
            "                  8000000 for conv and lc, 12000000 for fc and separate, 500000\n"
            "                  for modern)\n"
            "  --lr X          Adam's learning rate, cosine-annealed to 0 (default: 0.003 for\n"
            "                  conv, lc and modern, 0.002 for fc and separate, chosen on validation)\n"
            "  --batch N       minibatch, at most 256 (default: 32 for conv, lc and modern, 128\n"
            "                  for fc and separate)\n"
            "  --width W       modern's first channels (default 8; 32 is the external reference)\n"
            "  --standardise B 1: inputs to mean 0, sd 1 (over the first 1,000 training canvases);\n"
            "                  default 0 (not validated)\n"
            "  --test-limit N  test canvases (default all 10,000)\n"
            "  --quick         1 epoch, 100 validation and 200 test canvases (for tests)\n"
            "  --model M       ours's reader in 55,000-digit cells (default mnist, the shipped one)\n"
            "  --threads N     threads of ours's eye and reader trainer (default 2; the results do\n"
            "                  not depend on it); the rivals train on one thread\n"
            "  --json          merge: rows as JSON on stdout\n"
            "  --quiet         no progress\n");
}

static int split_list(const char *s, char items[MAX_LIST][32])
{
    int n = 0;
    const char *p = s;
    while (*p && n < MAX_LIST) {
        const char *q = strchr(p, ',');
        size_t L = q ? (size_t)(q - p) : strlen(p);
        if (L >= 32)
            L = 31;
        memcpy(items[n], p, L);
        items[n++][L] = 0;
        if (!q)
            break;
        p = q + 1;
    }
    return n;
}

int cmd_eval_rivals(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cell", required_argument, 0, 'c'},   {"merge", required_argument, 0, 'M'},
        {"out", required_argument, 0, 'o'},    {"epochs", required_argument, 0, 'e'},
        {"test-limit", required_argument, 0, 'l'}, {"quick", no_argument, 0, 'Q'},
        {"model", required_argument, 0, 'm'},  {"threads", required_argument, 0, 't'},
        {"json", no_argument, 0, 'j'},         {"quiet", no_argument, 0, 'q'},
        {"models", required_argument, 0, '1'}, {"tasks", required_argument, 0, '2'},
        {"sizes", required_argument, 0, '3'},  {"seeds", required_argument, 0, '4'},
        {"min-samples", required_argument, 0, '5'}, {"batch", required_argument, 0, '6'},
        {"lr", required_argument, 0, '7'},     {"standardise", required_argument, 0, '8'},
        {"width", required_argument, 0, '9'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    /* ours's eye on 2 threads, like eval (its results do not depend on the count) */
    /* min_samples -1, batch 0, lr 0: each architecture's own setting */
    RivalOpts o = {"rivals", NULL, 0, 20, 0, 2, 0, 0, -1, 0, 0, 0, 0};
    const char *cell = NULL, *merge_dir = NULL;
    const char *models = "conv,lc,fc,separate,ours", *tl = "cluttered60", *sizes = "1000,4000",
               *seeds = "1";
    optind = 1;
    opterr = 0;
    int ch, iv;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': cell = optarg; break;
        case 'M': merge_dir = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'e':
            if (cli_parse_int("eval rivals", "--epochs", optarg, 1, 1000, &o.epochs) < 0)
                return 2;
            break;
        case 'l':
            if (cli_parse_int("eval rivals", "--test-limit", optarg, 1, 10000, &o.test_limit) < 0)
                return 2;
            break;
        case 't':
            if (cli_parse_int("eval rivals", "--threads", optarg, 1, 8, &iv) < 0)
                return 2;
            o.threads = iv;
            break;
        case '5':
            if (cli_parse_int("eval rivals", "--min-samples", optarg, 0, 100000000, &iv) < 0)
                return 2;
            o.min_samples = iv;
            break;
        case '6':
            if (cli_parse_int("eval rivals", "--batch", optarg, 1, MAX_BATCH, &o.batch) < 0)
                return 2;
            break;
        case '7': {
            if (number_parse_double(optarg, &o.lr) != NUMBER_OK || !(o.lr > 0 && o.lr < 1)) {
                sc_log_error("eval rivals: --lr '%s': a learning rate in (0, 1)", optarg);
                return 2;
            }
            break;
        }
        case '8':
            if (cli_parse_int("eval rivals", "--standardise", optarg, 0, 1, &o.standardise) < 0)
                return 2;
            break;
        case '9':
            if (cli_parse_int("eval rivals", "--width", optarg, 1, 64, &o.width) < 0)
                return 2;
            break;
        case 'Q': o.quick = 1; break;
        case 'm': o.model = optarg; break;
        case 'j': o.json = 1; break;
        case 'q': o.quiet = 1; break;
        case '1': models = optarg; break;
        case '2': tl = optarg; break;
        case '3': sizes = optarg; break;
        case '4': seeds = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_bad_option("eval rivals", argv, optind);
        }
    }
    if (optind != argc) {
        sc_log_error("eval rivals: unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (o.quick && !o.test_limit)
        o.test_limit = 200;
    if (merge_dir) {
        if (merge(&o, merge_dir) < 0) {
            sc_log_error("%s", sc_last_error());
            return 1;
        }
        return 0;
    }
    Cell cells[MAX_LIST * 4];
    int nc = 0;
    if (cell) {
        if (parse_cell(cell, &cells[0]) < 0) {
            sc_log_error("%s", sc_last_error());
            return 2;
        }
        nc = 1;
    } else {
        char lm[MAX_LIST][32], lt[MAX_LIST][32], lz[MAX_LIST][32], ls[MAX_LIST][32];
        int nm = split_list(models, lm), nt = split_list(tl, lt), nz = split_list(sizes, lz),
            nsd = split_list(seeds, ls);
        for (int a = 0; a < nm; a++)
            for (int b = 0; b < nt; b++)
                for (int z = 0; z < nz; z++)
                    for (int s = 0; s < nsd; s++) {
                        char spec[4 * MAX_LIST * 32];
                        snprintf(spec, sizeof(spec), "%s:%s:%s:%s", lm[a], lt[b], lz[z], ls[s]);
                        if (nc == (int)(sizeof(cells) / sizeof(cells[0])) ||
                            parse_cell(spec, &cells[nc]) < 0) {
                            sc_log_error("%s", nc == (int)(sizeof(cells) / sizeof(cells[0]))
                                                   ? "eval rivals: too many cells"
                                                   : sc_last_error());
                            return 2;
                        }
                        nc++;
                    }
    }
    if (check_dir(o.out_dir) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    Dataset ds;
    if (dataset_load(&ds, "mnist") < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < nc && rc == 0; i++)
        if (run_cell(&cells[i], &o, &ds) < 0)
            rc = 1;
    dataset_free(&ds);
    if (rc == 0 && !cell && merge(&o, o.out_dir) < 0)
        rc = 1;
    if (rc)
        sc_log_error("%s", sc_last_error());
    return rc;
}
