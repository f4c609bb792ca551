/* eval/eyepatch.c: the reader's training patches from its own eye (eval.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rng.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "eval/eye.h"
#include "eval/pool.h"

#define PATCH_N (CLASSIFIER_SIDE * CLASSIFIER_SIDE)
#define CHUNK 4096 /* canvases per pass: bounds the per-canvas slots */

typedef struct PatchCtx {
    const EvalPatchOptions *o;
    const EvalPublished *pub;
    int side;
    int nothing;
    int digit_class[10];
    long first;      /* canvas index of item 0 */
    float *slot_x;   /* CHUNK x max_glimpses patches */
    int *slot_y;     /* class, or -2: not kept */
    int *slot_reads; /* reads per canvas */
} PatchCtx;

static uint64_t canvas_eye_seed(uint64_t seed, long i)
{
    Rng base, r;
    rng_seed(&base, seed ^ 0x5be0cd19137e2179ull);
    rng_fork(&base, (uint64_t)i, &r);
    return rng_u64(&r);
}

static int patch_job(void *ctx, EvalEye *eye, long item)
{
    PatchCtx *x = ctx;
    const EvalPatchOptions *o = x->o;
    long i = x->first + item;
    int d = (int)(i % o->n_digits);
    Image w;
    if (image_create(&w, x->side, x->side) < 0)
        return -1;
    int tx, ty;
    /* the eval's generator on training digits; each pass over the digits draws new positions
     * and clutter from a stream of its own (apart from the eval's canvas seeds 1, 2, 3 ...) */
    Rng base, pass;
    rng_seed(&base, o->seed ^ 0x6a09e667f3bcc908ull);
    rng_fork(&base, (uint64_t)(i / o->n_digits), &pass);
    canvas_build(&w, o->digits, o->n_digits, x->pub->canvas, x->pub->fragments, rng_u64(&pass), d,
                 &tx, &ty);
    EvalEpisode ep;
    int rc = eval_eye_run(eye, &w, canvas_eye_seed(o->seed, i), o->max_glimpses, &ep);
    image_destroy(&w);
    if (rc < 0)
        return -1;
    int n = ep.n_reads < o->max_glimpses ? ep.n_reads : o->max_glimpses;
    x->slot_reads[item] = n;
    for (int r = 0; r < n; r++) {
        float dx = ep.reads[r].x - (float)(tx + 14), dy = ep.reads[r].y - (float)(ty + 14);
        int cls = -2;
        if (fabsf(dx) <= o->pos_px && fabsf(dy) <= o->pos_px)
            cls = x->digit_class[o->labels[d] % 10];
        else if (hypotf(dx, dy) >= o->neg_px)
            cls = x->nothing;
        size_t k = (size_t)item * (size_t)o->max_glimpses + (size_t)r;
        x->slot_y[k] = cls;
        memcpy(x->slot_x + k * PATCH_N, eval_eye_read_patch(eye, r), sizeof(float) * PATCH_N);
    }
    return 0;
}

void eval_patches_free(EvalPatches *p)
{
    if (!p)
        return;
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof(*p));
}

int eval_eye_patches(const Classifier *reader, const EvalPatchOptions *o, EvalPatches *out)
{
    memset(out, 0, sizeof(*out));
    const EvalPublished *pub = eval_published(o->task);
    if (!pub) {
        sc_set_error("eye patches: '%s' is not a canvas task", o->task ? o->task : "(null)");
        return -1;
    }
    if (o->n_digits < 1 || o->n_canvases < 1 || o->max_glimpses < 1 ||
        o->max_glimpses > EVAL_MAX_K || !(o->pos_px > 0 && o->pos_px < o->neg_px) ||
        o->threads < 1 || o->threads > EVAL_MAX_THREADS) {
        sc_set_error("eye patches: bad options");
        return -1;
    }
    PatchCtx x;
    memset(&x, 0, sizeof(x));
    x.o = o;
    x.pub = pub;
    x.side = canvas_world_side(pub->canvas);
    x.nothing = classifier_nothing_class(reader);
    for (int k = 0; k < 10; k++) {
        char name[2] = {(char)('0' + k), 0};
        x.digit_class[k] = -1;
        for (int c = 0; c < classifier_n_classes(reader); c++)
            if (!strcmp(classifier_class_name(reader, c), name))
                x.digit_class[k] = c;
        if (x.digit_class[k] < 0) {
            sc_set_error("eye patches: the reader has no class '%s'", name);
            return -1;
        }
    }
    if (x.nothing < 0) {
        sc_set_error("eye patches: the reader has no \"nothing\" class");
        return -1;
    }
    const size_t slots = (size_t)CHUNK * (size_t)o->max_glimpses;
    x.slot_x = malloc(sizeof(float) * PATCH_N * slots);
    x.slot_y = malloc(sizeof(int) * slots);
    x.slot_reads = malloc(sizeof(int) * CHUNK);
    long cap = 0;
    int rc = -1;
    if (!x.slot_x || !x.slot_y || !x.slot_reads) {
        sc_set_error("eye patches: out of memory");
        goto done;
    }
    for (x.first = 0; x.first < o->n_canvases; x.first += CHUNK) {
        long n = o->n_canvases - x.first < CHUNK ? o->n_canvases - x.first : CHUNK;
        EvalPoolSpec ps = {patch_job, &x,         n,           NULL,          x.side, x.side,
                           {0, 0},    o->threads, o->progress, "eye patches", NULL,   reader};
        if (eval_pool_run(&ps) < 0)
            goto done;
        /* kept patches, in canvas order (the same at any thread count) */
        for (long i = 0; i < n; i++)
            for (int r = 0; r < x.slot_reads[i]; r++) {
                size_t k = (size_t)i * (size_t)o->max_glimpses + (size_t)r;
                out->reads++;
                if (x.slot_y[k] == -2)
                    continue;
                if (out->n == cap) {
                    long nc = cap ? 2 * cap : 65536;
                    float *nx = realloc(out->x, sizeof(float) * PATCH_N * (size_t)nc);
                    if (nx)
                        out->x = nx;
                    int *ny = nx ? realloc(out->y, sizeof(int) * (size_t)nc) : NULL;
                    if (!ny) {
                        sc_set_error("eye patches: out of memory");
                        goto done;
                    }
                    out->y = ny;
                    cap = nc;
                }
                memcpy(out->x + (size_t)out->n * PATCH_N, x.slot_x + k * PATCH_N,
                       sizeof(float) * PATCH_N);
                out->y[out->n++] = x.slot_y[k];
                if (x.slot_y[k] == x.nothing)
                    out->nothings++;
                else
                    out->positives++;
            }
    }
    rc = 0;
done:
    free(x.slot_x);
    free(x.slot_y);
    free(x.slot_reads);
    if (rc < 0)
        eval_patches_free(out);
    return rc;
}

