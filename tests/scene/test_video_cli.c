/* test_video_cli.c: `saccade` on video files, end to end.
 *   test_video_cli SACCADE TMPDIR
 * - `run --record` on the shipped clip, then `replay --verify` bit-exactly; the clip or its
 *   truth changed, or the clip missing: one line, exit 1;
 * - `run --json` reads are scored against the clip's ground truth (correct true/false, not
 *   null), and most are right;
 * - bad inputs (truncated, corrupt, unknown codec, zero frames, huge frames, a camera that is
 *   not there): one line on stderr, exit 1, within the time limit;
 * - a run recorded from a camera: `replay --verify` says it cannot re-simulate;
 * - `bench --scene clip` runs. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/file.h"
#include "core/log.h"
#include "core/paths.h"
#include "record/record.h"
#include "test.h"

static const char *saccade, *tmp;
static char out[1 << 20];

/* Runs saccade ARGS (stdout and stderr into out, or stderr alone when err_only); returns the
 * exit status. */
static int run(int err_only, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(int err_only, const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "timeout 120 '%s' %s %s", saccade, args,
             err_only ? "2>&1 >/dev/null" : "2>&1");
    FILE *p = popen(cmd, "r");
    REQUIRE(p, "popen");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return s[0] && (!nl || !nl[1]);
}

static void write_file(const char *path, const unsigned char *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    REQUIRE(f && fwrite(d, 1, n, f) == n && fclose(f) == 0, "write %s", path);
}

static void copy_clip(const char *dir, unsigned char *clip, size_t n, unsigned char *truth,
                      size_t tn)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/clip.mp4", dir);
    write_file(p, clip, n);
    snprintf(p, sizeof p, "%s/clip.truth", dir);
    write_file(p, truth, tn);
}

static void test_record_replay(unsigned char *clip, size_t n, unsigned char *truth, size_t tn)
{
    copy_clip(tmp, clip, n, truth, tn);
    int rc = run(0, "run --scene %s/clip.mp4 --seconds 6 --record %s/clip.run", tmp, tmp);
    CHECK(rc == 0, "run --record: %d %s", rc, out);
    rc = run(0, "replay %s/clip.run --verify", tmp);
    CHECK(rc == 0 && strstr(out, "replay verified"), "verify: %d %s", rc, out);
    /* the export never writes over the clip or its truth: refused before anything is built */
    rc = run(1, "replay %s/clip.run --video %s/clip.mp4", tmp, tmp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "is the input file"),
          "video over the clip: %d %s", rc, out);
    rc = run(1, "replay %s/clip.run --frames %s --screenshot-at 1:%s/clip.truth", tmp, tmp, tmp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "is the input file"),
          "screenshot over the truth: %d %s", rc, out);
    /* the truth changed: refused, one line */
    char p[1024];
    snprintf(p, sizeof p, "%s/clip.truth", tmp);
    unsigned char *t2 = malloc(tn + 16);
    REQUIRE(t2, "oom");
    memcpy(t2, truth, tn);
    memcpy(t2 + tn, "# changed\n", 10);
    write_file(p, t2, tn + 10);
    free(t2);
    rc = run(1, "replay %s/clip.run --verify", tmp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "not the video the run was recorded on"),
          "changed truth: %d %s", rc, out);
    /* the clip changed (one byte) */
    copy_clip(tmp, clip, n, truth, tn);
    snprintf(p, sizeof p, "%s/clip.mp4", tmp);
    clip[n / 2] ^= 1;
    write_file(p, clip, n);
    clip[n / 2] ^= 1;
    rc = run(1, "replay %s/clip.run --verify", tmp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "not the video the run was recorded on"),
          "changed clip: %d %s", rc, out);
    /* missing */
    remove(p);
    rc = run(1, "replay %s/clip.run --verify", tmp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "clip.mp4"), "missing clip: %d %s", rc, out);
    copy_clip(tmp, clip, n, truth, tn);
}

static void test_scored(void)
{
    char clip[1024];
    REQUIRE(paths_data_file(clip, sizeof clip, "assets/clips/digits.mp4"), "path");
    int rc = run(0, "run --scene %s --seconds 8 --json 2>/dev/null", clip);
    cJSON *j = rc == 0 ? cJSON_Parse(out) : NULL;
    REQUIRE(j, "run --json: %d %.300s", rc, out);
    const cJSON *objects = cJSON_GetObjectItem(j, "objects"),
                *reads = cJSON_GetObjectItem(j, "reads");
    CHECK(cJSON_GetArraySize(objects) == 6, "%d objects", cJSON_GetArraySize(objects));
    int scored = 0, right = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, reads)
    {
        const cJSON *c = cJSON_GetObjectItem(r, "correct");
        scored += cJSON_IsBool(c);
        right += cJSON_IsTrue(c);
    }
    /* every object is a labelled digit: each read is scored, and most are right */
    CHECK(scored == cJSON_GetArraySize(reads) && scored >= 4 && right * 4 >= scored * 3,
          "%d reads scored, %d right", scored, right);
    cJSON_Delete(j);
}

