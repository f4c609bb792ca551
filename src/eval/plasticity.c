/* eval/plasticity.c: reinforcement of the reader's V1 input at one position, untied and tied
 * (the protocol and the measures are in eval/plasticity.h; the rule in v1/plasticity.h). */
#include "eval/plasticity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "core/log.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "eval/canvas.h"
#include "retina/retina.h"
#include "sim/sim_model.h"

const float eval_plast_etas[EVAL_PLAST_ETAS] = {0.001f, 0.003f, 0.01f, 0.03f, 0.1f};
const char *const eval_plast_pos_names[EVAL_PLAST_POS] = {"trained", "untrained", "centre"};

enum { POS_TRAINED = 0, POS_UNTRAINED = 1, POS_CENTRE = 2 };
enum { P = PLASTICITY_POSITIONS, SIDE = DATASET_SIDE };

void eval_plasticity_defaults(EvalPlasticityOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->offset_px = 3;
    o->contrast = 0.3f;
    o->noise = 0.15f;
    o->n_train = 2000;
    o->n_test = 1000;
    o->n_seeds = 3;
    o->seed = 1;
}

/* What one read needs: the reader, a retina on a small world, the feature buffer. */
typedef struct Bench {
    Classifier *c;
    Retina *retina;
    Image world;
    float *x;    /* classifier input: 784 pixels, then V1_PATCH_OUT energies */
    float *hard; /* the hard-wired energies of the last read */
    float probs[CLASSIFIER_MAX_CLASSES];
    const EvalPlasticityOptions *o;
} Bench;

/* Stream tags: every stimulus' noise depends only on (seed, phase, index). */
#define TAG_TRAIN 0x7261696eull
#define TAG_TEST 0x74657374ull

static uint64_t stream(uint64_t seed, uint64_t tag, uint64_t i)
{
    return seed * 0x9E3779B97F4A7C15ull ^ (tag << 32) ^ (i * 0xBF58476D1CE4E5B9ull);
}

/* Puts digit d (28x28, 0..1) at offset (dx, dy) from the gaze (the world centre) on a noisy
 * black world, samples the retina there and reads the fovea with the gains. Returns the label
 * read; *conf its probability; *seen and *hard (may be NULL) the summed V1 energy the reader
 * saw and the hard-wired one. */
static int read_digit(Bench *b, const Plasticity *pl, const float *d, int dx, int dy,
                      uint64_t noise_seed, float *conf, double *seen, double *hard)
{
    const EvalPlasticityOptions *o = b->o;
    Image *w = &b->world;
    Rng r;
    rng_seed(&r, noise_seed);
    for (int y = 0; y < w->h; y++) {
        float *row = image_row(w, y);
        for (int x = 0; x < w->w; x++) {
            float v = (float)(o->noise * rng_normal(&r));
            row[x] = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
        }
    }
    const int c = w->w / 2; /* the gaze */
    for (int j = 0; j < SIDE; j++)
        for (int i = 0; i < SIDE; i++) {
            int tx = c - SIDE / 2 + dx + i, ty = c - SIDE / 2 + dy + j;
            float *p = image_row(w, ty) + tx;
            float v = *p + o->contrast * d[j * SIDE + i];
            *p = v > 1.0f ? 1.0f : v;
        }
    retina_world_changed(b->retina, w, 0, 0, -1, -1);
    retina_sample(b->retina, (float)c, (float)c);
    const Image *fov = retina_fovea(b->retina);
    classifier_features(b->c, fov->px, b->x);
    float *e = b->x + CLASSIFIER_SIDE * CLASSIFIER_SIDE;
    double h = 0, s = 0;
    for (int i = 0; i < V1_PATCH_OUT; i++)
        h += e[i];
    memcpy(b->hard, e, sizeof(float) * V1_PATCH_OUT);
    plasticity_apply(pl, e);
    for (int i = 0; i < V1_PATCH_OUT; i++)
        s += e[i];
    int label = classifier_predict_features(b->c, b->x, b->probs);
    *conf = b->probs[label];
    if (seen)
        *seen = s;
    if (hard)
        *hard = h;
    return label;
}

static void pos_offset(const EvalPlasticityOptions *o, int pos, int *dx, int *dy)
{
    int d = pos == POS_TRAINED ? -o->offset_px : pos == POS_UNTRAINED ? o->offset_px : 0;
    *dx = d;
    *dy = d;
}

/* Trains pl from all-1 gains on n_train reads at the trained position (seeded). active[]
 * (may be NULL) marks the cells whose filters fired on a rewarded read. Returns the rewarded
 * reads. */
