/* claim.h: what the window says about the claim: the classifier's accuracy against the
 * offset of an object from the gaze (read from a file beside the model), and the score of
 * what the eye has read so far against the scene's ground truth.
 *
 * The curve file is <weights without extension>.ecc.csv beside the model (for
 * assets/models/mnist.wts: assets/models/mnist.ecc.csv), written by `saccade eval
 * eccentricity`: a header line `offset_px,still,saccades`, then one row per offset in px
 * (ascending), accuracies as fractions 0..1 with the eye held still and with saccades.
 */
#ifndef SACCADE_UI_CLAIM_H
#define SACCADE_UI_CLAIM_H

#include <stddef.h>

#include "sim/sim.h"

#define ECC_MAX_ROWS 64
#define ECC_RELIABLE 0.9f /* "reads reliably": still-eye accuracy at least this */

typedef struct EccCurve {
    int n; /* rows; 0 = no curve for this model */
    float offset_px[ECC_MAX_ROWS], still[ECC_MAX_ROWS], saccades[ECC_MAX_ROWS];
    char path[1024]; /* the file it was read from (or looked for) */
} EccCurve;

/* Reads the curve that belongs to a weights file. Returns 1 when read, 0 when there is no
 * such file (c->n = 0), -1 with sc_last_error() set when it exists but is malformed. */
int ecc_curve_load(EccCurve *c, const char *weights_path);
/* Largest offset (px) whose still-eye accuracy is >= ECC_RELIABLE, with every smaller offset
 * also reliable; -1 when there is no curve or offset 0 is already below it. */
float ecc_curve_reliable_px(const EccCurve *c);

/* The score of the reading so far. An object is read once a fixation within 1 deg of its centre
 * (SimFixation.object) read something other than "nothing"; its reading follows
 * sim_read_update (the first read the eye believed, else the most confident one). */
typedef struct ReadScore {
    int objects;          /* objects in the scene */
    int labelled;         /* of them with a ground-truth label */
    int read;             /* objects read */
    int correct;          /* read, labelled, and the reading matches the label */
    int wrong;            /* read, labelled, and it does not */
    double mean_glimpses; /* fixations on an object up to its first reading, mean over read;
                           * reading mode: fixations on the page per word read */
    double mean_ms;       /* time on the object (fixation time) up to its first reading, mean;
                           * reading mode: fixation time on the page per word read */
} ReadScore;

/* Per object (index as in scene_objects): the class index of its reading and its
 * confidence, or label -1 when not read; verdict 1 correct, 0 wrong, -1 no ground truth. */
typedef struct ObjectRead {
    int label;
    float confidence;
    int verdict;
} ObjectRead;

/* Scores the sim's fixation log. reads (may be NULL) gets one entry per object (up to cap). */
void read_score(const Sim *s, ReadScore *score, ObjectRead *reads, int cap);
/* A word read wrong as the window's tag shows it: its wrong letters in brackets when it has the
 * truth's length ("[I]iniment" for "liniment": I and l look alike in most sans faces, the
 * window's too), else as read; cut to fit n bytes (n >= 1). */
void read_mark_wrong_letters(const char *read, const char *truth, char *out, size_t n);
/* 1 when a class name is the ground-truth label (case-sensitive; "nothing" never is). */
int read_label_matches(const char *class_name, const char *truth);

/* Offset (px) of the gaze from the nearest object's centre, or -1 without objects; in reading mode
 * from the nearest letter's (sim_reading_letter_offset). */
float read_gaze_offset_px(const Sim *s);

#endif
