/* net.c: the rivals' layers (see net.h). */
#include "nn/net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/log.h"
#include "core/rng.h"

#if SACCADE_HAVE_OPENBLAS
#include <cblas.h>
/* openblas_set_num_threads is declared by OpenBLAS's cblas.h */
#endif

void net_begin(Net *n, int c, int h, int w)
{
    memset(n, 0, sizeof(*n));
    /* the input shape is kept as a zero-size pseudo layer's output: see cur_shape */
    n->layers[0].in_c = c;
    n->layers[0].in_h = h;
    n->layers[0].in_w = w;
}

static void cur_shape(const Net *n, int *c, int *h, int *w)
{
    if (n->n_layers == 0) {
        *c = n->layers[0].in_c;
        *h = n->layers[0].in_h;
        *w = n->layers[0].in_w;
    } else {
        const NetLayer *l = &n->layers[n->n_layers - 1];
        *c = l->out_c;
        *h = l->out_h;
        *w = l->out_w;
    }
}

static NetLayer *push(Net *n, NetLayerKind kind)
{
    if (n->n_layers >= NET_MAX_LAYERS) {
        sc_set_error("net: more than %d layers", NET_MAX_LAYERS);
        return NULL;
    }
    int c, h, w;
    cur_shape(n, &c, &h, &w);
    NetLayer *l = &n->layers[n->n_layers++];
    memset(l, 0, sizeof(*l));
    l->kind = kind;
    l->in_c = c;
    l->in_h = h;
    l->in_w = w;
    l->out_c = c;
    l->out_h = h;
    l->out_w = w;
    return l;
}

static int add_window(Net *n, NetLayerKind kind, int out_c, int k, int stride, int pad, int bias)
{
    NetLayer *l = push(n, kind);
    if (!l)
        return -1;
    if (out_c < 1 || k < 1 || stride < 1 || pad < 0 || pad >= k || k > l->in_h + 2 * pad ||
        k > l->in_w + 2 * pad || (pad && kind != NET_CONV)) {
        sc_set_error("net: window %dx%d stride %d pad %d does not fit %dx%d", k, k, stride, pad,
                     l->in_h, l->in_w);
        n->n_layers--;
        return -1;
    }
    l->k = k;
    l->stride = stride;
    l->pad = pad;
    l->out_c = out_c;
    l->out_h = (l->in_h + 2 * pad - k) / stride + 1;
    l->out_w = (l->in_w + 2 * pad - k) / stride + 1;
    size_t taps = (size_t)l->in_c * k * k;
    if (kind == NET_CONV) {
        l->n_w = (size_t)out_c * taps;
        l->n_b = bias ? (size_t)out_c : 0;
    } else {
        l->n_w = (size_t)out_c * l->out_h * l->out_w * taps;
        l->n_b = (size_t)out_c * l->out_h * l->out_w;
    }
    return 0;
}

int net_add_conv(Net *n, int out_c, int k, int stride)
{
    return add_window(n, NET_CONV, out_c, k, stride, 0, 1);
}

int net_add_conv_padded(Net *n, int out_c, int k, int stride, int pad, int bias)
{
    return add_window(n, NET_CONV, out_c, k, stride, pad, bias);
}

int net_add_local(Net *n, int out_c, int k, int stride)
{
    return add_window(n, NET_LOCAL, out_c, k, stride, 0, 1);
}

int net_add_maxpool(Net *n)
{
    NetLayer *l = push(n, NET_MAXPOOL);
    if (!l)
        return -1;
    if (l->in_h < 2 || l->in_w < 2) {
        sc_set_error("net: 2x2 pooling of %dx%d", l->in_h, l->in_w);
        n->n_layers--;
        return -1;
    }
    l->out_h = l->in_h / 2;
    l->out_w = l->in_w / 2;
    return 0;
}

int net_add_globalmax(Net *n)
{
    NetLayer *l = push(n, NET_GLOBALMAX);
    if (!l)
        return -1;
    l->out_h = l->out_w = 1;
    return 0;
}

int net_add_batchnorm(Net *n)
{
    NetLayer *l = push(n, NET_BATCHNORM);
    if (!l)
        return -1;
    l->n_w = l->n_b = (size_t)l->in_c;
    l->n_s = 2 * (size_t)l->in_c;
    return 0;
}

int net_add_dropout(Net *n, float rate)
{
    if (!(rate >= 0 && rate < 1)) {
        sc_set_error("net: dropout rate %g outside [0, 1)", (double)rate);
        return -1;
    }
    NetLayer *l = push(n, NET_DROPOUT);
    if (!l)
        return -1;
    l->rate = rate;
    return 0;
}

int net_add_dense(Net *n, int out)
{
    NetLayer *l = push(n, NET_DENSE);
    if (!l)
        return -1;
    l->in_c = l->in_c * l->in_h * l->in_w;
    l->in_h = l->in_w = 1;
    l->out_c = out;
    l->out_h = l->out_w = 1;
    l->n_w = (size_t)l->in_c * out;
    l->n_b = (size_t)out;
    return 0;
}

int net_add_relu(Net *n)
{
    return push(n, NET_RELU) ? 0 : -1;
}

int net_inputs(const Net *n)
{
    return net_layer_in(&n->layers[0]);
}

int net_outputs(const Net *n)
{
    return net_layer_out(&n->layers[n->n_layers - 1]);
}