static long train(Bench *b, Plasticity *pl, const Dataset *ds, int n_pool, uint64_t seed,
                  unsigned char *active)
{
    int dx, dy;
    pos_offset(b->o, POS_TRAINED, &dx, &dy);
    Rng pick;
    rng_seed(&pick, stream(seed, TAG_TRAIN, 0xffffffffull));
    long rewarded = 0;
    const float *e = b->x + CLASSIFIER_SIDE * CLASSIFIER_SIDE;
    for (int t = 0; t < b->o->n_train; t++) {
        int k = (int)rng_below(&pick, (uint32_t)n_pool);
        float conf;
        int label = read_digit(b, pl, ds->train_x + (size_t)k * DATASET_PATCH_N, dx, dy,
                               stream(seed, TAG_TRAIN, (uint64_t)t), &conf, NULL, NULL);
        if (plasticity_reward(pl, e, label == ds->train_y[k], conf)) {
            rewarded++;
            if (active)
                for (int i = 0; i < V1_PATCH_OUT; i++)
                    if (e[i] > 0.0f)
                        active[i % P] = 1;
        }
    }
    return rewarded;
}

/* Reads the n digits at pos with pl; right[i] = 1 when digit i was read right. Adds the
 * energies into *seen, *hard. Returns the count right. */
static long test_at(Bench *b, const Plasticity *pl, const float *x, const uint8_t *y, int n,
                    int pos, uint64_t seed, unsigned char *right, double *seen, double *hard)
{
    int dx, dy;
    pos_offset(b->o, pos, &dx, &dy);
    long k = 0;
    for (int i = 0; i < n; i++) {
        float conf;
        double s, h;
        int label = read_digit(b, pl, x + (size_t)i * DATASET_PATCH_N, dx, dy,
                               stream(seed, TAG_TEST, (uint64_t)i), &conf, &s, &h);
        int ok = label == y[i];
        if (right)
            right[i] = (unsigned char)ok;
        k += ok;
        if (seen)
            *seen += s;
        if (hard)
            *hard += h;
    }
    return k;
}

static int check(const EvalPlasticityOptions *o)
{
    if (o->offset_px < 1 || o->offset_px > 10) {
        sc_set_error("--offset %d: must be 1..10 px", o->offset_px);
        return -1;
    }
    if (!(o->contrast > 0.0f && o->contrast <= 1.0f)) {
        sc_set_error("--contrast %g: must be in (0, 1]", (double)o->contrast);
        return -1;
    }
    if (!(o->noise >= 0.0f && o->noise <= 1.0f)) {
        sc_set_error("--noise %g: must be in [0, 1]", (double)o->noise);
        return -1;
    }
    if (o->n_train < 1 || o->n_train > 1000000 || o->n_test < 1) {
        sc_set_error("--train and --n must be at least 1 (train at most 1000000)");
        return -1;
    }
    if (o->n_seeds < 1 || o->n_seeds > EVAL_MAX_SEEDS) {
        sc_set_error("--seeds %d: must be 1..%d", o->n_seeds, EVAL_MAX_SEEDS);
        return -1;
    }
    const float etas[2] = {o->eta_untied, o->eta_tied};
    for (int i = 0; i < 2; i++)
        if (!(etas[i] >= 0.0f && etas[i] <= 1.0f)) {
            sc_set_error("--eta %g: must be in (0, 1] (0: chosen on validation)", (double)etas[i]);
            return -1;
        }
    return 0;
}

