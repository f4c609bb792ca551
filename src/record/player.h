/* player.h: a recorded run as a seekable simulation, for the replay window.
 *
 * player_open() reads the run file (record.h), re-creates the Sim from its header (scene spec,
 * seed, config) and makes a first pass over the whole run, feeding the recorded inputs tick by
 * tick, checking every recorded state hash and keeping in-memory keyframes (sim_state_save)
 * every K ticks. K is chosen from the tick cost measured in that pass (keyframes are first
 * kept at a finer spacing estimated from a 100-tick probe, then thinned) so that a seek
 * (keyframe load + at most K-1 ticks) takes about params.seek_target_ms, and raised if the
 * keyframes would not fit in params.keyframe_budget_bytes. Opening therefore costs one
 * simulation of the whole run (a progress callback reports it); seeking is then fast.
 *
 * Time: tick t means "after t ticks" (sim_tick_count() == t). A player starts at the run's
 * first tick (0 for a run recorded from the start) and its last tick is player_length_ticks().
 * The wall clock is read only to measure tick cost for the keyframe spacing; it never enters
 * the simulation, so what is shown at tick t is bit-identical however it was reached.
 *
 * Ownership: the Player owns its Sim; player_sim() is a read-only view valid until the next
 * player_seek/player_step/player_close. Not thread-safe; one thread drives a Player.
 */
#ifndef SACCADE_PLAYER_H
#define SACCADE_PLAYER_H

#include <stddef.h>
#include <stdint.h>

#include "record/record.h"
#include "sim/sim.h"

typedef struct PlayerParams {
    /* The classifier to re-attach when the run was recorded with one (header model_hash != 0).
     * model_hash must be the hash of its weights; a mismatch refuses the run. NULL/0 when the
     * run has no classifier. Copied by player_open. */
    const SimClassifier *classifier;
    uint64_t model_hash;
    /* Seek budget: target time of one seek in ms (0 = 50 ms). */
    double seek_target_ms;
    /* Memory for keyframes in bytes (0 = 512 MiB). */
    size_t keyframe_budget_bytes;
    /* Scene or image file to replay on instead of the recorded path (NULL: the recorded one);
     * its content hash must match the recording (runfile_set_scene_path). */
    const char *scene_path;
    /* Called during the first pass every ~100 ticks (may be NULL); a run is at most
     * RUN_MAX_TICKS long. Returning nonzero cancels: player_open then fails ("cancelled"). */
    int (*progress)(void *user, uint64_t done_ticks, uint64_t total_ticks);
    void *user;
} PlayerParams;

typedef struct Player Player;

/* Opens and pre-plays the run. params may be NULL (defaults, no classifier). Returns NULL with
 * sc_last_error() set (unreadable/corrupt file, newer format, config or model mismatch, scene
 * cannot be built). A torn tail is not an error: see player_torn_note(). A state-hash mismatch
 * is not an error either (the run is still shown as this build plays it): see
 * player_diverged_tick(). */
Player *player_open(const char *path, const PlayerParams *params);
void player_close(Player **p);

/* The simulation at the current tick (read-only). */
const Sim *player_sim(const Player *p);
/* The parsed run file: header, events, fixations (see runfile/runfile.h). */
const RunFile *player_run(const Player *p);

uint64_t player_first_tick(const Player *p);   /* tick the recording starts at */
uint64_t player_length_ticks(const Player *p); /* last tick (inclusive) */
uint64_t player_tick(const Player *p);         /* current tick */
double player_tick_ms(const Player *p);        /* simulated ms per tick */

/* Moves to tick (clamped to [first, length]). Returns 0, or -1 with sc_last_error() set. */
int player_seek(Player *p, uint64_t tick);
/* One tick forward with the recorded inputs. Returns 0, 1 at the end (no step), or -1. */
int player_step(Player *p);

/* Fixations of the run (closed ones, in order), for timeline marks: start_ms/end_ms are
 * simulated ms; tick = start_ms / player_tick_ms(). */
int player_fixation_count(const Player *p);
const RunFixation *player_fixation(const Player *p, int i);

/* One-line note when the file's tail was torn (e.g. the recorder was killed), else NULL. */
const char *player_torn_note(const Player *p);
/* First tick whose recorded state hash differed in the first pass, or -1 if all matched. */
int64_t player_diverged_tick(const Player *p);

/* Keyframe figures, for reports and `saccade replay --bench-seek`. */
typedef struct PlayerStats {
    uint64_t keyframe_every_ticks;
    size_t keyframe_count;
    size_t keyframe_bytes; /* total memory held by keyframes */
    double tick_cost_ms;   /* measured mean cost of one tick in the first pass */
    double load_ms;        /* measured cost of loading one keyframe */
    double open_ms;        /* wall time of player_open */
} PlayerStats;
void player_stats(const Player *p, PlayerStats *out);

/* Per-stage timing of the ticks the player runs from now on (the replay window's HUD); the
 * profile must outlive the player or be removed with NULL. */
void player_set_profile(Player *p, SimProfile *prof);
/* sim_set_motion_directions on the player's sim (display only; not simulation state). */
void player_set_motion_directions(Player *p, int on);

/* Forward playback without a Player, for a window that shows a run while player_open prepares
 * it on another thread: the inputs recorded for tick into buf (cap entries, at least
 * player_max_inputs_per_tick); *cursor starts at 0 and advances. Returns the count. */
int player_max_inputs_per_tick(const RunFile *rf);
int player_inputs_at(const RunFile *rf, size_t *cursor, uint64_t tick, SimInput *buf, int cap);

#endif
