/* dataset.h: the labelled patches the classifier is trained and tested on (MNIST digits,
 * glyphs rendered from fonts). Datasets are their own module: the classifier and the
 * trainer read them, and nothing here knows about scenes, the sim or the classifier.
 *
 * Every example is a DATASET_SIDE^2 patch (0..1, ink bright, background 0) with its centre of
 * mass on sample (14, 14), the gaze sample of the fovea, like MNIST. The last class is
 * "nothing" and has no stored examples (the trainer draws them).
 *
 * Splits (fixed by index, never by random numbers):
 *   mnist:  train = the official 60,000 training digits, of which the last DATASET_MNIST_VAL_N
 *           (55,000..59,999) are the validation split; test = the official 10,000 test digits.
 *   glyphs: train = the training font families, the last block of them the validation
 *           families; test = held-out families that share no cut, width or weight with any
 *           training or validation font (see glyphs.c).
 * `train --holdout` leaves the validation split out of training; tuning reads only it.
 */
#ifndef SACCADE_DATA_DATASET_H
#define SACCADE_DATA_DATASET_H

#include <stdint.h>

#include "data/textline.h"

#define DATASET_SIDE 28
#define DATASET_PATCH_N (DATASET_SIDE * DATASET_SIDE)
#define DATASET_MAX_CLASSES 64
#define DATASET_NAME_MAX 24
/* MNIST validation digits: the last 5,000 of the official training set. */
#define DATASET_MNIST_VAL_N 5000

/* The glyph font split by whole families (glyphs.c; the Debian packages are listed there):
 * validation families (their regular and bold cuts; `train --holdout` leaves them out, tuning
 * reads only them) and held-out test families (regular, bold, italic, bold italic), sharing no
 * cut, width or weight with any training font. Defined once: the glyph and reader datasets
 * and `eval reading` (its pages are set in these families) all read these arrays. */
#define DATASET_GLYPH_VAL_FAMILIES 2
#define DATASET_GLYPH_TEST_FAMILIES 3
extern const char *const dataset_glyph_val_families[DATASET_GLYPH_VAL_FAMILIES];
extern const char *const dataset_glyph_test_families[DATASET_GLYPH_TEST_FAMILIES];
/* The families `eval reading` sets its test pages in (regular cut): the glyph test families,
 * then five more that no model here trained on, four of them humanist sans faces (Open Sans,
 * Cantarell, Lato, Linux Biolinum) and a serif (Linux Libertine); Debian packages
 * fonts-open-sans, fonts-cantarell, fonts-lato, fonts-linuxlibertine. Each is its own design,
 * none derived from a training or validation family (URW's, DejaVu's). */
#define DATASET_READING_TEST_FAMILIES 8
extern const char *const dataset_reading_test_families[DATASET_READING_TEST_FAMILIES];
/* The families `eval reading --text --split val` sets its pages in (regular cut): the glyph
 * validation families, then Inconsolata (Debian's fonts-inconsolata), a monospace face of its
 * own design that no model trained on, so that large monospace text, where the test table's
 * Liberation Mono falls, is tuned for on a face of its own kind without reading the test's. */
#define DATASET_READING_VAL_FAMILIES 3
extern const char *const dataset_reading_val_families[DATASET_READING_VAL_FAMILIES];
/* 0 when every reading test and validation family resolves (fontconfig, no substitute) to a file of
 * its own that is no training or validation font's file; -1 with a one-line error naming it. */
int dataset_reading_families_check(void);

/* The natural-text readers' training faces (text0, text+-K: the glyph models' and more,
 * glyphs.c): how many. */
