#include "classifier/trainer.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clones.h"
#include "core/log.h"

#define S CLASSIFIER_SIDE

/* ---------------------------------------------------------------- augmentation */

/* dst = src shifted by (dx, dy) whole px, zero fill; dst += (accumulate with max) if add. */
static void paste_shifted(const float *src, int dx, int dy, float *dst)
{
    for (int y = 0; y < S; y++) {
        int sy = y - dy;
        if (sy < 0 || sy >= S)
            continue;
        for (int x = 0; x < S; x++) {
            int sx = x - dx;
            if (sx < 0 || sx >= S)
                continue;
            float v = src[sy * S + sx];
            if (v > dst[y * S + x])
                dst[y * S + x] = v;
        }
    }
}

/* Thickness change: blend towards the 4-neighbour max (thicker) or min (thinner). */
static void thickness(float *p, float amount, float *tmp)
{
    memcpy(tmp, p, sizeof(float) * DATASET_PATCH_N);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            float c = tmp[y * S + x];
            float l = x > 0 ? tmp[y * S + x - 1] : 0, r = x < S - 1 ? tmp[y * S + x + 1] : 0;
            float u = y > 0 ? tmp[(y - 1) * S + x] : 0, d = y < S - 1 ? tmp[(y + 1) * S + x] : 0;
            float e;
            if (amount > 0) {
                e = fmaxf(fmaxf(l, r), fmaxf(u, d));
                e = fmaxf(e, c);
            } else {
                e = fminf(fminf(l, r), fminf(u, d));
                e = fminf(e, c);
            }
            float a = fabsf(amount);
            p[y * S + x] = c + a * (e - c);
        }
}

/* Contrast, background level and faint noise: what a real scene might put on the fovea. */
static void contrast(float *p, Rng *rng)
{
    float gain = 0.45f + 0.55f * (float)rng_uniform(rng);
    float bg = 0.25f * (float)rng_uniform(rng);
    float noise = rng_uniform(rng) < 0.3 ? 0.06f * (float)rng_uniform(rng) : 0.0f;
    for (int i = 0; i < DATASET_PATCH_N; i++) {
        float v = bg + gain * p[i] * (1.0f - bg);
        if (noise > 0)
            v += noise * (float)(rng_uniform(rng) - 0.5);
        p[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
}

/* One 8x8 fragment of a random example pasted at (x, y) (top-left, may be partly outside). */
static void paste_fragment(const float *examples, int n, Rng *rng, int x, int y, float *dst)
{
    const float *src = examples + (size_t)rng_below(rng, (uint32_t)n) * DATASET_PATCH_N;
    int fx = 4 + (int)rng_below(rng, 13), fy = 4 + (int)rng_below(rng, 13);
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 8; i++) {
            int tx = x + i, ty = y + j;
            if (tx < 0 || ty < 0 || tx >= S || ty >= S)
                continue;
            float v = src[(fy + j) * S + fx + i];
            if (v > dst[ty * S + tx])
                dst[ty * S + tx] = v;
        }
}

/* dst = src moved by (dx, dy) px, read bilinearly (zero outside): what the retina delivers
 * when the gaze lands between pixels. */
/* src read bilinearly at (sx, sy), zero outside the patch. */
static float bilinear_at(const float *src, float sx, float sy)
{
    int x0 = (int)floorf(sx), y0 = (int)floorf(sy);
    float fx = sx - (float)x0, fy = sy - (float)y0, acc = 0;
    for (int q = 0; q < 4; q++) {
        int xx = x0 + (q & 1), yy = y0 + (q >> 1);
        if (xx < 0 || yy < 0 || xx >= S || yy >= S)
            continue;
        float w = ((q & 1) ? fx : 1 - fx) * ((q >> 1) ? fy : 1 - fy);
        acc += w * src[yy * S + xx];
    }
    return acc;
}

static void shift_bilinear(const float *src, float dx, float dy, float *dst)
{
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++)
            dst[y * S + x] = bilinear_at(src, (float)x - dx, (float)y - dy);
}

