/* V1 properties: zero-mean quadrature kernels, orientation tuning, energy normalisation,
 * direction-selective motion energy, state round trip, run-to-run determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "retina/retina.h"
#include "test.h"
#include "v1/v1.h"

#define W 512
#define H 384
#define GX 256
#define GY 192

/* A sinusoidal grating: carrier wave vector at angle th (image coordinates), wavelength lam
 * px, shifted by `shift` px along the carrier. */
static void render_grating(Image *w, double th, double lam, double amp, double shift)
{
    double c = cos(th), s = sin(th);
    for (int y = 0; y < w->h; y++)
        for (int x = 0; x < w->w; x++) {
            double u = (x - GX) * c + (y - GY) * s - shift;
            image_row(w, y)[x] = (float)(0.5 + amp * cos(2.0 * M_PI * u / lam));
        }
}

static void test_kernels(const V1 *v, const V1Params *vp)
{
    const int size = 64;
    float *ev = malloc(sizeof(float) * size * size), *od = malloc(sizeof(float) * size * size);
    REQUIRE(ev && od, "alloc");
    for (int s = 0; s < vp->scales; s++)
        for (int o = 0; o < vp->orientations; o++) {
            v1_kernel(v, s, o, size, ev, od);
            double se = 0, so = 0, ae = 0, ao = 0, e2 = 0, o2 = 0;
            for (int q = 0; q < size * size; q++) {
                se += ev[q];
                so += od[q];
                ae += fabs(ev[q]);
                ao += fabs(od[q]);
                e2 += (double)ev[q] * ev[q];
                o2 += (double)od[q] * od[q];
            }
            CHECK(fabs(se) < 1e-5 * ae, "scale %d orient %d: even part DC %g (L1 %g)", s, o, se,
                  ae);
            CHECK(fabs(so) < 1e-5 * ao, "scale %d orient %d: odd part DC %g", s, o, so);
            /* quadrature pair: even and odd carry the same energy */
            CHECK(fabs(e2 - o2) < 0.05 * (e2 + o2), "scale %d orient %d: |even|^2 %g vs |odd|^2 %g",
                  s, o, e2, o2);
            /* even part symmetric, odd antisymmetric about the centre */
            int c = size / 2;
            double asym = 0, sym = 0;
            for (int d = 1; d < 8; d++) {
                asym += fabs(ev[c * size + c + d] - ev[c * size + c - d]);
                sym += fabs(od[c * size + c + d] + od[c * size + c - d]);
            }
            CHECK(asym < 1e-4 * ae && sym < 1e-4 * ao, "scale %d orient %d: parity", s, o);
            /* the kernel's carrier has the intended orientation: correlating it with a
             * cosine grating is largest at its own orientation */
            int best = -1;
            double bestv = -1;
            for (int t = 0; t < 64; t++) {
                double th = M_PI * t / 64, lam = vp->wavelength_px[s];
                double re = 0, im = 0;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++) {
                        double ph = 2 * M_PI * ((x - c) * cos(th) + (y - c) * sin(th)) / lam;
                        re += ev[y * size + x] * cos(ph) + od[y * size + x] * sin(ph);
                        im += od[y * size + x] * cos(ph) - ev[y * size + x] * sin(ph);
                    }
                double m = re * re + im * im;
                if (m > bestv) {
                    bestv = m;
                    best = t;
                }
            }
            double got = M_PI * best / 64, want = v1_orientation_rad(v, o);
            double err = fabs(got - want);
            err = err > M_PI / 2 ? M_PI - err : err;
            CHECK(err <= M_PI / 64 + 1e-9, "scale %d orient %d: kernel tuned to %g rad, want %g", s,
                  o, got, want);
        }
    free(ev);
    free(od);
}

static float centre_energy(const V1 *v, int level, int o)
{
    int M = v1_map_size(v);
    return v1_orient_energy(v, level, o)[(M / 2) * M + M / 2];
}

