/* replay_private.h: helpers shared by replay.c and player.c (not a public contract). */
#ifndef SACCADE_RECORD_REPLAY_PRIVATE_H
#define SACCADE_RECORD_REPLAY_PRIVATE_H

#include "record/record.h"

/* Index of the first event with tick >= tick (binary search; events are tick-ordered). */
size_t replay_first_event(const RunFile *rf, uint64_t tick);
/* Largest number of input events recorded for one tick. */
int replay_max_inputs_per_tick(const RunFile *rf);
/* Inputs recorded for tick into buf (replay_max_inputs_per_tick entries); *cursor is an event
 * index at or before the tick's first event and is advanced past it. Returns the count. */
int replay_inputs_at(const RunFile *rf, size_t *cursor, uint64_t tick, SimInput *buf);
/* Compares the sim after `tick` ticks with the hashes and fixation recorded at that tick.
 * Returns 1 on a mismatch (*what: 0 hash, 1 fixation), else 0; counts hashes compared. */
int replay_check_tick(const RunFile *rf, size_t *cursor, const Sim *sim, uint64_t tick,
                      uint64_t *hashes, int *what);

#endif
