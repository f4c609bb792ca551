/* test_hostile: issue 13's findings, one test per class, as a user (or an attacker) meets
 * them through the command line:
 *   run length, nothing to verify, scene path (a file that is not the scene, a FIFO, no
 *   echo of its contents), each lost-output command (stdout to /dev/full, an output that
 *   is a device, symbolic link or missing folder), output onto input, two writers of one
 *   recording, train's output checked before training, UTF-8 in JSON, numbers on the
 *   command line. Keyframe fields and chunk corruption are tested below the CLI
 *   (tests/sim, record_runfile, record_bitflip).
 * Usage: test_hostile SACCADE TMPDIR
 */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/output.h"
#include "core/utf8.h"
#include "record/record.h"
#include "run_forge.h"
#include "sample_run.h"
#include "test.h"

static const char *bin, *tmp;
static char out[1 << 20];

/* Runs `SACCADE ARGS` through the shell (stdout+stderr captured into out unless ARGS
 * redirects them); returns the exit code (124: timed out after 30 s). */
static int run(const char *args)
{
    char cmd[8192];
    /* stderr to the pipe first, so that ARGS may send stdout elsewhere (>/dev/full) */
    snprintf(cmd, sizeof cmd, "timeout 30 '%s' 2>&1 %s", bin, args);
    return run_capture(cmd, out, sizeof out);
}

static int one_line(void)
{
    char *nl = strchr(out, '\n');
    return nl && nl[1] == '\0';
}

static void tpath(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp, name);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_run_files(const RunFile *letters)
{
    char p[1024], q[1024], a[4096];
    RunHeader h = letters->header;
    /* nothing to verify: a run without a single state hash does not "verify" */
    tpath(p, sizeof p, "nohash.run");
    CHECK(write_run(p, &h, h.start_tick + 20) == 0);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 1 && strstr(out, "nothing to verify") && one_line(), "%s", out);
    /* run length: an empty chunk claiming 2^22 + 1 ticks is refused at once */
    tpath(p, sizeof p, "long.run");
    CHECK(write_run(p, &h, h.start_tick + RUN_MAX_TICKS + 1) == 0);
    time_t t0 = time(NULL);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 1 && strstr(out, "maximum") && time(NULL) - t0 < 20, "%s", out);
    /* scene path: a file that is not the recorded scene is refused without a word of it */
    RunHeader hp = h;
    hp.scene.kind = SCENE_FILE;
    snprintf(hp.scene.path, sizeof hp.scene.path, "/etc/passwd");
    hp.scene_content_hash = 0x1234;
    tpath(p, sizeof p, "passwd.run");
    CHECK(write_run(p, &hp, h.start_tick + 20) == 0);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 1 && strstr(out, "not the scene file") && !strstr(out, "root") &&
               !strstr(out, ":x:") && one_line(),
           "%s", out);
    /* a FIFO named as the scene never blocks */
    tpath(q, sizeof q, "fifo.scene");
    unlink(q);
    CHECK(mkfifo(q, 0600) == 0);
    snprintf(hp.scene.path, sizeof hp.scene.path, "%s", q);
    tpath(p, sizeof p, "fifo.run");
    CHECK(write_run(p, &hp, h.start_tick + 20) == 0);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 1 && strstr(out, "not a regular file") && one_line(), "%s", out);
    /* --scene names the file of a moved scene; a built-in run refuses it */
    snprintf(a, sizeof a, "replay '%s' --verify --scene /etc/passwd", p);
    CHECKF(run(a) == 1 && strstr(out, "not the scene file") && !strstr(out, "root"), "%s", out);
    tpath(p, sizeof p, "nohash.run");
    snprintf(a, sizeof a, "replay '%s' --verify --scene x.scene", p);
    CHECKF(run(a) == 1 && strstr(out, "built-in"), "%s", out);
    unlink(q);
}

