/* scene.c: scene lifetime, built-in generators, drawing, motion and state.
 *
 * Drawing model: the background image is kept apart from the objects; each drawn object has a
 * coverage sprite of its ink bounding box, placed with its top-left at centre - size / 2 (at a
 * fractional position the sprite is shifted bilinearly, so moving objects glide rather than jump
 * by whole pixels; static objects sit on whole pixels and are drawn as is) and composited in
 * object order. scene_step() moves objects in floating point and,
 * for each object whose position changed, restores the background over (old box U new box)
 * and recomposites every object touching that rectangle, clipped to it. The world is then exactly
 * what a full re-render from the same positions gives (scene_state_load relies on this).
 *
 * Random streams: the scene Rng is seeded from the seed and forked per purpose (background,
 * placement, clutter), so changing the object count does not change the background.
 */
#include "scene/scene.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/log.h"
#include "core/rng.h"
#include "core/text.h"
#include "data/textline.h"
#include "scene/scene_priv.h"

enum {
    RNG_BACKGROUND = 1,
    RNG_PLACE = 2,
    RNG_CLUTTER = 3,
    RNG_VELOCITY = 4,
    EDGE_MARGIN = 8,   /* px kept free along the world's edges at placement */
    OBJECT_GAP = 16,   /* px between the ink boxes of two placed objects */
    PLACE_TRIES = 400, /* rejection-sampling tries per object before giving up on it */
    FRAGMENT = 8,      /* side of a clutter fragment, px */
};

static const char *const kind_names[SCENE_KIND_COUNT] = {
    "digits", "cluttered",  "letters", "motion", "blank", "image",
    "file",   "words-grid", "video",   "camera", "words", "prose",
};

/* ---- spec ---- */

const char *scene_kind_name(SceneKind k)
{
    return (k >= 0 && k < SCENE_KIND_COUNT) ? kind_names[k] : "unknown";
}

int scene_kind_has_path(SceneKind k)
{
    return k == SCENE_IMAGE || k == SCENE_FILE || k == SCENE_VIDEO || k == SCENE_CAMERA;
}

const char *scene_spec_name(const SceneSpec *spec)
{
    if (scene_kind_has_path(spec->kind))
        return spec->path[0] ? spec->path : scene_kind_name(spec->kind);
    return scene_kind_name(spec->kind);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int is_video_path(const char *s)
{
    static const char *const ext[] = {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".gif"};
    size_t a = strlen(s);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t b = strlen(ext[i]);
        if (a >= b && !strcasecmp(s + a - b, ext[i]))
            return 1;
    }
    return 0;
}

int scene_spec_parse(SceneSpec *spec, const char *arg)
{
    memset(spec, 0, sizeof(*spec));
    if (!arg || !*arg) {
        sc_set_error("empty scene name");
        return -1;
    }
    for (int k = 0; k <= SCENE_BLANK; k++)
        if (!strcmp(arg, kind_names[k])) {
            spec->kind = (SceneKind)k;
            return 0;
        }
    if (!strcmp(arg, kind_names[SCENE_WORDS])) {
        spec->kind = SCENE_WORDS;
        return 0;
    }
    /* "words" or "words:PX" (also "text", "text:PX", its first name): natural text
     * at a font size; "prose", "prose:PX" the same with prose's words */
    const int prose = !strncmp(arg, "prose", 5);
    size_t stem = !strncmp(arg, "words", 5) || prose ? 5 : !strncmp(arg, "text", 4) ? 4 : 0;
    if (stem && (!arg[stem] || arg[stem] == ':')) {
        spec->kind = prose ? SCENE_PROSE : SCENE_TEXT;
        if (arg[stem]) {
            const char *num = arg + stem + 1;
            char *end = NULL;
            long px = strtol(num, &end, 10);
            if (!(num[0] >= '0' && num[0] <= '9') || *end || px < SCENE_TEXT_PX_MIN ||
                px > SCENE_TEXT_PX_MAX) {
                sc_set_error("'%s': a font size of %d..%d px after '%.*s:'", arg, SCENE_TEXT_PX_MIN,
                             SCENE_TEXT_PX_MAX, (int)stem, arg);
                return -1;
            }
            spec->text_px = (int)px;
        }
        return 0;
    }
    if (strlen(arg) >= sizeof(spec->path)) {
        sc_set_error("path too long");
        return -1;
    }
    /* A word with no folder and no extension that names no file is a mistyped built-in
     * ("digitz", "Digits"): say which names exist rather than "cannot open". */
    if (!strchr(arg, '/') && !strchr(arg, '.') && access(arg, F_OK) != 0) {
        sc_set_error("'%s' is not a built-in scene (digits, cluttered, letters, motion, "
                     "blank, words, prose, words-grid), an image file or a .scene file",
                     arg);
        return -1;
    }
    if (!strncmp(arg, "/dev/video", 10))
        spec->kind = SCENE_CAMERA;
    else if (is_video_path(arg))
        spec->kind = SCENE_VIDEO;
    else
        spec->kind = ends_with(arg, ".scene") ? SCENE_FILE : SCENE_IMAGE;
    memcpy(spec->path, arg, strlen(arg) + 1);
    return 0;
}

