/* eval/eval.h: the experiments that test the claim, as functions: each takes an options struct
 * and fills a result struct (counts, n, the figures the tables print); nothing here prints a
 * table or writes a file (`saccade eval`, src/cli/eval*.c, does that from these results).
 *
 * Every figure counts glimpses (eval/eye.h). Canvases are built from the official MNIST test set
 * (or, with split_val, from the validation digits the shipped model never trained on); tasks
 * whose canvases depend on the seed run over n_seeds seeds. Results are a pure function of the
 * options: the same bits at any thread count.
 *
 * Errors: each function returns 0, or -1 with sc_last_error() set (one line, naming the file or
 * the option at fault).
 */
#ifndef SACCADE_EVAL_EVAL_H
#define SACCADE_EVAL_EVAL_H

#include <stdint.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "data/dataset.h"

#define EVAL_MAX_K 8       /* glimpse budgets of the canvas tasks: 1..EVAL_MAX_K */
#define EVAL_MAX_SEEDS 8   /* seeds of the canvas tasks */
#define EVAL_MAX_THREADS 8 /* worker threads */
#define EVAL_ECC_MAX_PX 28 /* eccentricity: offsets 0, EVAL_ECC_STEP_PX, .. EVAL_ECC_MAX_PX */
#define EVAL_ECC_STEP_PX 2
#define EVAL_ECC_NOFF (EVAL_ECC_MAX_PX / EVAL_ECC_STEP_PX + 1)
#define EVAL_ECC_GLIMPSES 4 /* glimpse budget of the eccentricity task's saccade condition */

/* Progress of a long task, for a caller that shows it (all NULL or the struct NULL: silent).
 * begin/update/end frame one pass of a worker pool (label: "cluttered60, seed 1"); note is one
 * line of progress text ("  2 readers, Liberation Sans: 11/12 words"). Called from worker
 * threads one at a time (under the pool's lock). */
typedef struct EvalProgress {
    void (*begin)(void *user, const char *label);
    void (*update)(void *user, long done, long total, const char *msg);
    void (*end)(void *user);
    void (*note)(void *user, const char *line);
    void *user;
} EvalProgress;

