/* saccade eval TASK: the experiments that test the claim (see --help). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "classifier/classifier.h"
#include "sim/sim_model.h"
#include "classifier/trainer.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/eval_plot.h"
#include "cli/eval_progress.h"
#include "cli/eval_saccade.h"
#include "core/image.h"
#include "core/log.h"
#include "core/rng.h"

/* Stop reading at the first fixation at least this sure (like the sim's early fixation end). */
#define SURE 0.95f
#define ECC_MAX_PX 28
#define ECC_STEP_PX 2
#define ECC_FIX 4          /* fixations allowed in the eccentricity task */
#define ECC_DEFAULT_N 300  /* digits per offset */
#define PAD_PX 36          /* black margin around the MNIST canvases */

typedef struct EvalOpts {
    const char *task, *model, *out_dir;
    int json, quiet, limit;
    int split_train; /* --split train (1) or val (2): canvases from training digits (tuning) */
    uint64_t seed;
} EvalOpts;

static void eval_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval TASK [--model mnist|glyphs|FILE] [--json] [--out DIR] [--seed N]\n"
            "                         [--limit N] [--quiet]\n"
            "\n"
            "tasks:\n"
            "  centred       accuracy on the 2,000 held-out centred MNIST digits, and of the glyph\n"
            "                model on the held-out fonts\n"
            "  eccentricity  accuracy with the digit 0..28 px off the fovea: eye held still vs up\n"
            "                to %d saliency-driven fixations\n"
            "  translated60  one test digit anywhere in a 60x60 canvas (Mnih et al. 2014)\n"
            "  cluttered60   same plus 4 random 8x8 fragments of other digits\n"
            "  cluttered100  100x100 canvas, 8 fragments\n"
            "For the canvas tasks the answer is the first sure (p >= %.2f) non-nothing label, else\n"
            "the most confident one, over the first K = 4, 6, 8 fixations (the first at the canvas\n"
            "centre, then saccades chosen by saliency with inhibition of return). When a look sees\n"
            "something but is unsure, the eye makes corrective microsaccades 2 px around the\n"
            "landing; each counts in K. A second column gives K large saccades with the\n"
            "microsaccades belonging to their landing's fixation (not counted).\n"
            "\n"
            "  --model M   mnist (default), glyphs or a weights file\n"
            "  --json      print results as JSON on stdout (fractions 0..1)\n"
            "  --out DIR   where eval_TASK.csv and eval_TASK.png go (default: current folder)\n"
            "  --seed N    canvases and directions (default 1)\n"
            "  --limit N   use only the first N test digits (per offset for eccentricity;\n"
            "              default all 2,000, %d per offset)\n"
            "  --split S   test (default), train or val: build the canvas and eccentricity tasks\n"
            "              from the training digits (val: the last %d, which 'saccade train\n"
            "              --holdout' leaves out), for tuning without looking at the test split\n"
            "  --quiet     no progress bar\n",
            ECC_FIX, SURE, ECC_DEFAULT_N, DATASET_MNIST_VAL_N);
}

static int out_path(const EvalOpts *o, const char *ext, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%s/eval_%s.%s", o->out_dir, o->task, ext);
    if (k < 0 || (size_t)k >= n) {
        sc_set_error("%s: output path too long", o->out_dir);
        return -1;
    }
    return 0;
}

static FILE *open_csv(const EvalOpts *o, char *path, size_t n)
{
    if (out_path(o, "csv", path, n) < 0)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f)
        sc_set_error("%s: cannot create", path);
    return f;
}

static Classifier *load_model(const char *opt)
{
    char path[4096];
    if (sim_model_path(NULL, opt, path, sizeof(path)) < 0)
        return NULL;
    return classifier_load(path);
}

/* Maps dataset labels (0..9 for MNIST) to the model's class index by name. */
static int class_of_digit(const Classifier *c, int digit)
{
    char name[2] = {(char)('0' + digit), 0};
    for (int i = 0; i < classifier_n_classes(c); i++)
        if (!strcmp(classifier_class_name(c, i), name))
            return i;
    return -1;
}

/* ---------------------------------------------------------------- centred */

