/* run_forge.h: what the hostile-input tests (test_hostile, test_hostile2) share: writing
 * crafted run files (raw bytes, and a run on a given header with one chunk holding only an END
 * event, no state hash) and running a shell command with its output captured. Header-only:
 * every function is static inline. */
#ifndef SACCADE_TESTS_RUN_FORGE_H
#define SACCADE_TESTS_RUN_FORGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "record/record.h"

/* Runs cmd through the shell; what it prints lands in out (cap bytes, NUL-terminated).
 * Returns its exit code, -1 when it was killed by a signal or could not start. */
static inline int run_capture(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, cap - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static inline int write_bytes(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(b, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* A run on the header of a real recording (so config and scene fit this build), with one
 * chunk from its start tick to end_tick holding only an END event (no state hash). */
static inline int write_run(const char *path, const RunHeader *h, uint64_t end_tick)
{
    size_t cap = 65536 + 2 * (size_t)h->state_size;
    uint8_t *b = malloc(cap), payload[64], scratch[256];
    if (!b)
        return -1;
    size_t n = run_header_encode(h, RUN_FORMAT_VERSION, b, cap);
    RunEvent e;
    memset(&e, 0, sizeof e);
    e.type = RUN_EV_END;
    e.tick = end_tick;
    size_t pn = run_event_encode(&e, payload, sizeof payload);
    n += run_chunk_encode(RUN_FORMAT_VERSION, h->start_tick, end_tick, 1, payload, pn, 0, scratch,
                          b + n, cap - n);
    int rc = n ? write_bytes(path, b, n) : -1;
    free(b);
    return rc;
}

#endif
