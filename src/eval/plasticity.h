/* eval/plasticity.h: `saccade eval plasticity`, top-down reinforcement of V1, untied and tied
 * (issue 22 section 2; the rule is v1/plasticity.h).
 *
 * Protocol. The eye is held still at the centre of a black world (canvas_world_side(28) px);
 * one MNIST digit at ink contrast `contrast` is placed with its patch centre `offset_px` px
 * up-left of the gaze (the TRAINED position), and the world gets Gaussian pixel noise of
 * standard deviation `noise` (clipped to 0..1). The retina samples the world (retina_sample:
 * the fovea the sim's reader reads) and the shipped reader reads the fovea with its V1 input
 * scaled by the plasticity gains. Positions measured: trained (-d, -d), UNTRAINED (+d, +d: the
 * mirror image, down-right) and CENTRE (0, 0).
 *  - Training: n_train reads at the trained position only, digits drawn (seeded) from the
 *    MNIST training digits the reader trained on (0 .. n_train_set - n_val - 1); after each
 *    read the feedback is the digit's label; plasticity_reward applies the rule.
 *  - Test: the first n_test digits of the test set (or, with split_val, of the validation
 *    split) at each position, the gains frozen. The noise of test digit i is the same at every
 *    position and in every mode (paired stimuli).
 *  - Modes: off (the hard-wired bank), untied, tied; each trained from all-1 gains per seed.
 *  - eta: when eta_untied / eta_tied is 0, each mode's rate is the one of EVAL_PLAST_ETAS that
 *    reads best at the trained position on the validation digits (first n_test of them, all
 *    seeds pooled; ties go to the smaller rate); the reported figures then use the test set.
 *  - V1's responses: per position and mode, the mean over test reads of the summed V1 energy
 *    the reader saw, over the same with the hard-wired bank (1 = unchanged).
 *  - Locality: per mode and seed, positions (V1 grid cells, 196) whose gains changed; the
 *    trained region (cells whose filters fired on at least one rewarded training read) and
 *    the largest |gain - 1| outside it (exactly 0 when the update is untied).
 * n, right and a 95% Wilson interval per row; seeds seed .. seed + n_seeds - 1 (noise and the
 * training digits' order). Single-threaded: a pure function of the options.
 */
#ifndef SACCADE_EVAL_PLASTICITY_H
#define SACCADE_EVAL_PLASTICITY_H

#include <stdint.h>

#include "eval/eval.h"
#include "v1/plasticity.h"

#define EVAL_PLAST_MODES 3 /* PLASTICITY_OFF, _UNTIED, _TIED */
#define EVAL_PLAST_POS 3   /* trained, untrained, centre */
#define EVAL_PLAST_ETAS 5
extern const float eval_plast_etas[EVAL_PLAST_ETAS]; /* 0.001 0.003 0.01 0.03 0.1 */
extern const char *const eval_plast_pos_names[EVAL_PLAST_POS];

typedef struct EvalPlasticityOptions {
    const char *model;          /* mnist (NULL) or a weights file (PIXELS_V1 input) */
    int offset_px;              /* 1..10 (default 3) */
    float contrast;             /* digit ink, 0 < c <= 1 (default 0.3) */
    float noise;                /* pixel noise sd, 0..1 (default 0.15) */
    int n_train;                /* training reads per seed (default 2000) */
    int n_test;                 /* test digits per position and seed (default 1000) */
    int n_seeds;                /* 1..EVAL_MAX_SEEDS (default 3) */
    uint64_t seed;              /* first seed (default 1) */
    int split_val;              /* 1: report on the validation digits instead of the test set */
    float eta_untied, eta_tied; /* 0: chosen on validation (see above) */
    const EvalProgress *progress;
} EvalPlasticityOptions;

void eval_plasticity_defaults(EvalPlasticityOptions *o);

typedef struct EvalPlastCell {
    long n, right;
    long gained_only, lost_only; /* against the hard-wired bank on the same stimuli: right
                                  * only here, right only there (paired) */
    double v1_ratio;             /* mean summed V1 energy seen / hard-wired (see above) */
    long right_per_seed[EVAL_MAX_SEEDS];
} EvalPlastCell;

typedef struct EvalPlasticityResult {
    const char *test_set;          /* "mnist-t10k" or "mnist-val" */
    int offset[EVAL_PLAST_POS][2]; /* digit centre from the gaze, px (x right, y down) */
    int n_test, n_seeds, n_train;
    uint64_t seed;
    float eta[EVAL_PLAST_MODES]; /* the rate used (0 for off) */
    int eta_chosen;              /* 1: on validation */
    long val_n;                  /* validation reads per rate and mode (seeds pooled) */
    long val_right[EVAL_PLAST_MODES][EVAL_PLAST_ETAS];
    EvalPlastCell cells[EVAL_PLAST_MODES][EVAL_PLAST_POS];
    /* per mode and seed */
    long rewarded[EVAL_PLAST_MODES][EVAL_MAX_SEEDS];
    int changed_positions[EVAL_PLAST_MODES][EVAL_MAX_SEEDS];
    int trained_region[EVAL_PLAST_MODES][EVAL_MAX_SEEDS];
    double gain_in_mean[EVAL_PLAST_MODES][EVAL_MAX_SEEDS];  /* mean |gain - 1| inside the region */
    double gain_out_mean[EVAL_PLAST_MODES][EVAL_MAX_SEEDS]; /* mean |gain - 1| outside it */
    double gain_out_maxdev[EVAL_PLAST_MODES][EVAL_MAX_SEEDS]; /* max |gain - 1| outside it */
    /* the first seed's gains, the largest over orientations, per grid cell (for the figure;
     * the mean over orientations is 1 at every position by the rule's scaling) */
    float gain_map[EVAL_PLAST_MODES][PLASTICITY_POSITIONS];
} EvalPlasticityResult;

/* Runs the protocol above. 0, or -1 with sc_last_error() naming the option or file at fault. */
int eval_plasticity(const EvalPlasticityOptions *o, EvalPlasticityResult *r);

#endif
