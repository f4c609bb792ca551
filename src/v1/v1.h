/* v1.h: fixed (never learned) early vision on the retinal levels.
 *
 * Orientation: a quadrature Gabor bank (default 8 orientations x 3 scales) applied to every
 * retinal level in the frequency domain with FFTW. Plans are made once at creation with
 * FFTW_ESTIMATE (no timing measurements, so identical plans and bits run to run). Energy is
 * |even|^2 + |odd|^2 (phase-invariant, like a complex cell).
 * Motion: direction-selective energy from the quadrature responses of successive ticks
 * (Adelson-Bergen style opponent energy); 2 directions per orientation.
 * No allocation in v1_process().
 *
 * Filters: orientation o has its carrier wave vector at angle theta_o = o * pi / orientations
 * from +x towards +y (image coordinates, y down), i.e. it responds to stripes running
 * perpendicular to theta_o. Each filter is a one-sided (analytic) Gaussian in the frequency
 * domain centred on the carrier frequency (1 / wavelength), with the Morlet correction that
 * makes its DC response exactly 0; its inverse transform is even + i * odd (complex cell
 * input). Peak gain is set so that a sinusoidal grating of amplitude A at the preferred
 * frequency and orientation gives |even + i odd| = A, energy A^2.
 * Speed: each level is transformed once (r2c); each filter's band is demodulated (shifted by
 * its integer carrier bin, which changes only the phase) and inverse transformed on a cropped
 * spectrum just big enough for the band (32^2, 16^2, 8^2 by default), so coarse scales cost
 * little. Output maps therefore have a reduced resolution, v1_map_size() per side.
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
    float sigma_per_wavelength; /* Gaussian envelope sigma / wavelength (default 0.56, ~1 octave) */
} V1Params;

void v1_params_default(V1Params *p);

typedef struct V1 V1;

V1 *v1_create(const V1Params *p, const RetinaParams *rp);
void v1_destroy(V1 **v);
const V1Params *v1_params(const V1 *v);

/* Filters the retina's current levels. motion_valid = 0 when the gaze moved since the previous
 * call (the motion history is reset and motion energy is zero for this tick). */
void v1_process(V1 *v, const Retina *r, int motion_valid);

/* Side of the output maps (default level_size / 2 = 32). Map sample (i, j) sits on retinal
 * level sample (i * s, j * s), s = level_size / v1_map_size(), so map sample
 * (map_size/2, map_size/2) is at the gaze. */
int v1_map_size(const V1 *v);
/* Orientation energy of level `level`, orientation o, summed over scales; v1_map_size()^2
 * floats, row-major (stride = v1_map_size()). */
const float *v1_orient_energy(const V1 *v, int level, int o);
/* Motion energy of level `level` for direction d in 0..2*orientations-1 (direction angle
 * d * pi / orientations from +x towards +y, image coordinates: d = o is motion along the
 * carrier of orientation o, d = o + orientations against it); v1_map_size()^2 floats.
 * Computed from the middle scale: the rectified opponent signal of Im(conj(z_prev) * z_now).
 * Per-direction maps cost ~0.05 ms per call, so they are only filled while direction maps are
 * on (v1_set_direction_maps; off by default: the maps then stay all zero). The total over
 * directions, v1_motion_total(), is always computed (saliency uses it). */
void v1_set_direction_maps(V1 *v, int on);
const float *v1_motion_energy(const V1 *v, int level, int d);
/* Motion energy of `level` summed over all directions (= sum_o |Im(conj(z_prev) z_now)|);
 * v1_map_size()^2 floats; zero when motion_valid was 0. */
const float *v1_motion_total(const V1 *v, int level);

/* Spatial kernel of (scale, orientation) exactly as applied (the inverse DFT, at the
 * level_size period, of the cropped filter spectrum): writes size x size even (cosine) and
 * odd (sine) parts, centred at size/2 (size <= level_size). For tests and display; allocates. */
void v1_kernel(const V1 *v, int scale, int o, int size, float *even, float *odd);
/* Preferred orientation (radians, 0..pi) of orientation index o. */
float v1_orientation_rad(const V1 *v, int o);

/* Dynamic state (motion history) for replay keyframes. */
size_t v1_state_size(const V1 *v);
void v1_state_save(const V1 *v, void *buf);
void v1_state_load(V1 *v, const void *buf);
uint64_t v1_state_hash(const V1 *v);

#endif
