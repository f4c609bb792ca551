/* letter_widths.h: how wide each letter's segment is, in x-heights, on the training faces
 * (src/sim/letter_widths.c, written by tools/letter_widths.c). The reading eye of natural
 * text (sim_text.c) judges from it whether a read fits its segment: a segment read as s but
 * two and a half x-heights wide holds more than one letter; one read as v but a tenth of an
 * x-height wide is a piece of one. Knowledge of the script, like the vocabulary: applied to
 * reads (a class and a width), never to pixels, and no weight learned by descent. */
#ifndef SACCADE_SIM_LETTER_WIDTHS_H
#define SACCADE_SIM_LETTER_WIDTHS_H

#include "data/textline.h"

#define SIM_LETTER_WIDTHS TEXTLINE_CHARS /* A-Z, a-z, 0-9 */
/* A read fits its segment when the segment's width is within its letter's 1st and 99th
 * percentiles widened by these factors (chosen on the validation families, 2026-12-07: 0.8 and
 * 1.25 read 973.8 points summed over the twelve rows of `eval reading --split val --text
 * 16,22,36`, 0.9 and 1.1 971.7, 1 and 1 970.1, against 963.5 without the rule). */
#define SIM_LETTER_WIDTH_LO 0.8f
#define SIM_LETTER_WIDTH_HI 1.25f

typedef struct SimLetterWidth {
    char letter;
    float lo, hi; /* the 1st and 99th percentiles, x-heights (0, 0: never seen alone) */
} SimLetterWidth;

extern const SimLetterWidth sim_letter_widths[SIM_LETTER_WIDTHS];

#endif
