/* eval/rivals.h: the rivals of the eye (`saccade eval rivals`): networks that read the whole
 * canvas, or fixed parts of it, with no eye (src/nn/net.h), trained and tested on the same
 * canvases as the canvas tasks (eval/canvas.h), against ours (eval_canvas at 8 glimpses, its
 * reader retrained on the cell's digits below 55,000). rivals.c documents each model, the data
 * and the training; the hyperparameters live there. One cell is a pure function of the cell
 * and the options (training is single-threaded; ours' eye gives the same bits at any thread
 * count), apart from its wall-clock fields.
 */
#ifndef SACCADE_EVAL_RIVALS_H
#define SACCADE_EVAL_RIVALS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "data/dataset.h"
#include "eval/eval.h"

#define EVAL_RIVALS_MAX_BATCH 256
#define EVAL_RIVALS_MODELS 9
#define EVAL_RIVALS_OURS 4
#define EVAL_RIVALS_FIRST_FIXED 5 /* conv-fixed, lc-fixed, fc-fixed: 5, 6, 7 */
#define EVAL_RIVALS_MODERN 8
#define EVAL_RIVALS_TASKS 3

/* conv, lc, fc, separate, ours, conv-fixed, lc-fixed, fc-fixed, modern (model 0 is conv, the
 * baseline every other row is compared with) */
extern const char *const eval_rivals_models[EVAL_RIVALS_MODELS];

typedef struct EvalRivalsTask {
    const char *task;
    int canvas, fragments;
} EvalRivalsTask;
/* translated60, cluttered60, cluttered100 */
extern const EvalRivalsTask eval_rivals_tasks[EVAL_RIVALS_TASKS];

typedef struct EvalRivalsOptions {
    const char *out_dir; /* where ours' retrained reader is kept while it is measured */
    const char *model;   /* ours' reader in 55,000-digit cells (NULL: the shipped mnist) */
    int quick;           /* 1 epoch, 100 validation canvases */
    int epochs;          /* raised until min_samples examples are shown */
    int test_limit;      /* test canvases (0: all 10,000) */
    int threads;         /* ours' eye and reader trainer (the rivals train on one thread) */
    int quiet, json;     /* the command line's (not read here) */
    long min_samples;    /* examples shown at least (-1: the architecture's own) */
    int batch;           /* minibatch (0: the architecture's own) */
    int standardise;     /* 1: inputs to mean 0, sd 1 */
    double lr;           /* Adam's peak learning rate (0: the architecture's own) */
    int width;           /* modern's first channels (0: the default, 8) */
    const EvalProgress *progress; /* training progress lines (NULL: none) */
} EvalRivalsOptions;

/* A cell: one model on one task from the first `size` training digits, one seed. */
typedef struct EvalRivalsCell {
    int model, task, size;
    uint64_t seed;
} EvalRivalsCell;

/* "MODEL:TASK:SIZE:SEED" (SIZE 10..55000). 0, or -1 + the usage error. */
int eval_rivals_parse_cell(const char *s, EvalRivalsCell *c);
/* The cell's result file name: cell_MODEL_TASK_SIZE_SEED.json. */
void eval_rivals_cell_name(const EvalRivalsCell *c, char *buf, size_t n);

/* Trains and tests one cell on ds (MNIST, dataset_load "mnist"). Returns the result as the
 * cell file's JSON object (model, task, training_digits, seed, errors, n_test, error, ci95,
 * params, macs_per_answer, passes, the training record; the caller deletes it), or NULL +
 * error. */
cJSON *eval_rivals_cell(const EvalRivalsCell *c, const EvalRivalsOptions *o, const Dataset *ds);

#endif
