/* trainer.h: datasets and training for the centre-only classifier (`saccade train`, the
 * centred part of `saccade eval`, and the tests). Part of the classifier module; the model and
 * its file format are in classifier.h.
 *
 * Determinism: training is a pure function of (dataset, params, seed). Augmentation and the
 * "nothing here" examples are drawn serially from the seeded RNG. Each step has two phases:
 * threads split the minibatch's forward/backward passes by examples, then split the weight
 * rows, each row's gradient summed over the batch in example order and its AdamW step taken at
 * once. No sum depends on the split, so any number of threads gives byte-identical weights.
 */
#ifndef SACCADE_CLASSIFIER_TRAINER_H
#define SACCADE_CLASSIFIER_TRAINER_H

#include <stdint.h>

#include "classifier/classifier.h"
#include "core/rng.h"
#include "data/dataset.h"

#define TRAINER_MAX_THREADS 4
_Static_assert(DATASET_SIDE == CLASSIFIER_SIDE, "datasets hold classifier-sized patches");
_Static_assert(DATASET_MAX_CLASSES == CLASSIFIER_MAX_CLASSES, "one class limit");
_Static_assert(DATASET_NAME_MAX == CLASSIFIER_NAME_MAX, "one name limit");

typedef struct TrainProgress {
    int epoch, epochs;     /* 1-based epoch */
    int batch, batches;    /* batches done in this epoch */
    double loss, accuracy; /* running means over this epoch */
    double test_accuracy;  /* held-out accuracy (validation digits with holdout) at the
                            * end of every 10th and the last epoch, else -1 */
} TrainProgress;

typedef struct TrainParams {
    int epochs;                            /* default 40 */
    int batch;                             /* minibatch size (default 64) */
    float lr;                              /* Adam learning rate (default 1e-3), cosine-annealed */
    float weight_decay;                    /* decoupled (AdamW) weight decay (default 1e-4) */
    int n_hidden;                          /* hidden layers (default 2) */
    int hidden[CLASSIFIER_MAX_LAYERS - 1]; /* widths (default 256, 128) */
    float nothing_frac; /* "nothing" examples per epoch / training examples (default 0.3) */
    int augment;        /* 1: landing jitter, contrast, thickness (default 1) */
    int context;        /* 1: positives get 1-3 stray 8x8 fragments of other examples (default 1) */
    float context_frac; /* fraction of positives that get them (default 0.6) */
    float distort;      /* fraction of positives given a small rotation, scale change and
                         * elastic warp about the centre, never a shift (default 0) */
    int input_kind;     /* ClassifierInputKind (default CLASSIFIER_INPUT_PIXELS) */
    float dropout;      /* hidden-unit dropout rate while training, 0..0.95 (default 0) */
    int threads;        /* 1..TRAINER_MAX_THREADS (default 2) */
    uint64_t seed;      /* default 1 */
    int holdout;        /* 1: leave the validation split (Dataset.n_val, if any) out of
                         * training and report accuracy on it (default 1); the test split is
                         * never measured here */
    /* Patches the eye delivered (eval/eyepatch.h: reads at fixations on training canvases,
     * labelled by where the digit was): pool_n raw 28x28 patches with their classes. Each
     * epoch adds round(pool_frac * training examples) of them (at most pool_n), drawn without
     * replacement from the seeded stream, as the eye saw them (no augmentation). */
    const float *pool_x;
    const int *pool_y;
    long pool_n;
    float pool_frac;
    const char *pool_desc; /* what the pool is, for the model's provenance (NULL: not named) */
    /* Start from these weights instead of random ones (same shapes and input kind), e.g. the
     * reader whose eye delivered the pool; NULL: He initialisation. */
    const Classifier *init;
    void (*progress)(void *ctx, const TrainProgress *p); /* called after every batch */
    void *progress_ctx;
} TrainParams;

void train_params_default(TrainParams *p);
/* The character model's handwritten digits (`train --dataset chars`: the glyph set, plus each
 * epoch this fraction of its examples' count in MNIST training digits, labelled as the digit
 * classes; data/dataset.h: dataset_borrow_digits). Chosen on the validation sets. */
#define TRAIN_CHARS_DIGITS_FRAC 1.0
/* The shipped MNIST model's settings over the defaults (`saccade train --dataset mnist`):
 * V1 input, 768-384 hidden, distortion, clutter, 48 epochs (over 55,000 digits); the
 * shipped model then takes the eye rounds of eval_eye_rounds_mnist (eval/eval.h). */
void train_params_mnist(TrainParams *p);

typedef struct TrainSummary {
    double final_loss, train_accuracy; /* last epoch, on augmented data */
    double test_accuracy;              /* centred test split, or the validation digits */
    int validation;                    /* 1: test_accuracy is on the validation digits
                                        * (holdout), not the test split */
    double nothing_recall;             /* held-out "nothing" patches called nothing */
    long examples;                     /* seen in total */
} TrainSummary;

/* Trains a new classifier. NULL + sc_last_error() on failure. */
Classifier *classifier_train(const Dataset *ds, const TrainParams *p, TrainSummary *out);

/* Accuracy of c on the test split (centred, no augmentation); also per class if
 * per_class_correct/per_class_total are non-NULL (n_classes ints each). */
double classifier_test_accuracy(Classifier *c, const Dataset *ds, int limit, int *per_class_correct,
                                int *per_class_total);

/* Draws one "nothing here" patch (off-centre crops of the dataset's examples, fragments,
 * blank) from the given examples, for the trainer and tests. */
void trainer_draw_nothing(const float *examples, int n_examples, Rng *rng, float *out);

#endif
