/* classifier.h: the dense, centre-only classifier on the foveal patch.
 *
 * Model: a multi-layer perceptron of dense layers only (no convolution, no weight sharing
 * anywhere in what is learned), ReLU between layers, softmax at the end. The input is the 28x28
 * foveal patch the retina delivers (world luminance 0..1 at 1 px spacing around the gaze),
 * contrast-normalised inside the classifier (classifier_preprocess), and, for
 * CLASSIFIER_INPUT_PIXELS_V1, fixed V1 complex-cell energies computed from it (hard-wired
 * quadrature Gabor filters, never learned). The last class of every shipped model is "nothing
 * here" (trained on off-centre crops, clutter fragments and blank patches), so the classifier
 * can say that nothing is centred on the fovea. It is trained on centred examples only
 * (landing jitter of at most 2 px): it is meant to fail off-centre, and saccades rescue it.
 * Shipped models: MNIST 2352-768-384-11, glyphs 2352-256-128-63 and the reading mode's extra
 * readers (one per letter offset, sim/sim_reading.h) 2352-256-128-63, all on pixels + V1
 * energies.
 * Input choice, by measurement on validation data only (`train --holdout`), two training seeds
 * each: MNIST, cluttered60 canvases of the validation digits (`eval cluttered60 --split val`,
 * 8 looks, 3,000 canvases), 60 epochs: pixels + V1 energies 4.3-4.5% error, pixels alone 7.5%
 * (5.3-5.8% after 180 epochs). Glyphs, centred on the two validation fonts: 97.2-97.7% against
 * 94.4-95.4%. The V1 input wins on both; it costs 3-4x the pixel model per patch, still well
 * under the 50 us budget. The second stage (PIXELS_V1_V2) on the same cluttered60 validation
 * canvases (15,000, docs/rivals.md): 2.62% against 2.78% at 384-192 for 16 epochs, 2.28% against
 * 2.32% for 48, 2.03% against 2.06% with the shipped recipe: faster learning, no accuracy the
 * intervals can see, so the shipped models stay on PIXELS_V1.
 *
 * Weights file (".wts"), little-endian, written field by field (classifier_save):
 *   offset  field
 *   0       magic          8 bytes "SACCMLP\0"
 *   8       version        u32 = CLASSIFIER_FILE_VERSION
 *   12      dataset_len    u32 (1..CLASSIFIER_NAME_MAX-1), then dataset name bytes (no NUL)
 *   ..      input_kind     u32 (ClassifierInputKind)
 *   ..      input_side     u32 (28: the patch is side x side)
 *   ..      n_layers       u32 (weight layers, 1..CLASSIFIER_MAX_LAYERS)
 *   ..      sizes          u32 x (n_layers + 1): sizes[0] = classifier_input_size(input_kind)
 *                          inputs (side^2 for pixels), sizes[n_layers] =
 *                          n_classes (2..CLASSIFIER_MAX_CLASSES); each 1..4096
 *   ..      nothing_class  i32 (-1 or 0..n_classes-1)
 *   ..      class names    n_classes x (u32 len 1..CLASSIFIER_NAME_MAX-1, bytes)
 *   ..      trained_on     u32 len 0..CLASSIFIER_TEXT_MAX-1, bytes (printable; provenance)
 *   ..      holdout        u32 0 or 1 (1: the validation split was left out of training)
 *   ..      v1 input       only for input_kind PIXELS_V1 and PIXELS_V1_V2: u32 orientations (8),
 * f32 wavelength_px, f32 sigma_per_wavelength, f32 threshold (V1PatchParams; checked by
 * v1_patch_params_valid)
 *   ..      float32 data   for each layer l: W_l (sizes[l] x sizes[l+1], input-major:
 *                          W[i * out + o]) then b_l (sizes[l+1])
 *   end-4   crc32          u32, zlib crc32 of every byte before it
 * Versions (bump on every incompatible change):
 *   1: first format (no longer read: rejected by name).
 *   2: provenance (trained_on, holdout) and the V1 input's parameters; hash covers them.
 * A file that is truncated, longer than its shapes say, fails the CRC, has a wrong magic,
 * version, input kind or shape is rejected with a one-line error naming the file.
 *
 * Threads: a Classifier owns the scratch buffers classifier_predict() uses, so predict never
 * allocates but one Classifier must not be used by two threads at once (load one per thread,
 * or serialise the calls). Loading, hashing and names are read-only and shareable.
 */