static void test_tuning(V1 *v, Retina *r, Image *w, const V1Params *vp)
{
    const int O = vp->orientations;
    const double amp = 0.3;
    for (int o = 0; o < O; o++) {
        double th = M_PI * o / O;
        render_grating(w, th, 8.0, amp, 0.0);
        retina_world_changed(r, w, 0, 0, -1, -1);
        retina_sample(r, GX, GY);
        v1_process(v, r, 0);
        int best = -1;
        float bestv = -1;
        for (int q = 0; q < O; q++)
            if (centre_energy(v, 0, q) > bestv) {
                bestv = centre_energy(v, 0, q);
                best = q;
            }
        float ortho = centre_energy(v, 0, (o + O / 2) % O);
        CHECK(best == o, "grating at orientation %d: energy peaks at %d", o, best);
        CHECK(bestv > 50.0f * ortho, "orientation %d: preferred %g vs orthogonal %g", o,
              (double)bestv, (double)ortho);
        /* energy normalisation: a grating of amplitude A at a scale's wavelength gives ~A^2 */
        CHECK(bestv > 0.8 * amp * amp && bestv < 1.3 * amp * amp,
              "orientation %d: energy %g, A^2 %g", o, (double)bestv, amp * amp);
        /* the same grating at level 1 has wavelength 4 samples: scale 0 */
        float e1 = centre_energy(v, 1, o);
        CHECK(e1 > 0.5 * amp * amp, "level 1 energy %g", (double)e1);
        /* no motion energy without a valid history */
        for (int d = 0; d < 2 * O; d++) {
            const float *m = v1_motion_energy(v, 0, d);
            for (int q = 0; q < v1_map_size(v) * v1_map_size(v); q++)
                if (m[q] != 0.0f) {
                    CHECK(0, "motion energy without motion_valid");
                    d = 2 * O;
                    break;
                }
        }
    }
}

static double region_sum(const float *m, int M)
{
    double s = 0;
    for (int j = M / 4; j < 3 * M / 4; j++)
        for (int i = M / 4; i < 3 * M / 4; i++)
            s += m[j * M + i];
    return s;
}

static void test_motion(V1 *v, Retina *r, Image *w, const V1Params *vp)
{
    const int O = vp->orientations, M = v1_map_size(v);
    /* carrier along +x (orientation 0), drifting right 1 px per call */
    for (int dir = 0; dir < 2; dir++) {
        double speed = dir == 0 ? 1.0 : -1.0;
        for (int t = 0; t < 3; t++) {
            render_grating(w, 0.0, 8.0, 0.3, speed * t);
            retina_world_changed(r, w, 0, 0, -1, -1);
            retina_sample(r, GX, GY);
            v1_process(v, r, t > 0);
        }
        double along = region_sum(v1_motion_energy(v, 0, 0), M);
        double against = region_sum(v1_motion_energy(v, 0, O), M);
        double ortho = region_sum(v1_motion_energy(v, 0, O / 2), M) +
                       region_sum(v1_motion_energy(v, 0, O / 2 + O), M);
        if (dir == 0) {
            CHECK(along > 10.0 * against && along > 0.0, "rightward drift: right %g left %g", along,
                  against);
        } else {
            CHECK(against > 10.0 * along && against > 0.0, "leftward drift: right %g left %g",
                  along, against);
        }
        CHECK(ortho < 0.05 * (along + against), "orthogonal directions %g", ortho);
        double tot = 0, sum = 0;
        for (int l = 0; l < 6; l++) {
            tot += region_sum(v1_motion_total(v, l), M);
            for (int d = 0; d < 2 * O; d++)
                sum += region_sum(v1_motion_energy(v, l, d), M);
        }
        CHECK(fabs(tot - sum) <= 1e-4 * sum, "total motion %g vs sum over directions %g", tot, sum);
        /* a gaze change invalidates the history: zero motion energy */
        v1_process(v, r, 0);
        double z = 0;
        for (int d = 0; d < 2 * O; d++)
            z += region_sum(v1_motion_energy(v, 0, d), M);
        CHECK(z == 0.0, "motion_valid = 0 must give zero motion energy (%g)", z);
    }
}

