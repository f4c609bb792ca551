#include "sim/sim_model.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/paths.h"
#include "sim/sim_reading.h"

_Static_assert(CLASSIFIER_MAX_CLASSES == SIM_MAX_CLASSES, "one class limit");

static int sim_predict(void *ctx, const float *patch, float *probs)
{
    classifier_predict((const Classifier *)ctx, patch, probs);
    return 0;
}

void sim_model_adapter(Classifier *c, SimClassifier *out)
{
    out->ctx = c;
    out->n_classes = classifier_n_classes(c);
    out->class_names = classifier_class_names(c);
    out->nothing_class = classifier_nothing_class(c);
    out->predict = sim_predict;
}

int sim_model_path(const SceneSpec *spec, const char *model_opt, char *buf, size_t n)
{
    const char *name = model_opt;
    if (!name || !name[0])
        name = (spec && (spec->kind == SCENE_LETTERS || spec->kind == SCENE_WORDS)) ? "glyphs" : "mnist";
    const char *rel = NULL;
    if (!strcmp(name, "mnist"))
        rel = "assets/models/mnist.wts";
    else if (!strcmp(name, "glyphs"))
        rel = "assets/models/glyphs.wts";
    if (rel) {
        if (!paths_data_file(buf, n, rel)) {
            sc_set_error("%s: path too long", rel);
            return -1;
        }
        return 0;
    }
    int k = snprintf(buf, n, "%s", name);
    if (k < 0 || (size_t)k >= n) {
        sc_set_error("%s: path too long", name);
        return -1;
    }
    return 0;
}

int sim_model_reader_path(int offset, char *buf, size_t n)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "assets/models/reader%+d.wts", offset);
    if (!paths_data_file(buf, n, rel)) {
        sc_set_error("%s: path too long", rel);
        return -1;
    }
    return 0;
}

typedef struct ReaderBank {
    Classifier *c[SIM_READERS_MAX];
    int n;
} ReaderBank;

static void bank_release(void *p)
{
    ReaderBank *b = p;
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        classifier_destroy(&b->c[i]);
    free(b);
}

/* Loads n readers into a new bank (NULL + error). */
static ReaderBank *bank_load(int n)
{
    if (n < 0 || n > SIM_READERS_MAX) {
        sc_set_error("--readers: %d out of range (0..%d)", n, SIM_READERS_MAX);
        return NULL;
    }
    ReaderBank *b = calloc(1, sizeof(*b));
    if (!b) {
        sc_set_error("out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        int off = sim_reader_offset(i);
        char path[1024], want[32];
        snprintf(want, sizeof(want), "reader%+d", off);
        if (sim_model_reader_path(off, path, sizeof(path)) < 0 ||
            !(b->c[i] = classifier_load(path))) {
            bank_release(b);
            return NULL;
        }
        b->n = i + 1;
        if (strcmp(classifier_dataset(b->c[i]), want)) {
            sc_set_error("%s: weights of '%s', not of %s", path, classifier_dataset(b->c[i]), want);
            bank_release(b);
            return NULL;
        }
    }
    return b;
}

static uint64_t bank_hash(const SimClassifier *foveal, const ReaderBank *b)
{
    uint64_t h0 = foveal->predict == sim_predict ? classifier_hash(foveal->ctx) : 0;
    if (!b->n)
        return h0;
    uint64_t h = hash64_u64(hash64_init(), h0);
    h = hash64_u64(h, (uint64_t)b->n);
    for (int i = 0; i < b->n; i++)
        h = hash64_u64(h, classifier_hash(b->c[i]));
    return h;
}

static int bank_attach(Sim *s, const SimClassifier *foveal, ReaderBank *b)
{
    SimReader r[1 + SIM_READERS_MAX];
    r[0] = (SimReader){foveal->ctx, 0, foveal->n_classes, foveal->class_names,
                       foveal->nothing_class, foveal->predict};
    for (int i = 0; i < b->n; i++) {
        SimClassifier a;
        sim_model_adapter(b->c[i], &a);
        r[i + 1] = (SimReader){a.ctx, sim_reader_offset(i), a.n_classes, a.class_names,
                               a.nothing_class, a.predict};
    }
    if (sim_set_readers(s, r, 1 + b->n, bank_release, b) < 0) {
        bank_release(b);
        return -1;
    }
    return 0;
}

int sim_model_attach_readers(Sim *s, const SimClassifier *foveal, int n, uint64_t *hash)
{
    ReaderBank *b = bank_load(n);
    if (!b)
        return -1;
    uint64_t h = bank_hash(foveal, b);
    if (bank_attach(s, foveal, b) < 0)
        return -1;
    if (hash)
        *hash = h;
    return 0;
}

int sim_model_attach_readers_hash(Sim *s, const SimClassifier *foveal, uint64_t want)
{
    for (int n = 0; n <= SIM_READERS_MAX; n++) {
        ReaderBank *b = bank_load(n);
        if (!b)
            break; /* no more reader files */
        if (bank_hash(foveal, b) == want)
            return bank_attach(s, foveal, b);
        bank_release(b);
    }
    sc_set_error("run recorded with classifier or reader weights (hash %016llx) that the "
                 "shipped glyph model and readers do not give",
                 (unsigned long long)want);
    return -1;
}
