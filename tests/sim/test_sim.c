/* The tick as a whole: determinism, keyframe round trip, manual inputs, the classifier hook,
 * and no allocation per tick (malloc and friends are wrapped at link time and counted). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "scene/scene.h"
#include "sim/sim.h"
#include "sim/sim_objects.h"
#include "test.h"

static int counting;
static long allocations;
void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
int __real_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
int __wrap_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_malloc(size_t n)
{
    allocations += counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t a, size_t b)
{
    allocations += counting;
    return __real_calloc(a, b);
}
void *__wrap_realloc(void *p, size_t n)
{
    allocations += counting;
    return __real_realloc(p, n);
}
int __wrap_posix_memalign(void **p, size_t a, size_t n)
{
    allocations += counting;
    return __real_posix_memalign(p, a, n);
}

static Sim *make(const char *scene, uint64_t seed)
{
    SceneSpec spec;
    if (scene_spec_parse(&spec, scene) < 0)
        return NULL;
    SimConfig c;
    sim_config_default(&c);
    Sim *s = sim_create(&c, &spec, seed);
    CHECKF(s != NULL, "sim_create(%s) failed", scene);
    return s;
}

static void test_determinism_and_keyframes(void)
{
    Sim *a = make("motion", 5), *b = make("motion", 5);
    if (!a || !b)
        return;
    for (int i = 0; i < 300; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
    }
    CHECK(sim_state_hash(a) == sim_state_hash(b));
    size_t n = sim_state_size(a);
    void *key = malloc(n);
    sim_state_save(a, key);
    uint64_t hashes[200];
    for (int i = 0; i < 200; i++) {
        sim_tick(a, NULL, 0);
        hashes[i] = sim_state_hash(a);
    }
    int fix_after = sim_fixation_count(a);
    /* Back to the keyframe: the same future, tick by tick. */
    CHECK(sim_state_load(a, key, n) == 0);
    int same = 1;
    for (int i = 0; i < 200; i++) {
        sim_tick(a, NULL, 0);
        same &= hashes[i] == sim_state_hash(a);
    }
    CHECK(same);
    CHECK(sim_fixation_count(a) == fix_after);
    /* Load into a different sim (b is at the keyframe's tick too, but jump it elsewhere). */
    for (int i = 0; i < 77; i++)
        sim_tick(b, NULL, 0);
    CHECK(sim_state_load(b, key, n) == 0);
    for (int i = 0; i < 200; i++)
        sim_tick(b, NULL, 0);
    CHECK(sim_state_hash(b) == hashes[199]);
    CHECK(sim_state_load(b, key, n - 1) < 0);
    free(key);
    sim_destroy(&a);
    sim_destroy(&b);
    Sim *c = make("motion", 6);
    if (c) {
        for (int i = 0; i < 300; i++)
            sim_tick(c, NULL, 0);
        CHECK(sim_state_hash(c) != hashes[0]);
        sim_destroy(&c);
    }
}

static void test_manual_input(void)
{
    Sim *s = make("blank", 1);
    if (!s)
        return;
    SimInput off = {SIM_INPUT_SET_AUTO, 0, 0};
    sim_tick(s, &off, 1);
    CHECK(!sim_auto(s));
    for (int i = 0; i < 50; i++)
        sim_tick(s, NULL, 0);
    float x0 = sim_eye(s)->x, y0 = sim_eye(s)->y;
    SimInput right = {SIM_INPUT_SACCADE_BY_DEG, 2.0f, 0.0f};
    sim_tick(s, &right, 1);
    for (int i = 0; i < 60; i++)
        sim_tick(s, NULL, 0);
    const Eye *e = sim_eye(s);
    float ppd = sim_config(s)->px_per_deg;
    CHECKF(fabsf(e->x - (x0 + 2 * ppd)) < 0.35f * ppd, "moved to %.1f from %.1f", e->x, x0);
    CHECK(fabsf(e->y - y0) < 0.35f * ppd);
    CHECK(sim_fixation_count(s) == 2 && sim_fixation(s, 1)->manual == 1);
    SimInput to = {SIM_INPUT_SACCADE_TO_PX, 100.0f, 120.0f};
    sim_tick(s, &to, 1);
    for (int i = 0; i < 60; i++)
        sim_tick(s, NULL, 0);
    CHECK(fabsf(sim_eye(s)->x - 100) < 20 && fabsf(sim_eye(s)->y - 120) < 20);
    /* Non-finite input is ignored, not propagated. */
    SimInput nan_in = {SIM_INPUT_SACCADE_BY_DEG, NAN, 1.0f};
    sim_tick(s, &nan_in, 1);
    for (int i = 0; i < 30; i++)
        sim_tick(s, NULL, 0);
    CHECK(isfinite(sim_eye(s)->x));
    sim_destroy(&s);
}