static void test_state(V1 *v, Retina *r, Image *w, const V1Params *vp, const RetinaParams *rp)
{
    render_grating(w, 0.3, 10.0, 0.2, 0.0);
    retina_world_changed(r, w, 0, 0, -1, -1);
    retina_sample(r, GX, GY);
    v1_process(v, r, 0);
    size_t n = v1_state_size(v);
    void *buf = malloc(n);
    REQUIRE(buf, "alloc");
    v1_state_save(v, buf);
    uint64_t h0 = v1_state_hash(v);
    /* a second V1 restored from the keyframe must continue exactly like the original */
    V1 *v2 = v1_create(vp, rp);
    REQUIRE(v2, "v1_create");
    v1_set_direction_maps(v2, 1);
    CHECK(v1_state_hash(v2) != h0, "fresh state hash equals a used one");
    v1_state_load(v2, buf);
    CHECK(v1_state_hash(v2) == h0, "hash after load");
    render_grating(w, 0.3, 10.0, 0.2, 0.7);
    retina_world_changed(r, w, 0, 0, -1, -1);
    retina_sample(r, GX, GY);
    v1_process(v, r, 1);
    v1_process(v2, r, 1);
    CHECK(v1_state_hash(v) != h0, "state did not change");
    CHECK(v1_state_hash(v) == v1_state_hash(v2), "restored V1 diverged");
    int M = v1_map_size(v), diff = 0;
    for (int l = 0; l < rp->levels; l++) {
        for (int d = 0; d < 2 * vp->orientations; d++)
            diff += memcmp(v1_motion_energy(v, l, d), v1_motion_energy(v2, l, d),
                           sizeof(float) * M * M) != 0;
        for (int o = 0; o < vp->orientations; o++)
            diff += memcmp(v1_orient_energy(v, l, o), v1_orient_energy(v2, l, o),
                           sizeof(float) * M * M) != 0;
    }
    CHECK(diff == 0, "%d maps differ between identical V1s", diff);
    v1_state_load(v, buf);
    CHECK(v1_state_hash(v) == h0, "round trip");
    v1_destroy(&v2);
    free(buf);
}

static void test_blank(V1 *v, Retina *r, Image *w, const V1Params *vp, const RetinaParams *rp)
{
    image_fill(w, 0.42f);
    retina_world_changed(r, w, 0, 0, -1, -1);
    retina_sample(r, 10.3f, 300.8f);
    v1_process(v, r, 0);
    v1_process(v, r, 1);
    int M = v1_map_size(v);
    double mx = 0;
    int bad = 0;
    for (int l = 0; l < rp->levels; l++)
        for (int o = 0; o < vp->orientations; o++)
            for (int q = 0; q < M * M; q++) {
                float e = v1_orient_energy(v, l, o)[q];
                bad += !isfinite(e) || e < 0.0f;
                mx = e > mx ? e : mx;
            }
    CHECK(bad == 0, "non-finite or negative energy on a constant image");
    CHECK(mx < 1e-9, "constant image gives energy %g", mx);
}

/* The classifier's patch energies are the same filters as V1's finest scale: the patch bank's
 * even kernel (built from its separable taps) matches v1_kernel at scale 0 for every
 * orientation (correlation > 0.9), its DC response is zero, and a grating at the preferred
 * orientation drives its own orientation most. */