static void test_bad(unsigned char *clip, size_t n)
{
    static const unsigned char gif_huge[] = {
        'G', 'I',  'F', '8', '9', 'a', 0x28, 0x23, 0x28, 0x23, 0x80, 0, 0, 0,    0,    0, 255, 255,
        255, 0x2c, 0,   0,   0,   0,   0x28, 0x23, 0x28, 0x23, 0,    2, 2, 0x44, 0x01, 0, 0x3b};
    static const unsigned char gif_empty[] = {'G',  'I', 'F', '8', '9', 'a', 64,  0,   64,  0,
                                              0x80, 0,   0,   0,   0,   0,   255, 255, 255, 0x3b};
    char p[1024];
    struct {
        const char *name;
        const unsigned char *d;
        size_t n;
    } cases[] = {
        {"cut.mp4", clip, n * 7 / 10},
        {"head.mp4", clip, 3000},
        {"codec.mp4", NULL, n},
        {"flip.mp4", NULL, n},
        {"huge.gif", gif_huge, sizeof gif_huge},
        {"empty.gif", gif_empty, sizeof gif_empty},
        {"zero.webm", clip, 0},
    };
    unsigned char *codec = malloc(n), *flip = malloc(n);
    REQUIRE(codec && flip, "oom");
    memcpy(codec, clip, n);
    memcpy(flip, clip, n);
    for (size_t i = 0, seen = 0; i + 4 <= n; i++)
        if (!memcmp(codec + i, "avc1", 4) && seen++ == 1)
            memcpy(codec + i, "xyz1", 4);
    for (size_t k = 0; k < 64; k++)
        flip[4000 + (k * 7919) % (n - 4000)] ^= 0x5a;
    cases[2].d = codec;
    cases[3].d = flip;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmp, cases[i].name);
        write_file(p, cases[i].d, cases[i].n);
        int rc = run(1, "run --scene %s --seconds 2", p);
        CHECK(rc == 1 && one_line(out) && strstr(out, cases[i].name), "%s: exit %d: %s",
              cases[i].name, rc, out);
    }
    free(codec);
    free(flip);
    /* no camera on a test machine: one line, exit 1 (never a hang) */
    int rc = run(1, "run --scene /dev/video97 --seconds 1");
    CHECK(rc == 1 && one_line(out) && strstr(out, "/dev/video97"), "camera: %d %s", rc, out);
}

/* A camera run: the recorded clip run rewritten as if from /dev/video0 (one chunk). */
static void test_camera_run(void)
{
    char in[1024], outp[1024];
    snprintf(in, sizeof in, "%s/clip.run", tmp);
    snprintf(outp, sizeof outp, "%s/camera.run", tmp);
    RunFile *rf = runfile_read(in);
    REQUIRE(rf, "%s", sc_last_error());
    RunHeader h = rf->header;
    h.scene.kind = SCENE_CAMERA;
    snprintf(h.scene.path, sizeof h.scene.path, "/dev/video0");
    h.scene_content_hash = 0;
    size_t cap = 1 << 20;
    uint8_t *buf = malloc(cap), *payload = malloc(cap), *scratch = malloc(run_chunk_bound(cap));
    REQUIRE(buf && payload && scratch, "oom");
    size_t hn = run_header_encode(&h, RUN_FORMAT_VERSION, buf, cap), pn = 0;
    for (size_t i = 0; i < rf->n_events; i++)
        pn += run_event_encode(&rf->events[i], payload + pn, cap - pn);
    size_t cn =
        run_chunk_encode(RUN_FORMAT_VERSION, h.start_tick, rf->end_tick, (uint32_t)rf->n_events,
                         payload, pn, 1, scratch, buf + hn, cap - hn);
    REQUIRE(hn && cn, "encode");
    write_file(outp, buf, hn + cn);
    free(buf);
    free(payload);
    free(scratch);
    runfile_free(&rf);
    int rc = run(1, "replay %s --verify", outp);
    CHECK(rc == 1 && one_line(out) && strstr(out, "camera") &&
              strstr(out, "cannot be re-simulated"),
          "camera run: %d %s", rc, out);
    rc = run(0, "info %s", outp);
    CHECK(rc == 0 && strstr(out, "/dev/video0"), "info: %d %s", rc, out);
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 3, "usage: test_video_cli SACCADE TMPDIR");
    saccade = argv[1];
    tmp = argv[2];
    REQUIRE(mkdir(tmp, 0755) == 0 || errno == EEXIST, "mkdir %s", tmp);
    char cp[1024], tp[1024];
    unsigned char *clip, *truth;
    size_t n, tn;
    REQUIRE(paths_data_file(cp, sizeof cp, "assets/clips/digits.mp4") &&
                paths_data_file(tp, sizeof tp, "assets/clips/digits.truth"),
            "path");
    REQUIRE(file_read_all(cp, 1 << 24, &clip, &n) == 0 &&
                file_read_all(tp, 1 << 24, &truth, &tn) == 0,
            "%s", sc_last_error());
    test_record_replay(clip, n, truth, tn);
    test_scored();
    test_bad(clip, n);
    test_camera_run();
    int rc = run(0, "bench --scene %s --ticks 50", cp);
    CHECK(rc == 0 && strstr(out, "640x360"), "bench: %d %s", rc, out);
    free(clip);
    free(truth);
    return TEST_DONE();
}
