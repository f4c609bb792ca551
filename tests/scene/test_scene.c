/* test_scene: properties of the scene module (built-ins, motion, state, files, images, text). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "core/log.h"
#include "core/paths.h"
#include "core/rng.h"
#include "core/text.h"
#include "data/mnist.h"
#include "scene/scene.h"
#include "test.h"

static char tmpdir[256];

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static Scene *make(SceneKind kind, int w, int h, int objects, uint64_t seed)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof(spec));
    spec.kind = kind;
    spec.width = w;
    spec.height = h;
    spec.objects = objects;
    Scene *s = scene_create(&spec, seed);
    CHECKF(s != NULL, "create %s: %s", scene_kind_name(kind), sc_last_error());
    return s;
}

static int boxes_overlap(const SceneObject *a, const SceneObject *b)
{
    return fabsf(a->x - b->x) * 2.0f < a->w + b->w && fabsf(a->y - b->y) * 2.0f < a->h + b->h;
}

static void check_objects_inside(const Scene *s, const char *what)
{
    const Image *w = scene_world(s);
    const SceneObject *o = scene_objects(s);
    for (int i = 0; i < scene_object_count(s); i++) {
        CHECKF(o[i].x - o[i].w / 2 >= 0 && o[i].y - o[i].h / 2 >= 0 &&
                   o[i].x + o[i].w / 2 <= w->w && o[i].y + o[i].h / 2 <= w->h,
               "%s: object %d (%g,%g %gx%g) outside the %dx%d world", what, i, o[i].x, o[i].y,
               o[i].w, o[i].h, w->w, w->h);
    }
}

static int label_valid(const SceneObject *o)
{
    size_t n = strlen(o->label);
    switch (o->kind) {
    case SCENE_OBJ_DIGIT: return n == 1 && o->label[0] >= '0' && o->label[0] <= '9';
    case SCENE_OBJ_TEXT:
        if (n == 0)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!((o->label[i] >= 'A' && o->label[i] <= 'Z') ||
                  (o->label[i] >= 'a' && o->label[i] <= 'z') ||
                  (o->label[i] >= '0' && o->label[i] <= '9'))) /* letters: glyph digits */
                return 0;
        return 1;
    default: return n < SCENE_LABEL_MAX;
    }
}

/* Every built-in: objects inside the world, not overlapping, labels valid, world in 0..1. */
static void test_builtins(void)
{
    const SceneKind kinds[] = {SCENE_DIGITS, SCENE_CLUTTERED, SCENE_LETTERS, SCENE_MOTION};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        Scene *s = make(kinds[k], 0, 0, 0, 7);
        if (!s)
            continue;
        const char *name = scene_kind_name(kinds[k]);
        const Image *w = scene_world(s);
        CHECKF(w->w == 1280 && w->h == 720, "%s: default size %dx%d", name, w->w, w->h);
        CHECKF(scene_object_count(s) == 12, "%s: %d objects, expected 12", name,
               scene_object_count(s));
        const SceneObject *o = scene_objects(s);
        check_objects_inside(s, name);
        for (int i = 0; i < scene_object_count(s); i++) {
            CHECKF(label_valid(&o[i]), "%s: object %d label '%s' invalid for its kind", name, i,
                   o[i].label);
            /* letters shows only what the glyph model reads: one letter or digit each */
            if (kinds[k] == SCENE_LETTERS)
                CHECKF(strlen(o[i].label) == 1 && ((o[i].label[0] >= 'A' && o[i].label[0] <= 'Z') ||
                                                   (o[i].label[0] >= 'a' && o[i].label[0] <= 'z') ||
                                                   (o[i].label[0] >= '0' && o[i].label[0] <= '9')),
                       "letters: object %d label '%s' is not a letter or a digit", i, o[i].label);
            CHECKF(o[i].w >= 2 && o[i].h >= 2 && o[i].w <= 200 && o[i].h <= 60,
                   "%s: object %d size %gx%g", name, i, o[i].w, o[i].h);
            for (int j = 0; j < i; j++)
                CHECKF(!boxes_overlap(&o[i], &o[j]), "%s: objects %d and %d overlap", name, i, j);
            /* The object is visible: its centre region is brighter than the background average. */
            float peak = 0;
            for (int y = (int)(o[i].y - o[i].h / 2); y < (int)(o[i].y + o[i].h / 2); y++)
                for (int x = (int)(o[i].x - o[i].w / 2); x < (int)(o[i].x + o[i].w / 2); x++)
                    peak = fmaxf(peak, image_at(w, x, y));
            CHECKF(peak > 0.8f, "%s: object %d has no bright ink (peak %g)", name, i, peak);
        }
        float lo = 1, hi = 0;
        for (int y = 0; y < w->h; y++)
            for (int x = 0; x < w->w; x++) {
                lo = fminf(lo, image_at(w, x, y));
                hi = fmaxf(hi, image_at(w, x, y));
            }
        CHECKF(lo >= 0.0f && hi <= 1.0f, "%s: world values %g..%g outside 0..1", name, lo, hi);
        CHECKF(scene_content_hash(s) == 0, "%s: built-in has a content hash", name);
        if (kinds[k] == SCENE_DIGITS || kinds[k] == SCENE_CLUTTERED)
            for (int i = 0; i < scene_object_count(s); i++)
                CHECKF(o[i].kind == SCENE_OBJ_DIGIT && o[i].h >= 10 && o[i].h <= 28,
                       "%s: digit %d is %gx%g", name, i, o[i].w, o[i].h);
        scene_destroy(&s);
        CHECKF(s == NULL, "destroy nulls the pointer");
    }
}

