#include "classifier/classifier.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/clones.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/output.h"
#include "core/rng.h"
#include "core/utf8.h"

static const unsigned char file_magic[8] = {'S', 'A', 'C', 'C', 'M', 'L', 'P', 0};

struct Classifier {
    char dataset[CLASSIFIER_NAME_MAX];
    int input_kind;
    int side;
    int n_layers;
    int sizes[CLASSIFIER_MAX_LAYERS + 1];
    int n_classes;
    int nothing;
    char names[CLASSIFIER_MAX_CLASSES][CLASSIFIER_NAME_MAX];
    const char *name_ptrs[CLASSIFIER_MAX_CLASSES];
    size_t n_params;
    float *params;                       /* one block: W_0, b_0, W_1, b_1, ... */
    size_t w_off[CLASSIFIER_MAX_LAYERS]; /* offsets into params */
    size_t b_off[CLASSIFIER_MAX_LAYERS];
    size_t act_off[CLASSIFIER_MAX_LAYERS + 1];   /* scratch: input and every layer's output */
    size_t delta_off[CLASSIFIER_MAX_LAYERS + 1]; /* scratch: d loss / d output of layer l */
    size_t scratch_n;                            /* scratch floats per example */
    float *scratch;                              /* predict's own scratch (not thread-safe) */
    char trained_on[CLASSIFIER_TEXT_MAX];        /* what it was trained on (provenance) */
    int holdout;                                 /* 1: the validation split was left out */
    V1PatchParams v1;                            /* fixed V1 input (PIXELS_V1, PIXELS_V1_V2) */
    V1PatchBank bank;                            /* its filter taps, built from v1 */
    V1Patch2Bank bank2;                          /* the fixed second stage (PIXELS_V1_V2) */
};

/* Validates shapes and lays out the parameter and scratch blocks. */
/* The kinds that read the fixed V1 energies (and carry their parameters in the file). */
static int has_v1(const Classifier *c)
{
    return c->input_kind == CLASSIFIER_INPUT_PIXELS_V1 ||
           c->input_kind == CLASSIFIER_INPUT_PIXELS_V1_V2;
}

static int layout(Classifier *c)
{
    if (c->n_layers < 1 || c->n_layers > CLASSIFIER_MAX_LAYERS)
        return -1;
    for (int l = 0; l <= c->n_layers; l++)
        if (c->sizes[l] < 1 || c->sizes[l] > CLASSIFIER_MAX_WIDTH)
            return -1;
    c->n_classes = c->sizes[c->n_layers];
    if (c->n_classes < 2 || c->n_classes > CLASSIFIER_MAX_CLASSES)
        return -1;
    if (c->nothing < -1 || c->nothing >= c->n_classes)
        return -1;
    size_t off = 0;
    for (int l = 0; l < c->n_layers; l++) {
        c->w_off[l] = off;
        off += (size_t)c->sizes[l] * (size_t)c->sizes[l + 1];
        c->b_off[l] = off;
        off += (size_t)c->sizes[l + 1];
    }
    c->n_params = off;
    /* scratch per example: the network's input and every layer's output, then the loss
     * gradient at every layer's output (training only) */
    size_t s = 0;
    for (int l = 0; l <= c->n_layers; l++) {
        c->act_off[l] = s;
        s += (size_t)c->sizes[l];
    }
    c->delta_off[0] = 0; /* unused: no gradient is taken w.r.t. the input */
    for (int l = 1; l <= c->n_layers; l++) {
        c->delta_off[l] = s;
        s += (size_t)c->sizes[l];
    }
    c->scratch_n = s;
    return 0;
}

static Classifier *alloc_blocks(Classifier *c)
{
    c->params = calloc(c->n_params, sizeof(float));
    c->scratch = calloc(c->scratch_n, sizeof(float));
    if (!c->params || !c->scratch) {
        free(c->params);
        free(c->scratch);
        free(c);
        sc_set_error("classifier: out of memory");
        return NULL;
    }
    for (int i = 0; i < c->n_classes; i++)
        c->name_ptrs[i] = c->names[i];
    return c;
}

