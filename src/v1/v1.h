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

/* ---- the same filters on a small patch: the classifier's fixed V1 input ----
 * Complex-cell amplitudes of a V1_PATCH_SIDE^2 patch (the fovea the classifier reads) at
 * V1_PATCH_ORIENT orientations, at the finest scale of the bank above (v1_patch_params_default
 * takes wavelength_px[0] and sigma_per_wavelength from v1_params_default: one set of
 * constants): the same Morlet-corrected quadrature Gabor pair, applied in the spatial domain
 * (separable rows then columns; a 28x28 patch is too small for the FFT path to pay), its
 * amplitude sqrt(even^2 + odd^2) less `threshold` (a complex cell's response threshold, 0
 * below it), on every second sample (a 14x14 grid that includes the gaze sample (14, 14)),
 * orientation-major: out[(o * 14 + v) * 14 + u]. Hard-wired, never learned. */
#define V1_PATCH_SIDE 28
#define V1_PATCH_GRID 14
#define V1_PATCH_ORIENT 8
#define V1_PATCH_OUT (V1_PATCH_ORIENT * V1_PATCH_GRID * V1_PATCH_GRID)
#define V1_PATCH_MAX_R 8 /* kernel radius limit (taps = 2 R + 1) */

typedef struct V1PatchParams {
    int orientations;           /* must be V1_PATCH_ORIENT */
    float wavelength_px;        /* carrier wavelength, patch px (default 4: V1's finest) */
    float sigma_per_wavelength; /* envelope sigma / wavelength (default 0.56, as V1's) */
    float threshold;            /* amplitude threshold (default 0.03) */
} V1PatchParams;

void v1_patch_params_default(V1PatchParams *p);
/* 1 if the parameters are usable (orientations, wavelength 2..8 px, kernel within
 * V1_PATCH_MAX_R, threshold 0..1), else 0. */
int v1_patch_params_valid(const V1PatchParams *p);

/* Filter taps, per tap the eight orientations side by side (plain floats: the bank may live
 * in memory with any alignment; the kernel loads them into vectors). */
typedef struct V1PatchBank {
    V1PatchParams p;
    int r; /* kernel radius, taps -r..r */
    float hx_re[2 * V1_PATCH_MAX_R + 1][V1_PATCH_ORIENT],
        hx_im[2 * V1_PATCH_MAX_R + 1][V1_PATCH_ORIENT];
    float hy_re[2 * V1_PATCH_MAX_R + 1][V1_PATCH_ORIENT],
        hy_im[2 * V1_PATCH_MAX_R + 1][V1_PATCH_ORIENT];
    float g[2 * V1_PATCH_MAX_R + 1];
    float kappa[V1_PATCH_ORIENT], inv_norm[V1_PATCH_ORIENT];
} V1PatchBank;

/* Builds the filter taps for valid params (v1_patch_params_valid). */
void v1_patch_bank_init(V1PatchBank *b, const V1PatchParams *p);
/* V1_PATCH_OUT energies of a V1_PATCH_SIDE^2 patch (row-major). Reentrant, no allocation. */
void v1_patch_energy(const V1PatchBank *b, const float *patch, float *out);

/* ---- a fixed second stage on the patch energies (scattering's second order) ----
 * The energy of the energy: each of the V1_PATCH_ORIENT first-stage energy maps (14x14, 2 px
 * apart) filtered again with a Morlet-corrected quadrature Gabor pair twice as coarse
 * (wavelength V1_PATCH2_WAVELENGTH grid steps = 8 px, sigma 0.56 wavelengths, as the first
 * stage's ratio) at V1_PATCH2_ORIENT orientations, amplitude sqrt(even^2 + odd^2), on every
 * second grid sample (7x7, the odd grid indices: the gaze sample (14, 14) is one of them).
 * It answers where an edge's strength itself changes along a direction: the ends of strokes,
 * corners, junctions and the gaps between parallel strokes, the second-order coefficients of a
 * scattering network (Bruna and Mallat 2013: |(|x * psi1|) * psi2| with psi2 coarser than
 * psi1), thresholded as the first stage's complex cells are. Out: out[((o1 * V1_PATCH2_ORIENT + o2)
 * * 7 + m) * 7 + k]. Constants only, nothing in it is learned: a hard-wired filter applied
 * everywhere, on the fixed side of the untied line.
 */
