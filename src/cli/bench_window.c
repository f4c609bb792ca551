/* saccade bench --window: frames per second of the live window with every layer on. */
#include <SDL.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/number.h"
#include "ui/ui.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(const double *sorted, int n, double q)
{
    if (n <= 0)
        return 0;
    double pos = q * (n - 1);
    int i = (int)pos;
    double f = pos - i;
    return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

int bench_window(int argc, char **argv)
{
    UiOptions o;
    ui_options_default(&o);
    o.layers = UI_LAYER_ALL;
    o.vsync = 0;
    /* Start-up is timed from here (the command's start: exec and dynamic loading before it
     * take about 20 ms more). */
    const double freq = (double)SDL_GetPerformanceFrequency();
    const Uint64 t_cmd = SDL_GetPerformanceCounter();
    double seconds = 5.0;
    int json = 0;
    const char *replay = NULL;
    enum { O_WINDOW = 256, O_SECONDS, O_JSON, O_SCENE, O_SEED, O_SIZE, O_REPLAY, O_HELP };
    static const struct option opts[] = {
        {"window", optional_argument, 0, O_WINDOW}, {"seconds", required_argument, 0, O_SECONDS},
        {"json", no_argument, 0, O_JSON},           {"scene", required_argument, 0, O_SCENE},
        {"seed", required_argument, 0, O_SEED},     {"replay", required_argument, 0, O_REPLAY},
        {"help", no_argument, 0, O_HELP},           {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_WINDOW: break;
        case O_SECONDS: {
            if (number_parse_double(optarg, &seconds) != NUMBER_OK || !(seconds > 0) ||
                seconds > 3600) {
                sc_log_error("--seconds: want 0 < T <= 3600, got '%s'", optarg);
                return 2;
            }
            break;
        }
        case O_JSON: json = 1; break;
        case O_SCENE:
            if (scene_spec_parse(&o.spec, optarg)) {
                fprintf(stderr, "saccade bench: --scene: %s\n", sc_last_error());
                return 2;
            }
            break;
        case O_SEED:
            if (cli_parse_u64("bench", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case O_REPLAY: replay = optarg; break;
        case O_HELP:
            printf(
                "usage: saccade bench --window [--seconds T] [--scene S | --replay FILE] [--json]\n"
                "Runs the live window (1600x900, every layer on, no vsync) for T seconds of real\n"
                "time (default 5) after a warm-up (10 frames or 1 s, whichever ends first) and\n"
                "prints frames per second and ms per frame (median, p90). fps_p90 is\n"
                "the rate 90%% of frames reach (1000 / frame_ms_p90). Then a shorter pass times\n"
                "each part of a frame (sim, upload, overlay, view, scene, V1 strokes, motion\n"
                "arrows, marks, panel text, swap; glFinish after each) and prints the mean ms.\n"
                "first_frame_ms is the time from the command's start until its first frame is\n"
                "on screen (window, GL, fonts, model, scene and simulation included).\n"
                "  --replay FILE  the replay window playing FILE instead of the live window\n");
            return 0;
        default:
            sc_log_error("bench --window: unknown or incomplete option '%s'", argv[optind - 1]);
            return 2;
        }
    }
    int no_display = 0;
    UiApp *a = replay ? ui_replay_create(replay, 1.0, NULL, &o) : ui_app_create(&o, &no_display);
    if (!a) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int cap = (int)(seconds * 5000) + 16;
    double *ft = malloc(sizeof(double) * (size_t)cap);
    if (!ft) {
        ui_app_destroy(&a);
        sc_log_error("bench --window: out of memory");
        return 1;
    }
    /* Warm-up: 10 frames or 1 s, whichever ends first (the first frames compile shaders);
     * then `seconds` of measured frames. */
    Uint64 start = SDL_GetPerformanceCounter(), prev = start, mstart = start;
    int n = 0, frames = 0, warming = 1, rc = 0;
    double first_ms = -1;
    for (;;) {
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - prev) * 1000.0 / freq; /* the frame just drawn */
        prev = now;
        if (!warming && n < cap)
            ft[n++] = dt;
        if (warming && (frames >= 10 || (double)(now - start) / freq > 1.0)) {
            warming = 0;
            mstart = now;
        }
        frames++;
        int done = ui_app_frame(a, frames == 1 ? 0.0 : dt);
        if (first_ms < 0)
            first_ms = (double)(SDL_GetPerformanceCounter() - t_cmd) * 1000.0 / freq;
        if (done) {
            rc = 0;
            break;
        }
        if (!warming && (double)(now - mstart) / freq > seconds)
            break;
    }
    /* Where the time goes: a second, shorter pass with each section timed (glFinish after
     * each, so these frames are a little slower than the ones measured above). */
    double sect[UI_SECTIONS_MAX] = {0};
    int ns = 0, pf = 0;
    while (ns < UI_SECTIONS_MAX && ui_section_name(ns))
        ns++;
    ui_app_profile(a, 1, NULL);
    Uint64 pstart = SDL_GetPerformanceCounter();
    double pseconds = seconds < 6 ? seconds / 2 : 3;
    for (;;) {
        Uint64 now = SDL_GetPerformanceCounter();
        double dt = (double)(now - prev) * 1000.0 / freq;
        prev = now;
        if (ui_app_frame(a, dt))
            break;
        pf++;
        if ((double)(now - pstart) / freq > pseconds)
            break;
    }
    ui_app_profile(a, 0, sect);
    ui_app_destroy(&a);
    if (n == 0) {
        free(ft);
        sc_log_error("bench --window: no frames measured");
        return 1;
    }
    qsort(ft, (size_t)n, sizeof(double), cmp_double);
    double med = quantile(ft, n, 0.5), p90 = quantile(ft, n, 0.9);
    free(ft);
    if (json) {
        printf("{\"frames\": %d, \"seconds\": %.3f, \"width\": %d, \"height\": %d, "
               "\"fps_median\": %.2f, \"fps_p90\": %.2f, \"frame_ms_median\": %.3f, "
               "\"frame_ms_p90\": %.3f, \"first_frame_ms\": %.1f, \"section_ms_mean\": {",
               n, seconds, o.win_w, o.win_h, 1000.0 / med, 1000.0 / p90, med, p90, first_ms);
        for (int i = 0; i < ns; i++)
            printf("%s\"%s\": %.3f", i ? ", " : "", ui_section_name(i), pf ? sect[i] / pf : 0.0);
        printf("}, \"section_frames\": %d}\n", pf);
    } else {
        printf("%s window %dx%d, every layer on, %d frames in %.1f s\n"
               "  first frame on screen %.0f ms after the command started\n"
               "  fps        median %.1f   p90 %.1f\n"
               "  ms/frame   median %.2f   p90 %.2f\n"
               "  where a frame's time goes (mean ms over %d frames, each section synced):\n   ",
               replay ? "replay" : "live", o.win_w, o.win_h, n, seconds, first_ms, 1000.0 / med,
               1000.0 / p90, med, p90, pf);
        for (int i = 0; i < ns; i++)
            printf(" %s %.2f", ui_section_name(i), pf ? sect[i] / pf : 0.0);
        printf("\n");
    }
    return rc;
}
