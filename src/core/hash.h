/* hash.h: FNV-1a 64-bit hashing for state hashes (not cryptographic; detects divergence). */
#ifndef SACCADE_CORE_HASH_H
#define SACCADE_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash64_init(void)
{
    return 0xcbf29ce484222325ull;
}

static inline uint64_t hash64_update(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t hash64_u64(uint64_t h, uint64_t v)
{
    return hash64_update(h, &v, sizeof v);
}
static inline uint64_t hash64_f64(uint64_t h, double v)
{
    return hash64_update(h, &v, sizeof v);
}

#endif
