/* retina.h: space-variant sampling around the gaze.
 *
 * Model: receptive-field (blur) size grows linearly with eccentricity E (degrees):
 *     sigma(E) = sigma0_deg * (1 + E / e2_deg)
 * Implementation: a stack of `levels` concentric glimpse levels, each level_size x level_size
 * samples centred on the gaze; level k has a sample spacing of 2^k world px (extent
 * level_size * 2^k px) and is read from a world pyramid (the world box-filtered and decimated by
 * 2^k), so its blur grows with k. Level 0 is the world at full resolution. The foveal patch
 * (fovea_size^2 at 1 px spacing, the classifier's input) is cut from level 0.
 * Nothing downstream reads the world image: V1 and saliency read the levels.
 *
 * Coordinates: world points are in pixel-centre coordinates (pixel (i, j) is the point (i, j),
 * as image_sample_bilinear reads them). Pyramid level k pixel (i, j) is the box average of
 * world pixels [i*2^k, (i+1)*2^k) x [j*2^k, (j+1)*2^k) (edge pixels repeated for odd sizes);
 * its centre is the world point ((i + 0.5) * 2^k - 0.5, ...).
 *
 * retina_foveated() renders the display view of the same model (per pixel, the blur chosen
 * by eccentricity, blended between pyramid levels); the GL shader receives the same
 * parameters through retina_params and must use the same mapping from blur to pyramid level:
 *     sigma_px(E)  = px_per_deg * sigma0_deg * (1 + E_px / (px_per_deg * e2_deg))
 *     level(sigma) = log2(max(1, sigma_px / pyr_sigma_px))       (fractional, clamped to
 *                    [0, levels-1]; the value blends floor(level) and floor(level)+1 linearly)
 * Pyramid level k read bilinearly has an effective Gaussian blur of about 2^(k-1) px (box of
 * 2^k plus the bilinear tent: sqrt(4^k/12 + 4^k/6) = 2^k/2), hence pyr_sigma_px = 0.5.
 * The default sigma0_deg (0.5 px / 32 px per deg) makes the blur at the gaze exactly level 0:
 * retina_value_at(gaze) is the world pixel, bit for bit.
 * What V1 and saliency see is the glimpse stack: a point at Chebyshev distance E px is read
 * from the finest level whose inner 0.7..0.9 of its half-extent (32 * 2^k px) holds it, so its
 * blur (2^(k-1) px) is between E/60 and E/30 px, about E/40: the formula with e2 ~ 0.6 deg
 * (close to the cortical-magnification constant); with the default e2 = 2 deg (acuity
 * fall-off) the displayed foveated view is ~1.7 octaves sharper than the glimpses in the far
 * periphery.
 */
#ifndef SACCADE_RETINA_H
#define SACCADE_RETINA_H

#include "core/image.h"

#define RETINA_MAX_LEVELS 8

typedef struct RetinaParams {
    float px_per_deg;    /* world px per degree of visual angle (default 32) */
    int level_size;      /* samples per side of each glimpse level (default 64) */
    int levels;          /* number of glimpse levels (default 6: extents 64..2048 px) */
    int fovea_size;      /* foveal patch side, px (default 28) */
    float sigma0_deg;    /* blur at the fovea, deg (default 1/64 = 0.5 px at 32 px/deg) */
    float e2_deg;        /* eccentricity at which blur doubles, deg (default 2) */
    int cortical_rings;  /* log-polar view: rings (eccentricity, log-spaced) */
    int cortical_wedges; /* log-polar view: wedges (polar angle) */
    float cortical_min_deg, cortical_max_deg; /* eccentricity range of the log-polar view
                                                 (default 0.25 .. 20 deg; 64 rings x 128 wedges) */
    float pyr_sigma_px; /* blur credited to pyramid level 1 is 2 * this (default 0.5 px) */
} RetinaParams;

void retina_params_default(RetinaParams *p);
/* Blur (Gaussian sigma, world px) at eccentricity ecc_px from the gaze. */
float retina_sigma_px(const RetinaParams *p, float ecc_px);
/* Fractional pyramid level for a blur (see the formula above); not clamped to the levels. */
float retina_level_for_sigma(const RetinaParams *p, float sigma_px);

typedef struct Retina Retina;

Retina *retina_create(const RetinaParams *p, int world_w, int world_h);
void retina_destroy(Retina **r);
const RetinaParams *retina_params(const Retina *r);

/* Updates the internal world pyramid for the changed half-open region [x0,x1) x [y0,y1) (an
 * empty region changes nothing; x1 < 0 or y1 < 0 means the whole world). Call once after scene
 * creation and after each scene_step that reports a dirty region. No allocation.
 * Pyramid level 0 IS `world` (not copied, to save a 3.7 MB copy per tick): the image must stay
 * alive and at the same size while the retina uses it; levels 1.. are owned by the retina. */
void retina_world_changed(Retina *r, const Image *world, int x0, int y0, int x1, int y1);

/* Samples all levels and the fovea around the gaze (world px, may be fractional and anywhere;
 * outside the world reads the edge). No allocation. */
void retina_sample(Retina *r, float gaze_x, float gaze_y);

int retina_level_count(const Retina *r);
/* Level k image (level_size^2), sample (i, j) at world
 *   x = gaze_x + (i - level_size/2) * 2^k, likewise y (integer division: sample
 *   (level_size/2, level_size/2) sits exactly on the gaze; with an integer gaze, level 0
 *   samples are world pixels, not interpolations). Read bilinearly from pyramid level k. */
const Image *retina_level(const Retina *r, int k);
/* World position of sample (0, 0) of level k and the sample spacing (2^k px) for the last gaze. */
void retina_level_geometry(const Retina *r, int k, float *x0, float *y0, float *spacing_px);
/* Foveal patch (fovea_size^2, 1 px spacing, centred on the gaze like level 0: sample
 * (fovea_size/2, fovea_size/2) is the gaze). Contiguous: stride == fovea_size, so px is a
 * plain row-major fovea_size^2 array (the classifier's input). */
const Image *retina_fovea(const Retina *r);
/* Gaze used by the last retina_sample(). */
void retina_gaze(const Retina *r, float *x, float *y);
/* Pyramid level k of the world (world size / 2^k). For the GL upload and tests. Level 0 is the
 * world image last passed to retina_world_changed() (px NULL before the first call; until then
 * the levels and the fovea are zero and retina_value_at() returns 0). */
const Image *retina_pyramid(const Retina *r, int k);

/* Retinal value at a world point (what the retina reports there given the last gaze): the
 * pyramid read at the blur of that eccentricity. At the gaze it equals the world pixel. */
float retina_value_at(const Retina *r, float x, float y);
/* Fills dst (any size, covering the world scaled to dst) with the foveated view for the last
 * gaze. Display/test path, not per tick. */
void retina_foveated(const Retina *r, Image *dst);
/* Fills dst (cortical_wedges wide x cortical_rings high) with the log-polar view of
 * retina_value_at: column c is polar angle theta = 2 pi (c + 0.5) / wedges, measured from +x
 * towards -y (counter-clockwise on screen, since world y points down); row r is eccentricity
 * min * (max/min)^((r + 0.5) / rings) deg. Rotating the world by one wedge's angle
 * counter-clockwise about the gaze shifts the view by one column to the right. */
void retina_cortical(const Retina *r, Image *dst);

#endif