/* A fake classifier: sure of class 1 whenever the fovea holds ink, "nothing" (0) otherwise. */
static int calls;
static int fake_predict(void *ctx, const float *patch, float *probs)
{
    (void)ctx;
    calls++;
    float ink = 0;
    for (int i = 0; i < 28 * 28; i++)
        ink += patch[i];
    probs[0] = ink > 20 ? 0.01f : 0.99f;
    probs[1] = 1.0f - probs[0];
    return 0;
}

static void test_classifier_hook(void)
{
    static const char *const names[] = {"nothing", "thing"};
    Sim *s = make("digits", 2);
    if (!s)
        return;
    SimClassifier c = {.ctx = NULL,
                       .n_classes = 2,
                       .class_names = names,
                       .nothing_class = 0,
                       .predict = fake_predict};
    sim_set_classifier(s, &c);
    for (int i = 0; i < 1000; i++)
        sim_tick(s, NULL, 0);
    int n = sim_fixation_count(s), classified = 0, sure_short = 0, sure = 0, due = 0, missed = 0;
    for (int i = 0; i < n; i++) {
        const SimFixation *f = sim_fixation(s, i);
        classified += f->label >= 0;
        /* Every fixation is classified (its first glimpse after suppression is read). */
        if (i + 1 < n && !sim_fixation(s, i + 1)->corrective) {
            due++;
            missed += f->label < 0;
        }
        if (f->sure && f->end_ms >= 0) {
            sure++;
            CHECK(f->label == 1);
            /* believed (sure and centred): ended at the minimum fixation time */
            sure_short += (f->end_ms - f->start_ms) <= sim_config(s)->eye.fix_min_ms + 10;
        }
    }
    CHECKF(calls == classified, "classifier called %d times, %d fixations labelled", calls,
           classified);
    CHECKF(due > 10 && missed == 0, "%d of %d fixations not classified", missed, due);
    CHECKF(sure > 5 && sure_short >= sure / 2, "sure %d, ended early %d", sure, sure_short);
    /* an object's read: never "nothing", and a believed read, once made, stands */
    SimRead rd[SCENE_MAX_OBJECTS];
    for (int i = 0; i < SCENE_MAX_OBJECTS; i++)
        rd[i] = (SimRead){-1, 0, 0, -1};
    int read_objects = 0, bad_reads = 0;
    for (int i = 0; i < n; i++) {
        const SimFixation *f = sim_fixation(s, i);
        if (f->object < 0)
            continue;
        SimRead before = rd[f->object];
        sim_read_update(s, i, &rd[f->object]);
        bad_reads += before.sure && memcmp(&before, &rd[f->object], sizeof(before)) != 0;
    }
    for (int i = 0; i < SCENE_MAX_OBJECTS; i++)
        if (rd[i].label >= 0) {
            read_objects++;
            bad_reads += rd[i].label != 1;
        }
    CHECKF(read_objects > 0 && bad_reads == 0, "%d objects read, %d bad reads", read_objects,
           bad_reads);
    int k, at = -1;
    CHECK(sim_class_probs(s, &k, &at) != NULL && k == 2);
    /* the reading belongs to the last labelled fixation */
    const SimFixation *rf = sim_fixation(s, at);
    CHECKF(rf && rf->label >= 0, "probs read at fixation %d", at);
    for (int i = at + 1; i < sim_fixation_count(s); i++)
        CHECKF(sim_fixation(s, i)->label < 0, "fixation %d labelled after the reading at %d", i,
               at);
    sim_destroy(&s);
}

static void test_no_allocation_per_tick(void)
{
    Sim *s = make("motion", 3);
    if (!s)
        return;
    for (int i = 0; i < 50; i++)
        sim_tick(s, NULL, 0);
    allocations = 0;
    counting = 1;
    for (int i = 0; i < 1000; i++)
        sim_tick(s, NULL, 0);
    counting = 0;
    CHECKF(allocations == 0, "%ld allocations in 1000 ticks", allocations);
    sim_destroy(&s);
}

/* sim_restart on a new image is the same as a new sim on it: the same state hash after the
 * same ticks, bit for bit; glimpses count every retina sample. */
