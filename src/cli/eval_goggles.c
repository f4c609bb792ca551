/* eval_goggles.c: `saccade eval goggles`: options and printing. The experiment is
 * eval_goggles_saccades in src/eval/goggles.c (goggles.h documents the counts). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "eval/canvas.h"
#include "eval/goggles.h"
#include "sim/sim_adapt.h"

static const float tune_rates[] = {0.1f, 0.25f, 0.5f, 1.0f};
#define N_TUNE ((int)(sizeof tune_rates / sizeof tune_rates[0]))

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval goggles [--goggles ud|lr|rot180] [--rate R | --tune]\n"
            "                            [--saccades N] [--block N] [--seeds N] [--seed N]\n"
            "                            [--split test|val] [--json]\n"
            "\n"
            "Saccades under inversion goggles and their adaptation (issue 22 section 1). Each\n"
            "trial: one MNIST digit %g..%g deg from the gaze on a black %d px world; the sim's\n"
            "eye makes the saccade it chooses. Landing error: first landing to the digit's\n"
            "centre (deg); landed: under %g deg. The same trials with no goggles (normal), with\n"
            "goggles and no adaptation (inverted), and adapting (the untied motor map learning\n"
            "at R, trials in order, a fresh map per seed). Saccades to criterion: the first\n"
            "block whose mean error is within 1.5x normal.\n"
            "\n"
            "  --goggles G   ud (default), lr or rot180\n"
            "  --rate R      adaptation rate 0..1 (default %g, the rate --tune picked)\n"
            "  --tune        run rates 0.1, 0.25, 0.5, 1 on validation digits (seeds 1000..)\n"
            "                and print each one's mean error over all saccades\n"
            "  --saccades N  trials per seed (default 200)\n"
            "  --block N     saccades per block (default 20)\n"
            "  --seeds N     seeds (default 3), from --seed (default 1)\n"
            "  --split S     test (default: MNIST test set) or val (validation digits)\n"
            "  --json        one JSON object\n"
            "\n"
            "saccade eval goggles --reading: reading under goggles, the untied readers\n"
            "relearning against one tied reader (see 'saccade eval goggles --reading --help').\n",
            EVAL_GOGGLES_AMP_MIN, EVAL_GOGGLES_AMP_MAX, EVAL_GOGGLES_WORLD, EVAL_GOGGLES_LANDED_DEG,
            (double)SIM_GOGGLES_ADAPT_RATE);
}

static void note_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

static cJSON *tally_json(const EvalGogglesTally *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)t->n);
    cJSON_AddNumberToObject(o, "landed", (double)t->landed);
    cJSON_AddItemToObject(o, "landed_ci95", eval_wilson_json(t->landed, t->n));
    cJSON_AddNumberToObject(o, "mean_error_deg", t->n ? t->err_sum / (double)t->n : 0);
    return o;
}

static void print_tally(const char *name, const EvalGogglesTally *t)
{
    double lo, hi;
    eval_wilson(t->landed, t->n, &lo, &hi);
    printf("%-22s %6ld %8.2f   %5.1f%% [%5.1f, %5.1f]\n", name, t->n,
           t->n ? t->err_sum / (double)t->n : 0.0,
           t->n ? 100.0 * (double)t->landed / (double)t->n : 0.0, 100 * lo, 100 * hi);
}

int cmd_eval_goggles(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) /* the reading experiment has its own options */
        if (!strcmp(argv[i], "--reading"))
            return cmd_eval_goggles_reading(argc, argv);
    static const struct option opts[] = {
        {"goggles", required_argument, 0, 'g'}, {"rate", required_argument, 0, 'r'},
        {"tune", no_argument, 0, 'T'},          {"saccades", required_argument, 0, 'n'},
        {"block", required_argument, 0, 'b'},   {"seeds", required_argument, 0, 'S'},
        {"seed", required_argument, 0, 's'},    {"split", required_argument, 0, 'p'},
        {"json", no_argument, 0, 'j'},          {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    EvalProgress prog = {.note = note_stderr};
    EvalGogglesOptions o = {.goggles = 2,
                            .rate = SIM_GOGGLES_ADAPT_RATE,
                            .saccades = 200,
                            .block = 20,
                            .n_seeds = 3,
                            .seed = 1,
                            .progress = &prog};
    int json = 0, tune = 0, c;
    double rate;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'g':
            if (cli_parse_goggles_on("eval goggles", optarg, &o.goggles) < 0)
                return 2;
            break;
        case 'r':
            if (cli_parse_double("eval goggles", "--rate", optarg, 1e-6, 1, &rate) < 0)
                return 2;
            o.rate = (float)rate;
            break;
        case 'T': tune = 1; break;
        case 'n':
            if (cli_parse_int("eval goggles", "--saccades", optarg, 1, 100000, &o.saccades) < 0)
                return 2;
            break;
        case 'b':
            if (cli_parse_int("eval goggles", "--block", optarg, 1, 100000, &o.block) < 0)
                return 2;
            break;
        case 'S':
            if (cli_parse_int("eval goggles", "--seeds", optarg, 1, EVAL_MAX_SEEDS, &o.n_seeds) < 0)
                return 2;
            break;
        case 's':
            if (cli_parse_u64("eval goggles", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case 'p':
            if (cli_parse_split("eval goggles", optarg, &o.split_val) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'q': prog.note = NULL; break;
        case 'h': usage(stdout); return 0;
        default: return cli_bad_option("eval goggles", argv, optind);
        }
    }
    if (cli_no_positionals("eval goggles", argc, argv, optind) < 0)
        return 2;
    if ((o.saccades + o.block - 1) / o.block > EVAL_GOGGLES_MAX_BLOCKS) {
        fprintf(stderr, "saccade eval goggles: --saccades / --block: at most %d blocks\n",
                EVAL_GOGGLES_MAX_BLOCKS);
        return 2;
    }
    if (tune) {
        o.split_val = 1;
        o.seed = 1000;
        printf("tuning on validation digits, seeds %llu..%llu, %d saccades each\n",
               (unsigned long long)o.seed, (unsigned long long)(o.seed + (uint64_t)o.n_seeds - 1),
               o.saccades);
        printf("%-6s %6s %10s %10s\n", "rate", "n", "mean err", "to 1.5x");
        for (int i = 0; i < N_TUNE; i++) {
            EvalGogglesResult r;
            o.rate = tune_rates[i];
            if (eval_goggles_saccades(&o, &r) < 0) {
                sc_log_error("%s", sc_last_error());
                return 1;
            }
            printf("%-6g %6ld %10.3f %10d\n", (double)o.rate, r.adapting.n,
                   r.adapting.err_sum / (double)r.adapting.n, r.to_criterion);
        }
        return 0;
    }
    EvalGogglesResult r;
    if (eval_goggles_saccades(&o, &r) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "goggles", cli_goggles_name(o.goggles));
        cJSON_AddNumberToObject(j, "rate", (double)o.rate);
        cJSON_AddNumberToObject(j, "seed", (double)o.seed);
        cJSON_AddNumberToObject(j, "seeds", o.n_seeds);
        cJSON_AddStringToObject(j, "split", o.split_val ? "mnist-val" : "mnist-t10k");
        cJSON_AddItemToObject(j, "normal", tally_json(&r.normal));
        cJSON_AddItemToObject(j, "inverted", tally_json(&r.inverted));
        cJSON_AddItemToObject(j, "adapting", tally_json(&r.adapting));
        cJSON *bl = cJSON_AddArrayToObject(j, "blocks");
        for (int b = 0; b < r.n_blocks; b++)
            cJSON_AddItemToArray(bl, tally_json(&r.blocks[b]));
        cJSON_AddNumberToObject(j, "saccades_to_criterion", r.to_criterion);
        cJSON_AddNumberToObject(j, "missed", (double)r.missed);
        char *s = cJSON_Print(j);
        int ok = s && printf("%s\n", s) >= 0;
        cJSON_free(s);
        cJSON_Delete(j);
        return ok ? 0 : 1;
    }
    printf("goggles %s, adaptation rate %g, %d saccades x %d seeds (%llu..), %s digits\n",
           cli_goggles_name(o.goggles), (double)o.rate, o.saccades, o.n_seeds,
           (unsigned long long)o.seed, o.split_val ? "validation" : "test");
    printf("%-22s %6s %8s   %s\n", "condition", "n", "err deg", "landed < 1 deg [95% CI]");
    print_tally("normal (no goggles)", &r.normal);
    print_tally("goggles, no adaptation", &r.inverted);
    print_tally("goggles, adapting", &r.adapting);
    printf("\nadapting, by saccades made (normal eye on the same trials beside it):\n");
    printf("%-10s %6s %8s   %-24s %8s\n", "saccades", "n", "err deg", "landed [95% CI]", "normal");
    for (int b = 0; b < r.n_blocks; b++) {
        char name[32];
        snprintf(name, sizeof name, "%d-%d", b * o.block + 1,
                 (b + 1) * o.block < o.saccades ? (b + 1) * o.block : o.saccades);
        const EvalGogglesTally *t = &r.blocks[b], *nt = &r.normal_blocks[b];
        double lo, hi;
        eval_wilson(t->landed, t->n, &lo, &hi);
        printf("%-10s %6ld %8.2f   %5.1f%% [%5.1f, %5.1f]   %8.2f\n", name, t->n,
               t->err_sum / (double)t->n, 100.0 * (double)t->landed / (double)t->n, 100 * lo,
               100 * hi, nt->err_sum / (double)nt->n);
    }
    if (r.to_criterion >= 0)
        printf("\nsaccades until within 1.5x normal: %d (per seed; blocks of %d)\n", r.to_criterion,
               o.block);
    else
        printf("\nsaccades until within 1.5x normal: not reached in %d\n", o.saccades);
    printf("motor-map bins that learned: %d of %d; post-saccadic target not found: %ld\n",
           r.bins_learned, SACCADE_MAP_BINS, r.missed);
    printf("the last seed's map (gains x, y; direction 0 = right, 2 = down, in 45 deg steps):\n");
    for (int a = 0; a < SACCADE_MAP_AMPS; a++) {
        printf("  amplitude band %d:", a);
        for (int d = 0; d < SACCADE_MAP_DIRS; d++) {
            int b = d * SACCADE_MAP_AMPS + a;
            printf(" %d:(%+.2f,%+.2f)", d, (double)r.gx[b], (double)r.gy[b]);
        }
        printf("\n");
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
