/* fuzz_runfile: libFuzzer harness for the run file reader (runfile_parse).
 * Build and run: tests/fuzz/run.sh [SECONDS]. A read either fails with a one-line message or
 * gives a RunFile whose counts are consistent; anything else aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "record/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    for (size_t i = 0; i < nf; i++)
        if (!runfile_fixation(rf, i) || strlen(runfile_fixation(rf, i)->label_name) > RUN_LABEL_MAX)
            abort();
    if (strlen(rf->header.scene.path) >= sizeof rf->header.scene.path)
        abort();
    if (rf->torn_note[0] && strchr(rf->torn_note, '\n'))
        abort();
    runfile_free(&rf);
    return 0;
}
