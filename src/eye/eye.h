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
 *
 * Smooth pursuit (pursuit = 1): each tick the caller reports the retinal slip at the fovea (from
 * V1's motion signal, v1_foveal_shift, never the scene's ground truth) and the position error
 * (the object's centre on the current glimpse, eye_object_centre) with eye_observe. The eye
 * keeps these as target-velocity estimates (its own smooth velocity + slip, an efference copy)
 * and acts on the one pursuit_latency_ms old: pursuit engages above pursuit_engage_deg_s, and
 * the smooth eye velocity relaxes (time constant pursuit_tau_ms) towards gain(v) * v, with
 * gain(v) = pursuit_gain up to pursuit_sat_deg_s and pursuit_gain * sqrt(sat / v) beyond. It
 * ends when the estimate falls below pursuit_release_deg_s (the target stopped) or nothing has
 * been near the fovea for EYE_PURSUIT_LOST_TICKS observations (the target left); the velocity
 * then decays to zero. Catch-up saccades (de Brouwer
 * et al. 2002): while pursuing (or while the fixated object slips faster than
 * pursuit_engage_deg_s), a position error above catchup_min_deg whose eye-crossing time
 * (error / closing slip) is outside catchup_txe_min_ms..catchup_txe_max_ms triggers a corrective
 * saccade. Saccades made while pursuing (catch-up, centring) aim where the target will be at
 * landing (its estimated velocity times the time since the glimpse plus the flight) and add to
 * the smooth movement, which continues through them at a constant velocity; any other saccade
 * ends pursuit. Within a tick the smooth velocity is constant, so the gaze is an exact
 * piecewise-linear function of time (eye_position_at). While pursuing, a fixation does not end
 * by its drawn duration, only when the classifier is sure or the object is not worth tracking
 * (eye_end_fixation: no catch-up saccade follows), pursuit ends, or EYE_PURSUIT_HOLD_MS have
 * passed (a pursued blob is let go).
 */
#ifndef SACCADE_EYE_H
#define SACCADE_EYE_H

#include <stdint.h>

#include "core/image.h"
#include "core/rng.h"
#include "retina/retina.h"

/* The mean fixation durations a user or a run file may set: (0, max]. */
#define EYE_FIX_MEAN_MAX_MS 600000.0f

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
    /* smooth pursuit (see above) */
    int pursuit;                 /* 1 on (default), 0: saccades only */
    float pursuit_latency_ms;    /* slip to eye acceleration (default 100) */
    float pursuit_tau_ms;        /* eye velocity time constant (default 40) */
    float pursuit_gain;          /* steady-state gain (default 0.9) */
    float pursuit_sat_deg_s;     /* gain falls above this target speed (default 30) */
    float pursuit_engage_deg_s;  /* target speed that starts pursuit (default 2) */
    float pursuit_release_deg_s; /* target speed below which it ends (default 1) */
    float catchup_min_deg;       /* smallest position error worth a catch-up saccade (0.3) */
    float catchup_txe_min_ms, catchup_txe_max_ms; /* smooth zone of eye crossing times (40, 180) */
    float catchup_interval_ms; /* least time from a landing to a catch-up saccade (100) */
} EyeParams;

void eye_params_default(EyeParams *p);
/* Main sequence: saccade duration (ms) and peak velocity (deg/s) for an amplitude (deg). */
float eye_saccade_duration_ms(const EyeParams *p, float amplitude_deg);
float eye_peak_velocity_deg_s(const EyeParams *p, float amplitude_deg);

typedef enum EyePhase { EYE_FIXATING = 0, EYE_SACCADE = 1 } EyePhase;

/* One slip observation (eye_observe), as a target-velocity estimate. No padding: the Eye is
 * hashed as bytes. */
typedef struct EyeSlipObs {
    double t_ms;       /* tick it was made at */
    float tvx, tvy;    /* target velocity estimate, deg/s: smooth eye velocity + slip */
    int32_t signal;    /* 1 when V1 had a motion signal at the fovea */
    int32_t on_object; /* 1 when an object was on the fovea */
} EyeSlipObs;

#define EYE_PURSUIT_HOLD_MS 1500.0 /* longest fixation pursuit holds past its drawn end */
#define EYE_PURSUIT_LOST_TICKS 10  /* observations without the object before pursuit ends */
#define EYE_SLIP_HISTORY 64        /* observations kept: the latency must fit (64 ticks) */

