/* retina.c: world pyramid, glimpse levels, foveal patch, foveated and log-polar views. */
#include "retina/retina.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* The samples of one grid (a level or the fovea) that the model blurs beyond the grid's own
 * pyramid level: their index in the grid, their offset from the gaze (world px) and the
 * fractional pyramid level they read (retina_level_for_sigma of the model's blur there). */
typedef struct BlurList {
    int n;
    int *idx;
    float *dx, *dy, *lv;
} BlurList;

struct Retina {
    RetinaParams p;
    int world_w, world_h;
    Image pyr[RETINA_MAX_LEVELS]; /* pyr[0] aliases the world (px NULL before the first call) */
    Image level[RETINA_MAX_LEVELS];
    Image fovea;
    BlurList blur[RETINA_MAX_LEVELS], fovea_blur;
    float gaze_x, gaze_y;
};

void retina_params_default(RetinaParams *p)
{
    memset(p, 0, sizeof(*p));
    p->px_per_deg = 32.0f;
    p->level_size = 64;
    p->levels = 6;
    p->fovea_size = 28;
    p->sigma0_deg = 1.0f / 64.0f;
    p->e2_deg = 2.0f;
    p->cortical_rings = 64;
    p->cortical_wedges = 128;
    p->cortical_min_deg = 0.25f;
    p->cortical_max_deg = 20.0f;
    p->pyr_sigma_px = 0.5f;
}

/* The model's arithmetic as static inlines (the exported functions below wrap them), so the
 * per-sample paths (retina_value_at, retina_values) inline it whole: the same values. */
static inline float sigma_px(const RetinaParams *p, float ecc_px)
{
    float e2_px = p->px_per_deg * p->e2_deg;
    return p->px_per_deg * p->sigma0_deg * (1.0f + ecc_px / e2_px);
}

static inline float level_var(const RetinaParams *p, int k)
{
    float s0 = p->pyr_sigma_px;
    /* 4^(k-1), exact: a shift while it fits, ldexpf beyond */
    float q = k <= 0 ? 0.0f : k <= 16 ? (float)(1ull << (2 * (k - 1))) : ldexpf(1.0f, 2 * (k - 1));
    return s0 * s0 + q;
}

static inline float level_for_sigma(const RetinaParams *p, float sigma)
{
    float v = sigma * sigma;
    if (!(v > level_var(p, 0))) /* also NaN */
        return 0.0f;
    for (int k = 0; k < 30; k++) {
        float a = level_var(p, k), b = level_var(p, k + 1);
        if (v < b)
            return (float)k + (v - a) / (b - a);
    }
    return 30.0f;
}

static inline int level_covering(const RetinaParams *p, float dx, float dy)
{
    /* fmaxf's value (a NaN loses), without its call */
    float ax = fabsf(dx), ay = fabsf(dy), m = ax > ay || ay != ay ? ax : ay;
    float half = (float)(p->level_size / 2 - 1);
    int k = 0;
    while (k < p->levels - 1 && !(m <= half * (float)(1 << k)))
        k++;
    return k;
}

static inline float level_at(const RetinaParams *p, float dx, float dy)
{
    float lv = level_for_sigma(p, sigma_px(p, sqrtf(dx * dx + dy * dy)));
    float floor_k = (float)level_covering(p, dx, dy), top = (float)(p->levels - 1);
    lv = lv > floor_k ? lv : floor_k;
    return lv < top ? lv : top;
}

float retina_sigma_px(const RetinaParams *p, float ecc_px)
{
    return sigma_px(p, ecc_px);
}

float retina_level_var(const RetinaParams *p, int k)
{
    return level_var(p, k);
}

float retina_level_for_sigma(const RetinaParams *p, float sigma_px)
{
    return level_for_sigma(p, sigma_px);
}

int retina_level_covering(const RetinaParams *p, float dx, float dy)
{
    return level_covering(p, dx, dy);
}

float retina_sigma_at(const RetinaParams *p, float dx, float dy)
{
    float lv = level_at(p, dx, dy);
    int k = (int)lv;
    float f = lv - (float)k, a = level_var(p, k), b = level_var(p, k + 1);
    return sqrtf(a + f * (b - a));
}

float retina_level_at(const RetinaParams *p, float dx, float dy)
{
    return level_at(p, dx, dy);
}

static int params_valid(const RetinaParams *p)
{
    if (!(p->px_per_deg > 0.0f && p->px_per_deg < 1e4f))
        return 0;
    if (p->level_size < 8 || p->level_size > 1024 || (p->level_size & 1))
        return 0;
    if (p->levels < 1 || p->levels > RETINA_MAX_LEVELS)
        return 0;
    if (p->flip < 0 || p->flip > (RETINA_FLIP_X | RETINA_FLIP_Y))
        return 0;
    if (p->fovea_size < 2 || p->fovea_size > 1024)
        return 0;
    if (!(p->sigma0_deg >= 0.0f) || !(p->e2_deg > 0.0f) || !(p->pyr_sigma_px > 0.0f))
        return 0;
    if (p->cortical_rings < 1 || p->cortical_wedges < 1 || p->cortical_rings > 4096 ||
        p->cortical_wedges > 4096)
        return 0;
    if (!(p->cortical_min_deg > 0.0f) || !(p->cortical_max_deg > p->cortical_min_deg))
        return 0;
    return 1;
}

static void blur_list_free(BlurList *b)
{
    free(b->idx);
    free(b->dx);
    free(b->dy);
    free(b->lv);
    memset(b, 0, sizeof(*b));
}

/* The samples of an n x n grid at spacing 2^k, centred on the gaze like the levels, whose
 * model blur needs a coarser pyramid level than k (clamped to the top level). */
static int blur_list_build(BlurList *b, const RetinaParams *p, int k, int n)
{
    memset(b, 0, sizeof(*b));
    size_t cap = (size_t)n * (size_t)n;
    b->idx = malloc(cap * sizeof(int));
    b->dx = malloc(cap * sizeof(float));
    b->dy = malloc(cap * sizeof(float));
    b->lv = malloc(cap * sizeof(float));
    if (!b->idx || !b->dx || !b->dy || !b->lv) {
        blur_list_free(b);
        sc_set_error("retina: out of memory");
        return -1;
    }
    const float s = (float)(1 << k), top = (float)(p->levels - 1);
    const int c = n / 2;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            float dx = (float)(i - c) * s, dy = (float)(j - c) * s;
            float lv = retina_level_for_sigma(p, retina_sigma_px(p, sqrtf(dx * dx + dy * dy)));
            lv = lv < top ? lv : top;
            if (lv > (float)k) {
                b->idx[b->n] = j * n + i;
                b->dx[b->n] = dx;
                b->dy[b->n] = dy;
                b->lv[b->n] = lv;
                b->n++;
            }
        }
    return 0;
}

