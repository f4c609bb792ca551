#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/rng.h"
#include "sim/sim_adapt.h"
#include "sim/sim_objects.h"
#include "sim/sim_reading.h"
#include "v1/plasticity.h"

/* Dynamic state that is neither a stage's nor the fixation log's: saved as one block. */
typedef struct SimCore {
    uint64_t tick;
    double time_ms;
    int auto_mode;
    int sampled;              /* the retina has sampled at least once */
    float sample_x, sample_y; /* gaze of the last retina sample */
    uint64_t sample_tick;     /* tick of the last retina sample */
    int fix_count;            /* fixations opened so far */
    int glimpses;             /* retina samples taken so far (every one reaches a decision) */
    int fix_classified;       /* the open fixation has been classified */
    int centre_steps;         /* centring saccades made for the current target */
    int probs_fix;            /* fixation (index) that probs were read at; -1 before the first */
    Rng rng;
    Eye eye;
    SimFixation open; /* copy of the last (open or just closed) fixation */
    float probs[SIM_MAX_CLASSES];
    SimObjects objects; /* object files (sim_objects.h) */
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
    SimReading *reading; /* reading mode (sim_set_readers), NULL when off */
    SimAdapt *adapt;     /* saccade adaptation (sim_adapt.h), NULL when off */
    Plasticity *plast;   /* V1 gains (v1/plasticity.h), NULL when off */
    float *feat;         /* the reader's input for plasticity (cls.n_features), or NULL */
    SimProfile *profile;
    SimCore c;
    SimFixation *fix; /* log, fix_cap entries */
    int fix_cap;
    int closed_this_tick;
    size_t scene_state_bytes, v1_state_bytes, sal_state_bytes;
    void *fresh_v1, *fresh_sal; /* v1 and saliency state as created: sim_restart loads them */
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

void sim_config_sensor(SimConfig *c, SimSensor sensor)
{
    if (sensor == SIM_SENSOR_SMALL) {
        c->retina.level_size = 12;
        c->retina.levels = 4;
        c->v1.scales = 2;
    }
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
    h = hash64_u64(h, 0x726574696e610000ull + RETINA_SAMPLING_VERSION); /* "retina" + rule */
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
    const float ef[] = {e->px_per_deg,         e->fix_mean_ms,           e->fix_shape,
                        e->fix_min_ms,         e->sacc_base_ms,          e->sacc_slope_ms_per_deg,
                        e->land_sd_frac,       e->land_sd_min_deg,       e->undershoot_frac,
                        e->corrective_min_deg, e->corrective_latency_ms, e->suppression_post_ms,
                        e->jump_cost_per_deg,  e->min_amplitude_deg,     e->min_priority,
                        e->centre_min_deg,     e->centre_max_deg,        (float)e->centre_max_steps,
                        e->nothing_near_deg};
    h = hash64_update(h, ef, sizeof(ef));
    /* Pursuit off is the eye as it was before pursuit: the same hash, so runs recorded before
     * it (format v1-v3, which mean pursuit off) still match. */
    if (e->pursuit) {
        const float pf[] = {e->pursuit_latency_ms,   e->pursuit_tau_ms,
                            e->pursuit_gain,         e->pursuit_sat_deg_s,
                            e->pursuit_engage_deg_s, e->pursuit_release_deg_s,
                            e->catchup_min_deg,      e->catchup_txe_min_ms,
                            e->catchup_txe_max_ms,   e->catchup_interval_ms};
        h = hash64_u64(h, 0x7075727375697431ull); /* "pursuit1" */
        h = hash64_update(h, pf, sizeof(pf));
    }
    /* Object files (sim_objects.h) changed what the eye does on a scene that moves: runs
     * recorded before them carry a hash without this and are refused by name, not replayed
     * into a divergence. */
    const float of[] = {SIM_OBJ_FILES,           SIM_OBJ_SIGMA_DEG,      SIM_OBJ_DEPTH,
                        SIM_OBJ_GATE_DEG,        SIM_OBJ_ALPHA,          SIM_OBJ_BETA,
                        SIM_OBJ_MIN_SALIENCY,    SIM_OBJ_MOVED_DEG,      SIM_OBJ_MOVING_DEG_S,
                        SIM_OBJ_READ_TAU_MS,     SIM_OBJ_NOTHING_TAU_MS, SIM_OBJ_LOOKED_TAU_MS,
                        SIM_OBJ_LOOKED_STRENGTH, SIM_OBJ_MIN_STRENGTH,   SIM_OBJ_MERGE_DEG,
                        SIM_OBJ_MAX_SPEED_DEG_S};
    h = hash64_u64(h, 0x6f626a66696c6531ull); /* "objfile1" */
    h = hash64_update(h, of, sizeof(of));
    /* Goggles and saccade adaptation (issue 22): off hashes as before they existed. */
    if (r->flip || c->saccade_adapt_rate != 0.0f) {
        h = hash64_u64(h, 0x676f67676c657331ull); /* "goggles1" */
        h = hash64_u64(h, (uint64_t)r->flip);
        h = hash64_update(h, &c->saccade_adapt_rate, sizeof(float));
    }
    /* Plasticity (issue 22 §2): off hashes as before it existed. */
    if (c->plasticity) {
        h = hash64_u64(h, 0x706c617374696331ull); /* "plastic1" */
        h = hash64_u64(h, (uint64_t)c->plasticity);
        h = hash64_update(h, &c->plasticity_eta, sizeof(float));
    }
    return h;
}

void sim_config_for_world(SimConfig *c, int world_w, int world_h)
{
    /* One px_per_deg for every stage. */
    c->retina.px_per_deg = c->eye.px_per_deg = c->px_per_deg;
    c->retina.levels = sim_retina_levels(&c->retina, world_w, world_h);
}

int sim_retina_levels(const RetinaParams *p, int world_w, int world_h)
{
    int side = world_w > world_h ? world_w : world_h, levels = 1;
    while (levels < p->levels && (p->level_size << (levels - 1)) < 2 * side)
        levels++;
    return levels;
}

const char *sim_stage_name(SimStage s)
{
    static const char *names[SIM_STAGE_COUNT] = {"scene",    "retina", "v1",
                                                 "saliency", "eye",    "classifier"};
    return (unsigned)s < SIM_STAGE_COUNT ? names[s] : "?";
}

/* The fixation log is allocated once, at start-up, for SIM_MAX_FIXATIONS records (zeroed
 * pages the kernel maps on first touch, so memory in use grows with the log); the tick never
 * allocates. */
static int fix_reserve(Sim *s)
{
    s->fix = calloc(SIM_MAX_FIXATIONS, sizeof(*s->fix));
    if (!s->fix) {
        sc_set_error("out of memory for the fixation log");
        return -1;
    }
    s->fix_cap = SIM_MAX_FIXATIONS;
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
    if (s->c.fix_count >= s->fix_cap)
        return; /* the log is full (SIM_MAX_FIXATIONS): it stops growing; the run goes on */
    s->fix[s->c.fix_count] = f;
    s->c.open = f;
    s->c.fix_count++;
    s->c.fix_classified = 0;
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

static void sim_start(Sim *s);

static Sim *sim_build(const SimConfig *c, Scene *scene, uint64_t seed)
{
    Sim *s = calloc(1, sizeof(*s));
    if (!s) {
        scene_destroy(&scene);
        sc_set_error("out of memory");
        return NULL;
    }
    s->cfg = *c;
    sim_config_for_world(&s->cfg, scene_world(scene)->w, scene_world(scene)->h);
    s->seed = seed;
    s->scene = scene;
    const Image *world = scene_world(scene);
    s->retina = retina_create(&s->cfg.retina, world->w, world->h);
    s->v1 = s->retina ? v1_create(&s->cfg.v1, &s->cfg.retina) : NULL;
    s->saliency =
        s->v1 ? saliency_create(&s->cfg.saliency, &s->cfg.retina, &s->cfg.v1, world->w, world->h)
              : NULL;
    if (!s->saliency || fix_reserve(s) < 0) {
        sim_destroy(&s);
        return NULL;
    }
    if (!(s->cfg.saccade_adapt_rate >= 0.0f && s->cfg.saccade_adapt_rate <= 1.0f)) {
        sim_destroy(&s);
        sc_set_error("saccade adaptation rate %g is outside 0..1", (double)c->saccade_adapt_rate);
        return NULL;
    }
    if (s->cfg.saccade_adapt_rate > 0.0f) {
        s->adapt = calloc(1, sizeof(*s->adapt));
        if (!s->adapt) {
            sim_destroy(&s);
            sc_set_error("out of memory");
            return NULL;
        }
        saccade_map_init(&s->adapt->map);
    }
    if (s->cfg.plasticity) {
        Plasticity probe;
        if (plasticity_init(&probe, s->cfg.plasticity, s->cfg.plasticity_eta) < 0) {
            sim_destroy(&s);
            return NULL;
        }
        if (!(s->plast = malloc(sizeof(*s->plast)))) {
            sim_destroy(&s);
            sc_set_error("out of memory");
            return NULL;
        }
        *s->plast = probe;
    }
    s->scene_state_bytes = scene_state_size(scene);
    s->v1_state_bytes = v1_state_size(s->v1);
    s->sal_state_bytes = saliency_state_size(s->saliency);
    s->fresh_v1 = malloc(s->v1_state_bytes ? s->v1_state_bytes : 1);
    s->fresh_sal = malloc(s->sal_state_bytes ? s->sal_state_bytes : 1);
    if (!s->fresh_v1 || !s->fresh_sal) {
        sim_destroy(&s);
        sc_set_error("out of memory");
        return NULL;
    }
    v1_state_save(s->v1, s->fresh_v1);
    saliency_state_save(s->saliency, s->fresh_sal);
    sim_start(s);
    return s;
}

/* The first look of a run: the dynamic state as a new sim has it. */
static void sim_start(Sim *s)
{
    const Image *world = scene_world(s->scene);
    s->closed_this_tick = -1;
    SimCore *k = &s->c;
    memset(k, 0, sizeof(*k));
    k->auto_mode = s->cfg.auto_saccades != 0;
    k->probs_fix = -1;
    rng_seed(&k->rng, s->seed);
    retina_world_changed(s->retina, world, 0, 0, world->w, world->h);
    /* The eye opens at the centre of the world and takes a first look. */
    eye_init(&k->eye, &s->cfg.eye, world->w, world->h, 0.5f * (float)(world->w - 1),
             0.5f * (float)(world->h - 1), 0.0, &k->rng);
    k->eye.fix_start_ms = -s->cfg.eye.suppression_post_ms; /* not suppressed at t = 0 */
    fixation_open(s);
    s->fix[0].start_ms = 0;
    k->open.start_ms = 0;
    retina_sample(s->retina, k->eye.x, k->eye.y);
    k->glimpses = 1;
    v1_process(s->v1, s->retina, 0);
    saliency_update(s->saliency, s->retina, s->v1);
    saliency_priority_update(s->saliency);
    k->sampled = 1;
    k->sample_x = k->eye.x;
    k->sample_y = k->eye.y;
    k->sample_tick = 0;
}

int sim_restart(Sim *s, const Image *world, const SceneObject *objects, int n_objects,
                uint64_t seed)
{
    if (scene_replace_image(s->scene, world, objects, n_objects) < 0)
        return -1;
    v1_state_load(s->v1, s->fresh_v1);
    saliency_state_load(s->saliency, s->fresh_sal);
    s->seed = seed;
    memset(s->fix, 0, sizeof(*s->fix) * (size_t)s->c.fix_count);
    sim_start(s);
    if (s->reading)
        sim_reading_reset(s->reading);
    if (s->adapt)
        s->adapt->pending = 0;
    if (s->plast)
        plasticity_init(s->plast, s->cfg.plasticity, s->cfg.plasticity_eta);
    return 0;
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
    free(s->fresh_v1);
    free(s->fresh_sal);
    sim_reading_destroy(&s->reading);
    free(s->adapt);
    free(s->plast);
    free(s->feat);
    free(s);
    *ps = NULL;
}

void sim_set_classifier(Sim *s, const SimClassifier *cls)
{
    if (cls && cls->predict && cls->n_classes > 0 && cls->n_classes <= SIM_MAX_CLASSES) {
        s->cls = *cls;
        s->has_cls = 1;
        /* plasticity reads through the features (allocated here, never in the tick) */
        free(s->feat);
        s->feat = NULL;
        if (s->plast && cls->features && cls->predict_features && cls->n_features > 0 &&
            cls->v1_offset >= 0 && cls->v1_offset + PLASTICITY_N <= cls->n_features)
            s->feat = malloc(sizeof(float) * (size_t)cls->n_features);
    } else {
        memset(&s->cls, 0, sizeof(s->cls));
        s->has_cls = 0;
    }
}

int sim_set_readers(Sim *s, const SimReader *readers, int n, void (*release)(void *), void *owner)
{
    SimReading *rd = NULL;
    if (n > 0 && !(rd = sim_reading_create(s->scene, readers, n)))
        return -1;
    if (rd)
        sim_reading_set_owner(rd, release, owner);
    sim_reading_destroy(&s->reading);
    s->reading = rd;
    return 0;
}

int sim_plasticity_ready(const Sim *s)
{
    if (!s->plast)
        return 0;
    if (!s->has_cls || !s->cls.features) {
        sc_set_error("plasticity needs one reader with V1 input (not two joined, not none)");
        return -1;
    }
    if (!s->feat) {
        sc_set_error("out of memory");
        return -1;
    }
    return 0;
}

const Plasticity *sim_plasticity(const Sim *s)
{
    return s->plast;
}

int sim_set_reading_sure(Sim *s, const float *by_dist, int n)
{
    if (!s->reading) {
        sc_set_error("reading: no reading bank");
        return -1;
    }
    return sim_reading_set_sure(s->reading, by_dist, n);
}

int sim_set_reading_place(Sim *s, int dist)
{
    if (!s->reading) {
        sc_set_error("reading: no reading bank");
        return -1;
    }
    return sim_reading_set_place(s->reading, dist);
}

int sim_set_reading_moves(Sim *s, const SimReadingMoves *m)
{
    if (!s->reading) {
        sc_set_error("reading: no reading bank");
        return -1;
    }
    return sim_reading_set_moves(s->reading, m);
}

int sim_set_reading_lexicon(Sim *s, const struct Lexicon *lex)
{
    if (!s->reading) {
        sc_set_error("reading: no reading bank");
        return -1;
    }
    sim_reading_set_lexicon(s->reading, lex);
    return 0;
}

const SimReading *sim_reading(const Sim *s)
{
    return s->reading;
}

void sim_set_profile(Sim *s, SimProfile *p)
{
    s->profile = p;
}

static inline double prof_now(const Sim *s)
{
    return s->profile ? s->profile->now_ms() : 0.0;
}

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
    case SIM_INPUT_SET_AUTO: k->auto_mode = in->a != 0.0f; break;
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
    default: break; /* unknown inputs (from a newer recording) are ignored */
    }
}

