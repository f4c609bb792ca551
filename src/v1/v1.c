/* v1.c: quadrature Gabor energy and motion energy on the retinal levels, in the frequency
 * domain with FFTW (single precision). See v1.h for the model. */
#include "v1/v1.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/fft.h"
#include "core/hash.h"
#include "core/log.h"

#define PI_D 3.14159265358979323846

/* One filter on the cropped, demodulated grid: out[n] = g[n] * X[idx[n]] (conjugated when
 * sgn[n] < 0, i.e. when the bin lies in the half of the spectrum r2c does not store). */
typedef struct Filter {
    int *idx;
    float *g;
    float *sgn;
} Filter;

/* Bilinear resampling table from an n-grid to the m-grid (1-D; applied separably). */
typedef struct Resample {
    int *i0, *i1;
    float *f;
} Resample;

struct V1 {
    V1Params p;
    int N, L, O, S, M, half; /* level size, levels, orientations, scales, map size, N/2+1 */
    int crop[V1_MAX_SCALES];
    int motion_scale;
    float *in;           /* N*N real input */
    fftwf_complex *spec; /* N*(N/2+1) */
    fftwf_plan fwd;
    fftwf_complex *cin[V1_MAX_SCALES], *cout[V1_MAX_SCALES];
    fftwf_plan inv[V1_MAX_SCALES];
    Filter filt[V1_MAX_SCALES][V1_MAX_ORIENT];
    Resample rs_chain[V1_MAX_SCALES]; /* scale s crop grid -> scale s-1 crop grid (s >= 1) */
    Resample rs_out;                  /* scale 0 crop grid -> map grid */
    Resample rs_motion;               /* motion crop grid -> map grid */
    float *ebuf[V1_MAX_SCALES];       /* energy per scale at crop resolution */
    float *mtot_acc;                  /* |motion| summed over orientations, motion crop grid */
    float *mtotal;                    /* L*M*M */
    int direction_maps;
    float *taper;   /* N */
    float *mtmp[2]; /* motion at motion crop resolution, two directions */
    float *orient;  /* L*O*M*M */
    float *motion;  /* L*2O*M*M */
    /* foveal phase correlation (smooth pursuit's slip signal): per level and orientation, the
     * window-weighted sum of conj(z_prev) * z of the motion scale; fov_ok = 1 when it was
     * computed (motion valid) */
    float *fov_corr; /* (V1_FOVEA_TOP_LEVEL + 1) * O * nm * nm * 2: conj(z_prev) z maps */
    float fov_c[RETINA_MAX_LEVELS][V1_MAX_ORIENT][2];
    int fov_ok;
    float px_per_deg;
    /* dynamic state */
    int32_t has_prev;
    fftwf_complex *zprev; /* L*O*crop[motion_scale]^2 */
};

void v1_params_default(V1Params *p)
{
    memset(p, 0, sizeof(*p));
    p->orientations = 8;
    p->scales = 3;
    p->wavelength_px[0] = 4.0f;
    p->wavelength_px[1] = 8.0f;
    p->wavelength_px[2] = 16.0f;
    p->wavelength_px[3] = 32.0f;
    p->sigma_per_wavelength = 0.56f;
}

const V1Params *v1_params(const V1 *v)
{
    return &v->p;
}
int v1_map_size(const V1 *v)
{
    return v->M;
}

float v1_orientation_rad(const V1 *v, int o)
{
    return (float)(PI_D * o / v->O);
}

static int pow2_at_least(int x)
{
    int n = 1;
    while (n < x)
        n <<= 1;
    return n;
}

/* Filter gain at integer bin (kx, ky) of an N grid; 0 at DC exactly (Morlet correction). */
static double gabor_gain(const V1 *v, int s, int o, int kx, int ky)
{
    if (kx == 0 && ky == 0)
        return 0.0;
    double N = v->N, lam = v->p.wavelength_px[s], sig = v->p.sigma_per_wavelength * lam;
    double th = PI_D * o / v->O;
    double f0x = cos(th) / lam, f0y = sin(th) / lam;
    double fx = kx / N, fy = ky / N;
    double a = 2.0 * PI_D * PI_D * sig * sig;
    double g = exp(-a * ((fx - f0x) * (fx - f0x) + (fy - f0y) * (fy - f0y))) -
               exp(-a * (f0x * f0x + f0y * f0y)) * exp(-a * (fx * fx + fy * fy));
    return g * 2.0 / (N * N);
}

