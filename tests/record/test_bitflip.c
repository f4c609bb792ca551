/* test_bitflip: the single-bit-flip sweep over the committed example runs (saved_runs/).
 *
 * Every bit of every file is flipped in turn and the copy read. A read is correct when it
 * fails with a one-line error, or when it is a torn-tail read of the last chunk only: the
 * ignored chunk is the file's last, starts at or before the flipped byte, and the read holds
 * exactly what the undamaged file holds before it (the same events as the original cut at
 * that byte offset). Nothing else is allowed:
 * no read that silently loses data, and no read that passes the damage as the original.
 *
 *   test_bitflip FILE...    (prints the counts per file)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/log.h"
#include "record/record.h"

static int same_events(const RunFile *a, const RunFile *b)
{
    if (a->n_events != b->n_events || a->n_chunks != b->n_chunks || a->end_tick != b->end_tick)
        return 0;
    for (size_t i = 0; i < a->n_events; i++)
        if (memcmp(&a->events[i], &b->events[i], sizeof a->events[i]))
            return 0;
    return 1;
}

static int sweep(const char *path)
{
    unsigned char *orig;
    size_t n;
    if (file_read_all(path, 1 << 24, &orig, &n) < 0) {
        fprintf(stderr, "FAIL %s\n", sc_last_error());
        return 1;
    }
    RunFile *good = runfile_parse(orig, n, path);
    if (!good || good->torn_note[0]) {
        fprintf(stderr, "FAIL %s: the committed file does not read cleanly\n", path);
        free(orig);
        runfile_free(&good);
        return 1;
    }
    unsigned char *m = malloc(n);
    long n_err = 0, n_torn = 0, bad = 0;
    size_t torn_lost_max = 0;
    for (size_t i = 0; i < n; i++) {
        for (int b = 0; b < 8; b++) {
            memcpy(m, orig, n);
            m[i] ^= (unsigned char)(1u << b);
            RunFile *rf = runfile_parse(m, n, "flipped.run");
            if (!rf) {
                const char *e = sc_last_error();
                if (!e[0] || strchr(e, '\n')) {
                    if (bad++ < 5)
                        fprintf(stderr, "FAIL %s: byte %zu bit %d: error is not one line\n", path,
                                i, b);
                }
                n_err++;
                continue;
            }
            /* torn only in the last chunk: what follows the damage is not silently dropped */
            int ok = rf->torn_note[0] && rf->torn_at > 0 && rf->torn_at <= i &&
                     rf->n_chunks + 1 == good->n_chunks;
            if (ok) {
                /* everything before the ignored chunk, exactly */
                RunFile *cut = runfile_parse(orig, rf->torn_at, "cut.run");
                ok = cut && same_events(rf, cut);
                runfile_free(&cut);
                if (n - rf->torn_at > torn_lost_max)
                    torn_lost_max = n - rf->torn_at;
            }
            if (!ok && bad++ < 5)
                fprintf(stderr,
                        "FAIL %s: byte %zu bit %d: read %s (%zu of %zu events, torn at "
                        "%zu)\n",
                        path, i, b, rf->torn_note[0] ? "a wrong torn tail" : "as if undamaged",
                        rf->n_events, good->n_events, rf->torn_at);
            n_torn += ok;
            runfile_free(&rf);
        }
    }
    printf("%s: %zu bytes, %zu flips: %ld errors, %ld torn-tail reads (last chunk only; at most "
           "%zu bytes from the end), %ld wrong\n",
           path, n, n * 8, n_err, n_torn, torn_lost_max, bad);
    free(m);
    free(orig);
    runfile_free(&good);
    return bad != 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= sweep(argv[i]);
    return rc;
}