static int task_centred(const EvalOpts *o)
{
    Classifier *c = load_model(o->model);
    if (!c)
        return 1;
    Dataset ds;
    if (dataset_load(&ds, classifier_dataset(c)) < 0) {
        classifier_destroy(&c);
        return 1;
    }
    if (ds.n_classes != classifier_n_classes(c)) {
        sc_set_error("%s model has %d classes, its dataset %d", ds.name, classifier_n_classes(c), ds.n_classes);
        classifier_destroy(&c);
        dataset_free(&ds);
        return 1;
    }
    int cc[CLASSIFIER_MAX_CLASSES], ct[CLASSIFIER_MAX_CLASSES];
    double acc = classifier_test_accuracy(c, &ds, o->limit, cc, ct);
    int n_used = o->limit > 0 && o->limit < ds.n_test ? o->limit : ds.n_test;

    /* the glyph model on its held-out fonts (skipped when fonts or model are missing) */
    double gacc = -1;
    int gcc[CLASSIFIER_MAX_CLASSES], gct[CLASSIFIER_MAX_CLASSES];
    Dataset gds;
    memset(&gds, 0, sizeof(gds));
    int have_g = 0;
    Classifier *g = strcmp(classifier_dataset(c), "glyphs") ? load_model("glyphs") : NULL;
    if (!strcmp(classifier_dataset(c), "glyphs")) {
        gacc = acc;
        memcpy(gcc, cc, sizeof(cc));
        memcpy(gct, ct, sizeof(ct));
    } else if (!g) {
        sc_log_warn("glyph model skipped: %s", sc_last_error());
    } else if (dataset_load(&gds, "glyphs") < 0) {
        sc_log_warn("glyph model skipped: %s", sc_last_error());
    } else {
        have_g = 1;
        gacc = classifier_test_accuracy(g, &gds, 0, gcc, gct);
    }

    char csv[4096], png[4096];
    FILE *f = open_csv(o, csv, sizeof(csv));
    if (!f)
        goto fail;
    fprintf(f, "model,class,correct,total,accuracy\n");
    for (int i = 0; i < ds.n_classes; i++)
        if (ct[i])
            fprintf(f, "%s,%s,%d,%d,%.6f\n", ds.name, ds.class_names[i], cc[i], ct[i], (double)cc[i] / ct[i]);
    if (have_g)
        for (int i = 0; i < gds.n_classes; i++)
            if (gct[i])
                fprintf(f, "glyphs,%s,%d,%d,%.6f\n", gds.class_names[i], gcc[i], gct[i], (double)gcc[i] / gct[i]);
    fclose(f);

    double xs[2][CLASSIFIER_MAX_CLASSES], ys[2][CLASSIFIER_MAX_CLASSES];
    PlotSeries ser[2];
    int ns = 0;
    const Dataset *sets[2] = {&ds, &gds};
    const int *cs[2] = {cc, gcc}, *ts[2] = {ct, gct};
    char names[2][96];
    for (int s = 0; s < (have_g ? 2 : 1); s++) {
        int n = 0;
        for (int i = 0; i < sets[s]->n_classes; i++)
            if (ts[s][i]) {
                xs[s][n] = i;
                ys[s][n] = 100.0 * cs[s][i] / ts[s][i];
                n++;
            }
        snprintf(names[s], sizeof(names[s]), "%s (%.2f%%)", s ? "glyphs, held-out fonts" : ds.name,
                 100 * (s ? gacc : acc));
        ser[ns++] = (PlotSeries){names[s], xs[s], ys[s], n, 0};
    }
    PlotSpec spec = {"Centred accuracy per class", "class index (digits 0-9; glyphs A-Z then 0-9)",
                     "accuracy (%)", 0, have_g ? 36 : 10, 0, 100, have_g ? 4 : 1, 10, 0.6};
    if (out_path(o, "png", png, sizeof(png)) < 0 || plot_write_png(png, &spec, ser, ns) < 0)
        goto fail;

    if (o->json) {
        printf("{\"task\":\"centred\",\"accuracy\":%.6f,\"glyphs_heldout_accuracy\":", acc);
        if (gacc >= 0)
            printf("%.6f", gacc);
        else
            printf("null");
        printf(",\"model\":\"%s\",\"n\":%d}\n", classifier_dataset(c), n_used);
    } else {
        printf("centred: %s model on %s\n", ds.name, ds.test_desc);
        printf("  class  accuracy\n");
        for (int i = 0; i < ds.n_classes; i++)
            if (ct[i])
                printf("  %-5s  %6.2f%%  (%d/%d)\n", ds.class_names[i], 100.0 * cc[i] / ct[i], cc[i], ct[i]);
        printf("  all    %6.2f%%  (%d digits; target >= 97%%)\n", 100 * acc, n_used);
        if (gacc >= 0)
            printf("glyphs model on %s: %.2f%% (%d glyphs; target >= 90%%)\n",
                   have_g ? gds.test_desc : ds.test_desc, 100 * gacc, have_g ? gds.n_test : n_used);
        printf("wrote %s and %s\n", csv, png);
    }
    classifier_destroy(&c);
    classifier_destroy(&g);
    dataset_free(&ds);
    dataset_free(&gds);
    return 0;
fail:
    classifier_destroy(&c);
    classifier_destroy(&g);
    dataset_free(&ds);
    dataset_free(&gds);
    return 1;
}