static void test_patch_bank(V1 *v)
{
    V1PatchParams pp;
    v1_patch_params_default(&pp);
    CHECK(v1_patch_params_valid(&pp), "default patch params invalid");
    const V1Params *vp = v1_params(v);
    CHECK(pp.wavelength_px == vp->wavelength_px[0] &&
              pp.sigma_per_wavelength == vp->sigma_per_wavelength &&
              pp.orientations == vp->orientations,
          "patch params are not V1's finest scale");
    static V1PatchBank b;
    v1_patch_bank_init(&b, &pp);
    enum { Z = 2 * V1_PATCH_MAX_R + 1 };
    int R = b.r, n = 2 * R + 1;
    for (int o = 0; o < V1_PATCH_ORIENT; o++) {
        float ev[Z * Z], od[Z * Z];
        v1_kernel(v, 0, o, n, ev, od);
        double sab = 0, saa = 0, sbb = 0, dc = 0;
        for (int j = -R; j <= R; j++)
            for (int i = -R; i <= R; i++) {
                double pe =
                    (b.hx_re[i + R][o] * b.hy_re[j + R][o] - b.hx_im[i + R][o] * b.hy_im[j + R][o] -
                     b.kappa[o] * b.g[i + R] * b.g[j + R]) *
                    b.inv_norm[o];
                double ve = ev[(j + n / 2) * n + i + n / 2];
                sab += pe * ve;
                saa += pe * pe;
                sbb += ve * ve;
                dc += pe;
            }
        double corr = sab / sqrt(saa * sbb);
        CHECK(corr > 0.9, "orientation %d: patch kernel vs V1 kernel correlation %.3f", o, corr);
        CHECK(fabs(dc) < 1e-3 * sqrt(saa) * n, "orientation %d: DC response %.3g", o, dc);
    }
    float patch[V1_PATCH_SIDE * V1_PATCH_SIDE], out[V1_PATCH_OUT];
    for (int y = 0; y < V1_PATCH_SIDE; y++)
        for (int x = 0; x < V1_PATCH_SIDE; x++)
            patch[y * V1_PATCH_SIDE + x] = 0.5f + 0.5f * sinf(2.0f * (float)M_PI * (float)y / 4.0f);
    v1_patch_energy(&b, patch, out);
    int c = 7 * V1_PATCH_GRID + 7, best = 0;
    for (int o = 1; o < V1_PATCH_ORIENT; o++)
        if (out[o * 196 + c] > out[best * 196 + c])
            best = o;
    CHECK(best == V1_PATCH_ORIENT / 2, "horizontal stripes drive orientation %d", best);
}

/* The fixed second stage (v1_patch2_energy): zero for a flat energy map away from the grid's
 * edge (its filters have no DC response); a map modulated along x at the second stage's
 * wavelength drives the horizontal coarse orientation most, along y the vertical one; and a
 * bar that ends at the gaze drives the coarse filter along the bar more than a bar that
 * passes through (stroke ends are what it adds). */
