/* eval/canvas.h: the experiments' canvases, shared by `saccade eval` (the eye) and
 * `saccade eval rivals` (networks that read the whole canvas), so both see the same pixels.
 *
 * A canvas is a world of side canvas + 2 * CANVAS_PAD_PX + 1 px (black margin: the retina reads
 * the edge; odd: the sim's first look, at the world centre, falls on a pixel). The canvas proper
 * is the canvas x canvas square at (CANVAS_PAD_PX, CANVAS_PAD_PX). Canvas i for one seed is
 * made the way the RAM authors' published generator (DeepMind's mnist-cluttered, 2014) makes
 * one: `fragments` distractors first, each an 8x8 piece from a uniform spot of a random digit of
 * the same set, added at a uniform spot of the canvas; then digit i at a uniform position, added;
 * every sum clipped to 1. The stream depends only on (seed, i).
 */
#ifndef SACCADE_EVAL_CANVAS_H
#define SACCADE_EVAL_CANVAS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "core/image.h"

#define CANVAS_PAD_PX 36

static inline int canvas_world_side(int canvas)
{
    return canvas + 2 * CANVAS_PAD_PX + 1;
}

/* Adds a 28x28 patch (0..1) into w with its top-left at (x, y), clipped to w and at 1. */
void canvas_paste_digit(Image *w, const float *d, int x, int y);

/* Builds canvas i into w (world side, see above) from the n digits at digits (28x28 patches,
 * 0..1). Returns the digit's top-left, world px, in *tx, *ty. */
void canvas_build(Image *w, const float *digits, int n, int canvas, int fragments, uint64_t seed,
                  int i, int *tx, int *ty);

/* Wilson score interval for k successes in n trials, 95% (z = 1.96): the interval every eval
 * row prints. */
void eval_wilson(long k, long n, double *lo, double *hi);
/* The same interval as a JSON array [lo, hi] (NULL only when out of memory). */
cJSON *eval_wilson_json(long k, long n);

#endif