static void test_restart(void)
{
    enum { WS = 133 };
    Image a, b;
    if (image_create(&a, WS, WS) < 0 || image_create(&b, WS, WS) < 0)
        return;
    image_fill(&a, 0);
    image_fill(&b, 0);
    for (int y = 30; y < 50; y++)
        for (int x = 80; x < 92; x++)
            image_row(&a, y)[x] = 1.0f;
    for (int y = 90; y < 104; y++)
        for (int x = 20; x < 40; x++)
            image_row(&b, y)[x] = 1.0f;
    SimConfig c;
    sim_config_default(&c);
    Sim *fresh = sim_create_with_scene(&c, scene_create_from_image(&b, NULL, 0), 9);
    Sim *reused = sim_create_with_scene(&c, scene_create_from_image(&a, NULL, 0), 3);
    CHECK(fresh && reused);
    if (fresh && reused) {
        CHECK(sim_glimpse_count(fresh) == 1);
        for (int i = 0; i < 250; i++)
            sim_tick(reused, NULL, 0);
        CHECK(sim_restart(reused, &b, NULL, 0, 9) == 0);
        CHECK(sim_glimpse_count(reused) == 1 && sim_fixation_count(reused) == 1);
        int same = sim_state_hash(fresh) == sim_state_hash(reused), moved = 0;
        for (int i = 0; i < 250; i++) {
            sim_tick(fresh, NULL, 0);
            sim_tick(reused, NULL, 0);
            same &= sim_state_hash(fresh) == sim_state_hash(reused);
        }
        CHECK(same);
        moved = sim_fixation_count(fresh) > 1;
        CHECKF(moved && sim_glimpse_count(fresh) >= sim_fixation_count(fresh),
               "%d glimpses, %d fixations", sim_glimpse_count(fresh), sim_fixation_count(fresh));
        Image small;
        if (image_create(&small, 20, 20) == 0) {
            CHECK(sim_restart(reused, &small, NULL, 0, 1) == -1); /* other size: refused */
            image_destroy(&small);
        }
    }
    sim_destroy(&fresh);
    sim_destroy(&reused);
    image_destroy(&a);
    image_destroy(&b);
}

/* Issue 13: the fixation log used to reallocate inside the tick after 4,096 fixations. Manual
 * saccades back and forth make more than that on a small blank world; no tick allocates. */
static void test_no_allocation_long_log(void)
{
    SceneSpec spec;
    if (scene_spec_parse(&spec, "blank") < 0)
        return;
    spec.width = 160;
    spec.height = 120;
    SimConfig c;
    sim_config_default(&c);
    c.auto_saccades = 0;
    Sim *s = sim_create(&c, &spec, 1);
    CHECK(s != NULL);
    if (!s)
        return;
    allocations = 0;
    counting = 1;
    int t = 0;
    for (; t < 40000 && sim_fixation_count(s) <= 4200; t++) {
        SimInput in = {SIM_INPUT_SACCADE_BY_DEG, (t / 6) % 2 ? 1.0f : -1.0f, 0.0f};
        sim_tick(s, t % 6 == 0 ? &in : NULL, t % 6 == 0);
    }
    counting = 0;
    CHECKF(sim_fixation_count(s) > 4200, "%d fixations in %d ticks", sim_fixation_count(s), t);
    CHECKF(allocations == 0, "%ld allocations in %d ticks", allocations, t);
    sim_destroy(&s);
}

/* Issue 13: a keyframe is input. Every 4-byte word of the core block (and a sample of the
 * rest) overwritten with hostile values (INT_MAX, 2^30 + 1, -1, NaN, huge floats): each load
 * either fails with a message and leaves the sim untouched, or gives a sim that ticks on
 * without a sanitizer report. */
