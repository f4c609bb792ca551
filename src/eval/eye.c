#include "eval/eye.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "scene/scene.h"
#include "sim/sim_model.h"

struct EvalEye {
    Sim *sim;
    Classifier *c;
    SimConfig cfg;
    int nothing;
    float last[CLASSIFIER_SIDE * CLASSIFIER_SIDE]; /* the patch of the last read */
    float *patches; /* EVAL_MAX_READS patches: the last episode's reads' (eval_eye_read_patch) */
};

/* The sim's hook: the classifier, and a copy of what it was shown (the read's patch). */
static int eye_predict(void *ctx, const float *patch, float *probs)
{
    EvalEye *e = ctx;
    memcpy(e->last, patch, sizeof(e->last));
    classifier_predict(e->c, patch, probs);
    return 0;
}

static EvalEye *eye_create(Classifier *c, int world_w, int world_h, const EvalEyeOptions *o)
{
    EvalEye *e = calloc(1, sizeof(*e));
    Image blank;
    memset(&blank, 0, sizeof(blank));
    if (!e || image_create(&blank, world_w, world_h) < 0 ||
        !(e->patches = malloc(sizeof(e->last) * EVAL_MAX_READS))) {
        if (e)
            free(e->patches);
        image_destroy(&blank);
        free(e);
        classifier_destroy(&c);
        sc_set_error("eval: out of memory");
        return NULL;
    }
    image_fill(&blank, 0);
    e->c = c;
    sim_config_default(&e->cfg);
    if (o)
        sim_config_sensor(&e->cfg, (SimSensor)o->sensor);
    if (o && o->still) {
        e->cfg.auto_saccades = 0;
        e->cfg.eye.centre_max_steps = 0;
    }
    Scene *scene = e->c ? scene_create_from_image(&blank, NULL, 0) : NULL;
    image_destroy(&blank);
    if (scene)
        e->sim = sim_create_with_scene(&e->cfg, scene, 1);
    if (!e->sim) {
        eval_eye_destroy(&e);
        return NULL;
    }
    SimClassifier sc;
    sim_model_adapter(e->c, &sc);
    sc.ctx = e;
    sc.predict = eye_predict;
    sim_set_classifier(e->sim, &sc);
    e->nothing = classifier_nothing_class(e->c);
    return e;
}

EvalEye *eval_eye_create(const char *model_path, int world_w, int world_h, const EvalEyeOptions *o)
{
    Classifier *c = classifier_load(model_path);
    return c ? eye_create(c, world_w, world_h, o) : NULL;
}

EvalEye *eval_eye_create_from(const Classifier *model, int world_w, int world_h,
                              const EvalEyeOptions *o)
{
    Classifier *c = classifier_clone(model);
    return c ? eye_create(c, world_w, world_h, o) : NULL;
}

const float *eval_eye_read_patch(const EvalEye *e, int read)
{
    return read >= 0 && read < EVAL_MAX_READS
               ? e->patches + (size_t)read * CLASSIFIER_SIDE * CLASSIFIER_SIDE
               : NULL;
}

void eval_eye_destroy(EvalEye **pe)
{
    if (!pe || !*pe)
        return;
    sim_destroy(&(*pe)->sim);
    classifier_destroy(&(*pe)->c);
    free((*pe)->patches);
    free(*pe);
    *pe = NULL;
}

int eval_eye_run(EvalEye *e, const Image *world, uint64_t seed, int max_glimpses, EvalEpisode *out)
{
    memset(out, 0, sizeof(*out));
    if (sim_restart(e->sim, world, NULL, 0, seed) < 0)
        return -1;
    Sim *s = e->sim;
    int last_fix = -1, last_glimpse = sim_glimpse_count(s);
    double last_change_ms = 0;
    /* a glimpse takes ~100-400 ms of simulated time; an eye that takes no new glimpse for 2 s
     * has nothing left worth a look */
    const double idle_ms = 2000.0;
    for (;;) {
        sim_tick(s, NULL, 0);
        int g = sim_glimpse_count(s);
        if (g != last_glimpse) {
            last_glimpse = g;
            last_change_ms = sim_time_ms(s);
        }
        int n_cls = 0, fix = -1;
        const float *p = sim_class_probs(s, &n_cls, &fix);
        if (p && fix != last_fix) {
            last_fix = fix;
            const SimFixation *f = sim_fixation(s, fix);
            if (f && f->glimpse <= max_glimpses && out->n_reads < EVAL_MAX_READS) {
                memcpy(e->patches + (size_t)out->n_reads * CLASSIFIER_SIDE * CLASSIFIER_SIDE,
                       e->last, sizeof(e->last));
                EvalRead *r = &out->reads[out->n_reads++];
                r->glimpse = f->glimpse;
                r->x = f->x;
                r->y = f->y;
                r->label = f->label;
                r->confidence = f->confidence;
                r->sure = f->sure;
                r->best_label = -1;
                r->best_conf = 0;
                memset(r->probs, 0, sizeof(r->probs));
                memcpy(r->probs, p,
                       sizeof(float) * (size_t)(n_cls < SIM_MAX_CLASSES ? n_cls : SIM_MAX_CLASSES));
                for (int i = 0; i < n_cls; i++)
                    if (i != e->nothing && p[i] > r->best_conf) {
                        r->best_conf = p[i];
                        r->best_label = i;
                    }
                if (r->sure)
                    break; /* a sure read: the answer for every budget from here on */
                if (r->glimpse >= max_glimpses)
                    break; /* the last glimpse of the budget has been read */
            }
        }
        if (g > max_glimpses || sim_time_ms(s) - last_change_ms > idle_ms)
            break;
    }
    out->glimpses = sim_glimpse_count(s);
    out->sim_ms = sim_time_ms(s);
    return 0;
}

int eval_answer(const EvalEpisode *ep, int k)
{
    int best = -1;
    float conf = -1;
    for (int i = 0; i < ep->n_reads && ep->reads[i].glimpse <= k; i++) {
        const EvalRead *r = &ep->reads[i];
        if (r->sure)
            return r->label;
        if (r->best_label >= 0 && r->best_conf > conf) {
            conf = r->best_conf;
            best = r->best_label;
        }
    }
    return best;
}

int eval_glimpses_used(const EvalEpisode *ep, int k)
{
    for (int i = 0; i < ep->n_reads && ep->reads[i].glimpse <= k; i++) {
        const EvalRead *r = &ep->reads[i];
        if (r->sure)
            return r->glimpse;
    }
    return ep->glimpses < k ? ep->glimpses : k;
}