void trainer_draw_nothing(const float *examples, int n, Rng *rng, float *out)
{
    memset(out, 0, sizeof(float) * DATASET_PATCH_N);
    double kind = rng_uniform(rng);
    if (kind < 0.40) {
        /* one object off-centre: 5..18 px, beyond the positives' 2 px landing jitter with a
         * margin, so that "sure" means "centred" and a read 4-8 px off does not guess */
        double a = rng_uniform(rng) * 2 * M_PI, d = 5 + 13 * rng_uniform(rng);
        shift_bilinear(examples + (size_t)rng_below(rng, (uint32_t)n) * DATASET_PATCH_N,
                       (float)(d * cos(a)), (float)(d * sin(a)), out);
    } else if (kind < 0.65) {
        /* clutter: fragments of other objects */
        int k = 1 + (int)rng_below(rng, 6);
        for (int i = 0; i < k; i++)
            paste_fragment(examples, n, rng, (int)rng_below(rng, S + 4) - 4,
                           (int)rng_below(rng, S + 4) - 4, out);
    } else if (kind < 0.85) {
        /* between two objects (neighbours in a row or column, or diagonal) */
        double a = rng_uniform(rng) * 2 * M_PI;
        double d1 = 11 + 8 * rng_uniform(rng), d2 = 11 + 8 * rng_uniform(rng);
        paste_shifted(examples + (size_t)rng_below(rng, (uint32_t)n) * DATASET_PATCH_N,
                      (int)lround(d1 * cos(a)), (int)lround(d1 * sin(a)), out);
        paste_shifted(examples + (size_t)rng_below(rng, (uint32_t)n) * DATASET_PATCH_N,
                      (int)lround(-d2 * cos(a)), (int)lround(-d2 * sin(a)), out);
        if (rng_uniform(rng) < 0.5)
            paste_fragment(examples, n, rng, (int)rng_below(rng, S), (int)rng_below(rng, S), out);
    }
    /* else: blank (contrast() adds a background level and noise) */
    contrast(out, rng);
}

/* Shape variation, not position (Simard et al. 2003, milder): a rotation of up to 10 degrees
 * and a scale change of up to 10% about the patch centre, and a smooth elastic warp (a 5x5 grid
 * of displacements up to 1.5 px, bilinearly interpolated), sampled bilinearly. The centre
 * stays where it is: this adds ways of writing a digit, not positions. */
static void distort(const float *src, Rng *rng, float *out)
{
    float a = (float)(10.0 * M_PI / 180.0) * (float)(2 * rng_uniform(rng) - 1);
    float k = 1.0f + 0.1f * (float)(2 * rng_uniform(rng) - 1); /* > 1: bigger */
    float gx[5][5], gy[5][5];
    for (int j = 0; j < 5; j++)
        for (int i = 0; i < 5; i++) {
            gx[j][i] = 1.5f * (float)(2 * rng_uniform(rng) - 1);
            gy[j][i] = 1.5f * (float)(2 * rng_uniform(rng) - 1);
        }
    float ca = cosf(a) / k, sa = sinf(a) / k;
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            float u = (float)x * (4.0f / (S - 1)), v = (float)y * (4.0f / (S - 1));
            int i0 = (int)u, j0 = (int)v;
            i0 = i0 > 3 ? 3 : i0;
            j0 = j0 > 3 ? 3 : j0;
            float fu = u - (float)i0, fv = v - (float)j0;
            float dx = (1 - fv) * ((1 - fu) * gx[j0][i0] + fu * gx[j0][i0 + 1]) +
                       fv * ((1 - fu) * gx[j0 + 1][i0] + fu * gx[j0 + 1][i0 + 1]);
            float dy = (1 - fv) * ((1 - fu) * gy[j0][i0] + fu * gy[j0][i0 + 1]) +
                       fv * ((1 - fu) * gy[j0 + 1][i0] + fu * gy[j0 + 1][i0 + 1]);
            float px = (float)x - 13.5f, py = (float)y - 13.5f;
            float sx = ca * px + sa * py + 13.5f + dx, sy = -sa * px + ca * py + 13.5f + dy;
            out[y * S + x] = bilinear_at(src, sx, sy);
        }
}

