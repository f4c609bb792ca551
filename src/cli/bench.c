/* saccade bench: per-stage wall-clock timings per tick (median, p90). Timing lives here, never
 * in the simulation. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/utf8.h"
#include "data/mnist.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "sim/sim_reading.h"

static void bench_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade bench [--scene S] [--ticks N] [--seed N] [--model M] [--readers N]\n"
            "                     [--json]\n"
            "       saccade bench --window [--seconds T] [--json]\n"
            "\n"
            "Runs the simulation and prints, per stage and for the whole tick, the median and\n"
            "90th percentile time per tick, and the start-up time (config, FFT plans, scene,\n"
            "first tick). Stage and tick times are CPU time of the simulating thread (one core,\n"
            "not counting time preempted by other processes); tick_wall is the wall clock.\n"
            "\n"
            "  --scene S   scene (default motion, 1280x720), or an image, .scene or video\n"
            "              file; a video is decoded ahead on a second thread, whose CPU time\n"
            "              shows as decode_thread (process CPU per tick minus the tick);\n"
            "              words, prose and words-grid pages are read by the scene's reader,\n"
            "              as 'run' reads them, and the reading step per fixation is reported\n"
            "  --readers N pages: extra readers beside the foveal one (default 0), their reads\n"
            "              in the reading step\n"
            "  --ticks N   ticks to time (default 2000; 100 warm-up ticks are not counted)\n"
            "  --model M   classifier timed per patch (default: the scene's model)\n"
            "  --json      "
            "{\"scene\",\"ticks\",\"startup_ms\",\"stages\":{name:{\"median_ms\",\"p90_ms\"}},\n"
            "              \"tick\":{\"median_ms\",\"p90_ms\"},\"tick_wall\":{...},\n"
            "              \"classifier_patch\":{\"reader\",\"median_us\",\"p90_us\"} (CPU\n"
            "              time; the scene's reader, two models joined where it has both),\n"
            "              \"classifier_patch_wall\":{...},\n"
            "              \"process_cpu_per_tick_ms\", \"decode_thread_per_tick_ms\" (means)}\n"
            "  --window    frames per second of the live window instead (see 'saccade live')\n"
            "\n"
            "example: saccade bench --scene motion --ticks 2000 --json\n");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place; returns the q-quantile (nearest rank). */
static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    int i = (int)(q * (n - 1) + 0.5);
    return v[i];
}

/* Times the scene's reader (one model, or two joined: sim_model_choose, as `run` picks it) on
 * real held-out digits (the stage the tick only runs once per fixation, so its per-tick median
 * says little). Returns 0, the reader's name and the figures in us, or -1. */
static int bench_classifier(const SceneSpec *spec, const Scene *scene, const char *model_opt,
                            char *name, size_t name_n, double *med_us, double *p90_us,
                            double *wall_med_us, double *wall_p90_us)
{
    SimModelChoice ch;
    SimModel *model = NULL;
    Mnist m;
    if (sim_model_choose(spec, scene, model_opt, &ch) < 0 || !(model = sim_model_open(&ch)) ||
        mnist_load(&m, NULL, MNIST_TEST) < 0) {
        sim_model_close(&model);
        return -1;
    }
    const SimClassifier *h = sim_model_hook(model);
    snprintf(name, name_n, "%s", sim_model_name(model));
    enum { N = 4000 };
    static float patches[64][28 * 28];
    float probs[SIM_MAX_CLASSES];
    for (int k = 0; k < 64; k++)
        for (int i = 0; i < 28 * 28; i++)
            patches[k][i] = mnist_image(&m, k)[i] / 255.0f;
    double *t = malloc(sizeof(double) * N), *tw = malloc(sizeof(double) * N);
    if (!t || !tw) {
        free(t);
        free(tw);
        mnist_free(&m);
        sim_model_close(&model);
        return -1;
    }
    /* CPU time of this thread, like the stage times (a preempted call is not slow), over runs
     * of R patches so that reading the clocks (a system call for the thread's CPU time, several
     * us in a VM) is not counted; the wall clock is reported beside it */
    enum { R = 16 };
    int ns = N / R;
    for (int i = 0; i < ns; i++) {
        double a = cli_thread_cpu_ms(), aw = cli_now_ms();
        for (int k = 0; k < R; k++)
            h->predict(h->ctx, patches[(i * R + k) & 63], probs);
        t[i] = (cli_thread_cpu_ms() - a) * 1000.0 / R;
        tw[i] = (cli_now_ms() - aw) * 1000.0 / R;
    }
    *med_us = quantile(t, ns, 0.5);
    *p90_us = quantile(t, ns, 0.9);
    *wall_med_us = quantile(tw, ns, 0.5);
    *wall_p90_us = quantile(tw, ns, 0.9);
    free(t);
    free(tw);
    mnist_free(&m);
    sim_model_close(&model);
    return 0;
}

