/* scene_file.c: the .scene description format (documented for users in assets/scenes/README.md).
 *
 * A UTF-8 text file, one statement per line; '#' starts a comment; blank lines are ignored;
 * fields are separated by spaces or tabs.
 *
 *   size W H                 world size in px (each 16..8192); default 1280 720; at most once.
 *                            An explicit --size (spec width/height) overrides it.
 *   background GREY          uniform background, GREY in 0..1
 *   background noise LO HI   smooth value-noise texture between LO and HI (0 <= LO <= HI <= 1);
 *                            this is the default, with LO 0.05 and HI 0.25 (as the digits scene)
 *   KIND LABEL X Y SIZE [VX VY]
 *                            one object; KIND is one of
 *       digit   LABEL 0..9: a test-split MNIST digit of that class, chosen from the seed;
 *               SIZE = side of the 28 px MNIST box after scaling (28 = native, 8..280)
 *       text    LABEL is the text (one field, UTF-8, < 24 bytes), drawn in DejaVu Sans;
 *               SIZE = font pixel size (em, 6..400; 34 gives ~25 px capitals)
 *       blob    a Gaussian blob, diameter SIZE (sigma SIZE / 6), 2..1024
 *       box     a filled square of side SIZE, 1..1024
 *   LABEL '-' means no label (ground truth ""). X Y = centre of the object's ink bounding box in
 *   world px (origin top-left, y down); the whole box must lie inside the world. A static
 *   object is moved by up to half a pixel so that its box sits on whole pixels. VX VY =
 *   velocity in px/s (default 0 0); moving objects bounce off the world's edges.
 *   Objects are drawn in file order, bright ink on the background (digits and text 1.0,
 *   blobs 0.95, boxes 0.85), and may overlap.
 *
 * Any malformed line is an error "FILE:LINE: what is wrong"; nothing is guessed.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/number.h"
#include "core/rng.h"
#include "core/text.h"
#include "core/utf8.h"
#include "scene/scene_priv.h"

enum { SCENE_FILE_MAX = 4 * 1024 * 1024, MAX_FIELDS = 8, RNG_FILE_DIGITS = 11, RNG_FILE_BG = 12 };

typedef struct FileObject {
    int line;
    SceneObjectKind kind;
    char label[SCENE_LABEL_MAX];
    float x, y, size, vx, vy;
} FileObject;

typedef struct FileScene {
    int w, h, size_line;
    int noise; /* 1: value noise lo..hi; 0: uniform lo */
    float lo, hi;
    int n;
    FileObject obj[SCENE_MAX_OBJECTS];
} FileScene;

/* Plain decimal numbers only (core/number.h): no hex, blanks, inf or nan, no underflow. */
static int parse_float(const char *tok, float *out)
{
    float v;
    if (number_parse_float(tok, &v) != NUMBER_OK || fabsf(v) > 1e7f)
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *tok, int *out)
{
    long v;
    if (number_parse_long(tok, &v) != NUMBER_OK || v < -1000000000L || v > 1000000000L)
        return -1;
    *out = (int)v;
    return 0;
}

#define LINE_ERR(...)                                                                              \
    do {                                                                                           \
        char msg_[256];                                                                            \
        snprintf(msg_, sizeof(msg_), __VA_ARGS__);                                                 \
        sc_set_error("%s:%d: %s", path, line, msg_);                                               \
        return -1;                                                                                 \
    } while (0)