Classifier *classifier_create(const char *dataset, int n_layers, const int *sizes,
                              const char *const *class_names, int nothing_class, uint64_t seed)
{
    return classifier_create_kind(dataset, CLASSIFIER_INPUT_PIXELS, n_layers, sizes, class_names,
                                  nothing_class, seed);
}

Classifier *classifier_create_kind(const char *dataset, int input_kind, int n_layers,
                                   const int *sizes, const char *const *class_names,
                                   int nothing_class, uint64_t seed)
{
    Classifier *c = calloc(1, sizeof(*c));
    if (!c) {
        sc_set_error("classifier: out of memory");
        return NULL;
    }
    snprintf(c->dataset, sizeof(c->dataset), "%s", dataset ? dataset : "");
    c->input_kind = input_kind;
    c->side = CLASSIFIER_SIDE;
    v1_patch_params_default(&c->v1);
    v1_patch_bank_init(&c->bank, &c->v1);
    v1_patch2_bank_init(&c->bank2);
    c->n_layers = n_layers;
    c->nothing = nothing_class;
    if (n_layers >= 1 && n_layers <= CLASSIFIER_MAX_LAYERS)
        memcpy(c->sizes, sizes, sizeof(int) * (size_t)(n_layers + 1));
    if (layout(c) < 0 || c->sizes[0] != classifier_input_size(input_kind) || !c->dataset[0]) {
        free(c);
        sc_set_error("classifier: bad layer shapes");
        return NULL;
    }
    for (int i = 0; i < c->n_classes; i++) {
        if (!class_names[i] || !class_names[i][0] ||
            strlen(class_names[i]) >= CLASSIFIER_NAME_MAX) {
            free(c);
            sc_set_error("classifier: bad class name %d", i);
            return NULL;
        }
        snprintf(c->names[i], CLASSIFIER_NAME_MAX, "%s", class_names[i]);
    }
    if (!alloc_blocks(c))
        return NULL;
    /* He initialisation (normal, sd sqrt(2 / fan_in)), biases zero. */
    Rng rng;
    rng_seed(&rng, seed);
    for (int l = 0; l < c->n_layers; l++) {
        float sd = sqrtf(2.0f / (float)c->sizes[l]);
        float *w = c->params + c->w_off[l];
        size_t nw = (size_t)c->sizes[l] * (size_t)c->sizes[l + 1];
        for (size_t i = 0; i < nw; i++)
            w[i] = (float)rng_normal(&rng) * sd;
    }
    return c;
}

Classifier *classifier_clone(const Classifier *src)
{
    Classifier *c = malloc(sizeof(*c));
    if (!c) {
        sc_set_error("classifier: out of memory");
        return NULL;
    }
    *c = *src;
    if (!alloc_blocks(c))
        return NULL;
    memcpy(c->params, src->params, sizeof(float) * c->n_params);
    return c;
}

void classifier_destroy(Classifier **pc)
{
    if (!pc || !*pc)
        return;
    free((*pc)->params);
    free((*pc)->scratch);
    free(*pc);
    *pc = NULL;
}

/* ---------------------------------------------------------------- file format */

typedef struct Writer {
    FILE *f;
    uLong crc;
    int err;
} Writer;

static void put_bytes(Writer *w, const void *p, size_t n)
{
    if (w->err || n == 0)
        return;
    if (fwrite(p, 1, n, w->f) != n)
        w->err = 1;
    w->crc = crc32(w->crc, (const Bytef *)p, (uInt)n);
}

static void put_u32(Writer *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put_bytes(w, b, 4);
}

static void put_str(Writer *w, const char *s)
{
    put_u32(w, (uint32_t)strlen(s));
    put_bytes(w, s, strlen(s));
}

static void put_f32(Writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    put_u32(w, u);
}

