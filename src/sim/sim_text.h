/* sim_text.h: the reading eye on natural text (the `words` scene), where the page's layout is
 * not given: lines, their size, letters and word gaps are found from each glimpse
 * (retina/retina_text.h). Private to the sim module: sim_reading.c dispatches to it when its
 * scene has no fixed-pitch layout, and sim_reading.h's API (cells, words, state) holds for both.
 *
 * The eye, fixation by fixation, on the first glimpse after saccadic suppression:
 *   - orienting: until it is on the first line, it finds the line nearest the gaze and goes up
 *     to the line above, or left to the line's start, while the glimpse shows one (a reader
 *     looking for where a text begins); a glimpse without a line leaves the eye to saliency;
 *   - reading: the line is found again near the gaze (baseline and x-height from this glimpse),
 *     its letters segmented from RETINA_TEXT_BEHIND x-heights left of the gaze to
 *     RETINA_TEXT_AHEAD right, and merged into the line's record in world coordinates (a
 *     letter segmented nearer the centre of gaze than now is kept); the foveal reader reads the
 *     letter under the gaze, each extra reader the letter its offset away along the line; a
 *     segment a reader reads as "nothing", or as a letter its width does not fit
 *     (sim_text_width_fit), is tried split, joined with its neighbours, or recut with one (the
 *     cut between them moved), and kept so where that reader reads the parts surely (a
 *     fixation's budget of such reads, the fovea's first);
 *   - words: the vocabulary (sim/lexicon.h; the reader bank's, sim_text_set_lexicon) reads
 *     each word the readers just read from its letters' reads, segmentation errors allowed
 *     for (two letters that touch, one in two pieces), and keeps its read and posterior on
 *     the word's letters;
 *   - the next saccade goes to the first word the vocabulary has not read surely (posterior
 *     0.99): on the first look to the middle of its ink from its first letter not yet read
 *     surely (letters the look before read across the gap are not aimed at again), then the
 *     fovea to its least sure letter not read, until every letter has a read and the word
 *     has had three looks (SimReadingMoves: tuning);
 *     without a vocabulary, it puts the first letter not yet read surely under the fovea (or
 *     under the reader --place letters left of it); once every letter is read and the glimpse
 *     shows the line's end (RETINA_TEXT_END x-heights without ink after its last letter), a
 *     return sweep to the margin, a line lower, where the next fixation looks for the next
 *     line; none within reach ends the reading.
 * Words are runs of letters whose gaps are at least the line's own word gap; a word read (every
 * letter has a read, or the eye has looked at it) is given as the vocabulary's word whenever
 * that is its likeliest reading (likelier than the letters as read, outside the vocabulary),
 * else as its letters.
 */
#ifndef SACCADE_SIM_TEXT_H
#define SACCADE_SIM_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "eye/eye.h"
#include "retina/retina.h"
#include "scene/scene.h"
#include "sim/lexicon.h"
#include "sim/sim_reading.h"

#define SIM_TEXT_LINES 48 /* lines a page may have */
/* letters a line may have: a 1280 px line of 16 px text in a narrow face holds more than 160
 * (160 until 2026-12-07: the eye, its line full, looked again and again at its last letters);
 * a line that fills is taken to end there */
#define SIM_TEXT_LETTERS 256

typedef struct SimText SimText;

/* readers as for sim_reading_create (checked there); the confidences, place and moves are read
 * from sure/place/moves (owned by the caller, who may change them). NULL + error. */
SimText *sim_text_create(const SimReader *readers, int n, const float *sure, const int *place,
                         const SimReadingMoves *moves);
void sim_text_destroy(SimText **t);
/* The vocabulary words are read with (lexicon.h; owned by the caller, outliving t), or NULL:
 * letter by letter. */
void sim_text_set_lexicon(SimText *t, const Lexicon *lex);
int sim_text_fixation(SimText *t, const Retina *r, Eye *e, int plan, float *conf, float *probs);
int sim_text_done(const SimText *t);
/* 1 while no line has been found (orienting). */
int sim_text_orienting(const SimText *t);
void sim_text_reset(SimText *t);
size_t sim_text_state_size(const SimText *t);
void sim_text_state_save(const SimText *t, void *buf);
int sim_text_state_check(const SimText *t, const void *buf, size_t n);
void sim_text_state_load(SimText *t, const void *buf);
uint64_t sim_text_state_hash(const SimText *t);
int sim_text_word_at(const SimText *t, int line, int cell, SimWordRead *out);
int sim_text_object_cell(const SimText *t, const SceneObject *o, int *line, int *cell);
int sim_text_cells_read(const SimText *t);
int sim_text_cell_read(const SimText *t, int line, int cell, int *label, int *dist);
float sim_text_letter_offset(const SimText *t, float x, float y);
/* The I/l rule of sim_reading_word_at on n letters of text (sim_reading.c). */
void sim_reading_case_rule(char *text, int n);
/* The letter a reader's class names ('?' for none, "nothing" or a longer name). */
char sim_reading_letter(const SimReader *reader, int label);

/* Whether a read of class label fits a segment width x-heights wide: -1 when the segment is
 * too narrow for that letter (a piece of one), 1 when too wide (letters that touch), 0 when it
 * fits or the class is no letter (letter_widths.h). The fovea's read that does not fit its
 * segment is tried split or joined as when it reads "nothing", and the vocabulary may take
 * such a segment for a segmentation error. */
int sim_text_width_fit(const SimText *t, int label, float width);

/* Lines found so far, and line l's baseline (world row) and x-height: for eval. 0 or -1. */
int sim_text_line_count(const SimText *t);
int sim_text_line_geometry(const SimText *t, int line, float *baseline, float *xheight);
/* Line l's letters' strong spans (world columns, half-open), in order, at most max: their
 * count, or -1 for no such line. */
int sim_text_line_letters(const SimText *t, int line, float *x0, float *x1, int max);

/* The step of a fixation that merges a glimpse's segments (retina_text_letters, gaze at
 * column gx) into line l: a stretch of the line keeps the segmentation of the nearest look at
 * it. l may be the next new line, at this baseline and x-height (else they are ignored).
 * Returns the line's letter count, or -1 when l is no line and no new one can be. */
struct RetinaTextLetter;
int sim_text_merge_glimpse(SimText *t, int line, float baseline, float xheight,
                           const struct RetinaTextLetter *seg, int ns, float gx);
/* The step of a fixation that takes a glimpse's judgement of line l's baseline and x-height
 * (retina_text_line): a size a quarter off the line's is taken only when three glimpses in a
 * row judge it alike. 0, or -1 for no such line. */
int sim_text_judge_line(SimText *t, int line, float baseline, float xheight);
/* The steps of a fixation that give letter i of line l a reader's read (probs over the
 * readers' classes, label its class, dist the reader's distance from the gaze in letters) and
 * that read the word of letters a..b-1 of line l with the vocabulary (sim_text_word_at then
 * gives it). 0, or -1 for no such line, letter, class or word, no probs, or no vocabulary. */
int sim_text_set_read(SimText *t, int line, int i, const float *probs, int label, int dist);
int sim_text_read_word(SimText *t, int line, int a, int b);
/* The step of a fixation in which reader `reader` (its index) reads letter i of line l from the
 * glimpse r, and mends the line's segments where it reads "nothing" or a read that does not
 * fit its segment's width (split, join, recut; a fixation's budget of reads). Returns the
 * line's letter count after, or -1 for no such line, letter or reader. */
int sim_text_read_letter(SimText *t, const Retina *r, int line, int i, int reader);

#endif