double net_macs(const Net *n)
{
    double m = 0;
    for (int i = 0; i < n->n_layers; i++) {
        const NetLayer *l = &n->layers[i];
        if (l->kind == NET_CONV || l->kind == NET_LOCAL)
            m += (double)net_layer_out(l) * l->in_c * l->k * l->k;
        else if (l->kind == NET_BATCHNORM) /* one multiply-add per value (folded at inference) */
            m += (double)net_layer_out(l);
        else if (l->kind == NET_DENSE)
            m += (double)l->n_w;
    }
    return m;
}

void net_free(Net *n)
{
    free(n->params);
    free(n->grads);
    free(n->adam_m);
    free(n->adam_v);
    for (int i = 0; i <= NET_MAX_LAYERS; i++) {
        free(n->act[i]);
        free(n->dact[i]);
    }
    for (int i = 0; i < NET_MAX_LAYERS; i++) {
        free(n->cols[i]);
        free(n->aux[i]);
        free(n->argmax[i]);
    }
    free(n->scratch);
    free(n->state);
    memset(n, 0, sizeof(*n));
}

int net_blas_available(void)
{
    return SACCADE_HAVE_OPENBLAS;
}

int net_set_blas(Net *n, int on)
{
    n->blas = on && SACCADE_HAVE_OPENBLAS;
#if SACCADE_HAVE_OPENBLAS
    if (n->blas)
        openblas_set_num_threads(1); /* one thread: a fixed summation order */
#endif
    return n->blas;
}

int net_finish(Net *n, int batch_cap, uint64_t seed)
{
    if (n->n_layers < 1 || batch_cap < 1) {
        sc_set_error("net: no layers");
        return -1;
    }
    size_t off = 0, soff = 0;
    for (int i = 0; i < n->n_layers; i++) {
        NetLayer *l = &n->layers[i];
        l->w_off = off;
        off += l->n_w;
        l->b_off = off;
        off += l->n_b;
        l->s_off = soff;
        soff += l->n_s;
    }
    n->n_params = off;
    n->n_state = soff;
    n->seed = seed;
    n->batch_cap = batch_cap;
    size_t np = off ? off : 1;
    n->params = calloc(np, sizeof(float));
    n->grads = calloc(np, sizeof(float));
    n->adam_m = calloc(np, sizeof(float));
    n->adam_v = calloc(np, sizeof(float));
    int bad = !n->params || !n->grads || !n->adam_m || !n->adam_v;
    for (int i = 0; i <= n->n_layers && !bad; i++) {
        int sz = i == 0 ? net_inputs(n) : net_layer_out(&n->layers[i - 1]);
        n->act[i] = calloc((size_t)sz * batch_cap, sizeof(float));
        n->dact[i] = calloc((size_t)sz * batch_cap, sizeof(float));
        bad |= !n->act[i] || !n->dact[i];
    }
    if (n->n_state && !bad) {
        n->state = calloc(n->n_state, sizeof(float));
        bad |= !n->state;
    }
    for (int i = 0; i < n->n_layers && !bad; i++) {
        const NetLayer *l = &n->layers[i];
        if (l->kind == NET_BATCHNORM)
            n->aux[i] = calloc(2 * (size_t)l->in_c, sizeof(float));
        else if (l->kind == NET_DROPOUT)
            n->aux[i] = calloc((size_t)batch_cap * net_layer_in(l), sizeof(float));
        else if (l->kind == NET_MAXPOOL || l->kind == NET_GLOBALMAX)
            n->argmax[i] = calloc((size_t)batch_cap * net_layer_out(l), sizeof(int));
        else
            continue;
        bad |= !n->aux[i] && !n->argmax[i];
    }
    /* im2col copies (and one scratch for their gradients and per-position gathers) for the
     * OpenBLAS kernels: batch_cap x positions x taps each */
    size_t scratch = 0, gather = 0;
    for (int i = 0; i < n->n_layers && !bad; i++) {
        const NetLayer *l = &n->layers[i];
        if (l->kind != NET_CONV && l->kind != NET_LOCAL)
            continue;
        size_t sz = (size_t)batch_cap * l->out_h * l->out_w * l->in_c * l->k * l->k;
        n->cols[i] = malloc(sz * sizeof(float));
        bad |= !n->cols[i];
        scratch = sz > scratch ? sz : scratch;
        gather = (size_t)batch_cap * l->out_c > gather ? (size_t)batch_cap * l->out_c : gather;
    }
    if (scratch && !bad) {
        n->gather_n = gather;
        n->scratch = malloc((scratch + gather) * sizeof(float));
        bad |= !n->scratch;
    }
    if (bad) {
        net_free(n);
        sc_set_error("net: out of memory");
        return -1;
    }
    Rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < n->n_layers; i++) {
        const NetLayer *l = &n->layers[i];
        if (l->kind == NET_BATCHNORM) { /* gamma 1, beta 0; running mean 0, variance 1 */
            for (size_t j = 0; j < l->n_w; j++) {
                n->params[l->w_off + j] = 1;
                n->state[l->s_off + l->n_w + j] = 1;
            }
            continue;
        }
        if (!l->n_w)
            continue;
        double fan_in = l->kind == NET_DENSE ? l->in_c : (double)l->in_c * l->k * l->k;
        double lim = sqrt(6.0 / fan_in);
        for (size_t j = 0; j < l->n_w; j++)
            n->params[l->w_off + j] = (float)((2 * rng_uniform(&r) - 1) * lim);
    }
    net_set_blas(n, 1);
    return 0;
}

