/* test_recorder_alloc: recorder_tick never allocates on the caller's thread (malloc and
 * friends are wrapped at link time and counted on this thread only; the writer thread's
 * deflate buffers are its own business), and what it wrote verifies.
 * Usage: test_recorder_alloc TMPDIR */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/log.h"
#include "record/record.h"
#include "test.h"

static _Thread_local int counting;
static _Thread_local long allocations;
void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n)
{
    allocations += counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t a, size_t b)
{
    allocations += counting;
    return __real_calloc(a, b);
}
void *__wrap_realloc(void *p, size_t n)
{
    allocations += counting;
    return __real_realloc(p, n);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    mkdir(argv[1], 0777);
    char path[1024];
    snprintf(path, sizeof path, "%s/alloc.run", argv[1]);
    SceneSpec spec;
    SimConfig cfg;
    sim_config_default(&cfg);
    CHECK(scene_spec_parse(&spec, "motion") == 0);
    Sim *sim = sim_create(&cfg, &spec, 11);
    CHECKF(sim, "%s", sc_last_error());
    if (!sim)
        return TEST_DONE();
    Recorder *r = recorder_open(path, sim, 0);
    CHECKF(r, "%s", sc_last_error());
    long ticks_with_alloc = 0;
    for (int t = 1; r && t <= 1500; t++) {
        /* many inputs in some ticks, to cross chunk boundaries by size too */
        SimInput in[40];
        int n = (t % 50 == 0) ? 40 : (t % 7 == 0);
        for (int i = 0; i < n; i++)
            in[i] = (SimInput){SIM_INPUT_SACCADE_BY_DEG, (float)(i % 5) - 2.0f, 0.5f};
        sim_tick(sim, in, n);
        long before = allocations;
        counting = 1;
        int rc = recorder_tick(r, sim, in, n);
        counting = 0;
        CHECK(rc == 0);
        ticks_with_alloc += allocations != before;
    }
    CHECKF(ticks_with_alloc == 0, "%ld ticks allocated in recorder_tick", ticks_with_alloc);
    CHECK(recorder_finish(r, sim) == 0);
    CHECK(recorder_close(&r) == 0 && r == NULL);
    sim_destroy(&sim);
    RunFile *rf = runfile_read(path);
    CHECKF(rf, "%s", sc_last_error());
    if (rf) {
        ReplayReport rep;
        CHECK(record_verify(rf, NULL, 0, &rep) == 0 && rep.ticks == 1500);
        runfile_free(&rf);
    }
    return TEST_DONE();
}