/* Smooth pursuit's input from this tick's glimpse: the retinal slip V1 measured around the
 * object near the fovea (its window centred on the object's centre as this glimpse shows it)
 * and that position error (no ground truth). Without a new sample
 * nothing moved on the retina: zero slip. */
static void pursuit_observe(Sim *s, int sampled_now)
{
    SimCore *k = &s->c;
    Eye *e = &k->eye;
    float dx = 0, dy = 0, cx = e->x, cy = e->y;
    int on_object = eye_object_near(s->retina, e->x, e->y, &cx, &cy);
    /* the slip of the object near the fovea: V1's window centred on it */
    int signal = sampled_now ? v1_slip_at(s->v1, cx - e->x, cy - e->y, &dx, &dy, NULL) : 1;
    float to_deg_s = 1000.0f / ((float)s->cfg.tick_ms * s->cfg.px_per_deg);
    eye_observe(e, k->time_ms, signal, dx * to_deg_s, dy * to_deg_s, on_object, cx - e->x,
                cy - e->y);
}

/* A read at this fixation opens (or refreshes) the object file at the centre the glimpse
 * shows, (x, y) world px; its velocity is pursuit's estimate while pursuing. */
static int objects_note(Sim *s, SimObjectKind kind, float x, float y)
{
    SimCore *k = &s->c;
    const Eye *e = &k->eye;
    const Image *w = scene_world(s->scene);
    const SimFixation *f = &s->fix[k->fix_count - 1];
    float vx = 0, vy = 0, to_px_ms = s->cfg.px_per_deg * 1e-3f;
    if (e->pursuing) {
        vx = e->tv_x * to_px_ms;
        vy = e->tv_y * to_px_ms;
    }
    x = x < 0 ? 0 : (x > (float)(w->w - 1) ? (float)(w->w - 1) : x);
    y = y < 0 ? 0 : (y > (float)(w->h - 1) ? (float)(w->h - 1) : y);
    return sim_objects_note(&k->objects, kind, f->label, f->confidence, k->fix_count - 1, x, y, vx,
                            vy, k->time_ms, s->cfg.px_per_deg);
}

