/* Retina properties: sampling at the gaze is the world pixel, levels read the right world
 * places, the incremental pyramid equals a full rebuild, the log-polar view turns rotation
 * into a column shift. */
#include <math.h>
#include <string.h>

#include "core/image.h"
#include "core/rng.h"
#include "retina/retina.h"
#include "test.h"

static void fill_random(Image *img, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed);
    for (int y = 0; y < img->h; y++)
        for (int x = 0; x < img->w; x++)
            image_row(img, y)[x] = (float)rng_uniform(&r);
}

static void test_gaze_equals_world(void)
{
    Image w;
    REQUIRE(image_create(&w, 333, 217) == 0, "image");
    fill_random(&w, 7);
    RetinaParams p;
    retina_params_default(&p);
    Retina *r = retina_create(&p, w.w, w.h);
    REQUIRE(r, "retina_create");
    retina_world_changed(r, &w, 0, 0, -1, -1);
    const int gaze[][2] = {{100, 77}, {0, 0}, {332, 216}, {5, 200}};
    for (int g = 0; g < 4; g++) {
        int gx = gaze[g][0], gy = gaze[g][1];
        retina_sample(r, (float)gx, (float)gy);
        float want = image_at(&w, gx, gy);
        CHECK(retina_value_at(r, (float)gx, (float)gy) == want, "value_at(gaze) %g != %g",
              (double)retina_value_at(r, (float)gx, (float)gy), (double)want);
        int fc = p.fovea_size / 2, lc = p.level_size / 2;
        CHECK(image_at(retina_fovea(r), fc, fc) == want, "fovea centre");
        CHECK(image_at(retina_level(r, 0), lc, lc) == want, "level 0 centre");
        /* the fovea is level 0's centre, bit for bit, and what value_at reports there */
        int bad = 0, far = 0;
        for (int j = 0; j < p.fovea_size; j++)
            for (int i = 0; i < p.fovea_size; i++) {
                float v = image_at(retina_fovea(r), i, j);
                bad += v != image_at(retina_level(r, 0), i - fc + lc, j - fc + lc);
                far += fabsf(v - retina_value_at(r, (float)(gx + i - fc), (float)(gy + j - fc))) >
                       1e-6f;
            }
        CHECK(bad == 0, "fovea differs from level 0 in %d px", bad);
        CHECK(far == 0, "fovea differs from retina_value_at in %d px", far);
        CHECK(retina_fovea(r)->stride == p.fovea_size, "fovea is contiguous");
    }
    /* fractional gaze: the value at the gaze is the bilinear world value */
    retina_sample(r, 50.25f, 60.75f);
    float want = image_sample_bilinear(&w, 50.25f, 60.75f);
    CHECK(fabsf(retina_value_at(r, 50.25f, 60.75f) - want) < 1e-6f, "fractional gaze");
    /* blur grows with eccentricity and the model's level at the gaze is 0 */
    CHECK(retina_level_for_sigma(&p, retina_sigma_px(&p, 0.0f)) == 0.0f, "level at gaze");
    CHECK(retina_sigma_px(&p, 640.0f) > 4.0f * retina_sigma_px(&p, 0.0f), "sigma grows");
    CHECK(fabsf(retina_sigma_px(&p, p.e2_deg * p.px_per_deg) - 2.0f * retina_sigma_px(&p, 0.0f)) <
              1e-6f,
          "sigma doubles at e2");
    retina_destroy(&r);
    CHECK(r == NULL, "destroy nulls");
    image_destroy(&w);
}

static void test_levels_place(void)
{
    Image w;
    REQUIRE(image_create(&w, 640, 480) == 0, "image");
    RetinaParams p;
    retina_params_default(&p);
    Retina *r = retina_create(&p, w.w, w.h);
    REQUIRE(r, "retina_create");
    const int pts[][2] = {{150, 90}, {300, 260}, {333, 201}};
    const int gz[][2] = {{128, 64}, {301, 250}, {320, 240}};
    for (int t = 0; t < 3; t++) {
        image_fill(&w, 0.0f);
        int px = pts[t][0], py = pts[t][1];
        image_row(&w, py)[px] = 1.0f;
        retina_world_changed(r, &w, 0, 0, -1, -1);
        retina_sample(r, (float)gz[t][0], (float)gz[t][1]);
        for (int k = 0; k < p.levels; k++) {
            const Image *lv = retina_level(r, k);
            float s = (float)(1 << k);
            /* the pyramid block that holds the pixel, its centre in world px */
            float bx = ((float)(px >> k) + 0.5f) * s - 0.5f,
                  by = ((float)(py >> k) + 0.5f) * s - 0.5f;
            float x0, y0, sp;
            retina_level_geometry(r, k, &x0, &y0, &sp);
            CHECK(sp == s, "spacing");
            float ei = (bx - x0) / s, ej = (by - y0) / s;
            if (ei < 0 || ej < 0 || ei > lv->w - 1 || ej > lv->h - 1)
                continue; /* outside this level */
            int bi = 0, bj = 0;
            float best = -1.0f;
            for (int j = 0; j < lv->h; j++)
                for (int i = 0; i < lv->w; i++)
                    if (image_at(lv, i, j) > best) {
                        best = image_at(lv, i, j);
                        bi = i;
                        bj = j;
                    }
            CHECK(best > 0.0f, "level %d lost the pixel", k);
            CHECK(fabsf((float)bi - ei) <= 1.0f && fabsf((float)bj - ej) <= 1.0f,
                  "level %d: peak at (%d,%d), expected near (%.2f,%.2f)", k, bi, bj, (double)ei,
                  (double)ej);
            /* energy is conserved by the box pyramid */
            const Image *py_k = retina_pyramid(r, k);
            CHECK(fabsf(image_at(py_k, px >> k, py >> k) - 1.0f / (s * s)) < 1e-7f,
                  "pyramid %d value", k);
        }
    }
    retina_destroy(&r);
    image_destroy(&w);
}

