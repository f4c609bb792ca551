/* test_examples: the committed example runs in saved_runs/ (example-*.run) still replay with
 * every state hash matching (`saccade replay FILE --verify`, which loads the recorded
 * classifier), including example-digits-v1.run, the same run in format v1 (older versions this
 * build reads must replay too). They depend on the exact simulation: after a change to it,
 * regenerate them with tools/regen_runs.sh (this test says so when they diverge). Usage:
 * test_examples SACCADE */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    CHECKF(found >= 4, "%d example runs in saved_runs/ (expected digits, letters, motion, v1)",
           found);
    int n_v1 = 0;
    for (int i = 0; i < found; i++) {
        const char *path = g.gl_pathv[i];
        RunFile *rf = runfile_read(path);
        CHECKF(rf, "%s", sc_last_error());
        if (!rf)
            continue;
        CHECKF(rf->complete && !rf->torn_note[0], "%s: %s", path, rf->torn_note);
        CHECKF(rf->n_fixations >= 10, "%s: %zu fixations", path, rf->n_fixations);
        if (strstr(path, "-v1.run")) {
            CHECKF(rf->header.version == RUN_FORMAT_V1, "%s: version %u", path, rf->header.version);
            n_v1++;
        }
        runfile_free(&rf);
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "'%s' replay '%s' --verify", argv[1], path);
        CHECKF(system(cmd) == 0,
               "%s: does not verify; if the simulation changed on purpose, regenerate the "
               "examples with tools/regen_runs.sh",
               path);
    }
    CHECKF(n_v1 >= 1, "no v1 example: the older-format reader is not exercised on a real run");
    if (found)
        globfree(&g);
    return TEST_DONE();
}
