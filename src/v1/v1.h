/* v1.h: fixed (never learned) early vision on the retinal levels.
 *
 * Orientation: a quadrature Gabor bank (default 8 orientations x 3 scales) applied to every
 * retinal level in the frequency domain with FFTW. Plans are made once at creation with
 * FFTW_ESTIMATE (no timing measurements, so identical plans and bits run to run). Energy is
 * |even|^2 + |odd|^2 (phase-invariant, like a complex cell).
 * Motion: direction-selective energy from the quadrature responses of successive ticks
 * (Adelson-Bergen style opponent energy); 2 directions per orientation.
 * No allocation in v1_process().
 */
#ifndef SACCADE_V1_H
#define SACCADE_V1_H

#include <stdint.h>

#include "retina/retina.h"

#define V1_MAX_ORIENT 16
#define V1_MAX_SCALES 4

typedef struct V1Params {
    int orientations;                   /* default 8, evenly over 0..pi */
    int scales;                         /* default 3 */
    float wavelength_px[V1_MAX_SCALES]; /* carrier wavelength per scale, in level samples */
    float sigma_per_wavelength;         /* Gaussian envelope sigma / wavelength (default 0.56, ~1 octave) */
} V1Params;

void v1_params_default(V1Params *p);

typedef struct V1 V1;

V1 *v1_create(const V1Params *p, const RetinaParams *rp);
void v1_destroy(V1 **v);
const V1Params *v1_params(const V1 *v);

/* Filters the retina's current levels. motion_valid = 0 when the gaze moved since the previous
 * call (the motion history is reset and motion energy is zero for this tick). */
void v1_process(V1 *v, const Retina *r, int motion_valid);

/* Orientation energy of level `level`, orientation o, summed over scales; level_size^2 floats,
 * laid out like the retinal level. */
const float *v1_orient_energy(const V1 *v, int level, int o);
/* Motion energy of level `level` for direction d in 0..2*orientations-1 (direction angle
 * d * pi / orientations, image coordinates); level_size^2 floats. */
const float *v1_motion_energy(const V1 *v, int level, int d);

/* Spatial kernel of (scale, orientation): writes size x size even (cosine) and odd (sine)
 * parts, centred at size/2. For tests and display. */
void v1_kernel(const V1 *v, int scale, int o, int size, float *even, float *odd);
/* Preferred orientation (radians, 0..pi) of orientation index o. */
float v1_orientation_rad(const V1 *v, int o);

/* Dynamic state (motion history) for replay keyframes. */
size_t v1_state_size(const V1 *v);
void v1_state_save(const V1 *v, void *buf);
void v1_state_load(V1 *v, const void *buf);
uint64_t v1_state_hash(const V1 *v);

#endif
