/* nn/net.h: small feed-forward networks (used by the rivals, `saccade eval rivals`): weight-tied
 * convolution (optionally zero-padded, optionally without bias), locally connected (the same
 * topology, every output position its own weights), dense, ReLU, 2x2 max pooling, global max
 * pooling, batch normalisation and dropout, with softmax cross-entropy and Adam. Independent of
 * the sim and the classifier.
 *
 * Layout: activations are float, one sample after another, each channel-major (c, y, x). A
 * convolution or locally connected layer has `valid` geometry: out = (in - k) / stride + 1.
 * Parameters of every layer live in one array (net->params) so the optimiser and the gradient
 * checks see one vector; net->grads is the same size.
 *
 * Kernels: two implementations of every product, chosen per net (net_set_blas): plain C loops
 * (the reference; inner loops are contiguous multiply-adds the compiler vectorises) and, when
 * built with OpenBLAS, cblas_sgemm on one thread: the dense layers directly, convolution and
 * locally connected layers on an im2col copy of their input windows (one row of in_c*k*k taps
 * per output position), one product per position for the locally connected layer. The two
 * agree to float rounding, not bit for bit. Timed by `tests/rivals/test_rivals --bench`.
 *
 * Determinism: with either kernel set, the same net, data and seed give the same bits run to
 * run: every C sum runs in a fixed order, and OpenBLAS is held to one thread (its kernels sum
 * in a fixed order for a fixed shape and CPU; another CPU type may pick another kernel and
 * round differently). Training is a pure function of (data, seed, kernel set, CPU type).
 *
 * Training and inference modes (net_set_training): batch normalisation normalises with the
 * batch's own statistics and updates its running mean and variance (momentum 0.1, unbiased
 * variance, as PyTorch) in training mode, and uses the running statistics in inference mode;
 * dropout zeroes inputs (scaling the rest by 1 / (1 - rate)) in training mode only. A dropout
 * mask is a function of (net seed, optimiser step, layer, element): every forward pass between
 * two Adam steps draws the same mask, so a layer's forward can be repeated (gradient checks).
 * Nets start in inference mode. Running statistics are state, not parameters (net->state):
 * they are not optimised, and net_weights_get / net_hash cover both.
 */
#ifndef SACCADE_NN_NET_H
#define SACCADE_NN_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_MAX_LAYERS 32

typedef enum NetLayerKind {
    NET_CONV,  /* weight-tied: w[out_c][in_c][k][k], b[out_c] */
    NET_LOCAL, /* locally connected: w[out_c][oy][ox][in_c][k][k], b[out_c][oy][ox] */
    NET_DENSE, /* w[in][out] (row i: the out weights of input i), b[out] */
    NET_RELU,
    NET_MAXPOOL,   /* 2x2, stride 2 (odd rows and columns dropped), per channel; no parameters */
    NET_GLOBALMAX, /* the largest value of each channel: c x h x w -> c x 1 x 1 */
    NET_BATCHNORM, /* per channel: w = gamma[c] (starts at 1), b = beta[c]; state: running
                    * mean[c], running variance[c] */
    NET_DROPOUT,   /* rate: the fraction zeroed in training mode */
} NetLayerKind;

typedef struct NetLayer {
    NetLayerKind kind;
    int in_c, in_h, in_w;    /* input shape (dense: in_c = inputs, in_h = in_w = 1) */
    int out_c, out_h, out_w; /* output shape */
    int k, stride;           /* conv / local */
    int pad;                 /* conv: zero padding on every side, px */
    float rate;              /* dropout */
    size_t w_off, b_off;     /* into Net.params / Net.grads */
    size_t n_w, n_b;         /* n_b = 0: a conv without bias */
    size_t s_off, n_s;       /* into Net.state (batch norm's running statistics) */
} NetLayer;