static void put_floats(Writer *w, const float *p, size_t n)
{
    unsigned char buf[4096];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, &p[i], 4);
        buf[k++] = (unsigned char)v;
        buf[k++] = (unsigned char)(v >> 8);
        buf[k++] = (unsigned char)(v >> 16);
        buf[k++] = (unsigned char)(v >> 24);
        if (k == sizeof(buf)) {
            put_bytes(w, buf, k);
            k = 0;
        }
    }
    put_bytes(w, buf, k);
}

int classifier_save(const Classifier *c, const char *path)
{
    /* through the output helper: a temporary file in the target's folder, renamed onto the
     * target only when every write succeeded and only onto an absent or regular file */
    Output *o = output_open(path, NULL, 0);
    if (!o)
        return -1;
    Writer w = {output_stream(o), crc32(0, Z_NULL, 0), 0};
    put_bytes(&w, file_magic, sizeof(file_magic));
    put_u32(&w, CLASSIFIER_FILE_VERSION);
    put_str(&w, c->dataset);
    put_u32(&w, (uint32_t)c->input_kind);
    put_u32(&w, (uint32_t)c->side);
    put_u32(&w, (uint32_t)c->n_layers);
    for (int l = 0; l <= c->n_layers; l++)
        put_u32(&w, (uint32_t)c->sizes[l]);
    put_u32(&w, (uint32_t)(int32_t)c->nothing);
    for (int i = 0; i < c->n_classes; i++)
        put_str(&w, c->names[i]);
    put_str(&w, c->trained_on);
    put_u32(&w, (uint32_t)c->holdout);
    if (has_v1(c)) {
        put_u32(&w, (uint32_t)c->v1.orientations);
        put_f32(&w, c->v1.wavelength_px);
        put_f32(&w, c->v1.sigma_per_wavelength);
        put_f32(&w, c->v1.threshold);
    }
    put_floats(&w, c->params, c->n_params);
    uint32_t crc = (uint32_t)w.crc;
    put_u32(&w, crc);
    if (w.err) {
        output_abort(&o);
        sc_set_error("%s: cannot write", path);
        return -1;
    }
    return output_commit(&o);
}

typedef struct Reader {
    const unsigned char *p;
    size_t n, pos;
    int err;
} Reader;

static const unsigned char *get_bytes(Reader *r, size_t n)
{
    if (r->err || n > r->n - r->pos) {
        r->err = 1;
        return NULL;
    }
    const unsigned char *q = r->p + r->pos;
    r->pos += n;
    return q;
}

