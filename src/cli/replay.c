/* saccade replay: play a run file in the window, check it headless (--verify), or measure
 * seek time (--bench-seek). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/record_cli.h"
#include "core/log.h"
#include "core/number.h"
#include "record/player.h"
#include "record/record.h"
#include "ui/ui.h" /* ui_replay_run, SACCADE_HAVE_UI_REPLAY */
#include "ui/video.h"

static void replay_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade replay FILE [--verify | --bench-seek [--keyframe-mib N]] [--speed X]\n"
            "                           [--model FILE] [--scene PATH] [--layers LIST]\n"
            "                           [--screenshot-at S:PNG] [--quit-after S]\n"
            "       saccade replay FILE [--video OUT.mp4] [--gif OUT.gif] [--frames DIR]\n"
            "                           [--fps N] [--video-size WxH] [--layers LIST]\n"
            "\n"
            "Plays a recorded run (.run) exactly, by re-simulating it from its recorded inputs.\n"
            "\n"
            "  --verify      headless: re-simulate and compare every recorded state hash and\n"
            "                fixation; exit 0 if all match, 1 naming the first tick that diverged\n"
            "  --bench-seek  headless: open the run as the replay window does and time seeks to\n"
            "                many points (reports keyframe spacing, memory, median/max seek ms)\n"
            "  --keyframe-mib N  keyframe memory budget for --bench-seek (default 512)\n"
            "  --speed X     window playback speed, 0.25..8 (default 1)\n"
            "  --model FILE  classifier weights for a run recorded with a classifier (default:\n"
            "                the shipped reader whose hash the recording holds)\n"
            "  --scene PATH  the scene, image or video file the run was recorded on, when it is\n"
            "                not at the recorded path (its content hash must match the\n"
            "                recording)\n"
            "  --layers LIST layers shown, e.g. 1,5, all or none (keys 1-6)\n"
            "  --screenshot-at S:PNG  save a PNG at S seconds of simulated time\n"
            "  --quit-after S         close the window after S seconds of simulated time\n"
            "\n"
            "Export (offscreen, no window; through FFmpeg's libraries):\n"
            "  --video OUT   H.264 video (.mp4, .mkv, ...): one frame per 1/fps s of the run\n"
            "  --gif OUT     animated GIF\n"
            "  --frames DIR  numbered PNG frames (frame-000000.png, ...) in an existing folder\n"
            "  --fps N       frames per second of simulated time (default 30; GIF alone 15)\n"
            "  --video-size WxH  frame size in px (default 1280x720; even sides)\n"
            "\n"
            "example: saccade replay saved_runs/example-digits.run --verify\n"
            "         saccade replay saved_runs/example-motion.run --video motion.mp4\n");
}

/* "S:PATH" into seconds and path; -1 on a malformed value. */
static int parse_shot(const char *s, double *at, const char **path)
{
    const char *colon = strchr(s, ':');
    if (!colon || colon == s || !colon[1])
        return -1;
    char num[64];
    if ((size_t)(colon - s) >= sizeof(num))
        return -1;
    memcpy(num, s, (size_t)(colon - s));
    num[colon - s] = 0;
    double v = 0;
    if (number_parse_double(num, &v) != NUMBER_OK || !(v >= 0) || v > 1e7)
        return -1;
    *at = v;
    *path = colon + 1;
    return 0;
}

