/* sim_reading.h: reading mode, a bank of dense readers for letters at fixed offsets from the
 * gaze, and the reading eye's strategy. Part of the sim module; used by `run`, `live`, the
 * replay and `eval reading` alike through the Sim (sim_set_readers).
 *
 * A text scene (scene_text_lines: where the lines are and the letter pitch, not what they say)
 * is read line by line. At each fixation, on the first glimpse after saccadic suppression:
 *   - cells of the line that the glimpse shows empty (no contrast where a letter would be,
 *     from retina_value_at: the periphery's word-length information, free since it is already
 *     sampled) are spaces;
 *   - each enabled reader reads the cell at its offset from the cell under the gaze: its input
 *     is the 28x28 retinal patch at that cell (retina_value_at: blurred by the eccentricity
 *     there), placed as in data/textline.h. Reader 0 is the foveal reader (the glyph model);
 *     readers +-1, +-2 ... are independent dense networks, each with its own weights;
 *   - a cell keeps the read of the nearest reader that read it (ties: the more confident);
 *   - the next saccade is planned (eye_plan_saccade) so that the leftmost reader lands on the
 *     first letter not yet read surely (foveal read, or another reader's read with confidence
 *     >= SIM_READING_SURE); past the end of a line, a return sweep to the next line.
 * Fixations keep the eye's own durations (gamma, mean 250 ms); saccades are the eye's
 * (main sequence, landing error, corrective saccades). Words are assembled from the reads:
 * a word is a run of cells seen as not empty.
 *
 * The reading state (one record per cell, the current line) is simulation state: hashed, in
 * keyframes, validated when loaded.
 */
#ifndef SACCADE_SIM_READING_H
#define SACCADE_SIM_READING_H

#include <stddef.h>
#include <stdint.h>

#include "eye/eye.h"
#include "retina/retina.h"
#include "scene/scene.h"

#define SIM_READERS_MAX 8      /* extra readers: offsets -4..-1 and +1..+4 */
#define SIM_TEXT_READERS_MAX 8 /* natural text (`words`) ships readers of offsets -4..+4 */
/* An extra reader's read counts as read at this confidence. Chosen on the validation families
 * (eval reading --split val, 4 readers, 120 words each): 0.9 / 0.6 / 0.3 gave P052 100% of
 * words at 2.08 / 1.68 / 1.68 fixations per word and URW Gothic 13.3 / 17.5 / 15.0%. */
#define SIM_READING_SURE 0.6f
/* The readers 4 cells out, where the retina's blur costs letters, need more (docs/reading.md:
 * 0.6 / 0.8 / 0.9 / 0.97 there gave the validation families 57.7 / 60.2 / 60.8 / 60.0% of
 * words with 8 readers, 1.97 / 2.12 / 2.17 / 2.25 fixations per word). */
#define SIM_READING_SURE_FAR 0.9f

/* One reader: a classifier of the 28x28 patch at `offset` letter cells from the gaze's cell.
 * Every reader of a bank has the same classes (n_classes, names, nothing_class). predict writes
 * n_classes probabilities and returns 0; it must not allocate. */
typedef struct SimReader {
    void *ctx;
    int offset;
    int n_classes;
    const char *const *class_names;
    int nothing_class;
    int (*predict)(void *ctx, const float *patch, float *probs);
} SimReader;

/* Offsets of the n extra readers, in the order they are enabled: +1, -1, +2, -2, ... (n = 2:
 * +-1; n = 8: +-1..+-4; odd n has one more on the right, the reading direction). */
int sim_reader_offset(int i);

typedef struct SimReading SimReading;

/* The confidence a read needs at each reader distance (|offset| 1..SIM_READERS_MAX / 2): the
 * default (what run, live and replay use), and a change for tuning (`eval reading --sure`,
 * through sim_set_reading_sure in sim.h; never recorded: a run with other values would not
 * replay). 0, or -1 + error. */
float sim_reading_sure_default(int dist);
int sim_reading_set_sure(SimReading *rd, const float *by_dist, int n);
/* Where the next saccade puts the first letter not yet read surely: under the reader that many
 * letters left of the gaze (at most the leftmost reader's distance; 0 the fovea). The default
 * (SIM_READING_PLACE_LEFTMOST) is the leftmost reader on words-grid pages and the fovea on
 * natural ones (`words`); a change is for tuning (`eval reading --place`, through
 * sim_set_reading_place; never recorded). 0, or -1 + error. */
#define SIM_READING_PLACE_LEFTMOST (-1)
int sim_reading_set_place(SimReading *rd, int dist);
/* How the eye moves on through natural text read with its vocabulary: the default (what run,
 * live and replay use), and a change for tuning (`eval reading --looks`, `--preview`, through
 * sim_set_reading_moves; never recorded). word_looks: the looks at a word, every letter read,
 * before the eye moves on though the vocabulary is unsure (1..SIM_READING_WORD_LOOKS_MAX).
 * preview: 1 (the default, SIM_READING_PREVIEW) aims a word's first look from its first
 * letter not yet read surely (letters the look before read across the gap between words), 0
 * from its first letter. 0, or -1 + error. */
