/* The experiments as a library (src/eval/eval.h, rivals.h): the result structs on small fixed
 * subsets, exact counts pinned (the evals are deterministic at any thread count), the same
 * structs at 1 and 2 threads, and the error paths. The printing path of each subcommand is
 * tested through the binary (tests/classifier/test_eval_*.sh, tests/rivals/test_rivals_cli.sh). */
#include <math.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "data/dataset.h"
#include "eval/eval.h"
#include "eval/rivals.h"
#include "sim/sim.h"
#include "test.h"

static EvalOptions options(int limit, int threads)
{
    return (EvalOptions){NULL, limit, threads, 1, 0, 1, NULL, 0};
}

/* cluttered60, the first 40 canvases of seed 1: errors after 1..8 glimpses, the split of the
 * errors at 8, glimpses used and reads within 3 px; the same struct at 1 and 2 threads. */
static void test_canvas(void)
{
    static EvalCanvasResult a, b;
    EvalOptions o1 = options(40, 1), o2 = options(40, 2);
    REQUIRE(eval_canvas("cluttered60", &o1, &a) == 0, "%s", sc_last_error());
    REQUIRE(eval_canvas("cluttered60", &o2, &b) == 0, "%s", sc_last_error());
    CHECK(!memcmp(a.rows, b.rows, sizeof(a.rows)), "rows differ between 1 and 2 threads");
    CHECK(a.glimpses_used == b.glimpses_used && a.read_within_3px == b.read_within_3px);
    const long wrong[EVAL_MAX_K] = {33, 5, 0, 0, 0, 0, 0, 1};
    for (int k = 0; k < EVAL_MAX_K; k++)
        CHECKF(a.rows[k].n == 40 && a.rows[k].wrong == wrong[k] && a.rows[k].glimpses == k + 1,
               "%d glimpses: %ld of %ld wrong, pinned %ld of 40", k + 1, a.rows[k].wrong,
               a.rows[k].n, wrong[k]);
    CHECK(a.glimpses_used == 111, "glimpses used %ld", a.glimpses_used);
    CHECK(a.read_within_3px == 39, "read within 3 px %ld", a.read_within_3px);
    CHECK(a.wrong_read_centred == 0 && a.wrong_never_read_centred == 1);
    CHECK(!strcmp(a.test_set, "mnist-t10k") && a.pub == eval_published("cluttered60"));
    CHECK(a.numbers_per_glimpse > 0 && a.n == 40 && a.n_seeds == 1 && a.seed == 1);
    /* RAM's published rows at 4, 6, 8 glimpses, none at 5 */
    CHECK(fabs(a.rows[3].ram_error - 0.0496) < 1e-12 && a.rows[4].ram_error < 0);
    /* errors: unknown task, bad seed count, missing model: -1 and a message */
    CHECK(eval_canvas("nosuchtask", &o1, &a) < 0 && strstr(sc_last_error(), "nosuchtask"));
    EvalOptions bad = o1;
    bad.n_seeds = 0;
    CHECK(eval_canvas("cluttered60", &bad, &a) < 0);
    bad = o1;
    bad.model = "/nonexistent/model.wts";
    CHECK(eval_canvas("cluttered60", &bad, &a) < 0 && strstr(sc_last_error(), "nonexistent"));
}

/* The sensor-matched eye (--sensor small): one glimpse senses at most 1,216 numbers (the 28^2
 * fovea and 12^2 levels), the numbers sensed before an answer grow with the budget but never
 * past budget x glimpse, and the eye still finds and reads digits on cluttered canvases. */
