/* eval/pool.h (private to src/eval): runs independent episodes on worker threads, each thread
 * with its own EvalEye (its own sim and classifier). Items write only their own results, so
 * the output does not depend on the number of threads. */
#ifndef SACCADE_EVAL_POOL_H
#define SACCADE_EVAL_POOL_H

#include <stddef.h>

#include "eval/eval.h"
#include "eval/eye.h"

typedef int (*EvalJob)(void *ctx, EvalEye *eye, long i);

typedef struct EvalPoolSpec {
    EvalJob job;
    void *ctx;
    long n; /* items 0..n-1 */
    const char *model_path;
    int world_w, world_h;
    EvalEyeOptions eye;
    int threads; /* 1..EVAL_MAX_THREADS */
    const EvalProgress *progress;
    const char *label; /* the pass, for progress->begin */
    /* optional: the message beside the progress bar */
    const char *(*status)(void *ctx, char *buf, size_t n);
    /* optional: a classifier in memory, copied for every thread, instead of model_path */
    const Classifier *model;
} EvalPoolSpec;

/* Runs job(ctx, eye, i) for every i. 0, or -1 + the first failure's error. */
int eval_pool_run(const EvalPoolSpec *spec);

#endif
