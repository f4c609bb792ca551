/* eval_plasticity.c: `saccade eval plasticity`, reinforcement of V1 at one position, untied and
 * tied: options and printing. The experiment is eval_plasticity in src/eval/plasticity.c;
 * eval/plasticity.h documents the protocol and the measures. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/output.h"
#include "eval/canvas.h"
#include "eval/plasticity.h"

#define CMD "eval plasticity"

static void note_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval plasticity [--offset PX] [--contrast C] [--noise SD] [--train N]\n"
            "                               [--n N] [--seeds K] [--seed N] [--eta-untied E]\n"
            "                               [--eta-tied E] [--split test|val] [--quick]\n"
            "                               [--model FILE] [--json] [--csv FILE] [--quiet]\n"
            "\n"
            "Top-down reinforcement of the reader's V1 input (a gain per orientation and V1\n"
            "position, 1 = the hard-wired bank), trained at one position of the fovea only.\n"
            "The eye is held still; one faint MNIST digit (ink --contrast, pixel noise --noise)\n"
            "sits --offset px up-left of the gaze (trained), down-right (untrained) or on it\n"
            "(centre). Training: --train reads at the trained position (MNIST training digits);\n"
            "a read that is right with probability >= %.1f is rewarded, and the filters it\n"
            "used are strengthened: untied, each position alone; tied, one shared change per\n"
            "orientation at every position (the control). Learning rates: chosen on the\n"
            "validation digits (trained position) unless given; figures on the test set.\n"
            "\n"
            "  --offset PX      trained position, px up-left (1..10, default 3)\n"
            "  --contrast C     digit ink (default 0.3)\n"
            "  --noise SD       Gaussian pixel noise (default 0.15)\n"
            "  --train N        training reads per seed (default 2000)\n"
            "  --n N            test digits per position and seed (default 1000)\n"
            "  --seeds K        seeds (default 3; noise and training order)\n"
            "  --seed N         first seed (default 1)\n"
            "  --eta-untied E, --eta-tied E   learning rates (default: chosen on validation)\n"
            "  --split val      report on the validation digits instead of the test set\n"
            "  --quick          --train 500 --n 200 --seeds 1\n"
            "  --model M        mnist (default) or a weights file\n"
            "  --json           print the results as JSON on stdout\n"
            "  --csv FILE       write the accuracy table as CSV\n"
            "  --quiet          no progress on stderr\n",
            (double)PLASTICITY_CONFIDENCE);
}

static int write_csv(const char *path, const EvalPlasticityResult *r)
{
    Output *out = output_open(path, NULL, 0);
    if (!out)
        return -1;
    FILE *f = output_stream(out);
    fprintf(f, "mode,eta,position,dx_px,dy_px,n,right,accuracy,lo,hi,gained_only,lost_only,"
               "v1_ratio\n");
    for (int m = 0; m < EVAL_PLAST_MODES; m++)
        for (int p = 0; p < EVAL_PLAST_POS; p++) {
            const EvalPlastCell *c = &r->cells[m][p];
            double lo, hi;
            eval_wilson(c->right, c->n, &lo, &hi);
            fprintf(f, "%s,%g,%s,%d,%d,%ld,%ld,%.4f,%.4f,%.4f,%ld,%ld,%.4f\n",
                    plasticity_mode_name(m), (double)r->eta[m], eval_plast_pos_names[p],
                    r->offset[p][0], r->offset[p][1], c->n, c->right, (double)c->right / c->n, lo,
                    hi, c->gained_only, c->lost_only, c->v1_ratio);
        }
    return output_commit(&out);
}

static cJSON *result_json(const EvalPlasticityOptions *o, const EvalPlasticityResult *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "task", "plasticity");
    cJSON_AddStringToObject(root, "test_set", r->test_set);
    cJSON_AddNumberToObject(root, "seed", (double)r->seed);
    cJSON_AddNumberToObject(root, "seeds", r->n_seeds);
    cJSON_AddNumberToObject(root, "n_per_seed", r->n_test);
    cJSON_AddNumberToObject(root, "train_reads", r->n_train);
    cJSON_AddNumberToObject(root, "offset_px", o->offset_px);
    cJSON_AddNumberToObject(root, "contrast", o->contrast);
    cJSON_AddNumberToObject(root, "noise", o->noise);
    cJSON_AddBoolToObject(root, "eta_chosen_on_validation", r->eta_chosen);
    cJSON *val = cJSON_AddArrayToObject(root, "validation");
    for (int m = 1; r->eta_chosen && m < EVAL_PLAST_MODES; m++)
        for (int k = 0; k < EVAL_PLAST_ETAS; k++) {
            if (!r->val_right[m][k] && !r->val_n)
                continue;
            cJSON *v = cJSON_CreateObject();
            cJSON_AddStringToObject(v, "mode", plasticity_mode_name(m));
            cJSON_AddNumberToObject(v, "eta", eval_plast_etas[k]);
            cJSON_AddNumberToObject(v, "n", (double)r->val_n);
            cJSON_AddNumberToObject(v, "right", (double)r->val_right[m][k]);
            cJSON_AddItemToArray(val, v);
        }
    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    for (int m = 0; m < EVAL_PLAST_MODES; m++)
        for (int p = 0; p < EVAL_PLAST_POS; p++) {
            const EvalPlastCell *c = &r->cells[m][p];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "mode", plasticity_mode_name(m));
            cJSON_AddNumberToObject(x, "eta", r->eta[m]);
            cJSON_AddStringToObject(x, "position", eval_plast_pos_names[p]);
            cJSON_AddNumberToObject(x, "dx_px", r->offset[p][0]);
            cJSON_AddNumberToObject(x, "dy_px", r->offset[p][1]);
            cJSON_AddNumberToObject(x, "n", (double)c->n);
            cJSON_AddNumberToObject(x, "right", (double)c->right);
            cJSON_AddItemToObject(x, "ci95", eval_wilson_json(c->right, c->n));
            cJSON_AddNumberToObject(x, "gained_only", (double)c->gained_only);
            cJSON_AddNumberToObject(x, "lost_only", (double)c->lost_only);
            cJSON_AddNumberToObject(x, "v1_ratio", c->v1_ratio);
            cJSON *ps = cJSON_AddArrayToObject(x, "right_per_seed");
            for (int s = 0; s < r->n_seeds; s++)
                cJSON_AddItemToArray(ps, cJSON_CreateNumber((double)c->right_per_seed[s]));
            cJSON_AddItemToArray(rows, x);
        }
    cJSON *gains = cJSON_AddArrayToObject(root, "gains");
    for (int m = 1; m < EVAL_PLAST_MODES; m++)
        for (int s = 0; s < r->n_seeds; s++) {
            cJSON *g = cJSON_CreateObject();
            cJSON_AddStringToObject(g, "mode", plasticity_mode_name(m));
            cJSON_AddNumberToObject(g, "seed", (double)(r->seed + (uint64_t)s));
            cJSON_AddNumberToObject(g, "rewarded_reads", (double)r->rewarded[m][s]);
            cJSON_AddNumberToObject(g, "trained_region", r->trained_region[m][s]);
            cJSON_AddNumberToObject(g, "positions_changed", r->changed_positions[m][s]);
            cJSON_AddNumberToObject(g, "gain_change_in", r->gain_in_mean[m][s]);
            cJSON_AddNumberToObject(g, "gain_change_out", r->gain_out_mean[m][s]);
            cJSON_AddNumberToObject(g, "gain_out_maxdev", r->gain_out_maxdev[m][s]);
            cJSON_AddItemToArray(gains, g);
        }
    return root;
}

static void print_text(const EvalPlasticityOptions *o, const EvalPlasticityResult *r)
{
    printf("eval plasticity: %s, %d digits x %d seeds (from %llu) per row; %d training reads per "
           "seed\n",
           r->test_set, r->n_test, r->n_seeds, (unsigned long long)r->seed, r->n_train);
    printf("digit ink %.2f, pixel noise %.2f; trained at (%d, %d) px from the gaze, eye held "
           "still\n",
           (double)o->contrast, (double)o->noise, r->offset[0][0], r->offset[0][1]);
    if (r->eta_chosen) {
        printf("\nlearning rate on validation (trained position, n = %ld per rate):\n", r->val_n);
        for (int m = 1; m < EVAL_PLAST_MODES; m++) {
            printf("  %-7s", plasticity_mode_name(m));
            for (int k = 0; k < EVAL_PLAST_ETAS; k++)
                if (r->val_right[m][k] || r->val_n)
                    printf("  %g: %.1f%%", (double)eval_plast_etas[k],
                           r->val_n ? 100.0 * r->val_right[m][k] / r->val_n : 0.0);
            printf("  -> %g\n", (double)r->eta[m]);
        }
    }
    printf("\nmode     eta     position   offset     n      accuracy [95%% CI]     vs bank "
           "+/-   V1 response\n");
    for (int m = 0; m < EVAL_PLAST_MODES; m++)
        for (int p = 0; p < EVAL_PLAST_POS; p++) {
            const EvalPlastCell *c = &r->cells[m][p];
            double lo, hi;
            eval_wilson(c->right, c->n, &lo, &hi);
            char off[24], vs[32] = "-";
            snprintf(off, sizeof off, "(%+d,%+d)", r->offset[p][0], r->offset[p][1]);
            if (m)
                snprintf(vs, sizeof vs, "+%ld/-%ld", c->gained_only, c->lost_only);
            printf("%-7s  %-6g  %-9s  %-8s  %5ld   %5.1f%% [%5.1f, %5.1f]   %-12s  x%.3f\n",
                   plasticity_mode_name(m), (double)r->eta[m], eval_plast_pos_names[p], off, c->n,
                   100.0 * c->right / c->n, 100 * lo, 100 * hi, vs, c->v1_ratio);
        }
    printf("\ngains after training (per seed): rewarded reads, V1 positions (of %d) in the "
           "trained region /\nchanged, mean |gain - 1| inside / outside the region, max |gain - 1| "
           "outside it\n",
           PLASTICITY_POSITIONS);
    for (int m = 1; m < EVAL_PLAST_MODES; m++)
        for (int s = 0; s < r->n_seeds; s++)
            printf("  %-7s seed %llu: %5ld rewarded, region %3d / changed %3d, |g-1| %.4f / %.4f, "
                   "max dev outside %.3g\n",
                   plasticity_mode_name(m), (unsigned long long)(r->seed + (uint64_t)s),
                   r->rewarded[m][s], r->trained_region[m][s], r->changed_positions[m][s],
                   r->gain_in_mean[m][s], r->gain_out_mean[m][s], r->gain_out_maxdev[m][s]);
    printf("\nlargest gain over orientations per V1 position (first seed; rows top to bottom, gaze "
           "at (7, 7)):\n");
    for (int m = 1; m < EVAL_PLAST_MODES; m++) {
        printf("  %s\n", plasticity_mode_name(m));
        for (int v = 0; v < V1_PATCH_GRID; v++) {
            printf("   ");
            for (int u = 0; u < V1_PATCH_GRID; u++)
                printf(" %4.2f", (double)r->gain_map[m][v * V1_PATCH_GRID + u]);
            printf("\n");
        }
    }
}

int cmd_eval_plasticity(int argc, char **argv)
{
    static const struct option opts[] = {{"offset", required_argument, 0, 'o'},
                                         {"contrast", required_argument, 0, 'c'},
                                         {"noise", required_argument, 0, 'N'},
                                         {"train", required_argument, 0, 't'},
                                         {"n", required_argument, 0, 'n'},
                                         {"seeds", required_argument, 0, 'K'},
                                         {"seed", required_argument, 0, 's'},
                                         {"eta-untied", required_argument, 0, 'u'},
                                         {"eta-tied", required_argument, 0, 'T'},
                                         {"split", required_argument, 0, 'S'},
                                         {"quick", no_argument, 0, 'Q'},
                                         {"model", required_argument, 0, 'm'},
                                         {"json", no_argument, 0, 'j'},
                                         {"csv", required_argument, 0, 'C'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    EvalPlasticityOptions o;
    eval_plasticity_defaults(&o);
    int json = 0, quiet = 0, ch;
    const char *csv = NULL;
    double d;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            if (cli_parse_int(CMD, "--offset", optarg, 1, 10, &o.offset_px) < 0)
                return 2;
            break;
        case 'c':
            if (cli_parse_double(CMD, "--contrast", optarg, 0.001, 1, &d) < 0)
                return 2;
            o.contrast = (float)d;
            break;
        case 'N':
            if (cli_parse_double(CMD, "--noise", optarg, 0, 1, &d) < 0)
                return 2;
            o.noise = (float)d;
            break;
        case 't':
            if (cli_parse_int(CMD, "--train", optarg, 1, 1000000, &o.n_train) < 0)
                return 2;
            break;
        case 'n':
            if (cli_parse_int(CMD, "--n", optarg, 1, 10000, &o.n_test) < 0)
                return 2;
            break;
        case 'K':
            if (cli_parse_int(CMD, "--seeds", optarg, 1, EVAL_MAX_SEEDS, &o.n_seeds) < 0)
                return 2;
            break;
        case 's':
            if (cli_parse_u64(CMD, "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case 'u':
        case 'T':
            if (cli_parse_double(CMD, ch == 'u' ? "--eta-untied" : "--eta-tied", optarg, 1e-6, 1,
                                 &d) < 0)
                return 2;
            *(ch == 'u' ? &o.eta_untied : &o.eta_tied) = (float)d;
            break;
        case 'S':
            if (cli_parse_split(CMD, optarg, &o.split_val) < 0)
                return 2;
            break;
        case 'Q':
            o.n_train = 500;
            o.n_test = 200;
            o.n_seeds = 1;
            break;
        case 'm': o.model = optarg; break;
        case 'j': json = 1; break;
        case 'C': csv = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return cli_bad_option(CMD, argv, optind);
        }
    }
    if (cli_no_positionals(CMD, argc, argv, optind) < 0)
        return 2;
    if (csv && output_check(csv, NULL, 0) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    EvalProgress pr = {NULL, NULL, NULL, note_stderr, NULL};
    o.progress = quiet ? NULL : &pr;
    static EvalPlasticityResult res;
    if (eval_plasticity(&o, &res) < 0) {
        sc_log_error("%s: %s", CMD, sc_last_error());
        return 1;
    }
    if (json) {
        cJSON *root = result_json(&o, &res);
        char *s = root ? cJSON_PrintUnformatted(root) : NULL;
        if (!s) {
            cJSON_Delete(root);
            sc_log_error("%s: out of memory", CMD);
            return 1;
        }
        printf("%s\n", s);
        cJSON_free(s);
        cJSON_Delete(root);
    } else {
        print_text(&o, &res);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        sc_log_error("%s: writing stdout failed", CMD);
        return 1;
    }
    if (csv && write_csv(csv, &res) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    return 0;
}
