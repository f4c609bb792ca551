#include "core/image.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"

int image_create(Image *img, int w, int h)
{
    memset(img, 0, sizeof(*img));
    if (w <= 0 || h <= 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
        sc_set_error("image size %dx%d out of range (1..%d per side)", w, h, IMAGE_MAX_SIDE);
        return -1;
    }
    int stride = (w + 15) & ~15;
    size_t bytes = (size_t)stride * (size_t)h * sizeof(float);
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes) != 0) {
        sc_set_error("out of memory for a %dx%d image", w, h);
        return -1;
    }
    memset(p, 0, bytes);
    img->px = p;
    img->w = w;
    img->h = h;
    img->stride = stride;
    return 0;
}

void image_destroy(Image *img)
{
    if (!img)
        return;
    free(img->px);
    memset(img, 0, sizeof(*img));
}

void image_fill(Image *img, float v)
{
    for (int y = 0; y < img->h; y++) {
        float *r = image_row(img, y);
        for (int x = 0; x < img->w; x++)
            r[x] = v;
    }
}

void image_copy(Image *dst, const Image *src)
{
    int w = dst->w < src->w ? dst->w : src->w;
    int h = dst->h < src->h ? dst->h : src->h;
    for (int y = 0; y < h; y++)
        memcpy(image_row(dst, y), image_row(src, y), (size_t)w * sizeof(float));
}

float image_sample_bilinear(const Image *img, float x, float y)
{
    return image_sample_bilinear_inline(img, x, y);
}

unsigned long long image_hash(const Image *img)
{
    uint64_t h = hash64_init();
    for (int y = 0; y < img->h; y++)
        h = hash64_update(h, image_row(img, y), (size_t)img->w * sizeof(float));
    return h;
}
