/* fuzz_runfile: libFuzzer harness for the run file reader (runfile_parse) and the keyframe
 * loader (sim_state_load).
 * Built by meson when clang is found (`ninja -C BUILD fuzz`, or tests/fuzz/run.sh); its corpus
 * and crash reproducers are replayed by `meson test` through tests/fuzz/replay_main.c. A read
 * either fails with a one-line message or gives a RunFile whose counts are consistent; a start
 * state of the size of the harness's sim (a small blank world, see fuzz_keyframe_sim) is loaded
 * into it, which must fail with a message and leave the sim as it was, or tick on. Anything
 * else aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "record/record.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

Sim *fuzz_keyframe_sim(void)
{
    static Sim *sim;
    if (!sim) {
        SimConfig c;
        sim_config_default(&c);
        SceneSpec spec;
        memset(&spec, 0, sizeof spec);
        spec.kind = SCENE_BLANK;
        spec.width = FUZZ_WORLD_W;
        spec.height = FUZZ_WORLD_H;
        sim = sim_create(&c, &spec, 1);
        if (!sim)
            abort();
        for (int i = 0; i < FUZZ_WORLD_TICKS; i++)
            sim_tick(sim, NULL, 0);
    }
    return sim;
}

static void check_keyframe(const RunFile *rf)
{
    Sim *sim = fuzz_keyframe_sim();
    static uint8_t *pristine;
    size_t n = sim_state_size(sim);
    if (!pristine) {
        pristine = malloc(n);
        if (!pristine)
            abort();
        sim_state_save(sim, pristine);
    }
    if (rf->header.state_size != n)
        return;
    uint64_t before = sim_state_hash(sim);
    if (sim_state_load(sim, rf->header.start_state, n) < 0) {
        const char *msg = sc_last_error();
        if (!msg[0] || strchr(msg, '\n') || sim_state_hash(sim) != before)
            abort();
        return;
    }
    for (int i = 0; i < 3; i++)
        sim_tick(sim, NULL, 0);
    if (sim_fixation_count(sim) < 1 || sim_fixation_count(sim) > SIM_MAX_FIXATIONS)
        abort();
    if (sim_state_load(sim, pristine, n) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    RunFile *rf = runfile_parse(data, size, "fuzz.run");
    if (!rf) {
        const char *msg = sc_last_error();
        if (!msg || !msg[0] || strchr(msg, '\n'))
            abort();
        return 0;
    }
    size_t nf = 0, nh = 0;
    uint64_t prev = rf->header.start_tick;
    if (rf->end_tick - rf->header.start_tick > RUN_MAX_TICKS)
        abort();
    for (size_t i = 0; i < rf->n_events; i++) {
        const RunEvent *e = &rf->events[i];
        if (e->tick < prev || e->tick > rf->end_tick)
            abort();
        prev = e->tick;
        nf += e->type == RUN_EV_FIXATION;
        nh += e->type == RUN_EV_STATE_HASH;
    }
    if (nf != rf->n_fixations || nh != rf->n_hashes)
        abort();
    /* memory is bounded by the input's size (RunEvent per inflated event) */
    if (rf->n_events * 11 > (uint64_t)size * RUN_MAX_INFLATE_RATIO + RUN_MAX_CHUNK_PAYLOAD)
        abort();
    for (size_t i = 0; i < nf; i++)
        if (!runfile_fixation(rf, i) || strlen(runfile_fixation(rf, i)->label_name) > RUN_LABEL_MAX)
            abort();
    if (strlen(rf->header.scene.path) >= sizeof rf->header.scene.path)
        abort();
    if (strchr(rf->torn_note, '\n') || rf->torn_at > size || (rf->torn_at && !rf->torn_note[0]))
        abort();
    check_keyframe(rf);
    runfile_free(&rf);
    return 0;
}