/* Clutter: more ink in the cluttered background than in the plain one, none on the objects. */
static void test_clutter(void)
{
    Scene *a = make(SCENE_DIGITS, 0, 0, 0, 3), *b = make(SCENE_CLUTTERED, 0, 0, 0, 3);
    if (!a || !b)
        goto done;
    const Image *wa = scene_world(a), *wb = scene_world(b);
    long bright_a = 0, bright_b = 0;
    for (int y = 0; y < wa->h; y++)
        for (int x = 0; x < wa->w; x++) {
            bright_a += image_at(wa, x, y) > 0.5f;
            bright_b += image_at(wb, x, y) > 0.5f;
        }
    CHECKF(bright_b > bright_a + 500, "cluttered has no clutter (%ld vs %ld bright px)", bright_b,
           bright_a);
done:
    scene_destroy(&a);
    scene_destroy(&b);
}

static void test_determinism(void)
{
    const SceneKind kinds[] = {SCENE_DIGITS, SCENE_CLUTTERED, SCENE_LETTERS, SCENE_MOTION};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        Scene *a = make(kinds[k], 0, 0, 0, 42), *b = make(kinds[k], 0, 0, 0, 42),
              *c = make(kinds[k], 0, 0, 0, 43);
        if (a && b && c) {
            const char *name = scene_kind_name(kinds[k]);
            CHECKF(image_hash(scene_world(a)) == image_hash(scene_world(b)),
                   "%s: same seed, different world", name);
            CHECKF(scene_state_hash(a) == scene_state_hash(b), "%s: same seed, different state",
                   name);
            CHECKF(image_hash(scene_world(a)) != image_hash(scene_world(c)),
                   "%s: different seed, same world", name);
            CHECKF(scene_state_hash(a) != scene_state_hash(c), "%s: different seed, same state",
                   name);
        }
        scene_destroy(&a);
        scene_destroy(&b);
        scene_destroy(&c);
    }
}

static void test_blank(void)
{
    Scene *s = make(SCENE_BLANK, 0, 0, 0, 1);
    if (!s)
        return;
    const Image *w = scene_world(s);
    int constant = 1;
    for (int y = 0; y < w->h; y++)
        for (int x = 0; x < w->w; x++)
            constant &= image_at(w, x, y) == 0.5f;
    CHECKF(constant, "blank is not uniform 0.5");
    CHECKF(scene_object_count(s) == 0, "blank has objects");
    scene_step(s, 10.0);
    SceneRect d = scene_dirty(s);
    CHECKF(d.x0 >= d.x1, "blank step reports a dirty rect");
    scene_destroy(&s);
}

/* Motion: objects move, stay inside, bounce; changed pixels lie inside the dirty rect; the
 * incrementally updated world equals a full re-render from the saved state. */
static void test_motion(void)
{
    Scene *s = make(SCENE_MOTION, 320, 240, 8, 5);
    if (!s)
        return;
    const Image *w = scene_world(s);
    int n = scene_object_count(s);
    CHECKF(n >= 4, "motion: only %d objects in 320x240", n);
    const SceneObject *o = scene_objects(s);
    for (int i = 0; i < n; i++) {
        float speed = hypotf(o[i].vx, o[i].vy);
        CHECKF(speed >= 19.9f && speed <= 120.1f, "motion: object %d speed %g px/s", i, speed);
    }
    Image before;
    image_create(&before, w->w, w->h);
    SceneObject start[SCENE_MAX_OBJECTS];
    memcpy(start, o, (size_t)n * sizeof(*o));
    int bounces = 0, outside_dirty = 0, dirty_steps = 0;
    for (int step = 0; step < 1500; step++) { /* 15 s: every object crosses the small world */
        SceneObject prev[SCENE_MAX_OBJECTS];
        memcpy(prev, o, (size_t)n * sizeof(*o));
        image_copy(&before, w);
        scene_step(s, 10.0);
        SceneRect d = scene_dirty(s);
        if (d.x0 < d.x1)
            dirty_steps++;
        CHECKF(d.x0 >= 0 && d.y0 >= 0 && d.x1 <= w->w && d.y1 <= w->h,
               "dirty rect outside the world");
        const SceneRect *list = NULL;
        int nl = scene_dirty_rects(s, &list);
        CHECKF((nl == 0) == (d.x0 >= d.x1), "dirty list (%d) and union disagree", nl);
        for (int k = 0; k < nl; k++)
            CHECKF(list[k].x0 >= d.x0 && list[k].y0 >= d.y0 && list[k].x1 <= d.x1 &&
                       list[k].y1 <= d.y1 && list[k].x0 < list[k].x1 && list[k].y0 < list[k].y1,
                   "dirty list rect %d outside the union or empty", k);
        for (int y = 0; y < w->h; y++)
            for (int x = 0; x < w->w; x++)
                if (image_at(&before, x, y) != image_at(w, x, y)) {
                    int in = 0;
                    for (int k = 0; k < nl && !in; k++)
                        in = x >= list[k].x0 && x < list[k].x1 && y >= list[k].y0 && y < list[k].y1;
                    outside_dirty += !in || !(x >= d.x0 && x < d.x1 && y >= d.y0 && y < d.y1);
                }
        for (int i = 0; i < n; i++)
            bounces += (prev[i].vx > 0) != (o[i].vx > 0) || (prev[i].vy > 0) != (o[i].vy > 0);
        check_objects_inside(s, "motion");
        if (test_failures > 20)
            break;
    }
    CHECKF(outside_dirty == 0, "motion: %d changed pixels outside the dirty rect", outside_dirty);
    CHECKF(dirty_steps > 1000, "motion: only %d steps changed pixels", dirty_steps);
    CHECKF(bounces >= n, "motion: only %d bounces", bounces);
    int moved = 0;
    for (int i = 0; i < n; i++)
        moved += fabsf(o[i].x - start[i].x) > 1 || fabsf(o[i].y - start[i].y) > 1;
    CHECKF(moved == n, "motion: only %d of %d objects moved", moved, n);

    /* A fresh scene loaded with the saved state renders the same world. */
    size_t sz = scene_state_size(s);
    void *buf = malloc(sz);
    scene_state_save(s, buf);
    Scene *fresh = make(SCENE_MOTION, 320, 240, 8, 5);
    if (fresh) {
        CHECKF(image_hash(scene_world(fresh)) != image_hash(w), "motion: world did not change");
        CHECKF(scene_state_load(fresh, buf, sz) == 0, "state load: %s", sc_last_error());
        CHECKF(image_hash(scene_world(fresh)) == image_hash(w),
               "motion: incremental world != re-render");
        CHECKF(scene_state_hash(fresh) == scene_state_hash(s),
               "motion: state hash differs after load");
        SceneRect d = scene_dirty(fresh);
        CHECKF(d.x0 == 0 && d.y0 == 0 && d.x1 == w->w && d.y1 == w->h,
               "state load does not mark all dirty");
        const SceneRect *all = NULL;
        CHECKF(scene_dirty_rects(fresh, &all) == 1 && all[0].x1 == w->w && all[0].y1 == w->h,
               "state load dirty list");
        /* Both continue identically. */
        for (int k = 0; k < 100; k++) {
            scene_step(s, 10.0);
            scene_step(fresh, 10.0);
        }
        CHECKF(image_hash(scene_world(fresh)) == image_hash(w), "motion: diverged after load");
        CHECKF(scene_state_load(fresh, buf, sz - 1) == -1, "state load accepts a wrong size");
        unsigned char *bad = malloc(sz);
        memcpy(bad, buf, sz);
        float nan = NAN;
        memcpy(bad + 4, &nan, 4);
        CHECKF(scene_state_load(fresh, bad, sz) == -1, "state load accepts NaN");
        free(bad);
    }
    scene_destroy(&fresh);
    free(buf);
    image_destroy(&before);

    /* Absurd steps: objects stay inside, nothing hangs; negative or NaN steps do nothing. */
    unsigned long long hs = scene_state_hash(s);
    scene_step(s, -10.0);
    scene_step(s, NAN);
    scene_step(s, INFINITY);
    CHECKF(scene_state_hash(s) == hs, "negative, NaN or infinite step moved objects");
    scene_step(s, 1e9);
    check_objects_inside(s, "huge step");
    /* A zero time step reports nothing dirty. */
    scene_step(s, 0.0);
    SceneRect d = scene_dirty(s);
    CHECKF(d.x0 >= d.x1, "zero dt reports a dirty rect");
    scene_destroy(&s);

    /* Static scenes never report dirty. */
    Scene *st = make(SCENE_DIGITS, 0, 0, 0, 1);
    if (st) {
        unsigned long long h = image_hash(scene_world(st));
        scene_step(st, 10.0);
        d = scene_dirty(st);
        CHECKF(d.x0 >= d.x1 && image_hash(scene_world(st)) == h, "static scene changed on step");
    }
    scene_destroy(&st);
}