/* ---------------------------------------------------------------- kernels */

static void conv_forward(const NetLayer *l, const float *w, const float *b, const float *x,
                         float *y, int local)
{
    const int K = l->k, S = l->stride, OH = l->out_h, OW = l->out_w, IH = l->in_h, IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oc = 0; oc < l->out_c; oc++)
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                size_t pos = ((size_t)oc * OH + oy) * OW + ox;
                const float *wk = local ? w + pos * taps : w + (size_t)oc * taps;
                float acc = local ? b[pos] : b[oc];
                for (int ic = 0; ic < l->in_c; ic++)
                    for (int ky = 0; ky < K; ky++) {
                        const float *xr = x + ((size_t)ic * IH + oy * S + ky) * IW + ox * S;
                        const float *wr = wk + ((size_t)ic * K + ky) * K;
                        for (int kx = 0; kx < K; kx++)
                            acc += wr[kx] * xr[kx];
                    }
                y[pos] = acc;
            }
}

static void conv_backward(const NetLayer *l, const float *w, float *gw, float *gb, const float *x,
                          const float *gy, float *gx, int local)
{
    const int K = l->k, S = l->stride, OH = l->out_h, OW = l->out_w, IH = l->in_h, IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oc = 0; oc < l->out_c; oc++)
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                size_t pos = ((size_t)oc * OH + oy) * OW + ox;
                float g = gy[pos];
                if (g == 0)
                    continue;
                size_t wo = local ? pos * taps : (size_t)oc * taps;
                if (local)
                    gb[pos] += g;
                else
                    gb[oc] += g;
                for (int ic = 0; ic < l->in_c; ic++)
                    for (int ky = 0; ky < K; ky++) {
                        size_t xo = ((size_t)ic * IH + oy * S + ky) * IW + ox * S;
                        size_t ko = wo + ((size_t)ic * K + ky) * K;
                        for (int kx = 0; kx < K; kx++)
                            gw[ko + kx] += g * x[xo + kx];
                        if (gx)
                            for (int kx = 0; kx < K; kx++)
                                gx[xo + kx] += g * w[ko + kx];
                    }
            }
}

/* A convolution with zero padding or no bias (C loops): taps outside the input read 0. */
static void convp_forward(const NetLayer *l, const float *w, const float *b, const float *x,
                          float *y)
{
    const int K = l->k, S = l->stride, P = l->pad, OH = l->out_h, OW = l->out_w, IH = l->in_h,
              IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oc = 0; oc < l->out_c; oc++)
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                const float *wk = w + (size_t)oc * taps;
                float acc = l->n_b ? b[oc] : 0.0f;
                for (int ic = 0; ic < l->in_c; ic++)
                    for (int ky = 0; ky < K; ky++) {
                        int iy = oy * S + ky - P;
                        if (iy < 0 || iy >= IH)
                            continue;
                        for (int kx = 0; kx < K; kx++) {
                            int ix = ox * S + kx - P;
                            if (ix >= 0 && ix < IW)
                                acc += wk[((size_t)ic * K + ky) * K + kx] *
                                       x[((size_t)ic * IH + iy) * IW + ix];
                        }
                    }
                y[((size_t)oc * OH + oy) * OW + ox] = acc;
            }
}

static void convp_backward(const NetLayer *l, const float *w, float *gw, float *gb, const float *x,
                           const float *gy, float *gx)
{
    const int K = l->k, S = l->stride, P = l->pad, OH = l->out_h, OW = l->out_w, IH = l->in_h,
              IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oc = 0; oc < l->out_c; oc++)
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                float g = gy[((size_t)oc * OH + oy) * OW + ox];
                if (g == 0)
                    continue;
                if (l->n_b)
                    gb[oc] += g;
                for (int ic = 0; ic < l->in_c; ic++)
                    for (int ky = 0; ky < K; ky++) {
                        int iy = oy * S + ky - P;
                        if (iy < 0 || iy >= IH)
                            continue;
                        for (int kx = 0; kx < K; kx++) {
                            int ix = ox * S + kx - P;
                            if (ix < 0 || ix >= IW)
                                continue;
                            size_t ko = (size_t)oc * taps + ((size_t)ic * K + ky) * K + kx;
                            size_t xo = ((size_t)ic * IH + iy) * IW + ix;
                            gw[ko] += g * x[xo];
                            if (gx)
                                gx[xo] += g * w[ko];
                        }
                    }
            }
}

#if SACCADE_HAVE_OPENBLAS
/* im2col of one sample: cols[p][t], p = oy * OW + ox, t = (ic * K + ky) * K + kx. */
static void im2col(const NetLayer *l, const float *x, float *cols)
{
    const int K = l->k, S = l->stride, OH = l->out_h, OW = l->out_w, IH = l->in_h, IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++) {
            float *c = cols + ((size_t)oy * OW + ox) * taps;
            for (int ic = 0; ic < l->in_c; ic++)
                for (int ky = 0; ky < K; ky++) {
                    memcpy(c, x + ((size_t)ic * IH + oy * S + ky) * IW + ox * S,
                           (size_t)K * sizeof(float));
                    c += K;
                }
        }
}

