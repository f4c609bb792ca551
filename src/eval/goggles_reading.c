/* eval/goggles_reading.c: reading under goggles, untied readers against one tied reader
 * relearning on the same stream (the protocol and its counts are in eval/goggles.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier/trainer.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "eval/goggles.h"

void eval_goggles_reading_defaults(EvalGogglesReadingOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->goggles = 2; /* ud */
    o->positions = 5;
    o->fixations = 6400;
    o->block = 100;
    o->epochs = 3;
    /* chosen on the validation faces (`eval goggles --reading --tune`, 1,200 fixations): mean
     * accuracy over the steps at 1e-4 / 3e-4 / 1e-3 / 3e-3 / 1e-2: untied 9.8 / 13.1 / 18.1 /
     * 21.3 / 15.8%, tied 16.8 / 27.0 / 43.4 / 50.6 / 40.3% */
    o->lr_untied = 3e-3f;
    o->lr_tied = 3e-3f;
    o->seed = 1;
}

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The position order of the reading bank: 0, +1, -1, +2, -2. */
static int pos_offset(int i)
{
    return i == 0 ? 0 : (i % 2 ? (i + 1) / 2 : -(i / 2));
}

static Classifier *load_reader(int offset)
{
    char rel[64], path[1024];
    if (offset == 0)
        snprintf(rel, sizeof(rel), "assets/models/glyphs.wts");
    else
        snprintf(rel, sizeof(rel), "assets/models/reader%+d.wts", offset);
    if (!paths_data_file(path, sizeof(path), rel)) {
        sc_set_error("%s: not found", rel);
        return NULL;
    }
    return classifier_load(path);
}

/* Right reads of c on n patches. */
static long count_right(Classifier *c, const float *x, const uint8_t *y, long n)
{
    float probs[CLASSIFIER_MAX_CLASSES];
    long right = 0;
    for (long i = 0; i < n; i++)
        right += classifier_predict(c, x + (size_t)i * DATASET_PATCH_N, probs) == y[i];
    return right;
}

/* One relearning step: `epochs` passes of the trainer over n examples from c's weights. The
 * new learner replaces *c. */
static int relearn(Classifier **c, const Dataset *like, const float *x, const uint8_t *y, int n,
                   const EvalGogglesReadingOptions *o, float lr, uint64_t seed)
{
    const char *names[CLASSIFIER_MAX_CLASSES];
    for (int i = 0; i < like->n_classes; i++)
        names[i] = like->class_names[i];
    Dataset step;
    if (dataset_alloc(&step, like->name, like->n_classes, names, like->nothing_class, n, 1) < 0)
        return -1;
    memcpy(step.train_x, x, sizeof(float) * (size_t)n * DATASET_PATCH_N);
    memcpy(step.train_y, y, (size_t)n);
    TrainParams p;
    train_params_default(&p);
    p.input_kind = classifier_input_kind(*c);
    p.n_hidden = classifier_layer_count(*c) - 1;
    for (int l = 0; l < p.n_hidden; l++)
        p.hidden[l] = classifier_layer_size(*c, l + 1);
    p.epochs = o->epochs;
    p.batch = 32;
    p.lr = lr;
    p.nothing_frac = 0;
    p.augment = 0;
    p.context = 0;
    p.distort = 0;
    p.holdout = 0;
    p.threads = 1;
    p.seed = seed;
    p.init = *c;
    Classifier *next = classifier_train(&step, &p, NULL);
    dataset_free(&step);
    if (!next)
        return -1;
    classifier_destroy(c);
    *c = next;
    return 0;
}

typedef struct Pos {
    Dataset flipped, normal;
    const float *pool_x, *test_x, *normal_x;
    const uint8_t *pool_y, *test_y, *normal_y;
    long pool_n, test_n;
    int *order; /* the pool in the stream's order */
    Classifier *untied;
} Pos;

