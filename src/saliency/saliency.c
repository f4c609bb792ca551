/* saliency.c: Itti-Koch conspicuity on the glimpse levels, spectral residual, inhibition of
 * return, priority. See saliency.h for the model. */
#include "saliency/saliency.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"

/* Maps whose maximum is below these are exactly zero (float noise of a constant input). */
#define EPS_INTENSITY 1e-5f /* luminance */
#define EPS_ENERGY 1e-7f    /* luminance^2 */
/* N' gain references: a map peaking at ref gets half the weight of a strong one. */
#define REF_INTENSITY 0.02f
#define REF_ENERGY 2e-3f
#define REF_ORIENT 0.05f /* orientation channel is already a sum of normalised maps */
#define REF_MOTION 1e-3f
/* Level blending (Chebyshev radius / half-extent of the level). */
#define BLEND_START 0.55f
#define BLEND_END 0.75f
#define CS_RADIUS_INTENSITY 4 /* level samples */
#define CS_RADIUS_ENERGY 3    /* map samples (x2 level samples) */

struct Saliency {
    SaliencyParams p;
    RetinaParams rp;
    int O, N, M, L;
    int gw, gh, cell;
    int display;
    /* per level work maps */
    float *icnt;   /* L * N*N intensity centre-surround (or spectral residual) */
    float *ocs;    /* L * O * M*M orientation centre-surround */
    float *ochan;  /* L * M*M */
    float *mchan;  /* L * M*M */
    float *tmp, *tmp2; /* N*N */
    uint8_t *lmask; /* L * M*M: the ring of the field each level serves (for N() stats) */
    /* world grid */
    Image sal, prio, ior, chan[SAL_CHANNEL_COUNT], orient[V1_MAX_ORIENT], motion;
    /* spectral residual */
    float *sr_in;
    fftwf_complex *sr_spec;
    float *sr_amp;
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
    p->ior_radius_deg = 1.0f;
    p->ior_decay_ms = 3000.0f;
    p->ior_strength = 1.0f;
}

const SaliencyParams *saliency_params(const Saliency *s) { return &s->p; }
void saliency_set_display_maps(Saliency *s, int on) { s->display = on ? 1 : 0; }

