#include "data/mnist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/log.h"
#include "core/paths.h"

static int read_exact(gzFile f, void *buf, unsigned n)
{
    return gzread(f, buf, n) == (int)n ? 0 : -1;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* Reads one IDX file: magic 0x00000803 (images, dims n,28,28) or 0x00000801 (labels, dim n)
 * holding exactly `want` records. */
static int read_idx(const char *path, uint32_t magic, int want, uint8_t **data)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        sc_set_error("%s: cannot open (is the assets folder present?)", path);
        return -1;
    }
    gzbuffer(f, 1 << 17);
    unsigned char hdr[16];
    int ndim = magic == 0x803 ? 3 : 1;
    if (read_exact(f, hdr, 4 + 4 * (unsigned)ndim) < 0 || be32(hdr) != magic) {
        sc_set_error("%s: not an IDX file of the expected kind", path);
        gzclose(f);
        return -1;
    }
    uint32_t n = be32(hdr + 4);
    if (n != (uint32_t)want || (ndim == 3 && (be32(hdr + 8) != 28 || be32(hdr + 12) != 28))) {
        sc_set_error("%s: holds %u records of the wrong size or number (want %d of 28x28)", path, n,
                     want);
        gzclose(f);
        return -1;
    }
    const size_t bytes = (size_t)want * (ndim == 3 ? 784 : 1);
    uint8_t *buf = malloc(bytes);
    unsigned char extra;
    if (!buf || read_exact(f, buf, (unsigned)bytes) < 0 || gzread(f, &extra, 1) != 0) {
        sc_set_error("%s: truncated, too long or unreadable", path);
        free(buf);
        gzclose(f);
        return -1;
    }
    gzclose(f);
    *data = buf;
    return 0;
}

int mnist_load(Mnist *m, const char *dir, MnistSplit split)
{
    memset(m, 0, sizeof(*m));
    char base[1024], img[1100], lab[1100];
    if (dir)
        snprintf(base, sizeof(base), "%s", dir);
    else if (!paths_data_file(base, sizeof(base), "assets/mnist")) {
        sc_set_error("data folder path too long");
        return -1;
    }
    const char *stem = split == MNIST_TEST ? "t10k" : "train";
    const int expect = split == MNIST_TEST ? MNIST_TEST_COUNT : MNIST_TRAIN_COUNT;
    snprintf(img, sizeof(img), "%s/%s-images-idx3-ubyte.gz", base, stem);
    snprintf(lab, sizeof(lab), "%s/%s-labels-idx1-ubyte.gz", base, stem);
    if (read_idx(lab, 0x801, expect, &m->labels) < 0)
        return -1;
    if (read_idx(img, 0x803, expect, &m->pixels) < 0) {
        mnist_free(m);
        return -1;
    }
    for (int i = 0; i < expect; i++)
        if (m->labels[i] > 9) {
            sc_set_error("%s: label %d of digit %d out of range", lab, m->labels[i], i);
            mnist_free(m);
            return -1;
        }
    m->count = expect;
    return 0;
}

void mnist_free(Mnist *m)
{
    free(m->pixels);
    free(m->labels);
    memset(m, 0, sizeof(*m));
}