static void test_spec(void)
{
    SceneSpec s;
    CHECKF(scene_spec_parse(&s, "digits") == 0 && s.kind == SCENE_DIGITS, "digits");
    CHECKF(scene_spec_parse(&s, "motion") == 0 && s.kind == SCENE_MOTION, "motion");
    CHECKF(scene_spec_parse(&s, "blank") == 0 && s.kind == SCENE_BLANK &&
               !strcmp(scene_spec_name(&s), "blank"),
           "blank");
    CHECKF(scene_spec_parse(&s, "a/b.scene") == 0 && s.kind == SCENE_FILE &&
               !strcmp(s.path, "a/b.scene"),
           "file");
    CHECKF(scene_spec_parse(&s, "x.png") == 0 && s.kind == SCENE_IMAGE &&
               !strcmp(scene_spec_name(&s), "x.png"),
           "image");
    CHECKF(scene_spec_parse(&s, "") == -1, "empty accepted");
    CHECKF(scene_spec_parse_size(&s, "640x480") == 0 && s.width == 640 && s.height == 480,
           "640x480");
    const char *bad[] = {"0x0",       "-5x10", "100000x100000", "640",   "640x", "x480",
                         "640x480x3", "abc",   "8193x100",      "10x10", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECKF(scene_spec_parse_size(&s, bad[i]) == -1, "size '%s' accepted", bad[i]);
        CHECKF(strchr(sc_last_error(), '\n') == NULL, "multi-line error");
    }
    /* Absurd sizes in a spec built by hand. */
    const int sizes[][2] = {{0, 100}, {-5, 100}, {100000, 100000}, {8193, 64}, {64, -1}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        memset(&s, 0, sizeof(s));
        s.kind = SCENE_DIGITS;
        s.width = sizes[i][0];
        s.height = sizes[i][1];
        Scene *sc = scene_create(&s, 1);
        CHECKF(sc == NULL && strstr(sc_last_error(), "size"), "size %dx%d accepted", s.width,
               s.height);
        scene_destroy(&sc);
    }
    memset(&s, 0, sizeof(s));
    s.kind = SCENE_DIGITS;
    s.objects = SCENE_MAX_OBJECTS + 1;
    Scene *sc = scene_create(&s, 1);
    CHECKF(sc == NULL, "too many objects accepted");
    /* A small world takes fewer objects without failing. */
    Scene *small = make(SCENE_DIGITS, 64, 48, 12, 1);
    if (small) {
        CHECKF(scene_object_count(small) >= 1 && scene_object_count(small) < 12,
               "64x48 world: %d objects", scene_object_count(small));
        check_objects_inside(small, "small");
    }
    scene_destroy(&small);
}

static Scene *load_file(const char *name, const char *text)
{
    char path[512];
    tmp_path(path, sizeof(path), name);
    write_text(path, text);
    SceneSpec spec;
    scene_spec_parse(&spec, path);
    return scene_create(&spec, 9);
}

/* Moving objects glide: drawn at fractional positions, the ink's centre of mass follows the
 * object's centre to a small fraction of a pixel at every step. */
