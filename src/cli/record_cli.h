/* record_cli.h: what replay, export and info share: loading the classifier a run was recorded
 * with (its weights hash is in the run header). */
#ifndef SACCADE_CLI_RECORD_CLI_H
#define SACCADE_CLI_RECORD_CLI_H

#include <stdint.h>

#include "record/record.h"

typedef struct RecordCliModel {
    struct SimModel *model; /* the reader, or NULL */
    SimClassifier cls;
    const SimClassifier *cls_ptr; /* &cls, or NULL when the run has no classifier */
    uint64_t hash;
} RecordCliModel;

/* Loads the classifier for rf when its header names one (model_hash != 0): path, or the scene's
 * default model. The hash is checked later by record_sim_create. Returns 0 or -1. */
int record_cli_model_load(RecordCliModel *m, const RunFile *rf, const char *path);
void record_cli_model_free(RecordCliModel *m);

#endif
