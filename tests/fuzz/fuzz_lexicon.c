/* fuzz_lexicon: libFuzzer harness for the reading eye's vocabulary reader (lexicon_parse, the
 * parser behind lexicon_load, and lexicon_parse_capitals, lexicon_load's words and their
 * capitals). Built by meson when clang is found (`ninja -C BUILD fuzz`); its corpus and crash
 * reproducers are replayed by `meson test`. Each parse fails with a one-line message naming the
 * input, or gives a vocabulary whose every length decodes: all-unknown rows give a word of that
 * length (or none), a file's own word, a finite score and a sum at least the best score, and a
 * word read letter for letter (rows that favour it) decodes to a word with the same letters;
 * with capitals, at least as many words, and a lowercase word's capital read letter for letter
 * decodes to that capital at the file's score or LEXICON_CAPITAL_LOGP below it. Anything else
 * aborts. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "sim/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, int capitals, int plain_count);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Lexicon *lex = lexicon_parse("fuzz-input", (const char *)data, size);
    const int plain = lex ? lexicon_count(lex) : 0;
    lexicon_destroy(&lex);
    check(data, size, 0, plain);
    check(data, size, 1, plain);
    return 0;
}

static void check(const uint8_t *data, size_t size, int capitals, int plain_count)
{
    Lexicon *lex = capitals ? lexicon_parse_capitals("fuzz-input", (const char *)data, size)
                            : lexicon_parse("fuzz-input", (const char *)data, size);
    if (!lex) {
        const char *e = sc_last_error();
        /* with capitals, only where the plain parse failed too, or the capitals passed the most
         * words a vocabulary may hold */
        if (!strstr(e, "fuzz-input") || strchr(e, '\n') ||
            (capitals && plain_count > 0 && !strstr(e, "more than")))
            abort();
        return;
    }
    if (lexicon_count(lex) < 1 || lexicon_count(lex) < plain_count || (capitals && !plain_count))
        abort();
    static float rows[LEXICON_LEN_MAX][LEXICON_SYMBOLS];
    const float *ptr[LEXICON_LEN_MAX];
    for (int n = LEXICON_LEN_MIN; n <= LEXICON_LEN_MAX; n++) {
        for (int i = 0; i < n; i++) {
            memset(rows[i], 0, sizeof rows[i]);
            ptr[i] = rows[i];
        }
        float best;
        double sum;
        int len = 0;
        int32_t id = lexicon_decode(lex, n, ptr, &best, &sum);
        if (id < 0)
            continue;
        const char *w = lexicon_word(lex, id, &len);
        if (!w || len != n || (int)strlen(w) != n || !isfinite(best) || !(sum >= best - 1e-3))
            abort();
        /* the word read letter for letter: some word with exactly its letters wins */
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < LEXICON_SYMBOLS; s++)
                rows[i][s] = -7.0f;
            rows[i][lexicon_symbol(w[i])] = 0.0f;
        }
        const char *w2 = lexicon_word(lex, lexicon_decode(lex, n, ptr, &best, &sum), NULL);
        if (!w2 || strcmp(w2, w) || best != 0.0f)
            abort();
        /* its capital, read letter for letter: the capital, at the file's score or below it */
        if (capitals && w[0] >= 'a' && w[0] <= 'z') {
            rows[0][lexicon_symbol(w[0])] = -7.0f;
            rows[0][lexicon_symbol((char)(w[0] - 'a' + 'A'))] = 0.0f;
            const char *w3 = lexicon_word(lex, lexicon_decode(lex, n, ptr, &best, &sum), NULL);
            if (!w3 || w3[0] != w[0] - 'a' + 'A' || strcmp(w3 + 1, w + 1) ||
                (best != 0.0f && best != LEXICON_CAPITAL_LOGP))
                abort();
        }
    }
    lexicon_destroy(&lex);
}