/* Adds the window gradients gcols (one sample, im2col layout) into gx. */
static void col2im_add(const NetLayer *l, const float *gcols, float *gx)
{
    const int K = l->k, S = l->stride, OH = l->out_h, OW = l->out_w, IH = l->in_h, IW = l->in_w;
    const int taps = l->in_c * K * K;
    for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++) {
            const float *c = gcols + ((size_t)oy * OW + ox) * taps;
            for (int ic = 0; ic < l->in_c; ic++)
                for (int ky = 0; ky < K; ky++) {
                    float *g = gx + ((size_t)ic * IH + oy * S + ky) * IW + ox * S;
                    for (int kx = 0; kx < K; kx++)
                        g[kx] += c[kx];
                    c += K;
                }
        }
}

/* Padded (or bias-free) convolutions use the transposed layout, one row per tap: colsT[t][p], t =
 * (ic * K + ky) * K + kx, p = oy * OW + ox (taps outside the input are 0). A row is a shifted copy
 * of an input row, so building it is a run of contiguous copies, not one gather per tap: with
 * narrow layers (8-32 channels) the copy costs as much as the product otherwise. */
static void valid_range(const NetLayer *l, int k, int n_in, int n_out, int *lo, int *hi)
{
    /* outputs o with 0 <= o * S + k - P < n_in */
    const int S = l->stride, P = l->pad;
    int a = P - k > 0 ? (P - k + S - 1) / S : 0;
    int b = (n_in - 1 + P - k) >= 0 ? (n_in - 1 + P - k) / S + 1 : 0;
    *lo = a < n_out ? a : n_out;
    *hi = b < n_out ? b : n_out;
    if (*hi < *lo)
        *hi = *lo;
}

static void im2col_t(const NetLayer *l, const float *x, float *cols)
{
    const int K = l->k, S = l->stride, P = l->pad, OH = l->out_h, OW = l->out_w, IH = l->in_h,
              IW = l->in_w;
    const size_t NP = (size_t)OH * OW;
    for (int ic = 0; ic < l->in_c; ic++)
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++) {
                float *c = cols + (((size_t)ic * K + ky) * K + kx) * NP;
                int ylo, yhi, xlo, xhi;
                valid_range(l, ky, IH, OH, &ylo, &yhi);
                valid_range(l, kx, IW, OW, &xlo, &xhi);
                memset(c, 0, (size_t)ylo * OW * sizeof(float));
                for (int oy = ylo; oy < yhi; oy++) {
                    float *cr = c + (size_t)oy * OW;
                    const float *xr = x + ((size_t)ic * IH + oy * S + ky - P) * IW + kx - P;
                    for (int ox = 0; ox < xlo; ox++)
                        cr[ox] = 0;
                    if (S == 1)
                        memcpy(cr + xlo, xr + xlo, (size_t)(xhi - xlo) * sizeof(float));
                    else
                        for (int ox = xlo; ox < xhi; ox++)
                            cr[ox] = xr[ox * S];
                    for (int ox = xhi; ox < OW; ox++)
                        cr[ox] = 0;
                }
                memset(c + (size_t)yhi * OW, 0, (size_t)(OH - yhi) * OW * sizeof(float));
            }
}

static void col2im_t_add(const NetLayer *l, const float *gcols, float *gx)
{
    const int K = l->k, S = l->stride, P = l->pad, OH = l->out_h, OW = l->out_w, IH = l->in_h,
              IW = l->in_w;
    const size_t NP = (size_t)OH * OW;
    for (int ic = 0; ic < l->in_c; ic++)
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++) {
                const float *c = gcols + (((size_t)ic * K + ky) * K + kx) * NP;
                int ylo, yhi, xlo, xhi;
                valid_range(l, ky, IH, OH, &ylo, &yhi);
                valid_range(l, kx, IW, OW, &xlo, &xhi);
                for (int oy = ylo; oy < yhi; oy++) {
                    const float *cr = c + (size_t)oy * OW;
                    float *g = gx + ((size_t)ic * IH + oy * S + ky - P) * IW + kx - P;
                    if (S == 1)
                        for (int ox = xlo; ox < xhi; ox++)
                            g[ox] += cr[ox];
                    else
                        for (int ox = xlo; ox < xhi; ox++)
                            g[ox * S] += cr[ox];
                }
            }
}

