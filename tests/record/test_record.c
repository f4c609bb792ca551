/* test_record: recorder -> file -> replay end to end (needs the simulation).
 *   - 30 s recorded on each built-in scene replays with every state hash matching; the export
 *     has one CSV row per fixation and matches `saccade run --json` for the same seed;
 *   - a run with scripted manual saccades, recorded from the middle of a run (start state),
 *     replays to the same scanpath;
 *   - a changed input is caught: verify names a tick at or after it, within a second;
 *   - the Player: seeking anywhere (backwards and forwards) gives the same state as playing.
 * Usage: test_record SACCADE_BINARY TMPDIR
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "record/player.h"
#include "record/record.h"
#include "sample_run.h"
#include "test.h"

static const char *saccade_bin, *tmpdir;

/* Records `ticks` ticks after `skip` unrecorded ones. Returns 0 or -1. */
static int record(const char *path, const char *scene, uint64_t seed, uint64_t skip, uint64_t ticks,
                  int manual)
{
    SceneSpec spec;
    SimConfig cfg;
    sim_config_default(&cfg);
    if (scene_spec_parse(&spec, scene) < 0)
        return -1;
    Sim *sim = sim_create(&cfg, &spec, seed);
    if (!sim)
        return -1;
    SimInput in[4];
    for (uint64_t t = 1; t <= skip; t++)
        sim_tick(sim, in, manual ? scripted_inputs(t, in) : 0);
    Recorder *r = recorder_open(path, sim, 0);
    int rc = r ? 0 : -1;
    for (uint64_t t = skip + 1; rc == 0 && t <= skip + ticks; t++) {
        int n = manual ? scripted_inputs(t, in) : 0;
        sim_tick(sim, in, n);
        rc = recorder_tick(r, sim, in, n);
    }
    if (r && rc == 0)
        rc = recorder_finish(r, sim);
    if (recorder_close(&r) < 0)
        rc = -1;
    sim_destroy(&sim);
    return rc;
}

static char *read_all(FILE *f)
{
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
        }
    }
    if (b)
        b[n] = '\0';
    return b;
}

