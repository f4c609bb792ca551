/* rng.h: the only random source of the simulation (xoshiro256**, seeded by splitmix64).
 *
 * Every draw is a pure function of the seed and the number of draws before it, so a run is
 * reproducible bit for bit. The state is a plain struct: copy it to snapshot it.
 */
#ifndef SACCADE_CORE_RNG_H
#define SACCADE_CORE_RNG_H

#include <stdint.h>

typedef struct Rng {
    uint64_t s[4];
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_u64(Rng *r);
/* Uniform in [0, 1), 53 bits. */
double rng_uniform(Rng *r);
/* Uniform integer in [0, n); n > 0. */
uint32_t rng_below(Rng *r, uint32_t n);
/* Standard normal (Box-Muller, no cached spare, so the draw count is fixed: two uniforms). */
double rng_normal(Rng *r);
/* Gamma(shape k > 0, scale theta > 0): Marsaglia-Tsang; mean k*theta. */
double rng_gamma(Rng *r, double k, double theta);
/* Independent child stream derived from this one's seed material and a tag. */
void rng_fork(const Rng *parent, uint64_t tag, Rng *child);

#endif
