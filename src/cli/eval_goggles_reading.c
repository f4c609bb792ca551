/* eval_goggles_reading.c: `saccade eval goggles --reading`: options and printing. The
 * experiment is eval_goggles_reading in src/eval/goggles_reading.c (goggles.h documents the
 * protocol and the counts). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "eval/goggles.h"

static const float tune_lrs[] = {1e-4f, 3e-4f, 1e-3f, 3e-3f, 1e-2f};
#define N_TUNE ((int)(sizeof tune_lrs / sizeof tune_lrs[0]))

static void usage(FILE *f)
{
    EvalGogglesReadingOptions d;
    eval_goggles_reading_defaults(&d);
    fprintf(f,
            "usage: saccade eval goggles --reading [--goggles ud|lr|rot180] [--positions 1|3|5]\n"
            "                            [--fixations N] [--block N] [--epochs N]\n"
            "                            [--lr-untied R] [--lr-tied R] [--test-n N]\n"
            "                            [--split test|val | --tune] [--seed N] [--json]\n"
            "\n"
            "Reading under inversion goggles (issue 22 section 1): the reading eye's readers\n"
            "(the foveal glyph model and the extra readers +-1, +-2 letter cells from the\n"
            "gaze) see their letters mirrored and relearn from the reads' feedback. Every\n"
            "fixation gives each position one labelled letter as the retina delivers it; every\n"
            "block of fixations each learner takes a step (the trainer, EPOCHS passes over the\n"
            "step's letters). untied: each position's reader alone on its own letters; tied:\n"
            "one network (the foveal reader's weights) reads every position and learns from all\n"
            "of them. Accuracy of each position on test letters (held-out families) after\n"
            "every step, against the shipped readers before goggles.\n"
            "\n"
            "  --goggles G     ud (default), lr or rot180\n"
            "  --positions P   1 (fovea), 3 (and +-1) or 5 (and +-2; default)\n"
            "  --fixations N   in all (default %d), a multiple of --block (default %d)\n"
            "  --epochs N      passes over a step's letters (default %d)\n"
            "  --lr-untied R, --lr-tied R  each mode's rate (default %g, %g: chosen by --tune)\n"
            "  --test-n N      test letters per position (default: all)\n"
            "  --split S       test (default: held-out families) or val (validation faces)\n"
            "  --tune          rates 1e-4 .. 1e-2 for both modes on the validation faces;\n"
            "                  prints each one's mean accuracy over the steps\n"
            "  --json          one JSON object\n",
            d.fixations, d.block, d.epochs, (double)d.lr_untied, (double)d.lr_tied);
}

static void note_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

/* Mean accuracy over the steps 1..S and positions (each position's share equal). */
static double mean_over_steps(const EvalGogglesReadingResult *r, int tied)
{
    double sum = 0;
    for (int s = 1; s <= r->steps; s++)
        for (int i = 0; i < r->positions; i++)
            sum += (double)(tied ? r->tied[i][s] : r->untied[i][s]) / (double)r->n_test[i];
    return sum / (double)(r->steps * r->positions);
}

static cJSON *curve_json(const EvalGogglesReadingResult *r, int i, int tied)
{
    cJSON *a = cJSON_CreateArray();
    for (int s = 0; s <= r->steps; s++)
        cJSON_AddItemToArray(a,
                             cJSON_CreateNumber((double)(tied ? r->tied[i][s] : r->untied[i][s])));
    return a;
}