static void test_incremental_pyramid(void)
{
    Image w;
    REQUIRE(image_create(&w, 301, 199) == 0, "image");
    fill_random(&w, 3);
    RetinaParams p;
    retina_params_default(&p);
    Retina *a = retina_create(&p, w.w, w.h), *b = retina_create(&p, w.w, w.h);
    REQUIRE(a && b, "create");
    retina_world_changed(a, &w, 0, 0, -1, -1);
    for (int y = 37; y < 120; y++)
        for (int x = 101; x < 300; x++)
            image_row(&w, y)[x] = 0.5f * image_row(&w, y)[x] + 0.25f;
    retina_world_changed(a, &w, 101, 37, 300, 120);
    retina_world_changed(a, &w, 10, 10, 10, 50); /* empty: no change */
    retina_world_changed(b, &w, 0, 0, -1, -1);
    for (int k = 0; k < p.levels; k++) {
        const Image *pa = retina_pyramid(a, k), *pb = retina_pyramid(b, k);
        int diff = 0;
        for (int y = 0; y < pa->h; y++)
            diff += memcmp(image_row(pa, y), image_row(pb, y), sizeof(float) * (size_t)pa->w) != 0;
        CHECK(diff == 0, "level %d: incremental update differs in %d rows", k, diff);
    }
    /* a constant world stays exactly constant all the way up */
    image_fill(&w, 0.3f);
    retina_world_changed(b, &w, 0, 0, -1, -1);
    retina_sample(b, 10.5f, 190.25f);
    for (int k = 0; k < p.levels; k++) {
        const Image *lv = retina_level(b, k);
        int bad = 0;
        for (int y = 0; y < lv->h; y++)
            for (int x = 0; x < lv->w; x++)
                bad += image_at(lv, x, y) != 0.3f;
        CHECK(bad == 0, "constant world not constant at level %d", k);
    }
    retina_destroy(&a);
    retina_destroy(&b);
    image_destroy(&w);
}

/* A pattern that depends only on the polar angle (counter-clockwise on screen, world y down). */
static float angular(double th)
{
    return (float)(0.5 + 0.25 * cos(th) + 0.15 * sin(3.0 * th + 0.4) + 0.08 * cos(5.0 * th));
}

static void render_angular(Image *w, int gx, int gy, double rot)
{
    for (int y = 0; y < w->h; y++)
        for (int x = 0; x < w->w; x++) {
            double th = atan2(-(double)(y - gy), (double)(x - gx));
            image_row(w, y)[x] = angular(th - rot);
        }
}

