/* The reading eye's vocabulary (lexicon.h). */
#include "sim/lexicon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clones.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"

#define LEXICON_BYTES_MAX (16u << 20)
#define LEN_BITS 5 /* an id is (index << LEN_BITS) | length */
_Static_assert(LEXICON_LEN_MAX < (1 << LEN_BITS), "a length fits its bits");

/* The words of one length, in file order: their symbols letter by letter (sym[i * count + j]:
 * word j's letter i, so that a letter's scores are summed over every word in one pass) and
 * their text (len + 1 a word). */
typedef struct Bucket {
    unsigned char *sym;
    char *text;
    int count;
    int plain; /* the first plain words are the file's; the rest its capitals (lexicon_load) */
} Bucket;

struct Lexicon {
    Bucket by_len[LEXICON_LEN_MAX + 1];
    int count, most; /* words in all, and in the largest bucket */
    float *score;    /* lexicon_decode's scores, one a word of a bucket */
    uint64_t hash;
};

int lexicon_symbol(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return 26 + (c - 'a');
    return -1;
}

void lexicon_destroy(Lexicon **lex)
{
    if (!lex || !*lex)
        return;
    for (int n = 0; n <= LEXICON_LEN_MAX; n++) {
        free((*lex)->by_len[n].sym);
        free((*lex)->by_len[n].text);
    }
    free((*lex)->score);
    free(*lex);
    *lex = NULL;
}

/* Where the line of data that starts at i ends: its newline, or n. */
static size_t line_end(const char *data, size_t n, size_t i)
{
    const char *nl = memchr(data + i, '\n', n - i);
    return nl ? (size_t)(nl - data) : n;
}

/* A line of data that is a word: LEXICON_LEN_MIN..LEXICON_LEN_MAX letters A-Z / a-z. */
static int is_word(const char *w, size_t len)
{
    int ok = len >= LEXICON_LEN_MIN && len <= LEXICON_LEN_MAX;
    for (size_t k = 0; ok && k < len; k++)
        ok = lexicon_symbol(w[k]) >= 0;
    return ok;
}

/* data's words; those in its first n_plain bytes the file's own, the rest capitals. */
static Lexicon *parse(const char *name, const char *data, size_t n, size_t n_plain)
{
    Lexicon *lex = calloc(1, sizeof(*lex));
    if (!lex) {
        sc_set_error("%s: out of memory", name);
        return NULL;
    }
    /* two passes: check and count by length, then fill */
    for (int pass = 0; pass < 2; pass++) {
        int line = 1, count = 0;
        int fill[LEXICON_LEN_MAX + 1] = {0};
        for (size_t i = 0; i < n; line++) {
            const size_t e = line_end(data, n, i);
            size_t len = e - i;
            if (!is_word(data + i, len)) {
                sc_set_error("%s:%d: not a word of %d..%d letters A-Z, a-z", name, line,
                             LEXICON_LEN_MIN, LEXICON_LEN_MAX);
                lexicon_destroy(&lex);
                return NULL;
            }
            if (++count > LEXICON_WORDS_MAX) {
                sc_set_error("%s: more than %d words", name, LEXICON_WORDS_MAX);
                lexicon_destroy(&lex);
                return NULL;
            }
            Bucket *b = &lex->by_len[len];
            if (pass == 0) {
                b->count++;
                b->plain += i < n_plain;
            } else {
                int j = fill[len]++;
                for (size_t k = 0; k < len; k++)
                    b->sym[k * (size_t)b->count + (size_t)j] =
                        (unsigned char)lexicon_symbol(data[i + k]);
                memcpy(b->text + (size_t)j * (len + 1), data + i, len);
                b->text[(size_t)j * (len + 1) + len] = 0;
            }
            i = e + 1; /* past the newline (the last line may have none) */
        }
        if (pass == 0) {
            if (count == 0) {
                sc_set_error("%s: no words", name);
                lexicon_destroy(&lex);
                return NULL;
            }
            lex->count = count;
            for (int len = LEXICON_LEN_MIN; len <= LEXICON_LEN_MAX; len++)
                if (lex->by_len[len].count > lex->most)
                    lex->most = lex->by_len[len].count;
            if (!(lex->score = malloc(sizeof(float) * (size_t)lex->most))) {
                sc_set_error("%s: out of memory", name);
                lexicon_destroy(&lex);
                return NULL;
            }
            for (int len = LEXICON_LEN_MIN; len <= LEXICON_LEN_MAX; len++) {
                Bucket *b = &lex->by_len[len];
                if (!b->count)
                    continue;
                b->sym = malloc((size_t)b->count * (size_t)len);
                b->text = malloc((size_t)b->count * (size_t)(len + 1));
                if (!b->sym || !b->text) {
                    sc_set_error("%s: out of memory", name);
                    lexicon_destroy(&lex);
                    return NULL;
                }
            }
        }
    }
    lex->hash = hash64_update(hash64_init(), data, n);
    if (n_plain < n) /* ... and the capitals' prior */
        lex->hash = hash64_update(lex->hash, &(float){LEXICON_CAPITAL_LOGP}, sizeof(float));
    return lex;
}