/* A training positive as a fixating eye would see it. */
static void draw_positive(const float *src, const float *examples, int n, const TrainParams *p,
                          Rng *rng, float *out, float *tmp)
{
    memset(out, 0, sizeof(float) * DATASET_PATCH_N);
    float warped[DATASET_PATCH_N];
    if (p->distort > 0 && rng_uniform(rng) < p->distort) {
        distort(src, rng, warped);
        src = warped;
    }
    /* landing jitter: none (30%), else up to 2 px on each axis, continuous: the eye lands
     * between pixels and the retina reads the world bilinearly there */
    if (rng_uniform(rng) >= 0.3) {
        float dx = (float)(4 * rng_uniform(rng) - 2), dy = (float)(4 * rng_uniform(rng) - 2);
        shift_bilinear(src, dx, dy, out);
    } else {
        memcpy(out, src, sizeof(float) * DATASET_PATCH_N);
    }
    double t = rng_uniform(rng);
    if (t < 0.2)
        thickness(out, 0.3f + 0.5f * (float)rng_uniform(rng), tmp);
    else if (t < 0.35)
        thickness(out, -(0.2f + 0.4f * (float)rng_uniform(rng)), tmp);
    if (p->context && rng_uniform(rng) < p->context_frac) {
        /* stray 8x8 fragments of other objects, as clutter puts them, anywhere on the patch
         * (also over the object: the eye does not get to choose what lies in front of it) */
        int k = 1 + (int)rng_below(rng, 3);
        for (int f = 0; f < k; f++)
            paste_fragment(examples, n, rng, (int)rng_below(rng, S + 1) - 4,
                           (int)rng_below(rng, S + 1) - 4, out);
    }
    contrast(out, rng);
}

/* ---------------------------------------------------------------- training */

void train_params_default(TrainParams *p)
{
    memset(p, 0, sizeof(*p));
    p->epochs = 40;
    p->batch = 64;
    p->lr = 1e-3f;
    p->weight_decay = 1e-4f;
    p->n_hidden = 2;
    p->hidden[0] = 256;
    p->hidden[1] = 128;
    p->nothing_frac = 0.3f;
    p->augment = 1;
    p->context = 1;
    p->context_frac = 0.6f;
    p->distort = 0;
    p->dropout = 0;
    p->input_kind = CLASSIFIER_INPUT_PIXELS;
    p->threads = 2;
    p->seed = 1;
    p->holdout = 1;
}

void train_params_mnist(TrainParams *p)
{
    /* the V1 input, half the digits distorted and 80% with clutter were chosen on validation
     * canvases in the 8,000-digit era (V1 input: 4.3-4.5% error on cluttered60 against 7.5%
     * for pixels). Width and length on cluttered60 validation canvases at 8 glimpses (15,000
     * canvases, issue 18; docs/rivals.md): 384-192 for 16 epochs 2.78%, for 48 epochs 2.32%;
     * 768-384 for 48 epochs 2.15%. The eye rounds come after (eval_eye_rounds_mnist). */
    p->input_kind = CLASSIFIER_INPUT_PIXELS_V1;
    p->n_hidden = 2;
    p->hidden[0] = 768;
    p->hidden[1] = 384;
    p->distort = 0.5f;
    p->context_frac = 0.8f;
    p->epochs = 48;
}

/* Examples per group in the forward/backward phase: groups are the unit of work handed to the
 * threads, and their losses are added in group order (so the reported loss does not depend on
 * the number of threads either). */
#define GROUP 16

/* One row of parameters: a weight row (row >= 0) or the biases (row = -1) of a layer. */
typedef struct ParamRow {
    int layer, row;
} ParamRow;

typedef struct Trainer {
    Classifier *c;
    const TrainParams *p;
    size_t n_params;
    float *scratch;   /* batch x classifier_scratch_floats */
    const float **xs; /* the batch's examples, labels, predictions */
    int *ys, *pred;
    double *group_loss;
    float *grow[TRAINER_MAX_THREADS]; /* each thread's gradient row */
    ParamRow *rows;
    int n_rows;
    int row_first[TRAINER_MAX_THREADS + 1]; /* thread t updates rows [row_first[t], [t + 1]) */
    float *m, *v;                           /* Adam moments */
    /* current batch */
    const float *x; /* epoch examples */
    const int *y;
    const int *idx; /* batch indices into x */
    int batch_n;
    float lr, b1t, b2t; /* lr and bias corrections for this step */
    uint64_t drop_seed; /* this step's dropout masks */
    int job;            /* JOB_STEP: a training step; JOB_FEATURES: the epoch's network inputs */
    const float *raw;   /* JOB_FEATURES: n_epoch raw patches, turned into x */
    int n_epoch;
    /* pool */
    int threads;
    pthread_t th[TRAINER_MAX_THREADS];
    pthread_barrier_t start, mid, end;
    /* held by the main thread while it starts the workers; each worker passes it before its
     * first barrier, and leaves at once if quit is set by then (a worker failed to start) */
    pthread_mutex_t launch;
    int quit;
} Trainer;

