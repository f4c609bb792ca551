/* Datasets: the official MNIST split, and the glyph split by whole font families. */
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "data/dataset.h"
#include "data/mnist.h"
#include "test.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Official counts per class (the MNIST database's published split). */
static const int train_per_class[10] = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
static const int test_per_class[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

static void test_mnist(void)
{
    Mnist tr, te;
    CHECKF(mnist_load(&tr, NULL, MNIST_TRAIN) == 0, "train: %s", sc_last_error());
    CHECKF(mnist_load(&te, NULL, MNIST_TEST) == 0, "test: %s", sc_last_error());
    if (tr.count != MNIST_TRAIN_COUNT || te.count != MNIST_TEST_COUNT) {
        CHECKF(0, "counts %d and %d", tr.count, te.count);
        mnist_free(&tr);
        mnist_free(&te);
        return;
    }
    int ctr[10] = {0}, cte[10] = {0};
    for (int i = 0; i < tr.count; i++)
        ctr[mnist_label(&tr, i)]++;
    for (int i = 0; i < te.count; i++)
        cte[mnist_label(&te, i)]++;
    for (int c = 0; c < 10; c++)
        CHECKF(ctr[c] == train_per_class[c] && cte[c] == test_per_class[c],
               "class %d: %d train, %d test (not the official split)", c, ctr[c], cte[c]);
    /* no test image is also a training image (exact match, by hash then bytes) */
    uint64_t *h = malloc(sizeof(uint64_t) * (size_t)tr.count);
    for (int i = 0; i < tr.count; i++)
        h[i] = hash64_update(hash64_init(), mnist_image(&tr, i), 784);
    qsort(h, (size_t)tr.count, sizeof(uint64_t), cmp_u64);
    int shared = 0;
    for (int i = 0; i < te.count; i++) {
        uint64_t k = hash64_update(hash64_init(), mnist_image(&te, i), 784);
        shared += bsearch(&k, h, (size_t)tr.count, sizeof(uint64_t), cmp_u64) != NULL;
    }
    CHECKF(shared == 0, "%d test images also in the training set", shared);
    free(h);
    mnist_free(&tr);
    mnist_free(&te);
    CHECKF(mnist_load(&te, "/nonexistent", MNIST_TEST) == -1 && te.pixels == NULL &&
               strstr(sc_last_error(), "/nonexistent"),
           "missing MNIST: '%s'", sc_last_error());
}

/* The MNIST dataset: validation is the last DATASET_MNIST_VAL_N training digits, test the
 * official test set. */
static void test_mnist_dataset(void)
{
    Dataset ds;
    CHECKF(dataset_load(&ds, "mnist") == 0, "%s", sc_last_error());
    CHECK(ds.n_train == MNIST_TRAIN_COUNT && ds.n_test == MNIST_TEST_COUNT &&
          ds.n_val == DATASET_MNIST_VAL_N && ds.n_classes == 11 && ds.nothing_class == 10);
    CHECK(ds.n_groups == 1 && !strcmp(ds.group_name[0], "mnist-t10k"));
    dataset_free(&ds);
}

/* Glyphs: at least three held-out families and 1,000 test glyphs; validation glyphs are all
 * different (no copies); no test glyph equals a training or validation glyph. */
static void test_glyphs(void)
{
    Dataset ds;
    if (dataset_load(&ds, "glyphs") < 0) {
        CHECKF(0, "glyphs: %s", sc_last_error());
        return;
    }
    CHECKF(ds.n_groups >= 3 && ds.n_test >= 1000, "%d groups, %d test glyphs", ds.n_groups, ds.n_test);
    int sum = 0;
    for (int g = 0; g < ds.n_groups; g++) {
        CHECK(ds.group_first[g] == sum && ds.group_count[g] > 0 && ds.group_name[g][0]);
        sum += ds.group_count[g];
    }
    CHECK(sum == ds.n_test);
    int n_fit = ds.n_train - ds.n_val;
    uint64_t *h = malloc(sizeof(uint64_t) * (size_t)ds.n_train);
    for (int i = 0; i < ds.n_train; i++)
        h[i] = hash64_update(hash64_init(), ds.train_x + (size_t)i * DATASET_PATCH_N,
                             sizeof(float) * DATASET_PATCH_N);
    uint64_t *v = malloc(sizeof(uint64_t) * (size_t)ds.n_val);
    memcpy(v, h + n_fit, sizeof(uint64_t) * (size_t)ds.n_val);
    qsort(v, (size_t)ds.n_val, sizeof(uint64_t), cmp_u64);
    int dup = 0;
    for (int i = 1; i < ds.n_val; i++)
        dup += v[i] == v[i - 1];
    CHECKF(dup == 0, "%d duplicated validation glyphs", dup);
    qsort(h, (size_t)ds.n_train, sizeof(uint64_t), cmp_u64);
    int shared = 0;
    for (int i = 0; i < ds.n_test; i++) {
        uint64_t k = hash64_update(hash64_init(), ds.test_x + (size_t)i * DATASET_PATCH_N,
                                   sizeof(float) * DATASET_PATCH_N);
        shared += bsearch(&k, h, (size_t)ds.n_train, sizeof(uint64_t), cmp_u64) != NULL;
    }
    CHECKF(shared == 0, "%d test glyphs equal a training glyph", shared);
    free(h);
    free(v);
    dataset_free(&ds);
}

int main(void)
{
    test_mnist();
    test_mnist_dataset();
    test_glyphs();
    return TEST_DONE();
}