static int verify(const char *path, const char *model, const char *scene)
{
    RunFile *rf = runfile_read(path);
    if (!rf) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (scene && runfile_set_scene_path(rf, scene) < 0) {
        sc_log_error("%s: %s", path, sc_last_error());
        runfile_free(&rf);
        return 1;
    }
    if (rf->torn_note[0])
        sc_log_warn("%s", rf->torn_note);
    RecordCliModel m;
    if (record_cli_model_load(&m, rf, model) < 0) {
        sc_log_error("%s: %s", path, sc_last_error());
        runfile_free(&rf);
        return 1;
    }
    ReplayReport rep;
    int rc = record_verify(rf, m.cls_ptr, m.hash, &rep);
    if (rc < 0) {
        sc_log_error("%s: %s", path, sc_last_error());
        rc = 1;
    } else if (rc == 1 && rep.diverged_tick == (int64_t)rf->header.start_tick &&
               rf->header.version < RUN_FORMAT_V4) {
        sc_log_error("%s: replay diverged at its first tick (%lld): format v%u was recorded "
                     "before smooth pursuit (v4) changed the eye's state, so its state hashes "
                     "cannot match; its fixations still export; re-record it",
                     path, (long long)rep.diverged_tick, rf->header.version);
    } else if (rc == 1 && rep.diverged_tick == (int64_t)rf->header.start_tick) {
        sc_log_error("%s: replay diverged at its first tick (%lld): the simulation this build "
                     "makes from the header differs (assets, fonts or stage code changed)",
                     path, (long long)rep.diverged_tick);
    } else if (rc == 1) {
        sc_log_error("%s: replay diverged at tick %lld (%.2f s): %s differs; last matching "
                     "state hash at tick %llu",
                     path, (long long)rep.diverged_tick,
                     (double)rep.diverged_tick * rf->header.tick_ms / 1000.0,
                     rep.fixation_mismatch ? "the recorded fixation" : "the state hash",
                     (unsigned long long)rep.last_good_tick);
    } else {
        /* Count as `saccade info` does: the periodic state hashes; the END event's final
         * hash is checked too and named apart. */
        uint64_t final = 0;
        for (size_t i = 0; i < rf->n_events; i++)
            if (rf->events[i].type == RUN_EV_END && rf->events[i].u.final_hash)
                final = 1;
        uint64_t periodic = rep.hashes_checked >= final ? rep.hashes_checked - final : 0;
        printf("%s: replay verified: %llu ticks (%.2f s simulated), %llu state hashes%s and %zu "
               "fixations match\n",
               path, (unsigned long long)rep.ticks, (double)rep.ticks * rf->header.tick_ms / 1000.0,
               (unsigned long long)periodic, final ? " plus the final hash" : "", rf->n_fixations);
    }
    record_cli_model_free(&m);
    runfile_free(&rf);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench_seek(const char *path, const char *model, const char *scene, int keyframe_mib)
{
    RunFile *rf = runfile_read(path);
    if (!rf) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    RecordCliModel m;
    int ok = record_cli_model_load(&m, rf, model) == 0;
    runfile_free(&rf);
    if (!ok) {
        sc_log_error("%s: %s", path, sc_last_error());
        return 1;
    }
    PlayerParams pp;
    memset(&pp, 0, sizeof pp);
    pp.classifier = m.cls_ptr;
    pp.model_hash = m.hash;
    pp.keyframe_budget_bytes = (size_t)keyframe_mib << 20;
    pp.scene_path = scene;
    Player *p = player_open(path, &pp);
    if (!p) {
        sc_log_error("%s", sc_last_error());
        record_cli_model_free(&m);
        return 1;
    }
    PlayerStats st;
    player_stats(p, &st);
    uint64_t first = player_first_tick(p), last = player_length_ticks(p);
    printf("%s: %llu ticks (%.1f s simulated); open (first pass) %.0f ms, %.3f ms per tick\n", path,
           (unsigned long long)(last - first), (double)(last - first) * player_tick_ms(p) / 1000.0,
           st.open_ms, st.tick_cost_ms);
    printf("keyframes: every %llu ticks, %zu of them, %.1f MiB (budget %s); load %.2f ms\n",
           (unsigned long long)st.keyframe_every_ticks, st.keyframe_count,
           (double)st.keyframe_bytes / (1024.0 * 1024.0),
           keyframe_mib ? "--keyframe-mib" : "default", st.load_ms);
    enum { N = 60 };
    double ms[N];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    int rc = 0;
    for (int i = 0; i < N; i++) {
        uint64_t target;
        if (i % 3 == 0) {
            /* worst case: the tick just before a keyframe (a load + every-1 ticks) */
            uint64_t j = (x >> 11) % st.keyframe_count;
            target = first + j * st.keyframe_every_ticks + st.keyframe_every_ticks - 1;
        } else {
            target = first + (x >> 11) % (last - first + 1);
        }
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double t0 = cli_now_ms();
        if (player_seek(p, target) < 0) {
            sc_log_error("%s", sc_last_error());
            rc = 1;
            break;
        }
        ms[i] = cli_now_ms() - t0;
    }
    if (rc == 0) {
        qsort(ms, N, sizeof ms[0], cmp_double);
        printf("seek over %d random and worst-case points: median %.1f ms, p90 %.1f ms, "
               "max %.1f ms\n",
               N, ms[N / 2], ms[(N * 9) / 10], ms[N - 1]);
    }
    player_close(&p);
    record_cli_model_free(&m);
    return rc;
}

/* The window replay lives in the ui (src/ui); this build's hook. */
static int replay_window(const char *path, double speed, const char *model, const UiOptions *o)
{
#ifdef SACCADE_HAVE_UI_REPLAY
    return ui_replay_run(path, speed, model, o);
#else
    (void)path, (void)speed, (void)model, (void)o;
    fprintf(stderr, "saccade replay: the replay window is not in this build; use --verify or "
                    "--bench-seek\n");
    return 2;
#endif
}

int cmd_replay(int argc, char **argv)
{
    enum { O_VIDEO = 256, O_GIF, O_FRAMES, O_FPS, O_VSIZE, O_LAYERS, O_SHOT, O_QUIT };
    static const struct option opts[] = {{"verify", no_argument, 0, 'v'},
                                         {"bench-seek", no_argument, 0, 'b'},
                                         {"speed", required_argument, 0, 's'},
                                         {"model", required_argument, 0, 'm'},
                                         {"scene", required_argument, 0, 'S'},
                                         {"keyframe-mib", required_argument, 0, 'k'},
                                         {"video", required_argument, 0, O_VIDEO},
                                         {"gif", required_argument, 0, O_GIF},
                                         {"frames", required_argument, 0, O_FRAMES},
                                         {"fps", required_argument, 0, O_FPS},
                                         {"video-size", required_argument, 0, O_VSIZE},
                                         {"layers", required_argument, 0, O_LAYERS},
                                         {"screenshot-at", required_argument, 0, O_SHOT},
                                         {"quit-after", required_argument, 0, O_QUIT},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int do_verify = 0, do_bench = 0, keyframe_mib = 0, c;
    double speed = 1.0;
    const char *model = NULL, *scene = NULL;
    UiExportOptions ex;
    memset(&ex, 0, sizeof ex);
    ex.screenshot_at_s = -1;
    UiOptions wo;
    ui_options_default(&wo);
    double quit_after = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'v': do_verify = 1; break;
        case 'b': do_bench = 1; break;
        case 's':
            if (cli_parse_double("replay", "--speed", optarg, 0.25, 8, &speed) < 0)
                return 2;
            break;
        case 'm': model = optarg; break;
        case 'S': scene = optarg; break;
        case 'k':
            if (cli_parse_int("replay", "--keyframe-mib", optarg, 1, 65536, &keyframe_mib) < 0)
                return 2;
            break;
        case O_VIDEO: ex.video = optarg; break;
        case O_GIF: ex.gif = optarg; break;
        case O_FRAMES: ex.frames = optarg; break;
        case O_FPS:
            if (cli_parse_double("replay", "--fps", optarg, 1, 240, &ex.fps) < 0)
                return 2;
            break;
        case O_VSIZE:
            if (cli_parse_size("replay", "--video-size", optarg, &ex.width, &ex.height) < 0)
                return 2;
            if (((ex.width | ex.height) & 1) || ex.width > 7680 || ex.height > 4320) {
                fprintf(stderr,
                        "saccade replay: --video-size: want WxH, even sides 16..7680x4320, got "
                        "'%s'\n",
                        optarg);
                return 2;
            }
            break;
        case O_LAYERS:
            if (ui_parse_layers(optarg, &ex.layers)) {
                fprintf(stderr,
                        "saccade replay: --layers: want digits 1-6, all or none; got "
                        "'%s'\n",
                        optarg);
                return 2;
            }
            ex.layers_set = 1;
            wo.layers = ex.layers;
            break;
        case O_SHOT:
            if (parse_shot(optarg, &ex.screenshot_at_s, &ex.screenshot_path) ||
                strlen(ex.screenshot_path) >= sizeof(wo.screenshot_path)) {
                fprintf(stderr, "saccade replay: --screenshot-at: want SECONDS:PATH, got '%s'\n",
                        optarg);
                return 2;
            }
            wo.screenshot_at_s = ex.screenshot_at_s;
            snprintf(wo.screenshot_path, sizeof(wo.screenshot_path), "%s", ex.screenshot_path);
            break;
        case O_QUIT:
            if (cli_parse_double("replay", "--quit-after", optarg, 0.001, 1e7, &quit_after) < 0)
                return 2;
            wo.quit_after_s = quit_after;
            break;
        case 'h': replay_usage(stdout); return 0;
        default: return cli_bad_option("replay", argv, optind);
        }
    }
    const char *path = cli_one_file("replay", argc, argv, optind);
    if (!path)
        return 2;
    int exporting = ex.video || ex.gif || ex.frames;
    if (do_verify + do_bench + (exporting != 0) > 1) {
        fprintf(stderr, "saccade replay: --verify, --bench-seek and --video/--gif/--frames are "
                        "exclusive\n");
        return 2;
    }
    if (!exporting && (ex.fps > 0 || ex.width)) {
        fprintf(stderr, "saccade replay: --fps and --video-size need --video, --gif or "
                        "--frames\n");
        return 2;
    }
    if (wo.screenshot_at_s >= 0 && quit_after > 0 && wo.screenshot_at_s > quit_after) {
        fprintf(stderr, "saccade replay: --screenshot-at %g s comes after --quit-after %g s\n",
                wo.screenshot_at_s, quit_after);
        return 2;
    }
    if (do_verify)
        return verify(path, model, scene);
    if (do_bench)
        return bench_seek(path, model, scene, keyframe_mib);
    if (scene) {
        fprintf(stderr, "saccade replay: --scene is for --verify and --bench-seek in this build "
                        "(the window and the exports take the recorded path)\n");
        return 2;
    }
    if (exporting) {
        ex.model = model;
        if (ui_replay_export(path, &ex) < 0) {
            sc_log_error("%s", sc_last_error());
            return 1;
        }
        return 0;
    }
    return replay_window(path, speed, model, &wo);
}
