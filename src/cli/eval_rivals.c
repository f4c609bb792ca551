/* saccade eval rivals: options, result files, the merge into a table (CSV, JSON, plots) and
 * printing. The rivals themselves (models, canvases as inputs, training, the hyperparameters)
 * are eval_rivals_cell in src/eval/rivals.c, documented there and in docs/rivals.md.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/eval_plot.h"
#include "core/file.h"
#include "core/log.h"
#include "core/number.h"
#include "core/output.h"
#include "eval/canvas.h"
#include "eval/rivals.h"

#define MAX_LIST 16
#define model_names eval_rivals_models
#define N_MODELS EVAL_RIVALS_MODELS
#define tasks eval_rivals_tasks
#define N_TASKS EVAL_RIVALS_TASKS
#define MODEL_OURS EVAL_RIVALS_OURS
#define MODEL_FIRST_FIXED EVAL_RIVALS_FIRST_FIXED
#define MODEL_MODERN EVAL_RIVALS_MODERN
#define MAX_BATCH EVAL_RIVALS_MAX_BATCH
typedef EvalRivalsOptions RivalOpts;
typedef EvalRivalsCell Cell;

/* ---------------------------------------------------------------- small helpers */

/* Every output through core/output: a temporary made with O_EXCL, renamed only after every
 * write succeeded, never through a symbolic link or onto a FIFO or device. */
static int write_file(const char *path, const char *text)
{
    return output_write_all(path, text, strlen(text), NULL, 0);
}

/* The result folder must exist: no command creates folders (README). */
static int check_dir(const char *d)
{
    struct stat st;
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
        sc_set_error("%s: no such folder (create it first)", d);
        return -1;
    }
    return 0;
}

static void note_stderr(void *user, const char *line)
{
    fprintf(stderr, "%s\n", line);
}

