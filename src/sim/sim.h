/* sim.h: the fixed-step tick that ties the stages, and the state it owns.
 *
 * One tick (default 10 ms of simulated time):
 *   inputs -> scene_step -> eye_step (may start/finish a saccade) -> unless suppressed:
 *   retina_sample -> v1_process -> saliency_update -> [classifier at fixation] ->
 *   ior decay -> priority -> object files (sim_objects.h: inhibition that follows an object
 *   once read).
 * The simulation is a pure function of (scene spec, config, seed, inputs per tick): no wall
 * clock, no unseeded randomness. sim_state_hash() summarises all dynamic state; replay checks
 * it. No allocation in sim_tick().
 */
#ifndef SACCADE_SIM_H
#define SACCADE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "eye/eye.h"
#include "retina/retina.h"
#include "saliency/saliency.h"
#include "scene/scene.h"
#include "v1/v1.h"

typedef struct SimConfig {
    double tick_ms;                 /* simulated time per tick (default 10) */
    float px_per_deg;               /* copied into every stage (default 32) */
    int auto_saccades;              /* start in AUTO mode (default 1) */
    float classify_stop_confidence; /* end a fixation early above this (default 0.97; >1 = never) */
    RetinaParams retina;
    V1Params v1;
    SaliencyParams saliency;
    EyeParams eye;
    /* issue 22 §1: goggles are retina.flip (RETINA_FLIP_X/_Y); saccade adaptation learns the
     * untied motor map (sim/sim_adapt.h) at this rate, 0..1 (default 0: off) */
    float saccade_adapt_rate;
    /* issue 22 §2: top-down reinforcement of the reader's V1 input (v1/plasticity.h), off by
     * default. With a mode, each read of a labelled object is rewarded by the scene's ground
     * truth (the object under the gaze) and the gains are simulation state. */
    int plasticity;       /* PlasticityMode: 0 off, 1 untied, 2 tied */
    float plasticity_eta; /* (0, 1] when on */
} SimConfig;

void sim_config_default(SimConfig *c);

/* The sensor: what one glimpse senses.
 *   SIM_SENSOR_FULL   the shipped eye: levels of 64 x 64 samples at spacings 1, 2, 4, ... px
 *                     (as many as the world needs, at most 6) and the 28 x 28 fovea inside
 *                     level 0: 2 levels (8,192 numbers) on a 60 x 60 world.
 *   SIM_SENSOR_SMALL  sensor-matched to RAM (Mnih et al. 2014: 12 x 12 at 3 or 4 scales, 432
 *                     or 576 numbers): the 28 x 28 fovea (784, the reader's input) plus
 *                     levels of 12 x 12 at spacings 1, 2, 4, 8 px (level 0 lies inside the
 *                     fovea): at most 1,216 distinct numbers; V1 at the two scales (4 and 8 px
 *                     wavelengths) that fit a 12-sample level; the eye centres on the fovea. */
typedef enum SimSensor { SIM_SENSOR_FULL = 0, SIM_SENSOR_SMALL = 1 } SimSensor;
void sim_config_sensor(SimConfig *c, SimSensor sensor);

/* The ranges of the parameters a user may set (live's options) and a run file may carry: one
 * rule for the command line and the run-file reader. A sim with a classifier needs a fovea of
 * the classifier's side (CLASSIFIER_SIDE, 28 px). */
#define SIM_FOVEA_MIN RETINA_FOVEA_MIN /* px (retina.h) */
#define SIM_FOVEA_MAX RETINA_FOVEA_MAX
#define SIM_IOR_RADIUS_MAX_DEG SALIENCY_IOR_RADIUS_MAX_DEG /* (0, max] (saliency.h) */
#define SIM_IOR_DECAY_MAX_MS SALIENCY_IOR_DECAY_MAX_MS     /* (0, max] */
#define SIM_FIX_MEAN_MAX_MS EYE_FIX_MEAN_MAX_MS            /* (0, max] (eye.h) */
/* Retinal levels a sim uses for a world: the configured number, less the levels whose extent
 * (level_size * 2^k px) is more than twice the world's larger side already at the level
 * before (they would only see the world's repeated edge). */
