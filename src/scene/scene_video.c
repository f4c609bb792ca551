/* scene_video.c: a video clip (or a V4L2 camera) as the world, in simulated time.
 *
 * The world at simulated time t is the clip's frame whose presentation interval covers t: frame k
 * is shown from its start (its timestamp, us since the first frame) until frame k + 1 starts. At
 * the end the clip loops: pass L starts at L * D, D = last frame's start + its duration (at
 * least MIN_PASS_US: a shorter clip holds its last frame until then), and
 * frame k of pass L is frame number L * N + k (N frames per pass). Nothing reads a clock.
 *
 * Decoding ahead: a producer thread decodes the next RING frames (grey bytes, video_reader.h)
 * into a ring in order; scene_step takes them off in order, converting the one it shows into the
 * float world. The frames are a pure function of the file, so when the producer runs makes no
 * difference to what the scene shows: a step that needs a frame not decoded yet waits for it.
 * Going back (scene_state_load to an earlier time: replay seeking) restarts the producer at the
 * start of the pass that holds the target (a fresh decoder, no container seeking) and decodes
 * forward.
 *
 * Ground truth: an optional sidecar text file next to the clip, the clip's path with its
 * extension replaced by ".truth" (format: scene_video_truth_parse in scene_priv.h and
 * assets/clips/README.md). Its objects are ground-truth-only (not drawn: the clip shows them);
 * their positions follow the frame shown. The content hash covers the clip and the sidecar.
 *
 * A camera: the producer reads frames as the camera gives them; each step shows the newest one
 * (so a camera run depends on the wall clock and cannot be re-simulated; the state hash holds
 * each shown frame's pixel hash, so a recording still says what was seen).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/number.h"
#include "core/utf8.h"
#include "scene/scene_priv.h"
#include "scene/video_reader.h"

enum {
    RING = 4, /* frames decoded ahead */
    TRUTH_FILE_MAX = 4 * 1024 * 1024,
    TRUTH_MAX_KEYS = 1 << 20,
};
/* A pass lasts at least this long, us: a shorter clip holds its last frame until then, so that
 * looping (a fresh demuxer and decoder per pass) never happens more than once a second. */
#define MIN_PASS_US 1000000

typedef struct Slot {
    uint8_t *grey;    /* w x h bytes */
    int64_t start_us; /* on the looping timeline */
    int64_t rel_us;   /* since the start of its pass */
    uint64_t seq;     /* frame number on the looping timeline */
    uint64_t hash;    /* of the grey bytes */
} Slot;

typedef struct TruthKey {
    double t_ms;
    float x, y;
} TruthKey;

typedef struct TruthObject {
    SceneObject o;    /* kind, label, w, h */
    int first, count; /* its keys in SceneVideo.keys, time increasing */
} TruthObject;

struct SceneVideo {
    int camera;
    char name[1024];
    unsigned char *data; /* the clip's bytes (owned) */
    size_t n;
    int w, h;     /* world size */
    float sx, sy; /* world px per clip px (--size resamples; the truth is in clip px) */
    float lut[256];
    /* the producer's side: only the producer thread touches these while it runs */
    VideoReader *rd;
    int64_t p_offset_us; /* start of the current pass */
    uint64_t p_seq;      /* frame number of the next frame */
    uint64_t p_in_pass;  /* frames decoded in the current pass */
    int64_t p_end_us;    /* end of the last frame decoded, on the timeline */
    int64_t loop_us;     /* D, once a pass has ended (0 before) */
    uint64_t loop_frames;
    /* ring (mu, cv) */
    pthread_t thread;
    int running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Slot ring[RING];
    int head, count, ended, stop;
    /* what the world shows */
    double clock_ms;
    Slot cur; /* grey unused: the world holds the pixels */
    /* ground truth */
    TruthObject *tobj;
    int n_tobj;
    TruthKey *keys;
    int n_keys;
};

static uint64_t grey_hash(const uint8_t *p, size_t n)
{
    /* FNV-1a over 64-bit words (then the tail), 8x faster than per byte: a frame per frame */
    uint64_t h = hash64_init();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        h = (h ^ v) * 0x100000001b3ull;
    }
    return hash64_update(h, p + i, n - i);
}

/* ---- producer ---- */

/* check: the first open of a clip (its checking pass); later opens read the same bytes */
static int open_reader(SceneVideo *v, int check)
{
    video_reader_close(&v->rd);
    v->rd = v->camera ? video_reader_open_camera(v->name, v->w, v->h)
                      : video_reader_open_memory(v->name, v->data, v->n, v->w, v->h, check);
    return v->rd ? 0 : -1;
}