static void carrier_bin(const V1 *v, int s, int o, int *cx, int *cy)
{
    double th = PI_D * o / v->O, k = v->N / (double)v->p.wavelength_px[s];
    *cx = (int)lround(k * cos(th));
    *cy = (int)lround(k * sin(th));
}

static int build_filter(V1 *v, int s, int o)
{
    int n = v->crop[s], N = v->N;
    Filter *f = &v->filt[s][o];
    f->idx = malloc(sizeof(int) * (size_t)n * n);
    f->g = malloc(sizeof(float) * (size_t)n * n);
    f->sgn = malloc(sizeof(float) * (size_t)n * n);
    if (!f->idx || !f->g || !f->sgn)
        return -1;
    int cx, cy;
    carrier_bin(v, s, o, &cx, &cy);
    for (int b = 0; b < n; b++) {
        int dy = b < n / 2 ? b : b - n;
        for (int a = 0; a < n; a++) {
            int dx = a < n / 2 ? a : a - n;
            int kx = cx + dx, ky = cy + dy;
            int mx = ((kx % N) + N) % N, my = ((ky % N) + N) % N;
            float sg = 1.0f;
            if (mx > N / 2) { /* use the Hermitian mirror */
                mx = (N - mx) % N;
                my = (N - my) % N;
                sg = -1.0f;
            }
            size_t q = (size_t)b * n + a;
            f->idx[q] = my * v->half + mx;
            f->sgn[q] = sg;
            f->g[q] = (float)gabor_gain(v, s, o, kx, ky);
        }
    }
    return 0;
}

static int build_resample(Resample *r, int n, int m)
{
    r->i0 = malloc(sizeof(int) * (size_t)m);
    r->i1 = malloc(sizeof(int) * (size_t)m);
    r->f = malloc(sizeof(float) * (size_t)m);
    if (!r->i0 || !r->i1 || !r->f)
        return -1;
    for (int i = 0; i < m; i++) {
        double u = (double)i * n / m;
        int i0 = (int)floor(u);
        if (i0 > n - 1)
            i0 = n - 1;
        r->i0[i] = i0;
        r->i1[i] = i0 + 1 < n ? i0 + 1 : n - 1;
        r->f[i] = (float)(u - i0);
    }
    return 0;
}

