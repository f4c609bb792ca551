/* fuzz_lexicon: libFuzzer harness for the reading eye's vocabulary reader (lexicon_parse, the
 * parser behind lexicon_load). Built by meson when clang is found (`ninja -C BUILD fuzz`); its
 * corpus and crash reproducers are replayed by `meson test`. The parse fails with a one-line
 * message naming the input, or gives a vocabulary whose every length decodes: all-unknown rows
 * give a word of that length (or none), a finite score and a sum at least the best score, and a
 * word read letter for letter (rows that favour it) decodes to a word with the same letters.
 * Anything else aborts. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "sim/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Lexicon *lex = lexicon_parse("fuzz-input", (const char *)data, size);
    if (!lex) {
        const char *e = sc_last_error();
        if (!strstr(e, "fuzz-input") || strchr(e, '\n'))
            abort();
        return 0;
    }
    if (lexicon_count(lex) < 1)
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
    }
    lexicon_destroy(&lex);
    return 0;
}