/* One cell, its result file written to o->out_dir. */
static int run_cell(const Cell *c, const RivalOpts *o, const Dataset *ds)
{
    cJSON *j = eval_rivals_cell(c, o, ds);
    if (!j)
        return -1;
    const cJSON *e = cJSON_GetObjectItem(j, "errors"), *n = cJSON_GetObjectItem(j, "n_test");
    const cJSON *ci = cJSON_GetObjectItem(j, "ci95");
    double lo = cJSON_GetArrayItem(ci, 0)->valuedouble, hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
    char name[256], path[4400];
    eval_rivals_cell_name(c, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s", o->out_dir, name);
    char *s = cJSON_Print(j);
    int rc = s ? write_file(path, s) : -1;
    if (rc == 0 && o->progress)
        fprintf(stderr, "  error %.4f (%.4f-%.4f), n %d -> %s\n", e->valuedouble / n->valuedouble,
                lo, hi, (int)n->valuedouble, path);
    cJSON_free(s);
    cJSON_Delete(j);
    return rc;
}

/* ---------------------------------------------------------------- merge */

/* The external reference run of issue 18 (PyTorch on one H100, seed 1, the project's own seed-1
 * test canvases; modern at width 32, 288,170 parameters): test error in percent. Shown on the
 * plots as marks, never merged into the table's rows (it is not a cell of this harness). */
static const struct {
    int task, size;
    double error_pct;
} modern_external[] = {{1, 55000, 0.59}, {1, 4000, 1.40}, {1, 1000, 2.67}, {2, 55000, 0.58}};

typedef struct Row {
    int model, task, size, seeds;
    long errors, n;
    double params, macs, train_s, passes;
} Row;

/* a number of a cell file in [0, hi] (a damaged file's huge value would overrun the table) */
static int in_range(const cJSON *v, double hi)
{
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= hi;
}

static int is_cell_file(const struct dirent *de)
{
    size_t L = strlen(de->d_name);
    return !strncmp(de->d_name, "cell_", 5) && L >= 6 && !strcmp(de->d_name + L - 5, ".json");
}

typedef struct Seen {
    int model, task, size;
    double seed;
} Seen;

static int merge(const RivalOpts *o, const char *dir)
{
    /* cell files in name order (not directory order: which of two files naming the same cell
     * is kept must not depend on the file system); each read through file_read_all (regular
     * files only, so a FIFO never blocks), every table grown as needed */
    struct dirent **names = NULL;
    int n_names = scandir(dir, &names, is_cell_file, alphasort);
    if (n_names < 0) {
        sc_set_error("%s: cannot open (%s)", dir, strerror(errno));
        return -1;
    }
    Row *rows = calloc((size_t)n_names + 1, sizeof(Row));
    Seen *seen = calloc((size_t)n_names + 1, sizeof(Seen));
    if (!rows || !seen) {
        for (int i = 0; i < n_names; i++)
            free(names[i]);
        free(names);
        free(rows);
        free(seen);
        sc_set_error("%s: out of memory", dir);
        return -1;
    }
    int nr = 0, files = 0, n_seen = 0;
    for (int fi = 0; fi < n_names; fi++) {
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", dir, names[fi]->d_name);
        unsigned char *data;
        size_t n;
        if (file_read_all(path, 1 << 20, &data, &n) < 0) {
            sc_log_warn("%s, skipped", sc_last_error());
            continue;
        }
        cJSON *j = cJSON_ParseWithLength((const char *)data, n);
        free(data);
        const cJSON *m = cJSON_GetObjectItem(j, "model"), *t = cJSON_GetObjectItem(j, "task");
        const cJSON *sz = cJSON_GetObjectItem(j, "training_digits");
        const cJSON *e = cJSON_GetObjectItem(j, "errors"), *nt = cJSON_GetObjectItem(j, "n_test");
        const cJSON *pa = cJSON_GetObjectItem(j, "params"),
                    *ma = cJSON_GetObjectItem(j, "macs_per_answer");
        const cJSON *ts = cJSON_GetObjectItem(j, "train_seconds"),
                    *ps = cJSON_GetObjectItem(j, "passes");
        int mi = -1, ti = -1;
        for (int i = 0; cJSON_IsString(m) && i < N_MODELS; i++)
            if (!strcmp(m->valuestring, model_names[i]))
                mi = i;
        for (int i = 0; cJSON_IsString(t) && i < N_TASKS; i++)
            if (!strcmp(t->valuestring, tasks[i].task))
                ti = i;
        if (mi < 0 || ti < 0 || !cJSON_IsNumber(sz) || !cJSON_IsNumber(e) || !cJSON_IsNumber(nt) ||
            !in_range(pa, 1e12) || !in_range(ma, 1e12) || !in_range(ts, 1e9) ||
            !in_range(ps, 1e3) || !(nt->valuedouble >= 1 && nt->valuedouble <= 1e9) ||
            !(e->valuedouble >= 0) || e->valuedouble > nt->valuedouble ||
            !(sz->valuedouble >= 1 && sz->valuedouble <= 1e6)) {
            sc_log_warn("%s: not a rivals result, skipped", path);
            cJSON_Delete(j);
            continue;
        }
        /* one measurement per (model, task, digits, seed): ours cells of several sizes are the
         * same measurement */
        const cJSON *sd = cJSON_GetObjectItem(j, "seed");
        double seed = cJSON_IsNumber(sd) ? sd->valuedouble : -1;
        int dup = 0;
        for (int q = 0; q < n_seen; q++)
            dup |= seen[q].model == mi && seen[q].task == ti &&
                   seen[q].size == (int)sz->valuedouble && seen[q].seed == seed;
        if (dup) {
            sc_log_warn("%s: a second result for the same cell, skipped", path);
            cJSON_Delete(j);
            continue;
        }
        seen[n_seen].model = mi;
        seen[n_seen].task = ti;
        seen[n_seen].size = (int)sz->valuedouble;
        seen[n_seen++].seed = seed;
        files++;
        int r = 0;
        while (r < nr &&
               !(rows[r].model == mi && rows[r].task == ti && rows[r].size == (int)sz->valuedouble))
            r++;
        if (r == nr) {
            memset(&rows[nr], 0, sizeof(Row));
            rows[nr].model = mi;
            rows[nr].task = ti;
            rows[nr].size = (int)sz->valuedouble;
            nr++;
        }
        Row *w = &rows[r];
        w->seeds++;
        w->errors += (long)e->valuedouble;
        w->n += (long)nt->valuedouble;
        w->params = pa->valuedouble;
        w->macs += ma->valuedouble;
        w->train_s += ts->valuedouble;
        w->passes += ps->valuedouble;
        cJSON_Delete(j);
    }
    for (int i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    free(seen);
    if (!files) {
        free(rows);
        sc_set_error("%s: no cell_*.json result files", dir);
        return -1;
    }
    /* order: task, model, size */
    for (int a = 1; a < nr; a++)
        for (int b = a; b > 0; b--) {
            Row *p = &rows[b - 1], *q = &rows[b];
            long kp = ((long)p->task * N_MODELS + p->model) * 100000 + p->size;
            long kq = ((long)q->task * N_MODELS + q->model) * 100000 + q->size;
            if (kp <= kq)
                break;
            Row t = *p;
            *p = *q;
            *q = t;
        }
    size_t cap = 256 + (size_t)nr * 320;
    char *csv = malloc(cap);
    if (!csv) {
        free(rows);
        sc_set_error("rivals: out of memory");
        return -1;
    }
    size_t len = (size_t)snprintf(csv, cap,
                                  "model,task,training_digits,seeds,n,error,ci95_lo,"
                                  "ci95_hi,params,macs_per_answer,train_seconds_mean,"
                                  "passes_mean,minus_conv,minus_conv_lo,"
                                  "minus_conv_hi\n");
    cJSON *out = cJSON_CreateArray();
    if (!o->json)
        printf("%-9s %-13s %7s %5s %7s %7s  %-15s %10s %12s %9s %6s  %s\n", "model", "task",
               "digits", "seeds", "n", "error", "95% CI", "params", "MACs/answer", "train s",
               "passes", "minus conv [95% CI], points");
    for (int r = 0; r < nr; r++) {
        Row *w = &rows[r];
        double lo, hi, err = (double)w->errors / (double)w->n;
        eval_wilson(w->errors, w->n, &lo, &hi);
        double macs = w->macs / w->seeds, ts = w->train_s / w->seeds, ps = w->passes / w->seeds;
        /* the difference from conv at the same task and digits, Newcombe's hybrid score
         * interval from the two Wilson intervals (the two error rates taken as independent) */
        const Row *cv = NULL;
        for (int q = 0; q < nr; q++)
            if (q != r && rows[q].model == 0 && rows[q].task == w->task && rows[q].size == w->size)
                cv = &rows[q];
        double gap = 0, glo = 0, ghi = 0;
        if (cv) {
            double cl, ch, ce = (double)cv->errors / (double)cv->n;
            eval_wilson(cv->errors, cv->n, &cl, &ch);
            gap = err - ce;
            glo = gap - sqrt((err - lo) * (err - lo) + (ch - ce) * (ch - ce));
            ghi = gap + sqrt((hi - err) * (hi - err) + (ce - cl) * (ce - cl));
        }
        len += (size_t)snprintf(csv + len, cap - len,
                                "%s,%s,%d,%d,%ld,%.6f,%.6f,%.6f,%.0f,%.0f,%.1f,%.3f",
                                model_names[w->model], tasks[w->task].task, w->size, w->seeds, w->n,
                                err, lo, hi, w->params, macs, ts, ps);
        if (cv)
            len += (size_t)snprintf(csv + len, cap - len, ",%.6f,%.6f,%.6f\n", gap, glo, ghi);
        else
            len += (size_t)snprintf(csv + len, cap - len, ",,,\n");
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "model", model_names[w->model]);
        cJSON_AddStringToObject(q, "task", tasks[w->task].task);
        cJSON_AddNumberToObject(q, "training_digits", w->size);
        cJSON_AddNumberToObject(q, "seeds", w->seeds);
        cJSON_AddNumberToObject(q, "n", (double)w->n);
        cJSON_AddNumberToObject(q, "error", err);
        cJSON *ci = cJSON_AddArrayToObject(q, "ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
        cJSON_AddNumberToObject(q, "params", w->params);
        cJSON_AddNumberToObject(q, "macs_per_answer", macs);
        cJSON_AddNumberToObject(q, "train_seconds_mean", ts);
        cJSON_AddNumberToObject(q, "passes_mean", ps);
        if (cv) {
            cJSON_AddNumberToObject(q, "minus_conv", gap);
            cJSON *gi = cJSON_AddArrayToObject(q, "minus_conv_ci95");
            cJSON_AddItemToArray(gi, cJSON_CreateNumber(glo));
            cJSON_AddItemToArray(gi, cJSON_CreateNumber(ghi));
        }
        cJSON_AddItemToArray(out, q);
        if (!o->json) {
            printf("%-9s %-13s %7d %5d %7ld %6.2f%%  %5.2f-%5.2f%%   %10.0f %12.0f %9.1f %6.2f",
                   model_names[w->model], tasks[w->task].task, w->size, w->seeds, w->n, 100 * err,
                   100 * lo, 100 * hi, w->params, macs, ts, ps);
            if (cv)
                printf("  %+6.2f [%+.2f, %+.2f]", 100 * gap, 100 * glo, 100 * ghi);
            printf("\n");
        }
    }
    char path[4400];
    snprintf(path, sizeof(path), "%s/rivals.csv", dir);
    int rc = write_file(path, csv);
    free(csv);
    /* one plot per task: error against log10 training digits, one line per model */
    for (int t = 0; t < N_TASKS && rc == 0; t++) {
        double xs[N_MODELS + 1][MAX_LIST], ys[N_MODELS + 1][MAX_LIST], ymax = 5, xmin = 1e9,
                                                                       xmax = 0;
        PlotSeries ser[N_MODELS + 1];
        int ns = 0;
        for (int m = 0; m < N_MODELS; m++) {
            if (m >= MODEL_FIRST_FIXED && m < MODEL_MODERN) /* the -fixed controls: table only */
                continue;
            int k = 0;
            for (int r = 0; r < nr; r++)
                if (rows[r].task == t && rows[r].model == m && k == MAX_LIST) {
                    sc_log_warn("rivals_%s.png: %s at more than %d sizes; the plot shows the "
                                "first %d (the CSV has every row)",
                                tasks[t].task, model_names[m], MAX_LIST, MAX_LIST);
                    break;
                } else if (rows[r].task == t && rows[r].model == m) {
                    xs[ns][k] = log10(rows[r].size);
                    ys[ns][k] = 100.0 * rows[r].errors / (double)rows[r].n;
                    ymax = fmax(ymax, ys[ns][k] * 1.1);
                    xmin = fmin(xmin, xs[ns][k]);
                    xmax = fmax(xmax, xs[ns][k]);
                    k++;
                }
            /* the RAM-era rivals faded: the race is ours against modern */
            int style = m == MODEL_OURS || m == MODEL_MODERN ? 0 : PLOT_FADED;
            if (k)
                ser[ns] = (PlotSeries){m == MODEL_MODERN ? "modern (this harness)" : model_names[m],
                                       xs[ns], ys[ns], k, style},
                ns++;
        }
        /* the external reference (issue 18: PyTorch, width 32, one H100, seed 1) as marks */
        {
            int k = 0;
            for (int q = 0; q < (int)(sizeof(modern_external) / sizeof(modern_external[0])); q++)
                if (modern_external[q].task == t && ns > 0) {
                    xs[ns][k] = log10(modern_external[q].size);
                    ys[ns][k] = modern_external[q].error_pct;
                    xmin = fmin(xmin, xs[ns][k]);
                    xmax = fmax(xmax, xs[ns][k]);
                    k++;
                }
            if (k)
                ser[ns] = (PlotSeries){"modern, width 32 (external, PyTorch)", xs[ns], ys[ns], k,
                                       PLOT_POINTS},
                ns++;
        }
        if (!ns)
            continue;
        xmin = floor(xmin * 2) / 2;
        xmax = fmax(xmin + 0.5, ceil(xmax * 2) / 2);
        /* ours measured at one size only: a mark there, not a line across sizes it was not
         * measured at */
        for (int q = 0; q < ns; q++)
            if (ser[q].name == model_names[MODEL_OURS] && ser[q].n == 1) {
                ser[q].dashed = PLOT_POINTS;
                ser[q].name = "ours, 8 glimpses (measured at one size)";
            }
        ymax = fmin(100, ceil(ymax / 5) * 5);
        char title[128];
        snprintf(title, sizeof(title),
                 "%s: test error against training digits (ours at 8 "
                 "glimpses)",
                 tasks[t].task);
        PlotSpec spec = {title,
                         "log10 training digits",
                         "error (%)",
                         xmin,
                         xmax,
                         0,
                         ymax,
                         0.5,
                         ymax > 20 ? 10 : 1,
                         0};
        snprintf(path, sizeof(path), "%s/rivals_%s.png", dir, tasks[t].task);
        rc = plot_write_png(path, &spec, ser, ns);
    }
    if (rc == 0 && o->json) {
        char *s = cJSON_PrintUnformatted(out);
        printf("%s\n", s ? s : "[]");
        cJSON_free(s);
    } else if (rc == 0)
        printf("wrote %s/rivals.csv and rivals_TASK.png (%d result files)\n", dir, files);
    cJSON_Delete(out);
    free(rows);
    return rc;
}

/* ---------------------------------------------------------------- command */

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: saccade eval rivals --cell MODEL:TASK:SIZE:SEED [--out DIR] [options]\n"
        "       saccade eval rivals --merge DIR [--json]\n"
        "       saccade eval rivals [--models L] [--tasks L] [--sizes L] [--seeds L] [--out DIR]\n"
        "\n"
        "Trains and tests rivals of the eye on the canvases of `saccade eval TASK`:\n"
        "  conv      conv 8x10x10 stride 5, dense 256, dense 10 (RAM's convnet baseline)\n"
        "  lc        the same, locally connected (untied)\n"
        "  fc        dense 256, 256, 10 (RAM's FC baseline)\n"
        "  separate  3x3 bank of fc readers, each trained only on digits in its cell, no eye\n"
        "  ours      `saccade eval TASK` at 8 glimpses; below 55,000 digits its reader is\n"
        "            retrained on the cell's digits (the shipped model's settings)\n"
        "  conv-fixed, lc-fixed, fc-fixed  conv, lc, fc shown one fixed canvas per digit\n"
        "            instead of fresh canvases of their digits every epoch\n"
        "  modern    3x3 convs W, W, pool, 2W, 2W, pool, 4W, 4W with batch norm and ReLU,\n"
        "            global max pool, dropout 0.2, dense 10 (a present-day tied CNN)\n"
        "on translated60, cluttered60, cluttered100, from the first SIZE training digits.\n"
        "Each cell writes DIR/cell_MODEL_TASK_SIZE_SEED.json; --merge DIR writes DIR/rivals.csv\n"
        "and DIR/rivals_TASK.png from whatever cells exist. Without --cell or --merge, runs the\n"
        "cells of the lists (comma separated) one after another, then merges.\n"
        "\n"
        "  --out DIR       result folder (default rivals)\n"
        "  --epochs N      training epochs, best validation epoch kept (default 20, raised\n"
        "                  until --min-samples examples are shown)\n"
        "  --min-samples N examples shown at least, the same at every SIZE (default:\n"
        "                  8000000 for conv and lc, 12000000 for fc and separate, 500000\n"
        "                  for modern)\n"
        "  --lr X          Adam's learning rate, cosine-annealed to 0 (default: 0.003 for\n"
        "                  conv, lc and modern, 0.002 for fc and separate, chosen on validation)\n"
        "  --batch N       minibatch, at most 256 (default: 32 for conv, lc and modern, 128\n"
        "                  for fc and separate)\n"
        "  --width W       modern's first channels (default 8; 32 is the external reference)\n"
        "  --standardise B 1: inputs to mean 0, sd 1 (over the first 1,000 training canvases);\n"
        "                  default 0 (not validated)\n"
        "  --test-limit N  test canvases (default all 10,000)\n"
        "  --quick         1 epoch, 100 validation and 200 test canvases (for tests)\n"
        "  --model M       ours's reader in 55,000-digit cells (default mnist, the shipped one)\n"
        "  --threads N     threads of ours's eye and reader trainer (default 2; the results do\n"
        "                  not depend on it); the rivals train on one thread\n"
        "  --json          merge: rows as JSON on stdout\n"
        "  --quiet         no progress\n");
}

