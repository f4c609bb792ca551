/* replay.c: rebuilding the Sim a run was recorded on, and the headless re-simulation check. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "record/record.h"
#include "record/replay_private.h"
#include "sim/sim_model.h"

Sim *record_sim_create(const RunFile *rf, const SimClassifier *cls, uint64_t model_hash)
{
    const RunHeader *h = &rf->header;
    const char *name = scene_spec_name(&h->scene);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.tick_ms = h->tick_ms;
    cfg.px_per_deg = h->px_per_deg;
    cfg.auto_saccades = h->auto_saccades;
    cfg.classify_stop_confidence = h->classify_stop_confidence;
    cfg.retina.fovea_size = h->fovea_size;
    cfg.saliency.ior_radius_deg = h->ior_radius_deg;
    cfg.saliency.ior_decay_ms = h->ior_decay_ms;
    cfg.eye.fix_mean_ms = h->fix_mean_ms;
    cfg.saliency.method = (SaliencyMethod)h->saliency_method;
    cfg.eye.pursuit = h->pursuit;
    cfg.retina.flip = h->goggles;
    cfg.saccade_adapt_rate = h->saccade_adapt_rate;
    cfg.plasticity = h->plasticity;
    cfg.plasticity_eta = h->plasticity_eta;
    /* the recorded hash is of the config the sim made for its world (retina levels follow the
     * world's size: a small world has fewer) */
    SimConfig world_cfg = cfg;
    sim_config_for_world(&world_cfg, h->world_w, h->world_h);
    uint64_t ch = sim_config_hash(&world_cfg);
    if (ch != h->config_hash) {
        sc_set_error("run recorded with a configuration this build does not have (config hash "
                     "%016llx, this build's %016llx; recorded by saccade %s)",
                     (unsigned long long)h->config_hash, (unsigned long long)ch,
                     h->program_version);
        return NULL;
    }
    if (h->model_hash) {
        if (!cls) {
            sc_set_error("run recorded with a classifier (weights hash %016llx) but none is "
                         "loaded",
                         (unsigned long long)h->model_hash);
            return NULL;
        }
        if (model_hash != h->model_hash && !SCENE_KIND_READS(h->scene.kind)) {
            sc_set_error("run recorded with other classifier weights (hash %016llx, loaded "
                         "%016llx)",
                         (unsigned long long)h->model_hash, (unsigned long long)model_hash);
            return NULL;
        }
    }
    /* the scene file is checked against the recorded content hash before it is parsed */
    Scene *scene = scene_create_recorded(&h->scene, h->seed, h->scene_content_hash);
    Sim *sim = scene ? sim_create_with_scene(&cfg, scene, h->seed) : NULL;
    if (!sim)
        return NULL;
    const Scene *sc = sim_scene(sim);
    if (scene_content_hash(sc) != h->scene_content_hash) {
        sc_set_error("%s: scene file changed since the run was recorded (content hash %016llx, "
                     "now %016llx)",
                     name, (unsigned long long)h->scene_content_hash,
                     (unsigned long long)scene_content_hash(sc));
        sim_destroy(&sim);
        return NULL;
    }
    if (scene_world(sc)->w != h->world_w || scene_world(sc)->h != h->world_h) {
        sc_set_error("%s: world is %dx%d px, the run was recorded on %dx%d", name,
                     scene_world(sc)->w, scene_world(sc)->h, h->world_w, h->world_h);
        sim_destroy(&sim);
        return NULL;
    }
    if (h->model_hash)
        sim_set_classifier(sim, cls);
    if ((h->plasticity && !h->model_hash) || sim_plasticity_ready(sim) < 0) {
        sc_set_error("%s: V1 plasticity needs one reader with V1 input, and this run's is not "
                     "(a forged header?)",
                     name);
        sim_destroy(&sim);
        return NULL;
    }
    /* a words scene is read by the reading bank: the recorded model hash covers the glyph
     * model and the extra readers, which says how many there were */
    if (h->model_hash && SCENE_KIND_READS(h->scene.kind) &&
        sim_model_attach_readers_hash(sim, cls, model_hash, h->model_hash) < 0) {
        sim_destroy(&sim);
        return NULL;
    }
    if (h->start_tick > 0) {
        if (sim_state_load(sim, h->start_state, h->state_size) < 0 ||
            sim_tick_count(sim) != h->start_tick) {
            sc_set_error("start state of the run does not fit this build's simulation (%s)",
                         sc_last_error());
            sim_destroy(&sim);
            return NULL;
        }
    }
    return sim;
}

size_t replay_first_event(const RunFile *rf, uint64_t tick)
{
    size_t lo = 0, hi = rf->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rf->events[mid].tick < tick)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int replay_max_inputs_per_tick(const RunFile *rf)
{
    int best = 0, cur = 0;
    uint64_t t = UINT64_MAX;
    for (size_t i = 0; i < rf->n_events; i++) {
        const RunEvent *e = &rf->events[i];
        if (e->type != RUN_EV_INPUT)
            continue;
        cur = e->tick == t ? cur + 1 : 1;
        t = e->tick;
        if (cur > best)
            best = cur;
    }
    return best;
}