static uint32_t get_u32(Reader *r)
{
    const unsigned char *b = get_bytes(r, 4);
    if (!b)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static float get_f32(Reader *r)
{
    uint32_t u = get_u32(r);
    float v;
    memcpy(&v, &u, 4);
    return v;
}

/* Reads a length-prefixed name into out (CLASSIFIER_NAME_MAX). Returns 0 or -1. */
static int get_name(Reader *r, char *out)
{
    uint32_t len = get_u32(r);
    if (r->err || len < 1 || len >= CLASSIFIER_NAME_MAX)
        return -1;
    const unsigned char *b = get_bytes(r, len);
    if (!b)
        return -1;
    memcpy(out, b, len);
    out[len] = 0;
    if (strlen(out) != len || utf8_invalid_at(out, len) != len) /* names are UTF-8 text */
        return -1;
    return 0;
}

/* Largest file accepted: every layer at the maximum width. */
#define MAX_FILE_BYTES                                                                             \
    ((size_t)CLASSIFIER_MAX_LAYERS * (CLASSIFIER_MAX_WIDTH + 1) * CLASSIFIER_MAX_WIDTH * 4 + 65536)

/* The one file reader (core/file.h): regular files only (a folder or a FIFO is refused with
 * "not a regular file", never read or waited on), size checked before reading. */
static unsigned char *read_whole(const char *path, size_t *n)
{
    unsigned char *buf;
    if (file_read_all(path, MAX_FILE_BYTES, &buf, n) < 0)
        return NULL;
    return buf;
}

Classifier *classifier_load(const char *path)
{
    size_t n = 0;
    unsigned char *buf = read_whole(path, &n);
    if (!buf)
        return NULL;
    Classifier *c = calloc(1, sizeof(*c));
    const char *problem = NULL;
    Reader r = {buf, n, 0, 0};
    if (!c) {
        problem = "out of memory";
        goto fail;
    }
    const unsigned char *magic = get_bytes(&r, sizeof(file_magic));
    if (!magic || memcmp(magic, file_magic, sizeof(file_magic)) != 0) {
        problem = magic ? "not a saccade model file (bad magic)" : "truncated model file";
        goto fail;
    }
    uint32_t version = get_u32(&r);
    if (r.err) {
        problem = "truncated model file";
        goto fail;
    }
    if (version != CLASSIFIER_FILE_VERSION) {
        if (version == 1)
            sc_set_error("%s: model file version 1 (no provenance or V1 parameters; trained on "
                         "the old 8,000-digit split) is no longer read: retrain it with "
                         "'saccade train'",
                         path);
        else
            sc_set_error("%s: model file version %u, this program reads version %d", path,
                         (unsigned)version, CLASSIFIER_FILE_VERSION);
        free(buf);
        free(c);
        return NULL;
    }
    /* The CRC covers everything before it: check it first, so a flipped bit anywhere is
     * reported as corruption rather than as whatever field it happened to land in. */
    if (n < r.pos + 4) {
        problem = "truncated model file";
        goto fail;
    }
    {
        uint32_t stored = (uint32_t)buf[n - 4] | (uint32_t)buf[n - 3] << 8 |
                          (uint32_t)buf[n - 2] << 16 | (uint32_t)buf[n - 1] << 24;
        uint32_t crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), buf, (uInt)(n - 4));
        if (crc != stored) {
            problem = "CRC mismatch (corrupted or truncated model file)";
            goto fail;
        }
    }
    r.n = n - 4; /* the body ends before the CRC */
    if (get_name(&r, c->dataset) < 0) {
        problem = r.err ? "truncated model file" : "bad dataset name";
        goto fail;
    }
    c->input_kind = (int)get_u32(&r);
    c->side = (int)get_u32(&r);
    uint32_t nl = get_u32(&r);
    if (r.err) {
        problem = "truncated model file";
        goto fail;
    }
    if (classifier_input_size(c->input_kind) == 0) {
        problem = "unknown input kind";
        goto fail;
    }
    if (c->side != CLASSIFIER_SIDE) {
        problem = "wrong input shape (expected a 28x28 patch)";
        goto fail;
    }
    if (nl < 1 || nl > CLASSIFIER_MAX_LAYERS) {
        problem = "wrong shape (layer count)";
        goto fail;
    }
    c->n_layers = (int)nl;
    for (int l = 0; l <= c->n_layers; l++) {
        uint32_t s = get_u32(&r);
        c->sizes[l] = s > CLASSIFIER_MAX_WIDTH ? -1 : (int)s;
    }
    c->nothing = (int)(int32_t)get_u32(&r);
    if (r.err) {
        problem = "truncated model file";
        goto fail;
    }
    if (layout(c) < 0 || c->sizes[0] != classifier_input_size(c->input_kind)) {
        problem = "wrong shape (layer sizes or classes)";
        goto fail;
    }
    for (int i = 0; i < c->n_classes; i++)
        if (get_name(&r, c->names[i]) < 0) {
            problem = r.err ? "truncated model file" : "bad class name";
            goto fail;
        }
    {
        uint32_t len = get_u32(&r);
        const unsigned char *b = r.err || len >= CLASSIFIER_TEXT_MAX ? NULL : get_bytes(&r, len);
        if (!b) {
            problem = r.err ? "truncated model file" : "bad provenance text";
            goto fail;
        }
        memcpy(c->trained_on, b, len);
        c->trained_on[len] = 0;
        for (uint32_t i = 0; i < len; i++)
            if (b[i] < 0x20 || b[i] == 0x7f) {
                problem = "bad provenance text (control bytes)";
                goto fail;
            }
        uint32_t h = get_u32(&r);
        if (r.err || h > 1) {
            problem = r.err ? "truncated model file" : "bad holdout flag";
            goto fail;
        }
        c->holdout = (int)h;
    }
    v1_patch_params_default(&c->v1);
    if (has_v1(c)) {
        c->v1.orientations = (int)get_u32(&r);
        c->v1.wavelength_px = get_f32(&r);
        c->v1.sigma_per_wavelength = get_f32(&r);
        c->v1.threshold = get_f32(&r);
        if (r.err) {
            problem = "truncated model file";
            goto fail;
        }
        if (!v1_patch_params_valid(&c->v1)) {
            problem = "bad V1 input parameters";
            goto fail;
        }
    }
    v1_patch_bank_init(&c->bank, &c->v1);
    v1_patch2_bank_init(&c->bank2);
    if (r.n - r.pos != c->n_params * 4) {
        problem = r.n - r.pos < c->n_params * 4 ? "truncated model file (weights)"
                                                : "wrong shape (more data than the layers hold)";
        goto fail;
    }
    if (!alloc_blocks(c)) {
        c = NULL;
        problem = "out of memory";
        goto fail;
    }
    for (size_t i = 0; i < c->n_params; i++) {
        const unsigned char *b = buf + r.pos + 4 * i;
        uint32_t v =
            (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        memcpy(&c->params[i], &v, 4);
        if (!isfinite(c->params[i])) {
            problem = "non-finite weight";
            goto fail;
        }
    }
    free(buf);
    return c;
fail:
    sc_set_error("%s: %s", path, problem);
    free(buf);
    if (c) {
        free(c->params);
        free(c->scratch);
        free(c);
    }
    return NULL;
}

