/* sim/sim_adapt.h: saccade adaptation in the tick (issue 22 §1: goggles).
 *
 * On when SimConfig.saccade_adapt_rate > 0 (the goggles' default, see run/live --goggles). Every
 * saccade the eye chooses (the priority map's or a reader's plan: not commanded, not corrective)
 * goes through the untied motor map (eye/adapt.h): its aim and landing become the gaze plus the
 * map's motor vector for the target as the retina showed it. At the fixation's first glimpse
 * after landing the eye looks for the target it aimed at (the post-saccadic error r1): the
 * object within eye_object_near's reach of the gaze, else the centre of the most conspicuous
 * thing on the priority map (eye_object_centre at its winning cell), what a lab's single
 * target on a dark screen gives; in clutter that may be another thing, and the map learns
 * noise there. The map then learns from the visual shift r0 - r1 of the executed movement.
 *
 * The map and its log are simulation state (hashed, in keyframes) while on; they persist across
 * sim_restart (what the eye learned is the eye's, not the canvas's), which only drops a
 * pending read.
 */
#ifndef SACCADE_SIM_ADAPT_H
#define SACCADE_SIM_ADAPT_H

#include <stdint.h>

#include "eye/adapt.h"
#include "sim/sim.h"

#define SIM_ADAPT_HISTORY 256
/* The rate run and live use with --goggles (unless --adapt-rate says otherwise): the one
 * `saccade eval goggles --tune` picks on validation digits and seeds (docs/experiments.md). */
#define SIM_GOGGLES_ADAPT_RATE 1.0f

/* Plain data (all 4-byte fields: hashed and saved as bytes). */
typedef struct SimAdapt {
    SaccadeMap map;
    int32_t pending;  /* a mapped saccade started; its post-saccadic error is not read yet */
    float r0x, r0y;   /* its target as seen, px from the gaze */
    float mx, my;     /* the movement it executed, px */
    int32_t saccades; /* mapped saccades whose post-saccadic error was read */
    int32_t missed;   /* mapped saccades whose target was not found after landing */
    /* post-saccadic error |r1| (deg) of read saccade i at err_deg[i % SIM_ADAPT_HISTORY] */
    float err_deg[SIM_ADAPT_HISTORY];
} SimAdapt;

/* The adaptation state, NULL when off. */
const SimAdapt *sim_adapt(const Sim *s);
/* Replaces the map (an experiment starting a condition afresh); nothing when off. */
void sim_adapt_set_map(Sim *s, const SaccadeMap *m);

/* For sim.c: the tick's hooks. */
void sim_adapt_saccade_start(SimAdapt *a, Eye *e);
void sim_adapt_glimpse(SimAdapt *a, float rate, const Eye *e, const Retina *view,
                       const Image *priority, int cell_px);
int sim_adapt_check(const SimAdapt *a); /* keyframe: 1 when valid */

#endif