static void test_subpixel(void)
{
    Scene *s = load_file("glide.scene", "size 100 60\nbackground 0\nbox - 40.3 30 10 70 -30\n");
    CHECKF(s != NULL, "glide: %s", sc_last_error());
    if (!s)
        return;
    float worst = 0;
    for (int step = 0; step < 40; step++) {
        const Image *w = scene_world(s);
        double m = 0, mx = 0, my = 0;
        for (int y = 0; y < w->h; y++)
            for (int x = 0; x < w->w; x++) {
                double a = image_at(w, x, y);
                m += a;
                mx += a * (x + 0.5);
                my += a * (y + 0.5);
            }
        const SceneObject *o = scene_objects(s);
        worst = fmaxf(worst, fabsf((float)(mx / m) - o->x));
        worst = fmaxf(worst, fabsf((float)(my / m) - o->y));
        CHECKF(fabs(m - 0.85 * 100) < 0.01, "ink mass %g at step %d", m, step);
        scene_step(s, 3.0); /* 0.21 px, 0.09 px */
        SceneRect d = scene_dirty(s);
        CHECKF(d.x0 < d.x1, "sub-pixel step reports nothing dirty");
    }
    CHECKF(worst < 1e-3f, "centre of mass off the object's centre by %g px", worst);
    scene_destroy(&s);
}

/* The example scene files shipped in assets/scenes load. */
static void test_examples(void)
{
    const struct {
        const char *name;
        int objects, w, h;
    } ex[] = {{"assets/scenes/street.scene", 8, 800, 480},
              {"assets/scenes/crowd.scene", 12, 640, 480}};
    for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
        char path[1024];
        SceneSpec spec;
        CHECKF(paths_data_file(path, sizeof(path), ex[i].name) &&
                   scene_spec_parse(&spec, path) == 0,
               "%s", ex[i].name);
        Scene *s = scene_create(&spec, 1);
        CHECKF(s != NULL, "%s: %s", ex[i].name, sc_last_error());
        if (s) {
            CHECKF(scene_object_count(s) == ex[i].objects && scene_world(s)->w == ex[i].w &&
                       scene_world(s)->h == ex[i].h,
                   "%s: %d objects, %dx%d", ex[i].name, scene_object_count(s), scene_world(s)->w,
                   scene_world(s)->h);
            check_objects_inside(s, ex[i].name);
            for (int k = 0; k < 300; k++)
                scene_step(s, 10.0);
            check_objects_inside(s, ex[i].name);
        }
        scene_destroy(&s);
    }
}

