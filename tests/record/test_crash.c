/* test_crash: a recording killed with SIGKILL mid-run reads and replays up to within one
 * simulated second of the kill, with a one-line note that the tail was torn.
 *
 * No wall-clock timing decides anything: the child (record_tool --print-ticks) prints
 * "TICK FLUSHED" after every tick; the parent kills it once it has read a line past the target
 * tick, then drains the pipe to learn the last tick the child completed (M, the kill tick)
 * and the last tick it reported flushed (F). Properties:
 *   end tick of the file >= F              (nothing reported as flushed is lost)
 *   M - end tick <= ticks per second       (at most one simulated second lost)
 *   the file replays (--verify) up to its end tick.
 * Usage: test_crash RECORD_TOOL TMPDIR
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "record/record.h"
#include "test.h"

static void one_kill(const char *tool, const char *path, const char *scene, uint64_t kill_after)
{
    int fd[2];
    if (pipe(fd) < 0) {
        CHECK(0);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execl(tool, tool, "--out", path, "--scene", scene, "--seconds", "600", "--print-ticks",
              (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    unsigned long long tick = 0, flushed = 0, last_tick = 0, last_flushed = 0;
    int killed = 0;
    while (f && fscanf(f, "%llu %llu", &tick, &flushed) == 2) {
        last_tick = tick;
        last_flushed = flushed;
        if (!killed && tick >= kill_after) {
            kill(pid, SIGKILL);
            killed = 1;
        }
    }
    if (f)
        fclose(f);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECKF(killed && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
           "child was not killed (status %d)", status);
    /* the child may have been inside the next tick when it died */
    const unsigned long long kill_tick = last_tick + 1;

    RunFile *rf = runfile_read(path);
    CHECKF(rf, "killed run does not read: %s", sc_last_error());
    if (!rf)
        return;
    const uint64_t per_second = (uint64_t)(1000.0 / rf->header.tick_ms);
    printf("%s: killed at tick %llu (reported flushed %llu); file reads to tick %llu, lost %llu "
           "ticks; note: %s\n",
           scene, kill_tick, last_flushed, (unsigned long long)rf->end_tick,
           kill_tick - rf->end_tick, rf->torn_note);
    CHECK(!rf->complete);
    CHECKF(rf->torn_note[0] && !strchr(rf->torn_note, '\n'), "note '%s'", rf->torn_note);
    CHECKF(rf->end_tick >= last_flushed, "end %llu < flushed %llu",
           (unsigned long long)rf->end_tick, last_flushed);
    CHECKF(kill_tick - rf->end_tick <= per_second, "lost %llu ticks (more than one second)",
           kill_tick - rf->end_tick);
    ReplayReport rep;
    int rc = record_verify(rf, NULL, 0, &rep);
    CHECKF(rc == 0 && rep.ticks == rf->end_tick, "replay of the killed run: rc %d (%s)", rc,
           rc < 0 ? sc_last_error() : "");
    CHECK(rep.hashes_checked >= 2);
    runfile_free(&rf);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_crash RECORD_TOOL TMPDIR\n");
        return 2;
    }
    mkdir(argv[2], 0777);
    char path[1024];
    /* kill points in different places relative to the chunk boundaries */
    static const struct {
        const char *scene;
        uint64_t at;
    } runs[] = {{"digits", 350}, {"motion", 237}, {"letters", 512}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        snprintf(path, sizeof path, "%s/killed-%s.run", argv[2], runs[i].scene);
        one_kill(argv[1], path, runs[i].scene, runs[i].at);
    }
    return TEST_DONE();
}
