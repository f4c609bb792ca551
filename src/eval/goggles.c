/* eval/goggles.c: saccades under inversion goggles and their adaptation (goggles.h). */
#include "eval/goggles.h"

#include <math.h>
#include <string.h>

#include "core/image.h"
#include "core/log.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "eval/canvas.h"
#include "scene/scene.h"
#include "sim/sim.h"
#include "sim/sim_adapt.h"

typedef struct Trial {
    int digit;
    float cx, cy; /* the digit's centre, world px */
    uint64_t eye_seed;
} Trial;

static void trial_make(Trial *t, uint64_t seed, int i, int n_digits, float ppd)
{
    Rng base, r;
    rng_seed(&base, seed ^ 0x676f67676c6573ull);
    rng_fork(&base, (uint64_t)i, &r);
    t->digit = (int)(rng_u64(&r) % (uint64_t)n_digits);
    double amp =
        EVAL_GOGGLES_AMP_MIN + (EVAL_GOGGLES_AMP_MAX - EVAL_GOGGLES_AMP_MIN) * rng_uniform(&r);
    double dir = 6.283185307179586 * rng_uniform(&r);
    double c = 0.5 * (EVAL_GOGGLES_WORLD - 1);
    t->cx = (float)lround(c + amp * ppd * cos(dir));
    t->cy = (float)lround(c + amp * ppd * sin(dir));
    t->eye_seed = rng_u64(&r);
}

/* One trial on s: the first saccade's landing error (deg), or -1 when the eye made none. */
static double trial_run(Sim *s, Image *world, const float *digits, const Trial *t)
{
    image_fill(world, 0.0f);
    const float *d = digits + (size_t)t->digit * DATASET_PATCH_N;
    canvas_paste_digit(world, d, (int)t->cx - 14, (int)t->cy - 14);
    SceneObject ob;
    memset(&ob, 0, sizeof ob);
    ob.x = t->cx;
    ob.y = t->cy;
    if (sim_restart(s, world, &ob, 1, t->eye_seed) < 0)
        return -2;
    const SimAdapt *a = sim_adapt(s);
    long read0 = a ? (long)a->saccades + a->missed : 0;
    double err = -1;
    for (int i = 0; i < EVAL_GOGGLES_MAX_TICKS; i++) {
        sim_tick(s, NULL, 0);
        if (err < 0 && sim_fixation_count(s) >= 2) {
            const SimFixation *f = sim_fixation(s, 1);
            err = hypot(f->x - t->cx, f->y - t->cy) / sim_config(s)->px_per_deg;
            if (!a)
                break;
        }
        if (err >= 0 && a && (long)a->saccades + a->missed > read0)
            break;
    }
    return err;
}

static void tally(EvalGogglesTally *t, double err)
{
    t->n++;
    t->landed += err < EVAL_GOGGLES_LANDED_DEG;
    t->err_sum += err;
}

int eval_goggles_saccades(const EvalGogglesOptions *o, EvalGogglesResult *r)
{
    memset(r, 0, sizeof(*r));
    r->to_criterion = -1;
    if (o->goggles < 1 || o->goggles > 3 || !(o->rate > 0.0f && o->rate <= 1.0f) ||
        o->saccades < 1 || o->block < 1 || o->n_seeds < 1 || o->n_seeds > EVAL_MAX_SEEDS ||
        (o->saccades + o->block - 1) / o->block > EVAL_GOGGLES_MAX_BLOCKS) {
        sc_set_error("eval goggles: options out of range (goggles %d, rate %g, %d saccades in "
                     "blocks of %d, %d seeds)",
                     o->goggles, (double)o->rate, o->saccades, o->block, o->n_seeds);
        return -1;
    }
    Dataset ds;
    if (dataset_load(&ds, "mnist") < 0)
        return -1;
    const float *digits = ds.test_x;
    int n_digits = ds.n_test;
    if (o->split_val) {
        digits = ds.train_x + (size_t)(ds.n_train - ds.n_val) * DATASET_PATCH_N;
        n_digits = ds.n_val;
    }
    Image world = {0};
    Sim *sim[3] = {NULL, NULL, NULL}; /* normal, inverted, adapting */
    int rc = -1;
    if (n_digits < 1 || image_create(&world, EVAL_GOGGLES_WORLD, EVAL_GOGGLES_WORLD) < 0)
        goto done;
    image_fill(&world, 0.0f);
    for (int c = 0; c < 3; c++) {
        SimConfig cfg;
        sim_config_default(&cfg);
        cfg.retina.flip = c ? o->goggles : 0;
        cfg.saccade_adapt_rate = c == 2 ? o->rate : 0.0f;
        Scene *sc = scene_create_from_image(&world, NULL, 0);
        sim[c] = sc ? sim_create_with_scene(&cfg, sc, o->seed) : NULL;
        if (!sim[c])
            goto done;
    }
    r->n_blocks = (o->saccades + o->block - 1) / o->block;
    for (int sd = 0; sd < o->n_seeds; sd++) {
        uint64_t seed = o->seed + (uint64_t)sd;
        SaccadeMap fresh;
        saccade_map_init(&fresh);
        sim_adapt_set_map(sim[2], &fresh);
        for (int i = 0; i < o->saccades; i++) {
            Trial t;
            trial_make(&t, seed, i, n_digits, sim_config(sim[0])->px_per_deg);
            double e[3];
            for (int c = 0; c < 3; c++) {
                e[c] = trial_run(sim[c], &world, digits, &t);
                if (e[c] < -1.5)
                    goto done;
                if (e[c] < 0)
                    e[c] = hypot(t.cx - 0.5 * (EVAL_GOGGLES_WORLD - 1),
                                 t.cy - 0.5 * (EVAL_GOGGLES_WORLD - 1)) /
                           sim_config(sim[c])->px_per_deg; /* no saccade: the error stays */
            }
            tally(&r->normal, e[0]);
            tally(&r->inverted, e[1]);
            tally(&r->adapting, e[2]);
            tally(&r->blocks[i / o->block], e[2]);
            tally(&r->normal_blocks[i / o->block], e[0]);
        }
        r->missed += sim_adapt(sim[2])->missed;
        eval_note(o->progress, "  seed %llu: %d saccades", (unsigned long long)seed, o->saccades);
    }
    const SimAdapt *a = sim_adapt(sim[2]);
    for (int b = 0; b < SACCADE_MAP_BINS && b < 24; b++) {
        r->bins_learned += a->map.n[b] > 0;
        r->gx[b] = a->map.gx[b];
        r->gy[b] = a->map.gy[b];
    }
    double normal_mean = r->normal.err_sum / (double)r->normal.n;
    for (int b = 0; b < r->n_blocks; b++)
        if (r->blocks[b].n && r->blocks[b].err_sum / (double)r->blocks[b].n <= 1.5 * normal_mean) {
            r->to_criterion = (b + 1) * o->block < o->saccades ? (b + 1) * o->block : o->saccades;
            break;
        }
    rc = 0;
done:
    for (int c = 0; c < 3; c++)
        sim_destroy(&sim[c]);
    image_destroy(&world);
    dataset_free(&ds);
    return rc;
}
