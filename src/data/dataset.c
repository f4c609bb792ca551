/* Datasets: loading, allocation and MNIST-style centring (see dataset.h). */
#include "data/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "data/mnist.h"

#define S DATASET_SIDE

int dataset_alloc(Dataset *ds, const char *name, int n_classes, const char *const *names,
                  int nothing_class, int n_train, int n_test)
{
    memset(ds, 0, sizeof(*ds));
    if (n_classes < 2 || n_classes > DATASET_MAX_CLASSES || n_train < 1 || n_test < 0) {
        sc_set_error("%s: bad dataset shape", name);
        return -1;
    }
    snprintf(ds->name, sizeof(ds->name), "%s", name);
    ds->n_classes = n_classes;
    for (int i = 0; i < n_classes; i++)
        snprintf(ds->class_names[i], DATASET_NAME_MAX, "%s", names[i]);
    ds->nothing_class = nothing_class;
    ds->n_train = n_train;
    ds->n_test = n_test;
    ds->n_groups = 1;
    ds->group_count[0] = n_test;
    snprintf(ds->group_name[0], sizeof(ds->group_name[0]), "%s", name);
    ds->train_x = calloc((size_t)n_train * DATASET_PATCH_N, sizeof(float));
    ds->test_x = calloc((size_t)(n_test > 0 ? n_test : 1) * DATASET_PATCH_N, sizeof(float));
    ds->train_y = calloc((size_t)n_train, 1);
    ds->test_y = calloc((size_t)(n_test > 0 ? n_test : 1), 1);
    if (!ds->train_x || !ds->test_x || !ds->train_y || !ds->test_y) {
        dataset_free(ds);
        sc_set_error("%s: out of memory", name);
        return -1;
    }
    return 0;
}

void dataset_free(Dataset *ds)
{
    free(ds->train_x);
    free(ds->test_x);
    free(ds->train_y);
    free(ds->test_y);
    memset(ds, 0, sizeof(*ds));
}

static int dataset_load_mnist(Dataset *ds)
{
    static const char *const names[] = {"0", "1", "2", "3", "4",      "5",
                                        "6", "7", "8", "9", "nothing"};
    Mnist tr, te;
    if (mnist_load(&tr, NULL, MNIST_TRAIN) < 0)
        return -1;
    if (mnist_load(&te, NULL, MNIST_TEST) < 0) {
        mnist_free(&tr);
        return -1;
    }
    if (dataset_alloc(ds, "mnist", 11, names, 10, tr.count, te.count) < 0) {
        mnist_free(&tr);
        mnist_free(&te);
        return -1;
    }
    for (size_t k = 0; k < (size_t)tr.count * DATASET_PATCH_N; k++)
        ds->train_x[k] = (float)tr.pixels[k] * (1.0f / 255.0f);
    for (size_t k = 0; k < (size_t)te.count * DATASET_PATCH_N; k++)
        ds->test_x[k] = (float)te.pixels[k] * (1.0f / 255.0f);
    memcpy(ds->train_y, tr.labels, (size_t)tr.count);
    memcpy(ds->test_y, te.labels, (size_t)te.count);
    ds->n_val = DATASET_MNIST_VAL_N;
    snprintf(ds->train_desc, sizeof(ds->train_desc), "MNIST training set (%d digits)", tr.count);
    snprintf(ds->val_desc, sizeof(ds->val_desc), "MNIST training set, digits %d..%d",
             tr.count - DATASET_MNIST_VAL_N, tr.count - 1);
    snprintf(ds->test_desc, sizeof(ds->test_desc), "MNIST test set (%d digits)", te.count);
    snprintf(ds->group_name[0], sizeof(ds->group_name[0]), "mnist-t10k");
    mnist_free(&tr);
    mnist_free(&te);
    return 0;
}

int dataset_load_glyphs(Dataset *ds);             /* glyphs.c */
int dataset_load_glyphs_boxed(Dataset *ds);       /* glyphs.c */
int dataset_load_reader(Dataset *ds, int offset); /* glyphs.c */
int dataset_load_text(Dataset *ds, int offset);   /* glyphs.c */

int dataset_load(Dataset *ds, const char *name)
{
    if (!strcmp(name, "mnist"))
        return dataset_load_mnist(ds);
    if (!strcmp(name, "glyphs"))
        return dataset_load_glyphs(ds);
    if (!strcmp(name, "glyphs-box"))
        return dataset_load_glyphs_boxed(ds);
    int off;
    char end;
    if (sscanf(name, "reader%d%c", &off, &end) == 1 && (name[6] == '+' || name[6] == '-'))
        return dataset_load_reader(ds, off);
    if (!strcmp(name, "text0"))
        return dataset_load_text(ds, 0);
    if (sscanf(name, "text%d%c", &off, &end) == 1 && (name[4] == '+' || name[4] == '-'))
        return dataset_load_text(ds, off);
    sc_set_error("%s: unknown dataset (mnist, glyphs, reader+1, reader-1, ... reader+8, text0, "
                 "text+1, text-1, ... text+8)",
                 name);
    return -1;
}

