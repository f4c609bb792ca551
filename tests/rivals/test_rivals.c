/* Rivals' layers: every layer's gradients against central finite differences, the whole net
 * with softmax cross-entropy likewise, and training run twice gives the same bits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "rivals/net.h"
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
    fill(&r, rr, (size_t)B * out, -1, 1);
    net_layer_forward(n, l, B, x, y);
    memset(n->grads, 0, n->n_params * sizeof(float));
    net_layer_backward(n, l, B, x, y, rr, gx);
#define LOSS(val)                                                                               \
    do {                                                                                        \
        net_layer_forward(n, l, B, x, y);                                                       \
        double s_ = 0;                                                                          \
        for (int j = 0; j < B * out; j++)                                                       \
            s_ += (double)rr[j] * y[j];                                                         \
        val = s_;                                                                               \
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

int main(void)
{
    /* each layer alone */
    struct {
        const char *name;
        int kind;
    } kinds[] = {{"conv", NET_CONV}, {"local", NET_LOCAL}, {"dense", NET_DENSE}, {"relu", NET_RELU}};
    for (int k = 0; k < 4; k++) {
        Net n;
        net_begin(&n, 2, 9, 8);
        int rc = kinds[k].kind == NET_CONV    ? net_add_conv(&n, 3, 3, 2)
                 : kinds[k].kind == NET_LOCAL ? net_add_local(&n, 3, 3, 2)
                 : kinds[k].kind == NET_DENSE ? net_add_dense(&n, 7)
                                              : net_add_relu(&n);
        CHECK(rc == 0);
        CHECK(net_finish(&n, 3, 5) == 0);
        double worst = check_layer(&n, 3, 100 + (uint64_t)k, -1);
        printf("gradient check %-5s: worst relative error %.3g over %zu params + inputs\n",
               kinds[k].name, worst, n.n_params);
        CHECKF(worst < 1e-3, "%s: %g", kinds[k].name, worst);
        net_free(&n);
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
    /* the whole net with softmax cross-entropy: conv -> relu -> local -> relu -> dense */
    {
        Net n;
        net_begin(&n, 1, 12, 12);
        CHECK(net_add_conv(&n, 3, 4, 2) == 0 && net_add_relu(&n) == 0);
        CHECK(net_add_local(&n, 2, 2, 1) == 0 && net_add_relu(&n) == 0);
        CHECK(net_add_dense(&n, 5) == 0);
        CHECK(net_finish(&n, 4, 9) == 0);
        Rng r;
        rng_seed(&r, 77);
        fill(&r, n.params, n.n_params, -0.5f, 0.5f);
        float x[4 * 144];
        fill(&r, x, 4 * 144, 0, 1);
        int lab[4] = {0, 3, 1, 4};
        net_forward(&n, 4, x);
        net_backward_xent(&n, 4, lab, NULL);
        float *ana = malloc(n.n_params * sizeof(float));
        memcpy(ana, n.grads, n.n_params * sizeof(float));
        const float eps = 1e-3f;
        long bad = 0;
        double worst = 0;
        for (size_t p = 0; p < n.n_params; p++) {
            float keep = n.params[p];
            n.params[p] = keep + eps;
            double lp = xent_loss(&n, 4, x, lab);
            n.params[p] = keep - eps;
            double lm = xent_loss(&n, 4, x, lab);
            n.params[p] = keep;
            double num = (lp - lm) / (2.0 * eps), err = fabs(num - ana[p]);
            /* float forward passes: allow rounding of the loss over 2 eps, and ReLU kinks
             * crossed by a step (counted, must be rare) */
            if (err > 2e-3 + 2e-2 * fabs(ana[p]))
                bad++;
            else
                worst = fmax(worst, err);
        }
        printf("gradient check net+xent: %zu params, %ld beyond tolerance, worst within %.3g\n",
               n.n_params, bad, worst);
        CHECKF(bad * 100 <= (long)n.n_params, "%ld of %zu", bad, n.n_params);
        free(ana);
        net_free(&n);
    }
    /* training: the loss falls on a learnable toy problem, and two runs give the same bits */
    {
        float *p0 = NULL;
        for (int run = 0; run < 2; run++) {
            Net n;
            net_begin(&n, 1, 10, 10);
            CHECK(net_add_conv(&n, 4, 3, 1) == 0 && net_add_relu(&n) == 0);
            CHECK(net_add_dense(&n, 16) == 0 && net_add_relu(&n) == 0);
            CHECK(net_add_dense(&n, 2) == 0);
            CHECK(net_finish(&n, 16, 3) == 0);
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
                p0 = malloc(n.n_params * sizeof(float));
                memcpy(p0, n.params, n.n_params * sizeof(float));
            } else {
                CHECK(!memcmp(p0, n.params, n.n_params * sizeof(float)));
            }
            net_free(&n);
        }
        free(p0);
    }
    return TEST_DONE();
}