typedef struct Net {
    int n_layers;
    NetLayer layers[NET_MAX_LAYERS];
    size_t n_params;
    float *params, *grads;
    float *adam_m, *adam_v;
    long adam_t;
    int batch_cap;                  /* activations are sized for this many samples */
    float *act[NET_MAX_LAYERS + 1]; /* act[0]: the input (copied), act[l+1]: layer l's output */
    float *dact[NET_MAX_LAYERS + 1];
    int blas;                    /* 1: the OpenBLAS kernels (net_set_blas) */
    float *cols[NET_MAX_LAYERS]; /* conv / local with blas: im2col of the layer's input */
    float *scratch;              /* blas: per-position gathers (gather_n floats), then
                                  * input-window gradients */
    size_t gather_n;
    float *state; /* non-optimised state (batch norm's running statistics) */
    size_t n_state;
    int training;                /* 1: training mode (net_set_training) */
    uint64_t seed;               /* net_finish's seed (dropout masks) */
    float *aux[NET_MAX_LAYERS];  /* batch norm: the batch's mean and 1/std per channel;
                                  * dropout: the mask (batch_cap x inputs) */
    int *argmax[NET_MAX_LAYERS]; /* pooling: the input index of each output (batch_cap x out) */
} Net;

static inline int net_layer_in(const NetLayer *l)
{
    return l->in_c * l->in_h * l->in_w;
}
static inline int net_layer_out(const NetLayer *l)
{
    return l->out_c * l->out_h * l->out_w;
}

/* Building: net_begin(n, c, h, w) sets the input shape, then layers are appended in order;
 * net_finish allocates (batch_cap samples) and initialises the weights (He uniform, biases 0)
 * from seed. Shapes that do not fit give -1 + sc_last_error(). */
void net_begin(Net *n, int c, int h, int w);
int net_add_conv(Net *n, int out_c, int k, int stride);
/* A convolution with `pad` px of zeros around its input; bias 0: no bias (before batch norm). */
int net_add_conv_padded(Net *n, int out_c, int k, int stride, int pad, int bias);
int net_add_local(Net *n, int out_c, int k, int stride);
int net_add_dense(Net *n, int out);
int net_add_relu(Net *n);
int net_add_maxpool(Net *n);
int net_add_globalmax(Net *n);
int net_add_batchnorm(Net *n);
int net_add_dropout(Net *n, float rate);
int net_finish(Net *n, int batch_cap, uint64_t seed);
void net_free(Net *n);

/* 1 if built with OpenBLAS. */
int net_blas_available(void);
/* Picks the kernels of n: 1 OpenBLAS (if available), 0 the plain C loops. Nets start with
 * OpenBLAS when it is available. Returns the choice in effect. */
int net_set_blas(Net *n, int on);

/* Training (1) or inference (0) mode: batch norm and dropout (above). */
void net_set_training(Net *n, int on);
/* Parameters, then state, as one vector of net_weights_n floats (best-epoch snapshots). */
size_t net_weights_n(const Net *n);
void net_weights_get(const Net *n, float *dst);
void net_weights_set(Net *n, const float *src);
/* FNV-1a over the bits of the parameters, then of the state if there is any. */
uint64_t net_hash(const Net *n);

int net_inputs(const Net *n);
int net_outputs(const Net *n);
/* Multiply-adds of one forward pass of one sample (weights x inputs; ReLU not counted). */
double net_macs(const Net *n);

/* One layer, for B samples: y = layer(x). */
void net_layer_forward(const Net *n, const NetLayer *l, int B, const float *x, float *y);
/* Backward of one layer for B samples: adds dL/dw, dL/db into n->grads; if gx is non-NULL,
 * writes dL/dx there (for ReLU, y is the layer's output). Must follow the layer's forward of
 * the same x (the OpenBLAS kernels reuse that pass's im2col copy). */
void net_layer_backward(Net *n, const NetLayer *l, int B, const float *x, const float *y,
                        const float *gy, float *gx);

/* Forward of B <= batch_cap samples (x: B x inputs); returns the logits (B x outputs, owned
 * by the net, valid until the next call). */
const float *net_forward(Net *n, int B, const float *x);
/* Softmax cross-entropy of the last forward's logits against labels; zeroes and fills
 * n->grads with the gradient of the mean loss; returns the mean loss. *correct (if non-NULL)
 * gets the number of argmax hits. */
double net_backward_xent(Net *n, int B, const int *labels, int *correct);
/* Adam step (lr, betas 0.9/0.999, eps 1e-8, decoupled weight decay wd on weights only; batch
 * norm's gamma counts as a weight, as in PyTorch's AdamW). Also advances the dropout masks. */
void net_adam_step(Net *n, float lr, float wd);

/* argmax of each sample's logits. */
void net_predict(Net *n, int B, const float *x, int *labels);

#endif
