/* saliency.h: where to look next.
 *
 * Itti-Koch style conspicuity maps from the retinal levels and V1: intensity (centre-surround
 * across levels), orientation (per-orientation centre-surround of V1 energy) and motion (V1
 * motion energy), each normalised with Itti's N() operator (a map with one strong peak beats a
 * map with many), weighted, summed, and mapped into a world grid of cell_px x cell_px cells
 * (each cell read from the finest retinal level covering it). Spectral residual (Hou & Zhang
 * 2007, FFT based) is an alternative for the static part.
 * Inhibition of return lives here too, in world coordinates: each fixation adds a Gaussian
 * dip of radius ior_radius_deg that decays with time constant ior_decay_ms.
 * priority = saliency * (1 - ior). A constant or blank input gives an all-zero saliency map,
 * never NaN or inf. No allocation per update.
 *
 * How (Itti-Koch on the glimpse levels, see saliency.c):
 *  - per retinal level: intensity centre-surround |I - box(I)| at full level resolution;
 *    per orientation max(0, E_o - box(E_o)) of the V1 energy (v1_map_size() resolution),
 *    scaled by 1 / (its maximum over the levels + ref);
 *    motion: V1 motion energy summed over directions;
 *  - per orientation, N() statistics are gathered over all levels (each level over the ring of
 *    the visual field it serves) and the orientation channel is sum_o N(CS_o);
 *  - each channel is mapped into the world grid: a cell reads the finest level whose inner
 *    part (Chebyshev radius < 0.55 of its half-extent) holds it, blending smoothly into the
 *    next level up to 0.75; cells beyond the largest level are 0 (outside the visual field);
 *  - N'(m) = m / (max + ref_c) * (1 - mean of the other local maxima / max)^2 per channel (the
 *    ref_c term keeps near-blank maps near zero instead of blowing noise up to 1; a map whose
 *    maximum is below a fixed epsilon is exactly zero);
 *  - saliency = sum_c weight_c N'(channel_c) / sum_c weight_c (so it stays in [0, 1]).
 * Spectral residual replaces the intensity and orientation channels by the spectral residual of
 * each level (stored as the SAL_INTENSITY channel; SAL_ORIENTATION is then zero).
 */
#ifndef SACCADE_SALIENCY_H
#define SACCADE_SALIENCY_H

#include <stdint.h>

#include "retina/retina.h"
#include "v1/v1.h"

typedef enum SaliencyMethod {
    SALIENCY_ITTI = 0,
    SALIENCY_SPECTRAL_RESIDUAL,
} SaliencyMethod;

typedef enum SaliencyChannel {
    SAL_INTENSITY = 0,
    SAL_ORIENTATION,
    SAL_MOTION,
    SAL_CHANNEL_COUNT
} SaliencyChannel;

typedef struct SaliencyParams {
    SaliencyMethod method;
    int cell_px;                     /* world px per saliency cell (default 8) */
    float weight[SAL_CHANNEL_COUNT]; /* channel weights (default 1, 1, 2) */
    float ior_radius_deg;            /* Gaussian sigma of one inhibition, deg (default 1.0) */
    float ior_decay_ms;              /* exponential time constant (default 3000) */
    float ior_strength;              /* 0..1 inhibition added at a fixation centre (default 1) */
} SaliencyParams;

void saliency_params_default(SaliencyParams *p);

typedef struct Saliency Saliency;

Saliency *saliency_create(const SaliencyParams *p, const RetinaParams *rp, const V1Params *vp,
                          int world_w, int world_h);
void saliency_destroy(Saliency **s);
const SaliencyParams *saliency_params(const Saliency *s);

/* Recomputes the saliency map from the retina's current levels and V1. */
void saliency_update(Saliency *s, const Retina *r, const V1 *v);
/* Inhibition of return: decay by dt_ms, add one at a fixated world point. */
void saliency_ior_decay(Saliency *s, double dt_ms);
void saliency_ior_add(Saliency *s, float x, float y);
/* Recomputes priority = saliency * (1 - ior), clamped to >= 0. */
void saliency_priority_update(Saliency *s);

/* World-grid maps: ceil(world_w / cell_px) x ceil(world_h / cell_px); cell (i, j) covers world
 * px [i*cell, (i+1)*cell). Saliency and priority are >= 0 and finite; 0 everywhere for a blank
 * input. Maxima of saliency are normalised to at most 1. */
const Image *saliency_map(const Saliency *s);
const Image *saliency_priority(const Saliency *s);
const Image *saliency_ior(const Saliency *s);
const Image *saliency_channel(const Saliency *s, SaliencyChannel c);
/* For display: per cell, orientation centre-surround energy per orientation o (world grid),
 * and motion energy summed over directions. The per-orientation maps cost ~0.1 ms per update,
 * so they are only filled while display maps are on (off by default; the window turns them
 * on); the motion map is always filled. */
void saliency_set_display_maps(Saliency *s, int on);
const Image *saliency_orient_map(const Saliency *s, int o);
const Image *saliency_motion_map(const Saliency *s);

/* Dynamic state (IOR, and the saliency and priority maps the eye reads between updates) for
 * replay keyframes and state hashes. */
size_t saliency_state_size(const Saliency *s);
void saliency_state_save(const Saliency *s, void *buf);
void saliency_state_load(Saliency *s, const void *buf);
uint64_t saliency_state_hash(const Saliency *s);

#endif