#define V1_PATCH2_ORIENT 4
#define V1_PATCH2_GRID 7
#define V1_PATCH2_OUT (V1_PATCH_ORIENT * V1_PATCH2_ORIENT * V1_PATCH2_GRID * V1_PATCH2_GRID)
#define V1_PATCH2_WAVELENGTH 4.0 /* first-stage grid steps */
#define V1_PATCH2_R 5            /* taps -5..5: 2.2 sigma */
/* Out is V1_PATCH2_GAIN * (amplitude - V1_PATCH2_THRESHOLD), 0 below: over 500 training digits
 * the raw amplitudes have median 0.007, 99th percentile 0.042, so the gain brings the top of
 * them near the first stage's range and the threshold (the 65th percentile) leaves about a
 * third of them non-zero, the first stage's sparsity (35%): set from those statistics, not
 * tuned. */
#define V1_PATCH2_GAIN 16.0f
#define V1_PATCH2_THRESHOLD 0.01f

typedef struct V1Patch2Bank {
    float hx_re[2 * V1_PATCH2_R + 1][V1_PATCH2_ORIENT],
        hx_im[2 * V1_PATCH2_R + 1][V1_PATCH2_ORIENT];
    float hy_re[2 * V1_PATCH2_R + 1][V1_PATCH2_ORIENT],
        hy_im[2 * V1_PATCH2_R + 1][V1_PATCH2_ORIENT];
    float g[2 * V1_PATCH2_R + 1];
    float kappa[V1_PATCH2_ORIENT], inv_norm[V1_PATCH2_ORIENT];
} V1Patch2Bank;

void v1_patch2_bank_init(V1Patch2Bank *b);
/* V1_PATCH2_OUT second-stage amplitudes of V1_PATCH_OUT first-stage energies (v1_patch_energy's
 * layout). Reentrant, no allocation. */
void v1_patch2_energy(const V1Patch2Bank *b, const float *e1, float *out);

/* ---- retinal slip at the fovea (smooth pursuit's input) ----
 * How far the pattern on the fovea moved on the retina between the last two v1_process calls,
 * from the same quadrature responses as the motion energy (middle scale): per level and
 * orientation, conj(z_prev) * z summed over a Gaussian window of V1_FOVEA_SIGMA_DEG around the
 * gaze has phase -2 pi k.d for a shift d (the Adelson-Bergen opponent energy over the static
 * energy, read as an angle); the orientations' phases give d by weighted least squares
 * (weights |conj(z_prev) z|, a ridge of V1_FOVEA_RIDGE for the aperture problem). Coarse to
 * fine: level V1_FOVEA_TOP_LEVEL first (unambiguous up to half a wavelength, 16 px per call at
 * the default 4 px samples), each finer level unwrapping its phases with the coarser estimate
 * while the shift is below V1_FOVEA_MAX_SHIFT wavelengths of it and the level's weight is at
 * least V1_FOVEA_REFINE_RATIO of the coarser one's (a pattern coarser than a level's band gives
 * it a weak, biased phase). Levels whose total weight is
 * below V1_FOVEA_MIN_WEIGHT (no contrast) are skipped. Returns 1 and the shift in world px
 * (x right, y down) with *strength (may be NULL) the weight of the finest level used, or 0 (no
 * motion signal: motion_valid was 0, or no contrast at the fovea). Accuracy against the true
 * shift is measured in tests/vision (test_v1 "foveal shift"). */
/* A pattern's spectrum lies mostly below a band's carrier, so the raw phase reads short: 0.87-0.90
 * of the shift for a digit-like figure at 5-20 deg/s, 0.75-0.86 for a moving texture (the
 * table test_v1 prints); the estimate is scaled by V1_FOVEA_GAIN, fixed from that table. */
#define V1_FOVEA_GAIN 1.15
#define V1_FOVEA_SIGMA_DEG 0.6f
#define V1_FOVEA_RIDGE 0.01
#define V1_FOVEA_REFINE_RATIO 0.5
#define V1_FOVEA_TOP_LEVEL 2
#define V1_FOVEA_MAX_SHIFT 0.3
#define V1_FOVEA_MIN_WEIGHT 1e-4
int v1_foveal_shift(V1 *v, float *dx_px, float *dy_px, float *strength);
/* The same with the window centred (ox, oy) world px from the gaze (the fixated object near
 * the fovea; within a level's half extent). Not const: it keeps the window sums in the V1
 * (scratch, not state). The crop grid must be at most 64 x 64 (it is 16 x 16 by default). */
int v1_slip_at(V1 *v, float ox, float oy, float *dx_px, float *dy_px, float *strength);

/* Dynamic state (motion history) for replay keyframes. */
size_t v1_state_size(const V1 *v);
void v1_state_save(const V1 *v, void *buf);
void v1_state_load(V1 *v, const void *buf);
uint64_t v1_state_hash(const V1 *v);

#endif