/* Decodes the next frame of the timeline into slot (looping at the end of a pass). Returns 1,
 * or 0 when there is none (a camera or a reader that stopped; a pass without frames). */
static int produce(SceneVideo *v, Slot *slot)
{
    for (int tries = 0; tries < 2; tries++) {
        int64_t rel = 0, dur = 0;
        int rc = v->rd ? video_reader_next(v->rd, slot->grey, &rel, &dur) : 0;
        if (rc == 1) {
            slot->rel_us = rel;
            slot->start_us = v->p_offset_us + rel;
            slot->seq = v->p_seq++;
            slot->hash = grey_hash(slot->grey, (size_t)v->w * (size_t)v->h);
            v->p_end_us = slot->start_us + dur;
            v->p_in_pass++;
            return 1;
        }
        if (v->camera || rc < 0 || v->p_in_pass == 0)
            return 0;
        /* end of a pass: the next starts where its last frame ended */
        if (v->p_end_us - v->p_offset_us < MIN_PASS_US)
            v->p_end_us = v->p_offset_us + MIN_PASS_US;
        v->loop_us = v->p_end_us - v->p_offset_us;
        v->loop_frames = v->p_in_pass;
        v->p_offset_us = v->p_end_us;
        v->p_in_pass = 0;
        if (open_reader(v, 0) < 0)
            return 0;
    }
    return 0;
}

static void *producer_main(void *arg)
{
    SceneVideo *v = arg;
    pthread_mutex_lock(&v->mu);
    for (;;) {
        while (v->count == RING && !v->stop)
            pthread_cond_wait(&v->cv, &v->mu);
        if (v->stop)
            break;
        Slot *slot = &v->ring[(v->head + v->count) % RING]; /* not the consumer's until counted */
        pthread_mutex_unlock(&v->mu);
        int ok = produce(v, slot);
        pthread_mutex_lock(&v->mu);
        if (!ok) {
            v->ended = 1;
            pthread_cond_broadcast(&v->cv);
            break;
        }
        v->count++;
        pthread_cond_broadcast(&v->cv);
    }
    pthread_mutex_unlock(&v->mu);
    return NULL;
}

static void producer_stop(SceneVideo *v)
{
    if (!v->running)
        return;
    pthread_mutex_lock(&v->mu);
    v->stop = 1;
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
    pthread_join(v->thread, NULL);
    v->running = 0;
}

static void producer_start(SceneVideo *v)
{
    v->head = v->count = v->ended = v->stop = 0;
    if (pthread_create(&v->thread, NULL, producer_main, v) == 0) {
        v->running = 1;
        return;
    }
    v->ended = 1; /* no thread: the frame shown stays (a clear degradation, never a hang) */
}

/* ---- consumer ---- */

static void show(Scene *s, const Slot *slot)
{
    SceneVideo *v = s->video;
    for (int y = 0; y < v->h; y++) {
        const uint8_t *g = slot->grey + (size_t)y * (size_t)v->w;
        float *d = image_row(&s->world, y);
        for (int x = 0; x < v->w; x++)
            d[x] = v->lut[g[x]];
    }
    v->cur.start_us = slot->start_us;
    v->cur.rel_us = slot->rel_us;
    v->cur.seq = slot->seq;
    v->cur.hash = slot->hash;
}

/* Positions of the truth objects at the frame shown. */
static void place_truth(Scene *s)
{
    SceneVideo *v = s->video;
    const double t = (double)v->cur.rel_us / 1000.0;
    for (int i = 0; i < v->n_tobj && i < s->n; i++) {
        const TruthKey *k = v->keys + v->tobj[i].first;
        int n = v->tobj[i].count, lo = 0, hi = n - 1;
        while (lo < hi) { /* last key with t_ms <= t (the first when none) */
            int mid = (lo + hi + 1) / 2;
            if (k[mid].t_ms <= t)
                lo = mid;
            else
                hi = mid - 1;
        }
        SceneObject *o = &s->obj[i];
        o->x = k[lo].x * v->sx;
        o->y = k[lo].y * v->sy;
        o->vx = o->vy = 0.0f;
        if (lo + 1 < n && k[lo + 1].t_ms > k[lo].t_ms) {
            const float dt = (float)((k[lo + 1].t_ms - k[lo].t_ms) / 1000.0);
            o->vx = (k[lo + 1].x - k[lo].x) * v->sx / dt;
            o->vy = (k[lo + 1].y - k[lo].y) * v->sy / dt;
        }
    }
}