V1 *v1_create(const V1Params *p, const RetinaParams *rp)
{
    if (p->orientations < 1 || p->orientations > V1_MAX_ORIENT || p->scales < 1 ||
        p->scales > V1_MAX_SCALES || !(p->sigma_per_wavelength > 0.05f) || rp->level_size < 8 ||
        rp->level_size > 1024 || (rp->level_size & 1) || rp->levels < 1 ||
        rp->levels > RETINA_MAX_LEVELS) {
        sc_set_error("v1: invalid parameters");
        return NULL;
    }
    for (int s = 0; s < p->scales; s++)
        if (!(p->wavelength_px[s] >= 2.0f && p->wavelength_px[s] <= (float)rp->level_size)) {
            sc_set_error("v1: wavelength %g px of scale %d out of range (2..%d)",
                         (double)p->wavelength_px[s], s, rp->level_size);
            return NULL;
        }
    V1 *v = calloc(1, sizeof(*v));
    if (!v) {
        sc_set_error("v1: out of memory");
        return NULL;
    }
    v->p = *p;
    v->N = rp->level_size;
    v->L = rp->levels;
    v->O = p->orientations;
    v->S = p->scales;
    v->M = v->N / 2;
    v->half = v->N / 2 + 1;
    v->motion_scale = v->S / 2;
    int N = v->N;
    for (int s = 0; s < v->S; s++) {
        /* band half-width: 3.5 sigma of the Gaussian spectrum, in bins */
        double sig_f = N / (2.0 * PI_D * p->sigma_per_wavelength * p->wavelength_px[s]);
        int n = pow2_at_least((int)ceil(7.0 * sig_f));
        if (n < 4)
            n = 4;
        if (n > N)
            n = N;
        v->crop[s] = n;
    }
    size_t M2 = (size_t)v->M * v->M;
    int nm = v->crop[v->motion_scale];
    v->px_per_deg = rp->px_per_deg;
    v->in = fftwf_malloc(sizeof(float) * (size_t)N * N);
    v->spec = fftwf_malloc(sizeof(fftwf_complex) * (size_t)N * v->half);
    v->taper = malloc(sizeof(float) * (size_t)N);
    v->mtot_acc = malloc(sizeof(float) * (size_t)nm * nm);
    v->mtotal = calloc((size_t)v->L * M2, sizeof(float));
    v->mtmp[0] = malloc(sizeof(float) * (size_t)nm * nm);
    v->mtmp[1] = malloc(sizeof(float) * (size_t)nm * nm);
    v->orient = calloc((size_t)v->L * v->O * M2, sizeof(float));
    v->motion = calloc((size_t)v->L * 2 * v->O * M2, sizeof(float));
    v->zprev = fftwf_malloc(sizeof(fftwf_complex) * (size_t)v->L * v->O * nm * nm);
    v->fov_corr = calloc((size_t)(V1_FOVEA_TOP_LEVEL + 1) * v->O * nm * nm * 2, sizeof(float));
    if (!v->fov_corr || !v->in || !v->spec || !v->taper || !v->mtot_acc || !v->mtotal ||
        !v->mtmp[0] || !v->mtmp[1] || !v->orient || !v->motion || !v->zprev)
        goto oom;
    memset(v->zprev, 0, sizeof(fftwf_complex) * (size_t)v->L * v->O * nm * nm);
    memset(v->in, 0, sizeof(float) * (size_t)N * N);
    v->fwd = fft_plan_dft_r2c_2d(N, N, v->in, v->spec, FFTW_ESTIMATE);
    if (!v->fwd)
        goto plan;
    for (int s = 0; s < v->S; s++) {
        int n = v->crop[s];
        v->cin[s] = fftwf_malloc(sizeof(fftwf_complex) * (size_t)n * n);
        v->cout[s] = fftwf_malloc(sizeof(fftwf_complex) * (size_t)n * n);
        if (!v->cin[s] || !v->cout[s])
            goto oom;
        memset(v->cin[s], 0, sizeof(fftwf_complex) * (size_t)n * n);
        v->inv[s] = fft_plan_dft_2d(n, n, v->cin[s], v->cout[s], FFTW_BACKWARD, FFTW_ESTIMATE);
        if (!v->inv[s])
            goto plan;
        v->ebuf[s] = malloc(sizeof(float) * (size_t)n * n);
        if (!v->ebuf[s])
            goto oom;
        if (s > 0 && build_resample(&v->rs_chain[s], n, v->crop[s - 1]) < 0)
            goto oom;
        for (int o = 0; o < v->O; o++)
            if (build_filter(v, s, o) < 0)
                goto oom;
    }
    if (build_resample(&v->rs_out, v->crop[0], v->M) < 0 ||
        build_resample(&v->rs_motion, nm, v->M) < 0)
        goto oom;
    /* Raised-cosine taper over the outer N/10 samples: the FFT sees the level as periodic, and
     * this keeps the wrap-around edge from lighting up the border. */
    int T = N / 10 > 1 ? N / 10 : 1;
    for (int i = 0; i < N; i++) {
        int d = i < N - 1 - i ? i : N - 1 - i;
        v->taper[i] = d >= T ? 1.0f : (float)(0.5 - 0.5 * cos(PI_D * (d + 0.5) / T));
    }
    return v;
oom:
    sc_set_error("v1: out of memory");
    v1_destroy(&v);
    return NULL;
plan:
    sc_set_error("v1: FFTW could not make a plan for %dx%d", N, N);
    v1_destroy(&v);
    return NULL;
}

