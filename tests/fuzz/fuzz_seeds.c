/* fuzz_seeds: writes the seed files that need the real code to make (done once; the files are
 * committed): a run file whose start state fits the run-file harness's sim, and small weights
 * files.   fuzz_seeds DIR_RUNFILE DIR_WEIGHTS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "core/log.h"
#include "record/record.h"
#include "tests/fuzz/fuzz.h"

static int write_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    int ok = f && fwrite(b, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int keyframe_run(const char *dir)
{
    Sim *sim = fuzz_keyframe_sim();
    RunHeader h;
    if (run_header_from_sim(&h, sim, 0) < 0)
        return -1;
    size_t cap = 4096 + 2 * (size_t)h.state_size;
    uint8_t *out = malloc(cap), payload[256], scratch[512];
    size_t n = run_header_encode(&h, RUN_FORMAT_VERSION, out, cap);
    RunEvent e;
    memset(&e, 0, sizeof e);
    e.type = RUN_EV_STATE_HASH;
    e.tick = h.start_tick;
    e.u.state_hash = sim_state_hash(sim);
    size_t pn = run_event_encode(&e, payload, sizeof payload);
    e.type = RUN_EV_END;
    e.tick = h.start_tick + 9;
    e.u.final_hash = 0;
    pn += run_event_encode(&e, payload + pn, sizeof payload - pn);
    n += run_chunk_encode(RUN_FORMAT_VERSION, h.start_tick, h.start_tick + 9, 2, payload, pn, 1,
                          scratch, out + n, cap - n);
    int rc = write_file(dir, "keyframe.run", out, n);
    free(out);
    free(h.start_state);
    return rc;
}

static int weights(const char *dir)
{
    static const char *const names[] = {"a", "b", "nothing"};
    const int sizes1[] = {784, 3}, sizes2[] = {784, 4, 3};
    Classifier *c1 =
        classifier_create_kind("tiny", CLASSIFIER_INPUT_PIXELS, 1, sizes1, names, 2, 1);
    Classifier *c2 =
        classifier_create_kind("tiny2", CLASSIFIER_INPUT_PIXELS, 2, sizes2, names, -1, 2);
    char p[4096];
    int rc = 0;
    snprintf(p, sizeof p, "%s/one-layer.wts", dir);
    rc |= !c1 || classifier_save(c1, p) < 0;
    snprintf(p, sizeof p, "%s/two-layers.wts", dir);
    rc |= !c2 || classifier_save(c2, p) < 0;
    classifier_destroy(&c1);
    classifier_destroy(&c2);
    return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_seeds DIR_RUNFILE DIR_WEIGHTS\n");
        return 2;
    }
    if (keyframe_run(argv[1]) < 0 || weights(argv[2]) < 0) {
        fprintf(stderr, "fuzz_seeds: %s\n", sc_last_error());
        return 1;
    }
    return 0;
}