static void test_patch2(void)
{
    static V1Patch2Bank b2;
    v1_patch2_bank_init(&b2);
    enum { G = V1_PATCH_GRID, G2 = V1_PATCH2_GRID, O2 = V1_PATCH2_ORIENT };
    static float e1[V1_PATCH_OUT], out[V1_PATCH2_OUT];
    const int mid = G2 / 2;
#define OUT2(o, q, m, k) out[(((o)*O2 + (q)) * G2 + (m)) * G2 + (k)]
    for (int i = 0; i < V1_PATCH_OUT; i++)
        e1[i] = 0.7f;
    v1_patch2_energy(&b2, e1, out);
    double mx = 0;
    for (int o = 0; o < V1_PATCH_ORIENT; o++)
        for (int q = 0; q < O2; q++)
            mx = fmax(mx, OUT2(o, q, mid, mid));
    CHECK(mx == 0.0, "flat energy gives a second-stage response %g at the centre", mx);
    for (int axis = 0; axis < 2; axis++) {
        for (int o = 0; o < V1_PATCH_ORIENT; o++)
            for (int v = 0; v < G; v++)
                for (int u = 0; u < G; u++) {
                    int t = axis == 0 ? u : v;
                    e1[(o * G + v) * G + u] = 0.5f + 0.5f * cosf(2.0f * (float)M_PI * (float)t /
                                                                 (float)V1_PATCH2_WAVELENGTH);
                }
        v1_patch2_energy(&b2, e1, out);
        int best = 0;
        for (int q = 1; q < O2; q++)
            if (OUT2(3, q, mid, mid) > OUT2(3, best, mid, mid))
                best = q;
        CHECK(best == (axis == 0 ? 0 : O2 / 2), "modulation along %s drives coarse orientation %d",
              axis == 0 ? "x" : "y", best);
    }
    /* a horizontal bar of energy in map 0 on grid row 7: ending at the gaze column, or through */
    float end_resp[2];
    for (int through = 0; through < 2; through++) {
        memset(e1, 0, sizeof(e1));
        for (int u = 0; u < G; u++)
            if (through || u <= 7)
                e1[(0 * G + 7) * G + u] = 1.0f;
        v1_patch2_energy(&b2, e1, out);
        end_resp[through] = OUT2(0, 0, mid, mid);
    }
    CHECK(end_resp[0] > 2.0f * end_resp[1] + 0.5f,
          "a bar ending at the gaze gives %.3f along it, a bar through %.3f", end_resp[0],
          end_resp[1]);
#undef OUT2
}

/* Smooth random texture in 0..1 (sum of a few random gratings), and a digit-like figure: a
 * bright ring with a bar (about 20 x 26 px of ink, like an MNIST digit) at (cx, cy). */
static float texture_at(double x, double y)
{
    static const double g[6][3] = {{0.31, 37, 1.0}, {1.12, 23, 2.0}, {1.9, 51, 0.3},
                                   {2.6, 17, 4.0},  {0.77, 29, 5.0}, {2.2, 41, 3.3}};
    double v = 0;
    for (int i = 0; i < 6; i++)
        v += cos(2 * M_PI * (x * cos(g[i][0]) + y * sin(g[i][0])) / g[i][1] + g[i][2]);
    return (float)(0.25 + 0.04 * v);
}

static float figure_at(double x, double y, double cx, double cy)
{
    double dx = x - cx, dy = (y - cy) * 0.8, r = sqrt(dx * dx + dy * dy);
    double ring = exp(-(r - 8) * (r - 8) / 4.0);
    double bar = fabs(x - cx - 6) < 1.5 && fabs(y - cy) < 13 ? 1.0 : 0.0;
    double v = ring > bar ? ring : bar;
    return (float)v;
}

/* The slip estimate against the true shift: a figure moving over a still texture (what the eye
 * sees when a digit moves and the eye is still), and the whole texture moving (what it sees
 * of the background while pursuing), at 0..40 deg/s (0..12.8 px per 10 ms tick), 8 directions.
 * Prints the calibration table; checks the error bounds smooth pursuit relies on. */
