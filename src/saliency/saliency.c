/* saliency.c: Itti-Koch conspicuity on the glimpse levels, spectral residual, inhibition of
 * return, priority. See saliency.h for the model. */
#include "saliency/saliency.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/fft.h"
#include "core/hash.h"
#include "core/log.h"

/* Maps whose maximum is below these are exactly zero (float noise of a constant input). */
#define EPS_INTENSITY 1e-5f /* luminance */
#define EPS_ENERGY 1e-7f    /* luminance^2 */
/* N' gain references: a map peaking at ref gets half the weight of a strong one. */
#define REF_INTENSITY 0.02f
#define REF_ENERGY 2e-3f
#define REF_ORIENT 0.05f /* orientation channel is already a sum of normalised maps */
#define REF_MOTION 1e-7f
#define REF_RESIDUAL 1e-5f /* spectral residual maps are scaled to the level's variance */
/* Level blending (Chebyshev radius / half-extent of the level). */
#define BLEND_START 0.7f
#define BLEND_END 0.9f
/* Intensity centre-surround at a fixed world scale where the level resolves it: centre box
 * half-width ~CENTRE_HALF_PX (an object core, e.g. a digit's), surround 3x (at least 4
 * samples). A bright fragment a few px across then scores below a whole digit at any
 * eccentricity, instead of the finest levels favouring any stroke. */
#define CENTRE_HALF_PX 6.0f
#define SURROUND_MIN 4     /* level samples */
#define CS_RADIUS_ENERGY 3 /* map samples (x2 level samples) */
#define MAX_SIDE 1024      /* largest level_size the scratch buffers take */

struct Saliency {
    SaliencyParams p;
    RetinaParams rp;
    int O, N, M, L;
    int gw, gh, cell;
    int display;       /* fill the display maps during saliency_update (else on demand) */
    int display_stale; /* the display maps predate the last update */
    int last_L, last_sr;
    float last_f[SAL_CHANNEL_COUNT];
    /* per level work maps */
    float *icnt;       /* L * N*N intensity centre-surround (or spectral residual) */
    float *ocs;        /* L * O * M*M orientation centre-surround */
    float *ochan;      /* L * M*M */
    float *mchan;      /* L * M*M */
    float *tmp, *tmp2; /* N*N */
    uint8_t *lmask;    /* L * M*M: the ring of the field each level serves (for N() stats) */
    uint8_t *lmask64;  /* L * N*N: the same at full level resolution */
    float *comb;       /* L * N*N: weighted sum of the normalised channels, per level */
    /* per world cell, for the gaze in table_gx/gy: level (-1 = outside the field), blend weight
     * into level+1, and the cell centre in level coordinates */
    int8_t *ck;
    float *cw1, *cu, *cv;
    float table_gx, table_gy;
    int table_valid;
    /* separable bicubic taps for full-resolution level maps: per level, per cell column (x) and
     * row (y), 4 clamped sample indices and 4 weights */
    int *tx_i, *ty_i;
    float *tx_w, *ty_w;
    /* world grid */
    Image sal, prio, ior, chan[SAL_CHANNEL_COUNT], orient[V1_MAX_ORIENT], motion;
    /* spectral residual */
    float *sr_in;
    fftwf_complex *sr_spec;
    float *sr_amp;
    float *taper; /* N: raised cosine over the border (the FFT sees the level as periodic) */
    fftwf_plan sr_fwd, sr_inv;
};

void saliency_params_default(SaliencyParams *p)
{
    memset(p, 0, sizeof(*p));
    p->method = SALIENCY_ITTI;
    p->cell_px = 8;
    p->weight[SAL_INTENSITY] = 1.0f;
    p->weight[SAL_ORIENTATION] = 1.0f;
    p->weight[SAL_MOTION] = 2.0f;
    p->ior_radius_deg = 0.3f;
    p->ior_decay_ms = 6000.0f;
    p->ior_strength = 1.0f;
}

const SaliencyParams *saliency_params(const Saliency *s)
{
    return &s->p;
}
void saliency_set_display_maps(Saliency *s, int on)
{
    s->display = on ? 1 : 0;
}