int eval_plasticity(const EvalPlasticityOptions *o, EvalPlasticityResult *r)
{
    memset(r, 0, sizeof(*r));
    if (check(o) < 0)
        return -1;
    char path[1024];
    if (sim_model_path(NULL, o->model ? o->model : "mnist", path, sizeof(path)) < 0)
        return -1;
    Bench b = {.o = o};
    Dataset ds;
    memset(&ds, 0, sizeof(ds));
    unsigned char *right = NULL, *right_off = NULL; /* this mode's reads; the bank's per position */
    int rc = -1;
    b.c = classifier_load(path);
    if (!b.c)
        goto done;
    if (classifier_input_kind(b.c) != CLASSIFIER_INPUT_PIXELS_V1 ||
        classifier_nothing_class(b.c) < 0 || classifier_n_classes(b.c) != 11) {
        sc_set_error("%s: eval plasticity needs an MNIST reader with V1 input", path);
        goto done;
    }
    if (dataset_load(&ds, "mnist") < 0)
        goto done;
    if (ds.n_val <= 0) {
        sc_set_error("mnist: no validation split");
        goto done;
    }
    const int n_pool = ds.n_train - ds.n_val; /* plasticity's training digits */
    const float *val_x = ds.train_x + (size_t)n_pool * DATASET_PATCH_N;
    const uint8_t *val_y = ds.train_y + n_pool;
    const float *tx = o->split_val ? val_x : ds.test_x;
    const uint8_t *ty = o->split_val ? val_y : ds.test_y;
    int n_avail = o->split_val ? ds.n_val : ds.n_test;
    int n = o->n_test < n_avail ? o->n_test : n_avail;
    int n_val = o->n_test < ds.n_val ? o->n_test : ds.n_val;
    r->test_set = o->split_val ? "mnist-val" : "mnist-t10k";
    r->n_test = n;
    r->n_seeds = o->n_seeds;
    r->n_train = o->n_train;
    r->seed = o->seed;
    for (int p = 0; p < EVAL_PLAST_POS; p++)
        pos_offset(o, p, &r->offset[p][0], &r->offset[p][1]);

    RetinaParams rp;
    retina_params_default(&rp);
    int side = canvas_world_side(SIDE);
    b.retina = retina_create(&rp, side, side);
    b.x = calloc((size_t)classifier_input_size(CLASSIFIER_INPUT_PIXELS_V1), sizeof(float));
    b.hard = calloc(V1_PATCH_OUT, sizeof(float));
    right = malloc((size_t)n);
    right_off = malloc((size_t)n * EVAL_PLAST_POS);
    if (!b.retina || !b.x || !b.hard || !right || !right_off ||
        image_create(&b.world, side, side) < 0) {
        sc_set_error("eval plasticity: out of memory");
        goto done;
    }

    /* the rates: given, or the best at the trained position on the validation digits */
    r->eta[PLASTICITY_OFF] = 0.0f;
    r->eta[PLASTICITY_UNTIED] = o->eta_untied;
    r->eta[PLASTICITY_TIED] = o->eta_tied;
    for (int m = PLASTICITY_UNTIED; m <= PLASTICITY_TIED; m++) {
        if (r->eta[m] > 0.0f)
            continue;
        r->eta_chosen = 1;
        r->val_n = (long)n_val * o->n_seeds;
        int best = 0;
        for (int k = 0; k < EVAL_PLAST_ETAS; k++) {
            eval_note(o->progress, "validation: %s, eta %g", plasticity_mode_name(m),
                      (double)eval_plast_etas[k]);
            for (int s = 0; s < o->n_seeds; s++) {
                Plasticity pl;
                plasticity_init(&pl, m, eval_plast_etas[k]);
                train(&b, &pl, &ds, n_pool, o->seed + (uint64_t)s, NULL);
                r->val_right[m][k] += test_at(&b, &pl, val_x, val_y, n_val, POS_TRAINED,
                                              o->seed + (uint64_t)s, NULL, NULL, NULL);
            }
            if (r->val_right[m][k] > r->val_right[m][best])
                best = k;
        }
        r->eta[m] = eval_plast_etas[best];
    }

    /* the measures, on the test digits */
    for (int s = 0; s < o->n_seeds; s++) {
        uint64_t seed = o->seed + (uint64_t)s;
        for (int m = 0; m < EVAL_PLAST_MODES; m++) {
            eval_note(o->progress, "seed %llu: %s", (unsigned long long)seed,
                      plasticity_mode_name(m));
            Plasticity pl;
            plasticity_init(&pl, m, r->eta[m]);
            unsigned char active[P];
            memset(active, 0, sizeof(active));
            if (m != PLASTICITY_OFF)
                r->rewarded[m][s] = train(&b, &pl, &ds, n_pool, seed, active);
            int in = 0;
            double gin = 0, gout = 0, dev = 0;
            for (int j = 0; j < P; j++) {
                double ch = 0, top = 0;
                for (int q = 0; q < V1_PATCH_ORIENT; q++) {
                    double d = fabs(pl.gain[q * P + j] - 1.0);
                    ch += d / V1_PATCH_ORIENT;
                    if (pl.gain[q * P + j] > top)
                        top = pl.gain[q * P + j];
                    if (!active[j] && d > dev)
                        dev = d;
                }
                in += active[j];
                *(active[j] ? &gin : &gout) += ch;
                if (s == 0)
                    r->gain_map[m][j] = (float)top;
            }
            r->trained_region[m][s] = in;
            r->changed_positions[m][s] = plasticity_positions_changed(&pl);
            r->gain_in_mean[m][s] = in ? gin / in : 0.0;
            r->gain_out_mean[m][s] = in < P ? gout / (P - in) : 0.0;
            r->gain_out_maxdev[m][s] = dev;
            for (int p = 0; p < EVAL_PLAST_POS; p++) {
                double seen = 0, hard = 0;
                EvalPlastCell *c = &r->cells[m][p];
                unsigned char *ok = m == PLASTICITY_OFF ? right_off + (size_t)p * n : right;
                long k = test_at(&b, &pl, tx, ty, n, p, seed, ok, &seen, &hard);
                c->n += n;
                c->right += k;
                c->right_per_seed[s] = k;
                c->v1_ratio += hard > 0 ? seen / hard / o->n_seeds : 1.0 / o->n_seeds;
                if (m != PLASTICITY_OFF) /* paired: the bank's reads of the same stimuli */
                    for (int i = 0; i < n; i++) {
                        c->gained_only += ok[i] && !right_off[(size_t)p * n + i];
                        c->lost_only += !ok[i] && right_off[(size_t)p * n + i];
                    }
            }
        }
    }
    rc = 0;
done:
    free(right);
    free(right_off);
    free(b.x);
    free(b.hard);
    image_destroy(&b.world);
    retina_destroy(&b.retina);
    classifier_destroy(&b.c);
    dataset_free(&ds);
    return rc;
}
