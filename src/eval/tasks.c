/* eval/tasks.c: the centred, eccentricity and canvas (translated / cluttered) tasks (eval.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "core/image.h"
#include "core/log.h"
#include "core/rng.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "eval/eye.h"
#include "eval/pool.h"
#include "sim/sim_model.h"

#define PAD_PX CANVAS_PAD_PX /* black margin around the canvases (the retina reads the edge) */

/* ---------------------------------------------------------------- published figures */

/* Mnih et al. 2014 (NIPS 2014; arXiv 1406.6247), Tables 1 and 2, error %, as printed there.
 * RAM's glimpse: 8x8 at 1 scale (28x28), 12x12 at 3 scales (60x60), 12x12 at 4 scales
 * (100x100). The 100x100 rows could not be re-read from the paper's text in this session;
 * they are the figures this project recorded earlier and are marked as such wherever they are
 * printed. */
static const EvalPublished published[] = {
    {"translated60",
     "60x60 translated MNIST",
     60,
     0,
     12 * 12 * 3,
     1,
     {{"FC, 2 layers (64 hiddens each)", 0, 6.42},
      {"FC, 2 layers (256 hiddens each)", 0, 2.63},
      {"Convolutional, 2 layers", 0, 1.62},
      {"RAM, 4 glimpses, 12x12, 3 scales", 4, 1.54},
      {"RAM, 6 glimpses, 12x12, 3 scales", 6, 1.22},
      {"RAM, 8 glimpses, 12x12, 3 scales", 8, 1.20},
      {NULL, 0, 0}}},
    {"cluttered60",
     "60x60 cluttered translated MNIST (4 pieces of 8x8 clutter)",
     60,
     4,
     12 * 12 * 3,
     1,
     {{"FC, 2 layers (64 hiddens each)", 0, 28.58},
      {"FC, 2 layers (256 hiddens each)", 0, 11.96},
      {"Convolutional, 2 layers", 0, 8.09},
      {"RAM, 4 glimpses, 12x12, 3 scales", 4, 4.96},
      {"RAM, 6 glimpses, 12x12, 3 scales", 6, 4.08},
      {"RAM, 8 glimpses, 12x12, 3 scales", 8, 4.04},
      {"RAM, 8 random glimpses", 8, 14.4},
      {NULL, 0, 0}}},
    {"cluttered100",
     "100x100 cluttered translated MNIST (8 pieces of 8x8 clutter)",
     100,
     8,
     12 * 12 * 4,
     0,
     {{"Convolutional, 2 layers", 0, 14.35},
      {"RAM, 4 glimpses, 12x12, 4 scales", 4, 9.41},
      {"RAM, 6 glimpses, 12x12, 4 scales", 6, 8.31},
      {"RAM, 8 glimpses, 12x12, 4 scales", 8, 8.11},
      {NULL, 0, 0}}},
};
#define N_PUBLISHED ((int)(sizeof(published) / sizeof(published[0])))

const EvalPubRow eval_published_centred[] = {{"FC, 2 layers (256 hiddens each)", 0, 1.69},
                                             {"Convolutional, 2 layers", 0, 1.21},
                                             {"RAM, 2 glimpses, 8x8, 1 scale", 2, 3.79},
                                             {"RAM, 3 glimpses, 8x8, 1 scale", 3, 1.51},
                                             {"RAM, 4 glimpses, 8x8, 1 scale", 4, 1.54},
                                             {"RAM, 5 glimpses, 8x8, 1 scale", 5, 1.34},
                                             {"RAM, 6 glimpses, 8x8, 1 scale", 6, 1.12},
                                             {"RAM, 7 glimpses, 8x8, 1 scale", 7, 1.07},
                                             {NULL, 0, 0}};

const EvalPublished *eval_published(const char *task)
{
    for (int i = 0; task && i < N_PUBLISHED; i++)
        if (!strcmp(task, published[i].task))
            return &published[i];
    return NULL;
}

void eval_note(const EvalProgress *p, const char *fmt, ...)
{
    if (!p || !p->note)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    p->note(p->user, line);
}

/* ---------------------------------------------------------------- data */