Saliency *saliency_create(const SaliencyParams *p, const RetinaParams *rp, const V1Params *vp,
                          int world_w, int world_h)
{
    if (p->cell_px < 1 || p->cell_px > 256 || rp->level_size > MAX_SIDE ||
        !(p->ior_radius_deg > 0.0f) || !(p->ior_decay_ms > 0.0f) ||
        !(p->ior_strength >= 0.0f && p->ior_strength <= 1.0f) || vp->orientations < 1 ||
        vp->orientations > V1_MAX_ORIENT || rp->level_size < 8 || rp->levels < 1 ||
        rp->levels > RETINA_MAX_LEVELS || !(rp->px_per_deg > 0.0f) ||
        (p->method != SALIENCY_ITTI && p->method != SALIENCY_SPECTRAL_RESIDUAL)) {
        sc_set_error("saliency: invalid parameters");
        return NULL;
    }
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++)
        if (!(p->weight[c] >= 0.0f && p->weight[c] < 1e6f)) {
            sc_set_error("saliency: invalid channel weight");
            return NULL;
        }
    Saliency *s = calloc(1, sizeof(*s));
    if (!s) {
        sc_set_error("saliency: out of memory");
        return NULL;
    }
    s->p = *p;
    s->rp = *rp;
    s->O = vp->orientations;
    s->N = rp->level_size;
    s->M = rp->level_size / 2;
    s->L = rp->levels;
    s->cell = p->cell_px;
    s->gw = (world_w + p->cell_px - 1) / p->cell_px;
    s->gh = (world_h + p->cell_px - 1) / p->cell_px;
    size_t N2 = (size_t)s->N * s->N, M2 = (size_t)s->M * s->M;
    s->icnt = calloc((size_t)s->L * N2, sizeof(float));
    s->ocs = calloc((size_t)s->L * s->O * M2, sizeof(float));
    s->ochan = calloc((size_t)s->L * M2, sizeof(float));
    s->mchan = calloc((size_t)s->L * M2, sizeof(float));
    s->tmp = calloc(N2, sizeof(float));
    s->tmp2 = calloc(N2, sizeof(float));
    s->lmask = calloc((size_t)s->L * M2, 1);
    s->lmask64 = calloc((size_t)s->L * N2, 1);
    s->comb = calloc((size_t)s->L * N2, sizeof(float));
    size_t cells = (size_t)s->gw * s->gh;
    s->ck = calloc(cells, 1);
    s->cw1 = calloc(cells, sizeof(float));
    s->cu = calloc(cells, sizeof(float));
    s->cv = calloc(cells, sizeof(float));
    s->tx_i = calloc((size_t)s->L * s->gw * 4, sizeof(int));
    s->tx_w = calloc((size_t)s->L * s->gw * 4, sizeof(float));
    s->ty_i = calloc((size_t)s->L * s->gh * 4, sizeof(int));
    s->ty_w = calloc((size_t)s->L * s->gh * 4, sizeof(float));
    if (!s->tx_i || !s->tx_w || !s->ty_i || !s->ty_w)
        goto oom;
    if (!s->icnt || !s->ocs || !s->ochan || !s->mchan || !s->tmp || !s->tmp2 || !s->lmask ||
        !s->lmask64 || !s->comb || !s->ck || !s->cw1 || !s->cu || !s->cv)
        goto oom;
    if (image_create(&s->sal, s->gw, s->gh) < 0 || image_create(&s->prio, s->gw, s->gh) < 0 ||
        image_create(&s->ior, s->gw, s->gh) < 0 || image_create(&s->motion, s->gw, s->gh) < 0)
        goto fail;
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++)
        if (image_create(&s->chan[c], s->gw, s->gh) < 0)
            goto fail;
    for (int o = 0; o < s->O; o++)
        if (image_create(&s->orient[o], s->gw, s->gh) < 0)
            goto fail;
    /* The ring each level serves, in its own coordinates (see saliency_update). */
    for (int res = 0; res < 2; res++) {
        int n = res ? s->N : s->M;
        uint8_t *mask = res ? s->lmask64 : s->lmask;
        for (int l = 0; l < s->L; l++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) {
                    float di = fabsf((float)i - (float)n / 2), dj = fabsf((float)j - (float)n / 2);
                    float rho = (di > dj ? di : dj) / ((float)n / 2);
                    float lo = l == 0 ? -1.0f : BLEND_START * 0.5f;
                    float hi = l == s->L - 1 ? 1.01f : BLEND_END;
                    mask[(size_t)l * n * n + (size_t)j * n + i] = rho >= lo && rho < hi;
                }
    }
    if (p->method == SALIENCY_SPECTRAL_RESIDUAL) {
        int N = s->N, half = N / 2 + 1;
        s->sr_in = fftwf_malloc(sizeof(float) * N2);
        s->sr_spec = fftwf_malloc(sizeof(fftwf_complex) * (size_t)N * half);
        s->sr_amp = malloc(sizeof(float) * (size_t)N * half);
        s->taper = malloc(sizeof(float) * (size_t)N);
        if (!s->sr_in || !s->sr_spec || !s->sr_amp || !s->taper)
            goto oom;
        int T = N / 10 > 1 ? N / 10 : 1;
        for (int i = 0; i < N; i++) {
            int d = i < N - 1 - i ? i : N - 1 - i;
            s->taper[i] =
                d >= T ? 1.0f : (float)(0.5 - 0.5 * cos(3.14159265358979 * (d + 0.5) / T));
        }
        memset(s->sr_in, 0, sizeof(float) * N2);
        s->sr_fwd = fft_plan_dft_r2c_2d(N, N, s->sr_in, s->sr_spec, FFTW_ESTIMATE);
        s->sr_inv = fft_plan_dft_c2r_2d(N, N, s->sr_spec, s->sr_in, FFTW_ESTIMATE);
        if (!s->sr_fwd || !s->sr_inv) {
            sc_set_error("saliency: FFTW could not make a plan");
            goto fail;
        }
    }
    return s;
oom:
    sc_set_error("saliency: out of memory");
fail:
    saliency_destroy(&s);
    return NULL;
}