/* ---------------------------------------------------------------- canvases */

/* Max-composites a 28x28 digit with its top-left at (x, y). */
static void paste_digit(Image *w, const float *d, int x, int y)
{
    for (int j = 0; j < DATASET_PATCH_N / CLASSIFIER_SIDE; j++)
        for (int i = 0; i < CLASSIFIER_SIDE; i++) {
            int tx = x + i, ty = y + j;
            if (tx < 0 || ty < 0 || tx >= w->w || ty >= w->h)
                continue;
            float *p = image_row(w, ty) + tx;
            float v = d[j * CLASSIFIER_SIDE + i];
            *p = v > *p ? v : *p;
        }
}

/* An 8x8 fragment with some ink, from a random other test digit, at a random canvas spot. */
static void paste_fragment(Image *w, const Dataset *ds, int skip, Rng *r, int cx0, int cy0, int side)
{
    const float *d = NULL;
    int fx = 0, fy = 0;
    for (int t = 0; t < 10; t++) {
        int k = (int)rng_below(r, (uint32_t)ds->n_test);
        if (k == skip)
            k = (k + 1) % ds->n_test;
        d = ds->test_x + (size_t)k * DATASET_PATCH_N;
        fx = (int)rng_below(r, 21);
        fy = (int)rng_below(r, 21);
        float ink = 0;
        for (int j = 0; j < 8; j++)
            for (int i = 0; i < 8; i++)
                ink += d[(fy + j) * CLASSIFIER_SIDE + fx + i];
        if (ink >= 8.0f)
            break;
    }
    int x = cx0 + (int)rng_below(r, (uint32_t)(side - 8 + 1));
    int y = cy0 + (int)rng_below(r, (uint32_t)(side - 8 + 1));
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 8; i++) {
            float *p = image_row(w, y + j) + x + i;
            float v = d[(fy + j) * CLASSIFIER_SIDE + fx + i];
            *p = v > *p ? v : *p;
        }
}

typedef struct Setup {
    Classifier *c;
    Dataset ds;
    Looker *look;
    Image world;
} Setup;

static void setup_free(Setup *s)
{
    classifier_destroy(&s->c);
    dataset_free(&s->ds);
    looker_destroy(&s->look);
    image_destroy(&s->world);
}

