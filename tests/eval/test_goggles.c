/* Goggles and saccade adaptation (issue 22 §1): goggles off is the default eye (same config
 * hash, same run); a goggles run is deterministic and its keyframes restore it exactly; the
 * run file carries goggles and rate (v5); landing error falls as the motor map adapts on a
 * fixed small seed. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "eval/goggles.h"
#include "record/record.h"
#include "sim/sim.h"
#include "sim/sim_adapt.h"
#include "test.h"

static Sim *digits_sim(int flip, float rate)
{
    SimConfig c;
    sim_config_default(&c);
    c.retina.flip = flip;
    c.saccade_adapt_rate = rate;
    SceneSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = SCENE_DIGITS;
    spec.width = 640;
    spec.height = 480;
    return sim_create(&c, &spec, 5);
}

static void test_off_is_default(void)
{
    SimConfig a, b;
    sim_config_default(&a);
    sim_config_default(&b);
    CHECK(a.retina.flip == 0 && a.saccade_adapt_rate == 0.0f);
    b.retina.flip = RETINA_FLIP_Y;
    CHECK(sim_config_hash(&a) != sim_config_hash(&b), "goggles must change the config hash");
    b.retina.flip = 0;
    b.saccade_adapt_rate = 1.0f;
    CHECK(sim_config_hash(&a) != sim_config_hash(&b), "adaptation must change the config hash");
    Sim *s = digits_sim(0, 0);
    REQUIRE(s, "%s", sc_last_error());
    CHECK(sim_adapt(s) == NULL);
    sim_destroy(&s);
}

static void test_deterministic_and_keyframes(void)
{
    Sim *a = digits_sim(RETINA_FLIP_Y, 1.0f), *b = digits_sim(RETINA_FLIP_Y, 1.0f);
    REQUIRE(a && b, "%s", sc_last_error());
    for (int i = 0; i < 150; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
    }
    CHECK(sim_state_hash(a) == sim_state_hash(b));
    size_t n = sim_state_size(a);
    void *buf = malloc(n);
    REQUIRE(buf, "out of memory");
    sim_state_save(a, buf);
    Sim *c = digits_sim(RETINA_FLIP_Y, 1.0f);
    REQUIRE(c, "%s", sc_last_error());
    CHECK(sim_state_load(c, buf, n) == 0, "%s", sc_last_error());
    for (int i = 0; i < 250; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(c, NULL, 0);
    }
    CHECK(sim_state_hash(a) == sim_state_hash(c), "a keyframe does not restore the goggles run");
    CHECK(sim_adapt(a) && sim_adapt(a)->saccades > 0, "no saccade read its post-saccadic error");
    /* a broken map is refused */
    SimAdapt bad = *sim_adapt(a);
    bad.map.gx[0] = 1e9f;
    memcpy((char *)buf + n - sizeof bad, &bad, sizeof bad);
    CHECK(sim_state_load(c, buf, n) < 0);
    free(buf);
    sim_destroy(&a);
    sim_destroy(&b);
    sim_destroy(&c);
}

static void test_runfile_header(void)
{
    RunHeader h;
    memset(&h, 0, sizeof h);
    h.tick_ms = 10;
    h.px_per_deg = 32;
    h.classify_stop_confidence = 0.97f;
    h.fovea_size = 28;
    h.ior_radius_deg = 0.3f;
    h.ior_decay_ms = 6000;
    h.fix_mean_ms = 250;
    h.scene.kind = SCENE_DIGITS;
    h.world_w = h.world_h = 64;
    h.goggles = RETINA_FLIP_X | RETINA_FLIP_Y;
    h.saccade_adapt_rate = 0.25f;
    uint8_t buf[1024];
    size_t n = run_header_encode(&h, RUN_FORMAT_VERSION, buf, sizeof buf);
    REQUIRE(n > 0, "header encode failed");
    RunFile *rf = runfile_parse(buf, n, "goggles.run");
    REQUIRE(rf, "%s", sc_last_error());
    CHECK(rf->header.goggles == 3 && rf->header.saccade_adapt_rate == 0.25f);
    runfile_free(&rf);
}