Saliency *saliency_create(const SaliencyParams *p, const RetinaParams *rp, const V1Params *vp,
                          int world_w, int world_h)
{
    if (p->cell_px < 1 || p->cell_px > 256 || !(p->ior_radius_deg > 0.0f) ||
        !(p->ior_decay_ms > 0.0f) || !(p->ior_strength >= 0.0f && p->ior_strength <= 1.0f) ||
        vp->orientations < 1 || vp->orientations > V1_MAX_ORIENT || rp->level_size < 8 ||
        rp->levels < 1 || rp->levels > RETINA_MAX_LEVELS || !(rp->px_per_deg > 0.0f) ||
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
    if (!s->icnt || !s->ocs || !s->ochan || !s->mchan || !s->tmp || !s->tmp2 || !s->lmask)
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
    /* The ring each level serves, in its own map coordinates (see saliency_update). */
    for (int l = 0; l < s->L; l++)
        for (int j = 0; j < s->M; j++)
            for (int i = 0; i < s->M; i++) {
                float di = fabsf((float)i - (float)s->M / 2), dj = fabsf((float)j - (float)s->M / 2);
                float rho = (di > dj ? di : dj) / ((float)s->M / 2);
                float lo = l == 0 ? -1.0f : BLEND_START * 0.5f;
                float hi = l == s->L - 1 ? 1.01f : BLEND_END;
                s->lmask[(size_t)l * M2 + (size_t)j * s->M + i] = rho >= lo && rho < hi;
            }
    if (p->method == SALIENCY_SPECTRAL_RESIDUAL) {
        int N = s->N, half = N / 2 + 1;
        s->sr_in = fftwf_malloc(sizeof(float) * N2);
        s->sr_spec = fftwf_malloc(sizeof(fftwf_complex) * (size_t)N * half);
        s->sr_amp = malloc(sizeof(float) * (size_t)N * half);
        if (!s->sr_in || !s->sr_spec || !s->sr_amp)
            goto oom;
        memset(s->sr_in, 0, sizeof(float) * N2);
        s->sr_fwd = fftwf_plan_dft_r2c_2d(N, N, s->sr_in, s->sr_spec, FFTW_ESTIMATE);
        s->sr_inv = fftwf_plan_dft_c2r_2d(N, N, s->sr_spec, s->sr_in, FFTW_ESTIMATE);
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
    image_destroy(&s->sal);
    image_destroy(&s->prio);
    image_destroy(&s->ior);
    image_destroy(&s->motion);
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++)
        image_destroy(&s->chan[c]);
    for (int o = 0; o < V1_MAX_ORIENT; o++)
        image_destroy(&s->orient[o]);
    if (s->sr_fwd)
        fftwf_destroy_plan(s->sr_fwd);
    if (s->sr_inv)
        fftwf_destroy_plan(s->sr_inv);
    fftwf_free(s->sr_in);
    fftwf_free(s->sr_spec);
    free(s->sr_amp);
    free(s);
    *sp = NULL;
}

/* dst = (2r+1)^2 box mean of src (n x n, edges clamped), separable; tmp is n*n scratch. */
static void box_blur(float *dst, const float *src, int n, int r, float *tmp)
{
    float inv = 1.0f / (float)(2 * r + 1);
    for (int j = 0; j < n; j++) {
        const float *s = src + (size_t)j * n;
        float *t = tmp + (size_t)j * n;
        float acc = 0.0f;
        for (int k = -r; k <= r; k++)
            acc += s[k < 0 ? 0 : (k >= n ? n - 1 : k)];
        for (int i = 0; i < n; i++) {
            t[i] = acc * inv;
            int add = i + r + 1, sub = i - r;
            acc += s[add >= n ? n - 1 : add] - s[sub < 0 ? 0 : sub];
        }
    }
    for (int i = 0; i < n; i++) {
        float acc = 0.0f;
        for (int k = -r; k <= r; k++)
            acc += tmp[(size_t)(k < 0 ? 0 : (k >= n ? n - 1 : k)) * n + i];
        for (int j = 0; j < n; j++) {
            dst[(size_t)j * n + i] = acc * inv;
            int add = j + r + 1, sub = j - r;
            acc += tmp[(size_t)(add >= n ? n - 1 : add) * n + i] -
                   tmp[(size_t)(sub < 0 ? 0 : sub) * n + i];
        }
    }
}

static float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }

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

