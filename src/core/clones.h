/* clones.h: per-CPU copies of the few hot, vectorisable loops.
 *
 * SC_CLONES on a function makes GCC compile it for AVX-512, AVX2 and the baseline and pick one
 * when the program starts (an ifunc). Only for loops whose floating-point results do not
 * depend on the vector width: elementwise arithmetic, and sums whose order the code spells
 * out. The build forbids fused multiply-add (-ffp-contract=off) and the compiler never
 * reorders a float sum without -ffast-math, so every copy gives the same bits (the trainer's
 * determinism test and the committed weights' hashes check this).
 */
#ifndef SACCADE_CORE_CLONES_H
#define SACCADE_CORE_CLONES_H

/* -DSC_NO_CLONES builds the baseline copy only (to check that it gives the same bits). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) &&       \
    !defined(SC_NO_CLONES)
#define SC_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SC_CLONES
#endif

#endif