void saliency_destroy(Saliency **sp)
{
    if (!sp || !*sp)
        return;
    Saliency *s = *sp;
    free(s->icnt);
    free(s->ocs);
    free(s->ochan);
    free(s->mchan);
    free(s->tmp);
    free(s->tmp2);
    free(s->lmask);
    free(s->lmask64);
    free(s->comb);
    free(s->ck);
    free(s->cw1);
    free(s->cu);
    free(s->cv);
    free(s->tx_i);
    free(s->tx_w);
    free(s->ty_i);
    free(s->ty_w);
    image_destroy(&s->sal);
    image_destroy(&s->prio);
    image_destroy(&s->ior);
    image_destroy(&s->motion);
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++)
        image_destroy(&s->chan[c]);
    for (int o = 0; o < V1_MAX_ORIENT; o++)
        image_destroy(&s->orient[o]);
    if (s->sr_fwd)
        fft_destroy_plan(s->sr_fwd);
    if (s->sr_inv)
        fft_destroy_plan(s->sr_inv);
    fftwf_free(s->sr_in);
    fftwf_free(s->sr_spec);
    free(s->sr_amp);
    free(s->taper);
    free(s);
    *sp = NULL;
}

/* dst = (2r+1)^2 box mean of src (n x n, n <= MAX_SIDE, edges clamped), separable: a vertical
 * running sum kept for all columns at once (vectorises), then a horizontal prefix sum per row.
 * tmp is n*n scratch. */
static void box_blur(float *dst, const float *src, int n, int r, float *tmp)
{
    float acc[MAX_SIDE], pre[MAX_SIDE + 2 * 64 + 2];
    if (r > 64)
        r = 64;
    float inv = 1.0f / (float)(2 * r + 1);
    for (int i = 0; i < n; i++)
        acc[i] = 0.0f;
    for (int k = -r; k <= r; k++) {
        const float *row = src + (size_t)(k < 0 ? 0 : (k >= n ? n - 1 : k)) * n;
        for (int i = 0; i < n; i++)
            acc[i] += row[i];
    }
    for (int j = 0; j < n; j++) {
        float *t = tmp + (size_t)j * n;
        for (int i = 0; i < n; i++)
            t[i] = acc[i];
        int add = j + r + 1, sub = j - r;
        const float *ra = src + (size_t)(add >= n ? n - 1 : add) * n;
        const float *rs = src + (size_t)(sub < 0 ? 0 : sub) * n;
        for (int i = 0; i < n; i++)
            acc[i] += ra[i] - rs[i];
    }
    for (int j = 0; j < n; j++) {
        const float *t = tmp + (size_t)j * n;
        float *d = dst + (size_t)j * n;
        float run = 0.0f;
        pre[0] = 0.0f;
        int k = 0;
        for (; k < r; k++) /* left pad */
            pre[k + 1] = run += t[0];
        for (int i = 0; i < n; i++, k++)
            pre[k + 1] = run += t[i];
        for (int e = 0; e < r; e++, k++) /* right pad */
            pre[k + 1] = run += t[n - 1];
        for (int i = 0; i < n; i++)
            d[i] = (pre[i + 2 * r + 1] - pre[i]) * (inv * inv);
    }
}

static float clamp01(float v)
{
    return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

/* Itti statistics of one map (optionally masked): global max, and sum/count of local maxima
 * (>= all 8 neighbours, > thr). */
static float map_max(const float *m, int w, int h, int stride, const uint8_t *mask)
{
    float mx = 0.0f;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            size_t q = (size_t)j * stride + i;
            if ((!mask || mask[(size_t)j * w + i]) && m[q] > mx)
                mx = m[q];
        }
    return mx;
}

static void local_maxima(const float *m, int w, int h, int stride, const uint8_t *mask, float thr,
                         double *sum, int *count)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            if (mask && !mask[(size_t)j * w + i])
                continue;
            float v = m[(size_t)j * stride + i];
            if (!(v > thr))
                continue;
            int is_max = 1;
            for (int dj = -1; dj <= 1 && is_max; dj++)
                for (int di = -1; di <= 1; di++) {
                    int x = i + di, y = j + dj;
                    if ((di || dj) && x >= 0 && y >= 0 && x < w && y < h &&
                        m[(size_t)y * stride + x] > v) {
                        is_max = 0;
                        break;
                    }
                }
            if (is_max) {
                *sum += v;
                (*count)++;
            }
        }
}

/* Itti N() with the contrast gain: the factor that maps raw values into [0, 1]. */
static float itti_factor(float mx, double lm_sum, int lm_count, float eps, float ref)
{
    if (!(mx >= eps))
        return 0.0f;
    float mbar = 0.0f;
    if (lm_count > 1) {
        mbar = (float)((lm_sum - mx) / (lm_count - 1)) / mx;
        mbar = clamp01(mbar);
    }
    return (1.0f - mbar) * (1.0f - mbar) / (mx + ref);
}