/* ---------------------------------------------------------------- inference */

void classifier_preprocess(const float *src, float *dst, int n)
{
    float lo = src[0], hi = src[0];
    for (int i = 1; i < n; i++) {
        lo = src[i] < lo ? src[i] : lo;
        hi = src[i] > hi ? src[i] : hi;
    }
    float range = hi - lo;
    float s = 1.0f / (range > CLASSIFIER_MIN_RANGE ? range : CLASSIFIER_MIN_RANGE);
    for (int i = 0; i < n; i++)
        dst[i] = (src[i] - lo) * s;
}

/* ---------------------------------------------------------------- V1 input */

int classifier_input_size(int input_kind)
{
    switch (input_kind) {
    case CLASSIFIER_INPUT_PIXELS: return CLASSIFIER_SIDE * CLASSIFIER_SIDE;
    case CLASSIFIER_INPUT_PIXELS_V1: return CLASSIFIER_SIDE * CLASSIFIER_SIDE + V1_PATCH_OUT;
    case CLASSIFIER_INPUT_PIXELS_V1_V2:
        return CLASSIFIER_SIDE * CLASSIFIER_SIDE + V1_PATCH_OUT + V1_PATCH2_OUT;
    default: return 0;
    }
}

int classifier_input_kind(const Classifier *c)
{
    return c->input_kind;
}

void classifier_features(const Classifier *c, const float *patch, float *x)
{
    classifier_preprocess(patch, x, CLASSIFIER_SIDE * CLASSIFIER_SIDE);
    if (has_v1(c)) {
        float *e1 = x + CLASSIFIER_SIDE * CLASSIFIER_SIDE;
        v1_patch_energy(&c->bank, x, e1);
        if (c->input_kind == CLASSIFIER_INPUT_PIXELS_V1_V2)
            v1_patch2_energy(&c->bank2, e1, e1 + V1_PATCH_OUT);
    }
}

