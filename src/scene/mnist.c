#include "scene/mnist.h"

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

/* Reads records [first, first + want) of one IDX file: magic 0x00000803 (images, dims n,28,28)
 * or 0x00000801 (labels, dim n); want < 0 means all records from first. Records before first
 * are decompressed into a small scratch buffer and dropped. */
static int read_idx(const char *path, uint32_t magic, int first, int want, int *count,
                    uint8_t **data)
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
    if (n == 0 || n > 1000000 || (ndim == 3 && (be32(hdr + 8) != 28 || be32(hdr + 12) != 28))) {
        sc_set_error("%s: unexpected dimensions", path);
        gzclose(f);
        return -1;
    }
    if (want < 0)
        want = (int)n - first;
    if (first < 0 || want <= 0 || (uint32_t)first + (uint32_t)want > n) {
        sc_set_error("%s: holds %u records, not %d..%d", path, n, first, first + want - 1);
        gzclose(f);
        return -1;
    }
    const size_t unit = ndim == 3 ? 784 : 1;
    size_t skip = (size_t)first * unit, bytes = (size_t)want * unit;
    unsigned char scratch[1 << 15];
    while (skip > 0) {
        unsigned chunk = skip < sizeof(scratch) ? (unsigned)skip : (unsigned)sizeof(scratch);
        if (read_exact(f, scratch, chunk) < 0) {
            sc_set_error("%s: truncated or unreadable", path);
            gzclose(f);
            return -1;
        }
        skip -= chunk;
    }
    uint8_t *buf = malloc(bytes);
    if (!buf || read_exact(f, buf, (unsigned)bytes) < 0) {
        sc_set_error("%s: truncated or unreadable", path);
        free(buf);
        gzclose(f);
        return -1;
    }
    gzclose(f);
    *count = want;
    *data = buf;
    return 0;
}

int mnist_load_range(Mnist *m, const char *dir, int first, int count)
{
    memset(m, 0, sizeof(*m));
    char base[1024], img[1100], lab[1100];
    if (dir)
        snprintf(base, sizeof(base), "%s", dir);
    else if (!paths_data_file(base, sizeof(base), "assets/mnist")) {
        sc_set_error("data folder path too long");
        return -1;
    }
    snprintf(img, sizeof(img), "%s/images-idx3-ubyte.gz", base);
    snprintf(lab, sizeof(lab), "%s/labels-idx1-ubyte.gz", base);
    int ni = 0, nl = 0;
    if (read_idx(lab, 0x801, first, count, &nl, &m->labels) < 0)
        return -1;
    if (read_idx(img, 0x803, first, count, &ni, &m->pixels) < 0) {
        mnist_free(m);
        return -1;
    }
    if (ni != nl) {
        sc_set_error("%s: %d images but %d labels", base, ni, nl);
        mnist_free(m);
        return -1;
    }
    for (int i = 0; i < nl; i++)
        if (m->labels[i] > 9) {
            sc_set_error("%s: label %d of digit %d out of range", lab, m->labels[i], first + i);
            mnist_free(m);
            return -1;
        }
    m->count = ni;
    m->first = first;
    return 0;
}

int mnist_load(Mnist *m, const char *dir)
{
    return mnist_load_range(m, dir, 0, -1);
}

void mnist_free(Mnist *m)
{
    free(m->pixels);
    free(m->labels);
    memset(m, 0, sizeof(*m));
}