#ifndef SACCADE_CLASSIFIER_H
#define SACCADE_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "v1/v1.h"

#define CLASSIFIER_FILE_VERSION 2
#define CLASSIFIER_MAX_LAYERS 6
#define CLASSIFIER_MAX_WIDTH 4096
#define CLASSIFIER_MAX_CLASSES 64 /* = SIM_MAX_CLASSES = DATASET_MAX_CLASSES */
#define CLASSIFIER_TEXT_MAX 256   /* provenance text, including the NUL */
#define CLASSIFIER_NAME_MAX 24    /* class and dataset names, including the NUL */
#define CLASSIFIER_SIDE 28        /* foveal patch side, px */

typedef enum ClassifierInputKind {
    /* Raw pixels of the side x side patch, min-max contrast-normalised (classifier_preprocess). */
    CLASSIFIER_INPUT_PIXELS = 1,
    /* The same pixels, then fixed V1 complex-cell energies of them (v1_patch_energy in
     * v1/v1.h: V1_PATCH_OUT = 8 orientations x 14 x 14, at V1's finest scale; parameters in
     * the weights file). Hard-wired, never learned. */
    CLASSIFIER_INPUT_PIXELS_V1 = 2,
    /* PIXELS_V1, then a fixed second stage on those energies (v1_patch2_energy in v1/v1.h:
     * V1_PATCH2_OUT = 8 x 4 orientations x 7 x 7, scattering's second order). Hard-wired,
     * never learned; the weights file holds the same V1 parameters as PIXELS_V1 (the second
     * stage's constants are the format's). */
    CLASSIFIER_INPUT_PIXELS_V1_V2 = 3,
} ClassifierInputKind;

typedef struct Classifier Classifier;

/* Input floats for a kind: 784, 784 + V1_PATCH_OUT = 2352 or 2352 + V1_PATCH2_OUT = 3920; 0 for
 * an unknown kind. */
int classifier_input_size(int input_kind);
int classifier_input_kind(const Classifier *c);
/* What the network reads from a raw patch: classifier_preprocess, then for PIXELS_V1 the
 * energies (and for PIXELS_V1_V2 the second stage's). x gets classifier_layer_size(c, 0) floats.
 * Reentrant. */
void classifier_features(const Classifier *c, const float *patch28x28, float *x);
/* classifier_create with a chosen input kind (sizes[0] must be classifier_input_size(kind)). */
Classifier *classifier_create_kind(const char *dataset, int input_kind, int n_layers,
                                   const int *sizes, const char *const *class_names,
                                   int nothing_class, uint64_t seed);

/* Loads a weights file. Returns NULL with sc_last_error() naming the file and the problem. */
Classifier *classifier_load(const char *path);
/* Writes the classifier to path through core/output (a temporary file renamed onto path only
 * when complete, and only onto an absent or regular file). 0 or -1 + error. */
int classifier_save(const Classifier *c, const char *path);
/* A copy with its own weights and scratch (another thread's reader). NULL + error. */
Classifier *classifier_clone(const Classifier *c);
/* Frees and sets *c to NULL. Safe on NULL. */
void classifier_destroy(Classifier **c);

/* Classifies a CLASSIFIER_SIDE^2 patch (row-major, luminance 0..1, ink bright) and writes
 * classifier_n_classes() probabilities (float32, sum 1). Returns the most probable class.
 * No allocation; uses the Classifier's scratch (not thread-safe on one Classifier). */
int classifier_predict(const Classifier *c, const float *patch28x28, float *probs);

/* The same from the network's input x (classifier_features' output, possibly changed by the
 * caller: v1/plasticity.h scales the V1 part); x is not modified. Gives classifier_predict's
 * bits for unchanged features. */
int classifier_predict_features(const Classifier *c, const float *x, float *probs);

int classifier_n_classes(const Classifier *c);
const char *classifier_class_name(const Classifier *c, int i); /* "?" when out of range */
const char *const *classifier_class_names(const Classifier *c);
int classifier_nothing_class(const Classifier *c); /* -1 if the model has none */
const char *classifier_dataset(const Classifier *c);
/* FNV-1a 64 hash of shapes, names and weights (goes into run files). */
uint64_t classifier_hash(const Classifier *c);
/* Number of float parameters (weights and biases). */
size_t classifier_param_count(const Classifier *c);