/* Spectral residual of one level (Hou & Zhang 2007) into dst (N x N). */
static void spectral_residual(Saliency *s, const Image *lev, float *dst)
{
    int N = s->N, half = N / 2 + 1;
    double sum = 0.0;
    float lo = image_row(lev, 0)[0], hi = lo;
    for (int j = 0; j < N; j++) {
        const float *row = image_row(lev, j);
        for (int i = 0; i < N; i++) {
            sum += row[i];
            lo = row[i] < lo ? row[i] : lo;
            hi = row[i] > hi ? row[i] : hi;
        }
    }
    if (!(hi - lo >= EPS_INTENSITY)) {
        memset(dst, 0, sizeof(float) * (size_t)N * N);
        return;
    }
    float mean = (float)(sum / ((double)N * N));
    double var = 0.0;
    for (int j = 0; j < N; j++) {
        const float *row = image_row(lev, j);
        for (int i = 0; i < N; i++) {
            float d = (row[i] - mean) * s->taper[i] * s->taper[j];
            s->sr_in[(size_t)j * N + i] = d;
            var += (double)d * d;
        }
    }
    var /= (double)N * N;
    fftwf_execute(s->sr_fwd);
    fftwf_complex *X = s->sr_spec;
    for (int q = 0; q < N * half; q++)
        s->sr_amp[q] = logf(sqrtf(X[q][0] * X[q][0] + X[q][1] * X[q][1]) + 1e-9f);
    /* residual = log amplitude - its 3x3 mean; keep the phase. Columns beyond the stored half
     * are read through the Hermitian mirror. */
    for (int y = 0; y < N; y++)
        for (int x = 0; x < half; x++) {
            float acc = 0.0f;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx, yy = ((y + dy) % N + N) % N;
                    if (xx < 0 || xx >= half) {
                        xx = xx < 0 ? -xx : N - xx;
                        yy = (N - yy) % N;
                    }
                    acc += s->sr_amp[yy * half + xx];
                }
            size_t q = (size_t)y * half + x;
            float mag = sqrtf(X[q][0] * X[q][0] + X[q][1] * X[q][1]);
            float res = s->sr_amp[q] - acc / 9.0f;
            float g = mag > 1e-12f ? expf(res) / mag : 0.0f;
            s->tmp2[q] = g; /* tmp2 is N*N >= N*half */
        }
    for (int q = 0; q < N * half; q++) {
        X[q][0] *= s->tmp2[q];
        X[q][1] *= s->tmp2[q];
    }
    X[0][0] = X[0][1] = 0.0f;
    fftwf_execute(s->sr_inv);
    /* The residual is contrast-free (whitened); scale it so the map's mean is the level's
     * variance, so faint levels weigh little against clear ones. */
    double msum = 0.0;
    for (int q = 0; q < N * N; q++) {
        float v = s->sr_in[q];
        s->tmp[q] = v * v;
        msum += (double)s->tmp[q];
    }
    float k = msum > 0.0 ? (float)(var * N * N / msum) : 0.0f;
    for (int q = 0; q < N * N; q++)
        s->tmp[q] *= k;
    /* smooth with a tent (two 3x3 boxes) so an isolated response keeps a single peak */
    box_blur(dst, s->tmp, N, 1, s->tmp2);
    box_blur(s->tmp, dst, N, 1, s->tmp2);
    memcpy(dst, s->tmp, sizeof(float) * (size_t)N * N);
}

static inline float bil(const float *m, int n, float u, float v)
{
    if (u < 0.0f)
        u = 0.0f;
    if (v < 0.0f)
        v = 0.0f;
    float lim = (float)(n - 1);
    if (u > lim)
        u = lim;
    if (v > lim)
        v = lim;
    int i = (int)u, j = (int)v;
    int i1 = i + 1 < n ? i + 1 : i, j1 = j + 1 < n ? j + 1 : j;
    float fu = u - (float)i, fv = v - (float)j;
    const float *r0 = m + (size_t)j * n, *r1 = m + (size_t)j1 * n;
    float a = r0[i] + fu * (r0[i1] - r0[i]);
    float b = r1[i] + fu * (r1[i1] - r1[i]);
    return a + fv * (b - a);
}

/* Catmull-Rom (bicubic) weights: unlike bilinear, the interpolation can put a peak between two
 * samples, which keeps peaks of the coarse levels within a cell or so. */
static void cubic_w(float t, float *w)
{
    float t2 = t * t, t3 = t2 * t;
    w[0] = 0.5f * (-t3 + 2.0f * t2 - t);
    w[1] = 0.5f * (3.0f * t3 - 5.0f * t2 + 2.0f);
    w[2] = 0.5f * (-3.0f * t3 + 4.0f * t2 + t);
    w[3] = 0.5f * (t3 - t2);
}

/* Per-cell level choice for the gaze (gx, gy): the finest level whose Chebyshev radius
 * ratio is below BLEND_END, blended into the next one from BLEND_START. */
static void build_cell_table(Saliency *s, float gx, float gy, int L)
{
    float half = (float)(s->N / 2);
    for (int cj = 0; cj < s->gh; cj++) {
        float dy = ((float)cj + 0.5f) * (float)s->cell - 0.5f - gy;
        for (int ci = 0; ci < s->gw; ci++) {
            size_t q = (size_t)cj * s->gw + ci;
            float dx = ((float)ci + 0.5f) * (float)s->cell - 0.5f - gx;
            float rinf = fabsf(dx) > fabsf(dy) ? fabsf(dx) : fabsf(dy);
            int k = 0;
            float ext = half; /* half-extent of level k, px */
            while (k < L - 1 && rinf >= BLEND_END * ext) {
                k++;
                ext *= 2.0f;
            }
            if (rinf > ext) {
                s->ck[q] = -1; /* outside the visual field */
                continue;
            }
            float t =
                k < L - 1 ? clamp01((rinf / ext - BLEND_START) / (BLEND_END - BLEND_START)) : 0.0f;
            float sc = 1.0f / (float)(1 << k);
            s->ck[q] = (int8_t)k;
            s->cw1[q] = t * t * (3.0f - 2.0f * t);
            s->cu[q] = dx * sc + half;
            s->cv[q] = dy * sc + half;
        }
    }
    /* bicubic taps per level along each axis */
    for (int k = 0; k < L; k++) {
        float sc = 1.0f / (float)(1 << k);
        for (int axis = 0; axis < 2; axis++) {
            int count = axis ? s->gh : s->gw;
            float g = axis ? gy : gx;
            int *ix = (axis ? s->ty_i : s->tx_i) + (size_t)k * count * 4;
            float *wt = (axis ? s->ty_w : s->tx_w) + (size_t)k * count * 4;
            for (int c = 0; c < count; c++) {
                float u = (((float)c + 0.5f) * (float)s->cell - 0.5f - g) * sc + half;
                float lim = (float)(s->N - 1);
                u = u < 0.0f ? 0.0f : (u > lim ? lim : u);
                int i = (int)u;
                cubic_w(u - (float)i, wt + c * 4);
                for (int a = 0; a < 4; a++) {
                    int x = i - 1 + a;
                    ix[c * 4 + a] = x < 0 ? 0 : (x >= s->N ? s->N - 1 : x);
                }
            }
        }
    }
    s->table_gx = gx;
    s->table_gy = gy;
    s->table_valid = 1;
}