static void test_log_polar_rotation(void)
{
    const int W = 512, gx = 256, gy = 256;
    Image w;
    REQUIRE(image_create(&w, W, W) == 0, "image");
    RetinaParams p;
    retina_params_default(&p);
    p.cortical_wedges = 64;
    p.cortical_rings = 24;
    p.cortical_min_deg = 1.0f;
    p.cortical_max_deg = 7.0f;
    Retina *r = retina_create(&p, W, W);
    REQUIRE(r, "create");
    Image c0, c1;
    REQUIRE(image_create(&c0, p.cortical_wedges, p.cortical_rings) == 0 &&
                image_create(&c1, p.cortical_wedges, p.cortical_rings) == 0,
            "images");
    render_angular(&w, gx, gy, 0.0);
    retina_world_changed(r, &w, 0, 0, -1, -1);
    retina_sample(r, (float)gx, (float)gy);
    retina_cortical(r, &c0);
    const int shifts[] = {1, 5, 17};
    for (int t = 0; t < 3; t++) {
        int k = shifts[t];
        render_angular(&w, gx, gy, 2.0 * M_PI * k / p.cortical_wedges);
        retina_world_changed(r, &w, 0, 0, -1, -1);
        retina_sample(r, (float)gx, (float)gy);
        retina_cortical(r, &c1);
        /* the best circular column shift should be k, with a small residual */
        int best = -1;
        double best_err = 1e30, err_k = 0, range = 0;
        for (int sh = 0; sh < p.cortical_wedges; sh++) {
            double e = 0;
            for (int y = 0; y < c0.h; y++)
                for (int x = 0; x < c0.w; x++) {
                    double d = image_at(&c1, (x + sh) % c0.w, y) - image_at(&c0, x, y);
                    e += d * d;
                }
            e /= (double)c0.w * c0.h;
            if (e < best_err) {
                best_err = e;
                best = sh;
            }
            if (sh == k)
                err_k = e;
            range = e > range ? e : range;
        }
        CHECK(best == k, "rotation by %d wedges: best shift %d", k, best);
        CHECK(sqrt(err_k) < 0.01, "rms residual %g after shifting by %d", sqrt(err_k), k);
        CHECK(sqrt(range) > 0.05, "pattern too flat to test");
    }
    image_destroy(&c0);
    image_destroy(&c1);
    retina_destroy(&r);
    image_destroy(&w);
}

static void test_foveated_blur(void)
{
    /* the foveated view keeps detail at the gaze and blurs it far away */
    Image w, f;
    REQUIRE(image_create(&w, 640, 360) == 0 && image_create(&f, 640, 360) == 0, "images");
    for (int y = 0; y < w.h; y++)
        for (int x = 0; x < w.w; x++)
            image_row(&w, y)[x] = ((x + y) & 1) ? 1.0f : 0.0f; /* finest checkerboard */
    RetinaParams p;
    retina_params_default(&p);
    Retina *r = retina_create(&p, w.w, w.h);
    REQUIRE(r, "create");
    retina_world_changed(r, &w, 0, 0, -1, -1);
    retina_sample(r, 100.0f, 100.0f);
    retina_foveated(r, &f);
    float c_near = fabsf(image_at(&f, 100, 100) - image_at(&f, 101, 100));
    float c_far = fabsf(image_at(&f, 600, 300) - image_at(&f, 601, 300));
    CHECK(c_near > 0.95f, "fovea keeps the checkerboard (%g)", (double)c_near);
    CHECK(image_at(&f, 100, 100) == image_at(&w, 100, 100), "foveated view at the gaze");
    CHECK(c_far < 0.05f, "periphery blurs it (%g)", (double)c_far);
    for (int y = 0; y < f.h; y++)
        for (int x = 0; x < f.w; x++)
            if (!isfinite(image_at(&f, x, y))) {
                CHECK(0, "non-finite foveated pixel");
                y = f.h;
                break;
            }
    retina_destroy(&r);
    image_destroy(&w);
    image_destroy(&f);
}

/* The blur a retina adds to a vertical step edge between world columns xe and xe + 1, read
 * along the row y from src(x) at 1 px spacing: the standard deviation (px) of the line-spread
 * function (the step response's differences). */
typedef float (*RowRead)(const Retina *r, const void *ctx, int x);

static float read_level0(const Retina *r, const void *ctx, int x)
{
    const int *g = ctx; /* gaze x, gaze y (integers) */
    int c = retina_params(r)->level_size / 2;
    return image_at(retina_level(r, 0), x - g[0] + c, c);
}

static float read_value_at(const Retina *r, const void *ctx, int x)
{
    const int *g = ctx;
    return retina_value_at(r, (float)x, (float)g[1]);
}

static double lsf_sd(const Retina *r, RowRead read, const void *ctx, int xe, int half)
{
    double w = 0, m = 0, m2 = 0;
    for (int x = xe - half; x < xe + half; x++) {
        double d = (double)read(r, ctx, x + 1) - (double)read(r, ctx, x);
        double at = x + 0.5;
        w += d;
        m += d * at;
        m2 += d * at * at;
    }
    m /= w;
    return sqrt(fmax(0.0, m2 / w - m * m));
}

/* Glimpse 1 carries the model's blur: at each eccentricity E the blur measured from an edge's
 * response (on top of the world pixel's own sigma0) is sqrt(sigma(E)^2 - sigma(0)^2) of the
 * formula, within 10%, in level 0 (and so in the fovea) and, further out, in what
 * retina_value_at and the window report, where beyond level 0 the finest level holding the
 * point sets a floor (its own blur). A pyramid level's response depends on where the edge
 * falls in its 2^k-px blocks, so gaze and edge move together over every phase and the
 * variances are averaged. */