/* Parses one line split into fields. */
static int parse_line(const char *path, int line, char **f, int nf, FileScene *fs)
{
    if (!strcmp(f[0], "size")) {
        if (nf != 3)
            LINE_ERR("expected 'size W H'");
        if (fs->size_line)
            LINE_ERR("second 'size' line (first on line %d)", fs->size_line);
        int w, h;
        if (parse_int(f[1], &w) < 0 || parse_int(f[2], &h) < 0)
            LINE_ERR("size: W and H are not two whole numbers");
        if (w < SCENE_MIN_SIDE || h < SCENE_MIN_SIDE || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE)
            LINE_ERR("size %dx%d out of range (each side %d..%d px)", w, h, SCENE_MIN_SIDE,
                     IMAGE_MAX_SIDE);
        fs->w = w;
        fs->h = h;
        fs->size_line = line;
        return 0;
    }
    if (!strcmp(f[0], "background")) {
        if (nf == 2) {
            if (parse_float(f[1], &fs->lo) < 0 || fs->lo < 0.0f || fs->lo > 1.0f)
                LINE_ERR("background: GREY is not a grey level in 0..1");
            fs->noise = 0;
            return 0;
        }
        if (nf == 4 && !strcmp(f[1], "noise")) {
            if (parse_float(f[2], &fs->lo) < 0 || parse_float(f[3], &fs->hi) < 0 || fs->lo < 0.0f ||
                fs->hi > 1.0f || fs->lo > fs->hi)
                LINE_ERR("background noise: expected LO HI with 0 <= LO <= HI <= 1");
            fs->noise = 1;
            return 0;
        }
        LINE_ERR("expected 'background GREY' or 'background noise LO HI'");
    }
    static const char *const kinds[] = {"digit", "text", "blob", "box"};
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (!strcmp(f[0], kinds[k]))
            kind = k;
    if (kind < 0)
        LINE_ERR("unknown keyword (expected size, background, digit, text, blob or box)");
    if (nf != 5 && nf != 7)
        LINE_ERR("expected '%s LABEL X Y SIZE [VX VY]' (5 or 7 fields, got %d)", f[0], nf);
    if (fs->n >= SCENE_MAX_OBJECTS)
        LINE_ERR("more than %d objects", SCENE_MAX_OBJECTS);
    FileObject *o = &fs->obj[fs->n];
    memset(o, 0, sizeof(*o));
    o->line = line;
    o->kind = (SceneObjectKind)kind;
    const char *label = f[1];
    if (strlen(label) >= SCENE_LABEL_MAX)
        LINE_ERR("label longer than %d bytes", SCENE_LABEL_MAX - 1);
    if (o->kind == SCENE_OBJ_DIGIT && (strlen(label) != 1 || !isdigit((unsigned char)label[0])))
        LINE_ERR("digit label must be one of 0..9");
    if (o->kind == SCENE_OBJ_TEXT && !strcmp(label, "-"))
        LINE_ERR("text needs its text as LABEL");
    if (strcmp(label, "-") != 0)
        memcpy(o->label, label, strlen(label) + 1);
    static const char *const names[] = {"X", "Y", "SIZE", "VX", "VY"};
    float *vals[] = {&o->x, &o->y, &o->size, &o->vx, &o->vy};
    for (int k = 0; k < nf - 2; k++)
        if (parse_float(f[2 + k], vals[k]) < 0)
            LINE_ERR("%s is not a number", names[k]);
    static const float lo[] = {8, 6, 2, 1}, hi[] = {280, 400, 1024, 1024};
    if (o->size != floorf(o->size) || o->size < lo[kind] || o->size > hi[kind])
        LINE_ERR("%s SIZE %g must be a whole number in %g..%g", f[0], (double)o->size,
                 (double)lo[kind], (double)hi[kind]);
    if (fabsf(o->vx) > 10000.0f || fabsf(o->vy) > 10000.0f)
        LINE_ERR("velocity above 10000 px/s");
    fs->n++;
    return 0;
}

static int parse_text(const char *path, char *text, FileScene *fs)
{
    int line = 0;
    char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3)) /* a UTF-8 byte-order mark some editors write */
        p += 3;
    while (*p) {
        line++;
        char *end = strchr(p, '\n');
        char *next = end ? end + 1 : p + strlen(p);
        if (end)
            *end = 0;
        if (utf8_invalid_at(p, strlen(p)) != strlen(p)) /* labels go to JSON and the window */
            LINE_ERR("not valid UTF-8 text");
        char *hash = strchr(p, '#');
        if (hash)
            *hash = 0;
        char *f[MAX_FIELDS + 1];
        int nf = 0;
        for (char *tok = p; *tok;) {
            while (*tok == ' ' || *tok == '\t' || *tok == '\r')
                *tok++ = 0;
            if (!*tok)
                break;
            if (nf > MAX_FIELDS)
                break;
            f[nf++] = tok;
            while (*tok && *tok != ' ' && *tok != '\t' && *tok != '\r')
                tok++;
        }
        if (nf > MAX_FIELDS)
            LINE_ERR("too many fields");
        for (int k = 0; k < nf; k++)
            for (const char *c = f[k]; *c; c++)
                if ((unsigned char)*c < 0x20)
                    LINE_ERR("control character in the line");
        if (nf > 0 && parse_line(path, line, f, nf, fs) < 0)
            return -1;
        p = next;
    }
    return 0;
}

/* The drawing a step of SCENE_STEP_MAX_MS may cost (scene_step redraws each moving object's
 * swept box: the background under it and every object it may touch) within
 * SCENE_FILE_MAX_STEP_WORK; else an error naming the moving object's line where it ran out. */
