/* eval/rivals.c: the rivals of `saccade eval rivals`, trained and tested (eval/rivals.h).
 *
 * Models (src/nn/net.h):
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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "core/log.h"
#include "core/rng.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "eval/rivals.h"
#include "nn/net.h"
#include "sim/sim_model.h"

#define MAX_BATCH EVAL_RIVALS_MAX_BATCH
#define GRID 3
#define N_CLASSES 10

/* conv, lc, fc and separate see fresh canvases of their SIZE digits every epoch (new positions
 * and clutter: the canvases are free augmentation, as the jitter, distortion and clutter of
 * ours' trainer are; Pogodin et al.'s translation augmentation). -fixed: the same net shown one
 * fixed canvas per digit (no generalisation across positions from small SIZE: kept as the
 * control that shows why). */
const char *const eval_rivals_models[EVAL_RIVALS_MODELS] = {
    "conv", "lc", "fc", "separate", "ours", "conv-fixed", "lc-fixed", "fc-fixed", "modern"};
#define model_names eval_rivals_models
#define N_MODELS EVAL_RIVALS_MODELS
#define MODEL_SEPARATE 3
#define MODEL_OURS 4
#define MODEL_FIRST_FIXED 5 /* conv-fixed, lc-fixed, fc-fixed: 5, 6, 7 */
#define MODEL_MODERN 8
#define ARCH_MODERN 4  /* reader_build's architectures: 0 conv, 1 lc, 2 fc, 3 separate, 4 modern */
#define MODERN_WIDTH 8 /* modern's default width (README: what 2 cores train in a session) */
#define MODERN_LR 3e-3
#define MODERN_SAMPLES 500000
const EvalRivalsTask eval_rivals_tasks[EVAL_RIVALS_TASKS] = {
    {"translated60", 60, 0}, {"cluttered60", 60, 4}, {"cluttered100", 100, 8}};
#define tasks eval_rivals_tasks
#define N_TASKS EVAL_RIVALS_TASKS

typedef EvalRivalsOptions RivalOpts;
typedef EvalRivalsCell Cell;

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
static int reader_train(Reader *r, const CanvasSet *tr, const CanvasSet *va, int epochs, double lr0,
                        uint64_t seed, Image *w, float *x, int *best_epoch, double *best_val,
                        const EvalProgress *pr, int fresh)
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
        eval_note(pr, "    epoch %d: training loss %.4f, accuracy %.4f; validation error %.4f", e,
                  loss_sum / (m ? m : 1), (double)hit_sum / (m ? m : 1), ve);
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

void eval_rivals_cell_name(const Cell *c, char *buf, size_t n)
{
    snprintf(buf, n, "cell_%s_%s_%d_%llu.json", model_names[c->model], tasks[c->task].task, c->size,
             (unsigned long long)c->seed);
}

int eval_rivals_parse_cell(const char *s, Cell *c)
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
 * (train_params_mnist's epochs of 55,000, and the eye rounds' epochs: the epochs scale up as
 * SIZE falls; the eye reads as many canvases per round). Nothing is tuned on test. Writes
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

    /* and the shipped model's eye rounds, on canvases of the same digits, at the same example
     * budget per round (the eye reads as many canvases as for the shipped model) */
    EvalEyeRounds er;
    eval_eye_rounds_mnist(&er);
    const long round_budget = (long)er.epochs * first_val;
    er.epochs = o->quick ? 1 : (int)((round_budget + c->size - 1) / c->size);
    if (o->quick)
        er.canvases = 200;
    eval_note(o->progress,
              "  training ours' reader on the first %d digits, %d epochs, then %d eye "
              "round%s of %d",
              c->size, tp.epochs, er.rounds, er.rounds == 1 ? "" : "s", er.epochs);
    TrainSummary sum;
    double t0 = now_s(), c0 = cpu_s();
    Classifier *cl = eval_train_reader(&sub, &tp, NULL, &er, NULL, NULL, &sum);
    double secs = now_s() - t0, cpu = cpu_s() - c0;
    free(sub.train_x);
    free(sub.train_y);
    if (!cl)
        return -1;
    int rc = classifier_save(cl, path);
    cJSON_AddNumberToObject(j, "train_seconds", secs);
    cJSON_AddNumberToObject(j, "train_cpu_seconds", cpu);
    cJSON_AddNumberToObject(j, "reader_epochs", tp.epochs);
    cJSON_AddNumberToObject(j, "reader_eye_rounds", er.rounds);
    cJSON_AddNumberToObject(j, "reader_examples", (double)sum.examples);
    cJSON_AddNumberToObject(j, "reader_eye_round_epochs", er.epochs);
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
                     tasks[c->task].task, c->size,
                     (unsigned long long)c->seed) >= (int)sizeof(path)) {
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
    EvalOptions eo = {model, o->test_limit, o->threads, 1, 0, c->seed, NULL, SIM_SENSOR_FULL};
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
    cJSON_AddStringToObject(j, "macs_note",
                            "classifier layers x glimpses used; the retina, V1 "
                            "and saliency front end per glimpse not counted");
    cJSON_AddNumberToObject(j, "passes", passes);
    cJSON_AddStringToObject(j, "passes_unit", "glimpses used by the answer at 8 (mean)");
    cJSON_AddNumberToObject(j, "eval_seconds", secs);
    char arch[320];
    snprintf(arch, sizeof(arch), "%s reader (%s); the sim's eye", retrain ? "retrained" : "shipped",
             classifier_trained_on(cl));
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
    const double lr = o->lr > 0 ? o->lr : dense ? 2e-3 : arch_id == ARCH_MODERN ? MODERN_LR : 3e-3;
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
    const long min_samples = o->min_samples >= 0      ? o->min_samples
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
                         &best_val, o->progress, fresh) < 0)
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
        eval_note(o->progress, "  %s reader %d/%d: best epoch %d, validation error %.4f",
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
    cJSON_AddStringToObject(j, "kernels",
                            net_blas_available() ? "OpenBLAS, one thread" : "C loops");
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

/* One cell: the result file's JSON object (eval/rivals.h). */
cJSON *eval_rivals_cell(const Cell *c, const RivalOpts *o, const Dataset *ds)
{
    cJSON *j = cJSON_CreateObject();
    if (!j) {
        sc_set_error("rivals: out of memory");
        return NULL;
    }
    cJSON_AddStringToObject(j, "model", model_names[c->model]);
    cJSON_AddStringToObject(j, "task", tasks[c->task].task);
    cJSON_AddNumberToObject(j, "training_digits", c->size);
    cJSON_AddNumberToObject(j, "seed", (double)c->seed);
    cJSON_AddBoolToObject(j, "quick", o->quick);
    cJSON_AddStringToObject(j, "test_set", "mnist-t10k");
    eval_note(o->progress, "cell %s:%s:%d:%llu", model_names[c->model], tasks[c->task].task,
              c->size, (unsigned long long)c->seed);
    int rc = c->model == MODEL_OURS ? run_ours(c, o, ds, j) : run_net(c, o, ds, j);
    if (rc < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    const cJSON *e = cJSON_GetObjectItem(j, "errors"), *n = cJSON_GetObjectItem(j, "n_test");
    double lo, hi;
    eval_wilson((long)e->valuedouble, (long)n->valuedouble, &lo, &hi);
    cJSON_AddNumberToObject(j, "error", e->valuedouble / n->valuedouble);
    cJSON *ci = cJSON_AddArrayToObject(j, "ci95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
    return j;
}