/* Bicubic read of full-resolution level map k at the centre of cell (ci, cj). */
static inline float cell_cubic(const Saliency *s, const float *m, int k, int ci, int cj)
{
    const int *xi = s->tx_i + ((size_t)k * s->gw + ci) * 4;
    const float *xw = s->tx_w + ((size_t)k * s->gw + ci) * 4;
    const int *yi = s->ty_i + ((size_t)k * s->gh + cj) * 4;
    const float *yw = s->ty_w + ((size_t)k * s->gh + cj) * 4;
    float acc = 0.0f;
    for (int b = 0; b < 4; b++) {
        const float *r = m + (size_t)yi[b] * s->N;
        acc += yw[b] * (xw[0] * r[xi[0]] + xw[1] * r[xi[1]] + xw[2] * r[xi[2]] + xw[3] * r[xi[3]]);
    }
    return acc;
}

/* dst (world grid) = level maps (n x n each, level_stride apart) read at every cell; n is N
 * (bicubic) or M (bilinear; level coordinates halved). Returns the maximum. */
static float map_to_world(const Saliency *s, Image *dst, const float *maps, int n,
                          size_t level_stride)
{
    float mx = 0.0f, half = (float)(s->N / 2);
    int full = n == s->N;
    for (int cj = 0; cj < s->gh; cj++) {
        float *d = image_row(dst, cj);
        for (int ci = 0; ci < s->gw; ci++) {
            size_t q = (size_t)cj * s->gw + ci;
            int k = s->ck[q];
            if (k < 0) {
                d[ci] = 0.0f;
                continue;
            }
            float u = s->cu[q], v = s->cv[q], w1 = s->cw1[q];
            float u1 = (u - half) * 0.5f + half, v1 = (v - half) * 0.5f + half;
            const float *m0 = maps + (size_t)k * level_stride;
            float val;
            if (full) {
                val = cell_cubic(s, m0, k, ci, cj);
                if (w1 > 0.0f)
                    val += w1 * (cell_cubic(s, m0 + level_stride, k + 1, ci, cj) - val);
            } else {
                val = bil(m0, n, u * 0.5f, v * 0.5f);
                if (w1 > 0.0f)
                    val += w1 * (bil(m0 + level_stride, n, u1 * 0.5f, v1 * 0.5f) - val);
            }
            val = val > 0.0f ? val : 0.0f;
            d[ci] = val;
            mx = val > mx ? val : mx;
        }
    }
    return mx;
}

/* Itti N() over a set of level maps (n x n each, stride apart), each restricted to the ring of
 * the field it serves; returns the factor mapping raw values into [0, 1] (0 below eps) and the
 * raw maximum in *mx_out. */
static float level_itti_factor(const float *maps, int n, size_t stride, const uint8_t *mask, int L,
                               float eps, float *mx_out)
{
    float mx = 0.0f;
    for (int l = 0; l < L; l++) {
        float m = map_max(maps + l * stride, n, n, n, mask + (size_t)l * n * n);
        mx = m > mx ? m : mx;
    }
    double sum = 0.0;
    int cnt = 0;
    if (mx >= eps)
        for (int l = 0; l < L; l++)
            local_maxima(maps + l * stride, n, n, n, mask + (size_t)l * n * n, 0.1f * mx, &sum,
                         &cnt);
    *mx_out = mx;
    return itti_factor(mx, sum, cnt, eps, 0.0f);
}

/* The display maps from the level maps of the last update (same gaze, same cell table). */
static void refresh_display(Saliency *s)
{
    if (!s->display_stale)
        return;
    s->display_stale = 0;
    int N = s->N, M = s->M, O = s->O;
    size_t N2 = (size_t)N * N, M2 = (size_t)M * M;
    map_to_world(s, &s->motion, s->mchan, M, M2);
    const float *src[SAL_CHANNEL_COUNT] = {s->icnt, s->ochan, s->mchan};
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++) {
        map_to_world(s, &s->chan[c], src[c], c == 0 ? N : M, c == 0 ? N2 : M2);
        for (int j = 0; j < s->gh; j++) {
            float *d = image_row(&s->chan[c], j);
            for (int i = 0; i < s->gw; i++)
                d[i] = clamp01(d[i] * s->last_f[c]);
        }
    }
    for (int o = 0; o < O; o++)
        if (s->last_sr)
            image_fill(&s->orient[o], 0.0f);
        else
            map_to_world(s, &s->orient[o], s->ocs + (size_t)o * M2, M, (size_t)O * M2);
}