int scene_spec_parse_size(SceneSpec *spec, const char *arg)
{
    char *end = NULL;
    long w = 0, h = 0;
    const char *p = arg ? arg : "";
    if (*p >= '0' && *p <= '9') {
        w = strtol(p, &end, 10);
        if (end && (*end == 'x' || *end == 'X') && end[1] >= '0' && end[1] <= '9')
            h = strtol(end + 1, &end, 10);
        else
            end = NULL;
    }
    if (!end || *end) {
        sc_set_error("--size '%s': expected WIDTHxHEIGHT in pixels, e.g. 1280x720", p);
        return -1;
    }
    if (w < SCENE_MIN_SIDE || h < SCENE_MIN_SIDE || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
        sc_set_error("--size '%s': each side must be %d..%d px", p, SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        return -1;
    }
    spec->width = (int)w;
    spec->height = (int)h;
    return 0;
}

/* ---- allocation and drawing ---- */

Scene *scene_alloc(int w, int h)
{
    Scene *s = calloc(1, sizeof(*s));
    if (!s) {
        sc_set_error("out of memory for a scene");
        return NULL;
    }
    if (w > 0 && image_create(&s->world, w, h) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

int scene_alloc_background(Scene *s)
{
    if (s->background.px)
        return 0;
    return image_create(&s->background, s->world.w, s->world.h);
}

void scene_destroy(Scene **ps)
{
    if (!ps || !*ps)
        return;
    Scene *s = *ps;
    scene_video_destroy(&s->video);
    for (int i = 0; i < s->n; i++)
        image_destroy(&s->sprite[i]);
    image_destroy(&s->background);
    image_destroy(&s->world);
    free(s);
    *ps = NULL;
}

/* Top-left corner of a box of the given size around centre, split into whole pixels and a
 * fraction in [0, 1). */
static inline void left_of(float centre, float size, int *whole, float *frac)
{
    float t = centre - 0.5f * size, f = floorf(t);
    *whole = (int)f;
    *frac = t - f;
}

static void set_drawn(Scene *s, int i)
{
    left_of(s->obj[i].x, s->obj[i].w, &s->drawn_x0[i], &s->drawn_fx[i]);
    left_of(s->obj[i].y, s->obj[i].h, &s->drawn_y0[i], &s->drawn_fy[i]);
}

/* Pixels the object covers: its box, one wider/taller when at a fractional position. */
static SceneRect rect_of(const Scene *s, int i)
{
    SceneRect r = {s->drawn_x0[i], s->drawn_y0[i],
                   s->drawn_x0[i] + s->sprite[i].w + (s->drawn_fx[i] > 0.0f),
                   s->drawn_y0[i] + s->sprite[i].h + (s->drawn_fy[i] > 0.0f)};
    return r;
}

static inline int rect_empty(SceneRect r)
{
    return r.x0 >= r.x1 || r.y0 >= r.y1;
}

static SceneRect rect_union(SceneRect a, SceneRect b)
{
    if (rect_empty(a))
        return b;
    if (rect_empty(b))
        return a;
    SceneRect r = {a.x0 < b.x0 ? a.x0 : b.x0, a.y0 < b.y0 ? a.y0 : b.y0, a.x1 > b.x1 ? a.x1 : b.x1,
                   a.y1 > b.y1 ? a.y1 : b.y1};
    return r;
}

static SceneRect rect_intersect(SceneRect a, SceneRect b)
{
    SceneRect r = {a.x0 > b.x0 ? a.x0 : b.x0, a.y0 > b.y0 ? a.y0 : b.y0, a.x1 < b.x1 ? a.x1 : b.x1,
                   a.y1 < b.y1 ? a.y1 : b.y1};
    return r;
}

int scene_add_object(Scene *s, const SceneObject *o, Image *sprite, float lum)
{
    if (s->n >= SCENE_MAX_OBJECTS) {
        image_destroy(sprite);
        sc_set_error("scene: more than %d objects", SCENE_MAX_OBJECTS);
        return -1;
    }
    int i = s->n++;
    s->obj[i] = *o;
    s->sprite[i] = *sprite;
    memset(sprite, 0, sizeof(*sprite));
    s->lum[i] = lum;
    if (s->sprite[i].px)
        set_drawn(s, i);
    return 0;
}

/* The blend of two values in 0..1 can round one ulp outside it (found by fuzz_scene). */
static inline float unit(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

/* Composites object i into the world inside clip (already within the world). */
static void draw_object(Scene *s, int i, SceneRect clip)
{
    SceneRect r = rect_intersect(rect_of(s, i), clip);
    if (rect_empty(r))
        return;
    const Image *sp = &s->sprite[i];
    const float lum = s->lum[i], fx = s->drawn_fx[i], fy = s->drawn_fy[i];
    const int w = r.x1 - r.x0;
    if (fx == 0.0f && fy == 0.0f) { /* whole-pixel position: the sprite as is */
        for (int y = r.y0; y < r.y1; y++) {
            const float *a = image_row(sp, y - s->drawn_y0[i]) + (r.x0 - s->drawn_x0[i]);
            float *d = image_row(&s->world, y) + r.x0;
            for (int x = 0; x < w; x++)
                d[x] = unit(d[x] * (1.0f - a[x]) + lum * a[x]);
        }
        return;
    }
    /* Fractional position: bilinear shift, so that motion is smooth rather than in 1 px jumps.
     * Pixel u of the footprint mixes sprite pixels u and u - 1 (zero outside the sprite). */
    const float w00 = (1.0f - fx) * (1.0f - fy), w10 = fx * (1.0f - fy), w01 = (1.0f - fx) * fy,
                w11 = fx * fy;
    for (int y = r.y0; y < r.y1; y++) {
        int v = y - s->drawn_y0[i];
        const float *s0 = v < sp->h ? image_row(sp, v) : NULL,
                    *s1 = v >= 1 ? image_row(sp, v - 1) : NULL;
        float *d = image_row(&s->world, y);
        for (int x = r.x0; x < r.x1; x++) {
            int u = x - s->drawn_x0[i];
            float a = 0.0f;
            if (s0) {
                if (u < sp->w)
                    a += w00 * s0[u];
                if (u >= 1)
                    a += w10 * s0[u - 1];
            }
            if (s1) {
                if (u < sp->w)
                    a += w01 * s1[u];
                if (u >= 1)
                    a += w11 * s1[u - 1];
            }
            d[x] = unit(d[x] * (1.0f - a) + lum * a);
        }
    }
}

/* Background under r, then every drawn object touching r, clipped to r. */
static void render_rect(Scene *s, SceneRect r)
{
    SceneRect world = {0, 0, s->world.w, s->world.h};
    r = rect_intersect(r, world);
    if (rect_empty(r))
        return;
    if (s->background.px)
        for (int y = r.y0; y < r.y1; y++)
            memcpy(image_row(&s->world, y) + r.x0, image_row(&s->background, y) + r.x0,
                   (size_t)(r.x1 - r.x0) * sizeof(float));
    for (int i = 0; i < s->n; i++)
        if (s->sprite[i].px)
            draw_object(s, i, r);
}

void scene_render_all(Scene *s)
{
    SceneRect all = {0, 0, s->world.w, s->world.h};
    for (int i = 0; i < s->n; i++)
        if (s->sprite[i].px)
            set_drawn(s, i);
    render_rect(s, all);
    s->dirty = all;
    s->dirty_list[0] = all;
    s->n_dirty = 1;
}

/* ---- motion ---- */

/* Moves a centre coordinate p with velocity v (px/s) for dt s inside [half, size - half],
 * reflecting off the walls. */
static void move_bounce(float *p, float *v, float dt, float half, float size)
{
    float lo = half, hi = size - half;
    float q = *p + *v * dt;
    if (hi <= lo) {
        *p = 0.5f * size;
        return;
    }
    for (int k = 0; k < 4 && (q < lo || q > hi); k++) {
        if (q < lo) {
            q = 2.0f * lo - q;
            *v = fabsf(*v);
        } else {
            q = 2.0f * hi - q;
            *v = -fabsf(*v);
        }
    }
    *p = q < lo ? lo : (q > hi ? hi : q);
}

void scene_step(Scene *s, double dt_ms)
{
    if (s->video) {
        scene_video_step(s, dt_ms);
        return;
    }
    SceneRect none = {0, 0, 0, 0};
    s->dirty = none;
    s->n_dirty = 0;
    if (!(dt_ms > 0.0) || !isfinite(dt_ms))
        return;
    const float dt = (float)(dt_ms * 0.001);
    int any = 0;
    for (int i = 0; i < s->n; i++) {
        SceneObject *o = &s->obj[i];
        s->step_rect[i] = none;
        if (!s->sprite[i].px || (o->vx == 0.0f && o->vy == 0.0f))
            continue;
        move_bounce(&o->x, &o->vx, dt, 0.5f * o->w, (float)s->world.w);
        move_bounce(&o->y, &o->vy, dt, 0.5f * o->h, (float)s->world.h);
        SceneRect old = rect_of(s, i);
        int ox = s->drawn_x0[i], oy = s->drawn_y0[i];
        float ofx = s->drawn_fx[i], ofy = s->drawn_fy[i];
        set_drawn(s, i);
        if (ox == s->drawn_x0[i] && oy == s->drawn_y0[i] && ofx == s->drawn_fx[i] &&
            ofy == s->drawn_fy[i])
            continue;
        s->step_rect[i] = rect_union(old, rect_of(s, i));
        any = 1;
    }
    if (!any)
        return;
    SceneRect world = {0, 0, s->world.w, s->world.h};
    for (int i = 0; i < s->n; i++)
        if (!rect_empty(s->step_rect[i])) {
            render_rect(s, s->step_rect[i]);
            SceneRect r = rect_intersect(s->step_rect[i], world);
            if (rect_empty(r))
                continue;
            s->dirty = rect_union(s->dirty, r);
            s->dirty_list[s->n_dirty++] = r;
        }
}

int scene_text_lines(const Scene *s, const SceneTextLine **lines)
{
    *lines = s->n_lines ? s->lines : NULL;
    return s->n_lines;
}

SceneRect scene_dirty(const Scene *s)
{
    return s->dirty;
}

int scene_dirty_rects(const Scene *s, const SceneRect **rects)
{
    *rects = s->dirty_list;
    return s->n_dirty;
}

const Image *scene_world(const Scene *s)
{
    return &s->world;
}
int scene_object_count(const Scene *s)
{
    return s->n;
}
const SceneObject *scene_objects(const Scene *s)
{
    return s->obj;
}
const SceneSpec *scene_spec(const Scene *s)
{
    return &s->spec;
}
uint64_t scene_content_hash(const Scene *s)
{
    return s->content_hash;
}

/* ---- state ---- */

/* Layout: u32 object count, then per object x, y, vx, vy as IEEE-754 float32; little-endian. */
size_t scene_state_size(const Scene *s)
{
    return 4 + (size_t)s->n * 16 + (s->video ? scene_video_state_extra() : 0);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_f32(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    put_u32(p, u);
}

static float get_f32(const unsigned char *p)
{
    uint32_t u = get_u32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

void scene_state_save(const Scene *s, void *buf)
{
    unsigned char *p = buf;
    put_u32(p, (uint32_t)s->n);
    p += 4;
    for (int i = 0; i < s->n; i++, p += 16) {
        put_f32(p, s->obj[i].x);
        put_f32(p + 4, s->obj[i].y);
        put_f32(p + 8, s->obj[i].vx);
        put_f32(p + 12, s->obj[i].vy);
    }
    if (s->video)
        scene_video_state_save(s, p);
}

uint64_t scene_state_hash(const Scene *s)
{
    uint64_t h = hash64_u64(hash64_init(), (uint64_t)s->n);
    for (int i = 0; i < s->n; i++) {
        const float v[4] = {s->obj[i].x, s->obj[i].y, s->obj[i].vx, s->obj[i].vy};
        h = hash64_update(h, v, sizeof v);
    }
    return s->video ? scene_video_state_hash(s, h) : h;
}

int scene_state_load(Scene *s, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    if (!buf || n < 4 || get_u32(p) != (uint32_t)s->n || n != scene_state_size(s)) {
        sc_set_error("scene state: size does not match this scene (%d objects)", s->n);
        return -1;
    }
    p += 4;
    for (int i = 0; i < s->n; i++)
        for (int k = 0; k < 4; k++)
            if (!isfinite(get_f32(p + 16 * i + 4 * k)) ||
                fabsf(get_f32(p + 16 * i + 4 * k)) > 1e7f) {
                sc_set_error("scene state: object %d has a non-finite or absurd value", i);
                return -1;
            }
    if (s->video) /* the objects follow the frame the clock shows */
        return scene_video_state_load(s, p + 16 * (size_t)s->n);
    for (int i = 0; i < s->n; i++, p += 16) {
        s->obj[i].x = get_f32(p);
        s->obj[i].y = get_f32(p + 4);
        s->obj[i].vx = get_f32(p + 8);
        s->obj[i].vy = get_f32(p + 12);
    }
    scene_render_all(s);
    return 0;
}

/* ---- sprites and textures ---- */

static pthread_mutex_t mnist_lock = PTHREAD_MUTEX_INITIALIZER;
static Mnist mnist_shared;

const Mnist *scene_mnist(void)
{
    pthread_mutex_lock(&mnist_lock);
    /* Only the official test set is loaded: scenes never show a training digit. */
    int ok = mnist_shared.count > 0 || mnist_load(&mnist_shared, NULL, MNIST_TEST) == 0;
    pthread_mutex_unlock(&mnist_lock);
    return ok ? &mnist_shared : NULL;
}

int scene_pick_digit(const Mnist *m, int label, Rng *r)
{
    const int test_n = MNIST_TEST_COUNT;
    if (label < 0)
        return (int)rng_below(r, (uint32_t)test_n);
    /* Start at a random test digit and take the next one of the class: one draw, deterministic. */
    int start = (int)rng_below(r, (uint32_t)test_n);
    for (int k = 0; k < test_n; k++) {
        int idx = (start + k) % test_n;
        if (mnist_label(m, idx) == label)
            return idx;
    }
    return start;
}

int scene_crop_ink(Image *img)
{
    int x0 = img->w, y0 = img->h, x1 = -1, y1 = -1;
    for (int y = 0; y < img->h; y++) {
        const float *r = image_row(img, y);
        for (int x = 0; x < img->w; x++)
            if (r[x] > 0.0f) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    }
    if (x1 < 0 || (x0 == 0 && y0 == 0 && x1 == img->w - 1 && y1 == img->h - 1))
        return 0;
    Image c;
    if (image_create(&c, x1 - x0 + 1, y1 - y0 + 1) < 0)
        return -1;
    for (int y = 0; y < c.h; y++)
        memcpy(image_row(&c, y), image_row(img, y + y0) + x0, (size_t)c.w * sizeof(float));
    image_destroy(img);
    *img = c;
    return 0;
}

int scene_digit_sprite(const Mnist *m, int idx, int side, Image *out)
{
    if (image_create(out, side, side) < 0)
        return -1;
    const uint8_t *src = mnist_image(m, idx);
    if (side == MNIST_SIDE) {
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                image_row(out, y)[x] = (float)src[y * MNIST_SIDE + x] * (1.0f / 255.0f);
    } else {
        /* Bilinear resampling of the 28x28 digit, pixel centres aligned; outside is empty. */
        const float k = (float)MNIST_SIDE / (float)side;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                float sx = ((float)x + 0.5f) * k - 0.5f, sy = ((float)y + 0.5f) * k - 0.5f;
                int ix = (int)floorf(sx), iy = (int)floorf(sy);
                float fx = sx - (float)ix, fy = sy - (float)iy, acc = 0.0f;
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++) {
                        int px = ix + dx, py = iy + dy;
                        if (px < 0 || py < 0 || px >= MNIST_SIDE || py >= MNIST_SIDE)
                            continue;
                        acc += (dx ? fx : 1.0f - fx) * (dy ? fy : 1.0f - fy) *
                               (float)src[py * MNIST_SIDE + px];
                    }
                image_row(out, y)[x] = acc * (1.0f / 255.0f);
            }
    }
    return scene_crop_ink(out);
}

int scene_blob_sprite(int side, Image *out)
{
    if (image_create(out, side, side) < 0)
        return -1;
    const float c = 0.5f * (float)(side - 1), sigma = (float)side / 6.0f;
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            float dx = (float)x - c, dy = (float)y - c;
            image_row(out, y)[x] = expf(-(dx * dx + dy * dy) / (2.0f * sigma * sigma));
        }
    return 0;
}

int scene_box_sprite(int side, Image *out)
{
    if (image_create(out, side, side) < 0)
        return -1;
    image_fill(out, 1.0f);
    return 0;
}

/* Cubic B-spline weights for the four lattice points around fraction t. */
static void bspline(float t, float w[4])
{
    float t2 = t * t, t3 = t2 * t;
    w[0] = (1.0f - t) * (1.0f - t) * (1.0f - t) / 6.0f;
    w[1] = (3.0f * t3 - 6.0f * t2 + 4.0f) / 6.0f;
    w[2] = (-3.0f * t3 + 3.0f * t2 + 3.0f * t + 1.0f) / 6.0f;
    w[3] = t3 / 6.0f;
}

/* Adds amp * value noise (random lattice every cell px, cubic B-spline interpolated: smooth and
 * nearly isotropic, values within 0..1) to img. Separable: lattice rows first, then columns. */
static int noise_add(Image *img, Rng *r, int cell, float amp)
{
    int gw = img->w / cell + 4, gh = img->h / cell + 4;
    float *g = malloc((size_t)gw * (size_t)gh * sizeof(float));
    float *rows = malloc((size_t)gh * (size_t)img->w * sizeof(float));
    float *wx = malloc((size_t)img->w * 4 * sizeof(float));
    if (!g || !rows || !wx) {
        free(g);
        free(rows);
        free(wx);
        return -1;
    }
    for (int i = 0; i < gw * gh; i++)
        g[i] = (float)rng_uniform(r);
    const float inv = 1.0f / (float)cell;
    for (int x = 0; x < img->w; x++)
        bspline(((float)(x % cell) + 0.5f) * inv, wx + 4 * x);
    for (int j = 0; j < gh; j++)
        for (int x = 0; x < img->w; x++) {
            const float *gr = g + (size_t)j * gw + x / cell, *k = wx + 4 * x;
            rows[(size_t)j * img->w + x] =
                k[0] * gr[0] + k[1] * gr[1] + k[2] * gr[2] + k[3] * gr[3];
        }
    for (int y = 0; y < img->h; y++) {
        float k[4];
        bspline(((float)(y % cell) + 0.5f) * inv, k);
        const float *r0 = rows + (size_t)(y / cell) * img->w, *r1 = r0 + img->w, *r2 = r1 + img->w,
                    *r3 = r2 + img->w;
        float *row = image_row(img, y);
        for (int x = 0; x < img->w; x++)
            row[x] += amp * (k[0] * r0[x] + k[1] * r1[x] + k[2] * r2[x] + k[3] * r3[x]);
    }
    free(g);
    free(rows);
    free(wx);
    return 0;
}

void scene_noise_fill(Image *img, Rng *r, int cell, float lo, float hi)
{
    image_fill(img, lo);
    int fine = cell / 4 > 2 ? cell / 4 : 2;
    /* Weights sum to 1, so the result stays within [lo, hi] (B-spline noise rarely reaches the
     * ends: most values lie in the middle half). On allocation failure the background simply
     * stays flatter. */
    noise_add(img, r, cell > 2 ? cell : 2, 0.65f * (hi - lo));
    noise_add(img, r, fine, 0.35f * (hi - lo));
}

/* ---- built-in generators ---- */

typedef struct Placed {
    int n;
    SceneRect r[SCENE_MAX_OBJECTS];
} Placed;

static int overlaps_placed(const Placed *p, SceneRect c, int gap)
{
    for (int i = 0; i < p->n; i++) {
        SceneRect g = {p->r[i].x0 - gap, p->r[i].y0 - gap, p->r[i].x1 + gap, p->r[i].y1 + gap};
        if (!rect_empty(rect_intersect(g, c)))
            return 1;
    }
    return 0;
}

/* Rejection-samples a free top-left for a w x h box. Returns 1 and the box, or 0 if none found. */
static int place_box(const Scene *s, Placed *p, Rng *r, int w, int h, SceneRect *out)
{
    int span_x = s->world.w - w - 2 * EDGE_MARGIN, span_y = s->world.h - h - 2 * EDGE_MARGIN;
    if (span_x < 0 || span_y < 0)
        return 0;
    for (int t = 0; t < PLACE_TRIES; t++) {
        int x0 = EDGE_MARGIN + (int)rng_below(r, (uint32_t)span_x + 1);
        int y0 = EDGE_MARGIN + (int)rng_below(r, (uint32_t)span_y + 1);
        SceneRect c = {x0, y0, x0 + w, y0 + h};
        if (!overlaps_placed(p, c, OBJECT_GAP)) {
            p->r[p->n++] = c;
            *out = c;
            return 1;
        }
    }
    return 0;
}

/* Places the sprite at a free spot and adds it; returns 1 placed, 0 no room (sprite freed),
 * -1 error. */
static int place_object(Scene *s, Placed *p, Rng *r, SceneObjectKind kind, const char *label,
                        Image *sprite, float lum)
{
    SceneRect b;
    if (!place_box(s, p, r, sprite->w, sprite->h, &b)) {
        image_destroy(sprite);
        return 0;
    }
    SceneObject o;
    memset(&o, 0, sizeof(o));
    o.kind = kind;
    snprintf(o.label, sizeof(o.label), "%s", label);
    o.w = (float)sprite->w;
    o.h = (float)sprite->h;
    o.x = (float)b.x0 + 0.5f * o.w;
    o.y = (float)b.y0 + 0.5f * o.h;
    return scene_add_object(s, &o, sprite, lum) < 0 ? -1 : 1;
}

/* Fragments of random test digits composited into the background, kept off the objects. */
static void add_clutter(Scene *s, const Placed *p, Rng *r)
{
    const Mnist *m = scene_mnist();
    if (!m)
        return;
    long area = (long)s->world.w * s->world.h;
    int count = (int)(120L * area / (1280L * 720L));
    count = count < 4 ? 4 : count;
    Image frag;
    if (image_create(&frag, FRAGMENT, FRAGMENT) < 0)
        return;
    for (int f = 0; f < count; f++) {
        /* A fragment with some ink in it: a few tries, then whatever came last. */
        for (int t = 0; t < 8; t++) {
            int idx = scene_pick_digit(m, -1, r);
            int ox = (int)rng_below(r, MNIST_SIDE - FRAGMENT + 1),
                oy = (int)rng_below(r, MNIST_SIDE - FRAGMENT + 1);
            const uint8_t *src = mnist_image(m, idx);
            float ink = 0.0f;
            for (int y = 0; y < FRAGMENT; y++)
                for (int x = 0; x < FRAGMENT; x++) {
                    float a = (float)src[(oy + y) * MNIST_SIDE + ox + x] * (1.0f / 255.0f);
                    image_row(&frag, y)[x] = a;
                    ink += a;
                }
            if (ink >= 10.0f)
                break;
        }
        int span_x = s->world.w - FRAGMENT, span_y = s->world.h - FRAGMENT;
        if (span_x < 0 || span_y < 0)
            break;
        for (int t = 0; t < 50; t++) {
            int x0 = (int)rng_below(r, (uint32_t)span_x + 1),
                y0 = (int)rng_below(r, (uint32_t)span_y + 1);
            SceneRect c = {x0, y0, x0 + FRAGMENT, y0 + FRAGMENT};
            if (overlaps_placed(p, c, OBJECT_GAP / 2))
                continue;
            for (int y = 0; y < FRAGMENT; y++) {
                float *d = image_row(&s->background, y0 + y) + x0;
                const float *a = image_row(&frag, y);
                for (int x = 0; x < FRAGMENT; x++)
                    d[x] = d[x] * (1.0f - a[x]) + a[x];
            }
            break;
        }
    }
    image_destroy(&frag);
}

static Scene *create_builtin(const SceneSpec *spec, uint64_t seed, int w, int h)
{
    Scene *s = scene_alloc(w, h);
    if (!s)
        return NULL;
    s->spec = *spec;
    if (spec->kind == SCENE_BLANK) {
        image_fill(&s->world, 0.5f);
        return s;
    }
    if (scene_alloc_background(s) < 0)
        goto fail;
    Rng root, bg, place, vel;
    rng_seed(&root, seed);
    rng_fork(&root, RNG_BACKGROUND, &bg);
    rng_fork(&root, RNG_PLACE, &place);
    rng_fork(&root, RNG_VELOCITY, &vel);
    if (spec->kind == SCENE_MOTION)
        scene_noise_fill(&s->background, &bg, 48, 0.0f, 0.5f);
    else
        scene_noise_fill(&s->background, &bg, 96, 0.05f, 0.25f);

    const int count = spec->objects ? spec->objects : SCENE_DEFAULT_OBJECTS;
    Placed placed;
    placed.n = 0;
    const Mnist *m = NULL;
    if (spec->kind != SCENE_LETTERS && !(m = scene_mnist()))
        goto fail;
    char font[1024];
    if (spec->kind == SCENE_LETTERS && text_find_font("DejaVu Sans", font, sizeof(font)) < 0)
        goto fail;

    for (int i = 0; i < count; i++) {
        Image sp;
        memset(&sp, 0, sizeof(sp));
        char label[SCENE_LABEL_MAX] = "";
        SceneObjectKind kind = SCENE_OBJ_DIGIT;
        float lum = 1.0f;
        if (spec->kind == SCENE_LETTERS) {
            kind = SCENE_OBJ_TEXT;
            /* Only what the glyph model reads, at the size it reads: capitals and lowercase
             * letters, and every third object a digit. */
            if (i % 3 == 2)
                label[0] = (char)('0' + rng_below(&place, 10));
            else
                label[0] = textline_char((int)rng_below(&place, 52));
            if (text_render(font, label, TEXTLINE_PX, &sp) < 0 || scene_crop_ink(&sp) < 0)
                goto fail;
        } else if (spec->kind == SCENE_MOTION && i % 4 == 3) {
            kind = (i / 4) % 2 ? SCENE_OBJ_BOX : SCENE_OBJ_BLOB;
            lum = kind == SCENE_OBJ_BOX ? 0.85f : 0.95f;
            if ((kind == SCENE_OBJ_BOX ? scene_box_sprite(16, &sp) : scene_blob_sprite(24, &sp)) <
                0)
                goto fail;
        } else {
            int idx = scene_pick_digit(m, -1, &place);
            label[0] = (char)('0' + mnist_label(m, idx));
            if (scene_digit_sprite(m, idx, MNIST_SIDE, &sp) < 0)
                goto fail;
        }
        int rc = place_object(s, &placed, &place, kind, label, &sp, lum);
        if (rc < 0)
            goto fail;
        if (rc == 1 && spec->kind == SCENE_MOTION) {
            SceneObject *o = &s->obj[s->n - 1];
            double speed = 20.0 + 100.0 * rng_uniform(&vel), angle = 2.0 * M_PI * rng_uniform(&vel);
            o->vx = (float)(speed * cos(angle));
            o->vy = (float)(speed * sin(angle));
        }
    }
    if (spec->kind == SCENE_CLUTTERED) {
        Rng clutter;
        rng_fork(&root, RNG_CLUTTER, &clutter);
        add_clutter(s, &placed, &clutter);
    }
    scene_render_all(s);
    return s;
fail:
    scene_destroy(&s);
    return NULL;
}

Scene *scene_create_moving_digits(int w, int h, uint64_t seed, const SceneObject *objects,
                                  const int *mnist_index, int n)
{
    const Mnist *m = scene_mnist();
    if (!m)
        return NULL;
    if (w < SCENE_MIN_SIDE || h < SCENE_MIN_SIDE || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
        n < 0 || n > SCENE_MAX_OBJECTS) {
        sc_set_error("scene: bad size or object count");
        return NULL;
    }
    Scene *s = scene_alloc(w, h);
    if (!s || scene_alloc_background(s) < 0) {
        scene_destroy(&s);
        return NULL;
    }
    s->spec.kind = SCENE_MOTION;
    s->spec.width = w;
    s->spec.height = h;
    Rng root, bg;
    rng_seed(&root, seed);
    rng_fork(&root, RNG_BACKGROUND, &bg);
    scene_noise_fill(&s->background, &bg, 48, 0.0f, 0.5f);
    for (int i = 0; i < n; i++) {
        int idx = mnist_index[i];
        Image sp;
        memset(&sp, 0, sizeof(sp));
        if (idx < 0 || idx >= MNIST_TEST_COUNT || scene_digit_sprite(m, idx, MNIST_SIDE, &sp) < 0) {
            sc_set_error("scene: bad MNIST test index %d", idx);
            scene_destroy(&s);
            return NULL;
        }
        SceneObject o = objects[i];
        o.kind = SCENE_OBJ_DIGIT;
        snprintf(o.label, sizeof(o.label), "%d", mnist_label(m, idx));
        o.w = (float)sp.w;
        o.h = (float)sp.h;
        if (scene_add_object(s, &o, &sp, 1.0f) < 0) {
            scene_destroy(&s);
            return NULL;
        }
    }
    scene_render_all(s);
    return s;
}

/* ---- creation ---- */

static int check_size(const SceneSpec *spec)
{
    if (spec->width == 0 && spec->height == 0)
        return 0;
    if (spec->width < SCENE_MIN_SIDE || spec->height < SCENE_MIN_SIDE ||
        spec->width > IMAGE_MAX_SIDE || spec->height > IMAGE_MAX_SIDE) {
        sc_set_error("scene size %dx%d out of range (each side %d..%d px)", spec->width,
                     spec->height, SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        return -1;
    }
    return 0;
}

Scene *scene_create(const SceneSpec *spec, uint64_t seed)
{
    if (!spec || spec->kind < 0 || spec->kind >= SCENE_KIND_COUNT) {
        sc_set_error("scene: unknown scene kind");
        return NULL;
    }
    if (check_size(spec) < 0)
        return NULL;
    if (spec->objects < 0 || spec->objects > SCENE_MAX_OBJECTS) {
        sc_set_error("scene: %d objects out of range (0..%d)", spec->objects, SCENE_MAX_OBJECTS);
        return NULL;
    }
    switch (spec->kind) {
    case SCENE_IMAGE: return scene_create_image_file(spec);
    case SCENE_FILE: return scene_create_scene_file(spec, seed);
    case SCENE_WORDS: return scene_create_words(spec, seed, NULL);
    case SCENE_TEXT: return scene_create_text(spec, seed, NULL);
    case SCENE_PROSE: return scene_create_prose(spec, seed, NULL);
    case SCENE_VIDEO: return scene_create_video_file(spec);
    case SCENE_CAMERA: return scene_create_camera(spec);
    default: {
        int w = spec->width ? spec->width : SCENE_DEFAULT_WIDTH;
        int h = spec->height ? spec->height : SCENE_DEFAULT_HEIGHT;
        return create_builtin(spec, seed, w, h);
    }
    }
}

/* Ground-truth-only objects (not drawn, static) of an in-memory image scene. */
static void add_ground_truth(Scene *s, const SceneObject *objects, int n_objects)
{
    for (int i = 0; i < n_objects; i++) {
        Image none;
        memset(&none, 0, sizeof(none));
        SceneObject o = objects[i];
        o.label[SCENE_LABEL_MAX - 1] = 0;
        scene_add_object(s, &o, &none, 0.0f);
    }
}

int scene_replace_image(Scene *s, const Image *world, const SceneObject *objects, int n_objects)
{
    if (!world || !world->px || world->w != s->world.w || world->h != s->world.h ||
        s->spec.kind != SCENE_IMAGE || s->background.px || n_objects < 0 ||
        n_objects > SCENE_MAX_OBJECTS || (n_objects && !objects)) {
        sc_set_error("scene: cannot replace the image (not an in-memory image scene of that size)");
        return -1;
    }
    image_copy(&s->world, world);
    s->n = 0;
    add_ground_truth(s, objects, n_objects);
    s->n_dirty = 0;
    s->dirty = (SceneRect){0, 0, 0, 0};
    return 0;
}

Scene *scene_create_from_image(const Image *world, const SceneObject *objects, int n_objects)
{
    if (!world || !world->px || n_objects < 0 || n_objects > SCENE_MAX_OBJECTS ||
        (n_objects && !objects)) {
        sc_set_error("scene: bad image or object list");
        return NULL;
    }
    Scene *s = scene_alloc(world->w, world->h);
    if (!s)
        return NULL;
    s->spec.kind = SCENE_IMAGE;
    s->spec.width = world->w;
    s->spec.height = world->h;
    image_copy(&s->world, world);
    add_ground_truth(s, objects, n_objects);
    return s;
}