static int load_model(const char *opt, char *path, size_t n, Classifier **c)
{
    if (sim_model_path(NULL, opt, path, n) < 0 || !(*c = classifier_load(path)))
        return -1;
    return 0;
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

/* The examples a task reads: the test set, or the validation split (refused for a model
 * trained on it). MNIST digits, or, for the eccentricity task with the glyph model, the glyphs
 * of the held-out (or validation) font families. */
typedef struct Digits {
    Dataset ds;
    const float *x;
    const uint8_t *y;
    int n;
    const char *set_name;         /* "mnist-t10k", "mnist-val", "glyphs-test" or "glyphs-val" */
    int map[DATASET_MAX_CLASSES]; /* the set's class -> the model's class of that name (-1) */
} Digits;

/* A model that reads more than digits and "nothing": the glyph model. */
static int reads_glyphs(const Classifier *c)
{
    return classifier_n_classes(c) > 11;
}

static int digits_load(Digits *d, const EvalOptions *o, const Classifier *c, int allow_glyphs)
{
    memset(d, 0, sizeof(*d));
    if (o->split_val && !classifier_holdout(c)) {
        sc_set_error("--split val: this model trained on the validation split (%s); tuning on "
                     "it would be tuning on training data",
                     classifier_trained_on(c));
        return -1;
    }
    int glyphs = allow_glyphs && reads_glyphs(c);
    if (dataset_load(&d->ds, glyphs ? "glyphs" : "mnist") < 0)
        return -1;
    if (o->split_val) {
        int first = d->ds.n_train - d->ds.n_val;
        d->x = d->ds.train_x + (size_t)first * DATASET_PATCH_N;
        d->y = d->ds.train_y + first;
        d->n = d->ds.n_val;
        d->set_name = glyphs ? "glyphs-val" : "mnist-val";
    } else {
        d->x = d->ds.test_x;
        d->y = d->ds.test_y;
        d->n = d->ds.n_test;
        d->set_name = glyphs ? "glyphs-test" : "mnist-t10k";
    }
    for (int k = 0; k < DATASET_MAX_CLASSES; k++) {
        d->map[k] = -1;
        for (int i = 0; k < d->ds.n_classes && i < classifier_n_classes(c); i++)
            if (!strcmp(classifier_class_name(c, i), d->ds.class_names[k]))
                d->map[k] = i;
    }
    if (o->limit > 0 && o->limit < d->n)
        d->n = o->limit;
    return 0;
}

/* The eye's seed for canvas i: its own stream, apart from the canvas's. */
static uint64_t eye_seed(uint64_t seed, long i)
{
    Rng base, r;
    rng_seed(&base, seed ^ 0x9e3779b97f4a7c15ull);
    rng_fork(&base, (uint64_t)i, &r);
    return rng_u64(&r);
}

/* What one glimpse senses with this sensor on a world of this side: the retinal levels the sim
 * uses there, and the distinct numbers they and the fovea hold. */
static int numbers_per_glimpse(int side, int sensor, int *levels)
{
    SimConfig scfg;
    sim_config_default(&scfg);
    sim_config_sensor(&scfg, (SimSensor)sensor);
    sim_config_for_world(&scfg, side, side);
    if (levels)
        *levels = scfg.retina.levels;
    return retina_numbers_per_glimpse(&scfg.retina);
}

/* ---------------------------------------------------------------- centred */

/* The glyph model's errors that are the same letter in the other case (o/O, x/X ...: what a
 * glyph scaled to a box could not tell apart), and its most frequent confusions. */
static void glyph_confusions(Classifier *g, const Dataset *d, EvalCentredModel *m)
{
    static int conf[DATASET_MAX_CLASSES][DATASET_MAX_CLASSES];
    memset(conf, 0, sizeof(conf));
    float probs[DATASET_MAX_CLASSES];
    long errors = 0, case_err = 0, case_n = 0;
    for (int i = 0; i < d->n_test; i++) {
        int y = d->test_y[i],
            p = classifier_predict(g, d->test_x + (size_t)i * DATASET_PATCH_N, probs);
        const char *a = d->class_names[y], *b = d->class_names[p];
        int letter = a[0] && !a[1] && ((a[0] | 32) >= 'a' && (a[0] | 32) <= 'z');
        case_n += letter;
        if (p == y)
            continue;
        errors++;
        conf[y][p]++;
        case_err += letter && b[0] && !b[1] && (a[0] | 32) == (b[0] | 32);
    }
    m->errors = errors;
    m->case_errors = case_err;
    m->letters = case_n;
    m->n_top = 0;
    for (int k = 0; k < EVAL_TOP_CONFUSIONS; k++) {
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
        snprintf(m->top_pair[k], sizeof(m->top_pair[k]), "%s->%s", d->class_names[ba],
                 d->class_names[bb]);
        m->top_n[k] = bn;
        m->n_top++;
    }
}

/* The examples of the centred task: the test set, or the validation split (the end of train). */
static Dataset centred_view(const Dataset *d, int glyphs, const EvalOptions *o)
{
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
                 glyphs ? "validation families" : "mnist-val");
        snprintf(view.test_desc, sizeof(view.test_desc), "%s", d->val_desc);
    }
    return view;
}

