/* eye.h: the oculomotor model.
 *
 * Fixations end after a duration drawn from a gamma distribution (or early, when the caller
 * says the classifier is sure); the next target is the winner-take-all of the priority map
 * with a cost for large jumps. Saccades follow the main sequence:
 *     duration_ms = sacc_base_ms + sacc_slope_ms_per_deg * amplitude_deg
 * with a minimum-jerk position profile (peak velocity = 1.875 * amplitude / duration). The
 * landing point misses the target by a Gaussian error growing with amplitude (with a small
 * undershoot bias); a landing error above corrective_min_deg triggers a corrective saccade
 * after a short latency. Vision is suppressed during the flight and suppression_post_ms after.
 * Positions are analytic functions of time, so timing is exact to the millisecond.
 * The Eye is a plain struct: copying it snapshots it.
 */
#ifndef SACCADE_EYE_H
#define SACCADE_EYE_H

#include <stdint.h>

#include "core/image.h"
#include "core/rng.h"
#include "retina/retina.h"

typedef struct EyeParams {
    float px_per_deg;            /* world px per degree (default 32) */
    float fix_mean_ms;           /* mean fixation duration (default 250) */
    float fix_shape;             /* gamma shape (default 6) */
    float fix_min_ms;            /* shortest fixation (default 100) */
    float sacc_base_ms;          /* main sequence intercept (default 21) */
    float sacc_slope_ms_per_deg; /* main sequence slope (default 2.2) */
    float land_sd_frac;          /* landing error sd / amplitude (default 0.07) */
    float land_sd_min_deg;       /* landing error sd floor (default 0.03) */
    float undershoot_frac;       /* mean undershoot / amplitude (default 0.05) */
    float corrective_min_deg;    /* landing error that triggers a corrective saccade (0.5) */
    float corrective_latency_ms; /* fixation before a corrective saccade (default 120) */
    float suppression_post_ms;   /* suppression after landing (default 30) */
    float jump_cost_per_deg;     /* priority *= 1 / (1 + cost * amplitude_deg) (default 0.03) */
    float min_amplitude_deg;     /* targets closer than this are not worth a saccade (0.3) */
    float min_priority;          /* below this the map has nothing worth a look (1e-3) */
    float centre_min_deg;        /* foveal centring: offsets below this are left (0.05) */
    float centre_max_deg;        /* foveal centring: offsets above this are not trusted (1.0) */
    int centre_max_steps;        /* foveal centring: corrective steps per target (2) */
    float nothing_near_deg;      /* a sure "nothing" read with the object centre this close
                                  * to the gaze is not centred: there is nothing to read (the
                                  * classifier's "nothing" examples start 5 px off-centre;
                                  * default 0.125 = 4 px) */
} EyeParams;

void eye_params_default(EyeParams *p);
/* Main sequence: saccade duration (ms) and peak velocity (deg/s) for an amplitude (deg). */
float eye_saccade_duration_ms(const EyeParams *p, float amplitude_deg);
float eye_peak_velocity_deg_s(const EyeParams *p, float amplitude_deg);

typedef enum EyePhase { EYE_FIXATING = 0, EYE_SACCADE = 1 } EyePhase;

typedef struct Eye {
    EyeParams p;
    EyePhase phase;
    float x, y;               /* current gaze, world px */
    int world_w, world_h;
    /* saccade in flight */
    float from_x, from_y, to_x, to_y; /* start and landing point, px */
    float aim_x, aim_y;       /* intended target, px */
    double sacc_start_ms, sacc_dur_ms;
    int sacc_manual;          /* 1 when commanded, not chosen by the map */
    int sacc_corrective;      /* 1 for a corrective saccade */
    /* current fixation */
    double fix_start_ms, fix_end_ms; /* planned end; may be cut early */
    int corrective_pending;   /* a corrective saccade is due at fix_end_ms */
    int manual_pending;       /* a commanded saccade waits for the one in flight */
    float manual_x, manual_y;
    /* last completed saccade (for the fixation record) */
    float last_amp_deg, last_dur_ms, last_peak_vel;
    /* a planned target for the next saccade (eye_plan_saccade), used instead of the map */
    int plan_pending;
    float plan_x, plan_y;
} Eye;

/* Starts fixating at (x, y) at time t_ms; draws the first fixation duration from rng. */
void eye_init(Eye *e, const EyeParams *p, int world_w, int world_h, float x, float y,
              double t_ms, Rng *rng);

/* Events reported by eye_step for the tick (t_ms - dt_ms, t_ms]. */
typedef enum EyeEvent {
    EYE_EV_NONE = 0,
    EYE_EV_SACCADE_START = 1 << 0, /* a fixation ended and a saccade began */
    EYE_EV_LANDED = 1 << 1,        /* a saccade ended: a new fixation began */
} EyeEvent;

/* Advances to time t_ms. When a fixation is over and auto is set, picks the next target from
 * priority (world grid, cell_px px per cell) by winner-take-all with the jump cost, or stays
 * (extends the fixation) if nothing is worth a look. With a view (the retina's last sample;
 * may be NULL), the saccade aims at the centre of the object at the winning cell as that
 * glimpse shows it (eye_object_centre; real saccades aim at the centre of gravity of what the
 * periphery sees), not at the cell. Returns EyeEvent flags. */
int eye_step(Eye *e, double t_ms, const Image *priority, int cell_px, int auto_mode,
             const Retina *view, Rng *rng);

/* The one rule for "where is the centre of the thing at (x, y)" (aiming and foveal centring):
 * on the finest retinal level of the view's last sample that holds (x, y) with a 14-sample
 * margin, the samples above 25% of the local contrast range (min over the level, max within
 * 14 px of the point) that are 4-connected to the ink sample nearest (x, y) (within 10 px),
 * within 24 px of the point; their centre of mass, weighted by contrast above the minimum.
 * Separate clutter does not pull it (no gaps are bridged). Reads only the retina (what the
 * current glimpse holds: no new sample). Returns 1 and the centre in world px, or 0 when the
 * view shows too little contrast there (range < 0.05) or no ink near the point. */
int eye_object_centre(const Retina *view, float x, float y, float *cx, float *cy);

/* Foveal centring: schedules a small corrective saccade to (x, y) (the centre of what lies on
 * the fovea, found by the caller), corrective_latency_ms after the fixation began. Ignored
 * during a saccade or when a manual command waits. */
void eye_refine(Eye *e, float x, float y, double t_ms);
/* Plans the next saccade: when this fixation ends (at its drawn time), the eye goes to (x, y)
 * (clamped to the world) instead of the priority map's winner; what a reader does when it
 * knows where to look next. A commanded or corrective saccade goes first; any saccade that
 * starts consumes the plan; eye_plan_saccade with NaN clears it. */
void eye_plan_saccade(Eye *e, float x, float y);
/* Ends the current fixation now (the classifier is sure). Ignored during a saccade. */
void eye_end_fixation(Eye *e, double t_ms);
/* Manual saccade to a world point, starting at t_ms (a saccade in flight finishes first and
 * the command retargets from where it lands). Clamped to the world. */
void eye_command_saccade(Eye *e, float x, float y, double t_ms, Rng *rng);
/* Gaze at time t within the current saccade or fixation (analytic). */
void eye_position_at(const Eye *e, double t_ms, float *x, float *y);
/* 1 while vision is suppressed (in flight, or within suppression_post_ms of landing). */
int eye_suppressed(const Eye *e, double t_ms);

#endif