static int setup_mnist(Setup *s, const EvalOpts *o, int world_side)
{
    memset(s, 0, sizeof(*s));
    if (!(s->c = load_model(o->model)))
        return -1;
    if (class_of_digit(s->c, 0) < 0) {
        sc_set_error("%s: model has no digit classes (the canvas tasks use MNIST digits)",
                     classifier_dataset(s->c));
        setup_free(s);
        return -1;
    }
    if (dataset_load(&s->ds, "mnist") < 0 || image_create(&s->world, world_side, world_side) < 0 ||
        !(s->look = looker_create(world_side, world_side))) {
        setup_free(s);
        return -1;
    }
    if (o->split_train) {
        /* tuning on the training digits: swap the splits so the tasks read them */
        float *x = s->ds.test_x;
        uint8_t *y = s->ds.test_y;
        int n = s->ds.n_test;
        s->ds.test_x = s->ds.train_x;
        s->ds.test_y = s->ds.train_y;
        s->ds.n_test = s->ds.n_train;
        s->ds.train_x = x;
        s->ds.train_y = y;
        s->ds.n_train = n;
        if (o->split_train == 2) { /* the validation digits only */
            int h = DATASET_MNIST_VAL_N;
            memmove(s->ds.test_x, s->ds.test_x + (size_t)(s->ds.n_test - h) * DATASET_PATCH_N, sizeof(float) * DATASET_PATCH_N * (size_t)h);
            memmove(s->ds.test_y, s->ds.test_y + (s->ds.n_test - h), (size_t)h);
            s->ds.n_test = h;
        }
    }
    return 0;
}

static int answer(const Classifier *c, const LookFix *fix, int k)
{
    (void)c;
    return look_answer(fix, k, SURE);
}

/* ---------------------------------------------------------------- eccentricity */

static int task_eccentricity(const EvalOpts *o)
{
    const int side = 2 * (ECC_MAX_PX + 28 + PAD_PX);
    Setup s;
    if (setup_mnist(&s, o, side) < 0)
        return 1;
    int per = o->limit > 0 ? o->limit : ECC_DEFAULT_N;
    if (per > s.ds.n_test)
        per = s.ds.n_test;
    enum { NOFF = ECC_MAX_PX / ECC_STEP_PX + 1 };
    int still_ok[NOFF] = {0}, sacc_ok[NOFF] = {0};
    Rng rng;
    rng_seed(&rng, o->seed);
    Progress bar;
    progress_init(&bar, "eccentricity", o->quiet);
    float g = (float)(side / 2);
    LookFix fix[ECC_FIX];
    for (int k = 0; k < NOFF; k++) {
        int off = k * ECC_STEP_PX;
        for (int i = 0; i < per; i++) {
            double a = 2 * M_PI * rng_uniform(&rng);
            int dx = (int)lround(off * cos(a)), dy = (int)lround(off * sin(a));
            image_fill(&s.world, 0);
            /* the digit's own centre (top-left + 14) lands dx, dy from the gaze */
            paste_digit(&s.world, s.ds.test_x + (size_t)i * DATASET_PATCH_N, (int)g + dx - 14, (int)g + dy - 14);
            int want = class_of_digit(s.c, s.ds.test_y[i]);
            looker_episode(s.look, s.c, &s.world, g, g, 1, 0, fix);
            still_ok[k] += fix[0].label == want;
            looker_set_micro(s.look, LOOK_MICRO_COUNTED); /* each microsaccade counts */
            looker_episode(s.look, s.c, &s.world, g, g, ECC_FIX, 1, fix);
            sacc_ok[k] += answer(s.c, fix, ECC_FIX) == want;
            char msg[64];
            snprintf(msg, sizeof(msg), "offset %d px", off);
            progress_update(&bar, (long)k * per + i + 1, (long)NOFF * per, msg);
        }
    }
    progress_done(&bar);
    char csv[4096], png[4096];
    FILE *f = open_csv(o, csv, sizeof(csv));
    if (!f) {
        setup_free(&s);
        return 1;
    }
    fprintf(f, "offset_px,still,saccades,n\n");
    double xs[NOFF], ys[NOFF], yc[NOFF];
    for (int k = 0; k < NOFF; k++) {
        xs[k] = k * ECC_STEP_PX;
        ys[k] = 100.0 * still_ok[k] / per;
        yc[k] = 100.0 * sacc_ok[k] / per;
        fprintf(f, "%d,%.6f,%.6f,%d\n", k * ECC_STEP_PX, (double)still_ok[k] / per, (double)sacc_ok[k] / per, per);
    }
    fclose(f);
    PlotSeries ser[2] = {{"eye held still", xs, ys, NOFF, 0}, {"with saccades (up to 4 fixations)", xs, yc, NOFF, 0}};
    PlotSpec spec = {"Dense centre-only classifier: accuracy vs. eccentricity",
                     "digit offset from the gaze (px; 32 px = 1 deg)", "accuracy (%)", 0, ECC_MAX_PX, 0, 100, 4, 10, 0.5};
    if (out_path(o, "png", png, sizeof(png)) < 0 || plot_write_png(png, &spec, ser, 2) < 0) {
        setup_free(&s);
        return 1;
    }
    if (o->json) {
        printf("{\"task\":\"eccentricity\",\"n\":%d,\"rows\":[", per);
        for (int k = 0; k < NOFF; k++)
            printf("%s{\"offset_px\":%d,\"still\":%.6f,\"saccades\":%.6f}", k ? "," : "", k * ECC_STEP_PX,
                   (double)still_ok[k] / per, (double)sacc_ok[k] / per);
        printf("]}\n");
    } else {
        printf("eccentricity: %d test digits per offset, random directions (seed %llu)\n", per,
               (unsigned long long)o->seed);
        printf("  offset_px   still   saccades (<= %d fixations)\n", ECC_FIX);
        for (int k = 0; k < NOFF; k++)
            printf("  %9d  %6.2f%%  %6.2f%%\n", k * ECC_STEP_PX, ys[k], yc[k]);
        printf("wrote %s and %s\n", csv, png);
    }
    setup_free(&s);
    return 0;
}