/* Takes frames off the ring up to time t_us (a camera: every frame there is, newest shown).
 * Returns 1 if the world changed. */
static int advance(Scene *s, int64_t t_us)
{
    SceneVideo *v = s->video;
    int changed = 0;
    for (;;) {
        pthread_mutex_lock(&v->mu);
        if (!v->camera)
            while (v->count == 0 && !v->ended)
                pthread_cond_wait(&v->cv, &v->mu);
        if (v->count == 0 || (!v->camera && v->ring[v->head].start_us > t_us)) {
            pthread_mutex_unlock(&v->mu);
            break;
        }
        Slot *slot = &v->ring[v->head];
        /* a later frame already due makes this one invisible: skip its conversion */
        int later = v->count > 1 && (v->camera || v->ring[(v->head + 1) % RING].start_us <= t_us);
        pthread_mutex_unlock(&v->mu);
        if (!later) {
            show(s, slot);
            changed = 1;
        }
        pthread_mutex_lock(&v->mu);
        v->head = (v->head + 1) % RING;
        v->count--;
        pthread_cond_broadcast(&v->cv);
        pthread_mutex_unlock(&v->mu);
    }
    return changed;
}

static int64_t clock_us(double ms)
{
    double us = floor(ms * 1000.0);
    return us > 9.0e18 ? INT64_MAX : (int64_t)us;
}

static void mark_all_dirty(Scene *s)
{
    SceneRect all = {0, 0, s->world.w, s->world.h};
    s->dirty = all;
    s->dirty_list[0] = all;
    s->n_dirty = 1;
}

void scene_video_step(Scene *s, double dt_ms)
{
    SceneVideo *v = s->video;
    SceneRect none = {0, 0, 0, 0};
    s->dirty = none;
    s->n_dirty = 0;
    if (!(dt_ms > 0.0) || !isfinite(dt_ms))
        return;
    v->clock_ms += dt_ms;
    if (advance(s, clock_us(v->clock_ms))) {
        place_truth(s);
        mark_all_dirty(s);
    }
}

/* Restarts decoding at the pass holding t_us and shows the frame at t_us. 0 or -1. */
static int seek_to(Scene *s, int64_t t_us)
{
    SceneVideo *v = s->video;
    producer_stop(v);
    uint64_t pass = v->loop_us > 0 ? (uint64_t)(t_us / v->loop_us) : 0;
    v->p_offset_us = (int64_t)pass * v->loop_us;
    v->p_seq = pass * v->loop_frames;
    v->p_in_pass = 0;
    v->p_end_us = v->p_offset_us;
    /* on failure the frame shown stays, and no step waits for a producer that is not there */
    v->head = v->count = 0;
    v->ended = 1;
    if (open_reader(v, 0) < 0)
        return -1;
    Slot *first = &v->ring[0];
    if (produce(v, first) != 1) {
        sc_set_error("%s: no frame to show", v->name);
        return -1;
    }
    show(s, first);
    producer_start(v);
    advance(s, t_us);
    return 0;
}

/* ---- ground truth ---- */

static int truth_err(const char *path, int line, const char *what)
{
    sc_set_error("%s:%d: %s", path, line, what);
    return -1;
}