/* y = layer(x) for B samples; the layer's im2col copy is kept for the backward pass. */
static void window_forward_blas(const Net *n, const NetLayer *l, int B, const float *x, float *y)
{
    const int P = l->out_h * l->out_w, OC = l->out_c, taps = l->in_c * l->k * l->k;
    const int in = net_layer_in(l), out = net_layer_out(l);
    const float *w = n->params + l->w_off, *b = n->params + l->b_off;
    float *cols = n->cols[l - n->layers];
    if (l->kind == NET_CONV &&
        (l->pad || !l->n_b)) { /* y_s[oc][p] = b[oc] + W[oc][t] colsT_s[t][p] */
        for (int s = 0; s < B; s++) {
            float *ys = y + (size_t)s * out, *cs = cols + (size_t)s * P * taps;
            im2col_t(l, x + (size_t)s * in, cs);
            for (int oc = 0; oc < OC && l->n_b; oc++)
                for (int p = 0; p < P; p++)
                    ys[(size_t)oc * P + p] = b[oc];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, OC, P, taps, 1.0f, w, taps, cs,
                        P, l->n_b ? 1.0f : 0.0f, ys, P);
        }
        return;
    }
    for (int s = 0; s < B; s++)
        im2col(l, x + (size_t)s * in, cols + (size_t)s * P * taps);
    if (l->kind == NET_CONV) {
        /* per sample: y_s[oc][p] = b[oc] + W[oc][t] cols_s[p][t] */
        for (int s = 0; s < B; s++) {
            float *ys = y + (size_t)s * out;
            for (int oc = 0; oc < OC; oc++)
                for (int p = 0; p < P; p++)
                    ys[(size_t)oc * P + p] = b[oc];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, OC, P, taps, 1.0f, w, taps,
                        cols + (size_t)s * P * taps, taps, 1.0f, ys, P);
        }
        return;
    }
    /* locally connected, per position p: Y_p[s][oc] = cols[s][p][.] . W[oc][p][.] */
    float *t = n->scratch;
    for (int p = 0; p < P; p++) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, OC, taps, 1.0f,
                    cols + (size_t)p * taps, P * taps, w + (size_t)p * taps, P * taps, 0.0f, t, OC);
        for (int s = 0; s < B; s++)
            for (int oc = 0; oc < OC; oc++)
                y[(size_t)s * out + (size_t)oc * P + p] = t[s * OC + oc] + b[(size_t)oc * P + p];
    }
}

static void window_backward_blas(Net *n, const NetLayer *l, int B, const float *gy, float *gx)
{
    const int P = l->out_h * l->out_w, OC = l->out_c, taps = l->in_c * l->k * l->k;
    const int in = net_layer_in(l), out = net_layer_out(l);
    const float *w = n->params + l->w_off;
    float *gw = n->grads + l->w_off, *gb = n->grads + l->b_off;
    const float *cols = n->cols[l - n->layers];
    float *gcols = n->scratch + n->gather_n;
    if (l->kind == NET_CONV && (l->pad || !l->n_b)) {
        if (gx)
            memset(gx, 0, (size_t)B * in * sizeof(float));
        for (int s = 0; s < B; s++) {
            const float *gs = gy + (size_t)s * out, *cs = cols + (size_t)s * P * taps;
            for (int oc = 0; oc < OC && l->n_b; oc++) {
                float acc = 0;
                for (int p = 0; p < P; p++)
                    acc += gs[(size_t)oc * P + p];
                gb[oc] += acc;
            }
            /* gW[oc][t] += gy_s[oc][p] colsT_s[t][p] */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, OC, taps, P, 1.0f, gs, P, cs, P,
                        1.0f, gw, taps);
            if (gx) { /* gcolsT[t][p] = W[oc][t] gy_s[oc][p], one sample at a time */
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, taps, P, OC, 1.0f, w, taps, gs,
                            P, 0.0f, gcols, P);
                col2im_t_add(l, gcols, gx + (size_t)s * in);
            }
        }
        return;
    }
    if (l->kind == NET_CONV) {
        for (int s = 0; s < B; s++) {
            const float *gs = gy + (size_t)s * out;
            for (int oc = 0; oc < OC; oc++) {
                float acc = 0;
                for (int p = 0; p < P; p++)
                    acc += gs[(size_t)oc * P + p];
                gb[oc] += acc;
            }
            /* gW[oc][t] += gy_s[oc][p] cols_s[p][t] */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, OC, taps, P, 1.0f, gs, P,
                        cols + (size_t)s * P * taps, taps, 1.0f, gw, taps);
            if (gx) {
                /* gcols_s[p][t] = gy_s[oc][p] W[oc][t] */
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, P, taps, OC, 1.0f, gs, P, w,
                            taps, 0.0f, gcols + (size_t)s * P * taps, taps);
            }
        }
    } else {
        float *t = n->scratch; /* gY_p: B x OC */
        for (int p = 0; p < P; p++) {
            for (int s = 0; s < B; s++)
                for (int oc = 0; oc < OC; oc++)
                    t[s * OC + oc] = gy[(size_t)s * out + (size_t)oc * P + p];
            for (int s = 0; s < B; s++)
                for (int oc = 0; oc < OC; oc++)
                    gb[(size_t)oc * P + p] += t[s * OC + oc];
            /* gW_p[oc][t] += gY_p[s][oc] cols[s][p][t] */
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, taps, B, 1.0f, t, OC,
                        cols + (size_t)p * taps, P * taps, 1.0f, gw + (size_t)p * taps, P * taps);
            if (gx) /* gcols[s][p][t] = gY_p[s][oc] W_p[oc][t] */
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, taps, OC, 1.0f, t, OC,
                            w + (size_t)p * taps, P * taps, 0.0f, gcols + (size_t)p * taps,
                            P * taps);
        }
    }
    if (gx) {
        memset(gx, 0, (size_t)B * in * sizeof(float));
        for (int s = 0; s < B; s++)
            col2im_add(l, gcols + (size_t)s * P * taps, gx + (size_t)s * in);
    }
}
#endif

/* ---------------------------------------------------------------- pooling, batch norm, dropout */

#define BN_EPS 1e-5f
#define BN_MOMENTUM 0.1f

