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

/* ---- The reader a scene needs: one model, or two joined ----
 *
 * A scene file holds digits, text or both. Its reader follows its object kinds: digits are read
 * with the MNIST model, text with the glyph model, and a scene with both gets the MNIST model
 * and the character model (chars.wts: the glyph model's classes, trained on the fonts and on
 * handwritten digits), joined: every foveal patch goes to each model. A model that knows every
 * class of the join (the character model) answers when its most probable class is one only it
 * knows (a letter); otherwise the answer is the most confident one that is not "nothing" (all
 * "nothing": the most confident "nothing"). The eye never knows what kind of
 * object it looks at (that would be reading the ground truth); the scene only says which
 * readers its world needs. `--model M` overrides: "mnist", "glyphs", "chars", "mnist+chars"
 * ("mnist+glyphs" is the same) or a weights file. */
#define SIM_MODEL_MAX 2

typedef struct SimModelChoice {
    int n; /* 1 or 2 */
    char path[SIM_MODEL_MAX][1024];
} SimModelChoice;

/* The rule: model_opt as above; NULL picks by scene: built-ins as sim_model_path; a scene file
 * by the kinds of scene's objects (scene = the scene built from spec; NULL: MNIST). Returns 0,
 * or -1 with sc_last_error() set. */
int sim_model_choose(const SceneSpec *spec, const Scene *scene, const char *model_opt,
                     SimModelChoice *out);

typedef struct SimModel SimModel;
/* Loads the choice's weights. NULL with sc_last_error() set. */
SimModel *sim_model_open(const SimModelChoice *choice);
/* The files m was opened from, for sim_model_open (another copy, e.g. on another thread). */
void sim_model_choice_of(const SimModel *m, SimModelChoice *out);
void sim_model_close(SimModel **m);
/* The sim's hook (valid while m lives; one sim at a time: predict uses m's scratch). */
const SimClassifier *sim_model_hook(const SimModel *m);
/* One model: its classifier_hash (what recordings store); two: both hashes, in order, hashed. */
uint64_t sim_model_hash(const SimModel *m);
/* One model: its dataset ("mnist", "glyphs"); two: their files' names joined by '+'
 * ("mnist+chars"). */
const char *sim_model_name(const SimModel *m);
int sim_model_count(const SimModel *m);
const char *sim_model_file(const SimModel *m, int i);
Classifier *sim_model_classifier(const SimModel *m, int i);

/* For a recorded run (recorded reader hash `want`, never 0): model_opt given: that reader as
 * is (the caller names a mismatch); otherwise the first of the scene's default and the shipped
 * readers (mnist, glyphs, chars, mnist+chars) whose hash is `want`. NULL with sc_last_error() set.
 */
SimModel *sim_model_find(const SceneSpec *spec, const char *model_opt, uint64_t want);
/* The same files opened again (another thread's reader: scratch is not shared). */
SimModel *sim_model_reopen(const SimModel *m);

/* Reading mode on a words scene (sim/sim_reading.h): the foveal reader is the sim's reader
 * (foveal: its hook; foveal_hash: its hash, sim_model_hash or classifier_hash), plus n extra
 * readers (0..SIM_READERS_MAX) at offsets sim_reader_offset(0..n-1), each loaded from its own
 * weights file assets/models/reader<offset>.wts ("reader+1.wts", "reader-1.wts", ...: trained by
 * `saccade train --dataset reader+1` ...), each checked (dataset name "reader<offset>", the foveal
 * reader's classes). The sim owns the loaded weights. *hash (may be NULL) gets the hash a
 * recording stores as its model: the foveal classifier's own when n = 0, else one over it and
 * every reader's. 0, or -1 with sc_last_error() naming the file. */
int sim_model_attach_readers(Sim *s, const SimClassifier *foveal, uint64_t foveal_hash, int n,
                             uint64_t *hash);
/* Replay: the reader count whose hash (as above) is want; attaches those readers. 0, or -1
 * when no count 0..SIM_READERS_MAX gives that hash. */
int sim_model_attach_readers_hash(Sim *s, const SimClassifier *foveal, uint64_t foveal_hash,
                                  uint64_t want);
/* The path of a reader's weights file: assets/models/reader<offset>.wts for fixed-pitch pages,
 * text<offset>.wts (natural) when natural is non-zero. */
int sim_model_reader_path(int natural, int offset, char *buf, size_t n);

#endif