static void test_hostile_keyframes(void)
{
    Sim *a = make("digits", 3);
    if (!a)
        return;
    for (int i = 0; i < 120; i++)
        sim_tick(a, NULL, 0);
    size_t n = sim_state_size(a);
    unsigned char *key = malloc(n), *bad = malloc(n);
    sim_state_save(a, key);
    uint64_t h0 = sim_state_hash(a);
    static const uint32_t words[] = {0x7fffffffu, 0x40000001u, 0xffffffffu,
                                     0x7fc00000u, 0x7f7fffffu, 0xff800000u};
    int refused = 0, loaded = 0, untouched = 1;
    /* the core block (SimCore, with the eye's pursuit state) is inside the first 4 KiB */
    size_t core = n < 1024 ? n : 1024, pursuit = n < 4096 ? n : 4096;
    for (size_t off = 0; off + 4 <= n; off += off < core ? 4 : (off < pursuit ? 12 : 4093)) {
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            memcpy(bad, key, n);
            memcpy(bad + off, &words[w], 4);
            if (sim_state_load(a, bad, n) < 0) {
                refused++;
                untouched &= sim_state_hash(a) == h0 && sc_last_error()[0];
                continue;
            }
            loaded++;
            for (int t = 0; t < 3; t++)
                sim_tick(a, NULL, 0);
            CHECK(sim_fixation_count(a) >= 1 && sim_fixation_count(a) <= SIM_MAX_FIXATIONS);
            CHECK(sim_state_load(a, key, n) == 0);
            CHECK(sim_state_hash(a) == h0);
        }
    }
    CHECK(untouched);
    CHECKF(refused > 0, "refused %d loaded %d", refused, loaded);
    printf("hostile keyframes: %d refused, %d loaded and ticked\n", refused, loaded);
    free(key);
    free(bad);
    sim_destroy(&a);
}

/* A sim watching one MNIST test digit that crosses the gaze (the world centre) at 100 ms and
 * moves on at speed deg/s along +x. */
static Sim *pursuit_sim(float speed, int pursuit, uint64_t seed)
{
    SimConfig c;
    sim_config_default(&c);
    c.eye.pursuit = pursuit;
    SceneObject o;
    memset(&o, 0, sizeof o);
    o.x = 639.5f - speed * c.px_per_deg * 0.1f;
    o.y = 359.5f;
    o.vx = speed * c.px_per_deg;
    int idx = 0;
    Scene *sc = scene_create_moving_digits(1280, 720, seed, &o, &idx, 1);
    Sim *s = sc ? sim_create_with_scene(&c, sc, seed) : NULL;
    CHECKF(s != NULL, "pursuit sim: %s", sc_last_error());
    return s;
}

/* The eye in the whole tick (slip from V1, position error from the retina): it pursues a moving
 * digit and follows it; a still digit never moves it smoothly; pursuit off never does. */
static void test_pursuit_in_sim(void)
{
    for (int kind = 0; kind < 3; kind++) {
        float speed = kind == 1 ? 0.0f : 10.0f;
        Sim *s = pursuit_sim(speed, kind != 2, 7);
        if (!s)
            return;
        double vsum = 0;
        int vn = 0, pursued = 0, moved = 0;
        for (int i = 1; i <= 100; i++) {
            sim_tick(s, NULL, 0);
            const Eye *e = sim_eye(s);
            float vx, vy;
            eye_velocity_deg_s(e, &vx, &vy);
            pursued |= e->pursuing;
            moved |= vx != 0 || vy != 0;
            if (i >= 40 && i <= 90) {
                vsum += vx;
                vn++;
            }
        }
        const Eye *e = sim_eye(s);
        const SceneObject *o = &scene_objects(sim_scene(s))[0];
        double mean = vsum / vn, off = hypot(e->x - o->x, e->y - o->y) / 32.0;
        if (kind == 0)
            CHECKF(pursued && mean >= 7.0 && mean <= 10.5 && off < 1.5,
                   "moving digit: pursued %d, eye %.2f deg/s over 0.4..0.9 s, %.2f deg off at 1 s",
                   pursued, mean, off);
        else
            CHECKF(!pursued && !moved, "%s: pursued %d, moved smoothly %d",
                   kind == 1 ? "still digit" : "pursuit off", pursued, moved);
        sim_destroy(&s);
    }
}

static size_t find_bytes(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(hay + i, needle, m))
            return i;
    return (size_t)-1;
}

/* Replay with pursuit is bit-exact (two runs, and a run resumed from a keyframe mid-pursuit);
 * a keyframe whose pursuit state is corrupt is refused by name and changes nothing. */