static int check_step_work(const char *path, const FileScene *fs, const Scene *s)
{
    const double world = (double)s->world.w * s->world.h, t = SCENE_STEP_MAX_MS / 1000.0;
    double work = 0;
    for (int i = 0; i < s->n; i++) {
        const SceneObject *o = &s->obj[i];
        if (o->vx == 0.0f && o->vy == 0.0f)
            continue;
        double swept = ((double)o->w + 2.0 + fabs((double)o->vx) * t) *
                       ((double)o->h + 2.0 + fabs((double)o->vy) * t);
        swept = swept < world ? swept : world;
        work += swept;
        for (int j = 0; j < s->n; j++) {
            double a = (double)s->obj[j].w * s->obj[j].h;
            work += a < swept ? a : swept;
        }
        if (work > SCENE_FILE_MAX_STEP_WORK) {
            sc_set_error("%s:%d: the moving objects up to this line would redraw more than %d px "
                         "per step (a scene file's limit: fewer, smaller or slower objects)",
                         path, fs->obj[i].line, SCENE_FILE_MAX_STEP_WORK);
            return -1;
        }
    }
    return 0;
}

Scene *scene_create_recorded(const SceneSpec *spec, uint64_t seed, uint64_t content_hash)
{
    if (spec->kind == SCENE_CAMERA) {
        sc_set_error("%s: the run was recorded from a camera; its frames are not stored (only "
                     "their hashes), so it cannot be re-simulated",
                     spec->path);
        return NULL;
    }
    if (spec->kind == SCENE_VIDEO) {
        unsigned char *data, *truth;
        size_t n, tn;
        uint64_t h;
        if (scene_video_read_files(spec->path, &data, &n, &truth, &tn, &h) < 0)
            return NULL;
        if (h != content_hash) {
            free(data);
            free(truth);
            sc_set_error("%s: not the video the run was recorded on (content hash of the clip "
                         "and its .truth sidecar %016llx, recorded %016llx); name the recorded "
                         "clip with --scene PATH",
                         spec->path, (unsigned long long)h, (unsigned long long)content_hash);
            return NULL;
        }
        Scene *s = scene_create_video_data(spec, data, n, truth, tn, h);
        free(truth);
        return s;
    }
    if (spec->kind != SCENE_FILE && spec->kind != SCENE_IMAGE)
        return scene_create(spec, seed);
    /* The bytes are hashed before anything parses them: a file that is not the recorded
     * scene (a run file may name any path) is refused without a word of its contents. */
    unsigned char *data = NULL;
    size_t n = 0;
    if (file_read_all(spec->path,
                      spec->kind == SCENE_FILE ? (size_t)SCENE_FILE_MAX : (size_t)256 * 1024 * 1024,
                      &data, &n) < 0)
        return NULL;
    uint64_t h = hash64_update(hash64_init(), data, n);
    free(data);
    if (h != content_hash) {
        sc_set_error("%s: not the scene file the run was recorded on (content hash %016llx, "
                     "recorded %016llx); name the recorded scene with --scene PATH",
                     spec->path, (unsigned long long)h, (unsigned long long)content_hash);
        return NULL;
    }
    return scene_create(spec, seed);
}

Scene *scene_create_scene_file(const SceneSpec *spec, uint64_t seed)
{
    unsigned char *data = NULL;
    size_t n = 0;
    if (file_read_all(spec->path, SCENE_FILE_MAX, &data, &n) < 0)
        return NULL;
    Scene *s = scene_create_scene_text(spec, seed, data, n);
    free(data);
    return s;
}