void saliency_update(Saliency *s, const Retina *r, const V1 *v)
{
    int N = s->N, M = s->M, O = s->O;
    int L = retina_level_count(r) < s->L ? retina_level_count(r) : s->L;
    if (v1_map_size(v) != M)
        return; /* mismatched configuration: keep the old maps */
    size_t N2 = (size_t)N * N, M2 = (size_t)M * M;
    int sr = s->p.method == SALIENCY_SPECTRAL_RESIDUAL;

    /* 1. per level: intensity (or spectral residual), motion, orientation centre-surround */
    for (int l = 0; l < L; l++) {
        const Image *lev = retina_level(r, l);
        float *ic = s->icnt + l * N2;
        if (sr) {
            spectral_residual(s, lev, ic);
        } else {
            int rc = (int)(CENTRE_HALF_PX / (float)(1 << l) + 0.5f);
            int rs = 3 * rc > SURROUND_MIN ? 3 * rc : SURROUND_MIN;
            float *cen = s->comb + l * N2; /* scratch until step 4 */
            for (int j = 0; j < N; j++)
                memcpy(s->tmp2 + (size_t)j * N, image_row(lev, j), sizeof(float) * N);
            box_blur(ic, s->tmp2, N, rs, s->tmp);
            if (rc > 0)
                box_blur(cen, s->tmp2, N, rc, s->tmp);
            else
                memcpy(cen, s->tmp2, sizeof(float) * N2);
            for (size_t q = 0; q < N2; q++)
                ic[q] = fabsf(cen[q] - ic[q]);
        }
        memcpy(s->mchan + l * M2, v1_motion_total(v, l), sizeof(float) * M2);
        if (sr)
            continue;
        for (int o = 0; o < O; o++) {
            const float *e = v1_orient_energy(v, l, o);
            float *cs = s->ocs + ((size_t)l * O + o) * M2;
            box_blur(cs, e, M, CS_RADIUS_ENERGY, s->tmp);
            for (size_t q = 0; q < M2; q++) {
                float d = e[q] - cs[q];
                cs[q] = d > 0.0f ? d : 0.0f;
            }
        }
    }
    /* 2. orientation channel per level: sum_o CS_o / (max_o + ref), the maximum taken over all
     * levels (ref keeps faint orientation maps from being blown up to full scale); Itti's N()
     * proper is applied to the sum below */
    memset(s->ochan, 0, sizeof(float) * (size_t)s->L * M2);
    if (!sr)
        for (int o = 0; o < O; o++) {
            float mx = 0.0f;
            for (int l = 0; l < L; l++) {
                float m = map_max(s->ocs + ((size_t)l * O + o) * M2, M, M, M, s->lmask + l * M2);
                mx = m > mx ? m : mx;
            }
            if (!(mx >= EPS_ENERGY))
                continue;
            float f = 1.0f / (mx + REF_ENERGY);
            for (int l = 0; l < L; l++) {
                const float *cs = s->ocs + ((size_t)l * O + o) * M2;
                float *oc = s->ochan + l * M2;
                for (size_t q = 0; q < M2; q++)
                    oc[q] += f * cs[q];
            }
        }
    /* 3. N() per channel over the levels, weights with contrast gains */
    float mxI, mxO, mxM;
    float fI =
        level_itti_factor(s->icnt, N, N2, s->lmask64, L, sr ? EPS_ENERGY : EPS_INTENSITY, &mxI);
    float fO = sr ? 0.0f : level_itti_factor(s->ochan, M, M2, s->lmask, L, EPS_ENERGY, &mxO);
    float fM = level_itti_factor(s->mchan, M, M2, s->lmask, L, EPS_ENERGY, &mxM);
    float g[SAL_CHANNEL_COUNT];
    g[SAL_INTENSITY] = fI > 0.0f ? mxI / (mxI + (sr ? REF_RESIDUAL : REF_INTENSITY)) : 0.0f;
    g[SAL_ORIENTATION] = fO > 0.0f ? mxO / (mxO + REF_ORIENT) : 0.0f;
    g[SAL_MOTION] = fM > 0.0f ? mxM / (mxM + REF_MOTION) : 0.0f;
    float wI = s->p.weight[SAL_INTENSITY] + (sr ? s->p.weight[SAL_ORIENTATION] : 0.0f);
    float aI = wI * g[0] * fI, aO = s->p.weight[SAL_ORIENTATION] * g[1] * fO,
          aM = s->p.weight[SAL_MOTION] * g[2] * fM;
    float gmax = 0.0f;
    if (aI > 0.0f)
        gmax = g[0];
    if (aO > 0.0f && g[1] > gmax)
        gmax = g[1];
    if (aM > 0.0f && g[2] > gmax)
        gmax = g[2];
    /* 4. per level: the weighted sum at full level resolution (V1 maps upsampled 2x) */
    for (int l = 0; l < L; l++) {
        const float *ic = s->icnt + l * N2, *oc = s->ochan + l * M2, *mc = s->mchan + l * M2;
        float *cb = s->comb + l * N2;
        /* coarse part, upsampled 2x horizontally into tmp2 (M rows of N) */
        for (int j = 0; j < M; j++) {
            const float *o = oc + (size_t)j * M, *m = mc + (size_t)j * M;
            float *h = s->tmp2 + (size_t)j * N;
            for (int i = 0; i < M; i++) {
                float a = aO * o[i] + aM * m[i];
                int i1 = i + 1 < M ? i + 1 : i;
                float b = aO * o[i1] + aM * m[i1];
                h[2 * i] = a;
                h[2 * i + 1] = 0.5f * (a + b);
            }
        }
        for (int j = 0; j < N; j++) {
            int j0 = j >> 1, j1 = (j0 + 1 < M) ? j0 + 1 : j0;
            const float *r0 = s->tmp2 + (size_t)j0 * N, *r1 = s->tmp2 + (size_t)j1 * N;
            const float *ir = ic + (size_t)j * N;
            float *d = cb + (size_t)j * N;
            if (j & 1)
                for (int i = 0; i < N; i++)
                    d[i] = aI * ir[i] + 0.5f * (r0[i] + r1[i]);
            else
                for (int i = 0; i < N; i++)
                    d[i] = aI * ir[i] + r0[i];
        }
    }
    /* 5. into the world grid; the maximum becomes the strongest channel's gain */
    float gx, gy;
    retina_gaze(r, &gx, &gy);
    if (!s->table_valid || gx != s->table_gx || gy != s->table_gy)
        build_cell_table(s, gx, gy, L);
    float smax = map_to_world(s, &s->sal, s->comb, N, N2);
    float scale = smax > 1e-12f ? gmax / smax : 0.0f;
    for (int j = 0; j < s->gh; j++) {
        float *d = image_row(&s->sal, j);
        for (int i = 0; i < s->gw; i++)
            d[i] = scale > 0.0f ? clamp01(d[i] * scale) : 0.0f;
    }
    s->last_L = L;
    s->last_sr = sr;
    s->last_f[SAL_INTENSITY] = fI;
    s->last_f[SAL_ORIENTATION] = fO;
    s->last_f[SAL_MOTION] = fM;
    s->display_stale = 1;
    if (s->display)
        refresh_display(s);
}