static void test_pursuit_replay(void)
{
    Sim *a = pursuit_sim(10.0f, 1, 9), *b = pursuit_sim(10.0f, 1, 9), *c = pursuit_sim(10.0f, 1, 9);
    if (!a || !b || !c)
        goto done;
    for (int i = 0; i < 40; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
    }
    CHECK(sim_eye(a)->pursuing);
    size_t n = sim_state_size(a);
    unsigned char *key = malloc(n), *bad = malloc(n);
    sim_state_save(a, key);
    CHECK(sim_state_load(c, key, n) == 0);
    int same = 1;
    for (int i = 0; i < 80; i++) {
        sim_tick(a, NULL, 0);
        sim_tick(b, NULL, 0);
        sim_tick(c, NULL, 0);
        same &= sim_state_hash(a) == sim_state_hash(b) && sim_state_hash(a) == sim_state_hash(c);
    }
    CHECKF(same, "pursuit runs differ (fresh or resumed from a keyframe)");
    /* corrupt the eye's pursuit fields in the keyframe: found by the eye's bytes */
    Sim *d = pursuit_sim(10.0f, 1, 9);
    for (int i = 0; d && i < 40; i++)
        sim_tick(d, NULL, 0);
    size_t eo = d ? find_bytes(key, n, sim_eye(d), sizeof(Eye)) : (size_t)-1;
    CHECKF(eo != (size_t)-1, "eye not found in the keyframe");
    if (eo != (size_t)-1) {
        uint64_t h0 = sim_state_hash(d);
        const float nan = NAN, fast = 1e6f;
        const int32_t two = 2, head = EYE_SLIP_HISTORY, count = EYE_SLIP_HISTORY + 1;
        const double later = 1e12;
        struct {
            size_t off;
            const void *v;
            size_t len;
        } pokes[] = {
            {offsetof(Eye, pv_x), &nan, 4},
            {offsetof(Eye, pv_y), &fast, 4},
            {offsetof(Eye, tv_x), &nan, 4},
            {offsetof(Eye, pursuing), &two, 4},
            {offsetof(Eye, obs_head), &head, 4},
            {offsetof(Eye, obs_count), &count, 4},
            {offsetof(Eye, anchor_ms), &later, 8},
            {offsetof(Eye, anchor_x), &nan, 4},
            {offsetof(Eye, obs) + offsetof(EyeSlipObs, tvx), &nan, 4},
            {offsetof(Eye, obs) + 5 * sizeof(EyeSlipObs) + offsetof(EyeSlipObs, signal), &two, 4},
            {offsetof(Eye, obs) + 9 * sizeof(EyeSlipObs) + offsetof(EyeSlipObs, t_ms), &later, 8},
        };
        for (size_t i = 0; i < sizeof pokes / sizeof pokes[0]; i++) {
            memcpy(bad, key, n);
            memcpy(bad + eo + pokes[i].off, pokes[i].v, pokes[i].len);
            CHECKF(sim_state_load(d, bad, n) < 0 && strstr(sc_last_error(), "pursuit") &&
                       sim_state_hash(d) == h0,
                   "corrupt pursuit field %zu loaded (%s)", i, sc_last_error());
        }
        /* pursuit state in a sim without pursuit */
        Sim *off = pursuit_sim(10.0f, 0, 9);
        if (off) {
            CHECKF(sim_state_load(off, key, n) < 0, "a pursuit keyframe loaded into a sim without "
                                                    "pursuit");
            sim_destroy(&off);
        }
    }
    sim_destroy(&d);
    free(key);
    free(bad);
done:
    sim_destroy(&a);
    sim_destroy(&b);
    sim_destroy(&c);
}

/* Object files (sim/sim_objects.h): a digit moving at 3 deg/s, once read, keeps a file that
 * follows it (checked against the scene's ground truth, which the eye never sees) and counts as
 * moving, and the eye then leaves it for the still digits; on a still scene no file ever counts
 * as moving, so none inhibits (the eye chooses as without files); a keyframe with a corrupt file
 * is refused by name and changes nothing. */
static Sim *objects_sim(void)
{
    SimConfig c;
    sim_config_default(&c);
    SceneObject o[4];
    memset(o, 0, sizeof o);
    const float at[4][2] = {{640, 360}, {200, 150}, {1080, 200}, {300, 600}};
    for (int i = 0; i < 4; i++) {
        o[i].x = at[i][0];
        o[i].y = at[i][1];
    }
    o[0].vx = 3.0f * c.px_per_deg; /* px/s */
    o[0].vy = 1.0f * c.px_per_deg;
    const int idx[4] = {0, 1, 2, 3};
    Scene *sc = scene_create_moving_digits(1280, 720, 5, o, idx, 4);
    Sim *s = sc ? sim_create_with_scene(&c, sc, 5) : NULL;
    CHECKF(s != NULL, "object files sim: %s", sc_last_error());
    return s;
}

