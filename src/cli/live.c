/* saccade live: the window. Options are parsed here; src/ui does the rest. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/image.h"
#include "core/log.h"
#include "core/number.h"
#include "sim/sim.h"
#include "ui/ui.h"

static void live_usage(FILE *f)
{
    fprintf(
        f,
        "usage: saccade live [OPTIONS]\n"
        "\n"
        "Opens the window on a scene with the eye already moving (press h for the keys).\n"
        "\n"
        "  --scene S              digits (default), cluttered, letters, motion, blank,\n"
        "                         words or words:PX (reading natural text, with an eye\n"
        "                         that finds its own layout), prose or prose:PX (the\n"
        "                         same, English prose's words in their order),\n"
        "                         words-grid (fixed-pitch words), an image file, a .scene file, a "
        "video file\n"
        "                         (.mp4 .mov .mkv .webm .gif) or a camera (/dev/video0)\n"
        "  --readers N            reading: extra readers beside the foveal one (words,\n"
        "                         prose: 0..8; words-grid: 0..8)\n"
        "  --seed N               random seed (default 1)\n"
        "  --size WxH             world size in px (default 1280x720)\n"
        "  --objects N            objects in a built-in scene (1..256; default 12)\n"
        "  --window WxH           window size (default 1600x900)\n"
        "  --manual               start in MANUAL mode (the eye waits for keys/clicks)\n"
        "  --layers LIST          layers shown at start, e.g. 1,5 or all (keys 1-6)\n"
        "  --quit-after SECONDS   quit after this much simulated time\n"
        "  --screenshot-at SECONDS:PATH  save a PNG after this much simulated time\n"
        "  --record [FILE]        record the run (default name in saved_runs/, or in the\n"
        "                         working folder when there is no saved_runs/)\n"
        "  --model M              classifier: mnist, glyphs, chars, mnist+chars or a weights file\n"
        "                         (default: follows the scene, as in 'saccade run')\n"
        "  --no-model             no classifier\n"
        "  --claim                show the claim panel at start (key c)\n"
        "  --fovea PX             foveal patch side (default 28, the classifier's input;\n"
        "                         other sizes need --no-model)\n"
        "  --ior-decay MS         inhibition of return time constant (default 6000)\n"
        "  --ior-radius DEG       inhibition of return radius, sigma (default 0.3)\n"
        "  --fix-mean MS          mean fixation duration (default 250)\n"
        "  --saliency M           itti (default) or spectral (spectral residual)\n"
        "  --no-pursuit           no smooth pursuit (moving objects: saccades only)\n"
        "  --goggles G            ud, lr or rot180: inversion goggles; saccades adapt and\n"
        "                         the side panel plots the post-saccadic error\n"
        "  --adapt-rate R         saccade adaptation rate 0..1 (0: none)\n"
        "  --plasticity M         untied or tied: reads of labelled objects reinforce the\n"
        "                         reader's V1 gains ('saccade run --help'); the side panel\n"
        "                         shows the rewarded reads and the gains' change\n"
        "  --plasticity-rate R    its rate, (0, 1] (default: the mode's tuned one)\n"
        "                         (these are stored in recordings; replay uses them)\n"
        "\n"
        "Needs a display; with SDL_VIDEODRIVER=offscreen it renders off-screen (EGL).\n"
        "'saccade run' simulates without a window.\n");
}

static int parse_double(const char *s, double *v)
{
    double d = 0;
    if (number_parse_double(s, &d) != NUMBER_OK || !(d >= 0) || d > 1e7)
        return -1;
    *v = d;
    return 0;
}

int cmd_live(int argc, char **argv)
{
    UiOptions o;
    ui_options_default(&o);
    enum {
        O_SCENE = 256,
        O_SEED,
        O_SIZE,
        O_OBJECTS,
        O_WINDOW,
        O_MANUAL,
        O_LAYERS,
        O_QUIT,
        O_SHOT,
        O_RECORD,
        O_MODEL,
        O_NO_MODEL,
        O_CLAIM,
        O_FOVEA,
        O_IOR_DECAY,
        O_IOR_RADIUS,
        O_FIX_MEAN,
        O_SALIENCY,
        O_READERS,
        O_NO_PURSUIT,
        O_GOGGLES,
        O_ADAPT_RATE,
        O_PLASTICITY,
        O_PLASTICITY_RATE,
        O_HELP
    };
    static const struct option opts[] = {
        {"scene", required_argument, 0, O_SCENE},
        {"seed", required_argument, 0, O_SEED},
        {"size", required_argument, 0, O_SIZE},
        {"objects", required_argument, 0, O_OBJECTS},
        {"window", required_argument, 0, O_WINDOW},
        {"manual", no_argument, 0, O_MANUAL},
        {"layers", required_argument, 0, O_LAYERS},
        {"quit-after", required_argument, 0, O_QUIT},
        {"screenshot-at", required_argument, 0, O_SHOT},
        {"record", optional_argument, 0, O_RECORD},
        {"model", required_argument, 0, O_MODEL},
        {"no-model", no_argument, 0, O_NO_MODEL},
        {"claim", no_argument, 0, O_CLAIM},
        {"fovea", required_argument, 0, O_FOVEA},
        {"ior-decay", required_argument, 0, O_IOR_DECAY},
        {"ior-radius", required_argument, 0, O_IOR_RADIUS},
        {"fix-mean", required_argument, 0, O_FIX_MEAN},
        {"saliency", required_argument, 0, O_SALIENCY},
        {"readers", required_argument, 0, O_READERS},
        {"no-pursuit", no_argument, 0, O_NO_PURSUIT},
        {"goggles", required_argument, 0, O_GOGGLES},
        {"adapt-rate", required_argument, 0, O_ADAPT_RATE},
        {"plasticity", required_argument, 0, O_PLASTICITY},
        {"plasticity-rate", required_argument, 0, O_PLASTICITY_RATE},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0},
    };
    int w = 0, h = 0, objects = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_SCENE:
            if (scene_spec_parse(&o.spec, optarg)) {
                fprintf(stderr, "saccade live: --scene: %s\n", sc_last_error());
                return 2;
            }
            break;
        case O_SEED:
            if (cli_parse_u64("live", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case O_SIZE:
            if (cli_parse_size("live", "--size", optarg, &w, &h) < 0)
                return 2;
            break;
        case O_OBJECTS: {
            long v = 0;
            /* 0 is not "the default": a scene with no objects is --scene blank. */
            if (number_parse_long(optarg, &v) != NUMBER_OK || v < 1 || v > SCENE_MAX_OBJECTS) {
                sc_log_error("--objects: want 1..%d (no objects: --scene blank), got '%s'",
                             SCENE_MAX_OBJECTS, optarg);
                return 2;
            }
            objects = (int)v;
            break;
        }
        case O_WINDOW:
            if (cli_parse_size("live", "--window", optarg, &o.win_w, &o.win_h) < 0)
                return 2;
            break;
        case O_MANUAL: o.manual = 1; break;
        case O_LAYERS:
            if (ui_parse_layers(optarg, &o.layers)) {
                sc_log_error("--layers: want digits 1-6 (e.g. 1,5), all or none; got '%s'", optarg);
                return 2;
            }
            break;
        case O_QUIT:
            if (parse_double(optarg, &o.quit_after_s) || o.quit_after_s <= 0) {
                sc_log_error("--quit-after: want a positive number of seconds, got '%s'", optarg);
                return 2;
            }
            break;
        case O_SHOT: {
            const char *colon = strchr(optarg, ':');
            char num[64];
            if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof(num) || !colon[1]) {
                sc_log_error("--screenshot-at: want SECONDS:PATH, got '%s'", optarg);
                return 2;
            }
            memcpy(num, optarg, (size_t)(colon - optarg));
            num[colon - optarg] = 0;
            if (parse_double(num, &o.screenshot_at_s)) {
                sc_log_error("--screenshot-at: bad seconds '%s'", num);
                return 2;
            }
            if (strlen(colon + 1) >= sizeof(o.screenshot_path)) {
                sc_log_error("--screenshot-at: path too long");
                return 2;
            }
            snprintf(o.screenshot_path, sizeof(o.screenshot_path), "%s", colon + 1);
            break;
        }
        case O_RECORD:
            o.record = 1;
            /* "--record FILE" as well as "--record=FILE". */
            if (!optarg && optind < argc && argv[optind][0] != '-')
                optarg = argv[optind++];
            if (optarg) {
                if (strlen(optarg) >= sizeof(o.record_path)) {
                    sc_log_error("--record: path too long");
                    return 2;
                }
                snprintf(o.record_path, sizeof(o.record_path), "%s", optarg);
            }
            break;
        case O_MODEL:
            if (strlen(optarg) >= sizeof(o.model_path)) {
                sc_log_error("--model: path too long");
                return 2;
            }
            snprintf(o.model_path, sizeof(o.model_path), "%s", optarg);
            break;
        case O_NO_MODEL: o.no_model = 1; break;
        case O_READERS:
            if (cli_parse_int("live", "--readers", optarg, 0, 8, &o.readers) < 0)
                return 2;
            break;
        case O_CLAIM: o.claim = 1; break;
        case O_FOVEA: {
            long v = 0;
            if (number_parse_long(optarg, &v) != NUMBER_OK || v < SIM_FOVEA_MIN ||
                v > SIM_FOVEA_MAX) {
                sc_log_error("--fovea: want a patch side of %d..%d px, got '%s'", SIM_FOVEA_MIN,
                             SIM_FOVEA_MAX, optarg);
                return 2;
            }
            o.fovea_px = (int)v;
            break;
        }
        case O_IOR_DECAY:
        case O_IOR_RADIUS:
        case O_FIX_MEAN: {
            double v;
            const char *name = c == O_IOR_DECAY    ? "--ior-decay"
                               : c == O_IOR_RADIUS ? "--ior-radius"
                                                   : "--fix-mean";
            double hi = c == O_IOR_RADIUS  ? SIM_IOR_RADIUS_MAX_DEG
                        : c == O_IOR_DECAY ? SIM_IOR_DECAY_MAX_MS
                                           : SIM_FIX_MEAN_MAX_MS;
            float f = 0;
            /* a float: 1e-300 would become 0, so it is refused, not rounded */
            if (number_parse_float(optarg, &f) != NUMBER_OK || !(f > 0) || f > hi) {
                sc_log_error("%s: want a number in (0, %g], got '%s'", name, hi, optarg);
                return 2;
            }
            v = f;
            if (c == O_IOR_DECAY)
                o.ior_decay_ms = (float)v;
            else if (c == O_IOR_RADIUS)
                o.ior_radius_deg = (float)v;
            else
                o.fix_mean_ms = (float)v;
            break;
        }
        case O_SALIENCY:
            if (strcmp(optarg, "itti") && strcmp(optarg, "spectral")) {
                sc_log_error("--saliency: '%s' is not itti or spectral", optarg);
                return 2;
            }
            o.spectral = !strcmp(optarg, "spectral");
            break;
        case O_NO_PURSUIT: o.no_pursuit = 1; break;
        case O_GOGGLES:
            if (cli_parse_goggles("live", optarg, &o.goggles) < 0)
                return 2;
            break;
        case O_ADAPT_RATE: {
            double r;
            if (cli_parse_double("live", "--adapt-rate", optarg, 0, 1, &r) < 0)
                return 2;
            o.adapt_rate = (float)r;
            break;
        }
        case O_PLASTICITY:
            if (cli_parse_plasticity("live", optarg, &o.plasticity) < 0)
                return 2;
            break;
        case O_PLASTICITY_RATE: {
            double r;
            if (cli_parse_double("live", "--plasticity-rate", optarg, 1e-9, 1, &r) < 0)
                return 2;
            o.plasticity_rate = (float)r;
            break;
        }
        case O_HELP: live_usage(stdout); return 0;
        default:
            if (optopt && optopt < 256)
                sc_log_error("live: unknown option '-%c' (try 'saccade live --help')", optopt);
            else
                sc_log_error("live: unknown or incomplete option '%s' (try 'saccade live --help')",
                             argv[optind - 1]);
            return 2;
        }
    }
    if (o.fovea_px && o.fovea_px != CLASSIFIER_SIDE && !o.no_model) {
        sc_log_error("live: --fovea %d: the classifiers read %d x %d px; add --no-model",
                     o.fovea_px, CLASSIFIER_SIDE, CLASSIFIER_SIDE);
        return 2;
    }
    if (o.no_model && o.model_path[0]) {
        sc_log_error("live: --model and --no-model exclude each other");
        return 2;
    }
    if (o.plasticity_rate > 0 && !o.plasticity) {
        sc_log_error("live: --plasticity-rate needs --plasticity untied or tied");
        return 2;
    }
    if (o.plasticity && o.no_model) {
        sc_log_error("live: --plasticity reinforces the reader's V1 input: it needs a model");
        return 2;
    }
    if (o.screenshot_at_s >= 0 && o.quit_after_s > 0 && o.screenshot_at_s > o.quit_after_s) {
        sc_log_error("live: --screenshot-at %g s comes after --quit-after %g s: no screenshot "
                     "would be taken",
                     o.screenshot_at_s, o.quit_after_s);
        return 2;
    }
    if (optind < argc) {
        sc_log_error("live: unexpected argument '%s' (try 'saccade live --help')", argv[optind]);
        return 2;
    }
    if (w) {
        o.spec.width = w;
        o.spec.height = h;
    }
    if (objects)
        o.spec.objects = objects;
    return ui_live(&o);
}
