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
 *  - per retinal level k: intensity centre-surround |box_c(I) - box_s(I)| at full level
 *    resolution, the centre an object core (~13 px box where the level resolves it, else the
 *    sample itself) and the surround 3x wider (at least 9 samples): whole digits beat
 *    small bright fragments at every eccentricity;
 *    per orientation max(0, E_o - box7(E_o)) of the V1 energy (v1_map_size() resolution),
 *    scaled by 1 / (its maximum over all levels + ref), summed over o: orientation channel;
 *    motion channel: v1_motion_total();
 *  - Itti's N() per channel, with its statistics (maximum, mean of the other local maxima)
 *    gathered over all levels, each level over the ring of the field it serves:
 *    N(m) = m / max * (1 - mean of the other local maxima / max)^2; a channel whose maximum is
 *    below a fixed epsilon is exactly 0 (float noise of a constant input);
 *  - weighted sum per level, each channel also weighted by its contrast gain max/(max + ref_c)
 *    (so a near-blank channel stays near zero instead of having its noise blown up to 1);
 *  - into the world grid: a cell reads the finest level whose inner part (Chebyshev radius
 *    < 0.7 of its half-extent) holds it, blending smoothly into the next level up to 0.9
 *    (bicubic reads, so coarse-level peaks can fall between samples); cells beyond the largest
 *    level are 0 (outside the visual field);
 *  - the map is scaled so its maximum equals the largest contrast gain of a contributing
 *    channel: near 1 for a clear scene, low for a faint one, exactly 0 for a blank one.
 * Spectral residual replaces the intensity and orientation channels by the spectral residual
 * of each level (Hou & Zhang on the 64x64 level, scaled to the level's variance, tent
 * smoothed; stored as the SAL_INTENSITY channel; SAL_ORIENTATION is then zero). It marks the
 * outline rather than the centre of an object that fills most of a level.
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

/* The inhibition-of-return parameters a user or a run file may set: (0, max]. */
#define SALIENCY_IOR_RADIUS_MAX_DEG 20.0f
#define SALIENCY_IOR_DECAY_MAX_MS 600000.0f

typedef struct SaliencyParams {
    SaliencyMethod method;
    int cell_px;                     /* world px per saliency cell (default 8) */
    float weight[SAL_CHANNEL_COUNT]; /* channel weights (default 1, 1, 2) */
    float ior_radius_deg;            /* Gaussian sigma of one inhibition, deg (default 0.3: about
                                      * half a digit; chosen on validation canvases, where 1.0
                                      * inhibited the digit next to a fixated fragment) */
    float ior_decay_ms;              /* exponential time constant (default 6000) */
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
/* Object-based inhibition (sim/sim_objects.h): after saliency_priority_update, multiplies the
 * priority by 1 - min(1, depth * exp(-d^2 / (2 sigma^2))) around the world point (x, y), d and
 * sigma in px, within 3 sigma. Not state: the next saliency_priority_update starts afresh. */
void saliency_inhibit_object(Saliency *s, float x, float y, float sigma_px, float depth);
/* The saliency peak an object near (x, y) world px makes: over the cells within reach_px,
 * the cell of the largest saliency * exp(-d^2 / (2 (reach_px / 2)^2)); when its saliency is at
 * least min_saliency, returns 1 and the saliency-weighted centre of its 3x3 neighbourhood in
 * world px, else 0. */
int saliency_peak_near(const Saliency *s, float x, float y, float reach_px, float min_saliency,
                       float *px, float *py);

/* World-grid maps: ceil(world_w / cell_px) x ceil(world_h / cell_px); cell (i, j) covers world
 * px [i*cell, (i+1)*cell) (its centre is the world point ((i + 0.5) * cell - 0.5, ...)).
 * Saliency and priority are in [0, 1] and finite; 0 everywhere for a blank input.
 * saliency_channel() (each channel after N(), in [0, 1]) is a display map (see below). */
const Image *saliency_map(const Saliency *s);
const Image *saliency_priority(const Saliency *s);
const Image *saliency_ior(const Saliency *s);
const Image *saliency_channel(const Saliency *s, SaliencyChannel c);
/* For display: per cell, orientation centre-surround energy per orientation o (world grid),
 * and motion energy summed over directions (raw V1 units). These and saliency_channel() cost
 * ~0.1 ms, so they are a cache filled from the last update on first access (no allocation;
 * the saliency state is unchanged). saliency_set_display_maps(s, 1) fills them during every
 * saliency_update instead (default off). */
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
