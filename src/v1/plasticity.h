/* plasticity.h: top-down reinforcement of the reader's V1 input, untied (issue 22 section 2).
 *
 * The reader (classifier/) reads fixed V1 complex-cell energies of the fovea (v1_patch_energy:
 * V1_PATCH_ORIENT orientations x a V1_PATCH_GRID^2 grid of positions, 2 px apart). Plasticity
 * puts one gain on each (orientation, position) filter output: the energy the reader sees is
 * gain * energy. Every gain starts at 1, which is exactly the hard-wired bank (x * 1.0f == x).
 *
 * Rule (a reward-gated Hebbian update, one step per read that got feedback):
 *   reward R = 1 when the read was right by the task's feedback and its probability was at
 *            least PLASTICITY_CONFIDENCE, else 0 (an unrewarded read changes nothing);
 *   pre    = the filter's gained output on that read over the largest output of the read
 *            (0..1: which filters the read used, and how much);
 *   untied:  d[o][p] = eta * R * pre[o][p], each position p from its own filters only;
 *   tied:    d[o][p] = eta * R * mean_p' pre[o][p'] for every p (one shared change per
 *            orientation, applied at every position: the weight-tied control);
 *   then, at each position with some d > 0: g += d, the position's gains rescaled so that
 *   their mean over orientations is 1 again (synaptic scaling: the orientations a rewarded
 *   read used gain at the expense of the others, the position's total drive is kept), each
 *   clamped to [PLASTICITY_GAIN_MIN, PLASTICITY_GAIN_MAX].
 * (A first version without the rescaling, gains only growing, amplified the noise with the
 * signal and lowered accuracy at the trained position: 62.5% -> 59.0%, n = 200, quick run.)
 * Untied means: a position whose filters were silent on every rewarded read keeps gain 1.0
 * exactly; nothing one position learns is copied to another. Tied is the control that does
 * copy (a CNN's weight sharing applied to V1 gains).
 *
 * Deterministic (float arithmetic in a fixed order, no randomness); no allocation after create.
 * The state (the gains) is what replay keyframes save and the state hash covers.
 */
#ifndef SACCADE_V1_PLASTICITY_H
#define SACCADE_V1_PLASTICITY_H

#include <stddef.h>
#include <stdint.h>

#include "v1/v1.h"

#define PLASTICITY_N V1_PATCH_OUT /* gains: orientation-major like the energies */
#define PLASTICITY_POSITIONS (V1_PATCH_GRID * V1_PATCH_GRID)
#define PLASTICITY_CONFIDENCE 0.5f /* a rewarded read's probability, at least */
#define PLASTICITY_GAIN_MIN 0.25f
#define PLASTICITY_GAIN_MAX 4.0f
/* The rate `run` and `live --plasticity MODE` use unless --plasticity-rate says otherwise: each
 * mode's rate chosen on validation by `saccade eval plasticity` (docs/experiments.md). */
#define PLASTICITY_ETA_UNTIED 0.001f
#define PLASTICITY_ETA_TIED 0.01f
float plasticity_default_eta(int mode); /* 0 for off */

typedef enum PlasticityMode {
    PLASTICITY_OFF = 0,    /* the hard-wired bank: gains are never used nor changed */
    PLASTICITY_UNTIED = 1, /* each position alone */
    PLASTICITY_TIED = 2,   /* one shared change per orientation (the control) */
} PlasticityMode;

typedef struct Plasticity {
    int mode;                 /* PlasticityMode */
    float eta;                /* learning rate, > 0 and <= 1 */
    long updates;             /* rewarded reads applied */
    float gain[PLASTICITY_N]; /* gain[(o * GRID + v) * GRID + u], as v1_patch_energy's output */
} Plasticity;

/* All gains 1, no updates. 0, or -1 + error for a bad mode or eta. */
int plasticity_init(Plasticity *p, int mode, float eta);
/* "off", "untied", "tied"; and back (-1 for an unknown name). */
const char *plasticity_mode_name(int mode);
int plasticity_mode_parse(const char *s);

/* energies[i] *= gain[i] over the V1_PATCH_OUT energies (nothing when mode is OFF). */
void plasticity_apply(const Plasticity *p, float *energies);
/* One read's feedback: gained = the energies as the reader saw them (after plasticity_apply),
 * right = the read's class was the true one, confidence = its probability. Applies the rule
 * above; returns 1 when the read was rewarded (and the gains changed), else 0. */
int plasticity_reward(Plasticity *p, const float *gained, int right, float confidence);

/* The state for keyframes: PLASTICITY_STATE_BYTES bytes, little-endian (mode u32, eta f32,
 * updates u64, gains f32 x PLASTICITY_N). load returns 0, or -1 for a state that is not valid
 * (mode, eta, a gain outside [GAIN_MIN, GAIN_MAX]). */
#define PLASTICITY_STATE_BYTES (4 + 4 + 8 + 4 * PLASTICITY_N)
void plasticity_state_save(const Plasticity *p, unsigned char *buf);
int plasticity_state_load(Plasticity *p, const unsigned char *buf);
uint64_t plasticity_hash(const Plasticity *p, uint64_t h);

/* Positions whose gains differ from 1 in any orientation (0..PLASTICITY_POSITIONS). */
int plasticity_positions_changed(const Plasticity *p);

#endif