static void test_scene_file(void)
{
    const char *good = "# a test scene\n"
                       "size 400 300\n"
                       "background noise 0.1 0.2   # default anyway\n"
                       "\n"
                       "digit 7 50 50 28\n"
                       "text cat 200 60 34\n"
                       "blob - 300 200 24 30 -40\n"
                       "box corner 370 270 20\r\n"
                       "\t digit 3 100 200 56 10 10\n";
    Scene *s = load_file("good.scene", good);
    CHECKF(s != NULL, "good.scene: %s", sc_last_error());
    if (s) {
        const Image *w = scene_world(s);
        CHECKF(w->w == 400 && w->h == 300, "size line ignored: %dx%d", w->w, w->h);
        CHECKF(scene_object_count(s) == 5, "%d objects", scene_object_count(s));
        const SceneObject *o = scene_objects(s);
        if (scene_object_count(s) == 5) {
            CHECKF(o[0].kind == SCENE_OBJ_DIGIT && !strcmp(o[0].label, "7") &&
                       fabsf(o[0].x - 50) <= 0.5f && fabsf(o[0].y - 50) <= 0.5f &&
                       o[0].x - o[0].w / 2 == floorf(o[0].x - o[0].w / 2),
                   "digit 7");
            CHECKF(o[1].kind == SCENE_OBJ_TEXT && !strcmp(o[1].label, "cat") && o[1].h >= 18 &&
                       o[1].h <= 34,
                   "text cat (%gx%g)", o[1].w, o[1].h);
            CHECKF(o[2].kind == SCENE_OBJ_BLOB && o[2].label[0] == 0 && o[2].vx == 30 &&
                       o[2].vy == -40,
                   "blob");
            CHECKF(o[3].kind == SCENE_OBJ_BOX && !strcmp(o[3].label, "corner") && o[3].w == 20,
                   "box");
            CHECKF(o[4].h > 28 && o[4].h <= 56, "digit scaled to 56: ink %gx%g", o[4].w, o[4].h);
            CHECKF(image_at(w, 370, 270) > 0.84f, "box not drawn (%g)", image_at(w, 370, 270));
        }
        CHECKF(scene_content_hash(s) != 0, "file scene has no content hash");
        Scene *again = load_file("good2.scene", good);
        CHECKF(again != NULL, "good2.scene: %s", sc_last_error());
        if (again) {
            CHECKF(scene_content_hash(again) == scene_content_hash(s),
                   "content hash differs for same bytes");
            CHECKF(image_hash(scene_world(again)) == image_hash(w),
                   "same file and seed, different world");
        }
        scene_destroy(&again);
        scene_step(s, 100.0);
        SceneRect d = scene_dirty(s);
        CHECKF(d.x0 < d.x1, "moving file objects report nothing dirty");
    }
    scene_destroy(&s);
    Scene *other =
        load_file("other.scene", "\xEF\xBB\xBFsize 400 300\nbackground 0.3\nbox - 200 150 10\n");
    CHECKF(other != NULL, "other.scene (a BOM, a grey background): %s", sc_last_error());
    if (other) {
        CHECKF(image_at(scene_world(other), 10, 10) == 0.3f, "background GREY not uniform");
        CHECKF(scene_content_hash(other) != 0, "no content hash");
    }
    scene_destroy(&other);

    /* Each kind of malformed line: error names the file and the line. */
    struct {
        const char *text;
        int line;
        const char *what;
    } bad[] = {
        {"size 400 300\nfrog 1 2 3 4\n", 2, "unknown keyword"},
        {"# c\n\ndigit 7 10 10\n", 3, "fields"},
        {"digit 7 10 10 28 5\n", 1, "5 or 7 fields, got 6"},
        {"digit 7 10 10 28 1 2 3\n", 1, "fields"},
        {"digit x 100 100 28\n", 1, "0..9"},
        {"digit 12 100 100 28\n", 1, "0..9"},
        {"box - abc 100 20\n", 1, "not a number"},
        {"box - 100 100 nan\n", 1, "not a number"},
        {"box - 100 100 0\n", 1, "SIZE"},
        {"box - 100 100 2.5\n", 1, "SIZE"},
        {"blob - 100 100 20 1e9 0\n", 1, "not a number"},
        {"size 400\n", 1, "size W H"},
        {"size 0 300\n", 1, "out of range"},
        {"size 100000 100000\n", 1, "out of range"},
        {"size -4 300\n", 1, "out of range"},
        {"size 400 300\nsize 400 300\n", 2, "second"},
        {"background 1.5\n", 1, "grey"},
        {"background noise 0.5 0.1\n", 1, "noise"},
        {"size 200 200\n\nbox - 195 100 20\n", 3, "does not fit"},
        {"text - 100 100 34\n", 1, "text"},
        {"text averyveryverylonglabelthatdoesnotfit 100 100 34\n", 1, "longer"},
        {"box - 100 100 20 20000 0\n", 1, "velocity"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Scene *b = load_file("bad.scene", bad[i].text);
        char want[64];
        snprintf(want, sizeof(want), "bad.scene:%d: ", bad[i].line);
        CHECKF(b == NULL, "bad case %zu accepted", i);
        CHECKF(b != NULL || (strstr(sc_last_error(), want) && strstr(sc_last_error(), bad[i].what)),
               "bad case %zu: error '%s' lacks '%s' or '%s'", i, sc_last_error(), want,
               bad[i].what);
        scene_destroy(&b);
    }
    /* A binary file and a missing file. */
    char path[512];
    tmp_path(path, sizeof(path), "bin.scene");
    FILE *f = fopen(path, "wb");
    fwrite("box\0\x01\x02", 1, 6, f);
    fclose(f);
    SceneSpec spec;
    scene_spec_parse(&spec, path);
    Scene *b = scene_create(&spec, 1);
    CHECKF(b == NULL && strstr(sc_last_error(), "bin.scene"), "binary scene file accepted");
    scene_destroy(&b);
    scene_spec_parse(&spec, "/nonexistent/dir/x.scene");
    b = scene_create(&spec, 1);
    CHECKF(b == NULL && strstr(sc_last_error(), "/nonexistent/dir/x.scene"),
           "missing scene file: '%s'", sc_last_error());
    scene_destroy(&b);
}

/* Mutated scene files and truncated or corrupted images: a scene or NULL with a one-line error
 * naming the file, never a crash (the suite runs under ASan+UBSan). Deterministic mutations. */
static void test_mutations(void)
{
    const char *base =
        "size 100 80\nbackground noise 0.1 0.3\ndigit 7 20 20 28 5 -5\ntext Ab 60 40 20\n"
        "blob - 50 60 12 -30 10 # c\nbox x 80 20 8\n";
    const char alphabet[] = " \t\n\r#-+.0123456789eExnaibgdtoz\x01\xff";
    Rng r;
    rng_seed(&r, 2024);
    char path[512];
    tmp_path(path, sizeof(path), "mut.scene");
    int ok = 0, rejected = 0;
    for (int it = 0; it < 300; it++) {
        char text[512];
        snprintf(text, sizeof(text), "%s", base);
        int edits = 1 + (int)rng_below(&r, 4);
        for (int e = 0; e < edits; e++) {
            size_t n = strlen(text), at = rng_below(&r, (uint32_t)n + 1);
            char c = alphabet[rng_below(&r, sizeof(alphabet) - 1)];
            switch (rng_below(&r, 4)) {
            case 0: /* replace */
                if (at < n)
                    text[at] = c;
                break;
            case 1: /* insert */
                if (n + 2 < sizeof(text)) {
                    memmove(text + at + 1, text + at, n - at + 1);
                    text[at] = c;
                }
                break;
            case 2: /* delete */
                if (at < n)
                    memmove(text + at, text + at + 1, n - at);
                break;
            default: /* truncate */ text[at] = 0;
            }
        }
        write_text(path, text);
        SceneSpec spec;
        scene_spec_parse(&spec, path);
        Scene *s = scene_create(&spec, 1);
        if (s) {
            ok++;
            check_objects_inside(s, "mutated scene");
        } else {
            rejected++;
            CHECKF(strstr(sc_last_error(), "mut.scene") && !strchr(sc_last_error(), '\n'),
                   "error '%s'", sc_last_error());
        }
        scene_destroy(&s);
    }
    CHECKF(ok > 10 && rejected > 10, "mutations: %d accepted, %d rejected", ok, rejected);
}

static void test_corrupt_images(const char *png)
{
    unsigned char *data = NULL;
    size_t n = 0;
    FILE *f = fopen(png, "rb");
    if (!f)
        return;
    data = malloc(1 << 16);
    n = fread(data, 1, 1 << 16, f);
    fclose(f);
    char path[512];
    tmp_path(path, sizeof(path), "corrupt.png");
    Rng r;
    rng_seed(&r, 77);
    for (int it = 0; it < 60; it++) {
        size_t len = n;
        unsigned char *copy = malloc(n);
        memcpy(copy, data, n);
        if (it % 2 == 0)
            len = rng_below(&r, (uint32_t)n); /* truncated */
        else
            for (int k = 0; k < 4; k++) /* corrupted bytes, the header included */
                copy[rng_below(&r, (uint32_t)(n < 64 ? n : 64))] =
                    (unsigned char)rng_below(&r, 256);
        f = fopen(path, "wb");
        fwrite(copy, 1, len, f);
        fclose(f);
        free(copy);
        SceneSpec spec;
        scene_spec_parse(&spec, path);
        Scene *s = scene_create(&spec, 1);
        CHECKF(s || (strstr(sc_last_error(), "corrupt.png") && !strchr(sc_last_error(), '\n')),
               "error '%s'", sc_last_error());
        scene_destroy(&s);
    }
    free(data);
}

/* Writes a PNG with known pixels through SDL2_image and reads it back as a scene. */
static void test_image(void)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 40, 32, 32, SDL_PIXELFORMAT_RGBA32);
    CHECKF(surf != NULL, "surface: %s", SDL_GetError());
    if (!surf)
        return;
    for (int y = 0; y < 32; y++) {
        Uint8 *row = (Uint8 *)surf->pixels + y * surf->pitch;
        for (int x = 0; x < 40; x++) {
            Uint8 *p = row + 4 * x;
            if (x < 10) { /* grey ramp by row */
                p[0] = p[1] = p[2] = (Uint8)(y * 8);
            } else if (x < 20) { /* pure red */
                p[0] = 255, p[1] = 0, p[2] = 0;
            } else if (x < 30) { /* pure green */
                p[0] = 0, p[1] = 255, p[2] = 0;
            } else { /* white */
                p[0] = p[1] = p[2] = 255;
            }
            p[3] = 255;
        }
    }
    char png[512], bmp[512];
    tmp_path(png, sizeof(png), "img.png");
    tmp_path(bmp, sizeof(bmp), "img.bmp");
    CHECKF(IMG_SavePNG(surf, png) == 0, "IMG_SavePNG: %s", IMG_GetError());
    CHECKF(SDL_SaveBMP(surf, bmp) == 0, "SDL_SaveBMP: %s", SDL_GetError());
    SDL_FreeSurface(surf);
    /* A JPEG of uniform grey 128 (lossy, so a tolerance). */
    char jpg[512];
    tmp_path(jpg, sizeof(jpg), "grey.jpg");
    SDL_Surface *g = SDL_CreateRGBSurfaceWithFormat(0, 48, 40, 32, SDL_PIXELFORMAT_RGBA32);
    if (g) {
        SDL_FillRect(g, NULL, SDL_MapRGBA(g->format, 128, 128, 128, 255));
        CHECKF(IMG_SaveJPG(g, jpg, 90) == 0, "IMG_SaveJPG: %s", IMG_GetError());
        SDL_FreeSurface(g);
        SceneSpec spec;
        scene_spec_parse(&spec, jpg);
        Scene *s = scene_create(&spec, 1);
        CHECKF(s && scene_world(s)->w == 48 && scene_world(s)->h == 40, "jpeg: %s",
               sc_last_error());
        if (s)
            CHECKF(fabsf(image_at(scene_world(s), 20, 20) - 128.0f / 255.0f) < 0.02f,
                   "jpeg grey %g", image_at(scene_world(s), 20, 20));
        scene_destroy(&s);
    }
    test_corrupt_images(png);
    const char *files[] = {png, bmp};
    for (int k = 0; k < 2; k++) {
        SceneSpec spec;
        scene_spec_parse(&spec, files[k]);
        Scene *s = scene_create(&spec, 1);
        CHECKF(s != NULL, "image %s: %s", files[k], sc_last_error());
        if (!s)
            continue;
        const Image *w = scene_world(s);
        CHECKF(w->w == 40 && w->h == 32, "image size %dx%d", w->w, w->h);
        float err = 0;
        for (int y = 0; y < 32; y++) {
            err = fmaxf(err, fabsf(image_at(w, 5, y) - (float)(y * 8) / 255.0f));
            err = fmaxf(err, fabsf(image_at(w, 15, y) - 0.2126f));
            err = fmaxf(err, fabsf(image_at(w, 25, y) - 0.7152f));
            err = fmaxf(err, fabsf(image_at(w, 35, y) - 1.0f));
        }
        CHECKF(err < 1e-3f, "%s: luminance error %g", files[k], err);
        CHECKF(scene_object_count(s) == 0 && scene_content_hash(s) != 0,
               "image scene objects/hash");
        scene_destroy(&s);
        /* Resampled to an explicit size. */
        spec.width = 80;
        spec.height = 64;
        s = scene_create(&spec, 1);
        CHECKF(s && scene_world(s)->w == 80 && scene_world(s)->h == 64, "image resample");
        if (s)
            CHECKF(fabsf(image_at(scene_world(s), 75, 30) - 1.0f) < 1e-3f, "resampled white");
        scene_destroy(&s);
    }

    /* Missing, unreadable, empty and absurdly large images: NULL and a one-line message. */
    char garbage[512], empty[512], huge[512], hugebmp[512];
    tmp_path(garbage, sizeof(garbage), "garbage.png");
    write_text(garbage, "this is not an image at all, just some text");
    tmp_path(empty, sizeof(empty), "empty.jpg");
    write_text(empty, "");
    /* A valid PNG signature and IHDR claiming 100000 x 100000. */
    tmp_path(huge, sizeof(huge), "huge.png");
    static const unsigned char hdr[] = {
        0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0x00,
        0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 8,    0, 0, 0, 0,  0,   0,   0,   0};
    FILE *f = fopen(huge, "wb");
    fwrite(hdr, 1, sizeof(hdr), f);
    fclose(f);
    tmp_path(hugebmp, sizeof(hugebmp), "huge.bmp");
    unsigned char bh[54] = {'B', 'M'};
    bh[14] = 40;
    bh[18] = 0x00, bh[19] = 0x00, bh[20] = 0x01; /* width 65536 */
    bh[22] = 0x10;                               /* height 16 */
    bh[26] = 1, bh[28] = 24;
    f = fopen(hugebmp, "wb");
    fwrite(bh, 1, sizeof(bh), f);
    fclose(f);
    /* A GIF (its frames may be larger than its header says, so GIF is not accepted). */
    char gif[512];
    tmp_path(gif, sizeof(gif), "tiny.gif");
    static const unsigned char gif_bytes[] = {
        'G', 'I', 'F', '8', '9', 'a', 1, 0, 1,    0,    0x80, 0, 0, 0,   0, 0, 255, 255,
        255, ',', 0,   0,   0,   0,   1, 0, 0xff, 0xff, 0,    2, 2, 'D', 1, 0, ';'};
    f = fopen(gif, "wb");
    fwrite(gif_bytes, 1, sizeof(gif_bytes), f);
    fclose(f);
    const char *bad[] = {"/nonexistent/picture.png", garbage, empty, huge, hugebmp, tmpdir, gif};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SceneSpec spec;
        scene_spec_parse(&spec, bad[i]);
        Scene *s = scene_create(&spec, 1);
        CHECKF(s == NULL, "bad image %s accepted", bad[i]);
        CHECKF(strstr(sc_last_error(), bad[i]) && !strchr(sc_last_error(), '\n'),
               "error '%s' does not name %s", sc_last_error(), bad[i]);
        scene_destroy(&s);
    }
}