void v1_destroy(V1 **vp)
{
    if (!vp || !*vp)
        return;
    V1 *v = *vp;
    if (v->fwd)
        fft_destroy_plan(v->fwd);
    for (int s = 0; s < V1_MAX_SCALES; s++) {
        if (v->inv[s])
            fft_destroy_plan(v->inv[s]);
        fftwf_free(v->cin[s]);
        fftwf_free(v->cout[s]);
        free(v->rs_chain[s].i0);
        free(v->rs_chain[s].i1);
        free(v->rs_chain[s].f);
        free(v->ebuf[s]);
        for (int o = 0; o < V1_MAX_ORIENT; o++) {
            free(v->filt[s][o].idx);
            free(v->filt[s][o].g);
            free(v->filt[s][o].sgn);
        }
    }
    fftwf_free(v->in);
    fftwf_free(v->spec);
    fftwf_free(v->zprev);
    free(v->fov_corr);
    free(v->taper);
    free(v->rs_out.i0);
    free(v->rs_out.i1);
    free(v->rs_out.f);
    free(v->rs_motion.i0);
    free(v->rs_motion.i1);
    free(v->rs_motion.f);
    free(v->mtot_acc);
    free(v->mtotal);
    free(v->mtmp[0]);
    free(v->mtmp[1]);
    free(v->orient);
    free(v->motion);
    free(v);
    *vp = NULL;
}

/* dst (m x m) = (add ? dst : 0) + bilinear resampling of src (n x n) through table rs. */
static void resample(float *dst, int m, const float *src, int n, const Resample *rs, int add)
{
    if (n == m) {
        size_t nn = (size_t)n * n;
        if (add)
            for (size_t q = 0; q < nn; q++)
                dst[q] += src[q];
        else
            memcpy(dst, src, sizeof(float) * nn);
        return;
    }
    for (int j = 0; j < m; j++) {
        const float *r0 = src + (size_t)rs->i0[j] * n, *r1 = src + (size_t)rs->i1[j] * n;
        float fy = rs->f[j];
        float *d = dst + (size_t)j * m;
        for (int i = 0; i < m; i++) {
            int a = rs->i0[i], b = rs->i1[i];
            float fx = rs->f[i];
            float t = r0[a] + fx * (r0[b] - r0[a]);
            float u = r1[a] + fx * (r1[b] - r1[a]);
            float val = t + fy * (u - t);
            d[i] = add ? d[i] + val : val;
        }
    }
}

static void apply_filter(const V1 *v, int s, int o)
{
    const Filter *f = &v->filt[s][o];
    int n2 = v->crop[s] * v->crop[s];
    const fftwf_complex *X = v->spec;
    fftwf_complex *c = v->cin[s];
    for (int q = 0; q < n2; q++) {
        const float *x = X[f->idx[q]];
        c[q][0] = f->g[q] * x[0];
        c[q][1] = f->g[q] * f->sgn[q] * x[1];
    }
}