static int split_list(const char *s, char items[MAX_LIST][32])
{
    int n = 0;
    const char *p = s;
    while (*p && n < MAX_LIST) {
        const char *q = strchr(p, ',');
        size_t L = q ? (size_t)(q - p) : strlen(p);
        if (L >= 32)
            L = 31;
        memcpy(items[n], p, L);
        items[n++][L] = 0;
        if (!q)
            break;
        p = q + 1;
    }
    return n;
}

int cmd_eval_rivals(int argc, char **argv)
{
    static const struct option opts[] = {{"cell", required_argument, 0, 'c'},
                                         {"merge", required_argument, 0, 'M'},
                                         {"out", required_argument, 0, 'o'},
                                         {"epochs", required_argument, 0, 'e'},
                                         {"test-limit", required_argument, 0, 'l'},
                                         {"quick", no_argument, 0, 'Q'},
                                         {"model", required_argument, 0, 'm'},
                                         {"threads", required_argument, 0, 't'},
                                         {"json", no_argument, 0, 'j'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"models", required_argument, 0, '1'},
                                         {"tasks", required_argument, 0, '2'},
                                         {"sizes", required_argument, 0, '3'},
                                         {"seeds", required_argument, 0, '4'},
                                         {"min-samples", required_argument, 0, '5'},
                                         {"batch", required_argument, 0, '6'},
                                         {"lr", required_argument, 0, '7'},
                                         {"standardise", required_argument, 0, '8'},
                                         {"width", required_argument, 0, '9'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    /* ours's eye on 2 threads, like eval (its results do not depend on the count) */
    /* min_samples -1, batch 0, lr 0: each architecture's own setting */
    RivalOpts o = {"rivals", NULL, 0, 20, 0, 2, 0, 0, -1, 0, 0, 0, 0, NULL};
    const char *cell = NULL, *merge_dir = NULL;
    const char *models = "conv,lc,fc,separate,ours", *tl = "cluttered60", *sizes = "1000,4000",
               *seeds = "1";
    optind = 1;
    opterr = 0;
    int ch, iv;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': cell = optarg; break;
        case 'M': merge_dir = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'e':
            if (cli_parse_int("eval rivals", "--epochs", optarg, 1, 1000, &o.epochs) < 0)
                return 2;
            break;
        case 'l':
            if (cli_parse_int("eval rivals", "--test-limit", optarg, 1, 10000, &o.test_limit) < 0)
                return 2;
            break;
        case 't':
            if (cli_parse_int("eval rivals", "--threads", optarg, 1, 8, &iv) < 0)
                return 2;
            o.threads = iv;
            break;
        case '5':
            if (cli_parse_int("eval rivals", "--min-samples", optarg, 0, 100000000, &iv) < 0)
                return 2;
            o.min_samples = iv;
            break;
        case '6':
            if (cli_parse_int("eval rivals", "--batch", optarg, 1, MAX_BATCH, &o.batch) < 0)
                return 2;
            break;
        case '7': {
            if (number_parse_double(optarg, &o.lr) != NUMBER_OK || !(o.lr > 0 && o.lr < 1)) {
                sc_log_error("eval rivals: --lr '%s': a learning rate in (0, 1)", optarg);
                return 2;
            }
            break;
        }
        case '8':
            if (cli_parse_int("eval rivals", "--standardise", optarg, 0, 1, &o.standardise) < 0)
                return 2;
            break;
        case '9':
            if (cli_parse_int("eval rivals", "--width", optarg, 1, 64, &o.width) < 0)
                return 2;
            break;
        case 'Q': o.quick = 1; break;
        case 'm': o.model = optarg; break;
        case 'j': o.json = 1; break;
        case 'q': o.quiet = 1; break;
        case '1': models = optarg; break;
        case '2': tl = optarg; break;
        case '3': sizes = optarg; break;
        case '4': seeds = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return cli_bad_option("eval rivals", argv, optind);
        }
    }
    if (optind != argc) {
        sc_log_error("eval rivals: unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (o.quick && !o.test_limit)
        o.test_limit = 200;
    EvalProgress pr = {NULL, NULL, NULL, note_stderr, NULL};
    o.progress = o.quiet ? NULL : &pr;
    if (merge_dir) {
        if (merge(&o, merge_dir) < 0) {
            sc_log_error("%s", sc_last_error());
            return 1;
        }
        return 0;
    }
    Cell cells[MAX_LIST * 4];
    int nc = 0;
    if (cell) {
        if (eval_rivals_parse_cell(cell, &cells[0]) < 0) {
            sc_log_error("%s", sc_last_error());
            return 2;
        }
        nc = 1;
    } else {
        char lm[MAX_LIST][32], lt[MAX_LIST][32], lz[MAX_LIST][32], ls[MAX_LIST][32];
        int nm = split_list(models, lm), nt = split_list(tl, lt), nz = split_list(sizes, lz),
            nsd = split_list(seeds, ls);
        for (int a = 0; a < nm; a++)
            for (int b = 0; b < nt; b++)
                for (int z = 0; z < nz; z++)
                    for (int s = 0; s < nsd; s++) {
                        char spec[4 * MAX_LIST * 32];
                        snprintf(spec, sizeof(spec), "%s:%s:%s:%s", lm[a], lt[b], lz[z], ls[s]);
                        if (nc == (int)(sizeof(cells) / sizeof(cells[0])) ||
                            eval_rivals_parse_cell(spec, &cells[nc]) < 0) {
                            sc_log_error("%s", nc == (int)(sizeof(cells) / sizeof(cells[0]))
                                                   ? "eval rivals: too many cells"
                                                   : sc_last_error());
                            return 2;
                        }
                        nc++;
                    }
    }
    if (check_dir(o.out_dir) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    Dataset ds;
    if (dataset_load(&ds, "mnist") < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < nc && rc == 0; i++)
        if (run_cell(&cells[i], &o, &ds) < 0)
            rc = 1;
    dataset_free(&ds);
    if (rc == 0 && !cell && merge(&o, o.out_dir) < 0)
        rc = 1;
    if (rc)
        sc_log_error("%s", sc_last_error());
    return rc;
}