static void test_lost_output(const char *good)
{
    char a[4096];
    /* stdout to a full disk: every command that prints exits 1 */
    snprintf(a, sizeof a, "info '%s' >/dev/full", good);
    CHECKF(run(a) == 1 && strstr(out, "stdout") && one_line(), "info: %s", out);
    CHECKF(run("run --scene blank --seconds 0.2 --no-model --json >/dev/full") == 1 && one_line(),
           "run --json: %s", out);
    CHECKF(run("run --scene blank --seconds 0.2 --no-model >/dev/full") == 1, "run: %s", out);
    snprintf(a, sizeof a, "export '%s' --csv - >/dev/full", good);
    CHECKF(run(a) == 1 && one_line(), "export -: %s", out);
    CHECKF(run("--help >/dev/full") == 1, "help: %s", out);
    /* an output that is a device is refused, not replaced */
    snprintf(a, sizeof a, "export '%s' --csv /dev/full", good);
    struct stat st;
    CHECKF(run(a) == 1 && stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode), "%s", out);
    /* a symbolic link is not replaced either */
    char link[1024], target[1024];
    tpath(link, sizeof link, "link.csv");
    tpath(target, sizeof target, "target.csv");
    unlink(link);
    CHECK(write_bytes(target, "keep\n", 5) == 0 && symlink(target, link) == 0);
    snprintf(a, sizeof a, "export '%s' --csv '%s'", good, link);
    CHECKF(run(a) == 1 && lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && file_size(target) == 5,
           "%s", out);
    /* no folder is created */
    char nodir[1024];
    tpath(nodir, sizeof nodir, "no-such-folder");
    snprintf(a, sizeof a, "run --scene blank --seconds 0.1 --no-model --record '%s/x.run'", nodir);
    CHECKF(run(a) == 1 && strstr(out, "does not exist") && file_size(nodir) < 0, "%s", out);
    /* train checks its output before training (seconds, not minutes) */
    time_t t0 = time(NULL);
    snprintf(a, sizeof a, "train --dataset mnist --epochs 1 --out '%s/x.wts'", nodir);
    CHECKF(run(a) == 1 && strstr(out, "does not exist") && time(NULL) - t0 < 10, "%s", out);
    /* a good export still works and leaves no temporary behind */
    char csv[1024];
    tpath(csv, sizeof csv, "good.csv");
    snprintf(a, sizeof a, "export '%s' --csv '%s'", good, csv);
    CHECKF(run(a) == 0 && file_size(csv) > 100, "%s", out);
    snprintf(a, sizeof a, "ls -a '%s' | grep -c '^\\.good.csv' | grep -qx 0", tmp);
    CHECK(system(a) == 0);
}

static void test_output_onto_input(const char *good)
{
    char a[4096], x[1024], s[1024];
    tpath(x, sizeof x, "self.run");
    snprintf(a, sizeof a, "cp '%s' '%s'", good, x);
    CHECK(system(a) == 0);
    long n = file_size(x);
    snprintf(a, sizeof a, "export '%s' --csv '%s/./self.run'", x, tmp);
    CHECKF(run(a) == 1 && strstr(out, "input") && file_size(x) == n, "%s", out);
    tpath(s, sizeof s, "self.scene");
    snprintf(a, sizeof a, "cp '%s/assets/scenes/crowd.scene' '%s'", getenv("SACCADE_DATA_DIR"), s);
    CHECK(system(a) == 0);
    n = file_size(s);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1 --no-model --record '%s'", s, s);
    CHECKF(run(a) == 1 && strstr(out, "input") && file_size(s) == n, "%s", out);
}

static void test_two_writers(void)
{
    /* the first writer holds the recording the way the recorder does (output_open_locked,
     * an exclusive lock); a second `run --record` of the same file fails at once */
    char p[1024], a[4096];
    tpath(p, sizeof p, "two.run");
    unlink(p);
    FILE *first = output_open_locked(p, NULL, 0);
    CHECKF(first != NULL, "%s", sc_last_error());
    if (!first)
        return;
    CHECK(fputs("first writer's bytes", first) >= 0 && fflush(first) == 0);
    time_t t0 = time(NULL);
    snprintf(a, sizeof a, "run --scene blank --seconds 0.1 --no-model --record '%s'", p);
    CHECKF(run(a) == 1 && strstr(out, "another process") && one_line() && time(NULL) - t0 < 10,
           "%s", out);
    CHECK(file_size(p) == 20); /* not truncated by the second writer */
    fclose(first);
    /* once the first writer is done, recording there works */
    CHECKF(run(a) == 0, "%s", out);
    RunFile *rf = runfile_read(p);
    CHECKF(rf != NULL, "%s", sc_last_error());
    runfile_free(&rf);
}