int dataset_text_train_faces(void);
/* The widths, in the eye's x-heights (retina_text_line's judgement), of the segments
 * retina_text_letters makes that hold one letter alone, with the gaze on that letter: random
 * lines of the natural-text readers' training faces only (natural spacing, 16..36 px, as the
 * text0 reader's examples are made, on lines of their own), copies lines per glyph per face.
 * Per class of textline_class, the 1st and 99th percentiles in lo and hi (0 and 0 for a class
 * never seen alone). 0, or -1 with the error set (a font missing). Seconds: it renders and
 * segments 62 x dataset_text_train_faces() x copies lines. */
int dataset_text_letter_widths(int copies, float lo[TEXTLINE_CHARS], float hi[TEXTLINE_CHARS]);

typedef struct Dataset {
    char name[DATASET_NAME_MAX]; /* "mnist", "glyphs", ... */
    int n_classes;               /* including "nothing" */
    char class_names[DATASET_MAX_CLASSES][DATASET_NAME_MAX];
    int nothing_class;
    int n_train, n_test;
    int n_val; /* the last n_val training examples are the validation split; 0: none */
    float *train_x, *test_x; /* n x DATASET_PATCH_N */
    uint8_t *train_y, *test_y;
    /* test examples grouped (glyphs: one group per held-out family; MNIST: one group) */
    int n_groups;
    int group_first[8], group_count[8];
    char group_name[8][48];
    char train_desc[512], test_desc[256], val_desc[256]; /* provenance: split or font list */
} Dataset;

/* "mnist", "glyphs", "glyphs-box" (the same glyphs scaled to a 20 px box as MNIST is: for
 * measuring what that loses) or "reader<offset>" ("reader+1", "reader-3": the glyphs `offset`
 * letter cells from the gaze on lines of random letters in the glyph set's fonts, each example the
 * 28x28 patch at its cell as the retina delivers it with the gaze anywhere in the gaze's cell:
 * blurred by its eccentricity; same splits by font family; trains the extra readers of the
 * reading mode, sim/sim_reading.h). Returns 0 or -1 with sc_last_error() set. */
int dataset_load(Dataset *ds, const char *name);
/* Allocates an empty dataset (for tests and loaders): one test group. */
int dataset_alloc(Dataset *ds, const char *name, int n_classes, const char *const *names,
                  int nothing_class, int n_train, int n_test);
void dataset_free(Dataset *ds);
/* The reader dataset of `offset` (-8..8; 0: the cell under the gaze, what the foveal reader
 * reads on a page) as the retina delivers it with goggles `flip` (RetinaParams.flip: 0 none,
 * RETINA_FLIP_X/_Y bits): the same letters, neighbours and gazes as without (the same seeds),
 * mirrored about the gaze. dataset_load(ds, "reader+K") is this with flip 0. */
int dataset_load_reader_view(Dataset *ds, int offset, int flip);

/* Handwritten digits lent to another dataset's training: the official MNIST training digits
 * before its validation split (the first 60,000 - DATASET_MNIST_VAL_N), each labelled with the
 * class of `into` of the same name ("0".."9"). The glyph model learns them beside the font
 * digits, so that it knows a handwritten digit is no letter (a scene of digits and text reads
 * with both models joined; the glyph model tells the kinds apart). */
typedef struct DatasetPool {
    float *x; /* n x DATASET_PATCH_N */
    int *y;   /* classes of `into` */
    long n;
    char desc[128];
} DatasetPool;
/* Fills pool (free with dataset_pool_free). -1 with sc_last_error() set if MNIST cannot be read
 * or `into` lacks a digit class. */
int dataset_borrow_digits(const Dataset *into, DatasetPool *pool);
void dataset_pool_free(DatasetPool *pool);

/* Centres a w x h ink image (0..1) into a 28x28 patch like MNIST: scaled to fit a box_px square
 * (aspect kept; MNIST uses 20; with shrink_only, only ever made smaller), placed so its centre
 * of mass is at the patch's gaze sample (14, 14). out is DATASET_PATCH_N floats. */
void dataset_centre_patch(const float *img, int w, int h, int stride, int box_px, int shrink_only,
                          float *out);

#endif