/* ---------------------------------------------------------------- translated / cluttered */

typedef struct Published {
    const char *task;
    int canvas, fragments;
    double ram[3]; /* error %, 4/6/8 glimpses; < 0 unknown */
    double convnet; /* error % */
    const char *others;
} Published;

static const Published published[] = {
    {"translated60", 60, 0, {1.54, 1.22, 1.20}, 1.62, "convnet 1.62%"},
    {"cluttered60", 60, 4, {4.96, 4.08, 4.04}, 8.09, "convnet 8.09%, fully connected 11.96%"},
    {"cluttered100", 100, 8, {-1, -1, 8.1}, 14.4, "convnet about 14.4%"},
};

static int task_canvas(const EvalOpts *o, const Published *pub)
{
    const int side = pub->canvas + 2 * PAD_PX;
    Setup s;
    if (setup_mnist(&s, o, side) < 0)
        return 1;
    int n = o->limit > 0 && o->limit < s.ds.n_test ? o->limit : s.ds.n_test;
    static const int ks[3] = {4, 6, 8};
    int ok[3] = {0, 0, 0}, ok_free[3] = {0, 0, 0}, landed = 0;
    long micro_counted = 0;
    Rng rng;
    rng_seed(&rng, o->seed);
    Progress bar;
    progress_init(&bar, o->task, o->quiet);
    LookFix fix[8];
    float g = (float)(side / 2);
    for (int i = 0; i < n; i++) {
        image_fill(&s.world, 0);
        int tx = PAD_PX + (int)rng_below(&rng, (uint32_t)(pub->canvas - 28 + 1));
        int ty = PAD_PX + (int)rng_below(&rng, (uint32_t)(pub->canvas - 28 + 1));
        for (int f = 0; f < pub->fragments; f++)
            paste_fragment(&s.world, &s.ds, i, &rng, PAD_PX, PAD_PX, pub->canvas);
        paste_digit(&s.world, s.ds.test_x + (size_t)i * DATASET_PATCH_N, tx, ty);
        int want = class_of_digit(s.c, s.ds.test_y[i]);
        /* corrective microsaccades counted in K, like RAM's glimpses */
        looker_set_micro(s.look, LOOK_MICRO_COUNTED);
        long m0 = looker_micro_looks(s.look);
        looker_episode(s.look, s.c, &s.world, g, g, 8, 1, fix);
        micro_counted += looker_micro_looks(s.look) - m0;
        for (int k = 0; k < 3; k++)
            ok[k] += answer(s.c, fix, ks[k]) == want;
        /* the same eye with microsaccades as part of the landing's fixation: K large saccades */
        LookFix fix_free[8];
        looker_set_micro(s.look, LOOK_MICRO_FREE);
        looker_episode(s.look, s.c, &s.world, g, g, 8, 1, fix_free);
        for (int k = 0; k < 3; k++)
            ok_free[k] += answer(s.c, fix_free, ks[k]) == want;
        for (int k = 0; k < 8; k++)
            if (fabsf(fix[k].x - (float)(tx + 14)) <= 4 && fabsf(fix[k].y - (float)(ty + 14)) <= 4) {
                landed++;
                break;
            }
        char msg[64];
        snprintf(msg, sizeof(msg), "error at 8: %.2f%%", 100.0 * (1.0 - (double)ok[2] / (i + 1)));
        progress_update(&bar, i + 1, n, msg);
    }
    progress_done(&bar);
    double err[3], err_free[3];
    for (int k = 0; k < 3; k++) {
        err[k] = 1.0 - (double)ok[k] / n;
        err_free[k] = 1.0 - (double)ok_free[k] / n;
    }
    /* the FREE runs' microsaccades: total minus the counted runs' */
    long micro_free = looker_micro_looks(s.look) - micro_counted;
    char csv[4096], png[4096];
    FILE *f = open_csv(o, csv, sizeof(csv));
    if (!f) {
        setup_free(&s);
        return 1;
    }
    fprintf(f, "fixations,error,ram_error,n,error_microsaccades_not_counted\n");
    for (int k = 0; k < 3; k++) {
        fprintf(f, "%d,%.6f,", ks[k], err[k]);
        if (pub->ram[k] >= 0)
            fprintf(f, "%.4f", pub->ram[k] / 100);
        fprintf(f, ",%d,%.6f\n", n, err_free[k]);
    }
    fclose(f);
    double xs[3], ye[3], xr[3], yr[3];
    int nr = 0;
    for (int k = 0; k < 3; k++) {
        xs[k] = ks[k];
        ye[k] = 100 * err[k];
        if (pub->ram[k] >= 0) {
            xr[nr] = ks[k];
            yr[nr++] = pub->ram[k];
        }
    }
    char title[128], ours[96];
    snprintf(title, sizeof(title), "%s: %dx%d canvas, %d fragments", o->task, pub->canvas, pub->canvas, pub->fragments);
    snprintf(ours, sizeof(ours), "ours: dense + saccades, 8,000");
    double ymax = 5;
    for (int k = 0; k < 3; k++)
        ymax = fmax(ymax, fmax(ye[k], pub->ram[k]) * 1.2);
    ymax = ceil(ymax / 5) * 5;
    double xc[2] = {4, 8}, yc[2] = {pub->convnet, pub->convnet};
    ymax = fmax(ymax, ceil(pub->convnet * 1.2 / 5) * 5);
    PlotSeries ser[3] = {{ours, xs, ye, 3, 0}, {"RAM, 60,000 digits", xr, yr, nr, 1},
                         {"convnet, 60,000 digits", xc, yc, 2, 1}};
    if (nr == 1) { /* a single published point: draw it as a short flat reference */
        xr[1] = 8;
        xr[0] = 4;
        yr[1] = yr[0];
        ser[1].n = 2;
        ser[1].name = "RAM, 8 glimpses, 60,000 digits";
    }
    PlotSpec spec = {title, "fixations K (the first at the centre)", "error (%)", 4, 8, 0, ymax, 1,
                     ymax > 20 ? 5 : 1, 0};
    if (out_path(o, "png", png, sizeof(png)) < 0 || plot_write_png(png, &spec, ser, 3) < 0) {
        setup_free(&s);
        return 1;
    }
    if (o->json) {
        printf("{\"task\":\"%s\",\"n\":%d,\"rows\":[", o->task, n);
        for (int k = 0; k < 3; k++)
            printf("%s{\"saccades\":%d,\"error\":%.6f}", k ? "," : "", ks[k], err[k]);
        printf("],\"counting\":\"every look counts in K: saccades and corrective microsaccades\","
               "\"microsaccades_per_canvas\":%.4f,\"rows_microsaccades_not_counted\":[",
               (double)micro_counted / n);
        for (int k = 0; k < 3; k++)
            printf("%s{\"saccades\":%d,\"error\":%.6f}", k ? "," : "", ks[k], err_free[k]);
        printf("],\"microsaccades_per_canvas_not_counted\":%.4f}\n", (double)micro_free / n);
    } else {
        printf("%s: %d test digits in a %dx%d canvas with %d clutter fragments (seed %llu)\n", o->task, n,
               pub->canvas, pub->canvas, pub->fragments, (unsigned long long)o->seed);
        printf("  K fixations   our error   RAM (Mnih et al. 2014)   ours, K large saccades\n");
        for (int k = 0; k < 3; k++) {
            char ram[16] = "-";
            if (pub->ram[k] >= 0)
                snprintf(ram, sizeof(ram), "%.2f%%", pub->ram[k]);
            printf("  %11d   %8.2f%%   %-22s   %8.2f%%\n", ks[k], 100 * err[k], ram, 100 * err_free[k]);
        }
        printf("  K counts every look: saccades and corrective microsaccades (%.2f per canvas; made\n"
               "  when a look sees something but is unsure, 2 px around the landing). Last column:\n"
               "  microsaccades belong to the landing's fixation, K counts large saccades only\n"
               "  (%.2f microsaccades per canvas on top).\n",
               (double)micro_counted / n, (double)micro_free / n);
        printf("  published, same task: %s\n", pub->others);
        printf("  note: they trained on 60,000 MNIST digits (on the canvases themselves); we train\n"
               "  a dense centre-only classifier on 8,000 centred digits and let the eye move.\n");
        printf("  a fixation landed within 4 px of the digit's centre in %.1f%% of canvases\n",
               100.0 * landed / n);
        printf("wrote %s and %s\n", csv, png);
    }
    setup_free(&s);
    return 0;
}

