/* test_plasticity: the V1 plasticity rule (v1/plasticity.h) and `eval plasticity` through the
 * library (eval/plasticity.h) on a small fixed seed: off is the hard-wired bank bit for bit,
 * the untied update leaves silent positions exactly at 1, the tied control changes them, the
 * state round-trips and hashes, and the experiment is a pure function of its options. */
#include <math.h>
#include <string.h>

#include "classifier/classifier.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/paths.h"
#include "eval/plasticity.h"
#include "test.h"
#include "v1/plasticity.h"

enum { P = PLASTICITY_POSITIONS, G = V1_PATCH_GRID };

/* Energies with activity only in the left half of the fovea (u < G / 2), more at orientation 2. */
static void left_half_energies(float *e)
{
    memset(e, 0, sizeof(float) * V1_PATCH_OUT);
    for (int o = 0; o < V1_PATCH_ORIENT; o++)
        for (int v = 0; v < G; v++)
            for (int u = 0; u < G / 2; u++)
                e[(o * G + v) * G + u] = (o == 2 ? 0.5f : 0.1f) + 0.01f * (float)(u + v);
}

static void test_rule(void)
{
    Plasticity un, ti, off;
    REQUIRE(plasticity_init(&un, PLASTICITY_UNTIED, 0.05f) == 0, "%s", sc_last_error());
    REQUIRE(plasticity_init(&ti, PLASTICITY_TIED, 0.05f) == 0, "%s", sc_last_error());
    REQUIRE(plasticity_init(&off, PLASTICITY_OFF, 0.0f) == 0, "%s", sc_last_error());
    CHECK(plasticity_init(&un, 7, 0.1f) < 0);
    CHECK(plasticity_init(&un, PLASTICITY_UNTIED, 0.0f) < 0);
    CHECK(plasticity_init(&un, PLASTICITY_UNTIED, 2.0f) < 0);
    REQUIRE(plasticity_init(&un, PLASTICITY_UNTIED, 0.05f) == 0, "%s", sc_last_error());
    CHECK(plasticity_mode_parse("tied") == PLASTICITY_TIED && plasticity_mode_parse("x") < 0);

    float e[V1_PATCH_OUT], f[V1_PATCH_OUT];
    left_half_energies(e);
    /* all-1 gains are the bank: the same bits */
    memcpy(f, e, sizeof(e));
    plasticity_apply(&un, f);
    CHECK(!memcmp(e, f, sizeof(e)));
    /* off: no change, no update */
    CHECK(plasticity_reward(&off, e, 1, 1.0f) == 0);
    CHECK(plasticity_positions_changed(&off) == 0);
    /* unrewarded reads (wrong, or not confident) change nothing */
    CHECK(plasticity_reward(&un, e, 0, 1.0f) == 0);
    CHECK(plasticity_reward(&un, e, 1, PLASTICITY_CONFIDENCE * 0.5f) == 0);
    CHECK(plasticity_positions_changed(&un) == 0 && un.updates == 0);

    for (int t = 0; t < 50; t++) {
        CHECK(plasticity_reward(&un, e, 1, 0.9f) == 1);
        CHECK(plasticity_reward(&ti, e, 1, 0.9f) == 1);
    }
    CHECK(un.updates == 50 && ti.updates == 50);
    /* untied: the left half learned (orientation 2 up), the silent right half exactly 1 */
    int right_same = 1, left_up = 1;
    for (int o = 0; o < V1_PATCH_ORIENT; o++)
        for (int v = 0; v < G; v++)
            for (int u = 0; u < G; u++) {
                float g = un.gain[(o * G + v) * G + u];
                if (u >= G / 2)
                    right_same &= g == 1.0f;
                else if (o == 2)
                    left_up &= g > 1.0f;
            }
    CHECK(right_same, "untied: a silent position's gains changed");
    CHECK(left_up, "untied: the rewarded orientation did not gain");
    CHECK(plasticity_positions_changed(&un) == P / 2, "%d", plasticity_positions_changed(&un));
    /* tied: one shared change, so every position changed, identically */
    CHECK(plasticity_positions_changed(&ti) == P, "%d", plasticity_positions_changed(&ti));
    int shared = 1;
    for (int o = 0; o < V1_PATCH_ORIENT; o++)
        for (int j = 1; j < P; j++)
            shared &= ti.gain[o * P + j] == ti.gain[o * P];
    CHECK(shared, "tied: positions differ");
    CHECK(ti.gain[2 * P + P - 1] > 1.0f, "tied: the silent corner did not gain");
    /* bounds and the per-position mean */
    for (int j = 0; j < P; j++) {
        double m = 0;
        for (int o = 0; o < V1_PATCH_ORIENT; o++) {
            float g = un.gain[o * P + j];
            CHECK(g >= PLASTICITY_GAIN_MIN && g <= PLASTICITY_GAIN_MAX);
            m += g;
        }
        CHECK(fabs(m / V1_PATCH_ORIENT - 1.0) < 1e-5, "position %d mean %g", j, m / 8);
    }

    /* state: round trip, hash, and refusal of a bad state */
    unsigned char buf[PLASTICITY_STATE_BYTES];
    plasticity_state_save(&un, buf);
    Plasticity back;
    REQUIRE(plasticity_state_load(&back, buf) == 0, "%s", sc_last_error());
    CHECK(!memcmp(back.gain, un.gain, sizeof(un.gain)) && back.updates == un.updates &&
          back.mode == un.mode && back.eta == un.eta);
    CHECK(plasticity_hash(&back, hash64_init()) == plasticity_hash(&un, hash64_init()));
    CHECK(plasticity_hash(&ti, hash64_init()) != plasticity_hash(&un, hash64_init()));
    buf[16 + 3] = 0x7f; /* gain 0 -> a huge float */
    CHECK(plasticity_state_load(&back, buf) < 0);
}