/* The foveal read: the classifier's own, or with plasticity the same network on its V1
 * energies times the gains (predict's bits while every gain is 1). */
static int read_fovea(Sim *s, float *p)
{
    const float *patch = retina_fovea(s->retina)->px;
    if (!s->feat)
        return s->cls.predict(s->cls.ctx, patch, p);
    if (s->cls.features(s->cls.ctx, patch, s->feat) != 0)
        return -1;
    plasticity_apply(s->plast, s->feat + s->cls.v1_offset);
    return s->cls.predict_features(s->cls.ctx, s->feat, p);
}

/* The task's feedback (sim.h): the ink box grown by this on each side. */
#define SIM_TRUTH_MARGIN_PX 4.0f

int sim_truth_at_gaze(const Sim *s)
{
    const Eye *e = &s->c.eye;
    const SceneObject *o = scene_objects(s->scene);
    int hit = -1;
    float hd = 0;
    for (int i = 0; i < scene_object_count(s->scene); i++) {
        if (!o[i].label[0] || fabsf(e->x - o[i].x) > 0.5f * o[i].w + SIM_TRUTH_MARGIN_PX ||
            fabsf(e->y - o[i].y) > 0.5f * o[i].h + SIM_TRUTH_MARGIN_PX)
            continue;
        float d = hypotf(e->x - o[i].x, e->y - o[i].y);
        if (hit < 0 || d < hd) {
            hit = i;
            hd = d;
        }
    }
    return hit;
}

