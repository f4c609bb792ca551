/* net.h: small feed-forward networks for the rivals (`saccade eval rivals`): weight-tied
 * convolution, locally connected (the same topology, every output position its own weights),
 * dense, ReLU, with softmax cross-entropy and Adam. Independent of the sim and the classifier.
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
 */
#ifndef SACCADE_RIVALS_NET_H
#define SACCADE_RIVALS_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_MAX_LAYERS 8

typedef enum NetLayerKind {
    NET_CONV,  /* weight-tied: w[out_c][in_c][k][k], b[out_c] */
    NET_LOCAL, /* locally connected: w[out_c][oy][ox][in_c][k][k], b[out_c][oy][ox] */
    NET_DENSE, /* w[in][out] (row i: the out weights of input i), b[out] */
    NET_RELU,
} NetLayerKind;

typedef struct NetLayer {
    NetLayerKind kind;
    int in_c, in_h, in_w;    /* input shape (dense: in_c = inputs, in_h = in_w = 1) */
    int out_c, out_h, out_w; /* output shape */
    int k, stride;           /* conv / local */
    size_t w_off, b_off;     /* into Net.params / Net.grads */
    size_t n_w, n_b;
} NetLayer;

typedef struct Net {
    int n_layers;
    NetLayer layers[NET_MAX_LAYERS];
    size_t n_params;
    float *params, *grads;
    float *adam_m, *adam_v;
    long adam_t;
    int batch_cap;      /* activations are sized for this many samples */
    float *act[NET_MAX_LAYERS + 1]; /* act[0]: the input (copied), act[l+1]: layer l's output */
    float *dact[NET_MAX_LAYERS + 1];
    int blas;                        /* 1: the OpenBLAS kernels (net_set_blas) */
    float *cols[NET_MAX_LAYERS];     /* conv / local with blas: im2col of the layer's input */
    float *scratch;                  /* blas: per-position gathers (gather_n floats), then
                                      * input-window gradients */
    size_t gather_n;
} Net;

static inline int net_layer_in(const NetLayer *l) { return l->in_c * l->in_h * l->in_w; }
static inline int net_layer_out(const NetLayer *l) { return l->out_c * l->out_h * l->out_w; }

/* Building: net_begin(n, c, h, w) sets the input shape, then layers are appended in order;
 * net_finish allocates (batch_cap samples) and initialises the weights (He uniform, biases 0)
 * from seed. Shapes that do not fit give -1 + sc_last_error(). */
void net_begin(Net *n, int c, int h, int w);
int net_add_conv(Net *n, int out_c, int k, int stride);
int net_add_local(Net *n, int out_c, int k, int stride);
int net_add_dense(Net *n, int out);
int net_add_relu(Net *n);
int net_finish(Net *n, int batch_cap, uint64_t seed);
void net_free(Net *n);

/* 1 if built with OpenBLAS. */
int net_blas_available(void);
/* Picks the kernels of n: 1 OpenBLAS (if available), 0 the plain C loops. Nets start with
 * OpenBLAS when it is available. Returns the choice in effect. */
int net_set_blas(Net *n, int on);

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
/* Adam step (lr, betas 0.9/0.999, eps 1e-8, decoupled weight decay wd on weights only). */
void net_adam_step(Net *n, float lr, float wd);

/* argmax of each sample's logits. */
void net_predict(Net *n, int B, const float *x, int *labels);

#endif
