/* Datasets: the official MNIST split, and the glyph split by whole font families. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/text.h"
#include "data/dataset.h"
#include "data/mnist.h"
#include "data/textline.h"
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
    CHECKF(ds.n_groups >= 3 && ds.n_test >= 1000, "%d groups, %d test glyphs", ds.n_groups,
           ds.n_test);
    int sum = 0;
    for (int g = 0; g < ds.n_groups; g++) {
        CHECK(ds.group_first[g] == sum && ds.group_count[g] > 0 && ds.group_name[g][0]);
        sum += ds.group_count[g];
    }
    CHECK(sum == ds.n_test);
    /* the held-out groups are the split's families (dataset.h), the ones `eval reading` sets
     * its pages in */
    CHECK(ds.n_groups == DATASET_GLYPH_TEST_FAMILIES);
    for (int g = 0; g < ds.n_groups && g < DATASET_GLYPH_TEST_FAMILIES; g++)
        CHECKF(!strcmp(ds.group_name[g], dataset_glyph_test_families[g]), "group %d is %s", g,
               ds.group_name[g]);
    for (int f = 0; f < DATASET_GLYPH_VAL_FAMILIES; f++)
        CHECKF(strstr(ds.val_desc, dataset_glyph_val_families[f]) != NULL, "%s not in '%s'",
               dataset_glyph_val_families[f], ds.val_desc);
    /* 62 glyphs and "nothing"; case readable in the data: at one fixed size on one baseline,
     * every test face's 'o' is shorter than its 'O', 'x' than 'X' and 'l' taller than 'x',
     * and 'p' reaches below the baseline where 'P' does not */
    CHECKF(ds.n_classes == 63 && !strcmp(ds.class_names[26], "a") &&
               !strcmp(ds.class_names[61], "9") && ds.nothing_class == 62,
           "%d classes", ds.n_classes);
    const float *t = ds.test_x;
    int smaller = 0, faces = 0, below = 0;
    for (int i0 = 0; i0 + 62 <= ds.n_test; i0 += 62) {
        int ink_rows[62], bottom[62];
        for (int c = 0; c < 62; c++) {
            const float *p = t + (size_t)(i0 + c) * DATASET_PATCH_N;
            int top = -1, bot = -1;
            for (int y = 0; y < DATASET_SIDE; y++)
                for (int x = 0; x < DATASET_SIDE; x++)
                    if (p[y * DATASET_SIDE + x] > 0.5f) {
                        top = top < 0 ? y : top;
                        bot = y;
                    }
            CHECK(ds.test_y[i0 + c] == c);
            ink_rows[c] = bot - top + 1;
            bottom[c] = bot;
        }
        faces++;
        int o = textline_class('o'), O = textline_class('O'), x = textline_class('x'),
            X = textline_class('X'), l = textline_class('l');
        smaller += ink_rows[o] + 2 <= ink_rows[O] && ink_rows[x] + 2 <= ink_rows[X] &&
                   ink_rows[l] >= ink_rows[x] + 2;
        below += bottom[textline_class('p')] >= TEXTLINE_BASE_ROW + 2 &&
                 bottom[textline_class('P')] < TEXTLINE_BASE_ROW;
    }
    CHECKF(faces == 36 && smaller == faces && below == faces,
           "case by size in %d and by baseline in %d of %d test faces x sizes", smaller, below,
           faces);
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

/* The same glyphs scaled to a box, as MNIST is: case by size is gone (o and O, x and X the
 * same height in every face), which is why the glyph set keeps one size on one baseline. */
static void test_glyphs_boxed(void)
{
    Dataset ds;
    if (dataset_load(&ds, "glyphs-box") < 0) {
        CHECKF(0, "glyphs-box: %s", sc_last_error());
        return;
    }
    CHECK(!strcmp(ds.name, "glyphs-box") && ds.n_classes == 63);
    int same = 0, faces = 0;
    for (int i0 = 0; i0 + 62 <= ds.n_test; i0 += 62, faces++) {
        int rows[2][2];
        const char pairs[2][2] = {{'o', 'O'}, {'x', 'X'}};
        for (int p = 0; p < 2; p++)
            for (int k = 0; k < 2; k++) {
                const float *q =
                    ds.test_x + (size_t)(i0 + textline_class(pairs[p][k])) * DATASET_PATCH_N;
                int top = -1, bot = -1;
                for (int y = 0; y < DATASET_SIDE; y++)
                    for (int x = 0; x < DATASET_SIDE; x++)
                        if (q[y * DATASET_SIDE + x] > 0.5f) {
                            top = top < 0 ? y : top;
                            bot = y;
                        }
                rows[p][k] = bot - top + 1;
            }
        same += abs(rows[0][0] - rows[0][1]) <= 1 && abs(rows[1][0] - rows[1][1]) <= 1;
    }
    CHECKF(faces == 36 && same >= faces * 3 / 4, "o/O and x/X the same height in %d of %d", same,
           faces);
    dataset_free(&ds);
}