int replay_inputs_at(const RunFile *rf, size_t *cursor, uint64_t tick, SimInput *buf)
{
    size_t i = *cursor;
    while (i < rf->n_events && rf->events[i].tick < tick)
        i++;
    int n = 0;
    for (; i < rf->n_events && rf->events[i].tick == tick; i++)
        if (rf->events[i].type == RUN_EV_INPUT)
            buf[n++] = (SimInput){rf->events[i].u.input.type, rf->events[i].u.input.a,
                                  rf->events[i].u.input.b};
    *cursor = i;
    return n;
}

/* Same fixation as recorded: every field the recorder stored. */
static int fixation_matches(const RunFixation *r, const SimFixation *f)
{
    int r_open = r->end_ms < 0, f_open = f->end_ms < 0;
    return r->start_ms == f->start_ms && r_open == f_open && (r_open || r->end_ms == f->end_ms) &&
           r->x == f->x && r->y == f->y && r->amplitude_deg == f->amplitude_deg &&
           r->saccade_ms == f->saccade_ms && r->peak_velocity_deg_s == f->peak_velocity_deg_s &&
           r->object == f->object && r->label == f->label && r->confidence == f->confidence &&
           r->corrective == (f->corrective != 0) && r->manual == (f->manual != 0);
}

int replay_check_tick(const RunFile *rf, size_t *cursor, const Sim *sim, uint64_t tick,
                      uint64_t *hashes, int *what)
{
    size_t i = *cursor;
    while (i < rf->n_events && rf->events[i].tick < tick)
        i++;
    int bad = 0;
    uint64_t h = 0;
    int have_h = 0;
    for (; i < rf->n_events && rf->events[i].tick == tick; i++) {
        const RunEvent *e = &rf->events[i];
        uint64_t want = 0;
        if (e->type == RUN_EV_STATE_HASH || (e->type == RUN_EV_END && e->u.final_hash)) {
            want = e->type == RUN_EV_END ? e->u.final_hash : e->u.state_hash;
            if (!have_h) {
                h = sim_state_hash(sim);
                have_h = 1;
            }
            if (hashes)
                (*hashes)++;
            if (h != want && !bad) {
                bad = 1;
                if (what)
                    *what = 0;
            }
        } else if (e->type == RUN_EV_FRAME) {
            /* the frame a video scene shows: a decoder that gave other pixels shows here */
            uint64_t number = 0, fh = 0;
            if ((!scene_video_frame(sim_scene(sim), &number, &fh) || number != e->u.frame.number ||
                 fh != e->u.frame.hash) &&
                !bad) {
                bad = 1;
                if (what)
                    *what = 0;
            }
        } else if (e->type == RUN_EV_FIXATION) {
            /* closed this tick, or (end_ms < 0) the fixation still open at the end */
            int fi = e->u.fixation.end_ms < 0 ? sim_fixation_count(sim) - 1
                                              : sim_fixation_closed_this_tick(sim);
            const SimFixation *f = fi >= 0 ? sim_fixation(sim, fi) : NULL;
            if ((!f || !fixation_matches(&e->u.fixation, f)) && !bad) {
                bad = 1;
                if (what)
                    *what = 1;
            }
        }
    }
    *cursor = i;
    return bad;
}

int record_verify(const RunFile *rf, const SimClassifier *cls, uint64_t model_hash,
                  ReplayReport *out)
{
    memset(out, 0, sizeof *out);
    out->diverged_tick = -1;
    Sim *sim = record_sim_create(rf, cls, model_hash);
    if (!sim)
        return -1;
    int max_in = replay_max_inputs_per_tick(rf);
    SimInput *in = malloc((size_t)(max_in > 0 ? max_in : 1) * sizeof *in);
    if (!in) {
        sim_destroy(&sim);
        sc_set_error("out of memory");
        return -1;
    }
    const uint64_t start = rf->header.start_tick;
    size_t in_cur = 0, chk_cur = 0;
    int rc = 0, what = 0;
    out->last_good_tick = start;
    if (replay_check_tick(rf, &chk_cur, sim, start, &out->hashes_checked, &what)) {
        out->diverged_tick = (int64_t)start;
        rc = 1;
    }
    for (uint64_t t = start + 1; t <= rf->end_tick && rc == 0; t++) {
        int n = replay_inputs_at(rf, &in_cur, t, in);
        sim_tick(sim, in, n);
        out->ticks++;
        uint64_t before = out->hashes_checked;
        if (replay_check_tick(rf, &chk_cur, sim, t, &out->hashes_checked, &what)) {
            out->diverged_tick = (int64_t)t;
            rc = 1;
        } else if (out->hashes_checked != before) {
            out->last_good_tick = t;
        }
    }
    out->fixation_mismatch = rc == 1 && what == 1;
    if (rc == 0 && out->hashes_checked == 0) {
        sc_set_error("nothing to verify: the run holds no state hash (%llu ticks re-simulated "
                     "unchecked)",
                     (unsigned long long)out->ticks);
        rc = -1;
    }
    free(in);
    sim_destroy(&sim);
    return rc;
}