Retina *retina_create(const RetinaParams *p, int world_w, int world_h)
{
    if (!params_valid(p)) {
        sc_set_error("retina: invalid parameters");
        return NULL;
    }
    Retina *r = calloc(1, sizeof(*r));
    if (!r) {
        sc_set_error("retina: out of memory");
        return NULL;
    }
    r->p = *p;
    r->world_w = world_w;
    r->world_h = world_h;
    if (world_w <= 0 || world_h <= 0 || world_w > IMAGE_MAX_SIDE || world_h > IMAGE_MAX_SIDE) {
        sc_set_error("retina: world size %dx%d out of range", world_w, world_h);
        goto fail;
    }
    /* pyr[0] stays empty until retina_world_changed() hands over the world (no 3.7 MB copy,
     * and no page faults for a placeholder at start-up) */
    r->pyr[0].w = world_w;
    r->pyr[0].h = world_h;
    int w = world_w, h = world_h;
    for (int k = 1; k < p->levels; k++) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        if (image_create(&r->pyr[k], w, h) < 0)
            goto fail;
    }
    for (int k = 0; k < p->levels; k++)
        if (image_create(&r->level[k], p->level_size, p->level_size) < 0)
            goto fail;
    /* The fovea is contiguous (stride == fovea_size) so that its px can be handed to the
     * classifier as a plain fovea_size^2 array. */
    {
        void *mem = NULL;
        size_t bytes = sizeof(float) * (size_t)p->fovea_size * p->fovea_size;
        if (posix_memalign(&mem, 64, bytes) != 0) {
            sc_set_error("retina: out of memory");
            goto fail;
        }
        memset(mem, 0, bytes);
        r->fovea.px = mem;
        r->fovea.w = r->fovea.h = r->fovea.stride = p->fovea_size;
    }
    for (int k = 0; k < p->levels; k++)
        if (blur_list_build(&r->blur[k], p, k, p->level_size) < 0)
            goto fail;
    if (blur_list_build(&r->fovea_blur, p, 0, p->fovea_size) < 0)
        goto fail;
    r->gaze_x = (float)(world_w / 2);
    r->gaze_y = (float)(world_h / 2);
    return r;