Lexicon *lexicon_parse(const char *name, const char *data, size_t n)
{
    return parse(name, data, n, n);
}

static uint64_t word_key(const char *w, size_t len, int capital)
{
    uint64_t h = hash64_u64(hash64_init(), (uint64_t)len);
    for (size_t k = 0; k < len; k++) {
        char c = k == 0 && capital ? (char)(w[0] - 'a' + 'A') : w[k];
        h = hash64_update(h, &c, 1);
    }
    return h | 1; /* 0 marks an empty slot */
}

/* Key k's slot in an open-addressed set of `slots` (a power of two): its own, or the empty
 * one where it would go. */
static size_t set_slot(const uint64_t *set, size_t slots, uint64_t k)
{
    size_t s = (size_t)k & (slots - 1);
    while (set[s] && set[s] != k)
        s = (s + 1) & (slots - 1);
    return s;
}

/* data's lines, then each word that starts with a lowercase letter again with it capitalized,
 * where data does not hold that already: *out (n_out bytes, allocated). 0, or -1 + error. */
static int with_capitals(const char *name, const char *data, size_t n, char **out, size_t *n_out)
{
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += data[i] == '\n';
    size_t slots = 16;
    while (slots < 2 * lines)
        slots *= 2;
    uint64_t *set = calloc(slots, sizeof(*set));
    char *buf = malloc(2 * n + 2);
    if (!set || !buf) {
        free(set);
        free(buf);
        sc_set_error("%s: out of memory", name);
        return -1;
    }
    /* a set of the words' keys (a collision of two 64-bit keys would only drop a capital) */
    for (size_t i = 0; i < n;) {
        const size_t e = line_end(data, n, i);
        if (is_word(data + i, e - i)) {
            const uint64_t k = word_key(data + i, e - i, 0);
            set[set_slot(set, slots, k)] = k;
        }
        i = e + 1;
    }
    memcpy(buf, data, n);
    size_t m = n;
    if (m > 0 && buf[m - 1] != '\n')
        buf[m++] = '\n';
    for (size_t i = 0; i < n;) {
        const size_t e = line_end(data, n, i);
        if (is_word(data + i, e - i) && data[i] >= 'a' && data[i] <= 'z' &&
            !set[set_slot(set, slots, word_key(data + i, e - i, 1))]) {
            buf[m] = (char)(data[i] - 'a' + 'A');
            memcpy(buf + m + 1, data + i + 1, e - i - 1);
            m += e - i;
            buf[m++] = '\n';
        }
        i = e + 1;
    }
    free(set);
    *out = buf;
    *n_out = m;
    return 0;
}

Lexicon *lexicon_parse_capitals(const char *name, const char *data, size_t n)
{
    /* an empty input, or a NUL, fails in parse with the input's own line */
    if (n == 0 || memchr(data, 0, n))
        return parse(name, data, n, n);
    char *all = NULL;
    size_t n_all = 0;
    if (with_capitals(name, data, n, &all, &n_all) < 0)
        return NULL;
    Lexicon *lex = parse(name, all, n_all, n);
    free(all);
    return lex;
}

static Lexicon *load(const char *path, int capitals)
{
    unsigned char *data = NULL;
    size_t n = 0;
    if (file_read_all(path, LEXICON_BYTES_MAX, &data, &n) < 0)
        return NULL;
    Lexicon *lex = capitals ? lexicon_parse_capitals(path, (const char *)data, n)
                            : lexicon_parse(path, (const char *)data, n);
    free(data);
    return lex;
}

Lexicon *lexicon_load(const char *path)
{
    return load(path, 1);
}

Lexicon *lexicon_load_as_written(const char *path)
{
    return load(path, 0);
}

int lexicon_count(const Lexicon *lex)
{
    return lex->count;
}

uint64_t lexicon_hash(const Lexicon *lex)
{
    return lex->hash;
}

const char *lexicon_word(const Lexicon *lex, int32_t id, int *len)
{
    int n = id & ((1 << LEN_BITS) - 1), j = id >> LEN_BITS;
    if (id < 0 || n < LEXICON_LEN_MIN || n > LEXICON_LEN_MAX || j >= lex->by_len[n].count)
        return NULL;
    if (len)
        *len = n;
    return lex->by_len[n].text + (size_t)j * (size_t)(n + 1);
}