/* Normalises a world-grid map in place with N'. */
static void normalise_world(Image *img, float eps, float ref)
{
    float mx = map_max(img->px, img->w, img->h, img->stride, NULL);
    double sum = 0.0;
    int cnt = 0;
    if (mx >= eps)
        local_maxima(img->px, img->w, img->h, img->stride, NULL, 0.1f * mx, &sum, &cnt);
    float f = itti_factor(mx, sum, cnt, eps, ref);
    for (int j = 0; j < img->h; j++) {
        float *r = image_row(img, j);
        for (int i = 0; i < img->w; i++)
            r[i] = f > 0.0f ? clamp01(r[i] * f) : 0.0f;
    }
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
    for (int j = 0; j < N; j++) {
        const float *row = image_row(lev, j);
        for (int i = 0; i < N; i++)
            s->sr_in[(size_t)j * N + i] = row[i] - mean;
    }
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
    float scale = 1.0f / ((float)N * (float)N);
    for (int q = 0; q < N * N; q++) {
        float v = s->sr_in[q] * scale;
        s->tmp[q] = v * v;
    }
    box_blur(dst, s->tmp, N, 2, s->tmp2);
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

/* Level k samples of the three channels (and display maps) at level coordinates (u, v),
 * weighted by w, added into out[]. */
static void read_level(const Saliency *s, int k, float u, float v, float w, float *out, int disp,
                       const V1 *v1)
{
    size_t N2 = (size_t)s->N * s->N, M2 = (size_t)s->M * s->M;
    float um = u * 0.5f, vm = v * 0.5f;
    out[SAL_INTENSITY] += w * bil(s->icnt + k * N2, s->N, u, v);
    out[SAL_ORIENTATION] += w * bil(s->ochan + k * M2, s->M, um, vm);
    out[SAL_MOTION] += w * bil(s->mchan + k * M2, s->M, um, vm);
    if (disp)
        for (int o = 0; o < s->O; o++)
            out[SAL_CHANNEL_COUNT + o] += w * bil(s->ocs + (k * s->O + o) * M2, s->M, um, vm);
    (void)v1;
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
            for (int j = 0; j < N; j++)
                memcpy(s->tmp2 + (size_t)j * N, image_row(lev, j), sizeof(float) * N);
            box_blur(ic, s->tmp2, N, CS_RADIUS_INTENSITY, s->tmp);
            for (size_t q = 0; q < N2; q++)
                ic[q] = fabsf(s->tmp2[q] - ic[q]);
        }
        float *mc = s->mchan + l * M2;
        memset(mc, 0, sizeof(float) * M2);
        for (int d = 0; d < 2 * O; d++) {
            const float *me = v1_motion_energy(v, l, d);
            for (size_t q = 0; q < M2; q++)
                mc[q] += me[q];
        }
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
    /* 2. orientation channel per level: sum_o N(CS_o), N() statistics over all levels */
    memset(s->ochan, 0, sizeof(float) * (size_t)s->L * M2);
    if (!sr)
        for (int o = 0; o < O; o++) {
            float mx = 0.0f;
            for (int l = 0; l < L; l++) {
                float m = map_max(s->ocs + ((size_t)l * O + o) * M2, M, M, M, s->lmask + l * M2);
                mx = m > mx ? m : mx;
            }
            double sum = 0.0;
            int cnt = 0;
            if (mx >= EPS_ENERGY)
                for (int l = 0; l < L; l++)
                    local_maxima(s->ocs + ((size_t)l * O + o) * M2, M, M, M, s->lmask + l * M2,
                                 0.1f * mx, &sum, &cnt);
            float f = itti_factor(mx, sum, cnt, EPS_ENERGY, REF_ENERGY);
            if (f <= 0.0f)
                continue;
            for (int l = 0; l < L; l++) {
                const float *cs = s->ocs + ((size_t)l * O + o) * M2;
                float *oc = s->ochan + l * M2;
                for (size_t q = 0; q < M2; q++)
                    oc[q] += f * cs[q];
            }
        }
    /* 3. into the world grid */
    float gx, gy;
    retina_gaze(r, &gx, &gy);
    int disp = s->display && !sr;
    float acc[SAL_CHANNEL_COUNT + V1_MAX_ORIENT];
    int nacc = SAL_CHANNEL_COUNT + (disp ? O : 0);
    float half = (float)(N / 2);
    for (int cj = 0; cj < s->gh; cj++) {
        float y = ((float)cj + 0.5f) * (float)s->cell - 0.5f;
        float dy = y - gy;
        for (int ci = 0; ci < s->gw; ci++) {
            float x = ((float)ci + 0.5f) * (float)s->cell - 0.5f;
            float dx = x - gx;
            float rinf = fabsf(dx) > fabsf(dy) ? fabsf(dx) : fabsf(dy);
            for (int a = 0; a < nacc; a++)
                acc[a] = 0.0f;
            int k = 0;
            float ext = half; /* half-extent of level k, px */
            while (k < L - 1 && rinf >= BLEND_END * ext) {
                k++;
                ext *= 2.0f;
            }
            if (rinf <= ext) {
                float sc = 1.0f / (float)(1 << k);
                float t = k < L - 1 ? (rinf / ext - BLEND_START) / (BLEND_END - BLEND_START) : 0.0f;
                t = clamp01(t);
                float w1 = t * t * (3.0f - 2.0f * t);
                read_level(s, k, dx * sc + half, dy * sc + half, 1.0f - w1, acc, disp, v);
                if (w1 > 0.0f)
                    read_level(s, k + 1, dx * sc * 0.5f + half, dy * sc * 0.5f + half, w1, acc,
                               disp, v);
            }
            for (int c = 0; c < SAL_CHANNEL_COUNT; c++)
                image_row(&s->chan[c], cj)[ci] = acc[c];
            if (disp)
                for (int o = 0; o < O; o++)
                    image_row(&s->orient[o], cj)[ci] = acc[SAL_CHANNEL_COUNT + o];
        }
    }
    image_copy(&s->motion, &s->chan[SAL_MOTION]);
    /* 4. N' per channel and the weighted sum */
    normalise_world(&s->chan[SAL_INTENSITY], EPS_INTENSITY * (sr ? 1e-3f : 1.0f),
                    sr ? 1e-6f : REF_INTENSITY);
    normalise_world(&s->chan[SAL_ORIENTATION], EPS_ENERGY, REF_ORIENT);
    normalise_world(&s->chan[SAL_MOTION], EPS_ENERGY, REF_MOTION);
    float wsum = 0.0f, w[SAL_CHANNEL_COUNT];
    for (int c = 0; c < SAL_CHANNEL_COUNT; c++) {
        w[c] = s->p.weight[c];
        if (sr && c == SAL_INTENSITY)
            w[c] += s->p.weight[SAL_ORIENTATION];
        if (sr && c == SAL_ORIENTATION)
            w[c] = 0.0f;
        wsum += w[c];
    }
    float inv = wsum > 0.0f ? 1.0f / wsum : 0.0f;
    for (int j = 0; j < s->gh; j++) {
        float *d = image_row(&s->sal, j);
        const float *a = image_row(&s->chan[0], j), *b = image_row(&s->chan[1], j),
                    *c = image_row(&s->chan[2], j);
        for (int i = 0; i < s->gw; i++)
            d[i] = clamp01((w[0] * a[i] + w[1] * b[i] + w[2] * c[i]) * inv);
    }
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

void saliency_ior_add(Saliency *s, float x, float y)
{
    if (!(x == x) || !(y == y))
        return;
    float sigma = s->p.ior_radius_deg * s->rp.px_per_deg;
    float inv2s2 = 1.0f / (2.0f * sigma * sigma);
    float reach = 3.0f * sigma;
    float c = (float)s->cell;
    int i0 = (int)floorf((x - reach) / c), i1 = (int)ceilf((x + reach) / c);
    int j0 = (int)floorf((y - reach) / c), j1 = (int)ceilf((y + reach) / c);
    i0 = i0 < 0 ? 0 : i0;
    j0 = j0 < 0 ? 0 : j0;
    i1 = i1 > s->gw - 1 ? s->gw - 1 : i1;
    j1 = j1 > s->gh - 1 ? s->gh - 1 : j1;
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

const Image *saliency_map(const Saliency *s) { return &s->sal; }
const Image *saliency_priority(const Saliency *s) { return &s->prio; }
const Image *saliency_ior(const Saliency *s) { return &s->ior; }

const Image *saliency_channel(const Saliency *s, SaliencyChannel c)
{
    if ((int)c < 0 || c >= SAL_CHANNEL_COUNT)
        return NULL;
    return &s->chan[c];
}

const Image *saliency_orient_map(const Saliency *s, int o)
{
    if (o < 0 || o >= s->O)
        return NULL;
    return &s->orient[o];
}

const Image *saliency_motion_map(const Saliency *s) { return &s->motion; }

static const Image *state_image(const Saliency *s, int i)
{
    return i == 0 ? &s->ior : (i == 1 ? &s->sal : &s->prio);
}

size_t saliency_state_size(const Saliency *s) { return 3 * sizeof(float) * (size_t)s->gw * s->gh; }

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