int sim_retina_levels(const RetinaParams *p, int world_w, int world_h);
/* Hash of every field that changes a run's result (goes into run files). */
uint64_t sim_config_hash(const SimConfig *c);
/* What sim_create does to a config for a world of this size (one px_per_deg for every stage,
 * the retina's levels); sim_config(sim) is the result, and what recordings hash. */
void sim_config_for_world(SimConfig *c, int world_w, int world_h);

/* Inputs: what the window (or a recording) feeds into a tick. Plain data, recorded as is. */
typedef enum SimInputType {
    SIM_INPUT_SACCADE_BY_DEG = 1, /* a, b: step in degrees (x right, y down) from the gaze */
    SIM_INPUT_SACCADE_TO_PX = 2,  /* a, b: world point in px */
    SIM_INPUT_SET_AUTO = 3,       /* a: 0 manual, 1 auto */
} SimInputType;

typedef struct SimInput {
    uint32_t type;
    float a, b;
} SimInput;

/* The classifier the tick calls at each fixation once suppression ends (optional). predict
 * writes n_classes probabilities for the foveal patch (fovea_size^2 floats, 0..1) and returns
 * 0; it must not allocate. Class names label the output; nothing_class is the "nothing here"
 * class or -1. */
typedef struct SimClassifier {
    void *ctx;
    int n_classes;
    const char *const *class_names;
    int nothing_class;
    int (*predict)(void *ctx, const float *patch, float *probs);
    /* Optional, for plasticity (SimConfig.plasticity): the network's input from a patch
     * (n_features floats, the fixed V1 energies at v1_offset, PLASTICITY_N of them), and the
     * read from that input, possibly changed; predict_features on features' unchanged output
     * gives predict's bits. Absent (NULL) on a reader without V1 input or a joined one. */
    int n_features, v1_offset;
    int (*features)(void *ctx, const float *patch, float *x);
    int (*predict_features)(void *ctx, const float *x, float *probs);
} SimClassifier;

#define SIM_MAX_CLASSES 64

/* One fixation, as reported and recorded. */
typedef struct SimFixation {
    double start_ms, end_ms; /* end_ms < 0 while it lasts */
    float x, y;              /* landing point, world px */
    float amplitude_deg;     /* of the saccade that led here (0 for the first) */
    float saccade_ms;        /* its duration */
    float peak_velocity_deg_s;
    int object;       /* index of the object whose centre is within 1 deg, or -1 */
    int corrective;   /* 1 for a corrective saccade's landing */
    int manual;       /* 1 when the saccade was commanded */
    int label;        /* classifier's class index, or -1 (not classified) */
    float confidence; /* its probability */
    int glimpse;      /* the glimpse it read (sim_glimpse_count() then), 0 if none */
    int sure;         /* 1: the eye believed the read (label not "nothing", confidence
                       * >= classify_stop_confidence, the object centred) and moved on */
} SimFixation;

typedef enum SimStage {
    SIM_STAGE_SCENE = 0,
    SIM_STAGE_RETINA,
    SIM_STAGE_V1,
    SIM_STAGE_SALIENCY,
    SIM_STAGE_EYE,
    SIM_STAGE_CLASSIFIER,
    SIM_STAGE_COUNT
} SimStage;
const char *sim_stage_name(SimStage s);

/* Timing is not simulation state: the caller (bench, window) passes a clock; the core never
 * reads one itself. stage_ms[] holds the last tick's times. */
typedef struct SimProfile {
    double (*now_ms)(void);
    double stage_ms[SIM_STAGE_COUNT];
} SimProfile;

typedef struct Sim Sim;

