/* fuzz_weights: libFuzzer harness for the classifier weights reader (classifier_load).
 * Built by meson when clang is found (`ninja -C BUILD fuzz`); its corpus and crash reproducers
 * are replayed by `meson test`. The input is written to a file (the reader's public entry takes
 * a path) and loaded: the load fails with a one-line message, or gives a classifier whose
 * prediction on a patch is a probability distribution (finite, in 0..1). Anything else aborts.
 * The file's last 4 bytes are set to the CRC32 of the bytes before them, so that mutations
 * reach the parsing behind the checksum (a bad CRC is tested in tests/classifier). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "classifier/classifier.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/saccade-fuzz-weights-%ld.wts", (long)getpid());
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        abort();
    memcpy(buf, data, size);
    if (size >= 4) {
        uint32_t crc = (uint32_t)crc32(0L, buf, (uInt)(size - 4));
        for (int i = 0; i < 4; i++)
            buf[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0)
        abort();
    free(buf);
    Classifier *c = classifier_load(path);
    unlink(path);
    if (!c) {
        const char *msg = sc_last_error();
        if (!msg[0] || strchr(msg, '\n'))
            abort();
        return 0;
    }
    int n = classifier_n_classes(c);
    if (n < 2 || n > CLASSIFIER_MAX_CLASSES)
        abort();
    static float patch[CLASSIFIER_SIDE * CLASSIFIER_SIDE];
    for (int i = 0; i < CLASSIFIER_SIDE * CLASSIFIER_SIDE; i++)
        patch[i] = (float)((i * 37) % 101) / 100.0f;
    float probs[CLASSIFIER_MAX_CLASSES];
    int best = classifier_predict(c, patch, probs);
    if (best < 0 || best >= n)
        abort();
    for (int i = 0; i < n; i++)
        if (!(probs[i] >= 0.0f && probs[i] <= 1.0f))
            abort();
    classifier_destroy(&c);
    return 0;
}