static void test_object_files(void)
{
    static const char *const names[] = {"nothing", "thing"};
    SimClassifier c = {.ctx = NULL,
                       .n_classes = 2,
                       .class_names = names,
                       .nothing_class = 0,
                       .predict = fake_predict};
    Sim *m = objects_sim(), *d = make("digits", 2), *m2 = objects_sim();
    if (!m || !d || !m2)
        goto done;
    sim_set_classifier(m, &c);
    sim_set_classifier(d, &c);
    sim_set_classifier(m2, &c);
    int checks = 0, followed = 0, files = 0, still_moving = 0;
    for (int i = 1; i <= 1500; i++) {
        sim_tick(m, NULL, 0);
        sim_tick(d, NULL, 0);
        if (i % 10)
            continue;
        const SimObjectFile *f = sim_object_files(m);
        const SceneObject *o = &scene_objects(sim_scene(m))[0];
        int near = 0, any = 0;
        for (int k = 0; k < SIM_OBJ_FILES; k++) {
            if (f[k].kind == SIM_OBJ_FREE || hypotf(o->x - f[k].x, o->y - f[k].y) > 32.0f)
                continue;
            any = 1;
            near |= f[k].moving;
        }
        if (any || checks) { /* from the first file on it */
            checks++;
            followed += near;
        }
        const SimObjectFile *g = sim_object_files(d);
        for (int k = 0; k < SIM_OBJ_FILES; k++) {
            files += g[k].kind != SIM_OBJ_FREE;
            still_moving += g[k].kind != SIM_OBJ_FREE && g[k].moving;
        }
    }
    int on_moving = 0, n_fix = sim_fixation_count(m);
    for (int i = 0; i < n_fix; i++)
        on_moving += sim_fixation(m, i)->object == 0;
    CHECKF(checks >= 100 && followed >= 0.8 * checks,
           "moving digit: a moving file within 1 deg of it at %d of %d checks", followed, checks);
    CHECKF(3 * on_moving <= n_fix, "moving digit: %d of %d fixations", on_moving, n_fix);
    CHECKF(files > 0 && still_moving == 0, "digits: %d of %d files moving on a still scene",
           still_moving, files);
    /* a keyframe with a corrupt object file */
    size_t n = sim_state_size(m);
    unsigned char *key = malloc(n), *bad = malloc(n);
    sim_state_save(m, key);
    for (int i = 0; i < 1500; i++)
        sim_tick(m2, NULL, 0);
    uint64_t h0 = sim_state_hash(m2);
    size_t fo = find_bytes(key, n, sim_object_files(m), sizeof(SimObjects));
    CHECKF(fo != (size_t)-1, "object files not found in the keyframe");
    int k0 = 0;
    while (k0 < SIM_OBJ_FILES - 1 && sim_object_files(m)[k0].kind == SIM_OBJ_FREE)
        k0++;
    if (fo != (size_t)-1) {
        const float nan = NAN, two = 2.0f, far = 1e6f;
        const int32_t seven = 7, big = 1 << 30;
        struct {
            size_t off;
            const void *v;
            size_t len;
        } pokes[] = {
            {offsetof(SimObjectFile, x), &nan, 4},
            {offsetof(SimObjectFile, y), &far, 4},
            {offsetof(SimObjectFile, strength), &two, 4},
            {offsetof(SimObjectFile, kind), &seven, 4},
            {offsetof(SimObjectFile, fixation), &big, 4},
            {offsetof(SimObjectFile, vx), &far, 4},
        };
        for (size_t i = 0; i < sizeof pokes / sizeof pokes[0]; i++) {
            memcpy(bad, key, n);
            memcpy(bad + fo + (size_t)k0 * sizeof(SimObjectFile) + pokes[i].off, pokes[i].v,
                   pokes[i].len);
            CHECKF(sim_state_load(m2, bad, n) < 0 && strstr(sc_last_error(), "object file") &&
                       sim_state_hash(m2) == h0,
                   "corrupt object file field %zu loaded (%s)", i, sc_last_error());
        }
        CHECK(sim_state_load(m2, key, n) == 0 && sim_state_hash(m2) == sim_state_hash(m));
    }
    free(key);
    free(bad);
done:
    sim_destroy(&m);
    sim_destroy(&d);
    sim_destroy(&m2);
}

int main(void)
{
    test_pursuit_in_sim();
    test_pursuit_replay();
    test_restart();
    test_determinism_and_keyframes();
    test_hostile_keyframes();
    test_manual_input();
    test_classifier_hook();
    test_no_allocation_per_tick();
    test_no_allocation_long_log();
    test_object_files(); /* after test_classifier_hook, which counts the fake's calls */
    return TEST_DONE();
}