/* One line of progress text through p->note (printf format; nothing when p or note is NULL). */
void eval_note(const EvalProgress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------- published figures */

/* Mnih, Heess, Graves, Kavukcuoglu 2014, "Recurrent Models of Visual Attention", error %, as
 * printed there (eval.c says which rows were re-read from the paper's text). */
typedef struct EvalPubRow {
    const char *model;
    int glimpses; /* 0: not a glimpse model */
    double error; /* percent */
} EvalPubRow;

typedef struct EvalPublished {
    const char *task, *title;
    int canvas, fragments;
    int glimpse_numbers; /* numbers one RAM glimpse reads */
    int verified;        /* 1: re-read from the paper's text */
    EvalPubRow rows[10]; /* ends with a row whose model is NULL */
} EvalPublished;

/* The canvas task of that name (translated60, cluttered60, cluttered100), or NULL. */
const EvalPublished *eval_published(const char *task);
/* 28x28 MNIST, the paper's Table 1 (for the centred task); ends with model NULL. */
extern const EvalPubRow eval_published_centred[];

/* ---------------------------------------------------------------- options */

typedef struct EvalOptions {
    const char *model; /* mnist (NULL), glyphs or a weights file (sim_model_path) */
    int limit;         /* only the first N digits (0: all) */
    int threads;       /* 1..EVAL_MAX_THREADS (results do not depend on it) */
    int n_seeds;       /* canvas tasks: 1..EVAL_MAX_SEEDS */
    int split_val; /* 1: the validation digits / families (refused for a model trained on them) */
    uint64_t seed; /* first seed of canvases, directions and the eye */
    const EvalProgress *progress; /* NULL: silent */
    int sensor;                   /* SimSensor (sim/sim.h): 0 the shipped eye, SIM_SENSOR_SMALL the
                                   * sensor-matched one (eccentricity and the canvas tasks) */
} EvalOptions;

/* ---------------------------------------------------------------- centred */

#define EVAL_MAX_GROUPS 8
#define EVAL_TOP_CONFUSIONS 8

typedef struct EvalCentredGroup {
    char name[48];
    int n;
    long correct;
    double accuracy; /* as the classifier measured it (correct = round(accuracy * n)) */
} EvalCentredGroup;

typedef struct EvalCentredModel {
    char trained_on[CLASSIFIER_TEXT_MAX]; /* the model's provenance (classifier_trained_on) */
    char test_desc[256];                  /* the examples' provenance (Dataset.test_desc) */
    int n_groups; /* MNIST: 1; glyphs: one per held-out (or validation) family */
    EvalCentredGroup groups[EVAL_MAX_GROUPS];
    long n, correct;
    /* per-class accuracy (%) on the first group, for the plot */
    int n_points;
    double class_x[DATASET_MAX_CLASSES], class_acc[DATASET_MAX_CLASSES];
    /* glyphs only: errors, those that are the same letter in the other case, letters read,
     * and the most frequent confusions ("a->b", count) */
    long errors, case_errors, letters;
    int n_top;
    char top_pair[EVAL_TOP_CONFUSIONS][64];
    int top_n[EVAL_TOP_CONFUSIONS];
} EvalCentredModel;

/* The digit model joined with the character model (chars.wts), as a scene of digits and text
 * reads (sim/sim_model.h: the same code), on one set: right, and wrong answers of the other kind (a
 * digit read as a letter or a letter as a digit). */
typedef struct EvalJoinedSet {
    long n, right, other_kind;
} EvalJoinedSet;

typedef struct EvalCentredResult {
    EvalCentredModel mnist, glyphs; /* the digit model and the glyph model, each on its set */
    EvalJoinedSet joined_digits, joined_glyphs; /* mnist+chars, on each set */
} EvalCentredResult;

/* Both shipped models (o->model picks one; the other is the other shipped one) on their test
 * sets (or validation splits), centred on the gaze. Uses model, limit (digits), split_val. */
int eval_centred(const EvalOptions *o, EvalCentredResult *r);

/* ---------------------------------------------------------------- eccentricity */

typedef struct EvalEccRow {
    int offset_px;
    long still_right;     /* the eye held still: one glimpse */
    long saccades_right;  /* the eye free to move: at most EVAL_ECC_GLIMPSES glimpses */
    double glimpses_mean; /* glimpses used by the saccade condition */
} EvalEccRow;

typedef struct EvalEccResult {
    const char *test_set;    /* "mnist-t10k" or "mnist-val" */
    int n;                   /* digits per offset */
    int numbers_per_glimpse; /* distinct numbers one glimpse senses (retina_numbers_per_glimpse) */
    int retina_levels;       /* retinal levels the sim uses on this task's world */
    EvalEccRow rows[EVAL_ECC_NOFF];
} EvalEccResult;

/* Each digit 0..EVAL_ECC_MAX_PX px off the gaze in a random direction, the eye held still and
 * free. Uses model, limit, threads, split_val, seed. */
int eval_eccentricity(const EvalOptions *o, EvalEccResult *r);

/* ---------------------------------------------------------------- translated / cluttered */

typedef struct EvalCanvasRow {
    int glimpses; /* the budget, 1..EVAL_MAX_K */
    long n, wrong;
    double error_min_seed, error_max_seed;
    double error_per_seed[EVAL_MAX_SEEDS];
    double ram_error;   /* RAM's error at this budget (fraction), -1: none published */
    long glimpses_used; /* summed over the canvases: glimpses the answer at this budget used
                         * (numbers sensed before the answer: this x numbers_per_glimpse) */
} EvalCanvasRow;

typedef struct EvalCanvasResult {
    const EvalPublished *pub;
    const char *test_set;
    int n, n_seeds; /* canvases per seed, seeds (seed .. seed + n_seeds - 1) */
    uint64_t seed;
    int sensor;              /* SimSensor of the eye */
    int numbers_per_glimpse; /* distinct numbers one glimpse senses (retina_numbers_per_glimpse) */
    int retina_levels;       /* retinal levels the sim uses on this task's world */
    EvalCanvasRow rows[EVAL_MAX_K];
    /* over every canvas at EVAL_MAX_K glimpses: glimpses used by the answers; canvases with a
     * read within 3 px of the digit's centre of mass; errors with the digit read centred (the
     * reader) and never read centred (the search) */
    long glimpses_used, read_within_3px, wrong_read_centred, wrong_never_read_centred;
    char trained_on[CLASSIFIER_TEXT_MAX];
} EvalCanvasResult;

/* One canvas task (eval_published(task)) read by the sim's eye. Uses every option. */
int eval_canvas(const char *task, const EvalOptions *o, EvalCanvasResult *r);

/* ---------------------------------------------------------------- the eye's own patches */

/* Training data for the reader from its own eye ("learned to read all of these separately":
 * what the eye actually delivers at its fixations, not idealised centred digits). The sim's eye
 * (eval/eye.h, the eval's and the window's) reads n_canvases canvases of a canvas task built
 * from TRAINING digits (canvas i holds digit i mod n_digits; clutter from the same digits), up
 * to max_glimpses glimpses each, ending at a sure read as the eval does; every read's foveal
 * patch is kept and labelled by where the digit was (the labels are the trainer's; the eye
 * never sees them): the digit's class when the gaze was within pos_px of the digit's centre
 * on both axes, "nothing" when it was at least neg_px away (Euclidean), and dropped in between
 * (neither a centred read nor clearly off it). Deterministic: canvases and eyes from seed. */
typedef struct EvalPatchOptions {
    const char *task;      /* canvas task (eval_published): its canvas size and clutter */
    const float *digits;   /* n_digits 28x28 patches (0..1): training digits only */
    const uint8_t *labels; /* their dataset labels (0..9) */
    int n_digits;
    long n_canvases;
    int max_glimpses;     /* 1..EVAL_MAX_K */
    float pos_px, neg_px; /* 0 < pos_px < neg_px */
    uint64_t seed;
    int threads;
    const EvalProgress *progress;
} EvalPatchOptions;

typedef struct EvalPatches {
    long n;
    float *x;                        /* n x 784 */
    int *y;                          /* the reader's class index (digit or its "nothing") */
    long reads, positives, nothings; /* reads seen; kept as a digit; kept as "nothing" */
} EvalPatches;

/* Runs the eye with `reader` (copied per thread) and fills out (free with eval_patches_free).
 * 0, or -1 + error. */
int eval_eye_patches(const Classifier *reader, const EvalPatchOptions *o, EvalPatches *out);
void eval_patches_free(EvalPatches *p);

/* Rounds of learning from the eye: after the reader is trained, each round runs the eye with it
 * on training canvases (eval_eye_patches on the cluttered60 task: training digits only, the
 * validation split never) and trains on from its weights with the eye's patches mixed in
 * (TrainParams.pool_*; a stream of its own per round). */
typedef struct EvalEyeRounds {
    int rounds;           /* 0: none */
    int epochs;           /* epochs of each round */
    long canvases;        /* canvases the eye reads per round */
    float frac;           /* the eye's patches per epoch / training digits */
    float pos_px, neg_px; /* labels (EvalPatchOptions) */
} EvalEyeRounds;

/* The MNIST reader's eye rounds as shipped (`saccade train --dataset mnist`). */
void eval_eye_rounds_mnist(EvalEyeRounds *r);

/* Observer of eval_train_reader: a line of text (round statistics) and the trainer's progress
 * (tp->progress is called for every stage, one after another). May be NULL. */
typedef void (*EvalTrainNote)(void *user, const char *line);

/* Trains a reader on ds with tp (from init's weights when init is not NULL, which must have
 * tp's shape), then the eye rounds. The summary is the last stage's, with examples summed over
 * the stages. NULL + error. Deterministic: the same bits from the same inputs at any thread
 * count. */
Classifier *eval_train_reader(const Dataset *ds, const TrainParams *tp, const Classifier *init,
                              const EvalEyeRounds *er, EvalTrainNote note, void *note_user,
                              TrainSummary *sum);

/* ---------------------------------------------------------------- reading */

#define EVAL_READING_MAX_SETTINGS 9
#define EVAL_READING_MAX_FAMILIES 8

#define EVAL_READING_MAX_SURE 4 /* reader distances: SIM_READERS_MAX / 2 */
#define EVAL_READING_LEN_MAX 12 /* word lengths tallied apart (longer: with the last) */
typedef struct EvalReadingOptions {
    const char *model; /* the foveal glyph model (NULL: the shipped glyphs model) */
    int settings[EVAL_READING_MAX_SETTINGS]; /* extra readers per setting, 0..SIM_READERS_MAX */
    int n_settings;
    int words;     /* words per font family and setting */
    int page;      /* words per page */
    uint64_t seed; /* page p of a family uses seed + p */
    int split_val; /* 1: the validation families (refused for a model trained on them) */
    const EvalProgress *progress; /* a note per setting and family */
    /* tuning: the confidence an extra reader's read needs, by distance 1..n_sure (0: the
     * defaults, sim_reading_sure_default) */
    float sure[EVAL_READING_MAX_SURE];
    int n_sure;
    /* tuning: when set_place, the reader distance the first unread letter is put at (0: the
     * default, the leftmost reader) */
    int set_place, place;
    /* tuning, natural text read with the vocabulary (sim_reading.h, SimReadingMoves): when
     * word_looks > 0, the looks at a word before the eye moves on; when set_preview, preview 1
     * aims a word's first look from its first letter not yet read surely, 0 from its first
     * letter (default SIM_READING_PREVIEW) */
    int word_looks, set_preview, preview;
    /* natural text read letter by letter, without the readers' vocabulary (sim_reading.h) */
    int no_lexicon;
    /* tuning: the vocabulary's file as written, without the capitals lexicon_load adds */
    int no_capitals;
    /* natural text: pages of prose's words in their order (the `prose` scene), not words drawn
     * at random from the word list (`words`) */
    int prose;
    /* 0: fixed-pitch pages (the `words` scene); else natural text at this font size (the
     * `text` scene, read by the eye that finds its own layout, with the text0 / text+K
     * readers) */
    int text_px;
} EvalReadingOptions;

/* Counts, defined before they were measured. A fixation is on a word when it is on the word's
 * line (within half a line spacing of its reading height) and within the word's ink box
 * widened by half a letter cell each side. On natural text (text_px), where letters have no
 * cell: a letter is the page's mean letter width (its words' ink widths over their letters),
 * a line is its words' ink span widened by a quarter of the leading (0.375 em) above and
 * below, and a fixation is on a word when on its line and within its ink box widened by half
 * a letter each side. A word is fixated when a fixation is on it;
 * refixated when its first visit (the run of successive fixations on it) holds two or more;
 * skipped when no fixation is ever on it. A regression is a saccade within a line that goes
 * left by half a cell or more. words_right_raw: words right without the I/l rule
 * (SimWordRead.raw). */
typedef struct EvalReadingTally {
    long words, words_right, words_right_raw, letters, letters_right, cells_read;
    long words_fixated, words_refixated;
    long line_saccades, regressions; /* saccades within a line (forward or back), leftward */
    /* what each reader distance buys: the letters of the words whose kept read came from a
     * reader at distance d (0 the fovea), and how many of those reads are right */
    long dist_letters[EVAL_READING_MAX_SURE + 1], dist_right[EVAL_READING_MAX_SURE + 1];
    long fixations, fix_closed; /* from the first landing on; closed: ended before the page did */
    double fix_ms;              /* summed over the closed fixations */
    long fwd_saccades;          /* forward saccades within a line */
    double fwd_letters;         /* their summed length, letters */
    /* by a word's letters n (1..EVAL_READING_LEN_MAX, longer counted at the last): the words
     * and the fixations on them */
    long len_words[EVAL_READING_LEN_MAX + 1], len_fixations[EVAL_READING_LEN_MAX + 1];
    /* the fewest fixations the readers' reach allows, every read right and every landing
     * exact: each fixation reads at most the 2R + 1 letters from R left of the gaze to R right
     * of it (R the farthest reader's distance, 0 the fovea alone). floor_word: a fixation reads
     * one word (a word of n letters takes ceil(n / (2R + 1))); floor_line: a fixation reads
     * across the gaps between words (a line of m letters takes ceil(m / (2R + 1))) */
    long floor_word, floor_line;
} EvalReadingTally;

typedef struct EvalReadingRow {
    int readers;
    int reach;     /* the farthest reader's distance (0: the fovea alone) */
    size_t params; /* the foveal reader's and each extra reader's own weights */
    long macs;     /* dense multiply-adds per fixation (the fixed V1 front end not counted) */
    EvalReadingTally all, per_family[EVAL_READING_MAX_FAMILIES];
} EvalReadingRow;

typedef struct EvalReadingResult {
    const char *const *families; /* data/dataset.h: the held-out (or validation) families */
    int n_families;
    int n_rows; /* one per setting */
    EvalReadingRow rows[EVAL_READING_MAX_SETTINGS];
} EvalReadingResult;

/* Reads pages of words (the `words` scene) with the sim's reading eye, once per reader setting,
 * in each family. */
int eval_reading(const EvalReadingOptions *o, EvalReadingResult *r);

/* ---------------------------------------------------------------- pursuit */

#define EVAL_PURSUIT_WORLD_W 1920 /* the `motion` scene's texture, px */
#define EVAL_PURSUIT_WORLD_H 1440
#define EVAL_PURSUIT_TRIAL_MS 2000.0 /* simulated time per trial */
#define EVAL_PURSUIT_STEP_S 0.1      /* the digit crosses the gaze this long after onset */
#define EVAL_PURSUIT_GAIN_FROM_MS 300.0
#define EVAL_PURSUIT_GAIN_TO_MS 550.0
#define EVAL_PURSUIT_TRACKING_DEG                                                                  \
    3.0 /* steady-state samples count while the gaze is this close                                 \
         */
#define EVAL_PURSUIT_MAX_TICKS 1024
#define EVAL_PURSUIT_SPEEDS 6
/* Target speeds, deg/s: 0, 5, 10, 20, 30, 40. */
extern const double eval_pursuit_speeds[EVAL_PURSUIT_SPEEDS];

/* One tick of one trial, for a caller that records the gaze traces (deg, deg/s). */
typedef struct EvalPursuitTick {
    int pursuit; /* 1: the shipped eye; 0: saccades only */
    double speed_deg_s;
    int digit; /* the MNIST test digit's index */
    double t_ms;
    double err_along_deg, err_y_deg;  /* gaze minus digit centre, world x and y */
    double eye_v_along, eye_v_across; /* eye velocity along and across the target direction */
    int phase, pursuing;              /* the eye's state (eye/eye.h) */
    double target_v_estimate, target_speed;
    int fixations;
} EvalPursuitTick;

typedef struct EvalPursuitOptions {
    const char *model;            /* mnist (NULL) or a weights file */
    int n;                        /* trials per speed and eye */
    uint64_t seed;                /* digits, directions, textures and the eye */
    const EvalProgress *progress; /* a note per speed */
    void (*trace)(void *user, const EvalPursuitTick *t); /* per tick (NULL: none) */
    void *trace_user;
} EvalPursuitOptions;

typedef struct EvalPursuitCell {
    long n, read, on_ticks, ticks, saccades;
    double vel_sum[EVAL_PURSUIT_MAX_TICKS]; /* desaccaded eye velocity along the target, deg/s */
    long vel_n[EVAL_PURSUIT_MAX_TICKS];
    double *trial_gain; /* per trial: steady-state velocity over the target speed */
    int n_gain, cap_gain;
    double gain, latency_ms; /* fitted; NAN when undefined */
} EvalPursuitCell;

typedef struct EvalPursuitResult {
    EvalPursuitCell cells[EVAL_PURSUIT_SPEEDS][2]; /* [speed][pursuit: 0 off, 1 on] */
} EvalPursuitResult;

/* Every speed, each trial with pursuit on and off (the same digit, direction and seed). The
 * result owns memory: eval_pursuit_free (also after a failure, harmless). */
int eval_pursuit(const EvalPursuitOptions *o, EvalPursuitResult *r);
void eval_pursuit_free(EvalPursuitResult *r);

#endif