fail:
    retina_destroy(&r);
    return NULL;
}

void retina_destroy(Retina **rp)
{
    if (!rp || !*rp)
        return;
    Retina *r = *rp;
    for (int k = 1; k < RETINA_MAX_LEVELS; k++)
        image_destroy(&r->pyr[k]);
    for (int k = 0; k < RETINA_MAX_LEVELS; k++) {
        image_destroy(&r->level[k]);
        blur_list_free(&r->blur[k]);
    }
    blur_list_free(&r->fovea_blur);
    image_destroy(&r->fovea);
    free(r);
    *rp = NULL;
}

const RetinaParams *retina_params(const Retina *r)
{
    return &r->p;
}

/* dst[x0..x1) x [y0..y1) = 2x2 box average of src (edge pixel repeated for odd sizes). The sum
 * is pairwise so that a constant image stays exactly constant. */
static void downsample_rect(Image *dst, const Image *src, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; y++) {
        int sy0 = 2 * y, sy1 = 2 * y + 1 < src->h ? 2 * y + 1 : src->h - 1;
        const float *a = image_row(src, sy0), *b = image_row(src, sy1);
        float *d = image_row(dst, y);
        int xe = x1;
        if (2 * xe > src->w) /* last column may need the clamp */
            xe = src->w / 2;
        for (int x = x0; x < xe; x++)
            d[x] = ((a[2 * x] + a[2 * x + 1]) + (b[2 * x] + b[2 * x + 1])) * 0.25f;
        for (int x = xe > x0 ? xe : x0; x < x1; x++) {
            int sx0 = 2 * x, sx1 = 2 * x + 1 < src->w ? 2 * x + 1 : src->w - 1;
            d[x] = ((a[sx0] + a[sx1]) + (b[sx0] + b[sx1])) * 0.25f;
        }
    }
}

void retina_world_changed(Retina *r, const Image *world, int x0, int y0, int x1, int y1)
{
    if (!world || world->w != r->world_w || world->h != r->world_h || !world->px)
        return;
    r->pyr[0] = *world;
    if (x1 < 0 || y1 < 0) {
        x0 = 0;
        y0 = 0;
        x1 = world->w;
        y1 = world->h;
    }
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > world->w)
        x1 = world->w;
    if (y1 > world->h)
        y1 = world->h;
    for (int k = 1; k < r->p.levels; k++) {
        if (x0 >= x1 || y0 >= y1)
            return;
        x0 >>= 1;
        y0 >>= 1;
        x1 = (x1 + 1) >> 1;
        y1 = (y1 + 1) >> 1;
        downsample_rect(&r->pyr[k], &r->pyr[k - 1], x0, y0, x1, y1);
    }
}

static float sanitize_coord(float v, int extent)
{
    if (!(v == v))
        return 0.0f;
    float lim = 4.0f * (float)extent + 4096.0f;
    return v < -lim ? -lim : (v > lim ? lim : v);
}

/* dst(i, j) = src bilinear at (u0 + i, v0 + j) with edge clamping. The fractional offsets are
 * the same for every sample, so the weights are computed once. */