static void test_small_sensor(void)
{
    static EvalCanvasResult full, small;
    EvalOptions o = options(40, 2);
    REQUIRE(eval_canvas("cluttered60", &o, &full) == 0, "%s", sc_last_error());
    o.sensor = SIM_SENSOR_SMALL;
    REQUIRE(eval_canvas("cluttered60", &o, &small) == 0, "%s", sc_last_error());
    CHECK(small.sensor == SIM_SENSOR_SMALL && small.numbers_per_glimpse == 784 + 3 * 144,
          "small sensor: %d numbers", small.numbers_per_glimpse);
    CHECK(small.retina_levels == 4, "small sensor: %d levels", small.retina_levels);
    CHECK(full.numbers_per_glimpse == full.retina_levels * 64 * 64 &&
              full.numbers_per_glimpse > 10 * small.numbers_per_glimpse,
          "full sensor: %d numbers, %d levels", full.numbers_per_glimpse, full.retina_levels);
    for (int k = 0; k < EVAL_MAX_K; k++) {
        CHECKF(small.rows[k].glimpses_used >= small.rows[k].n &&
                   small.rows[k].glimpses_used <= (long)(k + 1) * small.rows[k].n,
               "%d glimpses: %ld used over %ld canvases", k + 1, small.rows[k].glimpses_used,
               small.rows[k].n);
        if (k > 0)
            CHECK(small.rows[k].glimpses_used >= small.rows[k - 1].glimpses_used);
    }
    CHECK(small.rows[EVAL_MAX_K - 1].glimpses_used == small.glimpses_used);
    CHECK(small.rows[EVAL_MAX_K - 1].wrong * 4 < small.rows[EVAL_MAX_K - 1].n,
          "small sensor reads %ld of 40 wrong at 8 glimpses", small.rows[EVAL_MAX_K - 1].wrong);
    CHECK(small.rows[EVAL_MAX_K - 1].wrong < small.rows[0].wrong);
}

/* eccentricity, 4 digits per offset: right answers still and free at each offset. */
static void test_eccentricity(void)
{
    static EvalEccResult r;
    EvalOptions o = options(4, 2);
    REQUIRE(eval_eccentricity(&o, &r) == 0, "%s", sc_last_error());
    const int still[EVAL_ECC_NOFF] = {4, 4, 4, 1, 2, 0, 1, 0, 0, 1, 1, 0, 2, 1, 1};
    for (int k = 0; k < EVAL_ECC_NOFF; k++) {
        CHECKF(r.rows[k].offset_px == k * EVAL_ECC_STEP_PX && r.rows[k].still_right == still[k] &&
                   r.rows[k].saccades_right == 4,
               "offset %d: still %ld, saccades %ld", r.rows[k].offset_px, r.rows[k].still_right,
               r.rows[k].saccades_right);
        CHECK(r.rows[k].glimpses_mean >= 1 && r.rows[k].glimpses_mean <= EVAL_ECC_GLIMPSES);
    }
    CHECK(r.n == 4 && !strcmp(r.test_set, "mnist-t10k"));
}

/* centred: both shipped models; the glyph model on every held-out family. */
static void test_centred(void)
{
    static EvalCentredResult r;
    EvalOptions o = options(100, 1);
    REQUIRE(eval_centred(&o, &r) == 0, "%s", sc_last_error());
    CHECK(r.mnist.n == 100 && r.mnist.correct == 100 && r.mnist.n_groups == 1);
    CHECK(r.glyphs.n == 2232 && r.glyphs.correct == 2183, "glyphs %ld of %ld", r.glyphs.correct,
          r.glyphs.n);
    CHECK(r.glyphs.n_groups == DATASET_GLYPH_TEST_FAMILIES);
    for (int g = 0; g < r.glyphs.n_groups && g < DATASET_GLYPH_TEST_FAMILIES; g++)
        CHECK(!strcmp(r.glyphs.groups[g].name, dataset_glyph_test_families[g]));
    CHECK(r.glyphs.errors == r.glyphs.n - r.glyphs.correct && r.glyphs.n_top > 0);
    /* the digit and character models joined (the reader of scenes with digits and text): the
     * limit holds for the digits */
    CHECK(r.joined_digits.n == 100 && r.joined_glyphs.n == 2232, "joined n %ld %ld",
          r.joined_digits.n, r.joined_glyphs.n);
    CHECK(r.joined_digits.right == 99 && r.joined_glyphs.right == 2173, "joined %ld %ld",
          r.joined_digits.right, r.joined_glyphs.right);
}

/* reading: the pages are set in the reading test families (the glyph split's held-out ones
 * first); the counts are consistent (no-rule words never more than words with the rule here,
 * fixated words at most the words, refixated at most the fixated). */
