/* retina_text.h: what a glimpse shows of a line of text, found from the retina's own values
 * (retina_value_at: each sample blurred by its eccentricity), never from a page layout.
 *
 * A fixed, hard-wired stage (constants only, the same rule at every position, like V1: on the
 * untied side of the line): it finds the line of text nearest a point, its baseline and its
 * x-height (the size of the text, from the glimpse), the letters along it (the connected
 * pieces of ink over the line's band, a dot joined to the letter below it) and the gaps
 * between words, and cuts a letter's patch for a reader, scaled so that the line's x-height is
 * RETINA_TEXT_XHEIGHT px whatever the font size.
 *
 * Ink is bright on a darker ground (the text scenes' polarity): a sample's ink is
 * (v - RETINA_TEXT_INK_LO) / (RETINA_TEXT_INK_HI - RETINA_TEXT_INK_LO), clamped to 0..1.
 *
 * The segmentation is a hypothesis, not a fact: letters that touch come out as one segment,
 * and where the periphery's blur fills the gaps, several; the readers learn from the same
 * segments (data/dataset.h, "text+K") and say "nothing" for a segment that is not one letter.
 */
#ifndef SACCADE_RETINA_TEXT_H
#define SACCADE_RETINA_TEXT_H

#include "retina/retina.h"

#define RETINA_TEXT_INK_LO 0.3f
#define RETINA_TEXT_INK_HI 0.7f
/* A reader's patch (28x28, data/textline.h's placement) puts the line's x-height at this many
 * px: about a lowercase x at the glyph model's reading size TEXTLINE_PX. */
#define RETINA_TEXT_XHEIGHT 11.0f
#define RETINA_TEXT_SIDE 28
/* A gap between two letters at least this many x-heights wide separates words (chosen on the
 * training faces, docs/reading.md). */
#define RETINA_TEXT_WORD_GAP 0.5f
#define RETINA_TEXT_MAX_LETTERS 256

typedef struct RetinaTextLine {
    float baseline; /* world row under the x-height band */
    float xheight;  /* px */
    float top;      /* world row of the band's first inked row (ascenders) */
    float bottom;   /* world row after its last inked row (descenders) */
} RetinaTextLine;

#define RETINA_TEXT_HALF_MAX 500.0f /* the widest half_width retina_text_line takes */

/* The line of text whose ink band holds world row y, or else the nearest one within `reach`
 * px above or below, judged from the samples within half_width px of x (1..HALF_MAX, every
 * 2 px). 1 and *out, or 0 when the glimpse shows no line there (no inked row, or a band too
 * thin or too thick for text of 8..80 px). Reads only the rows the bands near y cover. */
int retina_text_line(const Retina *r, float x, float y, float half_width, float reach,
                     RetinaTextLine *out);

typedef struct RetinaTextLetter {
    float x0, x1;   /* its strong ink's columns, world px (half-open): the letter's span */
    float fx0, fx1; /* ... and its faint ink's too (the gaps between words are measured
                     * between these: at 16 px a serif face's a keeps its stem's strong ink
                     * alone, and its hairline bowl is faint) */
} RetinaTextLetter;

/* The letters of line L between world columns x_from and x_to: the 4-connected components of
 * the ink over the line's band (from 1.9 x-heights above the baseline to 0.6 below; sampled
 * every px, every 2 px above an x-height of 24), each holding a sample of ink 0.5 and grown
 * through samples of ink 0.2 (thin strokes); a piece at least half within a larger one's
 * columns (a dot, a bowl apart from its stem) joins it. Their column spans, in order of left edges;
 * one cut by x_from or x_to is left out. Returns the count (at most max). */
typedef struct RetinaTextWork RetinaTextWork;
int retina_text_letters(const Retina *r, const RetinaTextLine *L, float x_from, float x_to,
                        RetinaTextWork *work, RetinaTextLetter *out, int max);
/* The scratch retina_text_letters works in (its sample grid and components, about 0.8 MB,
 * made once by its owner, never per call). NULL + error. */
RetinaTextWork *retina_text_work_create(void);
void retina_text_work_destroy(RetinaTextWork **w);

/* The ways to split a segment that the reader found to be no one letter (two that touch), from
 * one reading of its columns: at each column of its middle three fifths whose ink, summed down
 * the line's band, is no more than its neighbours' (a run of equal columns counts once, at its
 * left), in order of ink (the least first; ties to the left), the i-th way's parts in a[i] and
 * b[i] (their faint spans end at the cut). Returns how many (at most max; they end at the first
 * column that would leave a part empty), 0 when the segment is narrower than
 * RETINA_TEXT_SPLIT_MIN x-heights. */
#define RETINA_TEXT_SPLIT_MIN 0.7f
int retina_text_split(const Retina *r, const RetinaTextLine *L, const RetinaTextLetter *seg,
                      RetinaTextLetter *a, RetinaTextLetter *b, int max);

/* Where the word whose ink reaches world column x on line L ends, as far as the glimpse
 * shows it: the first column right of x that starts gap px (at least 1) without ink over the
 * line's x-height band (each column's ink summed over the band's rows under 3% of a full
 * stroke down the band), or x_max when none does first. A blurred periphery still shows
 * where a word ends when its letters no longer part (the spaces between words are wider than
 * those within them): how far the next word reaches, for the saccade to its middle. */
float retina_text_word_end(const Retina *r, const RetinaTextLine *L, float x, float gap,
                           float x_max);
/* Where the line L that holds world column x starts, as far as the glimpse shows it: leftward
 * from x, the left edge of the ink before the first gap px without ink (as for
 * retina_text_word_end), or x_min when none comes first. With a gap wider than any word space
 * (the line's end, five x-heights), the far, blurred periphery still shows where a line of
 * words begins: where the eye goes to start reading it. */
float retina_text_line_start(const Retina *r, const RetinaTextLine *L, float x, float gap,
                             float x_min);

/* The reader's 28x28 patch of a letter centred at world column cx on line L: column 14 on cx,
 * row TEXTLINE_BASE_ROW (19) on the baseline, scaled by RETINA_TEXT_XHEIGHT / L->xheight (each
 * patch sample the mean of the retina's values over its footprint when that is coarser than a
 * world px). */
void retina_text_patch(const Retina *r, const RetinaTextLine *L, float cx, float *patch);

#endif