#define SIM_READING_WORD_LOOKS 3
#define SIM_READING_PREVIEW 1
#define SIM_READING_WORD_LOOKS_MAX 8
typedef struct SimReadingMoves {
    int word_looks;
    int preview;
} SimReadingMoves;
int sim_reading_set_moves(SimReading *rd, const SimReadingMoves *m);
/* The vocabulary natural text's words are read with (sim/lexicon.h; owned by the caller, e.g.
 * the reader bank, outliving rd), or NULL: letter by letter (`eval reading --lexicon off`).
 * The bank's vocabulary is part of the reading model's hash; reading without it is tuning only
 * (never recorded). Fixed-pitch pages read letter by letter either way. */
struct Lexicon;
void sim_reading_set_lexicon(SimReading *rd, const struct Lexicon *lex);

/* A reading bank for a scene's lines (readers[0] must have offset 0: the foveal reader; at
 * most 1 + SIM_READERS_MAX). NULL + error when the scene has no text lines or the readers do
 * not share classes. */
SimReading *sim_reading_create(const Scene *scene, const SimReader *readers, int n);
/* What the bank owns (the readers' weights): release(owner) is called when it is destroyed. */
void sim_reading_set_owner(SimReading *rd, void (*release)(void *), void *owner);
void sim_reading_destroy(SimReading **rd);
int sim_reading_reader_count(const SimReading *rd); /* including the foveal one */

/* The reading step of one fixation (see above); returns the foveal read's class of the cell
 * under the gaze, or -1 (not on a line), with its probability in *conf and all n_classes of
 * them in probs (written only when it returns a class). plan = 0: read but do not plan
 * (manual mode). */
int sim_reading_fixation(SimReading *rd, const Retina *r, Eye *e, int plan, float *conf,
                         float *probs);
/* 1 while the reading eye lets saliency choose its saccades: on natural text, until a
 * glimpse shows a line (sim_text.h); never on a fixed-pitch page. */
int sim_reading_free_viewing(const SimReading *rd);
/* 1 when every line has been read (the eye stays). */
int sim_reading_done(const SimReading *rd);

/* Dynamic state: reset (a new run), size, save, checked load, hash. */
void sim_reading_reset(SimReading *rd);
size_t sim_reading_state_size(const SimReading *rd);
void sim_reading_state_save(const SimReading *rd, void *buf);
/* Checks every field (labels in range, confidences in 0..1, flags) before changing anything;
 * 0, or -1 with sc_last_error(). */
int sim_reading_state_load(SimReading *rd, const void *buf, size_t n);
/* The checks of sim_reading_state_load alone (nothing changes): 0 or -1 + error. */
int sim_reading_state_check(const SimReading *rd, const void *buf, size_t n);
uint64_t sim_reading_state_hash(const SimReading *rd);

/* A word as read: a run of cells seen as not empty on a line, and the letters read there
 * ('?' for a cell not read, or read as "nothing"). In text, I and l after another letter take
 * its case (one glyph in many sans fonts: the case of the letters around tells them apart), a
 * rule added after the held-out errors were seen; raw is the same reads without it (what
 * `eval reading` reports beside it). */
#define SIM_WORD_MAX 32
typedef struct SimWordRead {
    int line, first_cell, cells;
    char text[SIM_WORD_MAX + 1];
    char raw[SIM_WORD_MAX + 1];
} SimWordRead;
/* The word read that starts at cell `cell` of line `line` (0 and text "" when that cell does
 * not start a run of non-empty cells, or was never seen). */
int sim_reading_word_at(const SimReading *rd, int line, int cell, SimWordRead *out);
/* Which line and cell a ground-truth word object starts at (its ink box on the layout): 0 and
 * -1s when it lies on no line. */
int sim_reading_object_cell(const SimReading *rd, const SceneObject *o, int *line, int *cell);
/* The word read where ground-truth word object o starts (sim_reading_object_cell, then
 * sim_reading_word_at): 1, or 0 and out zeroed (text "") when none is. */
int sim_reading_object_word(const SimReading *rd, const SceneObject *o, SimWordRead *out);
/* Inked cells with a read so far, and cells judged surely read (counts for eval). */
int sim_reading_cells_read(const SimReading *rd);
/* The read a cell keeps: its class (-1: none) and the distance |offset| of the reader it came
 * from (0 the fovea); 0, or -1 when line or cell is out of range. */
int sim_reading_cell_read(const SimReading *rd, int line, int cell, int *label, int *dist);
/* How far (x, y) lies from the centre of the nearest letter of the nearest line (px): a cell of
 * the layout on words-grid pages, a letter the eye segmented on natural ones, its centre at the
 * middle of the line's x-height band; -1 when no line or letter is known yet. The window's claim
 * strip: the offset at which the fovea reads the letter under the gaze. */
float sim_reading_letter_offset(const SimReading *rd, float x, float y);

#endif