void v1_process(V1 *v, const Retina *r, int motion_valid)
{
    int N = v->N, M = v->M, O = v->O, ms = v->motion_scale, nm = v->crop[ms];
    size_t M2 = (size_t)M * M, nm2 = (size_t)nm * nm;
    int levels = retina_level_count(r) < v->L ? retina_level_count(r) : v->L;
    int use_motion = motion_valid && v->has_prev;
    v->fov_ok = use_motion;
    for (int l = 0; l < levels; l++) {
        const Image *lev = retina_level(r, l);
        double sum = 0.0;
        for (int j = 0; j < N; j++) {
            const float *row = image_row(lev, j);
            for (int i = 0; i < N; i++)
                sum += row[i];
        }
        float mean = (float)(sum / ((double)N * N));
        for (int j = 0; j < N; j++) {
            const float *row = image_row(lev, j);
            float *d = v->in + (size_t)j * N;
            float wj = v->taper[j];
            for (int i = 0; i < N; i++)
                d[i] = (row[i] - mean) * (wj * v->taper[i]);
        }
        fftwf_execute(v->fwd);
        memset(v->mtot_acc, 0, sizeof(float) * nm2);
        for (int o = 0; o < O; o++) {
            for (int s = 0; s < v->S; s++) {
                int n = v->crop[s];
                size_t n2 = (size_t)n * n;
                apply_filter(v, s, o);
                fftwf_execute(v->inv[s]);
                const fftwf_complex *z = v->cout[s];
                float *eb = v->ebuf[s];
                for (size_t q = 0; q < n2; q++)
                    eb[q] = z[q][0] * z[q][0] + z[q][1] * z[q][1];
                if (s != ms)
                    continue;
                fftwf_complex *zp = v->zprev + ((size_t)l * O + o) * nm2;
                float *mp = v->motion + ((size_t)l * 2 * O + o) * M2;
                float *mn = v->motion + ((size_t)l * 2 * O + o + O) * M2;
                if (use_motion) {
                    if (l <= V1_FOVEA_TOP_LEVEL) {
                        float *fc = v->fov_corr + ((size_t)l * O + o) * nm2 * 2;
                        for (size_t q = 0; q < nm2; q++) {
                            fc[2 * q] = zp[q][0] * z[q][0] + zp[q][1] * z[q][1];
                            fc[2 * q + 1] = zp[q][0] * z[q][1] - zp[q][1] * z[q][0];
                        }
                    }
                    for (size_t q = 0; q < nm2; q++) {
                        /* Im(conj(zp) * z): negative for motion along the carrier */
                        float im = zp[q][0] * z[q][1] - zp[q][1] * z[q][0];
                        v->mtmp[0][q] = im < 0.0f ? -im : 0.0f;
                        v->mtmp[1][q] = im > 0.0f ? im : 0.0f;
                        v->mtot_acc[q] += fabsf(im);
                    }
                    if (v->direction_maps) {
                        resample(mp, M, v->mtmp[0], nm, &v->rs_motion, 0);
                        resample(mn, M, v->mtmp[1], nm, &v->rs_motion, 0);
                    }
                } else if (v->direction_maps) {
                    memset(mp, 0, sizeof(float) * M2);
                    memset(mn, 0, sizeof(float) * M2);
                }
                memcpy(zp, z, sizeof(fftwf_complex) * nm2);
            }
            /* coarse scales are band-limited: add each into the next finer grid, then the
             * finest into the map grid (bilinear), instead of upsampling each to the map */
            for (int s = v->S - 1; s > 0; s--)
                resample(v->ebuf[s - 1], v->crop[s - 1], v->ebuf[s], v->crop[s], &v->rs_chain[s],
                         1);
            resample(v->orient + ((size_t)l * O + o) * M2, M, v->ebuf[0], v->crop[0], &v->rs_out,
                     0);
        }
        resample(v->mtotal + (size_t)l * M2, M, v->mtot_acc, nm, &v->rs_motion, 0);
    }
    v->has_prev = 1;
}

/* Least-squares shift (level samples) from the phase of each orientation's correlation:
 * conj(z_prev) z = |.| exp(-i 2 pi k.d) for a pattern shifted by d, k the carrier (cycles per
 * sample), so each orientation measures the component of d along its carrier; the weights are
 * |conj(z_prev) z|. A prediction (from a coarser level) unwraps the phase. Returns the total
 * weight, 0 when there is none. */
static double fovea_solve(const V1 *v, int l, const double pred[2], double d[2])
{
    double lam = v->p.wavelength_px[v->motion_scale], a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0,
           wsum = 0;
    for (int o = 0; o < v->O; o++) {
        double cr = v->fov_c[l][o][0], ci = v->fov_c[l][o][1], w = hypot(cr, ci);
        if (!(w > 0))
            continue;
        double th = PI_D * o / v->O, nx = cos(th), ny = sin(th);
        double ph_pred = -2.0 * PI_D * (nx * pred[0] + ny * pred[1]) / lam;
        double r = atan2(ci, cr) - ph_pred;
        r -= 2.0 * PI_D * floor((r + PI_D) / (2.0 * PI_D));
        double m = -(ph_pred + r) * lam / (2.0 * PI_D);
        a11 += w * nx * nx;
        a12 += w * nx * ny;
        a22 += w * ny * ny;
        b1 += w * nx * m;
        b2 += w * ny * m;
        wsum += w;
    }
    if (!(wsum > 0))
        return 0;
    /* a small ridge keeps a single edge (the aperture problem) from a singular system: the
     * shift along the edge is then taken as zero */
    a11 += V1_FOVEA_RIDGE * wsum;
    a22 += V1_FOVEA_RIDGE * wsum;
    double det = a11 * a22 - a12 * a12;
    d[0] = (a22 * b1 - a12 * b2) / det;
    d[1] = (a11 * b2 - a12 * b1) / det;
    return wsum;
}

