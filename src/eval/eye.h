/* eval/eye.h: the experiments' eye is the simulator's eye.
 *
 * `saccade eval` shows each canvas to a Sim (src/sim: the same tick, retina, V1, saliency,
 * winner-take-all with inhibition of return, main-sequence saccades with landing error,
 * corrective and centring saccades, and classifier reads that `saccade run` and the window
 * use; sim_restart puts the next canvas in front of the same sim) and reads what the sim
 * classified, glimpse by glimpse. Nothing here chooses a target, lands or centres: there is
 * no second eye.
 *
 * Counting: a glimpse is a retina sample (sim_glimpse_count); every one reaches a decision
 * (where to look next, where to land, what is there). The first glimpse is the look the sim
 * takes at the canvas centre when it starts. A read is the classifier's answer for the
 * glimpse it read (SimFixation.glimpse). The answer after K glimpses: the first read, among
 * those of glimpses 1..K, that the eye believed (SimFixation.sure: not "nothing", p >= the
 * sim's classify_stop_confidence, the object centred: the rule that ends the eye's
 * fixation), else the most probable non-nothing class over those reads; -1 if none.
 */
#ifndef SACCADE_EVAL_EYE_H
#define SACCADE_EVAL_EYE_H

#include <stdint.h>

#include "classifier/classifier.h"
#include "core/image.h"
#include "sim/sim.h"

#define EVAL_MAX_READS 64

typedef struct EvalRead {
    int glimpse;                  /* the glimpse it read (1-based) */
    float x, y;                   /* gaze, world px */
    int label;                    /* argmax class */
    float confidence;             /* its probability */
    int best_label;               /* most probable non-nothing class */
    float best_conf;              /* its probability */
    int sure;                     /* the eye believed it (SimFixation.sure) */
    float probs[SIM_MAX_CLASSES]; /* every class's probability (the model's classes) */
} EvalRead;

typedef struct EvalEpisode {
    int n_reads;
    EvalRead reads[EVAL_MAX_READS];
    int glimpses;  /* glimpses taken up to the end of the episode (may exceed the budget by
                    * the one that ended it; that one is never read) */
    double sim_ms; /* simulated time used */
} EvalEpisode;

typedef struct EvalEyeOptions {
    int still;  /* 1: the eye holds still (no saccades, no centring): one glimpse */
    int sensor; /* SimSensor: SIM_SENSOR_FULL (0, the shipped eye) or SIM_SENSOR_SMALL */
} EvalEyeOptions;

typedef struct EvalEye EvalEye;

/* A sim for worlds of this size with the shipped eye (sim_config_default) and its own copy of
 * the model at model_path (classifier scratch is per instance: one EvalEye per thread).
 * NULL + error. */
EvalEye *eval_eye_create(const char *model_path, int world_w, int world_h, const EvalEyeOptions *o);
/* The same with its own copy of a classifier in memory (a reader being trained). */
EvalEye *eval_eye_create_from(const Classifier *model, int world_w, int world_h,
                              const EvalEyeOptions *o);
void eval_eye_destroy(EvalEye **e);
/* The CLASSIFIER_SIDE^2 foveal patch the last episode's read number `read` was made from
 * (EvalEpisode.reads[read]); NULL out of range. Valid until the next eval_eye_run. */
const float *eval_eye_read_patch(const EvalEye *e, int read);

/* Shows world to the sim from a fresh start (seed: landing errors and fixation durations) and
 * runs it until max_glimpses glimpses have been read, a read is sure, or the eye stops
 * moving. Fills out. 0, or -1 + error. */
int eval_eye_run(EvalEye *e, const Image *world, uint64_t seed, int max_glimpses, EvalEpisode *out);

/* The answer after the first k glimpses (see above). */
int eval_answer(const EvalEpisode *ep, int k);
/* Glimpses used by the answer after k glimpses: the glimpse of the sure read, else k (or the
 * glimpses taken, if the eye stopped before k). */
int eval_glimpses_used(const EvalEpisode *ep, int k);

#endif