static int softmax(float *z, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (z[i] > z[best])
            best = i;
    float m = z[best], sum = 0.0f;
    if (!isfinite(m)) {
        /* huge (finite) weights overflow the logits: +inf shares the mass among the classes
         * at +inf; all NaN or -inf is uniform. Never NaN probabilities. */
        int k = 0;
        for (int i = 0; i < n; i++)
            k += m > 0 && z[i] == m;
        for (int i = 0; i < n; i++)
            z[i] = k ? (z[i] == m ? 1.0f / (float)k : 0.0f) : 1.0f / (float)n;
        return best;
    }
    for (int i = 0; i < n; i++) {
        z[i] = z[i] == z[i] ? expf(z[i] - m) : 0.0f; /* a NaN logit gets no mass */
        sum += z[i];
    }
    float inv = 1.0f / sum;
    for (int i = 0; i < n; i++)
        z[i] *= inv;
    return best;
}

/* Dot product in four interleaved partial sums, added in a fixed order: the one definition of
 * this sum, so the single-example and batched backward passes give the same bits. */
static inline float dot4(const float *w, const float *d, int n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int o = 0;
    for (; o + 4 <= n; o += 4) {
        s0 += w[o] * d[o];
        s1 += w[o + 1] * d[o + 1];
        s2 += w[o + 2] * d[o + 2];
        s3 += w[o + 3] * d[o + 3];
    }
    for (; o < n; o++)
        s0 += w[o] * d[o];
    return (s0 + s1) + (s2 + s3);
}

/* Forward through every layer for n examples (xs[b]; example b's scratch at b * scratch_n),
 * each weight row read once for the whole batch (predict is the case n = 1); with dropout on
 * the hidden layers when drop is given. The output layer is left before its softmax. */
#define FWD_CHUNK 32

/* y += a x over n floats */
static inline void axpy(float *restrict y, float a, const float *restrict x, int n)
{
    for (int o = 0; o < n; o++)
        y[o] += a * x[o];
}

SC_CLONES static void forward_batch(const Classifier *c, const float *const *xs, int n,
                                    float *scratch, const ClassifierDropout *drop)
{
    const size_t sn = c->scratch_n;
    const int L = c->n_layers;
    for (int l = 0; l < L; l++) {
        int ni = c->sizes[l], no = c->sizes[l + 1];
        const float *w = c->params + c->w_off[l], *bias = c->params + c->b_off[l];
        /* y_b = bias + x_b W, each row of W read once for up to FWD_CHUNK examples */
        for (int b0 = 0; b0 < n; b0 += FWD_CHUNK) {
            int m = n - b0 < FWD_CHUNK ? n - b0 : FWD_CHUNK;
            const float *in[FWD_CHUNK];
            float *out[FWD_CHUNK];
            for (int b = 0; b < m; b++) {
                float *sb = scratch + (size_t)(b0 + b) * sn;
                in[b] = l == 0 ? xs[b0 + b] : sb + c->act_off[l];
                out[b] = sb + c->act_off[l + 1];
                memcpy(out[b], bias, sizeof(float) * (size_t)no);
            }
            if (m == 1) { /* predict: the same sums, without the loop over examples */
                const float *x0 = in[0];
                for (int i = 0; i < ni; i++)
                    if (x0[i] != 0.0f)
                        axpy(out[0], x0[i], w + (size_t)i * (size_t)no, no);
                continue;
            }
            for (int i = 0; i < ni; i++) {
                const float *wr = w + (size_t)i * (size_t)no;
                for (int b = 0; b < m; b++)
                    if (in[b][i] != 0.0f) /* sparse inputs and ReLU zeros */
                        axpy(out[b], in[b][i], wr, no);
            }
        }
        if (l + 1 < L)
            for (int b = 0; b < n; b++) {
                float *y = scratch + (size_t)b * sn + c->act_off[l + 1];
                for (int o = 0; o < no; o++)
                    y[o] = y[o] > 0.0f ? y[o] : 0.0f;
                if (drop && drop->rate > 0.0f) {
                    /* inverted dropout: each example's own stream, whoever computes it */
                    Rng r;
                    rng_seed(&r, drop->seed + 0x9E3779B97F4A7C15ull * (uint64_t)(drop->first + b) +
                                     (uint64_t)l);
                    float keep = 1.0f - drop->rate, scale = 1.0f / keep;
                    for (int o = 0; o < no; o++)
                        y[o] = rng_uniform(&r) < (double)keep ? y[o] * scale : 0.0f;
                }
            }
    }
}

