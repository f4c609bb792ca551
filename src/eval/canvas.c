/* eval/canvas.c: the experiments' canvases (see canvas.h). */
#include "eval/canvas.h"

#include <math.h>

#include "core/rng.h"
#include "data/dataset.h"

/* Adds v to the pixel and clips at 1 (the generator's "add, then clip to [0, 1]"). */
static inline void add_clip(float *p, float v)
{
    float s = *p + v;
    *p = s > 1.0f ? 1.0f : s;
}

/* Adds a 28x28 patch with its top-left at (x, y), clipped to the image and at 1. */
void canvas_paste_digit(Image *w, const float *d, int x, int y)
{
    for (int j = 0; j < DATASET_SIDE; j++)
        for (int i = 0; i < DATASET_SIDE; i++) {
            int tx = x + i, ty = y + j;
            if (tx >= 0 && ty >= 0 && tx < w->w && ty < w->h)
                add_clip(image_row(w, ty) + tx, d[j * DATASET_SIDE + i]);
        }
}

/* One distractor: an 8x8 piece of a random digit of the set (any digit, as the generator picks
 * them), from a uniform spot of its 28x28 patch, added at a uniform spot of the canvas. */
static void paste_fragment(Image *w, const float *digits, int n, Rng *r, int cx0, int cy0, int side)
{
    const float *d = digits + (size_t)rng_below(r, (uint32_t)n) * DATASET_PATCH_N;
    int x = cx0 + (int)rng_below(r, (uint32_t)(side - 8 + 1));
    int y = cy0 + (int)rng_below(r, (uint32_t)(side - 8 + 1));
    int fx = (int)rng_below(r, DATASET_SIDE - 8 + 1);
    int fy = (int)rng_below(r, DATASET_SIDE - 8 + 1);
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 8; i++)
            add_clip(image_row(w, y + j) + x + i, d[(fy + j) * DATASET_SIDE + fx + i]);
}

void canvas_build(Image *w, const float *digits, int n, int canvas, int fragments, uint64_t seed,
                  int i, int *tx, int *ty)
{
    Rng base, r;
    rng_seed(&base, seed);
    rng_fork(&base, (uint64_t)i, &r);
    image_fill(w, 0);
    for (int f = 0; f < fragments; f++)
        paste_fragment(w, digits, n, &r, CANVAS_PAD_PX, CANVAS_PAD_PX, canvas);
    *tx = CANVAS_PAD_PX + (int)rng_below(&r, (uint32_t)(canvas - DATASET_SIDE + 1));
    *ty = CANVAS_PAD_PX + (int)rng_below(&r, (uint32_t)(canvas - DATASET_SIDE + 1));
    canvas_paste_digit(w, digits + (size_t)i * DATASET_PATCH_N, *tx, *ty);
}

void eval_wilson(long k, long n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    const double z = 1.959963984540054;
    double p = (double)k / (double)n, z2 = z * z / (double)n;
    double c = (p + z2 / 2) / (1 + z2);
    double h = z * sqrt(p * (1 - p) / (double)n + z2 / (4 * (double)n)) / (1 + z2);
    *lo = fmax(0.0, c - h);
    *hi = fmin(1.0, c + h);
}

cJSON *eval_wilson_json(long k, long n)
{
    double lo, hi;
    eval_wilson(k, n, &lo, &hi);
    cJSON *a = cJSON_CreateArray();
    if (a) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber(lo));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(hi));
    }
    return a;
}