static int is_digit_name(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && !s[1];
}

/* The joined reader on a set's examples (MNIST: the first `limit` if limit > 0). */
static void centred_joined(const SimClassifier *h, const Dataset *view, int limit, EvalJoinedSet *r)
{
    float probs[SIM_MAX_CLASSES];
    int n = limit > 0 && limit < view->n_test ? limit : view->n_test;
    for (int i = 0; i < n; i++) {
        h->predict(h->ctx, view->test_x + (size_t)i * DATASET_PATCH_N, probs);
        int top = 0;
        for (int k = 1; k < h->n_classes; k++)
            if (probs[k] > probs[top])
                top = k;
        const char *truth = view->class_names[view->test_y[i]], *ans = h->class_names[top];
        r->n++;
        if (!strcmp(ans, truth))
            r->right++;
        else if (top != h->nothing_class && is_digit_name(ans) != is_digit_name(truth))
            r->other_kind++;
    }
}

/* One model on its examples (the test set, or the validation split: the end of train). */
static void centred_model(Classifier *mc, const Dataset *d, int glyphs, const EvalOptions *o,
                          EvalCentredModel *r)
{
    Dataset view = centred_view(d, glyphs, o);
    snprintf(r->trained_on, sizeof(r->trained_on), "%s", classifier_trained_on(mc));
    snprintf(r->test_desc, sizeof(r->test_desc), "%s", view.test_desc);
    int cc[DATASET_MAX_CLASSES], ct[DATASET_MAX_CLASSES];
    int limit = o->limit > 0 && !glyphs ? o->limit : 0;
    r->n_groups = view.n_groups < EVAL_MAX_GROUPS ? view.n_groups : EVAL_MAX_GROUPS;
    for (int gi = 0; gi < r->n_groups; gi++) {
        Dataset part = view;
        part.test_x = view.test_x + (size_t)view.group_first[gi] * DATASET_PATCH_N;
        part.test_y = view.test_y + view.group_first[gi];
        part.n_test = view.group_count[gi];
        int n_used = limit > 0 && limit < part.n_test ? limit : part.n_test;
        double acc = classifier_test_accuracy(mc, &part, n_used, cc, ct);
        EvalCentredGroup *g = &r->groups[gi];
        snprintf(g->name, sizeof(g->name), "%s", view.group_name[gi]);
        g->n = n_used;
        g->accuracy = acc;
        g->correct = lround(acc * n_used);
        r->correct += g->correct;
        r->n += n_used;
        for (int k = 0; k < d->n_classes; k++)
            if (ct[k] && gi == 0) {
                r->class_x[r->n_points] = k;
                r->class_acc[r->n_points++] = 100.0 * cc[k] / ct[k];
            }
    }
    if (glyphs)
        glyph_confusions(mc, &view, r);
}