/* Window sums of the correlation maps around (ox, oy) px from the gaze into v->fov_c. */
static void fovea_window(V1 *v, float ox, float oy)
{
    int nm = v->crop[v->motion_scale], N = v->N;
    size_t nm2 = (size_t)nm * nm;
    double sig = V1_FOVEA_SIGMA_DEG * v->px_per_deg;
    memset(v->fov_c, 0, sizeof(v->fov_c));
    if (nm > 64)
        return; /* a crop this large (a much larger level size) has no window: no signal */
    for (int l = 0; l <= V1_FOVEA_TOP_LEVEL && l < v->L; l++) {
        double sp = (double)N / nm * (double)(1 << l), wsum = 0;
        float w[64 * 64];
        for (int j = 0; j < nm; j++)
            for (int i = 0; i < nm; i++) {
                double dx = (i - nm / 2) * sp - ox, dy = (j - nm / 2) * sp - oy;
                double g = exp(-(dx * dx + dy * dy) / (2 * sig * sig));
                w[j * nm + i] = g < 0.01 ? 0.0f : (float)g;
                wsum += w[j * nm + i];
            }
        if (!(wsum > 0))
            continue;
        for (int o = 0; o < v->O; o++) {
            const float *fc = v->fov_corr + ((size_t)l * v->O + o) * nm2 * 2;
            double cr = 0, ci = 0;
            for (size_t q = 0; q < nm2; q++)
                if (w[q] > 0.0f) {
                    cr += w[q] * fc[2 * q];
                    ci += w[q] * fc[2 * q + 1];
                }
            v->fov_c[l][o][0] = (float)(cr / wsum);
            v->fov_c[l][o][1] = (float)(ci / wsum);
        }
    }
}

int v1_foveal_shift(V1 *v, float *dx_px, float *dy_px, float *strength)
{
    return v1_slip_at(v, 0.0f, 0.0f, dx_px, dy_px, strength);
}

int v1_slip_at(V1 *v, float ox, float oy, float *dx_px, float *dy_px, float *strength)
{
    *dx_px = *dy_px = 0;
    if (strength)
        *strength = 0;
    if (!v->fov_ok || !isfinite(ox) || !isfinite(oy))
        return 0;
    fovea_window(v, ox, oy);
    double lam = v->p.wavelength_px[v->motion_scale], est[2] = {0, 0}, w_prev = 0;
    int have = 0, top = v->L - 1 < V1_FOVEA_TOP_LEVEL ? v->L - 1 : V1_FOVEA_TOP_LEVEL;
    for (int l = top; l >= 0; l--) {
        double sp = (double)(1 << l);
        /* finer levels only while the shift is well inside their unambiguous range */
        if (have && hypot(est[0], est[1]) / sp > V1_FOVEA_MAX_SHIFT * lam)
            break;
        double pred[2] = {est[0] / sp, est[1] / sp}, d[2];
        double w = fovea_solve(v, l, pred, d);
        /* a finer level refines only where it has energy of its own (a pattern coarser than
         * its band gives it a weak, biased phase) */
        if (!(w >= V1_FOVEA_MIN_WEIGHT) || (have && !(w >= V1_FOVEA_REFINE_RATIO * w_prev)))
            break;
        w_prev = w;
        est[0] = d[0] * sp;
        est[1] = d[1] * sp;
        if (strength)
            *strength = (float)w;
        have = 1;
    }
    if (!have || !isfinite(est[0]) || !isfinite(est[1]))
        return 0;
    *dx_px = (float)(V1_FOVEA_GAIN * est[0]);
    *dy_px = (float)(V1_FOVEA_GAIN * est[1]);
    return 1;
}