int eval_goggles_reading(const EvalGogglesReadingOptions *o, EvalGogglesReadingResult *r)
{
    memset(r, 0, sizeof(*r));
    if (o->goggles < 1 || o->goggles > 3 ||
        (o->positions != 1 && o->positions != 3 && o->positions != 5) || o->block < 1 ||
        o->fixations < o->block || o->fixations % o->block ||
        o->fixations / o->block > EVAL_GR_MAX_STEPS || o->epochs < 1 || o->epochs > 100 ||
        !(o->lr_untied > 0 && o->lr_untied < 1) || !(o->lr_tied > 0 && o->lr_tied < 1) ||
        o->test_n < 0) {
        sc_set_error("eval goggles --reading: bad options");
        return -1;
    }
    const int np = o->positions, steps = o->fixations / o->block;
    Pos pos[EVAL_GR_MAX_POS];
    memset(pos, 0, sizeof(pos));
    Classifier *tied = NULL;
    float *bx = NULL, *tx = NULL;
    uint8_t *by = NULL, *ty = NULL;
    int rc = -1;
    r->positions = np;
    r->steps = steps;
    for (int i = 0; i < np; i++) {
        Pos *q = &pos[i];
        int off = pos_offset(i);
        r->offset[i] = off;
        eval_note(o->progress, "position %+d: letters as the retina delivers them", off);
        if (dataset_load_reader_view(&q->flipped, off, o->goggles) < 0 ||
            dataset_load_reader_view(&q->normal, off, 0) < 0 || !(q->untied = load_reader(off)))
            goto out;
        if (classifier_n_classes(q->untied) != q->flipped.n_classes) {
            sc_set_error("reader %+d: %d classes, its letters %d", off,
                         classifier_n_classes(q->untied), q->flipped.n_classes);
            goto out;
        }
        const Dataset *d = &q->flipped;
        q->pool_n = d->n_train - d->n_val;
        q->pool_x = d->train_x;
        q->pool_y = d->train_y;
        if (o->split_val) { /* the validation faces: the last n_val training examples */
            q->test_x = d->train_x + (size_t)q->pool_n * DATASET_PATCH_N;
            q->test_y = d->train_y + q->pool_n;
            q->test_n = d->n_val;
            q->normal_x = q->normal.train_x + (size_t)q->pool_n * DATASET_PATCH_N;
            q->normal_y = q->normal.train_y + q->pool_n;
        } else {
            q->test_x = d->test_x;
            q->test_y = d->test_y;
            q->test_n = d->n_test;
            q->normal_x = q->normal.test_x;
            q->normal_y = q->normal.test_y;
        }
        if (o->test_n > 0 && o->test_n < q->test_n)
            q->test_n = o->test_n;
        r->n_test[i] = q->test_n;
        if (!(q->order = malloc(sizeof(int) * (size_t)q->pool_n))) {
            sc_set_error("out of memory");
            goto out;
        }
        Rng rng;
        rng_seed(&rng, o->seed * 1000003u + (uint64_t)(off + 8));
        for (long k = 0; k < q->pool_n; k++)
            q->order[k] = (int)k;
        for (long k = q->pool_n - 1; k > 0; k--) { /* Fisher-Yates */
            long j = (long)rng_below(&rng, (uint32_t)(k + 1));
            int t = q->order[k];
            q->order[k] = q->order[j];
            q->order[j] = t;
        }
        r->normal[i] = count_right(q->untied, q->normal_x, q->normal_y, q->test_n);
        r->untied[i][0] = count_right(q->untied, q->test_x, q->test_y, q->test_n);
    }
    if (!(tied = classifier_clone(pos[0].untied)))
        goto out;
    for (int i = 0; i < np; i++)
        r->tied[i][0] = count_right(tied, pos[i].test_x, pos[i].test_y, pos[i].test_n);
    bx = malloc(sizeof(float) * (size_t)o->block * DATASET_PATCH_N);
    by = malloc((size_t)o->block);
    tx = malloc(sizeof(float) * (size_t)o->block * (size_t)np * DATASET_PATCH_N);
    ty = malloc((size_t)o->block * (size_t)np);
    if (!bx || !by || !tx || !ty) {
        sc_set_error("out of memory");
        goto out;
    }
    for (int s = 1; s <= steps; s++) {
        int first = (s - 1) * o->block;
        /* the stream: fixation f gives position i the example order_i[f] (cycling) */
        for (int f = 0; f < o->block; f++)
            for (int i = 0; i < np; i++) {
                const Pos *q = &pos[i];
                long k = q->order[(first + f) % q->pool_n];
                memcpy(tx + ((size_t)f * (size_t)np + (size_t)i) * DATASET_PATCH_N,
                       q->pool_x + (size_t)k * DATASET_PATCH_N, sizeof(float) * DATASET_PATCH_N);
                ty[f * np + i] = q->pool_y[k];
            }
        double t0 = cpu_s();
        for (int i = 0; i < np; i++) {
            for (int f = 0; f < o->block; f++) {
                memcpy(bx + (size_t)f * DATASET_PATCH_N,
                       tx + ((size_t)f * (size_t)np + (size_t)i) * DATASET_PATCH_N,
                       sizeof(float) * DATASET_PATCH_N);
                by[f] = ty[f * np + i];
            }
            if (relearn(&pos[i].untied, &pos[i].flipped, bx, by, o->block, o, o->lr_untied,
                        o->seed * 7919u + (uint64_t)s * 16u + (uint64_t)i) < 0)
                goto out;
        }
        double t1 = cpu_s();
        if (relearn(&tied, &pos[0].flipped, tx, ty, o->block * np, o, o->lr_tied,
                    o->seed * 7919u + (uint64_t)s * 16u + 15u) < 0)
            goto out;
        double t2 = cpu_s();
        r->seconds_untied += t1 - t0;
        r->seconds_tied += t2 - t1;
        long ur = 0, tr = 0, n = 0;
        for (int i = 0; i < np; i++) {
            const Pos *q = &pos[i];
            r->untied[i][s] = count_right(q->untied, q->test_x, q->test_y, q->test_n);
            r->tied[i][s] = count_right(tied, q->test_x, q->test_y, q->test_n);
            ur += r->untied[i][s];
            tr += r->tied[i][s];
            n += q->test_n;
        }
        eval_note(o->progress, "step %d/%d (%d fixations): untied %.1f%%, tied %.1f%%", s, steps,
                  s * o->block, 100.0 * (double)ur / (double)n, 100.0 * (double)tr / (double)n);
    }
    rc = 0;
out:
    for (int i = 0; i < EVAL_GR_MAX_POS; i++) {
        dataset_free(&pos[i].flipped);
        dataset_free(&pos[i].normal);
        free(pos[i].order);
        classifier_destroy(&pos[i].untied);
    }
    classifier_destroy(&tied);
    free(bx);
    free(by);
    free(tx);
    free(ty);
    return rc;
}