static int cmp_key_owner(const void *a, const void *b)
{
    const int *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

int scene_video_truth_parse(SceneVideo *v, const char *path, const char *text, size_t n, int w,
                            int h)
{
    if (memchr(text, 0, n)) {
        sc_set_error("%s: not a text file (contains a NUL byte)", path);
        return -1;
    }
    char *buf = malloc(n + 1);
    int cap = 64, ncap = 0, *owner = NULL; /* (object, key order) per key, for sorting */
    TruthKey *keys = NULL;
    v->tobj = calloc(SCENE_MAX_OBJECTS, sizeof *v->tobj);
    if (!buf || !v->tobj)
        goto oom;
    memcpy(buf, text, n);
    buf[n] = 0;
    int line = 0, rc = -1;
    char *save = NULL;
    double last_t[SCENE_MAX_OBJECTS];
    for (char *ln = buf, *next; ln; ln = next) {
        next = strchr(ln, '\n');
        if (next)
            *next++ = 0;
        line++;
        char *hash = strchr(ln, '#');
        if (hash)
            *hash = 0;
        char *f[8];
        int nf = 0;
        for (char *tok = strtok_r(ln, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save))
            if (nf < 8)
                f[nf++] = tok;
            else
                nf = 9;
        if (nf == 0)
            continue;
        if (!strcmp(f[0], "object")) {
            /* object ID KIND LABEL W H */
            long id, ow, oh;
            static const char *const kinds[] = {"digit", "text", "blob", "box"};
            int kind = -1;
            if (nf != 6) {
                rc = truth_err(path, line, "expected 'object ID KIND LABEL W H'");
                goto done;
            }
            for (int k = 0; k < 4; k++)
                if (!strcmp(f[2], kinds[k]))
                    kind = k;
            if (number_parse_long(f[1], &id) != NUMBER_OK || id != v->n_tobj ||
                id >= SCENE_MAX_OBJECTS) {
                rc = truth_err(path, line,
                               "object IDs must be 0, 1, 2 ... in order (at most "
                               "256 objects)");
                goto done;
            }
            if (kind < 0 || strlen(f[3]) >= SCENE_LABEL_MAX ||
                number_parse_long(f[4], &ow) != NUMBER_OK ||
                number_parse_long(f[5], &oh) != NUMBER_OK || ow < 1 || oh < 1 || ow > w || oh > h) {
                rc = truth_err(path, line,
                               "object: KIND is digit, text, blob or box; LABEL "
                               "under 24 bytes; W H within the frame");
                goto done;
            }
            TruthObject *t = &v->tobj[v->n_tobj++];
            t->o.kind = (SceneObjectKind)kind;
            snprintf(t->o.label, sizeof t->o.label, "%s", strcmp(f[3], "-") ? f[3] : "");
            utf8_fix(t->o.label); /* labels reach JSON and the window */
            t->o.w = (float)ow;
            t->o.h = (float)oh;
            continue;
        }
        if (!strcmp(f[0], "at")) {
            /* at T_MS ID X Y */
            double t;
            long id;
            float x, y;
            if (nf != 5 || number_parse_double(f[1], &t) != NUMBER_OK ||
                number_parse_long(f[2], &id) != NUMBER_OK ||
                number_parse_float(f[3], &x) != NUMBER_OK ||
                number_parse_float(f[4], &y) != NUMBER_OK) {
                rc = truth_err(path, line, "expected 'at T_MS ID X Y' (numbers)");
                goto done;
            }
            if (id < 0 || id >= v->n_tobj || !(t >= 0.0 && t <= 1e9) || x < -(float)w ||
                x > 2.0f * (float)w || y < -(float)h || y > 2.0f * (float)h) {
                rc = truth_err(path, line,
                               "at: unknown object, or time or position out of "
                               "range");
                goto done;
            }
            if (ncap >= TRUTH_MAX_KEYS) {
                rc = truth_err(path, line, "more than 1048576 'at' lines");
                goto done;
            }
            if (!keys || ncap == cap) {
                cap = keys ? cap * 2 : cap;
                TruthKey *nk = realloc(keys, (size_t)cap * sizeof *nk);
                int *no = realloc(owner, (size_t)cap * 2 * sizeof *no);
                if (nk)
                    keys = nk;
                if (no)
                    owner = no;
                if (!nk || !no)
                    goto oom_done;
            }
            if (v->tobj[id].count > 0 && !(t > last_t[id])) {
                rc = truth_err(path, line, "at: times of an object must increase");
                goto done;
            }
            last_t[id] = t;
            v->tobj[id].count = 1; /* seen; counted properly below */
            keys[ncap] = (TruthKey){t, x, y};
            owner[2 * ncap] = (int)id;
            owner[2 * ncap + 1] = ncap;
            ncap++;
            continue;
        }
        rc = truth_err(path, line, "unknown keyword (expected object or at)");
        goto done;
    }
    /* keys grouped by object, each in time order */
    if (ncap)
        qsort(owner, (size_t)ncap, 2 * sizeof *owner, cmp_key_owner);
    v->keys = malloc((size_t)(ncap ? ncap : 1) * sizeof *v->keys);
    if (!v->keys)
        goto oom_done;
    for (int i = 0; i < v->n_tobj; i++)
        v->tobj[i].count = 0;
    for (int k = 0; k < ncap; k++) {
        v->keys[k] = keys[owner[2 * k + 1]];
        TruthObject *t = &v->tobj[owner[2 * k]];
        if (t->count++ == 0)
            t->first = k;
    }
    v->n_keys = ncap;
    for (int i = 0; i < v->n_tobj; i++)
        if (v->tobj[i].count == 0) {
            sc_set_error("%s: object %d has no 'at' line", path, i);
            goto done;
        }
    rc = 0;
    goto done;
oom_done:
    sc_set_error("%s: out of memory", path);
    rc = -1;
done:
    free(buf);
    free(keys);
    free(owner);
    return rc;
oom:
    free(buf);
    sc_set_error("%s: out of memory", path);
    return -1;
}

int scene_video_truth_path(const char *clip, char *out, size_t n)
{
    const char *slash = strrchr(clip, '/'), *dot = strrchr(clip, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - clip) : strlen(clip);
    int k = snprintf(out, n, "%.*s.truth", (int)stem, clip);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int scene_video_read_files(const char *path, unsigned char **data, size_t *n, unsigned char **truth,
                           size_t *truth_n, uint64_t *content_hash)
{
    *data = *truth = NULL;
    *n = *truth_n = 0;
    char tp[1100];
    if (file_read_all(path, VIDEO_FILE_MAX, data, n) < 0)
        return -1;
    uint64_t h = hash64_update(hash64_init(), *data, *n);
    if (scene_video_truth_path(path, tp, sizeof tp) == 0 && access(tp, F_OK) == 0) {
        if (file_read_all(tp, TRUTH_FILE_MAX, truth, truth_n) < 0) {
            free(*data);
            *data = NULL;
            return -1;
        }
        h = hash64_u64(h, (uint64_t)*truth_n);
        h = hash64_update(h, *truth, *truth_n);
    }
    *content_hash = h;
    return 0;
}

/* ---- creation and state ---- */

static SceneVideo *video_alloc(const char *name)
{
    SceneVideo *v = calloc(1, sizeof *v);
    if (!v) {
        sc_set_error("%s: out of memory", name);
        return NULL;
    }
    snprintf(v->name, sizeof v->name, "%s", name);
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->cv, NULL);
    for (int i = 0; i < 256; i++)
        v->lut[i] = (float)i * (1.0f / 255.0f);
    return v;
}

void scene_video_destroy(SceneVideo **pv)
{
    if (!pv || !*pv)
        return;
    SceneVideo *v = *pv;
    producer_stop(v);
    video_reader_close(&v->rd);
    for (int i = 0; i < RING; i++)
        free(v->ring[i].grey);
    free(v->data);
    free(v->tobj);
    free(v->keys);
    pthread_mutex_destroy(&v->mu);
    pthread_cond_destroy(&v->cv);
    free(v);
    *pv = NULL;
}

/* Opens the reader, sizes the world (the world's rule: SCENE_MIN_SIDE..IMAGE_MAX_SIDE), shows
 * the first frame and starts decoding ahead. v is owned by the result (freed on failure). */
static Scene *video_scene(const SceneSpec *spec, SceneVideo *v, const char *truth, size_t truth_n,
                          uint64_t content)
{
    Scene *s = NULL;
    v->w = spec->width;
    v->h = spec->height;
    if (open_reader(v, 1) < 0)
        goto fail;
    int sw, sh;
    video_reader_source_size(v->rd, &sw, &sh);
    video_reader_output_size(v->rd, &v->w, &v->h);
    video_reader_pass(v->rd, &v->loop_frames, &v->loop_us);
    if (v->loop_us > 0 && v->loop_us < MIN_PASS_US)
        v->loop_us = MIN_PASS_US;
    if (v->w < SCENE_MIN_SIDE || v->h < SCENE_MIN_SIDE) {
        sc_set_error("%s: frames are %dx%d px; a world is %d..%d px per side (resample it with "
                     "--size WxH)",
                     v->name, sw, sh, SCENE_MIN_SIDE, IMAGE_MAX_SIDE);
        goto fail;
    }
    for (int i = 0; i < RING; i++)
        if (!(v->ring[i].grey = malloc((size_t)v->w * (size_t)v->h))) {
            sc_set_error("%s: out of memory for %dx%d frames", v->name, v->w, v->h);
            goto fail;
        }
    v->sx = (float)v->w / (float)sw;
    v->sy = (float)v->h / (float)sh;
    if (truth && scene_video_truth_parse(v, spec->path, truth, truth_n, sw, sh) < 0)
        goto fail;
    for (int i = 0; i < v->n_tobj; i++) { /* ink boxes in world px */
        v->tobj[i].o.w *= v->sx;
        v->tobj[i].o.h *= v->sy;
    }
    if (!(s = scene_alloc(v->w, v->h)))
        goto fail;
    s->spec = *spec;
    s->content_hash = content;
    s->video = v;
    for (int i = 0; i < v->n_tobj; i++) {
        Image none;
        memset(&none, 0, sizeof none);
        if (scene_add_object(s, &v->tobj[i].o, &none, 0.0f) < 0)
            goto fail_scene;
    }
    if (produce(v, &v->ring[0]) != 1) {
        sc_set_error("%s: %s", v->name,
                     v->camera ? "the camera gave no frame" : "no frame could be decoded");
        goto fail_scene;
    }
    show(s, &v->ring[0]);
    place_truth(s);
    mark_all_dirty(s);
    producer_start(v);
    return s;
fail:
    scene_video_destroy(&v);
    return NULL;
fail_scene:
    scene_destroy(&s); /* destroys v too */
    return NULL;
}

Scene *scene_create_video_data(const SceneSpec *spec, unsigned char *data, size_t n,
                               const unsigned char *truth, size_t truth_n, uint64_t content)
{
    SceneVideo *v = video_alloc(spec->path);
    if (!v) {
        free(data);
        return NULL;
    }
    v->data = data;
    v->n = n;
    return video_scene(spec, v, (const char *)truth, truth_n, content);
}

Scene *scene_create_video_file(const SceneSpec *spec)
{
    unsigned char *data, *truth;
    size_t n, tn;
    uint64_t content;
    if (scene_video_read_files(spec->path, &data, &n, &truth, &tn, &content) < 0)
        return NULL;
    Scene *s = scene_create_video_data(spec, data, n, truth, tn, content);
    free(truth);
    return s;
}

Scene *scene_create_camera(const SceneSpec *spec)
{
    SceneVideo *v = video_alloc(spec->path);
    if (!v)
        return NULL;
    v->camera = 1;
    return video_scene(spec, v, NULL, 0, 0);
}

/* Layout after the objects (scene.h): f64 clock ms, u64 frame number, u64 frame pixel hash. */
size_t scene_video_state_extra(void)
{
    return 24;
}

uint64_t scene_video_state_hash(const Scene *s, uint64_t h)
{
    const SceneVideo *v = s->video;
    h = hash64_f64(h, v->clock_ms);
    h = hash64_u64(h, v->cur.seq);
    return hash64_u64(h, v->cur.hash);
}

void scene_video_state_save(const Scene *s, unsigned char *p)
{
    const SceneVideo *v = s->video;
    uint64_t c;
    memcpy(&c, &v->clock_ms, 8);
    const uint64_t f[3] = {c, v->cur.seq, v->cur.hash};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 8; i++)
            p[8 * k + i] = (unsigned char)(f[k] >> (8 * i));
}