static void sample_grid(Image *dst, const Image *src, float u0, float v0, int flip, int c)
{
    /* flip (RETINA_FLIP_X/_Y): sample i reads the source at u0 + 2c - i (the mirror image
     * about sample c, which sits on the gaze): an integer shift, so the weights are the same */
    const int fx = flip & RETINA_FLIP_X, fy = flip & RETINA_FLIP_Y;
    enum { MAXN = 1024 };
    int xa[MAXN], xb[MAXN];
    float fu = floorf(u0), fv = floorf(v0);
    float ax = u0 - fu, ay = v0 - fv;
    int iu = (int)fu, iv = (int)fv;
    int n = dst->w;
    for (int i = 0; i < n; i++) {
        int a = iu + (fx ? 2 * c - i : i), b = a + 1;
        xa[i] = a < 0 ? 0 : (a >= src->w ? src->w - 1 : a);
        xb[i] = b < 0 ? 0 : (b >= src->w ? src->w - 1 : b);
    }
    for (int j = 0; j < dst->h; j++) {
        int a = iv + (fy ? 2 * c - j : j), b = a + 1;
        a = a < 0 ? 0 : (a >= src->h ? src->h - 1 : a);
        b = b < 0 ? 0 : (b >= src->h ? src->h - 1 : b);
        const float *r0 = image_row(src, a), *r1 = image_row(src, b);
        float *d = image_row(dst, j);
        for (int i = 0; i < n; i++) {
            float t = r0[xa[i]] + ax * (r0[xb[i]] - r0[xa[i]]);
            float bo = r1[xa[i]] + ax * (r1[xb[i]] - r1[xa[i]]);
            d[i] = t + ay * (bo - t);
        }
    }
}

static inline float pyramid_read(const Retina *r, int k, float x, float y);

/* Re-reads the samples of a grid (base level k) that the model blurs more than the grid's own
 * pyramid level: blended between the two pyramid levels around the model's level. */
static void apply_blur(const Retina *r, Image *dst, const BlurList *b, int k)
{
    float *px = dst->px;
    for (int t = 0; t < b->n; t++) {
        float x = r->gaze_x + (r->p.flip & RETINA_FLIP_X ? -b->dx[t] : b->dx[t]);
        float y = r->gaze_y + (r->p.flip & RETINA_FLIP_Y ? -b->dy[t] : b->dy[t]);
        int kf = (int)b->lv[t];
        float f = b->lv[t] - (float)kf;
        int i = b->idx[t] % dst->w, j = b->idx[t] / dst->w;
        float a = kf == k ? px[(size_t)j * dst->stride + i] : pyramid_read(r, kf, x, y);
        if (f > 0.0f && kf + 1 < r->p.levels)
            a += f * (pyramid_read(r, kf + 1, x, y) - a);
        px[(size_t)j * dst->stride + i] = a;
    }
}

void retina_sample(Retina *r, float gaze_x, float gaze_y)
{
    gaze_x = sanitize_coord(gaze_x, r->world_w);
    gaze_y = sanitize_coord(gaze_y, r->world_h);
    r->gaze_x = gaze_x;
    r->gaze_y = gaze_y;
    if (!r->pyr[0].px)
        return; /* no world yet: the levels stay as they are (zeros) */
    int c = r->p.level_size / 2;
    for (int k = 0; k < r->p.levels; k++) {
        float s = (float)(1 << k);
        float u0 = (gaze_x + 0.5f) / s - 0.5f - (float)c;
        float v0 = (gaze_y + 0.5f) / s - 0.5f - (float)c;
        sample_grid(&r->level[k], &r->pyr[k], u0, v0, r->p.flip, c);
        apply_blur(r, &r->level[k], &r->blur[k], k);
    }
    int fc = r->p.fovea_size / 2;
    sample_grid(&r->fovea, &r->pyr[0], gaze_x - (float)fc, gaze_y - (float)fc, r->p.flip, fc);
    apply_blur(r, &r->fovea, &r->fovea_blur, 0);
}

int retina_numbers_per_glimpse(const RetinaParams *p)
{
    int n = p->levels * p->level_size * p->level_size + p->fovea_size * p->fovea_size;
    int both = p->fovea_size < p->level_size ? p->fovea_size : p->level_size;
    return n - both * both;
}

