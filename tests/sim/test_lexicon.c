/* The reading eye's vocabulary (sim/lexicon.h): loading it as untrusted input, and reading a
 * word from its letters' reads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "sim/lexicon.h"
#include "test.h"

#define S LEXICON_SYMBOLS

/* Rows for a word read letter by letter: each letter of `read` with probability p, the rest of
 * the mass shared by the other letters; '.' a letter nothing is known of. */
static void rows_for(const char *read, float p, float rows[][S], const float **ptr)
{
    for (int i = 0; read[i]; i++) {
        for (int s = 0; s < S; s++)
            rows[i][s] = read[i] == '.' ? 0.0f : logf((1.0f - p) / (S - 1));
        if (read[i] != '.')
            rows[i][lexicon_symbol(read[i])] = logf(p);
        ptr[i] = rows[i];
    }
}

static void test_parse(void)
{
    static const char good[] = "cat\ncar\nCat\nbat\ndog\nat\ncart";
    Lexicon *lex = lexicon_parse("good", good, sizeof good - 1);
    CHECKF(lex != NULL, "%s", sc_last_error());
    if (!lex)
        return;
    CHECK(lexicon_count(lex) == 7);
    int len = 0;
    /* ids name words of their length; an id out of range names none */
    float best;
    double sum;
    float rows[8][S];
    const float *ptr[8];
    rows_for("cat", 0.9f, rows, ptr);
    int32_t id = lexicon_decode(lex, 3, ptr, &best, &sum);
    const char *w = lexicon_word(lex, id, &len);
    CHECKF(w && !strcmp(w, "cat") && len == 3, "'cat' read as '%s'", w ? w : "(none)");
    /* the best word's score is its letters' sum; the sum over words is at least its */
    CHECK(fabsf(best - 3.0f * logf(0.9f)) < 1e-4f && sum >= best && sum < best + 0.1);
    CHECK(lexicon_word(lex, -1, NULL) == NULL && lexicon_word(lex, id + (1 << 20), NULL) == NULL);
    CHECK(lexicon_word(lex, 0, NULL) == NULL); /* length 0 */
    /* a letter nothing is known of: "ca." fits cat and car alike, Cat less */
    rows_for("ca.", 0.9f, rows, ptr);
    id = lexicon_decode(lex, 3, ptr, &best, &sum);
    w = lexicon_word(lex, id, NULL);
    CHECK(w && (!strcmp(w, "cat") || !strcmp(w, "car")));
    CHECKF(sum > best + logf(2.0f) - 1e-3f, "two words fit alike: sum %.3f, best %.3f", sum,
           (double)best);
    /* case is read: a capital C gives Cat */
    rows_for("Cat", 0.9f, rows, ptr);
    w = lexicon_word(lex, lexicon_decode(lex, 3, ptr, &best, &sum), NULL);
    CHECK(w && !strcmp(w, "Cat"));
    /* no word of that length */
    rows_for("catsup", 0.9f, rows, ptr);
    CHECK(lexicon_decode(lex, 6, ptr, &best, &sum) == -1 && isinf(best));
    CHECK(lexicon_decode(lex, 0, ptr, &best, &sum) == -1);
    CHECK(lexicon_decode(lex, LEXICON_LEN_MAX + 1, ptr, &best, &sum) == -1);
    /* the hash is the content's */
    Lexicon *again = lexicon_parse("again", good, sizeof good - 1);
    static const char other[] = "cat\ncar\nCat\nbat\ndog\nat\ncarts";
    Lexicon *diff = lexicon_parse("other", other, sizeof other - 1);
    CHECK(again && diff && lexicon_hash(again) == lexicon_hash(lex) &&
          lexicon_hash(diff) != lexicon_hash(lex));
    lexicon_destroy(&again);
    lexicon_destroy(&diff);
    lexicon_destroy(&lex);
    CHECK(lex == NULL);
    lexicon_destroy(&lex); /* twice: nothing */
}

static void test_bad(void)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"", "no words"},
        {"cat\n\ndog\n", ":2:"},
        {"cat\r\ndog\n", ":1:"},
        {"cat\nd0g\n", ":2:"},
        {"caf\xc3\xa9\n", ":1:"},
        {"cat dog\n", ":1:"},
        {"abcdefghijklmnopqrstuvwxy\n", ":1:"}, /* 25 letters */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Lexicon *lex = lexicon_parse("bad.txt", bad[i].text, strlen(bad[i].text));
        CHECKF(lex == NULL && strstr(sc_last_error(), "bad.txt") &&
                   strstr(sc_last_error(), bad[i].want),
               "'%s': %s", bad[i].text, lex ? "loaded" : sc_last_error());
        lexicon_destroy(&lex);
    }
    /* a NUL inside a line */
    Lexicon *lex = lexicon_parse("nul.txt", "ca\0t\n", 5);
    CHECK(lex == NULL && strstr(sc_last_error(), "nul.txt:1"));
    /* a folder, a missing file */
    CHECK(lexicon_load("/tmp") == NULL && strstr(sc_last_error(), "/tmp"));
    CHECK(lexicon_load("/nonexistent/lexicon.txt") == NULL &&
          strstr(sc_last_error(), "/nonexistent/lexicon.txt"));
}

