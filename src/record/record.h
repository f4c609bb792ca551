/* record.h: recording a Sim to a run file and replaying one (the format itself is
 * runfile/runfile.h, the layer below the simulation: layout, reader, encoders, export).
 */
#ifndef SACCADE_RECORD_H
#define SACCADE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runfile/runfile.h"
#include "sim/sim.h"

/* The file's input codes are SimInputType's (runfile.h, RunInput). */
_Static_assert(SIM_INPUT_SACCADE_BY_DEG == 1 && SIM_INPUT_SACCADE_TO_PX == 2 &&
                   SIM_INPUT_SET_AUTO == 3,
               "run files store SimInputType's codes");

/* Fills a header from a live sim (scene, seed, config, world size; model hash as given). When
 * the sim has already ticked, start_tick and start_state (malloc'd, caller frees) are set.
 * Returns 0 or -1. */
int run_header_from_sim(RunHeader *h, const Sim *sim, uint64_t model_hash);

/* ---- Recorder: records a live Sim to a file, I/O on a writer thread ---- */

typedef struct Recorder Recorder;

/* Opens path (output_open_locked: a regular file or absent, never a device, FIFO or symbolic
 * link, not the scene file, its folder must exist; an exclusive lock makes a second writer
 * fail at once), truncates it and starts recording sim from its current tick (a sim that has
 * already run is recorded from a keyframe of its state). model_hash: classifier weights hash,
 * 0 if none. The header is written and flushed by the writer thread. Returns NULL with
 * sc_last_error() set. */
Recorder *recorder_open(const char *path, const Sim *sim, uint64_t model_hash);
/* Call right AFTER each sim_tick(sim, inputs, n) with the same inputs. Copies inputs, state
 * hashes and the fixation closed this tick into a preallocated chunk buffer; hands full chunks
 * to the writer thread at least once per simulated second. No allocation, no I/O, never waits
 * for the disk. Returns 0, or -1 (sc_last_error) when the writer failed or fell behind by more
 * than the ring holds (then the recording is broken: close it). */
int recorder_tick(Recorder *r, const Sim *sim, const SimInput *inputs, int n);
/* For callers with no real-time constraint (`saccade run`): when the writer thread is more
 * than the ring behind, recorder_tick waits for it instead of failing. Off by default (the
 * window must never wait for the disk). */
void recorder_wait_for_disk(Recorder *r, int wait);
/* Optional (recommended), just before recorder_close with the same sim: records the fixation
 * still open at the last tick (end_ms < 0; export ends it at the end of the run, as `saccade
 * run --json` does) and a state hash for the last tick, so replay also checks the tail after
 * the last periodic hash; the END event then carries it too. Returns 0 or -1. */
int recorder_finish(Recorder *r, const Sim *sim);
/* Last tick written and fflushed to the file by the writer thread (for tests and HUDs). */
uint64_t recorder_flushed_tick(const Recorder *r);
/* Writes the final chunk with the END event (final hash, or 0 when the last tick was not
 * hashed), joins the writer, closes the file and frees *r
 * (sets it NULL). Returns 0, or -1 if any write failed. Safe on NULL. */
int recorder_close(Recorder **r);

/* "saved_runs/YYYYmmdd-HHMMSS-SCENE.run" (wall clock: it is a filename, not simulation
 * state); SCENE is scene's basename without extension, restricted to [A-Za-z0-9_-]. Returns
 * buf, or NULL if it does not fit. */
char *record_default_name(char *buf, size_t n, const char *scene);

/* ---- Replay check ---- */

/* Builds the Sim a run was recorded on: config from this build's defaults plus the header's
 * fields (config hash must then match), scene from its spec (scene_create_recorded: a scene
 * or image file is opened only if it is a regular file, and its bytes must have the recorded
 * content hash before anything parses them), seed,
 * start state; classifier attached when the run has one (cls with weights hash model_hash
 * required then). Returns NULL with sc_last_error() naming the mismatch. */
Sim *record_sim_create(const RunFile *rf, const SimClassifier *cls, uint64_t model_hash);

typedef struct ReplayReport {
    uint64_t ticks;          /* ticks simulated */
    uint64_t hashes_checked; /* state hashes compared (all matched unless diverged) */
    int64_t diverged_tick;   /* first tick whose hash differed, or -1 */
    uint64_t last_good_tick; /* last tick whose hash matched */
    int fixation_mismatch;   /* the divergence was seen in a fixation record, not a hash */
} ReplayReport;

/* Re-simulates the whole run headless and compares every state hash. Returns 0 when all
 * matched, 1 on divergence (report filled), -1 on error; a run with no state hash to compare
 * is an error ("nothing to verify"), never a success. */
int record_verify(const RunFile *rf, const SimClassifier *cls, uint64_t model_hash,
                  ReplayReport *out);

#endif
