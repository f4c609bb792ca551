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
 * retina_foveated() renders the display view of the same model (per pixel, the blur chosen
 * by eccentricity, blended between pyramid levels); the GL shader receives the same
 * parameters through retina_params and is checked against it in a test.
 */
#ifndef SACCADE_RETINA_H
#define SACCADE_RETINA_H

#include "core/image.h"

#define RETINA_MAX_LEVELS 8

typedef struct RetinaParams {
    float px_per_deg;   /* world px per degree of visual angle (default 32) */
    int level_size;     /* samples per side of each glimpse level (default 64) */
    int levels;         /* number of glimpse levels (default 6: extents 64..2048 px) */
    int fovea_size;     /* foveal patch side, px (default 28) */
    float sigma0_deg;   /* blur at the fovea, deg */
    float e2_deg;       /* eccentricity at which blur doubles, deg (default 2) */
    int cortical_rings; /* log-polar view: rings (eccentricity, log-spaced) */
    int cortical_wedges;/* log-polar view: wedges (polar angle) */
    float cortical_min_deg, cortical_max_deg; /* eccentricity range of the log-polar view */
} RetinaParams;

void retina_params_default(RetinaParams *p);
/* Blur (Gaussian sigma, world px) at eccentricity ecc_px from the gaze. */
float retina_sigma_px(const RetinaParams *p, float ecc_px);

typedef struct Retina Retina;

Retina *retina_create(const RetinaParams *p, int world_w, int world_h);
void retina_destroy(Retina **r);
const RetinaParams *retina_params(const Retina *r);

/* Updates the internal world pyramid for the changed region (NULL rect = all). Call once after
 * scene creation and after each scene_step that reports a dirty region. No allocation. */
void retina_world_changed(Retina *r, const Image *world, int x0, int y0, int x1, int y1);

/* Samples all levels and the fovea around the gaze (world px, may be fractional and anywhere;
 * outside the world reads the edge). No allocation. */
void retina_sample(Retina *r, float gaze_x, float gaze_y);

int retina_level_count(const Retina *r);
/* Level k image (level_size^2), sample (i, j) at world
 *   x = gaze_x + (i - (level_size-1)/2) * 2^k, likewise y. */
const Image *retina_level(const Retina *r, int k);
/* Foveal patch (fovea_size^2, 1 px spacing, centred on the gaze like level 0). */
const Image *retina_fovea(const Retina *r);
/* Gaze used by the last retina_sample(). */
void retina_gaze(const Retina *r, float *x, float *y);
/* Pyramid level k of the world (world size / 2^k). For the GL upload and tests. */
const Image *retina_pyramid(const Retina *r, int k);

/* Retinal value at a world point (what the retina reports there given the last gaze): the
 * pyramid read at the blur of that eccentricity. At the gaze it equals the world pixel. */
float retina_value_at(const Retina *r, float x, float y);
/* Fills dst (any size, covering the world scaled to dst) with the foveated view for the last
 * gaze. Display/test path, not per tick. */
void retina_foveated(const Retina *r, Image *dst);
/* Fills dst (cortical_wedges wide x cortical_rings high) with the log-polar view: column =
 * polar angle (0 at +x, counter-clockwise... see retina.c), row = log eccentricity. */
void retina_cortical(const Retina *r, Image *dst);

#endif