int classifier_predict(const Classifier *c, const float *patch, float *probs)
{
    float *x = c->scratch + c->act_off[0];
    classifier_features(c, patch, x);
    const float *xs[1] = {x};
    forward_batch(c, xs, 1, c->scratch, NULL);
    float *out = c->scratch + c->act_off[c->n_layers];
    int best = softmax(out, c->n_classes);
    if (probs)
        memcpy(probs, out, sizeof(float) * (size_t)c->n_classes);
    return best;
}

int classifier_predict_features(const Classifier *c, const float *x, float *probs)
{
    const float *xs[1] = {x};
    forward_batch(c, xs, 1, c->scratch, NULL);
    float *out = c->scratch + c->act_off[c->n_layers];
    int best = softmax(out, c->n_classes);
    if (probs)
        memcpy(probs, out, sizeof(float) * (size_t)c->n_classes);
    return best;
}

size_t classifier_scratch_floats(const Classifier *c)
{
    return c->scratch_n;
}

float classifier_backprop(const Classifier *c, const float *x, int target, float *grad,
                          float *scratch, int *predicted)
{
    const float *xs[1] = {x};
    double loss = classifier_batch_deltas(c, xs, &target, 1, scratch, predicted, NULL);
    float g[CLASSIFIER_MAX_WIDTH];
    for (int l = 0; l < c->n_layers; l++) {
        int no = c->sizes[l + 1];
        for (int row = -1; row < c->sizes[l]; row++) {
            classifier_batch_grad_row(c, l, row, xs, 1, scratch, g);
            float *dst = grad + (row < 0 ? c->b_off[l] : c->w_off[l] + (size_t)row * (size_t)no);
            for (int o = 0; o < no; o++)
                dst[o] += g[o];
        }
    }
    return (float)loss;
}

/* ---------------------------------------------------------------- batched training passes */

void classifier_layer_params(const Classifier *c, int l, size_t *w_off, size_t *b_off)
{
    *w_off = c->w_off[l];
    *b_off = c->b_off[l];
}

/* Forward and backward to every layer's output for n examples, the weight rows read once for
 * the whole batch. */
SC_CLONES double classifier_batch_deltas(const Classifier *c, const float *const *xs,
                                         const int *targets, int n, float *scratch, int *predicted,
                                         const ClassifierDropout *drop)
{
    const size_t sn = c->scratch_n;
    const int L = c->n_layers;
    forward_batch(c, xs, n, scratch, drop);
    float dscale = drop && drop->rate > 0.0f ? 1.0f / (1.0f - drop->rate) : 1.0f;
    double loss = 0;
    for (int b = 0; b < n; b++) {
        float *s = scratch + (size_t)b * sn;
        int best = softmax(s + c->act_off[L], c->n_classes);
        if (predicted)
            predicted[b] = best;
        const float *p = s + c->act_off[L];
        float *delta = s + c->delta_off[L];
        float pt = p[targets[b]];
        for (int o = 0; o < c->n_classes; o++)
            delta[o] = p[o] - (o == targets[b] ? 1.0f : 0.0f);
        loss += (double)-logf(pt > 1e-30f ? pt : 1e-30f);
    }
    for (int l = L - 1; l >= 1; l--) {
        int ni = c->sizes[l], no = c->sizes[l + 1];
        const float *w = c->params + c->w_off[l];
        for (int i = 0; i < ni; i++) {
            const float *wr = w + (size_t)i * (size_t)no;
            for (int b = 0; b < n; b++) {
                float *s = scratch + (size_t)b * sn;
                const float *delta = s + c->delta_off[l + 1];
                float *delta_in = s + c->delta_off[l];
                if (s[c->act_off[l] + (size_t)i] <= 0.0f) { /* ReLU: inactive, no gradient */
                    delta_in[i] = 0.0f;
                    continue;
                }
                delta_in[i] = dot4(wr, delta, no);
                if (dscale != 1.0f) /* a kept unit's output was scaled up */
                    delta_in[i] *= dscale;
            }
        }
    }
    return loss;
}

