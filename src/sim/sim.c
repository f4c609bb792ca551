#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/rng.h"

/* Dynamic state that is neither a stage's nor the fixation log's: saved as one block. */
typedef struct SimCore {
    uint64_t tick;
    double time_ms;
    int auto_mode;
    int sampled;           /* the retina has sampled at least once */
    float sample_x, sample_y; /* gaze of the last retina sample */
    uint64_t sample_tick;  /* tick of the last retina sample */
    int fix_count;         /* fixations opened so far */
    int fix_classified;    /* the open fixation has been classified */
    int fix_centred;       /* foveal centring was checked for the open fixation */
    int centre_steps;      /* centring saccades made for the current target */
    int probs_fix;         /* fixation (index) that probs were read at; -1 before the first */
    Rng rng;
    Eye eye;
    SimFixation open;      /* copy of the last (open or just closed) fixation */
    float probs[SIM_MAX_CLASSES];
} SimCore;

struct Sim {
    SimConfig cfg;
    uint64_t seed;
    Scene *scene;
    Retina *retina;
    V1 *v1;
    Saliency *saliency;
    SimClassifier cls;
    int has_cls;
    SimProfile *profile;
    SimCore c;
    SimFixation *fix;      /* log, fix_cap entries */
    int fix_cap;
    int closed_this_tick;
    size_t scene_state_bytes, v1_state_bytes, sal_state_bytes;
};

void sim_config_default(SimConfig *c)
{
    memset(c, 0, sizeof(*c));
    c->tick_ms = 10.0;
    c->px_per_deg = 32.0f;
    c->auto_saccades = 1;
    c->classify_stop_confidence = 0.97f;
    retina_params_default(&c->retina);
    v1_params_default(&c->v1);
    saliency_params_default(&c->saliency);
    eye_params_default(&c->eye);
}

uint64_t sim_config_hash(const SimConfig *c)
{
    /* Field by field (no struct padding in the hash). */
    uint64_t h = hash64_init();
    h = hash64_f64(h, c->tick_ms);
    h = hash64_update(h, &c->px_per_deg, sizeof(float));
    h = hash64_u64(h, (uint64_t)c->auto_saccades);
    h = hash64_update(h, &c->classify_stop_confidence, sizeof(float));
    const RetinaParams *r = &c->retina;
    h = hash64_update(h, &r->px_per_deg, sizeof(float));
    h = hash64_u64(h, (uint64_t)r->level_size);
    h = hash64_u64(h, (uint64_t)r->levels);
    h = hash64_u64(h, (uint64_t)r->fovea_size);
    h = hash64_update(h, &r->sigma0_deg, sizeof(float));
    h = hash64_update(h, &r->e2_deg, sizeof(float));
    const V1Params *v = &c->v1;
    h = hash64_u64(h, (uint64_t)v->orientations);
    h = hash64_u64(h, (uint64_t)v->scales);
    h = hash64_update(h, v->wavelength_px, sizeof(v->wavelength_px));
    h = hash64_update(h, &v->sigma_per_wavelength, sizeof(float));
    const SaliencyParams *s = &c->saliency;
    h = hash64_u64(h, (uint64_t)s->method);
    h = hash64_u64(h, (uint64_t)s->cell_px);
    h = hash64_update(h, s->weight, sizeof(s->weight));
    h = hash64_update(h, &s->ior_radius_deg, sizeof(float));
    h = hash64_update(h, &s->ior_decay_ms, sizeof(float));
    h = hash64_update(h, &s->ior_strength, sizeof(float));
    const EyeParams *e = &c->eye;
    const float ef[] = {e->px_per_deg, e->fix_mean_ms, e->fix_shape, e->fix_min_ms,
                        e->sacc_base_ms, e->sacc_slope_ms_per_deg, e->land_sd_frac,
                        e->land_sd_min_deg, e->undershoot_frac, e->corrective_min_deg,
                        e->corrective_latency_ms, e->suppression_post_ms, e->jump_cost_per_deg,
                        e->min_amplitude_deg, e->min_priority, e->centre_min_deg,
                        e->centre_max_deg, (float)e->centre_max_steps};
    return hash64_update(h, ef, sizeof(ef));
}