static void test_from_image(void)
{
    Image img;
    image_create(&img, 60, 60);
    image_fill(&img, 0.25f);
    SceneObject o;
    memset(&o, 0, sizeof(o));
    o.kind = SCENE_OBJ_DIGIT;
    strcpy(o.label, "4");
    o.x = 30, o.y = 30, o.w = 20, o.h = 20, o.vx = 50;
    Scene *s = scene_create_from_image(&img, &o, 1);
    image_destroy(&img); /* copied */
    CHECKF(s != NULL, "from image: %s", sc_last_error());
    if (s) {
        CHECKF(image_at(scene_world(s), 10, 10) == 0.25f && scene_object_count(s) == 1 &&
                   !strcmp(scene_objects(s)[0].label, "4"),
               "from image content");
        scene_step(s, 10.0);
        SceneRect d = scene_dirty(s);
        CHECKF(d.x0 >= d.x1 && scene_objects(s)[0].x == 30, "from-image scene moved");
    }
    scene_destroy(&s);
    CHECKF(scene_create_from_image(NULL, NULL, 0) == NULL, "NULL image accepted");
}

typedef struct GlyphJob {
    const char *font;
    int px;
    unsigned long long hash;
    int errors;
} GlyphJob;

/* Renders A..Z at one size and hashes the images. */
static void *render_alphabet(void *arg)
{
    GlyphJob *job = arg;
    job->hash = 0;
    for (int rep = 0; rep < 3; rep++)
        for (char c = 'A'; c <= 'Z'; c++) {
            char t[2] = {c, 0};
            Image img;
            if (text_render(job->font, t, job->px, &img) < 0) {
                job->errors++;
                continue;
            }
            job->hash = job->hash * 31 + image_hash(&img);
            image_destroy(&img);
        }
    return NULL;
}