void eval_eye_rounds_mnist(EvalEyeRounds *r)
{
    memset(r, 0, sizeof(*r));
    r->rounds = 1;
    r->epochs = 16;
    r->canvases = 55000;
    r->frac = 0.5f;
    r->pos_px = 2.5f;
    r->neg_px = 5.0f;
}

Classifier *eval_train_reader(const Dataset *ds, const TrainParams *tp, const Classifier *init,
                              const EvalEyeRounds *er, EvalTrainNote note, void *note_user,
                              TrainSummary *sum)
{
    TrainSummary s, total;
    memset(&total, 0, sizeof(total));
    Classifier *c = NULL;
    if (init && (!er || er->rounds == 0)) {
        TrainParams t = *tp;
        t.init = init;
        c = classifier_train(ds, &t, &s);
    } else if (init) {
        c = classifier_clone(init);
        memset(&s, 0, sizeof(s));
    } else {
        c = classifier_train(ds, tp, &s);
    }
    if (!c)
        return NULL;
    total.examples += s.examples;
    const int rounds = er ? er->rounds : 0;
    if (rounds > 0 && (strcmp(ds->name, "mnist") || ds->nothing_class < 0)) {
        classifier_destroy(&c);
        sc_set_error("train: eye rounds: mnist only (the eye reads digit canvases)");
        return NULL;
    }
    for (int round = 0; round < rounds; round++) {
        const int n_digits = ds->n_train - (tp->holdout ? ds->n_val : 0);
        EvalPatchOptions po = {"cluttered60", ds->train_x,  ds->train_y,
                               n_digits,      er->canvases, EVAL_MAX_K,
                               er->pos_px,    er->neg_px,   tp->seed + (uint64_t)round,
                               tp->threads,   NULL};
        EvalPatches pt;
        if (eval_eye_patches(c, &po, &pt) < 0) {
            classifier_destroy(&c);
            return NULL;
        }
        if (note) {
            char line[256];
            snprintf(line, sizeof(line),
                     "eye round %d: %ld canvases of %d training digits, %ld reads: %ld of the "
                     "digit, %ld \"nothing\", %ld between (dropped)",
                     round + 1, po.n_canvases, n_digits, pt.reads, pt.positives, pt.nothings,
                     pt.reads - pt.positives - pt.nothings);
            note(note_user, line);
        }
        TrainParams t2 = *tp;
        t2.epochs = er->epochs;
        t2.init = c;
        t2.pool_x = pt.x;
        t2.pool_y = pt.y;
        t2.pool_n = pt.n;
        t2.pool_frac = er->frac;
        t2.seed = tp->seed + 1000 * (uint64_t)(round + 1); /* a stream of its own */
        Classifier *c2 = classifier_train(ds, &t2, &s);
        eval_patches_free(&pt);
        classifier_destroy(&c);
        if (!(c = c2))
            return NULL;
        total.examples += s.examples;
    }
    if (rounds > 0) {
        char prov[CLASSIFIER_TEXT_MAX];
        snprintf(prov, sizeof(prov), "%.170s; then %d eye round%s of %d epochs",
                 classifier_trained_on(c), rounds, rounds > 1 ? "s" : "", er->epochs);
        classifier_set_provenance(c, prov, classifier_holdout(c));
    }
    if (sum) {
        long ex = total.examples;
        *sum = s;
        sum->examples = ex;
    }
    return c;
}
