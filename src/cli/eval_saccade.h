/* eval_saccade.h: fixation sequences for `saccade eval`, driving the real stages directly.
 *
 * One fixation = retina_sample at the gaze -> (saccade condition only) centre-of-gravity
 * landing (the eye lands on the centre of gravity of a target, Findlay 1982), read from what
 * the retina sees at full resolution around the gaze (level 0): up to LOOK_COG_STEPS / 2 steps
 * to the centre of gravity of the local contrast (Gaussian-weighted, sigma 7 px), then up to
 * LOOK_COG_STEPS / 2 steps to the centre of gravity of the object under the gaze (pixels above
 * 30% of the local contrast connected to the ink nearest the gaze, so that separate clutter
 * does not pull the landing point; MNIST digits are centred by their centre of mass, so this is
 * where the classifier wants the eye) -> classify the foveal patch ->
 * v1_process -> saliency_update -> inhibition of return at the gaze -> winner-take-all on the
 * priority map (with the eye's jump cost) picks the next target. No millisecond timing: each
 * fixation is one look, which is what the eval needs and ~100x faster than the full sim.
 */
#ifndef SACCADE_CLI_EVAL_SACCADE_H
#define SACCADE_CLI_EVAL_SACCADE_H

#include "classifier/classifier.h"
#include "core/image.h"

#define LOOK_MAX_FIX 16
#define LOOK_COG_STEPS 8
/* Inhibition of return for these small canvases: sigma 10 px (the sim's 1 deg = 32 px would
 * inhibit a whole 60x60 canvas after two looks). */
#define LOOK_IOR_RADIUS_PX 10.0f

typedef struct LookFix {
    float x, y;       /* gaze when classified, world px */
    int label;        /* argmax class */
    float confidence; /* its probability */
    float best_conf;  /* highest non-nothing probability */
    int best_label;   /* its class */
    float probs[CLASSIFIER_MAX_CLASSES];
} LookFix;

typedef struct Looker Looker;

/* Stages for a world of this size (retina levels chosen to cover it). NULL + error. */
Looker *looker_create(int world_w, int world_h);
void looker_destroy(Looker **l);

/* Runs up to n_fix fixations on world (world_w x world_h as created; must stay alive during
 * the call) starting at (x, y). cog: 1 to land on the centre of gravity (saccade condition).
 * Fills fix[0..n_fix-1]; returns n_fix. Resets inhibition of return first. */
int looker_episode(Looker *l, Classifier *c, const Image *world, float x, float y, int n_fix,
                   int cog, LookFix *fix);

/* The answer after the first k fixations: the first fixation whose non-nothing confidence
 * is >= sure (the reader stops there), else the most confident non-nothing label; -1 if every
 * fixation said nothing with certainty 1. */
int look_answer(const LookFix *fix, int k, float sure);
/* Alternative: the argmax of the non-nothing probabilities summed over the first k fixations. */
int look_answer_sum(const LookFix *fix, int k, int n_classes, int nothing);

#endif