typedef struct Eye {
    EyeParams p;
    EyePhase phase;
    float x, y; /* current gaze, world px */
    int world_w, world_h;
    /* saccade in flight */
    float from_x, from_y, to_x, to_y; /* start and landing point, px */
    float aim_x, aim_y;               /* intended target, px */
    double sacc_start_ms, sacc_dur_ms;
    int sacc_manual;     /* 1 when commanded, not chosen by the map */
    int sacc_corrective; /* 1 for a corrective saccade */
    /* current fixation */
    double fix_start_ms, fix_end_ms; /* planned end; may be cut early */
    int corrective_pending;          /* a corrective saccade is due at fix_end_ms */
    int manual_pending;              /* a commanded saccade waits for the one in flight */
    float manual_x, manual_y;
    /* last completed saccade (for the fixation record) */
    float last_amp_deg, last_dur_ms, last_peak_vel;
    /* a planned target for the next saccade (eye_plan_saccade), used instead of the map */
    int plan_pending;
    float plan_x, plan_y;
    /* smooth pursuit */
    int pursuing;             /* engaged */
    int end_requested;        /* eye_end_fixation was called for this fixation */
    float pv_x, pv_y;         /* smooth eye velocity, px per ms (held during a saccade) */
    float anchor_x, anchor_y; /* fixating: gaze(t) = anchor + pv * (t - anchor_ms) */
    double anchor_ms;
    double aim_ms;    /* time of the glimpse the corrective aim was read from */
    float tv_x, tv_y; /* target velocity estimate pursuit acts on, deg/s */
    int32_t obs_head, obs_count;
    int32_t lost_ticks;               /* consecutive acted-on observations with no object near */
    EyeSlipObs obs[EYE_SLIP_HISTORY]; /* ring, newest at obs_head - 1 */
} Eye;

/* Starts fixating at (x, y) at time t_ms; draws the first fixation duration from rng. */
void eye_init(Eye *e, const EyeParams *p, int world_w, int world_h, float x, float y, double t_ms,
              Rng *rng);

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

/* The same rule with a wider reach, for pursuit's position error: ink (above 60% of the local
 * contrast range) within 48 px (1.5 deg) of the point, contrast range within 62 px, the object
 * within 72 px, on level 1 or coarser. */
int eye_object_near(const Retina *view, float x, float y, float *cx, float *cy);

/* Foveal centring: schedules a small corrective saccade to (x, y) (the centre of what lies on
 * the fovea, found by the caller), corrective_latency_ms after the fixation began. Ignored
 * during a saccade or when a manual command waits. */
void eye_refine(Eye *e, float x, float y, double t_ms);
/* Plans the next saccade: when this fixation ends (at its drawn time), the eye goes to (x, y)
 * (clamped to the world) instead of the priority map's winner; what a reader does when it
 * knows where to look next. A commanded or corrective saccade goes first; any saccade that
 * starts consumes the plan; eye_plan_saccade with NaN clears it. */
void eye_plan_saccade(Eye *e, float x, float y);
/* Ends the current fixation now (the classifier is sure, or what is pursued is not worth
 * tracking): from then on the fixation makes no catch-up saccade, so the next saccade comes
 * from the map (or a plan) and ends pursuit. Ignored during a saccade or with a corrective or
 * commanded saccade pending. */
void eye_end_fixation(Eye *e, double t_ms);
/* Manual saccade to a world point, starting at t_ms (a saccade in flight finishes first and
 * the command retargets from where it lands). Clamped to the world. */
void eye_command_saccade(Eye *e, float x, float y, double t_ms, Rng *rng);
/* Smooth pursuit input for the tick that ended at t_ms (call after eye_step and the retina
 * sample of that tick): signal = V1 had a foveal motion signal, slip_x/y its retinal slip in
 * deg/s (x right, y down); on_object = an object is on the fovea, with its centre at pe_x/y
 * world px from the gaze (the position error). May schedule a catch-up saccade. Does nothing
 * with pursuit off. */
void eye_observe(Eye *e, double t_ms, int signal, float slip_x, float slip_y, int on_object,
                 float pe_x, float pe_y);
/* Smooth eye velocity, deg/s (0 when not pursuing and settled). */
void eye_velocity_deg_s(const Eye *e, float *vx, float *vy);
/* Gaze at time t within the current saccade or fixation (analytic). */
void eye_position_at(const Eye *e, double t_ms, float *x, float *y);
/* 1 while vision is suppressed (in flight, or within suppression_post_ms of landing). */
int eye_suppressed(const Eye *e, double t_ms);

#endif