/* The shipped vocabulary: every word of the pages in it, none of them twice in one case. */
static void test_shipped(void)
{
    char path[1024];
    CHECK(paths_data_file(path, sizeof path, "assets/words/lexicon.txt") != NULL);
    Lexicon *lex = lexicon_load(path);
    CHECKF(lex != NULL, "%s", sc_last_error());
    if (!lex)
        return;
    /* 74,536 words in the file (2-24 letters, and a, A, I), and 62,852 capitals of those that
     * start lowercase and are not in it capitalized already */
    CHECKF(lexicon_count(lex) == 137388, "%d words", lexicon_count(lex));
    /* a word read well except one letter unknown: the vocabulary fills it in */
    float rows[9][S];
    const float *ptr[9];
    float best;
    double sum;
    rows_for("obstet.ic", 0.95f, rows, ptr);
    const char *w = lexicon_word(lex, lexicon_decode(lex, 9, ptr, &best, &sum), NULL);
    CHECKF(w && !strcmp(w, "obstetric"), "'obstet.ic' read as '%s'", w ? w : "(none)");
    CHECK(sum - best < 0.01); /* and no other word comes near */
    /* a sentence's first word: "The" read well is The */
    rows_for("The", 0.95f, rows, ptr);
    w = lexicon_word(lex, lexicon_decode(lex, 3, ptr, &best, &sum), NULL);
    CHECKF(w && !strcmp(w, "The"), "'The' read as '%s'", w ? w : "(none)");
    lexicon_destroy(&lex);
}

/* lexicon_load's capitals: each word that starts lowercase also capitalized (once: Bill is in
 * the file), at the lower prior, so that a first letter read as either case gives the file's
 * word; lexicon_parse adds none. */
static void test_capitals(void)
{
    static const char words[] = "cave\nthe\nBill\nbill\nI\na\n";
    const char *path = "/tmp/saccade-test-lexicon-capitals.txt";
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(words, 1, sizeof words - 1, f) == sizeof words - 1 && fclose(f) == 0);
    Lexicon *lex = lexicon_load(path);
    remove(path);
    CHECKF(lex != NULL, "%s", sc_last_error());
    if (!lex)
        return;
    CHECKF(lexicon_count(lex) == 9, "%d words", lexicon_count(lex)); /* + Cave, The, A */
    float rows[4][S], best, best2;
    const float *ptr[4];
    double sum;
    static const char *const cases[][2] = {{"Cave", "Cave"}, {"The", "The"},   {"A", "A"},
                                           {"a", "a"},       {"bill", "bill"}, {"Bill", "Bill"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        rows_for(cases[k][0], 0.9f, rows, ptr);
        const char *w = lexicon_word(
            lex, lexicon_decode(lex, (int)strlen(cases[k][0]), ptr, &best, &sum), NULL);
        CHECKF(w && !strcmp(w, cases[k][1]), "'%s' read as '%s'", cases[k][0], w ? w : "(none)");
    }
    /* the first letter's case unknown (c and C alike): the file's word, by the prior */
    rows_for(".ave", 0.9f, rows, ptr);
    for (int s = 0; s < S; s++)
        rows[0][s] = logf(0.01f / (S - 2));
    rows[0][lexicon_symbol('c')] = rows[0][lexicon_symbol('C')] = logf(0.495f);
    const char *w = lexicon_word(lex, lexicon_decode(lex, 4, ptr, &best, &sum), NULL);
    CHECKF(w && !strcmp(w, "cave"), "c/C + 'ave' read as '%s'", w ? w : "(none)");
    /* and the capital's score is the file word's plus LEXICON_CAPITAL_LOGP */
    rows_for("Cave", 0.9f, rows, ptr);
    lexicon_decode(lex, 4, ptr, &best2, &sum);
    rows_for("cave", 0.9f, rows, ptr);
    lexicon_decode(lex, 4, ptr, &best, &sum);
    CHECKF(fabsf(best2 - (best + LEXICON_CAPITAL_LOGP)) < 1e-4f, "Cave %.4f, cave %.4f", best2,
           best);
    lexicon_destroy(&lex);
    /* parsed, the same words are taken as they are */
    lex = lexicon_parse("words", words, sizeof words - 1);
    CHECK(lex && lexicon_count(lex) == 6);
    lexicon_destroy(&lex);
}

int main(void)
{
    test_parse();
    test_capitals();
    test_bad();
    test_shipped();
    return TEST_DONE();
}