enum { JOB_STEP, JOB_FEATURES };

/* The epoch's network inputs from its raw patches (pixels normalised, V1 energies), split by
 * examples: each is a pure function of its patch, so the split does not change a bit. */
static void phase_features(Trainer *t, int tid)
{
    size_t in_n = (size_t)classifier_layer_size(t->c, 0);
    int i0 = (int)((long)t->n_epoch * tid / t->threads);
    int i1 = (int)((long)t->n_epoch * (tid + 1) / t->threads);
    for (int i = i0; i < i1; i++)
        classifier_features(t->c, t->raw + (size_t)i * DATASET_PATCH_N,
                            (float *)t->x + (size_t)i * in_n);
}

/* Phase 1, split by examples: forward and backward through every layer, GROUP at a time. */
static void phase_deltas(Trainer *t, int tid)
{
    if (t->job == JOB_FEATURES) {
        phase_features(t, tid);
        return;
    }
    size_t sn = classifier_scratch_floats(t->c);
    int groups = (t->batch_n + GROUP - 1) / GROUP;
    for (int g = tid; g < groups; g += t->threads) {
        int b0 = g * GROUP, n = t->batch_n - b0 < GROUP ? t->batch_n - b0 : GROUP;
        for (int b = b0; b < b0 + n; b++) {
            int i = t->idx[b];
            t->xs[b] = t->x + (size_t)i * (size_t)classifier_layer_size(t->c, 0);
            t->ys[b] = t->y[i];
        }
        ClassifierDropout drop = {t->p->dropout, t->drop_seed, b0};
        t->group_loss[g] = classifier_batch_deltas(
            t->c, t->xs + b0, t->ys + b0, n, t->scratch + (size_t)b0 * sn, t->pred + b0, &drop);
    }
}

/* Phase 2, split by parameter rows: each row's batch gradient (summed over the examples in
 * order, so the same bits for any number of threads) and its AdamW step, while it is in cache. */
SC_CLONES static void phase_update(Trainer *t, int tid)
{
    float *params = classifier_params(t->c);
    const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    float inv_n = 1.0f / (float)t->batch_n;
    float wd = t->p->weight_decay, lr = t->lr, b1t = t->b1t, b2t = t->b2t;
    float *g = t->grow[tid];
    if (t->job != JOB_STEP)
        return;
    for (int r = t->row_first[tid]; r < t->row_first[tid + 1]; r++) {
        int l = t->rows[r].layer, row = t->rows[r].row;
        int no = classifier_layer_size(t->c, l + 1);
        size_t w_off, b_off;
        classifier_layer_params(t->c, l, &w_off, &b_off);
        size_t off = row < 0 ? b_off : w_off + (size_t)row * (size_t)no;
        classifier_batch_grad_row(t->c, l, row, t->xs, t->batch_n, t->scratch, g);
        float *restrict w = params + off, *restrict m = t->m + off, *restrict v = t->v + off;
        for (int o = 0; o < no; o++) {
            float gk = g[o] * inv_n;
            m[o] = b1 * m[o] + (1 - b1) * gk;
            v[o] = b2 * v[o] + (1 - b2) * gk * gk;
            float mh = m[o] / b1t, vh = v[o] / b2t;
            w[o] -= lr * (mh / (sqrtf(vh) + eps) + wd * w[o]);
        }
    }
}

static void *worker(void *arg)
{
    Trainer *t = ((void **)arg)[0];
    int tid = (int)(intptr_t)((void **)arg)[1];
    free(arg);
    pthread_mutex_lock(&t->launch);
    int quit = t->quit;
    pthread_mutex_unlock(&t->launch);
    if (quit)
        return NULL;
    for (;;) {
        pthread_barrier_wait(&t->start);
        if (t->quit)
            break;
        phase_deltas(t, tid);
        pthread_barrier_wait(&t->mid);
        phase_update(t, tid);
        pthread_barrier_wait(&t->end);
    }
    return NULL;
}

