/* record_tool: records a headless run with the Recorder, for tests, examples and seek
 * benchmarks (the `saccade run --record` wiring lives in the lead's run command).
 *
 *   record_tool --out FILE [--scene S] [--seconds T] [--seed N] [--manual] [--skip TICKS]
 *               [--print-ticks]
 *   --manual       scripted manual inputs: switch to manual, saccade by degrees and to points,
 *                  back to auto (deterministic: from the tick number only)
 *   --skip TICKS   simulate this many ticks before recording starts (record from a state)
 *   --print-ticks  after each tick print "TICK FLUSHED" (stdout, flushed), for the crash test
 *   --no-pursuit   smooth pursuit off (the digits example: v1 files mean pursuit off)
 *   --model M      classifier in the loop: "default" (the scene's), "mnist", "glyphs" or a file
 *
 *   record_tool --rewrite-v1 IN OUT
 *                  re-encodes a run file in the oldest format this build reads (v1), for the
 *                  older-version example that must still read and replay
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "core/log.h"
#include "record/record.h"
#include "sample_run.h"
#include "sim/sim_model.h"

static int rewrite_v1(const char *in_path, const char *out_path)
{
    RunFile *rf = runfile_read(in_path);
    if (!rf) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    const RunHeader *h = &rf->header;
    size_t hcap = 4096 + run_chunk_bound(h->state_size);
    size_t pcap = rf->n_events * RUN_EVENT_MAX_SIZE + 1;
    uint8_t *hb = malloc(hcap), *payload = malloc(pcap), *chunk = malloc(pcap + 64);
    FILE *f = fopen(out_path, "wb");
    int rc = 1;
    size_t hn = hb ? run_header_encode(h, RUN_FORMAT_V1, hb, hcap) : 0;
    if (!payload || !chunk || !f || !hn || fwrite(hb, 1, hn, f) != hn)
        goto done;
    size_t e = 0;
    for (uint64_t first = h->start_tick; first <= rf->end_tick; first += 100) {
        uint64_t end = first + 99 < rf->end_tick ? first + 99 : rf->end_tick;
        size_t pn = 0;
        uint32_t ne = 0;
        for (; e < rf->n_events && rf->events[e].tick <= end; e++, ne++)
            pn += run_event_encode(&rf->events[e], payload + pn, pcap - pn);
        size_t cn =
            run_chunk_encode(RUN_FORMAT_V1, first, end, ne, payload, pn, 0, NULL, chunk, pcap + 64);
        if (!cn || fwrite(chunk, 1, cn, f) != cn)
            goto done;
    }
    rc = 0;
done:
    if (f && fclose(f) != 0)
        rc = 1;
    if (rc)
        sc_log_error("%s: cannot rewrite as v1", out_path);
    free(hb);
    free(payload);
    free(chunk);
    runfile_free(&rf);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--rewrite-v1"))
        return rewrite_v1(argv[2], argv[3]);
    const char *out = NULL, *scene = "digits", *model_opt = NULL;
    double seconds = 5;
    uint64_t seed = 1, skip = 0;
    int manual = 0, print_ticks = 0, no_pursuit = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--out") && v)
            out = argv[++i];
        else if (!strcmp(a, "--scene") && v)
            scene = argv[++i];
        else if (!strcmp(a, "--seconds") && v)
            seconds = atof(argv[++i]);
        else if (!strcmp(a, "--seed") && v)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--skip") && v)
            skip = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--model") && v)
            model_opt = argv[++i];
        else if (!strcmp(a, "--no-pursuit"))
            no_pursuit = 1;
        else if (!strcmp(a, "--manual"))
            manual = 1;
        else if (!strcmp(a, "--print-ticks"))
            print_ticks = 1;
        else {
            fprintf(stderr, "record_tool: bad argument '%s'\n", a);
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "record_tool: --out FILE needed\n");
        return 2;
    }
    SceneSpec spec;
    if (scene_spec_parse(&spec, scene) < 0) {
        sc_log_error("%s", sc_last_error());
        return 2;
    }
    SimConfig cfg;
    sim_config_default(&cfg);
    if (no_pursuit)
        cfg.eye.pursuit = 0;
    Sim *sim = sim_create(&cfg, &spec, seed);
    if (!sim) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    Classifier *model = NULL;
    if (model_opt) {
        char mp[1024];
        const char *name = strcmp(model_opt, "default") ? model_opt : NULL;
        if (sim_model_path(&spec, name, mp, sizeof mp) < 0 || !(model = classifier_load(mp))) {
            sc_log_error("%s", sc_last_error());
            sim_destroy(&sim);
            return 1;
        }
        SimClassifier sc;
        sim_model_adapter(model, &sc);
        sim_set_classifier(sim, &sc);
    }
    SimInput in[4];
    for (uint64_t t = 1; t <= skip; t++)
        sim_tick(sim, in, manual ? scripted_inputs(t, in) : 0);
    Recorder *r = recorder_open(out, sim, model ? classifier_hash(model) : 0);
    if (!r) {
        sc_log_error("%s", sc_last_error());
        sim_destroy(&sim);
        classifier_destroy(&model);
        return 1;
    }
    uint64_t ticks = (uint64_t)(seconds * 1000.0 / cfg.tick_ms + 0.5);
    int rc = 0;
    for (uint64_t t = skip + 1; t <= skip + ticks; t++) {
        int n = manual ? scripted_inputs(t, in) : 0;
        sim_tick(sim, in, n);
        if (recorder_tick(r, sim, in, n) < 0) {
            sc_log_error("%s", sc_last_error());
            rc = 1;
            break;
        }
        if (print_ticks) {
            printf("%llu %llu\n", (unsigned long long)t,
                   (unsigned long long)recorder_flushed_tick(r));
            fflush(stdout);
        }
    }
    if (rc == 0 && recorder_finish(r, sim) < 0)
        rc = 1;
    if (recorder_close(&r) < 0) {
        sc_log_error("%s", sc_last_error());
        rc = 1;
    }
    sim_destroy(&sim);
    classifier_destroy(&model);
    return rc;
}