/* Builds scene and stages, makes FFT plans, takes the first look. NULL + sc_last_error(). */
Sim *sim_create(const SimConfig *c, const SceneSpec *spec, uint64_t seed);
/* Same, on a scene the caller built (e.g. scene_create_from_image); the sim takes ownership
 * of the scene (destroys it, also on failure). */
Sim *sim_create_with_scene(const SimConfig *c, Scene *scene, uint64_t seed);
void sim_destroy(Sim **s);
/* Starts over on a new image (same size; copied, with its ground-truth objects) as a sim
 * created from it with this seed would start: state, fixation log, inhibition and motion
 * history reset. Only for sims made by sim_create_with_scene(scene_create_from_image(...)).
 * The experiments run thousands of canvases through one sim this way (no FFT plans per
 * canvas). 0, or -1 + error (another size, another kind of scene). */
int sim_restart(Sim *s, const Image *world, const SceneObject *objects, int n_objects,
                uint64_t seed);
void sim_set_classifier(Sim *s, const SimClassifier *cls); /* copied; NULL removes */
/* With SimConfig.plasticity on, the classifier must offer features (above): 0, or -1 with a
 * one-line error when it does not (or for want of memory). Call after sim_set_classifier. */
int sim_plasticity_ready(const Sim *s);
/* The V1 gains (v1/plasticity.h), or NULL when plasticity is off. Reads rewarded so far are
 * its `updates`. */
struct Plasticity;
const struct Plasticity *sim_plasticity(const Sim *s);
/* The task's feedback, one rule for plasticity's reward and the window's reading score: the
 * labelled scene object under the gaze now (its ink box grown by 4 px a side, for the
 * landing's scatter; of several, the nearest centre), or -1. Ground truth: the eye never
 * uses it to choose. */
int sim_truth_at_gaze(const Sim *s);
void sim_set_profile(Sim *s, SimProfile *p); /* NULL = no timing */
/* Reading mode (sim/sim_reading.h): readers[0] is the foveal reader (offset 0), then n - 1
 * extra readers; n = 0 turns reading off. While on, the reader bank reads at each fixation
 * and plans the next saccade (AUTO mode); the priority map does not choose targets and the
 * classifier set by sim_set_classifier is not called. Set it before the first tick (or
 * right after sim_restart); 0, or -1 + error (no text lines in the scene, readers that do not
 * match: then nothing is taken). On success the sim calls release(owner) (may be NULL) when
 * the bank goes (sim_destroy, another sim_set_readers): how it owns the readers' weights. */
struct SimReader;
struct SimReading;
int sim_set_readers(Sim *s, const struct SimReader *readers, int n, void (*release)(void *),
                    void *owner);
const struct SimReading *sim_reading(const Sim *s); /* NULL when off */
/* The reading bank's confidence by reader distance (sim_reading.h: tuning only). 0, or -1 +
 * error (no reading bank, a value outside 0..1). */
int sim_set_reading_sure(Sim *s, const float *by_dist, int n);
/* Where the reading eye puts the first letter not yet read (sim_reading_set_place: tuning
 * only). 0, or -1 + error. */
int sim_set_reading_place(Sim *s, int dist);
/* How the reading eye moves on through natural text (sim_reading_set_moves: tuning only). 0,
 * or -1 + error. */
struct SimReadingMoves;
int sim_set_reading_moves(Sim *s, const struct SimReadingMoves *m);
/* The vocabulary natural text is read with (sim_reading_set_lexicon). 0, or -1 + error (no
 * reading bank). */
struct Lexicon;
int sim_set_reading_lexicon(Sim *s, const struct Lexicon *lex);

/* Advances one tick with these inputs (applied at the start of the tick, in order). */
void sim_tick(Sim *s, const SimInput *inputs, int n_inputs);