static void maxpool_forward(const NetLayer *l, int B, const float *x, float *y, int *am)
{
    const int C = l->in_c, IH = l->in_h, IW = l->in_w, OH = l->out_h, OW = l->out_w;
    size_t o = 0;
    for (int s = 0; s < B; s++)
        for (int c = 0; c < C; c++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++, o++) {
                    size_t i0 = (((size_t)s * C + c) * IH + 2 * oy) * IW + 2 * ox;
                    size_t cand[4] = {i0, i0 + 1, i0 + IW, i0 + IW + 1}, best = i0;
                    for (int q = 1; q < 4; q++) /* the first of equal values wins */
                        if (x[cand[q]] > x[best])
                            best = cand[q];
                    am[o] = (int)best;
                    y[o] = x[best];
                }
}

static void globalmax_forward(const NetLayer *l, int B, const float *x, float *y, int *am)
{
    const size_t P = (size_t)l->in_h * l->in_w;
    for (size_t sc = 0; sc < (size_t)B * l->in_c; sc++) {
        size_t best = sc * P;
        for (size_t p = 1; p < P; p++)
            if (x[sc * P + p] > x[best])
                best = sc * P + p;
        am[sc] = (int)best;
        y[sc] = x[best];
    }
}

static void batchnorm_forward(const Net *n, const NetLayer *l, int B, const float *x, float *y)
{
    const int C = l->in_c;
    const size_t P = (size_t)l->in_h * l->in_w, in = (size_t)C * P, N = (size_t)B * P;
    const float *gamma = n->params + l->w_off, *beta = n->params + l->b_off;
    float *rmean = n->state + l->s_off, *rvar = rmean + C;
    float *stat = n->aux[l - n->layers]; /* the batch's mean[C], 1/std[C] */
    for (int c = 0; c < C; c++) {
        float mean, inv;
        if (n->training) {
            double sum = 0, ss = 0;
            for (int s = 0; s < B; s++)
                for (size_t p = 0; p < P; p++)
                    sum += x[s * in + c * P + p];
            double m = sum / (double)N;
            for (int s = 0; s < B; s++)
                for (size_t p = 0; p < P; p++) {
                    double d = x[s * in + c * P + p] - m;
                    ss += d * d;
                }
            double var = ss / (double)N;
            mean = (float)m;
            inv = (float)(1.0 / sqrt(var + BN_EPS));
            stat[c] = mean;
            stat[C + c] = inv;
            rmean[c] = (1 - BN_MOMENTUM) * rmean[c] + BN_MOMENTUM * mean;
            rvar[c] = (1 - BN_MOMENTUM) * rvar[c] +
                      BN_MOMENTUM * (float)(N > 1 ? var * (double)N / (double)(N - 1) : var);
        } else {
            mean = rmean[c];
            inv = 1.0f / sqrtf(rvar[c] + BN_EPS);
        }
        const float a = gamma[c] * inv, b0 = beta[c] - a * mean;
        for (int s = 0; s < B; s++) {
            const float *xr = x + s * in + c * P;
            float *yr = y + s * in + c * P;
            for (size_t p = 0; p < P; p++)
                yr[p] = a * xr[p] + b0;
        }
    }
}

static void batchnorm_backward(Net *n, const NetLayer *l, int B, const float *x, const float *gy,
                               float *gx)
{
    const int C = l->in_c;
    const size_t P = (size_t)l->in_h * l->in_w, in = (size_t)C * P, N = (size_t)B * P;
    const float *gamma = n->params + l->w_off, *rvar = n->state + l->s_off + C;
    const float *rmean = n->state + l->s_off, *stat = n->aux[l - n->layers];
    float *gg = n->grads + l->w_off, *gb = n->grads + l->b_off;
    for (int c = 0; c < C; c++) {
        const float mean = n->training ? stat[c] : rmean[c];
        const float inv = n->training ? stat[C + c] : 1.0f / sqrtf(rvar[c] + BN_EPS);
        double sg = 0, sgx = 0;
        for (int s = 0; s < B; s++)
            for (size_t p = 0; p < P; p++) {
                size_t i = s * in + c * P + p;
                sg += gy[i];
                sgx += (double)gy[i] * ((x[i] - mean) * inv);
            }
        gg[c] += (float)sgx;
        gb[c] += (float)sg;
        if (!gx)
            continue;
        /* training: the batch's statistics depend on x too */
        const float mg = n->training ? (float)(sg / (double)N) : 0.0f;
        const float mgx = n->training ? (float)(sgx / (double)N) : 0.0f;
        const float a = gamma[c] * inv;
        for (int s = 0; s < B; s++)
            for (size_t p = 0; p < P; p++) {
                size_t i = s * in + c * P + p;
                gx[i] = a * (gy[i] - mg - (x[i] - mean) * inv * mgx);
            }
    }
}

static void dropout_forward(const Net *n, const NetLayer *l, int B, const float *x, float *y)
{
    const size_t m = (size_t)B * net_layer_in(l);
    if (!n->training || l->rate == 0) {
        memcpy(y, x, m * sizeof(float));
        return;
    }
    /* the mask of this optimiser step and layer: the same for every forward of the step */
    float *mask = n->aux[l - n->layers];
    Rng r;
    rng_seed(&r, n->seed ^ 0x44524f504f5554ull ^ ((uint64_t)n->adam_t * 0x9e3779b97f4a7c15ull) ^
                     ((uint64_t)(l - n->layers) << 56));
    const float keep = 1.0f / (1.0f - l->rate);
    for (size_t j = 0; j < m; j++) {
        mask[j] = rng_uniform(&r) < l->rate ? 0.0f : keep;
        y[j] = x[j] * mask[j];
    }
}