/* Provenance, written into the weights file and covered by classifier_hash(): what the model
 * was trained on (dataset and split, e.g. "mnist: MNIST training set, digits 0..54999") and
 * whether the validation split was left out (holdout = 1: `eval --split val` may use it). */
void classifier_set_provenance(Classifier *c, const char *trained_on, int holdout);
const char *classifier_trained_on(const Classifier *c);
int classifier_holdout(const Classifier *c);
/* Parameters of the fixed V1 input (for PIXELS_V1; defaults otherwise). */
const V1PatchParams *classifier_v1_params(const Classifier *c);

/* The input normalisation the network sees, shared by predict and training: subtracts the
 * patch minimum and divides by max(max - min, CLASSIFIER_MIN_RANGE), so a faint patch stays
 * faint and the result is in 0..1. n floats from src to dst (may alias). */
#define CLASSIFIER_MIN_RANGE 0.25f
void classifier_preprocess(const float *src, float *dst, int n);

/* ---- building and training (used by `saccade train` and the tests) ---- */

/* A new classifier with random (He-initialised, seeded) weights. sizes has n_layers + 1
 * entries; class_names has sizes[n_layers] entries. NULL + error on bad shapes. */
Classifier *classifier_create(const char *dataset, int n_layers, const int *sizes,
                              const char *const *class_names, int nothing_class, uint64_t seed);
/* Direct access to the parameter block (layer by layer, W then b, as in the file). */
float *classifier_params(Classifier *c);
int classifier_layer_count(const Classifier *c);
int classifier_layer_size(const Classifier *c, int i); /* i in 0..n_layers */

/* Scratch floats per example for the passes below. */
size_t classifier_scratch_floats(const Classifier *c);
/* Forward and backward for one example (the batched pass with n = 1), for the gradient check:
 * adds the gradient of -log p(target) w.r.t. every parameter into grad
 * (classifier_param_count floats, laid out like classifier_params) and returns the loss.
 * scratch holds classifier_scratch_floats(c) floats; x is the network's input (as
 * classifier_features makes it). Reentrant (no shared state). */
float classifier_backprop(const Classifier *c, const float *x, int target, float *grad,
                          float *scratch, int *predicted);
/* The trainer's batched pass, in two halves so that threads can split the first by examples
 * and the second by weight rows (no per-thread gradient copies to add up, and the same bits
 * whatever the number of threads). Together they give exactly what classifier_backprop
 * accumulates over the n examples in order.
 * classifier_batch_deltas: forward and backward for n examples (xs[b], targets[b]) into
 * scratch (n * classifier_scratch_floats(c) floats, example b at b * that); predicted
 * (may be NULL) gets n labels; returns the summed loss (a double sum of float losses, in order).
 * It may be called on parts of a batch with the matching parts of scratch.
 * classifier_batch_grad_row: the gradient of the summed loss w.r.t. one row of layer l's
 * weights (row = input index, sizes[l + 1] floats, as laid out in classifier_params) or, with
 * row = -1, w.r.t. its biases, from the whole batch's scratch; into g (sizes[l + 1] floats).
 * classifier_layer_params: where layer l's W and b start in classifier_params. */
/* Dropout for classifier_batch_deltas (NULL or rate 0: none): each hidden unit's output is
 * zeroed with probability rate and the kept ones scaled by 1 / (1 - rate), the mask drawn from
 * a stream of its own for example first + b (b = 0..n-1) and layer, seeded from seed. */
typedef struct ClassifierDropout {
    float rate;
    uint64_t seed;
    int first;
} ClassifierDropout;
double classifier_batch_deltas(const Classifier *c, const float *const *xs, const int *targets,
                               int n, float *scratch, int *predicted,
                               const ClassifierDropout *drop);
void classifier_batch_grad_row(const Classifier *c, int l, int row, const float *const *xs, int n,
                               const float *scratch, float *g);
void classifier_layer_params(const Classifier *c, int l, size_t *w_off, size_t *b_off);

#endif