int retina_level_count(const Retina *r)
{
    return r->p.levels;
}

const Image *retina_level(const Retina *r, int k)
{
    if (k < 0 || k >= r->p.levels)
        return NULL;
    return &r->level[k];
}

void retina_level_geometry(const Retina *r, int k, float *x0, float *y0, float *spacing_px)
{
    float s = (float)(1 << (k < 0 ? 0 : (k >= r->p.levels ? r->p.levels - 1 : k)));
    int c = r->p.level_size / 2;
    if (x0)
        *x0 = r->gaze_x - (float)c * s;
    if (y0)
        *y0 = r->gaze_y - (float)c * s;
    if (spacing_px)
        *spacing_px = s;
}

const Image *retina_fovea(const Retina *r)
{
    return &r->fovea;
}

void retina_gaze(const Retina *r, float *x, float *y)
{
    if (x)
        *x = r->gaze_x;
    if (y)
        *y = r->gaze_y;
}

const Image *retina_pyramid(const Retina *r, int k)
{
    if (k < 0 || k >= r->p.levels)
        return NULL;
    return &r->pyr[k];
}

static inline float pyramid_read(const Retina *r, int k, float x, float y)
{
    float s = (float)(1 << k);
    return image_sample_bilinear_inline(&r->pyr[k], (x + 0.5f) / s - 0.5f, (y + 0.5f) / s - 0.5f);
}

static inline float value_at(const Retina *r, float x, float y)
{
    x = sanitize_coord(x, r->world_w);
    y = sanitize_coord(y, r->world_h);
    float lv = level_at(&r->p, x - r->gaze_x, y - r->gaze_y);
    /* goggles: what the retina reports at a point is the world at its mirror about the gaze */
    if (r->p.flip & RETINA_FLIP_X)
        x = 2.0f * r->gaze_x - x;
    if (r->p.flip & RETINA_FLIP_Y)
        y = 2.0f * r->gaze_y - y;
    int k = (int)lv;
    float f = lv - (float)k;
    float v = pyramid_read(r, k, x, y);
    if (f > 0.0f && k + 1 < r->p.levels) {
        float v2 = pyramid_read(r, k + 1, x, y);
        v += f * (v2 - v);
    }
    return v;
}

float retina_value_at(const Retina *r, float x, float y)
{
    return r->pyr[0].px ? value_at(r, x, y) : 0.0f;
}

void retina_values(const Retina *r, const float *xs, int n, float y, float *out)
{
    if (!r->pyr[0].px) {
        for (int i = 0; i < n; i++)
            out[i] = 0.0f;
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = value_at(r, xs[i], y);
}

void retina_foveated(const Retina *r, Image *dst)
{
    float sx = (float)r->world_w / (float)dst->w, sy = (float)r->world_h / (float)dst->h;
    for (int j = 0; j < dst->h; j++) {
        float *d = image_row(dst, j);
        float y = ((float)j + 0.5f) * sy - 0.5f;
        for (int i = 0; i < dst->w; i++)
            d[i] = retina_value_at(r, ((float)i + 0.5f) * sx - 0.5f, y);
    }
}

void retina_cortical(const Retina *r, Image *dst)
{
    const RetinaParams *p = &r->p;
    double lmin = log((double)p->cortical_min_deg), lmax = log((double)p->cortical_max_deg);
    const double two_pi = 6.283185307179586;
    for (int j = 0; j < dst->h; j++) {
        double ecc_px =
            exp(lmin + (lmax - lmin) * ((double)j + 0.5) / (double)dst->h) * (double)p->px_per_deg;
        float *d = image_row(dst, j);
        for (int i = 0; i < dst->w; i++) {
            double th = two_pi * ((double)i + 0.5) / (double)dst->w;
            float x = r->gaze_x + (float)(ecc_px * cos(th));
            float y = r->gaze_y - (float)(ecc_px * sin(th));
            d[i] = retina_value_at(r, x, y);
        }
    }
}
