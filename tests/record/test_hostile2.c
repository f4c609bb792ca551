/* test_hostile2: issue 20 section 6 ("Reliability, second round") through the command line,
 * one function per finding:
 *   1. a crafted header the stages cannot take (fovea 4, 8, 27 with a classifier; parameters
 *      beyond live's ranges; a tick longer than scene_step is sized for);
 *   2. the world's size: 16 and 32 px worlds run, record, read and verify; smaller worlds,
 *      images and forged run files are refused with one line;
 *   5. an export longer than UI_EXPORT_MAX_FRAMES is refused before anything is built;
 *   7. a scene file cannot amplify work or memory, nor can a recording naming it;
 *   8. numbers are plain decimal.
 * The output-path findings (3, 4) need the offscreen window: tests/ui/test_export_outputs.sh.
 * Usage: test_hostile2 SACCADE TMPDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "record/record.h"
#include "run_forge.h"
#include "test.h"

static const char *bin, *tmp;
static char out[1 << 20];

/* Runs `SACCADE ARGS` (stdout and stderr into out); returns the exit code, 124 when it ran
 * past 60 s, -1 when killed by a signal. */
static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "timeout 60 '%s' %s 2>&1", bin, args);
    return run_capture(cmd, out, sizeof out);
}

/* Runs ARGS with stdout discarded: only stderr lands in out. */
static int run_err(const char *args)
{
    char a[8192];
    snprintf(a, sizeof a, "%s 2>&1 >/dev/null", args);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "timeout 60 '%s' %s", bin, a);
    return run_capture(cmd, out, sizeof out);
}

static int one_line(void)
{
    char *nl = strchr(out, '\n');
    return nl && nl[1] == '\0' && !strncmp(out, "saccade", 7);
}

static void tpath(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp, name);
}

static const char *example(const char *name)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/saved_runs/%s", getenv("SACCADE_DATA_DIR"), name);
    return p[k];
}

/* The config hash a sim made from this header would have (as record_sim_create checks). */
static uint64_t header_config_hash(const RunHeader *h)
{
    SimConfig c;
    sim_config_default(&c);
    c.tick_ms = h->tick_ms;
    c.px_per_deg = h->px_per_deg;
    c.auto_saccades = h->auto_saccades;
    c.classify_stop_confidence = h->classify_stop_confidence;
    c.retina.fovea_size = h->fovea_size;
    c.saliency.ior_radius_deg = h->ior_radius_deg;
    c.saliency.ior_decay_ms = h->ior_decay_ms;
    c.eye.fix_mean_ms = h->fix_mean_ms;
    c.saliency.method = (SaliencyMethod)h->saliency_method;
    c.eye.pursuit = h->pursuit;
    sim_config_for_world(&c, h->world_w, h->world_h);
    return sim_config_hash(&c);
}

/* A copy of a real recording (current format) whose header is h, config hash recomputed and
 * every CRC valid: the attacker's file of the red team's report. */
static int forge(const char *src, const char *dst, RunHeader h)
{
    unsigned char *b = NULL;
    size_t n = 0;
    RunFile *rf = runfile_read(src);
    if (!rf || file_read_all(src, 64u << 20, &b, &n) < 0) {
        runfile_free(&rf);
        return -1;
    }
    size_t cap = 65536 + 2 * (size_t)rf->header.state_size;
    uint8_t *orig = malloc(cap), *head = malloc(cap);
    size_t on = run_header_encode(&rf->header, rf->header.version, orig, cap);
    int rc = -1;
    /* the original's header re-encodes to its own bytes: the chunks start after it */
    if (on && on <= n && !memcmp(orig, b, on)) {
        h.config_hash = header_config_hash(&h);
        size_t hn = run_header_encode(&h, rf->header.version, head, cap);
        FILE *f = fopen(dst, "wb");
        if (hn && f && fwrite(head, 1, hn, f) == hn && fwrite(b + on, 1, n - on, f) == n - on)
            rc = 0;
        if (f && fclose(f) != 0)
            rc = -1;
    }
    free(orig);
    free(head);
    free(b);
    runfile_free(&rf);
    return rc;
}

