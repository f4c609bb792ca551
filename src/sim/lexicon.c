/* The reading eye's vocabulary (lexicon.h). */
#include "sim/lexicon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"

#define LEXICON_BYTES_MAX (16u << 20)
#define LEN_BITS 5 /* an id is (index << LEN_BITS) | length */
_Static_assert(LEXICON_LEN_MAX < (1 << LEN_BITS), "a length fits its bits");

/* The words of one length, in file order: their symbols (len a word) and text (len + 1). */
typedef struct Bucket {
    unsigned char *sym;
    char *text;
    int count;
} Bucket;

struct Lexicon {
    Bucket by_len[LEXICON_LEN_MAX + 1];
    int count;
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
    free(*lex);
    *lex = NULL;
}

Lexicon *lexicon_parse(const char *name, const char *data, size_t n)
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
            size_t e = i;
            while (e < n && data[e] != '\n')
                e++;
            size_t len = e - i;
            int ok = len >= LEXICON_LEN_MIN && len <= LEXICON_LEN_MAX;
            for (size_t k = 0; ok && k < len; k++)
                ok = lexicon_symbol(data[i + k]) >= 0;
            if (!ok) {
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
            } else {
                int j = fill[len]++;
                for (size_t k = 0; k < len; k++)
                    b->sym[(size_t)j * len + k] = (unsigned char)lexicon_symbol(data[i + k]);
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
    return lex;
}

Lexicon *lexicon_load(const char *path)
{
    unsigned char *data = NULL;
    size_t n = 0;
    if (file_read_all(path, LEXICON_BYTES_MAX, &data, &n) < 0)
        return NULL;
    Lexicon *lex = lexicon_parse(path, (const char *)data, n);
    free(data);
    return lex;
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

int32_t lexicon_decode(const Lexicon *lex, int n, const float *const *rows, float *best_s,
                       double *logsum)
{
    *best_s = -INFINITY;
    *logsum = -INFINITY;
    if (n < LEXICON_LEN_MIN || n > LEXICON_LEN_MAX || !lex->by_len[n].count)
        return -1;
    const Bucket *b = &lex->by_len[n];
    /* rest[i]: the most letters i.. can still add (a word is dropped once it cannot come
     * within LEXICON_PRUNE of the best) */
    float rest[LEXICON_LEN_MAX + 1];
    rest[n] = 0.0f;
    for (int i = n - 1; i >= 0; i--) {
        float m = rows[i][0];
        for (int s = 1; s < LEXICON_SYMBOLS; s++)
            m = fmaxf(m, rows[i][s]);
        rest[i] = rest[i + 1] + m;
    }
    /* a running sum of exp(S - best) over the words within reach, rescaled as best rises */
    float best = -INFINITY;
    double sum = 0.0;
    int32_t best_j = -1;
    for (int j = 0; j < b->count; j++) {
        const unsigned char *w = b->sym + (size_t)j * (size_t)n;
        float s = 0.0f;
        int i = 0;
        for (; i < n; i++) {
            s += rows[i][w[i]];
            if (s + rest[i + 1] < best - LEXICON_PRUNE)
                break;
        }
        if (i < n)
            continue;
        if (s > best) {
            sum = sum * exp((double)(best - s)) + 1.0;
            best = s;
            best_j = j;
        } else {
            sum += exp((double)(s - best));
        }
    }
    if (best_j < 0)
        return -1;
    *best_s = best;
    *logsum = (double)best + log(sum);
    return (best_j << LEN_BITS) | n;
}