const float *v1_orient_energy(const V1 *v, int level, int o)
{
    if (level < 0 || level >= v->L || o < 0 || o >= v->O)
        return NULL;
    return v->orient + ((size_t)level * v->O + o) * v->M * v->M;
}

void v1_set_direction_maps(V1 *v, int on)
{
    on = on ? 1 : 0;
    if (on && !v->direction_maps)
        memset(v->motion, 0, sizeof(float) * (size_t)v->L * 2 * v->O * v->M * v->M);
    v->direction_maps = on;
}

const float *v1_motion_total(const V1 *v, int level)
{
    if (level < 0 || level >= v->L)
        return NULL;
    return v->mtotal + (size_t)level * v->M * v->M;
}

const float *v1_motion_energy(const V1 *v, int level, int d)
{
    if (level < 0 || level >= v->L || d < 0 || d >= 2 * v->O)
        return NULL;
    return v->motion + ((size_t)level * 2 * v->O + d) * v->M * v->M;
}

void v1_kernel(const V1 *v, int scale, int o, int size, float *even, float *odd)
{
    if (scale < 0 || scale >= v->S || o < 0 || o >= v->O || size < 1)
        return;
    if (size > v->N)
        size = v->N;
    int n = v->crop[scale], N = v->N, cx, cy;
    carrier_bin(v, scale, o, &cx, &cy);
    /* h(x, y) = sum over the crop of G(k) exp(i 2 pi k.x / N), done separably. */
    double *tr = calloc((size_t)n * size, sizeof(double)),
           *ti = calloc((size_t)n * size, sizeof(double));
    if (!tr || !ti) {
        free(tr);
        free(ti);
        return;
    }
    for (int b = 0; b < n; b++) {
        int ky = cy + (b < n / 2 ? b : b - n);
        for (int a = 0; a < n; a++) {
            int kx = cx + (a < n / 2 ? a : a - n);
            double g = gabor_gain(v, scale, o, kx, ky);
            for (int i = 0; i < size; i++) {
                double ph = 2.0 * PI_D * kx * (i - size / 2) / N;
                tr[(size_t)b * size + i] += g * cos(ph);
                ti[(size_t)b * size + i] += g * sin(ph);
            }
        }
    }
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) {
            double er = 0, ei = 0;
            for (int b = 0; b < n; b++) {
                int ky = cy + (b < n / 2 ? b : b - n);
                double ph = 2.0 * PI_D * ky * (j - size / 2) / N;
                double c = cos(ph), sn = sin(ph);
                double xr = tr[(size_t)b * size + i], xi = ti[(size_t)b * size + i];
                er += xr * c - xi * sn;
                ei += xr * sn + xi * c;
            }
            even[(size_t)j * size + i] = (float)er;
            odd[(size_t)j * size + i] = (float)ei;
        }
    free(tr);
    free(ti);
}

size_t v1_state_size(const V1 *v)
{
    int nm = v->crop[v->motion_scale];
    return sizeof(int32_t) + sizeof(fftwf_complex) * (size_t)v->L * v->O * nm * nm;
}

void v1_state_save(const V1 *v, void *buf)
{
    unsigned char *b = buf;
    memcpy(b, &v->has_prev, sizeof(int32_t));
    memcpy(b + sizeof(int32_t), v->zprev, v1_state_size(v) - sizeof(int32_t));
}

void v1_state_load(V1 *v, const void *buf)
{
    const unsigned char *b = buf;
    memcpy(&v->has_prev, b, sizeof(int32_t));
    v->has_prev = v->has_prev ? 1 : 0;
    memcpy(v->zprev, b + sizeof(int32_t), v1_state_size(v) - sizeof(int32_t));
}

uint64_t v1_state_hash(const V1 *v)
{
    uint64_t h = hash64_init();
    h = hash64_update(h, &v->has_prev, sizeof(int32_t));
    return hash64_update(h, v->zprev, v1_state_size(v) - sizeof(int32_t));
}