/* Compares the export (CSV rows) with `saccade run --json` fixations for the same seed. */
static void compare_with_run_json(const RunFile *rf, const char *scene, uint64_t seed,
                                  double seconds)
{
    char csv_path[1024], cmd[2048];
    snprintf(csv_path, sizeof csv_path, "%s/%s.csv", tmpdir, scene);
    FILE *f = fopen(csv_path, "w");
    CHECK(f && runfile_export_csv(rf, f) == 0);
    if (f)
        fclose(f);
    f = fopen(csv_path, "r");
    char *csv = f ? read_all(f) : NULL;
    if (f)
        fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' run --scene %s --seconds %g --seed %llu --json", saccade_bin,
             scene, seconds, (unsigned long long)seed);
    FILE *p = popen(cmd, "r");
    char *js = p ? read_all(p) : NULL;
    CHECKF(p && pclose(p) == 0, "%s", cmd);
    cJSON *root = js ? cJSON_Parse(js) : NULL;
    cJSON *fx = cJSON_GetObjectItem(root, "fixations");
    CHECKF(csv && cJSON_IsArray(fx), "%s: no csv or json", scene);
    if (!csv || !cJSON_IsArray(fx)) {
        free(csv);
        free(js);
        cJSON_Delete(root);
        return;
    }
    size_t rows = 0;
    char *save = NULL;
    char *line = strtok_r(csv, "\n", &save); /* header */
    CHECK(line && !strcmp(line, "index,start_ms,end_ms,duration_ms,x_px,y_px,x_deg,y_deg,"
                                "amplitude_deg,peak_velocity_deg_s,label,confidence,object"));
    int mismatches = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        double v[10];
        int idx;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &idx, &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7], &v[8]) != 10) {
            CHECKF(0, "bad csv line '%s'", line);
            break;
        }
        cJSON *o = cJSON_GetArrayItem(fx, (int)rows);
        if (!o) {
            rows++;
            continue;
        }
        double js_v[] = {cJSON_GetObjectItem(o, "start_ms")->valuedouble,
                         cJSON_GetObjectItem(o, "end_ms")->valuedouble,
                         cJSON_GetObjectItem(o, "x")->valuedouble,
                         cJSON_GetObjectItem(o, "y")->valuedouble,
                         cJSON_GetObjectItem(o, "x_deg")->valuedouble,
                         cJSON_GetObjectItem(o, "y_deg")->valuedouble,
                         cJSON_GetObjectItem(o, "amplitude_deg")->valuedouble};
        double csv_v[] = {v[0], v[1], v[3], v[4], v[5], v[6], v[7]};
        double tol[] = {0.01, 0.01, 0.02, 0.02, 0.002, 0.002, 0.002};
        for (int k = 0; k < 7; k++)
            if (fabs(js_v[k] - csv_v[k]) > tol[k] && mismatches++ < 3)
                CHECKF(0, "%s fixation %zu field %d: csv %g, run --json %g", scene, rows, k,
                       csv_v[k], js_v[k]);
        cJSON *lab = cJSON_GetObjectItem(o, "label");
        char want[64] = "";
        if (cJSON_IsString(lab))
            snprintf(want, sizeof want, "%s,", lab->valuestring);
        else
            snprintf(want, sizeof want, ",");
        /* the label is the 11th field */
        const char *q = line;
        for (int k = 0; k < 10 && q; k++)
            q = strchr(q, ',') ? strchr(q, ',') + 1 : NULL;
        if ((!q || strncmp(q, want, strlen(want))) && mismatches++ < 3)
            CHECKF(0, "%s fixation %zu label: csv '%s', json '%s'", scene, rows, q ? q : "", want);
        cJSON *obj = cJSON_GetObjectItem(o, "object");
        int jobj = cJSON_IsNumber(obj) ? obj->valueint : -1;
        int cobj = atoi(strrchr(line, ',') + 1);
        if (jobj != cobj && mismatches++ < 3)
            CHECKF(0, "%s fixation %zu object: csv %d, json %d", scene, rows, cobj, jobj);
        rows++;
    }
    CHECKF(rows == rf->n_fixations, "%s: %zu csv rows, %zu fixations", scene, rows,
           rf->n_fixations);
    CHECKF(rows == (size_t)cJSON_GetArraySize(fx), "%s: %zu csv rows, run --json has %d", scene,
           rows, cJSON_GetArraySize(fx));
    CHECK(mismatches == 0);
    free(csv);
    free(js);
    cJSON_Delete(root);
}

/* 30 s on each built-in scene recorded by `saccade run --record` (classifier in the loop):
 * `saccade replay --verify` passes, and the export matches an independent `run --json`. */
static void test_scenes(void)
{
    static const char *scenes[] = {"digits", "cluttered", "letters", "motion", "blank"};
    const double seconds = 30;
    for (size_t i = 0; i < sizeof scenes / sizeof scenes[0]; i++) {
        char path[1024], cmd[4096];
        snprintf(path, sizeof path, "%s/%s.run", tmpdir, scenes[i]);
        uint64_t seed = 7 + i;
        snprintf(cmd, sizeof cmd,
                 "'%s' run --scene %s --seconds %g --seed %llu --record '%s' > /dev/null",
                 saccade_bin, scenes[i], seconds, (unsigned long long)seed, path);
        CHECKF(system(cmd) == 0, "%s", cmd);
        RunFile *rf = runfile_read(path);
        CHECKF(rf, "%s", sc_last_error());
        if (!rf)
            continue;
        CHECK(rf->complete && rf->torn_note[0] == '\0' && rf->end_tick == 3000);
        CHECK(rf->n_hashes >= 31); /* start + one per simulated second */
        CHECKF(rf->header.model_hash != 0, "%s: recorded without the classifier", scenes[i]);
        snprintf(cmd, sizeof cmd, "'%s' replay '%s' --verify", saccade_bin, path);
        CHECKF(system(cmd) == 0, "%s", cmd);
        /* without the classifier the run cannot be re-simulated: refused, not diverged */
        ReplayReport rep;
        CHECK(record_verify(rf, NULL, 0, &rep) == -1 && strstr(sc_last_error(), "classifier"));
        compare_with_run_json(rf, scenes[i], seed, seconds);
        runfile_free(&rf);
    }
}