int dataset_borrow_digits(const Dataset *into, DatasetPool *pool)
{
    memset(pool, 0, sizeof(*pool));
    int map[DATASET_MAX_CLASSES];
    Dataset m;
    if (dataset_load_mnist(&m) < 0)
        return -1;
    for (int k = 0; k < m.n_classes; k++) {
        map[k] = -1;
        if (k == m.nothing_class)
            continue;
        for (int j = 0; j < into->n_classes; j++)
            if (j != into->nothing_class && !strcmp(into->class_names[j], m.class_names[k]))
                map[k] = j;
        if (map[k] < 0) {
            sc_set_error("%s has no class '%s' for the handwritten digits", into->name,
                         m.class_names[k]);
            dataset_free(&m);
            return -1;
        }
    }
    const long n = m.n_train - m.n_val;
    pool->y = malloc(sizeof(int) * (size_t)n);
    if (!pool->y) {
        dataset_free(&m);
        sc_set_error("out of memory");
        return -1;
    }
    /* the training digits are the first n patches of MNIST's train_x: the pool takes that
     * buffer (the validation patches behind them are never read) instead of a 172 MB copy */
    pool->x = m.train_x;
    m.train_x = NULL;
    for (long i = 0; i < n; i++)
        pool->y[i] = map[m.train_y[i]];
    pool->n = n;
    snprintf(pool->desc, sizeof(pool->desc), "%ld MNIST training digits", n);
    dataset_free(&m);
    return 0;
}

void dataset_pool_free(DatasetPool *pool)
{
    free(pool->x);
    free(pool->y);
    memset(pool, 0, sizeof(*pool));
}

void dataset_centre_patch(const float *img, int w, int h, int stride, int box_px, int shrink_only,
                          float *out)
{
    memset(out, 0, sizeof(float) * DATASET_PATCH_N);
    /* ink bounding box */
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (img[(size_t)y * stride + x] > 0.02f) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    if (x1 < 0)
        return;
    int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    box_px = box_px < 4 ? 4 : box_px > S ? S : box_px;
    float scale = (float)box_px / (float)(bw > bh ? bw : bh); /* output px per input px */
    if (shrink_only && scale > 1.0f)
        scale = 1.0f;
    int ow = (int)lroundf((float)bw * scale), oh = (int)lroundf((float)bh * scale);
    ow = ow < 1 ? 1 : ow > box_px ? box_px : ow;
    oh = oh < 1 ? 1 : oh > box_px ? box_px : oh;
    /* area-average resample of the box into ow x oh */
    float box[S * S];
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++) {
            float fx0 = x0 + (float)ox / scale, fx1 = x0 + (float)(ox + 1) / scale;
            float fy0 = y0 + (float)oy / scale, fy1 = y0 + (float)(oy + 1) / scale;
            double sum = 0, area = 0;
            for (int y = (int)fy0; y < (int)ceilf(fy1) && y < h; y++)
                for (int x = (int)fx0; x < (int)ceilf(fx1) && x < w; x++) {
                    float wx = fminf(fx1, (float)x + 1) - fmaxf(fx0, (float)x);
                    float wy = fminf(fy1, (float)y + 1) - fmaxf(fy0, (float)y);
                    if (wx <= 0 || wy <= 0)
                        continue;
                    sum += (double)(wx * wy) * img[(size_t)y * stride + x];
                    area += (double)(wx * wy);
                }
            box[oy * S + ox] = area > 0 ? (float)(sum / area) : 0.0f;
        }
    /* centre of mass of the box (in sample indices) placed on sample (14, 14), the gaze sample
     * of the fovea: where the MNIST digits have theirs (measured on assets/mnist: the mean
     * centre of mass is sample 14.0 +- 0.5 on each axis), so that one centring rule, "put the
     * object's centre of mass on the gaze sample", serves every model */
    double m = 0, mx = 0, my = 0;
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++) {
            double v = box[oy * S + ox];
            m += v;
            mx += v * ox;
            my += v * oy;
        }
    int offx = m > 0 ? (int)lround(14.0 - mx / m) : (28 - ow) / 2;
    int offy = m > 0 ? (int)lround(14.0 - my / m) : (28 - oh) / 2;
    offx = offx < 0 ? 0 : offx > 28 - ow ? 28 - ow : offx;
    offy = offy < 0 ? 0 : offy > 28 - oh ? 28 - oh : offy;
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            out[(oy + offy) * S + ox + offx] = box[oy * S + ox];
}
