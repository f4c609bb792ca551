/* retina.h: space-variant sampling around the gaze.
 *
 * Model: receptive-field (blur) size grows linearly with eccentricity E (degrees):
 *     sigma(E) = sigma0_deg * (1 + E / e2_deg)
 * and every sample the eye senses carries that blur, or the blur its grid's spacing forces if
 * that is larger (a grid of spacing 2^k px cannot carry detail finer than its pyramid level).
 * Implementation: a stack of `levels` concentric glimpse levels, each level_size x level_size
 * samples centred on the gaze; level k has a sample spacing of 2^k world px (extent
 * level_size * 2^k px) and is read from a world pyramid (the world box-filtered and decimated by
 * 2^k). A level-k sample at offset d from the gaze reads the pyramid at the fractional level
 *     max(k, level(sigma(|d|)))       (clamped to levels - 1; see below)
 * blended linearly between the two pyramid levels around it. The foveal patch (fovea_size^2
 * at 1 px spacing, the classifier's input) is the same grid as level 0's centre and reads the
 * same way: only the sample on the gaze is the world pixel itself.
 * Nothing downstream reads the world image: V1 and saliency read the levels.
 *
 * Blur to pyramid level: a world pixel is credited with pyr_sigma_px of blur (its variance
 * V_0 = pyr_sigma_px^2, default 0.5 px: the model's blur at the gaze); pyramid level k >= 1
 * read bilinearly at world points has a variance of 4^(k-1) px^2 more (box of 2^k plus the
 * bilinear tent, averaged over positions; exactly 1 px^2 for k = 1):
 *     V_k = pyr_sigma_px^2 + (k >= 1 ? 4^(k-1) : 0)
 *     level(sigma) = k + (sigma^2 - V_k) / (V_{k+1} - V_k)   for V_k <= sigma^2 < V_{k+1}
 * so that blending levels k and k+1 by the fraction gives a variance of sigma^2: the blur a
 * sample carries is the model's, measured (tests/vision/test_retina.c measures it from edge
 * responses in the first glimpse).
 *
 * Coordinates: world points are in pixel-centre coordinates (pixel (i, j) is the point (i, j),
 * as image_sample_bilinear reads them). Pyramid level k pixel (i, j) is the box average of
 * world pixels [i*2^k, (i+1)*2^k) x [j*2^k, (j+1)*2^k) (edge pixels repeated for odd sizes);
 * its centre is the world point ((i + 0.5) * 2^k - 0.5, ...).
 *
 * What the retina reports at a world point (retina_value_at, the foveated view in the window,
 * retina_foveated, and the GL shader, which receives the same parameters through
 * retina_params) is what the finest glimpse level holding the point senses there: the
 * pyramid at retina_level_at(d) = max(level(sigma(|d|)), k_cover(d)), k_cover the finest level
 * whose samples reach |d|_inf <= (level_size/2 - 1) * 2^k. Beyond about 1 deg the stack's
 * spacing, not the acuity formula, limits resolution (blur about E/30 .. E/60 px); the window
 * shows it as it is.
 */
#ifndef SACCADE_RETINA_H
#define SACCADE_RETINA_H

#include "core/image.h"

#define RETINA_MAX_LEVELS 8
/* The sampling rule's version, hashed into the sim's config (sim_config_hash): a run recorded
 * under another rule is refused by name, not found to diverge. 1: levels and fovea read their
 * own pyramid level unblurred (until 2026-12-06); 2: every sample carries the model's blur. */
#define RETINA_SAMPLING_VERSION 2

/* The foveal patch sides the stages are built for (the command line's and the run-file
 * reader's one rule; sim.h names them SIM_FOVEA_MIN/MAX). */
#define RETINA_FOVEA_MIN 8  /* px */
#define RETINA_FOVEA_MAX 64 /* px */

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
    float pyr_sigma_px; /* blur credited to a world pixel, px (default 0.5: see V_k above) */
    /* Goggles (default 0: none): RETINA_FLIP_X and/or RETINA_FLIP_Y mirror what every glimpse
     * senses about the gaze: level and fovea sample at offset d from the gaze read the world
     * at offset (-dx, dy), (dx, -dy) or -d, and retina_value_at reads the mirrored point. The
     * geometry (retina_level_geometry) is unchanged, so everything downstream (V1, saliency,
     * the eye's aim, the reader) sees the mirrored world where the unmirrored one would be. */
    int flip;
} RetinaParams;

#define RETINA_FLIP_X 1 /* left-right */
#define RETINA_FLIP_Y 2 /* up-down */

void retina_params_default(RetinaParams *p);
/* Blur (Gaussian sigma, world px) at eccentricity ecc_px from the gaze. */
float retina_sigma_px(const RetinaParams *p, float ecc_px);
/* Fractional pyramid level for a blur (see the formula above); not clamped to the levels. */
float retina_level_for_sigma(const RetinaParams *p, float sigma_px);
/* V_k above: the blur variance (px^2) credited to pyramid level k read at world points. */
float retina_level_var(const RetinaParams *p, int k);
/* The finest glimpse level whose samples reach offset (dx, dy) from the gaze (levels - 1 if
 * none). */
int retina_level_covering(const RetinaParams *p, float dx, float dy);
/* The fractional pyramid level the retina reports at offset (dx, dy) from the gaze:
 * max(level(sigma(|d|)), retina_level_covering), clamped to levels - 1. */
float retina_level_at(const RetinaParams *p, float dx, float dy);
/* The blur (sigma, px) the retina senses at offset (dx, dy): the variance of the level
 * blend at retina_level_at. Equals retina_sigma_px where the stack's spacing allows it. */
float retina_sigma_at(const RetinaParams *p, float dx, float dy);

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
/* Distinct numbers one glimpse senses with these parameters: every level's samples and the
 * fovea's, counting once the fovea samples that are also level 0's (both at 1 px spacing,
 * centred alike). */
int retina_numbers_per_glimpse(const RetinaParams *p);
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
 * pyramid read at retina_level_at. At the gaze it equals the world pixel; at a level sample
 * of the finest level holding it, it equals that sample. */
float retina_value_at(const Retina *r, float x, float y);
/* retina_value_at at n points of one row: out[i] at (xs[i], y), the same values, faster. */
void retina_values(const Retina *r, const float *xs, int n, float y, float *out);
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
