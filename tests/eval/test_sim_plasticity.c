/* V1 plasticity in the simulation (issue 22 §2: `run` and `live --plasticity`): off is the
 * default eye (config hash, reads); on, the first read is the hard-wired bank's bit for bit,
 * reads of labelled objects are rewarded by the scene's truth and move the gains, the run is
 * deterministic, keyframes restore the gains (and refuse broken ones), a recording (format v6)
 * verifies tick for tick, a run without plasticity is still written as v5, and a reader that
 * cannot take it (two joined, none) is refused by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "record/record.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "test.h"
#include "v1/plasticity.h"

static SceneSpec digits_spec(void)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = SCENE_DIGITS;
    spec.width = 640;
    spec.height = 480;
    return spec;
}

static Sim *digits_sim(int mode, float eta, SimModel *m)
{
    SimConfig c;
    sim_config_default(&c);
    c.plasticity = mode;
    c.plasticity_eta = eta;
    SceneSpec spec = digits_spec();
    Sim *s = sim_create(&c, &spec, 3);
    if (s && m)
        sim_set_classifier(s, sim_model_hook(m));
    return s;
}

static SimModel *open_model(const char *name, const Sim *s)
{
    SceneSpec spec = digits_spec();
    SimModelChoice ch;
    if (sim_model_choose(&spec, sim_scene(s), name, &ch) < 0)
        return NULL;
    return sim_model_open(&ch);
}

static void test_config(void)
{
    SimConfig a, b;
    sim_config_default(&a);
    sim_config_default(&b);
    CHECK(a.plasticity == 0 && a.plasticity_eta == 0.0f, "plasticity must be off by default");
    b.plasticity = PLASTICITY_UNTIED;
    b.plasticity_eta = 0.001f;
    CHECK(sim_config_hash(&a) != sim_config_hash(&b), "plasticity must change the config hash");
    SimConfig t = b;
    t.plasticity = PLASTICITY_TIED;
    CHECK(sim_config_hash(&t) != sim_config_hash(&b), "the mode must change the config hash");
    t = b;
    t.plasticity_eta = 0.002f;
    CHECK(sim_config_hash(&t) != sim_config_hash(&b), "the rate must change the config hash");
    b.plasticity = 0; /* off: the rate means nothing, the hash is the default eye's */
    CHECK(sim_config_hash(&a) == sim_config_hash(&b));
    CHECK(plasticity_default_eta(PLASTICITY_UNTIED) == PLASTICITY_ETA_UNTIED &&
          plasticity_default_eta(PLASTICITY_TIED) == PLASTICITY_ETA_TIED &&
          plasticity_default_eta(PLASTICITY_OFF) == 0.0f);
    CHECK(digits_sim(PLASTICITY_UNTIED, 0.0f, NULL) == NULL, "rate 0 must be refused");
    CHECK(digits_sim(9, 0.1f, NULL) == NULL, "an unknown mode must be refused");
}

static void test_run(void)
{
    Sim *off = digits_sim(0, 0, NULL);
    REQUIRE(off, "%s", sc_last_error());
    SimModel *m = open_model(NULL, off);
    REQUIRE(m, "%s", sc_last_error());
    sim_set_classifier(off, sim_model_hook(m));
    /* a large rate, so that a few seconds move the gains visibly */
    Sim *a = digits_sim(PLASTICITY_UNTIED, 0.05f, m), *b = digits_sim(PLASTICITY_UNTIED, 0.05f, m);
    REQUIRE(a && b, "%s", sc_last_error());
    CHECK(sim_plasticity(off) == NULL && sim_plasticity_ready(off) == 0);
    CHECK(sim_plasticity_ready(a) == 0, "%s", sc_last_error());
    const Plasticity *pa = sim_plasticity(a);
    REQUIRE(pa && pa->mode == PLASTICITY_UNTIED && pa->updates == 0, "no fresh gains");

    /* up to the first read the runs are one: all gains 1 read as the hard-wired bank */
    int first = 0;
    for (int i = 0; i < 400 && !first; i++) {
        sim_tick(off, NULL, 0);
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
        int n0, n1, k0, k1;
        const float *p0 = sim_class_probs(off, &n0, &k0), *p1 = sim_class_probs(a, &n1, &k1);
        if (p0 && p1) {
            first = 1;
            CHECK(n0 == n1 && k0 == k1 && !memcmp(p0, p1, sizeof(float) * (size_t)n0),
                  "the first read with gains 1 differs from the bank's");
        }
    }
    CHECK(first, "no read in 4 s");
    for (int i = 0; i < 1200; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
    }
    CHECK(pa->updates > 0, "no read was rewarded in 16 s of digits");
    CHECK(plasticity_positions_changed(pa) > 0, "the gains did not move");
    CHECK(sim_state_hash(a) == sim_state_hash(b), "a plasticity run is not deterministic");
    CHECK(!memcmp(pa->gain, sim_plasticity(b)->gain, sizeof pa->gain));

    /* keyframes carry the gains */
    size_t n = sim_state_size(a);
    CHECK(n == sim_state_size(off) + PLASTICITY_STATE_BYTES, "state size %zu", n);
    unsigned char *buf = malloc(n);
    REQUIRE(buf, "out of memory");
    sim_state_save(a, buf);
    Sim *c = digits_sim(PLASTICITY_UNTIED, 0.05f, m);
    REQUIRE(c, "%s", sc_last_error());
    CHECK(sim_state_load(c, buf, n) == 0, "%s", sc_last_error());
    CHECK(sim_plasticity(c)->updates == pa->updates);
    for (int i = 0; i < 300; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(c, NULL, 0);
    }
    CHECK(sim_state_hash(a) == sim_state_hash(c), "a keyframe does not restore the gains");
    /* a gain outside its clamp, or another run's mode, is refused */
    unsigned char *g = buf + n - PLASTICITY_STATE_BYTES;
    unsigned char keep[4];
    memcpy(keep, g + 16, 4);
    float big = 100.0f;
    memcpy(g + 16, &big, 4);
    CHECK(sim_state_load(c, buf, n) < 0, "a gain of 100 was accepted");
    memcpy(g + 16, keep, 4);
    Sim *t = digits_sim(PLASTICITY_TIED, 0.05f, m);
    REQUIRE(t, "%s", sc_last_error());
    CHECK(sim_state_load(t, buf, n) < 0, "an untied keyframe loaded into a tied run");
    free(buf);

    /* a joined reader, or none, cannot take plasticity */
    SimModel *j = open_model("mnist+chars", off);
    REQUIRE(j, "%s", sc_last_error());
    sim_set_classifier(t, sim_model_hook(j));
    CHECK(sim_plasticity_ready(t) < 0 && strstr(sc_last_error(), "V1 input"), "joined: '%s'",
          sc_last_error());
    sim_set_classifier(t, NULL);
    CHECK(sim_plasticity_ready(t) < 0);
    sim_model_close(&j);
    sim_destroy(&t);
    sim_destroy(&c);
    sim_destroy(&a);
    sim_destroy(&b);
    sim_destroy(&off);
    sim_model_close(&m);
}