/* sc[j] += row[col[j]] for every word j: elementwise, the same bits in every copy. */
SC_CLONES static void add_letter(float *restrict sc, const float *restrict row,
                                 const unsigned char *restrict col, int count)
{
    for (int j = 0; j < count; j++)
        sc[j] += row[col[j]];
}

/* The largest of v[0..count-1], kept in 16 lanes (elementwise, so vectorised; a max is the
 * same in any order). */
SC_CLONES static float max_of(const float *restrict v, int count)
{
    float lane[16];
    for (int l = 0; l < 16; l++)
        lane[l] = -INFINITY;
    int j = 0;
    for (; j + 16 <= count; j += 16)
        for (int l = 0; l < 16; l++)
            lane[l] = v[j + l] > lane[l] ? v[j + l] : lane[l];
    float m = -INFINITY;
    for (int l = 0; l < 16; l++)
        m = lane[l] > m ? lane[l] : m;
    for (; j < count; j++)
        m = v[j] > m ? v[j] : m;
    return m;
}

/* v[j] = exp(v[j] - top) for v[j] >= top - LEXICON_PRUNE, else 0 (LEXICON_PRUNE = 29 ln 2):
 * exp(x) as 2^t, t = x log2(e), split into its integer part (2^t's exponent bits) and its
 * fraction (a degree-6 polynomial, Cephes' exp2f: relative error under 2e-7). Integer masks,
 * not float comparisons (which would keep the loop from vectorising), and no fused
 * multiply-add: elementwise, the same bits in every copy. */
SC_CLONES static void exp_below(float *restrict v, float top, int count)
{
    for (int j = 0; j < count; j++) {
        float t = (v[j] - top) * 1.44269504f + 32.0f; /* 32 + log2 of the share */
        int32_t k = (int32_t)t;                       /* its integer part where t >= 0 */
        float f = t - (float)k;
        float p = 1.54035304e-4f;
        p = p * f + 1.33335581e-3f;
        p = p * f + 9.61812910e-3f;
        p = p * f + 5.55041087e-2f;
        p = p * f + 2.40226507e-1f;
        p = p * f + 6.93147182e-1f;
        p = p * f + 1.0f;
        int32_t kept = -(int32_t)(k >= 3); /* all ones from 2^-29 of the best on */
        int32_t bits = (((k < 3 ? 3 : k) - 32 + 127) << 23) & kept; /* 2^(k - 32), or +0 */
        float scale;
        memcpy(&scale, &bits, sizeof scale);
        v[j] = p * scale;
    }
}

/* The sum of v[0..count-1] in double, in 16 lanes (then lane by lane, then the rest): the
 * order spelled out, the same bits in every copy. */
SC_CLONES static double sum_of(const float *restrict v, int count)
{
    double lane[16] = {0};
    int j = 0;
    for (; j + 16 <= count; j += 16)
        for (int l = 0; l < 16; l++)
            lane[l] += (double)v[j + l];
    double s = 0.0;
    for (int l = 0; l < 16; l++)
        s += lane[l];
    for (; j < count; j++)
        s += (double)v[j];
    return s;
}

int32_t lexicon_decode(const Lexicon *lex, int n, const float *const *rows, float *best_s,
                       double *logsum)
{
    *best_s = -INFINITY;
    *logsum = -INFINITY;
    if (n < LEXICON_LEN_MIN || n > LEXICON_LEN_MAX || !lex->by_len[n].count)
        return -1;
    const Bucket *b = &lex->by_len[n];
    /* every word's score, a letter at a time over all words (a vectorised loop) */
    float *sc = lex->score;
    const int count = b->count;
    for (int j = 0; j < count; j++)
        sc[j] = j < b->plain ? 0.0f : LEXICON_CAPITAL_LOGP;
    for (int i = 0; i < n; i++)
        add_letter(sc, rows[i], b->sym + (size_t)i * (size_t)count, count);
    /* the best (the first of equals), then the sum of exp(S - best) over the words within
     * LEXICON_PRUNE of it */
    const float best = max_of(sc, count);
    int32_t best_j = 0;
    while (best_j < count && !(sc[best_j] == best))
        best_j++;
    if (best_j == count) /* no finite score */
        return -1;
    exp_below(sc, best, count);
    double sum = sum_of(sc, count);
    if (best_j < 0)
        return -1;
    *best_s = best;
    *logsum = (double)best + log(sum);
    return (best_j << LEN_BITS) | n;
}
