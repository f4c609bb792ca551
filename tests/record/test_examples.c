/* test_examples: the committed example runs in saved_runs/ (example-*.run) still replay with
 * every state hash matching. They depend on the exact simulation: after a change to it,
 * regenerate them with tools/regen_runs.sh (this test says so when they diverge). */
#include <glob.h>
#include <stdio.h>

#include "core/log.h"
#include "core/paths.h"
#include "record/record.h"
#include "test.h"

int main(void)
{
    char pattern[1024];
    CHECK(paths_data_file(pattern, sizeof pattern, "saved_runs/example-*.run") != NULL);
    glob_t g;
    int found = glob(pattern, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    CHECKF(found >= 3, "%d example runs in saved_runs/ (expected digits, letters, motion)", found);
    for (int i = 0; i < found; i++) {
        const char *path = g.gl_pathv[i];
        RunFile *rf = runfile_read(path);
        CHECKF(rf, "%s", sc_last_error());
        if (!rf)
            continue;
        CHECKF(rf->complete && !rf->torn_note[0], "%s: %s", path, rf->torn_note);
        ReplayReport rep;
        int rc = record_verify(rf, NULL, 0, &rep);
        CHECKF(rc == 0,
               "%s: %s at tick %lld; if the simulation changed on purpose, regenerate the "
               "examples with tools/regen_runs.sh",
               path, rc < 0 ? sc_last_error() : "diverged", (long long)rep.diverged_tick);
        if (rc == 0)
            printf("%s: %llu ticks, %llu hashes, %zu fixations verified\n", path,
                   (unsigned long long)rep.ticks, (unsigned long long)rep.hashes_checked,
                   rf->n_fixations);
        runfile_free(&rf);
    }
    if (found)
        globfree(&g);
    return TEST_DONE();
}