static void test_utf8(void)
{
    char p[1024], a[4096], j[1024];
    /* a run file whose label names are not UTF-8: the JSON export is valid UTF-8 */
    RunHeader h;
    sample_header(&h, 0);
    uint8_t buf[4096], payload[1024], scratch[2048];
    size_t n = run_header_encode(&h, RUN_FORMAT_VERSION, buf, sizeof buf), pn = 0;
    RunEvent e = sample_event(10, 2);
    snprintf(e.u.fixation.label_name, sizeof e.u.fixation.label_name, "bad\xff\xfe\xc3");
    pn += run_event_encode(&e, payload + pn, sizeof payload - pn);
    RunEvent end;
    memset(&end, 0, sizeof end);
    end.type = RUN_EV_END;
    end.tick = 99;
    pn += run_event_encode(&end, payload + pn, sizeof payload - pn);
    n += run_chunk_encode(RUN_FORMAT_VERSION, 0, 99, 2, payload, pn, 0, scratch, buf + n,
                          sizeof buf - n);
    tpath(p, sizeof p, "badutf8.run");
    tpath(j, sizeof j, "badutf8.json");
    CHECK(write_bytes(p, buf, n) == 0);
    snprintf(a, sizeof a, "export '%s' --json '%s'", p, j);
    CHECKF(run(a) == 0, "%s", out);
    FILE *f = fopen(j, "rb");
    size_t jn = f ? fread(out, 1, sizeof out - 1, f) : 0;
    if (f)
        fclose(f);
    out[jn] = '\0';
    CHECKF(jn > 0 && utf8_invalid_at(out, jn) == jn, "export JSON is not UTF-8");
    cJSON *doc = cJSON_Parse(out);
    CHECK(doc != NULL);
    cJSON_Delete(doc);
    /* a scene file that is not UTF-8 is refused, naming the line */
    tpath(p, sizeof p, "badutf8.scene");
    CHECK(write_bytes(p, "size 640 480\ntext ab\xff 100 100 20\n", 32) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1 --no-model --json", p);
    CHECKF(run(a) == 1 && strstr(out, ":2:") && strstr(out, "UTF-8") && !strstr(out, "ab\xff"),
           "%s", out);
}

static void test_numbers(void)
{
    CHECKF(run("run --seed ' -1' --seconds 0.1") == 2 && strstr(out, "non-negative"), "%s", out);
    CHECKF(run("live --seed 99999999999999999999999") == 2 && strstr(out, "larger than"), "%s",
           out);
    CHECKF(run("run --seconds 1e30") == 2 && strstr(out, "out of range") &&
               !strstr(out, "not a number"),
           "%s", out);
    CHECKF(run("run --model /tmp --seconds 0.1") == 1 && strstr(out, "not a regular file"), "%s",
           out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_hostile SACCADE TMPDIR\n");
        return 2;
    }
    bin = argv[1];
    tmp = argv[2];
    mkdir(tmp, 0777);
    char good[1024];
    snprintf(good, sizeof good, "%s/saved_runs/example-letters.run", getenv("SACCADE_DATA_DIR"));
    RunFile *letters = runfile_read(good);
    CHECKF(letters != NULL, "%s", sc_last_error());
    if (!letters)
        return TEST_DONE();
    test_run_files(letters);
    runfile_free(&letters);
    test_lost_output(good);
    test_output_onto_input(good);
    test_two_writers();
    test_utf8();
    test_numbers();
    return TEST_DONE();
}