static void test_blur_follows_model(void)
{
    const int W = 640;
    Image w;
    REQUIRE(image_create(&w, W, W) == 0, "image");
    RetinaParams p;
    retina_params_default(&p);
    p.levels = 5;
    Retina *r = retina_create(&p, W, W);
    REQUIRE(r, "create");
    const double s0 = retina_sigma_px(&p, 0.0f);
    const int ecc[] = {6, 12, 20, 28, 44, 50, 90, 150, 350};
    double prev = 0;
    for (int t = 0; t < (int)(sizeof(ecc) / sizeof(ecc[0])); t++) {
        double sm = retina_sigma_px(&p, (float)ecc[t] + 0.5f);
        int k = retina_level_covering(&p, (float)ecc[t] + 0.5f, 0.0f);
        double var_want = fmax(sm * sm, k > 0 ? retina_level_var(&p, k) : 0.0) - s0 * s0;
        double want = sqrt(var_want);
        int phases = 1 << (int)ceil(retina_level_at(&p, (float)ecc[t] + 0.5f, 0.0f));
        int half = 6 + (int)(4.0 * sqrt(var_want + s0 * s0));
        double var_v = 0, var_l = 0;
        int in_level0 = ecc[t] + half < p.level_size / 2 - 1;
        for (int ph = 0; ph < phases; ph++) {
            const int g[2] = {160 + ph, 256};
            int xe = g[0] + ecc[t];
            for (int y = 0; y < W; y++)
                for (int x = 0; x < W; x++)
                    image_row(&w, y)[x] = x > xe ? 1.0f : 0.0f;
            retina_world_changed(r, &w, 0, 0, -1, -1);
            retina_sample(r, (float)g[0], (float)g[1]);
            double sv = lsf_sd(r, read_value_at, g, xe, half);
            var_v += sv * sv / phases;
            if (in_level0) { /* within level 0: the glimpse itself */
                double sl = lsf_sd(r, read_level0, g, xe, half);
                var_l += sl * sl / phases;
            }
        }
        double got = sqrt(var_v);
        double told = retina_sigma_at(&p, (float)ecc[t] + 0.5f, 0.0f);
        CHECK(fabs(told - sqrt(var_want + s0 * s0)) < 1e-4,
              "E = %d px: retina_sigma_at %.4f, model with floor %.4f", ecc[t], told,
              sqrt(var_want + s0 * s0));
        CHECK(fabs(got - want) <= 0.10 * want, "E = %d px: blur %.3f px, model %.3f", ecc[t], got,
              want);
        CHECK(got > prev - 1e-3, "E = %d px: blur %.3f falls (%.3f nearer)", ecc[t], got, prev);
        prev = got;
        if (in_level0)
            CHECK(fabs(sqrt(var_l) - got) < 1e-4, "E = %d px: level 0 blur %.4f, value_at %.4f",
                  ecc[t], sqrt(var_l), got);
    }
    retina_destroy(&r);
    image_destroy(&w);
}

/* What one glimpse senses: the shipped stack on a 60 x 60 world (two levels of 64^2, the fovea
 * inside level 0) and the sensor-matched one (the 28^2 fovea plus 12^2 levels). */
static void test_numbers_per_glimpse(void)
{
    RetinaParams p;
    retina_params_default(&p);
    p.levels = 2;
    CHECK(retina_numbers_per_glimpse(&p) == 8192, "full sensor: %d",
          retina_numbers_per_glimpse(&p));
    p.level_size = 12;
    p.levels = 4;
    CHECK(retina_numbers_per_glimpse(&p) == 784 + 3 * 144, "small sensor: %d",
          retina_numbers_per_glimpse(&p));
}

static void test_before_world(void)
{
    RetinaParams p;
    retina_params_default(&p);
    Retina *r = retina_create(&p, 200, 100);
    REQUIRE(r, "create");
    retina_sample(r, 50.0f, 50.0f); /* no world yet: must not crash, levels stay zero */
    CHECK(image_at(retina_level(r, 0), 32, 32) == 0.0f, "level before the world");
    CHECK(retina_value_at(r, 10.0f, 10.0f) == 0.0f, "value before the world");
    CHECK(retina_pyramid(r, 0)->px == NULL, "no placeholder world");
    retina_destroy(&r);
}

int main(void)
{
    test_before_world();
    test_gaze_equals_world();
    test_levels_place();
    test_incremental_pyramid();
    test_log_polar_rotation();
    test_foveated_blur();
    test_blur_follows_model();
    test_numbers_per_glimpse();
    RetinaParams p;
    retina_params_default(&p);
    p.levels = 0;
    CHECK(retina_create(&p, 100, 100) == NULL, "bad params rejected");
    return TEST_DONE();
}