/* 1. Fovea sizes the classifiers cannot read, and the other header fields beyond what the
 * command line can make, are refused by the reader (never an out-of-bounds read). */
static void test_header_ranges(void)
{
    const char *src = example("example-digits.run");
    RunFile *rf = runfile_read(src);
    CHECKF(rf != NULL, "%s", sc_last_error());
    if (!rf)
        return;
    RunHeader h0 = rf->header;
    CHECK(h0.model_hash != 0 && h0.fovea_size == 28);
    char p[1024], a[2048];
    tpath(p, sizeof p, "fovea.run");
    static const int fovea[] = {4, 8, 27, 29, 64};
    for (size_t i = 0; i < sizeof fovea / sizeof fovea[0]; i++) {
        RunHeader h = h0;
        h.fovea_size = fovea[i];
        CHECK(forge(src, p, h) == 0);
        snprintf(a, sizeof a, "replay '%s' --verify", p);
        CHECKF(run(a) == 1 && strstr(out, "fovea") && one_line(), "fovea %d: %s", fovea[i], out);
        snprintf(a, sizeof a, "info '%s'", p);
        CHECKF(run(a) == 1 && one_line(), "info, fovea %d: %s", fovea[i], out);
    }
    /* the unforged header, through the same forging, still verifies */
    CHECK(forge(src, p, h0) == 0);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 0, "%s", out);
    /* parameters beyond live's options: IOR radius 20 deg, decay and mean fixation 600 s */
    RunHeader h = h0;
    h.ior_radius_deg = 500.0f;
    CHECK(forge(src, p, h) == 0);
    snprintf(a, sizeof a, "replay '%s' --verify", p);
    CHECKF(run(a) == 1 && strstr(out, "out of range") && one_line(), "%s", out);
    h = h0;
    h.fix_mean_ms = 900000.0f;
    CHECK(forge(src, p, h) == 0);
    CHECKF(run(a) == 1 && strstr(out, "out of range") && one_line(), "%s", out);
    /* a scale far from the 32 px per degree every stage is made for */
    h = h0;
    h.px_per_deg = 5000.0f;
    CHECK(forge(src, p, h) == 0);
    CHECKF(run(a) == 1 && strstr(out, "px_per_deg") && one_line(), "%s", out);
    /* a tick longer than scene_step is sized for (SCENE_STEP_MAX_MS) */
    h = h0;
    h.tick_ms = 1000.0;
    CHECK(forge(src, p, h) == 0);
    CHECKF(run(a) == 1 && strstr(out, "tick length") && one_line(), "%s", out);
    runfile_free(&rf);
}

