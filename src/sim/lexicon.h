/* lexicon.h: the reading eye's vocabulary, and reading a word from its letters' reads.
 *
 * A reader of English knows its words: a word whose letters were read only roughly (by the
 * readers off the fovea, at the eccentricity where their reads blur) is still read when one
 * word of the vocabulary fits those reads far better than any other. The vocabulary is a list
 * (assets/words/lexicon.txt: every SCOWL american-english word of 2-9 letters A-Z/a-z, of which
 * the pages' words are one in twenty), a file read as untrusted input.
 *
 * Decoding: each letter i of an n-letter word is a row of log-probabilities over the 52 letter
 * symbols (LEXICON_SYMBOLS: 'A'..'Z' then 'a'..'z'), from the reader that read it (all zero:
 * nothing known of it). A vocabulary word w of n letters scores S(w) = sum_i row_i[w_i];
 * lexicon_decode gives the best and log sum_w exp(S(w)), from which the caller weighs the best
 * word against the others and against a word outside the vocabulary (sim_text.c). Words
 * scoring more than LEXICON_PRUNE below the best are left out of the sum (each would add less
 * than e^-20).
 *
 * No learned weight: a list of words, applied to reads, never at an image position.
 */
#ifndef SACCADE_SIM_LEXICON_H
#define SACCADE_SIM_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#define LEXICON_SYMBOLS 52 /* 'A'..'Z', 'a'..'z' */
#define LEXICON_LEN_MIN 1  /* letters a vocabulary word may have */
#define LEXICON_LEN_MAX 24
#define LEXICON_WORDS_MAX (1 << 20)
#define LEXICON_PRUNE 20.1f /* 29 ln 2 */

typedef struct Lexicon Lexicon;

/* Loads a vocabulary: one word a line, LEXICON_LEN_MIN..LEXICON_LEN_MAX letters A-Z/a-z, at
 * most LEXICON_WORDS_MAX words and 16 MiB. Anything else is an error naming the file and line.
 * It also takes each word that starts with a lowercase letter with that letter capitalized,
 * as a sentence's first word is written (after the file's words, in their order; once, where
 * the file holds it already), at a prior LEXICON_CAPITAL_LOGP below the file's words: about
 * one word in twenty starts a sentence (21 a sentence in the prose of assets/words), fixed
 * from that count, not tuned. NULL + error. */
#define LEXICON_CAPITAL_LOGP (-3.0f)            /* ln(1/20) */
#define LEXICON_FILE "assets/words/lexicon.txt" /* the shipped vocabulary (the data folder's) */
Lexicon *lexicon_load(const char *path);
/* The file's words alone, no capital added (`eval reading --capitals off`, tuning). */
Lexicon *lexicon_load_as_written(const char *path);
/* The same from a buffer (tests; name is the error's file name). */
Lexicon *lexicon_parse(const char *name, const char *data, size_t n);
/* lexicon_load's words from a buffer: its words and their capitals (fuzzing). */
Lexicon *lexicon_parse_capitals(const char *name, const char *data, size_t n);
void lexicon_destroy(Lexicon **lex);
int lexicon_count(const Lexicon *lex);
/* The content's hash (the words, in order): recordings name the vocabulary they read with. */
uint64_t lexicon_hash(const Lexicon *lex);
/* A letter's symbol 0..51, or -1 for any other character. */
int lexicon_symbol(char c);
/* Word id's text (NUL-terminated) and length; NULL for an id out of range. */
const char *lexicon_word(const Lexicon *lex, int32_t id, int *len);
/* (Decoding writes the vocabulary's own score buffer: one decoder at a time per Lexicon; each
 * simulation's reader bank loads its own.)
 * The best word of n letters for rows[0..n-1] (each LEXICON_SYMBOLS log-probabilities): its
 * id (-1: no word of n letters), its score S in *best and log sum_w exp(S(w)) over the words
 * within LEXICON_PRUNE of it in *logsum. */
int32_t lexicon_decode(const Lexicon *lex, int n, const float *const *rows, float *best,
                       double *logsum);

#endif