void saliency_ior_decay(Saliency *s, double dt_ms)
{
    if (!(dt_ms > 0.0))
        return;
    float f = (float)exp(-dt_ms / (double)s->p.ior_decay_ms);
    for (int j = 0; j < s->gh; j++) {
        float *r = image_row(&s->ior, j);
        for (int i = 0; i < s->gw; i++) {
            float v = r[i] * f;
            r[i] = v < 1e-6f ? 0.0f : v;
        }
    }
}

/* The grid cells whose centres may lie within reach px of (x, y), clamped to the grid. */
static void cell_window(const Saliency *s, float x, float y, float reach, int *i0, int *i1, int *j0,
                        int *j1)
{
    float c = (float)s->cell;
    int a = (int)floorf((x - reach) / c), b = (int)ceilf((x + reach) / c);
    int e = (int)floorf((y - reach) / c), f = (int)ceilf((y + reach) / c);
    *i0 = a < 0 ? 0 : a;
    *j0 = e < 0 ? 0 : e;
    *i1 = b > s->gw - 1 ? s->gw - 1 : b;
    *j1 = f > s->gh - 1 ? s->gh - 1 : f;
}

void saliency_ior_add(Saliency *s, float x, float y)
{
    if (!(x == x) || !(y == y))
        return;
    /* far outside the world nothing is inhibited; the clamp keeps the casts below defined */
    x = x < -1e6f ? -1e6f : (x > 1e6f ? 1e6f : x);
    y = y < -1e6f ? -1e6f : (y > 1e6f ? 1e6f : y);
    float sigma = s->p.ior_radius_deg * s->rp.px_per_deg;
    float inv2s2 = 1.0f / (2.0f * sigma * sigma);
    float reach = 3.0f * sigma;
    float c = (float)s->cell;
    int i0, i1, j0, j1;
    cell_window(s, x, y, reach, &i0, &i1, &j0, &j1);
    for (int j = j0; j <= j1; j++) {
        float *r = image_row(&s->ior, j);
        float dy = ((float)j + 0.5f) * c - 0.5f - y;
        for (int i = i0; i <= i1; i++) {
            float dx = ((float)i + 0.5f) * c - 0.5f - x;
            float d2 = dx * dx + dy * dy;
            if (d2 > reach * reach)
                continue;
            r[i] = clamp01(r[i] + s->p.ior_strength * expf(-d2 * inv2s2));
        }
    }
}

void saliency_priority_update(Saliency *s)
{
    for (int j = 0; j < s->gh; j++) {
        const float *a = image_row(&s->sal, j), *b = image_row(&s->ior, j);
        float *d = image_row(&s->prio, j);
        for (int i = 0; i < s->gw; i++) {
            float v = a[i] * (1.0f - b[i]);
            d[i] = v > 0.0f ? v : 0.0f;
        }
    }
}

