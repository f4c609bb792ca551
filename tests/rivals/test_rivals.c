/* Rivals' layers, with each kernel set (plain C, and OpenBLAS when built with it): every
 * layer's gradients against central finite differences on a batch of samples, the whole net
 * with softmax cross-entropy likewise, the two kernel sets against each other on the rivals'
 * own shapes, and training run twice gives the same bits.
 *
 * `test_rivals --bench` times one training step (forward, backward, Adam) of the rivals' nets
 * on 60x60 canvases, batch 32, with each kernel set. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "data/dataset.h"
#include "eval/canvas.h"
#include "nn/net.h"
#include "test.h"

static void fill(Rng *r, float *p, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++)
        p[i] = lo + (hi - lo) * (float)rng_uniform(r);
}

/* L = sum(r * layer(x)); returns the largest |numeric - analytic| / max(1, |analytic|) over
 * every weight, bias and input. */
static double check_layer(Net *n, int B, uint64_t seed, float xlo)
{
    const NetLayer *l = &n->layers[0];
    int in = net_layer_in(l), out = net_layer_out(l);
    Rng r;
    rng_seed(&r, seed);
    fill(&r, n->params, n->n_params, -1, 1);
    float *x = malloc(sizeof(float) * B * in), *y = malloc(sizeof(float) * B * out);
    float *rr = malloc(sizeof(float) * B * out), *gx = malloc(sizeof(float) * B * in);
    fill(&r, x, (size_t)B * in, xlo, 1);
    if (l->kind == NET_RELU) /* keep inputs away from the kink: |x| >= 0.1 */
        for (int i = 0; i < B * in; i++)
            x[i] = x[i] < 0 ? x[i] - 0.1f : x[i] + 0.1f;
    if (l->kind == NET_MAXPOOL || l->kind == NET_GLOBALMAX) {
        /* distinct values 0.05 apart (a shuffled ramp): no step of eps changes which is largest */
        for (int i = 0; i < B * in; i++)
            x[i] = -1 + 0.05f * (float)i;
        for (int i = B * in - 1; i > 0; i--) {
            int j = (int)rng_below(&r, (uint32_t)i + 1);
            float t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
    fill(&r, rr, (size_t)B * out, -1, 1);
    net_layer_forward(n, l, B, x, y);
    memset(n->grads, 0, n->n_params * sizeof(float));
    net_layer_backward(n, l, B, x, y, rr, gx);
#define LOSS(val)                                                                                  \
    do {                                                                                           \
        net_layer_forward(n, l, B, x, y);                                                          \
        double s_ = 0;                                                                             \
        for (int j = 0; j < B * out; j++)                                                          \
            s_ += (double)rr[j] * y[j];                                                            \
        val = s_;                                                                                  \
    } while (0)
    const float eps = 1e-2f;
    double worst = 0;
    for (size_t p = 0; p < n->n_params; p++) {
        float keep = n->params[p];
        double lp, lm;
        n->params[p] = keep + eps;
        LOSS(lp);
        n->params[p] = keep - eps;
        LOSS(lm);
        n->params[p] = keep;
        double num = (lp - lm) / (2.0 * eps), ana = n->grads[p];
        worst = fmax(worst, fabs(num - ana) / fmax(1.0, fabs(ana)));
    }
    for (int i = 0; i < B * in; i++) {
        float keep = x[i];
        double lp, lm;
        x[i] = keep + eps;
        LOSS(lp);
        x[i] = keep - eps;
        LOSS(lm);
        x[i] = keep;
        double num = (lp - lm) / (2.0 * eps), ana = gx[i];
        worst = fmax(worst, fabs(num - ana) / fmax(1.0, fabs(ana)));
    }
#undef LOSS
    free(x);
    free(y);
    free(rr);
    free(gx);
    return worst;
}

static double xent_loss(Net *n, int B, const float *x, const int *lab)
{
    const float *z = net_forward(n, B, x);
    int C = net_outputs(n);
    double loss = 0;
    for (int s = 0; s < B; s++) {
        double m = z[s * C], sum = 0;
        for (int c = 1; c < C; c++)
            m = fmax(m, z[s * C + c]);
        for (int c = 0; c < C; c++)
            sum += exp(z[s * C + c] - m);
        loss += m + log(sum) - z[s * C + lab[s]];
    }
    return loss / B;
}

/* Canvas-like input: mostly black, a few bright blobs. */
static void fill_canvas(Rng *r, float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = rng_uniform(r) < 0.15 ? (float)rng_uniform(r) : 0.0f;
}

/* The whole net's softmax cross-entropy gradient against central differences (steps of eps):
 * returns how many parameters are beyond tolerance (float forward passes: rounding of the loss
 * over 2 eps, and kinks crossed by a step, must be rare); *worst: the largest error within it. */
static long xent_gradcheck(Net *n, int B, const float *x, const int *lab, float eps, double *worst)
{
    net_forward(n, B, x);
    net_backward_xent(n, B, lab, NULL);
    float *ana = malloc(n->n_params * sizeof(float));
    memcpy(ana, n->grads, n->n_params * sizeof(float));
    long bad = 0;
    *worst = 0;
    for (size_t p = 0; p < n->n_params; p++) {
        float keep = n->params[p];
        n->params[p] = keep + eps;
        double lp = xent_loss(n, B, x, lab);
        n->params[p] = keep - eps;
        double lm = xent_loss(n, B, x, lab);
        n->params[p] = keep;
        double num = (lp - lm) / (2.0 * eps), err = fabs(num - ana[p]);
        if (err > 2e-3 + 2e-2 * fabs(ana[p]))
            bad++;
        else
            *worst = fmax(*worst, err);
    }
    free(ana);
    return bad;
}

/* Two copies of a net, one per kernel set, on the same canvas-like batch of 5: the largest
 * difference of their logits (*dz) and gradients (*dg), and the largest gradient (*gmax). */
static void kernels_compare(Net *c, Net *b, uint64_t seed, double *dz, double *dg, double *gmax)
{
    const int B = 5, in = net_inputs(c), C = net_outputs(c);
    float *x = malloc(sizeof(float) * B * in);
    Rng r;
    rng_seed(&r, seed);
    fill_canvas(&r, x, B * in);
    int lab[5] = {1, 7, 3, 0, 9};
    const float *zc = net_forward(c, B, x), *zb = net_forward(b, B, x);
    *dz = *dg = *gmax = 0;
    for (int i = 0; i < B * C; i++)
        *dz = fmax(*dz, fabs(zc[i] - zb[i]));
    net_backward_xent(c, B, lab, NULL);
    net_backward_xent(b, B, lab, NULL);
    for (size_t p = 0; p < c->n_params; p++) {
        *dg = fmax(*dg, fabs(c->grads[p] - b->grads[p]));
        *gmax = fmax(*gmax, fabs(c->grads[p]));
    }
    free(x);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A small `modern` (src/eval/rivals.c: the same layer sequence, width w): 3x3 convolutions without
 * bias, each with batch norm and ReLU, two 2x2 poolings, a global max pool, dropout, dense. */
static void modern_net_relu(Net *n, int w, int side, int batch, int relu)
{
    net_begin(n, 1, side, side);
    int rc = 0, width[6] = {w, w, 2 * w, 2 * w, 4 * w, 4 * w};
    for (int i = 0; i < 6; i++) {
        rc |= net_add_conv_padded(n, width[i], 3, 1, 1, 0);
        rc |= net_add_batchnorm(n);
        if (relu)
            rc |= net_add_relu(n);
        if (i == 1 || i == 3)
            rc |= net_add_maxpool(n);
    }
    rc |= net_add_globalmax(n);
    rc |= net_add_dropout(n, 0.2f);
    rc |= net_add_dense(n, 10);
    CHECK(rc == 0);
    CHECK(net_finish(n, batch, 13) == 0);
}

static void modern_net(Net *n, int w, int side, int batch)
{
    modern_net_relu(n, w, side, batch, 1);
}

/* The rivals' nets on a side x side canvas (src/eval/rivals.c: reader_build). */
static void rival_net(Net *n, int arch, int side, int batch)
{
    net_begin(n, 1, side, side);
    int rc = arch == 0   ? net_add_conv(n, 8, 10, 5)
             : arch == 1 ? net_add_local(n, 8, 10, 5)
                         : net_add_dense(n, 256);
    rc |= net_add_relu(n);
    rc |= net_add_dense(n, 256);
    rc |= net_add_relu(n);
    rc |= net_add_dense(n, 10);
    CHECK(rc == 0);
    CHECK(net_finish(n, batch, 11) == 0);
}

static void bench(void)
{
    static const char *const names[] = {"conv", "lc", "fc"};
    const int B = 32, side = 60, in = side * side;
    float *x = malloc(sizeof(float) * B * in);
    int lab[32];
    Rng r;
    rng_seed(&r, 1);
    fill_canvas(&r, x, B * in);
    for (int s = 0; s < B; s++)
        lab[s] = s % 10;
    printf("one training step (forward, backward, Adam), batch %d, %dx%d canvas:\n", B, side, side);
    for (int a = 0; a < 3; a++)
        for (int blas = 0; blas <= net_blas_available(); blas++) {
            Net n;
            rival_net(&n, a, side, B);
            net_set_blas(&n, blas);
            int steps = 0;
            double t0 = now_s(), t;
            do {
                net_forward(&n, B, x);
                net_backward_xent(&n, B, lab, NULL);
                net_adam_step(&n, 1e-3f, 1e-4f);
                steps++;
                t = now_s() - t0;
            } while (t < 2.0);
            printf("  %-4s %-8s %8.3f ms per step, %7.0f examples/s\n", names[a],
                   blas ? "OpenBLAS" : "C loops", 1e3 * t / steps, steps * B / t);
            net_free(&n);
        }
    /* modern at widths 8, 16, 32 (the external reference's), OpenBLAS only (the C loops are
     * the reference, 10-20x slower here) */
    for (int w = 8; w <= 32 && net_blas_available(); w *= 2) {
        Net n;
        modern_net(&n, w, side, B);
        net_set_training(&n, 1);
        int steps = 0;
        double t0 = now_s(), t;
        do {
            net_forward(&n, B, x);
            net_backward_xent(&n, B, lab, NULL);
            net_adam_step(&n, 1e-3f, 1e-4f);
            steps++;
            t = now_s() - t0;
        } while (t < 2.0);
        printf("  modern width %-2d OpenBLAS %8.3f ms per step, %7.0f examples/s (%.1f M "
               "multiply-adds per forward)\n",
               w, 1e3 * t / steps, steps * B / t, net_macs(&n) / 1e6);
        net_free(&n);
    }
    free(x);
}

/* The experiments' canvases follow the RAM authors' generator: distractors of 8x8 drawn from
 * uniform spots of random digits, added, the digit added last, every sum clipped to 1. Digits
 * here are flat squares of one value, so every pixel tells how many pieces cover it. */
static void check_canvases(void)
{
    enum { N = 200, CANVAS = 60 };
    float *digits = malloc(sizeof(float) * N * DATASET_PATCH_N);
    for (int k = 0; k < N; k++)
        for (int p = 0; p < DATASET_PATCH_N; p++)
            digits[k * DATASET_PATCH_N + p] = 0.375f;
    Image w = {0}, w2 = {0};
    int side = canvas_world_side(CANVAS);
    CHECK(image_create(&w, side, side) == 0);
    CHECK(image_create(&w2, side, side) == 0);
    long covered_outside = 0, at_clip = 0;
    for (int i = 0; i < 200; i++) {
        int tx, ty, tx2, ty2;
        canvas_build(&w, digits, N, CANVAS, 4, 7, i, &tx, &ty);
        canvas_build(&w2, digits, N, CANVAS, 4, 7, i, &tx2, &ty2);
        CHECK(tx == tx2 && ty == ty2 && memcmp(w.px, w2.px, sizeof(float) * w.stride * side) == 0);
        CHECK(tx >= CANVAS_PAD_PX && ty >= CANVAS_PAD_PX);
        CHECK(tx + DATASET_SIDE <= CANVAS_PAD_PX + CANVAS &&
              ty + DATASET_SIDE <= CANVAS_PAD_PX + CANVAS);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                float v = image_row(&w, y)[x];
                int inside = x >= tx && x < tx + DATASET_SIDE && y >= ty && y < ty + DATASET_SIDE;
                int on_canvas = x >= CANVAS_PAD_PX && x < CANVAS_PAD_PX + CANVAS &&
                                y >= CANVAS_PAD_PX && y < CANVAS_PAD_PX + CANVAS;
                /* 0, 1, 2 pieces: 0, 0.375, 0.75; 3 or more clip to 1 */
                int pieces = v == 0 ? 0 : v == 0.375f ? 1 : v == 0.75f ? 2 : v == 1.0f ? 3 : -1;
                CHECKF(pieces >= 0, "canvas %d: pixel %g is no sum of pieces", i, v);
                CHECK(on_canvas || v == 0);
                CHECK(!inside || pieces >= 1); /* the digit is added, not hidden */
                covered_outside += !inside && pieces > 0;
                at_clip += pieces == 3;
            }
    }
    /* fragments lie on the canvas, 4 x 64 px at most outside the digit each time */
    CHECK(covered_outside > 0 && covered_outside <= 200L * 4 * 64);
    CHECK(at_clip > 0);
    /* the source spot is uniform over the 28x28 patch and no fragment is redrawn for lack of
     * ink: a set of a blank digit and one with ink (1.0) in its top-left 8x8 corner only; canvas
     * 0 shows the blank digit and one fragment, of either digit, whose spot (fx, fy) in 0..20
     * keeps (8 - fx)(8 - fy) px of that corner: mean ink 1/2 x 36 x 36 / 441 = 1.469 px */
    memset(digits, 0, sizeof(float) * 2 * DATASET_PATCH_N);
    for (int p = 0; p < DATASET_PATCH_N; p++)
        if (p / DATASET_SIDE < 8 && p % DATASET_SIDE < 8)
            digits[DATASET_PATCH_N + p] = 1.0f;
    double ink = 0;
    const int n_canvas = 8000;
    for (int s = 0; s < n_canvas; s++) {
        int tx, ty;
        canvas_build(&w, digits, 2, CANVAS, 1, 1000 + (uint64_t)s, 0, &tx, &ty);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                ink += image_row(&w, y)[x];
    }
    ink /= n_canvas;
    printf("canvases: mean fragment ink %.3f px (uniform spots, no ink rule: 1.469)\n", ink);
    CHECKF(ink > 1.25 && ink < 1.70, "mean fragment ink %g, expected 1.469", ink);
    image_destroy(&w);
    image_destroy(&w2);
    free(digits);
    printf("canvases: sums of pieces, clipped at 1; the digit always shows\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--bench")) {
        bench();
        return 0;
    }
    check_canvases();
    /* each layer alone, a batch of 3 samples, with each kernel set */
    struct {
        const char *name;
        int kind;
    } kinds[] = {{"conv", NET_CONV},       {"local", NET_LOCAL},     {"dense", NET_DENSE},
                 {"relu", NET_RELU},       {"convp", NET_CONV},      {"maxpool", NET_MAXPOOL},
                 {"gmax", NET_GLOBALMAX},  {"bnorm", NET_BATCHNORM}, {"bn-inf", NET_BATCHNORM},
                 {"dropout", NET_DROPOUT}, {"convpb", NET_CONV}};
    const int n_kinds = (int)(sizeof(kinds) / sizeof(kinds[0]));
    for (int blas = 0; blas <= net_blas_available(); blas++)
        for (int k = 0; k < n_kinds; k++) {
            Net n;
            net_begin(&n, 2, 9, 8);
            int rc = k == 0   ? net_add_conv(&n, 3, 3, 2)
                     : k == 1 ? net_add_local(&n, 3, 3, 2)
                     : k == 2 ? net_add_dense(&n, 7)
                     : k == 3 ? net_add_relu(&n)
                     : k == 4 ? net_add_conv_padded(&n, 3, 3, 1, 1, 0) /* 3x3 same, no bias */
                     : k == 5 ? net_add_maxpool(&n)
                     : k == 6 ? net_add_globalmax(&n)
                     : k <= 8 ? net_add_batchnorm(&n)
                     : k == 9 ? net_add_dropout(&n, 0.3f)
                              : net_add_conv_padded(&n, 3, 4, 2, 2, 1); /* stride, bias */
            CHECK(rc == 0);
            CHECK((int)n.layers[0].kind == kinds[k].kind);
            CHECK(net_finish(&n, 3, 5) == 0);
            CHECK(net_set_blas(&n, blas) == blas);
            /* batch norm with the batch's statistics (training) and with running ones */
            net_set_training(&n, k != 8);
            if (k == 8)
                for (size_t q = 0; q < n.n_state; q++)
                    n.state[q] = 0.3f + 0.1f * (float)q;
            double worst = check_layer(&n, 3, 100 + (uint64_t)k, -1);
            printf("gradient check %-5s (%s): worst relative error %.3g over %zu params + "
                   "inputs, batch 3\n",
                   kinds[k].name, blas ? "OpenBLAS" : "C loops", worst, n.n_params);
            CHECKF(worst < 1e-3, "%s: %g", kinds[k].name, worst);
            net_free(&n);
        }
    /* the two kernel sets agree on the rivals' nets (60x60, batch 5): logits and gradients */
    if (net_blas_available())
        for (int a = 0; a < 3; a++) {
            Net c, b;
            rival_net(&c, a, 60, 5);
            rival_net(&b, a, 60, 5);
            net_set_blas(&c, 0);
            CHECK(net_set_blas(&b, 1) == 1);
            double dz, dg, gmax;
            kernels_compare(&c, &b, 3, &dz, &dg, &gmax);
            printf("C loops against OpenBLAS, net %d: logits within %.3g, gradients within %.3g "
                   "(largest %.3g)\n",
                   a, dz, dg, gmax);
            CHECKF(dz < 1e-4 && dg < 1e-5 * fmax(1, gmax), "net %d: %g %g", a, dz, dg);
            net_free(&c);
            net_free(&b);
        }
    /* shapes: valid windows */
    {
        Net n;
        net_begin(&n, 1, 60, 60);
        CHECK(net_add_conv(&n, 8, 10, 5) == 0);
        CHECK(n.layers[0].out_h == 11 && n.layers[0].out_w == 11);
        CHECK(net_add_relu(&n) == 0 && net_add_dense(&n, 256) == 0);
        CHECK(net_add_local(&n, 2, 3, 1) < 0); /* 1x1 input: no 3x3 window */
        CHECK(net_finish(&n, 1, 1) == 0);
        CHECK(net_macs(&n) == 8.0 * 121 * 100 + 968.0 * 256);
        net_free(&n);
    }
    /* modern's shapes and parameter count: the external reference's 288,170 at width 32 */
    {
        Net n;
        modern_net(&n, 32, 60, 1);
        CHECK(n.layers[0].out_h == 60 && n.layers[0].out_w == 60);
        int pools = 0;
        for (int i = 0; i < n.n_layers; i++)
            if (n.layers[i].kind == NET_MAXPOOL)
                CHECK(n.layers[i].out_h == (pools++ ? 15 : 30));
        CHECKF(n.n_params == 288170, "%zu", n.n_params);
        CHECK(n.n_state == 2 * (32 + 32 + 64 + 64 + 128 + 128));
        CHECK(net_outputs(&n) == 10);
        net_free(&n);
        Net bad;
        net_begin(&bad, 1, 1, 1);
        CHECK(net_add_maxpool(&bad) < 0);
        CHECK(net_add_dropout(&bad, 1.0f) < 0 && net_add_dropout(&bad, -0.1f) < 0);
        CHECK(net_add_local(&bad, 2, 3, 1) < 0);
        net_begin(&bad, 1, 5, 5);
        CHECK(net_add_conv_padded(&bad, 2, 3, 1, 3, 0) < 0); /* pad >= k */
    }
    /* dropout: about `rate` zeroed in training, the rest scaled; one mask per Adam step; identity
     * in inference. Batch norm: running statistics move 0.1 toward the batch's. */
    {
        Net n;
        net_begin(&n, 4, 10, 10);
        CHECK(net_add_dropout(&n, 0.25f) == 0 && net_add_batchnorm(&n) == 0);
        CHECK(net_finish(&n, 8, 21) == 0);
        float *x = malloc(sizeof(float) * 8 * 400), *y = malloc(sizeof(float) * 8 * 400);
        for (int i = 0; i < 8 * 400; i++)
            x[i] = 1.0f + (float)(i % 400) / 400.0f;
        net_layer_forward(&n, &n.layers[0], 8, x, y);
        CHECK(!memcmp(x, y, sizeof(float) * 8 * 400)); /* inference: identity */
        net_set_training(&n, 1);
        net_layer_forward(&n, &n.layers[0], 8, x, y);
        int zeros = 0, scaled = 0;
        for (int i = 0; i < 8 * 400; i++) {
            zeros += y[i] == 0;
            scaled += fabsf(y[i] - x[i] / 0.75f) < 1e-6f;
        }
        CHECKF(zeros + scaled == 8 * 400 && zeros > 700 && zeros < 900, "%d zeroed", zeros);
        float *y2 = malloc(sizeof(float) * 8 * 400);
        net_layer_forward(&n, &n.layers[0], 8, x, y2);
        CHECK(!memcmp(y, y2, sizeof(float) * 8 * 400)); /* same step, same mask */
        memset(n.grads, 0, n.n_params * sizeof(float));
        net_adam_step(&n, 1e-3f, 0);
        net_layer_forward(&n, &n.layers[0], 8, x, y2);
        CHECK(memcmp(y, y2, sizeof(float) * 8 * 400) != 0); /* next step, a new mask */
        /* batch norm: channel c of x has mean 1.49875 + ... : compare with the running mean */
        net_layer_forward(&n, &n.layers[1], 8, x, y);
        double m0 = 0;
        for (int sm = 0; sm < 8; sm++)
            for (int p = 0; p < 100; p++)
                m0 += x[sm * 400 + p];
        m0 /= 800;
        CHECKF(fabs(n.state[0] - 0.1 * m0) < 1e-5, "running mean %g, batch mean %g", n.state[0],
               m0);
        /* training output: mean 0, variance var / (var + 1e-5) per channel (gamma 1, beta 0) */
        double ym = 0, yv = 0, xm = 0, xv = 0;
        for (int sm = 0; sm < 8; sm++)
            for (int p = 0; p < 100; p++) {
                ym += y[sm * 400 + 100 + p];
                yv += (double)y[sm * 400 + 100 + p] * y[sm * 400 + 100 + p];
                xm += x[sm * 400 + 100 + p];
                xv += (double)x[sm * 400 + 100 + p] * x[sm * 400 + 100 + p];
            }
        double var = xv / 800 - (xm / 800) * (xm / 800);
        CHECKF(fabs(ym / 800) < 1e-5 && fabs(yv / 800 - var / (var + 1e-5)) < 1e-4, "%g %g",
               ym / 800, yv / 800);
        free(x);
        free(y);
        free(y2);
        net_free(&n);
    }
    /* a small modern net with softmax cross-entropy, in training mode (batch norm with the batch's
     * statistics, one dropout mask): every parameter's gradient against central differences.
     * Without its ReLUs: after batch norm many values sit near 0, so a step of eps crosses
     * ReLU kinks every time and the differences measure the kinks, not the gradient (the ReLU
     * is checked alone above, and chained in net+xent below). */
    for (int blas = 0; blas <= net_blas_available(); blas++) {
        Net n;
        modern_net_relu(&n, 2, 12, 4, 0);
        net_set_blas(&n, blas);
        net_set_training(&n, 1);
        Rng r;
        rng_seed(&r, 78);
        float x[4 * 144];
        fill(&r, x, 4 * 144, 0, 1);
        int lab[4] = {0, 3, 1, 9};
        double worst;
        long bad = xent_gradcheck(&n, 4, x, lab, 1e-3f, &worst);
        printf("gradient check modern+xent (%s): %zu params, %ld beyond tolerance, worst within "
               "%.3g\n",
               blas ? "OpenBLAS" : "C loops", n.n_params, bad, worst);
        CHECKF(bad * 100 <= (long)n.n_params, "%ld of %zu", bad, n.n_params);
        net_free(&n);
    }
    /* the two kernel sets agree on modern (width 4, 60x60, batch 5, training mode) */
    if (net_blas_available()) {
        Net c, b;
        modern_net(&c, 4, 60, 5);
        modern_net(&b, 4, 60, 5);
        net_set_blas(&c, 0);
        CHECK(net_set_blas(&b, 1) == 1);
        net_set_training(&c, 1);
        net_set_training(&b, 1);
        double dz, dg, gmax;
        kernels_compare(&c, &b, 4, &dz, &dg, &gmax);
        printf("C loops against OpenBLAS, modern: logits within %.3g, gradients within %.3g "
               "(largest %.3g)\n",
               dz, dg, gmax);
        CHECKF(dz < 1e-4 && dg < 1e-4 * fmax(1, gmax), "modern: %g %g", dz, dg);
        net_free(&c);
        net_free(&b);
    }
    /* the whole net with softmax cross-entropy: conv -> relu -> local -> relu -> dense, batched
     * (conv and local as inner layers, so their input gradients are checked too) */
    for (int blas = 0; blas <= net_blas_available(); blas++) {
        Net n;
        net_begin(&n, 1, 12, 12);
        CHECK(net_add_conv(&n, 3, 4, 2) == 0 && net_add_relu(&n) == 0);
        CHECK(net_add_local(&n, 2, 2, 1) == 0 && net_add_relu(&n) == 0);
        CHECK(net_add_dense(&n, 5) == 0);
        CHECK(net_finish(&n, 4, 9) == 0);
        net_set_blas(&n, blas);
        Rng r;
        rng_seed(&r, 77);
        fill(&r, n.params, n.n_params, -0.5f, 0.5f);
        float x[4 * 144];
        fill(&r, x, 4 * 144, 0, 1);
        int lab[4] = {0, 3, 1, 4};
        double worst;
        long bad = xent_gradcheck(&n, 4, x, lab, 1e-3f, &worst);
        printf("gradient check net+xent (%s): %zu params, %ld beyond tolerance, worst within "
               "%.3g\n",
               blas ? "OpenBLAS" : "C loops", n.n_params, bad, worst);
        CHECKF(bad * 100 <= (long)n.n_params, "%ld of %zu", bad, n.n_params);
        net_free(&n);
    }
    /* training: the loss falls on a learnable toy problem, and two runs give the same bits
     * (each kernel set) */
    for (int arch = 0; arch < 2; arch++)
        for (int blas = 0; blas <= net_blas_available(); blas++) {
            float *p0 = NULL;
            for (int run = 0; run < 2; run++) {
                Net n;
                if (arch == 0) {
                    net_begin(&n, 1, 10, 10);
                    CHECK(net_add_conv(&n, 4, 3, 1) == 0 && net_add_relu(&n) == 0);
                    CHECK(net_add_dense(&n, 16) == 0 && net_add_relu(&n) == 0);
                    CHECK(net_add_dense(&n, 2) == 0);
                    CHECK(net_finish(&n, 16, 3) == 0);
                } else { /* modern, width 2 (10 outputs, 2 used) */
                    modern_net(&n, 2, 10, 16);
                    net_set_training(&n, 1);
                }
                net_set_blas(&n, blas);
                Rng r;
                rng_seed(&r, 5);
                double first = 0, last = 0;
                for (int step = 0; step < 60; step++) {
                    float x[16 * 100];
                    int lab[16];
                    for (int s = 0; s < 16; s++) { /* a bright bar, horizontal or vertical */
                        memset(x + s * 100, 0, 100 * sizeof(float));
                        lab[s] = (int)rng_below(&r, 2);
                        int at = 1 + (int)rng_below(&r, 8);
                        for (int t = 0; t < 10; t++)
                            x[s * 100 + (lab[s] ? at * 10 + t : t * 10 + at)] = 1;
                    }
                    net_forward(&n, 16, x);
                    double loss = net_backward_xent(&n, 16, lab, NULL);
                    net_adam_step(&n, 1e-2f, 1e-4f);
                    if (step == 0)
                        first = loss;
                    last = loss;
                }
                CHECKF(last < 0.3 * first, "loss %g -> %g", first, last);
                if (run == 0) {
                    p0 = malloc(net_weights_n(&n) * sizeof(float));
                    net_weights_get(&n, p0);
                } else {
                    float *p1 = malloc(net_weights_n(&n) * sizeof(float));
                    net_weights_get(&n, p1);
                    CHECK(!memcmp(p0, p1, net_weights_n(&n) * sizeof(float)));
                    free(p1);
                }
                net_free(&n);
            }
            free(p0);
        }
    return TEST_DONE();
}