static void test_predict_features(void)
{
    char path[1024];
    REQUIRE(paths_data_file(path, sizeof(path), "assets/models/mnist.wts"), "path");
    Classifier *c = classifier_load(path);
    REQUIRE(c, "%s", sc_last_error());
    float patch[CLASSIFIER_SIDE * CLASSIFIER_SIDE], x[2352], p1[16], p2[16];
    for (int i = 0; i < CLASSIFIER_SIDE * CLASSIFIER_SIDE; i++)
        patch[i] = (float)((i * 37) % 101) / 100.0f * ((i / 28) % 9 > 4);
    int a = classifier_predict(c, patch, p1);
    classifier_features(c, patch, x);
    int b = classifier_predict_features(c, x, p2);
    CHECK(a == b && !memcmp(p1, p2, sizeof(float) * (size_t)classifier_n_classes(c)),
          "features path differs from predict");
    classifier_destroy(&c);
}

static void test_eval(void)
{
    EvalPlasticityOptions o;
    eval_plasticity_defaults(&o);
    o.n_train = 300;
    o.n_test = 100;
    o.n_seeds = 1;
    o.seed = 3;
    o.eta_untied = 0.01f;
    o.eta_tied = 0.01f;
    static EvalPlasticityResult r, r2;
    REQUIRE(eval_plasticity(&o, &r) == 0, "%s", sc_last_error());
    REQUIRE(eval_plasticity(&o, &r2) == 0, "%s", sc_last_error());
    CHECK(!memcmp(&r.cells, &r2.cells, sizeof(r.cells)), "not a pure function of the options");
    CHECK(!memcmp(r.gain_map, r2.gain_map, sizeof(r.gain_map)));
    for (int m = 0; m < EVAL_PLAST_MODES; m++)
        for (int p = 0; p < EVAL_PLAST_POS; p++)
            CHECK(r.cells[m][p].n == 100);
    /* off is the bank: V1 responses unchanged, nothing gained or lost */
    for (int p = 0; p < EVAL_PLAST_POS; p++)
        CHECK(r.cells[PLASTICITY_OFF][p].v1_ratio == 1.0);
    /* learning happened, and its footprint: untied gains never move outside the region the
     * rewarded reads used; tied ones move everywhere alike */
    CHECK(r.rewarded[PLASTICITY_UNTIED][0] > 50, "%ld", r.rewarded[PLASTICITY_UNTIED][0]);
    CHECK(r.gain_out_maxdev[PLASTICITY_UNTIED][0] == 0.0);
    CHECK(r.changed_positions[PLASTICITY_TIED][0] == P);
    CHECK(r.cells[PLASTICITY_UNTIED][0].v1_ratio != 1.0);
    /* the pinned counts of this seed (a change to the rule, the retina or the reader shows
     * here): printed for the record */
    for (int m = 0; m < EVAL_PLAST_MODES; m++)
        fprintf(stderr, "%-7s trained %ld  untrained %ld  centre %ld  (of 100)\n",
                plasticity_mode_name(m), r.cells[m][0].right, r.cells[m][1].right,
                r.cells[m][2].right);

    /* errors: one line, -1 */
    EvalPlasticityOptions bad = o;
    bad.offset_px = 0;
    CHECK(eval_plasticity(&bad, &r2) < 0 && strstr(sc_last_error(), "--offset"));
    bad = o;
    bad.n_seeds = EVAL_MAX_SEEDS + 1;
    CHECK(eval_plasticity(&bad, &r2) < 0 && strstr(sc_last_error(), "--seeds"));
    bad = o;
    bad.model = "/nonexistent/model.wts";
    CHECK(eval_plasticity(&bad, &r2) < 0);
}

int main(void)
{
    test_rule();
    test_predict_features();
    test_eval();
    return TEST_DONE();
}