/* A reader's dataset: the glyph k cells from the gaze, as the retina blurs it there. */
static void test_reader_dataset(void)
{
    Dataset far, near;
    Dataset none;
    CHECK(dataset_load(&none, "reader+0") < 0 && dataset_load(&none, "reader+9") < 0 &&
          dataset_load(&none, "readerx") < 0);
    if (dataset_load(&near, "reader+1") < 0) {
        CHECKF(0, "reader+1: %s", sc_last_error());
        return;
    }
    if (dataset_load(&far, "reader-4") < 0) {
        CHECKF(0, "reader-4: %s", sc_last_error());
        dataset_free(&near);
        return;
    }
    CHECK(!strcmp(near.name, "reader+1") && near.n_classes == 63 && near.n_val > 0 &&
          near.n_groups == 3 && near.n_test == far.n_test);
    /* blur: the mean absolute difference of horizontal neighbours (edge energy) is lower
     * four cells out than one */
    double e[2] = {0, 0};
    const Dataset *d[2] = {&near, &far};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < d[k]->n_test; i++) {
            const float *p = d[k]->test_x + (size_t)i * DATASET_PATCH_N;
            for (int y = 0; y < DATASET_SIDE; y++)
                for (int x = 1; x < DATASET_SIDE; x++)
                    e[k] += fabsf(p[y * DATASET_SIDE + x] - p[y * DATASET_SIDE + x - 1]);
        }
    CHECKF(e[1] < 0.9 * e[0], "edge energy %g at -4 cells, %g at +1", e[1], e[0]);
    dataset_free(&near);
    dataset_free(&far);
}

/* Natural text: words set from the glyphs with the font's advances and kerning. Without kerned
 * pairs they are the words SDL2_ttf sets itself (the same ink, column for column); with them
 * (each pair's kerning rounded to the pixel, where SDL2_ttf sums in 1/64 px) within a pixel per
 * pair; kerning tightens "AV"; in a proportional face and a monospaced one, at the smallest and
 * largest reading sizes; and the letter boxes follow one another. */
static void test_natural_text(void)
{
    const char *fonts[] = {"Liberation Sans", "Liberation Mono", "DejaVu Serif"};
    const char *words[] = {"jump", "orange", "AVATAR", "Typewriter"};
    const int sizes[] = {16, 36};
    for (int f = 0; f < 3; f++)
        for (int s = 0; s < 2; s++) {
            char path[1024];
            TextFont tf;
            if (text_find_font(fonts[f], path, sizeof(path)) < 0 ||
                textfont_load(&tf, path, sizes[s]) < 0) {
                CHECKF(0, "%s: %s", fonts[f], sc_last_error());
                continue;
            }
            for (int w = 0; w < 4; w++) {
                Image ref, mine;
                if (text_render(path, words[w], sizes[s], &ref) < 0) {
                    CHECKF(0, "render: %s", sc_last_error());
                    continue;
                }
                image_create(&mine, ref.w + 8, ref.h);
                int boxes[4 * 16], n = (int)strlen(words[w]);
                int pen0 = tf.origin_x[textline_class(words[w][0])];
                int end =
                    textline_draw_natural(&tf, words[w], &mine, pen0, tf.base_row[0], 1.0f, boxes);
                CHECKF(abs(end - ref.w) <= (w < 2 ? 0 : n - 1),
                       "%s %d px '%s': advance %d against SDL2_ttf's width %d", fonts[f], sizes[s],
                       words[w], end, ref.w);
                if (w < 2) {
                    double diff = 0, ink = 0;
                    for (int y = 0; y < ref.h; y++)
                        for (int x = 0; x < ref.w; x++) {
                            diff += fabs(image_at(&ref, x, y) - image_at(&mine, x, y));
                            ink += image_at(&ref, x, y);
                        }
                    CHECKF(diff <= 0.02 * ink,
                           "%s %d px '%s': natural setting differs from SDL2_ttf's by %.1f of "
                           "%.1f ink",
                           fonts[f], sizes[s], words[w], diff, ink);
                }
                int ordered = 1;
                for (int i = 1; i < n; i++)
                    ordered &= boxes[4 * i] > boxes[4 * (i - 1)] && boxes[4 * i + 2] > boxes[4 * i];
                CHECKF(ordered, "%s '%s': letter boxes out of order", fonts[f], words[w]);
                image_destroy(&ref);
                image_destroy(&mine);
            }
            int a = textline_class('A'), v = textline_class('V');
            if (f != 1) /* a monospaced face does not kern */
                CHECKF(tf.kern[a][v] < 0, "%s %d px: AV not kerned (%d)", fonts[f], sizes[s],
                       tf.kern[a][v]);
            textfont_free(&tf);
        }
}

int main(void)
{
    test_natural_text();
    test_mnist();
    test_mnist_dataset();
    test_glyphs();
    test_glyphs_boxed();
    test_reader_dataset();
    return TEST_DONE();
}