SC_CLONES void classifier_batch_grad_row(const Classifier *c, int l, int row,
                                         const float *const *xs, int n, const float *scratch,
                                         float *g)
{
    const size_t sn = c->scratch_n;
    int no = c->sizes[l + 1];
    memset(g, 0, sizeof(float) * (size_t)no);
    for (int b = 0; b < n; b++) {
        const float *s = scratch + (size_t)b * sn;
        float xi = row < 0 ? 1.0f : l == 0 ? xs[b][row] : s[c->act_off[l] + (size_t)row];
        if (xi != 0.0f) /* the biases: 1 * delta is delta, bit for bit */
            axpy(g, xi, s + c->delta_off[l + 1], no);
    }
}

/* ---------------------------------------------------------------- accessors */

int classifier_n_classes(const Classifier *c)
{
    return c->n_classes;
}

const char *classifier_class_name(const Classifier *c, int i)
{
    return (i >= 0 && i < c->n_classes) ? c->names[i] : "?";
}

const char *const *classifier_class_names(const Classifier *c)
{
    return c->name_ptrs;
}
int classifier_nothing_class(const Classifier *c)
{
    return c->nothing;
}
const char *classifier_dataset(const Classifier *c)
{
    return c->dataset;
}
size_t classifier_param_count(const Classifier *c)
{
    return c->n_params;
}
float *classifier_params(Classifier *c)
{
    return c->params;
}
int classifier_layer_count(const Classifier *c)
{
    return c->n_layers;
}

int classifier_layer_size(const Classifier *c, int i)
{
    return (i >= 0 && i <= c->n_layers) ? c->sizes[i] : 0;
}

uint64_t classifier_hash(const Classifier *c)
{
    uint64_t h = hash64_init();
    h = hash64_update(h, c->dataset, strlen(c->dataset));
    h = hash64_u64(h, (uint64_t)c->input_kind);
    h = hash64_u64(h, (uint64_t)c->n_layers);
    for (int l = 0; l <= c->n_layers; l++)
        h = hash64_u64(h, (uint64_t)c->sizes[l]);
    h = hash64_u64(h, (uint64_t)(int64_t)c->nothing);
    for (int i = 0; i < c->n_classes; i++)
        h = hash64_update(h, c->names[i], strlen(c->names[i]) + 1);
    h = hash64_update(h, c->trained_on, strlen(c->trained_on) + 1);
    h = hash64_u64(h, (uint64_t)c->holdout);
    if (has_v1(c)) {
        h = hash64_u64(h, (uint64_t)c->v1.orientations);
        h = hash64_update(h, &c->v1.wavelength_px, sizeof(float));
        h = hash64_update(h, &c->v1.sigma_per_wavelength, sizeof(float));
        h = hash64_update(h, &c->v1.threshold, sizeof(float));
    }
    return hash64_update(h, c->params, c->n_params * sizeof(float));
}

void classifier_set_provenance(Classifier *c, const char *trained_on, int holdout)
{
    snprintf(c->trained_on, sizeof(c->trained_on), "%s", trained_on ? trained_on : "");
    for (char *q = c->trained_on; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = ' ';
    c->holdout = holdout != 0;
}

const char *classifier_trained_on(const Classifier *c)
{
    return c->trained_on;
}
int classifier_holdout(const Classifier *c)
{
    return c->holdout;
}
const V1PatchParams *classifier_v1_params(const Classifier *c)
{
    return &c->v1;
}