static void test_adaptation(void)
{
    EvalGogglesOptions o = {.goggles = RETINA_FLIP_Y,
                            .rate = 1.0f,
                            .saccades = 60,
                            .block = 20,
                            .n_seeds = 1,
                            .seed = 1};
    static EvalGogglesResult r, r2;
    REQUIRE(eval_goggles_saccades(&o, &r) == 0, "%s", sc_last_error());
    REQUIRE(eval_goggles_saccades(&o, &r2) == 0, "%s", sc_last_error());
    CHECK(!memcmp(&r, &r2, sizeof r), "the experiment is not deterministic");
    double first = r.blocks[0].err_sum / r.blocks[0].n, last = r.blocks[2].err_sum / r.blocks[2].n;
    double normal = r.normal.err_sum / r.normal.n, inverted = r.inverted.err_sum / r.inverted.n;
    CHECK(r.n_blocks == 3 && r.adapting.n == 60 && r.normal.n == 60);
    CHECK(normal < 1.0 && inverted > 3.0, "normal %.2f deg, inverted %.2f deg", normal, inverted);
    CHECK(last < 0.5 * first, "landing error did not fall: %.2f -> %.2f deg", first, last);
    CHECK(r.adapting.err_sum < r.inverted.err_sum);
    o.rate = 0;
    CHECK(eval_goggles_saccades(&o, &r) < 0, "rate 0 must be refused");
}

/* Reading under goggles (eval/goggles.h) on a small fixed seed: the readers read their letters
 * well before goggles and badly with them; relearning raises accuracy; the tied reader, with
 * three positions' letters per fixation, is ahead of the untied readers summed over positions;
 * the run is a pure function of its options. */
static void test_reading(void)
{
    EvalGogglesReadingOptions o;
    eval_goggles_reading_defaults(&o);
    o.positions = 3;
    o.fixations = 400;
    o.block = 100;
    o.lr_untied = o.lr_tied = 1e-3f;
    o.test_n = 200;
    o.split_val = 1;
    static EvalGogglesReadingResult r, r2;
    REQUIRE(eval_goggles_reading(&o, &r) == 0, "%s", sc_last_error());
    CHECK(r.positions == 3 && r.steps == 4 && r.offset[1] == 1 && r.offset[2] == -1);
    long normal = 0, before = 0, untied = 0, tied = 0, n = 0;
    for (int i = 0; i < 3; i++) {
        CHECK(r.n_test[i] == 200);
        normal += r.normal[i];
        before += r.untied[i][0];
        untied += r.untied[i][4];
        tied += r.tied[i][4];
        n += r.n_test[i];
    }
    CHECKF(normal > 0.85 * (double)n && before < 0.25 * (double)n,
           "right before goggles %ld, with them %ld of %ld", normal, before, n);
    CHECKF(untied > before && tied > untied,
           "after 400 fixations: untied %ld, tied %ld, from %ld (of %ld)", untied, tied, before, n);
    /* a pure function of its options (the fovea alone, two steps: the same for every one) */
    o.positions = 1;
    o.fixations = 200;
    REQUIRE(eval_goggles_reading(&o, &r) == 0, "%s", sc_last_error());
    REQUIRE(eval_goggles_reading(&o, &r2) == 0, "%s", sc_last_error());
    CHECK(!memcmp(&r, &r2, offsetof(EvalGogglesReadingResult, seconds_untied)),
          "reading under goggles is not deterministic");
    o.fixations = 450; /* not a multiple of the block */
    CHECK(eval_goggles_reading(&o, &r) < 0);
}

int main(void)
{
    test_off_is_default();
    test_deterministic_and_keyframes();
    test_runfile_header();
    test_adaptation();
    test_reading();
    return TEST_DONE();
}
