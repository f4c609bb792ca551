/* test_examples: the committed example runs in saved_runs/ (example-*.run) still replay with
 * every state hash matching (`saccade replay FILE --verify`, which loads the recorded
 * classifier). They depend on the exact simulation: after a change to it, regenerate them with
 * tools/regen_runs.sh (this test says so when they diverge).
 * Usage: test_examples SACCADE */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/paths.h"
#include "record/record.h"
#include "test.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
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
        CHECKF(rf->n_fixations >= 10, "%s: %zu fixations", path, rf->n_fixations);
        runfile_free(&rf);
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "'%s' replay '%s' --verify", argv[1], path);
        CHECKF(system(cmd) == 0,
               "%s: does not verify; if the simulation changed on purpose, regenerate the "
               "examples with tools/regen_runs.sh",
               path);
    }
    if (found)
        globfree(&g);
    return TEST_DONE();
}
