/* fuzz.h: what the fuzz harnesses share with their seed writer (tests/fuzz/fuzz_seeds.c). */
#ifndef SACCADE_TESTS_FUZZ_H
#define SACCADE_TESTS_FUZZ_H

#include "sim/sim.h"

/* The run-file harness loads start states into one small sim: a blank world of this size,
 * ticked this many times. A start state of its size in a run file reaches sim_state_load. */
#define FUZZ_WORLD_W 128
#define FUZZ_WORLD_H 96
#define FUZZ_WORLD_TICKS 40
Sim *fuzz_keyframe_sim(void);

#endif