void net_layer_forward(const Net *n, const NetLayer *l, int B, const float *x, float *y)
{
    const int in = net_layer_in(l), out = net_layer_out(l);
    const float *w = n->params + l->w_off, *b = n->params + l->b_off;
    switch (l->kind) { /* the layers without products */
    case NET_MAXPOOL: maxpool_forward(l, B, x, y, n->argmax[l - n->layers]); return;
    case NET_GLOBALMAX: globalmax_forward(l, B, x, y, n->argmax[l - n->layers]); return;
    case NET_BATCHNORM: batchnorm_forward(n, l, B, x, y); return;
    case NET_DROPOUT: dropout_forward(n, l, B, x, y); return;
    default: break;
    }
#if SACCADE_HAVE_OPENBLAS
    if (n->blas && l->kind != NET_RELU) {
        if (l->kind == NET_DENSE) {
            for (int s = 0; s < B; s++)
                memcpy(y + (size_t)s * out, b, (size_t)out * sizeof(float));
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, out, in, 1.0f, x, in, w, out,
                        1.0f, y, out);
        } else {
            window_forward_blas(n, l, B, x, y);
        }
        return;
    }
#endif
    switch (l->kind) {
    case NET_CONV:
    case NET_LOCAL:
        for (int s = 0; s < B; s++)
            if (l->pad || !l->n_b)
                convp_forward(l, w, b, x + (size_t)s * in, y + (size_t)s * out);
            else
                conv_forward(l, w, b, x + (size_t)s * in, y + (size_t)s * out,
                             l->kind == NET_LOCAL);
        break;
    case NET_DENSE:
        for (int s = 0; s < B; s++)
            memcpy(y + (size_t)s * out, b, (size_t)out * sizeof(float));
        /* row-outer: one weight row serves the whole batch while it is in cache; each output
         * still sums its inputs in index order */
        for (int i = 0; i < in; i++) {
            const float *wr = w + (size_t)i * out;
            for (int s = 0; s < B; s++) {
                float xv = x[(size_t)s * in + i];
                if (xv == 0)
                    continue;
                float *yr = y + (size_t)s * out;
                for (int o = 0; o < out; o++)
                    yr[o] += xv * wr[o];
            }
        }
        break;
    case NET_RELU:
        for (size_t j = 0; j < (size_t)B * in; j++)
            y[j] = x[j] > 0 ? x[j] : 0;
        break;
    default: break;
    }
}

void net_layer_backward(Net *n, const NetLayer *l, int B, const float *x, const float *y,
                        const float *gy, float *gx)
{
    const int in = net_layer_in(l), out = net_layer_out(l);
    const float *w = n->params + l->w_off;
    float *gw = n->grads + l->w_off, *gb = n->grads + l->b_off;
    switch (l->kind) { /* the layers without products */
    case NET_MAXPOOL:
    case NET_GLOBALMAX:
        if (gx) {
            const int *am = n->argmax[l - n->layers];
            memset(gx, 0, (size_t)B * in * sizeof(float));
            for (size_t o = 0; o < (size_t)B * out; o++)
                gx[am[o]] += gy[o];
        }
        return;
    case NET_BATCHNORM: batchnorm_backward(n, l, B, x, gy, gx); return;
    case NET_DROPOUT:
        if (gx) {
            const float *mask = n->aux[l - n->layers];
            for (size_t j = 0; j < (size_t)B * in; j++)
                gx[j] = n->training && l->rate > 0 ? gy[j] * mask[j] : gy[j];
        }
        return;
    default: break;
    }
#if SACCADE_HAVE_OPENBLAS
    if (n->blas && l->kind != NET_RELU) {
        if (l->kind == NET_DENSE) {
            for (int s = 0; s < B; s++)
                for (int o = 0; o < out; o++)
                    gb[o] += gy[(size_t)s * out + o];
            /* gW[i][o] += x[s][i] gy[s][o]; gx[s][i] = gy[s][o] W[i][o] */
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, B, 1.0f, x, in, gy, out,
                        1.0f, gw, out);
            if (gx)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, in, out, 1.0f, gy, out, w,
                            out, 0.0f, gx, in);
        } else {
            window_backward_blas(n, l, B, gy, gx);
        }
        return;
    }
#endif
    switch (l->kind) {
    case NET_CONV:
    case NET_LOCAL:
        if (gx)
            memset(gx, 0, (size_t)B * in * sizeof(float));
        for (int s = 0; s < B; s++)
            if (l->pad || !l->n_b)
                convp_backward(l, w, gw, gb, x + (size_t)s * in, gy + (size_t)s * out,
                               gx ? gx + (size_t)s * in : NULL);
            else
                conv_backward(l, w, gw, gb, x + (size_t)s * in, gy + (size_t)s * out,
                              gx ? gx + (size_t)s * in : NULL, l->kind == NET_LOCAL);
        break;
    case NET_DENSE:
        for (int s = 0; s < B; s++)
            for (int o = 0; o < out; o++)
                gb[o] += gy[(size_t)s * out + o];
        for (int i = 0; i < in; i++) {
            float *gr = gw + (size_t)i * out;
            const float *wr = w + (size_t)i * out;
            for (int s = 0; s < B; s++) {
                const float *g = gy + (size_t)s * out;
                float xv = x[(size_t)s * in + i];
                if (xv != 0)
                    for (int o = 0; o < out; o++)
                        gr[o] += xv * g[o];
                if (gx) {
                    /* eight partial sums in a fixed order */
                    float p[8] = {0};
                    int o = 0;
                    for (; o + 8 <= out; o += 8)
                        for (int q = 0; q < 8; q++)
                            p[q] += wr[o + q] * g[o + q];
                    float acc = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
                    for (; o < out; o++)
                        acc += wr[o] * g[o];
                    gx[(size_t)s * in + i] = acc;
                }
            }
        }
        break;
    case NET_RELU:
        if (gx) { /* distinct buffers: lets the select vectorise */
            float *restrict d = gx;
            const float *restrict yy = y, *restrict g = gy;
            for (size_t j = 0; j < (size_t)B * in; j++) {
                float gv = g[j]; /* read unconditionally: a select, not a branch */
                d[j] = yy[j] > 0 ? gv : 0.0f;
            }
        }
        break;
    default: break;
    }
}

