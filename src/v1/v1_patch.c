/* V1 complex-cell energies of a small patch in the spatial domain (see v1_patch in v1.h). */
#include <math.h>
#include <string.h>

#include "core/clones.h"
#include "v1/v1.h"

/* eight floats, one per orientation: GCC vector extension, elementwise arithmetic only (the
 * same bits whatever vector width the compiler maps it to) */
typedef float v8f __attribute__((vector_size(32)));
_Static_assert(V1_PATCH_ORIENT == 8, "the patch kernel handles 8 orientations as one v8f");

/* unaligned load of eight floats (a macro: an inline function returning a vector would trip
 * GCC's ABI note for builds without AVX) */
#define ld8(p)                                                                                     \
    ({                                                                                             \
        v8f v_;                                                                                    \
        memcpy(&v_, (p), sizeof(v_));                                                              \
        v_;                                                                                        \
    })

void v1_patch_params_default(V1PatchParams *p)
{
    /* the finest scale of the V1 bank: one set of constants for both */
    V1Params v;
    v1_params_default(&v);
    memset(p, 0, sizeof(*p));
    p->orientations = V1_PATCH_ORIENT;
    p->wavelength_px = v.wavelength_px[0];
    p->sigma_per_wavelength = v.sigma_per_wavelength;
    p->threshold = 0.03f;
}

int v1_patch_params_valid(const V1PatchParams *p)
{
    if (p->orientations != V1_PATCH_ORIENT || !(p->wavelength_px >= 2.0f) ||
        !(p->wavelength_px <= 8.0f) || !(p->sigma_per_wavelength >= 0.2f) ||
        !(p->sigma_per_wavelength <= 1.0f) || !(p->threshold >= 0.0f) || !(p->threshold <= 1.0f))
        return 0;
    double sigma = (double)p->sigma_per_wavelength * p->wavelength_px;
    return (int)ceil(2.2 * sigma - 1e-9) <= V1_PATCH_MAX_R;
}

/* The quadrature pair of orientation o (of n, th = pi o / n) is
 * G(x) G(y) (exp(i k_o . (x, y)) - kappa_o) / norm_o: a complex Gabor with a Gaussian envelope
 * and the Morlet correction (kappa zeroes the even filter's DC response), separable into a row
 * and a column filter (the kappa term too). Taps -R..R; per tap the n orientations lie side by
 * side (tap i of orientation o at [(i + R) * n + o]) so that one tap updates all of them in one
 * vector step. Built in double maths with one rounding to float: the same bits every time. Both
 * stages' banks are built here. */
static void morlet_taps(double lambda, double sigma, int R, int n, float *hx_re, float *hx_im,
                        float *hy_re, float *hy_im, float *g1, float *kappa_out, float *inv_norm)
{
    const double k = 2.0 * M_PI / lambda;
    for (int i = -R; i <= R; i++)
        g1[i + R] = (float)exp(-(i * i) / (2 * sigma * sigma));
    for (int o = 0; o < n; o++) {
        double th = M_PI * o / n, kx = k * cos(th), ky = k * sin(th);
        double g_sum = 0, c_sum = 0;
        for (int j = -R; j <= R; j++)
            for (int i = -R; i <= R; i++) {
                double g = exp(-(i * i + j * j) / (2 * sigma * sigma));
                g_sum += g;
                c_sum += g * cos(kx * i + ky * j);
            }
        double kappa = c_sum / g_sum, norm = 0;
        for (int j = -R; j <= R; j++)
            for (int i = -R; i <= R; i++) {
                double g = exp(-(i * i + j * j) / (2 * sigma * sigma)), ph = kx * i + ky * j;
                norm += g * (cos(ph) - kappa) * cos(ph);
            }
        /* gain: a unit-amplitude grating at the preferred frequency gives amplitude ~1 */
        kappa_out[o] = (float)kappa;
        inv_norm[o] = (float)(1.0 / norm);
        for (int i = -R; i <= R; i++) {
            double g = exp(-(i * i) / (2 * sigma * sigma));
            hx_re[(i + R) * n + o] = (float)(g * cos(kx * i));
            hx_im[(i + R) * n + o] = (float)(g * sin(kx * i));
            hy_re[(i + R) * n + o] = (float)(g * cos(ky * i));
            hy_im[(i + R) * n + o] = (float)(g * sin(ky * i));
        }
    }
}

void v1_patch_bank_init(V1PatchBank *b, const V1PatchParams *p)
{
    memset(b, 0, sizeof(*b));
    b->p = *p;
    const double lambda = p->wavelength_px, sigma = (double)p->sigma_per_wavelength * lambda;
    /* taps to +-2.2 sigma (5 for the default 4 px wavelength) */
    b->r = (int)ceil(2.2 * sigma - 1e-9);
    morlet_taps(lambda, sigma, b->r, V1_PATCH_ORIENT, &b->hx_re[0][0], &b->hx_im[0][0],
                &b->hy_re[0][0], &b->hy_im[0][0], b->g, b->kappa, b->inv_norm);
}

/* Energies on the 14x14 grid of even samples: rows filtered at the even columns, then those
 * columns filtered at the even rows (zero outside the patch). Inlined with the radius as a
 * constant for the default filters (R = 5), so the tap loops unroll. */
