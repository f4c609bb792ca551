/* sim_model.h: plugging a classifier into the sim, and which shipped model a scene reads with.
 *
 * The sim calls its classifier through a hook (SimClassifier in sim.h) so that the tick does
 * not depend on how a model is stored; this is the one place that joins the two.
 */
#ifndef SACCADE_SIM_MODEL_H
#define SACCADE_SIM_MODEL_H

#include <stddef.h>

#include "classifier/classifier.h"
#include "scene/scene.h"
#include "sim/sim.h"

/* Fills the simulation's hook with this classifier (ctx = c; c must outlive the sim). */
void sim_model_adapter(Classifier *c, SimClassifier *out);

/* The model-choice rule: model_opt NULL picks by scene (digits, cluttered, motion -> MNIST
 * model; letters -> glyph model; blank, images and scene files -> MNIST model); "mnist" and
 * "glyphs" name the shipped models (assets/models/{mnist,glyphs}.wts via paths_data_file());
 * anything else is taken as a file path. spec may be NULL (MNIST). Writes the path into buf;
 * returns 0, or -1 if it does not fit. Does not open the file. */
int sim_model_path(const SceneSpec *spec, const char *model_opt, char *buf, size_t n);

/* Reading mode on a words scene (sim/sim_reading.h): the foveal reader is the sim's glyph
 * classifier (foveal: a sim_model_adapter hook), plus n extra readers (0..SIM_READERS_MAX) at
 * offsets sim_reader_offset(0..n-1), each loaded from its own weights file
 * assets/models/reader<offset>.wts ("reader+1.wts", "reader-1.wts", ...: trained by `saccade
 * train --dataset reader+1` ...), each checked (dataset name "reader<offset>", the foveal
 * reader's classes). The sim owns the loaded weights. *hash (may be NULL) gets the hash a
 * recording stores as its model: the foveal classifier's own when n = 0, else one over it and
 * every reader's. 0, or -1 with sc_last_error() naming the file. */
int sim_model_attach_readers(Sim *s, const SimClassifier *foveal, int n, uint64_t *hash);
/* Replay: the reader count whose hash (as above) is want; attaches those readers. 0, or -1
 * when no count 0..SIM_READERS_MAX gives that hash. */
int sim_model_attach_readers_hash(Sim *s, const SimClassifier *foveal, uint64_t want);
/* The path of a reader's weights file (assets/models/reader<offset>.wts). */
int sim_model_reader_path(int offset, char *buf, size_t n);

#endif