/* ---------------------------------------------------------------- whole net */

const float *net_forward(Net *n, int B, const float *x)
{
    memcpy(n->act[0], x, (size_t)B * net_inputs(n) * sizeof(float));
    for (int i = 0; i < n->n_layers; i++)
        net_layer_forward(n, &n->layers[i], B, n->act[i], n->act[i + 1]);
    return n->act[n->n_layers];
}

double net_backward_xent(Net *n, int B, const int *labels, int *correct)
{
    const int C = net_outputs(n);
    const float *z = n->act[n->n_layers];
    float *dz = n->dact[n->n_layers];
    double loss = 0;
    int hits = 0;
    for (int s = 0; s < B; s++) {
        const float *zs = z + (size_t)s * C;
        float *ds = dz + (size_t)s * C;
        int am = 0;
        for (int c = 1; c < C; c++)
            if (zs[c] > zs[am])
                am = c;
        hits += am == labels[s];
        double sum = 0;
        for (int c = 0; c < C; c++)
            sum += exp((double)zs[c] - zs[am]);
        double lse = zs[am] + log(sum);
        loss += lse - zs[labels[s]];
        for (int c = 0; c < C; c++)
            ds[c] = (float)((exp((double)zs[c] - lse) - (c == labels[s])) / B);
    }
    memset(n->grads, 0, n->n_params * sizeof(float));
    for (int i = n->n_layers - 1; i >= 0; i--)
        net_layer_backward(n, &n->layers[i], B, n->act[i], n->act[i + 1], n->dact[i + 1],
                           i > 0 ? n->dact[i] : NULL);
    if (correct)
        *correct = hits;
    return loss / B;
}

void net_adam_step(Net *n, float lr, float wd)
{
    const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    n->adam_t++;
    float c1 = 1.0f / (1.0f - powf(b1, (float)n->adam_t));
    float c2 = 1.0f / (1.0f - powf(b2, (float)n->adam_t));
    float *restrict p = n->params, *restrict am = n->adam_m, *restrict av = n->adam_v;
    const float *restrict gr = n->grads;
    for (int i = 0; i < n->n_layers; i++) {
        const NetLayer *l = &n->layers[i];
        /* weights (decayed), then biases: two branch-free loops the compiler vectorises */
        for (int part = 0; part < 2; part++) {
            size_t a = part ? l->b_off : l->w_off, e = part ? l->b_off + l->n_b : l->b_off;
            const float d = part ? 0.0f : lr * wd;
            for (size_t j = a; j < e; j++) {
                float g = gr[j];
                float m = am[j] = b1 * am[j] + (1 - b1) * g;
                float v = av[j] = b2 * av[j] + (1 - b2) * g * g;
                float step = lr * (m * c1) / (sqrtf(v * c2) + eps);
                p[j] -= step + d * p[j];
            }
        }
    }
}

void net_predict(Net *n, int B, const float *x, int *labels)
{
    const int C = net_outputs(n);
    const float *z = net_forward(n, B, x);
    for (int s = 0; s < B; s++) {
        int am = 0;
        for (int c = 1; c < C; c++)
            if (z[(size_t)s * C + c] > z[(size_t)s * C + am])
                am = c;
        labels[s] = am;
    }
}

void net_set_training(Net *n, int on)
{
    n->training = on != 0;
}

size_t net_weights_n(const Net *n)
{
    return n->n_params + n->n_state;
}

void net_weights_get(const Net *n, float *dst)
{
    memcpy(dst, n->params, n->n_params * sizeof(float));
    if (n->n_state)
        memcpy(dst + n->n_params, n->state, n->n_state * sizeof(float));
}

void net_weights_set(Net *n, const float *src)
{
    memcpy(n->params, src, n->n_params * sizeof(float));
    if (n->n_state)
        memcpy(n->state, src + n->n_params, n->n_state * sizeof(float));
}

static uint64_t fnv1a_floats(uint64_t h, const float *p, size_t m)
{
    for (size_t q = 0; q < m; q++) {
        uint32_t bits;
        memcpy(&bits, &p[q], 4);
        for (int t = 0; t < 4; t++)
            h = (h ^ ((bits >> (8 * t)) & 0xff)) * 0x100000001b3ull;
    }
    return h;
}

uint64_t net_hash(const Net *n)
{
    uint64_t h = fnv1a_floats(0xcbf29ce484222325ull, n->params, n->n_params);
    return n->n_state ? fnv1a_floats(h, n->state, n->n_state) : h;
}