/* Records `ticks` of a sim and returns the file's path (static buffer). */
static const char *record(Sim *s, uint64_t model_hash, int ticks, const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/saccade-test-plast-%ld-%s.run", (long)getpid(), name);
    Recorder *r = recorder_open(path, s, model_hash);
    REQUIRE(r, "%s", sc_last_error());
    for (int i = 0; i < ticks; i++) {
        sim_tick(s, NULL, 0);
        REQUIRE(recorder_tick(r, s, NULL, 0) == 0, "%s", sc_last_error());
    }
    REQUIRE(recorder_finish(r, s) == 0 && recorder_close(&r) == 0, "%s", sc_last_error());
    return path;
}

static void test_recording(void)
{
    Sim *s = digits_sim(PLASTICITY_TIED, 0.05f, NULL);
    REQUIRE(s, "%s", sc_last_error());
    SimModel *m = open_model(NULL, s);
    REQUIRE(m, "%s", sc_last_error());
    sim_set_classifier(s, sim_model_hook(m));
    const char *path = record(s, sim_model_hash(m), 1500, "on");
    RunFile *rf = runfile_read(path);
    REQUIRE(rf, "%s", sc_last_error());
    CHECK(rf->header.version == RUN_FORMAT_V6 && rf->header.plasticity == PLASTICITY_TIED &&
              rf->header.plasticity_eta == 0.05f,
          "version %u, mode %u, rate %g", rf->header.version, rf->header.plasticity,
          (double)rf->header.plasticity_eta);
    ReplayReport rep;
    CHECK(record_verify(rf, sim_model_hook(m), sim_model_hash(m), &rep) == 0,
          "a plasticity run does not verify: diverged at tick %lld (%s)",
          (long long)rep.diverged_tick, sc_last_error());
    CHECK(sim_plasticity(s)->updates > 0, "nothing rewarded in the recorded run");
    runfile_free(&rf);
    unlink(path);
    sim_destroy(&s);

    /* without plasticity the file is v5, as before v6 existed */
    s = digits_sim(0, 0, m);
    REQUIRE(s, "%s", sc_last_error());
    path = record(s, sim_model_hash(m), 50, "off");
    rf = runfile_read(path);
    REQUIRE(rf, "%s", sc_last_error());
    CHECK(rf->header.version == RUN_FORMAT_V5 && rf->header.plasticity == 0,
          "version %u without plasticity", rf->header.version);
    runfile_free(&rf);
    unlink(path);
    sim_destroy(&s);
    sim_model_close(&m);

    /* a header with a mode and no rate, or a rate and no mode, is refused */
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
    h.plasticity = PLASTICITY_UNTIED;
    h.plasticity_eta = 0.001f;
    uint8_t buf[1024];
    size_t n = run_header_encode(&h, RUN_FORMAT_V6, buf, sizeof buf);
    REQUIRE(n > 0, "header encode failed");
    rf = runfile_parse(buf, n, "plast.run");
    REQUIRE(rf, "%s", sc_last_error());
    CHECK(rf->header.plasticity == PLASTICITY_UNTIED && rf->header.plasticity_eta == 0.001f);
    runfile_free(&rf);
    const float bad_eta[] = {0.0f, 2.0f};
    for (int i = 0; i < 2; i++) {
        h.plasticity_eta = bad_eta[i];
        n = run_header_encode(&h, RUN_FORMAT_V6, buf, sizeof buf);
        REQUIRE(n > 0, "header encode failed");
        CHECK(runfile_parse(buf, n, "plast.run") == NULL, "rate %g accepted", (double)bad_eta[i]);
    }
    h.plasticity = 3;
    h.plasticity_eta = 0.1f;
    n = run_header_encode(&h, RUN_FORMAT_V6, buf, sizeof buf);
    REQUIRE(n > 0, "header encode failed");
    CHECK(runfile_parse(buf, n, "plast.run") == NULL, "mode 3 accepted");
    h.plasticity = 0;
    n = run_header_encode(&h, RUN_FORMAT_V6, buf, sizeof buf);
    REQUIRE(n > 0, "header encode failed");
    CHECK(runfile_parse(buf, n, "plast.run") == NULL, "a rate without a mode accepted");
}

int main(void)
{
    test_config();
    test_run();
    test_recording();
    return TEST_DONE();
}