uint64_t sim_tick_count(const Sim *s);
double sim_time_ms(const Sim *s);
uint64_t sim_seed(const Sim *s);
/* Glimpses so far: every retina sample (the first look at creation included). Every sample
 * reaches a decision (saliency: where to look; centring: where to land; the classifier: what
 * is there), so this is what the experiments count. */
int sim_glimpse_count(const Sim *s);
const SimConfig *sim_config(const Sim *s);
int sim_auto(const Sim *s);
uint64_t sim_state_hash(const Sim *s);

/* Fixation log: all fixations so far (the last may be open); sim_fixation(i) for
 * 0 <= i < sim_fixation_count(). Its capacity, SIM_MAX_FIXATIONS records, is allocated when
 * the sim is created (pages are touched only as the log fills), so no tick ever allocates.
 * A saccade takes at least 3 ticks, so the log holds at least 8.7 simulated hours at 10 ms
 * ticks even when every saccade is commanded (about 3 days at the default fixation times);
 * past it, fixations are still simulated but no longer logged (deterministically). */
#define SIM_MAX_FIXATIONS (1 << 20)
int sim_fixation_count(const Sim *s);
const SimFixation *sim_fixation(const Sim *s, int i);
/* Replay seeks: writes records 0..n-1 of the log from a copy of it made by a run of this sim
 * that went further (the player's first pass); n is cut to sim_fixation_count() - 1, so the
 * last record (the keyframe's own) is never touched. Loading a keyframe restores only its last
 * record, which may overwrite a finished record with the same fixation still open; a later
 * seek further on would show it open (issue 21). Not state: the hash does not cover it. */
void sim_fixations_restore(Sim *s, const SimFixation *log, int n);
/* Set by the tick that closed a fixation (index), else -1: for recorders. */
int sim_fixation_closed_this_tick(const Sim *s);

/* The read of an object, one rule for `run`, the window and the experiments' answer: the first
 * read the eye believed (SimFixation.sure), else the most confident read that is not "nothing"
 * ("nothing" says that no object is centred, not what this one is). Fold the fixations on an
 * object into a SimRead in log order; start from {-1, 0, 0, -1}. */
typedef struct SimRead {
    int label;        /* class index, -1 while the object has no read */
    float confidence; /* its probability */
    int sure;         /* 1: the eye believed it */
    int fixation;     /* index of the fixation it was read at */
} SimRead;
void sim_read_update(const Sim *s, int fixation, SimRead *r);

/* Read-only views for the window and tests. */
const Scene *sim_scene(const Sim *s);
const Retina *sim_retina(const Sim *s);
const V1 *sim_v1(const Sim *s);
const Saliency *sim_saliency(const Sim *s);
const Eye *sim_eye(const Sim *s);
/* The eye's object files (sim/sim_objects.h): SIM_OBJ_FILES records, unused ones with kind
 * SIM_OBJ_FREE. For the window and tests. */
struct SimObjectFile;
const struct SimObjectFile *sim_object_files(const Sim *s);
/* Last classification (probabilities, n_classes), or NULL if none yet; *fixation (may be NULL)
 * gets the index of the fixation it was read at, which is not the open one until the eye has
 * settled there and read it. */
const float *sim_class_probs(const Sim *s, int *n_classes, int *fixation);
const SimClassifier *sim_classifier(const Sim *s);

/* Keyframes for replay seek: the complete dynamic state (not the world image, which is
 * re-rendered). A keyframe may come from a file, so sim_state_load checks every field
 * against this sim (counts against capacities, indices in range, floats finite and within
 * their physical range, enums and flags in range) before changing anything, and returns 0,
 * or -1 with sc_last_error() when the buffer does not fit this sim. */
size_t sim_state_size(const Sim *s);
void sim_state_save(const Sim *s, void *buf);
int sim_state_load(Sim *s, const void *buf, size_t n);

/* Fills V1's per-direction motion maps (v1_set_direction_maps) for display; they are not
 * simulation state and change nothing the tick computes. */
void sim_set_motion_directions(Sim *s, int on);

#endif