static void test_foveal_shift(V1 *v, Retina *r, Image *w, const RetinaParams *rp)
{
    static const double speeds[] = {0, 2, 5, 10, 20, 30, 40};
    const int NS = (int)(sizeof speeds / sizeof speeds[0]);
    for (int kind = 0; kind < 2; kind++) {
        for (int si = 0; si < NS; si++) {
            double err_sum = 0, gain_sum = 0, worst = 0;
            int n = 0, missing = 0;
            for (int dir = 0; dir < 8; dir++) {
                double a = 2 * M_PI * (dir + 0.3) / 8, d = speeds[si] * rp->px_per_deg * 0.01;
                double dx = d * cos(a), dy = d * sin(a);
                for (int t = 0; t < 2; t++) {
                    double ox = t * dx, oy = t * dy;
                    for (int y = 0; y < w->h; y++)
                        for (int x = 0; x < w->w; x++) {
                            float v0 = kind == 0 ? texture_at(x, y) : texture_at(x - ox, y - oy);
                            if (kind == 0) {
                                float f = figure_at(x, y, GX - dx * 0.5 + ox, GY - dy * 0.5 + oy);
                                v0 = v0 > f ? v0 : f;
                            }
                            image_row(w, y)[x] = v0;
                        }
                    retina_world_changed(r, w, 0, 0, -1, -1);
                    retina_sample(r, GX, GY);
                    v1_process(v, r, t > 0);
                }
                float ex, ey, st;
                if (!v1_foveal_shift(v, &ex, &ey, &st)) {
                    missing++;
                    continue;
                }
                double e = hypot(ex - dx, ey - dy);
                err_sum += e;
                worst = e > worst ? e : worst;
                if (d > 0)
                    gain_sum += (ex * dx + ey * dy) / (d * d);
                n++;
            }
            double mean_err = n ? err_sum / n : 0, gain = n ? gain_sum / n : 0;
            printf("foveal shift, %s, %4.0f deg/s (%5.2f px/tick): gain %.3f, mean error %.3f px, "
                   "worst %.3f px, %d of 8 without signal\n",
                   kind == 0 ? "figure over still texture" : "texture moving  ", speeds[si],
                   speeds[si] * rp->px_per_deg * 0.01, gain, mean_err, worst, missing);
            double d = speeds[si] * rp->px_per_deg * 0.01;
            CHECK(missing == 0, "%g deg/s: no signal in %d directions", speeds[si], missing);
            /* what pursuit relies on (measured: the table above): up to 20 deg/s the gain is
             * 0.75..1.15 and the error within 30% of the shift (plus 0.2 px); beyond, the
             * estimate reads short (0.5..1.15) but never points the wrong way */
            double tol = (speeds[si] <= 20 ? 0.30 : 0.70) * d + 0.2;
            CHECK(worst <= tol, "%g deg/s: worst error %.3f px > %.3f px", speeds[si], worst, tol);
            if (d > 0)
                CHECK(gain >= (speeds[si] <= 20 ? 0.75 : 0.5) && gain <= 1.15,
                      "%g deg/s: gain %.3f", speeds[si], gain);
        }
    }
    /* nothing moves: exactly no shift */
    retina_sample(r, GX, GY);
    v1_process(v, r, 1);
    float ex, ey;
    CHECK(v1_foveal_shift(v, &ex, &ey, NULL) == 1 && ex == 0.0f && ey == 0.0f,
          "still scene: shift %g %g", ex, ey);
    v1_process(v, r, 0);
    CHECK(v1_foveal_shift(v, &ex, &ey, NULL) == 0, "motion_valid = 0 must give no signal");
}

int main(void)
{
    RetinaParams rp;
    retina_params_default(&rp);
    V1Params vp;
    v1_params_default(&vp);
    Image w;
    REQUIRE(image_create(&w, W, H) == 0, "image");
    Retina *r = retina_create(&rp, W, H);
    V1 *v = v1_create(&vp, &rp);
    REQUIRE(r && v, "create");
    v1_set_direction_maps(v, 1);
    CHECK(v1_map_size(v) * 2 == rp.level_size, "map size");
    test_kernels(v, &vp);
    test_patch_bank(v);
    test_patch2();
    test_tuning(v, r, &w, &vp);
    test_motion(v, r, &w, &vp);
    test_state(v, r, &w, &vp, &rp);
    test_blank(v, r, &w, &vp, &rp);
    test_foveal_shift(v, r, &w, &rp);
    V1Params bad = vp;
    bad.scales = 0;
    CHECK(v1_create(&bad, &rp) == NULL, "bad params rejected");
    v1_destroy(&v);
    CHECK(v == NULL, "destroy nulls");
    retina_destroy(&r);
    image_destroy(&w);
    return TEST_DONE();
}