static void train_step(Trainer *t)
{
    if (t->threads == 1) {
        phase_deltas(t, 0);
        phase_update(t, 0);
        return;
    }
    pthread_barrier_wait(&t->start);
    phase_deltas(t, 0);
    pthread_barrier_wait(&t->mid);
    phase_update(t, 0);
    pthread_barrier_wait(&t->end);
}

double classifier_test_accuracy(Classifier *c, const Dataset *ds, int limit, int *pcc, int *pct)
{
    int n = ds->n_test;
    if (limit > 0 && limit < n)
        n = limit;
    if (pcc)
        memset(pcc, 0, sizeof(int) * (size_t)ds->n_classes);
    if (pct)
        memset(pct, 0, sizeof(int) * (size_t)ds->n_classes);
    int correct = 0;
    float probs[CLASSIFIER_MAX_CLASSES];
    for (int i = 0; i < n; i++) {
        int pred = classifier_predict(c, ds->test_x + (size_t)i * DATASET_PATCH_N, probs);
        int ok = pred == ds->test_y[i];
        correct += ok;
        if (pcc)
            pcc[ds->test_y[i]] += ok;
        if (pct)
            pct[ds->test_y[i]]++;
    }
    return n > 0 ? (double)correct / n : 0.0;
}

Classifier *classifier_train(const Dataset *ds, const TrainParams *p, TrainSummary *out)
{
    if (p->epochs < 1 || p->epochs > 10000 || p->batch < 1 || p->batch > 4096 || p->threads < 1 ||
        p->threads > TRAINER_MAX_THREADS || !(p->dropout >= 0 && p->dropout < 0.95f) ||
        classifier_input_size(p->input_kind) == 0 || p->n_hidden < 0 ||
        p->n_hidden > CLASSIFIER_MAX_LAYERS - 1 || !(p->pool_frac >= 0 && p->pool_frac <= 4) ||
        p->pool_n < 0 || p->pool_n > INT32_MAX / 2 ||
        (p->pool_n > 0 && (!p->pool_x || !p->pool_y))) {
        sc_set_error("train: bad parameters");
        return NULL;
    }
    int sizes[CLASSIFIER_MAX_LAYERS + 1];
    sizes[0] = DATASET_PATCH_N;
    for (int i = 0; i < p->n_hidden; i++)
        sizes[i + 1] = p->hidden[i];
    sizes[p->n_hidden + 1] = ds->n_classes;
    const char *names[CLASSIFIER_MAX_CLASSES];
    for (int i = 0; i < ds->n_classes; i++)
        names[i] = ds->class_names[i];
    Rng rng;
    rng_seed(&rng, p->seed);
    Rng init_rng;
    rng_fork(&rng, 1, &init_rng);
    Dataset part, val;
    /* held-out accuracy is measured on the validation split only, never on the test split
     * (that is for `saccade eval`): none without a holdout */
    const Dataset *heldout = NULL;
    const char *heldout_desc = "";
    if (p->holdout && ds->n_val > 0) {
        if (ds->n_train <= ds->n_val) { /* a validation split larger than the rest is fine
                                         * (eval rivals trains on 1,000 digits) */
            sc_set_error("train: %s has nothing to train on besides its validation split",
                         ds->name);
            return NULL;
        }
        part = *ds; /* a view: the first n_train - n_val examples */
        part.n_train -= ds->n_val;
        /* and the held-out accuracy is measured on the left-out ones, never the test split */
        val = *ds;
        val.test_x = ds->train_x + (size_t)part.n_train * DATASET_PATCH_N;
        val.test_y = ds->train_y + part.n_train;
        val.n_test = ds->n_val;
        ds = &part;
        heldout = &val;
        heldout_desc = ds->val_desc;
    }
    sizes[0] = classifier_input_size(p->input_kind);
    Classifier *c = classifier_create_kind(ds->name, p->input_kind, p->n_hidden + 1, sizes, names,
                                           ds->nothing_class, rng_u64(&init_rng));
    if (!c)
        return NULL;
    {
        char prov[CLASSIFIER_TEXT_MAX];
        /* ds is the training part here (the validation split already cut off) */
        int len = snprintf(prov, sizeof(prov), "%s: %.100s, the first %d examples%s%.60s", ds->name,
                           ds->train_desc, ds->n_train, heldout ? "; validation held out: " : "",
                           heldout ? heldout_desc : "");
        if (p->pool_desc && p->pool_n > 0 && p->pool_frac > 0 && len > 0 &&
            (size_t)len < sizeof(prov))
            snprintf(prov + len, sizeof(prov) - (size_t)len,
                     "; each epoch also %.0f%% as many drawn from %.60s", 100.0 * p->pool_frac,
                     p->pool_desc);
        classifier_set_provenance(c, prov, heldout != NULL);
    }

    if (p->init) {
        int same = classifier_input_kind(p->init) == p->input_kind &&
                   classifier_layer_count(p->init) == p->n_hidden + 1;
        for (int l = 0; same && l <= p->n_hidden + 1; l++)
            same = classifier_layer_size(p->init, l) == sizes[l];
        if (!same) {
            classifier_destroy(&c);
            sc_set_error("train: the starting weights do not have this model's shape");
            return NULL;
        }
        memcpy(classifier_params(c), classifier_params((Classifier *)p->init),
               sizeof(float) * classifier_param_count(c));
    }
    int n_nothing = ds->nothing_class >= 0 ? (int)lroundf(p->nothing_frac * (float)ds->n_train) : 0;
    long n_pool = p->pool_n > 0 && p->pool_x ? lroundf(p->pool_frac * (float)ds->n_train) : 0;
    if (n_pool > p->pool_n)
        n_pool = p->pool_n;
    for (long i = 0; n_pool > 0 && i < p->pool_n; i++)
        if (p->pool_y[i] < 0 || p->pool_y[i] >= ds->n_classes) {
            classifier_destroy(&c);
            sc_set_error("train: an eye patch has class %d of %d", p->pool_y[i], ds->n_classes);
            return NULL;
        }
    int n_epoch = ds->n_train + n_nothing + (int)n_pool;
    int *pool_order = n_pool > 0 ? malloc(sizeof(int) * (size_t)p->pool_n) : NULL;
    if (n_pool > 0 && !pool_order) {
        classifier_destroy(&c);
        sc_set_error("train: out of memory");
        return NULL;
    }
    for (long i = 0; pool_order && i < p->pool_n; i++)
        pool_order[i] = (int)i;
    Trainer *t = calloc(1, sizeof(*t));
    if (!t) {
        free(pool_order);
        classifier_destroy(&c);
        sc_set_error("train: out of memory");
        return NULL;
    }
    t->c = c;
    t->p = p;
    t->n_params = classifier_param_count(c);
    t->threads = p->threads;
    const size_t in_n = (size_t)sizes[0]; /* network inputs per example */
    float *x = malloc(sizeof(float) * in_n * (size_t)n_epoch);
    int *y = malloc(sizeof(int) * (size_t)n_epoch);
    int *order = malloc(sizeof(int) * (size_t)n_epoch);
    float *tmp = malloc(sizeof(float) * DATASET_PATCH_N);
    float *raw = malloc(sizeof(float) * DATASET_PATCH_N * (size_t)n_epoch);
    t->m = calloc(t->n_params, sizeof(float));
    t->v = calloc(t->n_params, sizeof(float));
    t->scratch = malloc(sizeof(float) * classifier_scratch_floats(c) * (size_t)p->batch);
    t->xs = malloc(sizeof(*t->xs) * (size_t)p->batch);
    t->ys = malloc(sizeof(int) * (size_t)p->batch);
    t->pred = malloc(sizeof(int) * (size_t)p->batch);
    t->group_loss = malloc(sizeof(double) * (size_t)((p->batch + GROUP - 1) / GROUP));
    /* every layer's bias row and weight rows, cut into one contiguous run per thread with
     * about the same number of parameters each */
    for (int l = 0; l <= p->n_hidden; l++)
        t->n_rows += sizes[l] + 1;
    t->rows = malloc(sizeof(ParamRow) * (size_t)t->n_rows);
    int ok = x && y && order && tmp && raw && t->m && t->v && t->scratch && t->xs && t->ys &&
             t->pred && t->group_loss && t->rows;
    for (int k = 0; k < t->threads && ok; k++)
        ok = (t->grow[k] = malloc(sizeof(float) * CLASSIFIER_MAX_WIDTH)) != NULL;
    if (ok) {
        int r = 0, th = 0;
        size_t done = 0;
        t->row_first[0] = 0;
        for (int l = 0; l <= p->n_hidden; l++)
            for (int row = -1; row < sizes[l]; row++) {
                while (th + 1 < t->threads &&
                       done >= t->n_params * (size_t)(th + 1) / (size_t)t->threads)
                    t->row_first[++th] = r;
                t->rows[r++] = (ParamRow){l, row};
                done += (size_t)sizes[l + 1];
            }
        while (th < t->threads)
            t->row_first[++th] = r;
    }
    /* the pool: three barriers and the launch gate, then the workers; if any of it fails,
     * the workers already started are let go through the gate and joined, and everything
     * made so far is undone (the common cleanup below frees the buffers) */
    int pool = 0, started = 1; /* barriers + gate made; threads running, the caller included */
    const char *pool_err = NULL;
    if (ok && t->threads > 1) {
        unsigned n = (unsigned)t->threads;
        int made = 0;
        if (pthread_barrier_init(&t->start, NULL, n) == 0 && ++made &&
            pthread_barrier_init(&t->mid, NULL, n) == 0 && ++made &&
            pthread_barrier_init(&t->end, NULL, n) == 0 && ++made &&
            pthread_mutex_init(&t->launch, NULL) == 0 && ++made)
            pool = 1;
        if (!pool) {
            if (made > 2)
                pthread_barrier_destroy(&t->end);
            if (made > 1)
                pthread_barrier_destroy(&t->mid);
            if (made > 0)
                pthread_barrier_destroy(&t->start);
            pool_err = "train: cannot make the thread pool's barriers";
            ok = 0;
        }
    }
    if (pool) {
        pthread_mutex_lock(&t->launch);
        for (int k = 1; k < t->threads; k++, started++) {
            void **arg = malloc(2 * sizeof(void *));
            if (!arg) {
                ok = 0;
                break;
            }
            arg[0] = t;
            arg[1] = (void *)(intptr_t)k;
            if (pthread_create(&t->th[k], NULL, worker, arg) != 0) {
                free(arg);
                pool_err = "train: cannot start a worker thread";
                ok = 0;
                break;
            }
        }
        t->quit = !ok;
        pthread_mutex_unlock(&t->launch);
    }
    TrainSummary sum;
    memset(&sum, 0, sizeof(sum));
    if (ok) {
        int steps = 0;
        int batches = (n_epoch + p->batch - 1) / p->batch;
        int total_steps = batches * p->epochs;
        Rng aug;
        for (int e = 0; e < p->epochs; e++) {
            rng_fork(&rng, 100 + (uint64_t)e, &aug);
            /* the augmented patches, drawn serially from one stream, then their network
             * inputs on every thread */
            for (int i = 0; i < ds->n_train; i++) {
                const float *src = ds->train_x + (size_t)i * DATASET_PATCH_N;
                float *dst = raw + (size_t)i * DATASET_PATCH_N;
                if (p->augment)
                    draw_positive(src, ds->train_x, ds->n_train, p, &aug, dst, tmp);
                else
                    memcpy(dst, src, sizeof(float) * DATASET_PATCH_N);
                y[i] = ds->train_y[i];
            }
            for (int i = ds->n_train; i < ds->n_train + n_nothing; i++) {
                trainer_draw_nothing(ds->train_x, ds->n_train, &aug,
                                     raw + (size_t)i * DATASET_PATCH_N);
                y[i] = ds->nothing_class;
            }
            /* the eye's patches: a partial shuffle picks n_pool of them without replacement */
            for (long k = 0; k < n_pool; k++) {
                long j = k + (long)rng_below(&aug, (uint32_t)(p->pool_n - k));
                int sw = pool_order[k];
                pool_order[k] = pool_order[j];
                pool_order[j] = sw;
                int i = ds->n_train + n_nothing + (int)k;
                memcpy(raw + (size_t)i * DATASET_PATCH_N,
                       p->pool_x + (size_t)pool_order[k] * DATASET_PATCH_N,
                       sizeof(float) * DATASET_PATCH_N);
                y[i] = p->pool_y[pool_order[k]];
            }
            t->job = JOB_FEATURES;
            t->raw = raw;
            t->x = x;
            t->n_epoch = n_epoch;
            train_step(t);
            t->job = JOB_STEP;
            for (int i = 0; i < n_epoch; i++)
                order[i] = i;
            for (int i = n_epoch - 1; i > 0; i--) {
                int j = (int)rng_below(&aug, (uint32_t)(i + 1));
                int s = order[i];
                order[i] = order[j];
                order[j] = s;
            }
            double loss = 0;
            long correct = 0, seen = 0;
            t->x = x;
            t->y = y;
            for (int b = 0; b < batches; b++) {
                int b0 = b * p->batch;
                t->idx = order + b0;
                t->batch_n = n_epoch - b0 < p->batch ? n_epoch - b0 : p->batch;
                steps++;
                /* cosine annealing to 5% of lr */
                double frac = (double)(steps - 1) / (double)total_steps;
                t->lr = p->lr * (float)(0.05 + 0.95 * 0.5 * (1 + cos(M_PI * frac)));
                t->b1t = 1.0f - powf(0.9f, (float)steps);
                t->b2t = 1.0f - powf(0.999f, (float)steps);
                t->drop_seed = rng_u64(&aug);
                train_step(t);
                for (int g = 0; g < (t->batch_n + GROUP - 1) / GROUP; g++)
                    loss += t->group_loss[g];
                for (int k = 0; k < t->batch_n; k++)
                    correct += t->pred[k] == t->ys[k];
                seen += t->batch_n;
                if (p->progress) {
                    TrainProgress pr = {
                        e + 1,   p->epochs,           b + 1,
                        batches, loss / (double)seen, (double)correct / (double)seen,
                        -1};
                    /* held-out accuracy every 10 epochs and at the end (it costs a pass
                     * over the held-out set) */
                    if (heldout && b + 1 == batches && ((e + 1) % 10 == 0 || e + 1 == p->epochs))
                        pr.test_accuracy = classifier_test_accuracy(c, heldout, 0, NULL, NULL);
                    p->progress(p->progress_ctx, &pr);
                }
            }
            sum.final_loss = loss / (double)seen;
            sum.train_accuracy = (double)correct / (double)seen;
            sum.examples += seen;
        }
    }
    if (pool) {
        if (ok) {
            t->quit = 1;
            pthread_barrier_wait(&t->start);
        }
        for (int k = 1; k < started; k++)
            pthread_join(t->th[k], NULL);
        pthread_barrier_destroy(&t->start);
        pthread_barrier_destroy(&t->mid);
        pthread_barrier_destroy(&t->end);
        pthread_mutex_destroy(&t->launch);
    }
    if (ok) {
        sum.test_accuracy = heldout ? classifier_test_accuracy(c, heldout, 0, NULL, NULL) : -1;
        sum.validation = heldout != NULL;
        /* "nothing" recall on fresh patches from the validation examples (or train if none) */
        if (ds->nothing_class >= 0) {
            Rng nr;
            rng_fork(&rng, 7, &nr);
            const float *src = heldout ? heldout->test_x : ds->train_x;
            int n_src = heldout ? heldout->n_test : ds->n_train;
            int hits = 0, n = 1000;
            float probs[CLASSIFIER_MAX_CLASSES];
            for (int i = 0; i < n; i++) {
                trainer_draw_nothing(src, n_src, &nr, tmp);
                hits += classifier_predict(c, tmp, probs) == ds->nothing_class;
            }
            sum.nothing_recall = (double)hits / n;
        }
    }
    for (int k = 0; k < TRAINER_MAX_THREADS; k++)
        free(t->grow[k]);
    free(t->scratch);
    free(t->xs);
    free(t->ys);
    free(t->pred);
    free(t->group_loss);
    free(t->rows);
    free(t->m);
    free(t->v);
    free(x);
    free(raw);
    free(y);
    free(order);
    free(pool_order);
    free(tmp);
    free(t);
    if (!ok) {
        classifier_destroy(&c);
        sc_set_error("%s", pool_err ? pool_err : "train: out of memory");
        return NULL;
    }
    if (out)
        *out = sum;
    return c;
}
