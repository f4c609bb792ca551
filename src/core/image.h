/* image.h: the one image type of saccade.
 *
 * A single-channel float image (luminance in 0..1 unless a stage says otherwise), row-major with
 * a stride in floats (>= w). Memory is 64-byte aligned and owned by whoever called
 * image_create(); kernels take caller buffers and never allocate.
 */
#ifndef SACCADE_CORE_IMAGE_H
#define SACCADE_CORE_IMAGE_H

#include <stddef.h>

typedef struct Image {
    float *px;  /* w x h floats, row r at px + r * stride */
    int w, h;   /* pixels */
    int stride; /* floats between rows */
} Image;

/* Largest image side accepted anywhere (world images, --size). */
#define IMAGE_MAX_SIDE 8192

/* Allocates a zeroed w x h image (stride rounded up to 16 floats). Returns 0, or -1 with
 * sc_last_error() set for a bad size or failed allocation. */
int image_create(Image *img, int w, int h);
/* Frees the pixels and zeroes *img. Safe on a zeroed image. */
void image_destroy(Image *img);

static inline float *image_row(const Image *img, int y)
{
    return img->px + (size_t)y * img->stride;
}
static inline float image_at(const Image *img, int x, int y)
{
    return img->px[(size_t)y * img->stride + x];
}

void image_fill(Image *img, float v);
/* Copies the overlapping region of src into dst (same sizes expected). */
void image_copy(Image *dst, const Image *src);
/* Bilinear sample at (x, y) in pixel-centre coordinates; outside the image, clamps to the edge. */
float image_sample_bilinear(const Image *img, float x, float y);
/* The same, inlined for per-sample loops (the same arithmetic: the same values). */
static inline float image_sample_bilinear_inline(const Image *img, float x, float y)
{
    if (!(x == x) || !(y == y)) /* NaN guard */
        return 0.0f;
    float fx = x < 0 ? 0 : (x > img->w - 1 ? (float)(img->w - 1) : x);
    float fy = y < 0 ? 0 : (y > img->h - 1 ? (float)(img->h - 1) : y);
    int x0 = (int)fx, y0 = (int)fy;
    int x1 = x0 + 1 < img->w ? x0 + 1 : x0;
    int y1 = y0 + 1 < img->h ? y0 + 1 : y0;
    float ax = fx - (float)x0, ay = fy - (float)y0;
    const float *r0 = image_row(img, y0), *r1 = image_row(img, y1);
    float top = r0[x0] + ax * (r0[x1] - r0[x0]);
    float bot = r1[x0] + ax * (r1[x1] - r1[x0]);
    return top + ay * (bot - top);
}
/* 64-bit hash of the pixel values (rows only, not padding). */
unsigned long long image_hash(const Image *img);

#endif