const char *sim_stage_name(SimStage s)
{
    static const char *names[SIM_STAGE_COUNT] = {"scene", "retina", "v1", "saliency", "eye",
                                                 "classifier"};
    return (unsigned)s < SIM_STAGE_COUNT ? names[s] : "?";
}

static int fix_reserve(Sim *s, int n)
{
    if (n <= s->fix_cap)
        return 0;
    int cap = s->fix_cap ? s->fix_cap : 1024;
    while (cap < n)
        cap *= 2;
    SimFixation *f = realloc(s->fix, (size_t)cap * sizeof(*f));
    if (!f)
        return -1;
    memset(f + s->fix_cap, 0, (size_t)(cap - s->fix_cap) * sizeof(*f));
    s->fix = f;
    s->fix_cap = cap;
    return 0;
}

static int nearest_object(const Sim *s, float x, float y)
{
    const SceneObject *o = scene_objects(s->scene);
    int n = scene_object_count(s->scene), best = -1;
    float r = s->cfg.px_per_deg, bd = r * r;
    for (int i = 0; i < n; i++) {
        float dx = o[i].x - x, dy = o[i].y - y, d = dx * dx + dy * dy;
        if (d <= bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

/* Opens fixation record n at the eye's landing point. */
static void fixation_open(Sim *s)
{
    const Eye *e = &s->c.eye;
    SimFixation f;
    memset(&f, 0, sizeof(f));
    f.start_ms = e->fix_start_ms;
    f.end_ms = -1;
    f.x = e->x;
    f.y = e->y;
    if (s->c.fix_count > 0) {
        f.amplitude_deg = e->last_amp_deg;
        f.saccade_ms = e->last_dur_ms;
        f.peak_velocity_deg_s = e->last_peak_vel;
        f.manual = e->sacc_manual;
        f.corrective = e->sacc_corrective;
    }
    f.object = nearest_object(s, f.x, f.y);
    f.label = -1;
    f.confidence = 0;
    if (fix_reserve(s, s->c.fix_count + 1) < 0)
        return; /* out of memory: the log stops growing; the simulation goes on */
    s->fix[s->c.fix_count] = f;
    s->c.open = f;
    s->c.fix_count++;
    s->c.fix_classified = 0;
    s->c.fix_centred = 0;
}

/* Centre of what lies on the fovea, as an offset (px) from the gaze: the centroid of contrast
 * (|v - mean| above a small threshold) on retinal level 0 within radius_px of the gaze.
 * Returns 0 when the fovea holds too little contrast to say. Reads only the retina. */
static int foveal_centroid(const Retina *r, float radius_px, float *dx, float *dy)
{
    const Image *l0 = retina_level(r, 0);
    double mean = 0;
    for (int j = 0; j < l0->h; j++) {
        const float *row = image_row(l0, j);
        for (int i = 0; i < l0->w; i++)
            mean += row[i];
    }
    mean /= (double)l0->w * l0->h;
    /* offsets from the gaze sample (level_size / 2, not the middle of the array): the
     * classifier's training examples have their centre of mass on that sample */
    float c = (float)(l0->w / 2), r2 = radius_px * radius_px;
    double sw = 0, sx = 0, sy = 0;
    for (int j = 0; j < l0->h; j++) {
        float y = (float)j - c;
        const float *row = image_row(l0, j);
        for (int i = 0; i < l0->w; i++) {
            float x = (float)i - c;
            if (x * x + y * y > r2)
                continue;
            double w = fabs(row[i] - mean) - 0.05;
            if (w <= 0)
                continue;
            sw += w;
            sx += w * x;
            sy += w * y;
        }
    }
    if (sw < 2.0) /* a few px of ink at least */
        return 0;
    *dx = (float)(sx / sw);
    *dy = (float)(sy / sw);
    return 1;
}

static void fixation_close(Sim *s, double end_ms)
{
    if (s->c.fix_count == 0)
        return;
    SimFixation *f = &s->fix[s->c.fix_count - 1];
    if (f->end_ms >= 0)
        return;
    f->end_ms = end_ms;
    s->c.open = *f;
    s->closed_this_tick = s->c.fix_count - 1;
}

static Sim *sim_build(const SimConfig *c, Scene *scene, uint64_t seed)
{
    Sim *s = calloc(1, sizeof(*s));
    if (!s) {
        scene_destroy(&scene);
        sc_set_error("out of memory");
        return NULL;
    }
    s->cfg = *c;
    /* One px_per_deg for every stage. */
    s->cfg.retina.px_per_deg = s->cfg.eye.px_per_deg = c->px_per_deg;
    s->seed = seed;
    s->scene = scene;
    const Image *world = scene_world(scene);
    s->retina = retina_create(&s->cfg.retina, world->w, world->h);
    s->v1 = s->retina ? v1_create(&s->cfg.v1, &s->cfg.retina) : NULL;
    s->saliency = s->v1 ? saliency_create(&s->cfg.saliency, &s->cfg.retina, &s->cfg.v1,
                                          world->w, world->h)
                        : NULL;
    if (!s->saliency || fix_reserve(s, 4096) < 0) {
        sim_destroy(&s);
        return NULL;
    }
    s->scene_state_bytes = scene_state_size(scene);
    s->v1_state_bytes = v1_state_size(s->v1);
    s->sal_state_bytes = saliency_state_size(s->saliency);
    s->closed_this_tick = -1;

    SimCore *k = &s->c;
    k->auto_mode = c->auto_saccades != 0;
    k->probs_fix = -1;
    rng_seed(&k->rng, seed);
    retina_world_changed(s->retina, world, 0, 0, world->w, world->h);
    /* The eye opens at the centre of the world and takes a first look. */
    eye_init(&k->eye, &s->cfg.eye, world->w, world->h, 0.5f * (float)(world->w - 1),
             0.5f * (float)(world->h - 1), 0.0, &k->rng);
    k->eye.fix_start_ms = -s->cfg.eye.suppression_post_ms; /* not suppressed at t = 0 */
    fixation_open(s);
    s->fix[0].start_ms = 0;
    k->open.start_ms = 0;
    retina_sample(s->retina, k->eye.x, k->eye.y);
    v1_process(s->v1, s->retina, 0);
    saliency_update(s->saliency, s->retina, s->v1);
    saliency_priority_update(s->saliency);
    k->sampled = 1;
    k->sample_x = k->eye.x;
    k->sample_y = k->eye.y;
    k->sample_tick = 0;
    return s;
}

Sim *sim_create(const SimConfig *c, const SceneSpec *spec, uint64_t seed)
{
    Scene *scene = scene_create(spec, seed);
    if (!scene)
        return NULL;
    return sim_build(c, scene, seed);
}

Sim *sim_create_with_scene(const SimConfig *c, Scene *scene, uint64_t seed)
{
    if (!scene) {
        sc_set_error("no scene");
        return NULL;
    }
    return sim_build(c, scene, seed);
}

void sim_destroy(Sim **ps)
{
    if (!ps || !*ps)
        return;
    Sim *s = *ps;
    saliency_destroy(&s->saliency);
    v1_destroy(&s->v1);
    retina_destroy(&s->retina);
    scene_destroy(&s->scene);
    free(s->fix);
    free(s);
    *ps = NULL;
}

void sim_set_classifier(Sim *s, const SimClassifier *cls)
{
    if (cls && cls->predict && cls->n_classes > 0 && cls->n_classes <= SIM_MAX_CLASSES) {
        s->cls = *cls;
        s->has_cls = 1;
    } else {
        memset(&s->cls, 0, sizeof(s->cls));
        s->has_cls = 0;
    }
}

void sim_set_profile(Sim *s, SimProfile *p) { s->profile = p; }

static inline double prof_now(const Sim *s) { return s->profile ? s->profile->now_ms() : 0.0; }

static inline void prof_add(Sim *s, SimStage st, double *t)
{
    if (!s->profile)
        return;
    double now = s->profile->now_ms();
    s->profile->stage_ms[st] = now - *t;
    *t = now;
}

static void apply_input(Sim *s, const SimInput *in)
{
    SimCore *k = &s->c;
    Eye *e = &k->eye;
    switch (in->type) {
    case SIM_INPUT_SET_AUTO:
        k->auto_mode = in->a != 0.0f;
        break;
    case SIM_INPUT_SACCADE_BY_DEG: {
        if (!isfinite(in->a) || !isfinite(in->b))
            break;
        /* Step from where the eye will be: the landing point of a saccade in flight, or the
         * target of a command already waiting. */
        float bx = e->manual_pending ? e->manual_x : (e->phase == EYE_SACCADE ? e->to_x : e->x);
        float by = e->manual_pending ? e->manual_y : (e->phase == EYE_SACCADE ? e->to_y : e->y);
        eye_command_saccade(e, bx + in->a * s->cfg.px_per_deg, by + in->b * s->cfg.px_per_deg,
                            k->time_ms, &k->rng);
        break;
    }
    case SIM_INPUT_SACCADE_TO_PX:
        if (isfinite(in->a) && isfinite(in->b))
            eye_command_saccade(e, in->a, in->b, k->time_ms, &k->rng);
        break;
    default:
        break; /* unknown inputs (from a newer recording) are ignored */
    }
}

void sim_tick(Sim *s, const SimInput *inputs, int n_inputs)
{
    SimCore *k = &s->c;
    s->closed_this_tick = -1;
    double t = prof_now(s);
    for (int i = 0; i < n_inputs; i++)
        apply_input(s, &inputs[i]);

    double dt = s->cfg.tick_ms;
    k->tick++;
    k->time_ms = (double)k->tick * dt; /* no accumulated rounding */

    scene_step(s->scene, dt);
    SceneRect d = scene_dirty(s->scene);
    int scene_changed = d.x0 < d.x1 && d.y0 < d.y1;
    prof_add(s, SIM_STAGE_SCENE, &t);

    Eye *e = &k->eye;
    const int cell = s->cfg.saliency.cell_px;
    int ev = eye_step(e, k->time_ms, saliency_priority(s->saliency), cell, k->auto_mode, &k->rng);
    /* With both events in one tick the phase tells their order (only with ticks longer than
     * a fixation or a saccade; not at the default 10 ms). */
    int landed_first = (ev & EYE_EV_LANDED) && e->phase == EYE_SACCADE;
    if (landed_first) {
        fixation_open(s);
        saliency_ior_add(s->saliency, e->from_x, e->from_y);
    }
    if ((ev & EYE_EV_SACCADE_START) && !e->sacc_corrective)
        k->centre_steps = 0;
    if (ev & EYE_EV_SACCADE_START) {
        /* The fixation ended when the saccade started, exactly. */
        fixation_close(s, e->sacc_start_ms);
        if (!e->sacc_manual && !e->sacc_corrective)
            saliency_ior_add(s->saliency, e->aim_x, e->aim_y);
    }
    if ((ev & EYE_EV_LANDED) && !landed_first) {
        fixation_open(s);
        saliency_ior_add(s->saliency, e->x, e->y);
    }
    prof_add(s, SIM_STAGE_EYE, &t);

    int suppressed = eye_suppressed(e, k->time_ms);
    int moved = !k->sampled || e->x != k->sample_x || e->y != k->sample_y;
    if (s->profile)
        for (int st = SIM_STAGE_RETINA; st <= SIM_STAGE_SALIENCY; st++)
            s->profile->stage_ms[st] = 0;
    if (scene_changed) {
        /* Per moving object, not their union: spread objects would make the union the whole
         * world, and the pyramid update cost with it. */
        const SceneRect *rects;
        int nr = scene_dirty_rects(s->scene, &rects);
        for (int i = 0; i < nr; i++)
            if (rects[i].x0 < rects[i].x1 && rects[i].y0 < rects[i].y1)
                retina_world_changed(s->retina, scene_world(s->scene), rects[i].x0, rects[i].y0,
                                     rects[i].x1, rects[i].y1);
    }
    if (!suppressed && (moved || scene_changed)) {
        int motion_valid = !moved && k->sample_tick + 1 == k->tick;
        retina_sample(s->retina, e->x, e->y);
        prof_add(s, SIM_STAGE_RETINA, &t);
        v1_process(s->v1, s->retina, motion_valid);
        prof_add(s, SIM_STAGE_V1, &t);
        saliency_update(s->saliency, s->retina, s->v1);
        k->sampled = 1;
        k->sample_x = e->x;
        k->sample_y = e->y;
        k->sample_tick = k->tick;
    } else if (!suppressed) {
        k->sample_tick = k->tick; /* nothing changed: the last sample is current */
    }
    saliency_ior_decay(s->saliency, dt);
    saliency_priority_update(s->saliency);
    prof_add(s, SIM_STAGE_SALIENCY, &t);

    /* Foveal centring: once vision resumes after a landing, a small corrective saccade brings
     * the centre of what is on the fovea to the centre of gaze (the classifier only reads the
     * centre). */
    if (!suppressed && e->phase == EYE_FIXATING && !k->fix_centred && k->fix_count > 1 &&
        !e->manual_pending && !e->corrective_pending) {
        k->fix_centred = 1;
        float dx, dy, ppd = s->cfg.px_per_deg;
        if (k->centre_steps < s->cfg.eye.centre_max_steps &&
            foveal_centroid(s->retina, 0.5f * (float)s->cfg.retina.fovea_size + 6.0f, &dx, &dy)) {
            float off = sqrtf(dx * dx + dy * dy) / ppd;
            if (off > s->cfg.eye.centre_min_deg && off < s->cfg.eye.centre_max_deg) {
                k->centre_steps++;
                eye_refine(e, e->x + dx, e->y + dy, k->time_ms);
            }
        }
    }

    if (s->profile)
        s->profile->stage_ms[SIM_STAGE_CLASSIFIER] = 0;
    if (s->has_cls && !suppressed && e->phase == EYE_FIXATING && !k->fix_classified &&
        k->fix_count > 0 && !e->corrective_pending) {
        float *p = k->probs;
        if (s->cls.predict(s->cls.ctx, retina_fovea(s->retina)->px, p) == 0) {
            int best = 0;
            for (int i = 1; i < s->cls.n_classes; i++)
                if (p[i] > p[best])
                    best = i;
            SimFixation *f = &s->fix[k->fix_count - 1];
            f->label = best;
            f->confidence = p[best];
            k->open = *f;
            k->probs_fix = k->fix_count - 1;
            if (best != s->cls.nothing_class && p[best] >= s->cfg.classify_stop_confidence)
                eye_end_fixation(e, k->time_ms);
        }
        k->fix_classified = 1;
        prof_add(s, SIM_STAGE_CLASSIFIER, &t);
    }
}

uint64_t sim_tick_count(const Sim *s) { return s->c.tick; }
double sim_time_ms(const Sim *s) { return s->c.time_ms; }
uint64_t sim_seed(const Sim *s) { return s->seed; }
const SimConfig *sim_config(const Sim *s) { return &s->cfg; }
int sim_auto(const Sim *s) { return s->c.auto_mode; }

uint64_t sim_state_hash(const Sim *s)
{
    /* SimCore is memset at creation and only assigned field by field, so its padding is
     * stable; hashing it as bytes is safe. */
    uint64_t h = hash64_update(hash64_init(), &s->c, sizeof(s->c));
    h = hash64_u64(h, scene_state_hash(s->scene));
    h = hash64_u64(h, v1_state_hash(s->v1));
    h = hash64_u64(h, saliency_state_hash(s->saliency));
    return h;
}

int sim_fixation_count(const Sim *s) { return s->c.fix_count; }

const SimFixation *sim_fixation(const Sim *s, int i)
{
    return (i >= 0 && i < s->c.fix_count) ? &s->fix[i] : NULL;
}

int sim_fixation_closed_this_tick(const Sim *s) { return s->closed_this_tick; }

const Scene *sim_scene(const Sim *s) { return s->scene; }
const Retina *sim_retina(const Sim *s) { return s->retina; }
const V1 *sim_v1(const Sim *s) { return s->v1; }
const Saliency *sim_saliency(const Sim *s) { return s->saliency; }
const Eye *sim_eye(const Sim *s) { return &s->c.eye; }

const float *sim_class_probs(const Sim *s, int *n_classes, int *fixation)
{
    if (!s->has_cls || s->c.probs_fix < 0)
        return NULL;
    if (n_classes)
        *n_classes = s->cls.n_classes;
    if (fixation)
        *fixation = s->c.probs_fix;
    return s->c.probs;
}

const SimClassifier *sim_classifier(const Sim *s) { return s->has_cls ? &s->cls : NULL; }

/* Keyframe layout: SimCore | scene state | v1 state | saliency state. The fixation log is
 * append-only and deterministic, so a keyframe stores only the count and the last record: a
 * Sim that has simulated at least that far (the replay player's first pass) already holds the
 * earlier records; entries it never computed read as zero. */
size_t sim_state_size(const Sim *s)
{
    return sizeof(SimCore) + s->scene_state_bytes + s->v1_state_bytes + s->sal_state_bytes;
}

void sim_state_save(const Sim *s, void *buf)
{
    unsigned char *p = buf;
    memcpy(p, &s->c, sizeof(SimCore));
    p += sizeof(SimCore);
    scene_state_save(s->scene, p);
    p += s->scene_state_bytes;
    v1_state_save(s->v1, p);
    p += s->v1_state_bytes;
    saliency_state_save(s->saliency, p);
}

int sim_state_load(Sim *s, const void *buf, size_t n)
{
    if (n != sim_state_size(s)) {
        sc_set_error("state of %zu bytes does not fit this simulation (%zu)", n, sim_state_size(s));
        return -1;
    }
    const unsigned char *p = buf;
    SimCore k;
    memcpy(&k, p, sizeof(k));
    if (k.fix_count < 0 || fix_reserve(s, k.fix_count + 1) < 0) {
        sc_set_error("state has a bad fixation count");
        return -1;
    }
    p += sizeof(SimCore);
    if (scene_state_load(s->scene, p, s->scene_state_bytes) < 0)
        return -1;
    p += s->scene_state_bytes;
    v1_state_load(s->v1, p);
    p += s->v1_state_bytes;
    saliency_state_load(s->saliency, p);
    s->c = k;
    if (k.fix_count > 0)
        s->fix[k.fix_count - 1] = k.open;
    /* The world changed under the retina: rebuild its pyramid and last sample. */
    const Image *world = scene_world(s->scene);
    retina_world_changed(s->retina, world, 0, 0, world->w, world->h);
    retina_sample(s->retina, k.sample_x, k.sample_y);
    s->closed_this_tick = -1;
    return 0;
}

void sim_set_motion_directions(Sim *s, int on)
{
    v1_set_direction_maps(s->v1, on);
}