/* ---------------------------------------------------------------- command */

int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {
        {"model", required_argument, 0, 'm'}, {"json", no_argument, 0, 'j'},
        {"out", required_argument, 0, 'o'},   {"seed", required_argument, 0, 's'},
        {"limit", required_argument, 0, 'l'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},        {"split", required_argument, 0, 'S'},
        {0, 0, 0, 0}};
    EvalOpts o = {NULL, NULL, ".", 0, 0, 0, 0, 1};
    int iv;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            o.model = optarg;
            break;
        case 'j':
            o.json = 1;
            break;
        case 'o':
            o.out_dir = optarg;
            break;
        case 's':
            if (cli_parse_u64("eval", "--seed", optarg, &o.seed) < 0)
                return 2;
            break;
        case 'l':
            if (cli_parse_int("eval", "--limit", optarg, 1, 1000000, &iv) < 0)
                return 2;
            o.limit = iv;
            break;
        case 'q':
            o.quiet = 1;
            break;
        case 'S':
            if (strcmp(optarg, "test") && strcmp(optarg, "train") && strcmp(optarg, "val")) {
                sc_log_error("--split: expected test, train or val, got '%s'", optarg);
                return 2;
            }
            o.split_train = !strcmp(optarg, "train") ? 1 : !strcmp(optarg, "val") ? 2 : 0;
            break;
        case 'h':
            eval_usage(stdout);
            return 0;
        default:
            return cli_bad_option("eval", argv, optind);
        }
    }
    if (optind != argc - 1) {
        sc_log_error(optind >= argc ? "eval: which task? (centred, eccentricity, translated60, cluttered60, "
                                      "cluttered100)"
                                    : "eval: one task at a time");
        return 2;
    }
    o.task = argv[optind];
    int known = !strcmp(o.task, "centred") || !strcmp(o.task, "eccentricity");
    const Published *pub = NULL;
    for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++)
        if (!strcmp(o.task, published[i].task))
            pub = &published[i];
    if (!known && !pub) {
        sc_log_error("eval: unknown task '%s' (centred, eccentricity, translated60, cluttered60, cluttered100)",
                     o.task);
        return 2;
    }
    struct stat st;
    if (stat(o.out_dir, &st) != 0 && mkdir(o.out_dir, 0777) != 0) {
        sc_log_error("%s: cannot create output folder", o.out_dir);
        return 1;
    }
    int rc;
    if (!strcmp(o.task, "centred"))
        rc = task_centred(&o);
    else if (!strcmp(o.task, "eccentricity"))
        rc = task_eccentricity(&o);
    else
        rc = task_canvas(&o, pub);
    if (rc)
        sc_log_error("%s", sc_last_error());
    return rc;
}
