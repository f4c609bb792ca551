/* eval/goggles.h: `saccade eval goggles` (issue 22 §1): saccades under inversion goggles and
 * their adaptation, on the simulator's own eye (sim.h with retina.flip and the untied motor
 * map of sim/sim_adapt.h: the tick that run and live use).
 *
 * A trial is one saccade, as in the saccade-adaptation laboratory: a blank world of
 * EVAL_GOGGLES_WORLD px (black, as a dark screen), one MNIST digit centred (its 28 x 28 box's
 * centre; MNIST centres digits by centre of mass) at a distance uniform in
 * EVAL_GOGGLES_AMP_MIN..MAX deg from the world centre, in a uniform direction; the eye starts
 * at the centre, takes its first look, and makes the saccade the sim chooses (the digit, as the
 * retina shows it: with goggles, at its mirror image about the gaze). The trial ends when the
 * adapting eye has read its post-saccadic error (or at the first landing without adaptation;
 * at most EVAL_GOGGLES_MAX_TICKS ticks).
 * Counts, defined before measuring: the landing error of the trial's first saccade (the first
 * landing point to the digit's centre, deg, ground truth for scoring only); "landed" when it
 * is under EVAL_GOGGLES_LANDED_DEG. Conditions, on the same trials (digit, position, eye
 * seed): normal (no goggles), inverted (goggles, no adaptation) and adapting (goggles, the map
 * learning at `rate`, one map per seed, starting at the normal eye's gains; trials in order).
 * Saccades to criterion: the first block (of `block` saccades, pooled over seeds) whose mean
 * landing error is within 1.5x the normal eye's mean error: its last saccade's index.
 */
#ifndef SACCADE_EVAL_GOGGLES_H
#define SACCADE_EVAL_GOGGLES_H

#include <stdint.h>

#include "eval/eval.h"

#define EVAL_GOGGLES_WORLD 641
#define EVAL_GOGGLES_AMP_MIN 3.0
#define EVAL_GOGGLES_AMP_MAX 8.0
#define EVAL_GOGGLES_LANDED_DEG 1.0
#define EVAL_GOGGLES_MAX_TICKS 400
#define EVAL_GOGGLES_MAX_BLOCKS 100

typedef struct EvalGogglesOptions {
    int goggles;  /* RETINA_FLIP_X/_Y bits, 1..3 */
    float rate;   /* adaptation rate (0, 1] */
    int saccades; /* trials per seed */
    int block;    /* saccades per block (saccades / block <= EVAL_GOGGLES_MAX_BLOCKS) */
    int n_seeds;  /* 1..EVAL_MAX_SEEDS: seed .. seed + n_seeds - 1 */
    uint64_t seed;
    int split_val; /* 1: validation digits (tuning the rate), else the MNIST test set */
    const EvalProgress *progress;
} EvalGogglesOptions;

typedef struct EvalGogglesTally {
    long n, landed; /* saccades; landed within EVAL_GOGGLES_LANDED_DEG */
    double err_sum; /* summed landing error, deg */
} EvalGogglesTally;

typedef struct EvalGogglesResult {
    EvalGogglesTally normal, inverted, adapting; /* over every trial */
    int n_blocks;
    EvalGogglesTally blocks[EVAL_GOGGLES_MAX_BLOCKS]; /* adapting, by saccade index */
    EvalGogglesTally normal_blocks[EVAL_GOGGLES_MAX_BLOCKS];
    int to_criterion;     /* saccades until within 1.5x normal (see above); -1: never */
    long missed;          /* adapting saccades whose target was not found after landing */
    int bins_learned;     /* motor-map bins that learned from at least one saccade (last seed) */
    float gx[24], gy[24]; /* the last seed's final map (SACCADE_MAP_BINS) */
} EvalGogglesResult;

int eval_goggles_saccades(const EvalGogglesOptions *o, EvalGogglesResult *r);

/* ---- Reading under goggles: relearning, untied readers against one tied reader ----
 *
 * The reading eye's readers (sim/sim_reading.h) read letters at fixed offsets from the gaze:
 * the foveal reader (the glyph model) the cell under the gaze, the extra readers +-1, +-2
 * cells, each its own dense network ("learned to read all of these separately"). Goggles
 * mirror what the retina senses about the gaze, so every reader sees its letters mirrored.
 *
 * Protocol, fixed before measuring. Inputs are the reader datasets as the retina delivers
 * them with goggles (data/dataset.h: dataset_load_reader_view; lines of random letters, the
 * gaze anywhere in its cell). A *fixation* gives every position one labelled example (its
 * letter with the task's feedback: the true letter), drawn in a seeded order from that
 * position's training faces. Every `block` fixations each learner takes one relearning step:
 * `epochs` passes over the block's examples (the trainer of classifier/trainer.h from the
 * learner's current weights: Adam at the mode's rate, batch 32, no augmentation).
 *   untied: each position's reader relearns alone from its own examples (block per step);
 *   tied:   one network, the foveal reader's weights, reads every position and relearns
 *           from all of them (positions x block examples per step): weight sharing.
 * Measured after every step, weights frozen: accuracy of each position's learner on that
 * position's test letters (the held-out families, or with split_val the validation faces)
 * as the goggles show them; and before goggles, the shipped readers on the same letters
 * unmirrored. Counts: n = test letters per position; a read is right when its most probable
 * class is the letter. */

#define EVAL_GR_MAX_POS 5
#define EVAL_GR_MAX_STEPS 64

typedef struct EvalGogglesReadingOptions {
    int goggles;   /* RETINA_FLIP_X/_Y bits, 1..3 */
    int positions; /* 1 (fovea), 3 (and +-1) or 5 (and +-2) */
    int fixations; /* in all (a multiple of block, at most EVAL_GR_MAX_STEPS blocks) */
    int block;     /* fixations per relearning step */
    int epochs;    /* passes over a step's examples */
    float lr_untied, lr_tied;
    int test_n;    /* test letters per position (0: all) */
    int split_val; /* measure on the validation faces (tuning) */
    uint64_t seed;
    const EvalProgress *progress;
} EvalGogglesReadingOptions;

void eval_goggles_reading_defaults(EvalGogglesReadingOptions *o);

typedef struct EvalGogglesReadingResult {
    int positions, steps;
    int offset[EVAL_GR_MAX_POS];
    long n_test[EVAL_GR_MAX_POS];
    long normal[EVAL_GR_MAX_POS]; /* right before goggles: the shipped readers, unmirrored */
    /* right after step s (s = 0: with goggles, before any relearning) */
    long untied[EVAL_GR_MAX_POS][EVAL_GR_MAX_STEPS + 1];
    long tied[EVAL_GR_MAX_POS][EVAL_GR_MAX_STEPS + 1];
    double seconds_untied, seconds_tied; /* CPU time of the relearning steps */
} EvalGogglesReadingResult;

/* Runs the protocol above. 0, or -1 with sc_last_error() (a model or font missing, bad
 * options). */
int eval_goggles_reading(const EvalGogglesReadingOptions *o, EvalGogglesReadingResult *r);

#endif
