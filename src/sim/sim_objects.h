/* sim_objects.h: object files, what the eye remembers of the objects it has looked at, so that
 * inhibition of return and a target's value follow an object wherever it moves (object-based
 * IOR: Tipper, Driver & Weaver 1991; a few tracked indexes, as in multiple-object tracking:
 * Pylyshyn & Storm 1988). Part of the sim module.
 *
 * What the eye uses, and nothing else (never the scene's ground truth):
 *  - its own reads: at each fixation's read, a file is opened (or the file already there
 *    refreshed) at the centre of what the glimpse shows on the fovea (eye_object_centre),
 *    with what the read said: READ (a label believed), NOTHING (a sure "nothing" on a centred
 *    object) or LOOKED (neither: looked at, not believed);
 *  - its own motion estimate: a file opened while pursuing starts with pursuit's target
 *    velocity (the eye's slip-based estimate, an efference copy);
 *  - its own saliency map: on every glimpse that follows the previous one by one tick with no
 *    jump of the gaze (the same condition V1 needs for motion energy), each file is predicted
 *    forward (position + velocity x time) and re-anchored on the saliency peak nearest the
 *    prediction (within SIM_OBJ_GATE_DEG; the peak's score is weighted by its distance from
 *    the prediction), an alpha-beta filter: position += SIM_OBJ_ALPHA x innovation, velocity
 *    += SIM_OBJ_BETA x innovation / time since the last anchor. Between glimpses (saccades)
 *    the file coasts on its velocity.
 * What it does: a file inhibits the priority map around where it is now (a Gaussian dip of
 * sigma SIM_OBJ_SIGMA_DEG, priority *= 1 - min(1, SIM_OBJ_DEPTH x strength x gauss)), once its
 * object is known to move: it moved SIM_OBJ_MOVED_DEG from where it was last looked at, or its
 * velocity estimate is above SIM_OBJ_MOVING_DEG_S. A still object is covered by the world-fixed
 * inhibition of return at the fixation (saliency.h), as before: on a still scene no file ever
 * moves (a still gaze on a still scene takes no consecutive glimpses), and the eye chooses
 * exactly as without files (the pinned canvas evals are unchanged). Strength decays with a
 * time constant by kind (READ 20 s, NOTHING 10 s, LOOKED 6 s: what has been read is worth
 * least); a file weaker than SIM_OBJ_MIN_STRENGTH is closed. At most SIM_OBJ_FILES files; a new
 * one replaces the weakest.
 * Pursuit ends when its object is read or not worth tracking: a sure read ends the fixation
 * (as it always did, and now no catch-up saccade follows it: eye_end_fixation), and so does the
 * SIM_OBJ_PURSUIT_LOOKS-th read of the pursued object in a row that is not believed (a sure
 * "nothing" counts as one: a single one is not enough, a fast digit caught off-centre reads
 * as "nothing"; 3 in vain let `eval pursuit` read 84% at 20 deg/s instead of 94%, 4 keep its
 * read rates).
 *
 * The files are simulation state (inside the sim's core block: hashed, in keyframes,
 * validated when loaded). No allocation.
 */
#ifndef SACCADE_SIM_OBJECTS_H
#define SACCADE_SIM_OBJECTS_H

#include <stdint.h>

#include "saliency/saliency.h"

#define SIM_OBJ_FILES 16           /* files kept */
#define SIM_OBJ_SIGMA_DEG 0.75f    /* inhibition dip sigma, deg */
#define SIM_OBJ_DEPTH 2.0f         /* dip = min(1, depth x strength x gauss) */
#define SIM_OBJ_GATE_DEG 1.0f      /* re-anchoring reach around the prediction, deg */
#define SIM_OBJ_ALPHA 0.3f         /* position gain of the tracker */
#define SIM_OBJ_BETA 0.01f         /* velocity gain of the tracker */
#define SIM_OBJ_MIN_SALIENCY 0.02f /* a peak weaker than this is no anchor */
#define SIM_OBJ_MOVED_DEG 0.5f     /* moved this far from where it was looked at: inhibit */
#define SIM_OBJ_MOVING_DEG_S 0.5f  /* or moving faster than this: inhibit */
#define SIM_OBJ_READ_TAU_MS 20000.0f
#define SIM_OBJ_NOTHING_TAU_MS 10000.0f
#define SIM_OBJ_LOOKED_TAU_MS 6000.0f
#define SIM_OBJ_LOOKED_STRENGTH 0.7f /* a look not believed inhibits less than a read */
#define SIM_OBJ_MIN_STRENGTH 0.05f
#define SIM_OBJ_MERGE_DEG 0.75f        /* a read this close to a file refreshes it */
#define SIM_OBJ_MAX_SPEED_DEG_S 100.0f /* velocity estimates are clamped to this */
#define SIM_OBJ_PURSUIT_LOOKS                                                                      \
    4 /* reads in vain before pursuit lets go (3: 20 deg/s reads fell to 84%) */

typedef enum SimObjectKind {
    SIM_OBJ_FREE = 0,
    SIM_OBJ_LOOKED = 1,  /* read, not believed */
    SIM_OBJ_NOTHING = 2, /* a sure "nothing" on a centred object */
    SIM_OBJ_READ = 3,    /* a label believed */
} SimObjectKind;

/* One object file. No padding: the sim hashes its core block as bytes. */
typedef struct SimObjectFile {
    float x, y;       /* where the eye believes the object is now, world px */
    float vx, vy;     /* its velocity, px/ms */
    float ox, oy;     /* where it was last looked at, world px */
    float strength;   /* 0..1 */
    float confidence; /* of the read */
    int32_t kind;     /* SimObjectKind; SIM_OBJ_FREE = unused slot */
    int32_t label;    /* class read (READ), else -1 */
    int32_t fixation; /* fixation (index) of the last read that refreshed it */
    int32_t moving;   /* 1 once its object is known to move (then it inhibits) */
    int32_t looks;    /* reads in a row that were not believed (READ resets it) */
    int32_t pursued;  /* 1 when the last read was made while pursuing it */
    double anchor_ms; /* last time it was anchored (read or re-anchored) */
} SimObjectFile;

typedef struct SimObjects {
    SimObjectFile f[SIM_OBJ_FILES];
} SimObjects;

/* Opens or refreshes the file at (x, y) world px after a read at time t_ms; (vx, vy) the
 * velocity the eye knows for it (pursuit's estimate, px/ms; 0 when not pursuing). Returns the
 * file's looks after this read (reads in a row not believed). */
int sim_objects_note(SimObjects *o, SimObjectKind kind, int label, float confidence, int fixation,
                     float x, float y, float vx, float vy, double t_ms, float px_per_deg);
/* One tick of dt_ms ending at t_ms: decay, prediction and, with track set (a glimpse one tick
 * after the last, no jump of the gaze), re-anchoring on the saliency map; then the dips of the
 * moving files into the priority map (call after saliency_priority_update). The world is
 * world_w x world_h px. */
void sim_objects_step(SimObjects *o, Saliency *sal, int track, double t_ms, double dt_ms,
                      float px_per_deg, int world_w, int world_h);
/* NULL when the block can be this sim's object files (counts, kinds, finite values in range),
 * else what is wrong. */
const char *sim_objects_check(const SimObjects *o, double t_max_ms, int n_fixations, int n_classes,
                              int world_w, int world_h);

#endif