int scene_video_state_load(Scene *s, const unsigned char *p)
{
    SceneVideo *v = s->video;
    uint64_t f[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++)
        for (int i = 7; i >= 0; i--)
            f[k] = f[k] << 8 | p[8 * k + i];
    double clock;
    memcpy(&clock, &f[0], 8);
    if (!isfinite(clock) || clock < 0.0 || clock > 1e12) {
        sc_set_error("scene state: bad video clock");
        return -1;
    }
    if (v->camera) {
        sc_set_error("%s: a camera cannot go back to an earlier frame", v->name);
        return -1;
    }
    const int64_t t = clock_us(clock);
    if (v->cur.seq != f[1]) {
        if (f[1] > v->cur.seq && t >= v->cur.start_us)
            advance(s, t); /* forward: decode on */
        if (v->cur.seq != f[1] && seek_to(s, t) < 0)
            return -1;
    }
    if (v->cur.seq != f[1] || v->cur.hash != f[2]) {
        sc_set_error("%s: frame %llu at %.0f ms is not the recorded frame (decoded %llu, hash "
                     "%016llx, recorded %016llx)",
                     v->name, (unsigned long long)f[1], clock, (unsigned long long)v->cur.seq,
                     (unsigned long long)v->cur.hash, (unsigned long long)f[2]);
        return -1;
    }
    v->clock_ms = clock;
    place_truth(s);
    mark_all_dirty(s);
    return 0;
}

int scene_video_frame(const Scene *s, uint64_t *number, uint64_t *hash)
{
    if (!s->video)
        return 0;
    *number = s->video->cur.seq;
    *hash = s->video->cur.hash;
    return 1;
}
