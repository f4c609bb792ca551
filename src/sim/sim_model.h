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

#endif