void saliency_inhibit_object(Saliency *s, float x, float y, float sigma_px, float depth)
{
    if (!isfinite(x) || !isfinite(y) || !(sigma_px > 0.0f) || !(depth > 0.0f))
        return;
    float reach = 3.0f * sigma_px, c = (float)s->cell, inv2s2 = 1.0f / (2.0f * sigma_px * sigma_px);
    if (x < -reach || y < -reach || x > (float)s->gw * c + reach || y > (float)s->gh * c + reach)
        return;
    int i0, i1, j0, j1;
    cell_window(s, x, y, reach, &i0, &i1, &j0, &j1);
    for (int j = j0; j <= j1; j++) {
        float *r = image_row(&s->prio, j);
        float dy = ((float)j + 0.5f) * c - 0.5f - y;
        for (int i = i0; i <= i1; i++) {
            float dx = ((float)i + 0.5f) * c - 0.5f - x, d2 = dx * dx + dy * dy;
            if (d2 > reach * reach)
                continue;
            float dip = depth * expf(-d2 * inv2s2);
            r[i] *= dip >= 1.0f ? 0.0f : 1.0f - dip;
        }
    }
}

int saliency_peak_near(const Saliency *s, float x, float y, float reach_px, float min_saliency,
                       float *px, float *py)
{
    if (!isfinite(x) || !isfinite(y) || !(reach_px > 0.0f))
        return 0;
    float c = (float)s->cell, sg = 0.5f * reach_px, inv2s2 = 1.0f / (2.0f * sg * sg);
    if (x < -reach_px || y < -reach_px || x > (float)s->gw * c + reach_px ||
        y > (float)s->gh * c + reach_px)
        return 0;
    int i0 = (int)floorf((x - reach_px) / c), i1 = (int)ceilf((x + reach_px) / c);
    int j0 = (int)floorf((y - reach_px) / c), j1 = (int)ceilf((y + reach_px) / c);
    i0 = i0 < 0 ? 0 : i0;
    j0 = j0 < 0 ? 0 : j0;
    i1 = i1 > s->gw - 1 ? s->gw - 1 : i1;
    j1 = j1 > s->gh - 1 ? s->gh - 1 : j1;
    int bi = -1, bj = -1;
    float best = 0;
    for (int j = j0; j <= j1; j++) {
        const float *r = image_row(&s->sal, j);
        float dy = ((float)j + 0.5f) * c - 0.5f - y;
        for (int i = i0; i <= i1; i++) {
            float dx = ((float)i + 0.5f) * c - 0.5f - x, d2 = dx * dx + dy * dy;
            if (d2 > reach_px * reach_px || !(r[i] >= min_saliency))
                continue;
            float score = r[i] * expf(-d2 * inv2s2);
            if (score > best) {
                best = score;
                bi = i;
                bj = j;
            }
        }
    }
    if (bi < 0)
        return 0;
    float sw = 0, sx = 0, sy = 0;
    for (int j = bj - 1; j <= bj + 1; j++)
        for (int i = bi - 1; i <= bi + 1; i++) {
            if (i < 0 || j < 0 || i >= s->gw || j >= s->gh)
                continue;
            float v = image_at(&s->sal, i, j);
            sw += v;
            sx += v * (((float)i + 0.5f) * c - 0.5f);
            sy += v * (((float)j + 0.5f) * c - 0.5f);
        }
    *px = sx / sw; /* sw >= the peak's own saliency > 0 */
    *py = sy / sw;
    return 1;
}

const Image *saliency_map(const Saliency *s)
{
    return &s->sal;
}
const Image *saliency_priority(const Saliency *s)
{
    return &s->prio;
}
const Image *saliency_ior(const Saliency *s)
{
    return &s->ior;
}

/* The display maps are a cache of the last update's level maps: filling it on first access
 * does not change the saliency state, so the accessors stay logically const. */
const Image *saliency_channel(const Saliency *s, SaliencyChannel c)
{
    if ((int)c < 0 || c >= SAL_CHANNEL_COUNT)
        return NULL;
    refresh_display((Saliency *)s);
    return &s->chan[c];
}

const Image *saliency_orient_map(const Saliency *s, int o)
{
    if (o < 0 || o >= s->O)
        return NULL;
    refresh_display((Saliency *)s);
    return &s->orient[o];
}

const Image *saliency_motion_map(const Saliency *s)
{
    refresh_display((Saliency *)s);
    return &s->motion;
}

static const Image *state_image(const Saliency *s, int i)
{
    return i == 0 ? &s->ior : (i == 1 ? &s->sal : &s->prio);
}

size_t saliency_state_size(const Saliency *s)
{
    return 3 * sizeof(float) * (size_t)s->gw * s->gh;
}

void saliency_state_save(const Saliency *s, void *buf)
{
    float *b = buf;
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < s->gh; j++, b += s->gw)
            memcpy(b, image_row(state_image(s, k), j), sizeof(float) * (size_t)s->gw);
}

void saliency_state_load(Saliency *s, const void *buf)
{
    const float *b = buf;
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < s->gh; j++, b += s->gw) {
            float *r = image_row(state_image(s, k), j);
            memcpy(r, b, sizeof(float) * (size_t)s->gw);
            for (int i = 0; i < s->gw; i++) /* never let a corrupt keyframe inject NaN */
                r[i] = clamp01(r[i] == r[i] ? r[i] : 0.0f);
        }
}

uint64_t saliency_state_hash(const Saliency *s)
{
    uint64_t h = hash64_init();
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < s->gh; j++)
            h = hash64_update(h, image_row(state_image(s, k), j), sizeof(float) * (size_t)s->gw);
    return h;
}