static inline __attribute__((always_inline)) void
energy(const V1PatchBank *restrict b, const float *restrict px, float *restrict out, const int R)
{
    enum { S = V1_PATCH_SIDE, G = V1_PATCH_GRID };
    v8f hre[S][G], him[S][G];
    float hd[S][G];
    unsigned char row_ink[S];
    const v8f zero = {0};
    for (int y = 0; y < S; y++) {
        row_ink[y] = 0;
        for (int x = 0; x < S; x++)
            row_ink[y] |= px[y * S + x] != 0.0f;
        for (int u = 0; u < G; u++) {
            v8f re = zero, im = zero;
            float d = 0;
            for (int i = -R; i <= R && row_ink[y]; i++) {
                int x = 2 * u + i;
                if (x < 0 || x >= S)
                    continue;
                float p = px[y * S + x];
                if (p == 0.0f)
                    continue;
                re += p * ld8(b->hx_re[i + R]);
                im += p * ld8(b->hx_im[i + R]);
                d += p * b->g[i + R];
            }
            hre[y][u] = re;
            him[y][u] = im;
            hd[y][u] = d;
        }
    }
    const float thr = b->p.threshold;
    for (int v = 0; v < G; v++)
        for (int u = 0; u < G; u++) {
            v8f zr = zero, zi = zero;
            float dc = 0;
            for (int j = -R; j <= R; j++) {
                int y = 2 * v + j;
                if (y < 0 || y >= S || !row_ink[y])
                    continue;
                v8f hr = hre[y][u], hi = him[y][u];
                zr += hr * ld8(b->hy_re[j + R]) - hi * ld8(b->hy_im[j + R]);
                zi += hr * ld8(b->hy_im[j + R]) + hi * ld8(b->hy_re[j + R]);
                dc += hd[y][u] * b->g[j + R];
            }
            v8f e = (zr - ld8(b->kappa) * dc) * ld8(b->inv_norm), od = zi * ld8(b->inv_norm);
            v8f a2 = e * e + od * od;
            for (int o = 0; o < V1_PATCH_ORIENT; o++) {
                /* complex-cell amplitude above a threshold (keeps the input sparse) */
                float a = sqrtf(a2[o]) - thr;
                out[(o * G + v) * G + u] = a > 0.0f ? a : 0.0f;
            }
        }
}

SC_CLONES void v1_patch_energy(const V1PatchBank *restrict b, const float *restrict px,
                               float *restrict out)
{
    if (b->r == 5)
        energy(b, px, out, 5);
    else
        energy(b, px, out, b->r);
}

/* ---- the second stage (v1.h): the same Morlet construction on the 14x14 energy grid, one
 * orientation of the coarse filter at a time, the eight first-stage maps as the lanes of one
 * v8f ---- */
void v1_patch2_bank_init(V1Patch2Bank *b)
{
    memset(b, 0, sizeof(*b));
    const double lambda = V1_PATCH2_WAVELENGTH;
    morlet_taps(lambda, 0.56 * lambda, V1_PATCH2_R, V1_PATCH2_ORIENT, &b->hx_re[0][0],
                &b->hx_im[0][0], &b->hy_re[0][0], &b->hy_im[0][0], b->g, b->kappa, b->inv_norm);
}

SC_CLONES void v1_patch2_energy(const V1Patch2Bank *restrict b, const float *restrict e1,
                                float *restrict out)
{
    enum { G = V1_PATCH_GRID, G2 = V1_PATCH2_GRID, O2 = V1_PATCH2_ORIENT, R = V1_PATCH2_R };
    _Static_assert(V1_PATCH_ORIENT == 8, "eight first-stage maps, one v8f");
    v8f e[G][G];
    for (int v = 0; v < G; v++)
        for (int u = 0; u < G; u++)
            for (int o = 0; o < V1_PATCH_ORIENT; o++)
                e[v][u][o] = e1[(o * G + v) * G + u];
    const v8f zero = {0};
    /* rows, at the odd columns: per coarse orientation, real and imaginary parts and the DC */
    v8f hre[G][G2][O2], him[G][G2][O2], hd[G][G2];
    for (int v = 0; v < G; v++)
        for (int k = 0; k < G2; k++) {
            v8f d = zero, re[O2], im[O2];
            for (int q = 0; q < O2; q++)
                re[q] = im[q] = zero;
            for (int i = -R; i <= R; i++) {
                int u = 2 * k + 1 + i;
                if (u < 0 || u >= G)
                    continue;
                v8f x = e[v][u];
                d += x * b->g[i + R];
                for (int q = 0; q < O2; q++) {
                    re[q] += x * b->hx_re[i + R][q];
                    im[q] += x * b->hx_im[i + R][q];
                }
            }
            hd[v][k] = d;
            for (int q = 0; q < O2; q++) {
                hre[v][k][q] = re[q];
                him[v][k][q] = im[q];
            }
        }
    /* columns, at the odd rows; amplitude */
    for (int m = 0; m < G2; m++)
        for (int k = 0; k < G2; k++) {
            v8f dc = zero, zr[O2], zi[O2];
            for (int q = 0; q < O2; q++)
                zr[q] = zi[q] = zero;
            for (int j = -R; j <= R; j++) {
                int v = 2 * m + 1 + j;
                if (v < 0 || v >= G)
                    continue;
                dc += hd[v][k] * b->g[j + R];
                for (int q = 0; q < O2; q++) {
                    float yr = b->hy_re[j + R][q], yi = b->hy_im[j + R][q];
                    zr[q] += hre[v][k][q] * yr - him[v][k][q] * yi;
                    zi[q] += hre[v][k][q] * yi + him[v][k][q] * yr;
                }
            }
            for (int q = 0; q < O2; q++) {
                v8f ev = (zr[q] - b->kappa[q] * dc) * b->inv_norm[q], od = zi[q] * b->inv_norm[q];
                v8f a2 = ev * ev + od * od;
                for (int o = 0; o < V1_PATCH_ORIENT; o++) {
                    float a = V1_PATCH2_GAIN * (sqrtf(a2[o]) - V1_PATCH2_THRESHOLD);
                    out[((o * O2 + q) * G2 + m) * G2 + k] = a > 0.0f ? a : 0.0f;
                }
            }
        }
}