/* A read's feedback (issue 22 §2): a read with no labelled object under the gaze gets none
 * and changes nothing. */
static void plasticity_feedback(Sim *s, int best, float conf)
{
    int hit = sim_truth_at_gaze(s);
    if (hit < 0)
        return;
    const SceneObject *o = scene_objects(s->scene);
    const char *name =
        best < s->cls.n_classes && s->cls.class_names ? s->cls.class_names[best] : "";
    plasticity_reward(s->plast, s->feat + s->cls.v1_offset, !strcmp(name, o[hit].label), conf);
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
    int ev = eye_step(e, k->time_ms, saliency_priority(s->saliency), cell,
                      k->auto_mode && (!s->reading || sim_reading_free_viewing(s->reading)),
                      k->sampled ? s->retina : NULL, &k->rng);
    /* With both events in one tick the phase tells their order (only with ticks longer than
     * a fixation or a saccade; not at the default 10 ms). */
    int landed_first = (ev & EYE_EV_LANDED) && e->phase == EYE_SACCADE;
    if (landed_first) {
        fixation_open(s);
        saliency_ior_add(s->saliency, e->from_x, e->from_y);
    }
    if ((ev & EYE_EV_SACCADE_START) && !e->sacc_corrective)
        k->centre_steps = 0;
    if (s->adapt && (ev & EYE_EV_SACCADE_START) && !e->sacc_manual && !e->sacc_corrective)
        sim_adapt_saccade_start(s->adapt, e); /* the motor map (before IOR marks the aim) */
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
    int sampled_now = 0, consecutive = 0;
    if (!suppressed && (moved || scene_changed)) {
        /* a gaze that moved smoothly (pursuit) keeps the motion history: the slip it sees is
         * what pursuit is driven by */
        int motion_valid = (!moved || (e->phase == EYE_FIXATING && !(ev & EYE_EV_LANDED))) &&
                           k->sample_tick + 1 == k->tick;
        retina_sample(s->retina, e->x, e->y);
        k->glimpses++;
        sampled_now = 1;
        consecutive = motion_valid;
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
    /* object files follow what was looked at: re-anchored only on a glimpse that follows the
     * last by one tick without a jump (what V1 needs to see motion), dips into the priority */
    sim_objects_step(&k->objects, s->saliency, consecutive && !s->reading, k->time_ms, dt,
                     s->cfg.px_per_deg, scene_world(s->scene)->w, scene_world(s->scene)->h);
    prof_add(s, SIM_STAGE_SALIENCY, &t);
    if (s->cfg.eye.pursuit && !suppressed)
        pursuit_observe(s, sampled_now);
    if (s->adapt && s->adapt->pending && sampled_now && e->phase == EYE_FIXATING)
        sim_adapt_glimpse(s->adapt, s->cfg.saccade_adapt_rate, e, s->retina,
                          saliency_priority(s->saliency), cell);

    /* Each fixation's first glimpse after suppression is read and, unless the classifier is
     * sure, centred: a small corrective saccade brings the centre of the object on the fovea
     * (eye_object_centre, from what this glimpse shows) to the centre of gaze, where the
     * classifier reads. A centring saccade's landing is a fixation of its own, read again. */
    if (s->profile)
        s->profile->stage_ms[SIM_STAGE_CLASSIFIER] = 0;
    if (!suppressed && e->phase == EYE_FIXATING && !k->fix_classified && k->fix_count > 0 &&
        !e->manual_pending) {
        k->fix_classified = 1;
        if (s->reading) { /* reading mode: the reader bank reads and plans (sim_reading.h) */
            SimFixation *f = &s->fix[k->fix_count - 1];
            float conf;
            int lab = sim_reading_fixation(s->reading, s->retina, e, k->auto_mode, &conf, k->probs);
            if (lab >= 0) {
                f->label = lab;
                f->confidence = conf;
                f->glimpse = k->glimpses;
                k->probs_fix = k->fix_count - 1;
            }
            k->open = *f;
            prof_add(s, SIM_STAGE_CLASSIFIER, &t);
            return;
        }
        int sure = 0, sure_nothing = 0;
        if (s->has_cls) {
            float *p = k->probs;
            if (read_fovea(s, p) == 0) {
                int best = 0;
                for (int i = 1; i < s->cls.n_classes; i++)
                    if (p[i] > p[best])
                        best = i;
                if (s->feat)
                    plasticity_feedback(s, best, p[best]);
                SimFixation *f = &s->fix[k->fix_count - 1];
                f->label = best;
                f->confidence = p[best];
                f->glimpse = k->glimpses;
                k->open = *f;
                k->probs_fix = k->fix_count - 1;
                sure = best != s->cls.nothing_class && p[best] >= s->cfg.classify_stop_confidence;
                sure_nothing =
                    best == s->cls.nothing_class && p[best] >= s->cfg.classify_stop_confidence;
            }
            prof_add(s, SIM_STAGE_CLASSIFIER, &t);
        }
        /* a read is believed only when the object is centred: an object off-centre is centred
         * first (the classifier is trained on centred objects; what it says 4 px off is a
         * guess, however confident) */
        float cx, cy, ppd = s->cfg.px_per_deg;
        int centring = 0, nothing_here = 0;
        int has_centre = eye_object_centre(s->retina, e->x, e->y, &cx, &cy);
        if (has_centre) {
            float off = hypotf(cx - e->x, cy - e->y) / ppd;
            nothing_here = s->has_cls && sure_nothing && off < s->cfg.eye.nothing_near_deg;
            if (!e->corrective_pending && k->centre_steps < s->cfg.eye.centre_max_steps &&
                off > s->cfg.eye.centre_min_deg && off < s->cfg.eye.centre_max_deg &&
                !nothing_here) {
                k->centre_steps++;
                eye_refine(e, cx, cy, k->time_ms);
                centring = 1;
            }
        }
        if (sure && !centring) {
            s->fix[k->fix_count - 1].sure = 1;
            k->open = s->fix[k->fix_count - 1];
            eye_end_fixation(e, k->time_ms);
        }
        int looks = 0;
        if (s->has_cls && has_centre && !centring)
            looks = objects_note(
                s, sure ? SIM_OBJ_READ : (nothing_here ? SIM_OBJ_NOTHING : SIM_OBJ_LOOKED), cx, cy);
        /* a pursued object read again and again in vain ("nothing" or not believed) is let
         * go; one "nothing" is not enough (a fast digit caught off-centre reads as nothing) */
        if (!sure && !centring && e->pursuing && looks >= SIM_OBJ_PURSUIT_LOOKS)
            eye_end_fixation(e, k->time_ms);
    }
}

uint64_t sim_tick_count(const Sim *s)
{
    return s->c.tick;
}
double sim_time_ms(const Sim *s)
{
    return s->c.time_ms;
}
uint64_t sim_seed(const Sim *s)
{
    return s->seed;
}
int sim_glimpse_count(const Sim *s)
{
    return s->c.glimpses;
}
const SimConfig *sim_config(const Sim *s)
{
    return &s->cfg;
}
int sim_auto(const Sim *s)
{
    return s->c.auto_mode;
}

uint64_t sim_state_hash(const Sim *s)
{
    /* SimCore is memset at creation and only assigned field by field, so its padding is
     * stable; hashing it as bytes is safe. */
    uint64_t h = hash64_update(hash64_init(), &s->c, sizeof(s->c));
    h = hash64_u64(h, scene_state_hash(s->scene));
    h = hash64_u64(h, v1_state_hash(s->v1));
    h = hash64_u64(h, saliency_state_hash(s->saliency));
    if (s->reading)
        h = hash64_u64(h, sim_reading_state_hash(s->reading));
    if (s->adapt)
        h = hash64_update(h, s->adapt, sizeof(*s->adapt));
    if (s->plast)
        h = plasticity_hash(s->plast, h);
    return h;
}

int sim_fixation_count(const Sim *s)
{
    return s->c.fix_count;
}

const SimFixation *sim_fixation(const Sim *s, int i)
{
    return (i >= 0 && i < s->c.fix_count) ? &s->fix[i] : NULL;
}

void sim_fixations_restore(Sim *s, const SimFixation *log, int n)
{
    if (n > s->c.fix_count - 1)
        n = s->c.fix_count - 1;
    if (n > s->fix_cap)
        n = s->fix_cap;
    if (n > 0)
        memcpy(s->fix, log, sizeof(*log) * (size_t)n);
}

void sim_read_update(const Sim *s, int fixation, SimRead *r)
{
    const SimFixation *f = sim_fixation(s, fixation);
    if (!f || f->label < 0 || (s->has_cls && f->label == s->cls.nothing_class) || r->sure)
        return;
    if (f->sure || r->label < 0 || f->confidence > r->confidence)
        *r = (SimRead){f->label, f->confidence, f->sure, fixation};
}

int sim_fixation_closed_this_tick(const Sim *s)
{
    return s->closed_this_tick;
}

const Scene *sim_scene(const Sim *s)
{
    return s->scene;
}
const Retina *sim_retina(const Sim *s)
{
    return s->retina;
}
const V1 *sim_v1(const Sim *s)
{
    return s->v1;
}
const Saliency *sim_saliency(const Sim *s)
{
    return s->saliency;
}
const Eye *sim_eye(const Sim *s)
{
    return &s->c.eye;
}
const SimObjectFile *sim_object_files(const Sim *s)
{
    return s->c.objects.f;
}

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

const SimClassifier *sim_classifier(const Sim *s)
{
    return s->has_cls ? &s->cls : NULL;
}

/* Keyframe layout: SimCore | scene state | v1 state | saliency state. The fixation log is
 * append-only and deterministic, so a keyframe stores only the count and the last record: a
 * Sim that has simulated at least that far (the replay player's first pass) already holds the
 * earlier records; entries it never computed read as zero. */
size_t sim_state_size(const Sim *s)
{
    return sizeof(SimCore) + s->scene_state_bytes + s->v1_state_bytes + s->sal_state_bytes +
           (s->reading ? sim_reading_state_size(s->reading) : 0) +
           (s->adapt ? sizeof(SimAdapt) : 0) + (s->plast ? PLASTICITY_STATE_BYTES : 0);
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
    if (s->reading)
        sim_reading_state_save(s->reading, p + s->sal_state_bytes);
    p += s->sal_state_bytes + (s->reading ? sim_reading_state_size(s->reading) : 0);
    if (s->adapt) {
        memcpy(p, s->adapt, sizeof(SimAdapt));
        p += sizeof(SimAdapt);
    }
    if (s->plast)
        plasticity_state_save(s->plast, p);
}

/* ---- keyframe validation: a keyframe comes from a file, so every field is checked ---- */

static int finite_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static int is_flag(int v)
{
    return v == 0 || v == 1;
}

/* Every float in a block of n bytes is finite and within [lo, hi]. */
static int floats_in(const unsigned char *p, size_t n, float lo, float hi)
{
    for (size_t i = 0; i + 4 <= n; i += 4) {
        float v;
        memcpy(&v, p + i, 4);
        if (!(v >= lo && v <= hi)) /* also false for NaN */
            return 0;
    }
    return 1;
}

/* A point in world px, with a margin for landing errors beyond the edge. */
static int point_ok(const Sim *s, float x, float y)
{
    const Image *w = scene_world(s->scene);
    return finite_in(x, -(double)w->w, 2.0 * w->w) && finite_in(y, -(double)w->h, 2.0 * w->h);
}

static const char *fixation_check(const Sim *s, const SimFixation *f)
{
    int n_classes = s->has_cls ? s->cls.n_classes : 0;
    if (!isfinite(f->start_ms) || !isfinite(f->end_ms) || !point_ok(s, f->x, f->y))
        return "the last fixation has a non-finite time or position";
    if (!finite_in(f->amplitude_deg, 0, 1e4) || !finite_in(f->saccade_ms, 0, 1e6) ||
        !finite_in(f->peak_velocity_deg_s, 0, 1e7) || !finite_in(f->confidence, 0, 1))
        return "the last fixation has an out-of-range saccade or confidence";
    if (f->object < -1 || f->object >= scene_object_count(s->scene) || f->label < -1 ||
        f->label >= n_classes || !is_flag(f->corrective) || !is_flag(f->manual) ||
        !is_flag(f->sure))
        return "the last fixation has an out-of-range object, label or flag";
    return NULL;
}

/* The eye's smooth pursuit state (see eye.h): flags, finite velocities within 1000 deg/s,
 * times not after now, the anchor in the world, the slip history ring in range; all zero when
 * pursuit is off. */
static const char *pursuit_check(const Sim *s, const Eye *e, double t_max)
{
    const float ppd = s->cfg.px_per_deg, v_max = 1000.0f; /* deg/s */
    if (!is_flag(e->pursuing) || !is_flag(e->end_requested))
        return "a pursuit flag is neither 0 nor 1";
    if (!finite_in(e->pv_x, -v_max * ppd * 1e-3, v_max * ppd * 1e-3) ||
        !finite_in(e->pv_y, -v_max * ppd * 1e-3, v_max * ppd * 1e-3) ||
        !finite_in(e->tv_x, -v_max, v_max) || !finite_in(e->tv_y, -v_max, v_max))
        return "pursuit velocity not finite or out of range";
    if (!point_ok(s, e->anchor_x, e->anchor_y) || !finite_in(e->anchor_ms, -1e7, t_max) ||
        !finite_in(e->aim_ms, -1e7, t_max + 1e7))
        return "pursuit anchor or aim time out of range";
    if (e->obs_head < 0 || e->obs_head >= EYE_SLIP_HISTORY || e->obs_count < 0 ||
        e->obs_count > EYE_SLIP_HISTORY || e->lost_ticks < 0 || e->lost_ticks > (1 << 30))
        return "pursuit slip history index out of range";
    for (int i = 0; i < EYE_SLIP_HISTORY; i++) {
        const EyeSlipObs *o = &e->obs[i];
        if (!finite_in(o->t_ms, -1e7, t_max) || !finite_in(o->tvx, -2 * v_max, 2 * v_max) ||
            !finite_in(o->tvy, -2 * v_max, 2 * v_max) || !is_flag(o->signal) ||
            !is_flag(o->on_object))
            return "pursuit slip history out of range";
    }
    if (!e->p.pursuit && (e->pursuing || e->pv_x != 0 || e->pv_y != 0 || e->obs_count != 0))
        return "pursuit state in a simulation without pursuit";
    return NULL;
}

/* NULL when the core block k can be this sim's state, else what is wrong. */
static const char *core_check(const Sim *s, const SimCore *k)
{
    const Image *w = scene_world(s->scene);
    const Eye *e = &k->eye;
    double t_max = ((double)k->tick + 1.0) * s->cfg.tick_ms + 1.0;
    if (k->tick > (1ull << 48) || !finite_in(k->time_ms, 0, t_max))
        return "bad tick or time";
    if (!is_flag(k->auto_mode) || !is_flag(k->sampled) || !is_flag(k->fix_classified))
        return "a flag is neither 0 nor 1";
    if (k->glimpses < 1 || (uint64_t)k->glimpses > k->tick + 1)
        return "bad glimpse count";
    if (!point_ok(s, k->sample_x, k->sample_y) || k->sample_tick > k->tick)
        return "bad retina sample";
    if (k->fix_count < 1 || k->fix_count > SIM_MAX_FIXATIONS)
        return "bad fixation count";
    if (k->centre_steps < 0 || k->centre_steps > s->cfg.eye.centre_max_steps)
        return "bad centring step count";
    if (k->probs_fix < -1 || k->probs_fix >= k->fix_count)
        return "bad classified-fixation index";
    if (!(k->rng.s[0] | k->rng.s[1] | k->rng.s[2] | k->rng.s[3]))
        return "random generator state is all zero";
    if (memcmp(&e->p, &s->c.eye.p, sizeof e->p) || e->world_w != w->w || e->world_h != w->h)
        return "eye parameters or world size differ from this simulation's";
    if (e->phase != EYE_FIXATING && e->phase != EYE_SACCADE)
        return "bad eye phase";
    if (!point_ok(s, e->x, e->y) || !point_ok(s, e->from_x, e->from_y) ||
        !point_ok(s, e->to_x, e->to_y) || !point_ok(s, e->aim_x, e->aim_y) ||
        !point_ok(s, e->manual_x, e->manual_y))
        return "eye position out of the world";
    if (!isfinite(e->sacc_start_ms) || !finite_in(e->sacc_dur_ms, 0, 1e6) ||
        !isfinite(e->fix_start_ms) || !isfinite(e->fix_end_ms) ||
        fabs(e->sacc_start_ms) > t_max + 1e7 || fabs(e->fix_start_ms) > t_max + 1e7 ||
        fabs(e->fix_end_ms) > t_max + 1e7)
        return "eye times out of range";
    if (!is_flag(e->sacc_manual) || !is_flag(e->sacc_corrective) ||
        !is_flag(e->corrective_pending) || !is_flag(e->manual_pending) ||
        !is_flag(e->plan_pending) || !point_ok(s, e->plan_x, e->plan_y))
        return "an eye flag is neither 0 nor 1";
    if (!finite_in(e->last_amp_deg, 0, 1e4) || !finite_in(e->last_dur_ms, 0, 1e6) ||
        !finite_in(e->last_peak_vel, 0, 1e7))
        return "last saccade out of range";
    const char *pw = pursuit_check(s, e, t_max);
    if (pw)
        return pw;
    const char *ow = sim_objects_check(&k->objects, t_max, k->fix_count,
                                       s->has_cls ? s->cls.n_classes : 0, w->w, w->h);
    if (ow)
        return ow;
    if (k->open.glimpse < 0 || k->open.glimpse > k->glimpses)
        return "the last fixation read a glimpse not yet taken";
    const char *why = fixation_check(s, &k->open);
    if (why)
        return why;
    for (int i = 0; i < SIM_MAX_CLASSES; i++)
        if (!finite_in(k->probs[i], 0, 1))
            return "class probabilities out of 0..1";
    return NULL;
}

int sim_state_load(Sim *s, const void *buf, size_t n)
{
    if (!buf || n != sim_state_size(s)) {
        sc_set_error("state of %zu bytes does not fit this simulation (%zu)", n, sim_state_size(s));
        return -1;
    }
    const unsigned char *p = buf;
    SimCore k;
    memcpy(&k, p, sizeof(k));
    const char *why = core_check(s, &k);
    if (why) {
        sc_set_error("state: %s", why);
        return -1;
    }
    p += sizeof(SimCore);
    const unsigned char *v1p = p + s->scene_state_bytes, *salp = v1p + s->v1_state_bytes;
    int32_t has_prev;
    memcpy(&has_prev, v1p, sizeof has_prev);
    if (!is_flag(has_prev) ||
        !floats_in(v1p + sizeof has_prev, s->v1_state_bytes - sizeof has_prev, -1e30f, 1e30f)) {
        sc_set_error("state: V1 motion state is not finite");
        return -1;
    }
    if (!floats_in(salp, s->sal_state_bytes, 0.0f, 1.0f)) {
        sc_set_error("state: saliency state is out of 0..1");
        return -1;
    }
    if (s->reading && sim_reading_state_check(s->reading, salp + s->sal_state_bytes,
                                              sim_reading_state_size(s->reading)) < 0)
        return -1;
    SimAdapt ad;
    const unsigned char *adp =
        salp + s->sal_state_bytes + (s->reading ? sim_reading_state_size(s->reading) : 0);
    if (s->adapt) {
        memcpy(&ad, adp, sizeof ad);
        if (!sim_adapt_check(&ad)) {
            sc_set_error("state: saccade adaptation map out of range");
            return -1;
        }
    }
    Plasticity pl;
    if (s->plast) {
        if (plasticity_state_load(&pl, adp + (s->adapt ? sizeof(SimAdapt) : 0)) < 0 ||
            pl.mode != s->plast->mode || pl.eta != s->plast->eta) {
            sc_set_error("state: V1 plasticity gains out of range or not this run's");
            return -1;
        }
    }
    /* Checked: from here on nothing fails half-way except the scene (which leaves this sim
     * untouched when it refuses). */
    if (scene_state_load(s->scene, p, s->scene_state_bytes) < 0)
        return -1;
    v1_state_load(s->v1, v1p);
    saliency_state_load(s->saliency, salp);
    if (s->reading) /* checked above: cannot fail */
        sim_reading_state_load(s->reading, salp + s->sal_state_bytes,
                               sim_reading_state_size(s->reading));
    if (s->adapt)
        *s->adapt = ad;
    if (s->plast)
        *s->plast = pl;
    s->c = k;
    s->fix[k.fix_count - 1] = k.open;
    /* The world changed under the retina: rebuild its pyramid and last sample. */
    const Image *world = scene_world(s->scene);
    retina_world_changed(s->retina, world, 0, 0, world->w, world->h);
    retina_sample(s->retina, k.sample_x, k.sample_y);
    s->closed_this_tick = -1;
    return 0;
}

const SimAdapt *sim_adapt(const Sim *s)
{
    return s->adapt;
}

void sim_adapt_set_map(Sim *s, const SaccadeMap *m)
{
    if (s->adapt)
        s->adapt->map = *m;
}

void sim_set_motion_directions(Sim *s, int on)
{
    v1_set_direction_maps(s->v1, on);
}