static void test_manual_and_divergence(void)
{
    char path[1024], bad[1024];
    snprintf(path, sizeof path, "%s/manual.run", tmpdir);
    snprintf(bad, sizeof bad, "%s/tampered.run", tmpdir);
    /* recorded from tick 250 on: replay starts from the recorded state */
    CHECKF(record(path, "digits", 3, 250, 2000, 1) == 0, "%s", sc_last_error());
    RunFile *rf = runfile_read(path);
    CHECKF(rf, "%s", sc_last_error());
    if (!rf)
        return;
    CHECK(rf->header.start_tick == 250 && rf->header.state_size > 0);
    size_t manual = 0, inputs = 0;
    for (size_t i = 0; i < rf->n_fixations; i++)
        manual += rf->fixations[i]->manual;
    for (size_t i = 0; i < rf->n_events; i++)
        inputs += rf->events[i].type == RUN_EV_INPUT;
    CHECKF(manual >= 5 && inputs >= 10, "%zu manual fixations, %zu inputs", manual, inputs);
    ReplayReport rep;
    CHECKF(record_verify(rf, NULL, 0, &rep) == 0, "manual run diverged at %lld",
           (long long)rep.diverged_tick);

    /* a different saccade command must be noticed within a second of it */
    uint64_t tick = 0;
    CHECK(sample_write_tampered(rf, bad, 3, &tick) == 0 && tick > 0);
    RunFile *tf = runfile_read(bad);
    CHECKF(tf, "%s", sc_last_error());
    if (tf) {
        int rc = record_verify(tf, NULL, 0, &rep);
        CHECKF(rc == 1 && rep.diverged_tick >= (int64_t)tick &&
                   rep.diverged_tick <= (int64_t)tick + 100,
               "tampered input at tick %llu: rc %d, diverged at %lld", (unsigned long long)tick, rc,
               (long long)rep.diverged_tick);
        printf("tampered input at tick %llu: divergence reported at tick %lld\n",
               (unsigned long long)tick, (long long)rep.diverged_tick);
        runfile_free(&tf);
    }
    runfile_free(&rf);
}

static void test_player(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/manual.run", tmpdir);
    Player *p = player_open(path, NULL);
    CHECKF(p, "%s", sc_last_error());
    if (!p)
        return;
    CHECK(player_diverged_tick(p) == -1 && player_torn_note(p) == NULL);
    uint64_t first = player_first_tick(p), last = player_length_ticks(p);
    CHECK(first == 250 && last == 2250 && player_tick(p) == first);
    CHECK(player_fixation_count(p) == (int)player_run(p)->n_fixations);
    uint64_t *hashes = malloc((last - first + 1) * sizeof *hashes);
    hashes[0] = sim_state_hash(player_sim(p));
    for (uint64_t t = first + 1; t <= last; t++) {
        CHECK(player_step(p) == 0);
        hashes[t - first] = sim_state_hash(player_sim(p));
    }
    CHECK(player_step(p) == 1 && player_tick(p) == last);
    uint64_t x = 12345;
    int bad = 0;
    for (int i = 0; i < 40; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t t = first + (x >> 20) % (last - first + 1);
        CHECK(player_seek(p, t) == 0);
        if (player_tick(p) != t || sim_state_hash(player_sim(p)) != hashes[t - first])
            bad++;
        if (i % 5 == 0 && t < last) { /* and playing on from there */
            player_step(p);
            if (sim_state_hash(player_sim(p)) != hashes[t + 1 - first])
                bad++;
        }
    }
    CHECKF(bad == 0, "%d seeks gave a different state", bad);
    CHECK(player_seek(p, 0) == 0 && player_tick(p) == first); /* clamped */
    CHECK(player_seek(p, UINT64_MAX) == 0 && player_tick(p) == last);
    PlayerStats st;
    player_stats(p, &st);
    CHECK(st.keyframe_count >= 1 && st.keyframe_every_ticks >= 1);
    free(hashes);
    player_close(&p);
    CHECK(p == NULL);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_record SACCADE TMPDIR\n");
        return 2;
    }
    saccade_bin = argv[1];
    tmpdir = argv[2];
    mkdir(tmpdir, 0777);
    test_manual_and_divergence();
    test_player();
    test_scenes();
    return TEST_DONE();
}