int cmd_eval_goggles_reading(int argc, char **argv)
{
    enum { O_READING = 256, O_POS, O_FIX, O_EPOCHS, O_LRU, O_LRT, O_TESTN, O_TUNE };
    static const struct option opts[] = {{"reading", no_argument, 0, O_READING},
                                         {"goggles", required_argument, 0, 'g'},
                                         {"positions", required_argument, 0, O_POS},
                                         {"fixations", required_argument, 0, O_FIX},
                                         {"block", required_argument, 0, 'b'},
                                         {"epochs", required_argument, 0, O_EPOCHS},
                                         {"lr-untied", required_argument, 0, O_LRU},
                                         {"lr-tied", required_argument, 0, O_LRT},
                                         {"test-n", required_argument, 0, O_TESTN},
                                         {"split", required_argument, 0, 'p'},
                                         {"tune", no_argument, 0, O_TUNE},
                                         {"seed", required_argument, 0, 's'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    EvalGogglesReadingOptions o;
    eval_goggles_reading_defaults(&o);
    int json = 0, tune = 0, c;
    double v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_READING: break;
        case 'g':
            if (cli_parse_goggles_on("eval goggles", optarg, &o.goggles) < 0)
                return 2;
            break;
        case O_POS:
            if (cli_parse_int("eval goggles", "--positions", optarg, 1, 5, &o.positions) < 0)
                return 2;
            if (o.positions % 2 == 0) {
                fprintf(stderr, "saccade eval goggles: --positions: 1, 3 or 5\n");
                return 2;
            }
            break;
        case O_FIX:
            if (cli_parse_int("eval goggles", "--fixations", optarg, 1, 1000000, &o.fixations) < 0)
                return 2;
            break;
        case 'b':
            if (cli_parse_int("eval goggles", "--block", optarg, 1, 100000, &o.block) < 0)
                return 2;
            break;
        case O_EPOCHS:
            if (cli_parse_int("eval goggles", "--epochs", optarg, 1, 100, &o.epochs) < 0)
                return 2;
            break;
        case O_LRU:
        case O_LRT:
            if (cli_parse_double("eval goggles", c == O_LRU ? "--lr-untied" : "--lr-tied", optarg,
                                 1e-7, 0.5, &v) < 0)
                return 2;
            if (c == O_LRU)
                o.lr_untied = (float)v;
            else
                o.lr_tied = (float)v;
            break;
        case O_TESTN:
            if (cli_parse_int("eval goggles", "--test-n", optarg, 1, 1000000, &o.test_n) < 0)
                return 2;
            break;
        case 'p':
            if (cli_parse_split("eval goggles", optarg, &o.split_val) < 0)
                return 2;
            break;
        case O_TUNE: tune = 1; break;
        case 's':
            if (cli_parse_u64("eval goggles", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return 0;
        default: return cli_bad_option("eval goggles", argv, optind);
        }
    }
    if (cli_no_positionals("eval goggles", argc, argv, optind) < 0)
        return 2;
    if (o.fixations % o.block || o.fixations / o.block > EVAL_GR_MAX_STEPS) {
        fprintf(stderr,
                "saccade eval goggles: --fixations must be a multiple of --block, at most %d "
                "blocks\n",
                EVAL_GR_MAX_STEPS);
        return 2;
    }
    EvalProgress pr = {NULL, NULL, NULL, note_stderr, NULL};
    o.progress = &pr;
    static EvalGogglesReadingResult r;
    if (tune) {
        o.split_val = 1;
        printf("tuning on the validation faces: %d fixations, steps of %d, %d epochs\n",
               o.fixations, o.block, o.epochs);
        printf("%-8s %14s %14s\n", "rate", "untied mean", "tied mean");
        for (int i = 0; i < N_TUNE; i++) {
            o.lr_untied = o.lr_tied = tune_lrs[i];
            if (eval_goggles_reading(&o, &r) < 0) {
                sc_log_error("%s", sc_last_error());
                return 1;
            }
            printf("%-8g %13.2f%% %13.2f%%\n", (double)tune_lrs[i], 100 * mean_over_steps(&r, 0),
                   100 * mean_over_steps(&r, 1));
        }
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if (eval_goggles_reading(&o, &r) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "goggles", cli_goggles_name(o.goggles));
        cJSON_AddStringToObject(j, "split", o.split_val ? "validation faces" : "held-out families");
        cJSON_AddNumberToObject(j, "fixations", o.fixations);
        cJSON_AddNumberToObject(j, "block", o.block);
        cJSON_AddNumberToObject(j, "epochs", o.epochs);
        cJSON_AddNumberToObject(j, "lr_untied", (double)o.lr_untied);
        cJSON_AddNumberToObject(j, "lr_tied", (double)o.lr_tied);
        cJSON_AddNumberToObject(j, "seed", (double)o.seed);
        cJSON *ps = cJSON_AddArrayToObject(j, "positions");
        for (int i = 0; i < r.positions; i++) {
            cJSON *p = cJSON_CreateObject();
            cJSON_AddNumberToObject(p, "offset", r.offset[i]);
            cJSON_AddNumberToObject(p, "n", (double)r.n_test[i]);
            cJSON_AddNumberToObject(p, "normal", (double)r.normal[i]);
            cJSON_AddItemToObject(p, "untied", curve_json(&r, i, 0));
            cJSON_AddItemToObject(p, "tied", curve_json(&r, i, 1));
            cJSON_AddItemToArray(ps, p);
        }
        char *s = cJSON_Print(j);
        int ok = s && printf("%s\n", s) >= 0;
        cJSON_free(s);
        cJSON_Delete(j);
        return ok ? 0 : 1;
    }
    printf("reading under goggles %s: %d positions, %d fixations, a step every %d (%d epochs; "
           "rates untied %g, tied %g), seed %llu, %s\n",
           cli_goggles_name(o.goggles), r.positions, o.fixations, o.block, o.epochs,
           (double)o.lr_untied, (double)o.lr_tied, (unsigned long long)o.seed,
           o.split_val ? "validation faces" : "held-out families");
    printf("letters right per position [95%% CI]; n per position:");
    for (int i = 0; i < r.positions; i++)
        printf(" %+d: %ld", r.offset[i], r.n_test[i]);
    printf("\n%-26s", "");
    for (int i = 0; i < r.positions; i++)
        printf(" %18s%+d", "offset ", r.offset[i]);
    printf("\n");
    const char *rows[] = {"before goggles (shipped)", "goggles, untied", "goggles, tied"};
    for (int s = -1; s <= r.steps; s++)
        for (int m = (s < 0 ? 0 : 1); m <= (s < 0 ? 0 : 2); m++) {
            char name[48];
            if (s < 0)
                snprintf(name, sizeof name, "%s", rows[0]);
            else
                snprintf(name, sizeof name, "%s, %d fix.", m == 1 ? "untied" : "tied", s * o.block);
            printf("%-26s", name);
            for (int i = 0; i < r.positions; i++) {
                long k = s < 0 ? r.normal[i] : m == 1 ? r.untied[i][s] : r.tied[i][s];
                double lo, hi;
                eval_wilson(k, r.n_test[i], &lo, &hi);
                printf("  %5.1f%% [%4.1f,%5.1f]", 100.0 * (double)k / (double)r.n_test[i], 100 * lo,
                       100 * hi);
            }
            printf("\n");
        }
    printf("relearning CPU: untied %.1f s (%d readers), tied %.1f s (one reader, %dx the "
           "letters)\n",
           r.seconds_untied, r.positions, r.seconds_tied, r.positions);
    return fflush(stdout) == 0 ? 0 : 1;
}