static void test_reading(void)
{
    static EvalReadingResult r;
    EvalReadingOptions o = {.settings = {0, 2}, .n_settings = 2, .words = 8, .page = 8, .seed = 1};
    REQUIRE(eval_reading(&o, &r) == 0, "%s", sc_last_error());
    CHECK(r.n_rows == 2 && r.rows[0].readers == 0 && r.rows[1].readers == 2);
    CHECK(r.families == dataset_reading_test_families &&
          r.n_families == DATASET_READING_TEST_FAMILIES);
    for (int f = 0; f < DATASET_GLYPH_TEST_FAMILIES; f++)
        CHECK(!strcmp(r.families[f], dataset_glyph_test_families[f]));
    for (int s = 0; s < 2; s++) {
        const EvalReadingTally *t = &r.rows[s].all;
        CHECK(t->words == 8 * DATASET_READING_TEST_FAMILIES);
        CHECK(t->words_right <= t->words && t->fixations > 0);
        CHECK(t->words_right_raw <= t->words_right && t->words_fixated <= t->words &&
              t->words_refixated <= t->words_fixated && t->regressions <= t->line_saccades);
    }
    /* untied readers: 3 readers' weights for 2 extra readers */
    CHECK(r.rows[1].params == 3 * r.rows[0].params);
    o.split_val = 1;
    REQUIRE(eval_reading(&o, &r) == 0 || strstr(sc_last_error(), "validation"), "%s",
            sc_last_error());
    o.n_settings = 0;
    CHECK(eval_reading(&o, &r) < 0);
}

/* rivals: a cell name round trip and the usage error. */
static void test_rivals_cells(void)
{
    EvalRivalsCell c;
    CHECK(eval_rivals_parse_cell("modern:cluttered100:4000:7", &c) == 0);
    CHECK(c.model == EVAL_RIVALS_MODERN && c.size == 4000 && c.seed == 7 &&
          !strcmp(eval_rivals_tasks[c.task].task, "cluttered100"));
    char name[128];
    eval_rivals_cell_name(&c, name, sizeof(name));
    CHECK(!strcmp(name, "cell_modern_cluttered100_4000_7.json"), "%s", name);
    CHECK(eval_rivals_parse_cell("conv:cluttered60:5:1", &c) < 0);
    CHECK(eval_rivals_parse_cell("nonsense", &c) < 0 && strstr(sc_last_error(), "--cell"));
}

/* The reader's training patches from its own eye (train --eye-rounds): the same patches and
 * labels at 1 and 2 threads; every read kept or dropped by the rule; both kinds of label;
 * bad options refused. */
static void test_eye_patches(void)
{
    Dataset ds;
    REQUIRE(dataset_load(&ds, "mnist") == 0, "%s", sc_last_error());
    char path[4096];
    REQUIRE(paths_data_file(path, sizeof(path), "assets/models/mnist.wts"), "path");
    Classifier *c = classifier_load(path);
    REQUIRE(c != NULL, "%s", sc_last_error());
    EvalPatchOptions o = {"cluttered60", ds.train_x, ds.train_y, 300, 40,  EVAL_MAX_K,
                          2.5f,          5.0f,       1,          1,   NULL};
    EvalPatches a, b;
    REQUIRE(eval_eye_patches(c, &o, &a) == 0, "%s", sc_last_error());
    o.threads = 2;
    REQUIRE(eval_eye_patches(c, &o, &b) == 0, "%s", sc_last_error());
    CHECK(a.n == b.n && a.n > 0 && !memcmp(a.y, b.y, sizeof(int) * (size_t)a.n) &&
              !memcmp(a.x, b.x, sizeof(float) * DATASET_PATCH_N * (size_t)a.n),
          "eye patches differ between 1 and 2 threads");
    CHECKF(a.n == a.positives + a.nothings && a.reads >= a.n && a.reads >= 40 && a.positives > 0 &&
               a.nothings > 0,
           "%ld reads, %ld kept: %ld digits, %ld nothing", a.reads, a.n, a.positives, a.nothings);
    int nothing = classifier_nothing_class(c), in_range = 1;
    for (long i = 0; i < a.n; i++)
        in_range &= a.y[i] >= 0 && a.y[i] < classifier_n_classes(c);
    CHECK(in_range && nothing == 10, "labels out of range");
    eval_patches_free(&a);
    eval_patches_free(&b);
    o.pos_px = 6; /* not below neg_px */
    CHECK(eval_eye_patches(c, &o, &a) < 0 && strstr(sc_last_error(), "bad options"));
    o.pos_px = 2.5f;
    o.task = "centred";
    CHECK(eval_eye_patches(c, &o, &a) < 0 && strstr(sc_last_error(), "centred"));
    classifier_destroy(&c);
    dataset_free(&ds);
}

int main(void)
{
    test_eye_patches();
    test_small_sensor();
    test_rivals_cells();
    test_canvas();
    test_eccentricity();
    test_centred();
    test_reading();
    return TEST_DONE();
}