/* Several threads rendering at once (the glyph dataset may) get the same pixels as one. */
static void test_text_threads(void)
{
    char font[1024];
    if (text_find_font("DejaVu Sans", font, sizeof(font)) < 0)
        return;
    GlyphJob solo[4], par[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        solo[i] = (GlyphJob){font, 12 + 6 * i, 0, 0};
        par[i] = solo[i];
        render_alphabet(&solo[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, render_alphabet, &par[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        CHECKF(par[i].errors == 0 && solo[i].errors == 0 && par[i].hash == solo[i].hash,
               "threaded rendering at %d px differs (%d errors)", par[i].px, par[i].errors);
}

static void test_text(void)
{
    char font[1024];
    CHECKF(text_find_font("DejaVu Sans", font, sizeof(font)) == 0, "DejaVu Sans: %s",
           sc_last_error());
    CHECKF(strstr(font, "DejaVuSans") != NULL, "font path %s", font);
    char bold[1024];
    CHECKF(text_find_font("DejaVu Sans:bold", bold, sizeof(bold)) == 0 && strcmp(font, bold) != 0,
           "bold");
    CHECKF(text_find_font("No Such Font Family Xyzzy", font, sizeof(font)) == -1 &&
               strstr(sc_last_error(), "No Such Font"),
           "missing font found: %s", font);
    CHECKF(text_find_font("/nonexistent/font.ttf", font, sizeof(font)) == -1,
           "missing font file found");
    text_find_font("DejaVu Sans", font, sizeof(font));
    Image a, b;
    CHECKF(text_render(font, "A", 34, &a) == 0, "render A: %s", sc_last_error());
    CHECKF(text_render(font, "AAAA", 34, &b) == 0, "render AAAA: %s", sc_last_error());
    if (a.px && b.px) {
        CHECKF(a.h == b.h && a.h >= 34 && a.h <= 48, "line height %d", a.h);
        CHECKF(b.w > 3 * a.w, "widths %d %d", a.w, b.w);
        float lo = 1, hi = 0, sum = 0;
        for (int y = 0; y < a.h; y++)
            for (int x = 0; x < a.w; x++) {
                lo = fminf(lo, image_at(&a, x, y));
                hi = fmaxf(hi, image_at(&a, x, y));
                sum += image_at(&a, x, y);
            }
        CHECKF(lo == 0.0f && hi == 1.0f && sum > 50, "coverage range %g..%g sum %g", lo, hi, sum);
    }
    image_destroy(&a);
    image_destroy(&b);
    CHECKF(text_render(font, "", 34, &a) == -1, "empty text rendered");
    CHECKF(text_render(font, "A", 0, &a) == -1, "size 0 rendered");
    CHECKF(text_render("/nonexistent/font.ttf", "A", 34, &a) == -1, "missing font rendered");
}

/* Writes `data` as assets/words/prose.txt under dir. */
static void write_prose(const char *dir, const char *data, size_t n)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/assets/words/prose.txt", dir);
    FILE *f = fopen(p, "wb");
    CHECK(f && fwrite(data, 1, n, f) == n && fclose(f) == 0);
}

/* The `prose` scene: its file is untrusted input (each bad file refused naming its line, an
 * empty one and a missing one too); a page is the file's words in their order from the start
 * of a paragraph, each paragraph ending its line; the same seed gives the same page. */
static void test_prose(void)
{
    char dir[1100], p[1200];
    snprintf(dir, sizeof dir, "%s/prose", tmpdir);
    CHECK(mkdir(dir, 0700) == 0);
    snprintf(p, sizeof p, "%s/assets", dir);
    CHECK(mkdir(p, 0700) == 0);
    snprintf(p, sizeof p, "%s/assets/words", dir);
    CHECK(mkdir(p, 0700) == 0);
    const char *keep = getenv("SACCADE_DATA_DIR");
    char old[1024];
    snprintf(old, sizeof old, "%s", keep ? keep : "");
    setenv("SACCADE_DATA_DIR", dir, 1);
    SceneSpec spec;
    CHECK(scene_spec_parse(&spec, "prose:28") == 0 && spec.kind == SCENE_PROSE &&
          spec.text_px == 28);
    CHECK(scene_spec_parse(&spec, "prose:9") < 0 && strstr(sc_last_error(), "prose:"));
    CHECK(scene_spec_parse(&spec, "prose") == 0 && spec.kind == SCENE_PROSE && !spec.text_px);
    Scene *s = scene_create(&spec, 1);
    CHECK(!s && strstr(sc_last_error(), "prose.txt")); /* missing */
    static const struct {
        const char *data;
        size_t n;
        const char *line;
    } bad[] = {
        {"", 0, "no words"},
        {"two  spaces\n", 12, ":1:"},
        {"fine\ntrailing \n", 15, ":2:"},
        {"fine\n\nafter\n", 13, ":2:"},
        {" leading\n", 9, ":1:"},
        {"a1b\n", 4, ":1:"},
        {"abcdefghijklmnopqrstu\n", 22, ":1:"}, /* 21 letters */
        {"caf\xc3\xa9\n", 6, ":1:"},
        {"nul\0here\n", 9, ":1:"},
        {"crlf\r\n", 6, ":1:"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        write_prose(dir, bad[k].data, bad[k].n);
        s = scene_create(&spec, 1);
        CHECKF(!s && strstr(sc_last_error(), "prose.txt") && strstr(sc_last_error(), bad[k].line),
               "bad prose %zu: %s", k, s ? "accepted" : sc_last_error());
        scene_destroy(&s);
    }
    /* good: three paragraphs, the last line without its newline */
    static const char good[] = "One two three\nfour\nfive six seven eight";
    write_prose(dir, good, sizeof good - 1);
    spec.objects = 6;
    s = scene_create(&spec, 7);
    CHECKF(s != NULL, "%s", sc_last_error());
    static const char *const order[] = {"One",  "two", "three", "four",
                                        "five", "six", "seven", "eight"};
    static const int para_end[] = {0, 0, 1, 1, 0, 0, 0, 1};
    if (s) {
        const int n = scene_object_count(s);
        const SceneObject *o = scene_objects(s);
        CHECK(n == 6);
        int first = -1; /* where the page starts: a paragraph's first word */
        for (int k = 0; k < 8 && n > 0; k++)
            if (!strcmp(o[0].label, order[k]))
                first = k;
        CHECKF(first == 0 || first == 3 || first == 4, "page starts at '%s'",
               n > 0 ? o[0].label : "");
        for (int i = 1; i < n && first >= 0; i++) {
            int k = (first + i) % 8, prev = (first + i - 1) % 8;
            CHECKF(!strcmp(o[i].label, order[k]), "word %d '%s', not '%s'", i, o[i].label,
                   order[k]);
            /* a paragraph's last word ends its line: the next word starts a line below */
            if (para_end[prev])
                CHECKF(o[i].y > o[i - 1].y + 28 && o[i].x < o[i - 1].x,
                       "'%s' not on a new line after '%s'", o[i].label, o[i - 1].label);
            else
                CHECKF(fabsf(o[i].y - o[i - 1].y) < 14 && o[i].x > o[i - 1].x,
                       "'%s' not after '%s' on its line", o[i].label, o[i - 1].label);
        }
        Scene *again = scene_create(&spec, 7);
        CHECK(again && scene_content_hash(again) == scene_content_hash(s));
        scene_destroy(&again);
        /* the seeds start pages at every paragraph */
        int starts = 0;
        for (uint64_t seed = 1; seed <= 24; seed++) {
            Scene *t = scene_create(&spec, seed);
            const int m = t ? scene_object_count(t) : 0;
            const SceneObject *to = t ? scene_objects(t) : NULL;
            if (m > 0)
                starts |= !strcmp(to[0].label, "One") ? 1 : !strcmp(to[0].label, "four") ? 2 : 4;
            scene_destroy(&t);
        }
        CHECKF(starts == 7, "pages start at paragraphs %d of 7", starts);
    }
    scene_destroy(&s);
    if (old[0])
        setenv("SACCADE_DATA_DIR", old, 1);
    else
        unsetenv("SACCADE_DATA_DIR");
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_scene.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_spec();
    test_builtins();
    test_clutter();
    test_determinism();
    test_blank();
    test_motion();
    test_scene_file();
    test_examples();
    test_subpixel();
    test_mutations();
    test_image();
    test_from_image();
    test_text();
    test_text_threads();
    test_prose();
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_DONE();
}