Scene *scene_create_scene_text(const SceneSpec *spec, uint64_t seed, const unsigned char *data,
                               size_t n)
{
    const char *path = spec->path;
    if (memchr(data, 0, n)) {
        sc_set_error("%s: not a text file (contains a NUL byte)", path);
        return NULL;
    }
    FileScene *fs = calloc(1, sizeof(*fs));
    char *text = malloc(n + 1);
    if (!fs || !text) {
        sc_set_error("%s: out of memory", path);
        free(fs);
        free(text);
        return NULL;
    }
    memcpy(text, data, n);
    text[n] = 0;
    uint64_t content = hash64_update(hash64_init(), data, n);
    fs->w = SCENE_DEFAULT_WIDTH;
    fs->h = SCENE_DEFAULT_HEIGHT;
    fs->noise = 1;
    fs->lo = 0.05f;
    fs->hi = 0.25f;
    Scene *s = NULL;
    int rc = parse_text(path, text, fs);
    free(text);
    if (rc < 0)
        goto fail;

    int w = spec->width ? spec->width : fs->w, h = spec->height ? spec->height : fs->h;
    if (!(s = scene_alloc(w, h)) || scene_alloc_background(s) < 0)
        goto fail;
    s->spec = *spec;
    s->content_hash = content;
    Rng root, bg;
    rng_seed(&root, seed);
    rng_fork(&root, RNG_FILE_BG, &bg);
    if (fs->noise)
        scene_noise_fill(&s->background, &bg, 96, fs->lo, fs->hi);
    else
        image_fill(&s->background, fs->lo);

    const Mnist *m = NULL;
    char font[1024] = "";
    double area = 0; /* of the objects so far (SCENE_FILE_MAX_AREA) */
    for (int i = 0; i < fs->n; i++) {
        const FileObject *fo = &fs->obj[i];
        int line = fo->line;
        Image sp;
        memset(&sp, 0, sizeof(sp));
        float lum = 1.0f;
        /* a digit, blob or box is SIZE px square: checked before it is made */
        if (fo->kind != SCENE_OBJ_TEXT && area + (double)fo->size * fo->size > SCENE_FILE_MAX_AREA)
            goto too_large;
        switch (fo->kind) {
        case SCENE_OBJ_DIGIT: {
            if (!m && !(m = scene_mnist()))
                goto fail;
            Rng r;
            rng_fork(&root, RNG_FILE_DIGITS * 1000003ull + (uint64_t)i, &r);
            int idx = scene_pick_digit(m, fo->label[0] - '0', &r);
            if (scene_digit_sprite(m, idx, (int)fo->size, &sp) < 0)
                goto fail;
            break;
        }
        case SCENE_OBJ_TEXT:
            if (!font[0] && text_find_font("DejaVu Sans", font, sizeof(font)) < 0) {
                font[0] = 0;
                goto fail;
            }
            if (text_render(font, fo->label, (int)fo->size, &sp) < 0 || scene_crop_ink(&sp) < 0) {
                char why[512];
                snprintf(why, sizeof(why), "%s", sc_last_error());
                sc_set_error("%s:%d: %s", path, line, why);
                goto fail;
            }
            break;
        case SCENE_OBJ_BLOB:
            lum = 0.95f;
            if (scene_blob_sprite((int)fo->size, &sp) < 0)
                goto fail;
            break;
        case SCENE_OBJ_BOX:
            lum = 0.85f;
            if (scene_box_sprite((int)fo->size, &sp) < 0)
                goto fail;
            break;
        }
        area += (double)sp.w * sp.h;
        if (area > SCENE_FILE_MAX_AREA) {
            image_destroy(&sp);
            goto too_large;
        }
        SceneObject o;
        memset(&o, 0, sizeof(o));
        o.kind = fo->kind;
        memcpy(o.label, fo->label, sizeof(o.label));
        o.x = fo->x;
        o.y = fo->y;
        o.w = (float)sp.w;
        o.h = (float)sp.h;
        o.vx = fo->vx;
        o.vy = fo->vy;
        if (o.vx == 0.0f && o.vy == 0.0f) { /* static: snap to whole pixels, drawn crisp */
            o.x = floorf(o.x - 0.5f * o.w + 0.5f) + 0.5f * o.w;
            o.y = floorf(o.y - 0.5f * o.h + 0.5f) + 0.5f * o.h;
        }
        if (o.x - 0.5f * o.w < 0.0f || o.y - 0.5f * o.h < 0.0f || o.x + 0.5f * o.w > (float)w ||
            o.y + 0.5f * o.h > (float)h) {
            image_destroy(&sp);
            sc_set_error(
                "%s:%d: the object (%gx%g px at %g,%g) does not fit inside the %dx%d world", path,
                line, (double)o.w, (double)o.h, (double)o.x, (double)o.y, w, h);
            goto fail;
        }
        if (scene_add_object(s, &o, &sp, lum) < 0)
            goto fail;
    }
    if (check_step_work(path, fs, s) < 0)
        goto fail;
    free(fs);
    scene_render_all(s);
    return s;
too_large:
    sc_set_error("%s:%d: the objects up to this line cover more than %d px in all (a scene "
                 "file's limit: fewer or smaller objects)",
                 path, fs->obj[s->n].line, SCENE_FILE_MAX_AREA);
fail:
    free(fs);
    scene_destroy(&s);
    return NULL;
}