/* 2. One rule for the world's size (16..8192 per side), and every size it accepts works. */
static void test_small_worlds(void)
{
    char p[1024], a[2048];
    static const char *const sizes[] = {"16x16", "32x32", "16x40"};
    for (int i = 0; i < 3; i++) {
        tpath(p, sizeof p, "small.run");
        unlink(p);
        snprintf(a, sizeof a, "run --scene motion --size %s --seconds 1 --record '%s'", sizes[i],
                 p);
        CHECKF(run(a) == 0, "run --size %s: %s", sizes[i], out);
        snprintf(a, sizeof a, "info '%s'", p);
        CHECKF(run(a) == 0, "info of a %s run: %s", sizes[i], out);
        snprintf(a, sizeof a, "replay '%s' --verify", p);
        CHECKF(run(a) == 0 && strstr(out, "verified"), "verify of a %s run: %s", sizes[i], out);
    }
    CHECKF(run("run --scene digits --size 15x16 --seconds 0.1") == 2 && one_line(), "%s", out);
    /* every built-in scene runs at the smallest size, or says why it cannot */
    static const char *const scenes[] = {"digits", "cluttered", "letters", "motion", "blank"};
    for (int i = 0; i < 5; i++) {
        snprintf(a, sizeof a, "run --scene %s --size 16x16 --seconds 0.5", scenes[i]);
        CHECKF(run(a) == 0, "%s: %s", scenes[i], out);
    }
    CHECKF(run("run --scene words --size 32x32 --seconds 0.1") == 1 && strstr(out, "no room") &&
               one_line(),
           "%s", out);
    CHECKF(run("run --scene words-grid --size 32x32 --seconds 0.1") == 1 &&
               strstr(out, "no room") && one_line(),
           "%s", out);
    /* a forged run of a world below the minimum is refused by the reader */
    RunFile *rf = runfile_read(p);
    CHECKF(rf != NULL, "%s", sc_last_error());
    if (rf) {
        RunHeader h = rf->header;
        h.world_w = h.world_h = 8;
        h.scene.width = h.scene.height = 8;
        char q[1024];
        tpath(q, sizeof q, "tiny.run");
        CHECK(forge(p, q, h) == 0);
        snprintf(a, sizeof a, "replay '%s' --verify", q);
        CHECKF(run(a) == 1 && strstr(out, "world size") && one_line(), "%s", out);
        runfile_free(&rf);
    }
    /* an image smaller than the minimum is refused, unless --size resamples it */
    static const unsigned char png1x1[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
        0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    tpath(p, sizeof p, "one.png");
    CHECK(write_bytes(p, png1x1, sizeof png1x1) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1", p);
    CHECKF(run(a) == 1 && strstr(out, "1x1") && one_line(), "%s", out);
    snprintf(a, sizeof a, "run --scene '%s' --size 32x32 --seconds 0.5", p);
    CHECKF(run(a) == 0, "%s", out);
    /* a scene file's size line follows the same rule */
    tpath(p, sizeof p, "small.scene");
    CHECK(write_bytes(p, "size 15 100\n", 12) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1", p);
    CHECKF(run(a) == 1 && strstr(out, "small.scene:1:") && one_line(), "%s", out);
}

/* 5. The export is bounded by UI_EXPORT_MAX_FRAMES, refused before anything is built. */
static void test_export_bound(void)
{
    RunFile *rf = runfile_read(example("example-digits.run"));
    CHECKF(rf != NULL, "%s", sc_last_error());
    if (!rf)
        return;
    RunHeader h = rf->header;
    h.tick_ms = 100.0;
    h.config_hash = header_config_hash(&h);
    char p[1024], v[1024], a[4096];
    tpath(p, sizeof p, "long.run");
    tpath(v, sizeof v, "long.mp4");
    unlink(v);
    CHECK(write_run(p, &h, h.start_tick + RUN_MAX_TICKS) == 0);
    time_t t0 = time(NULL);
    snprintf(a, sizeof a, "replay '%s' --video '%s'", p, v);
    CHECKF(run(a) == 1 && strstr(out, "frames") && strstr(out, "at most") && one_line() &&
               time(NULL) - t0 < 20 && access(v, F_OK) != 0,
           "%s", out);
    runfile_free(&rf);
}

/* 7. Scene files cannot ask for unbounded drawing or memory; a recording naming one is refused
 * the same way. */
static void test_scene_budget(void)
{
    char p[1024], a[4096];
    static char text[1 << 16];
    /* 256 moving 200 px boxes: each step would redraw the whole crowd 256 times */
    size_t n = 0;
    for (int i = 0; i < 256; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "box - %d %d 200 300 200\n",
                              200 + (i % 8) * 100, 200 + (i / 8) % 4 * 100);
    tpath(p, sizeof p, "boxes.scene");
    CHECK(write_bytes(p, text, n) == 0);
    time_t t0 = time(NULL);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.05 --no-model", p);
    CHECKF(run(a) == 1 && strstr(out, "boxes.scene:") && strstr(out, "per step") && one_line() &&
               time(NULL) - t0 < 30,
           "%s", out);
    /* a recording naming it (its content hash right) is refused with the same line */
    RunFile *rf = runfile_read(example("example-digits.run"));
    CHECKF(rf != NULL, "%s", sc_last_error());
    if (rf) {
        RunHeader h = rf->header;
        h.scene.kind = SCENE_FILE;
        snprintf(h.scene.path, sizeof h.scene.path, "%s", p);
        h.scene.width = h.scene.height = h.scene.objects = 0;
        h.scene_content_hash = hash64_update(hash64_init(), text, n);
        h.model_hash = 0;
        h.start_tick = 0;
        h.state_size = 0;
        h.start_state = NULL;
        char r[1024];
        tpath(r, sizeof r, "boxes.run");
        CHECK(write_run(r, &h, 20) == 0);
        snprintf(a, sizeof a, "replay '%s' --verify", r);
        CHECKF(run(a) == 1 && strstr(out, "boxes.scene:") && strstr(out, "per step") && one_line(),
               "%s", out);
        runfile_free(&rf);
    }
    /* large text: memory is bounded by the objects' total area */
    n = 0;
    for (int i = 0; i < 64; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "text WWWWWWWWWWWW 2500 1500 400\n");
    n += (size_t)snprintf(text + n, sizeof text - n, "size 5000 3000\n");
    tpath(p, sizeof p, "text.scene");
    CHECK(write_bytes(p, text, n) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.05 --no-model", p);
    CHECKF(run(a) == 1 && strstr(out, "text.scene:") && strstr(out, "in all") && one_line(), "%s",
           out);
    /* the shipped scene files are well inside the limits */
    snprintf(a, sizeof a, "run --scene '%s/assets/scenes/crowd.scene' --seconds 0.1",
             getenv("SACCADE_DATA_DIR"));
    CHECKF(run(a) == 0, "%s", out);
}

/* 8. Numbers are plain decimal: no octal, hex, blanks, nor a float that becomes 0. */
static void test_numbers(void)
{
    CHECKF(run("run --scene blank --no-model --seed 010 --seconds 0.01 --json") == 0 &&
               strstr(out, "\"seed\":\t10,"),
           "%s", out);
    CHECKF(run_err("run --seconds 0x10") == 2 && strstr(out, "decimal") && one_line(), "%s", out);
    CHECKF(run_err("run --seconds ' 1'") == 2 && one_line(), "%s", out);
    CHECKF(run_err("run --objects ' 3'") == 2 && one_line(), "%s", out);
    CHECKF(run_err("run --seed '+1'") == 2 && one_line(), "%s", out);
    CHECKF(run_err("run --size ' 64x64'") == 2 && one_line(), "%s", out);
    CHECKF(run_err("live --ior-decay 1e-300") == 2 && one_line(), "%s", out);
    CHECKF(run_err("live --fix-mean 0x10") == 2 && one_line(), "%s", out);
    CHECKF(run_err("bench --window --seconds 0x10") == 2 && one_line(), "%s", out);
    char p[1024], a[2048];
    tpath(p, sizeof p, "hex.scene");
    CHECK(write_bytes(p, "box - 0x40 100 20\n", 18) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1 --no-model", p);
    CHECKF(run_err(a) == 1 && strstr(out, "hex.scene:1:") && one_line(), "%s", out);
    tpath(p, sizeof p, "tiny.scene");
    CHECK(write_bytes(p, "blob - 100 100 20 1e-300 0\n", 27) == 0);
    snprintf(a, sizeof a, "run --scene '%s' --seconds 0.1 --no-model", p);
    CHECKF(run_err(a) == 1 && strstr(out, "tiny.scene:1:") && one_line(), "%s", out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_hostile2 SACCADE TMPDIR\n");
        return 2;
    }
    bin = argv[1];
    tmp = argv[2];
    char mk[2048];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", tmp);
    if (system(mk) != 0)
        return 1;
    const char *only = getenv("TEST_ONLY");
    if (!only || strstr(only, "header"))
        test_header_ranges();
    if (!only || strstr(only, "small"))
        test_small_worlds();
    if (!only || strstr(only, "export"))
        test_export_bound();
    if (!only || strstr(only, "scene"))
        test_scene_budget();
    if (!only || strstr(only, "numbers"))
        test_numbers();
    return TEST_DONE();
}