int cmd_bench(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--window"))
            return bench_window(argc, argv);
    static const struct option opts[] = {
        {"scene", required_argument, 0, 'S'}, {"ticks", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'},  {"json", no_argument, 0, 'j'},
        {"model", required_argument, 0, 'm'}, {"readers", required_argument, 0, 'R'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    const char *scene_arg = "motion", *model_opt = NULL;
    int ticks = 2000, json = 0, readers = 0, c;
    uint64_t seed = 1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'S': scene_arg = optarg; break;
        case 'n':
            if (cli_parse_int("bench", "--ticks", optarg, 1, 10000000, &ticks) < 0)
                return 2;
            break;
        case 's':
            if (cli_parse_u64("bench", "--seed", optarg, &seed) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'm': model_opt = optarg; break;
        case 'R':
            if (cli_parse_int("bench", "--readers", optarg, 0, SIM_READERS_MAX, &readers) < 0)
                return 2;
            break;
        case 'h': bench_usage(stdout); return 0;
        default: return cli_bad_option("bench", argv, optind);
        }
    }
    if (cli_no_positionals("bench", argc, argv, optind) < 0)
        return 2;
    SceneSpec spec;
    if (scene_spec_parse(&spec, scene_arg) < 0) {
        fprintf(stderr, "saccade bench: --scene: %s\n", sc_last_error());
        return 2;
    }
    if (readers > 0 && !SCENE_KIND_READS(spec.kind)) {
        fprintf(stderr, "saccade bench: --readers is for --scene words, prose or words-grid\n");
        return 2;
    }

    double t0 = cli_now_ms();
    SimConfig cfg;
    sim_config_default(&cfg);
    Sim *sim = sim_create(&cfg, &spec, seed);
    if (!sim) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    /* a page of text is read as `run` reads it (the scene's reader and --readers extra ones):
     * its reading step, once per fixation, is in the tick */
    SimModel *page_model = NULL;
    if (SCENE_KIND_READS(spec.kind)) {
        SimModelChoice ch;
        if (sim_model_choose(&spec, sim_scene(sim), model_opt, &ch) < 0 ||
            !(page_model = sim_model_open(&ch))) {
            sc_log_error("%s", sc_last_error());
            sim_destroy(&sim);
            return 1;
        }
        sim_set_classifier(sim, sim_model_hook(page_model));
        if (sim_model_attach_readers(sim, sim_model_hook(page_model), sim_model_hash(page_model),
                                     readers, NULL) < 0) {
            sc_log_error("%s", sc_last_error());
            sim_destroy(&sim);
            sim_model_close(&page_model);
            return 1;
        }
    }
    SimProfile prof = {.now_ms = cli_thread_cpu_ms};
    sim_set_profile(sim, &prof);
    sim_tick(sim, NULL, 0);
    double startup_ms = cli_now_ms() - t0;

    for (int i = 0; i < 100; i++)
        sim_tick(sim, NULL, 0);
    enum { TICK = SIM_STAGE_COUNT, WALL = SIM_STAGE_COUNT + 1, SERIES = SIM_STAGE_COUNT + 2 };
    double *samples = malloc(sizeof(double) * (size_t)ticks * SERIES);
    double *steps = malloc(sizeof(double) * (size_t)ticks); /* reading steps, ms */
    if (!samples || !steps) {
        sc_log_error("out of memory");
        free(samples);
        free(steps);
        sim_destroy(&sim);
        sim_model_close(&page_model);
        return 1;
    }
    int n_steps = 0;
    double proc0 = cli_process_cpu_ms(), tick_sum = 0;
    for (int i = 0; i < ticks; i++) {
        double a = cli_now_ms(), ac = cli_thread_cpu_ms();
        sim_tick(sim, NULL, 0);
        double bc = cli_thread_cpu_ms(), b = cli_now_ms();
        for (int s = 0; s < SIM_STAGE_COUNT; s++)
            samples[(size_t)s * ticks + i] = prof.stage_ms[s];
        samples[(size_t)TICK * ticks + i] = bc - ac;
        if (page_model && prof.stage_ms[SIM_STAGE_CLASSIFIER] > 0.0)
            steps[n_steps++] = prof.stage_ms[SIM_STAGE_CLASSIFIER];
        samples[(size_t)WALL * ticks + i] = b - a;
        tick_sum += bc - ac;
    }
    /* all threads: a video scene's decoding runs ahead on its own thread */
    const double proc_tick = (cli_process_cpu_ms() - proc0) / ticks,
                 other_tick = proc_tick - tick_sum / ticks;
    double med[SERIES], p90[SERIES];
    for (int s = 0; s < SERIES; s++) {
        double *v = samples + (size_t)s * ticks;
        med[s] = quantile(v, ticks, 0.5);
        p90[s] = quantile(v, ticks, 0.9);
    }
    free(samples);
    double step_med = n_steps ? quantile(steps, n_steps, 0.5) : 0.0;
    double step_max = n_steps ? quantile(steps, n_steps, 1.0) : 0.0;
    free(steps);
    double cls_med = 0, cls_p90 = 0, cls_wmed = 0, cls_wp90 = 0;
    char reader[96] = "";
    int have_cls = bench_classifier(&spec, sim_scene(sim), model_opt, reader, sizeof(reader),
                                    &cls_med, &cls_p90, &cls_wmed, &cls_wp90) == 0;
    if (!have_cls && model_opt) {
        /* the reader asked for by name cannot be read: an error, not a figure left out */
        sc_log_error("%s", sc_last_error());
        sim_destroy(&sim);
        sim_model_close(&page_model);
        return 1;
    }
    if (!have_cls)
        sc_log_warn("classifier not timed: %s", sc_last_error());

    if (json) {
        cJSON *root = cJSON_CreateObject();
        char fixed[1100]; /* the scene name is a path for files: UTF-8-fixed for JSON */
        cJSON_AddStringToObject(root, "scene",
                                utf8_fixed(scene_spec_name(&spec), fixed, sizeof fixed));
        cJSON_AddNumberToObject(root, "ticks", ticks);
        cJSON_AddNumberToObject(root, "startup_ms", startup_ms);
        cJSON *st = cJSON_AddObjectToObject(root, "stages");
        for (int s = 0; s < SIM_STAGE_COUNT; s++) {
            cJSON *o = cJSON_AddObjectToObject(st, sim_stage_name((SimStage)s));
            cJSON_AddNumberToObject(o, "median_ms", med[s]);
            cJSON_AddNumberToObject(o, "p90_ms", p90[s]);
        }
        cJSON *tk = cJSON_AddObjectToObject(root, "tick");
        cJSON_AddNumberToObject(tk, "median_ms", med[SIM_STAGE_COUNT]);
        cJSON_AddNumberToObject(tk, "p90_ms", p90[SIM_STAGE_COUNT]);
        cJSON_AddNumberToObject(root, "process_cpu_per_tick_ms", proc_tick);
        cJSON_AddNumberToObject(root, "decode_thread_per_tick_ms", other_tick);
        cJSON *tw = cJSON_AddObjectToObject(root, "tick_wall");
        cJSON_AddNumberToObject(tw, "median_ms", med[WALL]);
        cJSON_AddNumberToObject(tw, "p90_ms", p90[WALL]);
        if (have_cls) {
            cJSON *cp = cJSON_AddObjectToObject(root, "classifier_patch");
            cJSON_AddStringToObject(cp, "reader", reader);
            cJSON_AddNumberToObject(cp, "median_us", cls_med);
            cJSON_AddNumberToObject(cp, "p90_us", cls_p90);
            cJSON *cw = cJSON_AddObjectToObject(root, "classifier_patch_wall");
            cJSON_AddNumberToObject(cw, "median_us", cls_wmed);
            cJSON_AddNumberToObject(cw, "p90_us", cls_wp90);
        }
        if (page_model) {
            cJSON *rs = cJSON_AddObjectToObject(root, "reading_step");
            cJSON_AddNumberToObject(rs, "fixations", n_steps);
            cJSON_AddNumberToObject(rs, "median_ms", step_med);
            cJSON_AddNumberToObject(rs, "max_ms", step_max);
        }
        char *txt = cJSON_Print(root);
        cJSON_Delete(root);
        if (txt)
            puts(txt);
        free(txt);
    } else {
        const Image *w = scene_world(sim_scene(sim));
        printf("scene %s (%dx%d), %d ticks timed, start-up %.1f ms\n", scene_spec_name(&spec), w->w,
               w->h, ticks, startup_ms);
        printf("%-12s %10s %10s\n", "stage", "median_ms", "p90_ms");
        for (int s = 0; s < SIM_STAGE_COUNT; s++)
            printf("%-12s %10.4f %10.4f\n", sim_stage_name((SimStage)s), med[s], p90[s]);
        printf("%-12s %10.4f %10.4f\n", "tick", med[SIM_STAGE_COUNT], p90[SIM_STAGE_COUNT]);
        printf("%-12s %10.4f %10.4f   (wall clock; includes time preempted by other processes)\n",
               "tick_wall", med[WALL], p90[WALL]);
        printf("process CPU per tick (all threads, mean) %.4f ms: the tick %.4f ms + other "
               "threads (a video's decoding ahead) %.4f ms\n",
               proc_tick, tick_sum / ticks, other_tick);
        printf("(the classifier runs once per fixation, not per tick; per tick it is ~0)\n");
        if (page_model)
            printf("reading step (the page read by the scene's reader, once per fixation, in the "
                   "classifier stage): %d fixations, median %.3f ms, max %.3f ms\n",
                   n_steps, step_med, step_max);
        if (have_cls)
            printf("classifier per patch (%s): median %.1f us, p90 %.1f us (wall %.1f / %.1f "
                   "us)\n",
                   reader, cls_med, cls_p90, cls_wmed, cls_wp90);
    }
    sim_destroy(&sim);
    sim_model_close(&page_model);
    return 0;
}