int eval_centred(const EvalOptions *o, EvalCentredResult *r)
{
    memset(r, 0, sizeof(*r));
    char path[1024], cpath[1024] = ""; /* SimModelChoice paths */
    Classifier *c = NULL, *g = NULL;
    SimModel *joined = NULL;
    SimModelChoice ch;
    Dataset ds, gds;
    memset(&ds, 0, sizeof(ds));
    memset(&gds, 0, sizeof(gds));
    int rc = -1;
    if (load_model(o->model, path, sizeof(path), &c) < 0)
        goto done;
    /* the other shipped model too: the digit model on MNIST, the glyph model on the fonts */
    const int is_glyphs = !strncmp(classifier_dataset(c), "glyphs", 6); /* or glyphs-box */
    if (is_glyphs) {
        g = c;
        c = NULL;
        if (sim_model_path(NULL, "mnist", cpath, sizeof(cpath)) == 0)
            c = classifier_load(cpath);
    } else {
        snprintf(cpath, sizeof(cpath), "%s", path);
        if (sim_model_path(NULL, "glyphs", path, sizeof(path)) == 0)
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
    centred_model(c, &ds, 0, o, &r->mnist);
    centred_model(g, &gds, 1, o, &r->glyphs);
    /* the digit model joined with the character model, as a scene of digits and text reads */
    memset(&ch, 0, sizeof(ch));
    ch.n = 2;
    snprintf(ch.path[0], sizeof(ch.path[0]), "%s", cpath);
    if (sim_model_path(NULL, "chars", ch.path[1], sizeof(ch.path[1])) < 0 ||
        !(joined = sim_model_open(&ch)))
        goto done;
    if (o->split_val && !classifier_holdout(sim_model_classifier(joined, 1))) {
        sc_set_error("--split val: the character model trained on its validation split");
        goto done;
    }
    Dataset dv = centred_view(&ds, 0, o), gv = centred_view(&gds, 1, o);
    centred_joined(sim_model_hook(joined), &dv, o->limit, &r->joined_digits);
    centred_joined(sim_model_hook(joined), &gv, 0, &r->joined_glyphs);
    rc = 0;
done:
    sim_model_close(&joined);
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
    unsigned char *ok; /* per (offset, digit) */
    int *glimpses;     /* saccade condition: glimpses used */
    int still;
} EccCtx;

static int ecc_job(void *ctx, EvalEye *eye, long item)
{
    EccCtx *x = ctx;
    int k = (int)(item / x->per), i = (int)(item % x->per);
    int off = k * EVAL_ECC_STEP_PX;
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
    const int K = x->still ? 1 : EVAL_ECC_GLIMPSES;
    int rc = eval_eye_run(eye, &w, eye_seed(x->seed, item), K, &ep);
    image_destroy(&w);
    if (rc < 0)
        return -1;
    int want = x->dg->map[x->dg->y[i]];
    x->ok[item] = eval_answer(&ep, K) == want;
    x->glimpses[item] = eval_glimpses_used(&ep, K);
    return 0;
}

int eval_eccentricity(const EvalOptions *o, EvalEccResult *r)
{
    memset(r, 0, sizeof(*r));
    char path[4096];
    Classifier *c = NULL;
    Digits dg;
    memset(&dg, 0, sizeof(dg));
    int rc = -1;
    unsigned char *ok = NULL;
    int *gl = NULL;
    if (load_model(o->model, path, sizeof(path), &c) < 0)
        goto done;
    if (class_of_digit(c, 0) < 0) {
        sc_set_error("%s: model has no digit classes", path);
        goto done;
    }
    if (digits_load(&dg, o, c, 1) < 0)
        goto done;
    /* odd: the sim's first look, at the world centre, falls on a pixel */
    const int side = 2 * (EVAL_ECC_MAX_PX + DATASET_SIDE + PAD_PX) + 1;
    const int per = dg.n; /* every digit of the set at every offset (--limit: the first N) */
    const long total = (long)EVAL_ECC_NOFF * per;
    ok = calloc((size_t)total, 1);
    gl = calloc((size_t)total, sizeof(int));
    if (!ok || !gl) {
        sc_set_error("eval: out of memory");
        goto done;
    }
    for (int cond = 0; cond < 2; cond++) {
        EccCtx x = {&dg, c, side, per, o->seed, ok, gl, cond == 0};
        EvalPoolSpec ps = {ecc_job,
                           &x,
                           total,
                           path,
                           side,
                           side,
                           {cond == 0, o->sensor},
                           o->threads,
                           o->progress,
                           cond == 0 ? "eccentricity, still" : "eccentricity, saccades",
                           NULL,
                           NULL};
        if (eval_pool_run(&ps) < 0)
            goto done;
        for (int k = 0; k < EVAL_ECC_NOFF; k++) {
            long s = 0, gsum = 0;
            for (int i = 0; i < per; i++) {
                s += ok[(long)k * per + i];
                gsum += gl[(long)k * per + i];
            }
            r->rows[k].offset_px = k * EVAL_ECC_STEP_PX;
            if (cond == 0) {
                r->rows[k].still_right = s;
            } else {
                r->rows[k].saccades_right = s;
                r->rows[k].glimpses_mean = (double)gsum / per;
            }
        }
    }
    r->test_set = dg.set_name;
    r->n = per;
    r->numbers_per_glimpse = numbers_per_glimpse(side, o->sensor, &r->retina_levels);
    rc = 0;
done:
    free(ok);
    free(gl);
    classifier_destroy(&c);
    dataset_free(&dg.ds);
    return rc;
}

/* ---------------------------------------------------------------- translated / cluttered */

typedef struct CanvasCtx {
    const Digits *dg;
    const Classifier *c;
    const EvalPublished *pub;
    int side, n;
    uint64_t seed;
    unsigned char *ok;     /* [i * EVAL_MAX_K + k - 1]: right after k glimpses */
    unsigned char *used;   /* [i * EVAL_MAX_K + k - 1]: glimpses used by the answer after k */
    unsigned char *landed; /* a read within 3 px of the digit's centre of mass */
} CanvasCtx;

static int canvas_job(void *ctx, EvalEye *eye, long i)
{
    CanvasCtx *x = ctx;
    Image w;
    if (image_create(&w, x->side, x->side) < 0)
        return -1;
    int tx, ty;
    canvas_build(&w, x->dg->x, x->dg->n, x->pub->canvas, x->pub->fragments, x->seed, (int)i, &tx,
                 &ty);
    EvalEpisode ep;
    int rc = eval_eye_run(eye, &w, eye_seed(x->seed, i), EVAL_MAX_K, &ep);
    image_destroy(&w);
    if (rc < 0)
        return -1;
    int want = class_of_digit(x->c, x->dg->y[i]);
    for (int k = 1; k <= EVAL_MAX_K; k++)
        x->ok[i * EVAL_MAX_K + k - 1] = eval_answer(&ep, k) == want;
    for (int k = 1; k <= EVAL_MAX_K; k++)
        x->used[i * EVAL_MAX_K + k - 1] = (unsigned char)eval_glimpses_used(&ep, k);
    for (int r = 0; r < ep.n_reads; r++)
        if (fabsf(ep.reads[r].x - (float)(tx + 14)) <= 3 &&
            fabsf(ep.reads[r].y - (float)(ty + 14)) <= 3)
            x->landed[i] = 1;
    return 0;
}

static const char *canvas_status(void *ctx, char *buf, size_t n)
{
    const CanvasCtx *x = ctx;
    snprintf(buf, n, "seed %llu", (unsigned long long)x->seed);
    return buf;
}

/* The rows and the split of the errors at EVAL_MAX_K from the per-canvas answers. */
static void canvas_tally(const unsigned char *ok, const unsigned char *used,
                         const unsigned char *landed, int n, int S, EvalCanvasResult *r)
{
    for (int k = 1; k <= EVAL_MAX_K; k++) {
        EvalCanvasRow *row = &r->rows[k - 1];
        long wrong = 0;
        double emin = 1, emax = 0;
        for (int s = 0; s < S; s++) {
            long w = 0;
            for (int i = 0; i < n; i++)
                w += !ok[((size_t)s * n + i) * EVAL_MAX_K + k - 1];
            wrong += w;
            double e = (double)w / n;
            row->error_per_seed[s] = e;
            emin = fmin(emin, e);
            emax = fmax(emax, e);
        }
        row->glimpses = k;
        row->n = (long)n * S;
        row->wrong = wrong;
        row->error_min_seed = emin;
        row->error_max_seed = emax;
        row->ram_error = -1;
        for (size_t i = 0; i < (size_t)n * S; i++)
            row->glimpses_used += used[i * EVAL_MAX_K + k - 1];
        for (const EvalPubRow *p = r->pub->rows; p->model; p++)
            if (p->glimpses == k && strncmp(p->model, "RAM, 8 random", 13))
                row->ram_error = p->error / 100;
    }
    for (size_t i = 0; i < (size_t)n * S; i++) {
        r->glimpses_used += used[i * EVAL_MAX_K + EVAL_MAX_K - 1];
        r->read_within_3px += landed[i];
        int wrong8 = !ok[i * EVAL_MAX_K + EVAL_MAX_K - 1];
        r->wrong_read_centred += landed[i] && wrong8;
        r->wrong_never_read_centred += !landed[i] && wrong8;
    }
}

int eval_canvas(const char *task, const EvalOptions *o, EvalCanvasResult *r)
{
    memset(r, 0, sizeof(*r));
    const EvalPublished *pub = eval_published(task);
    if (!pub) {
        sc_set_error("eval: '%s' is not a canvas task", task ? task : "(null)");
        return -1;
    }
    if (o->n_seeds < 1 || o->n_seeds > EVAL_MAX_SEEDS) {
        sc_set_error("eval: %d seeds: 1..%d", o->n_seeds, EVAL_MAX_SEEDS);
        return -1;
    }
    char path[4096];
    Classifier *c = NULL;
    Digits dg;
    memset(&dg, 0, sizeof(dg));
    int rc = -1;
    unsigned char *ok = NULL, *used = NULL, *landed = NULL;
    if (load_model(o->model, path, sizeof(path), &c) < 0)
        goto done;
    if (class_of_digit(c, 0) < 0) {
        sc_set_error("%s: model has no digit classes (the canvas tasks use MNIST digits)", path);
        goto done;
    }
    if (digits_load(&dg, o, c, 0) < 0)
        goto done;
    /* odd: the sim's first look, at the world centre, falls on a pixel */
    const int side = pub->canvas + 2 * PAD_PX + 1, n = dg.n, S = o->n_seeds;
    ok = calloc((size_t)n * EVAL_MAX_K * (size_t)S, 1);
    used = calloc((size_t)n * EVAL_MAX_K * (size_t)S, 1);
    landed = calloc((size_t)n * (size_t)S, 1);
    if (!ok || !used || !landed) {
        sc_set_error("eval: out of memory");
        goto done;
    }
    for (int s = 0; s < S; s++) {
        CanvasCtx x = {&dg,
                       c,
                       pub,
                       side,
                       n,
                       o->seed + (uint64_t)s,
                       ok + (size_t)s * n * EVAL_MAX_K,
                       used + (size_t)s * n * EVAL_MAX_K,
                       landed + (size_t)s * n};
        char label[64];
        snprintf(label, sizeof(label), "%s, seed %llu", task, (unsigned long long)x.seed);
        EvalPoolSpec ps = {canvas_job,     &x,         n,           path,  side,          side,
                           {0, o->sensor}, o->threads, o->progress, label, canvas_status, NULL};
        if (eval_pool_run(&ps) < 0)
            goto done;
    }
    r->pub = pub;
    r->test_set = dg.set_name;
    r->n = n;
    r->n_seeds = S;
    r->seed = o->seed;
    r->sensor = o->sensor;
    r->numbers_per_glimpse = numbers_per_glimpse(side, o->sensor, &r->retina_levels);
    snprintf(r->trained_on, sizeof(r->trained_on), "%s", classifier_trained_on(c));
    canvas_tally(ok, used, landed, n, S, r);
    rc = 0;
done:
    free(ok);
    free(used);
    free(landed);
    classifier_destroy(&c);
    dataset_free(&dg.ds);
    return rc;
}
